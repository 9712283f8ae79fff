//! Suppressions from end to end: inline comments, waiver tags and baselines.

use serde_json::{Value, json};

use crate::{AWS_EXAMPLE, argument, command_line, findings, terrane};

const INLINE_REASON: &str = "crates/cli/tests/fixtures/terraform/inline_reason";
const INLINE_NO_REASON: &str = "crates/cli/tests/fixtures/terraform/inline_no_reason";
const EXPIRED_WAIVER: &str = "crates/cli/tests/fixtures/terraform/expired_waiver";

/// The finding of `rule_id` in a JSON report.
fn finding<'a>(report: &'a Value, rule_id: &str) -> &'a Value {
    findings(report)
        .iter()
        .find(|f| f["rule_id"] == rule_id)
        .unwrap_or_else(|| panic!("no `{rule_id}` finding in {report}"))
}

#[test]
fn inline_comment_with_a_reason_suppresses_the_finding() {
    let args = ["check", "--fail-on", "medium", "--format", "json", INLINE_REASON];
    let run = terrane(&args);

    run.assert_code(0, &args);
    assert_eq!(run.stderr, "");
    let tags = finding(&run.json(), "TRN-ALL-GOV-001").clone();
    assert_eq!(
        tags["suppression"],
        json!({"kind": "inline", "reason": "tags are set by the landing zone"})
    );
    assert_eq!(tags["failing"], false);
}

#[test]
fn inline_comment_without_a_reason_suppresses_nothing_and_warns() {
    let args = ["check", "--fail-on", "medium", "--format", "json", INLINE_NO_REASON];
    let run = terrane(&args);

    run.assert_code(1, &args);
    assert_eq!(
        run.stderr,
        "warning: suppression of `TRN-ALL-GOV-001` on `aws_kms_key.data` has no reason\n"
    );
    let tags = finding(&run.json(), "TRN-ALL-GOV-001").clone();
    assert_eq!(tags["suppression"], Value::Null);
    assert_eq!(tags["failing"], true);
}

#[test]
fn waiver_tag_holds_through_its_expiry_day_then_becomes_a_finding() {
    // The tag waives TRN-ALL-GOV-001 until 2026-12-01.
    let cases = [("2026-12-01", 0, false), ("2026-12-02", 1, true), ("2026-12-03", 1, true)];

    for (today, code, expired) in cases {
        let args = ["check", "--today", today, "--format", "json", EXPIRED_WAIVER];
        let run = terrane(&args);

        run.assert_code(code, &args);
        let report = run.json();
        let waiver = findings(&report).iter().find(|f| f["rule_id"] == "TRN-ALL-WAIVER-001");
        assert_eq!(waiver.is_some(), expired, "{}", command_line(&args));
        if let Some(waiver) = waiver {
            assert_eq!(waiver["resource"], "aws_kms_key.data");
            assert_eq!(waiver["severity"], "high");
            assert_eq!(waiver["failing"], true);
            assert_eq!(
                waiver["message"],
                "waiver for `TRN-ALL-GOV-001` expired on 2026-12-01 and no longer suppresses it"
            );
        }
    }
}

#[test]
fn written_baseline_makes_the_same_run_pass() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let baseline = dir.path().join("terrane-baseline.json");

    let write = ["check", "--write-baseline", argument(&baseline), AWS_EXAMPLE];
    terrane(&write).assert_code(1, &write);
    let text = std::fs::read_to_string(&baseline).expect("the baseline was written");
    let file: Value = serde_json::from_str(&text).expect("the baseline is JSON");
    assert_eq!(file["schema"], "terrane.baseline/v1");
    let entries = file["findings"].as_array().expect("findings are an array");
    assert!(entries.iter().all(|e| e["input"] == AWS_EXAMPLE), "{text}");

    let read = ["check", "--baseline", argument(&baseline), "--format", "json", AWS_EXAMPLE];
    let run = terrane(&read);
    run.assert_code(0, &read);
    assert_eq!(run.stderr, "");
    let report = run.json();
    assert_eq!(report["summary"]["failing"], 0);
    let baselined = findings(&report)
        .iter()
        .filter(|f| f["suppression"] == json!({"kind": "baseline"}))
        .count();
    assert_eq!(baselined, entries.len());
}
