//! tapestry: maps the architecture of a codebase from its source alone.
//!
//! The pipeline, one stage per module:
//!
//! ```text
//! discover ─ Vec<SourceFile> ─▶ extract (rayon, pure, one extractor per language)
//!          ─ Vec<Extracted> sorted by path ─▶ resolve (project-wide)
//!          ─ links ─▶ GraphBuilder ─ ArchGraph ─▶ analyze ─▶ Report ─▶ summary | json | dot
//! ```
//!
//! Extraction runs on a thread pool with large stacks (deeply nested sources
//! must not overflow), drops each file's bytes and tree as soon as its facts
//! are taken, and never touches shared state; everything after it is sorted
//! so reports are byte-identical whatever the thread count.

pub mod analyze;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod discover;
pub mod gate;
pub mod graph;
pub mod lang;
pub mod model;
pub mod output;
pub mod report;
pub mod resolve;

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

use crate::cli::{Cli, Command, ScanArgs};
use crate::diagnostic::Diagnostic;
use crate::discover::DiscoverOptions;
use crate::graph::{EdgeKind, GraphBuilder, Node};
use crate::model::{Extracted, FileFacts, SourceFile};
use crate::report::{Format, Report, ScanResult, Stats};
use crate::resolve::{LinkKind, Project, Target};

/// Stack of each extraction thread: recursive-descent parsing of deeply
/// nested code needs far more than the 2 MiB default.
const STACK_SIZE: usize = 64 * 1024 * 1024;

/// Run a command; the value is the process exit code.
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Scan(args) => scan_command(&args),
        Command::Baseline(args) => baseline_command(&args),
        Command::Check(args) => check_command(&args),
        Command::Diff(args) => diff_command(&args),
        Command::Path(args) => path_command(&args),
    }
}

fn scan_command(args: &ScanArgs) -> Result<u8> {
    let outputs = args
        .outputs
        .iter()
        .map(|p| {
            let f = Format::from_path(p).with_context(|| {
                format!("cannot tell the format of {} from its extension: use {}", p.display(), report::EXTENSIONS)
            })?;
            output::check_writable(p)?;
            Ok((p.clone(), f))
        })
        .collect::<Result<Vec<_>>>()?;
    let render = report::RenderOptions::from_args(args)?;
    let started = Instant::now();
    let opts = scan_options(&args.path, &args.common)?;
    let (report, files) = scan(&args.path, &opts)?;
    for (path, format) in &outputs {
        output::write_atomic(path, format.render_with(&report, &render).as_bytes())?;
    }
    if !args.quiet {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(args.format.render_with(&report, &render).as_bytes())?;
        stdout.flush()?;
        let secs = started.elapsed().as_secs_f64();
        eprintln!("tapestry: scanned {files} files in {secs:.2}s ({:.0} files/s)", files as f64 / secs.max(1e-9));
    }
    Ok(0)
}

/// A scan for the gate: the report plus the graph-level facts the rules need.
struct Judged {
    violations: Vec<analyze::rules::Violation>,
    modules: analyze::levels::Level,
    edge_classes: Vec<String>,
}

fn judge(path: &Path, common: &cli::CommonArgs) -> Result<Judged> {
    let opts = scan_options(path, common)?;
    let started = Instant::now();
    let (graph, files) = scan_graph(path, &opts)?;
    let analysis = analyze::run(&graph.graph, &opts.config);
    let violations = analyze::rules::find(&graph.graph, &analysis, &opts.config);
    eprintln!("tapestry: scanned {files} files in {:.2}s", started.elapsed().as_secs_f64());
    let modules = analysis.levels.into_iter().next().expect("module level");
    Ok(Judged { violations, modules, edge_classes: analysis.edge_classes })
}

fn baseline_file(path: &Path, explicit: Option<&Path>) -> std::path::PathBuf {
    explicit.map(Path::to_path_buf).unwrap_or_else(|| {
        let dir = if path.is_file() { path.parent().unwrap_or(Path::new(".")) } else { path };
        dir.join(gate::BASELINE_FILE)
    })
}

fn baseline_command(args: &cli::BaselineArgs) -> Result<u8> {
    let file = baseline_file(&args.path, args.output.as_deref());
    output::check_writable(&file)?;
    let j = judge(&args.path, &args.common)?;
    let b = gate::Baseline::of(&j.violations, &j.edge_classes);
    output::write_atomic(&file, b.render().as_bytes())?;
    eprintln!("tapestry: {} violations recorded in {}", b.violations.len(), file.display());
    Ok(0)
}

fn check_command(args: &cli::CheckArgs) -> Result<u8> {
    let outputs = args
        .outputs
        .iter()
        .map(|p| {
            let f = report::check::CheckFormat::from_path(p).with_context(|| {
                format!("cannot tell the format of {} from its extension: use .sarif, .json or .txt", p.display())
            })?;
            output::check_writable(p)?;
            Ok((p.clone(), f))
        })
        .collect::<Result<Vec<_>>>()?;
    if !args.path.exists() {
        bail!("{}: no such file or directory", args.path.display());
    }
    let file = baseline_file(&args.path, args.baseline.as_deref());
    let baseline = if args.baseline.is_some() || file.is_file() {
        Some(gate::Baseline::load(&file).map_err(anyhow::Error::msg)?)
    } else {
        None
    };
    let j = judge(&args.path, &args.common)?;
    let baseline = baseline.unwrap_or_else(|| gate::Baseline::empty(&j.edge_classes));
    if baseline.edge_classes != j.edge_classes {
        bail!(
            "{}: the baseline was written counting edge classes [{}], this check counts [{}]; \
             regenerate it with `tapestry baseline` (or pass the same --edge-classes)",
            file.display(),
            baseline.edge_classes.join(", "),
            j.edge_classes.join(", ")
        );
    }
    let outcome = gate::compare(&j.violations, &baseline, &j.modules);
    let name = file.display().to_string();
    for (path, format) in &outputs {
        output::write_atomic(path, format.render(&outcome, &name).as_bytes())?;
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(args.format.render(&outcome, &name).as_bytes())?;
    stdout.flush()?;
    if args.update_baseline {
        output::write_atomic(&file, outcome.remaining(&j.edge_classes).render().as_bytes())?;
        eprintln!("tapestry: {} rewritten with {} violations", file.display(), outcome.known.len());
    }
    let failed = !outcome.new.is_empty() || (args.fail_on_stale && !outcome.stale.is_empty());
    Ok(u8::from(failed))
}

fn diff_command(args: &cli::DiffArgs) -> Result<u8> {
    let old = diff::load(&args.old).map_err(anyhow::Error::msg)?;
    let new = diff::load(&args.new).map_err(anyhow::Error::msg)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(diff::diff(&old, &new).render(args.format).as_bytes())?;
    stdout.flush()?;
    Ok(0)
}

fn path_command(args: &cli::PathArgs) -> Result<u8> {
    let opts = scan_options(&args.path, &args.common)?;
    let (graph, _) = scan_graph(&args.path, &opts)?;
    let analysis = analyze::run(&graph.graph, &opts.config);
    let find = |name: &str| {
        analyze::path::locate(&analysis.levels, name)
            .with_context(|| format!("`{name}` is not a module or directory of {}", args.path.display()))
    };
    let (from_lv, from) = find(&args.from)?;
    let (to_lv, to) = find(&args.to)?;
    if from_lv.name != to_lv.name {
        bail!(
            "`{}` is a {} and `{}` a {}: compare two modules or two directories",
            args.from,
            from_lv.name,
            args.to,
            to_lv.name
        );
    }
    let mut stdout = std::io::stdout().lock();
    match analyze::path::shortest(from_lv, from, to) {
        Some(steps) if !steps.is_empty() => {
            writeln!(stdout, "{} depends on {} in {} steps:", args.from, args.to, steps.len())?;
            for s in steps {
                let (a, b) = (analyze::levels::Level::bare(&s.from), analyze::levels::Level::bare(&s.to));
                writeln!(stdout, "  {}:{}  {a} → {b}", s.file, s.line)?;
            }
            Ok(0)
        }
        _ => {
            writeln!(
                stdout,
                "{} does not depend on {} (counted edge classes: {})",
                args.from,
                args.to,
                analysis.edge_classes.join(", ")
            )?;
            Ok(1)
        }
    }
}

/// Scan settings from the shared options, with the config file loaded.
fn scan_options(path: &Path, common: &cli::CommonArgs) -> Result<ScanOptions> {
    if !path.exists() {
        bail!("{}: no such file or directory", path.display());
    }
    let config = config::Config::load(path, common.config.as_deref())
        .and_then(|c| c.with_edge_classes(common.edge_classes.as_deref()))
        .map_err(anyhow::Error::msg)?;
    Ok(ScanOptions {
        include_ignored: common.include_ignored,
        excludes: common.exclude.clone(),
        max_file_size: common.max_file_size,
        threads: common.threads,
        config,
    })
}

/// Settings of one scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub include_ignored: bool,
    pub excludes: Vec<String>,
    pub max_file_size: u64,
    /// Worker threads; `None` is every core (or `RAYON_NUM_THREADS`).
    pub threads: Option<usize>,
    /// tapestry.toml settings (edge classes, rules, thresholds).
    pub config: config::Config,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            include_ignored: false,
            excludes: Vec::new(),
            max_file_size: 5 * 1024 * 1024,
            threads: None,
            config: config::Config::defaults(),
        }
    }
}

/// Scan `path` into a report; also returns the number of files parsed.
pub fn scan(path: &Path, opts: &ScanOptions) -> Result<(Report, usize)> {
    let (scanned, n_files) = scan_graph(path, opts)?;
    let analysis = analyze::run(&scanned.graph, &opts.config);
    let report = Report::build(ScanResult {
        root: path.display().to_string(),
        graph: &scanned.graph,
        analysis: &analysis,
        diagnostics: scanned.diagnostics,
        stats: scanned.stats,
    });
    Ok((report, n_files))
}

/// The graph of a scan with what was counted and found along the way.
pub struct Scanned {
    pub graph: graph::ArchGraph,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
}

/// Discover, extract, resolve and build the graph; also returns the number of files parsed.
pub fn scan_graph(path: &Path, opts: &ScanOptions) -> Result<(Scanned, usize)> {
    if !path.exists() {
        bail!("{}: no such file or directory", path.display());
    }
    let root = if path.is_file() { path.parent().unwrap_or(Path::new(".")) } else { path };
    let discover_opts = DiscoverOptions {
        include_ignored: opts.include_ignored,
        excludes: opts.excludes.clone(),
        max_file_size: opts.max_file_size,
    };
    let found = discover::discover(path, &discover_opts).with_context(|| format!("{}: cannot walk", path.display()))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.unwrap_or(0))
        .stack_size(STACK_SIZE)
        .thread_name(|i| format!("tapestry-extract-{i}"))
        .build()
        .context("cannot start worker threads")?;
    let extracted: Vec<Extracted> = pool.install(|| found.sources.into_par_iter().map(extract_file).collect());
    let n_files = extracted.len();
    let mut stats = Stats { files_skipped: found.skipped, ..Stats::default() };
    for lang in ["javascript", "python", "rust", "typescript"] {
        stats.files.insert(lang, 0);
    }
    let mut diagnostics = found.diagnostics;
    let files: Vec<Extracted> = extracted
        .into_iter()
        .filter(|e| {
            diagnostics.extend(e.facts.diagnostics.iter().cloned());
            stats.parse_errors += u64::from(e.facts.parse_error);
            stats.files_skipped += u64::from(e.facts.skipped);
            !e.facts.skipped
        })
        .collect();
    for f in &files {
        *stats.files.entry(f.file.lang.report_name()).or_default() += 1;
        stats.generated_files += u64::from(f.facts.generated);
    }
    let project = Project::new(root, &files, &found.manifests);
    let resolution = resolve::resolve(&project);
    stats.non_source_imports = resolution.non_source_imports;
    stats.unresolved_imports = resolution.unresolved_imports;
    stats.virtual_imports = resolution.virtual_imports;
    diagnostics.extend(resolution.diagnostics.iter().cloned());
    let graph = build_graph(&files, resolution);
    Ok((Scanned { graph, diagnostics, stats }, n_files))
}

/// Read and extract one file; the bytes are dropped on return.
fn extract_file(file: SourceFile) -> Extracted {
    let facts = match std::fs::read(&file.abs) {
        Ok(bytes) => lang::extract(&file.rel, &bytes, file.lang),
        Err(e) => FileFacts {
            skipped: true,
            diagnostics: vec![Diagnostic::warning(&file.rel, None, format!("skipped: cannot read: {e}"))],
            ..FileFacts::default()
        },
    };
    Extracted { file, facts }
}

fn build_graph(files: &[Extracted], resolution: resolve::Resolution) -> graph::ArchGraph {
    let mut b = GraphBuilder::new();
    let modules: Vec<_> = files
        .iter()
        .map(|f| {
            b.node(Node::Module {
                path: f.file.rel.clone(),
                language: f.file.lang.report_name(),
                service: None,
                generated: f.facts.generated,
                lines: f.facts.lines,
            })
        })
        .collect();
    let mut links = resolution.links;
    links.sort_by(|a, b| (a.from, a.line, a.kind, &a.to).cmp(&(b.from, b.line, b.kind, &b.to)));
    for l in links {
        let to = match l.to {
            Target::Module(i) => modules[i],
            Target::Package { ecosystem, name } => b.node(Node::Package { ecosystem, name }),
        };
        let kind = match l.kind {
            LinkKind::Imports => EdgeKind::Imports,
            LinkKind::Contains => EdgeKind::Contains,
        };
        let at = (files[l.from].file.rel.as_str(), l.line);
        b.site(modules[l.from], to, kind, at, l.flags, l.allow_cycle.as_deref());
    }
    b.build()
}
