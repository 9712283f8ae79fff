# Logging and audit evidence on Azure: resource logs and the activity log are kept, and kept
# inside the jurisdiction.
package terrane.pack.azure.logging

import rego.v1

import data.terrane.lib

rules["TRN-AZ-LOG-001"] := {
	"title": "Resource logs go to destinations inside the jurisdiction, and key vaults send them",
	"severity": "medium",
	"description": concat(" ", [
		"Resource logs record who read which secret, key or record; they are customer data and evidence at once.",
		"Every resource-level `azurerm_monitor_diagnostic_setting` must send them to a Log Analytics workspace, storage account, event hub or partner solution located inside the jurisdiction, and every key vault and Managed HSM of the estate must have such a diagnostic setting.",
		"Destinations that are not part of the estate, or whose location cannot be resolved, make the finding undecided.",
		"Subscription-level settings (the activity log) are judged by TRN-AZ-LOG-002.",
	]),
	"remediation": "Create an `azurerm_monitor_diagnostic_setting` with `target_resource_id` set to the key vault, `enabled_log { category_group = \"audit\" }` and `log_analytics_workspace_id` (or `storage_account_id`) pointing at a destination located inside the jurisdiction.",
	"resource_types": [
		"azurerm_monitor_diagnostic_setting",
		"azurerm_key_vault",
		"azurerm_key_vault_managed_hardware_security_module",
	],
	"controls": ["AZP:cf820ca0-f99e-4f3e-84fb-66e913812d21", "C5:PSS-04"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-LOG-002"] := {
	"title": "The activity log is exported to a destination inside the jurisdiction",
	"severity": "medium",
	"description": concat(" ", [
		"The activity log of a subscription records control-plane changes (Administrative), security alerts (Security) and policy evaluations (Policy).",
		"A subscription-level diagnostic setting (`target_resource_id` of a subscription) must export at least those categories (or `category_group = \"allLogs\"`) to a destination located inside the jurisdiction, and every `azurerm_subscription` of the estate must have such a setting.",
		"The location of the Log Analytics workspace that receives it is checked through the destination, and the workspace itself through TRN-AZ-RES-001.",
		"Destinations that are not part of the estate, or whose location cannot be resolved, make the finding undecided.",
	]),
	"remediation": "Create `azurerm_monitor_diagnostic_setting` with `target_resource_id = \"/subscriptions/<id>\"`, `enabled_log` blocks for `Administrative`, `Security` and `Policy`, and `log_analytics_workspace_id` of a workspace located inside the jurisdiction.",
	"resource_types": ["azurerm_monitor_diagnostic_setting", "azurerm_subscription", "azurerm_log_analytics_workspace"],
	"controls": ["C5:PSS-04", "C5:OPS-10"],
	"modes": ["plan", "state", "hcl", "live"],
}

jurisdiction := input.jurisdiction.id

destination_attributes := ["log_analytics_workspace_id", "storage_account_id", "eventhub_authorization_rule_id", "partner_solution_id"]

required_activity_categories := ["Administrative", "Security", "Policy"]

# A string attribute, or "" when it is absent, null or not a string.
text(r, path) := v if {
	v := lib.value(r, path, null)
	is_string(v)
}

text(r, path) := "" if not is_string(lib.value(r, path, null))

countries(loc) := concat("/", object.get(loc, "countries", []))

where(loc) := sprintf("`%s` (%s)", [loc.region, countries(loc)]) if is_string(object.get(loc, "region", null))

where(loc) := sprintf("(%s)", [countries(loc)]) if not is_string(object.get(loc, "region", null))

subscription_scope(d) if regex.match(`(?i)^/subscriptions/[^/]+/?$`, text(d, "target_resource_id"))

subscription_scope(d) if {
	some rel in d.relations
	rel.kind != "log_destination"
	rel.target_type == "azurerm_subscription"
}

settings := lib.resources("azurerm_monitor_diagnostic_setting")

# The rule that judges the destinations of a diagnostic setting.
setting_rule(d) := "TRN-AZ-LOG-002" if subscription_scope(d)

setting_rule(d) := "TRN-AZ-LOG-001" if not subscription_scope(d)

destination_findings(d) := {f | some f in located_destinations(d)} | {f | some f in unresolved_destinations(d)}

located_destinations(d) := {lib.finding(setting_rule(d), d, sprintf(
	"logs go to `%s` in %s, outside %s, expected a destination inside %s",
	[rel.target, where(rel.target_location), jurisdiction, jurisdiction],
)) |
	some rel in lib.relations(d, "log_destination")
	is_object(rel.target_location)
	rel.target_location.status in {"outside", "global"}
}

unresolved_destinations(d) := {f |
	some rel in lib.relations(d, "log_destination")
	f := lib.undecided_finding(setting_rule(d), d, sprintf(
		"cannot decide where logs sent to `%s` are kept: %s",
		[rel.target, destination_gap(rel)],
	))
}

destination_gap(rel) := "it is not part of the estate" if not is_object(rel.target_location)

destination_gap(rel) := object.get(rel.target_location, "reason", "its location is not in the region catalog") if {
	is_object(rel.target_location)
	rel.target_location.status == "unknown"
}

# Destinations written in the setting that the estate did not resolve into relations.
unlinked_destinations(d) := [attr |
	count(lib.relations(d, "log_destination")) == 0
	some attr in destination_attributes
	lib.present(d, attr)
]

deny contains f if {
	some d in settings
	some f in destination_findings(d)
}

deny contains f if {
	some d in settings
	unlinked := unlinked_destinations(d)
	count(unlinked) > 0
	f := lib.undecided_finding(setting_rule(d), d, sprintf(
		"cannot decide where logs are kept: %s does not resolve to a resource of the estate",
		[concat(", ", unlinked)],
	))
}

# TRN-AZ-LOG-001: key vaults without resource logs.

# What diagnostic settings observe, by address and by lowercased resource id.
observed_targets := {rel.target |
	some d in settings
	some rel in d.relations
	rel.kind != "log_destination"
} | {lower(text(d, "target_resource_id")) | some d in settings}

deny contains f if {
	some r in lib.resources_of(["azurerm_key_vault", "azurerm_key_vault_managed_hardware_security_module"])
	not observed(r)
	f := lib.finding("TRN-AZ-LOG-001", r, sprintf(
		"no diagnostic setting keeps the access logs of this `%s`, expected one sending audit logs to a destination inside %s",
		[r.type, jurisdiction],
	))
}

observed(r) if r.address in observed_targets

observed(r) if {
	id := lib.value(r, "id", null)
	is_string(id)
	lower(id) in observed_targets
}

# TRN-AZ-LOG-002: the activity log export and its categories.

exported_categories(d) := {c |
	some entry in lib.value(d, "enabled_log", [])
	c := object.get(entry, "category", null)
	is_string(c)
}

exports_all(d) if {
	some entry in lib.value(d, "enabled_log", [])
	group := object.get(entry, "category_group", null)
	is_string(group)
	lower(group) == "alllogs"
}

deny contains f if {
	some d in settings
	subscription_scope(d)
	not exports_all(d)
	not lib.unknown(d, "enabled_log")
	missing := [c | some c in required_activity_categories; not c in exported_categories(d)]
	count(missing) > 0
	f := lib.finding("TRN-AZ-LOG-002", d, sprintf(
		"activity log export leaves out %s, expected Administrative, Security and Policy",
		[concat(", ", missing)],
	))
}


deny contains f if {
	some s in lib.resources("azurerm_subscription")
	not exported(s)
	f := lib.finding("TRN-AZ-LOG-002", s, sprintf(
		"subscription `%s` has no diagnostic setting exporting its activity log, expected one sending Administrative, Security and Policy to a destination inside %s",
		[s.name, jurisdiction],
	))
}

exported(s) if s.address in observed_targets

exported(s) if {
	subscription_id := lib.value(s, "subscription_id", null)
	is_string(subscription_id)
	lower(sprintf("/subscriptions/%s", [subscription_id])) in observed_targets
}

exported(s) if {
	subscription_id := lib.value(s, "subscription_id", null)
	is_string(subscription_id)
	lower(sprintf("/subscriptions/%s/", [subscription_id])) in observed_targets
}
