//! Project-wide resolution: raw imports → module files and packages.
//!
//! Runs once, after every file is extracted, because linking needs the whole
//! project: the set of files, source roots, tsconfig `paths`, workspaces and
//! Cargo crates. Each language has its own resolver; all of them index what
//! they need once (hash maps keyed by path or name) and then look up each
//! import, so resolution is linear in the number of imports.

pub mod appconfig;
pub mod arch;
pub mod builds;
pub mod calls;
pub mod cargo_ws;
pub mod celery;
pub mod classes;
pub mod devproxy;
pub mod drf;
pub mod features;
pub mod gateway;
pub mod helm;
pub mod ini;
pub mod moleculer;
pub mod openapi;
pub mod py_views;
pub mod pyctor;
pub mod python;
pub mod routes;
pub mod rtk;
pub mod rust;
pub mod services;
pub mod tables;
pub mod typescript;
pub mod yaml;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::model::{Extracted, Flags};

/// What an import points at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// A module: index into the project's files.
    Module(usize),
    /// A third-party or standard-library package.
    Package { ecosystem: &'static str, name: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkKind {
    Imports,
    /// Ownership (Rust `mod x;`): not a dependency.
    Contains,
}

/// One resolved import site.
#[derive(Debug, Clone)]
pub struct Link {
    pub from: usize,
    pub to: Target,
    pub kind: LinkKind,
    pub line: u32,
    pub flags: Flags,
    /// The site's `tapestry: allow-cycle` reason.
    pub allow_cycle: Option<String>,
}

#[derive(Debug, Default)]
pub struct Resolution {
    pub links: Vec<Link>,
    pub diagnostics: Vec<Diagnostic>,
    /// Import sites naming a non-source file (styles, images, JSON).
    pub non_source_imports: u64,
    /// Import sites naming a module no package can provide (`$app/stores`,
    /// `virtual:x`): supplied by a framework or bundler at build time.
    pub virtual_imports: u64,
    /// Import sites that resolved to nothing (each also a diagnostic).
    pub unresolved_imports: u64,
    /// Rust files of test targets (`tests/`, `benches/`, `[[test]]`): their requests are test traffic.
    pub test_files: std::collections::BTreeSet<usize>,
    /// Rust files of a crate that no `mod` chain from a crate root reaches (not build
    /// scripts): no target compiles them, so the tables they declare are not the service's.
    pub rust_unreached: std::collections::BTreeSet<usize>,
}

impl Resolution {
    pub fn link(&mut self, from: usize, to: Target, line: u32, flags: Flags) {
        if to != Target::Module(from) {
            self.links.push(Link { from, to, kind: LinkKind::Imports, line, flags, allow_cycle: None });
        }
    }

    /// Link an import, keeping its inline suppression.
    pub fn link_import(&mut self, from: usize, to: Target, imp: &crate::model::RawImport, flags: Flags) {
        if to != Target::Module(from) {
            let allow_cycle = imp.allow_cycle.clone();
            self.links.push(Link { from, to, kind: LinkKind::Imports, line: imp.line, flags, allow_cycle });
        }
    }
    pub fn unresolved(&mut self, file: &str, line: u32, message: String) {
        self.unresolved_imports += 1;
        self.diagnostics.push(Diagnostic::warning(file, Some(line), message));
    }
}

/// The project as the resolvers see it: the files, indexed by path.
pub struct Project<'a> {
    pub root: &'a Path,
    pub files: &'a [Extracted],
    pub manifests: &'a [String],
    /// Bytes past which a project file is not read (`--max-file-size`).
    max_file_size: u64,
    by_path: HashMap<&'a str, usize>,
    dirs: HashSet<&'a str>,
    /// Directories holding a `Cargo.toml` (the root is `""`).
    cargo_dirs: HashSet<&'a str>,
}

impl<'a> Project<'a> {
    pub fn new(root: &'a Path, files: &'a [Extracted], manifests: &'a [String]) -> Self {
        let by_path = files.iter().enumerate().map(|(i, f)| (f.file.rel.as_str(), i)).collect();
        let mut dirs = HashSet::new();
        for f in files {
            let mut p = f.file.rel.as_str();
            while let Some((parent, _)) = p.rsplit_once('/') {
                if !dirs.insert(parent) {
                    break;
                }
                p = parent;
            }
        }
        let cargo_dirs =
            manifests.iter().filter(|m| m.rsplit('/').next() == Some("Cargo.toml")).map(|m| dir_of(m)).collect();
        Project { root, files, manifests, max_file_size: crate::DEFAULT_MAX_FILE_SIZE, by_path, dirs, cargo_dirs }
    }

    /// The directory of the Cargo package holding file `i`: the nearest one up with a `Cargo.toml`.
    pub fn crate_dir(&self, i: usize) -> Option<&'a str> {
        let mut dir = dir_of(self.rel(i));
        loop {
            if self.cargo_dirs.contains(dir) {
                return Some(dir);
            }
            if dir.is_empty() {
                return None;
            }
            dir = dir_of(dir);
        }
    }

    /// Read no project file larger than `bytes`.
    pub fn with_max_file_size(mut self, bytes: u64) -> Self {
        self.max_file_size = bytes;
        self
    }

    /// The index of a scanned source file by its relative path.
    pub fn file(&self, rel: &str) -> Option<usize> {
        self.by_path.get(rel).copied()
    }

    /// Whether a directory (relative, no trailing `/`) holds scanned files.
    pub fn is_dir(&self, rel: &str) -> bool {
        rel.is_empty() || self.dirs.contains(rel)
    }

    /// Read a project file (a manifest or config) relative to the root, never
    /// more than `--max-file-size` bytes of it. Discovery already left out the
    /// manifests over the limit (with a diagnostic); this also bounds a file
    /// named by another (a tsconfig's `extends`) and one that grew since.
    /// A leading UTF-8 byte-order mark (editors on Windows write one) is dropped, as
    /// for source files: YAML, JSON and TOML parsers would otherwise read it as part of
    /// the first key (`\u{feff}services:`) or reject the file.
    pub fn read(&self, rel: &str) -> std::io::Result<String> {
        use std::io::Read;
        let file = std::fs::File::open(self.root.join(rel))?;
        let mut text = String::new();
        file.take(self.max_file_size.saturating_add(1)).read_to_string(&mut text)?;
        if text.len() as u64 > self.max_file_size {
            let limit = self.max_file_size;
            return Err(std::io::Error::other(format!("over the size limit of {limit} bytes (--max-file-size)")));
        }
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        Ok(text)
    }

    pub fn rel(&self, i: usize) -> &'a str {
        &self.files[i].file.rel
    }
}

/// Resolve every file's imports, language by language.
pub fn resolve(project: &Project) -> Resolution {
    let mut out = Resolution::default();
    python::resolve(project, &mut out);
    typescript::resolve(project, &mut out);
    rust::resolve(project, &mut out);
    out.diagnostics.sort();
    out
}

/// Directory part of a relative path (`""` for a file at the root).
pub fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `rel` lies inside directory `dir`, below it (the root, `""`, holds every path).
pub fn is_under(rel: &str, dir: &str) -> bool {
    dir.is_empty() || rel.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// Join a relative directory and a relative path, normalising `.` and `..`.
/// `None` when `..` climbs above the root.
pub fn join(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// A sorted-table lookup, for the language data tables.
pub fn in_sorted(table: &[&str], name: &str) -> bool {
    table.binary_search(&name).is_ok()
}

/// Test helper: each table is strictly ascending (sorted, no duplicates), as
/// [`in_sorted`]'s binary search needs. Panics naming the table and the pair.
#[cfg(test)]
pub fn assert_sorted(tables: &[&[&str]]) {
    for (i, t) in tables.iter().enumerate() {
        if let Some(w) = t.windows(2).find(|w| w[0] >= w[1]) {
            panic!("table {i}: {:?} is not before {:?}", w[0], w[1]);
        }
    }
}

/// Lines of an embedded data file, for sorted name tables.
pub fn data_lines(text: &'static str) -> Vec<&'static str> {
    let mut v: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    v.sort_unstable();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "table 1: \"b\" is not before \"b\"")]
    fn assert_sorted_names_a_duplicate() {
        assert_sorted(&[&["a", "b"], &["a", "b", "b"]]);
    }

    #[test]
    fn join_normalises() {
        assert_eq!(join("a/b", "../c/./d").as_deref(), Some("a/c/d"));
        assert_eq!(join("", "x").as_deref(), Some("x"));
        assert_eq!(join("a", "../..").as_deref(), None);
    }
}
