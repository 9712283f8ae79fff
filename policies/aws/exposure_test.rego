package terrane.pack.aws.exposure_test

import rego.v1

import data.terrane.pack.aws.exposure
import data.terrane.testing

at(t, values) := {"type": t, "name": "x", "region": "eu-central-1", "values": values}

all_blocked := {"block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}

# --- TRN-AWS-PUB-001 ----------------------------------------------------------------

test_trn_aws_pub_001_policy_flag_off_fires if {
	values := object.union(all_blocked, {"block_public_policy": false})
	findings := exposure.deny with input as testing.estate([at("aws_s3_account_public_access_block", values)])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-PUB-001"
	contains(f.message, "block_public_policy")
}

test_trn_aws_pub_001_all_flags_passes if {
	findings := exposure.deny with input as testing.estate([at("aws_s3_account_public_access_block", all_blocked)])
	count(findings) == 0
}

# --- TRN-AWS-PUB-002 ----------------------------------------------------------------

test_trn_aws_pub_002_bucket_block_unset_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_s3_bucket_public_access_block", {"block_public_acls": true})])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-PUB-002"
	contains(f.message, "restrict_public_buckets")
}

test_trn_aws_pub_002_bucket_block_passes if {
	findings := exposure.deny with input as testing.estate([at("aws_s3_bucket_public_access_block", all_blocked)])
	count(findings) == 0
}

test_trn_aws_pub_002_public_read_acl_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_s3_bucket_acl", {"acl": "public-read"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "public-read")
}

test_trn_aws_pub_002_all_users_grant_fires if {
	grant := {"grantee": [{"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}], "permission": "READ"}
	findings := exposure.deny with input as testing.estate([at("aws_s3_bucket_acl", {"access_control_policy": [{"grant": [grant]}]})])
	count(findings) == 1
	some f in findings
	contains(f.message, "AllUsers")
}

test_trn_aws_pub_002_private_acl_passes if {
	findings := exposure.deny with input as testing.estate([at("aws_s3_bucket_acl", {"acl": "private"})])
	count(findings) == 0
}

bucket_policy(statement) := at("aws_s3_bucket_policy", {"bucket": "data", "policy": json.marshal({"Version": "2012-10-17", "Statement": [statement]})})

test_trn_aws_pub_002_public_policy_fires if {
	statement := {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*"}
	findings := exposure.deny with input as testing.estate([bucket_policy(statement)])
	count(findings) == 1
	some f in findings
	contains(f.message, "principal *")
}

test_trn_aws_pub_002_endpoint_policy_passes if {
	statement := {
		"Effect": "Allow",
		"Principal": "*",
		"Action": "s3:GetObject",
		"Resource": "arn:aws:s3:::data/*",
		"Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
	}
	findings := exposure.deny with input as testing.estate([bucket_policy(statement)])
	count(findings) == 0
}

# --- TRN-AWS-PUB-003 ----------------------------------------------------------------

test_trn_aws_pub_003_snapshot_new_sharing_only_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_ebs_snapshot_block_public_access", {"state": "block-new-sharing"})])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-PUB-003"
	contains(f.message, "block-new-sharing")
}

test_trn_aws_pub_003_image_unblocked_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_ec2_image_block_public_access", {"state": "unblocked"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "unblocked")
}

test_trn_aws_pub_003_public_launch_permission_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_ami_launch_permission", {"image_id": "ami-12345678", "group": "all"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "group all")
}

test_trn_aws_pub_003_blocked_passes if {
	findings := exposure.deny with input as testing.estate([
		at("aws_ebs_snapshot_block_public_access", {"state": "block-all-sharing"}),
		at("aws_ec2_image_block_public_access", {"state": "block-new-sharing"}),
		at("aws_ami_launch_permission", {"image_id": "ami-12345678", "account_id": "111111111111"}),
	])
	count(findings) == 0
}

# --- TRN-AWS-PUB-004 ----------------------------------------------------------------

test_trn_aws_pub_004_public_database_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_db_instance", {"publicly_accessible": true})])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-PUB-004"
	contains(f.message, "publicly_accessible is true")
}

test_trn_aws_pub_004_public_snapshot_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_db_snapshot", {"shared_accounts": ["all"]})])
	count(findings) == 1
	some f in findings
	contains(f.message, "all")
}

test_trn_aws_pub_004_private_database_passes if {
	findings := exposure.deny with input as testing.estate([
		at("aws_db_instance", {"publicly_accessible": false}),
		at("aws_rds_cluster_instance", {}),
		at("aws_db_snapshot", {"shared_accounts": ["111111111111"]}),
	])
	count(findings) == 0
}

# --- TRN-AWS-PUB-005 ----------------------------------------------------------------

test_trn_aws_pub_005_instance_public_ip_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_instance", {"associate_public_ip_address": true})])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-PUB-005"
	contains(f.message, "associate_public_ip_address")
}

test_trn_aws_pub_005_launch_template_public_ip_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_launch_template", {"network_interfaces": [{"associate_public_ip_address": "true"}]})])
	count(findings) == 1
	some f in findings
	contains(f.message, "network_interfaces 0")
}

test_trn_aws_pub_005_subnet_auto_assign_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_subnet", {"map_public_ip_on_launch": true})])
	count(findings) == 1
	some f in findings
	contains(f.message, "map_public_ip_on_launch")
}

test_trn_aws_pub_005_default_subnet_unknown_undecided if {
	s := object.union(at("aws_default_subnet", {}), {"unknown": ["map_public_ip_on_launch"]})
	findings := exposure.deny with input as testing.estate([s])
	count(findings) == 1
	some f in findings
	f.undecided
}

test_trn_aws_pub_005_private_addressing_passes if {
	findings := exposure.deny with input as testing.estate([
		at("aws_instance", {"associate_public_ip_address": false}),
		at("aws_subnet", {"map_public_ip_on_launch": false}),
		at("aws_launch_template", {"network_interfaces": [{"associate_public_ip_address": "false"}]}),
	])
	count(findings) == 0
}

# --- TRN-AWS-PUB-006 ----------------------------------------------------------------

test_trn_aws_pub_006_public_eks_endpoint_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_eks_cluster", {"vpc_config": [{"subnet_ids": ["subnet-1"]}]})])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-PUB-006"
	contains(f.message, "endpoint_public_access")
}

test_trn_aws_pub_006_domain_outside_vpc_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_opensearch_domain", {"domain_name": "search"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "vpc_options")
}

test_trn_aws_pub_006_redshift_unset_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_redshift_cluster", {"cluster_identifier": "dw"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "publicly_accessible")
}

test_trn_aws_pub_006_dms_unknown_undecided if {
	dms := object.union(at("aws_dms_replication_instance", {}), {"unknown": ["publicly_accessible"]})
	findings := exposure.deny with input as testing.estate([dms])
	count(findings) == 1
	some f in findings
	f.undecided
}

test_trn_aws_pub_006_emr_without_subnet_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_emr_cluster", {"ec2_attributes": [{"instance_profile": "emr"}]})])
	count(findings) == 1
	some f in findings
	contains(f.message, "subnet")
}

test_trn_aws_pub_006_notebook_internet_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_sagemaker_notebook_instance", {"instance_type": "ml.t3.medium"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "Enabled")
}

test_trn_aws_pub_006_private_services_passes if {
	findings := exposure.deny with input as testing.estate([
		at("aws_eks_cluster", {"vpc_config": [{"endpoint_public_access": false, "endpoint_private_access": true}]}),
		at("aws_opensearch_domain", {"vpc_options": [{"subnet_ids": ["subnet-1"]}]}),
		at("aws_redshift_cluster", {"publicly_accessible": false}),
		at("aws_dms_replication_instance", {"publicly_accessible": false}),
		at("aws_emr_cluster", {"ec2_attributes": [{"subnet_id": "subnet-1"}]}),
		at("aws_sagemaker_notebook_instance", {"direct_internet_access": "Disabled", "subnet_id": "subnet-1"}),
	])
	count(findings) == 0
}

# --- TRN-AWS-PUB-007 ----------------------------------------------------------------

test_trn_aws_pub_007_unauthenticated_url_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_lambda_function_url", {"function_name": "f", "authorization_type": "NONE"})])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-PUB-007"
	contains(f.message, "NONE")
}

test_trn_aws_pub_007_public_permission_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_lambda_permission", {"function_name": "f", "principal": "*", "action": "lambda:InvokeFunction"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "principal is *")
}

test_trn_aws_pub_007_unscoped_service_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_lambda_permission", {"function_name": "f", "principal": "s3.amazonaws.com"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "s3.amazonaws.com")
}

test_trn_aws_pub_007_other_account_fires if {
	permission := {"function_name": "arn:aws:lambda:eu-central-1:111111111111:function:f", "principal": "222222222222"}
	findings := exposure.deny with input as testing.estate([at("aws_lambda_permission", permission)])
	count(findings) == 1
	some f in findings
	contains(f.message, "222222222222")
}

test_trn_aws_pub_007_scoped_invocation_passes if {
	findings := exposure.deny with input as testing.estate([
		at("aws_lambda_function_url", {"function_name": "f", "authorization_type": "AWS_IAM"}),
		at("aws_lambda_permission", {"function_name": "f", "principal": "s3.amazonaws.com", "source_arn": "arn:aws:s3:::data"}),
	])
	count(findings) == 0
}

# --- TRN-AWS-PUB-008 ----------------------------------------------------------------

test_trn_aws_pub_008_global_api_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_appsync_graphql_api", {"name": "api", "authentication_type": "API_KEY"})])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-PUB-008"
	contains(f.message, "GLOBAL")
}

test_trn_aws_pub_008_public_document_fires if {
	findings := exposure.deny with input as testing.estate([at("aws_ssm_document", {"name": "d", "permissions": {"type": "Share", "account_ids": "111111111111,All"}})])
	count(findings) == 1
	some f in findings
	contains(f.message, "All")
}

test_trn_aws_pub_008_private_passes if {
	findings := exposure.deny with input as testing.estate([
		at("aws_appsync_graphql_api", {"visibility": "PRIVATE"}),
		at("aws_ssm_document", {"permissions": {"type": "Share", "account_ids": "111111111111"}}),
	])
	count(findings) == 0
}
