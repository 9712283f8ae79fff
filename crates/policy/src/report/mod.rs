//! Reports: the findings of one `terrane check` run with what was checked, their summary and
//! exit status, and their rendering as text, JSON, SARIF, JUnit XML or Markdown.
//!
//! Rendering is pure: it writes to a string, and the caller decides where the string goes
//! and whether the terminal takes colour.

mod json;
mod junit;
mod markdown;
mod sarif;
mod text;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use terrane_estate::{Estate, InputKind, SourceLocation};

use crate::finding::{Finding, FindingKind, RuleMeta, Severity};

pub use json::REPORT_SCHEMA;

/// Everything one check run found, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The version of the `terrane` tool that produced the report.
    pub tool_version: String,
    /// The id of the jurisdiction the estate was checked against (`EU`).
    pub jurisdiction: String,
    /// The inputs that were read, in command-line order.
    pub inputs: Vec<ReportInput>,
    /// Every rule that was evaluated, whether or not it produced findings.
    pub rules: Vec<RuleMeta>,
    /// The findings, in any order; renderers sort them by input, resource and rule.
    pub findings: Vec<Finding>,
    /// The lowest severity that fails the run (`--fail-on`).
    pub fail_on: Severity,
}

/// One input of a check run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportInput {
    /// The file or directory read, as given.
    pub path: PathBuf,
    /// What kind of input it was.
    pub kind: InputKind,
    /// How many resources it held.
    pub resources: usize,
}

/// Counts over a report. Counts by severity and by kind cover the findings that are not
/// suppressed; suppressed findings are only counted in `suppressed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Findings that are not suppressed.
    pub findings: usize,
    /// Of those, critical ones.
    pub critical: usize,
    /// Of those, high ones.
    pub high: usize,
    /// Of those, medium ones.
    pub medium: usize,
    /// Of those, low ones.
    pub low: usize,
    /// Of those, informational ones.
    pub info: usize,
    /// Of those, violations.
    pub violations: usize,
    /// Of those, warnings.
    pub warnings: usize,
    /// Of those, undecided ones.
    pub undecided: usize,
    /// Suppressed findings.
    pub suppressed: usize,
    /// Findings that fail the run, see [`Report::is_failing`].
    pub failing: usize,
    /// Resources across all inputs.
    pub resources: usize,
    /// Inputs read.
    pub inputs: usize,
}

/// How a check run ends, before errors are considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// No finding fails the run.
    Clean,
    /// At least one finding fails the run.
    Findings,
}

/// The output formats of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable text for a terminal, grouped by input and resource.
    Text,
    /// The `terrane.report/v1` JSON document, described by `docs/src/report.schema.json`.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML, for GitLab CI test reports.
    Junit,
    /// GitHub-flavoured Markdown, for a pull request comment.
    Markdown,
}

/// A format name that is not one of the five.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown report format `{0}` (expected text, json, sarif, junit or markdown)")]
pub struct FormatError(pub String);

/// Presentation options for [`Format::Text`]; the other formats ignore them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextStyle {
    /// Whether to colour the output with ANSI escapes. The caller decides, typically from
    /// whether the output is a terminal and `NO_COLOR`.
    pub color: bool,
}

impl Report {
    /// Whether `finding` fails the run: it is not suppressed, it is a violation or
    /// undecided, and its severity is at least [`Report::fail_on`]. Warnings never fail.
    pub fn is_failing(&self, finding: &Finding) -> bool {
        let counts = matches!(finding.kind, FindingKind::Violation | FindingKind::Undecided);
        finding.suppression.is_none() && counts && finding.severity >= self.fail_on
    }

    /// Counts of findings by severity and kind, suppressed and failing findings, resources
    /// and inputs.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            resources: self.inputs.iter().map(|input| input.resources).sum(),
            inputs: self.inputs.len(),
            ..Summary::default()
        };
        for finding in &self.findings {
            if finding.suppression.is_some() {
                summary.suppressed += 1;
                continue;
            }
            summary.findings += 1;
            summary.failing += usize::from(self.is_failing(finding));
            *summary.severity_count_mut(finding.severity) += 1;
            match finding.kind {
                FindingKind::Violation => summary.violations += 1,
                FindingKind::Warning => summary.warnings += 1,
                FindingKind::Undecided => summary.undecided += 1,
            }
        }
        summary
    }

    /// [`ExitStatus::Findings`] when any finding fails the run.
    pub fn exit_status(&self) -> ExitStatus {
        if self.findings.iter().any(|finding| self.is_failing(finding)) {
            ExitStatus::Findings
        } else {
            ExitStatus::Clean
        }
    }

    /// The metadata of the rule `id`, when it is among the evaluated rules.
    pub fn rule(&self, id: &str) -> Option<&RuleMeta> {
        self.rules.iter().find(|rule| rule.id == id)
    }

    /// The findings in report order: by input, then resource, then rule. Ties fall back to
    /// the kind, the message and the severity so that the order never depends on the order
    /// of evaluation.
    pub fn sorted_findings(&self) -> Vec<&Finding> {
        let mut findings: Vec<&Finding> = self.findings.iter().collect();
        findings.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
        findings
    }
}

impl ReportInput {
    /// The input an estate was read from, with its resource count.
    pub fn from_estate(estate: &Estate) -> ReportInput {
        ReportInput {
            path: estate.origin.clone(),
            kind: estate.kind,
            resources: estate.resources.len(),
        }
    }
}

impl Summary {
    /// The number of unsuppressed findings of `severity`.
    pub fn severity_count(&self, severity: Severity) -> usize {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }

    fn severity_count_mut(&mut self, severity: Severity) -> &mut usize {
        match severity {
            Severity::Critical => &mut self.critical,
            Severity::High => &mut self.high,
            Severity::Medium => &mut self.medium,
            Severity::Low => &mut self.low,
            Severity::Info => &mut self.info,
        }
    }
}

impl ExitStatus {
    /// The process exit code: 0 when clean, 1 when findings fail the run. Errors, which
    /// the caller handles, exit with 2.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Clean => 0,
            ExitStatus::Findings => 1,
        }
    }

    /// `clean` or `findings`, as the JSON report writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ExitStatus::Clean => "clean",
            ExitStatus::Findings => "findings",
        }
    }
}

impl Format {
    /// All formats, in the order the CLI lists them.
    pub const ALL: [Format; 5] =
        [Format::Text, Format::Json, Format::Sarif, Format::Junit, Format::Markdown];

    /// The name used on the command line: `text`, `json`, `sarif`, `junit`, `markdown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Markdown => "markdown",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = FormatError;

    fn from_str(s: &str) -> Result<Format, FormatError> {
        Format::ALL
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| FormatError(s.to_owned()))
    }
}

/// Renders `report` in `format`. Every format ends with a newline.
///
/// # Examples
///
/// ```
/// use terrane_policy::{Format, Report, Severity, TextStyle, render};
///
/// let report = Report {
///     tool_version: "0.1.0".into(),
///     jurisdiction: "EU".into(),
///     inputs: Vec::new(),
///     rules: Vec::new(),
///     findings: Vec::new(),
///     fail_on: Severity::High,
/// };
/// let text = render(&report, Format::Text, TextStyle { color: false });
/// assert!(text.starts_with("no findings"));
/// ```
pub fn render(report: &Report, format: Format, style: TextStyle) -> String {
    match format {
        Format::Text => text::render(report, style),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Junit => junit::render(report),
        Format::Markdown => markdown::render(report),
    }
}

/// The rule metadata of a report, by id.
struct RuleLookup<'a>(HashMap<&'a str, &'a RuleMeta>);

impl<'a> RuleLookup<'a> {
    fn new(report: &'a Report) -> RuleLookup<'a> {
        RuleLookup(report.rules.iter().map(|rule| (rule.id.as_str(), rule)).collect())
    }

    fn get(&self, id: &str) -> Option<&'a RuleMeta> {
        self.0.get(id).copied()
    }

    /// The rule's title, or its id when the rule is not in the report.
    fn title<'b>(&self, id: &'b str) -> &'b str
    where
        'a: 'b,
    {
        self.get(id).map_or(id, |rule| rule.title.as_str())
    }
}

/// The sort key of [`Report::sorted_findings`].
fn order_key(finding: &Finding) -> (&Path, &str, &str, &str, &str, Severity) {
    let kind = finding.kind.as_str();
    (&finding.input, &finding.resource, &finding.rule_id, kind, &finding.message, finding.severity)
}

/// A path with `/` separators whatever the platform, as reports and baselines write them.
pub(crate) fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' { text.into_owned() } else { text.replace('\\', "/") }
}

/// `file:line`, or just `file` when the line is not known. Columns are left to the
/// machine-readable formats: a line is what a reader looks for.
fn location_label(location: &SourceLocation) -> String {
    let file = display_path(&location.file);
    match location.line {
        Some(line) => format!("{file}:{line}"),
        None => file,
    }
}

/// `1 finding`, `2 findings`.
fn count_noun(count: usize, singular: &str, plural: &str) -> String {
    format!("{count} {}", if count == 1 { singular } else { plural })
}
