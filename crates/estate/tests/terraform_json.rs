//! Reading Terraform plan and state JSON into the normalised estate, from fixtures that
//! follow Terraform's JSON output format.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use terrane_estate::{
    Cloud, DiagnosticKind, Estate, InputKind, Mode, ReadError, RegionOrigin, Relation,
    RelationKind, Resource, decode_input, read_json, read_plan, read_state,
};

use RelationKind::{Configures, EncryptionKey, LogDestination, Reference, ReplicationTarget};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/json").join(name)
}

fn read_fixture(name: &str) -> Estate {
    let bytes = std::fs::read(fixture(name)).expect("fixture exists");
    let text = decode_input(Path::new(name), &bytes).expect("fixture decodes");
    read_json(Path::new(name), &text).expect("fixture reads")
}

/// What one resource must look like. Fields left `None` are not checked.
#[derive(Default)]
struct Expect {
    address: &'static str,
    mode: Option<Mode>,
    cloud: Option<Cloud>,
    provider: Option<&'static str>,
    region: Option<Option<(&'static str, RegionOrigin)>>,
    tags: Option<Vec<(&'static str, &'static str)>>,
    unknown: Option<Vec<&'static str>>,
    relations: Option<Vec<(RelationKind, &'static str, &'static str)>>,
    attributes: Vec<(&'static str, Value)>,
    absent: Vec<&'static str>,
}

fn resource(address: &'static str) -> Expect {
    Expect { address, ..Expect::default() }
}

impl Expect {
    fn mode(self, mode: Mode) -> Self {
        Expect { mode: Some(mode), ..self }
    }

    fn cloud(self, cloud: Cloud) -> Self {
        Expect { cloud: Some(cloud), ..self }
    }

    fn provider(self, provider: &'static str) -> Self {
        Expect { provider: Some(provider), ..self }
    }

    fn region(self, value: &'static str, origin: RegionOrigin) -> Self {
        Expect { region: Some(Some((value, origin))), ..self }
    }

    fn no_region(self) -> Self {
        Expect { region: Some(None), ..self }
    }

    fn tags(self, tags: &[(&'static str, &'static str)]) -> Self {
        Expect { tags: Some(tags.to_vec()), ..self }
    }

    fn unknown(self, unknown: &[&'static str]) -> Self {
        Expect { unknown: Some(unknown.to_vec()), ..self }
    }

    fn relations(self, relations: &[(RelationKind, &'static str, &'static str)]) -> Self {
        Expect { relations: Some(relations.to_vec()), ..self }
    }

    fn attribute(mut self, name: &'static str, value: Value) -> Self {
        self.attributes.push((name, value));
        self
    }

    fn absent(mut self, name: &'static str) -> Self {
        self.absent.push(name);
        self
    }
}

fn argument(name: &str) -> RegionOrigin {
    RegionOrigin::Argument(name.to_owned())
}

fn provider(key: &str) -> RegionOrigin {
    RegionOrigin::Provider(key.to_owned())
}

fn identifier(name: &str) -> RegionOrigin {
    RegionOrigin::Identifier(name.to_owned())
}

fn parent(address: &str) -> RegionOrigin {
    RegionOrigin::Parent(address.to_owned())
}

/// Checks that the estate has exactly `addresses`, in order, and that each expectation
/// holds for its resource.
fn check(estate: &Estate, addresses: &[&str], expectations: &[Expect]) {
    let actual: Vec<&str> = estate.resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(actual, addresses, "addresses of {}", estate.origin.display());

    for expect in expectations {
        let found: &Resource = estate
            .resources
            .iter()
            .find(|r| r.address == expect.address)
            .unwrap_or_else(|| panic!("no resource `{}`", expect.address));
        let at = expect.address;
        assert_eq!(found.source, None, "{at}: plans and states have no source positions");
        if let Some(mode) = expect.mode {
            assert_eq!(found.mode, mode, "{at}: mode");
        }
        if let Some(cloud) = expect.cloud {
            assert_eq!(found.cloud, cloud, "{at}: cloud");
        }
        if let Some(provider) = expect.provider {
            assert_eq!(found.provider, provider, "{at}: provider");
        }
        if let Some(region) = &expect.region {
            let actual = found.region.as_ref().map(|r| (r.value.as_str(), r.origin.clone()));
            let expected = region.as_ref().map(|(value, origin)| (*value, origin.clone()));
            assert_eq!(actual, expected, "{at}: region");
        }
        if let Some(tags) = &expect.tags {
            let expected: BTreeMap<String, String> =
                tags.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
            assert_eq!(found.tags, expected, "{at}: tags");
        }
        if let Some(unknown) = &expect.unknown {
            assert_eq!(found.unknown, *unknown, "{at}: unknown");
        }
        if let Some(relations) = &expect.relations {
            let expected: Vec<Relation> = relations
                .iter()
                .map(|(kind, attribute, target)| Relation {
                    kind: *kind,
                    attribute: (*attribute).to_owned(),
                    target: (*target).to_owned(),
                })
                .collect();
            assert_eq!(found.relations, expected, "{at}: relations");
        }
        for (name, value) in &expect.attributes {
            assert_eq!(found.attributes.get(*name), Some(value), "{at}: attribute `{name}`");
        }
        for name in &expect.absent {
            assert_eq!(found.attributes.get(*name), None, "{at}: attribute `{name}` is absent");
        }
    }
}

#[test]
fn reads_aws_plan() {
    let estate = read_fixture("aws_plan.json");
    assert_eq!(estate.kind, InputKind::Plan);
    assert_eq!(estate.origin, Path::new("aws_plan.json"));

    let default_tags = [("cost-centre", "cc-00"), ("managed-by", "terraform")];
    check(
        &estate,
        &[
            "aws_kms_key.data",
            "aws_kms_replica_key.data",
            "aws_s3_bucket.data",
            "aws_s3_bucket_server_side_encryption_configuration.data",
            "aws_s3_bucket_versioning.data",
            "aws_s3_bucket_logging.data",
            "aws_s3_bucket.replica",
            "aws_s3_bucket_replication_configuration.data",
            "aws_iam_role.replication",
            "aws_s3_bucket.logs",
            "aws_sqs_queue.events",
            "aws_sns_topic.alerts",
            "aws_cloudwatch_log_group.app",
            "aws_ebs_volume.scratch",
            "module.keys.aws_kms_key.this",
            "module.network.aws_vpc.main",
            "module.network.aws_subnet.private[0]",
            "module.network.aws_subnet.private[1]",
            "module.network.aws_flow_log.main",
            "data.aws_kms_key.shared",
            "data.aws_caller_identity.current",
        ],
        &[
            resource("aws_kms_key.data")
                .mode(Mode::Managed)
                .cloud(Cloud::Aws)
                .provider("aws")
                .region("eu-central-1", provider("aws"))
                .tags(&default_tags)
                .unknown(&["arn", "id", "key_id", "policy", "rotation_period_in_days"])
                .relations(&[(ReplicationTarget, "primary_key_arn", "aws_kms_replica_key.data")])
                .absent("arn"),
            resource("aws_kms_replica_key.data")
                .provider("aws.us")
                .region("us-east-1", provider("aws.us"))
                .tags(&[])
                .relations(&[(Reference, "primary_key_arn", "aws_kms_key.data")]),
            resource("aws_s3_bucket.data")
                .region("eu-central-1", provider("aws"))
                .tags(&[("cost-centre", "cc-42"), ("managed-by", "terraform"), ("owner", "data")])
                .unknown(&[
                    "acceleration_status",
                    "acl",
                    "arn",
                    "bucket_domain_name",
                    "bucket_prefix",
                    "bucket_regional_domain_name",
                    "cors_rule",
                    "grant",
                    "hosted_zone_id",
                    "id",
                    "lifecycle_rule",
                    "logging",
                    "object_lock_configuration",
                    "policy",
                    "region",
                    "replication_configuration",
                    "request_payer",
                    "server_side_encryption_configuration.0.rule",
                    "versioning",
                    "website",
                    "website_domain",
                    "website_endpoint",
                ])
                .relations(&[])
                .attribute("bucket", json!("acme-data")),
            resource("aws_s3_bucket_server_side_encryption_configuration.data")
                .region("eu-central-1", parent("aws_s3_bucket.data"))
                .tags(&[])
                .unknown(&[
                    "bucket",
                    "id",
                    "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id",
                ])
                .relations(&[
                    (Configures, "bucket", "aws_s3_bucket.data"),
                    (
                        EncryptionKey,
                        "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id",
                        "aws_kms_key.data",
                    ),
                ])
                .attribute(
                    "rule",
                    json!([{
                        "apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}],
                        "bucket_key_enabled": true
                    }]),
                ),
            resource("aws_s3_bucket_versioning.data")
                .region("eu-central-1", parent("aws_s3_bucket.data"))
                .relations(&[(Configures, "bucket", "aws_s3_bucket.data")]),
            resource("aws_s3_bucket_logging.data")
                .region("eu-central-1", parent("aws_s3_bucket.data"))
                .relations(&[
                    (Configures, "bucket", "aws_s3_bucket.data"),
                    (LogDestination, "target_bucket", "aws_s3_bucket.logs"),
                ]),
            resource("aws_s3_bucket.replica").region("us-east-1", provider("aws.us")).tags(&[]),
            resource("aws_s3_bucket_replication_configuration.data")
                .region("eu-central-1", parent("aws_s3_bucket.data"))
                .relations(&[
                    (Configures, "bucket", "aws_s3_bucket.data"),
                    (Reference, "role", "aws_iam_role.replication"),
                    (ReplicationTarget, "rule.0.destination.0.bucket", "aws_s3_bucket.replica"),
                ]),
            resource("aws_s3_bucket.logs")
                .provider("aws.eu")
                .region("eu-west-1", argument("region"))
                .tags(&[("purpose", "logs")])
                .unknown(&[]),
            resource("aws_sqs_queue.events")
                .provider("aws.eu")
                .region("eu-west-1", provider("aws.eu"))
                .relations(&[(
                    EncryptionKey,
                    "kms_master_key_id",
                    "arn:aws:kms:eu-west-1:999988887777:key/0b7e2a1c-5d4f-4c3a-9e8d-7f6a5b4c3d2e",
                )]),
            resource("aws_sns_topic.alerts").relations(&[(
                EncryptionKey,
                "kms_master_key_id",
                "data.aws_kms_key.shared",
            )]),
            resource("aws_cloudwatch_log_group.app").relations(&[(
                EncryptionKey,
                "kms_key_id",
                "module.keys.aws_kms_key.this",
            )]),
            resource("aws_ebs_volume.scratch")
                .region("eu-central-1", provider("aws"))
                .tags(&[
                    ("cost-centre", "cc-00"),
                    ("managed-by", "terraform"),
                    ("purpose", "scratch"),
                ])
                .unknown(&[
                    "arn",
                    "id",
                    "iops",
                    "kms_key_id",
                    "snapshot_id",
                    "tags.key",
                    "tags_all",
                    "throughput",
                ])
                .relations(&[]),
            resource("module.keys.aws_kms_key.this")
                .provider("aws")
                .region("eu-central-1", provider("aws"))
                .tags(&default_tags),
            resource("module.network.aws_vpc.main")
                .provider("module.network:aws")
                .region("eu-north-1", provider("module.network:aws"))
                .tags(&[("Name", "main")]),
            resource("module.network.aws_subnet.private[1]")
                .region("eu-north-1", provider("module.network:aws"))
                .relations(&[(Reference, "vpc_id", "module.network.aws_vpc.main")]),
            resource("module.network.aws_flow_log.main").relations(&[
                (LogDestination, "log_destination", "aws_s3_bucket.logs"),
                (Reference, "vpc_id", "module.network.aws_vpc.main"),
            ]),
            resource("data.aws_kms_key.shared")
                .mode(Mode::Data)
                .provider("aws.eu")
                .region("eu-west-1", provider("aws.eu"))
                .attribute("key_id", json!("alias/shared")),
            resource("data.aws_caller_identity.current")
                .mode(Mode::Data)
                .region("eu-central-1", provider("aws"))
                .tags(&[]),
        ],
    );

    let diagnostics: Vec<(DiagnosticKind, Option<&str>, &str)> = estate
        .diagnostics
        .iter()
        .map(|d| (d.kind, d.address.as_deref(), d.message.as_str()))
        .collect();
    assert_eq!(
        diagnostics,
        [(
            DiagnosticKind::UnresolvedValue,
            Some("aws_ebs_volume.scratch"),
            "`kms_key_id` is unknown until apply and `local.scratch_key` does not lead to a \
             resource in the plan",
        )]
    );
}

#[test]
fn reads_aws_provider_6_region_arguments() {
    let estate = read_fixture("aws_provider6_plan.json");
    check(
        &estate,
        &["aws_s3_bucket.archive", "aws_s3_bucket.default", "aws_s3_bucket_versioning.archive"],
        &[
            resource("aws_s3_bucket.archive").region("eu-north-1", argument("region")),
            resource("aws_s3_bucket.default").region("eu-central-1", argument("region")),
            resource("aws_s3_bucket_versioning.archive")
                .region("eu-north-1", argument("region"))
                .relations(&[
                    (Configures, "bucket", "aws_s3_bucket.archive"),
                    (Reference, "region", "aws_s3_bucket.archive"),
                ]),
        ],
    );
}

#[test]
fn reads_azure_plan() {
    let estate = read_fixture("azure_plan.json");
    let account = "azurerm_storage_account.data";
    let logs = "azurerm_storage_account.logs";
    check(
        &estate,
        &[
            "azurerm_resource_group.data",
            account,
            "azurerm_storage_container.raw",
            "azurerm_key_vault.data",
            "azurerm_key_vault_key.storage",
            "azurerm_storage_account_customer_managed_key.data",
            logs,
            "azurerm_log_analytics_workspace.main",
            "azurerm_monitor_diagnostic_setting.storage",
            "azurerm_storage_object_replication.data",
            "azurerm_managed_disk.scratch",
        ],
        &[
            resource(account)
                .cloud(Cloud::Azure)
                .provider("azurerm")
                .region("westeurope", argument("location"))
                .tags(&[("environment", "prod"), ("owner", "data")]),
            resource("azurerm_storage_container.raw")
                .region("westeurope", parent(account))
                .relations(&[(Configures, "storage_account_id", account)]),
            resource("azurerm_key_vault_key.storage")
                .region("westeurope", parent("azurerm_key_vault.data"))
                .relations(&[(Configures, "key_vault_id", "azurerm_key_vault.data")]),
            resource("azurerm_storage_account_customer_managed_key.data")
                .region("westeurope", parent(account))
                .relations(&[
                    (Reference, "key_name", "azurerm_key_vault_key.storage"),
                    (EncryptionKey, "key_vault_id", "azurerm_key_vault.data"),
                    (Configures, "storage_account_id", account),
                ]),
            resource(logs).region("swedencentral", argument("location")).unknown(&[]),
            resource("azurerm_monitor_diagnostic_setting.storage")
                .region("westeurope", parent(account))
                .relations(&[
                    (
                        LogDestination,
                        "log_analytics_workspace_id",
                        "azurerm_log_analytics_workspace.main",
                    ),
                    (LogDestination, "storage_account_id", logs),
                    (Configures, "target_resource_id", account),
                ]),
            resource("azurerm_storage_object_replication.data")
                .region("westeurope", parent(account))
                .relations(&[
                    (ReplicationTarget, "destination_storage_account_id", logs),
                    (Reference, "rules.0.source_container_name", "azurerm_storage_container.raw"),
                    (Configures, "source_storage_account_id", account),
                ]),
            resource("azurerm_managed_disk.scratch")
                .region("germanywestcentral", argument("location"))
                .relations(&[
                    (Reference, "resource_group_name", "azurerm_resource_group.data"),
                    (
                        EncryptionKey,
                        "disk_encryption_set_id",
                        "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/\
                         rg-keys/providers/Microsoft.Compute/diskEncryptionSets/des-central",
                    ),
                ]),
        ],
    );
    assert_eq!(estate.diagnostics, []);
}

#[test]
fn reads_google_plan() {
    let estate = read_fixture("google_plan.json");
    let key = "google_kms_crypto_key.bucket";
    check(
        &estate,
        &[
            "google_kms_key_ring.data",
            key,
            "google_storage_bucket.data",
            "google_storage_bucket.dual",
            "google_storage_bucket.logs",
            "google_logging_project_sink.audit",
            "google_compute_instance.batch",
            "google_compute_disk.batch",
            "google_sql_database_instance.orders",
            "google_pubsub_topic.events",
        ],
        &[
            resource(key)
                .cloud(Cloud::Google)
                .region("europe-west3", parent("google_kms_key_ring.data"))
                .tags(&[("managed-by", "terraform")])
                .relations(&[(Configures, "key_ring", "google_kms_key_ring.data")]),
            resource("google_storage_bucket.data")
                .region("EU", argument("location"))
                .tags(&[("managed-by", "terraform"), ("team", "data")])
                .relations(&[(EncryptionKey, "encryption.0.default_kms_key_name", key)]),
            resource("google_storage_bucket.dual").region("EUR4", argument("location")),
            resource("google_storage_bucket.logs")
                .region("EUROPE-WEST4", argument("location"))
                .tags(&[("managed-by", "terraform"), ("purpose", "audit")]),
            resource("google_logging_project_sink.audit")
                .region("europe-west3", provider("google"))
                .tags(&[])
                .relations(&[(LogDestination, "destination", "google_storage_bucket.logs")]),
            resource("google_compute_instance.batch")
                .region("europe-west3-b", argument("zone"))
                .tags(&[("managed-by", "terraform"), ("role", "batch")]),
            resource("google_compute_disk.batch").relations(&[
                (EncryptionKey, "disk_encryption_key.0.kms_key_self_link", key),
                (Reference, "zone", "google_compute_instance.batch"),
            ]),
            resource("google_sql_database_instance.orders")
                .region("europe-west1", argument("region")),
            resource("google_pubsub_topic.events").region("europe-west3", provider("google")),
        ],
    );
}

#[test]
fn reads_raw_state() {
    let estate = read_fixture("terraform.tfstate");
    assert_eq!(estate.kind, InputKind::State);
    let kms = "aws_kms_key.data";
    let account = "azurerm_storage_account.data";
    check(
        &estate,
        &[
            "data.aws_caller_identity.current",
            "aws_iam_role.replication",
            kms,
            "aws_s3_bucket.data",
            "aws_s3_bucket.regional[0]",
            "aws_s3_bucket.regional[1]",
            "aws_s3_bucket_server_side_encryption_configuration.data",
            "aws_s3_bucket_versioning.data",
            "aws_s3_bucket_replication_configuration.data",
            "aws_sqs_queue.by_team[\"data\"]",
            "aws_sqs_queue.by_team[\"ml\"]",
            "aws_sqs_queue.jobs",
            "module.network.aws_vpc.main",
            "module.network.aws_subnet.private[0]",
            "module.network.aws_subnet.private[1]",
            "module.apps[\"web\"].aws_instance.app",
            "module.apps[\"api\"].aws_instance.app",
            account,
            "azurerm_storage_container.raw",
            "google_storage_bucket.logs",
            "google_compute_instance.vm",
            "google_kms_crypto_key.bucket",
        ],
        &[
            resource("data.aws_caller_identity.current").mode(Mode::Data).no_region(),
            resource("aws_iam_role.replication").no_region(),
            resource(kms).region("eu-central-1", identifier("arn")),
            resource("aws_s3_bucket.data")
                .region("eu-central-1", argument("region"))
                .tags(&[("owner", "data")]),
            resource("aws_s3_bucket.regional[1]").region("us-west-2", argument("region")),
            resource("aws_s3_bucket_server_side_encryption_configuration.data")
                .region("eu-central-1", parent("aws_s3_bucket.data"))
                .relations(&[
                    (Configures, "bucket", "aws_s3_bucket.data"),
                    (
                        EncryptionKey,
                        "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id",
                        kms,
                    ),
                ]),
            resource("aws_s3_bucket_versioning.data").relations(&[(
                Configures,
                "bucket",
                "aws_s3_bucket.data",
            )]),
            resource("aws_s3_bucket_replication_configuration.data").relations(&[
                (Configures, "bucket", "aws_s3_bucket.data"),
                (Reference, "role", "aws_iam_role.replication"),
                (ReplicationTarget, "rule.0.destination.0.bucket", "aws_s3_bucket.regional[1]"),
            ]),
            resource("aws_sqs_queue.by_team[\"ml\"]")
                .provider("aws.eu")
                .region("eu-west-1", identifier("arn"))
                .tags(&[("team", "ml")])
                .relations(&[(EncryptionKey, "kms_master_key_id", "alias/aws/sqs")]),
            resource("aws_sqs_queue.jobs").attribute("name", json!("jobs-v2")),
            resource("module.network.aws_vpc.main")
                .provider("module.network:aws")
                .region("eu-north-1", identifier("arn")),
            resource("module.apps[\"api\"].aws_instance.app")
                .region("eu-south-1", identifier("arn"))
                .relations(&[(EncryptionKey, "root_block_device.0.kms_key_id", kms)]),
            resource(account).provider("azurerm").region("westeurope", argument("location")),
            resource("azurerm_storage_container.raw")
                .region("westeurope", parent(account))
                .relations(&[(Configures, "storage_account_id", account)]),
            resource("google_storage_bucket.logs")
                .region("EU", argument("location"))
                .tags(&[("managed-by", "terraform"), ("purpose", "audit")]),
            resource("google_compute_instance.vm").region("europe-west3-b", argument("zone")),
            resource("google_kms_crypto_key.bucket")
                .region("europe-west3", identifier("id"))
                .relations(&[(
                    Configures,
                    "key_ring",
                    "projects/acme-prod/locations/europe-west3/keyRings/data",
                )]),
        ],
    );

    let diagnostics: Vec<(DiagnosticKind, Option<&str>, &str)> = estate
        .diagnostics
        .iter()
        .map(|d| (d.kind, d.address.as_deref(), d.message.as_str()))
        .collect();
    assert_eq!(
        diagnostics,
        [(
            DiagnosticKind::Unsupported,
            Some("aws_sqs_queue.jobs"),
            "deposed object `7a1e4c92` is left out as the next apply destroys it",
        )]
    );
}

#[test]
fn reads_state_shown_as_json() {
    let estate = read_fixture("shown_state.json");
    assert_eq!(estate.kind, InputKind::State);
    check(
        &estate,
        &[
            "aws_kms_key.data",
            "aws_s3_bucket.data",
            "aws_s3_bucket_server_side_encryption_configuration.data",
            "aws_sqs_queue.by_team[\"ml\"]",
            "module.network.aws_subnet.private[1]",
        ],
        &[
            resource("aws_kms_key.data").provider("aws").region("eu-central-1", identifier("arn")),
            resource("aws_s3_bucket_server_side_encryption_configuration.data")
                .region("eu-central-1", parent("aws_s3_bucket.data"))
                .relations(&[
                    (Configures, "bucket", "aws_s3_bucket.data"),
                    (
                        EncryptionKey,
                        "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id",
                        "aws_kms_key.data",
                    ),
                ]),
            resource("module.network.aws_subnet.private[1]")
                .region("eu-north-1", identifier("arn")),
        ],
    );
}

#[test]
fn reads_utf16_plan_like_its_utf8_original() {
    let utf16 = read_fixture("plan_utf16le.json");
    let utf8 = read_fixture("aws_provider6_plan.json");
    assert_eq!(utf16.resources, utf8.resources);
}

#[test]
fn refuses_inputs_it_cannot_read() {
    type Reader = fn(&Path, &str) -> Result<Estate, ReadError>;
    let cases: [(&str, Reader, &str); 11] = [
        ("malformed_plan.json", read_json, "malformed_plan.json:9:11: expected `,` or `}`"),
        (
            "truncated_plan.json",
            read_json,
            "truncated_plan.json:52:15: unexpected end of file while parsing a string",
        ),
        (
            "wrong_shape_plan.json",
            read_json,
            "wrong_shape_plan.json:6:19: invalid type: map, expected a sequence",
        ),
        (
            "unsupported_plan_version.json",
            read_json,
            "`unsupported_plan_version.json`: unsupported plan format version `2.0`, expected \
             0.x or 1.x",
        ),
        (
            "unsupported_state_version.json",
            read_json,
            "`unsupported_state_version.json`: unsupported state version `3`, expected 4",
        ),
        (
            "empty.json",
            read_json,
            "`empty.json`: empty file, expected terraform plan or state json",
        ),
        (
            "whitespace.json",
            read_json,
            "`whitespace.json`: empty file, expected terraform plan or state json",
        ),
        (
            "tfplan",
            read_json,
            "`tfplan`: binary terraform plan, convert it with \
             `terraform show -json tfplan > plan.json`",
        ),
        (
            "terraform.tfstate",
            read_plan,
            "`terraform.tfstate`: expected a terraform plan, found a state",
        ),
        (
            "shown_state.json",
            read_plan,
            "`shown_state.json`: expected a terraform plan, found a state",
        ),
        ("aws_plan.json", read_state, "`aws_plan.json`: expected a terraform state, found a plan"),
    ];
    for (name, reader, expected) in cases {
        let bytes = std::fs::read(fixture(name)).expect("fixture exists");
        let path = Path::new(name);
        let error =
            decode_input(path, &bytes).and_then(|text| reader(path, &text)).expect_err(name);
        assert_eq!(error.to_string(), expected, "{name}");
    }
}

#[test]
fn refuses_documents_that_are_neither_plan_nor_state() {
    let cases = [
        (
            "{}",
            "`in.json`: not a terraform plan or state, found no `planned_values`, `resource_changes`, `values` or state `version`",
        ),
        ("[1, 2]", "`in.json`: not a terraform plan or state, the document is not a json object"),
        ("\"plan\"", "`in.json`: not a terraform plan or state, the document is not a json object"),
        (
            "{\"version\": \"4\", \"resources\": []}",
            "`in.json`: unsupported state version `4`, expected 4",
        ),
        (
            "{\"format_version\": 1.0, \"values\": {}}",
            "`in.json`: unsupported state format version `1.0`, expected 0.x or 1.x",
        ),
        (
            "{\"format_version\": \"3.1\", \"planned_values\": {}}",
            "`in.json`: unsupported plan format version `3.1`, expected 0.x or 1.x",
        ),
        (
            "{\"planned_values\": {\"root_module\": {\"resources\": [{}]}}}",
            "in.json:1:52: missing field `address`",
        ),
        (
            "\u{feff}{\"format_version\": \"1.0\"",
            "in.json:1:24: unexpected end of file while parsing an object",
        ),
    ];
    for (text, expected) in cases {
        let error = read_json(Path::new("in.json"), text).expect_err(text);
        assert_eq!(error.to_string(), expected, "{text}");
    }
}

#[test]
fn reads_empty_plans_and_states() {
    let cases = [
        (r#"{"format_version": "1.2", "terraform_version": "1.9.5"}"#, InputKind::Plan),
        (r#"{"format_version": "1.0"}"#, InputKind::State),
        (
            r#"{"format_version": "0.2", "terraform_version": "0.15.5", "planned_values": {}}"#,
            InputKind::Plan,
        ),
        (
            r#"{"version": 4, "terraform_version": "1.9.5", "serial": 1, "lineage": "x", "outputs": {}, "resources": []}"#,
            InputKind::State,
        ),
        (
            r#"{"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {}}}"#,
            InputKind::State,
        ),
    ];
    for (text, kind) in cases {
        let estate = read_json(Path::new("in.json"), text).expect(text);
        assert_eq!(
            (estate.kind, estate.resources.len(), estate.diagnostics.len()),
            (kind, 0, 0),
            "{text}"
        );
    }
}

/// A plan with one resource per `(address, actions)` in `planned_values` and
/// `resource_changes`, in the configuration of `config`.
fn plan(planned: &[(&str, &[&str])], deposed_delete: &[&str], config: Value) -> String {
    let resources: Vec<Value> = planned
        .iter()
        .map(|(address, _)| {
            let (rest, index) = match address.split_once('[') {
                Some((rest, key)) => (rest, key.trim_end_matches(']').parse::<u64>().ok()),
                None => (*address, None),
            };
            let (resource_type, name) = rest.split_once('.').unwrap_or_default();
            json!({"address": address, "mode": "managed", "type": resource_type, "name": name,
                   "index": index, "provider_name": "registry.terraform.io/hashicorp/aws",
                   "values": {"name": address}})
        })
        .collect();
    let mut changes: Vec<Value> = planned
        .iter()
        .map(|(address, actions)| json!({"address": address, "change": {"actions": actions, "after_unknown": {}}}))
        .collect();
    changes.extend(deposed_delete.iter().map(|address| {
        json!({"address": address, "deposed": "00000001", "change": {"actions": ["delete"]}})
    }));
    json!({"format_version": "1.2", "terraform_version": "1.9.5",
           "planned_values": {"root_module": {"resources": resources}},
           "resource_changes": changes, "configuration": config})
    .to_string()
}

#[test]
fn leaves_out_resources_that_are_only_deleted() {
    let text = plan(
        &[
            ("aws_sqs_queue.kept", &["no-op"]),
            ("aws_sqs_queue.gone", &["delete"]),
            ("aws_sqs_queue.forgotten", &["forget"]),
            ("aws_sqs_queue.replaced", &["delete", "create"]),
            ("aws_sqs_queue.swapped", &["create", "delete"]),
        ],
        &["aws_sqs_queue.kept"],
        json!({}),
    );
    let estate = read_plan(Path::new("plan.json"), &text).expect("plan reads");
    let addresses: Vec<&str> = estate.resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(
        addresses,
        ["aws_sqs_queue.kept", "aws_sqs_queue.replaced", "aws_sqs_queue.swapped"]
    );
}

#[test]
fn links_counted_references_to_the_instance_with_the_same_key() {
    let expressions = json!({"kms_key_id": {"references": ["aws_kms_key.k", "count.index"]}});
    let config = json!({"root_module": {"resources": [
        {"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k",
         "provider_config_key": "aws", "expressions": {}, "count_expression": {"constant_value": 2}},
        {"address": "aws_ebs_volume.v", "mode": "managed", "type": "aws_ebs_volume", "name": "v",
         "provider_config_key": "aws", "expressions": expressions, "count_expression": {"constant_value": 2}},
        {"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "name": "q",
         "provider_config_key": "aws", "expressions": {"kms_master_key_id": {"references": ["aws_kms_key.k"]}}}
    ]}});
    let text = plan(
        &[
            ("aws_kms_key.k[0]", &["create"]),
            ("aws_kms_key.k[1]", &["create"]),
            ("aws_ebs_volume.v[0]", &["create"]),
            ("aws_ebs_volume.v[1]", &["create"]),
            ("aws_sqs_queue.q", &["create"]),
        ],
        &[],
        config,
    );
    let estate = read_plan(Path::new("plan.json"), &text).expect("plan reads");
    check(
        &estate,
        &[
            "aws_kms_key.k[0]",
            "aws_kms_key.k[1]",
            "aws_ebs_volume.v[0]",
            "aws_ebs_volume.v[1]",
            "aws_sqs_queue.q",
        ],
        &[
            resource("aws_ebs_volume.v[1]").relations(&[(
                EncryptionKey,
                "kms_key_id",
                "aws_kms_key.k[1]",
            )]),
            resource("aws_sqs_queue.q").relations(&[
                (EncryptionKey, "kms_master_key_id", "aws_kms_key.k[0]"),
                (EncryptionKey, "kms_master_key_id", "aws_kms_key.k[1]"),
            ]),
        ],
    );
}

/// A deterministic pseudo-random sequence (a linear congruential generator), so that the
/// mutation test needs no dependency and always feeds the same inputs.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, bound: usize) -> usize {
        usize::try_from(self.next()).unwrap_or(0) % bound.max(1)
    }
}

fn never_panics(label: &str, bytes: &[u8]) {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let path = Path::new("fuzz.json");
        let text = match decode_input(path, bytes) {
            Ok(text) => text,
            Err(_) => String::from_utf8_lossy(bytes).into_owned(),
        };
        let _ = read_json(path, &text);
    }));
    assert!(outcome.is_ok(), "reader panicked on {label}");
}

#[test]
fn never_panics_on_truncated_or_corrupted_fixtures() {
    const JSON_BYTES: &[u8] = b"{}[]\":,0123456789.-+eE\\ntrufalsx \n";
    let mut names: Vec<PathBuf> = std::fs::read_dir(fixture(""))
        .expect("fixture directory exists")
        .map(|entry| entry.expect("fixture entry").path())
        .collect();
    names.sort();
    let mut random = Lcg(0x5eed_7e22_a1e5);
    for path in names {
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).expect("fixture exists");

        let step = (bytes.len() / 300).max(1);
        for end in (0..bytes.len()).step_by(step) {
            never_panics(&format!("{name} cut at {end}"), bytes.get(..end).unwrap_or_default());
        }

        for round in 0..200 {
            let mut mutated = bytes.clone();
            for _ in 0..=random.below(4) {
                let at = random.below(mutated.len());
                let flip = random.below(2) == 0;
                let replacement = JSON_BYTES[random.below(JSON_BYTES.len())];
                if let Some(byte) = mutated.get_mut(at) {
                    *byte = if flip { *byte ^ (1 << random.below(8)) } else { replacement };
                }
            }
            never_panics(&format!("{name} mutation {round}"), &mutated);
        }
    }
}
