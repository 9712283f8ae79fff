//! Reads one JSON file and parses it into a `serde_json::Value`, nothing more: the floor
//! that `terrane check` is measured against in `bench/check`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: bare-parse FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("error: cannot read `{}`: {error}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(value) => {
            // Touch the result so the parse cannot be optimised away.
            eprintln!("parsed {} top-level keys", value.as_object().map_or(0, |o| o.len()));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: `{}` is not JSON: {error}", path.to_string_lossy());
            ExitCode::from(2)
        }
    }
}
