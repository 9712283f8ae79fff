# Keys and encryption: customer-controlled keys, kept in the data's region and
# jurisdiction, with their lifecycle and custody guarded.
package terrane.pack.aws.keys

import rego.v1

import data.terrane.lib
import data.terrane.pack.aws.common

rules["TRN-AWS-KEY-001"] := {
	"title": "S3 default encryption with a customer-managed KMS key",
	"severity": "high",
	"description": concat(" ", [
		"Buckets must encrypt new objects with SSE-KMS (`aws:kms` or `aws:kms:dsse`) under a",
		"customer-managed key, not SSE-S3 (`AES256`) and not the AWS-managed `aws/s3` key, so",
		"that the customer decides who may decrypt and can revoke access. Checked on",
		"`aws_s3_bucket_server_side_encryption_configuration`, on the legacy inline",
		"`server_side_encryption_configuration` of `aws_s3_bucket`, and on buckets without any",
		"encryption configuration (which S3 encrypts with SSE-S3).",
	]),
	"remediation": concat(" ", [
		"Add an `aws_s3_bucket_server_side_encryption_configuration` with `rule {",
		"apply_server_side_encryption_by_default { sse_algorithm = \"aws:kms\"",
		"kms_master_key_id = aws_kms_key.<key>.arn } bucket_key_enabled = true }`.",
	]),
	"resource_types": ["aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket"],
	"controls": ["CFG:s3-default-encryption-kms", "CT.S3.PV.6", "CKV_AWS_145", "AVD-AWS-0132"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-KEY-002"] := {
	"title": "KMS key in the same region and jurisdiction as the data",
	"severity": "high",
	"description": concat(" ", [
		"A resource encrypted with a KMS key must use a key in its own region and partition,",
		"inside the jurisdiction: key material and every decrypt call then stay where the data",
		"is. The key's location comes from the key resource in the same estate or from the",
		"region in the key ARN. A bare key id or alias name always resolves in the resource's",
		"own region. Keys that encrypt copies in another region (replica, replication",
		"destination and backup copy settings) are checked for jurisdiction only. A key whose",
		"location cannot be resolved is reported as undecided.",
	]),
	"remediation": concat(" ", [
		"Create the key (`aws_kms_key`) through a provider for the data's region and refer to",
		"it (`kms_key_id = aws_kms_key.<key>.arn`), or create a multi-region replica",
		"(`aws_kms_replica_key`) in that region inside the jurisdiction.",
	]),
	"resource_types": [
		"*",
		"aws_ebs_volume",
		"aws_s3_bucket_server_side_encryption_configuration",
		"aws_db_instance",
		"aws_rds_cluster",
		"aws_dynamodb_table",
		"aws_efs_file_system",
		"aws_cloudtrail",
		"aws_cloudwatch_log_group",
		"aws_sns_topic",
		"aws_sqs_queue",
		"aws_secretsmanager_secret",
	],
	"controls": ["C5:CRY-04", "C5:2025:PSS-12.02AC"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-KEY-003"] := {
	"title": "Multi-region KMS keys replicate only inside the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"A multi-region key (`multi_region = true`) shares its key material with replica keys",
		"in other regions. Every replica (`aws_kms_replica_key`,",
		"`aws_kms_replica_external_key`) of a key in the estate must be in a region inside the",
		"jurisdiction; a replica whose region cannot be resolved is undecided.",
	]),
	"remediation": concat(" ", [
		"Set `multi_region = false` unless replicas are needed, and create replica keys only",
		"through providers for regions inside the jurisdiction.",
	]),
	"resource_types": ["aws_kms_key", "aws_kms_external_key", "aws_kms_replica_key", "aws_kms_replica_external_key"],
	"controls": ["PR:kms_cmk_not_multi_region"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-KEY-004"] := {
	"title": "KMS key rotation and deletion safeguards",
	"severity": "medium",
	"description": concat(" ", [
		"Symmetric encryption keys whose material AWS KMS generates must rotate",
		"(`enable_key_rotation = true`; keys in custom key stores and imported keys cannot),",
		"and every key must keep the longest deletion waiting period",
		"(`deletion_window_in_days` of 30, the default) so that a scheduled deletion, which",
		"makes all data under the key unreadable, can be noticed and cancelled. Live",
		"collectors report `key_state`; a key in `PendingDeletion` or",
		"`PendingReplicaDeletion` is reported.",
	]),
	"remediation": concat(" ", [
		"Set `enable_key_rotation = true` and leave `deletion_window_in_days` at 30; cancel",
		"pending deletions with `aws kms cancel-key-deletion`.",
	]),
	"resource_types": ["aws_kms_key", "aws_kms_external_key", "aws_kms_replica_key", "aws_kms_replica_external_key"],
	"controls": ["CFG:cmk-backing-key-rotation-enabled", "CFG:kms-cmk-not-scheduled-for-deletion", "CKV_AWS_7"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-KEY-005"] := {
	"title": "Customer-held key material for sensitive data",
	"severity": "high",
	"description": concat(" ", [
		"Keys tagged `data-classification` confidential, restricted or secret, and keys that",
		"encrypt resources so tagged, must not use key material generated and held by AWS",
		"KMS (origin `AWS_KMS`). Accepted origins are a CloudHSM or external key store",
		"(`custom_key_store_id`, origin `AWS_CLOUDHSM` or `EXTERNAL_KEY_STORE`) and imported",
		"material (`aws_kms_external_key`, origin `EXTERNAL`); these keep custody with the",
		"customer as the EDPB supplementary measures describe. Live collectors may report",
		"`origin` directly.",
	]),
	"remediation": concat(" ", [
		"Create the key in a custom key store (`custom_key_store_id =",
		"aws_kms_custom_key_store.<store>.id`, with `custom_key_store_type =",
		"\"EXTERNAL_KEY_STORE\"` for an external key manager) or import key material with",
		"`aws_kms_external_key`.",
	]),
	"resource_types": ["aws_kms_key", "aws_kms_external_key", "aws_kms_custom_key_store", "*"],
	"controls": ["CT.KMS.PV.4", "CT.KMS.PV.5", "CT.KMS.PV.6", "EDPB:01/2020"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-KEY-006"] := {
	"title": "KMS key policy lockout check kept and no RSA_2048 encryption keys",
	"severity": "medium",
	"description": concat(" ", [
		"`bypass_policy_lockout_safety_check = true` lets a key policy lock every principal,",
		"including the customer's administrators, out of the key. Encryption keys with",
		"`customer_master_key_spec = \"RSA_2048\"` are below the strength the digital",
		"sovereignty controls require.",
	]),
	"remediation": concat(" ", [
		"Remove `bypass_policy_lockout_safety_check` (or set it to false) on `aws_kms_key` and",
		"`aws_kms_key_policy`; use `RSA_3072`, `RSA_4096` or `SYMMETRIC_DEFAULT` for",
		"encryption keys.",
	]),
	"resource_types": ["aws_kms_key", "aws_kms_key_policy", "aws_kms_external_key"],
	"controls": ["CT.KMS.PV.3", "CT.KMS.PV.2"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-KEY-007"] := {
	"title": "KMS keys usable only inside the customer's account or organisation",
	"severity": "high",
	"description": concat(" ", [
		"Key policies must not allow every principal (`\"*\"`) unless a condition confines",
		"the statement to the organisation or account (`aws:PrincipalOrgID`,",
		"`aws:PrincipalAccount`, `kms:CallerAccount`, `aws:SourceAccount`, ...), and must not",
		"allow principals of another account when the key's account is known. Grants",
		"(`aws_kms_grant`) may go to AWS service principals, to principals in the key's own",
		"account, or to roles and users of the same configuration; a grant to an ARN whose",
		"account cannot be compared with the key's is undecided.",
	]),
	"remediation": concat(" ", [
		"Add a condition such as `\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-...\"}` to",
		"statements with `Principal = \"*\"`, remove other accounts from key policies, and",
		"grant only to principals of the key's account or to AWS services.",
	]),
	"resource_types": ["aws_kms_grant", "aws_kms_key", "aws_kms_key_policy"],
	"controls": ["CT.KMS.PV.1", "CT.KMS.PV.7", "CKV_AWS_33"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-KEY-008"] := {
	"title": "EBS encryption by default with a customer-managed key, every volume encrypted",
	"severity": "high",
	"description": concat(" ", [
		"EBS encryption by default must be on (`aws_ebs_encryption_by_default`) with a",
		"customer-managed default key (`aws_ebs_default_kms_key`) in each region where it is",
		"configured, and every volume must be encrypted: `aws_ebs_volume.encrypted`, the",
		"`root_block_device` and `ebs_block_device` blocks of `aws_instance`, and the EBS",
		"mappings of `aws_launch_template`. A volume is also encrypted when encryption by",
		"default is on in its region in the same estate. A volume whose encryption is known",
		"only after apply (or depends on the AMI) is undecided.",
	]),
	"remediation": concat(" ", [
		"Add `aws_ebs_encryption_by_default { enabled = true }` and `aws_ebs_default_kms_key {",
		"key_arn = aws_kms_key.<key>.arn }` per region, and set `encrypted = true` on volumes",
		"and block devices.",
	]),
	"resource_types": [
		"aws_ebs_encryption_by_default",
		"aws_ebs_default_kms_key",
		"aws_ebs_volume",
		"aws_instance",
		"aws_launch_template",
	],
	"controls": [
		"CFG:ec2-ebs-encryption-by-default",
		"CFG:encrypted-volumes",
		"CT.EC2.PV.1",
		"CT.EC2.PV.2",
		"CKV_AWS_3",
		"CKV_AWS_189",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-KEY-009"] := {
	"title": "Databases and file systems encrypted with a customer-managed key",
	"severity": "high",
	"description": concat(" ", [
		"RDS instances and clusters (`storage_encrypted` with `kms_key_id`), DynamoDB tables",
		"(`server_side_encryption { enabled = true, kms_key_arn = ... }`) and EFS file",
		"systems (`encrypted` with `kms_key_id`) must be encrypted under a customer-managed",
		"key, not an AWS-owned or AWS-managed one. Read replicas inherit their source's",
		"encryption and are skipped. A key argument that is known only after apply without a",
		"reference to a key is undecided.",
	]),
	"remediation": concat(" ", [
		"Set `storage_encrypted = true` and `kms_key_id = aws_kms_key.<key>.arn` (RDS),",
		"`server_side_encryption { enabled = true kms_key_arn = aws_kms_key.<key>.arn }`",
		"(DynamoDB), or `encrypted = true` and `kms_key_id` (EFS).",
	]),
	"resource_types": ["aws_db_instance", "aws_rds_cluster", "aws_dynamodb_table", "aws_efs_file_system"],
	"controls": [
		"CFG:rds-storage-encrypted",
		"CFG:dynamodb-table-encrypted-kms",
		"CKV_AWS_16",
		"CKV_AWS_327",
		"CKV_AWS_119",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-KEY-010"] := {
	"title": "Encryption in use for restricted and secret workloads",
	"severity": "medium",
	"description": concat(" ", [
		"Instances and launch templates tagged `data-classification` restricted or secret",
		"must protect data in use: AMD SEV-SNP (`cpu_options { amd_sev_snp = \"enabled\" }`) or",
		"Nitro Enclaves (`enclave_options { enabled = true }`). This mirrors the confidential",
		"computing level of the Azure and Google Cloud baselines.",
	]),
	"remediation": concat(" ", [
		"Use an instance type that supports SEV-SNP and set `cpu_options { amd_sev_snp =",
		"\"enabled\" }`, or process the data inside a Nitro Enclave (`enclave_options {",
		"enabled = true }`).",
	]),
	"resource_types": ["aws_instance", "aws_launch_template"],
	"controls": ["SO.4", "OP:compute.restrictNonConfidentialComputing"],
	"modes": ["plan", "state", "hcl", "live"],
}

# --- TRN-AWS-KEY-001 ----------------------------------------------------------------

# The default-encryption blocks of a configuration's rules, with their paths.
sse_defaults(r, base) := [{"path": sprintf("%srule.%d.apply_server_side_encryption_by_default.%d", [base, i, j]), "block": d} |
	some i, rule in common.objects(common.value(r, sprintf("%srule", [base]), []))
	some j, d in common.objects(object.get(rule, "apply_server_side_encryption_by_default", []))
]

# The resources that carry encryption rules, with the path prefix of the rules: the
# separate configuration resource, and buckets with the legacy inline block.
sse_targets := array.concat(
	[{"r": c, "base": ""} | some c in common.resources("aws_s3_bucket_server_side_encryption_configuration")],
	[{"r": b, "base": "server_side_encryption_configuration.0."} | some b in common.resources("aws_s3_bucket"); inline_sse(b)],
)

deny contains f if {
	some t in sse_targets
	some d in sse_defaults(t.r, t.base)
	object.get(d.block, "sse_algorithm", null) == "AES256"
	f := lib.finding("TRN-AWS-KEY-001", t.r, "sse_algorithm is AES256 (S3-managed keys), expected aws:kms with a customer-managed key")
}

deny contains f if {
	some t in sse_targets
	some d in sse_defaults(t.r, t.base)
	alg := object.get(d.block, "sse_algorithm", null)
	alg in {"aws:kms", "aws:kms:dsse"}
	common.key_state(t.r, concat(".", [d.path, "kms_master_key_id"])) in {"absent", "aws_managed"}
	f := lib.finding("TRN-AWS-KEY-001", t.r, sprintf("sse_algorithm %s uses the AWS-managed aws/s3 key, expected a customer-managed kms_master_key_id", [alg]))
}

deny contains f if {
	some t in sse_targets
	some d in sse_defaults(t.r, t.base)
	lib.unknown(t.r, concat(".", [d.path, "sse_algorithm"]))
	f := lib.undecided_finding("TRN-AWS-KEY-001", t.r, "cannot decide default encryption: sse_algorithm is known only after apply")
}

deny contains f if {
	some t in sse_targets
	count(sse_defaults(t.r, t.base)) == 0
	not lib.unknown(t.r, sprintf("%srule", [t.base]))
	f := lib.finding("TRN-AWS-KEY-001", t.r, "no apply_server_side_encryption_by_default rule, so S3 uses SSE-S3, expected aws:kms with a customer-managed key")
}

deny contains f if {
	some b in common.resources("aws_s3_bucket")
	not inline_sse(b)
	not separate_sse(b)
	f := lib.finding("TRN-AWS-KEY-001", b, "bucket has no server-side encryption configuration, so S3 uses SSE-S3, expected aws:kms with a customer-managed key")
}

inline_sse(b) if count(common.list(common.value(b, "server_side_encryption_configuration", []))) > 0

sse_configured := common.referenced("aws_s3_bucket_server_side_encryption_configuration", "bucket")

separate_sse(b) if count(common.identities(b) & sse_configured) > 0

# --- TRN-AWS-KEY-002 ----------------------------------------------------------------

# A key id or alias name without an ARN is always looked up in the caller's region.
same_region_reference(rel) if {
	object.get(rel, "target_type", null) == null
	is_string(rel.target)
	not startswith(rel.target, "arn:")
}

same_region_reference(rel) if common.aws_managed_key(rel.target)

# Keys that encrypt a copy held in another region.
copy_key(rel) if {
	path := common.attribute_path(object.get(rel, "attribute", ""))
	some word in ["replica", "destination", "copy_action"]
	contains(path, word)
}

key_relations := [{"r": r, "rel": rel} |
	some r in lib.cloud_resources("aws")
	some rel in lib.relations(r, "encryption_key")
	not same_region_reference(rel)
]

key_location(rel) := rel.target_location if {
	is_object(object.get(rel, "target_location", null))
} else := {"status": "unknown", "region": null, "partition": null, "reason": "the key's region is not known"}

deny contains f if {
	some kr in key_relations
	r := kr.r
	rel := kr.rel
	loc := key_location(rel)
	loc.status == "outside"
	f := lib.finding("TRN-AWS-KEY-002", r, sprintf("key %s is in %s, outside %s", [rel.target, common.region_label(loc), input.jurisdiction.id]))
}

deny contains f if {
	some kr in key_relations
	r := kr.r
	rel := kr.rel
	loc := key_location(rel)
	loc.status in {"unknown", "global"}
	f := lib.undecided_finding("TRN-AWS-KEY-002", r, sprintf("cannot decide key location of %s: %s", [rel.target, common.reason(loc)]))
}

deny contains f if {
	some kr in key_relations
	r := kr.r
	rel := kr.rel
	not copy_key(rel)
	loc := key_location(rel)
	loc.status == "inside"
	own := common.location(r).region
	is_string(own)
	is_string(loc.region)
	own != loc.region
	f := lib.finding("TRN-AWS-KEY-002", r, sprintf("key %s is in %s, expected the resource's region %s", [rel.target, loc.region, own]))
}

deny contains f if {
	some kr in key_relations
	r := kr.r
	rel := kr.rel
	loc := key_location(rel)
	own := common.location(r).partition
	is_string(own)
	is_string(loc.partition)
	own != loc.partition
	f := lib.finding("TRN-AWS-KEY-002", r, sprintf("key %s is in partition %s, expected the resource's partition %s", [rel.target, loc.partition, own]))
}

# --- TRN-AWS-KEY-003 ----------------------------------------------------------------

primary_key_types := ["aws_kms_key", "aws_kms_external_key"]

replica_key_types := ["aws_kms_replica_key", "aws_kms_replica_external_key"]

# The replicas of a key with their locations: replica resources that name the key as
# their primary, and the key's own replication relations.
replicas_of(k) := array.concat(
	[{"name": rk.address, "location": common.location(rk)} |
		some rk in common.resources_of(replica_key_types)
		common.refers_to(rk, k, "primary_key_arn")
	],
	[{"name": rel.target, "location": relation_location(rel)} |
		some rel in lib.relations(k, "replication_target")
		object.get(rel, "target_type", null) in replica_key_types
	],
)

relation_location(rel) := rel.target_location if {
	is_object(object.get(rel, "target_location", null))
} else := {"status": "unknown", "region": null, "partition": null, "reason": "its region is not known"}

deny contains f if {
	some k in common.resources_of(primary_key_types)
	common.truthy(common.value(k, "multi_region", false))
	some replica in replicas_of(k)
	replica.location.status == "outside"
	f := lib.finding("TRN-AWS-KEY-003", k, sprintf("multi-region key has replica %s in %s, outside %s", [replica.name, common.region_label(replica.location), input.jurisdiction.id]))
}

deny contains f if {
	some k in common.resources_of(primary_key_types)
	common.truthy(common.value(k, "multi_region", false))
	some replica in replicas_of(k)
	replica.location.status in {"unknown", "global"}
	f := lib.undecided_finding("TRN-AWS-KEY-003", k, sprintf("cannot decide region of replica %s: %s", [replica.name, common.reason(replica.location)]))
}

# --- TRN-AWS-KEY-004 ----------------------------------------------------------------

min_deletion_window_days := 30

all_key_types := array.concat(primary_key_types, replica_key_types)

# Automatic rotation exists only for symmetric encryption keys whose material KMS
# generated and holds.
rotatable(k) if {
	k.type == "aws_kms_key"
	common.value(k, "customer_master_key_spec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
	common.value(k, "key_usage", "ENCRYPT_DECRYPT") == "ENCRYPT_DECRYPT"
	not custom_store(k)
}

custom_store(k) if common.value(k, "custom_key_store_id", "") != ""

custom_store(k) if lib.unknown(k, "custom_key_store_id")

deny contains f if {
	some k in common.resources("aws_kms_key")
	rotatable(k)
	common.flag(k, "enable_key_rotation", false) == "false"
	f := lib.finding("TRN-AWS-KEY-004", k, "enable_key_rotation is false, expected true")
}

deny contains f if {
	some k in common.resources_of(all_key_types)
	days := common.value(k, "deletion_window_in_days", min_deletion_window_days)
	is_number(days)
	days < min_deletion_window_days
	f := lib.finding("TRN-AWS-KEY-004", k, sprintf("deletion_window_in_days is %v, expected %v", [days, min_deletion_window_days]))
}

deny contains f if {
	some k in common.resources_of(all_key_types)
	state := common.value(k, "key_state", "")
	state in {"PendingDeletion", "PendingReplicaDeletion"}
	f := lib.finding("TRN-AWS-KEY-004", k, sprintf("key_state is %s, expected Enabled", [state]))
}

# --- TRN-AWS-KEY-005 ----------------------------------------------------------------

# Keys referenced by resources that hold sensitive data.
sensitive_key_targets := {rel.target |
	some r in lib.cloud_resources("aws")
	common.sensitive(r)
	some rel in lib.relations(r, "encryption_key")
}

sovereign_tier(k) if common.sensitive(k)

sovereign_tier(k) if k.address in sensitive_key_targets

customer_held_origins := {"AWS_CLOUDHSM", "EXTERNAL", "EXTERNAL_KEY_STORE"}

customer_held(k) if custom_store(k)

customer_held(k) if common.value(k, "origin", "") in customer_held_origins

deny contains f if {
	some k in common.resources("aws_kms_key")
	sovereign_tier(k)
	not customer_held(k)
	origin := common.value(k, "origin", "AWS_KMS")
	f := lib.finding("TRN-AWS-KEY-005", k, sprintf("key material origin is %s, expected AWS_CLOUDHSM, EXTERNAL or EXTERNAL_KEY_STORE for %s data", [origin, tier_label(k)]))
}

tier_label(k) := common.classification(k) if common.sensitive(k)

tier_label(k) := "sensitive" if not common.sensitive(k)

# --- TRN-AWS-KEY-006 ----------------------------------------------------------------

deny contains f if {
	some k in common.resources_of(["aws_kms_key", "aws_kms_key_policy", "aws_kms_external_key"])
	common.truthy(common.value(k, "bypass_policy_lockout_safety_check", false))
	f := lib.finding("TRN-AWS-KEY-006", k, "bypass_policy_lockout_safety_check is true, expected false")
}

deny contains f if {
	some k in common.resources("aws_kms_key")
	common.value(k, "customer_master_key_spec", "") == "RSA_2048"
	common.value(k, "key_usage", "ENCRYPT_DECRYPT") == "ENCRYPT_DECRYPT"
	f := lib.finding("TRN-AWS-KEY-006", k, "customer_master_key_spec is RSA_2048 for an encryption key, expected RSA_3072, RSA_4096 or SYMMETRIC_DEFAULT")
}

# --- TRN-AWS-KEY-007 ----------------------------------------------------------------

service_principal(p) if {
	is_string(p)
	endswith(p, ".amazonaws.com")
}

# The key a policy or grant is about: the key resource it refers to, else itself.
key_resource(r) := keys[0] if {
	r.type in {"aws_kms_key_policy", "aws_kms_grant"}
	keys := [k | some k in common.resources_of(primary_key_types); common.refers_to(r, k, "key_id")]
	count(keys) > 0
} else := r

# The key's account, from its ARN or from a key ARN given as `key_id`.
key_account(r) := a if {
	a := common.account_of(common.value(key_resource(r), "arn", ""))
} else := a if {
	a := common.account_of(common.value(r, "key_id", ""))
}

key_policy_statements(r) := common.statements(common.document(common.value(r, "policy", null)))

deny contains f if {
	some r in common.resources_of(["aws_kms_key", "aws_kms_key_policy"])
	some s in key_policy_statements(r)
	common.allows(s)
	common.any_principal(s)
	not common.confined(s)
	f := lib.finding("TRN-AWS-KEY-007", r, "key policy allows principal * without an organisation or account condition, expected aws:PrincipalOrgID or aws:PrincipalAccount")
}

deny contains f if {
	some r in common.resources_of(["aws_kms_key", "aws_kms_key_policy"])
	own := key_account(r)
	some s in key_policy_statements(r)
	common.allows(s)
	principal := object.get(s, "Principal", null)
	is_object(principal)
	some p in common.as_list(object.get(principal, "AWS", null))
	other := common.account_of(p)
	other != own
	f := lib.finding("TRN-AWS-KEY-007", r, sprintf("key policy allows %s of account %s, expected principals of account %s", [p, other, own]))
}

# A grantee that is a resource of the same configuration.
grantee_in_estate(g) if {
	some rel in g.relations
	rel.kind != "encryption_key"
	object.get(rel, "target_type", null) != null
}

deny contains f if {
	some g in common.resources("aws_kms_grant")
	grantee := common.value(g, "grantee_principal", "")
	not service_principal(grantee)
	other := common.account_of(grantee)
	own := key_account(g)
	other != own
	f := lib.finding("TRN-AWS-KEY-007", g, sprintf("grant to %s of account %s, expected the key's account %s or an AWS service", [grantee, other, own]))
}

deny contains f if {
	some g in common.resources("aws_kms_grant")
	grantee := common.value(g, "grantee_principal", "")
	not service_principal(grantee)
	common.account_of(grantee)
	not key_account(g)
	not grantee_in_estate(g)
	f := lib.undecided_finding("TRN-AWS-KEY-007", g, sprintf("cannot decide grant scope: the account of grantee %s cannot be compared with the key's", [grantee]))
}

# --- TRN-AWS-KEY-008 ----------------------------------------------------------------

default_encryption(d) if common.flag(d, "enabled", true) == "true"

default_encryption_in(region) if {
	is_string(region)
	some d in common.resources("aws_ebs_encryption_by_default")
	default_encryption(d)
	common.location(d).region == region
}

default_key_in(region) if {
	some k in common.resources("aws_ebs_default_kms_key")
	common.location(k).region == region
}

deny contains f if {
	some d in common.resources("aws_ebs_encryption_by_default")
	common.flag(d, "enabled", true) == "false"
	f := lib.finding("TRN-AWS-KEY-008", d, "enabled is false, expected EBS encryption by default")
}

deny contains f if {
	some d in common.resources("aws_ebs_encryption_by_default")
	default_encryption(d)
	not default_key_in(common.location(d).region)
	f := lib.finding("TRN-AWS-KEY-008", d, sprintf("no aws_ebs_default_kms_key in %s, so default encryption uses the AWS-managed aws/ebs key", [common.region_label(common.location(d))]))
}

deny contains f if {
	some k in common.resources("aws_ebs_default_kms_key")
	common.key_state(k, "key_arn") in {"absent", "aws_managed"}
	f := lib.finding("TRN-AWS-KEY-008", k, "key_arn is not a customer-managed key, expected a customer-managed key ARN")
}

# Every volume setting to check: the resource, the path of its `encrypted` flag and a label.
volume_settings := array.concat(
	array.concat(
		[{"r": v, "path": "encrypted", "label": "volume"} | some v in common.resources("aws_ebs_volume")],
		[{"r": i, "path": sprintf("%s.%d.encrypted", [block, n]), "label": sprintf("%s %d", [block, n])} |
			some i in common.resources("aws_instance")
			some block in ["root_block_device", "ebs_block_device"]
			some n, _ in common.list(common.value(i, block, []))
		],
	),
	[{"r": t, "path": sprintf("block_device_mappings.%d.ebs.0.encrypted", [n]), "label": sprintf("block_device_mappings %d", [n])} |
		some t in common.resources("aws_launch_template")
		some n, m in common.objects(common.value(t, "block_device_mappings", []))
		count(common.list(object.get(m, "ebs", []))) > 0
	],
)

deny contains f if {
	some v in volume_settings
	r := v.r
	path := v.path
	label := v.label
	common.flag(r, path, false) == "false"
	not default_encryption_in(common.location(r).region)
	f := lib.finding("TRN-AWS-KEY-008", r, sprintf("%s is not encrypted, expected encrypted = true", [label]))
}

deny contains f if {
	some v in volume_settings
	r := v.r
	path := v.path
	label := v.label
	common.flag(r, path, false) == "unknown"
	not default_encryption_in(common.location(r).region)
	f := lib.undecided_finding("TRN-AWS-KEY-008", r, sprintf("cannot decide encryption of %s: encrypted is known only after apply", [label]))
}

# An instance without a root_block_device block gets its root volume from the AMI.
deny contains f if {
	some i in common.resources("aws_instance")
	count(common.list(common.value(i, "root_block_device", []))) == 0
	not default_encryption_in(common.location(i).region)
	f := lib.undecided_finding("TRN-AWS-KEY-008", i, "cannot decide encryption of the root volume: it depends on the AMI, expected root_block_device { encrypted = true }")
}

# --- TRN-AWS-KEY-009 ----------------------------------------------------------------

read_replica(r) if common.value(r, "replicate_source_db", "") != ""

read_replica(r) if lib.unknown(r, "replicate_source_db")

# Each data store: the resource, its encryption flag (off when unset) and its key argument.
stores := array.concat(
	array.concat(
		[{"r": r, "flag": "storage_encrypted", "key": "kms_key_id"} | some r in common.resources("aws_db_instance"); not read_replica(r)],
		[{"r": r, "flag": "storage_encrypted", "key": "kms_key_id"} | some r in common.resources("aws_rds_cluster")],
	),
	array.concat(
		[{"r": r, "flag": "server_side_encryption.0.enabled", "key": "server_side_encryption.0.kms_key_arn"} | some r in common.resources("aws_dynamodb_table")],
		[{"r": r, "flag": "encrypted", "key": "kms_key_id"} | some r in common.resources("aws_efs_file_system")],
	),
)

deny contains f if {
	some store in stores
	r := store.r
	flag_path := store.flag
	common.flag(r, flag_path, false) == "false"
	f := lib.finding("TRN-AWS-KEY-009", r, sprintf("%s is false, expected encryption with a customer-managed key", [flag_path]))
}

deny contains f if {
	some store in stores
	r := store.r
	flag_path := store.flag
	common.flag(r, flag_path, false) == "unknown"
	f := lib.undecided_finding("TRN-AWS-KEY-009", r, sprintf("cannot decide encryption: %s is known only after apply", [flag_path]))
}

deny contains f if {
	some store in stores
	r := store.r
	flag_path := store.flag
	key_path := store.key
	common.flag(r, flag_path, false) == "true"
	common.key_state(r, key_path) in {"absent", "aws_managed"}
	f := lib.finding("TRN-AWS-KEY-009", r, sprintf("%s is not a customer-managed key, so AWS manages the key, expected a customer-managed key", [key_path]))
}

deny contains f if {
	some store in stores
	r := store.r
	flag_path := store.flag
	key_path := store.key
	common.flag(r, flag_path, false) == "true"
	common.key_state(r, key_path) == "unknown"
	f := lib.undecided_finding("TRN-AWS-KEY-009", r, sprintf("cannot decide key: %s is known only after apply and refers to no key", [key_path]))
}

# --- TRN-AWS-KEY-010 ----------------------------------------------------------------

confidential_compute(r) if common.value(r, "cpu_options.0.amd_sev_snp", "") == "enabled"

confidential_compute(r) if common.truthy(common.value(r, "enclave_options.0.enabled", false))

deny contains f if {
	some r in common.resources_of(["aws_instance", "aws_launch_template"])
	common.in_use_tier(r)
	not confidential_compute(r)
	f := lib.finding("TRN-AWS-KEY-010", r, sprintf("%s workload has neither amd_sev_snp = \"enabled\" nor Nitro Enclaves, expected encryption in use", [common.classification(r)]))
}
