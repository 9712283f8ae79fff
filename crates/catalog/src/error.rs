//! Errors from reading catalog and jurisdiction files.

use std::path::PathBuf;

/// A catalog or jurisdiction file could not be read into the catalog.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The file is not valid TOML or does not follow the schema.
    #[error("cannot parse `{path}`")]
    Parse {
        /// The file that failed.
        path: PathBuf,
        /// What the TOML reader reported, with line and column.
        #[source]
        source: Box<toml::de::Error>,
    },
    /// A jurisdiction entry has a field with a bad value.
    #[error("invalid field `{field}` of jurisdiction `{jurisdiction}` in `{path}`")]
    Jurisdiction {
        /// The file that holds the entry.
        path: PathBuf,
        /// The id of the jurisdiction, as written.
        jurisdiction: String,
        /// The name of the field, as written in the file.
        field: &'static str,
        /// What is wrong with the value.
        #[source]
        source: EntryError,
    },
    /// A location entry has a field with a bad value.
    #[error("invalid field `{field}` of location `{location}` in `{path}`")]
    Location {
        /// The file that holds the entry.
        path: PathBuf,
        /// The id of the location, as written.
        location: String,
        /// The name of the field, as written in the file.
        field: &'static str,
        /// What is wrong with the value.
        #[source]
        source: EntryError,
    },
}

/// What is wrong with one field of a catalog entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    /// The value is not an ISO 3166-1 alpha-2 code.
    #[error("unknown country code `{code}`")]
    UnknownCountry {
        /// The code as written.
        code: String,
    },
    /// The value names no jurisdiction defined before this entry.
    #[error("unknown jurisdiction `{id}`")]
    UnknownJurisdiction {
        /// The id as written.
        id: String,
    },
    /// The value names no partition that the catalog has for the provider.
    #[error("unknown partition `{partition}`")]
    UnknownPartition {
        /// The partition as written.
        partition: String,
    },
    /// The value names no location of the same provider.
    #[error("unknown location `{id}`")]
    UnknownLocation {
        /// The id as written.
        id: String,
    },
    /// The id or alias is already taken by another entry.
    #[error("`{id}` is already defined")]
    Duplicate {
        /// The id as written.
        id: String,
    },
    /// The id is empty or contains characters other than letters, digits, `-`, `+` and `_`.
    #[error("`{id}` is not a valid id")]
    InvalidId {
        /// The id as written.
        id: String,
    },
    /// After `base`, `countries` and `exclude` are applied, no country is left.
    #[error("no country is left")]
    NoCountries,
    /// The list is present but empty, which would allow nothing.
    #[error("the list is empty")]
    EmptyList,
    /// The field does not fit the location's kind.
    #[error("not allowed for a location of kind `{kind}`")]
    KindMismatch {
        /// The kind of the location.
        kind: &'static str,
    },
    /// The field is missing where the location's kind needs it.
    #[error("required for a location of kind `{kind}`")]
    Missing {
        /// The kind of the location.
        kind: &'static str,
    },
}

/// A provider name that is none of `aws`, `azure`, `azurerm`, `google` or `gcp`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown provider `{name}`")]
pub struct UnknownProviderError {
    /// The name as written.
    pub name: String,
}
