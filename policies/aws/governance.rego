# Governance: the Control Tower controls that keep sovereign OUs inside the perimeter.
package terrane.pack.aws.governance

import rego.v1

import data.terrane.lib
import data.terrane.pack.aws.common

rules["TRN-AWS-GOV-001"] := {
	"title": "Data residency controls enabled on every sovereign OU",
	"severity": "high",
	"description": concat(" ", [
		"Every organisational unit governed by Control Tower (the target of at least one",
		"`aws_controltower_control`) must have the data-residency controls that stop data",
		"leaving through other regions enabled: `AWS-GR_DISALLOW_CROSS_REGION_NETWORKING`",
		"(cross-region peering, CloudFront and Global Accelerator) and",
		"`AWS-GR_RESTRICT_S3_CROSS_REGION_REPLICATION`. OUs tagged `data-classification`",
		"confidential, restricted or secret must be governed at all. Controls are matched",
		"by the identifier at the end of `control_identifier`; newer controls with opaque",
		"catalog identifiers cannot be matched and are not required here.",
	]),
	"remediation": concat(" ", [
		"Add an `aws_controltower_control` with `control_identifier =",
		"\"arn:aws:controltower:<home region>::control/<id>\"` for each missing control and",
		"`target_identifier` the OU's ARN.",
	]),
	"resource_types": ["aws_controltower_control", "aws_organizations_organizational_unit"],
	"controls": ["AWS-GR_DISALLOW_CROSS_REGION_NETWORKING", "AWS-GR_RESTRICT_S3_CROSS_REGION_REPLICATION"],
	"modes": ["plan", "state", "hcl", "live"],
}

required_controls := {
	"AWS-GR_DISALLOW_CROSS_REGION_NETWORKING",
	"AWS-GR_RESTRICT_S3_CROSS_REGION_REPLICATION",
}

controls := common.resources("aws_controltower_control")

# The control's identifier: the last path segment of its ARN.
control_id(c) := id if {
	arn := common.value(c, "control_identifier", "")
	is_string(arn)
	parts := split(arn, "/")
	id := parts[count(parts) - 1]
	id != ""
}

# The OU a control targets: the OU resource it refers to, else its target ARN.
target(c) := ous[0] if {
	ous := sort([rel.target |
		some rel in c.relations
		object.get(rel, "target_type", null) == "aws_organizations_organizational_unit"
	])
	count(ous) > 0
} else := t if {
	t := common.value(c, "target_identifier", "")
	is_string(t)
	t != ""
}

targets := {target(c) | some c in controls}

enabled_on(ou) := {control_id(c) | some c in controls; target(c) == ou}

# The resource to report on for an OU: the OU itself when it is in the estate, else the
# first of its controls by address.
anchor(ou) := r if {
	some r in common.resources("aws_organizations_organizational_unit")
	r.address == ou
} else := r if {
	addresses := sort([c.address | some c in controls; target(c) == ou])
	some r in controls
	r.address == addresses[0]
}

deny contains f if {
	some ou in targets
	missing := required_controls - enabled_on(ou)
	count(missing) > 0
	f := lib.finding("TRN-AWS-GOV-001", anchor(ou), sprintf("organizational unit %s lacks %s, expected the data residency controls enabled", [ou, concat(", ", sort(missing))]))
}

deny contains f if {
	some c in controls
	not target(c)
	lib.unknown(c, "target_identifier")
	f := lib.undecided_finding("TRN-AWS-GOV-001", c, "cannot decide the governed OU: target_identifier is known only after apply")
}

governed(ou) if ou.address in targets

governed(ou) if common.value(ou, "arn", "") in targets

deny contains f if {
	some ou in common.resources("aws_organizations_organizational_unit")
	common.sensitive(ou)
	not governed(ou)
	f := lib.finding("TRN-AWS-GOV-001", ou, sprintf("%s OU has no Control Tower controls, expected the data residency controls enabled", [common.classification(ou)]))
}
