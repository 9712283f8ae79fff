package terrane.pack.aws.protection_test

import rego.v1

import data.terrane.pack.aws.protection
import data.terrane.testing

of(rule_id, findings) := {f | some f in findings; f.rule_id == rule_id}

alb(values, tags) := {"type": "aws_lb", "name": "web", "region": "eu-central-1", "values": values, "tags": tags}

association(target, target_type) := {
	"type": "aws_wafv2_web_acl_association",
	"name": "a",
	"region": "eu-central-1",
	"relations": [{"kind": "reference", "target": target, "target_type": target_type, "target_region": "eu-central-1"}],
}

# --- TRN-AWS-WAF-001 ----------------------------------------------------------------

test_trn_aws_waf_001_internet_facing_alb_fires if {
	findings := protection.deny with input as testing.estate([alb({"internal": false}, {})])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-WAF-001"
	f.address == "aws_lb.web"
	contains(f.message, "web ACL")
}

test_trn_aws_waf_001_associated_alb_passes if {
	findings := protection.deny with input as testing.estate([alb({}, {}), association("aws_lb.web", "aws_lb")])
	count(findings) == 0
}

test_trn_aws_waf_001_internal_and_network_load_balancers_passes if {
	findings := protection.deny with input as testing.estate([
		alb({"internal": true}, {}),
		{"type": "aws_lb", "name": "nlb", "region": "eu-central-1", "values": {"load_balancer_type": "network"}},
	])
	count(findings) == 0
}

stage := {
	"type": "aws_api_gateway_stage",
	"name": "prod",
	"region": "eu-central-1",
	"values": {"stage_name": "prod"},
	"relations": [{"kind": "reference", "target": "aws_api_gateway_rest_api.api", "target_type": "aws_api_gateway_rest_api", "target_region": "eu-central-1"}],
}

rest_api(types) := {"type": "aws_api_gateway_rest_api", "name": "api", "region": "eu-central-1", "values": {"endpoint_configuration": [{"types": types}]}}

test_trn_aws_waf_001_public_stage_fires if {
	findings := protection.deny with input as testing.estate([stage, rest_api(["REGIONAL"])])
	count(findings) == 1
	some f in findings
	f.address == "aws_api_gateway_stage.prod"
}

test_trn_aws_waf_001_private_stage_passes if {
	findings := protection.deny with input as testing.estate([stage, rest_api(["PRIVATE"])])
	count(findings) == 0
}

test_trn_aws_waf_001_distribution_without_acl_fires if {
	findings := protection.deny with input as testing.estate([{"type": "aws_cloudfront_distribution", "name": "d", "values": {"enabled": true}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "web_acl_id")
}

test_trn_aws_waf_001_distribution_with_acl_passes if {
	d := {"type": "aws_cloudfront_distribution", "name": "d", "values": {"web_acl_id": "arn:aws:wafv2:us-east-1:111111111111:global/webacl/edge/1"}}
	findings := protection.deny with input as testing.estate([d])
	count(findings) == 0
}

# --- TRN-AWS-WAF-002 ----------------------------------------------------------------

critical := {"criticality": "Critical"}

test_trn_aws_waf_002_critical_alb_unprotected_fires if {
	findings := protection.deny with input as testing.estate([alb({}, critical), association("aws_lb.web", "aws_lb")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-WAF-002"
	contains(f.message, "Shield Advanced")
}

test_trn_aws_waf_002_critical_eip_unprotected_fires if {
	findings := protection.deny with input as testing.estate([{"type": "aws_eip", "name": "ip", "region": "eu-central-1", "tags": critical}])
	count(findings) == 1
	some f in findings
	f.address == "aws_eip.ip"
}

test_trn_aws_waf_002_critical_alb_protected_passes if {
	shield := {
		"type": "aws_shield_protection",
		"name": "web",
		"values": {"name": "web"},
		"relations": [{"kind": "reference", "target": "aws_lb.web", "target_type": "aws_lb", "target_region": "eu-central-1"}],
	}
	findings := protection.deny with input as testing.estate([alb({}, critical), association("aws_lb.web", "aws_lb"), shield])
	count(findings) == 0
}

test_trn_aws_waf_002_ordinary_eip_passes if {
	findings := protection.deny with input as testing.estate([{"type": "aws_eip", "name": "ip", "region": "eu-central-1"}])
	count(findings) == 0
}
