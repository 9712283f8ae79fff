# Logging and audit evidence: trails, configuration history and flow logs recorded,
# protected, and stored inside the jurisdiction.
package terrane.pack.aws.logging

import rego.v1

import data.terrane.lib
import data.terrane.pack.aws.common

rules["TRN-AWS-LOG-001"] := {
	"title": "CloudTrail on in every region, encrypted, validated and stored inside",
	"severity": "high",
	"description": concat(" ", [
		"Each trail must cover every region (`is_multi_region_trail`) or the whole",
		"organisation (`is_organization_trail`), be logging (`enable_logging`), encrypt log",
		"files with a customer-managed key (`kms_key_id`), sign digests",
		"(`enable_log_file_validation`) and deliver to destinations inside the jurisdiction.",
		"The destination bucket is placed through the bucket resource in the same estate;",
		"a bucket name alone carries no region and is reported as undecided.",
	]),
	"remediation": concat(" ", [
		"Set `is_multi_region_trail = true` (or `is_organization_trail = true`),",
		"`enable_log_file_validation = true`, `kms_key_id = aws_kms_key.<key>.arn`, and",
		"deliver to a bucket in a region inside the jurisdiction.",
	]),
	"resource_types": ["aws_cloudtrail"],
	"controls": [
		"CFG:multi-region-cloudtrail-enabled",
		"CFG:cloud-trail-encryption-enabled",
		"CFG:cloudtrail-enabled",
		"CKV_AWS_67",
		"CKV_AWS_35",
		"CKV_AWS_36",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-LOG-002"] := {
	"title": "Log archive buckets retained and protected from change",
	"severity": "medium",
	"description": concat(" ", [
		"Buckets that receive CloudTrail, AWS Config or S3 access logs must retain them",
		"(an enabled lifecycle rule or S3 Object Lock) and, where the organisation is in the",
		"estate, an attached SCP must deny changing their policy, encryption, logging and",
		"lifecycle (`s3:PutBucketPolicy`, `s3:DeleteBucketPolicy`,",
		"`s3:PutEncryptionConfiguration`, `s3:PutBucketLogging`,",
		"`s3:PutLifecycleConfiguration`). SCPs are not visible from a member account's",
		"plan; live reads decide there.",
	]),
	"remediation": concat(" ", [
		"Add an `aws_s3_bucket_lifecycle_configuration` with an `Enabled` rule (or an",
		"`aws_s3_bucket_object_lock_configuration`) for the log bucket, and attach an SCP",
		"that denies the listed actions on it except for the log-archive administrators.",
	]),
	"resource_types": [
		"aws_s3_bucket",
		"aws_cloudtrail",
		"aws_config_delivery_channel",
		"aws_s3_bucket_logging",
		"aws_s3_bucket_lifecycle_configuration",
		"aws_s3_bucket_object_lock_configuration",
		"aws_organizations_policy",
	],
	"controls": [
		"AWS-GR_AUDIT_BUCKET_RETENTION_POLICY",
		"AWS-GR_AUDIT_BUCKET_ENCRYPTION_ENABLED",
		"AWS-GR_AUDIT_BUCKET_LOGGING_ENABLED",
		"AWS-GR_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED",
	],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-LOG-003"] := {
	"title": "AWS Config recording and VPC flow logs, stored inside",
	"severity": "medium",
	"description": concat(" ", [
		"Each configuration recorder must record all supported resource types and be",
		"started (`aws_config_configuration_recorder_status` with `is_enabled = true`), its",
		"delivery channel must deliver inside the jurisdiction, every VPC must have a flow",
		"log, and flow logs must be delivered inside the jurisdiction. A destination that",
		"cannot be placed is undecided.",
	]),
	"remediation": concat(" ", [
		"Add `aws_config_configuration_recorder_status { is_enabled = true }` for each",
		"recorder with `recording_group { all_supported = true }`, and an `aws_flow_log`",
		"for each VPC whose destination is a bucket or log group in a region inside the",
		"jurisdiction.",
	]),
	"resource_types": [
		"aws_config_configuration_recorder",
		"aws_config_configuration_recorder_status",
		"aws_config_delivery_channel",
		"aws_vpc",
		"aws_flow_log",
	],
	"controls": ["CFG:vpc-flow-logs-enabled", "steampipe:config_enabled_all_regions"],
	"modes": ["plan", "state", "hcl", "live"],
}

target_location(rel) := rel.target_location if {
	is_object(object.get(rel, "target_location", null))
} else := {"status": "unknown", "region": null, "partition": null, "reason": "its region is not known"}

placed(loc) if loc.status in {"inside", "outside"}

# Delivery destinations of a log source: `log_destination` relations, else the literal
# ARN or bucket name in `attribute` (bucket names carry no region).
destinations(r, attribute) := [{"target": rel.target, "location": target_location(rel)} |
	some rel in lib.relations(r, "log_destination")
] if {
	count(lib.relations(r, "log_destination")) > 0
} else := [{"target": v, "location": lib.locate("aws", v)} |
	v := common.value(r, attribute, "")
	is_string(v)
	v != ""
]

# --- TRN-AWS-LOG-001 ----------------------------------------------------------------

deny contains f if {
	some t in common.resources("aws_cloudtrail")
	common.flag(t, "is_multi_region_trail", false) == "false"
	common.flag(t, "is_organization_trail", false) == "false"
	f := lib.finding("TRN-AWS-LOG-001", t, "is_multi_region_trail is false, expected a multi-region or organisation trail")
}

deny contains f if {
	some t in common.resources("aws_cloudtrail")
	common.flag(t, "enable_logging", true) == "false"
	f := lib.finding("TRN-AWS-LOG-001", t, "enable_logging is false, expected true")
}

deny contains f if {
	some t in common.resources("aws_cloudtrail")
	common.key_state(t, "kms_key_id") in {"absent", "aws_managed"}
	f := lib.finding("TRN-AWS-LOG-001", t, "kms_key_id is not a customer-managed key, expected log files encrypted with one")
}

deny contains f if {
	some t in common.resources("aws_cloudtrail")
	common.flag(t, "enable_log_file_validation", false) == "false"
	f := lib.finding("TRN-AWS-LOG-001", t, "enable_log_file_validation is false, expected true")
}

deny contains f if {
	some t in common.resources("aws_cloudtrail")
	some d in destinations(t, "s3_bucket_name")
	d.location.status == "outside"
	f := lib.finding("TRN-AWS-LOG-001", t, sprintf("delivers logs to %s in %s, outside %s", [d.target, common.region_label(d.location), input.jurisdiction.id]))
}

deny contains f if {
	some t in common.resources("aws_cloudtrail")
	some d in destinations(t, "s3_bucket_name")
	not placed(d.location)
	f := lib.undecided_finding("TRN-AWS-LOG-001", t, sprintf("cannot decide region of log destination %s: %s", [d.target, common.reason(d.location)]))
}

# --- TRN-AWS-LOG-002 ----------------------------------------------------------------

# Log sources and the attribute that names their bucket.
log_sources := array.concat(
	array.concat(
		[{"r": r, "attribute": "s3_bucket_name"} | some r in common.resources("aws_cloudtrail")],
		[{"r": r, "attribute": "s3_bucket_name"} | some r in common.resources("aws_config_delivery_channel")],
	),
	[{"r": r, "attribute": "target_bucket"} | some r in common.resources("aws_s3_bucket_logging")],
)

# Every bucket address and bucket name that receives logs.
log_targets := {rel.target |
	some source in log_sources
	some rel in lib.relations(source.r, "log_destination")
} | {name |
	some source in log_sources
	name := common.value(source.r, source.attribute, "")
	is_string(name)
	name != ""
}

receives_logs(b) if count(common.identities(b) & log_targets) > 0

log_buckets := [b | some b in common.resources("aws_s3_bucket"); receives_logs(b)]

# Buckets with an enabled lifecycle rule, and buckets with an object lock configuration.
lifecycle_retained := {x |
	some lc in common.resources("aws_s3_bucket_lifecycle_configuration")
	some rule in common.objects(common.value(lc, "rule", []))
	object.get(rule, "status", "") == "Enabled"
	some x in common.references(lc, "bucket")
}

lock_retained := common.referenced("aws_s3_bucket_object_lock_configuration", "bucket")

retained(b) if count(common.identities(b) & lifecycle_retained) > 0

retained(b) if count(common.identities(b) & lock_retained) > 0

retained(b) if {
	some rule in common.objects(common.value(b, "lifecycle_rule", []))
	common.truthy(object.get(rule, "enabled", false))
}

retained(b) if common.truthy(common.value(b, "object_lock_configuration.0.object_lock_enabled", false))

retained(b) if common.value(b, "object_lock_configuration.0.object_lock_enabled", "") == "Enabled"

deny contains f if {
	some b in log_buckets
	not retained(b)
	f := lib.finding("TRN-AWS-LOG-002", b, "log bucket has no enabled lifecycle rule or object lock, expected a retention policy")
}

protected_actions := [
	"s3:PutBucketPolicy",
	"s3:DeleteBucketPolicy",
	"s3:PutEncryptionConfiguration",
	"s3:PutBucketLogging",
	"s3:PutLifecycleConfiguration",
]

attached_scp_statements := common.attached_statements("SERVICE_CONTROL_POLICY")

unprotected := [action |
	some action in protected_actions
	not protected(action)
]

protected(action) if {
	some s in attached_scp_statements
	common.denies(s)
	common.applies_to(s, action)
}

deny contains f if {
	count(common.resources("aws_organizations_organization")) > 0
	some b in log_buckets
	count(unprotected) > 0
	not common.any_content_unknown("SERVICE_CONTROL_POLICY")
	f := lib.finding("TRN-AWS-LOG-002", b, sprintf("no attached service control policy denies %s, expected log bucket changes prohibited", [concat(", ", unprotected)]))
}

deny contains f if {
	count(common.resources("aws_organizations_organization")) > 0
	some b in log_buckets
	count(unprotected) > 0
	common.any_content_unknown("SERVICE_CONTROL_POLICY")
	f := lib.undecided_finding("TRN-AWS-LOG-002", b, "cannot decide log bucket protection: a service control policy's content is known only after apply")
}

# --- TRN-AWS-LOG-003 ----------------------------------------------------------------

deny contains f if {
	some rec in common.resources("aws_config_configuration_recorder")
	common.flag(rec, "recording_group.0.all_supported", true) == "false"
	f := lib.finding("TRN-AWS-LOG-003", rec, "recording_group.all_supported is false, expected all supported resource types recorded")
}

statuses(rec) := [s |
	some s in common.resources("aws_config_configuration_recorder_status")
	common.refers_to(s, rec, "name")
]

deny contains f if {
	some rec in common.resources("aws_config_configuration_recorder")
	count(statuses(rec)) == 0
	f := lib.finding("TRN-AWS-LOG-003", rec, "recorder has no aws_config_configuration_recorder_status, so it never starts, expected is_enabled = true")
}

deny contains f if {
	some s in common.resources("aws_config_configuration_recorder_status")
	common.flag(s, "is_enabled", false) == "false"
	f := lib.finding("TRN-AWS-LOG-003", s, "is_enabled is false, expected the recorder started")
}

deny contains f if {
	some ch in common.resources("aws_config_delivery_channel")
	some d in destinations(ch, "s3_bucket_name")
	d.location.status == "outside"
	f := lib.finding("TRN-AWS-LOG-003", ch, sprintf("delivers configuration history to %s in %s, outside %s", [d.target, common.region_label(d.location), input.jurisdiction.id]))
}

deny contains f if {
	some ch in common.resources("aws_config_delivery_channel")
	some d in destinations(ch, "s3_bucket_name")
	not placed(d.location)
	f := lib.undecided_finding("TRN-AWS-LOG-003", ch, sprintf("cannot decide region of delivery bucket %s: %s", [d.target, common.reason(d.location)]))
}

flow_logged := common.referenced("aws_flow_log", "vpc_id")

has_flow_log(vpc) if count(common.identities(vpc) & flow_logged) > 0

deny contains f if {
	some vpc in common.resources("aws_vpc")
	not has_flow_log(vpc)
	f := lib.finding("TRN-AWS-LOG-003", vpc, "no flow log records the VPC's traffic, expected an aws_flow_log for it")
}

deny contains f if {
	some fl in common.resources("aws_flow_log")
	some d in destinations(fl, "log_destination")
	d.location.status == "outside"
	f := lib.finding("TRN-AWS-LOG-003", fl, sprintf("delivers flow logs to %s in %s, outside %s", [d.target, common.region_label(d.location), input.jurisdiction.id]))
}

deny contains f if {
	some fl in common.resources("aws_flow_log")
	some d in destinations(fl, "log_destination")
	not placed(d.location)
	f := lib.undecided_finding("TRN-AWS-LOG-003", fl, sprintf("cannot decide region of flow log destination %s: %s", [d.target, common.reason(d.location)]))
}
