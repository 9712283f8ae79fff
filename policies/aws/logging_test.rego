package terrane.pack.aws.logging_test

import rego.v1

import data.terrane.pack.aws.logging
import data.terrane.testing

of(rule_id, findings) := {f | some f in findings; f.rule_id == rule_id}

key_arn := "arn:aws:kms:eu-central-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"

good_trail_values := {
	"s3_bucket_name": "audit-logs",
	"is_multi_region_trail": true,
	"enable_log_file_validation": true,
	"kms_key_id": key_arn,
}

trail(values, bucket_region) := {
	"type": "aws_cloudtrail",
	"name": "t",
	"region": "eu-central-1",
	"values": values,
	"relations": [{"kind": "log_destination", "target": "aws_s3_bucket.audit", "target_type": "aws_s3_bucket", "target_region": bucket_region}],
}

# --- TRN-AWS-LOG-001 ----------------------------------------------------------------

test_trn_aws_log_001_bucket_in_london_fires if {
	findings := logging.deny with input as testing.estate([trail(good_trail_values, "eu-west-2")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-LOG-001"
	contains(f.message, "eu-west-2")
}

test_trn_aws_log_001_single_region_unencrypted_fires if {
	values := object.union(good_trail_values, {"is_multi_region_trail": false, "kms_key_id": null, "enable_log_file_validation": false})
	findings := logging.deny with input as testing.estate([trail(values, "eu-central-1")])
	count(findings) == 3
	some f in findings
	contains(f.message, "is_multi_region_trail is false")
}

test_trn_aws_log_001_bucket_name_only_undecided if {
	t := object.remove(trail(good_trail_values, "eu-central-1"), ["relations"])
	findings := logging.deny with input as testing.estate([t])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "audit-logs")
}

test_trn_aws_log_001_compliant_trail_passes if {
	findings := logging.deny with input as testing.estate([trail(good_trail_values, "eu-central-1")])
	count(findings) == 0
}

test_trn_aws_log_001_organisation_trail_passes if {
	values := object.union(good_trail_values, {"is_multi_region_trail": false, "is_organization_trail": true})
	findings := logging.deny with input as testing.estate([trail(values, "eusc-de-east-1")])
	count(findings) == 0
}

# --- TRN-AWS-LOG-002 ----------------------------------------------------------------

audit_bucket := {"type": "aws_s3_bucket", "name": "audit", "region": "eu-central-1", "values": {"bucket": "audit-logs"}}

lifecycle := {
	"type": "aws_s3_bucket_lifecycle_configuration",
	"name": "audit",
	"region": "eu-central-1",
	"values": {"rule": [{"id": "retain", "status": "Enabled", "expiration": [{"days": 2555}]}]},
	"relations": [{"kind": "configures", "target": "aws_s3_bucket.audit", "target_type": "aws_s3_bucket", "target_region": "eu-central-1"}],
}

test_trn_aws_log_002_no_retention_fires if {
	findings := logging.deny with input as testing.estate([trail(good_trail_values, "eu-central-1"), audit_bucket])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-LOG-002"
	f.address == "aws_s3_bucket.audit"
	contains(f.message, "lifecycle")
}

test_trn_aws_log_002_retained_passes if {
	findings := logging.deny with input as testing.estate([trail(good_trail_values, "eu-central-1"), audit_bucket, lifecycle])
	count(findings) == 0
}

test_trn_aws_log_002_access_log_bucket_by_name_fires if {
	logging_config := {"type": "aws_s3_bucket_logging", "name": "l", "region": "eu-central-1", "values": {"bucket": "data", "target_bucket": "audit-logs"}}
	findings := logging.deny with input as testing.estate([logging_config, audit_bucket])
	count(findings) == 1
}

organization := {"type": "aws_organizations_organization", "name": "org"}

protection_scp(actions) := [
	{
		"type": "aws_organizations_policy",
		"name": "p",
		"values": {"content": json.marshal({"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": actions, "Resource": "arn:aws:s3:::audit-logs"}})},
	},
	{
		"type": "aws_organizations_policy_attachment",
		"name": "a",
		"relations": [{"kind": "reference", "target": "aws_organizations_policy.p", "target_type": "aws_organizations_policy"}],
	},
]

test_trn_aws_log_002_changes_not_denied_fires if {
	resources := array.concat([trail(good_trail_values, "eu-central-1"), audit_bucket, lifecycle, organization], protection_scp(["s3:PutBucketPolicy", "s3:DeleteBucketPolicy"]))
	findings := logging.deny with input as testing.estate(resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "s3:PutEncryptionConfiguration")
	not contains(f.message, "s3:PutBucketPolicy")
}

test_trn_aws_log_002_changes_denied_passes if {
	actions := ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutEncryptionConfiguration", "s3:PutBucketLogging", "s3:PutLifecycleConfiguration"]
	resources := array.concat([trail(good_trail_values, "eu-central-1"), audit_bucket, lifecycle, organization], protection_scp(actions))
	findings := logging.deny with input as testing.estate(resources)
	count(findings) == 0
}

# --- TRN-AWS-LOG-003 ----------------------------------------------------------------

recorder := {"type": "aws_config_configuration_recorder", "name": "r", "region": "eu-central-1", "values": {"name": "default", "recording_group": [{"all_supported": true}]}}

recorder_status(enabled) := {"type": "aws_config_configuration_recorder_status", "name": "s", "region": "eu-central-1", "values": {"name": "default", "is_enabled": enabled}}

test_trn_aws_log_003_recorder_never_started_fires if {
	findings := logging.deny with input as testing.estate([recorder])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-LOG-003"
	contains(f.message, "aws_config_configuration_recorder_status")
}

test_trn_aws_log_003_recorder_stopped_fires if {
	findings := logging.deny with input as testing.estate([recorder, recorder_status(false)])
	count(findings) == 1
	some f in findings
	contains(f.message, "is_enabled is false")
}

test_trn_aws_log_003_recorder_running_passes if {
	findings := logging.deny with input as testing.estate([recorder, recorder_status(true)])
	count(findings) == 0
}

vpc := {"type": "aws_vpc", "name": "main", "region": "eu-central-1", "values": {"cidr_block": "10.0.0.0/16"}}

flow_log(destination) := {
	"type": "aws_flow_log",
	"name": "f",
	"region": "eu-central-1",
	"values": {"log_destination": destination, "traffic_type": "ALL"},
	"relations": [{"kind": "reference", "target": "aws_vpc.main", "target_type": "aws_vpc", "target_region": "eu-central-1"}],
}

test_trn_aws_log_003_vpc_without_flow_log_fires if {
	findings := logging.deny with input as testing.estate([vpc])
	count(findings) == 1
	some f in findings
	f.address == "aws_vpc.main"
	contains(f.message, "flow log")
}

test_trn_aws_log_003_flow_log_outside_fires if {
	findings := logging.deny with input as testing.estate([vpc, flow_log("arn:aws:logs:us-east-1:111111111111:log-group:flows")])
	count(findings) == 1
	some f in findings
	contains(f.message, "us-east-1")
}

test_trn_aws_log_003_flow_log_bucket_undecided if {
	findings := logging.deny with input as testing.estate([vpc, flow_log("arn:aws:s3:::central-flow-logs")])
	count(findings) == 1
	some f in findings
	f.undecided
}

test_trn_aws_log_003_flow_log_inside_passes if {
	findings := logging.deny with input as testing.estate([vpc, flow_log("arn:aws:logs:eu-central-1:111111111111:log-group:flows")])
	count(findings) == 0
}
