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
pub mod diagnostic;
pub mod discover;
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
    };
    let (report, files) = scan(&args.path, &opts)?;
    for (path, format) in &outputs {
        output::write_atomic(path, format.render(&report).as_bytes())?;
    }
    if !args.quiet {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(args.format.render(&report).as_bytes())?;
        stdout.flush()?;
        let secs = started.elapsed().as_secs_f64();
        eprintln!("tapestry: scanned {files} files in {secs:.2}s ({:.0} files/s)", files as f64 / secs.max(1e-9));
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
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions { include_ignored: false, excludes: Vec::new(), max_file_size: 5 * 1024 * 1024, threads: None }
    }
}

/// Scan `path` into a report; also returns the number of files parsed.
pub fn scan(path: &Path, opts: &ScanOptions) -> Result<(Report, usize)> {
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
    let arch = resolve::arch::resolve(&project, &resolution);
    diagnostics.extend(arch.diagnostics.iter().cloned());
    for f in &files {
        let rel = &f.file.rel;
        diagnostics
            .extend(f.facts.arch.notes.iter().map(|(line, msg)| Diagnostic::warning(rel, Some(*line), msg.clone())));
    }
    let graph = build_graph(&files, resolution, arch);
    let cycles = analyze::cycles::find(&graph);
    let report =
        Report::build(ScanResult { root: path.display().to_string(), graph: &graph, cycles, diagnostics, stats });
    Ok((report, n_files))
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

fn build_graph(files: &[Extracted], resolution: resolve::Resolution, arch: resolve::arch::ArchOut) -> graph::ArchGraph {
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
        b.site(modules[l.from], to, kind, &files[l.from].file.rel, l.line, l.flags);
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
            Some((file, line)) => b.site(from, to, e.kind, file, *line, e.flags),
            None => b.derived(from, to, e.kind),
        }
        if let Some(ep) = &e.endpoint {
            b.endpoint(from, to, e.kind, ep);
        }
    }
}
