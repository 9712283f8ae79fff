//! Measures what the built-in pack costs on a synthetic estate, in total and per rule
//! file, so that pack authors can find slow rules.
//!
//! ```sh
//! cargo run --release -p terrane-policy --example pack_cost -- 100000
//! cargo run --release -p terrane-policy --example pack_cost -- 10000 per-file
//! ```
//!
//! The estate cycles through twenty resource types of the three clouds, with tags,
//! nested blocks, a relation from each bucket to a key, regions inside and outside the
//! EU, and one resource in 97 without a region.

use std::num::NonZeroUsize;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde_json::json;
use terrane_catalog::Catalog;
use terrane_estate::{
    Cloud, Estate, InputKind, Mode, RegionOrigin, Relation, RelationKind, ResolvedRegion, Resource,
};
use terrane_policy::{Evaluator, PolicySource};

const TYPES: [(&str, &str); 20] = [
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

#[expect(clippy::print_stdout, reason = "the example reports on standard output")]
fn main() -> anyhow::Result<()> {
    let mut arguments = std::env::args().skip(1);
    let count = arguments.next().map_or(Ok(100_000), |n| n.parse()).context("resource count")?;
    let per_file = arguments.next().as_deref() == Some("per-file");
    let estate = Estate {
        kind: InputKind::Plan,
        origin: "synthetic.json".into(),
        resources: (0..count).map(resource).collect(),
        diagnostics: Vec::new(),
    };

    if per_file {
        let pack = terrane_policy::builtin_pack();
        let (helpers, rules): (Vec<PolicySource>, Vec<PolicySource>) = pack
            .into_iter()
            .filter(|source| !source.path.starts_with("policies/lib"))
            .partition(|source| !source.text.contains("deny contains"));
        for file in rules {
            let mut sources = helpers.clone();
            sources.push(file.clone());
            let builder = Evaluator::builder(Catalog::builtin(), "EU").pack(sources);
            let (elapsed, findings) = run(builder.threads(NonZeroUsize::MIN), &estate)?;
            println!("{}: {elapsed:?}, {findings} findings", file.path.display());
        }
        return Ok(());
    }

    let input_only = Evaluator::builder(Catalog::builtin(), "EU").without_pack();
    println!("{count} resources, input only: {:?}", run(input_only, &estate)?.0);
    for threads in [NonZeroUsize::MIN, NonZeroUsize::new(2).context("two threads")?] {
        let builder = Evaluator::builder(Catalog::builtin(), "EU").threads(threads);
        let (elapsed, findings) = run(builder, &estate)?;
        println!("{count} resources, {threads} thread(s): {elapsed:?}, {findings} findings");
    }
    Ok(())
}

fn run(
    builder: terrane_policy::EvaluatorBuilder,
    estate: &Estate,
) -> anyhow::Result<(Duration, usize)> {
    let evaluator = builder.build()?;
    let start = Instant::now();
    let evaluation = evaluator.evaluate(estate)?;
    Ok((start.elapsed(), evaluation.findings.len()))
}

fn resource(index: usize) -> Resource {
    let (resource_type, region) = TYPES[index % TYPES.len()];
    let name = format!("r{index}");
    let attributes = json!({
        "name": name,
        "id": format!("id-{index}"),
        "tags": {"env": "prod"},
        "encrypted": index.is_multiple_of(3),
        "versioning": [{"enabled": index.is_multiple_of(2)}],
        "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}]}],
        "public_network_access_enabled": index.is_multiple_of(5),
        "size": 10,
    });
    let relations = if resource_type == "aws_s3_bucket" {
        vec![Relation {
            kind: RelationKind::EncryptionKey,
            attribute: "kms_master_key_id".to_owned(),
            target: format!("aws_kms_key.r{}", index + 1),
        }]
    } else {
        Vec::new()
    };
    Resource {
        address: format!("{resource_type}.{name}"),
        mode: Mode::Managed,
        resource_type: resource_type.to_owned(),
        name,
        cloud: Cloud::from_resource_type(resource_type),
        provider: resource_type.split('_').next().unwrap_or_default().to_owned(),
        region: (!index.is_multiple_of(97)).then(|| ResolvedRegion {
            value: region.to_owned(),
            origin: RegionOrigin::Provider("default".to_owned()),
        }),
        attributes: attributes.as_object().cloned().unwrap_or_default(),
        unknown: vec!["arn".to_owned()],
        tags: [("env".to_owned(), "prod".to_owned())].into(),
        relations,
        source: None,
        ignores: Vec::new(),
    }
}
