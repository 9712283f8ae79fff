# Residency of Google Cloud resources: where resources, key rings and logs live, and the
# guardrails (organisation policy, Assured Workloads) that keep them there.
package terrane.pack.google.residency

import rego.v1
import data.terrane.lib
import data.terrane.pack.google.common as gcp

rules["TRN-GCP-RES-001"] := {
	"title": "Google resources located in the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"Every managed Google Cloud resource with a location (`location`, `region` or `zone`,",
		"or the provider's default region) must lie inside the jurisdiction. Multi-regions and",
		"dual-regions count by every country they span, so `EU` and `EUR4` are inside the EU",
		"while `US`, `ASIA`, `EUR5` (London) and `EUR8` (Zurich) are not; zones count as their",
		"region. A resource whose location is `global`, or whose location the catalog cannot",
		"place (the `europe` multi-region, whose members Google does not document, or a",
		"location known only after apply), is reported: residency is never assumed.",
		"Snapshots, images and machine images are placed by their `storage_locations`.",
		"Types that hold no data of their own or inherit their location are skipped: IAM",
		"bindings and roles, projects, folders and organisation settings, organisation",
		"policies, service accounts, VPC networks, firewalls, routes, global load-balancing",
		"configuration, DNS, monitoring and logging configuration, and child resources such as",
		"bucket objects, SQL databases and users, BigQuery tables and crypto keys. Key rings",
		"(TRN-GCP-RES-003), log buckets (TRN-GCP-RES-005), Spanner instances and Cloud SQL",
		"replicas (TRN-GCP-XFR-002), Pub/Sub topics and secrets (TRN-GCP-XFR-003) are checked",
		"by the rules named.",
	]),
	"remediation": concat(" ", [
		"Set `location` (Cloud Storage, BigQuery, Artifact Registry, Cloud Run), `region`",
		"(Cloud SQL, subnetworks) or `zone` (Compute Engine) to a region of the jurisdiction,",
		"for example `europe-west3`, or to a multi-region wholly inside it such as `EU`; set",
		"`storage_locations` on snapshots and images; enforce the `gcp.resourceLocations`",
		"organisation policy with `in:eu-locations` so that new resources cannot be created",
		"elsewhere.",
	]),
	"resource_types": ["*"],
	"controls": ["OP:gcp.resourceLocations", "C5:PSS-12"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-RES-002"] := {
	"title": "Resource-location organisation policy restricted to the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"The `gcp.resourceLocations` organisation policy is Google's preventive residency",
		"control. Every value it allows must lie inside the jurisdiction: `in:eu-locations`",
		"does for the EU, while `in:europe-locations` is the continental group that admits",
		"London (`europe-west2`) and Zurich (`europe-west6`) and therefore does not. Value",
		"groups are expanded to their member locations, plain locations are placed by the",
		"catalog, and a group this rule does not know is reported as undecided. A policy that",
		"allows all values or sets no allowed value does not restrict anything. When this",
		"configuration manages organisation-level policies, one of them must configure",
		"`gcp.resourceLocations`. Resets and dry-run-only policies are reported by",
		"TRN-ALL-GOV-003; the effective policy inherited from outside this configuration can",
		"only be checked live.",
	]),
	"remediation": concat(" ", [
		"Declare `google_org_policy_policy` with `name = \"organizations/ORG_ID/policies/gcp.resourceLocations\"`",
		"and `spec { rules { values { allowed_values = [\"in:eu-locations\"] } } }` (or the",
		"per-region groups of the jurisdiction, such as `in:europe-west3-locations` for",
		"Germany); remove `allow_all` and any value outside the jurisdiction.",
	]),
	"resource_types": gcp.policy_types,
	"controls": ["OP:gcp.resourceLocations", "C5:PSS-12"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-RES-003"] := {
	"title": "KMS key rings located in the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"Cloud KMS key material lives where its key ring lives. A key ring in `global` is",
		"replicated by Google without a documented country, and the `europe` multi-region has",
		"no documented membership, so both are reported; every other key ring location must",
		"lie inside the jurisdiction.",
	]),
	"remediation": concat(" ", [
		"Create `google_kms_key_ring` with `location` set to a region of the jurisdiction",
		"(for example `europe-west3`) and re-encrypt data with keys from it; key rings cannot",
		"be moved.",
	]),
	"resource_types": ["google_kms_key_ring"],
	"controls": ["OP:gcp.resourceLocations"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-RES-004"] := {
	"title": "Assured Workloads data boundary matches the jurisdiction",
	"severity": "medium",
	"description": concat(" ", [
		"An Assured Workloads folder applies a data boundary through its `compliance_regime`",
		"and, for Sovereign Controls by Partners, its `partner`. The regions that boundary",
		"admits must all lie inside the jurisdiction: `EU_REGIONS_AND_SUPPORT` fits the EU but",
		"not a single-country jurisdiction, `LOCAL_CONTROLS_BY_S3NS` spans France, Belgium and",
		"the Netherlands, `SOVEREIGN_CONTROLS_BY_T_SYSTEMS` Germany. `REGIONAL_CONTROLS` is",
		"bounded by the workload `location`. Regimes that set no residency boundary (HIPAA,",
		"HITRUST, healthcare controls) are reported. Which folders hold data is only known",
		"live.",
	]),
	"remediation": concat(" ", [
		"Create the workload with a `compliance_regime` (and `partner`) whose boundary lies",
		"inside the jurisdiction, for example `EU_REGIONS_AND_SUPPORT` for the EU or",
		"`ASSURED_WORKLOADS_FOR_PARTNERS` with `partner = \"SOVEREIGN_CONTROLS_BY_T_SYSTEMS\"`",
		"for Germany; the regime is immutable, so move projects to a new workload folder.",
	]),
	"resource_types": ["google_assured_workloads_workload"],
	"controls": ["Assured Workloads"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-RES-005"] := {
	"title": "Log storage located in the jurisdiction",
	"severity": "medium",
	"description": concat(" ", [
		"Cloud Logging stores logs in log buckets, and creates the `_Default` and `_Required`",
		"buckets in `global` unless the organisation or folder settings set a",
		"`storage_location`. Logs carry customer data and identities, so every log bucket",
		"`location` and the default `storage_location` must lie inside the jurisdiction; an",
		"unset default storage location is reported because new buckets then go to `global`.",
	]),
	"remediation": concat(" ", [
		"Set `storage_location` on `google_logging_organization_settings` (or",
		"`google_logging_folder_settings`) to a region of the jurisdiction, and `location` on",
		"every `google_logging_project_bucket_config` (and folder, organisation and billing",
		"account bucket configs) to the same; recreate buckets that are in `global`.",
	]),
	"resource_types": array.concat(log_settings_types, log_bucket_types),
	"controls": ["C5:PSS-12.02AC"],
	"modes": ["plan", "state", "hcl", "live"],
}

# TRN-GCP-RES-001

# Type prefixes and names of resources that hold no data of their own or inherit their
# location from a parent.
global_prefixes := [
	"google_access_context_manager_", "google_apikeys_", "google_billing_",
	"google_certificate_manager_", "google_cloud_identity_", "google_compute_firewall",
	"google_compute_global_", "google_compute_organization_", "google_compute_project_",
	"google_compute_shared_vpc_", "google_dns_", "google_essential_contacts_", "google_folder",
	"google_iam_", "google_identity_platform_", "google_logging_", "google_monitoring_",
	"google_org_policy_", "google_organization_", "google_project", "google_resource_manager_",
	"google_service_account", "google_service_networking_", "google_service_usage_",
	"google_storage_bucket_", "google_storage_default_object_", "google_storage_object_",
	"google_tags_",
]

global_suffixes := ["_iam_member", "_iam_binding", "_iam_policy", "_iam_audit_config", "_iam_custom_role"]

global_types := {
	"google_bigquery_dataset_access", "google_bigquery_routine", "google_bigquery_table",
	"google_compute_backend_bucket", "google_compute_backend_bucket_signed_url_key",
	"google_compute_backend_service", "google_compute_backend_service_signed_url_key",
	"google_compute_health_check", "google_compute_http_health_check",
	"google_compute_https_health_check", "google_compute_instance_template",
	"google_compute_managed_ssl_certificate", "google_compute_network",
	"google_compute_network_peering", "google_compute_network_peering_routes_config",
	"google_compute_route", "google_compute_security_policy", "google_compute_security_policy_rule",
	"google_compute_ssl_certificate", "google_compute_ssl_policy", "google_compute_target_grpc_proxy",
	"google_compute_target_http_proxy", "google_compute_target_https_proxy",
	"google_compute_target_ssl_proxy", "google_compute_target_tcp_proxy", "google_compute_url_map",
	"google_kms_crypto_key", "google_kms_crypto_key_version", "google_kms_key_ring_import_job",
	"google_kms_secret_ciphertext", "google_os_login_ssh_public_key", "google_pubsub_schema",
	"google_pubsub_subscription", "google_secret_manager_secret_version", "google_spanner_database",
	"google_sql_database", "google_sql_ssl_cert", "google_sql_user", "google_storage_hmac_key",
	"google_storage_managed_folder", "google_storage_notification", "google_storage_transfer_agent_pool",
	"google_storage_transfer_job",
}

# Types whose location another rule checks.
delegated_types := {
	"google_kms_key_ring", "google_pubsub_topic", "google_secret_manager_secret",
	"google_spanner_instance",
}

# Types placed by their `storage_locations` list rather than a location argument.
storage_location_types := ["google_compute_image", "google_compute_machine_image", "google_compute_snapshot"]

inherently_global(t) if t in global_types

inherently_global(t) if {
	some prefix in global_prefixes
	startswith(t, prefix)
}

inherently_global(t) if {
	some suffix in global_suffixes
	endswith(t, suffix)
}

sql_replica(r) if {
	r.type == "google_sql_database_instance"
	gcp.value(r, "master_instance_name", "") != ""
}

sql_replica(r) if {
	r.type == "google_sql_database_instance"
	lib.unknown(r, "master_instance_name")
}

located(r) if {
	not inherently_global(r.type)
	not r.type in delegated_types
	not r.type in storage_location_types
	not sql_replica(r)
}

raw_location(r) := r.region if is_string(r.region)

raw_location(r) := r.location.region if {
	not is_string(r.region)
	is_string(r.location.region)
}

raw_location(r) := "none" if {
	not is_string(r.region)
	not is_string(r.location.region)
}

deny contains f if {
	some r in lib.cloud_resources("google")
	located(r)
	r.location.status == "outside"
	f := lib.finding("TRN-GCP-RES-001", r, sprintf(
		"location `%s` %s, expected a location inside jurisdiction `%s`",
		[raw_location(r), gcp.where(r.location), gcp.jurisdiction],
	))
}

deny contains f if {
	some r in lib.cloud_resources("google")
	located(r)
	r.location.status == "global"
	f := lib.finding("TRN-GCP-RES-001", r, sprintf(
		"location `%s` is not in any region, expected a location inside jurisdiction `%s`",
		[raw_location(r), gcp.jurisdiction],
	))
}

deny contains f if {
	some r in lib.cloud_resources("google")
	located(r)
	r.location.status == "unknown"
	f := lib.undecided_finding("TRN-GCP-RES-001", r, sprintf(
		"location `%s` cannot be placed (%s), expected a location inside jurisdiction `%s`",
		[raw_location(r), r.location.reason, gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed_of(storage_location_types)
	some raw in gcp.list(gcp.value(r, "storage_locations", []))
	f := gcp.location_finding("TRN-GCP-RES-001", r, "storage location", raw)
}

deny contains f if {
	some r in gcp.managed_of(storage_location_types)
	not lib.unknown(r, "storage_locations")
	count(gcp.list(gcp.value(r, "storage_locations", []))) == 0
	f := lib.undecided_finding("TRN-GCP-RES-001", r, sprintf(
		"`storage_locations` is not set so Google picks the multi-region nearest the source, expected a location inside jurisdiction `%s`",
		[gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed_of(storage_location_types)
	lib.unknown(r, "storage_locations")
	f := gcp.unknown_finding("TRN-GCP-RES-001", r, "storage_locations", "locations inside the jurisdiction")
}

# TRN-GCP-RES-002

location_policies := [p | some p in gcp.policies_for("gcp.resourceLocations"); gcp.effective(p)]

deny contains f if {
	some p in location_policies
	not p.unknown
	p.allow_all
	f := lib.finding("TRN-GCP-RES-002", p.resource, sprintf(
		"`gcp.resourceLocations` sets `allow_all`, expected only locations inside jurisdiction `%s`",
		[gcp.jurisdiction],
	))
}

deny contains f if {
	some p in location_policies
	not p.unknown
	not p.allow_all
	not p.deny_all
	count(p.allowed_values) == 0
	f := lib.finding("TRN-GCP-RES-002", p.resource, sprintf(
		"`gcp.resourceLocations` allows no explicit values so every location stays allowed, expected `allowed_values` inside jurisdiction `%s`",
		[gcp.jurisdiction],
	))
}

deny contains f if {
	some p in location_policies
	not p.unknown
	some value in p.allowed_values
	members := gcp.group_members(value)
	outside := sort([m | some m in members; gcp.location_status(m) in {"outside", "global"}])
	count(outside) > 0
	f := lib.finding("TRN-GCP-RES-002", p.resource, sprintf(
		"allowed value `%s` admits %s, expected only locations inside jurisdiction `%s`",
		[value, gcp.quoted(outside), gcp.jurisdiction],
	))
}

deny contains f if {
	some p in location_policies
	not p.unknown
	some value in p.allowed_values
	members := gcp.group_members(value)
	every m in members {
		gcp.location_status(m) in {"inside", "unknown"}
	}
	unplaced := sort([m | some m in members; gcp.location_status(m) == "unknown"])
	count(unplaced) > 0
	f := lib.undecided_finding("TRN-GCP-RES-002", p.resource, sprintf(
		"allowed value `%s` admits %s that the catalog cannot place, expected only locations inside jurisdiction `%s`",
		[value, gcp.quoted(unplaced), gcp.jurisdiction],
	))
}

deny contains f if {
	some p in location_policies
	not p.unknown
	some value in p.allowed_values
	not gcp.group_members(value)
	f := lib.undecided_finding("TRN-GCP-RES-002", p.resource, sprintf(
		"allowed value `%s` is not a known location or value group, expected only locations inside jurisdiction `%s`",
		[value, gcp.jurisdiction],
	))
}

deny contains f if {
	some p in gcp.policies_for("gcp.resourceLocations")
	p.unknown
	f := gcp.unknown_finding("TRN-GCP-RES-002", p.resource, "spec", "allowed values inside the jurisdiction")
}

deny contains f if {
	some org, anchor in gcp.missing_at_organization("gcp.resourceLocations")
	f := lib.finding("TRN-GCP-RES-002", anchor, sprintf(
		"organisation `%s` has policies in this configuration but none on `gcp.resourceLocations`, expected one restricting locations to jurisdiction `%s`",
		[org, gcp.jurisdiction],
	))
}

# TRN-GCP-RES-003

deny contains f if {
	some r in gcp.managed("google_kms_key_ring")
	not lib.unknown(r, "location")
	f := gcp.location_finding("TRN-GCP-RES-003", r, "key ring location", gcp.value(r, "location", ""))
}

deny contains f if {
	some r in gcp.managed("google_kms_key_ring")
	lib.unknown(r, "location")
	f := gcp.unknown_finding("TRN-GCP-RES-003", r, "location", "a location inside the jurisdiction")
}

# TRN-GCP-RES-004

# The locations each data boundary admits. Partner boundaries follow Google's list of
# Sovereign Controls by Partners regions.
regime_locations := {
	"EU_REGIONS_AND_SUPPORT": array.concat(gcp.eu_regions, ["EU"]),
	"US_REGIONAL_ACCESS": ["US"],
	"FEDRAMP_HIGH": ["US"],
	"FEDRAMP_MODERATE": ["US"],
	"IL2": ["US"],
	"IL4": ["US"],
	"IL5": ["US"],
	"CJIS": ["US"],
	"ITAR": ["US"],
	"IRS_1075": ["US"],
	"CA_REGIONS_AND_SUPPORT": ["northamerica-northeast1", "northamerica-northeast2"],
	"CA_PROTECTED_B": ["northamerica-northeast1", "northamerica-northeast2"],
	"JP_REGIONS_AND_SUPPORT": ["asia-northeast1", "asia-northeast2"],
	"AU_REGIONS_AND_US_SUPPORT": ["australia-southeast1", "australia-southeast2"],
	"ISR_REGIONS": ["me-west1"],
	"ISR_REGIONS_AND_SUPPORT": ["me-west1"],
	"KSA_REGIONS_AND_SUPPORT_WITH_SOVEREIGNTY_CONTROLS": ["me-central2"],
}

partner_locations := {
	"LOCAL_CONTROLS_BY_S3NS": ["europe-west1", "europe-west4", "europe-west9"],
	"SOVEREIGN_CONTROLS_BY_T_SYSTEMS": ["europe-west3"],
	"SOVEREIGN_CONTROLS_BY_SIA_MINSAIT": ["europe-southwest1"],
	"SOVEREIGN_CONTROLS_BY_PSN": ["europe-west8", "europe-west12"],
	"SOVEREIGN_CONTROLS_BY_CNTXT": ["me-central2"],
	"SOVEREIGN_CONTROLS_BY_CNTXT_NO_EKM": ["me-central2"],
}

workload_unknown(r) if lib.unknown(r, "compliance_regime")

workload_unknown(r) if lib.unknown(r, "partner")

# The boundary of a workload as [label, locations].
boundary(r) := [sprintf("compliance_regime `%s`", [regime]), regime_locations[regime]] if {
	regime := gcp.value(r, "compliance_regime", "")
	regime_locations[regime]
}

boundary(r) := [sprintf("partner `%s`", [partner]), partner_locations[partner]] if {
	gcp.value(r, "compliance_regime", "") == "ASSURED_WORKLOADS_FOR_PARTNERS"
	partner := gcp.value(r, "partner", "")
	partner_locations[partner]
}

boundary(r) := ["`REGIONAL_CONTROLS` location", [gcp.value(r, "location", "")]] if {
	gcp.value(r, "compliance_regime", "") == "REGIONAL_CONTROLS"
}

deny contains f if {
	some r in gcp.managed("google_assured_workloads_workload")
	not workload_unknown(r)
	[label, locations] := boundary(r)
	outside := sort([l | some l in locations; gcp.location_status(l) in {"outside", "global"}])
	count(outside) > 0
	f := lib.finding("TRN-GCP-RES-004", r, sprintf(
		"%s admits %s, expected a data boundary inside jurisdiction `%s`",
		[label, gcp.quoted(outside), gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed("google_assured_workloads_workload")
	not workload_unknown(r)
	[label, locations] := boundary(r)
	every l in locations {
		gcp.location_status(l) in {"inside", "unknown"}
	}
	unplaced := sort([l | some l in locations; gcp.location_status(l) == "unknown"])
	count(unplaced) > 0
	f := lib.undecided_finding("TRN-GCP-RES-004", r, sprintf(
		"%s admits %s that the catalog cannot place, expected a data boundary inside jurisdiction `%s`",
		[label, gcp.quoted(unplaced), gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed("google_assured_workloads_workload")
	not workload_unknown(r)
	not boundary(r)
	f := lib.finding("TRN-GCP-RES-004", r, sprintf(
		"compliance_regime `%s` with partner `%s` sets no data boundary, expected a regime whose boundary lies inside jurisdiction `%s`",
		[gcp.value(r, "compliance_regime", ""), gcp.value(r, "partner", ""), gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed("google_assured_workloads_workload")
	workload_unknown(r)
	f := gcp.unknown_finding("TRN-GCP-RES-004", r, "compliance_regime", "a data boundary inside the jurisdiction")
}

# TRN-GCP-RES-005

log_settings_types := ["google_logging_folder_settings", "google_logging_organization_settings"]

log_bucket_types := [
	"google_logging_billing_account_bucket_config", "google_logging_folder_bucket_config",
	"google_logging_organization_bucket_config", "google_logging_project_bucket_config",
]

deny contains f if {
	some r in gcp.managed_of(log_settings_types)
	not lib.unknown(r, "storage_location")
	raw := gcp.value(r, "storage_location", "")
	raw != ""
	f := gcp.location_finding("TRN-GCP-RES-005", r, "default log storage location", raw)
}

deny contains f if {
	some r in gcp.managed_of(log_settings_types)
	not lib.unknown(r, "storage_location")
	gcp.value(r, "storage_location", "") == ""
	f := lib.finding("TRN-GCP-RES-005", r, sprintf(
		"`storage_location` is not set so new log buckets are created in `global`, expected a location inside jurisdiction `%s`",
		[gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed_of(log_bucket_types)
	not lib.unknown(r, "location")
	f := gcp.location_finding("TRN-GCP-RES-005", r, "log bucket location", gcp.value(r, "location", ""))
}

deny contains f if {
	some r in array.concat(gcp.managed_of(log_settings_types), gcp.managed_of(log_bucket_types))
	some path in ["storage_location", "location"]
	lib.unknown(r, path)
	f := gcp.unknown_finding("TRN-GCP-RES-005", r, path, "a location inside the jurisdiction")
}
