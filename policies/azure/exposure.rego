# Public exposure of Azure data services: public endpoints, anonymous access, shared keys.
package terrane.pack.azure.exposure

import rego.v1

import data.terrane.lib

rules["TRN-AZ-PUB-001"] := {
	"title": "Storage accounts are not reachable from the internet or anonymously",
	"severity": "high",
	"description": concat(" ", [
		"A storage account must not accept traffic from the internet: `public_network_access_enabled = false`, or network rules whose `default_action` is `Deny` (inline `network_rules` or an `azurerm_storage_account_network_rules` resource of the estate).",
		"It must not let containers be made public (`allow_nested_items_to_be_public = false`) and must not accept shared-key authorisation (`shared_access_key_enabled = false`), so that every access is by an Entra ID identity of the tenant.",
		"The provider defaults of all three settings are permissive, so an absent setting is reported; a setting unknown until apply makes the finding undecided.",
	]),
	"remediation": "Set `public_network_access_enabled = false` (reach the account through private endpoints) or `network_rules { default_action = \"Deny\" }`, `allow_nested_items_to_be_public = false` and `shared_access_key_enabled = false` (with `storage_use_azuread = true` in the provider block).",
	"resource_types": ["azurerm_storage_account", "azurerm_storage_account_network_rules"],
	"controls": [
		"AZP:b2982f36-99f2-4db5-8eff-283140c09693",
		"AZP:4fa4b6c0-31ca-4c0d-b10d-24b96f62a751",
		"AZP:8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54",
		"CKV_AZURE_59",
		"CKV_AZURE_190",
		"CKV_AZURE_35",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-PUB-002"] := {
	"title": "Data services disable public network access",
	"severity": "high",
	"description": concat(" ", [
		"SQL servers and managed instances, key vaults and Managed HSMs, Cosmos DB, PostgreSQL flexible servers, Redis, container registries, Event Hubs and Service Bus namespaces, Synapse workspaces, Cognitive Services accounts, AI Search services and Data Factories must not expose a public endpoint.",
		"Each is judged on its own public-access argument (`public_network_access_enabled`; `public_network_enabled` on Data Factory; `public_data_endpoint_enabled` on SQL managed instances), whose provider default is permissive except on managed instances; key vaults may instead keep a firewall with `network_acls.default_action = \"Deny\"`.",
		"Whether a private endpoint exists is not checked here: it is often declared in another configuration.",
	]),
	"remediation": "Set `public_network_access_enabled = false` (or the service's equivalent argument) and reach the service through an `azurerm_private_endpoint`; for key vaults, `network_acls { default_action = \"Deny\", bypass = \"AzureServices\" }` is accepted.",
	"resource_types": [
		"azurerm_mssql_server",
		"azurerm_mssql_managed_instance",
		"azurerm_key_vault",
		"azurerm_key_vault_managed_hardware_security_module",
		"azurerm_cosmosdb_account",
		"azurerm_postgresql_flexible_server",
		"azurerm_redis_cache",
		"azurerm_container_registry",
		"azurerm_eventhub_namespace",
		"azurerm_servicebus_namespace",
		"azurerm_synapse_workspace",
		"azurerm_cognitive_account",
		"azurerm_search_service",
		"azurerm_data_factory",
	],
	"controls": [
		"AZP:1b8ca024-1d5c-4dec-8995-b1a932b41780",
		"AZP:405c5871-3e91-4644-8a63-58e19d68ff5b",
		"CKV_AZURE_113",
		"CKV_AZURE_189",
		"CKV_AZURE_101",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

# TRN-AZ-PUB-001

default_deny(r) if lib.setting(r, "network_rules.0.default_action", "Allow") == "Deny"

default_deny(r) if r.address in deny_rule_targets

default_deny(r) if {
	id := lib.value(r, "id", null)
	is_string(id)
	lower(id) in deny_rule_targets
}

deny_rules := [acl |
	some acl in lib.resources("azurerm_storage_account_network_rules")
	lib.setting(acl, "default_action", "Allow") == "Deny"
]

# The accounts that default-deny network rules apply to, by address and lowercased id.
deny_rule_targets := {rel.target | some acl in deny_rules; some rel in acl.relations} | {lower(id) |
	some acl in deny_rules
	id := lib.value(acl, "storage_account_id", null)
	is_string(id)
}

storage_gaps(r) := array.concat(
	array.concat(
		["public_network_access_enabled is true without default-deny network rules" |
			lib.setting(r, "public_network_access_enabled", true) == true
			not lib.unknown(r, "public_network_access_enabled")
			not default_deny(r)
		],
		["allow_nested_items_to_be_public is true" |
			lib.setting(r, "allow_nested_items_to_be_public", true) == true
			not lib.unknown(r, "allow_nested_items_to_be_public")
		],
	),
	["shared_access_key_enabled is true" |
		lib.setting(r, "shared_access_key_enabled", true) == true
		not lib.unknown(r, "shared_access_key_enabled")
	],
)

storage_pending(r) := [attr |
	some attr in ["public_network_access_enabled", "allow_nested_items_to_be_public", "shared_access_key_enabled"]
	lib.unknown(r, attr)
]

deny contains f if {
	some r in lib.resources("azurerm_storage_account")
	gaps := storage_gaps(r)
	count(gaps) > 0
	f := lib.finding("TRN-AZ-PUB-001", r, sprintf(
		"storage account is exposed: %s; expected public access off (or default-deny network rules), no public containers and no shared keys",
		[concat("; ", gaps)],
	))
}

deny contains f if {
	some r in lib.resources("azurerm_storage_account")
	count(storage_gaps(r)) == 0
	pending := storage_pending(r)
	count(pending) > 0
	f := lib.undecided_finding("TRN-AZ-PUB-001", r, sprintf(
		"cannot decide exposure: %s unknown until apply",
		[concat(", ", pending)],
	))
}

# TRN-AZ-PUB-002

# The argument that opens each service to the internet, and its provider default.
public_switch := {
	"azurerm_mssql_server": {"attribute": "public_network_access_enabled", "default": true},
	"azurerm_mssql_managed_instance": {"attribute": "public_data_endpoint_enabled", "default": false},
	"azurerm_key_vault": {"attribute": "public_network_access_enabled", "default": true},
	"azurerm_key_vault_managed_hardware_security_module": {"attribute": "public_network_access_enabled", "default": true},
	"azurerm_cosmosdb_account": {"attribute": "public_network_access_enabled", "default": true},
	"azurerm_postgresql_flexible_server": {"attribute": "public_network_access_enabled", "default": true},
	"azurerm_redis_cache": {"attribute": "public_network_access_enabled", "default": true},
	"azurerm_container_registry": {"attribute": "public_network_access_enabled", "default": true},
	"azurerm_eventhub_namespace": {"attribute": "public_network_access_enabled", "default": true},
	"azurerm_servicebus_namespace": {"attribute": "public_network_access_enabled", "default": true},
	"azurerm_synapse_workspace": {"attribute": "public_network_access_enabled", "default": true},
	"azurerm_cognitive_account": {"attribute": "public_network_access_enabled", "default": true},
	"azurerm_search_service": {"attribute": "public_network_access_enabled", "default": true},
	"azurerm_data_factory": {"attribute": "public_network_enabled", "default": true},
}

firewalled(r) if {
	r.type == "azurerm_key_vault"
	lib.setting(r, "network_acls.0.default_action", "Allow") == "Deny"
}

deny contains f if {
	some t, switch in public_switch
	some r in lib.resources(t)
	lib.setting(r, switch.attribute, switch.default) == true
	not lib.unknown(r, switch.attribute)
	not firewalled(r)
	f := lib.finding("TRN-AZ-PUB-002", r, sprintf(
		"%s is true, so `%s` has a public endpoint; expected %s = false and private endpoints",
		[switch.attribute, t, switch.attribute],
	))
}

deny contains f if {
	some t, switch in public_switch
	some r in lib.resources(t)
	lib.unknown(r, switch.attribute)
	not firewalled(r)
	f := lib.undecided_finding("TRN-AZ-PUB-002", r, sprintf(
		"cannot decide exposure: %s is unknown until apply",
		[switch.attribute],
	))
}
