package terrane.pack.azure.protection_test

import rego.v1

import data.terrane.pack.azure.protection
import data.terrane.testing

# TRN-AZ-WAF-001

test_trn_az_waf_001_standard_gateway_fires if {
	findings := protection.deny with input as testing.estate([{
		"type": "azurerm_application_gateway",
		"name": "gw",
		"region": "westeurope",
		"values": {"sku": [{"name": "Standard_v2", "tier": "Standard_v2"}]},
	}])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-WAF-001"
	contains(f.message, "Standard_v2")
}

test_trn_az_waf_001_detection_mode_fires if {
	findings := protection.deny with input as testing.estate([{
		"type": "azurerm_application_gateway",
		"name": "gw",
		"region": "westeurope",
		"values": {
			"sku": [{"name": "WAF_v2", "tier": "WAF_v2"}],
			"waf_configuration": [{"enabled": true, "firewall_mode": "Detection"}],
		},
	}])
	count(findings) == 1
	some f in findings
	contains(f.message, "Detection")
}

test_trn_az_waf_001_detection_policy_fires if {
	findings := protection.deny with input as testing.estate([
		{"type": "azurerm_web_application_firewall_policy", "name": "p", "region": "westeurope", "values": {"policy_settings": [{"enabled": true, "mode": "Detection"}]}},
		{"type": "azurerm_cdn_frontdoor_firewall_policy", "name": "fp", "values": {"enabled": false, "mode": "Prevention"}},
	])
	count(findings) == 2
	some f in findings
	f.address == "azurerm_web_application_firewall_policy.p"
	contains(f.message, "`Detection`")
}

test_trn_az_waf_001_front_door_without_security_policy_fires if {
	findings := protection.deny with input as testing.estate([{"type": "azurerm_cdn_frontdoor_profile", "name": "fd", "region": "global"}])
	count(findings) == 1
	some f in findings
	f.address == "azurerm_cdn_frontdoor_profile.fd"
	contains(f.message, "azurerm_cdn_frontdoor_security_policy")
}

test_trn_az_waf_001_prevention_everywhere_passes if {
	findings := protection.deny with input as testing.estate([
		{
			"type": "azurerm_application_gateway",
			"name": "gw",
			"region": "westeurope",
			"values": {"sku": [{"name": "WAF_v2", "tier": "WAF_v2"}], "firewall_policy_id": "/subscriptions/x/policies/p"},
		},
		{"type": "azurerm_web_application_firewall_policy", "name": "p", "region": "westeurope", "values": {"policy_settings": [{"enabled": true, "mode": "Prevention"}]}},
		{"type": "azurerm_cdn_frontdoor_profile", "name": "fd", "region": "global"},
		{"type": "azurerm_cdn_frontdoor_firewall_policy", "name": "fp", "values": {"mode": "Prevention"}},
		{
			"type": "azurerm_cdn_frontdoor_security_policy",
			"name": "sp",
			"relations": [
				{"kind": "reference", "target": "azurerm_cdn_frontdoor_profile.fd", "target_type": "azurerm_cdn_frontdoor_profile"},
				{"kind": "reference", "target": "azurerm_cdn_frontdoor_firewall_policy.fp", "target_type": "azurerm_cdn_frontdoor_firewall_policy"},
			],
		},
	])
	count(findings) == 0
}

# TRN-AZ-WAF-002

vnet(plan) := {
	"type": "azurerm_virtual_network",
	"name": "hub",
	"region": "westeurope",
	"values": object.union({"name": "hub"}, plan),
}

subnet := {
	"type": "azurerm_subnet",
	"name": "gw",
	"values": {"name": "GatewaySubnet", "virtual_network_name": "hub"},
}

gateway := {
	"type": "azurerm_virtual_network_gateway",
	"name": "vpn",
	"region": "westeurope",
	"relations": [{"kind": "reference", "target": "azurerm_subnet.gw", "target_type": "azurerm_subnet"}],
}

test_trn_az_waf_002_gateway_network_without_plan_fires if {
	findings := protection.deny with input as testing.estate([vnet({}), subnet, gateway])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AZ-WAF-002"
	f.address == "azurerm_virtual_network.hub"
	contains(f.message, "azurerm_virtual_network_gateway.vpn")
}

test_trn_az_waf_002_public_nic_fires if {
	findings := protection.deny with input as testing.estate([
		vnet({}),
		{
			"type": "azurerm_network_interface",
			"name": "nic",
			"region": "westeurope",
			"unknown": ["ip_configuration.0.public_ip_address_id"],
			"values": {"ip_configuration": [{"name": "ip"}]},
			"relations": [{"kind": "reference", "target": "azurerm_virtual_network.hub", "target_type": "azurerm_virtual_network"}],
		},
	])
	count(findings) == 1
	some f in findings
	contains(f.message, "azurerm_network_interface.nic")
}

test_trn_az_waf_002_protected_network_passes if {
	findings := protection.deny with input as testing.estate([
		vnet({"ddos_protection_plan": [{"id": "/subscriptions/x/ddos/p", "enable": true}]}),
		subnet,
		gateway,
	])
	count(findings) == 0
}

test_trn_az_waf_002_private_network_passes if {
	findings := protection.deny with input as testing.estate([
		vnet({}),
		{"type": "azurerm_network_interface", "name": "nic", "region": "westeurope", "values": {"ip_configuration": [{"name": "ip"}]}},
	])
	count(findings) == 0
}

test_trn_az_waf_002_unplaced_entry_point_undecided if {
	findings := protection.deny with input as testing.estate([
		vnet({}),
		{"type": "azurerm_bastion_host", "name": "bastion", "region": "westeurope"},
	])
	count(findings) == 1
	some f in findings
	f.undecided
	contains(f.message, "azurerm_bastion_host.bastion")
}
