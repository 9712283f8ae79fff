//! The plan reader: `terraform show -json` of a saved plan.
//!
//! Resources come from `planned_values`, which holds every resource that exists after
//! apply, and from `prior_state` for data sources read while planning. `resource_changes`
//! says which values are unknown until apply and which resources are being destroyed, and
//! `configuration` says which provider configuration each resource uses and what each
//! attribute refers to.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde_json::Value;
use serde_json::value::RawValue;

use super::config::ConfigTree;
use super::unknown::mark_unknown;
use super::wire::{Document, ResourceChange, Text, Values, ValuesResource};
use super::{Draft, Modules, finish, link, parallel, region, split_results, walk_module};
use crate::{Cloud, Diagnostic, Estate, InputKind, RegionOrigin, ResolvedRegion};

/// Reads a parsed plan document.
pub(super) fn read(path: &Path, document: Document<'_>) -> Estate {
    let Document {
        variables, planned_values, resource_changes, prior_state, configuration, ..
    } = document;
    let work = resource_changes.as_ref().map_or(0, Vec::len);

    // The configuration is indexed on another core while the resources are listed.
    let (config, (changes, mut modules, found)) = parallel::join(
        work,
        || {
            configuration
                .map(|configuration| ConfigTree::new(configuration, variables.unwrap_or_default()))
        },
        || {
            let changes = Changes::new(resource_changes.unwrap_or_default());
            let mut modules = Modules::default();
            let mut found = Vec::new();
            if let Some(root) = planned_values.and_then(|values| values.root_module) {
                walk_module(root, &mut |module_address, resource| {
                    if !changes.removed.contains(resource.address.as_str()) {
                        found.push((modules.intern(module_address), resource));
                    }
                });
            }
            let prior = prior_state.and_then(|state| state.values);
            for (module_address, resource) in prior_data_sources(prior, &changes, &found) {
                found.push((modules.intern(&module_address), resource));
            }
            (changes, modules, found)
        },
    );
    let config = config.as_ref();
    if let Some(config) = config {
        modules.attach(config);
    }
    let providers = ProviderFacts::new(config);

    let (mut drafts, mut diagnostics): (Vec<Draft>, Vec<Diagnostic>) = {
        let modules = &modules;
        let results = parallel::map(found, |(module, resource)| {
            let mut draft = Draft::from_values(resource, module)?;
            let address = draft.resource.address.as_str();
            if let Some(after_unknown) = changes.after_unknown.get(address) {
                draft.resource.unknown =
                    mark_unknown(&mut draft.resource.attributes, after_unknown);
            }
            providers.place(&mut draft, modules, config);
            Ok(draft)
        });
        split_results(results)
    };
    diagnostics.extend(link::link(&mut drafts, &modules.list, config));
    finish(path, InputKind::Plan, drafts, diagnostics)
}

/// What `resource_changes` says about each resource instance.
struct Changes<'a> {
    /// Instances that are destroyed or forgotten, and so are not in the estate after
    /// apply.
    removed: HashSet<Text<'a>>,
    /// The `after_unknown` of each remaining instance.
    after_unknown: HashMap<Text<'a>, &'a RawValue>,
}

impl<'a> Changes<'a> {
    fn new(resource_changes: Vec<ResourceChange<'a>>) -> Self {
        let mut changes = Changes {
            removed: HashSet::new(),
            after_unknown: HashMap::with_capacity(resource_changes.len()),
        };
        for resource_change in resource_changes {
            // A deposed object shares its address with the current object of a
            // create-before-destroy replacement; its deletion says nothing about the
            // current one.
            if resource_change.deposed.is_some() {
                continue;
            }
            let Some(change) = resource_change.change else {
                continue;
            };
            let removed = change.actions.removes;
            if removed {
                changes.removed.insert(resource_change.address);
            } else if let Some(after_unknown) = change.after_unknown {
                changes.after_unknown.insert(resource_change.address, after_unknown);
            }
        }
        changes
    }
}

/// The data sources of the prior state that `planned_values` does not have, with their
/// module address. Data sources read while planning are only there.
fn prior_data_sources<'a>(
    prior: Option<Values<'a>>,
    changes: &Changes<'_>,
    planned: &[(usize, ValuesResource<'_>)],
) -> Vec<(String, ValuesResource<'a>)> {
    let Some(root) = prior.and_then(|values| values.root_module) else {
        return Vec::new();
    };
    let planned_data: HashSet<&str> = planned
        .iter()
        .filter(|(_, resource)| resource.mode.as_str() == "data")
        .map(|(_, resource)| resource.address.as_str())
        .collect();

    let mut found = Vec::new();
    walk_module(root, &mut |module_address, resource| {
        let address = resource.address.as_str();
        let read_while_planning = resource.mode.as_str() == "data"
            && !planned_data.contains(address)
            && !changes.removed.contains(address);
        if read_while_planning {
            found.push((module_address.to_owned(), resource));
        }
    });
    found
}

/// What each provider configuration contributes, worked out once for every
/// configuration before resources are placed.
struct ProviderFacts {
    by_key: HashMap<String, Facts>,
}

struct Facts {
    region: Option<String>,
    default_tags: BTreeMap<String, String>,
}

impl ProviderFacts {
    fn new(config: Option<&ConfigTree<'_>>) -> Self {
        let by_key = config.map_or_else(HashMap::new, |config| {
            config
                .providers()
                .map(|(key, cloud)| (key.to_owned(), Facts::of(config, key, cloud)))
                .collect()
        });
        ProviderFacts { by_key }
    }

    /// Sets the configuration block, provider, region and tags of a draft from its own
    /// values and from the provider configuration it uses.
    fn place(&self, draft: &mut Draft, modules: &Modules, config: Option<&ConfigTree<'_>>) {
        let cloud = draft.resource.cloud;
        let module = modules.list.get(draft.module);
        if let (Some(config), Some(config_module)) =
            (config, module.and_then(|module| module.config))
        {
            let resource = &draft.resource;
            draft.block = config.block_id(
                config_module,
                resource.mode,
                &resource.resource_type,
                &resource.name,
            );
        }
        let named = config
            .zip(draft.block)
            .and_then(|(config, block)| config.block(block)?.provider_key.as_ref())
            .map(Text::as_str);
        let key = config.zip(module).and_then(|(config, module)| {
            config.provider_key(named, &draft.resource.provider, &module.path)
        });

        let facts = key.as_ref().and_then(|key| self.by_key.get(key));
        let provider_region = key.as_ref().zip(facts).and_then(|(key, facts)| {
            Some(ResolvedRegion {
                value: facts.region.clone()?,
                origin: RegionOrigin::Provider(key.clone()),
            })
        });
        let no_defaults = BTreeMap::new();
        let defaults = facts.map_or(&no_defaults, |facts| &facts.default_tags);

        draft.resource.tags =
            region::tags(cloud, &draft.resource.attributes, &draft.resource.unknown, defaults);
        draft.argument_region = region::argument_region(cloud, &draft.resource.attributes);
        draft.fallback_region = provider_region
            .or_else(|| region::identifier_region(cloud, &draft.resource.attributes));
        if let Some(provider) = key.or_else(|| named.map(str::to_owned)) {
            draft.resource.provider = provider;
        }
    }
}

impl Facts {
    fn of(config: &ConfigTree<'_>, key: &str, cloud: Cloud) -> Facts {
        let string = |argument: &str| {
            config
                .provider_argument(key, argument)
                .and_then(|value| value.as_str().filter(|text| !text.is_empty()).map(str::to_owned))
        };
        let map = |argument: &str| match config.provider_argument(key, argument) {
            Some(Value::Object(map)) => region::string_map(&map).collect(),
            _ => BTreeMap::new(),
        };
        match cloud {
            Cloud::Aws => {
                Facts { region: string("region"), default_tags: map("default_tags.tags") }
            }
            Cloud::Google => Facts {
                region: string("region").or_else(|| string("zone")),
                default_tags: map("default_labels"),
            },
            Cloud::Azure | Cloud::Other => Facts { region: None, default_tags: BTreeMap::new() },
        }
    }
}
