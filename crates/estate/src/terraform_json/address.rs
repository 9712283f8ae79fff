//! Terraform addresses and references as text: module instance paths
//! (`module.a["x"].module.b`), instance keys (`[0]`, `["k"]`) and the references that
//! the configuration lists for an expression (`aws_kms_key.k.arn`, `module.m.out`,
//! `var.region`).
//!
//! Instance keys are kept as the text between the brackets, quoted the way Terraform
//! quotes them, so that keys from addresses, from state `index_key`s and from references
//! compare as plain strings.

use serde_json::Value;

use crate::Mode;

/// One step of a module instance path: `module.NAME` and its instance key, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ModuleStep {
    pub(super) name: String,
    /// The text between the brackets (`0`, `"eu"`), when the call has `count` or
    /// `for_each`.
    pub(super) key: Option<String>,
}

/// One step of a traversal: an attribute name or a bracketed key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step<'r> {
    Name(&'r str),
    Key(&'r str),
}

/// What a reference in the configuration points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reference<'r> {
    /// A resource or data source in the same module, or one of its instances.
    Resource { mode: Mode, resource_type: &'r str, name: &'r str, key: Option<&'r str> },
    /// An output of a called module.
    ModuleOutput { call: &'r str, key: Option<&'r str>, output: &'r str },
    /// An input variable of the module, with the traversal after its name.
    Variable { name: &'r str, text: &'r str },
    /// A local value, which the JSON configuration does not describe.
    Local,
    /// `count.index`, `each.value`, `path.module` and the like.
    Other,
}

/// Parses a traversal such as `module.a["x"].aws_s3_bucket.b[0].arn` into its steps, or
/// `None` when it is not one.
pub(super) fn traversal(text: &str) -> Option<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    let mut rest = text;
    loop {
        if let Some(after) = rest.strip_prefix('[') {
            let close = closing_bracket(after)?;
            steps.push(Step::Key(after.get(..close)?));
            rest = after.get(close + 1..)?;
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let name = rest.get(..end)?;
            if name.is_empty() {
                return None;
            }
            steps.push(Step::Name(name));
            rest = rest.get(end..)?;
        }
        if rest.is_empty() {
            return Some(steps);
        }
        if let Some(after) = rest.strip_prefix('.') {
            rest = after;
        } else if !rest.starts_with('[') {
            return None;
        }
    }
}

/// Parses a module instance address (`module.a["x"].module.b`); the empty string is the
/// root module.
pub(super) fn module_path(address: &str) -> Option<Vec<ModuleStep>> {
    if address.is_empty() {
        return Some(Vec::new());
    }

    let steps = traversal(address)?;
    let mut path = Vec::new();
    let mut steps = steps.into_iter().peekable();
    while let Some(step) = steps.next() {
        let (Step::Name("module"), Some(Step::Name(name))) = (step, steps.next()) else {
            return None;
        };
        let key = match steps.peek() {
            Some(Step::Key(key)) => Some((*key).to_owned()),
            _ => None,
        };
        if key.is_some() {
            steps.next();
        }
        path.push(ModuleStep { name: name.to_owned(), key });
    }
    Some(path)
}

/// The resource address `[module.].[data.]TYPE.NAME[KEY]`.
pub(super) fn resource_address(
    module: &str,
    mode: Mode,
    resource_type: &str,
    name: &str,
    key: Option<&str>,
) -> String {
    let mut address = String::with_capacity(module.len() + resource_type.len() + name.len() + 8);
    if !module.is_empty() {
        address.push_str(module);
        address.push('.');
    }
    if mode == Mode::Data {
        address.push_str("data.");
    }
    address.push_str(resource_type);
    address.push('.');
    address.push_str(name);
    if let Some(key) = key {
        address.push('[');
        address.push_str(key);
        address.push(']');
    }
    address
}

/// The instance key text of a `count` index (a number) or a `for_each` key (a string),
/// or `None` for anything else.
pub(super) fn instance_key(index: &Value) -> Option<String> {
    match index {
        Value::Number(number) => Some(number.to_string()),
        Value::String(key) => Some(quote(key)),
        _ => None,
    }
}

/// Quotes a string key the way Terraform writes it in addresses.
pub(super) fn quote(key: &str) -> String {
    let mut quoted = String::with_capacity(key.len() + 2);
    quoted.push('"');
    let mut chars = key.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => quoted.push_str("\\\\"),
            '"' => quoted.push_str("\\\""),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                quoted.push(c);
                quoted.push(c);
            }
            c if c.is_control() => quoted.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// The string inside a quoted key (`"eu"` gives `eu`), or `None` for a number key.
pub(super) fn unquote(key: &str) -> Option<String> {
    let inner = key.strip_prefix('"')?.strip_suffix('"')?;
    let mut text = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => text.push('\n'),
            Some('r') => text.push('\r'),
            Some('t') => text.push('\t'),
            Some(other) => text.push(other),
            None => return None,
        }
    }
    Some(text.replace("$${", "${").replace("%%{", "%{"))
}

/// What a reference string points at.
pub(super) fn reference(text: &str) -> Reference<'_> {
    let Some(steps) = traversal(text) else {
        return Reference::Other;
    };
    let name = |index: usize| match steps.get(index) {
        Some(Step::Name(name)) => Some(*name),
        _ => None,
    };
    let key = |index: usize| match steps.get(index) {
        Some(Step::Key(key)) => Some(*key),
        _ => None,
    };

    match name(0) {
        Some("var") => match name(1) {
            Some(variable) => Reference::Variable { name: variable, text },
            None => Reference::Other,
        },
        Some("local") => Reference::Local,
        Some("module") => {
            let call_key = key(2);
            let output = name(if call_key.is_some() { 3 } else { 2 });
            match (name(1), output) {
                (Some(call), Some(output)) => {
                    Reference::ModuleOutput { call, key: call_key, output }
                }
                _ => Reference::Other,
            }
        }
        Some("data") => match (name(1), name(2)) {
            (Some(resource_type), Some(resource_name)) => Reference::Resource {
                mode: Mode::Data,
                resource_type,
                name: resource_name,
                key: key(3),
            },
            _ => Reference::Other,
        },
        Some(
            "count" | "each" | "path" | "terraform" | "self" | "ephemeral" | "resource" | "run",
        ) => Reference::Other,
        Some(resource_type) => match name(1) {
            Some(resource_name) => Reference::Resource {
                mode: Mode::Managed,
                resource_type,
                name: resource_name,
                key: key(2),
            },
            None => Reference::Other,
        },
        None => Reference::Other,
    }
}

/// The index of the `]` that closes a key, honouring quoted strings and escapes.
fn closing_bracket(text: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            ']' if !in_string => return Some(index),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a module path as Terraform writes a module instance address.
    fn module_address(path: &[ModuleStep]) -> String {
        let mut address = String::new();
        for step in path {
            if !address.is_empty() {
                address.push('.');
            }
            address.push_str("module.");
            address.push_str(&step.name);
            if let Some(key) = &step.key {
                address.push('[');
                address.push_str(key);
                address.push(']');
            }
        }
        address
    }

    #[test]
    fn parses_module_paths() {
        let step = |name: &str, key: Option<&str>| ModuleStep {
            name: name.to_owned(),
            key: key.map(str::to_owned),
        };
        let cases = [
            ("", Some(vec![])),
            ("module.a", Some(vec![step("a", None)])),
            (
                "module.a[\"x.]\\\"y\"].module.b[0]",
                Some(vec![step("a", Some("\"x.]\\\"y\"")), step("b", Some("0"))]),
            ),
            ("module", None),
            ("aws_s3_bucket.b", None),
            ("module.a[\"x\"", None),
            ("module.a..module.b", None),
        ];
        for (address, expected) in cases {
            let parsed = module_path(address);
            assert_eq!(parsed, expected, "{address}");
            if let Some(path) = parsed {
                assert_eq!(module_address(&path), address);
            }
        }
    }

    #[test]
    fn parses_references() {
        use Reference::*;
        let resource = |mode, resource_type, name, key| Resource { mode, resource_type, name, key };
        let cases = [
            ("aws_kms_key.k.arn", resource(Mode::Managed, "aws_kms_key", "k", None)),
            ("aws_kms_key.k[0]", resource(Mode::Managed, "aws_kms_key", "k", Some("0"))),
            (
                "aws_kms_key.k[\"a\"].arn",
                resource(Mode::Managed, "aws_kms_key", "k", Some("\"a\"")),
            ),
            ("data.aws_kms_key.k.arn", resource(Mode::Data, "aws_kms_key", "k", None)),
            ("module.kms.key_arn", ModuleOutput { call: "kms", key: None, output: "key_arn" }),
            (
                "module.kms[\"eu\"].key_arn",
                ModuleOutput { call: "kms", key: Some("\"eu\""), output: "key_arn" },
            ),
            ("module.kms", Other),
            ("var.region", Variable { name: "region", text: "var.region" }),
            ("local.key", Local),
            ("count.index", Other),
            ("each.value", Other),
            ("aws_kms_key", Other),
            ("aws_kms_key.k[", Other),
        ];
        for (text, expected) in cases {
            assert_eq!(reference(text), expected, "{text}");
        }
    }

    #[test]
    fn quotes_keys_like_terraform() {
        let cases = [
            ("eu", "\"eu\""),
            ("a\"b\\c", "\"a\\\"b\\\\c\""),
            ("${x}", "\"$${x}\""),
            ("line\nbreak", "\"line\\nbreak\""),
        ];
        for (key, quoted) in cases {
            assert_eq!(quote(key), quoted);
            assert_eq!(unquote(quoted).as_deref(), Some(key));
        }
        assert_eq!(instance_key(&Value::from(3)), Some("3".to_owned()));
        assert_eq!(instance_key(&Value::Null), None);
        assert_eq!(unquote("3"), None);
    }
}
