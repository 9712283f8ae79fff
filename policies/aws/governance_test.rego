package terrane.pack.aws.governance_test

import rego.v1

import data.terrane.pack.aws.governance
import data.terrane.testing

ou_arn := "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-34cd56ef"

control(name, id) := {
	"type": "aws_controltower_control",
	"name": name,
	"region": "eu-central-1",
	"values": {"control_identifier": sprintf("arn:aws:controltower:eu-central-1::control/%s", [id]), "target_identifier": ou_arn},
}

test_trn_aws_gov_001_missing_replication_control_fires if {
	findings := governance.deny with input as testing.estate([control("network", "AWS-GR_DISALLOW_CROSS_REGION_NETWORKING")])
	count(findings) == 1
	some f in findings
	f.rule_id == "TRN-AWS-GOV-001"
	f.address == "aws_controltower_control.network"
	contains(f.message, "AWS-GR_RESTRICT_S3_CROSS_REGION_REPLICATION")
	contains(f.message, ou_arn)
}

test_trn_aws_gov_001_full_set_passes if {
	findings := governance.deny with input as testing.estate([
		control("network", "AWS-GR_DISALLOW_CROSS_REGION_NETWORKING"),
		control("replication", "AWS-GR_RESTRICT_S3_CROSS_REGION_REPLICATION"),
	])
	count(findings) == 0
}

test_trn_aws_gov_001_ungoverned_sensitive_ou_fires if {
	ou := {"type": "aws_organizations_organizational_unit", "name": "data", "values": {"name": "Data"}, "tags": {"data-classification": "confidential"}}
	findings := governance.deny with input as testing.estate([ou])
	count(findings) == 1
	some f in findings
	f.address == "aws_organizations_organizational_unit.data"
	contains(f.message, "confidential")
}

test_trn_aws_gov_001_governed_ou_by_reference_passes if {
	ou := {"type": "aws_organizations_organizational_unit", "name": "data", "values": {"name": "Data"}, "tags": {"data-classification": "confidential"}}
	reference := {"kind": "reference", "target": "aws_organizations_organizational_unit.data", "target_type": "aws_organizations_organizational_unit"}
	controls := [
		object.union(control("network", "AWS-GR_DISALLOW_CROSS_REGION_NETWORKING"), {"relations": [reference]}),
		object.union(control("replication", "AWS-GR_RESTRICT_S3_CROSS_REGION_REPLICATION"), {"relations": [reference]}),
	]
	findings := governance.deny with input as testing.estate(array.concat([ou], controls))
	count(findings) == 0
}

test_trn_aws_gov_001_target_unknown_undecided if {
	c := object.union(object.remove(control("network", "AWS-GR_DISALLOW_CROSS_REGION_NETWORKING"), ["values"]), {"values": {"control_identifier": "arn:aws:controltower:eu-central-1::control/AWS-GR_DISALLOW_CROSS_REGION_NETWORKING"}, "unknown": ["target_identifier"]})
	findings := governance.deny with input as testing.estate([c])
	count(findings) == 1
	some f in findings
	f.undecided
}
