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
pub mod diagnostic;
pub mod discover;
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
    }
}

fn scan_command(args: &ScanArgs) -> Result<u8> {
    let outputs = args
        .outputs
        .iter()
        .map(|p| {
            let f = Format::from_path(p).with_context(|| {
                format!("cannot tell the format of {} from its extension: use .json, .dot, .gv or .txt", p.display())
            })?;
            output::check_writable(p)?;
            Ok((p.clone(), f))
        })
        .collect::<Result<Vec<_>>>()?;
    let started = Instant::now();
    let opts = ScanOptions {
        include_ignored: args.include_ignored,
        excludes: args.exclude.clone(),
        max_file_size: args.max_file_size,
        threads: args.threads,
        cache_dir: if args.no_cache { None } else { args.cache_dir.clone().or_else(cache::default_dir) },
        progress: !args.quiet,
        notes: !args.quiet,
    };
    if let Some(stage) = args.stage {
        if !args.path.exists() {
            bail!("{}: no such file or directory", args.path.display());
        }
        let run = stage::run(&args.path, stage, &opts.discover_options(), opts.threads)?;
        eprintln!("{}", stage::describe(stage, &run));
        return Ok(0);
    }
    let Scanned { report, files, cache } = scan_detailed(&args.path, &opts)?;
    for (path, format) in &outputs {
        output::write_atomic(path, format.render(&report).as_bytes())?;
    }
    if !args.quiet {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(args.format.render(&report).as_bytes())?;
        stdout.flush()?;
        let secs = started.elapsed().as_secs_f64();
        let cache = cache.map(|c| format!("; cache: {} reused, {} parsed", c.stat_hits + c.hash_hits, c.misses));
        eprintln!(
            "tapestry: scanned {files} files in {secs:.2}s ({:.0} files/s){}",
            files as f64 / secs.max(1e-9),
            cache.unwrap_or_default()
        );
    }
    Ok(0)
}

/// Settings of one scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub include_ignored: bool,
    pub excludes: Vec<String>,
    pub max_file_size: u64,
    /// Worker threads; `None` is every core (or `RAYON_NUM_THREADS`).
    pub threads: Option<usize>,
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
            max_file_size: 5 * 1024 * 1024,
            threads: None,
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
    if !path.exists() {
        bail!("{}: no such file or directory", path.display());
    }
    let root = if path.is_file() { path.parent().unwrap_or(Path::new(".")) } else { path };
    let found = discover::discover(path, &opts.discover_options())
        .with_context(|| format!("{}: cannot walk", path.display()))?;
    let pool = worker_pool(opts.threads)?;
    let progress = Progress::new(opts.progress, found.sources.len());
    // A single file is not worth a pack (and would evict its directory's).
    let cache_dir = opts.cache_dir.as_deref().filter(|_| path.is_dir());
    let (extracted, cache_stats) = extract_all(&pool, root, found.sources, cache_dir, opts.notes, &progress);
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
    let project = Project::new(root, &files, &found.manifests);
    let resolution = resolve::resolve(&project);
    stats.non_source_imports = resolution.non_source_imports;
    stats.unresolved_imports = resolution.unresolved_imports;
    diagnostics.extend(resolution.diagnostics.iter().cloned());
    let graph = build_graph(&files, resolution);
    progress.phase("analyzing");
    let cycles = analyze::cycles::find(&graph);
    progress.finish();
    let report =
        Report::build(ScanResult { root: path.display().to_string(), graph: &graph, cycles, diagnostics, stats });
    Ok(Scanned { report, files: n_files, cache: cache_stats })
}

/// Extract every file on the pool, through the facts cache in `cache_dir`
/// when there is one (`crate::cache`); the result is in `sources` order.
fn extract_all(
    pool: &rayon::ThreadPool,
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
        let extract = |file| {
            let e = extract_file(file);
            progress.inc();
            e
        };
        return (pool.install(|| sources.into_par_iter().map(extract).collect()), None);
    };
    if let Some(why) = &store.discarded {
        note(why);
    }
    let old = store.take_entries(&sources);
    let old_count = old.iter().flatten().count();
    let lookup = Lookup { seed: store.seed(), started_ns: cache::now_ns() };
    let (extracted, metas): (Vec<Extracted>, Vec<Meta>) = pool.install(|| {
        sources
            .into_par_iter()
            .zip(old)
            .map(|(file, old)| {
                let (facts, meta) = lookup.facts(
                    &file,
                    old,
                    || std::fs::read(&file.abs),
                    |bytes| lang::extract(&file.rel, bytes, file.lang),
                    |e| unreadable(&file, &e),
                );
                progress.inc();
                (Extracted { file, facts }, meta)
            })
            .unzip()
    });
    if cache::dirty(&metas, old_count) {
        if let Err(e) = store.save(&extracted, &metas) {
            note(&format_args!("cannot write the cache {}: {e}", store.path().display()));
        }
    }
    (extracted, Some(cache::stats(&metas)))
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
pub fn build_graph(files: &[Extracted], resolution: resolve::Resolution) -> graph::ArchGraph {
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
        b.site(modules[l.from], to, kind, &files[l.from].file.rel, l.line, l.flags);
    }
    b.build()
}
