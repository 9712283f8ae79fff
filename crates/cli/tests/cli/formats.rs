//! The report formats as their consumers read them: scripts (JSON), code scanning (SARIF),
//! CI test reports (JUnit) and pull request comments (Markdown).

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::{Value, json};

use crate::{AWS_EXAMPLE, argument, findings, terrane};

#[test]
fn json_report_has_the_schema_and_every_finding_field() {
    let args = ["check", "--format", "json", AWS_EXAMPLE];
    let run = terrane(&args);

    run.assert_code(1, &args);
    let report = run.json();
    assert_eq!(report["schema"], "terrane.report/v1");
    assert_eq!(report["status"], "findings");
    assert_eq!(report["inputs"], json!([{"path": AWS_EXAMPLE, "kind": "hcl", "resources": 8}]));
    for finding in findings(&report) {
        for field in ["rule_id", "severity", "resource", "region", "message", "location"] {
            assert!(finding.get(field).is_some(), "no `{field}` in {finding}");
        }
    }
    let residency = findings(&report)
        .iter()
        .find(|f| f["rule_id"] == "TRN-AWS-RES-001")
        .expect("the London replica is reported");
    assert_eq!(residency["severity"], "critical");
    assert_eq!(residency["resource"], "aws_s3_bucket.replica");
    assert_eq!(residency["region"], "eu-west-2");
    assert_eq!(residency["message"], "resource is in eu-west-2, outside EU");
    assert_eq!(
        residency["location"],
        json!({"file": "examples/terraform/aws/main.tf", "line": 61, "column": 1})
    );
}

#[test]
fn sarif_report_is_version_2_1_0_with_a_result_per_unsuppressed_finding() {
    let args = ["check", "--format", "sarif", AWS_EXAMPLE];
    let run = terrane(&args);

    run.assert_code(1, &args);
    let sarif = run.json();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["tool"]["driver"]["name"], "terrane");
    let results = sarif["runs"][0]["results"].as_array().expect("results are an array");
    let suppressed = results.iter().filter(|r| r.get("suppressions").is_some()).count();
    let summary = &json_summary(AWS_EXAMPLE);
    assert_eq!(Some(results.len() as u64 - suppressed as u64), summary["findings"].as_u64());
    assert_eq!(Some(suppressed as u64), summary["suppressed"].as_u64());
}

#[test]
fn junit_report_is_well_formed_xml_with_a_failure_per_failing_finding() {
    let args = ["check", "--format", "junit", AWS_EXAMPLE];
    let run = terrane(&args);

    run.assert_code(1, &args);
    let mut reader = Reader::from_str(&run.stdout);
    let mut elements = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(element) | Event::Empty(element)) => {
                elements.push(element.name().into_inner().to_owned());
            }
            Ok(_) => {}
            Err(error) => panic!("invalid XML at {}: {error}", reader.buffer_position()),
        }
    }
    assert_eq!(elements.first().map(String::as_str), Some("testsuites"));
    let failures = elements.iter().filter(|name| *name == "failure").count();
    assert_eq!(Some(failures as u64), json_summary(AWS_EXAMPLE)["failing"].as_u64());
}

#[test]
fn markdown_report_has_the_summary_table() {
    let args = ["check", "--format", "markdown", AWS_EXAMPLE];
    let run = terrane(&args);

    run.assert_code(1, &args);
    assert!(run.stdout.starts_with("### Terrane: "), "{}", run.stdout);
    assert!(
        run.stdout.contains("| severity | findings | failing |\n| --- | ---: | ---: |\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("#### Failing findings"), "{}", run.stdout);
}

#[test]
fn output_writes_the_report_to_the_file_and_nothing_to_stdout() {
    let dir = tempfile::tempdir().expect("a temporary directory");

    for format in ["text", "json", "sarif", "junit", "markdown"] {
        let path = dir.path().join(format!("report.{format}"));
        let args = ["check", "--format", format, "--output", argument(&path), AWS_EXAMPLE];
        let run = terrane(&args);

        run.assert_code(1, &args);
        assert_eq!(run.stdout, "", "{format}");
        assert_eq!(run.stderr, "", "{format}");
        let written = std::fs::read_to_string(&path).expect("the report was written");
        assert_eq!(written, terrane(&["check", "--format", format, AWS_EXAMPLE]).stdout);
    }
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("the directory is readable")
        .map(|entry| entry.expect("a directory entry").file_name())
        .collect();
    names.sort();
    assert_eq!(names.len(), 5, "temporary files were left behind: {names:?}");
}

/// The summary of the JSON report on `path`, to compare the other formats with.
fn json_summary(path: &str) -> Value {
    terrane(&["check", "--format", "json", path]).json()["summary"].clone()
}
