//! Waivers: the `terrane:ignore` tag (and `terrane-ignore` label) that names the rules whose
//! findings on a resource are suppressed, each until an optional expiry date.
//!
//! The value lists rule ids separated by `,`, `+` or whitespace. An id may carry its own
//! expiry as `RULE-ID:YYYY-MM-DD`; a date standing alone applies to every id without one.
//! Google labels allow only lowercase letters, digits, `-` and `_`, so the label form also
//! separates with `_` and has no per-id dates. Rule ids match without regard to case.

use std::fmt;

use super::date::{Date, DateError};

/// The tag key that holds a waiver on AWS and Azure resources.
pub const WAIVER_TAG: &str = "terrane:ignore";

/// The label key that holds a waiver on Google Cloud resources, whose label keys cannot
/// contain `:`.
pub const WAIVER_LABEL: &str = "terrane-ignore";

/// Which spelling of the waiver a tag uses, which decides the separators it may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WaiverKey {
    /// `terrane:ignore`.
    Tag,
    /// `terrane-ignore`, a Google label.
    Label,
}

impl WaiverKey {
    /// The waiver spelling a tag key stands for, if it is one.
    pub(super) fn from_tag_key(key: &str) -> Option<WaiverKey> {
        match key {
            WAIVER_TAG => Some(WaiverKey::Tag),
            WAIVER_LABEL => Some(WaiverKey::Label),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            WaiverKey::Tag => WAIVER_TAG,
            WaiverKey::Label => WAIVER_LABEL,
        }
    }

    fn is_separator(self, c: char) -> bool {
        c == ',' || c == '+' || c.is_whitespace() || (self == WaiverKey::Label && c == '_')
    }
}

impl fmt::Display for WaiverKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One waived rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Waiver {
    /// The rule id as written.
    pub(super) rule_id: String,
    /// The last day the waiver holds, if it expires.
    pub(super) expires: Option<Date>,
}

impl Waiver {
    /// Whether this waiver names `rule_id`.
    pub(super) fn covers(&self, rule_id: &str) -> bool {
        self.rule_id.eq_ignore_ascii_case(rule_id)
    }

    /// Whether the waiver no longer holds on `today`; it holds through its expiry day.
    pub(super) fn is_expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|expires| expires < today)
    }
}

/// Why a waiver value could not be read. The whole value is then ignored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum WaiverSyntaxError {
    /// Nothing but separators and dates.
    #[error("it names no rule")]
    NoRule,
    /// A token that is neither a rule id nor a date.
    #[error("`{0}` is not a rule id")]
    RuleId(String),
    /// A date that does not parse.
    #[error(transparent)]
    Date(#[from] DateError),
    /// A per-id date in a label, where `:` cannot appear.
    #[error("`{0}` has a `:` date, which labels cannot hold; give one date for all rules")]
    DateInLabel(String),
    /// Two dates meant for every id.
    #[error("it gives more than one expiry date for all rules")]
    SeveralDefaultDates,
}

/// Reads a waiver value written under `key`.
pub(super) fn parse_waivers(key: WaiverKey, value: &str) -> Result<Vec<Waiver>, WaiverSyntaxError> {
    let mut waivers = Vec::new();
    let mut default_expiry = None;
    for token in value.split(|c| key.is_separator(c)).filter(|token| !token.is_empty()) {
        if token.starts_with(|c: char| c.is_ascii_digit()) {
            let date = token.parse::<Date>()?;
            if default_expiry.replace(date).is_some() {
                return Err(WaiverSyntaxError::SeveralDefaultDates);
            }
            continue;
        }
        waivers.push(parse_entry(key, token)?);
    }

    if waivers.is_empty() {
        return Err(WaiverSyntaxError::NoRule);
    }
    for waiver in &mut waivers {
        waiver.expires = waiver.expires.or(default_expiry);
    }
    Ok(waivers)
}

fn parse_entry(key: WaiverKey, token: &str) -> Result<Waiver, WaiverSyntaxError> {
    let (rule_id, expires) = match token.split_once(':') {
        Some(_) if key == WaiverKey::Label => {
            return Err(WaiverSyntaxError::DateInLabel(token.to_owned()));
        }
        Some((rule_id, date)) => (rule_id, Some(date.parse::<Date>()?)),
        None => (token, None),
    };
    if !is_rule_id(rule_id) {
        return Err(WaiverSyntaxError::RuleId(rule_id.to_owned()));
    }
    Ok(Waiver { rule_id: rule_id.to_owned(), expires })
}

/// Rule ids start with a letter and hold letters, digits, `-`, `_` and `.`: `TRN-AWS-KEY-002`
/// for the built-in pack, `main.deny` for user policies.
fn is_rule_id(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Option<Date> {
        Some(text.parse().expect("test dates are valid"))
    }

    fn check(key: WaiverKey, value: &str, expected: Result<Vec<(&str, Option<Date>)>, &str>) {
        let parsed = parse_waivers(key, value)
            .map(|waivers| waivers.into_iter().map(|w| (w.rule_id, w.expires)).collect::<Vec<_>>())
            .map_err(|error| error.to_string());
        let expected = expected
            .map(|list| list.into_iter().map(|(id, d)| (id.to_owned(), d)).collect::<Vec<_>>())
            .map_err(str::to_owned);
        assert_eq!(parsed, expected, "{key} = {value:?}");
    }

    #[test]
    fn reads_tag_values() {
        let cases = [
            ("TRN-AWS-KEY-002", Ok(vec![("TRN-AWS-KEY-002", None)])),
            (
                "TRN-AWS-KEY-002,TRN-AWS-PUB-002:2027-01-31",
                Ok(vec![("TRN-AWS-KEY-002", None), ("TRN-AWS-PUB-002", date("2027-01-31"))]),
            ),
            (
                "TRN-AWS-KEY-002+TRN-AWS-PUB-002+2027-01-31",
                Ok(vec![
                    ("TRN-AWS-KEY-002", date("2027-01-31")),
                    ("TRN-AWS-PUB-002", date("2027-01-31")),
                ]),
            ),
            (
                " TRN-A:2026-06-30 , TRN-B  2027-01-31 ",
                Ok(vec![("TRN-A", date("2026-06-30")), ("TRN-B", date("2027-01-31"))]),
            ),
            ("main.deny_public", Ok(vec![("main.deny_public", None)])),
            ("TRN-A,,TRN-B", Ok(vec![("TRN-A", None), ("TRN-B", None)])),
            ("", Err("it names no rule")),
            (" , + ", Err("it names no rule")),
            ("2027-01-31", Err("it names no rule")),
            (
                "TRN-A:2027-02-30",
                Err("invalid date `2027-02-30` (expected an existing day written as YYYY-MM-DD)"),
            ),
            (
                "TRN-A 2027-1-31",
                Err("invalid date `2027-1-31` (expected an existing day written as YYYY-MM-DD)"),
            ),
            ("TRN-A:", Err("invalid date `` (expected an existing day written as YYYY-MM-DD)")),
            (":2027-01-31", Err("`` is not a rule id")),
            ("TRN-A;TRN-B", Err("`TRN-A;TRN-B` is not a rule id")),
            (
                "TRN-A 2027-01-31 2027-02-01",
                Err("it gives more than one expiry date for all rules"),
            ),
        ];
        for (value, expected) in cases {
            check(WaiverKey::Tag, value, expected);
        }
    }

    #[test]
    fn reads_label_values() {
        let cases = [
            (
                "trn-gcp-kms-001_trn-gcp-log-002_2027-01-31",
                Ok(vec![
                    ("trn-gcp-kms-001", date("2027-01-31")),
                    ("trn-gcp-log-002", date("2027-01-31")),
                ]),
            ),
            ("trn-gcp-kms-001", Ok(vec![("trn-gcp-kms-001", None)])),
            (
                "trn-gcp-kms-001:2027-01-31",
                Err(
                    "`trn-gcp-kms-001:2027-01-31` has a `:` date, which labels cannot hold; give one date for all rules",
                ),
            ),
        ];
        for (value, expected) in cases {
            check(WaiverKey::Label, value, expected);
        }
    }

    #[test]
    fn holds_through_the_expiry_day() {
        let waiver = Waiver { rule_id: "TRN-A".into(), expires: date("2027-01-31") };
        let cases = [("2027-01-30", false), ("2027-01-31", false), ("2027-02-01", true)];
        for (today, expired) in cases {
            let today = today.parse().expect("test dates are valid");
            assert_eq!(waiver.is_expired(today), expired, "{today}");
        }
        let permanent = Waiver { rule_id: "TRN-A".into(), expires: None };
        assert!(!permanent.is_expired(Date::MAX));
        assert!(permanent.covers("trn-a"));
    }
}
