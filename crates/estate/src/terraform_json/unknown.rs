//! Values unknown until apply, from the `after_unknown` of a planned change.
//!
//! `after_unknown` mirrors the planned value with `true` where a value is unknown. It is
//! walked straight from the raw JSON, next to the attribute values, so that no tree is
//! built for it: each marked path is listed, and its placeholder is taken out of the
//! attributes (Terraform leaves unknown object attributes out of the planned values and
//! writes unknown list elements as null).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::wire::{Attributes, Text};

/// Lists the dotted paths that `after_unknown` marks, and removes them from `attributes`.
pub(super) fn mark_unknown(attributes: &mut Attributes, after_unknown: &RawValue) -> Vec<String> {
    let mut values = Value::Object(std::mem::take(attributes));
    let mut paths = Vec::new();
    let marker = Marker { value: Some(&mut values), path: &mut String::new(), out: &mut paths };
    let mut deserializer = serde_json::Deserializer::from_str(after_unknown.get());
    // The raw value was read as well-formed JSON already, so the walk cannot fail; if it
    // did, the paths found so far are kept.
    let _ = marker.deserialize(&mut deserializer);
    if let Value::Object(map) = values {
        *attributes = map;
    }
    paths
}

/// Walks one node of `after_unknown` next to the value at the same path, if any.
/// Deserializes to true when the whole node is unknown.
struct Marker<'p> {
    value: Option<&'p mut Value>,
    path: &'p mut String,
    out: &'p mut Vec<String>,
}

impl<'de> DeserializeSeed<'de> for Marker<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Marker<'_> {
    type Value = bool;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an unknown-value marker")
    }

    fn visit_bool<E: de::Error>(self, unknown: bool) -> Result<bool, E> {
        Ok(unknown)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let Marker { mut value, path, out } = self;
        while let Some(name) = map.next_key::<Text<'de>>()? {
            let length = path.len();
            push_segment(path, name.as_str());
            let child = match value.as_deref_mut() {
                Some(Value::Object(values)) => values.get_mut(name.as_str()),
                _ => None,
            };
            if map.next_value_seed(Marker { value: child, path, out })? {
                out.push(path.clone());
                if let Some(Value::Object(values)) = value.as_deref_mut() {
                    values.remove(name.as_str());
                }
            }
            path.truncate(length);
        }
        Ok(false)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let Marker { mut value, path, out } = self;
        let mut index = 0usize;
        loop {
            let length = path.len();
            push_segment(path, &index.to_string());
            let child = match value.as_deref_mut() {
                Some(Value::Array(items)) => items.get_mut(index),
                _ => None,
            };
            let Some(unknown) = seq.next_element_seed(Marker { value: child, path, out })? else {
                path.truncate(length);
                return Ok(false);
            };
            if unknown {
                out.push(path.clone());
                if let Some(Value::Array(items)) = value.as_deref_mut()
                    && let Some(item) = items.get_mut(index)
                {
                    *item = Value::Null;
                }
            }
            path.truncate(length);
            index += 1;
        }
    }
}

fn push_segment(path: &mut String, segment: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(segment);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_unknown_paths_and_removes_placeholders() {
        let mut attributes: Attributes = serde_json::from_str(
            r#"{"bucket": "b", "rule": [{"kms": null, "algo": "aws:kms"}], "list": ["a", null],
                "tags": {"k.8s/role": "x"}}"#,
        )
        .unwrap();
        let after_unknown: Box<RawValue> = serde_json::from_str(
            r#"{"arn": true, "bucket": false, "rule": [{"kms": true, "algo": false}],
                "list": [false, true], "gone": [{"x": true}], "tags": {"k.8s/role": true}}"#,
        )
        .unwrap();

        let paths = mark_unknown(&mut attributes, &after_unknown);

        assert_eq!(paths, ["arn", "rule.0.kms", "list.1", "gone.0.x", "tags.k.8s/role"]);
        let expected: Attributes = serde_json::from_str(
            r#"{"bucket": "b", "rule": [{"algo": "aws:kms"}], "list": ["a", null], "tags": {}}"#,
        )
        .unwrap();
        assert_eq!(attributes, expected);
    }

    #[test]
    fn ignores_markers_of_unexpected_shape() {
        let mut attributes: Attributes = serde_json::from_str(r#"{"a": 1}"#).unwrap();
        for marker in ["true", "[true]", "\"x\"", "{\"a\": [true]}", "{\"a\": {\"b\": true}}"] {
            let raw: Box<RawValue> = serde_json::from_str(marker).unwrap();
            let paths = mark_unknown(&mut attributes, &raw);
            assert!(paths.iter().all(|path| path.starts_with('a') || path == "0"), "{marker}");
        }
        assert_eq!(attributes.get("a"), Some(&Value::from(1)));
    }
}
