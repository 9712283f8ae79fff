package terrane.pack.aws.identity_test

import rego.v1

import data.terrane.pack.aws.identity
import data.terrane.testing

of(rule_id, findings) := {f | some f in findings; f.rule_id == rule_id}

organization := {
	"type": "aws_organizations_organization",
	"name": "org",
	"values": {"enabled_policy_types": ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"]},
}

# An attached organisation policy of `policy_type` holding `statements`.
org_policy(name, policy_type, statements) := [
	{
		"type": "aws_organizations_policy",
		"name": name,
		"values": {"type": policy_type, "content": json.marshal({"Version": "2012-10-17", "Statement": statements})},
	},
	{
		"type": "aws_organizations_policy_attachment",
		"name": name,
		"relations": [{"kind": "reference", "target": sprintf("aws_organizations_policy.%s", [name]), "target_type": "aws_organizations_policy"}],
	},
]

org_perimeter(actions) := {
	"Effect": "Deny",
	"Principal": "*",
	"Action": actions,
	"Resource": "*",
	"Condition": {
		"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
		"BoolIfExists": {"aws:PrincipalIsAWSService": "false"},
	},
}

root_deny := {
	"Effect": "Deny",
	"Action": "*",
	"Resource": "*",
	"Condition": {"StringLike": {"aws:PrincipalArn": ["arn:*:iam::*:root"]}},
}

# --- TRN-AWS-IAM-001 ----------------------------------------------------------------

test_trn_aws_iam_001_partial_perimeter_fires if {
	resources := array.concat([organization], org_policy("rcp", "RESOURCE_CONTROL_POLICY", [org_perimeter(["s3:*", "kms:*"])]))
	findings := identity.deny with input as testing.estate(resources)
	rule_findings := of("TRN-AWS-IAM-001", findings)
	count(rule_findings) == 1
	some f in rule_findings
	contains(f.message, "secretsmanager, sqs, sts")
}

test_trn_aws_iam_001_no_rcp_fires if {
	findings := identity.deny with input as testing.estate([organization])
	rule_findings := of("TRN-AWS-IAM-001", findings)
	count(rule_findings) == 1
	some f in rule_findings
	contains(f.message, "kms, s3, secretsmanager, sqs, sts")
}

test_trn_aws_iam_001_full_perimeter_passes if {
	actions := ["s3:*", "kms:*", "sqs:*", "secretsmanager:*", "sts:AssumeRole*"]
	resources := array.concat([organization], org_policy("rcp", "RESOURCE_CONTROL_POLICY", [org_perimeter(actions)]))
	findings := identity.deny with input as testing.estate(resources)
	count(of("TRN-AWS-IAM-001", findings)) == 0
}

test_trn_aws_iam_001_rcp_type_disabled_fires if {
	actions := ["s3:*", "kms:*", "sqs:*", "secretsmanager:*", "sts:*"]
	org := object.union(organization, {"values": {"enabled_policy_types": ["SERVICE_CONTROL_POLICY"]}})
	resources := array.concat([org], org_policy("rcp", "RESOURCE_CONTROL_POLICY", [org_perimeter(actions)]))
	findings := identity.deny with input as testing.estate(resources)
	rule_findings := of("TRN-AWS-IAM-001", findings)
	count(rule_findings) == 1
	some f in rule_findings
	contains(f.message, "RESOURCE_CONTROL_POLICY")
}

secret_bucket := {"type": "aws_s3_bucket", "name": "vault", "region": "eu-central-1", "values": {"bucket": "vault"}, "tags": {"data-classification": "secret"}}

header_only_policy := {
	"type": "aws_s3_bucket_policy",
	"name": "vault",
	"region": "eu-central-1",
	"values": {"bucket": "vault", "policy": json.marshal({"Version": "2012-10-17", "Statement": [{
		"Effect": "Deny",
		"Principal": "*",
		"Action": "s3:*",
		"Resource": ["arn:aws:s3:::vault", "arn:aws:s3:::vault/*"],
		"Condition": {"StringNotEquals": {"s3:authType": "REST-HEADER"}},
	}]})},
}

test_trn_aws_iam_001_presigned_urls_fires if {
	findings := identity.deny with input as testing.estate([secret_bucket])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-IAM-001"
	contains(f.message, "presigned")
}

test_trn_aws_iam_001_header_auth_only_passes if {
	findings := identity.deny with input as testing.estate([secret_bucket, header_only_policy])
	count(findings) == 0
}

test_trn_aws_iam_001_bucket_policy_unknown_undecided if {
	p := {"type": "aws_s3_bucket_policy", "name": "vault", "region": "eu-central-1", "values": {"bucket": "vault"}, "unknown": ["policy"]}
	findings := identity.deny with input as testing.estate([secret_bucket, p])
	count(findings) == 1
	some f in findings
	f.undecided
}

# --- TRN-AWS-IAM-002 ----------------------------------------------------------------

test_trn_aws_iam_002_root_without_mfa_fires if {
	summary := {"type": "aws_iam_account_summary", "name": "a", "values": {"account_mfa_enabled": 0, "account_access_keys_present": 1}}
	findings := identity.deny with input as testing.estate([summary])
	count(findings) == 2
	some f in findings
	f.rule_id == "TRN-AWS-IAM-002"
	contains(f.message, "account_mfa_enabled")
}

test_trn_aws_iam_002_root_protected_passes if {
	summary := {"type": "aws_iam_account_summary", "name": "a", "values": {"account_mfa_enabled": true, "account_access_keys_present": false}}
	findings := identity.deny with input as testing.estate([summary])
	count(findings) == 0
}

test_trn_aws_iam_002_root_not_restricted_fires if {
	findings := identity.deny with input as testing.estate([organization])
	rule_findings := of("TRN-AWS-IAM-002", findings)
	count(rule_findings) == 1
	some f in rule_findings
	contains(f.message, "root")
}

test_trn_aws_iam_002_root_restricted_passes if {
	resources := array.concat([organization], org_policy("root", "SERVICE_CONTROL_POLICY", [root_deny]))
	findings := identity.deny with input as testing.estate(resources)
	count(of("TRN-AWS-IAM-002", findings)) == 0
}

# --- TRN-AWS-IAM-003 ----------------------------------------------------------------

test_trn_aws_iam_003_serial_console_default_fires if {
	findings := identity.deny with input as testing.estate([{"type": "aws_ec2_serial_console_access", "name": "s", "region": "eu-central-1"}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-IAM-003"
	contains(f.message, "enabled is true")
}

test_trn_aws_iam_003_declarative_policy_enables_fires if {
	content := json.marshal({"ec2_attributes": {"serial_console_access": {"status": {"@@assign": "enabled"}}}})
	p := {"type": "aws_organizations_policy", "name": "ec2", "values": {"type": "DECLARATIVE_POLICY_EC2", "content": content}}
	findings := identity.deny with input as testing.estate([p])
	count(findings) == 1
	some f in findings
	contains(f.message, "serial_console_access enabled")
}

test_trn_aws_iam_003_serial_console_disabled_passes if {
	content := json.marshal({"ec2_attributes": {"serial_console_access": {"status": {"@@assign": "disabled"}}}})
	findings := identity.deny with input as testing.estate([
		{"type": "aws_ec2_serial_console_access", "name": "s", "region": "eu-central-1", "values": {"enabled": false}},
		{"type": "aws_organizations_policy", "name": "ec2", "values": {"type": "DECLARATIVE_POLICY_EC2", "content": content}},
	])
	count(findings) == 0
}
