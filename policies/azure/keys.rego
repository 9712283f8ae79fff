# Keys and encryption on Azure: customer-managed keys, where they live and who can use them.
package terrane.pack.azure.keys

import rego.v1

import data.terrane.lib

rules["TRN-AZ-KEY-001"] := {
	"title": "Storage accounts encrypt with a customer-managed key",
	"severity": "medium",
	"description": concat(" ", [
		"A storage account must be encrypted with a customer-managed key, set in its `customer_managed_key` block or by an `azurerm_storage_account_customer_managed_key` resource of the same estate.",
		"StorageV2 accounts must also put queues and tables under the account key (`queue_encryption_key_type` and `table_encryption_key_type` = `Account`), otherwise those services keep Microsoft-managed keys.",
		"Encryption scopes must use `source = \"Microsoft.KeyVault\"`.",
		"With Microsoft-managed keys the customer cannot revoke the provider's ability to decrypt the data.",
	]),
	"remediation": "Add `customer_managed_key { key_vault_key_id = azurerm_key_vault_key.k.versionless_id, user_assigned_identity_id = ... }` (or an `azurerm_storage_account_customer_managed_key`), set `queue_encryption_key_type = \"Account\"` and `table_encryption_key_type = \"Account\"`, and create encryption scopes with `source = \"Microsoft.KeyVault\"` and a `key_vault_key_id`.",
	"resource_types": ["azurerm_storage_account", "azurerm_storage_account_customer_managed_key", "azurerm_storage_encryption_scope"],
	"controls": [
		"AZP:6fac406b-40ca-413b-bf8e-0bf964659c25",
		"AZP:b5ec538c-daa0-4006-8596-35468b9148e8",
		"AZP:f0e5abd0-2554-4736-b7c0-4ffef23475ef",
		"AZP:7c322315-e26d-4174-a99e-f49d351b4688",
		"CKV2_AZURE_1",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-KEY-002"] := {
	"title": "SQL transparent data encryption uses a customer-managed protector",
	"severity": "medium",
	"description": "The TDE protector of Azure SQL servers and managed instances must be a Key Vault or Managed HSM key, not the service-managed key. A server is compliant when it sets `transparent_data_encryption_key_vault_key_id` or an `azurerm_mssql_server_transparent_data_encryption` resource of the estate gives it a key.",
	"remediation": "Create `azurerm_mssql_server_transparent_data_encryption` (or `azurerm_mssql_managed_instance_transparent_data_encryption`) with `key_vault_key_id` or `managed_hsm_key_id` pointing at a key inside the jurisdiction.",
	"resource_types": [
		"azurerm_mssql_server",
		"azurerm_mssql_server_transparent_data_encryption",
		"azurerm_mssql_managed_instance_transparent_data_encryption",
	],
	"controls": ["AZP:0a370ff3-6cab-4e85-8995-295fd854c5b8", "AZP:ac01ad65-10e5-46df-bdd9-6b0cad13e1d2"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-KEY-003"] := {
	"title": "PostgreSQL and MySQL flexible servers use a customer-managed key",
	"severity": "medium",
	"description": "Flexible servers must declare a `customer_managed_key` block so that data, backups and logs are encrypted with a key the customer controls.",
	"remediation": "Add `customer_managed_key { key_vault_key_id = ..., primary_user_assigned_identity_id = ... }` with a user-assigned identity in `identity`; the block can only be set when the server is created.",
	"resource_types": ["azurerm_postgresql_flexible_server", "azurerm_mysql_flexible_server"],
	"controls": ["AZP:18adea5e-f416-4d0f-8aa8-d24321e3e274", "AZP:83cef61d-dbd1-4b20-a4fc-5fbc7da10833"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-KEY-004"] := {
	"title": "Disks are encrypted with customer keys through a double-encryption disk encryption set",
	"severity": "medium",
	"description": concat(" ", [
		"AKS clusters must set `disk_encryption_set_id`; managed disks and the OS disks of virtual machines must name a disk encryption set (`disk_encryption_set_id` or `secure_vm_disk_encryption_set_id`).",
		"Disk encryption sets must use `encryption_type = \"EncryptionAtRestWithPlatformAndCustomerKeys\"` (double encryption) or `ConfidentialVmEncryptedWithCustomerKey`.",
	]),
	"remediation": "Create an `azurerm_disk_encryption_set` with `encryption_type = \"EncryptionAtRestWithPlatformAndCustomerKeys\"` and a key inside the jurisdiction, and reference it from `disk_encryption_set_id` on clusters, disks and `os_disk` blocks.",
	"resource_types": [
		"azurerm_kubernetes_cluster",
		"azurerm_disk_encryption_set",
		"azurerm_managed_disk",
		"azurerm_linux_virtual_machine",
		"azurerm_windows_virtual_machine",
	],
	"controls": ["AZP:7d7be79c-23ba-4033-84dd-45e2a5ccdd67", "AZP:ca91455f-eace-4f96-be59-e6e2c35b4816"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-KEY-005"] := {
	"title": "Recovery Services vaults encrypt backups with a customer-managed key",
	"severity": "medium",
	"description": "Backups in a Recovery Services vault must be encrypted with a customer-managed key set in the vault's `encryption` block (`key_id`).",
	"remediation": "Add `encryption { key_id = azurerm_key_vault_key.k.id, infrastructure_encryption_enabled = true }` with a managed identity that can use the key; this has to be done before items are protected.",
	"resource_types": ["azurerm_recovery_services_vault"],
	"controls": ["AZP:2e94d99a-8a36-4563-bc77-810d8893b671"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-KEY-006"] := {
	"title": "Key vaults are purge-protected, premium and hold HSM-backed keys",
	"severity": "medium",
	"description": concat(" ", [
		"Key vaults and Managed HSMs must have `purge_protection_enabled = true` so that a deleted key, and with it the data it protects, can be recovered during the soft-delete retention (soft delete is always on in azurerm 4.x).",
		"Key vaults must use the `premium` SKU and keys must be HSM-backed (`key_type` `RSA-HSM` or `EC-HSM`) so that key material never leaves a hardware module.",
	]),
	"remediation": "Set `purge_protection_enabled = true` and `sku_name = \"premium\"` on `azurerm_key_vault` (or use `azurerm_key_vault_managed_hardware_security_module` with purge protection), and create keys with `key_type = \"RSA-HSM\"` or `\"EC-HSM\"`.",
	"resource_types": [
		"azurerm_key_vault",
		"azurerm_key_vault_managed_hardware_security_module",
		"azurerm_key_vault_key",
	],
	"controls": [
		"AZP:0b60c0b2-2dc2-4e1c-b5c9-abbed971de53",
		"AZP:1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d",
		"CKV_AZURE_110",
		"CKV_AZURE_111",
		"CKV_AZURE_112",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-KEY-007"] := {
	"title": "Customer-managed keys live in a vault inside the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"The Key Vault or Managed HSM holding a key that encrypts a resource, and the disk encryption set that disks and clusters name, must be in a region inside the jurisdiction, so that key custody is in the same jurisdiction as the data it protects.",
		"The rule reads the resource's encryption-key relations; when the vault is not part of the estate its location cannot be read from a key id, and the finding is undecided.",
	]),
	"remediation": "Create the key in a Key Vault or Managed HSM whose `location` is inside the jurisdiction and point the resource's key attribute (`key_vault_key_id`, `managed_hsm_key_id`, `key_id`) at it; plan the vault in the same configuration so its location can be checked.",
	"resource_types": [
		"azurerm_storage_account",
		"azurerm_storage_account_customer_managed_key",
		"azurerm_storage_encryption_scope",
		"azurerm_mssql_server",
		"azurerm_mssql_server_transparent_data_encryption",
		"azurerm_mssql_managed_instance_transparent_data_encryption",
		"azurerm_postgresql_flexible_server",
		"azurerm_mysql_flexible_server",
		"azurerm_disk_encryption_set",
		"azurerm_recovery_services_vault",
		"azurerm_cosmosdb_account",
		"azurerm_container_registry",
		"azurerm_kubernetes_cluster",
		"azurerm_data_factory",
		"azurerm_eventhub_namespace_customer_managed_key",
		"azurerm_servicebus_namespace",
		"azurerm_log_analytics_cluster_customer_managed_key",
		"azurerm_kusto_cluster_customer_managed_key",
		"azurerm_databricks_workspace_root_dbfs_customer_managed_key",
		"azurerm_databricks_workspace_customer_managed_key",
		"azurerm_synapse_workspace",
		"azurerm_cognitive_account",
		"azurerm_cognitive_account_customer_managed_key",
		"azurerm_machine_learning_workspace",
		"azurerm_app_configuration",
		"azurerm_automation_account",
		"azurerm_batch_account",
		"azurerm_hpc_cache",
		"azurerm_netapp_account_encryption",
		"azurerm_managed_disk",
		"azurerm_linux_virtual_machine",
		"azurerm_windows_virtual_machine",
		"azurerm_linux_virtual_machine_scale_set",
		"azurerm_windows_virtual_machine_scale_set",
	],
	"controls": ["SO-3", "SO-4", "C5:CRY-04"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-KEY-008"] := {
	"title": "Confidential workloads run on confidential VM sizes with encrypted guest state",
	"severity": "medium",
	"description": concat(" ", [
		"Virtual machines and scale sets tagged `data-classification` with `confidential`, `restricted`, `secret` or `strictly-confidential` must use a confidential computing size (DC or EC families, `Standard_NCC*` GPU sizes) and set `os_disk.security_encryption_type`, so that data stays encrypted in use.",
		"Restricting the resource types allowed in confidential management groups is a policy-assignment setting and is not checked here.",
	]),
	"remediation": "Use a size such as `Standard_DC4as_v5` or `Standard_EC4as_v5`, set `os_disk { security_encryption_type = \"DiskWithVMGuestState\" }`, `secure_boot_enabled = true` and `vtpm_enabled = true`.",
	"resource_types": [
		"azurerm_linux_virtual_machine",
		"azurerm_windows_virtual_machine",
		"azurerm_linux_virtual_machine_scale_set",
		"azurerm_windows_virtual_machine_scale_set",
	],
	"controls": [
		"AZP:cccc23c7-8427-4f53-ad12-b6a63eb452b3",
		"AZP:a08ec900-254a-4555-9bf5-e42af04b5c5c",
		"AZP:7a76da03-ec94-45ea-a4fd-496c350c2a63",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AZ-KEY-009"] := {
	"title": "Virtual machines use Trusted Launch",
	"severity": "low",
	"description": "Virtual machines and scale sets must enable Secure Boot and a virtual TPM (`secure_boot_enabled` and `vtpm_enabled`), which requires a Generation 2 image; this protects the boot chain against tampered images.",
	"remediation": "Set `secure_boot_enabled = true` and `vtpm_enabled = true` and use a Gen2 image (a `source_image_reference` SKU ending in `-gen2`).",
	"resource_types": [
		"azurerm_linux_virtual_machine",
		"azurerm_windows_virtual_machine",
		"azurerm_linux_virtual_machine_scale_set",
		"azurerm_windows_virtual_machine_scale_set",
	],
	"controls": [
		"AZP:c95b54ad-0614-4633-ab29-104b01235cbf",
		"AZP:b03bb370-5249-4ea4-9fce-2552e87e45fa",
		"PR:vm_trusted_launch_enabled",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

jurisdiction := input.jurisdiction.id

# What the resources of `types` point at: relation targets, and lowercased resource ids
# held in `attribute`.
pointed_at(types, attribute) := {rel.target |
	some other in lib.resources_of(types)
	some rel in other.relations
} | {lower(id) |
	some other in lib.resources_of(types)
	id := lib.value(other, attribute, null)
	is_string(id)
}

# True when `r` is among `targets`, by address or by id.
targeted(r, targets) if r.address in targets

targeted(r, targets) if {
	id := lib.value(r, "id", null)
	is_string(id)
	lower(id) in targets
}

# TRN-AZ-KEY-001

account_key(r) if lib.present(r, "customer_managed_key.0.key_vault_key_id")

account_key(r) if lib.present(r, "customer_managed_key.0.managed_hsm_key_id")

account_key(r) if targeted(r, account_key_targets)

account_key_targets := pointed_at(["azurerm_storage_account_customer_managed_key"], "storage_account_id")

storage_gaps(r) := array.concat(
	["no customer-managed key is set" | not account_key(r)],
	[sprintf("%s is `%s`", [attr, kind]) |
		lib.setting(r, "account_kind", "StorageV2") == "StorageV2"
		some attr in ["queue_encryption_key_type", "table_encryption_key_type"]
		kind := lib.setting(r, attr, "Service")
		kind != "Account"
	],
)

deny contains f if {
	some r in lib.resources("azurerm_storage_account")
	gaps := storage_gaps(r)
	count(gaps) > 0
	f := lib.finding("TRN-AZ-KEY-001", r, sprintf(
		"storage account is not fully under a customer-managed key: %s; expected a customer_managed_key and queue and table encryption key types `Account`",
		[concat("; ", gaps)],
	))
}

deny contains f if {
	some r in lib.resources("azurerm_storage_encryption_scope")
	source := lib.setting(r, "source", "Microsoft.Storage")
	source != "Microsoft.KeyVault"
	f := lib.finding("TRN-AZ-KEY-001", r, sprintf(
		"encryption scope source is `%s`, expected `Microsoft.KeyVault` with a customer-managed key",
		[source],
	))
}

# TRN-AZ-KEY-002

tde_types := [
	"azurerm_mssql_server_transparent_data_encryption",
	"azurerm_mssql_managed_instance_transparent_data_encryption",
]

customer_protector(r) if lib.present(r, "key_vault_key_id")

customer_protector(r) if lib.present(r, "managed_hsm_key_id")

deny contains f if {
	some r in lib.resources_of(tde_types)
	not customer_protector(r)
	f := lib.finding("TRN-AZ-KEY-002", r, "transparent data encryption protector is service-managed (no key_vault_key_id or managed_hsm_key_id), expected a customer-managed key")
}

server_protected(r) if lib.present(r, "transparent_data_encryption_key_vault_key_id")

server_protected(r) if targeted(r, tde_targets)

tde_targets := pointed_at(["azurerm_mssql_server_transparent_data_encryption"], "server_id")

deny contains f if {
	some r in lib.resources("azurerm_mssql_server")
	not server_protected(r)
	f := lib.finding("TRN-AZ-KEY-002", r, "server has no customer-managed TDE protector (no transparent_data_encryption_key_vault_key_id or azurerm_mssql_server_transparent_data_encryption), expected a customer-managed key")
}

# TRN-AZ-KEY-003

flexible_types := ["azurerm_postgresql_flexible_server", "azurerm_mysql_flexible_server"]

deny contains f if {
	some r in lib.resources_of(flexible_types)
	not lib.present(r, "customer_managed_key.0.key_vault_key_id")
	not lib.present(r, "customer_managed_key.0.managed_hsm_key_id")
	f := lib.finding("TRN-AZ-KEY-003", r, sprintf(
		"no customer_managed_key block is set on this `%s`, expected a customer-managed key",
		[r.type],
	))
}

# TRN-AZ-KEY-004

double_encryption_types := {"EncryptionAtRestWithPlatformAndCustomerKeys", "ConfidentialVmEncryptedWithCustomerKey"}

vm_types := [
	"azurerm_linux_virtual_machine",
	"azurerm_windows_virtual_machine",
]

scale_set_types := [
	"azurerm_linux_virtual_machine_scale_set",
	"azurerm_windows_virtual_machine_scale_set",
]

deny contains f if {
	some r in lib.resources("azurerm_kubernetes_cluster")
	not lib.present(r, "disk_encryption_set_id")
	f := lib.finding("TRN-AZ-KEY-004", r, "cluster has no disk_encryption_set_id, so node disks use platform-managed keys; expected a disk encryption set with a customer key")
}

deny contains f if {
	some r in lib.resources("azurerm_disk_encryption_set")
	kind := lib.setting(r, "encryption_type", "EncryptionAtRestWithCustomerKey")
	not kind in double_encryption_types
	f := lib.finding("TRN-AZ-KEY-004", r, sprintf(
		"encryption_type is `%s`, expected `EncryptionAtRestWithPlatformAndCustomerKeys`",
		[kind],
	))
}

deny contains f if {
	some r in lib.resources("azurerm_managed_disk")
	not lib.present(r, "disk_encryption_set_id")
	not lib.present(r, "secure_vm_disk_encryption_set_id")
	f := lib.finding("TRN-AZ-KEY-004", r, "managed disk has no disk_encryption_set_id, so it uses a platform-managed key; expected a disk encryption set with a customer key")
}

deny contains f if {
	some r in lib.resources_of(vm_types)
	not lib.present(r, "os_disk.0.disk_encryption_set_id")
	not lib.present(r, "os_disk.0.secure_vm_disk_encryption_set_id")
	f := lib.finding("TRN-AZ-KEY-004", r, "os_disk has no disk_encryption_set_id, so it uses a platform-managed key; expected a disk encryption set with a customer key")
}

# TRN-AZ-KEY-005

deny contains f if {
	some r in lib.resources("azurerm_recovery_services_vault")
	not lib.present(r, "encryption.0.key_id")
	f := lib.finding("TRN-AZ-KEY-005", r, "vault has no encryption block with key_id, so backups use a platform-managed key; expected a customer-managed key")
}

# TRN-AZ-KEY-006

vault_gaps(r) := array.concat(
	["purge_protection_enabled is false" | lib.setting(r, "purge_protection_enabled", false) != true],
	[sprintf("sku_name is `%s`", [sku]) |
		r.type == "azurerm_key_vault"
		sku := lib.setting(r, "sku_name", "standard")
		is_string(sku)
		lower(sku) != "premium"
	],
)

deny contains f if {
	some r in lib.resources_of(["azurerm_key_vault", "azurerm_key_vault_managed_hardware_security_module"])
	gaps := vault_gaps(r)
	count(gaps) > 0
	f := lib.finding("TRN-AZ-KEY-006", r, sprintf(
		"key vault does not protect its keys enough: %s; expected purge_protection_enabled = true and the premium SKU",
		[concat("; ", gaps)],
	))
}

deny contains f if {
	some r in lib.resources("azurerm_key_vault_key")
	kind := lib.value(r, "key_type", null)
	is_string(kind)
	not endswith(upper(kind), "-HSM")
	f := lib.finding("TRN-AZ-KEY-006", r, sprintf(
		"key_type is `%s`, a software-protected key; expected `RSA-HSM` or `EC-HSM`",
		[kind],
	))
}

# TRN-AZ-KEY-007

key_consumer_types := [
	"azurerm_storage_account",
	"azurerm_storage_account_customer_managed_key",
	"azurerm_storage_encryption_scope",
	"azurerm_mssql_server",
	"azurerm_mssql_server_transparent_data_encryption",
	"azurerm_mssql_managed_instance_transparent_data_encryption",
	"azurerm_postgresql_flexible_server",
	"azurerm_mysql_flexible_server",
	"azurerm_disk_encryption_set",
	"azurerm_recovery_services_vault",
	"azurerm_cosmosdb_account",
	"azurerm_container_registry",
	"azurerm_kubernetes_cluster",
	"azurerm_data_factory",
	"azurerm_eventhub_namespace_customer_managed_key",
	"azurerm_servicebus_namespace",
	"azurerm_log_analytics_cluster_customer_managed_key",
	"azurerm_kusto_cluster_customer_managed_key",
	"azurerm_databricks_workspace_root_dbfs_customer_managed_key",
	"azurerm_databricks_workspace_customer_managed_key",
	"azurerm_synapse_workspace",
	"azurerm_cognitive_account",
	"azurerm_cognitive_account_customer_managed_key",
	"azurerm_machine_learning_workspace",
	"azurerm_app_configuration",
	"azurerm_automation_account",
	"azurerm_batch_account",
	"azurerm_hpc_cache",
	"azurerm_netapp_account_encryption",
	"azurerm_managed_disk",
	"azurerm_linux_virtual_machine",
	"azurerm_windows_virtual_machine",
	"azurerm_linux_virtual_machine_scale_set",
	"azurerm_windows_virtual_machine_scale_set",
]

countries(loc) := concat("/", object.get(loc, "countries", []))

key_where(loc) := sprintf("`%s` (%s)", [loc.region, countries(loc)]) if is_string(loc.region)

key_where(loc) := sprintf("(%s)", [countries(loc)]) if not is_string(loc.region)

deny contains f if {
	some r in lib.resources_of(key_consumer_types)
	some rel in lib.relations(r, "encryption_key")
	is_object(rel.target_location)
	rel.target_location.status == "outside"
	f := lib.finding("TRN-AZ-KEY-007", r, sprintf(
		"key `%s` lives in %s, outside %s; expected a key vault inside %s",
		[rel.target, key_where(rel.target_location), jurisdiction, jurisdiction],
	))
}

deny contains f if {
	some r in lib.resources_of(key_consumer_types)
	some rel in lib.relations(r, "encryption_key")
	is_object(rel.target_location)
	rel.target_location.status in {"unknown", "global"}
	f := lib.undecided_finding("TRN-AZ-KEY-007", r, sprintf(
		"cannot decide where key `%s` lives: %s",
		[rel.target, object.get(rel.target_location, "reason", "its location is not in the region catalog")],
	))
}

deny contains f if {
	some r in lib.resources_of(key_consumer_types)
	some rel in lib.relations(r, "encryption_key")
	not is_object(rel.target_location)
	f := lib.undecided_finding("TRN-AZ-KEY-007", r, sprintf(
		"cannot decide where key `%s` lives: its vault is not part of the estate",
		[rel.target],
	))
}

# TRN-AZ-KEY-008 and TRN-AZ-KEY-009

confidential_classes := {"confidential", "restricted", "secret", "strictly-confidential"}

value_tags(r) := t if {
	t := lib.value(r, "tags", null)
	is_object(t)
}

value_tags(r) := {} if not is_object(lib.value(r, "tags", null))

resource_tags(r) := t if {
	t := object.get(r, "tags", {})
	is_object(t)
}

resource_tags(r) := {} if not is_object(object.get(r, "tags", {}))

confidential(r) if {
	some k, v in object.union(value_tags(r), resource_tags(r))
	lower(k) == "data-classification"
	is_string(v)
	lower(v) in confidential_classes
}

# The VM size: `size` on virtual machines, `sku` on scale sets.
vm_size(r) := lib.value(r, "size", null) if r.type in vm_types

vm_size(r) := lib.value(r, "sku", null) if r.type in scale_set_types

confidential_size(size) if regex.match(`(?i)^standard_(dc|ec)[0-9]+[a-z]*_v[0-9]+$`, size)

confidential_size(size) if regex.match(`(?i)^standard_ncc[0-9]+`, size)

confidential_gaps(r) := array.concat(
	[sprintf("size `%s` is not a confidential computing size", [size]) |
		size := vm_size(r)
		is_string(size)
		not confidential_size(size)
	],
	["os_disk.security_encryption_type is not set" | not lib.present(r, "os_disk.0.security_encryption_type")],
)

deny contains f if {
	some r in lib.resources_of(array.concat(vm_types, scale_set_types))
	confidential(r)
	gaps := confidential_gaps(r)
	count(gaps) > 0
	f := lib.finding("TRN-AZ-KEY-008", r, sprintf(
		"confidential workload is not protected in use: %s; expected a DC/EC confidential size and os_disk.security_encryption_type",
		[concat("; ", gaps)],
	))
}

deny contains f if {
	some r in lib.resources_of(array.concat(vm_types, scale_set_types))
	missing := [attr |
		some attr in ["secure_boot_enabled", "vtpm_enabled"]
		lib.setting(r, attr, false) != true
		not lib.unknown(r, attr)
	]
	count(missing) > 0
	f := lib.finding("TRN-AZ-KEY-009", r, sprintf(
		"trusted launch is off (%s not true), expected secure_boot_enabled = true and vtpm_enabled = true",
		[concat(", ", missing)],
	))
}
