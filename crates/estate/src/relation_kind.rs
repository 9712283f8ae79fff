//! Which relation an attribute makes, decided by resource type and attribute path.
//!
//! The table is data so that it is easy to extend: one row per attribute, most specific
//! rows first. It knows nothing of how a reader found the value; readers hand it the
//! attribute path with list indices left out (`rule.destination.bucket`).

use std::sync::LazyLock;

use self::Types::{Any, Exact, Prefix};
use crate::RelationKind;
use crate::RelationKind::{Configures, EncryptionKey, LogDestination, ReplicationTarget};

/// Which way a link points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// The resource holding the attribute is the source (`kms_key_id` on a bucket names
    /// the bucket's key).
    Forward,
    /// The resource the attribute names is the source: a replica key's `primary_key_arn`
    /// names the key that replicates to it, so the primary gets the relation.
    Reverse,
}

/// What an attribute means as a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LinkRule {
    /// The relation it makes.
    pub(crate) kind: RelationKind,
    /// Which end is the source.
    pub(crate) direction: Direction,
}

/// The resource types a row applies to.
enum Types {
    Any,
    Exact(&'static str),
    Prefix(&'static str),
}

/// One attribute: the last names of its path, for the types it applies to.
struct Row {
    types: Types,
    path: &'static [&'static str],
    rule: LinkRule,
}

const fn row(types: Types, path: &'static [&'static str], kind: RelationKind) -> Row {
    Row { types, path, rule: LinkRule { kind, direction: Direction::Forward } }
}

const fn reverse(resource_type: &'static str, path: &'static [&'static str]) -> Row {
    Row {
        types: Types::Exact(resource_type),
        path,
        rule: LinkRule { kind: RelationKind::ReplicationTarget, direction: Direction::Reverse },
    }
}

const OBJECT_REPLICATION: &str = "azurerm_storage_object_replication";

// Invariant: a row that restricts the type comes before any `Any` row with the same path,
// because the first matching row wins.
const ROWS: &[Row] = &[
    // A replica names its source; the source is what replicates.
    reverse("aws_kms_replica_key", &["primary_key_arn"]),
    reverse("aws_kms_replica_external_key", &["primary_key_arn"]),
    reverse("aws_dynamodb_table_replica", &["global_table_arn"]),
    reverse("aws_db_instance", &["replicate_source_db"]),
    reverse("aws_rds_cluster", &["replication_source_identifier"]),
    reverse("google_sql_database_instance", &["master_instance_name"]),
    reverse("azurerm_mssql_database", &["creation_source_database_id"]),
    // Attributes whose meaning depends on the type.
    row(Exact("azurerm_storage_account_customer_managed_key"), &["key_vault_id"], EncryptionKey),
    row(Prefix("azurerm_monitor_"), &["storage_account_id"], LogDestination),
    row(Prefix("azurerm_monitor_"), &["eventhub_authorization_rule_id"], LogDestination),
    row(Prefix("azurerm_monitor_"), &["target_resource_id"], Configures),
    row(Prefix("google_logging_"), &["destination"], LogDestination),
    row(Exact(OBJECT_REPLICATION), &["destination_storage_account_id"], ReplicationTarget),
    row(Exact(OBJECT_REPLICATION), &["source_storage_account_id"], Configures),
    row(Exact("aws_ecr_replication_configuration"), &["destination", "region"], ReplicationTarget),
    // Where copies of the data go.
    row(Any, &["destination", "bucket"], ReplicationTarget),
    row(Any, &["destination_vault_arn"], ReplicationTarget),
    row(Any, &["peer_region"], ReplicationTarget),
    row(Any, &["replica", "region_name"], ReplicationTarget),
    row(Any, &["replica", "region"], ReplicationTarget),
    row(Any, &["replicas", "location"], ReplicationTarget),
    row(Any, &["replica_regions"], ReplicationTarget),
    row(Any, &["geo_location", "location"], ReplicationTarget),
    row(Any, &["partner_server", "id"], ReplicationTarget),
    row(Any, &["secondary_server_id"], ReplicationTarget),
    // Keys that encrypt the data.
    row(Any, &["kms_key_id"], EncryptionKey),
    row(Any, &["kms_key_arn"], EncryptionKey),
    row(Any, &["kms_master_key_id"], EncryptionKey),
    row(Any, &["kms_key_name"], EncryptionKey),
    row(Any, &["default_kms_key_name"], EncryptionKey),
    row(Any, &["kms_key_self_link"], EncryptionKey),
    row(Any, &["kms_key"], EncryptionKey),
    row(Any, &["encryption_key"], EncryptionKey),
    row(Any, &["encryption_key_name"], EncryptionKey),
    row(Any, &["key_vault_key_id"], EncryptionKey),
    row(Any, &["cmk_key_vault_key_id"], EncryptionKey),
    row(Any, &["managed_hsm_key_id"], EncryptionKey),
    row(Any, &["disk_encryption_set_id"], EncryptionKey),
    // Where logs and audit records go.
    row(Any, &["target_bucket"], LogDestination),
    row(Any, &["s3_bucket_name"], LogDestination),
    row(Any, &["log_analytics_workspace_id"], LogDestination),
    row(Any, &["cloud_watch_logs_group_arn"], LogDestination),
    row(Any, &["log_destination"], LogDestination),
    row(Any, &["destination_arn"], LogDestination),
    // Parts of another resource, which inherit its region.
    row(Prefix("aws_s3_bucket_"), &["bucket"], Configures),
    row(Exact("aws_s3_object"), &["bucket"], Configures),
    row(Exact("aws_kms_alias"), &["target_key_id"], Configures),
    row(Prefix("azurerm_key_vault_"), &["key_vault_id"], Configures),
    row(Prefix("azurerm_storage_"), &["storage_account_id"], Configures),
    row(Prefix("azurerm_mssql_"), &["server_id"], Configures),
    row(Prefix("azurerm_postgresql_"), &["server_id"], Configures),
    row(Prefix("azurerm_mysql_"), &["server_id"], Configures),
    row(Exact("google_kms_crypto_key"), &["key_ring"], Configures),
];

/// The last path names of every row, sorted, so that most attributes are ruled out with
/// one binary search instead of a scan of the table.
static LEAVES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut leaves: Vec<&'static str> =
        ROWS.iter().filter_map(|row| row.path.last().copied()).collect();
    leaves.sort_unstable();
    leaves.dedup();
    leaves
});

/// True when some row ends with the attribute name `leaf`; a cheap first test before
/// [`link_rule`].
pub(crate) fn is_link_leaf(leaf: &str) -> bool {
    LEAVES.binary_search(&leaf).is_ok()
}

/// The rule for the attribute whose path names (list indices left out) are `names`, on a
/// resource of type `resource_type`.
pub(crate) fn link_rule<'p, I>(resource_type: &str, names: I) -> Option<LinkRule>
where
    I: DoubleEndedIterator<Item = &'p str> + Clone,
{
    ROWS.iter()
        .find(|row| applies_to(&row.types, resource_type) && ends_with(names.clone(), row.path))
        .map(|row| row.rule)
}

/// The rule for a dotted attribute path with list indices (`rule.0.destination.0.bucket`).
pub(crate) fn link_rule_for_path(resource_type: &str, path: &str) -> Option<LinkRule> {
    link_rule(resource_type, path.split('.').filter(|name| !is_index(name)))
}

/// True for a list index segment of a dotted path.
pub(crate) fn is_index(segment: &str) -> bool {
    !segment.is_empty() && segment.bytes().all(|byte| byte.is_ascii_digit())
}

fn applies_to(types: &Types, resource_type: &str) -> bool {
    match types {
        Types::Any => true,
        Types::Exact(exact) => resource_type == *exact,
        Types::Prefix(prefix) => resource_type.starts_with(prefix),
    }
}

fn ends_with<'p, I>(names: I, suffix: &[&str]) -> bool
where
    I: DoubleEndedIterator<Item = &'p str>,
{
    let mut names = names.rev();
    suffix.iter().rev().all(|expected| names.next() == Some(*expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(resource_type: &str, path: &str, expected: Option<(RelationKind, Direction)>) {
        let rule = link_rule_for_path(resource_type, path);
        assert_eq!(
            rule.map(|rule| (rule.kind, rule.direction)),
            expected,
            "{resource_type} {path}"
        );
        if expected.is_some() {
            let leaf = path.rsplit('.').find(|name| !is_index(name)).unwrap_or_default();
            assert!(is_link_leaf(leaf), "{leaf}");
        }
    }

    #[test]
    fn classifies_attributes_by_type_and_path() {
        use Direction::{Forward, Reverse};
        let cases = [
            (
                "aws_s3_bucket_replication_configuration",
                "rule.0.destination.0.bucket",
                Some((ReplicationTarget, Forward)),
            ),
            ("aws_s3_bucket_replication_configuration", "bucket", Some((Configures, Forward))),
            (
                "aws_s3_bucket_server_side_encryption_configuration",
                "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id",
                Some((EncryptionKey, Forward)),
            ),
            ("aws_s3_bucket_logging", "target_bucket", Some((LogDestination, Forward))),
            ("aws_kms_replica_key", "primary_key_arn", Some((ReplicationTarget, Reverse))),
            ("aws_dynamodb_table", "replica.0.region_name", Some((ReplicationTarget, Forward))),
            (
                "azurerm_monitor_diagnostic_setting",
                "storage_account_id",
                Some((LogDestination, Forward)),
            ),
            ("azurerm_storage_container", "storage_account_id", Some((Configures, Forward))),
            (
                "azurerm_storage_account_customer_managed_key",
                "key_vault_id",
                Some((EncryptionKey, Forward)),
            ),
            ("azurerm_key_vault_key", "key_vault_id", Some((Configures, Forward))),
            ("google_logging_project_sink", "destination", Some((LogDestination, Forward))),
            (
                "google_storage_bucket",
                "encryption.0.default_kms_key_name",
                Some((EncryptionKey, Forward)),
            ),
            ("aws_instance", "subnet_id", None),
            ("aws_s3_bucket", "bucket", None),
            ("aws_lb", "destination", None),
        ];
        for (resource_type, path, expected) in cases {
            check(resource_type, path, expected);
        }
    }
}
