# DDoS and WAF protection on Google Cloud: internet-facing backends behind Cloud Armor,
# and global edge processing avoided where the organisation forbids it.
package terrane.pack.google.protection

import rego.v1
import data.terrane.lib
import data.terrane.pack.google.common as gcp

rules["TRN-GCP-WAF-001"] := {
	"title": "External backends protected by Cloud Armor",
	"severity": "medium",
	"description": concat(" ", [
		"Backend services of external Application Load Balancers (global",
		"`google_compute_backend_service` with scheme `EXTERNAL` or `EXTERNAL_MANAGED`, the",
		"default being `EXTERNAL`; regional ones with `EXTERNAL_MANAGED`) must have a Cloud",
		"Armor `security_policy`. Where this configuration enforces",
		"`compute.disableGlobalCloudArmorPolicy` or `compute.disableGlobalLoadBalancing`, global",
		"security policies and external global backend services are reported, since their",
		"traffic is processed at Google's worldwide edge; use regional load balancers and",
		"regional security policies instead.",
	]),
	"remediation": concat(" ", [
		"Set `security_policy` on the backend service to a `google_compute_security_policy`",
		"(or `google_compute_region_security_policy` for regional load balancers) with WAF",
		"rules and rate limiting; where global processing is not allowed, move to a regional",
		"external Application Load Balancer (`google_compute_region_backend_service` with",
		"`load_balancing_scheme = \"EXTERNAL_MANAGED\"`).",
	]),
	"resource_types": array.concat(
		["google_compute_backend_service", "google_compute_region_backend_service", "google_compute_security_policy"],
		gcp.policy_types,
	),
	"controls": ["OP:compute.disableGlobalCloudArmorPolicy", "OP:compute.disableGlobalLoadBalancing"],
	"modes": ["plan", "state", "hcl", "live"],
}

external_global(r) if {
	r.type == "google_compute_backend_service"
	gcp.value(r, "load_balancing_scheme", "EXTERNAL") in {"EXTERNAL", "EXTERNAL_MANAGED"}
}

external_regional(r) if {
	r.type == "google_compute_region_backend_service"
	gcp.value(r, "load_balancing_scheme", "INTERNAL") == "EXTERNAL_MANAGED"
}

external(r) if external_global(r)

external(r) if external_regional(r)

deny contains f if {
	some r in gcp.managed_of(["google_compute_backend_service", "google_compute_region_backend_service"])
	external(r)
	not lib.unknown(r, "security_policy")
	gcp.value(r, "security_policy", "") == ""
	f := lib.finding("TRN-GCP-WAF-001", r, sprintf(
		"external backend service with scheme `%s` has no `security_policy`, expected a Cloud Armor policy",
		[gcp.value(r, "load_balancing_scheme", "EXTERNAL")],
	))
}

deny contains f if {
	gcp.enforced_in_estate("compute.disableGlobalCloudArmorPolicy")
	some r in gcp.managed("google_compute_security_policy")
	f := lib.finding("TRN-GCP-WAF-001", r, "global security policy while `compute.disableGlobalCloudArmorPolicy` is enforced, expected `google_compute_region_security_policy`")
}

deny contains f if {
	gcp.enforced_in_estate("compute.disableGlobalLoadBalancing")
	some r in gcp.managed("google_compute_backend_service")
	external_global(r)
	f := lib.finding("TRN-GCP-WAF-001", r, sprintf(
		"global backend service with scheme `%s` while `compute.disableGlobalLoadBalancing` is enforced, expected a regional backend service",
		[gcp.value(r, "load_balancing_scheme", "EXTERNAL")],
	))
}
