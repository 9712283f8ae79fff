//! Errors of the policy engine. Every variant names the policy file, rule or input that
//! failed, so that a user can find what to fix.

use std::path::PathBuf;

/// Why policies could not be loaded or evaluated.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// A policy directory or file could not be read.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// A policy file is not valid Rego, or refers to something that does not exist.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Compile {
        /// The policy file.
        path: PathBuf,
        /// 1-based line, 0 when the compiler gave none.
        line: u32,
        /// 1-based column, 0 when the compiler gave none.
        column: u32,
        /// What is wrong, as the compiler says it.
        message: String,
    },
    /// Evaluating a rule failed at run time (a builtin error, a conflict between rule
    /// values).
    #[error("{}:{line}:{column}: evaluation failed: {message}", path.display())]
    Evaluation {
        /// The policy file where evaluation failed, or `<query>` for the engine's query.
        path: PathBuf,
        /// 1-based line, 0 when the evaluator gave none.
        line: u32,
        /// 1-based column, 0 when the evaluator gave none.
        column: u32,
        /// What went wrong, as the evaluator says it.
        message: String,
    },
    /// A rule of the built-in pack has missing or malformed metadata.
    #[error("`{}`: rule `{rule_id}`: {message}", path.display())]
    Metadata {
        /// The policy file that declares the rule.
        path: PathBuf,
        /// The rule id, as written.
        rule_id: String,
        /// What is wrong with its metadata.
        message: String,
    },
    /// A rule produced a result that is not a finding: a wrong type or a missing field.
    #[error("rule `{rule}` produced a malformed result: {message}")]
    MalformedResult {
        /// The rule path (`terrane.pack.aws.keys.deny`, `main.deny`).
        rule: String,
        /// What is wrong with the result.
        message: String,
    },
    /// A pack rule reported a finding under a rule id that has no metadata.
    #[error("rule `{rule}` reported a finding for `{rule_id}`, which has no metadata")]
    UnknownRuleId {
        /// The rule path that produced the finding.
        rule: String,
        /// The rule id of the finding.
        rule_id: String,
    },
    /// The jurisdiction under evaluation is not in the catalog.
    #[error("unknown jurisdiction `{id}`")]
    UnknownJurisdiction {
        /// The id that was asked for.
        id: String,
    },
    /// External data could not be added under `data.terrane`.
    #[error("cannot add external data: {message}")]
    Data {
        /// What is wrong with it.
        message: String,
    },
}
