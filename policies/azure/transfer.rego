# Copies of Azure data: replication, geo-redundancy, failover partners and registry replicas
# must all stay inside the jurisdiction. These rules invert the usual resilience checks:
# geo-redundancy is fine only when the region that receives the copy is inside.
package terrane.pack.azure.transfer

import rego.v1

import data.terrane.lib
import data.terrane.pack.azure.pairs

rules["TRN-AZ-XFR-001"] := {
	"title": "Geo-redundant storage only when the paired region is in the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"`GRS`, `RAGRS`, `GZRS` and `RAGZRS` storage accounts keep a copy of every object in the paired region of their location.",
		"That copy is a transfer: geo-redundancy is accepted only when the paired region is inside the jurisdiction (West Europe and North Europe for the EU, but UK South pairs with UK West and Brazil South with South Central US).",
		"Regions without a pair, or whose pair is not known, make the finding undecided.",
		"Cross-tenant object replication (`cross_tenant_replication_enabled`) must stay off, since it lets a tenant outside the customer's control receive the data.",
	]),
	"remediation": "Use `account_replication_type = \"LRS\"` or `\"ZRS\"` when the paired region is outside the jurisdiction, or place the account in a region whose pair is inside it; set `cross_tenant_replication_enabled = false`.",
	"resource_types": ["azurerm_storage_account"],
	"controls": [
		"AZP:92a89a79-6c52-4a7e-a03f-61306fc49312",
		"AZP:bf045164-79ba-4215-8f95-f8048dc1780b",
		"CKV_AZURE_206",
		"PR:storage_cross_tenant_replication_disabled",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-XFR-002"] := {
	"title": "Object replication targets accounts inside the jurisdiction",
	"severity": "high",
	"description": "Storage object replication copies blobs to the destination account. The destination account must be in a region inside the jurisdiction; when it is not part of the estate its location cannot be read from its id, and the finding is undecided.",
	"remediation": "Point `destination_storage_account_id` at an account located inside the jurisdiction and declare it in the same configuration so that its location can be checked.",
	"resource_types": ["azurerm_storage_object_replication"],
	"controls": ["AZP:92a89a79-6c52-4a7e-a03f-61306fc49312", "C5:PSS-12"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-XFR-003"] := {
	"title": "SQL failover partners, geo-secondaries and geo-redundant backups stay inside the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"Failover groups (`azurerm_mssql_failover_group`, `azurerm_mssql_managed_instance_failover_group`) replicate every database to the partner, which must be located inside the jurisdiction.",
		"Geo-secondary databases (`create_mode` `Secondary` or `OnlineSecondary`) must be inside it too; a database whose secondary is in the estate is judged through that secondary's location.",
		"Backup storage redundancy `Geo`/`GeoZone` on databases (the default) and `GRS`/`GZRS` on managed instances (the default) copy backups to the paired region, which must be inside the jurisdiction.",
		"Partners whose location cannot be read, and regions without a known pair, make the finding undecided.",
	]),
	"remediation": "Choose a partner server or managed instance located inside the jurisdiction, and set `storage_account_type = \"Local\"` or `\"Zone\"` on databases (`\"LRS\"`/`\"ZRS\"` on managed instances) when the paired region is outside it.",
	"resource_types": [
		"azurerm_mssql_failover_group",
		"azurerm_mssql_managed_instance_failover_group",
		"azurerm_mssql_database",
		"azurerm_mssql_managed_instance",
	],
	"controls": ["C5:PSS-12"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-XFR-004"] := {
	"title": "Geo-redundant backups only when the paired region is in the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"Recovery Services vaults with `storage_mode_type = \"GeoRedundant\"` (the default, and required by `cross_region_restore_enabled`), Data Protection backup vaults with `redundancy = \"GeoRedundant\"`, PostgreSQL and MySQL flexible servers with `geo_redundant_backup_enabled = true`, and Cosmos DB accounts with periodic backups on `Geo` storage redundancy (the default) copy backups to the paired region.",
		"This is accepted only when the paired region is inside the jurisdiction; regions without a known pair make the finding undecided.",
	]),
	"remediation": "Use `storage_mode_type = \"LocallyRedundant\"` or `\"ZoneRedundant\"` (and `cross_region_restore_enabled = false`), `redundancy = \"LocallyRedundant\"`, `geo_redundant_backup_enabled = false`, or `backup { type = \"Periodic\", storage_redundancy = \"Local\" }` when the paired region is outside the jurisdiction.",
	"resource_types": [
		"azurerm_recovery_services_vault",
		"azurerm_data_protection_backup_vault",
		"azurerm_postgresql_flexible_server",
		"azurerm_mysql_flexible_server",
		"azurerm_cosmosdb_account",
	],
	"controls": ["CKV_AZURE_94", "CKV_AZURE_102", "CKV_AZURE_136", "C5:PSS-12"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-XFR-005"] := {
	"title": "Container registry replicas stay inside the jurisdiction",
	"severity": "high",
	"description": "Each `georeplications` block of a Premium container registry holds a full copy of its images and artifacts; every replica location must be inside the jurisdiction. Locations that cannot be resolved make the finding undecided.",
	"remediation": "Remove `georeplications` blocks whose `location` is outside the jurisdiction.",
	"resource_types": ["azurerm_container_registry"],
	"controls": ["CKV_AZURE_165", "C5:PSS-12"],
	"modes": ["plan", "state", "hcl", "live"],
}

jurisdiction := input.jurisdiction.id

countries(loc) := concat("/", object.get(loc, "countries", []))

reason(loc) := object.get(loc, "reason", "the location is not in the region catalog") if object.get(loc, "reason", null) != null

reason(loc) := "the location is not in the region catalog" if object.get(loc, "reason", null) == null

# Geo-redundancy: where the copies of a resource's data go.

locatable(r) if {
	r.location.status in {"inside", "outside"}
	is_string(r.location.region)
}

home_region(r) := lower(replace(r.location.region, " ", ""))

paired_locations(r) := [{"region": region, "location": lib.locate("azure", region)} |
	some region in pairs.pairs[home_region(r)]
]

# A verdict on where the geo-redundant copy of `r` goes, or undefined when every copy stays
# inside the jurisdiction. `undecided` is true when the rule cannot tell, and `why` says why
# or, for a violation, which paired region receives the copy.
geo_verdict(r) := {"undecided": true, "why": reason(r.location)} if {
	not locatable(r)
}

geo_verdict(r) := {"undecided": true, "why": sprintf("region `%s` has no known pair", [home_region(r)])} if {
	locatable(r)
	not home_region(r) in object.keys(pairs.pairs)
}

geo_verdict(r) := {"undecided": true, "why": sprintf("region `%s` has no paired region", [home_region(r)])} if {
	locatable(r)
	count(pairs.pairs[home_region(r)]) == 0
}

geo_verdict(r) := {"undecided": false, "why": concat(", ", outside)} if {
	locatable(r)
	outside := [sprintf("`%s` (%s)", [p.region, countries(p.location)]) |
		some p in paired_locations(r)
		p.location.status == "outside"
	]
	count(outside) > 0
}

geo_verdict(r) := {"undecided": true, "why": sprintf("paired region %s is not in the region catalog", [concat(", ", unresolved)])} if {
	locatable(r)
	count([p | some p in paired_locations(r); p.location.status == "outside"]) == 0
	unresolved := [sprintf("`%s`", [p.region]) |
		some p in paired_locations(r)
		p.location.status != "inside"
	]
	count(unresolved) > 0
}

# The finding for a geo-redundancy verdict; `what` names the setting that makes the copy.
geo_finding(rule_id, r, what, verdict) := lib.finding(rule_id, r, sprintf(
	"%s copies data to paired region %s, outside %s; expected locally or zone-redundant storage, or a region whose pair is inside %s",
	[what, verdict.why, jurisdiction, jurisdiction],
)) if {
	not verdict.undecided
}

geo_finding(rule_id, r, what, verdict) := lib.undecided_finding(rule_id, r, sprintf(
	"cannot decide where the geo-redundant copy of %s goes: %s",
	[what, verdict.why],
)) if {
	verdict.undecided
}

# A location object in messages: its region and countries.
where(loc) := sprintf("`%s` (%s)", [loc.region, countries(loc)]) if is_string(object.get(loc, "region", null))

where(loc) := sprintf("(%s)", [countries(loc)]) if not is_string(object.get(loc, "region", null))

# A location string judged as a copy destination: a violation, an undecided finding, or
# undefined when it is inside.
copy_finding(rule_id, r, label, raw) := lib.finding(rule_id, r, sprintf(
	"%s `%s` (%s) is outside %s, expected every copy inside %s",
	[label, raw, countries(loc), jurisdiction, jurisdiction],
)) if {
	loc := lib.locate("azure", raw)
	loc.status in {"outside", "global"}
}

copy_finding(rule_id, r, label, raw) := lib.undecided_finding(rule_id, r, sprintf(
	"cannot decide residency of %s `%s`: %s",
	[label, raw, reason(loc)],
)) if {
	loc := lib.locate("azure", raw)
	loc.status == "unknown"
}

# A copy destination given by a relation: judged through the relation's target location.
relation_finding(rule_id, r, label, rel) := lib.finding(rule_id, r, sprintf(
	"%s `%s` is in %s, outside %s, expected every copy inside %s",
	[label, rel.target, where(rel.target_location), jurisdiction, jurisdiction],
)) if {
	is_object(rel.target_location)
	rel.target_location.status in {"outside", "global"}
}

relation_finding(rule_id, r, label, rel) := lib.undecided_finding(rule_id, r, sprintf(
	"cannot decide where %s `%s` lives: %s",
	[label, rel.target, reason(rel.target_location)],
)) if {
	is_object(rel.target_location)
	rel.target_location.status == "unknown"
}

relation_finding(rule_id, r, label, rel) := lib.undecided_finding(rule_id, r, sprintf(
	"cannot decide where %s `%s` lives: it is not part of the estate",
	[label, rel.target],
)) if {
	not is_object(rel.target_location)
}

# TRN-AZ-XFR-001

geo_storage := {"GRS", "RAGRS", "GZRS", "RAGZRS"}

deny contains f if {
	some r in lib.resources("azurerm_storage_account")
	kind := lib.value(r, "account_replication_type", null)
	is_string(kind)
	upper(kind) in geo_storage
	verdict := geo_verdict(r)
	f := geo_finding("TRN-AZ-XFR-001", r, sprintf("account_replication_type `%s`", [kind]), verdict)
}

deny contains f if {
	some r in lib.resources("azurerm_storage_account")
	lib.unknown(r, "account_replication_type")
	f := lib.undecided_finding("TRN-AZ-XFR-001", r, "cannot decide where copies go: account_replication_type is unknown until apply")
}

deny contains f if {
	some r in lib.resources("azurerm_storage_account")
	lib.enabled(r, "cross_tenant_replication_enabled")
	f := lib.finding("TRN-AZ-XFR-001", r, "cross_tenant_replication_enabled is true, so objects can be replicated to another tenant; expected false")
}

# TRN-AZ-XFR-002

deny contains f if {
	some r in lib.resources("azurerm_storage_object_replication")
	some rel in lib.relations(r, "replication_target")
	f := relation_finding("TRN-AZ-XFR-002", r, "destination account", rel)
}

deny contains f if {
	some r in lib.resources("azurerm_storage_object_replication")
	count(lib.relations(r, "replication_target")) == 0
	lib.present(r, "destination_storage_account_id")
	f := lib.undecided_finding("TRN-AZ-XFR-002", r, "cannot decide where the destination account lives: destination_storage_account_id does not resolve to a resource of the estate")
}

# TRN-AZ-XFR-003

secondary_modes := {"Secondary", "OnlineSecondary"}

partner_locations(r) := [raw |
	some partner in lib.value(r, "partner_server", [])
	raw := object.get(partner, "location", null)
	is_string(raw)
	raw != ""
]

deny contains f if {
	some r in lib.resources("azurerm_mssql_failover_group")
	some raw in partner_locations(r)
	f := copy_finding("TRN-AZ-XFR-003", r, "partner server location", raw)
}

deny contains f if {
	some r in lib.resources("azurerm_mssql_failover_group")
	count(partner_locations(r)) == 0
	some rel in lib.relations(r, "replication_target")
	f := relation_finding("TRN-AZ-XFR-003", r, "partner server", rel)
}

deny contains f if {
	some r in lib.resources("azurerm_mssql_failover_group")
	count(partner_locations(r)) == 0
	count(lib.relations(r, "replication_target")) == 0
	f := lib.undecided_finding("TRN-AZ-XFR-003", r, "cannot decide where the partner server lives: partner_server does not resolve to a resource of the estate")
}

managed_partner_location(r) := raw if {
	raw := lib.value(r, "partner_region.0.location", null)
	is_string(raw)
	raw != ""
}

deny contains f if {
	some r in lib.resources("azurerm_mssql_managed_instance_failover_group")
	f := copy_finding("TRN-AZ-XFR-003", r, "partner managed instance location", managed_partner_location(r))
}

deny contains f if {
	some r in lib.resources("azurerm_mssql_managed_instance_failover_group")
	not managed_partner_location(r)
	some rel in lib.relations(r, "replication_target")
	f := relation_finding("TRN-AZ-XFR-003", r, "partner managed instance", rel)
}

deny contains f if {
	some r in lib.resources("azurerm_mssql_managed_instance_failover_group")
	not managed_partner_location(r)
	count(lib.relations(r, "replication_target")) == 0
	f := lib.undecided_finding("TRN-AZ-XFR-003", r, "cannot decide where the partner managed instance lives: partner_managed_instance_id does not resolve to a resource of the estate")
}

deny contains f if {
	some r in lib.resources("azurerm_mssql_database")
	lib.setting(r, "create_mode", "Default") in secondary_modes
	r.location.status in {"outside", "global"}
	f := lib.finding("TRN-AZ-XFR-003", r, sprintf(
		"geo-secondary database is in %s, outside %s, expected every copy inside %s",
		[where(r.location), jurisdiction, jurisdiction],
	))
}

deny contains f if {
	some r in lib.resources("azurerm_mssql_database")
	some rel in lib.relations(r, "replication_target")
	f := relation_finding("TRN-AZ-XFR-003", r, "geo-secondary database", rel)
}

deny contains f if {
	some r in lib.resources("azurerm_mssql_database")
	redundancy := lib.setting(r, "storage_account_type", "Geo")
	redundancy in {"Geo", "GeoZone"}
	verdict := geo_verdict(r)
	f := geo_finding("TRN-AZ-XFR-003", r, sprintf("backup storage_account_type `%s`", [redundancy]), verdict)
}

deny contains f if {
	some r in lib.resources("azurerm_mssql_managed_instance")
	redundancy := lib.setting(r, "storage_account_type", "GRS")
	redundancy in {"GRS", "GZRS"}
	verdict := geo_verdict(r)
	f := geo_finding("TRN-AZ-XFR-003", r, sprintf("backup storage_account_type `%s`", [redundancy]), verdict)
}

# TRN-AZ-XFR-004

vault_copy(r) := "storage_mode_type `GeoRedundant` with cross_region_restore_enabled" if {
	lib.setting(r, "storage_mode_type", "GeoRedundant") == "GeoRedundant"
	lib.enabled(r, "cross_region_restore_enabled")
}

vault_copy(r) := "storage_mode_type `GeoRedundant`" if {
	lib.setting(r, "storage_mode_type", "GeoRedundant") == "GeoRedundant"
	not lib.enabled(r, "cross_region_restore_enabled")
}

deny contains f if {
	some r in lib.resources("azurerm_recovery_services_vault")
	what := vault_copy(r)
	verdict := geo_verdict(r)
	f := geo_finding("TRN-AZ-XFR-004", r, what, verdict)
}

deny contains f if {
	some r in lib.resources("azurerm_data_protection_backup_vault")
	lib.setting(r, "redundancy", "") == "GeoRedundant"
	verdict := geo_verdict(r)
	f := geo_finding("TRN-AZ-XFR-004", r, "redundancy `GeoRedundant`", verdict)
}

deny contains f if {
	some r in lib.resources_of(["azurerm_postgresql_flexible_server", "azurerm_mysql_flexible_server"])
	lib.enabled(r, "geo_redundant_backup_enabled")
	verdict := geo_verdict(r)
	f := geo_finding("TRN-AZ-XFR-004", r, "geo_redundant_backup_enabled", verdict)
}

deny contains f if {
	some r in lib.resources("azurerm_cosmosdb_account")
	lib.setting(r, "backup.0.type", "Periodic") == "Periodic"
	redundancy := lib.setting(r, "backup.0.storage_redundancy", "Geo")
	redundancy == "Geo"
	verdict := geo_verdict(r)
	f := geo_finding("TRN-AZ-XFR-004", r, "periodic backup storage_redundancy `Geo`", verdict)
}

# TRN-AZ-XFR-005

deny contains f if {
	some r in lib.resources("azurerm_container_registry")
	some replica in lib.value(r, "georeplications", [])
	raw := object.get(replica, "location", null)
	is_string(raw)
	f := copy_finding("TRN-AZ-XFR-005", r, "georeplication", raw)
}

deny contains f if {
	some r in lib.resources("azurerm_container_registry")
	locations_unknown(r, "georeplications")
	f := lib.undecided_finding("TRN-AZ-XFR-005", r, "cannot decide where replicas live: georeplications is unknown until apply")
}

# True when the block, one of its entries, or an entry's `location` is unknown until apply.
# Other computed fields of an entry (such as its `id`) say nothing about where it lives.
locations_unknown(r, block) if {
	some path in r.unknown
	regex.match(sprintf(`^%s(\.[0-9]+(\.location)?)?$`, [block]), path)
}
