# Protection of internet-facing Azure entry points: web application firewalls and DDoS
# protection.
package terrane.pack.azure.protection

import rego.v1

import data.terrane.lib

rules["TRN-AZ-WAF-001"] := {
	"title": "Application gateways and Front Door run a WAF in Prevention mode",
	"severity": "medium",
	"description": concat(" ", [
		"Application gateways must use a WAF SKU tier (`WAF_v2`) with a firewall policy (`firewall_policy_id`) or an enabled `waf_configuration` in `Prevention` mode.",
		"WAF policies (`azurerm_web_application_firewall_policy`, `azurerm_cdn_frontdoor_firewall_policy`) must be enabled and in `Prevention` mode, since `Detection` only logs attacks.",
		"Front Door profiles must have an `azurerm_cdn_frontdoor_security_policy` of the estate attaching a firewall policy.",
	]),
	"remediation": "Use `sku { tier = \"WAF_v2\" }` with `firewall_policy_id` on application gateways, set `policy_settings { enabled = true, mode = \"Prevention\" }` on WAF policies and `mode = \"Prevention\"` on Front Door firewall policies, and attach them to Front Door with `azurerm_cdn_frontdoor_security_policy`.",
	"resource_types": [
		"azurerm_application_gateway",
		"azurerm_web_application_firewall_policy",
		"azurerm_cdn_frontdoor_firewall_policy",
		"azurerm_cdn_frontdoor_profile",
		"azurerm_cdn_frontdoor_security_policy",
	],
	"controls": [
		"AZP:564feb30-bf6a-4854-b4bb-0d2d2d1e6c66",
		"AZP:055aa869-bc98-4af8-bafc-23f1ab6ffe2c",
		"CKV_AZURE_121",
		"CKV_AZURE_122",
		"CKV_AZURE_123",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-WAF-002"] := {
	"title": "Internet-facing virtual networks have DDoS protection",
	"severity": "low",
	"description": concat(" ", [
		"A virtual network that hosts an internet-facing entry point (a virtual network gateway, application gateway, Azure Firewall, Bastion host, or a network interface or load balancer with a public IP) must be attached to a DDoS protection plan (`ddos_protection_plan { enable = true }`).",
		"The link between an entry point and its network is read from the estate's references (directly, or through a subnet of the network).",
		"When the estate has entry points that do not resolve to any of its networks, unprotected networks are reported as undecided.",
	]),
	"remediation": "Create an `azurerm_network_ddos_protection_plan` and set `ddos_protection_plan { id = azurerm_network_ddos_protection_plan.p.id, enable = true }` on the virtual network.",
	"resource_types": [
		"azurerm_virtual_network",
		"azurerm_subnet",
		"azurerm_virtual_network_gateway",
		"azurerm_application_gateway",
		"azurerm_firewall",
		"azurerm_bastion_host",
		"azurerm_network_interface",
		"azurerm_lb",
	],
	"controls": ["AZP:a7aca53f-2ed4-4466-a25e-0b45ade68efd"],
	"modes": ["plan", "state", "hcl", "live"],
}

# TRN-AZ-WAF-001

waf_tiers := {"WAF", "WAF_v2"}

gateway_gap(r) := sprintf("sku tier `%s` has no web application firewall", [tier]) if {
	tier := lib.setting(r, "sku.0.tier", "")
	not tier in waf_tiers
}

gateway_gap(r) := "no firewall_policy_id and waf_configuration is not enabled" if {
	lib.setting(r, "sku.0.tier", "") in waf_tiers
	not lib.present(r, "firewall_policy_id")
	not lib.enabled(r, "waf_configuration.0.enabled")
}

gateway_gap(r) := sprintf("waf_configuration firewall_mode is `%s`", [mode]) if {
	lib.setting(r, "sku.0.tier", "") in waf_tiers
	not lib.present(r, "firewall_policy_id")
	lib.enabled(r, "waf_configuration.0.enabled")
	mode := lib.setting(r, "waf_configuration.0.firewall_mode", "Detection")
	mode != "Prevention"
}

deny contains f if {
	some r in lib.resources("azurerm_application_gateway")
	gap := gateway_gap(r)
	f := lib.finding("TRN-AZ-WAF-001", r, sprintf(
		"application gateway is not protected by a WAF: %s; expected the WAF_v2 tier with a firewall policy in Prevention mode",
		[gap],
	))
}

policy_gaps(r, enabled_path, mode_path, default_mode) := array.concat(
	[sprintf("%s is false", [enabled_path]) | lib.setting(r, enabled_path, true) == false],
	[sprintf("%s is `%s`", [mode_path, mode]) |
		mode := lib.setting(r, mode_path, default_mode)
		mode != "Prevention"
	],
)

waf_policy_gaps(r) := policy_gaps(r, "policy_settings.0.enabled", "policy_settings.0.mode", "Prevention") if {
	r.type == "azurerm_web_application_firewall_policy"
}

waf_policy_gaps(r) := policy_gaps(r, "enabled", "mode", "Detection") if {
	r.type == "azurerm_cdn_frontdoor_firewall_policy"
}

deny contains f if {
	some r in lib.resources_of(["azurerm_web_application_firewall_policy", "azurerm_cdn_frontdoor_firewall_policy"])
	gaps := waf_policy_gaps(r)
	count(gaps) > 0
	f := lib.finding("TRN-AZ-WAF-001", r, sprintf(
		"web application firewall policy does not block attacks: %s; expected enabled in Prevention mode",
		[concat("; ", gaps)],
	))
}

# Addresses and lowercased ids that Front Door security policies attach to.
secured_targets := {rel.target |
	some policy in lib.resources("azurerm_cdn_frontdoor_security_policy")
	some rel in policy.relations
} | {lower(id) |
	some policy in lib.resources("azurerm_cdn_frontdoor_security_policy")
	id := lib.value(policy, "cdn_frontdoor_profile_id", null)
	is_string(id)
}

deny contains f if {
	some r in lib.resources("azurerm_cdn_frontdoor_profile")
	not secured(r)
	f := lib.finding("TRN-AZ-WAF-001", r, "profile has no security policy attaching a web application firewall, expected an azurerm_cdn_frontdoor_security_policy with a firewall policy in Prevention mode")
}

secured(profile) if profile.address in secured_targets

secured(profile) if {
	id := lib.value(profile, "id", null)
	is_string(id)
	lower(id) in secured_targets
}

# TRN-AZ-WAF-002

entry_point_types := {"azurerm_virtual_network_gateway", "azurerm_application_gateway", "azurerm_firewall", "azurerm_bastion_host"}

public_ip_holders := {"azurerm_network_interface", "azurerm_lb"}

entry_point(r) if r.type in entry_point_types

entry_point(r) if {
	r.type in public_ip_holders
	some rel in r.relations
	rel.target_type == "azurerm_public_ip"
}

entry_point(r) if {
	r.type == "azurerm_network_interface"
	some i, _ in lib.value(r, "ip_configuration", [])
	lib.present(r, sprintf("ip_configuration.%d.public_ip_address_id", [i]))
}

entry_point(r) if {
	r.type == "azurerm_lb"
	some i, _ in lib.value(r, "frontend_ip_configuration", [])
	lib.present(r, sprintf("frontend_ip_configuration.%d.public_ip_address_id", [i]))
}

entry_points := [r |
	some t in entry_point_types | public_ip_holders
	some r in lib.resources(t)
	r.mode == "managed"
	entry_point(r)
]

networks := lib.resources("azurerm_virtual_network")

network_addresses := {n.address | some n in networks}

named_networks := [[name, n.address] |
	some n in networks
	name := lib.value(n, "name", null)
	is_string(name)
]

# Network addresses by network name, for subnets that name their network.
network_by_name := {name: addresses |
	some named in named_networks
	name := named[0]
	addresses := {other[1] | some other in named_networks; other[0] == name}
}

# The networks a subnet belongs to: the one it refers to, or the one it names.
subnet_networks(subnet) := {rel.target | some rel in subnet.relations; rel.target in network_addresses} | object.get(network_by_name, subnet_network_name(subnet), set())

subnet_network_name(subnet) := name if {
	name := lib.value(subnet, "virtual_network_name", null)
	is_string(name)
}

subnet_network_name(subnet) := "" if not is_string(lib.value(subnet, "virtual_network_name", null))

networks_of_subnet := {subnet.address: subnet_networks(subnet) | some subnet in lib.resources("azurerm_subnet")}

# The networks a relation target stands for: the network itself, or the networks of a subnet.
target_networks(target) := {target} if target in network_addresses

target_networks(target) := object.get(networks_of_subnet, target, set()) if not target in network_addresses

# Pairs of an entry point and a network it sits in, directly or through a subnet.
placements := {[entry.address, network] |
	some entry in entry_points
	some rel in entry.relations
	some network in target_networks(rel.target)
}

placed_entries := {pair[0] | some pair in placements}

protected(network) if {
	lib.enabled(network, "ddos_protection_plan.0.enable")
	lib.present(network, "ddos_protection_plan.0.id")
}

deny contains f if {
	some network in networks
	not protected(network)
	exposed := sort([pair[0] | some pair in placements; pair[1] == network.address])
	count(exposed) > 0
	f := lib.finding("TRN-AZ-WAF-002", network, sprintf(
		"virtual network hosts internet-facing %s without a DDoS protection plan, expected ddos_protection_plan with enable = true",
		[concat(", ", [sprintf("`%s`", [a]) | some a in exposed])],
	))
}

unplaced := sort([entry.address |
	some entry in entry_points
	not entry.address in placed_entries
])

deny contains f if {
	count(unplaced) > 0
	some network in networks
	not protected(network)
	count([pair | some pair in placements; pair[1] == network.address]) == 0
	f := lib.undecided_finding("TRN-AZ-WAF-002", network, sprintf(
		"cannot decide whether the virtual network is internet-facing: %s does not resolve to a network of the estate",
		[concat(", ", [sprintf("`%s`", [a]) | some a in unplaced])],
	))
}
