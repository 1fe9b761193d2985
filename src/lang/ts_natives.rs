//! JavaScript/TypeScript architecture patterns matched in Rust rather than
//! compiled into the query (see [`Native`]).
//!
//! Tree-sitter analyses every pattern against the grammar when a query is
//! compiled, and a pattern rooted at an expression-level node (a call, a
//! declarator, an assignment, a decorator) costs 4-22 ms each: compiling the
//! architecture query was 9 % of a cold scan of effect and 14 % of one of
//! eclipse-theia, whose `.ts`, `.tsx` and `.js` files each need their own
//! (BENCHMARKS.md, session 16). The patterns below are simple enough to state
//! in a few lines of Rust. Each native keeps the text of the pattern it stands
//! for: the walk runs it only where that pattern's words occur, and the test
//! at the end compiles the text and checks the native gives exactly its
//! matches on every JavaScript and TypeScript file of the fixtures and benches.
//!
//! A native's match is reported after the query's matches at the same node
//! (the collector in `ts_arch` reads each match on its own, so the order
//! within one node does not change what it finds).
//!
//! As in a query: a field names the first child that has it, `(_)` is a named
//! node that is not an `ERROR`, `(arguments . (x))` is the first named child,
//! and a child step without a field may match any child (one match each).

use std::sync::LazyLock;

use tree_sitter::Node;

use super::query::{self, Captures, Native};

/// The natives of the architecture query, each with the pattern it stands for.
pub static NATIVES: &[Native] = &[
    Native { kind: "variable_declarator", pattern: Some(ROUTER_DEF), matches: router_def },
    Native { kind: "variable_declarator", pattern: Some(CLIENT_DEF), matches: client_def },
    Native { kind: "variable_declarator", pattern: Some(KV_CLIENT_DECL), matches: kv_client_decl },
    Native { kind: "variable_declarator", pattern: Some(COLLECTION_VAR_DECL), matches: collection_var_decl },
    Native { kind: "assignment_expression", pattern: Some(KV_CLIENT_ASSIGN), matches: kv_client_assign },
    Native { kind: "assignment_expression", pattern: Some(COLLECTION_VAR_ASSIGN), matches: collection_var_assign },
    Native { kind: "assignment_expression", pattern: Some(CONST_EXPORTS), matches: const_exports },
    Native { kind: "assignment_expression", pattern: Some(EXPORTS_MEMBER), matches: exports_member },
    Native { kind: "export_statement", pattern: Some(CLIENT_DEFAULT), matches: client_default },
    Native { kind: "program", pattern: Some(CLIENT_EXPORT), matches: client_export },
    Native { kind: "program", pattern: Some(IIFE_CONSTS), matches: iife_consts },
    Native { kind: "program", pattern: Some(IIFE_CONSTS_OUTER), matches: iife_consts_outer },
    Native { kind: "decorator", pattern: Some(NEST_DECORATOR), matches: nest_decorator },
    Native { kind: "decorator", pattern: Some(ENTITY_DECORATOR), matches: entity_decorator },
    Native { kind: "decorator", pattern: Some(SCHEMA_DECORATOR), matches: schema_decorator },
    Native { kind: "decorator", pattern: Some(PATTERN_DECORATOR), matches: pattern_decorator },
    Native { kind: "call_expression", pattern: Some(HTTP_CALL), matches: http_call },
    Native { kind: "call_expression", pattern: Some(PROXY_CALL), matches: proxy_call },
    Native { kind: "call_expression", pattern: Some(PROXY_REGISTER), matches: proxy_register },
    Native { kind: "call_expression", pattern: Some(DRIZZLE_TABLE), matches: drizzle_table },
    Native { kind: "call_expression", pattern: Some(KNEX_TABLE), matches: knex_table },
    Native { kind: "call_expression", pattern: Some(MONGO_COLLECTION), matches: mongo_collection },
    Native { kind: "call_expression", pattern: Some(PRISMA_MODEL), matches: prisma_model },
];

// ---- the patterns, as they were in queries/javascript/*.scm ----

/// `const app = express()`, `const r = express.Router()`, `new Hono()`, `Hapi.server({ port })` (endpoints.scm).
const ROUTER_DEF: &str = r#"(variable_declarator
  name: (identifier) @name
  value: [
    (call_expression function: (_) @ctor arguments: (arguments) @args)
    (new_expression constructor: (_) @ctor arguments: (arguments) @args)
  ]
  (#match? @ctor "^(express|express\\.Router|Router|fastify|Fastify|Hono|OpenAPIHono|KoaRouter|Koa|[Hh]api\\.[Ss]erver)$")) @router.def"#;
const ROUTER_CTORS: &[&str] = &[
    "Fastify",
    "Hapi.Server",
    "Hapi.server",
    "Hono",
    "Koa",
    "KoaRouter",
    "OpenAPIHono",
    "Router",
    "express",
    "express.Router",
    "fastify",
    "hapi.Server",
    "hapi.server",
];

/// `const api = axios.create({ baseURL })` (calls.scm).
const CLIENT_DEF: &str = r#"(variable_declarator
  name: (identifier) @name
  value: (call_expression
    function: (member_expression object: (identifier) @_o property: (property_identifier) @_p)
    arguments: (arguments) @args)
  (#any-of? @_o "axios" "got" "ky")
  (#any-of? @_p "create" "extend")) @client.def"#;
/// `export default axios.create({ baseURL })` (calls.scm).
const CLIENT_DEFAULT: &str = r#"(export_statement
  value: (call_expression
    function: (member_expression object: (identifier) @_o property: (property_identifier) @_p)
    arguments: (arguments) @args)
  (#any-of? @_o "axios" "got" "ky")
  (#any-of? @_p "create" "extend")) @client.default"#;
/// `module.exports = api` at the top level (calls.scm).
const CLIENT_EXPORT: &str = r#"(program (expression_statement (assignment_expression
  left: (member_expression object: (identifier) @_mod property: (property_identifier) @_exp)
  right: (identifier) @name
  (#eq? @_mod "module")
  (#eq? @_exp "exports")) @client.export))"#;
/// `module.exports = { cartsUrl: … }` anywhere (calls.scm).
const CONST_EXPORTS: &str = r#"(assignment_expression
  left: (member_expression object: (identifier) @_mod property: (property_identifier) @_exp)
  right: (object) @obj
  (#eq? @_mod "module")
  (#eq? @_exp "exports")) @const.exports"#;
/// `exports.API_URL = "http://…"`, `module.exports.API_URL = …` (calls.scm).
const EXPORTS_MEMBER: &str = r#"(assignment_expression
  left: (member_expression object: [(identifier) (member_expression)] @_exp property: (property_identifier) @name)
  right: (_) @value
  (#match? @_exp "^(module\\.)?exports$")) @const.def"#;
/// `(function () { var domain = ""; … }());` (calls.scm).
const IIFE_CONSTS: &str = r#"(program (expression_statement (parenthesized_expression (call_expression
  function: (function_expression body: (statement_block
    [(variable_declaration (variable_declarator name: (identifier) @name value: (_) @value))
     (lexical_declaration (variable_declarator name: (identifier) @name value: (_) @value))])))))) @const.def"#;
/// `(function () { … })();` (calls.scm).
const IIFE_CONSTS_OUTER: &str = r#"(program (expression_statement (call_expression
  function: (parenthesized_expression (function_expression body: (statement_block
    [(variable_declaration (variable_declarator name: (identifier) @name value: (_) @value))
     (lexical_declaration (variable_declarator name: (identifier) @name value: (_) @value))])))))) @const.def"#;
/// `fetch(url, { method: 'POST' })`, `axios(url)`, `got(url)` (calls.scm).
const HTTP_CALL: &str = r#"(call_expression
  function: (identifier) @client
  arguments: (arguments) @args
  (#any-of? @client "fetch" "axios" "got" "ky" "$fetch" "ofetch" "request" "$http")) @http.call"#;
pub(super) const HTTP_CLIENTS: &[&str] = &["$fetch", "$http", "axios", "fetch", "got", "ky", "ofetch", "request"];
/// `createProxyMiddleware({ target })`, `proxy(USERS_URL)` (calls.scm).
const PROXY_CALL: &str = r#"(call_expression
  function: (identifier) @client
  arguments: (arguments) @args
  (#any-of? @client "createProxyMiddleware" "legacyCreateProxyMiddleware" "proxy")) @proxy.call"#;
const PROXIES: &[&str] = &["createProxyMiddleware", "legacyCreateProxyMiddleware", "proxy"];
/// `app.register(require('@fastify/http-proxy'), { upstream, prefix })` (calls.scm).
const PROXY_REGISTER: &str = r#"(call_expression
  function: (member_expression property: (property_identifier) @client)
  arguments: (arguments . (_) . (object)) @args
  (#eq? @client "register")) @proxy.call"#;

/// `@Get(':id')`, `@Controller('users')`, `@Module({…})` (endpoints.scm).
const NEST_DECORATOR: &str = r#"(decorator
  (call_expression function: (identifier) @name arguments: (arguments) @args)
  (#any-of? @name "Controller" "Get" "Post" "Put" "Patch" "Delete" "Head" "Options" "All" "Sse" "Module"
    "GrpcMethod" "GrpcStreamMethod" "InjectGrpcClientService")) @endpoint.decorator"#;
const NEST_DECORATORS: &[&str] = &[
    "All",
    "Controller",
    "Delete",
    "Get",
    "GrpcMethod",
    "GrpcStreamMethod",
    "Head",
    "InjectGrpcClientService",
    "Module",
    "Options",
    "Patch",
    "Post",
    "Put",
    "Sse",
];
/// `@Entity('users')` (tables.scm).
const ENTITY_DECORATOR: &str = r#"(decorator
  (call_expression function: (identifier) @_e arguments: (arguments) @args)
  (#eq? @_e "Entity")) @db.entity"#;
/// `@Table({ tableName })`, `@Schema({ collection })` (tables.scm).
const SCHEMA_DECORATOR: &str = r#"(decorator
  (call_expression function: (identifier) @_t arguments: (arguments . (object)) @args)
  (#any-of? @_t "Schema" "Table")) @db.sequelize"#;
/// `@EventPattern('order_created')` (queues.scm).
const PATTERN_DECORATOR: &str = r#"(decorator
  (call_expression function: (identifier) @method arguments: (arguments . (_)) @args)
  (#any-of? @method "EventPattern" "MessagePattern")) @queue.op"#;

/// `pgTable('users', {…})` (tables.scm).
const DRIZZLE_TABLE: &str = r#"(call_expression
  function: (identifier) @_f
  arguments: (arguments . (string) @name)
  (#any-of? @_f "pgTable" "mysqlTable" "sqliteTable")) @db.table"#;
const DRIZZLE_FUNCTIONS: &[&str] = &["mysqlTable", "pgTable", "sqliteTable"];
/// `knex('users')` (tables.scm).
const KNEX_TABLE: &str = r#"(call_expression
  function: (identifier) @_f
  arguments: (arguments . (string) @name)
  (#any-of? @_f "knex" "db" "trx")) @db.knex"#;
const KNEX_FUNCTIONS: &[&str] = &["db", "knex", "trx"];
/// `db.collection('orders').find(q)` (tables.scm).
const MONGO_COLLECTION: &str = r#"(call_expression
  function: (member_expression
    object: (call_expression
      function: (member_expression property: (property_identifier) @_c)
      arguments: (arguments . (string) @name))
    property: (property_identifier) @op)
  (#eq? @_c "collection")) @db.mongo"#;
/// `this.prisma.user.create(d)` (tables.scm).
const PRISMA_MODEL: &str = r#"(call_expression
  function: (member_expression
    object: (member_expression object: (_) @_p property: (property_identifier) @class)
    property: (property_identifier) @op)
  (#match? @_p "prisma$")) @db.prisma"#;
/// `users = db.collection('users')` (tables.scm).
const COLLECTION_VAR_ASSIGN: &str = r#"(assignment_expression
  left: (identifier) @name
  right: (call_expression
    function: (member_expression property: (property_identifier) @_c)
    arguments: (arguments . (string) @value))
  (#eq? @_c "collection")) @db.collection_var"#;
/// `const users = db.collection('users')` (tables.scm).
const COLLECTION_VAR_DECL: &str = r#"(variable_declarator
  name: (identifier) @name
  value: (call_expression
    function: (member_expression property: (property_identifier) @_c)
    arguments: (arguments . (string) @value))
  (#eq? @_c "collection")) @db.collection_var"#;
/// `const redis = new Redis(url)`, `createClient({ url })` (tables.scm).
const KV_CLIENT_DECL: &str = r#"(variable_declarator
  name: (identifier) @name
  value: [(new_expression constructor: (_) @ctor)
          (call_expression function: (_) @ctor)
          (await_expression (call_expression function: (_) @ctor))]
  (#match? @ctor "(^|\\.)(Redis|IORedis|createClient|createCluster|Cluster)$")) @kv.client"#;
/// `this.redis = new Redis(url)` (tables.scm).
const KV_CLIENT_ASSIGN: &str = r#"(assignment_expression
  left: (member_expression) @name
  right: [(new_expression constructor: (_) @ctor) (call_expression function: (_) @ctor)]
  (#match? @ctor "(^|\\.)(Redis|IORedis|createClient|createCluster|Cluster)$")) @kv.client"#;
static KV_CTOR: LazyLock<Option<regex::Regex>> =
    LazyLock::new(|| regex::Regex::new(r"(^|\.)(Redis|IORedis|createClient|createCluster|Cluster)$").ok());

// ---- the natives ----

/// A node `(_)` matches: named, not an `ERROR`.
fn any(n: Node) -> Option<Node> {
    (n.is_named() && !n.is_error()).then_some(n)
}

/// The first child with `field`, when it is of `kind`.
fn field<'t>(n: Node<'t>, name: &str, kind: &str) -> Option<Node<'t>> {
    n.child_by_field_name(name).filter(|c| c.kind() == kind)
}

/// Every child of `n` of `kind` (a child step without a field: one match each).
/// (With a cursor: `Node::child(i)` counts from the first child, so a loop of
/// them is quadratic in a program's top-level statements.)
fn children_of<'t>(n: Node<'t>, kind: &'static str) -> impl Iterator<Item = Node<'t>> {
    let mut cursor = n.walk();
    let kids: Vec<Node<'t>> = n.children(&mut cursor).filter(|c| c.kind() == kind).collect();
    kids.into_iter()
}

/// The ctor of `ROUTER_DEF`/`KV_CLIENT_*`'s value: `(call_expression function: (_))` or
/// `(new_expression constructor: (_))`, with the call's `arguments: (arguments)` when `args`.
fn made_by<'t>(value: Node<'t>, args: bool) -> Option<(Node<'t>, Option<Node<'t>>)> {
    let ctor_field = match value.kind() {
        "call_expression" => "function",
        "new_expression" => "constructor",
        _ => return None,
    };
    let ctor = any(value.child_by_field_name(ctor_field)?)?;
    if !args {
        return Some((ctor, None));
    }
    Some((ctor, Some(field(value, "arguments", "arguments")?)))
}

fn router_def<'t>(decl: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let (Some(name), Some(value)) = (field(decl, "name", "identifier"), decl.child_by_field_name("value")) else {
        return false;
    };
    let Some((ctor, Some(args))) = made_by(value, true) else { return false };
    if !ROUTER_CTORS.contains(&query::text(ctor, src)) {
        return false;
    }
    caps.extend([("router.def", decl), ("name", name), ("ctor", ctor), ("args", args)]);
    true
}

/// `axios.create(…)`: its argument list, when the call is one (`CLIENT_DEF`).
fn client_factory<'t>(call: Node<'t>, src: &[u8]) -> Option<Node<'t>> {
    let f = field(call, "function", "member_expression")?;
    let (o, p) = (field(f, "object", "identifier")?, field(f, "property", "property_identifier")?);
    let made =
        ["axios", "got", "ky"].contains(&query::text(o, src)) && ["create", "extend"].contains(&query::text(p, src));
    made.then(|| field(call, "arguments", "arguments")).flatten()
}

fn client_def<'t>(decl: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let (Some(name), Some(call)) = (field(decl, "name", "identifier"), field(decl, "value", "call_expression")) else {
        return false;
    };
    let Some(args) = client_factory(call, src) else { return false };
    caps.extend([("client.def", decl), ("name", name), ("args", args)]);
    true
}

fn client_default<'t>(export: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(args) = field(export, "value", "call_expression").and_then(|c| client_factory(c, src)) else {
        return false;
    };
    caps.extend([("client.default", export), ("args", args)]);
    true
}

/// `module.exports` on the left of `assign`.
fn assigns_module_exports(assign: Node, src: &[u8]) -> bool {
    let Some(left) = field(assign, "left", "member_expression") else { return false };
    let (o, p) = (field(left, "object", "identifier"), field(left, "property", "property_identifier"));
    o.zip(p).is_some_and(|(o, p)| query::text(o, src) == "module" && query::text(p, src) == "exports")
}

/// Matches of `program (expression_statement …)`: each top-level statement's
/// expression child of `kind`.
fn top_expressions<'t>(program: Node<'t>, kind: &'static str) -> impl Iterator<Item = Node<'t>> {
    children_of(program, "expression_statement").flat_map(move |s| children_of(s, kind))
}

fn client_export<'t>(program: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    // Every top-level `module.exports = name`: one match each.
    let found: Vec<(Node<'t>, Node<'t>)> = top_expressions(program, "assignment_expression")
        .filter(|a| assigns_module_exports(*a, src))
        .filter_map(|a| Some((a, field(a, "right", "identifier")?)))
        .collect();
    push_all(caps, found.into_iter().map(|(a, name)| vec![("client.export", a), ("name", name)]))
}

fn const_exports<'t>(assign: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(obj) = field(assign, "right", "object").filter(|_| assigns_module_exports(assign, src)) else {
        return false;
    };
    caps.extend([("const.exports", assign), ("obj", obj)]);
    true
}

fn exports_member<'t>(assign: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(left) = field(assign, "left", "member_expression") else { return false };
    let object = left.child_by_field_name("object").filter(|o| matches!(o.kind(), "identifier" | "member_expression"));
    let (Some(object), Some(name)) = (object, field(left, "property", "property_identifier")) else {
        return false;
    };
    let Some(value) = assign.child_by_field_name("right").and_then(any) else { return false };
    if !matches!(query::text(object, src), "exports" | "module.exports") {
        return false;
    }
    caps.extend([("const.def", assign), ("name", name), ("value", value)]);
    true
}

/// The `name`/`value` pairs of the declarations directly in a function's body
/// (`IIFE_CONSTS`): `(statement_block [(variable_declaration (variable_declarator …)) …])`.
fn body_consts<'t>(function: Node<'t>) -> Vec<(Node<'t>, Node<'t>)> {
    let Some(body) = field(function, "body", "statement_block") else { return Vec::new() };
    let mut out = Vec::new();
    let mut cursor = body.walk();
    for decl in body.children(&mut cursor) {
        if !matches!(decl.kind(), "variable_declaration" | "lexical_declaration") {
            continue;
        }
        for d in children_of(decl, "variable_declarator") {
            let name = field(d, "name", "identifier");
            if let (Some(name), Some(value)) = (name, d.child_by_field_name("value").and_then(any)) {
                out.push((name, value));
            }
        }
    }
    out
}

fn iife_consts<'t>(program: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    let functions = top_expressions(program, "parenthesized_expression")
        .flat_map(|p| children_of(p, "call_expression"))
        .filter_map(|c| field(c, "function", "function_expression"));
    let found: Vec<_> = functions.flat_map(body_consts).collect();
    push_all(
        caps,
        found.into_iter().map(|(name, value)| vec![("const.def", program), ("name", name), ("value", value)]),
    )
}

fn iife_consts_outer<'t>(program: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    let functions = top_expressions(program, "call_expression")
        .filter_map(|c| field(c, "function", "parenthesized_expression"))
        .flat_map(|p| children_of(p, "function_expression"));
    let found: Vec<_> = functions.flat_map(body_consts).collect();
    push_all(
        caps,
        found.into_iter().map(|(name, value)| vec![("const.def", program), ("name", name), ("value", value)]),
    )
}

/// A decorator's `(call_expression function: (identifier) arguments: (arguments))`
/// children whose name is in `names`: (call's name, arguments) of the first.
fn decorator_call<'t>(dec: Node<'t>, src: &[u8], names: &[&str]) -> Vec<(Node<'t>, Node<'t>)> {
    children_of(dec, "call_expression")
        .filter_map(|c| Some((field(c, "function", "identifier")?, field(c, "arguments", "arguments")?)))
        .filter(|(n, _)| names.contains(&query::text(*n, src)))
        .collect()
}

fn nest_decorator<'t>(dec: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let found = decorator_call(dec, src, NEST_DECORATORS);
    push_all(caps, found.into_iter().map(|(n, a)| vec![("endpoint.decorator", dec), ("name", n), ("args", a)]))
}

fn entity_decorator<'t>(dec: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let found = decorator_call(dec, src, &["Entity"]);
    push_all(caps, found.into_iter().map(|(_, a)| vec![("db.entity", dec), ("args", a)]))
}

fn schema_decorator<'t>(dec: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let found = decorator_call(dec, src, &["Schema", "Table"]);
    let found = found.into_iter().filter(|(_, a)| a.named_child(0).is_some_and(|f| f.kind() == "object"));
    push_all(caps, found.map(|(_, a)| vec![("db.sequelize", dec), ("args", a)]))
}

fn pattern_decorator<'t>(dec: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let found = decorator_call(dec, src, &["EventPattern", "MessagePattern"]);
    let found = found.into_iter().filter(|(_, a)| a.named_child(0).and_then(any).is_some());
    push_all(caps, found.map(|(m, a)| vec![("queue.op", dec), ("method", m), ("args", a)]))
}

/// `f(args)` with `f` an identifier in `names`: (f, arguments).
fn named_call<'t>(call: Node<'t>, src: &[u8], names: &[&str]) -> Option<(Node<'t>, Node<'t>)> {
    let f = field(call, "function", "identifier").filter(|f| names.contains(&query::text(*f, src)))?;
    Some((f, field(call, "arguments", "arguments")?))
}

fn http_call<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some((client, args)) = named_call(call, src, HTTP_CLIENTS) else { return false };
    caps.extend([("http.call", call), ("client", client), ("args", args)]);
    true
}

fn proxy_call<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some((client, args)) = named_call(call, src, PROXIES) else { return false };
    caps.extend([("proxy.call", call), ("client", client), ("args", args)]);
    true
}

fn proxy_register<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(client) = field(call, "function", "member_expression")
        .and_then(|m| field(m, "property", "property_identifier"))
        .filter(|p| query::text(*p, src) == "register")
    else {
        return false;
    };
    let Some(args) = field(call, "arguments", "arguments") else { return false };
    let first = args.named_child(0).and_then(any);
    if first.is_none() || args.named_child(1).is_none_or(|o| o.kind() != "object") {
        return false;
    }
    caps.extend([("proxy.call", call), ("client", client), ("args", args)]);
    true
}

/// `f('name', …)` with `f` in `names`: the string.
fn table_call<'t>(call: Node<'t>, src: &[u8], names: &[&str]) -> Option<Node<'t>> {
    let (_, args) = named_call(call, src, names)?;
    args.named_child(0).filter(|s| s.kind() == "string")
}

fn drizzle_table<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(name) = table_call(call, src, DRIZZLE_FUNCTIONS) else { return false };
    caps.extend([("db.table", call), ("name", name)]);
    true
}

fn knex_table<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(name) = table_call(call, src, KNEX_FUNCTIONS) else { return false };
    caps.extend([("db.knex", call), ("name", name)]);
    true
}

/// `x.collection('name')`: the string (`COLLECTION_VAR_*`, `MONGO_COLLECTION`).
fn collection_call<'t>(call: Node<'t>, src: &[u8]) -> Option<Node<'t>> {
    let f = field(call, "function", "member_expression")?;
    field(f, "property", "property_identifier").filter(|p| query::text(*p, src) == "collection")?;
    field(call, "arguments", "arguments")?.named_child(0).filter(|s| s.kind() == "string")
}

fn mongo_collection<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(f) = field(call, "function", "member_expression") else { return false };
    let inner = field(f, "object", "call_expression");
    let (Some(name), Some(op)) =
        (inner.and_then(|c| collection_call(c, src)), field(f, "property", "property_identifier"))
    else {
        return false;
    };
    caps.extend([("db.mongo", call), ("name", name), ("op", op)]);
    true
}

fn prisma_model<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(f) = field(call, "function", "member_expression") else { return false };
    let (Some(object), Some(op)) =
        (field(f, "object", "member_expression"), field(f, "property", "property_identifier"))
    else {
        return false;
    };
    let prisma =
        object.child_by_field_name("object").and_then(any).filter(|p| query::text(*p, src).ends_with("prisma"));
    let (Some(_), Some(class)) = (prisma, field(object, "property", "property_identifier")) else { return false };
    caps.extend([("db.prisma", call), ("class", class), ("op", op)]);
    true
}

fn collection_var_assign<'t>(assign: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let name = field(assign, "left", "identifier");
    let value = field(assign, "right", "call_expression").and_then(|c| collection_call(c, src));
    let (Some(name), Some(value)) = (name, value) else { return false };
    caps.extend([("db.collection_var", assign), ("name", name), ("value", value)]);
    true
}

fn collection_var_decl<'t>(decl: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let name = field(decl, "name", "identifier");
    let value = field(decl, "value", "call_expression").and_then(|c| collection_call(c, src));
    let (Some(name), Some(value)) = (name, value) else { return false };
    caps.extend([("db.collection_var", decl), ("name", name), ("value", value)]);
    true
}

fn kv_ctor(ctor: Node, src: &[u8]) -> bool {
    KV_CTOR.as_ref().is_some_and(|r| r.is_match(query::text(ctor, src)))
}

fn kv_client_decl<'t>(decl: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let (Some(name), Some(value)) = (field(decl, "name", "identifier"), decl.child_by_field_name("value")) else {
        return false;
    };
    let ctors: Vec<Node<'t>> = match value.kind() {
        "await_expression" => {
            children_of(value, "call_expression").filter_map(|c| made_by(c, false)).map(|m| m.0).collect()
        }
        _ => made_by(value, false).map(|m| m.0).into_iter().collect(),
    };
    let found = ctors.into_iter().filter(|c| kv_ctor(*c, src));
    push_all(caps, found.map(|ctor| vec![("kv.client", decl), ("name", name), ("ctor", ctor)]))
}

fn kv_client_assign<'t>(assign: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let name = field(assign, "left", "member_expression");
    let ctor = assign.child_by_field_name("right").and_then(|v| made_by(v, false)).map(|m| m.0);
    let (Some(name), Some(ctor)) = (name, ctor.filter(|c| kv_ctor(*c, src))) else { return false };
    caps.extend([("kv.client", assign), ("name", name), ("ctor", ctor)]);
    true
}

/// Several matches from one native: `caps` holds them one after another, each
/// starting with its outer capture (the only one with a `.`), as `LangQuery` splits them.
fn push_all<'t>(caps: &mut Captures<'t>, matches: impl Iterator<Item = Vec<(&'static str, Node<'t>)>>) -> bool {
    let before = caps.len();
    matches.for_each(|m| caps.extend(m));
    caps.len() > before
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    #[test]
    fn tables_are_sorted() {
        crate::resolve::assert_sorted(&[
            ROUTER_CTORS,
            HTTP_CLIENTS,
            PROXIES,
            NEST_DECORATORS,
            DRIZZLE_FUNCTIONS,
            KNEX_FUNCTIONS,
        ]);
    }

    /// Each native gives, match for match, what its pattern gives compiled as a
    /// query, on every JavaScript and TypeScript file of the fixtures and
    /// benches and on edge cases; and the walk that runs a native only where
    /// its pattern's words occur finds all of them.
    #[test]
    fn natives_match_their_patterns() {
        let mut samples = query::sample_sources(&[".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx"]);
        assert!(samples.len() > 50, "{}", samples.len());
        let edge = "const app = express(); const r = express.Router(); let h = new Hono(); const k = new Koa;\n\
            const x = express /* c */ (); var f = Fastify({}), g = fastify(); const t = Router`x`;\n\
            const api = axios.create({ baseURL: u }); const b = got.extend(); const c = axios.create;\n\
            export default axios.create({ baseURL: u }); export default ky.extend;\n\
            module.exports = api; module.exports = { a: 1 }; module['exports'] = api; exports.URL = 'http://x';\n\
            module.exports.URL = `http://${h}`; exports.f = function () {}; window.exports.X = 1;\n\
            (function () { var d = ''; let e = 1, f2 = 'x'; const g2; })();\n\
            (function () { var d = 'a'; }());\n(() => { var z = 1; })();\n\
            fetch(u); fetch`x`; axios(u, { method: 'post' }); request(o, cb); $fetch('/a'); a.fetch(u);\n\
            app.use('/u', createProxyMiddleware({ target: T })); proxy(U); app.register(p, { prefix: '/v' });\n\
            app.register(p); app.register(p, o); app.register(/* c */ p, { a }); app.register(p, { a }, x);\n\
            @Controller('users') class C { @Get(':id') g() {} @Post() p() {} @EventPattern('t') e() {} @MessagePattern() m() {} }\n\
            @Entity('users') class E {} @Entity() class F {} @Table({ tableName: 't' }) class T {} @Schema() class S {}\n\
            pgTable('users', {}); mysqlTable(name, {}); knex('users').where(); db('t'); trx(`t`);\n\
            db.collection('orders').find(q); db.collection(name).find(q); this.prisma.user.create(d); prisma.post.findMany();\n\
            users = db.collection('users'); const orders = client.db().collection('orders'); let o2 = db.collection(n);\n\
            const redis = new Redis(url); const c2 = createClient({ url }); const c3 = await createClient(); const c4 = redis.createCluster();\n\
            this.redis = new IORedis(u); this.c = createClient(); this.d = new NotRedis(); const e2 = new MyRedis();\n\
            const q = await (createClient()); const app2 = express(@@); module.exports = ;\n";
        samples.extend(["ts", "tsx", "js"].map(|ext| (format!("edge.{ext}"), edge.to_string())));
        let mut total = 0;
        for lang in [Lang::TypeScript, Lang::Tsx, Lang::JavaScript] {
            let language = super::super::typescript::language(lang);
            let captures = super::super::typescript::full_captures();
            let patterns: Vec<&str> = NATIVES.iter().filter_map(|n| n.pattern).collect();
            assert_eq!(patterns.len(), NATIVES.len());
            let old = query::LangQuery::new(&language, &patterns, &captures).unwrap();
            let new = query::LangQuery::with_natives(&language, &[], &captures, NATIVES).unwrap();
            for (name, src) in &samples {
                let ext = name.rsplit('.').next().unwrap_or("");
                let of_lang = match lang {
                    Lang::TypeScript => matches!(ext, "ts" | "mts" | "cts"),
                    Lang::Tsx => ext == "tsx",
                    _ => !matches!(ext, "ts" | "mts" | "cts" | "tsx"),
                };
                if !of_lang {
                    continue;
                }
                let tree = query::parse(&language, src).unwrap();
                let mut facts = crate::model::FileFacts::default();
                let mut want = Vec::new();
                old.for_each_match(tree.root_node(), src.as_bytes(), None, ("t", &mut facts), |caps| {
                    want.push(query::named_match(caps));
                });
                let mut got = Vec::new();
                new.for_each_match(tree.root_node(), src.as_bytes(), None, ("t", &mut facts), |caps| {
                    got.push(query::named_match(caps));
                });
                want.sort();
                got.sort();
                assert_eq!(want, got, "{name}");
                total += want.len();
            }
        }
        assert!(total > 100, "{total}");
    }
}
