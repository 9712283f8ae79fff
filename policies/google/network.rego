# Network and TLS on Google Cloud: encryption in transit, and service perimeters around the
# data APIs.
package terrane.pack.google.network

import rego.v1
import data.terrane.lib
import data.terrane.pack.google.common as gcp

rules["TRN-GCP-NET-001"] := {
	"title": "TLS 1.2 or later enforced in transit",
	"severity": "high",
	"description": concat(" ", [
		"`gcp.restrictTLSVersion` must deny `TLS_VERSION_1` and `TLS_VERSION_1_1` for Google",
		"APIs and `storage.secureHttpTransport` must be enforced; both must be among the",
		"organisation-level policies when this configuration manages any. Cloud SQL",
		"instances must accept only encrypted connections (`ssl_mode` `ENCRYPTED_ONLY` or",
		"`TRUSTED_CLIENT_CERTIFICATE_REQUIRED`; the default also accepts clear text), and",
		"load balancer SSL policies must set `min_tls_version` to `TLS_1_2` or later (the",
		"default is `TLS_1_0`).",
	]),
	"remediation": concat(" ", [
		"Declare `google_org_policy_policy` for `gcp.restrictTLSVersion` with",
		"`denied_values = [\"TLS_VERSION_1\", \"TLS_VERSION_1_1\"]` and for",
		"`storage.secureHttpTransport` with `enforce = \"TRUE\"`; on Cloud SQL set",
		"`settings { ip_configuration { ssl_mode = \"ENCRYPTED_ONLY\" } }`; on",
		"`google_compute_ssl_policy` set `min_tls_version = \"TLS_1_2\"` with the `MODERN` or",
		"`RESTRICTED` profile.",
	]),
	"resource_types": array.concat(
		["google_sql_database_instance", "google_compute_ssl_policy", "google_compute_region_ssl_policy"],
		gcp.policy_types,
	),
	"controls": ["OP:gcp.restrictTLSVersion", "OP:storage.secureHttpTransport", "CKV_GCP_6"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-NET-002"] := {
	"title": "Data APIs inside a VPC Service Controls perimeter",
	"severity": "medium",
	"description": concat(" ", [
		"A regular VPC Service Controls perimeter stops data from being copied out of its",
		"projects through Google APIs. Every regular perimeter must enforce (in `status`, not",
		"only in a dry-run `spec`) the data APIs: Cloud Storage, BigQuery and Cloud KMS by",
		"default (configurable as `vpc_sc_restricted_services`), and must contain at least",
		"one project. Which projects hold data, and whether they all sit in a perimeter, is",
		"known live.",
	]),
	"remediation": concat(" ", [
		"On `google_access_context_manager_service_perimeter` set `status { resources =",
		"[\"projects/NUMBER\"] restricted_services = [\"storage.googleapis.com\",",
		"\"bigquery.googleapis.com\", \"cloudkms.googleapis.com\"] }`; promote a tested",
		"dry-run `spec` to `status`.",
	]),
	"resource_types": perimeter_types,
	"controls": ["VPC-SC"],
	"modes": ["plan", "state", "hcl", "live"],
}

# TRN-GCP-NET-001

weak_tls := ["TLS_VERSION_1", "TLS_VERSION_1_1"]

deny contains f if {
	some p in gcp.policies_for("gcp.restrictTLSVersion")
	gcp.effective(p)
	not p.unknown
	not p.deny_all
	allowed := [v | some v in weak_tls; not v in p.denied_values]
	count(allowed) > 0
	f := lib.finding("TRN-GCP-NET-001", p.resource, sprintf(
		"`gcp.restrictTLSVersion` does not deny %s, expected %s denied",
		[gcp.quoted(allowed), gcp.quoted(weak_tls)],
	))
}

deny contains f if {
	some f in gcp.missing_guardrail("TRN-GCP-NET-001", "gcp.restrictTLSVersion", "one denying TLS 1.0 and 1.1")
}

deny contains f if {
	some f in gcp.boolean_guardrail("TRN-GCP-NET-001", "storage.secureHttpTransport")
}

ssl_mode_path := "settings.0.ip_configuration.0.ssl_mode"

encrypted_modes := {"ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"}

deny contains f if {
	some r in gcp.managed("google_sql_database_instance")
	not lib.unknown(r, ssl_mode_path)
	mode := gcp.value(r, ssl_mode_path, "ALLOW_UNENCRYPTED_AND_ENCRYPTED")
	not mode in encrypted_modes
	f := lib.finding("TRN-GCP-NET-001", r, sprintf(
		"`ssl_mode` is `%s`, expected `ENCRYPTED_ONLY` or `TRUSTED_CLIENT_CERTIFICATE_REQUIRED`",
		[mode],
	))
}

deny contains f if {
	some r in gcp.managed("google_sql_database_instance")
	lib.unknown(r, ssl_mode_path)
	f := gcp.unknown_finding("TRN-GCP-NET-001", r, ssl_mode_path, "`ENCRYPTED_ONLY`")
}

deny contains f if {
	some r in gcp.managed_of(["google_compute_ssl_policy", "google_compute_region_ssl_policy"])
	not lib.unknown(r, "min_tls_version")
	version := gcp.value(r, "min_tls_version", "TLS_1_0")
	not version in {"TLS_1_2", "TLS_1_3"}
	f := lib.finding("TRN-GCP-NET-001", r, sprintf(
		"`min_tls_version` is `%s`, expected `TLS_1_2` or later",
		[version],
	))
}

# TRN-GCP-NET-002

perimeter_types := ["google_access_context_manager_service_perimeter", "google_access_context_manager_service_perimeters"]

default vpc_sc_restricted_services := ["bigquery.googleapis.com", "cloudkms.googleapis.com", "storage.googleapis.com"]

vpc_sc_restricted_services := data.terrane.config.vpc_sc_restricted_services

# Each perimeter declared by a resource, as [name, perimeter attributes].
perimeters(r) := [[gcp.value(r, "title", r.name), r.values]] if {
	r.type == "google_access_context_manager_service_perimeter"
}

perimeters(r) := [[object.get(p, "title", "perimeter"), p] |
	some entry in gcp.list(gcp.value(r, "service_perimeters", []))
	p := gcp.object_or_empty(entry)
] if {
	r.type == "google_access_context_manager_service_perimeters"
}

regular(perimeter) if object.get(perimeter, "perimeter_type", "PERIMETER_TYPE_REGULAR") in {"PERIMETER_TYPE_REGULAR", null}

enforced_status(perimeter) := gcp.object_or_empty(statuses[0]) if {
	statuses := gcp.list(object.get(perimeter, "status", []))
	count(statuses) > 0
}

enforced_status(perimeter) := {} if {
	count(gcp.list(object.get(perimeter, "status", []))) == 0
}

# True when the listed attribute of the perimeters is unknown until apply.
perimeter_unknown(r, attribute) if {
	r.type == "google_access_context_manager_service_perimeter"
	some path in ["status", sprintf("status.0.%s", [attribute])]
	path in r.unknown
}

perimeter_unknown(r, attribute) if {
	r.type == "google_access_context_manager_service_perimeter"
	lib.unknown(r, sprintf("status.0.%s", [attribute]))
}

perimeter_unknown(r, _) if {
	r.type == "google_access_context_manager_service_perimeters"
	lib.unknown(r, "service_perimeters")
}

deny contains f if {
	some r in gcp.managed_of(perimeter_types)
	not perimeter_unknown(r, "restricted_services")
	some entry in perimeters(r)
	[title, perimeter] := entry
	regular(perimeter)
	restricted := gcp.list(object.get(enforced_status(perimeter), "restricted_services", []))
	missing := sort([s | some s in vpc_sc_restricted_services; not s in restricted])
	count(missing) > 0
	f := lib.finding("TRN-GCP-NET-002", r, sprintf(
		"perimeter `%s` does not enforce %s, expected them in `status.restricted_services`",
		[title, gcp.quoted(missing)],
	))
}

deny contains f if {
	some r in gcp.managed_of(perimeter_types)
	not perimeter_unknown(r, "resources")
	some entry in perimeters(r)
	[title, perimeter] := entry
	regular(perimeter)
	count(gcp.list(object.get(enforced_status(perimeter), "resources", []))) == 0
	f := lib.finding("TRN-GCP-NET-002", r, sprintf(
		"perimeter `%s` encloses no project in `status.resources`, expected the data projects",
		[title],
	))
}

deny contains f if {
	some r in gcp.managed_of(perimeter_types)
	perimeter_unknown(r, "restricted_services")
	f := gcp.unknown_finding("TRN-GCP-NET-002", r, "status.0.restricted_services", "the data APIs restricted")
}
