# Identity and operator access on Google Cloud: who may be granted access, and whether
# Google staff need the customer's approval to reach the data.
package terrane.pack.google.identity

import rego.v1
import data.terrane.lib
import data.terrane.pack.google.common as gcp

rules["TRN-GCP-IAM-001"] := {
	"title": "IAM restricted to the organisation's directory, no service account keys",
	"severity": "high",
	"description": concat(" ", [
		"`iam.allowedPolicyMemberDomains` must restrict IAM members to the customer's own",
		"Cloud Identity directories: no `allow_all`, and at least one allowed customer ID",
		"(all of them among `allowed_customer_ids` when that is configured).",
		"`iam.disableServiceAccountKeyCreation` must be enforced, since downloadable keys are",
		"long-lived credentials that leave the platform. When this configuration manages",
		"organisation-level policies, both constraints (or their managed variants",
		"`iam.managed.allowedPolicyMembers` and `iam.managed.disableServiceAccountKeyCreation`)",
		"must be among them.",
	]),
	"remediation": concat(" ", [
		"Declare `google_org_policy_policy` for `iam.allowedPolicyMemberDomains` with",
		"`spec { rules { values { allowed_values = [\"C0xxxxxxx\"] } } }` (the directory",
		"customer ID) and for `iam.disableServiceAccountKeyCreation` with",
		"`spec { rules { enforce = \"TRUE\" } }`; use Workload Identity Federation instead of",
		"keys.",
	]),
	"resource_types": gcp.policy_types,
	"controls": ["OP:iam.allowedPolicyMemberDomains", "OP:iam.disableServiceAccountKeyCreation"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-GCP-IAM-002"] := {
	"title": "Access Approval enrolled for data services",
	"severity": "medium",
	"description": concat(" ", [
		"With Access Approval, Google personnel can access customer content only after the",
		"customer approves the request. Access Approval settings declared for an",
		"organisation, folder or project must enrol `all` services or at least Cloud Storage,",
		"BigQuery, Cloud KMS and Compute Engine (configurable as `access_approval_services`).",
		"Access Transparency, which logs Google's access, is an organisation setting without",
		"a Terraform resource and is checked live.",
	]),
	"remediation": concat(" ", [
		"Declare `google_organization_access_approval_settings` with",
		"`enrolled_services { cloud_product = \"all\" }` and `notification_emails` of the team",
		"that approves requests; enable Access Transparency in the console.",
	]),
	"resource_types": approval_types,
	"controls": ["Access Approval", "Access Transparency"],
	"modes": ["plan", "state", "hcl", "live"],
}

# TRN-GCP-IAM-001

default allowed_customer_ids := []

allowed_customer_ids := data.terrane.config.allowed_customer_ids

domain_constraints := ["iam.allowedPolicyMemberDomains", "iam.managed.allowedPolicyMembers"]

key_constraints := ["iam.disableServiceAccountKeyCreation", "iam.managed.disableServiceAccountKeyCreation"]

domain_policies := [p | some p in gcp.policies_for("iam.allowedPolicyMemberDomains"); gcp.effective(p); not p.unknown]

deny contains f if {
	some p in domain_policies
	p.allow_all
	f := lib.finding("TRN-GCP-IAM-001", p.resource, "`iam.allowedPolicyMemberDomains` sets `allow_all`, expected only the organisation's directory customer IDs")
}

deny contains f if {
	some p in domain_policies
	not p.allow_all
	not p.deny_all
	count(p.allowed_values) == 0
	f := lib.finding("TRN-GCP-IAM-001", p.resource, "`iam.allowedPolicyMemberDomains` allows no customer ID so any domain stays allowed, expected the organisation's directory customer IDs")
}

deny contains f if {
	some p in domain_policies
	count(allowed_customer_ids) > 0
	some v in p.allowed_values
	not v in allowed_customer_ids
	f := lib.finding("TRN-GCP-IAM-001", p.resource, sprintf(
		"`iam.allowedPolicyMemberDomains` allows `%s`, expected only %s",
		[v, gcp.quoted(allowed_customer_ids)],
	))
}

deny contains f if {
	some p in gcp.policies_for("iam.disableServiceAccountKeyCreation")
	gcp.effective(p)
	not p.unknown
	not p.enforced
	f := lib.finding("TRN-GCP-IAM-001", p.resource, "`iam.disableServiceAccountKeyCreation` is not enforced, expected `enforce = \"TRUE\"`")
}

deny contains f if {
	some constraint in array.concat(domain_constraints, key_constraints)
	some p in gcp.policies_for(constraint)
	p.unknown
	f := gcp.unknown_finding("TRN-GCP-IAM-001", p.resource, "spec", sprintf("a policy that enforces `%s`", [constraint]))
}

deny contains f if {
	some constraints in [domain_constraints, key_constraints]
	some org, anchor in gcp.missing_at_organization(constraints[0])
	not gcp.has_policy(org, constraints[1])
	f := lib.finding("TRN-GCP-IAM-001", anchor, sprintf(
		"organisation `%s` has policies in this configuration but none on `%s`, expected it enforced",
		[org, constraints[0]],
	))
}

# TRN-GCP-IAM-002

approval_types := [
	"google_folder_access_approval_settings", "google_organization_access_approval_settings",
	"google_project_access_approval_settings",
]

default access_approval_services := [
	"bigquery.googleapis.com", "cloudkms.googleapis.com", "compute.googleapis.com",
	"storage.googleapis.com",
]

access_approval_services := data.terrane.config.access_approval_services

deny contains f if {
	some r in gcp.managed_of(approval_types)
	not lib.unknown(r, "enrolled_services")
	enrolled := {object.get(gcp.object_or_empty(s), "cloud_product", "") | some s in gcp.list(gcp.value(r, "enrolled_services", []))}
	not "all" in enrolled
	missing := sort([s | some s in access_approval_services; not s in enrolled])
	count(missing) > 0
	f := lib.finding("TRN-GCP-IAM-002", r, sprintf(
		"enrolled services omit %s, expected `all` or every data service",
		[gcp.quoted(missing)],
	))
}

deny contains f if {
	some r in gcp.managed_of(approval_types)
	lib.unknown(r, "enrolled_services")
	f := gcp.unknown_finding("TRN-GCP-IAM-002", r, "enrolled_services", "`all` or every data service")
}
