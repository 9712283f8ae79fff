# DDoS and WAF: internet-facing entry points filtered and protected.
package terrane.pack.aws.protection

import rego.v1

import data.terrane.lib
import data.terrane.pack.aws.common

rules["TRN-AWS-WAF-001"] := {
	"title": "Internet-facing entry points behind a WAF web ACL",
	"severity": "medium",
	"description": concat(" ", [
		"Internet-facing application load balancers and API Gateway REST API stages must be",
		"associated with a WAFv2 web ACL (`aws_wafv2_web_acl_association` whose",
		"`resource_arn` refers to them), and CloudFront distributions must set",
		"`web_acl_id`. Private REST APIs (endpoint type `PRIVATE`) are not internet-facing.",
		"An association in another configuration is not visible in a plan; state and live",
		"reads decide there.",
	]),
	"remediation": concat(" ", [
		"Add an `aws_wafv2_web_acl_association { resource_arn = <load balancer or stage ARN>",
		"web_acl_arn = aws_wafv2_web_acl.<acl>.arn }`, and set `web_acl_id` on",
		"distributions to a web ACL with scope `CLOUDFRONT`.",
	]),
	"resource_types": [
		"aws_lb",
		"aws_alb",
		"aws_api_gateway_stage",
		"aws_api_gateway_rest_api",
		"aws_cloudfront_distribution",
		"aws_wafv2_web_acl_association",
	],
	"controls": ["CFG:alb-waf-enabled", "CFG:api-gw-associated-with-waf", "CKV_AWS_68"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-WAF-002"] := {
	"title": "Shield Advanced on internet-facing resources of critical workloads",
	"severity": "medium",
	"description": concat(" ", [
		"Internet-facing load balancers, CloudFront distributions, Global Accelerator",
		"accelerators, Elastic IPs and public hosted zones tagged `criticality = critical`",
		"must be protected by Shield Advanced (`aws_shield_protection` whose `resource_arn`",
		"refers to them), so that availability does not depend on the default protections",
		"alone.",
	]),
	"remediation": concat(" ", [
		"Subscribe to Shield Advanced and add `aws_shield_protection { resource_arn =",
		"<resource ARN> }` for each critical internet-facing resource.",
	]),
	"resource_types": [
		"aws_lb",
		"aws_alb",
		"aws_cloudfront_distribution",
		"aws_globalaccelerator_accelerator",
		"aws_eip",
		"aws_route53_zone",
		"aws_shield_protection",
	],
	"controls": ["DDoS objective"],
	"modes": ["plan", "state", "hcl", "live"],
}

load_balancers := common.resources_of(["aws_lb", "aws_alb"])

internet_facing(lb) if not common.truthy(common.value(lb, "internal", false))

application(lb) if common.value(lb, "load_balancer_type", "application") == "application"

# --- TRN-AWS-WAF-001 ----------------------------------------------------------------

web_acl_targets := common.referenced("aws_wafv2_web_acl_association", "resource_arn")

web_acl_associated(r) if count(common.identities(r) & web_acl_targets) > 0

web_acl_associated(r) if common.value(r, "web_acl_arn", "") != ""

deny contains f if {
	some lb in load_balancers
	application(lb)
	internet_facing(lb)
	not web_acl_associated(lb)
	f := lib.finding("TRN-AWS-WAF-001", lb, "internet-facing load balancer has no WAF web ACL, expected an aws_wafv2_web_acl_association")
}

private_api(stage) if {
	some api in common.resources("aws_api_gateway_rest_api")
	common.refers_to(stage, api, "rest_api_id")
	"PRIVATE" in common.list(common.value(api, "endpoint_configuration.0.types", []))
}

deny contains f if {
	some stage in common.resources("aws_api_gateway_stage")
	not private_api(stage)
	not web_acl_associated(stage)
	f := lib.finding("TRN-AWS-WAF-001", stage, "stage has no WAF web ACL, expected an aws_wafv2_web_acl_association")
}

deny contains f if {
	some d in common.resources("aws_cloudfront_distribution")
	common.value(d, "web_acl_id", "") == ""
	not lib.unknown(d, "web_acl_id")
	f := lib.finding("TRN-AWS-WAF-001", d, "web_acl_id is not set, expected a web ACL with scope CLOUDFRONT")
}

# --- TRN-AWS-WAF-002 ----------------------------------------------------------------

shield_targets := common.referenced("aws_shield_protection", "resource_arn")

shielded(r) if count(common.identities(r) & shield_targets) > 0

public_zone(z) if count(common.list(common.value(z, "vpc", []))) == 0

exposed := array.concat(
	array.concat(
		[lb | some lb in load_balancers; internet_facing(lb)],
		common.resources_of(["aws_cloudfront_distribution", "aws_globalaccelerator_accelerator", "aws_eip"]),
	),
	[z | some z in common.resources("aws_route53_zone"); public_zone(z)],
)

deny contains f if {
	some r in exposed
	common.critical(r)
	not shielded(r)
	f := lib.finding("TRN-AWS-WAF-002", r, "critical internet-facing resource has no Shield Advanced protection, expected an aws_shield_protection")
}
