# Residency of Azure resources: where resources, their metadata and their data live.
package terrane.pack.azure.residency

import rego.v1

import data.terrane.lib

rules["TRN-AZ-RES-001"] := {
	"title": "Azure resources are located inside the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"Every Azure resource that has its own `location` must sit in a region whose country is in the jurisdiction.",
		"Customer data follows the location of the resource that stores or processes it, so a resource outside the jurisdiction is a transfer out of it.",
		"`global` is accepted only for services Azure runs outside any region: Front Door (`azurerm_cdn_frontdoor_*`, classic `azurerm_frontdoor*`), classic CDN profiles and endpoints, Traffic Manager (`azurerm_traffic_manager_*`), public and private DNS zones and records (`azurerm_dns_*`, `azurerm_private_dns_*` except the regional DNS resolver), policy definitions, management groups, action groups, activity log alerts, smart detector alert rules and alert processing rules.",
		"Resource groups have their own rule (TRN-AZ-RES-002) and Azure Maps accounts on `global` are reported by TRN-AZ-RES-004.",
		"Resources that inherit their region from a parent are judged through the parent.",
		"A location that cannot be resolved, or that is unknown until apply, is reported as undecided.",
	]),
	"remediation": "Set `location` to a region inside the jurisdiction (for example `location = \"germanywestcentral\"` for a German jurisdiction) and recreate the resource there; for `global`, move the workload to a regional service.",
	"resource_types": ["*"],
	"controls": ["AZP:e56962a6-4747-49cd-b67b-bf8b01975c4c", "C5:PSS-12"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-RES-002"] := {
	"title": "Resource groups are located inside the jurisdiction",
	"severity": "medium",
	"description": "A resource group's `location` is where Azure stores the metadata of every resource in the group (names, tags, settings). It must be inside the jurisdiction even when the resources themselves are. Unknown locations are reported as undecided.",
	"remediation": "Create the resource group with `location` set to a region inside the jurisdiction; a resource group cannot be moved, so recreate it and move its resources.",
	"resource_types": ["azurerm_resource_group"],
	"controls": ["AZP:e765b5de-1225-4ba3-bd56-1ac6695af988"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-RES-003"] := {
	"title": "Cosmos DB replicates only to regions inside the jurisdiction",
	"severity": "high",
	"description": "Each `geo_location` of a Cosmos DB account holds a full replica of its data. Every replica location must be inside the jurisdiction; a location that cannot be resolved is reported as undecided.",
	"remediation": "Remove `geo_location` blocks whose `location` is outside the jurisdiction and add replicas only in regions inside it.",
	"resource_types": ["azurerm_cosmosdb_account"],
	"controls": ["AZP:0473574d-2d43-4217-aefe-941fcdf7e684"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-RES-004"] := {
	"title": "Services with their own data location keep it inside the jurisdiction",
	"severity": "high",
	"description": "Communication Services and Email Communication Services store data at rest in the geography named by `data_location`, independent of the resource group; that geography must be inside the jurisdiction. Azure Maps accounts on `location = \"global\"` process data globally and are reported; a regional Maps account is judged like any other resource.",
	"remediation": "Set `data_location` to a geography inside the jurisdiction (for example `\"Germany\"` or `\"Europe\"` for the EU), and give Azure Maps accounts a regional `location` inside the jurisdiction.",
	"resource_types": ["azurerm_communication_service", "azurerm_email_communication_service", "azurerm_maps_account"],
	"controls": ["AZP:93c45b74-42a1-4967-b25d-82c4dc630921", "AZP:c707daa0-b93b-454d-9e1e-8ac59866316c"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-RES-005"] := {
	"title": "An allowed-locations guardrail is assigned with jurisdiction regions and a deny effect",
	"severity": "high",
	"description": concat(" ", [
		"Assignments of the residency policies (Sovereignty Baseline Global or Confidential initiatives, the Data Residency initiative, Allowed locations, Allowed locations for resource groups, Cosmos DB allowed locations) must list only regions inside the jurisdiction in `listOfAllowedLocations`, keep `enforce = true` and, where an effect parameter is given, use `Deny`.",
		"A top-level management group declared in the estate must have such an assignment; a management group is top-level when `parent_management_group_id` is not set and it refers to no other management group of the estate.",
		"Locations that cannot be resolved and parameters unknown until apply are reported as undecided.",
	]),
	"remediation": "Assign the Sovereignty Baseline Global initiative (`/providers/Microsoft.Authorization/policySetDefinitions/c1cbff38-87c0-4b9f-9f70-035c7a3b5523`) at the top management group with `azurerm_management_group_policy_assignment`, `enforce = true` and `parameters = jsonencode({ listOfAllowedLocations = { value = [regions inside the jurisdiction] }, effect = { value = \"Deny\" } })`.",
	"resource_types": ["azurerm_management_group_policy_assignment", "azurerm_subscription_policy_assignment", "azurerm_management_group"],
	"controls": [
		"AZP:c1cbff38-87c0-4b9f-9f70-035c7a3b5523",
		"AZP:bebfcba2-e789-4da6-9043-726ef3a00d02",
		"SLZ:parAllowedLocations",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-RES-006"] := {
	"title": "Confidential resources do not use non-regional services",
	"severity": "high",
	"description": concat(" ", [
		"Resources tagged `data-classification` with `confidential`, `restricted`, `secret` or `strictly-confidential` (key and value case-insensitive) must stay in a region inside the jurisdiction.",
		"Non-regional services (Front Door, CDN, Traffic Manager, DNS and the other types TRN-AZ-RES-001 accepts on `global`) give no location guarantee and are reported for such resources.",
		"When the configuration sets `azure_confidential_locations` (the Sovereign Landing Zone's allowed locations for confidential computing), confidential resources must also be located in one of those regions; otherwise regional resources are judged by TRN-AZ-RES-001 alone.",
	]),
	"remediation": "Serve confidential workloads through regional services inside the jurisdiction (for example an Application Gateway with WAF instead of Front Door), place them in one of the configured confidential computing locations, or lower the classification if the data is not confidential.",
	"resource_types": ["*"],
	"controls": ["SLZ:parAllowedLocationsForConfidentialComputing"],
	"modes": ["plan", "state", "hcl", "live"],
}

# Families of types that Azure runs outside any region. The private DNS resolver shares the
# prefix of private DNS zones but is regional.
non_regional_prefixes := [
	"azurerm_cdn_frontdoor_",
	"azurerm_frontdoor",
	"azurerm_traffic_manager_",
	"azurerm_dns_",
	"azurerm_private_dns_",
]

non_regional_types := {
	"azurerm_cdn_profile",
	"azurerm_cdn_endpoint",
	"azurerm_cdn_endpoint_custom_domain",
	"azurerm_policy_definition",
	"azurerm_policy_set_definition",
	"azurerm_management_group",
	"azurerm_monitor_action_group",
	"azurerm_monitor_activity_log_alert",
	"azurerm_monitor_smart_detector_alert_rule",
	"azurerm_monitor_alert_processing_rule_action_group",
	"azurerm_monitor_alert_processing_rule_suppression",
}

non_regional(t) if t in non_regional_types

non_regional(t) if {
	some prefix in non_regional_prefixes
	startswith(t, prefix)
	not startswith(t, "azurerm_private_dns_resolver")
}

confidential_classes := {"confidential", "restricted", "secret", "strictly-confidential"}

jurisdiction := input.jurisdiction.id

# The location as written, for messages.
written_location(r) := r.region if is_string(r.region)

written_location(r) := lib.value(r, "location", "unknown") if not is_string(r.region)

countries(loc) := concat("/", object.get(loc, "countries", []))

reason(loc) := object.get(loc, "reason", "the location is not in the region catalog") if object.get(loc, "reason", null) != null

reason(loc) := "the location is not in the region catalog" if object.get(loc, "reason", null) == null

# A string attribute, or "" when it is absent, null or not a string.
text(r, path) := v if {
	v := lib.value(r, path, null)
	is_string(v)
}

text(r, path) := "" if not is_string(lib.value(r, path, null))

# True when the resource has a location of its own rather than one inherited from a parent.
own_location(r) if lib.present(r, "location")

own_location(r) if {
	is_string(r.region)
	not inherited(r)
}

inherited(r) if {
	is_string(r.region_origin)
	startswith(lower(r.region_origin), "parent")
}

# Why the residency of `r` cannot be decided, when it cannot.
undecided_reason(r) := "location is unknown until apply" if {
	not is_string(r.region)
	lib.unknown(r, "location")
}

undecided_reason(r) := reason(r.location) if {
	r.location.status == "unknown"
	not location_pending(r)
}

location_pending(r) if {
	not is_string(r.region)
	lib.unknown(r, "location")
}

located_resources := [r |
	some r in lib.cloud_resources("azure")
	r.type != "azurerm_resource_group"
	own_location(r)
]

deny contains f if {
	some r in located_resources
	r.location.status == "outside"
	f := lib.finding("TRN-AZ-RES-001", r, sprintf(
		"location `%s` (%s) is outside %s, expected a region inside %s",
		[written_location(r), countries(r.location), jurisdiction, jurisdiction],
	))
}

deny contains f if {
	some r in located_resources
	r.location.status == "global"
	not non_regional(r.type)
	r.type != "azurerm_maps_account"
	f := lib.finding("TRN-AZ-RES-001", r, sprintf(
		"location `%s` is only valid for non-regional services and `%s` is regional, expected a region inside %s",
		[written_location(r), r.type, jurisdiction],
	))
}

deny contains f if {
	some r in located_resources
	msg := undecided_reason(r)
	f := lib.undecided_finding("TRN-AZ-RES-001", r, sprintf("cannot decide residency: %s", [msg]))
}

deny contains f if {
	some r in lib.resources("azurerm_resource_group")
	r.location.status == "outside"
	f := lib.finding("TRN-AZ-RES-002", r, sprintf(
		"resource group location `%s` (%s) is outside %s, expected a region inside %s",
		[written_location(r), countries(r.location), jurisdiction, jurisdiction],
	))
}

deny contains f if {
	some r in lib.resources("azurerm_resource_group")
	r.location.status == "global"
	f := lib.finding("TRN-AZ-RES-002", r, sprintf(
		"resource group location `%s` is not a region, expected a region inside %s",
		[written_location(r), jurisdiction],
	))
}

deny contains f if {
	some r in lib.resources("azurerm_resource_group")
	msg := undecided_reason(r)
	f := lib.undecided_finding("TRN-AZ-RES-002", r, sprintf("cannot decide residency: %s", [msg]))
}

deny contains f if {
	some r in lib.resources("azurerm_cosmosdb_account")
	some replica in lib.value(r, "geo_location", [])
	raw := object.get(replica, "location", null)
	is_string(raw)
	loc := lib.locate("azure", raw)
	loc.status in {"outside", "global"}
	f := lib.finding("TRN-AZ-RES-003", r, sprintf(
		"geo_location `%s` (%s) holds a replica outside %s, expected every replica inside %s",
		[raw, countries(loc), jurisdiction, jurisdiction],
	))
}

deny contains f if {
	some r in lib.resources("azurerm_cosmosdb_account")
	some replica in lib.value(r, "geo_location", [])
	raw := object.get(replica, "location", null)
	is_string(raw)
	loc := lib.locate("azure", raw)
	loc.status == "unknown"
	f := lib.undecided_finding("TRN-AZ-RES-003", r, sprintf(
		"cannot decide residency of geo_location `%s`: %s",
		[raw, reason(loc)],
	))
}

deny contains f if {
	some r in lib.resources("azurerm_cosmosdb_account")
	locations_unknown(r, "geo_location")
	f := lib.undecided_finding("TRN-AZ-RES-003", r, "cannot decide residency of the replicas: geo_location is unknown until apply")
}

# Communication Services data locations are geographies; each is judged through the regions
# Azure uses for it, and is inside only when all of them are.
data_location_regions := {
	"africa": ["southafricanorth"],
	"asia pacific": ["southeastasia", "eastasia"],
	"australia": ["australiaeast"],
	"brazil": ["brazilsouth"],
	"canada": ["canadacentral"],
	"europe": ["westeurope", "northeurope"],
	"france": ["francecentral"],
	"germany": ["germanywestcentral"],
	"india": ["centralindia"],
	"japan": ["japaneast"],
	"korea": ["koreacentral"],
	"norway": ["norwayeast"],
	"switzerland": ["switzerlandnorth"],
	"uae": ["uaenorth"],
	"uk": ["uksouth"],
	"united states": ["eastus"],
	"usgov": ["usgovvirginia"],
}

communication_types := ["azurerm_communication_service", "azurerm_email_communication_service"]

data_location_outside(raw) := [loc |
	some region in data_location_regions[lower(raw)]
	loc := lib.locate("azure", region)
	loc.status != "inside"
]

deny contains f if {
	some r in lib.resources_of(communication_types)
	raw := lib.value(r, "data_location", null)
	is_string(raw)
	outside := [loc | some loc in data_location_outside(raw); loc.status == "outside"]
	count(outside) > 0
	spanned := concat("/", {c | some loc in outside; some c in loc.countries})
	f := lib.finding("TRN-AZ-RES-004", r, sprintf(
		"data_location `%s` stores data in %s, outside %s, expected a data location inside %s",
		[raw, spanned, jurisdiction, jurisdiction],
	))
}

deny contains f if {
	some r in lib.resources_of(communication_types)
	raw := lib.value(r, "data_location", null)
	is_string(raw)
	count([loc | some loc in data_location_outside(raw); loc.status == "outside"]) == 0
	count(data_location_outside(raw)) > 0
	f := lib.undecided_finding("TRN-AZ-RES-004", r, sprintf(
		"cannot decide residency of data_location `%s`: its regions are not in the region catalog",
		[raw],
	))
}

deny contains f if {
	some r in lib.resources_of(communication_types)
	raw := lib.value(r, "data_location", null)
	is_string(raw)
	not data_location_regions[lower(raw)]
	f := lib.undecided_finding("TRN-AZ-RES-004", r, sprintf(
		"cannot decide residency of data_location `%s`: not a known Communication Services geography",
		[raw],
	))
}

deny contains f if {
	some r in lib.resources_of(communication_types)
	lib.unknown(r, "data_location")
	f := lib.undecided_finding("TRN-AZ-RES-004", r, "cannot decide residency: data_location is unknown until apply")
}

deny contains f if {
	some r in lib.resources("azurerm_maps_account")
	r.location.status == "global"
	f := lib.finding("TRN-AZ-RES-004", r, sprintf(
		"maps account location `%s` processes data globally, expected a region inside %s",
		[written_location(r), jurisdiction],
	))
}

# Policy and initiative definitions whose assignment sets the allowed locations.
residency_definitions := {
	"c1cbff38-87c0-4b9f-9f70-035c7a3b5523",
	"03de05a4-c324-4ccd-882f-a814ea8ab9ea",
	"bebfcba2-e789-4da6-9043-726ef3a00d02",
	"e56962a6-4747-49cd-b67b-bf8b01975c4c",
	"e765b5de-1225-4ba3-bd56-1ac6695af988",
	"0473574d-2d43-4217-aefe-941fcdf7e684",
}

assignment_types := ["azurerm_management_group_policy_assignment", "azurerm_subscription_policy_assignment"]

residency_assignment(a) if {
	definition := lower(text(a, "policy_definition_id"))
	some guid in residency_definitions
	endswith(definition, guid)
}

residency_assignments := [a |
	some a in lib.resources_of(assignment_types)
	residency_assignment(a)
]

parameters(a) := p if {
	raw := lib.value(a, "parameters", null)
	is_string(raw)
	json.is_valid(raw)
	p := json.unmarshal(raw)
}

parameters(a) := p if {
	p := lib.value(a, "parameters", null)
	is_object(p)
}

allowed_locations(a) := object.get(parameters(a), ["listOfAllowedLocations", "value"], [])

assignment_effects(a) := {e |
	some name in ["effect", "policyEffect"]
	e := object.get(parameters(a), [name, "value"], null)
	is_string(e)
}

assignment_gaps(a) := array.concat(
	array.concat(
		[sprintf("allowed location `%s` (%s) is outside %s", [raw, countries(loc), jurisdiction]) |
			some raw in allowed_locations(a)
			loc := lib.locate("azure", raw)
			loc.status == "outside"
		],
		[sprintf("effect `%s` does not deny", [e]) | some e in assignment_effects(a); lower(e) != "deny"],
	),
	["enforce is false" | lib.value(a, "enforce", true) == false],
)

deny contains f if {
	some a in residency_assignments
	gaps := assignment_gaps(a)
	count(gaps) > 0
	f := lib.finding("TRN-AZ-RES-005", a, sprintf(
		"residency guardrail does not hold: %s; expected only regions inside %s, effect Deny and enforce = true",
		[concat("; ", gaps), jurisdiction],
	))
}

deny contains f if {
	some a in residency_assignments
	count(assignment_gaps(a)) == 0
	unresolved := [raw |
		some raw in allowed_locations(a)
		lib.locate("azure", raw).status == "unknown"
	]
	count(unresolved) > 0
	f := lib.undecided_finding("TRN-AZ-RES-005", a, sprintf(
		"cannot decide residency of allowed locations %s: not in the region catalog",
		[concat(", ", [sprintf("`%s`", [raw]) | some raw in unresolved])],
	))
}

deny contains f if {
	some a in residency_assignments
	lib.unknown(a, "parameters")
	f := lib.undecided_finding("TRN-AZ-RES-005", a, "cannot decide the allowed locations: parameters are unknown until apply")
}

management_group_addresses := {g.address | some g in lib.resources("azurerm_management_group")}

# A management group whose parent is not a management group of this estate.
top_level(g) if {
	lib.value(g, "parent_management_group_id", null) == null
	not child_in_estate(g)
}

child_in_estate(g) if {
	some rel in g.relations
	rel.target in management_group_addresses
}

assigned_to(a, g) if {
	some rel in a.relations
	rel.target == g.address
}

assigned_to(a, g) if {
	id := lib.value(g, "id", null)
	is_string(id)
	lower(text(a, "management_group_id")) == lower(id)
}

deny contains f if {
	some g in lib.resources("azurerm_management_group")
	top_level(g)
	not guarded(g)
	f := lib.finding("TRN-AZ-RES-005", g, sprintf(
		"top-level management group `%s` has no allowed-locations initiative assigned, expected an assignment of the Sovereignty Baseline or Allowed locations policy listing regions inside %s",
		[g.name, jurisdiction],
	))
}

guarded(g) if {
	some a in residency_assignments
	assigned_to(a, g)
}

value_tags(r) := t if {
	t := lib.value(r, "tags", null)
	is_object(t)
}

value_tags(r) := {} if not is_object(lib.value(r, "tags", null))

resource_tags(r) := t if {
	t := object.get(r, "tags", {})
	is_object(t)
}

resource_tags(r) := {} if not is_object(object.get(r, "tags", {}))

classifications(r) := {lower(v) |
	some k, v in object.union(value_tags(r), resource_tags(r))
	lower(k) == "data-classification"
	is_string(v)
}

# Every managed Azure resource, type by type.
azure_resources := [r |
	some t in object.keys(input.by_type)
	startswith(t, "azurerm_")
	some r in lib.resources(t)
	r.mode == "managed"
]

confidential_levels(r) := {level |
	some level in classifications(r)
	level in confidential_classes
}

deny contains f if {
	some r in azure_resources
	non_regional(r.type)
	some level in confidential_levels(r)
	f := lib.finding("TRN-AZ-RES-006", r, sprintf(
		"resource classified `%s` uses non-regional service `%s`, expected a regional service inside %s",
		[level, r.type, jurisdiction],
	))
}

default confidential_locations := []

confidential_locations := data.terrane.config.azure_confidential_locations

# The configured confidential computing locations, normalised like resource locations.
confidential_regions := {region |
	some raw in confidential_locations
	some region in {lower(raw), lib.locate("azure", raw).region}
	is_string(region)
}

deny contains f if {
	count(confidential_locations) > 0
	some r in azure_resources
	not non_regional(r.type)
	own_location(r)
	r.location.status in {"inside", "outside"}
	is_string(r.location.region)
	not r.location.region in confidential_regions
	some level in confidential_levels(r)
	f := lib.finding("TRN-AZ-RES-006", r, sprintf(
		"resource classified `%s` is located in `%s`, which is not a confidential computing location (%s)",
		[level, written_location(r), concat(", ", confidential_locations)],
	))
}

# True when the block, one of its entries, or an entry's `location` is unknown until apply.
# Other computed fields of an entry (such as its `id`) say nothing about where it lives.
locations_unknown(r, block) if {
	some path in r.unknown
	regex.match(sprintf(`^%s(\.[0-9]+(\.location)?)?$`, [block]), path)
}
