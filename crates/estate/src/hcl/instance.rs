//! Module instances and the named values they hold: variables, locals, outputs and the
//! expansion of module calls. Values are computed on first use and kept; a value that
//! depends on itself is reported as a cycle instead of recursing forever.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::Hash;
use std::rc::Rc;

use hcl::eval::Context;
use hcl::expr::TraversalOperator;
use hcl::{Map, Value};

use super::config::{BodyNode, ModuleConfig, ModuleTree};
use super::eval::{Gap, InstanceKey, Lookup, Resolved, Scope};
use super::functions;
use super::resources::ResourceState;
use super::value::{TypeConstraint, describe};

/// The deepest chain of references followed while evaluating one expression (a local
/// naming a local naming a local...). Real configurations stay far below; the bound keeps
/// the reader's stack safe from generated or hostile input.
const MAX_REFERENCE_DEPTH: usize = 64;

/// The most instances one `count` or `for_each` may create; more only come from a
/// mistake and would make the estate unreadable.
const MAX_INSTANCES: usize = 10_000;

/// Where a module instance is called from.
#[derive(Debug, Clone)]
pub(super) struct CallSite {
    /// The calling instance.
    pub(super) instance: usize,
    /// The index of the `module` block in the caller's configuration.
    pub(super) call: usize,
    /// The caller's scope for this instance of the call, with its `each` or `count`.
    pub(super) scope: Scope,
}

/// One instance of a module: the root, or one instance of a local module call.
pub(super) struct Instance {
    /// The index of its configuration in the tree.
    pub(super) config: usize,
    /// Its address (`module.a["x"].module.b`), empty for the root.
    pub(super) address: String,
    pub(super) parent: Option<CallSite>,
    variables: RefCell<HashMap<String, Memo<Resolved>>>,
    locals: RefCell<HashMap<String, Memo<Resolved>>>,
    outputs: RefCell<HashMap<String, Memo<Resolved>>>,
    resources: RefCell<HashMap<usize, Memo<ResourceState>>>,
    calls: RefCell<HashMap<usize, Memo<CallState>>>,
}

impl Instance {
    /// The prefix of addresses in this instance: empty, or the address and a dot.
    pub(super) fn prefix(&self) -> String {
        if self.address.is_empty() { String::new() } else { format!("{}.", self.address) }
    }
}

/// How a `count` or `for_each` expanded.
pub(super) enum Expansion {
    /// Neither argument: one instance without key.
    Single,
    /// The keys and the scope of each instance.
    Keys(Vec<(InstanceKey, Scope)>),
    /// The argument is not known: one instance stands for all, without key.
    Unknown(Resolved),
}

/// The instances of a module call.
pub(super) enum CallState {
    /// The source is not on local disk.
    Remote,
    /// The instances, with their keys.
    Instances(Vec<(Option<InstanceKey>, usize)>),
    /// `count` or `for_each` is not known; the module is read once, without key.
    Unexpanded(Resolved, usize),
}

/// Evaluates the configuration of a module tree.
pub(super) struct Evaluator<'t> {
    pub(super) tree: &'t ModuleTree,
    /// Values of the root module's variables, from files and options.
    root_values: HashMap<String, Value>,
    /// The context every prepared expression is evaluated in: functions only.
    pub(super) functions: Context<'static>,
    instances: RefCell<Vec<Rc<Instance>>>,
    /// How many evaluations are in progress, each waiting on the next.
    depth: Cell<usize>,
}

impl<'t> Evaluator<'t> {
    pub(super) fn new(tree: &'t ModuleTree, root_values: HashMap<String, Value>) -> Evaluator<'t> {
        let evaluator = Evaluator {
            tree,
            root_values,
            functions: functions::context(),
            instances: RefCell::new(Vec::new()),
            depth: Cell::new(0),
        };
        evaluator.add_instance(0, String::new(), None);
        evaluator
    }

    fn add_instance(&self, config: usize, address: String, parent: Option<CallSite>) -> usize {
        let mut instances = self.instances.borrow_mut();
        instances.push(Rc::new(Instance {
            config,
            address,
            parent,
            variables: RefCell::default(),
            locals: RefCell::default(),
            outputs: RefCell::default(),
            resources: RefCell::default(),
            calls: RefCell::default(),
        }));
        instances.len() - 1
    }

    /// Runs `evaluate` one level deeper in the chain of references, or answers a gap when
    /// the chain is too deep.
    pub(super) fn nested(&self, evaluate: impl FnOnce() -> Resolved) -> Resolved {
        let depth = self.depth.get();
        if depth >= MAX_REFERENCE_DEPTH {
            let message =
                format!("references are chained deeper than {MAX_REFERENCE_DEPTH} levels");
            return Resolved::gap(Gap::failed(message));
        }
        self.depth.set(depth + 1);
        let resolved = evaluate();
        self.depth.set(depth);
        resolved
    }

    /// The instance with index `id`. Ids are handed out by this evaluator only.
    pub(super) fn instance(&self, id: usize) -> Option<Rc<Instance>> {
        self.instances.borrow().get(id).cloned()
    }

    /// The configuration of instance `id`.
    pub(super) fn config(&self, id: usize) -> Option<&'t ModuleConfig> {
        let config = self.instance(id)?.config;
        self.tree.configs.get(config)
    }

    /// The value of variable `name` in instance `id`, converted to its type.
    pub(super) fn variable(&self, id: usize, name: &str) -> Rc<Resolved> {
        let Some(instance) = self.instance(id) else {
            return Rc::new(Resolved::gap(Gap::failed("unknown module instance")));
        };
        memo(&instance.variables, name, cycle, || self.compute_variable(&instance, id, name))
    }

    fn compute_variable(&self, instance: &Instance, id: usize, name: &str) -> Resolved {
        let Some(declaration) =
            self.tree.configs.get(instance.config).and_then(|config| config.variables.get(name))
        else {
            return Resolved::gap(Gap::failed(format!("variable `{name}` is not declared")));
        };
        let given = match &instance.parent {
            Some(site) => self
                .tree
                .configs
                .get(self.instance(site.instance).map_or(usize::MAX, |caller| caller.config))
                .and_then(|config| config.calls.get(site.call))
                .and_then(|call| call.body.attribute(name))
                .map(|argument| self.resolve(&argument.expr, &site.scope)),
            None => self.root_values.get(name).cloned().map(Resolved::known),
        };
        let given =
            given.filter(|given| declaration.nullable || !matches!(given.value, Ok(Value::Null)));
        let mut resolved = match (given, &declaration.default) {
            (Some(given), _) => given,
            (None, Some(default)) => self.resolve(default, &Scope::module(id)),
            (None, None) => return Resolved::gap(Gap::NoValue { variable: name.to_owned() }),
        };
        if let (Ok(value), Some(constraint)) = (&resolved.value, &declaration.type_constraint) {
            resolved.value = TypeConstraint::parse(constraint)
                .convert(value.clone())
                .map_err(|error| Gap::failed(format!("variable `{name}`: {error}")));
        }
        resolved
    }

    /// The value of local `name` in instance `id`.
    pub(super) fn local(&self, id: usize, name: &str) -> Rc<Resolved> {
        let Some(instance) = self.instance(id) else {
            return Rc::new(Resolved::gap(Gap::failed("unknown module instance")));
        };
        memo(&instance.locals, name, cycle, || {
            match self.config(id).and_then(|config| config.locals.get(name)) {
                Some(local) => self.resolve(&local.expr, &Scope::module(id)),
                None => Resolved::gap(Gap::failed(format!("local value `{name}` is not declared"))),
            }
        })
    }

    /// The value of output `name` of instance `id`.
    pub(super) fn output(&self, id: usize, name: &str) -> Rc<Resolved> {
        let Some(instance) = self.instance(id) else {
            return Rc::new(Resolved::gap(Gap::failed("unknown module instance")));
        };
        memo(&instance.outputs, name, cycle, || {
            match self.config(id).and_then(|config| config.outputs.get(name)) {
                Some(output) => self.resolve(&output.expr, &Scope::module(id)),
                None => Resolved::gap(Gap::failed(format!("the module has no output `{name}`"))),
            }
        })
    }

    /// The state of resource `resource` of instance `id`, evaluated on first use.
    pub(super) fn resource_state(&self, id: usize, resource: usize) -> Rc<ResourceState> {
        let Some(instance) = self.instance(id) else {
            return Rc::new(ResourceState::cycle());
        };
        memo(&instance.resources, &resource, ResourceState::cycle, || {
            self.evaluate_resource(id, resource)
        })
    }

    /// The instances of module call `call` of instance `id`.
    pub(super) fn call_state(&self, id: usize, call: usize) -> Rc<CallState> {
        let Some(instance) = self.instance(id) else {
            return Rc::new(CallState::Remote);
        };
        memo(&instance.calls, &call, || CallState::Remote, || self.expand_call(&instance, id, call))
    }

    fn expand_call(&self, instance: &Instance, id: usize, call: usize) -> CallState {
        let Some(declaration) = self.config(id).and_then(|config| config.calls.get(call)) else {
            return CallState::Remote;
        };
        let Some(&child_config) = self.tree.children.get(&(instance.config, call)) else {
            return CallState::Remote;
        };
        let base = format!("{}module.{}", instance.prefix(), declaration.name);
        let scope = Scope::module(id);
        let add = |key: Option<&InstanceKey>, scope: Scope| {
            let address = format!("{base}{}", key.map(InstanceKey::render).unwrap_or_default());
            self.add_instance(child_config, address, Some(CallSite { instance: id, call, scope }))
        };
        match self.expand(&scope, &declaration.body) {
            Expansion::Single => CallState::Instances(vec![(None, add(None, scope))]),
            Expansion::Keys(keys) => CallState::Instances(
                keys.into_iter()
                    .map(|(key, scope)| (Some(key.clone()), add(Some(&key), scope)))
                    .collect(),
            ),
            Expansion::Unknown(resolved) => {
                let unexpanded = Scope { unexpanded: true, ..scope };
                CallState::Unexpanded(resolved, add(None, unexpanded))
            }
        }
    }

    /// Expands the `count` or `for_each` argument of `body`, evaluated in `scope`.
    pub(super) fn expand(&self, scope: &Scope, body: &BodyNode) -> Expansion {
        let (argument, keys): (_, KeysOf) =
            match (body.attribute("count"), body.attribute("for_each")) {
                (Some(count), _) => (count, count_keys),
                (None, Some(for_each)) => (for_each, for_each_keys),
                (None, None) => return Expansion::Single,
            };
        let resolved = self.resolve(&argument.expr, scope);
        let Ok(value) = &resolved.value else {
            return Expansion::Unknown(resolved);
        };
        match keys(value, scope) {
            Ok(keys) => Expansion::Keys(keys),
            Err(message) => {
                Expansion::Unknown(Resolved { value: Err(Gap::failed(message)), ..resolved })
            }
        }
    }

    /// Looks up `module.CALL...`: `rest` are the operators after the call name.
    pub(super) fn module_output(
        &self,
        scope: &Scope,
        name: &str,
        rest: &[TraversalOperator],
    ) -> Lookup {
        let failed =
            |message: String| Lookup { resolved: Resolved::gap(Gap::failed(message)), consumed: 1 };
        let Some(call) = self
            .config(scope.instance)
            .and_then(|config| config.calls.iter().position(|call| call.name == name))
        else {
            return failed(format!("there is no module call `{name}`"));
        };
        let address = self
            .instance(scope.instance)
            .map(|instance| format!("{}module.{name}", instance.prefix()))
            .unwrap_or_default();
        let state = self.call_state(scope.instance, call);
        let (child, consumed) = match state.as_ref() {
            CallState::Remote => {
                return Lookup {
                    resolved: Resolved::gap(Gap::RemoteModule { call: address }),
                    consumed: 1 + rest.len(),
                };
            }
            CallState::Unexpanded(resolved, _) => {
                let mut resolved = resolved.clone();
                resolved.pure = false;
                return Lookup { resolved, consumed: 1 + rest.len() };
            }
            CallState::Instances(instances) => match instances.as_slice() {
                [(None, child)] => (*child, 0),
                _ => {
                    let Some(key) = self.instance_key(rest.first(), scope) else {
                        return failed(format!(
                            "a reference to `{address}` must name one of its instances"
                        ));
                    };
                    match instances.iter().find(|(candidate, _)| candidate.as_ref() == Some(&key)) {
                        Some((_, child)) => (*child, 1),
                        None => {
                            return failed(format!("`{address}` has no instance {}", key.render()));
                        }
                    }
                }
            },
        };
        match rest.get(consumed) {
            Some(TraversalOperator::GetAttr(output)) => Lookup {
                resolved: (*self.output(child, output.as_str())).clone(),
                consumed: 1 + consumed + 1,
            },
            _ => failed(format!("a reference to `{address}` must name one of its outputs")),
        }
    }

    /// The instance key an index operator names, when it is known.
    pub(super) fn instance_key(
        &self,
        operator: Option<&TraversalOperator>,
        scope: &Scope,
    ) -> Option<InstanceKey> {
        match operator? {
            TraversalOperator::LegacyIndex(index) => {
                usize::try_from(*index).ok().map(InstanceKey::Index)
            }
            TraversalOperator::Index(expr) => {
                InstanceKey::from_value(&self.resolve(expr, scope).value.ok()?)
            }
            _ => None,
        }
    }

    /// `path.module`, `path.root` or `path.cwd` of instance `id`.
    pub(super) fn path_value(&self, id: usize, name: &str) -> Value {
        let dir = match name {
            "module" => self.config(id).map(|config| config.dir.clone()),
            "root" => self.tree.configs.first().map(|config| config.dir.clone()),
            _ => None,
        };
        Value::from(dir.map_or_else(|| ".".to_owned(), |dir| dir.display().to_string()))
    }

    /// True when instance `id` declares a managed resource of type `resource_type`.
    pub(super) fn declares_resource(&self, id: usize, resource_type: &str) -> bool {
        self.config(id).is_some_and(|config| {
            config.resources.iter().any(|resource| {
                resource.mode == crate::Mode::Managed && resource.resource_type == resource_type
            })
        })
    }
}

/// A value being computed, or computed.
enum Memo<T> {
    Pending,
    Ready(Rc<T>),
}

fn cycle() -> Resolved {
    Resolved::gap(Gap::failed("the value depends on itself"))
}

/// Returns the value kept for `key`, computing it first when there is none. A value asked
/// for while it is being computed is a cycle, answered by `on_cycle`.
fn memo<K, Q, T>(
    cell: &RefCell<HashMap<K, Memo<T>>>,
    key: &Q,
    on_cycle: impl FnOnce() -> T,
    compute: impl FnOnce() -> T,
) -> Rc<T>
where
    K: Eq + Hash + std::borrow::Borrow<Q>,
    Q: Eq + Hash + ToOwned<Owned = K> + ?Sized,
{
    {
        let mut map = cell.borrow_mut();
        match map.get(key) {
            Some(Memo::Ready(value)) => return Rc::clone(value),
            Some(Memo::Pending) => return Rc::new(on_cycle()),
            None => {
                map.insert(key.to_owned(), Memo::Pending);
            }
        }
    }
    let value = Rc::new(compute());
    cell.borrow_mut().insert(key.to_owned(), Memo::Ready(Rc::clone(&value)));
    value
}

/// The instances an argument's value describes, each with its key and scope.
type KeysOf = fn(&Value, &Scope) -> Result<Vec<(InstanceKey, Scope)>, String>;

/// The instances of `count = value`.
fn count_keys(value: &Value, scope: &Scope) -> Result<Vec<(InstanceKey, Scope)>, String> {
    let count = match value {
        Value::Number(number) => number.as_u64().and_then(|count| usize::try_from(count).ok()),
        _ => None,
    };
    let count = match count {
        Some(count) if count <= MAX_INSTANCES => count,
        Some(_) => return Err(format!("`count` is larger than {MAX_INSTANCES}")),
        None => return Err(format!("`count` must be a whole number, found `{}`", describe(value))),
    };
    Ok((0..count)
        .map(|index| {
            (InstanceKey::Index(index), Scope { count: Some(Value::from(index)), ..scope.clone() })
        })
        .collect())
}

/// The instances of `for_each = value`: a map, or a set of strings, in key order.
fn for_each_keys(value: &Value, scope: &Scope) -> Result<Vec<(InstanceKey, Scope)>, String> {
    let mut entries: Vec<(String, Value)> = match value {
        Value::Object(map) => map.iter().map(|(key, value)| (key.clone(), value.clone())).collect(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(key) => Ok((key.clone(), item.clone())),
                other => {
                    Err(format!("`for_each` over a set needs strings, found `{}`", describe(other)))
                }
            })
            .collect::<Result<_, _>>()?,
        other => {
            return Err(format!(
                "`for_each` must be a map or a set of strings, found `{}`",
                describe(other)
            ));
        }
    };
    entries.sort_by(|left, right| left.0.cmp(&right.0));
    entries.dedup_by(|left, right| left.0 == right.0);
    if entries.len() > MAX_INSTANCES {
        return Err(format!("`for_each` has more than {MAX_INSTANCES} elements"));
    }
    Ok(entries
        .into_iter()
        .map(|(key, value)| {
            let each = Some((Value::from(key.clone()), value));
            (InstanceKey::Key(key), Scope { each, ..scope.clone() })
        })
        .collect())
}

/// An object value from entries.
pub(super) fn object(entries: impl IntoIterator<Item = (String, Value)>) -> Value {
    Value::Object(entries.into_iter().collect::<Map<_, _>>())
}
