//! Command-line interface (clap derive structs only; behaviour lives in `lib.rs`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::Format;
use crate::stage::Stage;

/// tapestry maps the architecture of a codebase (Rust, TypeScript/JavaScript,
/// Python) from its source alone: modules, their dependencies and the cycles
/// between them. It never runs, imports or installs the code it reads.
///
/// Exit codes: 0 success, 1 violations found (by `check`, later), 2 usage or input error.
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
    /// file's extension (.json, .dot/.gv, .txt). Timing goes to stderr.
    ///
    /// Examples:
    ///   tapestry scan ./repo
    ///   tapestry scan ./repo --format json > report.json
    ///   tapestry scan ./repo -o report.json -o graph.dot --quiet
    ///   tapestry scan . -j 4 --exclude 'vendor/**'
    #[command(verbatim_doc_comment)]
    Scan(ScanArgs),
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Directory (or single file) to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Format written to stdout.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Summary)]
    pub format: Format,

    /// Also write a report to FILE, format from its extension (.json, .dot, .gv, .txt). Repeatable.
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub outputs: Vec<PathBuf>,

    /// Print nothing to stdout (only the -o files are written) and no timing to stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,

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

    /// Skip source files larger than this many bytes (with a diagnostic).
    #[arg(long, value_name = "BYTES", default_value_t = 5 * 1024 * 1024)]
    pub max_file_size: u64,

    /// Keep the per-file facts cache in DIR (default: $XDG_CACHE_HOME/tapestry, else ~/.cache/tapestry).
    /// Never inside the scanned tree.
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Neither read nor write the facts cache: read and parse every file.
    #[arg(long, conflicts_with = "cache_dir")]
    pub no_cache: bool,

    /// Benchmarking: stop after STAGE (read, parse = the parser floor, extract), print its time
    /// on stderr and no report.
    #[arg(long, value_enum, value_name = "STAGE")]
    pub stage: Option<Stage>,
}
