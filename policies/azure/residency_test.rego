package terrane.pack.azure.residency_test

import rego.v1

import data.terrane.pack.azure.residency
import data.terrane.testing

storage(name, region) := {"type": "azurerm_storage_account", "name": name, "region": region}

# TRN-AZ-RES-001

test_trn_az_res_001_uksouth_fires if {
	findings := residency.deny with input as testing.estate([storage("s", "uksouth")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-RES-001"
	f.address == "azurerm_storage_account.s"
	contains(f.message, "uksouth")
	not f.undecided
}

test_trn_az_res_001_ukwest_fires if {
	findings := residency.deny with input as testing.estate([storage("s", "ukwest")])
	count(findings) == 1
	some f in findings
	contains(f.message, "ukwest")
}

test_trn_az_res_001_switzerlandnorth_fires if {
	findings := residency.deny with input as testing.estate([storage("s", "switzerlandnorth")])
	count(findings) == 1
	some f in findings
	contains(f.message, "switzerlandnorth")
	contains(f.message, "EU")
}

test_trn_az_res_001_norwayeast_in_eu_fires if {
	findings := residency.deny with input as testing.estate([storage("s", "norwayeast")])
	count(findings) == 1
	some f in findings
	contains(f.message, "norwayeast")
}

test_trn_az_res_001_norwayeast_in_eea_passes if {
	findings := residency.deny with input as testing.estate_in("EEA", [storage("s", "norwayeast")])
	count(findings) == 0
}

test_trn_az_res_001_display_name_passes if {
	findings := residency.deny with input as testing.estate([storage("s", "West Europe")])
	count(findings) == 0
}

test_trn_az_res_001_display_name_outside_fires if {
	findings := residency.deny with input as testing.estate([storage("s", "UK South")])
	count(findings) == 1
	some f in findings
	contains(f.message, "UK South")
}

test_trn_az_res_001_germany_passes if {
	findings := residency.deny with input as testing.estate([storage("s", "germanywestcentral")])
	count(findings) == 0
}

test_trn_az_res_001_uksouth_in_uk_passes if {
	findings := residency.deny with input as testing.estate_in("UK", [storage("s", "uksouth")])
	count(findings) == 0
}

test_trn_az_res_001_westeurope_in_uk_fires if {
	findings := residency.deny with input as testing.estate_in("UK", [storage("s", "westeurope")])
	count(findings) == 1
	some f in findings
	contains(f.message, "westeurope")
	contains(f.message, "UK")
}

test_trn_az_res_001_unknown_region_undecided if {
	findings := residency.deny with input as testing.estate([storage("s", "atlantiscentral")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-RES-001"
	f.undecided
	startswith(f.message, "cannot decide residency")
}

test_trn_az_res_001_location_unknown_until_apply_undecided if {
	findings := residency.deny with input as testing.estate([{
		"type": "azurerm_linux_virtual_machine",
		"name": "vm",
		"unknown": ["location"],
	}])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "unknown until apply")
}

test_trn_az_res_001_global_on_regional_type_fires if {
	findings := residency.deny with input as testing.estate([storage("s", "global")])
	count(findings) == 1
	some f in findings
	contains(f.message, "global")
	contains(f.message, "azurerm_storage_account")
}

test_trn_az_res_001_global_front_door_passes if {
	findings := residency.deny with input as testing.estate([
		{"type": "azurerm_cdn_frontdoor_profile", "name": "fd", "region": "global"},
		{"type": "azurerm_traffic_manager_profile", "name": "tm", "region": "global"},
		{"type": "azurerm_dns_zone", "name": "z", "region": "global"},
	])
	count(findings) == 0
}

test_trn_az_res_001_global_private_dns_resolver_fires if {
	findings := residency.deny with input as testing.estate([{"type": "azurerm_private_dns_resolver", "name": "r", "region": "global"}])
	count(findings) == 1
	some f in findings
	contains(f.message, "azurerm_private_dns_resolver")
}

test_trn_az_res_001_no_location_passes if {
	findings := residency.deny with input as testing.estate([{"type": "azurerm_role_assignment", "name": "ra"}])
	count(findings) == 0
}

test_trn_az_res_001_inherited_region_is_judged_through_parent if {
	findings := residency.deny with input as testing.estate([{
		"type": "azurerm_storage_container",
		"name": "c",
		"region": "uksouth",
		"region_origin": "parent azurerm_storage_account.s",
	}])
	count(findings) == 0
}

test_trn_az_res_001_data_source_passes if {
	findings := residency.deny with input as testing.estate([{
		"type": "azurerm_storage_account",
		"name": "existing",
		"mode": "data",
		"region": "uksouth",
	}])
	count(findings) == 0
}

# TRN-AZ-RES-002

test_trn_az_res_002_uksouth_fires if {
	findings := residency.deny with input as testing.estate([{"type": "azurerm_resource_group", "name": "rg", "region": "uksouth"}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-RES-002"
	contains(f.message, "uksouth")
}

test_trn_az_res_002_switzerlandwest_fires if {
	findings := residency.deny with input as testing.estate([{"type": "azurerm_resource_group", "name": "rg", "region": "switzerlandwest"}])
	count(findings) == 1
	some f in findings
	contains(f.message, "switzerlandwest")
}

test_trn_az_res_002_francecentral_passes if {
	findings := residency.deny with input as testing.estate([{"type": "azurerm_resource_group", "name": "rg", "region": "France Central"}])
	count(findings) == 0
}

test_trn_az_res_002_unknown_undecided if {
	findings := residency.deny with input as testing.estate([{"type": "azurerm_resource_group", "name": "rg", "region": "moon"}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-RES-002"
	f.undecided
}

# TRN-AZ-RES-003

cosmos(locations) := {
	"type": "azurerm_cosmosdb_account",
	"name": "db",
	"region": "westeurope",
	"values": {"geo_location": [{"location": l, "failover_priority": i} | some i, l in locations]},
}

test_trn_az_res_003_uk_replica_fires if {
	findings := residency.deny with input as testing.estate([cosmos(["westeurope", "uksouth"])])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-RES-003"
	contains(f.message, "uksouth")
}

test_trn_az_res_003_display_name_replica_fires if {
	findings := residency.deny with input as testing.estate([cosmos(["westeurope", "Switzerland North"])])
	count(findings) == 1
	some f in findings
	contains(f.message, "Switzerland North")
}

test_trn_az_res_003_eu_replicas_pass if {
	findings := residency.deny with input as testing.estate([cosmos(["westeurope", "North Europe", "swedencentral"])])
	count(findings) == 0
}

# A new account's replicas each have an `id` known only after apply; that must not make
# their locations undecided.
test_trn_az_res_003_unknown_replica_ids_pass if {
	account := object.union(cosmos(["westeurope", "germanywestcentral"]), {"unknown": ["geo_location.0.id", "geo_location.1.id"]})
	findings := residency.deny with input as testing.estate([account])
	count(findings) == 0
}

test_trn_az_res_003_unknown_replica_location_undecided if {
	account := object.union(cosmos(["westeurope"]), {"unknown": ["geo_location.1.location"]})
	findings := residency.deny with input as testing.estate([account])
	count(findings) == 1
	some f in findings
	f.undecided == true
}

test_trn_az_res_003_norway_replica_passes_in_eea if {
	findings := residency.deny with input as testing.estate_in("EEA", [cosmos(["westeurope", "norwayeast"])])
	count(findings) == 0
}

test_trn_az_res_003_unknown_replica_undecided if {
	findings := residency.deny with input as testing.estate([cosmos(["westeurope", "nowhere"])])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "nowhere")
}

# TRN-AZ-RES-004

communication(location) := {
	"type": "azurerm_communication_service",
	"name": "acs",
	"values": {"data_location": location},
}

test_trn_az_res_004_united_states_fires if {
	findings := residency.deny with input as testing.estate([communication("United States")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-RES-004"
	contains(f.message, "United States")
}

test_trn_az_res_004_uk_fires_in_eu if {
	findings := residency.deny with input as testing.estate([communication("UK")])
	count(findings) == 1
	some f in findings
	contains(f.message, "`UK`")
}

test_trn_az_res_004_europe_passes if {
	findings := residency.deny with input as testing.estate([
		communication("Europe"),
		{"type": "azurerm_email_communication_service", "name": "mail", "values": {"data_location": "Germany"}},
	])
	count(findings) == 0
}

test_trn_az_res_004_europe_fires_for_germany if {
	findings := residency.deny with input as testing.estate_in("DE", [communication("Europe")])
	count(findings) == 1
	some f in findings
	contains(f.message, "Europe")
}

test_trn_az_res_004_unknown_geography_undecided if {
	findings := residency.deny with input as testing.estate([communication("Atlantis")])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "Atlantis")
}

test_trn_az_res_004_global_maps_fires if {
	findings := residency.deny with input as testing.estate([{"type": "azurerm_maps_account", "name": "maps", "region": "global"}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-RES-004"
	contains(f.message, "global")
}

test_trn_az_res_004_regional_maps_passes if {
	findings := residency.deny with input as testing.estate([{"type": "azurerm_maps_account", "name": "maps", "region": "westeurope"}])
	count(findings) == 0
}

# TRN-AZ-RES-005

baseline := "/providers/Microsoft.Authorization/policySetDefinitions/c1cbff38-87c0-4b9f-9f70-035c7a3b5523"

assignment(values) := {
	"type": "azurerm_management_group_policy_assignment",
	"name": "residency",
	"region": "westeurope",
	"values": object.union({"policy_definition_id": baseline, "enforce": true}, values),
	"relations": [{"kind": "reference", "target": "azurerm_management_group.root", "target_type": "azurerm_management_group"}],
}

root_group := {"type": "azurerm_management_group", "name": "root", "values": {"display_name": "Root"}}

allowed(locations, effect) := json.marshal({
	"listOfAllowedLocations": {"value": locations},
	"effect": {"value": effect},
})

test_trn_az_res_005_uk_in_allowed_list_fires if {
	findings := residency.deny with input as testing.estate([
		root_group,
		assignment({"parameters": allowed(["westeurope", "uksouth"], "Deny")}),
	])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-RES-005"
	contains(f.message, "uksouth")
}

test_trn_az_res_005_audit_effect_fires if {
	findings := residency.deny with input as testing.estate([
		root_group,
		assignment({"parameters": allowed(["westeurope"], "Audit")}),
	])
	count(findings) == 1
	some f in findings
	contains(f.message, "Audit")
}

test_trn_az_res_005_not_enforced_fires if {
	findings := residency.deny with input as testing.estate([
		root_group,
		assignment({"parameters": allowed(["westeurope"], "Deny"), "enforce": false}),
	])
	count(findings) == 1
	some f in findings
	contains(f.message, "enforce is false")
}

test_trn_az_res_005_eu_locations_pass if {
	findings := residency.deny with input as testing.estate([
		root_group,
		assignment({"parameters": allowed(["westeurope", "northeurope", "germanywestcentral"], "Deny")}),
	])
	count(findings) == 0
}

test_trn_az_res_005_parameters_as_object_pass if {
	findings := residency.deny with input as testing.estate([
		root_group,
		assignment({"parameters": {"listOfAllowedLocations": {"value": ["swedencentral"]}}}),
	])
	count(findings) == 0
}

test_trn_az_res_005_unguarded_root_group_fires if {
	findings := residency.deny with input as testing.estate([root_group])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-RES-005"
	f.address == "azurerm_management_group.root"
	contains(f.message, "root")
}

test_trn_az_res_005_child_group_needs_no_assignment if {
	findings := residency.deny with input as testing.estate([
		root_group,
		assignment({"parameters": allowed(["westeurope"], "Deny")}),
		{
			"type": "azurerm_management_group",
			"name": "workloads",
			"relations": [{"kind": "reference", "target": "azurerm_management_group.root", "target_type": "azurerm_management_group"}],
		},
	])
	count(findings) == 0
}

test_trn_az_res_005_unknown_location_undecided if {
	findings := residency.deny with input as testing.estate([
		root_group,
		assignment({"parameters": allowed(["westeurope", "lunarnorth"], "Deny")}),
	])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "lunarnorth")
}

test_trn_az_res_005_other_policy_is_ignored if {
	findings := residency.deny with input as testing.estate([{
		"type": "azurerm_subscription_policy_assignment",
		"name": "tags",
		"values": {
			"policy_definition_id": "/providers/Microsoft.Authorization/policyDefinitions/871b6d14-10aa-478d-b590-94f262ecfa99",
			"parameters": allowed(["uksouth"], "Audit"),
		},
	}])
	count(findings) == 0
}

# TRN-AZ-RES-006

test_trn_az_res_006_confidential_front_door_fires if {
	findings := residency.deny with input as testing.estate([{
		"type": "azurerm_cdn_frontdoor_profile",
		"name": "fd",
		"region": "global",
		"tags": {"Data-Classification": "Confidential"},
	}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-RES-006"
	contains(f.message, "confidential")
	contains(f.message, "azurerm_cdn_frontdoor_profile")
}

test_trn_az_res_006_tag_in_values_fires if {
	findings := residency.deny with input as testing.estate([{
		"type": "azurerm_traffic_manager_profile",
		"name": "tm",
		"region": "global",
		"values": {"tags": {"data-classification": "restricted"}},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "restricted")
}

test_trn_az_res_006_public_front_door_passes if {
	findings := residency.deny with input as testing.estate([{
		"type": "azurerm_cdn_frontdoor_profile",
		"name": "fd",
		"region": "global",
		"tags": {"data-classification": "public"},
	}])
	count(findings) == 0
}

test_trn_az_res_006_confidential_regional_resource_passes if {
	findings := residency.deny with input as testing.estate([{
		"type": "azurerm_storage_account",
		"name": "s",
		"region": "westeurope",
		"tags": {"data-classification": "confidential"},
	}])
	count(findings) == 0
}

test_trn_az_res_006_outside_confidential_locations_fires if {
	findings := residency.deny with input as testing.estate([{
		"type": "azurerm_linux_virtual_machine",
		"name": "vm",
		"region": "francecentral",
		"tags": {"data-classification": "confidential"},
	}])
		with data.terrane.config as {"azure_confidential_locations": ["West Europe", "northeurope"]}
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-RES-006"
	contains(f.message, "francecentral")
	contains(f.message, "West Europe")
}

test_trn_az_res_006_inside_confidential_locations_passes if {
	findings := residency.deny with input as testing.estate([
		{"type": "azurerm_linux_virtual_machine", "name": "vm", "region": "westeurope", "tags": {"data-classification": "confidential"}},
		{"type": "azurerm_linux_virtual_machine", "name": "public", "region": "francecentral", "tags": {"data-classification": "public"}},
	])
		with data.terrane.config as {"azure_confidential_locations": ["West Europe", "northeurope"]}
	count(findings) == 0
}
