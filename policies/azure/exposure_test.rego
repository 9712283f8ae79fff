package terrane.pack.azure.exposure_test

import rego.v1

import data.terrane.pack.azure.exposure
import data.terrane.testing

locked_storage := {
	"type": "azurerm_storage_account",
	"name": "s",
	"region": "westeurope",
	"values": {
		"public_network_access_enabled": false,
		"allow_nested_items_to_be_public": false,
		"shared_access_key_enabled": false,
	},
}

# TRN-AZ-PUB-001

test_trn_az_pub_001_defaults_fire if {
	findings := exposure.deny with input as testing.estate([{"type": "azurerm_storage_account", "name": "s", "region": "westeurope"}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-PUB-001"
	contains(f.message, "public_network_access_enabled is true")
	contains(f.message, "allow_nested_items_to_be_public is true")
	contains(f.message, "shared_access_key_enabled is true")
}

test_trn_az_pub_001_shared_key_only_fires if {
	findings := exposure.deny with input as testing.estate([object.union(locked_storage, {"values": {"shared_access_key_enabled": true}})])
	count(findings) == 1
	some f in findings
	contains(f.message, "shared_access_key_enabled is true")
	not contains(f.message, "public_network_access_enabled")
}

test_trn_az_pub_001_locked_passes if {
	findings := exposure.deny with input as testing.estate([locked_storage])
	count(findings) == 0
}

test_trn_az_pub_001_default_deny_rules_pass if {
	findings := exposure.deny with input as testing.estate([
		{
			"type": "azurerm_storage_account",
			"name": "s",
			"region": "westeurope",
			"values": {"allow_nested_items_to_be_public": false, "shared_access_key_enabled": false},
		},
		{
			"type": "azurerm_storage_account_network_rules",
			"name": "acl",
			"values": {"default_action": "Deny"},
			"relations": [{"kind": "configures", "target": "azurerm_storage_account.s", "target_type": "azurerm_storage_account"}],
		},
	])
	count(findings) == 0
}

test_trn_az_pub_001_inline_allow_rules_fire if {
	findings := exposure.deny with input as testing.estate([object.union(locked_storage, {"values": {
		"public_network_access_enabled": true,
		"network_rules": [{"default_action": "Allow"}],
	}})])
	count(findings) == 1
	some f in findings
	contains(f.message, "public_network_access_enabled is true")
}

test_trn_az_pub_001_unknown_undecided if {
	findings := exposure.deny with input as testing.estate([{
		"type": "azurerm_storage_account",
		"name": "s",
		"region": "westeurope",
		"values": {"allow_nested_items_to_be_public": false, "shared_access_key_enabled": false},
		"unknown": ["public_network_access_enabled"],
	}])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "public_network_access_enabled")
}

# TRN-AZ-PUB-002

test_trn_az_pub_002_sql_default_fires if {
	findings := exposure.deny with input as testing.estate([{"type": "azurerm_mssql_server", "name": "db", "region": "westeurope"}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-PUB-002"
	contains(f.message, "public_network_access_enabled is true")
	contains(f.message, "azurerm_mssql_server")
}

test_trn_az_pub_002_data_factory_fires if {
	findings := exposure.deny with input as testing.estate([{"type": "azurerm_data_factory", "name": "adf", "region": "westeurope", "values": {"public_network_enabled": true}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "public_network_enabled")
}

test_trn_az_pub_002_managed_instance_public_endpoint_fires if {
	findings := exposure.deny with input as testing.estate([{"type": "azurerm_mssql_managed_instance", "name": "mi", "region": "westeurope", "values": {"public_data_endpoint_enabled": true}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "public_data_endpoint_enabled")
}

test_trn_az_pub_002_private_services_pass if {
	findings := exposure.deny with input as testing.estate([
		{"type": "azurerm_mssql_server", "name": "db", "region": "westeurope", "values": {"public_network_access_enabled": false}},
		{"type": "azurerm_cosmosdb_account", "name": "c", "region": "westeurope", "values": {"public_network_access_enabled": false}},
		{"type": "azurerm_key_vault", "name": "kv", "region": "westeurope", "values": {"network_acls": [{"default_action": "Deny", "bypass": "AzureServices"}]}},
		{"type": "azurerm_mssql_managed_instance", "name": "mi", "region": "westeurope"},
	])
	count(findings) == 0
}

test_trn_az_pub_002_unknown_undecided if {
	findings := exposure.deny with input as testing.estate([{"type": "azurerm_redis_cache", "name": "r", "region": "westeurope", "unknown": ["public_network_access_enabled"]}])
	count(findings) == 1
	some f in findings
	f.undecided
}
