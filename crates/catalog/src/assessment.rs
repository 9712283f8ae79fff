//! The outcome of assessing one location against one jurisdiction.

use std::fmt;

/// Where a location stands relative to a jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Residency {
    /// Every country of the location is inside and its partition is allowed.
    Inside,
    /// At least one country is outside, or the partition is not allowed.
    Outside,
    /// The location is not in any region; the caller decides explicitly.
    Global,
    /// The location could not be resolved or its countries are not documented.
    /// Callers must treat this as a finding, never as a pass.
    Unknown,
}

impl Residency {
    /// The lowercase name: `inside`, `outside`, `global` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Residency::Inside => "inside",
            Residency::Outside => "outside",
            Residency::Global => "global",
            Residency::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Residency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result of [`Catalog::assess`](crate::Catalog::assess), with the facts behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// The verdict.
    pub status: Residency,
    /// The canonical id of the resolved location; `None` when the input did not resolve.
    pub region: Option<String>,
    /// The countries of the resolved location, sorted.
    pub countries: Vec<String>,
    /// The partition of the resolved location.
    pub partition: Option<String>,
    /// One sentence for people, such as `eu-west-2 (London, GB) is not in EU`.
    pub reason: String,
}
