//! JavaScript/TypeScript calls on a receiver that differ only in the
//! method's name, matched by one pattern (`ts_natives::CALL_METHOD`, matched in Rust)
//! and told apart here by sorted tables.
//!
//! `app.get('/p', h)`, `app.use(r)`, `axios.post(url)`, `users.insertOne(d)`,
//! `redis.hSet(k, v)` and `channel.sendToQueue(q, m)` have one shape,
//! `obj.method(args)`. Tree-sitter analyses each pattern against the grammar
//! when a query is compiled, and a `call_expression` step is among the
//! dearest: the thirteen patterns of this shape cost 57-117 M instructions
//! each, a third of compiling the TypeScript architecture query, which every
//! cold scan of a TypeScript project pays before its first file can be
//! searched (BENCHMARKS.md, session 7). Here they are one pattern; [`expand`]
//! turns its match into exactly the matches the thirteen gave (quoted in
//! `ts_shapes_replaced.scm`; the test below compares the two on every
//! JavaScript and TypeScript file of the fixtures and benches), in the order
//! tree-sitter gave them, so the collector in `ts_arch` is unchanged.

use super::query::FieldExt;
use std::sync::LazyLock;

use tree_sitter::Node;

use super::query;

/// `users.insertOne(doc)`: MongoDB collection methods, on a plain name (sorted).
pub const COLLECTION_METHODS: &[&str] = &[
    "aggregate",
    "bulkWrite",
    "countDocuments",
    "deleteMany",
    "deleteOne",
    "find",
    "findOne",
    "findOneAndUpdate",
    "insertMany",
    "insertOne",
    "replaceOne",
    "updateMany",
    "updateOne",
];
/// `redis.hSet(k, v)`: Redis key commands, in any case (list pushes and pops are queues) (sorted).
pub const KV_METHODS: &[&str] = &[
    "decr",
    "decrby",
    "del",
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
/// `app.use('/api', r)`, `fastify.register(plugin)` (sorted).
pub const MOUNT_METHODS: &[&str] = &["register", "use"];
/// `axios.get(url)`, `http.request(url)` (sorted).
pub const HTTP_METHODS: &[&str] = &["delete", "get", "head", "patch", "post", "put", "request"];
/// `sequelize.define('user', …)`, `Model.init(attrs, …)`, on any receiver (sorted).
pub const SEQUELIZE_METHODS: &[&str] = &["define", "init"];
/// amqplib (with its exchanges and bindings), kafkajs, Redis pub/sub and streams, SQS (sorted).
pub const QUEUE_METHODS: &[&str] = &[
    "assertExchange",
    "bindQueue",
    "consume",
    "publish",
    "receiveMessage",
    "request",
    "send",
    "sendMessage",
    "sendMessageBatch",
    "sendToQueue",
    "subscribe",
    "xAdd",
    "xRead",
    "xReadGroup",
    "xadd",
    "xread",
    "xreadgroup",
];
/// `app.get('/p', h)`: routes by HTTP method (sorted).
pub const ROUTE_METHODS: &[&str] = &["all", "delete", "get", "head", "options", "patch", "post", "put"];
/// `MongooseModule.forFeature([…])` (sorted).
pub const NEST_MONGOOSE_METHODS: &[&str] = &["forFeature", "forFeatureAsync"];
/// Methods named once: `router.route('/p')` (Express chain, Hono mount, fastify's
/// route object), `app.setGlobalPrefix('api')` (NestJS), `server.addService(…)`
/// (gRPC), `mongoose.model('User', …)`, `app.listen(3000)` (the port a server binds),
/// `this.client.emit('topic', d)` (NestJS microservices), `queryInterface.createTable('t', …)`
/// (Sequelize and knex migrations), `this.client.getService<UserService>('UserService')` (a
/// NestJS `ClientGrpc`'s stub of a proto service) (sorted).
pub const SINGLE_METHODS: &[&str] =
    &["addService", "createTable", "emit", "getService", "listen", "model", "route", "setGlobalPrefix"];

/// The capture names the shape pattern adds to `ts_arch::CAPTURES`.
pub const CAPTURES: &[&str] = &["call.method", "method"];

/// Every table whose names the shape's predicate lets through exactly (case matters).
const EXACT_TABLES: &[&[&str]] = &[
    COLLECTION_METHODS,
    MOUNT_METHODS,
    HTTP_METHODS,
    SEQUELIZE_METHODS,
    QUEUE_METHODS,
    ROUTE_METHODS,
    NEST_MONGOOSE_METHODS,
    SINGLE_METHODS,
];

/// The regex of the shape's `#match?` predicate: the exact names, then [`KV_METHODS`] in any case.
pub fn method_regex() -> String {
    let mut exact: Vec<&str> = EXACT_TABLES.concat();
    exact.sort_unstable();
    exact.dedup();
    format!("^({}|(?i:{}))$", exact.join("|"), KV_METHODS.join("|"))
}

/// [`KV_METHODS`] in any case, with the regex crate's case folding, as the
/// `(?i:…)` predicate of the pattern this stands for had.
static KV: LazyLock<Option<regex::Regex>> =
    LazyLock::new(|| regex::Regex::new(&format!("^(?i:{})$", KV_METHODS.join("|"))).ok());

/// A call's callee; tree-sitter-typescript reads `await api.get<T>(u)` as a call of
/// `await api.get` with type arguments, whose callee is the awaited member.
fn callee(call: Node) -> Option<Node> {
    let f = call.field("function")?;
    match f.kind_name() {
        "await_expression" if call.field("type_arguments").is_some() => f.named_child(0),
        _ => Some(f),
    }
}

/// The shape's pattern misses `await api.get<User[]>("/api/users")` (see `callee`):
/// found by text (`>(` closing type arguments after `await obj.method`), each is given
/// to [`expand`] as the pattern's match would have been. A few substring searches for
/// files without one.
pub fn awaited_generic_calls<'t>(root: Node<'t>, text: &str, emit: &mut Emit<'_, 't>) {
    static SHAPE: LazyLock<Option<regex::Regex>> = LazyLock::new(|| regex::Regex::new(&method_regex()).ok());
    let (Some(shape), true) = (SHAPE.as_ref(), text.contains("await")) else { return };
    let src = text.as_bytes();
    for (i, _) in text.match_indices(">(") {
        let Some(lt) = super::arch::type_args_start(src, i + 1) else { continue };
        let start = super::arch::ident_start(src, lt);
        if start == lt || start == 0 || src[start - 1] != b'.' || !shape.is_match(&text[start..lt]) {
            continue;
        }
        let Some(call) = root.descendant_for_byte_range(start, i + 2) else { continue };
        let member = callee(call).filter(|m| m.kind_name() == "member_expression");
        let awaited = call.field("function").is_some_and(|f| f.kind_name() == "await_expression");
        let prop = member.and_then(|m| m.field("property"));
        if let (true, "call_expression", Some(prop)) = (awaited, call.kind_name(), prop) {
            if prop.byte_range() == (start..lt) {
                expand(&[("call.method", call), ("method", prop)], src, emit);
            }
        }
    }
}

fn has(table: &[&str], name: &str) -> bool {
    table.binary_search(&name).is_ok()
}

/// Receives each expanded match (captures by name, outer one first).
pub type Emit<'e, 't> = dyn FnMut(&[(&str, Node<'t>)]) + 'e;

/// If `caps` is a match of the shape pattern, call `emit` with each match of
/// the patterns it stands for and return true.
///
/// In the order tree-sitter gave them: a match is reported when its last node
/// is, so the patterns that end at the method's name come first, then those
/// that end at the argument list, then those that end at its first argument,
/// each group in the order of the patterns. Each condition is the step it
/// replaces: `object: (_)` is a named node that is not an `ERROR`,
/// `(arguments . (_))` the first named child of an argument list.
pub fn expand<'t>(caps: &[(&str, Node<'t>)], src: &[u8], emit: &mut Emit<'_, 't>) -> bool {
    let (Some(call), Some(m)) = (query::cap(caps, "call.method"), query::cap(caps, "method")) else {
        return false;
    };
    let name = query::text(m, src);
    let obj = callee(call).and_then(|f| f.field("object"));
    let any_obj = obj.filter(|o| o.is_named() && !o.is_error());
    // `users.find(…)`, and `this.users.find(…)` of a class field (`users = db.collection('users')`).
    let plain_obj = obj.filter(|o| {
        o.kind_name() == "identifier"
            || o.kind_name() == "member_expression"
                && o.field("object").is_some_and(|t| t.kind_name() == "this")
                && o.field("property").is_some_and(|p| p.kind_name() == "property_identifier")
    });
    if let Some(o) = plain_obj.filter(|_| has(COLLECTION_METHODS, name)) {
        emit(&[("db.collection_op", call), ("obj", o), ("op", m)]);
    }
    if let Some(o) = any_obj.filter(|_| KV.as_ref().is_some_and(|kv| kv.is_match(name))) {
        emit(&[("kv.op", call), ("obj", o), ("op", m)]);
    }
    let Some(args) = call.field("arguments").filter(|a| a.kind_name() == "arguments") else {
        return true;
    };
    ends_at_arguments(call, any_obj, m, name, args, emit);
    if let Some(first) = args.named_child(0) {
        ends_at_first_argument(call, (any_obj, plain_obj), m, name, (args, first), src, emit);
    }
    true
}

/// The patterns whose last step is `arguments: (arguments) @args`.
fn ends_at_arguments<'t>(
    call: Node<'t>,
    obj: Option<Node<'t>>,
    m: Node<'t>,
    name: &str,
    args: Node<'t>,
    emit: &mut Emit<'_, 't>,
) {
    if let Some(o) = obj.filter(|_| has(MOUNT_METHODS, name)) {
        emit(&[("router.mount", call), ("parent", o), ("method", m), ("args", args)]);
    }
    if let Some(o) = obj.filter(|_| has(HTTP_METHODS, name)) {
        emit(&[("http.call", call), ("client", o), ("method", m), ("args", args)]);
    }
    if has(SEQUELIZE_METHODS, name) {
        emit(&[("db.sequelize", call), ("op", m), ("args", args)]);
    }
    if let Some(o) = obj.filter(|_| has(QUEUE_METHODS, name)) {
        emit(&[("queue.op", call), ("obj", o), ("method", m), ("args", args)]);
    }
}

/// The patterns whose last step is the first argument, `(arguments . (…) @x)`.
fn ends_at_first_argument<'t>(
    call: Node<'t>,
    (obj, plain_obj): (Option<Node<'t>>, Option<Node<'t>>),
    m: Node<'t>,
    name: &str,
    (args, first): (Node<'t>, Node<'t>),
    src: &[u8],
    emit: &mut Emit<'_, 't>,
) {
    // `(_)` matches no ERROR node; a kind names the node itself.
    let any_first = !first.is_error();
    let receiver = plain_obj.map(|o| query::text(o, src));
    if let Some(o) = obj.filter(|_| any_first && has(ROUTE_METHODS, name)) {
        emit(&[("endpoint.route", call), ("router", o), ("method", m), ("path", first), ("args", args)]);
    }
    if let Some(o) = obj.filter(|_| any_first && name == "route") {
        emit(&[("endpoint.chain", call), ("router", o), ("path", first), ("args", args)]);
    }
    if let Some(o) = obj.filter(|_| first.kind_name() == "object" && name == "route") {
        emit(&[("endpoint.object", call), ("router", o), ("args", first)]);
    }
    if any_first && name == "setGlobalPrefix" {
        emit(&[("router.global", call), ("path", first)]);
    }
    if any_first && name == "addService" {
        emit(&[("grpc.server", call), ("name", first)]);
    }
    if receiver == Some("mongoose") && name == "model" && first.kind_name() == "string" {
        emit(&[("db.mongoose", call), ("name", first), ("args", args)]);
    }
    if receiver == Some("MongooseModule") && has(NEST_MONGOOSE_METHODS, name) && first.kind_name() == "array" {
        emit(&[("db.nest_mongoose", call), ("args", first)]);
    }
    if any_first && name == "listen" {
        emit(&[("server.listen", call), ("value", first)]);
    }
    if let Some(o) = obj.filter(|_| any_first && name == "emit") {
        emit(&[("queue.op", call), ("obj", o), ("method", m), ("args", args)]);
    }
    if first.kind_name() == "string" && name == "createTable" {
        emit(&[("db.create_table", call), ("name", first)]);
    }
    if first.kind_name() == "string" && name == "getService" {
        emit(&[("grpc.client", call), ("name", first)]);
    }
    if matches!(first.kind_name(), "identifier" | "member_expression") && name == "getService" {
        emit(&[("grpc.client", call), ("value", first)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    /// The patterns the shape stands for, as they were.
    const REPLACED: &str = include_str!("ts_shapes_replaced.scm");

    #[test]
    fn tables_are_sorted() {
        let tables: Vec<&[&str]> = EXACT_TABLES.iter().copied().chain([KV_METHODS, CAPTURES]).collect();
        crate::resolve::assert_sorted(&tables);
        assert!(KV_METHODS.iter().all(|m| m.bytes().all(|b| b.is_ascii_lowercase())));
    }

    /// The shape's predicate lets through exactly the names of the tables.
    #[test]
    fn the_shape_predicate_lists_the_tables() {
        let scm = super::super::ts_natives::CALL_METHOD;
        let regex = method_regex().replace('\\', "\\\\");
        assert!(scm.contains(&format!("(#match? @method \"{regex}\")")), "{regex}");
    }

    /// [`expand`] over the shape gives, match for match and in the same
    /// order, what the patterns it replaced gave, with the import patterns
    /// around it, on every JavaScript and TypeScript
    /// file of the fixtures and benches and on edge cases.
    #[test]
    fn the_shape_matches_what_the_replaced_patterns_matched() {
        let mut samples = query::sample_sources(&[".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx"]);
        assert!(samples.len() > 50, "{}", samples.len());
        let edge = "app.get('/p', h); app.get(/* c */ '/p', h); app.get(); app.get`t`; a.b.get(x); \
                    a?.post(x, y); a.get<T>(u); super.get(x); this.use(r); (await f()).send(m);\n\
                    r.route({ url: '/u' }); r.route('/p').get(h); r.route(/* c */ { url: 'x' });\n\
                    app.setGlobalPrefix('api'); server.addService(svc, impl); mongoose.model('U', s);\n\
                    mongoose.model(U, s); x.mongoose.model('U'); MongooseModule.forFeature([{ name: 'A' }]);\n\
                    MongooseModule.forFeatureAsync({}); Model.init(a, b); s.define('u', a); users.find(q);\n\
                    this.users.find(q); redis.HSET(k, v); client.hSet(k, v); c.Get(k); c.ſet(k); c.getX(k);\n\
                    ch.sendToQueue(q, m); p.send({ topic }); db.collection('o').find(q); this.prisma.user.create(d);\n\
                    app.listen(3000); app.listen(); s.listen({ port: 4 }, cb); this.client.emit('t', d); e.emit();\n\
                    qi.createTable('t', {}); k.schema.createTable(name); createTable('x');\n\
                    this.client.getService<UserService>('UserService'); c.getService(name); getService('X');\n\
                    app.get(@@, h); app.use(, r); app.post('/p' h); foo.get\n";
        samples.extend(["ts", "tsx", "js"].map(|ext| (format!("edge.{ext}"), edge.to_string())));
        let mut total = 0;
        for (name, src) in &samples {
            let lang = match name.rsplit('.').next() {
                Some("ts" | "mts" | "cts") => Lang::TypeScript,
                Some("tsx") => Lang::Tsx,
                _ => Lang::JavaScript,
            };
            let (old, new) = queries(lang);
            let language = super::super::typescript::language(lang);
            let tree = query::parse(&language, src).unwrap();
            let mut facts = crate::model::FileFacts::default();
            let mut want = Vec::new();
            old.for_each_match(tree.root_node(), src.as_bytes(), None, ("t", &mut facts), |caps| {
                want.push(query::named_match(caps));
            });
            let mut got = Vec::new();
            new.for_each_match(tree.root_node(), src.as_bytes(), None, ("t", &mut facts), |caps| {
                if !expand(caps, src.as_bytes(), &mut |c| got.push(query::named_match(c))) {
                    got.push(query::named_match(caps));
                }
            });
            assert_eq!(want, got, "{name}");
            total += want.iter().filter(|m| REPLACED.contains(&format!("@{}", m[0].0))).count();
        }
        assert!(total > 100, "{total}");
    }

    /// `lang`'s import patterns with the replaced patterns after them, and
    /// with the shape's pattern after them.
    fn queries(lang: Lang) -> (query::LangQuery, query::LangQuery) {
        let language = super::super::typescript::language(lang);
        let captures = super::super::typescript::full_captures();
        let sources = super::super::typescript::full_sources(lang);
        let with = |last: &'static str| sources.iter().copied().chain([last]).collect::<Vec<&str>>();
        let compile = |s: &[&str]| query::LangQuery::new(&language, s, &captures).unwrap();
        (compile(&with(REPLACED)), compile(&with(super::super::ts_natives::CALL_METHOD)))
    }
}
