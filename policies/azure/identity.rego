# Identity and operator access on Azure: who outside the tenant can act on its resources.
package terrane.pack.azure.identity

import rego.v1

import data.terrane.lib

rules["TRN-AZ-IAM-002"] := {
	"title": "Lighthouse delegations go to approved tenants and grant no owner-equivalent roles",
	"severity": "high",
	"description": concat(" ", [
		"Azure Lighthouse lets principals of another tenant act on the customer's subscriptions.",
		"A delegation (`authorization` or `eligible_authorization` of `azurerm_lighthouse_definition`) must not grant a role that can change access: Owner, User Access Administrator or Role Based Access Control Administrator, since that hands control of the subscription, and of who may use its keys, to the managing tenant.",
		"When the configuration sets `azure_lighthouse_managing_tenants`, the managing tenant of every delegation must be one of those tenant ids.",
	]),
	"remediation": "Delegate only to managing tenants listed in `azure_lighthouse_managing_tenants`. Delegate narrowly scoped built-in roles (for example Reader, or a service-specific Contributor) in `authorization.role_definition_id`, and use `eligible_authorization` with just-in-time approval for anything wider; never delegate Owner, User Access Administrator or Role Based Access Control Administrator.",
	"resource_types": ["azurerm_lighthouse_definition"],
	"controls": ["SLZ:Lighthouse"],
	"modes": ["plan", "state", "hcl", "live"],
}

# Built-in roles that can grant access, and so amount to ownership of the scope.
privileged_roles := {
	"8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
	"18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
	"f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
}

# The role GUID of a role definition id, given bare or as a full resource id.
role_guid(id) := lower(parts[count(parts) - 1]) if {
	is_string(id)
	parts := split(id, "/")
}

deny contains f if {
	some r in lib.resources("azurerm_lighthouse_definition")
	some block in ["authorization", "eligible_authorization"]
	some grant in lib.value(r, block, [])
	role := privileged_roles[role_guid(object.get(grant, "role_definition_id", null))]
	f := lib.finding("TRN-AZ-IAM-002", r, sprintf(
		"%s delegates role `%s` to principal `%s` of managing tenant `%s`, expected no owner-equivalent role",
		[block, role, object.get(grant, "principal_id", "unknown"), lib.value(r, "managing_tenant_id", "unknown")],
	))
}

default approved_managing_tenants := []

approved_managing_tenants := data.terrane.config.azure_lighthouse_managing_tenants

deny contains f if {
	count(approved_managing_tenants) > 0
	some r in lib.resources("azurerm_lighthouse_definition")
	tenant := lib.value(r, "managing_tenant_id", null)
	is_string(tenant)
	not lower(tenant) in {lower(t) | some t in approved_managing_tenants}
	f := lib.finding("TRN-AZ-IAM-002", r, sprintf(
		"managing tenant `%s` is not an approved managing tenant, expected one of %s",
		[tenant, concat(", ", approved_managing_tenants)],
	))
}
