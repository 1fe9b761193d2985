//! TypeScript/JavaScript import resolution, following what `tsc` and Node do
//! for the cases that matter to an architecture map:
//!
//! 1. relative specifiers, probing extensions and `index` files, with `.js`
//!    specifiers that name `.ts` sources (the ESM-in-TypeScript convention);
//! 2. package.json `imports` (`#internal/x`) of the importing file's package;
//! 3. the nearest `tsconfig.json`/`jsconfig.json` `paths` and `baseUrl`,
//!    following `extends` (comments and trailing commas allowed: `jsonc-parser`);
//! 4. workspace packages (every `package.json` in the tree with a name) by name
//!    or deep path, through `exports` or `main`, mapping build output back to
//!    sources through that package's `outDir`/`rootDir`;
//! 5. everything else is a package: a Node builtin or an npm package.
//!
//! Configs are read once and cached per directory, so each import is a few
//! hash lookups.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError, RwLock};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use serde_json::Value;

use super::{dir_of, join, Project, Resolution, Target};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::RawImport;

static NODE_BUILTINS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| super::data_lines(include_str!("../../data/node-builtins.txt")));

/// Extensions probed after a specifier, in the order TypeScript's bundler resolution tries them.
const PROBE_EXTS: &[&str] = &[".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".vue", ".svelte"];

/// A JavaScript extension in a specifier and the TypeScript sources it may name.
const JS_TO_TS: &[(&str, &[&str])] =
    &[(".cjs", &[".cts", ".ts"]), (".js", &[".ts", ".tsx", ".d.ts"]), (".jsx", &[".tsx"]), (".mjs", &[".mts", ".ts"])];

/// Extensions of imported files that are not source modules (sorted; checked by a test).
/// Vue and Svelte components are source: their `<script>` blocks are read.
const NON_SOURCE_EXTS: &[&str] = &[
    "astro",
    "avif",
    "bmp",
    "css",
    "csv",
    "ejs",
    "eot",
    "frag",
    "gif",
    "glsl",
    "gql",
    "graphql",
    "gz",
    "handlebars",
    "hbs",
    "htm",
    "html",
    "ico",
    "jpeg",
    "jpg",
    "json",
    "json5",
    "jsonc",
    "less",
    "md",
    "mdx",
    "mp3",
    "mp4",
    "node",
    "ogg",
    "otf",
    "pdf",
    "png",
    "proto",
    "pug",
    "sass",
    "scss",
    "sql",
    "styl",
    "svg",
    "toml",
    "tsv",
    "ttf",
    "txt",
    "vert",
    "wasm",
    "wav",
    "webm",
    "webp",
    "wgsl",
    "woff",
    "woff2",
    "xml",
    "yaml",
    "yml",
    "zip",
];

/// Export conditions tried in order: sources first, then runtime, then types.
const CONDITIONS: &[&str] = &["source", "import", "require", "node", "module", "browser", "default", "types"];

/// How many `extends` hops are followed before giving up (a loop guard).
const MAX_EXTENDS: usize = 16;

/// A tsconfig `paths` pattern and its targets.
type PathEntry = (String, Vec<String>);

#[derive(Debug, Default, Clone)]
struct TsConfig {
    base_url: Option<String>,
    /// `paths` patterns in declaration order, with their targets.
    paths: Vec<PathEntry>,
    /// The directory `paths` targets are relative to.
    paths_base: String,
    out_dir: Option<String>,
    root_dir: Option<String>,
}

struct Package {
    dir: String,
    json: Value,
}

struct Resolver<'p> {
    project: &'p Project<'p>,
    out: Mutex<Vec<Diagnostic>>,
    /// Directory → nearest tsconfig (by directory) cache.
    tsconfigs: RwLock<HashMap<String, Option<Arc<TsConfig>>>>,
    /// Package name → every package.json of that name in the tree.
    by_name: HashMap<String, Vec<Arc<Package>>>,
    /// Directory of a package.json → the package.
    by_dir: HashMap<String, Arc<Package>>,
    /// Workspace declarations (package.json `workspaces`, pnpm-workspace.yaml).
    workspaces: Vec<Workspace>,
    /// (package directory, path in it) → the file it names: a monorepo's files
    /// import the same few entry points thousands of times, and each probe tries
    /// a dozen spellings.
    in_package: RwLock<HashMap<(String, String), Option<usize>>>,
}

/// One workspace declaration: its directory and member globs.
struct Workspace {
    dir: String,
    include: GlobSet,
    exclude: GlobSet,
}

/// What tsconfig `paths`/`baseUrl` say about a specifier.
enum Alias {
    Found(usize),
    /// A `paths` pattern matched, but none of its targets exists.
    Missing(String),
    NoMatch,
}

enum Outcome {
    File(usize),
    Package(Target),
    NonSource,
    /// A name no npm package can have (`$app/stores`, `virtual:x`, `cloudflare:workers`):
    /// a module a framework or bundler provides.
    Virtual,
    Ignored,
    Unresolved(String),
}

pub fn resolve(project: &Project, out: &mut Resolution) {
    let files: Vec<usize> = (0..project.files.len()).filter(|&i| project.files[i].file.lang.is_ecmascript()).collect();
    if files.is_empty() {
        return;
    }
    let r = Resolver::new(project);
    // Every tsconfig a file or package can use is loaded first, in file order, so that its
    // warnings are made once; the imports are then resolved in parallel (on the pool of
    // the caller's `install`), the tsconfigs only read, and applied in file order.
    for &i in &files {
        r.tsconfig_for(dir_of(project.rel(i)));
    }
    let mut package_dirs: Vec<&String> = r.by_dir.keys().collect();
    package_dirs.sort_unstable();
    for dir in package_dirs {
        r.tsconfig_for(dir);
    }
    let outcomes: Vec<Vec<Outcome>> = files
        .par_iter()
        .map(|&i| project.files[i].facts.imports.iter().map(|imp| r.resolve(i, imp)).collect())
        .collect();
    for (&i, outcomes) in files.iter().zip(outcomes) {
        for (imp, outcome) in project.files[i].facts.imports.iter().zip(outcomes) {
            match outcome {
                Outcome::File(f) => out.link_import(i, Target::Module(f), imp, imp.flags),
                Outcome::Package(t) => out.link_import(i, t, imp, imp.flags),
                Outcome::NonSource => out.non_source_imports += 1,
                Outcome::Virtual => out.virtual_imports += 1,
                Outcome::Ignored => {}
                Outcome::Unresolved(why) => out.unresolved(project.rel(i), imp.line, why),
            }
        }
    }
    out.diagnostics.append(&mut r.out.into_inner().unwrap_or_else(PoisonError::into_inner));
}

impl<'p> Resolver<'p> {
    fn new(project: &'p Project<'p>) -> Self {
        let mut r = Resolver {
            project,
            out: Mutex::new(Vec::new()),
            tsconfigs: RwLock::new(HashMap::new()),
            by_name: HashMap::new(),
            by_dir: HashMap::new(),
            workspaces: Vec::new(),
            in_package: RwLock::new(HashMap::new()),
        };
        for m in project.manifests.iter().filter(|m| file_name(m) == "package.json") {
            let Some(json) = r.read_json(m) else { continue };
            let pkg = Arc::new(Package { dir: dir_of(m).to_string(), json });
            if let Some(globs) = workspace_globs(&pkg.json) {
                r.add_workspace(&pkg.dir, &globs, m);
            }
            if let Some(name) = pkg.json.get("name").and_then(Value::as_str) {
                r.by_name.entry(name.to_string()).or_default().push(pkg.clone());
            }
            r.by_dir.insert(pkg.dir.clone(), pkg);
        }
        for m in project.manifests.iter().filter(|m| file_name(m) == "pnpm-workspace.yaml") {
            if let Some(globs) = r.pnpm_globs(m) {
                r.add_workspace(dir_of(m), &globs, m);
            }
        }
        r
    }

    fn pnpm_globs(&self, rel: &str) -> Option<Vec<String>> {
        let text = self.project.read(rel).ok()?;
        // Our reader, not `YamlLoader`: it bounds alias expansion and depth.
        match super::yaml::parse(&text) {
            Ok(docs) => {
                let list = docs.first()?.get("packages")?.items();
                Some(list.iter().filter_map(|(g, _)| g.str().map(String::from)).collect())
            }
            Err((msg, line)) => {
                self.warn(rel, format!("invalid YAML: {msg} at line {line}"));
                None
            }
        }
    }

    fn add_workspace(&mut self, dir: &str, globs: &[String], manifest: &str) {
        let mut include = GlobSetBuilder::new();
        let mut exclude = GlobSetBuilder::new();
        for g in globs {
            let (set, pat) = match g.strip_prefix('!') {
                Some(p) => (&mut exclude, p),
                None => (&mut include, g.as_str()),
            };
            let pat = pat.trim_start_matches("./").trim_end_matches('/');
            match GlobBuilder::new(pat).literal_separator(true).build() {
                Ok(glob) => {
                    set.add(glob);
                }
                Err(e) => self.warn(manifest, format!("bad workspace glob `{g}`: {e}")),
            }
        }
        if let (Ok(include), Ok(exclude)) = (include.build(), exclude.build()) {
            self.workspaces.push(Workspace { dir: dir.to_string(), include, exclude });
        }
    }

    /// Whether a package directory is a member of a declared workspace.
    fn in_workspace(&self, pkg_dir: &str) -> bool {
        self.workspaces.iter().any(|w| {
            if pkg_dir == w.dir {
                return true;
            }
            let rel = if w.dir.is_empty() { Some(pkg_dir) } else { pkg_dir.strip_prefix(&format!("{}/", w.dir)) };
            rel.is_some_and(|r| w.include.is_match(r) && !w.exclude.is_match(r))
        })
    }

    /// The local package an importer in `dir` means by `name`, if any.
    ///
    /// When the repository declares workspaces, only their members count,
    /// plus the importer's own package and `file:`/`link:` dependencies of
    /// the importer's package (so a test fixture named `typescript` does not
    /// capture every `import ts from "typescript"`). Among several, the
    /// nearest to the importer wins.
    fn local_package(&self, dir: &str, name: &str) -> Option<&Arc<Package>> {
        let candidates = self.by_name.get(name)?;
        let path_dep = self.path_dependency(dir, name);
        candidates
            .iter()
            .filter(|p| {
                self.workspaces.is_empty()
                    || self.in_workspace(&p.dir)
                    || is_ancestor(&p.dir, dir)
                    || path_dep.as_deref() == Some(p.dir.as_str())
            })
            .max_by_key(|p| (common_prefix(dir, &p.dir), std::cmp::Reverse(p.dir.clone())))
    }

    /// `"name": "file:../x"` (or `link:`, `portal:`) in the nearest package.json: the directory.
    fn path_dependency(&self, dir: &str, name: &str) -> Option<String> {
        let pkg = self.nearest_package(dir)?;
        ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"].iter().find_map(|k| {
            let spec = pkg.json.get(*k)?.get(name)?.as_str()?;
            let path = ["file:", "link:", "portal:"].iter().find_map(|p| spec.strip_prefix(p))?;
            join(&pkg.dir, path)
        })
    }

    fn nearest_package(&self, dir: &str) -> Option<&Arc<Package>> {
        let mut d = Some(dir);
        while let Some(cur) = d {
            if let Some(p) = self.by_dir.get(cur) {
                return Some(p);
            }
            d = if cur.is_empty() { None } else { Some(dir_of(cur)) };
        }
        None
    }

    fn read_json(&self, rel: &str) -> Option<Value> {
        let text = match self.project.read(rel) {
            Ok(t) => t,
            Err(e) => {
                self.warn(rel, format!("cannot read: {e}"));
                return None;
            }
        };
        match jsonc_parser::parse_to_serde_value(&text, &jsonc_options()) {
            Ok(Some(v)) => Some(v),
            Ok(None) => None,
            Err(e) => {
                self.warn(rel, format!("invalid JSON: {e}"));
                None
            }
        }
    }

    fn warn(&self, rel: &str, msg: String) {
        self.out.lock().unwrap_or_else(PoisonError::into_inner).push(Diagnostic::warning(rel, None, msg));
    }

    fn resolve(&self, from: usize, imp: &RawImport) -> Outcome {
        let spec = imp.spec.split(['?', '#']).next().unwrap_or("");
        let spec = if imp.spec.starts_with('#') { imp.spec.as_str() } else { spec };
        if spec.is_empty() || spec.contains("://") || spec.starts_with('/') {
            return Outcome::Ignored;
        }
        if is_non_source(spec) {
            return Outcome::NonSource;
        }
        let rel = self.project.rel(from);
        let dir = dir_of(rel);
        if is_relative(spec) {
            return match join(dir, spec).and_then(|p| self.probe(&p)) {
                Some(f) => Outcome::File(f),
                None => Outcome::Unresolved(format!("relative import `{spec}` matches no source file")),
            };
        }
        let alias = self.tsconfig_for(dir).map_or(Alias::NoMatch, |cfg| self.via_tsconfig(&cfg, spec));
        if let Alias::Found(f) = alias {
            return Outcome::File(f);
        }
        if let Some(f) = self.sveltekit_lib(rel, spec) {
            return Outcome::File(f);
        }
        if spec.starts_with('#') {
            return self.package_imports(dir, spec);
        }
        let (name, sub) = split_package(spec);
        if let Some(pkg) = self.local_package(dir, name) {
            return match self.in_package(pkg, sub) {
                Some(f) => Outcome::File(f),
                None => Outcome::Unresolved(format!("`{spec}`: workspace package `{name}` has no source file for it")),
            };
        }
        if let Some(builtin) = builtin(spec, name) {
            return Outcome::Package(builtin);
        }
        if !is_npm_name(name) {
            return match alias {
                Alias::Missing(pattern) => {
                    Outcome::Unresolved(format!("`{spec}` matches tsconfig paths `{pattern}` but no source file"))
                }
                _ => Outcome::Virtual,
            };
        }
        Outcome::Package(Target::Package { ecosystem: "npm", name: name.to_string() })
    }

    /// SvelteKit's `$lib/api` is `src/lib/api` of the app the importing file is in: the
    /// alias is declared in the generated `.svelte-kit/tsconfig.json`, which repositories
    /// do not commit (a `paths` entry of the project's own tsconfig is read first).
    fn sveltekit_lib(&self, rel: &str, spec: &str) -> Option<usize> {
        let rest = spec.strip_prefix("$lib")?;
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        let app = match rel.rfind("/src/") {
            Some(i) => &rel[..=i],
            None => rel.starts_with("src/").then_some("")?,
        };
        self.probe(&format!("{app}src/lib{rest}"))
    }

    /// A path without extension or with one: the file, its TS source, `+ext`, `/index+ext`.
    fn probe(&self, path: &str) -> Option<usize> {
        let p = self.project;
        if let Some(f) = p.file(path) {
            return Some(f);
        }
        for (js, ts) in JS_TO_TS {
            if let Some(stem) = path.strip_suffix(js) {
                if let Some(f) = ts.iter().find_map(|e| p.file(&format!("{stem}{e}"))) {
                    return Some(f);
                }
            }
        }
        PROBE_EXTS.iter().find_map(|e| p.file(&format!("{path}{e}"))).or_else(|| {
            let index = if path.is_empty() { "index".to_string() } else { format!("{path}/index") };
            PROBE_EXTS.iter().find_map(|e| p.file(&format!("{index}{e}"))).or_else(|| self.directory_main(path))
        })
    }

    /// `require("./lib/sub")` where `lib/sub/package.json` names a `main`.
    fn directory_main(&self, dir: &str) -> Option<usize> {
        let main = self.by_dir.get(dir)?.json.get("main")?.as_str()?;
        let target = join(dir, main)?;
        if target == dir {
            return None;
        }
        self.project
            .file(&target)
            .or_else(|| PROBE_EXTS.iter().find_map(|e| self.project.file(&format!("{target}{e}"))))
    }

    fn via_tsconfig(&self, cfg: &TsConfig, spec: &str) -> Alias {
        // TypeScript picks the pattern with the longest prefix before `*`.
        let mut best: Option<(&PathEntry, &str, usize)> = None;
        for entry in &cfg.paths {
            let pat = &entry.0;
            let (captured, prefix_len) = match pat.split_once('*') {
                None if pat == spec => ("", usize::MAX),
                None => continue,
                Some((pre, post)) => {
                    if spec.len() >= pre.len() + post.len() && spec.starts_with(pre) && spec.ends_with(post) {
                        (&spec[pre.len()..spec.len() - post.len()], pre.len())
                    } else {
                        continue;
                    }
                }
            };
            if best.is_none_or(|(_, _, l)| prefix_len > l) {
                best = Some((entry, captured, prefix_len));
            }
        }
        let mut missing = None;
        if let Some(((pattern, targets), captured, _)) = best {
            let found = targets
                .iter()
                .find_map(|t| join(&cfg.paths_base, &t.replacen('*', captured, 1)).and_then(|p| self.probe(&p)));
            if let Some(f) = found {
                return Alias::Found(f);
            }
            missing = Some(pattern.clone());
        }
        if let Some(f) = cfg.base_url.as_ref().and_then(|b| join(b, spec)).and_then(|p| self.probe(&p)) {
            return Alias::Found(f);
        }
        missing.map_or(Alias::NoMatch, Alias::Missing)
    }

    /// `#internal/x` through the `imports` map of the nearest package.json.
    fn package_imports(&self, dir: &str, spec: &str) -> Outcome {
        let Some(pkg) = self.nearest_package(dir) else {
            return Outcome::Unresolved(format!("`{spec}`: no package.json above this file"));
        };
        match pkg.json.get("imports").and_then(|map| self.subpath_map(pkg, map, spec)) {
            Some(f) => Outcome::File(f),
            None => Outcome::Unresolved(format!("`{spec}` is not in the `imports` of {}", manifest(&pkg.dir))),
        }
    }

    /// A subpath (`""` or `x/y`) of a workspace package, to a source file.
    fn in_package(&self, pkg: &Package, sub: &str) -> Option<usize> {
        let key = if sub.is_empty() { ".".to_string() } else { format!("./{sub}") };
        if let Some(exports) = pkg.json.get("exports") {
            let map_like = exports.as_object().is_some_and(|o| o.keys().any(|k| k.starts_with('.')));
            let found = if map_like {
                self.subpath_map(pkg, exports, &key)
            } else if key == "." {
                self.target(pkg, exports, "")
            } else {
                None
            };
            if found.is_some() {
                return found;
            }
        }
        if sub.is_empty() {
            let fields = ["source", "module", "main", "types", "typings"];
            let from_fields = fields
                .iter()
                .filter_map(|f| pkg.json.get(*f).and_then(Value::as_str))
                .find_map(|t| self.file_in_package(pkg, t));
            return from_fields.or_else(|| self.probe(&join(&pkg.dir, "src")?)).or_else(|| self.probe(&pkg.dir));
        }
        self.file_in_package(pkg, sub).or_else(|| self.probe(&join(&pkg.dir, &format!("src/{sub}"))?))
    }

    /// Look `key` up in an `exports`/`imports` map, with `*` patterns.
    fn subpath_map(&self, pkg: &Package, map: &Value, key: &str) -> Option<usize> {
        let obj = map.as_object()?;
        if let Some(t) = obj.get(key) {
            return self.target(pkg, t, "");
        }
        let mut best: Option<(&Value, &str, usize)> = None;
        for (pat, t) in obj {
            let Some((pre, post)) = pat.split_once('*') else {
                continue;
            };
            if key.len() >= pre.len() + post.len() && key.starts_with(pre) && key.ends_with(post) {
                let cap = &key[pre.len()..key.len() - post.len()];
                if best.is_none_or(|(_, _, l)| pre.len() > l) {
                    best = Some((t, cap, pre.len()));
                }
            }
        }
        let (t, cap, _) = best?;
        self.target(pkg, t, cap)
    }

    /// An export target: a string, an array of alternatives or a conditions object.
    fn target(&self, pkg: &Package, t: &Value, cap: &str) -> Option<usize> {
        match t {
            Value::String(s) => self.file_in_package(pkg, &s.replace('*', cap)),
            Value::Array(items) => items.iter().find_map(|i| self.target(pkg, i, cap)),
            Value::Object(o) => {
                // Custom source conditions first (`@zod/source`, the usual `customConditions`
                // of a monorepo's tsconfig), then the known ones in order, then the rest.
                let custom = o.iter().filter(|(k, _)| k.ends_with("source") && *k != "source").map(|(_, v)| v);
                let known = custom.chain(CONDITIONS.iter().filter_map(|c| o.get(*c)));
                let others = o
                    .iter()
                    .filter(|(k, _)| !CONDITIONS.contains(&k.as_str()) && !k.ends_with("source"))
                    .map(|(_, v)| v);
                known.chain(others).find_map(|v| self.target(pkg, v, cap))
            }
            _ => None,
        }
    }

    /// A path inside a package: the file itself or, when it is build output,
    /// its source through the package's tsconfig `outDir` → `rootDir`.
    fn file_in_package(&self, pkg: &Package, path: &str) -> Option<usize> {
        let key = (pkg.dir.clone(), path.to_string());
        if let Some(found) = self.in_package.read().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return *found;
        }
        let found = self.probe_in_package(pkg, path);
        self.in_package.write().unwrap_or_else(PoisonError::into_inner).insert(key, found);
        found
    }

    fn probe_in_package(&self, pkg: &Package, path: &str) -> Option<usize> {
        let full = join(&pkg.dir, path)?;
        if let Some(f) = self.probe(&full) {
            return Some(f);
        }
        let inner = join("", path)?;
        let cfg = self.tsconfig_for(&pkg.dir);
        let (out_dir, root_dir) = match cfg.as_ref().and_then(|c| c.out_dir.clone()) {
            Some(out) => {
                let root =
                    cfg.and_then(|c| c.root_dir.clone()).unwrap_or_else(|| join(&pkg.dir, "src").unwrap_or_default());
                (out, root)
            }
            None => {
                let build =
                    ["dist", "lib", "build", "out"].into_iter().find(|b| inner.starts_with(&format!("{b}/")))?;
                (join(&pkg.dir, build)?, join(&pkg.dir, "src")?)
            }
        };
        let rest = full.strip_prefix(&out_dir)?.trim_start_matches('/');
        let stem = strip_js_ext(rest);
        self.probe(&join(&root_dir, stem)?)
    }

    /// The nearest tsconfig.json/jsconfig.json at or above `dir`, loaded and cached.
    fn tsconfig_for(&self, dir: &str) -> Option<Arc<TsConfig>> {
        if let Some(c) = self.tsconfigs.read().unwrap_or_else(PoisonError::into_inner).get(dir) {
            return c.clone();
        }
        let found = ["tsconfig.json", "jsconfig.json"]
            .iter()
            .map(|n| if dir.is_empty() { (*n).to_string() } else { format!("{dir}/{n}") })
            .find(|p| self.project.manifests.binary_search(p).is_ok());
        let cfg = match found {
            Some(path) => Some(Arc::new(self.load_tsconfig(&path))),
            None if dir.is_empty() => None,
            None => self.tsconfig_for(dir_of(dir)),
        };
        self.tsconfigs.write().unwrap_or_else(PoisonError::into_inner).insert(dir.to_string(), cfg.clone());
        cfg
    }

    /// Load a tsconfig, everything it extends (a string or, since TypeScript
    /// 5.0, an array whose later entries win) and, for a "solution" config
    /// with no `paths` of its own (Vite's `files: []` + `references`), the
    /// options of the first referenced config that has some.
    fn load_tsconfig(&self, path: &str) -> TsConfig {
        let leaf_dir = dir_of(path);
        let mut cfg = TsConfig::default();
        let mut paths_dir = None;
        self.load_chain(path, leaf_dir, 0, &mut cfg, &mut paths_dir);
        if cfg.paths.is_empty() && cfg.base_url.is_none() {
            for r in self.references(path) {
                let mut rc = TsConfig::default();
                let mut rdir = None;
                self.load_chain(&r, dir_of(&r), 0, &mut rc, &mut rdir);
                if !rc.paths.is_empty() || rc.base_url.is_some() {
                    (cfg.paths, cfg.base_url) = (rc.paths, rc.base_url);
                    paths_dir = rdir;
                    break;
                }
            }
        }
        // `paths` are relative to `baseUrl` when it is set anywhere in the chain.
        cfg.paths_base = cfg.base_url.clone().or(paths_dir).unwrap_or_default();
        cfg
    }

    /// Apply `path`'s bases, then its own `compilerOptions`, onto `cfg`.
    fn load_chain(&self, path: &str, leaf_dir: &str, depth: usize, cfg: &mut TsConfig, paths_dir: &mut Option<String>) {
        if depth > MAX_EXTENDS {
            return self.warn(path, "`extends` chain loops or is too long".to_string());
        }
        let Some(json) = self.read_json(path) else { return };
        let bases: Vec<&str> = match json.get("extends") {
            Some(Value::String(e)) => vec![e.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for base in bases {
            match self.extends_path(path, base) {
                Some(p) => self.load_chain(&p, leaf_dir, depth + 1, cfg, paths_dir),
                None => self.out.lock().unwrap_or_else(PoisonError::into_inner).push(Diagnostic::new(
                    path,
                    None,
                    Severity::Info,
                    format!(
                        "`extends: \"{base}\"` is not in the tree (an uninstalled package?): its options are unknown"
                    ),
                )),
            }
        }
        let dir = dir_of(path);
        let Some(opts) = json.get("compilerOptions") else { return };
        // `${configDir}` is the directory of the config being resolved, not of the one that says it.
        let rel = |key: &str| {
            let v = opts.get(key).and_then(Value::as_str)?;
            match v.strip_prefix("${configDir}") {
                Some(rest) => join(leaf_dir, rest.trim_start_matches('/')),
                None => join(dir, v),
            }
        };
        if let Some(b) = rel("baseUrl") {
            cfg.base_url = Some(b);
        }
        if let Some(paths) = opts.get("paths").and_then(Value::as_object) {
            cfg.paths = paths
                .iter()
                .map(|(k, v)| {
                    let targets = v
                        .as_array()
                        .map(|a| a.iter().filter_map(Value::as_str).map(|t| t.replace("${configDir}", ".")).collect());
                    (k.clone(), targets.unwrap_or_default())
                })
                .collect();
            *paths_dir = Some(if opts.get("paths").is_some_and(|p| p.to_string().contains("${configDir}")) {
                leaf_dir.to_string()
            } else {
                dir.to_string()
            });
        }
        if let Some(o) = rel("outDir") {
            cfg.out_dir = Some(o);
        }
        if let Some(r) = rel("rootDir") {
            cfg.root_dir = Some(r);
        }
    }

    /// The configs a solution-style tsconfig lists in `references`.
    fn references(&self, path: &str) -> Vec<String> {
        let Some(json) = self.read_json(path) else { return Vec::new() };
        let Some(refs) = json.get("references").and_then(Value::as_array) else { return Vec::new() };
        refs.iter()
            .filter_map(|r| r.get("path")?.as_str())
            .filter_map(|p| join(dir_of(path), p))
            .map(|p| if p.ends_with(".json") { p } else { format!("{p}/tsconfig.json") })
            .filter(|p| self.project.root.join(p).is_file())
            .collect()
    }

    /// Where `extends` points: a relative file, or a package under node_modules.
    fn extends_path(&self, from: &str, ext: &str) -> Option<String> {
        let with_json = |p: String| {
            if p.ends_with(".json") {
                p
            } else {
                format!("{p}.json")
            }
        };
        if is_relative(ext) {
            return join(dir_of(from), ext).map(with_json);
        }
        let mut dir = Some(dir_of(from));
        while let Some(d) = dir {
            for cand in [with_json(format!("node_modules/{ext}")), format!("node_modules/{ext}/tsconfig.json")] {
                if let Some(p) = join(d, &cand) {
                    if self.project.root.join(&p).is_file() {
                        return Some(p);
                    }
                }
            }
            dir = if d.is_empty() { None } else { Some(dir_of(d)) };
        }
        // A workspace package that ships shared configs (`@acme/tsconfig/base.json`).
        let (name, sub) = split_package(ext);
        let pkg = self.by_name.get(name)?.first()?;
        let sub = if sub.is_empty() { "tsconfig.json".to_string() } else { with_json(sub.to_string()) };
        join(&pkg.dir, &sub).filter(|p| self.project.root.join(p).is_file())
    }
}

pub(super) fn jsonc_options() -> jsonc_parser::ParseOptions {
    jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
    }
}

fn file_name(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, n)| n)
}

fn manifest(dir: &str) -> String {
    if dir.is_empty() {
        "package.json".to_string()
    } else {
        format!("{dir}/package.json")
    }
}

fn is_relative(spec: &str) -> bool {
    spec == "." || spec == ".." || spec.starts_with("./") || spec.starts_with("../")
}

fn is_non_source(spec: &str) -> bool {
    let last = spec.rsplit('/').next().unwrap_or(spec);
    last.rsplit_once('.').is_some_and(|(_, ext)| NON_SOURCE_EXTS.binary_search(&ext).is_ok())
}

fn strip_js_ext(path: &str) -> &str {
    for ext in [".d.ts", ".d.mts", ".d.cts", ".js", ".mjs", ".cjs", ".jsx"] {
        if let Some(s) = path.strip_suffix(ext) {
            return s;
        }
    }
    path
}

/// `@scope/name/sub` → (`@scope/name`, `sub`); `name/sub` → (`name`, `sub`).
fn split_package(spec: &str) -> (&str, &str) {
    let mut parts = spec.splitn(3, '/');
    let first = parts.next().unwrap_or("");
    if first.starts_with('@') {
        let name_len = first.len() + parts.next().map_or(0, |s| s.len() + 1);
        (&spec[..name_len], spec.get(name_len + 1..).unwrap_or(""))
    } else {
        (first, spec.get(first.len() + 1..).unwrap_or(""))
    }
}

/// A Node builtin: `node:x` or a builtin's name (`fs`, `fs/promises`).
fn builtin(spec: &str, name: &str) -> Option<Target> {
    if let Some(b) = spec.strip_prefix("node:") {
        let top = b.split('/').next().unwrap_or(b);
        return Some(Target::Package { ecosystem: "node-builtin", name: top.to_string() });
    }
    super::in_sorted(&NODE_BUILTINS, name)
        .then(|| Target::Package { ecosystem: "node-builtin", name: name.to_string() })
}

/// Whether `name` could be an npm package: lower-case URL-safe characters,
/// not starting with `.`, `_`, `~` or `$`, an optional `@scope/`.
fn is_npm_name(name: &str) -> bool {
    let part_ok = |p: &str| {
        !p.is_empty()
            && !p.starts_with(['.', '_', '~', '$'])
            && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._~".contains(&b))
    };
    match name.strip_prefix('@') {
        Some(scoped) => scoped.split_once('/').is_some_and(|(scope, n)| part_ok(scope) && part_ok(n)),
        None => part_ok(name),
    }
}

/// `workspaces: [...]` or `workspaces: {packages: [...]}` of a package.json.
fn workspace_globs(json: &Value) -> Option<Vec<String>> {
    let ws = json.get("workspaces")?;
    let list = ws.as_array().or_else(|| ws.get("packages")?.as_array())?;
    Some(list.iter().filter_map(|g| g.as_str().map(String::from)).collect())
}

fn is_ancestor(dir: &str, of: &str) -> bool {
    dir.is_empty() || of == dir || of.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// Common leading directories of two relative paths.
fn common_prefix(a: &str, b: &str) -> usize {
    a.split('/').zip(b.split('/')).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_source_table_sorted() {
        crate::resolve::assert_sorted(&[NON_SOURCE_EXTS]);
    }

    #[test]
    fn package_names() {
        assert_eq!(split_package("@a/b/c/d"), ("@a/b", "c/d"));
        assert_eq!(split_package("@a/b"), ("@a/b", ""));
        assert_eq!(split_package("lodash/fp"), ("lodash", "fp"));
        assert_eq!(split_package("react"), ("react", ""));
        let fs = Some(Target::Package { ecosystem: "node-builtin", name: "fs".into() });
        assert_eq!(builtin("node:fs/promises", "node:fs"), fs);
        assert_eq!(builtin("fs/promises", "fs"), fs);
        assert_eq!(builtin("react", "react"), None);
    }

    #[test]
    fn npm_names() {
        for ok in ["react", "@scope/pkg", "lodash.get", "a-b_c"] {
            assert!(is_npm_name(ok), "{ok}");
        }
        for bad in
            ["$app", "~", "@/components", "virtual:pwa", "cloudflare:workers", "MANIFEST", "_x", "@docusaurus/Link"]
        {
            assert!(!is_npm_name(bad), "{bad}");
        }
    }

    #[test]
    fn non_source_specifiers() {
        assert!(is_non_source("./a.module.css"));
        assert!(is_non_source("../data.json"));
        assert!(!is_non_source("./user.service"));
        assert!(!is_non_source("./x.js"));
    }
}
