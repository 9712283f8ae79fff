package terrane.pack.azure.keys_test

import rego.v1

import data.terrane.pack.azure.keys
import data.terrane.testing

rule_findings(rule_id, resources) := {f | some f in found; f.rule_id == rule_id} if {
	found := keys.deny with input as testing.estate(resources)
}

cmk_block := [{"key_vault_key_id": "https://kv.vault.azure.net/keys/k", "user_assigned_identity_id": "id"}]

good_storage := {
	"type": "azurerm_storage_account",
	"name": "s",
	"region": "westeurope",
	"values": {
		"account_kind": "StorageV2",
		"customer_managed_key": cmk_block,
		"queue_encryption_key_type": "Account",
		"table_encryption_key_type": "Account",
	},
}

# TRN-AZ-KEY-001

test_trn_az_key_001_microsoft_managed_fires if {
	findings := rule_findings("TRN-AZ-KEY-001", [{"type": "azurerm_storage_account", "name": "s", "region": "westeurope"}])
	count(findings) == 1
	some f in findings
	contains(f.message, "no customer-managed key")
	contains(f.message, "queue_encryption_key_type is `Service`")
}

test_trn_az_key_001_table_service_key_fires if {
	findings := rule_findings("TRN-AZ-KEY-001", [object.union(good_storage, {"values": {"table_encryption_key_type": "Service"}})])
	count(findings) == 1
	some f in findings
	contains(f.message, "table_encryption_key_type is `Service`")
	not contains(f.message, "queue_encryption_key_type")
}

test_trn_az_key_001_cmk_passes if {
	findings := rule_findings("TRN-AZ-KEY-001", [good_storage])
	count(findings) == 0
}

test_trn_az_key_001_separate_cmk_resource_passes if {
	findings := rule_findings("TRN-AZ-KEY-001", [
		{
			"type": "azurerm_storage_account",
			"name": "s",
			"region": "westeurope",
			"values": {"queue_encryption_key_type": "Account", "table_encryption_key_type": "Account"},
		},
		{
			"type": "azurerm_storage_account_customer_managed_key",
			"name": "cmk",
			"values": {"key_vault_key_id": "https://kv.vault.azure.net/keys/k"},
			"relations": [{"kind": "configures", "target": "azurerm_storage_account.s", "target_type": "azurerm_storage_account"}],
		},
	])
	count(findings) == 0
}

test_trn_az_key_001_encryption_scope_fires if {
	findings := rule_findings("TRN-AZ-KEY-001", [{
		"type": "azurerm_storage_encryption_scope",
		"name": "scope",
		"values": {"source": "Microsoft.Storage"},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "Microsoft.Storage")
}

test_trn_az_key_001_encryption_scope_key_vault_passes if {
	findings := rule_findings("TRN-AZ-KEY-001", [{
		"type": "azurerm_storage_encryption_scope",
		"name": "scope",
		"values": {"source": "Microsoft.KeyVault", "key_vault_key_id": "https://kv.vault.azure.net/keys/k"},
	}])
	count(findings) == 0
}

# TRN-AZ-KEY-002

test_trn_az_key_002_service_managed_tde_fires if {
	findings := rule_findings("TRN-AZ-KEY-002", [{
		"type": "azurerm_mssql_server_transparent_data_encryption",
		"name": "tde",
		"values": {"server_id": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Sql/servers/db"},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "key_vault_key_id")
}

test_trn_az_key_002_server_without_protector_fires if {
	findings := rule_findings("TRN-AZ-KEY-002", [{"type": "azurerm_mssql_server", "name": "db", "region": "westeurope"}])
	count(findings) == 1
	some f in findings
	f.address == "azurerm_mssql_server.db"
	contains(f.message, "transparent_data_encryption_key_vault_key_id")
}

test_trn_az_key_002_key_vault_protector_passes if {
	findings := rule_findings("TRN-AZ-KEY-002", [
		{"type": "azurerm_mssql_server", "name": "db", "region": "westeurope"},
		{
			"type": "azurerm_mssql_server_transparent_data_encryption",
			"name": "tde",
			"values": {"key_vault_key_id": "https://kv.vault.azure.net/keys/k/1"},
			"relations": [{"kind": "configures", "target": "azurerm_mssql_server.db", "target_type": "azurerm_mssql_server"}],
		},
		{
			"type": "azurerm_mssql_managed_instance_transparent_data_encryption",
			"name": "mi",
			"unknown": ["managed_hsm_key_id"],
		},
	])
	count(findings) == 0
}

# TRN-AZ-KEY-003

test_trn_az_key_003_postgres_without_cmk_fires if {
	findings := rule_findings("TRN-AZ-KEY-003", [{"type": "azurerm_postgresql_flexible_server", "name": "pg", "region": "westeurope"}])
	count(findings) == 1
	some f in findings
	contains(f.message, "azurerm_postgresql_flexible_server")
}

test_trn_az_key_003_mysql_with_cmk_passes if {
	findings := rule_findings("TRN-AZ-KEY-003", [{
		"type": "azurerm_mysql_flexible_server",
		"name": "my",
		"region": "westeurope",
		"values": {"customer_managed_key": [{"key_vault_key_id": "https://kv.vault.azure.net/keys/k/1"}]},
	}])
	count(findings) == 0
}

# TRN-AZ-KEY-004

test_trn_az_key_004_single_encryption_set_fires if {
	findings := rule_findings("TRN-AZ-KEY-004", [{
		"type": "azurerm_disk_encryption_set",
		"name": "des",
		"values": {"encryption_type": "EncryptionAtRestWithCustomerKey"},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "EncryptionAtRestWithCustomerKey")
}

test_trn_az_key_004_cluster_and_disk_without_set_fire if {
	findings := rule_findings("TRN-AZ-KEY-004", [
		{"type": "azurerm_kubernetes_cluster", "name": "aks", "region": "westeurope"},
		{"type": "azurerm_managed_disk", "name": "d", "region": "westeurope"},
		{"type": "azurerm_linux_virtual_machine", "name": "vm", "region": "westeurope", "values": {"os_disk": [{"caching": "ReadWrite"}]}},
	])
	count(findings) == 3
	some f in findings
	f.address == "azurerm_kubernetes_cluster.aks"
	contains(f.message, "disk_encryption_set_id")
}

test_trn_az_key_004_double_encryption_passes if {
	findings := rule_findings("TRN-AZ-KEY-004", [
		{"type": "azurerm_disk_encryption_set", "name": "des", "values": {"encryption_type": "EncryptionAtRestWithPlatformAndCustomerKeys"}},
		{"type": "azurerm_kubernetes_cluster", "name": "aks", "region": "westeurope", "unknown": ["disk_encryption_set_id"]},
		{"type": "azurerm_managed_disk", "name": "d", "region": "westeurope", "values": {"disk_encryption_set_id": "/subscriptions/x/des"}},
		{"type": "azurerm_windows_virtual_machine", "name": "vm", "region": "westeurope", "values": {"os_disk": [{"disk_encryption_set_id": "/subscriptions/x/des"}]}},
	])
	count(findings) == 0
}

# TRN-AZ-KEY-005

test_trn_az_key_005_vault_without_cmk_fires if {
	findings := rule_findings("TRN-AZ-KEY-005", [{"type": "azurerm_recovery_services_vault", "name": "rsv", "region": "westeurope"}])
	count(findings) == 1
	some f in findings
	contains(f.message, "key_id")
}

test_trn_az_key_005_vault_with_cmk_passes if {
	findings := rule_findings("TRN-AZ-KEY-005", [{
		"type": "azurerm_recovery_services_vault",
		"name": "rsv",
		"region": "westeurope",
		"values": {"encryption": [{"key_id": "https://kv.vault.azure.net/keys/k", "infrastructure_encryption_enabled": true}]},
	}])
	count(findings) == 0
}

# TRN-AZ-KEY-006

test_trn_az_key_006_standard_vault_without_purge_protection_fires if {
	findings := rule_findings("TRN-AZ-KEY-006", [{
		"type": "azurerm_key_vault",
		"name": "kv",
		"region": "westeurope",
		"values": {"sku_name": "standard", "purge_protection_enabled": false},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "purge_protection_enabled is false")
	contains(f.message, "sku_name is `standard`")
}

test_trn_az_key_006_software_key_fires if {
	findings := rule_findings("TRN-AZ-KEY-006", [{"type": "azurerm_key_vault_key", "name": "k", "values": {"key_type": "RSA"}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "`RSA`")
}

test_trn_az_key_006_premium_vault_and_hsm_key_pass if {
	findings := rule_findings("TRN-AZ-KEY-006", [
		{"type": "azurerm_key_vault", "name": "kv", "region": "westeurope", "values": {"sku_name": "premium", "purge_protection_enabled": true}},
		{"type": "azurerm_key_vault_managed_hardware_security_module", "name": "hsm", "region": "westeurope", "values": {"purge_protection_enabled": true}},
		{"type": "azurerm_key_vault_key", "name": "k", "values": {"key_type": "RSA-HSM"}},
	])
	count(findings) == 0
}

# TRN-AZ-KEY-007

keyed_storage(key_region) := {
	"type": "azurerm_storage_account",
	"name": "s",
	"region": "westeurope",
	"relations": [{
		"kind": "encryption_key",
		"attribute": "customer_managed_key.0.key_vault_key_id",
		"target": "azurerm_key_vault_key.k",
		"target_type": "azurerm_key_vault_key",
		"target_region": key_region,
	}],
}

test_trn_az_key_007_uk_vault_fires if {
	findings := rule_findings("TRN-AZ-KEY-007", [keyed_storage("uksouth")])
	count(findings) == 1
	some f in findings
	not f.undecided
	contains(f.message, "uksouth")
	contains(f.message, "azurerm_key_vault_key.k")
}

test_trn_az_key_007_swiss_vault_fires if {
	findings := rule_findings("TRN-AZ-KEY-007", [keyed_storage("Switzerland North")])
	count(findings) == 1
	some f in findings
	contains(f.message, "switzerlandnorth")
}

test_trn_az_key_007_eu_vault_passes if {
	findings := rule_findings("TRN-AZ-KEY-007", [keyed_storage("northeurope")])
	count(findings) == 0
}

test_trn_az_key_007_norway_vault_passes_in_eea if {
	found := keys.deny with input as testing.estate_in("EEA", [keyed_storage("norwayeast")])
	count({f | some f in found; f.rule_id == "TRN-AZ-KEY-007"}) == 0
}

test_trn_az_key_007_disk_encryption_set_in_switzerland_fires if {
	findings := rule_findings("TRN-AZ-KEY-007", [{
		"type": "azurerm_managed_disk",
		"name": "d",
		"region": "westeurope",
		"values": {"disk_encryption_set_id": "/subscriptions/x/diskEncryptionSets/des"},
		"relations": [{
			"kind": "encryption_key",
			"attribute": "disk_encryption_set_id",
			"target": "azurerm_disk_encryption_set.des",
			"target_type": "azurerm_disk_encryption_set",
			"target_region": "switzerlandwest",
		}],
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "azurerm_disk_encryption_set.des")
	contains(f.message, "switzerlandwest")
}

test_trn_az_key_007_vault_outside_estate_undecided if {
	findings := rule_findings("TRN-AZ-KEY-007", [{
		"type": "azurerm_cosmosdb_account",
		"name": "db",
		"region": "westeurope",
		"relations": [{"kind": "encryption_key", "target": "https://other.vault.azure.net/keys/k"}],
	}])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "https://other.vault.azure.net/keys/k")
}

test_trn_az_key_007_unknown_vault_region_undecided if {
	findings := rule_findings("TRN-AZ-KEY-007", [keyed_storage("somewhere")])
	count(findings) == 1
	some f in findings
	f.undecided
}

# TRN-AZ-KEY-008

confidential_vm(size, os_disk) := {
	"type": "azurerm_linux_virtual_machine",
	"name": "vm",
	"region": "westeurope",
	"tags": {"data-classification": "confidential"},
	"values": {"size": size, "os_disk": [os_disk], "secure_boot_enabled": true, "vtpm_enabled": true},
}

test_trn_az_key_008_general_purpose_size_fires if {
	findings := rule_findings("TRN-AZ-KEY-008", [confidential_vm("Standard_D4s_v5", {"caching": "ReadWrite"})])
	count(findings) == 1
	some f in findings
	contains(f.message, "Standard_D4s_v5")
	contains(f.message, "security_encryption_type")
}

test_trn_az_key_008_confidential_size_passes if {
	findings := rule_findings("TRN-AZ-KEY-008", [
		confidential_vm("Standard_DC4as_v5", {"security_encryption_type": "DiskWithVMGuestState"}),
		{
			"type": "azurerm_windows_virtual_machine_scale_set",
			"name": "ss",
			"region": "westeurope",
			"tags": {"data-classification": "secret"},
			"values": {"sku": "Standard_EC8ads_v5", "os_disk": [{"security_encryption_type": "VMGuestStateOnly"}]},
		},
	])
	count(findings) == 0
}

test_trn_az_key_008_unclassified_vm_passes if {
	findings := rule_findings("TRN-AZ-KEY-008", [object.union(confidential_vm("Standard_D4s_v5", {}), {"tags": {"data-classification": "internal"}})])
	count(findings) == 0
}

# TRN-AZ-KEY-009

test_trn_az_key_009_no_trusted_launch_fires if {
	findings := rule_findings("TRN-AZ-KEY-009", [{"type": "azurerm_windows_virtual_machine", "name": "vm", "region": "westeurope", "values": {"secure_boot_enabled": true}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "vtpm_enabled")
	not contains(f.message, "secure_boot_enabled not")
}

test_trn_az_key_009_trusted_launch_passes if {
	findings := rule_findings("TRN-AZ-KEY-009", [{
		"type": "azurerm_linux_virtual_machine_scale_set",
		"name": "ss",
		"region": "westeurope",
		"values": {"secure_boot_enabled": true, "vtpm_enabled": true},
	}])
	count(findings) == 0
}
