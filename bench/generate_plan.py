#!/usr/bin/env python3
"""Writes a synthetic Terraform plan (the JSON of `terraform show -json`) that mixes
AWS, Azure and Google Cloud resources, for benchmarks.

Usage: generate_plan.py COUNT OUTPUT

The plan has the parts real plans have and scanners read: planned_values,
resource_changes with after_unknown, configuration with provider configurations and
reference expressions, and variables. About one resource in ten is placed outside the
EU and about one in eight is misconfigured, so that every scanner has work to report.
"""

import json
import random
import sys

EU_AWS = ["eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1", "eu-south-1"]
EU_AZURE = ["westeurope", "northeurope", "germanywestcentral", "francecentral", "swedencentral"]
EU_GOOGLE = ["europe-west1", "europe-west3", "europe-west4", "europe-north1", "EU"]
OUT_AWS = ["us-east-1", "eu-west-2", "eu-central-2"]
OUT_AZURE = ["eastus", "uksouth", "switzerlandnorth"]
OUT_GOOGLE = ["us-central1", "europe-west2", "US"]


def tags(i, rng):
    t = {"cost-centre": f"cc-{i % 97:04d}", "owner": f"team-{i % 13}"}
    if rng.random() > 0.1:
        t["data-classification"] = rng.choice(["internal", "confidential", "restricted"])
    return t


def aws_bucket(i, rng, bad):
    name = f"bucket_{i}"
    values = {
        "bucket": f"synthetic-data-{i}",
        "force_destroy": False,
        "object_lock_enabled": False,
        "tags": tags(i, rng),
        "tags_all": tags(i, rng),
        "timeouts": None,
    }
    unknown = {"arn": True, "id": True, "bucket_domain_name": True,
               "acceleration_status": True, "hosted_zone_id": True, "policy": True,
               "versioning": True, "website_endpoint": True}
    return "aws_s3_bucket", name, values, unknown, {}


def aws_sse(i, rng, bad):
    name = f"bucket_{i}"
    values = {
        "bucket": f"synthetic-data-{i}",
        "expected_bucket_owner": None,
        "rule": [{
            "apply_server_side_encryption_by_default": [{
                "sse_algorithm": "AES256" if bad else "aws:kms",
            }],
            "bucket_key_enabled": True,
        }],
    }
    unknown = {"id": True, "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": not bad}]}]}
    refs = {} if bad else {"rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id": f"aws_kms_key.key_{i}"}
    return "aws_s3_bucket_server_side_encryption_configuration", name, values, unknown, refs


def aws_pab(i, rng, bad):
    flag = not bad
    values = {"bucket": f"synthetic-data-{i}", "block_public_acls": flag, "block_public_policy": flag,
              "ignore_public_acls": True, "restrict_public_buckets": flag}
    return "aws_s3_bucket_public_access_block", f"bucket_{i}", values, {"id": True}, {}


def aws_kms(i, rng, bad):
    values = {"description": f"key {i}", "enable_key_rotation": not bad, "deletion_window_in_days": 30,
              "is_enabled": True, "key_usage": "ENCRYPT_DECRYPT", "customer_master_key_spec": "SYMMETRIC_DEFAULT",
              "multi_region": False, "bypass_policy_lockout_safety_check": False, "tags": tags(i, rng)}
    return "aws_kms_key", f"key_{i}", values, {"arn": True, "id": True, "key_id": True, "policy": True}, {}


def aws_instance(i, rng, bad):
    values = {"ami": "ami-0abcdef1234567890", "instance_type": "t3.micro",
              "associate_public_ip_address": bad, "monitoring": True, "ebs_optimized": True,
              "metadata_options": [{"http_tokens": "required", "http_endpoint": "enabled"}],
              "root_block_device": [{"encrypted": not bad, "volume_size": 20, "volume_type": "gp3"}],
              "tags": tags(i, rng)}
    return "aws_instance", f"vm_{i}", values, {"id": True, "arn": True, "private_ip": True, "public_ip": True}, {}


def aws_db(i, rng, bad):
    values = {"identifier": f"db-{i}", "engine": "postgres", "engine_version": "16.3",
              "instance_class": "db.t4g.micro", "allocated_storage": 20, "storage_encrypted": not bad,
              "publicly_accessible": bad, "multi_az": True, "backup_retention_period": 7,
              "deletion_protection": True, "iam_database_authentication_enabled": True, "tags": tags(i, rng)}
    return "aws_db_instance", f"db_{i}", values, {"id": True, "arn": True, "endpoint": True, "kms_key_id": not bad}, {}


def azure_storage(i, rng, bad):
    values = {"name": f"synthstore{i}", "resource_group_name": "rg-synthetic", "location": None,
              "account_tier": "Standard", "account_replication_type": "GRS" if bad else "ZRS",
              "min_tls_version": "TLS1_0" if bad else "TLS1_2", "https_traffic_only_enabled": True,
              "public_network_access_enabled": bad, "allow_nested_items_to_be_public": bad,
              "shared_access_key_enabled": False, "cross_tenant_replication_enabled": False,
              "infrastructure_encryption_enabled": True, "tags": tags(i, rng)}
    return "azurerm_storage_account", f"store_{i}", values, {"id": True, "primary_access_key": True}, {}


def azure_vault(i, rng, bad):
    values = {"name": f"kv-synth-{i}", "resource_group_name": "rg-synthetic", "location": None,
              "sku_name": "premium", "tenant_id": "00000000-0000-0000-0000-000000000000",
              "purge_protection_enabled": not bad, "soft_delete_retention_days": 90,
              "public_network_access_enabled": bad, "enable_rbac_authorization": True, "tags": tags(i, rng)}
    return "azurerm_key_vault", f"vault_{i}", values, {"id": True, "vault_uri": True}, {}


def azure_vm(i, rng, bad):
    values = {"name": f"vm-synth-{i}", "resource_group_name": "rg-synthetic", "location": None,
              "size": "Standard_D2s_v5", "admin_username": "azureuser", "secure_boot_enabled": not bad,
              "vtpm_enabled": not bad, "encryption_at_host_enabled": True,
              "os_disk": [{"caching": "ReadWrite", "storage_account_type": "Premium_LRS"}],
              "tags": tags(i, rng)}
    return "azurerm_linux_virtual_machine", f"vm_{i}", values, {"id": True, "network_interface_ids": True}, {}


def google_bucket(i, rng, bad):
    values = {"name": f"synthetic-gcs-{i}", "location": None, "storage_class": "STANDARD",
              "uniform_bucket_level_access": not bad,
              "public_access_prevention": "inherited" if bad else "enforced",
              "force_destroy": False, "versioning": [{"enabled": True}], "labels": tags(i, rng)}
    return "google_storage_bucket", f"bucket_{i}", values, {"id": True, "self_link": True, "url": True}, {}


def google_vm(i, rng, bad):
    values = {"name": f"vm-synth-{i}", "machine_type": "e2-medium", "zone": None,
              "can_ip_forward": False, "deletion_protection": True,
              "shielded_instance_config": [{"enable_secure_boot": not bad, "enable_vtpm": True,
                                             "enable_integrity_monitoring": True}],
              "network_interface": [{"network": "default",
                                     "access_config": [{"nat_ip": None}] if bad else []}],
              "labels": tags(i, rng)}
    return "google_compute_instance", f"vm_{i}", values, {"id": True, "self_link": True, "instance_id": True}, {}


def google_sql(i, rng, bad):
    values = {"name": f"sql-synth-{i}", "database_version": "POSTGRES_16", "region": None,
              "deletion_protection": True,
              "settings": [{"tier": "db-custom-2-7680",
                            "ip_configuration": [{"ipv4_enabled": bad, "ssl_mode": "ENCRYPTED_ONLY"}],
                            "backup_configuration": [{"enabled": True}], "user_labels": tags(i, rng)}]}
    return "google_sql_database_instance", f"sql_{i}", values, {"id": True, "self_link": True, "connection_name": True}, {}


AWS = [aws_bucket, aws_sse, aws_pab, aws_kms, aws_instance, aws_db]
AZURE = [azure_storage, azure_vault, azure_vm]
GOOGLE = [google_bucket, google_vm, google_sql]


def place(cloud, values, rng, outside):
    if cloud == "aws":
        return rng.choice(OUT_AWS if outside else EU_AWS)
    region = rng.choice((OUT_AZURE if outside else EU_AZURE) if cloud == "azure" else (OUT_GOOGLE if outside else EU_GOOGLE))
    if "zone" in values:
        if region in ("EU", "US"):
            region = "europe-west3" if region == "EU" else "us-central1"
        values["zone"] = region + "-b"
    elif "region" in values:
        if region in ("EU", "US"):
            region = "europe-west3" if region == "EU" else "us-central1"
        values["region"] = region
    else:
        values["location"] = region
    return region


def main():
    count, output = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(count)
    resources, changes, config_resources = [], [], []
    providers = {}
    i = 0
    while len(resources) < count:
        cloud = ("aws", "azure", "google")[i % 3]
        makers = {"aws": AWS, "azure": AZURE, "google": GOOGLE}[cloud]
        for make in makers:
            if len(resources) >= count:
                break
            bad = rng.random() < 0.125
            rtype, name, values, unknown, refs = make(i, rng, bad)
            outside = rng.random() < 0.1
            region = place(cloud, values, rng, outside)
            provider_key = {"aws": f"aws.{region.replace('-', '_')}", "azure": "azurerm", "google": "google"}[cloud]
            provider_name = {"aws": "registry.terraform.io/hashicorp/aws",
                             "azure": "registry.terraform.io/hashicorp/azurerm",
                             "google": "registry.terraform.io/hashicorp/google"}[cloud]
            if cloud == "aws" and provider_key not in providers:
                providers[provider_key] = {"name": "aws", "full_name": provider_name, "alias": region.replace("-", "_"),
                                           "expressions": {"region": {"constant_value": region}}}
            address = f"{rtype}.{name}"
            resources.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                              "provider_name": provider_name, "schema_version": 0, "values": values,
                              "sensitive_values": {}})
            changes.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                            "provider_name": provider_name,
                            "change": {"actions": ["create"], "before": None, "after": values,
                                       "after_unknown": unknown, "before_sensitive": False,
                                       "after_sensitive": {}}})
            expressions = {k: {"constant_value": v} for k, v in values.items() if not isinstance(v, (list, dict))}
            for attr, target in refs.items():
                expressions[attr.split(".")[0]] = {"references": [f"{target}.arn", target]}
            config_resources.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                                     "provider_config_key": provider_key, "expressions": expressions,
                                     "schema_version": 0})
        i += 1
    providers["azurerm"] = {"name": "azurerm", "full_name": "registry.terraform.io/hashicorp/azurerm",
                            "expressions": {"features": [{}]}}
    providers["google"] = {"name": "google", "full_name": "registry.terraform.io/hashicorp/google",
                           "expressions": {"project": {"constant_value": "synthetic"},
                                           "region": {"constant_value": "europe-west3"}}}
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "variables": {"environment": {"value": "bench"}},
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes,
        "configuration": {"provider_config": providers,
                          "root_module": {"resources": config_resources}},
        "timestamp": "2026-12-01T00:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }
    with open(output, "w") as f:
        json.dump(plan, f)


if __name__ == "__main__":
    main()
