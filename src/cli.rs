//! Command-line interface (clap derive structs only; behaviour lives in `lib.rs`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::Format;

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

    /// Skip source files larger than this many bytes (with a diagnostic).
    #[arg(long, value_name = "BYTES", default_value_t = 5 * 1024 * 1024)]
    pub max_file_size: u64,

    /// Settings file (default: tapestry.toml at PATH, when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Edge classes that count for cycles, paths, coupling and rules, comma-separated:
    /// static, dynamic, reexport, conditional, type_only, test
    /// (default: static,dynamic,reexport,conditional — runtime code only).
    #[arg(long, value_name = "CLASSES", value_delimiter = ',')]
    pub edge_classes: Option<Vec<String>>,
}
