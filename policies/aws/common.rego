# Helpers shared by the AWS rules of the pack: null-safe attribute access, classification
# tags, key references, IAM policy documents and AWS Organizations guardrails.
#
# Terraform plan JSON writes unset optional attributes as `null`, so rules read values
# through `value`, which treats an explicit null like an absent attribute.
package terrane.pack.aws.common

import rego.v1

import data.terrane.lib

# The managed resources of one type, or of several. Data sources describe resources
# managed elsewhere (a member account reading its organisation, a bucket of another
# configuration) and are not judged.
resources(resource_type) := [r | some r in lib.resources(resource_type); r.mode != "data"]

resources_of(types) := [r | some r in lib.resources_of(types); r.mode != "data"]

# Groups values by key in one pass: `pairs` lists `[key, value]` pairs, and the result
# maps each key to the list of its values. JSON Patch appends each value to its key's
# list; a comprehension per key would scan every pair again, which is quadratic.
group(pairs) := json.patch(
	{pair[0]: [] | some pair in pairs},
	[{"op": "add", "path": [pair[0], "-"], "value": pair[1]} | some pair in pairs],
)

# The attribute at a dotted path (`versioning.0.enabled`), or `default_value` when it is
# absent or null.
value(r, path, default_value) := lib.setting(r, path, default_value)

# `x` when it is an array, else an empty array.
list(x) := x if is_array(x)

list(x) := [] if not is_array(x)

# The objects of `x` when it is an array (nested blocks), else an empty array.
objects(x) := [o | some o in x; is_object(o)] if is_array(x)

objects(x) := [] if not is_array(x)

# `x` when it is an object, else an empty object.
object_or_empty(x) := x if is_object(x)

object_or_empty(x) := {} if not is_object(x)

# IAM policy fields hold either one value or a list of values.
as_list(x) := x if {
	is_array(x)
} else := [] if {
	x == null
} else := [x]

# True for the boolean `true` and the string `"true"` (launch templates and some
# nested blocks store flags as strings).
truthy(v) if v == true

truthy(v) if v == "true"

# True for the boolean `false` and the string `"false"`.
falsy(v) if v == false

falsy(v) if v == "false"

# The state of a boolean attribute: "true", "false" or "unknown" (unknown until apply).
# An absent attribute takes `default_value`.
flag(r, path, default_value) := "unknown" if {
	lib.unknown(r, path)
} else := "true" if {
	truthy(value(r, path, default_value))
} else := "false"

# The location of a resource, or an `unknown` location when the input has none.
location(r) := r.location if {
	is_object(object.get(r, "location", null))
} else := {"status": "unknown", "region": null, "countries": [], "partition": null, "reason": "no location"}

# The region to name in a message: the resolved region, else the raw one.
region_label(loc) := loc.region if {
	is_string(object.get(loc, "region", null))
} else := "an unknown region"

# Why a location could not be decided.
reason(loc) := loc.reason if {
	is_string(object.get(loc, "reason", null))
} else := "no region"

# --- Classification ---------------------------------------------------------------
#
# The `data-classification` tag (key matched ignoring case) selects the tier of the
# stricter rules: `confidential`, `restricted` and `secret` are sensitive (customer-held
# key material, no global edge services); `restricted` and `secret` also require
# encryption in use. `public` marks data that may leave the jurisdiction.

classification(r) := lower(v) if {
	v := lib.tags_lower(r)["data-classification"]
	is_string(v)
} else := ""

sensitive_classifications := {"confidential", "restricted", "secret"}

in_use_classifications := {"restricted", "secret"}

sensitive(r) if classification(r) in sensitive_classifications

in_use_tier(r) if classification(r) in in_use_classifications

public_data(r) if classification(r) == "public"

# The `criticality` tag marks workloads whose availability is critical.
critical(r) if {
	v := lib.tags_lower(r).criticality
	is_string(v)
	lower(v) == "critical"
}

# --- Keys -------------------------------------------------------------------------

# True for AWS-managed key aliases (`alias/aws/s3`, or an alias ARN ending in one): the
# customer neither holds nor controls that key.
aws_managed_key(id) if {
	is_string(id)
	startswith(id, "alias/aws/")
}

aws_managed_key(id) if {
	is_string(id)
	contains(id, ":alias/aws/")
}

# How the key argument at `path` is set: "cmk" (a customer-managed key, referenced or
# literal), "aws_managed" (an AWS-managed alias), "unknown" (known only after apply with
# no reference to say which key) or "absent".
key_state(r, path) := "aws_managed" if {
	aws_managed_key(value(r, path, ""))
} else := "cmk" if {
	some rel in lib.relations(r, "encryption_key")
	attribute_path(object.get(rel, "attribute", "")) in {"", path}
	not aws_managed_key(rel.target)
} else := "cmk" if {
	v := value(r, path, "")
	is_string(v)
	v != ""
} else := "unknown" if {
	lib.unknown(r, path)
} else := "absent"

# A relation's attribute path in the dotted form rules use: `rule[0].destination[0].bucket`
# and `rule.0.destination.0.bucket` are the same path.
attribute_path(p) := replace(replace(p, "[", "."), "]", "") if is_string(p)

attribute_path(p) := "" if not is_string(p)

# --- References between resources ---------------------------------------------------

# The keys a resource can be referred to by: its address and its identifiers.
identities(r) := {r.address} | {v |
	some key in ["id", "arn", "name", "bucket"]
	v := object.get(object_or_empty(object.get(r, "values", {})), key, null)
	is_string(v)
	v != ""
}

# What a resource refers to: the targets of its relations and the value of `attribute`.
references(source, attribute) := {rel.target | some rel in source.relations} | {v |
	v := value(source, attribute, null)
	is_string(v)
	v != ""
}

# True when `source` points at `target`: a relation to its address, or an attribute of
# `source` (`attribute`) equal to one of `target`'s identifiers (`id`, `arn`, `name`).
refers_to(source, target, attribute) if count(references(source, attribute) & identities(target)) > 0

# Everything that the resources of one type refer to through `attribute` or a relation.
# Rules keep the result in a rule of their own, so that "is this resource configured?"
# is one set intersection instead of a scan of every part per resource.
referenced(resource_type, attribute) := {x |
	some source in resources(resource_type)
	some x in references(source, attribute)
}

# --- Accounts -----------------------------------------------------------------------

account_id(x) if {
	is_string(x)
	count(x) == 12
	trim(x, "0123456789") == ""
}

# The account of an ARN, or a bare account id.
account_of(id) := parts[4] if {
	is_string(id)
	startswith(id, "arn:")
	parts := split(id, ":")
	count(parts) > 5
	account_id(parts[4])
}

account_of(id) := id if account_id(id)

# --- IAM policy documents -----------------------------------------------------------

# A policy document given as JSON text or already decoded.
document(raw) := d if {
	is_string(raw)
	json.is_valid(raw)
	d := json.unmarshal(raw)
	is_object(d)
}

document(raw) := raw if is_object(raw)

# The statements of a document, always as a list.
statements(doc) := [s | some s in doc.Statement; is_object(s)] if {
	is_array(object.get(doc, "Statement", null))
}

statements(doc) := [doc.Statement] if {
	is_object(object.get(doc, "Statement", null))
}

statements(doc) := [] if {
	s := object.get(doc, "Statement", null)
	not is_array(s)
	not is_object(s)
}

effect(s, wanted) if {
	e := object.get(s, "Effect", "")
	is_string(e)
	lower(e) == wanted
}

denies(s) if effect(s, "deny")

allows(s) if effect(s, "allow")

# True when the statement's actions include `action` (`service:Operation`), through
# `Action` patterns or as an action that `NotAction` does not exclude.
applies_to(s, action) if {
	some pattern in as_list(object.get(s, "Action", null))
	wildcard_match(pattern, action)
}

applies_to(s, action) if {
	object.get(s, "Action", null) == null
	excluded := as_list(object.get(s, "NotAction", null))
	count(excluded) > 0
	not matches_any(excluded, action)
}

matches_any(patterns, v) if {
	some pattern in patterns
	wildcard_match(pattern, v)
}

# IAM wildcard matching, ignoring case: `*` is any run of characters and `?` one
# character. Plain names and a single trailing `*` (the usual forms) are matched without
# a regular expression.
wildcard_match("*", v) if is_string(v)

wildcard_match(pattern, v) if {
	is_string(pattern)
	is_string(v)
	not contains(pattern, "*")
	not contains(pattern, "?")
	lower(pattern) == lower(v)
}

wildcard_match(pattern, v) if {
	is_string(pattern)
	is_string(v)
	endswith(pattern, "*")
	prefix := trim_suffix(pattern, "*")
	not contains(prefix, "*")
	not contains(prefix, "?")
	startswith(lower(v), lower(prefix))
}

wildcard_match(pattern, v) if {
	is_string(pattern)
	is_string(v)
	inner_wildcard(pattern)
	trim(pattern, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:*?_./-") == ""
	escaped := replace(lower(pattern), ".", `\.`)
	expression := concat("", ["^", replace(replace(escaped, "*", ".*"), "?", "."), "$"])
	regex.match(expression, lower(v))
}

inner_wildcard(pattern) if contains(pattern, "?")

inner_wildcard(pattern) if contains(trim_suffix(pattern, "*"), "*")

# The conditions of a statement on `key` (matched ignoring case), each as the operator
# and its values.
conditions(s, key) := [{"operator": operator, "values": as_list(v)} |
	some operator, block in object_or_empty(object.get(s, "Condition", {}))
	is_object(block)
	some k, v in block
	lower(k) == lower(key)
]

# True when the statement has a condition on `key` whose operator contains `operator`
# (matched ignoring case, so `StringNotEquals` also finds `ForAnyValue:StringNotEquals`).
has_condition(s, operator, key) if {
	some c in conditions(s, key)
	contains(lower(c.operator), lower(operator))
}

# True when a statement names every principal (`"*"` or `{"AWS": "*"}`).
any_principal(s) if object.get(s, "Principal", null) == "*"

any_principal(s) if {
	p := object.get(s, "Principal", null)
	is_object(p)
	"*" in as_list(object.get(p, "AWS", null))
}

# Condition keys that confine a statement to the customer's own organisation or account.
confining_keys := [
	"aws:PrincipalOrgID",
	"aws:PrincipalOrgPaths",
	"aws:PrincipalAccount",
	"aws:SourceAccount",
	"aws:SourceOrgID",
	"aws:SourceArn",
	"aws:SourceVpce",
	"aws:SourceVpc",
	"kms:CallerAccount",
]

confined(s) if {
	some key in confining_keys
	count(conditions(s, key)) > 0
}

# True when a statement denies requests that do not use TLS (`aws:SecureTransport`
# false) for `action`.
denies_insecure_transport(s, action) if {
	denies(s)
	applies_to(s, action)
	some c in conditions(s, "aws:SecureTransport")
	startswith(lower(c.operator), "bool")
	some v in c.values
	falsy(v)
}

# --- AWS Organizations --------------------------------------------------------------

# The type of an organisation policy; Terraform defaults to an SCP.
policy_type(p) := t if {
	t := value(p, "type", "SERVICE_CONTROL_POLICY")
	is_string(t)
} else := "SERVICE_CONTROL_POLICY"

# The organisation policies of one type (`SERVICE_CONTROL_POLICY`,
# `RESOURCE_CONTROL_POLICY`, `DECLARATIVE_POLICY_EC2`, ...).
org_policies(wanted) := [p | some p in resources("aws_organizations_policy"); policy_type(p) == wanted]

# The statements of an organisation policy; empty when its content is unknown or not JSON.
policy_statements(p) := statements(d) if {
	d := document(value(p, "content", null))
} else := []

# True when the policy's content is known only after apply.
content_unknown(p) if lib.unknown(p, "content")

# True when some `aws_organizations_policy_attachment` attaches the policy, by reference
# or by id.
attached(p) if {
	some a in resources("aws_organizations_policy_attachment")
	refers_to(a, p, "policy_id")
}

# The statements of every attached policy of one type.
attached_statements(wanted) := [s |
	some p in org_policies(wanted)
	attached(p)
	some s in policy_statements(p)
]

# True when some policy of the type has content known only after apply, so the absence
# of a statement cannot be decided.
any_content_unknown(wanted) if {
	some p in org_policies(wanted)
	content_unknown(p)
}

# True when the organisation enables the policy type. An organisation that does not
# list its enabled types (for example one read from a plan without them) is not held
# against the policy.
type_enabled(org, wanted) if {
	types := value(org, "enabled_policy_types", null)
	types == null
}

type_enabled(org, wanted) if {
	some t in list(value(org, "enabled_policy_types", []))
	t == wanted
}

type_enabled(org, _) if lib.unknown(org, "enabled_policy_types")

# --- S3 bucket parts ----------------------------------------------------------------

# Every `aws_s3_bucket_policy` with the keys of the buckets it may configure (its
# `configures` relation targets and its `bucket` value), built once per input.
bucket_policy_index := [{
	"keys": {rel.target | some rel in lib.relations(p, "configures")} | {b | b := value(p, "bucket", null); is_string(b)},
	"text": value(p, "policy", null),
	"unknown": policy_unknown(p),
} |
	some p in resources("aws_s3_bucket_policy")
]

policy_unknown(p) if lib.unknown(p, "policy")

policy_unknown(p) := false if not lib.unknown(p, "policy")

bucket_policies_by_key := group([[k, i] | some i, x in bucket_policy_index; some k in x.keys])

# Per bucket address, the policy documents that apply to it (`aws_s3_bucket_policy`
# resources and the legacy inline `policy` argument; unknown ones left out) and whether
# one of its policies is known only after apply.
bucket_policies := {b.address: {"documents": documents, "unknown": unknown} |
	some b in resources("aws_s3_bucket")
	indices := {i | some k in identities(b); some i in object.get(bucket_policies_by_key, k, [])}
	entries := [bucket_policy_index[i] | some i in indices]
	texts := array.concat(
		[x.text | some x in entries; x.text != null],
		[raw | raw := value(b, "policy", null); is_string(raw); raw != ""],
	)
	documents := [d | some raw in texts; d := document(raw)]
	unknown := count([x | some x in entries; x.unknown == true]) > 0
}

# The policy documents that apply to a bucket.
bucket_policy_documents(bucket) := object.get(bucket_policies, [bucket.address, "documents"], [])

# True when a bucket policy of the bucket is known only after apply.
bucket_policy_unknown(bucket) if object.get(bucket_policies, [bucket.address, "unknown"], false) == true
