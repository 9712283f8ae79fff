//! Evaluation of an estate: the built-in pack over the normalised input, users' policies
//! over the raw document, and the readers' diagnostics, all turned into findings.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasherDefault;
use std::num::NonZeroUsize;

use regorus::Value;
use terrane_catalog::Jurisdiction;
use terrane_estate::{Diagnostic, Estate, Resource};

use crate::input::{self, EstateInput};
use crate::locate::CatalogHandle;
use crate::pack::{self, CompiledPack, DenyPackage, NOT_EVALUATED_RULE_ID};
use crate::user::{self, Namespaces, UserPolicies, UserResult};
use crate::value::{Interner, WordHasher};
use crate::{Finding, FindingKind, PolicyError, PolicySource, RuleMeta, Severity, source};

/// The findings of one estate with the metadata of every rule that could report.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The findings, ordered by resource (in estate order, findings on no resource last),
    /// then rule id and message.
    pub findings: Vec<Finding>,
    /// The metadata of every rule, by id.
    pub rules: BTreeMap<String, RuleMeta>,
}

/// Evaluates estates against the built-in pack and user policies for one jurisdiction.
///
/// Building it compiles every policy and validates the pack's metadata once; each
/// [`Evaluator::evaluate`] call then only builds the input and runs the rules. The pack's
/// packages are shared out between threads, each with its own copy of the engine; every
/// package sees the whole estate.
///
/// # Examples
///
/// ```
/// use terrane_catalog::Catalog;
/// use terrane_estate::{Estate, InputKind};
/// use terrane_policy::{Evaluator, PolicySource};
///
/// let policy = PolicySource::new(
///     "policy/main.rego",
///     "package main\nimport rego.v1\nwarn contains \"empty estate\" if count(data.terrane.estate.resources) == 0\n",
/// );
/// let evaluator = Evaluator::builder(Catalog::builtin(), "EU")
///     .without_pack()
///     .policies([policy])
///     .build()?;
/// let estate = Estate {
///     kind: InputKind::Plan,
///     origin: "plan.json".into(),
///     resources: Vec::new(),
///     diagnostics: Vec::new(),
/// };
/// let evaluation = evaluator.evaluate(&estate)?;
/// assert_eq!(evaluation.findings[0].message, "empty estate");
/// # Ok::<(), terrane_policy::PolicyError>(())
/// ```
#[derive(Clone)]
pub struct Evaluator {
    catalog: CatalogHandle,
    jurisdiction: String,
    pack: Option<CompiledPack>,
    user: Option<UserPolicies>,
    rules: BTreeMap<String, RuleMeta>,
    threads: NonZeroUsize,
}

/// Options for an [`Evaluator`], set through [`Evaluator::builder`].
#[derive(Debug, Clone)]
pub struct EvaluatorBuilder {
    catalog: CatalogHandle,
    jurisdiction: String,
    // The pack's sources, helper library included; `None` leaves the pack out.
    pack: Option<Vec<PolicySource>>,
    policies: Vec<PolicySource>,
    namespaces: Namespaces,
    data: Vec<serde_json::Value>,
    threads: NonZeroUsize,
}

impl Evaluator {
    /// Starts building an evaluator for `jurisdiction` (an id or alias the catalog knows)
    /// with the built-in pack, no user policies, the `main` namespace and two threads.
    pub fn builder(catalog: impl Into<CatalogHandle>, jurisdiction: &str) -> EvaluatorBuilder {
        EvaluatorBuilder {
            catalog: catalog.into(),
            jurisdiction: jurisdiction.to_owned(),
            pack: Some(pack::builtin_pack()),
            policies: Vec::new(),
            namespaces: Namespaces::default(),
            data: Vec::new(),
            threads: NonZeroUsize::new(2).unwrap_or(NonZeroUsize::MIN),
        }
    }

    /// The metadata of every rule that can report, by id.
    pub fn rules(&self) -> &BTreeMap<String, RuleMeta> {
        &self.rules
    }

    /// Evaluates `estate`. User policies see a null `input`; use
    /// [`Evaluator::evaluate_document`] to give them the raw document.
    ///
    /// # Errors
    ///
    /// [`PolicyError::Evaluation`] when a rule fails at run time,
    /// [`PolicyError::MalformedResult`] or [`PolicyError::UnknownRuleId`] when a rule
    /// reports something that is not a valid finding.
    pub fn evaluate(&self, estate: &Estate) -> Result<Evaluation, PolicyError> {
        self.evaluate_document(estate, &serde_json::Value::Null)
    }

    /// Evaluates `estate`, with `document` (the plan, state or HCL document as conftest
    /// would parse it) as the `input` of user policies.
    ///
    /// # Errors
    ///
    /// As for [`Evaluator::evaluate`].
    pub fn evaluate_document(
        &self,
        estate: &Estate,
        document: &serde_json::Value,
    ) -> Result<Evaluation, PolicyError> {
        let jurisdiction = self.jurisdiction()?;
        let input = input::build(&self.catalog, jurisdiction, estate, self.threads);
        let context = FindingContext::new(estate, &input);

        let mut findings: Vec<(usize, Finding)> =
            estate.diagnostics.iter().map(|diagnostic| context.not_evaluated(diagnostic)).collect();
        if let Some(pack) = &self.pack {
            for raw in evaluate_pack(pack, &input, self.threads)? {
                findings.push(self.pack_finding(&context, raw)?);
            }
        }
        if let Some(user) = &self.user {
            let document = Interner::default().json(document);
            for result in user.evaluate(&input.value, document)? {
                findings.push(context.user_finding(result));
            }
        }

        findings.sort_by(|(a_index, a), (b_index, b)| {
            (a_index, &a.rule_id, &a.message).cmp(&(b_index, &b.rule_id, &b.message))
        });
        let findings = findings.into_iter().map(|(_, finding)| finding).collect();
        Ok(Evaluation { findings, rules: self.rules.clone() })
    }

    fn jurisdiction(&self) -> Result<&Jurisdiction, PolicyError> {
        self.catalog
            .jurisdiction(&self.jurisdiction)
            .ok_or_else(|| PolicyError::UnknownJurisdiction { id: self.jurisdiction.clone() })
    }

    fn pack_finding(
        &self,
        context: &FindingContext<'_>,
        raw: PackResult,
    ) -> Result<(usize, Finding), PolicyError> {
        let Some(meta) = self.rules.get(&raw.rule_id) else {
            return Err(PolicyError::UnknownRuleId { rule: raw.rule, rule_id: raw.rule_id });
        };
        let kind = if raw.undecided { FindingKind::Undecided } else { FindingKind::Violation };
        Ok(context.finding(&raw.address, raw.rule_id, meta.severity, kind, raw.message))
    }
}

impl fmt::Debug for Evaluator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Evaluator")
            .field("jurisdiction", &self.jurisdiction)
            .field("pack", &self.pack.is_some())
            .field("user", &self.user.is_some())
            .field("rules", &self.rules.len())
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

impl EvaluatorBuilder {
    /// Leaves the built-in pack out, for runs of user policies only.
    pub fn without_pack(mut self) -> EvaluatorBuilder {
        self.pack = None;
        self
    }

    /// Replaces the built-in pack's rules with `sources`, rule files in the pack's shape
    /// (a `rules` metadata object and a `deny` rule per package under `terrane.pack`),
    /// evaluated with the pack's helper library.
    pub fn pack(mut self, sources: impl IntoIterator<Item = PolicySource>) -> EvaluatorBuilder {
        let mut pack = pack::library();
        pack.extend(sources);
        self.pack = Some(pack);
        self
    }

    /// Adds user policies.
    pub fn policies(mut self, sources: impl IntoIterator<Item = PolicySource>) -> EvaluatorBuilder {
        self.policies.extend(sources);
        self
    }

    /// Chooses the packages of user policies whose rules are evaluated.
    pub fn namespaces(mut self, namespaces: Namespaces) -> EvaluatorBuilder {
        self.namespaces = namespaces;
        self
    }

    /// Adds an external data document (a JSON object) under `data.terrane`, for the pack
    /// and user policies alike. Documents may not share top-level keys.
    pub fn data(mut self, document: serde_json::Value) -> EvaluatorBuilder {
        self.data.push(document);
        self
    }

    /// Sets how many threads evaluate the pack.
    pub fn threads(mut self, threads: NonZeroUsize) -> EvaluatorBuilder {
        self.threads = threads;
        self
    }

    /// Compiles the policies and validates the pack's metadata.
    ///
    /// # Errors
    ///
    /// [`PolicyError::UnknownJurisdiction`] when the catalog does not know the
    /// jurisdiction, [`PolicyError::Compile`] when a policy does not compile,
    /// [`PolicyError::Metadata`] when a pack rule's metadata is invalid and
    /// [`PolicyError::Data`] when external data is not an object, conflicts or uses a
    /// reserved key.
    pub fn build(self) -> Result<Evaluator, PolicyError> {
        let jurisdiction = self
            .catalog
            .jurisdiction(&self.jurisdiction)
            .map(|jurisdiction| jurisdiction.id.clone())
            .ok_or_else(|| PolicyError::UnknownJurisdiction { id: self.jurisdiction.clone() })?;
        let data = user::merge_data(&self.data)?;

        let mut rules = BTreeMap::new();
        rules.insert(NOT_EVALUATED_RULE_ID.to_owned(), pack::not_evaluated_rule());
        let pack = match &self.pack {
            Some(sources) => {
                let mut pack = CompiledPack::new(&self.catalog, sources)?;
                user::add_data(&mut pack.engine, &data)?;
                source::check(&mut pack.engine)?;
                rules.extend(
                    pack.rules.iter().map(|rule| (rule.meta.id.clone(), rule.meta.clone())),
                );
                Some(pack)
            }
            None => None,
        };
        let user = if self.policies.is_empty() {
            None
        } else {
            let user = UserPolicies::new(&self.catalog, &self.policies, &self.namespaces, &data)?;
            rules.extend(user.rules().into_iter().map(|meta| (meta.id.clone(), meta)));
            Some(user)
        };

        Ok(Evaluator {
            catalog: self.catalog,
            jurisdiction,
            pack,
            user,
            rules,
            threads: self.threads,
        })
    }
}

/// A finding object produced by a pack rule.
struct PackResult {
    rule: String,
    rule_id: String,
    address: String,
    message: String,
    undecided: bool,
}

/// Runs every `deny` rule of the pack over `input`, splitting the packages over up to
/// `threads` engines. Packages see the whole input, so rules that look at other
/// resources decide as they would in one engine.
fn evaluate_pack(
    pack: &CompiledPack,
    input: &EstateInput,
    threads: NonZeroUsize,
) -> Result<Vec<PackResult>, PolicyError> {
    let groups = balance(&pack.deny_packages, &input.type_counts, threads.get());
    let run = |group: &[&DenyPackage]| -> Result<Vec<PackResult>, PolicyError> {
        let mut engine = pack.engine.clone();
        engine.set_input(input.value.clone());
        evaluate_group(&mut engine, group)
    };

    let outcomes: Vec<Result<Vec<PackResult>, PolicyError>> = match groups.as_slice() {
        [] => Vec::new(),
        [group] => vec![run(group)],
        _ => std::thread::scope(|scope| {
            let handles: Vec<_> = groups.iter().map(|group| scope.spawn(|| run(group))).collect();
            handles
                .into_iter()
                .map(|handle| {
                    handle.join().unwrap_or_else(|_| {
                        Err(PolicyError::Evaluation {
                            path: "<pack>".into(),
                            line: 0,
                            column: 0,
                            message: "an evaluation thread stopped unexpectedly".to_owned(),
                        })
                    })
                })
                .collect()
        }),
    };

    let mut results = Vec::new();
    for outcome in outcomes {
        results.extend(outcome?);
    }
    Ok(results)
}

/// Splits packages into at most `threads` groups of similar cost, where a package costs
/// the number of resources of the types its rules inspect.
fn balance<'a>(
    packages: &'a [DenyPackage],
    type_counts: &HashMap<String, usize>,
    threads: usize,
) -> Vec<Vec<&'a DenyPackage>> {
    let total: usize = type_counts.values().sum();
    let cost = |package: &DenyPackage| -> usize {
        let types = &package.resource_types;
        let inspected = if types.contains("*") {
            total
        } else {
            types.iter().map(|t| type_counts.get(t).copied().unwrap_or_default()).sum()
        };
        // Every package costs something, even over no resources of its types.
        inspected + 1
    };
    let mut packages: Vec<(usize, &DenyPackage)> =
        packages.iter().map(|package| (cost(package), package)).collect();
    packages.sort_by_key(|(cost, _)| std::cmp::Reverse(*cost));

    let mut groups: Vec<(usize, Vec<&DenyPackage>)> = vec![(0, Vec::new()); threads.max(1)];
    for (cost, package) in packages {
        if let Some(lightest) = groups.iter_mut().min_by_key(|(load, _)| *load) {
            lightest.0 += cost;
            lightest.1.push(package);
        }
    }
    groups.into_iter().map(|(_, group)| group).filter(|group| !group.is_empty()).collect()
}

/// Evaluates the `deny` rules of `group` in one query.
fn evaluate_group(
    engine: &mut regorus::Engine,
    group: &[&DenyPackage],
) -> Result<Vec<PackResult>, PolicyError> {
    // One comprehension per package keeps the query defined when a package's `deny` is
    // not, and one line per package keeps lines under the parser's column limit.
    let paths: Vec<String> =
        group.iter().map(|package| source::rule_path(&package.package, "deny")).collect();
    let query = format!(
        "[\n{}\n]",
        paths.iter().map(|path| format!("[f | some f in {path}]")).collect::<Vec<_>>().join(",\n")
    );
    let value = source::query_value(engine, query)?;

    let mut found = Vec::new();
    let per_package = value.as_array().map(|items| items.to_vec()).unwrap_or_default();
    for (path, findings) in paths.iter().zip(per_package) {
        for item in findings.as_array().map(|items| items.to_vec()).unwrap_or_default() {
            found.push(pack_result(path, &item)?);
        }
    }
    Ok(found)
}

fn pack_result(path: &str, item: &Value) -> Result<PackResult, PolicyError> {
    let rule = path.strip_prefix("data.").unwrap_or(path).to_owned();
    let text = |key: &str| match &item[key] {
        Value::String(text) => Ok(text.to_string()),
        _ => Err(PolicyError::MalformedResult {
            rule: rule.clone(),
            message: format!("finding {item} has no string `{key}`"),
        }),
    };
    let undecided = matches!(item["undecided"], Value::Bool(true));
    Ok(PackResult {
        rule_id: text("rule_id")?,
        address: text("address")?,
        message: text("message")?,
        undecided,
        rule,
    })
}

/// What findings need to know about the estate: where each resource is and its region.
struct FindingContext<'a> {
    estate: &'a Estate,
    index: HashMap<&'a str, usize, BuildHasherDefault<WordHasher>>,
    regions: &'a [Option<String>],
}

impl<'a> FindingContext<'a> {
    fn new(estate: &'a Estate, input: &'a EstateInput) -> FindingContext<'a> {
        let index = estate
            .resources
            .iter()
            .enumerate()
            .map(|(position, resource)| (resource.address.as_str(), position))
            .collect();
        FindingContext { estate, index, regions: &input.regions }
    }

    /// A finding on `address`, with the resource's facts when it is one; the position
    /// sorts findings in estate order.
    fn finding(
        &self,
        address: &str,
        rule_id: String,
        severity: Severity,
        kind: FindingKind,
        message: String,
    ) -> (usize, Finding) {
        let position = self.index.get(address).copied();
        let resource: Option<&Resource> = position.and_then(|at| self.estate.resources.get(at));
        let finding = Finding {
            rule_id,
            severity,
            kind,
            resource: address.to_owned(),
            resource_type: resource.map(|resource| resource.resource_type.clone()),
            region: position.and_then(|at| self.regions.get(at).cloned().flatten()),
            message,
            input: self.estate.origin.clone(),
            source: resource.and_then(|resource| resource.source.clone()),
            suppression: None,
        };
        (position.unwrap_or(usize::MAX), finding)
    }

    fn not_evaluated(&self, diagnostic: &Diagnostic) -> (usize, Finding) {
        let origin = self.estate.origin.to_string_lossy();
        let address = diagnostic.address.as_deref().unwrap_or(&origin);
        let (position, mut finding) = self.finding(
            address,
            NOT_EVALUATED_RULE_ID.to_owned(),
            Severity::High,
            FindingKind::Undecided,
            diagnostic.message.clone(),
        );
        if diagnostic.source.is_some() {
            finding.source = diagnostic.source.clone();
        }
        (position, finding)
    }

    fn user_finding(&self, result: UserResult) -> (usize, Finding) {
        let origin = self.estate.origin.to_string_lossy();
        let address = result.address.as_deref().unwrap_or(&origin);
        self.finding(address, result.rule_id, result.severity, result.kind, result.message)
    }
}
