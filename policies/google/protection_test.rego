package terrane.pack.google.protection_test

import rego.v1
import data.terrane.pack.google.protection
import data.terrane.testing

fired(id, resources) := {f |
	some f in found
	f.rule_id == id
} if {
	found := protection.deny with input as testing.estate(resources)
}

policy(constraint, rule) := {
	"type": "google_org_policy_policy",
	"name": replace(constraint, ".", "_"),
	"values": {
		"name": sprintf("organizations/123/policies/%s", [constraint]),
		"parent": "organizations/123",
		"spec": [{"rules": [rule]}],
	},
}

test_trn_gcp_waf_001_unprotected_external_backend_fires if {
	findings := fired("TRN-GCP-WAF-001", [{"type": "google_compute_backend_service", "name": "web", "values": {"name": "web"}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "EXTERNAL")
	contains(f.message, "security_policy")
}

test_trn_gcp_waf_001_protected_backend_passes if {
	resources := [{
		"type": "google_compute_backend_service",
		"name": "web",
		"values": {"name": "web", "load_balancing_scheme": "EXTERNAL_MANAGED", "security_policy": "projects/p/global/securityPolicies/waf"},
	}]
	count(fired("TRN-GCP-WAF-001", resources)) == 0
}

test_trn_gcp_waf_001_internal_backend_passes if {
	resources := [{"type": "google_compute_region_backend_service", "name": "api", "region": "europe-west3", "values": {"name": "api"}}]
	count(fired("TRN-GCP-WAF-001", resources)) == 0
}

test_trn_gcp_waf_001_regional_external_without_policy_fires if {
	resources := [{
		"type": "google_compute_region_backend_service",
		"name": "api",
		"region": "europe-west3",
		"values": {"name": "api", "load_balancing_scheme": "EXTERNAL_MANAGED"},
	}]
	findings := fired("TRN-GCP-WAF-001", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "EXTERNAL_MANAGED")
}

test_trn_gcp_waf_001_global_policy_under_regional_only_guardrail_fires if {
	resources := [
		policy("compute.disableGlobalCloudArmorPolicy", {"enforce": "TRUE"}),
		{"type": "google_compute_security_policy", "name": "waf", "values": {"name": "waf"}},
	]
	findings := fired("TRN-GCP-WAF-001", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "compute.disableGlobalCloudArmorPolicy")
}
