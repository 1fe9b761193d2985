//! Discovery: walk the scan root with the `ignore` crate (ripgrep's walker:
//! `.gitignore`/`.ignore` honoured, hidden entries skipped but for the directories
//! deployment manifests hide in and the image build files of `.docker/`, parallel) and
//! return the source files and manifests to read, sorted by path so every
//! later stage sees the same order whatever the thread count.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::overrides::OverrideBuilder;
use ignore::{WalkBuilder, WalkState};

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang;
use crate::model::SourceFile;

/// Directories skipped by default wherever they are: installed dependencies
/// and caches. Sorted (checked by a test); `--include-ignored` scans them too.
pub const SKIPPED_DIRS: &[&str] = &[".venv", "__pycache__", "node_modules", "venv"];

/// Build-output directories, skipped when they sit at the scan root or beside a
/// project manifest — where a build tool puts them. Elsewhere (SvelteKit's
/// `src/exports/vite/build/`) a directory of that name is source and is scanned.
pub const OUTPUT_DIRS: &[&str] = &["build", "dist", "target"];

/// Manifests whose presence makes a directory a project root (sorted).
const PROJECT_MARKERS: &[&str] =
    &["Cargo.toml", "package.json", "pyproject.toml", "setup.cfg", "setup.py", "tsconfig.json"];

/// Project files the resolvers read (sorted, checked by a test). They are
/// found by looking in every walked directory, so a manifest that a
/// `.gitignore` happens to match (zod ignores `**/package.json`) is still read.
pub const MANIFESTS: &[&str] = &[
    ".env",
    ".env.dist",
    ".env.example",
    ".env.sample",
    ".env.template",
    ".vscode/launch.json",
    "Cargo.toml",
    "jsconfig.json",
    "nest-cli.json",
    "package.json",
    "pnpm-workspace.yaml",
    "project.json",
    "pyproject.toml",
    "requirements.txt",
    "setup.cfg",
    "setup.py",
    "tapestry.toml",
    "tsconfig.json",
];

/// Hidden directories that hold Kubernetes manifests (`account/.k8s/deployment.yaml`),
/// walked although hidden (sorted).
const HIDDEN_DEPLOY_DIRS: &[&str] = &[".deploy", ".k8s", ".kube", ".kubernetes"];

/// The hidden directory a service's image build files sit in (`orders/.docker/Dockerfile`,
/// `database/.docker/init-tables.sql`). Walked too, but only its Dockerfiles, compose
/// files and SQL scripts are handed on ([`in_docker_dir`]).
const DOCKER_DIR: &str = ".docker";

#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    pub include_ignored: bool,
    pub excludes: Vec<String>,
    pub max_file_size: u64,
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub sources: Vec<SourceFile>,
    /// Manifests and configs, relative paths, sorted.
    pub manifests: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Source files not read (too large).
    pub skipped: u64,
}

/// A path relative to `root`, `/`-separated (lossy for non-UTF-8 names).
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    parts.join("/")
}

pub fn discover(root: &Path, opts: &DiscoverOptions) -> Result<Discovered, ignore::Error> {
    if root.is_file() {
        return Ok(single_file(root, opts));
    }
    let mut overrides = OverrideBuilder::new(root);
    for glob in &opts.excludes {
        overrides.add(&format!("!{glob}"))?;
    }
    let mut builder = WalkBuilder::new(root);
    builder.overrides(overrides.build()?).require_git(false).follow_links(false).hidden(false);
    if opts.include_ignored {
        builder.git_ignore(false).git_global(false).git_exclude(false).ignore(false).parents(false);
    }
    let include_ignored = opts.include_ignored;
    builder.filter_entry(move |e| {
        let is_dir = e.file_type().is_some_and(|t| t.is_dir());
        if e.depth() == 0 {
            return true;
        }
        // Hidden entries are skipped, but for the directories deployment manifests hide in.
        if e.file_name().as_encoded_bytes().starts_with(b".") {
            let name = e.file_name().to_string_lossy();
            return is_dir && (HIDDEN_DEPLOY_DIRS.contains(&name.as_ref()) || name == DOCKER_DIR);
        }
        include_ignored || !(is_dir && is_skipped_dir(e.path(), e.depth()))
    });
    let found = Mutex::new(Discovered::default());
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            let mut d = Discovered::default();
            visit(root, entry, opts, &mut d);
            if !(d.sources.is_empty() && d.manifests.is_empty() && d.diagnostics.is_empty() && d.skipped == 0) {
                let mut all = found.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                all.sources.append(&mut d.sources);
                all.manifests.append(&mut d.manifests);
                all.diagnostics.append(&mut d.diagnostics);
                all.skipped += d.skipped;
            }
            WalkState::Continue
        })
    });
    let mut found = found.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    found.sources.sort_by(|a, b| a.rel.cmp(&b.rel));
    found.manifests.sort();
    found.manifests.dedup();
    found.diagnostics.sort();
    Ok(found)
}

fn visit(root: &Path, entry: Result<ignore::DirEntry, ignore::Error>, opts: &DiscoverOptions, d: &mut Discovered) {
    let entry = match entry {
        Ok(e) => e,
        Err(err) => {
            let (path, msg) = walk_error(root, &err);
            d.diagnostics.push(Diagnostic::warning(&path, None, format!("skipped: {msg}")));
            return;
        }
    };
    if entry.path_is_symlink() && entry.depth() > 0 {
        return symlink(root, &entry, d);
    }
    let docker_dir = in_docker_dir(root, entry.path());
    if entry.file_type().is_some_and(|t| t.is_dir()) {
        if entry.depth() == 0 {
            build_configs(root, opts, d);
        }
        // In a `.docker/` directory only the `.env` its compose files read: a `package.json` or
        // `requirements.txt` there is the image's, not a project's.
        for name in MANIFESTS.iter().filter(|n| !docker_dir || **n == ".env") {
            let path = entry.path().join(name);
            if let Some(meta) = std::fs::metadata(&path).ok().filter(std::fs::Metadata::is_file) {
                manifest(rel_path(root, &path), meta.len(), opts, d);
            }
        }
        return;
    }
    if !entry.file_type().is_some_and(|t| t.is_file()) {
        return;
    }
    let name = entry.file_name().to_string_lossy();
    let rel = rel_path(root, entry.path());
    let meta = entry.metadata().ok();
    let size = meta.as_ref().map_or(0, std::fs::Metadata::len);
    if docker_dir {
        if docker_dir_file(&name) {
            manifest(rel, size, opts, d);
        }
        return;
    }
    if is_tsconfig(&name) && name != "tsconfig.json"
        || crate::resolve::services::is_deploy_file(&name)
        || crate::resolve::services::is_requirements(&rel) && !MANIFESTS.contains(&&*name)
        || crate::resolve::appconfig::is_config_file(&rel)
        || crate::resolve::ini::is_ini(&name)
        || entry.depth() == 1 && (name.ends_with(".sh") || name == "Makefile")
    {
        manifest(rel.clone(), size, opts, d);
    }
    let Some(lang) = lang::lang_of(&name) else {
        if lang::foreign::is_candidate(&rel) && size <= opts.max_file_size.min(lang::foreign::MAX_BYTES) {
            foreign(entry.path(), rel, d);
        }
        return;
    };
    if size > opts.max_file_size {
        d.skipped += 1;
        d.diagnostics.push(too_large(&rel, size, opts));
        return;
    }
    let mtime_ns = meta.as_ref().and_then(mtime_ns);
    d.sources.push(SourceFile { abs: entry.into_path(), rel, lang, size, mtime_ns });
}

/// `path` lies in a `.docker/` directory below `root` (or is one).
fn in_docker_dir(root: &Path, path: &Path) -> bool {
    path.strip_prefix(root).unwrap_or(path).components().any(|c| c.as_os_str() == DOCKER_DIR)
}

/// The files of a `.docker/` directory handed on: the image's Dockerfiles, the compose
/// files that build it and the SQL a database image runs at start
/// (`docker-entrypoint-initdb.d`). Its scripts, configs (an nginx `.conf` there is another
/// container's, not the code's service's), requirements and sources (`celeryconfig.py`
/// copied into a monitoring image) are the image's, not the project's code.
fn docker_dir_file(name: &str) -> bool {
    use crate::resolve::services::{is_compose, is_dockerfile};
    is_dockerfile(name) || is_compose(name) || name.ends_with(".sql")
}

/// GitHub Actions workflows (`.github/workflows/*.yml`), read for the images they
/// build (`resolve::builds`) although `.github` is hidden: only these files of it,
/// so an action's own scripts never become modules of the project.
fn build_configs(root: &Path, opts: &DiscoverOptions, d: &mut Discovered) {
    let Ok(entries) = std::fs::read_dir(root.join(".github/workflows")) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let meta = e.metadata().ok().filter(std::fs::Metadata::is_file);
        if let Some(meta) = meta.filter(|_| name.ends_with(".yml") || name.ends_with(".yaml")) {
            manifest(format!(".github/workflows/{name}"), meta.len(), opts, d);
        }
    }
}

/// A Go, Java, Kotlin or C# file is handed to the resolvers, as a manifest, only
/// when its text holds the words of a gRPC server registration
/// ([`lang::foreign`]); the rest, and files that are not UTF-8, are skipped silently.
fn foreign(path: &Path, rel: String, d: &mut Discovered) {
    let Ok(bytes) = std::fs::read(path) else { return };
    if std::str::from_utf8(&bytes).is_ok_and(|text| lang::foreign::mentions(&rel, text)) {
        d.manifests.push(rel);
    }
}

/// A manifest or config is read whole by the resolvers, so it is bounded like
/// a source file: over `--max-file-size` it is not read, with a diagnostic.
/// (Not counted in `files_skipped`, which counts source files.)
fn manifest(rel: String, size: u64, opts: &DiscoverOptions, d: &mut Discovered) {
    if size > opts.max_file_size {
        d.diagnostics.push(too_large(&rel, size, opts));
    } else {
        d.manifests.push(rel);
    }
}

fn too_large(rel: &str, size: u64, opts: &DiscoverOptions) -> Diagnostic {
    let limit = opts.max_file_size;
    Diagnostic::warning(rel, None, format!("skipped: {size} bytes is over the size limit of {limit} (--max-file-size)"))
}

/// Modification time in nanoseconds since the Unix epoch, if the platform has one.
pub fn mtime_ns(meta: &std::fs::Metadata) -> Option<u64> {
    let since = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    u64::try_from(since.as_nanos()).ok()
}

fn is_skipped_dir(path: &Path, depth: usize) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    if SKIPPED_DIRS.contains(&name.as_ref()) {
        return true;
    }
    if !OUTPUT_DIRS.contains(&name.as_ref()) {
        return false;
    }
    let parent = path.parent().unwrap_or(path);
    depth == 1 || PROJECT_MARKERS.iter().any(|m| parent.join(m).is_file())
}

/// Links are not followed (a link may point outside the scanned tree, or
/// into a loop), but the ones that hide something are listed: a link to a
/// directory, a source file, or nowhere (a dangling link or a loop).
fn symlink(root: &Path, entry: &ignore::DirEntry, d: &mut Discovered) {
    let is_source = lang::lang_of(&entry.file_name().to_string_lossy()).is_some();
    let what = match std::fs::metadata(entry.path()) {
        Ok(m) if m.is_dir() => "a symbolic link to a directory".to_string(),
        Ok(_) if is_source => "a symbolic link to a file".to_string(),
        Ok(_) => return,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if !is_source {
                return;
            }
            "a dangling symbolic link".to_string()
        }
        // A loop (`ELOOP`: too many levels of symbolic links) or a target we may not see.
        Err(e) => format!("a symbolic link that cannot be followed ({e})"),
    };
    let rel = rel_path(root, entry.path());
    d.diagnostics.push(Diagnostic::new(&rel, None, Severity::Info, format!("skipped: {what}; links are not followed")));
}

/// `tsconfig.base.json`, `tsconfig.app.json`: configs other tsconfigs extend.
fn is_tsconfig(name: &str) -> bool {
    name.starts_with("tsconfig.") && name.ends_with(".json")
}

fn walk_error(root: &Path, err: &ignore::Error) -> (String, String) {
    let mut path: Option<PathBuf> = None;
    let mut e = err;
    loop {
        match e {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p.clone());
                e = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => e = err,
            ignore::Error::Loop { child, .. } => {
                return (rel_path(root, child), "symbolic link loop".to_string());
            }
            other => {
                let p = path.map(|p| rel_path(root, &p)).unwrap_or_default();
                return (p, other.to_string());
            }
        }
    }
}

fn single_file(path: &Path, opts: &DiscoverOptions) -> Discovered {
    let mut d = Discovered::default();
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if let Some(lang) = lang::lang_of(&name) {
        let meta = path.metadata().ok();
        let size = meta.as_ref().map_or(0, std::fs::Metadata::len);
        if size > opts.max_file_size {
            d.skipped = 1;
            d.diagnostics.push(too_large(&name, size, opts));
        } else {
            let mtime_ns = meta.as_ref().and_then(mtime_ns);
            d.sources.push(SourceFile { abs: path.to_path_buf(), rel: name, lang, size, mtime_ns });
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        crate::resolve::assert_sorted(&[SKIPPED_DIRS, OUTPUT_DIRS, PROJECT_MARKERS, MANIFESTS, HIDDEN_DEPLOY_DIRS]);
    }
}
