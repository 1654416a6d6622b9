//! The command line: clap definitions and the subcommands.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::baseline::{self, Baseline};
use crate::config::{self, Config};
use crate::discover::{self, Discovered};
use crate::engine::Engine;
use crate::options::RuleOptions;
use crate::render::{HelmRender, RenderOptions};
use crate::report::{
    Finding, Report, SuppressedFinding, github, gitlab, human, json, junit, sarif,
};
use crate::rule::{LATEST_KUBE_MINOR, Rule, RuleContext, Severity};
use crate::suppress::{self, Date, MetaRules, Suppressor};
use crate::timings::Phases;
use crate::{docs, lint_stream, packs, registry};

/// Exit statuses of the command-line contract.
const EXIT_CLEAN: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "kspm",
    version,
    about = "Offline Kubernetes security posture linter: CIS, NSA/CISA, Pod Security Standards, with field-precise positions",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint manifests (files, directories, or `-` for stdin).
    // Boxed: the lint flags dwarf the other subcommands.
    Lint(Box<LintArgs>),
    /// Record the current findings in a baseline file (`--output FILE`, else stdout) for
    /// `kspm lint --baseline FILE`; takes the options of `lint` (`--format` is ignored).
    Baseline(Box<LintArgs>),
    /// Write a commented starter .kspm.yaml.
    Init {
        /// Folder to write it in.
        #[arg(default_value = ".")]
        dir: String,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
    /// List the rules.
    Rules {
        /// Only rules selected by this pack.
        #[arg(long)]
        pack: Option<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Show a rule's documentation.
    Explain {
        /// Rule id or code.
        rule: String,
    },
    /// List the rule packs.
    Packs {
        #[arg(long, value_enum, default_value_t = PackFormat::Table)]
        format: PackFormat,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
    /// Render a Helm chart as `helm template` does, without helm: `kspm template [NAME]
    /// CHART [flags]` prints the same stream.
    Template(Box<crate::render::helm::native::TemplateArgs>),
    /// Tools for measuring kspm itself (not part of the contract).
    #[command(hide = true, subcommand)]
    Debug(DebugCommand),
}

#[derive(Subcommand, Debug)]
pub enum DebugCommand {
    /// The benchmark floor: find and read the inputs as `lint` does, load every YAML
    /// document with the same loader and ranges, run no rule; prints counts as JSON.
    ParseOnly {
        #[arg(default_value = ".")]
        paths: Vec<String>,
        /// Worker threads (default: one per core).
        #[arg(short = 'j', long)]
        jobs: Option<usize>,
    },
}

#[derive(clap::Args, Debug)]
pub struct LintArgs {
    /// Files or directories; `-` reads a YAML stream from stdin.
    #[arg(default_value = ".")]
    pub paths: Vec<String>,
    /// Rule pack to run (repeatable); `all` runs every rule.
    #[arg(long = "pack", value_name = "ID")]
    pub packs: Vec<String>,
    /// Run only these rules (id or code; repeatable).
    #[arg(long = "rule", value_name = "ID|CODE")]
    pub rules: Vec<String>,
    /// Do not run these rules (id or code; repeatable).
    #[arg(long = "exclude-rule", value_name = "ID|CODE")]
    pub exclude_rules: Vec<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Write the report to FILE (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<String>,
    /// Exit 1 when a finding at or above this severity is reported [default: low, or the
    /// configuration's fail-on].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Kubernetes version (X.Y) for the Pod Security Standards policy and API checks.
    #[arg(long, value_name = "X.Y")]
    pub kube_version: Option<String>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// A rule option, RULE.KEY=VALUE (repeatable; see `kspm explain RULE`).
    #[arg(long = "rule-option", value_name = "RULE.KEY=VALUE")]
    pub rule_options: Vec<String>,
    /// Also check control-plane flags that were removed upstream but peers still check.
    #[arg(long)]
    pub legacy: bool,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long)]
    pub jobs: Option<usize>,
    /// Helm: release name charts are rendered with (default `release-name`).
    #[arg(long, value_name = "NAME", help_heading = "Helm charts")]
    pub release_name: Option<String>,
    /// Helm: namespace charts are rendered into.
    #[arg(long, value_name = "NS", help_heading = "Helm charts")]
    pub namespace: Option<String>,
    /// Helm: a values file for every chart (repeatable; later ones win).
    #[arg(
        short = 'f',
        long = "values",
        value_name = "FILE",
        help_heading = "Helm charts"
    )]
    pub values: Vec<String>,
    /// Helm: set a value for every chart, KEY=VALUE (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", help_heading = "Helm charts")]
    pub set: Vec<String>,
    /// Helm: the chart a rendered stream (`# Source:` comments) came from, so findings point
    /// at its template and values files.
    #[arg(long, value_name = "DIR", help_heading = "Helm charts")]
    pub chart_dir: Option<String>,
    /// Helm: which renderer renders charts (`auto`: `helm` when on PATH, else kspm's own).
    #[arg(long, value_enum, default_value_t = crate::render::RendererChoice::Auto, help_heading = "Helm charts")]
    pub renderer: crate::render::RendererChoice,
    /// Configuration file [default: the nearest .kspm.yaml from the first path upward].
    #[arg(long, value_name = "FILE")]
    pub config: Option<String>,
    /// Hide the findings recorded in this baseline (see `kspm baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<String>,
    /// Also list suppressed findings, with why (JSON `suppressed: {by, reason}`).
    #[arg(long)]
    pub show_suppressed: bool,
    /// Print where the time went to stderr: each phase, and each rule's CPU time.
    #[arg(long)]
    pub timings: bool,
    /// Refuse (as an error, without reading it) a manifest file or stream larger than
    /// SIZE: bytes, or with a K, M or G suffix; 0 for no limit.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = discover::parse_size)]
    pub max_file_size: u64,
    /// Hold every finding until the report is written, instead of writing JSON while
    /// linting (for comparing the two paths; the bytes are the same).
    #[arg(long, hide = true)]
    pub no_stream: bool,
    /// Apply the safe fixes in place (see docs/fixes.md), then report what remains.
    #[arg(long, help_heading = "Fixes")]
    pub fix: bool,
    /// Print the changes `--fix` would make as unified diffs instead of the report; exit
    /// as lint does.
    #[arg(long, help_heading = "Fixes")]
    pub diff: bool,
    /// With --fix or --diff: unsafe fixes too (they may break the workload; review them).
    #[arg(long, help_heading = "Fixes")]
    pub unsafe_fixes: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
    Sarif,
    Github,
    Gitlab,
    Junit,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FailOn {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Info => Severity::Info,
            FailOn::Low => Severity::Low,
            FailOn::Medium => Severity::Medium,
            FailOn::High => Severity::High,
            FailOn::Critical => Severity::Critical,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum PackFormat {
    Table,
    Json,
}

/// Parse the process arguments and run.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match execute(cli) {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            eprintln!("kspm: error: {msg}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn execute(cli: Cli) -> Result<u8, String> {
    match cli.command {
        Command::Lint(args) => lint(*args, false),
        Command::Template(args) => Ok(crate::render::helm::native::run_template(&args)),
        Command::Baseline(args) => lint(*args, true),
        Command::Init { dir, force } => {
            let path = config::init(Path::new(&dir), force)?;
            eprintln!("kspm: wrote {}", path.display());
            Ok(EXIT_CLEAN)
        }
        Command::Rules { pack, format } => {
            print_out(&rules_listing(pack.as_deref(), format)?);
            Ok(EXIT_CLEAN)
        }
        Command::Explain { rule } => {
            let r = registry::find(&rule).ok_or_else(|| unknown_rule(&rule))?;
            print_out(&docs::rule_markdown(r.meta()));
            Ok(EXIT_CLEAN)
        }
        Command::Packs { format } => {
            print_out(&packs_listing(format));
            Ok(EXIT_CLEAN)
        }
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "kspm", &mut buf);
            print_out(&String::from_utf8_lossy(&buf));
            Ok(EXIT_CLEAN)
        }
        Command::Debug(DebugCommand::ParseOnly { paths, jobs }) => parse_only(&paths, jobs),
        Command::Man => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut buf)
                .map_err(|e| e.to_string())?;
            print_out(&String::from_utf8_lossy(&buf));
            Ok(EXIT_CLEAN)
        }
    }
}

fn set_jobs(jobs: Option<usize>) {
    if let Some(n) = jobs {
        // Only fails when a pool already exists; then the existing one is used.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
}

/// `kspm debug parse-only`: see `DebugCommand::ParseOnly`.
fn parse_only(paths: &[String], jobs: Option<usize>) -> Result<u8, String> {
    set_jobs(jobs);
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let found = discover::discover(paths, &cwd);
    let read = discover::read_sources(&found.inputs, &RenderOptions::default());
    let sources: Vec<&crate::source::SourceFile> =
        read.sources.iter().map(|s| s.source.as_ref()).collect();
    let (c, took) = crate::parse_only::load_sources(&sources);
    print_out(&format!(
        "{{\"files\": {}, \"bytes\": {}, \"documents\": {}, \"load_errors\": {}, \"nodes\": {}, \"load_seconds\": {:.3}}}\n",
        c.files,
        c.bytes,
        c.documents,
        c.errors + read.errors.len() + found.errors.len(),
        c.nodes,
        took.as_secs_f64()
    ));
    Ok(EXIT_CLEAN)
}

fn print_out(s: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`kspm rules | head`) is not an error worth reporting.
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

fn unknown_rule(id: &str) -> String {
    format!("unknown rule `{id}` (see `kspm rules`)")
}

/// Parse `1.30`, `v1.30` or `1.30.2` into the minor version.
pub fn parse_kube_version(v: &str) -> Result<u32, String> {
    let bad = || format!("invalid --kube-version `{v}`: expected X.Y such as 1.30");
    let rest = v.trim().trim_start_matches('v');
    let mut parts = rest.split('.');
    let major = parts.next().ok_or_else(bad)?;
    let minor = parts.next().ok_or_else(bad)?;
    if major != "1" || parts.count() > 1 {
        return Err(bad());
    }
    minor.parse().map_err(|_| bad())
}

/// The rules a lint runs: packs (default `recommended`), narrowed by `--rule`, minus
/// `--exclude-rule`, in code order.
pub fn select_rules(
    pack_ids: &[String],
    only: &[String],
    exclude: &[String],
    kube_minor: u32,
) -> Result<Vec<&'static dyn Rule>, String> {
    let all_ids: Vec<&str> = registry::metas().map(|m| m.id).collect();
    let resolve_ids = |ids: &[String]| -> Result<BTreeSet<&'static str>, String> {
        ids.iter()
            .map(|i| {
                registry::find(i)
                    .map(|r| r.meta().id)
                    .ok_or_else(|| unknown_rule(i))
            })
            .collect()
    };
    let excluded = resolve_ids(exclude)?;
    let selected: BTreeSet<String> = if only.is_empty() {
        let ids = if pack_ids.is_empty() {
            vec![packs::DEFAULT_PACK.to_string()]
        } else {
            pack_ids.to_vec()
        };
        packs::select(&ids, &all_ids, kube_minor)?
    } else {
        resolve_ids(only)?.into_iter().map(str::to_string).collect()
    };
    Ok(registry::all()
        .iter()
        .copied()
        .filter(|r| selected.contains(r.meta().id) && !excluded.contains(r.meta().id))
        .collect())
}

fn lint(args: LintArgs, record_baseline: bool) -> Result<u8, String> {
    let started = Instant::now();
    let mut phases = args.timings.then(Phases::start);
    let mark = |phases: &mut Option<Phases>, name| {
        if let Some(p) = phases.as_mut() {
            p.mark(name);
        }
    };
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let config = Config::discover(args.config.as_deref(), &args.paths, &cwd)?;
    let today = Date::today()?;
    let old_baseline = match (&args.baseline, record_baseline) {
        (Some(b), false) => Some(Baseline::load(Path::new(b), &cwd)?),
        _ => None,
    };
    let kube_minor = match config.kube_version(args.kube_version.as_deref()) {
        Some(v) => parse_kube_version(v)?,
        None => LATEST_KUBE_MINOR,
    };
    let rules = config.select_rules(&args.packs, &args.rules, &args.exclude_rules, kube_minor)?;
    set_jobs(args.jobs);
    let Discovered {
        inputs,
        notes,
        errors: walk_errors,
    } = discover::discover(&args.paths, &cwd);
    let render_opts = render_options(&args)?;
    let read = discover::read_sources_limited(&inputs, &render_opts, args.max_file_size);
    mark(&mut phases, "find and read inputs");
    let mut options = RuleOptions {
        // `all` means every rule, the opt-in legacy control-plane checks included.
        legacy: args.legacy
            || config
                .packs(&args.packs)
                .iter()
                .any(|p| p == packs::ALL_PACK),
        ..RuleOptions::default()
    };
    config.apply_options(&mut options)?;
    for o in &args.rule_options {
        options.set(o)?;
    }
    let engine = Engine::new(
        rules,
        RuleContext {
            kube_minor,
            options,
        },
    )
    .with_kinds(config.workload_kinds())
    .with_controls(&packs::controls_for(&config.packs(&args.packs)));
    let engine = if args.timings {
        engine.with_timings()
    } else {
        engine
    };
    let engine = if args.fix || args.diff {
        engine
    } else {
        engine.without_fix_paths()
    };
    let meta = MetaRules::select(&config, &args.rules, &args.exclude_rules);
    // JSON over plain manifests is written while linting, unless something needs every
    // finding at once (a baseline, fixes, recording a baseline).
    let streamable = args.format == OutputFormat::Json
        && !(args.no_stream || record_baseline || args.fix || args.diff || old_baseline.is_some());
    if let Some(ordered) = streamable
        .then(|| crate::engine::in_report_order(&read.sources))
        .flatten()
    {
        let suppressor = Suppressor::new(ordered.iter().map(|s| &s.source), &config, &cwd, today);
        let extra = lint_stream::Extra {
            errors: walk_errors.into_iter().chain(read.errors).collect(),
            notes: notes.into_iter().chain(read.notes).collect(),
            failed_files: read.failed,
        };
        let run = |out: &mut dyn Write| {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, out);
            lint_stream::write_json(
                &engine,
                &ordered,
                suppressor,
                meta,
                args.show_suppressed,
                extra,
                &mut phases,
                &mut w,
            )
        };
        let outcome = match &args.output {
            Some(path) => {
                let mut outcome = None;
                write_atomically_with(Path::new(path), |f| {
                    let (o, written) = run(f).map_err(std::io::Error::other)?;
                    outcome = Some(o);
                    written
                })?;
                outcome
            }
            // A closed pipe (`kspm lint | head`) is not an error worth reporting.
            None => Some(run(&mut std::io::stdout())?.0),
        };
        print_timings(phases, &engine);
        let fail_on = config.fail_on(args.fail_on.map(FailOn::severity));
        return Ok(match outcome {
            Some(o) if o.errors > 0 => EXIT_ERROR,
            Some(o) if o.counts.any_at_or_above(fail_on) => EXIT_FINDINGS,
            Some(_) => EXIT_CLEAN,
            None => EXIT_ERROR,
        });
    }
    let mut report = engine.lint_contexts_timed(&read.sources, &mut phases);
    report.summary.files += read.failed;
    report.errors.extend(walk_errors);
    report.errors.extend(read.errors);
    report.notes.extend(notes);
    report.notes.extend(read.notes);
    report.sort();
    let suppressed = suppress::apply(
        &mut report,
        &suppress::Inputs {
            sources: read.sources.iter().map(|s| s.source.clone()).collect(),
            config: &config,
            baseline: old_baseline.as_ref(),
            cwd: &cwd,
            today,
            meta,
            map: Some(&|f: &mut [Finding]| crate::render::map_findings(f, &read.sources)),
        },
    );
    report.summary.elapsed = started.elapsed();
    mark(&mut phases, "suppressions");
    if record_baseline {
        return write_baseline(&args, &report, &cwd);
    }
    if args.fix || args.diff {
        let mode = crate::fix::run::Mode {
            write: args.fix && !args.diff,
            unsafe_fixes: args.unsafe_fixes,
        };
        let fixed = crate::fix::run::run(&report, &engine, &cwd, mode);
        for n in &fixed.notes {
            eprintln!("kspm: {n}");
        }
        eprintln!("{}", crate::fix::run::summary(&fixed, mode));
        if args.diff {
            print_out(&fixed.diff);
            return Ok(exit_code(
                &report,
                config.fail_on(args.fail_on.map(FailOn::severity)),
            ));
        }
        if fixed.files > 0 || fixed.failed {
            // Lint again so that the report shows what remains; a file that could not be
            // read or written makes the run fail as an unlintable input does.
            let code = lint(
                LintArgs {
                    fix: false,
                    unsafe_fixes: false,
                    ..args
                },
                false,
            )?;
            return Ok(if fixed.failed { EXIT_ERROR } else { code });
        }
    }

    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    if args.format == OutputFormat::Json {
        // Written as it is rendered: a large report is never held whole in memory.
        let json = |out: &mut std::fs::File| {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, out);
            json::write_with(&report, &suppressed, args.show_suppressed, &mut w)
        };
        match &args.output {
            Some(path) => write_atomically_with(Path::new(path), json)?,
            None => {
                let mut w = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout());
                // A closed pipe (`kspm lint | head`) is not an error worth reporting.
                let _ = json::write_with(&report, &suppressed, args.show_suppressed, &mut w);
            }
        }
        mark(&mut phases, "render and write report");
        return Ok(finish(&args, &config, &report, phases, &engine));
    }
    let text = render(
        &report,
        (&suppressed, args.show_suppressed),
        args.format,
        color_enabled(args.color, to_terminal),
        to_terminal,
    );
    mark(&mut phases, "render report");
    if args.format == OutputFormat::Github {
        github::append_step_summary(&report, suppressed.len())?;
    }
    match &args.output {
        Some(path) => write_atomically(Path::new(path), &text)?,
        None => print_out(&text),
    }
    mark(&mut phases, "write report");
    Ok(finish(&args, &config, &report, phases, &engine))
}

/// After the report is out: `--timings` tables, and the exit status.
fn finish(
    args: &LintArgs,
    config: &Config,
    report: &Report,
    phases: Option<Phases>,
    engine: &Engine,
) -> u8 {
    print_timings(phases, engine);
    exit_code(report, config.fail_on(args.fail_on.map(FailOn::severity)))
}

/// `--timings`: where the run's time went, to stderr.
fn print_timings(phases: Option<Phases>, engine: &Engine) {
    if let Some(p) = &phases {
        eprint!("{}", p.render());
    }
    if let Some(t) = engine.timings_report() {
        eprint!("{t}");
    }
}

/// `kspm baseline`: the findings that remain after annotations, comments and the
/// configuration (not those about suppressions), written where `--output` says.
fn write_baseline(args: &LintArgs, report: &Report, cwd: &Path) -> Result<u8, String> {
    let findings: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| !suppress::is_about_suppressions(f.rule.id))
        .collect();
    let file = args.output.as_deref().map(Path::new);
    let text = baseline::render(&findings, file, cwd);
    match file {
        Some(path) => write_atomically(path, &text)?,
        None => print_out(&text),
    }
    for e in &report.errors {
        eprintln!("kspm: {}:{}:{}: {}", e.path, e.line, e.column, e.message);
    }
    eprintln!("kspm: recorded {} findings", findings.len());
    Ok(if report.errors.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_ERROR
    })
}

/// How charts are rendered and rendered streams mapped, from the Helm flags.
fn render_options(args: &LintArgs) -> Result<RenderOptions, String> {
    if let Some(dir) = &args.chart_dir
        && !Path::new(dir).join("Chart.yaml").is_file()
    {
        return Err(format!("--chart-dir {dir}: no Chart.yaml in that folder"));
    }
    if let Some(s) = args.set.iter().find(|s| !s.contains('=')) {
        return Err(format!("invalid --set `{s}`: expected KEY=VALUE"));
    }
    Ok(RenderOptions {
        helm: vec![HelmRender {
            release_name: args.release_name.clone(),
            namespace: args.namespace.clone(),
            values: args.values.iter().map(PathBuf::from).collect(),
            set: args.set.clone(),
            kube_version: args
                .kube_version
                .as_ref()
                .map(|v| v.trim().trim_start_matches('v').to_string()),
        }],
        chart_dir: args.chart_dir.as_ref().map(PathBuf::from),
        renderer: args.renderer,
    })
}

fn color_enabled(choice: ColorChoice, to_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn render(
    report: &Report,
    (suppressed, show_suppressed): (&[SuppressedFinding], bool),
    format: OutputFormat,
    color: bool,
    unicode: bool,
) -> String {
    match format {
        OutputFormat::Human => human::render(
            report,
            &human::HumanOptions {
                color,
                unicode,
                show_summary: true,
                ..human::HumanOptions::default()
            },
        ),
        OutputFormat::Json => json::render_with(report, suppressed, show_suppressed),
        OutputFormat::Sarif => sarif::render_with(report, suppressed),
        OutputFormat::Github => github::render(report),
        OutputFormat::Gitlab => gitlab::render(report),
        OutputFormat::Junit => junit::render(report),
    }
}

/// 2 when an input could not be linted, 1 for findings at or above `fail_on`, else 0.
pub fn exit_code(report: &Report, fail_on: Severity) -> u8 {
    if !report.errors.is_empty() {
        EXIT_ERROR
    } else if report.findings.iter().any(|f| f.severity >= fail_on) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Write through a temporary file in the same folder and rename, so readers never see a
/// half-written report.
fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    write_atomically_with(path, |f| f.write_all(text.as_bytes()))
}

/// `write_atomically`, with `write` writing the temporary file.
fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    write(tmp.as_file_mut()).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

fn rules_listing(pack: Option<&str>, format: ListFormat) -> Result<String, String> {
    let metas: Vec<_> = match pack {
        Some(p) => select_rules(&[p.to_string()], &[], &[], LATEST_KUBE_MINOR)?
            .into_iter()
            .map(|r| r.meta())
            .collect(),
        None => registry::metas().collect(),
    };
    Ok(match format {
        ListFormat::Json => {
            let rows: Vec<serde_json::Value> = metas
                .iter()
                .map(|m| {
                    let peers: serde_json::Map<String, serde_json::Value> = m
                        .peers
                        .iter()
                        .map(|(tool, ids)| ((*tool).to_string(), serde_json::json!(ids)))
                        .collect();
                    serde_json::json!({
                        "id": m.id,
                        "code": m.code,
                        "title": m.title,
                        "severity": m.severity.as_str(),
                        "target": m.target.as_str(),
                        "packs": packs::packs_of_rule(m.id),
                        "controls": packs::controls_by_rule().get(m.id).cloned().unwrap_or_default(),
                        "docs_url": m.docs_url(),
                        "help": m.help,
                        "peers": peers,
                    })
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&rows).unwrap_or_default();
            s.push('\n');
            s
        }
        ListFormat::Markdown => {
            if pack.is_none() {
                docs::rules_markdown()
            } else {
                metas
                    .iter()
                    .map(|m| docs::rule_markdown(m) + "\n")
                    .collect()
            }
        }
        ListFormat::Table => {
            let mut s = format!("{:<9} {:<28} {:<9} {}\n", "CODE", "ID", "SEVERITY", "TITLE");
            for m in &metas {
                s.push_str(&format!(
                    "{:<9} {:<28} {:<9} {}\n",
                    m.code,
                    m.id,
                    m.severity.as_str(),
                    m.title
                ));
            }
            s
        }
    })
}

fn packs_listing(format: PackFormat) -> String {
    let all_ids: Vec<&str> = registry::metas().map(|m| m.id).collect();
    let count = |id: &str| packs::resolve(&[id.to_string()], &all_ids).map_or(0, |s| s.len());
    match format {
        PackFormat::Json => {
            let mut rows: Vec<serde_json::Value> = packs::builtin()
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "id": p.id,
                        "title": p.title,
                        "framework": p.framework,
                        "version": p.version,
                        "description": p.description,
                        "url": p.url,
                        "includes": p.includes,
                        "controls": p.controls.iter().map(|c| serde_json::json!({
                            "id": c.id, "title": c.title, "rules": c.rules})).collect::<Vec<_>>(),
                        "rules": packs::resolve(std::slice::from_ref(&p.id), &all_ids)
                            .map(|s| s.into_iter().collect::<Vec<_>>()).unwrap_or_default(),
                    })
                })
                .collect();
            rows.push(serde_json::json!({
                "id": packs::ALL_PACK, "title": "Every rule", "framework": "kspm",
                "version": env!("CARGO_PKG_VERSION"), "rules": all_ids,
            }));
            let mut s = serde_json::to_string_pretty(&rows).unwrap_or_default();
            s.push('\n');
            s
        }
        PackFormat::Table => {
            let mut s = format!(
                "{:<18} {:<10} {:>5}  {}\n",
                "ID", "VERSION", "RULES", "TITLE"
            );
            for p in packs::builtin() {
                s.push_str(&format!(
                    "{:<18} {:<10} {:>5}  {}\n",
                    p.id,
                    p.version,
                    count(&p.id),
                    p.title
                ));
            }
            s.push_str(&format!(
                "{:<18} {:<10} {:>5}  {}\n",
                packs::ALL_PACK,
                env!("CARGO_PKG_VERSION"),
                all_ids.len(),
                "Every rule"
            ));
            s
        }
    }
}
