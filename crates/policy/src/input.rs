//! The policy input: the normalised estate as the pack sees it (`input`) and user
//! policies see it (`data.terrane.estate`), built directly as regorus values.
//!
//! The shape is the contract in `docs/src/policy-input.md`. Values are reference counted,
//! so `by_type` shares the resource objects of `resources`, resources in the same region
//! share one location object, and repeated keys and enumerations share one string.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;
use std::num::NonZeroUsize;

use regorus::Value;
use terrane_catalog::{Catalog, Jurisdiction, Provider};
use terrane_estate::{Cloud, Diagnostic, Estate, RegionOrigin, Relation, Resource, SourceLocation};

use crate::locate::{self, Locator};
use crate::value::{Interner, WordHasher};

/// The reason given for a resource whose region could not be found.
const NO_REGION: &str = "no region found";

/// Below this many resources a single thread builds the input: starting threads would
/// cost more than it saves.
const PARALLEL_THRESHOLD: usize = 4096;

/// A map keyed by resource address.
type AddressIndex<'a> = HashMap<&'a str, usize, BuildHasherDefault<WordHasher>>;

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

/// Builds the input for `estate` under `jurisdiction`, on up to `threads` threads.
pub(crate) fn build(
    catalog: &Catalog,
    jurisdiction: &Jurisdiction,
    estate: &Estate,
    threads: NonZeroUsize,
) -> EstateInput {
    // Locations first, so that relations can point at their target's location.
    let mut locator = Locator::new(catalog, jurisdiction);
    let locations: Vec<Value> =
        estate.resources.iter().map(|resource| resource_location(&mut locator, resource)).collect();
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
    let addresses: AddressIndex<'_> = estate
        .resources
        .iter()
        .enumerate()
        .map(|(index, resource)| (resource.address.as_str(), index))
        .collect();
    let shared = Shared { catalog, jurisdiction, estate, locations: &locations, addresses };

    let resources = build_resources(&shared, threads);

    let mut by_type: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for (resource, value) in estate.resources.iter().zip(&resources) {
        by_type.entry(&resource.resource_type).or_default().push(value.clone());
    }
    let type_counts = by_type
        .iter()
        .map(|(resource_type, group)| ((*resource_type).to_owned(), group.len()))
        .collect();
    let by_type = Value::from(
        by_type
            .into_iter()
            .map(|(resource_type, group)| (Value::from(resource_type), Value::from(group)))
            .collect::<BTreeMap<_, _>>(),
    );
    let mut builder = Builder::new(&shared);
    let diagnostics: Vec<Value> =
        estate.diagnostics.iter().map(|diagnostic| builder.diagnostic(diagnostic)).collect();
    let value = crate::value::object([
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

fn resource_location(locator: &mut Locator<'_>, resource: &Resource) -> Value {
    let Some(region) = &resource.region else {
        return locate::unknown(NO_REGION);
    };
    match provider(resource.cloud) {
        Some(provider) => locator.locate(provider, &region.value),
        None => {
            locate::unknown(&format!("`{}` is not a cloud with catalogued regions", resource.cloud))
        }
    }
}

/// The resource objects in estate order, built in contiguous chunks on `threads`
/// threads.
fn build_resources(shared: &Shared<'_>, threads: NonZeroUsize) -> Vec<Value> {
    let resources = &shared.estate.resources;
    if threads.get() == 1 || resources.len() < PARALLEL_THRESHOLD {
        return Builder::new(shared).resources(0, resources);
    }

    let chunk = resources.len().div_ceil(threads.get());
    std::thread::scope(|scope| {
        let handles: Vec<_> = resources
            .chunks(chunk)
            .enumerate()
            .map(|(number, part)| {
                scope.spawn(move || Builder::new(shared).resources(number * chunk, part))
            })
            .collect();
        let mut values = Vec::with_capacity(resources.len());
        for handle in handles {
            match handle.join() {
                Ok(part) => values.extend(part),
                // A builder thread only panics on a bug; hand its panic to the caller
                // unchanged rather than returning a partial input.
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        values
    })
}

/// What every builder thread reads.
struct Shared<'a> {
    catalog: &'a Catalog,
    jurisdiction: &'a Jurisdiction,
    estate: &'a Estate,
    locations: &'a [Value],
    addresses: AddressIndex<'a>,
}

/// The object keys of the input, allocated once per builder.
struct Keys {
    address: Value,
    resource_type: Value,
    name: Value,
    mode: Value,
    cloud: Value,
    provider: Value,
    region: Value,
    region_origin: Value,
    location: Value,
    values: Value,
    unknown: Value,
    tags: Value,
    relations: Value,
    source: Value,
    kind: Value,
    attribute: Value,
    target: Value,
    target_type: Value,
    target_location: Value,
    file: Value,
    line: Value,
    message: Value,
}

impl Keys {
    fn new() -> Keys {
        Keys {
            address: Value::from("address"),
            resource_type: Value::from("type"),
            name: Value::from("name"),
            mode: Value::from("mode"),
            cloud: Value::from("cloud"),
            provider: Value::from("provider"),
            region: Value::from("region"),
            region_origin: Value::from("region_origin"),
            location: Value::from("location"),
            values: Value::from("values"),
            unknown: Value::from("unknown"),
            tags: Value::from("tags"),
            relations: Value::from("relations"),
            source: Value::from("source"),
            kind: Value::from("kind"),
            attribute: Value::from("attribute"),
            target: Value::from("target"),
            target_type: Value::from("target_type"),
            target_location: Value::from("target_location"),
            file: Value::from("file"),
            line: Value::from("line"),
            message: Value::from("message"),
        }
    }
}

/// Builds objects for one thread, with its own caches.
struct Builder<'a> {
    shared: &'a Shared<'a>,
    locator: Locator<'a>,
    interner: Interner,
    keys: Keys,
}

impl<'a> Builder<'a> {
    fn new(shared: &'a Shared<'a>) -> Builder<'a> {
        Builder {
            shared,
            locator: Locator::new(shared.catalog, shared.jurisdiction),
            interner: Interner::default(),
            keys: Keys::new(),
        }
    }

    /// The objects of `resources`, the first of which is at `offset` in the estate.
    fn resources(&mut self, offset: usize, resources: &[Resource]) -> Vec<Value> {
        resources
            .iter()
            .enumerate()
            .map(|(index, resource)| {
                let location =
                    self.shared.locations.get(offset + index).cloned().unwrap_or(Value::Null);
                self.resource(resource, location)
            })
            .collect()
    }

    fn resource(&mut self, resource: &Resource, location: Value) -> Value {
        let region = resource.region.as_ref();
        let relations: Vec<Value> =
            resource.relations.iter().map(|relation| self.relation(resource, relation)).collect();
        let unknown: Vec<Value> =
            resource.unknown.iter().map(|path| self.interner.string(path)).collect();
        let tags = resource
            .tags
            .iter()
            .map(|(key, value)| (self.interner.string(key), Value::from(value.as_str())))
            .collect::<BTreeMap<_, _>>();
        let region_value = region.map_or(Value::Null, |region| self.interner.string(&region.value));
        let origin = region
            .map_or(Value::Null, |region| self.interner.string(&region_origin(&region.origin)));
        let source = resource.source.as_ref().map_or(Value::Null, |source| self.source(source));
        let keys = &self.keys;
        let fields = [
            (keys.address.clone(), Value::from(resource.address.as_str())),
            (keys.resource_type.clone(), self.interner.string(&resource.resource_type)),
            (keys.name.clone(), Value::from(resource.name.as_str())),
            (keys.mode.clone(), self.interner.string(resource.mode.as_str())),
            (keys.cloud.clone(), self.interner.string(resource.cloud.as_str())),
            (keys.provider.clone(), self.interner.string(&resource.provider)),
            (keys.region.clone(), region_value),
            (keys.region_origin.clone(), origin),
            (keys.location.clone(), location),
            (keys.values.clone(), self.interner.json_object(&resource.attributes)),
            (keys.unknown.clone(), Value::from(unknown)),
            (keys.tags.clone(), Value::from(tags)),
            (keys.relations.clone(), Value::from(relations)),
            (keys.source.clone(), source),
        ];
        Value::from(BTreeMap::from(fields))
    }

    fn relation(&mut self, resource: &Resource, relation: &Relation) -> Value {
        let shared = self.shared;
        let (target_type, target_location) = match shared.addresses.get(relation.target.as_str()) {
            Some(&index) => {
                let target_type = shared
                    .estate
                    .resources
                    .get(index)
                    .map_or(Value::Null, |target| self.interner.string(&target.resource_type));
                (target_type, shared.locations.get(index).cloned().unwrap_or(Value::Null))
            }
            None => (Value::Null, self.identifier_location(resource, &relation.target)),
        };
        let keys = &self.keys;
        let fields = [
            (keys.kind.clone(), self.interner.string(relation.kind.as_str())),
            (keys.attribute.clone(), self.interner.string(&relation.attribute)),
            (keys.target.clone(), Value::from(relation.target.as_str())),
            (keys.target_type.clone(), target_type),
            (keys.target_location.clone(), target_location),
        ];
        Value::from(BTreeMap::from(fields))
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
            (self.keys.file.clone(), self.interner.string(&source.file.to_string_lossy())),
            (self.keys.line.clone(), source.line.map_or(Value::Null, Value::from)),
        ];
        Value::from(BTreeMap::from(fields))
    }

    fn diagnostic(&mut self, diagnostic: &Diagnostic) -> Value {
        let source = diagnostic.source.as_ref().map_or(Value::Null, |source| self.source(source));
        let fields = [
            (self.keys.kind.clone(), self.interner.string(diagnostic.kind.as_str())),
            (
                self.keys.address.clone(),
                diagnostic.address.as_deref().map_or(Value::Null, Value::from),
            ),
            (self.keys.message.clone(), Value::from(diagnostic.message.as_str())),
            (self.keys.source.clone(), source),
        ];
        Value::from(BTreeMap::from(fields))
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

        let input = build(catalog, eu, &estate(), NonZeroUsize::MIN);

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
