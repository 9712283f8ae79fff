//! Jurisdictions: the legal perimeters that locations are assessed against.

use std::collections::{BTreeMap, BTreeSet};

use crate::provider::Provider;

/// A legal perimeter, as a set of countries and optionally the partitions allowed in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jurisdiction {
    /// The id users write (`EU`, `EEA+ADEQUATE`, `DE-ONLY`), matched case-insensitively.
    pub id: String,
    /// Other ids that name the same jurisdiction (`GB` for `UK`).
    pub aliases: Vec<String>,
    /// A human-readable name.
    pub name: String,
    /// ISO 3166-1 alpha-2 codes of the countries inside the perimeter.
    ///
    /// Invariant: never empty, and every code is a known country.
    pub countries: BTreeSet<String>,
    /// Per provider, the partitions a location must belong to; a provider that is absent
    /// allows any partition.
    pub partitions: BTreeMap<Provider, BTreeSet<String>>,
}

impl Jurisdiction {
    /// Whether a location of `provider` in `partition` may be inside this jurisdiction.
    pub fn allows_partition(&self, provider: Provider, partition: &str) -> bool {
        self.partitions.get(&provider).is_none_or(|allowed| allowed.contains(partition))
    }

    /// Whether `id` names this jurisdiction, by id or alias, ignoring case.
    pub fn is_named(&self, id: &str) -> bool {
        self.id.eq_ignore_ascii_case(id) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(id))
    }
}
