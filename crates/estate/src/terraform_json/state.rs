//! The state readers: a raw state file (format version 4, as `terraform state pull` or
//! a local `terraform.tfstate` has it) and the JSON form of a state
//! (`terraform show -json` without a plan).
//!
//! A state has no configuration, so regions come from attributes and identifiers only,
//! and relations from known values only.

use std::collections::BTreeMap;
use std::path::Path;

use super::address::{instance_key, resource_address};
use super::config::parse_mode;
use super::wire::{Attributes, StateResource, Values};
use super::{
    Draft, Modules, finish, link, parallel, parse_attributes, region, split_results, walk_module,
};
use crate::{Cloud, Diagnostic, DiagnosticKind, Estate, InputKind, Mode, Resource};

/// Reads the resources of a raw state: one resource per instance.
pub(super) fn read_raw(path: &Path, resources: Vec<StateResource<'_>>) -> Estate {
    let mut modules = Modules::default();
    let mut diagnostics = Vec::new();
    let mut pending = Vec::new();

    for resource in resources {
        let module_address = resource.module.as_ref().map_or("", |module| module.as_str());
        let resource_type = resource.resource_type.as_str();
        let name = resource.name.as_str();
        let Some(mode) = parse_mode(resource.mode.as_str()) else {
            let address =
                resource_address(module_address, Mode::Managed, resource_type, name, None);
            let message = format!("unknown resource mode `{}`", resource.mode.as_str());
            diagnostics.push(unsupported(&address, message));
            continue;
        };
        let module = modules.intern(module_address);
        let provider =
            resource.provider.as_ref().map_or_else(String::new, |text| provider_key(text.as_str()));
        let cloud = cloud_of(resource_type, &provider);

        for instance in resource.instances {
            let key = instance.index_key.as_ref().and_then(instance_key);
            let address =
                resource_address(module_address, mode, resource_type, name, key.as_deref());
            if let Some(deposed) = instance.deposed {
                let message = format!(
                    "deposed object `{}` is left out as the next apply destroys it",
                    deposed.as_str()
                );
                diagnostics.push(unsupported(&address, message));
                continue;
            }
            if instance.attributes.is_none() && instance.attributes_flat.is_some() {
                let message = "legacy flat attributes are left out until `terraform apply` \
                               with a current provider upgrades them";
                diagnostics.push(unsupported(&address, message.to_owned()));
            }

            let resource = Resource {
                address,
                mode,
                resource_type: resource_type.to_owned(),
                name: name.to_owned(),
                cloud,
                provider: provider.clone(),
                region: None,
                attributes: Attributes::new(),
                unknown: Vec::new(),
                tags: BTreeMap::new(),
                relations: Vec::new(),
                source: None,
                ignores: Vec::new(),
            };
            pending.push((Draft::new(resource, module, key), instance.attributes));
        }
    }

    let mut drafts = parallel::map(pending, |(mut draft, attributes)| {
        draft.resource.attributes = parse_attributes(attributes);
        place(&mut draft);
        draft
    });
    diagnostics.extend(link::link(&mut drafts, &modules.list, None));
    finish(path, InputKind::State, drafts, diagnostics)
}

/// Reads the `values` of `terraform show -json` of a state, which has the same shape as
/// a plan's `planned_values`.
pub(super) fn read_shown(path: &Path, values: Option<Values<'_>>) -> Estate {
    let mut modules = Modules::default();
    let mut found = Vec::new();
    if let Some(root) = values.and_then(|values| values.root_module) {
        walk_module(root, &mut |module_address, resource| {
            found.push((modules.intern(module_address), resource));
        });
    }

    let results = parallel::map(found, |(module, resource)| {
        let mut draft = Draft::from_values(resource, module)?;
        place(&mut draft);
        Ok(draft)
    });
    let (mut drafts, mut diagnostics) = split_results(results);
    diagnostics.extend(link::link(&mut drafts, &modules.list, None));
    finish(path, InputKind::State, drafts, diagnostics)
}

/// Sets region and tags from the values alone.
fn place(draft: &mut Draft) {
    let resource = &mut draft.resource;
    resource.tags = region::tags(resource.cloud, &resource.attributes, &[], &BTreeMap::new());
    draft.argument_region = region::argument_region(resource.cloud, &resource.attributes);
    draft.fallback_region = region::identifier_region(resource.cloud, &resource.attributes);
}

/// The provider configuration of a state resource as a plan's configuration keys it:
/// `provider["registry.terraform.io/hashicorp/aws"].eu` gives `aws.eu`, and
/// `module.x.provider["registry.terraform.io/hashicorp/aws"]` gives `module.x:aws`. The
/// state names the provider by source address, so the type stands in for the local name.
fn provider_key(text: &str) -> String {
    let start = if text.starts_with("provider") {
        Some(0)
    } else {
        text.find(".provider").map(|index| index + 1)
    };
    let Some(start) = start else {
        return text.to_owned();
    };
    let module = text.get(..start).unwrap_or_default().trim_end_matches('.');
    let rest = text.get(start + "provider".len()..).unwrap_or_default();

    let configuration = if let Some(quoted) = rest.strip_prefix("[\"") {
        let Some((source, after)) = quoted.split_once("\"]") else {
            return text.to_owned();
        };
        let local = source.rsplit('/').next().unwrap_or(source);
        match after.strip_prefix('.') {
            Some(alias) => format!("{local}.{alias}"),
            None => local.to_owned(),
        }
    } else if let Some(legacy) = rest.strip_prefix('.') {
        legacy.to_owned()
    } else {
        return text.to_owned();
    };

    if module.is_empty() { configuration } else { format!("{module}:{configuration}") }
}

/// The cloud of a resource, by its type or else by its provider.
fn cloud_of(resource_type: &str, provider: &str) -> Cloud {
    match Cloud::from_resource_type(resource_type) {
        Cloud::Other => {
            let configuration = provider.rsplit(':').next().unwrap_or(provider);
            Cloud::from_provider_name(configuration.split('.').next().unwrap_or(configuration))
        }
        cloud => cloud,
    }
}

fn unsupported(address: &str, message: String) -> Diagnostic {
    Diagnostic {
        kind: DiagnosticKind::Unsupported,
        address: Some(address.to_owned()),
        message,
        source: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_state_providers_like_plan_configurations() {
        let cases = [
            ("provider[\"registry.terraform.io/hashicorp/aws\"]", "aws"),
            ("provider[\"registry.terraform.io/hashicorp/aws\"].eu", "aws.eu"),
            ("module.x.provider[\"registry.terraform.io/hashicorp/google\"]", "module.x:google"),
            (
                "module.x.module.y.provider[\"registry.terraform.io/hashicorp/aws\"].us",
                "module.x.module.y:aws.us",
            ),
            ("provider.aws.eu", "aws.eu"),
            ("something else", "something else"),
            ("provider[\"unterminated", "provider[\"unterminated"),
        ];
        for (text, expected) in cases {
            assert_eq!(provider_key(text), expected, "{text}");
        }
    }
}
