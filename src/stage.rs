//! `tapestry scan --stage STAGE`: run the scan only up to a stage and report
//! its time on stderr, so the cost of everything after parsing is always
//! measured against the parser floor on the same files and threads, never
//! guessed (issue 5's target: a whole scan within 1.5× of `--stage parse`).
//!
//! - `read`: discover and read every source file;
//! - `parse`: also parse each with its language's parser (tree-sitter or
//!   `syn`) and drop the tree: the floor;
//! - `extract`: full per-file extraction (parse, queries, visitor), no cache,
//!   no resolution.
//!
//! Each runs on the same rayon pool (threads, stack size) as a scan.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::discover::{self, DiscoverOptions};
use crate::lang;

/// Where `--stage` stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Stage {
    /// Discover and read every source file.
    Read,
    /// Read and parse every file, drop the trees: the floor.
    Parse,
    /// Read, parse and extract facts from every file (no cache, no resolution).
    Extract,
}

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Parse => "parse",
            Stage::Extract => "extract",
        }
    }
}

/// What one staged run did.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageRun {
    pub files: usize,
    pub bytes: u64,
    /// Files the parser rejected (`parse`) or that carry a parse error (`extract`).
    pub failed: usize,
    pub seconds: f64,
}

/// Run `stage` over `path` with the scan's discovery options and thread count.
pub fn run(path: &Path, stage: Stage, discover_opts: &DiscoverOptions, threads: Option<usize>) -> Result<StageRun> {
    let started = Instant::now();
    let found = discover::discover(path, discover_opts).with_context(|| format!("{}: cannot walk", path.display()))?;
    let pool = crate::worker_pool(threads)?;
    let per_file: Vec<(u64, bool)> = pool.install(|| {
        found
            .sources
            .par_iter()
            .map(|f| {
                let Ok(bytes) = std::fs::read(&f.abs) else {
                    return (0, false);
                };
                let ok = match stage {
                    Stage::Read => true,
                    Stage::Parse => lang::parse_only(&f.rel, &bytes, f.lang),
                    Stage::Extract => !lang::extract(&f.rel, &bytes, f.lang).parse_error,
                };
                (bytes.len() as u64, ok)
            })
            .collect()
    });
    Ok(StageRun {
        files: per_file.len(),
        bytes: per_file.iter().map(|(b, _)| b).sum(),
        failed: per_file.iter().filter(|(_, ok)| !ok).count(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The line `--stage` prints on stderr.
pub fn describe(stage: Stage, r: &StageRun) -> String {
    let secs = r.seconds.max(1e-9);
    #[allow(clippy::cast_precision_loss)] // display only
    let (files, mb) = (r.files as f64, r.bytes as f64 / 1e6);
    format!(
        "tapestry: stage {}: {} files, {:.1} MB in {:.3}s ({:.0} files/s, {:.1} MB/s), {} failed",
        stage.name(),
        r.files,
        mb,
        r.seconds,
        files / secs,
        mb / secs,
        r.failed
    )
}
