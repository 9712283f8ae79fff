package terrane.pack.azure.transfer_test

import rego.v1

import data.terrane.pack.azure.pairs
import data.terrane.pack.azure.transfer
import data.terrane.testing

storage(region, replication) := {
	"type": "azurerm_storage_account",
	"name": "s",
	"region": region,
	"values": {"account_replication_type": replication, "cross_tenant_replication_enabled": false},
}

# The pair table

test_pairs_cover_the_european_regions if {
	every region in ["westeurope", "northeurope", "francecentral", "germanywestcentral", "swedencentral", "norwayeast", "switzerlandnorth", "uksouth", "ukwest", "italynorth", "polandcentral", "spaincentral"] {
		region in object.keys(pairs.pairs)
	}
}

test_pairs_name_known_regions if {
	every targets in pairs.pairs {
		every target in targets {
			target in object.keys(pairs.pairs)
		}
	}
}

# TRN-AZ-XFR-001

test_trn_az_xfr_001_grs_uk_pair_fires if {
	findings := transfer.deny with input as testing.estate([storage("uksouth", "GRS")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-XFR-001"
	not f.undecided
	contains(f.message, "ukwest")
	contains(f.message, "GRS")
}

test_trn_az_xfr_001_ragzrs_swiss_pair_fires if {
	findings := transfer.deny with input as testing.estate([storage("switzerlandnorth", "RAGZRS")])
	count(findings) == 1
	some f in findings
	contains(f.message, "switzerlandwest")
}

test_trn_az_xfr_001_grs_norway_pair_fires_in_eu if {
	findings := transfer.deny with input as testing.estate([storage("norwayeast", "GRS")])
	count(findings) == 1
	some f in findings
	contains(f.message, "norwaywest")
}

test_trn_az_xfr_001_grs_norway_pair_passes_in_eea if {
	findings := transfer.deny with input as testing.estate_in("EEA", [storage("norwayeast", "GRS")])
	count(findings) == 0
}

test_trn_az_xfr_001_grs_brazil_pair_fires_in_br if {
	findings := transfer.deny with input as testing.estate_in("BR", [storage("brazilsouth", "GRS")])
	count(findings) == 1
	some f in findings
	contains(f.message, "southcentralus")
}

test_trn_az_xfr_001_grs_uk_pair_passes_in_uk if {
	findings := transfer.deny with input as testing.estate_in("UK", [storage("uksouth", "RAGRS")])
	count(findings) == 0
}

test_trn_az_xfr_001_grs_west_europe_passes if {
	findings := transfer.deny with input as testing.estate([storage("West Europe", "GRS")])
	count(findings) == 0
}

test_trn_az_xfr_001_lrs_passes if {
	findings := transfer.deny with input as testing.estate([storage("uksouth", "LRS")])
	count(findings) == 0
}

test_trn_az_xfr_001_unpaired_region_undecided if {
	findings := transfer.deny with input as testing.estate([storage("italynorth", "GZRS")])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "italynorth")
}

test_trn_az_xfr_001_unknown_location_undecided if {
	findings := transfer.deny with input as testing.estate([storage("narnia", "GRS")])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "GRS")
}

test_trn_az_xfr_001_cross_tenant_replication_fires if {
	findings := transfer.deny with input as testing.estate([{
		"type": "azurerm_storage_account",
		"name": "s",
		"region": "westeurope",
		"values": {"account_replication_type": "LRS", "cross_tenant_replication_enabled": true},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "cross_tenant_replication_enabled is true")
}

# TRN-AZ-XFR-002

replication(target_region) := {
	"type": "azurerm_storage_object_replication",
	"name": "or",
	"values": {"destination_storage_account_id": "/subscriptions/x/dst"},
	"relations": [{
		"kind": "replication_target",
		"attribute": "destination_storage_account_id",
		"target": "azurerm_storage_account.dst",
		"target_type": "azurerm_storage_account",
		"target_region": target_region,
	}],
}

test_trn_az_xfr_002_uk_destination_fires if {
	findings := transfer.deny with input as testing.estate([replication("ukwest")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-XFR-002"
	contains(f.message, "ukwest")
	contains(f.message, "azurerm_storage_account.dst")
}

test_trn_az_xfr_002_eu_destination_passes if {
	findings := transfer.deny with input as testing.estate([replication("swedencentral")])
	count(findings) == 0
}

test_trn_az_xfr_002_destination_outside_estate_undecided if {
	findings := transfer.deny with input as testing.estate([{
		"type": "azurerm_storage_object_replication",
		"name": "or",
		"values": {"destination_storage_account_id": "/subscriptions/x/dst"},
	}])
	count(findings) == 1
	some f in findings
	f.undecided
}

# TRN-AZ-XFR-003

test_trn_az_xfr_003_uk_partner_server_fires if {
	findings := transfer.deny with input as testing.estate([{
		"type": "azurerm_mssql_failover_group",
		"name": "fog",
		"values": {"partner_server": [{"id": "/subscriptions/x/servers/b", "location": "UK South"}]},
	}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-XFR-003"
	contains(f.message, "UK South")
}

test_trn_az_xfr_003_partner_from_relation_fires if {
	findings := transfer.deny with input as testing.estate([{
		"type": "azurerm_mssql_failover_group",
		"name": "fog",
		"values": {"partner_server": [{"id": "/subscriptions/x/servers/b"}]},
		"unknown": ["partner_server.0.location"],
		"relations": [{
			"kind": "replication_target",
			"target": "azurerm_mssql_server.secondary",
			"target_type": "azurerm_mssql_server",
			"target_region": "switzerlandnorth",
		}],
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "azurerm_mssql_server.secondary")
	contains(f.message, "switzerlandnorth")
}

test_trn_az_xfr_003_eu_partner_passes if {
	findings := transfer.deny with input as testing.estate([{
		"type": "azurerm_mssql_failover_group",
		"name": "fog",
		"values": {"partner_server": [{"id": "/subscriptions/x/servers/b", "location": "northeurope"}]},
	}])
	count(findings) == 0
}

test_trn_az_xfr_003_unresolved_partner_undecided if {
	findings := transfer.deny with input as testing.estate([{
		"type": "azurerm_mssql_failover_group",
		"name": "fog",
		"values": {"partner_server": [{"id": "/subscriptions/x/servers/b"}]},
	}])
	count(findings) == 1
	some f in findings
	f.undecided
}

test_trn_az_xfr_003_managed_instance_partner_fires if {
	findings := transfer.deny with input as testing.estate([{
		"type": "azurerm_mssql_managed_instance_failover_group",
		"name": "fog",
		"values": {"partner_region": [{"location": "ukwest"}]},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "ukwest")
}

test_trn_az_xfr_003_geo_backup_of_brazil_database_fires if {
	findings := transfer.deny with input as testing.estate_in("BR", [{
		"type": "azurerm_mssql_database",
		"name": "db",
		"region": "brazilsouth",
		"values": {"storage_account_type": "Geo"},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "southcentralus")
}

test_trn_az_xfr_003_geo_backup_default_fires if {
	findings := transfer.deny with input as testing.estate([{"type": "azurerm_mssql_database", "name": "db", "region": "uksouth"}])
	some f in findings
	f.rule_id == "TRN-AZ-XFR-003"
	contains(f.message, "`Geo`")
	contains(f.message, "ukwest")
}

test_trn_az_xfr_003_local_backup_passes if {
	findings := transfer.deny with input as testing.estate([
		{"type": "azurerm_mssql_database", "name": "db", "region": "uksouth", "values": {"storage_account_type": "Local"}},
		{"type": "azurerm_mssql_database", "name": "eu", "region": "westeurope"},
		{"type": "azurerm_mssql_managed_instance", "name": "mi", "region": "francecentral"},
	])
	count(findings) == 0
}

test_trn_az_xfr_003_secondary_outside_fires if {
	findings := transfer.deny with input as testing.estate([{
		"type": "azurerm_mssql_database",
		"name": "replica",
		"region": "switzerlandnorth",
		"values": {"create_mode": "Secondary", "storage_account_type": "Local"},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "switzerlandnorth")
	contains(f.message, "geo-secondary")
}

test_trn_az_xfr_003_replicating_source_database_fires if {
	findings := transfer.deny with input as testing.estate([{
		"type": "azurerm_mssql_database",
		"name": "primary",
		"region": "westeurope",
		"values": {"storage_account_type": "Local"},
		"relations": [{
			"kind": "replication_target",
			"attribute": "creation_source_database_id",
			"target": "azurerm_mssql_database.replica",
			"target_type": "azurerm_mssql_database",
			"target_region": "uksouth",
		}],
	}])
	count(findings) == 1
	some f in findings
	f.address == "azurerm_mssql_database.primary"
	contains(f.message, "azurerm_mssql_database.replica")
	contains(f.message, "uksouth")
}

# TRN-AZ-XFR-004

test_trn_az_xfr_004_geo_vault_in_uk_fires if {
	findings := transfer.deny with input as testing.estate([{"type": "azurerm_recovery_services_vault", "name": "rsv", "region": "uksouth"}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-XFR-004"
	contains(f.message, "ukwest")
	contains(f.message, "GeoRedundant")
}

test_trn_az_xfr_004_cross_region_restore_in_switzerland_fires if {
	findings := transfer.deny with input as testing.estate([{
		"type": "azurerm_recovery_services_vault",
		"name": "rsv",
		"region": "switzerlandwest",
		"values": {"storage_mode_type": "GeoRedundant", "cross_region_restore_enabled": true},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "cross_region_restore_enabled")
	contains(f.message, "switzerlandnorth")
}

test_trn_az_xfr_004_geo_postgres_backup_unpaired_undecided if {
	findings := transfer.deny with input as testing.estate([{
		"type": "azurerm_postgresql_flexible_server",
		"name": "pg",
		"region": "polandcentral",
		"values": {"geo_redundant_backup_enabled": true},
	}])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "polandcentral")
}

test_trn_az_xfr_004_cosmos_geo_backup_fires if {
	findings := transfer.deny with input as testing.estate([{
		"type": "azurerm_cosmosdb_account",
		"name": "db",
		"region": "ukwest",
		"values": {"backup": [{"type": "Periodic", "storage_redundancy": "Geo"}]},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "uksouth")
}

test_trn_az_xfr_004_local_backups_pass if {
	findings := transfer.deny with input as testing.estate([
		{"type": "azurerm_recovery_services_vault", "name": "rsv", "region": "uksouth", "values": {"storage_mode_type": "LocallyRedundant"}},
		{"type": "azurerm_recovery_services_vault", "name": "eu", "region": "germanywestcentral", "values": {"storage_mode_type": "GeoRedundant"}},
		{"type": "azurerm_data_protection_backup_vault", "name": "bv", "region": "uksouth", "values": {"redundancy": "LocallyRedundant"}},
		{"type": "azurerm_mysql_flexible_server", "name": "my", "region": "uksouth", "values": {"geo_redundant_backup_enabled": false}},
		{"type": "azurerm_cosmosdb_account", "name": "db", "region": "uksouth", "values": {"backup": [{"type": "Continuous"}]}},
	])
	count(findings) == 0
}

test_trn_az_xfr_004_backup_vault_geo_fires if {
	findings := transfer.deny with input as testing.estate([{
		"type": "azurerm_data_protection_backup_vault",
		"name": "bv",
		"region": "UK West",
		"values": {"redundancy": "GeoRedundant"},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "uksouth")
}

# TRN-AZ-XFR-005

registry(locations) := {
	"type": "azurerm_container_registry",
	"name": "acr",
	"region": "westeurope",
	"values": {"sku": "Premium", "georeplications": [{"location": l} | some l in locations]},
}

test_trn_az_xfr_005_uk_replica_fires if {
	findings := transfer.deny with input as testing.estate([registry(["northeurope", "uksouth"])])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-XFR-005"
	contains(f.message, "uksouth")
}

test_trn_az_xfr_005_swiss_display_name_fires if {
	findings := transfer.deny with input as testing.estate([registry(["Switzerland North"])])
	count(findings) == 1
	some f in findings
	contains(f.message, "Switzerland North")
}

test_trn_az_xfr_005_eu_replicas_pass if {
	findings := transfer.deny with input as testing.estate([registry(["northeurope", "France Central"])])
	count(findings) == 0
}

test_trn_az_xfr_005_unknown_replica_undecided if {
	findings := transfer.deny with input as testing.estate([registry(["elsewhere"])])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "elsewhere")
}
