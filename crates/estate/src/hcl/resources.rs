//! Resource blocks: their expansion into instances, the values of their attributes and
//! nested blocks, and references to them from other expressions.

use hcl::expr::TraversalOperator;
use hcl::{Expression, Map, ObjectKey, Value};

use super::config::{Attr, BlockNode, BodyNode};
use super::eval::{Gap, InstanceKey, Lookup, Resolved, Scope, Target};
use super::instance::{Evaluator, Expansion};
use super::value::{as_text, describe};
use crate::{Mode, SourceLocation};

/// Arguments of every resource that configure Terraform rather than the resource.
const META_ARGUMENTS: [&str; 4] = ["count", "for_each", "provider", "depends_on"];

/// Blocks of every resource that configure Terraform rather than the resource.
const META_BLOCKS: [&str; 3] = ["lifecycle", "provisioner", "connection"];

/// An attribute whose value is not known statically.
#[derive(Debug, Clone)]
pub(super) struct UnknownValue {
    /// Its dotted path (`tags.Name`, `rule.0.destination.0.bucket`).
    pub(super) path: String,
    pub(super) gap: Gap,
    /// True when a plan would show it as unknown too, so that it needs no diagnostic.
    pub(super) pure: bool,
    pub(super) location: SourceLocation,
}

/// The evaluated configuration of one resource instance.
#[derive(Debug, Clone, Default)]
pub(super) struct InstanceValues {
    /// Known attribute values; nested blocks are lists of objects.
    pub(super) attributes: Map<String, Value>,
    pub(super) unknown: Vec<UnknownValue>,
    /// The resources each attribute's value was derived from, by dotted path.
    pub(super) references: Vec<(String, Vec<Target>)>,
}

/// One instance of a resource.
#[derive(Debug, Clone)]
pub(super) struct ResourceInstance {
    /// Its key, or `None` for a resource without `count` and `for_each`, or one whose
    /// expansion is unknown.
    pub(super) key: Option<InstanceKey>,
    pub(super) values: InstanceValues,
}

/// A resource block evaluated in one module instance.
#[derive(Debug, Clone, Default)]
pub(super) struct ResourceState {
    pub(super) instances: Vec<ResourceInstance>,
    /// Set when `count` or `for_each` is unknown: which argument, and why.
    pub(super) unexpanded: Option<(String, Resolved, SourceLocation)>,
    /// True when the resource was asked for while being evaluated.
    pub(super) cycle: bool,
}

impl ResourceState {
    /// The state answered for a resource that depends on itself.
    pub(super) fn cycle() -> ResourceState {
        ResourceState { cycle: true, ..ResourceState::default() }
    }

    /// True when the instances carry keys.
    fn is_keyed(&self) -> bool {
        self.instances.iter().any(|instance| instance.key.is_some())
    }
}

impl Evaluator<'_> {
    /// Evaluates resource `index` of module instance `id`.
    pub(super) fn evaluate_resource(&self, id: usize, index: usize) -> ResourceState {
        let Some(block) = self.config(id).and_then(|config| config.resources.get(index)) else {
            return ResourceState::default();
        };
        let scope = Scope::module(id);
        let (scopes, unexpanded) = match self.expand(&scope, &block.body) {
            Expansion::Single => (vec![(None, scope)], None),
            Expansion::Keys(keys) => {
                (keys.into_iter().map(|(key, scope)| (Some(key), scope)).collect(), None)
            }
            Expansion::Unknown(resolved) => {
                let argument =
                    if block.body.attribute("count").is_some() { "count" } else { "for_each" };
                let location = block
                    .body
                    .attribute(argument)
                    .map_or_else(|| block.location.clone(), |a| a.location.clone());
                let scope = Scope { unexpanded: true, ..scope };
                (vec![(None, scope)], Some((argument.to_owned(), resolved, location)))
            }
        };
        let instances = scopes
            .into_iter()
            .map(|(key, scope)| {
                let mut values = InstanceValues::default();
                values.attributes = self.evaluate_body(&block.body, &scope, "", &mut values);
                ResourceInstance { key, values }
            })
            .collect();
        ResourceState { instances, unexpanded, cycle: false }
    }

    fn evaluate_body(
        &self,
        body: &BodyNode,
        scope: &Scope,
        prefix: &str,
        out: &mut InstanceValues,
    ) -> Map<String, Value> {
        let top = prefix.is_empty();
        let mut values = Map::new();
        for attribute in &body.attributes {
            if top && META_ARGUMENTS.contains(&attribute.name.as_str()) {
                continue;
            }
            let path = join(prefix, &attribute.name);
            if let Some(value) =
                self.evaluate_value(&attribute.expr, scope, &path, &attribute.location, out)
            {
                values.insert(attribute.name.clone(), value);
            }
        }
        for nested in &body.blocks {
            if top && META_BLOCKS.contains(&nested.kind.as_str()) {
                continue;
            }
            if nested.kind == "dynamic" {
                self.expand_dynamic(nested, scope, prefix, &mut values, out);
                continue;
            }
            let path =
                join(prefix, &format!("{}.{}", nested.kind, block_count(&values, &nested.kind)));
            let object = self.evaluate_body(&nested.body, scope, &path, out);
            push_block(&mut values, &nested.kind, Value::Object(object));
        }
        values
    }

    /// Expands a `dynamic` block into the blocks its `content` describes, one per element
    /// of its `for_each`.
    fn expand_dynamic(
        &self,
        dynamic: &BlockNode,
        scope: &Scope,
        prefix: &str,
        values: &mut Map<String, Value>,
        out: &mut InstanceValues,
    ) {
        let Some(kind) = dynamic.labels.first() else {
            return;
        };
        let iterator = match dynamic.body.attribute("iterator").map(|attribute| &attribute.expr) {
            Some(Expression::Variable(name)) => name.to_string(),
            _ => kind.clone(),
        };
        let content = dynamic.body.blocks("content").next().map(|content| &content.body);
        let for_each = dynamic.body.attribute("for_each");
        let (Some(content), Some(for_each)) = (content, for_each) else {
            return;
        };

        let Some(elements) = self.dynamic_elements(for_each, scope, &join(prefix, kind), out)
        else {
            return;
        };
        for (key, value) in elements {
            let binding =
                super::instance::object([("key".to_owned(), key), ("value".to_owned(), value)]);
            let element_scope = scope.with_binding(&iterator, binding);
            let path = join(prefix, &format!("{kind}.{}", block_count(values, kind)));
            let object = self.evaluate_body(content, &element_scope, &path, out);
            push_block(values, kind, Value::Object(object));
        }
    }

    /// The elements a dynamic block's `for_each` iterates over, as key and value; `None`,
    /// with the block recorded as unknown at `path`, when they are not known.
    fn dynamic_elements(
        &self,
        for_each: &Attr,
        scope: &Scope,
        path: &str,
        out: &mut InstanceValues,
    ) -> Option<Vec<(Value, Value)>> {
        let resolved = self.resolve(&for_each.expr, scope);
        if !resolved.references.is_empty() {
            out.references.push((path.to_owned(), resolved.references.clone()));
        }
        let gap = match resolved.value {
            Ok(Value::Array(items)) => {
                return Some(
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(index, item)| (Value::from(index), item))
                        .collect(),
                );
            }
            Ok(Value::Object(map)) => {
                return Some(map.into_iter().map(|(key, item)| (Value::from(key), item)).collect());
            }
            Ok(Value::Null) => return Some(Vec::new()),
            Ok(other) => Gap::failed(format!(
                "`for_each` of a dynamic block must be a collection, found `{}`",
                describe(&other)
            )),
            Err(gap) => gap,
        };
        let location = for_each.location.clone();
        out.unknown.push(UnknownValue { path: path.to_owned(), gap, pure: false, location });
        None
    }

    /// Evaluates an attribute value. Object and tuple constructors are evaluated element
    /// by element, so that one unknown element leaves the others known; an unknown list
    /// element is kept as null so that the indices of the others do not move.
    fn evaluate_value(
        &self,
        expr: &Expression,
        scope: &Scope,
        path: &str,
        location: &SourceLocation,
        out: &mut InstanceValues,
    ) -> Option<Value> {
        match expr {
            Expression::Object(object) => {
                if let Some(keys) = self.static_keys(object.iter().map(|(key, _)| key), scope) {
                    let mut map = Map::new();
                    for (key, (_, value)) in keys.into_iter().zip(object.iter()) {
                        let child = join(path, &key);
                        if let Some(value) =
                            self.evaluate_value(value, scope, &child, location, out)
                        {
                            map.insert(key, value);
                        } else {
                            map.swap_remove(&key);
                        }
                    }
                    return Some(Value::Object(map));
                }
            }
            Expression::Array(items) => {
                let values = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        let child = join(path, &index.to_string());
                        self.evaluate_value(item, scope, &child, location, out)
                            .unwrap_or(Value::Null)
                    })
                    .collect();
                return Some(Value::Array(values));
            }
            _ => {}
        }

        let resolved = self.resolve(expr, scope);
        if !resolved.references.is_empty() {
            out.references.push((path.to_owned(), resolved.references));
        }
        match resolved.value {
            Ok(value) => Some(value),
            Err(gap) => {
                out.unknown.push(UnknownValue {
                    path: path.to_owned(),
                    gap,
                    pure: resolved.pure,
                    location: location.clone(),
                });
                None
            }
        }
    }

    /// The keys of an object constructor, when all of them are known.
    fn static_keys<'k>(
        &self,
        keys: impl Iterator<Item = &'k ObjectKey>,
        scope: &Scope,
    ) -> Option<Vec<String>> {
        keys.map(|key| match key {
            ObjectKey::Identifier(name) => Some(name.to_string()),
            ObjectKey::Expression(expr) => as_text(&self.resolve(expr, scope).value.ok()?),
            _ => None,
        })
        .collect()
    }

    /// Looks up a reference to a resource: `operators` start with the resource name, and
    /// `base` operators before them were consumed already (`data` and its type).
    pub(super) fn resource_reference(
        &self,
        scope: &Scope,
        mode: Mode,
        resource_type: &str,
        operators: &[TraversalOperator],
        base: usize,
    ) -> Lookup {
        let unknown = |gap: Gap, references: Vec<Target>| Lookup {
            resolved: Resolved { value: Err(gap), references, pure: false },
            consumed: base + operators.len(),
        };
        let Some(TraversalOperator::GetAttr(name)) = operators.first() else {
            let message = format!("`{resource_type}` must be followed by a resource name");
            return unknown(Gap::failed(message), Vec::new());
        };
        let Some((index, address)) =
            self.find_resource(scope.instance, mode, resource_type, name.as_str())
        else {
            let what = if mode == Mode::Data { "data source" } else { "resource" };
            return unknown(
                Gap::failed(format!("there is no {what} `{resource_type}.{name}`")),
                Vec::new(),
            );
        };
        let target =
            |key: Option<InstanceKey>| Target { instance: scope.instance, resource: index, key };

        if mode == Mode::Data {
            let key = self.instance_key(operators.get(1), scope);
            let address =
                format!("{address}{}", key.as_ref().map(InstanceKey::render).unwrap_or_default());
            return unknown(Gap::DataSource { address }, vec![target(key)]);
        }
        let state = self.resource_state(scope.instance, index);
        let (instance, attributes_from) =
            match self.referenced_instance(&state, operators, scope, &address) {
                Ok(found) => found,
                Err((gap, key)) => return unknown(gap, vec![target(key)]),
            };
        let address = format!(
            "{address}{}",
            instance.key.as_ref().map(InstanceKey::render).unwrap_or_default()
        );
        let rest = operators.get(attributes_from..).unwrap_or_default();
        let mut lookup = self.attribute_lookup(instance, rest, scope, &address);
        // An unknown value stands for the whole traversal; a known one for the path only.
        lookup.consumed = match lookup.resolved.value {
            Ok(_) => base + attributes_from + lookup.consumed,
            Err(_) => base + operators.len(),
        };
        lookup.resolved.references = vec![target(instance.key.clone())];
        lookup
    }

    /// The index and address (without instance key) of a resource of instance `id`.
    fn find_resource(
        &self,
        id: usize,
        mode: Mode,
        resource_type: &str,
        name: &str,
    ) -> Option<(usize, String)> {
        let (index, block) =
            self.config(id)?.resources.iter().enumerate().find(|(_, resource)| {
                resource.mode == mode
                    && resource.resource_type == resource_type
                    && resource.name == name
            })?;
        let prefix = self.instance(id).map(|instance| instance.prefix()).unwrap_or_default();
        Some((index, format!("{prefix}{}", block.local_address())))
    }

    /// The instance a reference names, and the position of the operator after its key.
    /// Fails with the gap to report, and the key the reference names, if any.
    fn referenced_instance<'s>(
        &self,
        state: &'s ResourceState,
        operators: &[TraversalOperator],
        scope: &Scope,
        address: &str,
    ) -> Result<(&'s ResourceInstance, usize), (Gap, Option<InstanceKey>)> {
        let after_apply = || (Gap::AfterApply { address: address.to_owned() }, None);
        if state.unexpanded.is_some() {
            return Err((Gap::Unexpanded { name: address.to_owned() }, None));
        }
        if state.cycle {
            return Err(after_apply());
        }
        if !state.is_keyed() {
            let instance = state.instances.first();
            return instance
                .map(|instance| (instance, 1))
                .ok_or_else(|| (Gap::failed(format!("`{address}` has no instances")), None));
        }
        let Some(key) = self.instance_key(operators.get(1), scope) else {
            return Err(after_apply());
        };
        match state.instances.iter().find(|instance| instance.key.as_ref() == Some(&key)) {
            Some(instance) => Ok((instance, 2)),
            None => Err((
                Gap::failed(format!("`{address}` has no instance {}", key.render())),
                Some(key),
            )),
        }
    }

    /// Looks up the attribute path `operators` name in `instance`: its value when the
    /// configuration sets it, else a gap until apply. `consumed` counts the operators of
    /// the path.
    fn attribute_lookup(
        &self,
        instance: &ResourceInstance,
        operators: &[TraversalOperator],
        scope: &Scope,
        address: &str,
    ) -> Lookup {
        let (path, used) = self.static_path(operators, scope);
        if path.is_empty() {
            let gap = Gap::AfterApply { address: address.to_owned() };
            return Lookup {
                resolved: Resolved { value: Err(gap), references: Vec::new(), pure: false },
                consumed: 0,
            };
        }
        let dotted = path.join(".");
        let unknown = instance.values.unknown.iter().any(|unknown| {
            unknown.path == dotted
                || unknown.path.starts_with(&format!("{dotted}."))
                || dotted.starts_with(&format!("{}.", unknown.path))
        });
        match value_at(&instance.values.attributes, &path).filter(|_| !unknown) {
            Some(value) => Lookup { resolved: Resolved::known(value.clone()), consumed: used },
            None => {
                let gap = Gap::AfterApply { address: format!("{address}.{dotted}") };
                Lookup {
                    resolved: Resolved { value: Err(gap), references: Vec::new(), pure: true },
                    consumed: used,
                }
            }
        }
    }

    /// The leading operators that name a fixed attribute path, and how many there are.
    fn static_path(&self, operators: &[TraversalOperator], scope: &Scope) -> (Vec<String>, usize) {
        let mut path = Vec::new();
        for operator in operators {
            let segment = match operator {
                TraversalOperator::GetAttr(name) => name.to_string(),
                TraversalOperator::LegacyIndex(index) => index.to_string(),
                TraversalOperator::Index(expr) => match self.resolve(expr, scope).value {
                    Ok(Value::Number(number)) if number.as_u64().is_some() => number.to_string(),
                    Ok(Value::String(key)) => key,
                    _ => break,
                },
                _ => break,
            };
            path.push(segment);
        }
        let used = path.len();
        (path, used)
    }
}

fn value_at<'v>(attributes: &'v Map<String, Value>, path: &[String]) -> Option<&'v Value> {
    let (first, rest) = path.split_first()?;
    rest.iter().try_fold(attributes.get(first)?, |value, segment| match value {
        Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
        Value::Object(map) => map.get(segment),
        _ => None,
    })
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() { name.to_owned() } else { format!("{prefix}.{name}") }
}

fn block_count(values: &Map<String, Value>, kind: &str) -> usize {
    values.get(kind).and_then(Value::as_array).map_or(0, Vec::len)
}

fn push_block(values: &mut Map<String, Value>, kind: &str, block: Value) {
    match values.get_mut(kind) {
        Some(Value::Array(blocks)) => blocks.push(block),
        _ => {
            values.insert(kind.to_owned(), Value::Array(vec![block]));
        }
    }
}
