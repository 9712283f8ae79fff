//! The `terrane.locate` builtin and the location objects shared with the policy input.
//!
//! Locations are resolved by the catalog; this module only turns its assessments into
//! Rego values, caches them so that identical locations share one value, and exposes the
//! catalog to Rego.

use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasherDefault;
use std::ops::Deref;
use std::sync::Arc;

use regorus::Value;
use terrane_catalog::{Assessment, Catalog, Jurisdiction, Provider};

use crate::value::{WordHasher, object, string_array};

/// A shared handle on the catalog that resolves locations: the built-in catalog, or one
/// extended with the user's own jurisdictions. Cloning is cheap.
#[derive(Clone)]
pub struct CatalogHandle(Shared);

#[derive(Clone)]
enum Shared {
    Static(&'static Catalog),
    Owned(Arc<Catalog>),
}

impl CatalogHandle {
    /// The catalog that ships with Terrane.
    pub fn builtin() -> CatalogHandle {
        CatalogHandle(Shared::Static(Catalog::builtin()))
    }
}

impl Deref for CatalogHandle {
    type Target = Catalog;

    fn deref(&self) -> &Catalog {
        match &self.0 {
            Shared::Static(catalog) => catalog,
            Shared::Owned(catalog) => catalog,
        }
    }
}

impl From<&'static Catalog> for CatalogHandle {
    fn from(catalog: &'static Catalog) -> CatalogHandle {
        CatalogHandle(Shared::Static(catalog))
    }
}

impl From<Arc<Catalog>> for CatalogHandle {
    fn from(catalog: Arc<Catalog>) -> CatalogHandle {
        CatalogHandle(Shared::Owned(catalog))
    }
}

impl From<Catalog> for CatalogHandle {
    fn from(catalog: Catalog) -> CatalogHandle {
        CatalogHandle(Shared::Owned(Arc::new(catalog)))
    }
}

impl fmt::Debug for CatalogHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.0 {
            Shared::Static(_) => "static",
            Shared::Owned(_) => "owned",
        };
        f.debug_tuple("CatalogHandle").field(&kind).finish()
    }
}

/// `terrane.locate(jurisdiction_id, cloud, value)`: the location object of `value`.
pub(crate) fn builtin(catalog: &CatalogHandle) -> impl regorus::Extension + use<> {
    let catalog = catalog.clone();
    move |arguments: Vec<Value>| -> anyhow::Result<Value> {
        let [jurisdiction, cloud, raw] = arguments.as_slice() else {
            return Ok(unknown("terrane.locate takes three arguments"));
        };
        Ok(locate(&catalog, jurisdiction, cloud, raw))
    }
}

/// The location object for `assessment`.
pub(crate) fn location(assessment: &Assessment) -> Value {
    object([
        ("status", Value::from(assessment.status.as_str())),
        ("region", assessment.region.as_deref().map_or(Value::Null, Value::from)),
        ("countries", string_array(&assessment.countries)),
        ("partition", assessment.partition.as_deref().map_or(Value::Null, Value::from)),
        ("reason", Value::from(assessment.reason.as_str())),
    ])
}

/// A location object with status `unknown` and `reason`.
pub(crate) fn unknown(reason: &str) -> Value {
    object([
        ("status", Value::from("unknown")),
        ("region", Value::Null),
        ("countries", Value::new_array()),
        ("partition", Value::Null),
        ("reason", Value::from(reason)),
    ])
}

/// Resolves locations against one jurisdiction, remembering each distinct
/// `(provider, value)` so that resources in the same region share one location value.
pub(crate) struct Locator<'a> {
    catalog: &'a Catalog,
    jurisdiction: &'a Jurisdiction,
    // One map per provider, so that lookups borrow the raw value instead of allocating.
    cache: [HashMap<String, Value, BuildHasherDefault<WordHasher>>; 3],
}

impl<'a> Locator<'a> {
    /// A locator for `jurisdiction`.
    pub(crate) fn new(catalog: &'a Catalog, jurisdiction: &'a Jurisdiction) -> Locator<'a> {
        Locator { catalog, jurisdiction, cache: Default::default() }
    }

    /// The location object of `raw` for `provider`.
    pub(crate) fn locate(&mut self, provider: Provider, raw: &str) -> Value {
        let cache = &mut self.cache[provider_index(provider)];
        if let Some(found) = cache.get(raw) {
            return found.clone();
        }
        let found = location(&self.catalog.assess(self.jurisdiction, provider, raw));
        cache.insert(raw.to_owned(), found.clone());
        found
    }
}

/// The canonical region of a location object, when it resolved to one.
pub(crate) fn resolved_region(location: &Value) -> Option<&str> {
    location["region"].as_string().ok().map(|region| &**region)
}

fn provider_index(provider: Provider) -> usize {
    match provider {
        Provider::Aws => 0,
        Provider::Azure => 1,
        Provider::Google => 2,
    }
}

fn locate(catalog: &Catalog, jurisdiction: &Value, cloud: &Value, raw: &Value) -> Value {
    let Ok(id) = jurisdiction.as_string() else {
        return unknown("the jurisdiction id is not a string");
    };
    let Some(jurisdiction) = catalog.jurisdiction(id) else {
        return unknown(&format!("unknown jurisdiction `{id}`"));
    };
    let Ok(cloud) = cloud.as_string() else {
        return unknown("the cloud is not a string");
    };
    let Ok(provider) = cloud.parse::<Provider>() else {
        return unknown(&format!("`{cloud}` is not a cloud with regions"));
    };
    let Ok(raw) = raw.as_string() else {
        return unknown("no location value");
    };
    location(&catalog.assess(jurisdiction, provider, raw))
}
