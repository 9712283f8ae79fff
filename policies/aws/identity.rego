# Identity and operator access: who outside the organisation can reach its resources,
# the root user, and console paths into instances.
package terrane.pack.aws.identity

import rego.v1

import data.terrane.lib
import data.terrane.pack.aws.common

rules["TRN-AWS-IAM-001"] := {
	"title": "Resource control policies confine data services to the organisation",
	"severity": "high",
	"description": concat(" ", [
		"Where the organisation is in the estate, attached resource control policies must",
		"deny access to S3, KMS, SQS, Secrets Manager and STS by principals outside the",
		"organisation (a Deny statement with a condition on `aws:PrincipalOrgID`), and the",
		"organisation must enable `RESOURCE_CONTROL_POLICY`. Buckets tagged",
		"`data-classification` confidential, restricted or secret must also refuse",
		"presigned URLs and browser POST uploads: an RCP or their bucket policy must deny",
		"S3 requests whose `s3:authType` is not `REST-HEADER`.",
	]),
	"remediation": concat(" ", [
		"Attach an `aws_organizations_policy` of `type = \"RESOURCE_CONTROL_POLICY\"` whose",
		"Deny statement covers `s3:*`, `kms:*`, `sqs:*`, `secretsmanager:*` and `sts:*` with",
		"`StringNotEqualsIfExists = { \"aws:PrincipalOrgID\" = \"o-...\" }` (and",
		"`BoolIfExists = { \"aws:PrincipalIsAWSService\" = \"false\" }`), plus a Deny on",
		"`s3:*` with `StringNotEquals = { \"s3:authType\" = \"REST-HEADER\" }` for sensitive",
		"buckets.",
	]),
	"resource_types": [
		"aws_organizations_organization",
		"aws_organizations_policy",
		"aws_organizations_policy_attachment",
		"aws_s3_bucket",
		"aws_s3_bucket_policy",
	],
	"controls": ["CT.S3.PV.4", "CT.KMS.PV.7", "CT.SQS.PV.1", "CT.SECRETSMANAGER.PV.1", "CT.STS.PV.1", "CT.S3.PV.2"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-IAM-002"] := {
	"title": "Root user protected by MFA, without access keys, and restricted",
	"severity": "critical",
	"description": concat(" ", [
		"Decided live. Collectors report each account's IAM summary as an",
		"`aws_iam_account_summary` resource with `account_mfa_enabled` and",
		"`account_access_keys_present` (GetAccountSummary `AccountMFAEnabled` and",
		"`AccountAccessKeysPresent`, as booleans or 0/1): the root user must have MFA and no",
		"access keys. Where the organisation is read, an attached SCP must deny actions by",
		"root principals of member accounts (a Deny with a condition on `aws:PrincipalArn`",
		"matching `arn:*:iam::*:root`).",
	]),
	"remediation": concat(" ", [
		"Enable MFA on the root user, delete its access keys (or remove root credentials",
		"with centralised root access), and attach an SCP that denies `*` when",
		"`aws:PrincipalArn` is like `arn:aws:iam::*:root`.",
	]),
	"resource_types": ["aws_iam_account_summary", "aws_organizations_organization", "aws_organizations_policy"],
	"controls": ["AWS-GR_ROOT_ACCOUNT_MFA_ENABLED", "AWS-GR_RESTRICT_ROOT_USER_ACCESS_KEYS", "AWS-GR_RESTRICT_ROOT_USER"],
	"modes": ["live"],
}

rules["TRN-AWS-IAM-003"] := {
	"title": "EC2 serial console access disabled",
	"severity": "medium",
	"description": concat(" ", [
		"The EC2 serial console gives interactive access to instances outside the network",
		"controls. `aws_ec2_serial_console_access` must set `enabled = false` (it defaults",
		"to true), and EC2 declarative policies must not assign `serial_console_access`",
		"status `enabled`.",
	]),
	"remediation": concat(" ", [
		"Set `aws_ec2_serial_console_access { enabled = false }` in each region, or attach a",
		"declarative policy (`type = \"DECLARATIVE_POLICY_EC2\"`) that assigns",
		"`serial_console_access.status` `disabled`.",
	]),
	"resource_types": ["aws_ec2_serial_console_access", "aws_organizations_policy"],
	"controls": ["CT.EC2.PV.9"],
	"modes": ["plan", "state", "hcl", "live"],
}

# --- TRN-AWS-IAM-001 ----------------------------------------------------------------

# One representative data-plane action per service an RCP must confine.
confined_services := {
	"s3": "s3:GetObject",
	"kms": "kms:Decrypt",
	"sqs": "sqs:ReceiveMessage",
	"secretsmanager": "secretsmanager:GetSecretValue",
	"sts": "sts:AssumeRole",
}

rcp_statements := common.attached_statements("RESOURCE_CONTROL_POLICY")

confined_to_org(action) if {
	some s in rcp_statements
	common.denies(s)
	common.applies_to(s, action)
	count(common.conditions(s, "aws:PrincipalOrgID")) > 0
}

unconfined := sort([service | some service, action in confined_services; not confined_to_org(action)])

deny contains f if {
	some org in common.resources("aws_organizations_organization")
	count(unconfined) > 0
	not common.any_content_unknown("RESOURCE_CONTROL_POLICY")
	f := lib.finding("TRN-AWS-IAM-001", org, sprintf("no attached resource control policy confines %s to aws:PrincipalOrgID, expected all of s3, kms, sqs, secretsmanager and sts", [concat(", ", unconfined)]))
}

deny contains f if {
	some org in common.resources("aws_organizations_organization")
	count(unconfined) > 0
	common.any_content_unknown("RESOURCE_CONTROL_POLICY")
	f := lib.undecided_finding("TRN-AWS-IAM-001", org, "cannot decide resource control policies: a policy's content is known only after apply")
}

deny contains f if {
	some org in common.resources("aws_organizations_organization")
	count(rcp_statements) > 0
	not common.type_enabled(org, "RESOURCE_CONTROL_POLICY")
	f := lib.finding("TRN-AWS-IAM-001", org, "enabled_policy_types lacks RESOURCE_CONTROL_POLICY, so resource control policies are not enforced")
}

# A statement that refuses S3 requests not authenticated by an Authorization header.
header_auth_only(s) if {
	common.denies(s)
	common.applies_to(s, "s3:GetObject")
	some c in common.conditions(s, "s3:authType")
	contains(lower(c.operator), "stringnot")
	"REST-HEADER" in c.values
}

refuses_presigned(b) if {
	some s in rcp_statements
	header_auth_only(s)
}

refuses_presigned(b) if {
	some d in common.bucket_policy_documents(b)
	some s in common.statements(d)
	header_auth_only(s)
}

deny contains f if {
	some b in common.resources("aws_s3_bucket")
	common.sensitive(b)
	not refuses_presigned(b)
	not common.bucket_policy_unknown(b)
	f := lib.finding("TRN-AWS-IAM-001", b, sprintf("%s bucket accepts presigned URL requests, expected a deny when s3:authType is not REST-HEADER", [common.classification(b)]))
}

deny contains f if {
	some b in common.resources("aws_s3_bucket")
	common.sensitive(b)
	not refuses_presigned(b)
	common.bucket_policy_unknown(b)
	f := lib.undecided_finding("TRN-AWS-IAM-001", b, "cannot decide presigned URL access: the bucket policy is known only after apply")
}

# --- TRN-AWS-IAM-002 ----------------------------------------------------------------

off(v) if v == false

off(v) if v == 0

on(v) if v == true

on(v) if {
	is_number(v)
	v > 0
}

deny contains f if {
	some r in common.resources("aws_iam_account_summary")
	off(common.value(r, "account_mfa_enabled", null))
	f := lib.finding("TRN-AWS-IAM-002", r, "account_mfa_enabled is false, expected MFA on the root user")
}

deny contains f if {
	some r in common.resources("aws_iam_account_summary")
	on(common.value(r, "account_access_keys_present", null))
	f := lib.finding("TRN-AWS-IAM-002", r, "account_access_keys_present is true, expected no root access keys")
}

restricts_root(s) if {
	common.denies(s)
	some c in common.conditions(s, "aws:PrincipalArn")
	some v in c.values
	is_string(v)
	endswith(v, ":root")
}

deny contains f if {
	some org in common.resources("aws_organizations_organization")
	not root_restricted
	not common.any_content_unknown("SERVICE_CONTROL_POLICY")
	f := lib.finding("TRN-AWS-IAM-002", org, "no attached service control policy denies actions by root principals, expected aws:PrincipalArn arn:*:iam::*:root denied")
}

root_restricted if {
	some s in common.attached_statements("SERVICE_CONTROL_POLICY")
	restricts_root(s)
}

# --- TRN-AWS-IAM-003 ----------------------------------------------------------------

deny contains f if {
	some r in common.resources("aws_ec2_serial_console_access")
	common.flag(r, "enabled", true) == "true"
	f := lib.finding("TRN-AWS-IAM-003", r, "enabled is true, expected serial console access disabled")
}

deny contains f if {
	some p in common.org_policies("DECLARATIVE_POLICY_EC2")
	d := common.document(common.value(p, "content", null))
	status := object.get(d, ["ec2_attributes", "serial_console_access", "status", "@@assign"], "")
	status == "enabled"
	f := lib.finding("TRN-AWS-IAM-003", p, "declarative policy assigns serial_console_access enabled, expected disabled")
}
