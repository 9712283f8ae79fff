//! Policy sources and how they are compiled into a regorus engine: Rego v1 first, then
//! v0 for files written for older OPA and conftest releases, and the translation of the
//! compiler's error text into [`PolicyError`]s with a file, line and column.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use regorus::Value;

use crate::PolicyError;

/// One Rego file: where it came from and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySource {
    /// The path shown in errors and findings; for the built-in pack, relative to the
    /// repository (`policies/aws/keys.rego`).
    pub path: PathBuf,
    /// The Rego text.
    pub text: String,
}

impl PolicySource {
    /// A source from a path and its text.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> PolicySource {
        PolicySource { path: path.into(), text: text.into() }
    }

    /// True for unit test files (`*_test.rego`), which `opa test` and conftest load only
    /// when testing.
    pub fn is_test(&self) -> bool {
        self.path.file_name().is_some_and(|name| name.to_string_lossy().ends_with("_test.rego"))
    }

    /// The path as regorus labels the module, with `/` separators whatever the platform.
    pub(crate) fn label(&self) -> String {
        self.path.to_string_lossy().replace('\\', "/")
    }
}

/// A module loaded into an engine: its label and its package path components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LoadedModule {
    /// The source the module came from.
    pub(crate) path: PathBuf,
    /// The label regorus knows it by.
    pub(crate) label: String,
    /// The package, without the `data` root (`["terrane", "pack", "aws", "keys"]`).
    pub(crate) package: Vec<String>,
}

impl LoadedModule {
    /// The package as written in Rego (`terrane.pack.aws.keys`).
    pub(crate) fn package_name(&self) -> String {
        self.package.join(".")
    }
}

/// Adds `sources` to `engine`, each parsed as Rego v1 when it can be and as v0
/// otherwise, and returns what was loaded, in order.
pub(crate) fn add_sources(
    engine: &mut regorus::Engine,
    sources: &[PolicySource],
) -> Result<Vec<LoadedModule>, PolicyError> {
    let mut loaded = Vec::with_capacity(sources.len());
    for source in sources {
        add_source(engine, source)?;
        loaded.push(LoadedModule {
            path: source.path.clone(),
            label: source.label(),
            package: Vec::new(),
        });
    }

    let packages =
        engine.get_policy_package_components().map_err(|error| PolicyError::Compile {
            path: PathBuf::from("<policies>"),
            line: 0,
            column: 0,
            message: one_line(&error.to_string()),
        })?;
    // Invariant: regorus lists one package per module in insertion order, and the modules
    // loaded here are the last ones added.
    let offset = packages.len().saturating_sub(loaded.len());
    for (module, package) in loaded.iter_mut().zip(packages.into_iter().skip(offset)) {
        module.package = package.components;
    }
    Ok(loaded)
}

/// Prepares `engine` for evaluation, which is when regorus checks references, rule
/// conflicts and unsafe variables across all loaded modules.
pub(crate) fn check(engine: &mut regorus::Engine) -> Result<(), PolicyError> {
    engine
        .eval_query("true".to_owned(), false)
        .map(drop)
        .map_err(|error| compile_error(Path::new("<policies>"), &error.to_string()))
}

/// The names of the rules declared at the top of `module` that satisfy `wanted`
/// (`test_*`, `deny_*`), in name order.
pub(crate) fn declared_rules(
    engine: &regorus::Engine,
    module: &LoadedModule,
    text: &str,
    wanted: impl Fn(&str) -> bool,
) -> Vec<String> {
    // Candidates come from the text and are confirmed against the parsed module, so that
    // names in comments, strings or rule bodies do not count.
    let candidates: BTreeSet<&str> = identifiers(text).filter(|name| wanted(name)).collect();
    candidates
        .into_iter()
        .filter(|name| engine.has_declared_rule_rooted_at(&module.label, name).unwrap_or(false))
        .map(str::to_owned)
        .collect()
}

/// The path of a rule of `package` as a Rego reference (`data.terrane.pack.aws.keys.deny`).
pub(crate) fn rule_path(package: &[String], rule: &str) -> String {
    let mut path = String::from("data");
    for component in package.iter().map(String::as_str).chain([rule]) {
        let plain = component.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && component.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if plain {
            path.push('.');
            path.push_str(component);
        } else {
            path.push_str(&format!("[{component:?}]"));
        }
    }
    path
}

/// The value of the document at `path` (a rule, or a prefix of rules with reference
/// heads such as `rules["TRN-AWS-KEY-001"]`); undefined when it has none.
pub(crate) fn query_value(
    engine: &mut regorus::Engine,
    path: String,
) -> Result<Value, PolicyError> {
    let results =
        engine.eval_query(path, false).map_err(|error| evaluation_error(&format!("{error:#}")))?;
    Ok(results
        .result
        .into_iter()
        .next()
        .and_then(|result| result.expressions.into_iter().next())
        .map_or(Value::Undefined, |expression| expression.value))
}

/// A compile error from regorus's text, located at the position it names, or at `path`
/// when it names none.
pub(crate) fn compile_error(path: &Path, text: &str) -> PolicyError {
    let located = Located::parse(text);
    PolicyError::Compile {
        path: located.path.unwrap_or_else(|| path.to_owned()),
        line: located.line,
        column: located.column,
        message: located.message,
    }
}

/// An evaluation error from regorus's text, located where it names.
pub(crate) fn evaluation_error(text: &str) -> PolicyError {
    let located = Located::parse(text);
    PolicyError::Evaluation {
        path: located.path.unwrap_or_else(|| PathBuf::from("<query>")),
        line: located.line,
        column: located.column,
        message: located.message,
    }
}

/// Collapses a multi-line message into one line.
pub(crate) fn one_line(text: &str) -> String {
    text.lines().map(str::trim).filter(|line| !line.is_empty()).collect::<Vec<_>>().join("; ")
}

fn add_source(engine: &mut regorus::Engine, source: &PolicySource) -> Result<(), PolicyError> {
    let label = source.label();

    engine.set_rego_v0(false);
    let v1 = engine.add_policy(label.clone(), source.text.clone());
    let Err(v1_error) = v1 else {
        return Ok(());
    };
    // Only a file that reads as v0 is retried as v0: the v0 parser prints keyword warnings
    // on stderr, and a v1 file's own error is the one worth reporting.
    if !looks_like_v0(&source.text) {
        return Err(compile_error(&source.path, &v1_error.to_string()));
    }

    engine.set_rego_v0(true);
    let v0 = engine.add_policy(label, source.text.clone());
    engine.set_rego_v0(false);
    let Err(v0_error) = v0 else {
        return Ok(());
    };

    Err(compile_error(&source.path, &v0_error.to_string()))
}

/// True when the text uses v0 idioms: `future.keywords` imports, or rule bodies without
/// `if`.
fn looks_like_v0(text: &str) -> bool {
    let has_future_import =
        text.lines().any(|line| line.trim_start().starts_with("import future."));
    let has_v1_import = text.lines().any(|line| line.trim() == "import rego.v1");
    let uses_if = identifiers(text).any(|word| word == "if");
    has_future_import || (!has_v1_import && !uses_if)
}

/// The identifier-like words of `text`, outside comments.
fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.lines().flat_map(|line| {
        let code = line.split('#').next().unwrap_or_default();
        code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|word| word.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_'))
    })
}

/// The parts of a regorus error: `--> path:line:col` followed by the source excerpt and
/// `error: message`.
struct Located {
    path: Option<PathBuf>,
    line: u32,
    column: u32,
    message: String,
}

impl Located {
    fn parse(text: &str) -> Located {
        let location = text.lines().find_map(|line| line.trim_start().strip_prefix("--> "));
        let (path, line, column) = location.and_then(split_location).unwrap_or((None, 0, 0));
        let message = text
            .lines()
            .rev()
            .find_map(|line| line.trim_start().strip_prefix("error: "))
            .map(|message| message.trim_end().trim_end_matches('.').to_owned())
            .unwrap_or_else(|| one_line(text));
        Located { path, line, column, message }
    }
}

/// Splits `path:line:col`, where the path itself may hold colons.
fn split_location(location: &str) -> Option<(Option<PathBuf>, u32, u32)> {
    let mut parts = location.trim().rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let path = parts.next().filter(|path| !path.is_empty()).map(PathBuf::from);
    Some((path, line, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_regorus_errors() {
        let text = "\n--> policies/a:b.rego:12:7\n   |\n12 | deny if {\n   |       ^\nerror: unexpected token";
        let PolicyError::Compile { path, line, column, message } =
            compile_error(Path::new("fallback.rego"), text)
        else {
            panic!("compile_error returns Compile");
        };
        assert_eq!((path, line, column), (PathBuf::from("policies/a:b.rego"), 12, 7));
        assert_eq!(message, "unexpected token");
    }

    #[test]
    fn keeps_unlocated_errors_on_the_given_file_in_one_line() {
        let error = compile_error(Path::new("p.rego"), "rego_parse_error\nsecond line");
        assert_eq!(error.to_string(), "p.rego:0:0: rego_parse_error; second line");
    }

    #[test]
    fn tells_v0_files_from_v1_files() {
        let check =
            |text: &str, expected: bool| assert_eq!(looks_like_v0(text), expected, "{text}");
        check("package p\ndeny[msg] { msg := \"x\" }", true);
        check("package p\nimport future.keywords.if\ndeny[msg] if { msg := \"x\" }", true);
        check("package p\nimport rego.v1\nallow := true", false);
        check("package p\ndeny contains msg if { msg := \"x\" }", false);
        check("package p\n# if in a comment\ndeny[msg] { msg := \"x\" }", true);
    }

    #[test]
    fn writes_rule_paths_with_brackets_where_needed() {
        let package = ["terrane".to_owned(), "pack-x".to_owned()];
        assert_eq!(rule_path(&package, "deny"), "data.terrane[\"pack-x\"].deny");
    }
}
