//! The `configuration` of a plan, indexed for the questions the reader asks of it: which
//! provider configuration a resource uses, what a provider's `region` evaluates to, and
//! which references each attribute expression makes.
//!
//! Expressions are only evaluated when they are constants or plain references to input
//! variables, which the plan gives values for. Anything else (functions, locals, which
//! the JSON form does not describe) is left unevaluated.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::address::{self, ModuleStep, Reference, Step};
use super::wire::{self, ExprNode, Text};
use crate::{Cloud, Mode};

/// How deep evaluation follows variables through module calls before giving up; deeper
/// chains only come from hand-made or cyclic input.
const MAX_DEPTH: usize = 32;

/// The configuration of a plan.
pub(super) struct ConfigTree<'a> {
    /// Every module of the configuration; the root is first.
    modules: Vec<ConfigModule<'a>>,
    /// Every `resource` and `data` block of every module, indexed by block id.
    blocks: Vec<ConfigResource<'a>>,
    /// Block ids by module, data mode, type and name.
    block_ids: HashMap<(usize, bool, Text<'a>, Text<'a>), usize>,
    providers: HashMap<String, ProviderNode<'a>>,
    /// The values of the root module's input variables.
    variables: HashMap<Text<'a>, wire::Variable<'a>>,
}

/// A module of the configuration (not an instance of it).
pub(super) struct ConfigModule<'a> {
    /// The calling module and the name of the call.
    pub(super) parent: Option<(usize, Text<'a>)>,
    pub(super) calls: HashMap<Text<'a>, ModuleCall<'a>>,
    pub(super) outputs: HashMap<Text<'a>, ExprNode<'a>>,
}

/// A `module` block: the module it calls and its arguments.
pub(super) struct ModuleCall<'a> {
    pub(super) child: usize,
    pub(super) arguments: Option<ExprNode<'a>>,
}

/// A `resource` or `data` block.
pub(super) struct ConfigResource<'a> {
    pub(super) provider_key: Option<Text<'a>>,
    /// The attributes whose expressions make references, in configuration order.
    pub(super) attributes: Vec<AttributeReferences<'a>>,
}

/// The references made by the expression of one attribute.
pub(super) struct AttributeReferences<'a> {
    /// The dotted path of the attribute, with list indices (`rule.0.destination.0.bucket`).
    pub(super) path: String,
    pub(super) references: Vec<Text<'a>>,
}

/// A provider configuration block.
pub(super) struct ProviderNode<'a> {
    /// The cloud of the provider.
    cloud: Cloud,
    /// The module that holds the block, when it could be found.
    module: Option<usize>,
    expressions: Option<ExprNode<'a>>,
}

impl<'a> ConfigTree<'a> {
    /// Indexes a plan's configuration, with the values of its root input variables.
    pub(super) fn new(
        configuration: wire::Configuration<'a>,
        variables: HashMap<Text<'a>, wire::Variable<'a>>,
    ) -> Self {
        let mut tree = ConfigTree {
            modules: Vec::new(),
            blocks: Vec::new(),
            block_ids: HashMap::new(),
            providers: HashMap::new(),
            variables,
        };
        let root = configuration.root_module.unwrap_or(wire::ConfigModule {
            resources: Vec::new(),
            module_calls: None,
            outputs: None,
        });
        tree.add_module(root, None);

        for (key, provider) in configuration.provider_config.unwrap_or_default() {
            let module = match provider.module_address {
                Some(module) => address::module_path(module.as_str())
                    .and_then(|path| tree.module_id(path.iter().map(|step| step.name.as_str()))),
                None => Some(0),
            };
            let name = provider.full_name.or(provider.name);
            let cloud = Cloud::from_provider_name(name.as_ref().map_or(key.as_str(), Text::as_str));
            let expressions = provider.expressions;
            tree.providers.insert(key, ProviderNode { cloud, module, expressions });
        }
        tree
    }

    /// The module reached from the root through the calls `names`.
    pub(super) fn module_id<'n>(&self, names: impl IntoIterator<Item = &'n str>) -> Option<usize> {
        names.into_iter().try_fold(0, |module, name| {
            self.modules.get(module)?.calls.get(name).map(|call| call.child)
        })
    }

    /// The module with the given id.
    pub(super) fn module(&self, id: usize) -> Option<&ConfigModule<'a>> {
        self.modules.get(id)
    }

    /// The id of the block of a resource in a module.
    pub(super) fn block_id(
        &self,
        module: usize,
        mode: Mode,
        resource_type: &str,
        name: &str,
    ) -> Option<usize> {
        // The map is covariant in its key, so it can be looked up with keys that borrow
        // for less long than the configuration does, without building owned keys.
        let block_ids: &HashMap<(usize, bool, Text<'_>, Text<'_>), usize> = &self.block_ids;
        let key = (module, mode == Mode::Data, Text::borrowed(resource_type), Text::borrowed(name));
        block_ids.get(&key).copied()
    }

    /// The block with the given id.
    pub(super) fn block(&self, id: usize) -> Option<&ConfigResource<'a>> {
        self.blocks.get(id)
    }

    /// How many blocks there are; ids are below this.
    pub(super) fn block_count(&self) -> usize {
        self.blocks.len()
    }

    /// The key and cloud of every provider configuration.
    pub(super) fn providers(&self) -> impl Iterator<Item = (&str, Cloud)> {
        self.providers.iter().map(|(key, provider)| (key.as_str(), provider.cloud))
    }

    /// The key in `provider_config` of the configuration a resource uses: the key the
    /// resource names, or failing that the nearest configuration of the same provider in
    /// the resource's module or its ancestors, which is where Terraform takes an
    /// implicitly inherited provider from.
    pub(super) fn provider_key(
        &self,
        named: Option<&str>,
        local_name: &str,
        path: &[ModuleStep],
    ) -> Option<String> {
        if let Some(named) = named {
            if self.providers.contains_key(named) {
                return Some(named.to_owned());
            }
            // Terraform before 1.1 wrote child module keys without the `module.` prefix.
            let prefixed = format!("module.{named}");
            if named.contains(':') && self.providers.contains_key(&prefixed) {
                return Some(prefixed);
            }
        }

        let local = named.map_or(local_name, |named| named.rsplit(':').next().unwrap_or(named));
        (0..=path.len()).rev().find_map(|depth| {
            let key = match path.get(..depth) {
                Some([]) | None => local.to_owned(),
                Some(steps) => format!("{}:{local}", module_names(steps)),
            };
            self.providers.contains_key(&key).then_some(key)
        })
    }

    /// Evaluates an argument of a provider configuration (`region`, `default_tags`).
    pub(super) fn provider_argument(&self, key: &str, argument: &str) -> Option<Value> {
        let provider = self.providers.get(key)?;
        let mut node = provider.expressions.as_ref()?;
        for name in argument.split('.') {
            node = node.single_block()?.entry(name)?;
        }
        self.evaluate(node, provider.module?, 0)
    }

    /// The value of an expression when it is a constant or a reference to an input
    /// variable whose value is known; `None` otherwise.
    pub(super) fn evaluate(
        &self,
        node: &ExprNode<'_>,
        module: usize,
        depth: usize,
    ) -> Option<Value> {
        let ExprNode::Expression(expression) = node else {
            return None;
        };
        if let Some(constant) = expression.constant {
            return serde_json::from_str(constant.get()).ok();
        }
        if depth > MAX_DEPTH {
            return None;
        }

        let (name, text) = single_variable(&expression.references)?;
        let value = match self.modules.get(module)?.parent.as_ref() {
            None => {
                let raw = self.variables.get(name)?.value?;
                serde_json::from_str(raw.get()).ok()?
            }
            Some((parent, call)) => {
                let call = self.modules.get(*parent)?.calls.get(call.as_str())?;
                let argument = call.arguments.as_ref()?.entry(name)?;
                self.evaluate(argument, *parent, depth + 1)?
            }
        };
        follow(value, text)
    }

    fn add_module(
        &mut self,
        module: wire::ConfigModule<'a>,
        parent: Option<(usize, Text<'a>)>,
    ) -> usize {
        let id = self.modules.len();
        self.block_ids.reserve(module.resources.len());
        for resource in module.resources {
            let Some(mode) = parse_mode(resource.mode.as_str()) else {
                continue;
            };
            let provider_key = resource
                .provider_config_key
                .or_else(|| resource.provider_config_keys.and_then(|keys| keys.into_iter().next()));
            let attributes = resource.expressions.map(attribute_references).unwrap_or_default();
            let key = (id, mode == Mode::Data, resource.resource_type, resource.name);
            self.block_ids.insert(key, self.blocks.len());
            self.blocks.push(ConfigResource { provider_key, attributes });
        }
        let outputs = module
            .outputs
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(name, output)| Some((name, output.expression?)))
            .collect();
        self.modules.push(ConfigModule { parent, calls: HashMap::new(), outputs });

        for (name, call) in module.module_calls.unwrap_or_default() {
            let child_module = call.module.unwrap_or(wire::ConfigModule {
                resources: Vec::new(),
                module_calls: None,
                outputs: None,
            });
            let child = self.add_module(child_module, Some((id, name.clone())));
            if let Some(module) = self.modules.get_mut(id) {
                module.calls.insert(name, ModuleCall { child, arguments: call.expressions });
            }
        }
        id
    }
}

/// The mode of a resource as Terraform writes it.
pub(super) fn parse_mode(mode: &str) -> Option<Mode> {
    match mode {
        "managed" => Some(Mode::Managed),
        "data" => Some(Mode::Data),
        _ => None,
    }
}

/// `module.a.module.b`: a module path without instance keys, as provider keys use it.
pub(super) fn module_names(path: &[ModuleStep]) -> String {
    let mut names = String::new();
    for step in path {
        if !names.is_empty() {
            names.push('.');
        }
        names.push_str("module.");
        names.push_str(&step.name);
    }
    names
}

/// Every reference made anywhere under a node, for the expressions of outputs and module
/// arguments.
pub(super) fn all_references<'n, 'a>(node: &'n ExprNode<'a>, out: &mut Vec<&'n Text<'a>>) {
    match node {
        ExprNode::Expression(expression) => out.extend(expression.references.iter()),
        ExprNode::Block(entries) => entries.iter().for_each(|(_, node)| all_references(node, out)),
        ExprNode::List(items) => items.iter().for_each(|node| all_references(node, out)),
        ExprNode::Text(_) | ExprNode::Other => {}
    }
}

/// The attributes of a block's raw `expressions` that make references, with their dotted
/// paths.
fn attribute_references(expressions: &RawValue) -> Vec<AttributeReferences<'_>> {
    let mut out = Vec::new();
    let seed = ReferenceCollector { path: &mut String::new(), out: &mut out };
    let mut deserializer = serde_json::Deserializer::from_str(expressions.get());
    // The raw value was read as well-formed JSON already, so the walk cannot fail; if it
    // did, the attributes found so far are kept.
    let _ = seed.deserialize(&mut deserializer);
    out
}

/// Walks one node of an `expressions` object: an expression (`constant_value`,
/// `references`), a nested block (an object of attributes) or a list of nested blocks.
/// Constants are skipped without being built.
struct ReferenceCollector<'p, 'a> {
    path: &'p mut String,
    out: &'p mut Vec<AttributeReferences<'a>>,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for ReferenceCollector<'_, 'a> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for ReferenceCollector<'_, 'a> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an expression or a block of expressions")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ReferenceCollector { path, out } = self;
        while let Some(name) = map.next_key::<Text<'de>>()? {
            match name.as_str() {
                "constant_value" => {
                    map.next_value::<IgnoredAny>()?;
                }
                "references" => {
                    let ReferenceList(references) = map.next_value()?;
                    if !references.is_empty() {
                        out.push(AttributeReferences { path: path.clone(), references });
                    }
                }
                name => {
                    let length = path.len();
                    push_segment(path, name);
                    map.next_value_seed(ReferenceCollector { path, out })?;
                    path.truncate(length);
                }
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let ReferenceCollector { path, out } = self;
        let mut index = 0usize;
        loop {
            let length = path.len();
            push_segment(path, &index.to_string());
            let more = seq.next_element_seed(ReferenceCollector { path, out })?.is_some();
            path.truncate(length);
            if !more {
                return Ok(());
            }
            index += 1;
        }
    }
}

/// The `references` of an expression: a list of strings. Anything else (a nested block
/// that happens to have an attribute of that name) counts as no references.
struct ReferenceList<'a>(Vec<Text<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for ReferenceList<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ReferenceListVisitor(PhantomData))
    }
}

struct ReferenceListVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for ReferenceListVisitor<'a> {
    type Value = ReferenceList<'a>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a list of references")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(ReferenceList(Vec::new()))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(ReferenceList(Vec::new()))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(ReferenceList(Vec::new()))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(ReferenceList(Vec::new()))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(ReferenceList(Vec::new()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(ReferenceList(Vec::new()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut references = Vec::new();
        while let Some(item) = seq.next_element::<ExprNode<'a>>()? {
            if let ExprNode::Text(text) = item {
                references.push(text);
            }
        }
        Ok(ReferenceList(references))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(ReferenceList(Vec::new()))
    }
}

fn push_segment(path: &mut String, segment: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(segment);
}

/// The variable an expression reads, with the most specific traversal of it, when the
/// expression refers to exactly one variable and nothing else.
fn single_variable<'r>(references: &'r [Text<'_>]) -> Option<(&'r str, &'r str)> {
    let mut found: Option<(&str, &str)> = None;
    for reference in references {
        let Reference::Variable { name, text } = address::reference(reference.as_str()) else {
            return None;
        };
        match found {
            Some((current, _)) if current != name => return None,
            Some((_, longest)) if longest.len() >= text.len() => {}
            _ => found = Some((name, text)),
        }
    }
    found
}

/// Follows the traversal after `var.NAME` in `text` into a value.
fn follow(value: Value, text: &str) -> Option<Value> {
    let steps = address::traversal(text)?;
    steps.into_iter().skip(2).try_fold(value, |value, step| match step {
        Step::Name(name) => value.get(name).cloned(),
        Step::Key(key) => match address::unquote(key) {
            Some(key) => value.get(&key).cloned(),
            None => value.get(key.parse::<usize>().ok()?).cloned(),
        },
    })
}
