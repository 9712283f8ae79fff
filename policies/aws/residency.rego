# Residency: where AWS resources live, and the guardrails that keep them there.
package terrane.pack.aws.residency

import rego.v1

import data.terrane.lib
import data.terrane.pack.aws.common

rules["TRN-AWS-RES-001"] := {
	"title": "AWS resource in a region inside the jurisdiction",
	"severity": "critical",
	"description": concat(" ", [
		"Every managed AWS resource of a regional service must live in a region whose country is",
		"inside the jurisdiction. The region is the resource's own `region` argument (AWS provider",
		"6 and later) or the region of the provider configuration it uses; S3 bucket ARNs carry no",
		"region, so buckets are placed through their provider (plan) or GetBucketLocation (live).",
		"A resource whose region cannot be resolved is reported as undecided, never passed.",
		"Global services are decided explicitly and not judged here: IAM, Organizations, Route 53",
		"(except Route 53 Resolver, which is regional), CloudFront, Global Accelerator, Shield,",
		"WAF Classic and WAFv2 web ACLs with scope CLOUDFRONT, Budgets, Cost Explorer, cost and",
		"usage reports, BCM data exports, Cost Optimization Hub, account settings, Network Manager",
		"and the account-level S3 public access block. Their data-bearing uses are judged by",
		"TRN-AWS-RES-005, TRN-AWS-XFR-002 and TRN-AWS-XFR-003.",
	]),
	"remediation": concat(" ", [
		"Create the resource through a provider configuration whose `region` is inside the",
		"jurisdiction (for example `provider \"aws\" { region = \"eu-central-1\" }`), or set the",
		"resource's `region` argument to such a region, and move existing data there.",
	]),
	"resource_types": ["*"],
	"controls": ["AWS-GR_REGION_DENY", "C5:PSS-12", "GDPR:Art.44"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-RES-002"] := {
	"title": "Region deny guardrail limits requests to regions inside the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"A service control policy must deny requests whose `aws:RequestedRegion` is not a",
		"governed region (a Deny statement with `StringNotEquals`/`StringNotLike` on",
		"`aws:RequestedRegion`, usually with a `NotAction` list of global services), every",
		"region it allows must be inside the jurisdiction, and the policy must be attached.",
		"Checked on SCPs, on the organisation (which must have one attached and SCPs enabled)",
		"and on Control Tower controls with an `AllowedRegions` parameter (OU region deny).",
		"Region patterns such as `eu-*` cannot be verified and are reported as undecided, since",
		"they also admit regions outside the jurisdiction (`eu-west-2` London, `eu-central-2`",
		"Zurich for the EU). The management account is never restricted by SCPs.",
	]),
	"remediation": concat(" ", [
		"Attach an SCP (`aws_organizations_policy` with `type = \"SERVICE_CONTROL_POLICY\"` and",
		"an `aws_organizations_policy_attachment` to the root or each workload OU) whose Deny",
		"statement has `Condition = { StringNotEquals = { \"aws:RequestedRegion\" = [<regions",
		"inside the jurisdiction>] } }`, list only regions inside the jurisdiction there and in",
		"the `AllowedRegions` parameter of `CT.MULTISERVICE.PV.1`, and enable",
		"`SERVICE_CONTROL_POLICY` in `enabled_policy_types`.",
	]),
	"resource_types": [
		"aws_organizations_policy",
		"aws_organizations_policy_attachment",
		"aws_organizations_organization",
		"aws_controltower_control",
	],
	"controls": ["AWS-GR_REGION_DENY", "CT.MULTISERVICE.PV.1", "PR:organizations_scp_check_deny_regions"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-RES-003"] := {
	"title": "Control Tower governs only regions inside the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"The `governedRegions` of the landing zone manifest (`manifest_json` of",
		"`aws_controltower_landing_zone`) must all be inside the jurisdiction: Control Tower",
		"deploys its baseline, logging and the region deny exemptions for every governed",
		"region. The region deny itself cannot be set through the landing zone API; its SCP",
		"(Sid `GRREGIONDENY`) is judged by TRN-AWS-RES-002 when the organisation's policies",
		"are read.",
	]),
	"remediation": concat(" ", [
		"Remove regions outside the jurisdiction from `governedRegions` in the manifest passed",
		"as `manifest_json`, and enable the region deny setting of the landing zone.",
	]),
	"resource_types": ["aws_controltower_landing_zone"],
	"controls": ["AWS-GR_REGION_DENY"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-RES-004"] := {
	"title": "AWS partition required by the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"A jurisdiction may require an AWS partition whose operator is inside it (for example",
		"`aws-eusc`, the AWS European Sovereign Cloud with region `eusc-de-east-1`). Every AWS",
		"resource must then be in an allowed partition; a resource whose partition cannot be",
		"resolved is undecided. Independently of the jurisdiction, the buckets, log",
		"destinations and other targets a resource refers to by ARN must be in the resource's",
		"own partition: partitions share no identities, organisations or guardrails. Keys are",
		"checked by TRN-AWS-KEY-002.",
	]),
	"remediation": concat(" ", [
		"Deploy through a provider configured for the required partition (for the EU",
		"Sovereign Cloud, `region = \"eusc-de-east-1\"`), and refer only to ARNs of the same",
		"partition (`arn:aws-eusc:...`).",
	]),
	"resource_types": ["*"],
	"controls": ["C5:2025:PSS-12.01AC", "EUCSF:SOV-2"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-RES-005"] := {
	"title": "Global AWS services that bypass the region deny",
	"severity": "medium",
	"description": concat(" ", [
		"Some global services process or store data outside any region and are exempt from the",
		"region deny: Route 53 query logs are delivered to CloudWatch Logs in `us-east-1`, S3",
		"multi-region access points route requests through the global network, and Lightsail",
		"distributions cache at CloudFront edges worldwide. They are reported unless the data",
		"they carry is tagged `data-classification = public` (Lightsail) or their destination",
		"is inside the jurisdiction (query logs). CloudFront is judged by TRN-AWS-XFR-003 and",
		"Global Accelerator by TRN-AWS-XFR-002.",
	]),
	"remediation": concat(" ", [
		"Use Route 53 Resolver query logging (`aws_route53_resolver_query_log_config`) with a",
		"destination in the jurisdiction instead of public hosted zone query logs, use",
		"regional S3 access points instead of multi-region ones, and serve non-public data",
		"from regional endpoints rather than edge distributions.",
	]),
	"resource_types": [
		"aws_route53_query_log",
		"aws_s3control_multi_region_access_point",
		"aws_lightsail_distribution",
	],
	"controls": ["AWS-GR_REGION_DENY"],
	"modes": ["plan", "state", "hcl", "live"],
}

# --- TRN-AWS-RES-001 ----------------------------------------------------------------

# Prefixes of resource types of global services, which have no region of their own.
global_type_prefixes := [
	"aws_iam_",
	"aws_organizations_",
	"aws_route53_",
	"aws_route53domains_",
	"aws_route53recoverycontrolconfig_",
	"aws_route53recoveryreadiness_",
	"aws_cloudfront_",
	"aws_cloudfrontkeyvaluestore_",
	"aws_globalaccelerator_",
	"aws_shield_",
	"aws_waf_",
	"aws_budgets_",
	"aws_ce_",
	"aws_cur_",
	"aws_bcmdataexports_",
	"aws_costoptimizationhub_",
	"aws_account_",
	"aws_networkmanager_",
]

global_types := {"aws_s3_account_public_access_block"}

# Route 53 Resolver is a regional VPC service despite its prefix.
regional_prefixes := ["aws_route53_resolver_"]

global_type(t) if t in global_types

global_type(t) if {
	some prefix in global_type_prefixes
	startswith(t, prefix)
	not regional_type(t)
}

regional_type(t) if {
	some prefix in regional_prefixes
	startswith(t, prefix)
}

global_service(r) if global_type(r.type)

global_service(r) if {
	startswith(r.type, "aws_wafv2_")
	common.value(r, "scope", "") == "CLOUDFRONT"
}

deny contains f if {
	some r in lib.cloud_resources("aws")
	not global_service(r)
	loc := common.location(r)
	loc.status == "outside"
	f := lib.finding("TRN-AWS-RES-001", r, sprintf("resource is in %s, outside %s", [common.region_label(loc), input.jurisdiction.id]))
}

# A regional type that resolved to a non-regional location cannot be placed either.
deny contains f if {
	some r in lib.cloud_resources("aws")
	not global_service(r)
	loc := common.location(r)
	loc.status in {"unknown", "global"}
	f := lib.undecided_finding("TRN-AWS-RES-001", r, sprintf("cannot decide residency: %s", [common.reason(loc)]))
}

# --- TRN-AWS-RES-002 ----------------------------------------------------------------

# A statement that denies requests to regions other than the listed ones.
region_deny(s) if {
	common.denies(s)
	common.has_condition(s, "StringNot", "aws:RequestedRegion")
}

allowed_regions(s) := {v |
	some c in common.conditions(s, "aws:RequestedRegion")
	contains(lower(c.operator), "stringnot")
	some v in c.values
	is_string(v)
}

scps := common.org_policies("SERVICE_CONTROL_POLICY")

region_deny_policy(p) if {
	some s in common.policy_statements(p)
	region_deny(s)
}

pattern(v) if contains(v, "*")

pattern(v) if contains(v, "?")

deny contains f if {
	some p in scps
	some s in common.policy_statements(p)
	region_deny(s)
	some region in allowed_regions(s)
	not pattern(region)
	lib.locate("aws", region).status == "outside"
	f := lib.finding("TRN-AWS-RES-002", p, sprintf("region deny allows %s, outside %s", [region, input.jurisdiction.id]))
}

deny contains f if {
	some p in scps
	some s in common.policy_statements(p)
	region_deny(s)
	some region in allowed_regions(s)
	not pattern(region)
	lib.locate("aws", region).status in {"unknown", "global"}
	f := lib.undecided_finding("TRN-AWS-RES-002", p, sprintf("cannot decide region deny: allowed region %s is not a known region", [region]))
}

deny contains f if {
	some p in scps
	some s in common.policy_statements(p)
	region_deny(s)
	some region in allowed_regions(s)
	pattern(region)
	f := lib.undecided_finding("TRN-AWS-RES-002", p, sprintf("cannot decide region deny: allowed region pattern %s may match regions outside %s", [region, input.jurisdiction.id]))
}

deny contains f if {
	some p in scps
	region_deny_policy(p)
	not common.attached(p)
	f := lib.finding("TRN-AWS-RES-002", p, "region deny policy is not attached to any root, OU or account, expected an attachment")
}

deny contains f if {
	some org in common.resources("aws_organizations_organization")
	not attached_region_deny
	not common.any_content_unknown("SERVICE_CONTROL_POLICY")
	f := lib.finding("TRN-AWS-RES-002", org, sprintf("no attached service control policy denies aws:RequestedRegion outside %s", [input.jurisdiction.id]))
}

deny contains f if {
	some org in common.resources("aws_organizations_organization")
	not attached_region_deny
	common.any_content_unknown("SERVICE_CONTROL_POLICY")
	f := lib.undecided_finding("TRN-AWS-RES-002", org, "cannot decide region deny: a service control policy's content is known only after apply")
}

deny contains f if {
	some org in common.resources("aws_organizations_organization")
	attached_region_deny
	not common.type_enabled(org, "SERVICE_CONTROL_POLICY")
	f := lib.finding("TRN-AWS-RES-002", org, "enabled_policy_types lacks SERVICE_CONTROL_POLICY, so the region deny is not enforced")
}

attached_region_deny if {
	some p in scps
	common.attached(p)
	region_deny_policy(p)
}

# The regions of a control's `AllowedRegions` parameter, whose value is a JSON list.
control_allowed_regions(c) := {region |
	some parameter in common.objects(common.value(c, "parameters", []))
	object.get(parameter, "key", "") == "AllowedRegions"
	some region in parameter_values(object.get(parameter, "value", null))
	is_string(region)
}

parameter_values(raw) := common.list(json.unmarshal(raw)) if {
	is_string(raw)
	json.is_valid(raw)
} else := [raw] if {
	is_string(raw)
} else := common.list(raw)

deny contains f if {
	some c in common.resources("aws_controltower_control")
	some region in control_allowed_regions(c)
	lib.locate("aws", region).status == "outside"
	f := lib.finding("TRN-AWS-RES-002", c, sprintf("parameter AllowedRegions includes %s, outside %s", [region, input.jurisdiction.id]))
}

deny contains f if {
	some c in common.resources("aws_controltower_control")
	some region in control_allowed_regions(c)
	lib.locate("aws", region).status in {"unknown", "global"}
	f := lib.undecided_finding("TRN-AWS-RES-002", c, sprintf("cannot decide region deny: AllowedRegions value %s is not a known region", [region]))
}

# --- TRN-AWS-RES-003 ----------------------------------------------------------------

governed_regions(lz) := {region |
	m := common.document(common.value(lz, "manifest_json", null))
	some region in common.list(object.get(m, "governedRegions", []))
	is_string(region)
}

deny contains f if {
	some lz in common.resources("aws_controltower_landing_zone")
	some region in governed_regions(lz)
	lib.locate("aws", region).status == "outside"
	f := lib.finding("TRN-AWS-RES-003", lz, sprintf("governedRegions includes %s, outside %s", [region, input.jurisdiction.id]))
}

deny contains f if {
	some lz in common.resources("aws_controltower_landing_zone")
	some region in governed_regions(lz)
	lib.locate("aws", region).status in {"unknown", "global"}
	f := lib.undecided_finding("TRN-AWS-RES-003", lz, sprintf("cannot decide governed regions: %s is not a known region", [region]))
}

deny contains f if {
	some lz in common.resources("aws_controltower_landing_zone")
	lib.unknown(lz, "manifest_json")
	f := lib.undecided_finding("TRN-AWS-RES-003", lz, "cannot decide governed regions: manifest_json is known only after apply")
}

# --- TRN-AWS-RES-004 ----------------------------------------------------------------

# The AWS partitions the jurisdiction allows; empty when it allows any. The input may
# list them per provider (`{"aws": [...]}`) or as one list.
required_partitions := ps if {
	p := object.get(input.jurisdiction, "partitions", null)
	is_object(p)
	ps := [x | some x in common.list(object.get(p, "aws", null)); is_string(x)]
} else := ps if {
	p := object.get(input.jurisdiction, "partitions", null)
	is_array(p)
	ps := [x | some x in p; is_string(x); startswith(x, "aws")]
} else := []

deny contains f if {
	count(required_partitions) > 0
	some r in lib.cloud_resources("aws")
	partition := common.location(r).partition
	is_string(partition)
	not partition in required_partitions
	f := lib.finding("TRN-AWS-RES-004", r, sprintf("resource is in partition %s, expected %s", [partition, concat(" or ", required_partitions)]))
}

deny contains f if {
	count(required_partitions) > 0
	some r in lib.cloud_resources("aws")
	not is_string(common.location(r).partition)
	f := lib.undecided_finding("TRN-AWS-RES-004", r, sprintf("cannot decide partition: %s", [common.reason(common.location(r))]))
}

deny contains f if {
	some r in lib.cloud_resources("aws")
	own := common.location(r).partition
	is_string(own)
	some rel in r.relations
	rel.kind != "encryption_key"
	other := relation_partition(rel)
	other != own
	f := lib.finding("TRN-AWS-RES-004", r, sprintf("refers to %s in partition %s from partition %s", [rel.target, other, own]))
}

# The partition of a relation's target: from its location, else from its ARN (S3 bucket
# ARNs carry a partition but no region). Targets of other clouds have no AWS partition.
relation_partition(rel) := p if {
	aws_target(rel)
	loc := object.get(rel, "target_location", null)
	is_object(loc)
	p := object.get(loc, "partition", null)
	is_string(p)
} else := p if {
	is_string(rel.target)
	startswith(rel.target, "arn:")
	parts := split(rel.target, ":")
	count(parts) > 2
	p := parts[1]
	p != ""
}

aws_target(rel) if {
	t := object.get(rel, "target_type", null)
	is_string(t)
	startswith(t, "aws_")
}

aws_target(rel) if {
	is_string(rel.target)
	startswith(rel.target, "arn:")
}

# --- TRN-AWS-RES-005 ----------------------------------------------------------------

# The location of a query log's destination log group: the location of the log group
# its ARN refers to, else the region in the ARN.
query_log_destination(r) := locations[0] if {
	locations := [rel.target_location |
		some rel in r.relations
		common.attribute_path(object.get(rel, "attribute", "")) == "cloudwatch_log_group_arn"
		is_object(object.get(rel, "target_location", null))
	]
	count(locations) > 0
} else := lib.locate("aws", arn) if {
	arn := common.value(r, "cloudwatch_log_group_arn", "")
	is_string(arn)
	arn != ""
}

deny contains f if {
	some r in common.resources("aws_route53_query_log")
	loc := query_log_destination(r)
	loc.status == "outside"
	f := lib.finding("TRN-AWS-RES-005", r, sprintf("query logs are delivered to %s, outside %s", [common.region_label(loc), input.jurisdiction.id]))
}

deny contains f if {
	some r in common.resources("aws_route53_query_log")
	not query_log_placed(r)
	f := lib.undecided_finding("TRN-AWS-RES-005", r, "cannot decide query log destination: the log group's region is unknown (Route 53 delivers only to us-east-1)")
}

query_log_placed(r) if query_log_destination(r).status in {"inside", "outside"}

deny contains f if {
	some r in common.resources("aws_s3control_multi_region_access_point")
	f := lib.finding("TRN-AWS-RES-005", r, "multi-region access point routes requests through the global endpoint, expected regional access points")
}

deny contains f if {
	some r in common.resources("aws_lightsail_distribution")
	not common.public_data(r)
	f := lib.finding("TRN-AWS-RES-005", r, sprintf("distribution caches %s data at global edge locations outside %s", [data_label(r), input.jurisdiction.id]))
}

data_label(r) := common.classification(r) if common.classification(r) != ""

data_label(r) := "unclassified" if common.classification(r) == ""
