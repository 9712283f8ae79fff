# Builders for the pack's unit tests: a test lists resources with only the fields it
# cares about, and these fill in the rest the way the engine does for real input.
package terrane.testing

import rego.v1

# An input for the EU jurisdiction holding `resources`.
estate(resources) := estate_in("EU", resources)

# An input for the given jurisdiction holding `resources`.
estate_in(jurisdiction, resources) := {
	"kind": "plan",
	"origin": "test.json",
	"jurisdiction": {"id": jurisdiction},
	"resources": full,
	"by_type": {t: [r | some r in full; r.type == t] | some t in {x.type | some x in full}},
	"diagnostics": [],
} if {
	full := [complete(jurisdiction, r) | some r in resources]
}

complete(jurisdiction, r) := object.union(
	object.union(defaults(jurisdiction, r), r),
	{"relations": [related(jurisdiction, r, rel) | some rel in object.get(r, "relations", [])]},
)

defaults(jurisdiction, r) := {
	"address": sprintf("%s.%s", [r.type, object.get(r, "name", "this")]),
	"name": "this",
	"mode": "managed",
	"cloud": cloud_of(r.type),
	"provider": cloud_of(r.type),
	"region": null,
	"region_origin": null,
	"location": location_of(jurisdiction, r),
	"values": {},
	"unknown": [],
	"tags": {},
	"source": null,
}

cloud_of(t) := "aws" if startswith(t, "aws_")

cloud_of(t) := "azure" if startswith(t, "azurerm_")

cloud_of(t) := "google" if startswith(t, "google_")

cloud_of(t) := "other" if {
	not startswith(t, "aws_")
	not startswith(t, "azurerm_")
	not startswith(t, "google_")
}

location_of(jurisdiction, r) := terrane.locate(jurisdiction, cloud_of(r.type), r.region) if {
	r.region != null
}

location_of(_, r) := {"status": "unknown", "region": null, "countries": [], "partition": null, "reason": "no region"} if {
	object.get(r, "region", null) == null
}

# A relation given as {"kind", "target", "target_type", "target_region"} gets its
# `target_location` resolved like the engine does.
related(jurisdiction, r, rel) := object.union(
	{"attribute": "", "target_type": null, "target_location": target_location(jurisdiction, r, rel)},
	object.remove(rel, ["target_region"]),
)

target_location(jurisdiction, r, rel) := terrane.locate(jurisdiction, cloud_of(r.type), rel.target_region) if {
	object.get(rel, "target_region", null) != null
}

target_location(_, _, rel) := null if object.get(rel, "target_region", null) == null
