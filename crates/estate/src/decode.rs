//! Turns the bytes of an input file into text before any reader sees it.
//!
//! Terraform writes UTF-8, but a plan redirected to a file by PowerShell
//! (`terraform show -json tfplan > plan.json`) is UTF-16 with a byte order mark, and
//! editors on Windows like to add a UTF-8 one. Both are accepted here, so that the readers
//! only ever see clean UTF-8 text. Binary inputs, above all the binary plan file that
//! `terraform plan -out` writes (a zip archive), are refused with a message that says how
//! to get the JSON form.

use std::path::Path;

use crate::ReadError;

/// The first bytes of a zip archive, which is what `terraform plan -out` writes.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16_LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16_BE_BOM: &[u8] = b"\xFE\xFF";

/// Why an input with nothing but whitespace is refused.
pub(crate) const EMPTY_INPUT: &str = "empty file, expected terraform plan or state json";

/// Decodes the bytes of a plan or state file into text.
///
/// UTF-8 is read with or without a byte order mark; UTF-16 little- and big-endian are read
/// when they start with a byte order mark. The mark is not part of the returned text.
///
/// # Errors
///
/// [`ReadError::Invalid`] when the input is empty or only whitespace, when it is a binary
/// Terraform plan (a zip archive; the message says to run
/// `terraform show -json tfplan > plan.json`), or when it is not text in one of the
/// encodings above.
///
/// # Panics
///
/// Never.
///
/// # Examples
///
/// ```
/// use std::path::Path;
///
/// let text = terrane_estate::decode_input(Path::new("plan.json"), b"\xEF\xBB\xBF{}").unwrap();
/// assert_eq!(text, "{}");
/// assert!(terrane_estate::decode_input(Path::new("tfplan"), b"PK\x03\x04rest").is_err());
/// ```
pub fn decode_input(path: &Path, bytes: &[u8]) -> Result<String, ReadError> {
    if bytes.starts_with(ZIP_MAGIC) {
        return Err(invalid(
            path,
            "binary terraform plan, convert it with `terraform show -json tfplan > plan.json`",
        ));
    }

    let text = if let Some(rest) = bytes.strip_prefix(UTF16_LE_BOM) {
        decode_utf16(path, rest, u16::from_le_bytes)?
    } else if let Some(rest) = bytes.strip_prefix(UTF16_BE_BOM) {
        decode_utf16(path, rest, u16::from_be_bytes)?
    } else {
        let rest = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
        match std::str::from_utf8(rest) {
            Ok(text) => text.to_owned(),
            Err(_) => return Err(not_text(path)),
        }
    };

    if text.contains('\0') {
        return Err(not_text(path));
    }
    if text.trim().is_empty() {
        return Err(invalid(path, EMPTY_INPUT));
    }
    Ok(text)
}

fn decode_utf16(
    path: &Path,
    bytes: &[u8],
    to_unit: fn([u8; 2]) -> u16,
) -> Result<String, ReadError> {
    let (pairs, remainder) = bytes.as_chunks::<2>();
    if !remainder.is_empty() {
        return Err(invalid(path, "truncated utf-16 text with an odd number of bytes"));
    }

    char::decode_utf16(pairs.iter().map(|pair| to_unit(*pair)))
        .collect::<Result<String, _>>()
        .map_err(|_| invalid(path, "invalid utf-16 text with an unpaired surrogate"))
}

fn not_text(path: &Path) -> ReadError {
    invalid(path, "binary file, expected terraform plan or state json")
}

fn invalid(path: &Path, message: &str) -> ReadError {
    ReadError::Invalid { path: path.to_path_buf(), message: message.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<String, String> {
        decode_input(Path::new("in.json"), bytes).map_err(|error| error.to_string())
    }

    fn utf16(text: &str, to_bytes: fn(u16) -> [u8; 2], bom: &[u8]) -> Vec<u8> {
        let mut bytes = bom.to_vec();
        bytes.extend(text.encode_utf16().flat_map(to_bytes));
        bytes
    }

    #[test]
    fn decodes_each_supported_encoding() {
        let text = "{\"a\": \"é€𝄞\"}";
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("utf-8", text.as_bytes().to_vec()),
            ("utf-8 with bom", [UTF8_BOM, text.as_bytes()].concat()),
            ("utf-16 le", utf16(text, u16::to_le_bytes, UTF16_LE_BOM)),
            ("utf-16 be", utf16(text, u16::to_be_bytes, UTF16_BE_BOM)),
        ];
        for (name, bytes) in cases {
            assert_eq!(decode(&bytes).as_deref(), Ok(text), "{name}");
        }
    }

    #[test]
    fn refuses_inputs_that_are_not_json_text() {
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("empty", vec![], "`in.json`: empty file, expected terraform plan or state json"),
            (
                "whitespace",
                b" \n\t\r\n".to_vec(),
                "`in.json`: empty file, expected terraform plan or state json",
            ),
            (
                "utf-16 whitespace",
                utf16("  \n", u16::to_le_bytes, UTF16_LE_BOM),
                "`in.json`: empty file, expected terraform plan or state json",
            ),
            (
                "zip",
                b"PK\x03\x04\x14\x00\x08\x00".to_vec(),
                "`in.json`: binary terraform plan, convert it with \
                 `terraform show -json tfplan > plan.json`",
            ),
            (
                "invalid utf-8",
                b"{\"a\": \"\xC3\x28\"}".to_vec(),
                "`in.json`: binary file, expected terraform plan or state json",
            ),
            (
                "nul byte",
                b"{\x00}".to_vec(),
                "`in.json`: binary file, expected terraform plan or state json",
            ),
            (
                "odd utf-16",
                [UTF16_LE_BOM, b"{\x00}"].concat(),
                "`in.json`: truncated utf-16 text with an odd number of bytes",
            ),
            (
                "lone surrogate",
                [UTF16_LE_BOM, b"\x00\xD8{\x00"].concat(),
                "`in.json`: invalid utf-16 text with an unpaired surrogate",
            ),
        ];
        for (name, bytes, expected) in cases {
            assert_eq!(decode(&bytes), Err(expected.to_owned()), "{name}");
        }
    }
}
