//! The `terrane regions` subcommand: lists the catalog's locations, optionally only those
//! inside a jurisdiction.
//!
//! Residency decisions come from `terrane-catalog`; this module only filters and renders.

use std::io::Write;

use anyhow::{Context, Result, anyhow};
use clap::ValueEnum;
use serde_json::{Value, json};
use terrane_catalog::{Catalog, Jurisdiction, Location, Provider, Residency};

/// Arguments of `terrane regions`.
#[derive(Debug, clap::Args)]
pub(crate) struct RegionsArgs {
    /// Only list locations of this provider: aws, azure (azurerm) or google (gcp).
    #[arg(long, value_name = "PROVIDER")]
    pub(crate) provider: Option<Provider>,
    /// Only list locations inside this jurisdiction, such as EU, EEA, DE or UK.
    #[arg(long, value_name = "ID")]
    pub(crate) jurisdiction: Option<String>,
    /// How to print the list.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
}

/// Output formats of `terrane regions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns for people.
    Table,
    /// A JSON array of objects for scripts.
    Json,
}

/// Runs `terrane regions` against the built-in catalog.
pub(crate) fn run(args: &RegionsArgs, out: &mut dyn Write) -> Result<()> {
    run_with(args, Catalog::builtin(), out)
}

/// Runs `terrane regions` against `catalog`, which may carry user jurisdictions.
pub(crate) fn run_with(args: &RegionsArgs, catalog: &Catalog, out: &mut dyn Write) -> Result<()> {
    let jurisdiction = match &args.jurisdiction {
        Some(id) => {
            Some(catalog.jurisdiction(id).ok_or_else(|| anyhow!("unknown jurisdiction `{id}`"))?)
        }
        None => None,
    };

    let locations: Vec<&Location> = catalog
        .locations(args.provider)
        .filter(|location| jurisdiction.is_none_or(|j| is_inside(catalog, j, location)))
        .collect();

    match args.format {
        Format::Table => write_table(out, &locations, jurisdiction),
        Format::Json => write_json(out, &locations, jurisdiction),
    }
    .context("cannot write the region list")
}

fn is_inside(catalog: &Catalog, jurisdiction: &Jurisdiction, location: &Location) -> bool {
    catalog.assess(jurisdiction, location.provider, &location.id).status == Residency::Inside
}

fn write_table(
    out: &mut dyn Write,
    locations: &[&Location],
    jurisdiction: Option<&Jurisdiction>,
) -> std::io::Result<()> {
    let mut header: Vec<String> =
        ["provider", "id", "name", "city", "country", "partition", "kind"].map(String::from).into();
    if let Some(jurisdiction) = jurisdiction {
        header.push(format!("in {}", jurisdiction.id));
    }
    let mut rows = vec![header];
    for location in locations {
        let mut row = vec![
            location.provider.to_string(),
            location.id.clone(),
            location.name.clone(),
            location.city.clone(),
            location.countries.join(","),
            location.partition.clone(),
            location.kind.to_string(),
        ];
        if jurisdiction.is_some() {
            row.push(Residency::Inside.to_string());
        }
        rows.push(row);
    }

    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|column| rows.iter().map(|row| row[column].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            line.push_str(&format!("{cell:<width$}  "));
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn write_json(
    out: &mut dyn Write,
    locations: &[&Location],
    jurisdiction: Option<&Jurisdiction>,
) -> std::io::Result<()> {
    let entries: Vec<Value> =
        locations.iter().map(|location| location_json(location, jurisdiction)).collect();

    serde_json::to_writer_pretty(&mut *out, &entries)?;
    writeln!(out)
}

fn location_json(location: &Location, jurisdiction: Option<&Jurisdiction>) -> Value {
    let mut entry = json!({
        "provider": location.provider.as_str(),
        "id": location.id,
        "name": location.name,
        "city": location.city,
        "countries": location.countries,
        "partition": location.partition,
        "kind": location.kind.as_str(),
        "available": location.available.as_str(),
        "pair": location.pair,
        "members": location.members,
    });
    if let (Some(jurisdiction), Some(fields)) = (jurisdiction, entry.as_object_mut()) {
        fields.insert("jurisdiction".to_owned(), json!(jurisdiction.id));
        fields.insert("residency".to_owned(), json!(Residency::Inside.as_str()));
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(provider: Option<Provider>, jurisdiction: Option<&str>, format: Format) -> String {
        let args = RegionsArgs { provider, jurisdiction: jurisdiction.map(String::from), format };
        let mut out = Vec::new();
        run(&args, &mut out).expect("the listing renders");
        String::from_utf8(out).expect("the listing is UTF-8")
    }

    #[test]
    fn lists_locations_inside_a_jurisdiction_as_aligned_columns() {
        let table = render(Some(Provider::Google), Some("de"), Format::Table);

        let expected = "\
provider  id             name       city       country  partition  kind    in DE
google    europe-west3   Frankfurt  Frankfurt  DE       google     region  inside
google    europe-west10  Berlin     Berlin     DE       google     region  inside
";
        assert_eq!(table, expected);
    }

    #[test]
    fn lists_every_location_as_json_objects() {
        let text = render(None, None, Format::Json);
        let entries: Vec<Value> = serde_json::from_str(&text).expect("valid JSON");

        assert_eq!(entries.len(), Catalog::builtin().locations(None).count());
        let eur4 = entries.iter().find(|entry| entry["id"] == "EUR4").expect("EUR4 is listed");
        assert_eq!(eur4["countries"], json!(["FI", "NL"]));
        assert_eq!(eur4["members"], json!(["europe-north1", "europe-west4"]));
        assert_eq!(eur4["kind"], "dual_region");
        assert!(entries.iter().all(|entry| entry.get("residency").is_none()));
    }

    #[test]
    fn marks_json_entries_with_the_jurisdiction() {
        let text = render(Some(Provider::Aws), Some("EU"), Format::Json);
        let entries: Vec<Value> = serde_json::from_str(&text).expect("valid JSON");

        assert!(entries.iter().any(|entry| entry["id"] == "eusc-de-east-1"));
        assert!(entries.iter().all(|entry| entry["id"] != "eu-west-2"));
        assert!(entries.iter().all(|entry| entry["residency"] == "inside"));
    }

    #[test]
    fn names_an_unknown_jurisdiction() {
        let args = RegionsArgs {
            provider: None,
            jurisdiction: Some("ATLANTIS".to_owned()),
            format: Format::Table,
        };
        let error = run(&args, &mut Vec::new()).expect_err("unknown jurisdiction");
        assert_eq!(error.to_string(), "unknown jurisdiction `ATLANTIS`");
    }
}
