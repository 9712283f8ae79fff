//! The policy engine: evaluates the built-in sovereignty pack and users' Rego policies
//! over a normalised estate, and renders the findings.
//!
//! It does no I/O of its own beyond what callers hand it, and reads no clock or
//! environment: estates and policy sources in, findings with reasons out. The one
//! exception is [`load_policy_dir`], a helper for callers that read policy directories
//! from disk; evaluation never calls it.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod builtins;
mod error;
mod evaluate;
mod finding;
mod input;
mod load;
mod locate;
mod pack;
mod report;
mod source;
mod suppress;
mod testing;
mod user;
mod value;

pub use error::PolicyError;
pub use evaluate::{Evaluation, Evaluator, EvaluatorBuilder};
pub use finding::{Finding, FindingKind, RuleMeta, Severity, SeverityError, Suppression};
pub use load::load_policy_dir;
pub use locate::CatalogHandle;
pub use pack::{
    NOT_EVALUATED_RULE_ID, PackRule, builtin_pack, not_evaluated_rule, read_pack_rules,
};
pub use report::{
    ExitStatus, Format, FormatError, REPORT_SCHEMA, Report, ReportInput, Summary, TextStyle, render,
};
pub use source::PolicySource;
pub use suppress::{
    Baseline, BaselineEntry, BaselineError, Date, DateError, EXPIRED_WAIVER_RULE,
    MALFORMED_WAIVER_RULE, SuppressionProblem, WAIVER_LABEL, WAIVER_TAG, apply_suppressions,
    waiver_rules,
};
pub use testing::{TestCase, TestOutcome, TestReport, run_tests};
pub use user::Namespaces;
