package terrane.pack.azure.governance_test

import rego.v1

import data.terrane.pack.azure.governance
import data.terrane.testing

# TRN-AZ-GOV-001

test_trn_az_gov_001_open_ended_exemption_fires if {
	findings := governance.deny with input as testing.estate([{
		"type": "azurerm_management_group_policy_exemption",
		"name": "legacy",
		"values": {"exemption_category": "Waiver", "description": "legacy app"},
	}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-GOV-001"
	contains(f.message, "expires_on is missing")
	not contains(f.message, "description is missing")
}

test_trn_az_gov_001_blank_description_fires if {
	findings := governance.deny with input as testing.estate([{
		"type": "azurerm_subscription_policy_exemption",
		"name": "tmp",
		"values": {"exemption_category": "Mitigated", "description": "  ", "expires_on": "2026-12-31T00:00:00Z"},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "description is missing")
}

test_trn_az_gov_001_accountable_exemption_passes if {
	findings := governance.deny with input as testing.estate([{
		"type": "azurerm_resource_policy_exemption",
		"name": "ok",
		"values": {
			"exemption_category": "Mitigated",
			"description": "replica kept in the paired region under a signed DPA; approved by the DPO",
			"expires_on": "2026-06-30T00:00:00Z",
		},
	}])
	count(findings) == 0
}
