//! The normalised estate: every Terraform plan, state file or `.tf` directory, and later
//! every live cloud inventory, becomes a list of [`Resource`]s with resolved regions,
//! tags and relations.
//!
//! This crate owns the readers for those inputs and the model they produce. It knows
//! nothing of policies, jurisdictions or storage: deciding whether a region is allowed is
//! the policy crate's job, with the catalog's help.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod decode;
mod error;
mod hcl;
mod identifier;
mod relation_kind;
mod resource;
mod terraform_json;

pub use self::hcl::{HclOptions, hcl_to_conftest_json, read_hcl_dir};
pub use decode::decode_input;
pub use error::ReadError;
pub use terraform_json::{read_json, read_plan, read_state};

pub use resource::{
    Cloud, Diagnostic, DiagnosticKind, Estate, InlineIgnore, InputKind, Mode, RegionOrigin,
    Relation, RelationKind, ResolvedRegion, Resource, SourceLocation,
};
