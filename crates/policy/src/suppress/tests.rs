//! Table-driven tests of suppressions: inline comments, waiver tags, baselines and their
//! precedence.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use terrane_estate::{
    Cloud, Estate, InlineIgnore, InputKind, Mode, RegionOrigin, ResolvedRegion, Resource,
    SourceLocation,
};

use super::*;

const INPUT: &str = "infra";
const ADDRESS: &str = "aws_s3_bucket.logs";
const RULE: &str = "TRN-AWS-S3-001";

fn today() -> Date {
    Date::new(2026, 12, 3).expect("a valid test date")
}

fn location(line: u32) -> SourceLocation {
    SourceLocation { file: PathBuf::from("main.tf"), line: Some(line), column: Some(1) }
}

fn resource(ignores: &[(&str, &str)], tags: &[(&str, &str)]) -> Resource {
    Resource {
        address: ADDRESS.to_owned(),
        mode: Mode::Managed,
        resource_type: "aws_s3_bucket".to_owned(),
        name: "logs".to_owned(),
        cloud: Cloud::Aws,
        provider: "aws".to_owned(),
        region: Some(ResolvedRegion {
            value: "eu-west-1".to_owned(),
            origin: RegionOrigin::Provider("aws".to_owned()),
        }),
        attributes: serde_json::Map::new(),
        unknown: Vec::new(),
        tags: tags
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<BTreeMap<_, _>>(),
        relations: Vec::new(),
        source: Some(location(3)),
        ignores: ignores
            .iter()
            .map(|(rule_id, reason)| InlineIgnore {
                rule_id: (*rule_id).to_owned(),
                reason: (*reason).to_owned(),
                source: location(2),
            })
            .collect(),
    }
}

fn estate(resource: Resource) -> Estate {
    Estate {
        kind: InputKind::Hcl,
        origin: PathBuf::from(INPUT),
        resources: vec![resource],
        diagnostics: Vec::new(),
    }
}

fn finding(rule_id: &str) -> Finding {
    Finding {
        rule_id: rule_id.to_owned(),
        severity: Severity::High,
        kind: FindingKind::Violation,
        resource: ADDRESS.to_owned(),
        resource_type: Some("aws_s3_bucket".to_owned()),
        region: Some("eu-west-1".to_owned()),
        message: "bucket replicates outside the jurisdiction".to_owned(),
        input: PathBuf::from(INPUT),
        source: Some(location(3)),
        suppression: None,
    }
}

fn baseline_of(findings: &[Finding]) -> Baseline {
    Baseline::parse(Path::new("baseline.json"), &Baseline::from_findings(findings))
        .expect("a written baseline parses")
}

/// One case: the resource's comments and tags, whether a baseline accepts the finding, and
/// the suppression, added waiver findings (rule and message) and problems expected.
struct Case {
    name: &'static str,
    ignores: &'static [(&'static str, &'static str)],
    tags: &'static [(&'static str, &'static str)],
    in_baseline: bool,
    suppression: Option<Suppression>,
    added: &'static [(&'static str, &'static str)],
    problems: &'static [&'static str],
}

fn check(case: &Case) {
    let estates = [estate(resource(case.ignores, case.tags))];
    let baseline = case.in_baseline.then(|| baseline_of(&[finding(RULE)]));
    let mut findings = vec![finding(RULE)];

    let problems = apply_suppressions(&mut findings, &estates, today(), baseline.as_ref());

    let (first, added) = findings.split_first().expect("the original finding stays first");
    assert_eq!(first.suppression, case.suppression, "{}: suppression", case.name);
    let added: Vec<(&str, &str)> =
        added.iter().map(|f| (f.rule_id.as_str(), f.message.as_str())).collect();
    assert_eq!(added, case.added, "{}: added findings", case.name);
    assert!(
        findings.iter().skip(1).all(|f| f.suppression.is_none()
            && f.severity == Severity::High
            && f.kind == FindingKind::Violation
            && f.resource == ADDRESS
            && f.input == Path::new(INPUT)),
        "{}: waiver findings are unsuppressed high violations on the resource",
        case.name
    );
    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems, case.problems, "{}: problems", case.name);
}

fn inline(reason: &str) -> Option<Suppression> {
    Some(Suppression::Inline { reason: reason.to_owned() })
}

fn tag(expires: Option<&str>) -> Option<Suppression> {
    Some(Suppression::Tag { expires: expires.map(str::to_owned) })
}

#[test]
fn suppresses_findings_from_comments_tags_and_baselines() {
    let cases = [
        Case {
            name: "nothing applies",
            ignores: &[],
            tags: &[("owner", "team-a")],
            in_baseline: false,
            suppression: None,
            added: &[],
            problems: &[],
        },
        Case {
            name: "inline ignore with reason",
            ignores: &[(RULE, " replication is to a DR site in the EU ")],
            tags: &[],
            in_baseline: false,
            suppression: inline("replication is to a DR site in the EU"),
            added: &[],
            problems: &[],
        },
        Case {
            name: "inline ignore matches without regard to case",
            ignores: &[("trn-aws-s3-001", "accepted")],
            tags: &[],
            in_baseline: false,
            suppression: inline("accepted"),
            added: &[],
            problems: &[],
        },
        Case {
            name: "inline ignore of another rule",
            ignores: &[("TRN-AWS-KEY-002", "accepted")],
            tags: &[],
            in_baseline: false,
            suppression: None,
            added: &[],
            problems: &[],
        },
        Case {
            name: "inline ignore without reason",
            ignores: &[(RULE, "  ")],
            tags: &[],
            in_baseline: false,
            suppression: None,
            added: &[],
            problems: &["suppression of `TRN-AWS-S3-001` on `aws_s3_bucket.logs` has no reason"],
        },
        Case {
            name: "permanent waiver tag",
            ignores: &[],
            tags: &[(WAIVER_TAG, "TRN-AWS-KEY-002,TRN-AWS-S3-001")],
            in_baseline: false,
            suppression: tag(None),
            added: &[],
            problems: &[],
        },
        Case {
            name: "waiver tag valid through its expiry day",
            ignores: &[],
            tags: &[(WAIVER_TAG, "TRN-AWS-S3-001:2026-12-03")],
            in_baseline: false,
            suppression: tag(Some("2026-12-03")),
            added: &[],
            problems: &[],
        },
        Case {
            name: "waiver tag with one date for all rules and + separators",
            ignores: &[],
            tags: &[(WAIVER_TAG, "TRN-AWS-KEY-002+TRN-AWS-S3-001+2027-01-31")],
            in_baseline: false,
            suppression: tag(Some("2027-01-31")),
            added: &[],
            problems: &[],
        },
        Case {
            name: "waiver label on a Google-style resource",
            ignores: &[],
            tags: &[(WAIVER_LABEL, "trn-aws-s3-001_2027-01-31")],
            in_baseline: false,
            suppression: tag(Some("2027-01-31")),
            added: &[],
            problems: &[],
        },
        Case {
            name: "expired waiver tag",
            ignores: &[],
            tags: &[(WAIVER_TAG, "TRN-AWS-S3-001:2026-12-02")],
            in_baseline: false,
            suppression: None,
            added: &[(
                EXPIRED_WAIVER_RULE,
                "waiver for `TRN-AWS-S3-001` expired on 2026-12-02 and no longer suppresses it",
            )],
            problems: &[],
        },
        Case {
            name: "expired waiver of a rule that no longer fires still fails",
            ignores: &[],
            tags: &[(WAIVER_TAG, "TRN-AWS-KEY-002:2026-01-31")],
            in_baseline: false,
            suppression: None,
            added: &[(
                EXPIRED_WAIVER_RULE,
                "waiver for `TRN-AWS-KEY-002` expired on 2026-01-31 and no longer suppresses it",
            )],
            problems: &[],
        },
        Case {
            name: "one expired and one valid waiver in a tag",
            ignores: &[],
            tags: &[(WAIVER_TAG, "TRN-AWS-KEY-002:2026-01-31 TRN-AWS-S3-001:2027-01-31")],
            in_baseline: false,
            suppression: tag(Some("2027-01-31")),
            added: &[(
                EXPIRED_WAIVER_RULE,
                "waiver for `TRN-AWS-KEY-002` expired on 2026-01-31 and no longer suppresses it",
            )],
            problems: &[],
        },
        Case {
            name: "malformed waiver tag suppresses nothing",
            ignores: &[],
            tags: &[(WAIVER_TAG, "TRN-AWS-S3-001:31/01/2027")],
            in_baseline: false,
            suppression: None,
            added: &[(
                MALFORMED_WAIVER_RULE,
                "waiver tag `terrane:ignore` = `TRN-AWS-S3-001:31/01/2027` cannot be read: \
                 invalid date `31/01/2027` (expected an existing day written as YYYY-MM-DD)",
            )],
            problems: &[],
        },
        Case {
            name: "expired waiver falls back to the baseline",
            ignores: &[],
            tags: &[(WAIVER_TAG, "TRN-AWS-S3-001:2026-12-02")],
            in_baseline: true,
            suppression: Some(Suppression::Baseline),
            added: &[(
                EXPIRED_WAIVER_RULE,
                "waiver for `TRN-AWS-S3-001` expired on 2026-12-02 and no longer suppresses it",
            )],
            problems: &[],
        },
        Case {
            name: "baseline",
            ignores: &[],
            tags: &[],
            in_baseline: true,
            suppression: Some(Suppression::Baseline),
            added: &[],
            problems: &[],
        },
        Case {
            name: "inline ignore wins over tag and baseline",
            ignores: &[(RULE, "accepted")],
            tags: &[(WAIVER_TAG, RULE)],
            in_baseline: true,
            suppression: inline("accepted"),
            added: &[],
            problems: &[],
        },
        Case {
            name: "tag wins over baseline",
            ignores: &[],
            tags: &[(WAIVER_TAG, RULE)],
            in_baseline: true,
            suppression: tag(None),
            added: &[],
            problems: &[],
        },
    ];
    for case in &cases {
        check(case);
    }
}

#[test]
fn matches_resources_by_input_and_address() {
    let estates = [estate(resource(&[(RULE, "accepted")], &[]))];
    let mut other_input = finding(RULE);
    other_input.input = PathBuf::from("other");
    let mut other_resource = finding(RULE);
    other_resource.resource = "aws_s3_bucket.other".to_owned();
    let mut findings = vec![other_input, other_resource];

    apply_suppressions(&mut findings, &estates, today(), None);

    assert!(findings.iter().all(|finding| finding.suppression.is_none()));
}

#[test]
fn keeps_suppressions_set_before() {
    let estates = [estate(resource(&[(RULE, "accepted")], &[]))];
    let mut findings = vec![finding(RULE)];
    findings[0].suppression = Some(Suppression::Baseline);

    apply_suppressions(&mut findings, &estates, today(), None);

    assert_eq!(findings[0].suppression, Some(Suppression::Baseline));
}

#[test]
fn reports_baseline_entries_that_match_no_finding() {
    let fixed = finding("TRN-AWS-KEY-002");
    let baseline = baseline_of(&[finding(RULE), fixed]);
    let mut findings = vec![finding(RULE)];

    let problems = apply_suppressions(&mut findings, &[], today(), Some(&baseline));

    assert_eq!(findings[0].suppression, Some(Suppression::Baseline));
    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "baseline entry for `TRN-AWS-KEY-002` on `aws_s3_bucket.logs` in `infra` matches no finding"
        ]
    );
}

#[test]
fn writes_baselines_of_the_findings_that_count() {
    let mut inline_suppressed = finding("TRN-AWS-KEY-002");
    inline_suppressed.suppression = inline("accepted");
    let mut baselined = finding("TRN-AWS-LOG-003");
    baselined.suppression = Some(Suppression::Baseline);
    let mut waiver = finding(EXPIRED_WAIVER_RULE);
    waiver.message = "waiver expired".to_owned();
    let findings = [finding(RULE), inline_suppressed, baselined, waiver, finding(RULE)];

    let text = Baseline::from_findings(&findings);

    insta::assert_snapshot!(text, @r#"
    {
      "schema": "terrane.baseline/v1",
      "findings": [
        {
          "fingerprint": "TRN-AWS-LOG-003|aws_s3_bucket.logs|infra",
          "rule_id": "TRN-AWS-LOG-003",
          "resource": "aws_s3_bucket.logs",
          "input": "infra"
        },
        {
          "fingerprint": "TRN-AWS-S3-001|aws_s3_bucket.logs|infra",
          "rule_id": "TRN-AWS-S3-001",
          "resource": "aws_s3_bucket.logs",
          "input": "infra"
        }
      ]
    }
    "#);
    let baseline = Baseline::parse(Path::new("b.json"), &text).expect("a written baseline parses");
    assert!(baseline.contains(&finding(RULE)));
    assert!(!baseline.contains(&finding("TRN-AWS-KEY-002")));
}

#[test]
fn rejects_invalid_baselines_naming_file_line_and_column() {
    let cases = [
        ("", "1:0 invalid baseline `b.json`: EOF while parsing a value at line 1 column 0"),
        (
            "{\"schema\": \"terrane.baseline/v2\", \"findings\": []}",
            "1:32 invalid baseline `b.json`: unknown variant `terrane.baseline/v2`, \
             expected `terrane.baseline/v1` at line 1 column 32",
        ),
        (
            "{\n  \"schema\": \"terrane.baseline/v1\",\n  \"findings\": [\n    {\"fingerprint\": \"x\"}\n  ]\n}",
            "4:24 invalid baseline `b.json`: missing field `rule_id` at line 4 column 24",
        ),
        (
            "{\"schema\": \"terrane.baseline/v1\", \"findings\": [], \"extra\": 1}",
            "1:57 invalid baseline `b.json`: unknown field `extra`, expected \
             `schema` or `findings` at line 1 column 57",
        ),
        (
            "{\"findings\": []}",
            "1:16 invalid baseline `b.json`: missing field `schema` at line 1 column 16",
        ),
    ];
    let chains: Vec<String> = cases
        .iter()
        .map(|(text, _)| {
            let error =
                Baseline::parse(Path::new("b.json"), text).expect_err("the baseline is invalid");
            let source = std::error::Error::source(&error).map(ToString::to_string);
            format!("{}:{} {error}: {}", error.line, error.column, source.unwrap_or_default())
        })
        .collect();
    let expected: Vec<&str> = cases.iter().map(|(_, expected)| *expected).collect();
    assert_eq!(chains, expected);
}

#[test]
fn describes_the_waiver_rules() {
    let rules = waiver_rules();
    let ids: Vec<&str> = rules.iter().map(|rule| rule.id.as_str()).collect();
    assert_eq!(ids, [EXPIRED_WAIVER_RULE, MALFORMED_WAIVER_RULE]);
    assert!(
        rules.iter().all(|rule| rule.severity == Severity::High && !rule.remediation.is_empty())
    );
}
