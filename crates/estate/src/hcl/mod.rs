//! The reader for directories of Terraform `.tf` files, without Terraform.
//!
//! A directory is read the way `terraform plan` would see it as far as that can be done
//! without a provider, a state or the network: every `.tf` file of the directory and of
//! the local modules it calls, with variable values from variable files and options.
//! Expressions are evaluated statically (literals, variables, locals, templates,
//! conditionals, `for` expressions and the common functions); `count` and `for_each` are
//! expanded when they are known. What cannot be decided without Terraform — attributes
//! known only after apply, data sources, remote modules — is never guessed: the attribute
//! is listed as unknown and, unless a plan would show it the same way, reported as a
//! [`Diagnostic`](crate::Diagnostic).
//!
//! Parsing is `hcl-rs`'s (its `hcl-edit` parser, for spans); the gaps of that parser that
//! real modules hit are repaired in [`repair`]. This module also renders a file as the
//! JSON conftest gives its policies ([`hcl_to_conftest_json`]).
//!
//! It leaves plan and state files to the JSON readers, and what a region means to the
//! policy layer.

mod assemble;
mod config;
mod conftest;
mod eval;
mod functions;
mod instance;
mod lexer;
mod repair;
mod resources;
mod source;
mod tfvars;
mod value;

use std::path::{Path, PathBuf};

use crate::{Estate, ReadError};

/// Options of [`read_hcl_dir`]: the variable values a user passes to `terraform plan`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HclOptions {
    /// `-var NAME=VALUE` options, in order. A value is read as an HCL expression when it
    /// is one that evaluates on its own (`5`, `true`, `["a", "b"]`), and as a string
    /// otherwise (`eu-west-1`).
    pub vars: Vec<(String, String)>,
    /// `-var-file` options, in order: `.tfvars` files (HCL) or `.tfvars.json` files.
    pub var_files: Vec<PathBuf>,
}

/// Reads the Terraform configuration in `dir`: its `*.tf` files (not recursively; local
/// modules are followed through their `module` blocks), with the root variables set from
/// `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars` and `*.auto.tfvars.json`
/// in that order, then `options.var_files`, then `options.vars`.
///
/// Every resource and data source instance becomes a [`crate::Resource`] whose
/// `source` points into the file as the user would type its path (`dir` joined with the
/// file name). Values that cannot be evaluated are listed in the resource's `unknown`
/// and, unless a plan would show them as unknown too, reported in
/// [`Estate::diagnostics`], as are remote modules and files that are not read.
///
/// # Errors
///
/// [`ReadError::Io`] when a directory or file cannot be read, [`ReadError::Syntax`]
/// when a file is not well-formed HCL (with its line and column), and
/// [`ReadError::Invalid`] when `dir` holds no `.tf` file or a local module's directory
/// is missing or calls itself.
///
/// # Panics
///
/// Never, whatever the input.
///
/// # Example
///
/// ```no_run
/// use std::path::Path;
///
/// use terrane_estate::{HclOptions, read_hcl_dir};
///
/// let options = HclOptions { vars: vec![("region".into(), "eu-central-1".into())], ..HclOptions::default() };
/// let estate = read_hcl_dir(Path::new("infra"), &options)?;
/// for resource in &estate.resources {
///     println!("{} {:?}", resource.address, resource.region);
/// }
/// # Ok::<(), terrane_estate::ReadError>(())
/// ```
pub fn read_hcl_dir(dir: &Path, options: &HclOptions) -> Result<Estate, ReadError> {
    let tree = config::ModuleTree::load(dir)?;
    let values = tfvars::root_values(dir, options)?;
    let evaluator = instance::Evaluator::new(&tree, values);
    Ok(assemble::build(&evaluator, dir))
}

/// Converts one HCL file to the JSON that conftest hands to policies for it, so that
/// user policies written for conftest can read `.tf` files unchanged: blocks nested by
/// labels and ending in a list of bodies, literal values as JSON, other expressions as
/// their source text in `${...}`.
///
/// `path` names the file in errors; `text` is its content.
///
/// # Errors
///
/// [`ReadError::Syntax`] when `text` is not well-formed HCL, and [`ReadError::Invalid`]
/// when two blocks or a block and an argument claim the same JSON key.
///
/// # Panics
///
/// Never, whatever the input.
///
/// # Example
///
/// ```
/// use std::path::Path;
///
/// let json = terrane_estate::hcl_to_conftest_json(
///     Path::new("main.tf"),
///     "resource \"aws_s3_bucket\" \"b\" {\n  bucket = var.name\n}\n",
/// )?;
/// assert_eq!(json["resource"]["aws_s3_bucket"]["b"][0]["bucket"], "${var.name}");
/// # Ok::<(), terrane_estate::ReadError>(())
/// ```
pub fn hcl_to_conftest_json(path: &Path, text: &str) -> Result<serde_json::Value, ReadError> {
    conftest::convert(path, text)
}
