# Encryption in transit on Azure: HTTPS only and TLS 1.2 or later.
package terrane.pack.azure.network

import rego.v1

import data.terrane.lib

rules["TRN-AZ-NET-001"] := {
	"title": "Storage accounts accept only HTTPS with TLS 1.2 or later",
	"severity": "medium",
	"description": "A storage account must refuse plain HTTP (`https_traffic_only_enabled = true`, the default) and TLS older than 1.2 (`min_tls_version` `TLS1_2`, the default for new accounts), so that data is never readable on the wire.",
	"remediation": "Set `https_traffic_only_enabled = true` and `min_tls_version = \"TLS1_2\"`.",
	"resource_types": ["azurerm_storage_account"],
	"controls": [
		"AZP:fe83a0eb-a853-422d-aac2-1bffd182c5d0",
		"AZP:404c3081-a854-4457-ae30-26a93ef643f9",
		"CKV_AZURE_44",
		"CKV_AZURE_3",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-NET-002"] := {
	"title": "Databases, caches, messaging and web apps require TLS 1.2 or later",
	"severity": "medium",
	"description": concat(" ", [
		"The minimum TLS version must be 1.2 or later on SQL servers and managed instances (`minimum_tls_version`; `Disabled` allows every version), Cosmos DB (`minimal_tls_version`), Redis (`minimum_tls_version`, and `non_ssl_port_enabled` off), Event Hubs and Service Bus namespaces (`minimum_tls_version`) and App Service web and function apps (`site_config.minimum_tls_version` and `scm_minimum_tls_version`, plus `https_only = true`).",
		"PostgreSQL and MySQL flexible servers enforce TLS through server parameters: `ssl_min_protocol_version` / `tls_version` must not allow versions before 1.2 and `require_secure_transport` must stay on.",
	]),
	"remediation": "Set the minimum TLS argument to `\"1.2\"` (`\"Tls12\"` on Cosmos DB), set `https_only = true` on apps and `non_ssl_port_enabled = false` on Redis, and do not lower `ssl_min_protocol_version`, `tls_version` or `require_secure_transport` on flexible servers.",
	"resource_types": [
		"azurerm_mssql_server",
		"azurerm_mssql_managed_instance",
		"azurerm_cosmosdb_account",
		"azurerm_redis_cache",
		"azurerm_eventhub_namespace",
		"azurerm_servicebus_namespace",
		"azurerm_linux_web_app",
		"azurerm_windows_web_app",
		"azurerm_linux_function_app",
		"azurerm_windows_function_app",
		"azurerm_postgresql_flexible_server_configuration",
		"azurerm_mysql_flexible_server_configuration",
	],
	"controls": [
		"AZP:32e6bbec-16b6-44c2-be37-c5b672d103cf",
		"AZP:f1fe6a81-eee9-47b8-9f7f-80685141209e",
		"CKV_AZURE_52",
		"CKV_AZURE_15",
		"CKV_AZURE_148",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

# A TLS version as a number: 10 for TLS 1.0, 12 for TLS 1.2. Values that name no version
# (`Disabled`, `None`, Cosmos DB's `Tls` for 1.0) count as TLS 1.0, the weakest.
tls_rank(v) := 10 if {
	digits := regex.find_n(`[0-9]`, v, -1)
	count(digits) == 0
}

tls_rank(v) := to_number(digits[0]) * 10 if {
	digits := regex.find_n(`[0-9]`, v, -1)
	count(digits) == 1
}

tls_rank(v) := to_number(concat("", [digits[0], digits[1]])) if {
	digits := regex.find_n(`[0-9]`, v, -1)
	count(digits) >= 2
}

weak_tls(v) if {
	is_string(v)
	tls_rank(v) < 12
}

# TRN-AZ-NET-001

deny contains f if {
	some r in lib.resources("azurerm_storage_account")
	gaps := array.concat(
		[sprintf("min_tls_version is `%s`", [v]) | v := lib.setting(r, "min_tls_version", "TLS1_2"); weak_tls(v)],
		["https_traffic_only_enabled is false" | lib.setting(r, "https_traffic_only_enabled", true) == false],
	)
	count(gaps) > 0
	f := lib.finding("TRN-AZ-NET-001", r, sprintf(
		"storage account accepts weak transport: %s; expected HTTPS only and TLS1_2",
		[concat("; ", gaps)],
	))
}

# TRN-AZ-NET-002

# The minimum TLS argument of each service and its provider default.
tls_settings := {
	"azurerm_mssql_server": {"minimum_tls_version": "1.2"},
	"azurerm_mssql_managed_instance": {"minimum_tls_version": "1.2"},
	"azurerm_cosmosdb_account": {"minimal_tls_version": "Tls12"},
	"azurerm_redis_cache": {"minimum_tls_version": "1.2"},
	"azurerm_eventhub_namespace": {"minimum_tls_version": "1.2"},
	"azurerm_servicebus_namespace": {"minimum_tls_version": "1.2"},
	"azurerm_linux_web_app": {"site_config.0.minimum_tls_version": "1.2", "site_config.0.scm_minimum_tls_version": "1.2"},
	"azurerm_windows_web_app": {"site_config.0.minimum_tls_version": "1.2", "site_config.0.scm_minimum_tls_version": "1.2"},
	"azurerm_linux_function_app": {"site_config.0.minimum_tls_version": "1.2", "site_config.0.scm_minimum_tls_version": "1.2"},
	"azurerm_windows_function_app": {"site_config.0.minimum_tls_version": "1.2", "site_config.0.scm_minimum_tls_version": "1.2"},
}

app_types := {"azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_linux_function_app", "azurerm_windows_function_app"}

service_gaps(r, settings) := array.concat(
	array.concat(
		[sprintf("%s is `%s`", [path, v]) |
			some path, default_value in settings
			v := lib.setting(r, path, default_value)
			weak_tls(v)
		],
		["https_only is false" | r.type in app_types; lib.setting(r, "https_only", false) == false],
	),
	["non_ssl_port_enabled is true" | r.type == "azurerm_redis_cache"; lib.setting(r, "non_ssl_port_enabled", false) == true],
)

deny contains f if {
	some t, settings in tls_settings
	some r in lib.resources(t)
	gaps := service_gaps(r, settings)
	count(gaps) > 0
	f := lib.finding("TRN-AZ-NET-002", r, sprintf(
		"this `%s` accepts weak transport: %s; expected TLS 1.2 or later only",
		[t, concat("; ", gaps)],
	))
}

# Flexible server parameters that lower transport security.
weak_parameter(name, value) if {
	name in {"ssl_min_protocol_version", "tls_version"}
	some version in split(value, ",")
	weak_tls(trim_space(version))
}

weak_parameter(name, value) if {
	name == "require_secure_transport"
	lower(value) in {"off", "0", "false"}
}

deny contains f if {
	some r in lib.resources_of(["azurerm_postgresql_flexible_server_configuration", "azurerm_mysql_flexible_server_configuration"])
	name := lib.value(r, "name", null)
	value := lib.value(r, "value", null)
	is_string(name)
	is_string(value)
	weak_parameter(lower(name), value)
	f := lib.finding("TRN-AZ-NET-002", r, sprintf(
		"server parameter `%s` is `%s`, expected TLS 1.2 or later and secure transport required",
		[name, value],
	))
}
