//! The region catalog: every public location of AWS, Azure and Google Cloud with the
//! country it is in, and jurisdictions as sets of countries.
//!
//! This crate owns the data under `catalog/` (embedded at build time), the normalisation
//! of the many ways a location is written (zones, ARNs, display names, resource paths),
//! and the assessment of a location against a jurisdiction. It does no I/O beyond parsing
//! text it is given, and knows nothing of resources, policies or storage: callers decide
//! what an [`Assessment`] means for them, and must treat [`Residency::Unknown`] as a
//! finding, never as a pass.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod assessment;
mod build;
mod catalog;
mod error;
mod jurisdiction;
mod location;
mod normalize;
mod provider;
mod records;
#[cfg(test)]
mod tests;

pub use assessment::{Assessment, Residency};
pub use catalog::Catalog;
pub use error::{CatalogError, EntryError, UnknownProviderError};
pub use jurisdiction::Jurisdiction;
pub use location::{Availability, Location, LocationKind};
pub use provider::Provider;
