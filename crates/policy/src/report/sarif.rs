//! The SARIF 2.1.0 format: one run of the `terrane` driver, for GitHub code scanning and
//! other SARIF viewers.
//!
//! Rules carry GitHub's `security-severity` and `precision` properties so that code scanning
//! ranks them as security alerts. Suppressed findings stay in the log with a `suppressions`
//! entry, which viewers show as dismissed, rather than disappearing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path};

use serde::Serialize;

use crate::finding::{Finding, FindingKind, RuleMeta, Severity, Suppression};

use super::{Report, display_path};

/// The base id that relative artifact URIs are resolved against: the directory the check
/// ran in, which code scanning maps to the repository root.
const SOURCE_ROOT: &str = "%SRCROOT%";

/// The key of the finding's fingerprint hash in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "terraneFingerprint/v1";

pub(super) fn render(report: &Report) -> String {
    let rules = rule_descriptors(report);
    let rule_index: HashMap<&str, usize> =
        rules.iter().enumerate().map(|(index, rule)| (rule.id, index)).collect();
    let results = report
        .sorted_findings()
        .into_iter()
        .map(|finding| SarifResult::new(report, finding, rule_index.get(finding.rule_id.as_str())))
        .collect();

    let log = SarifLog {
        schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "terrane",
                    version: &report.tool_version,
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules,
                },
            },
            original_uri_base_ids: BTreeMap::from([(
                SOURCE_ROOT,
                ArtifactLocation {
                    uri: None,
                    uri_base_id: None,
                    description: Some(Message::new("The directory `terrane check` ran in.")),
                },
            )]),
            column_kind: "unicodeCodePoints",
            results,
            properties: RunProperties {
                jurisdiction: &report.jurisdiction,
                fail_on: report.fail_on.as_str(),
            },
        }],
    };

    let mut text =
        serde_json::to_string_pretty(&log).expect("the SARIF wire types always serialise");
    text.push('\n');
    text
}

/// The `level` SARIF gives a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` score. Code scanning reads scores above 9.0 as critical,
/// 7.0 to 8.9 as high, 4.0 to 6.9 as medium and below as low, so critical sits clear of the
/// boundary.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "7.5",
        Severity::Medium => "5.0",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// The report's rules, then a bare descriptor for any rule id a finding names that the
/// report does not describe, so that every result has a `ruleIndex`.
fn rule_descriptors(report: &Report) -> Vec<ReportingDescriptor<'_>> {
    let mut seen = BTreeSet::new();
    let mut descriptors: Vec<ReportingDescriptor<'_>> = report
        .rules
        .iter()
        .filter(|rule| seen.insert(rule.id.as_str()))
        .map(ReportingDescriptor::from_rule)
        .collect();

    let mut unknown: BTreeMap<&str, Severity> = BTreeMap::new();
    for finding in report.findings.iter().filter(|finding| !seen.contains(finding.rule_id.as_str()))
    {
        let severity = unknown.entry(&finding.rule_id).or_insert(finding.severity);
        *severity = (*severity).max(finding.severity);
    }
    descriptors
        .extend(unknown.into_iter().map(|(id, severity)| ReportingDescriptor::bare(id, severity)));
    descriptors
}

/// `TitleInPascalCase` from a rule title, for the descriptor's `name`.
fn pascal_case(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .flat_map(|word| {
            let mut chars = word.chars();
            chars.next().into_iter().flat_map(char::to_uppercase).chain(chars)
        })
        .collect()
}

/// A stable hash of the finding fingerprint, hex encoded: FNV-1a with 128 bits. Viewers
/// compare it across runs, so it must not change between builds or platforms, which rules
/// out the standard library's hasher.
fn fingerprint_hash(fingerprint: &str) -> String {
    const OFFSET_BASIS: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let hash = fingerprint
        .bytes()
        .fold(OFFSET_BASIS, |hash, byte| (hash ^ u128::from(byte)).wrapping_mul(PRIME));
    format!("{hash:032x}")
}

/// An artifact location for a path: relative paths against [`SOURCE_ROOT`] with `/`
/// separators, absolute paths as `file://` URIs.
fn artifact_location(path: &Path) -> ArtifactLocation {
    if path.is_absolute() {
        let uri = format!("file://{}", percent_encode(&display_path(path)));
        return ArtifactLocation { uri: Some(uri), uri_base_id: None, description: None };
    }
    let relative = path
        .components()
        .filter(|component| *component != Component::CurDir)
        .map(|component| component.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    ArtifactLocation {
        uri: Some(percent_encode(&relative)),
        uri_base_id: Some(SOURCE_ROOT),
        description: None,
    }
}

/// Percent-encodes everything but unreserved characters and `/`, so that no segment can be
/// read as a scheme or query.
fn percent_encode(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[derive(Serialize)]
struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    jurisdiction: &'a str,
    fail_on: &'static str,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'a str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Message,
    full_description: Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<MultiformatMessage>,
    default_configuration: ReportingConfiguration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct ReportingConfiguration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    precision: &'static str,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: Vec<Location<'a>>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    kind: &'static str,
    severity: &'static str,
    resource_type: Option<&'a str>,
    region: Option<&'a str>,
    input: String,
    failing: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation,
    logical_locations: [LogicalLocation<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    fully_qualified_name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct SarifSuppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

impl Message {
    fn new(text: impl Into<String>) -> Message {
        Message { text: text.into() }
    }
}

impl<'a> ReportingDescriptor<'a> {
    fn from_rule(rule: &'a RuleMeta) -> ReportingDescriptor<'a> {
        let full = if rule.description.is_empty() { &rule.title } else { &rule.description };
        // Tags are a set in SARIF, so a control repeated or named like a fixed tag is kept once.
        let mut tags = vec!["security".to_owned(), "sovereignty".to_owned()];
        for control in &rule.controls {
            if !tags.contains(control) {
                tags.push(control.clone());
            }
        }
        ReportingDescriptor {
            id: &rule.id,
            name: pascal_case(if rule.title.is_empty() { &rule.id } else { &rule.title }),
            short_description: Message::new(rule.title.clone()),
            full_description: Message::new(full.clone()),
            help: Some(MultiformatMessage {
                text: rule.remediation.clone(),
                markdown: help_markdown(rule),
            }),
            default_configuration: ReportingConfiguration { level: level(rule.severity) },
            properties: RuleProperties {
                tags,
                security_severity: security_severity(rule.severity),
                precision: "high",
            },
        }
    }

    fn bare(id: &'a str, severity: Severity) -> ReportingDescriptor<'a> {
        ReportingDescriptor {
            id,
            name: pascal_case(id),
            short_description: Message::new(id),
            full_description: Message::new(id),
            help: None,
            default_configuration: ReportingConfiguration { level: level(severity) },
            properties: RuleProperties {
                tags: vec!["security".to_owned()],
                security_severity: security_severity(severity),
                precision: "medium",
            },
        }
    }
}

fn help_markdown(rule: &RuleMeta) -> String {
    let mut markdown = format!(
        "**{}**\n\n{}\n\n**Remediation:** {}",
        rule.title, rule.description, rule.remediation
    );
    if !rule.controls.is_empty() {
        let controls: Vec<String> =
            rule.controls.iter().map(|control| format!("`{control}`")).collect();
        markdown.push_str(&format!("\n\n**Controls:** {}", controls.join(", ")));
    }
    markdown
}

impl<'a> SarifResult<'a> {
    fn new(report: &Report, finding: &'a Finding, rule_index: Option<&usize>) -> SarifResult<'a> {
        let mut level = level(finding.severity);
        if finding.kind == FindingKind::Warning && level == "error" {
            level = "warning";
        }
        let physical_location = match &finding.source {
            Some(source) => PhysicalLocation {
                artifact_location: artifact_location(&source.file),
                region: source
                    .line
                    .map(|line| Region { start_line: line, start_column: source.column }),
            },
            None => PhysicalLocation {
                artifact_location: artifact_location(&finding.input),
                region: None,
            },
        };

        SarifResult {
            rule_id: &finding.rule_id,
            rule_index: rule_index.copied(),
            level,
            message: Message::new(finding.message.clone()),
            locations: vec![Location {
                physical_location,
                logical_locations: [LogicalLocation {
                    fully_qualified_name: &finding.resource,
                    kind: "resource",
                }],
            }],
            partial_fingerprints: BTreeMap::from([(
                FINGERPRINT_KEY,
                fingerprint_hash(&finding.fingerprint()),
            )]),
            suppressions: finding.suppression.as_ref().map(sarif_suppression).into_iter().collect(),
            properties: ResultProperties {
                kind: finding.kind.as_str(),
                severity: finding.severity.as_str(),
                resource_type: finding.resource_type.as_deref(),
                region: finding.region.as_deref(),
                input: display_path(&finding.input),
                failing: report.is_failing(finding),
            },
        }
    }
}

fn sarif_suppression(suppression: &Suppression) -> SarifSuppression {
    let (kind, justification) = match suppression {
        Suppression::Inline { reason } => ("inSource", reason.clone()),
        Suppression::Tag { expires: Some(expires) } => {
            ("external", format!("waived by the `terrane:ignore` tag until {expires}"))
        }
        Suppression::Tag { expires: None } => {
            ("external", "waived by the `terrane:ignore` tag".to_owned())
        }
        Suppression::Baseline => ("external", "accepted in the baseline".to_owned()),
    };
    SarifSuppression { kind, status: "accepted", justification }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn hashes_fingerprints_stably() {
        // FNV-1a 128 of the empty input is its offset basis; the other value pins the
        // algorithm so that a change of hash, which would reopen every alert, fails here.
        assert_eq!(fingerprint_hash(""), "6c62272e07bb014262b821756295c58d");
        assert_eq!(fingerprint_hash("a"), "d228cb696f1a8caf78912b704e4a8964");
    }

    #[test]
    fn writes_artifact_uris_relative_to_the_source_root() {
        let cases = [
            ("main.tf", Some("main.tf"), Some(SOURCE_ROOT)),
            ("./infra/main.tf", Some("infra/main.tf"), Some(SOURCE_ROOT)),
            ("infra/my file.tf", Some("infra/my%20file.tf"), Some(SOURCE_ROOT)),
            ("c:odd.tf", Some("c%3Aodd.tf"), Some(SOURCE_ROOT)),
            ("/abs/main.tf", Some("file:///abs/main.tf"), None),
        ];
        for (path, uri, base) in cases {
            let location = artifact_location(Path::new(path));
            assert_eq!((location.uri.as_deref(), location.uri_base_id), (uri, base), "{path}");
        }
    }

    #[test]
    fn names_rules_in_pascal_case() {
        assert_eq!(
            pascal_case("S3 bucket outside the jurisdiction"),
            "S3BucketOutsideTheJurisdiction"
        );
        assert_eq!(pascal_case("TRN-AWS-KEY-002"), "TRNAWSKEY002");
    }
}
