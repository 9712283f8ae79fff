package terrane.pack.azure.network_test

import rego.v1

import data.terrane.pack.azure.network
import data.terrane.testing

# TRN-AZ-NET-001

test_trn_az_net_001_tls10_and_http_fire if {
	findings := network.deny with input as testing.estate([{
		"type": "azurerm_storage_account",
		"name": "s",
		"region": "westeurope",
		"values": {"min_tls_version": "TLS1_0", "https_traffic_only_enabled": false},
	}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-NET-001"
	contains(f.message, "TLS1_0")
	contains(f.message, "https_traffic_only_enabled is false")
}

test_trn_az_net_001_tls11_fires if {
	findings := network.deny with input as testing.estate([{"type": "azurerm_storage_account", "name": "s", "region": "westeurope", "values": {"min_tls_version": "TLS1_1"}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "TLS1_1")
}

test_trn_az_net_001_defaults_pass if {
	findings := network.deny with input as testing.estate([
		{"type": "azurerm_storage_account", "name": "s", "region": "westeurope"},
		{"type": "azurerm_storage_account", "name": "t", "region": "westeurope", "values": {"min_tls_version": "TLS1_2", "https_traffic_only_enabled": true}},
	])
	count(findings) == 0
}

# TRN-AZ-NET-002

test_trn_az_net_002_sql_tls_disabled_fires if {
	findings := network.deny with input as testing.estate([{"type": "azurerm_mssql_server", "name": "db", "region": "westeurope", "values": {"minimum_tls_version": "Disabled"}}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-NET-002"
	contains(f.message, "Disabled")
}

test_trn_az_net_002_cosmos_tls11_fires if {
	findings := network.deny with input as testing.estate([{"type": "azurerm_cosmosdb_account", "name": "c", "region": "westeurope", "values": {"minimal_tls_version": "Tls11"}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "Tls11")
}

test_trn_az_net_002_web_app_fires if {
	findings := network.deny with input as testing.estate([{
		"type": "azurerm_linux_web_app",
		"name": "app",
		"region": "westeurope",
		"values": {"site_config": [{"minimum_tls_version": "1.0"}]},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "`1.0`")
	contains(f.message, "https_only is false")
}

test_trn_az_net_002_redis_non_ssl_port_fires if {
	findings := network.deny with input as testing.estate([{"type": "azurerm_redis_cache", "name": "r", "region": "westeurope", "values": {"non_ssl_port_enabled": true}}])
	count(findings) == 1
	some f in findings
	contains(f.message, "non_ssl_port_enabled")
}

test_trn_az_net_002_mysql_parameter_fires if {
	findings := network.deny with input as testing.estate([{
		"type": "azurerm_mysql_flexible_server_configuration",
		"name": "tls",
		"values": {"name": "tls_version", "value": "TLSv1.1,TLSv1.2"},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "TLSv1.1")
}

test_trn_az_net_002_postgres_insecure_transport_fires if {
	findings := network.deny with input as testing.estate([{
		"type": "azurerm_postgresql_flexible_server_configuration",
		"name": "transport",
		"values": {"name": "require_secure_transport", "value": "off"},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "require_secure_transport")
}

test_trn_az_net_002_tls12_everywhere_passes if {
	findings := network.deny with input as testing.estate([
		{"type": "azurerm_mssql_server", "name": "db", "region": "westeurope", "values": {"minimum_tls_version": "1.2"}},
		{"type": "azurerm_cosmosdb_account", "name": "c", "region": "westeurope"},
		{"type": "azurerm_redis_cache", "name": "r", "region": "westeurope"},
		{"type": "azurerm_windows_function_app", "name": "fn", "region": "westeurope", "values": {"https_only": true, "site_config": [{"minimum_tls_version": "1.3"}]}},
		{"type": "azurerm_postgresql_flexible_server_configuration", "name": "p", "values": {"name": "ssl_min_protocol_version", "value": "TLSv1.3"}},
		{"type": "azurerm_mysql_flexible_server_configuration", "name": "m", "values": {"name": "tls_version", "value": "TLSv1.2,TLSv1.3"}},
	])
	count(findings) == 0
}
