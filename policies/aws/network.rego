# Network and TLS: encryption in transit and the paths between the estate and the
# internet or other networks.
package terrane.pack.aws.network

import rego.v1

import data.terrane.lib
import data.terrane.pack.aws.common

rules["TRN-AWS-NET-001"] := {
	"title": "S3 requires TLS, TLS 1.3 for sensitive buckets",
	"severity": "high",
	"description": concat(" ", [
		"Every bucket must refuse requests without TLS: its bucket policy, or an attached",
		"resource control policy, must deny S3 actions when `aws:SecureTransport` is",
		"`false`. Buckets tagged `data-classification` confidential, restricted or secret",
		"must also refuse TLS below 1.3 (a Deny with `NumericLessThan` on `s3:TlsVersion`",
		"1.3). A bucket policy known only after apply is undecided.",
	]),
	"remediation": concat(" ", [
		"Add to the bucket policy a statement `{ Effect = \"Deny\", Principal = \"*\", Action =",
		"\"s3:*\", Resource = [<bucket ARN>, \"<bucket ARN>/*\"], Condition = { Bool = {",
		"\"aws:SecureTransport\" = \"false\" } } }` (and `NumericLessThan = {",
		"\"s3:TlsVersion\" = \"1.3\" }` for sensitive buckets), or enforce both with a resource",
		"control policy.",
	]),
	"resource_types": ["aws_s3_bucket", "aws_s3_bucket_policy", "aws_organizations_policy"],
	"controls": ["CFG:s3-bucket-ssl-requests-only", "CT.S3.PV.5", "CT.S3.PV.3"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-NET-002"] := {
	"title": "TLS 1.2 or later on load balancers, CloudFront and API Gateway",
	"severity": "high",
	"description": concat(" ", [
		"Load balancer listeners must use HTTPS or TLS with a security policy that offers",
		"only TLS 1.2 and later (`ELBSecurityPolicy-TLS13-1-2-*`, `-TLS13-1-3-*`,",
		"`-TLS-1-2-*`, `-FS-1-2-*`; the default `ELBSecurityPolicy-2016-08` allows TLS 1.0);",
		"plain HTTP listeners are allowed only to redirect to HTTPS. CloudFront must use a",
		"custom certificate with `minimum_protocol_version` TLSv1.2 or later and never allow",
		"plain HTTP viewers (`viewer_protocol_policy = \"allow-all\"`). API Gateway custom",
		"domains must use `TLS_1_2` or an enhanced TLS 1.2/1.3 security policy.",
	]),
	"remediation": concat(" ", [
		"Set `ssl_policy = \"ELBSecurityPolicy-TLS13-1-2-2021-06\"`, redirect HTTP listeners",
		"to HTTPS, set `minimum_protocol_version = \"TLSv1.2_2021\"` and",
		"`viewer_protocol_policy = \"redirect-to-https\"` on distributions, and",
		"`security_policy = \"TLS_1_2\"` on API Gateway domain names.",
	]),
	"resource_types": [
		"aws_lb_listener",
		"aws_alb_listener",
		"aws_cloudfront_distribution",
		"aws_api_gateway_domain_name",
		"aws_apigatewayv2_domain_name",
	],
	"controls": ["CFG:elb-tls-https-listeners-only", "CKV_AWS_2", "CKV_AWS_174", "CKV_AWS_376"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-NET-003"] := {
	"title": "No internet or VPN paths outside approved egress",
	"severity": "medium",
	"description": concat(" ", [
		"Sovereign networks reach the internet and other networks only through approved",
		"egress: every internet gateway, egress-only internet gateway, default route",
		"(`0.0.0.0/0` or `::/0`) to an internet gateway, site-to-site VPN connection and",
		"client VPN endpoint is reported, and VPC Block Public Access must not be `off`.",
		"Approved egress VPCs, routes and VPNs are recorded as exceptions with an inline",
		"`terrane:ignore[TRN-AWS-NET-003]` comment that states the approval.",
	]),
	"remediation": concat(" ", [
		"Remove internet gateways and VPNs outside the approved egress VPCs, route egress",
		"through the approved inspection VPC, set `aws_vpc_block_public_access_options {",
		"internet_gateway_block_mode = \"block-bidirectional\" }`, and mark approved",
		"exceptions with `# terrane:ignore[TRN-AWS-NET-003] <approval>`.",
	]),
	"resource_types": [
		"aws_internet_gateway",
		"aws_egress_only_internet_gateway",
		"aws_vpc_block_public_access_options",
		"aws_route",
		"aws_route_table",
		"aws_vpn_connection",
		"aws_ec2_client_vpn_endpoint",
	],
	"controls": [
		"AWS-GR_DISALLOW_VPC_INTERNET_ACCESS",
		"CT.EC2.PV.8",
		"AWS-GR_NO_UNRESTRICTED_ROUTE_TO_IGW",
		"AWS-GR_DISALLOW_VPN_CONNECTIONS",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

# --- TRN-AWS-NET-001 ----------------------------------------------------------------

rcp_statements := common.attached_statements("RESOURCE_CONTROL_POLICY")

bucket_statements(b) := [s |
	some d in common.bucket_policy_documents(b)
	some s in common.statements(d)
]

# Statements that apply to a bucket: its own policies and attached RCPs.
statements_for(b) := array.concat(bucket_statements(b), rcp_statements)

requires_tls(b) if {
	some s in statements_for(b)
	common.denies_insecure_transport(s, "s3:GetObject")
}

requires_tls13(b) if {
	some s in statements_for(b)
	common.denies(s)
	common.applies_to(s, "s3:GetObject")
	some c in common.conditions(s, "s3:TlsVersion")
	contains(lower(c.operator), "numericlessthan")
	some v in c.values
	v in {"1.3", 1.3}
}

deny contains f if {
	some b in common.resources("aws_s3_bucket")
	not requires_tls(b)
	not common.bucket_policy_unknown(b)
	f := lib.finding("TRN-AWS-NET-001", b, "no bucket or resource control policy denies aws:SecureTransport false, expected requests without TLS denied")
}

deny contains f if {
	some b in common.resources("aws_s3_bucket")
	not requires_tls(b)
	common.bucket_policy_unknown(b)
	f := lib.undecided_finding("TRN-AWS-NET-001", b, "cannot decide TLS enforcement: the bucket policy is known only after apply")
}

deny contains f if {
	some b in common.resources("aws_s3_bucket")
	common.sensitive(b)
	requires_tls(b)
	not requires_tls13(b)
	f := lib.finding("TRN-AWS-NET-001", b, sprintf("%s bucket accepts TLS below 1.3, expected a deny with NumericLessThan s3:TlsVersion 1.3", [common.classification(b)]))
}

# --- TRN-AWS-NET-002: load balancer listeners ---------------------------------------

listeners := common.resources_of(["aws_lb_listener", "aws_alb_listener"])

protocol(l) := upper(p) if {
	p := common.value(l, "protocol", "")
	is_string(p)
} else := ""

redirects_to_https(l) if {
	some action in common.objects(common.value(l, "default_action", []))
	object.get(action, "type", "") == "redirect"
	some redirect in common.objects(object.get(action, "redirect", []))
	protocol := object.get(redirect, "protocol", "")
	is_string(protocol)
	upper(protocol) == "HTTPS"
}

# Policies that offer only TLS 1.2 and later; `ELBSecurityPolicy-TLS13-1-0-*` and
# `-TLS13-1-1-*` add TLS 1.3 but still accept 1.0 and 1.1.
modern_elb_prefixes := [
	"ELBSecurityPolicy-TLS13-1-2-",
	"ELBSecurityPolicy-TLS13-1-3-",
	"ELBSecurityPolicy-TLS-1-2-",
	"ELBSecurityPolicy-FS-1-2-",
]

modern_elb_policy(p) if {
	is_string(p)
	some prefix in modern_elb_prefixes
	startswith(p, prefix)
}

deny contains f if {
	some l in listeners
	protocol(l) == "HTTP"
	not redirects_to_https(l)
	f := lib.finding("TRN-AWS-NET-002", l, "protocol is HTTP, expected HTTPS or a redirect to HTTPS")
}

deny contains f if {
	some l in listeners
	protocol(l) in {"HTTPS", "TLS"}
	not lib.unknown(l, "ssl_policy")
	policy := common.value(l, "ssl_policy", "ELBSecurityPolicy-2016-08")
	not modern_elb_policy(policy)
	f := lib.finding("TRN-AWS-NET-002", l, sprintf("ssl_policy is %s, which allows TLS below 1.2, expected ELBSecurityPolicy-TLS13-1-2-2021-06", [policy]))
}

deny contains f if {
	some l in listeners
	protocol(l) in {"HTTPS", "TLS"}
	lib.unknown(l, "ssl_policy")
	f := lib.undecided_finding("TRN-AWS-NET-002", l, "cannot decide TLS version: ssl_policy is known only after apply")
}

deny contains f if {
	some l in listeners
	lib.unknown(l, "protocol")
	f := lib.undecided_finding("TRN-AWS-NET-002", l, "cannot decide TLS: protocol is known only after apply")
}

# --- TRN-AWS-NET-002: CloudFront ----------------------------------------------------

deny contains f if {
	some d in common.resources("aws_cloudfront_distribution")
	common.truthy(common.value(d, "viewer_certificate.0.cloudfront_default_certificate", false))
	f := lib.finding("TRN-AWS-NET-002", d, "uses the default CloudFront certificate, which allows TLSv1, expected a custom certificate with minimum_protocol_version TLSv1.2_2021")
}

deny contains f if {
	some d in common.resources("aws_cloudfront_distribution")
	not common.truthy(common.value(d, "viewer_certificate.0.cloudfront_default_certificate", false))
	version := common.value(d, "viewer_certificate.0.minimum_protocol_version", "TLSv1")
	is_string(version)
	not modern_viewer_protocol(version)
	f := lib.finding("TRN-AWS-NET-002", d, sprintf("minimum_protocol_version is %s, expected TLSv1.2_2021 or later", [version]))
}

modern_viewer_protocol(version) if startswith(version, "TLSv1.2_")

modern_viewer_protocol(version) if startswith(version, "TLSv1.3_")

cache_behaviors(d) := array.concat(
	common.objects(common.value(d, "default_cache_behavior", [])),
	common.objects(common.value(d, "ordered_cache_behavior", [])),
)

deny contains f if {
	some d in common.resources("aws_cloudfront_distribution")
	some behavior in cache_behaviors(d)
	object.get(behavior, "viewer_protocol_policy", "") == "allow-all"
	f := lib.finding("TRN-AWS-NET-002", d, sprintf("viewer_protocol_policy is allow-all for %s, expected redirect-to-https or https-only", [object.get(behavior, "path_pattern", "the default behavior")]))
}

# --- TRN-AWS-NET-002: API Gateway ---------------------------------------------------

modern_api_policy(p) if p == "TLS_1_2"

modern_api_policy(p) if {
	is_string(p)
	some prefix in ["SecurityPolicy_TLS12", "SecurityPolicy_TLS13"]
	startswith(p, prefix)
}

deny contains f if {
	some d in common.resources("aws_api_gateway_domain_name")
	not lib.unknown(d, "security_policy")
	policy := common.value(d, "security_policy", "TLS_1_0")
	not modern_api_policy(policy)
	f := lib.finding("TRN-AWS-NET-002", d, sprintf("security_policy is %s, expected TLS_1_2", [policy]))
}

deny contains f if {
	some d in common.resources("aws_api_gateway_domain_name")
	lib.unknown(d, "security_policy")
	f := lib.undecided_finding("TRN-AWS-NET-002", d, "cannot decide TLS version: security_policy is known only after apply")
}

deny contains f if {
	some d in common.resources("aws_apigatewayv2_domain_name")
	some config in common.objects(common.value(d, "domain_name_configuration", []))
	policy := object.get(config, "security_policy", "")
	not modern_api_policy(policy)
	f := lib.finding("TRN-AWS-NET-002", d, sprintf("security_policy is %s, expected TLS_1_2", [policy]))
}

# --- TRN-AWS-NET-003 ----------------------------------------------------------------

deny contains f if {
	some g in common.resources_of(["aws_internet_gateway", "aws_egress_only_internet_gateway"])
	f := lib.finding("TRN-AWS-NET-003", g, sprintf("%s connects the VPC to the internet, expected only approved egress VPCs to have one", [g.type]))
}

deny contains f if {
	some o in common.resources("aws_vpc_block_public_access_options")
	mode := common.value(o, "internet_gateway_block_mode", "off")
	mode == "off"
	f := lib.finding("TRN-AWS-NET-003", o, "internet_gateway_block_mode is off, expected block-bidirectional or block-ingress")
}

default_destinations := {"0.0.0.0/0", "::/0"}

# True when a gateway id or a relation of the route points at an internet gateway.
internet_gateway_target(r, gateway) if {
	is_string(gateway)
	startswith(gateway, "igw-")
}

internet_gateway_target(r, _) if {
	some rel in r.relations
	object.get(rel, "target_type", null) == "aws_internet_gateway"
}

deny contains f if {
	some r in common.resources("aws_route")
	destination := default_route_destination(r)
	internet_gateway_target(r, common.value(r, "gateway_id", null))
	f := lib.finding("TRN-AWS-NET-003", r, sprintf("route sends %s to an internet gateway, expected egress through an approved egress VPC", [destination]))
}

default_route_destination(r) := d if {
	some attribute in ["destination_cidr_block", "destination_ipv6_cidr_block"]
	d := common.value(r, attribute, "")
	d in default_destinations
}

deny contains f if {
	some t in common.resources("aws_route_table")
	some route in common.objects(common.value(t, "route", []))
	some attribute in ["cidr_block", "ipv6_cidr_block"]
	destination := object.get(route, attribute, "")
	destination in default_destinations
	internet_gateway_target(t, object.get(route, "gateway_id", null))
	f := lib.finding("TRN-AWS-NET-003", t, sprintf("route table sends %s to an internet gateway, expected egress through an approved egress VPC", [destination]))
}

deny contains f if {
	some v in common.resources_of(["aws_vpn_connection", "aws_ec2_client_vpn_endpoint"])
	f := lib.finding("TRN-AWS-NET-003", v, sprintf("%s opens a path into the VPC, expected only approved connections", [v.type]))
}
