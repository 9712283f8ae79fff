//! Scratch experiment: evaluates the built-in pack over a synthetic estate.
#![allow(missing_docs, clippy::print_stdout, reason = "scratch")]

use std::num::NonZeroUsize;
use std::time::Instant;

use serde_json::json;
use terrane_catalog::Catalog;
use terrane_estate::{
    Cloud, Estate, InputKind, Mode, RegionOrigin, Relation, RelationKind, ResolvedRegion, Resource,
};
use terrane_policy::Evaluator;

const TYPES: &[(&str, &str)] = &[
    ("aws_s3_bucket", "eu-central-1"),
    ("aws_kms_key", "eu-west-1"),
    ("aws_instance", "eu-west-3a"),
    ("aws_db_instance", "us-east-1"),
    ("aws_subnet", "eu-central-1"),
    ("aws_security_group", "eu-central-1"),
    ("aws_iam_role", "eu-central-1"),
    ("aws_lambda_function", "eu-north-1"),
    ("aws_dynamodb_table", "eu-central-1"),
    ("aws_efs_file_system", "eu-central-1"),
    ("azurerm_storage_account", "West Europe"),
    ("azurerm_key_vault", "germanywestcentral"),
    ("azurerm_linux_virtual_machine", "francecentral"),
    ("azurerm_mssql_server", "uksouth"),
    ("azurerm_resource_group", "westeurope"),
    ("google_storage_bucket", "EU"),
    ("google_compute_instance", "europe-west3-b"),
    ("google_sql_database_instance", "europe-west1"),
    ("google_kms_crypto_key", "europe-west4"),
    ("google_pubsub_topic", "us-central1"),
];

fn resource(index: usize) -> Resource {
    let (resource_type, region) = TYPES[index % TYPES.len()];
    let name = format!("r{index}");
    let mut attributes = json!({
        "name": name,
        "tags": {"env": "prod"},
        "encrypted": index % 3 == 0,
        "versioning": [{"enabled": index % 2 == 0}],
        "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}]}],
        "public_network_access_enabled": index % 5 == 0,
        "size": 10,
    });
    attributes["id"] = json!(format!("id-{index}"));
    let mut relations = Vec::new();
    if resource_type == "aws_s3_bucket" {
        relations.push(Relation {
            kind: RelationKind::EncryptionKey,
            attribute: "kms_master_key_id".to_owned(),
            target: format!("aws_kms_key.r{}", index + 1),
        });
    }
    let region = (index % 97 != 0).then(|| ResolvedRegion {
        value: region.to_owned(),
        origin: RegionOrigin::Provider("aws".to_owned()),
    });
    Resource {
        address: format!("{resource_type}.{name}"),
        mode: Mode::Managed,
        resource_type: resource_type.to_owned(),
        name,
        cloud: Cloud::from_resource_type(resource_type),
        provider: resource_type.split('_').next().unwrap_or_default().to_owned(),
        region,
        attributes: attributes.as_object().cloned().unwrap_or_default(),
        unknown: vec!["arn".to_owned()],
        tags: [("env".to_owned(), "prod".to_owned())].into(),
        relations,
        source: None,
        ignores: Vec::new(),
    }
}

fn main() {
    let count: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let estate = Estate {
        kind: InputKind::Plan,
        origin: "synthetic.json".into(),
        resources: (0..count).map(resource).collect(),
        diagnostics: Vec::new(),
    };

    if std::env::args().nth(2).as_deref() == Some("micro") {
        let evaluator = Evaluator::builder(Catalog::builtin(), "EU").without_pack().build().unwrap();
        let start = Instant::now();
        evaluator.evaluate(&estate).unwrap();
        println!("input only: {:?}", start.elapsed());
        let rule = r#"package terrane.pack.micro.a
import rego.v1
import data.terrane.lib
rules["TRN-ALL-MIC-001"] := {"title": "t", "severity": "low", "description": "d", "remediation": "r", "resource_types": ["*"], "controls": ["c"], "modes": ["plan"]}
deny contains f if {
	some r in input.resources
	r.location.status == "outside"
	f := lib.finding("TRN-ALL-MIC-001", r, "outside")
}
"#;
        let typed = rule.replace("micro.a", "micro.b").replace("MIC-001", "MIC-002").replace("input.resources", "lib.resources(\"aws_s3_bucket\")");
        let value = rule.replace("micro.a", "micro.c").replace("MIC-001", "MIC-003").replace("r.location.status == \"outside\"", "lib.value(r, \"versioning.0.enabled\", false) == true");
        for (name, text) in [("all resources", rule.to_owned()), ("by type", typed), ("lib.value", value)] {
            let evaluator = Evaluator::builder(Catalog::builtin(), "EU")
                .pack([terrane_policy::PolicySource::new("m.rego", text)])
                .threads(NonZeroUsize::new(1).unwrap())
                .build()
                .unwrap();
            let start = Instant::now();
            let evaluation = evaluator.evaluate(&estate).unwrap();
            println!("{name}: {:?} {} findings", start.elapsed(), evaluation.findings.len());
        }
        return;
    }
    if std::env::args().nth(2).as_deref() == Some("per-file") {
        let pack = terrane_policy::builtin_pack();
        let (helpers, rules): (Vec<_>, Vec<_>) = pack
            .into_iter()
            .filter(|s| !s.path.starts_with("policies/lib"))
            .partition(|s| !s.text.contains("deny contains"));
        for file in rules {
            let mut sources = helpers.clone();
            sources.push(file.clone());
            let evaluator = Evaluator::builder(Catalog::builtin(), "EU")
                .pack(sources)
                .threads(NonZeroUsize::new(1).unwrap())
                .build()
                .unwrap();
            let start = Instant::now();
            let evaluation = evaluator.evaluate(&estate).unwrap();
            println!(
                "{}: {:?} {} findings",
                file.path.display(),
                start.elapsed(),
                evaluation.findings.len()
            );
        }
        return;
    }
    for threads in [1, 2] {
        let start = Instant::now();
        let evaluator = Evaluator::builder(Catalog::builtin(), "EU")
            .threads(NonZeroUsize::new(threads).unwrap())
            .build()
            .unwrap();
        let built = start.elapsed();
        let start = Instant::now();
        let evaluation = evaluator.evaluate(&estate).unwrap();
        let evaluated = start.elapsed();
        println!(
            "{count} resources, {threads} thread(s): build {built:?}, evaluate {evaluated:?}, {} findings",
            evaluation.findings.len()
        );
    }
}
