//! Where a resource is and how it is tagged, from its own attribute values: the region
//! arguments of each cloud, the regions that identifiers embed, and tags or labels merged
//! over the provider's defaults.

use std::collections::BTreeMap;

use serde_json::Value;

use super::wire::Attributes;
use crate::identifier::{arn_region, google_path_region};
use crate::{Cloud, RegionOrigin, ResolvedRegion};

/// Reads the region out of an identifier.
type RegionReader = fn(&str) -> Option<&str>;

/// The region a resource states itself: AWS `region` (every resource has it from provider
/// 6 on; a few, like S3 buckets, report it before), Azure `location`, Google `location`,
/// `region` or `zone`.
pub(super) fn argument_region(cloud: Cloud, attributes: &Attributes) -> Option<ResolvedRegion> {
    let names: &[&str] = match cloud {
        Cloud::Aws => &["region"],
        Cloud::Azure => &["location"],
        Cloud::Google => &["location", "region", "zone"],
        Cloud::Other => &[],
    };
    names.iter().find_map(|name| {
        let value = non_empty_string(attributes, name)?;
        Some(ResolvedRegion {
            value: value.to_owned(),
            origin: RegionOrigin::Argument((*name).to_owned()),
        })
    })
}

/// The region embedded in the resource's own identifier: an AWS `arn`, a Google
/// `self_link` or `id`.
pub(super) fn identifier_region(cloud: Cloud, attributes: &Attributes) -> Option<ResolvedRegion> {
    let (names, read): (&[&str], RegionReader) = match cloud {
        Cloud::Aws => (&["arn"], arn_region),
        Cloud::Google => (&["self_link", "id"], google_path_region),
        Cloud::Azure | Cloud::Other => return None,
    };
    names.iter().find_map(|name| {
        let value = read(non_empty_string(attributes, name)?)?;
        Some(ResolvedRegion {
            value: value.to_owned(),
            origin: RegionOrigin::Identifier((*name).to_owned()),
        })
    })
}

/// The effective tags of a resource: the provider's defaults (AWS `default_tags`, Google
/// `default_labels`), then what the provider computed (`tags_all`, `effective_labels`),
/// then the resource's own tags or labels, each later one winning.
///
/// The defaults only apply to a type that has tags at all, which shows in its values
/// (Terraform writes every attribute of the schema, null when unset) or, when they are
/// unknown until apply, in `unknown`.
pub(super) fn tags(
    cloud: Cloud,
    attributes: &Attributes,
    unknown: &[String],
    defaults: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    // Highest precedence first: each layer only adds the keys that are still missing, so
    // that no value is copied only to be overwritten.
    let layers: &[&str] = match cloud {
        Cloud::Aws => &["tags", "tags_all"],
        Cloud::Google => &["labels", "terraform_labels", "effective_labels"],
        Cloud::Azure | Cloud::Other => &["tags"],
    };
    let mut tags = BTreeMap::new();
    for layer in layers {
        if let Some(Value::Object(map)) = attributes.get(*layer) {
            for (key, value) in map {
                if !tags.contains_key(key)
                    && let Some(text) = tag_text(value)
                {
                    tags.insert(key.clone(), text);
                }
            }
        }
    }

    let taggable = layers.iter().any(|layer| {
        attributes.contains_key(*layer)
            || unknown.iter().any(|path| {
                path.strip_prefix(layer)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            })
    });
    if taggable {
        for (key, value) in defaults {
            if !tags.contains_key(key) {
                tags.insert(key.clone(), value.clone());
            }
        }
    }
    tags
}

/// The string entries of a tag map; numbers and booleans are written as text, nulls and
/// nested values are left out.
pub(super) fn string_map(
    map: &serde_json::Map<String, Value>,
) -> impl Iterator<Item = (String, String)> + '_ {
    map.iter().filter_map(|(key, value)| Some((key.clone(), tag_text(value)?)))
}

/// A tag value as text: numbers and booleans are written out, nulls and nested values
/// have none.
fn tag_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

fn non_empty_string<'v>(attributes: &'v Attributes, name: &str) -> Option<&'v str> {
    attributes.get(name)?.as_str().filter(|value| !value.is_empty())
}
