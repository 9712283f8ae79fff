terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
}

locals {
  tags = {
    cost-centre         = "cc-2002"
    data-classification = "internal"
  }
}

resource "azurerm_resource_group" "main" {
  name     = "rg-example"
  location = "West Europe"
  tags     = local.tags
}

resource "azurerm_storage_account" "records" {
  name                            = "examplerecords"
  resource_group_name             = azurerm_resource_group.main.name
  location                        = azurerm_resource_group.main.location
  account_tier                    = "Standard"
  account_replication_type        = "GRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  public_network_access_enabled   = false
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  cross_tenant_replication_enabled = false
  tags                            = local.tags
}

resource "azurerm_storage_account" "analytics" {
  name                     = "exampleanalytics"
  resource_group_name      = azurerm_resource_group.main.name
  location                 = "uksouth"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  min_tls_version          = "TLS1_0"
  tags                     = local.tags
}

resource "azurerm_key_vault" "keys" {
  name                       = "kv-example"
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "premium"
  purge_protection_enabled   = true
  soft_delete_retention_days = 90
  tags                       = local.tags
}
