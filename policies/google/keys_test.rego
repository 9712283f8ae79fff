package terrane.pack.google.keys_test

import rego.v1
import data.terrane.pack.google.keys
import data.terrane.testing

fired(id, resources) := {f |
	some f in found
	f.rule_id == id
} if {
	found := keys.deny with input as testing.estate(resources)
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

key_name(location) := sprintf("projects/p/locations/%s/keyRings/r/cryptoKeys/k", [location])

crypto_key(values) := {"type": "google_kms_crypto_key", "name": "k", "values": object.union({"key_ring": "projects/p/locations/europe-west3/keyRings/r", "name": "k"}, values)}

hsm := {"version_template": [{"algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION", "protection_level": "HSM"}]}

# TRN-GCP-KEY-001

test_trn_gcp_key_001_partial_service_list_fires if {
	findings := fired("TRN-GCP-KEY-001", [policy("gcp.restrictNonCmekServices", {"values": [{"denied_values": ["storage.googleapis.com"]}]})])
	count(findings) == 1
	some f in findings
	contains(f.message, "bigquery.googleapis.com")
	contains(f.message, "sqladmin.googleapis.com")
}

test_trn_gcp_key_001_full_service_list_passes if {
	services := ["bigquery.googleapis.com", "compute.googleapis.com", "sqladmin.googleapis.com", "storage.googleapis.com"]
	count(fired("TRN-GCP-KEY-001", [policy("gcp.restrictNonCmekServices", {"values": [{"denied_values": services}]})])) == 0
}

test_trn_gcp_key_001_configured_service_list_passes if {
	resources := [policy("gcp.restrictNonCmekServices", {"values": [{"denied_values": ["storage.googleapis.com"]}]})]
	found := keys.deny with input as testing.estate(resources)
		with data.terrane.config as {"cmek_required_services": ["storage.googleapis.com"]}
	count({f | some f in found; f.rule_id == "TRN-GCP-KEY-001"}) == 0
}

test_trn_gcp_key_001_key_projects_allow_all_fires if {
	resources := [
		policy("gcp.restrictNonCmekServices", {"deny_all": "TRUE"}),
		policy("gcp.restrictCmekCryptoKeyProjects", {"allow_all": "TRUE"}),
	]
	findings := fired("TRN-GCP-KEY-001", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "allow_all")
}

test_trn_gcp_key_001_missing_at_organization_fires if {
	findings := fired("TRN-GCP-KEY-001", [policy("gcp.resourceLocations", {"values": [{"allowed_values": ["in:eu-locations"]}]})])
	count(findings) == 1
	some f in findings
	contains(f.message, "gcp.restrictNonCmekServices")
}

# TRN-GCP-KEY-002

test_trn_gcp_key_002_bucket_without_cmek_fires if {
	findings := fired("TRN-GCP-KEY-002", [{"type": "google_storage_bucket", "name": "b", "region": "europe-west3"}])
	count(findings) == 1
	some f in findings
	contains(f.message, "encryption.0.default_kms_key_name")
}

test_trn_gcp_key_002_bucket_with_local_key_passes if {
	resources := [{
		"type": "google_storage_bucket",
		"name": "b",
		"region": "europe-west3",
		"values": {"encryption": [{"default_kms_key_name": key_name("europe-west3")}]},
	}]
	count(fired("TRN-GCP-KEY-002", resources)) == 0
}

test_trn_gcp_key_002_london_key_fires if {
	resources := [{
		"type": "google_bigquery_dataset",
		"name": "d",
		"region": "europe-west3",
		"values": {"default_encryption_configuration": [{"kms_key_name": key_name("europe-west2")}]},
	}]
	findings := fired("TRN-GCP-KEY-002", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "europe-west2")
}

test_trn_gcp_key_002_global_key_fires if {
	resources := [{
		"type": "google_pubsub_topic",
		"name": "t",
		"values": {"kms_key_name": key_name("global")},
	}]
	findings := fired("TRN-GCP-KEY-002", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "global")
}

test_trn_gcp_key_002_key_in_other_region_fires if {
	resources := [{
		"type": "google_compute_disk",
		"name": "d",
		"region": "europe-west3-b",
		"unknown": ["disk_encryption_key.0.kms_key_self_link"],
		"relations": [{
			"kind": "encryption_key",
			"target": "google_kms_crypto_key.k",
			"target_type": "google_kms_crypto_key",
			"target_region": "europe-west1",
		}],
	}]
	findings := fired("TRN-GCP-KEY-002", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "europe-west1")
	contains(f.message, "europe-west3")
}

test_trn_gcp_key_002_related_key_in_same_region_passes if {
	resources := [{
		"type": "google_compute_disk",
		"name": "d",
		"region": "europe-west3-b",
		"unknown": ["disk_encryption_key.0.kms_key_self_link"],
		"relations": [{
			"kind": "encryption_key",
			"target": "google_kms_crypto_key.k",
			"target_type": "google_kms_crypto_key",
			"target_region": "europe-west3",
		}],
	}]
	count(fired("TRN-GCP-KEY-002", resources)) == 0
}

test_trn_gcp_key_002_unknown_key_undecided if {
	resources := [{
		"type": "google_sql_database_instance",
		"name": "db",
		"region": "europe-west3",
		"unknown": ["encryption_key_name"],
	}]
	findings := fired("TRN-GCP-KEY-002", resources)
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "encryption_key_name")
}

# TRN-GCP-KEY-003

test_trn_gcp_key_003_missing_rotation_fires if {
	findings := fired("TRN-GCP-KEY-003", [crypto_key(hsm)])
	count(findings) == 1
	some f in findings
	contains(f.message, "rotation_period")
}

test_trn_gcp_key_003_long_rotation_fires if {
	findings := fired("TRN-GCP-KEY-003", [crypto_key(object.union(hsm, {"rotation_period": "31536000s"}))])
	count(findings) == 1
	some f in findings
	contains(f.message, "31536000s")
}

test_trn_gcp_key_003_software_key_fires if {
	findings := fired("TRN-GCP-KEY-003", [crypto_key({"rotation_period": "7776000s"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "SOFTWARE")
}

test_trn_gcp_key_003_short_destroy_window_fires if {
	values := object.union(hsm, {"rotation_period": "7776000s", "destroy_scheduled_duration": "86400s"})
	findings := fired("TRN-GCP-KEY-003", [crypto_key(values)])
	count(findings) == 1
	some f in findings
	contains(f.message, "86400s")
}

test_trn_gcp_key_003_hsm_key_rotated_passes if {
	count(fired("TRN-GCP-KEY-003", [crypto_key(object.union(hsm, {"rotation_period": "7776000s"}))])) == 0
}

test_trn_gcp_key_003_external_key_without_rotation_passes if {
	values := {"version_template": [{"algorithm": "EXTERNAL_SYMMETRIC_ENCRYPTION", "protection_level": "EXTERNAL_VPC"}]}
	count(fired("TRN-GCP-KEY-003", [crypto_key(values)])) == 0
}

test_trn_gcp_key_003_software_protection_level_policy_fires if {
	findings := fired("TRN-GCP-KEY-003", [policy("cloudkms.allowedProtectionLevels", {"values": [{"allowed_values": ["SOFTWARE", "HSM"]}]})])
	count(findings) == 1
	some f in findings
	contains(f.message, "SOFTWARE")
}

# TRN-GCP-KEY-004

test_trn_gcp_key_004_missing_policy_fires if {
	findings := fired("TRN-GCP-KEY-004", [crypto_key(hsm)])
	count(findings) == 1
	some f in findings
	contains(f.message, "key_access_justifications_policy")
}

test_trn_gcp_key_004_google_review_accepted_fires if {
	values := object.union(hsm, {"key_access_justifications_policy": [{"allowed_access_reasons": ["CUSTOMER_INITIATED_ACCESS", "GOOGLE_INITIATED_REVIEW"]}]})
	findings := fired("TRN-GCP-KEY-004", [crypto_key(values)])
	count(findings) == 1
	some f in findings
	contains(f.message, "GOOGLE_INITIATED_REVIEW")
}

test_trn_gcp_key_004_customer_reasons_only_passes if {
	values := object.union(hsm, {"key_access_justifications_policy": [{"allowed_access_reasons": ["CUSTOMER_INITIATED_ACCESS"]}]})
	count(fired("TRN-GCP-KEY-004", [crypto_key(values)])) == 0
}

# TRN-GCP-KEY-005

test_trn_gcp_key_005_confidential_data_on_plain_vm_fires if {
	resources := [{
		"type": "google_compute_instance",
		"name": "vm",
		"region": "europe-west3-a",
		"tags": {"data-classification": "confidential"},
		"values": {"shielded_instance_config": [{"enable_secure_boot": true}]},
	}]
	findings := fired("TRN-GCP-KEY-005", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "confidential")
}

test_trn_gcp_key_005_confidential_vm_passes if {
	resources := [{
		"type": "google_compute_instance",
		"name": "vm",
		"region": "europe-west3-a",
		"tags": {"Data-Classification": "Restricted"},
		"values": {
			"confidential_instance_config": [{"confidential_instance_type": "SEV_SNP"}],
			"shielded_instance_config": [{"enable_secure_boot": true}],
		},
	}]
	count(fired("TRN-GCP-KEY-005", resources)) == 0
}

test_trn_gcp_key_005_vtpm_off_fires if {
	resources := [{
		"type": "google_compute_instance",
		"name": "vm",
		"region": "europe-west3-a",
		"values": {"shielded_instance_config": [{"enable_vtpm": false}]},
	}]
	findings := fired("TRN-GCP-KEY-005", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "enable_vtpm")
}

test_trn_gcp_key_005_internal_vm_passes if {
	resources := [{
		"type": "google_compute_instance",
		"name": "vm",
		"region": "europe-west3-a",
		"tags": {"data-classification": "internal"},
	}]
	count(fired("TRN-GCP-KEY-005", resources)) == 0
}

test_trn_gcp_key_005_computed_confidential_config_undecided if {
	resources := [{
		"type": "google_compute_instance",
		"name": "vm",
		"region": "europe-west3-a",
		"tags": {"data-classification": "confidential"},
		"values": {"shielded_instance_config": [{"enable_secure_boot": true}]},
		"unknown": ["confidential_instance_config"],
	}]
	findings := fired("TRN-GCP-KEY-005", resources)
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "confidential_instance_config")
}
