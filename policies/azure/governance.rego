# Governance of Azure guardrails: exemptions from policy stay visible, justified and
# temporary.
package terrane.pack.azure.governance

import rego.v1

import data.terrane.lib

rules["TRN-AZ-GOV-001"] := {
	"title": "Policy exemptions are categorised, described and expire",
	"severity": "medium",
	"description": concat(" ", [
		"An exemption switches a guardrail off for a scope; an exemption of a residency or key policy is a sovereignty exception.",
		"Every exemption must state its category (`Waiver` or `Mitigated`), a `description` of why it is acceptable, and an `expires_on` date so that it is reviewed.",
		"The rule applies to every exemption, since an exemption of an initiative assignment covers the sovereignty policies inside it.",
	]),
	"remediation": "Set `exemption_category = \"Waiver\"` or `\"Mitigated\"`, a `description` naming the reason and the approver, and `expires_on` (RFC 3339) no further out than the next review.",
	"resource_types": [
		"azurerm_management_group_policy_exemption",
		"azurerm_subscription_policy_exemption",
		"azurerm_resource_group_policy_exemption",
		"azurerm_resource_policy_exemption",
	],
	"controls": ["SLZ:PolicyExemptions"],
	"modes": ["plan", "state", "hcl", "live"],
}

exemption_types := [
	"azurerm_management_group_policy_exemption",
	"azurerm_subscription_policy_exemption",
	"azurerm_resource_group_policy_exemption",
	"azurerm_resource_policy_exemption",
]

categories := {"Waiver", "Mitigated"}

blank(r, attribute) if {
	not lib.present(r, attribute)
}

blank(r, attribute) if {
	v := lib.value(r, attribute, null)
	is_string(v)
	trim_space(v) == ""
}

exemption_gaps(r) := array.concat(
	array.concat(
		[sprintf("exemption_category is `%s`", [c]) |
			c := lib.value(r, "exemption_category", null)
			not c in categories
			not lib.unknown(r, "exemption_category")
		],
		["description is missing" | blank(r, "description")],
	),
	["expires_on is missing" | blank(r, "expires_on")],
)

deny contains f if {
	some r in lib.resources_of(exemption_types)
	gaps := exemption_gaps(r)
	count(gaps) > 0
	f := lib.finding("TRN-AZ-GOV-001", r, sprintf(
		"exemption is not accountable: %s; expected a Waiver or Mitigated category, a description and expires_on",
		[concat("; ", gaps)],
	))
}
