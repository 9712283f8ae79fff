//! The configuration of one module directory, as declared: variables, locals, outputs,
//! provider configurations, resources and module calls, with where each is written.
//! Nothing is evaluated here.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use hcl::Expression;
use hcl::edit::structure::{Block, BlockLabel, Body, Structure};

use super::source::SourceFile;
use crate::{Diagnostic, DiagnosticKind, InlineIgnore, Mode, ReadError, SourceLocation};

/// An attribute: its name, its expression, and where it is written.
#[derive(Debug, Clone)]
pub(super) struct Attr {
    pub(super) name: String,
    pub(super) expr: Expression,
    pub(super) location: SourceLocation,
}

/// A nested block inside a resource, provider or module call.
#[derive(Debug, Clone)]
pub(super) struct BlockNode {
    pub(super) kind: String,
    pub(super) labels: Vec<String>,
    pub(super) body: BodyNode,
}

/// The attributes and nested blocks of a block, in source order within each kind.
#[derive(Debug, Clone, Default)]
pub(super) struct BodyNode {
    pub(super) attributes: Vec<Attr>,
    pub(super) blocks: Vec<BlockNode>,
}

impl BodyNode {
    /// The attribute called `name`.
    pub(super) fn attribute(&self, name: &str) -> Option<&Attr> {
        self.attributes.iter().find(|attribute| attribute.name == name)
    }

    /// The nested blocks of kind `kind`.
    pub(super) fn blocks<'b>(&'b self, kind: &'b str) -> impl Iterator<Item = &'b BlockNode> {
        self.blocks.iter().filter(move |block| block.kind == kind)
    }
}

/// A `variable` block.
#[derive(Debug, Clone)]
pub(super) struct Variable {
    pub(super) default: Option<Expression>,
    pub(super) type_constraint: Option<Expression>,
    pub(super) nullable: bool,
}

/// A `provider` block.
#[derive(Debug, Clone)]
pub(super) struct Provider {
    /// The provider's local name (`aws`, `google-beta`).
    pub(super) name: String,
    pub(super) alias: Option<String>,
    pub(super) body: BodyNode,
}

impl Provider {
    /// The address of the configuration in its module: `aws` or `aws.eu`.
    pub(super) fn local_address(&self) -> String {
        match &self.alias {
            Some(alias) => format!("{}.{alias}", self.name),
            None => self.name.clone(),
        }
    }
}

/// A `resource` or `data` block.
#[derive(Debug, Clone)]
pub(super) struct ResourceBlock {
    pub(super) mode: Mode,
    pub(super) resource_type: String,
    pub(super) name: String,
    pub(super) body: BodyNode,
    pub(super) location: SourceLocation,
    pub(super) ignores: Vec<InlineIgnore>,
}

impl ResourceBlock {
    /// The address in its module, without instance key: `aws_s3_bucket.b`, `data.x.y`.
    pub(super) fn local_address(&self) -> String {
        match self.mode {
            Mode::Managed => format!("{}.{}", self.resource_type, self.name),
            Mode::Data => format!("data.{}.{}", self.resource_type, self.name),
        }
    }

    /// The provider configuration address the block names in its module: its `provider`
    /// argument, else the default configuration of the provider its type belongs to.
    pub(super) fn provider_reference(&self) -> String {
        self.body
            .attribute("provider")
            .and_then(|attribute| reference_text(&attribute.expr))
            .unwrap_or_else(|| self.resource_type.split('_').next().unwrap_or_default().to_owned())
    }
}

/// A `module` block.
#[derive(Debug, Clone)]
pub(super) struct ModuleCall {
    pub(super) name: String,
    /// The `source` argument, when it is a literal string.
    pub(super) source: Option<String>,
    pub(super) body: BodyNode,
    /// The `providers` argument: provider address in the child, address in this module.
    pub(super) providers: Vec<(String, String)>,
    pub(super) location: SourceLocation,
}

impl ModuleCall {
    /// True for a source on local disk (`./x`, `../x`); anything else is fetched by
    /// `terraform init` from a registry, a repository or a URL.
    pub(super) fn is_local(&self) -> bool {
        self.source.as_deref().is_some_and(|source| {
            source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
        })
    }
}

/// A resource or module call, in declaration order.
#[derive(Debug, Clone, Copy)]
pub(super) enum Item {
    Resource(usize),
    Call(usize),
}

/// The declarations of one module directory.
#[derive(Debug)]
pub(super) struct ModuleConfig {
    /// The directory, as the user would type it.
    pub(super) dir: PathBuf,
    pub(super) variables: BTreeMap<String, Variable>,
    pub(super) locals: HashMap<String, Attr>,
    pub(super) outputs: HashMap<String, Attr>,
    pub(super) providers: Vec<Provider>,
    pub(super) resources: Vec<ResourceBlock>,
    pub(super) calls: Vec<ModuleCall>,
    pub(super) items: Vec<Item>,
    /// Files that were not read, each with the reason.
    pub(super) skipped: Vec<Diagnostic>,
}

impl ModuleConfig {
    /// Reads every `*.tf` file of `dir`, in name order.
    pub(super) fn load(dir: &Path) -> Result<ModuleConfig, ReadError> {
        let io_error = |source| ReadError::Io { path: dir.to_path_buf(), source };
        let mut names = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io_error)? {
            let entry = entry.map_err(io_error)?;
            let is_file = entry.file_type().map_err(io_error)?.is_file();
            if let (true, Some(name)) = (is_file, entry.file_name().to_str()) {
                names.push(name.to_owned());
            }
        }
        names.sort();

        let mut config = ModuleConfig {
            dir: dir.to_path_buf(),
            variables: BTreeMap::new(),
            locals: HashMap::new(),
            outputs: HashMap::new(),
            providers: Vec::new(),
            resources: Vec::new(),
            calls: Vec::new(),
            items: Vec::new(),
            skipped: Vec::new(),
        };
        let mut read_any = false;
        for name in &names {
            let path = dir.join(name);
            if let Some(reason) = skip_reason(name) {
                config.skipped.push(Diagnostic {
                    kind: DiagnosticKind::Unsupported,
                    address: None,
                    message: format!("`{name}` is not read because {reason}"),
                    source: Some(SourceLocation { file: path, line: None, column: None }),
                });
                continue;
            }
            // Terraform skips hidden files and editor leftovers the same way.
            let ignored = name.starts_with('.') || name.starts_with('#') || name.ends_with('~');
            if ignored || !name.ends_with(".tf") {
                continue;
            }
            read_any = true;
            let file = SourceFile::read(&path)?;
            config.add_file(&file)?;
        }
        if !read_any {
            return Err(ReadError::Invalid {
                path: dir.to_path_buf(),
                message: "the directory has no `.tf` files".to_owned(),
            });
        }
        Ok(config)
    }

    fn add_file(&mut self, file: &SourceFile) -> Result<(), ReadError> {
        for structure in file.body.iter() {
            match structure {
                Structure::Block(block) => self.add_block(file, block)?,
                Structure::Attribute(attribute) => {
                    return Err(structure_error(
                        file,
                        attribute,
                        format!(
                            "argument `{}` is not allowed outside a block",
                            attribute.key.as_str()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn add_block(&mut self, file: &SourceFile, block: &Block) -> Result<(), ReadError> {
        let kind = block.ident.as_str();
        let labels: Vec<&str> = block.labels.iter().map(BlockLabel::as_str).collect();
        let expected_labels = match kind {
            "resource" | "data" => 2,
            "module" | "provider" | "variable" | "output" => 1,
            "locals" => 0,
            _ => return Ok(()),
        };
        if labels.len() != expected_labels {
            let message =
                format!("a `{kind}` block needs {expected_labels} labels, found {}", labels.len());
            return Err(structure_error(file, block, message));
        }

        let body = body_node(file, &block.body);
        let outcome = match (kind, labels.as_slice()) {
            ("resource" | "data", [resource_type, name]) => {
                let mode = if kind == "data" { Mode::Data } else { Mode::Managed };
                let resource = ResourceBlock {
                    mode,
                    resource_type: (*resource_type).to_owned(),
                    name: (*name).to_owned(),
                    body,
                    location: file.location(block),
                    ignores: file
                        .original_range(block)
                        .map(|range| file.ignores(range))
                        .unwrap_or_default(),
                };
                self.add_resource(resource)
            }
            ("module", [name]) => self.add_call(name, body, file.location(block)),
            ("provider", [name]) => self.add_provider(name, body),
            ("variable", [name]) => self.add_variable(name, &body),
            ("output", [name]) => self.add_output(name, &body),
            ("locals", []) => self.add_locals(body),
            _ => Ok(()),
        };
        outcome.map_err(|what| structure_error(file, block, format!("{what} is declared twice")))
    }

    // Each of the following adds one declaration, or fails with what is declared twice.

    fn add_resource(&mut self, resource: ResourceBlock) -> Result<(), String> {
        let declared = self.resources.iter().any(|other| {
            other.mode == resource.mode
                && other.resource_type == resource.resource_type
                && other.name == resource.name
        });
        if declared {
            return Err(format!("`{}`", resource.local_address()));
        }
        self.items.push(Item::Resource(self.resources.len()));
        self.resources.push(resource);
        Ok(())
    }

    fn add_call(
        &mut self,
        name: &str,
        body: BodyNode,
        location: SourceLocation,
    ) -> Result<(), String> {
        if self.calls.iter().any(|call| call.name == name) {
            return Err(format!("module `{name}`"));
        }
        let source = body.attribute("source").and_then(|attribute| literal_string(&attribute.expr));
        let providers = body.attribute("providers").map(|attribute| provider_map(&attribute.expr));
        self.items.push(Item::Call(self.calls.len()));
        self.calls.push(ModuleCall {
            name: name.to_owned(),
            source,
            providers: providers.unwrap_or_default(),
            body,
            location,
        });
        Ok(())
    }

    fn add_provider(&mut self, name: &str, body: BodyNode) -> Result<(), String> {
        let alias = body.attribute("alias").and_then(|attribute| literal_string(&attribute.expr));
        let provider = Provider { name: name.to_owned(), alias, body };
        let address = provider.local_address();
        if self.providers.iter().any(|other| other.local_address() == address) {
            return Err(format!("provider configuration `{address}`"));
        }
        self.providers.push(provider);
        Ok(())
    }

    fn add_variable(&mut self, name: &str, body: &BodyNode) -> Result<(), String> {
        if self.variables.contains_key(name) {
            return Err(format!("variable `{name}`"));
        }
        let nullable = !matches!(
            body.attribute("nullable").map(|attribute| &attribute.expr),
            Some(Expression::Bool(false))
        );
        let variable = Variable {
            default: body.attribute("default").map(|attribute| attribute.expr.clone()),
            type_constraint: body.attribute("type").map(|attribute| attribute.expr.clone()),
            nullable,
        };
        self.variables.insert(name.to_owned(), variable);
        Ok(())
    }

    fn add_output(&mut self, name: &str, body: &BodyNode) -> Result<(), String> {
        if self.outputs.contains_key(name) {
            return Err(format!("output `{name}`"));
        }
        if let Some(value) = body.attribute("value") {
            self.outputs.insert(name.to_owned(), value.clone());
        }
        Ok(())
    }

    fn add_locals(&mut self, body: BodyNode) -> Result<(), String> {
        for attribute in body.attributes {
            if self.locals.contains_key(&attribute.name) {
                return Err(format!("local value `{}`", attribute.name));
            }
            self.locals.insert(attribute.name.clone(), attribute);
        }
        Ok(())
    }
}

/// Converts a block body of the syntax tree.
pub(super) fn body_node(file: &SourceFile, body: &Body) -> BodyNode {
    let mut node = BodyNode::default();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) => node.attributes.push(Attr {
                name: attribute.key.as_str().to_owned(),
                expr: Expression::from(attribute.value.clone()),
                location: file.location(attribute),
            }),
            Structure::Block(block) => node.blocks.push(BlockNode {
                kind: block.ident.as_str().to_owned(),
                labels: block.labels.iter().map(|label| label.as_str().to_owned()).collect(),
                body: body_node(file, &block.body),
            }),
        }
    }
    node
}

fn literal_string(expr: &Expression) -> Option<String> {
    match expr {
        Expression::String(text) => Some(text.clone()),
        _ => None,
    }
}

/// The text of a reference to a provider configuration or a traversal made only of
/// names (`aws`, `aws.eu`), or of a string holding one.
pub(super) fn reference_text(expr: &Expression) -> Option<String> {
    match expr {
        Expression::Variable(name) => Some(name.to_string()),
        Expression::String(text) => Some(text.clone()),
        Expression::Traversal(traversal) => {
            let mut text = reference_text(&traversal.expr)?;
            for operator in &traversal.operators {
                match operator {
                    hcl::TraversalOperator::GetAttr(name) => {
                        text.push('.');
                        text.push_str(name.as_str());
                    }
                    _ => return None,
                }
            }
            Some(text)
        }
        _ => None,
    }
}

/// The entries of a module call's `providers` argument.
fn provider_map(expr: &Expression) -> Vec<(String, String)> {
    let Expression::Object(object) = expr else {
        return Vec::new();
    };
    object
        .iter()
        .filter_map(|(key, value)| {
            let key = match key {
                hcl::ObjectKey::Identifier(name) => name.to_string(),
                hcl::ObjectKey::Expression(expr) => reference_text(expr)?,
                _ => return None,
            };
            Some((key, reference_text(value)?))
        })
        .collect()
}

/// Why a file of a module directory is not read, or `None` for a file that is read or
/// is not configuration at all.
fn skip_reason(name: &str) -> Option<&'static str> {
    if name.ends_with(".tf.json") {
        Some("the JSON configuration syntax is not supported")
    } else if name == "override.tf" || name.ends_with("_override.tf") {
        Some("override files are not supported")
    } else {
        None
    }
}

fn structure_error(file: &SourceFile, node: &impl hcl::edit::Span, message: String) -> ReadError {
    let location = file.location(node);
    ReadError::Syntax {
        path: file.path.clone(),
        line: location.line.unwrap_or(1),
        column: location.column.unwrap_or(1),
        message,
    }
}

/// The deepest nesting of local module calls; deeper trees only come from a module that
/// calls itself through a path the cycle check does not see.
const MAX_MODULE_DEPTH: usize = 32;

/// Every module directory reachable from the root through local module calls.
#[derive(Debug)]
pub(super) struct ModuleTree {
    /// The configurations; the root is the first.
    pub(super) configs: Vec<ModuleConfig>,
    /// The configuration each local call loads, by calling configuration and call index.
    pub(super) children: HashMap<(usize, usize), usize>,
}

impl ModuleTree {
    /// Reads the root directory and, recursively, every local module it calls.
    pub(super) fn load(root: &Path) -> Result<ModuleTree, ReadError> {
        let mut tree =
            ModuleTree { configs: vec![ModuleConfig::load(root)?], children: HashMap::new() };
        let mut stack = vec![canonical(root)?];
        tree.load_children(0, &mut stack)?;
        Ok(tree)
    }

    fn load_children(&mut self, parent: usize, stack: &mut Vec<PathBuf>) -> Result<(), ReadError> {
        let calls: Vec<(usize, PathBuf, String)> = match self.configs.get(parent) {
            Some(config) => config
                .calls
                .iter()
                .enumerate()
                .filter(|(_, call)| call.is_local())
                .filter_map(|(index, call)| {
                    let source = call.source.clone()?;
                    Some((index, normalize(&config.dir.join(&source)), call.name.clone()))
                })
                .collect(),
            None => Vec::new(),
        };
        for (index, dir, name) in calls {
            if !dir.is_dir() {
                return Err(ReadError::Invalid {
                    path: dir,
                    message: format!("module `{name}` calls a directory that does not exist"),
                });
            }
            let real = canonical(&dir)?;
            let message = if stack.contains(&real) {
                format!("module `{name}` calls itself, directly or through other modules")
            } else if stack.len() >= MAX_MODULE_DEPTH {
                format!("module `{name}` is nested deeper than {MAX_MODULE_DEPTH} modules")
            } else {
                String::new()
            };
            if !message.is_empty() {
                return Err(ReadError::Invalid { path: dir, message });
            }
            let child = self.configs.len();
            self.configs.push(ModuleConfig::load(&dir)?);
            self.children.insert((parent, index), child);
            stack.push(real);
            self.load_children(child, stack)?;
            stack.pop();
        }
        Ok(())
    }
}

fn canonical(dir: &Path) -> Result<PathBuf, ReadError> {
    std::fs::canonicalize(dir).map_err(|source| ReadError::Io { path: dir.to_path_buf(), source })
}

/// Removes `.` components and resolves `..` against a preceding name, without touching
/// the file system, so that paths stay as the user would type them.
pub(super) fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut parts: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return PathBuf::from(".");
    }
    parts.iter().collect()
}
