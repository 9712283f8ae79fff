//! The text format: findings grouped by input and resource for a terminal, suppressed
//! findings listed briefly after them, and a one-line summary at the end.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::Path;

use owo_colors::Style;

use crate::finding::{Finding, FindingKind, Severity, Suppression};

use super::{Report, ReportInput, RuleLookup, TextStyle, count_noun, display_path, location_label};

pub(super) fn render(report: &Report, style: TextStyle) -> String {
    let painter = Painter { color: style.color };
    let rules = RuleLookup::new(report);
    let findings = report.sorted_findings();
    let (suppressed, active): (Vec<&Finding>, Vec<&Finding>) =
        findings.into_iter().partition(|finding| finding.suppression.is_some());

    let mut out = String::new();
    write_report(&mut out, report, &painter, &rules, &active, &suppressed)
        .expect("formatting into a String never fails");
    out
}

fn write_report(
    out: &mut String,
    report: &Report,
    painter: &Painter,
    rules: &RuleLookup<'_>,
    active: &[&Finding],
    suppressed: &[&Finding],
) -> fmt::Result {
    // Sections are separated by a blank line: each input, the suppressed findings and the
    // summary.
    for (path, group) in group_by_input(report, active) {
        if !out.is_empty() {
            writeln!(out)?;
        }
        write_input(out, painter, rules, path, group)?;
    }
    if !suppressed.is_empty() {
        writeln!(out)?;
        write_suppressed(out, painter, suppressed)?;
    }
    if !out.is_empty() {
        writeln!(out)?;
    }
    writeln!(out, "{}", summary_line(report, painter))
}

/// The summary at the end of the text report:
/// `12 findings (2 critical, 5 high; 1 warning), 3 suppressed, 40 resources in 2 inputs — 7
/// failing at high`.
fn summary_line(report: &Report, painter: &Painter) -> String {
    let summary = report.summary();
    let mut details: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .filter(|severity| summary.severity_count(**severity) > 0)
        .map(|severity| format!("{} {severity}", summary.severity_count(*severity)))
        .collect();
    let kinds: Vec<String> = [
        (summary.warnings, count_noun(summary.warnings, "warning", "warnings")),
        (summary.undecided, format!("{} undecided", summary.undecided)),
    ]
    .into_iter()
    .filter(|(count, _)| *count > 0)
    .map(|(_, text)| text)
    .collect();
    if !kinds.is_empty() {
        let kinds = kinds.join(", ");
        match details.last_mut() {
            Some(last) => *last = format!("{last}; {kinds}"),
            None => details.push(kinds),
        }
    }

    let findings = match summary.findings {
        0 => "no findings".to_owned(),
        count => format!("{} ({})", count_noun(count, "finding", "findings"), details.join(", ")),
    };
    let verdict = match summary.failing {
        0 => painter.paint(&format!("none failing at {}", report.fail_on), Style::new().green()),
        count => painter
            .paint(&format!("{count} failing at {}", report.fail_on), Style::new().red().bold()),
    };
    format!(
        "{findings}, {} suppressed, {} in {} — {verdict}",
        summary.suppressed,
        count_noun(summary.resources, "resource", "resources"),
        count_noun(summary.inputs, "input", "inputs"),
    )
}

/// Applies colour when the caller asked for it.
struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, text: &str, style: Style) -> String {
        if self.color { style.style(text).to_string() } else { text.to_owned() }
    }
}

/// The findings of each input, under the inputs in path order. Inputs without findings are
/// kept so that the report says they were clean.
struct InputGroup<'a> {
    input: Option<&'a ReportInput>,
    findings: Vec<&'a Finding>,
}

fn group_by_input<'a>(
    report: &'a Report,
    active: &[&'a Finding],
) -> BTreeMap<&'a Path, InputGroup<'a>> {
    let mut groups: BTreeMap<&Path, InputGroup<'a>> = report
        .inputs
        .iter()
        .map(|input| {
            (input.path.as_path(), InputGroup { input: Some(input), findings: Vec::new() })
        })
        .collect();
    for finding in active {
        groups
            .entry(finding.input.as_path())
            .or_insert_with(|| InputGroup { input: None, findings: Vec::new() })
            .findings
            .push(finding);
    }
    groups
}

fn write_input(
    out: &mut String,
    painter: &Painter,
    rules: &RuleLookup<'_>,
    path: &Path,
    group: InputGroup<'_>,
) -> fmt::Result {
    let mut heading = painter.paint(&display_path(path), Style::new().bold().underline());
    if let Some(input) = group.input {
        let resources = count_noun(input.resources, "resource", "resources");
        write!(heading, " ({}, {resources})", input.kind.as_str())?;
    }
    if group.findings.is_empty() {
        return writeln!(out, "{heading}: no findings");
    }
    writeln!(out, "{heading}")?;

    let mut current_resource = None;
    for finding in group.findings {
        if current_resource != Some(finding.resource.as_str()) {
            current_resource = Some(finding.resource.as_str());
            let region =
                finding.region.as_deref().map(|region| format!(" ({region})")).unwrap_or_default();
            let resource = painter.paint(&finding.resource, Style::new().bold());
            writeln!(out, "  {resource}{region}")?;
        }
        write_finding(out, painter, rules, finding)?;
    }
    Ok(())
}

fn write_finding(
    out: &mut String,
    painter: &Painter,
    rules: &RuleLookup<'_>,
    finding: &Finding,
) -> fmt::Result {
    let location = finding
        .source
        .as_ref()
        .map(|source| painter.paint(&format!("{}: ", location_label(source)), Style::new().cyan()))
        .unwrap_or_default();
    let tag = match finding.kind {
        FindingKind::Violation => finding.severity.as_str().to_owned(),
        kind => format!("{} {}", finding.severity, kind.as_str()),
    };
    let tag = painter.paint(&format!("[{tag}]"), severity_style(finding));
    let rule = painter.paint(&finding.rule_id, Style::new().bold());
    writeln!(out, "    {location}{tag} {rule} {}", one_line(&finding.message))?;

    if let Some(rule) = rules.get(&finding.rule_id).filter(|rule| !rule.remediation.is_empty()) {
        let hint = painter.paint("hint:", Style::new().dimmed());
        writeln!(out, "      {hint} {}", one_line(&rule.remediation))?;
    }
    Ok(())
}

fn write_suppressed(out: &mut String, painter: &Painter, suppressed: &[&Finding]) -> fmt::Result {
    let heading = format!("suppressed ({}):", suppressed.len());
    writeln!(out, "{}", painter.paint(&heading, Style::new().dimmed()))?;
    for finding in suppressed {
        let why = match &finding.suppression {
            Some(Suppression::Inline { reason }) => format!("inline: {}", one_line(reason)),
            Some(Suppression::Tag { expires: Some(expires) }) => format!("waiver until {expires}"),
            Some(Suppression::Tag { expires: None }) => "waiver".to_owned(),
            Some(Suppression::Baseline) | None => "baseline".to_owned(),
        };
        writeln!(
            out,
            "  {} on {} in {}: {why}",
            finding.rule_id,
            finding.resource,
            display_path(&finding.input)
        )?;
    }
    Ok(())
}

fn severity_style(finding: &Finding) -> Style {
    if finding.kind == FindingKind::Warning {
        return Style::new().yellow();
    }
    match finding.severity {
        Severity::Critical => Style::new().red().bold(),
        Severity::High => Style::new().red(),
        Severity::Medium => Style::new().yellow(),
        Severity::Low => Style::new().blue(),
        Severity::Info => Style::new().dimmed(),
    }
}

/// Joins the lines of a multi-line text so that it stays on one report line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
