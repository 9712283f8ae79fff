//! Values: conversion between HCL and JSON values, and the type constraints of variables,
//! which Terraform applies to every value a variable receives.

use hcl::eval::{Context, Evaluate};
use hcl::{Expression, Map, Number, Value};

/// Converts an HCL value to JSON. Whole numbers become integers, so that `1e3` and `1000`
/// compare equal in policies.
pub(super) fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(flag) => serde_json::Value::Bool(*flag),
        Value::Number(number) => number_to_json(number),
        Value::String(text) => serde_json::Value::String(text.clone()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Object(map) => serde_json::Value::Object(
            map.iter().map(|(key, item)| (key.clone(), to_json(item))).collect(),
        ),
    }
}

/// Converts a JSON value to an HCL value.
pub(super) fn from_json(value: &serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(flag) => Value::Bool(*flag),
        serde_json::Value::Number(number) => {
            if let Some(integer) = number.as_i64() {
                Value::from(integer)
            } else if let Some(integer) = number.as_u64() {
                Value::from(integer)
            } else {
                number.as_f64().and_then(Number::from_f64).map_or(Value::Null, Value::Number)
            }
        }
        serde_json::Value::String(text) => Value::String(text.clone()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(from_json).collect()),
        serde_json::Value::Object(map) => {
            Value::Object(map.iter().map(|(key, item)| (key.clone(), from_json(item))).collect())
        }
    }
}

fn number_to_json(number: &Number) -> serde_json::Value {
    if let Some(integer) = number.as_i64() {
        return serde_json::Value::from(integer);
    }
    if let Some(integer) = number.as_u64() {
        return serde_json::Value::from(integer);
    }
    let float = number.as_f64().unwrap_or_default();
    if float.fract() == 0.0 && float.abs() < 9.0e15 {
        // Whole and well inside the range of i64, so the conversion is exact.
        return serde_json::Value::from(float as i64);
    }
    serde_json::Number::from_f64(float).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

/// The text of a value where Terraform converts it to a string (interpolation, tags):
/// strings as they are, numbers and booleans written out, `None` for anything else.
pub(super) fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// A variable's type constraint.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum TypeConstraint {
    Any,
    String,
    Number,
    Bool,
    List(Box<TypeConstraint>),
    Set(Box<TypeConstraint>),
    Map(Box<TypeConstraint>),
    Object(Vec<ObjectAttribute>),
    Tuple(Vec<TypeConstraint>),
}

/// One attribute of an object type.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ObjectAttribute {
    name: String,
    constraint: TypeConstraint,
    /// Whether the attribute may be left out (`optional(...)`).
    optional: bool,
    /// The value used when an optional attribute is absent or null.
    default: Option<Value>,
}

impl TypeConstraint {
    /// Reads a type expression (`string`, `list(object({ a = optional(number, 1) }))`).
    /// Unknown forms read as `any`, which leaves values unchanged.
    pub(super) fn parse(expr: &Expression) -> TypeConstraint {
        match expr {
            Expression::Variable(name) => match name.as_str() {
                "string" => TypeConstraint::String,
                "number" => TypeConstraint::Number,
                "bool" => TypeConstraint::Bool,
                _ => TypeConstraint::Any,
            },
            Expression::FuncCall(call) => {
                let argument = call.args.first();
                match (call.name.name.as_str(), argument) {
                    ("list", Some(inner)) => {
                        TypeConstraint::List(Box::new(TypeConstraint::parse(inner)))
                    }
                    ("set", Some(inner)) => {
                        TypeConstraint::Set(Box::new(TypeConstraint::parse(inner)))
                    }
                    ("map", Some(inner)) => {
                        TypeConstraint::Map(Box::new(TypeConstraint::parse(inner)))
                    }
                    ("object", Some(Expression::Object(attributes))) => TypeConstraint::Object(
                        attributes
                            .iter()
                            .map(|(key, value)| object_attribute(&key_name(key), value))
                            .collect(),
                    ),
                    ("tuple", Some(Expression::Array(items))) => {
                        TypeConstraint::Tuple(items.iter().map(TypeConstraint::parse).collect())
                    }
                    _ => TypeConstraint::Any,
                }
            }
            _ => TypeConstraint::Any,
        }
    }

    /// Converts `value` to this type the way Terraform does for variables: primitive
    /// values are converted between strings, numbers and booleans, absent optional object
    /// attributes get their default or null, and attributes the type does not declare are
    /// dropped.
    pub(super) fn convert(&self, value: Value) -> Result<Value, String> {
        if value.is_null() {
            return Ok(Value::Null);
        }
        match (self, value) {
            (TypeConstraint::Any, value) => Ok(value),
            (TypeConstraint::String, value) => as_text(&value)
                .map(Value::String)
                .ok_or_else(|| format!("a string is required, found `{}`", describe(&value))),
            (TypeConstraint::Number, Value::String(text)) => {
                parse_number(&text).ok_or_else(|| format!("a number is required, found `{text}`"))
            }
            (TypeConstraint::Number, value @ Value::Number(_)) => Ok(value),
            (TypeConstraint::Bool, Value::String(text)) if text == "true" || text == "false" => {
                Ok(Value::Bool(text == "true"))
            }
            (TypeConstraint::Bool, value @ Value::Bool(_)) => Ok(value),
            (TypeConstraint::List(inner), Value::Array(items)) => items
                .into_iter()
                .map(|item| inner.convert(item))
                .collect::<Result<_, _>>()
                .map(Value::Array),
            (TypeConstraint::Set(inner), Value::Array(items)) => {
                let items = items
                    .into_iter()
                    .map(|item| inner.convert(item))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(to_set(items))
            }
            (TypeConstraint::Map(inner), Value::Object(map)) => map
                .into_iter()
                .map(|(key, item)| Ok((key, inner.convert(item)?)))
                .collect::<Result<Map<_, _>, String>>()
                .map(Value::Object),
            (TypeConstraint::Object(attributes), Value::Object(mut map)) => {
                let mut converted = Map::new();
                for attribute in attributes {
                    let value = map.swap_remove(&attribute.name).unwrap_or(Value::Null);
                    converted.insert(attribute.name.clone(), attribute.convert(value)?);
                }
                Ok(Value::Object(converted))
            }
            (TypeConstraint::Tuple(types), Value::Array(items)) if types.len() == items.len() => {
                types
                    .iter()
                    .zip(items)
                    .map(|(constraint, item)| constraint.convert(item))
                    .collect::<Result<_, _>>()
                    .map(Value::Array)
            }
            (constraint, value) => Err(format!(
                "a value of type `{}` is required, found `{}`",
                constraint.name(),
                describe(&value)
            )),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            TypeConstraint::Any => "any",
            TypeConstraint::String => "string",
            TypeConstraint::Number => "number",
            TypeConstraint::Bool => "bool",
            TypeConstraint::List(_) => "list",
            TypeConstraint::Set(_) => "set",
            TypeConstraint::Map(_) => "map",
            TypeConstraint::Object(_) => "object",
            TypeConstraint::Tuple(_) => "tuple",
        }
    }
}

impl ObjectAttribute {
    fn convert(&self, value: Value) -> Result<Value, String> {
        if value.is_null() {
            return match (&self.default, self.optional) {
                (Some(default), _) => self.constraint.convert(default.clone()),
                (None, true) => Ok(Value::Null),
                (None, false) => Err(format!("attribute `{}` is required", self.name)),
            };
        }
        self.constraint
            .convert(value)
            .map_err(|error| format!("attribute `{}`: {error}", self.name))
    }
}

fn object_attribute(name: &str, expr: &Expression) -> ObjectAttribute {
    if let Expression::FuncCall(call) = expr
        && call.name.name.as_str() == "optional"
    {
        let constraint = call.args.first().map_or(TypeConstraint::Any, TypeConstraint::parse);
        let default = call.args.get(1).and_then(|default| default.evaluate(&Context::new()).ok());
        return ObjectAttribute { name: name.to_owned(), constraint, optional: true, default };
    }
    ObjectAttribute {
        name: name.to_owned(),
        constraint: TypeConstraint::parse(expr),
        optional: false,
        default: None,
    }
}

fn key_name(key: &hcl::ObjectKey) -> String {
    match key {
        hcl::ObjectKey::Identifier(name) => name.to_string(),
        hcl::ObjectKey::Expression(Expression::String(name)) => name.clone(),
        other => other.to_string(),
    }
}

/// A set of values as Terraform orders it: without duplicates, strings sorted.
pub(super) fn to_set(items: Vec<Value>) -> Value {
    let mut unique: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        if !unique.contains(&item) {
            unique.push(item);
        }
    }
    if unique.iter().all(Value::is_string) {
        unique.sort_by(|left, right| left.as_str().cmp(&right.as_str()));
    }
    Value::Array(unique)
}

/// Parses a number the way Terraform converts a string to a number.
pub(super) fn parse_number(text: &str) -> Option<Value> {
    let text = text.trim();
    if let Ok(integer) = text.parse::<i64>() {
        return Some(Value::from(integer));
    }
    text.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number)
}

/// A short description of a value for messages.
pub(super) fn describe(value: &Value) -> String {
    let text = value.to_string();
    let mut short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        short.push_str("...");
    }
    short.replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(type_text: &str, value_text: &str, expected: Result<&str, &str>) {
        let type_expr: Expression =
            hcl::edit::parser::parse_expr(type_text).expect("type parses").into();
        let value_expr: Expression =
            hcl::edit::parser::parse_expr(value_text).expect("value parses").into();
        let value = value_expr.evaluate(&Context::new()).expect("value evaluates");
        let converted = TypeConstraint::parse(&type_expr).convert(value);
        let expected = expected.map(|text| {
            let expr: Expression =
                hcl::edit::parser::parse_expr(text).expect("expected parses").into();
            expr.evaluate(&Context::new()).expect("expected evaluates")
        });
        assert_eq!(converted, expected.map_err(str::to_owned), "{type_text} {value_text}");
    }

    #[test]
    fn converts_values_to_variable_types() {
        let cases: &[(&str, &str, Result<&str, &str>)] = &[
            ("string", "5", Ok("\"5\"")),
            ("number", "\"5\"", Ok("5")),
            ("bool", "\"true\"", Ok("true")),
            ("list(string)", "[1, true]", Ok("[\"1\", \"true\"]")),
            ("set(string)", "[\"b\", \"a\", \"b\"]", Ok("[\"a\", \"b\"]")),
            ("map(number)", "{ a = \"1\" }", Ok("{ a = 1 }")),
            (
                "object({ a = string, b = optional(number, 3), c = optional(string) })",
                "{ a = \"x\", extra = 1 }",
                Ok("{ a = \"x\", b = 3, c = null }"),
            ),
            ("object({ rule = optional(object({ id = string })) })", "{}", Ok("{ rule = null }")),
            (
                "list(object({ a = optional(bool, true) }))",
                "[{}, { a = false }]",
                Ok("[{ a = true }, { a = false }]"),
            ),
            ("tuple([string, number])", "[1, \"2\"]", Ok("[\"1\", 2]")),
            ("any", "{ a = [1] }", Ok("{ a = [1] }")),
            ("object({ a = string })", "{}", Err("attribute `a` is required")),
            ("number", "\"x\"", Err("a number is required, found `x`")),
            ("list(string)", "\"x\"", Err("a value of type `list` is required, found `\"x\"`")),
        ];
        for (type_text, value_text, expected) in cases {
            check(type_text, value_text, *expected);
        }
    }

    #[test]
    fn writes_whole_floats_as_integers() {
        let value = Value::Number(Number::from_f64(1000.0).expect("finite"));
        assert_eq!(to_json(&value), serde_json::json!(1000));
        let half = Value::Number(Number::from_f64(0.5).expect("finite"));
        assert_eq!(to_json(&half), serde_json::json!(0.5));
    }
}
