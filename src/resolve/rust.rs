//! Rust resolution: Cargo packages → crate roots → module trees → paths.
//!
//! Every `Cargo.toml` with a `[package]` gives crate roots (lib, bins, tests,
//! examples, benches). From each root the module tree is built by following
//! `mod` declarations to files (`x.rs`, `x/mod.rs`, `#[path]`), the same way
//! rustc does; each resolved `mod x;` is a `contains` edge (ownership, not a
//! dependency, so `use super::…` in a child never makes a cycle with its
//! parent). A path (`crate::a::b::T`, `super::x`, `other_crate::m`) is then
//! walked down the tree as far as its segments name modules, and the edge
//! points at the file of the deepest module reached. Paths to the standard
//! library and to dependencies become `package` nodes.

use std::collections::{HashMap, HashSet};

use super::{dir_of, is_under, join, Project, Resolution, Target};
use crate::diagnostic::Diagnostic;
use crate::model::{Flags, Lang, RawImport};

/// Crates of the Rust distribution (sorted).
const STD_CRATES: &[&str] = &["alloc", "core", "proc_macro", "std", "test"];

/// Directories whose every file is its own crate root, and whether it is test code.
const TARGET_DIRS: &[(&str, bool)] = &[("benches", true), ("examples", false), ("tests", true)];

#[derive(Default)]
struct Crate {
    /// Package name with `-` → `_`: how other crates refer to it.
    name: String,
    dir: String,
    /// Names the crate's code may use for dependencies.
    deps: HashSet<String>,
    /// Tree (index into `Trees::roots`) of the library, if any.
    lib: Option<usize>,
    /// The crate has a Cargo.toml, so its dependencies are known: an undeclared
    /// first path segment is then never taken for an external crate.
    has_manifest: bool,
}

struct ModNode {
    file: usize,
    children: HashMap<String, usize>,
}

struct Tree {
    krate: usize,
    nodes: Vec<ModNode>,
    is_lib: bool,
}

/// Where a file sits: tree, module path inside it.
#[derive(Clone)]
struct Place {
    tree: usize,
    path: Vec<String>,
}

struct Resolver<'p> {
    project: &'p Project<'p>,
    crates: Vec<Crate>,
    trees: Vec<Tree>,
    places: HashMap<usize, Place>,
    test_files: HashSet<usize>,
}

pub fn resolve(project: &Project, out: &mut Resolution) {
    let files: Vec<usize> = (0..project.files.len()).filter(|&i| project.files[i].file.lang == Lang::Rust).collect();
    if files.is_empty() {
        return;
    }
    let mut r =
        Resolver { project, crates: Vec::new(), trees: Vec::new(), places: HashMap::new(), test_files: HashSet::new() };
    r.load_crates(out);
    r.place_orphans(&files, out);
    for &i in &files {
        r.resolve_file(i, out);
    }
    out.test_files.extend(r.test_files);
}

impl Resolver<'_> {
    fn load_crates(&mut self, out: &mut Resolution) {
        let manifests: Vec<&String> = self.project.manifests.iter().filter(|m| file_name(m) == "Cargo.toml").collect();
        for m in manifests {
            let text = match self.project.read(m) {
                Ok(t) => t,
                Err(e) => {
                    out.diagnostics.push(Diagnostic::warning(m, None, format!("cannot read: {e}")));
                    continue;
                }
            };
            match text.parse::<toml::Table>() {
                Ok(t) => self.add_crate(m, &t, out),
                Err(e) => {
                    let line = e.span().map(|s| super::super::lang::line_of_offset(text.as_bytes(), s.start));
                    out.diagnostics.push(Diagnostic::warning(m, line, format!("invalid Cargo.toml: {}", e.message())));
                }
            }
        }
        // Directories holding a lib.rs or main.rs that no Cargo.toml claims: a crate each.
        let claimed: Vec<String> = self.crates.iter().map(|c| c.dir.clone()).collect();
        let loose: Vec<usize> = (0..self.project.files.len())
            .filter(|&i| {
                let rel = self.project.rel(i);
                matches!(file_name(rel), "lib.rs" | "main.rs") && !claimed.iter().any(|d| is_under(rel, d))
            })
            .collect();
        for root in loose {
            let dir = dir_of(self.project.rel(root)).to_string();
            let is_lib = file_name(self.project.rel(root)) == "lib.rs";
            let k = self.crates.len();
            self.crates.push(Crate { dir, ..Crate::default() });
            self.add_tree(k, root, is_lib, false, out);
        }
    }

    fn add_crate(&mut self, manifest: &str, t: &toml::Table, out: &mut Resolution) {
        let Some(pkg) = t.get("package").and_then(|p| p.as_table()) else {
            return;
        };
        let dir = dir_of(manifest).to_string();
        let lib_name = t.get("lib").and_then(|l| l.get("name")).and_then(|n| n.as_str());
        let name = lib_name.or_else(|| pkg.get("name").and_then(|n| n.as_str())).unwrap_or("").replace('-', "_");
        let k = self.crates.len();
        self.crates.push(Crate { name, dir: dir.clone(), deps: deps_of(t), lib: None, has_manifest: true });
        let at = |p: &str| join(&dir, p).and_then(|p| self.project.file(&p));
        let lib_path = t.get("lib").and_then(|l| l.get("path")).and_then(|p| p.as_str()).unwrap_or("src/lib.rs");
        if let Some(lib) = at(lib_path) {
            self.add_tree(k, lib, true, false, out);
        }
        let mut roots: Vec<(usize, bool)> = Vec::new();
        // Explicit targets: `[[bin]]`, `[[example]]`, `[[test]]`, `[[bench]]` with a `path`.
        for (key, test) in [("bench", true), ("bin", false), ("example", false), ("test", true)] {
            if let Some(targets) = t.get(key).and_then(|b| b.as_array()) {
                let paths = targets.iter().filter_map(|b| b.get("path")?.as_str());
                roots.extend(paths.filter_map(at).map(|f| (f, test)));
            }
        }
        roots.extend(at("src/main.rs").map(|f| (f, false)));
        let src_bin = join(&dir, "src/bin").unwrap_or_default();
        for (target_dir, test) in
            TARGET_DIRS.iter().map(|(d, t)| (join(&dir, d).unwrap_or_default(), *t)).chain([(src_bin, false)])
        {
            roots.extend(self.files_directly_in(&target_dir).into_iter().map(|f| (f, test)));
        }
        for (root, test) in roots {
            if !self.places.contains_key(&root) {
                self.add_tree(k, root, false, test, out);
            }
        }
    }

    /// `.rs` files directly in `dir`, and `dir/*/main.rs` (multi-file bins, tests).
    fn files_directly_in(&self, dir: &str) -> Vec<usize> {
        let prefix = format!("{dir}/");
        // Files are sorted by path (discover sorts them), so those under `dir/` are one run
        // found by binary search: a scan over all files per test/bench/example directory
        // was 58 % of a warm re-scan of 100k files.
        let files = &self.project.files;
        let start = files.partition_point(|f| f.file.rel.as_str() < prefix.as_str());
        (start..files.len())
            .take_while(|&i| self.project.rel(i).starts_with(&prefix))
            .filter(|&i| {
                let rest = &self.project.rel(i)[prefix.len()..];
                files[i].file.lang == Lang::Rust
                    && (!rest.contains('/') || rest.split('/').count() == 2 && rest.ends_with("/main.rs"))
            })
            .collect()
    }

    fn add_tree(&mut self, krate: usize, root: usize, is_lib: bool, test: bool, out: &mut Resolution) {
        let t = self.trees.len();
        self.trees.push(Tree { krate, nodes: vec![ModNode { file: root, children: HashMap::new() }], is_lib });
        if is_lib {
            self.crates[krate].lib = Some(t);
        }
        self.places.entry(root).or_insert(Place { tree: t, path: Vec::new() });
        if test {
            self.test_files.insert(root);
        }
        let mut visited = HashSet::from([root]);
        self.expand(t, 0, Vec::new(), true, test, &mut visited, out);
    }

    /// Add the `mod` children of the file of `node` (a file module) to tree `t`.
    #[allow(clippy::too_many_arguments)]
    fn expand(
        &mut self,
        t: usize,
        node: usize,
        path: Vec<String>,
        mod_root: bool,
        test: bool,
        visited: &mut HashSet<usize>,
        out: &mut Resolution,
    ) {
        let file = self.trees[t].nodes[node].file;
        let rel = self.project.rel(file).to_string();
        let dir = dir_of(&rel).to_string();
        let own_dir = if mod_root { dir.clone() } else { join(&dir, stem(&rel)).unwrap_or_default() };
        for m in self.project.files[file].facts.mods.clone() {
            // The node of the inline scope the declaration sits in.
            let mut scope_node = node;
            for s in &m.scope {
                scope_node = match self.trees[t].nodes[scope_node].children.get(s) {
                    Some(&c) => c,
                    None => break,
                };
            }
            let scope_dir = m.scope.iter().fold(own_dir.clone(), |d, s| join(&d, s).unwrap_or_default());
            let mut child_path = path.clone();
            child_path.extend(m.scope.iter().cloned());
            child_path.push(m.name.clone());
            if m.inline {
                self.push_node(t, scope_node, &m.name, file);
                continue;
            }
            let candidates = match &m.path_attr {
                Some(p) if m.scope.is_empty() => vec![join(&dir, p)],
                Some(p) => vec![join(&scope_dir, p)],
                None => {
                    vec![join(&scope_dir, &format!("{}.rs", m.name)), join(&scope_dir, &format!("{}/mod.rs", m.name))]
                }
            };
            let Some(child) = candidates.into_iter().flatten().find_map(|c| self.project.file(&c)) else {
                out.diagnostics.push(Diagnostic::warning(
                    &rel,
                    Some(m.line),
                    format!("`mod {}`: no file {}/{}.rs or {}/{}/mod.rs", m.name, scope_dir, m.name, scope_dir, m.name),
                ));
                continue;
            };
            let child_test = test || m.flags.contains(Flags::TEST);
            if child != file {
                out.links.push(super::Link {
                    from: file,
                    to: Target::Module(child),
                    kind: super::LinkKind::Contains,
                    line: m.line,
                    flags: if child_test { Flags::TEST } else { Flags::default() },
                    allow_cycle: None,
                });
            }
            if !visited.insert(child) {
                continue;
            }
            let id = self.push_node(t, scope_node, &m.name, child);
            self.places.entry(child).or_insert(Place { tree: t, path: child_path.clone() });
            if child_test {
                self.test_files.insert(child);
            }
            // rustc looks for the children of a `#[path]` file beside it, as for a `mod.rs`.
            let child_is_root = m.path_attr.is_some() || file_name(self.project.rel(child)) == "mod.rs";
            self.expand(t, id, child_path, child_is_root, child_test, visited, out);
        }
    }

    fn push_node(&mut self, t: usize, parent: usize, name: &str, file: usize) -> usize {
        let nodes = &mut self.trees[t].nodes;
        if let Some(&c) = nodes[parent].children.get(name) {
            return c;
        }
        nodes.push(ModNode { file, children: HashMap::new() });
        let id = nodes.len() - 1;
        nodes[parent].children.insert(name.to_string(), id);
        id
    }

    /// Files no tree reaches (declared by nothing tapestry can see) get a place
    /// from their path under the nearest crate's `src/`, are attached to the
    /// tree when their parent module is in it, and have their own `mod`
    /// children followed. Each is an info diagnostic: it may be dead code, or
    /// declared by a macro tapestry does not expand.
    fn place_orphans(&mut self, files: &[usize], out: &mut Resolution) {
        let mut orphans: Vec<(usize, usize, Vec<String>)> = Vec::new();
        for &f in files {
            if self.places.contains_key(&f) {
                continue;
            }
            let rel = self.project.rel(f);
            let placed = self.orphan_place(rel);
            if placed.is_some() && file_name(rel) != "build.rs" {
                out.rust_unreached.insert(f);
            }
            out.diagnostics.push(Diagnostic::new(
                rel,
                None,
                crate::diagnostic::Severity::Info,
                "not reachable through `mod` declarations from any crate root; resolved as if declared at its path",
            ));
            if let Some((tree, path)) = placed {
                orphans.push((f, tree, path));
            }
        }
        // Parents before children, so a chain of orphans attaches whole.
        orphans.sort_by_key(|(_, _, p)| p.len());
        for (f, tree, path) in orphans {
            if self.places.contains_key(&f) {
                continue; // reached meanwhile through an orphan parent's `mod`
            }
            self.places.insert(f, Place { tree, path: path.clone() });
            let Some((last, parent_path)) = path.split_last() else { continue };
            let Some(parent) = self.node_at(tree, parent_path) else { continue };
            let id = self.push_node(tree, parent, last, f);
            let is_root = file_name(self.project.rel(f)) == "mod.rs";
            let mut visited = HashSet::from([f]);
            self.expand(tree, id, path, is_root, false, &mut visited, out);
        }
    }

    fn orphan_place(&self, rel: &str) -> Option<(usize, Vec<String>)> {
        let k = (0..self.crates.len())
            .filter(|&k| is_under(rel, &self.crates[k].dir))
            .max_by_key(|&k| self.crates[k].dir.len())?;
        let tree = self.crates[k].lib.or_else(|| self.trees.iter().position(|t| t.krate == k))?;
        let src = join(&self.crates[k].dir, "src").unwrap_or_default();
        let under = rel.strip_prefix(&format!("{src}/"))?;
        let under = under.strip_suffix(".rs").unwrap_or(under);
        let under = under.strip_suffix("/mod").unwrap_or(under);
        Some((tree, under.split('/').map(String::from).collect()))
    }

    fn resolve_file(&self, file: usize, out: &mut Resolution) {
        let place = self.places.get(&file);
        let krate = place.map(|p| self.trees[p.tree].krate);
        let mut extra = Flags::default();
        if self.test_files.contains(&file) {
            extra.insert(Flags::TEST);
        }
        for imp in &self.project.files[file].facts.imports {
            let flags = imp.flags.union(extra);
            if let Some(target) = self.resolve_path(place, krate, imp) {
                out.link_import(file, target, imp, flags);
            }
        }
    }

    fn resolve_path(&self, place: Option<&Place>, krate: Option<usize>, imp: &RawImport) -> Option<Target> {
        let mut segs: Vec<&str> = imp.spec.split("::").collect();
        let absolute = segs.first() == Some(&"");
        if absolute {
            segs.remove(0);
        }
        let first = *segs.first()?;
        let current: Option<(usize, Vec<String>)> = place.map(|p| {
            let mut path = p.path.clone();
            path.extend(imp.scope.iter().cloned());
            (p.tree, path)
        });
        if !absolute {
            if let Some((tree, cur)) = &current {
                match first {
                    "crate" => return self.descend(*tree, &[], &segs[1..]),
                    "self" => return self.descend(*tree, cur, &segs[1..]),
                    "super" => {
                        let ups = segs.iter().take_while(|s| **s == "super").count();
                        let base = cur.get(..cur.len().checked_sub(ups)?)?;
                        return self.descend(*tree, base, &segs[ups..]);
                    }
                    _ => {
                        if self
                            .node_at(*tree, cur)
                            .is_some_and(|n| self.trees[*tree].nodes[n].children.contains_key(first))
                        {
                            return self.descend(*tree, cur, &segs);
                        }
                    }
                }
            } else if matches!(first, "crate" | "self" | "super") {
                return None;
            }
        }
        // Another crate: the workspace, the package's own lib, std, a dependency.
        let own = krate.map(|k| &self.crates[k]);
        let in_lib = current.as_ref().is_some_and(|(t, _)| self.trees[*t].is_lib);
        if let Some(lib) = own.filter(|c| !in_lib && c.name == first).and_then(|c| c.lib) {
            return self.descend(lib, &[], &segs[1..]);
        }
        if let Some(lib) = self
            .crates
            .iter()
            .find(|c| c.name == first && Some(c.name.as_str()) != own.map(|o| o.name.as_str()))
            .and_then(|c| c.lib)
        {
            return self.descend(lib, &[], &segs[1..]);
        }
        if STD_CRATES.binary_search(&first).is_ok() {
            return Some(Target::Package { ecosystem: "rust-std", name: first.to_string() });
        }
        let declared = own.is_some_and(|c| c.deps.contains(first));
        let deps_known = own.is_some_and(|c| c.has_manifest);
        let looks_like_crate = first.starts_with(|c: char| c.is_ascii_lowercase()) && first != "Self";
        // A dependency declared in Cargo.toml; without a manifest, any crate-looking name in a `use`.
        if declared || (imp.is_use && looks_like_crate && !deps_known) {
            return Some(Target::Package { ecosystem: "crates", name: first.to_string() });
        }
        None
    }

    fn node_at(&self, tree: usize, path: &[String]) -> Option<usize> {
        let nodes = &self.trees[tree].nodes;
        let mut n = 0;
        for seg in path {
            n = *nodes[n].children.get(seg)?;
        }
        Some(n)
    }

    /// From module `base`, follow `rest` while it names modules; the file reached.
    fn descend(&self, tree: usize, base: &[String], rest: &[&str]) -> Option<Target> {
        let nodes = &self.trees[tree].nodes;
        let mut n = self.node_at(tree, base)?;
        for seg in rest {
            match nodes[n].children.get(*seg) {
                Some(&c) => n = c,
                None => break,
            }
        }
        Some(Target::Module(nodes[n].file))
    }
}

/// Names a crate's code may use for its dependencies (`-` → `_`, renames kept).
fn deps_of(t: &toml::Table) -> HashSet<String> {
    let mut deps = HashSet::new();
    let mut add = |table: Option<&toml::Value>| {
        if let Some(tbl) = table.and_then(|v| v.as_table()) {
            deps.extend(tbl.keys().map(|k| k.replace('-', "_")));
        }
    };
    for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
        add(t.get(key));
    }
    if let Some(targets) = t.get("target").and_then(|v| v.as_table()) {
        for cfg in targets.values() {
            for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
                add(cfg.get(key));
            }
        }
    }
    deps
}

fn file_name(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, n)| n)
}

fn stem(rel: &str) -> &str {
    let name = file_name(rel);
    name.strip_suffix(".rs").unwrap_or(name)
}
