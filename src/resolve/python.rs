//! Python import resolution.
//!
//! Source roots are the scan root, every `src/` directory, every directory
//! holding `pyproject.toml`/`setup.py`/`setup.cfg`/`requirements.txt` (a
//! deployable's directory, where it runs from: `from app.api import x` in
//! `cast-service/app/main.py` is `cast-service/app/api/x.py`), and the parent of each
//! topmost package (the topmost directory with an `__init__.py`). Every file
//! gets a dotted name under every root above it, so namespace packages (no
//! `__init__.py`) need no special case. `import a.b.c` links to the most
//! specific module that exists; `from a import b` links to `a.b` when it is a
//! submodule and to `a` otherwise. When a dotted name exists under several
//! roots, the file nearest the importer wins. Relative imports are resolved
//! against the file system. Anything else is a package: the standard library
//! (`data/python-stdlib.txt`, Python 3.11's `sys.stdlib_module_names`) or PyPI.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::{dir_of, Project, Resolution, Target};
use crate::model::{Lang, RawImport};

static STDLIB: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| super::data_lines(include_str!("../../data/python-stdlib.txt")));

const ROOT_MARKERS: &[&str] = &["pyproject.toml", "requirements.txt", "setup.cfg", "setup.py"];

struct Index<'p> {
    project: &'p Project<'p>,
    /// Dotted module name → files with that name under some root.
    modules: HashMap<String, Vec<usize>>,
    /// Dotted names of directories under some root (packages, namespace or not).
    packages: HashSet<String>,
}

pub fn resolve(project: &Project, out: &mut Resolution) {
    let files: Vec<usize> = (0..project.files.len()).filter(|&i| project.files[i].file.lang == Lang::Python).collect();
    if files.is_empty() {
        return;
    }
    let index = Index::build(project, &files);
    for &i in &files {
        for import in &project.files[i].facts.imports {
            index.resolve_import(i, import, out);
        }
    }
}

impl<'p> Index<'p> {
    fn build(project: &'p Project<'p>, files: &[usize]) -> Self {
        let roots = source_roots(project, files);
        let mut modules: HashMap<String, Vec<usize>> = HashMap::new();
        let mut packages = HashSet::new();
        for &i in files {
            let rel = project.rel(i);
            let stem = rel.strip_suffix(".py").unwrap_or(rel);
            let stem = stem.strip_suffix("/__init__").unwrap_or(stem);
            // Every root that is an ancestor of the file names it.
            let mut dir = dir_of(rel);
            loop {
                if roots.contains(dir) {
                    // A root's own `__init__.py` (a setup.py next to it) names nothing under it.
                    let under = if dir.is_empty() { stem } else { stem.get(dir.len() + 1..).unwrap_or("") };
                    if !under.is_empty() && under != "__init__" {
                        let dotted = under.replace('/', ".");
                        let mut pkg = dotted.as_str();
                        while let Some((parent, _)) = pkg.rsplit_once('.') {
                            packages.insert(parent.to_string());
                            pkg = parent;
                        }
                        modules.entry(dotted).or_default().push(i);
                    }
                }
                if dir.is_empty() {
                    break;
                }
                dir = dir_of(dir);
            }
        }
        Index { project, modules, packages }
    }

    /// The file of dotted `name`, nearest to the importer when there are several.
    fn module(&self, name: &str, importer: usize) -> Option<usize> {
        let candidates = self.modules.get(name)?;
        let from = self.project.rel(importer);
        candidates
            .iter()
            .copied()
            .max_by_key(|&c| (common_prefix(from, self.project.rel(c)), std::cmp::Reverse(self.project.rel(c))))
    }

    /// A dotted name as the importer sees it: under a source root, or — when
    /// the importer's directory is not a package (a script or test directory,
    /// which Python and pytest put on `sys.path`) — beside the importer.
    fn lookup(&self, name: &str, importer: usize) -> Option<usize> {
        self.module(name, importer).or_else(|| {
            let dir = dir_of(self.project.rel(importer));
            let init = if dir.is_empty() { "__init__.py".to_string() } else { format!("{dir}/__init__.py") };
            if self.project.file(&init).is_some() {
                return None;
            }
            self.file_module(&join_dotted(dir, name))
        })
    }

    /// The most specific existing module among `name` and its parents.
    fn most_specific(&self, name: &str, importer: usize) -> Option<usize> {
        let mut n = name;
        loop {
            if let Some(f) = self.lookup(n, importer) {
                return Some(f);
            }
            n = n.rsplit_once('.')?.0;
        }
    }

    fn resolve_import(&self, from: usize, imp: &RawImport, out: &mut Resolution) {
        if imp.level > 0 {
            return self.resolve_relative(from, imp, out);
        }
        let mut need_base = imp.names.is_empty();
        for name in imp.names.iter().filter(|n| *n != "*") {
            match self.lookup(&format!("{}.{name}", imp.spec), from) {
                Some(sub) => out.link_import(from, Target::Module(sub), imp, imp.flags),
                None => need_base = true,
            }
        }
        need_base |= imp.names.iter().any(|n| n == "*");
        if !need_base {
            return;
        }
        if let Some(f) = self.most_specific(&imp.spec, from) {
            out.link_import(from, Target::Module(f), imp, imp.flags);
        } else if !self.packages.contains(&imp.spec) {
            let top = imp.spec.split('.').next().unwrap_or(&imp.spec);
            if !self.packages.contains(top) {
                out.link_import(from, package(top), imp, imp.flags);
            }
        }
    }

    fn resolve_relative(&self, from: usize, imp: &RawImport, out: &mut Resolution) {
        let rel = self.project.rel(from);
        let written = format!("{}{}", ".".repeat(imp.level as usize), imp.spec);
        let Some(base) = up(dir_of(rel), imp.level - 1) else {
            return out.unresolved(rel, imp.line, format!("relative import `{written}` climbs above the scan root"));
        };
        let path = join_dotted(base, &imp.spec);
        let mut need_base = imp.names.is_empty();
        for name in imp.names.iter().filter(|n| *n != "*") {
            match self.file_module(&join_dotted(&path, name)) {
                Some(sub) => out.link_import(from, Target::Module(sub), imp, imp.flags),
                None => need_base = true,
            }
        }
        need_base |= imp.names.iter().any(|n| n == "*");
        if !need_base {
            return;
        }
        match self.file_module(&path) {
            Some(f) => out.link_import(from, Target::Module(f), imp, imp.flags),
            None if self.project.is_dir(&path) && !imp.names.is_empty() && imp.names.iter().all(|n| n != "*") => {
                out.unresolved(
                    rel,
                    imp.line,
                    format!("`from {written} import …`: a name is neither a submodule nor in a package file"),
                );
            }
            None => out.unresolved(rel, imp.line, format!("relative import `{written}` matches no file")),
        }
    }

    /// `path.py` or `path/__init__.py`, by file system.
    fn file_module(&self, path: &str) -> Option<usize> {
        if path.is_empty() {
            return self.project.file("__init__.py");
        }
        self.project.file(&format!("{path}.py")).or_else(|| self.project.file(&format!("{path}/__init__.py")))
    }
}

fn package(top: &str) -> Target {
    let ecosystem = if super::in_sorted(&STDLIB, top) { "python-stdlib" } else { "pypi" };
    Target::Package { ecosystem, name: top.to_string() }
}

fn source_roots(project: &Project, files: &[usize]) -> HashSet<String> {
    let mut roots: HashSet<String> = HashSet::from([String::new()]);
    for m in project.manifests {
        let (dir, name) = m.rsplit_once('/').unwrap_or(("", m));
        if ROOT_MARKERS.contains(&name) {
            roots.insert(dir.to_string());
        }
    }
    let has_init = |dir: &str| {
        project.file(&if dir.is_empty() { "__init__.py".to_string() } else { format!("{dir}/__init__.py") }).is_some()
    };
    for &i in files {
        let rel = project.rel(i);
        let dir = dir_of(rel);
        if dir == "src" || dir.ends_with("/src") {
            roots.insert(dir.to_string());
        }
        // The parent of the topmost package holding this file.
        if rel.ends_with("/__init__.py") && !dir.is_empty() {
            let parent = dir_of(dir);
            if !has_init(parent) {
                roots.insert(parent.to_string());
            }
        }
    }
    roots
}

/// Go up `n` directories; `None` above the root.
fn up(dir: &str, n: u32) -> Option<&str> {
    let mut d = dir;
    for _ in 0..n {
        if d.is_empty() {
            return None;
        }
        d = dir_of(d);
    }
    Some(d)
}

fn join_dotted(dir: &str, dotted: &str) -> String {
    let tail = dotted.replace('.', "/");
    match (dir.is_empty(), tail.is_empty()) {
        (true, _) => tail,
        (false, true) => dir.to_string(),
        (false, false) => format!("{dir}/{tail}"),
    }
}

/// Length of the common directory prefix of two paths, in components.
fn common_prefix(a: &str, b: &str) -> usize {
    a.split('/').zip(b.split('/')).take_while(|(x, y)| x == y).count()
}
