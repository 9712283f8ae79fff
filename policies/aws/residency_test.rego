package terrane.pack.aws.residency_test

import rego.v1

import data.terrane.pack.aws.residency
import data.terrane.testing

of(rule_id, findings) := {f | some f in findings; f.rule_id == rule_id}

bucket(region) := {"type": "aws_s3_bucket", "name": "b", "region": region}

# --- TRN-AWS-RES-001 ----------------------------------------------------------------

test_trn_aws_res_001_london_fires if {
	findings := residency.deny with input as testing.estate([bucket("eu-west-2")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-RES-001"
	contains(f.message, "eu-west-2")
	contains(f.message, "outside EU")
	not f.undecided
}

test_trn_aws_res_001_zurich_fires if {
	findings := residency.deny with input as testing.estate([bucket("eu-central-2")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-RES-001"
	contains(f.message, "eu-central-2")
}

test_trn_aws_res_001_us_zone_fires if {
	findings := residency.deny with input as testing.estate([{"type": "aws_ebs_volume", "name": "v", "region": "us-east-1a"}])
	count(findings) == 1
	some f in findings
	contains(f.message, "us-east-1")
}

test_trn_aws_res_001_frankfurt_passes if {
	findings := residency.deny with input as testing.estate([bucket("eu-central-1")])
	count(findings) == 0
}

test_trn_aws_res_001_sovereign_cloud_passes if {
	findings := residency.deny with input as testing.estate([bucket("eusc-de-east-1")])
	count(findings) == 0
}

test_trn_aws_res_001_london_in_uk_passes if {
	findings := residency.deny with input as testing.estate_in("UK", [bucket("eu-west-2")])
	count(findings) == 0
}

test_trn_aws_res_001_unknown_region_undecided if {
	findings := residency.deny with input as testing.estate([bucket("xx-nowhere-9")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-RES-001"
	f.undecided
	startswith(f.message, "cannot decide residency")
}

test_trn_aws_res_001_no_region_undecided if {
	findings := residency.deny with input as testing.estate([{"type": "aws_sqs_queue", "name": "q"}])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "no region")
}

test_trn_aws_res_001_global_service_passes if {
	findings := residency.deny with input as testing.estate([
		{"type": "aws_iam_role", "name": "r", "region": "us-east-1"},
		{"type": "aws_cloudfront_origin_access_control", "name": "o", "region": "us-east-1"},
		{"type": "aws_wafv2_web_acl", "name": "w", "region": "us-east-1", "values": {"scope": "CLOUDFRONT"}},
	])
	count(findings) == 0
}

test_trn_aws_res_001_regional_waf_fires if {
	findings := residency.deny with input as testing.estate([{"type": "aws_wafv2_web_acl", "name": "w", "region": "us-east-1", "values": {"scope": "REGIONAL"}}])
	count(findings) == 1
}

test_trn_aws_res_001_route53_resolver_fires if {
	findings := residency.deny with input as testing.estate([{"type": "aws_route53_resolver_endpoint", "name": "e", "region": "us-west-2"}])
	count(findings) == 1
	some f in findings
	contains(f.message, "us-west-2")
}

test_trn_aws_res_001_data_source_passes if {
	findings := residency.deny with input as testing.estate([{"type": "aws_ami", "name": "a", "mode": "data", "region": "us-east-1"}])
	count(findings) == 0
}

test_trn_aws_res_001_other_cloud_passes if {
	findings := residency.deny with input as testing.estate([{"type": "google_storage_bucket", "name": "g", "region": "us-central1"}])
	count(findings) == 0
}

# --- TRN-AWS-RES-002 ----------------------------------------------------------------

region_deny_scp(regions) := json.marshal({
	"Version": "2012-10-17",
	"Statement": [{
		"Sid": "GRREGIONDENY",
		"Effect": "Deny",
		"NotAction": ["iam:*", "organizations:*", "route53:*", "cloudfront:*", "support:*"],
		"Resource": "*",
		"Condition": {"StringNotEquals": {"aws:RequestedRegion": regions}},
	}],
})

scp(regions) := {
	"type": "aws_organizations_policy",
	"name": "region_deny",
	"values": {"type": "SERVICE_CONTROL_POLICY", "content": region_deny_scp(regions)},
}

attachment := {
	"type": "aws_organizations_policy_attachment",
	"name": "root",
	"relations": [{"kind": "reference", "target": "aws_organizations_policy.region_deny", "target_type": "aws_organizations_policy"}],
}

organization := {"type": "aws_organizations_organization", "name": "org", "values": {"enabled_policy_types": ["SERVICE_CONTROL_POLICY"]}}

test_trn_aws_res_002_london_allowed_fires if {
	findings := residency.deny with input as testing.estate([scp(["eu-central-1", "eu-west-2"]), attachment, organization])
	count(of("TRN-AWS-RES-002", findings)) == 1
	some f in findings
	f.rule_id == "TRN-AWS-RES-002"
	f.address == "aws_organizations_policy.region_deny"
	contains(f.message, "eu-west-2")
}

test_trn_aws_res_002_eu_regions_passes if {
	findings := residency.deny with input as testing.estate([scp(["eu-central-1", "eu-west-1", "eusc-de-east-1"]), attachment, organization])
	count(of("TRN-AWS-RES-002", findings)) == 0
}

test_trn_aws_res_002_unattached_fires if {
	findings := residency.deny with input as testing.estate([scp(["eu-central-1"]), organization])
	rule_findings := of("TRN-AWS-RES-002", findings)
	count(rule_findings) == 2
	some f in rule_findings
	f.address == "aws_organizations_policy.region_deny"
	contains(f.message, "not attached")
}

test_trn_aws_res_002_organization_without_deny_fires if {
	findings := residency.deny with input as testing.estate([organization])
	count(findings) == 1
	some f in findings
	f.address == "aws_organizations_organization.org"
	contains(f.message, "aws:RequestedRegion")
}

test_trn_aws_res_002_scp_disabled_fires if {
	disabled := {"type": "aws_organizations_organization", "name": "org", "values": {"enabled_policy_types": ["TAG_POLICY"]}}
	findings := residency.deny with input as testing.estate([scp(["eu-central-1"]), attachment, disabled])
	count(findings) == 1
	some f in findings
	contains(f.message, "SERVICE_CONTROL_POLICY")
}

test_trn_aws_res_002_region_pattern_undecided if {
	findings := residency.deny with input as testing.estate([scp(["eu-*"]), attachment, organization])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "eu-*")
}

test_trn_aws_res_002_ou_region_deny_fires if {
	control := {
		"type": "aws_controltower_control",
		"name": "region_deny",
		"region": "eu-central-1",
		"values": {
			"control_identifier": "arn:aws:controlcatalog:::control/50utmyu7yqmhr8fpnpo8bnaj1",
			"parameters": [{"key": "AllowedRegions", "value": "[\"eu-central-1\",\"us-east-1\"]"}],
		},
	}
	findings := residency.deny with input as testing.estate([control])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-RES-002"
	contains(f.message, "us-east-1")
}

test_trn_aws_res_002_ou_region_deny_passes if {
	control := {
		"type": "aws_controltower_control",
		"name": "region_deny",
		"region": "eu-central-1",
		"values": {"parameters": [{"key": "AllowedRegions", "value": "[\"eu-central-1\",\"eu-north-1\"]"}]},
	}
	findings := residency.deny with input as testing.estate([control])
	count(findings) == 0
}

# --- TRN-AWS-RES-003 ----------------------------------------------------------------

landing_zone(regions) := {
	"type": "aws_controltower_landing_zone",
	"name": "lz",
	"region": "eu-central-1",
	"values": {"version": "3.3", "manifest_json": json.marshal({"governedRegions": regions})},
}

test_trn_aws_res_003_zurich_governed_fires if {
	findings := residency.deny with input as testing.estate([landing_zone(["eu-central-1", "eu-central-2"])])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-RES-003"
	contains(f.message, "eu-central-2")
}

test_trn_aws_res_003_eu_regions_passes if {
	findings := residency.deny with input as testing.estate([landing_zone(["eu-central-1", "eu-west-1"])])
	count(findings) == 0
}

test_trn_aws_res_003_manifest_unknown_undecided if {
	lz := {"type": "aws_controltower_landing_zone", "name": "lz", "region": "eu-central-1", "unknown": ["manifest_json"]}
	findings := residency.deny with input as testing.estate([lz])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "manifest_json")
}

# --- TRN-AWS-RES-004 ----------------------------------------------------------------

eusc_only(resources) := object.union(testing.estate(resources), {"jurisdiction": {"id": "EU", "partitions": {"aws": ["aws-eusc"]}}})

test_trn_aws_res_004_commercial_partition_fires if {
	findings := residency.deny with input as eusc_only([bucket("eu-central-1")])
	count(of("TRN-AWS-RES-004", findings)) == 1
	some f in findings
	f.rule_id == "TRN-AWS-RES-004"
	contains(f.message, "partition aws,")
	contains(f.message, "aws-eusc")
}

test_trn_aws_res_004_sovereign_partition_passes if {
	findings := residency.deny with input as eusc_only([bucket("eusc-de-east-1")])
	count(findings) == 0
}

test_trn_aws_res_004_unknown_partition_undecided if {
	findings := residency.deny with input as eusc_only([{"type": "aws_sqs_queue", "name": "q"}])
	rule_findings := of("TRN-AWS-RES-004", findings)
	count(rule_findings) == 1
	some f in rule_findings
	f.undecided
}

test_trn_aws_res_004_cross_partition_reference_fires if {
	trail := {
		"type": "aws_cloudtrail",
		"name": "t",
		"region": "eusc-de-east-1",
		"relations": [{"kind": "log_destination", "target": "arn:aws:s3:::central-logs"}],
	}
	findings := residency.deny with input as testing.estate([trail])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-RES-004"
	contains(f.message, "arn:aws:s3:::central-logs")
}

test_trn_aws_res_004_other_cloud_reference_passes if {
	trail := {
		"type": "aws_cloudtrail",
		"name": "t",
		"region": "eusc-de-east-1",
		"relations": [{"kind": "reference", "target": "google_storage_bucket.mirror", "target_type": "google_storage_bucket", "target_region": "europe-west3"}],
	}
	findings := residency.deny with input as testing.estate([trail])
	count(findings) == 0
}

test_trn_aws_res_004_same_partition_reference_passes if {
	trail := {
		"type": "aws_cloudtrail",
		"name": "t",
		"region": "eusc-de-east-1",
		"relations": [{"kind": "log_destination", "target": "arn:aws-eusc:s3:::central-logs"}],
	}
	findings := residency.deny with input as testing.estate([trail])
	count(findings) == 0
}

# --- TRN-AWS-RES-005 ----------------------------------------------------------------

query_log := {
	"type": "aws_route53_query_log",
	"name": "q",
	"region": "us-east-1",
	"values": {"cloudwatch_log_group_arn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/example.com"},
}

test_trn_aws_res_005_query_log_fires if {
	findings := residency.deny with input as testing.estate([query_log])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-RES-005"
	contains(f.message, "us-east-1")
}

test_trn_aws_res_005_query_log_group_in_estate_fires if {
	log := {
		"type": "aws_route53_query_log",
		"name": "q",
		"region": "us-east-1",
		"unknown": ["cloudwatch_log_group_arn"],
		"relations": [
			{"kind": "reference", "attribute": "zone_id", "target": "aws_route53_zone.z", "target_type": "aws_route53_zone", "target_region": "eu-central-1"},
			{"kind": "reference", "attribute": "cloudwatch_log_group_arn", "target": "aws_cloudwatch_log_group.dns", "target_type": "aws_cloudwatch_log_group", "target_region": "us-east-1"},
		],
	}
	findings := residency.deny with input as testing.estate([log])
	count(findings) == 1
	some f in findings
	contains(f.message, "us-east-1")
}

test_trn_aws_res_005_query_log_in_us_passes if {
	findings := residency.deny with input as testing.estate_in("US", [query_log])
	count(findings) == 0
}

test_trn_aws_res_005_query_log_unplaced_undecided if {
	log := {"type": "aws_route53_query_log", "name": "q", "unknown": ["cloudwatch_log_group_arn"]}
	findings := residency.deny with input as testing.estate([log])
	count(findings) == 1
	some f in findings
	f.undecided
}

test_trn_aws_res_005_multi_region_access_point_fires if {
	findings := residency.deny with input as testing.estate([{"type": "aws_s3control_multi_region_access_point", "name": "m", "region": "eu-central-1"}])
	count(findings) == 1
	some f in findings
	contains(f.message, "global endpoint")
}

test_trn_aws_res_005_lightsail_distribution_fires if {
	d := {"type": "aws_lightsail_distribution", "name": "d", "region": "eu-central-1", "tags": {"Data-Classification": "Internal"}}
	findings := residency.deny with input as testing.estate([d])
	count(findings) == 1
	some f in findings
	contains(f.message, "internal")
}

test_trn_aws_res_005_public_lightsail_distribution_passes if {
	d := {"type": "aws_lightsail_distribution", "name": "d", "region": "eu-central-1", "tags": {"data-classification": "public"}}
	findings := residency.deny with input as testing.estate([d])
	count(findings) == 0
}
