//! End-to-end tests of the `terrane` binary. Every test runs the built command from the
//! repository root with relative paths, so that reports and snapshots hold no paths of the
//! machine they ran on.

mod check;
mod formats;
mod policy;
mod regions;
mod suppressions;
mod user_policies;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The AWS example of the user guide: findings of every severity and one inline suppression.
const AWS_EXAMPLE: &str = "examples/terraform/aws";
/// A key in Frankfurt with the mandatory tags: no finding at all.
const CLEAN: &str = "crates/cli/tests/fixtures/terraform/clean";
/// A key in Frankfurt without tags: a single medium finding, `TRN-ALL-GOV-001`.
const UNTAGGED: &str = "crates/cli/tests/fixtures/terraform/untagged";
/// A plan of S3 buckets, KMS keys and volumes in several regions.
const AWS_PLAN: &str = "crates/estate/tests/fixtures/json/aws_plan.json";

/// What one run of `terrane` produced.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The report on stdout, parsed as JSON.
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("stdout is not JSON ({error}):\n{}", self.stdout))
    }

    /// Asserts the exit code, showing the output when it differs.
    fn assert_code(&self, expected: i32, args: &[&str]) {
        assert_eq!(
            self.code,
            expected,
            "`{}` exited with {}\nstdout:\n{}\nstderr:\n{}",
            command_line(args),
            self.code,
            self.stdout,
            self.stderr
        );
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().expect("terrane exits rather than dying of a signal"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }
}

/// Runs `terrane` with `args` from the repository root.
fn terrane(args: &[&str]) -> Run {
    command(args).output().expect("the terrane binary starts").into()
}

/// The `terrane` command with `args`, to be run from the repository root.
fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_terrane"));
    command.args(args).current_dir(repository_root());
    command
}

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The command as a user would type it, for snapshot descriptions and failure messages.
fn command_line(args: &[&str]) -> String {
    format!("terrane {}", args.join(" "))
}

/// The findings of a JSON report.
fn findings(report: &Value) -> &[Value] {
    report["findings"].as_array().map_or(&[], Vec::as_slice)
}

/// `path` as a string argument; temporary directories have UTF-8 paths on the test hosts.
fn argument(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}
