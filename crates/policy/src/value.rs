//! Building regorus values directly from Rust data, without a JSON text round trip.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

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
    strings: HashMap<String, Value, BuildHasherDefault<WordHasher>>,
}

/// A fast hasher for the interner's short keys. The keys come from the estate being
/// evaluated, never from a network peer, so resistance to collision flooding is not
/// needed and the default SipHash only costs time.
#[derive(Default)]
pub(crate) struct WordHasher {
    state: u64,
}

impl WordHasher {
    /// An odd constant with well-mixed bits (the fractional part of the golden ratio).
    const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

    fn mix(&mut self, word: u64) {
        self.state = (self.state.rotate_left(5) ^ word).wrapping_mul(Self::MULTIPLIER);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let mut tail = [0; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.mix(u64::from_le_bytes(tail) ^ (rest.len() as u64) << 56);
    }

    fn write_u8(&mut self, byte: u8) {
        self.mix(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.state
    }
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
