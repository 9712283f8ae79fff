//! The `.tf` directory reader and the conftest rendering, on fixture directories and on a
//! corpus of files from public Terraform modules.
//!
//! Each case reads an input, renders the result (estate, conftest JSON or error) as JSON,
//! and checks it with JSON pointers, so that one table covers every behaviour.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use terrane_estate::{
    Estate, HclOptions, ReadError, RegionOrigin, Resource, hcl_to_conftest_json, read_hcl_dir,
};

const FIXTURES: &str = "tests/fixtures/hcl";

/// What a case reads.
enum Input {
    /// A fixture directory, with options.
    Dir(&'static str, HclOptions),
    /// A fixture file, converted for conftest.
    Conftest(&'static str),
    /// HCL text, converted for conftest.
    ConftestText(&'static str),
}

/// What a case expects of the rendered result.
enum Expect {
    /// The value at the pointer equals this one.
    At(&'static str, Value),
    /// The array at the pointer has an element that matches this pattern.
    Has(&'static str, Value),
    /// No element of the array at the pointer matches this pattern.
    Lacks(&'static str, Value),
    /// Nothing is at the pointer.
    Missing(&'static str),
}

struct Case {
    name: &'static str,
    input: Input,
    expect: Vec<Expect>,
}

fn check(case: &Case) {
    let output = match &case.input {
        Input::Dir(dir, options) => {
            render_read(read_hcl_dir(&Path::new(FIXTURES).join(dir), options))
        }
        Input::Conftest(file) => {
            let path = Path::new(FIXTURES).join(file);
            let text = std::fs::read_to_string(&path).expect("fixture is readable");
            render_conftest(hcl_to_conftest_json(&path, &text))
        }
        Input::ConftestText(text) => {
            render_conftest(hcl_to_conftest_json(Path::new("inline.tf"), text))
        }
    };
    for expect in &case.expect {
        match expect {
            Expect::At(pointer, expected) => {
                let found = output.pointer(pointer);
                assert_eq!(found, Some(expected), "{}: {pointer} in {output:#}", case.name);
            }
            Expect::Has(pointer, pattern) => {
                let items = array_at(&output, pointer, case.name);
                assert!(
                    items.iter().any(|item| matches(item, pattern)),
                    "{}: no element of {pointer} matches {pattern} in {items:#?}",
                    case.name
                );
            }
            Expect::Lacks(pointer, pattern) => {
                let items = array_at(&output, pointer, case.name);
                let found = items.iter().find(|item| matches(item, pattern));
                assert!(found.is_none(), "{}: {pointer} has {found:?}", case.name);
            }
            Expect::Missing(pointer) => {
                let found = output.pointer(pointer);
                assert!(found.is_none(), "{}: {pointer} is {found:?}", case.name);
            }
        }
    }
}

fn array_at<'v>(output: &'v Value, pointer: &str, name: &str) -> &'v Vec<Value> {
    match output.pointer(pointer) {
        Some(Value::Array(items)) => items,
        other => panic!("{name}: {pointer} is not an array but {other:?} in {output:#}"),
    }
}

/// True when `value` has every field of `pattern` with an equal value; a pattern string
/// starting with `*` matches any string containing the rest.
fn matches(value: &Value, pattern: &Value) -> bool {
    match (value, pattern) {
        (Value::Object(fields), Value::Object(expected)) => expected
            .iter()
            .all(|(key, expected)| fields.get(key).is_some_and(|field| matches(field, expected))),
        (Value::String(text), Value::String(expected)) => match expected.strip_prefix('*') {
            Some(fragment) => text.contains(fragment),
            None => text == expected,
        },
        _ => value == pattern,
    }
}

fn render_read(result: Result<Estate, ReadError>) -> Value {
    let estate = match result {
        Ok(estate) => estate,
        Err(error) => return render_error(&error),
    };
    let resources: serde_json::Map<String, Value> = estate
        .resources
        .iter()
        .map(|resource| (resource.address.clone(), render_resource(resource)))
        .collect();
    let order: Vec<&str> =
        estate.resources.iter().map(|resource| resource.address.as_str()).collect();
    let diagnostics: Vec<Value> = estate
        .diagnostics
        .iter()
        .map(|diagnostic| {
            json!({
                "kind": diagnostic.kind.as_str(),
                "address": diagnostic.address,
                "message": diagnostic.message,
                "file": diagnostic.source.as_ref().map(|source| source.file.display().to_string()),
                "line": diagnostic.source.as_ref().and_then(|source| source.line),
            })
        })
        .collect();
    json!({
        "kind": estate.kind.as_str(),
        "origin": estate.origin.display().to_string(),
        "order": order,
        "resources": resources,
        "diagnostics": diagnostics,
    })
}

fn render_resource(resource: &Resource) -> Value {
    let origin = resource.region.as_ref().map(|region| match &region.origin {
        RegionOrigin::Argument(name) => format!("argument {name}"),
        RegionOrigin::Provider(address) => format!("provider {address}"),
        RegionOrigin::Identifier(name) => format!("identifier {name}"),
        RegionOrigin::Parent(address) => format!("parent {address}"),
    });
    let relations: Vec<Value> = resource
        .relations
        .iter()
        .map(|relation| {
            json!({
                "kind": relation.kind.as_str(),
                "attribute": relation.attribute,
                "target": relation.target,
            })
        })
        .collect();
    let ignores: Vec<Value> = resource
        .ignores
        .iter()
        .map(|ignore| {
            json!({ "rule_id": ignore.rule_id, "reason": ignore.reason, "line": ignore.source.line })
        })
        .collect();
    json!({
        "mode": resource.mode.as_str(),
        "type": resource.resource_type,
        "name": resource.name,
        "cloud": resource.cloud.as_str(),
        "provider": resource.provider,
        "region": resource.region.as_ref().map(|region| region.value.clone()),
        "region_origin": origin,
        "values": resource.attributes,
        "unknown": resource.unknown,
        "tags": resource.tags,
        "relations": relations,
        "source": resource.source.as_ref().map(|source| json!({
            "file": source.file.display().to_string(),
            "line": source.line,
            "column": source.column,
        })),
        "ignores": ignores,
    })
}

fn render_conftest(result: Result<Value, ReadError>) -> Value {
    match result {
        Ok(value) => value,
        Err(error) => render_error(&error),
    }
}

fn render_error(error: &ReadError) -> Value {
    let detail = match error {
        ReadError::Io { path, .. } => json!({ "kind": "io", "path": path.display().to_string() }),
        ReadError::Syntax { path, line, column, message } => json!({
            "kind": "syntax",
            "path": path.display().to_string(),
            "line": line,
            "column": column,
            "message": message,
        }),
        ReadError::Invalid { path, message } => json!({
            "kind": "invalid",
            "path": path.display().to_string(),
            "message": message,
        }),
    };
    json!({ "error": detail, "display": error.to_string() })
}

fn options(vars: &[(&str, &str)], var_files: &[&str]) -> HclOptions {
    HclOptions {
        vars: vars.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect(),
        var_files: var_files.iter().map(|file| Path::new(FIXTURES).join(file)).collect(),
    }
}

fn aws_cases() -> Vec<Case> {
    use Expect::{At, Has, Lacks, Missing};
    let main = "tests/fixtures/hcl/aws/main.tf";
    vec![
        Case {
            name: "aws directory with defaults",
            input: Input::Dir("aws", HclOptions::default()),
            expect: vec![
                At("/kind", json!("hcl")),
                At("/origin", json!("tests/fixtures/hcl/aws")),
                At(
                    "/order",
                    json!([
                        "aws_kms_key.main",
                        "aws_s3_bucket.logs",
                        "aws_s3_bucket.us",
                        "aws_s3_bucket.own_region",
                        "aws_s3_bucket.each[\"data\"]",
                        "aws_s3_bucket.each[\"logs\"]",
                        "aws_instance.web[0]",
                        "aws_instance.web[1]",
                        "aws_instance.unknown_count",
                        "aws_s3_bucket.unset",
                        "aws_sqs_queue.unknown_region",
                        "data.aws_ami.base",
                        "data.aws_availability_zones.all",
                    ]),
                ),
                // Functions, locals and templates are evaluated.
                At("/resources/aws_kms_key.main/values/description", json!("key for prod-acme")),
                At("/resources/aws_s3_bucket.logs/values/bucket", json!("prod-acme-logs")),
                // The default provider configuration, and its default tags under the
                // resource's own tags.
                At("/resources/aws_s3_bucket.logs/provider", json!("aws")),
                At("/resources/aws_s3_bucket.logs/region", json!("eu-central-1")),
                At("/resources/aws_s3_bucket.logs/region_origin", json!("provider aws")),
                At(
                    "/resources/aws_s3_bucket.logs/tags",
                    json!({
                        "Name": "logs", "cost-centre": "cc-1", "environment": "prod",
                        "owner": "security", "team": "DATA",
                    }),
                ),
                // Nested blocks are lists of objects, as in a plan; an optional object
                // attribute gets its default from the variable's type.
                At("/resources/aws_s3_bucket.logs/values/versioning/0/enabled", json!(true)),
                At(
                    "/resources/aws_s3_bucket.logs/values/server_side_encryption_configuration/0/rule/0/apply_server_side_encryption_by_default/0/sse_algorithm",
                    json!("aws:kms"),
                ),
                // A reference to another resource's computed attribute is unknown and a
                // relation, like in a plan, without a diagnostic.
                At(
                    "/resources/aws_s3_bucket.logs/unknown",
                    json!([
                        "server_side_encryption_configuration.0.rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"
                    ]),
                ),
                At(
                    "/resources/aws_s3_bucket.logs/relations",
                    json!([{
                        "kind": "encryption_key",
                        "attribute": "server_side_encryption_configuration.0.rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id",
                        "target": "aws_kms_key.main",
                    }]),
                ),
                Lacks("/diagnostics", json!({ "address": "aws_s3_bucket.logs" })),
                // Every resource points at its block, with the path as the user types it.
                At(
                    "/resources/aws_s3_bucket.logs/source",
                    json!({ "file": main, "line": 13, "column": 1 }),
                ),
                // Inline ignores above the block, several ids in one comment, and one
                // without a reason, kept with an empty reason.
                At(
                    "/resources/aws_s3_bucket.logs/ignores",
                    json!([
                        { "rule_id": "TRN-AWS-S3-001", "reason": "log bucket is public by design", "line": 11 },
                        { "rule_id": "TRN-AWS-S3-002", "reason": "", "line": 12 },
                        { "rule_id": "TRN-AWS-S3-003", "reason": "", "line": 12 },
                    ]),
                ),
                // An aliased provider picked with `provider = aws.us`; an ignore inside
                // the block.
                At("/resources/aws_s3_bucket.us/provider", json!("aws.us")),
                At("/resources/aws_s3_bucket.us/region", json!("us-east-1")),
                At("/resources/aws_s3_bucket.us/region_origin", json!("provider aws.us")),
                At("/resources/aws_s3_bucket.us/tags", json!({})),
                At("/resources/aws_s3_bucket.us/values/bucket", json!("prod-acme-us")),
                At(
                    "/resources/aws_s3_bucket.us/ignores",
                    json!([{ "rule_id": "TRN-AWS-RES-001", "reason": "replica kept in the US for the auditors", "line": 34 }]),
                ),
                At("/resources/aws_kms_key.main/ignores", json!([])),
                // The resource's own `region` argument (AWS provider 6) wins.
                At("/resources/aws_s3_bucket.own_region/region", json!("eu-west-3")),
                At("/resources/aws_s3_bucket.own_region/region_origin", json!("argument region")),
                // `for_each` over a set and `count` are expanded with their keys.
                At(
                    "/resources/aws_s3_bucket.each[\"data\"]/values/bucket",
                    json!("prod-acme-data"),
                ),
                At("/resources/aws_instance.web[1]/values/tags/Name", json!("web-1")),
                At("/resources/aws_instance.web[0]/values/instance_type", json!("m5.large")),
                At("/resources/aws_instance.web[0]/unknown", json!(["ami", "tags.Image"])),
                Has(
                    "/resources/aws_instance.web[0]/relations",
                    json!({ "kind": "reference", "attribute": "ami", "target": "data.aws_ami.base" }),
                ),
                // A data source attribute is reported, one diagnostic per attribute.
                Has(
                    "/diagnostics",
                    json!({
                        "kind": "unresolved_value",
                        "address": "aws_instance.web[0]",
                        "message": "`ami` depends on data source `data.aws_ami.base`",
                        "file": main,
                        "line": 49,
                    }),
                ),
                Has(
                    "/diagnostics",
                    json!({ "address": "aws_instance.web[1]", "message": "*`tags.Image` depends on data source" }),
                ),
                // An unknown `count` keeps one resource at the unexpanded address.
                At("/resources/aws_instance.unknown_count/values/instance_type", json!("t3.micro")),
                Missing("/resources/aws_instance.unknown_count[0]"),
                Has(
                    "/diagnostics",
                    json!({
                        "kind": "unresolved_value",
                        "address": "aws_instance.unknown_count",
                        "message": "`count` depends on data source `data.aws_availability_zones.all`",
                        "line": 58,
                    }),
                ),
                Has(
                    "/diagnostics",
                    json!({ "address": "aws_instance.unknown_count", "message": "*`subnet_id` depends on `count.index`" }),
                ),
                // A variable without value or default.
                At("/resources/aws_s3_bucket.unset/unknown", json!(["bucket"])),
                Has(
                    "/diagnostics",
                    json!({ "address": "aws_s3_bucket.unset", "message": "`bucket` depends on variable `unset`, which has no value" }),
                ),
                // A region argument that cannot be evaluated leaves the region undecided,
                // rather than falling back to the provider's.
                At("/resources/aws_sqs_queue.unknown_region/region", Value::Null),
                At("/resources/aws_sqs_queue.unknown_region/unknown", json!(["region"])),
                // Data sources are resources in data mode, without default tags.
                At("/resources/data.aws_ami.base/mode", json!("data")),
                At("/resources/data.aws_ami.base/values/owners", json!(["amazon"])),
                At("/resources/data.aws_ami.base/tags", json!({})),
            ],
        },
        Case {
            name: "aws directory with -var options",
            input: Input::Dir(
                "aws",
                options(
                    &[
                        ("region", "eu-west-2"),
                        ("replicas", "1"),
                        ("environment", "dev"),
                        ("unset", "named"),
                    ],
                    &[],
                ),
            ),
            expect: vec![
                At("/resources/aws_kms_key.main/region", json!("eu-west-2")),
                At("/resources/aws_instance.web[0]/values/instance_type", json!("t3.micro")),
                Missing("/resources/aws_instance.web[1]"),
                At("/resources/aws_s3_bucket.unset/values/bucket", json!("named")),
                At("/resources/aws_s3_bucket.logs/tags/environment", json!("dev")),
            ],
        },
    ]
}

fn module_cases() -> Vec<Case> {
    use Expect::{At, Has, Lacks};
    vec![Case {
        name: "local and remote modules",
        input: Input::Dir("modules", HclOptions::default()),
        expect: vec![
            At(
                "/order",
                json!([
                    "module.key.aws_kms_key.this",
                    "module.archive.aws_s3_bucket.this",
                    "module.archive.aws_s3_bucket_server_side_encryption_configuration.this",
                    "module.team[\"alpha\"].aws_s3_bucket.this",
                    "module.team[\"alpha\"].aws_s3_bucket_server_side_encryption_configuration.this",
                    "module.team[\"beta\"].aws_s3_bucket.this",
                    "module.team[\"beta\"].aws_s3_bucket_server_side_encryption_configuration.this",
                    "aws_s3_bucket_policy.archive",
                    "aws_sns_topic.alerts",
                ]),
            ),
            // Module arguments become the module's variables.
            At("/resources/module.key.aws_kms_key.this/values/description", json!("key shared")),
            At(
                "/resources/module.archive.aws_s3_bucket.this/values/tags",
                json!({ "purpose": "archive" }),
            ),
            At(
                "/resources/module.team[\"beta\"].aws_s3_bucket.this/values/bucket",
                json!("team-beta"),
            ),
            // A provider passed with `providers = { aws = aws.eu_west }`, or inherited.
            At("/resources/module.archive.aws_s3_bucket.this/provider", json!("aws.eu_west")),
            At("/resources/module.archive.aws_s3_bucket.this/region", json!("eu-west-1")),
            At("/resources/module.team[\"alpha\"].aws_s3_bucket.this/provider", json!("aws")),
            At(
                "/resources/module.team[\"alpha\"].aws_s3_bucket.this/region",
                json!("eu-central-1"),
            ),
            // References follow module outputs and arguments to the resource behind them.
            Has(
                "/resources/module.archive.aws_s3_bucket_server_side_encryption_configuration.this/relations",
                json!({
                    "kind": "encryption_key",
                    "attribute": "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id",
                    "target": "module.key.aws_kms_key.this",
                }),
            ),
            Has(
                "/resources/aws_s3_bucket_policy.archive/relations",
                json!({ "kind": "configures", "attribute": "bucket", "target": "module.archive.aws_s3_bucket.this" }),
            ),
            At("/resources/aws_s3_bucket_policy.archive/region", json!("eu-west-1")),
            At(
                "/resources/aws_s3_bucket_policy.archive/region_origin",
                json!("parent module.archive.aws_s3_bucket.this"),
            ),
            At(
                "/resources/module.team[\"alpha\"].aws_s3_bucket_server_side_encryption_configuration.this/source",
                json!({ "file": "tests/fixtures/hcl/modules/modules/bucket/main.tf", "line": 19, "column": 1 }),
            ),
            // Remote modules are reported where they are called, never dropped silently.
            Has(
                "/diagnostics",
                json!({
                    "kind": "remote_module",
                    "address": "module.vpc",
                    "message": "*`terraform-aws-modules/vpc/aws`",
                    "file": "tests/fixtures/hcl/modules/main.tf",
                    "line": 34,
                }),
            ),
            Has(
                "/diagnostics",
                json!({ "kind": "remote_module", "address": "module.from_git", "line": 40 }),
            ),
            Has(
                "/diagnostics",
                json!({ "address": "aws_sns_topic.alerts", "message": "`name` depends on an output of remote module `module.vpc`" }),
            ),
            Lacks(
                "/diagnostics",
                json!({ "address": "aws_sns_topic.alerts", "message": "*kms_master_key_id" }),
            ),
        ],
    }]
}

fn nested_module_cases() -> Vec<Case> {
    use Expect::{At, Has};
    vec![Case {
        name: "module in a sibling directory and a module fetched over https",
        input: Input::Dir("nested/root", HclOptions::default()),
        expect: vec![
            At("/order", json!(["module.shared.azurerm_resource_group.shared"])),
            At(
                "/resources/module.shared.azurerm_resource_group.shared/region",
                json!("northeurope"),
            ),
            At(
                "/resources/module.shared.azurerm_resource_group.shared/source/file",
                json!("tests/fixtures/hcl/nested/shared/main.tf"),
            ),
            Has(
                "/diagnostics",
                json!({
                    "kind": "remote_module",
                    "address": "module.from_http",
                    "message": "*`https://example.com/modules/network.zip`",
                    "line": 10,
                }),
            ),
        ],
    }]
}

fn cloud_cases() -> Vec<Case> {
    use Expect::{At, Has};
    vec![
        Case {
            name: "google and azure regions",
            input: Input::Dir("clouds", HclOptions::default()),
            expect: vec![
                At("/resources/google_storage_bucket.eu/region", json!("EU")),
                At("/resources/google_storage_bucket.eu/region_origin", json!("argument location")),
                At("/resources/google_storage_bucket.eu/tags", json!({ "team": "data" })),
                Has(
                    "/resources/google_storage_bucket.eu/relations",
                    json!({ "kind": "encryption_key", "attribute": "encryption.0.default_kms_key_name", "target": "google_kms_crypto_key.key" }),
                ),
                At("/resources/google_compute_instance.vm/region", json!("europe-west3-b")),
                At("/resources/google_compute_instance.vm/region_origin", json!("argument zone")),
                At("/resources/google_pubsub_topic.default_region/region", json!("europe-west3")),
                At(
                    "/resources/google_pubsub_topic.default_region/region_origin",
                    json!("provider google"),
                ),
                At("/resources/google_pubsub_topic.zonal/region", json!("europe-west1-b")),
                At(
                    "/resources/google_pubsub_topic.zonal/region_origin",
                    json!("provider google.zonal"),
                ),
                Has(
                    "/resources/google_logging_project_sink.audit/relations",
                    json!({ "kind": "log_destination", "attribute": "destination", "target": "google_storage_bucket.eu" }),
                ),
                // A reference to an argument another resource sets is known, as in a plan.
                At("/resources/azurerm_storage_account.sa/region", json!("westeurope")),
                At(
                    "/resources/azurerm_storage_account.sa/region_origin",
                    json!("argument location"),
                ),
                At("/resources/azurerm_storage_account.sa/tags", json!({ "env": "prod" })),
                At("/resources/azurerm_storage_container.c/region", json!("westeurope")),
                At(
                    "/resources/azurerm_storage_container.c/region_origin",
                    json!("parent azurerm_storage_account.sa"),
                ),
                Has(
                    "/resources/azurerm_monitor_diagnostic_setting.diag/relations",
                    json!({ "kind": "log_destination", "attribute": "storage_account_id", "target": "azurerm_storage_account.sa" }),
                ),
                Has(
                    "/resources/azurerm_monitor_diagnostic_setting.diag/relations",
                    json!({ "kind": "log_destination", "attribute": "log_analytics_workspace_id", "target": "*/workspaces/ws" }),
                ),
                // Without a region anywhere, the region stays undecided.
                At("/resources/random_id.suffix/region", Value::Null),
                At("/resources/random_id.suffix/cloud", json!("other")),
            ],
        },
        Case {
            name: "s3 bucket parts, replication and logging",
            input: Input::Dir("s3", HclOptions::default()),
            expect: vec![
                At("/resources/aws_s3_bucket_versioning.data/region", json!("eu-central-1")),
                At(
                    "/resources/aws_s3_bucket_versioning.data/region_origin",
                    json!("parent aws_s3_bucket.data"),
                ),
                At(
                    "/resources/aws_s3_bucket_versioning.data/relations",
                    json!([{ "kind": "configures", "attribute": "bucket", "target": "aws_s3_bucket.data" }]),
                ),
                Has(
                    "/resources/aws_s3_bucket_logging.data/relations",
                    json!({ "kind": "log_destination", "attribute": "target_bucket", "target": "aws_s3_bucket.logs" }),
                ),
                Has(
                    "/resources/aws_s3_bucket_replication_configuration.data/relations",
                    json!({ "kind": "replication_target", "attribute": "rule.0.destination.0.bucket", "target": "aws_s3_bucket.replica" }),
                ),
                Has(
                    "/resources/aws_s3_bucket_replication_configuration.data/relations",
                    json!({ "kind": "replication_target", "attribute": "rule.1.destination.0.bucket", "target": "arn:aws:s3:::partner-bucket" }),
                ),
                At("/resources/aws_s3_bucket.replica/region", json!("eu-north-1")),
                // A known identifier on a relation attribute is a relation to it.
                Has(
                    "/resources/aws_s3_bucket_server_side_encryption_configuration.data/relations",
                    json!({ "kind": "encryption_key", "target": "arn:aws:kms:us-east-1:111122223333:key/abcd" }),
                ),
                Has(
                    "/resources/aws_s3_bucket_server_side_encryption_configuration.data/relations",
                    json!({ "kind": "configures", "attribute": "bucket", "target": "aws_s3_bucket.data" }),
                ),
                Has(
                    "/resources/aws_backup_plan.daily/relations",
                    json!({ "kind": "replication_target", "attribute": "rule.0.copy_action.0.destination_vault_arn" }),
                ),
                Has(
                    "/resources/aws_vpc_peering_connection.peer/relations",
                    json!({ "kind": "replication_target", "attribute": "peer_region", "target": "ap-southeast-1" }),
                ),
                // Dynamic blocks expand when their `for_each` is known, with `iterator`.
                At(
                    "/resources/aws_s3_bucket_public_access_block.data/values/filter",
                    json!([{ "name": "a", "value": "x-acme-data" }, { "name": "b", "value": "y-acme-data" }]),
                ),
                At(
                    "/resources/aws_s3_bucket_public_access_block.data/unknown",
                    json!(["bucket", "rule"]),
                ),
                Has(
                    "/diagnostics",
                    json!({
                        "address": "aws_s3_bucket_public_access_block.data",
                        "message": "`rule` depends on data source `data.aws_s3_objects.all`",
                        "line": 85,
                    }),
                ),
            ],
        },
    ]
}

fn variable_and_gap_cases() -> Vec<Case> {
    use Expect::At;
    vec![
        Case {
            name: "variable files and options in Terraform's order",
            input: Input::Dir(
                "vars",
                options(
                    &[
                        ("from_var_option", "eu-west-1"),
                        ("list_option", "[\"a\", \"b\"]"),
                        ("number_option", "41"),
                    ],
                    &["vars/options/extra.tfvars"],
                ),
            ),
            expect: vec![At(
                "/resources/null_resource.values/values/triggers",
                json!({
                    "from_tfvars": "tfvars",
                    "from_tfvars_json": "tfvars.json",
                    "from_auto": "AUTO",
                    "from_auto_json": "auto.json",
                    "from_file_option": "file option",
                    "from_var_option": "eu-west-1",
                    "list_option": "a,b",
                    "number_option": 42,
                    "defaulted": "default",
                }),
            )],
        },
        Case {
            name: "parser gaps real modules hit",
            input: Input::Dir("gaps", HclOptions::default()),
            expect: vec![
                // A file starting with a byte order mark.
                At("/resources/aws_sqs_queue.bom/values/name", json!("with-byte-order-mark")),
                At(
                    "/resources/aws_sqs_queue.bom/source",
                    json!({ "file": "tests/fixtures/hcl/gaps/bom.tf", "line": 1, "column": 1 }),
                ),
                // A key repeated in an object: the last value wins, as in Terraform.
                At(
                    "/resources/aws_sqs_queue.duplicate_keys/values/tags",
                    json!({ "Name": "second", "team": "platform" }),
                ),
                // An object `for` whose value continues over lines after `=>`.
                At(
                    "/resources/aws_sqs_queue.for_objects/values/tags",
                    json!({
                        "api": "https://api.example.com:443",
                        "worker": "internal",
                        "port-api": "1443",
                        "port-worker": "9080",
                    }),
                ),
                // `try` and `can`, inside `for` expressions and templates.
                At(
                    "/resources/aws_sqs_queue.templates/values/fallback",
                    json!(["api-ok", "worker-ok"]),
                ),
                At(
                    "/resources/aws_sqs_queue.templates/values/checks",
                    json!({ "api": true, "worker": true }),
                ),
                At(
                    "/resources/aws_sqs_queue.templates/values/policy",
                    json!(
                        "{\"queue\": \"443\", \"api\": true, \"worker\": true, \"end\": \"none\"}\n"
                    ),
                ),
                // A JSON configuration file is reported, not read.
                At(
                    "/diagnostics",
                    json!([{
                        "kind": "unsupported",
                        "address": null,
                        "message": "`settings.tf.json` is not read because the JSON configuration syntax is not supported",
                        "file": "tests/fixtures/hcl/gaps/settings.tf.json",
                        "line": null,
                    }]),
                ),
            ],
        },
    ]
}

fn chain_cases() -> Vec<Case> {
    use Expect::{At, Has};
    vec![Case {
        name: "chains of references too deep to follow, and cycles",
        input: Input::Dir("deep", HclOptions::default()),
        expect: vec![
            At("/resources/null_resource.chain/values/triggers", json!({ "near": "close" })),
            At(
                "/resources/null_resource.chain/unknown",
                json!(["triggers.deep", "triggers.cycle"]),
            ),
            Has(
                "/diagnostics",
                json!({ "message": "`triggers.deep` cannot be evaluated: references are chained deeper than 64 levels" }),
            ),
            Has(
                "/diagnostics",
                json!({ "message": "`triggers.cycle` cannot be evaluated: the value depends on itself" }),
            ),
        ],
    }]
}

fn error_cases() -> Vec<Case> {
    use Expect::At;
    vec![
        Case {
            name: "directory without .tf files",
            input: Input::Dir("empty", HclOptions::default()),
            expect: vec![
                At(
                    "/error",
                    json!({ "kind": "invalid", "path": "tests/fixtures/hcl/empty", "message": "the directory has no `.tf` files" }),
                ),
                At(
                    "/display",
                    json!("`tests/fixtures/hcl/empty`: the directory has no `.tf` files"),
                ),
            ],
        },
        Case {
            name: "syntax error with file, line and column",
            input: Input::Dir("syntax", HclOptions::default()),
            expect: vec![
                At("/error/kind", json!("syntax")),
                At("/error/path", json!("tests/fixtures/hcl/syntax/main.tf")),
                At("/error/line", json!(3)),
                At("/error/column", json!(20)),
            ],
        },
        Case {
            name: "local module that does not exist",
            input: Input::Dir("missing_module", HclOptions::default()),
            expect: vec![At(
                "/error",
                json!({
                    "kind": "invalid",
                    "path": "tests/fixtures/hcl/missing_module/modules/gone",
                    "message": "module `gone` calls a directory that does not exist",
                }),
            )],
        },
        Case {
            name: "directory that does not exist",
            input: Input::Dir("nowhere", HclOptions::default()),
            expect: vec![At(
                "/error",
                json!({ "kind": "io", "path": "tests/fixtures/hcl/nowhere" }),
            )],
        },
        Case {
            name: "variable file that does not exist",
            input: Input::Dir("vars", options(&[], &["vars/missing.tfvars"])),
            expect: vec![At(
                "/error",
                json!({ "kind": "io", "path": "tests/fixtures/hcl/vars/missing.tfvars" }),
            )],
        },
    ]
}

fn conftest_cases() -> Vec<Case> {
    use Expect::At;
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(FIXTURES).join("conftest/main.json"))
            .expect("expected conftest output is readable"),
    )
    .expect("expected conftest output is JSON");
    vec![
        Case {
            name: "conftest shape of a file",
            input: Input::Conftest("conftest/main.tf"),
            expect: vec![At("", expected)],
        },
        Case {
            name: "conftest keeps the last of repeated keys",
            input: Input::ConftestText(
                "locals {\n  tags = {\n    a = 1\n    a = 2\n    \"b\" = 3\n    b = 4\n  }\n}\n",
            ),
            expect: vec![At("/locals/0/tags", json!({ "a": 2, "b": 4 }))],
        },
        Case {
            name: "conftest renders repaired for expressions as written",
            input: Input::ConftestText(
                "locals {\n  x = { for k, v in m : k =>\n    v.a\n    ? 1\n    : 2 }\n}\n",
            ),
            expect: vec![At(
                "/locals/0/x",
                json!("${{ for k, v in m : k =>\n    v.a\n    ? 1\n    : 2 }}"),
            )],
        },
        Case {
            name: "conftest refuses blocks that claim the same key",
            input: Input::ConftestText("resource \"a\" {}\nresource \"a\" \"b\" {}\n"),
            expect: vec![At(
                "/error",
                json!({
                    "kind": "invalid",
                    "path": "inline.tf",
                    "message": "block `resource.a.b` conflicts with another block or argument of the same name",
                }),
            )],
        },
        Case {
            name: "conftest reports syntax errors",
            input: Input::ConftestText("a = {\n  b = \n}\n"),
            expect: vec![At("/error/kind", json!("syntax")), At("/error/line", json!(2))],
        },
    ]
}

#[test]
fn reads_directories_and_files_as_terraform_and_conftest_do() {
    let cases = [
        aws_cases(),
        module_cases(),
        nested_module_cases(),
        cloud_cases(),
        variable_and_gap_cases(),
        chain_cases(),
        error_cases(),
        conftest_cases(),
    ];
    for case in cases.iter().flatten() {
        check(case);
    }
}

/// Every `.tf` file under `dir`, recursively, in name order.
fn tf_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("fixture directory is readable") {
            let path = entry.expect("fixture entry is readable").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "tf") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn parses_every_file_of_the_module_corpus() {
    let corpus = Path::new(FIXTURES).join("corpus");
    let files = tf_files(&corpus);
    let mut bytes = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("corpus file is readable");
        bytes += text.len();
        if let Err(error) = hcl_to_conftest_json(file, &text) {
            panic!("{error}");
        }
    }
    assert!(files.len() >= 10, "the corpus has {} files", files.len());

    // Whole directories evaluate too: every resource gets a source location, and a
    // directory fails only for a local module the corpus does not include.
    let mut dirs: Vec<PathBuf> =
        files.iter().filter_map(|file| file.parent().map(Path::to_path_buf)).collect();
    dirs.dedup();
    let mut resources = 0;
    for dir in &dirs {
        match read_hcl_dir(dir, &HclOptions::default()) {
            Ok(estate) => {
                resources += estate.resources.len();
                assert!(
                    estate.resources.iter().all(|resource| resource.source.is_some()),
                    "{}",
                    dir.display()
                );
            }
            Err(ReadError::Invalid { message, .. })
                if message.contains("calls a directory that does not exist") => {}
            Err(error) => panic!("{}: {error}", dir.display()),
        }
    }
    assert!(resources > 50, "the corpus yields {resources} resources");
    eprintln!(
        "corpus: {} files, {bytes} bytes, {} directories, {resources} resources",
        files.len(),
        dirs.len()
    );
}

/// Mutations of a text: truncations, and single characters replaced by ones that open or
/// close constructs.
fn mutations(text: &str) -> Vec<String> {
    const REPLACEMENTS: [&str; 12] =
        ["{", "}", "[", "\"", "$", "%{", "=", "~", "#", "\n", "<<EOT", "/*"];
    let boundaries: Vec<usize> =
        text.char_indices().map(|(index, _)| index).chain([text.len()]).collect();
    let step = (boundaries.len() / 60).max(1);
    let mut variants = Vec::new();
    for (position, &offset) in boundaries.iter().enumerate().step_by(step) {
        variants.push(text[..offset].to_owned());
        let replacement = REPLACEMENTS[position % REPLACEMENTS.len()];
        let next = boundaries.get(position + 1).copied().unwrap_or(text.len());
        variants.push(format!("{}{replacement}{}", &text[..offset], &text[next..]));
    }
    variants
}

#[test]
fn never_panics_on_truncated_or_mutated_input() {
    let files = tf_files(Path::new(FIXTURES));
    let scratch = tempfile::tempdir().expect("temporary directory");
    for file in &files {
        let text = std::fs::read_to_string(file).expect("fixture is readable");
        for (index, variant) in mutations(&text).into_iter().enumerate() {
            let _ = hcl_to_conftest_json(file, &variant);
            // Evaluating a whole directory is slower: a sample of the variants suffices.
            if index % 8 == 0 {
                std::fs::write(scratch.path().join("main.tf"), &variant)
                    .expect("scratch file is writable");
                let _ = read_hcl_dir(scratch.path(), &HclOptions::default());
            }
        }
    }
}
