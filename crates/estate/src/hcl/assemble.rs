//! Turns evaluated module instances into the estate: one [`Resource`] per resource
//! instance, with its provider configuration, region, tags and relations, and a
//! [`Diagnostic`] for everything that could not be evaluated.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use hcl::Value;

use super::config::{Item, ModuleCall, ResourceBlock};
use super::eval::{InstanceKey, Resolved, Scope, Target};
use super::instance::{CallState, Evaluator};
use super::resources::ResourceInstance;
use super::value::{as_text, to_json};
use crate::relation_kind::{self, Direction};
use crate::{
    Cloud, Diagnostic, DiagnosticKind, Estate, InputKind, Mode, RegionOrigin, Relation,
    RelationKind, ResolvedRegion, Resource,
};

/// Top-level attributes whose known values are never read as links: free-form maps.
const UNLINKED_ATTRIBUTES: [&str; 2] = ["tags", "labels"];

/// How many times regions are passed from a resource to the parts that configure it; a
/// chain longer than this is not found in real configurations.
const PARENT_PASSES: usize = 4;

/// Builds the estate of the module tree `evaluator` reads, whose root is `origin`.
pub(super) fn build(evaluator: &Evaluator<'_>, origin: &Path) -> Estate {
    let mut assembler = Assembler {
        evaluator,
        drafts: Vec::new(),
        diagnostics: Vec::new(),
        providers: HashMap::new(),
    };
    assembler.visit(0);
    for config in &evaluator.tree.configs {
        assembler.diagnostics.extend(config.skipped.iter().cloned());
    }
    assembler.link();
    assembler.inherit_regions();

    Estate {
        kind: InputKind::Hcl,
        origin: origin.to_path_buf(),
        resources: assembler.drafts.into_iter().map(|draft| draft.resource).collect(),
        diagnostics: assembler.diagnostics,
    }
}

/// A resource being assembled, with what is needed to finish it.
struct Draft {
    resource: Resource,
    instance: usize,
    block: usize,
    key: Option<InstanceKey>,
    references: Vec<(String, Vec<Target>)>,
    /// Whether the region argument was set but could not be evaluated.
    region_unknown: bool,
}

/// The drafts by address, and the instance keys of each resource block of each module
/// instance, for following references.
#[derive(Default)]
struct DraftIndex {
    by_address: HashMap<String, usize>,
    keys: HashMap<(usize, usize), Vec<Option<InstanceKey>>>,
}

/// What a provider configuration sets, evaluated.
#[derive(Default, Clone)]
struct ProviderValues {
    address: String,
    region: Option<String>,
    zone: Option<String>,
    default_tags: BTreeMap<String, String>,
}

struct Assembler<'e, 't> {
    evaluator: &'e Evaluator<'t>,
    drafts: Vec<Draft>,
    diagnostics: Vec<Diagnostic>,
    providers: HashMap<(usize, String), ProviderValues>,
}

impl Assembler<'_, '_> {
    fn visit(&mut self, id: usize) {
        let Some(config) = self.evaluator.config(id) else {
            return;
        };
        for item in &config.items {
            match *item {
                Item::Resource(index) => {
                    if let Some(block) = config.resources.get(index) {
                        self.add_resource(id, index, block);
                    }
                }
                Item::Call(index) => {
                    if let Some(call) = config.calls.get(index) {
                        self.add_call(id, index, call);
                    }
                }
            }
        }
    }

    fn add_call(&mut self, id: usize, index: usize, call: &ModuleCall) {
        let prefix =
            self.evaluator.instance(id).map(|instance| instance.prefix()).unwrap_or_default();
        let address = format!("{prefix}module.{}", call.name);
        match self.evaluator.call_state(id, index).as_ref() {
            CallState::Remote => {
                let (kind, message) = match &call.source {
                    Some(source) if !call.is_local() => (
                        DiagnosticKind::RemoteModule,
                        format!(
                            "module `{}` is not read because its source `{source}` is not on local disk",
                            call.name
                        ),
                    ),
                    _ => (
                        DiagnosticKind::Unsupported,
                        format!(
                            "module `{}` is not read because its `source` is not a literal string",
                            call.name
                        ),
                    ),
                };
                self.diagnostics.push(Diagnostic {
                    kind,
                    address: Some(address),
                    message,
                    source: Some(call.location.clone()),
                });
            }
            CallState::Instances(instances) => {
                for (_, child) in instances {
                    self.visit(*child);
                }
            }
            CallState::Unexpanded(resolved, child) => {
                let argument =
                    if call.body.attribute("count").is_some() { "count" } else { "for_each" };
                let location = call
                    .body
                    .attribute(argument)
                    .map_or_else(|| call.location.clone(), |a| a.location.clone());
                self.push_gap(&address, argument, resolved, location);
                self.visit(*child);
            }
        }
    }

    fn push_gap(
        &mut self,
        address: &str,
        path: &str,
        resolved: &Resolved,
        location: crate::SourceLocation,
    ) {
        if let Err(gap) = &resolved.value {
            self.diagnostics.push(Diagnostic {
                kind: DiagnosticKind::UnresolvedValue,
                address: Some(address.to_owned()),
                message: gap.describe(path),
                source: Some(location),
            });
        }
    }

    fn add_resource(&mut self, id: usize, index: usize, block: &ResourceBlock) {
        let state = self.evaluator.resource_state(id, index);
        let prefix =
            self.evaluator.instance(id).map(|instance| instance.prefix()).unwrap_or_default();
        let base = format!("{prefix}{}", block.local_address());
        if let Some((argument, resolved, location)) = &state.unexpanded {
            self.push_gap(&base, argument, resolved, location.clone());
        }
        let provider = self.provider(id, &block.provider_reference());
        for instance in &state.instances {
            let address = format!(
                "{base}{}",
                instance.key.as_ref().map(InstanceKey::render).unwrap_or_default()
            );
            for unknown in instance.values.unknown.iter().filter(|unknown| !unknown.pure) {
                self.diagnostics.push(Diagnostic {
                    kind: DiagnosticKind::UnresolvedValue,
                    address: Some(address.clone()),
                    message: unknown.gap.describe(&unknown.path),
                    source: Some(unknown.location.clone()),
                });
            }
            let draft = self.draft(block, instance, address, &provider);
            self.drafts.push(Draft {
                instance: id,
                block: index,
                key: instance.key.clone(),
                ..draft
            });
        }
    }

    fn draft(
        &self,
        block: &ResourceBlock,
        instance: &ResourceInstance,
        address: String,
        provider: &ProviderValues,
    ) -> Draft {
        let cloud = Cloud::from_resource_type(&block.resource_type);
        let values = &instance.values;
        let unknown: Vec<String> =
            values.unknown.iter().map(|unknown| unknown.path.clone()).collect();
        let (region, region_unknown) = match argument_region(cloud, &values.attributes, &unknown) {
            Ok(Some(region)) => (Some(region), false),
            Ok(None) => (provider_region(cloud, provider), false),
            Err(()) => (None, true),
        };
        let attributes =
            values.attributes.iter().map(|(name, value)| (name.clone(), to_json(value))).collect();

        Draft {
            resource: Resource {
                address,
                mode: block.mode,
                resource_type: block.resource_type.clone(),
                name: block.name.clone(),
                cloud,
                provider: provider.address.clone(),
                region,
                attributes,
                unknown,
                tags: tags(cloud, block.mode, &values.attributes, provider),
                relations: Vec::new(),
                source: Some(block.location.clone()),
                ignores: block.ignores.clone(),
            },
            instance: 0,
            block: 0,
            key: None,
            references: values.references.clone(),
            region_unknown,
        }
    }

    /// The values of the provider configuration that `local` names in instance `id`.
    fn provider(&mut self, id: usize, local: &str) -> ProviderValues {
        let key = (id, local.to_owned());
        if let Some(values) = self.providers.get(&key) {
            return values.clone();
        }
        let values = match self.find_provider(id, local, 0) {
            Some((owner, index)) => self.evaluate_provider(owner, index),
            None => ProviderValues { address: local.to_owned(), ..ProviderValues::default() },
        };
        self.providers.insert(key, values.clone());
        values
    }

    /// The instance and index of the provider block that `local` names in instance `id`:
    /// one declared there, else the one the caller passes in `providers` or, for a default
    /// configuration, the caller's own.
    fn find_provider(&self, id: usize, local: &str, depth: usize) -> Option<(usize, usize)> {
        let config = self.evaluator.config(id)?;
        if let Some(index) =
            config.providers.iter().position(|provider| provider.local_address() == local)
        {
            return Some((id, index));
        }
        let site = self.evaluator.instance(id)?.parent.clone()?;
        let call = self.evaluator.config(site.instance)?.calls.get(site.call)?;
        let passed = call
            .providers
            .iter()
            .find(|(child, _)| child == local)
            .map(|(_, parent)| parent.as_str());
        let in_parent = match passed {
            Some(parent) => parent,
            None if !local.contains('.') => local,
            None => return None,
        };
        if depth > 64 {
            return None;
        }
        self.find_provider(site.instance, in_parent, depth + 1)
    }

    fn evaluate_provider(&self, owner: usize, index: usize) -> ProviderValues {
        let Some(provider) =
            self.evaluator.config(owner).and_then(|config| config.providers.get(index))
        else {
            return ProviderValues::default();
        };
        let prefix =
            self.evaluator.instance(owner).map(|instance| instance.prefix()).unwrap_or_default();
        let scope = Scope::module(owner);
        let text = |name: &str| {
            let attribute = provider.body.attribute(name)?;
            as_text(&self.evaluator.resolve(&attribute.expr, &scope).value.ok()?)
                .filter(|text| !text.is_empty())
        };
        let default_tags = provider
            .body
            .blocks("default_tags")
            .filter_map(|block| block.body.attribute("tags"))
            .chain(provider.body.attribute("default_labels"))
            .filter_map(|attribute| self.evaluator.resolve(&attribute.expr, &scope).value.ok())
            .flat_map(|value| string_map(&value))
            .collect();
        ProviderValues {
            address: format!("{prefix}{}", provider.local_address()),
            region: text("region"),
            zone: text("zone"),
            default_tags,
        }
    }

    /// Adds the relations of every draft: to the resources each attribute's value was
    /// derived from, and from attributes of the relation table to the identifiers they
    /// hold.
    fn link(&mut self) {
        let mut index = DraftIndex::default();
        for (position, draft) in self.drafts.iter().enumerate() {
            index.by_address.insert(draft.resource.address.clone(), position);
            index.keys.entry((draft.instance, draft.block)).or_default().push(draft.key.clone());
        }
        let mut found: Vec<(usize, Relation)> = Vec::new();
        for (source, draft) in self.drafts.iter().enumerate() {
            self.reference_relations(source, draft, &index, &mut found);
            value_relations(source, draft, &mut found);
        }
        for (position, relation) in found {
            if let Some(draft) = self.drafts.get_mut(position)
                && !draft.resource.relations.contains(&relation)
            {
                draft.resource.relations.push(relation);
            }
        }
    }

    /// Relations to the resources the values of `draft` were derived from.
    fn reference_relations(
        &self,
        source: usize,
        draft: &Draft,
        index: &DraftIndex,
        found: &mut Vec<(usize, Relation)>,
    ) {
        let resource_type = draft.resource.resource_type.as_str();
        for (path, targets) in &draft.references {
            let rule = relation_kind::link_rule_for_path(resource_type, path);
            let addresses =
                targets.iter().flat_map(|target| self.target_addresses(target, draft, index));
            for address in addresses {
                if address == draft.resource.address {
                    continue;
                }
                let target = index.by_address.get(&address).copied();
                emit(found, source, rule, path, address, target, &draft.resource.address);
            }
        }
    }

    /// The addresses a reference leads to: the instance it names, else the instance with
    /// the source's own key, else every instance of the resource.
    fn target_addresses(&self, target: &Target, source: &Draft, index: &DraftIndex) -> Vec<String> {
        let Some(block) = self
            .evaluator
            .config(target.instance)
            .and_then(|config| config.resources.get(target.resource))
        else {
            return Vec::new();
        };
        let prefix = self
            .evaluator
            .instance(target.instance)
            .map(|instance| instance.prefix())
            .unwrap_or_default();
        let base = format!("{prefix}{}", block.local_address());
        if let Some(key) = &target.key {
            return vec![format!("{base}{}", key.render())];
        }
        let keys =
            index.keys.get(&(target.instance, target.resource)).map_or(&[][..], Vec::as_slice);
        let render = |key: &Option<InstanceKey>| {
            format!("{base}{}", key.as_ref().map(InstanceKey::render).unwrap_or_default())
        };
        if source.key.is_some() && keys.contains(&source.key) {
            return vec![render(&source.key)];
        }
        if keys.is_empty() {
            return vec![base];
        }
        keys.iter().map(render).collect()
    }

    /// Gives a resource without a region argument of its own the region of the resource
    /// it configures (an `aws_s3_bucket_*` part of its bucket, an Azure child resource).
    fn inherit_regions(&mut self) {
        for _ in 0..PARENT_PASSES {
            let regions: HashMap<String, ResolvedRegion> = self
                .drafts
                .iter()
                .filter_map(|draft| {
                    Some((draft.resource.address.clone(), draft.resource.region.clone()?))
                })
                .collect();
            let mut changed = false;
            for draft in &mut self.drafts {
                if matches!(
                    draft.resource.region,
                    Some(ResolvedRegion { origin: RegionOrigin::Argument(_), .. })
                ) {
                    continue;
                }
                let parent = draft.resource.relations.iter().find_map(|relation| {
                    let configures = relation.kind == RelationKind::Configures;
                    configures.then(|| {
                        regions
                            .get(&relation.target)
                            .map(|region| (relation.target.clone(), region))
                    })?
                });
                let Some((target, region)) = parent else {
                    continue;
                };
                let inherited = ResolvedRegion {
                    value: region.value.clone(),
                    origin: RegionOrigin::Parent(target),
                };
                if draft.resource.region.as_ref() != Some(&inherited) {
                    draft.resource.region = Some(inherited);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for draft in &mut self.drafts {
            let inherited = matches!(
                draft.resource.region,
                Some(ResolvedRegion { origin: RegionOrigin::Parent(_), .. })
            );
            if draft.region_unknown && !inherited {
                draft.resource.region = None;
            }
        }
    }
}

/// Relations from the attributes of the relation table whose known values name
/// something outside the estate (an ARN, a Google path, a region), where no reference
/// was followed.
fn value_relations(source: usize, draft: &Draft, found: &mut Vec<(usize, Relation)>) {
    let resource_type = draft.resource.resource_type.as_str();
    let linked: Vec<&str> = draft.references.iter().map(|(path, _)| path.as_str()).collect();
    for (path, text) in string_leaves(&draft.resource.attributes) {
        if linked.contains(&path.as_str()) || text.is_empty() {
            continue;
        }
        let leaf = path.rsplit('.').find(|name| !relation_kind::is_index(name)).unwrap_or_default();
        if !relation_kind::is_link_leaf(leaf) {
            continue;
        }
        if let Some(rule) = relation_kind::link_rule_for_path(resource_type, &path) {
            emit(found, source, Some(rule), &path, text, None, &draft.resource.address);
        }
    }
}

fn emit(
    found: &mut Vec<(usize, Relation)>,
    source: usize,
    rule: Option<relation_kind::LinkRule>,
    path: &str,
    target: String,
    target_index: Option<usize>,
    source_address: &str,
) {
    let (kind, direction) = rule
        .map_or((RelationKind::Reference, Direction::Forward), |rule| (rule.kind, rule.direction));
    match direction {
        Direction::Forward => {
            found.push((source, Relation { kind, attribute: path.to_owned(), target }))
        }
        Direction::Reverse => {
            found.push((
                source,
                Relation { kind: RelationKind::Reference, attribute: path.to_owned(), target },
            ));
            if let Some(index) = target_index {
                let relation = Relation {
                    kind,
                    attribute: path.to_owned(),
                    target: source_address.to_owned(),
                };
                found.push((index, relation));
            }
        }
    }
}

/// The region a resource states itself. `Err` when the argument is set but unknown, which
/// leaves the region undecided rather than falling back to the provider's.
fn argument_region(
    cloud: Cloud,
    attributes: &hcl::Map<String, Value>,
    unknown: &[String],
) -> Result<Option<ResolvedRegion>, ()> {
    let names: &[&str] = match cloud {
        Cloud::Aws => &["region"],
        Cloud::Azure => &["location"],
        Cloud::Google => &["location", "region", "zone"],
        Cloud::Other => &[],
    };
    for name in names {
        if let Some(value) =
            attributes.get(*name).and_then(as_text).filter(|value| !value.is_empty())
        {
            return Ok(Some(ResolvedRegion {
                value,
                origin: RegionOrigin::Argument((*name).to_owned()),
            }));
        }
        if unknown.iter().any(|path| path == name) {
            return Err(());
        }
    }
    Ok(None)
}

fn provider_region(cloud: Cloud, provider: &ProviderValues) -> Option<ResolvedRegion> {
    let value = match cloud {
        Cloud::Aws => provider.region.clone(),
        Cloud::Google => provider.region.clone().or_else(|| provider.zone.clone()),
        Cloud::Azure | Cloud::Other => None,
    }?;
    Some(ResolvedRegion { value, origin: RegionOrigin::Provider(provider.address.clone()) })
}

/// The effective tags: the provider's defaults (AWS `default_tags`, Google
/// `default_labels`) for managed resources, under the resource's own tags or labels.
fn tags(
    cloud: Cloud,
    mode: Mode,
    attributes: &hcl::Map<String, Value>,
    provider: &ProviderValues,
) -> BTreeMap<String, String> {
    let own = if cloud == Cloud::Google { "labels" } else { "tags" };
    let mut tags =
        if mode == Mode::Managed { provider.default_tags.clone() } else { BTreeMap::new() };
    if let Some(value) = attributes.get(own) {
        tags.extend(string_map(value));
    }
    tags
}

fn string_map(value: &Value) -> Vec<(String, String)> {
    match value {
        Value::Object(map) => {
            map.iter().filter_map(|(key, value)| Some((key.clone(), as_text(value)?))).collect()
        }
        _ => Vec::new(),
    }
}

/// Every string leaf of the attributes, with its dotted path, skipping free-form maps.
fn string_leaves(attributes: &serde_json::Map<String, serde_json::Value>) -> Vec<(String, String)> {
    fn walk(value: &serde_json::Value, path: String, out: &mut Vec<(String, String)>) {
        match value {
            serde_json::Value::String(text) => out.push((path, text.clone())),
            serde_json::Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    walk(item, format!("{path}.{index}"), out);
                }
            }
            serde_json::Value::Object(map) => {
                for (name, item) in map {
                    walk(item, format!("{path}.{name}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (name, value) in attributes {
        if !UNLINKED_ATTRIBUTES.contains(&name.as_str()) {
            walk(value, name.clone(), &mut out);
        }
    }
    out
}
