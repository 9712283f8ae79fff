//! Static evaluation of expressions.
//!
//! An expression is first prepared: every reference it makes (`var.x`, `local.y`,
//! `each.key`, `aws_kms_key.k.arn`, `module.m.out`) is looked up, and replaced by its value
//! when that is known, or else by a call to a sentinel function that no context declares.
//! Conditionals whose condition is known are reduced to their branch, `try` and `can` are
//! decided, and arithmetic is routed through the checked functions of
//! [`super::functions`]. The prepared expression is then evaluated by `hcl-rs` with only
//! functions in its context. When evaluation reaches a sentinel, the value is unknown for
//! the reason the sentinel records; a sentinel in a branch that is never taken does no
//! harm, which keeps Terraform's laziness.

use hcl::eval::{ErrorKind, Evaluate};
use hcl::expr::{
    BinaryOp, Conditional, ForExpr, FuncCall, Heredoc, Operation, TemplateExpr, Traversal,
    TraversalOperator, UnaryOp,
};
use hcl::template::{Directive, Element, Template};
use hcl::{Expression, Identifier, Map, ObjectKey, Value};

use super::functions::ARITHMETIC;
use super::instance::Evaluator;
use super::value::{as_text, describe};

/// The prefix of sentinel function names.
const SENTINEL: &str = "terrane_unknown_";

/// Why a value cannot be known statically.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Gap {
    /// An attribute of a managed resource that its configuration does not set: the
    /// provider computes it during apply.
    AfterApply { address: String },
    /// An attribute of a data source, which Terraform reads during plan.
    DataSource { address: String },
    /// A variable that has neither a value nor a default.
    NoValue { variable: String },
    /// An output of a module that is not on local disk.
    RemoteModule { call: String },
    /// `count.index`, `each.key` or `each.value` of a resource or module call whose
    /// `count` or `for_each` is itself unknown, or a resource with such an argument.
    Unexpanded { name: String },
    /// The expression cannot be evaluated: an unsupported function, a type error, a
    /// reference to something that does not exist.
    Failed { message: String },
}

impl Gap {
    pub(super) fn failed(message: impl Into<String>) -> Gap {
        Gap::Failed { message: message.into() }
    }

    /// A one-clause explanation for the attribute at `path`.
    pub(super) fn describe(&self, path: &str) -> String {
        match self {
            Gap::AfterApply { address } => {
                format!("`{path}` depends on `{address}`, which is known only after apply")
            }
            Gap::DataSource { address } => format!("`{path}` depends on data source `{address}`"),
            Gap::NoValue { variable } => {
                format!("`{path}` depends on variable `{variable}`, which has no value")
            }
            Gap::RemoteModule { call } => {
                format!("`{path}` depends on an output of remote module `{call}`")
            }
            Gap::Unexpanded { name } => {
                format!("`{path}` depends on `{name}`, whose value is unknown")
            }
            Gap::Failed { message } => format!("`{path}` cannot be evaluated: {message}"),
        }
    }
}

/// The key of one instance of a resource or module call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum InstanceKey {
    /// `count` instances: `[0]`.
    Index(usize),
    /// `for_each` instances: `["key"]`.
    Key(String),
}

impl InstanceKey {
    /// The key as written in an address: `[0]` or `["key"]`.
    pub(super) fn render(&self) -> String {
        match self {
            InstanceKey::Index(index) => format!("[{index}]"),
            InstanceKey::Key(key) => format!("[{}]", serde_json::Value::String(key.clone())),
        }
    }

    /// The key of a known index value, as an index expression evaluates to.
    pub(super) fn from_value(value: &Value) -> Option<InstanceKey> {
        match value {
            Value::Number(number) => number
                .as_u64()
                .and_then(|index| usize::try_from(index).ok())
                .map(InstanceKey::Index),
            Value::String(key) => Some(InstanceKey::Key(key.clone())),
            _ => None,
        }
    }
}

/// A resource that a value was derived from.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Target {
    /// The module instance that declares it.
    pub(super) instance: usize,
    /// Its index among the resources of that module's configuration.
    pub(super) resource: usize,
    /// The instance it names, when the reference says.
    pub(super) key: Option<InstanceKey>,
}

/// The result of evaluating an expression.
#[derive(Debug, Clone)]
pub(super) struct Resolved {
    /// The value, or why it is not known.
    pub(super) value: Result<Value, Gap>,
    /// The resources the value was derived from, along the branches actually taken.
    pub(super) references: Vec<Target>,
    /// True when the value is unknown only because the expression is a plain reference to
    /// a resource attribute known after apply, which a plan would show the same way.
    pub(super) pure: bool,
}

impl Resolved {
    pub(super) fn known(value: Value) -> Resolved {
        Resolved { value: Ok(value), references: Vec::new(), pure: false }
    }

    pub(super) fn gap(gap: Gap) -> Resolved {
        Resolved { value: Err(gap), references: Vec::new(), pure: false }
    }
}

/// What names mean where an expression is evaluated.
#[derive(Debug, Clone, Default)]
pub(super) struct Scope {
    /// The module instance whose variables, locals and resources names refer to.
    pub(super) instance: usize,
    /// `each.key` and `each.value`.
    pub(super) each: Option<(Value, Value)>,
    /// `count.index`.
    pub(super) count: Option<Value>,
    /// True for the one instance that stands for a resource or module call whose `count`
    /// or `for_each` is unknown: `each` and `count` are unknown there.
    pub(super) unexpanded: bool,
    /// Further names with known values: iterators of dynamic blocks, variables of
    /// expanded `for` expressions.
    pub(super) bindings: Vec<(String, Value)>,
}

impl Scope {
    pub(super) fn module(instance: usize) -> Scope {
        Scope { instance, ..Scope::default() }
    }

    pub(super) fn with_binding(&self, name: &str, value: Value) -> Scope {
        let mut scope = self.clone();
        scope.bindings.push((name.to_owned(), value));
        scope
    }

    fn binding(&self, name: &str) -> Option<&Value> {
        self.bindings.iter().rev().find(|(bound, _)| bound == name).map(|(_, value)| value)
    }
}

/// The outcome of looking up a reference: its replacement and how many traversal
/// operators it consumed.
pub(super) struct Lookup {
    pub(super) resolved: Resolved,
    pub(super) consumed: usize,
}

/// The state of one preparation: sentinels handed out and resources referenced.
#[derive(Default)]
struct Prep {
    sentinels: Vec<(Gap, bool)>,
    references: Vec<Target>,
}

impl Prep {
    fn sentinel(&mut self, gap: Gap, pure: bool) -> Expression {
        let name = format!("{SENTINEL}{}", self.sentinels.len());
        self.sentinels.push((gap, pure));
        Expression::FuncCall(Box::new(FuncCall::new(Identifier::unchecked(name))))
    }

    /// Stands in for a value resolved elsewhere: its value when known, else a sentinel.
    fn adopt(&mut self, resolved: Resolved) -> Expression {
        self.references.extend(resolved.references);
        match resolved.value {
            Ok(value) => Expression::from(value),
            Err(gap) => self.sentinel(gap, resolved.pure),
        }
    }
}

impl Evaluator<'_> {
    /// Evaluates `expr` in `scope`.
    pub(super) fn resolve(&self, expr: &Expression, scope: &Scope) -> Resolved {
        self.nested(|| self.resolve_here(expr, scope))
    }

    fn resolve_here(&self, expr: &Expression, scope: &Scope) -> Resolved {
        let mut prep = Prep::default();
        let mut bound = Vec::new();
        let prepared = self.prepare(expr, scope, &mut bound, &mut prep);

        let value = match prepared.evaluate(&self.functions) {
            Ok(value) => Ok(value),
            Err(error) => Err(match error.kind() {
                ErrorKind::UndefinedFunc(name) => sentinel_index(&name.to_string())
                    .and_then(|index| prep.sentinels.get(index))
                    .map(|(gap, _)| gap.clone())
                    .unwrap_or_else(|| Gap::failed(error.kind().to_string())),
                kind => Gap::failed(kind.to_string()),
            }),
        };
        let pure = value.is_err() && is_pure_sentinel(&prepared, &prep);
        Resolved { value, references: prep.references, pure }
    }

    fn prepare(
        &self,
        expr: &Expression,
        scope: &Scope,
        bound: &mut Vec<String>,
        prep: &mut Prep,
    ) -> Expression {
        match expr {
            Expression::Array(items) => Expression::Array(
                items.iter().map(|item| self.prepare(item, scope, bound, prep)).collect(),
            ),
            Expression::Object(object) => Expression::Object(
                object
                    .iter()
                    .map(|(key, value)| {
                        let key = match key {
                            ObjectKey::Expression(key) => {
                                ObjectKey::Expression(self.prepare(key, scope, bound, prep))
                            }
                            other => other.clone(),
                        };
                        (key, self.prepare(value, scope, bound, prep))
                    })
                    .collect(),
            ),
            Expression::TemplateExpr(template) => {
                self.prepare_template(template, scope, bound, prep)
            }
            Expression::Variable(name) => {
                self.prepare_reference(name.as_str(), &[], scope, bound, prep)
            }
            Expression::Traversal(traversal) => {
                self.prepare_traversal(traversal, scope, bound, prep)
            }
            Expression::FuncCall(call) => self.prepare_call(call, scope, bound, prep),
            Expression::Parenthesis(inner) => {
                Expression::Parenthesis(Box::new(self.prepare(inner, scope, bound, prep)))
            }
            Expression::Conditional(conditional) => {
                self.prepare_conditional(conditional, scope, bound, prep)
            }
            Expression::Operation(operation) => {
                self.prepare_operation(operation, scope, bound, prep)
            }
            Expression::ForExpr(for_expr) => self.prepare_for(for_expr, scope, bound, prep),
            other => other.clone(),
        }
    }

    fn prepare_traversal(
        &self,
        traversal: &Traversal,
        scope: &Scope,
        bound: &mut Vec<String>,
        prep: &mut Prep,
    ) -> Expression {
        if let Expression::Variable(root) = &traversal.expr {
            return self.prepare_reference(root.as_str(), &traversal.operators, scope, bound, prep);
        }
        let inner = self.prepare(&traversal.expr, scope, bound, prep);
        self.with_operators(inner, &traversal.operators, scope, bound, prep)
    }

    fn with_operators(
        &self,
        expr: Expression,
        operators: &[TraversalOperator],
        scope: &Scope,
        bound: &mut Vec<String>,
        prep: &mut Prep,
    ) -> Expression {
        if operators.is_empty() {
            return expr;
        }
        let operators = operators
            .iter()
            .map(|operator| match operator {
                TraversalOperator::Index(index) => {
                    TraversalOperator::Index(self.prepare(index, scope, bound, prep))
                }
                other => other.clone(),
            })
            .collect();
        Expression::Traversal(Box::new(Traversal { expr, operators }))
    }

    fn prepare_reference(
        &self,
        root: &str,
        operators: &[TraversalOperator],
        scope: &Scope,
        bound: &mut Vec<String>,
        prep: &mut Prep,
    ) -> Expression {
        if bound.iter().any(|name| name == root) {
            let variable = Expression::Variable(hcl::expr::Variable::unchecked(root));
            return self.with_operators(variable, operators, scope, bound, prep);
        }
        let lookup = match scope.binding(root) {
            Some(value) => Lookup { resolved: Resolved::known(value.clone()), consumed: 0 },
            None => self.lookup(root, operators, scope),
        };
        let replacement = prep.adopt(lookup.resolved);
        let rest = operators.get(lookup.consumed..).unwrap_or_default();
        self.with_operators(replacement, rest, scope, bound, prep)
    }

    /// Looks up the reference `root` followed by `operators`, which is not bound by the
    /// expression itself.
    fn lookup(&self, root: &str, operators: &[TraversalOperator], scope: &Scope) -> Lookup {
        let attribute = match operators.first() {
            Some(TraversalOperator::GetAttr(name)) => Some(name.as_str()),
            _ => None,
        };
        let one = |resolved: Resolved| Lookup { resolved, consumed: 1 };
        match (root, attribute) {
            ("var", Some(name)) => one((*self.variable(scope.instance, name)).clone()),
            ("local", Some(name)) => one((*self.local(scope.instance, name)).clone()),
            ("each", Some(name @ ("key" | "value"))) => {
                one(match (&scope.each, scope.unexpanded) {
                    (Some((key, _)), _) if name == "key" => Resolved::known(key.clone()),
                    (Some((_, value)), _) => Resolved::known(value.clone()),
                    (None, true) => Resolved::gap(Gap::Unexpanded { name: format!("each.{name}") }),
                    (None, false) => {
                        Resolved::gap(Gap::failed("`each` is only available with `for_each`"))
                    }
                })
            }
            ("count", Some("index")) => one(match (&scope.count, scope.unexpanded) {
                (Some(index), _) => Resolved::known(index.clone()),
                (None, true) => Resolved::gap(Gap::Unexpanded { name: "count.index".to_owned() }),
                (None, false) => {
                    Resolved::gap(Gap::failed("`count.index` is only available with `count`"))
                }
            }),
            ("path", Some(name @ ("module" | "root" | "cwd"))) => {
                one(Resolved::known(self.path_value(scope.instance, name)))
            }
            ("terraform", Some("workspace")) => one(Resolved::known(Value::from("default"))),
            ("module", Some(call)) => {
                self.module_output(scope, call, operators.get(1..).unwrap_or_default())
            }
            ("data", Some(resource_type)) => self.resource_reference(
                scope,
                crate::Mode::Data,
                resource_type,
                operators.get(1..).unwrap_or_default(),
                1,
            ),
            (resource_type, Some(_)) if self.declares_resource(scope.instance, resource_type) => {
                self.resource_reference(scope, crate::Mode::Managed, resource_type, operators, 0)
            }
            _ => Lookup {
                resolved: Resolved::gap(Gap::failed(format!("unknown name `{root}`"))),
                consumed: 0,
            },
        }
    }

    fn prepare_call(
        &self,
        call: &FuncCall,
        scope: &Scope,
        bound: &mut Vec<String>,
        prep: &mut Prep,
    ) -> Expression {
        let special =
            call.name.namespace.is_empty() && matches!(call.name.name.as_str(), "try" | "can");
        if special && !call.args.iter().any(|arg| mentions(arg, bound)) {
            let resolved = self.decide_try(call, scope);
            return prep.adopt(resolved);
        }
        let mut prepared = (*call).clone();
        prepared.args = call.args.iter().map(|arg| self.prepare(arg, scope, bound, prep)).collect();
        Expression::FuncCall(Box::new(prepared))
    }

    /// Evaluates `try(...)` or `can(...)`: the first argument that evaluates wins; an
    /// argument that is unknown makes the whole call unknown, as in Terraform.
    fn decide_try(&self, call: &FuncCall, scope: &Scope) -> Resolved {
        let is_can = call.name.name.as_str() == "can";
        let mut references = Vec::new();
        for arg in &call.args {
            let resolved = self.resolve(arg, scope);
            references.extend(resolved.references);
            let value = match resolved.value {
                Ok(_) if is_can => Ok(Value::Bool(true)),
                Ok(value) => Ok(value),
                Err(Gap::Failed { .. }) if is_can => Ok(Value::Bool(false)),
                Err(Gap::Failed { .. }) => continue,
                Err(gap) => Err(gap),
            };
            return Resolved { value, references, pure: false };
        }
        let message = if call.args.is_empty() {
            "`try` needs an argument"
        } else {
            "no argument of `try` could be evaluated"
        };
        Resolved { value: Err(Gap::failed(message)), references, pure: false }
    }

    fn prepare_conditional(
        &self,
        conditional: &Conditional,
        scope: &Scope,
        bound: &mut Vec<String>,
        prep: &mut Prep,
    ) -> Expression {
        if mentions(&conditional.cond_expr, bound) {
            return Expression::Conditional(Box::new(Conditional {
                cond_expr: self.prepare(&conditional.cond_expr, scope, bound, prep),
                true_expr: self.prepare(&conditional.true_expr, scope, bound, prep),
                false_expr: self.prepare(&conditional.false_expr, scope, bound, prep),
            }));
        }
        let condition = self.resolve(&conditional.cond_expr, scope);
        prep.references.extend(condition.references);
        match condition.value {
            Ok(Value::Bool(true)) => self.prepare(&conditional.true_expr, scope, bound, prep),
            Ok(Value::Bool(false)) => self.prepare(&conditional.false_expr, scope, bound, prep),
            Ok(other) => prep.sentinel(
                Gap::failed(format!("the condition `{}` is not a boolean", describe(&other))),
                false,
            ),
            Err(gap) => {
                // Both branches may be taken once the condition is known: keep what they
                // reference.
                let _ = self.prepare(&conditional.true_expr, scope, bound, prep);
                let _ = self.prepare(&conditional.false_expr, scope, bound, prep);
                prep.sentinel(gap, false)
            }
        }
    }

    fn prepare_operation(
        &self,
        operation: &Operation,
        scope: &Scope,
        bound: &mut Vec<String>,
        prep: &mut Prep,
    ) -> Expression {
        match operation {
            Operation::Unary(unary) => Expression::Operation(Box::new(Operation::Unary(UnaryOp {
                operator: unary.operator,
                expr: self.prepare(&unary.expr, scope, bound, prep),
            }))),
            Operation::Binary(binary) => {
                let lhs_expr = self.prepare(&binary.lhs_expr, scope, bound, prep);
                let rhs_expr = self.prepare(&binary.rhs_expr, scope, bound, prep);
                match ARITHMETIC.iter().find(|(operator, _)| *operator == binary.operator) {
                    Some((_, function)) => Expression::FuncCall(Box::new(
                        FuncCall::builder(Identifier::unchecked(*function))
                            .arg(lhs_expr)
                            .arg(rhs_expr)
                            .build(),
                    )),
                    None => Expression::Operation(Box::new(Operation::Binary(BinaryOp {
                        lhs_expr,
                        operator: binary.operator,
                        rhs_expr,
                    }))),
                }
            }
        }
    }

    fn prepare_for(
        &self,
        for_expr: &ForExpr,
        scope: &Scope,
        bound: &mut Vec<String>,
        prep: &mut Prep,
    ) -> Expression {
        let body_tries =
            [Some(&for_expr.value_expr), for_expr.key_expr.as_ref(), for_expr.cond_expr.as_ref()]
                .into_iter()
                .flatten()
                .any(calls_try);
        if body_tries && !mentions(&for_expr.collection_expr, bound) {
            let resolved = self.expand_for(for_expr, scope);
            return prep.adopt(resolved);
        }

        let collection_expr = self.prepare(&for_expr.collection_expr, scope, bound, prep);
        let depth = bound.len();
        bound.extend(for_expr.key_var.iter().map(|name| name.to_string()));
        bound.push(for_expr.value_var.to_string());
        let prepared = ForExpr {
            key_var: for_expr.key_var.clone(),
            value_var: for_expr.value_var.clone(),
            collection_expr,
            key_expr: for_expr.key_expr.as_ref().map(|key| self.prepare(key, scope, bound, prep)),
            value_expr: self.prepare(&for_expr.value_expr, scope, bound, prep),
            grouping: for_expr.grouping,
            cond_expr: for_expr
                .cond_expr
                .as_ref()
                .map(|cond| self.prepare(cond, scope, bound, prep)),
        };
        bound.truncate(depth);
        Expression::ForExpr(Box::new(prepared))
    }

    /// Evaluates a `for` expression element by element, so that `try` and `can` in its
    /// body can be decided with the element's values bound.
    fn expand_for(&self, for_expr: &ForExpr, scope: &Scope) -> Resolved {
        let collection = self.resolve(&for_expr.collection_expr, scope);
        let mut references = collection.references;
        let elements: Vec<(Value, Value)> = match collection.value {
            Ok(Value::Array(items)) => items
                .into_iter()
                .enumerate()
                .map(|(index, item)| (Value::from(index), item))
                .collect(),
            Ok(Value::Object(map)) => {
                map.into_iter().map(|(key, item)| (Value::from(key), item)).collect()
            }
            Ok(other) => {
                return Resolved::gap(Gap::failed(format!(
                    "cannot iterate over `{}`",
                    describe(&other)
                )));
            }
            Err(gap) => return Resolved { value: Err(gap), references, pure: false },
        };

        let mut result = ForResult::default();
        for (key, item) in elements {
            let mut element_scope = scope.with_binding(for_expr.value_var.as_str(), item);
            if let Some(key_var) = &for_expr.key_var {
                element_scope = element_scope.with_binding(key_var.as_str(), key);
            }
            if let Err(gap) =
                self.for_element(for_expr, &element_scope, &mut result, &mut references)
            {
                return Resolved { value: Err(gap), references, pure: false };
            }
        }
        let value = if for_expr.key_expr.is_some() {
            Value::Object(result.map)
        } else {
            Value::Array(result.list)
        };
        Resolved { value: Ok(value), references, pure: false }
    }

    /// Adds one element of a `for` expression, evaluated in `scope`, to `result`.
    fn for_element(
        &self,
        for_expr: &ForExpr,
        scope: &Scope,
        result: &mut ForResult,
        references: &mut Vec<Target>,
    ) -> Result<(), Gap> {
        let mut part = |expr: &Expression| {
            let resolved = self.resolve(expr, scope);
            references.extend(resolved.references);
            resolved.value
        };
        if let Some(cond) = &for_expr.cond_expr {
            match part(cond)? {
                Value::Bool(true) => {}
                Value::Bool(false) => return Ok(()),
                other => {
                    return Err(Gap::failed(format!(
                        "the condition `{}` is not a boolean",
                        describe(&other)
                    )));
                }
            }
        }
        let value = part(&for_expr.value_expr)?;
        let Some(key_expr) = &for_expr.key_expr else {
            result.list.push(value);
            return Ok(());
        };
        let key = as_text(&part(key_expr)?)
            .ok_or_else(|| Gap::failed("an object key must be a string"))?;
        insert_for_item(&mut result.map, key, value, for_expr.grouping)
    }

    fn prepare_template(
        &self,
        template: &TemplateExpr,
        scope: &Scope,
        bound: &mut Vec<String>,
        prep: &mut Prep,
    ) -> Expression {
        let parsed = match Template::from_expr(template) {
            Ok(parsed) => parsed,
            Err(error) => return prep.sentinel(Gap::failed(error.to_string()), false),
        };
        let prepared = self.prepare_elements(parsed, scope, bound, prep);
        let text = prepared.to_string();
        let rebuilt = match template {
            TemplateExpr::QuotedString(_) => TemplateExpr::QuotedString(text),
            TemplateExpr::Heredoc(heredoc) => TemplateExpr::Heredoc(Heredoc {
                delimiter: heredoc.delimiter.clone(),
                template: text,
                strip: heredoc.strip,
            }),
        };
        Expression::TemplateExpr(Box::new(rebuilt))
    }

    fn prepare_elements(
        &self,
        mut template: Template,
        scope: &Scope,
        bound: &mut Vec<String>,
        prep: &mut Prep,
    ) -> Template {
        for element in template.elements_mut() {
            match element {
                Element::Literal(_) => {}
                Element::Interpolation(interpolation) => {
                    interpolation.expr = self.prepare(&interpolation.expr, scope, bound, prep);
                }
                Element::Directive(directive) => match directive.as_mut() {
                    Directive::If(if_directive) => {
                        if_directive.cond_expr =
                            self.prepare(&if_directive.cond_expr, scope, bound, prep);
                        let true_template = std::mem::take(&mut if_directive.true_template);
                        if_directive.true_template =
                            self.prepare_elements(true_template, scope, bound, prep);
                        if let Some(false_template) = if_directive.false_template.take() {
                            if_directive.false_template =
                                Some(self.prepare_elements(false_template, scope, bound, prep));
                        }
                    }
                    Directive::For(for_directive) => {
                        for_directive.collection_expr =
                            self.prepare(&for_directive.collection_expr, scope, bound, prep);
                        let depth = bound.len();
                        bound.extend(for_directive.key_var.iter().map(|name| name.to_string()));
                        bound.push(for_directive.value_var.to_string());
                        let inner = std::mem::take(&mut for_directive.template);
                        for_directive.template = self.prepare_elements(inner, scope, bound, prep);
                        bound.truncate(depth);
                    }
                },
            }
        }
        template
    }
}

/// The elements of a `for` expression collected so far: a list, or an object when the
/// expression has a key.
#[derive(Default)]
struct ForResult {
    list: Vec<Value>,
    map: Map<String, Value>,
}

fn insert_for_item(
    map: &mut Map<String, Value>,
    key: String,
    value: Value,
    grouping: bool,
) -> Result<(), Gap> {
    if grouping {
        match map.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
            Value::Array(items) => items.push(value),
            _ => return Err(Gap::failed("a grouped key holds a non-list value")),
        }
        return Ok(());
    }
    if map.contains_key(&key) {
        return Err(Gap::failed(format!("the key `{key}` is produced twice")));
    }
    map.insert(key, value);
    Ok(())
}

fn sentinel_index(name: &str) -> Option<usize> {
    name.strip_prefix(SENTINEL)?.parse().ok()
}

/// True when `prepared` is nothing but one pure sentinel: a plain reference to a value
/// known after apply.
fn is_pure_sentinel(prepared: &Expression, prep: &Prep) -> bool {
    let mut expr = prepared;
    loop {
        match expr {
            Expression::Parenthesis(inner) => expr = inner,
            Expression::TemplateExpr(template) => {
                let Ok(parsed) = Template::from_expr(template) else {
                    return false;
                };
                return match parsed.elements() {
                    [Element::Interpolation(interpolation)] => {
                        is_pure_sentinel(&interpolation.expr, prep)
                    }
                    _ => false,
                };
            }
            Expression::FuncCall(call) if call.args.is_empty() => {
                return sentinel_index(&call.name.to_string())
                    .and_then(|index| prep.sentinels.get(index))
                    .is_some_and(|(_, pure)| *pure);
            }
            _ => return false,
        }
    }
}

/// True when `expr` names any of `names` as a root.
fn mentions(expr: &Expression, names: &[String]) -> bool {
    if names.is_empty() {
        return false;
    }
    let mut found = false;
    visit(expr, &mut |inner| {
        let root = match inner {
            Expression::Variable(name) => Some(name.as_str()),
            Expression::Traversal(traversal) => match &traversal.expr {
                Expression::Variable(name) => Some(name.as_str()),
                _ => None,
            },
            _ => None,
        };
        found |= root.is_some_and(|root| names.iter().any(|name| name == root));
    });
    found
}

/// True when `expr` calls `try` or `can`.
fn calls_try(expr: &Expression) -> bool {
    let mut found = false;
    visit(expr, &mut |inner| {
        if let Expression::FuncCall(call) = inner {
            found |=
                call.name.namespace.is_empty() && matches!(call.name.name.as_str(), "try" | "can");
        }
    });
    found
}

/// Calls `visitor` on `expr` and every expression nested in it, templates included.
fn visit(expr: &Expression, visitor: &mut dyn FnMut(&Expression)) {
    visitor(expr);
    match expr {
        Expression::Array(items) => items.iter().for_each(|item| visit(item, visitor)),
        Expression::Object(object) => {
            for (key, value) in object {
                if let ObjectKey::Expression(key) = key {
                    visit(key, visitor);
                }
                visit(value, visitor);
            }
        }
        Expression::TemplateExpr(template) => {
            if let Ok(parsed) = Template::from_expr(template) {
                visit_template(&parsed, visitor);
            }
        }
        Expression::Traversal(traversal) => {
            visit(&traversal.expr, visitor);
            for operator in &traversal.operators {
                if let TraversalOperator::Index(index) = operator {
                    visit(index, visitor);
                }
            }
        }
        Expression::FuncCall(call) => call.args.iter().for_each(|arg| visit(arg, visitor)),
        Expression::Parenthesis(inner) => visit(inner, visitor),
        Expression::Conditional(conditional) => {
            visit(&conditional.cond_expr, visitor);
            visit(&conditional.true_expr, visitor);
            visit(&conditional.false_expr, visitor);
        }
        Expression::Operation(operation) => match operation.as_ref() {
            Operation::Unary(unary) => visit(&unary.expr, visitor),
            Operation::Binary(binary) => {
                visit(&binary.lhs_expr, visitor);
                visit(&binary.rhs_expr, visitor);
            }
        },
        Expression::ForExpr(for_expr) => {
            visit(&for_expr.collection_expr, visitor);
            for_expr.key_expr.iter().for_each(|key| visit(key, visitor));
            visit(&for_expr.value_expr, visitor);
            for_expr.cond_expr.iter().for_each(|cond| visit(cond, visitor));
        }
        _ => {}
    }
}

fn visit_template(template: &Template, visitor: &mut dyn FnMut(&Expression)) {
    for element in template.elements() {
        match element {
            Element::Literal(_) => {}
            Element::Interpolation(interpolation) => visit(&interpolation.expr, visitor),
            Element::Directive(directive) => match directive.as_ref() {
                Directive::If(if_directive) => {
                    visit(&if_directive.cond_expr, visitor);
                    visit_template(&if_directive.true_template, visitor);
                    if let Some(false_template) = &if_directive.false_template {
                        visit_template(false_template, visitor);
                    }
                }
                Directive::For(for_directive) => {
                    visit(&for_directive.collection_expr, visitor);
                    visit_template(&for_directive.template, visitor);
                }
            },
        }
    }
}
