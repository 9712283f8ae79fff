//! The catalog itself: lookups, normalisation of location spellings, and assessment.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use crate::assessment::{Assessment, Residency};
use crate::build::{self, References};
use crate::error::CatalogError;
use crate::jurisdiction::Jurisdiction;
use crate::location::{Location, LocationKind};
use crate::normalize::{self, ZoneKind};
use crate::provider::Provider;
use crate::records::CountryFile;

/// The embedded data files, with the paths used in error messages.
const COUNTRIES: (&str, &str) =
    ("catalog/countries.toml", include_str!("../../../catalog/countries.toml"));
const LOCATIONS: [(Provider, &str, &str); 3] = [
    (Provider::Aws, "catalog/aws.toml", include_str!("../../../catalog/aws.toml")),
    (Provider::Azure, "catalog/azure.toml", include_str!("../../../catalog/azure.toml")),
    (Provider::Google, "catalog/google.toml", include_str!("../../../catalog/google.toml")),
];
const JURISDICTIONS: (&str, &str) =
    ("catalog/jurisdictions.toml", include_str!("../../../catalog/jurisdictions.toml"));

/// Provider locations, the countries they are in, and the jurisdictions those countries
/// belong to.
///
/// # Examples
///
/// ```
/// use terrane_catalog::{Catalog, Provider, Residency};
///
/// let catalog = Catalog::builtin();
/// let eu = catalog.jurisdiction("eu").expect("EU is built in");
/// let london = catalog.assess(eu, Provider::Aws, "eu-west-2a");
/// assert_eq!(london.status, Residency::Outside);
/// assert_eq!(london.reason, "eu-west-2 (London, GB) is not in EU");
/// ```
#[derive(Debug, Clone)]
pub struct Catalog {
    countries: BTreeMap<String, String>,
    locations: Vec<Location>,
    /// Invariant: every value is an index into `locations` of a location of the key's
    /// provider; keys are lowercase ids and, for Azure, compacted display names.
    location_index: HashMap<Provider, HashMap<String, usize>>,
    partitions: BTreeMap<Provider, BTreeSet<String>>,
    jurisdictions: Vec<Jurisdiction>,
}

/// A location found for some input, and how the input named it.
struct Resolution<'a> {
    location: &'a Location,
    zone: Option<ZoneKind>,
}

impl Catalog {
    /// The catalog built from the data files shipped in `catalog/`, parsed on first use.
    ///
    /// # Panics
    ///
    /// Never in a released build: the embedded files are fixed at compile time and the
    /// crate's tests parse and check them.
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Catalog::from_embedded().expect("embedded catalog files are checked by the tests")
        })
    }

    /// A copy of this catalog with the jurisdictions of a user file added.
    ///
    /// The file uses the schema of `catalog/jurisdictions.toml`: `[[jurisdiction]]` entries
    /// with `id`, optional `name`, `aliases`, `base`, `countries`, `exclude` and
    /// `aws_partitions`, `azure_partitions`, `google_partitions`. `path` is used only to
    /// name the file in errors.
    ///
    /// # Errors
    ///
    /// [`CatalogError::Parse`] when the text is not valid TOML or has unknown fields, and
    /// [`CatalogError::Jurisdiction`] naming the entry and field when an id is invalid or
    /// taken, a country code, base or partition is unknown, or no country is left.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::path::Path;
    /// use terrane_catalog::{Catalog, Provider, Residency};
    ///
    /// let text = r#"
    /// [[jurisdiction]]
    /// id = "EU-EXCEPT-IE"
    /// base = "EU"
    /// exclude = ["IE"]
    /// "#;
    /// let catalog = Catalog::builtin().with_jurisdictions_toml(Path::new("j.toml"), text)?;
    /// let perimeter = catalog.jurisdiction("eu-except-ie").expect("just added");
    /// let dublin = catalog.assess(perimeter, Provider::Azure, "North Europe");
    /// assert_eq!(dublin.status, Residency::Outside);
    /// # Ok::<(), terrane_catalog::CatalogError>(())
    /// ```
    pub fn with_jurisdictions_toml(
        &self,
        path: &Path,
        text: &str,
    ) -> Result<Catalog, CatalogError> {
        let mut catalog = self.clone();
        let references = References { countries: &self.countries, partitions: &self.partitions };
        build::read_jurisdictions(path, text, &references, &mut catalog.jurisdictions)?;

        Ok(catalog)
    }

    /// The jurisdiction with this id or alias, ignoring case.
    pub fn jurisdiction(&self, id: &str) -> Option<&Jurisdiction> {
        self.jurisdictions.iter().find(|jurisdiction| jurisdiction.is_named(id.trim()))
    }

    /// Every jurisdiction: the built-in ones first, then user ones in file order.
    pub fn jurisdictions(&self) -> impl Iterator<Item = &Jurisdiction> {
        self.jurisdictions.iter()
    }

    /// Every location of `provider`, or of every provider when `None`, in file order.
    pub fn locations(&self, provider: Option<Provider>) -> impl Iterator<Item = &Location> {
        self.locations
            .iter()
            .filter(move |location| provider.is_none_or(|provider| location.provider == provider))
    }

    /// The short name of an ISO 3166-1 alpha-2 country code, such as `Germany` for `DE`.
    pub fn country_name(&self, code: &str) -> Option<&str> {
        self.countries.get(&code.to_ascii_uppercase()).map(String::as_str)
    }

    /// Finds the location that `raw` names for `provider`.
    ///
    /// Matching ignores case and accepts: canonical ids; AWS availability zones
    /// (`eu-central-1a`) and Local or Wavelength Zones (`us-east-1-bos-1a`), which reduce to
    /// their region; AWS ARNs, whose partition must match the region's (an ARN without a
    /// region, such as an S3 bucket's, resolves to nothing); Azure display names
    /// (`Germany West Central`); Google zones (`europe-west3-b`); resource paths and self
    /// links containing `/locations/X`, `/regions/X` or `/zones/X`; and `global` for Azure
    /// and Google.
    pub fn resolve(&self, provider: Provider, raw: &str) -> Option<&Location> {
        self.resolve_detailed(provider, raw).map(|resolution| resolution.location)
    }

    /// Decides whether the location that `raw` names is inside `jurisdiction`.
    ///
    /// Inside only when every country of the location (of every member, for multi-regions
    /// and dual-regions) is in the jurisdiction and the location's partition is allowed.
    /// `global` yields [`Residency::Global`]. Input that does not resolve, locations whose
    /// countries are not documented, and AWS Local Zones (whose city may differ from their
    /// region's) yield [`Residency::Unknown`], never a pass.
    pub fn assess(&self, jurisdiction: &Jurisdiction, provider: Provider, raw: &str) -> Assessment {
        let Some(resolution) = self.resolve_detailed(provider, raw) else {
            let reason = format!("`{}` is not a known {provider} location", raw.trim());
            return unknown(reason);
        };
        let location = resolution.location;
        let facts = |status, reason| Assessment {
            status,
            region: Some(location.id.clone()),
            countries: location.countries.clone(),
            partition: Some(location.partition.clone()),
            reason,
        };

        if location.kind == LocationKind::Global {
            return facts(Residency::Global, format!("{} is not in any region", location.id));
        }
        if resolution.zone == Some(ZoneKind::Local) {
            let reason = format!(
                "`{}` is a local zone of {} and its country is not in the catalog",
                raw.trim(),
                location.id
            );
            return facts(Residency::Unknown, reason);
        }
        if location.countries.is_empty() {
            let reason = format!("the countries of {} are not documented", location.id);
            return facts(Residency::Unknown, reason);
        }

        let (status, reason) = decide(jurisdiction, location);
        facts(status, reason)
    }

    fn from_embedded() -> Result<Catalog, CatalogError> {
        let (path, text) = COUNTRIES;
        let countries = build::parse::<CountryFile>(Path::new(path), text)?.countries;
        let mut locations = Vec::new();
        for (provider, path, text) in LOCATIONS {
            locations.extend(build::read_locations(Path::new(path), provider, text, &countries)?);
        }
        let catalog = Catalog::from_locations(countries, locations);

        let (path, text) = JURISDICTIONS;
        catalog.with_jurisdictions_toml(Path::new(path), text)
    }

    fn from_locations(countries: BTreeMap<String, String>, locations: Vec<Location>) -> Catalog {
        let mut location_index: HashMap<Provider, HashMap<String, usize>> = HashMap::new();
        let mut partitions: BTreeMap<Provider, BTreeSet<String>> = BTreeMap::new();
        for (position, location) in locations.iter().enumerate() {
            let index = location_index.entry(location.provider).or_default();
            index.insert(location.id.to_ascii_lowercase(), position);
            if location.provider == Provider::Azure {
                index.entry(normalize::compact(&location.name)).or_insert(position);
            }
            partitions.entry(location.provider).or_default().insert(location.partition.clone());
        }

        Catalog { countries, locations, location_index, partitions, jurisdictions: Vec::new() }
    }

    fn lookup(&self, provider: Provider, key: &str) -> Option<&Location> {
        let position = *self.location_index.get(&provider)?.get(key)?;
        self.locations.get(position)
    }

    fn resolve_detailed(&self, provider: Provider, raw: &str) -> Option<Resolution<'_>> {
        let text = raw.trim().to_ascii_lowercase();
        if provider == Provider::Aws && text.starts_with("arn:") {
            return self.resolve_arn(&text);
        }
        let text = normalize::path_location(&text).unwrap_or(&text);
        let exact = |location| Resolution { location, zone: None };

        if let Some(location) = self.lookup(provider, text) {
            return Some(exact(location));
        }
        match provider {
            Provider::Azure => self.lookup(provider, &normalize::compact(text)).map(exact),
            Provider::Aws | Provider::Google => self.resolve_zone(provider, text),
        }
    }

    fn resolve_arn(&self, text: &str) -> Option<Resolution<'_>> {
        let arn = normalize::arn_region(text)?;
        let location = self.lookup(Provider::Aws, arn.region)?;
        let consistent =
            location.kind == LocationKind::Region && location.partition == arn.partition;

        consistent.then_some(Resolution { location, zone: None })
    }

    fn resolve_zone(&self, provider: Provider, text: &str) -> Option<Resolution<'_>> {
        normalize::zone_candidates(provider, text).find_map(|(region, zone)| {
            self.lookup(provider, region)
                .filter(|location| location.kind == LocationKind::Region)
                .map(|location| Resolution { location, zone: Some(zone) })
        })
    }
}

fn unknown(reason: String) -> Assessment {
    Assessment {
        status: Residency::Unknown,
        region: None,
        countries: Vec::new(),
        partition: None,
        reason,
    }
}

/// The verdict for a location with known countries.
fn decide(jurisdiction: &Jurisdiction, location: &Location) -> (Residency, String) {
    let label = location.label();
    let id = &jurisdiction.id;

    if !jurisdiction.allows_partition(location.provider, &location.partition) {
        let reason =
            format!("{label} is in partition `{}`, which {id} does not allow", location.partition);
        return (Residency::Outside, reason);
    }
    let outside: Vec<&str> = location
        .countries
        .iter()
        .filter(|country| !jurisdiction.countries.contains(*country))
        .map(String::as_str)
        .collect();
    if outside.is_empty() {
        return (Residency::Inside, format!("{label} is in {id}"));
    }

    let reason = if location.countries.len() > 1 {
        format!("{label} is not in {id}: {} outside", outside.join(", "))
    } else {
        format!("{label} is not in {id}")
    };
    (Residency::Outside, reason)
}
