package terrane.pack.azure.identity_test

import rego.v1

import data.terrane.pack.azure.identity
import data.terrane.testing

lighthouse(block, role) := {
	"type": "azurerm_lighthouse_definition",
	"name": "msp",
	"values": {
		"managing_tenant_id": "11111111-1111-1111-1111-111111111111",
		block: [{"principal_id": "22222222-2222-2222-2222-222222222222", "role_definition_id": role}],
	},
}

# TRN-AZ-IAM-002

test_trn_az_iam_002_user_access_administrator_fires if {
	findings := identity.deny with input as testing.estate([lighthouse("authorization", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-IAM-002"
	contains(f.message, "User Access Administrator")
	contains(f.message, "11111111-1111-1111-1111-111111111111")
}

test_trn_az_iam_002_eligible_owner_by_resource_id_fires if {
	findings := identity.deny with input as testing.estate([lighthouse(
		"eligible_authorization",
		"/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/8E3AF657-A8FF-443C-A75C-2FE8C4BCB635",
	)])
	count(findings) == 1
	some f in findings
	contains(f.message, "Owner")
	contains(f.message, "eligible_authorization")
}

test_trn_az_iam_002_reader_passes if {
	findings := identity.deny with input as testing.estate([lighthouse("authorization", "acdd72a7-3385-48ef-bd42-f606fba81ae7")])
	count(findings) == 0
}

test_trn_az_iam_002_unapproved_tenant_fires if {
	findings := identity.deny with input as testing.estate([lighthouse("authorization", "acdd72a7-3385-48ef-bd42-f606fba81ae7")])
		with data.terrane.config as {"azure_lighthouse_managing_tenants": ["33333333-3333-3333-3333-333333333333"]}
	count(findings) == 1
	some f in findings
	contains(f.message, "11111111-1111-1111-1111-111111111111")
}

test_trn_az_iam_002_approved_tenant_passes if {
	findings := identity.deny with input as testing.estate([lighthouse("authorization", "acdd72a7-3385-48ef-bd42-f606fba81ae7")])
		with data.terrane.config as {"azure_lighthouse_managing_tenants": ["11111111-1111-1111-1111-111111111111"]}
	count(findings) == 0
}
