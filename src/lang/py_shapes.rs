//! Python calls that differ only in a name, matched by one query pattern per
//! shape (`queries/python/shapes.scm`) and told apart here by sorted tables.
//!
//! `app.include_router(r)`, `requests.get(url)`, `r.hset(k, v)` and
//! `channel.basic_publish(…)` have the same shape, `obj.method(args)`; so do
//! `Route("/p", h)`, `urlopen(url)` and `CartServiceStub(channel)`, and the
//! assignments of a router, client or Redis constructor. Tree-sitter analyses
//! each pattern against the grammar when the query is compiled, and keeps a
//! state per pattern at each `call` it runs on: with one pattern per
//! framework, Python's 21 such patterns cost 290 M instructions of compile and
//! most of the query runs on Django (BENCHMARKS.md). Here each shape is one
//! pattern; [`expand`] turns its match into exactly the matches the
//! per-framework patterns gave (quoted in the test below, which compares the
//! two on every Python file of the fixtures and benches), in their order, so
//! the collector in `py_arch` is unchanged.

use super::query::FieldExt;
use tree_sitter::Node;

use super::query;

/// `obj.method(…)` with an argument list: `app.add_url_rule(…)` (sorted).
pub const ROUTE_METHODS: &[&str] = &["add_api_route", "add_url_rule"];
/// `app.register_blueprint(bp, url_prefix=…)`, `app.include_router(r, prefix=…)` (sorted).
pub const MOUNT_METHODS: &[&str] = &["include_router", "register_blueprint"];
/// aiohttp `web.get("/p", h)` in a route list; the receiver is `web` (sorted).
pub const WEB_METHODS: &[&str] = &["delete", "get", "head", "options", "patch", "post", "put", "route", "view"];
/// aiohttp `app.router.add_get(…)`, Starlette `app.add_route(…)` (sorted).
pub const AIOHTTP_METHODS: &[&str] = &[
    "add_delete",
    "add_get",
    "add_head",
    "add_patch",
    "add_post",
    "add_put",
    "add_route",
    "add_routes",
    "add_subapp",
    "add_view",
];
/// `requests.get(url)`, `client.request("GET", url)` (sorted).
pub const HTTP_METHODS: &[&str] = &["delete", "get", "head", "options", "patch", "post", "put", "request", "stream"];
/// MongoDB collection methods, on `db.users` or `db["users"]` (sorted).
pub const MONGO_METHODS: &[&str] = &[
    "aggregate",
    "bulk_write",
    "count_documents",
    "delete_many",
    "delete_one",
    "find",
    "find_one",
    "find_one_and_update",
    "insert_many",
    "insert_one",
    "replace_one",
    "update_many",
    "update_one",
];
/// Peewee, Beanie and redis-om class methods, on a plain name: `User.select()`, `TodoList.find(…)`,
/// `Product.all_pks()` (sorted).
pub const PEEWEE_METHODS: &[&str] = &[
    "all",
    "all_pks",
    "bulk_create",
    "create",
    "delete",
    "delete_by_id",
    "find",
    "find_all",
    "find_one",
    "get",
    "get_by_id",
    "get_or_create",
    "get_or_none",
    "insert",
    "insert_many",
    "replace",
    "select",
    "update",
];
/// Redis key operations (list push/pop are queues) (sorted).
pub const KV_METHODS: &[&str] = &[
    "decr",
    "decrby",
    "delete",
    "exists",
    "expire",
    "get",
    "getdel",
    "getset",
    "hdel",
    "hexists",
    "hget",
    "hgetall",
    "hincrby",
    "hkeys",
    "hmget",
    "hmset",
    "hset",
    "hsetnx",
    "hvals",
    "incr",
    "incrby",
    "llen",
    "lrange",
    "mget",
    "mset",
    "sadd",
    "scard",
    "set",
    "setex",
    "setnx",
    "sismember",
    "smembers",
    "srem",
    "zadd",
    "zcard",
    "zincrby",
    "zrange",
    "zrangebyscore",
    "zrem",
    "zrevrange",
    "zscore",
];
/// Broker operations: pika, Kafka, Redis pub/sub and lists, SQS/SNS (sorted).
pub const QUEUE_METHODS: &[&str] = &[
    "basic_consume",
    "basic_publish",
    "bind",
    "blpop",
    "brpop",
    "consume",
    "declare",
    "declare_queue",
    "exchange_declare",
    "lpush",
    "produce",
    "publish",
    "queue_bind",
    "receive_message",
    "request",
    "rpush",
    "send",
    "send_and_wait",
    "send_message",
    "subscribe",
    "xadd",
    "xread",
    "xreadgroup",
];

/// Django `path(…)`, `re_path(…)`, `url(…)`: plain names only (sorted).
pub const DJANGO_ROUTES: &[&str] = &["path", "re_path", "url"];
/// Starlette route-list entries, by the last part of a dotted name (sorted).
pub const LISTED_CTORS: &[&str] = &["Mount", "Route", "WebSocketRoute"];
/// aiohttp's router methods bound to a plain name: `add_route = app.router.add_route` (sorted).
pub const AIOHTTP_FUNCTIONS: &[&str] = &["add_delete", "add_get", "add_patch", "add_post", "add_put", "add_route"];
/// kafka-python's and aiokafka's clients, by the last part of a dotted name (sorted).
pub const QUEUE_FUNCTIONS: &[&str] = &["AIOKafkaConsumer", "AIOKafkaProducer", "KafkaConsumer", "KafkaProducer"];

/// Routers assigned to a plain name: `app = Flask(__name__)` (sorted).
pub const ROUTER_CTORS: &[&str] = &[
    "APIRouter",
    "Application",
    "Blueprint",
    "DefaultRouter",
    "FastAPI",
    "Flask",
    "InferringRouter",
    "Quart",
    "RouteTableDef",
    "Sanic",
    "SimpleRouter",
    "Starlette",
];
/// Routers held in a field: `self.app = FastAPI()` (sorted).
pub const FIELD_ROUTER_CTORS: &[&str] = &["APIRouter", "Blueprint", "FastAPI", "Flask", "Quart"];
/// HTTP client constructors: `client = httpx.Client(…)` (sorted).
pub const CLIENT_CTORS: &[&str] = &["AsyncClient", "Client", "ClientSession", "Session"];
/// Redis client constructors: `r = redis.Redis(…)`, `Redis.from_url(…)` (sorted).
pub const KV_CTORS: &[&str] = &["Redis", "RedisCluster", "StrictRedis", "from_url"];

/// The capture names the shape patterns add to `py_arch::CAPTURES`.
pub const CAPTURES: &[&str] = &["assign.call", "call.function", "call.method", "function"];

fn has(table: &[&str], name: &str) -> bool {
    table.binary_search(&name).is_ok()
}

/// The last part of a dotted name as written: what `(^|\.)NAME$` tests.
fn last(text: &str) -> &str {
    text.rsplit('.').next().unwrap_or(text)
}

/// A call's `arguments`, when they are an argument list (not a generator).
fn arg_list(call: Node) -> Option<Node> {
    call.field("arguments").filter(|a| a.kind_name() == "argument_list")
}

/// The tables of methods the `obj.method(…)` shape lets through.
const METHOD_TABLES: &[&[&str]] = &[
    ROUTE_METHODS,
    MOUNT_METHODS,
    WEB_METHODS,
    AIOHTTP_METHODS,
    HTTP_METHODS,
    MONGO_METHODS,
    PEEWEE_METHODS,
    KV_METHODS,
    QUEUE_METHODS,
];

/// The `obj.method(…)` shape (`py_natives::CALL_METHOD`): a method of one of the tables.
pub(super) fn is_call_method(method: &str) -> bool {
    METHOD_TABLES.iter().any(|t| has(t, method))
}

/// The `f(…)` shape (`py_natives::CALL_FUNCTION`), by the last part of the callee's dotted name.
pub(super) fn is_call_function(last: &str) -> bool {
    [DJANGO_ROUTES, LISTED_CTORS, AIOHTTP_FUNCTIONS, QUEUE_FUNCTIONS].iter().any(|t| has(t, last))
        || super::py_arch::METHODLESS_CLIENTS.binary_search_by_key(&last, |(n, _)| n).is_ok()
        || grpc_server(last)
        || grpc_stub(last)
}

/// The `x = C(…)` shape (`py_natives::ASSIGN_CALL`), by the last part of the constructor's dotted name.
pub(super) fn is_assigned_ctor(last: &str) -> bool {
    [ROUTER_CTORS, FIELD_ROUTER_CTORS, CLIENT_CTORS, KV_CTORS].iter().any(|t| has(t, last))
}

/// `(^|\.)add_[A-Za-z0-9_]+Servicer_to_server$`: a gRPC servicer registration.
fn grpc_server(name: &str) -> bool {
    let name = last(name);
    name.len() > "add_Servicer_to_server".len()
        && name.starts_with("add_")
        && name.ends_with("Servicer_to_server")
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `(^|\.)[A-Za-z0-9_]+Stub$`: a gRPC stub constructor.
fn grpc_stub(name: &str) -> bool {
    let name = last(name);
    name.len() > "Stub".len() && name.ends_with("Stub") && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Receives each expanded match (captures by name, in pattern order).
pub type Emit<'e, 't> = dyn FnMut(&[(&str, Node<'t>)]) + 'e;

/// If `caps` is a match of a shape pattern, call `emit` with each match of
/// the per-framework patterns it stands for, and return true. In the order
/// tree-sitter gave them: a match is reported when its last node is, so
/// patterns that end at the callee (no `arguments:` step) come first, then
/// the others, each group in pattern order.
pub fn expand<'t>(caps: &[(&str, Node<'t>)], src: &[u8], emit: &mut Emit<'_, 't>) -> bool {
    let Some(&(kind, outer)) = caps.iter().find(|(n, _)| n.contains('.')) else {
        return false;
    };
    match kind {
        "call.method" => {
            if let (Some(obj), Some(method)) = (query::cap(caps, "obj"), query::cap(caps, "method")) {
                method_call(outer, obj, method, src, emit);
            }
        }
        "call.function" => {
            if let Some(function) = query::cap(caps, "function") {
                function_call(outer, function, src, emit);
            }
        }
        "assign.call" => {
            if let (Some(name), Some(ctor), Some(value)) =
                (query::cap(caps, "name"), query::cap(caps, "ctor"), query::cap(caps, "value"))
            {
                assigned_call(outer, name, ctor, value, src, emit);
            }
        }
        _ => return false,
    }
    true
}

/// `obj.method(…)`.
fn method_call<'t>(call: Node<'t>, obj: Node<'t>, m: Node<'t>, src: &[u8], emit: &mut Emit<'_, 't>) {
    let method = query::text(m, src);
    let args = arg_list(call);
    if has(MONGO_METHODS, method) {
        match obj.kind_name() {
            "attribute" => {
                if let Some(name) = obj.field("attribute").filter(|n| n.kind_name() == "identifier") {
                    emit(&[("db.mongo", call), ("name", name), ("op", m)]);
                }
            }
            "subscript" => {
                let mut walk = obj.walk();
                for key in obj.children_by_field_name("subscript", &mut walk).filter(|k| k.kind_name() == "string") {
                    emit(&[("db.mongo", call), ("name", key), ("op", m)]);
                }
            }
            _ => {}
        }
    }
    if obj.kind_name() == "identifier" && has(PEEWEE_METHODS, method) {
        emit(&[("db.peewee_use", call), ("class", obj), ("op", m)]);
    }
    if has(KV_METHODS, method) {
        emit(&[("kv.op", call), ("obj", obj), ("op", m)]);
    }
    if let Some(a) = args.filter(|_| has(ROUTE_METHODS, method)) {
        emit(&[("endpoint.route", call), ("router", obj), ("method", m), ("args", a)]);
    }
    if let Some(a) = args.filter(|_| has(MOUNT_METHODS, method)) {
        emit(&[("router.mount", call), ("parent", obj), ("method", m), ("args", a)]);
    }
    let web = obj.kind_name() == "identifier" && query::text(obj, src) == "web";
    if let Some(a) = args.filter(|_| web && has(WEB_METHODS, method)) {
        emit(&[("endpoint.listed", call), ("method", m), ("args", a)]);
    }
    if let Some(a) = args.filter(|_| has(AIOHTTP_METHODS, method)) {
        emit(&[("endpoint.aiohttp", call), ("router", obj), ("method", m), ("args", a)]);
    }
    if let Some(a) = args.filter(|_| has(HTTP_METHODS, method)) {
        emit(&[("http.call", call), ("client", obj), ("method", m), ("args", a)]);
    }
    if let Some(a) = args.filter(|_| has(QUEUE_METHODS, method)) {
        emit(&[("queue.op", call), ("obj", obj), ("method", m), ("args", a)]);
    }
}

/// `name(…)` or `a.b.name(…)`.
fn function_call<'t>(call: Node<'t>, f: Node<'t>, src: &[u8], emit: &mut Emit<'_, 't>) {
    let text = query::text(f, src);
    let plain = f.kind_name() == "identifier";
    let args = arg_list(call);
    if grpc_server(text) {
        emit(&[("grpc.server", call), ("name", f)]);
    }
    if grpc_stub(text) {
        emit(&[("grpc.client", call), ("name", f)]);
    }
    if let Some(a) = args.filter(|_| plain && has(DJANGO_ROUTES, text)) {
        emit(&[("endpoint.django", call), ("method", f), ("args", a)]);
    }
    if let Some(a) = args.filter(|_| has(LISTED_CTORS, last(text))) {
        emit(&[("endpoint.listed", call), ("method", f), ("args", a)]);
    }
    if let Some(a) = args.filter(|_| plain && has(AIOHTTP_FUNCTIONS, text)) {
        emit(&[("endpoint.aiohttp", call), ("method", f), ("args", a)]);
    }
    if let Some(a) = args.filter(|_| super::py_arch::methodless(text).is_some()) {
        emit(&[("http.call", call), ("client", f), ("args", a)]);
    }
    if let Some(a) = args.filter(|_| has(QUEUE_FUNCTIONS, last(text))) {
        emit(&[("queue.op", call), ("method", f), ("args", a)]);
    }
}

/// `name = ctor(…)`, `self.name = ctor(…)`.
fn assigned_call<'t>(
    assign: Node<'t>,
    name: Node<'t>,
    ctor: Node<'t>,
    value: Node<'t>,
    src: &[u8],
    emit: &mut Emit<'_, 't>,
) {
    let last = last(query::text(ctor, src));
    let args = arg_list(value);
    let router = match name.kind_name() {
        "identifier" => has(ROUTER_CTORS, last),
        _ => has(FIELD_ROUTER_CTORS, last),
    };
    if has(KV_CTORS, last) {
        emit(&[("kv.client", assign), ("name", name), ("ctor", ctor)]);
    }
    if let Some(a) = args.filter(|_| router) {
        emit(&[("router.def", assign), ("name", name), ("ctor", ctor), ("args", a)]);
    }
    if let Some(a) = args.filter(|_| has(CLIENT_CTORS, last)) {
        emit(&[("client.def", assign), ("name", name), ("ctor", ctor), ("args", a)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-framework patterns the shapes stand for, as they were.
    const REPLACED: &str = include_str!("py_shapes_replaced.scm");

    fn all_tables() -> Vec<&'static [&'static str]> {
        let mut all = METHOD_TABLES.to_vec();
        all.extend([
            DJANGO_ROUTES,
            LISTED_CTORS,
            AIOHTTP_FUNCTIONS,
            QUEUE_FUNCTIONS,
            ROUTER_CTORS,
            FIELD_ROUTER_CTORS,
            CLIENT_CTORS,
            KV_CTORS,
            CAPTURES,
        ]);
        all
    }

    #[test]
    fn tables_are_sorted() {
        crate::resolve::assert_sorted(&all_tables());
    }

    /// The names each shape pattern's predicate lets through are the union of its tables.
    #[test]
    fn shape_predicates_list_the_tables() {
        let scm = super::super::py_natives::SHAPE_PATTERNS.join("\n");
        fn union<'a>(tables: &[&[&'a str]]) -> Vec<&'a str> {
            let mut all: Vec<&str> = tables.concat();
            all.sort_unstable();
            all.dedup();
            all
        }
        let methods = union(METHOD_TABLES);
        let any_of: Vec<String> = methods.iter().map(|m| format!("\"{m}\"")).collect();
        assert!(scm.contains(&format!("(#any-of? @method {})", any_of.join(" "))), "{}", any_of.join(" "));
        let methodless = super::super::py_arch::METHODLESS_CLIENTS.iter().map(|(n, _)| *n).collect::<Vec<_>>();
        let mut functions =
            union(&[DJANGO_ROUTES, LISTED_CTORS, AIOHTTP_FUNCTIONS, &methodless, QUEUE_FUNCTIONS]).join("|");
        functions.push_str("|add_[A-Za-z0-9_]+Servicer_to_server|[A-Za-z0-9_]+Stub");
        assert!(scm.contains(&format!("(#match? @function \"(^|\\\\.)({functions})$\")")), "{functions}");
        let ctors = union(&[ROUTER_CTORS, FIELD_ROUTER_CTORS, CLIENT_CTORS, KV_CTORS]).join("|");
        assert!(scm.contains(&format!("(#match? @ctor \"(^|\\\\.)({ctors})$\")")), "{ctors}");
    }

    #[test]
    fn grpc_names() {
        assert!(grpc_server("add_CartServiceServicer_to_server"));
        assert!(grpc_server("pb2_grpc.add_X_Servicer_to_server"));
        assert!(!grpc_server("add_Servicer_to_server"));
        assert!(!grpc_server("x.add_A Servicer_to_server"));
        assert!(grpc_stub("pb.CartServiceStub"));
        assert!(!grpc_stub("Stub"));
        assert!(!grpc_stub("a.Stub"));
        assert!(!grpc_stub("a. XStub"));
    }

    /// [`expand`] over the shape patterns gives, match for match and in the
    /// same order at each node, what the patterns it replaced give, on every
    /// Python file of the fixtures and benches and on edge cases.
    #[test]
    fn shapes_match_what_the_replaced_patterns_matched() {
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        let captures = [super::super::py_arch::CAPTURES, CAPTURES].concat();
        let old = query::LangQuery::new(&language, &[REPLACED], &captures).unwrap();
        let new = query::LangQuery::new(&language, super::super::py_natives::SHAPE_PATTERNS, &captures).unwrap();
        let mut samples = query::sample_sources(&[".py"]);
        assert!(samples.len() > 50, "{}", samples.len());
        let edge = "db['a', 'b'].find_one(x)\ndb.users.find(x for x in y)\nUser.select(x for x in y)\n\
                    r.get(k)\nweb.get('/p', h)\nweb2.get('/p', h)\nx.path('a', v)\npath('a', v)\na.url(b)\n\
                    add_get('/p', h)\na.add_get('/p', h)\nurllib.request.urlopen(u)\na. urlopen(u)\n\
                    pb.add_AServicer_to_server(a, s)\nFooStub(c)\nkafka.KafkaConsumer('t')\nRoute('/', h)\n\
                    self.app = Flask(__name__)\napp = Flask(__name__)\nx.y = Sanic()\nc = httpx.Client()\n\
                    r = redis.Redis.from_url(u)\nr = Redis(x for x in y)\napp: Flask = Flask(n)\na = b = Flask()\n\
                    s.session.delete(o)\nsession.delete(obj)\nUser.delete().where(x)\nbroken = r.get(\nq = Route(\n";
        samples.push(("edge".into(), edge.into()));
        let mut total = 0;
        for (name, src) in &samples {
            let tree = query::parse(&language, src).unwrap();
            let mut facts = crate::model::FileFacts::default();
            let mut want = Vec::new();
            old.for_each_match(tree.root_node(), src.as_bytes(), None, ("t", &mut facts), |caps| {
                want.push(query::named_match(caps));
            });
            let mut got = Vec::new();
            new.for_each_match(tree.root_node(), src.as_bytes(), None, ("t", &mut facts), |caps| {
                assert!(expand(caps, src.as_bytes(), &mut |c| got.push(query::named_match(c))), "{caps:?}");
            });
            // Matches at different nodes come in document order; at one node, in pattern order.
            let key = |m: &Vec<(String, usize)>| m.first().map(|c| c.1);
            want.sort_by_key(key);
            got.sort_by_key(key);
            assert_eq!(want, got, "{name}");
            total += want.len();
        }
        assert!(total > 100, "{total}");
    }
}
