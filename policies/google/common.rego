# Helpers shared by the Google Cloud rules of the pack: a single view of organisation
# policies whichever resource declares them, and small value accessors.
#
# Organisation policies come in two shapes: `google_org_policy_policy` (Org Policy v2,
# string flags such as `enforce = "TRUE"`) and the legacy `google_*_organization_policy`
# resources (`list_policy`, `boolean_policy`, `restore_policy`). `policies` turns both
# into one object per resource so that rules read one shape.
package terrane.pack.google.common

import rego.v1
import data.terrane.lib

# Every resource type that declares an organisation policy.
policy_types := [
	"google_org_policy_policy",
	"google_organization_policy",
	"google_folder_organization_policy",
	"google_project_organization_policy",
]

legacy_parent_attribute := {
	"google_organization_policy": ["org_id", "organizations/"],
	"google_folder_organization_policy": ["folder", "folders/"],
	"google_project_organization_policy": ["project", "projects/"],
}

# The attribute at `path`, or `default_value` when it is absent or null.
value(r, path, default_value) := lib.setting(r, path, default_value)

# `x` when it is an array, else an empty array.
list(x) := x if is_array(x)

list(x) := [] if not is_array(x)

# `x` when it is an object, else an empty object.
object_or_empty(x) := x if is_object(x)

object_or_empty(x) := {} if not is_object(x)

# True for the flag values Terraform writes for "on": `true`, or the string `"TRUE"` that
# Org Policy v2 uses.
truthy(v) if v == true

truthy(v) if v == "TRUE"

truthy(v) if v == "true"

# `true` or `false` for any flag value.
flag(v) if truthy(v)

flag(v) := false if not truthy(v)

# The constraint name without the `constraints/` prefix.
constraint_name(raw) := trim_prefix(raw, "constraints/")

# The location segment of a resource name or self link
# (`projects/p/locations/europe-west3/keyRings/r/cryptoKeys/k` gives `europe-west3`).
location_segment(name) := parts[i + 1] if {
	is_string(name)
	parts := split(name, "/")
	some i, part in parts
	part == "locations"
	i + 1 < count(parts)
}

# Every organisation policy in the estate, normalised.
policies := [p | some r in managed_of(policy_types); p := view(r)]

# The policies that configure `constraint` (without the `constraints/` prefix).
policies_for(constraint) := [p | some p in policies; p.constraint == constraint]

view(r) := v2_view(r) if r.type == "google_org_policy_policy"

view(r) := legacy_view(r) if r.type != "google_org_policy_policy"

v2_view(r) := {
	"resource": r,
	"constraint": v2_constraint(r),
	"parent": value(r, "parent", ""),
	"reset": flag(value(r, "spec.0.reset", false)),
	"inherit_from_parent": flag(value(r, "spec.0.inherit_from_parent", false)),
	"spec_set": count(list(value(r, "spec", []))) > 0,
	"dry_run_set": count(list(value(r, "dry_run_spec", []))) > 0,
	"allow_all": v2_any_flag(r, "allow_all"),
	"deny_all": v2_any_flag(r, "deny_all"),
	"enforced": v2_enforced(r),
	"allowed_values": v2_values(r, "allowed_values"),
	"denied_values": v2_values(r, "denied_values"),
	"unknown": v2_unknown(r),
}

v2_constraint(r) := constraint_name(parts[count(parts) - 1]) if {
	name := value(r, "name", "")
	is_string(name)
	contains(name, "/policies/")
	parts := split(name, "/policies/")
}

v2_constraint(r) := "" if {
	name := value(r, "name", "")
	not v2_named(name)
}

v2_named(name) if {
	is_string(name)
	contains(name, "/policies/")
}

v2_rules(r) := list(value(r, "spec.0.rules", []))

v2_any_flag(r, key) if v2_flag_set(r, key)

v2_any_flag(r, key) := false if not v2_flag_set(r, key)

v2_flag_set(r, key) if {
	some rule in v2_rules(r)
	truthy(object.get(object_or_empty(rule), key, false))
}

# A boolean constraint is enforced when a rule without a condition enforces it.
v2_enforced(r) if {
	some rule in v2_rules(r)
	truthy(object.get(object_or_empty(rule), "enforce", false))
	count(list(object.get(object_or_empty(rule), "condition", []))) == 0
}

v2_enforced(r) := false if not v2_enforced_set(r)

v2_enforced_set(r) if {
	some rule in v2_rules(r)
	truthy(object.get(object_or_empty(rule), "enforce", false))
	count(list(object.get(object_or_empty(rule), "condition", []))) == 0
}

v2_values(r, key) := [v |
	some rule in v2_rules(r)
	some values in list(object.get(object_or_empty(rule), "values", []))
	some v in list(object.get(object_or_empty(values), key, []))
]

# The parts of a v2 policy that decide its effect; `etag` and `update_time` inside `spec`
# are always computed and do not count.
v2_unknown(r) if v2_unknown_part(r)

v2_unknown(r) := false if not v2_unknown_part(r)

v2_unknown_part(r) if "spec" in r.unknown

v2_unknown_part(r) if lib.unknown(r, "spec.0.rules")

v2_unknown_part(r) if lib.unknown(r, "spec.0.reset")

v2_unknown_part(r) if lib.unknown(r, "name")

legacy_view(r) := {
	"resource": r,
	"constraint": constraint_name(value(r, "constraint", "")),
	"parent": legacy_parent(r),
	"reset": flag(value(r, "restore_policy.0.default", false)),
	"inherit_from_parent": flag(value(r, "list_policy.0.inherit_from_parent", false)),
	"spec_set": true,
	"dry_run_set": false,
	"allow_all": flag(value(r, "list_policy.0.allow.0.all", false)),
	"deny_all": flag(value(r, "list_policy.0.deny.0.all", false)),
	"enforced": flag(value(r, "boolean_policy.0.enforced", false)),
	"allowed_values": list(value(r, "list_policy.0.allow.0.values", [])),
	"denied_values": list(value(r, "list_policy.0.deny.0.values", [])),
	"unknown": legacy_unknown(r),
}

legacy_parent(r) := parent if {
	[attribute, prefix] := legacy_parent_attribute[r.type]
	parent := parent_path(value(r, attribute, ""), prefix)
}

parent_path(id, prefix) := id if {
	is_string(id)
	startswith(id, prefix)
}

parent_path(id, prefix) := concat("", [prefix, id]) if {
	is_string(id)
	id != ""
	not startswith(id, prefix)
}

parent_path(id, _) := "" if not is_string(id)

parent_path(id, _) := "" if id == ""

legacy_unknown(r) if lib.unknown(r, "list_policy")

legacy_unknown(r) if lib.unknown(r, "boolean_policy")

legacy_unknown(r) if lib.unknown(r, "constraint")

legacy_unknown(r) := false if {
	not lib.unknown(r, "list_policy")
	not lib.unknown(r, "boolean_policy")
	not lib.unknown(r, "constraint")
}

# True when the policy takes effect: not a reset, and not only a dry run.
effective(p) if {
	not p.reset
	p.spec_set
}

# True when a boolean constraint is enforced by one of the estate's policies.
enforced_in_estate(constraint) if {
	some p in policies_for(constraint)
	effective(p)
	p.enforced
}

# The organisations whose policies this estate manages (`organizations/123`).
managed_organizations contains p.parent if {
	some p in policies
	startswith(p.parent, "organizations/")
}

# For each managed organisation that has no policy on `constraint`, the policy resource
# (first by address) on which to report that it is missing.
missing_at_organization(constraint) := {org: anchor |
	some org in managed_organizations
	not has_policy(org, constraint)
	anchor := first_policy(org)
}

has_policy(parent, constraint) if {
	some p in policies_for(constraint)
	p.parent == parent
}

first_policy(parent) := r if {
	addresses := sort([p.resource.address | some p in policies; p.parent == parent])
	some p in policies
	p.parent == parent
	p.resource.address == addresses[0]
	r := p.resource
}

# A readable list of strings for messages: `a`, `b`.
quoted(items) := concat(", ", [sprintf("`%s`", [x]) | some x in items])

# A duration written as `"7776000s"` (optionally with a fraction), in seconds.
seconds(raw) := to_number(trim_suffix(raw, "s")) if {
	is_string(raw)
	regex.match(`^[0-9]+(\.[0-9]+)?s$`, raw)
}

# The id of the jurisdiction under evaluation.
jurisdiction := input.jurisdiction.id

# Where a location lies, for messages: the countries it spans, or the catalog's reason.
where(loc) := sprintf("spans %s", [concat(", ", loc.countries)]) if {
	is_array(loc.countries)
	count(loc.countries) > 0
}

where(loc) := loc.reason if {
	not count(list(loc.countries)) > 0
}

# A finding for a location value of `r` that is not inside the jurisdiction: a violation
# when it is outside or `global`, an undecided finding when the catalog cannot place it.
# Undefined when the location is inside. `what` names the attribute in the message.
location_finding(rule_id, r, what, raw) := located_finding(rule_id, r, what, raw, lib.locate("google", raw))

# The same for a location object already resolved, named `label` in the message.
located_finding(rule_id, r, what, label, loc) := f if {
	loc.status == "outside"
	f := lib.finding(rule_id, r, sprintf(
		"%s `%s` %s, expected a location inside jurisdiction `%s`",
		[what, label, where(loc), jurisdiction],
	))
}

located_finding(rule_id, r, what, label, loc) := f if {
	loc.status == "global"
	f := lib.finding(rule_id, r, sprintf(
		"%s `%s` is not in any region, expected a location inside jurisdiction `%s`",
		[what, label, jurisdiction],
	))
}

located_finding(rule_id, r, what, label, loc) := f if {
	loc.status == "unknown"
	f := lib.undecided_finding(rule_id, r, sprintf(
		"%s `%s` cannot be placed (%s), expected a location inside jurisdiction `%s`",
		[what, label, loc.reason, jurisdiction],
	))
}

# The status (`inside`, `outside`, `global`, `unknown`) of a Google location value.
location_status(raw) := loc.status if {
	loc := lib.locate("google", raw)
}

# The resources of `resource_type` whose `attribute` equals `name`.
named(resource_type, attribute, name) := [r |
	some r in lib.resources(resource_type)
	value(r, attribute, "") == name
]

# An undecided finding for an attribute whose value is only known after apply.
unknown_finding(rule_id, r, path, expected) := lib.undecided_finding(rule_id, r, sprintf(
	"`%s` is unknown until apply, expected %s",
	[path, expected],
))

# The locations a jurisdiction's organisation policy value admits: value groups expand to
# the regions and multi-regions Google lists for them, a plain location stands for itself.
# Undefined for a value group this table does not know.
eu_regions := [
	"europe-central2", "europe-north1", "europe-north2", "europe-southwest1", "europe-west1",
	"europe-west3", "europe-west4", "europe-west8", "europe-west9", "europe-west10",
	"europe-west12",
]

us_regions := [
	"us-central1", "us-east1", "us-east4", "us-east5", "us-south1", "us-west1", "us-west2",
	"us-west3", "us-west4",
]

asia_regions := [
	"asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2", "asia-northeast3",
	"asia-south1", "asia-south2", "asia-southeast1", "asia-southeast2",
]

value_groups := {
	"in:eu-locations": array.concat(eu_regions, ["EU", "EUR4"]),
	"in:europe-locations": array.concat(eu_regions, ["EU", "EUR4", "europe-west2", "europe-west6"]),
	"in:us-locations": array.concat(us_regions, ["US", "NAM4"]),
	"in:asia-locations": array.concat(asia_regions, ["ASIA", "ASIA1"]),
	"in:northamerica-locations": array.concat(us_regions, ["northamerica-northeast1", "northamerica-northeast2"]),
	"in:southamerica-locations": ["southamerica-east1", "southamerica-west1"],
	"in:australia-locations": ["australia-southeast1", "australia-southeast2"],
}

group_members(raw) := value_groups[raw]

group_members(raw) := [region] if {
	not value_groups[raw]
	is_string(raw)
	startswith(raw, "in:")
	endswith(raw, "-locations")
	region := trim_suffix(trim_prefix(raw, "in:"), "-locations")
	regex.match(`^[a-z]+-[a-z]+[0-9]+$`, region)
}

group_members(raw) := [raw] if {
	is_string(raw)
	not startswith(raw, "in:")
	not startswith(raw, "under:")
	not startswith(raw, "is:")
}

# The labels of a resource with lowercased keys: the normalised `tags` and, where the
# reader did not fill them, the `labels` attribute.
labels(r) := object.union(
	{lower(k): v | some k, v in object_or_empty(value(r, "labels", {}))},
	lib.tags_lower(r),
)

# The data classification label of a resource, lowercased, or "" when there is none.
classification(r) := lower(label_value) if {
	all_labels := labels(r)
	label_value := all_labels["data-classification"]
	is_string(label_value)
}

classification(r) := "" if {
	all_labels := labels(r)
	not is_string(all_labels["data-classification"])
}

# True for resources labelled with a sensitive classification.
sensitive(r) if classification(r) in {"confidential", "restricted"}

# Findings for a boolean guardrail constraint: a declared policy that does not enforce it,
# and a managed organisation whose policies do not include it.
boolean_guardrail(rule_id, constraint) := not_enforced | missing if {
	not_enforced := {f |
		some p in policies_for(constraint)
		effective(p)
		not p.unknown
		not p.enforced
		f := lib.finding(rule_id, p.resource, sprintf("`%s` is not enforced, expected `enforce = \"TRUE\"`", [constraint]))
	}
	missing := missing_guardrail(rule_id, constraint, "it enforced")
}

# Findings for managed organisations whose policies do not include `constraint`.
missing_guardrail(rule_id, constraint, expected) := {f |
	some org, anchor in missing_at_organization(constraint)
	f := lib.finding(rule_id, anchor, sprintf(
		"organisation `%s` has policies in this configuration but none on `%s`, expected %s",
		[org, constraint, expected],
	))
}

# The managed resources of one type, or of several: rules report on what this
# configuration manages, not on data sources that read resources managed elsewhere.
# Lookups of referenced resources use `lib.resources`, which includes data sources.
managed(resource_type) := [r | some r in lib.resources(resource_type); r.mode == "managed"]

managed_of(types) := [r | some r in lib.resources_of(types); r.mode == "managed"]
