//! The JSON that Terraform writes, as private wire types.
//!
//! One document type covers the three inputs (a plan, a raw state, the JSON form of a
//! state) so that the input is scanned once, whatever it turns out to be. Attribute
//! values, `after_unknown` and configuration expressions are kept as borrowed
//! [`RawValue`]s and walked later (the attribute maps on every core), `before` and
//! `after` are skipped, and strings without escapes are borrowed from the input, so that
//! a large plan costs little more than the attribute maps the model keeps.

use std::borrow::{Borrow, Cow};
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The attribute values of one resource.
pub(super) type Attributes = Map<String, Value>;

/// A plan, a raw state or the JSON form of a state: every top-level field that any of
/// them has.
#[derive(Deserialize)]
pub(super) struct Document<'a> {
    pub(super) format_version: Option<Value>,
    pub(super) terraform_version: Option<IgnoredAny>,
    /// The raw state format version.
    pub(super) version: Option<Value>,
    #[serde(borrow)]
    pub(super) variables: Option<HashMap<Text<'a>, Variable<'a>>>,
    #[serde(borrow)]
    pub(super) planned_values: Option<Values<'a>>,
    #[serde(borrow)]
    pub(super) resource_changes: Option<Vec<ResourceChange<'a>>>,
    #[serde(borrow)]
    pub(super) prior_state: Option<PriorState<'a>>,
    #[serde(borrow)]
    pub(super) configuration: Option<Configuration<'a>>,
    /// The JSON form of a state (`terraform show -json` without a plan).
    #[serde(borrow)]
    pub(super) values: Option<Values<'a>>,
    /// The resources of a raw state.
    #[serde(borrow)]
    pub(super) resources: Option<Vec<StateResource<'a>>>,
}

/// The fields that tell what a document is and which version it has, read again when
/// the full document does not have the expected shape, so that an unsupported version
/// is reported as such rather than as a type error.
#[derive(Deserialize)]
pub(super) struct Probe {
    pub(super) format_version: Option<Value>,
    pub(super) terraform_version: Option<IgnoredAny>,
    pub(super) version: Option<Value>,
    pub(super) planned_values: Option<IgnoredAny>,
    pub(super) resource_changes: Option<IgnoredAny>,
    pub(super) prior_state: Option<IgnoredAny>,
    pub(super) configuration: Option<IgnoredAny>,
    pub(super) values: Option<IgnoredAny>,
}

/// An input variable of a plan.
#[derive(Deserialize)]
pub(super) struct Variable<'a> {
    #[serde(borrow)]
    pub(super) value: Option<&'a RawValue>,
}

/// `planned_values`, `prior_state.values` or the `values` of a state.
#[derive(Deserialize)]
pub(super) struct Values<'a> {
    #[serde(borrow)]
    pub(super) root_module: Option<Module<'a>>,
}

/// A module in a values representation, with its resources and child modules.
#[derive(Deserialize)]
pub(super) struct Module<'a> {
    #[serde(borrow)]
    pub(super) address: Option<Text<'a>>,
    #[serde(borrow, default = "Vec::new")]
    pub(super) resources: Vec<ValuesResource<'a>>,
    #[serde(borrow, default = "Vec::new")]
    pub(super) child_modules: Vec<Module<'a>>,
}

/// A resource instance in a values representation.
#[derive(Deserialize)]
pub(super) struct ValuesResource<'a> {
    #[serde(borrow)]
    pub(super) address: Text<'a>,
    #[serde(borrow)]
    pub(super) mode: Text<'a>,
    #[serde(borrow, rename = "type")]
    pub(super) resource_type: Text<'a>,
    #[serde(borrow)]
    pub(super) name: Text<'a>,
    pub(super) index: Option<Value>,
    #[serde(borrow)]
    pub(super) provider_name: Option<Text<'a>>,
    /// Kept raw while the document is read; the attribute maps, the costliest part of a
    /// plan, are built afterwards on every core.
    #[serde(borrow)]
    pub(super) values: Option<&'a RawValue>,
}

/// The prior state of a plan: what Terraform read before planning.
#[derive(Deserialize)]
pub(super) struct PriorState<'a> {
    #[serde(borrow)]
    pub(super) values: Option<Values<'a>>,
}

/// One entry of `resource_changes`.
#[derive(Deserialize)]
pub(super) struct ResourceChange<'a> {
    #[serde(borrow)]
    pub(super) address: Text<'a>,
    /// Set for a deposed object, which shares its address with the current object.
    pub(super) deposed: Option<IgnoredAny>,
    #[serde(borrow)]
    pub(super) change: Option<Change<'a>>,
}

/// The planned change of one resource instance. `before` and `after` are skipped: the
/// values come from `planned_values`.
#[derive(Deserialize)]
pub(super) struct Change<'a> {
    #[serde(default)]
    pub(super) actions: Actions,
    /// Kept raw: it is walked once, straight into unknown paths.
    #[serde(borrow)]
    pub(super) after_unknown: Option<&'a RawValue>,
}

/// What the `actions` of a change amount to, read without keeping the list.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Actions {
    /// True when the list is not empty and every action is `delete` or `forget`: the
    /// instance is gone after apply.
    pub(super) removes: bool,
}

impl<'de> Deserialize<'de> for Actions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(ActionsVisitor)
    }
}

struct ActionsVisitor;

impl<'de> Visitor<'de> for ActionsVisitor {
    type Value = Actions;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a list of actions")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Actions, A::Error> {
        let mut any = false;
        let mut all_remove = true;
        while let Some(action) = seq.next_element::<Text<'de>>()? {
            any = true;
            all_remove &= matches!(action.as_str(), "delete" | "forget");
        }
        Ok(Actions { removes: any && all_remove })
    }
}

/// The `configuration` of a plan.
#[derive(Deserialize)]
pub(super) struct Configuration<'a> {
    #[serde(borrow)]
    pub(super) provider_config: Option<HashMap<String, ProviderConfig<'a>>>,
    #[serde(borrow)]
    pub(super) root_module: Option<ConfigModule<'a>>,
}

/// A provider configuration block, keyed in `provider_config` by `aws`, `aws.eu` or
/// `module.x:aws`.
#[derive(Deserialize)]
pub(super) struct ProviderConfig<'a> {
    #[serde(borrow)]
    pub(super) name: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) full_name: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) module_address: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) expressions: Option<ExprNode<'a>>,
}

/// A module of the configuration.
#[derive(Deserialize)]
pub(super) struct ConfigModule<'a> {
    #[serde(borrow, default = "Vec::new")]
    pub(super) resources: Vec<ConfigResource<'a>>,
    #[serde(borrow)]
    pub(super) module_calls: Option<HashMap<Text<'a>, ModuleCall<'a>>>,
    #[serde(borrow)]
    pub(super) outputs: Option<HashMap<Text<'a>, Output<'a>>>,
}

/// A `module` block of the configuration and the module it calls.
#[derive(Deserialize)]
pub(super) struct ModuleCall<'a> {
    #[serde(borrow)]
    pub(super) expressions: Option<ExprNode<'a>>,
    #[serde(borrow)]
    pub(super) module: Option<ConfigModule<'a>>,
}

/// An `output` block of the configuration.
#[derive(Deserialize)]
pub(super) struct Output<'a> {
    #[serde(borrow)]
    pub(super) expression: Option<ExprNode<'a>>,
}

/// A `resource` or `data` block of the configuration.
#[derive(Deserialize)]
pub(super) struct ConfigResource<'a> {
    #[serde(borrow)]
    pub(super) mode: Text<'a>,
    #[serde(borrow, rename = "type")]
    pub(super) resource_type: Text<'a>,
    #[serde(borrow)]
    pub(super) name: Text<'a>,
    #[serde(borrow)]
    pub(super) provider_config_key: Option<Text<'a>>,
    /// OpenTofu writes a list when a resource uses more than one provider configuration.
    #[serde(borrow)]
    pub(super) provider_config_keys: Option<Vec<Text<'a>>>,
    /// Kept raw: only the references are taken from it, without building the constants.
    #[serde(borrow)]
    pub(super) expressions: Option<&'a RawValue>,
}

/// A resource of a raw state (format version 4).
#[derive(Deserialize)]
pub(super) struct StateResource<'a> {
    #[serde(borrow)]
    pub(super) module: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) mode: Text<'a>,
    #[serde(borrow, rename = "type")]
    pub(super) resource_type: Text<'a>,
    #[serde(borrow)]
    pub(super) name: Text<'a>,
    #[serde(borrow)]
    pub(super) provider: Option<Text<'a>>,
    #[serde(borrow, default = "Vec::new")]
    pub(super) instances: Vec<StateInstance<'a>>,
}

/// One instance of a raw state resource.
#[derive(Deserialize)]
pub(super) struct StateInstance<'a> {
    pub(super) index_key: Option<Value>,
    #[serde(borrow)]
    pub(super) deposed: Option<Text<'a>>,
    /// Kept raw, like the values of a plan.
    #[serde(borrow)]
    pub(super) attributes: Option<&'a RawValue>,
    pub(super) attributes_flat: Option<IgnoredAny>,
}

/// A string borrowed from the input when it has no escapes, owned otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Text<'a>(Cow<'a, str>);

impl<'a> Text<'a> {
    /// Text that borrows `text`.
    pub(super) fn borrowed(text: &'a str) -> Self {
        Text(Cow::Borrowed(text))
    }

    /// The text.
    pub(super) fn as_str(&self) -> &str {
        &self.0
    }

    /// The text as an owned string, without a copy when it is owned already.
    pub(super) fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl Borrow<str> for Text<'_> {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor(PhantomData))
    }
}

struct TextVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for TextVisitor<'a> {
    type Value = Text<'a>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Borrowed(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(value)))
    }
}

/// A node of the `expressions` of a configuration block: an expression, a nested block
/// (an object of attribute names), a list of nested blocks, or anything else.
///
/// Terraform writes an expression as an object with `constant_value` and/or
/// `references`, and a nested block as an object of its attributes. The two are told
/// apart by those keys while parsing, so that no generic value tree is built.
#[derive(Debug)]
pub(super) enum ExprNode<'a> {
    /// An expression.
    Expression(Expression<'a>),
    /// A nested block, or a map of blocks by label.
    Block(Vec<(Text<'a>, ExprNode<'a>)>),
    /// A list or set of nested blocks.
    List(Vec<ExprNode<'a>>),
    /// A string where a node was expected, such as a reference inside `references`.
    Text(Text<'a>),
    /// A number, a boolean or null.
    Other,
}

/// One expression: its value when it is a constant, and the references it makes.
#[derive(Debug, Default)]
pub(super) struct Expression<'a> {
    pub(super) constant: Option<&'a RawValue>,
    pub(super) references: Vec<Text<'a>>,
}

impl<'a> ExprNode<'a> {
    /// The node under `name` when this is a block.
    pub(super) fn entry(&self, name: &str) -> Option<&ExprNode<'a>> {
        match self {
            ExprNode::Block(entries) => {
                entries.iter().find(|(key, _)| key.as_str() == name).map(|(_, node)| node)
            }
            _ => None,
        }
    }

    /// The block itself, or the first block of a list of blocks (a block that appears at
    /// most once, like `default_tags`, is written either way).
    pub(super) fn single_block(&self) -> Option<&ExprNode<'a>> {
        match self {
            ExprNode::Block(_) => Some(self),
            ExprNode::List(items) => {
                items.first().filter(|item| matches!(item, ExprNode::Block(_)))
            }
            _ => None,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for ExprNode<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ExprVisitor(PhantomData))
    }
}

struct ExprVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for ExprVisitor<'a> {
    type Value = ExprNode<'a>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an expression or a block of expressions")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(ExprNode::Other)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(ExprNode::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(ExprNode::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(ExprNode::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(ExprNode::Other)
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        Ok(ExprNode::Text(Text(Cow::Borrowed(value))))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(ExprNode::Text(Text(Cow::Owned(value.to_owned()))))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(ExprNode::Text(Text(Cow::Owned(value))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<ExprNode<'a>>()? {
            items.push(item);
        }
        Ok(ExprNode::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        let mut constant = None;
        while let Some(key) = map.next_key::<Text<'a>>()? {
            if key.as_str() == "constant_value" {
                constant = Some(map.next_value::<&'a RawValue>()?);
            } else {
                entries.push((key, map.next_value::<ExprNode<'a>>()?));
            }
        }

        let references = entries.iter().position(|(key, node)| {
            key.as_str() == "references"
                && matches!(node, ExprNode::List(items) if items.iter().all(|item| matches!(item, ExprNode::Text(_))))
        });
        if constant.is_none() && references.is_none() {
            return Ok(ExprNode::Block(entries));
        }
        let references = match references.map(|index| entries.swap_remove(index)) {
            Some((_, ExprNode::List(items))) => items
                .into_iter()
                .filter_map(|item| match item {
                    ExprNode::Text(text) => Some(text),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        Ok(ExprNode::Expression(Expression { constant, references }))
    }
}
