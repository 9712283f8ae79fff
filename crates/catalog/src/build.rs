//! Reading catalog files into domain types, with every cross-reference checked.
//!
//! The built-in files go through the same checks as user files, and the tests prove that
//! they pass, so `Catalog::builtin` may treat a failure as a broken invariant.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{CatalogError, EntryError};
use crate::jurisdiction::Jurisdiction;
use crate::location::{Availability, Location, LocationKind};
use crate::provider::Provider;
use crate::records::{
    AvailabilityRecord, JurisdictionFile, JurisdictionRecord, KindRecord, LocationFile,
    LocationRecord,
};

/// What a jurisdiction entry may refer to.
pub(crate) struct References<'a> {
    /// Known country codes and names.
    pub(crate) countries: &'a BTreeMap<String, String>,
    /// The partitions that the catalog's locations use, per provider.
    pub(crate) partitions: &'a BTreeMap<Provider, BTreeSet<String>>,
}

/// Parses a TOML file into its record type, naming the file on failure.
pub(crate) fn parse<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, CatalogError> {
    toml::from_str(text)
        .map_err(|source| CatalogError::Parse { path: path.to_owned(), source: Box::new(source) })
}

/// Reads one provider's location file and resolves members, pairs and countries.
pub(crate) fn read_locations(
    path: &Path,
    provider: Provider,
    text: &str,
    countries: &BTreeMap<String, String>,
) -> Result<Vec<Location>, CatalogError> {
    let file: LocationFile = parse(path, text)?;

    let mut locations = Vec::with_capacity(file.locations.len());
    let mut seen = HashMap::with_capacity(file.locations.len());
    for record in file.locations {
        let location = read_location(path, provider, record, countries)?;
        if seen.insert(location.id.to_ascii_lowercase(), locations.len()).is_some() {
            let id = location.id.clone();
            return Err(location_error(path, &location.id, "id", EntryError::Duplicate { id }));
        }
        locations.push(location);
    }
    link_locations(path, &mut locations, &seen)?;

    Ok(locations)
}

/// Reads a jurisdiction file and appends its entries to `jurisdictions`.
///
/// An entry may use as `base` any jurisdiction defined before it, in this file or earlier.
pub(crate) fn read_jurisdictions(
    path: &Path,
    text: &str,
    references: &References<'_>,
    jurisdictions: &mut Vec<Jurisdiction>,
) -> Result<(), CatalogError> {
    let file: JurisdictionFile = parse(path, text)?;
    for record in file.jurisdiction {
        let jurisdiction = read_jurisdiction(record, references, jurisdictions).map_err(
            |(jurisdiction, field, source)| CatalogError::Jurisdiction {
                path: path.to_owned(),
                jurisdiction,
                field,
                source,
            },
        )?;
        jurisdictions.push(jurisdiction);
    }
    Ok(())
}

fn location_error(path: &Path, id: &str, field: &'static str, source: EntryError) -> CatalogError {
    CatalogError::Location { path: path.to_owned(), location: id.to_owned(), field, source }
}

fn read_location(
    path: &Path,
    provider: Provider,
    record: LocationRecord,
    countries: &BTreeMap<String, String>,
) -> Result<Location, CatalogError> {
    let fail = |field, source| location_error(path, &record.id, field, source);
    let kind = match record.kind {
        KindRecord::Region => LocationKind::Region,
        KindRecord::MultiRegion => LocationKind::MultiRegion,
        KindRecord::DualRegion => LocationKind::DualRegion,
        KindRecord::Global => LocationKind::Global,
    };
    let available = match record.available {
        AvailabilityRecord::General => Availability::General,
        AvailabilityRecord::Restricted => Availability::Restricted,
        AvailabilityRecord::NotGenerallyAvailable => Availability::NotGenerallyAvailable,
    };

    check_id(&record.id).map_err(|source| fail("id", source))?;
    check_shape(&record, kind, available).map_err(|(field, source)| fail(field, source))?;
    let country = record
        .country
        .as_deref()
        .map(|code| country_code(countries, code))
        .transpose()
        .map_err(|source| fail("country", source))?;

    Ok(Location {
        provider,
        countries: country.into_iter().collect(),
        name: record.name,
        city: record.city,
        partition: record.partition,
        kind,
        pair: record.pair,
        members: record.members.unwrap_or_default(),
        available,
        id: record.id,
    })
}

/// Checks that a location entry has the fields its kind needs, and no others.
fn check_shape(
    record: &LocationRecord,
    kind: LocationKind,
    available: Availability,
) -> Result<(), (&'static str, EntryError)> {
    let is_region = kind == LocationKind::Region;
    let is_group = matches!(kind, LocationKind::MultiRegion | LocationKind::DualRegion);
    // A region whose site the provider does not disclose may omit its country; it then
    // assesses as unknown, which only isolated partitions are allowed to do.
    let may_omit_country = available == Availability::NotGenerallyAvailable;

    match (&record.country, &record.members, &record.pair) {
        (Some(_), _, _) if !is_region => Err(("country", mismatch(kind))),
        (None, _, _) if is_region && !may_omit_country => Err(("country", missing(kind))),
        (_, Some(_), _) if !is_group => Err(("members", mismatch(kind))),
        (_, None, _) if is_group => Err(("members", missing(kind))),
        (_, _, Some(_)) if !is_region => Err(("pair", mismatch(kind))),
        _ => Ok(()),
    }
}

fn mismatch(kind: LocationKind) -> EntryError {
    EntryError::KindMismatch { kind: kind.as_str() }
}

fn missing(kind: LocationKind) -> EntryError {
    EntryError::Missing { kind: kind.as_str() }
}

/// Checks pairs and members, and gives multi-regions and dual-regions the union of the
/// countries of their members.
fn link_locations(
    path: &Path,
    locations: &mut [Location],
    index: &HashMap<String, usize>,
) -> Result<(), CatalogError> {
    let find = |id: &str| index.get(&id.to_ascii_lowercase()).copied();

    for position in 0..locations.len() {
        let location = &locations[position];
        if let Some(pair) = &location.pair
            && find(pair).is_none()
        {
            let source = EntryError::UnknownLocation { id: pair.clone() };
            return Err(location_error(path, &location.id, "pair", source));
        }

        let mut countries = BTreeSet::new();
        for member in &location.members {
            let region = find(member)
                .map(|member| &locations[member])
                .filter(|region| region.kind == LocationKind::Region)
                .ok_or_else(|| {
                    let source = EntryError::UnknownLocation { id: member.clone() };
                    location_error(path, &location.id, "members", source)
                })?;
            countries.extend(region.countries.iter().cloned());
        }
        if !location.members.is_empty() {
            locations[position].countries = countries.into_iter().collect();
        }
    }
    Ok(())
}

type FieldError = (String, &'static str, EntryError);

fn read_jurisdiction(
    record: JurisdictionRecord,
    references: &References<'_>,
    existing: &[Jurisdiction],
) -> Result<Jurisdiction, FieldError> {
    let id = record.id.clone();
    let fail = |field: &'static str| {
        let id = id.clone();
        move |source| (id, field, source)
    };

    check_id(&record.id).map_err(fail("id"))?;
    check_unique(&record.id, existing).map_err(fail("id"))?;
    for alias in &record.aliases {
        check_id(alias).and_then(|()| check_unique(alias, existing)).map_err(fail("aliases"))?;
    }
    let base = match &record.base {
        Some(base) => Some(
            existing
                .iter()
                .find(|known| known.is_named(base))
                .ok_or_else(|| EntryError::UnknownJurisdiction { id: base.clone() })
                .map_err(fail("base"))?,
        ),
        None => None,
    };

    let mut countries = base.map(|base| base.countries.clone()).unwrap_or_default();
    for code in &record.countries {
        countries.insert(country_code(references.countries, code).map_err(fail("countries"))?);
    }
    for code in &record.exclude {
        countries.remove(&country_code(references.countries, code).map_err(fail("exclude"))?);
    }
    if countries.is_empty() {
        return Err(fail("countries")(EntryError::NoCountries));
    }
    let partitions = read_partitions(&record, base, references)?;

    Ok(Jurisdiction {
        name: record.name.unwrap_or_else(|| record.id.clone()),
        id: record.id,
        aliases: record.aliases,
        countries,
        partitions,
    })
}

fn read_partitions(
    record: &JurisdictionRecord,
    base: Option<&Jurisdiction>,
    references: &References<'_>,
) -> Result<BTreeMap<Provider, BTreeSet<String>>, FieldError> {
    let mut partitions = base.map(|base| base.partitions.clone()).unwrap_or_default();
    let fields = [
        (Provider::Aws, "aws_partitions", &record.aws_partitions),
        (Provider::Azure, "azure_partitions", &record.azure_partitions),
        (Provider::Google, "google_partitions", &record.google_partitions),
    ];

    for (provider, field, list) in fields {
        let Some(list) = list else { continue };
        let fail = |source| (record.id.clone(), field, source);
        if list.is_empty() {
            return Err(fail(EntryError::EmptyList));
        }
        let known = references.partitions.get(&provider);
        let mut allowed = BTreeSet::new();
        for partition in list {
            let partition = partition.to_ascii_lowercase();
            if !known.is_some_and(|known| known.contains(&partition)) {
                return Err(fail(EntryError::UnknownPartition { partition }));
            }
            allowed.insert(partition);
        }
        partitions.insert(provider, allowed);
    }
    Ok(partitions)
}

fn check_id(id: &str) -> Result<(), EntryError> {
    let valid = !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'_'));
    if valid { Ok(()) } else { Err(EntryError::InvalidId { id: id.to_owned() }) }
}

fn check_unique(id: &str, existing: &[Jurisdiction]) -> Result<(), EntryError> {
    if existing.iter().any(|known| known.is_named(id)) {
        return Err(EntryError::Duplicate { id: id.to_owned() });
    }
    Ok(())
}

/// Accepts a code in any case and returns it in uppercase, if it is a known country.
fn country_code(countries: &BTreeMap<String, String>, code: &str) -> Result<String, EntryError> {
    let upper = code.to_ascii_uppercase();
    if countries.contains_key(&upper) {
        Ok(upper)
    } else {
        Err(EntryError::UnknownCountry { code: code.to_owned() })
    }
}
