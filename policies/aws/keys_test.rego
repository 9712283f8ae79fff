package terrane.pack.aws.keys_test

import rego.v1

import data.terrane.pack.aws.keys
import data.terrane.testing

of(rule_id, findings) := {f | some f in findings; f.rule_id == rule_id}

key_relation(region) := {"kind": "encryption_key", "target": "aws_kms_key.k", "target_type": "aws_kms_key", "target_region": region}

# --- TRN-AWS-KEY-001 ----------------------------------------------------------------

sse_config(default_block, relations) := {
	"type": "aws_s3_bucket_server_side_encryption_configuration",
	"name": "c",
	"region": "eu-central-1",
	"values": {"bucket": "data", "rule": [{"apply_server_side_encryption_by_default": [default_block]}]},
	"relations": relations,
}

test_trn_aws_key_001_aes256_fires if {
	findings := keys.deny with input as testing.estate([sse_config({"sse_algorithm": "AES256"}, [])])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-KEY-001"
	contains(f.message, "AES256")
}

test_trn_aws_key_001_aws_managed_key_fires if {
	findings := keys.deny with input as testing.estate([sse_config({"sse_algorithm": "aws:kms", "kms_master_key_id": null}, [])])
	count(findings) == 1
	some f in findings
	contains(f.message, "aws/s3")
}

test_trn_aws_key_001_aws_managed_alias_fires if {
	findings := keys.deny with input as testing.estate([sse_config({"sse_algorithm": "aws:kms", "kms_master_key_id": "alias/aws/s3"}, [])])
	count(findings) == 1
}

test_trn_aws_key_001_customer_key_passes if {
	relation := object.union(key_relation("eu-central-1"), {"attribute": "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"})
	config := object.union(sse_config({"sse_algorithm": "aws:kms"}, [relation]), {"unknown": ["rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"]})
	findings := keys.deny with input as testing.estate([config])
	count(findings) == 0
}

test_trn_aws_key_001_algorithm_unknown_undecided if {
	config := object.union(sse_config({}, []), {"unknown": ["rule.0.apply_server_side_encryption_by_default.0.sse_algorithm"]})
	findings := keys.deny with input as testing.estate([config])
	count(findings) == 1
	some f in findings
	f.undecided
}

test_trn_aws_key_001_bucket_without_configuration_fires if {
	findings := keys.deny with input as testing.estate([{"type": "aws_s3_bucket", "name": "data", "region": "eu-central-1", "values": {"bucket": "data"}}])
	count(findings) == 1
	some f in findings
	f.address == "aws_s3_bucket.data"
	contains(f.message, "SSE-S3")
}

test_trn_aws_key_001_bucket_data_source_passes if {
	findings := keys.deny with input as testing.estate([{"type": "aws_s3_bucket", "name": "shared", "mode": "data", "region": "eu-central-1", "values": {"bucket": "shared"}}])
	count(findings) == 0
}

test_trn_aws_key_001_bucket_with_configuration_passes if {
	b := {"type": "aws_s3_bucket", "name": "data", "region": "eu-central-1"}
	config := sse_config({"sse_algorithm": "aws:kms", "kms_master_key_id": "arn:aws:kms:eu-central-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, [{"kind": "configures", "target": "aws_s3_bucket.data", "target_type": "aws_s3_bucket", "target_region": "eu-central-1"}])
	findings := keys.deny with input as testing.estate([b, config])
	count(of("TRN-AWS-KEY-001", findings)) == 0
}

# --- TRN-AWS-KEY-002 ----------------------------------------------------------------

volume(region, relations) := {"type": "aws_ebs_volume", "name": "v", "region": region, "values": {"encrypted": true}, "relations": relations}

test_trn_aws_key_002_key_outside_fires if {
	findings := keys.deny with input as testing.estate([volume("eu-central-1", [key_relation("eu-west-2")])])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-KEY-002"
	contains(f.message, "eu-west-2")
}

test_trn_aws_key_002_zurich_key_fires if {
	findings := keys.deny with input as testing.estate([volume("eu-central-1", [key_relation("eu-central-2")])])
	count(findings) == 1
	some f in findings
	contains(f.message, "eu-central-2")
}

test_trn_aws_key_002_same_region_passes if {
	findings := keys.deny with input as testing.estate([volume("eu-central-1", [key_relation("eu-central-1")])])
	count(findings) == 0
}

test_trn_aws_key_002_other_region_inside_fires if {
	findings := keys.deny with input as testing.estate([volume("eu-central-1", [key_relation("eu-west-1")])])
	count(findings) == 1
	some f in findings
	contains(f.message, "eu-west-1")
	contains(f.message, "eu-central-1")
}

test_trn_aws_key_002_key_arn_outside_fires if {
	arn := "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	findings := keys.deny with input as testing.estate([volume("eu-central-1", [{"kind": "encryption_key", "target": arn, "target_region": arn}])])
	count(findings) == 1
	some f in findings
	contains(f.message, "us-east-1")
}

test_trn_aws_key_002_key_location_unknown_undecided if {
	findings := keys.deny with input as testing.estate([volume("eu-central-1", [{"kind": "encryption_key", "target": "aws_kms_key.k", "target_type": "aws_kms_key"}])])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "aws_kms_key.k")
}

test_trn_aws_key_002_bare_alias_passes if {
	findings := keys.deny with input as testing.estate([volume("eu-central-1", [{"kind": "encryption_key", "target": "alias/data"}])])
	count(findings) == 0
}

test_trn_aws_key_002_other_partition_fires if {
	arn := "arn:aws:kms:eu-central-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	findings := keys.deny with input as testing.estate([volume("eusc-de-east-1", [{"kind": "encryption_key", "target": arn, "target_region": arn}])])
	count(findings) == 2
	some f in findings
	contains(f.message, "partition aws,")
}

test_trn_aws_key_002_replica_key_in_replica_region_passes if {
	relation := object.union(key_relation("eu-west-1"), {"attribute": "replica.0.kms_key_arn"})
	table := {"type": "aws_dynamodb_table", "name": "t", "region": "eu-central-1", "relations": [relation]}
	findings := keys.deny with input as testing.estate([table])
	count(of("TRN-AWS-KEY-002", findings)) == 0
}

# --- TRN-AWS-KEY-003 ----------------------------------------------------------------

multi_region_key := {"type": "aws_kms_key", "name": "k", "region": "eu-central-1", "values": {"multi_region": true, "enable_key_rotation": true}}

replica(region) := {
	"type": "aws_kms_replica_key",
	"name": "r",
	"region": region,
	"relations": [{"kind": "reference", "target": "aws_kms_key.k", "target_type": "aws_kms_key", "target_region": "eu-central-1"}],
}

test_trn_aws_key_003_replica_outside_fires if {
	findings := keys.deny with input as testing.estate([multi_region_key, replica("us-east-1")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-KEY-003"
	f.address == "aws_kms_key.k"
	contains(f.message, "us-east-1")
}

test_trn_aws_key_003_replica_inside_passes if {
	findings := keys.deny with input as testing.estate([multi_region_key, replica("eu-north-1")])
	count(findings) == 0
}

test_trn_aws_key_003_replica_unknown_region_undecided if {
	findings := keys.deny with input as testing.estate([multi_region_key, replica(null)])
	count(findings) == 1
	some f in findings
	f.undecided
}

test_trn_aws_key_003_replica_linked_from_primary_fires if {
	k := object.union(multi_region_key, {"relations": [{"kind": "replication_target", "attribute": "primary_key_arn", "target": "aws_kms_replica_key.r", "target_type": "aws_kms_replica_key", "target_region": "ap-northeast-1"}]})
	findings := keys.deny with input as testing.estate([k])
	count(findings) == 1
	some f in findings
	contains(f.message, "ap-northeast-1")
}

test_trn_aws_key_003_single_region_key_passes if {
	k := object.union(multi_region_key, {"values": {"multi_region": false}})
	findings := keys.deny with input as testing.estate([k, replica("us-east-1")])
	count(of("TRN-AWS-KEY-003", findings)) == 0
}

# --- TRN-AWS-KEY-004 ----------------------------------------------------------------

test_trn_aws_key_004_rotation_off_fires if {
	findings := keys.deny with input as testing.estate([{"type": "aws_kms_key", "name": "k", "region": "eu-central-1", "values": {"enable_key_rotation": false}}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-KEY-004"
	contains(f.message, "enable_key_rotation is false")
}

test_trn_aws_key_004_short_deletion_window_fires if {
	findings := keys.deny with input as testing.estate([{"type": "aws_kms_key", "name": "k", "region": "eu-central-1", "values": {"enable_key_rotation": true, "deletion_window_in_days": 7}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "7")
}

test_trn_aws_key_004_pending_deletion_fires if {
	findings := keys.deny with input as testing.estate([{"type": "aws_kms_key", "name": "k", "region": "eu-central-1", "values": {"enable_key_rotation": true, "key_state": "PendingDeletion"}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "PendingDeletion")
}

test_trn_aws_key_004_rotated_key_passes if {
	findings := keys.deny with input as testing.estate([{"type": "aws_kms_key", "name": "k", "region": "eu-central-1", "values": {"enable_key_rotation": true, "deletion_window_in_days": 30}}])
	count(findings) == 0
}

test_trn_aws_key_004_signing_key_without_rotation_passes if {
	findings := keys.deny with input as testing.estate([{"type": "aws_kms_key", "name": "k", "region": "eu-central-1", "values": {"customer_master_key_spec": "ECC_NIST_P256", "key_usage": "SIGN_VERIFY"}}])
	count(findings) == 0
}

# --- TRN-AWS-KEY-005 ----------------------------------------------------------------

test_trn_aws_key_005_aws_generated_key_fires if {
	k := {"type": "aws_kms_key", "name": "k", "region": "eu-central-1", "values": {"enable_key_rotation": true}, "tags": {"data-classification": "confidential"}}
	findings := keys.deny with input as testing.estate([k])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-KEY-005"
	contains(f.message, "AWS_KMS")
}

test_trn_aws_key_005_key_of_secret_volume_fires if {
	k := {"type": "aws_kms_key", "name": "k", "region": "eu-central-1", "values": {"enable_key_rotation": true}}
	v := object.union(volume("eu-central-1", [key_relation("eu-central-1")]), {"tags": {"data-classification": "secret"}})
	findings := keys.deny with input as testing.estate([k, v])
	count(findings) == 1
	some f in findings
	f.address == "aws_kms_key.k"
}

test_trn_aws_key_005_external_key_store_passes if {
	k := {
		"type": "aws_kms_key",
		"name": "k",
		"region": "eu-central-1",
		"values": {"custom_key_store_id": "cks-1234567890abcdef0", "xks_key_id": "ext-key-1"},
		"tags": {"data-classification": "restricted"},
	}
	findings := keys.deny with input as testing.estate([k])
	count(findings) == 0
}

test_trn_aws_key_005_unclassified_key_passes if {
	findings := keys.deny with input as testing.estate([{"type": "aws_kms_key", "name": "k", "region": "eu-central-1", "values": {"enable_key_rotation": true}}])
	count(findings) == 0
}

# --- TRN-AWS-KEY-006 ----------------------------------------------------------------

test_trn_aws_key_006_lockout_bypass_fires if {
	p := {"type": "aws_kms_key_policy", "name": "p", "region": "eu-central-1", "values": {"bypass_policy_lockout_safety_check": true}}
	findings := keys.deny with input as testing.estate([p])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-KEY-006"
	contains(f.message, "bypass_policy_lockout_safety_check")
}

test_trn_aws_key_006_rsa_2048_fires if {
	k := {"type": "aws_kms_key", "name": "k", "region": "eu-central-1", "values": {"customer_master_key_spec": "RSA_2048", "key_usage": "ENCRYPT_DECRYPT"}}
	findings := keys.deny with input as testing.estate([k])
	count(findings) == 1
	some f in findings
	contains(f.message, "RSA_2048")
}

test_trn_aws_key_006_rsa_4096_passes if {
	k := {"type": "aws_kms_key", "name": "k", "region": "eu-central-1", "values": {"customer_master_key_spec": "RSA_4096", "key_usage": "ENCRYPT_DECRYPT", "bypass_policy_lockout_safety_check": false}}
	findings := keys.deny with input as testing.estate([k])
	count(findings) == 0
}

# --- TRN-AWS-KEY-007 ----------------------------------------------------------------

key_with_policy(statement) := {
	"type": "aws_kms_key",
	"name": "k",
	"region": "eu-central-1",
	"values": {"enable_key_rotation": true, "policy": json.marshal({"Version": "2012-10-17", "Statement": [statement]})},
}

test_trn_aws_key_007_any_principal_fires if {
	statement := {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*"}
	findings := keys.deny with input as testing.estate([key_with_policy(statement)])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-KEY-007"
	contains(f.message, "principal *")
}

test_trn_aws_key_007_organisation_condition_passes if {
	statement := {
		"Effect": "Allow",
		"Principal": {"AWS": "*"},
		"Action": "kms:Decrypt",
		"Resource": "*",
		"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
	}
	findings := keys.deny with input as testing.estate([key_with_policy(statement)])
	count(findings) == 0
}

test_trn_aws_key_007_other_account_in_policy_fires if {
	statement := {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"}, "Action": "kms:*", "Resource": "*"}
	k := object.union(key_with_policy(statement), {"values": {"arn": "arn:aws:kms:eu-central-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"}})
	findings := keys.deny with input as testing.estate([k])
	count(findings) == 1
	some f in findings
	contains(f.message, "222222222222")
}

grant(grantee) := {
	"type": "aws_kms_grant",
	"name": "g",
	"region": "eu-central-1",
	"values": {"key_id": "arn:aws:kms:eu-central-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab", "grantee_principal": grantee, "operations": ["Decrypt"]},
}

test_trn_aws_key_007_cross_account_grant_fires if {
	findings := keys.deny with input as testing.estate([grant("arn:aws:iam::222222222222:role/reader")])
	count(findings) == 1
	some f in findings
	contains(f.message, "arn:aws:iam::222222222222:role/reader")
}

test_trn_aws_key_007_same_account_grant_passes if {
	findings := keys.deny with input as testing.estate([grant("arn:aws:iam::111111111111:role/reader")])
	count(findings) == 0
}

test_trn_aws_key_007_grant_account_unknown_undecided if {
	g := object.union(grant("arn:aws:iam::222222222222:role/reader"), {"values": {"key_id": "1234abcd-12ab-34cd-56ef-1234567890ab"}})
	findings := keys.deny with input as testing.estate([g])
	count(findings) == 1
	some f in findings
	f.undecided
}

# --- TRN-AWS-KEY-008 ----------------------------------------------------------------

default_encryption := {"type": "aws_ebs_encryption_by_default", "name": "d", "region": "eu-central-1", "values": {"enabled": true}}

default_key := {"type": "aws_ebs_default_kms_key", "name": "k", "region": "eu-central-1", "values": {"key_arn": "arn:aws:kms:eu-central-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}

test_trn_aws_key_008_default_encryption_off_fires if {
	findings := keys.deny with input as testing.estate([{"type": "aws_ebs_encryption_by_default", "name": "d", "region": "eu-central-1", "values": {"enabled": false}}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-KEY-008"
	contains(f.message, "enabled is false")
}

test_trn_aws_key_008_default_without_customer_key_fires if {
	findings := keys.deny with input as testing.estate([default_encryption])
	count(findings) == 1
	some f in findings
	contains(f.message, "aws/ebs")
	contains(f.message, "eu-central-1")
}

test_trn_aws_key_008_default_with_customer_key_passes if {
	findings := keys.deny with input as testing.estate([default_encryption, default_key])
	count(findings) == 0
}

test_trn_aws_key_008_unencrypted_volume_fires if {
	findings := keys.deny with input as testing.estate([{"type": "aws_ebs_volume", "name": "v", "region": "eu-central-1", "values": {"encrypted": false}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "volume is not encrypted")
}

test_trn_aws_key_008_volume_encrypted_by_default_passes if {
	v := {"type": "aws_ebs_volume", "name": "v", "region": "eu-central-1", "unknown": ["encrypted"]}
	findings := keys.deny with input as testing.estate([v, default_encryption, default_key])
	count(findings) == 0
}

test_trn_aws_key_008_volume_encryption_unknown_undecided if {
	v := {"type": "aws_ebs_volume", "name": "v", "region": "eu-central-1", "unknown": ["encrypted"]}
	findings := keys.deny with input as testing.estate([v])
	count(findings) == 1
	some f in findings
	f.undecided
}

test_trn_aws_key_008_instance_root_volume_passes if {
	i := {"type": "aws_instance", "name": "i", "region": "eu-central-1", "values": {"root_block_device": [{"encrypted": true}]}}
	findings := keys.deny with input as testing.estate([i])
	count(findings) == 0
}

test_trn_aws_key_008_instance_without_root_block_undecided if {
	i := {"type": "aws_instance", "name": "i", "region": "eu-central-1", "values": {"ami": "ami-12345678"}}
	findings := keys.deny with input as testing.estate([i])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "AMI")
}

test_trn_aws_key_008_launch_template_mapping_fires if {
	t := {"type": "aws_launch_template", "name": "t", "region": "eu-central-1", "values": {"block_device_mappings": [{"device_name": "/dev/xvda", "ebs": [{"encrypted": "false"}]}]}}
	findings := keys.deny with input as testing.estate([t])
	count(findings) == 1
	some f in findings
	contains(f.message, "block_device_mappings 0")
}

# --- TRN-AWS-KEY-009 ----------------------------------------------------------------

test_trn_aws_key_009_unencrypted_database_fires if {
	db := {"type": "aws_db_instance", "name": "db", "region": "eu-central-1", "values": {"storage_encrypted": false}}
	findings := keys.deny with input as testing.estate([db])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-KEY-009"
	contains(f.message, "storage_encrypted is false")
}

test_trn_aws_key_009_aws_managed_database_key_fires if {
	db := {"type": "aws_db_instance", "name": "db", "region": "eu-central-1", "values": {"storage_encrypted": true, "kms_key_id": "alias/aws/rds"}}
	findings := keys.deny with input as testing.estate([db])
	count(findings) == 1
	some f in findings
	contains(f.message, "kms_key_id")
}

test_trn_aws_key_009_customer_key_database_passes if {
	relation := object.union(key_relation("eu-central-1"), {"attribute": "kms_key_id"})
	db := {"type": "aws_db_instance", "name": "db", "region": "eu-central-1", "values": {"storage_encrypted": true}, "unknown": ["kms_key_id"], "relations": [relation]}
	findings := keys.deny with input as testing.estate([db])
	count(findings) == 0
}

test_trn_aws_key_009_read_replica_passes if {
	db := {"type": "aws_db_instance", "name": "replica", "region": "eu-central-1", "values": {"replicate_source_db": "primary"}}
	findings := keys.deny with input as testing.estate([db])
	count(findings) == 0
}

test_trn_aws_key_009_table_without_encryption_fires if {
	table := {"type": "aws_dynamodb_table", "name": "t", "region": "eu-central-1", "values": {"name": "orders"}}
	findings := keys.deny with input as testing.estate([table])
	count(findings) == 1
	some f in findings
	contains(f.message, "server_side_encryption.0.enabled is false")
}

test_trn_aws_key_009_table_with_customer_key_passes if {
	table := {
		"type": "aws_dynamodb_table",
		"name": "t",
		"region": "eu-central-1",
		"values": {"server_side_encryption": [{"enabled": true, "kms_key_arn": "arn:aws:kms:eu-central-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]},
	}
	findings := keys.deny with input as testing.estate([table])
	count(findings) == 0
}

test_trn_aws_key_009_file_system_key_unknown_undecided if {
	fs := {"type": "aws_efs_file_system", "name": "fs", "region": "eu-central-1", "values": {"encrypted": true}, "unknown": ["kms_key_id"]}
	findings := keys.deny with input as testing.estate([fs])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "kms_key_id")
}

# --- TRN-AWS-KEY-010 ----------------------------------------------------------------

restricted_instance(values) := {
	"type": "aws_instance",
	"name": "i",
	"region": "eu-central-1",
	"values": object.union({"root_block_device": [{"encrypted": true}]}, values),
	"tags": {"data-classification": "restricted"},
}

test_trn_aws_key_010_restricted_without_confidential_computing_fires if {
	findings := keys.deny with input as testing.estate([restricted_instance({})])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-KEY-010"
	contains(f.message, "restricted")
}

test_trn_aws_key_010_sev_snp_passes if {
	findings := keys.deny with input as testing.estate([restricted_instance({"cpu_options": [{"amd_sev_snp": "enabled"}]})])
	count(findings) == 0
}

test_trn_aws_key_010_enclave_passes if {
	findings := keys.deny with input as testing.estate([restricted_instance({"enclave_options": [{"enabled": true}]})])
	count(findings) == 0
}

test_trn_aws_key_010_confidential_tier_passes if {
	i := object.union(restricted_instance({}), {"tags": {"data-classification": "confidential"}})
	findings := keys.deny with input as testing.estate([i])
	count(findings) == 0
}
