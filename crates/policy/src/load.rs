//! Reading user policy directories from disk. This is the crate's only file system
//! access, kept apart so that evaluation itself stays free of I/O: callers read sources
//! here, or build [`PolicySource`]s themselves, and hand them to the engine.

use std::fs;
use std::path::{Path, PathBuf};

use crate::{PolicyError, PolicySource};

/// Reads every `.rego` file below `dir`, recursively, in path order. Hidden files and
/// directories (names starting with `.`) are skipped. A path to a single `.rego` file
/// yields that file.
///
/// # Errors
///
/// [`PolicyError::Io`] when a directory or file cannot be read or a file is not UTF-8.
///
/// # Examples
///
/// ```no_run
/// let sources = terrane_policy::load_policy_dir(std::path::Path::new("policy"))?;
/// # Ok::<(), terrane_policy::PolicyError>(())
/// ```
pub fn load_policy_dir(dir: &Path) -> Result<Vec<PolicySource>, PolicyError> {
    let mut paths = Vec::new();
    if dir.is_file() {
        paths.push(dir.to_owned());
    } else {
        collect(dir, &mut paths)?;
    }
    paths.sort();

    paths
        .into_iter()
        .map(|path| match fs::read_to_string(&path) {
            Ok(text) => Ok(PolicySource { path, text }),
            Err(source) => Err(PolicyError::Io { path, source }),
        })
        .collect()
}

fn collect(dir: &Path, paths: &mut Vec<PathBuf>) -> Result<(), PolicyError> {
    let io_error = |source| PolicyError::Io { path: dir.to_owned(), source };
    for entry in fs::read_dir(dir).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        let hidden = path.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect(&path, paths)?;
        } else if path.extension().is_some_and(|extension| extension == "rego") {
            paths.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rego_files_recursively_in_path_order() {
        let dir = tempfile::tempdir().expect("temporary directory");
        fs::create_dir_all(dir.path().join("b/c")).expect("nested directory");
        fs::create_dir_all(dir.path().join(".git")).expect("hidden directory");
        fs::write(dir.path().join("b/c/z.rego"), "package z").expect("write");
        fs::write(dir.path().join("a.rego"), "package a").expect("write");
        fs::write(dir.path().join("notes.md"), "not rego").expect("write");
        fs::write(dir.path().join(".git/x.rego"), "package hidden").expect("write");

        let sources = load_policy_dir(dir.path()).expect("readable directory");

        let texts: Vec<&str> = sources.iter().map(|source| source.text.as_str()).collect();
        assert_eq!(texts, ["package a", "package z"]);
    }

    #[test]
    fn names_the_directory_that_cannot_be_read() {
        let error = load_policy_dir(Path::new("/nonexistent/policies")).expect_err("missing dir");
        assert_eq!(error.to_string(), "cannot read `/nonexistent/policies`");
    }
}
