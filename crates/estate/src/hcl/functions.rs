//! The Terraform functions the reader evaluates, declared in an `hcl-rs` evaluation
//! context. Functions that read files, call the network or depend on the time are left
//! out on purpose: a call to one is reported as a value that cannot be evaluated.
//!
//! Arithmetic goes through functions of this module too (see [`ARITHMETIC`]): `hcl-rs`
//! panics on integer overflow and on division by zero, and input must never make the
//! reader panic.

use std::fmt::Write as _;

use hcl::eval::{Context, FuncArgs, FuncDef, ParamType};
use hcl::expr::BinaryOperator;
use hcl::{Map, Number, Value};

use super::value::{as_text, describe, parse_number, to_json, to_set};

/// The most elements `range` may produce; more only come from a mistake.
const MAX_RANGE: usize = 100_000;

/// The widest width or precision a `format` verb may ask for.
const MAX_FORMAT_WIDTH: usize = 1_000;

/// The function each arithmetic operator is rewritten to before evaluation.
pub(super) const ARITHMETIC: [(BinaryOperator, &str); 5] = [
    (BinaryOperator::Plus, "terrane_add"),
    (BinaryOperator::Minus, "terrane_subtract"),
    (BinaryOperator::Mul, "terrane_multiply"),
    (BinaryOperator::Div, "terrane_divide"),
    (BinaryOperator::Mod, "terrane_modulo"),
];

type Function = fn(FuncArgs) -> Result<Value, String>;

/// A context with every supported function declared.
pub(super) fn context() -> Context<'static> {
    let mut ctx = Context::new();
    let fixed: &[(&str, usize, Function)] = &[
        ("lower", 1, lower),
        ("upper", 1, upper),
        ("title", 1, title),
        ("split", 2, split),
        ("replace", 3, replace),
        ("trimspace", 1, trimspace),
        ("trim", 2, trim),
        ("trimprefix", 2, trimprefix),
        ("trimsuffix", 2, trimsuffix),
        ("chomp", 1, chomp),
        ("substr", 3, substr),
        ("startswith", 2, startswith),
        ("endswith", 2, endswith),
        ("strcontains", 2, strcontains),
        ("strrev", 1, strrev),
        ("tomap", 1, tomap),
        ("tolist", 1, tolist),
        ("toset", 1, toset),
        ("tostring", 1, tostring),
        ("tonumber", 1, tonumber),
        ("tobool", 1, tobool),
        ("length", 1, length),
        ("keys", 1, keys),
        ("values", 1, values),
        ("contains", 2, contains),
        ("element", 2, element),
        ("flatten", 1, flatten),
        ("distinct", 1, distinct),
        ("compact", 1, compact),
        ("one", 1, one),
        ("zipmap", 2, zipmap),
        ("reverse", 1, reverse),
        ("sort", 1, sort),
        ("slice", 3, slice),
        ("index", 2, index),
        ("alltrue", 1, alltrue),
        ("anytrue", 1, anytrue),
        ("abs", 1, abs),
        ("ceil", 1, ceil),
        ("floor", 1, floor),
        ("sum", 1, sum),
        ("jsonencode", 1, jsonencode),
        ("jsondecode", 1, jsondecode),
        ("terrane_add", 2, add),
        ("terrane_subtract", 2, subtract),
        ("terrane_multiply", 2, multiply),
        ("terrane_divide", 2, divide),
        ("terrane_modulo", 2, modulo),
    ];
    for &(name, arity, function) in fixed {
        ctx.declare_func(name, FuncDef::new(function, vec![ParamType::Any; arity]));
    }
    let variadic: &[(&str, usize, Function)] = &[
        ("format", 1, format),
        ("join", 1, join),
        ("concat", 0, concat),
        ("merge", 0, merge),
        ("coalesce", 0, coalesce),
        ("coalescelist", 0, coalescelist),
        ("min", 0, min),
        ("max", 0, max),
        ("range", 1, range),
    ];
    for &(name, fixed_arity, function) in variadic {
        let definition = FuncDef::builder()
            .params(vec![ParamType::Any; fixed_arity])
            .variadic_param(ParamType::Any)
            .build(function);
        ctx.declare_func(name, definition);
    }
    ctx.declare_func(
        "lookup",
        FuncDef::builder()
            .params([ParamType::Any, ParamType::Any])
            .variadic_param(ParamType::Any)
            .build(lookup),
    );
    ctx
}

fn arg(args: &FuncArgs, index: usize) -> Result<&Value, String> {
    args.get(index).ok_or_else(|| format!("argument {} is missing", index + 1))
}

fn string_arg(args: &FuncArgs, index: usize) -> Result<String, String> {
    let value = arg(args, index)?;
    as_text(value).ok_or_else(|| {
        format!("argument {} must be a string, found `{}`", index + 1, describe(value))
    })
}

fn list_arg(args: &FuncArgs, index: usize) -> Result<&Vec<Value>, String> {
    let value = arg(args, index)?;
    value.as_array().ok_or_else(|| {
        format!("argument {} must be a list, found `{}`", index + 1, describe(value))
    })
}

fn map_arg(args: &FuncArgs, index: usize) -> Result<&Map<String, Value>, String> {
    let value = arg(args, index)?;
    value
        .as_object()
        .ok_or_else(|| format!("argument {} must be a map, found `{}`", index + 1, describe(value)))
}

fn number_arg(args: &FuncArgs, index: usize) -> Result<f64, String> {
    number_value(arg(args, index)?)
        .ok_or_else(|| format!("argument {} must be a number", index + 1))
}

fn number_value(value: &Value) -> Option<f64> {
    match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => parse_number(text).and_then(|value| value.as_f64()),
        _ => None,
    }
}

fn integer_arg(args: &FuncArgs, index: usize) -> Result<i64, String> {
    let number = number_arg(args, index)?;
    if number.fract() != 0.0 || number.abs() > 9.0e15 {
        return Err(format!("argument {} must be a whole number", index + 1));
    }
    // Checked whole and well inside the range of i64 above.
    Ok(number as i64)
}

fn float(value: f64) -> Result<Value, String> {
    Number::from_f64(value)
        .map(Value::Number)
        .ok_or_else(|| "the result is not a finite number".to_owned())
}

fn string_result(text: String) -> Result<Value, String> {
    Ok(Value::String(text))
}

fn lower(args: FuncArgs) -> Result<Value, String> {
    string_result(string_arg(&args, 0)?.to_lowercase())
}

fn upper(args: FuncArgs) -> Result<Value, String> {
    string_result(string_arg(&args, 0)?.to_uppercase())
}

fn title(args: FuncArgs) -> Result<Value, String> {
    let mut previous_is_letter = false;
    let titled = string_arg(&args, 0)?
        .chars()
        .flat_map(|c| {
            let start = !previous_is_letter;
            previous_is_letter = c.is_alphanumeric();
            let upper: Vec<char> = if start { c.to_uppercase().collect() } else { vec![c] };
            upper
        })
        .collect();
    string_result(titled)
}

fn split(args: FuncArgs) -> Result<Value, String> {
    let separator = string_arg(&args, 0)?;
    let text = string_arg(&args, 1)?;
    if text.is_empty() {
        return Ok(Value::Array(vec![Value::from("")]));
    }
    if separator.is_empty() {
        return Ok(Value::Array(text.chars().map(|c| Value::String(c.to_string())).collect()));
    }
    Ok(Value::Array(text.split(separator.as_str()).map(Value::from).collect()))
}

fn replace(args: FuncArgs) -> Result<Value, String> {
    let text = string_arg(&args, 0)?;
    let search = string_arg(&args, 1)?;
    let replacement = string_arg(&args, 2)?;
    if search.len() > 1 && search.starts_with('/') && search.ends_with('/') {
        return Err("regular expression replacement is not evaluated".to_owned());
    }
    if search.is_empty() {
        return string_result(text);
    }
    string_result(text.replace(&search, &replacement))
}

fn trimspace(args: FuncArgs) -> Result<Value, String> {
    string_result(string_arg(&args, 0)?.trim().to_owned())
}

fn trim(args: FuncArgs) -> Result<Value, String> {
    let cutset: Vec<char> = string_arg(&args, 1)?.chars().collect();
    string_result(string_arg(&args, 0)?.trim_matches(cutset.as_slice()).to_owned())
}

fn trimprefix(args: FuncArgs) -> Result<Value, String> {
    let text = string_arg(&args, 0)?;
    let prefix = string_arg(&args, 1)?;
    string_result(text.strip_prefix(&prefix).map_or_else(|| text.clone(), str::to_owned))
}

fn trimsuffix(args: FuncArgs) -> Result<Value, String> {
    let text = string_arg(&args, 0)?;
    let suffix = string_arg(&args, 1)?;
    string_result(text.strip_suffix(&suffix).map_or_else(|| text.clone(), str::to_owned))
}

fn chomp(args: FuncArgs) -> Result<Value, String> {
    string_result(string_arg(&args, 0)?.trim_end_matches(['\n', '\r']).to_owned())
}

fn substr(args: FuncArgs) -> Result<Value, String> {
    let chars: Vec<char> = string_arg(&args, 0)?.chars().collect();
    let count = i64::try_from(chars.len()).unwrap_or(i64::MAX);
    let mut offset = integer_arg(&args, 1)?;
    let length = integer_arg(&args, 2)?;
    if offset < 0 {
        offset += count;
    }
    if offset < 0 || offset > count {
        return Err("offset is out of range".to_owned());
    }
    let end = if length < 0 { count } else { offset.saturating_add(length).min(count) };
    let start = usize::try_from(offset).unwrap_or_default();
    let end = usize::try_from(end).unwrap_or_default();
    string_result(chars.get(start..end.max(start)).unwrap_or_default().iter().collect())
}

fn startswith(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::Bool(string_arg(&args, 0)?.starts_with(&string_arg(&args, 1)?)))
}

fn endswith(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::Bool(string_arg(&args, 0)?.ends_with(&string_arg(&args, 1)?)))
}

fn strcontains(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::Bool(string_arg(&args, 0)?.contains(&string_arg(&args, 1)?)))
}

fn strrev(args: FuncArgs) -> Result<Value, String> {
    string_result(string_arg(&args, 0)?.chars().rev().collect())
}

fn format(args: FuncArgs) -> Result<Value, String> {
    let spec = string_arg(&args, 0)?;
    let values: Vec<&Value> = args.iter().skip(1).collect();
    format_values(&spec, &values).map(Value::String)
}

/// Formats `values` by the verbs of `spec`, a subset of Terraform's `format`: `%%`, `%s`,
/// `%q`, `%v`, `%d`, `%f`, `%t`, `%x` and `%X`, with flags, width and precision.
pub(super) fn format_values(spec: &str, values: &[&Value]) -> Result<String, String> {
    let mut output = String::new();
    let mut next = values.iter();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            output.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&flag) = chars.peek().filter(|flag| "-+ 0#".contains(**flag)) {
            flags.push(flag);
            chars.next();
        }
        let mut width = String::new();
        while let Some(&digit) = chars.peek().filter(|digit| digit.is_ascii_digit()) {
            width.push(digit);
            chars.next();
        }
        let mut precision = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut digits = String::new();
            while let Some(&digit) = chars.peek().filter(|digit| digit.is_ascii_digit()) {
                digits.push(digit);
                chars.next();
            }
            precision = Some(digits.parse::<usize>().unwrap_or(usize::MAX));
        }
        let Some(verb) = chars.next() else {
            return Err("the format ends in the middle of a verb".to_owned());
        };
        let width = if width.is_empty() { 0 } else { width.parse::<usize>().unwrap_or(usize::MAX) };
        if width > MAX_FORMAT_WIDTH || precision.is_some_and(|digits| digits > MAX_FORMAT_WIDTH) {
            return Err(format!(
                "the width or precision of `%{verb}` is larger than {MAX_FORMAT_WIDTH}"
            ));
        }
        if verb == '%' {
            output.push('%');
            continue;
        }
        let value = next.next().ok_or_else(|| format!("too few arguments for verb `%{verb}`"))?;
        let text = format_verb(verb, value, precision)?;
        pad(&mut output, &text, &flags, width);
    }
    if next.next().is_some() {
        return Err("too many arguments for the format".to_owned());
    }
    Ok(output)
}

fn format_verb(verb: char, value: &Value, precision: Option<usize>) -> Result<String, String> {
    let integer = || {
        number_value(value)
            .filter(|number| number.fract() == 0.0 && number.abs() < 9.0e15)
            .ok_or_else(|| format!("`%{verb}` needs a whole number, found `{}`", describe(value)))
    };
    let text = match verb {
        's' => as_text(value).unwrap_or_else(|| to_json(value).to_string()),
        'v' => as_text(value).unwrap_or_else(|| to_json(value).to_string()),
        'q' => serde_json::Value::String(as_text(value).ok_or("`%q` needs a string")?).to_string(),
        't' => value.as_bool().ok_or("`%t` needs a boolean")?.to_string(),
        'd' => format!("{}", integer()?),
        'x' => format!("{:x}", to_integer(integer()?)),
        'X' => format!("{:X}", to_integer(integer()?)),
        'f' => {
            let number = number_value(value).ok_or("`%f` needs a number")?;
            format!("{number:.*}", precision.unwrap_or(6))
        }
        other => return Err(format!("the verb `%{other}` is not supported")),
    };
    Ok(match (verb, precision) {
        ('s' | 'v', Some(limit)) => text.chars().take(limit).collect(),
        _ => text,
    })
}

fn to_integer(number: f64) -> i64 {
    // Callers pass whole numbers well inside the range of i64; `as` would saturate anyway.
    number as i64
}

fn pad(output: &mut String, text: &str, flags: &str, width: usize) {
    let length = text.chars().count();
    if length >= width {
        output.push_str(text);
    } else if flags.contains('-') {
        output.push_str(text);
        output.extend(std::iter::repeat_n(' ', width - length));
    } else if flags.contains('0') {
        let (sign, digits) = text.strip_prefix('-').map_or(("", text), |digits| ("-", digits));
        output.push_str(sign);
        output.extend(std::iter::repeat_n('0', width - length));
        output.push_str(digits);
    } else {
        output.extend(std::iter::repeat_n(' ', width - length));
        output.push_str(text);
    }
}

fn join(args: FuncArgs) -> Result<Value, String> {
    let separator = string_arg(&args, 0)?;
    let mut parts = Vec::new();
    for (index, list) in args.iter().enumerate().skip(1) {
        let items =
            list.as_array().ok_or_else(|| format!("argument {} must be a list", index + 1))?;
        for item in items {
            parts.push(as_text(item).ok_or_else(|| format!("cannot join `{}`", describe(item)))?);
        }
    }
    string_result(parts.join(&separator))
}

fn concat(args: FuncArgs) -> Result<Value, String> {
    let mut items = Vec::new();
    for (index, list) in args.iter().enumerate() {
        let list =
            list.as_array().ok_or_else(|| format!("argument {} must be a list", index + 1))?;
        items.extend(list.iter().cloned());
    }
    Ok(Value::Array(items))
}

fn merge(args: FuncArgs) -> Result<Value, String> {
    let mut merged = Map::new();
    for (index, map) in args.iter().enumerate() {
        match map {
            Value::Null => {}
            Value::Object(map) => {
                merged.extend(map.iter().map(|(key, value)| (key.clone(), value.clone())))
            }
            other => {
                return Err(format!(
                    "argument {} must be a map, found `{}`",
                    index + 1,
                    describe(other)
                ));
            }
        }
    }
    Ok(Value::Object(merged))
}

fn coalesce(args: FuncArgs) -> Result<Value, String> {
    args.iter()
        .find(|value| !value.is_null() && value.as_str() != Some(""))
        .cloned()
        .ok_or_else(|| "no non-null, non-empty argument".to_owned())
}

fn coalescelist(args: FuncArgs) -> Result<Value, String> {
    args.iter()
        .find(|value| value.as_array().is_some_and(|items| !items.is_empty()))
        .cloned()
        .ok_or_else(|| "no non-empty list argument".to_owned())
}

fn lookup(args: FuncArgs) -> Result<Value, String> {
    let map = map_arg(&args, 0)?;
    let key = string_arg(&args, 1)?;
    match (map.get(&key), args.get(2)) {
        (Some(value), _) => Ok(value.clone()),
        (None, Some(default)) => Ok(default.clone()),
        (None, None) => Err(format!("the map has no key `{key}`")),
    }
}

fn tomap(args: FuncArgs) -> Result<Value, String> {
    match arg(&args, 0)? {
        value @ (Value::Object(_) | Value::Null) => Ok(value.clone()),
        other => Err(format!("cannot convert `{}` to a map", describe(other))),
    }
}

fn tolist(args: FuncArgs) -> Result<Value, String> {
    match arg(&args, 0)? {
        value @ (Value::Array(_) | Value::Null) => Ok(value.clone()),
        other => Err(format!("cannot convert `{}` to a list", describe(other))),
    }
}

fn toset(args: FuncArgs) -> Result<Value, String> {
    match arg(&args, 0)? {
        Value::Array(items) => Ok(to_set(items.clone())),
        Value::Null => Ok(Value::Null),
        other => Err(format!("cannot convert `{}` to a set", describe(other))),
    }
}

fn tostring(args: FuncArgs) -> Result<Value, String> {
    match arg(&args, 0)? {
        Value::Null => Ok(Value::Null),
        value => as_text(value)
            .map(Value::String)
            .ok_or_else(|| format!("cannot convert `{}` to a string", describe(value))),
    }
}

fn tonumber(args: FuncArgs) -> Result<Value, String> {
    match arg(&args, 0)? {
        Value::Null => Ok(Value::Null),
        value @ Value::Number(_) => Ok(value.clone()),
        Value::String(text) => {
            parse_number(text).ok_or_else(|| format!("cannot convert `{text}` to a number"))
        }
        other => Err(format!("cannot convert `{}` to a number", describe(other))),
    }
}

fn tobool(args: FuncArgs) -> Result<Value, String> {
    match arg(&args, 0)? {
        value @ (Value::Null | Value::Bool(_)) => Ok(value.clone()),
        Value::String(text) if text == "true" || text == "false" => Ok(Value::Bool(text == "true")),
        other => Err(format!("cannot convert `{}` to a bool", describe(other))),
    }
}

fn length(args: FuncArgs) -> Result<Value, String> {
    match arg(&args, 0)? {
        Value::Array(items) => Ok(Value::from(items.len())),
        Value::Object(map) => Ok(Value::from(map.len())),
        Value::String(text) => Ok(Value::from(text.chars().count())),
        other => Err(format!("cannot take the length of `{}`", describe(other))),
    }
}

fn sorted_entries(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|left, right| left.0.cmp(right.0));
    entries
}

fn keys(args: FuncArgs) -> Result<Value, String> {
    let map = map_arg(&args, 0)?;
    Ok(Value::Array(
        sorted_entries(map).into_iter().map(|(key, _)| Value::String(key.clone())).collect(),
    ))
}

fn values(args: FuncArgs) -> Result<Value, String> {
    let map = map_arg(&args, 0)?;
    Ok(Value::Array(sorted_entries(map).into_iter().map(|(_, value)| value.clone()).collect()))
}

fn contains(args: FuncArgs) -> Result<Value, String> {
    let list = list_arg(&args, 0)?;
    let needle = arg(&args, 1)?;
    Ok(Value::Bool(list.contains(needle)))
}

fn element(args: FuncArgs) -> Result<Value, String> {
    let list = list_arg(&args, 0)?;
    let index = integer_arg(&args, 1)?;
    if list.is_empty() {
        return Err("cannot use element on an empty list".to_owned());
    }
    let count = i64::try_from(list.len()).unwrap_or(i64::MAX);
    let position = usize::try_from(index.rem_euclid(count)).unwrap_or_default();
    list.get(position).cloned().ok_or_else(|| "index out of range".to_owned())
}

fn flatten(args: FuncArgs) -> Result<Value, String> {
    fn push_all(items: &[Value], output: &mut Vec<Value>) {
        for item in items {
            match item {
                Value::Array(nested) => push_all(nested, output),
                other => output.push(other.clone()),
            }
        }
    }
    let mut output = Vec::new();
    push_all(list_arg(&args, 0)?, &mut output);
    Ok(Value::Array(output))
}

fn distinct(args: FuncArgs) -> Result<Value, String> {
    let mut unique: Vec<Value> = Vec::new();
    for item in list_arg(&args, 0)? {
        if !unique.contains(item) {
            unique.push(item.clone());
        }
    }
    Ok(Value::Array(unique))
}

fn compact(args: FuncArgs) -> Result<Value, String> {
    let items = list_arg(&args, 0)?;
    Ok(Value::Array(
        items.iter().filter(|item| !item.is_null() && item.as_str() != Some("")).cloned().collect(),
    ))
}

fn one(args: FuncArgs) -> Result<Value, String> {
    let items = list_arg(&args, 0)?;
    match items.as_slice() {
        [] => Ok(Value::Null),
        [item] => Ok(item.clone()),
        _ => Err("the list has more than one element".to_owned()),
    }
}

fn zipmap(args: FuncArgs) -> Result<Value, String> {
    let keys = list_arg(&args, 0)?;
    let values = list_arg(&args, 1)?;
    if keys.len() != values.len() {
        return Err("the lists of keys and values differ in length".to_owned());
    }
    keys.iter()
        .zip(values)
        .map(|(key, value)| {
            let key =
                as_text(key).ok_or_else(|| format!("cannot use `{}` as a key", describe(key)))?;
            Ok((key, value.clone()))
        })
        .collect::<Result<Map<_, _>, String>>()
        .map(Value::Object)
}

fn reverse(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::Array(list_arg(&args, 0)?.iter().rev().cloned().collect()))
}

fn sort(args: FuncArgs) -> Result<Value, String> {
    let mut texts = list_arg(&args, 0)?
        .iter()
        .map(|item| as_text(item).ok_or_else(|| format!("cannot sort `{}`", describe(item))))
        .collect::<Result<Vec<_>, _>>()?;
    texts.sort();
    Ok(Value::Array(texts.into_iter().map(Value::String).collect()))
}

fn slice(args: FuncArgs) -> Result<Value, String> {
    let list = list_arg(&args, 0)?;
    let start =
        usize::try_from(integer_arg(&args, 1)?).map_err(|_| "the start index is negative")?;
    let end = usize::try_from(integer_arg(&args, 2)?).map_err(|_| "the end index is negative")?;
    list.get(start..end)
        .map(|items| Value::Array(items.to_vec()))
        .ok_or_else(|| "the indices are out of range".to_owned())
}

fn index(args: FuncArgs) -> Result<Value, String> {
    let list = list_arg(&args, 0)?;
    let needle = arg(&args, 1)?;
    list.iter()
        .position(|item| item == needle)
        .map(Value::from)
        .ok_or_else(|| "the value is not in the list".to_owned())
}

fn alltrue(args: FuncArgs) -> Result<Value, String> {
    let items = list_arg(&args, 0)?;
    Ok(Value::Bool(
        items.iter().all(|item| item == &Value::Bool(true) || item.as_str() == Some("true")),
    ))
}

fn anytrue(args: FuncArgs) -> Result<Value, String> {
    let items = list_arg(&args, 0)?;
    Ok(Value::Bool(
        items.iter().any(|item| item == &Value::Bool(true) || item.as_str() == Some("true")),
    ))
}

fn numbers(args: &FuncArgs) -> Result<Vec<f64>, String> {
    args.iter()
        .enumerate()
        .map(|(index, value)| {
            number_value(value).ok_or_else(|| format!("argument {} must be a number", index + 1))
        })
        .collect()
}

fn min(args: FuncArgs) -> Result<Value, String> {
    numbers(&args)?
        .into_iter()
        .reduce(f64::min)
        .map_or_else(|| Err("min needs an argument".to_owned()), float)
}

fn max(args: FuncArgs) -> Result<Value, String> {
    numbers(&args)?
        .into_iter()
        .reduce(f64::max)
        .map_or_else(|| Err("max needs an argument".to_owned()), float)
}

fn abs(args: FuncArgs) -> Result<Value, String> {
    float(number_arg(&args, 0)?.abs())
}

fn ceil(args: FuncArgs) -> Result<Value, String> {
    float(number_arg(&args, 0)?.ceil())
}

fn floor(args: FuncArgs) -> Result<Value, String> {
    float(number_arg(&args, 0)?.floor())
}

fn sum(args: FuncArgs) -> Result<Value, String> {
    let items = list_arg(&args, 0)?;
    let numbers = items
        .iter()
        .map(|item| number_value(item).ok_or("sum needs numbers"))
        .collect::<Result<Vec<_>, _>>()?;
    float(numbers.into_iter().sum())
}

fn range(args: FuncArgs) -> Result<Value, String> {
    let numbers = numbers(&args)?;
    let (start, limit, step) = match numbers.as_slice() {
        [limit] => (0.0, *limit, 1.0),
        [start, limit] => (*start, *limit, if limit >= start { 1.0 } else { -1.0 }),
        [start, limit, step] => (*start, *limit, *step),
        _ => return Err("range takes one to three numbers".to_owned()),
    };
    if step == 0.0 {
        return Err("the step of range must not be zero".to_owned());
    }
    let mut items = Vec::new();
    let mut current = start;
    while (step > 0.0 && current < limit) || (step < 0.0 && current > limit) {
        if items.len() >= MAX_RANGE {
            return Err(format!("range would produce more than {MAX_RANGE} numbers"));
        }
        items.push(float(current)?);
        current += step;
    }
    Ok(Value::Array(items))
}

fn jsonencode(args: FuncArgs) -> Result<Value, String> {
    let mut text = String::new();
    write_sorted_json(&to_json(arg(&args, 0)?), &mut text);
    string_result(text)
}

/// Writes JSON with object keys sorted, as Terraform's `jsonencode` does.
fn write_sorted_json(value: &serde_json::Value, output: &mut String) {
    match value {
        serde_json::Value::Array(items) => {
            output.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    output.push(',');
                }
                write_sorted_json(item, output);
            }
            output.push(']');
        }
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|left, right| left.0.cmp(right.0));
            output.push('{');
            for (index, (key, item)) in entries.into_iter().enumerate() {
                if index > 0 {
                    output.push(',');
                }
                let _ = write!(output, "{}:", serde_json::Value::String(key.clone()));
                write_sorted_json(item, output);
            }
            output.push('}');
        }
        scalar => {
            let _ = write!(output, "{scalar}");
        }
    }
}

fn jsondecode(args: FuncArgs) -> Result<Value, String> {
    let text = string_arg(&args, 0)?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|error| format!("invalid JSON: {error}"))?;
    Ok(super::value::from_json(&json))
}

fn arithmetic(args: &FuncArgs) -> Result<(Value, Value), String> {
    Ok((arg(args, 0)?.clone(), arg(args, 1)?.clone()))
}

fn add(args: FuncArgs) -> Result<Value, String> {
    let (left, right) = arithmetic(&args)?;
    integer_or_float(&left, &right, i64::checked_add, |a, b| a + b)
}

fn subtract(args: FuncArgs) -> Result<Value, String> {
    let (left, right) = arithmetic(&args)?;
    integer_or_float(&left, &right, i64::checked_sub, |a, b| a - b)
}

fn multiply(args: FuncArgs) -> Result<Value, String> {
    let (left, right) = arithmetic(&args)?;
    integer_or_float(&left, &right, i64::checked_mul, |a, b| a * b)
}

fn divide(args: FuncArgs) -> Result<Value, String> {
    let (left, right) = arithmetic(&args)?;
    let (Some(dividend), Some(divisor)) = (number_value(&left), number_value(&right)) else {
        return Err(operand_error(&left, &right));
    };
    if divisor == 0.0 {
        return Err("division by zero".to_owned());
    }
    float(dividend / divisor)
}

fn modulo(args: FuncArgs) -> Result<Value, String> {
    let (left, right) = arithmetic(&args)?;
    let (Some(dividend), Some(divisor)) = (number_value(&left), number_value(&right)) else {
        return Err(operand_error(&left, &right));
    };
    if divisor == 0.0 {
        return Err("modulo by zero".to_owned());
    }
    float(dividend % divisor)
}

fn integer_or_float(
    left: &Value,
    right: &Value,
    integer: fn(i64, i64) -> Option<i64>,
    floating: fn(f64, f64) -> f64,
) -> Result<Value, String> {
    let as_integer = |value: &Value| match value {
        Value::Number(number) => number.as_i64(),
        _ => None,
    };
    if let (Some(a), Some(b)) = (as_integer(left), as_integer(right))
        && let Some(result) = integer(a, b)
    {
        return Ok(Value::from(result));
    }
    match (number_value(left), number_value(right)) {
        (Some(a), Some(b)) => float(floating(a, b)),
        _ => Err(operand_error(left, right)),
    }
}

fn operand_error(left: &Value, right: &Value) -> String {
    format!("arithmetic needs numbers, found `{}` and `{}`", describe(left), describe(right))
}

#[cfg(test)]
mod tests {
    use hcl::eval::Evaluate;

    use super::*;

    fn check(expression: &str, expected: Result<&str, &str>) {
        let parsed: hcl::Expression =
            hcl::edit::parser::parse_expr(expression).expect("test expression parses").into();
        let result = parsed.evaluate(&context()).map_err(|error| error.to_string());
        let expected = expected.map(|text| {
            let expr: hcl::Expression =
                hcl::edit::parser::parse_expr(text).expect("expected value parses").into();
            expr.evaluate(&Context::new()).expect("expected value evaluates")
        });
        match (&result, &expected) {
            (Ok(value), Ok(expected)) => assert_eq!(value, expected, "{expression}"),
            (Err(error), Err(fragment)) => {
                assert!(error.contains(fragment), "{expression}: {error}")
            }
            _ => panic!("{expression}: {result:?} but expected {expected:?}"),
        }
    }

    #[test]
    fn evaluates_common_functions() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("lower(\"AbC\")", Ok("\"abc\"")),
            ("upper(\"abc\")", Ok("\"ABC\"")),
            ("title(\"hello world-x\")", Ok("\"Hello World-X\"")),
            (
                "format(\"%s-%03d-%v-%q-%%\", \"a\", 7, true, \"b\")",
                Ok("\"a-007-true-\\\"b\\\"-%\""),
            ),
            (
                "format(\"%.2f|%-4s|%4s|%x\", 3.14159, \"ab\", \"ab\", 255)",
                Ok("\"3.14|ab  |  ab|ff\""),
            ),
            ("format(\"%s\")", Err("too few arguments")),
            ("format(\"%z\", 1)", Err("not supported")),
            ("format(\"%999999999999999999s\", \"\")", Err("larger than 1000")),
            ("format(\"%.99999999f\", 1)", Err("larger than 1000")),
            ("join(\"-\", [\"a\", \"b\"], [\"c\"])", Ok("\"a-b-c\"")),
            ("split(\",\", \"a,b\")", Ok("[\"a\", \"b\"]")),
            ("concat([1], [2, 3])", Ok("[1, 2, 3]")),
            ("merge({ a = 1, b = 1 }, null, { b = 2 })", Ok("{ a = 1, b = 2 }")),
            ("lookup({ a = 1 }, \"b\", 5)", Ok("5")),
            ("lookup({ a = 1 }, \"b\")", Err("no key `b`")),
            ("tomap({ a = \"x\" })", Ok("{ a = \"x\" }")),
            ("tolist([1])", Ok("[1]")),
            ("toset([\"b\", \"a\", \"b\"])", Ok("[\"a\", \"b\"]")),
            ("coalesce(null, \"\", \"x\")", Ok("\"x\"")),
            ("coalesce(null)", Err("no non-null")),
            ("coalescelist([], [1])", Ok("[1]")),
            ("length({ a = 1 })", Ok("1")),
            ("keys({ b = 1, a = 2 })", Ok("[\"a\", \"b\"]")),
            ("values({ b = 1, a = 2 })", Ok("[2, 1]")),
            ("contains([\"a\"], \"a\")", Ok("true")),
            ("element([\"a\", \"b\"], 3)", Ok("\"b\"")),
            ("flatten([[1], [[2]], 3])", Ok("[1, 2, 3]")),
            ("compact([\"a\", \"\", null])", Ok("[\"a\"]")),
            ("one([])", Ok("null")),
            ("zipmap([\"a\"], [1])", Ok("{ a = 1 }")),
            ("substr(\"hello\", 1, 3)", Ok("\"ell\"")),
            ("substr(\"hello\", -3, -1)", Ok("\"llo\"")),
            ("range(3)", Ok("[0, 1, 2]")),
            ("range(1, 10, 0)", Err("must not be zero")),
            ("range(1000000)", Err("more than")),
            (
                "jsonencode({ b = [1, true], a = \"x\" })",
                Ok("\"{\\\"a\\\":\\\"x\\\",\\\"b\\\":[1,true]}\""),
            ),
            ("jsondecode(\"{\\\"a\\\": 1}\")", Ok("{ a = 1 }")),
            ("replace(\"a.b\", \".\", \"-\")", Ok("\"a-b\"")),
            ("replace(\"a\", \"/a/\", \"b\")", Err("regular expression")),
            ("terrane_add(9223372036854775807, 1)", Ok("9223372036854775808")),
            ("terrane_divide(1, 0)", Err("division by zero")),
            ("terrane_modulo(7, 0)", Err("modulo by zero")),
            ("terrane_modulo(7, 4)", Ok("3")),
            ("terrane_multiply(\"2\", 3)", Ok("6")),
            ("terrane_subtract(\"a\", 1)", Err("arithmetic needs numbers")),
            ("min(3, 1, 2)", Ok("1")),
            ("alltrue([true, \"true\"])", Ok("true")),
            ("tonumber(\"x\")", Err("cannot convert")),
        ];
        for (expression, expected) in cases {
            check(expression, *expected);
        }
    }
}
