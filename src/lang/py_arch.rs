//! Python architecture facts from the matches of `queries/python/{endpoints,
//! calls,tables,queues}.scm`: routers, routes and mounts (Flask, FastAPI,
//! Django), HTTP calls (requests, httpx, aiohttp, urllib), SQL strings, ORM
//! tables (SQLAlchemy, SQLModel, Django, Flask-SQLAlchemy), MongoDB
//! collections, gRPC servicers and stubs, and broker operations.
//!
//! Only what the source says is recorded: an identifier in a URL or a prefix
//! stays a reference (`Part::Ref`) for `crate::resolve` to look up.

use super::query::FieldExt;
use std::collections::BTreeMap;

use tree_sitter::Node;

use super::arch::{self, access_of, http_method, lit, push_parts, url_like, CallShape};
use super::query::{self, cap, Captures};
use crate::model::{
    Access, ArchFacts, Binding, Part, RawAmqp, RawArgCall, RawCall, RawClass, RawGrpc, RawMethodCall, RawMount,
    RawQueue, RawQueueParam, RawRoute, RawRouter, RawTable, RawTableUse, RawUrlBuilder, RawWrapper, Template,
};

/// Modules whose functions send HTTP requests themselves (sorted).
const CLIENT_MODULES: &[&str] = &["httpx", "requests"];

/// Modules whose `Client`/`Session`/`ClientSession` constructors make HTTP clients (sorted).
/// SQLAlchemy's and SQLModel's `Session(engine)` has a `get` too: `session.get(User, id)`.
const CLIENT_CTOR_MODULES: &[&str] = &["aiohttp", "httpx", "niquests", "requests"];

/// Functions that send a request to their one URL argument without a method
/// argument, and the method they send (sorted by name). `urlopen` GETs unless
/// given data; MCP's Streamable HTTP transport sends every JSON-RPC message as a
/// POST to the endpoint (modelcontextprotocol.io, specification 2025-03-26,
/// "Transports"; its optional GET stream and closing DELETE go to the same URL).
pub(super) const METHODLESS_CLIENTS: &[(&str, &str)] =
    &[("streamable_http_client", "POST"), ("streamablehttp_client", "POST"), ("urlopen", "GET")];

/// The method a function of [`METHODLESS_CLIENTS`] sends, by its dotted name's last part.
pub(super) fn methodless(client: &str) -> Option<&'static str> {
    let last = client.rsplit('.').next().unwrap_or(client);
    METHODLESS_CLIENTS.binary_search_by_key(&last, |(n, _)| n).ok().map(|i| METHODLESS_CLIENTS[i].1)
}

/// Django REST framework viewset methods a router routes, and whether each is a
/// detail route (`prefix/{pk}/`) (sorted; www.django-rest-framework.org/api-guide/routers/).
pub const DRF_ACTIONS: &[(&str, &str, bool)] = &[
    ("create", "POST", false),
    ("destroy", "DELETE", true),
    ("list", "GET", false),
    ("partial_update", "PATCH", true),
    ("retrieve", "GET", true),
    ("update", "PUT", true),
];

/// Peewee's model classes (last segment of a base; sorted).
const PEEWEE_BASES: &[&str] = &["FTS5Model", "FTSModel", "Model", "VirtualModel"];

/// Tortoise ORM's model base as a model class writes it (sorted).
const TORTOISE_BASES: &[&str] = &["Model", "models.Model", "tortoise.Model", "tortoise.models.Model"];

/// redis-om's stored model bases (sorted).
const REDIS_OM_BASES: &[&str] = &["HashModel", "JsonModel"];

/// Peewee class methods that write (the others `db.peewee_use` matches read; sorted).
const PEEWEE_WRITES: &[&str] =
    &["bulk_create", "create", "delete", "delete_by_id", "get_or_create", "insert", "insert_many", "replace", "update"];

/// Stems of the modules that hold a project's settings (`settings.py`,
/// `core/config.py`): read for their constants although they name no framework,
/// since route prefixes, table names and URLs are imported from them (sorted).
const CONFIG_MODULES: &[&str] = &["conf", "config", "constants", "settings"];

/// The fields of a pydantic `BaseSettings` class (`class Settings(BaseSettings)`)
/// that are environment variables, in the class's order: pydantic reads the
/// variable of each field's name (after the class's `env_prefix`, upper-cased
/// unless `case_sensitive`) before its default, so `API_V1_STR: str = "/api/v1"`
/// is `os.environ.get("API_V1_STR", "/api/v1")` and `USER_URL: AnyHttpUrl` or
/// `= None` is `os.environ.get("USER_URL")`. `Field(default, env="X")` (pydantic 1)
/// and `Field(validation_alias="X")` or `Field(alias="X")` (pydantic-settings 2) name
/// the variable themselves, without the prefix. A default that is not a literal (a call, a list,
/// `default_factory=`) leaves the field alone. (name, value, line).
fn settings_fields(class: Node, src: &[u8]) -> Vec<(String, Template, u32)> {
    let Some(body) = class.field("body") else { return Vec::new() };
    let body_text = query::text(body, src);
    let prefix = env_prefix(body_text).unwrap_or_default();
    let upper = !case_sensitive(body_text);
    // A module importing `pydantic_settings` is pydantic-settings 2's.
    let v2 = memchr::memmem::find(src, b"pydantic_settings").is_some();
    let mut out = Vec::new();
    for stmt in named(body).into_iter().filter(|s| s.kind_name() == "expression_statement") {
        let Some(a) = stmt.named_child(0).filter(|a| a.kind_name() == "assignment") else { continue };
        let Some(left) = a.field("left").filter(|l| l.kind_name() == "identifier") else { continue };
        let name = query::text(left, src);
        if name.starts_with('_') || name == "model_config" || !is_ident(name) {
            continue;
        }
        let var = if upper { format!("{prefix}{name}").to_ascii_uppercase() } else { format!("{prefix}{name}") };
        let value = match a.field("right") {
            None if a.field("type").is_some() => Some((var, None)),
            None => None,
            Some(r) if r.kind_name() == "call" => field_env(r, var, v2, src),
            Some(r) => literal_default(r, src).map(|d| (var, d)),
        };
        if let Some((var, default)) = value {
            out.push((name.to_string(), vec![Part::Env(var, default)], query::line(stmt)));
        }
    }
    out
}

/// A settings field's literal default: `Some(None)` for `None` or `...` (required).
fn literal_default(n: Node, src: &[u8]) -> Option<Option<String>> {
    match n.kind_name() {
        "none" | "ellipsis" => Some(None),
        "string" | "concatenated_string" => string_value(n, src).map(Some),
        "integer" => Some(Some(query::text(n, src).to_string())),
        _ => None,
    }
}

/// `Field("http://a", env="A_URL")`, `Field(default=None, validation_alias="A_URL")`,
/// `Field(...)`: the variable and the default of a settings field declared by `Field`.
fn field_env(call: Node, var: String, v2: bool, src: &[u8]) -> Option<(String, Option<String>)> {
    let f = call.field("function")?;
    if query::text(f, src).rsplit('.').next() != Some("Field") {
        return None;
    }
    let args = call.field("arguments").filter(|a| a.kind_name() == "argument_list")?;
    if kwarg(args, "default_factory", src).is_some() {
        return None;
    }
    let default = match split_args(args).0.first().copied().or_else(|| kwarg(args, "default", src)) {
        Some(d) => literal_default(d, src)?,
        None => None,
    };
    // pydantic-settings 2 reads a field's `alias` as its variable too (pydantic 1's
    // `BaseSettings` ignores it, with a warning).
    let keys: &[&str] = if v2 { &["env", "validation_alias", "alias"] } else { &["env", "validation_alias"] };
    let named_var = keys.iter().find_map(|k| kwarg(args, k, src));
    let var = match named_var {
        Some(v) => string_value(v, src).filter(|v| is_env_name(v))?,
        None => var,
    };
    Some((var, default))
}

/// `case_sensitive = True` (`class Config`) or `case_sensitive=True` (`SettingsConfigDict`).
fn case_sensitive(body: &str) -> bool {
    body.find("case_sensitive").is_some_and(|at| {
        let after = body[at + "case_sensitive".len()..].trim_start();
        after.strip_prefix('=').is_some_and(|v| v.trim_start().starts_with("True"))
    })
}

/// `env_prefix = "APP_"` (`class Config`) or `env_prefix="APP_"` (`SettingsConfigDict`).
fn env_prefix(body: &str) -> Option<String> {
    let at = body.find("env_prefix")?;
    let after = body[at + "env_prefix".len()..].trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let end = after[1..].find(quote)?;
    Some(after[1..=end].to_string())
}

fn is_ident(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether a Python file is a settings module (`CONFIG_MODULES`).
pub fn config_module(rel: &str) -> bool {
    let stem = rel.rsplit('/').next().unwrap_or(rel).strip_suffix(".py").unwrap_or("");
    CONFIG_MODULES.binary_search(&stem).is_ok()
}

/// Whether a Python file may hold Django settings: a settings module
/// ([`config_module`]) or any module of a `settings/` package (`settings/base.py`).
pub fn settings_module(rel: &str) -> bool {
    config_module(rel) || rel.starts_with("settings/") || rel.contains("/settings/")
}

/// The apps a Django settings module installs: the string entries of
/// `INSTALLED_APPS` and of the `*_APPS` lists it is built from (`DJANGO_APPS +
/// LOCAL_APPS`), assigned, added (`+=`, `+`) or appended (`.append("x")`,
/// `.extend([…])`, `.insert(0, "x")`) at module level or in its `if`/`try` blocks.
/// A value of another shape (a call, a comprehension, a name not ending in `APPS`)
/// is `*`: any app may be installed.
pub fn installed_apps(root: Node, src: &[u8]) -> Vec<String> {
    let is_apps = |n: Node| n.kind_name() == "identifier" && query::text(n, src).ends_with("APPS");
    let mut out = Vec::new();
    let mut stack = named(root);
    while let Some(n) = stack.pop() {
        match n.kind_name() {
            "if_statement" | "try_statement" | "else_clause" | "elif_clause" | "except_clause" | "finally_clause"
            | "block" => stack.extend(named(n)),
            "expression_statement" => {
                let Some(e) = n.named_child(0) else { continue };
                match e.kind_name() {
                    "assignment" | "augmented_assignment" if e.field("left").is_some_and(is_apps) => {
                        if let Some(v) = e.field("right") {
                            apps_value(v, src, &mut out);
                        }
                    }
                    "call" => {
                        let f = e.field("function").filter(|f| f.kind_name() == "attribute");
                        let on_apps = f.and_then(|f| f.field("object")).is_some_and(is_apps);
                        let m = f.and_then(|f| f.field("attribute")).map(|a| query::text(a, src));
                        if let (true, Some("append" | "extend" | "insert")) = (on_apps, m) {
                            let args = e.field("arguments").map(|a| split_args(a).0).unwrap_or_default();
                            match args.last() {
                                Some(v) => apps_value(*v, src, &mut out),
                                None => out.push("*".into()),
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Django `urlpatterns` built from a list another module of the project declares:
/// `urlpatterns = [path(...), *ping_urlpatterns]`, `urlpatterns = [...] + ping_urlpatterns`
/// or `urlpatterns += ping_urlpatterns` at module level, `ping_urlpatterns` imported with
/// `from ping_service.views import ping_urlpatterns`. Each is a mount of that module's
/// routes (as `include("ping_service.views")` would be, `included`) at the list's own
/// place: the module's `path()`s are its `urlpatterns`' routes. A name not imported
/// (a list of the module itself) adds nothing: its routes are the module's already.
pub fn urlpatterns_spreads(
    root: Node,
    src: &[u8],
    imported_from: &dyn Fn(&str) -> Option<String>,
    facts: &mut ArchFacts,
) {
    for n in named(root) {
        let Some(e) = n.named_child(0).filter(|_| n.kind_name() == "expression_statement") else { continue };
        if !matches!(e.kind_name(), "assignment" | "augmented_assignment")
            || e.field("left").is_none_or(|l| query::text(l, src) != "urlpatterns")
        {
            continue;
        }
        let mut names = Vec::new();
        let mut stack: Vec<Node> = e.field("right").into_iter().collect();
        while let Some(v) = stack.pop() {
            match v.kind_name() {
                "list" | "parenthesized_expression" => stack.extend(named(v)),
                "list_splat" => stack.extend(named(v).into_iter().filter(|c| c.kind_name() == "identifier")),
                "binary_operator" => stack.extend(["left", "right"].into_iter().filter_map(|f| v.field(f))),
                "identifier" => names.push(v),
                _ => {}
            }
        }
        names.sort_by_key(|v| v.start_byte());
        for v in names {
            let Some(module) = imported_from(query::text(v, src)) else { continue };
            facts.mounts.push(RawMount {
                parent: "urlpatterns".into(),
                child: format!("include:{module}"),
                prefix: Template::new(),
                line: query::line(v),
            });
        }
    }
}

/// The app names of one `INSTALLED_APPS` value ([`installed_apps`]).
fn apps_value(v: Node, src: &[u8], out: &mut Vec<String>) {
    match v.kind_name() {
        "list" | "tuple" | "parenthesized_expression" => named(v).into_iter().for_each(|c| apps_value(c, src, out)),
        "binary_operator" => ["left", "right"].into_iter().filter_map(|f| v.field(f)).for_each(|c| {
            apps_value(c, src, out);
        }),
        // Another list of apps, read where it is assigned.
        "identifier" if query::text(v, src).ends_with("APPS") => {}
        _ => out.push(string_value(v, src).unwrap_or_else(|| "*".into())),
    }
}

/// Captures of the architecture queries.
/// Kinds of value a constant below module level may have (in a class body,
/// a function, an `if` block), and a keyed one (`app.config["KEY"] = value`)
/// anywhere: those that can hold a URL or a name (sorted).
const LOCAL_CONST_VALUES: &[&str] =
    &["binary_operator", "boolean_operator", "call", "conditional_expression", "string", "subscript"];

pub const CAPTURES: &[&str] = &[
    "alias",
    "args",
    "base",
    "bind.alias",
    "body",
    "child",
    "class",
    "client",
    "client.def",
    "const.def",
    "ctor",
    "db.class",
    "db.model",
    "db.model_use",
    "db.mongo",
    "db.peewee_use",
    "db.sql",
    "db.sqlmodel",
    "db.table",
    "drf.viewset",
    "endpoint.aiohttp",
    "endpoint.called",
    "endpoint.django",
    "endpoint.listed",
    "endpoint.route",
    "endpoint.viewset",
    "grpc.channel",
    "grpc.client",
    "grpc.server",
    "handler",
    "http.call",
    "kv.client",
    "kv.op",
    "method",
    "name",
    "obj",
    "op",
    "parent",
    "path",
    "queue.op",
    "router",
    "router.def",
    "router.mount",
    "router.urls",
    "sql",
    "url",
    "value",
];

/// The pattern [`constant`] stands for; a test checks they give the same matches.
#[cfg(test)]
const CONSTANT_PATTERNS: &str = r#"
(expression_statement
  (assignment left: (identifier) @name right: (_) @value)) @const.def
(expression_statement
  (assignment
    left: (subscript value: [(identifier) (attribute)] subscript: (string)) @name
    right: [(call) (subscript) (string) (binary_operator) (boolean_operator)] @value)) @const.def
(expression_statement
  (assignment left: (attribute object: (identifier)) @name right: (string) @value
    (#match? @name "^[^.]+[.][^.]{6}$"))) @const.def
"#;

/// `NAME = value`, `app.config["KEY"] = value` or `router.prefix = "/p"` as a
/// statement, anywhere (`CONSTANT_PATTERNS`): `@const.def` on the statement,
/// `@name` on the target, `@value` on the value. (An attribute is taken by the
/// length of its name, six letters, as `prefix` has: the collector reads the text.) Matched in Rust because nearly every
/// statement is an assignment: on Django, running the query at each of them
/// cost more than all the other patterns together (BENCHMARKS.md).
///
/// As in the query: the assignment is any child of the statement, a field
/// names the first child with it, a wildcard value is any named node but an
/// `ERROR`, and the key may be any of the subscript's indexes.
pub(super) fn constant<'t>(stmt: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    let f = &*FIELDS;
    // Field ids looked up once, and no tree cursor: this runs at every
    // statement, and `child_by_field_name` searches the field names by string.
    let found = (0..u32::try_from(stmt.named_child_count()).unwrap_or(0))
        .filter_map(|i| stmt.named_child(i))
        .filter(|c| c.kind_name() == "assignment")
        .find_map(|a| {
            let (left, right) = (a.child_by_field_id(f.left)?, a.child_by_field_id(f.right)?);
            let ok = match left.kind_name() {
                "identifier" => right.is_named() && !right.is_error(),
                "subscript" => {
                    let value = left.child_by_field_id(f.value);
                    let mut walk = left.walk();
                    value.is_some_and(|v| matches!(v.kind_name(), "identifier" | "attribute"))
                        && f.subscript.is_some_and(|id| {
                            left.children_by_field_id(id, &mut walk).any(|k| k.kind_name() == "string")
                        })
                        && LOCAL_CONST_VALUES.contains(&right.kind_name())
                }
                "attribute" => {
                    let attr = left.child_by_field_id(f.attribute);
                    left.child_by_field_id(f.object).is_some_and(|o| o.kind_name() == "identifier")
                        && attr.is_some_and(|a| a.end_byte() - a.start_byte() == "prefix".len())
                        && right.kind_name() == "string"
                }
                _ => false,
            };
            ok.then_some((left, right))
        });
    let Some((name, value)) = found else { return false };
    caps.extend([("const.def", stmt), ("name", name), ("value", value)]);
    true
}

/// What an `Enum` class's members are as values.
#[derive(Clone, Copy, PartialEq, Eq)]
enum EnumKind {
    /// `class K(str, Enum)`, `StrEnum`: each member is its string.
    Str,
    /// `class K(Enum)`: a member's `.value` is its string.
    Plain,
}

/// The kind of `Enum` a class with base `base` is (each base is its own match: only
/// the `Enum` one answers, reading the others from the class).
fn enum_kind(class: Node, base: &str, src: &[u8]) -> Option<EnumKind> {
    match base.rsplit('.').next()? {
        "StrEnum" => Some(EnumKind::Str),
        "Enum" => {
            let bases = class.field("superclasses")?;
            let mut walk = bases.walk();
            let str_mixin = bases.named_children(&mut walk).any(|b| query::text(b, src) == "str");
            Some(if str_mixin { EnumKind::Str } else { EnumKind::Plain })
        }
        _ => None,
    }
}

/// A constructor of a whole web application, not of a router mounted in one:
/// `FastAPI()`, `Flask(__name__)`, `Quart`, `Sanic`, `Starlette`, aiohttp's and
/// tornado's `web.Application()`.
fn is_app_ctor(ctor: &str) -> bool {
    let last = ctor.rsplit('.').next().unwrap_or(ctor);
    matches!(last, "FastAPI" | "Flask" | "Quart" | "Sanic" | "Starlette") || ctor.ends_with("web.Application")
}

/// The ids of the grammar fields [`constant`] reads.
struct Fields {
    left: u16,
    right: u16,
    value: u16,
    object: u16,
    attribute: u16,
    subscript: Option<std::num::NonZeroU16>,
}

static FIELDS: std::sync::LazyLock<Fields> = std::sync::LazyLock::new(|| {
    let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
    // 0 is no field: `child_by_field_id(0)` finds nothing, as a missing name would.
    let id = |name: &str| language.field_id_for_name(name).map_or(0, std::num::NonZeroU16::get);
    Fields {
        left: id("left"),
        right: id("right"),
        value: id("value"),
        object: id("object"),
        attribute: id("attribute"),
        subscript: language.field_id_for_name("subscript"),
    }
});

/// A call seen before the file's client variables are all known.
struct Candidate {
    client: String,
    method: String,
    url: Template,
    line: u32,
    /// The URL is a parameter of the enclosing function: (function name, parameter index).
    wrapper: Option<(String, usize)>,
    /// For a wrapper: the URL part that is that parameter (`base + path`: 1), the parameter
    /// that is the method (`requests.request(method, url)`), and the function's parameters
    /// with their defaults.
    at: usize,
    method_arg: Option<usize>,
    params: Vec<(String, Template)>,
    /// The request is made in a method of a class: its URL as read there (`py_classes`).
    request: Option<super::py_classes::MethodRequest>,
}

#[derive(Default)]
pub struct Collector<'t> {
    pub facts: ArchFacts,
    /// The file's root and top-level statements, for ancestors without `Node::parent`
    /// (which descends from the tree's root at every call).
    root: Option<query::Root<'t>>,
    /// Client variables (`client = httpx.Client(base_url=…)`) and their base URL.
    clients: BTreeMap<String, Template>,
    /// The constructor each client variable was made with, as written (`Session`, `httpx.Client`).
    client_ctors: BTreeMap<String, String>,
    /// Clients made in `__init__` with a `base_url=` parameter: name → (class, `__init__` parameter).
    client_bases: BTreeMap<String, (String, (usize, String))>,
    candidates: Vec<Candidate>,
    /// `app.post("/p")(handler)`: routes kept when `app` is a router this file builds.
    called_routes: Vec<RawRoute>,
    mentions_mongo: bool,
    /// The file calls `get_collection(…)` (on a database it may import: `py_mongo`).
    names_collection: bool,
    mentions_kafka: bool,
    /// The file imports a Kafka client (kafka-python, aiokafka, confluent-kafka), not only
    /// names one (`get_kafka_event_consumer()` of the project).
    imports_kafka: bool,
    /// The file names amqpstorm, whose channel has `basic`, `queue` and `exchange` parts.
    mentions_amqpstorm: bool,
    mentions_redis: bool,
    /// The file names MQTT (paho-mqtt, aiomqtt, gmqtt): `publish(topic, …)` and
    /// `subscribe(topic)` of its clients are MQTT's.
    mentions_mqtt: bool,
    /// The file imports nats-py (`import nats`, `from nats…`): `publish`/`subscribe`/`request`
    /// of its client are NATS messages.
    mentions_nats: bool,
    /// The file names another publish/subscribe library (Google Pub/Sub, NATS, pika),
    /// whose `publish`/`subscribe` an MQTT file's may be.
    mentions_other_pubsub: bool,
    mentions_peewee: bool,
    mentions_beanie: bool,
    /// The file names Tortoise ORM, whose `models.Model` is not Django's.
    mentions_tortoise: bool,
    /// Fields of the file's `BaseSettings` classes, read from the environment: (name, value, line).
    settings: Vec<(String, Template, u32)>,
    /// aio_pika queues bound to a name (`queue = await ch.declare_queue("q")`): (name, queue, line),
    /// and the `name.consume(…)` calls that read them.
    aio_queues: Vec<(String, Template, u32)>,
    aio_consumes: Vec<(String, u32)>,
    mentions_django: bool,
    is_urls: bool,
    /// Classes with bases (for Peewee's model chains): name → (bases, body, line).
    classes: BTreeMap<String, (Vec<String>, String, u32)>,
    /// Redis client variables and the key-value operations called on any receiver.
    kv_clients: Vec<String>,
    kv_ops: Vec<(String, String, u32)>,
    /// Peewee-shaped class calls (`User.select()`), kept when the file is a Peewee file
    /// or the class is a model of the scanned code (decided in resolution).
    peewee_uses: Vec<(String, String, u32)>,
    /// Members of the file's `Enum` classes: (name, line), no constants by their bare names.
    enum_member_lines: Vec<(String, u32)>,
    /// `router.prefix = "/p"` assignments: (router, prefix, line).
    prefix_sets: Vec<(String, Template, u32)>,
    /// Requests whose URL is a call of a function the file does not define (`built_urls`).
    built_calls: Vec<RawArgCall>,
}

impl<'t> Collector<'t> {
    pub fn new(rel: &str, text: &str, root: Node<'t>) -> Self {
        let mut c = Collector {
            root: Some(query::Root::new(root)),
            mentions_mongo: text.contains("mongo"),
            names_collection: text.contains("get_collection("),
            mentions_kafka: text.contains("afka"),
            imports_kafka: ["from kafka", "import kafka", "aiokafka", "confluent_kafka"]
                .iter()
                .any(|k| text.contains(k)),
            mentions_amqpstorm: text.contains("amqpstorm"),
            mentions_redis: text.contains("redis"),
            mentions_mqtt: text.contains("mqtt"),
            mentions_nats: imports_nats(text),
            mentions_other_pubsub: text.contains("pubsub") || text.contains("nats") || text.contains("pika"),
            mentions_peewee: text.contains("peewee") || text.contains("playhouse"),
            mentions_beanie: text.contains("beanie"),
            mentions_tortoise: text.contains("tortoise"),
            mentions_django: text.contains("from django") || text.contains("import django"),
            is_urls: rel == "urls.py" || rel.ends_with("/urls.py") || text.contains("urlpatterns"),
            ..Collector::default()
        };
        // `ConfigParser`, `RawConfigParser`, `import configparser`.
        c.facts.reads_ini = text.contains("onfigParser") || text.contains("configparser");
        c
    }

    /// Handle one match; `kind` is its outer capture.
    pub fn on_match(&mut self, caps: &[(&str, Node<'t>)], src: &[u8]) {
        if self.mentions_mongo {
            self.mongo_variable(caps, src);
        } else if self.names_collection {
            self.imported_db_collection(caps, src);
        }
        if super::py_shapes::expand(caps, src, &mut |c| self.on_match(c, src)) {
            return;
        }
        let Some(kind) = caps.iter().map(|(n, _)| *n).find(|n| n.contains('.')) else {
            return;
        };
        let outer = cap(caps, kind).expect("found above");
        // A decorated route is at its decorator's line (a function may have several).
        let line = query::line(if kind == "endpoint.route" || kind == "endpoint.called" {
            cap(caps, "router").unwrap_or(outer)
        } else {
            outer
        });
        let text = |name: &str| cap(caps, name).map(|n| query::text(n, src).to_string()).unwrap_or_default();
        match kind {
            "router.def" => {
                let ctor = text("ctor");
                // `app = FastAPI()` at module level (column 0): the module is a server's entry point.
                if outer.start_position().column == 0 && is_app_ctor(&ctor) {
                    self.facts.servers.push(line);
                }
                self.router_def(&text("name"), &ctor, cap(caps, "args"), src, line);
            }
            "endpoint.route" => self.route(&text("router"), &text("method"), cap(caps, "args"), caps, src, line),
            "endpoint.called" => {
                let before = self.facts.routes.len();
                self.route(&text("router"), &text("method"), cap(caps, "args"), caps, src, line);
                self.called_routes.extend(self.facts.routes.drain(before..));
            }
            "router.mount" => self.mount(&text("parent"), &text("method"), cap(caps, "args"), src, line),
            "endpoint.django" if self.is_urls => self.django(&text("method"), cap(caps, "args"), src, line),
            "bind.alias" => {
                self.facts.bindings.push(Binding { local: text("alias"), remote: text("name"), line });
            }
            "http.call" => self.http_call(&text("client"), &text("method"), cap(caps, "args"), src, line),
            "client.def" => {
                let base = cap(caps, "args")
                    .and_then(|a| kwarg(a, "base_url", src))
                    .map(|v| follow_self(template(v, src), v, src));
                self.clients.insert(text("name"), base.unwrap_or_default());
                self.client_ctors.insert(text("name"), text("ctor"));
                if let Some(b) = cap(caps, "args").and_then(|a| super::py_classes::client_base(a, src)) {
                    self.client_bases.insert(text("name"), b);
                }
            }
            "const.def" if cap(caps, "name").is_some_and(|n| n.kind_name() == "attribute") => {
                // `router.prefix = "/orders"` (fastapi_restful's `@cbv(router)` class bodies set it).
                if let Some(router) = text("name").strip_suffix(".prefix") {
                    let value = cap(caps, "value").map(|v| template(v, src)).unwrap_or_default();
                    self.prefix_sets.push((router.to_string(), value, line));
                }
            }
            "const.def" => {
                // A statement at column 0 is at module level; else it is one when it is
                // among the root's own children (a binary search, not `Node::parent`).
                let root = self.root.as_ref();
                let top = || outer.start_position().column == 0 || is_top(root, outer);
                if let Some(copied) = cap(caps, "value").and_then(|v| dict_copy(v, src)) {
                    // `unique = {k: v for k, v in SERVICE_URLS.items()}`: the same entries.
                    let value = vec![Part::Ref(copied)];
                    self.facts.consts.push(crate::model::RawConst { name: text("name"), value, line });
                } else if let Some(v) =
                    cap(caps, "value").filter(|v| LOCAL_CONST_VALUES.contains(&v.kind_name()) || top())
                {
                    // `app.config["ORDERS_URI"] = …` is named as the subscript `template` reads it.
                    let name = cap(caps, "name").and_then(|n| keyed_name(n, src)).unwrap_or_else(|| text("name"));
                    if v.kind_name() == "dictionary" {
                        self.dict_consts(&name, v, src);
                    } else if v.kind_name() == "call" && text_of(v, src).contains("SimpleNamespace(") {
                        self.namespace(&name, v, outer, src);
                    } else {
                        let value = template(v, src);
                        // `TOPIC = SYS_CONFIG["kafka-topics"]["orders"]`: a key of the service's INI files.
                        if matches!(value.as_slice(), [Part::Ref(r)] if r.starts_with(INI)) {
                            self.facts.consts.push(crate::model::RawConst { name, value, line });
                        } else {
                            arch::push_const(&mut self.facts, name, value, line);
                        }
                    }
                } else if let Some(class) = cap(caps, "value")
                    .filter(|v| v.kind_name() == "dictionary")
                    .and_then(|_| super::py_classes::class_of_constant(outer, &text("name"), src))
                {
                    // `class Requests: URLS = {'user': 'http://…'}`, read as `Requests.URLS[user]`.
                    self.dict_consts(&format!("{class}.{}", text("name")), cap(caps, "value").unwrap_or(outer), src);
                }
            }
            "grpc.server" | "grpc.client" => {
                self.grpc(kind == "grpc.server", &text("name"), line);
                // A stub on a channel to a parameter of the function around it: made at its callers.
                if let Some(g) = self.facts.grpc.last_mut().filter(|g| !g.server && g.line == line) {
                    g.within = channel_param_fn(self.root.as_ref(), outer, src);
                }
            }
            "grpc.channel" => {
                if let Some(u) = cap(caps, "url") {
                    arch::push_grpc_call(&mut self.facts, template(u, src), line);
                }
            }
            "db.sql" => {
                // A string standing alone as a statement is a docstring (or dead text), never run:
                // "Delete a setting and clear it from cache" is prose, not SQL.
                // `Node::parent` descends from the root: looked at only when the text does
                // not already show an argument or a value (`execute("…")`, `q = "…"`).
                let root = self.root.as_ref();
                let statement = |n: &Node| {
                    !after_operator(src, n.start_byte())
                        && query::ancestors_in(root, *n, 1)
                            .first()
                            .is_some_and(|p| p.kind_name() == "expression_statement")
                };
                if let Some(n) = cap(caps, "sql").filter(|n| !statement(n)) {
                    arch::push_sql(&mut self.facts, sql_text(n, src), line);
                }
            }
            "db.table" => {
                let name = cap(caps, "name").and_then(|n| string_value(n, src));
                let class_name = cap(caps, "class").map(|n| query::text(n, src).to_string());
                self.facts.tables.push(RawTable { orm: "sqlalchemy".into(), name, class_name, line });
            }
            "db.model" => self.model(&text("class"), &text("base"), cap(caps, "body"), src, line),
            "db.sqlmodel" => {
                let class = text("class");
                self.facts.tables.push(RawTable {
                    orm: "sqlmodel".into(),
                    name: Some(class.to_lowercase()),
                    class_name: Some(class),
                    line,
                });
            }
            "db.model_use" => {
                let class = text("class");
                let op = text("op");
                let op = op.rsplit('.').next().unwrap_or("");
                if class.starts_with(|c: char| c.is_ascii_uppercase()) {
                    let access =
                        if matches!(op, "insert" | "update" | "delete") { Access::Write } else { access_of(op) };
                    let access = if op == "query" || op == "select" { Access::Read } else { access };
                    self.facts.table_uses.push(RawTableUse {
                        name: class,
                        via_class: true,
                        access,
                        store: "sql".into(),
                        line,
                    });
                }
            }
            "db.mongo" if self.mentions_mongo => {
                // `self.col.insert_one(…)` with `self.col = db["x"]` in the class: `x`.
                let holder = cap(caps, "name").and_then(|n| n.parent());
                let held = holder.and_then(|o| held_collection(o, src));
                // `self.collection = database[collection_name]`: a field the class sets to
                // something else than a named collection holds none that can be read.
                let set_otherwise = held.is_none()
                    && holder.is_some_and(|o| {
                        o.kind_name() == "attribute"
                            && o.field("object").is_some_and(|b| query::text(b, src) == "self")
                            && held_value(o, src).is_some()
                    });
                if set_otherwise {
                    return;
                }
                let name = held.or_else(|| {
                    cap(caps, "name").and_then(|n| string_value(n, src).or(Some(query::text(n, src).into())))
                });
                if let Some(name) = name {
                    arch::push_mongo_use(&mut self.facts, name, &text("op"), line);
                }
            }
            // `db.users.find_one(…)` in a file that does not mention MongoDB: a collection
            // when `db` holds what a database getter returns (`db = get_database()`);
            // resolution checks that the getter is one (`py_mongo`).
            "db.mongo" => {
                let Some(n) = cap(caps, "name") else { return };
                if let (Some(getter), Some(name)) =
                    (super::py_mongo::getter_use(n, src), super::py_mongo::collection_name(n, src))
                {
                    let access = access_of(&text("op"));
                    let u = RawTableUse { name, via_class: false, access, store: "mongodb".into(), line };
                    self.facts.getter_table_uses.push((getter, u));
                }
            }
            "queue.op" => self.queue(&text("obj"), &text("method"), cap(caps, "args"), src, line),
            "endpoint.viewset" => {
                let Some(path) = cap(caps, "path") else { return };
                self.facts.routes.push(RawRoute {
                    framework: "drf-viewset".into(),
                    router: text("router"),
                    methods: Vec::new(),
                    path: template(path, src),
                    handler: Some(text("handler")),
                    line,
                });
            }
            "drf.viewset" => {
                if let (Some(base), Some(body)) = (cap(caps, "base"), cap(caps, "body")) {
                    let bases = named(base).into_iter().map(|b| text_of(b, src)).collect();
                    self.facts.classes.push(viewset(text("class"), bases, body, src, line));
                }
            }
            "router.urls" => self.facts.mounts.push(RawMount {
                parent: text("parent"),
                child: text("child"),
                prefix: Template::new(),
                line,
            }),
            "endpoint.listed" => self.listed(outer, &text("method"), cap(caps, "args"), src, line),
            "endpoint.aiohttp" => self.aiohttp(&text("router"), &text("method"), cap(caps, "args"), src, line),
            "db.class" => {
                let entry = self.classes.entry(text("class")).or_insert_with(|| {
                    (Vec::new(), cap(caps, "body").map(|b| text_of(b, src)).unwrap_or_default(), line)
                });
                entry.0.push(text("base"));
                if let (Some(body), Some(kind)) = (cap(caps, "body"), enum_kind(outer, &text("base"), src)) {
                    self.enum_members(&text("class"), kind, body, src);
                }
                if text("base").rsplit('.').next() == Some("BaseSettings") {
                    self.settings.extend(settings_fields(outer, src));
                }
            }
            "db.peewee_use" => self.peewee_uses.push((text("class"), text("op"), line)),
            "kv.client" if self.mentions_redis => {
                let ctor = text("ctor");
                if !ctor.ends_with("from_url") || ctor.to_ascii_lowercase().contains("redis") {
                    self.kv_clients.push(text("name"));
                }
            }
            "kv.op" if self.mentions_redis => self.kv_ops.push((text("obj"), text("op"), line)),
            _ => {}
        }
    }

    /// The string members of an `Enum` class, as the constants `Class.NAME.value` (and
    /// `Class.NAME` when the members are strings themselves: `class K(str, Enum)`,
    /// `StrEnum`); the member's bare name is no constant of the module (`K.X` of a
    /// plain `Enum` is no string, and `X` alone names nothing).
    fn enum_members(&mut self, class: &str, kind: EnumKind, body: Node, src: &[u8]) {
        let mut walk = body.walk();
        for stmt in body.named_children(&mut walk).filter(|n| n.kind_name() == "expression_statement") {
            let Some(a) = stmt.named_child(0).filter(|a| a.kind_name() == "assignment") else { continue };
            let (Some(name), Some(value)) = (a.field("left"), a.field("right")) else {
                continue;
            };
            if name.kind_name() != "identifier" || value.kind_name() != "string" {
                continue;
            }
            let (member, line) = (text_of(name, src), query::line(stmt));
            self.enum_member_lines.push((member.clone(), line));
            let value = template(value, src);
            if kind == EnumKind::Str {
                arch::push_const(&mut self.facts, format!("{class}.{member}"), value.clone(), line);
            }
            arch::push_const(&mut self.facts, format!("{class}.{member}.value"), value, line);
        }
    }

    /// `router.prefix = "/orders"` on a FastAPI router of this file: FastAPI joins a
    /// router's prefix to a path when the route is declared, so each route of the
    /// router declared below the assignment (the nearest one above it) takes that
    /// prefix, and a route above every assignment keeps its own path. (fastapi_restful's
    /// `@cbv(router) class X: router.prefix = "/orders"` sets it in the class body.)
    fn apply_prefix_sets(&mut self) {
        let sets = std::mem::take(&mut self.prefix_sets);
        let fastapi =
            |name: &str, routers: &[RawRouter]| routers.iter().any(|r| r.name == name && r.framework == "fastapi");
        for route in self.facts.routes.iter_mut().filter(|r| fastapi(&r.router, &self.facts.routers)) {
            let set = sets.iter().filter(|(n, _, l)| *n == route.router && *l < route.line).max_by_key(|(_, _, l)| *l);
            if let Some((_, prefix, _)) = set {
                let mut path = prefix.clone();
                path.extend(std::mem::take(&mut route.path));
                route.path = path;
            }
        }
    }

    fn router_def(&mut self, name: &str, ctor: &str, args: Option<Node>, src: &[u8], line: u32) {
        let ctor = ctor.rsplit('.').next().unwrap_or(ctor);
        let (framework, key) = match ctor {
            "Flask" | "Quart" => ("flask", None),
            "Blueprint" => ("flask", Some("url_prefix")),
            "FastAPI" => ("fastapi", None),
            "APIRouter" | "InferringRouter" => ("fastapi", Some("prefix")),
            "Starlette" => ("starlette", None),
            "DefaultRouter" | "SimpleRouter" => ("drf", None),
            "Application" | "RouteTableDef" => ("aiohttp", None),
            _ => ("sanic", None),
        };
        let prefix =
            key.and_then(|k| args.and_then(|a| kwarg(a, k, src))).map(|v| template(v, src)).unwrap_or_default();
        if let Some(root) = args.filter(|_| ctor == "FastAPI").and_then(|a| kwarg(a, "root_path", src)) {
            self.facts.root_paths.push(template(root, src));
        }
        self.facts.routers.push(RawRouter { name: name.to_string(), framework: framework.into(), prefix, line });
        if matches!(ctor, "APIRouter" | "Blueprint" | "InferringRouter") && !name.contains('.') {
            self.facts.sub_routers.push(name.to_string());
        }
        // Starlette(routes=ROUTES), FastAPI(routes=…): a route list named elsewhere.
        // (Not for a router held in a field: `self.router = APIRouter(routes=routes)` is a framework's own code.)
        if let Some(r) =
            args.and_then(|a| kwarg(a, "routes", src)).filter(|r| r.kind_name() == "identifier" && !name.contains('.'))
        {
            self.mount_here(name, &text_of(r, src), Template::new(), line);
        }
        // DefaultRouter serves an API root view listing the viewsets.
        if ctor == "DefaultRouter" {
            self.facts.routes.push(RawRoute {
                framework: "drf".into(),
                router: name.to_string(),
                methods: vec!["GET".into()],
                path: Template::new(),
                handler: None,
                line,
            });
        }
    }

    fn route(&mut self, router: &str, method: &str, args: Option<Node>, caps: &[(&str, Node)], src: &[u8], line: u32) {
        let Some(args) = args else { return };
        let (pos, _) = split_args(args);
        let handler = cap(caps, "handler").map(|n| query::text(n, src).to_string());
        let (path, methods, handler) = match method {
            "add_url_rule" => {
                let path = pos.first().copied().or_else(|| kwarg(args, "rule", src));
                let h = kwarg(args, "view_func", src).or_else(|| pos.get(2).copied());
                (path, methods_kw(args, src).unwrap_or_else(|| vec!["GET".into()]), h.map(|n| text_of(n, src)))
            }
            "add_api_route" => {
                let path = pos.first().copied().or_else(|| kwarg(args, "path", src));
                let h = pos.get(1).copied().or_else(|| kwarg(args, "endpoint", src));
                (path, methods_kw(args, src).unwrap_or_else(|| vec!["GET".into()]), h.map(|n| text_of(n, src)))
            }
            "route" | "api_route" => {
                let path =
                    pos.first().copied().or_else(|| kwarg(args, "rule", src)).or_else(|| kwarg(args, "path", src));
                (path, methods_kw(args, src).unwrap_or_else(|| vec!["GET".into()]), handler)
            }
            "websocket" => (pos.first().copied(), vec!["WS".into()], handler),
            m => {
                let path = pos.first().copied().or_else(|| kwarg(args, "path", src));
                (path, vec![http_method(m).unwrap_or_else(|| m.to_ascii_uppercase())], handler)
            }
        };
        let Some(path) = path else { return };
        // `@app.get(app.swagger_ui_oauth2_redirect_url)`: a FastAPI documentation URL.
        let path = super::py_docs_urls::path(path, router, src).unwrap_or_else(|| template(path, src));
        // `@mock.patch("saleor.core.utils.fetch")` patches a dotted Python name: no route.
        if arch::literal_of(&path).is_some_and(|p| is_dotted_name(&p)) {
            return;
        }
        self.facts.routes.push(RawRoute {
            framework: String::new(),
            router: router.to_string(),
            methods,
            path,
            handler,
            line,
        });
    }

    fn mount(&mut self, parent: &str, method: &str, args: Option<Node>, src: &[u8], line: u32) {
        let Some(args) = args else { return };
        let (pos, _) = split_args(args);
        let Some(child) =
            pos.first().copied().or_else(|| kwarg(args, "router", src)).or_else(|| kwarg(args, "blueprint", src))
        else {
            return;
        };
        let key = if method == "register_blueprint" { "url_prefix" } else { "prefix" };
        let prefix = kwarg(args, key, src).map(|v| template(v, src)).unwrap_or_default();
        self.facts.mounts.push(RawMount { parent: parent.to_string(), child: text_of(child, src), prefix, line });
    }

    /// Django `path()`/`re_path()` in a urls module: a route on the module's
    /// `urlpatterns`, or a mount of an `include()`d urls module.
    fn django(&mut self, func: &str, args: Option<Node>, src: &[u8], line: u32) {
        let Some(args) = args else { return };
        let (pos, _) = split_args(args);
        let (Some(route), Some(view)) = (pos.first(), pos.get(1)) else { return };
        let Some(raw) = string_value(*route, src) else {
            self.facts.notes.push((line, "Django route built at run time: not an endpoint".into()));
            return;
        };
        let path = if func == "path" {
            raw
        } else if let Some(p) = regex_route(&raw) {
            p
        } else {
            let why = format!("Django regex route `{raw}` matches more than one path outside its groups (a class, `.`, `|`), or is no regex tapestry reads: not an endpoint");
            self.facts.notes.push((line, why));
            return;
        };
        let path = if path.is_empty() { String::new() } else { format!("/{}", path.trim_start_matches('/')) };
        if view.kind_name() == "call" && view.field("function").is_some_and(|f| query::text(f, src) == "include") {
            let target =
                view.field("arguments").and_then(|a| split_args(a).0.first().copied()).map(|n| included(n, src));
            if let Some(child) = target {
                self.facts.mounts.push(RawMount { parent: "urlpatterns".into(), child, prefix: lit(&path), line });
            }
            return;
        }
        self.facts.routes.push(RawRoute {
            framework: "django".into(),
            router: "urlpatterns".into(),
            methods: vec!["ANY".into()],
            path: lit(&path),
            handler: Some(text_of(class_view(*view, src), src)),
            line,
        });
    }

    fn http_call(&mut self, client: &str, method: &str, args: Option<Node>, src: &[u8], line: u32) {
        let Some(args) = args else { return };
        let (pos, _) = split_args(args);
        let mut method_node = None;
        let (method, url) = match method {
            "request" | "stream" => {
                method_node = pos.first().copied().or_else(|| kwarg(args, "method", src));
                let m = method_node.and_then(|n| string_value(n, src)).unwrap_or_else(|| "GET".into());
                (m.to_ascii_uppercase(), pos.get(1).copied().or_else(|| kwarg(args, "url", src)))
            }
            m => (m.to_ascii_uppercase(), pos.first().copied().or_else(|| kwarg(args, "url", src))),
        };
        let Some(url) = url else { return };
        let url_node = url;
        let mut method = methodless(client).map_or(method, str::to_string);
        // A client this file made above (or a module's own functions): the URL may be a
        // field a constructor argument gives, read in the class (`py_classes`).
        let module = client.rsplit('.').next().unwrap_or(client);
        let known = self.clients.contains_key(client)
            || CLIENT_MODULES.binary_search(&module).is_ok() && !client.contains('.')
            || methodless(client).is_some();
        let root = self.root.as_ref();
        let local = local_value(root, url, src);
        let (mut wrapper, mut at) = match (&local, wrapper_param(root, url, src)) {
            (Some(_), _) => (None, 0),
            (None, Some(w)) => (Some(w), 0),
            // Only for a client known here (the parts are checked against the function's body).
            (None, None) if known => compound_wrapper(root, url, src, false).map_or((None, 0), |(w, at)| (Some(w), at)),
            (None, None) => (None, 0),
        };
        // `session.post(build_url("locations/addresses/"))`: the URL the file's builder
        // returns; a function of another module is looked for by resolution.
        let mut built = None;
        if let Some((call, name)) = builder_call(url, src).filter(|_| wrapper.is_none()) {
            match (module_def(call, name, src), call_args(call, src)) {
                (Some(def), Some((args, kwargs))) => {
                    built = builder_of(def, src).map(|b| b.apply(&args, &kwargs, &mut |t| t.clone()));
                }
                (None, Some((args, kwargs))) => self.built_calls.push(RawArgCall {
                    callee: name.to_string(),
                    args,
                    kwargs,
                    methods: Vec::new(),
                    props: Vec::new(),
                    line,
                }),
                _ => {}
            }
        }
        // `url = _join_url(base_url, path)` in `def request_json(method, base_url, path)`: the
        // builder's URL made of the function's parameters, a wrapper as `base_url + path` is.
        if let Some(t) = built.as_ref().filter(|_| known && wrapper.is_none()) {
            if let Some((w, i)) = compound_parts(root, url, t.clone(), src, false) {
                (wrapper, at) = (Some(w), i);
            }
        }
        // `def get(self, url): return requests.get(url)` in `class Requests`: the wrapper
        // `Requests.get`, whose callers are read where their receiver's class is known.
        let method_wrapper =
            if local.is_none() && wrapper.is_none() { super::py_classes::method_wrapper(root, url, src) } else { None };
        // A wrapper's own parameters: the method one (`def call(path, method="GET")` passing
        // `method` on) is each caller's argument, its default when a caller passes none.
        let params = if wrapper.is_some() { fn_params(root, url, src) } else { Vec::new() };
        let wrapper = wrapper.or(method_wrapper);
        let method_arg = method_node.filter(|n| n.kind_name() == "identifier" && wrapper.is_some()).and_then(|n| {
            let (_, i) = module_fn_param(root, n, query::text(n, src), src)?;
            let default = params.get(i).and_then(|(_, d)| arch::literal_of(d)).and_then(|m| http_method(&m));
            method = default.unwrap_or_else(|| "ANY".into());
            Some(i)
        });
        let in_method = known && (client.starts_with("self.") || query::text(url, src).contains("self"));
        let mreq = if in_method { super::py_classes::method_request(root, url, src) } else { None };
        // A wrapper's URL stays the parameter's name (its call sites substitute it).
        let url = match (local, &wrapper) {
            _ if built.is_some() => built.unwrap_or_default(),
            (Some(t), _) => follow_self(t, url, src),
            (None, Some(_)) => template(url, src),
            (None, None) => follow_self(shadow_params(root, template(url, src), url, src), url, src),
        };
        let url = loop_entries(url, url_node, src);
        self.candidates.push(Candidate {
            client: client.to_string(),
            method,
            url,
            line,
            wrapper,
            at,
            method_arg,
            params,
            request: mreq,
        });
    }

    /// Whether client variable `name` was made by an HTTP library's constructor: the
    /// constructor's first segment is imported from (or is) one of [`CLIENT_CTOR_MODULES`].
    fn http_ctor(&self, name: &str, imported_from: &dyn Fn(&str) -> Option<String>) -> bool {
        let Some(ctor) = self.client_ctors.get(name) else { return false };
        let (head, dotted) = match ctor.split_once('.') {
            Some((h, _)) => (h, true),
            None => (ctor.as_str(), false),
        };
        let remote = self.facts.bindings.iter().find(|b| b.local == head).map(|b| b.remote.as_str());
        let module = imported_from(remote.unwrap_or(head)).or_else(|| dotted.then(|| head.to_string()));
        module.is_some_and(|m| CLIENT_CTOR_MODULES.binary_search(&m.split('.').next().unwrap_or("")).is_ok())
    }

    /// The exchanges a pika consumer's server-named queue ([`server_named_queue`]) is bound
    /// to in the function around: `channel.queue_bind(exchange='events', queue=queue_name,
    /// routing_key='#')` then `channel.basic_consume(queue=queue_name, …)` consumes
    /// `events` (as amqplib's `assertQueue('')` in `lang::ts_arch`). None when the queue is
    /// not server-named, no binding names an exchange, or a binding's key is a parameter
    /// of the function (the queue then exists only where it is called: left as before).
    fn pika_server_named(&self, args: Node, pos: &[Node], src: &[u8]) -> Option<Vec<Template>> {
        let q = kwarg(args, "queue", src).or_else(|| pos.first().copied());
        if !server_named_queue(q, src) {
            return None;
        }
        let q = q?;
        let func = query::ancestors(q, 64).find(|a| a.kind_name() == "function_definition")?;
        let params = params_of(func, src);
        let mut exchanges = Vec::new();
        let mut stack = vec![func.field("body")?];
        while let Some(n) = stack.pop() {
            let method = n.field("function").filter(|_| n.kind_name() == "call").and_then(|f| f.field("attribute"));
            if method.is_some_and(|m| query::text(m, src) == "queue_bind") {
                let b = n.field("arguments")?;
                let (bpos, _) = split_args(b);
                let arg = |i: usize, key: &str| bpos.get(i).copied().or_else(|| kwarg(b, key, src));
                if arg(0, "queue").is_some_and(|bq| query::text(bq, src) == query::text(q, src)) {
                    let key = arg(2, "routing_key").map(|k| query::text(k, src));
                    if key.is_some_and(|k| params.iter().any(|(p, _)| p == k)) {
                        return None;
                    }
                    exchanges.push(template(arg(1, "exchange")?, src));
                }
            }
            stack.extend(
                named(n).into_iter().filter(|c| !matches!(c.kind_name(), "function_definition" | "class_definition")),
            );
        }
        exchanges.sort();
        exchanges.dedup();
        (!exchanges.is_empty()).then_some(exchanges)
    }

    /// `details = {"name": "http://…", "endpoint": "details"}` at module level: each
    /// string-keyed entry is a constant named as `template` reads `details["name"]`.
    fn dict_consts(&mut self, name: &str, dict: Node, src: &[u8]) {
        for pair in named(dict).into_iter().filter(|p| p.kind_name() == "pair") {
            let key = pair.field("key").and_then(|k| string_value(k, src));
            if let (Some(key), Some(value)) = (key, pair.field("value")) {
                let line = query::line(pair);
                // `{"user": {"url": "http://…"}}`: `SERVICES["user"]["url"]`, a level down.
                if value.kind_name() == "dictionary" && !name.ends_with(']') {
                    self.dict_consts(&format!("{name}[{key}]"), value, src);
                } else {
                    arch::push_const(&mut self.facts, format!("{name}[{key}]"), template(value, src), line);
                }
            }
        }
    }

    /// An attribute bag at module level, `consts = types.SimpleNamespace(QUEUE="q")`, and
    /// the `consts.X = value` statements below it at module level: each member is the
    /// constant `consts.X` (`routing_key=consts.X` reads it). A member the file sets more
    /// than once (again in a function, say) is left out: which value a use sees is not known.
    fn namespace(&mut self, name: &str, call: Node, stmt: Node, src: &[u8]) {
        let f = call.field("function").map(|f| text_of(f, src)).unwrap_or_default();
        if f != "SimpleNamespace" && f != "types.SimpleNamespace" {
            return;
        }
        let mut members: Vec<(String, Node)> = call
            .field("arguments")
            .map(|a| split_args(a).1)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|k| Some((text_of(k.field("name")?, src), k.field("value")?)))
            .collect();
        let given = members.len();
        let mut next = stmt.next_named_sibling();
        while let Some(s) = next {
            next = s.next_named_sibling();
            let Some(a) =
                s.named_child(0).filter(|a| s.kind_name() == "expression_statement" && a.kind_name() == "assignment")
            else {
                continue;
            };
            let (Some(left), Some(value)) = (a.field("left"), a.field("right")) else {
                continue;
            };
            let object = left.field("object").filter(|_| left.kind_name() == "attribute");
            if object.is_some_and(|o| query::text(o, src) == name) {
                members.extend(left.field("attribute").map(|m| (text_of(m, src), value)));
            }
        }
        let text = std::str::from_utf8(src).unwrap_or("");
        for (member, value) in &members {
            // `consts.X = …`, `consts.X += …` (not `consts.X == y`).
            let target = format!("{name}.{member}");
            let sets = text.match_indices(&target).filter(|(at, _)| {
                let rest = text[at + target.len()..].trim_start_matches(' ');
                let op = rest.find('=').filter(|i| *i <= 2 && rest[..*i].bytes().all(|b| b"+-*/|&".contains(&b)));
                op.is_some_and(|i| !rest[i + 1..].starts_with('='))
            });
            let by_kwarg = members[..given].iter().filter(|(m, _)| m == member).count();
            if sets.count() + by_kwarg > 1 {
                continue;
            }
            arch::push_const(&mut self.facts, format!("{name}.{member}"), template(*value, src), query::line(*value));
        }
    }

    /// `col.insert_one(…)` where `col = db["x"]`, `col = db.x` or `col = db.get_collection("x")`
    /// is the one assignment of `col` in its function (or at module level): collection `x`.
    fn mongo_variable(&mut self, caps: &[(&str, Node)], src: &[u8]) {
        let (Some(call), Some(obj), Some(m)) = (cap(caps, "call.method"), cap(caps, "obj"), cap(caps, "method")) else {
            return;
        };
        let op = query::text(m, src);
        if obj.kind_name() != "identifier" || super::py_shapes::MONGO_METHODS.binary_search(&op).is_err() {
            return;
        }
        if let Some(name) = held_collection(obj, src) {
            arch::push_mongo_use(&mut self.facts, name, op, query::line(call));
        }
    }

    /// `col.find_one(…)` in a file that does not mention MongoDB, where `col =
    /// db.get_collection("x")` is the one assignment of `col` in its function (or at module
    /// level) and `db` a bare name: collection `x` of what `db` holds, linked in resolution
    /// when `db` is imported from a module that sets it to a database of a client
    /// ([`super::py_mongo::getters`]).
    fn imported_db_collection(&mut self, caps: &[(&str, Node)], src: &[u8]) {
        let (Some(call), Some(obj), Some(m)) = (cap(caps, "call.method"), cap(caps, "obj"), cap(caps, "method")) else {
            return;
        };
        let op = query::text(m, src);
        if obj.kind_name() != "identifier" || super::py_shapes::MONGO_METHODS.binary_search(&op).is_err() {
            return;
        }
        let Some(v) = held_value(obj, src).filter(|v| v.kind_name() == "call") else { return };
        let Some(f) = v.field("function").filter(|f| f.kind_name() == "attribute") else { return };
        let (Some(db), Some(args)) =
            (f.field("object").filter(|d| d.kind_name() == "identifier"), v.field("arguments"))
        else {
            return;
        };
        if f.field("attribute").is_none_or(|a| query::text(a, src) != "get_collection") {
            return;
        }
        let Some(name) = split_args(args).0.first().and_then(|a| string_value(*a, src)) else { return };
        let u = RawTableUse {
            name,
            via_class: false,
            access: access_of(op),
            store: "mongodb".into(),
            line: query::line(call),
        };
        self.facts.getter_table_uses.push((text_of(db, src), u));
    }

    fn grpc(&mut self, server: bool, name: &str, line: u32) {
        let last = name.rsplit('.').next().unwrap_or(name);
        let service = if server {
            last.strip_prefix("add_").and_then(|s| s.strip_suffix("Servicer_to_server"))
        } else {
            last.strip_suffix("Stub")
        };
        if let Some(s) = service.filter(|s| !s.is_empty()) {
            self.facts.grpc.push(RawGrpc {
                service: s.to_string(),
                server,
                line,
                within: None,
                rpc: None,
                constant: None,
                class: None,
            });
        }
    }

    fn model(&mut self, class: &str, base: &str, body: Option<Node>, src: &[u8], line: u32) {
        let body_text = body.map(|b| query::text(b, src)).unwrap_or("");
        if self.mentions_tortoise && TORTOISE_BASES.contains(&base) {
            self.tortoise(class, body_text, line);
        } else if base.ends_with("models.Model") {
            // A proxy model (`class Meta: proxy = True`) uses its parent's table.
            if meta_true(body_text, "proxy") {
                return;
            }
            // Django: `class Meta: db_table = "x"`, else the default `<app>_<model>`;
            // an abstract model has no table but its subclasses do.
            let name = meta_string(body_text, "db_table");
            let abstract_model = is_abstract(body_text);
            let orm = if abstract_model { "django-abstract" } else { "django" };
            self.facts.tables.push(RawTable {
                orm: orm.into(),
                name: name.clone(),
                class_name: Some(class.into()),
                line,
            });
            // An abstract model's many-to-many fields make join tables only for its subclasses.
            if !abstract_model {
                self.m2m_tables(class, name.as_deref(), body_text, line);
            }
        } else if base == "db.Model" && !body_text.contains("__tablename__") && !self.mentions_peewee {
            // Flask-SQLAlchemy names a table after its class, in snake case.
            let name = Some(snake_case(class));
            self.facts.tables.push(RawTable {
                orm: "flask-sqlalchemy".into(),
                name,
                class_name: Some(class.into()),
                line,
            });
        }
    }

    /// A Tortoise ORM model (`from tortoise import models` + `class Cart(models.Model)`,
    /// or `from tortoise.models import Model`): its table is `class Meta: table = "x"`,
    /// else the class name lower-cased, as Tortoise's `_init_apps` names it
    /// (tortoise.github.io/models.html); an abstract model has none. Its class calls
    /// (`await Cart.filter(…)`) are the Peewee-shaped uses (resolve/tables.rs).
    fn tortoise(&mut self, class: &str, body: &str, line: u32) {
        if meta_true(body, "abstract") {
            return;
        }
        let name = nested_string(body, "class Meta", "table").unwrap_or_else(|| class.to_lowercase());
        self.facts.tables.push(RawTable {
            orm: "tortoise".into(),
            name: Some(name),
            class_name: Some(class.into()),
            line,
        });
    }

    fn queue(&mut self, obj: &str, method: &str, args: Option<Node>, src: &[u8], line: u32) {
        let Some(args) = args else { return };
        let before = self.facts.queues.len();
        self.queue_op(obj, method, args, src, line);
        // `def publish(topic, msg): producer.send(topic, msg)`: the callers of the
        // module-level function name the queue (resolution reads their arguments).
        for k in before..self.facts.queues.len() {
            if let [Part::Param(p)] = self.facts.queues[k].name.as_slice() {
                // A parameter the function assigns is a local: which value reaches the call is not known.
                let root = self.root.as_ref();
                let func = enclosing(root, args, "function_definition");
                if func.and_then(|f| assignments(p, f, src)).is_none_or(|v| !v.is_empty()) {
                    continue;
                }
                if let Some((function, param)) = module_fn_param(root, args, p, src) {
                    self.facts.queue_params.push(RawQueueParam { queue: k, function, param });
                }
            }
        }
    }

    /// `obj` is the `part` (`basic`, `queue`, `exchange`) of an amqpstorm channel:
    /// `channel.basic`, `self._ch.queue`, in a file naming amqpstorm.
    fn amqpstorm(&self, obj: &str, part: &str) -> bool {
        self.mentions_amqpstorm && obj.strip_suffix(part).is_some_and(|o| o.ends_with('.'))
    }

    /// nats-py: `await nc.publish("subject", data)` publishes, `await nc.subscribe("subject",
    /// cb=handler)` consumes (a subscription may answer requests), `await nc.request("subject",
    /// data)` awaits a subscriber's reply (`rpc`). The subject is the first argument or
    /// `subject=`; another broker's or an HTTP client's receiver (`redis`, `kafka`, a method
    /// word first: `client.request("GET", url)`) is not NATS. Whether the call was one.
    fn nats_op(&mut self, obj: &str, last: &str, args: Node, pos: &[Node], src: &[u8], line: u32) -> bool {
        let (access, rpc) = match last {
            "publish" => (Access::Write, false),
            "request" => (Access::Write, true),
            "subscribe" => (Access::Read, true),
            _ => return false,
        };
        let o = obj.to_ascii_lowercase();
        if ["redis", "kafka", "producer", "pubsub", "mqtt", "http", "session", "requests"].iter().any(|w| o.contains(w))
        {
            return false;
        }
        let Some(first) = pos.first().copied().or_else(|| kwarg(args, "subject", src)) else { return false };
        if string_value(first, src)
            .is_some_and(|m| super::arch::HTTP_METHODS.contains(&m.to_ascii_lowercase().as_str()))
        {
            return false;
        }
        let name = match super::py_ctor::marker(first, src) {
            Some(m) => vec![Part::Ref(m)],
            None => follow_self(value_template(self.root.as_ref(), first, src), first, src),
        };
        if name.is_empty() {
            return false;
        }
        self.facts.queues.push(RawQueue { broker: "nats".into(), name, access, line, key: None, rpc });
        true
    }

    fn queue_op(&mut self, obj: &str, method: &str, args: Node, src: &[u8], line: u32) {
        let (pos, _) = split_args(args);
        let last = method.rsplit('.').next().unwrap_or(method);
        if self.mentions_nats && self.nats_op(obj, last, args, &pos, src, line) {
            return;
        }
        // A name read as written, through `self.x` set in the class and pika's declare-ok
        // frame; a field the constructor's parameter sets is that parameter (`py_ctor`).
        let tpl = |n: Node| match super::py_ctor::marker(n, src) {
            Some(m) => vec![Part::Ref(m)],
            None => follow_self(value_template(self.root.as_ref(), n, src), n, src),
        };
        let first = || pos.first().map(|n| tpl(*n));
        // The argument at a position or by keyword.
        let arg = |i: usize, key: &str| pos.get(i).copied().or_else(|| kwarg(args, key, src)).map(tpl);
        let push = |facts: &mut ArchFacts, broker: &str, name: Option<Template>, access: Access| {
            if let Some(name) = name.filter(|n| !n.is_empty()) {
                facts.queues.push(RawQueue { broker: broker.into(), name, access, line, key: None, rpc: false });
            }
        };
        if self.mqtt_op(obj, last, args, &pos, src) {
            for (n, access) in mqtt_topics(last, args, &pos, src) {
                let name = tpl(n);
                if !name.is_empty() {
                    self.facts.queues.push(RawQueue::mqtt(name, access, line));
                }
            }
            return;
        }
        match last {
            // pika: `basic_publish(exchange, routing_key, body)`; the default exchange `""`
            // delivers to the queue the routing key names, a named one to the queues bound
            // to it (resolution reads the bindings).
            // amqpstorm: `channel.basic.publish(body, routing_key, exchange="")`, pika's
            // `basic_publish` with the arguments in another order.
            "basic_publish" | "publish" if last == "basic_publish" || self.amqpstorm(obj, "basic") => {
                let (exchange, key) = if last == "basic_publish" {
                    (arg(0, "exchange"), arg(1, "routing_key"))
                } else {
                    // Left out, amqpstorm's exchange is the default one, `""`.
                    (arg(2, "exchange").or_else(|| Some(lit(""))), arg(1, "routing_key"))
                };
                match exchange {
                    Some(e) if arch::literal_of(&e).is_none_or(|s| !s.is_empty()) && !e.is_empty() => {
                        self.facts.queues.push(RawQueue {
                            broker: "rabbitmq".into(),
                            name: e,
                            access: Access::Write,
                            line,
                            // An empty key (a fanout exchange's `""`) is a key all the same.
                            key: Some(key.unwrap_or_default()),
                            rpc: false,
                        });
                    }
                    _ => push(&mut self.facts, "rabbitmq", key, Access::Write),
                }
            }
            // amqpstorm: `channel.queue.bind(queue, exchange, routing_key="")`.
            "bind" if self.amqpstorm(obj, "queue") => {
                if let (Some(queue), Some(exchange)) = (arg(0, "queue"), arg(1, "exchange")) {
                    let key = Some(arg(2, "routing_key").unwrap_or_default());
                    self.facts.amqp.push(RawAmqp { exchange, queue: Some(queue), key, kind: None, line });
                }
            }
            // Its binding to a named exchange is the consume's (below); to an exchange not
            // read here it stays an unread binding.
            "queue_bind"
                if server_named_queue(pos.first().copied().or_else(|| kwarg(args, "queue", src)), src)
                    && pos
                        .get(1)
                        .copied()
                        .or_else(|| kwarg(args, "exchange", src))
                        .is_some_and(|e| string_value(e, src).is_some()) => {}
            // pika: `queue_bind(queue, exchange, routing_key=None)`.
            "queue_bind" => {
                if let (Some(queue), Some(exchange)) = (arg(0, "queue"), arg(1, "exchange")) {
                    // pika binds with the queue's name when no routing key is given.
                    let key = Some(arg(2, "routing_key").unwrap_or_else(|| queue.clone()));
                    self.facts.amqp.push(RawAmqp { exchange, queue: Some(queue), key, kind: None, line });
                }
            }
            // pika: `exchange_declare(exchange, exchange_type="direct")` (`ExchangeType.fanout`);
            // amqpstorm's `channel.exchange.declare(exchange, exchange_type="direct")` alike.
            "exchange_declare" | "declare" if last == "exchange_declare" || self.amqpstorm(obj, "exchange") => {
                if let Some(exchange) = arg(0, "exchange") {
                    let given = pos.get(1).copied().or_else(|| kwarg(args, "exchange_type", src));
                    let kind = match given.or_else(|| kwarg(args, "type", src)) {
                        None => Some("direct".to_string()),
                        Some(k) => string_value(k, src)
                            .or_else(|| (k.kind_name() == "attribute").then(|| text_of(k, src)))
                            .map(|k| {
                                let k = k.strip_suffix(".value").unwrap_or(&k);
                                k.rsplit('.').next().unwrap_or(k).to_ascii_lowercase()
                            }),
                    };
                    self.facts.amqp.push(RawAmqp { exchange, queue: None, key: None, kind, line });
                }
            }
            // pika's server-named queue: its consumer takes the messages of the exchanges
            // the same function binds it to (`server_named_exchanges`).
            "basic_consume" if self.pika_server_named(args, &pos, src).is_some() => {
                for name in self.pika_server_named(args, &pos, src).unwrap_or_default() {
                    push(&mut self.facts, "rabbitmq", Some(name), Access::Read);
                }
            }
            "basic_consume" => {
                let q = kwarg(args, "queue", src).map(tpl).or_else(first);
                push(&mut self.facts, "rabbitmq", q, Access::Read);
            }
            // amqpstorm: `channel.basic.consume(callback, queue="")`.
            "consume" if self.amqpstorm(obj, "basic") => {
                push(&mut self.facts, "rabbitmq", arg(1, "queue"), Access::Read);
            }
            // aiokafka's `await producer.send_and_wait(topic, value)` as kafka-python's `send`.
            "send" | "produce" | "send_and_wait" if self.mentions_kafka => {
                let t = first().or_else(|| kwarg(args, "topic", src).map(tpl));
                push(&mut self.facts, "kafka", t, Access::Write);
            }
            // kafka-python: `KafkaConsumer(*topics, **configs)`: every positional argument is a
            // topic, a literal or a name read where it is set (`settings.KAFKA_TOPIC` of a
            // settings class: its `os.getenv("KAFKA_TOPIC", "events")`, the service's environment first).
            // aiokafka's `AIOKafkaConsumer(*topics, …)` alike; `*TOPICS` is the module's list of that name.
            "KafkaConsumer" | "AIOKafkaConsumer" => {
                let root = query::ancestors(args, 256).last().unwrap_or(args);
                let splats = named(args).into_iter().filter(|a| a.kind_name() == "list_splat");
                // Any other splatted value is one name known only at run time (a diagnostic).
                let listed = splats.filter_map(|a| a.named_child(0)).flat_map(|l| match module_list(root, l, src) {
                    elements if elements.is_empty() => vec![l],
                    elements => elements,
                });
                for n in pos.iter().copied().chain(listed) {
                    push(&mut self.facts, "kafka", Some(tpl(n)), Access::Read);
                }
            }
            // A project's event bus, `consumer.subscribe("user.created", handler.on_created)`:
            // a name and a handler, which no Kafka client takes (kafka-python's and aiokafka's
            // `subscribe(topics, pattern)` take a list and a regex, confluent-kafka's
            // `subscribe(["t"], on_assign)` a list): an event type, not a topic.
            "subscribe"
                if self.mentions_kafka
                    && pos.len() >= 2
                    && !matches!(pos[0].kind_name(), "list" | "tuple")
                    && !matches!(pos[1].kind_name(), "string" | "concatenated_string") => {}
            // In a file that names Kafka without importing a client, only the client's own
            // shape, a list of topics, is read: `event_bus.subscribe("user.created")`
            // of a project wrapper names an event type, not a topic.
            "subscribe"
                if self.mentions_kafka
                    && (self.imports_kafka
                        || pos.first().is_some_and(|l| matches!(l.kind_name(), "list" | "tuple")))
                    || !self.mentions_kafka && self.mentions_redis =>
            {
                let broker = if self.mentions_kafka { "kafka" } else { "redis" };
                // `subscribe(TOPICS)`, the module's one list of that name: its elements.
                let listed = |l: &Node| match (l.kind_name(), pos.len()) {
                    ("identifier", 1) => module_list(query::ancestors(args, 256).last().unwrap_or(args), *l, src),
                    _ => Vec::new(),
                };
                let names: Vec<Node> = match pos.first() {
                    Some(l) if matches!(l.kind_name(), "list" | "tuple") => named(*l),
                    Some(l) if !listed(l).is_empty() => listed(l),
                    _ => pos.clone(),
                };
                for n in names {
                    push(&mut self.facts, broker, Some(template(n, src)), Access::Read);
                }
                // redis-py: `subscribe(**{CHANNEL: handler})` and `subscribe(channel=handler)` name
                // channels by their keys (kafka-python's keywords, `topics=`/`pattern=`, do not).
                if broker == "redis" {
                    for a in named(args) {
                        let keys: Vec<Template> = match a.kind_name() {
                            "dictionary_splat" => a
                                .named_child(0)
                                .filter(|d| d.kind_name() == "dictionary")
                                .map(|d| {
                                    let pairs = named(d).into_iter().filter(|p| p.kind_name() == "pair");
                                    pairs.filter_map(|p| p.field("key")).map(|k| template(k, src)).collect()
                                })
                                .unwrap_or_default(),
                            "keyword_argument" => {
                                a.field("name").map(|k| lit(query::text(k, src))).into_iter().collect()
                            }
                            _ => Vec::new(),
                        };
                        for k in keys {
                            push(&mut self.facts, broker, Some(k), Access::Read);
                        }
                    }
                }
            }
            "publish" => {
                // A parameter of the function around (`TopicArn=topic_arn`) is named by its callers.
                if let Some(t) = kwarg(args, "TopicArn", src) {
                    push(&mut self.facts, "sns", Some(tpl(t)), Access::Write);
                } else if self.mentions_redis && !obj.is_empty() {
                    push(&mut self.facts, "redis", first(), Access::Write);
                }
            }
            // Redis Streams: `xadd("orders", fields)` appends; `xread({"orders": "$"})` and
            // `xreadgroup(group, consumer, {"orders": ">"})` read the streams their dict names.
            "xadd" if self.mentions_redis => {
                let s = first().or_else(|| kwarg(args, "name", src).map(tpl));
                push(&mut self.facts, "redis", s, Access::Write);
            }
            "xread" | "xreadgroup" if self.mentions_redis => {
                let at = usize::from(last == "xreadgroup") * 2;
                let streams = kwarg(args, "streams", src).or_else(|| pos.get(at).copied());
                if let Some(d) = streams.filter(|d| d.kind_name() == "dictionary") {
                    let keys = named(d).into_iter().filter(|p| p.kind_name() == "pair");
                    for k in keys.filter_map(|p| p.field("key")) {
                        push(&mut self.facts, "redis", Some(tpl(k)), Access::Read);
                    }
                }
            }
            "rpush" | "lpush" | "blpop" | "brpop" if self.mentions_redis => {
                let access = if last.ends_with("push") { Access::Write } else { Access::Read };
                push(&mut self.facts, "redis", first(), access);
            }
            "send_message" | "receive_message" => {
                let q = kwarg(args, "QueueUrl", src).map(tpl);
                let access = if last == "send_message" { Access::Write } else { Access::Read };
                push(&mut self.facts, "sqs", q, access);
            }
            // aio_pika: `queue = await channel.declare_queue("q")` … `await queue.consume(cb)`.
            "declare_queue" => {
                let q = first().or_else(|| kwarg(args, "name", src).map(|n| template(n, src)));
                if let (Some(var), Some(q)) = (assigned_to(args, src), q) {
                    self.aio_queues.push((field_key(args, var), q, line));
                }
            }
            "consume" if !obj.is_empty() => self.aio_consumes.push((field_key(args, obj.to_string()), line)),
            _ => {}
        }
    }

    /// An MQTT client's `publish`/`subscribe` (paho-mqtt, aiomqtt, gmqtt): in a file naming
    /// MQTT, on a receiver; a file naming Redis or Kafka too only on a receiver named for
    /// MQTT (`mqtt_client.publish`), and never an SNS `publish(TopicArn=…)`.
    fn mqtt_op(&self, obj: &str, last: &str, args: Node, pos: &[Node], src: &[u8]) -> bool {
        if !self.mentions_mqtt || obj.is_empty() || !matches!(last, "publish" | "subscribe") {
            return false;
        }
        if kwarg(args, "TopicArn", src).is_some() || pos.is_empty() && kwarg(args, "topic", src).is_none() {
            return false;
        }
        !(self.mentions_redis || self.mentions_kafka || self.mentions_other_pubsub)
            || obj.to_ascii_lowercase().contains("mqtt")
    }

    /// A Starlette `Route`/`WebSocketRoute`/`Mount` or an aiohttp `web.get(…)` in a
    /// route list: a route (or a mount) on the router that list belongs to.
    fn listed(&mut self, call: Node, func: &str, args: Option<Node>, src: &[u8], line: u32) {
        let Some(args) = args else { return };
        let Some(owner) = list_owner(call, src) else { return };
        let (pos, _) = split_args(args);
        let kind = func.rsplit('.').next().unwrap_or(func);
        let arg = |i: usize| pos.get(i).copied();
        let (path, methods, handler) = match kind {
            "Mount" => {
                let Some(path) = arg(0).or_else(|| kwarg(args, "path", src)) else { return };
                let name = synthetic(call);
                self.router_here(&name, "starlette", line);
                self.mount_here(&owner, &name, template(path, src), line);
                // Mount("/p", routes=ROUTES) or Mount("/p", app=sub_app): a named child.
                let child = kwarg(args, "routes", src).or_else(|| kwarg(args, "app", src)).or_else(|| arg(1));
                if let Some(c) = child.filter(|c| matches!(c.kind_name(), "identifier" | "attribute")) {
                    self.mount_here(&name, &text_of(c, src), Template::new(), line);
                }
                return;
            }
            "Route" => {
                let handler = arg(1).or_else(|| kwarg(args, "endpoint", src)).map(|h| text_of(h, src));
                // A class endpoint (HTTPEndpoint) answers the methods it defines: ANY.
                let default = match &handler {
                    Some(h) if h.rsplit('.').next().is_some_and(|l| l.starts_with(char::is_uppercase)) => "ANY",
                    _ => "GET",
                };
                let methods = methods_kw(args, src).unwrap_or_else(|| vec![default.into()]);
                (arg(0).or_else(|| kwarg(args, "path", src)), methods, handler)
            }
            "WebSocketRoute" => (arg(0), vec!["WS".into()], arg(1).map(|h| text_of(h, src))),
            "route" => (arg(1), vec![aiohttp_method(arg(0), src)], arg(2).map(|h| text_of(h, src))),
            "view" => (arg(0), vec!["ANY".into()], arg(1).map(|h| text_of(h, src))),
            m => (arg(0), vec![m.to_ascii_uppercase()], arg(1).map(|h| text_of(h, src))),
        };
        let Some(path) = path else { return };
        self.router_here(&owner, "", line);
        let framework = if kind.chars().next().is_some_and(char::is_uppercase) { "starlette" } else { "aiohttp" };
        self.facts.routes.push(RawRoute {
            framework: framework.into(),
            router: owner,
            methods,
            path: template(path, src),
            handler,
            line,
        });
    }

    /// aiohttp's `app.router.add_get("/p", h)`, `add_route("GET", "/p", h)`,
    /// `add_routes(routes)`, `add_subapp("/p", sub)`; Starlette's `add_route("/p", h)`.
    fn aiohttp(&mut self, router: &str, method: &str, args: Option<Node>, src: &[u8], line: u32) {
        let Some(args) = args else { return };
        let (pos, _) = split_args(args);
        let router = router.strip_suffix(".router").unwrap_or(router);
        let arg = |i: usize| pos.get(i).copied();
        if method == "add_route" && self.route_table(router, args, src, line) {
            return;
        }
        let (path, methods, handler) = match method {
            "add_routes" => {
                if let Some(c) = arg(0).filter(|c| matches!(c.kind_name(), "identifier" | "attribute")) {
                    self.mount_here(router, &text_of(c, src), Template::new(), line);
                }
                return;
            }
            "add_subapp" => {
                if let (Some(p), Some(c)) = (arg(0), arg(1)) {
                    self.mount_here(router, &text_of(c, src), template(p, src), line);
                }
                return;
            }
            // Starlette's add_route(path, endpoint, methods=[…]) starts with the path.
            "add_route" if arg(0).and_then(|a| string_value(a, src)).is_some_and(|p| p.starts_with('/')) => {
                (arg(0), methods_kw(args, src).unwrap_or_else(|| vec!["GET".into()]), arg(1))
            }
            "add_route" => (arg(1), vec![aiohttp_method(arg(0), src)], arg(2)),
            "add_view" => (arg(0), vec!["ANY".into()], arg(1)),
            m => (arg(0), vec![m.trim_start_matches("add_").to_ascii_uppercase()], arg(1)),
        };
        let Some(path) = path else { return };
        self.facts.routes.push(RawRoute {
            framework: "aiohttp".into(),
            router: router.to_string(),
            methods,
            path: template(path, src),
            handler: handler.map(|h| text_of(h, src)),
            line,
        });
    }

    /// aiohttp's route table of tuples added in a loop (the aiohttp tutorial's layout):
    /// `routes = [("GET", "/login", login), …]` at module level (or the list written in
    /// the `for`), then `for r in routes: app.router.add_route(*r)` or `for method, path,
    /// handler in routes: app.router.add_route(method, path, handler)`: a route per tuple,
    /// at its line; a tuple whose method or path is no literal is a note, and so is a table
    /// the module does not assign (imported). False when the call is no such loop's.
    fn route_table(&mut self, router: &str, args: Node, src: &[u8], line: u32) -> bool {
        let pos: Vec<Node> = named(args).into_iter().filter(|a| a.kind_name() != "comment").collect();
        let Some(&first) = pos.first() else { return false };
        let Some(lp) = query::ancestors(first, 8).find(|a| a.kind_name() == "for_statement") else { return false };
        let (Some(left), Some(right)) = (lp.field("left"), lp.field("right")) else {
            return false;
        };
        // The tuple index each of `add_route`'s method, path and handler takes.
        let index: Vec<Option<usize>> = match (first.kind_name(), left.kind_name()) {
            ("list_splat", "identifier")
                if first.named_child(0).is_some_and(|n| query::text(n, src) == query::text(left, src)) =>
            {
                vec![Some(0), Some(1), Some(2)]
            }
            ("identifier", "pattern_list" | "tuple_pattern") => {
                let names: Vec<&str> = named(left).into_iter().map(|n| query::text(n, src)).collect();
                pos.iter().take(3).map(|a| names.iter().position(|n| *n == query::text(*a, src))).collect()
            }
            _ => return false,
        };
        let (Some(&Some(m)), Some(&Some(p))) = (index.first(), index.get(1)) else { return false };
        let rows = if matches!(right.kind_name(), "list" | "tuple") {
            named(right)
        } else {
            module_list(query::ancestors(lp, 256).last().unwrap_or(lp), right, src)
        };
        if rows.is_empty() {
            let why = format!(
                "aiohttp route table `{}` is not a list this module assigns: its routes are not read",
                query::text(right, src)
            );
            self.facts.notes.push((line, why));
        }
        for row in rows.into_iter().filter(|r| matches!(r.kind_name(), "tuple" | "list")) {
            let items = named(row);
            let (Some(&mn), Some(&pn)) = (items.get(m), items.get(p)) else { continue };
            let line = query::line(row);
            if string_value(mn, src).is_none() || string_value(pn, src).is_none() {
                self.facts.notes.push((line, "aiohttp route table entry built at run time: not an endpoint".into()));
                continue;
            }
            let handler = index.get(2).copied().flatten().and_then(|h| items.get(h)).map(|h| text_of(*h, src));
            self.facts.routes.push(RawRoute {
                framework: "aiohttp".into(),
                router: router.to_string(),
                methods: vec![aiohttp_method(Some(mn), src)],
                path: template(pn, src),
                handler,
                line,
            });
        }
        true
    }

    fn router_here(&mut self, name: &str, framework: &str, line: u32) {
        self.facts.routers.push(RawRouter {
            name: name.to_string(),
            framework: framework.into(),
            prefix: Template::new(),
            line,
        });
    }

    fn mount_here(&mut self, parent: &str, child: &str, prefix: Template, line: u32) {
        self.facts.mounts.push(RawMount { parent: parent.into(), child: child.into(), prefix, line });
    }

    /// Peewee models of this file: classes whose chain of bases in the file reaches
    /// `Model`, named by `class Meta: table_name` or the lower-cased class name. A base
    /// that other models extend and that declares no field is abstract (`BaseModel`).
    fn peewee(&mut self) {
        let is_model = |name: &str| {
            let mut cur = name.to_string();
            for _ in 0..8 {
                let Some((bases, _, _)) = self.classes.get(&cur) else { return false };
                // `Model`, `peewee.Model`, a database's `db.Model` (FlaskDB, pwasyncio), playhouse's
                // full-text search tables.
                if bases.iter().any(|b| PEEWEE_BASES.binary_search(&b.rsplit('.').next().unwrap_or(b)).is_ok()) {
                    return true;
                }
                match bases.first() {
                    Some(b) => cur.clone_from(b),
                    None => return false,
                }
            }
            false
        };
        let models: Vec<String> = self.classes.keys().filter(|c| is_model(c)).cloned().collect();
        for class in &models {
            let (_, body, line) = &self.classes[class];
            let extended = models.iter().any(|m| self.classes[m].0.contains(class));
            let has_field = body.lines().any(|l| l.contains("Field(") || l.contains("ForeignKey"));
            if extended && !has_field {
                continue;
            }
            let name = meta_string(body, "table_name").or_else(|| meta_string(body, "db_table"));
            let name = name.unwrap_or_else(|| class.to_lowercase());
            self.facts.tables.push(RawTable {
                orm: "peewee".into(),
                name: Some(name),
                class_name: Some(class.clone()),
                line: *line,
            });
        }
    }

    /// Beanie documents (`class TodoList(Document)`): a MongoDB collection named by
    /// the class's `class Settings: name = "…"` (`class Collection` before Beanie 1.0),
    /// else the class name, as Beanie does. Their `TodoList.find(…)` uses are the
    /// Peewee-shaped class calls, counted only for mapped classes (resolve/tables.rs).
    fn beanie(&mut self) {
        for (class, (bases, body, line)) in &self.classes {
            if !bases.iter().any(|b| b == "Document" || b == "beanie.Document") {
                continue;
            }
            let name = nested_string(body, "class Settings", "name")
                .or_else(|| nested_string(body, "class Collection", "name"));
            self.facts.tables.push(RawTable {
                orm: "beanie".into(),
                name: Some(name.unwrap_or_else(|| class.clone())),
                class_name: Some(class.clone()),
                line: *line,
            });
        }
    }

    /// redis-om models (`class Product(HashModel)`, `JsonModel`, and classes of the file
    /// extending one): stored in Redis, whichever connection `class Meta: database` names,
    /// so their class calls (`Product.get(pk)`, `Product.all_pks()`) are uses of the one
    /// `redis` datastore (resolve/tables.rs). An `EmbeddedJsonModel` is stored inside its
    /// parent, not on its own.
    fn redis_om(&mut self) {
        let base_of = |b: &String| REDIS_OM_BASES.binary_search(&b.rsplit('.').next().unwrap_or(b)).is_ok();
        let mut models: Vec<&String> = Vec::new();
        for (class, (bases, _, _)) in &self.classes {
            let mut cur = (class, bases);
            for _ in 0..8 {
                if cur.1.iter().any(base_of) {
                    models.push(class);
                    break;
                }
                match cur.1.first().and_then(|b| self.classes.get_key_value(b)) {
                    Some((c, (b, _, _))) => cur = (c, b),
                    None => break,
                }
            }
        }
        for class in models {
            self.facts.tables.push(RawTable {
                orm: "redis-om".into(),
                name: Some("redis".into()),
                class_name: Some(class.clone()),
                line: self.classes[class].2,
            });
        }
    }

    /// Classes of a Django file that do not extend `models.Model` directly: models
    /// when a base of theirs is one (`class Article(TimestampedModel)`), which only the
    /// whole project can tell (`resolve/tables.rs`).
    fn django_subclasses(&mut self) {
        let classes = std::mem::take(&mut self.classes);
        for (class, (bases, body, line)) in &classes {
            if bases.iter().any(|b| b.ends_with("models.Model")) || self.facts.classes.iter().any(|c| &c.class == class)
            {
                continue;
            }
            self.facts.classes.push(RawClass {
                class: class.clone(),
                bases: bases.clone(),
                actions: Vec::new(),
                handlers: Vec::new(),
                extra: Vec::new(),
                lookup: None,
                table: meta_string(body, "db_table"),
                abstract_model: is_abstract(body),
                m2m: m2m_fields(body),
                line: *line,
            });
        }
    }

    /// The join tables Django creates for `ManyToManyField`s without `through=`:
    /// `<app>_<model>_<field>` (the app is known in resolution), or
    /// `<db_table>_<field>` when `Meta.db_table` names the model's table.
    fn m2m_tables(&mut self, class: &str, db_table: Option<&str>, body: &str, line: u32) {
        for field in m2m_fields(body) {
            self.facts.tables.push(RawTable {
                orm: "django-m2m".into(),
                name: db_table.map(|t| format!("{t}_{field}")),
                class_name: Some(format!("{}_{field}", class.to_lowercase())),
                line,
            });
        }
    }

    /// Keep the calls whose receiver is an HTTP client; return the facts.
    /// The facts of the file; `imported_from` names the module a local name was imported
    /// from (`Session` → `sqlmodel` for `from sqlmodel import Session`, `requests` → `requests`).
    pub fn finish(mut self, imported_from: &dyn Fn(&str) -> Option<String>) -> ArchFacts {
        if self.mentions_peewee {
            self.peewee();
        }
        if self.mentions_beanie {
            self.beanie();
        }
        if self.mentions_redis {
            self.redis_om();
        }
        if self.mentions_django && !self.mentions_peewee {
            self.django_subclasses();
        }
        for (class, op, line) in std::mem::take(&mut self.peewee_uses) {
            if class.starts_with(|c: char| c.is_ascii_uppercase()) {
                let access =
                    if PEEWEE_WRITES.binary_search(&op.as_str()).is_ok() { Access::Write } else { Access::Read };
                // `peewee:`: a use that counts only for a class Peewee maps (resolve/tables.rs).
                self.facts.table_uses.push(RawTableUse {
                    name: class,
                    via_class: true,
                    access,
                    store: "peewee".into(),
                    line,
                });
            }
        }
        self.apply_prefix_sets();
        let members = std::mem::take(&mut self.enum_member_lines);
        self.facts.consts.retain(|c| !members.iter().any(|(n, l)| *n == c.name && *l == c.line));
        for (obj, line) in std::mem::take(&mut self.aio_consumes) {
            // The queue the name was last bound to above the call; a `self` field, the one
            // queue its class binds it to anywhere (two different ones: not known).
            let bound = if obj.contains('@') {
                let mut names = self.aio_queues.iter().filter(|(v, _, _)| *v == obj);
                let one = names.next();
                one.filter(|(_, q, _)| names.all(|(_, other, _)| other == q))
            } else {
                self.aio_queues.iter().filter(|(v, _, l)| *v == obj && *l <= line).max_by_key(|(_, _, l)| *l)
            };
            if let Some((_, q, _)) = bound {
                self.facts.queues.push(RawQueue {
                    broker: "rabbitmq".into(),
                    name: q.clone(),
                    access: Access::Read,
                    line,
                    key: None,
                    rpc: false,
                });
            }
        }
        // A settings field is the environment read it stands for, in place of the
        // literal `const.def` saw at its line.
        for (name, value, line) in std::mem::take(&mut self.settings) {
            match self.facts.consts.iter_mut().find(|c| c.name == name && c.line == line) {
                Some(c) => c.value = value,
                None => arch::push_const(&mut self.facts, name, value, line),
            }
        }
        self.facts.built_urls = std::mem::take(&mut self.built_calls);
        let kv_ops = std::mem::take(&mut self.kv_ops);
        self.facts.table_uses.extend(arch::redis_uses(&self.kv_clients, kv_ops));
        for r in std::mem::take(&mut self.called_routes) {
            if self.facts.routers.iter().any(|d| d.name == r.router) {
                self.facts.routes.push(r);
            }
        }
        for c in std::mem::take(&mut self.candidates) {
            let module = c.client.rsplit('.').next().unwrap_or(&c.client);
            let url = if methodless(&c.client).is_some()
                || CLIENT_MODULES.binary_search(&module).is_ok() && !c.client.contains('.')
            {
                c.url
            } else if let Some(base) = self.clients.get(&c.client).filter(|_| self.http_ctor(&c.client, imported_from))
            {
                let mut u = base.clone();
                push_parts(&mut u, c.url);
                u
            } else {
                continue;
            };
            let call = RawCall { client: c.client, method: c.method, url, line: c.line };
            if let Some(m) = c.request.as_ref().and_then(|m| self.method_call(m, &call)) {
                self.facts.method_calls.push(m);
                continue;
            }
            match c.wrapper {
                // The URL must be the parameter, then literal text only (`requests.get(url + "/x")`).
                Some((name, param)) if call.url.iter().skip(c.at + 1).all(|p| matches!(p, Part::Lit(_))) => {
                    self.facts.wrappers.push(RawWrapper {
                        name,
                        param,
                        call,
                        method_param: None,
                        method_arg: c.method_arg,
                        at: c.at,
                        params: c.params,
                        choice: None,
                        forwards: None,
                        joined: false,
                        key: None,
                    });
                }
                _ => self.facts.calls.push(call),
            }
        }
        self.facts
    }
}

/// The MongoDB collection a name or a `self` field holds: its one assignment in the
/// function (or module level, or the class for `self.col`) is `db["x"]`, `db.x` (a
/// receiver naming a database: `db`, `self.db`, `database`) or `….get_collection("x")`.
fn held_collection(var: Node, src: &[u8]) -> Option<String> {
    let v = held_value(var, src)?;
    let database = |n: Node| {
        let t = query::text(n, src).to_ascii_lowercase();
        t.rsplit('.').next().is_some_and(|l| l.contains("db") || l.contains("database"))
    };
    match v.kind_name() {
        "subscript" if v.field("value").is_some_and(database) => {
            v.field("subscript").and_then(|k| string_value(k, src))
        }
        "attribute" if v.field("object").is_some_and(database) => v.field("attribute").map(|a| text_of(a, src)),
        "call" => {
            let f = v.field("function").filter(|f| f.kind_name() == "attribute")?;
            if f.field("attribute").is_none_or(|a| query::text(a, src) != "get_collection") {
                return None;
            }
            let args = v.field("arguments")?;
            split_args(args).0.first().and_then(|a| string_value(*a, src))
        }
        _ => None,
    }
}

/// The one value a name or a `self` field holds: its one assignment in the function
/// around it (else at module level), or for `self.x` in its class's methods.
pub(super) fn held_value<'t>(var: Node<'t>, src: &[u8]) -> Option<Node<'t>> {
    let target = query::text(var, src);
    // The scopes to look in, innermost first: a name not assigned in its function is the module's.
    let scopes: Vec<Node> = match var.kind_name() {
        "identifier" => query::ancestors(var, 64)
            .filter(|a| matches!(a.kind_name(), "function_definition" | "module"))
            .filter_map(|f| if f.kind_name() == "module" { Some(f) } else { f.field("body") })
            .take(2)
            .collect(),
        "attribute" if var.field("object").is_some_and(|o| query::text(o, src) == "self") => {
            vec![query::ancestors(var, 64).find(|a| a.kind_name() == "class_definition")?.field("body")?]
        }
        _ => return None,
    };
    let nested = var.kind_name() == "attribute";
    let mut values = Vec::new();
    for scope in scopes {
        let mut stack = named(scope);
        while let Some(n) = stack.pop() {
            match n.kind_name() {
                "class_definition" => continue,
                "function_definition" if !nested => continue,
                "assignment" if n.field("left").is_some_and(|l| query::text(l, src) == target) => {
                    values.extend(n.field("right"));
                }
                _ => {}
            }
            stack.extend(named(n));
        }
        if !values.is_empty() {
            break;
        }
    }
    match values.as_slice() {
        [v] => Some(*v),
        _ => None,
    }
}

impl Collector<'_> {
    /// A request in a method whose URL starts with a field `__init__` sets from a
    /// parameter (or on a client made there with that `base_url`): the base is the
    /// constructions', then a parameter of the method followed by literal text (a
    /// wrapper), or any other text (a request of its own).
    fn method_call(&self, m: &super::py_classes::MethodRequest, call: &RawCall) -> Option<RawMethodCall> {
        use super::py_classes::Atom;
        let mut atoms = m.atoms.clone();
        if let Some((_, base)) = self.client_bases.get(&call.client).filter(|(c, _)| *c == m.class) {
            atoms.insert(0, Atom::Base(base.0, base.1.clone()));
        }
        let Some(Atom::Base(i, p)) = atoms.first() else { return None };
        let base = (*i, p.clone());
        let (param, rest) = match &atoms[1..] {
            [Atom::Arg(j), rest @ ..] if rest.iter().all(|a| matches!(a, Atom::Part(Part::Lit(_)))) => (Some(*j), rest),
            rest => (None, rest),
        };
        let mut url = Template::new();
        for a in rest {
            match a {
                Atom::Part(p) => push_parts(&mut url, vec![p.clone()]),
                Atom::Arg(j) => {
                    push_parts(&mut url, vec![Part::Param(m.params.get(*j)?.trim_start_matches('*').to_string())])
                }
                Atom::Base(..) => return None,
            }
        }
        let call = RawCall { url, ..call.clone() };
        Some(RawMethodCall { class: m.class.clone(), method: m.method.clone(), base, param, call })
    }
}

/// What `include(x)` names: a dotted urls module (`include:shop.urls`), or a router
/// whose `.urls` it takes (`include(router.urls)`, `include((router.urls, "app"))`).
fn included(n: Node, src: &[u8]) -> String {
    if let Some(s) = string_value(n, src) {
        return format!("include:{s}");
    }
    match n.kind_name() {
        "tuple" | "parenthesized_expression" => named(n).first().map_or_else(String::new, |c| included(*c, src)),
        "attribute" if n.field("attribute").is_some_and(|a| query::text(a, src) == "urls") => {
            n.field("object").map(|o| text_of(o, src)).unwrap_or_default()
        }
        _ => text_of(n, src),
    }
}

/// The router a route list belongs to: `routes = [...]` (the variable),
/// `Starlette(routes=[...])` (the variable it is assigned to), `Mount("/p", routes=[...])`
/// (the mount), `app.add_routes([...])` (the receiver).
fn list_owner(call: Node, src: &[u8]) -> Option<String> {
    let list = call.parent().filter(|p| p.kind_name() == "list")?;
    let mut up = list.parent()?;
    while up.kind_name() == "binary_operator" || up.kind_name() == "parenthesized_expression" {
        up = up.parent()?;
    }
    match up.kind_name() {
        "assignment" | "augmented_assignment" => up.field("left").map(|l| text_of(l, src)),
        "keyword_argument" => {
            let ctor = up.parent()?.parent().filter(|c| c.kind_name() == "call")?;
            let func = ctor.field("function").map(|f| text_of(f, src)).unwrap_or_default();
            if func.rsplit('.').next() == Some("Mount") {
                return Some(synthetic(ctor));
            }
            let assigned = ctor.parent().filter(|a| a.kind_name() == "assignment");
            Some(assigned.and_then(|a| a.field("left")).map_or_else(|| synthetic(ctor), |l| text_of(l, src)))
        }
        "argument_list" => {
            let f = up.parent()?.field("function").filter(|f| f.kind_name() == "attribute")?;
            let obj = text_of(f.field("object")?, src);
            Some(obj.strip_suffix(".router").map(String::from).unwrap_or(obj))
        }
        _ => None,
    }
}

/// aiohttp's method argument: `"GET"`, or `"*"` for every method.
fn aiohttp_method(arg: Option<Node>, src: &[u8]) -> String {
    let m = arg.and_then(|m| string_value(m, src)).unwrap_or_default();
    if m == "*" {
        "ANY".to_string()
    } else {
        m.to_ascii_uppercase()
    }
}

/// A name for a router written inline (`Mount(…)`): unique in its file.
fn synthetic(n: Node) -> String {
    let p = n.start_position();
    format!("<inline@{}:{}>", p.row + 1, p.column)
}

/// A Django REST framework viewset: the standard actions it defines, its `@action`
/// routes and its lookup field.
pub(super) fn viewset(class: String, bases: Vec<String>, body: Node, src: &[u8], line: u32) -> RawClass {
    let mut v = RawClass {
        class,
        bases,
        actions: Vec::new(),
        handlers: Vec::new(),
        extra: Vec::new(),
        lookup: None,
        table: None,
        abstract_model: false,
        m2m: Vec::new(),
        line,
    };
    for item in named(body) {
        let (def, decorators) = match item.kind_name() {
            "decorated_definition" => {
                (item.field("definition"), named(item).into_iter().filter(|d| d.kind_name() == "decorator").collect())
            }
            "function_definition" => (Some(item), Vec::new()),
            "expression_statement" => {
                if let Some(a) = item.named_child(0).filter(|a| a.kind_name() == "assignment") {
                    let key = a.field("left").map(|l| text_of(l, src)).unwrap_or_default();
                    let value = a.field("right").and_then(|r| string_value(r, src));
                    if key == "lookup_url_kwarg" || key == "lookup_field" && v.lookup.is_none() {
                        v.lookup = value.or(v.lookup);
                    }
                }
                continue;
            }
            _ => continue,
        };
        let Some(def) = def.filter(|d| d.kind_name() == "function_definition") else { continue };
        let name = def.field("name").map(|n| text_of(n, src)).unwrap_or_default();
        if DRF_ACTIONS.binary_search_by(|(a, _, _)| (*a).cmp(name.as_str())).is_ok() {
            v.actions.push(name.clone());
        }
        if arch::HTTP_METHODS.binary_search(&name.as_str()).is_ok() && name != "all" {
            v.handlers.push(name.clone());
        }
        for d in decorators {
            let Some(call) = d.named_child(0).filter(|c| c.kind_name() == "call") else { continue };
            let func = call.field("function").map(|f| text_of(f, src)).unwrap_or_default();
            let detail = match func.rsplit('.').next().unwrap_or("") {
                "action" => call
                    .field("arguments")
                    .and_then(|a| kwarg(a, "detail", src))
                    .is_some_and(|x| x.kind_name() == "true"),
                "detail_route" => true,
                "list_route" => false,
                _ => continue,
            };
            let args = call.field("arguments");
            let methods = args.and_then(|a| methods_kw(a, src)).unwrap_or_else(|| vec!["GET".into()]);
            let path = args.and_then(|a| kwarg(a, "url_path", src)).and_then(|p| string_value(p, src));
            v.extra.push((detail, methods, path.unwrap_or_else(|| name.clone()), query::line(d)));
        }
    }
    v
}

/// The `X.as_view(…)` a Django route's view wraps, or the view itself: a decorator
/// called on it (`login_required(X.as_view())`, `cache_page(60)(X.as_view())`) leaves
/// the class's methods as they are.
fn class_view<'t>(view: Node<'t>, src: &[u8]) -> Node<'t> {
    let mut inner = view;
    while inner.kind_name() == "call" {
        let func = inner.field("function");
        let attr = func.filter(|f| f.kind_name() == "attribute").and_then(|f| f.field("attribute"));
        if attr.is_some_and(|a| query::text(a, src) == "as_view") {
            return inner;
        }
        let Some(args) = inner.field("arguments") else { break };
        match split_args(args) {
            (pos, kw) if pos.len() == 1 && kw.is_empty() => inner = pos[0],
            _ => break,
        }
    }
    view
}

/// The elements of the list or tuple the module assigns once, at its top level, to the
/// identifier `name` (`TOPICS = ["user.delete"]`); nothing for any other name.
fn module_list<'t>(root: Node<'t>, name: Node, src: &[u8]) -> Vec<Node<'t>> {
    if name.kind_name() != "identifier" {
        return Vec::new();
    }
    let name = query::text(name, src);
    let assigned: Vec<Node> = named(root)
        .into_iter()
        .filter(|s| s.kind_name() == "expression_statement")
        .filter_map(|s| s.named_child(0).filter(|a| a.kind_name() == "assignment"))
        .filter(|a| a.field("left").is_some_and(|l| query::text(l, src) == name))
        .filter_map(|a| a.field("right"))
        .collect();
    match assigned.as_slice() {
        [one] if matches!(one.kind_name(), "list" | "tuple") => named(*one),
        _ => Vec::new(),
    }
}

/// Positional and keyword arguments of an `argument_list`.
/// The topics of an MQTT `publish`/`subscribe`: `client.publish("sensors/temp", payload)`
/// publishes; `client.subscribe("a/+/b")`, `subscribe(("a", 0))` and
/// `subscribe([("a", 0), ("b", 1)])` consume each topic, as written (MQTT's wildcards
/// `+` and `#` included).
fn mqtt_topics<'t>(last: &str, args: Node<'t>, pos: &[Node<'t>], src: &[u8]) -> Vec<(Node<'t>, Access)> {
    let Some(first) = pos.first().copied().or_else(|| kwarg(args, "topic", src)) else { return Vec::new() };
    if last == "publish" {
        return vec![(first, Access::Write)];
    }
    // A tuple is one `(topic, qos)`; a list holds topics or such tuples.
    let topic = |n: Node<'t>| if n.kind_name() == "tuple" { n.named_child(0) } else { Some(n) };
    let topics: Vec<Node> = match first.kind_name() {
        "list" => named(first).into_iter().filter_map(topic).collect(),
        _ => topic(first).into_iter().collect(),
    };
    topics.into_iter().map(|t| (t, Access::Read)).collect()
}

pub(super) fn split_args(args: Node) -> (Vec<Node>, Vec<Node>) {
    let (mut pos, mut kw) = (Vec::new(), Vec::new());
    for n in named(args) {
        match n.kind_name() {
            "keyword_argument" => kw.push(n),
            "comment" | "list_splat" | "dictionary_splat" => {}
            _ => pos.push(n),
        }
    }
    (pos, kw)
}

pub(super) fn named(n: Node) -> Vec<Node> {
    let mut c = n.walk();
    n.named_children(&mut c).filter(|n| n.kind_name() != "comment").collect()
}

/// The value of keyword argument `key`.
pub(super) fn kwarg<'t>(args: Node<'t>, key: &str, src: &[u8]) -> Option<Node<'t>> {
    split_args(args).1.into_iter().find_map(|k| {
        let name = k.field("name")?;
        (query::text(name, src) == key).then(|| k.field("value")).flatten()
    })
}

/// `methods=["GET", "POST"]`, upper-cased.
fn methods_kw(args: Node, src: &[u8]) -> Option<Vec<String>> {
    let list = kwarg(args, "methods", src)?;
    let v: Vec<String> =
        named(list).into_iter().filter_map(|n| string_value(n, src)).map(|s| s.to_ascii_uppercase()).collect();
    (!v.is_empty()).then_some(v)
}

/// `app.config["ORDERS_URI"]` → `app.config[ORDERS_URI]`: a subscript of a name by a
/// string literal, the same text whether it is assigned or read.
fn keyed_name(n: Node, src: &[u8]) -> Option<String> {
    if n.kind_name() != "subscript" {
        return None;
    }
    let value = n.field("value").filter(|v| matches!(v.kind_name(), "identifier" | "attribute"))?;
    let key = n.field("subscript").and_then(|k| string_value(k, src))?;
    Some(format!("{}[{key}]", query::text(value, src)))
}

/// Start of a reference to an INI file's key, `INI section \u{2} option`
/// (`SYS_CONFIG["kafka-topics"]["orders"]`): resolution reads it in the service's INI
/// files (`resolve/ini.rs`), else it is the parameter `{option}`.
pub const INI: &str = "ini\u{2}";

/// `X["section"]["option"]` (`X` a name or an attribute, not `os.environ`), both keys
/// plain string literals: the reference [`INI`] to that key.
fn ini_ref(n: Node, src: &[u8]) -> Option<String> {
    let inner = n.field("value").filter(|v| v.kind_name() == "subscript")?;
    let base = inner.field("value").filter(|v| matches!(v.kind_name(), "identifier" | "attribute"))?;
    if query::text(base, src).ends_with("environ") {
        return None;
    }
    let section = inner.field("subscript").and_then(|k| string_value(k, src))?;
    let option = n.field("subscript").and_then(|k| string_value(k, src))?;
    ini_marker(&section, &option)
}

/// The [`INI`] reference to `section`/`option`, when both are plain text.
fn ini_marker(section: &str, option: &str) -> Option<String> {
    let plain = |s: &str| !s.is_empty() && !s.chars().any(char::is_control);
    (plain(section) && plain(option)).then(|| format!("{INI}{section}\u{2}{option}"))
}

/// Whether the file assigns `recv` a configparser parser (`config = configparser.ConfigParser()`,
/// `self.cfg = RawConfigParser(…)`): a line `recv = …ConfigParser(…`. Looked for only at a
/// `recv.get("a", "b")` with two literal arguments, in a file naming `ConfigParser`.
fn builds_config_parser(recv: &str, src: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(src) else { return false };
    if !text.contains("onfigParser(") {
        return false;
    }
    let assign = format!("{recv} = ");
    text.match_indices(&assign).any(|(at, _)| {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let rest = &text[at + assign.len()..];
        let line = rest.split('\n').next().unwrap_or(rest);
        text[line_start..at].trim().is_empty() && line.contains("onfigParser(")
    })
}

/// The section and option of an [`INI`] reference.
pub fn ini_key(name: &str) -> (&str, &str) {
    let key = name.strip_prefix(INI).unwrap_or(name);
    key.split_once('\u{2}').unwrap_or(("", key))
}

/// A dict read with a key known only at run time, in a route handler: `SERVICE_URLS[name]`
/// (or `SERVICE_URLS.get(name)`, see [`call_template`]) in a function a decorator
/// registers (`@app.api_route("/api/{path:path}")`), where the key comes from the request,
/// (a route decorator: [`ROUTE_VERBS`]) is any of the dict's values: the reference `SERVICE_URLS[*name]`, which resolution
/// reads as each entry of a dict constant of that name (`resolve/calls.rs`), else as the
/// parameter `{name}`. An entry of such a read, `SERVICES[name]["url"]`, is
/// `SERVICES[*name][url]`. In a function no decorator registers, the key may be what its
/// callers pass (one entry each, not every one): a parameter, as before.
fn any_entry(n: Node, src: &[u8]) -> Option<String> {
    let value = n.field("value")?;
    let key = n.field("subscript")?;
    if value.kind_name() == "subscript" {
        let inner = any_entry(value, src)?;
        return Some(format!("{inner}[{}]", string_value(key, src)?));
    }
    if !matches!(value.kind_name(), "identifier" | "attribute") || query::text(value, src).ends_with("environ") {
        return None;
    }
    entry_marker(value, key, n, src)
}

/// A URL's loop variable over a dict's values, `for name, url in SERVICE_URLS.items():`
/// (or `for url in SERVICE_URLS.values():`) around `at`: the loop reaches every value,
/// the reference `SERVICE_URLS[*url]` (see [`any_entry`]). Only a plain name the loop
/// binds; any other part is left as it is.
fn loop_entries(t: Template, at: Node, src: &[u8]) -> Template {
    if !t.iter().any(|p| matches!(p, Part::Ref(r) if is_ident(r))) {
        return t;
    }
    let loops: Vec<Node> = query::ancestors(at, 64).filter(|a| a.kind_name() == "for_statement").collect();
    if loops.is_empty() {
        return t;
    }
    let bound = |name: &str| {
        loops.iter().find_map(|l| {
            let (left, right) = (l.field("left")?, l.field("right")?);
            let func = right.field("function").filter(|_| right.kind_name() == "call")?;
            let dict = func.field("object").filter(|o| matches!(o.kind_name(), "identifier" | "attribute"))?;
            let method = query::text(func.field("attribute")?, src);
            let value = match (method, left.kind_name()) {
                ("values", "identifier") => left,
                ("items", "pattern_list" | "tuple_pattern") => match named(left).as_slice() {
                    [_, v] if v.kind_name() == "identifier" => *v,
                    _ => return None,
                },
                _ => return None,
            };
            (query::text(value, src) == name).then(|| format!("{}[*{name}]", text_of(dict, src)))
        })
    };
    t.into_iter()
        .map(|p| match p {
            Part::Ref(r) if is_ident(&r) => Part::Ref(bound(&r).unwrap_or(r)),
            p => p,
        })
        .collect()
}

/// `{k: v for k, v in SERVICES.items()}`, a dict comprehension copying every entry of
/// `SERVICES` as it is (no condition, no other clause): `SERVICES`.
fn dict_copy(v: Node, src: &[u8]) -> Option<String> {
    if v.kind_name() != "dictionary_comprehension" {
        return None;
    }
    let [body, clause] = named(v)[..] else { return None };
    if body.kind_name() != "pair" || clause.kind_name() != "for_in_clause" {
        return None;
    }
    let (left, right) = (clause.field("left")?, clause.field("right")?);
    let func = right.field("function").filter(|_| right.kind_name() == "call")?;
    let dict = func.field("object").filter(|o| matches!(o.kind_name(), "identifier" | "attribute"))?;
    if query::text(func.field("attribute")?, src) != "items" {
        return None;
    }
    let [k, val] = named(left)[..] else { return None };
    let same = |a: Option<Node>, b: Node| {
        a.is_some_and(|a| a.kind_name() == "identifier" && query::text(a, src) == query::text(b, src))
    };
    (same(body.field("key"), k) && same(body.field("value"), val)).then(|| text_of(dict, src))
}

/// pika's server-named queue, `result = ch.queue_declare('', exclusive=True)` (or
/// `queue=''`, or no name) read as `result.method.queue`, directly or through a local
/// assigned it once (`queue_name = result.method.queue`), in the function around `q`.
fn server_named_queue(q: Option<Node>, src: &[u8]) -> bool {
    let Some(q) = q else { return false };
    let Some(func) = query::ancestors(q, 64).find(|a| a.kind_name() == "function_definition") else { return false };
    let one = |name: &str| match assignments(name, func, src).as_deref() {
        Some([v]) => Some(*v),
        _ => None,
    };
    let value = match q.kind_name() {
        "identifier" => one(query::text(q, src)),
        "attribute" => Some(q),
        _ => None,
    };
    let Some(result) = value.and_then(|v| query::text(v, src).strip_suffix(".method.queue").filter(|r| is_ident(r)))
    else {
        return false;
    };
    let Some(mut call) = one(result) else { return false };
    if call.kind_name() == "await" {
        match named(call).first() {
            Some(c) => call = *c,
            None => return false,
        }
    }
    let declares = call.kind_name() == "call"
        && call.field("function").is_some_and(|f| query::text(f, src).ends_with(".queue_declare"));
    let Some(args) = call.field("arguments").filter(|a| declares && a.kind_name() == "argument_list") else {
        return false;
    };
    let name = split_args(args).0.first().copied().or_else(|| kwarg(args, "queue", src));
    name.is_none_or(|n| string_value(n, src).is_some_and(|v| v.is_empty()))
}

/// The last names of route decorators (`@app.get("/x")`, `@bp.route(…)`) whose function
/// handles a request: a dict key read there comes from the request ([`entry_marker`]).
const ROUTE_VERBS: &[&str] =
    &["api_route", "delete", "get", "head", "options", "patch", "post", "put", "route", "websocket"];

/// The marker `DICT[*key]` of [`any_entry`] for the dict `dict` read by the variable `key`
/// at `at`, when the function around `at` is decorated.
fn entry_marker(dict: Node, key: Node, at: Node, src: &[u8]) -> Option<String> {
    if key.kind_name() != "identifier" {
        return None;
    }
    let func = query::ancestors(at, 64).find(|a| a.kind_name() == "function_definition")?;
    let decorated = func.parent().filter(|p| p.kind_name() == "decorated_definition")?;
    // `@app.get(…)`, `@router.api_route(…)`: a route; not `@staticmethod`, `@lru_cache(…)`.
    let route = named(decorated).into_iter().filter(|d| d.kind_name() == "decorator").any(|d| {
        let call = d.named_child(0).filter(|c| c.kind_name() == "call");
        let verb = call.and_then(|c| c.field("function")).filter(|f| f.kind_name() == "attribute");
        verb.and_then(|f| f.field("attribute")).is_some_and(|a| ROUTE_VERBS.contains(&query::text(a, src)))
    });
    route.then(|| format!("{}[*{}]", text_of(dict, src), query::text(key, src)))
}

/// Whether the last character before `at` other than whitespace opens an argument
/// list or follows an operator: what starts there is part of an expression, not a
/// statement of its own.
fn after_operator(src: &[u8], at: usize) -> bool {
    let before = src.get(..at).unwrap_or_default();
    before.iter().rev().find(|b| !b.is_ascii_whitespace()).is_some_and(|b| b"(,=[{+%".contains(b))
}

pub(super) fn text_of(n: Node, src: &[u8]) -> String {
    query::text(n, src).to_string()
}

/// The value of a string literal without interpolations.
pub fn string_value(n: Node, src: &[u8]) -> Option<String> {
    match n.kind_name() {
        "string" => {
            let mut out = String::new();
            for c in named(n) {
                match c.kind_name() {
                    "string_content" | "escape_sequence" => out.push_str(query::text(c, src)),
                    "interpolation" => return None,
                    _ => {}
                }
            }
            Some(out)
        }
        "concatenated_string" => named(n).into_iter().map(|c| string_value(c, src)).collect(),
        _ => None,
    }
}

/// SQL text of a string: interpolations become `?` so the statement still parses.
fn sql_text(n: Node, src: &[u8]) -> String {
    let mut out = String::new();
    for c in named(n) {
        match c.kind_name() {
            "string_content" | "escape_sequence" => out.push_str(query::text(c, src)),
            // `f"SELECT * FROM {TABLE_NAME}"`: a name resolution may read as a constant.
            "interpolation" => {
                let e = c.field("expression");
                match e.filter(|e| e.kind_name() == "identifier" || e.kind_name() == "attribute") {
                    Some(e) => {
                        out.push(arch::SQL_NAME);
                        out.push_str(query::text(e, src));
                        out.push(arch::SQL_NAME);
                    }
                    // `{self.sys_config["db"]["table_orders"]}`: an INI file's key.
                    None => match e.and_then(|e| ini_ref(e, src)) {
                        Some(key) => {
                            out.push(arch::SQL_NAME);
                            out.push_str(&key);
                            out.push(arch::SQL_NAME);
                        }
                        None => out.push('?'),
                    },
                }
            }
            _ => {}
        }
    }
    out
}

/// A Python expression as a URL/route template.
pub fn template(n: Node, src: &[u8]) -> Template {
    match n.kind_name() {
        "string" => {
            let mut out = Template::new();
            for c in named(n) {
                match c.kind_name() {
                    "string_content" | "escape_sequence" => push_parts(&mut out, lit(query::text(c, src))),
                    "interpolation" => {
                        let e = c.field("expression").unwrap_or(c);
                        push_parts(&mut out, interpolation(e, src));
                    }
                    _ => {}
                }
            }
            out
        }
        "concatenated_string" => {
            let mut out = Template::new();
            named(n).into_iter().for_each(|c| push_parts(&mut out, template(c, src)));
            out
        }
        "binary_operator" if n.field("operator").is_some_and(|o| query::text(o, src) == "+") => {
            let mut out = Template::new();
            for f in ["left", "right"] {
                if let Some(c) = n.field(f) {
                    push_parts(&mut out, template(c, src));
                }
            }
            out
        }
        "binary_operator" if n.field("operator").is_some_and(|o| query::text(o, src) == "%") => {
            percent_format(n, src).unwrap_or_else(|| vec![Part::Param(param_name(n, src))])
        }
        "parenthesized_expression" => named(n).first().map(|c| template(*c, src)).unwrap_or_default(),
        "identifier" | "attribute" => vec![Part::Ref(text_of(n, src))],
        "subscript" => {
            let value = n.field("value").map(|v| query::text(v, src)).unwrap_or("");
            let key = n.field("subscript").and_then(|k| string_value(k, src));
            match (key, keyed_name(n, src)) {
                (Some(k), _) if value.ends_with("environ") => vec![Part::Env(k, None)],
                // Flask's `app.config["ORDERS_URI"]`, a settings dict: a constant set elsewhere.
                (_, Some(name)) => vec![Part::Ref(name)],
                // `SYS_CONFIG["kafka-topics"]["orders"]`: an INI file's key, if the service has one.
                _ if ini_ref(n, src).is_some() => vec![Part::Ref(ini_ref(n, src).unwrap_or_default())],
                _ => match any_entry(n, src) {
                    Some(marker) => vec![Part::Ref(marker)],
                    None => vec![Part::Param(param_name(n, src))],
                },
            }
        }
        "boolean_operator" => {
            // os.environ.get("X") or "http://default"
            let left = n.field("left").map(|c| template(c, src)).unwrap_or_default();
            let right = n.field("right").and_then(|c| string_value(c, src));
            match (left.as_slice(), right) {
                ([Part::Env(k, None)], Some(d)) => vec![Part::Env(k.clone(), Some(d))],
                _ => left,
            }
        }
        "call" => call_template(n, src),
        "conditional_expression" => conditional(n, src),
        _ => vec![Part::Param(param_name(n, src))],
    }
}

/// `'%s/products/%s' % (HOST, id)`: printf-style formatting of a plain string literal, each
/// conversion (`%s`, `%d`, `%05.2f`…) replaced by its argument's template in order (`%%` is
/// `%`). `None` for a mapping key (`%(host)s`), a `*` width, or arguments that do not match
/// the conversions one for one.
fn percent_format(n: Node, src: &[u8]) -> Option<Template> {
    let left = n.field("left").filter(|l| l.kind_name() == "string")?;
    if named(left).iter().any(|c| c.kind_name() == "interpolation") {
        return None;
    }
    let right = n.field("right")?;
    let args: Vec<Node> = match right.kind_name() {
        "tuple" => named(right).into_iter().filter(|c| c.kind_name() != "comment").collect(),
        _ => vec![right],
    };
    let text: String = named(left)
        .iter()
        .filter(|c| matches!(c.kind_name(), "string_content" | "escape_sequence"))
        .map(|c| query::text(*c, src))
        .collect();
    let mut out = Template::new();
    let mut args = args.into_iter();
    let mut chars = text.chars().peekable();
    let mut run = String::new();
    while let Some(c) = chars.next() {
        if c != '%' {
            run.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            run.push('%');
            continue;
        }
        while chars.peek().is_some_and(|c| matches!(c, '-' | '+' | ' ' | '#' | '.' | '0'..='9')) {
            chars.next();
        }
        let conv = chars.next()?;
        if !"sdirfFxXeEgGcoa".contains(conv) {
            return None;
        }
        if !run.is_empty() {
            push_parts(&mut out, lit(&std::mem::take(&mut run)));
        }
        push_parts(&mut out, template(args.next()?, src));
    }
    if args.next().is_some() {
        return None;
    }
    if !run.is_empty() {
        push_parts(&mut out, lit(&run));
    }
    Some(out)
}

/// A URL passed as a variable of the enclosing function (`url = base + "/x"` then
/// `requests.get(url)`): the value of its one assignment in that function, so
/// that same-named variables of other functions are not mistaken for it. A
/// variable assigned several times there is a parameter (which value reaches
/// the call is not known); a name the function never assigns is left to
/// resolution (a module constant, an import).
fn local_value<'t>(root: Option<&query::Root<'t>>, url: Node<'t>, src: &[u8]) -> Option<Template> {
    if url.kind_name() != "identifier" {
        return None;
    }
    let name = query::text(url, src);
    let func = enclosing(root, url, "function_definition")?;
    let values = assignments(name, func, src)?;
    match values.as_slice() {
        [] => None,
        // `topic = "prefix." + topic`: a parameter in the value is that parameter.
        [one] if one.start_byte() < url.start_byte() => Some(shadow_params(root, template(*one, src), *one, src)),
        _ => Some(vec![Part::Param(name.to_string())]),
    }
}

/// The values assigned to the local `name` in `func`'s body (not in nested functions
/// or classes), in source order.
///
/// Only subtrees whose text holds `name` are entered: this runs for every URL
/// read from a variable, and walking whole function bodies was 1.6 % of a
/// Django scan (BENCHMARKS.md).
pub fn assignments<'t>(name: &str, func: Node<'t>, src: &[u8]) -> Option<Vec<Node<'t>>> {
    let body = func.field("body")?;
    let f = &*FIELDS;
    let mut values = Vec::new();
    let at = query::Occurrences::of(body, name, src);
    if at.is_empty() {
        return Some(values);
    }
    let mut walk = body.walk();
    loop {
        let n = walk.node();
        let enter = n.is_named()
            && !matches!(n.kind_name(), "function_definition" | "class_definition")
            && at.within(n.byte_range());
        if enter
            && n.kind_name() == "assignment"
            && n.child_by_field_id(f.left).is_some_and(|l| l.kind_name() == "identifier" && query::text(l, src) == name)
        {
            values.extend(n.child_by_field_id(f.right));
        }
        if enter && walk.goto_first_child() {
            continue;
        }
        if !query::next_in_preorder(&mut walk) {
            return Some(values);
        }
    }
}

/// Calls that may hand a URL to a request wrapper (`RawArgCall`): calls of the
/// file's own wrappers and of the functions it imports (`imported`: the
/// names of its from-imports; aliases are bindings) with positional
/// arguments that may be URLs. Names with a capital first (classes) or of
/// one letter (`_` for gettext) are not looked for. A call with `*args` is
/// left out (positions unknown). Found by name ([`arch::calls_of`]), not by a
/// query pattern: see there. A call of one of the file's wrappers that hands it
/// a URL built from the parameters of the module-level function around it makes
/// that function a wrapper too (`forwarding_wrapper`), whose callers are then
/// looked for, at most `WRAPPER_LEVELS` levels up.
pub fn wrapper_calls(root: Node, text: &str, imported: &[&str], facts: &mut ArchFacts) {
    const SHAPE: CallShape =
        CallShape { call: "call", member: "attribute", object: "object", property: "attribute", quoted_names: true };
    let function = |n: &&str| n.len() > 1 && n.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
    let locals = facts.bindings.iter().map(|b| b.local.as_str());
    let mut names: Vec<String> = imported.iter().copied().chain(locals).filter(function).map(String::from).collect();
    names.extend(facts.wrappers.iter().map(|w| w.name.clone()));
    names.extend(facts.queue_params.iter().map(|q| q.function.clone()));
    names.sort_unstable();
    names.dedup();
    let src = text.as_bytes();
    let consts = facts.consts.iter().map(|c| c.name.as_str());
    let mut known: Vec<&str> =
        consts.chain(imported.iter().copied()).chain(facts.bindings.iter().map(|b| b.local.as_str())).collect();
    known.sort_unstable();
    known.dedup();
    let is_known = |n: &str| known.binary_search(&n).is_ok();
    // A local named for a URL (`get(new_url)`) may hand a wrapper a URL built from the
    // parameters of the function around it (`forwarding_wrapper`): such calls pass the
    // text check too. Only in a file with wrappers.
    let mut prefilter = known.clone();
    if !facts.wrappers.is_empty() {
        prefilter.extend(url_words(text));
        prefilter.sort_unstable();
        prefilter.dedup();
    }
    let (mut found, mut extra) = (Vec::new(), Vec::new());
    // The calls read here (by their arguments' node), and the names looked for first.
    let mut read: Vec<usize> = Vec::new();
    let first = names.clone();
    for _ in 0..WRAPPER_LEVELS {
        let looked: Vec<&str> = names.iter().map(String::as_str).collect();
        let before = extra.len();
        let mut calls: Vec<(String, Node, bool)> =
            arch::calls_of(root, text, &looked, &known, &SHAPE).into_iter().map(|(c, a)| (c, a, false)).collect();
        if prefilter.len() > known.len() {
            // Those passing only for a URL-named local are read for forwarding only.
            let seen: Vec<usize> = calls.iter().map(|(_, a, _)| a.id()).collect();
            let more = arch::calls_of(root, text, &looked, &prefilter, &SHAPE);
            calls.extend(more.into_iter().filter(|(_, a)| !seen.contains(&a.id())).map(|(c, a)| (c, a, true)));
        }
        for (callee, args, forwarding_only) in calls {
            if named(args).iter().any(|a| a.kind_name() == "list_splat") {
                continue;
            }
            let wrapped = facts.wrappers.iter().chain(&extra).find(|w| w.name == callee);
            let forwarding =
                |w: &RawWrapper| forwarding_wrapper(w, args, src).or_else(|| base_forwarding(w, args, src));
            if let Some(w) = wrapped.and_then(forwarding) {
                if let Some(o) = extra[before..].iter_mut().find(|o| o.name == w.name && o.call.url == w.call.url) {
                    // `get(new_url)` in one branch, `post(new_url, args)` in another (a proxy
                    // choosing by `request.method`): the same URL with any method.
                    if o.call.method != w.call.method {
                        o.call.method = "ANY".into();
                    }
                    if let (Some(all), Some(more)) = (o.forwards.as_mut(), w.forwards) {
                        if !all.split(',').any(|f| f == more) {
                            all.push(',');
                            all.push_str(&more);
                        }
                    }
                } else if !facts.wrappers.iter().chain(&extra).any(|o| o.name == w.name) {
                    extra.push(w);
                }
                read.push(args.id());
                continue;
            }
            if forwarding_only {
                continue;
            }
            let (pos, kw) = split_args(args);
            // A URL, or a queue's name for a function publishing to its parameter (`publish('user.created', m)`).
            let kept = |t: Template| if arch::name_like(&t) { t } else { url_like(t, &is_known) };
            let templates: Vec<Template> = pos.iter().map(|a| kept(template(*a, src))).collect();
            // `send(url=BASE + "/x")`: a keyword argument stands for the parameter of its name.
            let kwargs: Vec<(String, Template)> = kw
                .iter()
                .filter_map(|k| {
                    let (name, value) = (k.field("name")?, k.field("value")?);
                    Some((query::text(name, src).to_string(), kept(template(value, src))))
                })
                .collect();
            // A keyword passed but not read stays (empty): a wrapper's `method=request.method`
            // is some method, not its default.
            if templates.iter().chain(kwargs.iter().map(|(_, t)| t)).any(|a| !a.is_empty()) {
                let line = args.parent().map_or(1, query::line);
                read.push(args.id());
                found.push(RawArgCall {
                    callee,
                    args: templates,
                    kwargs,
                    methods: Vec::new(),
                    props: Vec::new(),
                    line,
                });
            }
        }
        if extra.len() == before {
            break;
        }
        // The next level: the callers of the functions just found to forward a URL.
        names = extra[before..].iter().map(|w| w.name.clone()).collect();
        names.sort_unstable();
    }
    facts.wrappers.extend(extra);
    facts.arg_calls = found;
    // The other calls of those names, their arguments unread: a wrapper whose URL holds a
    // parameter with a default makes its request at each of them (`resolve/calls.rs`).
    let looked: Vec<&str> = first.iter().map(String::as_str).collect();
    for (callee, args) in arch::all_calls_of(root, text, &looked, &SHAPE) {
        let (pos, kw) = split_args(args);
        let splat = |a: &Node| matches!(a.kind_name(), "list_splat" | "dictionary_splat");
        if read.contains(&args.id()) || named(args).iter().any(splat) {
            continue;
        }
        let kwargs = kw.iter().filter_map(|k| Some((query::text(k.field("name")?, src).to_string(), Template::new())));
        facts.plain_calls.push(RawArgCall {
            callee,
            args: vec![Template::new(); pos.len()],
            kwargs: kwargs.collect(),
            methods: Vec::new(),
            props: Vec::new(),
            line: args.parent().map_or(1, query::line),
        });
    }
}

/// The identifiers of `text` ending in `url` (`new_url`, `target_url`), any case.
fn url_words(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(bytes, b"_url").chain(memchr::memmem::find_iter(bytes, b"_URL")) {
        let end = at + 4;
        if bytes.get(end).is_some_and(|b| ident(*b)) {
            continue;
        }
        let start = at - bytes[..at].iter().rev().take_while(|b| ident(**b)).count();
        out.push(&text[start..end]);
    }
    out
}

/// How many levels of module-level wrappers [`wrapper_calls`] follows: a wrapper, a
/// function forwarding its URL to it, and two more above.
const WRAPPER_LEVELS: usize = 3;

/// The method a call of wrapper `w` passes as `m`, its method argument: a literal's method;
/// the calling function's own parameter (its index; with `params`, the method of that
/// parameter's literal default, else `ANY`); anything else `ANY`; no argument, `w`'s own.
fn passed_method(
    w: &RawWrapper,
    m: Option<Node>,
    params: Option<&[(String, Template)]>,
    src: &[u8],
) -> (String, Option<usize>) {
    let Some(m) = m else { return (w.call.method.clone(), None) };
    match (string_value(m, src), m.kind_name()) {
        (Some(lit), _) => (http_method(&lit).unwrap_or_else(|| "ANY".into()), None),
        (None, "identifier") => {
            let at = module_fn_param(None, m, query::text(m, src), src).map(|(_, i)| i);
            let default =
                params.and_then(|params| arch::literal_of(&params.get(at?)?.1)).and_then(|lit| http_method(&lit));
            (default.unwrap_or_else(|| "ANY".into()), at)
        }
        _ => ("ANY".into(), None),
    }
}

/// `async def _ai_get(path): return await _http("GET", f"{AI_URL}{path}")` calling the
/// file's wrapper `w` (`_http(method, url)`): `_ai_get` is a wrapper too, its parameter
/// taking the place of `w`'s in `w`'s request, with the method the call passes (a literal,
/// else its own parameter's argument at each caller). The call itself is then no site.
/// Nothing when the URL is not the function's parameter after literal text and names
/// (as [`compound_wrapper`] reads it), or `w`'s URL has a parameter of its own before its
/// URL parameter (`base + path`), which this call would have to fill.
fn forwarding_wrapper(w: &RawWrapper, args: Node, src: &[u8]) -> Option<RawWrapper> {
    let (pos, _) = split_args(args);
    let given = |i: usize| pos.get(i).copied().or_else(|| kwarg(args, &w.params.get(i)?.0, src));
    let url = given(w.param)?;
    // `new_url = basic_path + rest` then `get(new_url)`: the local's one value before the call.
    let url = single_local(url, src).unwrap_or(url);
    let ((name, param), at) =
        wrapper_param(None, url, src).map(|w| (w, 0)).or_else(|| compound_wrapper(None, url, src, true))?;
    if name == w.name
        || w.call.url[..w.at].iter().any(|p| matches!(p, Part::Ref(r) if w.params.iter().any(|(n, _)| n == r)))
    {
        return None;
    }
    let params = fn_params(None, url, src);
    let (method, method_arg) = passed_method(w, w.method_arg.and_then(given), Some(&params), src);
    // `w`'s request with the call's URL in place of its parameter.
    let mut given_url = template(url, src);
    // A member of a parameter after the URL parameter (`base + req.full_path`) is a run-time
    // value, never a constant of the callers' files.
    for p in given_url.iter_mut().skip(at + 1) {
        if let Part::Ref(r) = p {
            if member_of_param(None, url, r, src) {
                *p = Part::Param(r.clone());
            }
        }
    }
    let mut full = w.call.url[..w.at].to_vec();
    let tail = given_url.len() - at;
    push_parts(&mut full, given_url);
    // Literal text before the parameter may have joined `w`'s own text before it.
    let at = full.len() - tail;
    push_parts(&mut full, w.call.url[w.at + 1..].to_vec());
    let line = args.parent().map_or(w.call.line, query::line);
    let call = RawCall { client: w.call.client.clone(), method, url: full, line };
    let forwards = Some(w.name.clone());
    Some(RawWrapper {
        name,
        param,
        call,
        method_param: None,
        method_arg,
        at,
        params,
        choice: None,
        key: None,
        forwards,
        joined: false,
    })
}

/// `async def check_ready(base_url): for path in ("/ready", "/health"): await
/// request_json("GET", base_url, path)` calling the file's wrapper `w` whose URL is a base
/// parameter then the path (`f"{base_url}/{path}"`): `check_ready` is a wrapper of its own
/// parameter handed on as `w`'s base, followed by the path this call gives: literal text
/// as written, anything else (a loop's variable, a local) a run-time value. Nothing when
/// the path is built from a parameter (that is [`forwarding_wrapper`]'s), `w`'s URL has
/// other parameters before its path, or the base given is not a parameter of the
/// module-level function around the call.
fn base_forwarding(w: &RawWrapper, args: Node, src: &[u8]) -> Option<RawWrapper> {
    let (pos, _) = split_args(args);
    let given = |i: usize| pos.get(i).copied().or_else(|| kwarg(args, &w.params.get(i)?.0, src));
    let is_param = |r: &str| w.params.iter().position(|(n, _)| n == r);
    // `w`'s base: its one parameter before the path, then literal text (`/`) only.
    let (first, between) = w.call.url[..w.at].split_first()?;
    let Part::Ref(base) = first else { return None };
    let j = is_param(base)?;
    if !between.iter().all(|p| matches!(p, Part::Lit(_))) {
        return None;
    }
    let b = given(j).filter(|b| b.kind_name() == "identifier")?;
    let (name, param) = module_fn_param(None, b, query::text(b, src), src)?;
    let func = enclosing(None, b, "function_definition")?;
    if name == w.name || !assignments(query::text(b, src), func, src).is_some_and(|v| v.is_empty()) {
        return None;
    }
    let url = given(w.param)?;
    let params = fn_params(None, url, src);
    if url.kind_name() == "identifier" && params.iter().any(|(n, _)| n == query::text(url, src)) {
        return None;
    }
    // The path as written, each value in it known only at run time (`{path}`, `{user_id}`).
    let path: Template = match url.kind_name() {
        "string" | "concatenated_string" | "binary_operator" => template(url, src),
        _ => vec![Part::Param(param_name(url, src))],
    }
    .into_iter()
    .map(|p| match p {
        Part::Lit(l) => Part::Lit(l),
        Part::Ref(r) | Part::Param(r) => Part::Param(r.rsplit('.').next().unwrap_or(&r).to_string()),
        _ => Part::Param("path".into()),
    })
    .collect();
    let (method, method_arg) = passed_method(w, w.method_arg.and_then(given), None, src);
    let mut full = vec![Part::Ref(params.get(param)?.0.clone())];
    push_parts(&mut full, between.to_vec());
    push_parts(&mut full, path);
    push_parts(&mut full, w.call.url[w.at + 1..].to_vec());
    let line = args.parent().map_or(w.call.line, query::line);
    let call = RawCall { client: w.call.client.clone(), method, url: full, line };
    Some(RawWrapper {
        name,
        param,
        call,
        method_param: None,
        method_arg,
        at: 0,
        params,
        choice: None,
        key: None,
        forwards: Some(w.name.clone()),
        joined: false,
    })
}

/// An identifier that is a local of the function around it, assigned there once, before
/// `url` and not to a parameter's name: the value assigned (`new_url = base + rest`).
fn single_local<'t>(url: Node<'t>, src: &[u8]) -> Option<Node<'t>> {
    if url.kind_name() != "identifier" {
        return None;
    }
    let name = query::text(url, src);
    let func = enclosing(None, url, "function_definition")?;
    if params_of(func, src).iter().any(|(p, _)| p == name) {
        return None;
    }
    match assignments(name, func, src)?.as_slice() {
        [one] if one.end_byte() < url.start_byte() && one.kind_name() != "identifier" => Some(*one),
        _ => None,
    }
}

/// When an identifier handed to a client is a parameter of the module-level
/// function around it (which does not assign it: see `local_value`), that
/// function's name and the parameter's index: `def get(url): return requests.get(url)`.
/// A method (its first parameter is the instance) is not one.
fn wrapper_param<'t>(root: Option<&query::Root<'t>>, url: Node<'t>, src: &[u8]) -> Option<(String, usize)> {
    if url.kind_name() != "identifier" {
        return None;
    }
    module_fn_param(root, url, query::text(url, src), src)
}

/// A URL built from a parameter of the module-level function around it after other
/// parts (`base + path`, `f"{base}{path}"` in `def call(path, base=USERS_URL)`): that
/// function and parameter, and the index of its part. Each part before it is literal text,
/// another parameter or a name the function does not assign (a module's); only literal
/// text follows it, or, with `runtime_tail` (a function forwarding a URL to a wrapper),
/// run-time values too (a path read from the request: `basic_path + req[n:]`, the request
/// then linked by its host). No parameter may be assigned in the
/// function (which value reaches the call is then not known).
fn compound_wrapper<'t>(
    root: Option<&query::Root<'t>>,
    url: Node<'t>,
    src: &[u8],
    runtime_tail: bool,
) -> Option<((String, usize), usize)> {
    if url.kind_name() == "identifier" {
        return None;
    }
    compound_parts(root, url, template(url, src), src, runtime_tail)
}

/// [`compound_wrapper`] of template `t`, the URL handed to the client at `url` (a call of
/// the file's URL builder, applied: `_join_url(base_url, path)`).
fn compound_parts<'t>(
    root: Option<&query::Root<'t>>,
    url: Node<'t>,
    t: Template,
    src: &[u8],
    runtime_tail: bool,
) -> Option<((String, usize), usize)> {
    let param = |p: &Part| match p {
        Part::Ref(r) => module_fn_param(root, url, r, src),
        _ => None,
    };
    let at = t.iter().rposition(|p| param(p).is_some())?;
    let func = enclosing(root, url, "function_definition")?;
    let unassigned = |name: &str| assignments(name, func, src).is_some_and(|v| v.is_empty());
    let Part::Ref(name) = &t[at] else { return None };
    if !unassigned(name) {
        return None;
    }
    let before_ok = t[..at].iter().all(|p| match p {
        Part::Lit(_) => true,
        Part::Ref(r) => unassigned(r),
        _ => false,
    });
    let after_ok = t[at + 1..].iter().all(|p| match p {
        Part::Lit(_) => true,
        Part::Param(_) => runtime_tail,
        Part::Ref(r) => runtime_tail && member_of_param(root, url, r, src),
        _ => false,
    });
    (before_ok && after_ok).then(|| param(&t[at]).map(|w| (w, at))).flatten()
}

/// Whether `r` is a member of a parameter of the module-level function around `at`
/// (`req.full_path` in `def relay(req, base)`): a value known only at run time.
fn member_of_param<'t>(root: Option<&query::Root<'t>>, at: Node<'t>, r: &str, src: &[u8]) -> bool {
    r.split_once('.').is_some_and(|(head, _)| module_fn_param(root, at, head, src).is_some())
}

/// The parameters of the module-level function around `at`, with their defaults
/// (empty when none), up to the first that is not a plain one (`*args`, `**kw`, `*`).
pub(super) fn fn_params<'t>(root: Option<&query::Root<'t>>, at: Node<'t>, src: &[u8]) -> Vec<(String, Template)> {
    enclosing(root, at, "function_definition").map_or_else(Vec::new, |func| params_of(func, src))
}

/// The parameters of function definition `func`, with their defaults (empty when none), up
/// to the first that is not a plain one (`*args`, `**kw`, `*`).
fn params_of(func: Node, src: &[u8]) -> Vec<(String, Template)> {
    let params = func.field("parameters").map(named).unwrap_or_default();
    params
        .into_iter()
        .map_while(|p| match p.kind_name() {
            "identifier" => Some((query::text(p, src).to_string(), Template::new())),
            "typed_parameter" => p.named_child(0).map(|i| (query::text(i, src).to_string(), Template::new())),
            "default_parameter" | "typed_default_parameter" => {
                let name = query::text(p.field("name")?, src).to_string();
                Some((name, p.field("value").map(|v| template(v, src)).unwrap_or_default()))
            }
            _ => None,
        })
        .collect()
}

/// The call a request's URL is: `build_url("locations/addresses/")`, or a local assigned
/// once from such a call before it (`url = build_url(…)`), of a plain function name.
fn builder_call<'t, 's>(url: Node<'t>, src: &'s [u8]) -> Option<(Node<'t>, &'s str)> {
    let call = match url.kind_name() {
        "call" => url,
        "identifier" => {
            let func = query::ancestors(url, 64).find(|a| a.kind_name() == "function_definition")?;
            match assignments(query::text(url, src), func, src)?.as_slice() {
                [one] if one.kind_name() == "call" && one.start_byte() < url.start_byte() => *one,
                _ => return None,
            }
        }
        _ => return None,
    };
    let f = call.field("function").filter(|f| f.kind_name() == "identifier")?;
    Some((call, query::text(f, src)))
}

/// The module-level function `name` of the module holding `at`.
fn module_def<'t>(at: Node<'t>, name: &str, src: &[u8]) -> Option<Node<'t>> {
    let module = query::ancestors(at, 256).last().filter(|m| m.kind_name() == "module")?;
    top_def(module, name, src)
}

fn top_def<'t>(module: Node<'t>, name: &str, src: &[u8]) -> Option<Node<'t>> {
    named(module).into_iter().find_map(|t| {
        let d = if t.kind_name() == "decorated_definition" { t.field("definition")? } else { t };
        (d.kind_name() == "function_definition" && d.field("name").is_some_and(|n| query::text(n, src) == name))
            .then_some(d)
    })
}

/// A module-level function as a URL builder: its last statement returns (its others do
/// not) a template naming at least one of its parameters and something else that reads as
/// a URL: text with `/` or `:`, or a name (a constant, a setting, an environment variable,
/// a parameter's default) saying URL, URI, host, base, endpoint, API or address. Its
/// locals assigned once are their values; a function returning its parameter alone, or
/// text with no URL in it, is none.
fn builder_of(def: Node, src: &[u8]) -> Option<RawUrlBuilder> {
    let name = query::text(def.field("name")?, src).to_string();
    let body = named(def.field("body")?);
    let (last, before) = body.split_last()?;
    if last.kind_name() != "return_statement" || before.iter().any(|b| b.kind_name() == "return_statement") {
        return None;
    }
    let params = params_of(def, src);
    let as_param = |t: Template| -> Template {
        t.into_iter()
            .map(|p| match p {
                Part::Ref(r) if params.iter().any(|(n, _)| *n == r) => Part::Param(r),
                p => p,
            })
            .collect()
    };
    let mut ret = Template::new();
    for part in as_param(template(named(*last).first().copied()?, src)) {
        match &part {
            Part::Ref(r) => match assignments(r, def, src).unwrap_or_default().as_slice() {
                [one] => push_parts(&mut ret, as_param(template(*one, src))),
                _ => ret.push(part),
            },
            _ => push_parts(&mut ret, vec![part]),
        }
    }
    let is_param = |p: &Part| matches!(p, Part::Param(n) if params.iter().any(|(x, _)| x == n));
    let urlish_name = |n: &str| {
        let n = n.to_ascii_lowercase();
        ["url", "uri", "host", "base", "endpoint", "api", "addr"].iter().any(|w| n.contains(w))
    };
    let urlish = |p: &Part| match p {
        Part::Lit(l) => l.contains('/') || l.contains(':'),
        Part::Ref(n) | Part::Env(n, _) | Part::EnvCall(_, n) => urlish_name(n),
        _ => false,
    };
    let used_defaults = ret.iter().filter_map(|p| match p {
        Part::Param(n) => params.iter().find(|(x, _)| x == n).map(|(_, d)| d),
        _ => None,
    });
    let url = ret.iter().filter(|p| !is_param(p)).any(urlish) || used_defaults.flatten().any(urlish);
    (url && ret.iter().any(is_param)).then_some(RawUrlBuilder { name, params, ret })
}

/// A call's arguments: positional templates, and keyword ones by name.
type CallArgs = (Vec<Template>, Vec<(String, Template)>);

/// The templates of a call's positional and keyword arguments.
fn call_args(call: Node, src: &[u8]) -> Option<CallArgs> {
    let (pos, kw) = split_args(call.field("arguments")?);
    if pos.iter().any(|a| matches!(a.kind_name(), "list_splat" | "dictionary_splat")) {
        return None;
    }
    let kwargs = kw
        .iter()
        .filter_map(|k| {
            let (name, value) = (k.field("name")?, k.field("value")?);
            Some((query::text(name, src).to_string(), template(value, src)))
        })
        .collect();
    Some((pos.iter().map(|a| template(*a, src)).collect(), kwargs))
}

/// The module-level URL builders of a file (`builder_of`), and, of the requests whose URL
/// is a call of a function this file does not define ([`Collector`]'s `built_calls`), those
/// calling a name the file imports: resolution finds the builder in the imported module.
pub fn url_builders(root: Node, text: &str, imported: &[&str], facts: &mut ArchFacts) {
    facts.built_urls.retain(|c| imported.contains(&c.callee.as_str()));
    if memchr::memmem::find(text.as_bytes(), b"return").is_none() {
        return;
    }
    let src = text.as_bytes();
    for t in named(root) {
        let d = if t.kind_name() == "decorated_definition" { t.field("definition") } else { Some(t) };
        if let Some(b) = d.filter(|d| d.kind_name() == "function_definition").and_then(|d| builder_of(d, src)) {
            facts.url_builders.push(b);
        }
    }
}

/// The index among a function's `params` of the plain, typed or defaulted parameter `name`.
pub fn param_position(params: &[Node], name: &str, src: &[u8]) -> Option<usize> {
    params.iter().position(|p| {
        let id = match p.kind_name() {
            "identifier" => Some(*p),
            "typed_parameter" => p.named_child(0),
            "default_parameter" | "typed_default_parameter" => p.field("name"),
            _ => None,
        };
        id.is_some_and(|i| i.kind_name() == "identifier" && query::text(i, src) == name)
    })
}

/// The module-level function around `at` and the index of its parameter `name`
/// (positions before it all plain parameters, no splat), as its callers write it.
fn module_fn_param<'t>(
    root: Option<&query::Root<'t>>,
    at: Node<'t>,
    name: &str,
    src: &[u8],
) -> Option<(String, usize)> {
    // The function within 64 levels, and the two levels above it.
    let up = query::ancestors_in(root, at, 66);
    let i = up.iter().take(64).position(|a| a.kind_name() == "function_definition")?;
    let (func, parent) = (up[i], up.get(i + 1).copied());
    let top =
        parent.filter(|p| p.kind_name() == "decorated_definition").and_then(|_| up.get(i + 2).copied()).or(parent);
    if top.is_none_or(|t| t.kind_name() != "module") {
        return None;
    }
    let params = named(func.field("parameters")?);
    let index = param_position(&params, name, src)?;
    // A splat before the URL makes positions unknown.
    if params[..index].iter().any(|p| {
        !matches!(p.kind_name(), "identifier" | "typed_parameter" | "default_parameter" | "typed_default_parameter")
    }) {
        return None;
    }
    let fname = query::text(func.field("name")?, src).to_string();
    Some((fname, index))
}

/// `A if os.environ.get("X") is None else B`, `A if "X" in os.environ else B`,
/// `A if os.getenv("X") else B`: the branch taken when `X` is set and the one
/// taken when it is not. Any other condition is a parameter.
fn conditional(n: Node, src: &[u8]) -> Template {
    let parts = named(n);
    let [a, cond, b] = parts.as_slice() else { return vec![Part::Param(param_name(n, src))] };
    let Some((var, set_when_true)) = env_condition(*cond, src) else {
        return vec![Part::Param(param_name(n, src))];
    };
    let (set, unset) = if set_when_true { (a, b) } else { (b, a) };
    vec![Part::IfEnv(var, template(*set, src), template(*unset, src))]
}

/// The environment variable a condition tests, and whether it holds when the variable is set.
fn env_condition(cond: Node, src: &[u8]) -> Option<(String, bool)> {
    let env_read = |n: Node| match template(n, src).as_slice() {
        [Part::Env(v, None)] => Some(v.clone()),
        _ => None,
    };
    match cond.kind_name() {
        "parenthesized_expression" => env_condition(*named(cond).first()?, src),
        "call" | "subscript" => env_read(cond).map(|v| (v, true)),
        "not_operator" => env_condition(cond.field("argument")?, src).map(|(v, t)| (v, !t)),
        "comparison_operator" => {
            let ops = named(cond);
            let [left, right] = ops.as_slice() else { return None };
            let op: String = {
                let mut c = cond.walk();
                let v: Vec<&str> =
                    cond.children(&mut c).filter(|c| !c.is_named()).map(|c| query::text(c, src)).collect();
                v.join(" ")
            };
            match op.as_str() {
                "is" | "is not" | "==" | "!=" if right.kind_name() == "none" => {
                    env_read(*left).map(|v| (v, op.contains("not") || op == "!="))
                }
                "in" | "not in" if query::text(*right, src).ends_with("environ") => {
                    string_value(*left, src).map(|v| (v, op == "in"))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn interpolation(e: Node, src: &[u8]) -> Template {
    match e.kind_name() {
        "identifier" | "attribute" => vec![Part::Ref(text_of(e, src))],
        "call" | "subscript" => template(e, src),
        _ => vec![Part::Param(param_name(e, src))],
    }
}

fn call_template(n: Node, src: &[u8]) -> Template {
    let func = n.field("function").map(|f| text_of(f, src)).unwrap_or_default();
    let args = n.field("arguments");
    let pos = args.map(|a| split_args(a).0).unwrap_or_default();
    let arg_str = |i: usize| pos.get(i).and_then(|a| string_value(*a, src));
    if func.ends_with("getenv") || func.ends_with("environ.get") {
        return match arg_str(0) {
            // `os.environ.get("X", default="svc:8080")`: the keyword default as the positional one.
            Some(k) => {
                let default = args.and_then(|a| kwarg(a, "default", src)).and_then(|v| string_value(v, src));
                vec![Part::Env(k, arg_str(1).or(default))]
            }
            None => vec![Part::Param("env".into())],
        };
    }
    // python-decouple's `config("X", default=…)`, django-environ's `env("X")`.
    if let Some(t) = super::py_envlib::read(n, &func, src) {
        return t;
    }
    if func.ends_with(".format") {
        let recv = n.field("function").and_then(|f| f.field("object"));
        if let Some(s) = recv.and_then(|r| string_value(r, src)) {
            let mut rest = pos.iter().map(|a| template(*a, src));
            let named = |name: &str| args.and_then(|a| kwarg(a, name, src)).map(|v| template(v, src));
            return arch::braces_with_names(&s, &mut rest, &named);
        }
    }
    if func.ends_with("urljoin") && pos.len() == 2 {
        let mut out = template(pos[0], src);
        push_parts(&mut out, template(pos[1], src));
        return out;
    }
    // configparser's `config.get("kafka", "topic")` on a `ConfigParser()` the file builds:
    // the INI key, as `config["kafka"]["topic"]` reads it (a dict's `get` takes a default there).
    if let (Some(recv), Some(section), Some(option)) = (func.strip_suffix(".get"), arg_str(0), arg_str(1)) {
        if pos.len() == 2 && builds_config_parser(recv, src) {
            if let Some(key) = ini_marker(&section, &option) {
                return vec![Part::Ref(key)];
            }
        }
    }
    // `config["kafka"].get("topic")`, configparser's section proxy: as `config["kafka"]["topic"]`.
    if let (Some(_), Some(option)) = (func.strip_suffix(".get"), arg_str(0).filter(|_| pos.len() == 1)) {
        let section = n.field("function").and_then(|f| f.field("object")).filter(|o| o.kind_name() == "subscript");
        let base = section.and_then(|o| o.field("value"));
        if base.is_some_and(|b| {
            matches!(b.kind_name(), "identifier" | "attribute") && !text_of(b, src).ends_with("environ")
        }) {
            let section = section.and_then(|o| o.field("subscript")).and_then(|k| string_value(k, src));
            if let Some(key) = section.and_then(|s| ini_marker(&s, &option)) {
                return vec![Part::Ref(key)];
            }
        }
    }
    // `CONFIG.get("users_url")` (with or without a default): the dict's entry, as
    // `CONFIG["users_url"]` reads it (a module-level dict's string-keyed entries are constants).
    if let (Some(recv), Some(key)) = (func.strip_suffix(".get"), arg_str(0).filter(|_| pos.len() <= 2)) {
        let object = n.field("function").and_then(|f| f.field("object"));
        if object.is_some_and(|o| matches!(o.kind_name(), "identifier" | "attribute")) && !recv.ends_with("environ") {
            return vec![Part::Ref(format!("{recv}[{key}]"))];
        }
    }
    // `SERVICES.get(name)` with a run-time key: as `SERVICES[name]` (see [`any_entry`]).
    if let (Some(recv), Some(key)) = (func.strip_suffix(".get"), pos.first().filter(|_| pos.len() <= 2)) {
        let object = n.field("function").and_then(|f| f.field("object"));
        if let Some(o) =
            object.filter(|o| matches!(o.kind_name(), "identifier" | "attribute") && !recv.ends_with("environ"))
        {
            if let Some(marker) = entry_marker(o, *key, n, src) {
                return vec![Part::Ref(marker)];
            }
        }
    }
    if func == "str" && pos.len() == 1 {
        return template(pos[0], src);
    }
    // `base_url.rstrip("/")`: the URL itself (the slash it drops is not part of a route);
    // `path.lstrip("/")` the path itself (a doubled slash after a joining `/` is no segment).
    let (right, left) = (func.ends_with(".rstrip"), func.ends_with(".lstrip"));
    if right || left || func.ends_with(".strip") {
        if let Some(recv) = n.field("function").and_then(|f| f.field("object")) {
            let mut t = template(recv, src);
            let slash = arg_str(0).is_some_and(|c| c.contains('/'));
            if let (Some(Part::Lit(l)), true) = (t.last_mut().filter(|_| !left), slash) {
                l.truncate(l.trim_end_matches('/').len());
            }
            if let (Some(Part::Lit(l)), true) = (t.first_mut().filter(|_| !right), slash) {
                *l = l.trim_start_matches('/').to_string();
            }
            t.retain(|p| !matches!(p, Part::Lit(l) if l.is_empty()));
            return t;
        }
    }
    // `must_map_env("PRODUCT_CATALOG_ADDR")`: an environment read if resolution finds
    // `must_map_env` among the project's env getters.
    let plain = args.is_some_and(|a| named(a).len() == 1) && pos.len() == 1;
    let callee = n.field("function").filter(|f| matches!(f.kind_name(), "identifier" | "attribute"));
    if let (true, Some(_), Some(var)) = (plain, callee, arg_str(0).filter(|v| is_env_name(v))) {
        return vec![Part::EnvCall(func, var)];
    }
    // What another call returns: `{_get_admin_url()}`, the `()` telling resolution it is a
    // function's result (a URL that may carry a path of its own), not a variable.
    vec![Part::Param(format!("{}()", param_name(n, src)))]
}

/// The nearest ancestor of `at` of `kind`, within 64 levels: one descent from the file's
/// top-level statement holding `at` when its [`query::Root`] is at hand (`Node::parent`
/// descends from the tree's root at every call).
pub(super) fn enclosing<'t>(root: Option<&query::Root<'t>>, at: Node<'t>, kind: &str) -> Option<Node<'t>> {
    query::ancestors_in(root, at, 64).into_iter().find(|a| a.kind_name() == kind)
}

/// `async def check(user_id, url="localhost:50051"): … grpc.aio.insecure_channel(url) …
/// XStub(channel)`: the module-level function around `at` whose body opens a gRPC channel
/// (a call of a name ending in `channel`) to one of its parameters, the address each
/// caller gives or omits; a stub there is made at that function's callers.
fn channel_param_fn<'t>(root: Option<&query::Root<'t>>, at: Node<'t>, src: &[u8]) -> Option<String> {
    let func = enclosing(root, at, "function_definition")?;
    let params = params_of(func, src);
    let mut stack = vec![func.field("body")?];
    while let Some(n) = stack.pop() {
        let callee = n.field("function").filter(|_| n.kind_name() == "call");
        let name = callee.and_then(|f| if f.kind_name() == "attribute" { f.field("attribute") } else { Some(f) });
        if name.is_some_and(|m| query::text(m, src).ends_with("channel")) {
            let first = n.field("arguments").and_then(|a| split_args(a).0.first().copied());
            if let Some(a) = first.filter(|a| a.kind_name() == "identifier") {
                let t = query::text(a, src);
                if params.iter().any(|(p, _)| p == t) {
                    return module_fn_param(root, a, t, src).map(|(f, _)| f);
                }
            }
        }
        stack.extend(
            named(n).into_iter().filter(|c| !matches!(c.kind_name(), "function_definition" | "class_definition")),
        );
    }
    None
}

/// Whether `stmt` is a module-level statement (a child of the file's root).
fn is_top<'t>(root: Option<&query::Root<'t>>, stmt: Node<'t>) -> bool {
    match root {
        Some(r) => r.holds_at_top(stmt),
        None => stmt.parent().is_some_and(|p| p.kind_name() == "module"),
    }
}

/// A reference to a parameter of the enclosing function (`def connect(self, url):
/// client(url=url)`) is that parameter, never a same-named constant elsewhere.
pub(super) fn shadow_params<'t>(root: Option<&query::Root<'t>>, t: Template, at: Node<'t>, src: &[u8]) -> Template {
    let Some(func) = enclosing(root, at, "function_definition") else { return t };
    let Some(params) = func.field("parameters") else { return t };
    let names: Vec<&str> = named(params)
        .into_iter()
        .filter_map(|p| match p.kind_name() {
            "identifier" => Some(p),
            _ => p.field("name").or_else(|| named(p).into_iter().find(|c| c.kind_name() == "identifier")),
        })
        .map(|n| query::text(n, src))
        .collect();
    t.into_iter()
        .map(|p| match p {
            Part::Ref(r)
                if names.iter().any(|n| *n == r.split('.').next().unwrap_or(&r) && !matches!(*n, "self" | "cls")) =>
            {
                Part::Param(r.rsplit('.').next().unwrap_or(&r).to_string())
            }
            p => p,
        })
        .collect()
}

/// `self.base_url` in a method, read where the class sets it: the value of every
/// `self.base_url = …` in the class's methods and of a class attribute `base_url = …`,
/// when there is at least one and all give the same template (as the URL of a call
/// is read: a local of the assigning method, its parameters as parameters). An
/// attribute set in another way (`+=`, unpacking), set to different values, or not
/// set in the class becomes a parameter, never a same-named constant elsewhere.
pub(super) fn follow_self(t: Template, at: Node, src: &[u8]) -> Template {
    follow_self_depth(t, at, src, 0)
}

fn follow_self_depth(t: Template, at: Node, src: &[u8], depth: u32) -> Template {
    if !t.iter().any(|p| matches!(p, Part::Ref(r) if self_attr(r).is_some())) {
        return t;
    }
    let class = query::ancestors(at, 64).find(|a| a.kind_name() == "class_definition");
    let mut out = Template::new();
    for p in t {
        match p {
            Part::Ref(r) if self_attr(&r).is_some() => {
                let attr = self_attr(&r).unwrap_or_default();
                let value = class.filter(|_| depth < 4).and_then(|c| self_value(c, attr, src, depth));
                push_parts(&mut out, value.unwrap_or_else(|| vec![Part::Param(attr.to_string())]));
            }
            p => push_parts(&mut out, vec![p]),
        }
    }
    out
}

/// A value as a call's URL or queue name is read where it is written: a local of
/// the enclosing function is its one value there, a parameter stays a parameter,
/// and `result.method.queue` of `result = ch.queue_declare(queue="q")` is `q` (pika's
/// declare-ok frame names the queue declared; a server-named queue, `queue=""`, stays unknown).
pub(super) fn value_template<'t>(root: Option<&query::Root<'t>>, v: Node<'t>, src: &[u8]) -> Template {
    if let Some(q) = declared_queue(v, src) {
        return lit(&q);
    }
    local_value(root, v, src).unwrap_or_else(|| shadow_params(root, template(v, src), v, src))
}

/// `result.method.queue` where the enclosing function assigns `result` once, from
/// `….queue_declare(queue="q")` or `….queue_declare("q")`: `q`.
fn declared_queue(v: Node, src: &[u8]) -> Option<String> {
    let text = query::text(v, src);
    let var = text.strip_suffix(".method.queue").filter(|r| is_ident(r) && v.kind_name() == "attribute")?;
    let func = query::ancestors(v, 64).find(|a| a.kind_name() == "function_definition")?;
    let found = assignments(var, func, src)?;
    let [call] = found.as_slice() else { return None };
    let call = if call.kind_name() == "await" { named(*call).first().copied()? } else { *call };
    let f = call.field("function").filter(|_| call.kind_name() == "call")?;
    if !query::text(f, src).ends_with(".queue_declare") {
        return None;
    }
    let args = call.field("arguments").filter(|a| a.kind_name() == "argument_list")?;
    let q = split_args(args).0.first().copied().or_else(|| kwarg(args, "queue", src))?;
    string_value(q, src).filter(|q| !q.is_empty())
}

/// `self.attr` → `attr` (one attribute, no deeper chain).
pub(super) fn self_attr(r: &str) -> Option<&str> {
    r.strip_prefix("self.").filter(|a| is_ident(a))
}

/// The one value a class gives `self.attr` (see [`follow_self`]).
fn self_value(class: Node, attr: &str, src: &[u8], depth: u32) -> Option<Template> {
    let body = class.field("body")?;
    let mut values: Vec<Template> = Vec::new();
    // Class attributes: `base_url = "http://a"` or `base_url: str = …` in the body itself.
    for stmt in named(body).into_iter().filter(|s| s.kind_name() == "expression_statement") {
        let Some(a) = stmt.named_child(0).filter(|a| a.kind_name() == "assignment") else { continue };
        let left = a.field("left");
        if left.is_some_and(|l| l.kind_name() == "identifier" && query::text(l, src) == attr) {
            values.extend(a.field("right").map(|v| template(v, src)));
        }
    }
    let target = |n: Node| is_self_attr(n, attr, src);
    let mut stack = named(body);
    while let Some(n) = stack.pop() {
        match n.kind_name() {
            "class_definition" => continue,
            "assignment" => {
                let left = n.field("left")?;
                if target(left) {
                    // `self.base_url: str` alone declares, it does not set.
                    if let Some(v) = n.field("right") {
                        values.push(follow_self_depth(value_template(None, v, src), v, src, depth + 1));
                    }
                } else if left.kind_name() != "identifier" && named(left).into_iter().any(target) {
                    return None;
                }
            }
            "augmented_assignment" if n.field("left").is_some_and(target) => return None,
            _ => {}
        }
        stack.extend(named(n));
    }
    let first = values.first()?;
    values.iter().all(|v| v == first).then(|| first.clone())
}

/// A name an environment variable can have: `[A-Za-z_][A-Za-z0-9_]*`.
pub(super) fn is_env_name(v: &str) -> bool {
    v.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Module-level functions that return the environment variable their first
/// parameter names: every `return` gives `os.environ.get(p)`, `os.getenv(p)`,
/// `os.environ[p]`, or a local variable assigned only such a read
/// (`value = os.environ.get(key); if value is None: raise …; return value`).
pub fn env_getters(root: Node, src: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for def in named(root) {
        let def = match def.kind_name() {
            "decorated_definition" => match def.field("definition") {
                Some(d) => d,
                None => continue,
            },
            _ => def,
        };
        if def.kind_name() != "function_definition" {
            continue;
        }
        let param =
            def.field("parameters").and_then(|p| named(p).into_iter().next()).and_then(|p| match p.kind_name() {
                "identifier" => Some(p),
                "typed_parameter" => named(p).into_iter().next().filter(|i| i.kind_name() == "identifier"),
                _ => None,
            });
        let (Some(param), Some(body), Some(name)) = (param, def.field("body"), def.field("name")) else {
            continue;
        };
        if returns_env_of(body, query::text(param, src), src) {
            out.push(query::text(name, src).to_string());
        }
    }
    out
}

/// Whether every `return` in a function body gives the environment variable `param` names.
fn returns_env_of(body: Node, param: &str, src: &[u8]) -> bool {
    let (mut returns, mut assigns) = (Vec::new(), Vec::new());
    statements(body, &mut returns, &mut assigns);
    let reads_env = |v: Node| env_read_of(v, src).is_some_and(|k| k == param);
    let local_read = |name: &str| {
        let mut values = assigns.iter().filter(|(l, _)| query::text(*l, src) == name).map(|(_, v)| *v).peekable();
        values.peek().is_some() && values.all(reads_env)
    };
    !returns.is_empty()
        && returns.iter().all(|r| match named(*r).into_iter().next() {
            Some(v) if v.kind_name() == "identifier" => local_read(query::text(v, src)),
            Some(v) => reads_env(v),
            None => false,
        })
}

/// The `return` statements and `name = value` assignments of a body, not of nested functions or classes.
fn statements<'t>(n: Node<'t>, returns: &mut Vec<Node<'t>>, assigns: &mut Vec<(Node<'t>, Node<'t>)>) {
    for c in named(n) {
        match c.kind_name() {
            "function_definition" | "class_definition" | "decorated_definition" | "lambda" => {}
            "return_statement" => returns.push(c),
            "assignment" => {
                if let (Some(l), Some(v)) = (c.field("left"), c.field("right")) {
                    assigns.push((l, v));
                }
                statements(c, returns, assigns);
            }
            _ => statements(c, returns, assigns),
        }
    }
}

/// `os.environ.get(key)`, `os.getenv(key)`, `os.environ[key]`: the identifier naming the variable.
fn env_read_of<'s>(v: Node, src: &'s [u8]) -> Option<&'s str> {
    let key = match v.kind_name() {
        "call" => {
            let func = v.field("function").map(|f| query::text(f, src)).unwrap_or("");
            if !(func.ends_with("getenv") || func.ends_with("environ.get")) {
                return None;
            }
            split_args(v.field("arguments")?).0.into_iter().next()?
        }
        "subscript" if v.field("value").is_some_and(|o| query::text(o, src).ends_with("environ")) => {
            v.field("subscript")?
        }
        _ => return None,
    };
    (key.kind_name() == "identifier").then(|| query::text(key, src))
}

/// A short name for an interpolation: its last identifier.
fn param_name(n: Node, src: &[u8]) -> String {
    let t = query::text(n, src);
    let ident: String = t
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
        .find(|s| !s.is_empty() && !s.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or("param")
        .to_string();
    ident
}

/// A `name = "value"` string inside a nested `class Meta:`.
fn meta_string(body: &str, key: &str) -> Option<String> {
    let meta = body.find("class Meta")?;
    let rest = &body[meta..];
    let at = rest.find(key)?;
    let after = rest[at + key.len()..].trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let end = after[1..].find(quote)?;
    Some(after[1..=end].to_string())
}

/// The plain name a call's value is assigned to (`queue = await ch.declare_queue(…)`),
/// or the `self` field (`self.queue = await self.channel.declare_queue(…)`).
fn assigned_to(args: Node, src: &[u8]) -> Option<String> {
    let call = args.parent()?;
    let mut up = call.parent()?;
    if up.kind_name() == "await" {
        up = up.parent()?;
    }
    let left = up.field("left").filter(|_| up.kind_name() == "assignment")?;
    let field = left.kind_name() == "attribute"
        && left.field("object").is_some_and(|o| query::text(o, src) == "self")
        && left.field("attribute").is_some();
    (left.kind_name() == "identifier" || field).then(|| text_of(left, src))
}

/// A `self.x` field is keyed by its class (`self.queue@<class start>`): any method of the
/// class may bind it and another use it; a plain name stays as it is.
fn field_key(at: Node, var: String) -> String {
    if !var.starts_with("self.") {
        return var;
    }
    match query::ancestors(at, 256).find(|a| a.kind_name() == "class_definition") {
        Some(class) => format!("{var}@{}", class.start_byte()),
        None => var,
    }
}

/// `key = "value"` directly in the nested class `header` (`class Settings:`) of a body,
/// read line by line until the nested class ends.
fn nested_string(body: &str, header: &str, key: &str) -> Option<String> {
    let at = body.find(header)?;
    let indent = body[..at].rsplit('\n').next().map_or(0, str::len);
    for line in body[at..].lines().skip(1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            continue;
        }
        if line.len() - trimmed.len() <= indent {
            return None;
        }
        let Some(after) = trimmed.strip_prefix(key).map(str::trim_start).and_then(|r| r.strip_prefix('=')) else {
            continue;
        };
        let after = after.trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let end = after[1..].find(quote)?;
        return Some(after[1..=end].to_string());
    }
    None
}

/// Whether the model's `class Meta` sets `key = True`.
fn meta_true(body: &str, key: &str) -> bool {
    let Some(meta) = body.find("class Meta") else { return false };
    body[meta..].match_indices(key).any(|(at, _)| {
        let after = &body[meta + at + key.len()..];
        after.trim_start().strip_prefix('=').is_some_and(|v| v.trim_start().starts_with("True"))
    })
}

/// The `ManyToManyField`s of a class body that Django gives a join table (no `through=`):
/// `field = models.ManyToManyField(…)`, its arguments read up to the first `)`.
fn m2m_fields(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in body.match_indices("ManyToManyField(") {
        let head = body[..at].rsplit('\n').next().unwrap_or("");
        let Some((field, _)) = head.split_once('=') else { continue };
        let field = field.trim();
        let args = body[at..].split(')').next().unwrap_or("");
        let is_field = !field.is_empty() && field.chars().all(|c| c.is_alphanumeric() || c == '_');
        if is_field && !args.contains("through") {
            out.push(field.to_string());
        }
    }
    out
}

/// Whether a class body's `class Meta:` says `abstract = True`.
fn is_abstract(body: &str) -> bool {
    body.find("class Meta").is_some_and(|m| body[m..].replace(' ', "").contains("abstract=True"))
}

/// `a.b.c`: identifiers joined by dots, the target of `mock.patch`, never a URL path.
pub(crate) fn is_dotted_name(s: &str) -> bool {
    let mut parts = s.split('.');
    s.contains('.')
        && parts.all(|p| {
            p.starts_with(|c: char| c.is_alphabetic() || c == '_') && p.chars().all(|c| c.is_alphanumeric() || c == '_')
        })
}

/// `OrderItem` → `order_item`.
pub fn snake_case(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A Django `re_path`/`url` regex as a route template, read from regex-syntax's
/// syntax tree (not by scanning for parentheses, which cut `(?P<version>(v1|v2))`
/// at the inner group's `)`): literals are kept (escaped ones too, `\.`), a named
/// group `(?P<pk>…)` is the parameter `{pk}` whatever it holds, also inside a segment
/// (`^swagger(?P<format>\.json|\.yaml)$`, drf_yasg's boilerplate, is `swagger{format}`:
/// a `<…>` there would be read as text, as converters are read by whole segment), an
/// unnamed group holding only literals and named groups is read in place and any other is a
/// positional parameter `{_0}`, `{_1}`… (the names Django's own
/// `django.utils.regex_helper.normalize` gives them), a non-capturing group is read
/// in place, anchors and flags are dropped. A part that may occur zero times is left
/// out, as `normalize` keeps the fewest occurrences, except an optional `/` (the same
/// route). `None` when a part outside every group matches more than one text (a
/// class, `.`, `|`, `\d+`), which `normalize` cannot reverse either, or when the
/// pattern is not one regex-syntax reads (a look-around, a back-reference).
fn regex_route(re: &str) -> Option<String> {
    // Python's end of text `\Z` is regex-syntax's `\z`.
    let re = re.strip_suffix(r"\Z").unwrap_or(re);
    let ast = regex_syntax::ast::parse::Parser::new().parse(re).ok()?;
    let mut out = String::new();
    regex_template(&ast, &mut out, &mut 0).then_some(out)
}

/// Appends the template of one regex node ([`regex_route`]); false when it is not
/// one literal path. `unnamed` counts the positional parameters written so far.
fn regex_template(ast: &regex_syntax::ast::Ast, out: &mut String, unnamed: &mut u32) -> bool {
    use regex_syntax::ast::{Ast, GroupKind, RepetitionKind, RepetitionRange};
    match ast {
        Ast::Empty(_) | Ast::Flags(_) | Ast::Assertion(_) => true,
        Ast::Literal(l) => {
            out.push(l.c);
            true
        }
        Ast::Concat(c) => c.asts.iter().all(|a| regex_template(a, out, unnamed)),
        Ast::Group(g) => match &g.kind {
            GroupKind::CaptureName { name, .. } => {
                out.push_str(&format!("{{{}}}", name.name));
                true
            }
            GroupKind::NonCapturing(_) => regex_template(&g.ast, out, unnamed),
            GroupKind::CaptureIndex(_) => {
                let (mut inner, mut n) = (String::new(), *unnamed);
                if regex_template(&g.ast, &mut inner, &mut n) {
                    out.push_str(&inner);
                    *unnamed = n;
                } else {
                    out.push_str(&format!("{{_{unnamed}}}"));
                    *unnamed += 1;
                }
                true
            }
        },
        Ast::Repetition(r) => {
            let min = match r.op.kind {
                RepetitionKind::ZeroOrOne | RepetitionKind::ZeroOrMore => 0,
                RepetitionKind::OneOrMore => 1,
                RepetitionKind::Range(
                    RepetitionRange::Exactly(m) | RepetitionRange::AtLeast(m) | RepetitionRange::Bounded(m, _),
                ) => m,
            };
            match min {
                0 if matches!(&*r.ast, Ast::Literal(l) if l.c == '/') => {
                    out.push('/');
                    true
                }
                // Left out, but only when it would read (`.*` alone is no path).
                0 => regex_template(&r.ast, &mut String::new(), &mut unnamed.clone()),
                1..=8 => (0..min).all(|_| regex_template(&r.ast, out, unnamed)),
                _ => false,
            }
        }
        Ast::Dot(_) | Ast::ClassUnicode(_) | Ast::ClassPerl(_) | Ast::ClassBracketed(_) | Ast::Alternation(_) => false,
    }
}

/// `self.<attr>`.
pub fn is_self_attr(n: Node, attr: &str, src: &[u8]) -> bool {
    n.kind_name() == "attribute"
        && n.field("object").is_some_and(|o| query::text(o, src) == "self")
        && n.field("attribute").is_some_and(|a| query::text(a, src) == attr)
}

/// Whether a Python file imports nats-py: `import nats`, `from nats.aio.client import …`,
/// `from nats import …` (not `natsort`).
fn imports_nats(text: &str) -> bool {
    let after = |rest: &str| rest.is_empty() || rest.starts_with([' ', '.', ',', '\n', '\r']);
    ["import nats", "from nats"].iter().any(|w| text.match_indices(w).any(|(i, _)| after(&text[i + w.len()..])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abstract_and_proxy_django_models_have_no_table() {
        let src = "from django.db import models\n\
                   class Base(models.Model):\n    tags = models.ManyToManyField(Tag)\n    class Meta:\n        abstract = True\n\
                   class Item(models.Model):\n    class Meta:\n        abstract = False\n        db_table = \"items\"\n\
                   class Cheap(models.Model):\n    class Meta:\n        proxy = True\n";
        let mut f = crate::model::FileFacts::default();
        crate::lang::python::extract("shop/models.py", src, &mut f);
        let names: Vec<_> =
            f.arch.tables.iter().map(|t| (t.orm.as_str(), t.class_name.clone().unwrap_or_default())).collect();
        // The abstract base is kept for its subclasses (resolution gives it no table); the proxy is dropped.
        assert_eq!(names, vec![("django-abstract", "Base".to_string()), ("django", "Item".to_string())]);
    }

    #[test]
    fn mock_patch_decorators_are_not_routes() {
        // From saleor's tests: `@patch` on `mock` names a Python object, not a PATCH route.
        let src = "from unittest import mock\nfrom fastapi import FastAPI\napp = FastAPI()\n\
                   @mock.patch(\"saleor.core.utils.fetch\")\ndef test_a(m):\n    pass\n\
                   @app.patch(\"/items/{id}\")\ndef patch_item(id):\n    pass\n";
        let mut f = crate::model::FileFacts::default();
        crate::lang::python::extract("t.py", src, &mut f);
        let routes: Vec<_> = f.arch.routes.iter().map(|r| (r.router.as_str(), r.line)).collect();
        assert_eq!(routes, vec![("app", 7)]);
    }

    #[test]
    fn docstrings_are_not_sql() {
        // From Django: a docstring that reads like a statement is prose; the string run is SQL.
        let src = "def f(cur):\n    \"\"\"Delete a setting and clear it from cache.\"\"\"\n    \
                   cur.execute(\"DELETE FROM cache WHERE k = 1\")\n";
        let mut f = crate::model::FileFacts::default();
        crate::lang::python::extract("m.py", src, &mut f);
        assert_eq!(f.arch.sql.iter().map(|s| s.line).collect::<Vec<_>>(), vec![3]);
    }

    /// [`constant`] gives the matches of the query patterns it stands for, on
    /// every Python file of the fixtures and benches and on edge cases.
    #[test]
    fn native_constants_match_their_query_patterns() {
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        let q = query::LangQuery::new(&language, &[CONSTANT_PATTERNS], CAPTURES).unwrap();
        let mut samples = query::sample_sources(&[".py"]);
        assert!(samples.len() > 50, "{}", samples.len());
        let edge = "X = 1\nY: str = 'a'\nZ: int\na = b = 'c'\nx, y = 1, 2\nd['k'] = f(1)\nd['k', 'j'] = 'v'\n\
                    self.cfg[\"K\"] = g\nd[0] = 'v'\nd()['k'] = 'v'\nd['k'] += 'v'\nd[f'{k}'] = 'v'\n\
                    class A:\n    U = (\n        'x'\n    )\n    def f(self):\n        v = os.environ.get('V')\n\
                    if True:\n    W = 2\nbroken = (1,\nE = \nF = 3 +\n";
        samples.push(("edge".into(), edge.into()));
        for (name, src) in &samples {
            let tree = query::parse(&language, src).unwrap();
            let want = query::full_pass(&q, &tree, src);
            let mut got = Vec::new();
            let mut stack = vec![tree.root_node()];
            while let Some(node) = stack.pop() {
                let mut caps = Vec::new();
                if node.kind_name() == "expression_statement" && constant(node, src.as_bytes(), &mut caps) {
                    got.extend(caps.iter().map(|&(n, node)| (n.to_string(), node.id())));
                }
                stack.extend((0..node.child_count()).filter_map(|i| node.child(i)));
            }
            got.sort();
            assert_eq!(want, got, "{name}");
        }
    }

    #[test]
    fn tables_are_sorted() {
        let actions: Vec<&str> = DRF_ACTIONS.iter().map(|a| a.0).collect();
        let methodless: Vec<&str> = METHODLESS_CLIENTS.iter().map(|(n, _)| *n).collect();
        let tables = [
            CLIENT_MODULES,
            CAPTURES,
            LOCAL_CONST_VALUES,
            methodless.as_slice(),
            PEEWEE_BASES,
            PEEWEE_WRITES,
            REDIS_OM_BASES,
            TORTOISE_BASES,
            actions.as_slice(),
        ];
        crate::resolve::assert_sorted(&tables);
    }

    #[test]
    fn helpers() {
        let route = |re: &str| regex_route(re).unwrap_or_else(|| "-".into());
        assert_eq!(route(r"^items/(?P<pk>\d+)/$"), "items/{pk}/");
        assert_eq!(route(r"^profiles/(?P<username>\w+)/follow/?$"), "profiles/{username}/follow/");
        assert_eq!(route(r"api/(?P<version>(v1|v2))/"), "api/{version}/");
        assert_eq!(route(r"^f/(?P<name>[^)/]+)\.json\Z"), "f/{name}.json");
        assert_eq!(route(r"^(?:api/)?shortcut/(\d+)/(.*)/$"), "shortcut/{_0}/{_1}/");
        assert_eq!(route(r"^p/((?P<state>\w\w)/t)/(?:(?P<x>\w+)/)?$"), "p/{state}/t/");
        assert_eq!(route(r"^swagger(?P<format>\.json|\.yaml)$"), "swagger{format}");
        assert_eq!(route(r"^(?:places/)+$"), "places/");
        assert_eq!(route(r"^.*$"), "-");
        assert_eq!(route(r"^other[246]/$"), "-");
        assert_eq!(route(r"^(?:foo|bar)/$"), "-");
        assert_eq!(route(r"^(?=x)y$"), "-");
        assert_eq!(snake_case("OrderItem"), "order_item");
        assert_eq!(
            meta_string("x\n    class Meta:\n        db_table = 'shop_items'\n", "db_table"),
            Some("shop_items".into())
        );
    }
}
