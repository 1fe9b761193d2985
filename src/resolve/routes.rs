//! Endpoints: routes with every router prefix applied, across files.
//!
//! Each file's routers, routes and mounts are linked here: a route's router
//! and a mount's child are looked up in the declaring file, then through its
//! imports (`from .users import bp`, `import users from './users'`), then by a
//! Django `include("app.urls")` or a Rust function name. A router's full
//! prefixes are the product of every chain of mounts above it (a router
//! mounted twice serves twice). File-based routes (Next.js) take their path
//! from the file's location, and `.proto` services give `RPC` endpoints to the
//! service that registers their implementation.
//!
//! Route parameters are normalised to `{name}` (`<int:id>`, `:id`, `[id]`).
//! A path that cannot be read statically is a diagnostic, never an endpoint.

use std::collections::{BTreeMap, HashMap};

use super::arch::{render, ArchOut, Ctx, End};
use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{endpoint_id, EdgeKind, EndpointNode, Node};
use crate::lang::arch::{lit, push_parts};
use crate::lang::py_restx::{API_FRAMEWORK, API_PARAM};
use crate::lang::ts_nest::{GLOBAL_ARG, GLOBAL_PARAM, URI_VERSIONING};
use crate::model::{DiValue, Extracted, Flags, Lang, Part, Template};

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ep {
    pub service: String,
    pub method: String,
    pub path: String,
    pub framework: String,
    pub handler: Option<String>,
    /// Where the endpoint is defined (route declaration, or the `.proto` rpc).
    pub def: (String, u32),
    /// Where the service says it serves it (the route, or the servicer registration).
    pub site: (String, u32),
    /// Its last parameter takes the rest of the path, slashes included (`{rest:path}`,
    /// `<path:rest>`, `{*rest}`): a gateway's or proxy's catch-all ([`catch_all_path`]).
    pub catch_all: bool,
}

impl Ep {
    pub fn id(&self) -> String {
        endpoint_id(&self.service, &self.method, &self.path)
    }
}

#[derive(Debug, Default)]
pub struct Endpoints {
    pub list: Vec<Ep>,
    /// A service named after the scan root, for routes no service directory holds.
    pub fallback_service: Option<String>,
    /// Proto service name → services that implement it.
    pub grpc_impl: BTreeMap<String, Vec<String>>,
    /// Proto service names as generated Rust code spells them, when they differ:
    /// tonic names the server and client of `service HTTP` `HttpServer`/`HttpClient`.
    pub grpc_names: BTreeMap<String, String>,
    /// Proto service names the scanned `.proto` files define (sorted).
    pub grpc_defined: Vec<String>,
    /// Paths a service serves its routes under as well as at their own
    /// (`FastAPI(root_path="/user-api")`), by service name.
    pub root_paths: BTreeMap<String, Vec<String>>,
}

impl Endpoints {
    /// The proto service a gRPC fact names: itself, or the one `.proto` service whose
    /// UpperCamelCase form it is.
    pub fn proto_service<'n>(&'n self, name: &'n str) -> &'n str {
        self.grpc_names.get(name).map_or(name, String::as_str)
    }

    pub fn emit(&self, out: &mut ArchOut) {
        for e in &self.list {
            let id = out.node(Node::Endpoint(Box::new(EndpointNode {
                service: e.service.clone(),
                method: e.method.clone(),
                path: e.path.clone(),
                framework: e.framework.clone(),
                handler: e.handler.clone(),
                file: e.def.0.clone(),
                line: e.def.1,
            })));
            out.edge(
                End::Id(format!("service:{}", e.service)),
                End::Id(id),
                EdgeKind::Exposes,
                &e.site.0,
                e.site.1,
                Flags::default(),
            );
        }
    }
}

struct Router {
    file: usize,
    framework: String,
    prefix: Template,
    /// (parent router, mount prefix)
    parents: Vec<(usize, Template)>,
}

struct Routers<'c, 'a> {
    ctx: &'c Ctx<'a>,
    list: Vec<Router>,
    by_key: HashMap<(usize, String), usize>,
    /// Routers a function builds and returns (`ArchFacts::made_routers`): what a call of
    /// the function gives.
    made: Vec<usize>,
    /// Directories holding a `Cargo.toml` (`""` for the root): a Rust file's crate
    /// is the innermost one above it.
    crate_dirs: Vec<&'a str>,
    /// DI tokens being looked up, one inside another (a factory resolving a token).
    di_depth: u32,
}

impl Routers<'_, '_> {
    fn add(&mut self, file: usize, name: &str, framework: &str, prefix: Template) -> usize {
        if let Some(&r) = self.by_key.get(&(file, name.to_string())) {
            return r;
        }
        let prefix = self.in_context(file, prefix);
        self.list.push(Router { file, framework: framework.to_string(), prefix, parents: Vec::new() });
        self.by_key.insert((file, name.to_string()), self.list.len() - 1);
        self.list.len() - 1
    }

    /// A prefix's constants are those of the file that writes it.
    fn in_context(&self, file: usize, t: Template) -> Template {
        self.ctx.resolve_template(file, &t).unwrap_or(t)
    }

    fn in_file(&self, file: usize, name: &str) -> Option<usize> {
        self.by_key.get(&(file, name.to_string())).copied()
    }

    /// The only router a module defines (what a default import of it names).
    fn only_router(&self, file: usize) -> Option<usize> {
        let mut found = self.by_key.iter().filter(|((f, _), _)| *f == file).map(|(_, r)| *r);
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// The one router of `file` named `Class.member` for this member, if only one is.
    fn class_member_router(&self, file: usize, member: &str) -> Option<usize> {
        let mut found = self.by_key.iter().filter(|((f, n), _)| {
            *f == file && n.split_once('.').is_some_and(|(c, m)| m == member && !c.is_empty() && !c.contains('.'))
        });
        let (_, first) = found.next()?;
        found.next().is_none().then_some(*first)
    }

    /// The router a name written in `file` refers to.
    fn find(&mut self, file: usize, name: &str) -> Option<usize> {
        if name == API_PARAM {
            return self.service_api(file);
        }
        let name = name.trim_end_matches("()").trim();
        if let Some(spec) = name.strip_prefix(crate::lang::ts_di::DI) {
            return self.di(file, spec);
        }
        if let Some(r) = self.in_file(file, name) {
            return Some(r);
        }
        if let Some(dotted) = name.strip_prefix("include:") {
            return self.django_include(file, dotted);
        }
        let ctx = self.ctx;
        if let Some((head, rest)) = name.split_once('.') {
            for (m, remote) in ctx.imported(file, head) {
                if let Some(r) = self.in_file(m, rest) {
                    return Some(r);
                }
                // `UsersRoute.main` of an imported class: the router its method makes
                // (`lang/ts_class_routers.rs`).
                if let Some(r) = self.in_file(m, &format!("{remote}.{rest}")) {
                    return Some(r);
                }
                // `import TaskRouter from './task.routes'` (a default export) and `TaskRouter._router`
                // (`this._taskRouter._router` of an instance the class holds): the router held in
                // field `_router` of the module's class, the one class router of that member there.
                if remote == "default" && !rest.contains('.') {
                    if let Some(r) = self.class_member_router(m, rest) {
                        return Some(r);
                    }
                }
                // A Python class a package's `__init__.py` re-exports (`from .auth_controller
                // import AuthController`): the member of the class in its own module.
                if let Some(r) = self.reexported_member(m, &remote, rest, 0) {
                    return Some(r);
                }
            }
        }
        if let Some(r) = self.typed_member(file, name) {
            return Some(r);
        }
        if name.contains("::") {
            return self.rust_path(file, name);
        }
        for (m, remote) in ctx.imported(file, name) {
            let r = match remote.as_str() {
                "default" | "*" => {
                    self.in_file(m, "default").or_else(|| self.only_router(m)).or_else(|| self.in_file(m, "router"))
                }
                remote => self.in_file(m, remote).or_else(|| self.reexported(m, remote, 0)),
            };
            if r.is_some() {
                return r;
            }
        }
        match ctx.project.files[file].file.lang {
            Lang::Rust => self.rust_fn(file, name),
            Lang::Python => self.django_module(file, name),
            _ => None,
        }
    }

    /// What a DI container gives for `di:<members>:<token>` mounted in `file`
    /// (`lang/ts_di.rs`): the token's registration in the file's own service, else its
    /// only one in the project, followed by the members; none when it is an instance of a
    /// class without members, or when the token is registered several times.
    fn di(&mut self, file: usize, spec: &str) -> Option<usize> {
        let (members, token) = spec.split_once(':')?;
        let ctx = self.ctx;
        let all: Vec<(usize, &DiValue)> = ctx
            .project
            .files
            .iter()
            .enumerate()
            .flat_map(|(i, f)| {
                f.facts.arch.di_providers.iter().filter(|p| p.token == token).map(move |p| (i, &p.value))
            })
            .collect();
        let own: Vec<(usize, &DiValue)> =
            all.iter().filter(|(i, _)| ctx.owner(*i) == ctx.owner(file)).copied().collect();
        let (at, value) = match (own.as_slice(), all.as_slice()) {
            ([one], _) | ([], [one]) => *one,
            _ => return None,
        };
        let name = match value {
            DiValue::Class(_) if members.is_empty() => return None,
            DiValue::Class(c) | DiValue::Expr(c) => format!("{c}{members}"),
        };
        if self.di_depth > 4 {
            return None;
        }
        self.di_depth += 1;
        let found = self.find(at, &name);
        self.di_depth -= 1;
        found
    }

    /// `UsersModule.route.main` where the class `UsersModule` (of this file, or imported)
    /// has a typed field `route: UsersRoute` (`ArchFacts::field_types`): `UsersRoute.main`
    /// looked up in the class's file.
    fn typed_member(&mut self, file: usize, name: &str) -> Option<usize> {
        let (class, rest) = name.split_once('.')?;
        let (field, tail) = rest.split_once('.')?;
        let ctx = self.ctx;
        let mut homes = vec![(file, class.to_string())];
        homes.extend(ctx.imported(file, class));
        for (m, cls) in homes {
            let types = &ctx.project.files[m].facts.arch.field_types;
            if let Some((_, _, t)) = types.iter().find(|(c, f, _)| *c == cls && f == field) {
                return self.find(m, &format!("{t}.{tail}"));
            }
        }
        None
    }

    /// Django `include(urls)` of an imported urls module object (`from account import
    /// urls`, `include((u, "app"))` after `from . import urls as u`, `include(app.urls)` after
    /// `import app.urls`, which the extractor hands on as `app`, the way it names a DRF
    /// router by `router.urls`): that module's `urlpatterns`, as `include("account.urls")`
    /// names it. Only a module declaring Django routes or includes counts.
    fn django_module(&mut self, file: usize, name: &str) -> Option<usize> {
        let ctx = self.ctx;
        let mut found = ctx.module_object(file, name);
        found.extend(ctx.module_object(file, &format!("{name}.urls")));
        found.retain(|&m| declares_django_urls(&ctx.project.files[m]));
        match found.as_slice() {
            [m] => Some(self.add(*m, "urlpatterns", "django", Template::new())),
            _ => None,
        }
    }

    /// The Flask-RESTX/RESTful `Api` an `Api` handed to a function in `file` is: the one
    /// `Api` its service makes (`crate::lang::py_restx`), none when it makes several or none.
    fn service_api(&self, file: usize) -> Option<usize> {
        let owner = self.ctx.owner(file);
        let mut apis = (0..self.list.len())
            .filter(|&r| self.list[r].framework == API_FRAMEWORK && self.ctx.owner(self.list[r].file) == owner);
        let first = apis.next()?;
        apis.next().is_none().then_some(first)
    }

    /// A router a module only re-exports (a package's `__init__.py` with
    /// `from .users import router as users_router`): followed through chains of
    /// imports, a few modules deep, to the module that defines it.
    fn reexported(&self, module: usize, name: &str, depth: u32) -> Option<usize> {
        if depth >= 4 {
            return None;
        }
        // `import contactsRouter from './contacts'; export { contactsRouter }`: a default
        // import re-exported by name is the imported module's default router, as a
        // default import of it is (`find`).
        self.ctx.imported(module, name).into_iter().find_map(|(m, remote)| match remote.as_str() {
            "default" => {
                self.in_file(m, "default").or_else(|| self.only_router(m)).or_else(|| self.in_file(m, "router"))
            }
            _ => self.in_file(m, &remote).or_else(|| self.reexported(m, &remote, depth + 1)),
        })
    }

    /// `Class.member` of a class `module` imports under the name `class`, followed
    /// through re-exports to the module defining it.
    fn reexported_member(&self, module: usize, class: &str, member: &str, depth: u32) -> Option<usize> {
        if depth >= 4 {
            return None;
        }
        self.ctx.imported(module, class).into_iter().find_map(|(m, remote)| {
            self.in_file(m, &format!("{remote}.{member}"))
                .or_else(|| self.reexported_member(m, &remote, member, depth + 1))
        })
    }

    /// `routes::health::router`: the function `router` of the file named by the
    /// path's last module (`…/health.rs` or `…/health/mod.rs`) when several share the name.
    fn rust_path(&self, file: usize, path: &str) -> Option<usize> {
        match self.rust_path_candidates(file, path).as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// A Rust function that builds a router: in this file, else the only one of that name.
    fn rust_fn(&self, file: usize, name: &str) -> Option<usize> {
        match self.rust_fn_candidates(file, name).as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// The routers a Rust path may name: of the path's last module when several share
    /// the name, narrowed to the mounting file's crate (then service); one unless ambiguous.
    /// The mounting file's own router of that name wins unless the path names another
    /// module: `common_metrics::api::init_routing()` mounted in a `fn init_routing` of
    /// `main.rs` is the library's `api` function, not the caller itself.
    fn rust_path_candidates(&self, file: usize, path: &str) -> Vec<usize> {
        let found = self.rust_path_named(file, path);
        if found.len() > 1 {
            let imported = self.in_imported_crate(file, path, &found);
            if !imported.is_empty() {
                return imported;
            }
        }
        found
    }

    /// Of several routers a path may name, those in the crate the mounting file's own
    /// import of that path reaches: `shopweb::routes` resolves to `shopweb/src/lib.rs`,
    /// so of two library crates' `fn routes` it is shopweb's (a crate's name, unlike a
    /// module's, is no file name).
    fn in_imported_crate(&self, file: usize, path: &str, found: &[usize]) -> Vec<usize> {
        let imports = self.ctx.project.files[file].facts.imports.iter().filter(|i| i.spec == path);
        let crates: Vec<Option<&str>> =
            imports.flat_map(|i| self.ctx.import_targets(file, i.line)).map(|&m| self.crate_dir(m)).collect();
        found.iter().copied().filter(|&r| crates.contains(&self.crate_dir(self.list[r].file))).collect()
    }

    /// `UserController::setUpService` where the mounting file imports `UserController`
    /// (`use api::services::users::UserController`) from a module that re-exports a type
    /// of its own child module (`pub use Controller::Controller as UserController;` in
    /// users/mod.rs): the routers named `name` in the files those `pub use` items of
    /// that module reach (users/Controller.rs; six modules may each have a `Controller`).
    fn reexported_type(&self, file: usize, ty: &str, name: &str) -> Vec<usize> {
        let files = &self.ctx.project.files;
        let suffix = format!("::{ty}");
        let mut found: Vec<usize> = Vec::new();
        for imp in files[file].facts.imports.iter().filter(|i| i.is_use && (i.spec.ends_with(&suffix) || i.spec == ty))
        {
            for &m in self.ctx.import_targets(file, imp.line) {
                let reexports = files[m].facts.imports.iter().filter(|i| {
                    i.flags.contains(crate::model::Flags::REEXPORT)
                        && i.spec.rsplit("::").next().is_some_and(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
                });
                for re in reexports {
                    for &t in self.ctx.import_targets(m, re.line) {
                        if let Some(r) = self.in_file(t, name).filter(|r| !found.contains(r)) {
                            found.push(r);
                        }
                    }
                }
            }
        }
        found.sort_unstable();
        found
    }

    /// [`Self::rust_path_candidates`] by the path's last module.
    fn rust_path_named(&self, file: usize, path: &str) -> Vec<usize> {
        let segs: Vec<&str> = path.split("::").collect();
        let Some(&name) = segs.last() else { return Vec::new() };
        // `Health::router()`: the router `fn router` builds in an `impl … for Health`, which
        // `lang::rs_arch` also names `Health::router` (an empty router standing for it).
        if let [.., ty, _] = segs.as_slice() {
            if ty.starts_with(|c: char| c.is_ascii_uppercase()) {
                let typed = self.rust_named(&format!("{ty}::{name}"));
                let own: Vec<usize> = typed.iter().filter_map(|&r| self.in_file(self.list[r].file, name)).collect();
                if !own.is_empty() {
                    return self.narrow(file, own);
                }
                let aliased = self.reexported_type(file, ty, name);
                if aliased.len() == 1 {
                    return aliased;
                }
            }
        }
        let module =
            segs.get(segs.len().wrapping_sub(2)).copied().filter(|m| !matches!(*m, "self" | "crate" | "super"));
        let in_module = |r: usize, module: &str| {
            let rel = self.ctx.project.rel(self.list[r].file);
            rel.ends_with(&format!("/{module}.rs")) || rel.ends_with(&format!("/{module}/mod.rs"))
        };
        // `course::routes` re-exported by `course/mod.rs` (`pub use routes::routes`) from a
        // file of the module's directory, `course/routes.rs`.
        let in_module_dir = |r: usize, module: &str| {
            super::dir_of(self.ctx.project.rel(self.list[r].file)).rsplit('/').next() == Some(module)
        };
        let own = self.in_file(file, name);
        if let Some(r) = own.filter(|&r| module.is_none_or(|m| in_module(r, m))) {
            return vec![r];
        }
        let mut found = self.rust_named(name);
        if let Some(m) = module.filter(|_| found.len() > 1) {
            let mut named: Vec<usize> = found.iter().copied().filter(|&r| in_module(r, m)).collect();
            if named.is_empty() {
                named = found.iter().copied().filter(|&r| in_module_dir(r, m)).collect();
            }
            if !named.is_empty() {
                return self.narrow(file, named);
            }
            if let Some(r) = own {
                return vec![r];
            }
        }
        if let Some(r) = own {
            found = vec![r];
        }
        self.narrow(file, found)
    }

    /// Every Rust router of that name: this file's, else the project's narrowed to the
    /// mounting file's crate, then its service; one unless ambiguous.
    fn rust_fn_candidates(&self, file: usize, name: &str) -> Vec<usize> {
        if let Some(r) = self.in_file(file, name) {
            return vec![r];
        }
        self.narrow(file, self.rust_named(name))
    }

    fn rust_named(&self, name: &str) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .by_key
            .iter()
            .filter(|((f, n), _)| n == name && self.ctx.project.files[*f].file.lang == crate::model::Lang::Rust)
            .map(|(_, r)| *r)
            .collect();
        found.sort_unstable();
        found
    }

    /// Of several routers, the only one in the crate of `file`, else the only one in
    /// its service; else all of them.
    fn narrow(&self, file: usize, found: Vec<usize>) -> Vec<usize> {
        if found.len() <= 1 {
            return found;
        }
        let krate = self.crate_dir(file);
        let same_crate: Vec<usize> =
            found.iter().copied().filter(|&r| self.crate_dir(self.list[r].file) == krate).collect();
        if same_crate.len() == 1 {
            return same_crate;
        }
        let owner = self.ctx.owner(file);
        let same_service: Vec<usize> =
            found.iter().copied().filter(|&r| self.ctx.owner(self.list[r].file) == owner).collect();
        if same_service.len() == 1 {
            return same_service;
        }
        found
    }

    /// The innermost `Cargo.toml` directory above a file.
    fn crate_dir(&self, file: usize) -> Option<&str> {
        let rel = self.ctx.project.rel(file);
        self.crate_dirs
            .iter()
            .copied()
            .filter(|d| d.is_empty() || rel.starts_with(&format!("{d}/")))
            .max_by_key(|d| d.len())
    }

    /// Django `include("shop.urls")`: the `urlpatterns` of `shop/urls.py`.
    /// `include("users.urls")` written in `file`: the module `users/urls.py` of the includer's
    /// own service, nearest to it by directory (two Django projects of a monorepo each have
    /// `users/urls.py`), else the first in the project.
    fn django_include(&mut self, file: usize, dotted: &str) -> Option<usize> {
        let path = format!("{}.py", dotted.replace('.', "/"));
        let project = &self.ctx.project;
        let matches: Vec<usize> = (0..project.files.len())
            .filter(|&i| {
                let rel = project.rel(i);
                rel == path || rel.ends_with(&format!("/{path}"))
            })
            .collect();
        let own = self.ctx.owner(file);
        // The module at an import root above the naming file (its directory first, as for
        // `server/settings.py` naming `ROOT_URLCONF = "urls"`: `server/urls.py`, though
        // `server/apps/products/urls.py` ends the same).
        let mut dir = project.rel(file);
        while let Some((up, _)) = dir.rsplit_once('/') {
            dir = up;
            let full = format!("{dir}/{path}");
            if let Some(&i) = matches.iter().find(|&&i| project.rel(i) == full && self.ctx.owner(i) == own) {
                return Some(self.add(i, "urlpatterns", "django", Template::new()));
            }
        }
        let shared = |i: usize| {
            let (a, b) = (project.rel(i).as_bytes(), project.rel(file).as_bytes());
            a.iter().zip(b).take_while(|(x, y)| x == y).count()
        };
        let nearest = matches.iter().copied().filter(|&i| self.ctx.owner(i) == own).rev().max_by_key(|&i| shared(i));
        let f = nearest.or_else(|| matches.first().copied())?;
        Some(self.add(f, "urlpatterns", "django", Template::new()))
    }

    /// Every full prefix of a router (one per chain of mounts above it), memoised,
    /// at most [`MAX_PREFIXES`] of them. A name reused for many routers in one file
    /// (test suites) would otherwise multiply chains exponentially; a chain that
    /// comes back to a router already on it stops there.
    /// Each prefix comes with the service owning the router at the top of its chain:
    /// the service that serves the route when a library crate declares it.
    fn prefixes(&self, r: usize, global: &HashMap<Option<usize>, Template>, memo: &mut Memo) -> Vec<Prefix> {
        if let Some(done) = memo.done.get(&r) {
            return done.clone();
        }
        let router = &self.list[r];
        let on_chain = memo.chain.contains(&r);
        let mut out: Vec<Prefix> = Vec::new();
        if router.parents.is_empty() || on_chain {
            let mut p = if router.framework == "nestjs" {
                let mut g = global.get(&self.ctx.owner(router.file)).cloned().unwrap_or_default();
                // Where URI versioning puts the version (`nest_versioned`).
                g.push(Part::Ref(VERSION_SLOT.into()));
                g
            } else {
                Template::new()
            };
            push_parts(&mut p, vec![Part::Lit("/".into())]);
            push_parts(&mut p, router.prefix.clone());
            out.push((p, self.ctx.owner(router.file)));
        } else {
            memo.chain.push(r);
            for (parent, mount) in &router.parents {
                for (mut p, top) in self.prefixes(*parent, global, memo) {
                    push_parts(&mut p, lit("/"));
                    push_parts(&mut p, mount.clone());
                    // Flask: `register_blueprint(url_prefix=)` replaces the blueprint's own prefix.
                    let replaces =
                        router.framework == "flask" && mount.iter().any(|x| !matches!(x, Part::Lit(s) if s.is_empty()));
                    if !replaces {
                        push_parts(&mut p, lit("/"));
                        push_parts(&mut p, router.prefix.clone());
                    }
                    let p = (p, top);
                    if !out.contains(&p) && out.len() < MAX_PREFIXES {
                        out.push(p);
                    }
                }
            }
            memo.chain.pop();
        }
        if !on_chain {
            memo.done.insert(r, out.clone());
        }
        out
    }
}

/// An `Api` handed to a function in a service that makes several `Api`s, or none: which
/// one it is (and so the prefix of what is mounted on it) is not known.
fn api_unknown(rel: &str, line: u32) -> Diagnostic {
    let why = "the Flask-RESTX/RESTful `Api` this function is handed is not known (its service makes several `Api`s, or none): the routes mounted on it are not reported";
    Diagnostic::new(rel, Some(line), Severity::Info, why.to_string())
}

/// The routers an unresolved optional mount in a Rust file may name (several when
/// it is ambiguous; none for middleware and other files' languages).
fn rust_mount_candidates(rs: &Routers, file: usize, child: &str) -> Vec<usize> {
    if rs.ctx.project.files[file].file.lang != crate::model::Lang::Rust {
        return Vec::new();
    }
    let name = child.trim_end_matches("()").trim();
    if name.contains("::") {
        rs.rust_path_candidates(file, name)
    } else {
        rs.rust_fn_candidates(file, name)
    }
}

/// FastAPI `APIRouter`s, Flask `Blueprint`s and Express `Router()`s that no mount
/// reaches, in a service whose app mounts its other routers, defined in a module no
/// other module imports: the app never serves them (a warning each). `python` lists the
/// services with a Python mount linking two known routers, `None` unless every Python
/// mount of the project names a known router; `js` those with such a JS/TS mount and
/// no file loading modules by a name computed at run time (`require("./routes/" + f)`
/// may load any of them). A router module imported anywhere (it may be mounted in a
/// way tapestry does not read) keeps its routes.
fn never_mounted(
    rs: &Routers,
    python: Option<&[Option<usize>]>,
    js: &[Option<usize>],
    out: &mut ArchOut,
) -> Vec<usize> {
    let ctx = rs.ctx;
    let mut dropped = Vec::new();
    // A FastAPI app (`FastAPI()`: a router that is no `APIRouter`) somewhere in the project.
    let fastapi_app = ctx.project.files.iter().any(|f| {
        let a = &f.facts.arch;
        a.routers.iter().any(|r| r.framework == "fastapi" && !a.sub_routers.contains(&r.name))
    });
    for (i, f) in ctx.project.files.iter().enumerate() {
        let mounting = match f.file.lang {
            crate::model::Lang::Rust => continue,
            crate::model::Lang::Python => python.unwrap_or_default(),
            _ => js,
        };
        for name in &f.facts.arch.sub_routers {
            let Some(r) = rs.in_file(i, name) else { continue };
            // A FastAPI `APIRouter` serves nothing until an app includes it: in a project
            // with an app, one in a module that includes nothing and that no module imports
            // is never served, whatever its service mounts (`notification_router.py` beside
            // a `main.py` of its own routes, a stray `verify.py` at the root).
            let fastapi = fastapi_app
                && f.file.lang == crate::model::Lang::Python
                && rs.list[r].framework == "fastapi"
                && python.is_some()
                && f.facts.arch.mounts.is_empty();
            // Nor is one whose module only packages' `__init__.py` import (re-exports), when
            // every include of its service that an app serves is followed: it is included
            // nowhere (a router module left beside a controller-based app).
            let python_fastapi = fastapi_app
                && f.file.lang == crate::model::Lang::Python
                && rs.list[r].framework == "fastapi"
                && mounting.contains(&ctx.owner(i));
            if !rs.list[r].parents.is_empty() || !(fastapi || mounting.contains(&ctx.owner(i))) {
                continue;
            }
            let imported = ctx.imported_anywhere(i);
            if imported && (!python_fastapi || ctx.imported_outside_packages(i)) {
                continue;
            }
            let line = f.facts.arch.routers.iter().find(|d| &d.name == name).map(|d| d.line);
            let importers =
                if imported { "only packages' `__init__.py` import this module" } else { "no module imports this one" };
            out.diagnostics.push(Diagnostic::warning(
                ctx.project.rel(i),
                line,
                format!(
                    "router `{name}` is never included or registered, and {importers}: its routes are not reported"
                ),
            ));
            dropped.push(r);
        }
    }
    dropped
}

/// Per router, whether it may serve: it is no sub-router (an app, or a router of a kind
/// that serves by itself), or some router it is mounted under may. A mount tapestry cannot
/// follow under a router that nothing serves (`auth_router.include_router(x)` where no
/// app includes `auth_router`) makes nothing served, whatever it names.
fn served_routers(rs: &Routers) -> Vec<bool> {
    let files = rs.ctx.project.files;
    let mut served = vec![true; rs.list.len()];
    for (&(file, ref name), &r) in &rs.by_key {
        if rs.list[r].file == file && files[file].facts.arch.sub_routers.contains(name) {
            served[r] = false;
        }
    }
    spread_to_children(rs, &mut served);
    served
}

/// Loop mounts (`routes.forEach((r) => app.use('/', r.router))`): the array's elements are
/// not read, so each mounts the class routers held in a field of that name
/// (`UserRoute.router`, `lang/ts_class_routers.rs`) that no other mount reaches, in a
/// non-test module of the mounting file's service that some module imports. With the
/// prefix an element's field (`app.use(r.path, r.router)`), a class mounts only when it
/// sets that field once to a string.
fn mount_each(rs: &mut Routers, each: &[(usize, usize, Template, &str)]) {
    if each.is_empty() {
        return;
    }
    let ctx = rs.ctx;
    let files = ctx.project.files;
    // `imported_anywhere` reads every file's imports: asked only of files holding class routers.
    let unplaced: Vec<(usize, usize, &str)> = files
        .iter()
        .enumerate()
        .filter(|(j, f)| !f.facts.arch.class_routers.is_empty() && !ctx.is_test(*j) && ctx.imported_anywhere(*j))
        .flat_map(|(j, f)| f.facts.arch.class_routers.iter().map(move |n| (j, n.as_str())))
        .filter_map(|(j, n)| Some((j, rs.in_file(j, n)?, n)))
        .filter(|&(_, r, _)| rs.list[r].parents.is_empty())
        .collect();
    for (i, parent, prefix, spec) in each {
        let (member, field) = spec.split_once(':').map_or((*spec, None), |(m, f)| (m, Some(f)));
        for &(j, r, name) in unplaced.iter().filter(|(j, _, _)| ctx.owner(*j) == ctx.owner(*i)) {
            let Some((class, _)) = name.rsplit_once('.').filter(|(_, m)| *m == member) else { continue };
            let prefix = match field {
                None => prefix.clone(),
                Some(f) => {
                    let strings = &files[j].facts.arch.class_strings;
                    match strings.iter().find(|(c, k, _)| c == class && k == f) {
                        Some((_, _, v)) => lit(v),
                        None => continue,
                    }
                }
            };
            if r != *parent {
                rs.list[r].parents.push((*parent, prefix));
            }
        }
    }
}

/// A mount prefix that places nothing: none, `""` or `"/"`.
fn trivial_prefix(prefix: &Template) -> bool {
    prefix.iter().all(|p| matches!(p, Part::Lit(s) if s.is_empty() || s == "/"))
}

/// `Router()`s with routes that no mount reaches, in a module whose export a JS/TS mount
/// under a prefix names in a way that leads to no router (`app.use('/api/x', routers.x)`
/// of `import { routers } from './routes'`): they are most likely what that mount
/// serves, so their prefix is unknown and they are not published at `/` (a warning each).
fn unfollowed_mounts(rs: &Routers, unfollowed: &[(usize, u32, String)], out: &mut ArchOut) -> Vec<usize> {
    let ctx = rs.ctx;
    let mut dropped: Vec<usize> = Vec::new();
    for (file, line, child) in unfollowed {
        let head = child.split('.').next().unwrap_or(child);
        for (m, _) in ctx.imported(*file, head) {
            let arch = &ctx.project.files[m].facts.arch;
            for name in &arch.sub_routers {
                let Some(r) = rs.in_file(m, name) else { continue };
                if !rs.list[r].parents.is_empty()
                    || dropped.contains(&r)
                    || !arch.routes.iter().any(|x| &x.router == name)
                {
                    continue;
                }
                let at = arch.routers.iter().find(|d| &d.name == name).map(|d| d.line);
                out.diagnostics.push(Diagnostic::warning(
                    ctx.project.rel(m),
                    at,
                    format!(
                        "router `{name}` is reached by no mount tapestry can follow, and `{child}` mounted under a prefix at {}:{line} names this module: the prefix of its routes is unknown, not reported",
                        ctx.project.rel(*file)
                    ),
                ));
                dropped.push(r);
            }
        }
    }
    dropped
}

/// Express routers held in class fields (`ArchFacts::class_routers`) that no mount reaches:
/// the class is mounted some way tapestry does not follow (a DI container's
/// `Container.resolve('UsersModule')`), so the prefix of their routes is not known and
/// they are not served at `/` ([`unplaced_diagnostic`] says so).
fn unplaced_class_routers<'a>(rs: &Routers<'_, 'a>) -> Vec<(usize, &'a str)> {
    let files = rs.ctx.project.files.iter().enumerate();
    let named = files.flat_map(|(i, f)| f.facts.arch.class_routers.iter().map(move |n| (i, n.as_str())));
    named.filter_map(|(i, n)| Some((rs.in_file(i, n)?, n))).filter(|&(r, _)| rs.list[r].parents.is_empty()).collect()
}

/// The warning for the `n` routes of a class's router `name` that no mount reaches, at its line.
fn unplaced_diagnostic(rs: &Routers, (r, name): (usize, &str), n: usize) -> Diagnostic {
    let file = rs.list[r].file;
    let line = rs.ctx.project.files[file].facts.arch.routers.iter().find(|d| d.name == name).map(|d| d.line);
    Diagnostic::warning(
        rs.ctx.project.rel(file),
        line,
        format!(
            "router `{name}` of a class is mounted in a way that cannot be followed (no `app.use(prefix, new Class().method())`): the prefix of its {n} route{} is unknown, not reported",
            if n == 1 { "" } else { "s" }
        ),
    )
}

/// NestJS controllers that no `@Module` reachable from a root module of their service
/// lists: Nest never mounts them (a CLI scaffold's `AppController` left behind when
/// `AppModule` lists only the feature controllers), an info diagnostic each. Roots are
/// the modules no other module of the service imports (the one `NestFactory.create`
/// takes, and any orphan, kept to be safe); module and controller names are matched by
/// name within the service. A service with a module list that is not plain names (a
/// spread, a variable, a dynamic module's `{ controllers }`), or whose modules all
/// import one another, keeps every controller; so does a controller whose file a
/// non-test module without `@Module` imports (it may be mounted some other way).
/// A route's methods, each written `&name` ([`crate::lang::ts_hapi::METHOD_REF`], a route
/// object spreading another) the constant `name` as seen from `file`, when it is one word
/// (`'POST' as HTTPMethods`); one no constant gives is left out.
fn spread_methods(ctx: &Ctx, file: usize, methods: &[String]) -> Vec<String> {
    use crate::lang::ts_hapi::METHOD_REF;
    if !methods.iter().any(|m| m.starts_with(METHOD_REF)) {
        return methods.to_vec();
    }
    methods
        .iter()
        .filter_map(|m| match m.strip_prefix(METHOD_REF) {
            None => Some(m.clone()),
            Some(name) => {
                let value = ctx.resolve_template(file, &vec![Part::Ref(name.to_string())]).ok()?;
                let word = crate::lang::arch::literal_of(&value)?;
                (!word.is_empty() && word.bytes().all(|b| b.is_ascii_alphabetic())).then(|| word.to_ascii_uppercase())
            }
        })
        .collect()
}

fn nest_unmounted(rs: &Routers, out: &mut ArchOut) -> Vec<usize> {
    let ctx = rs.ctx;
    let files = ctx.project.files;
    let test = |i: usize| crate::lang::is_test_path(ctx.project.rel(i), files[i].file.lang);
    let mut graphs: BTreeMap<Option<usize>, Option<Vec<&crate::model::RawNestModule>>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate().filter(|(i, f)| !f.facts.arch.nest_modules.is_empty() && !test(*i)) {
        let graph = graphs.entry(ctx.owner(i)).or_insert_with(|| Some(Vec::new()));
        for m in &f.facts.arch.nest_modules {
            match graph {
                Some(list) if m.controllers.is_some() && m.imports.is_some() => list.push(m),
                _ => *graph = None,
            }
        }
    }
    let mut dropped = Vec::new();
    for (owner, modules) in graphs.into_iter().filter_map(|(o, g)| Some((o, g?))) {
        let imported: Vec<&str> = modules.iter().flat_map(|m| m.imports.iter().flatten()).map(String::as_str).collect();
        let mut stack: Vec<&str> = modules.iter().map(|m| m.name.as_str()).filter(|n| !imported.contains(n)).collect();
        if stack.is_empty() {
            continue;
        }
        let mut seen: Vec<&str> = Vec::new();
        let mut mounted: Vec<&str> = Vec::new();
        while let Some(name) = stack.pop() {
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            for m in modules.iter().filter(|m| m.name == name) {
                mounted.extend(m.controllers.iter().flatten().map(String::as_str));
                stack.extend(m.imports.iter().flatten().map(String::as_str));
            }
        }
        for (i, f) in files.iter().enumerate().filter(|(i, _)| ctx.owner(*i) == owner && !test(*i)) {
            let other_importer =
                || ctx.importers(i).any(|from| !test(from) && files[from].facts.arch.nest_modules.is_empty());
            for c in f.facts.arch.routers.iter().filter(|r| r.framework == "nestjs") {
                if mounted.contains(&c.name.as_str()) || other_importer() {
                    continue;
                }
                let Some(r) = rs.in_file(i, &c.name) else { continue };
                out.diagnostics.push(Diagnostic::new(
                    ctx.project.rel(i),
                    Some(c.line),
                    Severity::Info,
                    format!(
                        "NestJS controller `{}` is listed in no `@Module({{ controllers }})` that the app's root module reaches: Nest does not mount it, its routes are not reported",
                        c.name
                    ),
                ));
                dropped.push(r);
            }
        }
    }
    dropped
}

/// NestJS controllers of a service whose only bootstrap is a microservice: its `main.ts`
/// (`main.js`, outside tests) calls `NestFactory.createMicroservice` and no `main` file of
/// the service calls `NestFactory.create`, the HTTP application (`connectMicroservice`
/// hangs on one). Nothing listens for HTTP, so the controllers' `@Get`/`@Post` routes are
/// not served: an info diagnostic each. Their `@MessagePattern` and `@GrpcMethod`
/// handlers are read elsewhere and stay.
fn nest_without_http(rs: &Routers, out: &mut ArchOut) -> Vec<usize> {
    let ctx = rs.ctx;
    let files = ctx.project.files;
    let nest_files: Vec<usize> =
        (0..files.len()).filter(|&i| files[i].facts.arch.routers.iter().any(|r| r.framework == "nestjs")).collect();
    if nest_files.is_empty() {
        return Vec::new();
    }
    // Per service: (a main file builds a microservice, a main file builds an HTTP app).
    let mut boots: BTreeMap<Option<usize>, (bool, bool)> = BTreeMap::new();
    for i in 0..files.len() {
        let rel = ctx.project.rel(i);
        let name = super::services::file_name(rel);
        if !matches!(name, "main.ts" | "main.js") || ctx.is_test(i) {
            continue;
        }
        let Ok(text) = ctx.project.read(rel) else { continue };
        if !text.contains("NestFactory") {
            continue;
        }
        let micro = text.contains("NestFactory.createMicroservice");
        let http = text.match_indices("NestFactory.create").any(|(k, m)| {
            let after = &text[k + m.len()..];
            after.starts_with('(') || after.starts_with('<')
        });
        let e = boots.entry(ctx.owner(i)).or_default();
        e.0 |= micro;
        e.1 |= http;
    }
    let mut dropped = Vec::new();
    for i in nest_files {
        if ctx.is_test(i) || boots.get(&ctx.owner(i)) != Some(&(true, false)) {
            continue;
        }
        let f = &files[i];
        for c in f.facts.arch.routers.iter().filter(|r| r.framework == "nestjs") {
            let Some(r) = rs.in_file(i, &c.name) else { continue };
            let has_routes = f.facts.arch.routes.iter().any(|x| x.router == c.name);
            if !has_routes {
                continue;
            }
            out.diagnostics.push(Diagnostic::new(
                ctx.project.rel(i),
                Some(c.line),
                Severity::Info,
                format!(
                    "NestJS controller `{}` is in a service whose `main` only starts a microservice (`NestFactory.createMicroservice`), with no HTTP application: its HTTP routes are not reported",
                    c.name
                ),
            ));
            dropped.push(r);
        }
    }
    dropped
}

/// Django urls modules that Django never loads, a warning each at the module's first
/// route. In a service whose settings name its root URLconf (`ROOT_URLCONF`,
/// [`django_roots`]): a urls module no chain of `include()`s from it reaches (an app's
/// `urls.py` left unwired). In a service whose root is not known: a urls module no
/// `include` reaches when the service cannot run Django (its Python manifests name no
/// Django and it has no `manage.py` nor settings module: a leftover copy of a Django
/// app inside a Flask service). A service naming Django, or with no Python manifest,
/// keeps them there: a lone app's urls module is served at the root (`py-django-urls`).
fn django_unserved(rs: &mut Routers, out: &mut ArchOut) -> Vec<usize> {
    let ctx = rs.ctx;
    let roots = django_roots(rs);
    let reached = reached_from(rs, roots.values().flat_map(|(_, r)| r.iter().copied()));
    let mut runs: HashMap<usize, bool> = HashMap::new();
    let mut found = Vec::new();
    for (i, f) in ctx.project.files.iter().enumerate() {
        let arch = &f.facts.arch;
        let lines = arch.routes.iter().filter(|r| r.framework == "django").map(|r| r.line);
        let lines = lines.chain(arch.mounts.iter().filter(|m| m.parent == "urlpatterns").map(|m| m.line));
        let (Some(line), Some(s)) = (lines.min(), ctx.owner(i)) else { continue };
        let rel = ctx.project.rel(i);
        let r = rs.in_file(i, "urlpatterns");
        let why = match roots.get(&s) {
            Some(_) if crate::lang::is_test_path(rel, f.file.lang) => continue,
            Some(_) if r.is_some_and(|r| reached.get(r) == Some(&true)) => continue,
            Some((root, _)) => format!(
                "Django urls module that no chain of include() from the root URLconf (ROOT_URLCONF `{root}`) reaches: Django does not load it, its routes are not reported"
            ),
            None if r.is_some_and(|r| !rs.list[r].parents.is_empty()) => continue,
            None if *runs.entry(s).or_insert_with(|| runs_django(ctx, s)) => continue,
            None => format!(
                "Django urls module included by no other, in service `{}` whose manifests name no Django and which has no settings module or manage.py: its routes are not reported",
                ctx.services.list[s].name
            ),
        };
        out.diagnostics.push(Diagnostic::warning(rel, Some(line), why));
        found.push(r.unwrap_or_else(|| rs.add(i, "urlpatterns", "django", Template::new())));
    }
    found
}

/// Per service, the root URLconf its settings modules name (`ROOT_URLCONF = "api.urls"`,
/// a module of the scanned code declaring routes or includes) and its router, for the
/// services where it is known: every `ROOT_URLCONF` of the service's (non-test) settings
/// modules is such a literal, no other `…URLCONF`/`…HOSTCONF` setting routes by host or
/// tenant (django-hosts, django-tenants), and every `include()` of its urls modules names
/// a module (`include("blog.urls")`, found or an installed package's) or a router tapestry
/// finds; an include of another value (`include(blog_urls)`) may reach any module.
fn django_roots(rs: &mut Routers) -> HashMap<usize, (String, Vec<usize>)> {
    let ctx = rs.ctx;
    let files = ctx.project.files;
    let mut roots: HashMap<usize, Option<(String, Vec<usize>)>> = HashMap::new();
    let declares = |f: usize| declares_django_urls(&files[f]);
    for (i, f) in files.iter().enumerate() {
        let rel = ctx.project.rel(i);
        if f.file.lang != Lang::Python
            || !crate::lang::py_arch::settings_module(rel)
            || crate::lang::is_test_path(rel, f.file.lang)
        {
            continue;
        }
        let Some(s) = ctx.owner(i) else { continue };
        for c in &f.facts.arch.consts {
            let root = match c.name.as_str() {
                "ROOT_URLCONF" => crate::lang::arch::literal_of(&c.value)
                    .and_then(|d| Some((rs.django_include(i, &d)?, d)))
                    .filter(|(r, _)| declares(rs.list[*r].file)),
                n if n.ends_with("URLCONF") || n.ends_with("HOSTCONF") => None,
                _ => continue,
            };
            let entry = roots.entry(s).or_insert_with(|| Some((String::new(), Vec::new())));
            match (entry.as_mut(), root) {
                (Some((name, list)), Some((r, d))) => {
                    if name.is_empty() {
                        *name = d;
                    }
                    list.push(r);
                }
                _ => *entry = None,
            }
        }
    }
    for (i, f) in files.iter().enumerate() {
        let Some(s) = ctx.owner(i).filter(|s| roots.get(s).is_some_and(Option::is_some)) else { continue };
        for m in f.facts.arch.mounts.iter().filter(|m| m.parent == "urlpatterns") {
            let child = m.child.trim_start_matches('?');
            // `include(admin.site.urls)`: Django's admin site.
            if !child.starts_with("include:") && child != "admin.site" && rs.find(i, child).is_none() {
                roots.insert(s, None);
            }
        }
    }
    roots.into_iter().filter_map(|(s, r)| Some((s, r?))).collect()
}

/// A Django urls module: one declaring a route or an `include()` on its `urlpatterns`.
fn declares_django_urls(f: &Extracted) -> bool {
    let arch = &f.facts.arch;
    arch.routes.iter().any(|r| r.framework == "django") || arch.mounts.iter().any(|m| m.parent == "urlpatterns")
}

/// Which routers a chain of mounts from one of `roots` reaches (the roots included).
fn reached_from(rs: &Routers, roots: impl Iterator<Item = usize>) -> Vec<bool> {
    let mut reached = vec![false; rs.list.len()];
    roots.for_each(|r| reached[r] = true);
    spread_to_children(rs, &mut reached);
    reached
}

/// Marks every router mounted, directly or through others, under a marked one.
fn spread_to_children(rs: &Routers, marked: &mut [bool]) {
    let mut changed = true;
    while changed {
        changed = false;
        for (r, router) in rs.list.iter().enumerate() {
            if !marked[r] && router.parents.iter().any(|(p, _)| marked[*p]) {
                marked[r] = true;
                changed = true;
            }
        }
    }
}

/// Whether service `s` may run Django: a `manage.py` or a settings module among its
/// files, a Python manifest of its directories naming Django (or including another
/// requirements file), or no such manifest.
fn runs_django(ctx: &Ctx, s: usize) -> bool {
    use super::services::{file_name, mentions_dist};
    let settings = |rel: &str| {
        matches!(file_name(rel), "manage.py" | "settings.py")
            || super::dir_of(rel).rsplit('/').next() == Some("settings")
    };
    if (0..ctx.project.files.len()).any(|j| ctx.owner(j) == Some(s) && settings(ctx.project.rel(j))) {
        return true;
    }
    let dirs = &ctx.services.list[s].dirs;
    let manifests: Vec<&String> = ctx
        .project
        .manifests
        .iter()
        .filter(|m| matches!(file_name(m), "pyproject.toml" | "requirements.txt" | "setup.cfg" | "setup.py"))
        .filter(|m| dirs.iter().any(|d| d == super::dir_of(m)))
        .collect();
    // `-r base.txt` / `-c constraints.txt`: the list goes on in a file not read here.
    let may_name = |t: &str| {
        mentions_dist(&t.to_ascii_lowercase(), "django")
            || t.lines().any(|l| l.trim_start().starts_with("-r") || l.trim_start().starts_with("-c"))
    };
    manifests.is_empty() || manifests.iter().any(|m| ctx.project.read(m).is_ok_and(|t| may_name(&t)))
}

/// actix functions taking a `ServiceConfig` (`fn routes(cfg: &mut web::ServiceConfig)`)
/// that no `configure(…)` (nor a call handing them a `ServiceConfig`) mounts, and that
/// no path of their crate names (`use …::routes`, `x::routes`: a reference tapestry does
/// not follow): actix never calls them, so their routes are not served.
fn never_configured(rs: &Routers, unsure: &[usize]) -> Vec<usize> {
    let ctx = rs.ctx;
    let files = ctx.project.files;
    let mut found = Vec::new();
    for (i, f) in files.iter().enumerate() {
        if f.file.lang != crate::model::Lang::Rust {
            continue;
        }
        for name in &f.facts.arch.sub_routers {
            let Some(r) = rs.in_file(i, name) else { continue };
            if !rs.list[r].parents.is_empty() || unsure.contains(&r) {
                continue;
            }
            let krate = rs.crate_dir(i);
            let last = |p: &str| p.trim_start_matches('?').rsplit("::").next().unwrap_or("").to_string();
            let named = files.iter().enumerate().any(|(j, g)| {
                g.file.lang == crate::model::Lang::Rust
                    && rs.crate_dir(j) == krate
                    && (g.facts.arch.mounts.iter().any(|m| last(&m.child) == *name)
                        || g.facts.imports.iter().any(|imp| imp.spec.contains("::") && last(&imp.spec) == *name))
            });
            if !named {
                found.push(r);
            }
        }
    }
    found
}

/// The routers every chain of mounts above which ends at one of `roots` (the roots left out).
fn below_all(rs: &Routers, roots: &[usize]) -> Vec<usize> {
    let mut dead = vec![false; rs.list.len()];
    for &r in roots {
        dead[r] = true;
    }
    let mut found = Vec::new();
    let mut changed = !roots.is_empty();
    while changed {
        changed = false;
        for (r, router) in rs.list.iter().enumerate() {
            if !dead[r] && !router.parents.is_empty() && router.parents.iter().all(|(p, _)| dead[*p]) {
                dead[r] = true;
                found.push(r);
                changed = true;
            }
        }
    }
    found
}

/// For each root, the routers every chain of mounts above which ends at that root
/// (the root included): what is not served when the root is not.
fn below(rs: &Routers, roots: &[usize]) -> Vec<Vec<usize>> {
    roots
        .iter()
        .map(|&root| {
            let mut dead = vec![false; rs.list.len()];
            dead[root] = true;
            let mut changed = true;
            while changed {
                changed = false;
                for (r, router) in rs.list.iter().enumerate() {
                    if !dead[r] && !router.parents.is_empty() && router.parents.iter().all(|(p, _)| dead[*p]) {
                        dead[r] = true;
                        changed = true;
                    }
                }
            }
            (0..rs.list.len()).filter(|&r| dead[r]).collect()
        })
        .collect()
}

/// `@fastify/autoload` registered on `parent` by module `file` (`AUTOLOAD`): each plugin
/// file under the directory serves under `options.prefix` followed by its directories
/// below `dir` (`routes/auth/index.js` → `/auth`, `routes/root.js` none), or by its own
/// `autoPrefix` export instead of them; a `prefixOverride` export replaces both. As
/// autoload walks a directory (`lib/find-plugins.js`): one holding an `index` script
/// loads that file alone (and its subdirectories), `autohooks` files are hooks, `.d.ts`
/// files no scripts. A file's plugin is its default export's router (or its only one).
fn autoloaded(rs: &mut Routers, file: usize, parent: usize, spec: &str, prefix: &Template) {
    let Some((mode, dir)) = spec.split_once(':') else { return };
    let project = rs.ctx.project;
    let Some(dir) = super::join(super::dir_of(project.rel(file)), dir) else { return };
    let script = |name: &str| {
        let stem = name
            .rsplit_once('.')
            .map_or("", |(s, ext)| if matches!(ext, "js" | "ts" | "cjs" | "mjs") { s } else { "" });
        !stem.is_empty() && !stem.ends_with(".d")
    };
    let index = |name: &str| script(name) && name.split('.').next() == Some("index");
    let hooks = |name: &str| {
        let stem = name.split('.').next().unwrap_or("").trim_start_matches(['_', '.']);
        matches!(stem, "autohooks" | "auto_hooks")
    };
    let below: Vec<(usize, &str)> = (0..project.files.len())
        .filter(|&j| j != file && !crate::lang::is_test_path(project.rel(j), project.files[j].file.lang))
        .filter_map(|j| {
            Some((
                j,
                project
                    .rel(j)
                    .strip_prefix(dir.as_str())?
                    .strip_prefix('/')
                    .or(dir.is_empty().then(|| project.rel(j)))?,
            ))
        })
        .filter(|(_, sub)| script(sub.rsplit('/').next().unwrap_or(sub)))
        .collect();
    let with_index: Vec<&str> = below
        .iter()
        .filter(|(_, sub)| index(sub.rsplit('/').next().unwrap_or(sub)))
        .map(|(_, sub)| super::dir_of(sub))
        .collect();
    for (j, sub) in below {
        let (subdir, name) = sub.rsplit_once('/').unwrap_or(("", sub));
        if hooks(name) || (with_index.contains(&subdir) && !index(name)) {
            continue;
        }
        let Some(r) = rs.in_file(j, "default").or_else(|| rs.only_router(j)) else { continue };
        let consts = &project.files[j].facts.arch.consts;
        let own =
            |key: &str| consts.iter().find(|c| c.name == key).and_then(|c| crate::lang::arch::literal_of(&c.value));
        let mount = match own("prefixOverride") {
            Some(p) => lit(&p),
            None => {
                let dirs = match mode {
                    "flat" => String::new(),
                    _ if subdir.is_empty() => String::new(),
                    "params" => format!("/{subdir}").replace("/_", "/:").replace("__", ":"),
                    _ => format!("/{subdir}"),
                };
                let mut p = prefix.clone();
                push_parts(&mut p, lit(&own("autoPrefix").filter(|p| !p.is_empty()).unwrap_or(dirs)));
                p
            }
        };
        if r != parent {
            rs.list[r].parents.push((parent, mount));
        }
    }
}

/// The modules `file` loads by a computed name and hands the router `parent` to
/// (`lang::ts_arch::LOADED`): the router of each one's default export (the function
/// taking the router) is mounted on `parent`. With a directory (`readdirSync(dir)` then
/// `` import(`${dir}/${file}`) ``), the scripts directly in it; without one (a glob whose
/// pattern is built at run time), each module of the loader's service that nothing
/// imports and whose default export routes on a router no mount reaches.
fn loaded(rs: &mut Routers, file: usize, parent: usize, dir: &str) {
    let ctx = rs.ctx;
    let project = ctx.project;
    let script = |rel: &str| {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let stem = name.rsplit_once('.').map_or("", |(s, ext)| {
            if matches!(ext, "js" | "ts" | "cjs" | "mjs" | "jsx" | "tsx") {
                s
            } else {
                ""
            }
        });
        !stem.is_empty() && !stem.ends_with(".d")
    };
    let known = if dir == "?" { None } else { super::join(super::dir_of(project.rel(file)), dir) };
    if dir != "?" && known.is_none() {
        return;
    }
    let owner = ctx.owner(file);
    let within = |j: usize| {
        ctx.owner(j) == owner
            || owner.is_some_and(|s| {
                ctx.services.list[s].dirs.iter().any(|d| d.is_empty() || project.rel(j).starts_with(&format!("{d}/")))
            })
    };
    for j in 0..project.files.len() {
        let rel = project.rel(j);
        if j == file || !script(rel) || ctx.is_test(j) {
            continue;
        }
        if known.as_ref().is_some_and(|d| super::dir_of(rel) != d.as_str()) {
            continue;
        }
        let Some(r) = rs.in_file(j, "default") else { continue };
        if r == parent {
            continue;
        }
        // Cheap tests first: `imported_anywhere` reads every file's imports.
        if known.is_none() && (!rs.list[r].parents.is_empty() || !within(j) || ctx.imported_anywhere(j)) {
            continue;
        }
        rs.list[r].parents.push((parent, Template::new()));
    }
}

/// Most full prefixes one router is reported under.
const MAX_PREFIXES: usize = 32;

/// The features (`` `metrics` ``, comma-separated) of a route's `#[cfg(feature = …)]`
/// when its crate's default features leave the condition false.
fn feature_off(
    ctx: &Ctx,
    rs: &Routers,
    features: &mut super::features::Features,
    file: usize,
    route: usize,
) -> Option<String> {
    let gates = &ctx.project.files[file].facts.arch.feature_gates;
    let dir = rs.crate_dir(file)?;
    let (_, pred) =
        gates.iter().filter(|(r, _)| *r == route).find(|(_, p)| features.holds(ctx.project, dir, p) == Some(false))?;
    let names: Vec<String> = pred.features().iter().map(|f| format!("`{f}`")).collect();
    Some(names.join(", "))
}

/// A router's full prefix and the service owning the router at the top of its chain.
type Prefix = (Template, Option<usize>);

#[derive(Default)]
struct Memo {
    done: HashMap<usize, Vec<Prefix>>,
    chain: Vec<usize>,
}

pub fn resolve(ctx: &Ctx, out: &mut ArchOut) -> Endpoints {
    let crate_dirs = ctx
        .project
        .manifests
        .iter()
        .filter_map(|m| if m == "Cargo.toml" { Some("") } else { m.strip_suffix("/Cargo.toml") })
        .collect();
    let mut rs = Routers { ctx, list: Vec::new(), by_key: HashMap::new(), made: Vec::new(), crate_dirs, di_depth: 0 };
    // Routers a Rust mount may name but that several functions could be: unless
    // another mount reaches them, their routes' prefixes are unknown.
    let mut unsure: Vec<usize> = Vec::new();
    let files = ctx.project.files;
    let mut global: HashMap<Option<usize>, Template> = HashMap::new();
    // Nest's URI versioning of each service: (path prefix, default versions).
    let mut versioning: HashMap<Option<usize>, (String, String)> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        for r in &f.facts.arch.routers {
            if r.framework == "nestjs-global" {
                // Read where it is set: the controllers need not import what it names.
                global.insert(ctx.owner(i), ctx.resolve_template(i, &r.prefix).unwrap_or_else(|_| r.prefix.clone()));
            } else if r.framework == GLOBAL_PARAM || r.framework == GLOBAL_ARG {
                continue;
            } else if r.framework == URI_VERSIONING {
                let prefix = crate::lang::arch::literal_of(&r.prefix).unwrap_or_default();
                versioning.insert(ctx.owner(i), (prefix, r.name.clone()));
            } else {
                rs.add(i, &r.name, &r.framework, r.prefix.clone());
            }
        }
        let made = f.facts.arch.made_routers.iter().filter_map(|name| rs.in_file(i, name));
        rs.made.extend(made.collect::<Vec<_>>());
    }
    factory_prefixes(ctx, &mut global);
    // `const app = makeApp()`: the name is the router the function builds and returns.
    for (i, f) in files.iter().enumerate() {
        for (name, callee) in &f.facts.arch.router_results {
            if rs.in_file(i, name).is_some() {
                continue;
            }
            if let Some(r) = rs.find(i, callee).filter(|r| rs.made.contains(r)) {
                rs.by_key.insert((i, name.clone()), r);
            }
        }
    }
    // Whether a Python mount names something that is not a known router (`for r in
    // routers: app.include_router(r)`): then any router may be mounted.
    // (Decided once every mount is known: only a mount under a router some app serves counts.)
    let mut py_unresolved_under: Vec<usize> = Vec::new();
    // Services with a Python (JS/TS) mount that links two known routers.
    let mut py_mounting: Vec<Option<usize>> = Vec::new();
    let mut js_mounting: Vec<Option<usize>> = Vec::new();
    // JS/TS mounts of every element of a loop (`ts_arch::EACH`): (file, parent, prefix, spec).
    let mut each: Vec<(usize, usize, Template, &str)> = Vec::new();
    // JS/TS mounts under a prefix of a name no router resolves to: (file, line, name).
    let mut unfollowed: Vec<(usize, u32, String)> = Vec::new();
    // Hand-routed handlers (`ts_raw`) that a serve call of another module is given.
    let mut served: Vec<usize> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let python = f.file.lang == crate::model::Lang::Python;
        for (k, m) in f.facts.arch.mounts.iter().enumerate() {
            // A Rust test's `App::new().service(web::scope("/x").configure(f))` builds its own app.
            if f.facts.arch.test_mounts.contains(&k) {
                continue;
            }
            // A test serving a router (`axum::serve(listener, web::app())` in `tests/`) runs its own app;
            // so does a Python test registering a blueprint on its own app (`self.app.register_blueprint(bp)`).
            if (python || m.parent.starts_with(crate::lang::rs_arch::SERVED)) && ctx.is_test(i) {
                continue;
            }
            if m.parent == crate::lang::ts_raw::SERVE {
                served.extend(rs.find(i, &m.child).filter(|&r| rs.list[r].framework == crate::lang::ts_raw::CANDIDATE));
                continue;
            }
            if let Some(spec) = m.child.strip_prefix(crate::lang::ts_arch::AUTOLOAD) {
                let parent = rs.find(i, &m.parent).unwrap_or_else(|| rs.add(i, &m.parent, "", Template::new()));
                let prefix = rs.in_context(i, m.prefix.clone());
                autoloaded(&mut rs, i, parent, spec, &prefix);
                continue;
            }
            if let Some(dir) = m.child.strip_prefix(crate::lang::ts_arch::LOADED) {
                let parent = rs.find(i, &m.parent).unwrap_or_else(|| rs.add(i, &m.parent, "", Template::new()));
                loaded(&mut rs, i, parent, dir);
                continue;
            }
            if m.parent == API_PARAM && rs.find(i, API_PARAM).is_none() {
                unsure.extend(rs.find(i, &m.child));
                out.diagnostics.push(api_unknown(ctx.project.rel(i), m.line));
                continue;
            }
            if let Some(spec) = m.child.strip_prefix(crate::lang::ts_arch::EACH) {
                let parent = rs.find(i, &m.parent).unwrap_or_else(|| rs.add(i, &m.parent, "", Template::new()));
                let prefix = rs.in_context(i, m.prefix.clone());
                each.push((i, parent, prefix, spec));
                continue;
            }
            // `?child`: a name that may be middleware rather than a router (Express `use`).
            let (optional, child) = match m.child.strip_prefix('?') {
                Some(c) => (true, c),
                None => (false, m.child.as_str()),
            };
            // `app.use('/v1', setup(db))` (JS/TS): a router only when the function builds
            // and returns one; any other call is middleware, which mounts nothing.
            let js = matches!(f.file.lang, Lang::JavaScript | Lang::TypeScript | Lang::Tsx);
            if js && child.ends_with("()") && !rs.find(i, child).is_some_and(|r| rs.made.contains(&r)) {
                continue;
            }
            let parent = rs.find(i, &m.parent).unwrap_or_else(|| rs.add(i, &m.parent, "", Template::new()));
            let found = rs.find(i, child);
            // An optional Python mount (`api.init_app(app)`) naming no router is no unknown mount.
            if python && found.is_none() && !optional {
                py_unresolved_under.push(parent);
            } else if python && !py_mounting.contains(&ctx.owner(i)) {
                py_mounting.push(ctx.owner(i));
            }
            match found {
                Some(child) if child != parent => {
                    if js && !js_mounting.contains(&ctx.owner(i)) {
                        js_mounting.push(ctx.owner(i));
                    }
                    let prefix = rs.in_context(i, m.prefix.clone());
                    rs.list[child].parents.push((parent, prefix));
                }
                Some(_) => {}
                None if optional => {
                    if js && !trivial_prefix(&m.prefix) {
                        unfollowed.push((i, m.line, child.to_string()));
                    }
                    let candidates = rust_mount_candidates(&rs, i, child);
                    if candidates.len() > 1 {
                        let files: Vec<&str> = candidates.iter().map(|&r| ctx.project.rel(rs.list[r].file)).collect();
                        out.diagnostics.push(Diagnostic::new(
                            ctx.project.rel(i),
                            Some(m.line),
                            crate::diagnostic::Severity::Info,
                            format!(
                                "mounted handler `{child}` may be any of {} functions ({}): the routes under it are not reported",
                                candidates.len(),
                                files.join(", ")
                            ),
                        ));
                        unsure.extend(candidates);
                    }
                }
                None => out.diagnostics.push(Diagnostic::new(
                    ctx.project.rel(i),
                    Some(m.line),
                    crate::diagnostic::Severity::Info,
                    format!("mounted router `{}` is not defined in the scanned code: its routes are unknown", m.child),
                )),
            }
        }
    }
    mount_each(&mut rs, &each);
    for r in &mut rs.list {
        r.parents.sort();
        r.parents.dedup();
    }
    let py_unresolved = {
        let served = served_routers(&rs);
        py_unresolved_under.iter().any(|&p| served[p])
    };
    unsure.retain(|&r| rs.list[r].parents.is_empty());
    unsure.extend(unfollowed_mounts(&rs, &unfollowed, out));
    let unplaced = unplaced_class_routers(&rs);
    let loads_by_name: Vec<Option<usize>> =
        files.iter().enumerate().filter(|(_, f)| f.facts.arch.loads_by_name).map(|(i, _)| ctx.owner(i)).collect();
    js_mounting.retain(|s| !loads_by_name.contains(s));
    unsure.extend(never_mounted(&rs, (!py_unresolved).then_some(py_mounting.as_slice()), &js_mounting, out));
    // What is mounted only under a router not reported (an ambiguous mount) is not served
    // at `/` either: its prefix is unknown.
    unsure.extend(below_all(&rs, &unsure));
    let unconfigured = never_configured(&rs, &unsure);
    let dead = below(&rs, &unconfigured);
    unsure.extend(dead.iter().flatten().copied());
    let unserved = django_unserved(&mut rs, out);
    let mut unmounted = nest_unmounted(&rs, out);
    unmounted.extend(nest_without_http(&rs, out));
    unsure.extend(below(&rs, &unserved).into_iter().flatten());
    // Routes skipped because their router is under an unconfigured function, per router.
    let mut dropped_routes: HashMap<usize, usize> = HashMap::new();
    let mut memo = Memo::default();
    let mut eps = Endpoints::default();
    let root_name = || {
        let abs = std::fs::canonicalize(ctx.project.root).unwrap_or_else(|_| ctx.project.root.to_path_buf());
        abs.file_name().map_or_else(|| "root".to_string(), |n| n.to_string_lossy().into_owned())
    };
    let mut features = super::features::Features::default();
    // Whether any service has code: then a Rust route outside every service is a library's.
    let has_code_service = ctx.services.list.iter().any(|s| !s.infra);
    for (i, f) in files.iter().enumerate() {
        let rel = ctx.project.rel(i);
        // A route a test declares (`tests/`, `test_*.py`, `*.spec.ts`) serves the test's
        // own app: it is no endpoint of the service (a test's calls stay, flagged `test`).
        if ctx.is_test(i) {
            continue;
        }
        for (n, route) in f.facts.arch.routes.iter().enumerate() {
            // Likewise a route of a Rust test inside a source file (`#[cfg(test)] mod tests`).
            if f.facts.arch.test_routes.contains(&n) {
                continue;
            }
            if let Some(off) = feature_off(ctx, &rs, &mut features, i, n) {
                out.diagnostics.push(Diagnostic::new(rel, Some(route.line), Severity::Info, format!(
                    "route `{}` sits under a `#[cfg]` on the cargo feature{} {off} that the crate's default features leave false: not reported as an endpoint",
                    render(&route.path),
                    if off.contains(',') { "s" } else { "" },
                )));
                continue;
            }
            let (prefixes, framework) = if route.framework == "nextjs" {
                match nextjs_path(rel) {
                    Some(p) => (vec![(lit(&p), ctx.owner(i))], "nextjs".to_string()),
                    None => continue,
                }
            } else {
                // `?`: a call shaped like a route whose receiver must be a known router.
                let r = match rs.find(i, &route.router) {
                    Some(r) => r,
                    None if route.framework == "?" || route.framework == "drf-viewset" => continue,
                    None if route.router == API_PARAM => {
                        out.diagnostics.push(api_unknown(rel, route.line));
                        continue;
                    }
                    None => rs.add(i, &route.router, &route.framework, Template::new()),
                };
                // A function that routes by hand serves only when a serve call is given it.
                if rs.list[r].framework == crate::lang::ts_raw::CANDIDATE && !served.contains(&r) {
                    continue;
                }
                if unsure.contains(&r) {
                    *dropped_routes.entry(r).or_default() += 1;
                    continue;
                }
                if unmounted.contains(&r) {
                    continue;
                }
                if unplaced.iter().any(|&(u, _)| u == r) {
                    *dropped_routes.entry(r).or_default() += 1;
                    continue;
                }
                // `?` (JS: a route-shaped call on a known router) takes its router's framework too.
                let fw = match route.framework.as_str() {
                    "" => rs.list[r].framework.clone(),
                    "?" if !rs.list[r].framework.is_empty() => rs.list[r].framework.clone(),
                    "drf-viewset" => "drf".into(),
                    fw => fw.to_string(),
                };
                (rs.prefixes(r, &global, &mut memo), fw)
            };
            // `app.all('*', notFound)`, a single-page app's `app.get('/*', index)`: what answers
            // every path no other route takes is no endpoint of the service's API; nor is
            // `path("admin/", admin.site.urls)`, Django's built-in admin site.
            // hapi's `{ method: '*', path: '/{any*}' }` likewise.
            let literal = crate::lang::arch::literal_of(&route.path);
            let catch_all = matches!(framework.as_str(), "express" | "koa" | "fastify" | "hono")
                && literal
                    .as_deref()
                    .is_some_and(|p| matches!(p, "*" | "/*" | "**" | "/**" | "(.*)" | "/(.*)" | "/*splat" | "*splat"))
                || framework == "hapi"
                    && literal
                        .as_deref()
                        .is_some_and(|p| p.starts_with("/{") && p.ends_with("*}") && !p[1..].contains('/'));
            let not_api = if catch_all {
                Some("catch-all route (a fallback for every other path): not reported as an endpoint")
            } else if framework == "django" && route.handler.as_deref() == Some("admin.site.urls") {
                Some("Django's built-in admin site (admin.site.urls): not reported as an endpoint")
            } else {
                None
            };
            if let Some(why) = not_api {
                out.diagnostics.push(Diagnostic::new(rel, Some(route.line), Severity::Info, why.to_string()));
                continue;
            }
            // A DRF viewset registration stands for several routes; any other route is one.
            let expanded = if route.framework == "drf-viewset" {
                super::drf::routes(ctx, i, route.handler.as_deref().unwrap_or(""))
            } else if crate::lang::py_restx::is_resource_framework(&route.framework) {
                let mut methods = super::drf::class_methods(ctx, i, route.handler.as_deref().unwrap_or(""));
                // `add_resource(…, methods=['POST'])`: those of the class's methods (all of them
                // when the class's are not known).
                if !route.methods.is_empty() {
                    methods = if methods == ["ANY"] {
                        route.methods.clone()
                    } else {
                        methods.into_iter().filter(|m| route.methods.contains(m)).collect()
                    };
                }
                vec![(methods, String::new())]
            } else if route.framework == "django" && route.methods == ["ANY"] {
                let methods = super::drf::view_methods(ctx, i, route.handler.as_deref().unwrap_or(""));
                vec![(methods, String::new())]
            } else if f.file.lang == Lang::Python
                && route.methods == ["ANY"]
                && matches!(framework.as_str(), "aiohttp" | "starlette")
            {
                // A class-based view (`add_view`, `@routes.view`, Starlette's `Route` to an
                // `HTTPEndpoint`): the handlers its class defines.
                let methods = route.handler.as_deref().and_then(|h| super::py_views::methods(ctx, i, h));
                vec![(methods.unwrap_or_else(|| route.methods.clone()), String::new())]
            } else {
                // A route object spreading one that gives no method (no route options) is no route.
                let methods = spread_methods(ctx, i, &route.methods);
                if methods.is_empty() {
                    continue;
                }
                vec![(methods, String::new())]
            };
            // `@mock.patch(GET_WEBHOOKS_PATH)`: a constant naming a dotted Python name, never a URL path
            // (the extractor drops the literal case).
            let names_python = route.path.iter().any(|p| matches!(p, Part::Ref(_)))
                && ctx
                    .resolve_template(i, &route.path)
                    .is_ok_and(|t| crate::lang::py_arch::is_dotted_name(&render(&t)));
            if names_python {
                continue;
            }
            // A route of a library crate (no service's directory holds it) is served by each
            // service whose router mounts it; chains reaching no service then serve nothing.
            let mounted = ctx.owner(i).is_none() && prefixes.iter().any(|(_, top)| top.is_some());
            if ctx.owner(i).is_none() && !mounted && f.file.lang == crate::model::Lang::Rust && has_code_service {
                out.diagnostics.push(Diagnostic::new(
                    rel,
                    Some(route.line),
                    Severity::Info,
                    format!(
                    "route `{}` of a library crate that no service of the project mounts: not reported as an endpoint",
                    render(&route.path),
                ),
                ));
                continue;
            }
            // A router in shared code (`src/…/routes.py`, the root service's directory) that only
            // other services' apps mount (`services/user-service/main.py`) is served by those apps.
            let mounted_elsewhere = f.file.lang == Lang::Python
                && !prefixes.is_empty()
                && prefixes.iter().all(|(_, top)| top.is_some() && *top != ctx.owner(i));
            let prefixes = prefixes.iter().filter(|(_, top)| !mounted || top.is_some());
            for ((prefix, top), (methods, suffix)) in
                prefixes.flat_map(|p| expanded.iter().map(move |e| (p.clone(), e)))
            {
                let mut full = prefix;
                push_parts(&mut full, lit("/"));
                push_parts(&mut full, route.path.clone());
                push_parts(&mut full, lit(suffix));
                for full in nest_versioned(full, versioning.get(&ctx.owner(i))) {
                    let resolved = ctx.resolve_template(i, &full);
                    let (path, catch_all) = match resolved {
                        Ok(t) if !t.iter().any(|p| matches!(p, Part::Param(_))) => {
                            let raw = render(&t);
                            (normalise(&raw), catch_all_path(&raw))
                        }
                        other => {
                            let mut shown = other.map(|t| render(&t)).unwrap_or_else(|v| format!("${{{v}}}"));
                            while shown.contains("//") {
                                shown = shown.replace("//", "/");
                            }
                            out.diagnostics.push(Diagnostic::warning(
                                rel,
                                Some(route.line),
                                format!("route path built at run time (`{shown}`): not reported as an endpoint"),
                            ));
                            continue;
                        }
                    };
                    // A JS/TS router another service's app mounts through a relative import
                    // (`require("../../cart/src/routes/cart")`) is served by that app too.
                    let by_top =
                        mounted_elsewhere || matches!(f.file.lang, Lang::JavaScript | Lang::TypeScript | Lang::Tsx);
                    let service = match if by_top { top.or(ctx.owner(i)) } else { ctx.owner(i).or(top) } {
                        Some(s) => ctx.services.list[s].name.clone(),
                        None => eps.fallback_service.get_or_insert_with(root_name).clone(),
                    };
                    for method in methods {
                        eps.list.push(Ep {
                            service: service.clone(),
                            method: method.clone(),
                            path: path.clone(),
                            framework: framework.clone(),
                            handler: route.handler.clone(),
                            def: (rel.to_string(), route.line),
                            site: (rel.to_string(), route.line),
                            catch_all,
                        });
                    }
                }
            }
        }
    }
    for (&root, under) in unconfigured.iter().zip(&dead) {
        if under.iter().any(|r| dropped_routes.contains_key(r)) {
            let router = &rs.list[root];
            let name = rs.by_key.iter().find(|(_, &r)| r == root).map_or("", |((_, n), _)| n.as_str());
            let line =
                ctx.project.files[router.file].facts.arch.routers.iter().find(|d| d.name == name).map(|d| d.line);
            out.diagnostics.push(Diagnostic::warning(
                ctx.project.rel(router.file),
                line,
                format!("`{name}` configures actix routes but nothing passes it to `configure(…)`: its routes are not reported"),
            ));
        }
    }
    for &(r, name) in &unplaced {
        if let Some(&n) = dropped_routes.get(&r) {
            out.diagnostics.push(unplaced_diagnostic(&rs, (r, name), n));
        }
    }
    super::openapi::endpoints(ctx, &mut eps, out, &root_name);
    grpc(ctx, &mut eps, out);
    eps.root_paths = root_paths(ctx);
    eps.list.sort();
    eps.list.dedup_by(|b, a| a.id() == b.id());
    eps
}

/// The root paths of each service's apps (`FastAPI(root_path="/user-api")`), read as
/// literal paths (`/user-api`, no trailing slash); a value known only at run time is none.
fn root_paths(ctx: &Ctx) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, f) in ctx.project.files.iter().enumerate() {
        let Some(owner) = ctx.owner(i).filter(|_| !f.facts.arch.root_paths.is_empty()) else { continue };
        for t in &f.facts.arch.root_paths {
            let Ok(t) = ctx.resolve_template(i, t) else { continue };
            let path = render(&t);
            let path = path.trim_end_matches('/');
            if path.starts_with('/') && !path.contains('{') {
                out.entry(ctx.services.list[owner].name.clone()).or_default().push(path.to_string());
            }
        }
    }
    out
}

/// One `.proto` file's rpcs of a service: (file, [(`/pkg.Service/Method`, line)]).
type ProtoCopy = (String, Vec<(String, u32)>);

/// `.proto` services → `RPC /pkg.Service/Method` endpoints of their implementers.
/// A service name several `.proto` copies define (a gateway's copy, a shared root
/// copy, the server's own) takes its rpcs from one copy per implementer: the
/// nearest to the registering file (see [`nearest_proto`]), since copies drift apart.
/// The global prefix a service's app takes from an app factory it calls
/// (`ApplicationFactory.create(AppModule, { globalPrefix })`, `ts_nest::GLOBAL_ARG`), when the
/// callee, defined in the file or imported (through barrels too), sets the prefix from that
/// argument's key (`ts_nest::GLOBAL_PARAM`): the caller's value, read in the caller's file.
/// A service that sets its prefix itself keeps its own.
fn factory_prefixes(ctx: &Ctx, global: &mut HashMap<Option<usize>, Template>) {
    let files = ctx.project.files;
    let defines =
        |m: usize, key: &str| files[m].facts.arch.routers.iter().any(|r| r.framework == GLOBAL_PARAM && r.name == key);
    for (i, f) in files.iter().enumerate() {
        for r in f.facts.arch.routers.iter().filter(|r| r.framework == GLOBAL_ARG) {
            let Some((callee, rest)) = r.name.split_once('\u{1}') else { continue };
            let (head, member) = match callee.split_once('.') {
                Some((h, m)) => (h, format!(".{m}")),
                None => (callee, String::new()),
            };
            let found = defines(i, &r.name)
                || ctx.imported(i, head).into_iter().any(|(m, remote)| {
                    let key = format!("{remote}{member}\u{1}{rest}");
                    defines(m, &key) || ctx.find_reexported(m, 0, &mut |x| defines(x, &key).then_some(())).is_some()
                });
            if found && !global.contains_key(&ctx.owner(i)) {
                global.insert(ctx.owner(i), ctx.resolve_template(i, &r.prefix).unwrap_or_else(|_| r.prefix.clone()));
            }
        }
    }
}

/// Where a Nest controller's routes take their URI version: after the global prefix.
const VERSION_SLOT: &str = "\u{1}nest-version-slot";

/// A Nest route's full path with its version markers (`ts_nest::CONTROLLER_VERSION`,
/// `ts_nest::ROUTE_VERSION`) taken out, and, when its service turns URI versioning on, the
/// version (the handler's, else its controller's, else the default) put at the slot after
/// the global prefix as `/v1`: one path per version (`['1', '2']`), none for
/// `VERSION_NEUTRAL`; a version not written literally is a parameter (a path built at run
/// time). Any other route's path as it is.
fn nest_versioned(full: Template, uri: Option<&(String, String)>) -> Vec<Template> {
    use crate::lang::ts_nest::{CONTROLLER_VERSION, ROUTE_VERSION};
    // A router's prefix may come here resolved, its references parameters.
    let marker = |p: &Part| {
        matches!(p, Part::Ref(r) | Part::Param(r)
            if r == VERSION_SLOT || r.starts_with(CONTROLLER_VERSION) || r.starts_with(ROUTE_VERSION))
    };
    if !full.iter().any(marker) {
        return vec![full];
    }
    let of = |head: &str| {
        full.iter().rev().find_map(|p| match p {
            Part::Ref(r) | Part::Param(r) => r.strip_prefix(head).map(str::to_string),
            _ => None,
        })
    };
    let slot = full.iter().position(|p| matches!(p, Part::Ref(r) if r == VERSION_SLOT));
    let version = of(ROUTE_VERSION).or_else(|| of(CONTROLLER_VERSION));
    let strip = |t: &Template| -> Template { t.iter().filter(|p| !marker(p)).cloned().collect() };
    let (Some((prefix, default)), Some(slot)) = (uri, slot) else {
        return vec![strip(&full)];
    };
    let version = version.unwrap_or_else(|| default.clone());
    version
        .split(',')
        .map(|v| {
            let mut out = strip(&full[..slot].to_vec());
            match v {
                "" => {}
                "?" => out.extend([Part::Lit("/".into()), Part::Param("version".into())]),
                v => out.push(Part::Lit(format!("/{prefix}{}", v.replace('\u{2}', ".")))),
            }
            out.extend(strip(&full[slot..].to_vec()));
            out
        })
        .collect()
}

fn grpc(ctx: &Ctx, eps: &mut Endpoints, out: &mut ArchOut) {
    // Service name → (proto file, its rpcs of that service).
    let mut protos: BTreeMap<String, Vec<ProtoCopy>> = BTreeMap::new();
    for m in ctx.project.manifests.iter().filter(|m| m.ends_with(".proto")) {
        let Ok(text) = ctx.project.read(m) else { continue };
        if let Some((line, problem)) = proto_problem(&text) {
            out.diagnostics.push(Diagnostic::warning(m, Some(line), format!("malformed .proto: {problem}")));
        }
        for (svc, full, line) in parse_proto(&text) {
            let copies = protos.entry(svc).or_default();
            match copies.iter_mut().find(|(f, _)| f == m) {
                Some((_, rpcs)) => rpcs.push((full, line)),
                None => copies.push((m.clone(), vec![(full, line)])),
            }
        }
    }
    // The copies servers load by path (`grpc.load(path.resolve(__dirname, '../protos/x.proto'))`),
    // by registering file: read although a `.gitignore` hid them from the walk
    // (`**/protos`, the copies a build script makes beside each service), since the code
    // names them.
    let mut loaded: HashMap<usize, Vec<String>> = HashMap::new();
    for (i, f) in ctx.project.files.iter().enumerate().filter(|(_, f)| !f.facts.arch.proto_paths.is_empty()) {
        let rel = ctx.project.rel(i);
        let found: Vec<String> = f.facts.arch.proto_paths.iter().filter_map(|p| locate_proto(ctx, rel, p)).collect();
        for m in found.iter().filter(|m| !ctx.project.manifests.contains(m)) {
            if protos.values().flatten().any(|(f, _)| f == m) {
                continue;
            }
            let Ok(text) = ctx.project.read(m) else { continue };
            for (svc, full, line) in parse_proto(&text) {
                let copies = protos.entry(svc).or_default();
                match copies.iter_mut().find(|(f, _)| f == m) {
                    Some((_, rpcs)) => rpcs.push((full, line)),
                    None => copies.push((m.clone(), vec![(full, line)])),
                }
            }
        }
        loaded.insert(i, found);
    }
    // tonic and prost name a service by heck's UpperCamelCase of its proto name
    // (prost-build's `ident::to_upper_camel`): `HTTP` → `Http`, `CANRPCService` →
    // `CanrpcService`. A spelling two proto services share names neither.
    let mut camel: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for name in protos.keys() {
        let c = heck::ToUpperCamelCase::to_upper_camel_case(name.as_str());
        if c != *name && !protos.contains_key(&c) {
            camel.entry(c).or_default().push(name);
        }
    }
    eps.grpc_defined = protos.keys().cloned().collect();
    eps.grpc_names = camel
        .into_iter()
        .filter_map(|(c, names)| match names.as_slice() {
            [one] => Some((c, (*one).clone())),
            _ => None,
        })
        .collect();
    for (i, f) in ctx.project.files.iter().enumerate() {
        for g in f.facts.arch.grpc.iter().filter(|g| g.server) {
            let Some(owner) = ctx.owner(i) else { continue };
            let rel = ctx.project.rel(i);
            let service = eps.proto_service(&g.service).to_string();
            // actix-web's `HttpServer::new` reads like a tonic server of `Http`: it is one
            // only when a `.proto` defines that service.
            if service == "Http" && !protos.contains_key(&service) {
                continue;
            }
            if !protos.contains_key(&service) {
                out.diagnostics.push(Diagnostic::new(
                    rel,
                    Some(g.line),
                    crate::diagnostic::Severity::Info,
                    format!(
                        "gRPC service `{}` has no .proto definition in the scanned tree: its methods are unknown",
                        g.service
                    ),
                ));
            }
            let named = loaded.get(&i).map_or(&[][..], Vec::as_slice);
            implement(ctx, eps, &protos, owner, &service, g.rpc.as_deref(), (rel, g.line, named), out);
        }
    }
    // Servers in Go, Java, Kotlin and C#, which discovery handed on as manifests when
    // their text names a registration. Only a service a scanned `.proto` defines
    // counts: the line is read by pattern, not parsed, so the proto vouches for it.
    for m in ctx.project.manifests.iter().filter(|m| crate::lang::foreign::is_candidate(m)) {
        let Some(owner) = super::services::owner_of(&ctx.services.list, m) else { continue };
        let Ok(text) = ctx.project.read(m) else { continue };
        for (service, line) in crate::lang::foreign::servers(m, &text) {
            if protos.contains_key(&service) {
                implement(ctx, eps, &protos, owner, &service, None, (m, line, &[]), out);
            }
        }
    }
}

/// Where a `.proto` path a source file names (`'../protos/items/srvc.proto'`, relative
/// to the file as `path.resolve(__dirname, …)` reads it) is in the scanned tree: there,
/// else the same path below the nearest directory above the file holding it (a copy the
/// image build puts beside the service, `COPY protos ./protos`, or a compose mount).
fn locate_proto(ctx: &Ctx, rel: &str, path: &str) -> Option<String> {
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let mut tail: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." if tail.is_empty() => {
                parts.pop()?;
            }
            ".." => return None,
            s => tail.push(s),
        }
    }
    let exists = |p: &str| ctx.project.root.join(p).is_file();
    let tail = tail.join("/");
    let mut candidates = vec![parts.join("/")];
    let mut up: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    loop {
        candidates.push(up.join("/"));
        if up.pop().is_none() {
            break;
        }
    }
    candidates
        .into_iter()
        .map(|d| if d.is_empty() { tail.clone() } else { format!("{d}/{tail}") })
        .find(|p| !path.starts_with('/') && exists(p))
}

/// Service `owner` implements the proto service `proto_service`, registered at
/// `site` (whose file loads the `.proto` copies `site.2` by path): it becomes an
/// implementer (what stubs call) and serves the rpcs of the one copy it loads, else the
/// nearest `.proto` copy — all of them, or the one `rpc` a NestJS handler names (as
/// Nest's server finds a handler: the rpc's name, or its lower-camel alias that
/// `@grpc/proto-loader` adds, `createProduct` for `CreateProduct`).
#[allow(clippy::too_many_arguments)]
fn implement(
    ctx: &Ctx,
    eps: &mut Endpoints,
    protos: &BTreeMap<String, Vec<ProtoCopy>>,
    owner: usize,
    proto_service: &str,
    rpc: Option<&str>,
    site: (&str, u32, &[String]),
    out: &mut ArchOut,
) {
    let service = &ctx.services.list[owner].name;
    let implementers = eps.grpc_impl.entry(proto_service.to_string()).or_default();
    if !implementers.contains(service) {
        implementers.push(service.clone());
    }
    let Some(copies) = protos.get(proto_service) else { return };
    let loaded = copies.iter().filter(|(f, _)| site.2.contains(f)).collect::<Vec<_>>();
    let chosen = match loaded.as_slice() {
        [one] => Some(*one),
        _ => nearest_proto(copies, site.0, &ctx.services.list[owner].dirs),
    };
    let Some((file, rpcs)) = chosen else { return };
    let named = |full: &str| {
        let method = full.rsplit('/').next().unwrap_or(full);
        rpc.is_none_or(|r| r == method || crate::lang::arch::upper_first(r) == method)
    };
    if rpc.is_some() && !rpcs.iter().any(|(full, _)| named(full)) {
        out.diagnostics.push(Diagnostic::new(
            site.0,
            Some(site.1),
            crate::diagnostic::Severity::Info,
            format!(
                "gRPC handler of `{proto_service}` names rpc `{}`, which {file} does not define",
                rpc.unwrap_or("")
            ),
        ));
    }
    for (full, line) in rpcs.iter().filter(|(full, _)| named(full)) {
        eps.list.push(Ep {
            service: service.clone(),
            method: "RPC".into(),
            path: full.clone(),
            framework: "grpc".into(),
            handler: None,
            def: (file.clone(), *line),
            site: (site.0.to_string(), site.1),
            catch_all: false,
        });
    }
}

/// Of several `.proto` copies of one service, the one the registering file `rel`
/// compiles most likely: a copy inside the implementer's service directories first,
/// then the fewest directory steps from the registering file to the copy, then the
/// first by path. (A `build.rs` may name its protos through a directory listing, so
/// it is not read.)
fn nearest_proto<'p>(copies: &'p [ProtoCopy], rel: &str, dirs: &[String]) -> Option<&'p ProtoCopy> {
    let dir_parts = |p: &str| -> Vec<String> {
        let mut v: Vec<String> = p.split('/').map(String::from).collect();
        v.pop();
        v
    };
    let from = dir_parts(rel);
    let inside = |p: &str| dirs.iter().any(|d| d.is_empty() || d == "." || p.starts_with(&format!("{d}/")));
    let steps = |p: &str| {
        let to = dir_parts(p);
        let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
        from.len() + to.len() - 2 * common
    };
    copies.iter().min_by(|a, b| (!inside(&a.0), steps(&a.0), &a.0).cmp(&(!inside(&b.0), steps(&b.0), &b.0)))
}

/// (service, `/pkg.Service/Method`, line) of every rpc in a `.proto` file.
pub fn parse_proto(text: &str) -> Vec<(String, String, u32)> {
    let mut package = String::new();
    let mut service: Option<String> = None;
    let mut out = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let l = raw.split("//").next().unwrap_or("").trim();
        let line = u32::try_from(n + 1).unwrap_or(u32::MAX);
        if let Some(p) = l.strip_prefix("package ") {
            package = p.trim_end_matches(';').trim().to_string();
        } else if let Some(s) = l.strip_prefix("service ") {
            service = s.split(|c: char| c == '{' || c.is_whitespace()).next().map(String::from);
        } else if let (Some(r), Some(svc)) = (l.strip_prefix("rpc "), &service) {
            let method: String = r.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            let qualified = if package.is_empty() { svc.clone() } else { format!("{package}.{svc}") };
            out.push((svc.clone(), format!("/{qualified}/{method}"), line));
        }
    }
    out
}

/// The first structural problem of a `.proto` file, with its line: an
/// unmatched or unclosed brace (outside comments and strings). The reader is
/// line-based and keeps every `rpc` it can see either way; this is only for
/// the diagnostic.
pub fn proto_problem(text: &str) -> Option<(u32, String)> {
    let mut open: Vec<u32> = Vec::new();
    let mut in_block_comment = false;
    for (n, raw) in text.lines().enumerate() {
        let line = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let mut chars = raw.chars().peekable();
        let mut quote: Option<char> = None;
        while let Some(c) = chars.next() {
            match (in_block_comment, quote, c) {
                (true, _, '*') if chars.peek() == Some(&'/') => {
                    chars.next();
                    in_block_comment = false;
                }
                (true, _, _) => {}
                (false, Some(q), c) if c == q => quote = None,
                (false, Some(_), '\\') => {
                    chars.next();
                }
                (false, Some(_), _) => {}
                (false, None, '"' | '\'') => quote = Some(c),
                (false, None, '/') if chars.peek() == Some(&'/') => break,
                (false, None, '/') if chars.peek() == Some(&'*') => {
                    chars.next();
                    in_block_comment = true;
                }
                (false, None, '{') => open.push(line),
                (false, None, '}') if open.pop().is_none() => return Some((line, "`}` with no `{` to close".into())),
                _ => {}
            }
        }
    }
    open.first().map(|&line| (line, "`{` never closed".to_string()))
}

/// The URL path of a Next.js file route: `pages/api/**` or `app/**/route.ts`.
pub fn nextjs_path(rel: &str) -> Option<String> {
    let no_ext = rel.rsplit_once('.').map_or(rel, |(a, _)| a);
    let segs: Vec<&str> = no_ext.split('/').collect();
    let (start, app) = if let Some(i) = segs.windows(2).position(|w| w == ["pages", "api"]) {
        (i + 1, false)
    } else {
        let i = segs.iter().rposition(|s| *s == "app")?;
        if segs.last() != Some(&"route") {
            return None;
        }
        (i + 1, true)
    };
    let mut parts: Vec<String> = Vec::new();
    let end = if app { segs.len() - 1 } else { segs.len() };
    for s in &segs[start..end] {
        if app && (s.starts_with('(') || s.starts_with('@')) || !app && *s == "index" && parts.len() + start + 1 == end
        {
            continue;
        }
        let s = s.trim_start_matches("[[").trim_end_matches("]]");
        let s = match s.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
            Some(p) => format!("{{{}}}", p.trim_start_matches("...")),
            None => s.to_string(),
        };
        parts.push(s);
    }
    Some(format!("/{}", parts.join("/")))
}

/// One path: a single leading `/`, no `//`, no trailing `/` (but `/`), parameters as `{name}`.
pub fn normalise(path: &str) -> String {
    let segs: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(param).collect();
    format!("/{}", segs.join("/"))
}

/// `<int:id>`, `<id>`, `:id`, `:id?`, `{id:int}`, `{*rest}`, `*rest`, `<path..>` → `{id}`.
fn param(seg: &str) -> String {
    if let Some(inner) = seg.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
        let name = inner.rsplit(':').next().unwrap_or(inner).trim_end_matches("..");
        return format!("{{{name}}}");
    }
    if let Some(after) = seg.strip_prefix(':') {
        // What follows the name stays, but for a regex `(\\d+)` and a modifier `?`/`*`/`+`:
        // `:product Id` is `{product} Id`, `:from-:to` is `{from}-{to}`.
        let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let mut rest = &after[name.len()..];
        if rest.starts_with('(') {
            rest = rest.find(')').map_or("", |e| &rest[e + 1..]);
        }
        rest = rest.strip_prefix(['?', '*', '+']).unwrap_or(rest);
        let tail = match rest.find(':') {
            Some(at) => format!("{}{}", &rest[..at], param(&rest[at..])),
            None => rest.to_string(),
        };
        return format!("{{{name}}}{tail}");
    }
    if let Some(inner) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        let name = inner.split(':').next().unwrap_or(inner).trim_start_matches('*');
        return format!("{{{name}}}");
    }
    if let Some(name) = seg.strip_prefix('*').filter(|n| !n.is_empty()) {
        return format!("{{{name}}}");
    }
    seg.to_string()
}

/// Whether a route's last segment takes the rest of the path, slashes included:
/// Starlette/FastAPI `{rest:path}`, werkzeug `<path:rest>`, axum `{*rest}` and `*rest`,
/// path-to-regexp `:rest*`/`:rest+`/`*`, aiohttp `{rest:.*}`, `(.*)`.
pub fn catch_all_path(path: &str) -> bool {
    let last = path.split('/').rfind(|s| !s.is_empty()).unwrap_or("");
    let braced = last.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
    braced.is_some_and(|b| b.starts_with('*') || b.ends_with(":path") || b.ends_with(":.*") || b.ends_with(":.+"))
        || last.strip_prefix("<path:").is_some_and(|s| s.ends_with('>'))
        || last.starts_with('*')
        || (last.starts_with(':') && (last.ends_with('*') || last.ends_with('+')))
        || last == "(.*)"
}

/// How loosely a call's path matches an endpoint's (lower is closer): a parameter in
/// the endpoint taking a literal costs 1, a parameter in the call taking one of the
/// endpoint's literals costs 2 (`/users/{id}` is not `/users/me`, though it could be).
pub fn path_distance(endpoint: &str, call: &str) -> u32 {
    let call = call.split(['?', '#']).next().unwrap_or(call);
    let is_param = |s: &str| s.starts_with('{') && s.ends_with('}');
    let a = endpoint.split('/').filter(|s| !s.is_empty());
    let b = call.split('/').filter(|s| !s.is_empty());
    a.zip(b)
        .map(|(x, y)| match (is_param(x), is_param(y)) {
            (true, true) => 0,
            _ if x == y => 0,
            (true, false) => 1,
            _ => 2,
        })
        .sum()
}

/// Whether a call's path template matches an endpoint's (parameters match any segment;
/// a trailing slash and a query string are ignored).
pub fn path_matches(endpoint: &str, call: &str) -> bool {
    let call = call.split(['?', '#']).next().unwrap_or(call);
    let a: Vec<&str> = endpoint.split('/').filter(|s| !s.is_empty()).collect();
    let b: Vec<&str> = call.split('/').filter(|s| !s.is_empty()).collect();
    let is_param = |s: &str| s.starts_with('{') && s.ends_with('}');
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x == y || is_param(x) || is_param(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_and_paths() {
        assert_eq!(normalise("//api/items/<int:item_id>/"), "/api/items/{item_id}");
        assert_eq!(normalise("/users/:id?/posts/{post_id:int}"), "/users/{id}/posts/{post_id}");
        assert_eq!(normalise("/files/{*rest}"), "/files/{rest}");
        assert_eq!(normalise("/products/:product Id"), "/products/{product} Id");
        assert_eq!(normalise("/flights/:from-:to/:n(\\d+)"), "/flights/{from}-{to}/{n}");
        for p in [
            "/products/{full_path:path}",
            "/files/<path:rest>",
            "/files/{*rest}",
            "/files/*",
            "/f/:rest*",
            "/f/{tail:.*}",
        ] {
            assert!(catch_all_path(p), "{p}");
        }
        for p in ["/products/{product_id}", "/files/<int:id>", "/f/:id", "/f/:id?", "/"] {
            assert!(!catch_all_path(p), "{p}");
        }
        assert_eq!(normalise(""), "/");
        assert!(path_matches("/api/items/{id}", "/api/items/42/"));
        assert!(path_matches("/api/items/{id}", "/api/items/{item_id}?x=1"));
        assert!(!path_matches("/api/items", "/api/items/1"));
        assert!(path_distance("/users/{id}", "/users/{x}") < path_distance("/users/me", "/users/{x}"));
        assert!(path_distance("/items/new", "/items/new") < path_distance("/items/{id}", "/items/new"));
    }

    #[test]
    fn nextjs_and_proto() {
        assert_eq!(nextjs_path("web/pages/api/items/[id].ts").as_deref(), Some("/api/items/{id}"));
        assert_eq!(nextjs_path("web/pages/api/index.ts").as_deref(), Some("/api"));
        assert_eq!(nextjs_path("src/app/(shop)/api/cart/[...slug]/route.ts").as_deref(), Some("/api/cart/{slug}"));
        assert_eq!(nextjs_path("src/app/page.tsx"), None);
        let p = parse_proto("syntax = \"proto3\";\npackage shop;\nservice Cart {\n  rpc AddItem(A) returns (B);\n}\n");
        assert_eq!(p, vec![("Cart".into(), "/shop.Cart/AddItem".into(), 4)]);
    }

    #[test]
    fn proto_problems_are_unbalanced_braces_outside_comments_and_strings() {
        let ok = "service A {\n  // }\n  /* { */ option (x) = \"}\";\n  rpc B(C) returns (D) {}\n}\n";
        assert_eq!(proto_problem(ok), None);
        assert_eq!(proto_problem("message M {\n}\n}\n"), Some((3, "`}` with no `{` to close".into())));
        assert_eq!(proto_problem("service A {\n  rpc B(C) returns (D) {\n}\n"), Some((1, "`{` never closed".into())));
    }
}
