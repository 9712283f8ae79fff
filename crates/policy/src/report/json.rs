//! The JSON format, `terrane.report/v1`: a stable document for scripts and dashboards,
//! described by the JSON Schema in `docs/src/report.schema.json`.
//!
//! The wire types live here so that the domain types stay free of serde. Fields are only
//! ever added within a schema version; renaming or removing one needs a new version.

use serde::Serialize;

use crate::finding::{Finding, RuleMeta, Suppression};

use super::{Report, RuleLookup, Summary, display_path};

/// The `schema` value of the JSON report.
pub const REPORT_SCHEMA: &str = "terrane.report/v1";

pub(super) fn render(report: &Report) -> String {
    let rules = RuleLookup::new(report);
    let wire = ReportWire {
        schema: REPORT_SCHEMA,
        tool: ToolWire {
            name: "terrane",
            version: &report.tool_version,
            information_uri: env!("CARGO_PKG_REPOSITORY"),
        },
        jurisdiction: &report.jurisdiction,
        fail_on: report.fail_on.as_str(),
        status: report.exit_status().as_str(),
        inputs: report
            .inputs
            .iter()
            .map(|input| InputWire {
                path: display_path(&input.path),
                kind: input.kind.as_str(),
                resources: input.resources,
            })
            .collect(),
        summary: SummaryWire::from(report.summary()),
        rules: report.rules.iter().map(RuleWire::from).collect(),
        findings: report
            .sorted_findings()
            .into_iter()
            .map(|finding| FindingWire::new(report, &rules, finding))
            .collect(),
    };

    let mut text =
        serde_json::to_string_pretty(&wire).expect("the report wire types always serialise");
    text.push('\n');
    text
}

#[derive(Serialize)]
struct ReportWire<'a> {
    schema: &'static str,
    tool: ToolWire<'a>,
    jurisdiction: &'a str,
    fail_on: &'static str,
    status: &'static str,
    inputs: Vec<InputWire<'a>>,
    summary: SummaryWire,
    rules: Vec<RuleWire<'a>>,
    findings: Vec<FindingWire<'a>>,
}

#[derive(Serialize)]
struct ToolWire<'a> {
    name: &'static str,
    version: &'a str,
    information_uri: &'static str,
}

#[derive(Serialize)]
struct InputWire<'a> {
    path: String,
    kind: &'a str,
    resources: usize,
}

#[derive(Serialize)]
struct SummaryWire {
    findings: usize,
    by_severity: BySeverityWire,
    by_kind: ByKindWire,
    suppressed: usize,
    failing: usize,
    resources: usize,
    inputs: usize,
}

#[derive(Serialize)]
struct BySeverityWire {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
}

#[derive(Serialize)]
struct ByKindWire {
    violation: usize,
    warning: usize,
    undecided: usize,
}

#[derive(Serialize)]
struct RuleWire<'a> {
    id: &'a str,
    title: &'a str,
    severity: &'static str,
    description: &'a str,
    remediation: &'a str,
    resource_types: &'a [String],
    controls: &'a [String],
    modes: &'a [String],
}

#[derive(Serialize)]
struct FindingWire<'a> {
    rule_id: &'a str,
    title: &'a str,
    severity: &'static str,
    kind: &'static str,
    resource: &'a str,
    resource_type: Option<&'a str>,
    region: Option<&'a str>,
    message: &'a str,
    input: String,
    location: Option<LocationWire>,
    suppression: Option<SuppressionWire<'a>>,
    failing: bool,
    fingerprint: String,
}

#[derive(Serialize)]
struct LocationWire {
    file: String,
    line: Option<u32>,
    column: Option<u32>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum SuppressionWire<'a> {
    Inline { reason: &'a str },
    Tag { expires: Option<&'a str> },
    Baseline,
}

impl From<Summary> for SummaryWire {
    fn from(summary: Summary) -> SummaryWire {
        SummaryWire {
            findings: summary.findings,
            by_severity: BySeverityWire {
                critical: summary.critical,
                high: summary.high,
                medium: summary.medium,
                low: summary.low,
                info: summary.info,
            },
            by_kind: ByKindWire {
                violation: summary.violations,
                warning: summary.warnings,
                undecided: summary.undecided,
            },
            suppressed: summary.suppressed,
            failing: summary.failing,
            resources: summary.resources,
            inputs: summary.inputs,
        }
    }
}

impl<'a> From<&'a RuleMeta> for RuleWire<'a> {
    fn from(rule: &'a RuleMeta) -> RuleWire<'a> {
        RuleWire {
            id: &rule.id,
            title: &rule.title,
            severity: rule.severity.as_str(),
            description: &rule.description,
            remediation: &rule.remediation,
            resource_types: &rule.resource_types,
            controls: &rule.controls,
            modes: &rule.modes,
        }
    }
}

impl<'a> FindingWire<'a> {
    fn new(report: &Report, rules: &RuleLookup<'a>, finding: &'a Finding) -> FindingWire<'a> {
        FindingWire {
            rule_id: &finding.rule_id,
            title: rules.title(&finding.rule_id),
            severity: finding.severity.as_str(),
            kind: finding.kind.as_str(),
            resource: &finding.resource,
            resource_type: finding.resource_type.as_deref(),
            region: finding.region.as_deref(),
            message: &finding.message,
            input: display_path(&finding.input),
            location: finding.source.as_ref().map(|source| LocationWire {
                file: display_path(&source.file),
                line: source.line,
                column: source.column,
            }),
            suppression: finding.suppression.as_ref().map(|suppression| match suppression {
                Suppression::Inline { reason } => SuppressionWire::Inline { reason },
                Suppression::Tag { expires } => {
                    SuppressionWire::Tag { expires: expires.as_deref() }
                }
                Suppression::Baseline => SuppressionWire::Baseline,
            }),
            failing: report.is_failing(finding),
            fingerprint: finding.fingerprint(),
        }
    }
}
