terraform {
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
  }
}

provider "google" {
  project = "example-project"
  region  = "europe-west3"
}

resource "google_kms_key_ring" "data" {
  name     = "data"
  location = "europe-west3"
}

resource "google_kms_crypto_key" "data" {
  name            = "data"
  key_ring        = google_kms_key_ring.data.id
  rotation_period = "7776000s"
}

resource "google_storage_bucket" "data" {
  name                        = "example-eu-data"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  labels = {
    cost-centre         = "cc-3003"
    data-classification = "confidential"
  }
}

resource "google_storage_bucket" "exports" {
  name     = "example-exports"
  location = "US"

  labels = {
    cost-centre         = "cc-3003"
    data-classification = "internal"
  }
}

resource "google_sql_database_instance" "orders" {
  name             = "orders"
  database_version = "POSTGRES_16"
  region           = "europe-west6"

  settings {
    tier = "db-f1-micro"

    ip_configuration {
      ipv4_enabled = true
    }
  }
}
