//! Baselines: a file of accepted findings, written once with `--write-baseline` and read with
//! `--baseline`, so that a team can adopt a rule without fixing every old finding first.
//!
//! The file is versioned JSON (`terrane.baseline/v1`) and matches findings by fingerprint.
//! Reading the file from disk is the caller's job; this module parses text.

use std::collections::BTreeMap;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Suppression};
use crate::report::display_path;

use super::is_waiver_rule;

/// The accepted findings of a baseline file.
///
/// # Examples
///
/// ```
/// use std::path::Path;
/// use terrane_policy::Baseline;
///
/// let text = r#"{
///   "schema": "terrane.baseline/v1",
///   "findings": [{
///     "fingerprint": "TRN-AWS-S3-001|aws_s3_bucket.logs|plan.json",
///     "rule_id": "TRN-AWS-S3-001",
///     "resource": "aws_s3_bucket.logs",
///     "input": "plan.json"
///   }]
/// }"#;
/// let baseline = Baseline::parse(Path::new("terrane-baseline.json"), text)?;
/// assert_eq!(baseline.entries().len(), 1);
/// # Ok::<(), terrane_policy::BaselineError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    entries: Vec<BaselineEntry>,
    // Invariant: holds exactly the fingerprints of `entries`.
    fingerprints: HashSet<String>,
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineEntry {
    /// The [`Finding::fingerprint`] it matches.
    pub fingerprint: String,
    /// The rule id, for readers of the file.
    pub rule_id: String,
    /// The resource address, for readers of the file.
    pub resource: String,
    /// The input path, for readers of the file.
    pub input: String,
}

/// A baseline file that could not be read. The message names the file; its source, which
/// the full error chain prints, says what is wrong and at which line and column.
#[derive(Debug, thiserror::Error)]
#[error("invalid baseline `{}`", path.display())]
pub struct BaselineError {
    /// The file, as given to [`Baseline::parse`].
    pub path: PathBuf,
    /// The 1-based line of the problem.
    pub line: usize,
    /// The 1-based column of the problem.
    pub column: usize,
    /// What is wrong there.
    #[source]
    pub source: serde_json::Error,
}

impl Baseline {
    /// Parses the text of the baseline file at `path`; the path only names the file in
    /// errors.
    ///
    /// # Errors
    ///
    /// [`BaselineError`], with the file, line and column, when the text is not JSON, has
    /// another `schema` than `terrane.baseline/v1`, or has missing or unknown fields.
    pub fn parse(path: &Path, text: &str) -> Result<Baseline, BaselineError> {
        let file: BaselineFile = serde_json::from_str(text).map_err(|source| BaselineError {
            path: path.to_owned(),
            line: source.line(),
            column: source.column(),
            source,
        })?;

        let entries: Vec<BaselineEntry> = file
            .findings
            .into_iter()
            .map(|entry| BaselineEntry {
                fingerprint: entry.fingerprint,
                rule_id: entry.rule_id,
                resource: entry.resource,
                input: entry.input,
            })
            .collect();
        let fingerprints = entries.iter().map(|entry| entry.fingerprint.clone()).collect();
        Ok(Baseline { entries, fingerprints })
    }

    /// The text of a baseline file accepting `findings`, for `--write-baseline`.
    ///
    /// It lists the findings that count today and those already in a baseline, sorted and
    /// without duplicates. Findings suppressed inline or by a tag are left out, so that
    /// they come back when the comment or the waiver goes; waiver findings are left out
    /// because an expired or malformed waiver must be fixed, not accepted.
    pub fn from_findings(findings: &[Finding]) -> String {
        let entries: BTreeMap<String, BaselineEntryWire> = findings
            .iter()
            .filter(|finding| {
                matches!(finding.suppression, None | Some(Suppression::Baseline))
                    && !is_waiver_rule(&finding.rule_id)
            })
            .map(|finding| {
                let entry = BaselineEntryWire {
                    fingerprint: finding.fingerprint(),
                    rule_id: finding.rule_id.clone(),
                    resource: finding.resource.clone(),
                    input: display_path(&finding.input),
                };
                (entry.fingerprint.clone(), entry)
            })
            .collect();
        let file =
            BaselineFile { schema: BaselineSchema::V1, findings: entries.into_values().collect() };

        let mut text = serde_json::to_string_pretty(&file)
            .expect("a baseline of plain strings always serialises");
        text.push('\n');
        text
    }

    /// The accepted findings, in file order.
    pub fn entries(&self) -> &[BaselineEntry] {
        &self.entries
    }

    /// Whether `finding` is accepted by this baseline.
    pub fn contains(&self, finding: &Finding) -> bool {
        self.fingerprints.contains(&finding.fingerprint())
    }
}

/// The file as stored.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    schema: BaselineSchema,
    findings: Vec<BaselineEntryWire>,
}

/// The only schema version so far; another value is refused with the expected one named.
#[derive(Debug, Serialize, Deserialize)]
enum BaselineSchema {
    #[serde(rename = "terrane.baseline/v1")]
    V1,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineEntryWire {
    fingerprint: String,
    rule_id: String,
    resource: String,
    input: String,
}
