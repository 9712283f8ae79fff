//! Reading the inputs of `terrane check`: a JSON file is a plan or a state, a directory
//! holds `.tf` files. Each input also yields the document a conftest policy would see.

use std::path::Path;

use anyhow::{Context, bail};
use terrane_estate::{Estate, HclOptions};

/// One input, read.
pub(crate) struct Input {
    /// The normalised estate.
    pub(crate) estate: Estate,
    /// What conftest would give a policy as `input` for this path: the JSON document as
    /// it is, or for a directory the HCL-to-JSON form of its `.tf` files merged into one
    /// document. Null when no user policy needs it.
    pub(crate) document: serde_json::Value,
}

/// Reads `path` as a Terraform plan or state JSON file, or as a directory of `.tf` files.
pub(crate) fn read(path: &Path, hcl: &HclOptions, with_document: bool) -> anyhow::Result<Input> {
    let metadata =
        std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    if metadata.is_dir() {
        return read_directory(path, hcl, with_document);
    }
    if path.extension().is_some_and(|extension| extension == "tf") {
        bail!(
            "`{}` is a single .tf file; pass the directory that holds it, so that its \
             variables, providers and modules are read too",
            path.display()
        );
    }

    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let text = terrane_estate::decode_input(path, &bytes)?;
    drop(bytes);
    let estate = terrane_estate::read_json(path, &text)?;
    let document = if with_document {
        // The reader has already proven the text is valid JSON.
        serde_json::from_str(&text).with_context(|| format!("cannot read `{}`", path.display()))?
    } else {
        serde_json::Value::Null
    };
    Ok(Input { estate, document })
}

fn read_directory(dir: &Path, hcl: &HclOptions, with_document: bool) -> anyhow::Result<Input> {
    let estate = terrane_estate::read_hcl_dir(dir, hcl)?;
    let mut document = serde_json::Value::Null;
    if with_document {
        document = serde_json::Value::Object(serde_json::Map::new());
        for file in tf_files(dir)? {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read `{}`", file.display()))?;
            merge(&mut document, terrane_estate::hcl_to_conftest_json(&file, &text)?);
        }
    }
    Ok(Input { estate, document })
}

fn tf_files(dir: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read `{}`", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.with_context(|| format!("cannot read `{}`", dir.display()))?.path();
        if path.extension().is_some_and(|extension| extension == "tf") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Merges the conftest document of one `.tf` file into that of its directory: objects
/// merge key by key (so `resource.aws_s3_bucket` holds the buckets of every file),
/// arrays concatenate, and other values keep the later file's value, as Terraform
/// itself would refuse duplicates anyway.
fn merge(into: &mut serde_json::Value, from: serde_json::Value) {
    match (into, from) {
        (serde_json::Value::Object(into), serde_json::Value::Object(from)) => {
            for (key, value) in from {
                match into.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        into.insert(key, value);
                    }
                }
            }
        }
        (serde_json::Value::Array(into), serde_json::Value::Array(from)) => into.extend(from),
        (into, from) => *into = from,
    }
}

/// Reads a `--data` file: a JSON object whose keys land under `data.terrane`.
pub(crate) fn read_data_file(path: &Path) -> anyhow::Result<serde_json::Value> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let text = terrane_estate::decode_input(path, &bytes)?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|error| {
        anyhow::anyhow!(
            "{}:{}:{}: {}",
            path.display(),
            error.line(),
            error.column(),
            error.to_string().split(" at line").next().unwrap_or_default()
        )
    })?;
    if !value.is_object() {
        bail!("`{}`: external data must be a JSON object", path.display());
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::merge;

    #[test]
    fn merges_resources_of_several_files() {
        let mut document = json!({"resource": {"aws_s3_bucket": {"a": {"bucket": "a"}}}});
        merge(&mut document, json!({"resource": {"aws_s3_bucket": {"b": {"bucket": "b"}}}}));
        merge(&mut document, json!({"locals": [{"x": 1}]}));
        merge(&mut document, json!({"locals": [{"y": 2}]}));

        assert_eq!(
            document,
            json!({
                "resource": {"aws_s3_bucket": {"a": {"bucket": "a"}, "b": {"bucket": "b"}}},
                "locals": [{"x": 1}, {"y": 2}],
            })
        );
    }
}
