//! Suppressions: deciding which findings do not count against the build, and why.
//!
//! Three sources, tried in this order for each finding:
//!
//! 1. an inline `# terrane:ignore[RULE-ID] reason` comment on the resource's HCL block;
//!    a comment without a reason suppresses nothing and is reported as a problem;
//! 2. a waiver tag `terrane:ignore` (or Google label `terrane-ignore`) on the resource,
//!    see [`WAIVER_TAG`] for its syntax; an expired or malformed waiver suppresses
//!    nothing and becomes a finding of its own, so that it fails the build;
//! 3. a [`Baseline`] file of accepted findings.
//!
//! A finding that is already suppressed keeps its suppression. This module reads no clock:
//! the caller passes today's date.

mod baseline;
mod date;
mod waiver;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::fmt;

use terrane_estate::{Estate, Resource, SourceLocation};

use crate::finding::{Finding, FindingKind, RuleMeta, Severity, Suppression};

pub use baseline::{Baseline, BaselineEntry, BaselineError};
pub use date::{Date, DateError};
pub use waiver::{WAIVER_LABEL, WAIVER_TAG};

use waiver::{Waiver, WaiverKey, parse_waivers};

/// The rule id of the finding raised for a waiver past its expiry date.
pub const EXPIRED_WAIVER_RULE: &str = "TRN-ALL-WAIVER-001";

/// The rule id of the finding raised for a waiver tag whose value cannot be read.
pub const MALFORMED_WAIVER_RULE: &str = "TRN-ALL-WAIVER-002";

/// A suppression that was written but does not take effect, and is not a finding itself.
/// Callers show these as warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuppressionProblem {
    /// An inline ignore comment without a reason. It suppresses nothing.
    MissingReason {
        /// The rule id in the comment.
        rule_id: String,
        /// The address of the resource the comment is on.
        resource: String,
        /// Where the comment is.
        location: SourceLocation,
    },
    /// A baseline entry that matches no finding any more, usually because it was fixed.
    /// It can be removed from the baseline.
    StaleBaselineEntry(BaselineEntry),
}

impl fmt::Display for SuppressionProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SuppressionProblem::MissingReason { rule_id, resource, .. } => {
                write!(f, "suppression of `{rule_id}` on `{resource}` has no reason")
            }
            SuppressionProblem::StaleBaselineEntry(entry) => write!(
                f,
                "baseline entry for `{}` on `{}` in `{}` matches no finding",
                entry.rule_id, entry.resource, entry.input
            ),
        }
    }
}

/// The metadata of the rules whose findings [`apply_suppressions`] raises for broken
/// waivers, for the report's rule list.
pub fn waiver_rules() -> Vec<RuleMeta> {
    let rule = |id: &str, title: &str, description: &str, remediation: &str| RuleMeta {
        id: id.to_owned(),
        title: title.to_owned(),
        severity: Severity::High,
        description: description.to_owned(),
        remediation: remediation.to_owned(),
        resource_types: vec!["*".to_owned()],
        controls: Vec::new(),
        modes: ["plan", "state", "hcl", "live"].map(str::to_owned).to_vec(),
    };
    vec![
        rule(
            EXPIRED_WAIVER_RULE,
            "Expired waiver",
            "A `terrane:ignore` waiver on the resource is past its expiry date. It no longer \
             suppresses the rule it names, and a waiver left to lapse is itself a finding so \
             that exceptions are reviewed rather than forgotten.",
            "Fix the finding the waiver covered and remove the rule id from the tag, or renew \
             the waiver with a new expiry date after review.",
        ),
        rule(
            MALFORMED_WAIVER_RULE,
            "Malformed waiver",
            "A `terrane:ignore` tag on the resource cannot be read, so it suppresses nothing.",
            "Write the tag value as rule ids separated by `,`, `+` or spaces, each optionally \
             followed by `:YYYY-MM-DD`, or with one date for all of them.",
        ),
    ]
}

/// Marks the findings that inline comments, waiver tags or the baseline suppress, and adds a
/// finding for each expired or malformed waiver.
///
/// Findings are matched to resources by input path and address; `estates` are the inputs
/// the findings came from. A waiver holds through its expiry day: it is expired when
/// `today` is later. Added waiver findings are never suppressed themselves.
///
/// Returns the suppressions that were written but have no effect and are not findings:
/// inline comments without a reason and baseline entries that match no finding.
///
/// # Examples
///
/// ```
/// use terrane_policy::{Date, apply_suppressions};
///
/// let mut findings = Vec::new();
/// let today = Date::new(2026, 12, 3)?;
/// let problems = apply_suppressions(&mut findings, &[], today, None);
/// assert!(problems.is_empty());
/// # Ok::<(), terrane_policy::DateError>(())
/// ```
pub fn apply_suppressions(
    findings: &mut Vec<Finding>,
    estates: &[Estate],
    today: Date,
    baseline: Option<&Baseline>,
) -> Vec<SuppressionProblem> {
    let mut problems = Vec::new();
    let mut waiver_findings = Vec::new();
    let mut resources = HashMap::new();
    for estate in estates {
        for resource in &estate.resources {
            let suppressions = ResourceSuppressions::gather(estate, resource, today);
            problems.extend(suppressions.problems);
            waiver_findings.extend(suppressions.findings);
            resources
                .insert((estate.origin.as_path(), resource.address.as_str()), suppressions.active);
        }
    }

    let mut matched = HashSet::new();
    for finding in findings.iter_mut() {
        let in_baseline = baseline.is_some_and(|baseline| baseline.contains(finding));
        if in_baseline {
            matched.insert(finding.fingerprint());
        }
        if finding.suppression.is_some() {
            continue;
        }
        let active = resources.get(&(finding.input.as_path(), finding.resource.as_str()));
        finding.suppression = active
            .and_then(|active| active.suppression_for(&finding.rule_id))
            .or_else(|| in_baseline.then_some(Suppression::Baseline));
    }

    if let Some(baseline) = baseline {
        problems.extend(
            baseline
                .entries()
                .iter()
                .filter(|entry| !matched.contains(&entry.fingerprint))
                .cloned()
                .map(SuppressionProblem::StaleBaselineEntry),
        );
    }
    findings.extend(waiver_findings);
    problems
}

/// Whether `rule_id` is one of the rules raised for broken waivers.
fn is_waiver_rule(rule_id: &str) -> bool {
    rule_id == EXPIRED_WAIVER_RULE || rule_id == MALFORMED_WAIVER_RULE
}

/// The suppressions that hold for one resource.
#[derive(Debug, Default)]
struct ActiveSuppressions<'a> {
    /// Inline ignores with a reason: rule id and reason.
    inline: Vec<(&'a str, &'a str)>,
    /// Waivers from tags that have not expired.
    waivers: Vec<Waiver>,
}

impl ActiveSuppressions<'_> {
    fn suppression_for(&self, rule_id: &str) -> Option<Suppression> {
        let inline = self.inline.iter().find(|(id, _)| id.eq_ignore_ascii_case(rule_id));
        if let Some((_, reason)) = inline {
            return Some(Suppression::Inline { reason: (*reason).to_owned() });
        }
        self.waivers
            .iter()
            .find(|waiver| waiver.covers(rule_id))
            .map(|waiver| Suppression::Tag { expires: waiver.expires.map(|date| date.to_string()) })
    }
}

/// What one resource's comments and tags amount to.
struct ResourceSuppressions<'a> {
    active: ActiveSuppressions<'a>,
    problems: Vec<SuppressionProblem>,
    findings: Vec<Finding>,
}

impl<'a> ResourceSuppressions<'a> {
    /// Reads the inline comments and waiver tags of `resource`.
    fn gather(estate: &Estate, resource: &'a Resource, today: Date) -> ResourceSuppressions<'a> {
        let mut suppressions = ResourceSuppressions {
            active: ActiveSuppressions::default(),
            problems: Vec::new(),
            findings: Vec::new(),
        };
        for ignore in &resource.ignores {
            let reason = ignore.reason.trim();
            if reason.is_empty() {
                suppressions.problems.push(SuppressionProblem::MissingReason {
                    rule_id: ignore.rule_id.clone(),
                    resource: resource.address.clone(),
                    location: ignore.source.clone(),
                });
            } else {
                suppressions.active.inline.push((ignore.rule_id.as_str(), reason));
            }
        }

        for (key, value) in &resource.tags {
            let Some(waiver_key) = WaiverKey::from_tag_key(key) else {
                continue;
            };
            match parse_waivers(waiver_key, value) {
                Ok(waivers) => suppressions.add_waivers(estate, resource, waivers, today),
                Err(error) => {
                    let message =
                        format!("waiver tag `{waiver_key}` = `{value}` cannot be read: {error}");
                    suppressions.findings.push(waiver_finding(
                        estate,
                        resource,
                        MALFORMED_WAIVER_RULE,
                        message,
                    ));
                }
            }
        }
        suppressions
    }

    /// Keeps the waivers that hold on `today` and raises a finding for each expired one.
    fn add_waivers(
        &mut self,
        estate: &Estate,
        resource: &Resource,
        waivers: Vec<Waiver>,
        today: Date,
    ) {
        for waiver in waivers {
            match waiver.expires {
                Some(expires) if waiver.is_expired(today) => {
                    let message = format!(
                        "waiver for `{}` expired on {expires} and no longer suppresses it",
                        waiver.rule_id
                    );
                    self.findings.push(waiver_finding(
                        estate,
                        resource,
                        EXPIRED_WAIVER_RULE,
                        message,
                    ));
                }
                _ => self.active.waivers.push(waiver),
            }
        }
    }
}

fn waiver_finding(estate: &Estate, resource: &Resource, rule_id: &str, message: String) -> Finding {
    Finding {
        rule_id: rule_id.to_owned(),
        severity: Severity::High,
        kind: FindingKind::Violation,
        resource: resource.address.clone(),
        resource_type: Some(resource.resource_type.clone()),
        region: resource.region.as_ref().map(|region| region.value.clone()),
        message,
        input: estate.origin.clone(),
        source: resource.source.clone(),
        suppression: None,
    }
}
