//! Command-line interface (clap derive structs only; behaviour lives in `lib.rs`).
// The doc comments here are `--help` text, printed as written: a URL in an
// example stays bare there rather than becoming a rustdoc link.
#![allow(rustdoc::bare_urls)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::Format;
use crate::stage::Stage;

/// tapestry maps the architecture of a codebase (Rust, TypeScript/JavaScript,
/// Python) from its source alone: modules, their dependencies and the cycles
/// between them. It never runs, imports or installs the code it reads.
///
/// Exit codes: 0 success, 1 violations found (`check`; `path` when there is no chain), 2 usage or input error.
#[derive(Debug, Parser)]
#[command(name = "tapestry", version, about, long_about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan a directory and report its module graph, packages and cycles.
    ///
    /// Prints a summary to stdout (or the `--format` chosen) and writes any
    /// number of further reports with `-o`, each format inferred from the
    /// file's extension (.json, .dot/.gv, .txt, .html, .mmd, .dsl). Timing goes to stderr.
    ///
    /// Examples:
    ///   tapestry scan ./repo
    ///   tapestry scan ./repo --format json > report.json
    ///   tapestry scan ./repo -o report.json -o graph.dot --quiet
    ///   tapestry scan ./repo -o map.html --link-base https://github.com/o/r/blob/main/
    ///   tapestry scan ./repo --compare base.json -o review.html
    ///   tapestry scan ./repo -o arch.mmd -o workspace.dsl
    ///   tapestry scan . -j 4 --exclude 'vendor/**'
    #[command(verbatim_doc_comment)]
    Scan(ScanArgs),

    /// Record every current violation in a baseline file, so `check` fails only on new ones.
    ///
    /// Writes PATH/.tapestry-baseline.json (or -o FILE): each cyclic component with
    /// its full edge set and each rule violation, one per line, sorted, so a diff of
    /// it reads well in review. Commit it.
    ///
    /// Examples:
    ///   tapestry baseline
    ///   tapestry baseline ./repo -o ci/tapestry-baseline.json
    #[command(verbatim_doc_comment)]
    Baseline(BaselineArgs),

    /// Fail (exit 1) on violations the baseline does not know: new cycles, forbidden
    /// or layer-breaking dependencies, threshold breaches.
    ///
    /// A cycle is new when it has a dependency no baseline cycle has (paths, not line
    /// numbers: moving code changes nothing). Each new violation shows the whole
    /// cycle with the file:line of every step. Stale baseline entries are listed.
    /// Exit codes: 0 nothing new, 1 new (or stale with --fail-on-stale) violations,
    /// 2 usage or input error (missing path, malformed baseline or tapestry.toml).
    ///
    /// Examples:
    ///   tapestry check
    ///   tapestry check . --format github -o tapestry.sarif
    ///   tapestry check --baseline ci/tapestry-baseline.json --fail-on-stale
    ///   tapestry check --update-baseline
    #[command(verbatim_doc_comment)]
    Check(CheckArgs),

    /// Show what changed between two JSON reports (e.g. base branch and pull request).
    ///
    /// Services, endpoints, tables, queues, service calls, modules, packages,
    /// dependencies, cycles and coupling movers, added and removed. Exit 0, or 2 on bad input.
    ///
    /// Examples:
    ///   tapestry diff base.json head.json
    ///   tapestry diff base.json head.json --format markdown > comment.md
    #[command(verbatim_doc_comment)]
    Diff(DiffArgs),

    /// Why does FROM depend on TO? The shortest dependency chain, with file:line of every step.
    ///
    /// FROM and TO are module paths or directories (or ids like module:src/a.ts).
    /// Exit 0 with the chain, 1 when there is none, 2 on bad input.
    ///
    /// Examples:
    ///   tapestry path src/ui/page.ts src/db/pool.ts
    ///   tapestry path src/ui src/db ./repo
    #[command(verbatim_doc_comment)]
    Path(PathArgs),
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Directory to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Baseline file to write (default: PATH/.tapestry-baseline.json).
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Directory to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Baseline file (default: PATH/.tapestry-baseline.json; when absent there, every violation is new).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Format written to stdout.
    #[arg(long, short = 'f', value_enum, default_value_t = crate::report::check::CheckFormat::Text)]
    pub format: crate::report::check::CheckFormat,
    /// Also write the result to FILE, format from its extension (.sarif, .json, .txt). Repeatable.
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub outputs: Vec<PathBuf>,
    /// Stale baseline entries (violations that no longer occur) fail the check too.
    #[arg(long)]
    pub fail_on_stale: bool,
    /// Rewrite the baseline with only what still occurs (it never adds).
    #[arg(long)]
    pub update_baseline: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older report (JSON, from `tapestry scan --format json`).
    pub old: PathBuf,
    /// The newer report.
    pub new: PathBuf,
    #[arg(long, short = 'f', value_enum, default_value_t = crate::diff::DiffFormat::Text)]
    pub format: crate::diff::DiffFormat,
}

#[derive(Debug, Args)]
pub struct PathArgs {
    /// The module, directory or service that depends.
    pub from: String,
    /// The module, directory or service depended on.
    pub to: String,
    /// Directory to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Directory (or single file) to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Format written to stdout.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Summary)]
    pub format: Format,

    /// Also write a report to FILE, format from its extension (.json, .dot, .gv, .txt,
    /// .html, .mmd, .dsl). Repeatable.
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub outputs: Vec<PathBuf>,

    /// HTML map: file paths become links under URL (http or https), the path and
    /// `#L<line>` appended, e.g. https://github.com/OWNER/REPO/blob/COMMIT/
    #[arg(long, value_name = "URL")]
    pub link_base: Option<String>,

    /// HTML map review mode: mark what changed since BASE.json (the JSON report of the
    /// base branch) and open a "What changed" panel first.
    #[arg(long, value_name = "BASE.json")]
    pub compare: Option<PathBuf>,

    /// Mermaid: `service` (services, datastores, queues, calls) or `module` (the module
    /// graph aggregated by directory).
    #[arg(long, value_enum, default_value_t = crate::report::Level::Service)]
    pub level: crate::report::Level,

    /// Print nothing to stdout (only the -o files are written) and no timing to stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Benchmarking: stop after STAGE (read, parse = the parser floor, extract), print its time
    /// on stderr and no report.
    #[arg(long, value_enum, value_name = "STAGE")]
    pub stage: Option<Stage>,

    #[command(flatten)]
    pub common: CommonArgs,
}

/// Options shared by every command that scans.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Worker threads (default: all cores; RAYON_NUM_THREADS is honoured too).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,

    /// Also scan what .gitignore/.ignore exclude and the default-skipped
    /// directories (node_modules, target, .venv, venv, dist, build, __pycache__).
    #[arg(long)]
    pub include_ignored: bool,

    /// Skip paths matching GLOB (gitignore syntax, relative to PATH). Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Skip source files, manifests and configs larger than this many bytes (with a diagnostic).
    #[arg(long, value_name = "BYTES", default_value_t = crate::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,

    /// Settings file (default: tapestry.toml at PATH, when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Edge classes that count for cycles, paths, coupling and rules, comma-separated:
    /// static, dynamic, reexport, conditional, type_only, test
    /// (default: static,dynamic,reexport,conditional — runtime code only).
    #[arg(long, value_name = "CLASSES", value_delimiter = ',')]
    pub edge_classes: Option<Vec<String>>,

    /// Keep the per-file facts cache in DIR (default: $XDG_CACHE_HOME/tapestry, else ~/.cache/tapestry).
    /// Never inside the scanned tree.
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Neither read nor write the facts cache: read and parse every file.
    #[arg(long, conflicts_with = "cache_dir")]
    pub no_cache: bool,
}
