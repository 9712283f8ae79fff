package terrane.pack.google.exposure_test

import rego.v1
import data.terrane.pack.google.exposure
import data.terrane.testing

fired(id, resources) := {f |
	some f in found
	f.rule_id == id
} if {
	found := exposure.deny with input as testing.estate(resources)
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

bucket(values) := {"type": "google_storage_bucket", "name": "b", "region": "europe-west3", "values": values}

# TRN-GCP-PUB-001

test_trn_gcp_pub_001_inherited_prevention_fires if {
	findings := fired("TRN-GCP-PUB-001", [bucket({"public_access_prevention": "inherited", "uniform_bucket_level_access": true})])
	count(findings) == 1
	some f in findings
	contains(f.message, "inherited")
}

test_trn_gcp_pub_001_fine_grained_acl_fires if {
	findings := fired("TRN-GCP-PUB-001", [bucket({"public_access_prevention": "enforced", "uniform_bucket_level_access": false})])
	count(findings) == 1
	some f in findings
	contains(f.message, "uniform_bucket_level_access")
	contains(f.message, "false")
}

test_trn_gcp_pub_001_enforced_bucket_passes if {
	count(fired("TRN-GCP-PUB-001", [bucket({"public_access_prevention": "enforced", "uniform_bucket_level_access": true})])) == 0
}

test_trn_gcp_pub_001_inherited_under_enforced_policy_passes if {
	resources := [
		bucket({"public_access_prevention": "inherited", "uniform_bucket_level_access": true}),
		policy("storage.publicAccessPrevention", {"enforce": "TRUE"}),
		policy("storage.uniformBucketLevelAccess", {"enforce": "TRUE"}),
	]
	count(fired("TRN-GCP-PUB-001", resources)) == 0
}

test_trn_gcp_pub_001_unknown_prevention_undecided if {
	resources := [{
		"type": "google_storage_bucket",
		"name": "b",
		"region": "europe-west3",
		"values": {"uniform_bucket_level_access": true},
		"unknown": ["public_access_prevention"],
	}]
	findings := fired("TRN-GCP-PUB-001", resources)
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "public_access_prevention")
}

test_trn_gcp_pub_001_policy_not_enforced_fires if {
	resources := [
		policy("storage.publicAccessPrevention", {"enforce": "FALSE"}),
		policy("storage.uniformBucketLevelAccess", {"enforce": "TRUE"}),
	]
	findings := fired("TRN-GCP-PUB-001", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "storage.publicAccessPrevention")
}

# TRN-GCP-PUB-002

test_trn_gcp_pub_002_all_users_member_fires if {
	resources := [{
		"type": "google_storage_bucket_iam_member",
		"name": "public",
		"values": {"bucket": "b", "role": "roles/storage.objectViewer", "member": "allUsers"},
	}]
	findings := fired("TRN-GCP-PUB-002", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "allUsers")
}

test_trn_gcp_pub_002_all_authenticated_in_policy_data_fires if {
	policy_data := json.marshal({"bindings": [{"role": "roles/run.invoker", "members": ["group:ops@example.com", "allAuthenticatedUsers"]}]})
	resources := [{
		"type": "google_cloud_run_v2_service_iam_policy",
		"name": "p",
		"values": {"name": "svc", "policy_data": policy_data},
	}]
	findings := fired("TRN-GCP-PUB-002", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "allAuthenticatedUsers")
}

test_trn_gcp_pub_002_public_acl_entity_fires if {
	resources := [{
		"type": "google_storage_bucket_acl",
		"name": "acl",
		"values": {"bucket": "b", "role_entity": ["OWNER:project-owners-1", "READER:allUsers"]},
	}]
	findings := fired("TRN-GCP-PUB-002", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "allUsers")
}

test_trn_gcp_pub_002_foreign_domain_fires_when_configured if {
	resources := [{
		"type": "google_bigquery_dataset_iam_binding",
		"name": "b",
		"values": {"dataset_id": "d", "role": "roles/bigquery.dataViewer", "members": ["group:data@example.eu", "user:someone@gmail.com"]},
	}]
	found := exposure.deny with input as testing.estate(resources)
		with data.terrane.config as {"allowed_member_domains": ["example.eu"]}
	findings := {f | some f in found; f.rule_id == "TRN-GCP-PUB-002"}
	count(findings) == 1
	some f in findings
	contains(f.message, "gmail.com")
}

test_trn_gcp_pub_002_internal_members_pass if {
	resources := [{
		"type": "google_bigquery_dataset_iam_binding",
		"name": "b",
		"values": {"dataset_id": "d", "role": "roles/bigquery.dataViewer", "members": ["group:data@example.eu", "serviceAccount:etl@p.iam.gserviceaccount.com"]},
	}]
	found := exposure.deny with input as testing.estate(resources)
		with data.terrane.config as {"allowed_member_domains": ["example.eu"]}
	count({f | some f in found; f.rule_id == "TRN-GCP-PUB-002"}) == 0
}

# TRN-GCP-PUB-003

test_trn_gcp_pub_003_external_ip_fires if {
	resources := [{
		"type": "google_compute_instance",
		"name": "vm",
		"region": "europe-west3-a",
		"values": {"network_interface": [{"network": "default", "access_config": [{"network_tier": "PREMIUM"}]}]},
	}]
	findings := fired("TRN-GCP-PUB-003", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "access_config")
}

test_trn_gcp_pub_003_internal_vm_passes if {
	resources := [{
		"type": "google_compute_instance",
		"name": "vm",
		"region": "europe-west3-a",
		"values": {"network_interface": [{"network": "default", "access_config": []}]},
	}]
	count(fired("TRN-GCP-PUB-003", resources)) == 0
}

test_trn_gcp_pub_003_sql_default_public_ip_fires if {
	resources := [{"type": "google_sql_database_instance", "name": "db", "region": "europe-west3", "values": {"settings": [{"tier": "db-f1-micro"}]}}]
	findings := fired("TRN-GCP-PUB-003", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "ipv4_enabled")
}

test_trn_gcp_pub_003_sql_private_passes if {
	resources := [{
		"type": "google_sql_database_instance",
		"name": "db",
		"region": "europe-west3",
		"values": {"settings": [{"tier": "db-f1-micro", "ip_configuration": [{"ipv4_enabled": false, "private_network": "projects/p/global/networks/n"}]}]},
	}]
	count(fired("TRN-GCP-PUB-003", resources)) == 0
}

test_trn_gcp_pub_003_external_ip_policy_allow_all_fires if {
	resources := [
		policy("compute.vmExternalIpAccess", {"allow_all": "TRUE"}),
		policy("sql.restrictPublicIp", {"enforce": "TRUE"}),
	]
	findings := fired("TRN-GCP-PUB-003", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "compute.vmExternalIpAccess")
}

test_trn_gcp_pub_001_data_source_passes if {
	resources := [{"type": "google_storage_bucket", "name": "shared", "mode": "data", "values": {"public_access_prevention": "inherited"}}]
	count(fired("TRN-GCP-PUB-001", resources)) == 0
}
