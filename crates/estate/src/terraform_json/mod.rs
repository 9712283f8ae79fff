//! Readers for the JSON that Terraform writes: `terraform show -json` of a plan or a
//! state, and raw state files (format version 4).
//!
//! This module owns telling the three apart, refusing versions it does not know, and
//! turning them into the normalised model: addresses, regions with their origin, tags,
//! unknown values and relations. Plans and states carry no source positions, so
//! [`Resource::source`](crate::Resource::source) stays `None`. Turning file bytes into
//! text is [`decode_input`](crate::decode_input)'s job.

mod address;
mod config;
mod link;
mod parallel;
mod plan;
mod region;
mod state;
mod unknown;
mod wire;

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;
use serde_json::error::Category;
use serde_json::value::RawValue;

use self::address::{ModuleStep, instance_key};
use self::config::{ConfigTree, parse_mode};
use self::wire::{Attributes, Document, Module, Probe, ValuesResource};
use crate::decode::EMPTY_INPUT;
use crate::{
    Cloud, Diagnostic, DiagnosticKind, Estate, InputKind, ReadError, RegionOrigin, ResolvedRegion,
    Resource,
};

/// Reads a Terraform plan or state in JSON, whichever `text` is.
///
/// A plan is `terraform show -json` of a saved plan (it has `planned_values`,
/// `resource_changes`, or `format_version` with `terraform_version`). A state is either
/// a raw state file (`version` 4) or `terraform show -json` of a state (`values`).
///
/// # Errors
///
/// [`ReadError::Syntax`] with the 1-based line and column when `text` is not well-formed
/// JSON or a field has the wrong type, and [`ReadError::Invalid`] when it is empty, is
/// neither a plan nor a state, or has a format version other than 0.x or 1.x (plans and
/// shown states) or 4 (raw states).
///
/// # Panics
///
/// Never, whatever the input.
///
/// # Examples
///
/// ```
/// use std::path::Path;
/// use terrane_estate::{InputKind, read_json};
///
/// let text = r#"{"version": 4, "terraform_version": "1.9.5", "resources": [
///   {"mode": "managed", "type": "aws_s3_bucket", "name": "logs",
///    "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
///    "instances": [{"attributes": {"id": "logs", "region": "eu-west-1"}}]}]}"#;
/// let estate = read_json(Path::new("terraform.tfstate"), text).unwrap();
/// assert_eq!(estate.kind, InputKind::State);
/// assert_eq!(estate.resources[0].address, "aws_s3_bucket.logs");
/// ```
pub fn read_json(path: &Path, text: &str) -> Result<Estate, ReadError> {
    read(path, text, Expected::Any)
}

/// Reads `terraform show -json` of a saved plan.
///
/// # Errors
///
/// As [`read_json`], and [`ReadError::Invalid`] when `text` is a state.
///
/// # Panics
///
/// Never, whatever the input.
///
/// # Examples
///
/// ```
/// use std::path::Path;
///
/// let error = terrane_estate::read_plan(Path::new("plan.json"), "{\"version\": 4}").unwrap_err();
/// assert_eq!(error.to_string(), "`plan.json`: expected a terraform plan, found a state");
/// ```
pub fn read_plan(path: &Path, text: &str) -> Result<Estate, ReadError> {
    read(path, text, Expected::Plan)
}

/// Reads a raw state file (format version 4) or `terraform show -json` of a state.
///
/// # Errors
///
/// As [`read_json`], and [`ReadError::Invalid`] when `text` is a plan.
///
/// # Panics
///
/// Never, whatever the input.
///
/// # Examples
///
/// ```
/// use std::path::Path;
///
/// let error = terrane_estate::read_state(Path::new("old.tfstate"), "{\"version\": 3}").unwrap_err();
/// assert_eq!(error.to_string(), "`old.tfstate`: unsupported state version `3`, expected 4");
/// ```
pub fn read_state(path: &Path, text: &str) -> Result<Estate, ReadError> {
    read(path, text, Expected::State)
}

/// What the caller asked for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expected {
    Any,
    Plan,
    State,
}

/// What a document is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plan,
    RawState,
    ShownState,
}

/// The top-level fields that tell documents apart.
struct Markers<'d> {
    plan_sections: bool,
    values: bool,
    format_version: Option<&'d Value>,
    terraform_version: bool,
    version: Option<&'d Value>,
}

fn read(path: &Path, text: &str, expected: Expected) -> Result<Estate, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(invalid(path, EMPTY_INPUT));
    }

    let document: Document<'_> =
        serde_json::from_str(text).map_err(|error| parse_error(path, text, &error))?;
    let kind = Markers::of_document(&document)
        .kind_for(expected)
        .map_err(|message| invalid(path, message))?;

    Ok(match kind {
        Kind::Plan => plan::read(path, document),
        Kind::RawState => state::read_raw(path, document.resources.unwrap_or_default()),
        Kind::ShownState => state::read_shown(path, document.values),
    })
}

impl<'d> Markers<'d> {
    fn of_document(document: &'d Document<'_>) -> Self {
        Markers {
            plan_sections: document.planned_values.is_some()
                || document.resource_changes.is_some()
                || document.prior_state.is_some()
                || document.configuration.is_some(),
            values: document.values.is_some(),
            format_version: document.format_version.as_ref(),
            terraform_version: document.terraform_version.is_some(),
            version: document.version.as_ref(),
        }
    }

    fn of_probe(probe: &'d Probe) -> Self {
        Markers {
            plan_sections: probe.planned_values.is_some()
                || probe.resource_changes.is_some()
                || probe.prior_state.is_some()
                || probe.configuration.is_some(),
            values: probe.values.is_some(),
            format_version: probe.format_version.as_ref(),
            terraform_version: probe.terraform_version.is_some(),
            version: probe.version.as_ref(),
        }
    }

    /// What the document is, when it is what the caller expects in a version this
    /// module reads; otherwise why not.
    fn kind_for(&self, expected: Expected) -> Result<Kind, String> {
        let kind = self.kind().ok_or(
            "not a terraform plan or state, found no `planned_values`, `resource_changes`, \
             `values` or state `version`",
        )?;
        match (expected, kind) {
            (Expected::Plan, Kind::RawState | Kind::ShownState) => {
                return Err("expected a terraform plan, found a state".to_owned());
            }
            (Expected::State, Kind::Plan) => {
                return Err("expected a terraform state, found a plan".to_owned());
            }
            _ => {}
        }
        self.check_version(kind)?;
        Ok(kind)
    }

    fn kind(&self) -> Option<Kind> {
        if self.plan_sections {
            Some(Kind::Plan)
        } else if self.version.is_some() {
            Some(Kind::RawState)
        } else if self.values {
            Some(Kind::ShownState)
        } else if self.format_version.is_some() && self.terraform_version {
            // A plan without resources still has these two; an empty state shown as JSON
            // has `format_version` alone.
            Some(Kind::Plan)
        } else if self.format_version.is_some() {
            Some(Kind::ShownState)
        } else {
            None
        }
    }

    /// Refuses format versions whose meaning may differ from what the readers expect:
    /// Terraform bumps the major version of its JSON output for incompatible changes.
    fn check_version(&self, kind: Kind) -> Result<(), String> {
        if kind == Kind::RawState {
            return match self.version {
                Some(Value::Number(number)) if number.as_u64() == Some(4) => Ok(()),
                Some(other) => {
                    Err(format!("unsupported state version `{}`, expected 4", plain(other)))
                }
                None => Err("missing state `version`, expected 4".to_owned()),
            };
        }
        let Some(format_version) = self.format_version else {
            return Ok(());
        };
        let major = format_version
            .as_str()
            .and_then(|version| version.split('.').next())
            .and_then(|major| major.parse::<u64>().ok());
        match major {
            Some(0 | 1) => Ok(()),
            _ => {
                let what = if kind == Kind::Plan { "plan" } else { "state" };
                Err(format!(
                    "unsupported {what} format version `{}`, expected 0.x or 1.x",
                    plain(format_version)
                ))
            }
        }
    }
}

/// A value as the user wrote it, strings without their quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Turns a parse failure into the error the user sees. A document of the wrong shape
/// that declares an unsupported version gets the version error, since the shape is what
/// the version change is about.
fn parse_error(path: &Path, text: &str, error: &serde_json::Error) -> ReadError {
    if error.classify() == Category::Data {
        if !text.trim_start().starts_with('{') {
            return invalid(
                path,
                "not a terraform plan or state, the document is not a json object",
            );
        }
        if let Ok(probe) = serde_json::from_str::<Probe>(text) {
            let markers = Markers::of_probe(&probe);
            if let Some(Err(message)) = markers.kind().map(|kind| markers.check_version(kind)) {
                return invalid(path, message);
            }
        }
    }

    let line = error.line();
    let column = error.column();
    let full = error.to_string();
    let message = full.strip_suffix(&format!(" at line {line} column {column}")).unwrap_or(&full);
    let message = match message.strip_prefix("EOF while parsing") {
        Some(rest) => format!("unexpected end of file while parsing{rest}"),
        None => message.to_owned(),
    };
    let message = match message.find("expected struct ") {
        Some(index) => format!("{}expected an object", message.get(..index).unwrap_or_default()),
        None => message,
    };
    ReadError::Syntax {
        path: path.to_path_buf(),
        line: u32::try_from(line.max(1)).unwrap_or(u32::MAX),
        column: u32::try_from(column.max(1)).unwrap_or(u32::MAX),
        message,
    }
}

fn invalid(path: &Path, message: impl Into<String>) -> ReadError {
    ReadError::Invalid { path: path.to_path_buf(), message: message.into() }
}

/// A resource while its input is being read: the resource, and what the readers need to
/// finish it.
struct Draft {
    resource: Resource,
    /// Its module instance, an index into [`Modules::list`].
    module: usize,
    /// Its instance key as address text (`0`, `"eu"`).
    index_key: Option<String>,
    /// The id of its block in the plan's configuration, when there is one.
    block: Option<usize>,
    /// The region from the resource's own arguments, which always wins.
    argument_region: Option<ResolvedRegion>,
    /// The region from its provider configuration or its identifier, used when neither
    /// the resource nor a parent it configures states one.
    fallback_region: Option<ResolvedRegion>,
}

impl Draft {
    fn new(resource: Resource, module: usize, index_key: Option<String>) -> Self {
        Draft {
            resource,
            module,
            index_key,
            block: None,
            argument_region: None,
            fallback_region: None,
        }
    }

    /// A draft from a resource of a values representation (`planned_values`, a prior
    /// state, a shown state), with the provider's local name as provider for now. Its
    /// values are parsed here, which is the costliest step of reading a large input.
    fn from_values(resource: ValuesResource<'_>, module: usize) -> Result<Self, Diagnostic> {
        let Some(mode) = parse_mode(resource.mode.as_str()) else {
            return Err(Diagnostic {
                kind: DiagnosticKind::Unsupported,
                address: Some(resource.address.into_string()),
                message: format!("unknown resource mode `{}`", resource.mode.as_str()),
                source: None,
            });
        };
        let provider_name = resource.provider_name.as_ref().map_or("", |name| name.as_str());
        let provider = provider_name.rsplit('/').next().unwrap_or(provider_name).to_owned();
        let resource_type = resource.resource_type.into_string();
        let cloud = match Cloud::from_resource_type(&resource_type) {
            Cloud::Other => Cloud::from_provider_name(provider_name),
            cloud => cloud,
        };
        let index_key = resource.index.as_ref().and_then(instance_key);

        let resource = Resource {
            address: resource.address.into_string(),
            mode,
            resource_type,
            name: resource.name.into_string(),
            cloud,
            provider,
            region: None,
            attributes: parse_attributes(resource.values),
            unknown: Vec::new(),
            tags: Default::default(),
            relations: Vec::new(),
            source: None,
            ignores: Vec::new(),
        };
        Ok(Draft::new(resource, module, index_key))
    }
}

/// The attribute map of a raw value; anything but an object (null, for a resource
/// without values) gives an empty map.
fn parse_attributes(raw: Option<&RawValue>) -> Attributes {
    raw.and_then(|raw| serde_json::from_str::<Attributes>(raw.get()).ok()).unwrap_or_default()
}

/// A module instance of the input, and the configuration module it is an instance of.
struct ModuleInstance {
    path: Vec<ModuleStep>,
    config: Option<usize>,
}

/// The module instances of an input, each stored once.
#[derive(Default)]
struct Modules {
    list: Vec<ModuleInstance>,
    by_address: HashMap<String, usize>,
}

impl Modules {
    /// The index of the module instance at `address`, adding it when new.
    fn intern(&mut self, address: &str) -> usize {
        if let Some(&index) = self.by_address.get(address) {
            return index;
        }
        let path = address::module_path(address);
        let index = self.list.len();
        self.list.push(ModuleInstance { path: path.unwrap_or_default(), config: None });
        self.by_address.insert(address.to_owned(), index);
        index
    }

    /// Finds the configuration module of every module instance.
    fn attach(&mut self, config: &ConfigTree<'_>) {
        for module in &mut self.list {
            module.config = config.module_id(module.path.iter().map(|step| step.name.as_str()));
        }
    }
}

/// Calls `visit` with every resource of a module tree and the address of its module.
fn walk_module<'a>(module: Module<'a>, visit: &mut impl FnMut(&str, ValuesResource<'a>)) {
    let address = module.address.as_ref().map_or("", |address| address.as_str()).to_owned();
    for resource in module.resources {
        visit(&address, resource);
    }
    for child in module.child_modules {
        walk_module(child, visit);
    }
}

/// Separates the drafts from the resources that could not be drafted, reusing the
/// results' buffer for the drafts.
fn split_results(results: Vec<Result<Draft, Diagnostic>>) -> (Vec<Draft>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let drafts = results
        .into_iter()
        .filter_map(|result| result.map_err(|diagnostic| diagnostics.push(diagnostic)).ok())
        .collect();
    (drafts, diagnostics)
}

/// Decides each region (own argument, else the parent it configures, else provider or
/// identifier) and assembles the estate.
fn finish(
    path: &Path,
    kind: InputKind,
    drafts: Vec<Draft>,
    diagnostics: Vec<Diagnostic>,
) -> Estate {
    let parent_regions: Vec<Option<ResolvedRegion>> = {
        let by_address: HashMap<&str, &Draft> =
            drafts.iter().map(|draft| (draft.resource.address.as_str(), draft)).collect();
        drafts
            .iter()
            .map(|draft| {
                if draft.argument_region.is_some() {
                    return None;
                }
                draft
                    .resource
                    .relations
                    .iter()
                    .filter(|relation| relation.kind == crate::RelationKind::Configures)
                    .find_map(|relation| {
                        let parent = by_address.get(relation.target.as_str())?;
                        let region =
                            parent.argument_region.as_ref().or(parent.fallback_region.as_ref())?;
                        Some(ResolvedRegion {
                            value: region.value.clone(),
                            origin: RegionOrigin::Parent(relation.target.clone()),
                        })
                    })
            })
            .collect()
    };

    let resources = drafts
        .into_iter()
        .zip(parent_regions)
        .map(|(draft, parent_region)| {
            let mut resource = draft.resource;
            resource.region = draft.argument_region.or(parent_region).or(draft.fallback_region);
            resource
        })
        .collect();
    Estate { kind, origin: path.to_path_buf(), resources, diagnostics }
}
