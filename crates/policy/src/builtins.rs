//! The `terrane.*` builtins that every engine offers to Rego:
//!
//! - `terrane.locate(jurisdiction_id, cloud, value)` resolves a location string against a
//!   jurisdiction with the catalog (see [`crate::locate`]);
//! - `terrane.path(path)` splits a dotted attribute path (`rule.0.bucket`) into the keys
//!   `object.get` takes (`["rule", 0, "bucket"]`), which the pack's `lib.value` calls for
//!   every attribute it reads, so it is done in Rust rather than with regular expressions
//!   in Rego.

use regorus::Value;

use crate::PolicyError;
use crate::locate::{self, CatalogHandle};

/// Registers every builtin on `engine`.
pub(crate) fn register(
    engine: &mut regorus::Engine,
    catalog: &CatalogHandle,
) -> Result<(), PolicyError> {
    add(engine, "terrane.locate", 3, Box::new(locate::builtin(catalog)))?;
    add(engine, "terrane.path", 1, Box::new(path))
}

fn add(
    engine: &mut regorus::Engine,
    name: &str,
    arguments: u8,
    builtin: Box<dyn regorus::Extension>,
) -> Result<(), PolicyError> {
    engine.add_extension(name.to_owned(), arguments, builtin).map_err(|error| {
        PolicyError::Compile {
            path: name.into(),
            line: 0,
            column: 0,
            message: crate::source::one_line(&error.to_string()),
        }
    })
}

/// `terrane.path(path)`: the keys of a dotted path, with all-digit segments as numbers.
fn path(arguments: Vec<Value>) -> anyhow::Result<Value> {
    let Some(Value::String(path)) = arguments.first() else {
        anyhow::bail!("terrane.path expects a string");
    };
    let keys = path
        .split('.')
        .map(|segment| {
            let index = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
            match segment.parse::<u64>() {
                Ok(number) if index => Value::from(number),
                _ => Value::from(segment),
            }
        })
        .collect::<Vec<_>>();
    Ok(Value::from(keys))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paths_into_keys() {
        let check = |text: &str, expected: &str| {
            let keys = path(vec![Value::from(text)]).expect("a string path");
            assert_eq!(keys, Value::from_json_str(expected).expect("valid json"), "{text}");
        };
        check("versioning.0.enabled", r#"["versioning", 0, "enabled"]"#);
        check("tags", r#"["tags"]"#);
        check("a..b", r#"["a", "", "b"]"#);
        check("rule.10x", r#"["rule", "10x"]"#);
        assert!(path(vec![Value::from(1)]).is_err());
    }
}
