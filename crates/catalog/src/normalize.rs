//! Pure string helpers that turn the many spellings of a location into lookup keys.
//!
//! Nothing here knows the catalog; `catalog.rs` decides which candidate is a real location.

use crate::provider::Provider;

/// The partition and region segments of an AWS ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ArnRegion<'a> {
    pub(crate) partition: &'a str,
    pub(crate) region: &'a str,
}

/// How a zone id relates to the region it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ZoneKind {
    /// An availability zone inside the region's own facilities (`eu-west-1a`, `europe-west3-b`).
    Availability,
    /// An AWS Local Zone or Wavelength Zone: it hangs off the region but may sit in another
    /// city or country (`eu-central-1-waw-1a` is in Warsaw).
    Local,
}

/// Splits `arn:partition:service:region:account:resource`; `None` when `text` is not an ARN.
pub(crate) fn arn_region(text: &str) -> Option<ArnRegion<'_>> {
    let mut parts = text.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(_service), Some(region)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };

    Some(ArnRegion { partition, region })
}

/// The location segment of a resource path or self link: the segment after `locations`,
/// `regions` or `zones`, or `global` for a path with a `global` segment.
pub(crate) fn path_location(text: &str) -> Option<&str> {
    if !text.contains('/') {
        return None;
    }

    let mut segments = text.split('/');
    while let Some(segment) = segments.next() {
        if matches!(segment, "locations" | "regions" | "zones") {
            return segments.next().filter(|next| !next.is_empty());
        }
    }
    text.split('/').any(|segment| segment == "global").then_some("global")
}

/// Lowercase letters and digits only, so `West Europe` and `west-europe` become `westeurope`.
pub(crate) fn compact(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// Candidate `(region, zone kind)` splits of a zone id, longest region first.
///
/// Region ids of both providers end in a digit, which keeps `eu-west-1` from matching the
/// start of `eu-west-10` and keeps `europe-west1` from matching `europe-west12`.
pub(crate) fn zone_candidates(
    provider: Provider,
    text: &str,
) -> impl Iterator<Item = (&str, ZoneKind)> {
    (1..text.len()).rev().filter_map(move |split| {
        let (region, rest) = (text.get(..split)?, text.get(split..)?);
        if !region.ends_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        zone_kind(provider, rest).map(|kind| (region, kind))
    })
}

fn zone_kind(provider: Provider, rest: &str) -> Option<ZoneKind> {
    let is_letters = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase());
    let is_name = |s: &str| {
        !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };

    match provider {
        Provider::Aws if is_letters(rest) => Some(ZoneKind::Availability),
        Provider::Aws => {
            rest.strip_prefix('-').filter(|tail| is_name(tail)).map(|_| ZoneKind::Local)
        }
        Provider::Google => rest
            .strip_prefix('-')
            .filter(|tail| tail.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
            .filter(|tail| !tail.is_empty())
            .map(|_| ZoneKind::Availability),
        Provider::Azure => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_arns_and_keeps_empty_regions() {
        let arn = arn_region("arn:aws-eusc:kms:eusc-de-east-1:123:key/abc");
        assert_eq!(arn, Some(ArnRegion { partition: "aws-eusc", region: "eusc-de-east-1" }));
        let bucket = arn_region("arn:aws:s3:::bucket");
        assert_eq!(bucket, Some(ArnRegion { partition: "aws", region: "" }));
        assert_eq!(arn_region("eu-west-1"), None);
        assert_eq!(arn_region("arn:aws"), None);
    }

    #[test]
    fn finds_location_segments_in_paths() {
        let cases = [
            ("projects/p/locations/europe/keyrings/k", Some("europe")),
            (
                "https://x/compute/v1/projects/p/zones/europe-west3-b/instances/i",
                Some("europe-west3-b"),
            ),
            ("projects/p/regions/europe-west1/subnetworks/s", Some("europe-west1")),
            ("projects/p/global/networks/n", Some("global")),
            (
                "/subscriptions/s/providers/microsoft.compute/locations/westeurope",
                Some("westeurope"),
            ),
            ("projects/p/locations/", None),
            ("europe-west1", None),
        ];
        for (text, expected) in cases {
            assert_eq!(path_location(text), expected, "{text}");
        }
    }

    #[test]
    fn proposes_zone_parents_longest_first() {
        let aws: Vec<_> = zone_candidates(Provider::Aws, "eu-central-1-waw-1a").collect();
        assert_eq!(
            aws,
            [("eu-central-1-waw-1", ZoneKind::Availability), ("eu-central-1", ZoneKind::Local)]
        );
        let google: Vec<_> = zone_candidates(Provider::Google, "europe-west12-a").collect();
        assert_eq!(google, [("europe-west12", ZoneKind::Availability)]);
        assert_eq!(zone_candidates(Provider::Azure, "westeurope-1").count(), 0);
    }
}
