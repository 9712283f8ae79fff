//! Findings and the rule metadata they point to.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use terrane_estate::SourceLocation;

/// How bad a finding is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing, never fails a build by default.
    Info,
    /// Hardening advice.
    Low,
    /// A weakness that should be fixed.
    Medium,
    /// A sovereignty or security breach that fails the build by default.
    High,
    /// Data or keys already outside the jurisdiction, or open to the world.
    Critical,
}

impl Severity {
    /// All severities, from least to most severe.
    pub const ALL: [Severity; 5] =
        [Severity::Info, Severity::Low, Severity::Medium, Severity::High, Severity::Critical];

    /// The lowercase name: `info`, `low`, `medium`, `high`, `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A severity name that is not one of the five.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity `{0}` (expected info, low, medium, high or critical)")]
pub struct SeverityError(pub String);

impl FromStr for Severity {
    type Err = SeverityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|severity| severity.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| SeverityError(s.to_owned()))
    }
}

/// The metadata of one rule of the built-in pack, or of a user policy rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable id (`TRN-AWS-KEY-002`); for user policies the package and rule name
    /// (`main.deny`).
    pub id: String,
    /// One line title.
    pub title: String,
    /// Default severity.
    pub severity: Severity,
    /// What the rule checks and why it matters for sovereignty.
    pub description: String,
    /// How to fix a violation.
    pub remediation: String,
    /// The Terraform resource types it inspects; `*` for all.
    pub resource_types: Vec<String>,
    /// Upstream controls it maps to (`AWS-GR_REGION_DENY`, `C5:PSS-12`, Azure policy
    /// GUIDs, GCP constraints, Checkov ids).
    pub controls: Vec<String>,
    /// The inputs where the rule can decide: `plan`, `state`, `hcl`, `live`.
    pub modes: Vec<String>,
}

/// What kind of result a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FindingKind {
    /// The resource breaks the rule.
    Violation,
    /// A user policy `warn` result: reported, never fails the build on its own.
    Warning,
    /// The rule could not decide (unknown region, value unknown until apply, a module or
    /// expression that was not evaluated). Fails closed like a violation.
    Undecided,
}

impl FindingKind {
    /// `violation`, `warning` or `undecided`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Violation => "violation",
            FindingKind::Warning => "warning",
            FindingKind::Undecided => "undecided",
        }
    }
}

/// Why a finding does not count against the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suppression {
    /// An inline `# terrane:ignore[RULE-ID] reason` comment on the HCL block.
    Inline {
        /// The reason given in the comment.
        reason: String,
    },
    /// A `terrane:ignore` tag on the resource, valid until `expires` (ISO date).
    Tag {
        /// The expiry date as written, `YYYY-MM-DD`.
        expires: Option<String>,
    },
    /// Present in the baseline file given with `--baseline`.
    Baseline,
}

/// One result of one rule on one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rule id.
    pub rule_id: String,
    /// The effective severity.
    pub severity: Severity,
    /// Violation, warning or undecided.
    pub kind: FindingKind,
    /// The Terraform address of the resource (`module.a.aws_s3_bucket.b`); for findings
    /// not tied to a resource, the input file.
    pub resource: String,
    /// The resource type, when the finding is on a resource.
    pub resource_type: Option<String>,
    /// The resolved region of the resource, when known.
    pub region: Option<String>,
    /// The message produced by the rule.
    pub message: String,
    /// The input file or directory the resource came from.
    pub input: PathBuf,
    /// Where the resource is declared, when known (always for HCL input).
    pub source: Option<SourceLocation>,
    /// Set when the finding is suppressed and does not count toward the exit code.
    pub suppression: Option<Suppression>,
}

impl Finding {
    /// A stable identity for baselines and deduplication: rule, resource and input.
    pub fn fingerprint(&self) -> String {
        format!("{}|{}|{}", self.rule_id, self.resource, self.input.display())
    }
}
