//! `terrane check`: reads each input, evaluates the pack and the user's policies, applies
//! suppressions, renders the report and turns it into an exit code.

use std::io::{IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use terrane_catalog::Catalog;
use terrane_estate::{Estate, HclOptions};
use terrane_policy::{
    Baseline, CatalogHandle, Date, Evaluator, Format, Namespaces, PolicySource, Report,
    ReportInput, Severity, TextStyle,
};

use crate::inputs::{self, Input};

/// Arguments of `terrane check`.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Plan or state JSON files (`terraform show -json`, `terraform.tfstate`) and
    /// directories of `.tf` files.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// The jurisdiction everything must stay in: EU, EEA, EEA+ADEQUATE, UK, CH, US, an ISO
    /// country code, or one defined with --jurisdictions.
    #[arg(long, short = 'j', default_value = "EU", value_name = "ID")]
    jurisdiction: String,

    /// A TOML file of additional jurisdictions.
    #[arg(long, value_name = "FILE")]
    jurisdictions: Option<PathBuf>,

    /// A directory of your own Rego policies (repeatable).
    #[arg(long = "policy", short = 'p', value_name = "DIR")]
    policies: Vec<PathBuf>,

    /// A package of your policies to evaluate (repeatable; default `main`).
    #[arg(long = "namespace", value_name = "NS", conflicts_with = "all_namespaces")]
    namespaces: Vec<String>,

    /// Evaluate every package of your policies.
    #[arg(long)]
    all_namespaces: bool,

    /// Leave the built-in sovereignty pack out and evaluate only --policy directories.
    /// Parts of the input that could not be evaluated are still reported.
    #[arg(long, requires = "policies")]
    no_pack: bool,

    /// A JSON file of external facts, visible to policies under `data.terrane`
    /// (repeatable; objects are merged in order).
    #[arg(long = "data", value_name = "FILE")]
    data: Vec<PathBuf>,

    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,

    /// The lowest severity that makes the run fail with exit code 1.
    #[arg(long, value_enum, default_value_t = SeverityArg::High, value_name = "SEVERITY")]
    fail_on: SeverityArg,

    /// Suppress the findings listed in this baseline file; only new ones fail.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// Write every finding of this run to a baseline file.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,

    /// Set a Terraform variable for `.tf` directories: NAME=VALUE (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    vars: Vec<(String, String)>,

    /// A `.tfvars` or `.tfvars.json` file for `.tf` directories (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,

    /// When to colour text output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,

    /// The date waiver expiries are compared with (YYYY-MM-DD); today by default.
    #[arg(long, hide = true, value_name = "DATE")]
    today: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Sarif,
    Junit,
    Markdown,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Runs the check and returns the exit code: 0 clean, 1 failing findings.
pub(crate) fn run(args: &CheckArgs) -> anyhow::Result<u8> {
    let catalog = load_catalog(args.jurisdictions.as_deref())?;
    // The report names the jurisdiction by its id, as the pack's messages do, whatever
    // alias or case the user typed.
    let Some(jurisdiction_id) = catalog.jurisdiction(&args.jurisdiction).map(|j| j.id.clone())
    else {
        bail!(
            "unknown jurisdiction `{}` (see `terrane regions --help`; define more with --jurisdictions)",
            args.jurisdiction
        );
    };
    let evaluator = build_evaluator(args, catalog)?;
    let today = match &args.today {
        Some(text) => text.parse::<Date>().with_context(|| format!("invalid --today `{text}`"))?,
        None => today(),
    };
    let baseline = args.baseline.as_deref().map(read_baseline).transpose()?;

    let estates = read_and_evaluate(args, &evaluator)?;
    let mut findings = estates.iter().flat_map(|(_, findings)| findings.clone()).collect();
    let estates: Vec<Estate> = estates.into_iter().map(|(estate, _)| estate).collect();
    let problems =
        terrane_policy::apply_suppressions(&mut findings, &estates, today, baseline.as_ref());

    let mut rules: Vec<_> = evaluator.rules().values().cloned().collect();
    rules.extend(terrane_policy::waiver_rules());
    let report = Report {
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        jurisdiction: jurisdiction_id,
        inputs: estates.iter().map(ReportInput::from_estate).collect(),
        rules,
        findings,
        fail_on: args.fail_on.into(),
    };

    let mut stderr = std::io::stderr().lock();
    for problem in &problems {
        writeln!(stderr, "warning: {problem}")?;
    }
    if let Some(path) = &args.write_baseline {
        let text = Baseline::from_findings(&report.findings);
        write_file(path, text.as_bytes())?;
    }
    write_report(args, &report)?;
    Ok(report.exit_status().code())
}

fn load_catalog(jurisdictions: Option<&Path>) -> anyhow::Result<CatalogHandle> {
    let Some(path) = jurisdictions else {
        return Ok(CatalogHandle::builtin());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    let catalog = Catalog::builtin().with_jurisdictions_toml(path, &text)?;
    Ok(catalog.into())
}

fn build_evaluator(args: &CheckArgs, catalog: CatalogHandle) -> anyhow::Result<Evaluator> {
    let mut policies: Vec<PolicySource> = Vec::new();
    for dir in &args.policies {
        policies.extend(terrane_policy::load_policy_dir(dir)?);
    }
    let namespaces = if args.all_namespaces {
        Namespaces::All
    } else if args.namespaces.is_empty() {
        Namespaces::default()
    } else {
        Namespaces::Only(args.namespaces.clone())
    };
    let threads = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);

    let mut builder = Evaluator::builder(catalog, &args.jurisdiction)
        .policies(policies)
        .namespaces(namespaces)
        .threads(threads);
    for path in &args.data {
        builder = builder.data(inputs::read_data_file(path)?);
    }
    if args.no_pack {
        builder = builder.without_pack();
    }
    Ok(builder.build()?)
}

/// Reads every input and evaluates it, showing progress on a terminal.
fn read_and_evaluate(
    args: &CheckArgs,
    evaluator: &Evaluator,
) -> anyhow::Result<Vec<(Estate, Vec<terrane_policy::Finding>)>> {
    let hcl_options = HclOptions { vars: args.vars.clone(), var_files: args.var_files.clone() };
    let wants_document = !args.policies.is_empty();
    let progress = progress_bar(args.paths.len());

    let mut results = Vec::with_capacity(args.paths.len());
    for path in &args.paths {
        progress.set_message(path.display().to_string());
        let Input { estate, document } = inputs::read(path, &hcl_options, wants_document)?;
        let evaluation = evaluator
            .evaluate_document(&estate, &document)
            .with_context(|| format!("cannot evaluate `{}`", path.display()))?;
        results.push((estate, evaluation.findings));
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(results)
}

/// A progress bar on stderr when it is a terminal; hidden otherwise, so that logs and
/// pipes stay clean.
fn progress_bar(inputs: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(inputs as u64);
    let style = ProgressStyle::with_template("{spinner} checking {pos}/{len} {wide_msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

fn read_baseline(path: &Path) -> anyhow::Result<Baseline> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read baseline `{}`", path.display()))?;
    Ok(Baseline::parse(path, &text)?)
}

fn write_report(args: &CheckArgs, report: &Report) -> anyhow::Result<()> {
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let rendered = terrane_policy::render(report, args.format.into(), TextStyle { color });
    match &args.output {
        Some(path) => write_file(path, rendered.as_bytes()),
        None => crate::with_stdout(|out| Ok(out.write_all(rendered.as_bytes())?)),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename,
/// so that a failed run never leaves a half-written report or baseline behind.
fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, bytes)
        .with_context(|| format!("cannot write `{}`", temporary.display()))?;
    std::fs::rename(&temporary, path).with_context(|| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write `{}`", path.display())
    })
}

fn today() -> Date {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Date::from_unix_days(u32::try_from(seconds / 86_400).unwrap_or(u32::MAX))
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("expected NAME=VALUE, got `{text}`")),
    }
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Junit => Format::Junit,
            FormatArg::Markdown => Format::Markdown,
        }
    }
}

impl From<SeverityArg> for Severity {
    fn from(severity: SeverityArg) -> Severity {
        match severity {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}
