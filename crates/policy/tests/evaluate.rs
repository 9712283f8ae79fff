//! Evaluation of estates through the public API: the pack's findings, user policies in
//! the manner of conftest, diagnostics, external data and compile errors.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use serde_json::json;
use terrane_catalog::Catalog;
use terrane_estate::{
    Cloud, Diagnostic, DiagnosticKind, Estate, InputKind, Mode, RegionOrigin, Relation,
    RelationKind, ResolvedRegion, Resource, SourceLocation,
};
use terrane_policy::{
    Evaluation, Evaluator, EvaluatorBuilder, FindingKind, Namespaces, PolicyError, PolicySource,
    Severity,
};

fn resource(address: &str, region: Option<&str>, attributes: serde_json::Value) -> Resource {
    let (resource_type, name) = address.rsplit_once('.').expect("type.name address");
    let resource_type = resource_type.rsplit('.').next().expect("type").to_owned();
    Resource {
        address: address.to_owned(),
        mode: Mode::Managed,
        cloud: Cloud::from_resource_type(&resource_type),
        resource_type,
        name: name.to_owned(),
        provider: "aws".to_owned(),
        region: region.map(|value| ResolvedRegion {
            value: value.to_owned(),
            origin: RegionOrigin::Provider("aws".to_owned()),
        }),
        attributes: attributes.as_object().cloned().unwrap_or_default(),
        unknown: Vec::new(),
        tags: Default::default(),
        relations: Vec::new(),
        source: Some(SourceLocation { file: "main.tf".into(), line: Some(3), column: Some(1) }),
        ignores: Vec::new(),
    }
}

fn estate(resources: Vec<Resource>) -> Estate {
    Estate {
        kind: InputKind::Plan,
        origin: PathBuf::from("plan.json"),
        resources,
        diagnostics: Vec::new(),
    }
}

fn builder() -> EvaluatorBuilder {
    Evaluator::builder(Catalog::builtin(), "EU")
}

/// A pack-shaped rule file: buckets outside the jurisdiction are reported, and buckets
/// whose region cannot be decided are undecided.
const RESIDENCY_PACK: &str = r#"
package terrane.pack.test.residency

import rego.v1

import data.terrane.lib

rules["TRN-AWS-RES-901"] := {
	"title": "Buckets stay in the jurisdiction",
	"severity": "critical",
	"description": "Buckets hold data.",
	"remediation": "Move the bucket.",
	"resource_types": ["aws_s3_bucket"],
	"controls": ["C5:PSS-12"],
	"modes": ["plan"],
}

deny contains f if {
	some r in lib.resources("aws_s3_bucket")
	lib.outside(r.location)
	f := lib.finding("TRN-AWS-RES-901", r, sprintf("bucket is in %s", [r.location.region]))
}

deny contains f if {
	some r in lib.resources("aws_s3_bucket")
	lib.undecided(r.location)
	f := lib.undecided_finding("TRN-AWS-RES-901", r, r.location.reason)
}
"#;

/// A second package that reads external data and other resources' relations.
const KEYS_PACK: &str = r#"
package terrane.pack.test.keys

import rego.v1

import data.terrane.lib

rules["TRN-AWS-KEY-901"] := {
	"title": "Bucket keys are in the jurisdiction",
	"severity": "medium",
	"description": "Keys decide who reads data.",
	"remediation": "Use a key in the jurisdiction.",
	"resource_types": ["aws_s3_bucket"],
	"controls": ["C5:CRY-04"],
	"modes": ["plan", "state"],
}

deny contains f if {
	some r in lib.resources("aws_s3_bucket")
	some rel in lib.relations(r, "encryption_key")
	rel.target_location.status != "inside"
	f := lib.finding("TRN-AWS-KEY-901", r, sprintf("key %s is %s (budget %v)", [rel.target, rel.target_location.status, data.terrane.budgets.limit]))
}
"#;

fn test_pack() -> Vec<PolicySource> {
    vec![
        PolicySource::new("policies/test/residency.rego", RESIDENCY_PACK),
        PolicySource::new("policies/test/keys.rego", KEYS_PACK),
    ]
}

fn evaluate(builder: EvaluatorBuilder, estate: &Estate) -> Evaluation {
    builder.build().expect("policies compile").evaluate(estate).expect("evaluation succeeds")
}

fn summary(evaluation: &Evaluation) -> Vec<String> {
    evaluation
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {} {:?}: {}",
                f.rule_id,
                f.kind.as_str(),
                f.severity,
                f.resource,
                f.region.as_deref(),
                f.message
            )
        })
        .collect()
}

fn sample_estate() -> Estate {
    let mut bucket = resource("aws_s3_bucket.eu", Some("eu-central-1"), json!({"bucket": "eu"}));
    bucket.relations.push(Relation {
        kind: RelationKind::EncryptionKey,
        attribute: "kms_master_key_id".to_owned(),
        target: "aws_kms_key.us".to_owned(),
    });
    let mut foreign = resource("aws_s3_bucket.us", Some("us-east-1a"), json!({}));
    foreign.relations.push(Relation {
        kind: RelationKind::EncryptionKey,
        attribute: "kms_master_key_id".to_owned(),
        target: "arn:aws:kms:eu-west-1:111122223333:key/abc".to_owned(),
    });
    let mut estate = estate(vec![
        bucket,
        foreign,
        resource("aws_s3_bucket.nowhere", None, json!({})),
        resource("aws_kms_key.us", Some("us-west-2"), json!({})),
    ]);
    estate.diagnostics.push(Diagnostic {
        kind: DiagnosticKind::RemoteModule,
        address: Some("module.vpc".to_owned()),
        message: "module `vpc` comes from the registry and was not read".to_owned(),
        source: Some(SourceLocation { file: "main.tf".into(), line: Some(20), column: None }),
    });
    estate
}

#[test]
fn reports_pack_findings_with_metadata_severity_and_diagnostics() {
    let evaluation = evaluate(
        builder().pack(test_pack()).data(json!({"budgets": {"limit": 10}})),
        &sample_estate(),
    );

    assert_eq!(
        summary(&evaluation),
        [
            "TRN-AWS-KEY-901 violation medium aws_s3_bucket.eu Some(\"eu-central-1\"): \
             key aws_kms_key.us is outside (budget 10)",
            "TRN-AWS-RES-901 violation critical aws_s3_bucket.us Some(\"us-east-1\"): \
             bucket is in us-east-1",
            "TRN-AWS-RES-901 undecided critical aws_s3_bucket.nowhere None: no region found",
            "TRN-ALL-EVAL-001 undecided high module.vpc None: \
             module `vpc` comes from the registry and was not read",
        ]
    );
    let bucket = &evaluation.findings[0];
    assert_eq!(bucket.resource_type.as_deref(), Some("aws_s3_bucket"));
    assert_eq!(bucket.input, PathBuf::from("plan.json"));
    assert_eq!(bucket.source.as_ref().and_then(|source| source.line), Some(3));
    assert_eq!(evaluation.findings[3].source.as_ref().and_then(|source| source.line), Some(20));
    assert!(evaluation.rules.contains_key("TRN-AWS-RES-901"));
    assert_eq!(evaluation.rules["TRN-ALL-EVAL-001"].title, "configuration not evaluated");
}

#[test]
fn threads_do_not_change_the_findings() {
    let estate = sample_estate();
    let data = json!({"budgets": {"limit": 10}});
    let one = evaluate(
        builder().pack(test_pack()).data(data.clone()).threads(NonZeroUsize::MIN),
        &estate,
    );
    let four = evaluate(
        builder().pack(test_pack()).data(data).threads(NonZeroUsize::new(4).expect("non-zero")),
        &estate,
    );
    assert_eq!(one, four);
}

#[test]
fn user_policies_see_the_raw_document_and_the_estate() {
    let v1 = PolicySource::new(
        "policy/v1.rego",
        r#"package main
import rego.v1
deny contains msg if {
	some r in input.resource_changes
	r.change.actions[_] == "delete"
	msg := sprintf("%s is deleted", [r.address])
}
warn contains {"msg": "buckets counted", "severity": "medium", "address": "aws_s3_bucket.eu"} if {
	count(data.terrane.estate.by_type.aws_s3_bucket) == 3
}
"#,
    );
    let v0 = PolicySource::new(
        "policy/v0.rego",
        r#"package main
violation[{"msg": msg}] {
	input.format_version != "1.2"
	msg := "unexpected format"
}
deny_no_budget[msg] {
	not data.terrane.budgets
	msg := "no budget"
}
"#,
    );
    let document = json!({
        "format_version": "1.0",
        "resource_changes": [{"address": "aws_s3_bucket.old", "change": {"actions": ["delete"]}}],
    });

    let evaluator = builder().without_pack().policies([v1, v0]).build().expect("policies compile");
    let evaluation = evaluator.evaluate_document(&sample_estate(), &document).expect("evaluates");

    assert_eq!(
        summary(&evaluation),
        [
            "main.warn warning medium aws_s3_bucket.eu Some(\"eu-central-1\"): buckets counted",
            "TRN-ALL-EVAL-001 undecided high module.vpc None: \
             module `vpc` comes from the registry and was not read",
            "main.deny violation high plan.json None: aws_s3_bucket.old is deleted",
            "main.deny_no_budget violation high plan.json None: no budget",
            "main.violation violation high plan.json None: unexpected format",
        ]
    );
    assert_eq!(evaluation.rules["main.warn"].severity, Severity::Low);
}

#[test]
fn namespaces_choose_the_packages() {
    let sources = [
        PolicySource::new(
            "a.rego",
            "package main\nimport rego.v1\ndeny contains \"main\" if true\n",
        ),
        PolicySource::new(
            "b.rego",
            "package team.s3\nimport rego.v1\nwarn contains \"team\" if true\n",
        ),
    ];
    let messages = |namespaces: Namespaces| -> Vec<(String, FindingKind)> {
        let builder = builder().without_pack().policies(sources.clone()).namespaces(namespaces);
        evaluate(builder, &estate(Vec::new()))
            .findings
            .into_iter()
            .map(|finding| (finding.message, finding.kind))
            .collect()
    };

    assert_eq!(messages(Namespaces::default()), [("main".to_owned(), FindingKind::Violation)]);
    assert_eq!(
        messages(Namespaces::Only(vec!["team.s3".to_owned()])),
        [("team".to_owned(), FindingKind::Warning)]
    );
    assert_eq!(messages(Namespaces::All).len(), 2);
}

#[test]
fn locates_values_with_the_configured_catalog() {
    let toml = "[[jurisdiction]]\nid = \"DE-ONLY\"\ncountries = [\"DE\"]\n";
    let catalog = Catalog::builtin()
        .with_jurisdictions_toml("j.toml".as_ref(), toml)
        .expect("valid jurisdiction");
    let policy = PolicySource::new(
        "locate.rego",
        r#"package main
import rego.v1
deny contains sprintf("%s %s %s", [v, l.status, l.region]) if {
	some v in ["eu-central-1", "eu-west-1a", "arn:aws:kms:us-east-1:111122223333:key/k"]
	l := terrane.locate(data.terrane.estate.jurisdiction.id, "aws", v)
}
deny contains sprintf("%v: %s", [v, l.reason]) if {
	some v in [null, 7]
	l := terrane.locate("DE-ONLY", "aws", v)
	l.status == "unknown"
}
deny contains l.reason if {
	l := terrane.locate("MARS", "aws", "eu-central-1")
}
"#,
    );

    let evaluator = Evaluator::builder(catalog, "de-only")
        .without_pack()
        .policies([policy])
        .build()
        .expect("policy compiles");
    let evaluation = evaluator.evaluate(&estate(Vec::new())).expect("evaluates");
    let mut messages: Vec<String> =
        evaluation.findings.into_iter().map(|finding| finding.message).collect();
    messages.sort();

    assert_eq!(
        messages,
        [
            "7: no location value",
            "arn:aws:kms:us-east-1:111122223333:key/k outside us-east-1",
            "eu-central-1 inside eu-central-1",
            "eu-west-1a outside eu-west-1",
            "null: no location value",
            "unknown jurisdiction `MARS`",
        ]
    );
}

#[test]
fn compile_errors_name_file_line_and_column() {
    let check = |text: &str, expected: (u32, u32)| {
        let source = PolicySource::new("policy/bad.rego", text);
        let error = builder().without_pack().policies([source]).build().expect_err("bad policy");
        let PolicyError::Compile { path, line, column, message } = &error else {
            panic!("not a compile error: {error:?}");
        };
        assert_eq!(path, &PathBuf::from("policy/bad.rego"), "{error}");
        assert_eq!((*line, *column), expected, "{error}");
        assert!(!message.is_empty() && !message.contains('\n'), "{message:?}");
    };

    check("package main\nimport rego.v1\n\ndeny contains msg if {\n\tmsg := \n}\n", (5, 9));
    check("package main\n\ndeny[msg] {\n\tmsg := concat(\",\" [input.x])\n}\n", (3, 11));
    check("package main\nimport rego.v1\ndeny contains x if {\n\tx := t\n\tt := 1\n}\n", (4, 10));
}

#[test]
fn refuses_malformed_results_and_reserved_data() {
    let policy =
        PolicySource::new("p.rego", "package main\nimport rego.v1\ndeny contains 42 if true\n");
    let evaluator = builder().without_pack().policies([policy]).build().expect("compiles");
    let error = evaluator.evaluate(&estate(Vec::new())).expect_err("a number is no result");
    assert!(matches!(error, PolicyError::MalformedResult { .. }), "{error}");

    let error = builder().data(json!({"estate": 1})).build().expect_err("reserved key");
    assert_eq!(
        error.to_string(),
        "cannot add external data: `data.terrane.estate` is reserved for the engine"
    );
    let error = builder().data(json!([1])).build().expect_err("not an object");
    assert!(matches!(error, PolicyError::Data { .. }), "{error}");
}

#[test]
fn invalid_pack_metadata_names_the_file_and_rule() {
    let check = |metadata: &str, expected: &str| {
        let text = format!(
            "package terrane.pack.test.bad\nimport rego.v1\nrules[\"TRN-AWS-BAD-001\"] := {metadata}\n"
        );
        let error = builder()
            .pack([PolicySource::new("policies/test/bad.rego", text)])
            .build()
            .expect_err("invalid metadata");
        assert_eq!(error.to_string(), expected);
    };
    let valid = r#"{"title": "t", "severity": "high", "description": "d", "remediation": "r", "resource_types": ["*"], "controls": ["c"], "modes": ["plan"]"#;

    check(
        &format!("{valid}, \"severity\": \"urgent\"}}").replace("\"severity\": \"high\", ", ""),
        "`policies/test/bad.rego`: rule `TRN-AWS-BAD-001`: unknown severity `urgent` \
         (expected info, low, medium, high or critical)",
    );
    check(
        &format!("{valid}, \"title\": \"\"}}").replace("\"title\": \"t\", ", ""),
        "`policies/test/bad.rego`: rule `TRN-AWS-BAD-001`: `title` is empty",
    );
    check(
        &format!("{valid}, \"controls\": []}}").replace("\"controls\": [\"c\"], ", ""),
        "`policies/test/bad.rego`: rule `TRN-AWS-BAD-001`: `controls` is empty",
    );
    check(
        &format!("{valid}}}").replace("\"remediation\": \"r\", ", ""),
        "`policies/test/bad.rego`: rule `TRN-AWS-BAD-001`: `remediation` is missing",
    );
    check(
        &format!("{valid}, \"remedy\": \"r\"}}"),
        "`policies/test/bad.rego`: rule `TRN-AWS-BAD-001`: unknown metadata key \"remedy\" \
         (expected id, title, severity, description, remediation, resource_types, controls, modes)",
    );
}

#[test]
fn refuses_findings_of_rules_without_metadata() {
    let text = "package terrane.pack.test.orphan\nimport rego.v1\nimport data.terrane.lib\n\
                deny contains lib.finding(\"TRN-AWS-ORP-001\", r, \"m\") if some r in input.resources\n";
    let evaluator = builder()
        .pack([PolicySource::new("policies/test/orphan.rego", text)])
        .build()
        .expect("compiles");
    let error = evaluator
        .evaluate(&estate(vec![resource("aws_s3_bucket.b", Some("eu-west-1"), json!({}))]))
        .expect_err("unknown rule id");
    assert_eq!(
        error.to_string(),
        "rule `terrane.pack.test.orphan.deny` reported a finding for `TRN-AWS-ORP-001`, \
         which has no metadata"
    );
}

#[test]
fn evaluates_many_packages_in_one_query() {
    // Regression: the query naming every package once ran past the parser's column limit.
    let packages: Vec<PolicySource> = (0..60)
        .map(|n| {
            let text = format!(
                "package terrane.pack.test.theme_with_a_long_name_{n}\nimport rego.v1\n\
                 import data.terrane.lib\n\
                 rules[\"TRN-ALL-MANY-{n:03}\"] := {{\"title\": \"t\", \"severity\": \"low\", \
                 \"description\": \"d\", \"remediation\": \"r\", \"resource_types\": [\"*\"], \
                 \"controls\": [\"c\"], \"modes\": [\"plan\"]}}\n\
                 deny contains lib.finding(\"TRN-ALL-MANY-{n:03}\", r, \"m\") if some r in input.resources\n"
            );
            PolicySource::new(format!("policies/test/many_{n}.rego"), text)
        })
        .collect();
    let estate = estate(vec![resource("aws_s3_bucket.b", Some("eu-west-1"), json!({}))]);

    let evaluation = evaluate(builder().pack(packages), &estate);

    assert_eq!(evaluation.findings.len(), 60);
}
