# Transfer and replication on Google Cloud. Resilience checks elsewhere reward copies in
# other regions; here a copy is fine only when every place it lands is inside the
# jurisdiction.
package terrane.pack.google.transfer

import rego.v1
import data.terrane.lib
import data.terrane.pack.google.common as gcp

rules["TRN-GCP-XFR-001"] := {
	"title": "Configurable dual-region buckets replicate inside the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"A bucket with `custom_placement_config` keeps a full copy of every object in each of",
		"its `data_locations`, whatever its `location` says; each of them must lie inside the",
		"jurisdiction (an EU bucket paired with `europe-west2` copies data to London).",
		"Predefined multi- and dual-regions (`EU`, `EUR4`, `EUR5`, ...) are expanded to their",
		"member countries by TRN-GCP-RES-001.",
	]),
	"remediation": concat(" ", [
		"Set `custom_placement_config { data_locations = [...] }` to two regions of the",
		"jurisdiction, for example `[\"EUROPE-WEST3\", \"EUROPE-WEST10\"]` for Germany; the",
		"placement cannot be changed, so copy the data to a new bucket.",
	]),
	"resource_types": ["google_storage_bucket"],
	"controls": ["OP:gcp.resourceLocations"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-XFR-002"] := {
	"title": "Database replicas and backups stay in the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"Spanner instance configurations replicate across every region they name: a",
		"`regional-*` configuration stays in its region, while multi-region configurations",
		"span several (`eur3` Belgium, Netherlands and Finland; `eur5` adds London; `eur6`",
		"has a witness in Zurich; `nam-eur-asia1` spans three continents). Every member must",
		"lie inside the jurisdiction, and a configuration whose members are not known is",
		"reported as undecided. Cloud SQL read replicas (`master_instance_name` set) must be",
		"in a region of the jurisdiction, and automated backups must be stored there: an",
		"explicit `backup_configuration.location` is placed by the catalog, and without one",
		"Cloud SQL uses the multi-region nearest the instance (`EU` for European regions,",
		"`US` for American ones). BigQuery dataset locations are checked by TRN-GCP-RES-001.",
	]),
	"remediation": concat(" ", [
		"Use a Spanner `config` whose regions all lie in the jurisdiction (for example",
		"`regional-europe-west3` or `eur3` for the EU); create Cloud SQL replicas with a",
		"`region` of the jurisdiction; set `settings { backup_configuration { location =",
		"\"europe-west3\" } }` to a region of the jurisdiction.",
	]),
	"resource_types": ["google_spanner_instance", "google_sql_database_instance"],
	"controls": ["OP:gcp.resourceLocations"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-XFR-003"] := {
	"title": "Pub/Sub messages and secrets replicated only inside the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"Pub/Sub topics persist messages in any Google region unless",
		"`message_storage_policy.allowed_persistence_regions` restricts them, so the list",
		"must be set and every region in it must lie inside the jurisdiction. Secret Manager",
		"secrets with `auto` replication are copied to locations Google chooses; secrets must",
		"use `user_managed` replication with every replica `location` inside the",
		"jurisdiction.",
	]),
	"remediation": concat(" ", [
		"On `google_pubsub_topic` add `message_storage_policy { allowed_persistence_regions",
		"= [\"europe-west3\"] enforce_in_transit = true }`; on `google_secret_manager_secret`",
		"replace `replication { auto {} }` with `replication { user_managed { replicas {",
		"location = \"europe-west3\" } } }` (or use `google_secret_manager_regional_secret`).",
	]),
	"resource_types": ["google_pubsub_topic", "google_secret_manager_secret"],
	"controls": ["C5:PSS-12"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-XFR-004"] := {
	"title": "Cross-cloud transfers and BigQuery Omni kept inside the jurisdiction",
	"severity": "medium",
	"description": concat(" ", [
		"`bigquery.disableBQOmniAWS` and `bigquery.disableBQOmniAzure` stop BigQuery from",
		"querying data in other clouds; they must be enforced where declared and be among",
		"the organisation-level policies when this configuration manages any. Storage",
		"Transfer Service jobs move data between buckets and from other clouds: every source",
		"and sink must resolve to a location inside the jurisdiction, through a bucket or",
		"storage account of this configuration; endpoints that cannot be resolved (buckets",
		"managed elsewhere, HTTP lists, on-premises file systems) are reported as undecided.",
		"BigQuery Data Transfer Service configurations must write to datasets inside the",
		"jurisdiction.",
	]),
	"remediation": concat(" ", [
		"Declare `google_org_policy_policy` for `bigquery.disableBQOmniAWS` and",
		"`bigquery.disableBQOmniAzure` with `enforce = \"TRUE\"`; point",
		"`google_storage_transfer_job` sources and sinks at buckets in the jurisdiction that",
		"this configuration manages; set `destination_dataset_id` of",
		"`google_bigquery_data_transfer_config` to a dataset in the jurisdiction.",
	]),
	"resource_types": array.concat(
		["google_storage_transfer_job", "google_bigquery_data_transfer_config"],
		gcp.policy_types,
	),
	"controls": ["OP:bigquery.disableBQOmniAWS", "OP:bigquery.disableBQOmniAzure"],
	"modes": ["plan", "state", "hcl", "live"],
}

# TRN-GCP-XFR-001

placement_path := "custom_placement_config.0.data_locations"

deny contains f if {
	some r in gcp.managed("google_storage_bucket")
	not lib.unknown(r, placement_path)
	some raw in gcp.list(gcp.value(r, placement_path, []))
	f := gcp.location_finding("TRN-GCP-XFR-001", r, "data location", raw)
}

deny contains f if {
	some r in gcp.managed("google_storage_bucket")
	lib.unknown(r, placement_path)
	f := gcp.unknown_finding("TRN-GCP-XFR-001", r, placement_path, "regions inside the jurisdiction")
}

# TRN-GCP-XFR-002

# The regions of Spanner's predefined multi-region configurations, read-write and witness.
spanner_configs := {
	"eur3": ["europe-west1", "europe-west4", "europe-north1"],
	"eur5": ["europe-west2", "europe-west1", "europe-west4"],
	"eur6": ["europe-west4", "europe-west3", "europe-west6"],
	"nam3": ["us-east4", "us-east1", "us-central1"],
	"nam14": ["us-east4", "northamerica-northeast1", "us-east1"],
	"nam-eur-asia1": ["us-central1", "us-central2", "europe-west1", "asia-east1", "us-east1"],
	"asia1": ["asia-northeast1", "asia-northeast2", "asia-northeast3"],
}

# The configuration name without its `projects/p/instanceConfigs/` prefix.
spanner_config(r) := parts[count(parts) - 1] if {
	raw := gcp.value(r, "config", "")
	is_string(raw)
	parts := split(raw, "/")
}

spanner_members(name) := [trim_prefix(name, "regional-")] if startswith(name, "regional-")

spanner_members(name) := spanner_configs[name]

deny contains f if {
	some r in gcp.managed("google_spanner_instance")
	not lib.unknown(r, "config")
	name := spanner_config(r)
	members := spanner_members(name)
	outside := sort([m | some m in members; gcp.location_status(m) in {"outside", "global"}])
	count(outside) > 0
	f := lib.finding("TRN-GCP-XFR-002", r, sprintf(
		"instance config `%s` replicates to %s, expected every replica region inside jurisdiction `%s`",
		[name, gcp.quoted(outside), gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed("google_spanner_instance")
	not lib.unknown(r, "config")
	name := spanner_config(r)
	members := spanner_members(name)
	every m in members {
		gcp.location_status(m) in {"inside", "unknown"}
	}
	unplaced := sort([m | some m in members; gcp.location_status(m) == "unknown"])
	count(unplaced) > 0
	f := lib.undecided_finding("TRN-GCP-XFR-002", r, sprintf(
		"instance config `%s` replicates to %s that the catalog cannot place, expected every replica region inside jurisdiction `%s`",
		[name, gcp.quoted(unplaced), gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed("google_spanner_instance")
	not lib.unknown(r, "config")
	name := spanner_config(r)
	not spanner_members(name)
	f := lib.undecided_finding("TRN-GCP-XFR-002", r, sprintf(
		"instance config `%s` has no documented replica regions, expected a configuration whose regions lie inside jurisdiction `%s`",
		[name, gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed("google_spanner_instance")
	lib.unknown(r, "config")
	f := gcp.unknown_finding("TRN-GCP-XFR-002", r, "config", "a configuration inside the jurisdiction")
}

sql_replica(r) if gcp.value(r, "master_instance_name", "") != ""

sql_replica(r) if lib.unknown(r, "master_instance_name")

raw_region(r) := r.region if is_string(r.region)

raw_region(r) := "none" if not is_string(r.region)

deny contains f if {
	some r in gcp.managed("google_sql_database_instance")
	sql_replica(r)
	r.location.status in {"outside", "global"}
	f := lib.finding("TRN-GCP-XFR-002", r, sprintf(
		"read replica region `%s` %s, expected a region inside jurisdiction `%s`",
		[raw_region(r), gcp.where(r.location), gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed("google_sql_database_instance")
	sql_replica(r)
	r.location.status == "unknown"
	f := lib.undecided_finding("TRN-GCP-XFR-002", r, sprintf(
		"read replica region `%s` cannot be placed (%s), expected a region inside jurisdiction `%s`",
		[raw_region(r), r.location.reason, gcp.jurisdiction],
	))
}

backup_path := "settings.0.backup_configuration.0.location"

deny contains f if {
	some r in gcp.managed("google_sql_database_instance")
	not lib.unknown(r, backup_path)
	raw := gcp.value(r, backup_path, "")
	raw != ""
	f := gcp.location_finding("TRN-GCP-XFR-002", r, "backup location", raw)
}

# The multi-region Cloud SQL picks for backups when no location is set.
default_backup_location(region) := "EU" if startswith(region, "europe-")

default_backup_location(region) := "US" if startswith(region, "us-")

default_backup_location(region) := "ASIA" if startswith(region, "asia-")

deny contains f if {
	some r in gcp.managed("google_sql_database_instance")
	gcp.value(r, "settings.0.backup_configuration.0.enabled", false) == true
	not lib.unknown(r, backup_path)
	gcp.value(r, backup_path, "") == ""
	is_string(r.location.region)
	multi := default_backup_location(r.location.region)
	loc := lib.locate("google", multi)
	loc.status != "inside"
	f := lib.finding("TRN-GCP-XFR-002", r, sprintf(
		"backups default to multi-region `%s` (%s), expected `backup_configuration.location` inside jurisdiction `%s`",
		[multi, gcp.where(loc), gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed("google_sql_database_instance")
	gcp.value(r, "settings.0.backup_configuration.0.enabled", false) == true
	not lib.unknown(r, backup_path)
	gcp.value(r, backup_path, "") == ""
	not backup_default_known(r)
	f := lib.undecided_finding("TRN-GCP-XFR-002", r, sprintf(
		"backups go to the multi-region nearest region `%s`, expected `backup_configuration.location` inside jurisdiction `%s`",
		[raw_region(r), gcp.jurisdiction],
	))
}

backup_default_known(r) if {
	is_string(r.location.region)
	default_backup_location(r.location.region)
}

deny contains f if {
	some r in gcp.managed("google_sql_database_instance")
	lib.unknown(r, backup_path)
	f := gcp.unknown_finding("TRN-GCP-XFR-002", r, backup_path, "a location inside the jurisdiction")
}

# TRN-GCP-XFR-003

persistence_path := "message_storage_policy.0.allowed_persistence_regions"

storage_policy_unknown(r) if "message_storage_policy" in r.unknown

storage_policy_unknown(r) if lib.unknown(r, persistence_path)

deny contains f if {
	some r in gcp.managed("google_pubsub_topic")
	not storage_policy_unknown(r)
	count(gcp.list(gcp.value(r, persistence_path, []))) == 0
	f := lib.finding("TRN-GCP-XFR-003", r, sprintf(
		"`%s` is not set so messages may be stored in any region, expected regions inside jurisdiction `%s`",
		[persistence_path, gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed("google_pubsub_topic")
	not storage_policy_unknown(r)
	some raw in gcp.list(gcp.value(r, persistence_path, []))
	f := gcp.location_finding("TRN-GCP-XFR-003", r, "persistence region", raw)
}

deny contains f if {
	some r in gcp.managed("google_pubsub_topic")
	storage_policy_unknown(r)
	f := gcp.unknown_finding("TRN-GCP-XFR-003", r, persistence_path, "regions inside the jurisdiction")
}

replicas_path := "replication.0.user_managed.0.replicas"

deny contains f if {
	some r in gcp.managed("google_secret_manager_secret")
	not lib.unknown(r, "replication")
	count(gcp.list(gcp.value(r, "replication.0.auto", []))) > 0
	f := lib.finding("TRN-GCP-XFR-003", r, sprintf(
		"`replication.auto` lets Google choose where the secret is copied, expected `user_managed` replicas inside jurisdiction `%s`",
		[gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed("google_secret_manager_secret")
	not lib.unknown(r, "replication")
	some replica in gcp.list(gcp.value(r, replicas_path, []))
	f := gcp.location_finding("TRN-GCP-XFR-003", r, "replica location", object.get(gcp.object_or_empty(replica), "location", ""))
}

deny contains f if {
	some r in gcp.managed("google_secret_manager_secret")
	lib.unknown(r, "replication")
	f := gcp.unknown_finding("TRN-GCP-XFR-003", r, "replication", "`user_managed` replicas inside the jurisdiction")
}

# TRN-GCP-XFR-004

deny contains f if {
	some constraint in ["bigquery.disableBQOmniAWS", "bigquery.disableBQOmniAzure"]
	some f in gcp.boolean_guardrail("TRN-GCP-XFR-004", constraint)
}

# The endpoints of a transfer job as [attribute, cloud, name].
transfer_endpoints(r) := [[path, cloud, name] |
	some spec in ["transfer_spec", "replication_spec"]
	some endpoint in [
		["gcs_data_sink", "google", "bucket_name"],
		["gcs_data_source", "google", "bucket_name"],
		["aws_s3_data_source", "aws", "bucket_name"],
		["azure_blob_storage_data_source", "azure", "storage_account"],
		["http_data_source", "other", "list_url"],
		["posix_data_sink", "other", "root_directory"],
		["posix_data_source", "other", "root_directory"],
	]
	[block, cloud, key] := endpoint
	path := sprintf("%s.0.%s.0.%s", [spec, block, key])
	name := gcp.value(r, path, "")
	name != ""
]

# The resources of the estate that a transfer endpoint names.
endpoint_resources(cloud, name) := [b |
	some b in lib.resources("google_storage_bucket")
	gcp.value(b, "name", "") == name
] if cloud == "google"

endpoint_resources(cloud, name) := [b |
	some b in lib.resources("aws_s3_bucket")
	gcp.value(b, "bucket", "") == name
] if cloud == "aws"

endpoint_resources(cloud, name) := [a |
	some a in lib.resources("azurerm_storage_account")
	gcp.value(a, "name", "") == name
] if cloud == "azure"

endpoint_resources(cloud, _) := [] if cloud == "other"

deny contains f if {
	some r in gcp.managed("google_storage_transfer_job")
	some endpoint in transfer_endpoints(r)
	[path, cloud, name] := endpoint
	some target in endpoint_resources(cloud, name)
	target.location.status in {"outside", "global"}
	f := lib.finding("TRN-GCP-XFR-004", r, sprintf(
		"`%s` is `%s` located in `%s` (%s), expected an endpoint inside jurisdiction `%s`",
		[path, name, object.get(target.location, "region", "unknown"), gcp.where(target.location), gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed("google_storage_transfer_job")
	some endpoint in transfer_endpoints(r)
	[path, cloud, name] := endpoint
	some target in endpoint_resources(cloud, name)
	target.location.status == "unknown"
	f := lib.undecided_finding("TRN-GCP-XFR-004", r, sprintf(
		"`%s` is `%s` whose location cannot be placed (%s), expected an endpoint inside jurisdiction `%s`",
		[path, name, target.location.reason, gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed("google_storage_transfer_job")
	some endpoint in transfer_endpoints(r)
	[path, cloud, name] := endpoint
	count(endpoint_resources(cloud, name)) == 0
	f := lib.undecided_finding("TRN-GCP-XFR-004", r, sprintf(
		"`%s` is `%s` which this configuration does not manage, expected an endpoint known to be inside jurisdiction `%s`",
		[path, name, gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed("google_bigquery_data_transfer_config")
	some d in destination_datasets(r)
	d.location.status in {"outside", "global"}
	f := lib.finding("TRN-GCP-XFR-004", r, sprintf(
		"destination dataset `%s` %s, expected a dataset inside jurisdiction `%s`",
		[gcp.value(d, "dataset_id", ""), gcp.where(d.location), gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed("google_bigquery_data_transfer_config")
	some d in destination_datasets(r)
	d.location.status == "unknown"
	f := lib.undecided_finding("TRN-GCP-XFR-004", r, sprintf(
		"destination dataset `%s` cannot be placed (%s), expected a dataset inside jurisdiction `%s`",
		[gcp.value(d, "dataset_id", ""), d.location.reason, gcp.jurisdiction],
	))
}

destination_datasets(r) := [d |
	dataset := gcp.value(r, "destination_dataset_id", "")
	dataset != ""
	some d in lib.resources("google_bigquery_dataset")
	gcp.value(d, "dataset_id", "") == dataset
]
