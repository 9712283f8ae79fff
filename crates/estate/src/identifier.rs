//! Regions embedded in cloud identifiers: AWS ARNs and Google resource paths and self
//! links. Azure resource ids carry no region, so there is nothing to read from them.
//!
//! The values are returned as written; the catalog decides what they mean.

/// The region field of an ARN (`arn:aws:kms:eu-west-1:111122223333:key/...`), or `None`
/// for a global service whose ARN leaves it empty (`arn:aws:s3:::bucket`, IAM) and for a
/// string that is not an ARN.
pub(crate) fn arn_region(arn: &str) -> Option<&str> {
    let mut fields = arn.strip_prefix("arn:")?.splitn(4, ':');
    let _partition = fields.next()?;
    let _service = fields.next()?;
    let region = fields.next()?;
    let has_rest = fields.next().is_some();
    (has_rest && !region.is_empty()).then_some(region)
}

/// The location in a Google resource path or self link: the segment after `locations`,
/// `regions` or `zones` (`projects/p/locations/europe-west3/keyRings/r`,
/// `https://www.googleapis.com/compute/v1/projects/p/zones/europe-west3-b/disks/d`).
pub(crate) fn google_path_region(path: &str) -> Option<&str> {
    let mut segments = path.split('/');
    while let Some(segment) = segments.next() {
        if matches!(segment, "locations" | "regions" | "zones") {
            return segments.next().filter(|value| !value.is_empty());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regions_from_identifiers() {
        let arns = [
            ("arn:aws:kms:eu-west-1:111122223333:key/1234", Some("eu-west-1")),
            ("arn:aws-us-gov:ec2:us-gov-west-1:1:instance/i-1", Some("us-gov-west-1")),
            ("arn:aws:s3:::bucket", None),
            ("arn:aws:iam::111122223333:role/r", None),
            ("arn:aws:kms:eu-west-1", None),
            ("not-an-arn", None),
        ];
        for (arn, expected) in arns {
            assert_eq!(arn_region(arn), expected, "{arn}");
        }

        let paths = [
            ("projects/p/locations/europe-west3/keyRings/r", Some("europe-west3")),
            (
                "https://www.googleapis.com/compute/v1/projects/p/zones/europe-west3-b/disks/d",
                Some("europe-west3-b"),
            ),
            ("projects/p/regions/europe-west1/subnetworks/s", Some("europe-west1")),
            ("projects/p/global/networks/n", None),
            ("projects/p/locations/", None),
        ];
        for (path, expected) in paths {
            assert_eq!(google_path_region(path), expected, "{path}");
        }
    }
}
