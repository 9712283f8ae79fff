//! The TOML schema of the catalog files, kept apart from the domain types it is read into.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `catalog/countries.toml`: ISO 3166-1 alpha-2 code to short name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CountryFile {
    pub(crate) countries: BTreeMap<String, String>,
}

/// One provider's location file, such as `catalog/aws.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LocationFile {
    pub(crate) locations: Vec<LocationRecord>,
}

/// One entry of a location file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LocationRecord {
    pub(crate) id: String,
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) city: String,
    pub(crate) country: Option<String>,
    pub(crate) partition: String,
    #[serde(default)]
    pub(crate) kind: KindRecord,
    pub(crate) pair: Option<String>,
    pub(crate) members: Option<Vec<String>>,
    #[serde(default)]
    pub(crate) available: AvailabilityRecord,
}

/// The `kind` field of a location entry.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum KindRecord {
    #[default]
    Region,
    MultiRegion,
    DualRegion,
    Global,
}

/// The `available` field of a location entry.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum AvailabilityRecord {
    #[default]
    General,
    Restricted,
    NotGenerallyAvailable,
}

/// A jurisdiction file: the built-in `catalog/jurisdictions.toml` or a user's own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct JurisdictionFile {
    #[serde(default)]
    pub(crate) jurisdiction: Vec<JurisdictionRecord>,
}

/// One `[[jurisdiction]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct JurisdictionRecord {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    #[serde(default)]
    pub(crate) aliases: Vec<String>,
    pub(crate) base: Option<String>,
    #[serde(default)]
    pub(crate) countries: Vec<String>,
    #[serde(default)]
    pub(crate) exclude: Vec<String>,
    pub(crate) aws_partitions: Option<Vec<String>>,
    pub(crate) azure_partitions: Option<Vec<String>>,
    pub(crate) google_partitions: Option<Vec<String>>,
}
