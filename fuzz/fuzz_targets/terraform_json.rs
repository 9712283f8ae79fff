//! Feeds arbitrary bytes to the plan and state readers, through the same decoding step
//! as `terrane check`. Any panic is a bug: bad input must become a `ReadError`.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("fuzz.json");
    if let Ok(text) = terrane_estate::decode_input(path, bytes) {
        let _ = terrane_estate::read_json(path, &text);
        let _ = terrane_estate::read_plan(path, &text);
        let _ = terrane_estate::read_state(path, &text);
    }
});
