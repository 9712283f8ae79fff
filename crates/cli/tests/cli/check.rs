//! `terrane check`: exit codes, refused inputs and the thresholds that fail a run.

use std::process::Stdio;

use crate::{AWS_EXAMPLE, AWS_PLAN, CLEAN, UNTAGGED, command, command_line, terrane};

const V1_POLICY: &str = "crates/cli/tests/fixtures/policies/v1";

#[test]
fn exit_code_is_0_when_clean_1_on_failing_findings_and_2_on_errors() {
    let cases: &[(&[&str], i32)] = &[
        (&["check", CLEAN], 0),
        (&["check", UNTAGGED], 0),
        (
            &[
                "check",
                "--fail-on",
                "critical",
                "crates/estate/tests/fixtures/json/shown_state.json",
            ],
            0,
        ),
        (&["check", AWS_EXAMPLE], 1),
        (&["check", AWS_PLAN], 1),
        (&["check", CLEAN, AWS_EXAMPLE], 1),
        (&["check", "--jurisdiction", "ATLANTIS", CLEAN], 2),
        (&["check", "--format", "yaml", CLEAN], 2),
        (&["check", "--no-pack", CLEAN], 2),
        (&["check"], 2),
    ];

    for (args, code) in cases {
        terrane(args).assert_code(*code, args);
    }
}

#[test]
fn clean_input_reports_no_findings() {
    let run = terrane(&["check", CLEAN]);

    run.assert_code(0, &["check", CLEAN]);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!(run.stdout, @r"
    crates/cli/tests/fixtures/terraform/clean (hcl, 1 resource): no findings

    no findings, 0 suppressed, 1 resource in 1 input — none failing at high
    ");
}

#[test]
fn fail_on_sets_the_lowest_severity_that_fails_the_run() {
    // UNTAGGED has one medium finding; the example has critical ones.
    let cases = [
        (UNTAGGED, "info", 1),
        (UNTAGGED, "low", 1),
        (UNTAGGED, "medium", 1),
        (UNTAGGED, "high", 0),
        (UNTAGGED, "critical", 0),
        (AWS_EXAMPLE, "critical", 1),
    ];

    for (path, severity, code) in cases {
        let args = ["check", "--fail-on", severity, path];
        terrane(&args).assert_code(code, &args);
    }
}

#[test]
fn refuses_bad_input_naming_the_file_and_position() {
    let cases: &[(&str, &[&str])] = &[
        ("malformed_json", &["check", "crates/estate/tests/fixtures/json/malformed_plan.json"]),
        ("empty_file", &["check", "crates/estate/tests/fixtures/json/empty.json"]),
        ("binary_plan", &["check", "crates/estate/tests/fixtures/json/tfplan"]),
        (
            "unsupported_plan_version",
            &["check", "crates/estate/tests/fixtures/json/unsupported_plan_version.json"],
        ),
        ("directory_without_tf_files", &["check", "crates/estate/tests/fixtures/hcl/empty"]),
        ("nonexistent_path", &["check", "crates/cli/tests/fixtures/nonexistent.json"]),
        ("single_tf_file", &["check", "examples/terraform/aws/main.tf"]),
        ("tf_syntax_error", &["check", "crates/estate/tests/fixtures/hcl/syntax"]),
        ("unknown_jurisdiction", &["check", "--jurisdiction", "ATLANTIS", AWS_EXAMPLE]),
        (
            "policy_not_compiling",
            &["check", "--policy", "crates/cli/tests/fixtures/policies/broken", AWS_EXAMPLE],
        ),
        (
            "policy_not_compiling_without_import",
            &[
                "check",
                "--policy",
                "crates/cli/tests/fixtures/policies/broken_without_import",
                AWS_EXAMPLE,
            ],
        ),
        (
            "malformed_data",
            &["check", "--data", "crates/cli/tests/fixtures/data/malformed.json", AWS_EXAMPLE],
        ),
        (
            "malformed_baseline",
            &[
                "check",
                "--baseline",
                "crates/cli/tests/fixtures/baselines/malformed.json",
                AWS_EXAMPLE,
            ],
        ),
    ];

    for (name, args) in cases {
        check_refused(name, args);
    }
}

/// Runs `args`, expecting exit code 2, no report, and the error in the snapshot `name`.
fn check_refused(name: &str, args: &[&str]) {
    let run = terrane(args);

    run.assert_code(2, args);
    assert_eq!(run.stdout, "", "`{}` printed a report", command_line(args));
    insta::with_settings!({ description => command_line(args), omit_expression => true }, {
        insta::assert_snapshot!(name, run.stderr);
    });
}

#[test]
fn reads_a_utf16_plan_with_byte_order_mark() {
    let args = ["check", "--format", "json", "crates/estate/tests/fixtures/json/plan_utf16le.json"];
    let run = terrane(&args);

    run.assert_code(1, &args);
    let report = run.json();
    assert_eq!(report["inputs"][0]["kind"], "plan");
    assert_eq!(report["inputs"][0]["resources"], 3);
    let regions: Vec<&str> =
        crate::findings(&report).iter().filter_map(|f| f["region"].as_str()).collect();
    assert!(regions.contains(&"eu-north-1"), "{regions:?}");
}

#[test]
fn report_names_the_jurisdiction_by_its_id_whatever_alias_was_typed() {
    // The report used to repeat the argument upper-cased: `GB` for the jurisdiction `UK`.
    // CLEAN is a key in Frankfurt.
    let cases =
        [("gb", "UK", 1), ("uk", "UK", 1), ("eea+adequate", "EEA+ADEQUATE", 0), ("de", "DE", 0)];

    for (typed, id, code) in cases {
        let args = ["check", "--jurisdiction", typed, "--format", "json", CLEAN];
        let run = terrane(&args);

        run.assert_code(code, &args);
        assert_eq!(run.json()["jurisdiction"], id, "{}", command_line(&args));
    }
}

#[test]
fn closed_stdout_keeps_the_exit_code_and_prints_no_error() {
    // `terrane check ... | head` used to end with `error: Broken pipe` and exit code 2.
    let cases: &[(&[&str], i32)] = &[
        (&["check", AWS_EXAMPLE], 1),
        (&["check", "--no-pack", "--policy", V1_POLICY, AWS_EXAMPLE], 1),
        (&["regions"], 0),
        (&["policy", "list"], 0),
    ];

    for (args, code) in cases {
        let mut child = command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the terrane binary starts");
        // Closing the reader before terrane writes is what `head` does once it has enough.
        drop(child.stdout.take());
        let run = crate::Run::from(child.wait_with_output().expect("terrane runs to its end"));

        run.assert_code(*code, args);
        assert_eq!(run.stderr, "", "{}", command_line(args));
    }
}
