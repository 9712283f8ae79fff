# Transfer and replication: every copy of the data (replicas, backups, snapshots,
# caches) must stay inside the jurisdiction. These rules invert the resilience checks
# that reward cross-region copies: a copy is fine only where its destination is inside.
package terrane.pack.aws.transfer

import rego.v1

import data.terrane.lib
import data.terrane.pack.aws.common

rules["TRN-AWS-XFR-001"] := {
	"title": "S3 replication only to buckets inside the jurisdiction",
	"severity": "critical",
	"description": concat(" ", [
		"Every replication destination (`rule.destination.bucket` of",
		"`aws_s3_bucket_replication_configuration`, or the legacy inline",
		"`replication_configuration` of `aws_s3_bucket`) must be a bucket whose region is",
		"inside the jurisdiction. S3 bucket ARNs carry no region, so the destination is",
		"placed through the bucket resource in the same estate; a destination that cannot",
		"be placed is reported as undecided.",
	]),
	"remediation": concat(" ", [
		"Replicate only to buckets created through a provider for a region inside the",
		"jurisdiction (same-region replication, or cross-region replication between such",
		"regions), and keep the destination bucket in the same configuration so it can be",
		"checked.",
	]),
	"resource_types": ["aws_s3_bucket_replication_configuration", "aws_s3_bucket"],
	"controls": ["AWS-GR_RESTRICT_S3_CROSS_REGION_REPLICATION", "CFG:s3-bucket-replication-enabled", "CKV_AWS_144"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-XFR-002"] := {
	"title": "Network peering only inside the jurisdiction, no Global Accelerator",
	"severity": "high",
	"description": concat(" ", [
		"VPC peering connections and transit gateway peering attachments must peer with a",
		"`peer_region` inside the jurisdiction (a peering without `peer_region` stays in its",
		"own region). Global Accelerator accelerators route traffic through edge locations",
		"worldwide and are reported unless tagged `data-classification = public`.",
	]),
	"remediation": concat(" ", [
		"Peer only with VPCs and transit gateways in regions inside the jurisdiction, and use",
		"regional load balancers instead of Global Accelerator for non-public traffic.",
	]),
	"resource_types": [
		"aws_vpc_peering_connection",
		"aws_ec2_transit_gateway_peering_attachment",
		"aws_globalaccelerator_accelerator",
		"aws_globalaccelerator_custom_routing_accelerator",
	],
	"controls": ["AWS-GR_DISALLOW_CROSS_REGION_NETWORKING"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-XFR-003"] := {
	"title": "CloudFront kept away from sensitive data and restricted to the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"CloudFront caches content at edge locations worldwide; even `PriceClass_100` includes",
		"North America. Distributions tagged `data-classification` confidential, restricted",
		"or secret are reported outright. Other distributions, unless tagged",
		"`data-classification = public`, must use `price_class = \"PriceClass_100\"` and a",
		"`restrictions.geo_restriction` whitelist of countries inside the jurisdiction.",
	]),
	"remediation": concat(" ", [
		"Serve sensitive data from regional endpoints. Otherwise set `price_class =",
		"\"PriceClass_100\"` and `restrictions { geo_restriction { restriction_type =",
		"\"whitelist\" locations = [<countries inside the jurisdiction>] } }`.",
	]),
	"resource_types": ["aws_cloudfront_distribution"],
	"controls": ["AWS-GR_DISALLOW_CROSS_REGION_NETWORKING", "CKV_AWS_374", "PR:cloudfront_distributions_geo_restrictions_enabled"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-XFR-004"] := {
	"title": "Replicas and replicated snapshots only inside the jurisdiction",
	"severity": "critical",
	"description": concat(" ", [
		"Copies placed by an attribute or by other resources must be inside the",
		"jurisdiction: DynamoDB global table replicas (`replica.region_name`), Secrets",
		"Manager replicas (`replica.region`), the member clusters of RDS, DocumentDB and",
		"Neptune global clusters (clusters with `global_cluster_identifier`, or",
		"`global_cluster_members` read from state), Redshift cross-region snapshot copies",
		"(`snapshot_copy.destination_region`,",
		"`aws_redshift_snapshot_copy`), and the replica resources a database or table",
		"replicates to (read replicas naming it in `replicate_source_db` or",
		"`replication_source_identifier`, `aws_dynamodb_table_replica`), reported on the",
		"source. Every replica resource, `aws_kms_replica_key` and",
		"`aws_db_instance_automated_backups_replication` included, is also placed by",
		"TRN-AWS-RES-001; replica keys are judged by TRN-AWS-KEY-003.",
	]),
	"remediation": concat(" ", [
		"Remove replicas, global cluster members and snapshot copy destinations in regions",
		"outside the jurisdiction, or move them to regions inside it.",
	]),
	"resource_types": [
		"aws_dynamodb_table",
		"aws_dynamodb_global_table",
		"aws_dynamodb_table_replica",
		"aws_secretsmanager_secret",
		"aws_db_instance",
		"aws_rds_global_cluster",
		"aws_rds_cluster",
		"aws_docdb_global_cluster",
		"aws_docdb_cluster",
		"aws_neptune_global_cluster",
		"aws_neptune_cluster",
		"aws_redshift_cluster",
		"aws_redshift_snapshot_copy",
	],
	"controls": ["PR:kms_cmk_not_multi_region", "C5:PSS-12"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-XFR-005"] := {
	"title": "AWS Backup copies only to vaults inside the jurisdiction",
	"severity": "critical",
	"description": concat(" ", [
		"Each `rule.copy_action.destination_vault_arn` of `aws_backup_plan` must name a vault",
		"in a region inside the jurisdiction; the region comes from the vault ARN or from the",
		"vault resource in the same estate. A destination that cannot be placed is",
		"undecided.",
	]),
	"remediation": "Copy backups only to vaults in regions inside the jurisdiction.",
	"resource_types": ["aws_backup_plan"],
	"controls": ["C5:PSS-12"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-XFR-006"] := {
	"title": "ECR replication only to regions inside the jurisdiction",
	"severity": "high",
	"description": concat(" ", [
		"Each `replication_configuration.rule.destination.region` of",
		"`aws_ecr_replication_configuration` must be inside the jurisdiction: images and",
		"their layers are copied there.",
	]),
	"remediation": "Remove destinations in regions outside the jurisdiction.",
	"resource_types": ["aws_ecr_replication_configuration"],
	"controls": ["C5:PSS-12"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-AWS-XFR-007"] := {
	"title": "Snapshot and image copies stay inside, export paths denied",
	"severity": "high",
	"description": concat(" ", [
		"`aws_ebs_snapshot_copy` (`source_region`) and `aws_ami_copy` (`source_ami_region`)",
		"must copy between regions inside the jurisdiction; the target region is the",
		"resource's own and is placed by TRN-AWS-RES-001. Where the organisation is in the",
		"estate, an attached SCP must deny the EBS direct APIs (which read and write",
		"snapshot blocks from anywhere) and VM Import/Export.",
	]),
	"remediation": concat(" ", [
		"Copy only from regions inside the jurisdiction, and attach an SCP with a Deny on",
		"`ebs:*`, `ec2:ExportImage`, `ec2:CreateInstanceExportTask`, `ec2:ImportImage`,",
		"`ec2:ImportSnapshot`, `ec2:ImportInstance` and `ec2:ImportVolume`.",
	]),
	"resource_types": [
		"aws_ebs_snapshot_copy",
		"aws_ami_copy",
		"aws_organizations_organization",
		"aws_organizations_policy",
		"aws_organizations_policy_attachment",
	],
	"controls": ["CT.EC2.PV.4", "CT.EC2.PV.5"],
	"modes": ["plan", "state", "hcl", "live"],
}

# A location that must be inside: outside is a finding, anything but inside undecided.
placed_outside(loc) if loc.status == "outside"

placed(loc) if loc.status in {"inside", "outside"}

unplaced(loc) if not placed(loc)

# The relation's target location, or an unknown one.
target_location(rel) := rel.target_location if {
	is_object(object.get(rel, "target_location", null))
} else := {"status": "unknown", "region": null, "partition": null, "reason": "its region is not known"}

# --- TRN-AWS-XFR-001 ----------------------------------------------------------------

replication_sources := common.resources_of(["aws_s3_bucket_replication_configuration", "aws_s3_bucket"])

deny contains f if {
	some r in replication_sources
	some rel in lib.relations(r, "replication_target")
	loc := target_location(rel)
	placed_outside(loc)
	f := lib.finding("TRN-AWS-XFR-001", r, sprintf("replicates to %s in %s, outside %s", [rel.target, common.region_label(loc), input.jurisdiction.id]))
}

deny contains f if {
	some r in replication_sources
	some rel in lib.relations(r, "replication_target")
	loc := target_location(rel)
	unplaced(loc)
	f := lib.undecided_finding("TRN-AWS-XFR-001", r, sprintf("cannot decide replication destination region of %s: %s", [rel.target, common.reason(loc)]))
}

# Without relations the destinations are bucket ARNs, which carry no region.
deny contains f if {
	some r in common.resources("aws_s3_bucket_replication_configuration")
	count(lib.relations(r, "replication_target")) == 0
	some rule in common.objects(common.value(r, "rule", []))
	some destination in common.objects(object.get(rule, "destination", []))
	bucket := object.get(destination, "bucket", "")
	f := lib.undecided_finding("TRN-AWS-XFR-001", r, sprintf("cannot decide replication destination region of %s: bucket ARNs carry no region", [bucket]))
}

# --- TRN-AWS-XFR-002 ----------------------------------------------------------------

peerings := common.resources_of(["aws_vpc_peering_connection", "aws_ec2_transit_gateway_peering_attachment"])

deny contains f if {
	some r in peerings
	region := common.value(r, "peer_region", "")
	region != ""
	placed_outside(lib.locate("aws", region))
	f := lib.finding("TRN-AWS-XFR-002", r, sprintf("peer_region %s is outside %s", [region, input.jurisdiction.id]))
}

deny contains f if {
	some r in peerings
	region := common.value(r, "peer_region", "")
	region != ""
	unplaced(lib.locate("aws", region))
	f := lib.undecided_finding("TRN-AWS-XFR-002", r, sprintf("cannot decide peering: peer_region %s is not a known region", [region]))
}

deny contains f if {
	some r in peerings
	lib.unknown(r, "peer_region")
	f := lib.undecided_finding("TRN-AWS-XFR-002", r, "cannot decide peering: peer_region is known only after apply")
}

deny contains f if {
	some r in common.resources_of(["aws_globalaccelerator_accelerator", "aws_globalaccelerator_custom_routing_accelerator"])
	not common.public_data(r)
	f := lib.finding("TRN-AWS-XFR-002", r, sprintf("accelerator routes traffic through global edge locations outside %s, expected regional endpoints", [input.jurisdiction.id]))
}

# --- TRN-AWS-XFR-003 ----------------------------------------------------------------

jurisdiction_countries := {c | some c in common.list(object.get(input.jurisdiction, "countries", null))}

distributions := [r | some r in common.resources("aws_cloudfront_distribution"); not common.public_data(r)]

deny contains f if {
	some r in distributions
	common.sensitive(r)
	f := lib.finding("TRN-AWS-XFR-003", r, sprintf("distribution serves %s data from global edge caches, expected no CloudFront for sensitive data", [common.classification(r)]))
}

deny contains f if {
	some r in distributions
	not common.sensitive(r)
	price := common.value(r, "price_class", "PriceClass_All")
	price != "PriceClass_100"
	f := lib.finding("TRN-AWS-XFR-003", r, sprintf("price_class is %s, expected PriceClass_100", [price]))
}

geo_restriction(r) := common.value(r, "restrictions.0.geo_restriction.0.restriction_type", "none")

geo_locations(r) := {upper(c) | some c in common.list(common.value(r, "restrictions.0.geo_restriction.0.locations", [])); is_string(c)}

deny contains f if {
	some r in distributions
	not common.sensitive(r)
	kind := geo_restriction(r)
	kind != "whitelist"
	f := lib.finding("TRN-AWS-XFR-003", r, sprintf("geo_restriction is %s, expected a whitelist of countries in %s", [kind, input.jurisdiction.id]))
}

deny contains f if {
	some r in distributions
	not common.sensitive(r)
	geo_restriction(r) == "whitelist"
	count(jurisdiction_countries) > 0
	extra := geo_locations(r) - jurisdiction_countries
	count(extra) > 0
	f := lib.finding("TRN-AWS-XFR-003", r, sprintf("geo_restriction allows %s, outside %s", [concat(", ", sort(extra)), input.jurisdiction.id]))
}

deny contains f if {
	some r in distributions
	not common.sensitive(r)
	geo_restriction(r) == "whitelist"
	count(jurisdiction_countries) == 0
	f := lib.undecided_finding("TRN-AWS-XFR-003", r, sprintf("cannot decide geo restriction: the countries of %s are not known", [input.jurisdiction.id]))
}

# --- TRN-AWS-XFR-004 ----------------------------------------------------------------

# Copies whose region an attribute names, as the resource, the region and a label.
attribute_copies := array.concat(
	array.concat(
		[{"r": r, "region": object.get(replica, "region_name", null), "label": "replica"} |
			some r in common.resources_of(["aws_dynamodb_table", "aws_dynamodb_global_table"])
			some replica in common.objects(common.value(r, "replica", []))
		],
		[{"r": r, "region": object.get(replica, "region", null), "label": "secret replica"} |
			some r in common.resources("aws_secretsmanager_secret")
			some replica in common.objects(common.value(r, "replica", []))
		],
	),
	array.concat(
		[{"r": r, "region": object.get(copy, "destination_region", null), "label": "snapshot copy"} |
			some r in common.resources("aws_redshift_cluster")
			some copy in common.objects(common.value(r, "snapshot_copy", []))
		],
		[{"r": r, "region": common.value(r, "destination_region", null), "label": "snapshot copy"} |
			some r in common.resources("aws_redshift_snapshot_copy")
		],
	),
)

deny contains f if {
	some copy in attribute_copies
	is_string(copy.region)
	placed_outside(lib.locate("aws", copy.region))
	f := lib.finding("TRN-AWS-XFR-004", copy.r, sprintf("%s is in %s, outside %s", [copy.label, copy.region, input.jurisdiction.id]))
}

deny contains f if {
	some copy in attribute_copies
	is_string(copy.region)
	unplaced(lib.locate("aws", copy.region))
	f := lib.undecided_finding("TRN-AWS-XFR-004", copy.r, sprintf("cannot decide %s region: %s is not a known region", [copy.label, copy.region]))
}

# Replica resources of the estate that a database or table replicates to. Region strings
# of `replica.region_name` are relations too; they have no target type and are judged
# from the attribute above.
replica_sources := common.resources_of(["aws_db_instance", "aws_rds_cluster", "aws_dynamodb_table"])

replica_relations := [{"r": r, "rel": rel} |
	some r in replica_sources
	some rel in lib.relations(r, "replication_target")
	object.get(rel, "target_type", null) != null
]

deny contains f if {
	some x in replica_relations
	loc := target_location(x.rel)
	placed_outside(loc)
	f := lib.finding("TRN-AWS-XFR-004", x.r, sprintf("replicates to %s in %s, outside %s", [x.rel.target, common.region_label(loc), input.jurisdiction.id]))
}

deny contains f if {
	some x in replica_relations
	loc := target_location(x.rel)
	unplaced(loc)
	f := lib.undecided_finding("TRN-AWS-XFR-004", x.r, sprintf("cannot decide region of replica %s: %s", [x.rel.target, common.reason(loc)]))
}

# Global database clusters and the type of their member clusters.
global_cluster_types := {
	"aws_rds_global_cluster": "aws_rds_cluster",
	"aws_docdb_global_cluster": "aws_docdb_cluster",
	"aws_neptune_global_cluster": "aws_neptune_cluster",
}

global_clusters := [{"g": g, "member_type": member_type} |
	some global_type, member_type in global_cluster_types
	some g in common.resources(global_type)
]

# The members of a global cluster: clusters of the estate that join it, and the other
# member ARNs that state and live reads list.
global_members(g, member_type) := array.concat(estate_members, [{"name": arn, "location": lib.locate("aws", arn)} |
	known := {common.value(m, "arn", "") | some m in members}
	some member in common.objects(common.value(g, "global_cluster_members", []))
	arn := object.get(member, "db_cluster_arn", null)
	is_string(arn)
	not arn in known
]) if {
	members := [c | some c in common.resources(member_type); common.refers_to(c, g, "global_cluster_identifier")]
	estate_members := [{"name": c.address, "location": common.location(c)} | some c in members]
}

deny contains f if {
	some x in global_clusters
	some member in global_members(x.g, x.member_type)
	placed_outside(member.location)
	f := lib.finding("TRN-AWS-XFR-004", x.g, sprintf("global cluster member %s is in %s, outside %s", [member.name, common.region_label(member.location), input.jurisdiction.id]))
}

deny contains f if {
	some x in global_clusters
	some member in global_members(x.g, x.member_type)
	unplaced(member.location)
	f := lib.undecided_finding("TRN-AWS-XFR-004", x.g, sprintf("cannot decide region of global cluster member %s: %s", [member.name, common.reason(member.location)]))
}

# --- TRN-AWS-XFR-005 ----------------------------------------------------------------

copy_vault_arns(p) := [arn |
	some rule in common.objects(common.value(p, "rule", []))
	some copy in common.objects(object.get(rule, "copy_action", []))
	arn := object.get(copy, "destination_vault_arn", null)
	is_string(arn)
	arn != ""
]

# Destinations by relation, and literal ARNs; both name the target the same way so that
# a destination known both ways gives one finding.
copy_destinations(p) := array.concat(
	[{"target": rel.target, "location": target_location(rel)} | some rel in lib.relations(p, "replication_target")],
	[{"target": arn, "location": lib.locate("aws", arn)} | some arn in copy_vault_arns(p)],
)

deny contains f if {
	some p in common.resources("aws_backup_plan")
	some d in copy_destinations(p)
	placed_outside(d.location)
	f := lib.finding("TRN-AWS-XFR-005", p, sprintf("copies backups to %s in %s, outside %s", [d.target, common.region_label(d.location), input.jurisdiction.id]))
}

deny contains f if {
	some p in common.resources("aws_backup_plan")
	some d in copy_destinations(p)
	unplaced(d.location)
	f := lib.undecided_finding("TRN-AWS-XFR-005", p, sprintf("cannot decide backup copy destination %s: %s", [d.target, common.reason(d.location)]))
}

deny contains f if {
	some p in common.resources("aws_backup_plan")
	count(copy_destinations(p)) == 0
	some u in p.unknown
	contains(u, "destination_vault_arn")
	f := lib.undecided_finding("TRN-AWS-XFR-005", p, "cannot decide backup copy destination: destination_vault_arn is known only after apply")
}

# --- TRN-AWS-XFR-006 ----------------------------------------------------------------

ecr_destinations(r) := [region |
	some rule in common.objects(common.value(r, "replication_configuration.0.rule", []))
	some destination in common.objects(object.get(rule, "destination", []))
	region := object.get(destination, "region", null)
	is_string(region)
]

deny contains f if {
	some r in common.resources("aws_ecr_replication_configuration")
	some region in ecr_destinations(r)
	placed_outside(lib.locate("aws", region))
	f := lib.finding("TRN-AWS-XFR-006", r, sprintf("replicates images to %s, outside %s", [region, input.jurisdiction.id]))
}

deny contains f if {
	some r in common.resources("aws_ecr_replication_configuration")
	some region in ecr_destinations(r)
	unplaced(lib.locate("aws", region))
	f := lib.undecided_finding("TRN-AWS-XFR-006", r, sprintf("cannot decide replication destination: %s is not a known region", [region]))
}

# --- TRN-AWS-XFR-007 ----------------------------------------------------------------

copy_sources := array.concat(
	[{"r": r, "region": common.value(r, "source_region", null)} | some r in common.resources("aws_ebs_snapshot_copy")],
	[{"r": r, "region": common.value(r, "source_ami_region", null)} | some r in common.resources("aws_ami_copy")],
)

deny contains f if {
	some c in copy_sources
	is_string(c.region)
	placed_outside(lib.locate("aws", c.region))
	f := lib.finding("TRN-AWS-XFR-007", c.r, sprintf("copies from %s, outside %s", [c.region, input.jurisdiction.id]))
}

deny contains f if {
	some c in copy_sources
	is_string(c.region)
	unplaced(lib.locate("aws", c.region))
	f := lib.undecided_finding("TRN-AWS-XFR-007", c.r, sprintf("cannot decide copy source: %s is not a known region", [c.region]))
}

# Operations that move disk contents out of AWS's regional services.
export_actions := [
	"ebs:GetSnapshotBlock",
	"ebs:ListSnapshotBlocks",
	"ebs:ListChangedBlocks",
	"ebs:PutSnapshotBlock",
	"ebs:StartSnapshot",
	"ec2:ExportImage",
	"ec2:CreateInstanceExportTask",
	"ec2:ImportImage",
	"ec2:ImportSnapshot",
	"ec2:ImportInstance",
	"ec2:ImportVolume",
]

attached_scp_statements := common.attached_statements("SERVICE_CONTROL_POLICY")

export_allowed := [action |
	some action in export_actions
	not denied(action)
]

denied(action) if {
	some s in attached_scp_statements
	common.denies(s)
	common.applies_to(s, action)
}

deny contains f if {
	some org in common.resources("aws_organizations_organization")
	count(export_allowed) > 0
	not common.any_content_unknown("SERVICE_CONTROL_POLICY")
	f := lib.finding("TRN-AWS-XFR-007", org, sprintf("no attached service control policy denies %s, expected EBS direct APIs and VM Import/Export denied", [concat(", ", export_allowed)]))
}

deny contains f if {
	some org in common.resources("aws_organizations_organization")
	count(export_allowed) > 0
	common.any_content_unknown("SERVICE_CONTROL_POLICY")
	f := lib.undecided_finding("TRN-AWS-XFR-007", org, "cannot decide export guardrails: a service control policy's content is known only after apply")
}
