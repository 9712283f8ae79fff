//! `terrane regions`: which locations count as inside a jurisdiction.

use crate::terrane;

#[test]
fn json_lists_only_the_regions_inside_the_jurisdiction() {
    let args = ["regions", "--provider", "google", "--jurisdiction", "EU", "--format", "json"];
    let run = terrane(&args);

    run.assert_code(0, &args);
    let regions = run.json();
    let ids: Vec<&str> = regions
        .as_array()
        .expect("an array of locations")
        .iter()
        .filter_map(|region| region["id"].as_str())
        .collect();
    assert!(ids.contains(&"europe-west3"), "Frankfurt is missing: {ids:?}");
    assert!(!ids.contains(&"europe-west2"), "London is listed: {ids:?}");
}

#[test]
fn table_lists_the_regions_of_a_country() {
    let args = ["regions", "--provider", "aws", "--jurisdiction", "DE"];
    let run = terrane(&args);

    run.assert_code(0, &args);
    insta::assert_snapshot!(run.stdout, @r"
    provider  id              name                                    city         country  partition  kind    in DE
    aws       eu-central-1    Europe (Frankfurt)                      Frankfurt    DE       aws        region  inside
    aws       eusc-de-east-1  AWS European Sovereign Cloud (Germany)  Brandenburg  DE       aws-eusc   region  inside
    ");
}
