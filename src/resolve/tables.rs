//! Tables: defined by SQL migrations/schema files, ORM models and Prisma
//! schemas; read and written by SQL strings and ORM calls in code.
//!
//! SQL is parsed with `sqlparser` (generic dialect, one statement at a time so
//! one unsupported statement does not hide the rest): the target of
//! `INSERT`/`UPDATE`/`DELETE`/DDL is written, every other relation (FROM,
//! JOIN, sub-queries; CTE names excepted) is read. A statement the parser
//! rejects is read by a tolerant keyword scan, with a diagnostic.
//! A table defined inside a service's directory is owned by it (`contains`).

use std::collections::{BTreeMap, HashSet};
use std::ops::ControlFlow;

use sqlparser::ast::{ObjectName, Query, Statement, TableFactor, Visit, Visitor};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};

use super::arch::{ArchOut, Ctx, End};
use super::dir_of;
use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{EdgeKind, Node};
use crate::model::{Access, Flags, Lang, Part};

/// A table mapping: class (model) name → table, where it is defined.
struct Mapping {
    class: Option<String>,
    table: String,
    store: String,
    file: String,
    line: u32,
    owner: Option<String>,
    /// Mapped by Peewee or Beanie: `Model.select()`/`Model.find()`-shaped calls count only for these.
    peewee: bool,
}

pub fn resolve(ctx: &Ctx, out: &mut ArchOut) {
    let mut maps: Vec<Mapping> = Vec::new();
    for m in ctx.project.manifests.iter() {
        if m.ends_with(".sql") {
            sql_file(ctx, m, &mut maps, out);
        } else if m.ends_with(".prisma") {
            prisma_file(ctx, m, &mut maps);
        }
    }
    let installed = Installed::read(ctx);
    // Tables some Alembic migration's `upgrade()` drops: no migration reports them.
    let dropped: HashSet<&str> = ctx
        .project
        .files
        .iter()
        .flat_map(|f| f.facts.arch.tables.iter())
        .filter(|t| t.orm == crate::lang::py_alembic::DROPPED)
        .filter_map(|t| t.name.as_deref())
        .collect();
    let unregistered = typeorm_unregistered(ctx);
    for (i, f) in ctx.project.files.iter().enumerate() {
        let rel = ctx.project.rel(i);
        // A model a test declares (`class TestModel(Base): __tablename__ = "test_models"` in
        // `tests/`) is the test's own fixture, no table of the service.
        if ctx.is_test(i) {
            continue;
        }
        // A Rust file no `mod` declaration compiles (`#[table_name = "usuario"]` in a
        // `users.rs` its crate's `lib.rs` never declares): dead code, no table (its module
        // has the info diagnostic saying it is reached by no `mod`).
        if ctx.rust_unreached.contains(&i) {
            continue;
        }
        for (k, t) in f.facts.arch.tables.iter().enumerate() {
            if t.orm == "django-abstract"
                || t.orm == "nest-schema"
                || t.orm == crate::lang::py_alembic::DROPPED
                || t.orm.starts_with("sa-")
            {
                continue;
            }
            if t.orm == "alembic" && t.name.as_deref().is_some_and(|n| dropped.contains(n)) {
                continue;
            }
            if t.orm == "typeorm" && t.class_name.as_deref().is_some_and(|c| unregistered.contains(&(i, c))) {
                continue;
            }
            // A join table goes with its model, which says so.
            let class = t.class_name.as_deref().filter(|_| t.orm == "django");
            if t.orm.starts_with("django") && !installed.has(rel, class, t.line, out) {
                continue;
            }
            let table = match (&t.name, &t.class_name) {
                // TypeORM's default join table: `<owner table>_<property>_<target table>`.
                (Some(n), Some(c)) if t.orm == crate::lang::ts_typeorm::JOIN => match class_table(ctx, i, c, "typeorm")
                {
                    Some(target) => crate::lang::ts_typeorm::typeorm_snake(&format!("{n}_{target}")),
                    None => continue,
                },
                (Some(n), _) if t.orm == "sequelize" => {
                    sequelize_name(ctx, &out.module_service, i, k).unwrap_or(n.clone())
                }
                (Some(n), _) => n.clone(),
                (None, Some(c)) if t.orm == "django" || t.orm == "django-m2m" => {
                    format!("{}_{}", django_app(rel), c.to_lowercase())
                }
                (None, Some(c)) if t.orm == "mongoose" => {
                    schema_collection(ctx, i, c).unwrap_or_else(|| crate::lang::ts_arch::pluralize(&c.to_lowercase()))
                }
                (None, Some(c)) => c.clone(),
                (None, None) => continue,
            };
            let store = match t.orm.as_str() {
                "mongoose" | "beanie" => "mongodb",
                "redis-om" => "redis",
                _ => "sql",
            };
            let owner = out.module_service[i].clone();
            maps.push(Mapping {
                // A join table's class is its target's, which maps to the target's own table.
                class: t.class_name.clone().filter(|_| t.orm != crate::lang::ts_typeorm::JOIN),
                table,
                store: store.into(),
                file: rel.into(),
                line: t.line,
                owner,
                peewee: matches!(t.orm.as_str(), "beanie" | "peewee" | "redis-om" | "tortoise"),
            });
        }
    }
    django_subclasses(ctx, &installed, out, &mut maps);
    named_by_rule(ctx, out, &mut maps);
    let dynamo = dynamo_tables(ctx, out);
    for (i, d, table) in dynamo.iter().filter(|(_, d, _)| d.defines) {
        let (file, owner) = (ctx.project.rel(*i).to_string(), out.module_service[*i].clone());
        let (table, store, line) = (table.clone(), "dynamodb".to_string(), d.line);
        maps.push(Mapping { class: None, table, store, file, line, owner, peewee: false });
    }
    // A redis-om model is a use of the one `redis` datastore, made where its class is
    // used, not a table its service defines.
    for m in maps.iter().filter(|m| m.store != "redis") {
        let id = out.node(Node::Table {
            name: m.table.clone(),
            store: m.store.clone(),
            file: Some(m.file.clone()),
            line: Some(m.line),
        });
        if let Some(s) = &m.owner {
            out.edge(End::Id(s.clone()), End::Id(id), EdgeKind::Contains, &m.file, m.line, Flags::default());
        }
    }
    let mut uses: Vec<Use> = Vec::new();
    let rust_helpers = rust_collection_helpers(ctx);
    for (i, f) in ctx.project.files.iter().enumerate() {
        // Nor uses: no target compiles the file.
        if ctx.rust_unreached.contains(&i) {
            continue;
        }
        let rel = ctx.project.rel(i);
        let test = if ctx.is_test(i) { Flags::TEST } else { Flags::default() };
        let arch = &f.facts.arch;
        let mut link = |line: u32, access: Access, table: &str, store: &str| {
            // A use in a Rust `#[cfg(test)] mod tests` is the test's, as in a test file.
            let flags = if arch.test_line(line) { Flags::TEST } else { test };
            uses.push(Use { file: i, line, flags, access, table: table.to_string(), store: store.to_string() });
        };
        for s in &f.facts.arch.sql {
            let (uses, parsed) = analyze(&sql_names(ctx, i, &s.text));
            if !parsed {
                out.diagnostics.push(Diagnostic::new(
                    rel,
                    Some(s.line),
                    Severity::Info,
                    "SQL that sqlparser cannot parse: tables read by a keyword scan",
                ));
            }
            for (access, table) in uses {
                link(s.line, access, &table, "sql");
            }
        }
        for u in &f.facts.arch.table_uses {
            let table = if u.via_class {
                let owner = &out.module_service[i];
                let found: Vec<&Mapping> = maps
                    .iter()
                    .filter(|m| m.class.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(&u.name)))
                    .filter(|m| m.peewee || u.store != "peewee")
                    // A redis-om model has only its class calls (`Product.get(pk)`).
                    .filter(|m| m.store != "redis" || u.store == "peewee")
                    .collect();
                let pick = match found.as_slice() {
                    [one] => Some(*one),
                    many => many.iter().find(|m| &m.owner == owner).copied(),
                };
                match pick {
                    Some(m) if m.store == "redis" => (m.table.clone(), "redis"),
                    Some(m) => (m.table.clone(), "sql"),
                    None => continue,
                }
            } else {
                (u.name.clone(), u.store.as_str())
            };
            let (table, store) = table;
            link(u.line, u.access, &table, store);
        }
        for (_, d, table) in dynamo.iter().filter(|(file, d, _)| *file == i && !d.defines) {
            link(d.line, d.access, table, "dynamodb");
        }
        // `MongoHelper.getCollection("orders")` of an imported helper handing its
        // parameter to `collection(…)`: the collection `orders`.
        for (callee, k, name, line) in &f.facts.arch.collection_helper_calls {
            let param = match f.file.lang {
                Lang::Rust => rust_helpers.get(callee.rsplit("::").next().unwrap_or(callee)).copied().flatten(),
                _ => helper_param(ctx, i, callee),
            };
            if param == Some(*k) {
                link(*line, Access::Read, name, "mongodb");
            }
        }
        for (getter, u) in &f.facts.arch.getter_table_uses {
            if mongo_getter(ctx, i, getter) {
                link(u.line, u.access, &u.name, &u.store);
            }
        }
    }
    link_uses(ctx, out, &maps, &uses);
}

/// The DynamoDB tables the project's AWS SDK calls name (`lang/ts_dynamo.rs`), by file:
/// a name resolved to text (constants, environment variables and their defaults); one
/// known only at run time is an info diagnostic, outside test code.
fn dynamo_tables<'c>(ctx: &Ctx<'c>, out: &mut ArchOut) -> Vec<(usize, &'c crate::model::RawDynamo, String)> {
    let (mut found, project) = (Vec::new(), ctx.project);
    for (i, f) in project.files.iter().enumerate() {
        for d in &f.facts.arch.dynamo {
            let message = match ctx.resolve_template(i, &d.table) {
                Ok(t) if !t.is_empty() && t.iter().all(|p| matches!(p, Part::Lit(_))) => {
                    found.push((i, d, super::arch::render(&t)));
                    continue;
                }
                Ok(t) => format!("DynamoDB table name `{}` is known only at run time: not linked", super::arch::render(&t)),
                Err(var) => format!(
                    "DynamoDB table name from environment variable `{var}`, which no compose, Kubernetes or .env file sets: not linked"
                ),
            };
            if !ctx.is_test(i) {
                out.diagnostics.push(Diagnostic::new(ctx.project.rel(i), Some(d.line), Severity::Info, message));
            }
        }
    }
    found
}

/// A read or write of a table, a collection or a datastore, before it is linked.
struct Use {
    file: usize,
    line: u32,
    flags: Flags,
    access: Access,
    table: String,
    store: String,
}

/// Links each use, except those of a store that only test code touches and no model,
/// schema or migration defines (a scratch table a test creates, a Redis the tests talk to
/// while the code only builds clients): such a node would be the tests' scaffolding shown
/// as the service's datastore. A test's request keeps its edge because its target, an
/// endpoint or a service, is there for its own sake; this one would exist for the test
/// alone. A defined table keeps its test edges, flagged `test`.
fn link_uses(ctx: &Ctx, out: &mut ArchOut, maps: &[Mapping], uses: &[Use]) {
    let mut live: std::collections::HashSet<(&str, &str)> =
        maps.iter().map(|m| (m.table.as_str(), m.store.as_str())).collect();
    live.extend(uses.iter().filter(|u| !u.flags.contains(Flags::TEST)).map(|u| (u.table.as_str(), u.store.as_str())));
    for u in uses.iter().filter(|u| live.contains(&(u.table.as_str(), u.store.as_str()))) {
        link(out, u.file, ctx.project.rel(u.file), u.line, u.flags, u.access, &u.table, &u.store);
    }
}

/// The collection a NestJS schema class names (`@Schema({ collection: 'ads' }) class
/// VehicleAd`) for a model `MongooseModule.forFeature([{ name: VehicleAd.name, … }])`
/// registers in `file` without a `collection` of its own: the class of the file, or the one
/// it imports, else the project's only schema class of that name.
fn schema_collection(ctx: &Ctx, file: usize, class: &str) -> Option<String> {
    class_table(ctx, file, class, "nest-schema")
}

/// The table an `orm` class `class` maps to, seen from `file`: the class of the file, or
/// the one it imports, else the project's only class of that name.
fn class_table(ctx: &Ctx, file: usize, class: &str, orm: &str) -> Option<String> {
    let files = ctx.project.files;
    let named = |m: usize, c: &str| {
        let t = files[m].facts.arch.tables.iter().find(|t| t.orm == orm && t.class_name.as_deref() == Some(c));
        t.and_then(|t| t.name.clone())
    };
    if let Some(n) = named(file, class) {
        return Some(n);
    }
    if let Some(n) = ctx.imported(file, class).into_iter().find_map(|(m, remote)| named(m, &remote)) {
        return Some(n);
    }
    let mut all = (0..files.len()).filter_map(|m| named(m, class));
    let first = all.next()?;
    all.next().is_none().then_some(first)
}

/// The table of Sequelize model `k` of `file` when it takes Sequelize's default name
/// (`lang::ts_arch`, `sequelize_default`) and its service's `new Sequelize(…, { define })`
/// options change that default for every model (Sequelize merges them into each model's):
/// `freezeTableName` keeps the model's name, `underscored` snake-cases the plural. None:
/// the name the model's file gave.
fn sequelize_name(ctx: &Ctx, owners: &[Option<String>], file: usize, k: usize) -> Option<String> {
    let facts = &ctx.project.files[file].facts.arch;
    let (_, model) = facts.sequelize_models.iter().find(|(t, _)| *t == k)?;
    let set = |option: &str| {
        ctx.project.files.iter().enumerate().any(|(j, g)| {
            owners[j] == owners[file]
                && g.file.lang.is_ecmascript()
                && g.facts.arch.sequelize_define.iter().any(|o| o == option)
        })
    };
    if set("freezeTableName") {
        Some(model.clone())
    } else if set("underscored") {
        Some(crate::lang::py_arch::snake_case(&crate::lang::ts_arch::sequelize_plural(model)))
    } else {
        None
    }
}

/// The parameter of a JS/TS collection helper (`ArchFacts::collection_helpers`) that
/// names the collection, when `callee` as written in `file` is one: a helper its module
/// imports by name (`import { MongoHelper } from './mongo-helper'`, then
/// `MongoHelper.getCollection("orders")`), or one of its own.
fn helper_param(ctx: &Ctx, file: usize, callee: &str) -> Option<usize> {
    let index = |m: usize, name: &str| {
        ctx.project.files[m].facts.arch.collection_helpers.iter().find(|(h, _)| h == name).map(|(_, i)| *i)
    };
    let (head, rest) = match callee.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (callee, None),
    };
    index(file, callee).or_else(|| {
        ctx.imported(file, head).into_iter().find_map(|(m, remote)| {
            let name = match rest {
                Some(r) => format!("{remote}.{r}"),
                None => remote,
            };
            index(m, &name)
        })
    })
}

/// The Rust collection helpers (`lang::rs_arch`, free functions handing a parameter to
/// `collection(…)`) by name, with that parameter's index: `None` when several files
/// define one of that name. Rust paths are not followed through `use`, so a call
/// (`get_collection::<T>(…)`, `util::get_collection(…)`) names the one function of its
/// last name among the project's Rust files, wherever its crate is (a workspace's
/// shared library crate).
fn rust_collection_helpers<'c>(ctx: &Ctx<'c>) -> BTreeMap<&'c str, Option<usize>> {
    let mut out: BTreeMap<&str, Option<usize>> = BTreeMap::new();
    for f in ctx.project.files.iter().filter(|f| f.file.lang == Lang::Rust) {
        for (name, k) in &f.facts.arch.collection_helpers {
            out.entry(name.as_str()).and_modify(|v| *v = None).or_insert(Some(*k));
        }
    }
    out
}

/// Whether `name`, as written in `file`, is a function returning a MongoDB database
/// (`crate::lang::py_mongo`): defined in the file or imported by name from the module
/// defining it (`from app.database import get_database`).
fn mongo_getter(ctx: &Ctx, file: usize, name: &str) -> bool {
    let defines = |m: usize, g: &str| ctx.project.files[m].facts.arch.mongo_getters.iter().any(|x| x == g);
    defines(file, name) || ctx.imported(file, name).iter().any(|(m, remote)| defines(*m, remote))
}

/// SQL text with each interpolated name ([`crate::lang::arch::SQL_NAME`]) replaced by
/// the constant it names when that is a plain table name, else by `?`.
fn sql_names(ctx: &Ctx, file: usize, text: &str) -> String {
    use crate::lang::arch::SQL_NAME;
    if !text.contains(SQL_NAME) {
        return text.to_string();
    }
    let mut out = String::new();
    for (n, piece) in text.split(SQL_NAME).enumerate() {
        if n % 2 == 0 {
            out.push_str(piece);
            continue;
        }
        let value = ctx.resolve_template(file, &vec![crate::model::Part::Ref(piece.to_string())]).ok().and_then(|t| {
            let lits: Option<String> =
                t.iter().map(|p| if let crate::model::Part::Lit(s) = p { Some(s.as_str()) } else { None }).collect();
            lits.filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        });
        out.push_str(value.as_deref().unwrap_or("?"));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn link(out: &mut ArchOut, file: usize, rel: &str, line: u32, flags: Flags, access: Access, table: &str, store: &str) {
    let id = out.node(Node::Table { name: table.to_string(), store: store.to_string(), file: None, line: None });
    let kind = if access == Access::Write { EdgeKind::Writes } else { EdgeKind::Reads };
    out.edge(End::Module(file), End::Id(id), kind, rel, line, flags);
}

/// Django's own model classes a project model may extend without `models.Model`
/// in sight (sorted).
const DJANGO_MODEL_BASES: &[&str] = &["AbstractBaseUser", "AbstractUser", "Model"];

/// Django's own bases whose many-to-many fields give each subclass a join table (sorted).
const DJANGO_BASE_M2M: &[(&str, &[&str])] =
    &[("AbstractUser", &["groups", "user_permissions"]), ("PermissionsMixin", &["groups", "user_permissions"])];

/// Django models that extend a model of the project rather than `models.Model`
/// (`class Article(TimestampedModel)`, across files): each non-abstract class whose
/// bases reach a Django model is one, named by its `Meta.db_table` or `<app>_<model>`.
/// SQLAlchemy models whose table a base class's `__tablename__` method derives from the
/// class name (`crate::lang::py_tablename`): each class extending a rule's class (as its
/// imports show, through re-exporting packages too), directly or through abstract classes
/// under it, gets the rule's name; a class name a snake-case helper may split more than
/// one way is a diagnostic.
fn named_by_rule(ctx: &Ctx, out: &mut ArchOut, maps: &mut Vec<Mapping>) {
    use crate::lang::py_tablename::{table_name, ABSTRACT, RULE, SUBCLASS};
    let all =
        || ctx.project.files.iter().enumerate().flat_map(|(i, f)| f.facts.arch.tables.iter().map(move |t| (i, t)));
    // (file, class, rule)
    let mut known: Vec<(usize, &str, &str)> = all()
        .filter(|(_, t)| t.orm == RULE)
        .filter_map(|(i, t)| Some((i, t.class_name.as_deref()?, t.name.as_deref()?)))
        .collect();
    if known.is_empty() {
        return;
    }
    let subs: Vec<(usize, &crate::model::RawTable)> =
        all().filter(|(_, t)| t.orm == SUBCLASS || t.orm == ABSTRACT).collect();
    let mut done = vec![false; subs.len()];
    let mut changed = true;
    while changed {
        changed = false;
        for (k, (j, t)) in subs.iter().enumerate() {
            let (Some(class), Some(bases)) = (t.class_name.as_deref(), t.name.as_deref()) else { continue };
            if done[k] {
                continue;
            }
            let rules: Vec<&str> = bases
                .split(',')
                .filter_map(|b| known.iter().find(|(f, c, _)| names_class(ctx, *j, b, *f, c, 0)).map(|(_, _, r)| *r))
                .collect();
            let Some(&rule) = rules.first() else { continue };
            done[k] = true;
            changed = true;
            if rules.iter().any(|r| *r != rule) {
                continue;
            }
            if t.orm == ABSTRACT {
                known.push((*j, class, rule));
                continue;
            }
            let rel = ctx.project.rel(*j);
            let Some(table) = table_name(rule, class) else {
                out.diagnostics.push(Diagnostic::new(
                    rel,
                    Some(t.line),
                    Severity::Info,
                    format!("table name of `{class}` depends on how a snake-case helper splits it: not reported"),
                ));
                continue;
            };
            maps.push(Mapping {
                class: Some(class.to_string()),
                table,
                store: "sql".into(),
                file: rel.into(),
                line: t.line,
                owner: out.module_service[*j].clone(),
                peewee: false,
            });
        }
    }
}

/// Whether the base `base` written in `file` is class `class` of module `home`: the file's
/// own class, or a name it imports from `home`, or from a module re-exporting it.
fn names_class(ctx: &Ctx, file: usize, base: &str, home: usize, class: &str, depth: u32) -> bool {
    if depth == 0 && file == home {
        return base == class;
    }
    if depth > 3 {
        return false;
    }
    if let Some((head, rest)) = base.split_once('.') {
        return rest == class && ctx.module_object(file, head).contains(&home);
    }
    ctx.imported(file, base)
        .into_iter()
        .any(|(m, remote)| (m == home && remote == class) || names_class(ctx, m, &remote, home, class, depth + 1))
}

fn django_subclasses(ctx: &Ctx, installed: &Installed, out: &mut ArchOut, maps: &mut Vec<Mapping>) {
    let mut models: std::collections::BTreeSet<&str> = DJANGO_MODEL_BASES.iter().copied().collect();
    models.extend(
        ctx.project
            .files
            .iter()
            .flat_map(|f| f.facts.arch.tables.iter())
            .filter(|t| t.orm.starts_with("django"))
            .filter_map(|t| t.class_name.as_deref()),
    );
    let candidates: Vec<(usize, &crate::model::RawClass)> = ctx
        .project
        .files
        .iter()
        .enumerate()
        .flat_map(|(i, f)| f.facts.arch.classes.iter().map(move |c| (i, c)))
        .filter(|(_, c)| c.handlers.is_empty() && c.actions.is_empty())
        .collect();
    let mut done = vec![false; candidates.len()];
    // Until nothing changes: a subclass of a subclass is found on a later round.
    let mut changed = true;
    while changed {
        changed = false;
        for (k, (i, c)) in candidates.iter().enumerate() {
            if done[k] || !c.bases.iter().any(|b| models.contains(b.rsplit('.').next().unwrap_or(b))) {
                continue;
            }
            done[k] = true;
            changed = true;
            models.insert(&c.class);
            let rel = ctx.project.rel(*i);
            if c.abstract_model || !installed.has(rel, Some(&c.class), c.line, out) {
                continue;
            }
            let app = django_app(rel);
            let inherited = c.bases.iter().filter_map(|b| {
                let last = b.rsplit('.').next().unwrap_or(b);
                DJANGO_BASE_M2M.binary_search_by(|(n, _)| (*n).cmp(last)).ok().map(|i| DJANGO_BASE_M2M[i].1)
            });
            let mut m2m: Vec<&str> = inherited.flatten().copied().collect();
            m2m.extend(c.m2m.iter().map(String::as_str));
            m2m.sort_unstable();
            m2m.dedup();
            // Django names a join table `<model's table>_<field>`.
            let table = c.table.clone().unwrap_or_else(|| format!("{app}_{}", c.class.to_lowercase()));
            for field in m2m {
                maps.push(Mapping {
                    class: None,
                    table: format!("{table}_{field}"),
                    store: "sql".into(),
                    file: rel.into(),
                    line: c.line,
                    owner: out.module_service[*i].clone(),
                    peewee: false,
                });
            }
            maps.push(Mapping {
                class: Some(c.class.clone()),
                table,
                store: "sql".into(),
                file: rel.into(),
                line: c.line,
                owner: out.module_service[*i].clone(),
                peewee: false,
            });
        }
    }
}

/// The labels of the Django apps the project's settings install, when they can be
/// read: every `INSTALLED_APPS` entry of its settings modules, literal, and at least
/// one naming an app of the project's models (settings that name none of them are
/// not the settings of these models: everything is kept, as when none are found).
struct Installed(Option<std::collections::BTreeSet<String>>);

impl Installed {
    fn read(ctx: &Ctx) -> Self {
        let files = &ctx.project.files;
        let entries: Vec<&String> = files.iter().flat_map(|f| f.facts.arch.installed_apps.iter()).collect();
        if entries.is_empty() || entries.iter().any(|e| *e == "*") {
            return Installed(None);
        }
        let labels: std::collections::BTreeSet<String> = entries.into_iter().map(|e| app_label(e)).collect();
        let mut model_apps = files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.facts.arch.tables.iter().any(|t| t.orm.starts_with("django")))
            .map(|(i, _)| django_app(ctx.project.rel(i)));
        Installed(model_apps.any(|a| labels.contains(&a)).then_some(labels))
    }

    /// Whether the app of the model in `rel` is installed; a model of an app no
    /// `INSTALLED_APPS` lists is no table (Django creates none): said, not dropped silently.
    fn has(&self, rel: &str, class: Option<&str>, line: u32, out: &mut ArchOut) -> bool {
        let Some(labels) = &self.0 else { return true };
        let app = django_app(rel);
        if labels.contains(&app) {
            return true;
        }
        let Some(class) = class else { return false };
        out.diagnostics.push(Diagnostic::new(
            rel,
            Some(line),
            Severity::Info,
            format!("Django model `{class}` of app `{app}`, which no INSTALLED_APPS lists: not a table"),
        ));
        false
    }
}

/// The label of an `INSTALLED_APPS` entry: its module's last name (`shop`,
/// `myproj.shop` and `shop.apps.ShopConfig` are all `shop`).
fn app_label(entry: &str) -> String {
    let mut parts: Vec<&str> = entry.split('.').collect();
    if parts.len() > 1 && parts.last().is_some_and(|l| l.starts_with(|c: char| c.is_ascii_uppercase())) {
        parts.pop();
        if parts.len() > 1 && parts.last() == Some(&"apps") {
            parts.pop();
        }
    }
    parts.last().copied().unwrap_or(entry).to_string()
}

/// Django's default table name uses the app label: the directory of `models.py`
/// (or of the `models/` package).
fn django_app(rel: &str) -> String {
    let dir = dir_of(rel);
    let dir = if dir.ends_with("/models") || dir == "models" { dir_of(dir) } else { dir };
    dir.rsplit('/').next().unwrap_or(dir).to_string()
}

/// SQL files larger than this (data dumps, not schemas) are not parsed.
const MAX_SQL_FILE: usize = 4 * 1024 * 1024;

fn sql_file(ctx: &Ctx, rel: &str, maps: &mut Vec<Mapping>, out: &mut ArchOut) {
    let Ok(text) = ctx.project.read(rel) else { return };
    if text.len() > MAX_SQL_FILE {
        let msg =
            format!("SQL file of {} bytes (over {MAX_SQL_FILE}): taken for data, not read for tables", text.len());
        out.diagnostics.push(Diagnostic::new(rel, None, Severity::Info, msg));
        return;
    }
    let owner =
        super::services::owner_of(&ctx.services.list, rel).map(|s| format!("service:{}", ctx.services.list[s].name));
    let mut unparsed = 0;
    let mut root = migrations_root(rel);
    for (stmt, line) in statements(&text) {
        let (_, parsed) = analyze(stmt);
        unparsed += u32::from(!parsed);
        // Goose's `-- +goose Down`, sql-migrate's `-- +migrate Down`, dbmate's `-- migrate:down`:
        // what follows undoes the file's migration.
        if root.is_some() && stmt.lines().any(down_marker) {
            root = None;
        }
        // A migration that drops or renames a table an earlier migration (by path
        // order, the order they run in) of the same directory created: the final
        // schema has no such table (or has it under its new name).
        if let Some((root, (gone, renamed))) = root.zip(root.and_then(|_| schema_change(stmt))) {
            maps.retain(|m| !(m.file.starts_with(root) && m.file.ends_with(".sql") && gone.contains(&m.table)));
            if let Some(table) = renamed {
                let (file, owner) = (rel.into(), owner.clone());
                maps.push(Mapping { class: None, table, store: "sql".into(), file, line, owner, peewee: false });
            }
            continue;
        }
        if let Some(table) = ddl_table(stmt) {
            if !maps.iter().any(|m| m.table == table && m.file == rel) {
                maps.push(Mapping {
                    class: None,
                    table,
                    store: "sql".into(),
                    file: rel.into(),
                    line,
                    owner: owner.clone(),
                    peewee: false,
                });
            }
        }
    }
    if unparsed > 0 {
        out.diagnostics.push(Diagnostic::new(
            rel,
            None,
            Severity::Info,
            format!("{unparsed} SQL statement(s) sqlparser cannot parse: tables read by a keyword scan"),
        ));
    }
}

/// The migrations directory a SQL file runs from (`auth/prisma/migrations/`: the last
/// directory of its path whose name says `migration`), unless the file undoes one
/// (`…/down.sql`, `0002_x.rollback.sql`), which runs only to go back.
fn migrations_root(rel: &str) -> Option<&str> {
    let dir = dir_of(rel);
    let mut at = dir.match_indices('/').map(|(i, _)| i).chain([dir.len()]).filter(|&end| {
        let start = dir[..end].rfind('/').map_or(0, |i| i + 1);
        dir[start..end].to_ascii_lowercase().contains("migration")
    });
    let root = &rel[..at.next_back()? + 1];
    let tail = rel[root.len()..].to_ascii_lowercase();
    (!["down", "rollback", "undo", "revert"].iter().any(|w| tail.contains(w))).then_some(root)
}

/// A comment that opens the part of a migration file that undoes it.
fn down_marker(line: &str) -> bool {
    let Some(comment) = line.trim_start().strip_prefix("--") else { return false };
    let l = comment.to_ascii_lowercase();
    l.contains("down") && (l.contains("goose") || l.contains("migrate"))
}

/// `DROP TABLE a, b` (the tables it removes) and `ALTER TABLE a RENAME TO b`,
/// `RENAME TABLE a TO b` (the table removed and its new name), read with sqlparser.
/// Only statements that start with `DROP`, or `ALTER`/`RENAME` and say `rename`, are parsed.
fn schema_change(stmt: &str) -> Option<(Vec<String>, Option<String>)> {
    use sqlparser::ast::{AlterTableOperation as Op, ObjectType, RenameTableNameKind as To};
    let word = first_word(stmt)?.to_ascii_lowercase();
    let rename = matches!(word.as_str(), "alter" | "rename") && stmt.to_ascii_lowercase().contains("rename");
    if word != "drop" && !rename {
        return None;
    }
    match parse_bounded(stmt)?.first()? {
        Statement::Drop { object_type: ObjectType::Table, names, .. } => {
            Some((names.iter().filter_map(relation_name).collect(), None))
        }
        Statement::AlterTable(a) => a.operations.iter().find_map(|op| match op {
            Op::RenameTable { table_name: To::To(to) | To::As(to) } => {
                Some((vec![relation_name(&a.name)?], Some(relation_name(to)?)))
            }
            _ => None,
        }),
        Statement::RenameTable(r) => {
            let r = r.first()?;
            Some((vec![relation_name(&r.old_name)?], Some(relation_name(&r.new_name)?)))
        }
        _ => None,
    }
}

/// The first word of a statement, after `--` and `/* … */` comments (Prisma opens a
/// migration that drops a table with a `/* Warnings: … */` block).
fn first_word(stmt: &str) -> Option<&str> {
    let mut rest = stmt.trim_start();
    loop {
        if let Some(r) = rest.strip_prefix("--") {
            rest = r.split_once('\n')?.1.trim_start();
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/")?.1.trim_start();
        } else {
            return rest.split_whitespace().next();
        }
    }
}

/// A table's name as written: its last part, a quoted one in its case, others in lower case.
fn relation_name(relation: &ObjectName) -> Option<String> {
    let part = relation.0.last()?.as_ident()?;
    Some(if part.quote_style.is_some() { part.value.clone() } else { part.value.to_lowercase() })
}

/// The table a `CREATE TABLE`/`ALTER TABLE` statement defines (comments skipped;
/// `IF NOT EXISTS`, `ONLY`, `UNLOGGED`/`TEMPORARY` and a schema allowed).
fn ddl_table(stmt: &str) -> Option<String> {
    let code: String = stmt.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join(" ");
    let words: Vec<&str> =
        code.split(|c: char| c.is_whitespace() || c == '(').filter(|w| !w.is_empty()).take(8).collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
    if !matches!(lower.first().map(String::as_str), Some("create" | "alter")) {
        return None;
    }
    let at = lower.iter().take(4).position(|w| w == "table")?;
    let i = (at + 1..words.len()).find(|&i| !matches!(lower[i].as_str(), "if" | "not" | "exists" | "only"))?;
    let name = words[i].trim_end_matches(';');
    let name = name.rsplit('.').next().unwrap_or(name);
    // A quoted identifier keeps its case (Postgres, Prisma's "Article"); others fold to lower case.
    let quoted = name.starts_with(['"', '`']);
    let name = name.trim_matches(|c| c == '"' || c == '`');
    let name = if quoted { name.to_string() } else { name.to_ascii_lowercase() };
    (!name.is_empty()).then_some(name)
}

/// Statements of a SQL file split at `;` (outside quotes and comments), with the line each starts on.
fn statements(text: &str) -> Vec<(&str, u32)> {
    let mut out = Vec::new();
    let (mut start, mut line, mut start_line) = (0, 1u32, 1u32);
    let mut quote: Option<u8> = None;
    let mut comment = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut seen_code = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line += 1;
            comment = false;
        } else if comment {
        } else if let Some(q) = quote {
            if b == q {
                quote = None;
            }
        } else if b == b'-' && bytes.get(i + 1) == Some(&b'-') {
            comment = true;
        } else if b == b'\'' || b == b'"' {
            quote = Some(b);
        } else if b == b';' {
            out.push((&text[start..i], start_line));
            start = i + 1;
            seen_code = false;
        } else if !b.is_ascii_whitespace() && !seen_code {
            seen_code = true;
            start_line = line;
        }
        i += 1;
    }
    if text[start..].trim().lines().any(|l| !l.trim().is_empty() && !l.trim().starts_with("--")) {
        out.push((&text[start..], start_line));
    }
    out
}

#[derive(Default)]
struct Relations {
    names: Vec<String>,
    ctes: Vec<String>,
    /// The relation visited next is a table function's name (`FROM generate_series(1, 10)`).
    function: bool,
}

impl Visitor for Relations {
    type Break = ();
    /// A table-valued function in a FROM (`generate_series(…)`, `json_each(…)`: a name
    /// with arguments; `UNNEST(…)` and `LATERAL f(…)` are factors of their own) yields
    /// rows but is no table. sqlparser visits its name as a relation right after this.
    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        self.function = matches!(factor, TableFactor::Table { args: Some(_), .. });
        ControlFlow::Continue(())
    }
    fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<()> {
        if std::mem::take(&mut self.function) {
            return ControlFlow::Continue(());
        }
        let schema = relation.0.iter().rev().nth(1).and_then(|p| p.as_ident()).map(|p| p.value.to_lowercase());
        if schema.is_some_and(|s| SYSTEM_SCHEMAS.binary_search(&s.as_str()).is_ok()) {
            return ControlFlow::Continue(());
        }
        if let Some(name) = relation_name(relation).filter(|n| !is_system_table(n)) {
            self.names.push(name);
        }
        ControlFlow::Continue(())
    }
    fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<()> {
        if let Some(w) = &q.with {
            self.ctes.extend(w.cte_tables.iter().map(|c| c.alias.name.value.to_lowercase()));
        }
        ControlFlow::Continue(())
    }
}

/// Tables a SQL text reads and writes, and whether sqlparser could parse it.
pub fn analyze(sql: &str) -> (Vec<(Access, String)>, bool) {
    // DB-API placeholders (`%s`, `%(name)s`) are not SQL: make them `?`.
    let sql = &placeholders(sql);
    let Some(stmts) = parse_bounded(sql) else {
        return (scan(sql), false);
    };
    let mut out = Vec::new();
    for st in &stmts {
        let mut v = Relations::default();
        let _ = st.visit(&mut v);
        let writes = matches!(
            st,
            Statement::Insert(_)
                | Statement::Update(_)
                | Statement::Delete(_)
                | Statement::CreateTable(_)
                | Statement::AlterTable(_)
                | Statement::Drop { .. }
                | Statement::Truncate(_)
                | Statement::Merge(_)
        );
        for (k, name) in v.names.into_iter().enumerate() {
            // A CTE is no table; a placeholder (`FROM %s` → `FROM ?`) names one only at run time.
            if v.ctes.contains(&name) || is_placeholder(&name) {
                continue;
            }
            let access = if writes && k == 0 { Access::Write } else { Access::Read };
            out.push((access, name));
        }
    }
    out.sort();
    out.dedup();
    (out, true)
}

/// Most operators (set operations included) a SQL text may have for
/// sqlparser to read it; longer ones are read by the keyword scan.
///
/// sqlparser bounds its recursion (50 levels of nesting), but it parses an
/// operator chain (`1 + 1 + …`, `a OR b OR …`, `SELECT … UNION SELECT …`) in
/// a loop into a left-deep tree, one level per operator, which the tree's
/// recursive `Drop` then walks: 200,000 `+ 1` overflowed the 8 MiB main
/// thread the resolvers run on (and took 700 MB). Statements in code and
/// migrations have tens of operators; 1,000 levels are far from any stack limit.
pub const MAX_SQL_OPERATORS: usize = 1_000;

/// sqlparser's statements, or `None` when the text does not tokenize or
/// parse, or has more than [`MAX_SQL_OPERATORS`] operators.
fn parse_bounded(sql: &str) -> Option<Vec<Statement>> {
    let dialect = GenericDialect {};
    let tokens = Tokenizer::new(&dialect, sql).tokenize_with_location().ok()?;
    if tokens.iter().filter(|t| chains(&t.token)).count() > MAX_SQL_OPERATORS {
        return None;
    }
    Parser::new(&dialect).with_tokens_with_locations(tokens).parse_statements().ok()
}

/// Whether a token can add a level to a left-deep chain: every operator and
/// the keywords of binary and set operations. Counting too many only sends a
/// statement to the keyword scan sooner.
fn chains(token: &Token) -> bool {
    use sqlparser::keywords::Keyword as K;
    match token {
        Token::Word(w) => matches!(
            w.keyword,
            K::AND
                | K::OR
                | K::XOR
                | K::NOT
                | K::IS
                | K::IN
                | K::LIKE
                | K::ILIKE
                | K::SIMILAR
                | K::REGEXP
                | K::RLIKE
                | K::BETWEEN
                | K::COLLATE
                | K::AT
                | K::DIV
                | K::OPERATOR
                | K::OVERLAPS
                | K::UNION
                | K::EXCEPT
                | K::INTERSECT
                | K::MINUS
        ),
        Token::Whitespace(_)
        | Token::Number(..)
        | Token::Placeholder(_)
        | Token::SingleQuotedString(_)
        | Token::DoubleQuotedString(_)
        | Token::Comma
        | Token::Period
        | Token::LParen
        | Token::RParen
        | Token::SemiColon
        | Token::EOF => false,
        _ => true,
    }
}

fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('s') {
            out.push('?');
            rest = r;
        } else if let Some(end) = after.strip_prefix('(').and_then(|a| a.find(")s")) {
            out.push('?');
            rest = &after[end + 3..];
        } else {
            out.push('%');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Schemas of the database's own catalogs (PostgreSQL, MySQL, SQL Server; sorted):
/// `pg_catalog.pg_database` is no application table.
const SYSTEM_SCHEMAS: &[&str] = &["information_schema", "mysql", "performance_schema", "pg_catalog", "sys"];

/// Catalog tables and views read without their schema (sorted).
const SYSTEM_TABLES: &[&str] = &[
    "pg_class",
    "pg_database",
    "pg_indexes",
    "pg_namespace",
    "pg_roles",
    "pg_stat_activity",
    "pg_tables",
    "pg_user",
    "sqlite_master",
    "sqlite_schema",
    "sqlite_sequence",
];

fn is_system_table(name: &str) -> bool {
    SYSTEM_TABLES.binary_search(&name.to_lowercase().as_str()).is_ok()
}

fn is_placeholder(name: &str) -> bool {
    name.is_empty() || name.starts_with(['?', '$', ':', '@'])
}

/// Words that follow FROM/INTO/UPDATE/TABLE in English prose, never as a table
/// name in the strings the tolerant scan reads ("Delete migrations from the
/// django_migrations table", "Create a Model object from our current state"), sorted.
const PROSE_WORDS: &[&str] = &[
    "a", "all", "an", "and", "any", "each", "every", "her", "his", "it", "its", "my", "one", "our", "that", "the",
    "their", "them", "these", "this", "those", "which", "your",
];

/// SQL keywords that can follow FROM/JOIN/INTO/UPDATE/TABLE where no name is
/// (`FROM (SELECT …)`, `UPDATE SET` of a broken statement), sorted.
const SQL_KEYWORDS: &[&str] = &[
    "as", "by", "default", "distinct", "do", "from", "into", "join", "lateral", "limit", "not", "on", "only", "order",
    "select", "set", "table", "unnest", "using", "values", "where", "with",
];

/// Tolerant scan: the word after FROM/JOIN is read, after INTO/UPDATE/TABLE written.
/// The `UPDATE` of an upsert (`ON CONFLICT … DO UPDATE SET`, MySQL's `ON DUPLICATE
/// KEY UPDATE col = …`) names no table, nor does a table function read in a FROM or
/// JOIN (`FROM generate_series(1, :n)`: a name and `(`; after INTO it is a column list).
fn scan(sql: &str) -> Vec<(Access, String)> {
    let raw: Vec<&str> = sql
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    // Each word is a slice of `sql`: what follows it there.
    let called = |w: &str| {
        let end = (w.as_ptr() as usize - sql.as_ptr() as usize) + w.len();
        sql[end..].trim_start().starts_with('(')
    };
    let words: Vec<String> = raw.iter().map(|w| w.trim_matches(|c| c == '`' || c == '"').to_string()).collect();
    let mut out = BTreeMap::new();
    for (i, w) in words.iter().enumerate() {
        let access = match w.to_ascii_lowercase().as_str() {
            "from" if i > 0 && words[i - 1].eq_ignore_ascii_case("delete") => Access::Write,
            "from" | "join" if words.get(i + 1).is_some() && called(raw[i + 1]) => continue,
            "from" | "join" => Access::Read,
            "update" if i > 0 && ["do", "key"].iter().any(|p| words[i - 1].eq_ignore_ascii_case(p)) => continue,
            "into" | "update" | "table" => Access::Write,
            _ => continue,
        };
        let mut at = i + 1;
        let Some(mut next) = words.get(at).map(String::as_str) else { continue };
        if next.eq_ignore_ascii_case("if") {
            at = i + 4; // IF NOT EXISTS name
            next = words.get(at).map_or("", String::as_str);
        }
        let name = next.rsplit('.').next().unwrap_or(next).to_lowercase();
        let schema = next.rsplit_once('.').map(|(s, _)| s.rsplit('.').next().unwrap_or(s).to_lowercase());
        let system =
            schema.is_some_and(|s| SYSTEM_SCHEMAS.binary_search(&s.as_str()).is_ok()) || is_system_table(&name);
        if !name.is_empty()
            && !system
            && PROSE_WORDS.binary_search(&name.as_str()).is_err()
            // A keyword quoted is a name (`FROM "order"`).
            && (SQL_KEYWORDS.binary_search(&name.as_str()).is_err() || raw.get(at).is_some_and(|w| w.ends_with(['"', '`'])))
            && name.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
        {
            out.entry(name).and_modify(|a: &mut Access| *a = (*a).max(access)).or_insert(access);
        }
    }
    out.into_iter().map(|(n, a)| (a, n)).collect()
}

/// The table of a Prisma `@@map(…)`'s arguments: `"users")`, `name: "users")`, `( "users" )`.
fn map_name(args: &str) -> Option<&str> {
    let args = args.trim_start();
    let args = args.strip_prefix("name").map_or(args, |r| r.trim_start().strip_prefix(':').unwrap_or(r)).trim_start();
    let quoted = args.strip_prefix('"')?;
    quoted.split('"').next().filter(|n| !n.is_empty())
}

/// Prisma `model User { … @@map("users") }`, `@@map(name: "users")`.
fn prisma_file(ctx: &Ctx, rel: &str, maps: &mut Vec<Mapping>) {
    let Ok(text) = ctx.project.read(rel) else { return };
    let owner =
        super::services::owner_of(&ctx.services.list, rel).map(|s| format!("service:{}", ctx.services.list[s].name));
    let store = if text.contains("\"mongodb\"") { "mongodb" } else { "sql" };
    let mut current: Option<(String, u32, Option<String>)> = None;
    for (n, raw) in text.lines().enumerate() {
        let l = raw.trim();
        let line = u32::try_from(n + 1).unwrap_or(u32::MAX);
        if let Some(rest) = l.strip_prefix("model ") {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            current = Some((name, line, None));
        } else if let (Some(m), Some(cur)) = (l.strip_prefix("@@map(").and_then(map_name), current.as_mut()) {
            cur.2 = Some(m.to_string());
        } else if l.starts_with('}') {
            if let Some((class, line, mapped)) = current.take() {
                let table = mapped.unwrap_or_else(|| class.clone());
                maps.push(Mapping {
                    class: Some(class),
                    table,
                    store: store.into(),
                    file: rel.into(),
                    line,
                    owner: owner.clone(),
                    peewee: false,
                });
            }
        }
    }
}

/// TypeORM `@Entity()` classes that their service's data sources do not register: the
/// service lists its entities by class (`entities: [AccountEntity, NotificationEntity]`,
/// `lang/ts_typeorm.rs`, outside test code), every element a class found where the list's
/// module defines or imports it, and none is this class of this module. TypeORM makes tables
/// of registered entities only: an `@Entity()` base class other entities extend, or a copy of
/// an entity in a module nothing registers, is none. A list holding anything else (a glob, a
/// spread, `autoLoadEntities`) or a class not found leaves the service's entities all tables.
/// (file, class).
fn typeorm_unregistered<'a>(ctx: &Ctx<'a>) -> HashSet<(usize, &'a str)> {
    use crate::lang::ts_typeorm::{ANY_ENTITY, ENTITIES};
    let files = &ctx.project.files;
    let typeorm_class = |m: usize, c: &str| {
        files[m].facts.arch.tables.iter().any(|t| t.orm == "typeorm" && t.class_name.as_deref() == Some(c))
    };
    // By owning service: the registered (file, class) pairs, or `None` when some list is open.
    let mut registered: BTreeMap<Option<usize>, Option<HashSet<(usize, String)>>> = BTreeMap::new();
    for (l, f) in files.iter().enumerate().filter(|(l, _)| !ctx.is_test(*l)) {
        for c in f.facts.arch.consts.iter().filter(|c| c.name == ENTITIES) {
            let [crate::model::Part::Lit(names)] = c.value.as_slice() else { continue };
            let entry = registered.entry(ctx.owner(l)).or_insert_with(|| Some(HashSet::new()));
            for name in names.split(',') {
                let Some(set) = entry.as_mut() else { break };
                let mut found: Vec<(usize, String)> = Vec::new();
                if name != ANY_ENTITY {
                    if typeorm_class(l, name) {
                        found.push((l, name.to_string()));
                    }
                    found.extend(ctx.imported(l, name).into_iter().filter(|(m, remote)| typeorm_class(*m, remote)));
                }
                if found.is_empty() {
                    *entry = None;
                } else {
                    set.extend(found);
                }
            }
        }
    }
    let mut out = HashSet::new();
    for (i, f) in files.iter().enumerate() {
        let Some(Some(set)) = registered.get(&ctx.owner(i)) else { continue };
        for t in f.facts.arch.tables.iter().filter(|t| t.orm == "typeorm") {
            if let Some(c) = t.class_name.as_deref().filter(|c| !set.contains(&(i, c.to_string()))) {
                out.insert((i, c));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn django_tables_are_sorted() {
        let names: Vec<&str> = DJANGO_BASE_M2M.iter().map(|b| b.0).collect();
        crate::resolve::assert_sorted(&[
            DJANGO_MODEL_BASES,
            &names,
            SYSTEM_SCHEMAS,
            SYSTEM_TABLES,
            PROSE_WORDS,
            SQL_KEYWORDS,
        ]);
    }

    #[test]
    fn reads_and_writes() {
        let (u, ok) = analyze("INSERT INTO orders (id) SELECT id FROM carts JOIN users u ON u.id = carts.user_id");
        assert!(ok);
        assert_eq!(
            u,
            vec![(Access::Read, "carts".into()), (Access::Read, "users".into()), (Access::Write, "orders".into())]
        );
        let (u, _) = analyze("WITH recent AS (SELECT * FROM Orders) SELECT * FROM recent");
        assert_eq!(u, vec![(Access::Read, "orders".into())]);
        let (u, ok) = analyze("UPDATE stock SET n = n - 1 WHERE sku = ? RETURNING weird syntax here ((");
        assert!(!ok);
        assert_eq!(u, vec![(Access::Write, "stock".into())]);
        // Operator chains past the bound go to the keyword scan, on this (2 MiB) test thread.
        let chain = format!("UPDATE stock SET n = {}1", "1 + ".repeat(200_000));
        let (u, ok) = analyze(&chain);
        assert!(!ok);
        assert_eq!(u, vec![(Access::Write, "stock".into())]);
    }

    #[test]
    fn upserts_update_no_second_table() {
        // asyncpg-style `$1` placeholders and an upsert; whichever reader takes it, the
        // `DO UPDATE SET` and `ON DUPLICATE KEY UPDATE` name no table.
        for sql in [
            "INSERT INTO places (name, score) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET score = EXCLUDED.score",
            "INSERT INTO places (name) VALUES (%s) ON DUPLICATE KEY UPDATE score = score + 1",
            "INSERT INTO places (name) VALUES ($1) ON CONFLICT ON CONSTRAINT c DO UPDATE SET ((( broken",
        ] {
            let (u, _) = analyze(sql);
            assert_eq!(u, vec![(Access::Write, "places".into())], "{sql}");
        }
        assert_eq!(scan("SELECT x FROM (SELECT y FROM t) s"), vec![(Access::Read, "t".into())]);
        assert_eq!(scan("SELECT x FROM \"order\" WHERE ((("), vec![(Access::Read, "order".into())]);
    }

    #[test]
    fn table_functions_are_no_tables() {
        // Parsed: a name with arguments in a FROM yields rows, it is no table.
        for sql in [
            "INSERT INTO deliveries (id) SELECT md5($1 || s::text) FROM generate_series($2::integer, $3::integer) AS s CROSS JOIN endpoints AS e",
            "INSERT INTO deliveries (id) SELECT t.v FROM json_each($1) AS t JOIN endpoints e ON e.id = t.v",
            "INSERT INTO deliveries (id) SELECT u FROM unnest($1::int[]) AS u, endpoints",
        ] {
            let (u, ok) = analyze(sql);
            assert!(ok, "{sql}");
            assert_eq!(u, vec![(Access::Read, "endpoints".into()), (Access::Write, "deliveries".into())], "{sql}");
        }
        // The keyword scan: the same after FROM/JOIN, but INTO's `(` opens a column list.
        assert_eq!(
            scan("INSERT INTO deliveries (id) SELECT s FROM generate_series (1, :n) s JOIN endpoints WHERE ((("),
            vec![(Access::Write, "deliveries".into()), (Access::Read, "endpoints".into())]
        );
    }

    #[test]
    fn prose_and_placeholders_name_no_table() {
        // From Django: help text and a `FROM `%s`` template.
        let (u, ok) = analyze("Delete nonexistent migrations from the django_migrations table.");
        assert!(!ok);
        assert_eq!(u, vec![]);
        let (u, ok) = analyze("SELECT a.`%s` FROM `%s` AS a LEFT JOIN users ON (a.id = users.id)");
        assert!(ok);
        assert_eq!(u, vec![(Access::Read, "users".into())]);
        let mut words = PROSE_WORDS.to_vec();
        words.sort_unstable();
        assert_eq!(PROSE_WORDS, words.as_slice());
    }

    #[test]
    fn split_statements() {
        let s = statements("-- a; comment\nCREATE TABLE a (x text default ';');\n\nCREATE TABLE b (y int);\n");
        assert_eq!(s.iter().map(|(_, l)| *l).collect::<Vec<_>>(), vec![2, 4]);
        assert_eq!(django_app("shop/models.py"), "shop");
        assert_eq!(ddl_table("-- x\ncreate table if not exists public.\"user\" (id int)"), Some("user".into()));
        assert_eq!(ddl_table("create or replace function f() returns trigger as $$ create table x $$"), None);
        assert_eq!(django_app("shop/models/item.py"), "shop");
    }

    #[test]
    fn installed_app_labels() {
        assert_eq!(app_label("shop"), "shop");
        assert_eq!(app_label("mysite.shop"), "shop");
        assert_eq!(app_label("shop.apps.ShopConfig"), "shop");
        assert_eq!(app_label("django.contrib.auth"), "auth");
    }
}
