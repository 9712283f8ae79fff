package terrane.pack.google.transfer_test

import rego.v1
import data.terrane.pack.google.transfer
import data.terrane.testing

fired(id, resources) := fired_in("EU", id, resources)

fired_in(jurisdiction, id, resources) := {f |
	some f in found
	f.rule_id == id
} if {
	found := transfer.deny with input as testing.estate_in(jurisdiction, resources)
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

# TRN-GCP-XFR-001

test_trn_gcp_xfr_001_london_data_location_fires if {
	resources := [{
		"type": "google_storage_bucket",
		"name": "b",
		"region": "EU",
		"values": {"name": "b", "location": "EU", "custom_placement_config": [{"data_locations": ["EUROPE-WEST1", "EUROPE-WEST2"]}]},
	}]
	findings := fired("TRN-GCP-XFR-001", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "EUROPE-WEST2")
}

test_trn_gcp_xfr_001_eu_data_locations_pass if {
	resources := [{
		"type": "google_storage_bucket",
		"name": "b",
		"region": "EU",
		"values": {"name": "b", "location": "EU", "custom_placement_config": [{"data_locations": ["EUROPE-WEST1", "EUROPE-WEST4"]}]},
	}]
	count(fired("TRN-GCP-XFR-001", resources)) == 0
}

test_trn_gcp_xfr_001_frankfurt_berlin_pass_in_germany if {
	resources := [{
		"type": "google_storage_bucket",
		"name": "b",
		"region": "EU",
		"values": {"name": "b", "location": "EU", "custom_placement_config": [{"data_locations": ["EUROPE-WEST3", "EUROPE-WEST10"]}]},
	}]
	count(fired_in("DE", "TRN-GCP-XFR-001", resources)) == 0
}

# TRN-GCP-XFR-002

test_trn_gcp_xfr_002_eur6_zurich_witness_fires if {
	resources := [{"type": "google_spanner_instance", "name": "s", "values": {"config": "eur6", "name": "s"}}]
	findings := fired("TRN-GCP-XFR-002", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "europe-west6")
}

test_trn_gcp_xfr_002_multi_continent_config_fires if {
	resources := [{"type": "google_spanner_instance", "name": "s", "values": {"config": "projects/p/instanceConfigs/nam-eur-asia1"}}]
	findings := fired("TRN-GCP-XFR-002", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "nam-eur-asia1")
}

test_trn_gcp_xfr_002_eur3_passes if {
	count(fired("TRN-GCP-XFR-002", [{"type": "google_spanner_instance", "name": "s", "values": {"config": "eur3"}}])) == 0
}

test_trn_gcp_xfr_002_regional_config_passes if {
	count(fired("TRN-GCP-XFR-002", [{"type": "google_spanner_instance", "name": "s", "values": {"config": "regional-europe-west3"}}])) == 0
}

test_trn_gcp_xfr_002_custom_config_undecided if {
	findings := fired("TRN-GCP-XFR-002", [{"type": "google_spanner_instance", "name": "s", "values": {"config": "custom-eu-ro"}}])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "custom-eu-ro")
}

test_trn_gcp_xfr_002_london_replica_fires if {
	resources := [{
		"type": "google_sql_database_instance",
		"name": "replica",
		"region": "europe-west2",
		"values": {"master_instance_name": "primary", "region": "europe-west2"},
	}]
	findings := fired("TRN-GCP-XFR-002", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "europe-west2")
}

test_trn_gcp_xfr_002_us_backup_location_fires if {
	resources := [{
		"type": "google_sql_database_instance",
		"name": "db",
		"region": "europe-west3",
		"values": {"settings": [{"backup_configuration": [{"enabled": true, "location": "us"}]}]},
	}]
	findings := fired("TRN-GCP-XFR-002", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "`us`")
}

test_trn_gcp_xfr_002_default_backup_location_fires_in_germany if {
	resources := [{
		"type": "google_sql_database_instance",
		"name": "db",
		"region": "europe-west3",
		"values": {"settings": [{"backup_configuration": [{"enabled": true}]}]},
	}]
	findings := fired_in("DE", "TRN-GCP-XFR-002", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "EU")
}

test_trn_gcp_xfr_002_eu_backups_pass if {
	resources := [{
		"type": "google_sql_database_instance",
		"name": "db",
		"region": "europe-west3",
		"values": {"settings": [{"backup_configuration": [{"enabled": true}]}]},
	}]
	count(fired("TRN-GCP-XFR-002", resources)) == 0
}

# TRN-GCP-XFR-003

test_trn_gcp_xfr_003_topic_without_storage_policy_fires if {
	findings := fired("TRN-GCP-XFR-003", [{"type": "google_pubsub_topic", "name": "t", "values": {"name": "t"}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "allowed_persistence_regions")
}

test_trn_gcp_xfr_003_topic_persisting_in_us_fires if {
	resources := [{
		"type": "google_pubsub_topic",
		"name": "t",
		"values": {"message_storage_policy": [{"allowed_persistence_regions": ["europe-west3", "us-central1"]}]},
	}]
	findings := fired("TRN-GCP-XFR-003", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "us-central1")
}

test_trn_gcp_xfr_003_topic_in_eu_passes if {
	resources := [{
		"type": "google_pubsub_topic",
		"name": "t",
		"values": {"message_storage_policy": [{"allowed_persistence_regions": ["europe-west3", "europe-west4"]}]},
	}]
	count(fired("TRN-GCP-XFR-003", resources)) == 0
}

test_trn_gcp_xfr_003_auto_replicated_secret_fires if {
	findings := fired("TRN-GCP-XFR-003", [{"type": "google_secret_manager_secret", "name": "s", "values": {"secret_id": "s", "replication": [{"auto": [{}]}]}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "replication.auto")
}

test_trn_gcp_xfr_003_zurich_replica_fires if {
	resources := [{
		"type": "google_secret_manager_secret",
		"name": "s",
		"values": {"secret_id": "s", "replication": [{"user_managed": [{"replicas": [{"location": "europe-west3"}, {"location": "europe-west6"}]}]}]},
	}]
	findings := fired("TRN-GCP-XFR-003", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "europe-west6")
}

test_trn_gcp_xfr_003_user_managed_eu_replicas_pass if {
	resources := [{
		"type": "google_secret_manager_secret",
		"name": "s",
		"values": {"secret_id": "s", "replication": [{"user_managed": [{"replicas": [{"location": "europe-west3"}, {"location": "europe-west4"}]}]}]},
	}]
	count(fired("TRN-GCP-XFR-003", resources)) == 0
}

# TRN-GCP-XFR-004

test_trn_gcp_xfr_004_omni_not_enforced_fires if {
	resources := [
		policy("bigquery.disableBQOmniAWS", {"enforce": "FALSE"}),
		policy("bigquery.disableBQOmniAzure", {"enforce": "TRUE"}),
	]
	findings := fired("TRN-GCP-XFR-004", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "bigquery.disableBQOmniAWS")
}

test_trn_gcp_xfr_004_omni_enforced_passes if {
	resources := [
		policy("bigquery.disableBQOmniAWS", {"enforce": "TRUE"}),
		policy("bigquery.disableBQOmniAzure", {"enforce": "TRUE"}),
	]
	count(fired("TRN-GCP-XFR-004", resources)) == 0
}

test_trn_gcp_xfr_004_transfer_to_us_bucket_fires if {
	resources := [
		{"type": "google_storage_bucket", "name": "src", "region": "europe-west3", "values": {"name": "src-eu"}},
		{"type": "google_storage_bucket", "name": "dst", "region": "US", "values": {"name": "dst-us"}},
		{
			"type": "google_storage_transfer_job",
			"name": "copy",
			"values": {"description": "copy", "transfer_spec": [{
				"gcs_data_source": [{"bucket_name": "src-eu"}],
				"gcs_data_sink": [{"bucket_name": "dst-us"}],
			}]},
		},
	]
	findings := fired("TRN-GCP-XFR-004", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "dst-us")
}

test_trn_gcp_xfr_004_transfer_between_eu_buckets_passes if {
	resources := [
		{"type": "google_storage_bucket", "name": "src", "region": "europe-west3", "values": {"name": "src-eu"}},
		{"type": "google_storage_bucket", "name": "dst", "region": "europe-west4", "values": {"name": "dst-eu"}},
		{
			"type": "google_storage_transfer_job",
			"name": "copy",
			"values": {"description": "copy", "transfer_spec": [{
				"gcs_data_source": [{"bucket_name": "src-eu"}],
				"gcs_data_sink": [{"bucket_name": "dst-eu"}],
			}]},
		},
	]
	count(fired("TRN-GCP-XFR-004", resources)) == 0
}

test_trn_gcp_xfr_004_unmanaged_s3_source_undecided if {
	resources := [
		{"type": "google_storage_bucket", "name": "dst", "region": "europe-west3", "values": {"name": "dst-eu"}},
		{
			"type": "google_storage_transfer_job",
			"name": "import",
			"values": {"description": "import", "transfer_spec": [{
				"aws_s3_data_source": [{"bucket_name": "legacy-exports"}],
				"gcs_data_sink": [{"bucket_name": "dst-eu"}],
			}]},
		},
	]
	findings := fired("TRN-GCP-XFR-004", resources)
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "legacy-exports")
}

test_trn_gcp_xfr_003_topic_with_computed_transit_flag_passes if {
	resources := [{
		"type": "google_pubsub_topic",
		"name": "t",
		"values": {"message_storage_policy": [{"allowed_persistence_regions": ["europe-west3"]}]},
		"unknown": ["message_storage_policy.0.enforce_in_transit"],
	}]
	count(fired("TRN-GCP-XFR-003", resources)) == 0
}

test_trn_gcp_xfr_003_computed_storage_policy_undecided if {
	findings := fired("TRN-GCP-XFR-003", [{"type": "google_pubsub_topic", "name": "t", "unknown": ["message_storage_policy"]}])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "allowed_persistence_regions")
}
