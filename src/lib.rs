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
pub mod cache;
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
pub mod progress;
pub mod report;
pub mod resolve;
pub mod stage;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

use crate::cache::{Lookup, Meta, Store};
use crate::cli::{Cli, Command, ScanArgs};
use crate::diagnostic::Diagnostic;
use crate::discover::DiscoverOptions;
use crate::graph::{EdgeKind, GraphBuilder, Node};
use crate::model::{Extracted, FileFacts, SourceFile};
use crate::progress::Progress;
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
    let opts = scan_options(&args.path, &args.common, args.quiet)?;
    if let Some(stage) = args.stage {
        let run = stage::run(&args.path, stage, &opts.discover_options(), opts.threads)?;
        eprintln!("{}", stage::describe(stage, &run));
        return Ok(0);
    }
    // One pool for the whole scan: extraction, analyses, and the JSON renderer's long arrays.
    let pool = worker_pool(opts.threads)?;
    let Scanned { report, files, cache } = scan_detailed_on(&args.path, &opts, &pool)?;
    let writers: Vec<(&Path, Box<output::Render>)> = outputs
        .iter()
        .map(|(p, f)| {
            let write = |w: &mut dyn Write| f.write_with(&report, &render, w);
            (p.as_path(), Box::new(write) as Box<output::Render>)
        })
        .collect();
    // The JSON renderer uses the pool for its long arrays (`report::json::write`).
    pool.install(|| output::write_all_atomic_with(&writers))?;
    if !args.quiet {
        pool.install(|| {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            args.format.write_with(&report, &render, &mut stdout)?;
            stdout.flush()
        })?;
        let secs = started.elapsed().as_secs_f64();
        let cache = cache.map(|c| format!("; cache: {} reused, {} parsed", c.stat_hits + c.hash_hits, c.misses));
        eprintln!(
            "tapestry: scanned {files} files in {secs:.2}s ({:.0} files/s){}",
            files as f64 / secs.max(1e-9),
            cache.unwrap_or_default()
        );
    }
    // The process ends here: the OS takes the report's memory back at once, where
    // freeing it node by node is serial work nobody waits for (0.02 G instructions on
    // eclipse-theia).
    drop(writers);
    std::mem::forget(report);
    Ok(0)
}

/// A scan for the gate: the report plus the graph-level facts the rules need.
struct Judged {
    violations: Vec<analyze::rules::Violation>,
    modules: analyze::levels::Level,
    edge_classes: Vec<String>,
}

fn judge(path: &Path, common: &cli::CommonArgs) -> Result<Judged> {
    let opts = scan_options(path, common, false)?;
    let started = Instant::now();
    let g = scan_graph(path, &opts)?;
    let files = g.files;
    let analysis = analyze::run(&g.graph, &opts.config);
    let violations = analyze::rules::find(&g.graph, &analysis, &opts.config);
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
    check_path(&args.path)?;
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
    let opts = scan_options(&args.path, &args.common, false)?;
    let g = scan_graph(&args.path, &opts)?;
    let analysis = analyze::run(&g.graph, &opts.config);
    let find = |name: &str| {
        analyze::path::locate(&analysis.levels, name)
            .with_context(|| format!("`{name}` is not a module, directory or service of {}", args.path.display()))
    };
    let (from_lv, from) = find(&args.from)?;
    let (to_lv, to) = find(&args.to)?;
    if from_lv.name != to_lv.name {
        bail!(
            "`{}` is a {} and `{}` a {}: compare two modules, two directories or two services",
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
fn scan_options(path: &Path, common: &cli::CommonArgs, quiet: bool) -> Result<ScanOptions> {
    check_path(path)?;
    let config = config::Config::load(path, common.config.as_deref())
        .and_then(|c| c.with_edge_classes(common.edge_classes.as_deref()))
        .map_err(anyhow::Error::msg)?;
    Ok(ScanOptions {
        include_ignored: common.include_ignored,
        excludes: common.exclude.clone(),
        max_file_size: common.max_file_size,
        threads: common.threads,
        config,
        cache_dir: if common.no_cache { None } else { common.cache_dir.clone().or_else(cache::default_dir) },
        progress: !quiet,
        notes: !quiet,
    })
}

/// PATH must exist and be readable: one clear line otherwise.
fn check_path(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!("{}: no such file or directory", path.display()),
        Err(e) => bail!("{}: cannot read: {e}", path.display()),
        Ok(_) => Ok(()),
    }
}

/// `--max-file-size` by default: 5 MiB, about 500 MB of syntax tree for dense code.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;

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
    /// Directory of the per-file facts cache (`crate::cache`); `None`: no cache.
    pub cache_dir: Option<PathBuf>,
    /// Draw a progress bar on stderr when it is a terminal and the scan is long.
    pub progress: bool,
    /// Notes on stderr (a cache that was not usable and was rebuilt).
    pub notes: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            include_ignored: false,
            excludes: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            threads: None,
            config: config::Config::defaults(),
            cache_dir: None,
            progress: false,
            notes: false,
        }
    }
}

impl ScanOptions {
    fn discover_options(&self) -> DiscoverOptions {
        DiscoverOptions {
            include_ignored: self.include_ignored,
            excludes: self.excludes.clone(),
            max_file_size: self.max_file_size,
        }
    }
}

/// The extraction pool: every core (or `threads`), large stacks.
pub(crate) fn worker_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .stack_size(STACK_SIZE)
        .thread_name(|i| format!("tapestry-extract-{i}"))
        .build()
        .context("cannot start worker threads")
}

/// Scan `path` into a report; also returns the number of files parsed.
pub fn scan(path: &Path, opts: &ScanOptions) -> Result<(Report, usize)> {
    scan_detailed(path, opts).map(|s| (s.report, s.files))
}

/// A scan's report and what it cost.
#[derive(Debug)]
pub struct Scanned {
    pub report: Report,
    /// Files read or taken from the cache.
    pub files: usize,
    /// How the facts cache served the files, when one was used.
    pub cache: Option<cache::CacheStats>,
}

/// [`scan`], also saying how the cache served the files.
pub fn scan_detailed(path: &Path, opts: &ScanOptions) -> Result<Scanned> {
    scan_detailed_on(path, opts, &worker_pool(opts.threads)?)
}

/// [`scan_detailed`] on `pool`.
fn scan_detailed_on(path: &Path, opts: &ScanOptions, pool: &rayon::ThreadPool) -> Result<Scanned> {
    let g = scan_graph_on(path, opts, pool)?;
    // The analyses and the report's sorts use the pool too (`rayon::join`, `par_sort`).
    let analysis = pool.install(|| analyze::run(&g.graph, &opts.config));
    let report = pool.install(|| {
        Report::build(ScanResult {
            root: path.display().to_string(),
            graph: &g.graph,
            analysis: &analysis,
            diagnostics: g.diagnostics,
            stats: g.stats,
        })
    });
    let graph = g.graph;
    pool.spawn(move || drop((analysis, graph)));
    Ok(Scanned { report, files: g.files, cache: g.cache })
}

/// The graph of a scan with what was counted and found along the way.
pub struct GraphScan {
    pub graph: graph::ArchGraph,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
    /// Files read or taken from the cache.
    pub files: usize,
    pub cache: Option<cache::CacheStats>,
}

/// Discover, extract (through the cache), resolve and build the graph.
pub fn scan_graph(path: &Path, opts: &ScanOptions) -> Result<GraphScan> {
    scan_graph_on(path, opts, &worker_pool(opts.threads)?)
}

/// [`scan_graph`] on `pool`.
fn scan_graph_on(path: &Path, opts: &ScanOptions, pool: &rayon::ThreadPool) -> Result<GraphScan> {
    check_path(path)?;
    let root = if path.is_file() { path.parent().unwrap_or(Path::new(".")) } else { path };
    let found = discover::discover(path, &opts.discover_options())
        .with_context(|| format!("{}: cannot walk", path.display()))?;
    let progress = Progress::new(opts.progress, found.sources.len());
    // A single file is not worth a pack (and would evict its directory's).
    let cache_dir = opts.cache_dir.as_deref().filter(|_| path.is_dir());
    let lanes = Lanes { pool, large: (opts.max_file_size / 4).max(MIN_LARGE_FILE) };
    let (extracted, cache_stats) = extract_all(&lanes, root, found.sources, cache_dir, opts.notes, &progress);
    progress.phase("resolving");
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
    let project = Project::new(root, &files, &found.manifests).with_max_file_size(opts.max_file_size);
    // The TypeScript resolver runs its files in parallel on the pool.
    let resolution = pool.install(|| resolve::resolve(&project));
    stats.non_source_imports = resolution.non_source_imports;
    stats.unresolved_imports = resolution.unresolved_imports;
    stats.virtual_imports = resolution.virtual_imports;
    diagnostics.extend(resolution.diagnostics.iter().cloned());
    let arch = resolve::arch::resolve(&project, &resolution);
    diagnostics.extend(arch.diagnostics.iter().cloned());
    for f in &files {
        let rel = &f.file.rel;
        diagnostics
            .extend(f.facts.arch.notes.iter().map(|(line, msg)| Diagnostic::warning(rel, Some(*line), msg.clone())));
    }
    let graph = build_graph(&files, resolution, arch);
    drop(project);
    // Freeing every file's facts is serial work the idle pool can do while the analyses run.
    pool.spawn(move || drop(files));
    Ok(GraphScan { graph, diagnostics, stats, files: n_files, cache: cache_stats })
}

/// Extract every file on the pool, through the facts cache in `cache_dir`
/// when there is one (`crate::cache`); the result is in `sources` order.
fn extract_all(
    lanes: &Lanes,
    root: &Path,
    sources: Vec<SourceFile>,
    cache_dir: Option<&Path>,
    notes: bool,
    progress: &Progress,
) -> (Vec<Extracted>, Option<cache::CacheStats>) {
    let note = |msg: &dyn std::fmt::Display| {
        if notes {
            eprintln!("tapestry: note: {msg}");
        }
    };
    let store = cache_dir.and_then(|dir| Store::open(dir, root).map_err(|e| note(&e)).ok());
    let Some(mut store) = store else {
        lang::prepare_queries(sources.iter().map(|f| f.lang));
        let extract = |file| {
            let e = extract_file(file);
            progress.inc();
            e
        };
        return (lanes.map(sources, |f| f.size, extract), None);
    };
    if let Some(why) = &store.discarded {
        note(why);
    }
    let old = store.take_entries(&sources);
    let old_count = old.iter().flatten().count();
    lang::prepare_queries(sources.iter().zip(&old).filter(|(_, o)| o.is_none()).map(|(f, _)| f.lang));
    let lookup = Lookup { seed: store.seed(), started_ns: cache::now_ns() };
    let work: Vec<(SourceFile, Option<cache::Entry>)> = sources.into_iter().zip(old).collect();
    let (extracted, metas): (Vec<Extracted>, Vec<Meta>) = lanes
        .map(
            work,
            |(f, _)| f.size,
            |(file, old)| {
                let (facts, meta) = lookup.facts(
                    &file,
                    old,
                    || std::fs::read(&file.abs),
                    |bytes| lang::extract(&file.rel, bytes, file.lang),
                    |e| unreadable(&file, &e),
                );
                progress.inc();
                (Extracted { file, facts }, meta)
            },
        )
        .into_iter()
        .unzip();
    if cache::dirty(&metas, old_count) {
        if let Err(e) = store.save(&extracted, &metas) {
            note(&format_args!("cannot write the cache {}: {e}", store.path().display()));
        }
    }
    (extracted, Some(cache::stats(&metas)))
}

/// Results with the index of their item.
type Indexed<R> = Vec<(usize, R)>;

/// A file is never large under this size, however low `--max-file-size` is
/// set: 256 KiB is about 25 MB of syntax tree, per thread.
const MIN_LARGE_FILE: u64 = 256 * 1024;

/// The extraction pool and the size over which a file is large.
///
/// A file's syntax tree costs about 94 bytes per byte of dense code (README,
/// "Memory per file"): `--max-file-size` bounds one file, but N threads
/// parsing N files just under it would need N times the memory. So the large
/// files, over a quarter of the limit (and over [`MIN_LARGE_FILE`]), are extracted one after the other on
/// one worker, while the other workers take the rest. One lane, not a
/// count of bytes in flight: glibc gives each thread its own malloc arena and
/// keeps what a thread freed there, so a large file parsed on a second
/// thread costs a second tree's memory even after the first is freed
/// (measured: two 600 KB bundles took 140 MB on two threads however they were
/// spaced in time, 83 MB on one). Ordinary files are far below a quarter of
/// the limit and are never serialised.
struct Lanes<'a> {
    pool: &'a rayon::ThreadPool,
    large: u64,
}

impl Lanes<'_> {
    /// `f` over `items` (large ones one at a time on one worker, the rest in
    /// parallel beside them), the results in the order of `items`.
    fn map<T: Send, R: Send>(
        &self,
        items: Vec<T>,
        size: impl Fn(&T) -> u64,
        f: impl Fn(T) -> R + Sync + Send,
    ) -> Vec<R> {
        let (large, small): (Vec<_>, Vec<_>) = items.into_iter().enumerate().partition(|(_, t)| size(t) > self.large);
        // The large lane runs on the worker calling `join` while the others take the
        // small files: serialised before them, it left all but one core idle (effect's
        // two 2-3 MB bundled scripts: a third of a second of wall time on two cores).
        let (mut out, rest): (Indexed<R>, Indexed<R>) = self.pool.install(|| {
            rayon::join(
                || large.into_iter().map(|(i, t)| (i, f(t))).collect(),
                || small.into_par_iter().map(|(i, t)| (i, f(t))).collect(),
            )
        });
        out.extend(rest);
        out.sort_unstable_by_key(|(i, _)| *i);
        out.into_iter().map(|(_, r)| r).collect()
    }
}

/// Read and extract one file; the bytes are dropped on return.
fn extract_file(file: SourceFile) -> Extracted {
    let facts = match std::fs::read(&file.abs) {
        Ok(bytes) => lang::extract(&file.rel, &bytes, file.lang),
        Err(e) => unreadable(&file, &e),
    };
    Extracted { file, facts }
}

fn unreadable(file: &SourceFile, e: &std::io::Error) -> FileFacts {
    FileFacts {
        skipped: true,
        diagnostics: vec![Diagnostic::warning(&file.rel, None, format!("skipped: cannot read: {e}"))],
        ..FileFacts::default()
    }
}

/// Build the architecture graph from the files and their resolved links
/// (public for the stage benchmarks).
pub fn build_graph(
    files: &[Extracted],
    resolution: resolve::Resolution,
    arch: resolve::arch::ArchOut,
) -> graph::ArchGraph {
    let mut b = GraphBuilder::new();
    let modules: Vec<_> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            b.node(Node::Module {
                path: f.file.rel.clone(),
                language: f.file.lang.report_name(),
                service: arch.module_service.get(i).cloned().flatten(),
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
    arch_graph(&mut b, &modules, arch);
    b.build()
}

/// Service, endpoint, table, queue and external nodes and their edges, in a fixed order.
fn arch_graph(b: &mut GraphBuilder, modules: &[petgraph::graph::NodeIndex], arch: resolve::arch::ArchOut) {
    use resolve::arch::End;
    let ids: std::collections::HashMap<String, _> = arch.nodes.into_iter().map(|(id, n)| (id, b.node(n))).collect();
    let end = |e: &End| match e {
        End::Module(i) => Some(modules[*i]),
        End::Id(id) => ids.get(id).copied(),
    };
    let mut edges = arch.edges;
    edges.sort_by(|x, y| (&x.site, x.kind, &x.from, &x.to).cmp(&(&y.site, y.kind, &y.from, &y.to)));
    for e in &edges {
        let (Some(from), Some(to)) = (end(&e.from), end(&e.to)) else { continue };
        match &e.site {
            Some((file, line)) => b.site(from, to, e.kind, (file, *line), e.flags, None),
            None => b.derived(from, to, e.kind),
        }
        if let Some(ep) = &e.endpoint {
            b.endpoint(from, to, e.kind, ep);
        }
        if let Some(q) = &e.via {
            b.via(from, to, e.kind, q);
        }
    }
}
