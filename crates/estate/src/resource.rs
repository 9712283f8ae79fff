//! The normalised resource model shared by every reader.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// A cloud provider family, derived from the Terraform provider of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cloud {
    /// Amazon Web Services (`hashicorp/aws`, resource types `aws_*`).
    Aws,
    /// Microsoft Azure (`hashicorp/azurerm`, `azurerm_*`; also `azapi_*`).
    Azure,
    /// Google Cloud (`hashicorp/google` and `google-beta`, `google_*`).
    Google,
    /// Any other provider (`random_*`, `null_*`, `kubernetes_*`, ...).
    Other,
}

impl Cloud {
    /// Classifies a Terraform resource type by its provider prefix.
    pub fn from_resource_type(resource_type: &str) -> Cloud {
        let prefix = resource_type.split('_').next().unwrap_or_default();
        Cloud::from_provider_name(prefix)
    }

    /// Classifies a provider local name or source address (`aws`, `hashicorp/azurerm`,
    /// `registry.terraform.io/hashicorp/google-beta`).
    pub fn from_provider_name(name: &str) -> Cloud {
        let local = name.rsplit('/').next().unwrap_or(name);
        match local {
            "aws" => Cloud::Aws,
            "azurerm" | "azapi" => Cloud::Azure,
            "google" | "google-beta" => Cloud::Google,
            _ => Cloud::Other,
        }
    }

    /// The lowercase name used in policy input and reports: `aws`, `azure`, `google`, `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Cloud::Aws => "aws",
            Cloud::Azure => "azure",
            Cloud::Google => "google",
            Cloud::Other => "other",
        }
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a resource is managed by Terraform or read through a data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A `resource` block.
    Managed,
    /// A `data` block.
    Data,
}

impl Mode {
    /// `managed` or `data`, as Terraform writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Managed => "managed",
            Mode::Data => "data",
        }
    }
}

/// The kind of input an [`Estate`] was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// `terraform show -json` of a saved plan.
    Plan,
    /// A Terraform state file (format version 4), or `terraform show -json` of a state.
    State,
    /// A directory of `.tf` files read without Terraform.
    Hcl,
}

impl InputKind {
    /// `plan`, `state` or `hcl`.
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Plan => "plan",
            InputKind::State => "state",
            InputKind::Hcl => "hcl",
        }
    }
}

/// Where a source construct sits in a file. Lines and columns are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    /// The file, as given on the command line or relative to the scanned directory.
    pub file: PathBuf,
    /// The 1-based line, when known.
    pub line: Option<u32>,
    /// The 1-based column, when known.
    pub column: Option<u32>,
}

/// How the region of a resource was found. Rules and reports show it so that a user can
/// see why a resource was placed where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionOrigin {
    /// The resource's own argument (`location`, `region`, `zone`, AWS provider 6 `region`).
    Argument(String),
    /// The `region` of the provider configuration the resource uses (`aws`, `aws.eu`).
    Provider(String),
    /// An ARN or resource id of the resource itself, which embeds the region.
    Identifier(String),
    /// Inherited from the resource this one configures (an `aws_s3_bucket_*` part of its
    /// bucket, an Azure child resource of its parent).
    Parent(String),
}

/// A raw region value as written in the input, with the way it was found. The value is
/// not normalised: `West Europe`, `eu-west-1a` and `EU` stay as written, and the catalog
/// decides what they mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedRegion {
    /// The value as found.
    pub value: String,
    /// Where it was found.
    pub origin: RegionOrigin,
}

/// What a relation between two resources means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RelationKind {
    /// The target is the key that encrypts the source (KMS key, Key Vault key, CMEK).
    EncryptionKey,
    /// The target receives copies of the source's data (replication, backup copy,
    /// geo-replica, peering).
    ReplicationTarget,
    /// The target receives the source's logs or audit records.
    LogDestination,
    /// The source configures a part of the target (an `aws_s3_bucket_*` resource and its
    /// bucket, a diagnostic setting and the resource it observes).
    Configures,
    /// Any other reference between two resources.
    Reference,
}

impl RelationKind {
    /// The snake_case name used in policy input.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::EncryptionKey => "encryption_key",
            RelationKind::ReplicationTarget => "replication_target",
            RelationKind::LogDestination => "log_destination",
            RelationKind::Configures => "configures",
            RelationKind::Reference => "reference",
        }
    }
}

/// A link from one resource to another resource or to an external identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// What the link means.
    pub kind: RelationKind,
    /// The attribute path on the source that holds the link (`kms_key_id`,
    /// `rule.0.destination.0.bucket`: dotted, with list indices, like `unknown`).
    pub attribute: String,
    /// The target: a resource address in the same estate (`aws_kms_key.k`,
    /// `module.m.aws_s3_bucket.b["x"]`) or, when the target is outside the estate, the
    /// raw identifier (an ARN, an Azure resource id, a Google self link).
    pub target: String,
}

/// One resource of the estate, in the same shape whatever the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The full Terraform address, with module path and instance key
    /// (`module.net.aws_subnet.a[0]`).
    pub address: String,
    /// Managed resource or data source.
    pub mode: Mode,
    /// The Terraform resource type (`aws_s3_bucket`).
    pub resource_type: String,
    /// The resource name in its module (`logs`).
    pub name: String,
    /// The cloud it belongs to.
    pub cloud: Cloud,
    /// The provider configuration address it uses (`aws`, `aws.eu`, `google-beta`).
    pub provider: String,
    /// The region, when it could be found. `None` means it could not be decided, which
    /// the residency rules report, never pass.
    pub region: Option<ResolvedRegion>,
    /// Attribute values. Values unknown until apply are absent here and listed in
    /// `unknown`.
    pub attributes: serde_json::Map<String, serde_json::Value>,
    /// Dotted paths of attributes whose value is unknown until apply (`arn`,
    /// `server_side_encryption_configuration.0.rule`), or could not be evaluated statically.
    pub unknown: Vec<String>,
    /// Effective tags (AWS, including provider `default_tags`) or labels (Google).
    pub tags: BTreeMap<String, String>,
    /// Links to other resources and external identifiers.
    pub relations: Vec<Relation>,
    /// Where the resource is declared, when the input says so.
    pub source: Option<SourceLocation>,
    /// Inline `# terrane:ignore[RULE-ID] reason` comments written on the resource's block.
    pub ignores: Vec<InlineIgnore>,
}

/// An inline suppression comment on an HCL block: `# terrane:ignore[TRN-AWS-S3-001] reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineIgnore {
    /// The rule id in brackets.
    pub rule_id: String,
    /// The text after the brackets; a suppression without a reason is refused.
    pub reason: String,
    /// Where the comment is.
    pub source: SourceLocation,
}

/// Something a reader could not evaluate. Each becomes a finding: nothing is dropped
/// silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of gap this is.
    pub kind: DiagnosticKind,
    /// The resource or module address concerned, when there is one.
    pub address: Option<String>,
    /// A one-clause explanation, lowercase, without final period.
    pub message: String,
    /// Where in the input it happened.
    pub source: Option<SourceLocation>,
}

/// The kinds of gaps a reader reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagnosticKind {
    /// A module whose source is not on local disk (registry, git, http).
    RemoteModule,
    /// An expression whose value cannot be decided without Terraform (a function of
    /// unknown values, a data source result).
    UnresolvedValue,
    /// A construct that was read but whose meaning the reader does not model.
    Unsupported,
}

impl DiagnosticKind {
    /// The snake_case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticKind::RemoteModule => "remote_module",
            DiagnosticKind::UnresolvedValue => "unresolved_value",
            DiagnosticKind::Unsupported => "unsupported",
        }
    }
}

/// Everything read from one input.
#[derive(Debug, Clone, PartialEq)]
pub struct Estate {
    /// What the input was.
    pub kind: InputKind,
    /// The file or directory read.
    pub origin: PathBuf,
    /// The resources, in input order.
    pub resources: Vec<Resource>,
    /// What could not be evaluated.
    pub diagnostics: Vec<Diagnostic>,
}
