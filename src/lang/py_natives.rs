//! Python architecture patterns matched in Rust rather than compiled into the
//! query (see [`Native`]), as `ts_natives` does for JavaScript/TypeScript.
//!
//! Tree-sitter analyses every pattern against the grammar when a query is
//! compiled: Python's architecture patterns cost 400 M instructions to
//! compile, 5 % of a cold scan of Django and a pause of ~50 ms that every
//! worker waits out before its first file's query can run (BENCHMARKS.md,
//! session 19). Each pattern below is a few lines of Rust. Each native keeps
//! the text of the pattern it stands for: the walk runs it only where that
//! pattern's words occur, and the test at the end compiles the text and
//! checks the native gives exactly its matches on every Python file of the
//! fixtures and benches. The import patterns are natives too (`lang/py_imports.rs`):
//! Python compiles no query at all.
//!
//! As in a query: a field names the first child that has it, `(_)` is a named
//! node that is not an `ERROR`, `(argument_list . (x))` is the first named
//! child, and a child step without a field may match any child (one match each).

use tree_sitter::Node;

use super::py_shapes;
use super::query::{self, Captures, FieldExt, Native};

/// The natives of the architecture query, each with the pattern it stands for,
/// in the order of the `.scm` files the patterns were in; `py_arch::constant` last.
pub static NATIVES: &[Native] = &[
    Native { kind: "import_from_statement", pattern: Some(BIND_ALIAS), matches: bind_alias },
    Native { kind: "decorated_definition", pattern: Some(ROUTE_DECORATOR), matches: route_decorator },
    Native { kind: "call", pattern: Some(ROUTE_CALLED), matches: route_called },
    Native { kind: "call", pattern: Some(VIEWSET_REGISTER), matches: viewset_register },
    Native { kind: "class_definition", pattern: Some(DRF_VIEW), matches: drf_view },
    Native { kind: "augmented_assignment", pattern: Some(URLS_AUGMENTED), matches: urls_augmented },
    Native { kind: "assignment", pattern: Some(URLS_ASSIGNED), matches: urls_assigned },
    Native { kind: "with_item", pattern: Some(CLIENT_WITH), matches: client_with },
    Native { kind: "call", pattern: Some(GRPC_CHANNEL), matches: grpc_channel },
    Native { kind: "string", pattern: Some(SQL_STRING), matches: sql_string },
    Native { kind: "class_definition", pattern: Some(TABLENAME), matches: tablename },
    Native { kind: "call", pattern: Some(TABLE_CALL), matches: table_call },
    Native { kind: "class_definition", pattern: Some(MODEL_CLASS), matches: model_class },
    Native { kind: "class_definition", pattern: Some(SQLMODEL_CLASS), matches: sqlmodel_class },
    Native { kind: "call", pattern: Some(MANAGER_USE), matches: manager_use },
    Native { kind: "call", pattern: Some(SESSION_USE), matches: session_use },
    Native { kind: "class_definition", pattern: Some(ANY_CLASS), matches: any_class },
    Native { kind: "call", pattern: Some(CALL_METHOD), matches: call_method },
    Native { kind: "call", pattern: Some(CALL_FUNCTION), matches: call_function },
    Native { kind: "assignment", pattern: Some(ASSIGN_CALL), matches: assign_call },
    Native { kind: "expression_statement", pattern: None, matches: super::py_arch::constant },
];

// ---- the patterns, as they were in queries/python/*.scm ----

/// `from m import a as b`: the name bound for each aliased name (endpoints.scm).
const BIND_ALIAS: &str = r#"(import_from_statement
  name: (aliased_import name: (dotted_name) @name alias: (identifier) @alias)) @bind.alias"#;

/// `@app.route("/p", methods=[...])`, `@bp.get("/p")`, `@router.post("/p")` (endpoints.scm).
const ROUTE_DECORATOR: &str = r#"(decorated_definition
  (decorator
    (call
      function: (attribute object: (_) @router attribute: (identifier) @method)
      arguments: (argument_list) @args))
  definition: (function_definition name: (identifier) @handler)
  (#any-of? @method "route" "get" "post" "put" "patch" "delete" "head" "options" "api_route" "websocket")) @endpoint.route"#;
/// The decorator methods of [`ROUTE_DECORATOR`] (sorted).
const DECORATOR_METHODS: &[&str] =
    &["api_route", "delete", "get", "head", "options", "patch", "post", "put", "route", "websocket"];
/// `self.app.post("/prompt")(self.handle_prompt)`: the decorator called on the handler (endpoints.scm).
const ROUTE_CALLED: &str = r#"(call
  function: (call
    function: (attribute object: (_) @router attribute: (identifier) @method)
    arguments: (argument_list) @args)
  arguments: (argument_list . [(identifier) (attribute)] @handler .)
  (#any-of? @method "route" "get" "post" "put" "patch" "delete" "head" "options" "api_route")) @endpoint.called"#;
/// The methods of [`ROUTE_CALLED`] (sorted).
const CALLED_METHODS: &[&str] = &["api_route", "delete", "get", "head", "options", "patch", "post", "put", "route"];
/// Django REST framework: `router.register(r"users", UserViewSet, basename="user")` (endpoints.scm).
const VIEWSET_REGISTER: &str = r#"(call
  function: (attribute object: (_) @router attribute: (identifier) @method)
  arguments: (argument_list . (string) @path . (_) @handler)
  (#eq? @method "register")) @endpoint.viewset"#;
/// `class UserViewSet(viewsets.ModelViewSet)`, `class ItemView(APIView)` (endpoints.scm).
const DRF_VIEW: &str = r#"(class_definition
  name: (identifier) @class
  superclasses: (argument_list) @base
  body: (block) @body
  (#match? @base "View|ModelMixin|ObtainAuthToken")) @drf.viewset"#;
/// `urlpatterns += router.urls` (endpoints.scm).
const URLS_AUGMENTED: &str = r#"(augmented_assignment
  left: (identifier) @parent
  right: (attribute object: (_) @child attribute: (identifier) @_u)
  (#eq? @_u "urls")) @router.urls"#;
/// `urlpatterns = [...] + router.urls`, `urlpatterns = router.urls` (endpoints.scm).
const URLS_ASSIGNED: &str = r#"(assignment
  left: (identifier) @parent
  right: [(attribute object: (_) @child attribute: (identifier) @_u)
          (binary_operator (attribute object: (_) @child attribute: (identifier) @_u))]
  (#eq? @_u "urls")) @router.urls"#;
/// `with aiohttp.ClientSession() as s:` (calls.scm).
const CLIENT_WITH: &str = r#"(with_item
  value: (as_pattern
    (call function: [(identifier) (attribute)] @ctor arguments: (argument_list) @args)
    alias: (as_pattern_target (identifier) @name))
  (#match? @ctor "(^|\\.)(Client|AsyncClient|Session|ClientSession)$")) @client.def"#;
/// `grpc.insecure_channel("cart:7070")`, `grpc.secure_channel(addr, creds)` (calls.scm).
const GRPC_CHANNEL: &str = r#"(call
  function: (attribute object: (identifier) @_g attribute: (identifier) @method)
  arguments: (argument_list . (_) @url)
  (#eq? @_g "grpc")
  (#match? @method "channel$")) @grpc.channel"#;
/// `"SELECT … FROM t"`, `f"UPDATE t SET …"` (tables.scm).
const SQL_STRING: &str = r#"((string) @sql
  (#match? @sql "^[a-zA-Z]{0,2}(\"|')+\\s*(?i:select|insert|update|delete|with|create|alter|replace)\\s")) @db.sql"#;
static SQL_START: std::sync::LazyLock<Option<regex::bytes::Regex>> = std::sync::LazyLock::new(|| {
    regex::bytes::Regex::new(r#"^[a-zA-Z]{0,2}("|')+\s*(?i:select|insert|update|delete|with|create|alter|replace)\s"#)
        .ok()
});
/// `class User(Base): __tablename__ = "users"` (tables.scm).
const TABLENAME: &str = r#"(class_definition
  name: (identifier) @class
  body: (block
    (expression_statement
      (assignment left: (identifier) @_k right: (string) @name)))
  (#eq? @_k "__tablename__")) @db.table"#;
/// `users = Table("users", metadata, ...)` (tables.scm).
const TABLE_CALL: &str = r#"(call
  function: [(identifier) (attribute)] @_f
  arguments: (argument_list . (string) @name)
  (#match? @_f "(^|\\.)Table$")) @db.table"#;
/// `class Item(models.Model)` (tables.scm).
const MODEL_CLASS: &str = r#"(class_definition
  name: (identifier) @class
  superclasses: (argument_list [(attribute) (identifier)] @base)
  body: (block) @body
  (#match? @base "(^|\\.)Model$")) @db.model"#;
/// `class Hero(SQLModel, table=True)` (tables.scm).
const SQLMODEL_CLASS: &str = r#"(class_definition
  name: (identifier) @class
  superclasses: (argument_list
    (keyword_argument name: (identifier) @_k value: (true)))
  (#eq? @_k "table")) @db.sqlmodel"#;
/// `Item.objects.filter(...)`, `User.query.filter_by(...)` (tables.scm).
const MANAGER_USE: &str = r#"(call
  function: (attribute
    object: (attribute object: (identifier) @class attribute: (identifier) @_o)
    attribute: (identifier) @op)
  (#any-of? @_o "objects" "query")) @db.model_use"#;
/// `session.query(User)`, `select(User)`, `insert(User)` (tables.scm).
const SESSION_USE: &str = r#"(call
  function: [(identifier) (attribute)] @op
  arguments: (argument_list . (identifier) @class)
  (#match? @op "(^|\\.)(query|select|insert|update|delete)$")) @db.model_use"#;
/// The last names [`SESSION_USE`] takes (sorted).
const SESSION_OPS: &[&str] = &["delete", "insert", "query", "select", "update"];
/// Peewee: any class with bases; which are models is decided from the file's class chain (tables.scm).
const ANY_CLASS: &str = r#"(class_definition
  name: (identifier) @class
  superclasses: (argument_list [(attribute) (identifier)] @base)
  body: (block) @body) @db.class"#;
/// `app.include_router(r)`, `requests.get(url)`, `db.users.find(…)`, `r.hset(k, v)` (shapes.scm).
const CALL_METHOD: &str = r#"(call
  function: (attribute object: (_) @obj attribute: (identifier) @method)
  (#any-of? @method "add_api_route" "add_delete" "add_get" "add_head" "add_patch" "add_post" "add_put" "add_route" "add_routes" "add_subapp" "add_url_rule" "add_view" "aggregate" "all" "all_pks" "basic_consume" "basic_publish" "bind" "blpop" "brpop" "bulk_create" "bulk_write" "consume" "count_documents" "create" "declare" "declare_queue" "decr" "decrby" "delete" "delete_by_id" "delete_many" "delete_one" "exchange_declare" "exists" "expire" "find" "find_all" "find_one" "find_one_and_update" "get" "get_by_id" "get_or_create" "get_or_none" "getdel" "getset" "hdel" "head" "hexists" "hget" "hgetall" "hincrby" "hkeys" "hmget" "hmset" "hset" "hsetnx" "hvals" "include_router" "incr" "incrby" "insert" "insert_many" "insert_one" "llen" "lpush" "lrange" "mget" "mset" "options" "patch" "post" "produce" "publish" "put" "queue_bind" "receive_message" "register_blueprint" "replace" "replace_one" "request" "route" "rpush" "sadd" "scard" "select" "send" "send_and_wait" "send_message" "set" "setex" "setnx" "sismember" "smembers" "srem" "stream" "subscribe" "update" "update_many" "update_one" "view" "xadd" "xread" "xreadgroup" "zadd" "zcard" "zincrby" "zrange" "zrangebyscore" "zrem" "zrevrange" "zscore")) @call.method"#;
/// `path("p/", v)`, `Route("/p", h)`, `urlopen(url)`, `XStub(ch)`, `KafkaConsumer("t")` (shapes.scm).
const CALL_FUNCTION: &str = r#"(call
  function: [(identifier) (attribute)] @function
  (#match? @function "(^|\\.)(AIOKafkaConsumer|AIOKafkaProducer|KafkaConsumer|KafkaProducer|Mount|Route|WebSocketRoute|add_delete|add_get|add_patch|add_post|add_put|add_route|path|re_path|streamable_http_client|streamablehttp_client|url|urlopen|add_[A-Za-z0-9_]+Servicer_to_server|[A-Za-z0-9_]+Stub)$")) @call.function"#;
/// `app = Flask(__name__)`, `self.app = FastAPI()`, `client = httpx.Client(…)` (shapes.scm).
const ASSIGN_CALL: &str = r#"(assignment
  left: [(identifier) (attribute)] @name
  right: (call function: [(identifier) (attribute)] @ctor) @value
  (#match? @ctor "(^|\\.)(APIRouter|Application|AsyncClient|Blueprint|Client|ClientSession|DefaultRouter|FastAPI|Flask|InferringRouter|Quart|Redis|RedisCluster|RouteTableDef|Sanic|Session|SimpleRouter|Starlette|StrictRedis|from_url)$")) @assign.call"#;

/// The shape patterns `py_shapes::expand` turns into per-framework matches (its tests compile them).
#[cfg(test)]
pub(super) const SHAPE_PATTERNS: &[&str] = &[CALL_METHOD, CALL_FUNCTION, ASSIGN_CALL];

// ---- the natives ----

/// Field ids looked up once: `child_by_field_name` searches the names by string.
struct Fields {
    function: u16,
    arguments: u16,
    object: u16,
    attribute: u16,
    name: u16,
    value: u16,
    left: u16,
    right: u16,
    superclasses: u16,
    body: u16,
    definition: u16,
    alias: u16,
}

static FIELDS: std::sync::LazyLock<Fields> = std::sync::LazyLock::new(|| {
    let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
    // 0 is no field: `child_by_field_id(0)` finds nothing, as a missing name would.
    let id = |name: &str| language.field_id_for_name(name).map_or(0, std::num::NonZeroU16::get);
    Fields {
        function: id("function"),
        arguments: id("arguments"),
        object: id("object"),
        attribute: id("attribute"),
        name: id("name"),
        value: id("value"),
        left: id("left"),
        right: id("right"),
        superclasses: id("superclasses"),
        body: id("body"),
        definition: id("definition"),
        alias: id("alias"),
    }
});

/// The first child with field `id`, when it is of `kind`.
fn field<'t>(n: Node<'t>, id: u16, kind: &str) -> Option<Node<'t>> {
    n.child_by_field_id(id).filter(|c| c.kind_name() == kind)
}

/// A node `(_)` matches: named, not an `ERROR`.
fn any(n: Node) -> Option<Node> {
    (n.is_named() && !n.is_error()).then_some(n)
}

/// `[(identifier) (attribute)]`.
fn name_like(n: Node) -> Option<Node> {
    matches!(n.kind_name(), "identifier" | "attribute").then_some(n)
}

/// Every child of `n` (a child step without a field: one match each).
fn children<'t>(n: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = n.walk();
    n.children(&mut cursor).collect()
}

/// The first named child of `n` (`(argument_list . (x))`).
fn first_named(n: Node) -> Option<Node> {
    n.named_child(0)
}

fn has(table: &[&str], name: &str) -> bool {
    table.binary_search(&name).is_ok()
}

/// What `(^|\.)NAME$` tests: the text after its last dot.
fn last_name(text: &str) -> &str {
    &text[text.rfind('.').map_or(0, |i| i + 1)..]
}

/// `(^|\.)NAME$` for `NAME` in the sorted `table`.
fn ends_with_name(text: &str, table: &[&str]) -> bool {
    has(table, last_name(text))
}

/// `attribute object: (_) @obj attribute: (identifier) @method`: (obj, method).
fn member<'t>(attr: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let f = &*FIELDS;
    (attr.kind_name() == "attribute").then_some(())?;
    Some((any(attr.child_by_field_id(f.object)?)?, field(attr, f.attribute, "identifier")?))
}

/// Push each match of `found` (each led by its outer capture).
fn push_all<'t>(caps: &mut Captures<'t>, found: impl IntoIterator<Item = [(&'static str, Node<'t>); 4]>) -> bool {
    let before = caps.len();
    found.into_iter().for_each(|m| caps.extend(m));
    caps.len() > before
}

/// Each `name as alias` of a `from` import, one match each.
fn bind_alias<'t>(stmt: Node<'t>, _: &[u8], caps: &mut Captures<'t>) -> bool {
    let mut walk = stmt.walk();
    let mut more = walk.goto_first_child();
    while more {
        let child = walk.node();
        if walk.field_name() == Some("name") && child.kind_name() == "aliased_import" {
            let name = child.field("name").filter(|n| n.kind_name() == "dotted_name");
            let alias = child.field("alias").filter(|a| a.kind_name() == "identifier");
            if let (Some(name), Some(alias)) = (name, alias) {
                caps.extend([("bind.alias", stmt), ("name", name), ("alias", alias)]);
            }
        }
        more = walk.goto_next_sibling();
    }
    !caps.is_empty()
}

fn route_decorator<'t>(def: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let f = &*FIELDS;
    let Some(handler) = field(def, f.definition, "function_definition").and_then(|d| field(d, f.name, "identifier"))
    else {
        return false;
    };
    let mut found = Vec::new();
    for decorator in children(def).into_iter().filter(|c| c.kind_name() == "decorator") {
        for call in children(decorator).into_iter().filter(|c| c.kind_name() == "call") {
            let Some((router, method)) = call.child_by_field_id(f.function).and_then(member) else { continue };
            let Some(args) = field(call, f.arguments, "argument_list") else { continue };
            if has(DECORATOR_METHODS, query::text(method, src)) {
                found.push([("endpoint.route", def), ("router", router), ("method", method), ("args", args)]);
            }
        }
    }
    let before = caps.len();
    for m in found {
        caps.extend(m);
        caps.push(("handler", handler));
    }
    caps.len() > before
}

fn route_called<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let f = &*FIELDS;
    let Some(inner) = field(call, f.function, "call") else { return false };
    let Some((router, method)) = inner.child_by_field_id(f.function).and_then(member) else { return false };
    if !has(CALLED_METHODS, query::text(method, src)) {
        return false;
    }
    let Some(args) = field(inner, f.arguments, "argument_list") else { return false };
    let Some(outer_args) = field(call, f.arguments, "argument_list") else { return false };
    // `. [(identifier) (attribute)] @handler .`: the only named child.
    if outer_args.named_child_count() != 1 {
        return false;
    }
    let Some(handler) = first_named(outer_args).and_then(name_like) else { return false };
    caps.extend([("endpoint.called", call), ("router", router), ("method", method), ("args", args)]);
    caps.push(("handler", handler));
    true
}

fn viewset_register<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let f = &*FIELDS;
    let Some((router, method)) = call.child_by_field_id(f.function).and_then(member) else { return false };
    if query::text(method, src) != "register" {
        return false;
    }
    let Some(args) = field(call, f.arguments, "argument_list") else { return false };
    let Some(path) = first_named(args).filter(|p| p.kind_name() == "string") else { return false };
    let Some(handler) = path.next_named_sibling().and_then(any) else { return false };
    caps.extend([("endpoint.viewset", call), ("router", router), ("method", method), ("path", path)]);
    caps.push(("handler", handler));
    true
}

/// `name: (identifier) @class` and `superclasses: (argument_list)` of a class.
fn class_parts<'t>(class: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let f = &*FIELDS;
    Some((field(class, f.name, "identifier")?, field(class, f.superclasses, "argument_list")?))
}

fn drf_view<'t>(class: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some((name, bases)) = class_parts(class) else { return false };
    let Some(body) = field(class, FIELDS.body, "block") else { return false };
    let text = query::text(bases, src);
    if !["View", "ModelMixin", "ObtainAuthToken"].iter().any(|w| text.contains(w)) {
        return false;
    }
    caps.extend([("drf.viewset", class), ("class", name), ("base", bases), ("body", body)]);
    true
}

/// `(attribute object: (_) @child attribute: (identifier) @_u)` with `_u` = `urls`: the child.
fn urls_of<'t>(attr: Node<'t>, src: &[u8]) -> Option<Node<'t>> {
    member(attr).filter(|(_, u)| query::text(*u, src) == "urls").map(|(child, _)| child)
}

fn urls_augmented<'t>(assign: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let f = &*FIELDS;
    let Some(parent) = field(assign, f.left, "identifier") else { return false };
    let Some(child) = assign.child_by_field_id(f.right).and_then(|r| urls_of(r, src)) else { return false };
    caps.extend([("router.urls", assign), ("parent", parent), ("child", child)]);
    true
}

fn urls_assigned<'t>(assign: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let f = &*FIELDS;
    let (Some(parent), Some(right)) = (field(assign, f.left, "identifier"), assign.child_by_field_id(f.right)) else {
        return false;
    };
    let children: Vec<Node<'t>> = match right.kind_name() {
        "attribute" => urls_of(right, src).into_iter().collect(),
        "binary_operator" => children(right).into_iter().filter_map(|c| urls_of(c, src)).collect(),
        _ => Vec::new(),
    };
    let before = caps.len();
    for child in children {
        caps.extend([("router.urls", assign), ("parent", parent), ("child", child)]);
    }
    caps.len() > before
}

fn client_with<'t>(item: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let f = &*FIELDS;
    let Some(pattern) = field(item, f.value, "as_pattern") else { return false };
    let Some(name) = field(pattern, f.alias, "as_pattern_target").and_then(|t| first_child_of(t, "identifier")) else {
        return false;
    };
    let mut found = Vec::new();
    for call in children(pattern).into_iter().filter(|c| c.kind_name() == "call") {
        let Some(ctor) = call.child_by_field_id(f.function).and_then(name_like) else { continue };
        let Some(args) = field(call, f.arguments, "argument_list") else { continue };
        if ends_with_name(query::text(ctor, src), py_shapes::CLIENT_CTORS) {
            found.push([("client.def", item), ("ctor", ctor), ("args", args), ("name", name)]);
        }
    }
    push_all(caps, found)
}

/// Every child of kind `kind` may match a child step without a field; the
/// first is enough where the parent has one such child by the grammar.
fn first_child_of<'t>(n: Node<'t>, kind: &str) -> Option<Node<'t>> {
    children(n).into_iter().find(|c| c.kind_name() == kind)
}

fn grpc_channel<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let f = &*FIELDS;
    let Some(function) = field(call, f.function, "attribute") else { return false };
    let object = field(function, f.object, "identifier").filter(|g| query::text(*g, src) == "grpc");
    let method = field(function, f.attribute, "identifier").filter(|m| query::text(*m, src).ends_with("channel"));
    let (Some(_), Some(method)) = (object, method) else { return false };
    let Some(url) = field(call, f.arguments, "argument_list").and_then(first_named).and_then(any) else {
        return false;
    };
    caps.extend([("grpc.channel", call), ("method", method), ("url", url)]);
    true
}

fn sql_string<'t>(string: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let text = src.get(string.byte_range()).unwrap_or_default();
    if !SQL_START.as_ref().is_some_and(|r| r.is_match(text)) {
        return false;
    }
    caps.extend([("db.sql", string), ("sql", string)]);
    true
}

fn tablename<'t>(class: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let f = &*FIELDS;
    let (Some(name), Some(body)) = (field(class, f.name, "identifier"), field(class, f.body, "block")) else {
        return false;
    };
    let mut found = Vec::new();
    for stmt in children(body).into_iter().filter(|c| c.kind_name() == "expression_statement") {
        for assign in children(stmt).into_iter().filter(|c| c.kind_name() == "assignment") {
            let key = field(assign, f.left, "identifier").filter(|k| query::text(*k, src) == "__tablename__");
            if let (Some(_), Some(table)) = (key, field(assign, f.right, "string")) {
                found.push((name, table));
            }
        }
    }
    let before = caps.len();
    for (name, table) in found {
        caps.extend([("db.table", class), ("class", name), ("name", table)]);
    }
    caps.len() > before
}

fn table_call<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let f = &*FIELDS;
    let Some(function) = call.child_by_field_id(f.function).and_then(name_like) else { return false };
    if !ends_with_name(query::text(function, src), &["Table"]) {
        return false;
    }
    let Some(name) =
        field(call, f.arguments, "argument_list").and_then(first_named).filter(|s| s.kind_name() == "string")
    else {
        return false;
    };
    caps.extend([("db.table", call), ("name", name)]);
    true
}

/// `superclasses: (argument_list [(attribute) (identifier)] @base)`: each such base.
fn plain_bases<'t>(bases: Node<'t>) -> Vec<Node<'t>> {
    children(bases).into_iter().filter(|b| matches!(b.kind_name(), "attribute" | "identifier")).collect()
}

fn model_class<'t>(class: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some((name, bases)) = class_parts(class) else { return false };
    let Some(body) = field(class, FIELDS.body, "block") else { return false };
    let found = plain_bases(bases).into_iter().filter(|b| ends_with_name(query::text(*b, src), &["Model"]));
    push_all(caps, found.map(|base| [("db.model", class), ("class", name), ("base", base), ("body", body)]))
}

fn sqlmodel_class<'t>(class: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let f = &*FIELDS;
    let Some((name, bases)) = class_parts(class) else { return false };
    let table_true = |k: &Node| {
        k.kind_name() == "keyword_argument"
            && field(*k, f.name, "identifier").is_some_and(|n| query::text(n, src) == "table")
            && field(*k, f.value, "true").is_some()
    };
    let before = caps.len();
    for _ in children(bases).into_iter().filter(table_true) {
        caps.extend([("db.sqlmodel", class), ("class", name)]);
    }
    caps.len() > before
}

fn manager_use<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let f = &*FIELDS;
    let Some(function) = field(call, f.function, "attribute") else { return false };
    let (Some(inner), Some(op)) = (field(function, f.object, "attribute"), field(function, f.attribute, "identifier"))
    else {
        return false;
    };
    let class = field(inner, f.object, "identifier");
    let manager =
        field(inner, f.attribute, "identifier").filter(|o| matches!(query::text(*o, src), "objects" | "query"));
    let (Some(class), Some(_)) = (class, manager) else { return false };
    caps.extend([("db.model_use", call), ("class", class), ("op", op)]);
    true
}

fn session_use<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let f = &*FIELDS;
    let Some(op) = call.child_by_field_id(f.function).and_then(name_like) else { return false };
    if !ends_with_name(query::text(op, src), SESSION_OPS) {
        return false;
    }
    let Some(class) =
        field(call, f.arguments, "argument_list").and_then(first_named).filter(|c| c.kind_name() == "identifier")
    else {
        return false;
    };
    caps.extend([("db.model_use", call), ("op", op), ("class", class)]);
    true
}

fn any_class<'t>(class: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some((name, bases)) = class_parts(class) else { return false };
    let Some(body) = field(class, FIELDS.body, "block") else { return false };
    push_all(
        caps,
        plain_bases(bases)
            .into_iter()
            .map(|base| [("db.class", class), ("class", name), ("base", base), ("body", body)]),
    )
}

fn call_method<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some((obj, method)) = call.child_by_field_id(FIELDS.function).and_then(member) else { return false };
    if !py_shapes::is_call_method(query::text(method, src)) {
        return false;
    }
    caps.extend([("call.method", call), ("obj", obj), ("method", method)]);
    true
}

fn call_function<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(function) = call.child_by_field_id(FIELDS.function).and_then(name_like) else { return false };
    if !py_shapes::is_call_function(last_name(query::text(function, src))) {
        return false;
    }
    caps.extend([("call.function", call), ("function", function)]);
    true
}

fn assign_call<'t>(assign: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let f = &*FIELDS;
    let Some(name) = assign.child_by_field_id(f.left).and_then(name_like) else { return false };
    let Some(value) = field(assign, f.right, "call") else { return false };
    let Some(ctor) = value.child_by_field_id(f.function).and_then(name_like) else { return false };
    if !py_shapes::is_assigned_ctor(last_name(query::text(ctor, src))) {
        return false;
    }
    caps.extend([("assign.call", assign), ("name", name), ("value", value), ("ctor", ctor)]);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        crate::resolve::assert_sorted(&[DECORATOR_METHODS, CALLED_METHODS, SESSION_OPS]);
    }

    /// The word lists of the quoted patterns are the tables the natives test.
    #[test]
    fn tables_are_the_patterns_words() {
        let words = |pattern: &str, from: &str| -> Vec<String> {
            let at = pattern.find(from).unwrap() + from.len();
            let mut w: Vec<String> = pattern[at..].split('"').skip(1).step_by(2).map(str::to_string).collect();
            w.retain(|s| !s.starts_with('@') && !s.contains(')'));
            w.sort();
            w
        };
        assert_eq!(words(ROUTE_DECORATOR, "#any-of? @method"), DECORATOR_METHODS);
        assert_eq!(words(ROUTE_CALLED, "#any-of? @method"), CALLED_METHODS);
        let methods = words(CALL_METHOD, "#any-of? @method");
        assert!(methods.len() > 100);
        for m in &methods {
            assert!(py_shapes::is_call_method(m), "{m}");
        }
        for m in ["gett", "fetch", "Get", ""] {
            assert!(!py_shapes::is_call_method(m), "{m}");
        }
        let alternatives = |pattern: &str| -> Vec<String> {
            let at = pattern.find("(^|\\\\.)(").unwrap() + "(^|\\\\.)(".len();
            let end = pattern[at..].find(")$").unwrap();
            let mut w: Vec<String> =
                pattern[at..at + end].split('|').filter(|s| !s.contains('[')).map(str::to_string).collect();
            w.sort();
            w
        };
        assert_eq!(alternatives(SESSION_USE), SESSION_OPS);
        assert_eq!(alternatives(CLIENT_WITH), py_shapes::CLIENT_CTORS);
    }

    /// Each native gives, match for match, what its pattern gives compiled as a
    /// query, on every Python file of the fixtures and benches and on edge
    /// cases; and the walk that runs a native only where its pattern's words
    /// occur finds all of them.
    #[test]
    fn natives_match_their_patterns() {
        let mut samples = query::sample_sources(&[".py"]);
        assert!(samples.len() > 50, "{}", samples.len());
        let edge = "@app.get('/a')\n@app.post('/b')\n@other.thing('/c')\n@x.route\ndef h(): pass\n\
            @app.route('/x', methods=['GET'])\nclass C: pass\n\
            app.get('/p')(handler)\napp.post('/p')(self.h)\napp.get('/p')(a, b)\napp.get('/p')()\napp.get('/p')(h())\n\
            router.register(r'users', UserViewSet, basename='u')\nrouter.register('x')\nrouter.register(f, 'x')\n\
            class V(APIView): pass\nclass W(viewsets.ModelViewSet, mixins.ListModelMixin): pass\nclass X: pass\n\
            urlpatterns += router.urls\nurlpatterns = [path('a', v)] + router.urls + r2.urls\nurlpatterns = r.urls\n\
            x = a.urls.b\n\
            async def f():\n    async with aiohttp.ClientSession() as s, httpx.AsyncClient(base_url=u) as c:\n        pass\n\
            with Session() as (a, b): pass\nwith requests.Session(): pass\n\
            ch = grpc.insecure_channel('cart:7070')\nch2 = grpc.secure_channel(addr, creds)\ngrpc.channel()\n\
            q = \"SELECT * FROM t\"\nq2 = f'''insert into t values (1)'''\nq3 = rb\"update t set a=1\"\nq4 = 'selection'\n\
            class U(Base):\n    __tablename__ = 'users'\n    __tablename__ = \"people\"\n\
            t = Table('t', md)\nt2 = sa.Table(name, md)\nt3 = MyTable('x')\n\
            class I(models.Model, Other): pass\nclass J(Model): pass\nclass K(SQLModel, table=True): pass\n\
            class L(SQLModel, table=False): pass\n\
            Item.objects.filter(a=1)\nUser.query.get(1)\nsession.query(User)\nselect(User).where()\nsa.insert(T)\n\
            db.users.find({})\nr.hset('k', 'v')\nrequests.get(u)\nrequests . get(u)\n\
            path('a/', v)\nurls.path('b', v)\nadd_CartServicer_to_server(s, srv)\nstub = pb.CartStub(ch)\n\
            app = Flask(__name__)\nself.app = FastAPI()\nclient = httpx.Client(base_url=u)\nr = redis.Redis.from_url(u)\n\
            x = (yield)\nd = @@\n";
        samples.push(("edge.py".to_string(), edge.to_string()));
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        let captures = [super::super::py_arch::CAPTURES, py_shapes::CAPTURES].concat();
        let patterns: Vec<&str> = NATIVES.iter().filter_map(|n| n.pattern).collect();
        let old = query::LangQuery::new(&language, &patterns, &captures).unwrap();
        static ONLY_PATTERNS: std::sync::LazyLock<Vec<Native>> = std::sync::LazyLock::new(|| {
            let natives = NATIVES.iter().filter(|n| n.pattern.is_some());
            natives.map(|n| Native { kind: n.kind, pattern: n.pattern, matches: n.matches }).collect()
        });
        let new = query::LangQuery::with_natives(&language, &[], &captures, ONLY_PATTERNS.as_slice()).unwrap();
        let mut total = 0;
        for (name, src) in &samples {
            total += query::assert_same_matches(&old, &new, &language, (name, src));
        }
        assert!(total > 1000, "{total}");
    }
}
