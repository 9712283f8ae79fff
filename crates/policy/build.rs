//! Embeds the built-in pack: every `.rego` file under the repository's `policies/`
//! directory, except unit tests (`*_test.rego`), becomes an entry of a generated table of
//! `(path, contents)` pairs that `src/pack.rs` includes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs, io};

fn main() -> io::Result<()> {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let policies = manifest_dir.join("../../policies");
    println!("cargo:rerun-if-changed={}", policies.display());

    let mut files = Vec::new();
    collect(&policies, &mut files)?;
    files.sort();

    let mut table = String::from("&[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = file.strip_prefix(&policies).map_err(io::Error::other)?;
        let relative = relative.components().map(|c| c.as_os_str().to_string_lossy()).fold(
            String::from("policies"),
            |mut path, component| {
                path.push('/');
                path.push_str(&component);
                path
            },
        );
        let absolute = fs::canonicalize(file)?;
        writeln!(table, "    ({relative:?}, include_str!({:?})),", absolute.display())
            .map_err(io::Error::other)?;
    }
    table.push(']');

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    fs::write(out_dir.join("pack_files.rs"), table)
}

/// Gathers the pack's `.rego` files below `dir`, skipping unit tests and hidden entries.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(&path, files)?;
        } else if name.ends_with(".rego") && !name.ends_with("_test.rego") {
            files.push(path);
        }
    }
    Ok(())
}
