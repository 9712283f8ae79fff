# Keys and encryption on Google Cloud: customer-managed keys for data services, kept in the
# jurisdiction next to the data, with a lifecycle and access policy the customer controls.
package terrane.pack.google.keys

import rego.v1
import data.terrane.lib
import data.terrane.pack.google.common as gcp

rules["TRN-GCP-KEY-001"] := {
	"title": "CMEK organisation policies enforced",
	"severity": "medium",
	"description": concat(" ", [
		"`gcp.restrictNonCmekServices` lists the services that may only create resources",
		"protected by a customer-managed key; it must cover the data services (Cloud Storage,",
		"BigQuery, Compute Engine and Cloud SQL by default, configurable as",
		"`cmek_required_services`). `gcp.restrictCmekCryptoKeyProjects` must name the projects",
		"allowed to supply keys instead of allowing all. When this configuration manages",
		"organisation-level policies, one of them must configure",
		"`gcp.restrictNonCmekServices`.",
	]),
	"remediation": concat(" ", [
		"Declare `google_org_policy_policy` for `gcp.restrictNonCmekServices` with",
		"`spec { rules { values { denied_values = [\"storage.googleapis.com\", \"bigquery.googleapis.com\", \"compute.googleapis.com\", \"sqladmin.googleapis.com\"] } } }`",
		"and one for `gcp.restrictCmekCryptoKeyProjects` with `allowed_values` such as",
		"`under:projects/KEY_PROJECT`.",
	]),
	"resource_types": gcp.policy_types,
	"controls": ["OP:gcp.restrictNonCmekServices", "OP:gcp.restrictCmekCryptoKeyProjects"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-KEY-002"] := {
	"title": "Data encrypted with a customer-managed key in the same location",
	"severity": "high",
	"description": concat(" ", [
		"Data services must be encrypted with a Cloud KMS key the customer controls, and the",
		"key must live in the jurisdiction and in the resource's own location, so that",
		"neither the data nor the means to read it leave the perimeter. The key is found",
		"through its relation (a key in the same configuration) or the location segment of",
		"its resource name (`projects/p/locations/europe-west3/keyRings/...`). Covered:",
		"Cloud Storage buckets, BigQuery datasets, persistent disks and boot disks, Cloud SQL",
		"instances, Pub/Sub topics, Memorystore for Redis, Artifact Registry repositories,",
		"Spanner databases and GKE application-layer secrets. A key whose location cannot be",
		"decided is reported as undecided.",
	]),
	"remediation": concat(" ", [
		"Set the service's key argument to a key in the resource's location: `encryption {",
		"default_kms_key_name }` (Cloud Storage), `default_encryption_configuration {",
		"kms_key_name }` (BigQuery), `disk_encryption_key { kms_key_self_link }` and",
		"`boot_disk { kms_key_self_link }` (Compute Engine), `encryption_key_name` (Cloud",
		"SQL), `kms_key_name` (Pub/Sub, Artifact Registry), `customer_managed_key` (Redis),",
		"`encryption_config { kms_key_name }` (Spanner), `database_encryption { state =",
		"\"ENCRYPTED\", key_name }` (GKE), with the key ring in the same region.",
	]),
	"resource_types": object.keys(cmek_attributes),
	"controls": ["PR:bigquery_dataset_cmk_encryption"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-KEY-003"] := {
	"title": "KMS keys rotated, hardware-backed and protected from quick destruction",
	"severity": "medium",
	"description": concat(" ", [
		"Symmetric Cloud KMS keys must rotate at least every 90 days (configurable as",
		"`kms_max_rotation_days`); keys must be created with a protection level the tier",
		"allows, `HSM`, `EXTERNAL` or `EXTERNAL_VPC` by default (configurable as",
		"`kms_protection_levels`), since `SOFTWARE` keys never leave Google's software key",
		"store; a `destroy_scheduled_duration` below 30 days (configurable as",
		"`kms_min_destroy_days`) leaves too little time to undo a destruction. Rotation is not",
		"required for import-only and external keys, whose material the customer rotates. The",
		"organisation policies `cloudkms.allowedProtectionLevels` (no level outside the",
		"allowed ones) and `cloudkms.disableBeforeDestroy` (enforced when declared) are",
		"checked when present.",
	]),
	"remediation": concat(" ", [
		"On `google_kms_crypto_key` set `rotation_period = \"7776000s\"` or shorter,",
		"`version_template { algorithm = \"GOOGLE_SYMMETRIC_ENCRYPTION\" protection_level = \"HSM\" }`",
		"(or `EXTERNAL`/`EXTERNAL_VPC` with Cloud EKM), and leave `destroy_scheduled_duration`",
		"at its 30-day default or longer; restrict `cloudkms.allowedProtectionLevels` to the",
		"same levels.",
	]),
	"resource_types": array.concat(["google_kms_crypto_key"], gcp.policy_types),
	"controls": [
		"OP:cloudkms.allowedProtectionLevels", "OP:cloudkms.minimumDestroyScheduledDuration",
		"OP:cloudkms.disableBeforeDestroy", "CKV_GCP_43", "CKV_GCP_82",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-KEY-004"] := {
	"title": "Key Access Justifications exclude unaccepted access reasons",
	"severity": "medium",
	"description": concat(" ", [
		"A Key Access Justifications policy on a crypto key lists the reasons for which",
		"Google may use the key. Reasons the customer does not accept must not be listed:",
		"`GOOGLE_INITIATED_REVIEW` and `THIRD_PARTY_DATA_REQUEST` by default (configurable",
		"as `kaj_denied_reasons`). A key without a policy accepts every reason and is",
		"reported. The attribute exists in the google-beta provider; Key Access",
		"Justifications need an Assured Workloads enrolment, which is checked live.",
	]),
	"remediation": concat(" ", [
		"Add `key_access_justifications_policy { allowed_access_reasons = [\"CUSTOMER_INITIATED_ACCESS\", \"GOOGLE_INITIATED_SYSTEM_OPERATION\"] }`",
		"to `google_kms_crypto_key` (google-beta provider), listing only the reasons the",
		"customer accepts; an empty list denies every access.",
	]),
	"resource_types": ["google_kms_crypto_key"],
	"controls": ["Key Access Justifications"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-KEY-005"] := {
	"title": "Sensitive workloads on Confidential and Shielded VMs",
	"severity": "medium",
	"description": concat(" ", [
		"Instances labelled `data-classification` `confidential` or `restricted` must run as",
		"Confidential VMs (memory encrypted in use with AMD SEV, SEV-SNP or Intel TDX) with",
		"Secure Boot on. Every instance must keep the vTPM and integrity monitoring of",
		"Shielded VM on. The organisation policies `compute.restrictNonConfidentialComputing`",
		"and `compute.requireShieldedVm` must not be relaxed when declared.",
	]),
	"remediation": concat(" ", [
		"On `google_compute_instance` (or the instance template) set",
		"`confidential_instance_config { confidential_instance_type = \"SEV_SNP\" }` (or",
		"`enable_confidential_compute = true`) with a supported machine type such as",
		"`n2d-standard-4`, and `shielded_instance_config { enable_secure_boot = true",
		"enable_vtpm = true enable_integrity_monitoring = true }`.",
	]),
	"resource_types": array.concat(instance_types, gcp.policy_types),
	"controls": [
		"OP:compute.restrictNonConfidentialComputing", "OP:compute.requireShieldedVm", "CKV_GCP_39",
		"PR:compute_instance_confidential_computing_enabled",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

# Configuration with defaults.

default cmek_required_services := [
	"bigquery.googleapis.com", "compute.googleapis.com", "sqladmin.googleapis.com",
	"storage.googleapis.com",
]

cmek_required_services := data.terrane.config.cmek_required_services

default kms_max_rotation_days := 90

kms_max_rotation_days := data.terrane.config.kms_max_rotation_days

default kms_protection_levels := ["HSM", "EXTERNAL", "EXTERNAL_VPC"]

kms_protection_levels := data.terrane.config.kms_protection_levels

default kms_min_destroy_days := 30

kms_min_destroy_days := data.terrane.config.kms_min_destroy_days

default kaj_denied_reasons := ["GOOGLE_INITIATED_REVIEW", "THIRD_PARTY_DATA_REQUEST"]

kaj_denied_reasons := data.terrane.config.kaj_denied_reasons

# TRN-GCP-KEY-001

deny contains f if {
	some p in gcp.policies_for("gcp.restrictNonCmekServices")
	gcp.effective(p)
	not p.unknown
	p.allow_all
	f := lib.finding("TRN-GCP-KEY-001", p.resource, sprintf(
		"`gcp.restrictNonCmekServices` sets `allow_all`, expected %s to require customer-managed keys",
		[gcp.quoted(cmek_required_services)],
	))
}

deny contains f if {
	some p in gcp.policies_for("gcp.restrictNonCmekServices")
	gcp.effective(p)
	not p.unknown
	not p.allow_all
	not p.deny_all
	missing := sort([s | some s in cmek_required_services; not s in p.denied_values])
	count(missing) > 0
	f := lib.finding("TRN-GCP-KEY-001", p.resource, sprintf(
		"`gcp.restrictNonCmekServices` does not deny %s, expected every data service to require customer-managed keys",
		[gcp.quoted(missing)],
	))
}

deny contains f if {
	some p in gcp.policies_for("gcp.restrictCmekCryptoKeyProjects")
	gcp.effective(p)
	not p.unknown
	p.allow_all
	f := lib.finding("TRN-GCP-KEY-001", p.resource, "`gcp.restrictCmekCryptoKeyProjects` sets `allow_all`, expected `allowed_values` naming the key projects")
}

deny contains f if {
	some p in gcp.policies_for("gcp.restrictCmekCryptoKeyProjects")
	gcp.effective(p)
	not p.unknown
	not p.allow_all
	not p.deny_all
	count(p.allowed_values) == 0
	f := lib.finding("TRN-GCP-KEY-001", p.resource, "`gcp.restrictCmekCryptoKeyProjects` names no key project, expected `allowed_values` naming the key projects")
}

deny contains f if {
	some constraint in ["gcp.restrictNonCmekServices", "gcp.restrictCmekCryptoKeyProjects"]
	some p in gcp.policies_for(constraint)
	p.unknown
	f := gcp.unknown_finding("TRN-GCP-KEY-001", p.resource, "spec", sprintf("a policy that enforces `%s`", [constraint]))
}

deny contains f if {
	some org, anchor in gcp.missing_at_organization("gcp.restrictNonCmekServices")
	f := lib.finding("TRN-GCP-KEY-001", anchor, sprintf(
		"organisation `%s` has policies in this configuration but none on `gcp.restrictNonCmekServices`, expected one requiring customer-managed keys for %s",
		[org, gcp.quoted(cmek_required_services)],
	))
}

# TRN-GCP-KEY-002

# The attribute that holds the customer-managed key of each covered type.
cmek_attributes := {
	"google_artifact_registry_repository": "kms_key_name",
	"google_bigquery_dataset": "default_encryption_configuration.0.kms_key_name",
	"google_compute_disk": "disk_encryption_key.0.kms_key_self_link",
	"google_compute_instance": "boot_disk.0.kms_key_self_link",
	"google_compute_region_disk": "disk_encryption_key.0.kms_key_name",
	"google_container_cluster": "database_encryption.0.key_name",
	"google_pubsub_topic": "kms_key_name",
	"google_redis_instance": "customer_managed_key",
	"google_spanner_database": "encryption_config.0.kms_key_name",
	"google_sql_database_instance": "encryption_key_name",
	"google_storage_bucket": "encryption.0.default_kms_key_name",
}

key_path(r) := cmek_attributes[r.type]

key_name(r) := k if {
	k := gcp.value(r, key_path(r), "")
	is_string(k)
}

key_name(r) := "" if not is_string(gcp.value(r, key_path(r), ""))

# GKE keeps a `database_encryption` block with `state = "DECRYPTED"` when no key is used.
key_disabled(r) if {
	r.type == "google_container_cluster"
	gcp.value(r, "database_encryption.0.state", "DECRYPTED") != "ENCRYPTED"
	not lib.unknown(r, "database_encryption")
}

key_relations(r) := [rel | some rel in lib.relations(r, "encryption_key"); is_object(rel.target_location)]

has_key(r) if {
	key_name(r) != ""
	not key_disabled(r)
}

has_key(r) if lib.unknown(r, key_path(r))

has_key(r) if count(key_relations(r)) > 0

# Each key of `r` with its location object, as [label, location].
key_locations(r) := {[rel.target, rel.target_location] | some rel in key_relations(r)} if {
	count(key_relations(r)) > 0
}

key_locations(r) := {[key, lib.locate("google", segment)] |
	key := key_name(r)
	segment := gcp.location_segment(key)
} if {
	count(key_relations(r)) == 0
}

resource_region(r) := lower(r.location.region) if {
	r.location.status == "inside"
	is_string(r.location.region)
}

deny contains f if {
	some r in gcp.managed_of(object.keys(cmek_attributes))
	not has_key(r)
	f := lib.finding("TRN-GCP-KEY-002", r, sprintf(
		"`%s` is not set so Google-managed keys encrypt the data, expected a customer-managed key in jurisdiction `%s`",
		[key_path(r), gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed_of(object.keys(cmek_attributes))
	has_key(r)
	count(key_locations(r)) == 0
	f := lib.undecided_finding("TRN-GCP-KEY-002", r, sprintf(
		"the location of key `%s` cannot be decided, expected a key in the resource's location inside jurisdiction `%s`",
		[key_label(r), gcp.jurisdiction],
	))
}

key_label(r) := key_name(r) if key_name(r) != ""

key_label(r) := key_path(r) if key_name(r) == ""

deny contains f if {
	some r in gcp.managed_of(object.keys(cmek_attributes))
	has_key(r)
	some pair in key_locations(r)
	[label, loc] := pair
	loc.status in {"outside", "global"}
	f := lib.finding("TRN-GCP-KEY-002", r, sprintf(
		"key `%s` is in `%s` (%s), expected a key inside jurisdiction `%s`",
		[label, object.get(loc, "region", "unknown"), loc.reason, gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed_of(object.keys(cmek_attributes))
	has_key(r)
	some pair in key_locations(r)
	[label, loc] := pair
	loc.status == "unknown"
	f := lib.undecided_finding("TRN-GCP-KEY-002", r, sprintf(
		"key `%s` cannot be placed (%s), expected a key inside jurisdiction `%s`",
		[label, loc.reason, gcp.jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed_of(object.keys(cmek_attributes))
	has_key(r)
	some pair in key_locations(r)
	[label, loc] := pair
	loc.status == "inside"
	region := resource_region(r)
	is_string(loc.region)
	lower(loc.region) != region
	f := lib.finding("TRN-GCP-KEY-002", r, sprintf(
		"key `%s` is in `%s` while the resource is in `%s`, expected the key in the resource's location",
		[label, loc.region, region],
	))
}

# TRN-GCP-KEY-003

symmetric(r) if gcp.value(r, "purpose", "ENCRYPT_DECRYPT") == "ENCRYPT_DECRYPT"

protection_level(r) := gcp.value(r, "version_template.0.protection_level", "SOFTWARE")

customer_rotated(r) if gcp.value(r, "import_only", false) == true

customer_rotated(r) if protection_level(r) in {"EXTERNAL", "EXTERNAL_VPC"}

deny contains f if {
	some r in gcp.managed("google_kms_crypto_key")
	symmetric(r)
	not customer_rotated(r)
	not lib.unknown(r, "rotation_period")
	gcp.value(r, "rotation_period", "") == ""
	f := lib.finding("TRN-GCP-KEY-003", r, sprintf(
		"`rotation_period` is not set so the key never rotates, expected at most %d days",
		[kms_max_rotation_days],
	))
}

deny contains f if {
	some r in gcp.managed("google_kms_crypto_key")
	symmetric(r)
	not customer_rotated(r)
	raw := gcp.value(r, "rotation_period", "")
	seconds := gcp.seconds(raw)
	seconds > kms_max_rotation_days * 86400
	f := lib.finding("TRN-GCP-KEY-003", r, sprintf(
		"`rotation_period` is `%s`, expected at most %d days (%ds)",
		[raw, kms_max_rotation_days, kms_max_rotation_days * 86400],
	))
}

deny contains f if {
	some r in gcp.managed("google_kms_crypto_key")
	not lib.unknown(r, "version_template")
	level := protection_level(r)
	not level in kms_protection_levels
	f := lib.finding("TRN-GCP-KEY-003", r, sprintf(
		"protection level `%s`, expected one of %s",
		[level, gcp.quoted(kms_protection_levels)],
	))
}

deny contains f if {
	some r in gcp.managed("google_kms_crypto_key")
	raw := gcp.value(r, "destroy_scheduled_duration", "")
	seconds := gcp.seconds(raw)
	seconds < kms_min_destroy_days * 86400
	f := lib.finding("TRN-GCP-KEY-003", r, sprintf(
		"`destroy_scheduled_duration` is `%s`, expected at least %d days",
		[raw, kms_min_destroy_days],
	))
}

deny contains f if {
	some r in gcp.managed("google_kms_crypto_key")
	some path in ["rotation_period", "version_template"]
	lib.unknown(r, path)
	f := gcp.unknown_finding("TRN-GCP-KEY-003", r, path, "a value the key lifecycle rules can check")
}

deny contains f if {
	some p in gcp.policies_for("cloudkms.allowedProtectionLevels")
	gcp.effective(p)
	not p.unknown
	p.allow_all
	f := lib.finding("TRN-GCP-KEY-003", p.resource, sprintf(
		"`cloudkms.allowedProtectionLevels` sets `allow_all`, expected only %s",
		[gcp.quoted(kms_protection_levels)],
	))
}

deny contains f if {
	some p in gcp.policies_for("cloudkms.allowedProtectionLevels")
	gcp.effective(p)
	not p.unknown
	extra := sort([v | some v in p.allowed_values; not v in kms_protection_levels])
	count(extra) > 0
	f := lib.finding("TRN-GCP-KEY-003", p.resource, sprintf(
		"`cloudkms.allowedProtectionLevels` allows %s, expected only %s",
		[gcp.quoted(extra), gcp.quoted(kms_protection_levels)],
	))
}

deny contains f if {
	some p in gcp.policies_for("cloudkms.disableBeforeDestroy")
	gcp.effective(p)
	not p.unknown
	not p.enforced
	f := lib.finding("TRN-GCP-KEY-003", p.resource, "`cloudkms.disableBeforeDestroy` is not enforced, expected `enforce = \"TRUE\"`")
}

# TRN-GCP-KEY-004

kaj_path := "key_access_justifications_policy.0.allowed_access_reasons"

deny contains f if {
	some r in gcp.managed("google_kms_crypto_key")
	not lib.unknown(r, "key_access_justifications_policy")
	count(gcp.list(gcp.value(r, "key_access_justifications_policy", []))) == 0
	f := lib.finding("TRN-GCP-KEY-004", r, sprintf(
		"no `key_access_justifications_policy` so every access reason is accepted, expected a policy excluding %s",
		[gcp.quoted(kaj_denied_reasons)],
	))
}

deny contains f if {
	some r in gcp.managed("google_kms_crypto_key")
	allowed := gcp.list(gcp.value(r, kaj_path, []))
	accepted := sort([reason | some reason in allowed; reason in kaj_denied_reasons])
	count(accepted) > 0
	f := lib.finding("TRN-GCP-KEY-004", r, sprintf(
		"`allowed_access_reasons` accepts %s, expected none of %s",
		[gcp.quoted(accepted), gcp.quoted(kaj_denied_reasons)],
	))
}

deny contains f if {
	some r in gcp.managed("google_kms_crypto_key")
	lib.unknown(r, "key_access_justifications_policy")
	f := gcp.unknown_finding("TRN-GCP-KEY-004", r, kaj_path, sprintf("a list without %s", [gcp.quoted(kaj_denied_reasons)]))
}

# TRN-GCP-KEY-005

instance_types := ["google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template"]

confidential(r) if gcp.value(r, "confidential_instance_config.0.enable_confidential_compute", false) == true

confidential(r) if gcp.value(r, "confidential_instance_config.0.confidential_instance_type", "") in {"SEV", "SEV_SNP", "TDX"}

deny contains f if {
	some r in gcp.managed_of(instance_types)
	gcp.sensitive(r)
	not confidential(r)
	not lib.unknown(r, "confidential_instance_config")
	f := lib.finding("TRN-GCP-KEY-005", r, sprintf(
		"instance labelled `%s` is not a Confidential VM, expected `confidential_instance_config` with `confidential_instance_type` SEV, SEV_SNP or TDX",
		[gcp.classification(r)],
	))
}

deny contains f if {
	some r in gcp.managed_of(instance_types)
	gcp.sensitive(r)
	gcp.value(r, "shielded_instance_config.0.enable_secure_boot", false) != true
	not lib.unknown(r, "shielded_instance_config")
	f := lib.finding("TRN-GCP-KEY-005", r, sprintf(
		"instance labelled `%s` has Secure Boot off, expected `shielded_instance_config.enable_secure_boot = true`",
		[gcp.classification(r)],
	))
}

deny contains f if {
	some r in gcp.managed_of(instance_types)
	some setting in ["enable_vtpm", "enable_integrity_monitoring"]
	gcp.value(r, sprintf("shielded_instance_config.0.%s", [setting]), true) == false
	f := lib.finding("TRN-GCP-KEY-005", r, sprintf(
		"`shielded_instance_config.%s` is false, expected true",
		[setting],
	))
}

deny contains f if {
	some constraint in ["compute.requireShieldedVm"]
	some p in gcp.policies_for(constraint)
	gcp.effective(p)
	not p.unknown
	not p.enforced
	f := lib.finding("TRN-GCP-KEY-005", p.resource, sprintf("`%s` is not enforced, expected `enforce = \"TRUE\"`", [constraint]))
}

deny contains f if {
	some p in gcp.policies_for("compute.restrictNonConfidentialComputing")
	gcp.effective(p)
	not p.unknown
	p.allow_all
	f := lib.finding("TRN-GCP-KEY-005", p.resource, "`compute.restrictNonConfidentialComputing` sets `allow_all`, expected `denied_values` containing `compute.googleapis.com`")
}

deny contains f if {
	some r in gcp.managed_of(instance_types)
	gcp.sensitive(r)
	not confidential(r)
	lib.unknown(r, "confidential_instance_config")
	f := gcp.unknown_finding("TRN-GCP-KEY-005", r, "confidential_instance_config", "a Confidential VM for sensitive data")
}

deny contains f if {
	some r in gcp.managed_of(instance_types)
	gcp.sensitive(r)
	gcp.value(r, "shielded_instance_config.0.enable_secure_boot", false) != true
	lib.unknown(r, "shielded_instance_config")
	f := gcp.unknown_finding("TRN-GCP-KEY-005", r, "shielded_instance_config", "Secure Boot on for sensitive data")
}
