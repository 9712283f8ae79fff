package terrane.pack.google.identity_test

import rego.v1
import data.terrane.pack.google.identity
import data.terrane.testing

fired(id, resources) := {f |
	some f in found
	f.rule_id == id
} if {
	found := identity.deny with input as testing.estate(resources)
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

domains(values) := policy("iam.allowedPolicyMemberDomains", {"values": [{"allowed_values": values}]})

no_keys := policy("iam.disableServiceAccountKeyCreation", {"enforce": "TRUE"})

# TRN-GCP-IAM-001

test_trn_gcp_iam_001_guardrails_in_place_pass if {
	count(fired("TRN-GCP-IAM-001", [domains(["C0abc123"]), no_keys])) == 0
}

test_trn_gcp_iam_001_allow_all_domains_fires if {
	findings := fired("TRN-GCP-IAM-001", [policy("iam.allowedPolicyMemberDomains", {"allow_all": "TRUE"}), no_keys])
	count(findings) == 1
	some f in findings
	contains(f.message, "allow_all")
}

test_trn_gcp_iam_001_keys_allowed_fires if {
	resources := [domains(["C0abc123"]), policy("iam.disableServiceAccountKeyCreation", {"enforce": "FALSE"})]
	findings := fired("TRN-GCP-IAM-001", resources)
	count(findings) == 1
	some f in findings
	contains(f.message, "iam.disableServiceAccountKeyCreation")
}

test_trn_gcp_iam_001_foreign_customer_id_fires_when_configured if {
	found := identity.deny with input as testing.estate([domains(["C0abc123", "C0other99"]), no_keys])
		with data.terrane.config as {"allowed_customer_ids": ["C0abc123"]}
	findings := {f | some f in found; f.rule_id == "TRN-GCP-IAM-001"}
	count(findings) == 1
	some f in findings
	contains(f.message, "C0other99")
}

test_trn_gcp_iam_001_missing_key_guardrail_fires if {
	findings := fired("TRN-GCP-IAM-001", [domains(["C0abc123"])])
	count(findings) == 1
	some f in findings
	contains(f.message, "iam.disableServiceAccountKeyCreation")
}

test_trn_gcp_iam_001_managed_variant_counts_as_present if {
	managed := policy("iam.managed.disableServiceAccountKeyCreation", {"enforce": "TRUE"})
	count(fired("TRN-GCP-IAM-001", [domains(["C0abc123"]), managed])) == 0
}

# TRN-GCP-IAM-002

approval(products) := {
	"type": "google_organization_access_approval_settings",
	"name": "a",
	"values": {"organization_id": "123", "enrolled_services": [{"cloud_product": p, "enrollment_level": "BLOCK_ALL"} | some p in products]},
}

test_trn_gcp_iam_002_partial_enrolment_fires if {
	findings := fired("TRN-GCP-IAM-002", [approval(["storage.googleapis.com"])])
	count(findings) == 1
	some f in findings
	contains(f.message, "bigquery.googleapis.com")
}

test_trn_gcp_iam_002_all_services_pass if {
	count(fired("TRN-GCP-IAM-002", [approval(["all"])])) == 0
}

test_trn_gcp_iam_002_data_services_pass if {
	products := ["bigquery.googleapis.com", "cloudkms.googleapis.com", "compute.googleapis.com", "storage.googleapis.com"]
	count(fired("TRN-GCP-IAM-002", [approval(products)])) == 0
}
