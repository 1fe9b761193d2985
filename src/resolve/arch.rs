//! Architecture resolution: the stage that links what each file says about
//! routes, calls, tables and queues across the whole project, once.
//!
//! It runs after import resolution (it follows imports to find a router or a
//! constant defined in another file) and in this order: services
//! (`services.rs`), endpoints (`routes.rs`), tables (`tables.rs`), calls and
//! queues (`calls.rs`). The result is plain nodes and edges for the graph
//! builder; nothing here depends on hash order.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use super::appconfig;
use super::services::{self, Services};
use super::{calls, celery, moleculer, routes, tables, Project, Resolution, Target};
use crate::diagnostic::Diagnostic;
use crate::graph::{EdgeKind, Node, PortSite, ServiceNode};
use crate::lang::arch::push_parts;
use crate::lang::rs_arch::FIELD;
use crate::model::{Flags, Lang, Part, Template};

/// One end of an architecture edge: a project file (module) or a node id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum End {
    Module(usize),
    Id(String),
}

#[derive(Debug, Clone)]
pub struct ArchEdge {
    pub from: End,
    pub to: End,
    pub kind: EdgeKind,
    /// Site of the evidence; `None` for a derived edge (service → module ownership).
    pub site: Option<(String, u32)>,
    pub flags: Flags,
    /// Service → service calls: the endpoint behind this site.
    pub endpoint: Option<String>,
    /// Calls over a broker's request/reply: the queue id the request travels on.
    pub via: Option<String>,
}

#[derive(Debug, Default)]
pub struct ArchOut {
    /// Service, endpoint, table, queue and external nodes, by id.
    pub nodes: BTreeMap<String, Node>,
    pub edges: Vec<ArchEdge>,
    /// Owning service id of each project file.
    pub module_service: Vec<Option<String>>,
    /// Files of a Nest CLI library several applications import (`Services::shared_libraries`),
    /// with the ids of those applications' services: a request its code makes is made by each.
    pub shared_library_users: BTreeMap<usize, Vec<String>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ArchOut {
    pub fn edge(&mut self, from: End, to: End, kind: EdgeKind, file: &str, line: u32, flags: Flags) {
        self.edges.push(ArchEdge {
            from,
            to,
            kind,
            site: Some((file.to_string(), line)),
            flags,
            endpoint: None,
            via: None,
        });
    }
    pub fn node(&mut self, n: Node) -> String {
        let id = n.id();
        self.nodes.entry(id.clone()).or_insert(n);
        id
    }
}

/// What the resolution stages share: the project, its services, imports.
pub struct Ctx<'a> {
    pub project: &'a Project<'a>,
    pub services: Services,
    /// Modules each import line of each file resolved to.
    import_targets: HashMap<(usize, u32), Vec<usize>>,
    /// Modules each file imports, whatever the line (sorted, deduplicated).
    imported_modules: HashMap<usize, Vec<usize>>,
    /// Rust files of test targets (see [`Resolution::test_files`]).
    pub rust_tests: &'a std::collections::BTreeSet<usize>,
    /// Rust files no `mod` chain reaches (see [`Resolution::rust_unreached`]).
    pub rust_unreached: &'a std::collections::BTreeSet<usize>,
    /// Module-level constants by name: (file, value).
    consts: HashMap<&'a str, Vec<(usize, &'a Template)>>,
    /// Config files of Rust crates, by the crate's directory, with the fields the
    /// `Deserialize` structs of the crate's files declare.
    configs: BTreeMap<String, (appconfig::Config, HashSet<&'a str>)>,
    /// Services serving endpoints whose listening port is read nowhere: computed once,
    /// at the first call that needs it (the endpoints exist by then).
    pub(crate) unread_ports: OnceLock<Vec<String>>,
    /// The INI files of services reading them (`resolve/ini.rs`), at the first key read.
    ini: OnceLock<super::ini::Index>,
}

impl<'a> Ctx<'a> {
    pub fn new(project: &'a Project<'a>, resolution: &'a Resolution) -> Self {
        let mut import_targets: HashMap<(usize, u32), Vec<usize>> = HashMap::new();
        let mut imported_modules: HashMap<usize, Vec<usize>> = HashMap::new();
        for l in &resolution.links {
            if let Target::Module(m) = l.to {
                import_targets.entry((l.from, l.line)).or_default().push(m);
                imported_modules.entry(l.from).or_default().push(m);
            }
        }
        for ms in imported_modules.values_mut() {
            ms.sort_unstable();
            ms.dedup();
        }
        let mut consts: HashMap<&str, Vec<(usize, &Template)>> = HashMap::new();
        for (i, f) in project.files.iter().enumerate() {
            for c in &f.facts.arch.consts {
                let defs = consts.entry(c.name.as_str()).or_default();
                // The first definition in a file is the one kept (patterns may overlap).
                if !defs.iter().any(|(f, _)| *f == i) {
                    defs.push((i, &c.value));
                }
            }
        }
        let mut configs: BTreeMap<String, (appconfig::Config, HashSet<&str>)> =
            appconfig::read(project).into_iter().map(|(d, c)| (d, (c, HashSet::new()))).collect();
        if !configs.is_empty() {
            for (i, f) in project.files.iter().enumerate().filter(|(_, f)| !f.facts.arch.config_fields.is_empty()) {
                if let Some(dir) = config_dir(&configs, project.rel(i)) {
                    let fields = f.facts.arch.config_fields.iter().map(String::as_str);
                    if let Some((_, set)) = configs.get_mut(&dir) {
                        set.extend(fields);
                    }
                }
            }
        }
        let mut services = services::detect(project);
        services::nest_libraries(project, &mut services, &resolution.links);
        services::python_libraries(project, &mut services, &resolution.links);
        services.owner = (0..project.files.len()).map(|i| services::owner_of(&services.list, project.rel(i))).collect();
        Ctx {
            project,
            services,
            import_targets,
            imported_modules,
            rust_tests: &resolution.test_files,
            rust_unreached: &resolution.rust_unreached,
            consts,
            configs,
            unread_ports: OnceLock::new(),
            ini: OnceLock::new(),
        }
    }

    /// A struct field a file reads (`config.services.users_url`, without the variable):
    /// an `envconfig` field of its last name, else the one key of the crate's config
    /// files it names, when a `Deserialize` struct of the crate declares that field
    /// (the service's environment may override the key: `APP_SERVICES__USERS_URL`).
    fn field(&self, file: usize, chain: &str) -> Option<(usize, Template)> {
        let last = chain.rsplit('.').next().unwrap_or(chain);
        let envconfig = format!("{FIELD}{last}");
        if let Some((f, v)) = self.constant(file, &envconfig).filter(|(f, v)| self.readable(*f, v)) {
            return Some((f, v.clone()));
        }
        if let Some(found) = self.config_field(file, chain) {
            return Some(found);
        }
        self.field_set(file, last).or_else(|| self.envy_field(file, last))
    }

    /// A field of a struct the same service's (else crate's) code reads with envy
    /// (`envy::prefixed("APP_").from_env::<Config>()`, `lang::rs_arch::ENVY`): the
    /// environment variable of the prefix and the field's name in upper case
    /// (`APP_LOKI_URL`), when exactly one such struct declares a field of that name.
    fn envy_field(&self, file: usize, last: &str) -> Option<(usize, Template)> {
        use crate::lang::rs_arch::ENVY;
        let files = self.project.files;
        if files[file].file.lang != Lang::Rust || last.is_empty() {
            return None;
        }
        let own = self.owner(file);
        let krate = self.project.crate_dir(file);
        let near = |i: usize| {
            files[i].file.lang == Lang::Rust
                && !self.is_test(i)
                && match own {
                    Some(_) => self.owner(i) == own,
                    None => krate.is_some() && self.project.crate_dir(i) == krate,
                }
        };
        let suffix = format!("::{last}");
        let mut vars: Vec<String> = Vec::new();
        for (_, f) in files.iter().enumerate().filter(|(i, f)| !f.facts.arch.config_fields.is_empty() && near(*i)) {
            for ty in f.facts.arch.config_fields.iter().filter_map(|c| c.strip_suffix(suffix.as_str())) {
                let Some(defs) = self.consts.get(format!("{ENVY}{ty}").as_str()) else { continue };
                for (_, v) in defs.iter().filter(|(d, _)| near(*d)) {
                    if let [Part::Lit(prefix)] = v.as_slice() {
                        vars.push(format!("{prefix}{}", last.to_ascii_uppercase()));
                    }
                }
            }
        }
        vars.sort();
        vars.dedup();
        match vars.as_slice() {
            [one] => Some((file, vec![Part::Env(one.clone(), None)])),
            _ => None,
        }
    }

    /// A field some struct literal of the same service's code sets, outside test code
    /// (`Settings { user_service_url: env::var("USER_SERVICE_URL").unwrap_or_else(…), … }`,
    /// `lang/rs_arch.rs`): its value when all those literals give the same one; nothing
    /// when they differ (which one a run sees is decided at run time).
    fn field_set(&self, file: usize, last: &str) -> Option<(usize, Template)> {
        let name = format!("{}{last}", crate::lang::rs_arch::FIELD_SET);
        let own = self.owner(file);
        let mut defs =
            self.consts.get(name.as_str())?.iter().filter(|(f, _)| self.owner(*f) == own && !self.is_test(*f));
        let (f, v) = defs.next()?;
        defs.all(|(_, w)| w == v).then(|| (*f, (*v).clone()))
    }

    /// The environment variable a template starts with, with its default, followed through
    /// the constants (and `registerAs` leaves) it names first: `USERS_SERVICE_URL` of
    /// `{cfg.users}/x` with `users: process.env.USERS_SERVICE_URL || 'http://localhost:3001'`.
    pub fn leading_env(&self, file: usize, t: &Template) -> Option<(String, Option<String>)> {
        let (mut file, mut part) = (file, t.first()?);
        for _ in 0..8 {
            let (f, v) = match part {
                Part::Env(var, default) => return Some((var.clone(), default.clone())),
                Part::Ref(name) if name.starts_with(crate::lang::ts_config::NEST_CONFIG) => {
                    self.nest_config(file, name)?
                }
                Part::Ref(name) if !name.starts_with(FIELD) => {
                    self.constant(file, name).filter(|(f, v)| self.readable(*f, v))?
                }
                _ => return None,
            };
            (file, part) = (f, v.first()?);
        }
        None
    }

    /// A leaf of a NestJS `registerAs` namespace (`lang/ts_config.rs`) that `file` reads
    /// through `ConfigService`: the one value the non-test code of its own service gives it.
    fn nest_config(&self, file: usize, name: &str) -> Option<(usize, &'a Template)> {
        let own = self.owner(file);
        let mut defs = self.consts.get(name)?.iter().filter(|(f, _)| self.owner(*f) == own && !self.is_test(*f));
        let (f, v) = defs.next()?;
        defs.all(|(_, w)| w == v).then_some((*f, *v))
    }

    /// The key of the crate's config files a field chain names ([`Ctx::field`]).
    fn config_field(&self, file: usize, chain: &str) -> Option<(usize, Template)> {
        let last = chain.rsplit('.').next().unwrap_or(chain);
        let dir = config_dir(&self.configs, self.project.rel(file))?;
        let (config, fields) = &self.configs[&dir];
        if !fields.contains(last) {
            return None;
        }
        let key = config.key(chain)?;
        let env = self.owner(file).map(|s| &self.services.list[s].env);
        if let Some((_, v)) = env.into_iter().flatten().find(|(var, _)| appconfig::overrides(var, key)) {
            return Some((file, vec![Part::Lit(self.substitute(v))]));
        }
        config.value(chain).map(|v| (file, vec![Part::Lit(v.to_string())]))
    }

    /// The value the config files of `file`'s crate give the key a field chain names
    /// ([`Ctx::config_field`]), whatever structs of that crate declare: a library crate's
    /// struct (`JwksConfiguration { url }`) read from the config of a crate using it.
    pub(super) fn config_value(&self, file: usize, chain: &str) -> Option<String> {
        let dir = config_dir(&self.configs, self.project.rel(file))?;
        let (config, _) = &self.configs[&dir];
        let key = config.key(chain)?;
        let env = self.owner(file).map(|s| &self.services.list[s].env);
        if let Some((_, v)) = env.into_iter().flatten().find(|(var, _)| appconfig::overrides(var, key)) {
            return Some(self.substitute(v));
        }
        config.value(chain).map(str::to_string)
    }

    /// The service index owning a file.
    pub fn owner(&self, file: usize) -> Option<usize> {
        self.services.owner.get(file).copied().flatten()
    }

    /// The project modules the imports `file` writes at `line` resolve to.
    pub fn import_targets(&self, file: usize, line: u32) -> &[usize] {
        self.import_targets.get(&(file, line)).map_or(&[], Vec::as_slice)
    }

    /// Modules a local name of `file` is imported from, with the name it has there.
    pub fn imported(&self, file: usize, local: &str) -> Vec<(usize, String)> {
        self.bound(file, local, false)
    }

    /// Whether a file is test code: by its path (`tests/`, `test_*.py`, `*.spec.ts`…), a
    /// Rust test target's, or a file importing a test tool (behave, k6, locust).
    pub fn is_test(&self, i: usize) -> bool {
        let f = &self.project.files[i];
        crate::lang::is_test_path(self.project.rel(i), f.file.lang)
            || self.rust_tests.contains(&i)
            || crate::lang::imports_test_tool(&f.facts)
    }

    /// The project modules a name of `file` holds as a module object (Python): `urls`
    /// after `from account import urls`, `u` after `from . import views, urls as u`
    /// (the submodule named so, not the package), `app.urls` after `import app.urls`.
    pub fn module_object(&self, file: usize, name: &str) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .imported(file, name)
            .into_iter()
            .filter(|(m, remote)| module_name(self.project.rel(*m)) == remote)
            .map(|(m, _)| m)
            .collect();
        if let Some((_, last)) = name.rsplit_once('.') {
            let f = &self.project.files[file];
            for imp in f.facts.imports.iter().filter(|i| i.level == 0 && i.names.is_empty() && i.spec == name) {
                let targets = self.import_targets.get(&(file, imp.line)).map(Vec::as_slice).unwrap_or(&[]);
                out.extend(targets.iter().copied().filter(|&m| module_name(self.project.rel(m)) == last));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Modules whose function's result a local of `file` holds (`const client =
    /// buildClient(ctx)`, `crate::lang::ts_arch::bind_factory_results`), with the
    /// function's name there and `()` (`default()` for a default import).
    pub fn returned_by(&self, file: usize, local: &str) -> Vec<(usize, String)> {
        self.bound(file, local, true)
    }

    fn bound(&self, file: usize, local: &str, results: bool) -> Vec<(usize, String)> {
        let f = &self.project.files[file];
        let mut out = Vec::new();
        for b in f.facts.arch.bindings.iter().filter(|b| b.local == local && b.remote.ends_with("()") == results) {
            for &m in self.import_targets.get(&(file, b.line)).map(Vec::as_slice).unwrap_or(&[]) {
                out.push((m, b.remote.clone()));
            }
        }
        if f.file.lang == Lang::Python && !results {
            for imp in f.facts.imports.iter().filter(|i| i.names.iter().any(|n| n == local)) {
                let targets = self.import_targets.get(&(file, imp.line)).map(Vec::as_slice).unwrap_or(&[]);
                // `from pkg import a, b`: each name is its own submodule when one is named so.
                let named: Vec<usize> =
                    targets.iter().copied().filter(|&m| module_name(self.project.rel(m)) == local).collect();
                // …unless the package's `__init__.py` rebinds the name to something else
                // (`from .users_router import router as users_router`): Python reads the
                // package's attribute first, so that binding wins over the submodule.
                let rebound: Vec<usize> = named
                    .iter()
                    .filter_map(|&m| {
                        let dir = super::dir_of(self.project.rel(m));
                        self.project.file(&if dir.is_empty() {
                            "__init__.py".into()
                        } else {
                            format!("{dir}/__init__.py")
                        })
                    })
                    .filter(|&p| {
                        p != file
                            && self.project.files[p]
                                .facts
                                .arch
                                .bindings
                                .iter()
                                .any(|b| b.local == local && b.remote != local)
                    })
                    .collect();
                let chosen = if !rebound.is_empty() {
                    rebound
                } else if named.is_empty() {
                    targets.to_vec()
                } else {
                    named
                };
                out.extend(chosen.into_iter().map(|m| (m, local.to_string())));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The other project modules whose imports resolve to `file` (once per import).
    pub fn importers(&self, file: usize) -> impl Iterator<Item = usize> + '_ {
        self.import_targets
            .iter()
            .filter(move |((from, _), to)| *from != file && to.contains(&file))
            .map(|((from, _), _)| *from)
    }

    /// Whether another project module imports `file`: an import resolved to it, or
    /// one whose text names its module (`from .routes import verify`), in case the
    /// import was not resolved. An import resolved to another module of that name
    /// (`from app.db import messages` seen from `app/api/messages.py`) is that
    /// module's, not this one's.
    pub fn imported_anywhere(&self, file: usize) -> bool {
        if self.importers(file).next().is_some() {
            return true;
        }
        let name = module_name(self.project.rel(file));
        self.project.files.iter().enumerate().filter(|(i, _)| *i != file).any(|(i, f)| {
            f.facts.imports.iter().any(|imp| {
                let names_it = imp.spec.rsplit(['.', '/']).next() == Some(name) || imp.names.iter().any(|n| n == name);
                names_it && !self.resolved_to_namesake(i, imp.line, name)
            })
        })
    }

    /// Whether a project module other than a package's `__init__.py` imports `file`, as
    /// [`Self::imported_anywhere`] tells (a package re-exporting a module's names makes
    /// nothing of it used).
    pub fn imported_outside_packages(&self, file: usize) -> bool {
        let package = |i: usize| {
            let rel = self.project.rel(i);
            rel == "__init__.py" || rel.ends_with("/__init__.py")
        };
        let importers: Vec<usize> = self.importers(file).collect();
        if importers.iter().any(|&i| !package(i)) {
            return true;
        }
        // A package re-exporting the module's names (`from .users import router as
        // users_router`): a module importing one of them from the package uses it.
        let files = &self.project.files;
        for &p in &importers {
            let pf = &files[p].facts;
            let lines: Vec<u32> = pf
                .imports
                .iter()
                .filter(|imp| self.import_targets(p, imp.line).contains(&file))
                .map(|i| i.line)
                .collect();
            let mut names: Vec<&str> = pf
                .imports
                .iter()
                .filter(|imp| lines.contains(&imp.line))
                .flat_map(|imp| imp.names.iter().map(String::as_str))
                .collect();
            names.extend(pf.arch.bindings.iter().filter(|b| lines.contains(&b.line)).map(|b| b.local.as_str()));
            if names.contains(&"*") {
                return true;
            }
            let uses = files.iter().enumerate().filter(|(j, _)| *j != p && *j != file).any(|(j, f)| {
                f.facts.imports.iter().any(|imp| {
                    self.import_targets(j, imp.line).contains(&p)
                        && imp.names.iter().any(|n| n == "*" || names.contains(&n.as_str()))
                })
            });
            if uses {
                return true;
            }
        }
        let name = module_name(self.project.rel(file));
        self.project.files.iter().enumerate().filter(|(i, _)| *i != file && !package(*i)).any(|(i, f)| {
            f.facts.imports.iter().any(|imp| {
                let names_it = imp.spec.rsplit(['.', '/']).next() == Some(name) || imp.names.iter().any(|n| n == name);
                names_it && !self.resolved_to_namesake(i, imp.line, name)
            })
        })
    }

    /// Whether the import on `line` of `file` resolved to a project module named `name`.
    fn resolved_to_namesake(&self, file: usize, line: u32, name: &str) -> bool {
        let targets = self.import_targets.get(&(file, line)).map(Vec::as_slice).unwrap_or(&[]);
        targets.iter().any(|&m| module_name(self.project.rel(m)) == name)
    }

    /// The value of a constant named `name` as seen from `file`: this file's,
    /// an imported one, else the only one of that name in the project.
    /// The constant `name` that `file` itself defines (not one it imports).
    pub fn own_constant(&self, file: usize, name: &str) -> Option<&'a Template> {
        self.consts.get(name)?.iter().find(|(f, _)| *f == file).map(|(_, t)| *t)
    }

    fn constant(&self, file: usize, name: &str) -> Option<(usize, &'a Template)> {
        // Rust `use contracts::users::get_user::SUBJECT as GET_USER_SUBJECT` names the
        // constant by its inline module (`get_user::SUBJECT`, `lang::rs_arch`); a constant
        // of no inline module is found by its own name, as any other.
        // A `registerAs` leaf (`lang/ts_config.rs`) is its service's, never a constant of its
        // last name elsewhere.
        if name.starts_with(crate::lang::ts_config::NEST_CONFIG) {
            return self.nest_config(file, name);
        }
        match name.rsplit_once("::") {
            Some((_, last)) => self.constant_named(file, name).or_else(|| self.constant_named(file, last)),
            None => self.constant_named(file, name),
        }
    }

    fn constant_named(&self, file: usize, name: &str) -> Option<(usize, &'a Template)> {
        let defs = self.consts.get(name);
        if let Some(d) = defs.and_then(|d| d.iter().find(|(f, _)| *f == file)) {
            return Some(*d);
        }
        let (head, last) = match name.split_once('.') {
            Some((h, _)) => (h, name.rsplit('.').next().unwrap_or(name)),
            None => (name, name),
        };
        for (m, remote) in self.imported(file, head) {
            // `import { ENV } from './config'` then `ENV.ORDER_URL`: the member constant.
            if head != name {
                let qualified = format!("{remote}{}", &name[head.len()..]);
                if let Some(d) = self.consts.get(qualified.as_str()).and_then(|d| d.iter().find(|(f, _)| *f == m)) {
                    return Some(*d);
                }
            }
            let want = if head == name { remote.as_str() } else { last };
            if let Some(d) = self.consts.get(want).and_then(|d| d.iter().find(|(f, _)| *f == m)) {
                return Some(*d);
            }
            // `import config` then `config.X`: X defined in the imported module.
            if let Some(d) = self.consts.get(last).and_then(|d| d.iter().find(|(f, _)| *f == m)) {
                return Some(*d);
            }
            // A barrel (`export * from './events.enum'`) re-exporting the module defining it.
            let exported = if head == name || remote == "*" {
                want.to_string()
            } else {
                format!("{remote}{}", &name[head.len()..])
            };
            if let Some(d) = self.reexported_const(m, &exported) {
                return Some(d);
            }
        }
        // Last, a constant of that name defined elsewhere: only one in scope of `file`
        // ([`Ctx::in_scope`]), the only one or the only one of its service. A name made up
        // by an extractor (`addr-port:…`, not an identifier) is the project's, not a scope's.
        let defs = self.consts.get(last)?;
        let identifier = last.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$');
        let in_scope: Vec<_> = defs.iter().filter(|(d, _)| !identifier || self.in_scope(file, name, *d)).collect();
        let same_service: Vec<_> = in_scope.iter().filter(|(f, _)| self.owner(*f) == self.owner(file)).collect();
        match (in_scope.len(), same_service.len()) {
            (1, _) => Some(*in_scope[0]),
            (_, 1) => Some(**same_service[0]),
            _ => None,
        }
    }

    /// Whether code of `file` can name a module-level constant of module `def` as `name`
    /// (the last step of [`Ctx::constant_named`]): `def` is `file` itself, a module `file`
    /// imports (any import: `import config`, `from config import *`, `use crate::config::*`,
    /// a Rust path `crate::config::URL`, the module of an imported function whose result's
    /// member is read) or one such a module re-exports (a barrel); Django's `settings.X`
    /// (`from django.conf import settings`) is the service's `settings` module. A caller's
    /// local or parameter that happens to share an unrelated module's constant's name is
    /// none of these (session 25: a spec's `httpGet(url)` read `const url =
    /// 'https://schemastore.org/…'` of a script it does not import).
    fn in_scope(&self, file: usize, name: &str, def: usize) -> bool {
        if def == file {
            return true;
        }
        let imported = self.imported_modules.get(&file).map_or(&[][..], Vec::as_slice);
        if imported.binary_search(&def).is_ok()
            || imported.iter().any(|&m| self.find_reexported(m, 0, &mut |r| (r == def).then_some(())).is_some())
        {
            return true;
        }
        let rel = self.project.rel(def);
        self.project.files[file].file.lang == Lang::Python
            && name.starts_with("settings.")
            && self.project.files[file].facts.imports.iter().any(|i| i.spec == "django.conf")
            && self.owner(def) == self.owner(file)
            && (module_name(rel) == "settings" || rel.contains("/settings/"))
    }

    /// The URLs a template reaching a dict by a run-time key stands for, one per distinct
    /// value of the dict (`f"{service_url}/api/{path}"` with `service_url =
    /// SERVICE_URLS[name]` in a route handler, or a loop over `SERVICE_URLS.items()`:
    /// `lang::py_arch::any_entry`): the reference `SERVICE_URLS[*name]` (directly or
    /// through the constants the template names) is each string-keyed entry of the dict
    /// constant `SERVICE_URLS` of the file or one it imports (a local copying it,
    /// `{k: v for k, v in SERVICE_URLS.items()}`, is it), read in the module defining it.
    /// None when the template reaches no such reference or its dict has no entry: the
    /// reference then stays a parameter, as before. At most `MAX_ROWS` URLs.
    pub fn entry_rows(&self, file: usize, t: &Template) -> Option<Vec<Template>> {
        self.entry_rows_depth(file, t, 0)
    }

    fn entry_rows_depth(&self, file: usize, t: &Template, depth: u32) -> Option<Vec<Template>> {
        const MAX_ROWS: usize = 64;
        if depth > 4 {
            return None;
        }
        let mut rows: Vec<Template> = vec![Template::new()];
        let mut found = false;
        for p in t {
            let alternatives = match p {
                Part::Ref(r) if r.contains("[*") => Some(self.dict_entries(file, r, 0)).filter(|v| !v.is_empty()),
                Part::Ref(r) => self.constant(file, r).filter(|(f, v)| self.readable(*f, v)).and_then(|(f, v)| {
                    let inner = self.entry_rows_depth(f, v, depth + 1)?;
                    // Read where the constant is: its other names are its module's.
                    Some(inner.into_iter().map(|t| self.resolve_template_lenient(f, &t)).collect())
                }),
                _ => None,
            };
            match alternatives {
                Some(alts) => {
                    found = true;
                    let mut next = Vec::new();
                    for row in &rows {
                        for a in &alts {
                            let mut r = row.clone();
                            push_parts(&mut r, a.clone());
                            if !next.contains(&r) {
                                next.push(r);
                            }
                        }
                    }
                    if next.len() > MAX_ROWS {
                        return None;
                    }
                    rows = next;
                }
                None => rows.iter_mut().for_each(|r| push_parts(r, vec![p.clone()])),
            }
        }
        found.then_some(rows)
    }

    /// The values of the dict a marker `HEAD[*key]TAIL` reads (see [`Ctx::entry_rows`]):
    /// each constant `HEAD[k]TAIL` of the module defining `HEAD`, by key, resolved there.
    fn dict_entries(&self, file: usize, marker: &str, depth: u32) -> Vec<Template> {
        let Some((head, rest)) = marker.split_once("[*") else { return Vec::new() };
        let Some((_, tail)) = rest.split_once(']') else { return Vec::new() };
        let mut places = vec![(file, head.to_string())];
        places.extend(self.imported(file, head));
        // Rust names no import of a constant: the one module of the service (else of the
        // project) defining the list (`KafkaTopic::all()[0]`, `lang::rs_enums`).
        if self.project.files[file].file.lang == Lang::Rust {
            places.extend(self.list_module(file, head).map(|m| (m, head.to_string())));
        }
        for (m, dict) in places {
            let prefix = format!("{dict}[");
            let mut keyed: Vec<(&str, &Template)> = self
                .consts
                .iter()
                .filter_map(|(name, defs)| {
                    let key = name.strip_prefix(prefix.as_str())?.strip_suffix(tail)?.strip_suffix(']')?;
                    if key.contains(['[', ']']) {
                        return None;
                    }
                    defs.iter().find(|(f, _)| *f == m).map(|(_, t)| (key, *t))
                })
                .collect();
            if keyed.is_empty() {
                // `unique = {k: v for k, v in SERVICE_URLS.items()}`: the dict it copies.
                let copied = self.consts.get(dict.as_str()).and_then(|d| d.iter().find(|(f, _)| *f == m));
                if let Some((_, [Part::Ref(other)])) = copied.map(|(f, t)| (f, t.as_slice())) {
                    if depth < 3 && !other.contains('[') {
                        let found = self.dict_entries(m, &format!("{other}[*{rest}"), depth + 1);
                        if !found.is_empty() {
                            return found;
                        }
                    }
                }
                continue;
            }
            keyed.sort();
            let mut out: Vec<Template> = Vec::new();
            for (_, t) in keyed {
                let v = self.resolve_template(m, t).unwrap_or_else(|var| vec![Part::Env(var, None)]);
                if !out.contains(&v) {
                    out.push(v);
                }
            }
            return out;
        }
        Vec::new()
    }

    /// The one module defining elements of the list `head` (`head[0]`…), among those
    /// of `file`'s service when several modules of the project do.
    fn list_module(&self, file: usize, head: &str) -> Option<usize> {
        let prefix = format!("{head}[");
        let mut defs: Vec<usize> = self
            .consts
            .iter()
            .filter(|(name, _)| name.starts_with(prefix.as_str()))
            .flat_map(|(_, d)| d.iter().map(|(f, _)| *f))
            .collect();
        defs.sort_unstable();
        defs.dedup();
        let same: Vec<usize> = defs.iter().copied().filter(|f| self.owner(*f) == self.owner(file)).collect();
        match (defs.as_slice(), same.as_slice()) {
            ([one], _) | (_, [one]) => Some(*one),
            _ => None,
        }
    }

    /// The rows of a table `name` (`ROUTES.*.proxy.target`: `*` for the row) as `file`
    /// reads it, a module-level array of objects of the file or one it imports
    /// (`crate::lang::ts_arch`, `object_members`): each row's member that has a value, in
    /// order, read in the module defining it (an environment variable that module's
    /// deployment does not set stays one). Exact names only: a row is no guess.
    pub fn table_rows(&self, file: usize, name: &str) -> Vec<Template> {
        /// Rows looked for; a route table is a few lines.
        const MAX_ROWS: usize = 64;
        let Some((head, rest)) = name.split_once(".*.") else { return Vec::new() };
        let mut places = vec![(file, head.to_string())];
        places.extend(self.imported(file, head));
        for (m, table) in places {
            let rows: Vec<Template> = (0..MAX_ROWS)
                .filter_map(|k| {
                    let defs = self.consts.get(format!("{table}.{k}.{rest}").as_str())?;
                    defs.iter().find(|(f, _)| *f == m).map(|(_, t)| *t)
                })
                .map(|t| self.resolve_template(m, t).unwrap_or_else(|var| vec![Part::Env(var, None)]))
                .collect();
            if !rows.is_empty() {
                return rows;
            }
        }
        Vec::new()
    }

    /// The constant `name` of a module that `module` re-exports (`export * from './x'`,
    /// `export { X } from './x'`), a few barrels deep (`index.ts` → `enums/index.ts` →
    /// `enums/events.enum.ts`).
    fn reexported_const(&self, module: usize, name: &str) -> Option<(usize, &'a Template)> {
        let defs = self.consts.get(name)?;
        self.find_reexported(module, 0, &mut |m| defs.iter().find(|(f, _)| *f == m).copied())
    }

    /// The first `found` gives for a module `module` re-exports (`export * from './x'`,
    /// `export { X } from './x'`), a few barrels deep, each module asked before those it
    /// re-exports in turn.
    pub fn find_reexported<T>(
        &self,
        module: usize,
        depth: u32,
        found: &mut impl FnMut(usize) -> Option<T>,
    ) -> Option<T> {
        if depth > 2 {
            return None;
        }
        let imports = self.project.files[module].facts.imports.iter().filter(|i| i.flags.contains(Flags::REEXPORT));
        for imp in imports {
            for &m in self.import_targets.get(&(module, imp.line)).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(x) = found(m).or_else(|| self.find_reexported(m, depth + 1, found)) {
                    return Some(x);
                }
            }
        }
        None
    }

    /// An environment variable's value for code in `file`: the service's
    /// compose/Kubernetes environment, then the nearest `.env`, the variables
    /// Kubernetes injects, and last the nearest `.env.example` (or `.sample`,
    /// `.template`, `.dist`) that gives it a value that is not a placeholder.
    pub fn env(&self, file: usize, var: &str) -> Option<String> {
        if let Some(v) = self.owner(file).and_then(|s| self.services.list[s].env.get(var)) {
            return Some(self.substitute(v));
        }
        let rel = self.project.rel(file);
        nearest(&self.services.dotenv, rel, var)
            .or_else(|| self.k8s_injected(var))
            .or_else(|| nearest(&self.services.dotenv_example, rel, var))
    }

    /// The variables Kubernetes sets in every pod for each Service of its
    /// namespace: `AUTH_API_SERVICE_HOST` (the Service's cluster address, reached
    /// here by its name `auth-api`) and `AUTH_API_SERVICE_PORT` (its first port).
    fn k8s_injected(&self, var: &str) -> Option<String> {
        let (name, what) = var
            .strip_suffix("_SERVICE_HOST")
            .map(|n| (n, true))
            .or_else(|| var.strip_suffix("_SERVICE_PORT").map(|n| (n, false)))?;
        let name = name.to_ascii_lowercase().replace('_', "-");
        let port = self.services.k8s_service_ports.get(&name)?;
        if what {
            Some(name)
        } else {
            port.clone()
        }
    }

    /// `${VAR}` in an nginx target, from the proxying service's environment.
    pub fn expand_in_service(&self, service: usize, v: &str) -> String {
        let mut out = String::new();
        let mut rest = v;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let Some(end) = rest[i..].find('}') else { break };
            let name = &rest[i + 2..i + end];
            match self.services.list[service].env.get(name) {
                Some(val) => out.push_str(&self.substitute(val)),
                None => out.push_str(&rest[i..=i + end]),
            }
            rest = &rest[i + end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// A service's environment value with compose's variables (`${VAR:-default}`, `$VAR`,
    /// [`services::interpolate`]) from the root `.env`, else their defaults; a `.env` value
    /// may itself name variables (`CART_ADDR=cart:${CART_PORT}`), read in turn, a few levels
    /// deep.
    pub(super) fn substitute(&self, v: &str) -> String {
        self.substitute_depth(v, 3)
    }

    fn substitute_depth(&self, v: &str, depth: usize) -> String {
        let root = self.services.dotenv.get("");
        let lookup = |name: &str| {
            let raw = root?.get(name)?;
            Some(if depth > 0 { self.substitute_depth(raw, depth - 1) } else { raw.clone() })
        };
        services::interpolate(v, &lookup).text
    }

    /// Resolve constants and environment variables in a template. Unknown
    /// references become parameters; an unknown environment variable is `Err(name)`.
    pub fn resolve_template(&self, file: usize, t: &Template) -> Result<Template, String> {
        self.resolve_depth(file, t, 0, Mode { lenient: false, url: false })
    }

    /// As [`Ctx::resolve_template`], but an environment variable nothing sets
    /// stays a parameter named after it (`{API_URL}/users`) instead of an error.
    pub fn resolve_template_lenient(&self, file: usize, t: &Template) -> Template {
        self.resolve_depth(file, t, 0, Mode { lenient: true, url: false }).unwrap_or_default()
    }

    /// [`Ctx::resolve_template`] of a request's URL: an environment variable nothing sets
    /// whose default is a loopback URL on a port no service here listens on (pydantic's
    /// `auth_service_url: str = "http://localhost:8001"`, a developer's own machine) is
    /// unset too, for the variable's name to say more (`calls::dead_loopback`).
    pub fn resolve_url(&self, file: usize, t: &Template) -> Result<Template, String> {
        self.resolve_depth(file, t, 0, Mode { lenient: false, url: true })
    }

    /// [`Ctx::resolve_url`], an unset variable staying a parameter named after it.
    pub fn resolve_url_lenient(&self, file: usize, t: &Template) -> Template {
        self.resolve_depth(file, t, 0, Mode { lenient: true, url: true }).unwrap_or_default()
    }

    fn resolve_depth(&self, file: usize, t: &Template, depth: u32, mode: Mode) -> Result<Template, String> {
        let lenient = mode.lenient;
        let unset = |var: &String| if lenient { Ok(Part::Param(var.clone())) } else { Err(var.clone()) };
        let default_of = |d: &Option<String>| {
            d.clone().filter(|d| !mode.url || depth > 6 || !super::calls::dead_loopback(self, file, d))
        };
        let mut out = Template::new();
        for p in t {
            match p {
                Part::Ref(name) if name.starts_with(FIELD) && depth < 8 => match self.field(file, &name[FIELD.len()..])
                {
                    Some((f, v)) => push_parts(&mut out, self.resolve_depth(f, &v, depth + 1, mode)?),
                    None => out.push(Part::Param(param_of_ref(name).to_string())),
                },
                // `configService.get('ns.a.b')`: a leaf of the service's `registerAs('ns', …)`.
                Part::Ref(name) if name.starts_with(crate::lang::ts_config::NEST_CONFIG) => {
                    match self.nest_config(file, name).filter(|_| depth < 8) {
                        Some((f, v)) => push_parts(&mut out, self.resolve_depth(f, v, depth + 1, mode)?),
                        None => out.push(Part::Param(name.rsplit('.').next().unwrap_or(name).to_string())),
                    }
                }
                // `SYS_CONFIG["kafka-topics"]["orders"]`: the key of the service's INI files.
                Part::Ref(name) if name.starts_with(crate::lang::py_arch::INI) => {
                    let (section, option) = crate::lang::py_arch::ini_key(name);
                    match self.ini_value(file, section, option) {
                        Some(v) => push_parts(&mut out, vec![Part::Lit(v)]),
                        None => out.push(Part::Param(option.to_string())),
                    }
                }
                // A constant holding a call that is not an env getter is no constant.
                Part::Ref(name) if depth < 8 => match self.constant(file, name).filter(|(f, v)| self.readable(*f, v)) {
                    Some((f, v)) => push_parts(&mut out, self.resolve_depth(f, v, depth + 1, mode)?),
                    None => out.push(Part::Param(param_of_ref(name).to_string())),
                },
                Part::EnvCall(func, var) if self.env_getter(file, func) => match self.env(file, var) {
                    Some(v) => push_parts(&mut out, vec![Part::Lit(v)]),
                    None => out.push(unset(var)?),
                },
                Part::EnvCall(_, var) => out.push(Part::Param(var.clone())),
                Part::Ref(name) => out.push(Part::Param(name.clone())),
                Part::Env(var, default) => match self.env(file, var).or_else(|| default_of(default)) {
                    Some(v) => push_parts(&mut out, vec![Part::Lit(v)]),
                    None => out.push(unset(var)?),
                },
                Part::IfEnv(var, set, unset) => {
                    let chosen = if self.env(file, var).is_some() { set } else { unset };
                    push_parts(&mut out, self.resolve_depth(file, chosen, depth + 1, mode)?);
                }
                other => push_parts(&mut out, vec![other.clone()]),
            }
        }
        Ok(out)
    }
}

/// How `Ctx::resolve_depth` reads environment variables: `lenient`, one nothing sets
/// stays a parameter (else an error); `url`, a loopback default no service listens on is
/// no value ([`Ctx::resolve_url`]).
#[derive(Clone, Copy)]
struct Mode {
    lenient: bool,
    url: bool,
}

impl Ctx<'_> {
    /// The value of an INI file's `section`/`option` for code in `file` ([`super::ini`]).
    fn ini_value(&self, file: usize, section: &str, option: &str) -> Option<String> {
        let index =
            self.ini.get_or_init(|| super::ini::Index::build(self.project, &self.services.owner, &self.services.list));
        index.value(file, self.project.rel(file), self.owner(file), section, option)
    }

    /// Whether every call in a constant's value is an environment read.
    fn readable(&self, file: usize, value: &Template) -> bool {
        value.iter().all(|p| !matches!(p, Part::EnvCall(func, _) if !self.env_getter(file, func)))
    }

    /// Whether `func`, as written in `file`, names one of the project's env
    /// getters: defined in the file, imported by name (`from cfg import env`),
    /// or reached through an imported module (`cfg.env`).
    fn env_getter(&self, file: usize, func: &str) -> bool {
        let defines = |m: usize, name: &str| self.project.files[m].facts.arch.env_getters.iter().any(|g| g == name);
        match func.rsplit_once('.') {
            None => defines(file, func) || self.imported(file, func).iter().any(|(m, remote)| defines(*m, remote)),
            Some((head, last)) => self.imported(file, head).iter().any(|(m, _)| defines(*m, last)),
        }
    }
}

/// The parameter an unresolved reference stands for: `cfg.BASE` → `BASE`,
/// `app.config[ORDERS_URI]` → `ORDERS_URI`.
fn param_of_ref(name: &str) -> &str {
    // `caller-arg:create_checkers#2=endpoint`: a parameter no caller gave a value.
    if let Some(arg) = name.strip_prefix(crate::lang::rs_arch::CALLER_ARG) {
        return arg.rsplit_once('=').map_or(arg, |(_, p)| p);
    }
    let name = name.strip_prefix(crate::lang::rs_arch::FIELD).unwrap_or(name);
    match name.strip_suffix(']').and_then(|n| n.rsplit_once('[')) {
        // `SERVICE_URLS[*name]`, a dict read by a run-time key (`lang::py_arch::any_entry`).
        Some((_, key)) => key.strip_prefix('*').unwrap_or(key),
        None => name.rsplit('.').next().unwrap_or(name),
    }
}

/// `pkg/users.py` → `users`; `pkg/users/__init__.py` → `users`.
fn module_name(rel: &str) -> &str {
    let stem = rel.rsplit('/').next().unwrap_or(rel).trim_end_matches(".py");
    if stem == "__init__" {
        super::dir_of(rel).rsplit('/').next().unwrap_or("")
    } else {
        stem
    }
}

/// Render a resolved template: parameters as `{name}`.
pub fn render(t: &Template) -> String {
    let mut s = String::new();
    for p in t {
        match p {
            Part::Lit(x) => s.push_str(x),
            Part::Param(n) | Part::Ref(n) | Part::EnvCall(_, n) => {
                s.push('{');
                s.push_str(n);
                s.push('}');
            }
            Part::Env(n, _) | Part::IfEnv(n, ..) => {
                s.push_str("${");
                s.push_str(n);
                s.push('}');
            }
        }
    }
    s
}

/// Run every architecture stage.
pub fn resolve(project: &Project, resolution: &Resolution) -> ArchOut {
    let ctx = Ctx::new(project, resolution);
    let mut out = ArchOut { diagnostics: ctx.services.diagnostics.clone(), ..ArchOut::default() };
    let mut eps = routes::resolve(&ctx, &mut out);
    moleculer::endpoints(&ctx, &mut eps);
    let fallback = eps.fallback_service.clone();
    service_nodes(&ctx, fallback.as_deref(), &mut out);
    eps.emit(&mut out);
    tables::resolve(&ctx, &mut out);
    calls::resolve(&ctx, &eps, &mut out);
    moleculer::calls(&ctx, &eps, &mut out);
    celery::resolve(&ctx, &mut out);
    out.diagnostics.extend(ctx.ini.get().map(super::ini::Index::diagnostics).unwrap_or_default());
    out.diagnostics.sort();
    out.diagnostics.dedup();
    out
}

/// A service's ports as the report shows them: those its deployment files write, then
/// each its Dockerfile `EXPOSE`s that none of them already publishes or names as the
/// container's; with where each is written.
fn shown_ports(s: &services::Service) -> (Vec<String>, Vec<PortSite>) {
    let container = |x: &str| x.split('/').next().unwrap_or(x).rsplit(':').next().map(str::to_string);
    let mut ports = s.ports.clone();
    let mut sources: Vec<PortSite> = s.port_sites.iter().filter(|x| x.from != "dockerfile").cloned().collect();
    for site in s.port_sites.iter().filter(|x| x.from == "dockerfile") {
        if !ports.iter().any(|p| container(p).as_deref() == Some(site.port.as_str())) {
            ports.push(site.port.clone());
            sources.push(site.clone());
        }
    }
    (ports, sources)
}

/// Service nodes, module ownership (`contains`) and declared links to infrastructure.
fn service_nodes(ctx: &Ctx, fallback: Option<&str>, out: &mut ArchOut) {
    for s in &ctx.services.list {
        let mut env: Vec<(String, String)> = s.env.iter().map(|(k, v)| (k.clone(), services::redact(k, v))).collect();
        env.sort();
        let (ports, port_sources) = shown_ports(s);
        let node = ServiceNode {
            name: s.name.clone(),
            dirs: s.dirs.clone(),
            infra: s.infra,
            image: s.image.clone(),
            ports,
            port_sources,
            environment: env,
            depends_on: s.depends_on.iter().map(|d| d.0.clone()).collect(),
            aliases: s.aliases.clone(),
            file: Some(s.file.clone()),
            line: Some(s.line),
        };
        out.node(Node::Service(Box::new(node)));
    }
    if let Some(name) = fallback {
        out.node(Node::Service(Box::new(ServiceNode {
            name: name.to_string(),
            dirs: vec![String::new()],
            ..ServiceNode::default()
        })));
    }
    out.module_service = (0..ctx.project.files.len())
        .map(|i| match ctx.owner(i) {
            Some(s) => Some(format!("service:{}", ctx.services.list[s].name)),
            None => fallback.map(|f| format!("service:{f}")),
        })
        .collect();
    for (root, users) in &ctx.services.shared_libraries {
        let ids: Vec<String> = users.iter().map(|u| format!("service:{u}")).collect();
        for i in (0..ctx.project.files.len()).filter(|&i| super::is_under(ctx.project.rel(i), root)) {
            out.shared_library_users.insert(i, ids.clone());
        }
    }
    for (i, s) in out.module_service.clone().into_iter().enumerate() {
        if let Some(s) = s {
            out.edges.push(ArchEdge {
                from: End::Id(s),
                to: End::Module(i),
                kind: EdgeKind::Contains,
                site: None,
                flags: Flags::default(),
                endpoint: None,
                via: None,
            });
        }
    }
    // depends_on an infrastructure service: a declared link, with its site.
    for s in &ctx.services.list {
        for (dep, file, line) in &s.depends_on {
            if ctx.services.list.iter().any(|x| x.infra && x.name == *dep) {
                out.edge(
                    End::Id(format!("service:{}", s.name)),
                    End::Id(format!("service:{dep}")),
                    EdgeKind::Calls,
                    file,
                    *line,
                    Flags::DECLARED,
                );
            }
        }
    }
}

/// The directory of the crate whose config files a file reads: the nearest one
/// above it that has any.
fn config_dir<T>(configs: &BTreeMap<String, T>, rel: &str) -> Option<String> {
    dirs_up(rel).find(|d| configs.contains_key(*d)).map(str::to_string)
}

/// The directories holding `rel`, innermost first, the root (`""`) last.
fn dirs_up(rel: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(super::dir_of(rel));
    std::iter::from_fn(move || {
        let dir = next?;
        next = (!dir.is_empty()).then(|| super::dir_of(dir));
        Some(dir)
    })
}

/// `var` in the nearest of `files` (by directory) from `rel` up to the root.
fn nearest(files: &BTreeMap<String, BTreeMap<String, String>>, rel: &str, var: &str) -> Option<String> {
    dirs_up(rel).find_map(|d| files.get(d).and_then(|e| e.get(var))).cloned()
}
