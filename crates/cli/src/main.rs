//! The `terrane` command: parses arguments, calls the parts, and maps the outcome to an
//! exit code (0 clean, 1 findings at or above the failing severity, 2 error).

mod check;
mod inputs;
mod policy_cmd;
mod regions;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code for a run that could not complete: bad input, a policy that does not
/// compile, an unreadable file.
const EXIT_ERROR: u8 = 2;

/// Terrane keeps data, keys, operations and spending of multi-cloud estates inside the
/// jurisdiction you choose, and proves it.
#[derive(Debug, Parser)]
#[command(name = "terrane", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check Terraform plans, state files and `.tf` directories against the sovereignty
    /// pack and your own policies.
    // Boxed because its options are far larger than those of the other subcommands.
    Check(Box<check::CheckArgs>),
    /// List the regions of AWS, Azure and Google Cloud with their country and jurisdiction.
    Regions(regions::RegionsArgs),
    /// List, show and test policies.
    #[command(subcommand)]
    Policy(policy_cmd::PolicyCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Regions(args) => with_stdout(|out| regions::run(&args, out)).map(|()| 0),
        Command::Policy(command) => policy_cmd::run(&command),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            report_error(&error);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Runs `write` against a locked, buffered stdout and flushes it.
///
/// A reader that closes the pipe early (`terrane check plan.json | head`) has all the output
/// it wants, so a broken pipe is not an error: the exit code still reports the outcome.
fn with_stdout(write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = write(&mut out).and_then(|()| Ok(out.flush()?));
    match written {
        Err(error) if is_broken_pipe(&error) => Ok(()),
        written => written,
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|error| error.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints the whole error chain on stderr, one cause per line.
fn report_error(error: &anyhow::Error) {
    let mut stderr = std::io::stderr().lock();
    // Writing to stderr can only fail when stderr is closed; there is nowhere left to report.
    let _ = writeln!(stderr, "error: {error}");
    for cause in error.chain().skip(1) {
        let _ = writeln!(stderr, "  caused by: {cause}");
    }
}
