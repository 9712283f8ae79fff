//! Users' own Rego policies, as conftest runs them: `deny`, `warn`, namespaces, the raw
//! document as `input`, and the normalised estate and external facts under `data.terrane`.

use crate::{AWS_EXAMPLE, AWS_PLAN, CLEAN, command_line, findings, terrane};

const V1: &str = "crates/cli/tests/fixtures/policies/v1";
const V0: &str = "crates/cli/tests/fixtures/policies/v0";
const WARN: &str = "crates/cli/tests/fixtures/policies/warn";
const NAMESPACES: &str = "crates/cli/tests/fixtures/policies/namespaces";
const ESTATE: &str = "crates/cli/tests/fixtures/policies/estate";
const BUDGETS: &str = "crates/cli/tests/fixtures/policies/budgets";

/// What the v1 and v0 fixture policies report on the AWS example.
const V1_HCL_FINDINGS: &[(&str, &str, &str)] = &[
    ("main.deny", "high", "bucket `data` has no versioning block"),
    ("main.deny", "high", "bucket `replica` has no versioning block"),
];

/// One run with user policies: the options before the input, the exit code, and the user
/// findings as `(rule id, severity, message)` in report order.
struct Case {
    options: &'static [&'static str],
    input: &'static str,
    code: i32,
    findings: &'static [(&'static str, &'static str, &'static str)],
}

/// Runs `case` with `--format json` and compares the findings of user rules (ids that do
/// not start with `TRN-`).
fn check(case: &Case) {
    let args: Vec<&str> = ["check", "--format", "json"]
        .into_iter()
        .chain(case.options.iter().copied())
        .chain([case.input])
        .collect();
    let run = terrane(&args);

    run.assert_code(case.code, &args);
    assert_eq!(run.stderr, "", "{}", command_line(&args));
    let report = run.json();
    let user: Vec<(&str, &str, &str)> = findings(&report)
        .iter()
        .filter(|f| f["rule_id"].as_str().is_some_and(|id| !id.starts_with("TRN-")))
        .map(|f| {
            let text = |field: &str| f[field].as_str().unwrap_or_default();
            (text("rule_id"), text("severity"), text("message"))
        })
        .collect();
    assert_eq!(user, case.findings, "{}", command_line(&args));
}

#[test]
fn deny_rules_of_v1_and_v0_policies_read_the_raw_document() {
    let cases = [
        Case {
            options: &["--no-pack", "--policy", V1],
            input: AWS_EXAMPLE,
            code: 1,
            findings: V1_HCL_FINDINGS,
        },
        Case {
            options: &["--no-pack", "--policy", V1],
            input: AWS_PLAN,
            code: 1,
            findings: &[
                ("main.deny", "high", "plan creates bucket `aws_s3_bucket.data`"),
                ("main.deny", "high", "plan creates bucket `aws_s3_bucket.replica`"),
            ],
        },
        Case {
            options: &["--no-pack", "--policy", V1],
            input: "crates/estate/tests/fixtures/json/plan_utf16le.json",
            code: 1,
            findings: &[
                ("main.deny", "high", "plan creates bucket `aws_s3_bucket.archive`"),
                ("main.deny", "high", "plan creates bucket `aws_s3_bucket.default`"),
            ],
        },
        Case {
            options: &["--no-pack", "--policy", V0],
            input: AWS_EXAMPLE,
            code: 1,
            findings: V1_HCL_FINDINGS,
        },
        Case { options: &["--policy", V1], input: CLEAN, code: 0, findings: &[] },
    ];

    for case in &cases {
        check(case);
    }
}

#[test]
fn warn_rules_report_without_failing_the_run() {
    check(&Case {
        options: &["--no-pack", "--policy", WARN],
        input: AWS_EXAMPLE,
        code: 0,
        findings: &[
            ("main.warn", "low", "bucket `data` should have a lifecycle rule"),
            ("main.warn", "low", "bucket `replica` should have a lifecycle rule"),
        ],
    });
}

#[test]
fn namespace_options_choose_the_packages_evaluated() {
    let cases = [
        Case {
            options: &["--no-pack", "--policy", NAMESPACES],
            input: AWS_EXAMPLE,
            code: 1,
            findings: &[("main.deny", "high", "denied by main")],
        },
        Case {
            options: &["--no-pack", "--policy", NAMESPACES, "--namespace", "other"],
            input: AWS_EXAMPLE,
            code: 1,
            findings: &[("other.deny", "high", "denied by other")],
        },
        Case {
            options: &["--no-pack", "--policy", NAMESPACES, "--all-namespaces"],
            input: AWS_EXAMPLE,
            code: 1,
            findings: &[
                ("main.deny", "high", "denied by main"),
                ("other.deny", "high", "denied by other"),
            ],
        },
    ];

    for case in &cases {
        check(case);
    }
}

#[test]
fn policies_read_the_estate_and_external_data_under_data_terrane() {
    let cases = [
        Case {
            options: &["--no-pack", "--policy", ESTATE],
            input: AWS_EXAMPLE,
            code: 1,
            findings: &[("main.deny", "critical", "`aws_s3_bucket.replica` is in eu-west-2")],
        },
        Case {
            options: &[
                "--no-pack",
                "--policy",
                BUDGETS,
                "--data",
                "crates/cli/tests/fixtures/data/budgets.json",
            ],
            input: AWS_EXAMPLE,
            code: 1,
            findings: &[("main.deny", "high", "2 buckets, the budget allows 1")],
        },
        Case {
            options: &["--no-pack", "--policy", BUDGETS],
            input: AWS_EXAMPLE,
            code: 0,
            findings: &[],
        },
    ];

    for case in &cases {
        check(case);
    }
}

#[test]
fn finding_with_an_address_is_tied_to_that_resource() {
    let args = ["check", "--no-pack", "--policy", ESTATE, "--format", "json", AWS_EXAMPLE];
    let run = terrane(&args);

    run.assert_code(1, &args);
    let report = run.json();
    let [finding] = findings(&report) else { panic!("one finding expected: {report}") };
    assert_eq!(finding["resource"], "aws_s3_bucket.replica");
    assert_eq!(finding["region"], "eu-west-2");
    assert_eq!(finding["location"]["file"], "examples/terraform/aws/main.tf");
    assert_eq!(finding["location"]["line"], 61);
}

#[test]
fn no_pack_reports_only_user_findings() {
    let cases: [(&[&str], bool); 2] = [
        (&["check", "--format", "json", "--policy", V1, AWS_EXAMPLE], true),
        (&["check", "--format", "json", "--no-pack", "--policy", V1, AWS_EXAMPLE], false),
    ];

    for (args, with_pack) in cases {
        let run = terrane(args);

        run.assert_code(1, args);
        let report = run.json();
        let ids: Vec<&str> =
            findings(&report).iter().filter_map(|f| f["rule_id"].as_str()).collect();
        let pack_findings = ids.iter().any(|id| id.starts_with("TRN-"));
        assert_eq!(pack_findings, with_pack, "{}: {ids:?}", command_line(args));
        assert_eq!(ids.iter().filter(|id| **id == "main.deny").count(), 2, "{ids:?}");
    }
}
