//! Writing reports: atomically (a temporary file in the same directory, then
//! a rename), so an interrupted run never leaves a truncated report where a
//! good one stood.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Fail early, before a long scan, when an output cannot be created.
pub fn check_writable(path: &Path) -> Result<()> {
    let dir = parent_dir(path);
    if !dir.is_dir() {
        anyhow::bail!("cannot write {}: directory {} does not exist", path.display(), dir.display());
    }
    if path.is_dir() {
        anyhow::bail!("cannot write {}: it is a directory", path.display());
    }
    Ok(())
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = parent_dir(path);
    let mut tmp = tempfile::Builder::new()
        .prefix(".tapestry-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}
