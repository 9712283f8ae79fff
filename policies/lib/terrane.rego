# Helpers shared by every rule of the built-in pack.
#
# Rules read the normalised estate (see docs/src/policy-input.md) and produce findings
# through `finding`, so that every finding has the same shape whatever the rule.
package terrane.lib

import rego.v1

# All resources of one Terraform type.
resources(resource_type) := [r | some r in object.get(input.by_type, resource_type, [])]

# All resources of the given types.
resources_of(types) := [r | some t in types; some r in object.get(input.by_type, t, [])]

# The managed resources (no data sources) of one Terraform type.
managed(resource_type) := [r | some r in object.get(input.by_type, resource_type, []); r.mode == "managed"]

# All managed resources of one cloud (`aws`, `azure`, `google`).
cloud_resources(cloud) := [r | some r in input.resources; r.cloud == cloud; r.mode == "managed"]

# The attribute at a dotted path (`versioning.0.enabled`), or `default` when absent.
# One body and one builtin call: every rule calls this for every resource it inspects,
# and each extra body or nested call costs more than the lookup itself.
value(r, path, default_value) := object.get(r.values, terrane.path(path), default_value)

# Like `value`, but a null attribute also yields `default_value`: Terraform writes unset
# optional arguments as null in plans.
setting(r, path, default_value) := v if {
	v := object.get(r.values, terrane.path(path), null)
	v != null
} else := default_value

# True when the attribute is unknown until apply. Rules that require a value treat an
# unknown one as set; rules that inspect the value report that they cannot decide.
unknown(r, path) if path in r.unknown

unknown(r, path) if {
	some u in r.unknown
	startswith(u, concat("", [path, "."]))
}

# True when the attribute has a non-null value, or will have one after apply.
present(r, path) if {
	v := value(r, path, null)
	v != null
	v != ""
	v != []
}

present(r, path) if unknown(r, path)

# True when the boolean attribute is exactly `true`.
enabled(r, path) if value(r, path, false) == true

# Resolves any location string (region, zone, display name, multi-region, ARN, self link)
# against the jurisdiction under evaluation.
locate(cloud, raw) := terrane.locate(input.jurisdiction.id, cloud, raw)

# True when a location object is not known to be inside the jurisdiction.
outside(loc) if loc.status == "outside"

undecided(loc) if loc.status == "unknown"

# The relations of a kind (`encryption_key`, `replication_target`, ...).
relations(r, kind) := [rel | some rel in r.relations; rel.kind == kind]

# The tags of a resource, with keys lowercased, for case-insensitive tag rules.
tags_lower(r) := {lower(k): v | some k, v in r.tags}

# A finding of `rule_id` on resource `r`.
finding(rule_id, r, msg) := {
	"rule_id": rule_id,
	"address": r.address,
	"message": msg,
}

# A finding that says the rule could not decide, for unknown regions or values.
undecided_finding(rule_id, r, msg) := {
	"rule_id": rule_id,
	"address": r.address,
	"message": msg,
	"undecided": true,
}
