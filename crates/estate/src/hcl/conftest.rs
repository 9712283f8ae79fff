//! The JSON that conftest gives policies for an HCL file, so that user policies written
//! for conftest read Terraform files unchanged.
//!
//! Conftest converts with hcl2json: blocks nest by their labels and end in a list of
//! bodies, one per block (`{"resource": {"aws_s3_bucket": {"b": [{...}]}}}`, `"locals":
//! [{...}]`); literals become JSON values; string templates are rendered with their
//! interpolations as `${...}` source text and their directives as `%{...}`; any other
//! expression becomes its source text wrapped in `${...}`, except type expressions such
//! as `map(string)`, which stay bare.

use std::path::Path;

use hcl::edit::expr::{Expression, ObjectKey, UnaryOperator};
use hcl::edit::structure::{Block, Body};
use hcl::edit::template::{Directive, Element, Strip, Template};
use serde_json::{Map, Value};

use super::source::SourceFile;
use super::value::to_json;
use crate::ReadError;

/// Source texts that hcl2json keeps bare: type constraints.
const TYPE_PREFIXES: [&str; 8] =
    ["string", "number", "bool", "list", "set", "map", "object", "tuple"];

/// Converts the HCL file `text`, read from `path`, to conftest's JSON.
pub(super) fn convert(path: &Path, text: &str) -> Result<Value, ReadError> {
    let file = SourceFile::parse(path, text.to_owned())?;
    let converter = Converter { file: &file };
    converter.body(&file.body).map(Value::Object)
}

struct Converter<'f> {
    file: &'f SourceFile,
}

impl Converter<'_> {
    fn body(&self, body: &Body) -> Result<Map<String, Value>, ReadError> {
        let mut out = Map::new();
        for block in body.blocks() {
            self.block(block, &mut out)?;
        }
        for attribute in body.attributes() {
            out.insert(attribute.key.as_str().to_owned(), self.expression(&attribute.value));
        }
        Ok(out)
    }

    fn block(&self, block: &Block, out: &mut Map<String, Value>) -> Result<(), ReadError> {
        let value = Value::Object(self.body(&block.body)?);
        let names: Vec<&str> = std::iter::once(block.ident.as_str())
            .chain(block.labels.iter().map(|label| label.as_str()))
            .collect();
        let conflict = || ReadError::Invalid {
            path: self.file.path.clone(),
            message: format!(
                "block `{}` conflicts with another block or argument of the same name",
                names.join(".")
            ),
        };

        let mut current = out;
        let (last, parents) = names.split_last().ok_or_else(conflict)?;
        for name in parents {
            let entry =
                current.entry((*name).to_owned()).or_insert_with(|| Value::Object(Map::new()));
            current = entry.as_object_mut().ok_or_else(conflict)?;
        }
        match current.entry((*last).to_owned()).or_insert_with(|| Value::Array(Vec::new())) {
            Value::Array(bodies) => bodies.push(value),
            _ => return Err(conflict()),
        }
        Ok(())
    }

    fn expression(&self, expr: &Expression) -> Value {
        match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(flag) => Value::Bool(*flag.value()),
            Expression::Number(number) => to_json(&hcl::Value::Number(*number.value())),
            Expression::String(text) => Value::String(text.value().clone()),
            Expression::Array(array) => {
                Value::Array(array.iter().map(|item| self.expression(item)).collect())
            }
            Expression::Object(object) => Value::Object(
                object
                    .iter()
                    .map(|(key, value)| (self.key(key), self.expression(value.expr())))
                    .collect(),
            ),
            Expression::StringTemplate(template) => self.template_value(template),
            Expression::HeredocTemplate(heredoc) => self.template_value(&heredoc.template),
            Expression::UnaryOp(unary) => match (unary.operator.value(), &unary.expr) {
                (UnaryOperator::Neg, Expression::Number(number)) => {
                    to_json(&hcl::Value::Number(-*number.value()))
                }
                (UnaryOperator::Not, Expression::Bool(flag)) => Value::Bool(!*flag.value()),
                _ => self.wrapped(expr),
            },
            other => {
                let source = self.file.source_text(other);
                if TYPE_PREFIXES.iter().any(|prefix| source.starts_with(prefix)) {
                    Value::String(source.to_owned())
                } else {
                    self.wrapped(other)
                }
            }
        }
    }

    /// A template that is one interpolation and nothing else evaluates to the value of its
    /// expression; any other template renders to a string.
    fn template_value(&self, template: &Template) -> Value {
        match template.iter().collect::<Vec<_>>().as_slice() {
            [Element::Interpolation(interpolation)] => self.expression(&interpolation.expr),
            _ => Value::String(self.render(template, Strip::None, Strip::None)),
        }
    }

    fn wrapped(&self, expr: &Expression) -> Value {
        Value::String(format!("${{{}}}", self.file.source_text(expr)))
    }

    fn key(&self, key: &ObjectKey) -> String {
        match key {
            ObjectKey::Ident(name) => name.as_str().to_owned(),
            ObjectKey::Expression(expr @ (Expression::Variable(_) | Expression::Traversal(_))) => {
                self.file.source_text(expr).to_owned()
            }
            ObjectKey::Expression(expr) => self.string_part(self.unrepaired_key(expr)),
        }
    }

    /// The key as written: a key repeated in its object was wrapped in parentheses to get
    /// it through the parser, which the text as written does not have.
    fn unrepaired_key<'e>(&self, expr: &'e Expression) -> &'e Expression {
        let mut current = expr;
        while let Expression::Parenthesis(inner) = current {
            if self.file.source_text(current).starts_with('(') {
                break;
            }
            current = inner.inner();
        }
        current
    }

    /// An expression inside a template, or used as an object key.
    fn string_part(&self, expr: &Expression) -> String {
        match expr {
            Expression::String(text) => text.value().clone(),
            Expression::Number(number) => number.value().to_string(),
            Expression::Bool(flag) => flag.value().to_string(),
            Expression::Null(_) => String::new(),
            Expression::StringTemplate(template) => self.render(template, Strip::None, Strip::None),
            Expression::HeredocTemplate(heredoc) => {
                self.render(&heredoc.template, Strip::None, Strip::None)
            }
            Expression::Conditional(conditional) => {
                let if_true = self.string_part(&conditional.true_expr);
                let if_false = self.string_part(&conditional.false_expr);
                self.conditional(&conditional.cond_expr, &if_true, &if_false)
            }
            other => format!("${{{}}}", self.file.source_text(other)),
        }
    }

    fn conditional(&self, condition: &Expression, if_true: &str, if_false: &str) -> String {
        let mut text = format!("%{{if {}}}{if_true}", self.file.source_text(condition));
        if !if_false.is_empty() {
            text.push_str("%{else}");
            text.push_str(if_false);
        }
        text.push_str("%{endif}");
        text
    }

    /// Renders the elements of `template`; `before` and `after` are the strip markers of
    /// what surrounds it, which trim its first and last literal.
    fn render(&self, template: &Template, before: Strip, after: Strip) -> String {
        let elements: Vec<&Element> = template.iter().collect();
        let mut text = String::new();
        for (index, element) in elements.iter().enumerate() {
            match element {
                Element::Literal(literal) => {
                    let previous = index
                        .checked_sub(1)
                        .and_then(|i| elements.get(i))
                        .map_or(before, |e| closing_strip(e));
                    let next = elements.get(index + 1).map_or(after, |e| opening_strip(e));
                    let mut value = literal.value().as_str();
                    if previous.strip_end() {
                        value = value.trim_start();
                    }
                    if next.strip_start() {
                        value = value.trim_end();
                    }
                    text.push_str(value);
                }
                Element::Interpolation(interpolation) => {
                    text.push_str(&self.string_part(&interpolation.expr))
                }
                Element::Directive(directive) => text.push_str(&self.directive(directive)),
            }
        }
        text
    }

    fn directive(&self, directive: &Directive) -> String {
        match directive {
            Directive::If(if_directive) => {
                let if_expr = &if_directive.if_expr;
                let endif = if_directive.endif_expr.strip;
                let true_end =
                    if_directive.else_expr.as_ref().map_or(endif, |else_expr| else_expr.strip);
                let if_true = self.render(&if_expr.template, if_expr.strip, true_end);
                let if_false = if_directive
                    .else_expr
                    .as_ref()
                    .map(|else_expr| self.render(&else_expr.template, else_expr.strip, endif))
                    .unwrap_or_default();
                self.conditional(&if_expr.cond_expr, &if_true, &if_false)
            }
            Directive::For(for_directive) => {
                let for_expr = &for_directive.for_expr;
                let mut text = String::from("%{for ");
                if let Some(key) = &for_expr.key_var {
                    text.push_str(key.as_str());
                    text.push_str(", ");
                }
                text.push_str(for_expr.value_var.as_str());
                text.push_str(" in ");
                text.push_str(self.file.source_text(&for_expr.collection_expr));
                text.push('}');
                text.push_str(&self.render(
                    &for_expr.template,
                    for_expr.strip,
                    for_directive.endfor_expr.strip,
                ));
                text.push_str("%{endfor}");
                text
            }
        }
    }
}

fn opening_strip(element: &Element) -> Strip {
    match element {
        Element::Literal(_) => Strip::None,
        Element::Interpolation(interpolation) => interpolation.strip,
        Element::Directive(directive) => match directive.as_ref() {
            Directive::If(if_directive) => if_directive.if_expr.strip,
            Directive::For(for_directive) => for_directive.for_expr.strip,
        },
    }
}

fn closing_strip(element: &Element) -> Strip {
    match element {
        Element::Literal(_) => Strip::None,
        Element::Interpolation(interpolation) => interpolation.strip,
        Element::Directive(directive) => match directive.as_ref() {
            Directive::If(if_directive) => if_directive.endif_expr.strip,
            Directive::For(for_directive) => for_directive.endfor_expr.strip,
        },
    }
}
