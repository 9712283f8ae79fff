//! `terrane policy`: the pack's rule list, one rule's details, Rego unit tests and the
//! generated rule reference.

use crate::{argument, terrane};

#[test]
fn list_shows_every_rule_of_the_pack() {
    let run = terrane(&["policy", "list"]);

    run.assert_code(0, &["policy", "list"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let (total, rules) = lines.split_last().expect("the list ends with a count");
    assert_eq!(*total, format!("{} rules", rules.len()));
    assert!(rules.len() >= 80, "only {} rules", rules.len());
    assert!(rules.iter().all(|line| line.starts_with("TRN-")), "{}", run.stdout);
    assert!(rules.iter().any(|line| line.starts_with("TRN-AWS-RES-001 ")));

    let json = terrane(&["policy", "list", "--format", "json"]).json();
    assert_eq!(json.as_array().map(Vec::len), Some(rules.len()));
}

#[test]
fn show_describes_one_rule_whatever_the_case_of_its_id() {
    for id in ["TRN-AWS-RES-001", "trn-aws-res-001"] {
        let run = terrane(&["policy", "show", id]);

        run.assert_code(0, &["policy", "show", id]);
        let lines: Vec<&str> = run.stdout.lines().collect();
        let heading = [
            "TRN-AWS-RES-001 — AWS resource in a region inside the jurisdiction",
            "severity:       critical",
        ];
        assert_eq!(lines.get(..2), Some(&heading[..]), "{}", run.stdout);
        assert!(
            lines.contains(
                &"defined in:     policies/aws/residency.rego (terrane.pack.aws.residency)"
            ),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("\nremediation: "), "{}", run.stdout);
    }
}

#[test]
fn show_refuses_an_unknown_rule() {
    let run = terrane(&["policy", "show", "TRN-AWS-NOPE-001"]);

    run.assert_code(2, &["policy", "show", "TRN-AWS-NOPE-001"]);
    assert_eq!(run.stderr, "error: unknown rule `TRN-AWS-NOPE-001` (see `terrane policy list`)\n");
}

#[test]
fn test_passes_on_the_tests_of_the_pack() {
    let run = terrane(&["policy", "test", "policies"]);

    run.assert_code(0, &["policy", "test", "policies"]);
    let summary = run.stdout.lines().last().unwrap_or_default();
    assert!(summary.ends_with(" passed, 0 failed"), "{}", run.stdout);
}

#[test]
fn test_fails_and_names_a_failing_test() {
    let args = ["policy", "test", "crates/cli/tests/fixtures/policies/failing_test"];
    let run = terrane(&args);

    run.assert_code(1, &args);
    insta::assert_snapshot!(run.stdout, @r"
    FAIL crates/cli/tests/fixtures/policies/failing_test/names_test.rego: names_test.test_unprefixed_bucket_fires (undefined)
    1 passed, 1 failed
    ");
}

#[test]
fn docs_check_accepts_the_committed_reference_and_refuses_a_stale_one() {
    let run = terrane(&["policy", "docs", "--check", "docs/src/rules.md"]);
    run.assert_code(0, &["policy", "docs", "--check", "docs/src/rules.md"]);

    let dir = tempfile::tempdir().expect("a temporary directory");
    let stale = dir.path().join("rules.md");
    let current = std::fs::read_to_string(crate::repository_root().join("docs/src/rules.md"))
        .expect("the rule reference is readable");
    std::fs::write(&stale, current.replace("critical", "low")).expect("the copy is written");
    let args = ["policy", "docs", "--check", argument(&stale)];
    let run = terrane(&args);

    run.assert_code(2, &args);
    assert!(
        run.stderr.contains("is out of date; run `terrane policy docs --output "),
        "{}",
        run.stderr
    );
}
