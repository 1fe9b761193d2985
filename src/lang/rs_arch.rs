//! Rust architecture facts with a `syn` visitor over the file `rust.rs` parsed:
//! axum routers (`route` with `get(h).post(h2)`, `nest`, `merge`), actix-web
//! and Rocket (`#[get("/p")]` handlers, `web::scope`, `web::resource(p).route(…)`,
//! `.service`, `.route`, `.mount("/p", routes![…])`), reqwest/ureq/awc calls,
//! SQL string literals (sqlx), Diesel `table!` and SeaORM/Diesel table
//! attributes, MongoDB `collection("x")`, Redis commands, `envconfig` struct fields
//! (environment variables), the fields of `Deserialize` structs (config file keys),
//! tonic and grpcio servers and clients, lapin and rdkafka queues.

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, ExprCall, ExprMethodCall, Lit};

use super::arch::{self, braces_to_parts, http_method, lit, push_parts};
use super::rust::{parse_items, Args, MacroBodies};
use super::ts_shapes::KV_METHODS;
use crate::model::{
    Access, ArchFacts, CfgPred, Part, RawAmqp, RawArgCall, RawCall, RawConst, RawGrpc, RawMount, RawParamPass,
    RawQueue, RawQueueParam, RawRoute, RawRouter, RawSql, RawTable, RawTableUse, RawWrapper, Template,
};

/// Attribute macros that declare a route on a handler (sorted).
const ROUTE_ATTRS: &[&str] = &["delete", "get", "head", "options", "patch", "post", "put", "route"];

pub(crate) fn collect(file: &syn::File, text: &str, bodies: &MacroBodies, facts: &mut ArchFacts) {
    let mut v = Collector {
        bodies,
        rocket: text.contains("rocket"),
        kafka: text.contains("kafka"),
        mqtt: text.contains("rumqttc") || text.contains("paho_mqtt"),
        nats: text.contains("nats"),
        amqprs: text.contains("amqprs"),
        nats_crate: text.contains("async_nats") || text.contains("nats::"),
        broker: text.contains("kafka")
            || text.contains("lapin")
            || text.contains("amqprs")
            || text.contains("rumqttc")
            || text.contains("paho_mqtt")
            || text.contains("nats"),
        client_file: client_file(text),
        tonic: text.contains("tonic"),
        tonic_http: text.contains("http_server::"),
        grpcio: text.contains("grpcio"),
        grpc_rust: text.contains("grpc::") && (text.contains("new_service_def") || text.contains("new_plain")),
        grpcio_server: text.contains("grpcio") && text.contains("register_service"),
        grpcio_create: if text.contains("grpcio") && text.contains("register_service") {
            grpcio_creates(file)
        } else {
            Vec::new()
        },
        web: WEB_WORDS.iter().any(|w| text.contains(w)),
        warp: text.contains("warp"),
        salvo: text.contains("salvo"),
        salvo_seen: Vec::new(),
        gloo: text.contains("gloo_net") || text.contains("reqwasm"),
        facts: ArchFacts::default(),
        fn_name: String::new(),
        let_name: None,
        nested_inline: Vec::new(),
        diesel_write: false,
        locals: Vec::new(),
        mongo: text.contains("mongodb"),
        envy: text.contains("envy"),
        serde: text.contains("Deserialize"),
        redis: text.contains("redis"),
        redis_commands: text.contains("redis") && text.contains("Commands") && imports_redis_commands(&file.items, 0),
        redis_fields: Vec::new(),
        redis_names: Vec::new(),
        field_sets: text.contains("::var(") || text.contains("://"),
        test_depth: 0,
        script_consts: if text.contains("redis") && text.contains("Script") { text_consts(file) } else { Vec::new() },
        mongo_locals: Vec::new(),
        mongo_consumed: Vec::new(),
        mongo_consts: Vec::new(),
        mongo_helpers: Vec::new(),
        cfg_params: Vec::new(),
        func: Func::default(),
        impl_ty: None,
        field_types: Vec::new(),
        paths_set: Vec::new(),
        requests: Vec::new(),
        callbacks: if client_file(text) && text.contains("Fn") { callbacks(file) } else { Vec::new() },
        closure_binds: Vec::new(),
        fn_routers: Vec::new(),
        literal_args: if text.contains("for ") && text.contains("resource(") { literal_args(file) } else { Vec::new() },
        ctor: false,
        ctor_fields: Vec::new(),
        field_calls: Vec::new(),
        mod_scope: Vec::new(),
        enum_consts: Vec::new(),
    };
    if v.redis {
        v.redis_names = redis_names(&file.items, v.redis_commands);
        v.redis_fields = redis_fields(file, v.redis_commands, &v.redis_names);
    }
    if v.mongo {
        v.mongo_consts = text_consts(file);
        v.mongo_helpers = collection_helpers(file, &v.mongo_consts);
        v.facts.collection_helpers = param_collection_helpers(file);
    }
    v.visit_file(file);
    let mut enum_consts = std::mem::take(&mut v.enum_consts);
    super::rs_enums::drop_conflicts(&mut enum_consts);
    v.facts.consts.extend(enum_consts);
    v.field_wrappers();
    v.impl_router_aliases();
    let functions: Vec<String> =
        v.facts.consts.iter().filter(|c| c.name.ends_with("()")).map(|c| c.name.clone()).collect();
    for c in &mut v.facts.calls {
        forget_calls(&mut c.url, &functions);
    }
    for c in &mut v.facts.consts {
        forget_calls(&mut c.value, &functions);
    }
    for q in &mut v.facts.queues {
        forget_calls(&mut q.name, &functions);
    }
    // A constant imported from a module (`use contracts::users::get_user::SUBJECT as
    // GET_USER_SUBJECT`) is named by its module's name (`get_user::SUBJECT`): several
    // modules may define one of that name. Queue names and call arguments only.
    let uses = use_consts(&file.items);
    if !uses.is_empty() {
        let qualify = |t: &mut Template| {
            for p in t.iter_mut() {
                if let Part::Ref(r) = p {
                    if let Some((_, q)) = uses.iter().find(|(local, _)| local == r) {
                        *r = q.clone();
                    }
                }
            }
        };
        v.facts.queues.iter_mut().for_each(|q| qualify(&mut q.name));
        for a in &mut v.facts.arg_calls {
            a.args.iter_mut().filter(|t| matches!(t.as_slice(), [Part::Ref(_)])).for_each(qualify);
        }
    }
    *facts = v.facts;
}

/// The constants a file's top-level `use` items import from a module, by their local
/// name: `use contracts::users::get_user::SUBJECT as GET_USER_SUBJECT` →
/// (`GET_USER_SUBJECT`, `get_user::SUBJECT`). Constant-like names only (`SCREAMING_CASE`),
/// and not from `crate`/`self`/`super` alone.
fn use_consts(items: &[syn::Item]) -> Vec<(String, String)> {
    fn walk(tree: &syn::UseTree, path: &mut Vec<String>, out: &mut Vec<(String, String)>) {
        let mut leaf = |ident: &syn::Ident, local: &syn::Ident, path: &[String]| {
            let name = ident.to_string();
            let const_like = name.chars().any(|c| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            match path.last() {
                Some(parent) if const_like && !matches!(parent.as_str(), "crate" | "self" | "super") => {
                    out.push((local.to_string(), format!("{parent}::{name}")));
                }
                _ => {}
            }
        };
        match tree {
            syn::UseTree::Path(p) => {
                path.push(p.ident.to_string());
                walk(&p.tree, path, out);
                path.pop();
            }
            syn::UseTree::Name(n) => leaf(&n.ident, &n.ident, path),
            syn::UseTree::Rename(r) => leaf(&r.ident, &r.rename, path),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, path, out)),
            syn::UseTree::Glob(_) => {}
        }
    }
    let mut out = Vec::new();
    for item in items {
        if let syn::Item::Use(u) = item {
            walk(&u.tree, &mut Vec::new(), &mut out);
        }
    }
    out
}

struct Collector<'b> {
    /// Macro bodies the module visitor already parsed.
    bodies: &'b MacroBodies,
    facts: ArchFacts,
    fn_name: String,
    let_name: Option<String>,
    /// Where a router built in place as `nest`'s child starts (`Router::new()` of
    /// `.nest("/api/v1", Router::new().merge(a))`, line and column): the routes and
    /// mounts on that chain belong to it, under the nest's prefix.
    nested_inline: Vec<(u32, usize)>,
    /// `let` bindings of the current function so far, latest last: the value when
    /// it holds a URL or an environment variable, `None` when it hides an earlier one.
    locals: Vec<(String, Option<Template>)>,
    /// Variants' texts and lists of the file's enums (`lang::rs_enums`), conflicts dropped at the end.
    enum_consts: Vec<RawConst>,
    rocket: bool,
    kafka: bool,
    /// The file names an MQTT crate (rumqttc, paho-mqtt): `publish`/`subscribe` with a
    /// topic and a QoS are MQTT's.
    mqtt: bool,
    /// The file mentions NATS (async-nats, nats): `publish`/`subscribe`/`request` with a
    /// subject on a NATS client are its messages ([`Collector::nats_op`]).
    nats: bool,
    /// The file names a NATS crate (`async_nats::`, `nats::`): any client there may be one.
    nats_crate: bool,
    /// The inline modules (`mod a { … }`) around the item being visited, outermost first.
    mod_scope: Vec<String>,
    client_file: bool,
    /// The file mentions salvo: `Router::new().get(h).push(Router::with_path("p")…)` are routes.
    salvo: bool,
    /// salvo builder calls already read as part of an enclosing chain (by address).
    salvo_seen: Vec<usize>,
    /// The file mentions tonic: `XServer::new`/`XClient::connect` are gRPC.
    tonic: bool,
    /// The file names tonic's generated `http_server` module (the server of a proto
    /// `service HTTP`, which actix's `HttpServer` reads like).
    tonic_http: bool,
    /// The file mentions grpcio: `XClient::new(channel)` is a gRPC client and
    /// `ChannelBuilder::new(env).connect(addr)` its channel.
    grpcio: bool,
    /// The file mentions grpcio and calls `register_service`: it may build a server.
    grpcio_server: bool,
    /// The file names stepancheg's `grpc` crate and its `new_service_def`/`new_plain`.
    grpc_rust: bool,
    /// `create_<service>` functions the file imports from a grpcio-generated
    /// `<proto>_grpc` module (when it also calls `register_service`).
    grpcio_create: Vec<String>,
    /// Inside `insert_into(…)`/`update(…)`/`delete(…)`: Diesel table paths are written.
    diesel_write: bool,
    /// The file mentions the `mongodb` crate: `x.collection("name")` is a collection.
    mongo: bool,
    /// The file mentions `Deserialize`: its structs may read a config file.
    serde: bool,
    /// The file mentions envy: `envy::prefixed("P").from_env::<T>()` reads `T` from the environment.
    envy: bool,
    /// The file mentions redis: `redis::cmd("GET")`, `con.set(k, v)` use the datastore.
    redis: bool,
    /// The file imports redis' command traits (`use redis::AsyncCommands;`).
    redis_commands: bool,
    /// Fields of the file's structs that hold a Redis connection
    /// (`conn: ConnectionManager`): `self.conn.clone()` is one.
    redis_fields: Vec<String>,
    /// Bare type names that are Redis connections in this file ([`redis_names`]): those
    /// imported from redis (`use redis::{Commands, Connection};`) and the file's aliases
    /// of a connection type (`pub type RedisPool = ConnectionManager;`).
    redis_names: Vec<String>,
    /// The file may set a struct field to a URL or an environment variable ([`Collector::field_set`]).
    field_sets: bool,
    /// Depth of test code (`#[cfg(test)]` items, `#[test]` functions) being visited.
    test_depth: u32,
    /// The file's text constants, in a file naming redis' `Script`: a Lua script's text.
    script_consts: Vec<(String, String)>,
    /// `let c = db.collection("name")` of the current function: (local, collection,
    /// line, whether an operation on it was seen).
    mongo_locals: Vec<(String, String, u32, bool)>,
    /// `collection(…)` calls (by address) an operation was called on.
    mongo_consumed: Vec<usize>,
    /// The file's text constants (`const USERS: &str = "users"`), which may name a
    /// collection: kept only in a file mentioning mongodb.
    mongo_consts: Vec<(String, String)>,
    /// The file's functions that hand back a collection (`fn users(&self) ->
    /// Collection<User> { self.db.collection("users") }`), by name: `self.users().find(…)`
    /// uses it.
    mongo_helpers: Vec<(String, String)>,
    /// The file mentions a web framework's router: `.nest`/`.merge`/`.service`
    /// calls mount routers (elsewhere `attrs.merge(other)` is just a method).
    web: bool,
    /// The file mentions warp, whose `serve(routes).run(addr)` binds a port.
    warp: bool,
    /// The file mentions gloo-net or reqwasm, whose `Request::get(url)` is a request.
    gloo: bool,
    /// actix `ServiceConfig`s in scope: (parameter or closure argument, the router
    /// it builds). `fn routes(cfg: &mut web::ServiceConfig)` builds the router
    /// `routes`; `.configure(|cfg| …)` builds the router it is called on.
    cfg_params: Vec<(String, String)>,
    /// The file mentions a broker crate (rdkafka, lapin, rumqttc, NATS): calls with a literal
    /// argument may name the queue of a function that takes it as a parameter.
    broker: bool,
    /// The file names amqprs, whose channel operations take an arguments struct
    /// ([`Collector::amqprs_args`]) rather than lapin's names.
    amqprs: bool,
    /// The function being visited.
    func: Func,
    /// The type of the `impl` block being visited (`Consumer` in `impl Consumer`).
    impl_ty: Option<String>,
    /// The named fields of the file's structs seen so far, by the type they hold
    /// ([`named_type`]): `producer: Arc<KafkaProducer>`.
    field_types: Vec<(String, String)>,
    /// URL locals of the current function whose path `set_path` already replaced
    /// (a second `set_path` makes the local unknown).
    paths_set: Vec<String>,
    /// hyper `let req = Request::builder().method(…).uri(…)…` of the current
    /// function: (local, method, URL).
    requests: Vec<(String, String, Template)>,
    /// Free functions of the file that call a parameter with their own parameters
    /// ([`callbacks`]).
    callbacks: Vec<Callback>,
    /// Closures handed to such a function (by address), with the values their
    /// parameters take: bound as locals while the closure is visited.
    closure_binds: Vec<(usize, Locals)>,
    /// Whether the function being visited is an associated function without `self`
    /// (a constructor, `fn new(base_url: String) -> Self`).
    ctor: bool,
    /// Fields a constructor sets from one of its parameters, `Self { url:
    /// format!("{}/v1/user", base_url) }`: (type, field, `Type::fn`, parameter index,
    /// the field's template starting with the parameter).
    ctor_fields: Vec<CtorField>,
    /// Requests of a type's methods whose URL starts with one of its fields
    /// (`self.http.get(format!("{}/{}", self.url, id))`): (type, field, request).
    field_calls: Vec<(String, String, RawCall)>,
    /// Functions of the file called exactly once, with the literal values each argument
    /// takes there (`None`: not known) ([`literal_args`]).
    literal_args: Vec<(String, ArgValues)>,
    /// Functions of the file that build a router of their name: (the type of the `impl`
    /// they are in, the name, line), read by [`Collector::impl_router_aliases`].
    fn_routers: Vec<(Option<String>, String, u32)>,
}

/// A field a constructor sets from a parameter ([`Collector::ctor_fields`]).
struct CtorField {
    ty: String,
    field: String,
    ctor: String,
    /// `None`: the value is a URL of its own (`env::var("AUDIT_URL")`).
    param: Option<usize>,
    value: Template,
}

/// `let` bindings as the collector keeps them: (name, value when known).
type Locals = Vec<(String, Option<Template>)>;

/// `fn probe(host: &str, path: &str, f: &dyn Fn(&str, &str) -> R) { … f(host, path) }`:
/// (function, index of the parameter called, for each argument of that call the
/// index of the function's parameter passed). A closure given as that argument
/// takes the caller's arguments at those indices.
type Callback = (String, usize, Vec<usize>);

/// What calls inside a function may need to know about it.
#[derive(Default)]
struct Func {
    /// A free function (not a method): a caller names it by its name alone.
    free: bool,
    /// Parameter names in order (`self` left out: callers write `Type::f(a, b)`).
    params: Vec<String>,
    /// Parameters typed `Method` (an actix extractor: the request's own method).
    method_params: Vec<String>,
    /// Parameters by the type they hold ([`named_type`]): `producer: &KafkaProducer`.
    types: Vec<(String, String)>,
    /// Methods of the function's route attributes (`#[get("/p")]`).
    route_methods: Vec<String>,
}

/// HTTP client crates a file must mention for `client.get(url)` to be a call (sorted).
/// awc is actix-web's own client (`awc::Client::new().post(url)`).
const CLIENT_CRATES: &[&str] = &["awc", "gloo_net", "hyper", "reqwasm", "reqwest", "spin_sdk", "ureq"];

/// Whether a file may make HTTP requests: it names a client crate, or actix-web ≤ 3's
/// re-export of awc, `actix_web::client` (`use actix_web::client::{Client, …}`,
/// `use actix_web::{client, web}` then `client::Client::new()`).
fn client_file(text: &str) -> bool {
    CLIENT_CRATES.iter().any(|c| text.contains(c))
        || text.contains("actix_web") && text.contains("client::")
        // A client another file builds, held in a field named so (`self.state.http_client.get(url)`).
        || text.contains("http_client")
}

/// Words one of which a file that builds axum or actix routers contains (sorted).
const WEB_WORDS: &[&str] = &["App", "Router", "Scope", "actix", "axum", "scope"];

/// A macro body the module visitor already tried (`cached`), else `parse()`, kept in `slot`.
fn cached_or<'a, T>(
    cached: Option<Option<&'a T>>,
    slot: &'a mut Option<T>,
    parse: impl FnOnce() -> Option<T>,
) -> Option<&'a T> {
    match cached {
        Some(body) => body,
        None => {
            *slot = parse();
            slot.as_ref()
        }
    }
}

/// The port of a literal listening address: `"0.0.0.0:8080"` or `("127.0.0.1", 8080)`,
/// on a local or any-address host only (sqlx's `.bind("12:30")` is no address).
/// The port of a listening address: `"0.0.0.0:8080"`, `("0.0.0.0", 8080)`,
/// `([0, 0, 0, 0], 4000)`, `SocketAddr::from(([127, 0, 0, 1], 3000))`,
/// `SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 3000)`, `"0.0.0.0:80".parse()?`,
/// `&addr`, or a local `local` knows to hold one of those.
fn bound_port_in(addr: &Expr, local: &dyn Fn(&str) -> Option<u16>) -> Option<u16> {
    const HOSTS: &[&str] = &["0.0.0.0", "127.0.0.1", "::", "::1", "[::]", "[::1]", "localhost"];
    let int = |e: &Expr| match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Int(i) => i.base10_parse::<u16>().ok().filter(|p| *p != 0),
            _ => None,
        },
        _ => None,
    };
    // `[0, 0, 0, 0]`, `Ipv4Addr::UNSPECIFIED`, `IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1))`: an address
    // of this host, any of them (a server binds one of its own).
    let own_ip = |e: &Expr| match e {
        Expr::Array(a) => a.elems.len() == 4 && a.elems.iter().all(|x| matches!(x, Expr::Lit(_))),
        Expr::Path(_) | Expr::Call(_) => ip_path(e),
        _ => lit_str(e).is_some_and(|h| HOSTS.contains(&h.as_str())),
    };
    match addr {
        Expr::Tuple(t) if t.elems.len() == 2 => own_ip(&t.elems[0]).then(|| int(&t.elems[1])).flatten(),
        Expr::Paren(p) => bound_port_in(&p.expr, local),
        Expr::Reference(r) => bound_port_in(&r.expr, local),
        Expr::Try(t) => bound_port_in(&t.expr, local),
        Expr::Await(a) => bound_port_in(&a.base, local),
        // `"0.0.0.0:80".parse().unwrap()`, `([0, 0, 0, 0], 80).into()`
        Expr::MethodCall(m) if matches!(m.method.to_string().as_str(), "parse" | "unwrap" | "expect" | "into") => {
            bound_port_in(&m.receiver, local)
        }
        Expr::Call(c) => {
            let Expr::Path(p) = &*c.func else { return None };
            let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
            match (segs.iter().rev().nth(1).map(String::as_str), segs.last().map(String::as_str), c.args.len()) {
                (Some("SocketAddr" | "SocketAddrV4" | "SocketAddrV6"), Some("from"), 1) => {
                    bound_port_in(&c.args[0], local)
                }
                (Some("SocketAddr" | "SocketAddrV4"), Some("new"), 2) => {
                    own_ip(&c.args[0]).then(|| int(&c.args[1])).flatten()
                }
                (Some("SocketAddrV6"), Some("new"), 4) => own_ip(&c.args[0]).then(|| int(&c.args[1])).flatten(),
                _ => None,
            }
        }
        Expr::Path(p) if p.path.segments.len() == 1 => local(&p.path.segments[0].ident.to_string()),
        _ => {
            let s = lit_str(addr)?;
            let (h, p) = s.rsplit_once(':')?;
            let port = p.parse::<u16>().ok()?;
            (HOSTS.contains(&h) && port != 0).then_some(port)
        }
    }
}

/// `Ipv4Addr::UNSPECIFIED`, `IpAddr::V4(Ipv4Addr::LOCALHOST)`, `Ipv4Addr::new(0, 0, 0, 0)`:
/// an IP address of the std types, written out.
fn ip_path(e: &Expr) -> bool {
    let path = match e {
        Expr::Path(p) => &p.path,
        Expr::Call(c) => match &*c.func {
            Expr::Path(p)
                if c.args.len() == 1 && p.path.segments.last().is_some_and(|s| s.ident == "V4" || s.ident == "V6") =>
            {
                return ip_path(&c.args[0]);
            }
            Expr::Path(p) => &p.path,
            _ => return false,
        },
        _ => return false,
    };
    path.segments.iter().any(|s| s.ident == "Ipv4Addr" || s.ident == "Ipv6Addr")
}

pub(super) fn line(span: Span) -> u32 {
    u32::try_from(span.start().line).unwrap_or(u32::MAX).max(1)
}

fn lit_str(e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        Expr::Reference(r) => lit_str(&r.expr),
        Expr::Paren(p) => lit_str(&p.expr),
        _ => None,
    }
}

fn path_text(p: &syn::Path) -> String {
    p.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::")
}

fn last_seg(p: &syn::Path) -> String {
    p.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()
}

/// Whether a builder chain starts at grpcio's `ChannelBuilder::new(env)`.
fn channel_builder(e: &Expr) -> bool {
    match e {
        Expr::MethodCall(m) => channel_builder(&m.receiver),
        Expr::Call(c) => matches!(&*c.func, Expr::Path(p) if path_text(&p.path).ends_with("ChannelBuilder::new")),
        _ => false,
    }
}

/// `create_<service>` names a file imports from a grpcio-generated `<proto>_grpc`
/// module (`use books_grpc::{create_books, Books};`).
fn grpcio_creates(file: &syn::File) -> Vec<String> {
    fn walk(t: &syn::UseTree, generated: bool, out: &mut Vec<String>) {
        match t {
            syn::UseTree::Path(p) => walk(&p.tree, generated || p.ident.to_string().ends_with("_grpc"), out),
            syn::UseTree::Name(n) if generated && n.ident.to_string().starts_with("create_") => {
                out.push(n.ident.to_string());
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, generated, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for item in &file.items {
        if let syn::Item::Use(u) = item {
            walk(&u.tree, false, &mut out);
        }
    }
    out
}

/// The file's free functions that call one of their parameters with others of
/// their parameters, in order (see [`Callback`]).
fn callbacks(file: &syn::File) -> Vec<Callback> {
    struct Calls<'p> {
        params: &'p [String],
        found: Vec<(usize, Vec<usize>)>,
    }
    impl<'ast> Visit<'ast> for Calls<'_> {
        fn visit_expr_call(&mut self, c: &'ast ExprCall) {
            let single = |e: &Expr| match e {
                Expr::Path(p) if p.path.segments.len() == 1 => Some(last_seg(&p.path)),
                _ => None,
            };
            let index = |e: &Expr| single(e).and_then(|n| self.params.iter().position(|p| *p == n));
            if let Some(f) = index(&c.func) {
                let args: Option<Vec<usize>> = c.args.iter().map(index).collect();
                if let Some(args) = args.filter(|a| !a.is_empty()) {
                    self.found.push((f, args));
                }
            }
            visit::visit_expr_call(self, c);
        }
    }
    let mut out = Vec::new();
    for item in &file.items {
        let syn::Item::Fn(f) = item else { continue };
        let params = func_of(&f.sig).params;
        let mut v = Calls { params: &params, found: Vec::new() };
        v.visit_block(&f.block);
        out.extend(v.found.into_iter().map(|(p, args)| (f.sig.ident.to_string(), p, args)));
    }
    out
}

/// `books` → `Books`, `route_guide` → `RouteGuide`: the service a grpcio
/// `create_<snake>` function registers, in the proto's usual spelling.
fn upper_camel(snake: &str) -> String {
    snake.split('_').map(arch::upper_first).collect()
}

/// How a local bound to lapin's `queue_declare(name, …)` is kept among the locals
/// (`queue:q` for `let q = channel.queue_declare(…)`), apart from the local itself.
const QUEUE: &str = "queue:";

/// How a local bound to a Redis connection is kept among the locals (`redis:con` for
/// `let mut con = client.get_multiplexed_async_connection().await?`).
const REDIS: &str = "redis:";

/// How a local bound to redis-rs' `Script::new(text)` is kept among the locals
/// (`script:s` for `let s = redis::Script::new(LUA);`), with the script's text when read.
const SCRIPT: &str = "script:";

/// The command a Lua script stands for: the first writing command it calls
/// (`redis.call("INCR", KEYS[1])`, `redis.pcall('SET', …)`), else the first it calls,
/// else `eval`.
fn script_command(text: &str) -> String {
    let mut first: Option<String> = None;
    for (at, _) in text.match_indices("call(") {
        let rest = text[at + 5..].trim_start();
        let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
        let body = &rest[1..];
        let Some(end) = body.find(q) else { continue };
        let cmd = body[..end].to_ascii_lowercase();
        if arch::REDIS_WRITES.binary_search(&cmd.as_str()).is_ok() {
            return cmd;
        }
        first.get_or_insert(cmd);
    }
    first.unwrap_or_else(|| "eval".to_string())
}

/// How a local bound to the router another function builds is kept among the locals
/// (`router:metrics` for `let metrics = common_metrics::api::init_routing();`): merging
/// or nesting `metrics` mounts that function's router.
const ROUTER: &str = "router:";

/// The name of the router a serve call stands for (`serve@main` for `axum::serve(listener, app)`
/// in `fn main`): the top of the chain of mounts of what it serves.
pub(crate) const SERVED: &str = "serve@";

/// Methods of a Redis client that give a connection (or pipeline) to run commands
/// on (sorted).
const REDIS_CONNECTIONS: &[&str] = &[
    "get_async_connection",
    "get_connection",
    "get_connection_manager",
    "get_multiplexed_async_connection",
    "get_multiplexed_tokio_connection",
];

/// redis' command traits: a file importing one runs commands (sorted).
const REDIS_TRAITS: &[&str] = &["AsyncCommands", "AsyncTypedCommands", "Commands", "TypedCommands"];

/// redis' connection types, the type of a struct field or a parameter that holds one
/// (sorted): written `redis::aio::ConnectionManager`, or bare in a file importing
/// redis' command traits (and with no generic arguments: r2d2's and bb8's
/// `ConnectionManager<PgConnection>` are pools of other databases).
const REDIS_TYPES: &[&str] = &["Connection", "ConnectionManager", "MultiplexedConnection"];

/// salvo `Router` builder methods that declare a route, a path or a child router (sorted).
const SALVO_METHODS: &[&str] = &["delete", "get", "goal", "head", "options", "patch", "path", "post", "push", "put"];

/// A salvo path under its parent's: `a/<id>` with salvo's parameters (`<id>`, `<id:num>`,
/// `<**rest>`, `<*+rest>`) written `{id}`, `{rest}`.
fn salvo_join(prefix: &str, path: &str) -> String {
    let segs = path.split('/').filter(|s| !s.is_empty()).map(|seg| {
        match seg.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
            Some(inner) => {
                let name = inner.trim_start_matches(['*', '+', '?']);
                format!("{{{}}}", name.split(':').next().unwrap_or(name))
            }
            None => seg.to_string(),
        }
    });
    let mut out = prefix.trim_end_matches('/').to_string();
    for seg in segs {
        out.push('/');
        out.push_str(&seg);
    }
    out
}

/// tonic-build's output committed to a crate (`pub mod echo_service_client { pub struct
/// EchoServiceClient<T> … }`, the same with `_server`/`Server`): the generated client's own
/// `connect`/`new` and the server's plumbing are the library's code, not requests or
/// servers of the crate that holds them (the code calling them is).
fn generated_tonic_mod(m: &syn::ItemMod) -> bool {
    let name = m.ident.to_string();
    let Some((stem, kind)) = name
        .strip_suffix("_client")
        .map(|s| (s, "Client"))
        .or_else(|| name.strip_suffix("_server").map(|s| (s, "Server")))
    else {
        return false;
    };
    let want = format!("{}{kind}", upper_camel(stem));
    m.content.iter().flat_map(|(_, items)| items).any(|i| matches!(i, syn::Item::Struct(s) if s.ident == want))
}

/// How a local bound to a tonic client's `connect(addr)` is kept among the locals
/// (`grpc:client`), with the index of its request, the service and the first rpc called.
const GRPC: &str = "grpc:";

/// Methods of a tonic generated client that configure it rather than call an rpc (sorted).
const TONIC_CLIENT_METHODS: &[&str] =
    &["accept_compressed", "clone", "max_decoding_message_size", "max_encoding_message_size", "send_compressed"];

/// How a local holding a listening address is kept among the locals
/// (`port:addr` for `let addr = SocketAddr::from(([0, 0, 0, 0], 4000))`), with its port.
const PORT: &str = "port:";
/// How a local bound to a method's result (`let addr = settings.app_addr();`) is kept,
/// the method's name its value, for a later `bind(addr)`.
const ADDR: &str = "addr:";
/// How a local bound to a list of string literals (`let topics = ["a", "b"];`) is kept,
/// one literal part per element, for a later `subscribe(&topics)`.
const LIST: &str = "list:";
/// The port of the address a method of no arguments gives (`fn app_addr(&self) ->
/// String { format!("{}:{}", self.host, self.port) }`) is the constant `addr-port:app_addr`
/// of the file defining it; a server binding that method's result listens on it.
pub(crate) const ADDR_PORT: &str = "addr-port:";

/// How a struct field's name is written in a [`Part::Ref`] (`field:orders_url`), apart
/// from constants: only an `envconfig` field of that name gives it a value.
pub(crate) const FIELD: &str = "field:";

/// How an argument starting with the enclosing function's parameter is written in a
/// [`Part::Ref`]: `caller-arg:create_checkers#2=endpoint` is parameter 2 (`endpoint`) of
/// `create_checkers`, whose
/// callers' argument resolution puts in its place (`let hc = endpoint.join("/ready");
/// UrlChecker::new(client, hc)` inside `fn create_checkers(…, endpoint: Url)`).
pub(crate) const CALLER_ARG: &str = "caller-arg:";

/// The constant an envy read of a struct makes, `envy::prefixed("APP_").from_env::<Config>()`:
/// `envy:Config` holding the prefix (empty for `envy::from_env::<Config>()`). Each field of
/// `Config` reads the variable of the prefix and its name in upper case (`APP_LOKI_URL`).
pub(crate) const ENVY: &str = "envy:";

/// The name of the constant a struct literal's field value makes ([`Collector::field_set`]):
/// `field=user_service_url`.
pub(crate) const FIELD_SET: &str = "field=";

/// How the path of the request an actix handler serves is written in a [`Part::Ref`]
/// (`route-path:get_orders` for `req.path()` with `req: HttpRequest` in `fn get_orders`):
/// resolution replaces it with the path of the one route the handler serves, else a parameter.
pub(crate) const ROUTE_PATH: &str = "route-path:";

/// A Rust expression as a URL template: literals, `format!`, `env::var`, consts.
fn template(e: &Expr) -> Template {
    match e {
        Expr::Lit(_) => lit_str(e).map_or_else(|| vec![Part::Param("param".into())], |s| lit(&s)),
        Expr::Reference(r) => template(&r.expr),
        Expr::Paren(p) => template(&p.expr),
        Expr::Path(p) => vec![Part::Ref(type_item(&p.path).unwrap_or_else(|| last_seg(&p.path)))],
        // `Config::get_config().orders_url`: a struct field, which resolution reads as
        // the environment variable an `envconfig` field of that name names (else a parameter).
        // `config.services.users_url` keeps the fields it goes through (`services.users_url`),
        // which may name a key of the service's own config file.
        Expr::Field(_) => field_chain(e).map_or_else(|| vec![Part::Param("expr".into())], |c| vec![Part::Ref(c)]),
        // `base + "/orders"` on `String`s.
        Expr::Binary(b) if matches!(b.op, syn::BinOp::Add(_)) => {
            let mut t = template(&b.left);
            push_parts(&mut t, template(&b.right));
            t
        }
        Expr::Macro(m) if m.mac.path.is_ident("format") => {
            let Ok(args) = m.mac.parse_body_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated) else {
                return vec![Part::Param("format".into())];
            };
            let mut it = args.iter();
            let Some(fmt) = it.next().and_then(lit_str) else { return vec![Part::Param("format".into())] };
            let mut rest = it.map(template);
            braces_to_parts(&fmt, &mut rest)
        }
        Expr::Call(c) => match &*c.func {
            // `Url::parse(&base)`: the URL it parses.
            Expr::Path(p) if path_text(&p.path).ends_with("Url::parse") && c.args.len() == 1 => {
                c.args.first().map_or_else(Template::new, template)
            }
            Expr::Path(p) if last_seg(&p.path) == "var" && path_text(&p.path).contains("env") => {
                match c.args.first().and_then(lit_str) {
                    Some(k) => vec![Part::Env(k, None)],
                    None => vec![Part::Param("env".into())],
                }
            }
            // `service_ip()`: a function of no arguments, which may read the
            // environment (`collect` keeps the name only for such functions of the file).
            Expr::Path(p) if c.args.is_empty() && p.path.segments.len() == 1 => {
                vec![Part::Ref(format!("{}()", last_seg(&p.path)))]
            }
            _ => vec![Part::Param("call".into())],
        },
        Expr::Match(m) => env_match(m).unwrap_or_else(|| vec![Part::Param("expr".into())]),
        Expr::MethodCall(m) => {
            let method = m.method.to_string();
            let inner = template(&m.receiver);
            match (method.as_str(), inner.as_slice()) {
                ("unwrap_or" | "unwrap_or_else", [Part::Env(k, None)]) => {
                    let default = m.args.first().and_then(|a| match a {
                        Expr::Closure(c) => default_str(&c.body),
                        other => default_str(other),
                    });
                    vec![Part::Env(k.clone(), default)]
                }
                // `base.join("/ready")` on a `Url` read from the environment (an origin):
                // the absolute path after it. Not a list's separator (`parts.join("/")`).
                ("join", [.., Part::Ref(_) | Part::Env(..)]) if m.args.len() == 1 => {
                    match m.args.first().and_then(lit_str) {
                        Some(p) if url_join_path(&p) => {
                            let mut t = inner;
                            push_parts(&mut t, vec![Part::Lit(p)]);
                            t
                        }
                        _ => vec![Part::Param(method)],
                    }
                }
                (
                    // `.parse::<String>()`/`.parse::<Url>()` keeps the text it parses.
                    "unwrap" | "expect" | "to_string" | "to_owned" | "clone" | "as_str" | "into" | "parse"
                    | "unwrap_or_default" | "trim_end_matches",
                    _,
                ) => inner,
                _ => vec![Part::Param(method)],
            }
        }
        _ => vec![Part::Param("expr".into())],
    }
}

/// The argument of `Url::join` that makes an absolute path (`/ready`, `/-/healthy`): a
/// `/` then a path of no spaces, not `/` alone nor `//` (a list's separator).
fn url_join_path(p: &str) -> bool {
    p.len() > 1
        && p.starts_with('/')
        && !p.starts_with("//")
        && p.bytes().all(|b| b.is_ascii_graphic())
        && !p.contains(['{', '}', '?', '#'])
}

/// `envy::prefixed("APP_").from_env::<Config>()`, `envy::from_env::<Config>()`: (the
/// struct's name, the prefix).
fn envy_read(e: &Expr) -> Option<(String, String)> {
    let generic = |args: &syn::PathArguments| match args {
        syn::PathArguments::AngleBracketed(a) => match a.args.first() {
            Some(syn::GenericArgument::Type(syn::Type::Path(t))) => Some(last_seg(&t.path)),
            _ => None,
        },
        _ => None,
    };
    match e {
        Expr::MethodCall(m) if m.method == "from_env" => {
            let ty = m.turbofish.as_ref().and_then(|t| match t.args.first() {
                Some(syn::GenericArgument::Type(syn::Type::Path(t))) => Some(last_seg(&t.path)),
                _ => None,
            })?;
            let Expr::Call(c) = &*m.receiver else { return None };
            let Expr::Path(p) = &*c.func else { return None };
            let f = path_text(&p.path);
            (f == "envy::prefixed" || f == "prefixed").then_some(())?;
            Some((ty, c.args.first().and_then(lit_str)?))
        }
        Expr::Call(c) => {
            let Expr::Path(p) = &*c.func else { return None };
            let last = p.path.segments.last()?;
            (path_text(&p.path) == "envy::from_env").then_some(())?;
            Some((generic(&last.arguments)?, String::new()))
        }
        _ => None,
    }
}

/// The prefix of an envy read whose struct a `let` names (`let cfg: Config =
/// envy::prefixed("APP_").from_env()?;`, `envy::from_env().unwrap()`), through `?`,
/// `.unwrap()`, `.expect(…)` and anyhow's `.context(…)`.
fn envy_untyped(mut e: &Expr) -> Option<String> {
    loop {
        e = match e {
            Expr::Try(t) => &t.expr,
            Expr::MethodCall(m)
                if matches!(m.method.to_string().as_str(), "unwrap" | "expect" | "context" | "with_context") =>
            {
                &m.receiver
            }
            Expr::MethodCall(m) if m.method == "from_env" && m.turbofish.is_none() && m.args.is_empty() => {
                let Expr::Call(c) = &*m.receiver else { return None };
                let Expr::Path(p) = &*c.func else { return None };
                let f = path_text(&p.path);
                return (f == "envy::prefixed" || f == "prefixed").then(|| c.args.first().and_then(lit_str)).flatten();
            }
            Expr::Call(c) if c.args.is_empty() => {
                let Expr::Path(p) = &*c.func else { return None };
                let plain = p.path.segments.last().is_some_and(|s| s.arguments.is_none());
                return (plain && path_text(&p.path) == "envy::from_env").then(String::new);
            }
            _ => return None,
        };
    }
}

/// An item of a type, by the type's name (`crate::topics::KafkaTopic::OrderCreated` →
/// `KafkaTopic::OrderCreated`, `Self::TOPIC`): an enum's variant or an associated
/// constant, which resolution finds by that name, else by the item's own
/// (`resolve::arch::Ctx::constant`).
fn type_item(p: &syn::Path) -> Option<String> {
    let n = p.segments.len();
    let ty = p.segments.iter().nth_back(1)?.ident.to_string();
    let camel = ty.starts_with(|c: char| c.is_ascii_uppercase()) && ty.contains(|c: char| c.is_ascii_lowercase());
    camel.then(|| format!("{ty}::{}", p.segments[n - 1].ident))
}

/// The type `T::new(…)` constructs (through `?`, `.await`, `.unwrap()`, `.expect(…)`),
/// when `T` is a type's name (`MyProducer::new(hosts)` → `MyProducer`).
fn constructed_type(mut e: &Expr) -> Option<String> {
    loop {
        e = match e {
            Expr::Try(t) => &t.expr,
            Expr::Await(a) => &a.base,
            Expr::MethodCall(m) if matches!(m.method.to_string().as_str(), "unwrap" | "expect") => &m.receiver,
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else { return None };
                let item = type_item(&p.path)?;
                let (ty, f) = item.split_once("::")?;
                return (f == "new" && ty != "Self").then(|| ty.to_string());
            }
            _ => return None,
        };
    }
}

/// The name of a method called with no arguments (`settings.app_addr()`), through `&`,
/// `?` and `.await`.
fn called_method(mut e: &Expr) -> Option<String> {
    loop {
        e = match e {
            Expr::Reference(r) => &r.expr,
            Expr::Try(t) => &t.expr,
            Expr::Await(a) => &a.base,
            Expr::Paren(p) => &p.expr,
            Expr::MethodCall(m) if m.args.is_empty() => return Some(m.method.to_string()),
            _ => return None,
        };
    }
}

/// `fn app_addr(&self) -> String { format!("{}:{}", self.host, self.port) }`: the port
/// of the address the method gives, as written.
fn addr_port(f: &syn::ImplItemFn) -> Option<Template> {
    if f.sig.inputs.len() != 1 || f.sig.receiver().is_none() {
        return None;
    }
    let Some(syn::Stmt::Expr(Expr::Macro(m), None)) = f.block.stmts.last() else { return None };
    if !m.mac.path.is_ident("format") {
        return None;
    }
    let args = m.mac.parse_body_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated).ok()?;
    let fmt = args.first().and_then(lit_str)?;
    (args.len() == 3 && fmt == "{}:{}").then(|| template(&args[2]))
}

/// A field access as a [`FIELD`] reference naming the fields it goes through, the
/// variable (or call) it starts from left out: `config.services.users_url` and
/// `self.config.services.users_url` → `field:services.users_url`,
/// `field:config.services.users_url`. Nothing for a tuple field (`params.0`).
fn field_chain(e: &Expr) -> Option<String> {
    let mut names = Vec::new();
    let mut e = e;
    while let Expr::Field(f) = e {
        let syn::Member::Named(i) = &f.member else { return None };
        names.push(i.to_string());
        e = &f.base;
    }
    names.reverse();
    Some(format!("{FIELD}{}", names.join(".")))
}

/// `match env::var("X") { Ok(v) => v, Err(_) => "default".to_string() }`:
/// the variable, with the default when it is unset.
fn env_match(m: &syn::ExprMatch) -> Option<Template> {
    let scrutinee = template(&m.expr);
    let [Part::Env(var, None)] = scrutinee.as_slice() else { return None };
    let (mut ok, mut default) = (false, None);
    for arm in &m.arms {
        let syn::Pat::TupleStruct(t) = &arm.pat else { return None };
        match (last_seg(&t.path).as_str(), t.elems.first()) {
            ("Ok", Some(syn::Pat::Ident(v))) => ok = tail_path(&arm.body).is_some_and(|b| v.ident == b),
            ("Err", _) => default = default_str(tail(&arm.body)?),
            _ => return None,
        }
    }
    let default = default?;
    ok.then(|| vec![Part::Env(var.clone(), Some(default))])
}

/// The value of a block (its last expression), or the expression itself.
fn tail(e: &Expr) -> Option<&Expr> {
    match e {
        Expr::Block(b) => match b.block.stmts.last() {
            Some(syn::Stmt::Expr(e, None)) => tail(e),
            _ => None,
        },
        other => Some(other),
    }
}

fn tail_path(e: &Expr) -> Option<String> {
    match tail(e)? {
        Expr::Path(p) if p.path.segments.len() == 1 => Some(last_seg(&p.path)),
        _ => None,
    }
}

/// What a function of no parameters returns, when that reads the
/// environment: `fn service_ip() -> String { let v = match env::var("IP") {…};
/// println!(…); v }` is `Env("IP", default)`.
fn env_function(f: &syn::ItemFn) -> Option<Template> {
    if !f.sig.inputs.is_empty() {
        return None;
    }
    let stmts = &f.block.stmts;
    let value = match stmts.last()? {
        syn::Stmt::Expr(Expr::Path(p), None) if p.path.segments.len() == 1 => {
            let name = last_seg(&p.path);
            let init = stmts.iter().rev().find_map(|s| match s {
                syn::Stmt::Local(l) => match &l.pat {
                    syn::Pat::Ident(i) if i.ident == name => Some(l.init.as_ref()?.expr.as_ref()),
                    _ => None,
                },
                _ => None,
            })?;
            template(init)
        }
        syn::Stmt::Expr(e, None) => template(e),
        _ => return None,
    };
    let reads_env = value.iter().any(|p| matches!(p, Part::Env(..)));
    let known = value.iter().all(|p| matches!(p, Part::Env(..) | Part::Lit(_)));
    (reads_env && known).then_some(value)
}

/// A `name()` reference that is not one of the file's environment functions
/// is a call whose value is not known: `{call}`, as before.
fn forget_calls(t: &mut Template, functions: &[String]) {
    for p in t.iter_mut() {
        if matches!(p, Part::Ref(r) if r.ends_with("()") && !functions.contains(r)) {
            *p = Part::Param("call".into());
        }
    }
}

fn default_str(e: &Expr) -> Option<String> {
    match e {
        Expr::MethodCall(m) => default_str(&m.receiver),
        Expr::Call(c) => c.args.first().and_then(default_str),
        other => lit_str(other),
    }
}

impl Collector<'_> {
    /// The router a method chain builds: its root identifier, or the `let`/`fn` it is in.
    fn chain_router(&self, mut e: &Expr) -> String {
        loop {
            match e {
                Expr::MethodCall(m) => e = &m.receiver,
                Expr::Path(p) if p.path.segments.len() == 1 => {
                    let name = last_seg(&p.path);
                    return match self.cfg_params.iter().rev().find(|(n, _)| *n == name) {
                        Some((_, router)) => router.clone(),
                        None => name,
                    };
                }
                Expr::Call(c) => {
                    if let Expr::Path(p) = &*c.func {
                        if path_text(&p.path).ends_with("scope") {
                            return format!("scope@{}:{}", line(c.span()), c.span().start().column);
                        }
                        if last_seg(&p.path) == "resource" {
                            return resource_name(c);
                        }
                        let at = (line(c.span()), c.span().start().column);
                        if self.nested_inline.contains(&at) {
                            return format!("nest@{}:{}", at.0, at.1);
                        }
                    }
                    break;
                }
                _ => break,
            }
        }
        self.let_name.clone().unwrap_or_else(|| self.fn_name.clone())
    }

    /// Methods and handler of an axum `get(h).post(h2)` or actix `web::get().to(h)` chain.
    fn methods_of(e: &Expr, out: &mut Vec<(String, Option<String>)>) {
        match e {
            Expr::Call(c) => {
                if let Expr::Path(p) = &*c.func {
                    let name = last_seg(&p.path);
                    // actix `web::method(Method::OPTIONS)`: the method named.
                    if name == "method" {
                        let named = match c.args.first() {
                            Some(Expr::Path(a)) if c.args.len() == 1 => {
                                let m = last_seg(&a.path);
                                http_method(&m).filter(|x| x != "ANY" && m.chars().all(|c| c.is_ascii_uppercase()))
                            }
                            _ => None,
                        };
                        if let Some(m) = named {
                            out.push((m, None));
                        }
                        return;
                    }
                    let m = if name == "any" { Some("ANY".to_string()) } else { http_method(&name) };
                    if let Some(m) = m {
                        let handler = c.args.first().map(quote_short);
                        out.push((m, handler));
                    }
                }
            }
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                // actix ≤ 1's `.to_async(handler)` names the handler as `.to(handler)` does.
                if name == "to" || name == "to_async" {
                    let mut inner = Vec::new();
                    Self::methods_of(&m.receiver, &mut inner);
                    let handler = m.args.first().map(quote_short);
                    out.extend(inner.into_iter().map(|(method, _)| (method, handler.clone())));
                    return;
                }
                Self::methods_of(&m.receiver, out);
                let method = if name == "any" { Some("ANY".to_string()) } else { http_method(&name) };
                if let Some(method) = method {
                    out.push((method, m.args.first().map(quote_short)));
                }
            }
            _ => {}
        }
    }

    /// `fn auth_routes() -> Router { let public = Router::new().route(…); public.merge(private) }`:
    /// the function's router is the local router its tail expression builds on,
    /// so mounting `auth_routes()` elsewhere mounts that local's routes.
    fn tail_router(&mut self, body: &syn::Block) {
        let Some(syn::Stmt::Expr(e, None)) = body.stmts.last() else { return };
        let mut e = e;
        while let Expr::MethodCall(m) = e {
            e = &m.receiver;
        }
        let Expr::Path(p) = e else { return };
        if p.path.segments.len() != 1 || !self.web {
            return;
        }
        let local = last_seg(&p.path);
        let Some(framework) = self.facts.routers.iter().find(|r| r.name == local).map(|r| r.framework.clone()) else {
            return;
        };
        if local == self.fn_name {
            return;
        }
        let (parent, l) = (self.fn_name.clone(), line(p.span()));
        self.declare_router(&parent, &framework, l);
        self.facts.mounts.push(RawMount { parent, child: local, prefix: Template::new(), line: l });
    }

    /// Notes the function just visited when it builds a router of its name (an axum
    /// `fn routes() -> Router { Router::new().route(…) }`), with the `impl` it is in.
    fn fn_router(&mut self, sig: &syn::Signature) {
        if self.web && self.facts.routers.iter().any(|r| r.name == self.fn_name) {
            self.fn_routers.push((self.impl_ty.clone(), self.fn_name.clone(), line(sig.ident.span())));
        }
    }

    /// `impl Routes for Health { fn router() -> Router { … } }` mounted as
    /// `.nest("/ops", Health::router())`: the file's router `router` is also named
    /// `Health::router`, an empty router resolution follows to the function's own
    /// (`resolve::routes`), so a path naming the type picks it among the project's other
    /// `router` functions. Only when no other function of the file builds a router of
    /// that name: two `impl`s' `fn router` share one router here, and neither is named.
    fn impl_router_aliases(&mut self) {
        let once = |n: &String| self.fn_routers.iter().filter(|(_, f, _)| f == n).count() == 1;
        let aliases: Vec<(String, String, u32)> = self
            .fn_routers
            .iter()
            .filter(|(_, n, _)| once(n))
            .filter_map(|(ty, n, l)| Some((format!("{}::{n}", ty.as_ref()?), n.clone(), *l)))
            .collect();
        for (alias, name, l) in aliases {
            let Some(framework) = self.facts.routers.iter().find(|r| r.name == name).map(|r| r.framework.clone())
            else {
                continue;
            };
            self.declare_router(&alias, &framework, l);
        }
    }

    /// salvo: the outermost builder chain on a `Router` (`Router::new().hoop(h).get(hello)
    /// .push(Router::with_path("echo").post(echo))`): each router's path is its own segments
    /// (`with_path`, `path`) under those of the routers it is pushed into, `get(h)`… are
    /// routes at that path (`goal(h)` takes every method), and a pushed router built
    /// elsewhere (`push(api())`, `push(admin)`) is mounted there.
    fn salvo_router(&mut self, m: &ExprMethodCall) {
        let at = std::ptr::from_ref(m) as usize;
        if self.salvo_seen.contains(&at) {
            return;
        }
        let router = self.chain_router(&m.receiver);
        let before = self.facts.routes.len();
        let mounts = self.facts.mounts.len();
        if self.salvo_method(m, "", &router).is_none() {
            // Not a salvo `Router` chain (a client's `get(url)`, a map's `push(x)`): nothing read.
            self.facts.routes.truncate(before);
            self.facts.mounts.truncate(mounts);
            return;
        }
        if self.facts.routes.len() > before || self.facts.mounts.len() > mounts {
            self.declare_router(&router, "salvo", line(m.method.span()));
        }
    }

    /// The routes of one salvo router chain under `prefix`; the chain's own path, or
    /// `None` when the chain does not start at `Router::new()`/`Router::with_path(p)` or
    /// a local (a router built earlier).
    fn salvo_chain(&mut self, e: &Expr, prefix: &str, router: &str) -> Option<String> {
        match e {
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else { return None };
                let segs = &p.path.segments;
                if segs.len() < 2 || segs[segs.len() - 2].ident != "Router" {
                    return None;
                }
                match (last_seg(&p.path).as_str(), c.args.first()) {
                    ("with_path", Some(path)) => Some(salvo_join(prefix, &lit_str(path)?)),
                    ("new" | "with_hoop", _) => Some(prefix.to_string()),
                    _ => None,
                }
            }
            // A router built earlier in a `let` (`router.push(…)`).
            Expr::Path(p) if p.path.segments.len() == 1 => {
                let name = last_seg(&p.path);
                self.facts.routers.iter().any(|r| r.name == name && r.framework == "salvo").then(|| prefix.to_string())
            }
            Expr::MethodCall(m) => self.salvo_method(m, prefix, router),
            _ => None,
        }
    }

    /// One builder call of a salvo chain ([`Self::salvo_chain`]).
    fn salvo_method(&mut self, m: &ExprMethodCall, prefix: &str, router: &str) -> Option<String> {
        let path = self.salvo_chain(&m.receiver, prefix, router)?;
        self.salvo_seen.push(std::ptr::from_ref(m) as usize);
        let name = m.method.to_string();
        let l = line(m.method.span());
        match (name.as_str(), m.args.first()) {
            ("path", Some(p)) => return Some(salvo_join(&path, &lit_str(p)?)),
            ("push", Some(child)) if self.salvo_chain(child, &path, router).is_none() => {
                self.facts.mounts.push(RawMount {
                    parent: router.to_string(),
                    child: child_name(child),
                    prefix: lit(&path),
                    line: l,
                });
            }
            ("push", _) => {}
            (method, Some(handler)) => {
                let method = if method == "goal" { Some("ANY".to_string()) } else { http_method(method) };
                if let Some(method) = method {
                    self.facts.routes.push(RawRoute {
                        framework: "salvo".into(),
                        router: router.to_string(),
                        methods: vec![method],
                        path: lit(&path),
                        handler: Some(quote_short(handler)),
                        line: l,
                    });
                }
            }
            _ => {}
        }
        Some(path)
    }

    /// Routers are named after the `let` or `fn` that builds them; declare each
    /// one so mounts in other files can find it whatever the order files are read.
    fn declare_router(&mut self, name: &str, framework: &str, line: u32) {
        if !self.facts.routers.iter().any(|r| r.name == name) {
            self.facts.routers.push(RawRouter {
                name: name.into(),
                framework: framework.into(),
                prefix: Template::new(),
                line,
            });
        }
    }

    fn method_call(&mut self, m: &ExprMethodCall) {
        let name = m.method.to_string();
        let l = line(m.method.span());
        if let Expr::Path(p) = &*m.receiver {
            if let Some(local) = p.path.get_ident().filter(|_| !self.locals.is_empty()) {
                self.rpc_call(local, &name);
            }
        }
        self.method_arg_call(m);
        if self.mongo {
            self.mongo_op(m, &name, l);
        }
        if self.redis {
            self.redis_op(m, &name, l);
            if name == "invoke_async" || name == "invoke" {
                self.redis_script(m, l);
            }
        }
        if self.salvo && SALVO_METHODS.binary_search(&name.as_str()).is_ok() {
            self.salvo_router(m);
        }
        if self.nats && self.nats_op(m, &name, l) {
            return;
        }
        let args: Vec<&Expr> = m.args.iter().collect();
        match (name.as_str(), args.as_slice()) {
            ("route", [path, handlers]) => {
                let Some(p) = lit_str(path) else { return };
                let mut methods = Vec::new();
                Self::methods_of(handlers, &mut methods);
                if methods.is_empty() {
                    return;
                }
                let framework =
                    if matches!(handlers, Expr::MethodCall(x) if x.method == "to") { "actix" } else { "axum" };
                let router = self.chain_router(&m.receiver);
                self.ensure_scope(&m.receiver);
                if !router.starts_with("scope@") {
                    self.declare_router(&router, framework, l);
                }
                for (method, handler) in methods {
                    self.facts.routes.push(RawRoute {
                        framework: framework.into(),
                        router: router.clone(),
                        methods: vec![method],
                        path: lit(&p),
                        handler,
                        line: l,
                    });
                }
            }
            // actix `web::resource(p).route(web::post().to(h))`: a resource's routes have
            // one argument (a scope's and an app's have two).
            ("route", [handlers]) if self.web => {
                let mut methods = Vec::new();
                Self::methods_of(handlers, &mut methods);
                self.resource_routes(&m.receiver, methods);
            }
            // `web::resource(p).to(h)`: a route with no method guard answers every method.
            ("to", [handler]) if self.web => {
                self.resource_routes(&m.receiver, vec![("ANY".into(), Some(quote_short(handler)))]);
            }
            ("nest" | "nest_service", [path, child]) if self.web => {
                let Some(p) = lit_str(path) else { return };
                let parent = self.chain_router(&m.receiver);
                self.declare_router(&parent, "axum", l);
                let child = match inline_router(child) {
                    Some(at) => {
                        let name = format!("nest@{}:{}", at.0, at.1);
                        self.nested_inline.push(at);
                        self.declare_router(&name, "axum", l);
                        name
                    }
                    None => self.mounted_child(child),
                };
                self.facts.mounts.push(RawMount { parent, child, prefix: lit(&p), line: l });
            }
            ("merge", [child]) if self.web => {
                let parent = self.chain_router(&m.receiver);
                self.declare_router(&parent, "axum", l);
                let child = self.mounted_child(child);
                self.facts.mounts.push(RawMount { parent, child, prefix: Template::new(), line: l });
            }
            ("service", [child]) if self.web => {
                self.ensure_scope(&m.receiver);
                let parent = self.chain_router(&m.receiver);
                if let Some(f) = self.loop_fn_call(child) {
                    self.declare_router(&parent, "actix", l);
                    self.facts.mounts.push(RawMount { parent, child: f, prefix: Template::new(), line: l });
                    return;
                }
                let child = match child {
                    Expr::Call(_) | Expr::MethodCall(_) => self.chain_router(child),
                    other => child_name(other),
                };
                self.facts.mounts.push(RawMount {
                    parent,
                    child: format!("?{child}"),
                    prefix: Template::new(),
                    line: l,
                });
            }
            // actix `App::new().configure(routes)`, `web::scope("/p").configure(routes::init)`:
            // the function's `ServiceConfig` router is mounted here (a closure is read
            // in place, see `visit_expr_method_call`).
            ("configure", [Expr::Path(f)]) if self.web => {
                self.ensure_scope(&m.receiver);
                let parent = self.chain_router(&m.receiver);
                self.declare_router(&parent, "actix", l);
                self.facts.mounts.push(RawMount {
                    parent,
                    child: format!("?{}", path_text(&f.path)),
                    prefix: Template::new(),
                    line: l,
                });
            }
            ("mount", [path, Expr::Macro(mac)]) if mac.mac.path.is_ident("routes") => {
                let Some(p) = lit_str(path) else { return };
                let parent = self.chain_router(&m.receiver);
                let Ok(names) = mac.mac.parse_body_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                else {
                    return;
                };
                // `routes![controllers::hello]`: the path, so resolution looks in the module it
                // names when several handlers share the name (a test's `fixture::hello`).
                for n in names {
                    let child = if n.segments.len() > 1 { path_text(&n) } else { last_seg(&n) };
                    self.facts.mounts.push(RawMount { parent: parent.clone(), child, prefix: lit(&p), line: l });
                }
            }
            // Rocket `mount("/blog", blogweb::routes())`: the route list a function builds.
            ("mount", [path, child]) if self.rocket => {
                let (Some(p), Some(child)) = (lit_str(path), self.built_elsewhere(child)) else { return };
                let parent = self.chain_router(&m.receiver);
                self.facts.mounts.push(RawMount { parent, child: format!("?{child}"), prefix: lit(&p), line: l });
            }
            ("get" | "post" | "put" | "patch" | "delete" | "head", [url])
                if self.client_file && is_client(&m.receiver) =>
            {
                let url = self.local(template(url));
                self.push_call(RawCall { client: "reqwest".into(), method: name.to_ascii_uppercase(), url, line: l });
            }
            // reqwest `client.request(Method::GET, url)`.
            ("request", [method, url]) if self.client_file && is_client(&m.receiver) => {
                let url = self.local(template(url));
                let method = self.request_method(method);
                self.push_call(RawCall { client: "reqwest".into(), method, url, line: l });
            }
            // hyper `client.request(req)` with `let req = Request::builder().uri(…)…`.
            ("request", [Expr::Path(req)]) if self.client_file && is_client(&m.receiver) => {
                let name = last_seg(&req.path);
                if let Some((_, method, url)) = self.requests.iter().rev().find(|(n, ..)| *n == name) {
                    let (method, url) = (method.clone(), url.clone());
                    self.push_call(RawCall { client: "hyper".into(), method, url, line: l });
                }
            }
            ("request", [built @ Expr::MethodCall(_)]) if self.client_file && is_client(&m.receiver) => {
                if let Some((method, url)) = self.request_builder(built) {
                    self.push_call(RawCall { client: "hyper".into(), method, url, line: l });
                }
            }
            // grpcio `ChannelBuilder::new(env).connect("server:50051")`: the channel a
            // generated `XClient::new(ch)` calls through.
            ("connect", [addr]) | ("secure_connect", [addr, _]) if self.grpcio && channel_builder(&m.receiver) => {
                let addr = self.local(template(addr));
                arch::push_grpc_call(&mut self.facts, addr, l);
            }
            // `url.set_path("/api/v1/users")` on a URL local: its path is replaced.
            ("set_path", [path]) => self.set_path(&m.receiver, path),
            // A collection used with no operation seen here (returned, passed on): read.
            ("collection", [name]) if self.mongo => {
                let addr = std::ptr::from_ref(m) as usize;
                if let Some(coll) =
                    collection_name(name, &self.mongo_consts).filter(|_| !self.mongo_consumed.contains(&addr))
                {
                    arch::push_mongo_use(&mut self.facts, coll, "find", l);
                }
            }
            // lapin: the default exchange `""` delivers to the queue the key names; a named
            // exchange to the queues `queue_bind` binds to it (resolution reads the bindings).
            // (amqprs names them in an arguments struct instead: [`Self::amqprs_args`].)
            ("basic_publish", [exchange, key, ..]) if !self.amqprs => self.amqp_publish(exchange, key, l),
            // lapin: `queue_bind(queue, exchange, routing_key, options, arguments)`.
            ("queue_bind", [queue, exchange, key, ..]) if !self.amqprs => self.amqp_bind(queue, exchange, key, l),
            // lapin: `exchange_declare(name, ExchangeKind::Fanout, options, arguments)`.
            ("exchange_declare", [exchange, kind, ..]) if !self.amqprs => {
                let kind = match kind {
                    Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string().to_ascii_lowercase()),
                    _ => None,
                };
                self.amqp_exchange(exchange, kind, l);
            }
            ("basic_consume", [queue, ..]) if !self.amqprs => {
                let name = self.declared_queue(queue).unwrap_or_else(|| template(queue));
                self.queue("rabbitmq", name, Access::Read, l);
            }
            // actix `HttpServer::new(…).bind("0.0.0.0:8080")` / `.bind(("0.0.0.0", 8080))`.
            // warp `warp::serve(routes).run(([127, 0, 0, 1], 3030))`, hyper/axum `Server::bind(&addr)`.
            ("bind", [addr]) | ("run", [addr]) if self.web || name == "run" && self.warp => {
                if let Some(port) = bound_port_in(addr, &|n| self.local_port(n)) {
                    self.facts.listens.push((lit(&port.to_string()), l));
                } else if let Some(method) = self.addr_method(addr) {
                    // `.bind(settings.app_addr())`: the port that method's address names.
                    self.facts.listens.push((vec![Part::Ref(format!("{ADDR_PORT}{method}"))], l));
                }
            }
            // rumqttc: `client.publish("t", QoS::AtLeastOnce, false, payload)` and
            // `client.subscribe("t", QoS::AtMostOnce)` (their `try_` forms alike); paho-mqtt:
            // `cli.subscribe("t", 1)`. The topic as written, wildcards and all.
            ("publish" | "try_publish" | "publish_bytes" | "try_publish_bytes", [topic, _, _, _]) if self.mqtt => {
                self.queue("mqtt", template(topic), Access::Write, l);
            }
            ("subscribe" | "try_subscribe", [topic, _]) if self.mqtt => {
                self.queue("mqtt", template(topic), Access::Read, l);
            }
            ("subscribe", [Expr::Reference(r)]) if self.kafka => {
                if let Expr::Array(a) = &*r.expr {
                    for t in &a.elems {
                        self.queue("kafka", template(t), Access::Read, l);
                    }
                }
                // `consumer.subscribe(&TOPICS)` with `const TOPICS: [&str; 2] = […]`: each.
                if let Some(list) = super::rs_enums::loop_list(&r.expr, "topics") {
                    self.queue("kafka", list, Access::Read, l);
                }
                // `let topics = ["a", "b"]; consumer.subscribe(&topics)`: each.
                if let Expr::Path(p) = &*r.expr {
                    let key = p.path.get_ident().map(|i| format!("{LIST}{i}"));
                    let found = self.locals.iter().rev().find(|(n, _)| Some(n) == key.as_ref());
                    for part in found.and_then(|(_, v)| v.clone()).unwrap_or_default() {
                        self.queue("kafka", vec![part], Access::Read, l);
                    }
                }
            }
            // The `kafka` crate: `Consumer::from_hosts(…).with_topic(t)` (or
            // `.with_topic_partitions(t, &[0, 1])`) consumes `t`.
            ("with_topic", [t]) | ("with_topic_partitions", [t, _]) if self.kafka => {
                self.queue("kafka", template(t), Access::Read, l);
            }
            _ => {}
        }
    }

    /// The method of no arguments whose result `addr` is (`settings.app_addr()`,
    /// through `&`, `?`, `.await`, or a local bound to it).
    fn addr_method(&self, addr: &Expr) -> Option<String> {
        match addr {
            Expr::Path(p) => {
                let key = format!("{ADDR}{}", p.path.get_ident()?);
                let (_, v) = self.locals.iter().rev().find(|(n, _)| *n == key)?;
                arch::literal_of(v.as_ref()?)
            }
            _ => called_method(addr),
        }
    }

    /// NATS (async-nats, the `nats` crate): `client.publish(subject, payload)` publishes,
    /// `client.subscribe(subject)` / `queue_subscribe(subject, group)` consume, and
    /// `client.request(subject, payload)` is a request awaiting the reply of a subscriber
    /// (`rpc`). The client is a receiver named `…nats…` (`state.nats_client`), or any
    /// receiver in a file naming a NATS crate but another broker's or an HTTP client's
    /// (`redis`, `kafka`, `mqtt`, `Method::GET` first). Whether the call was one.
    fn nats_op(&mut self, m: &ExprMethodCall, op: &str, l: u32) -> bool {
        let (access, rpc) = match (op, m.args.len()) {
            ("publish", 2) => (Access::Write, false),
            ("request", 2) => (Access::Write, true),
            ("subscribe", 1) | ("queue_subscribe", 2) => (Access::Read, true),
            _ => return false,
        };
        let receiver = quote_short(&m.receiver).to_ascii_lowercase();
        let other = ["redis", "kafka", "mqtt", "producer", "http", "reqwest"].iter().any(|w| receiver.contains(w));
        let client = receiver.contains("nats") || self.nats_crate && !self.mqtt && !other;
        if !client {
            return false;
        }
        let Some(first) = m.args.first() else { return false };
        let name = template(first);
        // `client.request(Method::GET, url)` of an HTTP client, a closure, a struct: no subject.
        let subject = match first {
            Expr::Path(p) => !path_text(&p.path).contains("Method"),
            Expr::Lit(_) | Expr::Reference(_) | Expr::MethodCall(_) | Expr::Field(_) | Expr::Macro(_) => true,
            Expr::Binary(_) | Expr::Paren(_) => true,
            _ => false,
        };
        if !subject || name.is_empty() {
            return false;
        }
        let n = self.facts.queues.len();
        self.queue("nats", name, access, l);
        if let Some(q) = self.facts.queues.get_mut(n) {
            q.rpc = rpc;
        }
        true
    }

    /// MongoDB: `db.collection("x").insert_one(…)`, or `c.find(…)` after
    /// `let c = db.collection("x")`: the operation says read or written.
    /// Redis as a key-value store: `pipe.cmd("HSET")`, and `con.set(k, v)` /
    /// `self.redis.get(k)` on a connection the function got from a client
    /// (`client.get_multiplexed_async_connection()`…) or a receiver named `…redis…`
    /// (`redis_pool.get()`, with no key, is a pool's, not a command).
    /// redis-rs names a command's method by the command with underscores
    /// (`set_ex` is SETEX); a field of the file's structs typed as a connection
    /// (`self.conn`) is one too.
    fn redis_op(&mut self, m: &ExprMethodCall, op: &str, l: u32) {
        let command = match (op, m.args.first()) {
            ("cmd", Some(a)) if m.args.len() == 1 => lit_str(a).map(|c| c.to_ascii_lowercase()),
            (_, Some(_)) => {
                Some(op.replace('_', "")).filter(|c| KV_METHODS.binary_search(&c.as_str()).is_ok()).filter(|_| {
                    let receiver = quote_short(&m.receiver);
                    let conn = format!("{REDIS}{receiver}");
                    let last = receiver.rsplit('.').next().unwrap_or(&receiver);
                    self.locals.iter().any(|(n, _)| *n == conn)
                        || last.to_ascii_lowercase().contains("redis")
                        || (receiver.contains('.') && self.redis_fields.iter().any(|f| f == last))
                })
            }
            _ => None,
        };
        if let Some(c) = command.filter(|c| KV_METHODS.binary_search(&c.as_str()).is_ok()) {
            let uses = arch::redis_uses(&[], vec![("redis".into(), c, l)]);
            self.facts.table_uses.extend(uses);
        }
    }

    /// redis-rs' Lua scripts: `redis::Script::new(SCRIPT).key(k).arg(a).invoke_async(&mut
    /// con)`, or the same on a local bound to `Script::new(…)`, runs the script on the
    /// datastore: a write when its text (a literal or a text constant of the file) calls a
    /// writing command (`redis.call("INCR", …)`), else a read.
    fn redis_script(&mut self, m: &ExprMethodCall, l: u32) {
        let mut e = &*m.receiver;
        let text = loop {
            match e {
                Expr::MethodCall(c) => e = &c.receiver,
                Expr::Paren(p) => e = &p.expr,
                Expr::Path(p) => {
                    let Some(n) = p.path.get_ident() else { return };
                    let local = format!("{SCRIPT}{n}");
                    let Some((_, v)) = self.locals.iter().rev().find(|(l, _)| *l == local) else { return };
                    let text: Option<String> = v.as_ref().and_then(|v| match v.as_slice() {
                        [Part::Lit(t)] => Some(t.clone()),
                        _ => None,
                    });
                    break text;
                }
                other => match self.script_new(other) {
                    Some(text) => break text,
                    None => return,
                },
            }
        };
        let op = text.as_deref().map_or_else(|| "eval".to_string(), script_command);
        let uses = arch::redis_uses(&[], vec![("redis".into(), op, l)]);
        self.facts.table_uses.extend(uses);
    }

    /// `redis::Script::new(X)` (or `Script::new(X)` in a file naming redis): `Some` with the
    /// script's text when `X` is a literal or a text constant of the file, `Some(None)` else.
    fn script_new(&self, e: &Expr) -> Option<Option<String>> {
        let Expr::Call(c) = e else { return None };
        let Expr::Path(p) = &*c.func else { return None };
        let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
        let ok = match segs.as_slice() {
            [.., a, b] if a == "Script" && b == "new" => segs.len() == 2 || segs[0] == "redis",
            _ => false,
        };
        if !ok || c.args.len() != 1 {
            return None;
        }
        let arg = c.args.first()?;
        let arg = if let Expr::Reference(r) = arg { &*r.expr } else { arg };
        let text = lit_str(arg).or_else(|| {
            let Expr::Path(p) = arg else { return None };
            let n = last_seg(&p.path);
            self.script_consts.iter().find(|(c, _)| *c == n).map(|(_, v)| v.clone())
        });
        Some(text)
    }

    /// redis-async's `resp_array!["GET", key]`, the command actix-redis sends
    /// (`redis.send(Command(resp_array!["SET", k, v]))`): its first element names it.
    fn resp_array(&mut self, mac: &syn::Macro) {
        let Some(first) = mac.tokens.clone().into_iter().next() else { return };
        let Ok(command) = syn::parse2::<syn::LitStr>(first.into()) else { return };
        let c = command.value().to_ascii_lowercase();
        if KV_METHODS.binary_search(&c.as_str()).is_ok() {
            let uses = arch::redis_uses(&[], vec![("redis".into(), c, line(command.span()))]);
            self.facts.table_uses.extend(uses);
        }
    }

    /// A Redis connection a `let` takes ([`redis_connection`]), or a copy of one a
    /// struct holds: `self.conn.clone()` of a field typed as a connection, or
    /// `state.redis.clone()` / `.lock().await` of a field named `…redis…` (an app state).
    fn redis_handle(&self, e: &Expr) -> bool {
        if redis_connection(e, self.redis_commands) {
            return true;
        }
        let mut e = e;
        loop {
            match e {
                Expr::Await(a) => e = &a.base,
                Expr::Try(t) => e = &t.expr,
                Expr::MethodCall(m) if matches!(m.method.to_string().as_str(), "unwrap" | "expect") => e = &m.receiver,
                Expr::MethodCall(m) if m.args.is_empty() && (m.method == "clone" || m.method == "lock") => {
                    // `let mut conn = redis.clone();` of a parameter typed as a connection.
                    if let Expr::Path(p) = &*m.receiver {
                        let Some(n) = p.path.get_ident() else { return false };
                        let conn = format!("{REDIS}{n}");
                        return self.locals.iter().any(|(l, _)| *l == conn);
                    }
                    let Expr::Field(f) = &*m.receiver else { return false };
                    let syn::Member::Named(field) = &f.member else { return false };
                    let field = field.to_string();
                    return field.to_ascii_lowercase().contains("redis") || self.redis_fields.contains(&field);
                }
                _ => return false,
            }
        }
    }

    /// A function's parameters typed as a Redis connection (`con: &mut
    /// redis::aio::MultiplexedConnection`) are connections among its locals.
    fn redis_params(&mut self, sig: &syn::Signature) {
        for a in &sig.inputs {
            let syn::FnArg::Typed(t) = a else { continue };
            if let (syn::Pat::Ident(i), true) = (&*t.pat, redis_type(&t.ty, self.redis_commands, &self.redis_names)) {
                self.locals.push((format!("{REDIS}{}", i.ident), None));
            }
        }
    }

    /// The collection a call of a helper of the file hands back (`self.users()`,
    /// `invoices(db)`), and the call's line.
    fn helper_call(&self, e: &Expr) -> Option<(String, u32)> {
        if self.mongo_helpers.is_empty() {
            return None;
        }
        let f = match e {
            Expr::MethodCall(c) => &c.method,
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) => p.path.get_ident()?,
                _ => return None,
            },
            _ => return None,
        };
        self.mongo_helpers.iter().find(|(h, _)| f == h).map(|(_, c)| (c.clone(), line(f.span())))
    }

    fn mongo_op(&mut self, m: &ExprMethodCall, op: &str, l: u32) {
        let coll = match &*m.receiver {
            Expr::MethodCall(c) if c.method == "collection" && c.args.len() == 1 => {
                self.mongo_consumed.push(std::ptr::from_ref(c) as usize);
                c.args.first().and_then(|a| collection_name(a, &self.mongo_consts))
            }
            // `self.users().insert_one(…)`, `invoices(db).find(…)`: a helper of the file.
            e @ (Expr::MethodCall(_) | Expr::Call(_)) => self.helper_call(e).map(|(c, _)| c),
            Expr::Path(p) if p.path.segments.len() == 1 && !self.mongo_locals.is_empty() => {
                let local = last_seg(&p.path);
                self.mongo_locals.iter_mut().rev().find(|(n, ..)| *n == local).map(|entry| {
                    entry.3 = true;
                    entry.1.clone()
                })
            }
            _ => None,
        };
        if let Some(coll) = coll {
            arch::push_mongo_use(&mut self.facts, coll, op, l);
        }
    }

    /// The routes of a `web::resource(p)` chain (`.route(…)`, `.to(h)`), declared at
    /// the resource, whose path is the resource's router prefix.
    fn resource_routes(&mut self, receiver: &Expr, methods: Vec<(String, Option<String>)>) {
        let Some(c) = resource_call(receiver) else { return };
        if methods.is_empty() {
            return;
        }
        let name = resource_name(c);
        let l = line(c.func.span());
        if let Some(values) = self.param_values(c.args.first()) {
            // `fn proxy_resource(path: &str) -> Resource { web::resource(path)… }` called once, as
            // `cfg.service(proxy_resource(path))` in `for path in ["/a", "/b"]`: the function is a
            // router (mounted at that call) holding one resource per value.
            let parent = self.fn_name.clone();
            self.declare_router(&parent, "actix", l);
            for (k, v) in values.iter().enumerate() {
                let child = format!("{name}#{k}");
                if !self.facts.routers.iter().any(|r| r.name == child) {
                    self.facts.routers.push(RawRouter {
                        name: child.clone(),
                        framework: "actix".into(),
                        prefix: lit(v),
                        line: l,
                    });
                    self.facts.mounts.push(RawMount {
                        parent: parent.clone(),
                        child: child.clone(),
                        prefix: Template::new(),
                        line: l,
                    });
                }
                for (method, handler) in &methods {
                    self.facts.routes.push(RawRoute {
                        framework: "actix".into(),
                        router: child.clone(),
                        methods: vec![method.clone()],
                        path: Template::new(),
                        handler: handler.clone(),
                        line: l,
                    });
                }
            }
            return;
        }
        if !self.facts.routers.iter().any(|r| r.name == name) {
            let prefix = c.args.first().map(template).unwrap_or_default();
            self.facts.routers.push(RawRouter { name: name.clone(), framework: "actix".into(), prefix, line: l });
        }
        for (method, handler) in methods {
            self.facts.routes.push(RawRoute {
                framework: "actix".into(),
                router: name.clone(),
                methods: vec![method],
                path: Template::new(),
                handler,
                line: l,
            });
        }
    }

    /// The values a parameter of the current free function takes at its only call in
    /// the file ([`literal_args`]), when `arg` is that parameter.
    fn param_values(&self, arg: Option<&Expr>) -> Option<Vec<String>> {
        let Expr::Path(p) = arg? else { return None };
        let ident = p.path.get_ident()?.to_string();
        let k = self.func.params.iter().position(|n| *n == ident).filter(|_| self.func.free)?;
        let (_, args) = self.literal_args.iter().find(|(f, _)| *f == self.fn_name)?;
        args.get(k)?.clone().filter(|v| !v.is_empty())
    }

    /// `proxy_resource(path)`: a call of a file function whose parameter takes literal values.
    fn loop_fn_call(&self, e: &Expr) -> Option<String> {
        let Expr::Call(c) = e else { return None };
        let Expr::Path(p) = &*c.func else { return None };
        let f = p.path.get_ident()?.to_string();
        let (_, args) = self.literal_args.iter().find(|(n, _)| *n == f)?;
        args.iter().any(Option::is_some).then_some(f)
    }

    /// A `web::scope("/p")` at the root of a chain is a router with that prefix.
    fn ensure_scope(&mut self, mut e: &Expr) {
        while let Expr::MethodCall(m) = e {
            e = &m.receiver;
        }
        if let Expr::Call(c) = e {
            if let Expr::Path(p) = &*c.func {
                if path_text(&p.path).ends_with("scope") {
                    let name = format!("scope@{}:{}", line(c.span()), c.span().start().column);
                    if !self.facts.routers.iter().any(|r| r.name == name) {
                        let prefix = c.args.first().and_then(lit_str).map(|s| lit(&s)).unwrap_or_default();
                        self.facts.routers.push(RawRouter {
                            name,
                            framework: "actix".into(),
                            prefix,
                            line: line(c.span()),
                        });
                    }
                }
            }
        }
    }

    /// grpcio: `create_books(service)` (imported from `books_grpc`, or called as
    /// `books_grpc::create_books`) builds the `Books` service a `ServerBuilder`
    /// registers: this file serves it.
    fn grpcio_server(&mut self, path: &syn::Path, last: &str, c: &ExprCall) {
        let segs = &path.segments;
        let generated = match segs.len() {
            1 => self.grpcio_create.iter().any(|n| n == last),
            n => self.grpcio_server && segs[n - 2].ident.to_string().ends_with("_grpc"),
        };
        let Some(snake) = last.strip_prefix("create_").filter(|s| generated && !s.is_empty() && c.args.len() == 1)
        else {
            return;
        };
        self.facts.grpc.push(RawGrpc {
            service: upper_camel(snake),
            server: true,
            line: line(c.span()),
            within: None,
            rpc: None,
            constant: None,
            class: None,
        });
    }

    fn call(&mut self, c: &ExprCall) {
        let Expr::Path(p) = &*c.func else { return };
        if !self.cfg_params.is_empty() {
            self.configure_call(&p.path, c);
        }
        // A struct field may hold a host from a config file (`probe(&cfg.services.orders, …)`).
        let field = |a: &Expr| self.client_file && matches!(a, Expr::Reference(r) if matches!(*r.expr, Expr::Field(_)));
        // A config field named as a URL may reach a wrapper of another file of the crate
        // (`JwkLoader::from_url(cfg.jwks.url.clone())`), even where no client crate is named.
        // `MyConsumer::new(hosts, "orders".to_string())`: a type's constructor given text, which
        // may name the queue it takes as a parameter (in a file naming no broker).
        let type_text = || {
            type_item(&p.path).is_some_and(|t| t.ends_with("::new"))
                && c.args.iter().any(|a| super::rs_enums::lit_text(a).is_some())
        };
        if self.broker
            || c.args.iter().any(|a| {
                url_literal(a) || env_var(a) || self.url_local(a) || field(a) || url_field(a) || self.param_local(a)
            })
            || type_text()
        {
            self.arg_call(&p.path, c);
        }
        if self.amqprs {
            self.amqprs_args(&p.path, c);
        }
        let last = last_seg(&p.path);
        // `get_collection::<User>(session, "user")`: a collection helper of the project
        // (resolution says whether it is one) may take the collection's name.
        if self.mongo {
            for (k, a) in c.args.iter().enumerate() {
                if let Some(name) = lit_str(a) {
                    let at = line(p.path.segments.last().map_or_else(Span::call_site, |s| s.ident.span()));
                    self.facts.collection_helper_calls.push((path_text(&p.path), k, name, at));
                }
            }
        }
        // Spin (Fermyon): `spin_sdk::http::send(req)` (`http::send::<_, Response>(req)`) sends a
        // request built as hyper's are, `let req = Request::builder().method(Method::Get).uri(&url)`.
        if self.client_file && last == "send" && c.args.len() == 1 && path_text(&p.path).contains("http::send") {
            let request = match c.args.first() {
                Some(Expr::Path(req)) => {
                    let name = last_seg(&req.path);
                    self.requests.iter().rev().find(|(n, ..)| *n == name).map(|(_, m, u)| (m.clone(), u.clone()))
                }
                Some(built) => self.request_builder(built),
                None => None,
            };
            if let Some((method, url)) = request {
                let l = line(p.path.segments.last().map_or_else(Span::call_site, |s| s.ident.span()));
                self.push_call(RawCall { client: "spin".into(), method, url, line: l });
            }
            return;
        }
        if self.grpcio_server && last.starts_with("create_") {
            return self.grpcio_server(&p.path, &last, c);
        }
        if self.redis && last == "cmd" && path_text(&p.path) == "redis::cmd" {
            if let Some(cmd) = c.args.first().and_then(lit_str).map(|c| c.to_ascii_lowercase()) {
                // `redis::cmd("PING")`, a health check, reaches the datastore too (a read).
                if KV_METHODS.binary_search(&cmd.as_str()).is_ok() || cmd == "ping" {
                    let uses = arch::redis_uses(&[], vec![("redis".into(), cmd, line(c.span()))]);
                    self.facts.table_uses.extend(uses);
                }
            }
            return;
        }
        // stepancheg's grpc-rust: `server.add_service(GreeterServer::new_service_def(impl))`
        // serves the proto service `Greeter`; `GreeterClient::new_plain(host, port, conf)` is its client.
        if self.grpc_rust && p.path.segments.len() >= 2 {
            let ty = p.path.segments[p.path.segments.len() - 2].ident.to_string();
            let (suffix, server) = match last.as_str() {
                "new_service_def" => ("Server", true),
                "new_plain" | "new_plain_unix" | "new_tls" => ("Client", false),
                _ => ("", false),
            };
            if let Some(svc) = ty.strip_suffix(suffix).filter(|s| !suffix.is_empty() && !s.is_empty()) {
                let within = if server { None } else { self.impl_ty.clone().filter(|t| *t != ty) };
                self.facts.grpc.push(RawGrpc {
                    service: svc.to_string(),
                    server,
                    line: line(c.span()),
                    within,
                    rpc: None,
                    constant: None,
                    class: None,
                });
                return;
            }
        }
        // The `kafka` crate: `Record::from_value(t, v)`, `Record::from_key_value(t, k, v)`.
        if self.kafka && matches!(last.as_str(), "from_value" | "from_key_value") && p.path.segments.len() >= 2 {
            if p.path.segments[p.path.segments.len() - 2].ident == "Record" {
                if let Some(t) = c.args.first() {
                    self.queue("kafka", template(t), Access::Write, line(c.span()));
                }
            }
            return;
        }
        if !matches!(
            last.as_str(),
            "new" | "connect" | "with_interceptor" | "get" | "post" | "put" | "patch" | "delete" | "to" | "bind"
        ) {
            return;
        }
        // `TcpListener::bind("0.0.0.0:10003")` (tokio, std): the port a server listens on.
        if last == "bind" {
            let local = |n: &str| self.local_port(n);
            if let Some(port) = c.args.first().filter(|_| c.args.len() == 1).and_then(|a| bound_port_in(a, &local)) {
                self.facts.listens.push((lit(&port.to_string()), line(c.span())));
            }
            return;
        }
        // The span of a whole call is its tokens joined (costly): only for a fact.
        let l = || line(c.span());
        let full = path_text(&p.path);
        let segs = &p.path.segments;
        if segs.len() >= 2 && matches!(last.as_str(), "new" | "connect" | "with_interceptor") {
            let ty = segs[segs.len() - 2].ident.to_string();
            // actix's `HttpServer::new` reads the same: tonic's `HttpServer` comes from a
            // generated `http_server` module, and resolution keeps `Http` only when a
            // `.proto` defines the service.
            if let Some(svc) = ty
                .strip_suffix("Server")
                .filter(|s| self.tonic && !s.is_empty() && last != "connect")
                .filter(|s| *s != "Http" || self.tonic_http)
            {
                self.facts.grpc.push(RawGrpc {
                    service: svc.to_string(),
                    server: true,
                    line: l(),
                    within: None,
                    rpc: None,
                    constant: None,
                    class: None,
                });
            } else if let Some(svc) = ty.strip_suffix("Client").filter(|s| !s.is_empty()) {
                // In any file: a client generated in another crate (`use api::echo_client::EchoClient`)
                // or a constructor of another crate (`AuthClient::new()`) need not name tonic.
                // Resolution links only a proto's service or a constructor that builds one.
                let within = self.impl_ty.clone().filter(|t| *t != ty);
                self.facts.grpc.push(RawGrpc {
                    service: svc.to_string(),
                    server: false,
                    line: l(),
                    within,
                    rpc: None,
                    constant: None,
                    class: None,
                });
                if last == "connect" {
                    self.tonic_connect(svc, c);
                }
            }
        }
        // gloo-net / reqwasm (WebAssembly front ends): `Request::get(url).send().await`.
        if self.gloo && segs.len() >= 2 && segs[segs.len() - 2].ident == "Request" && last != "new" {
            if let Some(url) = c.args.first().filter(|_| c.args.len() == 1) {
                let url = self.local(template(url));
                let method = last.to_ascii_uppercase();
                self.push_call(RawCall { client: "gloo-net".into(), method, url, line: l() });
            }
        }
        if full == "reqwest::get" || full == "ureq::get" || full == "ureq::post" {
            if let Some(url) = c.args.first() {
                let method = if last == "post" { "POST" } else { "GET" };
                let url = self.local(template(url));
                self.push_call(RawCall { client: "reqwest".into(), method: method.into(), url, line: l() });
            }
        }
        if last == "to" && full.ends_with("FutureRecord::to") || full.ends_with("BaseRecord::to") {
            if let Some(t) = c.args.first() {
                self.queue("kafka", template(t), Access::Write, l());
            }
        }
    }

    /// tonic's generated `XClient::connect(addr)` with an address read here
    /// (`"http://orders:50051"`, a local or constant holding a URL): a gRPC request to
    /// that address, which names its callee better than the proto's implementers do.
    /// A `let` binding the client is kept among the locals, so the rpcs later called
    /// on it name the request's endpoints ([`Self::rpc_call`]).
    fn tonic_connect(&mut self, service: &str, c: &ExprCall) {
        let Some(addr) = c.args.first().filter(|_| c.args.len() == 1) else { return };
        let url = self.local(template(addr));
        if !url.iter().any(url_part) {
            return;
        }
        let at = self.facts.calls.len();
        self.facts.calls.push(RawCall { client: "grpc".into(), method: "RPC".into(), url, line: line(c.span()) });
        if let Some(n) = &self.let_name {
            let value = vec![Part::Lit(at.to_string()), Part::Lit(service.to_string()), Part::Lit(String::new())];
            self.locals.push((format!("{GRPC}{n}"), Some(value)));
        }
    }

    /// `client.echo_from_service1(req)` on a local bound to `EchoServiceClient::connect(addr)`:
    /// the request at the connect line goes to that rpc, written `/EchoService/echo_from_service1`
    /// (the Rust names; resolution finds the proto's `/pkg.EchoService/EchoFromService1`).
    /// Each further rpc is a request of its own at the same line.
    fn rpc_call(&mut self, local: &syn::Ident, method: &str) {
        let bound = |n: &String| n.strip_prefix(GRPC).is_some_and(|n| local == n);
        let Some(Some(v)) = self.locals.iter_mut().rev().find(|(n, _)| bound(n)).map(|(_, v)| v.as_mut()) else {
            return;
        };
        if TONIC_CLIENT_METHODS.binary_search(&method).is_ok() {
            return;
        }
        let [Part::Lit(at), Part::Lit(service), Part::Lit(rpc)] = v.as_mut_slice() else { return };
        let Some(call) = at.parse::<usize>().ok().and_then(|at| self.facts.calls.get_mut(at)) else { return };
        let path = format!("/{service}/{method}");
        if rpc.is_empty() {
            call.url.push(Part::Lit(path.clone()));
            *rpc = path;
        } else if *rpc != path {
            let mut other = call.clone();
            other.url.pop();
            other.url.push(Part::Lit(path));
            if !self.facts.calls.contains(&other) {
                self.facts.calls.push(other);
            }
        }
    }

    /// A request this function makes: a wrapper's when its URL is one of the
    /// function's parameters followed by literal text only (`fetch_json(url)`,
    /// `Request::get(&format!("{base}/x"))` is not), so each caller's argument is
    /// the URL; else a call of its own.
    fn push_call(&mut self, call: RawCall) {
        // `self.url` first in a method of `impl T`: a constructor may say it (`field_wrappers`).
        if let (Some(ty), Some(Part::Ref(r))) = (&self.impl_ty, call.url.first()) {
            if let Some(field) = r.strip_prefix(FIELD).filter(|f| !self.func.free && !f.contains('.')) {
                self.field_calls.push((ty.clone(), field.to_string(), call));
                return;
            }
        }
        // The URL, or its host after a scheme (`format!("http://{}/probe", host)`).
        let at = usize::from(matches!(call.url.first(), Some(Part::Lit(s)) if s == "http://" || s == "https://"));
        // A method's (`fn check(&self, base_url: &str)`) too: its callers write `Type::check`
        // (`self.check(…)` in the `impl`, or on a value of a known type).
        let method = !self.func.free && self.impl_ty.is_some();
        let param = match call.url.get(at) {
            Some(Part::Ref(p))
                if (self.func.free || method) && call.url.iter().skip(at + 1).all(|p| matches!(p, Part::Lit(_))) =>
            {
                self.func.params.iter().position(|x| x == p)
            }
            _ => None,
        };
        match param {
            Some(param) => {
                let name = if method { self.current_fn() } else { self.fn_name.clone() };
                self.facts.wrappers.push(RawWrapper {
                    name,
                    param,
                    call,
                    method_param: None,
                    method_arg: None,
                    at,
                    key: None,
                    params: Vec::new(),
                    choice: None,
                    forwards: None,
                    joined: false,
                });
            }
            None => self.facts.calls.push(call),
        }
    }

    /// Requests on a field a constructor of the type sets from its parameter become
    /// wrappers of the constructor (`Client::new`): each caller's argument is the
    /// base URL, `Client::new(api_base_url)` then `client.get(id)` requesting
    /// `{API_BASE_URL}/v1/user/{id}`. The rest of the URL is the method's: names
    /// there are its parameters, never the caller's constants. Other requests on a
    /// field are calls as before.
    fn field_wrappers(&mut self) {
        for (ty, field, call) in std::mem::take(&mut self.field_calls) {
            let found: Vec<&CtorField> = self.ctor_fields.iter().filter(|c| c.ty == ty && c.field == field).collect();
            let [c] = found.as_slice() else {
                self.facts.calls.push(call);
                continue;
            };
            let at = usize::from(matches!(c.value.first(), Some(Part::Lit(s)) if s == "http://" || s == "https://"));
            let mut url = c.value.clone();
            let rest = call.url.into_iter().skip(1).map(|p| match p {
                Part::Ref(n) => Part::Param(n.strip_prefix(FIELD).unwrap_or(&n).to_string()),
                p => p,
            });
            push_parts(&mut url, rest.collect());
            // `Self { url: env::var("AUDIT_URL")… }`: the field holds that URL.
            let Some(param) = c.param else {
                self.facts.calls.push(RawCall { url, ..call });
                continue;
            };
            self.facts.wrappers.push(RawWrapper {
                name: c.ctor.clone(),
                param,
                call: RawCall { url, ..call },
                method_param: None,
                method_arg: None,
                at,
                key: None,
                params: Vec::new(),
                choice: None,
                forwards: None,
                joined: false,
            });
        }
    }

    /// `Self { url: format!("{}/v1/user", base_url), … }` (or `T { … }`) in a
    /// constructor of `impl T`: each field whose value is one of the constructor's
    /// parameters, after a scheme at most, followed by literal text.
    fn ctor_struct(&mut self, e: &syn::ExprStruct) {
        let Some(ty) = self.impl_ty.clone() else { return };
        let name = last_seg(&e.path);
        if !self.ctor || (name != "Self" && name != ty) {
            return;
        }
        for f in &e.fields {
            let syn::Member::Named(field) = &f.member else { continue };
            let value = self.local(template(&f.expr));
            let at = usize::from(matches!(value.first(), Some(Part::Lit(s)) if s == "http://" || s == "https://"));
            let param = match value.get(at) {
                Some(Part::Ref(p)) if value.iter().skip(at + 1).all(|p| matches!(p, Part::Lit(_))) => {
                    self.func.params.iter().position(|x| x == p)
                }
                _ => None,
            };
            // Or a URL of its own (an environment variable, a literal with a scheme).
            let own = param.is_none() && value.iter().any(|p| url_part(p) && !matches!(p, Part::Ref(_)));
            if param.is_some() || own {
                let ctor = format!("{ty}::{}", self.fn_name);
                self.ctor_fields.push(CtorField { ty: ty.clone(), field: field.to_string(), ctor, param, value });
            }
        }
    }

    /// A struct literal's fields set to a URL or an environment variable, `Settings {
    /// user_service_url: env::var("USER_SERVICE_URL").unwrap_or_else(|_| "http://localhost:8081".into()), … }`
    /// outside test code: a [`FIELD_SET`] constant of the field's name, which resolution
    /// reads for a field access (`self.settings.user_service_url`) when the crate's
    /// literals all give the field that one value. A second literal of the file giving it
    /// another value leaves it unknown here already.
    fn field_set(&mut self, e: &syn::ExprStruct) {
        for f in &e.fields {
            let syn::Member::Named(field) = &f.member else { continue };
            let value = self.local(template(&f.expr));
            let known = value.iter().all(|p| matches!(p, Part::Lit(_) | Part::Env(..)));
            let url =
                value.iter().any(|p| matches!(p, Part::Env(..)) || matches!(p, Part::Lit(s) if s.contains("://")));
            if !known || !url {
                continue;
            }
            let name = format!("{FIELD_SET}{field}");
            let l = line(field.span());
            match self.facts.consts.iter_mut().find(|c| c.name == name) {
                Some(c) if c.value != value => c.value = vec![Part::Param(field.to_string())],
                Some(_) => {}
                None => self.facts.consts.push(RawConst { name, value, line: l }),
            }
        }
    }

    /// An argument naming a local that holds a URL (`let url = format!("http://h/{}", id);`
    /// then `fetch_json(&url)`).
    fn url_local(&self, e: &Expr) -> bool {
        match e {
            Expr::Reference(r) => self.url_local(&r.expr),
            Expr::Path(p) if p.path.segments.len() == 1 => {
                let n = last_seg(&p.path);
                self.locals
                    .iter()
                    .rev()
                    .find(|(name, _)| *name == n)
                    .and_then(|(_, v)| v.as_ref())
                    .is_some_and(|v| v.iter().any(url_part))
            }
            _ => false,
        }
    }

    /// `consume(brokers, "orders")`: a call with a literal argument (or a local holding
    /// one), which may name the queue of a function that takes it as a parameter.
    fn arg_call(&mut self, f: &syn::Path, c: &ExprCall) {
        self.push_arg_call(path_text(f), &c.args, line(f.span()));
    }

    /// A call of `callee` ([`Self::arg_call`]): kept when an argument is text, a
    /// constant (`topics::USER_CREATED`, which resolution reads) or a URL.
    fn push_arg_call(&mut self, callee: String, args: &Punctuated<Expr, syn::Token![,]>, line: u32) {
        let args: Vec<Template> = args.iter().map(|a| self.local_lit(template(a))).collect();
        if self.broker {
            self.param_passes(&callee, &args);
        }
        let text = |a: &Template| match a.as_slice() {
            [Part::Ref(n)] => screaming(n),
            _ => !a.is_empty() && a.iter().all(|p| matches!(p, Part::Lit(_))),
        };
        // An argument that is the function's own parameter and text after it: the callers' argument.
        let args: Vec<Template> =
            args.into_iter().map(|a| if text(&a) || a.iter().any(url_part) { a } else { self.caller_arg(a) }).collect();
        // A URL built with `format!`, for a function that requests the URL it is given.
        let url = |a: &Template| {
            a.iter().any(url_part) || matches!(a.first(), Some(Part::Ref(r)) if r.starts_with(CALLER_ARG))
        };
        if args.iter().any(|a| text(a) || url(a)) {
            let args = args.into_iter().map(|a| if text(&a) || url(&a) { a } else { Template::new() }).collect();
            self.facts.arg_calls.push(RawArgCall {
                callee,
                args,
                kwargs: Vec::new(),
                methods: Vec::new(),
                props: Vec::new(),
                line,
            });
        }
    }

    /// An argument that starts with one of the function's parameters (no local of that
    /// name), followed by text only: a [`CALLER_ARG`] reference in its place, which
    /// resolution reads at the function's callers. Any other argument as it is.
    fn caller_arg(&self, a: Template) -> Template {
        if !self.param_led(&a) || !(self.func.free || self.impl_ty.is_some()) {
            return a;
        }
        let Some(Part::Ref(p)) = a.first() else { return a };
        if self.locals.iter().any(|(l, _)| l == p) {
            return a;
        }
        let Some(k) = self.func.params.iter().position(|x| x == p) else { return a };
        let mut out = vec![Part::Ref(format!("{CALLER_ARG}{}#{k}={p}", self.current_fn()))];
        out.extend(a.into_iter().skip(1));
        out
    }

    /// An argument naming a local that holds one of the function's parameters and text
    /// after it (`let hc = endpoint.join("/ready")` then `Checker::new(hc)`).
    fn param_local(&self, e: &Expr) -> bool {
        let Expr::Path(p) = e else { return false };
        let Some(n) = p.path.get_ident().map(ToString::to_string) else { return false };
        self.locals
            .iter()
            .rev()
            .find(|(name, _)| *name == n)
            .and_then(|(_, v)| v.as_ref())
            .is_some_and(|v| self.param_led(v) && !v.iter().any(url_part))
    }

    /// `send(&producer, topic.clone(), …)` inside `fn handle(topic: &str)`: the callee's
    /// argument is the function's own parameter, so `handle`'s callers name whatever
    /// queue `send` uses it for (a local of that name hides the parameter).
    fn param_passes(&mut self, callee: &str, args: &[Template]) {
        for (arg, a) in args.iter().enumerate() {
            let [Part::Ref(n)] = a.as_slice() else { continue };
            let Some(param) = self.func.params.iter().position(|p| p == n) else { continue };
            if self.locals.iter().any(|(l, _)| l == n) {
                continue;
            }
            let function = self.current_fn();
            self.facts.param_passes.push(RawParamPass { callee: callee.to_string(), arg, function, param });
        }
    }

    /// The function being visited as its callers write it: `consume`, `Consumer::new`.
    fn current_fn(&self) -> String {
        match &self.impl_ty {
            Some(t) => format!("{t}::{}", self.fn_name),
            None => self.fn_name.clone(),
        }
    }

    /// `self.send(topics::USER_CREATED, …)` in `impl KafkaProducer`, `producer.publish("t")`
    /// on a parameter typed `&KafkaProducer` (or `Arc<…>`), `self.producer.publish("t")` on a
    /// field of the file's struct typed so: a call of `KafkaProducer::publish`, whose
    /// arguments may name the queue it takes as a parameter. A receiver of no known
    /// type says nothing (`tx.send("x")` may be a channel's).
    fn method_arg_call(&mut self, m: &ExprMethodCall) {
        // An argument that is the function's own parameter may be handed on ([`Self::param_passes`]).
        let param = |a: &Expr| {
            let a = if let Expr::Reference(r) = a { &*r.expr } else { a };
            matches!(a, Expr::Path(p) if p.path.get_ident().is_some_and(|i| self.func.params.iter().any(|x| i == x)))
        };
        // A field (`&self.settings.user_service_url`) may be a URL, in a file making requests.
        let field = |a: &Expr| {
            let a = if let Expr::Reference(r) = a { &*r.expr } else { a };
            self.client_file && matches!(a, Expr::Field(_))
        };
        // A local holding text (`let queue = "orders"; client.consume(queue)`), as the text would.
        let text_local = |a: &Expr| {
            let a = if let Expr::Reference(r) = a { &*r.expr } else { a };
            let Expr::Path(p) = a else { return false };
            let Some(n) = p.path.get_ident() else { return false };
            let value = self.locals.iter().rev().find(|(l, _)| n == l).and_then(|(_, v)| v.as_ref());
            value.is_some_and(|v| !v.is_empty() && v.iter().all(|p| matches!(p, Part::Lit(_))))
        };
        if !m.args.iter().any(|a| text_or_const(a) || field(a) || self.broker && param(a) || text_local(a)) {
            return;
        }
        let ty = match &*m.receiver {
            Expr::Path(p) if p.path.is_ident("self") => self.impl_ty.clone(),
            Expr::Path(p) => {
                p.path.get_ident().and_then(|n| self.func.types.iter().find(|(p, _)| n == p)).map(|(_, t)| t.clone())
            }
            Expr::Field(f) if matches!(&*f.base, Expr::Path(p) if p.path.is_ident("self")) => match &f.member {
                syn::Member::Named(n) => self.field_types.iter().find(|(f, _)| n == f).map(|(_, t)| t.clone()),
                syn::Member::Unnamed(_) => None,
            },
            _ => None,
        };
        if let Some(ty) = ty {
            self.push_arg_call(format!("{ty}::{}", m.method), &m.args, line(m.method.span()));
        }
    }

    /// The method of `client.request(method, url)`: `Method::GET`, or a handler's
    /// `method: Method` parameter, which is the request's own method, so the method
    /// of the handler's only route attribute; else `ANY` (unknown).
    fn request_method(&self, e: &Expr) -> String {
        let e = match e {
            Expr::Reference(r) => &*r.expr,
            other => other,
        };
        let Expr::Path(p) = e else { return "ANY".into() };
        let name = last_seg(&p.path);
        if p.path.segments.len() > 1 {
            // `Method::GET` (http), `Method::Get` (spin_sdk's enum).
            let same = |m: &String| {
                name == *m
                    || name.len() > 1
                        && name[1..].chars().all(|c| c.is_ascii_lowercase())
                        && name.eq_ignore_ascii_case(m)
            };
            return http_method(&name).filter(same).unwrap_or_else(|| "ANY".into());
        }
        match self.func.route_methods.as_slice() {
            [one] if self.func.method_params.contains(&name) => one.clone(),
            _ => "ANY".into(),
        }
    }

    /// hyper `Request::builder().method("POST").uri("http://…")…` (or `Request::post(uri)`):
    /// the method (`GET` unless set) and the URL.
    fn request_builder(&self, mut e: &Expr) -> Option<(String, Template)> {
        let (mut method, mut url) = (None, None);
        loop {
            match e {
                Expr::MethodCall(m) => {
                    match (m.method.to_string().as_str(), m.args.first()) {
                        ("uri", Some(u)) if url.is_none() => url = Some(self.local(template(u))),
                        ("method", Some(x)) if method.is_none() => {
                            method = Some(match lit_str(x) {
                                Some(s) => s.to_ascii_uppercase(),
                                None => self.request_method(x),
                            });
                        }
                        _ => {}
                    }
                    e = &m.receiver;
                }
                Expr::Try(t) => e = &t.expr,
                Expr::Call(c) => {
                    let Expr::Path(p) = &*c.func else { return None };
                    let segs = &p.path.segments;
                    let last = last_seg(&p.path);
                    if segs.len() < 2 || segs[segs.len() - 2].ident != "Request" {
                        return None;
                    }
                    if last != "builder" {
                        method = Some(http_method(&last)?);
                        url = Some(self.local(template(c.args.first()?)));
                    }
                    return Some((method.unwrap_or_else(|| "GET".into()), url?));
                }
                _ => return None,
            }
        }
    }

    /// `url.set_path(p)` on a local holding a URL: the local's path becomes `p` (a second
    /// `set_path` leaves it unknown).
    fn set_path(&mut self, receiver: &Expr, path: &Expr) {
        let Expr::Path(r) = receiver else { return };
        if r.path.segments.len() != 1 {
            return;
        }
        let name = last_seg(&r.path);
        let path = self.local_lit(template(path));
        let twice = self.paths_set.contains(&name);
        let Some((_, value)) = self.locals.iter_mut().rev().find(|(n, _)| *n == name) else { return };
        let Some(base) = value.as_ref() else { return };
        *value = if twice { None } else { with_path(base, path) };
        self.paths_set.push(name);
    }

    /// A publish to `exchange` with routing key `key` (lapin `basic_publish`, amqprs
    /// `BasicPublishArguments::new`): the default exchange `""` delivers to the queue the
    /// key names; a named exchange to the queues bound to it (resolution reads the bindings).
    fn amqp_publish(&mut self, exchange: &Expr, key: &Expr, l: u32) {
        let ex = template(exchange);
        if arch::literal_of(&ex).is_some_and(|s| s.is_empty()) {
            self.queue("rabbitmq", template(key), Access::Write, l);
        } else {
            let n = self.facts.queues.len();
            self.queue("rabbitmq", ex, Access::Write, l);
            let key = self.local_lit(template(key));
            if let Some(q) = self.facts.queues.get_mut(n) {
                q.key = Some(key);
            }
        }
    }

    /// A binding of `queue` to `exchange` with `key` (lapin `queue_bind`, amqprs
    /// `QueueBindArguments::new`).
    fn amqp_bind(&mut self, queue: &Expr, exchange: &Expr, key: &Expr, l: u32) {
        let queue = self.declared_queue(queue).unwrap_or_else(|| template(queue));
        let (queue, exchange) = (self.local_lit(queue), self.local_lit(template(exchange)));
        if !queue.is_empty() && !exchange.is_empty() {
            let key = Some(self.local_lit(template(key)));
            self.facts.amqp.push(RawAmqp { exchange, queue: Some(queue), key, kind: None, line: l });
        }
    }

    /// An exchange declared with its type (lapin `exchange_declare`, amqprs
    /// `ExchangeDeclareArguments::new`).
    fn amqp_exchange(&mut self, exchange: &Expr, kind: Option<String>, l: u32) {
        let exchange = self.local_lit(template(exchange));
        if !exchange.is_empty() {
            self.facts.amqp.push(RawAmqp { exchange, queue: None, key: None, kind, line: l });
        }
    }

    /// amqprs: a channel operation takes its names in an arguments struct built with `new`
    /// (`channel.basic_publish(props, content, BasicPublishArguments::new(ex, key))`), read
    /// where it is built, as lapin's calls are.
    fn amqprs_args(&mut self, path: &syn::Path, c: &ExprCall) {
        let n = path.segments.len();
        if n < 2 || path.segments[n - 1].ident != "new" {
            return;
        }
        let l = line(path.segments[n - 2].ident.span());
        let args: Vec<&Expr> = c.args.iter().collect();
        match (path.segments[n - 2].ident.to_string().as_str(), args.as_slice()) {
            ("BasicConsumeArguments", [queue, _]) => {
                let name = self.declared_queue(queue).unwrap_or_else(|| template(queue));
                self.queue("rabbitmq", name, Access::Read, l);
            }
            ("BasicPublishArguments", [exchange, key]) => self.amqp_publish(exchange, key, l),
            ("QueueBindArguments", [queue, exchange, key]) => self.amqp_bind(queue, exchange, key, l),
            ("ExchangeDeclareArguments", [exchange, kind]) => {
                let kind = self.local_lit(template(kind));
                self.amqp_exchange(exchange, arch::literal_of(&kind).map(|k| k.to_ascii_lowercase()), l);
            }
            _ => {}
        }
    }

    /// lapin `basic_consume(queue.name().as_str(), …)` after `let queue =
    /// channel.queue_declare(QUEUE_NAME, …)`: the declared name.
    fn declared_queue(&self, e: &Expr) -> Option<Template> {
        let mut e = e;
        loop {
            match e {
                Expr::Reference(r) => e = &r.expr,
                Expr::MethodCall(m) if matches!(m.method.to_string().as_str(), "as_str" | "to_string" | "clone") => {
                    e = &m.receiver;
                }
                Expr::MethodCall(m) if m.method == "name" && m.args.is_empty() => {
                    let Expr::Path(p) = &*m.receiver else { return None };
                    let name = last_seg(&p.path);
                    let (_, value) = self.locals.iter().rev().find(|(n, _)| *n == format!("{QUEUE}{name}"))?;
                    return value.clone();
                }
                _ => return None,
            }
        }
    }

    /// `users::config(cfg)` with a `ServiceConfig` in scope: that function's router
    /// is mounted on the one `cfg` builds.
    fn configure_call(&mut self, f: &syn::Path, c: &ExprCall) {
        let router = c.args.iter().find_map(|a| {
            let a = match a {
                Expr::Reference(r) => &*r.expr,
                other => other,
            };
            let Expr::Path(p) = a else { return None };
            let name = last_seg(&p.path);
            (p.path.segments.len() == 1).then_some(())?;
            self.cfg_params.iter().rev().find(|(n, _)| *n == name).map(|(_, r)| r.clone())
        });
        if let Some(parent) = router {
            self.facts.mounts.push(RawMount {
                parent,
                child: format!("?{}", path_text(f)),
                prefix: Template::new(),
                line: line(f.span()),
            });
        }
    }

    /// The `ServiceConfig` parameters of a function (`cfg: &mut web::ServiceConfig`):
    /// the function builds a router of its name, which serves only where something
    /// configures it (resolution drops it otherwise).
    fn config_fn(&mut self, sig: &syn::Signature) -> Vec<(String, String)> {
        let name = sig.ident.to_string();
        let params: Vec<(String, String)> = sig
            .inputs
            .iter()
            .filter_map(|a| match a {
                syn::FnArg::Typed(t) => match (&*t.pat, &*t.ty) {
                    (syn::Pat::Ident(i), syn::Type::Reference(r)) => match &*r.elem {
                        syn::Type::Path(tp) if last_seg(&tp.path) == "ServiceConfig" => {
                            Some((i.ident.to_string(), name.clone()))
                        }
                        _ => None,
                    },
                    _ => None,
                },
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        if !params.is_empty() {
            self.declare_router(&name, "actix", line(sig.ident.span()));
            self.facts.sub_routers.push(name);
        }
        params
    }

    /// The port of a listening address the local `name` of this function holds.
    /// The router an axum `merge`/`nest` mounts: a local bound to another function's
    /// router (see [`ROUTER`]) is that function, unless the local builds a router itself.
    fn mounted_child(&self, child: &Expr) -> String {
        let name = child_name(child);
        let key = format!("{ROUTER}{name}");
        let aliased =
            self.locals.iter().rev().find(|(n, _)| *n == key).and_then(|(_, v)| arch::literal_of(v.as_ref()?));
        match aliased {
            Some(f) if !self.facts.routers.iter().any(|r| r.name == name) => f,
            _ => name,
        }
    }

    /// axum 0.7+ `axum::serve(listener, app)` (`app` bound to `create_router(state)`, or
    /// the call itself, `create_router(s).into_make_service()`), axum ≤ 0.6 and axum-server
    /// `Server::bind(&addr).serve(app.into_make_service())`: the serving function mounts the
    /// router another function builds, maybe in a library crate, whose routes it then serves.
    /// A router built in this file is served already; a parameter or any other value names
    /// no function, so nothing is mounted.
    fn serve_mount(&mut self, router: &Expr, l: u32) {
        let Some(child) = self.built_elsewhere(router) else { return };
        let parent = format!("{SERVED}{}", self.fn_name);
        self.declare_router(&parent, "axum", l);
        self.facts.mounts.push(RawMount { parent, child: format!("?{child}"), prefix: Template::new(), line: l });
    }

    /// The function that builds the router (or Rocket route list) `e` stands for: a call
    /// (`create_router(state).into_make_service()`) or a local bound to one
    /// (`let app = create_router(state)`); `None` for a router built here or any other value.
    fn built_elsewhere(&self, e: &Expr) -> Option<String> {
        if let Some(f) = router_fn_call(e) {
            return Some(f);
        }
        let mut root = e;
        while let Expr::MethodCall(m) = root {
            root = &m.receiver;
        }
        let name = match root {
            Expr::Path(p) => p.path.get_ident()?.to_string(),
            _ => return None,
        };
        Some(self.mounted_child(root)).filter(|f| *f != name)
    }

    /// Rocket `pub fn routes() -> Vec<Route> { routes![index, create] }`: the function is a
    /// router mounting those handlers, so `mount("/blog", blogweb::routes())` in another
    /// crate serves them under `/blog`.
    fn rocket_routes_fn(&mut self, body: &syn::Block) {
        let mac = match body.stmts.last() {
            Some(syn::Stmt::Macro(m)) => &m.mac,
            Some(syn::Stmt::Expr(e, None)) => {
                let mut e = e;
                while let Expr::MethodCall(m) = e {
                    e = &m.receiver;
                }
                let Expr::Macro(m) = e else { return };
                &m.mac
            }
            _ => return,
        };
        if !mac.path.is_ident("routes") {
            return;
        }
        let Ok(names) = mac.parse_body_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated) else { return };
        let (parent, l) = (self.fn_name.clone(), line(mac.path.span()));
        self.declare_router(&parent, "rocket", l);
        for n in names {
            self.facts.mounts.push(RawMount {
                parent: parent.clone(),
                child: last_seg(&n),
                prefix: Template::new(),
                line: l,
            });
        }
    }

    fn local_port(&self, name: &str) -> Option<u16> {
        let key = format!("{PORT}{name}");
        let (_, value) = self.locals.iter().rev().find(|(n, _)| *n == key)?;
        arch::literal_of(value.as_ref()?)?.parse().ok()
    }

    /// A template naming a local of the current function (`client.post(url)` after
    /// `let url = format!(…)`) is that local's value; locals of other functions
    /// never are (each `fn mul`, `fn div` has its own `url`).
    fn local(&self, t: Template) -> Template {
        self.local_of(t, false)
    }

    /// [`Self::local`], also taking locals that hold plain text (`let topic = "orders"`):
    /// for queue names and paths, not URLs.
    fn local_lit(&self, t: Template) -> Template {
        self.local_of(t, true)
    }

    /// A value starting with one of the function's parameters followed by text only
    /// (`format!("{}/health", base_url)` in `fn check(&self, base_url: &str)`): a local holding
    /// it is the URL the callers' argument makes ([`Self::push_call`]).
    fn param_led(&self, v: &Template) -> bool {
        match v.split_first() {
            Some((Part::Ref(p), rest)) => {
                self.func.params.iter().any(|x| x == p) && rest.iter().all(|p| matches!(p, Part::Lit(_)))
            }
            _ => false,
        }
    }

    fn local_of(&self, t: Template, text: bool) -> Template {
        let mut out = Template::new();
        for p in t {
            let value = match &p {
                Part::Ref(n) => self
                    .locals
                    .iter()
                    .rev()
                    .find(|(name, _)| name == n)
                    .and_then(|(_, v)| v.clone())
                    // A closure parameter whose value is unknown is that: a parameter.
                    .filter(|v| {
                        text || v.iter().any(url_part)
                            || v.iter().all(|p| matches!(p, Part::Param(_)))
                            || matches!(v.as_slice(), [Part::Ref(r)] if r.starts_with(ROUTE_PATH))
                            || self.param_led(v)
                    }),
                _ => None,
            };
            match value {
                Some(v) => push_parts(&mut out, v),
                None => push_parts(&mut out, vec![p]),
            }
        }
        out
    }

    fn queue(&mut self, broker: &str, name: Template, access: Access, line: u32) {
        let name = self.local_lit(name);
        if name.is_empty() {
            return;
        }
        // `fn consume(topic: &str) { … subscribe(&[topic]) }`: the callers name the queue.
        if let [Part::Ref(p)] = name.as_slice() {
            if let Some(param) = self.func.params.iter().position(|x| x == p) {
                let function = self.current_fn();
                self.facts.queue_params.push(RawQueueParam { queue: self.facts.queues.len(), function, param });
            }
        }
        self.facts.queues.push(RawQueue { broker: broker.into(), name, access, line, key: None, rpc: false });
    }

    /// `probe(&cfg.orders_addr, &req.path(), &|host, path| reqwest::get(…))` where
    /// `probe` calls `f(host, path)` on its own first two parameters: inside the
    /// closure, `host` is `cfg.orders_addr` and `path` the value of `req.path()`
    /// (unknown: a parameter of the URL, never a constant of that name).
    fn bind_closures(&mut self, c: &ExprCall) {
        let Expr::Path(p) = &*c.func else { return };
        if p.path.segments.len() != 1 {
            return;
        }
        let name = last_seg(&p.path);
        for (_, at, args) in self.callbacks.iter().filter(|(f, ..)| *f == name) {
            let mut closure = c.args.iter().nth(*at);
            while let Some(Expr::Reference(r)) = closure {
                closure = Some(&r.expr);
            }
            let Some(Expr::Closure(cl)) = closure else { continue };
            let mut binds = Vec::new();
            for (input, arg) in cl.inputs.iter().zip(args) {
                let (syn::Pat::Ident(i), Some(value)) = (input, c.args.iter().nth(*arg)) else { continue };
                let n = i.ident.to_string();
                if let Some(route) = self.request_path(value) {
                    binds.push((n, Some(vec![Part::Ref(route)])));
                    continue;
                }
                let v = self.local_lit(template(value));
                let v = if v.iter().any(url_part) || !v.is_empty() && v.iter().all(|p| matches!(p, Part::Lit(_))) {
                    v
                } else {
                    vec![Part::Param(n.clone())]
                };
                binds.push((n, Some(v)));
            }
            self.closure_binds.push((std::ptr::from_ref(cl) as usize, binds));
        }
    }

    /// `req.path()` (or `&req.path()`) on a parameter typed actix's `HttpRequest` of a free
    /// function: the path of the request the function serves, as a [`ROUTE_PATH`] reference.
    fn request_path(&self, mut e: &Expr) -> Option<String> {
        while let Expr::Reference(r) = e {
            e = &r.expr;
        }
        let Expr::MethodCall(m) = e else { return None };
        let Expr::Path(p) = &*m.receiver else { return None };
        if m.method != "path" || !m.args.is_empty() || p.path.segments.len() != 1 || !self.func.free {
            return None;
        }
        let local = last_seg(&p.path);
        let typed = self.func.types.iter().any(|(n, t)| *n == local && t == "HttpRequest");
        typed.then(|| format!("{ROUTE_PATH}{}", self.fn_name))
    }

    fn route_attrs(&mut self, attrs: &[syn::Attribute], fn_name: &str) {
        for a in attrs {
            let name = last_seg(a.path());
            if ROUTE_ATTRS.binary_search(&name.as_str()).is_err() {
                continue;
            }
            let Ok(list) = a.meta.require_list() else { continue };
            let Ok(args) = list.parse_args_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated) else { continue };
            let Some(path) = args.first().and_then(lit_str) else { continue };
            let methods: Vec<String> = if name == "route" {
                args.iter()
                    .filter_map(|e| match e {
                        Expr::Assign(asg) => lit_str(&asg.right).map(|s| s.to_ascii_uppercase()),
                        _ => None,
                    })
                    .collect()
            } else {
                vec![name.to_ascii_uppercase()]
            };
            self.func.route_methods.extend(methods.iter().cloned());
            let framework = if self.rocket { "rocket" } else { "actix" };
            let l = line(a.span());
            if !self.facts.routers.iter().any(|r| r.name == fn_name) {
                self.facts.routers.push(RawRouter {
                    name: fn_name.into(),
                    framework: framework.into(),
                    prefix: Template::new(),
                    line: l,
                });
            }
            // Rocket paths may carry a query (`/items?<page>`): not part of the route.
            let path = path.split('?').next().unwrap_or("").to_string();
            self.facts.routes.push(RawRoute {
                framework: framework.into(),
                router: fn_name.into(),
                methods,
                path: lit(&path),
                handler: Some(fn_name.into()),
                line: l,
            });
        }
    }

    /// The end of a function: its MongoDB collection locals with no operation seen
    /// (returned, passed on) are read; the enclosing function's come back.
    fn end_fn(&mut self, outer: Vec<(String, String, u32, bool)>) {
        for (_, coll, l, used) in std::mem::replace(&mut self.mongo_locals, outer) {
            if !used {
                arch::push_mongo_use(&mut self.facts, coll, "find", l);
            }
        }
    }

    /// `envy::prefixed("APP_").from_env::<Config>()` outside test code: an [`ENVY`] constant
    /// of the struct holding the prefix (the first of the file's reads of that struct).
    fn envy_read(&mut self, e: &Expr) {
        let Some((ty, prefix)) = envy_read(e) else { return };
        self.envy_const(ty, prefix, line(e.span()));
    }

    /// The [`ENVY`] constant of struct `ty` read with `prefix`, outside test code.
    fn envy_const(&mut self, ty: String, prefix: String, l: u32) {
        let name = format!("{ENVY}{ty}");
        if self.test_depth == 0 && !self.facts.consts.iter().any(|c| c.name == name) {
            self.facts.consts.push(RawConst { name, value: vec![Part::Lit(prefix)], line: l });
        }
    }

    /// `#[envconfig(from = "ORDERS_URL", default = "…")] orders_url: String`: the
    /// field reads that environment variable (a [`FIELD`] constant resolution finds).
    /// So does a command-line option of clap or structopt, `#[arg(long, env =
    /// "KAFKA_TOPIC", default_value = "orders")]` (`#[clap(…)]`, `#[structopt(…)]`; a bare
    /// `env` is the field's name in upper case, as clap reads it), and one with only a
    /// `default_value` is that text: the value the program runs with when no flag is given.
    fn envconfig_fields(&mut self, s: &syn::ItemStruct) {
        const CLI: &[&str] = &["arg", "clap", "structopt"];
        for f in &s.fields {
            let Some(ident) = &f.ident else { continue };
            for a in &f.attrs {
                let Some(kind) = a.path().get_ident().map(ToString::to_string) else { continue };
                let value = if kind == "envconfig" {
                    let Ok(metas) =
                        a.parse_args_with(Punctuated::<syn::MetaNameValue, syn::Token![,]>::parse_terminated)
                    else {
                        continue;
                    };
                    let get = |key: &str| metas.iter().find(|m| m.path.is_ident(key)).and_then(|m| lit_str(&m.value));
                    get("from").map(|var| vec![Part::Env(var, get("default"))])
                } else if CLI.contains(&kind.as_str()) {
                    cli_value(a, &ident.to_string())
                } else {
                    continue;
                };
                if let Some(value) = value {
                    self.facts.consts.push(RawConst {
                        name: format!("{FIELD}{ident}"),
                        value,
                        line: line(ident.span()),
                    });
                }
            }
        }
    }

    /// The fields of a `#[derive(Deserialize)]` struct, by the key each reads
    /// (`#[serde(rename = "usersUrl")]` when given).
    fn config_fields(&mut self, s: &syn::ItemStruct) {
        let derives = |a: &syn::Attribute| {
            a.path().is_ident("derive")
                && a.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                    .is_ok_and(|p| p.iter().any(|p| last_seg(p) == "Deserialize"))
        };
        if !s.attrs.iter().any(derives) {
            return;
        }
        for f in &s.fields {
            let Some(ident) = &f.ident else { continue };
            let renamed = f.attrs.iter().filter(|a| a.path().is_ident("serde")).find_map(|a| {
                let metas = a.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated).ok()?;
                metas.iter().find_map(|m| match m {
                    syn::Meta::NameValue(nv) if nv.path.is_ident("rename") => lit_str(&nv.value),
                    _ => None,
                })
            });
            // `Config::loki_url` too, a field's own name in its struct (no `rename`): an envy
            // read of the struct gives it the environment variable of that name ([`ENVY`]).
            if renamed.is_none() {
                let own = ident.to_string();
                self.facts.config_fields.push(format!("{}::{}", s.ident, own.trim_start_matches("r#")));
            }
            let name = renamed.unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_string());
            self.facts.config_fields.push(name);
        }
    }

    fn table_attrs(&mut self, attrs: &[syn::Attribute], ident: &syn::Ident) {
        for a in attrs {
            let orm = last_seg(a.path());
            if orm != "diesel" && orm != "sea_orm" {
                continue;
            }
            let Ok(list) = a.meta.require_list() else { continue };
            let Ok(metas) = list.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated) else {
                continue;
            };
            for m in metas {
                let syn::Meta::NameValue(nv) = m else { continue };
                if !nv.path.is_ident("table_name") {
                    continue;
                }
                let name = match &nv.value {
                    Expr::Path(p) => Some(last_seg(&p.path)),
                    other => lit_str(other),
                };
                if let Some(name) = name {
                    let orm = if orm == "sea_orm" { "sea-orm" } else { "diesel" };
                    self.facts.tables.push(RawTable {
                        orm: orm.into(),
                        name: Some(name),
                        class_name: Some(ident.to_string()),
                        line: line(a.span()),
                    });
                }
            }
        }
    }
}

/// The type a parameter or field holds, by its last name, through references and
/// smart pointers: `&KafkaProducer`, `Arc<KafkaProducer>` → `KafkaProducer`.
fn named_type(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Reference(r) => named_type(&r.elem),
        syn::Type::Path(p) => {
            let last = p.path.segments.last()?;
            match &last.arguments {
                syn::PathArguments::None => Some(last.ident.to_string()),
                syn::PathArguments::AngleBracketed(a)
                    if matches!(last.ident.to_string().as_str(), "Arc" | "Box" | "Rc") =>
                {
                    match a.args.first() {
                        Some(syn::GenericArgument::Type(t)) if a.args.len() == 1 => named_type(t),
                        _ => None,
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// A constant's name: `SCREAMING_CASE` (with a letter).
fn screaming(name: &str) -> bool {
    name.bytes().any(|b| b.is_ascii_uppercase())
        && name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// The value of a clap/structopt option attribute ([`Collector::envconfig_fields`]):
/// its environment variable with the default, or the default alone.
fn cli_value(a: &syn::Attribute, field: &str) -> Option<Template> {
    let metas = a.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated).ok()?;
    let (mut env, mut default) = (None, None);
    for m in &metas {
        match m {
            syn::Meta::Path(p) if p.is_ident("env") => env = Some(field.trim_start_matches("r#").to_ascii_uppercase()),
            syn::Meta::NameValue(nv) if nv.path.is_ident("env") => env = lit_str(&nv.value),
            // `default_value_t = "x".to_string()` too, when it is text.
            syn::Meta::NameValue(nv) if nv.path.is_ident("default_value") || nv.path.is_ident("default_value_t") => {
                default = arch::literal_of(&template(&nv.value));
            }
            _ => {}
        }
    }
    match (env, default) {
        (Some(var), default) => Some(vec![Part::Env(var, default)]),
        (None, Some(d)) => Some(lit(&d)),
        (None, None) => None,
    }
}

/// An argument written as text or a constant: `"user.created"`, `&topics::USER_CREATED`
/// (a cheap look before templates are made).
fn text_or_const(e: &Expr) -> bool {
    match e {
        Expr::Reference(r) => text_or_const(&r.expr),
        Expr::Lit(l) => matches!(l.lit, Lit::Str(_)),
        Expr::Path(p) => p.path.segments.last().is_some_and(|s| screaming(&s.ident.to_string())),
        _ => false,
    }
}

/// The parameters of a function, as calls inside it need them.
fn func_of(sig: &syn::Signature) -> Func {
    let mut f = Func::default();
    for a in &sig.inputs {
        let syn::FnArg::Typed(t) = a else { continue };
        let name = match &*t.pat {
            syn::Pat::Ident(i) => i.ident.to_string(),
            _ => String::new(),
        };
        if matches!(&*t.ty, syn::Type::Path(p) if last_seg(&p.path) == "Method") {
            f.method_params.push(name.clone());
        }
        if let Some(ty) = named_type(&t.ty) {
            f.types.push((name.clone(), ty));
        }
        f.params.push(name);
    }
    f
}

/// `client.get_connection()`, `redis::pipe()`, `redis_pool.get().await?`: a Redis
/// connection or pipeline (through `.await`, `?`, `.unwrap()`/`.expect(…)`).
/// `pool.get().await` is one too in a file that imports redis' command traits
/// (`use redis::AsyncCommands;`: bb8 and deadpool pools of Redis clients).
fn redis_connection(mut e: &Expr, commands: bool) -> bool {
    loop {
        match e {
            Expr::Await(a) => e = &a.base,
            Expr::Try(t) => e = &t.expr,
            Expr::MethodCall(m) if matches!(m.method.to_string().as_str(), "unwrap" | "expect" | "map_err") => {
                e = &m.receiver;
            }
            Expr::MethodCall(m) if m.method == "get" && m.args.is_empty() => {
                return commands || quote_short(&m.receiver).to_ascii_lowercase().contains("redis");
            }
            Expr::MethodCall(m) => return REDIS_CONNECTIONS.binary_search(&m.method.to_string().as_str()).is_ok(),
            Expr::Call(c) => return matches!(&*c.func, Expr::Path(p) if path_text(&p.path) == "redis::pipe"),
            _ => return false,
        }
    }
}

/// Whether `use` items (top-level or in inline modules) import one of redis' command
/// traits: `use redis::AsyncCommands;`, `use redis::{aio::ConnectionManager, AsyncCommands};`.
fn imports_redis_commands(items: &[syn::Item], depth: u32) -> bool {
    fn walk(t: &syn::UseTree, redis: bool) -> bool {
        match t {
            syn::UseTree::Path(p) => walk(&p.tree, redis),
            syn::UseTree::Group(g) => g.items.iter().any(|i| walk(i, redis)),
            syn::UseTree::Name(n) => redis && REDIS_TRAITS.binary_search(&n.ident.to_string().as_str()).is_ok(),
            syn::UseTree::Rename(r) => redis && REDIS_TRAITS.binary_search(&r.ident.to_string().as_str()).is_ok(),
            syn::UseTree::Glob(_) => redis,
        }
    }
    items.iter().any(|i| match i {
        syn::Item::Use(u) => match &u.tree {
            syn::UseTree::Path(p) => walk(&p.tree, p.ident == "redis"),
            syn::UseTree::Group(g) => {
                g.items.iter().any(|t| matches!(t, syn::UseTree::Path(p) if p.ident == "redis" && walk(&p.tree, true)))
            }
            _ => false,
        },
        syn::Item::Mod(m) if depth < 4 => {
            m.content.as_ref().is_some_and(|(_, items)| imports_redis_commands(items, depth + 1))
        }
        _ => false,
    })
}

/// Whether a type is a Redis connection ([`REDIS_TYPES`]): `redis::Connection`,
/// `&mut redis::aio::MultiplexedConnection`, or `ConnectionManager` in a file that
/// imports redis' command traits (`commands`).
fn redis_type(ty: &syn::Type, commands: bool, names: &[String]) -> bool {
    match ty {
        syn::Type::Reference(r) => redis_type(&r.elem, commands, names),
        syn::Type::Path(p) => p.path.segments.last().is_some_and(|last| {
            let ident = last.ident.to_string();
            let known = REDIS_TYPES.binary_search(&ident.as_str()).is_ok();
            let qualified = p.path.segments.first().is_some_and(|s| s.ident == "redis");
            let named = p.path.segments.len() == 1 && names.contains(&ident);
            last.arguments.is_none() && (named || known && (qualified || (commands && ident != "Connection")))
        }),
        _ => false,
    }
}

/// Bare type names that are Redis connections in a file: a [`REDIS_TYPES`] name it
/// imports from redis (`use redis::{Commands, Connection};`, `use redis::aio::ConnectionManager;`,
/// also through a pool crate's re-export `r2d2_redis::redis::Connection`), and the
/// file's top-level aliases of a connection type (`pub type RedisPool = ConnectionManager;`).
fn redis_names(items: &[syn::Item], commands: bool) -> Vec<String> {
    fn walk(t: &syn::UseTree, redis: bool, out: &mut Vec<String>) {
        match t {
            syn::UseTree::Path(p) => walk(&p.tree, redis || p.ident == "redis", out),
            syn::UseTree::Group(g) => g.items.iter().for_each(|i| walk(i, redis, out)),
            syn::UseTree::Name(n) if redis && REDIS_TYPES.binary_search(&n.ident.to_string().as_str()).is_ok() => {
                out.push(n.ident.to_string());
            }
            syn::UseTree::Rename(r) if redis && REDIS_TYPES.binary_search(&r.ident.to_string().as_str()).is_ok() => {
                out.push(r.rename.to_string());
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for i in items {
        if let syn::Item::Use(u) = i {
            walk(&u.tree, false, &mut out);
        }
    }
    for i in items {
        if let syn::Item::Type(t) = i {
            if t.generics.params.is_empty() && redis_type(&t.ty, commands, &out) {
                out.push(t.ident.to_string());
            }
        }
    }
    out
}

/// The named fields of the file's top-level structs that hold a Redis connection.
fn redis_fields(file: &syn::File, commands: bool, names: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for i in &file.items {
        if let syn::Item::Struct(s) = i {
            for f in &s.fields {
                if let (Some(name), true) = (&f.ident, redis_type(&f.ty, commands, names)) {
                    out.push(name.to_string());
                }
            }
        }
    }
    out
}

/// A collection's name: `"users"`, or a text constant of the file (`USERS`, `&Self::USERS`).
fn collection_name(e: &Expr, consts: &[(String, String)]) -> Option<String> {
    match e {
        Expr::Reference(r) => collection_name(&r.expr, consts),
        Expr::Path(p) => {
            let name = last_seg(&p.path);
            consts.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone())
        }
        _ => lit_str(e),
    }
}

/// The text constants of the file, top-level and associated (`const USERS: &str = "users";`);
/// a name declared twice with different text is dropped.
fn text_consts(file: &syn::File) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |name: &syn::Ident, e: &Expr| {
        if let Some(v) = lit_str(e) {
            out.push((name.to_string(), v));
        }
    };
    for i in &file.items {
        match i {
            syn::Item::Const(c) => add(&c.ident, &c.expr),
            syn::Item::Static(s) => add(&s.ident, &s.expr),
            syn::Item::Impl(im) => im.items.iter().for_each(|ii| {
                if let syn::ImplItem::Const(c) = ii {
                    add(&c.ident, &c.expr);
                }
            }),
            _ => {}
        }
    }
    let twice: Vec<String> =
        out.iter().filter(|(n, v)| out.iter().any(|(m, w)| m == n && w != v)).map(|(n, _)| n.clone()).collect();
    out.retain(|(n, _)| !twice.contains(n));
    out
}

/// The file's functions and methods whose value is a collection
/// (`self.db.collection("users")` as the body's last expression), by name.
fn collection_helpers(file: &syn::File, consts: &[(String, String)]) -> Vec<(String, String)> {
    let tail = |b: &syn::Block| match b.stmts.last() {
        Some(syn::Stmt::Expr(Expr::MethodCall(c), None)) if c.method == "collection" && c.args.len() == 1 => {
            c.args.first().and_then(|a| collection_name(a, consts))
        }
        _ => None,
    };
    let mut out = Vec::new();
    for i in &file.items {
        match i {
            syn::Item::Fn(f) => out.extend(tail(&f.block).map(|c| (f.sig.ident.to_string(), c))),
            syn::Item::Impl(im) => {
                for ii in &im.items {
                    if let syn::ImplItem::Fn(f) = ii {
                        out.extend(tail(&f.block).map(|c| (f.sig.ident.to_string(), c)));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// A struct field named as a URL (`cfg.jwks.url`, `&self.users_url`, `….clone()`):
/// its last name is `url` or ends with `_url`.
fn url_field(mut e: &Expr) -> bool {
    loop {
        match e {
            Expr::Reference(r) => e = &r.expr,
            Expr::MethodCall(m)
                if m.args.is_empty()
                    && matches!(m.method.to_string().as_str(), "clone" | "as_str" | "to_string" | "to_owned") =>
            {
                e = &m.receiver;
            }
            Expr::Field(f) => {
                return matches!(&f.member, syn::Member::Named(i) if i == "url" || i.to_string().ends_with("_url"));
            }
            _ => return false,
        }
    }
}

/// The file's free functions handing one of their parameters to `collection(…)` as
/// the value they give back (`pub fn get_collection<T>(s: &ClientSession, name: &str)
/// -> Collection<T> { …; database.collection::<T>(name) }`), with the parameter's
/// index: their callers name the collection (`ArchFacts::collection_helpers`).
fn param_collection_helpers(file: &syn::File) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for i in &file.items {
        let syn::Item::Fn(f) = i else { continue };
        let Some(syn::Stmt::Expr(Expr::MethodCall(c), None)) = f.block.stmts.last() else { continue };
        let Some(mut arg) = c.args.first().filter(|_| c.method == "collection" && c.args.len() == 1) else {
            continue;
        };
        while let Expr::Reference(r) = arg {
            arg = &r.expr;
        }
        let Expr::Path(p) = arg else { continue };
        let name = last_seg(&p.path);
        let param = f.sig.inputs.iter().position(
            |a| matches!(a, syn::FnArg::Typed(t) if matches!(&*t.pat, syn::Pat::Ident(i) if i.ident == name)),
        );
        if let Some(k) = param.filter(|_| p.path.segments.len() == 1) {
            out.push((f.sig.ident.to_string(), k));
        }
    }
    out
}

/// The name argument of lapin's `channel.queue_declare(name, …)` (through `.await`,
/// `?`, `.unwrap()`/`.expect(…)`).
fn queue_declared(mut e: &Expr) -> Option<&Expr> {
    loop {
        match e {
            Expr::Await(a) => e = &a.base,
            Expr::Try(t) => e = &t.expr,
            Expr::MethodCall(m) if m.method == "unwrap" || m.method == "expect" => e = &m.receiver,
            Expr::MethodCall(m) if m.method == "queue_declare" => return m.args.first(),
            _ => return None,
        }
    }
}

/// A URL template with its path replaced (`Url::set_path`): what follows the
/// authority is dropped. Nothing when the authority's end is not written literally.
fn with_path(base: &Template, path: Template) -> Option<Template> {
    let mut out = Template::new();
    let mut after_scheme = false;
    for p in base {
        match p {
            Part::Lit(s) if after_scheme => {
                if let Some(at) = s.find(['/', '?', '#']) {
                    out.push(Part::Lit(s[..at].to_string()));
                    break;
                }
                out.push(p.clone());
            }
            Part::Lit(s) => {
                if let Some(at) = s.find("://") {
                    after_scheme = true;
                    let rest = &s[at + 3..];
                    if let Some(cut) = rest.find(['/', '?', '#']) {
                        out.push(Part::Lit(s[..at + 3 + cut].to_string()));
                        break;
                    }
                }
                out.push(p.clone());
            }
            _ => out.push(p.clone()),
        }
    }
    if !after_scheme {
        return None;
    }
    if !matches!(path.first(), Some(Part::Lit(s)) if s.starts_with('/')) {
        push_parts(&mut out, lit("/"));
    }
    push_parts(&mut out, path);
    Some(out)
}

/// The `web::resource(p)` call at the root of a method chain.
fn resource_call(mut e: &Expr) -> Option<&ExprCall> {
    while let Expr::MethodCall(m) = e {
        e = &m.receiver;
    }
    match e {
        Expr::Call(c) if matches!(&*c.func, Expr::Path(p) if last_seg(&p.path) == "resource") => Some(c),
        _ => None,
    }
}

/// A resource's router name: where its `web::resource(…)` call is.
fn resource_name(c: &ExprCall) -> String {
    let span = c.func.span();
    format!("resource@{}:{}", line(span), span.start().column)
}

fn is_client(e: &Expr) -> bool {
    let t = quote_short(e).to_ascii_lowercase();
    t.contains("client") || t.contains("reqwest") || t.contains("http")
}

/// `common_metrics::api::init_routing()`, `graphql::routing(ctx).layer(l)`: a call of a
/// function (not of a type's constructor, `Router::new()`, nor a builder, `web::scope(…)`)
/// at the root of a chain, by its path.
fn router_fn_call(mut e: &Expr) -> Option<String> {
    // `build_app(cfg).await?` too.
    loop {
        e = match e {
            Expr::MethodCall(m) => &m.receiver,
            Expr::Await(a) => &a.base,
            Expr::Try(t) => &t.expr,
            _ => break,
        };
    }
    let Expr::Call(c) = e else { return None };
    let Expr::Path(p) = &*c.func else { return None };
    let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
    let lower = |s: &String| s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
    let builder = matches!(segs.last().map(String::as_str), Some("scope" | "resource" | "new" | "default"));
    (segs.iter().all(lower) && !builder).then(|| segs.join("::"))
}

/// `Router::new().merge(a).route(…)` written in place: where its constructor call starts
/// (line, column), when the chain has methods on a call of a type's constructor.
fn inline_router(e: &Expr) -> Option<(u32, usize)> {
    let Expr::MethodCall(_) = e else { return None };
    let mut e = e;
    while let Expr::MethodCall(m) = e {
        e = &m.receiver;
    }
    let Expr::Call(c) = e else { return None };
    let Expr::Path(p) = &*c.func else { return None };
    let ctor = p.path.segments.len() >= 2 && last_seg(&p.path) == "new";
    ctor.then(|| (line(c.span()), c.span().start().column))
}

fn child_name(e: &Expr) -> String {
    match e {
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) => path_text(&p.path),
            _ => "<expr>".into(),
        },
        Expr::Path(p) => path_text(&p.path),
        Expr::MethodCall(m) => child_name(&m.receiver),
        _ => "<expr>".into(),
    }
}

/// A short text of an expression (a handler name).
fn quote_short(e: &Expr) -> String {
    match e {
        Expr::Path(p) => path_text(&p.path),
        Expr::Reference(r) => quote_short(&r.expr),
        Expr::Field(f) => format!(
            "{}.{}",
            quote_short(&f.base),
            match &f.member {
                syn::Member::Named(i) => i.to_string(),
                syn::Member::Unnamed(i) => i.index.to_string(),
            }
        ),
        Expr::MethodCall(m) => quote_short(&m.receiver),
        Expr::Call(c) => quote_short(&c.func),
        _ => "<expr>".into(),
    }
}

/// A part that makes a local worth keeping as a URL: an environment variable, a
/// literal with a scheme, a constant (`SCREAMING_CASE`, maybe from another module:
/// `format!("{}{}", &constants::USER_MS, "/x")`) or a struct field (`envconfig`).
/// An argument that is a URL written out: `"http://h/x"`, `&format!("http://h/{}", id)`
/// (a cheap look at the expression before its template is made).
fn url_literal(e: &Expr) -> bool {
    match e {
        Expr::Reference(r) => url_literal(&r.expr),
        Expr::Lit(_) => lit_str(e).is_some_and(|t| t.contains("://")),
        Expr::Macro(m) => {
            m.mac.path.is_ident("format")
                && m.mac.tokens.clone().into_iter().next().is_some_and(|t| t.to_string().contains("://"))
        }
        _ => false,
    }
}

/// An environment variable read in place, `&env::var("IDENTITY_ENDPOINT").unwrap()`.
fn env_var(mut e: &Expr) -> bool {
    loop {
        match e {
            Expr::Reference(r) => e = &r.expr,
            Expr::MethodCall(m) => e = &m.receiver,
            Expr::Call(c) => {
                return matches!(&*c.func, Expr::Path(p) if last_seg(&p.path) == "var" && path_text(&p.path).contains("env"))
            }
            _ => return false,
        }
    }
}

fn url_part(p: &Part) -> bool {
    match p {
        Part::Env(..) => true,
        Part::Lit(s) => s.contains("://"),
        Part::Ref(n) => {
            n.starts_with(FIELD)
                || (n.chars().any(|c| c.is_ascii_uppercase())
                    && n.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
        }
        _ => false,
    }
}

/// The feature condition of an item's or statement's `#[cfg(…)]` attributes, when
/// one names a cargo feature (`#[cfg(feature = "metrics")]`, `#[cfg(all(unix,
/// feature = "x"))]`); several attributes must all hold.
fn feature_cfg(attrs: &[syn::Attribute]) -> Option<CfgPred> {
    let mut preds: Vec<CfgPred> = attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .filter_map(|a| a.parse_args::<syn::Meta>().ok())
        .map(|m| cfg_pred(&m))
        .collect();
    preds.retain(|p| !p.features().is_empty());
    match preds.len() {
        0 => None,
        1 => preds.pop(),
        _ => Some(CfgPred::All(preds)),
    }
}

/// One `cfg` predicate: `feature = "x"`, `all(…)`, `any(…)`, `not(…)`; anything else
/// (`unix`, `target_os = "linux"`, `test`) is [`CfgPred::Other`].
fn cfg_pred(m: &syn::Meta) -> CfgPred {
    match m {
        syn::Meta::NameValue(nv) if nv.path.is_ident("feature") => match &nv.value {
            Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => CfgPred::Feature(s.value()),
            _ => CfgPred::Other,
        },
        syn::Meta::List(l) => {
            let Ok(args) = l.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated) else {
                return CfgPred::Other;
            };
            let mut args: Vec<CfgPred> = args.iter().map(cfg_pred).collect();
            match l.path.get_ident().map(ToString::to_string).as_deref() {
                Some("all") => CfgPred::All(args),
                Some("any") => CfgPred::Any(args),
                Some("not") if args.len() == 1 => CfgPred::Not(Box::new(args.remove(0))),
                _ => CfgPred::Other,
            }
        }
        _ => CfgPred::Other,
    }
}

impl Collector<'_> {
    /// Walks an item or statement, marking the routes it declares with its
    /// `#[cfg(feature = …)]` condition (resolution checks it against the crate's
    /// default features), and the routes and mounts of test code (`#[cfg(test)] mod
    /// tests`, `#[test]`, `#[actix_web::test]`) as the test's.
    fn gated(&mut self, attrs: &[syn::Attribute], span: impl FnOnce() -> Span, walk: impl FnOnce(&mut Self)) {
        let pred = if attrs.is_empty() { None } else { feature_cfg(attrs) };
        let test = attrs.iter().any(super::rust::is_test_attr);
        if test {
            // Only now: a node's span is read from its tokens.
            let span = span();
            let end = u32::try_from(span.end().line).unwrap_or(u32::MAX);
            let start = line(span).min(end);
            // An item inside test code already counted adds nothing.
            if !self.facts.test_lines.iter().any(|(a, b)| *a <= start && end <= *b) {
                self.facts.test_lines.push((start, end));
            }
        }
        let (start, mounts) = (self.facts.routes.len(), self.facts.mounts.len());
        self.test_depth += u32::from(test);
        walk(self);
        self.test_depth -= u32::from(test);
        let end = self.facts.routes.len();
        if let Some(pred) = pred {
            self.facts.feature_gates.extend((start..end).map(|i| (i, pred.clone())));
        }
        if test {
            self.facts.test_routes.extend(start..end);
            self.facts.test_mounts.extend(mounts..self.facts.mounts.len());
        }
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item(&mut self, i: &'ast syn::Item) {
        let attrs: &[syn::Attribute] = match i {
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Impl(m) => &m.attrs,
            syn::Item::Macro(m) => &m.attrs,
            _ => &[],
        };
        self.gated(attrs, || i.span(), |v| visit::visit_item(v, i));
    }

    fn visit_impl_item(&mut self, i: &'ast syn::ImplItem) {
        let attrs: &[syn::Attribute] = match i {
            syn::ImplItem::Fn(f) => &f.attrs,
            syn::ImplItem::Macro(m) => &m.attrs,
            _ => &[],
        };
        self.gated(attrs, || i.span(), |v| visit::visit_impl_item(v, i));
    }

    fn visit_stmt(&mut self, st: &'ast syn::Stmt) {
        let attrs: &[syn::Attribute] = match st {
            syn::Stmt::Local(l) => &l.attrs,
            syn::Stmt::Macro(m) => &m.attrs,
            syn::Stmt::Expr(Expr::MethodCall(m), _) => &m.attrs,
            syn::Stmt::Expr(Expr::Call(c), _) => &c.attrs,
            _ => &[],
        };
        self.gated(attrs, || st.span(), |v| visit::visit_stmt(v, st));
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        let name = f.sig.ident.to_string();
        if let Some(value) = env_function(f) {
            self.facts.consts.push(RawConst { name: format!("{name}()"), value, line: line(f.sig.ident.span()) });
        }
        let func = std::mem::replace(&mut self.func, Func { free: true, ..func_of(&f.sig) });
        self.route_attrs(&f.attrs, &name);
        let cfg = self.config_fn(&f.sig);
        let cfg = std::mem::replace(&mut self.cfg_params, cfg);
        let saved = std::mem::replace(&mut self.fn_name, name);
        let locals = std::mem::take(&mut self.locals);
        let paths_set = std::mem::take(&mut self.paths_set);
        let requests = std::mem::take(&mut self.requests);
        let mongo = std::mem::take(&mut self.mongo_locals);
        if self.redis {
            self.redis_params(&f.sig);
        }
        visit::visit_item_fn(self, f);
        self.tail_router(&f.block);
        self.fn_router(&f.sig);
        if self.rocket {
            self.rocket_routes_fn(&f.block);
        }
        self.end_fn(mongo);
        self.fn_name = saved;
        self.locals = locals;
        self.paths_set = paths_set;
        self.requests = requests;
        self.cfg_params = cfg;
        self.func = func;
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        let name = f.sig.ident.to_string();
        if let Some(value) = addr_port(f) {
            self.facts.consts.push(RawConst {
                name: format!("{ADDR_PORT}{name}"),
                value,
                line: line(f.sig.ident.span()),
            });
        }
        let func = std::mem::replace(&mut self.func, func_of(&f.sig));
        let ctor = std::mem::replace(&mut self.ctor, f.sig.receiver().is_none());
        self.route_attrs(&f.attrs, &name);
        let cfg = self.config_fn(&f.sig);
        let cfg = std::mem::replace(&mut self.cfg_params, cfg);
        let saved = std::mem::replace(&mut self.fn_name, name);
        let locals = std::mem::take(&mut self.locals);
        let paths_set = std::mem::take(&mut self.paths_set);
        let requests = std::mem::take(&mut self.requests);
        let mongo = std::mem::take(&mut self.mongo_locals);
        if self.redis {
            self.redis_params(&f.sig);
        }
        visit::visit_impl_item_fn(self, f);
        self.tail_router(&f.block);
        self.fn_router(&f.sig);
        self.end_fn(mongo);
        self.fn_name = saved;
        self.locals = locals;
        self.paths_set = paths_set;
        self.requests = requests;
        self.cfg_params = cfg;
        self.func = func;
        self.ctor = ctor;
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !generated_tonic_mod(m) {
            let inline = m.content.is_some();
            if inline {
                self.mod_scope.push(m.ident.to_string());
            }
            visit::visit_item_mod(self, m);
            if inline {
                self.mod_scope.pop();
            }
        }
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let ty = match &*i.self_ty {
            syn::Type::Path(p) => Some(last_seg(&p.path)),
            _ => None,
        };
        let saved = std::mem::replace(&mut self.impl_ty, ty);
        super::rs_enums::impl_consts(i, &mut self.enum_consts);
        visit::visit_item_impl(self, i);
        self.impl_ty = saved;
    }

    fn visit_item_struct(&mut self, s: &'ast syn::ItemStruct) {
        self.table_attrs(&s.attrs, &s.ident);
        for f in &s.fields {
            if let (Some(name), Some(ty)) = (&f.ident, named_type(&f.ty)) {
                self.field_types.push((name.to_string(), ty));
            }
        }
        self.envconfig_fields(s);
        if self.serde {
            self.config_fields(s);
        }
        visit::visit_item_struct(self, s);
    }

    fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
        self.facts.consts.push(RawConst {
            name: c.ident.to_string(),
            value: template(&c.expr),
            line: line(c.ident.span()),
        });
        super::rs_enums::array_consts(&c.ident.to_string(), &c.expr, line(c.ident.span()), &mut self.facts.consts);
        // In an inline module (`pub mod get_user { pub const SUBJECT: &str = "users.get"; }`),
        // also by that module's name, as a `use` of it names it ([`use_consts`]).
        if let Some(m) = self.mod_scope.last() {
            let name = format!("{m}::{}", c.ident);
            self.facts.consts.push(RawConst { name, value: template(&c.expr), line: line(c.ident.span()) });
        }
        visit::visit_item_const(self, c);
    }

    fn visit_item_static(&mut self, s: &'ast syn::ItemStatic) {
        self.facts.consts.push(RawConst {
            name: s.ident.to_string(),
            value: template(&s.expr),
            line: line(s.ident.span()),
        });
        super::rs_enums::array_consts(&s.ident.to_string(), &s.expr, line(s.ident.span()), &mut self.facts.consts);
        visit::visit_item_static(self, s);
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        let name = match &l.pat {
            syn::Pat::Ident(i) => Some(i.ident.to_string()),
            syn::Pat::Type(t) => match &*t.pat {
                syn::Pat::Ident(i) => Some(i.ident.to_string()),
                _ => None,
            },
            _ => None,
        };
        // `let cfg: Config = envy::prefixed("APP_").from_env()?;`: `Config` read from the environment.
        if let (true, syn::Pat::Type(t), Some(init)) = (self.envy, &l.pat, &l.init) {
            if let (syn::Type::Path(ty), Some(prefix)) = (&*t.ty, envy_untyped(&init.expr)) {
                self.envy_const(last_seg(&ty.path), prefix, line(t.span()));
            }
        }
        if let Some(n) = &name {
            // A local holding a URL or an environment variable is a constant to later
            // calls of the same function.
            // So is one holding plain text (`let topic = "orders"`), for queue names and paths only.
            let value = l.init.as_ref().map(|init| self.local_lit(template(&init.expr)));
            let text = |v: &Template| !v.is_empty() && v.iter().all(|p| matches!(p, Part::Lit(_)));
            let value = value.filter(|v| v.iter().any(url_part) || text(v) || self.param_led(v));
            self.locals.push((n.clone(), value));
            if let Some(init) = &l.init {
                // `let addr = SocketAddr::from(([0, 0, 0, 0], 4000));` for a later `bind(&addr)`.
                if let Some(port) = bound_port_in(&init.expr, &|n| self.local_port(n)) {
                    self.locals.push((format!("{PORT}{n}"), Some(lit(&port.to_string()))));
                } else if let Some(method) = self.web.then(|| called_method(&init.expr)).flatten() {
                    self.locals.push((format!("{ADDR}{n}"), Some(lit(&method))));
                }
                // `let producer = MyProducer::new(hosts);`: a value of that type, whose methods
                // later calls name ([`Self::method_arg_call`]).
                if let Some(ty) = constructed_type(&init.expr) {
                    self.func.types.push((n.clone(), ty));
                }
                if let Some(list) = self.kafka.then(|| super::rs_enums::literal_list(&init.expr)).flatten() {
                    self.locals.push((format!("{LIST}{n}"), Some(list.into_iter().map(Part::Lit).collect())));
                }
                if self.redis && self.redis_handle(&init.expr) {
                    self.locals.push((format!("{REDIS}{n}"), None));
                }
                if let Some(text) = self.redis.then(|| self.script_new(&init.expr)).flatten() {
                    self.locals.push((format!("{SCRIPT}{n}"), Some(text.into_iter().map(Part::Lit).collect())));
                }
                if let Some(f) = self.web.then(|| router_fn_call(&init.expr)).flatten() {
                    self.locals.push((format!("{ROUTER}{n}"), Some(lit(&f))));
                }
                if let Some(q) = queue_declared(&init.expr) {
                    let q = self.local_lit(template(q));
                    self.locals.push((format!("{QUEUE}{n}"), Some(q)));
                }
                if self.client_file {
                    if let Some((method, url)) = self.request_builder(&init.expr) {
                        self.requests.push((n.clone(), method, url));
                    }
                }
            }
            // `let users = self.users();`, `let all = invoices(db);`: a helper's collection.
            if let Some((coll, l)) = l.init.as_ref().and_then(|i| self.helper_call(&i.expr)) {
                self.mongo_locals.push((n.clone(), coll, l, false));
            }
            if let Some(Expr::MethodCall(c)) = l.init.as_ref().map(|i| &*i.expr) {
                if self.mongo && c.method == "collection" {
                    let name = c.args.first().filter(|_| c.args.len() == 1);
                    if let Some(coll) = name.and_then(|a| collection_name(a, &self.mongo_consts)) {
                        self.mongo_consumed.push(std::ptr::from_ref(c) as usize);
                        self.mongo_locals.push((n.clone(), coll, line(c.method.span()), false));
                    }
                }
            }
        }
        let saved = std::mem::replace(&mut self.let_name, name);
        visit::visit_local(self, l);
        self.let_name = saved;
    }

    fn visit_expr_struct(&mut self, e: &'ast syn::ExprStruct) {
        if self.ctor && self.client_file {
            self.ctor_struct(e);
        }
        if self.field_sets && self.test_depth == 0 {
            self.field_set(e);
        }
        visit::visit_expr_struct(self, e);
    }

    fn visit_expr_method_call(&mut self, m: &'ast ExprMethodCall) {
        self.method_call(m);
        if self.envy && m.method == "from_env" {
            self.envy_read(&Expr::MethodCall(m.clone()));
        }
        if self.web && m.method == "serve" && m.args.len() == 1 {
            self.serve_mount(&m.args[0], line(m.method.span()));
        }
        // `.configure(|cfg| { cfg.service(…) })`: `cfg` builds the router `configure` is called on.
        if let (true, "configure", Some(Expr::Closure(c))) = (self.web, m.method.to_string().as_str(), m.args.first()) {
            let param = match c.inputs.first() {
                Some(syn::Pat::Ident(p)) => Some(&p.ident),
                Some(syn::Pat::Type(t)) => match &*t.pat {
                    syn::Pat::Ident(p) => Some(&p.ident),
                    _ => None,
                },
                _ => None,
            };
            if let Some(param) = param {
                self.ensure_scope(&m.receiver);
                let router = self.chain_router(&m.receiver);
                self.cfg_params.push((param.to_string(), router));
                visit::visit_expr_method_call(self, m);
                self.cfg_params.pop();
                return;
            }
        }
        visit::visit_expr_method_call(self, m);
    }

    fn visit_expr_call(&mut self, c: &'ast ExprCall) {
        self.call(c);
        if self.envy && c.args.is_empty() && matches!(&*c.func, Expr::Path(p) if last_seg(&p.path) == "from_env") {
            self.envy_read(&Expr::Call(c.clone()));
        }
        if let (true, Expr::Path(p), 2) = (self.web, &*c.func, c.args.len()) {
            if matches!(path_text(&p.path).as_str(), "serve" | "axum::serve") {
                self.serve_mount(&c.args[1], line(p.span()));
            }
        }
        if !self.callbacks.is_empty() {
            self.bind_closures(c);
        }
        let write = matches!(&*c.func, Expr::Path(p) if matches!(last_seg(&p.path).as_str(), "insert_into" | "update" | "delete"));
        let saved = self.diesel_write;
        self.diesel_write |= write;
        visit::visit_expr_call(self, c);
        self.diesel_write = saved;
    }

    /// `for topic in KafkaTopic::all() { … }`: the variable walks a list of the project
    /// (`lang::rs_enums`), each element in turn.
    fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
        let var = match &*f.pat {
            syn::Pat::Ident(i) => Some(i.ident.to_string()),
            _ => None,
        };
        let marker = var.as_deref().and_then(|v| super::rs_enums::loop_list(&f.expr, v));
        let Some((var, m)) = var.zip(marker) else { return visit::visit_expr_for_loop(self, f) };
        let before = self.locals.len();
        self.locals.push((var, Some(m)));
        visit::visit_expr_for_loop(self, f);
        self.locals.truncate(before);
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        let at = self.closure_binds.iter().position(|(ptr, _)| *ptr == std::ptr::from_ref(c) as usize);
        let Some(at) = at else { return visit::visit_expr_closure(self, c) };
        let (_, binds) = self.closure_binds.swap_remove(at);
        let before = self.locals.len();
        self.locals.extend(binds);
        visit::visit_expr_closure(self, c);
        self.locals.truncate(before);
    }

    fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
        // Diesel: `users::table` (read), inside insert_into/update/delete (written).
        let segs = &p.path.segments;
        if segs.len() >= 2 && segs[segs.len() - 1].ident == "table" {
            let access = if self.diesel_write { Access::Write } else { Access::Read };
            let name = segs[segs.len() - 2].ident.to_string();
            self.facts.table_uses.push(RawTableUse {
                name,
                via_class: false,
                access,
                store: "sql".into(),
                line: line(p.span()),
            });
        }
        visit::visit_expr_path(self, p);
    }

    fn visit_attribute(&mut self, a: &'ast syn::Attribute) {
        // Doc comments are `#[doc = "…"]` strings: prose, never SQL ("Insert the pair into the set").
        if !a.path().is_ident("doc") {
            visit::visit_attribute(self, a);
        }
    }

    fn visit_lit_str(&mut self, s: &'ast syn::LitStr) {
        let v = s.value();
        if arch::looks_like_sql(&v) {
            self.facts.sql.push(RawSql { text: v, line: line(s.span()) });
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        visit::visit_macro(self, mac);
        if self.redis && last_seg(&mac.path) == "resp_array" {
            self.resp_array(mac);
            return;
        }
        if last_seg(&mac.path) == "table" {
            // Diesel `table! { users (id) { … } }`: the first identifier is the table.
            if let Some((name, at)) = diesel_table(mac.tokens.clone()) {
                self.facts.tables.push(RawTable { orm: "diesel".into(), name: Some(name), class_name: None, line: at });
            }
            return;
        }
        let bodies = self.bodies;
        if let (None, Some(Some(args))) = (bodies.items(mac), bodies.exprs(mac)) {
            // `m!(…)`/`m![…]` whose arguments the module visitor read: such a body
            // reads as items only when it is empty or one `n! { … }`, which
            // visit to the same facts either way.
            args.iter().for_each(|e| self.visit_expr(e));
            return;
        }
        let mut parsed_items = None;
        if let Some(items) = cached_or(bodies.items(mac), &mut parsed_items, || mac.parse_body_with(parse_items).ok()) {
            items.iter().for_each(|i| self.visit_item(i));
            return;
        }
        let mut parsed_args = None;
        let args = cached_or(bodies.exprs(mac), &mut parsed_args, || mac.parse_body_with(Args::parse_terminated).ok());
        if let Some(args) = args {
            args.iter().for_each(|e| self.visit_expr(e));
        }
    }
}

/// The functions of a file called exactly once in it (by a one-segment path), with the
/// literal values of each argument there: a string literal, or the variable of an
/// enclosing `for x in ["/a", "/b"]` (`None` for anything else). Sorted by name.
/// The literal values each argument of a call takes (`None`: not known).
type ArgValues = Vec<Option<Vec<String>>>;

fn literal_args(file: &syn::File) -> Vec<(String, ArgValues)> {
    struct Calls {
        loops: Vec<(String, Vec<String>)>,
        calls: std::collections::BTreeMap<String, (usize, ArgValues)>,
    }
    impl<'ast> Visit<'ast> for Calls {
        fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
            let mut e = &*f.expr;
            loop {
                match e {
                    Expr::Reference(r) => e = &r.expr,
                    Expr::MethodCall(m) if m.args.is_empty() && (m.method == "iter" || m.method == "into_iter") => {
                        e = &m.receiver;
                    }
                    _ => break,
                }
            }
            let values: Option<Vec<String>> = match (e, &*f.pat) {
                (Expr::Array(a), syn::Pat::Ident(_)) => a.elems.iter().map(lit_str).collect(),
                _ => None,
            };
            self.visit_expr(&f.expr);
            let pushed = match (values, &*f.pat) {
                (Some(v), syn::Pat::Ident(i)) if !v.is_empty() => {
                    self.loops.push((i.ident.to_string(), v));
                    true
                }
                _ => false,
            };
            self.visit_block(&f.body);
            if pushed {
                self.loops.pop();
            }
        }

        fn visit_expr_call(&mut self, c: &'ast ExprCall) {
            if let Expr::Path(p) = &*c.func {
                if let Some(f) = p.path.get_ident() {
                    let args = c
                        .args
                        .iter()
                        .map(|a| match a {
                            Expr::Path(v) => v.path.get_ident().and_then(|v| {
                                self.loops.iter().rev().find(|(n, _)| v == n).map(|(_, vals)| vals.clone())
                            }),
                            other => lit_str(other).map(|s| vec![s]),
                        })
                        .collect();
                    let entry = self.calls.entry(f.to_string()).or_insert((0, Vec::new()));
                    entry.0 += 1;
                    entry.1 = args;
                }
            }
            visit::visit_expr_call(self, c);
        }
    }
    let mut v = Calls { loops: Vec::new(), calls: std::collections::BTreeMap::new() };
    v.visit_file(file);
    v.calls.into_iter().filter(|(_, (n, _))| *n == 1).map(|(f, (_, args))| (f, args)).collect()
}

/// The table a Diesel `table! { … }` declares, and its line: the first name after the
/// macro's `use` lines (`use diesel::sql_types::*;`, which Diesel CLI writes for custom
/// types) and attributes, the last of a schema path (`public.users (id)`), or the name an
/// `#[sql_name = "users"]` attribute gives it (at the declared name's line).
fn diesel_table(tokens: proc_macro2::TokenStream) -> Option<(String, u32)> {
    use proc_macro2::TokenTree;
    let mut it = tokens.into_iter().peekable();
    let mut sql_name: Option<String> = None;
    while let Some(t) = it.next() {
        match t {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                if let Some(TokenTree::Group(g)) = it.next() {
                    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                    if let [TokenTree::Ident(k), TokenTree::Punct(eq), TokenTree::Literal(v)] = inner.as_slice() {
                        if k == "sql_name" && eq.as_char() == '=' {
                            let v = v.to_string();
                            sql_name = Some(v.trim_matches('"').to_string());
                        }
                    }
                }
            }
            TokenTree::Ident(i) if i == "use" => {
                for u in it.by_ref() {
                    if matches!(&u, TokenTree::Punct(p) if p.as_char() == ';') {
                        break;
                    }
                }
            }
            TokenTree::Ident(mut name) => {
                while matches!(it.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '.') {
                    it.next();
                    match it.next() {
                        Some(TokenTree::Ident(next)) => name = next,
                        _ => return None,
                    }
                }
                return Some((sql_name.unwrap_or_else(|| name.to_string()), line(name.span())));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(src: &str) -> ArchFacts {
        let file = syn::parse_file(src).unwrap();
        let mut f = ArchFacts::default();
        collect(&file, src, &MacroBodies::default(), &mut f);
        f
    }

    #[test]
    fn envy_reads_and_url_joins() {
        let f = facts(
            "use serde::Deserialize;\n#[derive(Deserialize)]\npub struct Config { pub loki_url: url::Url }\n\
             fn a() { let c = envy::prefixed(\"APP_\").from_env::<Config>().unwrap(); }\n\
             fn b() -> anyhow::Result<()> { let o: Other = envy::from_env()?; Ok(()) }\n\
             fn c(base: url::Url) { let hc = base.join(\"/ready\").unwrap(); let s = parts.join(\"/\"); }\n",
        );
        let envy: Vec<(&str, &Template)> =
            f.consts.iter().filter(|c| c.name.starts_with(ENVY)).map(|c| (c.name.as_str(), &c.value)).collect();
        assert_eq!(
            envy,
            vec![("envy:Config", &vec![Part::Lit("APP_".into())]), ("envy:Other", &vec![Part::Lit(String::new())])]
        );
        assert!(f.config_fields.iter().any(|c| c == "Config::loki_url"));
        assert!(url_join_path("/ready") && url_join_path("/-/healthy"));
        assert!(!url_join_path("/") && !url_join_path("//") && !url_join_path("/ x") && !url_join_path("ready"));
    }

    #[test]
    fn tables_are_sorted() {
        crate::resolve::assert_sorted(&[ROUTE_ATTRS, SALVO_METHODS, TONIC_CLIENT_METHODS, CLIENT_CRATES, WEB_WORDS]);
    }

    #[test]
    fn doc_comments_and_plain_merges_are_not_architecture() {
        // From rust-analyzer: prose that starts like SQL, and `merge` on a non-router.
        let f = facts(
            "/// Insert the `file_id, path` pair into the set.\nfn insert(&mut self) {}\n\
             fn lower(attrs: Attrs, ctx: Ctx) -> Attrs { attrs.merge(ctx.lower_attrs()) }\n",
        );
        assert!(f.sql.is_empty(), "{:?}", f.sql.len());
        assert!(f.mounts.is_empty() && f.routes.is_empty());
        // The same SQL in a string literal is still read.
        assert_eq!(facts("fn q() -> &'static str { \"INSERT INTO pairs (a) VALUES (1)\" }").sql.len(), 1);
    }

    #[test]
    fn axum_routes_and_calls() {
        let f = facts(
            "use reqwest::Client;\nfn app() -> Router {\n    Router::new()\n        .route(\"/orders\", get(list).post(create))\n        .nest(\"/admin\", admin::router())\n}\n\
             async fn c(client: &Client) { client.get(format!(\"{}/items/{}\", std::env::var(\"CAT\").unwrap(), 1)).send().await; }\n",
        );
        let r: Vec<_> = f.routes.iter().map(|r| (r.router.as_str(), r.methods[0].as_str(), r.line)).collect();
        assert_eq!(r, vec![("app", "GET", 4), ("app", "POST", 4)]);
        assert_eq!(f.mounts[0].child, "admin::router");
        assert_eq!(
            f.calls[0].url,
            vec![Part::Env("CAT".into(), None), Part::Lit("/items/".into()), Part::Param("param".into())]
        );
    }
}
