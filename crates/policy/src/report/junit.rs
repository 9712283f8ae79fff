//! The JUnit XML format, for GitLab CI test reports: one test suite per input and one test
//! case per finding.
//!
//! JUnit has no notion of a warning, and GitLab counts every `<failure>` as a failed test,
//! so only findings that fail the run are failures; the others are passing test cases with
//! the finding in `<system-out>`, and suppressed findings are skipped test cases. An input
//! without unsuppressed findings gets one passing test case saying so, so that clean inputs
//! show up as passed.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::finding::{Finding, Suppression};

use super::{Report, ReportInput, RuleLookup, display_path, location_label};

pub(super) fn render(report: &Report) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    write_document(&mut writer, report).expect("writing XML to memory never fails");
    let mut xml = String::from_utf8(writer.into_inner())
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
    xml.push('\n');
    xml
}

/// The test cases of one input.
struct Suite<'a> {
    name: String,
    input: Option<&'a ReportInput>,
    findings: Vec<&'a Finding>,
}

/// What one test case records.
enum Outcome {
    Failed,
    Passed,
    Skipped,
}

/// Counts of one suite or of the whole document.
#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    skipped: usize,
}

fn write_document(writer: &mut Writer<Vec<u8>>, report: &Report) -> io::Result<()> {
    let rules = RuleLookup::new(report);
    let suites = suites(report);
    let total = suites.iter().fold(Counts::default(), |total, suite| {
        let counts = suite_counts(report, suite);
        Counts {
            tests: total.tests + counts.tests,
            failures: total.failures + counts.failures,
            skipped: total.skipped + counts.skipped,
        }
    });

    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let (tests, failures, skipped) =
        (total.tests.to_string(), total.failures.to_string(), total.skipped.to_string());
    writer
        .create_element("testsuites")
        .with_attribute(("name", "terrane"))
        .with_attribute(("tests", tests.as_str()))
        .with_attribute(("failures", failures.as_str()))
        .with_attribute(("errors", "0"))
        .with_attribute(("skipped", skipped.as_str()))
        .write_inner_content(|writer| {
            suites.iter().try_for_each(|suite| write_suite(writer, report, &rules, suite))
        })?;
    Ok(())
}

/// One suite per input in path order, including inputs that only findings mention.
fn suites(report: &Report) -> Vec<Suite<'_>> {
    let mut suites: BTreeMap<&Path, Suite<'_>> = report
        .inputs
        .iter()
        .map(|input| {
            let suite =
                Suite { name: display_path(&input.path), input: Some(input), findings: Vec::new() };
            (input.path.as_path(), suite)
        })
        .collect();
    for finding in report.sorted_findings() {
        suites
            .entry(finding.input.as_path())
            .or_insert_with(|| Suite {
                name: display_path(&finding.input),
                input: None,
                findings: Vec::new(),
            })
            .findings
            .push(finding);
    }
    suites.into_values().collect()
}

fn outcome(report: &Report, finding: &Finding) -> Outcome {
    if finding.suppression.is_some() {
        Outcome::Skipped
    } else if report.is_failing(finding) {
        Outcome::Failed
    } else {
        Outcome::Passed
    }
}

fn needs_clean_case(suite: &Suite<'_>) -> bool {
    suite.findings.iter().all(|finding| finding.suppression.is_some())
}

fn suite_counts(report: &Report, suite: &Suite<'_>) -> Counts {
    let mut counts = Counts { tests: usize::from(needs_clean_case(suite)), ..Counts::default() };
    for finding in &suite.findings {
        counts.tests += 1;
        match outcome(report, finding) {
            Outcome::Failed => counts.failures += 1,
            Outcome::Skipped => counts.skipped += 1,
            Outcome::Passed => {}
        }
    }
    counts
}

fn write_suite(
    writer: &mut Writer<Vec<u8>>,
    report: &Report,
    rules: &RuleLookup<'_>,
    suite: &Suite<'_>,
) -> io::Result<()> {
    let counts = suite_counts(report, suite);
    let (tests, failures, skipped) =
        (counts.tests.to_string(), counts.failures.to_string(), counts.skipped.to_string());
    let name = attribute(&suite.name);
    writer
        .create_element("testsuite")
        .with_attribute(("name", name.as_ref()))
        .with_attribute(("tests", tests.as_str()))
        .with_attribute(("failures", failures.as_str()))
        .with_attribute(("errors", "0"))
        .with_attribute(("skipped", skipped.as_str()))
        .with_attribute(("time", "0"))
        .write_inner_content(|writer| {
            write_properties(writer, report, suite.input)?;
            for finding in &suite.findings {
                write_case(writer, report, rules, finding)?;
            }
            if needs_clean_case(suite) {
                writer
                    .create_element("testcase")
                    .with_attribute(("classname", "terrane"))
                    .with_attribute(("name", "no findings"))
                    .with_attribute(("time", "0"))
                    .write_empty()?;
            }
            Ok(())
        })?;
    Ok(())
}

fn write_properties(
    writer: &mut Writer<Vec<u8>>,
    report: &Report,
    input: Option<&ReportInput>,
) -> io::Result<()> {
    let mut properties = vec![
        ("jurisdiction", attribute(&report.jurisdiction).into_owned()),
        ("fail_on", report.fail_on.as_str().to_owned()),
    ];
    if let Some(input) = input {
        properties.push(("kind", input.kind.as_str().to_owned()));
        properties.push(("resources", input.resources.to_string()));
    }
    writer.create_element("properties").write_inner_content(|writer| {
        for (name, value) in &properties {
            writer
                .create_element("property")
                .with_attribute(("name", *name))
                .with_attribute(("value", value.as_str()))
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_case(
    writer: &mut Writer<Vec<u8>>,
    report: &Report,
    rules: &RuleLookup<'_>,
    finding: &Finding,
) -> io::Result<()> {
    let classname = attribute(&finding.rule_id);
    let name = attribute(&finding.resource);
    let file =
        finding.source.as_ref().map(|source| attribute(&display_path(&source.file)).into_owned());
    let mut case = writer
        .create_element("testcase")
        .with_attribute(("classname", classname.as_ref()))
        .with_attribute(("name", name.as_ref()))
        .with_attribute(("time", "0"));
    if let Some(file) = &file {
        case = case.with_attribute(("file", file.as_str()));
    }

    let details = details(report, rules, finding);
    case.write_inner_content(|writer| {
        let message = attribute(&finding.message);
        match outcome(report, finding) {
            Outcome::Failed => {
                writer
                    .create_element("failure")
                    .with_attribute(("message", message.as_ref()))
                    .with_attribute(("type", finding.severity.as_str()))
                    .write_text_content(BytesText::new(&details))?;
            }
            Outcome::Passed => {
                writer.create_element("system-out").write_text_content(BytesText::new(&details))?;
            }
            Outcome::Skipped => {
                let reason = suppression_text(finding.suppression.as_ref());
                let reason = attribute(&reason);
                writer
                    .create_element("skipped")
                    .with_attribute(("message", reason.as_ref()))
                    .write_empty()?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// The text body of a failure or `system-out`: everything a reader of the CI job needs.
fn details(report: &Report, rules: &RuleLookup<'_>, finding: &Finding) -> String {
    let mut lines = vec![
        format!("{}: {}", finding.rule_id, rules.title(&finding.rule_id)),
        format!("severity: {} {}", finding.severity, finding.kind.as_str()),
        format!("resource: {}", finding.resource),
    ];
    if let Some(region) = &finding.region {
        lines.push(format!("region: {region}"));
    }
    lines.push(format!("input: {}", display_path(&finding.input)));
    if let Some(source) = &finding.source {
        lines.push(format!("location: {}", location_label(source)));
    }
    lines.push(format!("message: {}", finding.message));
    if let Some(rule) = rules.get(&finding.rule_id).filter(|rule| !rule.remediation.is_empty()) {
        lines.push(format!("remediation: {}", rule.remediation));
    }
    let verdict = if report.is_failing(finding) { "fails" } else { "does not fail" };
    lines.push(format!("{verdict} the run at {}", report.fail_on));
    xml_text(&lines.join("\n")).into_owned()
}

fn suppression_text(suppression: Option<&Suppression>) -> String {
    match suppression {
        Some(Suppression::Inline { reason }) => format!("suppressed inline: {reason}"),
        Some(Suppression::Tag { expires: Some(expires) }) => {
            format!("waived by tag until {expires}")
        }
        Some(Suppression::Tag { expires: None }) => "waived by tag".to_owned(),
        Some(Suppression::Baseline) => "accepted in the baseline".to_owned(),
        None => String::new(),
    }
}

/// Text with the characters XML 1.0 forbids replaced, since quick-xml escapes markup but
/// passes control characters through and a parser would reject them.
fn xml_text(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    };
    if text.chars().all(allowed) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| if allowed(c) { c } else { '\u{FFFD}' }).collect())
}

/// An attribute value on one line: parsers turn line breaks and tabs in attributes into
/// spaces anyway, and forbidden characters would make the document invalid.
fn attribute(text: &str) -> Cow<'_, str> {
    let text = xml_text(text);
    if !text.contains(['\n', '\r', '\t']) {
        return text;
    }
    Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
}
