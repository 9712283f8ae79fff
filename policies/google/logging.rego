# Logging and audit evidence on Google Cloud: data access is recorded, and the records are
# kept encrypted, tamper-resistant and inside the jurisdiction.
package terrane.pack.google.logging

import rego.v1
import data.terrane.lib
import data.terrane.pack.google.common as gcp

rules["TRN-GCP-LOG-001"] := {
	"title": "Data Access audit logs enabled",
	"severity": "medium",
	"description": concat(" ", [
		"Cloud Audit Logs record reads and writes of customer data only when Data Access",
		"logs are turned on. Every audit configuration declared for a project, folder or",
		"organisation must enable both `DATA_READ` and `DATA_WRITE` for the service it",
		"names (`allServices` or a data service), so that access to data, including by",
		"operators, leaves evidence. Whether an audit configuration exists higher in the",
		"hierarchy than this configuration is only known live.",
	]),
	"remediation": concat(" ", [
		"Declare `google_organization_iam_audit_config` (or the folder or project variant)",
		"with `service = \"allServices\"` and one `audit_log_config` block each for",
		"`log_type = \"DATA_READ\"`, `\"DATA_WRITE\"` and `\"ADMIN_READ\"`.",
	]),
	"resource_types": audit_types,
	"controls": ["C5:OPS-10"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-LOG-002"] := {
	"title": "Log buckets encrypted and locked, log sinks inside the jurisdiction",
	"severity": "medium",
	"description": concat(" ", [
		"Log buckets hold the audit evidence: they must be encrypted with a customer-managed",
		"key in the jurisdiction (`cmek_settings`, or the `kms_key_name` of the organisation",
		"or folder logging settings of this configuration) and `locked` so that their",
		"retention cannot be shortened. The `_Required` bucket is managed by Google and",
		"skipped. Log sinks copy logs elsewhere: their `destination` (a Cloud Storage bucket,",
		"BigQuery dataset, Pub/Sub topic or log bucket) must be inside the jurisdiction. A",
		"destination that this configuration does not manage cannot be placed and is",
		"reported as undecided.",
	]),
	"remediation": concat(" ", [
		"On log bucket configs set `cmek_settings { kms_key_name = ... }` with a key in the",
		"bucket's region and `locked = true` with the required `retention_days`; point",
		"`destination` of `google_logging_*_sink` at a bucket, dataset or log bucket of the",
		"jurisdiction, such as",
		"`logging.googleapis.com/projects/P/locations/europe-west3/buckets/audit`.",
	]),
	"resource_types": array.concat(array.concat(bucket_types, sink_types), settings_types),
	"controls": ["C5:PSS-12.02AC"],
	"modes": ["plan", "state", "hcl", "live"],
}

# TRN-GCP-LOG-001

audit_types := [
	"google_folder_iam_audit_config", "google_organization_iam_audit_config",
	"google_project_iam_audit_config",
]

deny contains f if {
	some r in gcp.managed_of(audit_types)
	not lib.unknown(r, "audit_log_config")
	enabled := {object.get(gcp.object_or_empty(c), "log_type", "") | some c in gcp.list(gcp.value(r, "audit_log_config", []))}
	missing := [t | some t in ["DATA_READ", "DATA_WRITE"]; not t in enabled]
	count(missing) > 0
	f := lib.finding("TRN-GCP-LOG-001", r, sprintf(
		"audit config for `%s` does not enable %s, expected `DATA_READ` and `DATA_WRITE`",
		[gcp.value(r, "service", ""), gcp.quoted(missing)],
	))
}

deny contains f if {
	some r in gcp.managed_of(audit_types)
	lib.unknown(r, "audit_log_config")
	f := gcp.unknown_finding("TRN-GCP-LOG-001", r, "audit_log_config", "`DATA_READ` and `DATA_WRITE` enabled")
}

# TRN-GCP-LOG-002

bucket_types := [
	"google_logging_billing_account_bucket_config", "google_logging_folder_bucket_config",
	"google_logging_organization_bucket_config", "google_logging_project_bucket_config",
]

sink_types := [
	"google_logging_billing_account_sink", "google_logging_folder_sink",
	"google_logging_organization_sink", "google_logging_project_sink",
]

settings_types := ["google_logging_folder_settings", "google_logging_organization_settings"]

# True when logging settings of this configuration give new buckets a default key.
default_key_set if {
	some s in gcp.managed_of(settings_types)
	gcp.value(s, "kms_key_name", "") != ""
}

cmek_path := "cmek_settings.0.kms_key_name"

checked_buckets := [r | some r in gcp.managed_of(bucket_types); gcp.value(r, "bucket_id", "") != "_Required"]

deny contains f if {
	some r in checked_buckets
	not lib.unknown(r, cmek_path)
	gcp.value(r, cmek_path, "") == ""
	not default_key_set
	f := lib.finding("TRN-GCP-LOG-002", r, sprintf(
		"log bucket `%s` has no `cmek_settings`, expected a customer-managed key in jurisdiction `%s`",
		[gcp.value(r, "bucket_id", ""), gcp.jurisdiction],
	))
}

deny contains f if {
	some r in checked_buckets
	key := gcp.value(r, cmek_path, "")
	segment := gcp.location_segment(key)
	f := gcp.location_finding("TRN-GCP-LOG-002", r, "log bucket key location", segment)
}

deny contains f if {
	some r in checked_buckets
	not lib.unknown(r, "locked")
	gcp.value(r, "locked", false) != true
	f := lib.finding("TRN-GCP-LOG-002", r, sprintf(
		"log bucket `%s` is not `locked` so its retention can be shortened, expected `locked = true`",
		[gcp.value(r, "bucket_id", "")],
	))
}

deny contains f if {
	some r in gcp.managed_of(settings_types)
	key := gcp.value(r, "kms_key_name", "")
	segment := gcp.location_segment(key)
	f := gcp.location_finding("TRN-GCP-LOG-002", r, "default log key location", segment)
}

# Sinks

# The location objects a sink destination resolves to, as [label, location]; empty when
# the destination cannot be resolved.
destination_locations(r) := [[rel.target, rel.target_location] |
	some rel in lib.relations(r, "log_destination")
	is_object(rel.target_location)
] if {
	count([rel | some rel in lib.relations(r, "log_destination"); is_object(rel.target_location)]) > 0
}

destination_locations(r) := parsed_destination(gcp.value(r, "destination", "")) if {
	count([rel | some rel in lib.relations(r, "log_destination"); is_object(rel.target_location)]) == 0
}

parsed_destination(destination) := [[destination, lib.locate("google", segment)]] if {
	startswith(destination, "logging.googleapis.com/")
	segment := gcp.location_segment(destination)
}

parsed_destination(destination) := [[destination, b.location] |
	some b in gcp.named("google_storage_bucket", "name", trim_prefix(destination, "storage.googleapis.com/"))
] if {
	startswith(destination, "storage.googleapis.com/")
}

parsed_destination(destination) := [[destination, d.location] |
	parts := split(destination, "/")
	some d in gcp.named("google_bigquery_dataset", "dataset_id", parts[count(parts) - 1])
] if {
	startswith(destination, "bigquery.googleapis.com/")
}

parsed_destination(destination) := [[destination, lib.locate("google", region)] |
	parts := split(destination, "/")
	some t in gcp.named("google_pubsub_topic", "name", parts[count(parts) - 1])
	some region in gcp.list(gcp.value(t, "message_storage_policy.0.allowed_persistence_regions", []))
] if {
	startswith(destination, "pubsub.googleapis.com/")
}

parsed_destination(destination) := [] if {
	not startswith(destination, "logging.googleapis.com/")
	not startswith(destination, "storage.googleapis.com/")
	not startswith(destination, "bigquery.googleapis.com/")
	not startswith(destination, "pubsub.googleapis.com/")
}

deny contains f if {
	some r in gcp.managed_of(sink_types)
	some pair in destination_locations(r)
	[label, loc] := pair
	f := gcp.located_finding("TRN-GCP-LOG-002", r, "sink destination", label, loc)
}

deny contains f if {
	some r in gcp.managed_of(sink_types)
	not lib.unknown(r, "destination")
	count(destination_locations(r)) == 0
	f := lib.undecided_finding("TRN-GCP-LOG-002", r, sprintf(
		"sink destination `%s` cannot be placed from this configuration, expected a destination inside jurisdiction `%s`",
		[gcp.value(r, "destination", ""), gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed_of(sink_types)
	lib.unknown(r, "destination")
	count([rel | some rel in lib.relations(r, "log_destination"); is_object(rel.target_location)]) == 0
	f := gcp.unknown_finding("TRN-GCP-LOG-002", r, "destination", "a destination inside the jurisdiction")
}
