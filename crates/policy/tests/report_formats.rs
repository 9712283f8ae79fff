//! Every report format rendered from one fixed report: snapshots for review, and checks that
//! the machine-readable formats are what their consumers accept.

use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::Value;
use terrane_estate::{InputKind, SourceLocation};
use terrane_policy::{
    ExitStatus, Finding, FindingKind, Format, Report, ReportInput, RuleMeta, Severity, Suppression,
    TextStyle, render, waiver_rules,
};

fn rule(id: &str, title: &str, severity: Severity, controls: &[&str]) -> RuleMeta {
    RuleMeta {
        id: id.to_owned(),
        title: title.to_owned(),
        severity,
        description: format!("{title}: the rule's description."),
        remediation: format!("Fix it so that `{id}` passes."),
        resource_types: vec!["*".to_owned()],
        controls: controls.iter().map(|control| (*control).to_owned()).collect(),
        modes: vec!["plan".to_owned(), "hcl".to_owned()],
    }
}

struct Spec {
    rule_id: &'static str,
    severity: Severity,
    kind: FindingKind,
    resource: &'static str,
    input: &'static str,
    line: Option<u32>,
    message: &'static str,
    suppression: Option<Suppression>,
}

fn finding(spec: Spec) -> Finding {
    let resource_type = spec.resource.rsplit('.').nth(1).map(str::to_owned);
    Finding {
        rule_id: spec.rule_id.to_owned(),
        severity: spec.severity,
        kind: spec.kind,
        resource: spec.resource.to_owned(),
        resource_type,
        region: Some("eu-central-1".to_owned()),
        message: spec.message.to_owned(),
        input: PathBuf::from(spec.input),
        source: spec.line.map(|line| SourceLocation {
            file: Path::new(spec.input).join("main.tf"),
            line: Some(line),
            column: Some(1),
        }),
        suppression: spec.suppression,
    }
}

/// HCL findings with lines, plan findings without, suppressed ones of every kind, an
/// undecided one, a warning, one below the threshold, an expired waiver and a clean input.
fn report() -> Report {
    let mut rules = vec![
        rule(
            "TRN-AWS-S3-001",
            "S3 bucket replicates outside the jurisdiction",
            Severity::Critical,
            &["AWS-GR_REGION_DENY", "C5:PSS-12"],
        ),
        rule("TRN-AWS-KEY-002", "KMS key outside the jurisdiction", Severity::High, &[]),
        rule("TRN-AWS-PUB-002", "Public bucket policy", Severity::Medium, &[]),
        rule(
            "TRN-AWS-REG-001",
            "Resource region outside the jurisdiction",
            Severity::High,
            &["EUCS:DSP-10"],
        ),
        rule(
            "TRN-AWS-LOG-003",
            "Trail logs to a bucket outside the jurisdiction",
            Severity::Medium,
            &[],
        ),
        rule("TRN-GCP-KMS-001", "Bucket without a customer-managed key", Severity::Critical, &[]),
    ];
    rules.extend(waiver_rules());
    let hcl = "infra/aws";
    let plan = "plans/eu.json";
    let findings = vec![
        finding(Spec {
            rule_id: "TRN-AWS-S3-001",
            severity: Severity::Critical,
            kind: FindingKind::Violation,
            resource: "module.data.aws_s3_bucket.logs",
            input: hcl,
            line: Some(14),
            message: "bucket `logs` replicates to us-east-1, outside EU",
            suppression: None,
        }),
        finding(Spec {
            rule_id: "TRN-AWS-KEY-002",
            severity: Severity::High,
            kind: FindingKind::Violation,
            resource: "aws_kms_key.main",
            input: hcl,
            line: Some(3),
            message: "key `main` is in us-east-1",
            suppression: Some(Suppression::Inline {
                reason: "HSM-backed key, moved in Q1".to_owned(),
            }),
        }),
        finding(Spec {
            rule_id: "TRN-ALL-WAIVER-001",
            severity: Severity::High,
            kind: FindingKind::Violation,
            resource: "aws_s3_bucket.assets",
            input: hcl,
            line: Some(30),
            message: "waiver for `TRN-AWS-S3-001` expired on 2026-11-30 and no longer suppresses it",
            suppression: None,
        }),
        finding(Spec {
            rule_id: "TRN-AWS-PUB-002",
            severity: Severity::Medium,
            kind: FindingKind::Violation,
            resource: "aws_s3_bucket.assets",
            input: hcl,
            line: Some(30),
            message: "bucket policy allows `*`",
            suppression: Some(Suppression::Tag { expires: Some("2027-01-31".to_owned()) }),
        }),
        finding(Spec {
            rule_id: "main.warn_owner",
            severity: Severity::Low,
            kind: FindingKind::Warning,
            resource: "aws_s3_bucket.assets",
            input: hcl,
            line: Some(30),
            message: "tag `owner` missing | required by <team policy> *now*",
            suppression: None,
        }),
        finding(Spec {
            rule_id: "TRN-AWS-REG-001",
            severity: Severity::High,
            kind: FindingKind::Undecided,
            resource: "aws_instance.web[\"a\"]",
            input: plan,
            line: None,
            message: "region is unknown until apply",
            suppression: None,
        }),
        finding(Spec {
            rule_id: "TRN-AWS-LOG-003",
            severity: Severity::Medium,
            kind: FindingKind::Violation,
            resource: "aws_cloudtrail.main",
            input: plan,
            line: None,
            message: "trail logs to bucket `audit` in us-east-1",
            suppression: None,
        }),
        finding(Spec {
            rule_id: "TRN-GCP-KMS-001",
            severity: Severity::Critical,
            kind: FindingKind::Violation,
            resource: "google_storage_bucket.eu",
            input: plan,
            line: None,
            message: "bucket has no customer-managed key",
            suppression: Some(Suppression::Baseline),
        }),
    ];
    Report {
        tool_version: "0.1.0".to_owned(),
        jurisdiction: "EU".to_owned(),
        inputs: vec![
            ReportInput { path: PathBuf::from(hcl), kind: InputKind::Hcl, resources: 12 },
            ReportInput { path: PathBuf::from(plan), kind: InputKind::Plan, resources: 30 },
            ReportInput { path: PathBuf::from("infra/gcp"), kind: InputKind::Hcl, resources: 4 },
        ],
        rules,
        findings,
        fail_on: Severity::High,
    }
}

fn plain(format: Format) -> String {
    render(&report(), format, TextStyle { color: false })
}

fn load_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("the schema file is in the repository");
    serde_json::from_str(&text).expect("the schema file is JSON")
}

fn assert_valid(schema: &Value, instance: &Value) {
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "output does not match the schema:\n{}", errors.join("\n"));
}

#[test]
fn renders_text() {
    insta::assert_snapshot!(plain(Format::Text));
}

#[test]
fn renders_text_in_colour_only_when_asked() {
    let coloured = render(&report(), Format::Text, TextStyle { color: true });
    assert!(coloured.contains("\u{1b}["));
    assert!(!plain(Format::Text).contains('\u{1b}'));
}

#[test]
fn renders_json() {
    insta::assert_snapshot!(plain(Format::Json));
}

#[test]
fn json_matches_the_published_schema() {
    let schema =
        load_json(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/src/report.schema.json"));
    let output: Value = serde_json::from_str(&plain(Format::Json)).expect("the report is JSON");
    assert_valid(&schema, &output);

    let mut broken = output.clone();
    broken["findings"][0]["severity"] = Value::from("severe");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    assert!(!validator.is_valid(&broken), "the schema rejects an unknown severity");
}

#[test]
fn renders_sarif() {
    insta::assert_snapshot!(plain(Format::Sarif));
}

#[test]
fn sarif_matches_the_oasis_schema() {
    let schema = load_json(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json"),
    );
    let output: Value = serde_json::from_str(&plain(Format::Sarif)).expect("the log is JSON");
    assert_valid(&schema, &output);
}

#[test]
fn sarif_results_point_at_their_rules() {
    let output: Value = serde_json::from_str(&plain(Format::Sarif)).expect("the log is JSON");
    let run = &output["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules is an array");
    let results = run["results"].as_array().expect("results is an array");
    assert_eq!(results.len(), report().findings.len());
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("every result has a rule index");
        let rule = usize::try_from(index).ok().and_then(|index| rules.get(index));
        assert_eq!(rule.map(|rule| &rule["id"]), Some(&result["ruleId"]));
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("every result has a file");
        assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
    }
}

#[test]
fn renders_junit() {
    insta::assert_snapshot!(plain(Format::Junit));
}

#[test]
fn junit_is_xml_with_the_attributes_gitlab_reads() {
    let xml = plain(Format::Junit);
    let mut reader = Reader::from_str(&xml);
    let mut seen: Vec<(String, Vec<(String, String)>)> = Vec::new();
    loop {
        match reader.read_event().expect("the report is well-formed XML") {
            Event::Eof => break,
            Event::Start(element) | Event::Empty(element) => {
                let name = element.name().into_inner().to_owned();
                let attributes = element
                    .attributes()
                    .map(|attribute| {
                        let attribute = attribute.expect("attributes are well-formed");
                        let value = attribute
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .expect("values unescape");
                        (attribute.key.into_inner().to_owned(), value.into_owned())
                    })
                    .collect();
                seen.push((name, attributes));
            }
            _ => {}
        }
    }

    let has = |element: &(String, Vec<(String, String)>), key: &str| {
        element.1.iter().any(|(name, _)| name == key)
    };
    let of = |name: &str| seen.iter().filter(|element| element.0 == name).collect::<Vec<_>>();
    assert_eq!(of("testsuites").len(), 1);
    assert_eq!(of("testsuite").len(), 3);
    assert!(of("testsuite").iter().all(|suite| {
        ["name", "tests", "failures", "errors", "skipped"].iter().all(|key| has(suite, key))
    }));
    assert_eq!(of("testcase").len(), report().findings.len() + 1);
    assert!(of("testcase").iter().all(|case| has(case, "classname") && has(case, "name")));
    assert_eq!(of("failure").len(), 3);
    assert!(of("failure").iter().all(|failure| has(failure, "message") && has(failure, "type")));
    assert_eq!(of("skipped").len(), 3);
    let suites = of("testsuites");
    let totals = &suites.first().expect("one testsuites element").1;
    assert!(totals.contains(&("failures".to_owned(), "3".to_owned())));
    assert!(totals.contains(&("tests".to_owned(), "9".to_owned())));
}

#[test]
fn renders_markdown() {
    insta::assert_snapshot!(plain(Format::Markdown));
}

#[test]
fn markdown_tables_keep_their_columns() {
    let markdown = plain(Format::Markdown);
    for table in markdown.split("\n\n").filter(|block| block.starts_with('|')) {
        let columns: Vec<usize> =
            table.lines().map(|row| row.replace("\\|", "").matches('|').count()).collect();
        assert!(columns.windows(2).all(|pair| pair[0] == pair[1]), "{table}");
    }
}

#[test]
fn renders_the_same_whatever_the_finding_order() {
    let mut shuffled = report();
    shuffled.findings.reverse();
    shuffled.findings.swap(1, 4);
    for format in Format::ALL {
        let style = TextStyle { color: false };
        assert_eq!(render(&shuffled, format, style), render(&report(), format, style), "{format}");
    }
}

#[test]
fn summarises_and_decides_the_exit_status() {
    let report = report();
    let summary = report.summary();
    assert_eq!(
        (summary.findings, summary.suppressed, summary.failing, summary.resources, summary.inputs),
        (5, 3, 3, 46, 3)
    );
    assert_eq!(
        (summary.critical, summary.high, summary.medium, summary.low, summary.info),
        (1, 2, 1, 1, 0)
    );
    assert_eq!((summary.violations, summary.warnings, summary.undecided), (3, 1, 1));
    assert_eq!(report.exit_status(), ExitStatus::Findings);
    assert_eq!(report.exit_status().code(), 1);
}

#[test]
fn fails_only_on_unsuppressed_violations_and_undecided_at_the_threshold() {
    let cases = [
        (FindingKind::Violation, Severity::High, None, Severity::High, true),
        (FindingKind::Violation, Severity::Critical, None, Severity::High, true),
        (FindingKind::Violation, Severity::Medium, None, Severity::High, false),
        (FindingKind::Violation, Severity::Info, None, Severity::Info, true),
        (FindingKind::Undecided, Severity::High, None, Severity::High, true),
        (FindingKind::Undecided, Severity::Low, None, Severity::Medium, false),
        (FindingKind::Warning, Severity::Critical, None, Severity::Info, false),
        (
            FindingKind::Violation,
            Severity::Critical,
            Some(Suppression::Baseline),
            Severity::Info,
            false,
        ),
        (
            FindingKind::Undecided,
            Severity::Critical,
            Some(Suppression::Tag { expires: None }),
            Severity::Info,
            false,
        ),
    ];
    for (kind, severity, suppression, fail_on, failing) in cases {
        let mut report = report();
        report.fail_on = fail_on;
        report.findings = vec![finding(Spec {
            rule_id: "TRN-AWS-S3-001",
            severity,
            kind,
            resource: "aws_s3_bucket.b",
            input: "infra",
            line: None,
            message: "m",
            suppression,
        })];
        let expected = if failing { ExitStatus::Findings } else { ExitStatus::Clean };
        assert_eq!(report.exit_status(), expected, "{kind:?} {severity} at {fail_on}");
        assert_eq!(report.summary().failing, usize::from(failing));
    }
}

#[test]
fn parses_format_names() {
    for format in Format::ALL {
        assert_eq!(format.as_str().parse::<Format>(), Ok(format));
    }
    assert_eq!("SARIF".parse::<Format>(), Ok(Format::Sarif));
    let error = "xml".parse::<Format>().expect_err("xml is not a format");
    assert_eq!(
        error.to_string(),
        "unknown report format `xml` (expected text, json, sarif, junit or markdown)"
    );
}

#[test]
fn renders_an_empty_report() {
    let mut report = report();
    report.findings.clear();
    report.inputs.truncate(1);
    let text = render(&report, Format::Text, TextStyle { color: false });
    insta::assert_snapshot!(text, @r"
    infra/aws (hcl, 12 resources): no findings

    no findings, 0 suppressed, 12 resources in 1 input — none failing at high
    ");
    assert_eq!(report.exit_status(), ExitStatus::Clean);
    assert_eq!(report.exit_status().code(), 0);
}
