//! The cloud providers the catalog knows, and how their names are spelled in input.

use std::fmt;
use std::str::FromStr;

use crate::error::UnknownProviderError;

/// A cloud provider whose locations the catalog lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Provider {
    /// Amazon Web Services, in every partition.
    Aws,
    /// Microsoft Azure, in every cloud (public, US Government, China).
    Azure,
    /// Google Cloud, in every universe (Google's own and S3NS).
    Google,
}

impl Provider {
    /// Every provider, in display order.
    pub const ALL: [Provider; 3] = [Provider::Aws, Provider::Azure, Provider::Google];

    /// The canonical lowercase name: `aws`, `azure` or `google`.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Azure => "azure",
            Provider::Google => "google",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Provider {
    type Err = UnknownProviderError;

    /// Accepts the canonical names and the Terraform provider names, in any case:
    /// `aws`, `azure` or `azurerm`, `google` or `gcp`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "aws" => Ok(Provider::Aws),
            "azure" | "azurerm" => Ok(Provider::Azure),
            "google" | "gcp" => Ok(Provider::Google),
            _ => Err(UnknownProviderError { name: text.to_owned() }),
        }
    }
}
