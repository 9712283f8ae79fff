//! Users' own policies, evaluated the way conftest evaluates them: `deny`, `violation`
//! and `warn` rules (and their `deny_*`, `violation_*`, `warn_*` variants) in the chosen
//! packages, over the raw input document, with the normalised estate at
//! `data.terrane.estate`.

use std::collections::BTreeMap;
use std::str::FromStr;

use regorus::Value;

use crate::builtins;
use crate::locate::CatalogHandle;
use crate::source::{self, LoadedModule};
use crate::value::object;
use crate::{FindingKind, PolicyError, PolicySource, RuleMeta, Severity};

/// Which packages of user policies are evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Namespaces {
    /// Only these packages (conftest's `--namespace`); `main` by default.
    Only(Vec<String>),
    /// Every package (conftest's `--all-namespaces`).
    All,
}

impl Default for Namespaces {
    fn default() -> Namespaces {
        Namespaces::Only(vec!["main".to_owned()])
    }
}

impl Namespaces {
    fn includes(&self, package: &str) -> bool {
        match self {
            Namespaces::Only(packages) => packages.iter().any(|wanted| wanted == package),
            Namespaces::All => true,
        }
    }
}

/// A result of a user rule, before it is tied to a resource.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UserResult {
    /// `<package>.<rule>`.
    pub(crate) rule_id: String,
    /// Violation for `deny` and `violation`, warning for `warn`.
    pub(crate) kind: FindingKind,
    /// The rule's default severity, or the result's `severity` field.
    pub(crate) severity: Severity,
    /// The result's `msg`.
    pub(crate) message: String,
    /// The result's `address` field, when it names a resource.
    pub(crate) address: Option<String>,
}

/// User policies compiled into their own engine.
#[derive(Debug, Clone)]
pub(crate) struct UserPolicies {
    engine: regorus::Engine,
    rules: Vec<UserRule>,
}

#[derive(Debug, Clone)]
struct UserRule {
    package: Vec<String>,
    name: String,
    id: String,
    kind: FindingKind,
}

impl UserRule {
    fn default_severity(&self) -> Severity {
        match self.kind {
            FindingKind::Warning => Severity::Low,
            FindingKind::Violation | FindingKind::Undecided => Severity::High,
        }
    }
}

impl UserPolicies {
    /// Compiles `sources` with `data` (the object under `data.terrane`) and finds the
    /// rules of the selected packages.
    pub(crate) fn new(
        catalog: &CatalogHandle,
        sources: &[PolicySource],
        namespaces: &Namespaces,
        data: &Value,
    ) -> Result<UserPolicies, PolicyError> {
        let mut engine = regorus::Engine::new();
        // As in OPA and conftest, a builtin error makes its expression undefined in user
        // policies; the pack keeps strict errors so that its mistakes fail loudly.
        engine.set_strict_builtin_errors(false);
        builtins::register(&mut engine, catalog)?;
        let modules = source::add_sources(&mut engine, sources)?;
        add_data(&mut engine, data)?;
        source::check(&mut engine)?;

        let mut rules: Vec<UserRule> = Vec::new();
        for (module, source) in modules.iter().zip(sources) {
            if namespaces.includes(&module.package_name()) {
                rules.extend(discover(&engine, module, &source.text));
            }
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        rules.dedup_by(|a, b| a.id == b.id);
        Ok(UserPolicies { engine, rules })
    }

    /// The metadata of every rule found, for reports.
    pub(crate) fn rules(&self) -> Vec<RuleMeta> {
        self.rules
            .iter()
            .map(|rule| RuleMeta {
                id: rule.id.clone(),
                title: rule.id.clone(),
                severity: rule.default_severity(),
                description: format!("User policy rule `{}`.", rule.id),
                remediation: "See the message of the finding.".to_owned(),
                resource_types: vec!["*".to_owned()],
                controls: Vec::new(),
                modes: ["plan", "state", "hcl", "live"].map(str::to_owned).to_vec(),
            })
            .collect()
    }

    /// Evaluates every rule with `document` as `input` and `estate` at
    /// `data.terrane.estate`.
    pub(crate) fn evaluate(
        &self,
        estate: &Value,
        document: Value,
    ) -> Result<Vec<UserResult>, PolicyError> {
        let mut engine = self.engine.clone();
        add_data(&mut engine, &object([("estate", estate.clone())]))?;
        engine.set_input(document);

        let mut results = Vec::new();
        for rule in &self.rules {
            let value =
                source::query_value(&mut engine, source::rule_path(&rule.package, &rule.name))?;
            collect_results(rule, &value, &mut results)?;
        }
        Ok(results)
    }
}

/// Merges `data` under `data.terrane`.
pub(crate) fn add_data(engine: &mut regorus::Engine, data: &Value) -> Result<(), PolicyError> {
    engine
        .add_data(object([("terrane", data.clone())]))
        .map_err(|error| PolicyError::Data { message: source::one_line(&error.to_string()) })
}

fn discover(engine: &regorus::Engine, module: &LoadedModule, text: &str) -> Vec<UserRule> {
    source::declared_rules(engine, module, text, |name| rule_kind(name).is_some())
        .into_iter()
        .filter_map(|name| {
            let kind = rule_kind(&name)?;
            let id = format!("{}.{name}", module.package_name());
            Some(UserRule { package: module.package.clone(), name, id, kind })
        })
        .collect()
}

/// The kind of finding a conftest rule name produces, if it is one.
fn rule_kind(name: &str) -> Option<FindingKind> {
    let prefix = name.split_once('_').map_or(name, |(prefix, _)| prefix);
    match prefix {
        "deny" | "violation" => Some(FindingKind::Violation),
        "warn" => Some(FindingKind::Warning),
        _ => None,
    }
}

fn collect_results(
    rule: &UserRule,
    value: &Value,
    results: &mut Vec<UserResult>,
) -> Result<(), PolicyError> {
    let items: Vec<&Value> = match value {
        Value::Undefined | Value::Bool(false) | Value::Null => return Ok(()),
        Value::Set(items) => items.iter().collect(),
        Value::Array(items) => items.iter().collect(),
        single => vec![single],
    };
    for item in items {
        results.push(result(rule, item)?);
    }
    Ok(())
}

fn result(rule: &UserRule, item: &Value) -> Result<UserResult, PolicyError> {
    let malformed =
        |message: String| PolicyError::MalformedResult { rule: rule.id.clone(), message };
    let mut result = UserResult {
        rule_id: rule.id.clone(),
        kind: rule.kind,
        severity: rule.default_severity(),
        message: String::new(),
        address: None,
    };
    match item {
        Value::String(message) => result.message = message.to_string(),
        Value::Bool(true) => result.message = format!("`{}` is true", rule.id),
        Value::Object(fields) => {
            let field = |key: &str| fields.get(&Value::from(key));
            let Some(Value::String(message)) = field("msg") else {
                return Err(malformed(format!("object result {item} has no string `msg`")));
            };
            result.message = message.to_string();
            if let Some(severity) = field("severity") {
                let name = severity.as_string().map(|name| name.to_string()).unwrap_or_default();
                result.severity = Severity::from_str(&name)
                    .map_err(|error| malformed(format!("`severity` {severity}: {error}")))?;
            }
            result.address = match field("address") {
                Some(Value::String(address)) => Some(address.to_string()),
                _ => None,
            };
        }
        other => return Err(malformed(format!("{other} is neither a string nor an object"))),
    }
    Ok(result)
}

/// Merges the external data documents into one object, refusing the keys the engine
/// owns.
pub(crate) fn merge_data(documents: &[serde_json::Value]) -> Result<Value, PolicyError> {
    let mut merged: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for document in documents {
        let Some(fields) = document.as_object() else {
            return Err(PolicyError::Data {
                message: "a data document is not a JSON object".to_owned(),
            });
        };
        for (key, value) in fields {
            if RESERVED_DATA_KEYS.contains(&key.as_str()) {
                return Err(PolicyError::Data {
                    message: format!("`data.terrane.{key}` is reserved for the engine"),
                });
            }
            if merged.insert(key.clone(), value.clone()).is_some() {
                return Err(PolicyError::Data {
                    message: format!("`data.terrane.{key}` is given more than once"),
                });
            }
        }
    }
    let mut interner = crate::value::Interner::default();
    Ok(interner.json_object(&merged.into_iter().collect()))
}

/// Keys under `data.terrane` that hold the estate or the pack's packages.
const RESERVED_DATA_KEYS: [&str; 4] = ["estate", "lib", "pack", "testing"];
