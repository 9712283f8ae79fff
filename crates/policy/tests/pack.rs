//! The built-in pack's own checks: every Rego unit test passes, every rule has tests on
//! both sides of its verdict, and every finding a rule can report has metadata. Pack
//! authors run `cargo nextest run -p terrane-policy --test pack`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use terrane_policy::{PackRule, PolicySource, TestCase, TestOutcome, load_policy_dir};

/// The pack's files on disk, named from the repository root, without the helper
/// library, which the runner loads itself.
fn pack_sources() -> Vec<PolicySource> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let sources = load_policy_dir(&root).expect("the pack directory is readable");
    sources
        .into_iter()
        .filter_map(|source| {
            let relative = source.path.strip_prefix(&root).ok()?.to_owned();
            let library = relative.starts_with("lib");
            (!library).then(|| PolicySource::new(Path::new("policies").join(relative), source.text))
        })
        .collect()
}

fn rule_files(sources: &[PolicySource]) -> Vec<PolicySource> {
    sources.iter().filter(|source| !source.is_test()).cloned().collect()
}

fn describe(test: &TestCase) -> String {
    let why = match &test.outcome {
        TestOutcome::Passed => "passed".to_owned(),
        TestOutcome::Failed { value } => format!("evaluated to {value}"),
        TestOutcome::Undefined => "undefined (a condition of its body did not hold)".to_owned(),
        TestOutcome::Error { message } => format!("error: {message}"),
    };
    format!("{}: {}.{}: {why}", test.file.display(), test.package, test.name)
}

#[test]
fn every_rego_test_passes() {
    let report = terrane_policy::run_tests(&pack_sources()).unwrap_or_else(|error| {
        panic!("the pack does not compile: {error}");
    });

    let failures: Vec<String> = report.failures().map(describe).collect();
    assert!(
        failures.is_empty(),
        "{} of {} pack tests failed:\n{}",
        failures.len(),
        report.tests.len(),
        failures.join("\n")
    );
}

/// The words that mark a test of an input the rule must report.
const FIRING_WORDS: [&str; 3] = ["fires", "fire", "undecided"];

/// The words that mark a test of an input the rule must accept.
const PASSING_WORDS: [&str; 2] = ["passes", "pass"];

#[test]
fn every_rule_has_a_firing_and_a_passing_test() {
    let sources = pack_sources();
    let rules = terrane_policy::read_pack_rules(&rule_files(&sources))
        .unwrap_or_else(|error| panic!("the pack's metadata is invalid: {error}"));
    let report = terrane_policy::run_tests(&sources)
        .unwrap_or_else(|error| panic!("the pack does not compile: {error}"));

    let mut missing = Vec::new();
    for rule in &rules {
        let prefix = format!("test_{}_", rule.meta.id.to_ascii_lowercase().replace('-', "_"));
        let words_of = |test: &&TestCase| -> BTreeSet<String> {
            test.name[prefix.len()..].split('_').map(str::to_owned).collect()
        };
        let tests: Vec<BTreeSet<String>> = report
            .tests
            .iter()
            .filter(|test| test.name.starts_with(&prefix))
            .map(|t| words_of(&t))
            .collect();
        let has = |words: &[&str]| tests.iter().any(|test| words.iter().any(|w| test.contains(*w)));
        if !has(&FIRING_WORDS) {
            missing.push(format!(
                "{}: {}: no `{prefix}..._fires` test",
                rule.path.display(),
                rule.meta.id
            ));
        }
        if !has(&PASSING_WORDS) {
            missing.push(format!(
                "{}: {}: no `{prefix}..._passes` test",
                rule.path.display(),
                rule.meta.id
            ));
        }
    }
    assert!(missing.is_empty(), "rules without tests on both sides:\n{}", missing.join("\n"));
}

#[test]
fn every_reported_rule_id_has_metadata() {
    let sources = rule_files(&pack_sources());
    let rules = terrane_policy::read_pack_rules(&sources)
        .unwrap_or_else(|error| panic!("the pack's metadata is invalid: {error}"));
    let known: BTreeSet<&str> = rules.iter().map(|rule: &PackRule| rule.meta.id.as_str()).collect();

    let mut unknown: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for source in &sources {
        for id in reported_ids(&source.text) {
            if !known.contains(id.as_str()) {
                unknown.entry(source.path.clone()).or_default().push(id);
            }
        }
    }
    assert!(unknown.is_empty(), "rule ids reported without metadata: {unknown:#?}");
}

/// The literal rule ids passed to `lib.finding` and `lib.undecided_finding`.
fn reported_ids(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for call in ["finding(\"", "undecided_finding(\""] {
        for (at, _) in text.match_indices(call) {
            let rest = &text[at + call.len()..];
            if let Some(end) = rest.find('"') {
                ids.push(rest[..end].to_owned());
            }
        }
    }
    ids
}
