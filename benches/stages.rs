//! Criterion benchmarks, one group per pipeline stage:
//!
//! - `parse/*` and `extract/*`: one representative file per language
//!   (`benches/data/`, written for this benchmark), parsed only (the floor)
//!   and fully extracted, in bytes per second; their ratio is what queries and
//!   visitors cost on top of the parser;
//! - `resolve`, `graph+analyze`, `render/*`: the project-wide stages on a
//!   synthetic polyglot project of 3,000 files whose facts are built in memory
//!   (Python packages, TypeScript modules and Rust crates importing each
//!   other, with cycles), so they measure tapestry's own code and no I/O.
//!
//! Run with `cargo bench --bench stages`; `cargo test` never runs them.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use tapestry::model::{Extracted, FileFacts, Flags, Lang, RawImport, RustMod, SourceFile};
use tapestry::report::{Format, Report, ScanResult, Stats};
use tapestry::resolve::{self, Project};

const SAMPLES: &[(&str, Lang, &str)] = &[
    ("python", Lang::Python, include_str!("data/orders_service.py")),
    ("typescript", Lang::TypeScript, include_str!("data/checkout_store.ts")),
    ("rust", Lang::Rust, include_str!("data/scheduler.rs")),
];

fn per_file(c: &mut Criterion) {
    for (stage, extract) in [("parse", false), ("extract", true)] {
        let mut g = c.benchmark_group(stage);
        for (name, lang, text) in SAMPLES {
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_function(*name, |b| {
                b.iter(|| {
                    if extract {
                        black_box(tapestry::lang::extract("src/sample", text.as_bytes(), *lang).imports.len());
                    } else {
                        black_box(tapestry::lang::parse_only("src/sample", text.as_bytes(), *lang));
                    }
                });
            });
        }
        g.finish();
    }
}

fn import(spec: String, line: u32) -> RawImport {
    RawImport {
        spec,
        names: Vec::new(),
        level: 0,
        scope: Vec::new(),
        line,
        flags: Flags::default(),
        is_use: true,
        allow_cycle: None,
    }
}

fn file(rel: String, lang: Lang, imports: Vec<RawImport>, mods: Vec<RustMod>) -> Extracted {
    let facts = FileFacts { imports, mods, lines: 120, ..FileFacts::default() };
    Extracted { file: SourceFile { abs: PathBuf::from(&rel), rel, lang, size: 4000, mtime_ns: None }, facts }
}

/// `n` files per language in packages of 40, each importing a few earlier
/// siblings and one module of the previous package, plus a planted cycle per package.
fn synthetic(n: usize) -> Vec<Extracted> {
    let mut files = Vec::new();
    let pick = |i: usize, k: usize| (i * 7 + k * 13) % i.max(1);
    for p in 0..n / 40 {
        for i in 0..40 {
            let mut py = vec![import("os".into(), 1), import("requests".into(), 2)];
            let mut ts = vec![import("react".into(), 1)];
            let mut rs = vec![import("std::collections::HashMap".into(), 1), import("serde::Serialize".into(), 2)];
            for k in 0..3 {
                let j = if i == 3 { 4 } else { pick(i, k) };
                py.push(import(format!("pkg{p}.m{j}"), 3 + k as u32));
                ts.push(import(format!("./m{j}"), 3 + k as u32));
                rs.push(import(format!("crate::m{j}::Item"), 3 + k as u32));
            }
            if p > 0 {
                py.push(import(format!("pkg{}.m0", p - 1), 9));
                ts.push(import(format!("../p{}/m0", p - 1), 9));
            }
            files.push(file(format!("py/pkg{p}/m{i}.py"), Lang::Python, py, Vec::new()));
            files.push(file(format!("ts/p{p}/m{i}.ts"), Lang::TypeScript, ts, Vec::new()));
            files.push(file(format!("rs/c{p}/m{i}.rs"), Lang::Rust, rs, Vec::new()));
        }
        files.push(file(format!("py/pkg{p}/__init__.py"), Lang::Python, Vec::new(), Vec::new()));
        let mods = (0..40)
            .map(|i| RustMod {
                scope: Vec::new(),
                name: format!("m{i}"),
                path_attr: None,
                inline: false,
                line: i + 1,
                flags: Flags::default(),
            })
            .collect();
        files.push(file(format!("rs/c{p}/lib.rs"), Lang::Rust, Vec::new(), mods));
    }
    files.sort_by(|a, b| a.file.rel.cmp(&b.file.rel));
    files
}

fn report_of(files: &[Extracted], root: &Path) -> Report {
    let project = Project::new(root, files, &[]);
    let resolution = resolve::resolve(&project);
    let arch = resolve::arch::resolve(&project, &resolution);
    let graph = tapestry::build_graph(files, resolution, arch);
    let analysis = tapestry::analyze::run(&graph, &tapestry::config::Config::defaults());
    Report::build(ScanResult {
        root: ".".into(),
        graph: &graph,
        analysis: &analysis,
        diagnostics: Vec::new(),
        stats: Stats::default(),
    })
}

fn project_wide(c: &mut Criterion) {
    let files = synthetic(1000);
    let root = Path::new(".");
    let mut g = c.benchmark_group("project");
    g.throughput(Throughput::Elements(files.len() as u64));
    g.bench_function("resolve", |b| {
        b.iter(|| black_box(resolve::resolve(&Project::new(root, &files, &[])).links.len()));
    });
    g.bench_function("graph+analyze", |b| {
        b.iter_batched(
            || {
                let project = Project::new(root, &files, &[]);
                let resolution = resolve::resolve(&project);
                let arch = resolve::arch::resolve(&project, &resolution);
                (resolution, arch)
            },
            |(resolution, arch)| {
                let graph = tapestry::build_graph(&files, resolution, arch);
                black_box(tapestry::analyze::run(&graph, &tapestry::config::Config::defaults()).cycles.len())
            },
            BatchSize::LargeInput,
        );
    });
    let report = report_of(&files, root);
    assert!(!report.analysis.cycles.is_empty(), "the synthetic project has cycles");
    for (name, format) in [("summary", Format::Summary), ("json", Format::Json), ("dot", Format::Dot)] {
        g.bench_function(format!("render/{name}"), |b| b.iter(|| black_box(format.render(&report).len())));
    }
    g.finish();
}

criterion_group!(benches, per_file, project_wide);
criterion_main!(benches);
