# Cross-cloud governance: classification tags that decide which sovereignty tier applies,
# service allow-lists, residency guardrails that cannot be bypassed, and approved images.
package terrane.pack.all.governance

import rego.v1
import data.terrane.lib
import data.terrane.pack.google.common as gcp

rules["TRN-ALL-GOV-001"] := {
	"title": "Mandatory classification and cost tags present with allowed values",
	"severity": "medium",
	"description": concat(" ", [
		"Every taggable resource of AWS, Azure and Google Cloud must carry the required tags",
		"(labels on Google Cloud): `data-classification` with one of `public`, `internal`,",
		"`confidential` or `restricted`, and `cost-centre` with any value. The",
		"classification decides which tier of the key and residency rules applies. The set",
		"can be replaced through the configuration key `required_tags`, an object from tag",
		"key to allowed values (an empty list allows any non-empty value). Keys and values",
		"are compared without regard to case, since Google label keys must be lowercase. A",
		"resource is taggable when it has a `tags` (AWS, Azure) or `labels` (Google Cloud)",
		"attribute, or is of a common taggable type; tags known only after apply are",
		"reported as undecided.",
	]),
	"remediation": concat(" ", [
		"Set the tags on the resource or, better, for every resource of a provider: AWS",
		"`default_tags { tags = { data-classification = \"confidential\", cost-centre = \"cc-42\" } }`,",
		"Google `default_labels` on the provider block, Azure tags inherited through policy",
		"or modules; use one of the allowed classification values.",
	]),
	"resource_types": ["*"],
	"controls": ["AZP:871b6d14-10aa-478d-b590-94f262ecfa99", "AZP:96670d01-0a4d-4649-9c89-2d3abc0a5025", "CFG:required-tags"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-ALL-GOV-002"] := {
	"title": "Only services allowed in the sovereign scope are used",
	"severity": "medium",
	"description": concat(" ", [
		"Sovereign scopes may use only the services supported inside the jurisdiction or",
		"the chosen sovereign package. Google: `gcp.restrictServiceUsage` must not allow all",
		"services, and every `google_project_service` of this configuration must be allowed",
		"by the `gcp.restrictServiceUsage` policies declared here. Azure: assignments of",
		"*Allowed resource types* (`a08ec900-254a-4555-9bf5-e42af04b5c5c`) must be enforced.",
		"When the configuration key `allowed_resource_types` (glob patterns of Terraform",
		"resource types) is set, every managed resource must match one; when",
		"`allowed_services` (Google API names) is set, every enabled Google API must be in",
		"it. AWS service allow-list SCPs are checked live.",
	]),
	"remediation": concat(" ", [
		"Declare `gcp.restrictServiceUsage` with the API names of the package in",
		"`allowed_values`; enable only those APIs with `google_project_service`; keep",
		"`enforce = true` on Azure *Allowed resource types* assignments; remove resources",
		"of services outside the allow-list.",
	]),
	"resource_types": ["*"],
	"controls": ["AZP:a08ec900-254a-4555-9bf5-e42af04b5c5c", "OP:gcp.restrictServiceUsage", "Assured Workloads"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-ALL-GOV-003"] := {
	"title": "Residency guardrails in force and not bypassed",
	"severity": "high",
	"description": concat(" ", [
		"Residency guardrails only protect when they take effect. AWS: a service control",
		"policy that restricts `aws:RequestedRegion` must be attached to a target, and an",
		"organisation managed here must have one. Azure: residency policy assignments",
		"(*Allowed locations*, *Allowed locations for resource groups*, *Azure Cosmos DB",
		"allowed locations* and the sovereignty and data-residency initiatives) must be",
		"enforced with a `Deny` effect, and a management group hierarchy managed here must",
		"have one. Google: `gcp.resourceLocations` policies must not `reset` to the default",
		"(which allows every location) nor exist only as a dry run. Inherited guardrails",
		"defined outside this configuration are checked live.",
	]),
	"remediation": concat(" ", [
		"Attach the region-deny SCP with `aws_organizations_policy_attachment` to the root",
		"or every workload OU; keep `enforce = true` and an effect of `Deny` on Azure",
		"location assignments; remove `reset = true` and dry-run-only specs from",
		"`gcp.resourceLocations` policies.",
	]),
	"resource_types": ["*"],
	"controls": ["AWS-GR_REGION_DENY", "CT.MULTISERVICE.PV.1", "AZP:e56962a6-4747-49cd-b67b-bf8b01975c4c", "OP:gcp.resourceLocations"],
	"modes": ["plan", "state", "hcl", "live"],
}

rules["TRN-ALL-GOV-004"] := {
	"title": "Images only from approved registries in the jurisdiction",
	"severity": "medium",
	"description": concat(" ", [
		"Container images must come from registries located in the jurisdiction: Artifact",
		"Registry (`REGION-docker.pkg.dev`), Container Registry hosts (`eu.gcr.io`, ...) and",
		"ECR (`ACCOUNT.dkr.ecr.REGION.amazonaws.com`) are placed by their region, Azure",
		"Container Registry by the registry managed here. Images whose registry cannot be",
		"placed (Docker Hub, public registries, registries managed elsewhere) are reported as",
		"undecided unless they start with one of `approved_registries` from the",
		"configuration. When `approved_images` (glob patterns) is configured, virtual machine",
		"images (AMIs, Compute Engine images, Azure image ids) must match one of them.",
	]),
	"remediation": concat(" ", [
		"Mirror images into a registry in the jurisdiction (for example",
		"`europe-west3-docker.pkg.dev/PROJECT/REPO/app`) and reference them by digest; list",
		"trusted registries in `approved_registries` and golden VM images in",
		"`approved_images`.",
	]),
	"resource_types": array.concat(container_types, vm_image_types),
	"controls": ["C5:PSS-11", "CFG:approved-amis-by-id"],
	"modes": ["plan", "state", "hcl", "live"],
}

# Configuration with defaults.

default required_tags := {
	"data-classification": ["public", "internal", "confidential", "restricted"],
	"cost-centre": [],
}

required_tags := data.terrane.config.required_tags

default allowed_resource_types := []

allowed_resource_types := data.terrane.config.allowed_resource_types

default allowed_services := []

allowed_services := data.terrane.config.allowed_services

default approved_registries := []

approved_registries := data.terrane.config.approved_registries

default approved_images := []

approved_images := data.terrane.config.approved_images

jurisdiction := input.jurisdiction.id

managed := array.concat(
	array.concat(lib.cloud_resources("aws"), lib.cloud_resources("azure")),
	lib.cloud_resources("google"),
)

# TRN-ALL-GOV-001

# Common taggable types, for inputs (HCL) where an unset `tags` or `labels` attribute is
# absent from the values.
known_taggable := {
	"aws_backup_vault", "aws_cloudtrail", "aws_cloudwatch_log_group", "aws_db_instance",
	"aws_dynamodb_table", "aws_ebs_volume", "aws_ecr_repository", "aws_ecs_cluster",
	"aws_efs_file_system", "aws_eks_cluster", "aws_elasticache_replication_group", "aws_iam_role",
	"aws_instance", "aws_kinesis_stream", "aws_kms_key", "aws_lambda_function", "aws_launch_template",
	"aws_lb", "aws_opensearch_domain", "aws_rds_cluster", "aws_redshift_cluster", "aws_s3_bucket",
	"aws_secretsmanager_secret", "aws_security_group", "aws_sns_topic", "aws_sqs_queue",
	"aws_subnet", "aws_vpc",
	"azurerm_application_gateway", "azurerm_container_registry", "azurerm_cosmosdb_account",
	"azurerm_eventhub_namespace", "azurerm_key_vault", "azurerm_kubernetes_cluster",
	"azurerm_linux_virtual_machine", "azurerm_linux_web_app", "azurerm_log_analytics_workspace",
	"azurerm_managed_disk", "azurerm_mssql_database", "azurerm_mssql_server",
	"azurerm_mysql_flexible_server", "azurerm_network_security_group",
	"azurerm_postgresql_flexible_server", "azurerm_public_ip", "azurerm_recovery_services_vault",
	"azurerm_redis_cache", "azurerm_resource_group", "azurerm_service_plan",
	"azurerm_servicebus_namespace", "azurerm_storage_account", "azurerm_virtual_network",
	"azurerm_windows_virtual_machine", "azurerm_windows_web_app",
	"google_artifact_registry_repository", "google_bigquery_dataset", "google_bigquery_table",
	"google_bigtable_instance", "google_cloud_run_v2_service", "google_cloudfunctions2_function",
	"google_compute_disk", "google_compute_instance", "google_container_cluster",
	"google_dataproc_cluster", "google_filestore_instance", "google_kms_crypto_key",
	"google_project", "google_pubsub_subscription", "google_pubsub_topic", "google_redis_instance",
	"google_secret_manager_secret", "google_spanner_instance", "google_sql_database_instance",
	"google_storage_bucket",
}

# Where each cloud keeps tags in the attribute values.
tag_paths := {
	"aws": [["tags"], ["tags_all"]],
	"azure": [["tags"]],
	"google": [["labels"], ["terraform_labels"], ["settings", 0, "user_labels"], ["resource_labels"]],
}

taggable(r) if r.type in known_taggable

taggable(r) if count(gcp.object_or_empty(r.tags)) > 0

taggable(r) if {
	some path in tag_paths[r.cloud]
	count(path) == 1
	_ = r.values[path[0]]
}

taggable(r) if {
	some path in tag_paths[r.cloud]
	count(path) == 1
	lib.unknown(r, path[0])
}

# The tags of a resource with lowercased keys, from the normalised tags and the values.
effective_tags(r) := object.union_n(array.concat(
	[lib.tags_lower(r)],
	[{lower(k): v | some k, v in gcp.object_or_empty(object.get(r.values, path, {}))} |
		some path in tag_paths[r.cloud]
	],
))

# The dotted attribute paths of `tag_paths`, joined once per evaluation.
tag_path_names := {cloud: [concat(".", [sprintf("%v", [p]) | some p in path]) | some path in paths] |
	some cloud, paths in tag_paths
}

tags_unknown(r) if {
	some name in tag_path_names[r.cloud]
	lib.unknown(r, name)
}

tag_value(tags, key) := lower(tags[key]) if is_string(tags[key])

tag_value(tags, key) := "" if not is_string(tags[key])

required_keys := sort([lower(key) | some key, _ in required_tags])

allowed_by_key := {lower(key): [lower(v) | some v in values] | some key, values in required_tags}

# Every taggable resource with its effective tags, the required keys it lacks, and whether
# its tags are known before apply. Computed once per evaluation, so that each resource's
# tags are gathered once rather than once per rule body and required key.
tag_checks := [check |
	some r in managed
	taggable(r)
	tags := effective_tags(r)
	check := {
		"resource": r,
		"tags": tags,
		"missing": [k | some k in required_keys; tag_value(tags, k) == ""],
		"unknown": tags_unknown_flag(r),
	}
]

tags_unknown_flag(r) := true if tags_unknown(r)

tags_unknown_flag(r) := false if not tags_unknown(r)

deny contains f if {
	some check in tag_checks
	not check.unknown
	count(check.missing) > 0
	f := lib.finding("TRN-ALL-GOV-001", check.resource, sprintf(
		"required tags %s are missing, expected them set (allowed values: %s)",
		[gcp.quoted(check.missing), allowed_summary(check.missing)],
	))
}

allowed_summary(keys) := concat("; ", [sprintf("%s: %s", [k, allowed_text(k)]) | some k in keys])

allowed_text(k) := "any" if count(allowed_by_key[k]) == 0

allowed_text(k) := concat(", ", allowed_by_key[k]) if count(allowed_by_key[k]) > 0

deny contains f if {
	some check in tag_checks
	not check.unknown
	some k in required_keys
	allowed := allowed_by_key[k]
	count(allowed) > 0
	value := tag_value(check.tags, k)
	value != ""
	not value in allowed
	f := lib.finding("TRN-ALL-GOV-001", check.resource, sprintf(
		"tag `%s` is `%s`, expected one of %s",
		[k, check.tags[k], gcp.quoted(allowed)],
	))
}

deny contains f if {
	some check in tag_checks
	check.unknown
	count(check.missing) > 0
	f := lib.undecided_finding("TRN-ALL-GOV-001", check.resource, sprintf(
		"tags are unknown until apply, expected %s set",
		[gcp.quoted(check.missing)],
	))
}

# TRN-ALL-GOV-002

deny contains f if {
	count(allowed_resource_types) > 0
	some r in managed
	not type_allowed(r.type)
	f := lib.finding("TRN-ALL-GOV-002", r, sprintf(
		"resource type `%s` is not in the allowed services, expected a type matching %s",
		[r.type, gcp.quoted(allowed_resource_types)],
	))
}

type_allowed(t) if {
	some pattern in allowed_resource_types
	glob.match(pattern, [], t)
}

service_policies := [p | some p in gcp.policies_for("gcp.restrictServiceUsage"); gcp.effective(p); not p.unknown]

deny contains f if {
	some p in service_policies
	p.allow_all
	f := lib.finding("TRN-ALL-GOV-002", p.resource, "`gcp.restrictServiceUsage` sets `allow_all`, expected only the services of the sovereign package")
}

deny contains f if {
	some r in gcp.managed("google_project_service")
	service := gcp.value(r, "service", "")
	some p in service_policies
	applies_to_project(p, r)
	not service_permitted(p, service)
	f := lib.finding("TRN-ALL-GOV-002", r, sprintf(
		"service `%s` is not allowed by `gcp.restrictServiceUsage` on `%s`, expected only allowed services",
		[service, p.parent],
	))
}

# Policies on the organisation apply to every project; a project policy to its project.
# Folder policies are left to the live check, since folder membership is not in the input.
applies_to_project(p, _) if startswith(p.parent, "organizations/")

applies_to_project(p, r) if p.parent == sprintf("projects/%s", [gcp.value(r, "project", "")])

service_permitted(p, service) if {
	not p.deny_all
	not service in p.denied_values
	count(p.allowed_values) == 0
}

service_permitted(p, service) if {
	not p.deny_all
	not service in p.denied_values
	service in p.allowed_values
}

deny contains f if {
	count(allowed_services) > 0
	some r in gcp.managed("google_project_service")
	service := gcp.value(r, "service", "")
	not service in allowed_services
	f := lib.finding("TRN-ALL-GOV-002", r, sprintf(
		"service `%s` is not in the allowed services, expected one of %s",
		[service, gcp.quoted(allowed_services)],
	))
}

azure_assignment_types := [
	"azurerm_management_group_policy_assignment", "azurerm_resource_group_policy_assignment",
	"azurerm_resource_policy_assignment", "azurerm_subscription_policy_assignment",
]

allowed_types_policy := "a08ec900-254a-4555-9bf5-e42af04b5c5c"

deny contains f if {
	some r in gcp.managed_of(azure_assignment_types)
	definition := lower(gcp.value(r, "policy_definition_id", ""))
	endswith(definition, allowed_types_policy)
	gcp.value(r, "enforce", true) == false
	f := lib.finding("TRN-ALL-GOV-002", r, sprintf(
		"assignment of `%s` (Allowed resource types) has `enforce = false`, expected it enforced",
		[allowed_types_policy],
	))
}

# TRN-ALL-GOV-003

# AWS: region-deny SCPs must be attached.

region_scps := [p |
	some p in gcp.managed("aws_organizations_policy")
	gcp.value(p, "type", "SERVICE_CONTROL_POLICY") == "SERVICE_CONTROL_POLICY"
	content := gcp.value(p, "content", "")
	is_string(content)
	contains(lower(content), "aws:requestedregion")
]

attachments := gcp.managed("aws_organizations_policy_attachment")

attached(p) if {
	some a in attachments
	some rel in a.relations
	rel.target == p.address
}

attached(p) if {
	some a in attachments
	id := gcp.value(p, "id", "")
	id != ""
	gcp.value(a, "policy_id", "") == id
}

# An attachment whose policy cannot be identified in this input.
unresolved_attachment if {
	some a in attachments
	lib.unknown(a, "policy_id")
	count([rel | some rel in a.relations; contains(rel.target, "aws_organizations_policy.")]) == 0
}

deny contains f if {
	some p in region_scps
	not attached(p)
	not unresolved_attachment
	f := lib.finding("TRN-ALL-GOV-003", p, sprintf(
		"region-deny SCP `%s` is not attached to any target, expected an `aws_organizations_policy_attachment` to the root or workload OUs",
		[gcp.value(p, "name", p.address)],
	))
}

deny contains f if {
	some p in region_scps
	not attached(p)
	unresolved_attachment
	f := lib.undecided_finding("TRN-ALL-GOV-003", p, sprintf(
		"region-deny SCP `%s` may be attached by an attachment whose `policy_id` is unknown until apply, expected an attachment to the root or workload OUs",
		[gcp.value(p, "name", p.address)],
	))
}

deny contains f if {
	some org in gcp.managed("aws_organizations_organization")
	count(region_scps) == 0
	f := lib.finding("TRN-ALL-GOV-003", org, "the organisation has no service control policy restricting `aws:RequestedRegion`, expected a region-deny SCP attached to the root")
}

# Azure: residency assignments must be enforced with a Deny effect.

azure_residency_definitions := [
	"e56962a6-4747-49cd-b67b-bf8b01975c4c", "e765b5de-1225-4ba3-bd56-1ac6695af988",
	"0473574d-2d43-4217-aefe-941fcdf7e684", "c1cbff38-87c0-4b9f-9f70-035c7a3b5523",
	"03de05a4-c324-4ccd-882f-a814ea8ab9ea", "bebfcba2-e789-4da6-9043-726ef3a00d02",
]

residency_assignment(r) if {
	definition := lower(gcp.value(r, "policy_definition_id", ""))
	some guid in azure_residency_definitions
	endswith(definition, guid)
}

residency_assignments := [r | some r in gcp.managed_of(azure_assignment_types); residency_assignment(r)]

deny contains f if {
	some r in residency_assignments
	gcp.value(r, "enforce", true) == false
	f := lib.finding("TRN-ALL-GOV-003", r, sprintf(
		"residency assignment of `%s` has `enforce = false`, expected it enforced",
		[gcp.value(r, "policy_definition_id", "")],
	))
}

deny contains f if {
	some r in residency_assignments
	parameters := gcp.value(r, "parameters", "")
	is_string(parameters)
	json.is_valid(parameters)
	some name, parameter in gcp.object_or_empty(json.unmarshal(parameters))
	contains(lower(name), "effect")
	effect := object.get(gcp.object_or_empty(parameter), "value", "")
	is_string(effect)
	lower(effect) != "deny"
	f := lib.finding("TRN-ALL-GOV-003", r, sprintf(
		"residency assignment sets `%s` to `%s`, expected `Deny`",
		[name, effect],
	))
}

top_management_groups := [g |
	some g in gcp.managed("azurerm_management_group")
	gcp.value(g, "parent_management_group_id", "") == ""
	count([rel | some rel in g.relations; contains(rel.target, "azurerm_management_group.")]) == 0
]

deny contains f if {
	count(residency_assignments) == 0
	some g in top_management_groups
	f := lib.finding("TRN-ALL-GOV-003", g, "the management group has no residency policy assignment in this configuration, expected an enforced Allowed locations assignment")
}

# Google: residency org policies must not reset or only dry-run.

deny contains f if {
	some p in gcp.policies_for("gcp.resourceLocations")
	p.reset
	f := lib.finding("TRN-ALL-GOV-003", p.resource, sprintf(
		"`gcp.resourceLocations` on `%s` sets `reset` and restores the default that allows every location, expected the restriction to stay in force",
		[p.parent],
	))
}

deny contains f if {
	some p in gcp.policies_for("gcp.resourceLocations")
	not p.reset
	not p.spec_set
	p.dry_run_set
	f := lib.finding("TRN-ALL-GOV-003", p.resource, sprintf(
		"`gcp.resourceLocations` on `%s` has only a `dry_run_spec`, expected an enforced `spec`",
		[p.parent],
	))
}

# TRN-ALL-GOV-004

container_types := [
	"aws_ecs_task_definition", "aws_lambda_function", "azurerm_container_app", "azurerm_container_group",
	"google_cloud_run_service", "google_cloud_run_v2_job", "google_cloud_run_v2_service",
]

vm_image_types := [
	"aws_instance", "aws_launch_template", "azurerm_linux_virtual_machine",
	"azurerm_windows_virtual_machine", "google_compute_instance", "google_compute_instance_template",
]

# The container images a resource runs.
images(r) := [c.image |
	some c in gcp.list(json.unmarshal(gcp.value(r, "container_definitions", "[]")))
	is_string(c.image)
] if {
	r.type == "aws_ecs_task_definition"
	json.is_valid(gcp.value(r, "container_definitions", "[]"))
}

images(r) := [i | i := gcp.value(r, "image_uri", ""); i != ""] if r.type == "aws_lambda_function"

images(r) := [object.get(gcp.object_or_empty(c), "image", "") | some c in gcp.list(gcp.value(r, "container", []))] if {
	r.type == "azurerm_container_group"
}

images(r) := [object.get(gcp.object_or_empty(c), "image", "") | some c in gcp.list(gcp.value(r, "template.0.container", []))] if {
	r.type == "azurerm_container_app"
}

images(r) := [object.get(gcp.object_or_empty(c), "image", "") | some c in gcp.list(gcp.value(r, "template.0.containers", []))] if {
	r.type == "google_cloud_run_v2_service"
}

images(r) := [object.get(gcp.object_or_empty(c), "image", "") | some c in gcp.list(gcp.value(r, "template.0.template.0.containers", []))] if {
	r.type == "google_cloud_run_v2_job"
}

images(r) := [object.get(gcp.object_or_empty(c), "image", "") | some c in gcp.list(gcp.value(r, "template.0.spec.0.containers", []))] if {
	r.type == "google_cloud_run_service"
}

# The registry host of an image reference; Docker Hub when the first part is not a host.
registry(image) := host if {
	parts := split(image, "/")
	count(parts) > 1
	host := lower(parts[0])
	registry_host(host)
}

registry(image) := "docker.io" if {
	parts := split(image, "/")
	not registry_host(lower(parts[0]))
}

registry(image) := "docker.io" if count(split(image, "/")) == 1

registry_host(host) if contains(host, ".")

registry_host(host) if contains(host, ":")

registry_host(host) if host == "localhost"

# The location object of a registry host, when its name or this configuration tells it.
registry_location(host) := lib.locate("google", trim_suffix(host, "-docker.pkg.dev")) if {
	endswith(host, "-docker.pkg.dev")
}

registry_location(host) := lib.locate("google", gcr_hosts[host]) if gcr_hosts[host]

registry_location(host) := lib.locate("aws", parts[3]) if {
	parts := split(host, ".")
	count(parts) > 4
	parts[1] == "dkr"
	parts[2] == "ecr"
}

registry_location(host) := acr.location if {
	endswith(host, ".azurecr.io")
	name := trim_suffix(host, ".azurecr.io")
	some acr in lib.resources("azurerm_container_registry")
	lower(gcp.value(acr, "name", "")) == name
}

gcr_hosts := {"gcr.io": "US", "us.gcr.io": "US", "eu.gcr.io": "EU", "asia.gcr.io": "ASIA"}

approved_image(image) if {
	some prefix in approved_registries
	startswith(image, prefix)
}

deny contains f if {
	some r in gcp.managed_of(container_types)
	some image in images(r)
	is_string(image)
	image != ""
	not approved_image(image)
	host := registry(image)
	loc := registry_location(host)
	loc.status in {"outside", "global"}
	f := lib.finding("TRN-ALL-GOV-004", r, sprintf(
		"image `%s` comes from registry `%s` in `%s`, expected a registry inside jurisdiction `%s`",
		[image, host, object.get(loc, "region", "unknown"), jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed_of(container_types)
	some image in images(r)
	is_string(image)
	image != ""
	not approved_image(image)
	host := registry(image)
	not registry_location(host)
	f := lib.undecided_finding("TRN-ALL-GOV-004", r, sprintf(
		"image `%s` comes from registry `%s` whose location cannot be placed, expected an approved registry inside jurisdiction `%s`",
		[image, host, jurisdiction],
	))
}

deny contains f if {
	some r in gcp.managed_of(container_types)
	some image in images(r)
	is_string(image)
	image != ""
	not approved_image(image)
	host := registry(image)
	loc := registry_location(host)
	loc.status == "unknown"
	f := lib.undecided_finding("TRN-ALL-GOV-004", r, sprintf(
		"image `%s` comes from registry `%s` that cannot be placed (%s), expected an approved registry inside jurisdiction `%s`",
		[image, host, loc.reason, jurisdiction],
	))
}

# The virtual machine image a resource boots from.
vm_image(r) := gcp.value(r, "ami", "") if r.type == "aws_instance"

vm_image(r) := gcp.value(r, "image_id", "") if r.type == "aws_launch_template"

vm_image(r) := gcp.value(r, "boot_disk.0.initialize_params.0.image", "") if r.type == "google_compute_instance"

vm_image(r) := gcp.value(r, "disk.0.source_image", "") if r.type == "google_compute_instance_template"

vm_image(r) := image if {
	r.type in {"azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine"}
	image := azure_image(r)
}

azure_image(r) := gcp.value(r, "source_image_id", "") if gcp.value(r, "source_image_id", "") != ""

azure_image(r) := concat(":", [
	gcp.value(r, "source_image_reference.0.publisher", ""),
	gcp.value(r, "source_image_reference.0.offer", ""),
	gcp.value(r, "source_image_reference.0.sku", ""),
]) if {
	gcp.value(r, "source_image_id", "") == ""
	gcp.value(r, "source_image_reference.0.publisher", "") != ""
}

deny contains f if {
	count(approved_images) > 0
	some r in gcp.managed_of(vm_image_types)
	image := vm_image(r)
	is_string(image)
	image != ""
	not vm_image_approved(image)
	f := lib.finding("TRN-ALL-GOV-004", r, sprintf(
		"image `%s` is not an approved image, expected one matching %s",
		[image, gcp.quoted(approved_images)],
	))
}

vm_image_approved(image) if {
	some pattern in approved_images
	glob.match(pattern, [], image)
}
