package terrane.pack.aws.transfer_test

import rego.v1

import data.terrane.pack.aws.transfer
import data.terrane.testing

of(rule_id, findings) := {f | some f in findings; f.rule_id == rule_id}

at(t, values) := {"type": t, "name": "x", "region": "eu-central-1", "values": values}

# --- TRN-AWS-XFR-001 ----------------------------------------------------------------

replication(destination_region) := {
	"type": "aws_s3_bucket_replication_configuration",
	"name": "r",
	"region": "eu-central-1",
	"values": {"rule": [{"status": "Enabled", "destination": [{"bucket": "arn:aws:s3:::replica"}]}]},
	"relations": [{
		"kind": "replication_target",
		"attribute": "rule.0.destination.0.bucket",
		"target": "aws_s3_bucket.replica",
		"target_type": "aws_s3_bucket",
		"target_region": destination_region,
	}],
}

test_trn_aws_xfr_001_london_destination_fires if {
	findings := transfer.deny with input as testing.estate([replication("eu-west-2")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-XFR-001"
	contains(f.message, "eu-west-2")
}

test_trn_aws_xfr_001_sovereign_cloud_destination_passes if {
	findings := transfer.deny with input as testing.estate([replication("eusc-de-east-1")])
	count(findings) == 0
}

test_trn_aws_xfr_001_eu_destination_passes if {
	findings := transfer.deny with input as testing.estate([replication("eu-west-3")])
	count(findings) == 0
}

test_trn_aws_xfr_001_destination_unknown_undecided if {
	findings := transfer.deny with input as testing.estate([replication(null)])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "aws_s3_bucket.replica")
}

test_trn_aws_xfr_001_bucket_arn_only_undecided if {
	config := object.remove(replication(null), ["relations"])
	findings := transfer.deny with input as testing.estate([config])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "arn:aws:s3:::replica")
}

# --- TRN-AWS-XFR-002 ----------------------------------------------------------------

test_trn_aws_xfr_002_peering_to_zurich_fires if {
	findings := transfer.deny with input as testing.estate([at("aws_vpc_peering_connection", {"peer_region": "eu-central-2"})])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-XFR-002"
	contains(f.message, "eu-central-2")
}

test_trn_aws_xfr_002_transit_gateway_peer_unknown_undecided if {
	findings := transfer.deny with input as testing.estate([at("aws_ec2_transit_gateway_peering_attachment", {"peer_region": "xx-nowhere-1"})])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "xx-nowhere-1")
}

test_trn_aws_xfr_002_accelerator_fires if {
	findings := transfer.deny with input as testing.estate([{"type": "aws_globalaccelerator_accelerator", "name": "a", "region": "us-west-2"}])
	count(findings) == 1
	some f in findings
	contains(f.message, "global edge")
}

test_trn_aws_xfr_002_peering_inside_passes if {
	findings := transfer.deny with input as testing.estate([
		at("aws_vpc_peering_connection", {"peer_region": "eu-west-1"}),
		at("aws_vpc_peering_connection", {"peer_vpc_id": "vpc-1"}),
		{"type": "aws_globalaccelerator_accelerator", "name": "a", "tags": {"data-classification": "public"}},
	])
	count(findings) == 0
}

# --- TRN-AWS-XFR-003 ----------------------------------------------------------------

eu_countries := ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]

with_countries(resources) := object.union(testing.estate(resources), {"jurisdiction": {"countries": eu_countries}})

distribution(values, tags) := {"type": "aws_cloudfront_distribution", "name": "d", "region": "us-east-1", "values": values, "tags": tags}

restricted_values(locations) := {
	"price_class": "PriceClass_100",
	"restrictions": [{"geo_restriction": [{"restriction_type": "whitelist", "locations": locations}]}],
}

test_trn_aws_xfr_003_unrestricted_distribution_fires if {
	findings := transfer.deny with input as with_countries([distribution({}, {})])
	count(findings) == 2
	some f in findings
	f.rule_id == "TRN-AWS-XFR-003"
	contains(f.message, "PriceClass_All")
}

test_trn_aws_xfr_003_london_in_whitelist_fires if {
	findings := transfer.deny with input as with_countries([distribution(restricted_values(["DE", "FR", "GB"]), {})])
	count(findings) == 1
	some f in findings
	contains(f.message, "GB")
}

test_trn_aws_xfr_003_sensitive_distribution_fires if {
	findings := transfer.deny with input as with_countries([distribution(restricted_values(["DE"]), {"data-classification": "confidential"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "confidential")
}

test_trn_aws_xfr_003_countries_unknown_undecided if {
	findings := transfer.deny with input as testing.estate([distribution(restricted_values(["DE"]), {})])
	count(findings) == 1
	some f in findings
	f.undecided
}

test_trn_aws_xfr_003_restricted_distribution_passes if {
	findings := transfer.deny with input as with_countries([distribution(restricted_values(["DE", "FR", "AT"]), {})])
	count(findings) == 0
}

test_trn_aws_xfr_003_public_distribution_passes if {
	findings := transfer.deny with input as with_countries([distribution({}, {"data-classification": "public"})])
	count(findings) == 0
}

# --- TRN-AWS-XFR-004 ----------------------------------------------------------------

test_trn_aws_xfr_004_table_replica_outside_fires if {
	table := at("aws_dynamodb_table", {"replica": [{"region_name": "eu-west-1"}, {"region_name": "us-east-1"}]})
	findings := transfer.deny with input as testing.estate([table])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-XFR-004"
	contains(f.message, "us-east-1")
}

test_trn_aws_xfr_004_redshift_snapshot_copy_fires if {
	cluster := at("aws_redshift_cluster", {"snapshot_copy": [{"destination_region": "eu-west-2"}]})
	findings := transfer.deny with input as testing.estate([cluster])
	count(findings) == 1
	some f in findings
	contains(f.message, "eu-west-2")
}

global_cluster := {"type": "aws_rds_global_cluster", "name": "g", "region": "eu-central-1", "values": {"global_cluster_identifier": "orders"}}

member(region) := {
	"type": "aws_rds_cluster",
	"name": "m",
	"region": region,
	"relations": [{"kind": "reference", "target": "aws_rds_global_cluster.g", "target_type": "aws_rds_global_cluster", "target_region": "eu-central-1"}],
}

test_trn_aws_xfr_004_global_cluster_member_outside_fires if {
	findings := transfer.deny with input as testing.estate([global_cluster, member("us-east-2")])
	count(findings) == 1
	some f in findings
	f.address == "aws_rds_global_cluster.g"
	contains(f.message, "us-east-2")
}

test_trn_aws_xfr_004_global_cluster_member_arn_undecided if {
	g := object.union(global_cluster, {"values": {"global_cluster_members": [{"db_cluster_arn": "arn:aws:rds:xx-nowhere-1:111111111111:cluster:orders", "is_writer": true}]}})
	findings := transfer.deny with input as testing.estate([g])
	count(findings) == 1
	some f in findings
	f.undecided
}

read_replica_source(region) := {
	"type": "aws_db_instance",
	"name": "primary",
	"region": "eu-central-1",
	"relations": [{"kind": "replication_target", "attribute": "replicate_source_db", "target": "aws_db_instance.replica", "target_type": "aws_db_instance", "target_region": region}],
}

test_trn_aws_xfr_004_read_replica_outside_fires if {
	findings := transfer.deny with input as testing.estate([read_replica_source("us-west-2")])
	count(findings) == 1
	some f in findings
	f.address == "aws_db_instance.primary"
	contains(f.message, "us-west-2")
}

test_trn_aws_xfr_004_read_replica_unplaced_undecided if {
	findings := transfer.deny with input as testing.estate([read_replica_source(null)])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "aws_db_instance.replica")
}

test_trn_aws_xfr_004_table_replica_region_relation_passes if {
	relation := {"kind": "replication_target", "attribute": "replica.0.region_name", "target": "eu-west-1", "target_region": "eu-west-1"}
	table := object.union(at("aws_dynamodb_table", {"replica": [{"region_name": "eu-west-1"}]}), {"relations": [relation]})
	findings := transfer.deny with input as testing.estate([table])
	count(findings) == 0
}

test_trn_aws_xfr_004_secret_replica_outside_fires if {
	secret := at("aws_secretsmanager_secret", {"name": "db", "replica": [{"region": "eu-central-2"}]})
	findings := transfer.deny with input as testing.estate([secret])
	count(findings) == 1
	some f in findings
	contains(f.message, "secret replica is in eu-central-2")
}

test_trn_aws_xfr_004_document_cluster_member_outside_fires if {
	g := {"type": "aws_docdb_global_cluster", "name": "g", "region": "eu-central-1"}
	m := {
		"type": "aws_docdb_cluster",
		"name": "m",
		"region": "us-east-1",
		"values": {"arn": "arn:aws:rds:us-east-1:111111111111:cluster:m"},
		"relations": [{"kind": "reference", "target": "aws_docdb_global_cluster.g", "target_type": "aws_docdb_global_cluster", "target_region": "eu-central-1"}],
	}
	state := object.union(g, {"values": {"global_cluster_members": [{"db_cluster_arn": "arn:aws:rds:us-east-1:111111111111:cluster:m", "is_writer": false}]}})
	findings := transfer.deny with input as testing.estate([state, m])
	count(findings) == 1
	some f in findings
	contains(f.message, "aws_docdb_cluster.m")
}

test_trn_aws_xfr_004_replicas_inside_passes if {
	table := at("aws_dynamodb_table", {"replica": [{"region_name": "eu-west-1"}, {"region_name": "eu-north-1"}]})
	findings := transfer.deny with input as testing.estate([table, global_cluster, member("eu-west-3")])
	count(findings) == 0
}

# --- TRN-AWS-XFR-005 ----------------------------------------------------------------

backup_plan(vault_arn) := at("aws_backup_plan", {"rule": [{"rule_name": "daily", "copy_action": [{"destination_vault_arn": vault_arn}]}]})

test_trn_aws_xfr_005_vault_outside_fires if {
	findings := transfer.deny with input as testing.estate([backup_plan("arn:aws:backup:eu-west-2:111111111111:backup-vault:dr")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-XFR-005"
	contains(f.message, "eu-west-2")
}

test_trn_aws_xfr_005_vault_relation_and_arn_give_one_finding_fires if {
	arn := "arn:aws:backup:us-east-1:111111111111:backup-vault:dr"
	plan := object.union(backup_plan(arn), {"relations": [{"kind": "replication_target", "target": arn, "target_region": arn}]})
	findings := transfer.deny with input as testing.estate([plan])
	count(findings) == 1
}

test_trn_aws_xfr_005_vault_unknown_undecided if {
	plan := object.union(at("aws_backup_plan", {"rule": [{"copy_action": [{}]}]}), {"unknown": ["rule.0.copy_action.0.destination_vault_arn"]})
	findings := transfer.deny with input as testing.estate([plan])
	count(findings) == 1
	some f in findings
	f.undecided
}

test_trn_aws_xfr_005_vault_inside_passes if {
	findings := transfer.deny with input as testing.estate([backup_plan("arn:aws:backup:eu-west-1:111111111111:backup-vault:dr")])
	count(findings) == 0
}

# --- TRN-AWS-XFR-006 ----------------------------------------------------------------

ecr(regions) := at("aws_ecr_replication_configuration", {"replication_configuration": [{"rule": [{"destination": [{"region": region, "registry_id": "111111111111"} | some region in regions]}]}]})

test_trn_aws_xfr_006_destination_outside_fires if {
	findings := transfer.deny with input as testing.estate([ecr(["eu-west-1", "ap-southeast-1"])])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-XFR-006"
	contains(f.message, "ap-southeast-1")
}

test_trn_aws_xfr_006_destination_inside_passes if {
	findings := transfer.deny with input as testing.estate([ecr(["eu-west-1", "eu-south-2"])])
	count(findings) == 0
}

# --- TRN-AWS-XFR-007 ----------------------------------------------------------------

test_trn_aws_xfr_007_snapshot_from_london_fires if {
	findings := transfer.deny with input as testing.estate([at("aws_ebs_snapshot_copy", {"source_region": "eu-west-2", "source_snapshot_id": "snap-1"})])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-XFR-007"
	contains(f.message, "eu-west-2")
}

test_trn_aws_xfr_007_ami_copy_inside_passes if {
	findings := transfer.deny with input as testing.estate([at("aws_ami_copy", {"source_ami_region": "eu-west-1", "source_ami_id": "ami-1"})])
	count(findings) == 0
}

organization := {"type": "aws_organizations_organization", "name": "org"}

export_scp(actions) := {
	"type": "aws_organizations_policy",
	"name": "p",
	"values": {"content": json.marshal({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": actions, "Resource": "*"}]})},
}

attachment := {
	"type": "aws_organizations_policy_attachment",
	"name": "a",
	"relations": [{"kind": "reference", "target": "aws_organizations_policy.p", "target_type": "aws_organizations_policy"}],
}

test_trn_aws_xfr_007_export_not_denied_fires if {
	findings := transfer.deny with input as testing.estate([organization, export_scp(["ebs:*"]), attachment])
	count(findings) == 1
	some f in findings
	f.address == "aws_organizations_organization.org"
	contains(f.message, "ec2:ExportImage")
	not contains(f.message, "ebs:")
}

test_trn_aws_xfr_007_export_denied_passes if {
	actions := ["ebs:*", "ec2:Export*", "ec2:CreateInstanceExportTask", "ec2:Import*"]
	findings := transfer.deny with input as testing.estate([organization, export_scp(actions), attachment])
	count(findings) == 0
}
