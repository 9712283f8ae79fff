//! Values of the root module's variables: variable files found in the directory, then
//! `-var-file` and `-var` options, each later one overriding earlier ones, as Terraform
//! orders them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hcl::Value;
use hcl::edit::structure::Structure;

use super::HclOptions;
use super::config::ModuleTree;
use super::eval::{Resolved, Scope};
use super::instance::Evaluator;
use super::source::SourceFile;
use super::value::from_json;
use crate::ReadError;

/// The values of the root variables for the directory `dir`.
pub(super) fn root_values(
    dir: &Path,
    options: &HclOptions,
) -> Result<HashMap<String, Value>, ReadError> {
    let mut values = HashMap::new();
    for path in automatic_files(dir)? {
        read_file(&path, &mut values)?;
    }
    for path in &options.var_files {
        read_file(path, &mut values)?;
    }
    for (name, text) in &options.vars {
        values.insert(name.clone(), option_value(text));
    }
    Ok(values)
}

/// The variable files Terraform loads by itself: `terraform.tfvars`, then
/// `terraform.tfvars.json`, then `*.auto.tfvars` and `*.auto.tfvars.json` by name.
fn automatic_files(dir: &Path) -> Result<Vec<PathBuf>, ReadError> {
    let io_error = |source| ReadError::Io { path: dir.to_path_buf(), source };
    let mut automatic = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error)? {
        let entry = entry.map_err(io_error)?;
        if let Some(name) = entry.file_name().to_str()
            && (name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json"))
            && entry.file_type().map_err(io_error)?.is_file()
        {
            automatic.push(name.to_owned());
        }
    }
    automatic.sort();
    let fixed = ["terraform.tfvars", "terraform.tfvars.json"].into_iter().map(str::to_owned);
    Ok(fixed.chain(automatic).map(|name| dir.join(name)).filter(|path| path.is_file()).collect())
}

fn read_file(path: &Path, values: &mut HashMap<String, Value>) -> Result<(), ReadError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| ReadError::Io { path: path.to_path_buf(), source })?;
    if path.extension().is_some_and(|extension| extension == "json") {
        return read_json(path, &text, values);
    }

    let file = SourceFile::parse(path, text)?;
    for structure in file.body.iter() {
        let Structure::Attribute(attribute) = structure else {
            let location = file.location(structure);
            return Err(ReadError::Syntax {
                path: path.to_path_buf(),
                line: location.line.unwrap_or(1),
                column: location.column.unwrap_or(1),
                message: "a variable file holds only `name = value` assignments".to_owned(),
            });
        };
        let name = attribute.key.as_str();
        let resolved = constant(&hcl::Expression::from(attribute.value.clone()));
        let value = resolved.value.map_err(|gap| {
            let location = file.location(attribute);
            ReadError::Syntax {
                path: path.to_path_buf(),
                line: location.line.unwrap_or(1),
                column: location.column.unwrap_or(1),
                message: gap.describe(name),
            }
        })?;
        values.insert(name.to_owned(), value);
    }
    Ok(())
}

fn read_json(
    path: &Path,
    text: &str,
    values: &mut HashMap<String, Value>,
) -> Result<(), ReadError> {
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|error| ReadError::Syntax {
            path: path.to_path_buf(),
            line: u32::try_from(error.line()).unwrap_or(u32::MAX),
            column: u32::try_from(error.column()).unwrap_or(u32::MAX),
            message: error.to_string().split(" at line").next().unwrap_or_default().to_owned(),
        })?;
    let serde_json::Value::Object(map) = json else {
        return Err(ReadError::Invalid {
            path: path.to_path_buf(),
            message: "a JSON variable file must hold an object".to_owned(),
        });
    };
    values.extend(map.iter().map(|(name, value)| (name.clone(), from_json(value))));
    Ok(())
}

/// The value of a `-var` option: the text as an HCL expression when it is one that
/// evaluates on its own (`5`, `true`, `["a"]`), else the text as a string.
fn option_value(text: &str) -> Value {
    match hcl::edit::parser::parse_expr(text) {
        Ok(expr) => {
            constant(&hcl::Expression::from(expr)).value.unwrap_or_else(|_| Value::from(text))
        }
        Err(_) => Value::from(text),
    }
}

/// Evaluates an expression that may call functions but names nothing.
fn constant(expr: &hcl::Expression) -> Resolved {
    let tree = ModuleTree { configs: Vec::new(), children: HashMap::new() };
    let evaluator = Evaluator::new(&tree, HashMap::new());
    evaluator.resolve(expr, &Scope::module(0))
}
