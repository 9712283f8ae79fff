package terrane.pack.google.logging_test

import rego.v1
import data.terrane.pack.google.logging
import data.terrane.testing

fired(id, resources) := {f |
	some f in found
	f.rule_id == id
} if {
	found := logging.deny with input as testing.estate(resources)
}

audit_config(log_types) := {
	"type": "google_organization_iam_audit_config",
	"name": "all",
	"values": {
		"org_id": "123",
		"service": "allServices",
		"audit_log_config": [{"log_type": t, "exempted_members": []} | some t in log_types],
	},
}

key := "projects/p/locations/europe-west3/keyRings/logs/cryptoKeys/logs"

log_bucket(values) := {
	"type": "google_logging_project_bucket_config",
	"name": "audit",
	"values": object.union({"project": "p", "bucket_id": "audit", "location": "europe-west3"}, values),
}

sink(destination) := {"type": "google_logging_organization_sink", "name": "s", "values": {"name": "s", "org_id": "123", "destination": destination}}

# TRN-GCP-LOG-001

test_trn_gcp_log_001_admin_read_only_fires if {
	findings := fired("TRN-GCP-LOG-001", [audit_config(["ADMIN_READ"])])
	count(findings) == 1
	some f in findings
	contains(f.message, "DATA_READ")
	contains(f.message, "allServices")
}

test_trn_gcp_log_001_data_write_missing_fires if {
	findings := fired("TRN-GCP-LOG-001", [audit_config(["ADMIN_READ", "DATA_READ"])])
	count(findings) == 1
	some f in findings
	contains(f.message, "DATA_WRITE")
}

test_trn_gcp_log_001_data_access_enabled_passes if {
	count(fired("TRN-GCP-LOG-001", [audit_config(["ADMIN_READ", "DATA_READ", "DATA_WRITE"])])) == 0
}

# TRN-GCP-LOG-002

test_trn_gcp_log_002_unencrypted_bucket_fires if {
	findings := fired("TRN-GCP-LOG-002", [log_bucket({"locked": true})])
	count(findings) == 1
	some f in findings
	contains(f.message, "cmek_settings")
	contains(f.message, "audit")
}

test_trn_gcp_log_002_unlocked_bucket_fires if {
	findings := fired("TRN-GCP-LOG-002", [log_bucket({"cmek_settings": [{"kms_key_name": key}]})])
	count(findings) == 1
	some f in findings
	contains(f.message, "locked")
}

test_trn_gcp_log_002_key_outside_fires if {
	london_key := "projects/p/locations/europe-west2/keyRings/logs/cryptoKeys/logs"
	findings := fired("TRN-GCP-LOG-002", [log_bucket({"locked": true, "cmek_settings": [{"kms_key_name": london_key}]})])
	count(findings) == 1
	some f in findings
	contains(f.message, "europe-west2")
}

test_trn_gcp_log_002_encrypted_locked_bucket_passes if {
	count(fired("TRN-GCP-LOG-002", [log_bucket({"locked": true, "cmek_settings": [{"kms_key_name": key}]})])) == 0
}

test_trn_gcp_log_002_default_key_from_settings_passes if {
	resources := [
		log_bucket({"locked": true}),
		{"type": "google_logging_organization_settings", "name": "s", "values": {"organization": "123", "kms_key_name": key, "storage_location": "europe-west3"}},
	]
	count(fired("TRN-GCP-LOG-002", resources)) == 0
}

test_trn_gcp_log_002_sink_to_us_bucket_fires if {
	resources := [
		{"type": "google_storage_bucket", "name": "archive", "region": "US", "values": {"name": "audit-archive"}},
		sink("storage.googleapis.com/audit-archive"),
	]
	findings := fired("TRN-GCP-LOG-002", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "audit-archive")
}

test_trn_gcp_log_002_sink_to_london_log_bucket_fires if {
	findings := fired("TRN-GCP-LOG-002", [sink("logging.googleapis.com/projects/p/locations/europe-west2/buckets/audit")])
	count(findings) == 1
	some f in findings
	contains(f.message, "europe-west2")
}

test_trn_gcp_log_002_sink_to_eu_log_bucket_passes if {
	count(fired("TRN-GCP-LOG-002", [sink("logging.googleapis.com/projects/p/locations/europe-west3/buckets/audit")])) == 0
}

test_trn_gcp_log_002_sink_to_unmanaged_dataset_undecided if {
	findings := fired("TRN-GCP-LOG-002", [sink("bigquery.googleapis.com/projects/p/datasets/audit")])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "bigquery.googleapis.com/projects/p/datasets/audit")
}

test_trn_gcp_log_002_sink_to_eu_dataset_passes if {
	resources := [
		{"type": "google_bigquery_dataset", "name": "audit", "region": "EU", "values": {"dataset_id": "audit"}},
		sink("bigquery.googleapis.com/projects/p/datasets/audit"),
	]
	count(fired("TRN-GCP-LOG-002", resources)) == 0
}
