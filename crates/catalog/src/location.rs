//! Provider locations: regions, multi-regions, dual-regions and the `global` pseudo-location.

use std::fmt;

use crate::provider::Provider;

/// One place where a provider runs resources, as the catalog records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The provider that owns the location.
    pub provider: Provider,
    /// The canonical id as the provider writes it (`eu-central-1`, `westeurope`, `EUR4`).
    pub id: String,
    /// The provider's display name (`Europe (Frankfurt)`, `West Europe`).
    pub name: String,
    /// The city or area the provider names; empty where it names none.
    pub city: String,
    /// ISO 3166-1 alpha-2 codes of every country the location may keep data in, sorted.
    ///
    /// Invariant: empty exactly for [`LocationKind::Global`] and for locations whose
    /// countries the provider does not document; both never assess as inside.
    pub countries: Vec<String>,
    /// The partition that operates the location: the AWS partition (`aws`, `aws-eusc`),
    /// the Azure cloud (`public`, `usgov`, `china`) or the Google universe (`google`, `s3ns`).
    pub partition: String,
    /// What sort of location this is.
    pub kind: LocationKind,
    /// The Azure paired region that geo-redundant storage replicates to, if any.
    pub pair: Option<String>,
    /// The region ids a multi-region or dual-region spans; empty for other kinds.
    pub members: Vec<String>,
    /// Who may deploy there.
    pub available: Availability,
}

/// The sort of a [`Location`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LocationKind {
    /// A single region in one country.
    Region,
    /// A provider-managed set of regions (Google `EU`, `US`, `ASIA`).
    MultiRegion,
    /// A predefined pair of regions (Google `EUR4`, `NAM4`).
    DualRegion,
    /// Not in any region: Azure and Google `global`, AWS global endpoints.
    Global,
}

impl LocationKind {
    /// The snake_case name used in data files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            LocationKind::Region => "region",
            LocationKind::MultiRegion => "multi_region",
            LocationKind::DualRegion => "dual_region",
            LocationKind::Global => "global",
        }
    }
}

impl fmt::Display for LocationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who may deploy to a [`Location`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Availability {
    /// Open to every customer of the partition.
    General,
    /// Open on request only, such as Azure `francesouth` or `germanynorth`.
    Restricted,
    /// Not open to ordinary customers: isolated, canary or staging locations.
    NotGenerallyAvailable,
}

impl Availability {
    /// The snake_case name used in data files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Availability::General => "general",
            Availability::Restricted => "restricted",
            Availability::NotGenerallyAvailable => "not_generally_available",
        }
    }
}

impl fmt::Display for Availability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Location {
    /// A short label for messages: `eu-west-2 (London, GB)`, `EUR5 (BE, GB)` or `global`.
    pub fn label(&self) -> String {
        let mut details: Vec<&str> = Vec::new();
        if self.kind == LocationKind::Region && !self.city.is_empty() {
            details.push(&self.city);
        }
        details.extend(self.countries.iter().map(String::as_str));

        if details.is_empty() {
            self.id.clone()
        } else {
            format!("{} ({})", self.id, details.join(", "))
        }
    }
}
