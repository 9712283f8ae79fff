//! Feeds arbitrary text to the HCL reader: once as a one-file module directory, once
//! through the conftest-shaped conversion. Any panic is a bug.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use terrane_estate::HclOptions;

fn scratch() -> &'static Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("terrane-fuzz-hcl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
        dir
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let _ = terrane_estate::hcl_to_conftest_json(Path::new("fuzz.tf"), text);
    let dir = scratch();
    if std::fs::write(dir.join("main.tf"), text).is_ok() {
        let _ = terrane_estate::read_hcl_dir(dir, &HclOptions::default());
    }
});
