# Public exposure on Google Cloud: buckets, IAM grants and network endpoints that would
# make data reachable from outside the organisation.
package terrane.pack.google.exposure

import rego.v1
import data.terrane.lib
import data.terrane.pack.google.common as gcp

rules["TRN-GCP-PUB-001"] := {
	"title": "Cloud Storage public access prevented",
	"severity": "high",
	"description": concat(" ", [
		"Buckets must set `public_access_prevention = \"enforced\"` and",
		"`uniform_bucket_level_access = true`, so that no ACL or IAM grant can publish",
		"objects. `inherited` is accepted when this configuration enforces the",
		"`storage.publicAccessPrevention` organisation policy. The organisation policies",
		"`storage.publicAccessPrevention` and `storage.uniformBucketLevelAccess` must be",
		"enforced where declared, and be among the organisation-level policies when this",
		"configuration manages any. A value known only after apply is reported as undecided.",
	]),
	"remediation": concat(" ", [
		"On `google_storage_bucket` set `public_access_prevention = \"enforced\"` and",
		"`uniform_bucket_level_access = true`; declare `google_org_policy_policy` for",
		"`storage.publicAccessPrevention` and `storage.uniformBucketLevelAccess` with",
		"`spec { rules { enforce = \"TRUE\" } }` at the organisation.",
	]),
	"resource_types": array.concat(["google_storage_bucket"], gcp.policy_types),
	"controls": [
		"OP:storage.publicAccessPrevention", "OP:storage.uniformBucketLevelAccess", "CKV_GCP_114",
		"CKV_GCP_29", "AVD-GCP-0002",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-PUB-002"] := {
	"title": "No public or foreign principals in IAM grants",
	"severity": "critical",
	"description": concat(" ", [
		"IAM members, bindings and policies on data resources (buckets, datasets, tables,",
		"KMS keys and key rings, Cloud Run, Cloud Functions, Pub/Sub, Artifact Registry,",
		"secrets, Spanner, Bigtable, projects, folders and the organisation), Cloud Storage",
		"ACLs and BigQuery dataset access entries must not grant `allUsers` or",
		"`allAuthenticatedUsers`, nor use a public predefined ACL. When",
		"`allowed_member_domains` is configured, user, group and domain members must belong",
		"to those domains. Members known only after apply are service accounts created in the",
		"same configuration in practice and are not reported.",
	]),
	"remediation": concat(" ", [
		"Remove `allUsers` and `allAuthenticatedUsers` from `member`, `members` and",
		"`policy_data`; drop `publicRead`/`publicReadWrite`/`authenticatedRead` predefined",
		"ACLs and public `role_entity` or `entity` values; grant roles to groups of the",
		"organisation's own domain, and enforce `iam.allowedPolicyMemberDomains`.",
	]),
	"resource_types": array.concat(iam_types, acl_types),
	"controls": [
		"OP:iam.allowedPolicyMemberDomains", "CKV_GCP_28", "CKV_GCP_15", "CKV_GCP_100",
		"CKV_GCP_112", "CKV_GCP_102", "CKV_GCP_99", "CKV_GCP_101",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-PUB-003"] := {
	"title": "No external IPs on VMs and Cloud SQL",
	"severity": "high",
	"description": concat(" ", [
		"Compute Engine instances and instance templates must not have an `access_config` or",
		"`ipv6_access_config` on any network interface, which gives them an external",
		"address; Cloud SQL instances must set `ip_configuration.ipv4_enabled = false`, since",
		"the provider default gives them a public IPv4 address. The organisation policies",
		"`compute.vmExternalIpAccess` (no `allow_all`) and `sql.restrictPublicIp` (enforced)",
		"are checked where declared, and must be among the organisation-level policies when",
		"this configuration manages any.",
	]),
	"remediation": concat(" ", [
		"Remove `access_config` blocks from `network_interface` and reach instances through",
		"Identity-Aware Proxy or Cloud NAT; on `google_sql_database_instance` set",
		"`settings { ip_configuration { ipv4_enabled = false private_network = ... } }`;",
		"declare `compute.vmExternalIpAccess` with `deny_all = \"TRUE\"` and",
		"`sql.restrictPublicIp` with `enforce = \"TRUE\"`.",
	]),
	"resource_types": array.concat(array.concat(instance_types, ["google_sql_database_instance"]), gcp.policy_types),
	"controls": ["OP:compute.vmExternalIpAccess", "OP:sql.restrictPublicIp", "CKV_GCP_40", "CKV_GCP_60"],
	"modes": ["plan", "state", "hcl", "live"],
}

# TRN-GCP-PUB-001

deny contains f if {
	some r in gcp.managed("google_storage_bucket")
	not lib.unknown(r, "public_access_prevention")
	value := gcp.value(r, "public_access_prevention", "inherited")
	value != "enforced"
	not inherited_from_enforced_policy(value)
	f := lib.finding("TRN-GCP-PUB-001", r, sprintf(
		"`public_access_prevention` is `%s`, expected `enforced`",
		[value],
	))
}

inherited_from_enforced_policy(value) if {
	value == "inherited"
	gcp.enforced_in_estate("storage.publicAccessPrevention")
}

deny contains f if {
	some r in gcp.managed("google_storage_bucket")
	lib.unknown(r, "public_access_prevention")
	not gcp.enforced_in_estate("storage.publicAccessPrevention")
	f := gcp.unknown_finding("TRN-GCP-PUB-001", r, "public_access_prevention", "`enforced`")
}

deny contains f if {
	some r in gcp.managed("google_storage_bucket")
	not lib.unknown(r, "uniform_bucket_level_access")
	gcp.value(r, "uniform_bucket_level_access", false) != true
	f := lib.finding("TRN-GCP-PUB-001", r, sprintf(
		"`uniform_bucket_level_access` is `%v`, expected `true`",
		[gcp.value(r, "uniform_bucket_level_access", false)],
	))
}

deny contains f if {
	some r in gcp.managed("google_storage_bucket")
	lib.unknown(r, "uniform_bucket_level_access")
	not gcp.enforced_in_estate("storage.uniformBucketLevelAccess")
	f := gcp.unknown_finding("TRN-GCP-PUB-001", r, "uniform_bucket_level_access", "`true`")
}

deny contains f if {
	some constraint in ["storage.publicAccessPrevention", "storage.uniformBucketLevelAccess"]
	some f in gcp.boolean_guardrail("TRN-GCP-PUB-001", constraint)
}

# TRN-GCP-PUB-002

iam_resources := [
	"artifact_registry_repository", "bigquery_dataset", "bigquery_table", "bigtable_instance",
	"bigtable_table", "cloud_run_service", "cloud_run_v2_job", "cloud_run_v2_service",
	"cloudfunctions2_function", "cloudfunctions_function", "folder", "kms_crypto_key",
	"kms_key_ring", "organization", "project", "pubsub_subscription", "pubsub_topic",
	"secret_manager_secret", "service_account", "spanner_database", "spanner_instance",
	"storage_bucket", "storage_managed_folder",
]

iam_types := [sprintf("google_%s_iam_%s", [resource, kind]) |
	some resource in iam_resources
	some kind in ["member", "binding", "policy"]
]

acl_types := [
	"google_bigquery_dataset", "google_bigquery_dataset_access", "google_storage_bucket_access_control",
	"google_storage_bucket_acl", "google_storage_default_object_access_control",
	"google_storage_default_object_acl", "google_storage_object_access_control", "google_storage_object_acl",
]

public_principals := {"allUsers", "allAuthenticatedUsers"}

public_acls := {"publicRead", "publicReadWrite", "authenticatedRead"}

# Every member a resource grants something to, as found in its attributes.
members(r) := [gcp.value(r, "member", "")] if endswith(r.type, "_iam_member")

members(r) := gcp.list(gcp.value(r, "members", [])) if endswith(r.type, "_iam_binding")

members(r) := [m |
	policy := json.unmarshal(gcp.value(r, "policy_data", ""))
	some binding in gcp.list(object.get(gcp.object_or_empty(policy), "bindings", []))
	some m in gcp.list(object.get(binding, "members", []))
] if {
	endswith(r.type, "_iam_policy")
	json.is_valid(gcp.value(r, "policy_data", ""))
}

members(r) := [] if {
	endswith(r.type, "_iam_policy")
	not json.is_valid(gcp.value(r, "policy_data", ""))
}

members(r) := [e |
	some entry in gcp.list(gcp.value(r, "role_entity", []))
	is_string(entry)
	parts := split(entry, ":")
	e := concat(":", array.slice(parts, 1, count(parts)))
] if endswith(r.type, "_acl")

members(r) := [gcp.value(r, "entity", "")] if endswith(r.type, "_access_control")

members(r) := [m |
	some key in ["special_group", "iam_member"]
	m := gcp.value(r, key, "")
] if r.type == "google_bigquery_dataset_access"

members(r) := [m |
	some entry in gcp.list(gcp.value(r, "access", []))
	some key in ["special_group", "iam_member"]
	m := object.get(gcp.object_or_empty(entry), key, "")
] if r.type == "google_bigquery_dataset"

default allowed_member_domains := []

allowed_member_domains := data.terrane.config.allowed_member_domains

# The domain a member belongs to, for user, group and domain members.
member_domain(m) := lower(parts[count(parts) - 1]) if {
	some prefix in ["user:", "group:"]
	startswith(m, prefix)
	parts := split(m, "@")
	count(parts) > 1
}

member_domain(m) := lower(trim_prefix(m, "domain:")) if startswith(m, "domain:")

domain_allowed(domain) if {
	some allowed in allowed_member_domains
	domain == lower(allowed)
}

domain_allowed(domain) if {
	some allowed in allowed_member_domains
	endswith(domain, concat("", [".", lower(allowed)]))
}

deny contains f if {
	some r in gcp.managed_of(array.concat(iam_types, acl_types))
	some m in members(r)
	m in public_principals
	f := lib.finding("TRN-GCP-PUB-002", r, sprintf(
		"grants access to `%s`, expected members of the organisation only",
		[m],
	))
}

deny contains f if {
	some r in gcp.managed_of(array.concat(iam_types, acl_types))
	some m in members(r)
	is_string(m)
	count(allowed_member_domains) > 0
	domain := member_domain(m)
	not domain_allowed(domain)
	f := lib.finding("TRN-GCP-PUB-002", r, sprintf(
		"grants access to `%s` of domain `%s`, expected a member of %s",
		[m, domain, gcp.quoted(allowed_member_domains)],
	))
}

deny contains f if {
	some r in gcp.managed_of(acl_types)
	acl := gcp.value(r, "predefined_acl", "")
	acl in public_acls
	f := lib.finding("TRN-GCP-PUB-002", r, sprintf(
		"predefined ACL `%s` makes data public, expected `private` or `projectPrivate`",
		[acl],
	))
}

# TRN-GCP-PUB-003

instance_types := ["google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template"]

deny contains f if {
	some r in gcp.managed_of(instance_types)
	some i, interface in gcp.list(gcp.value(r, "network_interface", []))
	some kind in ["access_config", "ipv6_access_config"]
	count(gcp.list(object.get(gcp.object_or_empty(interface), kind, []))) > 0
	f := lib.finding("TRN-GCP-PUB-003", r, sprintf(
		"`network_interface.%d.%s` gives the instance an external address, expected no external address",
		[i, kind],
	))
}

deny contains f if {
	some r in gcp.managed("google_sql_database_instance")
	not lib.unknown(r, "settings.0.ip_configuration.0.ipv4_enabled")
	gcp.value(r, "settings.0.ip_configuration.0.ipv4_enabled", true) != false
	f := lib.finding("TRN-GCP-PUB-003", r, "`settings.ip_configuration.ipv4_enabled` is true (the provider default), expected `false` with a private network")
}

deny contains f if {
	some r in gcp.managed("google_sql_database_instance")
	lib.unknown(r, "settings.0.ip_configuration.0.ipv4_enabled")
	f := gcp.unknown_finding("TRN-GCP-PUB-003", r, "settings.0.ip_configuration.0.ipv4_enabled", "`false`")
}

deny contains f if {
	some p in gcp.policies_for("compute.vmExternalIpAccess")
	gcp.effective(p)
	not p.unknown
	p.allow_all
	f := lib.finding("TRN-GCP-PUB-003", p.resource, "`compute.vmExternalIpAccess` sets `allow_all`, expected `deny_all` or a short list of approved instances")
}

deny contains f if {
	some f in gcp.missing_guardrail("TRN-GCP-PUB-003", "compute.vmExternalIpAccess", "one denying external IPs")
}

deny contains f if {
	some f in gcp.boolean_guardrail("TRN-GCP-PUB-003", "sql.restrictPublicIp")
}
