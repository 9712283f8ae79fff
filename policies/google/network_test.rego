package terrane.pack.google.network_test

import rego.v1
import data.terrane.pack.google.network
import data.terrane.testing

fired(id, resources) := {f |
	some f in found
	f.rule_id == id
} if {
	found := network.deny with input as testing.estate(resources)
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

https_only := policy("storage.secureHttpTransport", {"enforce": "TRUE"})

sql(ip_configuration) := {
	"type": "google_sql_database_instance",
	"name": "db",
	"region": "europe-west3",
	"values": {"settings": [{"tier": "db-f1-micro", "ip_configuration": [ip_configuration]}]},
}

perimeter(status) := {
	"type": "google_access_context_manager_service_perimeter",
	"name": "data",
	"values": {"name": "accessPolicies/1/servicePerimeters/data", "parent": "accessPolicies/1", "title": "data", "status": [status]},
}

# TRN-GCP-NET-001

test_trn_gcp_net_001_tls_1_1_allowed_fires if {
	findings := fired("TRN-GCP-NET-001", [policy("gcp.restrictTLSVersion", {"values": [{"denied_values": ["TLS_VERSION_1"]}]}), https_only])
	count(findings) == 1
	some f in findings
	contains(f.message, "TLS_VERSION_1_1")
}

test_trn_gcp_net_001_old_tls_denied_passes if {
	resources := [policy("gcp.restrictTLSVersion", {"values": [{"denied_values": ["TLS_VERSION_1", "TLS_VERSION_1_1"]}]}), https_only]
	count(fired("TRN-GCP-NET-001", resources)) == 0
}

test_trn_gcp_net_001_missing_tls_policy_fires if {
	findings := fired("TRN-GCP-NET-001", [https_only])
	count(findings) == 1
	some f in findings
	contains(f.message, "gcp.restrictTLSVersion")
}

test_trn_gcp_net_001_sql_unencrypted_allowed_fires if {
	findings := fired("TRN-GCP-NET-001", [sql({"ipv4_enabled": false, "ssl_mode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "ALLOW_UNENCRYPTED_AND_ENCRYPTED")
}

test_trn_gcp_net_001_sql_default_mode_fires if {
	findings := fired("TRN-GCP-NET-001", [sql({"ipv4_enabled": false})])
	count(findings) == 1
	some f in findings
	contains(f.message, "ssl_mode")
}

test_trn_gcp_net_001_sql_encrypted_only_passes if {
	count(fired("TRN-GCP-NET-001", [sql({"ipv4_enabled": false, "ssl_mode": "ENCRYPTED_ONLY"})])) == 0
}

test_trn_gcp_net_001_ssl_policy_tls_1_0_fires if {
	findings := fired("TRN-GCP-NET-001", [{"type": "google_compute_ssl_policy", "name": "p", "values": {"name": "p", "profile": "COMPATIBLE"}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "TLS_1_0")
}

test_trn_gcp_net_001_ssl_policy_tls_1_2_passes if {
	resources := [{"type": "google_compute_ssl_policy", "name": "p", "values": {"name": "p", "profile": "MODERN", "min_tls_version": "TLS_1_2"}}]
	count(fired("TRN-GCP-NET-001", resources)) == 0
}

# TRN-GCP-NET-002

test_trn_gcp_net_002_kms_not_restricted_fires if {
	status := {"resources": ["projects/111"], "restricted_services": ["storage.googleapis.com", "bigquery.googleapis.com"]}
	findings := fired("TRN-GCP-NET-002", [perimeter(status)])
	count(findings) == 1
	some f in findings
	contains(f.message, "cloudkms.googleapis.com")
}

test_trn_gcp_net_002_empty_perimeter_fires if {
	status := {"resources": [], "restricted_services": ["storage.googleapis.com", "bigquery.googleapis.com", "cloudkms.googleapis.com"]}
	findings := fired("TRN-GCP-NET-002", [perimeter(status)])
	count(findings) == 1
	some f in findings
	contains(f.message, "status.resources")
}

test_trn_gcp_net_002_data_apis_restricted_pass if {
	status := {"resources": ["projects/111"], "restricted_services": ["storage.googleapis.com", "bigquery.googleapis.com", "cloudkms.googleapis.com"]}
	count(fired("TRN-GCP-NET-002", [perimeter(status)])) == 0
}

test_trn_gcp_net_002_bridge_perimeter_skipped if {
	bridge := {
		"type": "google_access_context_manager_service_perimeter",
		"name": "bridge",
		"values": {"title": "bridge", "perimeter_type": "PERIMETER_TYPE_BRIDGE", "status": [{"resources": ["projects/1", "projects/2"]}]},
	}
	count(fired("TRN-GCP-NET-002", [bridge])) == 0
}
