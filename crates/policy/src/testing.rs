//! A Rego unit test runner in the manner of `opa test`: every rule named `test_*` in the
//! given files is evaluated on its own, and passes when it is `true`.
//!
//! The pack's helper library (`policies/lib/`, packages `terrane.lib` and
//! `terrane.testing`) and the `terrane.locate` builtin, backed by the built-in catalog,
//! are always available to the tests.

use std::path::PathBuf;

use regorus::Value;

use crate::builtins;
use crate::locate::CatalogHandle;
use crate::{PolicyError, PolicySource, pack, source};

/// The outcome of every test found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TestReport {
    /// The tests, in file order and then name order within a file.
    pub tests: Vec<TestCase>,
}

impl TestReport {
    /// The tests that did not pass.
    pub fn failures(&self) -> impl Iterator<Item = &TestCase> {
        self.tests.iter().filter(|test| !test.passed())
    }

    /// How many tests passed.
    pub fn passed(&self) -> usize {
        self.tests.iter().filter(|test| test.passed()).count()
    }

    /// How many tests did not pass.
    pub fn failed(&self) -> usize {
        self.tests.len() - self.passed()
    }
}

/// One `test_*` rule and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    /// The package of the test (`terrane.pack.aws.keys_test`).
    pub package: String,
    /// The rule name (`test_key_002_denies_default_key`).
    pub name: String,
    /// The file that declares it.
    pub file: PathBuf,
    /// Whether it passed, and why not.
    pub outcome: TestOutcome,
}

impl TestCase {
    /// True when the test evaluated to `true`.
    pub fn passed(&self) -> bool {
        self.outcome == TestOutcome::Passed
    }
}

/// How a test ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestOutcome {
    /// The rule evaluated to `true`.
    Passed,
    /// The rule evaluated to `false`, or to a value that is not `true`.
    Failed {
        /// The value it had, in Rego syntax.
        value: String,
    },
    /// The rule was undefined: some expression of its body did not hold.
    Undefined,
    /// Evaluating the rule raised an error.
    Error {
        /// The evaluator's error, located in its file.
        message: String,
    },
}

/// Runs every `test_*` rule of `sources`, with the pack's helper library loaded.
///
/// # Errors
///
/// [`PolicyError::Compile`] when a file does not compile; the tests then do not run.
///
/// # Examples
///
/// ```
/// use terrane_policy::{PolicySource, run_tests};
///
/// let source = PolicySource::new(
///     "example_test.rego",
///     "package example_test\nimport rego.v1\ntest_truth if { 1 + 1 == 2 }\n",
/// );
/// let report = run_tests(&[source])?;
/// assert_eq!(report.passed(), 1);
/// # Ok::<(), terrane_policy::PolicyError>(())
/// ```
pub fn run_tests(sources: &[PolicySource]) -> Result<TestReport, PolicyError> {
    let mut engine = regorus::Engine::new();
    builtins::register(&mut engine, &CatalogHandle::builtin())?;
    source::add_sources(&mut engine, &pack::library())?;
    let modules = source::add_sources(&mut engine, sources)?;
    source::check(&mut engine)?;

    let mut tests = Vec::new();
    for (module, source) in modules.iter().zip(sources) {
        let names =
            source::declared_rules(&engine, module, &source.text, |name| name.starts_with("test_"));
        for name in names {
            let outcome = run_test(&mut engine, &module.package, &name);
            tests.push(TestCase {
                package: module.package_name(),
                name,
                file: module.path.clone(),
                outcome,
            });
        }
    }
    Ok(TestReport { tests })
}

fn run_test(engine: &mut regorus::Engine, package: &[String], name: &str) -> TestOutcome {
    match engine.eval_rule(source::rule_path(package, name)) {
        Ok(Value::Bool(true)) => TestOutcome::Passed,
        Ok(Value::Undefined) => TestOutcome::Undefined,
        Ok(value) => TestOutcome::Failed { value: value.to_string() },
        Err(error) => TestOutcome::Error {
            message: source::evaluation_error(&format!("{error:#}")).to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_each_outcome() {
        let text = r#"package example_test
import rego.v1
import data.terrane.testing
test_passes if count(testing.estate([{"type": "aws_s3_bucket", "region": "eu-west-1"}]).resources) == 1
test_false := false
test_undefined if input.missing == 1
test_error if 1 / 0 == 1
test_locate_inside if terrane.locate("EU", "aws", "eu-central-1").status == "inside"
helper_not_a_test := true
# test_in_a_comment is not a rule
"#;
        let report = run_tests(&[PolicySource::new("example_test.rego", text)]).expect("compiles");

        let outcomes: Vec<(&str, &TestOutcome)> =
            report.tests.iter().map(|test| (test.name.as_str(), &test.outcome)).collect();
        assert_eq!(outcomes.len(), 5, "{outcomes:?}");
        assert!(outcomes.contains(&("test_passes", &TestOutcome::Passed)));
        assert!(outcomes.contains(&("test_locate_inside", &TestOutcome::Passed)));
        assert!(
            outcomes.contains(&("test_false", &TestOutcome::Failed { value: "false".to_owned() }))
        );
        assert!(outcomes.contains(&("test_undefined", &TestOutcome::Undefined)));
        let error = report.tests.iter().find(|test| test.name == "test_error").expect("found");
        assert!(
            matches!(&error.outcome, TestOutcome::Error { message } if message.starts_with("example_test.rego:7:")),
            "{error:?}"
        );
        assert_eq!((report.passed(), report.failed()), (2, 3));
        assert!(report.tests.iter().all(|test| test.package == "example_test"));
    }

    #[test]
    fn stops_on_files_that_do_not_compile() {
        let source = PolicySource::new(
            "broken_test.rego",
            "package broken_test\nimport rego.v1\ntest_x if {\n",
        );
        let error = run_tests(&[source]).expect_err("does not compile");
        assert!(
            matches!(error, PolicyError::Compile { ref path, .. } if path == &PathBuf::from("broken_test.rego")),
            "{error}"
        );
    }
}
