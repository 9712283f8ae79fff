//! The Markdown format, for a pull request comment: the verdict, a summary table by
//! severity, a table of the findings that fail the run, and collapsed sections for the other
//! findings and the suppressed ones.
//!
//! Everything taken from the input is escaped, so that a message or address cannot break
//! the tables or inject markup into the comment.

use std::fmt::{self, Write as _};

use crate::finding::{Finding, FindingKind, Severity, Suppression};

use super::{Report, Summary, count_noun, display_path, location_label};

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    write_comment(&mut out, report).expect("formatting into a String never fails");
    out
}

fn write_comment(out: &mut String, report: &Report) -> fmt::Result {
    let summary = report.summary();
    let findings = report.sorted_findings();
    let (failing, rest): (Vec<&Finding>, Vec<&Finding>) =
        findings.into_iter().partition(|finding| report.is_failing(finding));
    let (suppressed, other): (Vec<&Finding>, Vec<&Finding>) =
        rest.into_iter().partition(|finding| finding.suppression.is_some());

    let fail_on = report.fail_on;
    match summary.failing {
        0 => writeln!(out, "### Terrane: no finding fails at `{fail_on}`")?,
        1 => writeln!(out, "### Terrane: 1 finding fails at `{fail_on}`")?,
        count => writeln!(out, "### Terrane: {count} findings fail at `{fail_on}`")?,
    }
    writeln!(out)?;
    writeln!(
        out,
        "Jurisdiction {}, {} in {}: {}, {} suppressed.",
        code(&report.jurisdiction),
        count_noun(summary.resources, "resource", "resources"),
        count_noun(summary.inputs, "input", "inputs"),
        count_noun(summary.findings, "finding", "findings"),
        summary.suppressed,
    )?;
    writeln!(out)?;
    write_severity_table(out, &summary, &failing)?;

    if !failing.is_empty() {
        writeln!(out)?;
        writeln!(out, "#### Failing findings")?;
        writeln!(out)?;
        write_findings_table(out, &failing)?;
    }
    if !other.is_empty() {
        writeln!(out)?;
        let summary = format!("Other findings ({}): warnings, or below {fail_on}", other.len());
        write_details_open(out, &summary)?;
        write_findings_table(out, &other)?;
        writeln!(out, "\n</details>")?;
    }
    if !suppressed.is_empty() {
        writeln!(out)?;
        write_details_open(out, &format!("Suppressed findings ({})", suppressed.len()))?;
        write_suppressed_table(out, &suppressed)?;
        writeln!(out, "\n</details>")?;
    }
    Ok(())
}

fn write_severity_table(out: &mut String, summary: &Summary, failing: &[&Finding]) -> fmt::Result {
    writeln!(out, "| severity | findings | failing |")?;
    writeln!(out, "| --- | ---: | ---: |")?;
    for severity in Severity::ALL.into_iter().rev() {
        let failing = failing.iter().filter(|finding| finding.severity == severity).count();
        writeln!(out, "| {severity} | {} | {failing} |", summary.severity_count(severity))?;
    }
    writeln!(out, "| **total** | **{}** | **{}** |", summary.findings, summary.failing)?;
    if summary.warnings > 0 || summary.undecided > 0 {
        writeln!(out)?;
        writeln!(
            out,
            "Warnings never fail the run ({} here); undecided findings, whose value is unknown \
             until apply or was not evaluated, fail like violations ({} here).",
            summary.warnings, summary.undecided,
        )?;
    }
    Ok(())
}

fn write_details_open(out: &mut String, summary: &str) -> fmt::Result {
    // The blank line after `<summary>` lets GitHub render the Markdown table inside.
    writeln!(out, "<details>\n<summary>{}</summary>\n", escape_html(summary))
}

fn write_findings_table(out: &mut String, findings: &[&Finding]) -> fmt::Result {
    writeln!(out, "| severity | rule | resource | location | message |")?;
    writeln!(out, "| --- | --- | --- | --- | --- |")?;
    for finding in findings {
        let severity = match finding.kind {
            FindingKind::Violation => finding.severity.as_str().to_owned(),
            kind => format!("{} ({})", finding.severity, kind.as_str()),
        };
        let location = match &finding.source {
            Some(source) => location_label(source),
            None => display_path(&finding.input),
        };
        writeln!(
            out,
            "| {severity} | {} | {} | {} | {} |",
            code(&finding.rule_id),
            code(&finding.resource),
            code(&location),
            escape_text(&finding.message),
        )?;
    }
    Ok(())
}

fn write_suppressed_table(out: &mut String, findings: &[&Finding]) -> fmt::Result {
    writeln!(out, "| rule | resource | input | suppressed by |")?;
    writeln!(out, "| --- | --- | --- | --- |")?;
    for finding in findings {
        let why = match &finding.suppression {
            Some(Suppression::Inline { reason }) => {
                format!("inline comment: {}", escape_text(reason))
            }
            Some(Suppression::Tag { expires: Some(expires) }) => {
                format!("waiver until {}", escape_text(expires))
            }
            Some(Suppression::Tag { expires: None }) => "waiver".to_owned(),
            Some(Suppression::Baseline) | None => "baseline".to_owned(),
        };
        writeln!(
            out,
            "| {} | {} | {} | {why} |",
            code(&finding.rule_id),
            code(&finding.resource),
            code(&display_path(&finding.input)),
        )?;
    }
    Ok(())
}

/// A code span that holds `text` whatever backticks it contains, safe inside a table cell.
fn code(text: &str) -> String {
    let text = escape_code(&one_line(text));
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    // A space on both sides keeps a leading or trailing backtick from joining the fence;
    // CommonMark strips one such space from each side.
    let padding = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{padding}{text}{padding}{fence}")
}

/// Escapes what a code span inside a table cannot hold: GitHub splits cells on `|` even in
/// code spans, unless it is escaped.
fn escape_code(text: &str) -> String {
    text.replace('|', "\\|")
}

/// Plain text safe in a table cell: Markdown punctuation is backslash-escaped, HTML
/// brackets become entities, and line breaks become spaces.
fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '&' => escaped.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' => {
                escaped.push('\\');
                escaped.push(c);
            }
            c => escaped.push(c),
        }
    }
    escaped
}

/// Text for inside an HTML element.
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_cells_from_input() {
        let cases = [
            ("plain text", "plain text"),
            ("a | b", "a \\| b"),
            ("`x` and *y* _z_", "\\`x\\` and \\*y\\* \\_z\\_"),
            ("<script>&", "&lt;script&gt;&amp;"),
            ("two\nlines", "two lines"),
            ("[link](http://x)", "\\[link\\](http://x)"),
        ];
        for (text, expected) in cases {
            assert_eq!(escape_text(text), expected, "{text:?}");
        }
    }

    #[test]
    fn fences_code_spans_around_backticks_and_pipes() {
        let cases = [
            ("aws_s3_bucket.b", "`aws_s3_bucket.b`"),
            ("a`b", "``a`b``"),
            ("`edge`", "`` `edge` ``"),
            ("m.b[\"x|y\"]", "`m.b[\"x\\|y\"]`"),
            ("a``b`", "``` a``b` ```"),
        ];
        for (text, expected) in cases {
            assert_eq!(code(text), expected, "{text:?}");
        }
    }
}
