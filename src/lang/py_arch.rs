//! Python architecture facts from the matches of `queries/python/{endpoints,
//! calls,tables,queues}.scm`: routers, routes and mounts (Flask, FastAPI,
//! Django), HTTP calls (requests, httpx, aiohttp, urllib), SQL strings, ORM
//! tables (SQLAlchemy, SQLModel, Django, Flask-SQLAlchemy), MongoDB
//! collections, gRPC servicers and stubs, and broker operations.
//!
//! Only what the source says is recorded: an identifier in a URL or a prefix
//! stays a reference (`Part::Ref`) for `crate::resolve` to look up.

use std::collections::BTreeMap;

use tree_sitter::Node;

use super::arch::{self, access_of, http_method, lit, push_parts};
use super::query::{self, cap};
use crate::model::{
    Access, ArchFacts, Binding, Part, RawCall, RawConst, RawGrpc, RawMount, RawQueue, RawRoute, RawRouter, RawSql,
    RawTable, RawTableUse, Template,
};

/// Modules whose functions send HTTP requests themselves (sorted).
const CLIENT_MODULES: &[&str] = &["httpx", "requests"];

/// Captures of the architecture queries.
pub const CAPTURES: &[&str] = &[
    "alias",
    "args",
    "base",
    "bind.alias",
    "body",
    "class",
    "client",
    "client.def",
    "const.def",
    "ctor",
    "db.model",
    "db.model_use",
    "db.mongo",
    "db.sql",
    "db.sqlmodel",
    "db.table",
    "endpoint.django",
    "endpoint.route",
    "grpc.channel",
    "grpc.client",
    "grpc.server",
    "handler",
    "http.call",
    "method",
    "name",
    "obj",
    "op",
    "parent",
    "queue.op",
    "router",
    "router.def",
    "router.mount",
    "sql",
    "url",
    "value",
];

/// A call seen before the file's client variables are all known.
struct Candidate {
    client: String,
    method: String,
    url: Template,
    line: u32,
}

#[derive(Default)]
pub struct Collector {
    pub facts: ArchFacts,
    /// Client variables (`client = httpx.Client(base_url=…)`) and their base URL.
    clients: BTreeMap<String, Template>,
    candidates: Vec<Candidate>,
    mentions_mongo: bool,
    mentions_kafka: bool,
    mentions_redis: bool,
    is_urls: bool,
}

impl Collector {
    pub fn new(rel: &str, text: &str) -> Self {
        Collector {
            mentions_mongo: text.contains("mongo"),
            mentions_kafka: text.contains("afka"),
            mentions_redis: text.contains("redis"),
            is_urls: rel == "urls.py" || rel.ends_with("/urls.py") || text.contains("urlpatterns"),
            ..Collector::default()
        }
    }

    /// Handle one match; `kind` is its outer capture.
    pub fn on_match(&mut self, caps: &[(&str, Node)], src: &[u8]) {
        let Some(kind) = caps.iter().map(|(n, _)| *n).find(|n| n.contains('.')) else {
            return;
        };
        let outer = cap(caps, kind).expect("found above");
        // A decorated route is at its decorator's line (a function may have several).
        let line = query::line(if kind == "endpoint.route" { cap(caps, "router").unwrap_or(outer) } else { outer });
        let text = |name: &str| cap(caps, name).map(|n| query::text(n, src).to_string()).unwrap_or_default();
        match kind {
            "router.def" => self.router_def(&text("name"), &text("ctor"), cap(caps, "args"), src, line),
            "endpoint.route" => self.route(&text("router"), &text("method"), cap(caps, "args"), caps, src, line),
            "router.mount" => self.mount(&text("parent"), &text("method"), cap(caps, "args"), src, line),
            "endpoint.django" if self.is_urls => self.django(&text("method"), cap(caps, "args"), src, line),
            "bind.alias" => {
                self.facts.bindings.push(Binding { local: text("alias"), remote: text("name"), line });
            }
            "http.call" => self.http_call(&text("client"), &text("method"), cap(caps, "args"), src, line),
            "client.def" => {
                let base = cap(caps, "args").and_then(|a| kwarg(a, "base_url", src)).map(|v| template(v, src));
                self.clients.insert(text("name"), base.unwrap_or_default());
            }
            "const.def" => {
                if let Some(v) = cap(caps, "value") {
                    let value = template(v, src);
                    if value.iter().any(|p| matches!(p, Part::Lit(_) | Part::Env(..))) {
                        self.facts.consts.push(RawConst { name: text("name"), value, line });
                    }
                }
            }
            "grpc.server" | "grpc.client" => self.grpc(kind == "grpc.server", &text("name"), line),
            "grpc.channel" => {
                if let Some(u) = cap(caps, "url") {
                    let mut url = lit("grpc://");
                    push_parts(&mut url, template(u, src));
                    self.facts.calls.push(RawCall { client: "grpc".into(), method: "RPC".into(), url, line });
                }
            }
            "db.sql" => {
                // A string standing alone as a statement is a docstring (or dead text), never run:
                // "Delete a setting and clear it from cache" is prose, not SQL.
                if let Some(n) =
                    cap(caps, "sql").filter(|n| n.parent().is_none_or(|p| p.kind() != "expression_statement"))
                {
                    let sql = sql_text(n, src);
                    if arch::looks_like_sql(&sql) {
                        self.facts.sql.push(RawSql { text: sql, line });
                    }
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
                let name = cap(caps, "name").and_then(|n| string_value(n, src).or(Some(query::text(n, src).into())));
                if let Some(name) = name {
                    let access = access_of(&text("op"));
                    self.facts.table_uses.push(RawTableUse {
                        name,
                        via_class: false,
                        access,
                        store: "mongodb".into(),
                        line,
                    });
                }
            }
            "queue.op" => self.queue(&text("obj"), &text("method"), cap(caps, "args"), src, line),
            _ => {}
        }
    }

    fn router_def(&mut self, name: &str, ctor: &str, args: Option<Node>, src: &[u8], line: u32) {
        let ctor = ctor.rsplit('.').next().unwrap_or(ctor);
        let (framework, key) = match ctor {
            "Flask" | "Quart" => ("flask", None),
            "Blueprint" => ("flask", Some("url_prefix")),
            "FastAPI" => ("fastapi", None),
            "APIRouter" => ("fastapi", Some("prefix")),
            "Starlette" => ("starlette", None),
            _ => ("sanic", None),
        };
        let prefix =
            key.and_then(|k| args.and_then(|a| kwarg(a, k, src))).map(|v| template(v, src)).unwrap_or_default();
        self.facts.routers.push(RawRouter { name: name.to_string(), framework: framework.into(), prefix, line });
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
        self.facts.routes.push(RawRoute {
            framework: String::new(),
            router: router.to_string(),
            methods,
            path: template(path, src),
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
        let path = if func == "re_path" { regex_route(&raw) } else { raw };
        let path = if path.is_empty() { String::new() } else { format!("/{}", path.trim_start_matches('/')) };
        if view.kind() == "call"
            && view.child_by_field_name("function").is_some_and(|f| query::text(f, src) == "include")
        {
            let target = view
                .child_by_field_name("arguments")
                .and_then(|a| split_args(a).0.first().copied())
                .map(|n| string_value(n, src).map(|s| format!("include:{s}")).unwrap_or_else(|| text_of(n, src)));
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
            handler: Some(text_of(*view, src)),
            line,
        });
    }

    fn http_call(&mut self, client: &str, method: &str, args: Option<Node>, src: &[u8], line: u32) {
        let Some(args) = args else { return };
        let (pos, _) = split_args(args);
        let (method, url) = match method {
            "request" | "stream" => {
                let m = pos.first().and_then(|n| string_value(*n, src)).unwrap_or_else(|| "GET".into());
                (m.to_ascii_uppercase(), pos.get(1).copied().or_else(|| kwarg(args, "url", src)))
            }
            m if client.ends_with("urlopen") && m.is_empty() => ("GET".into(), pos.first().copied()),
            m => (m.to_ascii_uppercase(), pos.first().copied().or_else(|| kwarg(args, "url", src))),
        };
        let Some(url) = url else { return };
        let method = if client.ends_with("urlopen") { "GET".to_string() } else { method };
        self.candidates.push(Candidate { client: client.to_string(), method, url: template(url, src), line });
    }

    fn grpc(&mut self, server: bool, name: &str, line: u32) {
        let last = name.rsplit('.').next().unwrap_or(name);
        let service = if server {
            last.strip_prefix("add_").and_then(|s| s.strip_suffix("Servicer_to_server"))
        } else {
            last.strip_suffix("Stub")
        };
        if let Some(s) = service.filter(|s| !s.is_empty()) {
            self.facts.grpc.push(RawGrpc { service: s.to_string(), server, line });
        }
    }

    fn model(&mut self, class: &str, base: &str, body: Option<Node>, src: &[u8], line: u32) {
        let body_text = body.map(|b| query::text(b, src)).unwrap_or("");
        if base.ends_with("models.Model") {
            // An abstract model (`class Meta: abstract = True`) has no table of its own; a
            // proxy model (`proxy = True`) uses its parent's.
            if meta_true(body_text, "abstract") || meta_true(body_text, "proxy") {
                return;
            }
            // Django: `class Meta: db_table = "x"`, else the default `<app>_<model>`.
            let name = meta_string(body_text, "db_table");
            self.facts.tables.push(RawTable { orm: "django".into(), name, class_name: Some(class.into()), line });
        } else if base == "db.Model" && !body_text.contains("__tablename__") {
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

    fn queue(&mut self, obj: &str, method: &str, args: Option<Node>, src: &[u8], line: u32) {
        let Some(args) = args else { return };
        let (pos, _) = split_args(args);
        let first = || pos.first().map(|n| template(*n, src));
        let push = |facts: &mut ArchFacts, broker: &str, name: Option<Template>, access: Access| {
            if let Some(name) = name.filter(|n| !n.is_empty()) {
                facts.queues.push(RawQueue { broker: broker.into(), name, access, line });
            }
        };
        let last = method.rsplit('.').next().unwrap_or(method);
        match last {
            "basic_publish" => {
                let exchange = kwarg(args, "exchange", src).map(|n| template(n, src));
                let key = kwarg(args, "routing_key", src).map(|n| template(n, src));
                let name = match exchange {
                    Some(e) if arch::literal_of(&e).is_none_or(|s| !s.is_empty()) => Some(e),
                    _ => key,
                };
                push(&mut self.facts, "rabbitmq", name, Access::Write);
            }
            "basic_consume" => {
                let q = kwarg(args, "queue", src).map(|n| template(n, src)).or_else(first);
                push(&mut self.facts, "rabbitmq", q, Access::Read);
            }
            "send" | "produce" if self.mentions_kafka => {
                let t = first().or_else(|| kwarg(args, "topic", src).map(|n| template(n, src)));
                push(&mut self.facts, "kafka", t, Access::Write);
            }
            "KafkaConsumer" => {
                for n in pos.iter().filter(|n| n.kind() == "string") {
                    push(&mut self.facts, "kafka", Some(template(*n, src)), Access::Read);
                }
            }
            "subscribe" if self.mentions_kafka || self.mentions_redis => {
                let broker = if self.mentions_kafka { "kafka" } else { "redis" };
                let names: Vec<Node> = match pos.first() {
                    Some(l) if matches!(l.kind(), "list" | "tuple") => named(*l),
                    _ => pos.clone(),
                };
                for n in names {
                    push(&mut self.facts, broker, Some(template(n, src)), Access::Read);
                }
            }
            "publish" => {
                if let Some(t) = kwarg(args, "TopicArn", src) {
                    push(&mut self.facts, "sns", Some(template(t, src)), Access::Write);
                } else if self.mentions_redis && !obj.is_empty() {
                    push(&mut self.facts, "redis", first(), Access::Write);
                }
            }
            "rpush" | "lpush" | "blpop" | "brpop" if self.mentions_redis => {
                let access = if last.ends_with("push") { Access::Write } else { Access::Read };
                push(&mut self.facts, "redis", first(), access);
            }
            "send_message" | "receive_message" => {
                let q = kwarg(args, "QueueUrl", src).map(|n| template(n, src));
                let access = if last == "send_message" { Access::Write } else { Access::Read };
                push(&mut self.facts, "sqs", q, access);
            }
            _ => {}
        }
    }

    /// Keep the calls whose receiver is an HTTP client; return the facts.
    pub fn finish(mut self) -> ArchFacts {
        for c in std::mem::take(&mut self.candidates) {
            let module = c.client.rsplit('.').next().unwrap_or(&c.client);
            let url = if c.client.ends_with("urlopen")
                || CLIENT_MODULES.binary_search(&module).is_ok() && !c.client.contains('.')
            {
                c.url
            } else if let Some(base) = self.clients.get(&c.client) {
                let mut u = base.clone();
                push_parts(&mut u, c.url);
                u
            } else {
                continue;
            };
            self.facts.calls.push(RawCall { client: c.client, method: c.method, url, line: c.line });
        }
        self.facts
    }
}

/// Positional and keyword arguments of an `argument_list`.
fn split_args(args: Node) -> (Vec<Node>, Vec<Node>) {
    let (mut pos, mut kw) = (Vec::new(), Vec::new());
    for n in named(args) {
        match n.kind() {
            "keyword_argument" => kw.push(n),
            "comment" | "list_splat" | "dictionary_splat" => {}
            _ => pos.push(n),
        }
    }
    (pos, kw)
}

fn named(n: Node) -> Vec<Node> {
    let mut c = n.walk();
    n.named_children(&mut c).filter(|n| n.kind() != "comment").collect()
}

/// The value of keyword argument `key`.
fn kwarg<'t>(args: Node<'t>, key: &str, src: &[u8]) -> Option<Node<'t>> {
    split_args(args).1.into_iter().find_map(|k| {
        let name = k.child_by_field_name("name")?;
        (query::text(name, src) == key).then(|| k.child_by_field_name("value")).flatten()
    })
}

/// `methods=["GET", "POST"]`, upper-cased.
fn methods_kw(args: Node, src: &[u8]) -> Option<Vec<String>> {
    let list = kwarg(args, "methods", src)?;
    let v: Vec<String> =
        named(list).into_iter().filter_map(|n| string_value(n, src)).map(|s| s.to_ascii_uppercase()).collect();
    (!v.is_empty()).then_some(v)
}

fn text_of(n: Node, src: &[u8]) -> String {
    query::text(n, src).to_string()
}

/// The value of a string literal without interpolations.
pub fn string_value(n: Node, src: &[u8]) -> Option<String> {
    match n.kind() {
        "string" => {
            let mut out = String::new();
            for c in named(n) {
                match c.kind() {
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
        match c.kind() {
            "string_content" | "escape_sequence" => out.push_str(query::text(c, src)),
            "interpolation" => out.push('?'),
            _ => {}
        }
    }
    out
}

/// A Python expression as a URL/route template.
pub fn template(n: Node, src: &[u8]) -> Template {
    match n.kind() {
        "string" => {
            let mut out = Template::new();
            for c in named(n) {
                match c.kind() {
                    "string_content" | "escape_sequence" => push_parts(&mut out, lit(query::text(c, src))),
                    "interpolation" => {
                        let e = c.child_by_field_name("expression").unwrap_or(c);
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
        "binary_operator" if n.child_by_field_name("operator").is_some_and(|o| query::text(o, src) == "+") => {
            let mut out = Template::new();
            for f in ["left", "right"] {
                if let Some(c) = n.child_by_field_name(f) {
                    push_parts(&mut out, template(c, src));
                }
            }
            out
        }
        "parenthesized_expression" => named(n).first().map(|c| template(*c, src)).unwrap_or_default(),
        "identifier" | "attribute" => vec![Part::Ref(text_of(n, src))],
        "subscript" => {
            let value = n.child_by_field_name("value").map(|v| query::text(v, src)).unwrap_or("");
            let key = n.child_by_field_name("subscript").and_then(|k| string_value(k, src));
            match key {
                Some(k) if value.ends_with("environ") => vec![Part::Env(k, None)],
                _ => vec![Part::Param(param_name(n, src))],
            }
        }
        "boolean_operator" => {
            // os.environ.get("X") or "http://default"
            let left = n.child_by_field_name("left").map(|c| template(c, src)).unwrap_or_default();
            let right = n.child_by_field_name("right").and_then(|c| string_value(c, src));
            match (left.as_slice(), right) {
                ([Part::Env(k, None)], Some(d)) => vec![Part::Env(k.clone(), Some(d))],
                _ => left,
            }
        }
        "call" => call_template(n, src),
        _ => vec![Part::Param(param_name(n, src))],
    }
}

fn interpolation(e: Node, src: &[u8]) -> Template {
    match e.kind() {
        "identifier" | "attribute" => vec![Part::Ref(text_of(e, src))],
        "call" | "subscript" => template(e, src),
        _ => vec![Part::Param(param_name(e, src))],
    }
}

fn call_template(n: Node, src: &[u8]) -> Template {
    let func = n.child_by_field_name("function").map(|f| text_of(f, src)).unwrap_or_default();
    let args = n.child_by_field_name("arguments");
    let pos = args.map(|a| split_args(a).0).unwrap_or_default();
    let arg_str = |i: usize| pos.get(i).and_then(|a| string_value(*a, src));
    if func.ends_with("getenv") || func.ends_with("environ.get") {
        return match arg_str(0) {
            Some(k) => vec![Part::Env(k, arg_str(1))],
            None => vec![Part::Param("env".into())],
        };
    }
    if func.ends_with(".format") {
        let recv = n.child_by_field_name("function").and_then(|f| f.child_by_field_name("object"));
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
    if func == "str" && pos.len() == 1 {
        return template(pos[0], src);
    }
    vec![Part::Param(param_name(n, src))]
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

/// Whether the model's `class Meta` sets `key = True`.
fn meta_true(body: &str, key: &str) -> bool {
    let Some(meta) = body.find("class Meta") else { return false };
    body[meta..].match_indices(key).any(|(at, _)| {
        let after = &body[meta + at + key.len()..];
        after.trim_start().strip_prefix('=').is_some_and(|v| v.trim_start().starts_with("True"))
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

/// A Django `re_path` regex as a route template: anchors dropped, named
/// groups `(?P<pk>…)` become `<pk>`.
fn regex_route(re: &str) -> String {
    let re = re.trim_start_matches('^').trim_end_matches('$');
    let mut out = String::new();
    let mut rest = re;
    while let Some(i) = rest.find("(?P<") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 4..];
        let Some(gt) = after.find('>') else { break };
        out.push('<');
        out.push_str(&after[..gt]);
        out.push('>');
        // Skip to the group's closing parenthesis (groups do not nest in practice).
        let close = after.find(')').map_or(after.len(), |c| c + 1);
        rest = &after[close..];
    }
    out.push_str(rest);
    out.replace('\\', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abstract_and_proxy_django_models_have_no_table() {
        let src = "from django.db import models\n\
                   class Base(models.Model):\n    class Meta:\n        abstract = True\n\
                   class Item(models.Model):\n    class Meta:\n        abstract = False\n        db_table = \"items\"\n\
                   class Cheap(models.Model):\n    class Meta:\n        proxy = True\n";
        let mut f = crate::model::FileFacts::default();
        crate::lang::python::extract("shop/models.py", src, &mut f);
        let names: Vec<_> = f.arch.tables.iter().map(|t| t.class_name.clone().unwrap_or_default()).collect();
        assert_eq!(names, vec!["Item".to_string()]);
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

    #[test]
    fn tables_are_sorted() {
        for t in [CLIENT_MODULES, CAPTURES] {
            let mut s = t.to_vec();
            s.sort_unstable();
            assert_eq!(t, s.as_slice());
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(regex_route(r"^items/(?P<pk>\d+)/$"), "items/<pk>/");
        assert_eq!(snake_case("OrderItem"), "order_item");
        assert_eq!(
            meta_string("x\n    class Meta:\n        db_table = 'shop_items'\n", "db_table"),
            Some("shop_items".into())
        );
    }
}
