//! The policy input: the normalised estate as the pack sees it (`input`) and user
//! policies see it (`data.terrane.estate`), built directly as regorus values.
//!
//! The shape is the contract in `docs/src/policy-input.md`. Values are reference counted,
//! so `by_type` shares the resource objects of `resources`, and resources in the same
//! region share one location object.

use std::collections::{BTreeMap, HashMap};

use regorus::Value;
use terrane_catalog::{Catalog, Jurisdiction, Provider};
use terrane_estate::{Cloud, Diagnostic, Estate, RegionOrigin, Relation, Resource, SourceLocation};

use crate::locate::{self, Locator};
use crate::value::Interner;

/// The reason given for a resource whose region could not be found.
const NO_REGION: &str = "no region found";

/// The estate as a policy input, with what findings need to know about each resource.
pub(crate) struct EstateInput {
    /// The input document.
    pub(crate) value: Value,
    /// The canonical region of each resource, in estate order; the raw value when the
    /// catalog does not know it.
    pub(crate) regions: Vec<Option<String>>,
    /// How many resources there are of each type, to balance evaluation work.
    pub(crate) type_counts: HashMap<String, usize>,
}

/// Builds the input for `estate` under `jurisdiction`.
pub(crate) fn build(
    catalog: &Catalog,
    jurisdiction: &Jurisdiction,
    estate: &Estate,
) -> EstateInput {
    let mut builder = Builder {
        locator: Locator::new(catalog, jurisdiction),
        interner: Interner::default(),
        addresses: estate
            .resources
            .iter()
            .enumerate()
            .map(|(index, resource)| (resource.address.as_str(), index))
            .collect(),
    };

    // Locations first, so that relations can point at their target's location.
    let locations: Vec<Value> =
        estate.resources.iter().map(|resource| builder.resource_location(resource)).collect();
    let regions = estate
        .resources
        .iter()
        .zip(&locations)
        .map(|(resource, location)| {
            locate::resolved_region(location)
                .map(str::to_owned)
                .or_else(|| resource.region.as_ref().map(|region| region.value.clone()))
        })
        .collect();

    let mut by_type: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    let mut resources = Vec::with_capacity(estate.resources.len());
    for (resource, location) in estate.resources.iter().zip(&locations) {
        let value = builder.resource(estate, &locations, resource, location.clone());
        by_type.entry(&resource.resource_type).or_default().push(value.clone());
        resources.push(value);
    }
    let type_counts = by_type
        .iter()
        .map(|(resource_type, group)| ((*resource_type).to_owned(), group.len()))
        .collect();

    let by_type = Value::from(
        by_type
            .into_iter()
            .map(|(resource_type, group)| {
                (builder.interner.string(resource_type), Value::from(group))
            })
            .collect::<BTreeMap<_, _>>(),
    );
    let diagnostics: Vec<Value> =
        estate.diagnostics.iter().map(|diagnostic| builder.diagnostic(diagnostic)).collect();
    let value = builder.interner.object([
        ("kind", Value::from(estate.kind.as_str())),
        ("origin", Value::from(estate.origin.to_string_lossy().as_ref())),
        ("jurisdiction", jurisdiction_value(jurisdiction)),
        ("resources", Value::from(resources)),
        ("by_type", by_type),
        ("diagnostics", Value::from(diagnostics)),
    ]);
    EstateInput { value, regions, type_counts }
}

/// The `jurisdiction` object of the input.
pub(crate) fn jurisdiction_value(jurisdiction: &Jurisdiction) -> Value {
    let countries: Vec<&String> = jurisdiction.countries.iter().collect();
    let partitions = if jurisdiction.partitions.is_empty() {
        Value::Null
    } else {
        Value::from(
            jurisdiction
                .partitions
                .iter()
                .map(|(provider, partitions)| {
                    let partitions: Vec<&String> = partitions.iter().collect();
                    (Value::from(provider.as_str()), crate::value::string_array(&partitions))
                })
                .collect::<BTreeMap<_, _>>(),
        )
    };
    crate::value::object([
        ("id", Value::from(jurisdiction.id.as_str())),
        ("name", Value::from(jurisdiction.name.as_str())),
        ("countries", crate::value::string_array(&countries)),
        ("partitions", partitions),
    ])
}

/// The catalog provider of a cloud; `None` for clouds without catalog locations.
pub(crate) fn provider(cloud: Cloud) -> Option<Provider> {
    match cloud {
        Cloud::Aws => Some(Provider::Aws),
        Cloud::Azure => Some(Provider::Azure),
        Cloud::Google => Some(Provider::Google),
        Cloud::Other => None,
    }
}

/// How `region_origin` is written: `provider aws.eu`, `argument location`,
/// `identifier arn`, `parent aws_s3_bucket.b`.
pub(crate) fn region_origin(origin: &RegionOrigin) -> String {
    match origin {
        RegionOrigin::Argument(name) => format!("argument {name}"),
        RegionOrigin::Provider(name) => format!("provider {name}"),
        RegionOrigin::Identifier(name) => format!("identifier {name}"),
        RegionOrigin::Parent(address) => format!("parent {address}"),
    }
}

struct Builder<'a> {
    locator: Locator<'a>,
    interner: Interner,
    addresses: HashMap<&'a str, usize>,
}

impl Builder<'_> {
    fn resource_location(&mut self, resource: &Resource) -> Value {
        let Some(region) = &resource.region else {
            return locate::unknown(NO_REGION);
        };
        match provider(resource.cloud) {
            Some(provider) => self.locator.locate(provider, &region.value),
            None => locate::unknown(&format!(
                "`{}` is not a cloud with catalogued regions",
                resource.cloud
            )),
        }
    }

    fn resource(
        &mut self,
        estate: &Estate,
        locations: &[Value],
        resource: &Resource,
        location: Value,
    ) -> Value {
        let region = resource.region.as_ref();
        let relations = resource
            .relations
            .iter()
            .map(|relation| self.relation(estate, locations, resource, relation))
            .collect::<Vec<_>>();
        let unknown =
            resource.unknown.iter().map(|path| self.interner.string(path)).collect::<Vec<_>>();
        let tags = resource
            .tags
            .iter()
            .map(|(key, value)| (self.interner.string(key), Value::from(value.as_str())))
            .collect::<BTreeMap<_, _>>();
        let fields = [
            ("address", Value::from(resource.address.as_str())),
            ("type", self.interner.string(&resource.resource_type)),
            ("name", Value::from(resource.name.as_str())),
            ("mode", self.interner.string(resource.mode.as_str())),
            ("cloud", self.interner.string(resource.cloud.as_str())),
            ("provider", self.interner.string(&resource.provider)),
            ("region", region.map_or(Value::Null, |region| self.interner.string(&region.value))),
            (
                "region_origin",
                region.map_or(Value::Null, |region| {
                    self.interner.string(&region_origin(&region.origin))
                }),
            ),
            ("location", location),
            ("values", self.interner.json_object(&resource.attributes)),
            ("unknown", Value::from(unknown)),
            ("tags", Value::from(tags)),
            ("relations", Value::from(relations)),
            ("source", resource.source.as_ref().map_or(Value::Null, |source| self.source(source))),
        ];
        self.interner.object(fields)
    }

    fn relation(
        &mut self,
        estate: &Estate,
        locations: &[Value],
        resource: &Resource,
        relation: &Relation,
    ) -> Value {
        let (target_type, target_location) = match self.addresses.get(relation.target.as_str()) {
            Some(&index) => {
                let target_type = estate
                    .resources
                    .get(index)
                    .map_or(Value::Null, |target| self.interner.string(&target.resource_type));
                (target_type, locations.get(index).cloned().unwrap_or(Value::Null))
            }
            None => (Value::Null, self.identifier_location(resource, &relation.target)),
        };
        let fields = [
            ("kind", self.interner.string(relation.kind.as_str())),
            ("attribute", self.interner.string(&relation.attribute)),
            ("target", Value::from(relation.target.as_str())),
            ("target_type", target_type),
            ("target_location", target_location),
        ];
        self.interner.object(fields)
    }

    /// The location embedded in an identifier outside the estate (a KMS key ARN, a
    /// Google self link), or null when it embeds none.
    fn identifier_location(&mut self, resource: &Resource, identifier: &str) -> Value {
        let Some(provider) = identifier_provider(identifier).or_else(|| provider(resource.cloud))
        else {
            return Value::Null;
        };
        let location = self.locator.locate(provider, identifier);
        if locate::resolved_region(&location).is_some() { location } else { Value::Null }
    }

    fn source(&mut self, source: &SourceLocation) -> Value {
        let fields = [
            ("file", self.interner.string(&source.file.to_string_lossy())),
            ("line", source.line.map_or(Value::Null, Value::from)),
        ];
        self.interner.object(fields)
    }

    fn diagnostic(&mut self, diagnostic: &Diagnostic) -> Value {
        let fields = [
            ("kind", self.interner.string(diagnostic.kind.as_str())),
            ("address", diagnostic.address.as_deref().map_or(Value::Null, Value::from)),
            ("message", Value::from(diagnostic.message.as_str())),
            (
                "source",
                diagnostic.source.as_ref().map_or(Value::Null, |source| self.source(source)),
            ),
        ];
        self.interner.object(fields)
    }
}

/// The provider an identifier belongs to, from its shape.
fn identifier_provider(identifier: &str) -> Option<Provider> {
    let lower = identifier.to_ascii_lowercase();
    if lower.starts_with("arn:") {
        Some(Provider::Aws)
    } else if lower.starts_with("/subscriptions/") {
        Some(Provider::Azure)
    } else if lower.contains("googleapis.com/") || lower.starts_with("projects/") {
        Some(Provider::Google)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use terrane_estate::{
        DiagnosticKind, InputKind, Mode, RelationKind, ResolvedRegion, SourceLocation,
    };

    use super::*;

    fn estate() -> Estate {
        let bucket = Resource {
            address: "module.data.aws_s3_bucket.logs".to_owned(),
            mode: Mode::Managed,
            resource_type: "aws_s3_bucket".to_owned(),
            name: "logs".to_owned(),
            cloud: Cloud::Aws,
            provider: "aws.eu".to_owned(),
            region: Some(ResolvedRegion {
                value: "eu-central-1".to_owned(),
                origin: RegionOrigin::Provider("aws.eu".to_owned()),
            }),
            attributes: serde_json::json!({"bucket": "logs", "force_destroy": false, "n": -2.5})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            unknown: vec!["arn".to_owned()],
            tags: [("cost-centre".to_owned(), "cc-42".to_owned())].into(),
            relations: vec![
                Relation {
                    kind: RelationKind::EncryptionKey,
                    attribute: "kms_master_key_id".to_owned(),
                    target: "aws_kms_key.k".to_owned(),
                },
                Relation {
                    kind: RelationKind::ReplicationTarget,
                    attribute: "rule.0.destination.0.bucket".to_owned(),
                    target: "arn:aws:s3:::elsewhere".to_owned(),
                },
                Relation {
                    kind: RelationKind::LogDestination,
                    attribute: "kms".to_owned(),
                    target: "arn:aws:kms:us-east-1:111122223333:key/k".to_owned(),
                },
            ],
            source: Some(SourceLocation {
                file: "main.tf".into(),
                line: Some(12),
                column: Some(3),
            }),
            ignores: Vec::new(),
        };
        let key = Resource {
            address: "aws_kms_key.k".to_owned(),
            resource_type: "aws_kms_key".to_owned(),
            name: "k".to_owned(),
            provider: "aws".to_owned(),
            region: None,
            attributes: serde_json::Map::new(),
            unknown: Vec::new(),
            tags: BTreeMap::new(),
            relations: Vec::new(),
            source: None,
            ..bucket.clone()
        };
        Estate {
            kind: InputKind::Plan,
            origin: PathBuf::from("examples/aws/plan.json"),
            resources: vec![bucket, key],
            diagnostics: vec![Diagnostic {
                kind: DiagnosticKind::RemoteModule,
                address: Some("module.vpc".to_owned()),
                message: "remote".to_owned(),
                source: None,
            }],
        }
    }

    #[test]
    fn builds_the_documented_shape() {
        let catalog = Catalog::builtin();
        let eu = catalog.jurisdiction("EU").expect("EU is built in");
        let frankfurt = locate::location(&catalog.assess(eu, Provider::Aws, "eu-central-1"));
        let virginia = locate::location(&catalog.assess(
            eu,
            Provider::Aws,
            "arn:aws:kms:us-east-1:111122223333:key/k",
        ));
        let nowhere = locate::unknown("no region found");

        let input = build(catalog, eu, &estate());

        let expected_bucket = serde_json::json!({
            "address": "module.data.aws_s3_bucket.logs",
            "type": "aws_s3_bucket",
            "name": "logs",
            "mode": "managed",
            "cloud": "aws",
            "provider": "aws.eu",
            "region": "eu-central-1",
            "region_origin": "provider aws.eu",
            "location": "FRANKFURT",
            "values": {"bucket": "logs", "force_destroy": false, "n": -2.5},
            "unknown": ["arn"],
            "tags": {"cost-centre": "cc-42"},
            "relations": [
                {"kind": "encryption_key", "attribute": "kms_master_key_id", "target": "aws_kms_key.k",
                 "target_type": "aws_kms_key", "target_location": "NOWHERE"},
                {"kind": "replication_target", "attribute": "rule.0.destination.0.bucket",
                 "target": "arn:aws:s3:::elsewhere", "target_type": null, "target_location": null},
                {"kind": "log_destination", "attribute": "kms",
                 "target": "arn:aws:kms:us-east-1:111122223333:key/k", "target_type": null,
                 "target_location": "VIRGINIA"},
            ],
            "source": {"file": "main.tf", "line": 12},
        });
        let text = expected_bucket
            .to_string()
            .replace("\"FRANKFURT\"", &frankfurt.to_json_str().expect("json"))
            .replace("\"NOWHERE\"", &nowhere.to_json_str().expect("json"))
            .replace("\"VIRGINIA\"", &virginia.to_json_str().expect("json"));
        let expected_bucket = Value::from_json_str(&text).expect("valid json");

        let value = &input.value;
        assert_eq!(value["resources"][0], expected_bucket);
        assert_eq!(value["resources"][1]["location"], nowhere);
        assert_eq!(value["resources"][1]["region"], Value::Null);
        assert_eq!(value["resources"][1]["region_origin"], Value::Null);
        assert_eq!(value["by_type"]["aws_s3_bucket"][0], expected_bucket);
        assert_eq!(value["kind"], Value::from("plan"));
        assert_eq!(value["origin"], Value::from("examples/aws/plan.json"));
        assert_eq!(value["jurisdiction"]["id"], Value::from("EU"));
        assert_eq!(value["jurisdiction"]["countries"].as_array().map(|c| c.len()).ok(), Some(27));
        assert_eq!(
            value["diagnostics"][0],
            Value::from_json_str(
                r#"{"kind": "remote_module", "address": "module.vpc", "message": "remote", "source": null}"#
            )
            .expect("valid json")
        );
        assert_eq!(input.regions, [Some("eu-central-1".to_owned()), None]);
        assert_eq!(virginia["status"], Value::from("outside"));
        assert_eq!(frankfurt["status"], Value::from("inside"));
    }

    #[test]
    fn writes_region_origins_briefly() {
        let check =
            |origin: RegionOrigin, expected: &str| assert_eq!(region_origin(&origin), expected);
        check(RegionOrigin::Provider("aws.eu".to_owned()), "provider aws.eu");
        check(RegionOrigin::Argument("location".to_owned()), "argument location");
        check(RegionOrigin::Identifier("arn".to_owned()), "identifier arn");
        check(RegionOrigin::Parent("aws_s3_bucket.b".to_owned()), "parent aws_s3_bucket.b");
    }
}
