//! Relations between the resources of one input.
//!
//! Two sources of links, in this order:
//!
//! 1. The configuration of a plan: each attribute expression lists the references it
//!    makes (`aws_kms_key.k.arn`), which are followed to the resource instances they
//!    name, through module outputs and module arguments where needed. This is the only
//!    way to link a value that is unknown until apply.
//! 2. Known values: a string that equals another resource's `arn`, `id` or `self_link`
//!    is a link to it. Attributes of the relation table link even when nothing in the
//!    input matches, to the raw identifier; other attributes only link when the value is
//!    a full cloud identifier (an ARN, an Azure resource id, a Google resource path) that
//!    matches a resource, so that short ids such as `default` never link by accident.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use super::address::{self, Reference};
use super::config::{self, ConfigTree};
use super::wire::Text;
use super::{Draft, ModuleInstance, parallel};
use crate::relation_kind::{self, Direction, LinkRule};
use crate::{Diagnostic, DiagnosticKind, Mode, Relation, RelationKind};

/// How deep references are followed through module outputs and arguments; deeper
/// chains only come from hand-made or cyclic input.
const MAX_DEPTH: usize = 32;

/// The attributes that identify a resource, which other resources' values are matched
/// against.
const IDENTITY_ATTRIBUTES: [&str; 3] = ["arn", "id", "self_link"];

/// Top-level attributes whose values are never links: the resource's own identity, and
/// tag maps whose free-form keys could look like relation attributes.
const SKIPPED_ATTRIBUTES: [&str; 8] = [
    "arn",
    "id",
    "self_link",
    "tags",
    "tags_all",
    "labels",
    "effective_labels",
    "terraform_labels",
];

/// Adds the relations of every draft, and returns the values that could not be linked.
pub(super) fn link(
    drafts: &mut [Draft],
    modules: &[ModuleInstance],
    config: Option<&ConfigTree<'_>>,
) -> Vec<Diagnostic> {
    let found = {
        let linker = Linker::new(drafts, modules, config);
        parallel::map_ranges(drafts.len(), |sources| {
            let mut found = Found::default();
            for source in sources {
                linker.link_draft(source, &mut found);
            }
            found
        })
    };

    let mut diagnostics = Vec::new();
    for part in found {
        for (index, relation) in part.relations {
            if let Some(draft) = drafts.get_mut(index) {
                let relations = &mut draft.resource.relations;
                if !relations.contains(&relation) {
                    relations.push(relation);
                }
            }
        }
        diagnostics.extend(part.diagnostics);
    }
    diagnostics
}

/// Relations found so far, by the index of the draft they belong to.
#[derive(Default)]
struct Found {
    relations: Vec<(usize, Relation)>,
    diagnostics: Vec<Diagnostic>,
}

/// Which module instances a reference may land in: the keys of each step of the module
/// path, or any key when a reference does not say which instance of a module call.
#[derive(Clone)]
struct Scope<'x> {
    module: usize,
    keys: Vec<KeyPattern<'x>>,
}

/// The instance key a scope step accepts.
#[derive(Clone, Copy)]
enum KeyPattern<'x> {
    /// Any instance of the module call.
    Any,
    /// Only this key; `None` for a call without `count` or `for_each`.
    Exact(Option<&'x str>),
}

/// The drafts a set of references leads to, and the first reference that led nowhere.
#[derive(Default)]
struct Resolution<'x> {
    targets: Vec<usize>,
    unresolved: Option<&'x str>,
}

/// The end of a relation: a draft of the same input, or a raw identifier.
#[derive(Clone, Copy)]
enum Target<'t> {
    Draft(usize),
    Raw(&'t str),
}

/// One step of an attribute path while walking values.
#[derive(Clone, Copy)]
enum Segment<'v> {
    Name(&'v str),
    Index(usize),
}

impl<'v> Segment<'v> {
    fn name(&self) -> Option<&'v str> {
        match self {
            Segment::Name(name) => Some(name),
            Segment::Index(_) => None,
        }
    }
}

struct Linker<'x, 'a> {
    drafts: &'x [Draft],
    modules: &'x [ModuleInstance],
    config: Option<&'x ConfigTree<'a>>,
    /// Drafts by the normalised value of each identity attribute.
    identities: HashMap<Cow<'x, str>, Vec<usize>>,
    /// Drafts by configuration block, for following references.
    by_block: BlockMembers,
}

/// The drafts of each configuration block, in one allocation: the drafts of block `b` are
/// `members[starts[b]..starts[b + 1]]`.
struct BlockMembers {
    starts: Vec<usize>,
    members: Vec<usize>,
}

impl BlockMembers {
    fn new(drafts: &[Draft], block_count: usize) -> Self {
        let mut starts = vec![0; block_count + 1];
        for block in drafts.iter().filter_map(|draft| draft.block) {
            if let Some(count) = starts.get_mut(block + 1) {
                *count += 1;
            }
        }
        for index in 1..starts.len() {
            let previous = starts.get(index - 1).copied().unwrap_or(0);
            if let Some(start) = starts.get_mut(index) {
                *start += previous;
            }
        }

        let mut next = starts.clone();
        let mut members = vec![0; starts.last().copied().unwrap_or(0)];
        for (index, draft) in drafts.iter().enumerate() {
            let slot = draft.block.and_then(|block| next.get_mut(block));
            if let Some(slot) = slot {
                if let Some(member) = members.get_mut(*slot) {
                    *member = index;
                }
                *slot += 1;
            }
        }
        BlockMembers { starts, members }
    }

    fn of(&self, block: usize) -> &[usize] {
        let start = self.starts.get(block).copied().unwrap_or(0);
        let end = self.starts.get(block + 1).copied().unwrap_or(start);
        self.members.get(start..end).unwrap_or_default()
    }
}

impl<'x, 'a> Linker<'x, 'a> {
    fn new(
        drafts: &'x [Draft],
        modules: &'x [ModuleInstance],
        config: Option<&'x ConfigTree<'a>>,
    ) -> Self {
        let mut identities: HashMap<Cow<'x, str>, Vec<usize>> = HashMap::new();
        for (index, draft) in drafts.iter().enumerate() {
            for value in identity_values(draft) {
                let entry = identities.entry(identity_key(value)).or_default();
                if entry.last() != Some(&index) {
                    entry.push(index);
                }
            }
        }
        let by_block = BlockMembers::new(drafts, config.map_or(0, ConfigTree::block_count));
        Linker { drafts, modules, config, identities, by_block }
    }

    fn link_draft(&self, source: usize, found: &mut Found) {
        let Some(draft) = self.drafts.get(source) else {
            return;
        };

        let mut covered = Vec::new();
        self.link_configured(source, draft, &mut covered, found);

        let mut stack = Vec::new();
        for (name, value) in &draft.resource.attributes {
            if SKIPPED_ATTRIBUTES.contains(&name.as_str()) {
                continue;
            }
            stack.push(Segment::Name(name));
            self.walk(source, draft, value, &mut stack, &covered, found);
            stack.pop();
        }
    }

    /// Links through the references the configuration lists for each attribute, and
    /// records in `covered` the attributes linked this way.
    fn link_configured(
        &self,
        source: usize,
        draft: &Draft,
        covered: &mut Vec<String>,
        found: &mut Found,
    ) {
        let Some(config) = self.config else {
            return;
        };
        let Some(module) = self.modules.get(draft.module) else {
            return;
        };
        let Some(module_id) = module.config else {
            return;
        };
        let resource = &draft.resource;
        let Some(block) = draft.block.and_then(|block| config.block(block)) else {
            return;
        };

        let keys = module.path.iter().map(|step| KeyPattern::Exact(step.key.as_deref())).collect();
        let scope = Scope { module: module_id, keys };
        for attribute in &block.attributes {
            let references: Vec<&Text<'a>> = attribute.references.iter().collect();
            let mut resolution = Resolution::default();
            self.resolve(&references, &scope, 0, &mut resolution);
            let value = value_at(&resource.attributes, &attribute.path);
            let targets = self.narrow(resolution.targets, value, draft, source);
            let rule = relation_kind::link_rule_for_path(&resource.resource_type, &attribute.path);

            if !targets.is_empty() {
                for target in targets {
                    self.emit(source, rule, &attribute.path, Target::Draft(target), found);
                }
                covered.push(attribute.path.clone());
            } else if rule.is_some() && value.is_none_or(Value::is_null) {
                let reference = resolution
                    .unresolved
                    .or_else(|| attribute.references.first().map(Text::as_str))
                    .unwrap_or_default();
                found.diagnostics.push(unresolved(&resource.address, &attribute.path, reference));
            }
        }
    }

    /// Follows references from `scope` to the drafts they name.
    fn resolve(
        &self,
        references: &[&'x Text<'a>],
        scope: &Scope<'x>,
        depth: usize,
        out: &mut Resolution<'x>,
    ) {
        let Some(config) = self.config else {
            return;
        };
        if depth > MAX_DEPTH {
            return;
        }

        for (text, reference) in distinct_references(references) {
            let before = out.targets.len();
            let followed = match reference {
                Reference::Resource { mode, resource_type, name, key } => {
                    self.resolve_resource(scope, (mode, resource_type, name), key, out);
                    true
                }
                Reference::ModuleOutput { call, key, output } => {
                    self.resolve_output(config, scope, (call, key, output), depth, out);
                    true
                }
                Reference::Variable { name, .. } => {
                    self.resolve_argument(config, scope, name, depth, out)
                }
                Reference::Local => true,
                Reference::Other => false,
            };
            if followed && out.targets.len() == before && out.unresolved.is_none() {
                out.unresolved = Some(text);
            }
        }
    }

    fn resolve_resource(
        &self,
        scope: &Scope<'x>,
        (mode, resource_type, name): (Mode, &'x str, &'x str),
        key: Option<&'x str>,
        out: &mut Resolution<'x>,
    ) {
        let Some(block) =
            self.config.and_then(|config| config.block_id(scope.module, mode, resource_type, name))
        else {
            return;
        };
        out.targets.extend(self.by_block.of(block).iter().copied().filter(|&candidate| {
            let Some(draft) = self.drafts.get(candidate) else {
                return false;
            };
            let in_scope = self
                .modules
                .get(draft.module)
                .is_some_and(|module| in_scope(&module.path, &scope.keys));
            in_scope && key.is_none_or(|key| draft.index_key.as_deref() == Some(key))
        }));
    }

    /// Follows `module.CALL.OUTPUT` into the output's expression in the called module.
    fn resolve_output(
        &self,
        config: &'x ConfigTree<'a>,
        scope: &Scope<'x>,
        (call, key, output): (&'x str, Option<&'x str>, &'x str),
        depth: usize,
        out: &mut Resolution<'x>,
    ) {
        let Some(call) = config.module(scope.module).and_then(|module| module.calls.get(call))
        else {
            return;
        };
        let Some(expression) =
            config.module(call.child).and_then(|module| module.outputs.get(output))
        else {
            return;
        };

        let mut references = Vec::new();
        config::all_references(expression, &mut references);
        let mut keys = scope.keys.clone();
        keys.push(key.map_or(KeyPattern::Any, |key| KeyPattern::Exact(Some(key))));
        self.resolve(&references, &Scope { module: call.child, keys }, depth + 1, out);
    }

    /// Follows `var.NAME` in a child module into the argument the calling module passes.
    /// Returns false for a root module variable, whose value is a plain value.
    fn resolve_argument(
        &self,
        config: &'x ConfigTree<'a>,
        scope: &Scope<'x>,
        name: &str,
        depth: usize,
        out: &mut Resolution<'x>,
    ) -> bool {
        let Some((parent, call)) =
            config.module(scope.module).and_then(|module| module.parent.as_ref())
        else {
            return false;
        };
        let argument = config
            .module(*parent)
            .and_then(|module| module.calls.get(call.as_str()))
            .and_then(|call| call.arguments.as_ref())
            .and_then(|arguments| arguments.entry(name));
        let Some(argument) = argument else {
            return true;
        };

        let mut references = Vec::new();
        config::all_references(argument, &mut references);
        let mut keys = scope.keys.clone();
        keys.pop();
        self.resolve(&references, &Scope { module: *parent, keys }, depth + 1, out);
        true
    }

    /// Reduces the targets of a reference that names a resource with several instances
    /// (`aws_kms_key.k` with `count`, or `aws_kms_key.k[count.index]`, whose index the
    /// configuration does not show): to those whose identity is the attribute's known
    /// value, else to the instance with the source's own key, else all of them, so that
    /// a rule sees every key the resource may use.
    fn narrow(
        &self,
        mut targets: Vec<usize>,
        value: Option<&Value>,
        draft: &Draft,
        source: usize,
    ) -> Vec<usize> {
        targets.sort_unstable();
        targets.dedup();
        targets.retain(|&target| target != source);
        if targets.len() <= 1 {
            return targets;
        }

        if let Some(Value::String(text)) = value {
            let key = identity_key(text);
            let by_value: Vec<usize> = targets
                .iter()
                .copied()
                .filter(|&target| {
                    self.drafts.get(target).is_some_and(|target| {
                        identity_values(target).any(|identity| identity_key(identity) == key)
                    })
                })
                .collect();
            if !by_value.is_empty() {
                return by_value;
            }
        }
        if let Some(own_key) = &draft.index_key {
            let same_key: Vec<usize> = targets
                .iter()
                .copied()
                .filter(|&target| {
                    self.drafts
                        .get(target)
                        .is_some_and(|target| target.index_key.as_ref() == Some(own_key))
                })
                .collect();
            if !same_key.is_empty() {
                return same_key;
            }
        }
        targets
    }

    fn walk<'v>(
        &self,
        source: usize,
        draft: &Draft,
        value: &'v Value,
        stack: &mut Vec<Segment<'v>>,
        covered: &[String],
        found: &mut Found,
    ) {
        match value {
            Value::String(text) => self.link_value(source, draft, text, stack, covered, found),
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    stack.push(Segment::Index(index));
                    self.walk(source, draft, item, stack, covered, found);
                    stack.pop();
                }
            }
            Value::Object(map) => {
                for (name, item) in map {
                    stack.push(Segment::Name(name));
                    self.walk(source, draft, item, stack, covered, found);
                    stack.pop();
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// Links one known string value at the path in `stack`.
    fn link_value(
        &self,
        source: usize,
        draft: &Draft,
        text: &str,
        stack: &[Segment<'_>],
        covered: &[String],
        found: &mut Found,
    ) {
        if text.is_empty() {
            return;
        }
        let names = stack.iter().filter_map(Segment::name);
        let rule = match names.clone().next_back() {
            Some(leaf) if relation_kind::is_link_leaf(leaf) => {
                relation_kind::link_rule(&draft.resource.resource_type, names)
            }
            _ => None,
        };
        if rule.is_none() && !looks_like_identifier(text) {
            return;
        }
        let path = render_path(stack);
        if covered.contains(&path) {
            return;
        }

        let targets = self.identity_matches(text, source);
        if !targets.is_empty() {
            for target in targets {
                self.emit(source, rule, &path, Target::Draft(target), found);
            }
        } else if rule.is_some() {
            self.emit(source, rule, &path, Target::Raw(text), found);
        }
    }

    /// The drafts whose identity is `text`, other than the source. When several match
    /// (an S3 bucket and its `aws_s3_bucket_*` parts all have the bucket name as `id`),
    /// the resource that owns the identity is kept: the one whose type the others' types
    /// extend.
    fn identity_matches(&self, text: &str, source: usize) -> Vec<usize> {
        let found = identity_forms(text)
            .into_iter()
            .flatten()
            .find_map(|form| self.identities.get(form.as_ref()).filter(|found| !found.is_empty()));
        let Some(found) = found else {
            return Vec::new();
        };

        let candidates: Vec<usize> =
            found.iter().copied().filter(|&index| index != source).collect();
        let type_of = |index: usize| {
            self.drafts.get(index).map_or("", |draft| draft.resource.resource_type.as_str())
        };
        candidates
            .iter()
            .copied()
            .filter(|&candidate| {
                let own = type_of(candidate);
                !candidates.iter().any(|&other| {
                    let owner = type_of(other);
                    own.len() > owner.len() + 1
                        && own.starts_with(owner)
                        && own.as_bytes().get(owner.len()) == Some(&b'_')
                })
            })
            .collect()
    }

    fn emit(
        &self,
        source: usize,
        rule: Option<LinkRule>,
        path: &str,
        target: Target<'_>,
        found: &mut Found,
    ) {
        let Some(draft) = self.drafts.get(source) else {
            return;
        };
        let target_text = match target {
            Target::Draft(index) => match self.drafts.get(index) {
                Some(target) => target.resource.address.clone(),
                None => return,
            },
            Target::Raw(text) => text.to_owned(),
        };

        let (kind, direction) = rule
            .map_or((RelationKind::Reference, Direction::Forward), |rule| {
                (rule.kind, rule.direction)
            });
        match direction {
            Direction::Forward => found
                .relations
                .push((source, Relation { kind, attribute: path.to_owned(), target: target_text })),
            Direction::Reverse => {
                found.relations.push((
                    source,
                    Relation {
                        kind: RelationKind::Reference,
                        attribute: path.to_owned(),
                        target: target_text,
                    },
                ));
                if let Target::Draft(index) = target {
                    found.relations.push((
                        index,
                        Relation {
                            kind,
                            attribute: path.to_owned(),
                            target: draft.resource.address.clone(),
                        },
                    ));
                }
            }
        }
    }
}

/// The finding for a relation attribute that is unknown until apply and whose reference
/// leads nowhere: its target, and so its residency, cannot be decided from the plan.
fn unresolved(address: &str, path: &str, reference: &str) -> Diagnostic {
    Diagnostic {
        kind: DiagnosticKind::UnresolvedValue,
        address: Some(address.to_owned()),
        message: format!(
            "`{path}` is unknown until apply and `{reference}` does not lead to a resource in \
             the plan"
        ),
        source: None,
    }
}

/// True when every step of a module path has the key the scope asks for.
fn in_scope(path: &[address::ModuleStep], keys: &[KeyPattern<'_>]) -> bool {
    path.len() == keys.len()
        && path.iter().zip(keys).all(|(step, key)| match key {
            KeyPattern::Any => true,
            KeyPattern::Exact(key) => step.key.as_deref() == *key,
        })
}

/// The references of an expression, parsed, without the less specific forms Terraform
/// lists next to a more specific one (`aws_kms_key.k` next to `aws_kms_key.k[0]`).
fn distinct_references<'x>(references: &[&'x Text<'_>]) -> Vec<(&'x str, Reference<'x>)> {
    let parsed: Vec<(&'x str, Reference<'x>)> =
        references.iter().map(|text| (text.as_str(), address::reference(text.as_str()))).collect();
    let mut distinct: Vec<(&'x str, Reference<'x>)> = Vec::with_capacity(parsed.len());
    for (text, reference) in &parsed {
        let less_specific = matches!(reference, Reference::Resource { key: None, .. })
            && parsed.iter().any(|(_, other)| is_instance_of(other, reference));
        if !less_specific && !distinct.iter().any(|(_, seen)| seen == reference) {
            distinct.push((text, *reference));
        }
    }
    distinct
}

/// True when `instance` names one instance of the resource `resource` names.
fn is_instance_of(instance: &Reference<'_>, resource: &Reference<'_>) -> bool {
    match (instance, resource) {
        (
            Reference::Resource { mode, resource_type, name, key: Some(_) },
            Reference::Resource {
                mode: other_mode,
                resource_type: other_type,
                name: other_name,
                ..
            },
        ) => mode == other_mode && resource_type == other_type && name == other_name,
        _ => false,
    }
}

/// The identity attribute values of a draft.
fn identity_values(draft: &Draft) -> impl Iterator<Item = &str> {
    IDENTITY_ATTRIBUTES.iter().filter_map(|name| {
        draft.resource.attributes.get(*name)?.as_str().filter(|value| !value.is_empty())
    })
}

/// The form identities are compared in: Azure resource ids are case-insensitive.
fn identity_key(value: &str) -> Cow<'_, str> {
    if value.starts_with('/') && value.bytes().any(|byte| byte.is_ascii_uppercase()) {
        Cow::Owned(value.to_ascii_lowercase())
    } else {
        Cow::Borrowed(value)
    }
}

/// The forms under which a value may match an identity: as written, and for Google
/// values the resource path inside a service URL (`storage.googleapis.com/BUCKET`, a
/// logging sink destination, or a compute self link).
fn identity_forms(text: &str) -> [Option<Cow<'_, str>>; 2] {
    [Some(identity_key(text)), google_resource_path(text).map(Cow::Borrowed)]
}

fn google_resource_path(text: &str) -> Option<&str> {
    if let Some(rest) = text.strip_prefix("https://www.googleapis.com/") {
        return rest.find("projects/").and_then(|start| rest.get(start..));
    }
    let (host, rest) = text.split_once('/')?;
    (host.ends_with(".googleapis.com") && !rest.is_empty()).then_some(rest)
}

/// True for a full cloud identifier: an ARN, an Azure resource id, a Google resource path
/// or service URL.
fn looks_like_identifier(text: &str) -> bool {
    let azure = text.get(..15).is_some_and(|start| start.eq_ignore_ascii_case("/subscriptions/"));
    azure
        || text.starts_with("arn:")
        || text.starts_with("projects/")
        || google_resource_path(text).is_some()
}

/// The value at a dotted path with list indices, or `None` when it is absent.
fn value_at<'v>(attributes: &'v serde_json::Map<String, Value>, path: &str) -> Option<&'v Value> {
    let mut segments = path.split('.');
    let first = attributes.get(segments.next()?)?;
    segments.try_fold(first, |value, segment| match value {
        Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
        Value::Object(map) => map.get(segment),
        _ => None,
    })
}

/// Writes a path as dotted names and indices (`rule.0.destination.0.bucket`).
fn render_path(stack: &[Segment<'_>]) -> String {
    let mut path = String::new();
    for segment in stack {
        if !path.is_empty() {
            path.push('.');
        }
        match segment {
            Segment::Name(name) => path.push_str(name),
            Segment::Index(index) => path.push_str(&index.to_string()),
        }
    }
    path
}
