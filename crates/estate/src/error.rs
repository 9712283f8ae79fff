//! Errors of the readers. Every variant names the file, and the line and column where
//! the input says so.

use std::path::PathBuf;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file or directory could not be opened or read.
    #[error("cannot read `{path}`")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The input is not well-formed JSON or HCL, or a JSON field has the wrong type
    /// (`resources` an object instead of a list), which has a position too.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What is wrong, lowercase, one clause.
        message: String,
    },
    /// The input is well-formed but not something Terrane can read: an empty file, an
    /// unsupported format version, a binary plan, a directory without `.tf` files.
    #[error("`{}`: {message}", path.display())]
    Invalid {
        /// The file or directory.
        path: PathBuf,
        /// What is wrong and, where there is one, how to fix it.
        message: String,
    },
}
