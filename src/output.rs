//! Writing reports: atomically (a temporary file in the same directory, then
//! a rename), so an interrupted run never leaves a truncated report where a
//! good one stood, and several reports from one scan are written all or none.

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

/// Write one file atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_all_atomic(&[(path, bytes)])
}

/// Write several files, all or none: every report goes to a temporary file
/// in its own directory first (written and synced), and only when all of
/// them are complete are they renamed over their targets. A failure before
/// that (a read-only directory, a full disk) leaves every old file as it
/// was; the temporary files are removed when dropped.
pub fn write_all_atomic(files: &[(&Path, &[u8])]) -> Result<()> {
    let writers: Vec<(&Path, Box<Render>)> = files
        .iter()
        .map(|&(path, bytes)| (path, Box::new(move |w: &mut dyn Write| w.write_all(bytes)) as Box<Render>))
        .collect();
    write_all_atomic_with(&writers)
}

/// Writes one report's bytes (streamed: a large JSON report is never one string).
pub type Render<'a> = dyn Fn(&mut dyn Write) -> std::io::Result<()> + Sync + 'a;

/// [`write_all_atomic`], each file's contents written by its function.
pub fn write_all_atomic_with(files: &[(&Path, Box<Render>)]) -> Result<()> {
    let staged = files
        .iter()
        .map(|(path, render)| stage(path, render).with_context(|| format!("cannot write {}", path.display())))
        .collect::<Result<Vec<_>>>()?;
    for (tmp, (path, _)) in staged.into_iter().zip(files) {
        tmp.persist(path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The temporary file gets the permissions of the report it replaces, or
/// `rw-r--r--` for a new one (a temporary file is private, `rw-------`, and
/// the rename would otherwise make every report unreadable to other users).
fn stage(path: &Path, render: &Render) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".tapestry-").suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(
        std::fs::metadata(path)
            .map_or_else(|_| std::os::unix::fs::PermissionsExt::from_mode(0o644), |m| m.permissions()),
    );
    let mut tmp = builder.tempfile_in(parent_dir(path))?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        render(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}
