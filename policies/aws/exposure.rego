# Public exposure: data and endpoints that anyone on the internet could reach, which
# puts them outside the jurisdiction whatever their region.
package terrane.pack.aws.exposure

import rego.v1

import data.terrane.lib
import data.terrane.pack.aws.common

rules["TRN-AWS-PUB-001"] := {
	"title": "S3 account-level public access block fully on",
	"severity": "high",
	"description": concat(" ", [
		"The account-level S3 public access block must set all four flags",
		"(`block_public_acls`, `block_public_policy`, `ignore_public_acls`,",
		"`restrict_public_buckets`), so that no bucket of the account can be made public by",
		"an ACL or a bucket policy. Whether an account lacks the block altogether is decided",
		"live.",
	]),
	"remediation": concat(" ", [
		"Set all four arguments of `aws_s3_account_public_access_block` to `true` in every",
		"account.",
	]),
	"resource_types": ["aws_s3_account_public_access_block"],
	"controls": ["AWS-GR_S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC", "CFG:s3-account-level-public-access-blocks-periodic"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-PUB-002"] := {
	"title": "S3 buckets not public",
	"severity": "critical",
	"description": concat(" ", [
		"Each bucket public access block must set all four flags, bucket ACLs must not grant",
		"access to everyone or to all authenticated AWS users (`public-read`,",
		"`public-read-write`, `authenticated-read`, or grants to the `AllUsers` and",
		"`AuthenticatedUsers` groups), and bucket policies must not allow principal `*`",
		"without a condition that confines the statement.",
	]),
	"remediation": concat(" ", [
		"Set all four arguments of `aws_s3_bucket_public_access_block` to `true`, use",
		"`acl = \"private\"` (or object ownership `BucketOwnerEnforced`), and add a",
		"condition such as `aws:PrincipalOrgID` or `aws:SourceVpce` to policy statements",
		"that name `*`.",
	]),
	"resource_types": ["aws_s3_bucket_public_access_block", "aws_s3_bucket_acl", "aws_s3_bucket_policy", "aws_s3_bucket"],
	"controls": ["CFG:s3-bucket-level-public-access-prohibited", "CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "AVD-AWS-0086"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-PUB-003"] := {
	"title": "EBS snapshots and AMIs not shared publicly",
	"severity": "high",
	"description": concat(" ", [
		"Block public access for EBS snapshots must be `block-all-sharing` and for AMIs",
		"`block-new-sharing` in each region where it is configured, and no AMI launch",
		"permission may name the group `all`. A public snapshot or AMI exposes a full disk",
		"image to every AWS account.",
	]),
	"remediation": concat(" ", [
		"Set `aws_ebs_snapshot_block_public_access { state = \"block-all-sharing\" }` and",
		"`aws_ec2_image_block_public_access { state = \"block-new-sharing\" }`, and share AMIs",
		"with accounts or the organisation (`organization_arn`) instead of `group = \"all\"`.",
	]),
	"resource_types": ["aws_ebs_snapshot_block_public_access", "aws_ec2_image_block_public_access", "aws_ami_launch_permission"],
	"controls": ["CT.EC2.PV.3", "CT.EC2.PV.7", "CT.EC2.PV.11", "AWS-GR_EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-PUB-004"] := {
	"title": "RDS databases and snapshots not public",
	"severity": "critical",
	"description": concat(" ", [
		"RDS instances, Aurora cluster instances and Multi-AZ clusters must not be publicly",
		"accessible (`publicly_accessible = true` gives the endpoint a public address), and",
		"DB snapshots and cluster snapshots must not be shared with `all`.",
	]),
	"remediation": "Set `publicly_accessible = false` and remove `all` from `shared_accounts`.",
	"resource_types": ["aws_db_instance", "aws_rds_cluster_instance", "aws_rds_cluster", "aws_db_snapshot", "aws_db_cluster_snapshot"],
	"controls": [
		"AWS-GR_RDS_INSTANCE_PUBLIC_ACCESS_CHECK",
		"AWS-GR_RDS_SNAPSHOTS_PUBLIC_PROHIBITED",
		"CFG:rds-instance-public-access-check",
		"CKV_AWS_17",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-PUB-005"] := {
	"title": "No public IP addresses on instances and subnets",
	"severity": "medium",
	"description": concat(" ", [
		"Instances, launch templates and launch configurations must not request a public IP",
		"address (`associate_public_ip_address`), and subnets must not assign one",
		"automatically (`map_public_ip_on_launch`). A default subnet whose setting is known",
		"only after apply keeps the default of assigning public addresses and is undecided.",
	]),
	"remediation": concat(" ", [
		"Set `associate_public_ip_address = false` and `map_public_ip_on_launch = false`;",
		"reach instances through a load balancer, Session Manager or a VPN.",
	]),
	"resource_types": ["aws_instance", "aws_launch_template", "aws_launch_configuration", "aws_subnet", "aws_default_subnet"],
	"controls": [
		"AWS-GR_EC2_INSTANCE_NO_PUBLIC_IP",
		"AWS-GR_AUTOSCALING_LAUNCH_CONFIG_PUBLIC_IP_DISABLED",
		"AWS-GR_SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED",
		"CKV_AWS_88",
		"CKV_AWS_130",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-PUB-006"] := {
	"title": "Managed data and compute services reachable only privately",
	"severity": "high",
	"description": concat(" ", [
		"EKS API endpoints must not be public (`vpc_config.endpoint_public_access`, true by",
		"default), OpenSearch and Elasticsearch domains must be in a VPC (`vpc_options`),",
		"Redshift clusters and DMS replication instances must not be publicly accessible",
		"(unset counts as public, as older providers and the API default to it), EMR",
		"clusters must launch in a chosen subnet (`ec2_attributes.subnet_id` or",
		"`subnet_ids`), and SageMaker notebooks must have `direct_internet_access =",
		"\"Disabled\"`.",
	]),
	"remediation": concat(" ", [
		"Set `endpoint_public_access = false` with `endpoint_private_access = true`, add",
		"`vpc_options`, set `publicly_accessible = false`, place EMR clusters in private",
		"subnets, and set `direct_internet_access = \"Disabled\"` with a `subnet_id`.",
	]),
	"resource_types": [
		"aws_eks_cluster",
		"aws_opensearch_domain",
		"aws_elasticsearch_domain",
		"aws_redshift_cluster",
		"aws_dms_replication_instance",
		"aws_emr_cluster",
		"aws_sagemaker_notebook_instance",
	],
	"controls": [
		"AWS-GR_EKS_ENDPOINT_NO_PUBLIC_ACCESS",
		"AWS-GR_ELASTICSEARCH_IN_VPC_ONLY",
		"AWS-GR_REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK",
		"AWS-GR_DMS_REPLICATION_NOT_PUBLIC",
		"AWS-GR_EMR_MASTER_NO_PUBLIC_IP",
		"AWS-GR_SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS",
		"CKV_AWS_87",
		"CKV_AWS_89",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-PUB-007"] := {
	"title": "Lambda functions invocable only by authenticated principals of the account",
	"severity": "high",
	"description": concat(" ", [
		"Function URLs must use `authorization_type = \"AWS_IAM\"`. Function permissions",
		"must not name principal `*`, must scope service principals with `source_arn`,",
		"`source_account` or `principal_org_id` (otherwise any account's resources of that",
		"service can invoke the function), and must not name another account than the",
		"function's when both are known.",
	]),
	"remediation": concat(" ", [
		"Set `authorization_type = \"AWS_IAM\"` on `aws_lambda_function_url`; on",
		"`aws_lambda_permission` name a principal of the account, and set `source_arn` or",
		"`source_account` for service principals.",
	]),
	"resource_types": ["aws_lambda_function_url", "aws_lambda_permission"],
	"controls": ["CT.LAMBDA.PV.1", "CT.LAMBDA.PV.2", "AWS-GR_LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED", "CKV_AWS_301"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-PUB-008"] := {
	"title": "AppSync APIs private and SSM documents not shared publicly",
	"severity": "medium",
	"description": concat(" ", [
		"AppSync GraphQL APIs must be private (`visibility = \"PRIVATE\"`; the default",
		"`GLOBAL` exposes them on the internet) and SSM documents must not be shared with",
		"`All` accounts through `permissions`.",
	]),
	"remediation": concat(" ", [
		"Set `visibility = \"PRIVATE\"` on `aws_appsync_graphql_api` and list account ids",
		"instead of `All` in `permissions.account_ids` of `aws_ssm_document`.",
	]),
	"resource_types": ["aws_appsync_graphql_api", "aws_ssm_document"],
	"controls": ["CT.APPSYNC.PV.1", "AWS-GR_SSM_DOCUMENT_NOT_PUBLIC"],
	"modes": ["plan", "state", "hcl", "live"],
}

# --- TRN-AWS-PUB-001 and TRN-AWS-PUB-002: public access blocks ------------------------

block_flags := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

flags_off(r) := [name | some name in block_flags; common.flag(r, name, false) == "false"]

deny contains f if {
	some r in common.resources("aws_s3_account_public_access_block")
	off := flags_off(r)
	count(off) > 0
	f := lib.finding("TRN-AWS-PUB-001", r, sprintf("%s not true, expected all four public access block flags true", [concat(", ", off)]))
}

deny contains f if {
	some r in common.resources("aws_s3_bucket_public_access_block")
	off := flags_off(r)
	count(off) > 0
	f := lib.finding("TRN-AWS-PUB-002", r, sprintf("%s not true, expected all four public access block flags true", [concat(", ", off)]))
}

# --- TRN-AWS-PUB-002: ACLs and bucket policies ---------------------------------------

public_acls := {"public-read", "public-read-write", "authenticated-read"}

public_groups := {
	"http://acs.amazonaws.com/groups/global/AllUsers",
	"http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
}

deny contains f if {
	some r in common.resources_of(["aws_s3_bucket_acl", "aws_s3_bucket"])
	acl := common.value(r, "acl", "")
	acl in public_acls
	f := lib.finding("TRN-AWS-PUB-002", r, sprintf("acl is %s, expected private", [acl]))
}

deny contains f if {
	some r in common.resources("aws_s3_bucket_acl")
	some policy in common.objects(common.value(r, "access_control_policy", []))
	some grant in common.objects(object.get(policy, "grant", []))
	some grantee in common.objects(object.get(grant, "grantee", []))
	uri := object.get(grantee, "uri", "")
	uri in public_groups
	f := lib.finding("TRN-AWS-PUB-002", r, sprintf("bucket ACL grants %s to %s, expected no grants to public groups", [object.get(grant, "permission", "access"), uri]))
}

policy_sources := array.concat(
	[r | some r in common.resources("aws_s3_bucket_policy")],
	[r | some r in common.resources("aws_s3_bucket"); common.value(r, "policy", "") != ""],
)

deny contains f if {
	some r in policy_sources
	doc := common.document(common.value(r, "policy", null))
	some s in common.statements(doc)
	common.allows(s)
	common.any_principal(s)
	not common.confined(s)
	f := lib.finding("TRN-AWS-PUB-002", r, "bucket policy allows principal * without a confining condition, expected named principals or an organisation condition")
}

# --- TRN-AWS-PUB-003 ----------------------------------------------------------------

deny contains f if {
	some r in common.resources("aws_ebs_snapshot_block_public_access")
	state := common.value(r, "state", "unblocked")
	state != "block-all-sharing"
	f := lib.finding("TRN-AWS-PUB-003", r, sprintf("state is %s, expected block-all-sharing", [state]))
}

deny contains f if {
	some r in common.resources("aws_ec2_image_block_public_access")
	state := common.value(r, "state", "unblocked")
	state != "block-new-sharing"
	f := lib.finding("TRN-AWS-PUB-003", r, sprintf("state is %s, expected block-new-sharing", [state]))
}

deny contains f if {
	some r in common.resources("aws_ami_launch_permission")
	common.value(r, "group", "") == "all"
	f := lib.finding("TRN-AWS-PUB-003", r, "launch permission shares the AMI with group all, expected named accounts or the organisation")
}

# --- TRN-AWS-PUB-004 ----------------------------------------------------------------

deny contains f if {
	some r in common.resources_of(["aws_db_instance", "aws_rds_cluster_instance", "aws_rds_cluster"])
	common.flag(r, "publicly_accessible", false) == "true"
	f := lib.finding("TRN-AWS-PUB-004", r, "publicly_accessible is true, expected false")
}

deny contains f if {
	some r in common.resources_of(["aws_db_snapshot", "aws_db_cluster_snapshot"])
	some account in common.list(common.value(r, "shared_accounts", []))
	is_string(account)
	lower(account) == "all"
	f := lib.finding("TRN-AWS-PUB-004", r, "shared_accounts includes all, expected named accounts only")
}

# --- TRN-AWS-PUB-005 ----------------------------------------------------------------

deny contains f if {
	some r in common.resources_of(["aws_instance", "aws_launch_configuration"])
	common.flag(r, "associate_public_ip_address", false) == "true"
	f := lib.finding("TRN-AWS-PUB-005", r, "associate_public_ip_address is true, expected false")
}

deny contains f if {
	some r in common.resources("aws_launch_template")
	some n, interface in common.objects(common.value(r, "network_interfaces", []))
	common.truthy(object.get(interface, "associate_public_ip_address", null))
	f := lib.finding("TRN-AWS-PUB-005", r, sprintf("network_interfaces %d has associate_public_ip_address true, expected false", [n]))
}

deny contains f if {
	some r in common.resources_of(["aws_subnet", "aws_default_subnet"])
	common.flag(r, "map_public_ip_on_launch", false) == "true"
	f := lib.finding("TRN-AWS-PUB-005", r, "map_public_ip_on_launch is true, expected false")
}

deny contains f if {
	some r in common.resources("aws_default_subnet")
	common.flag(r, "map_public_ip_on_launch", false) == "unknown"
	f := lib.undecided_finding("TRN-AWS-PUB-005", r, "cannot decide public addressing: map_public_ip_on_launch of the default subnet is known only after apply")
}

# --- TRN-AWS-PUB-006 ----------------------------------------------------------------

deny contains f if {
	some r in common.resources("aws_eks_cluster")
	common.flag(r, "vpc_config.0.endpoint_public_access", true) == "true"
	f := lib.finding("TRN-AWS-PUB-006", r, "vpc_config.endpoint_public_access is true, expected false")
}

deny contains f if {
	some r in common.resources_of(["aws_opensearch_domain", "aws_elasticsearch_domain"])
	count(common.list(common.value(r, "vpc_options", []))) == 0
	not lib.unknown(r, "vpc_options")
	f := lib.finding("TRN-AWS-PUB-006", r, "domain has no vpc_options, so its endpoint is public, expected a VPC domain")
}

deny contains f if {
	some r in common.resources_of(["aws_redshift_cluster", "aws_dms_replication_instance"])
	common.flag(r, "publicly_accessible", true) == "true"
	f := lib.finding("TRN-AWS-PUB-006", r, "publicly_accessible is true or unset, expected false")
}

deny contains f if {
	some r in common.resources_of(["aws_redshift_cluster", "aws_dms_replication_instance"])
	common.flag(r, "publicly_accessible", true) == "unknown"
	f := lib.undecided_finding("TRN-AWS-PUB-006", r, "cannot decide public access: publicly_accessible is known only after apply")
}

emr_subnet(r) if common.value(r, "ec2_attributes.0.subnet_id", "") != ""

emr_subnet(r) if count(common.list(common.value(r, "ec2_attributes.0.subnet_ids", []))) > 0

emr_subnet(r) if lib.unknown(r, "ec2_attributes.0.subnet_id")

emr_subnet(r) if lib.unknown(r, "ec2_attributes.0.subnet_ids")

deny contains f if {
	some r in common.resources("aws_emr_cluster")
	not emr_subnet(r)
	f := lib.finding("TRN-AWS-PUB-006", r, "cluster has no ec2_attributes subnet, so the primary node gets a public IP in the default VPC, expected a private subnet")
}

deny contains f if {
	some r in common.resources("aws_sagemaker_notebook_instance")
	access := common.value(r, "direct_internet_access", "Enabled")
	access != "Disabled"
	f := lib.finding("TRN-AWS-PUB-006", r, sprintf("direct_internet_access is %s, expected Disabled", [access]))
}

# --- TRN-AWS-PUB-007 ----------------------------------------------------------------

deny contains f if {
	some r in common.resources("aws_lambda_function_url")
	auth := common.value(r, "authorization_type", "")
	auth != "AWS_IAM"
	f := lib.finding("TRN-AWS-PUB-007", r, sprintf("authorization_type is %s, expected AWS_IAM", [auth]))
}

service_principal(p) if {
	is_string(p)
	endswith(p, ".amazonaws.com")
}

scoped(r) if {
	some attribute in ["source_arn", "source_account", "principal_org_id"]
	common.value(r, attribute, "") != ""
}

scoped(r) if {
	some attribute in ["source_arn", "source_account", "principal_org_id"]
	lib.unknown(r, attribute)
}

deny contains f if {
	some r in common.resources("aws_lambda_permission")
	common.value(r, "principal", "") == "*"
	common.value(r, "principal_org_id", "") == ""
	f := lib.finding("TRN-AWS-PUB-007", r, "principal is *, expected a principal of the function's account")
}

deny contains f if {
	some r in common.resources("aws_lambda_permission")
	principal := common.value(r, "principal", "")
	service_principal(principal)
	not scoped(r)
	f := lib.finding("TRN-AWS-PUB-007", r, sprintf("service principal %s has no source_arn or source_account, expected the invoking resource or account", [principal]))
}

deny contains f if {
	some r in common.resources("aws_lambda_permission")
	other := common.account_of(common.value(r, "principal", ""))
	own := common.account_of(common.value(r, "function_name", ""))
	other != own
	f := lib.finding("TRN-AWS-PUB-007", r, sprintf("principal is account %s, expected the function's account %s", [other, own]))
}

# --- TRN-AWS-PUB-008 ----------------------------------------------------------------

deny contains f if {
	some r in common.resources("aws_appsync_graphql_api")
	visibility := common.value(r, "visibility", "GLOBAL")
	visibility != "PRIVATE"
	f := lib.finding("TRN-AWS-PUB-008", r, sprintf("visibility is %s, expected PRIVATE", [visibility]))
}

shared_publicly(r) if {
	accounts := common.value(r, "permissions.account_ids", "")
	is_string(accounts)
	some account in split(accounts, ",")
	lower(trim_space(account)) == "all"
}

shared_publicly(r) if {
	some account in common.list(common.value(r, "permissions.account_ids", []))
	is_string(account)
	lower(account) == "all"
}

deny contains f if {
	some r in common.resources("aws_ssm_document")
	shared_publicly(r)
	f := lib.finding("TRN-AWS-PUB-008", r, "permissions share the document with All accounts, expected named accounts")
}
