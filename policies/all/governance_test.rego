package terrane.pack.all.governance_test

import rego.v1
import data.terrane.pack.all.governance
import data.terrane.testing

fired(id, resources) := {f |
	some f in found
	f.rule_id == id
} if {
	found := governance.deny with input as testing.estate(resources)
}

fired_with(config, id, resources) := {f |
	some f in found
	f.rule_id == id
} if {
	found := governance.deny with input as testing.estate(resources) with data.terrane.config as config
}

good_tags := {"data-classification": "internal", "cost-centre": "cc-42"}

# TRN-ALL-GOV-001

test_trn_all_gov_001_unlabelled_bucket_fires if {
	resources := [{"type": "google_storage_bucket", "name": "b", "region": "europe-west3", "values": {"name": "b", "labels": {}}}]
	findings := fired("TRN-ALL-GOV-001", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "cost-centre")
	contains(f.message, "data-classification")
}

test_trn_all_gov_001_invalid_classification_fires if {
	resources := [{
		"type": "aws_s3_bucket",
		"name": "b",
		"region": "eu-central-1",
		"tags": {"data-classification": "secret", "cost-centre": "cc-42"},
		"values": {"bucket": "b", "tags": {"data-classification": "secret", "cost-centre": "cc-42"}},
	}]
	findings := fired("TRN-ALL-GOV-001", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "secret")
}

test_trn_all_gov_001_tags_match_ignoring_case_pass if {
	resources := [{
		"type": "azurerm_storage_account",
		"name": "sa",
		"region": "westeurope",
		"tags": {"Data-Classification": "Confidential", "Cost-Centre": "cc-42"},
	}]
	count(fired("TRN-ALL-GOV-001", resources)) == 0
}

test_trn_all_gov_001_labels_attribute_counts if {
	resources := [{
		"type": "google_compute_instance",
		"name": "vm",
		"region": "europe-west3-a",
		"values": {"labels": {"data-classification": "restricted", "cost-centre": "cc-7"}},
	}]
	count(fired("TRN-ALL-GOV-001", resources)) == 0
}

test_trn_all_gov_001_untaggable_types_skipped if {
	resources := [
		{"type": "google_kms_key_ring", "name": "k", "values": {"location": "europe-west3"}},
		{"type": "google_project_iam_member", "name": "m", "values": {"member": "group:a@example.eu"}},
		{"type": "aws_s3_bucket_policy", "name": "p", "values": {"bucket": "b"}},
	]
	count(fired("TRN-ALL-GOV-001", resources)) == 0
}

test_trn_all_gov_001_configured_tags_replace_defaults if {
	resources := [
		{"type": "aws_s3_bucket", "name": "owned", "tags": {"owner": "team-a"}, "values": {"tags": {"owner": "team-a"}}},
		{"type": "aws_s3_bucket", "name": "orphan", "tags": {}, "values": {"tags": null}},
	]
	findings := fired_with({"required_tags": {"owner": []}}, "TRN-ALL-GOV-001", resources)
	count(findings) == 1
	some f in findings
	f.address == "aws_s3_bucket.orphan"
	contains(f.message, "owner")
}

test_trn_all_gov_001_unknown_tags_undecided if {
	resources := [{"type": "aws_instance", "name": "vm", "unknown": ["tags"]}]
	findings := fired("TRN-ALL-GOV-001", resources)
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "data-classification")
}

# TRN-ALL-GOV-002

test_trn_all_gov_002_type_outside_allow_list_fires if {
	resources := [
		{"type": "google_storage_bucket", "name": "b", "tags": good_tags},
		{"type": "google_compute_instance", "name": "vm", "tags": good_tags},
	]
	findings := fired_with({"allowed_resource_types": ["google_storage_*"]}, "TRN-ALL-GOV-002", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "google_compute_instance")
}

test_trn_all_gov_002_allowed_types_pass if {
	resources := [{"type": "google_storage_bucket", "name": "b", "tags": good_tags}]
	count(fired_with({"allowed_resource_types": ["google_storage_*"]}, "TRN-ALL-GOV-002", resources)) == 0
}

service_usage := {
	"type": "google_org_policy_policy",
	"name": "services",
	"values": {
		"name": "organizations/123/policies/gcp.restrictServiceUsage",
		"parent": "organizations/123",
		"spec": [{"rules": [{"values": [{"allowed_values": ["storage.googleapis.com", "cloudkms.googleapis.com"]}]}]}],
	},
}

test_trn_all_gov_002_service_outside_restriction_fires if {
	resources := [
		service_usage,
		{"type": "google_project_service", "name": "bq", "values": {"project": "p", "service": "bigquery.googleapis.com"}},
	]
	findings := fired("TRN-ALL-GOV-002", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "bigquery.googleapis.com")
}

test_trn_all_gov_002_service_inside_restriction_passes if {
	resources := [
		service_usage,
		{"type": "google_project_service", "name": "gcs", "values": {"project": "p", "service": "storage.googleapis.com"}},
	]
	count(fired("TRN-ALL-GOV-002", resources)) == 0
}

test_trn_all_gov_002_unenforced_allowed_types_assignment_fires if {
	resources := [{
		"type": "azurerm_management_group_policy_assignment",
		"name": "types",
		"values": {
			"policy_definition_id": "/providers/Microsoft.Authorization/policyDefinitions/a08ec900-254a-4555-9bf5-e42af04b5c5c",
			"enforce": false,
		},
	}]
	findings := fired("TRN-ALL-GOV-002", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "a08ec900-254a-4555-9bf5-e42af04b5c5c")
}

# TRN-ALL-GOV-003

region_scp := {
	"type": "aws_organizations_policy",
	"name": "region_deny",
	"values": {
		"name": "region-deny",
		"type": "SERVICE_CONTROL_POLICY",
		"content": json.marshal({"Statement": [{
			"Effect": "Deny",
			"NotAction": ["iam:*"],
			"Resource": "*",
			"Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1"]}},
		}]}),
	},
}

test_trn_all_gov_003_unattached_region_scp_fires if {
	findings := fired("TRN-ALL-GOV-003", [region_scp])
	count(findings) == 1
	some f in findings
	contains(f.message, "region-deny")
	not f.undecided
}

test_trn_all_gov_003_attached_region_scp_passes if {
	attachment := {
		"type": "aws_organizations_policy_attachment",
		"name": "root",
		"unknown": ["policy_id"],
		"values": {"target_id": "r-abcd"},
		"relations": [{"kind": "reference", "target": "aws_organizations_policy.region_deny", "target_type": "aws_organizations_policy"}],
	}
	count(fired("TRN-ALL-GOV-003", [region_scp, attachment])) == 0
}

test_trn_all_gov_003_organization_without_region_scp_fires if {
	findings := fired("TRN-ALL-GOV-003", [{"type": "aws_organizations_organization", "name": "org", "values": {"feature_set": "ALL"}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "aws:RequestedRegion")
}

allowed_locations(values) := {
	"type": "azurerm_management_group_policy_assignment",
	"name": "locations",
	"values": object.union(
		{"policy_definition_id": "/providers/Microsoft.Authorization/policyDefinitions/e56962a6-4747-49cd-b67b-bf8b01975c4c"},
		values,
	),
}

test_trn_all_gov_003_unenforced_azure_assignment_fires if {
	findings := fired("TRN-ALL-GOV-003", [allowed_locations({"enforce": false})])
	count(findings) == 1
	some f in findings
	contains(f.message, "enforce = false")
}

test_trn_all_gov_003_audit_effect_fires if {
	parameters := json.marshal({"listOfAllowedLocations": {"value": ["germanywestcentral"]}, "effect": {"value": "Audit"}})
	findings := fired("TRN-ALL-GOV-003", [allowed_locations({"enforce": true, "parameters": parameters})])
	count(findings) == 1
	some f in findings
	contains(f.message, "Audit")
}

test_trn_all_gov_003_enforced_azure_assignment_passes if {
	parameters := json.marshal({"listOfAllowedLocations": {"value": ["germanywestcentral"]}})
	resources := [
		{"type": "azurerm_management_group", "name": "root", "values": {"display_name": "root"}},
		allowed_locations({"enforce": true, "parameters": parameters}),
	]
	count(fired("TRN-ALL-GOV-003", resources)) == 0
}

test_trn_all_gov_003_management_group_without_residency_fires if {
	findings := fired("TRN-ALL-GOV-003", [{"type": "azurerm_management_group", "name": "root", "values": {"display_name": "root"}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "Allowed locations")
}

test_trn_all_gov_003_google_reset_fires if {
	resources := [{
		"type": "google_org_policy_policy",
		"name": "reset",
		"values": {"name": "projects/p/policies/gcp.resourceLocations", "parent": "projects/p", "spec": [{"reset": true}]},
	}]
	findings := fired("TRN-ALL-GOV-003", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "reset")
}

test_trn_all_gov_003_google_dry_run_only_fires if {
	resources := [{
		"type": "google_org_policy_policy",
		"name": "dry",
		"values": {
			"name": "organizations/1/policies/gcp.resourceLocations",
			"parent": "organizations/1",
			"spec": [],
			"dry_run_spec": [{"rules": [{"values": [{"allowed_values": ["in:eu-locations"]}]}]}],
		},
	}]
	findings := fired("TRN-ALL-GOV-003", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "dry_run_spec")
}

test_trn_all_gov_003_google_enforced_policy_passes if {
	resources := [{
		"type": "google_org_policy_policy",
		"name": "eu",
		"values": {
			"name": "organizations/1/policies/gcp.resourceLocations",
			"parent": "organizations/1",
			"spec": [{"rules": [{"values": [{"allowed_values": ["in:eu-locations"]}]}]}],
		},
	}]
	count(fired("TRN-ALL-GOV-003", resources)) == 0
}

# TRN-ALL-GOV-004

run_service(image) := {
	"type": "google_cloud_run_v2_service",
	"name": "api",
	"region": "europe-west3",
	"tags": good_tags,
	"values": {"name": "api", "template": [{"containers": [{"image": image}]}]},
}

test_trn_all_gov_004_us_artifact_registry_fires if {
	findings := fired("TRN-ALL-GOV-004", [run_service("us-docker.pkg.dev/p/repo/api:1.0")])
	count(findings) == 1
	some f in findings
	contains(f.message, "us-docker.pkg.dev")
}

test_trn_all_gov_004_frankfurt_artifact_registry_passes if {
	count(fired("TRN-ALL-GOV-004", [run_service("europe-west3-docker.pkg.dev/p/repo/api@sha256:abc")])) == 0
}

test_trn_all_gov_004_docker_hub_undecided if {
	findings := fired("TRN-ALL-GOV-004", [run_service("nginx:1.25")])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "nginx:1.25")
	contains(f.message, "docker.io")
}

test_trn_all_gov_004_approved_registry_passes if {
	resources := [run_service("registry.example.eu/platform/api:1.0")]
	count(fired_with({"approved_registries": ["registry.example.eu/"]}, "TRN-ALL-GOV-004", resources)) == 0
}

test_trn_all_gov_004_ecr_in_virginia_fires if {
	resources := [{
		"type": "aws_ecs_task_definition",
		"name": "task",
		"tags": good_tags,
		"values": {"family": "task", "container_definitions": json.marshal([{"name": "app", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"}])},
	}]
	findings := fired("TRN-ALL-GOV-004", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "us-east-1")
}

test_trn_all_gov_004_unapproved_ami_fires if {
	resources := [{"type": "aws_instance", "name": "vm", "tags": good_tags, "values": {"ami": "ami-0badc0de"}}]
	findings := fired_with({"approved_images": ["ami-0g00d*"]}, "TRN-ALL-GOV-004", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "ami-0badc0de")
}
