//! The policy engine: evaluates the built-in sovereignty pack and users' Rego policies
//! over a normalised estate, and renders the findings.
//!
//! It does no I/O of its own beyond what callers hand it, and reads no clock or
//! environment: estates and policy sources in, findings with reasons out.

mod finding;

pub use finding::{Finding, FindingKind, RuleMeta, Severity, SeverityError, Suppression};
