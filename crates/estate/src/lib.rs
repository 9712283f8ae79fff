//! The normalised estate: every Terraform plan, state file or `.tf` directory, and later
//! every live cloud inventory, becomes a list of [`Resource`]s with resolved regions,
//! tags and relations.
//!
//! This crate owns the readers for those inputs and the model they produce. It knows
//! nothing of policies, jurisdictions or storage: deciding whether a region is allowed is
//! the policy crate's job, with the catalog's help.

mod error;
mod resource;

pub use error::ReadError;

pub use resource::{
    Cloud, Diagnostic, DiagnosticKind, Estate, InlineIgnore, InputKind, Mode, RegionOrigin,
    Relation, RelationKind, ResolvedRegion, Resource, SourceLocation,
};
