//! The built-in sovereignty pack: the Rego files embedded at build time, and the rule
//! metadata each pack package declares in its `rules` object.
//!
//! Every pack package looks like this, and the metadata is validated before any rule
//! runs, so that a finding always has a title, a severity and a remediation:
//!
//! ```rego
//! package terrane.pack.aws.keys
//! rules["TRN-AWS-KEY-002"] := {"title": "...", "severity": "high", ...}
//! deny contains f if { ...; f := lib.finding("TRN-AWS-KEY-002", r, msg) }
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::str::FromStr;

use regorus::Value;

use crate::builtins;
use crate::locate::CatalogHandle;
use crate::source::{self, LoadedModule};
use crate::{PolicyError, PolicySource, RuleMeta, Severity};

/// The embedded pack, as `(path, contents)` pairs ordered by path.
static PACK_FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/pack_files.rs"));

/// The root package of the pack's rules.
const PACK_ROOT: [&str; 2] = ["terrane", "pack"];

/// The directory of the pack's helper library.
const LIBRARY_DIR: &str = "policies/lib/";

/// The id of the finding reported for every part of the input that a reader could not
/// evaluate.
pub const NOT_EVALUATED_RULE_ID: &str = "TRN-ALL-EVAL-001";

/// The inputs where a rule can decide.
const MODES: [&str; 4] = ["plan", "state", "hcl", "live"];

/// The keys a rule's metadata object may have.
const METADATA_KEYS: [&str; 8] = [
    "id",
    "title",
    "severity",
    "description",
    "remediation",
    "resource_types",
    "controls",
    "modes",
];

/// A rule of the pack with the package and file that declare it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackRule {
    /// The validated metadata.
    pub meta: RuleMeta,
    /// The package that declares it (`terrane.pack.aws.keys`).
    pub package: String,
    /// The file that declares it.
    pub path: PathBuf,
}

/// The built-in pack: the helper library (`policies/lib/`) and every rule file, without
/// unit tests.
pub fn builtin_pack() -> Vec<PolicySource> {
    PACK_FILES.iter().map(|(path, text)| PolicySource::new(*path, *text)).collect()
}

/// Reads and validates the rule metadata of pack-shaped rule files. The pack's helper
/// library is loaded first, so `sources` are rule files only.
///
/// # Errors
///
/// [`PolicyError::Compile`] when a file does not compile, [`PolicyError::Metadata`] with
/// the file and rule id when a rule's metadata is missing a field, has an empty or
/// malformed one, or repeats an id.
pub fn read_pack_rules(sources: &[PolicySource]) -> Result<Vec<PackRule>, PolicyError> {
    let mut sources = sources.to_vec();
    sources.splice(0..0, library());
    let pack = CompiledPack::new(&CatalogHandle::builtin(), &sources)?;
    Ok(pack.rules)
}

/// The metadata of [`NOT_EVALUATED_RULE_ID`].
pub fn not_evaluated_rule() -> RuleMeta {
    RuleMeta {
        id: NOT_EVALUATED_RULE_ID.to_owned(),
        title: "configuration not evaluated".to_owned(),
        severity: Severity::High,
        description: "Part of the input could not be evaluated (a remote module, a value \
                      known only to Terraform, a construct the reader does not model), so no \
                      rule can vouch for it."
            .to_owned(),
        remediation: "Vendor remote modules locally, evaluate a saved plan instead of the \
                      configuration, or review the reported construct by hand."
            .to_owned(),
        resource_types: vec!["*".to_owned()],
        controls: vec!["C5:PSS-12".to_owned()],
        modes: MODES.iter().map(|mode| (*mode).to_owned()).collect(),
    }
}

/// The helper library of the embedded pack.
pub(crate) fn library() -> Vec<PolicySource> {
    builtin_pack().into_iter().filter(|source| source.label().starts_with(LIBRARY_DIR)).collect()
}

/// A pack loaded into an engine with its validated metadata.
#[derive(Debug, Clone)]
pub(crate) struct CompiledPack {
    /// The engine holding the library and rules, prepared for evaluation.
    pub(crate) engine: regorus::Engine,
    /// The rules, in file order.
    pub(crate) rules: Vec<PackRule>,
    /// The packages that declare `deny`, with the resource types their rules inspect.
    pub(crate) deny_packages: Vec<DenyPackage>,
}

/// A pack package whose `deny` rule produces findings.
#[derive(Debug, Clone)]
pub(crate) struct DenyPackage {
    /// The package path components.
    pub(crate) package: Vec<String>,
    /// The resource types its rules declare; `*` means all.
    pub(crate) resource_types: BTreeSet<String>,
}

impl CompiledPack {
    /// Compiles `sources` (library included) and reads their metadata.
    pub(crate) fn new(
        catalog: &CatalogHandle,
        sources: &[PolicySource],
    ) -> Result<CompiledPack, PolicyError> {
        let mut engine = regorus::Engine::new();
        builtins::register(&mut engine, catalog)?;
        let modules = source::add_sources(&mut engine, sources)?;
        source::check(&mut engine)?;

        let mut rules: Vec<PackRule> = Vec::new();
        let mut deny_packages = Vec::new();
        let mut seen_packages = BTreeSet::new();
        for (module, source) in modules.iter().zip(sources) {
            let in_pack = module.package.iter().map(String::as_str).take(2).eq(PACK_ROOT);
            if !in_pack || !seen_packages.insert(module.package.clone()) {
                continue;
            }
            let package_rules = read_metadata(&mut engine, module, &source.text)?;
            let declares_deny =
                !source::declared_rules(&engine, module, &source.text, |name| name == "deny")
                    .is_empty();
            if declares_deny {
                let resource_types = package_rules
                    .iter()
                    .flat_map(|rule| rule.meta.resource_types.iter().cloned())
                    .collect();
                deny_packages.push(DenyPackage { package: module.package.clone(), resource_types });
            }
            rules.extend(package_rules);
        }

        check_unique(&rules)?;
        Ok(CompiledPack { engine, rules, deny_packages })
    }
}

/// Evaluates the `rules` object of `module`'s package into validated metadata.
fn read_metadata(
    engine: &mut regorus::Engine,
    module: &LoadedModule,
    text: &str,
) -> Result<Vec<PackRule>, PolicyError> {
    let declared = source::declared_rules(engine, module, text, |name| name == "rules");
    if declared.is_empty() {
        return Ok(Vec::new());
    }
    let value = source::query_value(engine, source::rule_path(&module.package, "rules"))?;
    let metadata_error = |rule_id: &str, message: String| PolicyError::Metadata {
        path: module.path.clone(),
        rule_id: rule_id.to_owned(),
        message,
    };
    let Ok(entries) = value.as_object() else {
        return Err(metadata_error("rules", "`rules` is not an object".to_owned()));
    };

    let mut rules = Vec::with_capacity(entries.len());
    for (key, meta) in entries.iter_sorted() {
        let Ok(id) = key.as_string() else {
            return Err(metadata_error("rules", format!("rule id `{key}` is not a string")));
        };
        let meta = parse_meta(id, meta).map_err(|message| metadata_error(id, message))?;
        rules.push(PackRule { meta, package: module.package_name(), path: module.path.clone() });
    }
    Ok(rules)
}

fn check_unique(rules: &[PackRule]) -> Result<(), PolicyError> {
    let mut seen: BTreeMap<&str, &PackRule> = BTreeMap::new();
    for rule in rules {
        let message = if rule.meta.id == NOT_EVALUATED_RULE_ID {
            "the id is reserved for inputs that could not be evaluated".to_owned()
        } else if let Some(first) = seen.insert(&rule.meta.id, rule) {
            format!("the id is already used in `{}`", first.path.display())
        } else {
            continue;
        };
        return Err(PolicyError::Metadata {
            path: rule.path.clone(),
            rule_id: rule.meta.id.clone(),
            message,
        });
    }
    Ok(())
}

/// Validates one metadata object; the error is a message for [`PolicyError::Metadata`].
fn parse_meta(id: &str, meta: &Value) -> Result<RuleMeta, String> {
    if !is_rule_id(id) {
        return Err("the id does not match `TRN-(AWS|AZ|GCP|ALL)-AREA-NNN`".to_owned());
    }
    let Ok(fields) = meta.as_object() else {
        return Err("the metadata is not an object".to_owned());
    };
    for key in fields.keys() {
        let known = key.as_string().is_ok_and(|key| METADATA_KEYS.contains(&&**key));
        if !known {
            return Err(format!(
                "unknown metadata key {key} (expected {})",
                METADATA_KEYS.join(", ")
            ));
        }
    }
    let declared = fields.get(&Value::from("id"));
    if let Some(declared) = declared
        && !declared.as_string().is_ok_and(|declared| &**declared == id)
    {
        return Err(format!("the `id` field {declared} differs from the key"));
    }

    let severity = text_field(meta, "severity")?;
    let severity = Severity::from_str(&severity).map_err(|error| error.to_string())?;
    let modes = list_field(meta, "modes")?;
    if let Some(mode) = modes.iter().find(|mode| !MODES.contains(&mode.as_str())) {
        return Err(format!("unknown mode `{mode}` (expected plan, state, hcl or live)"));
    }
    Ok(RuleMeta {
        id: id.to_owned(),
        title: text_field(meta, "title")?,
        severity,
        description: text_field(meta, "description")?,
        remediation: text_field(meta, "remediation")?,
        resource_types: list_field(meta, "resource_types")?,
        controls: list_field(meta, "controls")?,
        modes,
    })
}

fn text_field(meta: &Value, key: &str) -> Result<String, String> {
    match &meta[key] {
        Value::String(text) if !text.trim().is_empty() => Ok(text.to_string()),
        Value::String(_) => Err(format!("`{key}` is empty")),
        Value::Undefined => Err(format!("`{key}` is missing")),
        other => Err(format!("`{key}` is not a string: {other}")),
    }
}

fn list_field(meta: &Value, key: &str) -> Result<Vec<String>, String> {
    let items = match &meta[key] {
        Value::Array(items) => items.iter().cloned().collect::<Vec<_>>(),
        Value::Set(items) => items.iter().cloned().collect(),
        Value::Undefined => return Err(format!("`{key}` is missing")),
        other => return Err(format!("`{key}` is not a list of strings: {other}")),
    };
    if items.is_empty() {
        return Err(format!("`{key}` is empty"));
    }
    items
        .into_iter()
        .map(|item| match item {
            Value::String(text) if !text.trim().is_empty() => Ok(text.to_string()),
            other => Err(format!("`{key}` holds {other}, which is not a non-empty string")),
        })
        .collect()
}

/// True for ids shaped `TRN-(AWS|AZ|GCP|ALL)-AREA-NNN`, where the area is uppercase ASCII
/// letters and NNN three digits.
pub(crate) fn is_rule_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    let [prefix, cloud, area, number] = parts.as_slice() else {
        return false;
    };
    *prefix == "TRN"
        && ["AWS", "AZ", "GCP", "ALL"].contains(cloud)
        && !area.is_empty()
        && area.chars().all(|c| c.is_ascii_uppercase())
        && number.len() == 3
        && number.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_well_formed_rule_ids() {
        for id in ["TRN-AWS-KEY-002", "TRN-AZ-PUB-010", "TRN-GCP-RES-001", "TRN-ALL-EVAL-001"] {
            assert!(is_rule_id(id), "{id}");
        }
        for id in [
            "TRN-AWS-KEY-02",
            "TRN-OCI-KEY-001",
            "trn-aws-key-001",
            "TRN-AWS-K3Y-001",
            "TRN-AWS--001",
        ] {
            assert!(!is_rule_id(id), "{id}");
        }
    }

    #[test]
    fn embeds_the_helper_library() {
        let labels: Vec<String> = library().iter().map(PolicySource::label).collect();
        assert!(labels.contains(&"policies/lib/terrane.rego".to_owned()), "{labels:?}");
        assert!(builtin_pack().iter().all(|source| !source.is_test()));
    }
}
