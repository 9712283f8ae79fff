//! `terrane policy`: list and show the rules of the built-in pack, run Rego unit tests,
//! and generate the rule reference.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use terrane_policy::{PackRule, PolicySource, RuleMeta, TestOutcome};

/// The subcommands of `terrane policy`.
#[derive(Debug, Subcommand)]
pub(crate) enum PolicyCommand {
    /// List the rules of the built-in sovereignty pack.
    List(ListArgs),
    /// Show everything about one rule.
    Show {
        /// The rule id, such as TRN-AWS-KEY-002.
        id: String,
    },
    /// Run the `test_` rules of Rego files, like `opa test`.
    Test(TestArgs),
    /// Write the rule reference (Markdown) generated from the rules' metadata.
    Docs(DocsArgs),
}

/// Arguments of `terrane policy list`.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Only rules of this cloud: aws, azure, google or all (cross-cloud rules).
    #[arg(long)]
    cloud: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    Table,
    Json,
}

/// Arguments of `terrane policy test`.
#[derive(Debug, Args)]
pub(crate) struct TestArgs {
    /// Directories (searched recursively) or files of Rego policies and their tests.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// List every test, not only the failing ones.
    #[arg(long, short = 'v')]
    verbose: bool,
}

/// Arguments of `terrane policy docs`.
#[derive(Debug, Args)]
pub(crate) struct DocsArgs {
    /// Write the reference to FILE instead of standard output.
    #[arg(long, value_name = "FILE", conflicts_with = "check")]
    output: Option<PathBuf>,
    /// Fail when FILE differs from the generated reference.
    #[arg(long, value_name = "FILE")]
    check: Option<PathBuf>,
}

/// Runs a `terrane policy` subcommand and returns its exit code.
pub(crate) fn run(command: &PolicyCommand) -> anyhow::Result<u8> {
    match command {
        PolicyCommand::List(args) => list(args),
        PolicyCommand::Show { id } => show(id),
        PolicyCommand::Test(args) => test(args),
        PolicyCommand::Docs(args) => docs(args),
    }
}

fn pack_rules() -> anyhow::Result<Vec<PackRule>> {
    let rule_files: Vec<PolicySource> = terrane_policy::builtin_pack()
        .into_iter()
        .filter(|source| !is_library(&source.path))
        .collect();
    let mut rules = terrane_policy::read_pack_rules(&rule_files)?;
    rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    Ok(rules)
}

fn is_library(path: &Path) -> bool {
    path.starts_with("policies/lib")
}

fn cloud_of(id: &str) -> &str {
    match id.split('-').nth(1) {
        Some("AWS") => "aws",
        Some("AZ") => "azure",
        Some("GCP") => "google",
        _ => "all",
    }
}

fn list(args: &ListArgs) -> anyhow::Result<u8> {
    let rules: Vec<PackRule> = pack_rules()?
        .into_iter()
        .filter(|rule| args.cloud.as_deref().is_none_or(|cloud| cloud_of(&rule.meta.id) == cloud))
        .collect();
    let text = match args.format {
        ListFormat::Json => {
            let rules: Vec<_> = rules.iter().map(|rule| rule_json(&rule.meta)).collect();
            serde_json::to_string_pretty(&rules)? + "\n"
        }
        ListFormat::Table => {
            let mut text = String::new();
            for rule in &rules {
                let meta = &rule.meta;
                writeln!(text, "{:<18} {:<8} {}", meta.id, meta.severity, meta.title)?;
            }
            writeln!(text, "{} rules", rules.len())?;
            text
        }
    };
    crate::with_stdout(|out| Ok(out.write_all(text.as_bytes())?))?;
    Ok(0)
}

fn rule_json(meta: &RuleMeta) -> serde_json::Value {
    serde_json::json!({
        "id": meta.id,
        "title": meta.title,
        "severity": meta.severity.as_str(),
        "description": meta.description,
        "remediation": meta.remediation,
        "resource_types": meta.resource_types,
        "controls": meta.controls,
        "modes": meta.modes,
    })
}

fn show(id: &str) -> anyhow::Result<u8> {
    let rules = pack_rules()?;
    let Some(rule) = rules.iter().find(|rule| rule.meta.id.eq_ignore_ascii_case(id)) else {
        bail!("unknown rule `{id}` (see `terrane policy list`)");
    };
    let meta = &rule.meta;
    let mut text = String::new();
    writeln!(text, "{} — {}", meta.id, meta.title)?;
    writeln!(text, "severity:       {}", meta.severity)?;
    writeln!(text, "resource types: {}", meta.resource_types.join(", "))?;
    writeln!(text, "decidable from: {}", meta.modes.join(", "))?;
    writeln!(text, "controls:       {}", meta.controls.join(", "))?;
    writeln!(text, "defined in:     {} ({})", rule.path.display(), rule.package)?;
    writeln!(text, "\n{}\n\nremediation: {}", meta.description, meta.remediation)?;
    crate::with_stdout(|out| Ok(out.write_all(text.as_bytes())?))?;
    Ok(0)
}

fn test(args: &TestArgs) -> anyhow::Result<u8> {
    let library: Vec<String> = terrane_policy::builtin_pack()
        .into_iter()
        .filter(|source| is_library(&source.path))
        .map(|source| source.text)
        .collect();
    let mut sources = Vec::new();
    for path in &args.paths {
        sources.extend(read_sources(path)?);
    }
    // The pack's helper library is always loaded; a copy of it in a scanned directory
    // (as when testing `policies/` itself) would define every helper twice.
    sources.retain(|source| !library.contains(&source.text));
    if sources.is_empty() {
        bail!("no .rego files in {}", display_paths(&args.paths));
    }

    let report = terrane_policy::run_tests(&sources)?;
    let mut text = String::new();
    for case in &report.tests {
        let line = format!("{}: {}.{}", case.file.display(), case.package, case.name);
        match &case.outcome {
            TestOutcome::Passed if args.verbose => writeln!(text, "PASS {line}")?,
            TestOutcome::Passed => {}
            TestOutcome::Failed { value } => writeln!(text, "FAIL {line} (was {value})")?,
            TestOutcome::Undefined => writeln!(text, "FAIL {line} (undefined)")?,
            TestOutcome::Error { message } => writeln!(text, "ERROR {line}: {message}")?,
        }
    }
    writeln!(text, "{} passed, {} failed", report.passed(), report.failed())?;
    crate::with_stdout(|out| Ok(out.write_all(text.as_bytes())?))?;
    Ok(u8::from(report.failed() > 0))
}

fn read_sources(path: &Path) -> anyhow::Result<Vec<PolicySource>> {
    if path.is_dir() {
        return Ok(terrane_policy::load_policy_dir(path)?);
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    Ok(vec![PolicySource::new(path, text)])
}

fn display_paths(paths: &[PathBuf]) -> String {
    let quoted: Vec<String> = paths.iter().map(|p| format!("`{}`", p.display())).collect();
    quoted.join(", ")
}

fn docs(args: &DocsArgs) -> anyhow::Result<u8> {
    let reference = render_reference(&pack_rules()?)?;
    if let Some(path) = &args.check {
        let current = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        if current != reference {
            bail!(
                "`{}` is out of date; run `terrane policy docs --output {}`",
                path.display(),
                path.display()
            );
        }
        return Ok(0);
    }
    match &args.output {
        Some(path) => std::fs::write(path, reference)
            .with_context(|| format!("cannot write `{}`", path.display()))?,
        None => crate::with_stdout(|out| Ok(out.write_all(reference.as_bytes())?))?,
    }
    Ok(0)
}

/// The rule reference: a summary table, then one section per rule, grouped by cloud.
fn render_reference(rules: &[PackRule]) -> anyhow::Result<String> {
    let mut text = String::from(
        "# Rule reference\n\n\
         Generated from the metadata of the built-in pack by `terrane policy docs`; do not \
         edit by hand.\n\n",
    );
    writeln!(text, "The pack has {} rules.\n", rules.len())?;
    for (cloud, heading) in
        [("aws", "AWS"), ("azure", "Azure"), ("google", "Google Cloud"), ("all", "All clouds")]
    {
        let group: Vec<&PackRule> =
            rules.iter().filter(|rule| cloud_of(&rule.meta.id) == cloud).collect();
        if group.is_empty() {
            continue;
        }
        writeln!(text, "## {heading}\n")?;
        writeln!(text, "| id | severity | title |\n| --- | --- | --- |")?;
        for rule in &group {
            let meta = &rule.meta;
            let anchor = meta.id.to_lowercase();
            writeln!(text, "| [{}](#{anchor}) | {} | {} |", meta.id, meta.severity, meta.title)?;
        }
        text.push('\n');
        for rule in &group {
            render_rule(&mut text, &rule.meta)?;
        }
    }
    Ok(text)
}

fn render_rule(text: &mut String, meta: &RuleMeta) -> anyhow::Result<()> {
    writeln!(text, "### {}\n", meta.id)?;
    writeln!(text, "**{}** — severity `{}`\n", meta.title, meta.severity)?;
    writeln!(text, "{}\n", meta.description)?;
    writeln!(text, "- Remediation: {}", meta.remediation)?;
    let types: Vec<String> = meta.resource_types.iter().map(|t| format!("`{t}`")).collect();
    writeln!(text, "- Resource types: {}", types.join(", "))?;
    let controls: Vec<String> = meta.controls.iter().map(|c| format!("`{c}`")).collect();
    writeln!(text, "- Controls: {}", controls.join(", "))?;
    writeln!(text, "- Decidable from: {}\n", meta.modes.join(", "))?;
    Ok(())
}
