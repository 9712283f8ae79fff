package terrane.pack.azure.logging_test

import rego.v1

import data.terrane.pack.azure.logging
import data.terrane.testing

vault := {"type": "azurerm_key_vault", "name": "kv", "region": "westeurope"}

vault_setting(workspace_region) := {
	"type": "azurerm_monitor_diagnostic_setting",
	"name": "kv",
	"values": {"log_analytics_workspace_id": "/subscriptions/x/workspaces/law", "enabled_log": [{"category_group": "audit"}]},
	"relations": [
		{"kind": "configures", "target": "azurerm_key_vault.kv", "target_type": "azurerm_key_vault"},
		{
			"kind": "log_destination",
			"attribute": "log_analytics_workspace_id",
			"target": "azurerm_log_analytics_workspace.law",
			"target_type": "azurerm_log_analytics_workspace",
			"target_region": workspace_region,
		},
	],
}

# TRN-AZ-LOG-001

test_trn_az_log_001_uk_workspace_fires if {
	findings := logging.deny with input as testing.estate([vault, vault_setting("uksouth")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-LOG-001"
	f.address == "azurerm_monitor_diagnostic_setting.kv"
	contains(f.message, "uksouth")
	contains(f.message, "azurerm_log_analytics_workspace.law")
}

test_trn_az_log_001_swiss_workspace_fires if {
	findings := logging.deny with input as testing.estate([vault, vault_setting("switzerlandnorth")])
	count(findings) == 1
	some f in findings
	contains(f.message, "switzerlandnorth")
}

test_trn_az_log_001_eu_workspace_passes if {
	findings := logging.deny with input as testing.estate([vault, vault_setting("germanywestcentral")])
	count(findings) == 0
}

test_trn_az_log_001_norway_workspace_passes_in_eea if {
	findings := logging.deny with input as testing.estate_in("EEA", [vault, vault_setting("norwayeast")])
	count(findings) == 0
}

test_trn_az_log_001_vault_without_logs_fires if {
	findings := logging.deny with input as testing.estate([vault])
	count(findings) == 1
	some f in findings
	f.address == "azurerm_key_vault.kv"
	contains(f.message, "azurerm_key_vault")
}

test_trn_az_log_001_workspace_outside_estate_undecided if {
	findings := logging.deny with input as testing.estate([vault, {
		"type": "azurerm_monitor_diagnostic_setting",
		"name": "kv",
		"values": {
			"target_resource_id": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
			"log_analytics_workspace_id": "/subscriptions/x/workspaces/central",
		},
		"relations": [
			{"kind": "configures", "target": "azurerm_key_vault.kv", "target_type": "azurerm_key_vault"},
			{"kind": "log_destination", "attribute": "log_analytics_workspace_id", "target": "/subscriptions/x/workspaces/central"},
		],
	}])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "/subscriptions/x/workspaces/central")
}

test_trn_az_log_001_unresolved_destination_undecided if {
	findings := logging.deny with input as testing.estate([{
		"type": "azurerm_monitor_diagnostic_setting",
		"name": "app",
		"values": {"storage_account_id": "/subscriptions/x/storageAccounts/logs"},
	}])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "storage_account_id")
}

# TRN-AZ-LOG-002

subscription_setting(categories, workspace_region) := {
	"type": "azurerm_monitor_diagnostic_setting",
	"name": "activity",
	"values": {
		"target_resource_id": "/subscriptions/00000000-0000-0000-0000-000000000000",
		"log_analytics_workspace_id": "/subscriptions/x/workspaces/law",
		"enabled_log": [{"category": c} | some c in categories],
	},
	"relations": [{
		"kind": "log_destination",
		"attribute": "log_analytics_workspace_id",
		"target": "azurerm_log_analytics_workspace.law",
		"target_type": "azurerm_log_analytics_workspace",
		"target_region": workspace_region,
	}],
}

test_trn_az_log_002_missing_categories_fire if {
	findings := logging.deny with input as testing.estate([subscription_setting(["Administrative"], "westeurope")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-LOG-002"
	contains(f.message, "Security")
	contains(f.message, "Policy")
}

test_trn_az_log_002_uk_workspace_fires if {
	findings := logging.deny with input as testing.estate([subscription_setting(["Administrative", "Security", "Policy"], "ukwest")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-LOG-002"
	contains(f.message, "ukwest")
}

test_trn_az_log_002_complete_export_passes if {
	findings := logging.deny with input as testing.estate([subscription_setting(["Administrative", "Security", "Policy", "Alert"], "westeurope")])
	count(findings) == 0
}

test_trn_az_log_002_subscription_without_export_fires if {
	findings := logging.deny with input as testing.estate([{
		"type": "azurerm_subscription",
		"name": "workload",
		"values": {"subscription_name": "workload"},
	}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-LOG-002"
	contains(f.message, "workload")
}

test_trn_az_log_002_exported_subscription_passes if {
	findings := logging.deny with input as testing.estate([
		{"type": "azurerm_subscription", "name": "workload", "values": {"subscription_id": "00000000-0000-0000-0000-000000000000"}},
		subscription_setting(["Administrative", "Security", "Policy"], "francecentral"),
	])
	count(findings) == 0
}
