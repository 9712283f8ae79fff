package terrane.pack.google.residency_test

import rego.v1
import data.terrane.pack.google.residency
import data.terrane.testing

fired(id, resources) := fired_in("EU", id, resources)

fired_in(jurisdiction, id, resources) := {f |
	some f in found
	f.rule_id == id
} if {
	found := residency.deny with input as testing.estate_in(jurisdiction, resources)
}

location_policy(name, values) := {
	"type": "google_org_policy_policy",
	"name": name,
	"values": {
		"name": "organizations/123/policies/gcp.resourceLocations",
		"parent": "organizations/123",
		"spec": [{"rules": [{"values": [{"allowed_values": values}]}]}],
	},
}

# TRN-GCP-RES-001

test_trn_gcp_res_001_europe_west2_fires if {
	findings := fired("TRN-GCP-RES-001", [{"type": "google_storage_bucket", "name": "b", "region": "europe-west2"}])
	count(findings) == 1
	some f in findings
	contains(f.message, "europe-west2")
	not f.undecided
}

test_trn_gcp_res_001_europe_west6_fires if {
	findings := fired("TRN-GCP-RES-001", [{"type": "google_sql_database_instance", "name": "db", "region": "europe-west6"}])
	count(findings) == 1
	some f in findings
	contains(f.message, "europe-west6")
}

test_trn_gcp_res_001_us_multi_region_fires if {
	findings := fired("TRN-GCP-RES-001", [{"type": "google_storage_bucket", "name": "b", "region": "US"}])
	count(findings) == 1
	some f in findings
	contains(f.message, "`US`")
}

test_trn_gcp_res_001_eur5_dual_region_fires if {
	findings := fired("TRN-GCP-RES-001", [{"type": "google_storage_bucket", "name": "b", "region": "EUR5"}])
	count(findings) == 1
	some f in findings
	contains(f.message, "EUR5")
}

test_trn_gcp_res_001_eu_multi_region_passes if {
	count(fired("TRN-GCP-RES-001", [{"type": "google_storage_bucket", "name": "b", "region": "EU"}])) == 0
}

test_trn_gcp_res_001_eur4_dual_region_passes if {
	count(fired("TRN-GCP-RES-001", [{"type": "google_storage_bucket", "name": "b", "region": "EUR4"}])) == 0
}

test_trn_gcp_res_001_frankfurt_zone_passes if {
	count(fired("TRN-GCP-RES-001", [{"type": "google_compute_instance", "name": "vm", "region": "europe-west3-b"}])) == 0
}

test_trn_gcp_res_001_london_passes_in_uk if {
	resources := [{"type": "google_storage_bucket", "name": "b", "region": "europe-west2"}]
	count(fired_in("UK", "TRN-GCP-RES-001", resources)) == 0
}

test_trn_gcp_res_001_europe_multi_region_undecided if {
	findings := fired("TRN-GCP-RES-001", [{"type": "google_artifact_registry_repository", "name": "r", "region": "europe"}])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "europe")
}

test_trn_gcp_res_001_missing_region_undecided if {
	findings := fired("TRN-GCP-RES-001", [{"type": "google_storage_bucket", "name": "b"}])
	count(findings) == 1
	some f in findings
	f.undecided
}

test_trn_gcp_res_001_global_location_fires if {
	findings := fired("TRN-GCP-RES-001", [{"type": "google_dialogflow_cx_agent", "name": "a", "region": "global"}])
	count(findings) == 1
	some f in findings
	contains(f.message, "global")
	not f.undecided
}

test_trn_gcp_res_001_global_types_skipped if {
	resources := [
		{"type": "google_project_iam_member", "name": "m"},
		{"type": "google_compute_network", "name": "n", "region": "global"},
		{"type": "google_compute_global_address", "name": "a", "region": "global"},
		{"type": "google_storage_bucket_object", "name": "o"},
	]
	count(fired("TRN-GCP-RES-001", resources)) == 0
}

test_trn_gcp_res_001_snapshot_storage_location_fires if {
	findings := fired("TRN-GCP-RES-001", [{
		"type": "google_compute_snapshot",
		"name": "s",
		"values": {"storage_locations": ["us"]},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "`us`")
}

test_trn_gcp_res_001_snapshot_storage_location_passes if {
	resources := [{"type": "google_compute_snapshot", "name": "s", "values": {"storage_locations": ["europe-west3"]}}]
	count(fired("TRN-GCP-RES-001", resources)) == 0
}

test_trn_gcp_res_001_sql_replica_left_to_transfer_rule if {
	resources := [{
		"type": "google_sql_database_instance",
		"name": "replica",
		"region": "europe-west2",
		"values": {"master_instance_name": "primary"},
	}]
	count(fired("TRN-GCP-RES-001", resources)) == 0
}

# TRN-GCP-RES-002

test_trn_gcp_res_002_eu_locations_passes if {
	count(fired("TRN-GCP-RES-002", [location_policy("eu", ["in:eu-locations"])])) == 0
}

test_trn_gcp_res_002_europe_locations_fires if {
	findings := fired("TRN-GCP-RES-002", [location_policy("europe", ["in:europe-locations"])])
	count(findings) == 1
	some f in findings
	contains(f.message, "in:europe-locations")
	contains(f.message, "europe-west2")
	contains(f.message, "europe-west6")
}

test_trn_gcp_res_002_plain_london_region_fires if {
	findings := fired("TRN-GCP-RES-002", [location_policy("p", ["europe-west3", "europe-west2"])])
	count(findings) == 1
	some f in findings
	contains(f.message, "europe-west2")
}

test_trn_gcp_res_002_region_group_passes_in_germany if {
	resources := [location_policy("de", ["in:europe-west3-locations", "in:europe-west10-locations"])]
	count(fired_in("DE", "TRN-GCP-RES-002", resources)) == 0
}

test_trn_gcp_res_002_eu_locations_fires_in_germany if {
	findings := fired_in("DE", "TRN-GCP-RES-002", [location_policy("eu", ["in:eu-locations"])])
	count(findings) == 1
	some f in findings
	contains(f.message, "in:eu-locations")
}

test_trn_gcp_res_002_allow_all_fires if {
	policy := {
		"type": "google_org_policy_policy",
		"name": "all",
		"values": {
			"name": "folders/9/policies/gcp.resourceLocations",
			"parent": "folders/9",
			"spec": [{"rules": [{"allow_all": "TRUE"}]}],
		},
	}
	findings := fired("TRN-GCP-RES-002", [policy])
	count(findings) == 1
	some f in findings
	contains(f.message, "allow_all")
}

test_trn_gcp_res_002_unknown_group_undecided if {
	findings := fired("TRN-GCP-RES-002", [location_policy("x", ["in:mars-locations"])])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "in:mars-locations")
}

test_trn_gcp_res_002_legacy_policy_fires if {
	policy := {
		"type": "google_organization_policy",
		"name": "legacy",
		"values": {
			"org_id": "123",
			"constraint": "constraints/gcp.resourceLocations",
			"list_policy": [{"allow": [{"values": ["in:europe-west2-locations"]}]}],
		},
	}
	findings := fired("TRN-GCP-RES-002", [policy])
	count(findings) == 1
	some f in findings
	contains(f.message, "europe-west2")
}

test_trn_gcp_res_002_missing_at_organization_fires if {
	other := {
		"type": "google_org_policy_policy",
		"name": "keys",
		"values": {
			"name": "organizations/123/policies/iam.disableServiceAccountKeyCreation",
			"parent": "organizations/123",
			"spec": [{"rules": [{"enforce": "TRUE"}]}],
		},
	}
	findings := fired("TRN-GCP-RES-002", [other])
	count(findings) == 1
	some f in findings
	contains(f.message, "organizations/123")
}

# TRN-GCP-RES-003

test_trn_gcp_res_003_global_key_ring_fires if {
	findings := fired("TRN-GCP-RES-003", [{"type": "google_kms_key_ring", "name": "k", "values": {"location": "global"}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "global")
	not f.undecided
}

test_trn_gcp_res_003_europe_key_ring_undecided if {
	findings := fired("TRN-GCP-RES-003", [{"type": "google_kms_key_ring", "name": "k", "values": {"location": "europe"}}])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "europe")
}

test_trn_gcp_res_003_zurich_key_ring_fires if {
	findings := fired("TRN-GCP-RES-003", [{"type": "google_kms_key_ring", "name": "k", "values": {"location": "europe-west6"}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "europe-west6")
}

test_trn_gcp_res_003_frankfurt_key_ring_passes if {
	resources := [{"type": "google_kms_key_ring", "name": "k", "values": {"location": "europe-west3"}}]
	count(fired("TRN-GCP-RES-003", resources)) == 0
}

# TRN-GCP-RES-004

workload(values) := {"type": "google_assured_workloads_workload", "name": "w", "region": "europe-west3", "values": values}

test_trn_gcp_res_004_eu_regime_passes_in_eu if {
	count(fired("TRN-GCP-RES-004", [workload({"compliance_regime": "EU_REGIONS_AND_SUPPORT"})])) == 0
}

test_trn_gcp_res_004_eu_regime_fires_in_germany if {
	findings := fired_in("DE", "TRN-GCP-RES-004", [workload({"compliance_regime": "EU_REGIONS_AND_SUPPORT"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "EU_REGIONS_AND_SUPPORT")
	contains(f.message, "europe-west1")
}

test_trn_gcp_res_004_t_systems_passes_in_germany if {
	resources := [workload({"compliance_regime": "ASSURED_WORKLOADS_FOR_PARTNERS", "partner": "SOVEREIGN_CONTROLS_BY_T_SYSTEMS"})]
	count(fired_in("DE", "TRN-GCP-RES-004", resources)) == 0
}

test_trn_gcp_res_004_s3ns_fires_in_france if {
	resources := [workload({"compliance_regime": "ASSURED_WORKLOADS_FOR_PARTNERS", "partner": "LOCAL_CONTROLS_BY_S3NS"})]
	findings := fired_in("FR", "TRN-GCP-RES-004", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "LOCAL_CONTROLS_BY_S3NS")
}

test_trn_gcp_res_004_us_regime_fires if {
	findings := fired("TRN-GCP-RES-004", [workload({"compliance_regime": "FEDRAMP_MODERATE"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "FEDRAMP_MODERATE")
}

test_trn_gcp_res_004_hipaa_without_boundary_fires if {
	findings := fired("TRN-GCP-RES-004", [workload({"compliance_regime": "HIPAA"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "HIPAA")
}

# TRN-GCP-RES-005

test_trn_gcp_res_005_london_storage_location_fires if {
	resources := [{
		"type": "google_logging_organization_settings",
		"name": "s",
		"values": {"organization": "123", "storage_location": "europe-west2"},
	}]
	findings := fired("TRN-GCP-RES-005", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "europe-west2")
}

test_trn_gcp_res_005_unset_storage_location_fires if {
	resources := [{"type": "google_logging_organization_settings", "name": "s", "values": {"organization": "123"}}]
	findings := fired("TRN-GCP-RES-005", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "storage_location")
}

test_trn_gcp_res_005_global_log_bucket_fires if {
	resources := [{
		"type": "google_logging_project_bucket_config",
		"name": "b",
		"values": {"project": "p", "bucket_id": "_Default", "location": "global"},
	}]
	findings := fired("TRN-GCP-RES-005", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "global")
}

test_trn_gcp_res_005_eu_log_storage_passes if {
	resources := [
		{"type": "google_logging_organization_settings", "name": "s", "values": {"organization": "123", "storage_location": "europe-west3"}},
		{"type": "google_logging_project_bucket_config", "name": "b", "values": {"project": "p", "bucket_id": "audit", "location": "europe-west3"}},
	]
	count(fired("TRN-GCP-RES-005", resources)) == 0
}

test_trn_gcp_res_002_plan_shaped_policy_passes if {
	policy := {
		"type": "google_org_policy_policy",
		"name": "plan",
		"values": {
			"name": "organizations/123/policies/gcp.resourceLocations",
			"parent": "organizations/123",
			"dry_run_spec": [],
			"spec": [{
				"inherit_from_parent": null,
				"reset": null,
				"rules": [{
					"allow_all": null,
					"condition": [],
					"deny_all": null,
					"enforce": null,
					"parameters": null,
					"values": [{"allowed_values": ["in:eu-locations"], "denied_values": null}],
				}],
			}],
		},
		"unknown": ["spec.0.etag", "spec.0.update_time", "id"],
	}
	count(fired("TRN-GCP-RES-002", [policy])) == 0
}
