//! Building regorus values directly from Rust data, without a JSON text round trip.

use std::collections::{BTreeMap, HashMap};

use regorus::Value;

/// An object value from `(key, value)` pairs.
pub(crate) fn object<'a>(entries: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
    Value::from(
        entries
            .into_iter()
            .map(|(key, value)| (Value::from(key), value))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// An array value of strings.
pub(crate) fn string_array<S: AsRef<str>>(items: &[S]) -> Value {
    Value::from(items.iter().map(|item| Value::from(item.as_ref())).collect::<Vec<_>>())
}

/// Reuses one value for each distinct string, so that the keys and enumerations that
/// repeat across thousands of resources (`bucket`, `aws_s3_bucket`, `managed`) are
/// allocated once and shared by reference count.
#[derive(Default)]
pub(crate) struct Interner {
    strings: HashMap<String, Value>,
}

impl Interner {
    /// The shared value for `text`.
    pub(crate) fn string(&mut self, text: &str) -> Value {
        if let Some(value) = self.strings.get(text) {
            return value.clone();
        }
        let value = Value::from(text);
        self.strings.insert(text.to_owned(), value.clone());
        value
    }

    /// An object value from `(key, value)` pairs, with interned keys.
    pub(crate) fn object<'a>(
        &mut self,
        entries: impl IntoIterator<Item = (&'a str, Value)>,
    ) -> Value {
        Value::from(
            entries
                .into_iter()
                .map(|(key, value)| (self.string(key), value))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    /// The regorus value of a JSON value. Object keys are interned; string values are
    /// not, since attribute values rarely repeat exactly.
    pub(crate) fn json(&mut self, json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(flag) => Value::from(*flag),
            serde_json::Value::Number(number) => number_value(number),
            serde_json::Value::String(text) => Value::from(text.as_str()),
            serde_json::Value::Array(items) => {
                Value::from(items.iter().map(|item| self.json(item)).collect::<Vec<_>>())
            }
            serde_json::Value::Object(map) => self.json_object(map),
        }
    }

    /// The regorus value of a JSON object.
    pub(crate) fn json_object(
        &mut self,
        map: &serde_json::Map<String, serde_json::Value>,
    ) -> Value {
        let entries = map.iter().map(|(key, value)| (self.string(key), self.json(value)));
        Value::from(entries.collect::<BTreeMap<_, _>>())
    }
}

fn number_value(number: &serde_json::Number) -> Value {
    if let Some(unsigned) = number.as_u64() {
        Value::from(unsigned)
    } else if let Some(signed) = number.as_i64() {
        Value::from(signed)
    } else {
        // serde_json only holds finite floats, so this is the remaining case.
        Value::from(number.as_f64().unwrap_or_default())
    }
}
