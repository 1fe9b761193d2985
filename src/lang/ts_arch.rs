//! JavaScript/TypeScript architecture facts from the matches of the patterns
//! of `queries/javascript/{endpoints,calls,tables,queues}.scm` (matched in
//! Rust by `ts_natives`, which quotes each): Express, Fastify,
//! Koa, Hono and NestJS routes, Next.js route files, fetch/axios/got calls,
//! SQL strings, TypeORM/Drizzle/knex/Sequelize/Mongoose/Prisma tables,
//! MongoDB collections, amqplib/kafkajs/Redis queues and gRPC services.

use super::query::FieldExt;
use super::ts_words::{Words, W};
use std::collections::BTreeMap;

use tree_sitter::Node;

use super::arch::{self, access_of, http_method, lit, push_parts, url_like, CallShape};
use super::py_arch::snake_case;
use super::query::{self, cap};
use crate::model::{
    Access, ArchFacts, Binding, Part, RawAmqp, RawArgCall, RawCall, RawClassField, RawClient, RawConst, RawGrpc,
    RawMount, RawNestModule, RawQueue, RawQueueField, RawQueueParam, RawRoute, RawRouter, RawTable, RawTableUse,
    RawWrapper, Template,
};

/// Receivers that are HTTP clients themselves (last segment of the receiver; sorted):
/// `axiosRef` is the axios instance of `@nestjs/axios`' `HttpService` (`this.httpService.axiosRef.post(url)`).
const CLIENTS: &[&str] =
    &["$http", "axios", "axiosRef", "got", "http", "httpClient", "httpService", "https", "ky", "request", "superagent"];

/// The promise wrappers of the npm `request` client (`request` itself is in [`CLIENTS`]):
/// `rp(url, { method })`, `rp({ uri, method })`, `rp.post(url)` under any local name.
const REQUEST_PACKAGES: &[&str] = &["request-promise", "request-promise-native"];

/// A mount child standing for every plugin file of a directory that `@fastify/autoload`
/// loads: `autoload:<mode>:<dir>`, `<dir>` relative to the mounting module's directory,
/// `<mode>` one of `dirs` (each file under its directories' names), `flat`
/// (`dirNameRoutePrefix: false`) and `params` (`routeParams: true`: `_id` is `:id`).
pub const AUTOLOAD: &str = "autoload:";

/// A mount child standing for the modules a file loads by a computed name and hands a
/// router to (`(await import(`../routes/${file}`)).default(router)` over a directory's
/// listing, `require(path)(router)` over a glob): `loaded:<dir>`, `<dir>` relative to the
/// loading module's directory, or `loaded:?` when the directory is not readable statically.
pub const LOADED: &str = "loaded:";

/// Words of a parameter's type annotation that make it an app or a router (lower case,
/// sorted): `app: Express`, `router: express.Router`, `server: FastifyInstance`, `app: any`.
const ROUTER_TYPE_WORDS: &[&str] =
    &["any", "app", "express", "fastify", "hapi", "hono", "instance", "koa", "router", "server"];

/// Whether a parameter's type annotation (`: Express`, with its colon) may be an app or a router.
fn router_type(ty: &str) -> bool {
    let ty = ty.to_ascii_lowercase();
    ROUTER_TYPE_WORDS.iter().any(|w| ty.contains(w))
}

/// Whether the last argument of a route-shaped call is a literal (`get('KEY', 'default')`):
/// a handler is a function or a name, never a string, number or boolean.
fn literal_handler(args: &[Node]) -> bool {
    args.last().is_some_and(|h| {
        matches!(h.kind_name(), "string" | "template_string" | "number" | "true" | "false" | "null" | "undefined")
    })
}

/// The kinds of node that are a function with parameters of its own.
pub(super) const FUNCTIONS: &[&str] =
    &["arrow_function", "function_declaration", "function_expression", "method_definition"];

/// Prisma client operations that write (the others read; sorted).
const PRISMA_WRITES: &[&str] = &["create", "createMany", "delete", "deleteMany", "update", "updateMany", "upsert"];

pub const CAPTURES: &[&str] = &[
    "alias",
    "args",
    "bind.default",
    "bind.named",
    "bind.namespace",
    "bind.require",
    "class",
    "client",
    "client.def",
    "client.default",
    "client.export",
    "const.def",
    "const.exports",
    "ctor",
    "db.collection_op",
    "db.collection_var",
    "db.create_table",
    "db.entity",
    "db.knex",
    "db.mongo",
    "db.mongoose",
    "db.nest_mongoose",
    "db.prisma",
    "db.sequelize",
    "db.sql",
    "db.table",
    "endpoint.chain",
    "endpoint.decorator",
    "endpoint.default",
    "endpoint.export",
    "endpoint.object",
    "endpoint.route",
    "env.destructure",
    "export.alias",
    "grpc.client",
    "grpc.server",
    "http.call",
    "kv.client",
    "kv.op",
    "method",
    "name",
    "obj",
    "op",
    "parent",
    "path",
    "pattern",
    "proxy.call",
    "queue.op",
    "router",
    "router.def",
    "router.global",
    "router.mount",
    "server.listen",
    "sql",
    "value",
    "ws.call",
];

/// `const { CART_ADDR = '', API: api } = process.env`: each bound name is a
/// constant holding that environment variable; a non-empty string default is
/// its default (an empty one says nothing about where the call goes).
fn env_destructure(facts: &mut ArchFacts, pattern: Node, src: &[u8], line: u32) {
    let mut cur = pattern.walk();
    for c in pattern.named_children(&mut cur) {
        let text = |n: Node| query::text(n, src).to_string();
        let (name, var, default) = match c.kind_name() {
            "shorthand_property_identifier_pattern" => (text(c), text(c), None),
            "object_assignment_pattern" => {
                let Some(left) = c.field("left") else { continue };
                let default = c.field("right").and_then(|r| string_value(r, src)).filter(|d| !d.is_empty());
                (text(left), text(left), default)
            }
            "pair_pattern" => {
                let (Some(k), Some(v)) = (c.field("key"), c.field("value")) else {
                    continue;
                };
                if v.kind_name() != "identifier" {
                    continue;
                }
                (text(v), text(k), None)
            }
            _ => continue,
        };
        arch::push_const(facts, name, vec![Part::Env(var, default)], line);
    }
}

struct Candidate {
    /// The URL came from a `{ url: … }` options object.
    url_in_object: bool,
    client: String,
    method: String,
    url: Template,
    line: u32,
    /// The URL is a parameter of the enclosing function: (function name, parameter index).
    wrapper: Option<(String, usize)>,
    /// The options passed on (`fetch(url, options)`) are a parameter of that function: its index.
    method_param: Option<usize>,
    /// The options' `method` is a parameter of that function (`{ method }`): its index.
    method_arg: Option<usize>,
    /// The parameter's name, when the URL has text or constants before it (`` `${HOST}${path}` ``).
    inner: Option<String>,
    /// The URL is this property of the wrapper's object parameter (`({ url, method }) => …`).
    key: Option<String>,
    /// The request of one case of a `switch` on a parameter: its index and the case's string.
    choice: Option<(usize, String)>,
    /// The URL is an options object's `url` after its `baseURL` (axios): see `RawWrapper::joined`.
    joined: bool,
}

#[derive(Default)]
pub struct Collector<'t> {
    pub facts: ArchFacts,
    /// The file's root: ancestors are found in one descent from it (`Node::parent`
    /// descends from the root at every step).
    root: Option<query::Root<'t>>,
    rel: String,
    clients: BTreeMap<String, Template>,
    candidates: Vec<Candidate>,
    /// MongoDB collection variables and the operations called on identifiers.
    collections: BTreeMap<String, String>,
    collection_ops: Vec<(String, String, u32)>,
    amqp: bool,
    kafka: bool,
    /// The file names `kafka-node`: its `new Consumer(client, [{ topic }])` consumes.
    kafka_node: bool,
    /// The file names a proxy package (`http-proxy-middleware`, `express-http-proxy`,
    /// `@fastify/http-proxy`): its proxies forward requests to their targets.
    proxy: bool,
    redis: bool,
    /// The file names NATS (`node-nats-streaming`, `nats`): `publish(subject, …)` and
    /// `subscribe(subject, …)` on any receiver are its.
    nats: bool,
    /// The file names MQTT (`mqtt`, `async-mqtt`): `publish(topic, …)`/`subscribe(topic)` of
    /// its clients are MQTT's.
    mqtt: bool,
    /// The file names Google Pub/Sub (`@google-cloud/pubsub`), whose `publish` is not MQTT's.
    pubsub: bool,
    grpc: bool,
    /// The file reads environment variables (`process.env.X`, `import.meta.env.X`,
    /// `(import.meta as any).env?.X`).
    env: bool,
    /// The file imports `@nestjs/microservices`: `emit`/`send` of a client and
    /// `@EventPattern`/`@MessagePattern` handlers are broker messages.
    nest_ms: bool,
    /// Redis client variables and the key-value operations called on any receiver.
    kv_clients: Vec<String>,
    kv_ops: Vec<(String, String, u32)>,
    /// Local names bound by imports of the project's own modules (`./x`, `../x`, `@/x`, `~/x`).
    relative: Vec<String>,
    /// Names the module exports as its default (`export default api`, `module.exports = api`).
    default_exports: Vec<String>,
    /// `const A = b` at module level: (A, b, line).
    aliases: Vec<(String, String, u32)>,
    /// Local names of a client package's default or namespace import (`import Axios from "axios"`).
    client_imports: Vec<String>,
    /// How often the file says `controllers:`, counted at its first `@Module`: more than
    /// its `@Module`s' own `controllers:` keys (a dynamic module's `{ module, controllers }`)
    /// makes its module graph unreadable.
    controllers_said: Option<usize>,
    controllers_keys: usize,
    /// Routers a function builds and returns: (the local name, the function's byte range,
    /// the function's name, which names the router). A route inside the range on the
    /// local name is the function's router's.
    made: Vec<(String, std::ops::Range<usize>, String)>,
    /// Names already looked up as a call's result ([`Collector::call_result`]).
    results_seen: Vec<String>,
    /// Local names of `@fastify/autoload` (`fastify-autoload`) imports.
    autoload: Vec<String>,
    /// Other local names of http-proxy-middleware's `createProxyMiddleware`.
    proxy_aliases: Vec<String>,
    /// The file names Sequelize: its `define('Name', attributes)` calls are models.
    sequelize: bool,
    /// The file names Firestore: its `db.collection('x')` are Firestore's
    /// (`lang/ts_firestore.rs`), not MongoDB collections.
    firestore: bool,
    /// The file calls `.collection(`: a class field may hold a MongoDB collection.
    collection_fields: bool,
    /// Classes holding an Express app or router in a field (`lang/ts_class_routers.rs`).
    class_scopes: Vec<super::ts_class_routers::ClassScope>,
    /// Lines of the reply halves of Redis request/reply wrappers (`lang/ts_replies.rs`),
    /// whose queue facts [`Collector::finish`] drops.
    reply_lines: Vec<u32>,
}

impl<'t> Collector<'t> {
    pub fn new(rel: &str, text: &str, root: Node<'t>, words: &Words) -> Self {
        let has = |word: W| words.has(word);
        let mut collector = Collector {
            root: Some(query::Root::new(root)),
            rel: rel.to_string(),
            amqp: has(W::amqp),
            kafka: has(W::afka),
            kafka_node: has(W::kafka_node),
            proxy: has(W::http_proxy),
            redis: has(W::redis) || has(W::Redis),
            nats: has(W::nats),
            mqtt: has(W::mqtt),
            pubsub: has(W::pubsub),
            // `ClientGrpc`, `@GrpcMethod` (NestJS) name no `grpc` module.
            grpc: has(W::grpc) || has(W::Grpc),
            env: has(W::env_dot) || has(W::env_opt),
            nest_ms: has(W::nestjs_microservices),
            sequelize: has(W::equelize),
            firestore: has(W::firestore),
            collection_fields: has(W::collection_call),
            facts: ArchFacts { transports: nest_transports(text, words), ..ArchFacts::default() },
            ..Collector::default()
        };
        collector.class_routers(root, text.as_bytes(), words);
        collector
    }

    /// The Express apps and routers the file's classes hold in fields, declared before any
    /// route on `this.router` is read (a method may come before the constructor).
    fn class_routers(&mut self, root: Node, src: &[u8], words: &Words) {
        if !super::ts_class_routers::mentions(words) {
            return;
        }
        self.class_scopes = super::ts_class_routers::scopes(root, src);
        for r in self.class_scopes.iter().flat_map(|s| &s.routers) {
            let (name, line) = (r.name.clone(), r.line);
            self.facts.routers.push(RawRouter {
                name: name.clone(),
                framework: "express".into(),
                prefix: vec![],
                line,
            });
            if r.made {
                self.facts.made_routers.push(name.clone());
            }
            if r.sub {
                self.facts.class_routers.push(name);
            }
        }
        // A class router's string fields (`public path = '/users'`), which a loop mounting
        // each element's router under its own path reads (`app.use(r.path, r.router)`).
        for s in self.class_scopes.iter().filter(|s| s.routers.iter().any(|r| r.sub)) {
            for (field, value) in &s.strings {
                self.facts.class_strings.push((s.class.clone(), field.clone(), value.clone()));
            }
        }
    }

    pub fn on_match(&mut self, caps: &[(&str, Node)], src: &[u8]) {
        let Some(kind) = caps.iter().map(|(n, _)| *n).find(|n| n.contains('.')) else { return };
        let outer = cap(caps, kind).expect("found above");
        // A route's line is its path's (a chain may start lines above, on the receiver).
        let line = query::line(if kind.starts_with("endpoint.") { cap(caps, "path").unwrap_or(outer) } else { outer });
        let text = |name: &str| cap(caps, name).map(|n| query::text(n, src).to_string()).unwrap_or_default();
        let args = cap(caps, "args").map(named).unwrap_or_default();
        // A route a class's `private` method registers when nothing calls the method.
        if kind.starts_with("endpoint.") && super::ts_class_routers::dead_at(&self.class_scopes, outer.start_byte()) {
            return;
        }
        match kind {
            "router.def" => self.router_def(&text("name"), &text("ctor"), outer, &args, src, line),
            // `configService.get('KEY', 'default')`, `cache.get('k', 0)`: a literal in the
            // handler's place is a default value, never a route's handler.
            "endpoint.route" if args.len() >= 2 && !literal_handler(&args) => {
                let method = http_method(&text("method")).unwrap_or_default();
                let handler = args.last().map(|h| short(query::text(*h, src)));
                let router = self.receiver(outer, &text("router"), src, line);
                if cap(caps, "path").and_then(|p| string_value(p, src)).is_some_and(|p| p.starts_with('/')) {
                    self.call_result(outer, &router, src);
                }
                // `app.all(['/', '/api/v1'], h)`: Express takes an array of paths, a route each.
                let path = cap(caps, "path");
                let items = path.filter(|p| p.kind_name() == "array").map(named).unwrap_or_default();
                let paths: Vec<Template> = if !items.is_empty() && items.iter().all(|i| i.kind_name() == "string") {
                    items.into_iter().map(|i| template(i, src)).collect()
                } else {
                    vec![path.map(|p| template(p, src)).unwrap_or_default()]
                };
                for path in paths {
                    // `` this.router.get(`${this.path}/:id`, h) `` of a class setting `path` once to a string.
                    let path = super::ts_class_routers::with_strings(&self.class_scopes, outer.start_byte(), path);
                    self.route("?", &router, vec![method.clone()], path, handler.clone(), line);
                }
            }
            "endpoint.chain" => {
                // `app.route('/p').get(h)` on a function's parameter; a two-argument `route` is a Hono mount.
                let recv = text("router");
                let router = self.scoped(outer, &recv);
                let router = if args.len() == 1 && router == recv {
                    self.param_router(outer, &recv, src, line).unwrap_or(recv)
                } else {
                    router
                };
                self.chain(&router, outer, &args, src, line)
            }
            // fastify's `route({ method, url, handler })`, hapi's `route({ method, path, handler })`.
            "endpoint.object" => {
                let Some(obj) = cap(caps, "args") else { return };
                if let Some((methods, url, _)) = super::ts_hapi::route_object(obj, src) {
                    // On a function's parameter (`function setupRoutes(server) { server.route({…}) }`):
                    // that function's router, as for `app.get(…)`.
                    let router = self.receiver(outer, &text("router"), src, line);
                    self.route("?", &router, methods, url, None, line);
                }
            }
            "router.mount" => {
                let parent = match cap(caps, "parent") {
                    Some(p) if p.kind_name() == "call_expression" => match self.chain_router(p, outer, src, line) {
                        Some(name) => name,
                        None => return,
                    },
                    // `module.exports = (app) => { app.use('/signin', router) }`: the function's
                    // router, as for a route on the parameter, so that whatever mounts the
                    // function mounts what it mounts.
                    _ if text("method") == "use" => self.receiver(outer, &text("parent"), src, line),
                    _ => self.scoped(outer, &text("parent")),
                };
                self.mount(&parent, &text("method"), outer, &args, src, line);
            }
            // `app.setGlobalPrefix(options.globalPrefix)` in a factory: its callers say the prefix.
            "router.global" if cap(caps, "path").and_then(|p| super::ts_nest::prefix_from_caller(p, src)).is_some() => {
                let (name, prefix) =
                    cap(caps, "path").and_then(|p| super::ts_nest::prefix_from_caller(p, src)).unwrap_or_default();
                let framework = super::ts_nest::GLOBAL_PARAM.into();
                self.facts.routers.push(RawRouter { name, framework, prefix, line });
            }
            "router.global" => {
                // `const GLOBAL_PREFIX = configService.get('API_GLOBAL_PREFIX'); app.setGlobalPrefix(GLOBAL_PREFIX)`:
                // a local the function gives one value before is that value.
                let value = |p: Node<'_>| match local_value(None, p, src) {
                    Some(Some(v)) => template(v, src),
                    _ => template(p, src),
                };
                let prefix = cap(caps, "path").map(value).unwrap_or_default();
                self.facts.routers.push(RawRouter {
                    name: String::new(),
                    framework: "nestjs-global".into(),
                    prefix,
                    line,
                });
            }
            "endpoint.decorator" if text("name") == "Module" => self.nest_module(outer, &args, src, line),
            "endpoint.decorator" if text("name").contains("Grpc") => {
                self.nest_grpc(&text("name"), outer, &args, src, line);
            }
            "endpoint.decorator" => self.nest(&text("name"), outer, &args, src, line),
            "endpoint.export" => {
                let name = text("name");
                let is_route_file = self.rel.contains("app/") && file_stem(&self.rel) == "route";
                let method = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].contains(&name.as_str());
                if is_route_file && method {
                    self.route("nextjs", "", vec![name], Template::new(), None, line);
                }
            }
            "endpoint.default" if self.rel.contains("pages/api/") => {
                self.route("nextjs", "", vec!["ANY".into()], Template::new(), None, line);
            }
            "bind.default" | "bind.named" | "bind.namespace" | "bind.require" => self.binding(kind, caps, outer, src),
            // A WebSocket handshake to the URL: a call of the server's `WS` route; an
            // `EventSource` (server-sent events) is a plain GET of its URL.
            "ws.call" => {
                if let Some(&url) = args.first() {
                    let url = template(url, src);
                    let client = text("client");
                    let method = if client == "EventSource" { "GET" } else { "WS" };
                    let ws = Candidate {
                        url_in_object: false,
                        client,
                        method: method.into(),
                        url,
                        line,
                        wrapper: None,
                        method_param: None,
                        method_arg: None,
                        inner: None,
                        key: None,
                        choice: None,
                        joined: false,
                    };
                    self.candidates.push(ws);
                }
            }
            "http.call" => self.http_call(&text("client"), &text("method"), &args, src, line),
            "proxy.call" if self.proxy => self.proxy_call(&text("client"), &args, src, line),
            "client.def" => {
                let base = client_base(&args, src);
                // Made at the module's top level: other modules may import it.
                if top_level(outer) {
                    self.facts.clients.push(RawClient { name: text("name"), base: base.clone(), line });
                }
                self.clients.insert(text("name"), base);
            }
            "client.export" => self.default_exports.push(text("name")),
            // `export { router as notificationRouter }` (not a re-export `… from './x'`):
            // the exported name is that router, as `export const FeedRouter = router` is.
            "export.alias" if outer.field("source").is_none() => {
                let (name, alias) = (text("name"), text("alias"));
                // `as default` stays the default export it was (a router factory's default
                // import is the factory, `export { makeApp as default }`).
                if name != alias && alias != "default" {
                    self.aliases.push((alias, name, line));
                }
            }
            "client.default" => {
                let base = client_base(&args, src);
                self.facts.clients.push(RawClient { name: "default".into(), base, line });
            }
            "const.def" => {
                if let Some(v) = cap(caps, "value") {
                    // `const PORT = 5050`: a port a URL or a server's `listen` names.
                    let value = match v.kind_name() {
                        "number" => lit(query::text(v, src)),
                        "arrow_function" => path_function(v, src),
                        _ => template(v, src),
                    };
                    // `export const FeedRouter: Router = router`: a name bound to another name,
                    // kept until `finish` knows the file's routers (module-level matches come
                    // before the declarations inside them).
                    if let [Part::Ref(target)] = value.as_slice() {
                        if !target.contains('.') {
                            self.aliases.push((text("name"), target.clone(), line));
                        }
                        // `export const API_URL = BASE_URL`, `= environment.apiUrl`: a constant
                        // naming another is that one's value, whatever module defines it
                        // (resolution follows the name; one it does not know stays a parameter).
                        self.facts.consts.push(RawConst { name: text("name"), value: value.clone(), line });
                    }
                    arch::push_const(&mut self.facts, text("name"), value, line);
                    // `export const ENV = { ORDER_URL: process.env.ORDER_URL }`: each member is a
                    // constant too, read as `ENV.ORDER_URL` (by its qualified name, so that a
                    // common key such as `url` does not become a project-wide constant).
                    self.object_members(&text("name"), v, src, 0);
                }
            }
            "const.exports" => {
                for pair in
                    cap(caps, "obj").map(named).unwrap_or_default().into_iter().filter(|p| p.kind_name() == "pair")
                {
                    let key = pair.field("key").filter(|k| k.kind_name() == "property_identifier");
                    let key = key.map(|k| query::text(k, src).to_string());
                    let key = key.or_else(|| pair.field("key").and_then(|k| string_value(k, src)));
                    if let (Some(key), Some(v)) = (key, pair.field("value")) {
                        arch::push_const(&mut self.facts, key, template(v, src), query::line(pair));
                    }
                }
            }
            "grpc.server" if self.grpc => {
                let name = text("name");
                let name = name.trim_end_matches(".service");
                let service = name.rsplit('.').next().unwrap_or(name).to_string();
                self.grpc_fact(service, true, None, line);
            }
            "env.destructure" => {
                if let Some(p) = cap(caps, "pattern") {
                    env_destructure(&mut self.facts, p, src, line);
                }
            }
            // `getService(IDENTITY_SERVICE_NAME)`: the constant ts-proto generates, read where
            // the calls are resolved (imported, through barrels).
            "grpc.client" if self.grpc && cap(caps, "value").is_some() => {
                let class = super::ts_nest::class_name_of(outer, src);
                self.facts.grpc.push(RawGrpc::by_constant(text("value"), line, class));
            }
            "grpc.client" if self.grpc => {
                // `getService('UserService')` names the service in a string.
                let name = cap(caps, "name").and_then(|n| string_value(n, src)).unwrap_or_else(|| text("name"));
                let last = name.rsplit('.').next().unwrap_or(&name);
                // A generated `CartServiceClient` is the client of proto service `CartService`.
                let generated = cap(caps, "name").is_some_and(|n| n.kind_name() == "identifier");
                let service = if generated { last.strip_suffix("Client").unwrap_or(last) } else { last }.to_string();
                let class = super::ts_nest::class_name_of(outer, src);
                self.facts.grpc.push(RawGrpc {
                    service,
                    server: false,
                    line,
                    within: None,
                    rpc: None,
                    constant: None,
                    class,
                });
                // new proto.Cart("cart:7070", creds): the address the client sends to.
                if let Some(addr) = args.first().filter(|_| args.len() >= 2) {
                    arch::push_grpc_call(&mut self.facts, template(*addr, src), line);
                }
            }
            "db.sql" => {
                if let Some(n) = cap(caps, "sql") {
                    arch::push_sql(&mut self.facts, sql_text(n, src), line);
                }
            }
            "db.entity" => {
                let class = decorated_class(outer, src);
                let name = args.first().and_then(|a| {
                    string_value(*a, src).or_else(|| prop(*a, "name", src).and_then(|n| string_value(n, src)))
                });
                let name = name.or_else(|| class.as_deref().map(snake_case));
                // Its `@ManyToMany` relations' `@JoinTable()` tables.
                if let Some(owner) = name.as_deref().filter(|_| memchr::memmem::find(src, b"@JoinTable(").is_some()) {
                    super::ts_typeorm::join_tables(outer, owner, src, &mut self.facts);
                }
                self.facts.tables.push(RawTable { orm: "typeorm".into(), name, class_name: class, line });
            }
            "db.table" => {
                let name = cap(caps, "name").and_then(|n| string_value(n, src));
                self.facts.tables.push(RawTable { orm: "drizzle".into(), name, class_name: None, line });
            }
            "db.knex" => {
                if let Some(name) = cap(caps, "name").and_then(|n| string_value(n, src)) {
                    let access = chain_access(outer, src);
                    self.facts.table_uses.push(RawTableUse {
                        name,
                        via_class: false,
                        access,
                        store: "sql".into(),
                        line,
                    });
                }
            }
            // @nestjs/mongoose `@Schema({ collection: 'ads' }) export class VehicleAd`: the
            // collection of the models registered with the class's schema (`resolve::tables`).
            "db.sequelize" if outer.kind_name() == "decorator" && query::text(outer, src).starts_with("@Schema") => {
                let coll = args.first().and_then(|o| prop(*o, "collection", src)).and_then(|c| string_value(c, src));
                if let (Some(coll), Some(class)) = (coll, decorated_class(outer, src)) {
                    let table = RawTable { orm: "nest-schema".into(), name: Some(coll), class_name: Some(class), line };
                    self.facts.tables.push(table);
                }
            }
            "db.sequelize" => {
                let options = args.iter().rev().find(|a| a.kind_name() == "object");
                let table = options.and_then(|o| prop(*o, "tableName", src)).and_then(|t| string_value(t, src));
                let class = if outer.kind_name() == "decorator" {
                    decorated_class(outer, src)
                } else if text("op") == "define" {
                    args.first().and_then(|a| string_value(*a, src))
                } else {
                    receiver_of(outer, src)
                };
                if let Some(table) = table {
                    self.facts.tables.push(RawTable {
                        orm: "sequelize".into(),
                        name: Some(table),
                        class_name: class,
                        line,
                    });
                } else if outer.kind_name() != "decorator" {
                    self.sequelize_default(text("op") == "define", class, &args, src, line);
                }
            }
            "db.mongoose" => {
                let model = cap(caps, "name").and_then(|n| string_value(n, src)).unwrap_or_default();
                let coll =
                    args.get(2).and_then(|a| string_value(*a, src)).unwrap_or_else(|| pluralize(&model.to_lowercase()));
                self.facts.tables.push(RawTable {
                    orm: "mongoose".into(),
                    name: Some(coll),
                    class_name: Some(model),
                    line,
                });
            }
            "db.nest_mongoose" => {
                for model in args.iter().filter(|a| a.kind_name() == "object") {
                    let name = prop(*model, "name", src).and_then(|n| match n.kind_name() {
                        // `name: Cat.name`: the class's name.
                        "member_expression" if n.field("property").is_some_and(|p| query::text(p, src) == "name") => n
                            .field("object")
                            .filter(|o| o.kind_name() == "identifier")
                            .map(|o| query::text(o, src).to_string()),
                        _ => string_value(n, src),
                    });
                    let Some(name) = name.filter(|n| !n.is_empty()) else { continue };
                    // Without `collection`, the schema's `@Schema({ collection })` or Mongoose's
                    // plural of the model name, decided in resolution.
                    let coll = prop(*model, "collection", src).and_then(|c| string_value(c, src));
                    self.facts.tables.push(RawTable {
                        orm: "mongoose".into(),
                        name: coll,
                        class_name: Some(name),
                        line: model.start_position().row as u32 + 1,
                    });
                }
            }
            "db.mongo" if self.firestore => {}
            "db.mongo" => {
                if let Some(name) = cap(caps, "name").and_then(|n| string_value(n, src)) {
                    arch::push_mongo_use(&mut self.facts, name, &text("op"), line);
                }
            }
            "db.prisma" => {
                let op = text("op");
                let access =
                    if PRISMA_WRITES.binary_search(&op.as_str()).is_ok() { Access::Write } else { Access::Read };
                let class = text("class");
                if !class.starts_with('$') {
                    self.facts.table_uses.push(RawTableUse {
                        name: class,
                        via_class: true,
                        access,
                        store: "sql".into(),
                        line,
                    });
                }
            }
            "queue.op" if self.nest_ms && self.nest_message(&text("method"), outer, &args, src, line) => {}
            "queue.op" => self.queue(&text("obj"), &text("method"), &args, src, line),
            "db.create_table" => {
                let name = cap(caps, "name").and_then(|n| string_value(n, src)).filter(|n| !n.is_empty());
                if let Some(name) = name {
                    let table = RawTable { orm: "migration".into(), name: Some(name), class_name: None, line };
                    self.facts.tables.push(table);
                }
            }
            "server.listen" => {
                if let Some(v) = cap(caps, "value") {
                    let port = if v.kind_name() == "object" { prop(v, "port", src) } else { Some(v) };
                    if let Some(port) = port {
                        let port = if port.kind_name() == "number" {
                            lit(query::text(port, src))
                        } else {
                            template(port, src)
                        };
                        self.facts.listens.push((port, line));
                    }
                }
            }
            "db.collection_var" => {
                if let Some(v) = cap(caps, "value").and_then(|v| string_value(v, src)) {
                    self.collections.insert(text("name"), v);
                }
            }
            "db.collection_op" => {
                let obj = text("obj");
                // `private readonly chats = this.db.collection('chats')`, a field the class
                // gives that one value: `this.chats.insertOne(…)` uses the collection.
                // (Read at the use: two classes of a file may name different collections alike.)
                let Some(field) = obj.strip_prefix("this.") else {
                    self.collection_ops.push((obj, text("op"), line));
                    return;
                };
                if !self.collection_fields || self.firestore {
                    return;
                }
                let value = super::ts_nest::field_value(outer, field, src);
                let name = value.filter(|v| v.kind_name() == "call_expression").and_then(|v| {
                    let f = v.field("function").filter(|f| f.kind_name() == "member_expression")?;
                    f.field("property").filter(|p| query::text(*p, src) == "collection")?;
                    string_value(v.field("arguments")?.named_child(0)?, src)
                });
                if let Some(name) = name {
                    arch::push_mongo_use(&mut self.facts, name, &text("op"), line);
                }
            }
            "kv.client" if self.redis => self.kv_clients.push(text("name")),
            "kv.op" if self.redis => self.kv_ops.push((text("obj"), text("op"), line)),
            _ => {}
        }
    }

    fn route(
        &mut self,
        framework: &str,
        router: &str,
        methods: Vec<String>,
        path: Template,
        handler: Option<String>,
        line: u32,
    ) {
        let methods: Vec<String> = methods.into_iter().filter(|m| !m.is_empty()).collect();
        if methods.is_empty() {
            return;
        }
        self.facts.routes.push(RawRoute {
            framework: framework.into(),
            router: router.into(),
            methods,
            path,
            handler,
            line,
        });
    }

    fn router_def(&mut self, name: &str, ctor: &str, outer: Node, args: &[Node], src: &[u8], line: u32) {
        let is_new =
            outer.field("value").is_some_and(|v| super::ts_natives::unwrap_ts(v).kind_name() == "new_expression");
        let framework = match ctor {
            "fastify" | "Fastify" => "fastify",
            "Hapi.server" | "Hapi.Server" | "hapi.server" | "hapi.Server" => "hapi",
            "Hono" | "OpenAPIHono" => "hono",
            "KoaRouter" | "Koa" => "koa",
            "Router" if is_new => "koa",
            _ => "express",
        };
        let prefix = args.first().and_then(|o| prop(*o, "prefix", src)).map(|p| template(p, src)).unwrap_or_default();
        let name = match self.made_router(name, outer, src) {
            Some(made) => {
                self.facts.made_routers.push(made.clone());
                made
            }
            None => name.to_string(),
        };
        self.facts.routers.push(RawRouter { name: name.clone(), framework: framework.into(), prefix, line });
        // An Express `Router()` serves only once an app mounts it (an `express()` app serves itself).
        if framework == "express" && matches!(ctor, "Router" | "express.Router") {
            self.facts.sub_routers.push(name);
        }
    }

    /// A router declared in a function that returns it (`const setup = (db) => { const
    /// router = Router(); …; return router }`): named after the function, since a call of
    /// the function is what mounts it (`app.use('/v1', setup(db))`); the function's byte
    /// range is kept so that the routes on its local name inside are that router's.
    fn made_router(&mut self, name: &str, declarator: Node, src: &[u8]) -> Option<String> {
        if top_level(declarator) {
            return None;
        }
        let func = query::ancestors_in(self.root.as_ref(), declarator, 48)
            .into_iter()
            .find(|a| FUNCTIONS.contains(&a.kind_name()) || a.kind_name() == "function")?;
        let body = func.field("body")?;
        if !returns(body).iter().any(|r| r.kind_name() == "identifier" && query::text(*r, src) == name) {
            return None;
        }
        let made = router_function_name(func, src)?;
        self.made.push((name.to_string(), func.byte_range(), made.clone()));
        Some(made)
    }

    /// The router a receiver written at `at` names: the router of the innermost function
    /// around `at` that builds and returns one under that local name, else the name itself.
    fn scoped(&self, at: Node, name: &str) -> String {
        let pos = at.start_byte();
        if let Some(field) = name.strip_prefix("this.").filter(|_| !self.class_scopes.is_empty()) {
            if let Some(r) = super::ts_class_routers::router_at(&self.class_scopes, pos, field) {
                return r.to_string();
            }
            if let Some(r) = super::ts_class_routers::instance_router_at(&self.class_scopes, pos, field) {
                return r;
            }
        }
        let inner = self.made.iter().filter(|(n, r, _)| n == name && r.contains(&pos)).min_by_key(|(_, r, _)| r.len());
        inner.map_or_else(|| name.to_string(), |(_, _, made)| made.clone())
    }

    /// The router a route's receiver names: a router its function builds and returns,
    /// else the function's parameter (`param_router`), else the name as written.
    fn receiver(&mut self, call: Node, recv: &str, src: &[u8], line: u32) -> String {
        let router = self.scoped(call, recv);
        if router != recv {
            return router;
        }
        self.param_router(call, recv, src, line).unwrap_or(router)
    }

    /// `const app = makeApp()` (also `await makeApp()`) in a scope around `at`, for a name
    /// used as a router that the file does not declare as one: the name and the function
    /// are kept (once per name) for resolution, which makes the name that router when the
    /// function builds and returns one (`made_routers`).
    fn call_result(&mut self, at: Node, name: &str, src: &[u8]) {
        if self.results_seen.iter().any(|n| n == name) || self.facts.routers.iter().any(|r| r.name == name) {
            return;
        }
        self.results_seen.push(name.to_string());
        for scope in query::ancestors_in(self.root.as_ref(), at, 48)
            .into_iter()
            .filter(|a| matches!(a.kind_name(), "statement_block" | "program"))
        {
            for decl in named(scope)
                .into_iter()
                .filter(|d| matches!(d.kind_name(), "lexical_declaration" | "variable_declaration"))
            {
                for d in named(decl) {
                    let Some(value) = assigns(d, name, src).flatten() else { continue };
                    let value = if value.kind_name() == "await_expression" {
                        value.named_child(0).unwrap_or(value)
                    } else {
                        value
                    };
                    let callee = value.field("function").filter(|_| value.kind_name() == "call_expression");
                    if let Some(f) = callee.filter(|f| matches!(f.kind_name(), "identifier" | "member_expression")) {
                        self.facts.router_results.push((name.to_string(), query::text(f, src).to_string()));
                    }
                    // `const r = require("./routes")(db)`: what the module's default export returns.
                    if let Some(local) = callee.and_then(|f| self.inline_require(f, src)) {
                        self.facts.router_results.push((name.to_string(), local));
                    }
                    return;
                }
            }
        }
    }

    /// Routes declared on a function's parameter (a Fastify plugin
    /// `async function items(fastify: FastifyInstance)`, an Express
    /// `export function routes(app) {…}`) belong to a router named after the function.
    fn param_router(&mut self, call: Node, recv: &str, src: &[u8], line: u32) -> Option<String> {
        let func = query::ancestors_in(self.root.as_ref(), call, 48).into_iter().find(|a| {
            matches!(a.kind_name(), "function_declaration" | "function_expression" | "arrow_function" | "function")
        })?;
        let params = func.field("parameters").or_else(|| func.field("parameter"))?;
        let list = if params.kind_name() == "identifier" { vec![params] } else { named(params) };
        // Plain, typed or destructured (`({ app, worker }) => …`; a destructured one only
        // by an app's usual names: `({ request }) => request.get(url)` is a client).
        let param = list.into_iter().find(|p| {
            let name = if p.kind_name() == "identifier" { Some(*p) } else { p.field("pattern") };
            let pattern = name.unwrap_or(*p);
            name.is_some_and(|n| query::text(n, src) == recv)
                || pattern.kind_name() == "object_pattern"
                    && matches!(recv, "app" | "router" | "server" | "fastify")
                    && mentions_name(pattern, recv, src)
        })?;
        let ty = param.field("type").map(|t| query::text(t, src)).unwrap_or("");
        // `(configService: ConfigService) => configService.get('KEY', 'x')`: a parameter
        // typed as something other than an app or a router is no router.
        if !ty.is_empty() && !router_type(ty) {
            return None;
        }
        let name = router_function_name(func, src)?;
        let framework = if ty.contains("Fastify") || recv == "fastify" {
            "fastify"
        } else if ty.contains("Hono") {
            "hono"
        } else {
            "express"
        };
        if !self.facts.routers.iter().any(|r| r.name == name) {
            self.facts.routers.push(RawRouter {
                name: name.clone(),
                framework: framework.into(),
                prefix: Template::new(),
                line,
            });
        }
        Some(name)
    }

    /// `const api = Router().use(a).use(b)` / `export default Router().use('/api', api)`:
    /// a router built by a chain, named after the variable (or `default`).
    fn chain_router(&mut self, receiver: Node, call: Node, src: &[u8], line: u32) -> Option<String> {
        let mut root = receiver;
        // Whether every call of the chain is a method Express's app and router return
        // themselves from (`use`, `disable`, `set`, a route method…).
        let mut returns_self = true;
        while root.kind_name() == "call_expression" {
            let f = root.field("function")?;
            match f.kind_name() {
                "member_expression" => {
                    let method = f.field("property").map_or("", |p| query::text(p, src));
                    returns_self &= CHAINABLE.contains(&method);
                    root = f.field("object")?
                }
                _ => break,
            }
        }
        // `v1Router.use('/users', users).use('/auth', auth)`, `app.disable('x-powered-by')
        // .use('/api/v1', v1Router)`: each `use` is on the chain's first receiver.
        if root.kind_name() == "identifier" && returns_self {
            let name = query::text(root, src);
            return Some(self.receiver(call, name, src, line));
        }
        let ctor = root.field("function").map(|f| query::text(f, src)).unwrap_or("");
        if !matches!(ctor, "Router" | "express.Router" | "express") {
            return None;
        }
        let owner =
            query::ancestors_in(self.root.as_ref(), call, 24).into_iter().find_map(|a| match a.kind_name() {
                "variable_declarator" => a.field("name").map(|n| query::text(n, src).to_string()),
                "export_statement" => Some("default".to_string()),
                _ => None,
            })?;
        if !self.facts.routers.iter().any(|r| r.name == owner) {
            self.facts.routers.push(RawRouter {
                name: owner.clone(),
                framework: "express".into(),
                prefix: Template::new(),
                line,
            });
        }
        Some(owner)
    }

    /// `router.route('/p').get(h).post(h)`, or Hono's `app.route('/p', sub)` mount, or
    /// hapi's `server.route([...routes, { method, path, handler }])` (`ts_hapi`).
    fn chain(&mut self, router: &str, call: Node, args: &[Node], src: &[u8], line: u32) {
        let Some(path) = args.first().map(|p| template(*p, src)) else { return };
        let chained = call.parent().is_some_and(|p| p.kind_name() == "member_expression");
        if let [arg] = args {
            if !chained && matches!(arg.kind_name(), "array" | "identifier") {
                let (objects, mounted) = super::ts_hapi::route_call(*arg, src);
                for o in objects {
                    if let Some((methods, url, at)) = super::ts_hapi::route_object(o, src) {
                        self.route("?", router, methods, url, None, at);
                    }
                }
                for child in mounted {
                    let child = format!("?{child}");
                    self.facts.mounts.push(RawMount { parent: router.into(), child, prefix: Template::new(), line });
                }
                return;
            }
        }
        if args.len() >= 2 {
            let child = short(query::text(args[1], src));
            self.facts.mounts.push(RawMount { parent: router.into(), child, prefix: path, line });
            return;
        }
        let mut methods = Vec::new();
        let mut cur = call;
        while let Some(member) = cur.parent().filter(|p| p.kind_name() == "member_expression") {
            let Some(next) = member.parent().filter(|p| p.kind_name() == "call_expression") else { break };
            let prop = member.field("property").map(|p| query::text(p, src)).unwrap_or("");
            match http_method(prop) {
                Some(m) => methods.push(m),
                None => break,
            }
            cur = next;
        }
        self.route("?", router, methods, path, None, line);
    }

    fn mount(&mut self, parent: &str, method: &str, call: Node, args: &[Node], src: &[u8], line: u32) {
        if method == "register" {
            let Some(parent) = self.fastify_receiver(call, parent, src, line) else { return };
            let parent = parent.as_str();
            let Some(child) = args.first().filter(|c| matches!(c.kind_name(), "identifier" | "member_expression"))
            else {
                return;
            };
            if self.autoload.iter().any(|a| a == query::text(*child, src)) {
                return self.autoload_mount(parent, args.get(1).copied(), src, line);
            }
            let prefix =
                args.get(1).and_then(|o| prop(*o, "prefix", src)).map(|p| template(p, src)).unwrap_or_default();
            let child = format!("?{}", query::text(*child, src));
            self.facts.mounts.push(RawMount { parent: parent.into(), child, prefix, line });
            return;
        }
        // `routes.forEach((r) => app.use('/', r.router))`, `for (const r of routes)
        // app.use(r.path, r.router)`: each element's router, whatever the array holds
        // (resolution mounts the service's class routers held in a field of that name).
        if let Some((child, prefix)) = each_mount(args, src) {
            let prefix = super::ts_class_routers::with_strings(&self.class_scopes, call.start_byte(), prefix);
            self.facts.mounts.push(RawMount { parent: parent.into(), child, prefix, line });
            return;
        }
        let (prefix, rest) = match args.first() {
            Some(a) if matches!(a.kind_name(), "string" | "template_string") => (template(*a, src), &args[1..]),
            _ => (Template::new(), args),
        };
        let prefix = super::ts_class_routers::with_strings(&self.class_scopes, call.start_byte(), prefix);
        let prefixed = rest.len() < args.len();
        if prefixed {
            self.call_result(call, parent, src);
        }
        for c in rest {
            // `app.use('/graphql', graphqlHTTP({ schema }))`: a GraphQL handler answering on
            // the mount's path (`lang/ts_graphql.rs`).
            if prefixed && c.kind_name() == "call_expression" {
                let f = c.field("function").map_or("", |f| query::text(f, src));
                if let Some((_, m)) = super::ts_graphql::HANDLERS.iter().find(|(h, _)| *h == f) {
                    self.route("graphql", parent, vec![m.to_string()], prefix.clone(), None, line);
                    continue;
                }
            }
            // `container.resolve(UsersRouter).router`, `Container.resolve('UsersModule')`:
            // what a DI container gives (`lang/ts_di.rs`).
            if let Some(child) = super::ts_di::mount_child(*c, src) {
                let child = format!("?{child}");
                self.facts.mounts.push(RawMount { parent: parent.into(), child, prefix: prefix.clone(), line });
                continue;
            }
            // `router.routes()` (koa-router) names the router; `setup(db)` the router the
            // function builds and returns, if it does (`name()`); other calls are middleware.
            let child = match c.kind_name() {
                "identifier" if prefixed => {
                    let name = self.scoped(call, query::text(*c, src));
                    self.call_result(call, &name, src);
                    name
                }
                "identifier" => self.scoped(call, query::text(*c, src)),
                // `require("./routes").router`: the module's `router`.
                "member_expression" => {
                    match c.field("object").and_then(|o| self.inline_require(o, src)) {
                        Some(local) => {
                            let member = c.field("property").map_or("", |p| query::text(p, src));
                            format!("{local}.{member}")
                        }
                        // `this.router` of a class holding it in a field.
                        None => self.scoped(call, query::text(*c, src)),
                    }
                }
                // `new UsersRoute(…).main()`: the router the class's method returns.
                "call_expression" if super::ts_class_routers::constructed_method(*c, src).is_some() => {
                    super::ts_class_routers::constructed_method(*c, src).unwrap_or_default()
                }
                // `require("./routes")`: the module's default export, as `const r = require(…)` binds it.
                "call_expression" if self.inline_require(*c, src).is_some() => {
                    self.inline_require(*c, src).unwrap_or_default()
                }
                // `require("./routes")(db)`: the router the module's default export builds
                // and returns, as `setup(db)` names the one `setup` returns.
                "call_expression" if c.field("function").is_some_and(|f| self.inline_require(f, src).is_some()) => {
                    let f = c.field("function").and_then(|f| self.inline_require(f, src));
                    format!("{}()", f.unwrap_or_default())
                }
                "call_expression" => {
                    let f = c.field("function");
                    match f.filter(|f| matches!(f.kind_name(), "member_expression" | "identifier")) {
                        Some(f) if f.field("property").is_some_and(|p| query::text(p, src) == "routes") => {
                            f.field("object").map(|o| query::text(o, src).to_string()).unwrap_or_default()
                        }
                        Some(f) => format!("{}()", query::text(f, src)),
                        None => continue,
                    }
                }
                _ => continue,
            };
            self.facts.mounts.push(RawMount {
                parent: parent.into(),
                child: format!("?{child}"),
                prefix: prefix.clone(),
                line,
            });
        }
    }

    /// `require("./routes")` written in place of a router (`app.use("/v1", require("./routes"))`):
    /// a name binding the module's default export, as `const r = require("./routes")` would,
    /// at the line of the specifier (the import link resolution reads it through); `None`
    /// for anything else. The name, `require:<line>:<column>`, cannot clash with a
    /// JavaScript identifier.
    fn inline_require(&mut self, call: Node, src: &[u8]) -> Option<String> {
        let f = call.field("function").filter(|_| call.kind_name() == "call_expression")?;
        if f.kind_name() != "identifier" || query::text(f, src) != "require" {
            return None;
        }
        let spec = call.field("arguments")?.named_child(0).filter(|s| s.kind_name() == "string")?;
        let at = spec.start_position();
        let local = format!("require:{}:{}", at.row + 1, at.column);
        if !self.facts.bindings.iter().any(|b| b.local == local) {
            let line = query::line(spec);
            self.facts.bindings.push(Binding { local: local.clone(), remote: "default".into(), line });
        }
        Some(local)
    }

    /// `fastify.register(AutoLoad, { dir: path.join(__dirname, 'routes'), options: { prefix } })`:
    /// a mount of every plugin file under `dir`, whose prefixes resolution works out from
    /// the files' places (`AUTOLOAD`). `dirNameRoutePrefix: false` turns the directory
    /// prefixes off, `routeParams: true` reads `_id` directories as parameters; a `dir` or
    /// a `dirNameRoutePrefix` that is not a literal is a warning, and nothing is mounted.
    fn autoload_mount(&mut self, parent: &str, options: Option<Node>, src: &[u8], line: u32) {
        let options = options.filter(|o| o.kind_name() == "object");
        let dir = options.and_then(|o| prop(o, "dir", src)).and_then(|d| dirname_path(d, src));
        let names = options.and_then(|o| prop(o, "dirNameRoutePrefix", src)).map(|n| n.kind_name());
        let (Some(dir), None | Some("true" | "false")) = (dir, names) else {
            let why = "fastify-autoload directory (or its dirNameRoutePrefix) not readable statically: the prefixes of the routes it loads are unknown";
            self.facts.notes.push((line, why.into()));
            return;
        };
        let mode = if names == Some("false") {
            "flat"
        } else if options.and_then(|o| prop(o, "routeParams", src)).is_some_and(|p| p.kind_name() == "true") {
            "params"
        } else {
            "dirs"
        };
        let prefix = options
            .and_then(|o| prop(o, "options", src))
            .filter(|o| o.kind_name() == "object")
            .and_then(|o| prop(o, "prefix", src))
            .map(|p| template(p, src))
            .unwrap_or_default();
        let child = format!("{AUTOLOAD}{mode}:{dir}");
        self.facts.mounts.push(RawMount { parent: parent.into(), child, prefix, line });
    }

    /// The Fastify instance a `register(plugin, opts)` is called on: a router this file
    /// defines (`const app = Fastify()`), an app's usual name (the enclosing plugin's
    /// parameter stands for that plugin's router, so a nested `register` keeps the
    /// plugin's own mount prefix). Another object's `register` (`service.register(email,
    /// name)` in an auth plugin) mounts nothing; it used to add a router that hid the
    /// plugin from its `register(plugin, { prefix })`.
    fn fastify_receiver(&mut self, call: Node, recv: &str, src: &[u8], line: u32) -> Option<String> {
        if self.facts.routers.iter().any(|r| r.name == recv) {
            return Some(recv.to_string());
        }
        let last = recv.rsplit('.').next().unwrap_or(recv);
        if !matches!(last, "app" | "fastify" | "instance" | "server") {
            return None;
        }
        Some(self.param_router(call, recv, src, line).unwrap_or_else(|| recv.to_string()))
    }

    /// NestJS `@Controller('p')` on a class and `@Get(':id')` on its methods.
    fn nest(&mut self, name: &str, decorator: Node, args: &[Node], src: &[u8], line: u32) {
        let Some(class) = decorated_class(decorator, src) else { return };
        let path = args.first().map(|a| match prop(*a, "path", src) {
            Some(p) if a.kind_name() == "object" => template(p, src),
            _ => template(*a, src),
        });
        if name == "Controller" {
            let mut prefix = path.unwrap_or_default();
            // `@Controller({ version: '1', path: 'auth' })`: the version, for URI versioning.
            if let Some(v) = args.first().filter(|a| a.kind_name() == "object").and_then(|a| prop(*a, "version", src)) {
                let version = super::ts_nest::versions(v, src);
                prefix.push(Part::Ref(format!("{}{version}", super::ts_nest::CONTROLLER_VERSION)));
            }
            self.facts.routers.push(RawRouter { name: class, framework: "nestjs".into(), prefix, line });
            return;
        }
        let handler = method_of(decorator, src);
        // `@All(['', '*'])`: Nest takes an array of paths, a route each.
        let items = args.first().filter(|a| a.kind_name() == "array").map(|a| named(*a)).unwrap_or_default();
        let paths: Vec<Template> = if items.is_empty() {
            vec![path.unwrap_or_default()]
        } else {
            items.into_iter().map(|i| template(i, src)).collect()
        };
        // `@Version('2')` on the handler replaces its controller's version.
        let version = super::ts_nest::route_version(decorator, src);
        // `@Sse('events')` streams server-sent events: a GET route (Nest's `RequestMethod.GET`).
        let method = match name {
            "All" => "ANY".to_string(),
            "Sse" => "GET".to_string(),
            _ => name.to_ascii_uppercase(),
        };
        for path in paths {
            let path = match &version {
                Some(version) => {
                    let mut p = vec![Part::Ref(format!("{}{version}", super::ts_nest::ROUTE_VERSION))];
                    push_parts(&mut p, path);
                    p
                }
                None => path,
            };
            self.facts.routes.push(RawRoute {
                framework: "nestjs".into(),
                router: class.clone(),
                methods: vec![method.clone()],
                path,
                handler: handler.clone(),
                line,
            });
        }
    }

    /// NestJS `@Module({ controllers: [A], imports: [B, C.forRoot(…), forwardRef(() => D)] })`:
    /// the class names it lists (a dynamic module's `C.forRoot(…)` imports `C` too).
    fn nest_module(&mut self, decorator: Node, args: &[Node], src: &[u8], line: u32) {
        let Some(name) = decorated_class(decorator, src) else { return };
        if self.controllers_said.is_none() {
            let said = memchr::memmem::find_iter(src, b"controllers")
                .filter(|&at| src[at + 11..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b':'))
                .count();
            self.controllers_said = Some(said);
        }
        if args.first().and_then(|o| prop(*o, "controllers", src)).is_some() {
            self.controllers_keys += 1;
        }
        let list = |key: &str, of: fn(Node, &[u8]) -> Option<String>| match args.first() {
            None => Some(Vec::new()),
            Some(o) if o.kind_name() == "object" => match prop(*o, key, src) {
                None => Some(Vec::new()),
                Some(a) if a.kind_name() == "array" => named(a).into_iter().map(|e| of(e, src)).collect(),
                Some(_) => None,
            },
            Some(_) => None,
        };
        let controllers =
            list("controllers", |e, src| (e.kind_name() == "identifier").then(|| query::text(e, src).into()));
        let imports = list("imports", nest_module_ref);
        self.facts.nest_modules.push(RawNestModule { name, controllers, imports, line });
    }

    /// NestJS gRPC: `@GrpcMethod('UserService', 'Login')` (also `@GrpcStreamMethod`,
    /// `@GrpcStreamCall`) on a controller's method serves that one rpc of the proto service;
    /// nestjs-grpc-client's `@InjectGrpcClientService('user_module', 'UserService')` injects
    /// a stub of it. Nest's `createGrpcMethodMetadata` fills what is left out: the rpc is the
    /// method's name with its first letter capitalized (`@GrpcMethod('UserService')` on
    /// `login`), the service the class's name (`@GrpcMethod()`).
    fn nest_grpc(&mut self, name: &str, decorator: Node, args: &[Node], src: &[u8], line: u32) {
        if name == "InjectGrpcClientService" {
            if let Some(service) = args.get(1).and_then(|a| string_value(*a, src)) {
                self.grpc_fact(service, false, None, line);
            }
            return;
        }
        let service = match args.first() {
            Some(a) => string_value(*a, src),
            None => decorated_class(decorator, src),
        };
        let Some(service) = service else { return };
        if !matches!(name, "GrpcMethod" | "GrpcStreamCall" | "GrpcStreamMethod") {
            return self.grpc_fact(service, true, None, line);
        }
        let rpc = match args.get(1) {
            Some(a) => string_value(*a, src),
            None => method_of(decorator, src).map(|m| arch::upper_first(&m)),
        };
        // An rpc named by an expression is not guessed: no endpoint, no implementer.
        if let Some(rpc) = rpc {
            self.grpc_fact(service, true, Some(rpc), line);
        }
    }

    /// A proto service served or called here, once per file, side and rpc (a controller has
    /// one `@GrpcMethod` per rpc).
    fn grpc_fact(&mut self, service: String, server: bool, rpc: Option<String>, line: u32) {
        if !self.facts.grpc.iter().any(|g| g.server == server && g.service == service && g.rpc == rpc) {
            self.facts.grpc.push(RawGrpc { service, server, line, within: None, rpc, constant: None, class: None });
        }
    }

    fn binding(&mut self, kind: &str, caps: &[(&str, Node)], outer: Node, src: &[u8]) {
        let name = cap(caps, "name").map(|n| query::text(n, src).to_string()).unwrap_or_default();
        let alias = cap(caps, "alias").map(|n| query::text(n, src).to_string());
        // `const { Auth, Users: U } = require("./common")`: each name the module's export of its key.
        if let Some(pattern) = cap(caps, "name").filter(|n| n.kind_name() == "object_pattern") {
            for p in named(pattern) {
                let (local, remote) = match p.kind_name() {
                    "shorthand_property_identifier_pattern" => (p, p),
                    "pair_pattern" => match (p.field("value"), p.field("key")) {
                        (Some(v), Some(k))
                            if v.kind_name() == "identifier" && k.kind_name() == "property_identifier" =>
                        {
                            (v, k)
                        }
                        _ => continue,
                    },
                    _ => continue,
                };
                let (local, remote) = (query::text(local, src).to_string(), query::text(remote, src).to_string());
                self.bind(kind, local, remote, outer, src);
            }
            return;
        }
        let (local, remote) = match kind {
            // `const users = require('./users').router`: the module's export `router`.
            "bind.require" if cap(caps, "value").is_some() => {
                (name, cap(caps, "value").map(|v| query::text(v, src).to_string()).unwrap_or_default())
            }
            "bind.default" | "bind.require" => (name, "default".to_string()),
            "bind.namespace" => (name, "*".to_string()),
            _ => (alias.unwrap_or_else(|| name.clone()), name),
        };
        self.bind(kind, local, remote, outer, src);
    }

    /// A name `local` an import (`outer`, of capture `kind`) binds to `remote` of its module.
    fn bind(&mut self, kind: &str, local: String, remote: String, outer: Node, src: &[u8]) {
        // The line of the import's specifier, which is what resolved links carry.
        // A top-level import is the statement holding its specifiers: no descent to find it.
        // (No import statement holds a `require` declarator.)
        let top_import = self.root.as_ref().and_then(|r| r.top(outer)).filter(|t| t.kind_name() == "import_statement");
        let spec = top_import
            .or_else(|| {
                (kind != "bind.require")
                    .then(|| query::ancestors_in(self.root.as_ref(), outer, 6))
                    .and_then(|a| a.into_iter().find(|a| a.kind_name() == "import_statement"))
            })
            .and_then(|s| s.field("source"))
            .or_else(|| {
                (kind == "bind.require")
                    .then(|| {
                        let value = outer.field("value");
                        // `require('./users').router`: the call is the member's object.
                        let value = match value {
                            Some(v) if v.kind_name() == "member_expression" => v.field("object"),
                            v => v,
                        };
                        value.and_then(|v| v.field("arguments")).and_then(|a| a.named_child(0))
                    })
                    .flatten()
            });
        if let Some(spec) = spec {
            let path = string_value(spec, src).unwrap_or_default();
            if project_module(&path) {
                self.relative.push(local.clone());
            }
            if matches!(path.as_str(), "@fastify/autoload" | "fastify-autoload") {
                self.autoload.push(local.clone());
            }
            if path == "http-proxy-middleware" && local != remote && remote.ends_with("reateProxyMiddleware") {
                self.proxy_aliases.push(local.clone());
            }
            let client_package =
                CLIENTS.binary_search(&path.as_str()).is_ok() || REQUEST_PACKAGES.contains(&path.as_str());
            if matches!(remote.as_str(), "default" | "*") && client_package {
                self.client_imports.push(local.clone());
            }
            // SvelteKit's `import { PUBLIC_API_URL } from '$env/static/public'` (or `/private`):
            // the environment variable of that name, as `process.env.PUBLIC_API_URL` reads.
            if kind == "bind.named" && path.starts_with("$env/static/") {
                arch::push_const(
                    &mut self.facts,
                    local.clone(),
                    vec![Part::Env(remote.clone(), None)],
                    query::line(spec),
                );
            }
            self.facts.bindings.push(Binding { local, remote, line: query::line(spec) });
        }
    }

    fn http_call(&mut self, client: &str, method: &str, args: &[Node], src: &[u8], line: u32) {
        let Some(&first) = args.first() else { return };
        // `var options = { uri, method }; request(options, cb)`: the variable's one value.
        let local = local_value(self.root.as_ref(), first, src);
        // `let url; switch (target) { case 'users': url = …; }` then `axios.get(url)`: a
        // request per case (`ts_nest`).
        let direct_cases = match local {
            Some(None) => super::ts_nest::switch_cases(first, src),
            _ => None,
        };
        if local.is_some_and(|v| v.is_none()) && direct_cases.is_none() {
            return;
        }
        let mut wrapper = if local.is_none() { wrapper_param(self.root.as_ref(), first, src) } else { None };
        let first = &local.flatten().unwrap_or(first);
        // `` fetch(`${HOST}${path}${urlQuery}`) `` in `static fetch(path, …)`: the parameter
        // after a constant host, and a query string the function appends, which is no part
        // of the route.
        let query_tail = wrapper.is_none() && ends_with_query(*first, src);
        let mut inner = None;
        if wrapper.is_none() {
            if let Some((f, i, name)) = inner_param(*first, src) {
                wrapper = Some((f, i));
                inner = Some(name);
            }
        }
        // `({ url, method }) => { const run = () => axios[method](url) }`: a property of the
        // object a request hook is given.
        // Only for a receiver `finish` keeps (effect calls `.get(x)` on thousands of maps:
        // the walk up the enclosing functions cost 0.5 % of its scan).
        let last = client.rsplit('.').next().unwrap_or(client);
        let known = matches!(client, "fetch" | "$fetch" | "ofetch")
            || CLIENTS.binary_search(&last).is_ok()
            || self.clients.contains_key(client);
        let mut key = None;
        if wrapper.is_none() && local.is_none() && known {
            if let Some((f, i, k)) = object_param(*first, src) {
                wrapper = Some((f, i));
                key = Some(k);
            }
        }
        // `const metaData = { method: "POST", … }; fetch(url, metaData)`: the options a local
        // of the calling function holds (assigned more than once: any method).
        let local_options = match args.get(1) {
            Some(o) if known && first.kind_name() != "object" && o.kind_name() == "identifier" => {
                local_value(self.root.as_ref(), *o, src)
            }
            _ => None,
        };
        let options = if first.kind_name() == "object" {
            Some(*first)
        } else {
            args.iter()
                .find(|a| a.kind_name() == "object")
                .copied()
                .or(local_options.flatten().filter(|o| o.kind_name() == "object"))
        };
        // `method: request.method`: a method known only at run time is any method (the call
        // links to the service, never to a guessed GET endpoint).
        let opt_method =
            options.and_then(|o| prop(o, "method", src)).map(|m| string_value(m, src).unwrap_or_else(|| "ANY".into()));
        let opt_method = match local_options {
            Some(Some(o)) if o.kind_name() != "object" => Some("ANY".to_string()),
            Some(None) => Some("ANY".to_string()),
            _ => opt_method,
        };
        let in_object = first.kind_name() == "object";
        // `axios.request({ method, url, data })`: a `url` the function sets is read as the
        // direct form `const url = …; axios.get(url)` reads it; one set in each case of a
        // `switch` on a parameter is a request per case (`ts_nest`).
        let mut urls: Vec<(Node, Option<(usize, String)>)> = Vec::new();
        let mut base: Option<Template> = None;
        let direct = direct_cases.is_some();
        if let Some((at, cases)) = direct_cases {
            urls.extend(cases.into_iter().map(|(c, v)| (v, Some((at, c)))));
            if let Some((f, i, name)) = same_inner(&urls, src) {
                wrapper = Some((f, i));
                inner = Some(name);
            } else {
                return;
            }
        } else if let Some(u) = prop(*first, "url", src).or_else(|| prop(*first, "uri", src)) {
            // `axios.request({ method, url, baseURL: process.env.USERS_MS + '/api' })`: the
            // client joins a relative `url` to the base (a wrapper of its `url` parameter
            // keeps the base before it, `inner`).
            if let Some(b) = prop(*first, "baseURL", src).filter(|b| b.kind_name() != "undefined") {
                if u.kind_name() == "shorthand_property_identifier" || u.kind_name() == "identifier" {
                    inner = inner.or_else(|| Some(query::text(u, src).to_string()));
                }
                base = Some(template(b, src));
            }
            // `axios({ method, url: url + queryParams })` inside `forward(req, res, url)`: a
            // wrapper of its `url` parameter (the query string it appends is no part of the route).
            let u = without_query(u, src);
            match local_value(self.root.as_ref(), u, src) {
                Some(Some(v)) => urls.push((v, None)),
                Some(None) => match super::ts_nest::switch_cases(u, src) {
                    Some((at, cases)) => urls.extend(cases.into_iter().map(|(c, v)| (v, Some((at, c))))),
                    None => urls.push((u, None)),
                },
                None => {
                    wrapper = wrapper.or_else(|| wrapper_param(self.root.as_ref(), u, src));
                    urls.push((u, None));
                }
            }
            if wrapper.is_none() {
                if let Some((f, i, name)) = same_inner(&urls, src) {
                    wrapper = Some((f, i));
                    inner = Some(name);
                }
            }
            // Cases that are no wrapper's: which one is taken is not known.
            if urls.iter().any(|(_, c)| c.is_some()) && wrapper.is_none() {
                urls = vec![(u, None)];
            }
        }
        // `fetch(url, options)` inside `function apiRequest(url, options)`: the method is
        // the caller's `options.method`, so the options parameter is recorded.
        let passed_options = (opt_method.is_none() && !in_object && (method.is_empty() || method == "request"))
            .then(|| {
                args.get(1)
                    .filter(|o| o.kind_name() == "identifier")
                    .and_then(|o| wrapper_param(self.root.as_ref(), *o, src))
            })
            .flatten();
        // `{ method }` / `{ method: method }`: a parameter of the wrapper, each caller's argument.
        let method_arg = options
            .and_then(|o| prop(o, "method", src))
            .and_then(|m| wrapper_param(self.root.as_ref(), m, src))
            .filter(|(f, _)| wrapper.as_ref().is_some_and(|(w, _)| w == f))
            .map(|(_, i)| i);
        let opt_method = if method_arg.is_some() { Some("GET".to_string()) } else { opt_method };
        let (url_nodes, method) = if in_object {
            // axios({ url, method })   client.post({ url })
            // npm `request` names it `uri`.
            if urls.is_empty() {
                self.node_options(client, method, *first, opt_method, src, line);
                return;
            }
            let m = if method.is_empty() || method == "request" {
                opt_method.unwrap_or_else(|| "GET".into())
            } else {
                method.to_string()
            };
            (urls, m)
        } else if method.is_empty() || method == "request" {
            // Options from a parameter of a function that is no wrapper: a run-time method.
            let default = if passed_options.is_some() && wrapper.is_none() { "ANY" } else { "GET" };
            let urls = if direct { urls } else { vec![(*first, None)] };
            (urls, opt_method.unwrap_or_else(|| default.into()))
        } else {
            (if direct { urls } else { vec![(*first, None)] }, method.to_string())
        };
        let url_in_object = in_object && !method.is_empty();
        for (node, choice) in url_nodes {
            // Only a file that reads the environment can override a local from it: the
            // scope walk is skipped elsewhere (effect calls `.get(x)` on thousands of maps).
            // `{ method, url, baseURL }`: the shorthand names the wrapper's parameter `url`.
            // Only beside a `baseURL` (session 24): elsewhere a caller's local of that name was
            // taken for an unrelated module's constant `url` (eclipse-theia's requestService).
            let written = match node.kind_name() {
                "shorthand_property_identifier" if base.is_some() => {
                    vec![Part::Ref(query::text(node, src).to_string())]
                }
                _ => template(node, src),
            };
            let url = super::ts_nest::this_path_call(node, src)
                .unwrap_or_else(|| super::ts_nest::this_fields(node, written, src));
            let url = if self.env { env_overrides(*first, url, src) } else { url };
            // `cfg.catalogUrl` of a parameter `cfg`: what the function's callers pass.
            let mut url = if known { param_members(node, url, wrapper.is_none(), src) } else { url };
            if query_tail && inner.is_some() {
                url.pop();
            }
            // Only a URL written as text or a wrapper's parameter: a run-time value after the
            // base would be a guessed path (`{value}` matching any one-segment route).
            if let Some(b) = base.as_ref().filter(|_| wrapper.is_some() || matches!(url.first(), Some(Part::Lit(_)))) {
                url = joined_url(b, url);
            }
            self.candidates.push(Candidate {
                url_in_object,
                client: client.to_string(),
                method: method.to_ascii_uppercase(),
                url,
                line,
                method_param: passed_options
                    .clone()
                    .filter(|(f, _)| wrapper.as_ref().is_some_and(|(w, _)| w == f))
                    .map(|(_, i)| i),
                wrapper: wrapper.clone(),
                method_arg,
                inner: inner.clone(),
                key: key.clone(),
                choice,
                joined: base.is_some(),
            });
        }
    }

    /// An API gateway's proxy forwards requests of any method and path to its target:
    /// `createProxyMiddleware({ target })` (http-proxy-middleware, also its older
    /// `proxy('/api', { target })`), `proxy(host)` (express-http-proxy), `register(plugin,
    /// { upstream })` (@fastify/http-proxy), `proxy.web(req, res, { target })` (http-proxy).
    /// A call of client `proxy`, method `ANY`, which
    /// resolution links to the target's service (`crate::resolve::calls`).
    fn proxy_call(&mut self, client: &str, args: &[Node], src: &[u8], line: u32) {
        let option = |key: &str| args.iter().filter(|a| a.kind_name() == "object").find_map(|o| prop(*o, key, src));
        let target = match client {
            "register" => option("upstream"),
            // http-proxy's `proxy.web(req, res, { target })`.
            "web" | "ws" => args.get(2).and_then(|o| prop(*o, "target", src)),
            "proxy" => option("target").or_else(|| args.first().copied().filter(|a| a.kind_name() != "object")),
            _ => option("target"),
        };
        if let Some(target) = target.filter(|t| t.kind_name() != "object") {
            // `const createProxy = (target, rewrite) => createProxyMiddleware({ target, … })`:
            // a wrapper of its parameter, one proxy per call (`createProxy(TODO_URL, {…})`).
            if let Some(wrapper) = wrapper_param(self.root.as_ref(), target, src) {
                let url = vec![Part::Ref(query::text(target, src).to_string())];
                return self.candidates.push(Candidate {
                    url_in_object: true,
                    client: "proxy".into(),
                    method: "ANY".into(),
                    url,
                    line,
                    wrapper: Some(wrapper),
                    method_param: None,
                    method_arg: None,
                    inner: None,
                    key: None,
                    choice: None,
                    joined: false,
                });
            }
            let url = template(target, src);
            self.facts.calls.push(RawCall { client: "proxy".into(), method: "ANY".into(), url, line });
        } else if let Some(row) = args.first().filter(|_| client != "register").and_then(|a| row_target(*a, src)) {
            let url = param_members(args[0], vec![Part::Ref(row)], false, src);
            self.facts.calls.push(RawCall { client: "proxy".into(), method: "ANY".into(), url, line });
        }
    }

    /// The proxies of a file importing http-proxy-middleware's function under another name
    /// (`import { createProxyMiddleware as cpm }`): each call of that name, read as one of
    /// the function's (the query matches the package's own names only).
    pub fn aliased_proxy_calls(&mut self, root: Node, text: &str) {
        let src = text.as_bytes();
        for local in std::mem::take(&mut self.proxy_aliases) {
            for (i, _) in text.match_indices(local.as_str()) {
                let Some(f) =
                    root.descendant_for_byte_range(i, i + local.len()).filter(|f| f.kind_name() == "identifier")
                else {
                    continue;
                };
                let call = f.parent().filter(|c| c.kind_name() == "call_expression" && c.field("function") == Some(f));
                let Some(args) = call.and_then(|c| c.field("arguments")) else { continue };
                self.proxy_call("createProxyMiddleware", &named(args), src, query::line(f));
            }
        }
    }

    /// A Sequelize model with no `tableName` (`sequelize.define('User', …)`, `Product.init(…,
    /// { sequelize, modelName: 'products' })`): Sequelize names its table after the model
    /// (`modelName`, else the class or `define`'s first argument), as `Model.init` does in
    /// Sequelize 6: the name as is under `freezeTableName: true`, else its plural
    /// ([`sequelize_plural`]), snake-cased under `underscored: true`. A model that says
    /// neither option is named so unless its service's `new Sequelize(…, { define })` sets
    /// them for every model (`resolve::tables`), so its default is recorded for resolution.
    fn sequelize_default(&mut self, define: bool, class: Option<String>, args: &[Node], src: &[u8], line: u32) {
        // Only Sequelize's shapes: `Model.init(attributes, { sequelize, … })`, whose options
        // must name the instance, and `define('Name', attributes, …)` in a file naming
        // Sequelize (`app.init()`, jQuery's `this.define(…)`, `Sentry.init({…})` are not).
        let options = args.get(if define { 2 } else { 1 }).copied().filter(|o| o.kind_name() == "object");
        let shaped = if define {
            self.sequelize
                && args.first().is_some_and(|a| string_value(*a, src).is_some())
                && args.get(1).is_some_and(|a| a.kind_name() == "object")
        } else {
            args.first().is_some_and(|a| a.kind_name() == "object")
                && options.and_then(|o| prop(o, "sequelize", src)).is_some()
        };
        if !shaped {
            return;
        }
        let flag = |key: &str| options.and_then(|o| prop(o, key, src)).map(|v| v.kind_name() == "true");
        let model = options.and_then(|o| prop(o, "modelName", src)).and_then(|m| string_value(m, src));
        let Some(model) = model
            .or_else(|| class.clone())
            .filter(|m| !m.is_empty() && m.chars().all(|c| c.is_alphanumeric() || c == '_'))
        else {
            return;
        };
        let (freeze, underscored) = (flag("freezeTableName"), flag("underscored"));
        let name = match (freeze, underscored) {
            (Some(true), _) => model.clone(),
            (_, Some(true)) => snake_case(&sequelize_plural(&model)),
            _ => sequelize_plural(&model),
        };
        if freeze.is_none() && underscored.is_none() {
            self.facts.sequelize_models.push((self.facts.tables.len(), model));
        }
        self.facts.tables.push(RawTable { orm: "sequelize".into(), name: Some(name), class_name: class, line });
    }

    /// Node's `http.request({ hostname, port, path, method })` and `https.get(options)`:
    /// the URL is put together from the options object.
    fn node_options(&mut self, client: &str, method: &str, options: Node, m: Option<String>, src: &[u8], line: u32) {
        let last = client.rsplit('.').next().unwrap_or(client);
        let Some(host) = prop(options, "hostname", src).or_else(|| prop(options, "host", src)) else { return };
        if !matches!(last, "http" | "https") {
            return;
        }
        let https = last == "https"
            || prop(options, "protocol", src).and_then(|p| string_value(p, src)).is_some_and(|p| p == "https:");
        let mut url = lit(if https { "https://" } else { "http://" });
        push_parts(&mut url, template(host, src));
        if let Some(port) = prop(options, "port", src) {
            push_parts(&mut url, lit(":"));
            let port = if port.kind_name() == "number" { lit(query::text(port, src)) } else { template(port, src) };
            push_parts(&mut url, port);
        }
        push_parts(&mut url, prop(options, "path", src).map_or_else(|| lit("/"), |p| template(p, src)));
        let method = if method == "get" { "GET".to_string() } else { m.unwrap_or_else(|| "GET".into()) };
        self.candidates.push(Candidate {
            url_in_object: false,
            client: client.to_string(),
            method: method.to_ascii_uppercase(),
            url,
            line,
            wrapper: None,
            method_param: None,
            method_arg: None,
            inner: None,
            key: None,
            choice: None,
            joined: false,
        });
    }

    /// amqplib's server-named queue (`const q = await ch.assertQueue('', { exclusive: true })`,
    /// the queue the broker names, private to this consumer) written as `q.queue`, when the
    /// same function binds it to exchanges (`ch.bindQueue(q.queue, EXCHANGE, key)`): those
    /// exchanges, whose messages the consumer of the queue takes. Such a consumer consumes
    /// the exchange (issue #3, cause J of the twentieth blind sample). When the binding's key
    /// is a parameter of the named function around (`consumeEvent(routingKey, cb)`), the
    /// queue is bound only where that function is called: also the function and the index
    /// of that parameter (a `RawQueueParam` of a queue whose name is no parameter, which
    /// resolution reads as "consumed at the function's calls").
    #[allow(clippy::type_complexity)]
    fn server_named(&self, arg: Node, src: &[u8]) -> Option<(Vec<Template>, Option<(String, usize)>)> {
        let (object, property) = (arg.field("object")?, arg.field("property")?);
        if arg.kind_name() != "member_expression"
            || object.kind_name() != "identifier"
            || query::text(property, src) != "queue"
        {
            return None;
        }
        let local = query::text(object, src);
        let func = query::ancestors_in(self.root.as_ref(), arg, 48)
            .into_iter()
            .find(|a| FUNCTIONS.contains(&a.kind_name()))?;
        let mut declared = false;
        let mut exchanges = Vec::new();
        let mut keys: Vec<Node> = Vec::new();
        let mut stack = vec![func];
        while let Some(n) = stack.pop() {
            match n.kind_name() {
                "variable_declarator" if n.field("name").is_some_and(|x| query::text(x, src) == local) => {
                    let mut value = n.field("value");
                    while let Some(v) = value.filter(|v| v.kind_name() == "await_expression") {
                        value = v.named_child(0);
                    }
                    let call = value.filter(|v| v.kind_name() == "call_expression");
                    let method = call.and_then(|c| c.field("function")).and_then(|f| f.field("property"));
                    let first = call.and_then(|c| c.field("arguments")).and_then(|a| a.named_child(0));
                    declared = method.is_some_and(|m| query::text(m, src) == "assertQueue")
                        && first.is_some_and(|a| string_value(a, src).is_some_and(|v| v.is_empty()));
                }
                "call_expression" => {
                    let f = n.field("function");
                    let method = f.and_then(|f| f.field("property")).map(|p| query::text(p, src));
                    let args: Vec<Node> = n.field("arguments").map(named).unwrap_or_default();
                    if method == Some("bindQueue")
                        && args.first().is_some_and(|a| query::text(*a, src) == query::text(arg, src))
                    {
                        if let Some(e) = args.get(1) {
                            exchanges.push(local_const(*e, src).map_or_else(|| template(*e, src), |v| lit(&v)));
                        }
                        keys.extend(args.get(2).copied());
                    }
                }
                _ => {}
            }
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor));
        }
        if !declared || exchanges.is_empty() {
            return None;
        }
        // The key a parameter of the function gives: its index among the parameters.
        let params: Vec<Node> = func.field("parameters").map(named).unwrap_or_default();
        let index = |k: &Node| {
            (k.kind_name() == "identifier")
                .then(|| {
                    params
                        .iter()
                        .position(|p| param_ident(*p).is_some_and(|i| query::text(i, src) == query::text(*k, src)))
                })
                .flatten()
        };
        // A function the file calls itself (`consumeEvent('x', cb)` beside it) is reached.
        let by_key = match keys.first().and_then(index) {
            Some(i) => {
                let name = function_name(func, src)?;
                let text = std::str::from_utf8(src).unwrap_or("");
                let needle = format!("{name}(");
                let calls = text.match_indices(&needle).filter(|(at, _)| {
                    let before = &text[..*at];
                    !before.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$' || c == '.')
                        && !before.trim_end().ends_with("function")
                });
                (calls.count() == 0).then_some((name, i))
            }
            None => None,
        };
        Some((exchanges, by_key))
    }

    fn queue(&mut self, obj: &str, method: &str, args: &[Node], src: &[u8], line: u32) {
        let arg = |i: usize| args.get(i).map(|a| local_const(*a, src).map_or_else(|| template(*a, src), |v| lit(&v)));
        if self.mqtt_op(obj, method, args, src) {
            for (name, access) in mqtt_topics(method, args, src) {
                if !name.is_empty() && arch::literal_of(&name).is_none_or(|s| !s.is_empty()) {
                    self.facts.queues.push(RawQueue::mqtt(name, access, line));
                }
            }
            return;
        }
        let given = |t: &Template| !t.is_empty() && arch::literal_of(t).is_none_or(|s| !s.is_empty());
        if self.amqp {
            // amqplib routes as pika does: `publish(exchange, key, msg)` lands in the queues
            // `bindQueue(queue, exchange, pattern)` binds, by `assertExchange(name, type)`.
            match method {
                "publish" => {
                    if let Some(exchange) = arg(0).filter(given) {
                        let key = Some(arg(1).unwrap_or_default());
                        self.facts.queues.push(RawQueue {
                            broker: "rabbitmq".into(),
                            name: exchange,
                            access: Access::Write,
                            line,
                            key,
                            rpc: false,
                        });
                        return;
                    }
                }
                // A server-named queue's binding is its consumer's own: the consume says it.
                "bindQueue" if args.first().is_some_and(|a| self.server_named(*a, src).is_some()) => return,
                "consume" => {
                    if let Some((exchanges, by_key)) = args.first().and_then(|a| self.server_named(*a, src)) {
                        for name in exchanges.into_iter().filter(given) {
                            if let Some((function, param)) = &by_key {
                                let (function, param) = (function.clone(), *param);
                                let queue = self.facts.queues.len();
                                self.facts.queue_params.push(RawQueueParam { queue, function, param });
                            }
                            self.facts.queues.push(RawQueue {
                                broker: "rabbitmq".into(),
                                name,
                                access: Access::Read,
                                line,
                                key: None,
                                rpc: false,
                            });
                        }
                        return;
                    }
                }
                "bindQueue" => {
                    if let (Some(queue), Some(exchange)) = (arg(0).filter(given), arg(1).filter(given)) {
                        let key = arg(2);
                        self.facts.amqp.push(RawAmqp { exchange, queue: Some(queue), key, kind: None, line });
                    }
                    return;
                }
                "assertExchange" => {
                    if let Some(exchange) = arg(0).filter(given) {
                        let kind = args.get(1).and_then(|k| string_value(*k, src)).map(|k| k.to_ascii_lowercase());
                        self.facts.amqp.push(RawAmqp { exchange, queue: None, key: None, kind, line });
                    }
                    return;
                }
                _ => {}
            }
        }
        // NATS: `nc.publish('orders', data)`, `stan.subscribe(this.subject, group, opts)`,
        // `nc.request('users.get', data)`
        // (a callback or an options object first is another library's, and so is a lone
        // name: `publisher.publish(data)` of a wrapper class, `obs.subscribe(observer)`).
        let subject =
            |a: &Node| subject_like(*a) && (args.len() > 1 || matches!(a.kind_name(), "string" | "template_string"));
        if let Some(&first) = args.first().filter(|a| self.nats && subject(a)) {
            // `nc.request('users.get', data)` awaits a subscriber's reply (`rpc`).
            if matches!(method, "publish" | "subscribe" | "request") {
                let access = if method == "subscribe" { Access::Read } else { Access::Write };
                let name = arg(0).unwrap_or_default();
                // A subscription may answer a request (`msg.respond(…)`).
                let rpc = method != "publish";
                self.facts.queues.push(RawQueue { broker: "nats".into(), name, access, line, key: None, rpc });
                return self.queue_field(self.facts.queues.len() - 1, first, src);
            }
        }
        // amqplib in an abstract base class: `this.channel.sendToQueue(this.subject, …)`,
        // `this.channel.consume(this.subject, (msg) => …)`: the queue is the class's field,
        // which each subclass sets (`queue_field`). A `consume` in a file that does not name
        // amqp takes a callback second, as amqplib's does.
        let this_field = args.first().filter(|a| {
            a.kind_name() == "member_expression" && a.field("object").is_some_and(|o| o.kind_name() == "this")
        });
        if let (Some(&first), "sendToQueue" | "consume") = (this_field, method) {
            let callback = args
                .get(1)
                .is_some_and(|c| matches!(c.kind_name(), "arrow_function" | "function_expression" | "function"));
            if method == "sendToQueue" || self.amqp || callback {
                let access = if method == "consume" { Access::Read } else { Access::Write };
                let name = arg(0).unwrap_or_default();
                self.facts.queues.push(RawQueue {
                    broker: "rabbitmq".into(),
                    name,
                    access,
                    line,
                    key: None,
                    rpc: false,
                });
                return self.queue_field(self.facts.queues.len() - 1, first, src);
            }
        }
        let before = self.facts.queues.len();
        let mut push = |broker: &str, name: Option<Template>, access: Access| {
            if let Some(name) = name.filter(|n| !n.is_empty() && arch::literal_of(n).is_none_or(|s| !s.is_empty())) {
                self.facts.queues.push(RawQueue { broker: broker.into(), name, access, line, key: None, rpc: false });
            }
        };
        let object = args.first().filter(|a| a.kind_name() == "object").copied();
        let key = |k: &str| object.and_then(|o| prop(o, k, src)).map(|t| template(t, src));
        // An AWS SDK command's queue named by a parameter of the method around
        // (`publish(Name: Topic) { … new CreateTopicCommand({ Name }) }`): its callers name it.
        let aws_key = match method {
            "sendMessage" | "sendMessageBatch" | "SendMessageCommand" | "SendMessageBatchCommand" => "QueueUrl",
            "receiveMessage" | "ReceiveMessageCommand" => "QueueUrl",
            "PublishCommand" | "PublishBatchCommand" => "TopicArn",
            "CreateTopicCommand" => "Name",
            _ => "",
        };
        let aws_value = object.filter(|_| !aws_key.is_empty()).and_then(|o| prop(o, aws_key, src));
        match method {
            "sendMessage" | "sendMessageBatch" | "SendMessageCommand" | "SendMessageBatchCommand" => {
                push("sqs", key("QueueUrl"), Access::Write);
            }
            "receiveMessage" | "ReceiveMessageCommand" => push("sqs", key("QueueUrl"), Access::Read),
            "PublishCommand" | "PublishBatchCommand" => push("sns", key("TopicArn"), Access::Write),
            // `new CreateTopicCommand({ Name })` in a module that publishes (`PublishCommand`):
            // the topic whose ARN the publish is given, named here.
            "CreateTopicCommand" if memchr::memmem::find(src, b"PublishCommand(").is_some() => {
                push("sns", key("Name"), Access::Write);
            }
            "publish" if key("TopicArn").is_some() => push("sns", key("TopicArn"), Access::Write),
            "sendToQueue" => push("rabbitmq", arg(0), Access::Write),
            "consume" if self.amqp => push("rabbitmq", arg(0), Access::Read),
            // The default exchange `''` delivers to the queue the key names.
            "publish" if self.amqp => push("rabbitmq", arg(1), Access::Write),
            "publish" if self.redis && object.is_none() => push("redis", arg(0), Access::Write),
            "send" if self.kafka => {
                if let Some(o) = object {
                    push("kafka", prop(o, "topic", src).map(|t| template(t, src)), Access::Write);
                }
                // kafka-node: `producer.send([{ topic, messages }], cb)`, the array inline or a
                // local variable holding it.
                for t in args.first().map(|a| kafka_topics(*a, false, src)).unwrap_or_default() {
                    push("kafka", Some(t), Access::Write);
                }
            }
            // kafka-node: `new Consumer(client, [{ topic }])`, `new ConsumerGroup(options, ['t'])`.
            "Consumer" | "ConsumerGroup" | "ConsumerGroupStream" | "ConsumerStream" | "HighLevelConsumer"
                if self.kafka_node =>
            {
                for t in args.get(1).map(|a| kafka_topics(*a, true, src)).unwrap_or_default() {
                    push("kafka", Some(t), Access::Read);
                }
            }
            "subscribe" if self.kafka && object.is_some() => {
                let o = object.expect("checked");
                if let Some(t) = prop(o, "topic", src) {
                    push("kafka", Some(template(t, src)), Access::Read);
                }
                for t in prop(o, "topics", src).map(named).unwrap_or_default() {
                    push("kafka", Some(template(t, src)), Access::Read);
                }
            }
            "subscribe" if self.redis && object.is_none() => push("redis", arg(0), Access::Read),
            // Redis Streams: `xadd(key, '*', …)` appends to the stream `key`; ioredis's
            // `xread(…, 'STREAMS', k1, k2, id1, id2)` and `xreadgroup('GROUP', g, c, …,
            // 'STREAMS', key, '>')`, node-redis's `xRead({ key, id })` and `xReadGroup(g, c,
            // [{ key, id }])` read the streams they name.
            "xadd" | "xAdd" if self.redis => push("redis", arg(0), Access::Write),
            "xread" | "xreadgroup" | "xRead" | "xReadGroup" if self.redis => {
                for key in stream_keys(args, src) {
                    let name = local_const(key, src).map_or_else(|| template(key, src), |v| lit(&v));
                    push("redis", Some(name), Access::Read);
                }
            }
            _ => {}
        }
        // `publish(channel, …)`/`subscribe(channel)` of a wrapper taking the channel
        // (`lang/ts_replies.rs`): its callers name it.
        let redis = self.facts.queues.len() == before + 1 && self.facts.queues[before].broker == "redis";
        if let (Some(&first), true, "publish" | "subscribe") = (args.first(), redis, method) {
            self.redis_param(before, first, method, src);
        }
        if let (Some(value), true) = (aws_value, self.facts.queues.len() == before + 1) {
            self.queue_method_param(before, value, src);
        }
        // kafkajs `send({ topic: `kafka-${evetName}` })` in `kafkaProducer(evetName, …)`.
        let topic = object.and_then(|o| prop(o, "topic", src)).filter(|_| self.kafka);
        if let (Some(topic), true) = (topic, self.facts.queues.len() == before + 1) {
            self.template_param(before, topic, src);
            // `send({ topic, messages })` in `publish(topic, …)`: the callers name it.
            self.queue_method_param(before, topic, src);
            // `send({ topic: event.eventType })` in `publish(event: BaseDomainEvent)`.
            self.queue_param_field(before, topic, src);
        }
    }

    /// A queue named by a field of a parameter typed as a class (`async publish(event:
    /// BaseDomainEvent) { await producer.send({ topic: event.eventType, … }) }`): the
    /// subclasses of that class that set the field (`class ItemAddedEvent extends
    /// BaseDomainEvent { readonly eventType = 'cart.item_added' }`, [`class_fields`]) name
    /// it, each one queue of this call (`resolve::calls::field_queues`). Only a parameter of
    /// the innermost function around that binds the name, typed by a plain type name.
    fn queue_param_field(&mut self, queue: usize, name: Node, src: &[u8]) {
        if name.kind_name() != "member_expression" {
            return;
        }
        let (Some(obj), Some(field)) = (name.field("object"), name.field("property")) else { return };
        if obj.kind_name() != "identifier" || field.kind_name() != "property_identifier" {
            return;
        }
        let ident = query::text(obj, src);
        let binds = |p: &Node| param_ident(*p).is_some_and(|i| query::text(i, src) == ident);
        let Some(param) = query::ancestors_in(self.root.as_ref(), name, 48)
            .into_iter()
            .filter(|a| FUNCTIONS.contains(&a.kind_name()))
            .find_map(|f| f.field("parameters").map(named).unwrap_or_default().into_iter().find(binds))
        else {
            return;
        };
        let Some(ty) =
            param.field("type").and_then(|t| t.named_child(0)).filter(|t| t.kind_name() == "type_identifier")
        else {
            return;
        };
        let field = query::text(field, src).to_string();
        self.facts.queues[queue].name = vec![Part::Param(field.clone())];
        let class = query::text(ty, src).to_string();
        self.facts.queue_fields.push(RawQueueField { queue, class, field, method: String::new(), param: true });
    }

    /// A queue named by a template with a parameter of the named function around it
    /// (`` `kafka-${evetName}` `` in `const kafkaProducer = async (evetName, data) => …`): the
    /// parameter's part becomes a `Param` and the function and the parameter's index are
    /// recorded (`RawQueueParam`), so that resolution names the queue once per literal its
    /// callers pass (`kafkaProducer('fromProfile:result', …)`: `kafka-fromProfile:result`),
    /// and a caller passing none leaves a diagnostic, not a queue named `kafka-{evetName}`
    /// (issue #3, cause 3 of the twenty-fourth blind sample). Only a template with one
    /// substitution that is such a parameter, and text before it (a parameter first is
    /// already no queue: `queue_edge`).
    fn template_param(&mut self, queue: usize, topic: Node, src: &[u8]) {
        if topic.kind_name() != "template_string" {
            return;
        }
        let subs: Vec<Node> = named(topic)
            .into_iter()
            .filter(|c| c.kind_name() == "template_substitution")
            .filter_map(|c| c.named_child(0))
            .collect();
        let [sub] = subs.as_slice() else { return };
        if sub.kind_name() != "identifier" {
            return;
        }
        let ident = query::text(*sub, src);
        // The innermost function around taking the parameter (the send may sit in a
        // callback of it: `new Promise(async (resolve) => { … })`).
        let Some((func, param)) = self.enclosing_param(topic, ident, src) else { return };
        let Some(function) = function_name(func, src) else { return };
        let name = &mut self.facts.queues[queue].name;
        let at: Vec<usize> =
            name.iter().enumerate().filter(|(_, p)| matches!(p, Part::Ref(r) if r == ident)).map(|(i, _)| i).collect();
        let ([at], true) = (at.as_slice(), name.first().is_some_and(|p| matches!(p, Part::Lit(_)))) else { return };
        name[*at] = Part::Param(ident.to_string());
        self.facts.queue_params.push(RawQueueParam { queue, function, param });
    }

    /// The innermost function around `node` with a parameter named `ident`, and that
    /// parameter's index.
    fn enclosing_param(&self, node: Node<'t>, ident: &str, src: &[u8]) -> Option<(Node<'t>, usize)> {
        let position = |func: &Node| {
            let params: Vec<Node> = func.field("parameters").map(named).unwrap_or_default();
            params.iter().position(|p| param_ident(*p).is_some_and(|i| query::text(i, src) == ident))
        };
        query::ancestors_in(self.root.as_ref(), node, 48)
            .into_iter()
            .filter(|a| FUNCTIONS.contains(&a.kind_name()))
            .find_map(|f| position(&f).map(|i| (f, i)))
    }

    /// A queue named by a parameter of the method or function around (`async publish(Name:
    /// Topic) { … new CreateTopicCommand({ Name }) … }`): its name becomes the parameter and
    /// the function is recorded (`RawQueueParam`) for its callers to name it, a class's method
    /// as `Class.method`, the name calls through a typed field give it (`lang/ts_methods.rs`).
    fn queue_method_param(&mut self, queue: usize, value: Node, src: &[u8]) {
        if !matches!(value.kind_name(), "identifier" | "shorthand_property_identifier") {
            return;
        }
        let ident = query::text(value, src);
        let Some((func, param)) = self.enclosing_param(value, ident, src) else { return };
        let Some(function) = super::ts_methods::method_key(func, src).or_else(|| function_name(func, src)) else {
            return;
        };
        self.facts.queues[queue].name = vec![Part::Param(ident.to_string())];
        self.facts.queue_params.push(RawQueueParam { queue, function, param });
    }

    /// A Redis channel named by a parameter of the function around (`redisPubSub(channel,
    /// payload)`): named by the callers ([`Collector::queue_method_param`]), and a request
    /// awaiting a reply, or a subscription answering one, when the function pairs it with
    /// a reply channel made of the parameter (`lang/ts_replies.rs`).
    fn redis_param(&mut self, queue: usize, arg: Node, method: &str, src: &[u8]) {
        if arg.kind_name() != "identifier" {
            return;
        }
        let ident = query::text(arg, src);
        let Some((func, _)) = self.enclosing_param(arg, ident, src) else { return };
        let before = self.facts.queue_params.len();
        self.queue_method_param(queue, arg, src);
        if self.facts.queue_params.len() == before {
            return;
        }
        // The program, the last of the ancestors.
        let Some(root) = query::ancestors_in(self.root.as_ref(), func, usize::MAX).pop() else { return };
        let lines = super::ts_replies::reply_half(root, func, ident, method, src);
        if !lines.is_empty() {
            self.facts.queues[queue].rpc = true;
            self.reply_lines.extend(lines);
        }
    }

    /// Drops the queue facts of the reply halves of Redis request/reply wrappers
    /// (`reply_lines`), keeping the indices other facts hold of the rest.
    fn drop_reply_queues(&mut self) {
        let facts = &mut self.facts;
        let gone = |q: &RawQueue| q.broker == "redis" && self.reply_lines.contains(&q.line);
        let mut index: Vec<Option<usize>> = Vec::with_capacity(facts.queues.len());
        let mut kept = 0;
        for q in &facts.queues {
            index.push((!gone(q)).then(|| {
                kept += 1;
                kept - 1
            }));
        }
        facts.queues.retain(|q| !gone(q));
        facts.queue_params.retain_mut(|p| index[p.queue].map(|k| p.queue = k).is_some());
        facts.queue_fields.retain_mut(|f| index[f.queue].map(|k| f.queue = k).is_some());
    }

    /// An MQTT client's `publish`/`subscribe` (mqtt.js, async-mqtt): in a file naming MQTT,
    /// on a receiver; in a file naming another broker too, only on a receiver named for MQTT
    /// (`mqttClient.publish`); never an SNS `publish({ TopicArn })`.
    fn mqtt_op(&self, obj: &str, method: &str, args: &[Node], src: &[u8]) -> bool {
        if !self.mqtt || obj.is_empty() || !matches!(method, "publish" | "subscribe") {
            return false;
        }
        let Some(first) = args.first() else { return false };
        if first.kind_name() == "object" && (method == "publish" || prop(*first, "TopicArn", src).is_some()) {
            return false;
        }
        !(self.redis || self.kafka || self.nats || self.amqp || self.pubsub)
            || obj.to_ascii_lowercase().contains("mqtt")
    }

    /// A queue named by a field of the class around it (`this.subject`, in `abstract class
    /// Publisher { abstract subject: …; publish() { this.client.publish(this.subject, …) } }`):
    /// the subclasses that set the field name it ([`class_fields`]).
    fn queue_field(&mut self, queue: usize, name: Node, src: &[u8]) {
        if name.kind_name() != "member_expression" || name.field("object").is_none_or(|o| o.kind_name() != "this") {
            return;
        }
        let Some(field) = name.field("property").map(|p| query::text(p, src).to_string()) else {
            return;
        };
        let class = query::ancestors_in(self.root.as_ref(), name, 64)
            .into_iter()
            .find(|a| matches!(a.kind_name(), "class_declaration" | "abstract_class_declaration" | "class"))
            .and_then(|c| c.field("name"));
        if let Some(class) = class {
            let class = query::text(class, src).to_string();
            // A method, or a field holding a function (`publish = async (data) => …`).
            let method = query::ancestors_in(self.root.as_ref(), name, 64)
                .into_iter()
                .find(|a| matches!(a.kind_name(), "method_definition" | "public_field_definition" | "field_definition"))
                .and_then(|m| m.field("name").or_else(|| m.field("property")))
                .map_or_else(String::new, |m| query::text(m, src).to_string());
            self.facts.queues[queue].name = vec![Part::Param(field.clone())];
            self.facts.queue_fields.push(RawQueueField { queue, class, field, method, param: false });
        }
    }

    /// NestJS microservices: `this.client.emit('topic', data)` / `.send('pattern', data)` on
    /// a field typed as a NestJS client (`ClientKafka`, `ClientProxy`…) publishes, an
    /// `@EventPattern('topic')` / `@MessagePattern('pattern')` handler consumes. The broker
    /// is `nestjs` until resolution reads the service's transport. The pattern is text, a
    /// constant or a string `enum` member (`Events.USER_CREATED`, read in resolution), or
    /// Nest's `{ cmd: X }` object ([`nest_pattern`]). Whether the match was one of these
    /// (else it is another library's `send`).
    fn nest_message(&mut self, method: &str, call: Node, args: &[Node], src: &[u8], line: u32) -> bool {
        let access = match method {
            "EventPattern" | "MessagePattern" => Access::Read,
            "emit" | "send" if nest_client(call, src) => Access::Write,
            _ => return false,
        };
        // Nest wires message handlers on controllers only: a handler of an `@Injectable()`
        // provider never receives a message.
        if access == Access::Read {
            let class = query::ancestors_in(self.root.as_ref(), call, 64)
                .into_iter()
                .find(|a| matches!(a.kind_name(), "class_declaration" | "abstract_class_declaration" | "class"));
            let controller = |c: Node| {
                let holders = [Some(c), c.parent().filter(|p| p.kind_name() == "export_statement")];
                holders
                    .into_iter()
                    .flatten()
                    .flat_map(named)
                    .any(|d| d.kind_name() == "decorator" && query::text(d, src).starts_with("@Controller"))
            };
            if class.is_some_and(|c| super::ts_nest::injectable(c, src) && !controller(c)) {
                let why = format!("`@{method}` on a method of an `@Injectable()` provider: Nest wires message handlers on controllers only, not reported as a consumer");
                self.facts.notes.push((line, why));
                return true;
            }
        }
        if let Some(name) = args.first().and_then(|a| nest_pattern(*a, src)) {
            // `send` awaits the reply a `@MessagePattern` handler returns; `emit` and
            // `@EventPattern` are events (no reply).
            let rpc = matches!(method, "send" | "MessagePattern");
            self.facts.queues.push(RawQueue { broker: "nestjs".into(), name, access, line, key: None, rpc });
        }
        true
    }

    /// `this.fetch(url, init)` in a class whose constructor takes a parameter named
    /// `fetch` (SvelteKit hands its `fetch` to load functions, and services keep it:
    /// `constructor(fetch: typeof fetch) { super(fetch) }`): a `fetch` call.
    pub fn injected_fetch_calls(&mut self, root: Node, text: &str) {
        let src = text.as_bytes();
        for (i, w) in text.match_indices("this.fetch(") {
            let Some(member) = root.descendant_for_byte_range(i, i + w.len() - 1) else { continue };
            let Some(call) = member.parent().filter(|c| c.kind_name() == "call_expression") else { continue };
            if member.kind_name() != "member_expression" || !takes_fetch(call, src) {
                continue;
            }
            let args = call.field("arguments").map(named).unwrap_or_default();
            self.http_call("fetch", "", &args, src, query::line(call));
        }
    }

    /// `axios[method](url, body)`, found by text (no query pattern: see `ts_shapes`): the
    /// method a string names, each caller's `method` when it is a request hook's object
    /// property (`useRequest({ url, method })`), else any method.
    pub fn computed_method_calls(&mut self, root: Node, text: &str) {
        let src = text.as_bytes();
        for (i, w) in text.match_indices("axios[") {
            let Some(sub) = root.descendant_for_byte_range(i, i + w.len()) else { continue };
            let call = sub.parent().filter(|c| c.kind_name() == "call_expression");
            let (Some(call), Some(index)) = (call, sub.field("index")) else { continue };
            if sub.kind_name() != "subscript_expression" || call.field("function") != Some(sub) {
                continue;
            }
            let args = call.field("arguments").map(named).unwrap_or_default();
            let named_method = string_value(index, src).and_then(|m| http_method(&m)).filter(|m| m != "ANY");
            let before = self.candidates.len();
            self.http_call(
                "axios",
                &named_method.clone().unwrap_or_else(|| "get".into()),
                &args,
                src,
                query::line(call),
            );
            let Some(c) = self.candidates.get_mut(before) else { continue };
            if named_method.is_none() {
                c.method = "ANY".into();
                let hook = object_param(index, src).filter(|(_, _, k)| k == "method");
                if let (Some((f, i, _)), Some((w, j))) = (hook, &c.wrapper) {
                    if f == *w && i == *j && c.key.is_some() {
                        c.method_param = Some(i);
                    }
                }
            }
        }
    }

    /// Module-level functions that return an HTTP client (`const buildClient = ({ req }) =>
    /// cond ? axios.create({ baseURL: A }) : axios.create({ baseURL: B })`, `function api() {
    /// return axios.create(…) }`, `export default () => axios.create(…)`): a client named
    /// `buildClient()` for each base they may return (`default()` for the module's default),
    /// which a caller's `const client = buildClient(ctx)` then holds. A function with any
    /// other return is no factory. Only asked for files whose text has `.create(` or `.extend(`.
    pub fn client_factories(&mut self, root: Node, src: &[u8]) {
        // Only a module that imports a client package can create one: most files
        // with `.create(` (effect's `Schema.create`) are not looked at.
        if self.client_imports.is_empty() {
            return;
        }
        for top in named(root) {
            let (decl, exported_default) = match top.kind_name() {
                "export_statement" => match top.field("declaration") {
                    Some(d) => (d, false),
                    None => match top.field("value") {
                        Some(v) => (v, true),
                        None => continue,
                    },
                },
                _ => (top, false),
            };
            let functions: Vec<(String, Node)> = match decl.kind_name() {
                "function_declaration" => {
                    decl.field("name").map(|n| (query::text(n, src).to_string(), decl)).into_iter().collect()
                }
                "lexical_declaration" | "variable_declaration" => named(decl)
                    .into_iter()
                    .filter_map(|d| {
                        let name = d.field("name").filter(|n| n.kind_name() == "identifier")?;
                        Some((query::text(name, src).to_string(), d.field("value")?))
                    })
                    .collect(),
                "arrow_function" | "function_expression" | "function" if exported_default => {
                    vec![("default".to_string(), decl)]
                }
                _ => Vec::new(),
            };
            for (name, func) in functions {
                if !matches!(
                    func.kind_name(),
                    "arrow_function" | "function_expression" | "function" | "function_declaration"
                ) {
                    continue;
                }
                let Some(body) = func.field("body") else { continue };
                let returned = if body.kind_name() == "statement_block" { returns(body) } else { vec![body] };
                let mut bases = Vec::new();
                if returned.is_empty() || !returned.into_iter().all(|r| self.created_bases(r, src, &mut bases)) {
                    continue;
                }
                for (base, line) in bases {
                    self.facts.clients.push(RawClient { name: format!("{name}()"), base, line });
                }
            }
        }
    }

    /// The bases of the clients an expression gives (`axios.create(…)`, a ternary of two,
    /// a client variable of the file); false when it may give anything else.
    fn created_bases(&self, e: Node, src: &[u8], out: &mut Vec<(Template, u32)>) -> bool {
        match e.kind_name() {
            "parenthesized_expression" | "await_expression" => {
                e.named_child(0).is_some_and(|inner| self.created_bases(inner, src, out))
            }
            "ternary_expression" => {
                let (Some(a), Some(b)) = (e.field("consequence"), e.field("alternative")) else {
                    return false;
                };
                self.created_bases(a, src, out) && self.created_bases(b, src, out)
            }
            "identifier" => match self.clients.get(query::text(e, src)) {
                Some(base) => {
                    out.push((base.clone(), query::line(e)));
                    true
                }
                None => false,
            },
            "call_expression" => {
                let Some(f) = e.field("function").filter(|f| f.kind_name() == "member_expression") else {
                    return false;
                };
                let (Some(o), Some(p)) = (f.field("object"), f.field("property")) else {
                    return false;
                };
                let o = query::text(o, src);
                let client = matches!(o, "axios" | "got" | "ky") || self.client_imports.iter().any(|c| c == o);
                if !client || !matches!(query::text(p, src), "create" | "extend") {
                    return false;
                }
                let args = e.field("arguments").map(named).unwrap_or_default();
                out.push((client_base(&args, src), query::line(e)));
                true
            }
            _ => false,
        }
    }

    /// `const rp = require("request-promise"); rp(url, { method: "POST" })`: a call of a
    /// client package's default import under a name the query does not know
    /// (`ts_natives::HTTP_CLIENTS`) is a call of that client, read as `request(…)` is.
    pub fn aliased_client_calls(&mut self, root: Node, src: &[u8]) {
        let aliases: Vec<String> = self
            .client_imports
            .iter()
            .filter(|c| !super::ts_natives::HTTP_CLIENTS.contains(&c.as_str()))
            .cloned()
            .collect();
        let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'.';
        for name in aliases {
            let called = format!("{name}(");
            for at in memchr::memmem::find_iter(src, called.as_bytes()) {
                if at > 0 && ident(src[at - 1]) {
                    continue;
                }
                let Some(n) = root.descendant_for_byte_range(at, at + name.len()) else { continue };
                let Some(call) = n.parent().filter(|c| c.kind_name() == "call_expression") else { continue };
                if n.kind_name() != "identifier" || call.field("function") != Some(n) {
                    continue;
                }
                let args = call.field("arguments").map(named).unwrap_or_default();
                self.http_call(&name, "", &args, src, query::line(call));
            }
        }
    }

    /// The local names bound by imports of the project's own modules.
    pub fn relative_imports(&self) -> Vec<String> {
        self.relative.clone()
    }

    /// The file's [`query::Root`], for the extraction's later passes (before [`Self::finish`]).
    pub fn take_root(&mut self) -> Option<query::Root<'t>> {
        self.root.take()
    }

    pub fn finish(mut self) -> ArchFacts {
        if !self.reply_lines.is_empty() {
            self.drop_reply_queues();
        }
        if self.controllers_said.is_some_and(|n| n > self.controllers_keys) {
            for m in &mut self.facts.nest_modules {
                m.controllers = None;
            }
        }
        // An alias of a router is that router: a router of the new name mounting the
        // original with no prefix, so mounts through either name reach its routes.
        for (name, target, line) in std::mem::take(&mut self.aliases) {
            let Some(r) = self.facts.routers.iter().find(|r| r.name == target) else { continue };
            let router = RawRouter { name: name.clone(), framework: r.framework.clone(), prefix: Vec::new(), line };
            self.facts.routers.push(router);
            self.facts.mounts.push(RawMount { parent: name, child: target, prefix: Vec::new(), line });
        }
        self.facts.default_export = self.default_exports.first().cloned();
        // `export default api` of a client made at the top level: imported elsewhere as the default.
        for name in std::mem::take(&mut self.default_exports) {
            // `const config = { url: "http://…" }; export default config`: its members are
            // the default export's too, read elsewhere as `config.url` of `import config`.
            let members: Vec<RawConst> = self
                .facts
                .consts
                .iter()
                .filter_map(|c| {
                    let rest = c.name.strip_prefix(name.as_str()).filter(|r| r.starts_with('.'))?;
                    Some(RawConst { name: format!("default{rest}"), value: c.value.clone(), line: c.line })
                })
                .collect();
            self.facts.consts.extend(members);
            // A factory (`export default buildClient`) gives the default's clients too.
            let call = format!("{name}()");
            let made: Vec<RawClient> = self
                .facts
                .clients
                .iter()
                .filter(|c| c.name == call)
                .map(|c| RawClient { name: "default()".into(), base: c.base.clone(), line: c.line })
                .collect();
            self.facts.clients.extend(made);
            let Some(c) = self.facts.clients.iter().find(|c| c.name == name) else { continue };
            let client = RawClient { name: "default".into(), base: c.base.clone(), line: c.line };
            self.facts.clients.push(client);
        }
        let kv_ops = std::mem::take(&mut self.kv_ops);
        self.facts.table_uses.extend(arch::redis_uses(&self.kv_clients, kv_ops));
        for (obj, op, line) in std::mem::take(&mut self.collection_ops) {
            if let Some(name) = self.collections.get(&obj).filter(|_| !self.firestore) {
                let access = access_of(&op);
                self.facts.table_uses.push(RawTableUse {
                    name: name.clone(),
                    via_class: false,
                    access,
                    store: "mongodb".into(),
                    line,
                });
            }
        }
        for c in std::mem::take(&mut self.candidates) {
            let last = c.client.rsplit('.').next().unwrap_or(&c.client);
            // A generated API client (`client.post({ url: '/api/v1/items' })`) names its URL
            // in an options object whatever its receiver is called.
            // (`axios`, `got`, `$http`… as a whole name are in CLIENTS too.)
            let url = if matches!(c.client.as_str(), "fetch" | "$fetch" | "ofetch" | "WebSocket" | "EventSource")
                || CLIENTS.binary_search(&last).is_ok()
                || self.client_imports.contains(&c.client)
                || c.url_in_object
            {
                c.url
            } else if let Some(base) = self.clients.get(&c.client) {
                let mut u = base.clone();
                push_parts(&mut u, c.url);
                u
            } else {
                continue;
            };
            let call = RawCall { client: c.client, method: c.method, url, line: c.line };
            // Where the parameter sits: first, or after a constant host (`inner`).
            let at = match &c.inner {
                Some(p) => call.url.iter().position(|x| matches!(x, Part::Ref(r) if r == p)),
                None => Some(0),
            };
            match (c.wrapper, at) {
                // The URL must be the parameter, then literal text only (`fetch(url + "/x")`).
                (Some((name, param)), Some(at)) if call.url.iter().skip(at + 1).all(|p| matches!(p, Part::Lit(_))) => {
                    let (method_param, method_arg, key, choice) = (c.method_param, c.method_arg, c.key, c.choice);
                    let joined = c.joined;
                    self.facts.wrappers.push(RawWrapper {
                        name,
                        param,
                        call,
                        method_param,
                        method_arg,
                        at,
                        key,
                        params: Vec::new(),
                        choice,
                        forwards: None,
                        joined,
                    });
                }
                _ => self.facts.calls.push(call),
            }
        }
        self.facts
    }
}

/// axios's `combineURLs(baseURL, url)`: the base, one `/`, the URL without its leading
/// slashes; an absolute URL (a scheme) ignores the base.
fn joined_url(base: &Template, url: Template) -> Template {
    if matches!(url.first(), Some(Part::Lit(l)) if l.contains("://")) || base.is_empty() {
        return url;
    }
    let mut out = base.clone();
    if let Some(Part::Lit(l)) = out.last_mut() {
        while l.ends_with('/') {
            l.pop();
        }
    }
    let mut url = url;
    if let Some(Part::Lit(l)) = url.first_mut() {
        *l = l.trim_start_matches('/').to_string();
    }
    push_parts(&mut out, vec![Part::Lit("/".into())]);
    push_parts(&mut out, url);
    out
}

/// NestJS transports a file names (`Transport.KAFKA`, `Transport.NATS`…), sorted, once each.
fn nest_transports(text: &str, words: &Words) -> Vec<String> {
    if !words.has(W::Transport_dot) || !words.has(W::nestjs_microservices) {
        return Vec::new();
    }
    let mut out: Vec<String> = text
        .match_indices("Transport.")
        .map(|(i, w)| text[i + w.len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect())
        .filter(|t: &String| !t.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The receiver of `this.client.emit(…)` is a field the class declares with a NestJS
/// client type (`private readonly client: ClientKafka`, `@Client(…) client: ClientProxy`),
/// not an event emitter.
fn nest_client(call: Node, src: &[u8]) -> bool {
    let Some(recv) = call.field("function").and_then(|f| f.field("object")) else {
        return false;
    };
    let field = query::text(recv, src).trim_start_matches("this.");
    if field.is_empty() || !field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return false;
    }
    let Some(class) = query::ancestors(call, 64).find(|a| matches!(a.kind_name(), "class_body")) else { return false };
    let body = query::text(class, src);
    body.match_indices(field).any(|(i, _)| {
        let before = body[..i].chars().next_back();
        let after = body[i + field.len()..].trim_start_matches('?');
        let Some(ty) = after.trim_start().strip_prefix(':') else { return false };
        let ty = ty.trim_start();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            && NEST_CLIENTS
                .iter()
                .any(|c| ty.starts_with(c) && !ty[c.len()..].starts_with(|x: char| x.is_ascii_alphanumeric()))
    })
}

/// NestJS microservice client classes (`@nestjs/microservices`; sorted).
const NEST_CLIENTS: &[&str] = &["ClientKafka", "ClientMqtt", "ClientNats", "ClientProxy", "ClientRMQ", "ClientRedis"];

/// A declarator of a module's top level, exported or not.
fn top_level(declarator: Node) -> bool {
    let mut up = query::ancestors(declarator, 3).skip(1);
    match up.next() {
        Some(p) if p.kind_name() == "program" => true,
        Some(e) if e.kind_name() == "export_statement" => up.next().is_some_and(|p| p.kind_name() == "program"),
        _ => false,
    }
}

/// The base URL of `axios.create({ baseURL })` / `got.extend({ prefixUrl })`; empty without one.
fn client_base(args: &[Node], src: &[u8]) -> Template {
    let base = args.first().and_then(|o| prop(*o, "baseURL", src).or_else(|| prop(*o, "prefixUrl", src)));
    base.map(|b| template(b, src)).unwrap_or_default()
}

fn file_stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.split('.').next().unwrap_or(name)
}

impl Collector<'_> {
    /// The members of an object literal bound to `prefix` (`as const` and
    /// `satisfies` looked through), as constants `prefix.key`, nested objects a few
    /// levels deep.
    fn object_members(&mut self, prefix: &str, value: Node, src: &[u8], depth: usize) {
        object_members(&mut self.facts, prefix, value, src, depth);
    }
}

/// The members of an object (or an array of objects) a constant holds, each a constant
/// of its own named by its path (`ENV.ORDER_URL`, `ROUTES.0.proxy.target`), a few levels deep.
fn object_members(facts: &mut ArchFacts, prefix: &str, value: Node, src: &[u8], depth: usize) {
    {
        let mut v = value;
        while matches!(v.kind_name(), "as_expression" | "satisfies_expression" | "parenthesized_expression") {
            match v.named_child(0) {
                Some(inner) => v = inner,
                None => return,
            }
        }
        if v.kind_name() == "array" && depth == 0 {
            // `const ROUTES = [{ url, proxy: { target } }]`: each row's members, by index
            // (`ROUTES.0.proxy.target`), for a proxy made per row ([`row_target`]).
            let rows = named(v).into_iter().enumerate().filter(|(_, r)| r.kind_name() == "object");
            for (k, row) in rows {
                object_members(facts, &format!("{prefix}.{k}"), row, src, depth + 1);
            }
            return;
        }
        if v.kind_name() != "object" || depth > 3 {
            return;
        }
        for pair in named(v).into_iter().filter(|p| p.kind_name() == "pair") {
            let Some(k) = pair.field("key") else { continue };
            let key = match k.kind_name() {
                "property_identifier" => Some(query::text(k, src).to_string()),
                _ => string_value(k, src),
            };
            let (Some(key), Some(val)) = (key, pair.field("value")) else { continue };
            let name = format!("{prefix}.{key}");
            arch::push_const(facts, name.clone(), template(val, src), query::line(pair));
            object_members(facts, &name, val, src, depth + 1);
        }
    }
}

/// What the `return` statements of a function body give, not those of nested functions
/// (a bare `return;` is itself, which gives no client).
pub(super) fn returns(body: Node) -> Vec<Node> {
    let mut out = Vec::new();
    for c in named(body) {
        match c.kind_name() {
            "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "class_declaration"
            | "class"
            | "method_definition" => {}
            "return_statement" => out.push(c.named_child(0).unwrap_or(c)),
            _ => out.extend(returns(c)),
        }
    }
    out
}

pub(super) fn named(n: Node) -> Vec<Node> {
    let mut c = n.walk();
    n.named_children(&mut c).filter(|n| query::kind(*n) != "comment").collect()
}

/// A path below the module's own directory: `path.join(__dirname, 'routes', 'v1')`
/// (`join`, `path.resolve`, `import.meta.dirname`), `` `${__dirname}/routes` ``,
/// `__dirname + '/routes'`, as written (`routes/v1`, `./routes`).
fn dirname_path(n: Node, src: &[u8]) -> Option<String> {
    let here = |n: Node| matches!(query::text(n, src), "__dirname" | "import.meta.dirname");
    let parts: Vec<String> = match n.kind_name() {
        "call_expression" => {
            let f = query::text(n.field("function")?, src);
            if !matches!(f, "path.join" | "join" | "path.resolve" | "resolve") {
                return None;
            }
            let args = named(n.field("arguments")?);
            let (first, rest) = args.split_first()?;
            if !here(*first) {
                return None;
            }
            rest.iter().map(|a| string_value(*a, src)).collect::<Option<_>>()?
        }
        "template_string" | "binary_expression" => {
            let t = template(n, src);
            match t.as_slice() {
                [Part::Ref(d), Part::Lit(rest)] if matches!(d.as_str(), "__dirname" | "import.meta.dirname") => {
                    vec![rest.clone()]
                }
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(parts.join("/"))
}

/// Methods of an Express app or router that return it, so that a call chained on one is
/// the app's or router's own (`app.disable('x-powered-by').use('/api', api)`).
const CHAINABLE: &[&str] = &[
    "all", "delete", "disable", "enable", "engine", "get", "head", "options", "param", "patch", "post", "put", "set",
    "use",
];

/// The name a function that routes is known by to its mounts: its own, the variable it
/// is assigned to, `default` for `export default`/`module.exports =`, the key of
/// `exports.routes =`.
fn router_function_name(func: Node, src: &[u8]) -> Option<String> {
    match func.field("name") {
        Some(n) => Some(query::text(n, src).to_string()),
        None => query::ancestors(func, 4).find_map(|a| match a.kind_name() {
            "variable_declarator" => a.field("name").map(|n| query::text(n, src).to_string()),
            "export_statement" => Some("default".to_string()),
            "assignment_expression" => commonjs_export(a, src),
            _ => None,
        }),
    }
}

/// A short form of a handler or child expression: `users.router`, `getItems`.
/// The name a CommonJS assignment exports its value as: `module.exports = …`
/// is the module's default export, `exports.routes = …` / `module.exports.routes = …` is `routes`.
fn commonjs_export(assign: Node, src: &[u8]) -> Option<String> {
    let left = query::text(assign.field("left")?, src);
    match left {
        "module.exports" => Some("default".into()),
        _ => left.strip_prefix("module.exports.").or_else(|| left.strip_prefix("exports.")).map(str::to_string),
    }
}

fn short(t: &str) -> String {
    let t = t.trim();
    if t.len() > 60 || t.contains('\n') {
        return "<inline>".into();
    }
    t.to_string()
}

/// The value node of property `key` in an object literal.
pub(super) fn prop<'t>(obj: Node<'t>, key: &str, src: &[u8]) -> Option<Node<'t>> {
    if obj.kind_name() != "object" {
        return None;
    }
    named(obj).into_iter().find_map(|p| match p.kind_name() {
        "pair" => {
            let k = p.field("key")?;
            let k = query::text(k, src).trim_matches(|c| c == '"' || c == '\'');
            (k == key).then(|| p.field("value")).flatten()
        }
        "shorthand_property_identifier" if query::text(p, src) == key => Some(p),
        _ => None,
    })
}

/// The stream keys a Redis Streams read names ([`Collector::queue`]): ioredis's arguments
/// after `'STREAMS'`, the first half of them (the other half are the ids), none when one is
/// spread or their count is odd; node-redis's `{ key, id }` objects, alone or in an array.
fn stream_keys<'t>(args: &[Node<'t>], src: &[u8]) -> Vec<Node<'t>> {
    let streams = args.iter().position(|a| string_value(*a, src).is_some_and(|v| v.eq_ignore_ascii_case("streams")));
    if let Some(at) = streams {
        let rest = &args[at + 1..];
        if rest.is_empty() || rest.len() % 2 != 0 || rest.iter().any(|a| a.kind_name() == "spread_element") {
            return Vec::new();
        }
        return rest[..rest.len() / 2].to_vec();
    }
    let keyed = |o: &Node<'t>| prop(*o, "id", src).and(prop(*o, "key", src));
    let mut out = Vec::new();
    for a in args {
        match a.kind_name() {
            "object" => out.extend(keyed(a)),
            "array" => out.extend(named(*a).iter().filter_map(keyed)),
            _ => {}
        }
    }
    out
}

/// The topics of a kafka-node payload or topic list: an array (inline or a local
/// variable's) of `{ topic }` objects, or (`bare`: a consumer's list) of topic names,
/// or one topic name.
fn kafka_topics(n: Node, bare: bool, src: &[u8]) -> Vec<Template> {
    let n = match local_value(None, n, src) {
        Some(Some(v)) => v,
        Some(None) => return Vec::new(),
        None => n,
    };
    let one = |x: Node| match x.kind_name() {
        "object" => prop(x, "topic", src).map(|t| template(t, src)),
        "string" | "template_string" if bare => Some(template(x, src)),
        _ => None,
    };
    match n.kind_name() {
        "array" => named(n).into_iter().filter_map(one).collect(),
        _ if bare => one(n).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// The string a name stands for when a `const name = 'x'` of an enclosing block
/// (a function body: `const queueName = 'messages'`) declares it; module-level
/// constants are resolved project-wide instead. A parameter of that name in a
/// function between the use and the block hides the constant.
fn local_const(n: Node, src: &[u8]) -> Option<String> {
    if n.kind_name() != "identifier" {
        return None;
    }
    let name = query::text(n, src);
    let mut cur = n.parent();
    while let Some(p) = cur {
        match p.kind_name() {
            "program" => return None,
            "arrow_function" | "function_declaration" | "function_expression" | "function" | "method_definition" => {
                let params = p.field("parameters").or_else(|| p.field("parameter"));
                if params.is_some_and(|ps| mentions_name(ps, name, src)) {
                    return None;
                }
            }
            "statement_block" => {
                let decls = named(p)
                    .into_iter()
                    .filter(|d| matches!(d.kind_name(), "lexical_declaration" | "variable_declaration"));
                for d in decls {
                    let constant = d.child(0).is_some_and(|k| query::text(k, src) == "const");
                    for v in named(d).into_iter().filter(|v| v.kind_name() == "variable_declarator") {
                        let named_so = v.field("name").is_some_and(|x| query::text(x, src) == name);
                        // `let`/`var` too (`var queue = "orders"`), when nothing in the block assigns it again.
                        if let (true, Some(value)) = (named_so, v.field("value")) {
                            if constant || !reassigned(p, name, src) {
                                return string_value(value, src);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        cur = p.parent();
    }
    None
}

/// Whether anything inside `block` assigns `name` (`name = …`, `name += …`, `name++`).
fn reassigned(block: Node, name: &str, src: &[u8]) -> bool {
    let mut stack = vec![block];
    while let Some(n) = stack.pop() {
        let target = match n.kind_name() {
            "assignment_expression" | "augmented_assignment_expression" => n.field("left"),
            "update_expression" => n.field("argument"),
            _ => None,
        };
        if target.is_some_and(|t| t.kind_name() == "identifier" && query::text(t, src) == name) {
            return true;
        }
        stack.extend(named(n));
    }
    false
}

/// A parameter list binds `name` (plain, defaulted or destructured).
fn mentions_name(params: Node, name: &str, src: &[u8]) -> bool {
    if params.kind_name() == "identifier" || params.kind_name() == "shorthand_property_identifier_pattern" {
        return query::text(params, src) == name;
    }
    named(params).into_iter().any(|c| mentions_name(c, name, src))
}

pub fn string_value(n: Node, src: &[u8]) -> Option<String> {
    match n.kind_name() {
        "string" => Some(named(n).into_iter().map(|c| query::text(c, src)).collect()),
        "template_string" => {
            let parts = named(n);
            if parts.iter().any(|c| c.kind_name() == "template_substitution") {
                return None;
            }
            Some(parts.into_iter().map(|c| query::text(c, src)).collect())
        }
        _ => None,
    }
}

fn sql_text(n: Node, src: &[u8]) -> String {
    named(n)
        .into_iter()
        .map(|c| if c.kind_name() == "template_substitution" { "?" } else { query::text(c, src) })
        .collect()
}

/// Longer string literals are not read as templates (see [`template`]).
const LONGEST_LITERAL: usize = 16 * 1024;

/// A JS/TS expression as a URL or route template.
pub fn template(n: Node, src: &[u8]) -> Template {
    match n.kind_name() {
        // A string of many kilobytes (a bundled script kept in a constant) is no URL,
        // route or name, and reading it cost more than the rest of its file.
        "string" | "template_string" if n.byte_range().len() > LONGEST_LITERAL => {
            vec![Part::Param("value".to_string())]
        }
        "string" => lit(&string_value(n, src).unwrap_or_default()),
        "template_string" => {
            let mut out = Template::new();
            for c in named(n) {
                match c.kind_name() {
                    "template_substitution" => {
                        let e = c.named_child(0).unwrap_or(c);
                        push_parts(&mut out, template(e, src));
                    }
                    _ => push_parts(&mut out, lit(query::text(c, src))),
                }
            }
            out
        }
        "binary_expression" => {
            let op = n.field("operator").map(|o| query::text(o, src)).unwrap_or("");
            let left = n.field("left").map(|c| template(c, src)).unwrap_or_default();
            let right = n.field("right");
            // `process.env.PORT || 3000`: a number is a default too.
            let default = |r: Node| {
                string_value(r, src).or_else(|| (r.kind_name() == "number").then(|| query::text(r, src).to_string()))
            };
            match op {
                "+" => {
                    let mut out = left;
                    push_parts(&mut out, right.map(|c| template(c, src)).unwrap_or_default());
                    out
                }
                "||" | "??" => match (left.as_slice(), right.and_then(|r| default(r).or_else(|| deployed(r, src)))) {
                    ([Part::Env(k, None)], Some(d)) => vec![Part::Env(k.clone(), Some(d))],
                    _ => left,
                },
                _ => vec![Part::Param(param_name(n, src))],
            }
        }
        "parenthesized_expression" | "as_expression" | "non_null_expression" | "satisfies_expression" => {
            n.named_child(0).map(|c| template(c, src)).unwrap_or_default()
        }
        "identifier" => vec![Part::Ref(query::text(n, src).to_string())],
        "call_expression" => call_template(n, src),
        "ternary_expression" => ternary(n, src),
        "member_expression" => match env_member(n, src) {
            Some(var) => vec![Part::Env(var, None)],
            None => vec![Part::Ref(query::text(n, src).to_string())],
        },
        "subscript_expression" => {
            let obj = n.field("object").map(|o| query::text(o, src)).unwrap_or("");
            match n.field("index").and_then(|i| string_value(i, src)) {
                Some(k) if obj == "process.env" => vec![Part::Env(k, None)],
                _ => vec![Part::Param(param_name(n, src))],
            }
        }
        _ => vec![Part::Param(param_name(n, src))],
    }
}

/// Whether the class around `n` has a constructor with a parameter named `fetch`.
fn takes_fetch(n: Node, src: &[u8]) -> bool {
    let Some(class) = query::ancestors(n, 64).find(|a| matches!(a.kind_name(), "class_declaration" | "class")) else {
        return false;
    };
    let Some(body) = class.field("body") else { return false };
    named(body).into_iter().any(|m| {
        m.kind_name() == "method_definition"
            && m.field("name").is_some_and(|x| query::text(x, src) == "constructor")
            && m.field("parameters").is_some_and(|ps| {
                named(ps).into_iter().any(|p| query::text(p.field("pattern").unwrap_or(p), src) == "fetch")
            })
    })
}

/// `process.env.X`, `import.meta.env.X`, also written through a cast or an
/// optional chain (`(import.meta as any).env?.X`): the variable `X`.
pub(super) fn env_member(n: Node, src: &[u8]) -> Option<String> {
    fn unwrap(mut e: Node) -> Option<Node> {
        while matches!(e.kind_name(), "parenthesized_expression" | "as_expression" | "non_null_expression") {
            e = e.named_child(0)?;
        }
        Some(e)
    }
    let var = n.field("property").filter(|p| p.kind_name() == "property_identifier")?;
    let env = unwrap(n.field("object")?)?;
    if env.kind_name() != "member_expression" || env.field("property").map(|p| query::text(p, src)) != Some("env") {
        return None;
    }
    let root = unwrap(env.field("object")?)?;
    matches!(query::text(root, src), "process" | "import.meta").then(|| query::text(var, src).to_string())
}

/// `cond ? devUrl : 'http://backend:8000'` after an environment variable's `||`,
/// where `devUrl` is a `localhost` URL (written there or the enclosing function's
/// one value of that name): the other branch, a literal URL, is the value a
/// deployment gets when the variable is unset; the condition (`!inDocker &&
/// NODE_ENV === 'development'`) only picks the developer's machine. Two URLs of
/// other hosts, or anything not literal, are no default.
fn deployed(n: Node, src: &[u8]) -> Option<String> {
    let mut n = n;
    while n.kind_name() == "parenthesized_expression" {
        n = n.named_child(0)?;
    }
    if n.kind_name() != "ternary_expression" {
        return None;
    }
    let local = |b: Node| {
        let value = match local_value(None, b, src) {
            Some(Some(v)) => v,
            _ => b,
        };
        let text = query::text(value, src);
        matches!(value.kind_name(), "string" | "template_string")
            && ["://localhost", "://127.0.0.1"].iter().any(|h| text.contains(h))
    };
    let remote = |b: Node| string_value(b, src).filter(|u| u.contains("://") && !local(b));
    let (yes, no) = (n.field("consequence")?, n.field("alternative")?);
    match (remote(yes), remote(no)) {
        (Some(u), None) if local(no) => Some(u),
        (None, Some(u)) if local(yes) => Some(u),
        _ => None,
    }
}

/// What an identifier passed to a client holds when the enclosing function
/// gives it a value: `Some(Some(node))` for its one declaration or assignment
/// there (before the call), `Some(None)` when it has several (which one reaches
/// the call is not known: no call is recorded), `None` when the function does
/// not assign it (a parameter, a module constant: left to resolution).
pub(super) fn local_value<'t>(root: Option<&query::Root<'t>>, arg: Node<'t>, src: &[u8]) -> Option<Option<Node<'t>>> {
    if !matches!(arg.kind_name(), "identifier" | "shorthand_property_identifier") {
        return None;
    }
    let name = query::text(arg, src);
    let func = query::ancestors_in(root, arg, 64).into_iter().find(|a| FUNCTIONS.contains(&a.kind_name()))?;
    let mut values = Vec::new();
    let body = func.field("body")?;
    // Only subtrees spelling the name can assign it: this runs for every call with a
    // name for its first argument (effect's `.get(key)` on maps, inside functions of
    // thousands of lines), and walking whole bodies was 1.8 % of effect's scan.
    let at = query::Occurrences::of(body, name, src);
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        if FUNCTIONS.contains(&n.kind_name()) || !at.within(n.byte_range()) {
            continue;
        }
        let target = match n.kind_name() {
            "variable_declarator" => n.field("name").zip(n.field("value")),
            "assignment_expression" => n.field("left").zip(n.field("right")),
            _ => None,
        };
        if let Some((_, v)) = target.filter(|(l, _)| l.kind_name() == "identifier" && query::text(*l, src) == name) {
            values.push(v);
        }
        stack.extend(named(n));
    }
    match values.as_slice() {
        [] => None,
        [one] if one.start_byte() < arg.start_byte() => Some(Some(*one)),
        _ => Some(None),
    }
}

/// The value `n` gives the local `name`, when `n` is its declaration (`let name = v`,
/// `const name;` → `Some(None)`) or an assignment (`name = v`); none for anything else.
pub(super) fn assigns<'t>(n: Node<'t>, name: &str, src: &[u8]) -> Option<Option<Node<'t>>> {
    let (target, value) = match n.kind_name() {
        "variable_declarator" => (n.field("name"), n.field("value")),
        "assignment_expression" => (n.field("left"), n.field("right")),
        _ => return None,
    };
    target.filter(|t| t.kind_name() == "identifier" && query::text(*t, src) == name).map(|_| value)
}

/// A URL's local variables that hold a default unless an environment variable
/// is set, as that choice (`Part::IfEnv`), the way `process.env.X ? process.env.X
/// : 'd'` reads: `let host = "server:4000"; if (process.env.HOST) { host =
/// process.env.HOST }`, or `let base; if (process.env.B) base = process.env.B;
/// else base = "/api"`; one declared once from the environment alone (`const base =
/// process.env.B || 'http://d'`, never assigned again) is that variable. Any other
/// shape of assignments leaves the name as it was (an unknown value, never one of
/// the candidates picked).
fn env_overrides(arg: Node, url: Template, src: &[u8]) -> Template {
    if !url.iter().any(|p| matches!(p, Part::Ref(r) if !r.contains('.'))) {
        return url;
    }
    url.into_iter()
        .map(|p| match p {
            Part::Ref(name) if !name.contains('.') => env_override(arg, &name, src).unwrap_or(Part::Ref(name)),
            other => other,
        })
        .collect()
}

fn env_override(arg: Node, name: &str, src: &[u8]) -> Option<Part> {
    // The function declaring the name (the call may sit in a callback inside it); a
    // function between them taking a parameter of that name hides it.
    let mut func = None;
    for f in query::ancestors(arg, 64).filter(|a| FUNCTIONS.contains(&a.kind_name())) {
        let params = f.field("parameters").or_else(|| f.field("parameter"));
        if params.is_some_and(|ps| mentions_name(ps, name, src)) {
            return None;
        }
        if declares(f.field("body")?, name, src) {
            func = Some(f);
            break;
        }
    }
    let func = func?;
    let (mut declared, mut set, mut unset) = (None, Vec::new(), Vec::new());
    // Every assignment in it counts, closures' too.
    let mut stack = vec![func.field("body")?];
    while let Some(n) = stack.pop() {
        stack.extend(named(n));
        let Some(value) = assigns(n, name, src) else { continue };
        if n.start_byte() > arg.start_byte() {
            return None;
        }
        let ifs: Vec<Node> = query::ancestors(n, 64)
            .take_while(|a| a.id() != func.id())
            .filter(|a| matches!(a.kind_name(), "if_statement" | "else_clause"))
            .collect();
        match (n.kind_name(), ifs.as_slice()) {
            ("variable_declarator", []) if declared.is_none() => declared = Some(value.map(|v| template(v, src))),
            ("assignment_expression", [branch, ..])
                if ifs.iter().filter(|a| a.kind_name() == "if_statement").count() == 1 =>
            {
                let stmt = if branch.kind_name() == "else_clause" { branch.parent()? } else { *branch };
                let var = match stmt.field("condition").map(|c| template(c, src)).as_deref() {
                    Some([Part::Env(var, None)]) => var.clone(),
                    _ => return None,
                };
                let v = template(value?, src);
                if branch.kind_name() == "else_clause" {
                    unset.push((var, v))
                } else {
                    set.push((var, v))
                }
            }
            _ => return None,
        }
    }
    let readable = |t: &Template| t.iter().any(|p| matches!(p, Part::Lit(_) | Part::Env(..)));
    match (declared?, set.as_slice(), unset.as_slice()) {
        // `const backendUrl = process.env.BACKEND_URL || …`, assigned nowhere else: that variable.
        (Some(mut value), [], []) if matches!(value.as_slice(), [Part::Env(..)]) => value.pop(),
        (Some(default), [(var, v)], []) if readable(&default) && readable(v) => {
            Some(Part::IfEnv(var.clone(), v.clone(), default))
        }
        (None, [(var, v)], [(var2, d)]) if var == var2 && readable(v) && readable(d) => {
            Some(Part::IfEnv(var.clone(), v.clone(), d.clone()))
        }
        _ => None,
    }
}

/// A function body declares `name` itself (not in a nested function).
pub(super) fn declares(body: Node, name: &str, src: &[u8]) -> bool {
    // Only subtrees spelling the name can declare it (this runs for every `new X` in
    // every function around it: eclipse-theia spent 0.3 G instructions walking bodies).
    let at = query::Occurrences::of(body, name, src);
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        if !at.within(n.byte_range()) {
            continue;
        }
        if n.kind_name() == "variable_declarator" {
            if n.field("name").is_some_and(|t| query::text(t, src) == name) {
                return true;
            }
        } else if !FUNCTIONS.contains(&n.kind_name()) {
            stack.extend(named(n));
        }
    }
    false
}

/// Calls that may hand a URL to a request wrapper (`RawArgCall`): calls of the
/// file's own wrappers and of names it imports from its own project
/// (`relative`) whose arguments may be URLs. Found by name
/// ([`arch::calls_of`]), not by a query pattern: see there.
/// Functions and methods handing one of their parameters to `collection(…)` (a MongoDB
/// collection by a caller's name): `getCollection(name) { return
/// this.client.db().collection(name) }` in `export const MongoHelper = { … }` is
/// `MongoHelper.getCollection` (a class's method likewise `Class.method`, a function its
/// own name), with the parameter's index (`ArchFacts::collection_helpers`).
pub fn collection_helpers(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    // `MongoHelper.getCollection("orders")`, `getCollection("orders")`: a call that may be
    // of a helper (of this module or another), kept with its literal arguments.
    for (at, _) in text.match_indices("Collection(") {
        let Some(args) = arguments_at(root, at + "Collection".len()) else { continue };
        let Some(f) = args.parent().and_then(|c| c.field("function")) else { continue };
        let plain = match f.kind_name() {
            "identifier" => true,
            "member_expression" => f.field("object").is_some_and(|o| o.kind_name() == "identifier"),
            _ => false,
        };
        if !plain {
            continue;
        }
        let callee = query::text(f, src).to_string();
        for (k, a) in named(args).into_iter().enumerate() {
            if let Some(name) = string_value(a, src).filter(|n| !n.is_empty() && a.kind_name() == "string") {
                facts.collection_helper_calls.push((callee.clone(), k, name, query::line(a)));
            }
        }
    }
    let root_q = query::Root::new(root);
    for (at, _) in text.match_indices(".collection(") {
        let Some(args) = arguments_at(root, at + ".collection".len()) else { continue };
        let Some(arg) = args.named_child(0).filter(|a| a.kind_name() == "identifier" && args.named_child_count() == 1)
        else {
            continue;
        };
        let name = query::text(arg, src);
        let Some(func) = root_q.ancestors(args, 48).into_iter().find(|a| {
            matches!(
                a.kind_name(),
                "method_definition" | "function_declaration" | "function_expression" | "arrow_function"
            )
        }) else {
            continue;
        };
        let Some(params) = func.field("parameters").or_else(|| func.field("parameter")) else {
            continue;
        };
        let list = if params.kind_name() == "identifier" { vec![params] } else { named(params) };
        let Some(index) = list.iter().position(|p| param_ident(*p).is_some_and(|i| query::text(i, src) == name)) else {
            continue;
        };
        let Some(helper) = helper_name(&root_q, func, src) else { continue };
        if !facts.collection_helpers.iter().any(|(h, i)| *h == helper && *i == index) {
            facts.collection_helpers.push((helper, index));
        }
    }
}

/// The argument list whose `(` is at byte `open`.
fn arguments_at(root: Node, open: usize) -> Option<Node> {
    let paren = root.descendant_for_byte_range(open, open + 1)?;
    let args = if paren.kind_name() == "(" { paren.parent()? } else { paren };
    (args.kind_name() == "arguments").then_some(args)
}

/// The name callers write for a function or method: `Owner.method` for a method of a
/// class or of an object literal bound to a name, else the function's own name.
fn helper_name<'t>(root: &query::Root<'t>, func: Node<'t>, src: &[u8]) -> Option<String> {
    let own = match func.kind_name() {
        "method_definition" | "function_declaration" => func.field("name"),
        _ => func.parent().and_then(|p| match p.kind_name() {
            "pair" => p.field("key"),
            "variable_declarator" => p.field("name"),
            "public_field_definition" | "field_definition" => p.field("name").or_else(|| p.field("property")),
            _ => None,
        }),
    }?;
    let own = query::text(own, src).to_string();
    if func.kind_name() == "function_declaration"
        || func.parent().is_some_and(|p| p.kind_name() == "variable_declarator")
    {
        return Some(own);
    }
    // The method's owner: a class, or an object literal bound to a name.
    let holder = root
        .ancestors(func, 8)
        .into_iter()
        .find(|a| matches!(a.kind_name(), "class_declaration" | "abstract_class_declaration" | "class" | "object"))?;
    let owner = match holder.kind_name() {
        "object" => holder.parent().filter(|p| p.kind_name() == "variable_declarator")?.field("name")?,
        _ => holder.field("name")?,
    };
    Some(format!("{}.{own}", query::text(owner, src)))
}

/// A module loaded by a computed name (`spec`, the argument of `require`/`import()`) whose
/// default export is called on a router (`require(path)(router)`, `(await
/// import(`../routes/${file}`)).default(router)`, `require(path).default(router)`): a mount
/// of [`LOADED`] modules under that router, with the directory when the name is a literal
/// directory followed by one value (`` `../routes/${file}` ``, `"./routes/" + file`).
pub fn computed_load_mount(spec: Node, src: &[u8], facts: &mut ArchFacts) {
    let Some(load) = spec.parent().filter(|a| a.kind_name() == "arguments").and_then(|a| a.parent()) else { return };
    let mut value = load;
    while let Some(p) =
        value.parent().filter(|p| matches!(p.kind_name(), "await_expression" | "parenthesized_expression"))
    {
        value = p;
    }
    let mut callee = value;
    if let Some(member) = value.parent().filter(|p| p.kind_name() == "member_expression") {
        let property = member.field("property").map_or("", |p| query::text(p, src));
        if property != "default" {
            return;
        }
        callee = member;
    }
    let Some(call) = callee.parent().filter(|c| c.kind_name() == "call_expression") else { return };
    if call.field("function").is_none_or(|f| f.id() != callee.id()) {
        return;
    }
    let args = call.field("arguments").map(named).unwrap_or_default();
    let [router] = args.as_slice() else { return };
    if router.kind_name() != "identifier" {
        return;
    }
    let dir = loaded_dir(spec, src).unwrap_or_else(|| "?".to_string());
    facts.mounts.push(RawMount {
        parent: query::text(*router, src).to_string(),
        child: format!("{LOADED}{dir}"),
        prefix: Template::new(),
        line: query::line(call),
    });
}

/// The directory of a computed module name that is a literal directory and one value:
/// `` `../routes/${file}` `` or `"./routes/" + file` (`../routes`).
fn loaded_dir(spec: Node, src: &[u8]) -> Option<String> {
    let literal = match spec.kind_name() {
        "template_string" => {
            let parts = named(spec);
            let [head, sub] = parts.as_slice() else { return None };
            if head.kind_name() != "string_fragment" || sub.kind_name() != "template_substitution" {
                return None;
            }
            query::text(*head, src).to_string()
        }
        "binary_expression" => {
            let (left, right) = (spec.field("left")?, spec.field("right")?);
            if right.kind_name() != "identifier" {
                return None;
            }
            string_value(left, src)?
        }
        _ => return None,
    };
    let dir = literal.strip_suffix('/')?;
    (!dir.is_empty() && !dir.contains(['$', '*', '\\'])).then(|| dir.to_string())
}

pub fn wrapper_calls(root: Node, text: &str, relative: &[String], facts: &mut ArchFacts) {
    const SHAPE: CallShape = CallShape {
        call: "call_expression",
        member: "member_expression",
        object: "object",
        property: "property",
        quoted_names: false,
    };
    // `userApi` of an instance's wrapper (`ApiClient(userApi).prototype.get`, `lang/ts_classes.rs`).
    let heads = facts.wrappers.iter().map(|w| {
        super::ts_classes::instance_of(&w.name).unwrap_or_else(|| w.name.split('.').next().unwrap_or(&w.name))
    });
    // `createApp(cfg)` of the file's own `function createApp(cfg)` whose parameter gives a URL.
    let parts = facts.calls.iter().chain(facts.wrappers.iter().map(|w| &w.call)).flat_map(|c| &c.url);
    let factories = parts.filter_map(|p| match p {
        Part::Ref(r) => arg_ref(r).map(|(f, _, _)| f.split('.').next().unwrap_or(f)),
        _ => None,
    });
    let mut names: Vec<&str> = heads.chain(factories).chain(relative.iter().map(String::as_str)).collect();
    names.sort_unstable();
    names.dedup();
    let src = text.as_bytes();
    // `cfg` of `const cfg = { catalogUrl: … }`, whose members are constants, may be a config
    // object handed to such a function.
    let consts = facts.consts.iter().map(|c| c.name.split('.').next().unwrap_or(&c.name));
    let mut known: Vec<&str> = consts.chain(facts.bindings.iter().map(|b| b.local.as_str())).collect();
    known.sort_unstable();
    known.dedup();
    let is_known = |n: &str| known.binary_search(&n).is_ok();
    // `const url = `${PROM_BASE}/api/v1/query`` then `fetchJson(url)`: a local holding text
    // may be the URL handed on (its value is read at the call, `arg_call`).
    let mut locals = text_locals(text);
    locals.sort_unstable();
    locals.dedup();
    let mut text_known = known.clone();
    text_known.extend(&locals);
    text_known.sort_unstable();
    text_known.dedup();
    let mut found: Vec<RawArgCall> = arch::calls_of(root, text, &names, &text_known, &SHAPE)
        .into_iter()
        .filter_map(|(callee, args)| arg_call(callee, args, false, src, &is_known, &locals))
        .collect();
    // `requests.get('school')`: a bare path for an object-member wrapper (`ts_requests`).
    let members = facts.wrappers.iter().filter(|w| w.at > 0).filter_map(|w| w.name.split_once('.').map(|(h, _)| h));
    let mut heads: Vec<&str> = members.chain(relative.iter().map(String::as_str)).collect();
    heads.sort_unstable();
    heads.dedup();
    for (callee, args) in super::ts_requests::bare_path_calls(root, text, &heads) {
        let line = args.parent().map_or(1, query::line);
        if !found.iter().any(|a| a.line == line && a.callee == callee) {
            found.extend(arg_call(callee, args, true, src, &is_known, &locals));
        }
    }
    facts.name_calls = name_calls(root, src, relative, &found);
    facts.arg_calls = found;
}

/// Calls `name('orders.created', …)` of the module's imports (`relative`) with a bare
/// word among their arguments ([`arch::name_like`]), which `calls_of` leaves out (no
/// URL in them), and not already among the `arg_calls` (`found`): the names a function
/// publishing to its parameter is given ([`crate::model::ArchFacts::name_calls`]).
fn name_calls(root: Node, src: &[u8], relative: &[String], found: &[RawArgCall]) -> Vec<RawArgCall> {
    let mut out: Vec<RawArgCall> = Vec::new();
    if relative.is_empty() {
        return out;
    }
    // One pass over the text's `(` finds every `name(` of every name (a `memmem` search
    // per name cost 0.14 G instructions on eclipse-theia); they are taken in the order of
    // `relative`, each name's in text order, as the searches did.
    let mut sorted: Vec<(&str, usize)> = relative.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    sorted.sort_unstable();
    let mut spots: Vec<(usize, usize)> = Vec::new();
    for paren in memchr::memchr_iter(b'(', src) {
        let at = paren - src[..paren].iter().rev().take_while(|b| arch::is_ident(**b)).count();
        if at == paren || at > 0 && (arch::is_ident(src[at - 1]) || src[at - 1] == b'.') {
            continue;
        }
        let Ok(name) = std::str::from_utf8(&src[at..paren]) else { continue };
        let first = sorted.partition_point(|(n, _)| *n < name);
        if let Some(&(_, i)) = sorted.get(first).filter(|(n, _)| *n == name) {
            spots.push((i, at));
        }
    }
    spots.sort_unstable();
    for (i, at) in spots {
        let name = &relative[i];
        let Some(ident) = root.descendant_for_byte_range(at, at + name.len()) else { continue };
        let Some(call) = ident.parent().filter(|c| c.kind_name() == "call_expression") else { continue };
        if ident.kind_name() != "identifier" || call.field("function").is_none_or(|f| f.id() != ident.id()) {
            continue;
        }
        let Some(args) = call.field("arguments").filter(|a| a.kind_name() == "arguments") else { continue };
        let line = query::line(call);
        if found.iter().chain(&out).any(|a| a.line == line && &a.callee == name) {
            continue;
        }
        let words: Vec<Template> = named(args)
            .into_iter()
            .map(|a| match a.kind_name() {
                "string" => Some(template(a, src)).filter(arch::name_like).unwrap_or_default(),
                _ => Template::new(),
            })
            .collect();
        if words.iter().any(|w| !w.is_empty()) {
            let (kwargs, methods, props) = (Vec::new(), Vec::new(), Vec::new());
            out.push(RawArgCall { callee: name.clone(), args: words, kwargs, methods, props, line });
        }
    }
    out
}

/// Names declared with a text value (`const url = `…``, `let path =\n  '/x' + id`), found
/// by text: locals that may hold a URL a wrapper is given.
fn text_locals(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for kw in ["const ", "let "] {
        for at in memchr::memmem::find_iter(bytes, kw.as_bytes()) {
            if at > 0 && arch::is_ident(bytes[at - 1]) {
                continue;
            }
            let start = at + kw.len();
            let end = start + bytes[start..].iter().take_while(|b| arch::is_ident(**b)).count();
            if end == start {
                continue;
            }
            let rest = &bytes[end..];
            let skip = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
            let Some(rest) = rest[skip..].strip_prefix(b"=") else { continue };
            let skip = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
            if rest.get(skip).is_some_and(|b| matches!(b, b'`' | b'\'' | b'"')) {
                out.push(&text[start..end]);
            }
        }
    }
    out
}

/// The `RawArgCall` of one call found by [`wrapper_calls`]: its URL-like arguments and
/// properties, the methods its object literals or strings say. `bare` keeps a first
/// argument that is a literal whatever it says (`requests.get('school')`: a path a
/// wrapper puts after its base). None when no argument may be a URL.
///
/// `locals` (sorted) are the names declared somewhere in the file with a text value
/// ([`text_locals`]): only an argument spelling one of them is looked up as a local, a
/// search of the enclosing function ([`local_value`]) that cost 0.35 G on eclipse-theia
/// when every identifier argument of every call took it.
fn arg_call(
    callee: String,
    args: Node,
    bare: bool,
    src: &[u8],
    is_known: &dyn Fn(&str) -> bool,
    locals: &[&str],
) -> Option<RawArgCall> {
    let args_list = named(args);
    // A local the function around gives one text value before the call is that value.
    let local = |a: Node| a.kind_name() == "identifier" && locals.binary_search(&query::text(a, src)).is_ok();
    let value = |a: Node| match local(a).then(|| local_value(None, a, src)).flatten() {
        Some(Some(v)) if matches!(v.kind_name(), "string" | "template_string" | "binary_expression") => {
            template(v, src)
        }
        _ => template(a, src),
    };
    let mut templates: Vec<Template> = args_list.iter().map(|a| url_like(value(*a), is_known)).collect();
    if let (true, Some(first), Some(t)) = (bare, args_list.first(), templates.first_mut()) {
        *t = template(*first, src);
    }
    // `useRequest({ url: '/api/users', method: 'post' })`: URL-like properties.
    let props: Vec<(usize, String, Template)> = args_list
        .iter()
        .enumerate()
        .filter(|(_, a)| a.kind_name() == "object")
        .flat_map(|(i, o)| named(*o).into_iter().map(move |p| (i, p)))
        .filter_map(|(i, p)| {
            let key = p.field("key").filter(|k| k.kind_name() == "property_identifier")?;
            let value = url_like(template(p.field("value")?, src), is_known);
            (!value.is_empty()).then(|| (i, query::text(key, src).to_string(), value))
        })
        .collect();
    if templates.iter().any(|a| !a.is_empty()) || !props.is_empty() {
        let line = args.parent().map_or(1, query::line);
        let methods = args_list
            .iter()
            .enumerate()
            .filter(|(_, a)| a.kind_name() == "object")
            .map(|(i, o)| {
                let m = prop(*o, "method", src).map(|m| string_value(m, src).unwrap_or_else(|| "ANY".into()));
                (i, m.unwrap_or_default().to_ascii_uppercase())
            })
            // `Api.fetch('/users', 'POST')`: a method written out, for a wrapper taking one.
            .chain(args_list.iter().enumerate().filter_map(|(i, a)| {
                string_value(*a, src).and_then(|m| http_method(&m)).filter(|m| m != "ANY").map(|m| (i, m))
            }))
            .collect();
        Some(RawArgCall { callee, args: templates, kwargs: Vec::new(), methods, props, line })
    } else {
        None
    }
}

/// `const client = buildClient(ctx)`, `let api = await makeApi()`: a local holding what a
/// function imported from the project returns is bound to that function's result
/// (`buildClient()` of its module; `default()` for a default import), and named among the
/// file's relative names, so that `client.get("/p")` is a request of the client the
/// function makes when it is a factory (`client_factories`; resolution keeps nothing
/// else). Found by text, one pass over the file's `=`: no query pattern.
pub fn bind_factory_results(text: &str, bindings: &mut Vec<Binding>, relative: &mut Vec<String>) {
    if bindings.is_empty() {
        return;
    }
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for p in memchr::memchr_iter(b'=', bytes) {
        let (Some(&before), Some(&after)) = (p.checked_sub(1).and_then(|i| bytes.get(i)), bytes.get(p + 1)) else {
            continue;
        };
        if b"=!<>+-*/%&|^?:".contains(&before) || after == b'=' || after == b'>' {
            continue;
        }
        let rest = text[p + 1..].trim_start();
        let rest = rest.strip_prefix("await ").map_or(rest, str::trim_start);
        let f_len = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'$').count();
        let (function, after_f) = rest.split_at(f_len);
        if function.is_empty() || !after_f.trim_start().starts_with('(') {
            continue;
        }
        let end = p - bytes[..p].iter().rev().take_while(|b| b.is_ascii_whitespace()).count();
        let start = arch::ident_start(bytes, end);
        let head = text[..start].trim_end();
        let declared = ["const", "let", "var"]
            .iter()
            .any(|k| head.ends_with(k) && !head[..head.len() - k.len()].ends_with(|c: char| c.is_ascii_alphanumeric()));
        if start == end || !declared {
            continue;
        }
        for b in bindings.iter().filter(|b| b.local == function && !b.remote.ends_with("()")) {
            found.push(Binding {
                local: text[start..end].to_string(),
                remote: format!("{}()", b.remote),
                line: b.line,
            });
        }
    }
    for b in found {
        if !bindings.contains(&b) {
            relative.push(b.local.clone());
            bindings.push(b);
        }
    }
}

/// A file no trigger word sends through the full pass can still call a client
/// another module makes (`import { api } from "../lib/api"` then
/// `api.get("/users/me")`: nothing in its text says HTTP). When a name imported
/// from one of the project's modules is called as `name.get(`/`.post(`/`.put(`/
/// `.patch(`/`.delete(`, or given an object literal as a request hook is
/// (`useRequest({ url: '/api/users', method: 'post' })`), the file's import bindings
/// are recorded and its calls collected as for wrappers; resolution keeps those
/// whose name is a client or a wrapper of the module it comes from (`RawClient`,
/// `RawWrapper`). So does a call of an imported name whose first argument starts as a URL
/// or a path does (`jpost(`${GATEWAY_URL}/notifications`, body)`, `jget('/api/flows')`).
/// A text check first, so other files cost a few substring searches.
pub fn imported_client_calls(root: Node, text: &str, sources: &[Node], handed: &[String], facts: &mut ArchFacts) {
    const METHODS: &[&str] = &[".delete", ".get", ".patch", ".post", ".put"];
    let src = text.as_bytes();
    let mut bindings = import_bindings(sources, src);
    let mut relative: Vec<String> = bindings.iter().map(|b| b.local.clone()).collect();
    bind_factory_results(text, &mut bindings, &mut relative);
    // `expirationQueue.add(…)` of a Bull queue the imported module makes: its binding is kept.
    let bull = super::ts_bull::imported_uses(text, &relative, facts);
    // A URL as the first argument of an imported function (`jpost(`${GATEWAY_URL}/n`, body)`,
    // `get('/api/users')`): a call of a wrapper the module may define.
    const URL_FIRST: &[&str] = &["(\"/", "(\"http", "('/", "('http", "(`${", "(`/", "(`http"];
    // `api.get("/p")`, also with type arguments: `api.get<User[]>("/p")`.
    let called = |local: &str| {
        text.match_indices(local).any(|(i, _)| {
            let after = &text[i + local.len()..];
            after.starts_with("({")
                || (URL_FIRST.iter().any(|u| after.starts_with(u))
                    && !text[..i].bytes().next_back().is_some_and(|b| arch::is_ident(b) || b == b'.'))
                || METHODS.iter().any(|m| after.strip_prefix(m).is_some_and(|r| r.starts_with(['(', '<'])))
        })
    };
    // A Next.js page's `getInitialProps` parameter `_app` hands a client (`ts_next`).
    relative.extend(handed.iter().cloned());
    if !bindings.iter().any(|b| called(&b.local)) && !handed.iter().any(|h| called(h)) {
        // `_app` handing a page what an imported function made keeps its bindings too.
        if bull || !facts.initial_props.is_empty() {
            facts.bindings = bindings;
        }
        return;
    }
    facts.bindings = bindings;
    wrapper_calls(root, text, &relative, facts);
}

/// The names a module's imports of the project's own modules bind (`import api from
/// "./api"`, `import { a as b } from "../x"`, `const api = require("./api")`), for a file
/// no trigger word sent through the full pass.
pub fn import_bindings(sources: &[Node], src: &[u8]) -> Vec<Binding> {
    let mut bindings = Vec::new();
    for source in sources {
        let spec = string_value(*source, src).unwrap_or_default();
        if !project_module(&spec) {
            continue;
        }
        let line = query::line(*source);
        // `const api = require("./api")`: the module's default.
        if let Some(local) = required_as(*source, src) {
            bindings.push(Binding { local, remote: "default".into(), line });
            continue;
        }
        let Some(stmt) = source.parent().filter(|p| p.kind_name() == "import_statement") else { continue };
        for clause in named(stmt).into_iter().filter(|c| c.kind_name() == "import_clause") {
            for b in named(clause) {
                match b.kind_name() {
                    "identifier" => {
                        bindings.push(Binding { local: query::text(b, src).into(), remote: "default".into(), line })
                    }
                    "named_imports" => {
                        for s in named(b).into_iter().filter(|s| s.kind_name() == "import_specifier") {
                            let Some(name) = s.field("name") else { continue };
                            let remote = query::text(name, src).to_string();
                            let local =
                                s.field("alias").map_or_else(|| remote.clone(), |a| query::text(a, src).to_string());
                            bindings.push(Binding { local, remote, line });
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    bindings
}

/// The declaration a module-level statement makes: the statement itself, or what an
/// `export` statement declares (`export class X {}` → the class).
pub fn declared(top: Node) -> Option<Node> {
    match top.kind_name() {
        "export_statement" => top.field("declaration"),
        _ => Some(top),
    }
}

/// Whether the text may validate the environment with a zod schema (a text check, so
/// that other files are not walked).
pub fn env_schema_text(words: &Words) -> bool {
    words.has(W::z_object) && (words.has(W::parse_env) || words.has(W::Parse_env))
}

/// A zod schema's keys, each with its `.default(…)` text when it has one.
type SchemaKeys = Vec<(String, Option<String>)>;

/// A zod schema of the environment read at the module's top level: `const EnvSchema =
/// z.object({ QUEUE: z.string().default('jobs'), PORT: z.coerce.number().default(3000) })`
/// then `export const config = EnvSchema.parse(process.env)` (or `const parsed =
/// EnvSchema.safeParse(process.env)` and `config = parsed.data`): each key is a constant
/// `config.QUEUE`, the environment variable of that name with the schema's literal
/// `.default(…)` when it ends with one, as `process.env.QUEUE ?? 'jobs'` reads.
pub fn env_schemas(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let decls: Vec<(String, Node, u32)> = named(root)
        .into_iter()
        .filter_map(declared)
        .filter(|d| matches!(d.kind_name(), "lexical_declaration" | "variable_declaration"))
        .flat_map(named)
        .filter_map(|d| {
            let name = d.field("name").filter(|n| n.kind_name() == "identifier")?;
            Some((query::text(name, src).to_string(), d.field("value")?, query::line(d)))
        })
        .collect();
    // Schemas: name → [(key, default)].
    let mut schemas: Vec<(&str, SchemaKeys)> = Vec::new();
    for (name, value, _) in &decls {
        let Some(args) = call_of(*value, "z.object", src) else { continue };
        let Some(obj) = args.first().filter(|o| o.kind_name() == "object") else { continue };
        let keys = named(*obj)
            .into_iter()
            .filter(|p| p.kind_name() == "pair")
            .filter_map(|p| {
                let key = p.field("key").filter(|k| k.kind_name() == "property_identifier")?;
                Some((query::text(key, src).to_string(), zod_default(p.field("value")?, src)))
            })
            .collect();
        schemas.push((name, keys));
    }
    if schemas.is_empty() {
        return;
    }
    // `S.parse(process.env)` / `S.safeParse(process.env)` (`.data` of it, or of a name bound to it).
    let parsed_by = |v: Node| -> Option<&str> {
        let f = v
            .field("function")
            .filter(|f| v.kind_name() == "call_expression" && f.kind_name() == "member_expression")?;
        let method = query::text(f.field("property")?, src);
        let arg = v.field("arguments").map(named).unwrap_or_default();
        if !matches!(method, "parse" | "safeParse") || arg.len() != 1 || query::text(arg[0], src) != "process.env" {
            return None;
        }
        let schema = query::text(f.field("object")?, src);
        schemas.iter().find(|(n, _)| *n == schema).map(|(n, _)| *n)
    };
    let mut bound: Vec<(&str, &str, u32)> = Vec::new();
    let mut results: Vec<(&str, &str)> = Vec::new();
    for (name, value, line) in &decls {
        let mut v = *value;
        while matches!(v.kind_name(), "as_expression" | "non_null_expression" | "parenthesized_expression") {
            let Some(inner) = v.named_child(0) else { break };
            v = inner;
        }
        if let Some(schema) = parsed_by(v) {
            let safe = query::text(v, src).contains(".safeParse(");
            if safe {
                results.push((name, schema));
            } else {
                bound.push((name, schema, *line));
            }
            continue;
        }
        // `config = parsed.data`, `config = EnvSchema.safeParse(process.env).data`.
        if v.kind_name() == "member_expression" && v.field("property").is_some_and(|p| query::text(p, src) == "data") {
            let Some(object) = v.field("object") else { continue };
            let schema = match object.kind_name() {
                "identifier" => results.iter().find(|(r, _)| *r == query::text(object, src)).map(|(_, s)| *s),
                _ => parsed_by(object),
            };
            if let Some(schema) = schema {
                bound.push((name, schema, *line));
            }
        }
    }
    for (name, schema, line) in bound {
        let Some((_, keys)) = schemas.iter().find(|(n, _)| *n == schema) else { continue };
        for (key, default) in keys {
            let value = vec![Part::Env(key.clone(), default.clone())];
            facts.consts.push(RawConst { name: format!("{name}.{key}"), value, line });
        }
    }
}

/// The arguments of a call of `callee` (as written), if `v` is one.
fn call_of<'t>(v: Node<'t>, callee: &str, src: &[u8]) -> Option<Vec<Node<'t>>> {
    let f = v.field("function").filter(|_| v.kind_name() == "call_expression")?;
    (query::text(f, src) == callee).then(|| v.field("arguments").map(named).unwrap_or_default())
}

/// The literal a zod chain's outermost `.default(…)` gives (`z.string().default('x')`,
/// `z.coerce.number().int().default(3000)`), if it ends with one.
fn zod_default(v: Node, src: &[u8]) -> Option<String> {
    let f =
        v.field("function").filter(|f| v.kind_name() == "call_expression" && f.kind_name() == "member_expression")?;
    if f.field("property").is_none_or(|p| query::text(p, src) != "default") {
        return None;
    }
    let arg = *v.field("arguments").map(named).unwrap_or_default().first()?;
    match arg.kind_name() {
        "number" => Some(query::text(arg, src).to_string()),
        "string" => string_value(arg, src),
        _ => None,
    }
}

/// Members of a module's top-level declarations (exported or not) that are constants,
/// as a `const` object's members are: `enum API_METHODS { GET = 'GET', … }` gives
/// `API_METHODS.GET`, `class Config { static readonly BASE = 'http://…' }` gives
/// `Config.BASE` (string values only). Only asked for files whose text has `enum ` or `static `.
pub fn member_constants(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    for top in named(root) {
        let Some(decl) = declared(top) else { continue };
        let members = match decl.kind_name() {
            "enum_declaration" => "enum_assignment",
            "class_declaration" | "abstract_class_declaration" => "public_field_definition",
            _ => continue,
        };
        let (Some(name), Some(body)) = (decl.field("name"), decl.field("body")) else {
            continue;
        };
        for m in named(body).into_iter().filter(|m| m.kind_name() == members) {
            let mut c = m.walk();
            if members == "public_field_definition" && !m.children(&mut c).any(|k| k.kind_name() == "static") {
                continue;
            }
            let (Some(key), Some(value)) = (m.field("name"), m.field("value")) else {
                continue;
            };
            // `enum KAFKA_EVENTS { 'user_created' = 'user_created' }`: the member is `user_created`.
            let key = match key.kind_name() {
                "string" => string_value(key, src).unwrap_or_default(),
                _ => query::text(key, src).to_string(),
            };
            let member = format!("{}.{key}", query::text(name, src));
            // `static users = { root: 'users', userId: 'userId' }`: `ApiRouter.users.root`.
            if value.kind_name() == "object" && members == "public_field_definition" {
                object_members(facts, &member, value, src, 0);
                continue;
            }
            let Some(value) = string_value(value, src) else { continue };
            arch::push_const(facts, member, lit(&value), query::line(m));
        }
    }
}

/// A NestJS message pattern: text, or a name that may be a constant or a string `enum`
/// member (`Events.USER_CREATED`), as written; Nest's request-response object `{ cmd: X }`
/// is its command `X`, the name Nest's documentation and its users give the message. (Nest's
/// channel is the object's JSON, `{"cmd":"X"}`: a plain pattern `'X'` of the same project would
/// be another channel joined to it here, a mix not seen in practice.) An object of several
/// keys is the channel Nest makes of it, its JSON with the keys sorted ([`nest_route`]):
/// `{ role: 'user', cmd: 'get' }` and `{ cmd: 'get', role: 'user' }` are one channel. A
/// name may also be a constant holding such an object (`NEST_ROUTE` member, read in resolution).
fn nest_pattern(n: Node, src: &[u8]) -> Option<Template> {
    let n = match n.kind_name() {
        "object" => match named(n).as_slice() {
            [pair] if pair.kind_name() == "pair" && pair_key(*pair, src).as_deref() == Some("cmd") => {
                pair.field("value")?
            }
            _ => return nest_route(n, src, 0),
        },
        _ => n,
    };
    match n.kind_name() {
        "identifier" | "member_expression" => Some(template(n, src)),
        // `` @MessagePattern(`bank${process.env.BANK_CODE}`) ``: read in resolution, with the
        // service's environment.
        "template_string" => Some(template(n, src)).filter(|t| !t.is_empty()),
        _ => string_value(n, src).filter(|s| !s.is_empty()).map(|s| lit(&s)),
    }
}

/// The member under which a module-level object constant keeps the NestJS channel its
/// object makes (`export const LOGIN = { api: 'auth', name: 'login' }` gives
/// `LOGIN.(route)` = `{"api":"auth","name":"login"}`): no JS member has parentheses.
pub const NEST_ROUTE: &str = ".(route)";

/// A pair's key: a name or a string.
fn pair_key(pair: Node, src: &[u8]) -> Option<String> {
    let k = pair.field("key")?;
    match k.kind_name() {
        "property_identifier" => Some(query::text(k, src).to_string()),
        _ => string_value(k, src),
    }
}

/// The channel NestJS makes of an object pattern (`transformPatternToRoute`): its JSON with
/// the keys sorted as `localeCompare` sorts them, text values quoted, numbers as written,
/// nested objects the same way. A value that is a name (a constant, an `enum` member) is
/// taken for text and read in resolution. None for anything else (a spread, a computed key,
/// a call), and for an empty object.
fn nest_route(obj: Node, src: &[u8], depth: usize) -> Option<Template> {
    if depth > 2 {
        return None;
    }
    let mut pairs: Vec<(String, Template)> = Vec::new();
    for pair in named(obj) {
        if pair.kind_name() != "pair" {
            return None;
        }
        let (key, value) = (pair_key(pair, src)?, pair.field("value")?);
        let value = match value.kind_name() {
            "number" => lit(query::text(value, src)),
            "object" => nest_route(value, src, depth + 1)?,
            "identifier" | "member_expression" => {
                let mut t = lit("\"");
                t.push(Part::Ref(query::text(value, src).to_string()));
                t.push(Part::Lit("\"".into()));
                t
            }
            _ => lit(&format!("\"{}\"", string_value(value, src)?)),
        };
        pairs.push((key, value));
    }
    if pairs.is_empty() {
        return None;
    }
    // `localeCompare`: case-insensitive first, a lower-case letter before its capital.
    pairs.sort_by(|(a, _), (b, _)| {
        let fold = |s: &str| s.chars().map(|c| (c.to_ascii_lowercase(), c.is_ascii_uppercase())).collect::<Vec<_>>();
        fold(a).cmp(&fold(b))
    });
    let mut out = lit("{");
    for (k, (key, value)) in pairs.into_iter().enumerate() {
        let sep = if k == 0 { "" } else { "," };
        push_parts(&mut out, lit(&format!("{sep}\"{key}\":")));
        push_parts(&mut out, value);
    }
    push_parts(&mut out, lit("}"));
    Some(out)
}

/// Module-level object constants of text values (`export const LOGIN = { api: 'auth',
/// name: 'login' }`), small enough to be a NestJS message pattern (at most 4 keys, no value
/// longer than 64 bytes), as the channel Nest makes of each, kept as the constant
/// `LOGIN.(route)` ([`NEST_ROUTE`]): a `@MessagePattern(LOGIN)` and a `send(LOGIN, …)` of
/// other modules read it through their imports. A one-key `{ cmd: X }` is `X`, as
/// `nest_pattern` reads it written out. Asked for files whose text has `= {`; with
/// `texts`, for a file no trigger word sent through the full pass (whose constants nothing
/// else reads), also the exported text constants named in capitals (`export const
/// MAIL_QUEUE = 'mail'`), which a queue's or a pattern's name may be, and the members of
/// the exported objects of such names holding only text (`export const ENDPOINTS = {
/// signUp: 'sign-up' }`, `string_tree`), as `ENDPOINTS.signUp`.
pub fn route_constants(root: Node, text: &str, texts: bool, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    for top in named(root) {
        let exported = top.kind_name() == "export_statement";
        let Some(decl) = declared(top).filter(|d| d.kind_name() == "lexical_declaration") else { continue };
        for d in named(decl).into_iter().filter(|d| d.kind_name() == "variable_declarator") {
            let (Some(name), Some(mut v)) = (d.field("name"), d.field("value")) else { continue };
            while matches!(v.kind_name(), "as_expression" | "satisfies_expression") {
                match v.named_child(0) {
                    Some(inner) => v = inner,
                    None => break,
                }
            }
            if name.kind_name() != "identifier" {
                continue;
            }
            let constant = |n: &str| n.len() > 1 && !n.bytes().any(|b| b.is_ascii_lowercase());
            if texts && exported && constant(query::text(name, src)) && v.byte_range().len() <= 258 {
                if let Some(value) = string_value(v, src) {
                    arch::push_const(facts, query::text(name, src).to_string(), lit(&value), query::line(d));
                    continue;
                }
            }
            if v.kind_name() != "object" {
                continue;
            }
            // `export const ENDPOINTS = { signUp: 'sign-up', … }` in a module naming no
            // framework: each member a constant (`ENDPOINTS.signUp`), read where another
            // module imports the object (`@Post(ENDPOINTS.signUp)`, `emit(TOPICS.X, …)`).
            if texts && exported && constant(query::text(name, src)) && string_tree(v, 0) {
                object_members(facts, query::text(name, src), v, src, 0);
            }
            let pairs = named(v);
            let small = pairs.len() <= 4
                && pairs.iter().all(|p| {
                    p.kind_name() == "pair"
                        && p.field("value")
                            .is_some_and(|x| matches!(x.kind_name(), "string" | "number") && x.byte_range().len() <= 66)
                });
            if !small {
                continue;
            }
            let route = match pairs.as_slice() {
                [pair] if pair_key(*pair, src).as_deref() == Some("cmd") => {
                    pair.field("value").and_then(|x| string_value(x, src)).map(|s| lit(&s))
                }
                _ => nest_route(v, src, 0),
            };
            if let Some(route) = route {
                let member = format!("{}{NEST_ROUTE}", query::text(name, src));
                arch::push_const(facts, member, route, query::line(d));
            }
        }
    }
}

/// Whether a file may declare a class whose getters read the environment
/// ([`class_env_getters`]).
pub fn env_getter_text(words: &Words) -> bool {
    words.has(W::class_) && words.has(W::get_) && words.any(&[W::process_env, W::ProcessEnv])
}

/// Whether the text may hold a configuration object made of a class whose fields read the
/// environment ([`instance_env_fields`]).
pub fn instance_env_text(words: &Words) -> bool {
    words.has(W::class_) && words.has(W::new_) && words.has(W::process_env)
}

/// A module-level instance of a class of the same module, whose fields the class sets to
/// an environment variable or text: `class Configuration { readonly AWS_SQS_QUEUE_URL =
/// process.env.AWS_SQS_QUEUE_URL as string }` then `export const Config = new
/// Configuration()` gives the constant `Config.AWS_SQS_QUEUE_URL` (issue #3, kyhsa93's SQS
/// queue URL). A field the class assigns again (`this.X = …`) or that is static is left out,
/// and a value other than an environment read (optionally with a text default) or text.
pub fn instance_env_fields(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let tops = named(root);
    let mut instances: Vec<(&str, &str, u32)> = Vec::new();
    for top in &tops {
        let Some(decl) = declared(*top).filter(|d| d.kind_name() == "lexical_declaration") else { continue };
        for d in named(decl).into_iter().filter(|d| d.kind_name() == "variable_declarator") {
            let (Some(name), Some(value)) = (d.field("name"), d.field("value")) else { continue };
            let class = value.field("constructor").filter(|c| c.kind_name() == "identifier");
            if let (Some(class), "identifier", "new_expression") = (class, name.kind_name(), value.kind_name()) {
                instances.push((query::text(name, src), query::text(class, src), query::line(d)));
            }
        }
    }
    if instances.is_empty() {
        return;
    }
    for top in &tops {
        let Some(class) = declared(*top).filter(|d| d.kind_name() == "class_declaration") else { continue };
        let (Some(name), Some(body)) = (class.field("name"), class.field("body")) else { continue };
        let class_name = query::text(name, src);
        if !instances.iter().any(|(_, c, _)| *c == class_name) {
            continue;
        }
        let body_text = query::text(body, src);
        for m in named(body).into_iter().filter(|m| m.kind_name() == "public_field_definition") {
            let mut c = m.walk();
            if m.children(&mut c).any(|k| k.kind_name() == "static") {
                continue;
            }
            let (Some(key), Some(value)) = (m.field("name"), m.field("value")) else { continue };
            if key.kind_name() != "property_identifier" {
                continue;
            }
            let field = query::text(key, src);
            if body_text.contains(&format!("this.{field} =")) || body_text.contains(&format!("this.{field}=")) {
                continue;
            }
            let value = template(value, src);
            let readable = match value.as_slice() {
                [Part::Env(_, _)] => true,
                parts => !parts.is_empty() && parts.iter().all(|p| matches!(p, Part::Lit(_))),
            };
            if !readable {
                continue;
            }
            for (instance, _, _) in instances.iter().filter(|(_, c, _)| *c == class_name) {
                arch::push_const(facts, format!("{instance}.{field}"), value.clone(), query::line(m));
            }
        }
    }
}

/// The getters of a module's top-level classes that return an environment variable,
/// a configuration class (`class Config { get paymentUrl(): string { return
/// String(this.env.PAYMENT_URL); } }`): `process.env.X` itself, or `this.<field>.X` of a
/// field declared with a `ProcessEnv` type (`private env: NodeJS.ProcessEnv & CleanEnv`,
/// envalid's checked copy) or set to `process.env`, optionally through `String(…)`. Each is
/// the constant `Config.paymentUrl` (and `default.paymentUrl` for the default export),
/// which a member of a field typed `Config` names (`ts_nest::this_fields`).
pub fn class_env_getters(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    for top in named(root) {
        let Some(class) = declared(top).filter(|d| matches!(d.kind_name(), "class_declaration" | "class")) else {
            continue;
        };
        let (Some(name), Some(body)) = (class.field("name"), class.field("body")) else { continue };
        let default = top.kind_name() == "export_statement"
            && (0..top.child_count()).any(|i| top.child(i).is_some_and(|c| c.kind_name() == "default"));
        let env_field = |field: &str| {
            named(body).into_iter().any(|m| {
                matches!(m.kind_name(), "public_field_definition" | "field_definition")
                    && m.field("name").or_else(|| m.field("property")).is_some_and(|k| query::text(k, src) == field)
                    && (m.field("type").is_some_and(|t| query::text(t, src).contains("ProcessEnv"))
                        || m.field("value").is_some_and(|v| query::text(v, src) == "process.env"))
            })
        };
        for m in named(body).into_iter().filter(|m| m.kind_name() == "method_definition") {
            let mut c = m.walk();
            let kinds: Vec<&str> = m.children(&mut c).map(|k| k.kind_name()).collect();
            if !kinds.contains(&"get") || kinds.contains(&"static") {
                continue;
            }
            let (Some(getter), Some(block)) = (m.field("name"), m.field("body")) else { continue };
            let statements = named(block);
            let [ret] = statements.as_slice() else { continue };
            let Some(mut e) = ret.named_child(0).filter(|_| ret.kind_name() == "return_statement") else { continue };
            // `String(x)`: the text itself.
            if let Some(f) = e.field("function").filter(|_| e.kind_name() == "call_expression") {
                let args = e.field("arguments").map(named).unwrap_or_default();
                match (query::text(f, src), args.as_slice()) {
                    ("String", [one]) => e = *one,
                    _ => continue,
                }
            }
            let var = env_member(e, src).or_else(|| {
                let object = e.field("object").filter(|_| e.kind_name() == "member_expression")?;
                let field = object.field("property").filter(|_| object.kind_name() == "member_expression")?;
                if object.field("object")?.kind_name() != "this" || !env_field(query::text(field, src)) {
                    return None;
                }
                let var = e.field("property").filter(|p| p.kind_name() == "property_identifier")?;
                Some(query::text(var, src).to_string())
            });
            let Some(var) = var else { continue };
            let getter = query::text(getter, src);
            let value = vec![Part::Env(var, None)];
            let line = query::line(m);
            arch::push_const(facts, format!("{}.{getter}", query::text(name, src)), value.clone(), line);
            if default {
                arch::push_const(facts, format!("default.{getter}"), value, line);
            }
        }
    }
}

/// Whether an object literal holds only string (or number) values, directly or in
/// nested objects a few levels deep, and at most `MAX` of them: a table of names
/// (routes, topics), not a configuration reading the environment or calling code.
fn string_tree(v: Node, depth: usize) -> bool {
    const MAX: usize = 256;
    let pairs = named(v);
    depth <= 3
        && pairs.len() <= MAX
        && !pairs.is_empty()
        && pairs.iter().all(|p| {
            p.kind_name() == "pair"
                && p.field("value").is_some_and(|x| match x.kind_name() {
                    "string" | "number" => x.byte_range().len() <= 258,
                    "object" => string_tree(x, depth + 1),
                    _ => false,
                })
        })
}

/// The topics of an mqtt.js `publish`/`subscribe`, as written (MQTT's wildcards `+` and `#`
/// included): `client.publish('sensors/temp', msg)` publishes; `client.subscribe('a/+/b')`,
/// `subscribe(['a', 'b'])` and `subscribe({ 'a': { qos: 0 } })` consume each topic.
fn mqtt_topics(method: &str, args: &[Node], src: &[u8]) -> Vec<(Template, Access)> {
    let name = |a: Node| local_const(a, src).map_or_else(|| template(a, src), |v| lit(&v));
    // A topic may be built by concatenation too (`"settings/" + id`).
    let subject_like = |a: Node| subject_like(a) || a.kind_name() == "binary_expression";
    let Some(&first) = args.first() else { return Vec::new() };
    let (topics, access) = match (method, first.kind_name()) {
        ("publish", _) if subject_like(first) => (vec![name(first)], Access::Write),
        ("subscribe", "array") => {
            (named(first).into_iter().filter(|e| subject_like(*e)).map(name).collect(), Access::Read)
        }
        ("subscribe", "object") => {
            let keys = named(first).into_iter().filter(|p| p.kind_name() == "pair").filter_map(|p| p.field("key"));
            let topics = keys.filter_map(|k| match k.kind_name() {
                "property_identifier" => Some(lit(query::text(k, src))),
                "string" => string_value(k, src).map(|s| lit(&s)),
                "computed_property_name" => k.named_child(0).filter(|e| subject_like(*e)).map(name),
                _ => None,
            });
            (topics.collect(), Access::Read)
        }
        ("subscribe", _) if subject_like(first) => (vec![name(first)], Access::Read),
        _ => (Vec::new(), Access::Read),
    };
    topics.into_iter().map(|t| (t, access)).collect()
}

/// An argument that may name a NATS subject: text, a name, a member (`this.subject`,
/// `Subjects.OrderCreated`), not a callback or an options object.
fn subject_like(n: Node) -> bool {
    matches!(n.kind_name(), "string" | "template_string" | "identifier" | "member_expression")
}

/// Fields that top-level subclasses set to text or a constant (`class TicketCreatedPublisher
/// extends Publisher<TicketCreatedEvent> { subject: Subjects.TicketCreated =
/// Subjects.TicketCreated }`): a base class's queue named by `this.subject` is theirs
/// (`Collector::queue_field`). Only asked for files whose text has `extends`; the walk
/// is of the module's top level and class bodies only.
pub fn class_fields(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    for top in named(root) {
        let Some(decl) = declared(top).filter(|d| d.kind_name() == "class_declaration") else { continue };
        let (Some(name), Some(body)) = (decl.field("name"), decl.field("body")) else {
            continue;
        };
        let Some(base) = named(decl).into_iter().find(|c| c.kind_name() == "class_heritage").and_then(base_class)
        else {
            continue;
        };
        for m in
            named(body).into_iter().filter(|m| matches!(m.kind_name(), "public_field_definition" | "field_definition"))
        {
            let mut c = m.walk();
            if m.children(&mut c).any(|k| k.kind_name() == "static") {
                continue;
            }
            let key = m.field("name").or_else(|| m.field("property"));
            let (Some(key), Some(value)) = (key, m.field("value")) else { continue };
            if !matches!(value.kind_name(), "string" | "identifier" | "member_expression") {
                continue;
            }
            facts.class_fields.push(RawClassField {
                class: query::text(name, src).to_string(),
                base: query::text(base, src).to_string(),
                field: query::text(key, src).to_string(),
                value: template(value, src),
                line: query::line(m),
            });
        }
    }
}

/// Whether the text declares a class extending a plain name (`class TicketCreatedPublisher
/// extends Publisher<E> {`, also across lines), the only subclasses [`class_fields`] records
/// a base for that resolution can follow: `extends Data.TaggedError(…)` and a generic's
/// `T extends string` are not (a comment reading `class X extends Y` is, harmlessly: the
/// walk then finds nothing). A text check, so that the files of a project with no such
/// class are not walked.
pub fn extends_a_name(src: &[u8]) -> bool {
    memchr::memmem::find_iter(src, b"extends").any(|at| {
        let head = src[..at].trim_ascii_end();
        let tail = src[at + 7..].trim_ascii_start();
        let base = tail.iter().take_while(|b| arch::is_ident(**b)).count();
        let after = tail[base..].trim_ascii_start().first();
        let word = head.len() < at && at + 7 < src.len() - tail.len();
        if !word || base == 0 || matches!(after, Some(b'.' | b'(')) {
            return false;
        }
        // The class's name, before its type parameters (`class Box<T extends A<B>> extends Base`).
        let head = &head[..without_type_parameters(head)];
        let name = arch::ident_start(head, head.len());
        name < head.len() && head[..name].trim_ascii_end().ends_with(b"class")
    })
}

/// Where text ending in a declaration's type parameters (`Box<T extends A<B>>`) ends
/// without them, trailing spaces left out; its length when it ends otherwise.
fn without_type_parameters(head: &[u8]) -> usize {
    if head.last() != Some(&b'>') {
        return head.len();
    }
    let mut depth = 0usize;
    for (i, b) in head.iter().enumerate().rev() {
        match b {
            b'>' => depth += 1,
            b'<' if depth == 1 => return head[..i].trim_ascii_end().len(),
            b'<' => depth -= 1,
            _ => {}
        }
    }
    head.len()
}

/// Whether the text declares an enum at the start of a line (`enum Subjects {`, `export
/// const enum E {`): the only members [`member_constants`] reads of a file naming no
/// framework. `enum ` in prose or a comment is no declaration.
pub fn declares_enum(src: &[u8]) -> bool {
    memchr::memmem::find_iter(src, b"enum ").any(|at| {
        let line = src[..at].iter().rposition(|b| *b == b'\n').map_or(0, |n| n + 1);
        src[line..at]
            .split(u8::is_ascii_whitespace)
            .filter(|w| !w.is_empty())
            .all(|w| matches!(w, b"export" | b"declare" | b"const"))
    })
}

/// Whether the text gives a static field an object (`static users = { root: 'users' }`,
/// also `static readonly`), whose members [`member_constants`] reads in a file naming no
/// framework (a class of route names the controllers import).
pub fn static_object(src: &[u8]) -> bool {
    memchr::memmem::find_iter(src, b"static ").any(|at| {
        let rest = &src[at + 7..];
        let rest = rest.strip_prefix(b"readonly ".as_slice()).unwrap_or(rest);
        let name = rest.iter().take_while(|b| arch::is_ident(**b)).count();
        let after = rest[name..].trim_ascii_start();
        name > 0 && after.first() == Some(&b'=') && after[1..].trim_ascii_start().first() == Some(&b'{')
    })
}

/// Methods called on instances of classes the module imports from the project, made
/// where they are used ([`crate::model::RawInstanceCall`]): `new TicketCreatedPublisher(client).publish(data)`
/// (also parenthesized), or `p.publish(data)` after `const p = new X(client)`, in the
/// block declaring `p`. Found from the text's `new <Name>` for a name the imports bind
/// (`sources` are the file's import specifiers, asked for only when some `new` names a
/// capitalised name); the bindings are kept when a call is found, for resolution to
/// follow the class to its module.
pub fn instance_calls<'t>(root: Node<'t>, text: &str, sources: &dyn Fn() -> Vec<Node<'t>>, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let constructed = |at: usize| {
        let name = &src[at + 4..];
        let len = name.iter().take_while(|b| arch::is_ident(**b)).count();
        let boundary = at == 0 || !arch::is_ident(src[at - 1]) && src[at - 1] != b'.';
        (boundary && name.first().is_some_and(u8::is_ascii_uppercase)).then(|| &text[at + 4..at + 4 + len])
    };
    let mut news: Vec<(usize, &str)> =
        memchr::memmem::find_iter(src, b"new ").filter_map(|at| constructed(at).map(|c| (at, c))).collect();
    if news.is_empty() {
        return;
    }
    let own = facts.bindings.is_empty().then(|| import_bindings(&sources(), src));
    let bindings = own.as_deref().unwrap_or(&facts.bindings);
    news.retain(|(_, c)| bindings.iter().any(|b| b.local == *c));
    let mut found = Vec::new();
    // `client.get('https://…')`: the call with its arguments, for a method of the class
    // that is a request wrapper (`HTTPClient.prototype.get`, `lang/ts_classes.rs`).
    let mut arg_calls: Vec<RawArgCall> = Vec::new();
    let known = |n: &str| bindings.iter().any(|b| b.local == n) || facts.consts.iter().any(|c| c.name == n);
    for (at, class) in news {
        let Some(n) = root.descendant_for_byte_range(at, at + 3) else { continue };
        // The `new` and its ancestors in one descent from the root (`Node::parent` descends
        // from the root at each call).
        let up = query::ancestors_below(root, n, usize::MAX);
        if up.first().is_none_or(|new| new.kind_name() != "new_expression") {
            continue;
        }
        let i = up.iter().skip(1).take_while(|p| p.kind_name() == "parenthesized_expression").count();
        let (outer, above) = (up[i], &up[i + 1..]);
        let Some(&parent) = above.first() else { continue };
        let mut push = |(method, line, call): (String, u32, Node)| {
            let callee = format!("{class}.prototype.{method}");
            if let Some(a) = call.field("arguments").and_then(|a| arg_call(callee, a, false, src, &known, &[])) {
                arg_calls.push(a);
            }
            let call = crate::model::RawInstanceCall { class: class.to_string(), method, line };
            if !found.contains(&call) {
                found.push(call);
            }
        };
        match parent.kind_name() {
            "member_expression" => {
                called_member(parent, above.get(1).copied(), outer, src).into_iter().for_each(&mut push)
            }
            "variable_declarator" => {
                instance_uses(&above[..above.len().min(3)], outer, src).into_iter().for_each(&mut push)
            }
            _ => {}
        }
    }
    if let Some(own) = own.filter(|_| !found.is_empty()) {
        facts.bindings = own;
    }
    facts.instance_calls = found;
    facts.arg_calls.extend(arg_calls);
}

/// `object.m(…)` where `member` is `object.m`: the method and the line it is called at.
fn called_member<'t>(
    member: Node<'t>,
    parent: Option<Node<'t>>,
    object: Node<'t>,
    src: &[u8],
) -> Option<(String, u32, Node<'t>)> {
    let call = parent.filter(|c| c.kind_name() == "call_expression")?;
    if member.field("object") != Some(object) || call.field("function") != Some(member) {
        return None;
    }
    let property = member.field("property")?;
    Some((query::text(property, src).to_string(), query::line(property), call))
}

/// The methods called on the `const` a declarator gives `value` (`const p = new X(c)`),
/// in the block declaring it; `up` is the declarator and its nearest ancestors.
fn instance_uses<'t>(up: &[Node<'t>], value: Node<'t>, src: &[u8]) -> Vec<(String, u32, Node<'t>)> {
    let Some(&declarator) = up.first() else { return Vec::new() };
    let declaration = up.get(1).copied().filter(|d| d.kind_name() == "lexical_declaration");
    let is_const = declaration.and_then(|d| d.child(0)).is_some_and(|k| k.kind_name() == "const");
    let name = declarator.field("name").filter(|n| n.kind_name() == "identifier");
    let (Some(scope), Some(name), true) = (declaration.and(up.get(2).copied()), name, is_const) else {
        return Vec::new();
    };
    if declarator.field("value") != Some(value) {
        return Vec::new();
    }
    let word = query::text(name, src).as_bytes();
    let range = scope.start_byte()..scope.end_byte();
    let mut uses = Vec::new();
    for at in memchr::memmem::find_iter(&src[range.clone()], word).map(|i| i + range.start) {
        let before = at.checked_sub(1).map(|i| src[i]);
        if before.is_some_and(|b| arch::is_ident(b) || b == b'.') || src.get(at + word.len()) != Some(&b'.') {
            continue;
        }
        let Some(object) = scope.descendant_for_byte_range(at, at + word.len()) else { continue };
        // The member and what holds it, in one descent from the scope (`Node::parent`
        // descends from the file's root).
        let up = query::ancestors_below(scope, object, 2);
        let member = up.first().copied().filter(|m| m.kind_name() == "member_expression");
        if let Some(used) = member
            .filter(|_| object.kind_name() == "identifier")
            .and_then(|m| called_member(m, up.get(1).copied(), object, src))
        {
            uses.push(used);
        }
    }
    uses
}

/// The class an `extends` clause names, without type arguments: `Publisher` of
/// `extends Publisher<E>` (TypeScript's `extends_clause`, JavaScript's bare expression).
pub(super) fn base_class(heritage: Node) -> Option<Node> {
    let first = heritage.named_child(0)?;
    let value = if first.kind_name() == "extends_clause" { first.field("value")? } else { first };
    matches!(value.kind_name(), "identifier" | "member_expression").then_some(value)
}

/// `url + queryParams`, `` `${url}${query}` ``: the URL without a trailing query
/// string, when the added part is one (a local whose value starts with `?`, or is
/// `''` when there is no query).
fn without_query<'t>(u: Node<'t>, src: &[u8]) -> Node<'t> {
    match u.kind_name() {
        "binary_expression"
            if u.field("operator").is_some_and(|o| query::text(o, src) == "+")
                && u.field("right").is_some_and(|r| query_string(r, src, 0)) =>
        {
            u.field("left").unwrap_or(u)
        }
        _ => u,
    }
}

/// An expression that is a URL's query string: `` `?${qs}` ``, `'?' + qs`, `qs ? `?${qs}` : ''`,
/// or a local of the enclosing function holding one.
fn query_string(n: Node, src: &[u8], depth: usize) -> bool {
    let starts_q = |n: Node| match n.kind_name() {
        "string" | "template_string" => query::text(n, src).get(1..).is_some_and(|t| t.starts_with('?')),
        _ => false,
    };
    let empty = |n: Node| string_value(n, src).is_some_and(|s| s.is_empty());
    match n.kind_name() {
        "string" | "template_string" => starts_q(n),
        "binary_expression" => n.field("left").is_some_and(starts_q),
        "parenthesized_expression" => n.named_child(0).is_some_and(|c| query_string(c, src, depth)),
        "ternary_expression" => {
            let (Some(a), Some(b)) = (n.field("consequence"), n.field("alternative")) else {
                return false;
            };
            let q = |x: Node| query_string(x, src, depth);
            (q(a) || empty(a)) && (q(b) || empty(b)) && (q(a) || q(b))
        }
        "identifier" if depth == 0 => {
            matches!(local_value(None, n, src), Some(Some(v)) if query_string(v, src, depth + 1))
        }
        _ => false,
    }
}

/// A specifier naming one of the project's modules: relative, or through the aliases
/// front ends conventionally give their source root (`@/`, `~/`, SvelteKit's `$lib/`).
fn project_module(spec: &str) -> bool {
    spec.starts_with('.')
        || ["@/", "~/", "$lib/"].iter().any(|a| spec.starts_with(a))
        // `utils/agent` under jsconfig's `baseUrl: src`: a path no scope begins may be one
        // of the project's modules (a package's, `lodash/get`, resolves to no file).
        || !spec.starts_with('@') && spec.contains('/') && !spec.contains(':')
}

/// The name `const name = require("./m")` binds the module's string to.
fn required_as(source: Node, src: &[u8]) -> Option<String> {
    let call = source.parent().filter(|a| a.kind_name() == "arguments")?.parent()?;
    call.field("function").filter(|f| query::text(*f, src) == "require")?;
    let decl = call.parent().filter(|d| d.kind_name() == "variable_declarator")?;
    let name = decl.field("name").filter(|n| n.kind_name() == "identifier")?;
    Some(query::text(name, src).to_string())
}

/// When an identifier handed to a client is a parameter of the function around
/// it (which does not assign it: see `local_value`), that function's name and
/// the parameter's index: `const getName = (url) => fetch(url)`,
/// `function get(url) {…}`, `helpers.simpleHttpRequest = function (url, res) {…}`,
/// a class's static method `static fetch(path) {…}` (called as `Api.fetch`; the
/// shorthand `{ method }` of an options object names a parameter too). Any other method,
/// or a function with no name to call it by, is not one.
pub(super) fn wrapper_param<'t>(root: Option<&query::Root<'t>>, arg: Node<'t>, src: &[u8]) -> Option<(String, usize)> {
    if !matches!(arg.kind_name(), "identifier" | "shorthand_property_identifier") {
        return None;
    }
    let name = query::text(arg, src);
    let func = query::ancestors_in(root, arg, 64).into_iter().find(|a| FUNCTIONS.contains(&a.kind_name()))?;
    let index = match func.field("parameter") {
        Some(p) => (query::text(p, src) == name).then_some(0)?,
        None => {
            let params = named(func.field("parameters")?);
            params.iter().position(|p| param_ident(*p).is_some_and(|i| query::text(i, src) == name))?
        }
    };
    Some((function_name(func, src)?, index))
}

/// The name a function is called by: its own, the variable, member or key it is assigned
/// to, `Class.method` for a static method, `default` for `export default (…) => …`.
fn function_name(func: Node, src: &[u8]) -> Option<String> {
    match func.kind_name() {
        "function_declaration" => func.field("name").map(|n| query::text(n, src).to_string()),
        "arrow_function" | "function_expression" => {
            let parent = func.parent()?;
            let target = match parent.kind_name() {
                "variable_declarator" => parent.field("name"),
                "assignment_expression" => parent.field("left"),
                "pair" => return member_name(parent, parent.field("key")?, src),
                "export_statement" => return Some("default".into()),
                _ => None,
            };
            target
                .filter(|t| matches!(t.kind_name(), "identifier" | "member_expression" | "property_identifier"))
                .map(|t| query::text(t, src).to_string())
        }
        "method_definition" => static_method(func, src)
            .or_else(|| super::ts_nest::injectable_method(func, src))
            .or_else(|| member_name(func, func.field("name")?, src).filter(|n| n.contains('.'))),
        _ => None,
    }
}

/// The name a member of an object literal is called by (`get: (url) => …` or the
/// shorthand `post(url, body) { … }`): `requests.get` when the object is a variable's
/// value (`const requests = { … }`, RealWorld's `agent.js`), so that `requests.get('/x')`
/// names it in its own module and through an import; the key alone elsewhere
/// (`module.exports = { get: … }`, called by the name it is imported as).
fn member_name(member: Node, key: Node, src: &[u8]) -> Option<String> {
    if key.kind_name() != "property_identifier" {
        return None;
    }
    let key = query::text(key, src);
    let object = member.parent().filter(|o| o.kind_name() == "object")?;
    let holder = object.parent().filter(|d| d.kind_name() == "variable_declarator").and_then(|d| d.field("name"));
    Some(match holder.filter(|n| n.kind_name() == "identifier") {
        Some(n) => format!("{}.{key}", query::text(n, src)),
        None => key.to_string(),
    })
}

/// When an identifier is a property of an object parameter of a function around it
/// (`export default ({ url, method }) => { … axios[method](url) … }`, also from a
/// closure inside, which takes the name from there): that function's name, the
/// parameter's index and the property's key. A function in between that has the name as
/// a parameter or declares it takes it instead: none.
fn object_param(arg: Node, src: &[u8]) -> Option<(String, usize, String)> {
    if arg.kind_name() != "identifier" {
        return None;
    }
    let name = query::text(arg, src);
    for func in query::ancestors(arg, 64).filter(|a| FUNCTIONS.contains(&a.kind_name())) {
        if func.field("parameter").is_some_and(|p| query::text(p, src) == name) {
            return None;
        }
        let params = func.field("parameters").map(named).unwrap_or_default();
        if params.iter().any(|p| param_ident(*p).is_some_and(|i| query::text(i, src) == name)) {
            return None;
        }
        if let Some((index, key)) =
            params.iter().enumerate().find_map(|(i, p)| pattern_key(*p, name, src).map(|k| (i, k)))
        {
            return Some((function_name(func, src)?, index, key));
        }
        if func.field("body").is_some_and(|b| declares(b, name, src)) {
            return None;
        }
    }
    None
}

/// The key under which an object pattern parameter (`{ url, method = 'get', path: p }`)
/// binds `name`, at its top level.
pub(super) fn pattern_key(param: Node, name: &str, src: &[u8]) -> Option<String> {
    let pattern = match param.kind_name() {
        "object_pattern" => Some(param),
        "required_parameter" | "optional_parameter" => param.field("pattern"),
        "assignment_pattern" => param.field("left"),
        _ => None,
    }
    .filter(|p| p.kind_name() == "object_pattern")?;
    named(pattern).into_iter().find_map(|p| match p.kind_name() {
        "shorthand_property_identifier_pattern" => (query::text(p, src) == name).then(|| name.to_string()),
        "object_assignment_pattern" => {
            let left = p.field("left")?;
            (query::text(left, src) == name).then(|| name.to_string())
        }
        "pair_pattern" => {
            let value = p.field("value").filter(|v| v.kind_name() == "identifier")?;
            let key = p.field("key").filter(|k| k.kind_name() == "property_identifier")?;
            (query::text(value, src) == name).then(|| query::text(key, src).to_string())
        }
        _ => None,
    })
}

/// The marker of a URL part that an argument of a function gives (`Part::Ref`):
/// `arg:createApp:0:catalogUrl` is the member `catalogUrl` of the first argument of
/// `createApp`, which resolution reads at the function's callers (`resolve/calls.rs`).
pub(crate) const ARG: &str = "arg:";

/// A marked part's function, parameter index and member chain ([`ARG`]).
pub(crate) fn arg_ref(name: &str) -> Option<(&str, usize, &str)> {
    let mut parts = name.strip_prefix(ARG)?.splitn(3, ':');
    let (function, index, chain) = (parts.next()?, parts.next()?, parts.next()?);
    Some((function, index.parse().ok()?, chain))
}

/// A URL's references to a parameter of a named function around `at`, marked as the
/// argument its callers give ([`ARG`]) instead of read as constants of the same name:
/// `cfg.catalogUrl` in `export function createApp(cfg: Config) { … fetch(`${cfg.catalogUrl}/items`) }`
/// (a config object handed to an app factory), and, when `bare`, a name the parameter's
/// object pattern binds (`function createApp({ catalogUrl })`). A plain parameter is left
/// to the wrappers (its callers make the request); so is everything when `bare` is false.
/// The target of a proxy made for each row of a table: `createProxyMiddleware(r.proxy)` in
/// `routes.forEach(r => …)`, `routes.map(…)` or `for (const r of routes)`, the widely copied
/// API-gateway shape (`const ROUTES = [{ url: '/users', proxy: { target, changeOrigin } }]`):
/// `routes.*.proxy.target`, `*` standing for every row, which resolution reads in the table
/// (this module's, an imported one, or what the callers of the function around pass for
/// its parameter, [`param_members`]).
fn row_target(arg: Node, src: &[u8]) -> Option<String> {
    if !matches!(arg.kind_name(), "member_expression" | "identifier") {
        return None;
    }
    let text = query::text(arg, src);
    let (var, rest) = text.split_once('.').unwrap_or((text, ""));
    let table = row_source(arg, var, src)?;
    let ident = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$');
    if !table.split('.').all(ident) || !rest.split('.').all(|s| rest.is_empty() || ident(s)) {
        return None;
    }
    Some(if rest.is_empty() { format!("{table}.*.target") } else { format!("{table}.*.{rest}.target") })
}

/// Marks a mount's child as every element's router of a loop (`?each:router`, or
/// `?each:router:path` when the prefix is the element's field `path`).
pub const EACH: &str = "?each:";

/// `use` arguments mounting a loop element's member: `('/', r.router)` or `(r.path,
/// r.router)` with `r` the element of a `forEach`/`map` callback or a `for … of`: the
/// child ([`EACH`]) and the literal prefix; `None` for anything else.
fn each_mount(args: &[Node], src: &[u8]) -> Option<(String, Template)> {
    let (last, first) = match args {
        [last] => (*last, None),
        [first, last] => (*last, Some(*first)),
        _ => return None,
    };
    let element = |n: Node| -> Option<(String, String)> {
        let object =
            n.field("object").filter(|o| o.kind_name() == "identifier" && n.kind_name() == "member_expression")?;
        let member = n.field("property").filter(|p| p.kind_name() == "property_identifier")?;
        let var = query::text(object, src);
        row_source(n, var, src)?;
        Some((var.to_string(), query::text(member, src).to_string()))
    };
    let (var, member) = element(last)?;
    match first {
        None => Some((format!("{EACH}{member}"), Template::new())),
        Some(f) if matches!(f.kind_name(), "string" | "template_string") => {
            let prefix = template(f, src);
            let literal = prefix.iter().all(|p| matches!(p, Part::Lit(_) | Part::Ref(_)));
            literal.then(|| (format!("{EACH}{member}"), prefix))
        }
        Some(f) => {
            let (v, field) = element(f)?;
            (v == var).then(|| (format!("{EACH}{member}:{field}"), Template::new()))
        }
    }
}

/// The table whose rows the variable `var` around `at` runs over: the callee's receiver of
/// a `forEach`/`map` callback whose first parameter is `var`, or the right side of a
/// `for (const var of table)`. None when a nearer function binds `var` otherwise.
fn row_source(at: Node, var: &str, src: &[u8]) -> Option<String> {
    for a in query::ancestors(at, 32) {
        match a.kind_name() {
            "arrow_function" | "function_expression" | "function" => {
                let first = a
                    .field("parameter")
                    .or_else(|| a.field("parameters").and_then(|p| p.named_child(0)).and_then(param_ident));
                if first.is_none_or(|p| query::text(p, src) != var) {
                    continue;
                }
                let call = a.parent().filter(|p| p.kind_name() == "arguments")?.parent()?;
                let f = call.field("function").filter(|f| f.kind_name() == "member_expression")?;
                let method = f.field("property").map(|p| query::text(p, src));
                let table = f.field("object")?;
                return matches!(method, Some("forEach" | "map")).then(|| query::text(table, src).to_string());
            }
            "for_in_statement" => {
                let left = a.field("left").map(|l| query::text(l, src));
                if left == Some(var) && a.field("operator").is_some_and(|o| query::text(o, src) == "of") {
                    return a.field("right").map(|r| query::text(r, src).to_string());
                }
            }
            _ => {}
        }
    }
    None
}

fn param_members(at: Node, url: Template, bare: bool, src: &[u8]) -> Template {
    url.into_iter()
        .map(|p| match p {
            Part::Ref(r) => Part::Ref(member_of_param(at, &r, bare, src).unwrap_or(r)),
            other => other,
        })
        .collect()
}

/// The [`ARG`] marker of the reference `r` (`cfg.catalogUrl`, or a bare `catalogUrl`) when
/// its first name is a parameter of a named function around `at`, the nearest function
/// that binds it (a function in between declaring it makes it a local: none).
fn member_of_param(at: Node, r: &str, bare: bool, src: &[u8]) -> Option<String> {
    let ident = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$');
    let (head, chain) = match r.split_once('.') {
        Some((h, c)) => (h, Some(c)),
        None if bare => (r, None),
        None => return None,
    };
    // `*` stands for every row of a table ([`row_target`]).
    if !ident(head) || chain.is_some_and(|c| !c.split('.').all(|s| s == "*" || ident(s))) {
        return None;
    }
    let marker =
        |func: Node, index: usize, chain: String| function_name(func, src).map(|f| format!("{ARG}{f}:{index}:{chain}"));
    for func in query::ancestors(at, 64).filter(|a| FUNCTIONS.contains(&a.kind_name())) {
        if func.field("parameter").is_some_and(|p| query::text(p, src) == head) {
            return marker(func, 0, chain?.to_string());
        }
        let params = func.field("parameters").map(named).unwrap_or_default();
        if let Some(i) = params.iter().position(|p| param_ident(*p).is_some_and(|id| query::text(id, src) == head)) {
            return marker(func, i, chain?.to_string());
        }
        if let Some((i, key)) = params.iter().enumerate().find_map(|(i, p)| pattern_key(*p, head, src).map(|k| (i, k)))
        {
            return marker(func, i, chain.map_or_else(|| key.clone(), |c| format!("{key}.{c}")));
        }
        if func.field("body").is_some_and(|b| declares(b, head, src)) {
            return None;
        }
    }
    None
}

/// `Api.fetch` for `static fetch(…)` in `class Api { … }` (exported or not).
fn static_method(method: Node, src: &[u8]) -> Option<String> {
    let mut c = method.walk();
    if !method.children(&mut c).any(|k| k.kind_name() == "static") {
        return None;
    }
    let class = method.parent().filter(|b| b.kind_name() == "class_body")?.parent()?;
    if !matches!(class.kind_name(), "class_declaration" | "abstract_class_declaration" | "class") {
        return None;
    }
    let class = query::text(class.field("name")?, src);
    Some(format!("{class}.{}", query::text(method.field("name")?, src)))
}

/// A URL that is one parameter of the function it is requested in after module-level
/// names only (`` `${HOST}${path}` ``, `BASE + path`): the function's name, the
/// parameter's index and its name. Text before it (`` `${BASE}/orders/${id}` ``) makes
/// the parameter a part of a path the function requests, not the path its callers
/// give; a local or a field before it (`this.base`) is not followed.
fn inner_param(url: Node, src: &[u8]) -> Option<(String, usize, String)> {
    if !matches!(url.kind_name(), "template_string" | "binary_expression") {
        return None;
    }
    let mut pieces = Vec::new();
    url_pieces(url, src, &mut pieces);
    for p in pieces {
        match p.kind_name() {
            "identifier" if local_value(None, p, src).is_some() => return None,
            "identifier" => {
                if let Some((f, i)) = wrapper_param(None, p, src) {
                    return Some((f, i, query::text(p, src).to_string()));
                }
            }
            "member_expression" if !query::text(p, src).starts_with("this.") => {}
            // A field its class gives one value (`ts_nest`).
            "member_expression"
                if p.field("object").is_some_and(|o| o.kind_name() == "this")
                    && p.field("property")
                        .and_then(|f| super::ts_nest::field_value(p, query::text(f, src), src))
                        .is_some() => {}
            _ => return None,
        }
    }
    None
}

/// The one parameter every URL is of, after module-level names only (`inner_param`).
fn same_inner(urls: &[(Node, Option<(usize, String)>)], src: &[u8]) -> Option<(String, usize, String)> {
    let inners: Vec<_> = urls.iter().map(|(v, _)| inner_param(*v, src)).collect();
    inners.first().cloned().flatten().filter(|f| inners.iter().all(|g| g.as_ref() == Some(f)))
}

/// The pieces a URL is joined from, in order: a template string's text and
/// substitutions, the operands of `+`.
pub(super) fn url_pieces<'t>(n: Node<'t>, src: &[u8], out: &mut Vec<Node<'t>>) {
    match n.kind_name() {
        "template_string" => {
            for c in named(n) {
                match c.kind_name() {
                    "template_substitution" => out.extend(c.named_child(0)),
                    _ => out.push(c),
                }
            }
        }
        "binary_expression" if n.field("operator").is_some_and(|o| query::text(o, src) == "+") => {
            for f in ["left", "right"] {
                if let Some(c) = n.field(f) {
                    url_pieces(c, src, out);
                }
            }
        }
        _ => out.push(n),
    }
}

/// A template string ending with a query string the function appends (`` `${HOST}${path}${urlQuery}` ``):
/// a local or a parameter named for one (`query`, `qs`, `search`), or a local holding one.
fn ends_with_query(url: Node, src: &[u8]) -> bool {
    if url.kind_name() != "template_string" {
        return false;
    }
    let Some(last) = named(url).pop().filter(|c| c.kind_name() == "template_substitution") else { return false };
    let Some(id) = last.named_child(0).filter(|i| i.kind_name() == "identifier") else { return false };
    let name = query::text(id, src).to_ascii_lowercase();
    name.contains("query") || name == "qs" || name.contains("search") || query_string(id, src, 0)
}

/// The identifier a parameter binds: `url`, TypeScript's `url: string` / `url?: string`
/// (`required_parameter` / `optional_parameter`, typed or not), `url = "/"`.
pub(super) fn param_ident(p: Node) -> Option<Node> {
    match p.kind_name() {
        "identifier" => Some(p),
        "required_parameter" | "optional_parameter" => p.field("pattern").filter(|i| i.kind_name() == "identifier"),
        "assignment_pattern" => p.field("left").filter(|i| i.kind_name() == "identifier"),
        _ => None,
    }
}

/// `configService.get('X')`, `this.configService.getOrThrow<string>('X', 'default')`: the
/// environment variable `X` (with its default), as NestJS's `ConfigService.get` reads the
/// process environment before its own configuration. Only a receiver named
/// `…configService` (any case) and a key shaped like a variable's name (`database.host`
/// is a path into the loaded configuration, not a variable).
fn config_service_env(func: &str, args: &[Node], src: &[u8]) -> Option<Template> {
    let (receiver, method) = func.rsplit_once('.')?;
    let receiver = receiver.rsplit('.').next().unwrap_or(receiver);
    if !matches!(method, "get" | "getOrThrow") || !receiver.to_ascii_lowercase().ends_with("configservice") {
        return None;
    }
    let var = string_value(*args.first()?, src)?;
    // `get('gateway.services.users')`: a leaf of a `registerAs` namespace (`ts_config`).
    let path = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.';
    if args.len() == 1 && var.contains('.') && var.bytes().all(path) && !var.starts_with('.') && !var.ends_with('.') {
        return Some(vec![Part::Ref(format!("{}{var}", super::ts_config::NEST_CONFIG))]);
    }
    if var.is_empty() || !var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let default = match args.get(1) {
        None => None,
        Some(d) => Some(string_value(*d, src)?),
    };
    (args.len() <= 2).then(|| vec![Part::Env(var, default)])
}

/// `util.format("http://carts%s/carts", domain)`: each `%s`/`%d`/`%i`/`%j` takes the
/// next argument, `%%` is a percent sign. Anything else, or a count of
/// arguments that does not match the placeholders, is a parameter.
fn call_template(n: Node, src: &[u8]) -> Template {
    let func = n.field("function").map(|f| query::text(f, src)).unwrap_or("");
    // `UPDATE_LINK(linkId)`: a path function a module declares (see `path_function`).
    if func.len() > 1
        && func.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && func.as_bytes()[0].is_ascii_uppercase()
    {
        return vec![Part::Ref(func.to_string())];
    }
    let args = n.field("arguments").map(named).unwrap_or_default();
    // `Deno.env.get("X")`: Deno's environment read, as `process.env.X` is Node's.
    if func == "Deno.env.get" {
        if let [one] = args.as_slice() {
            if let Some(var) = string_value(*one, src) {
                return vec![Part::Env(var, None)];
            }
        }
    }
    // `configService.get('API_PREFIX')` (also `this.configService.get<string>(…, 'api')`,
    // `getOrThrow`): Nest's `ConfigService` answers from the process environment first.
    if let Some(env) = config_service_env(func, &args, src) {
        return env;
    }
    if let Some(base) = trimmed_slash(n, &args, src) {
        return base;
    }
    let fmt = args.first().and_then(|a| string_value(*a, src));
    let (true, Some(fmt)) = (func == "util.format", fmt) else {
        return vec![Part::Param(param_name(n, src))];
    };
    let mut out = Template::new();
    let mut rest = args[1..].iter();
    let mut chars = fmt.char_indices().peekable();
    let mut start = 0;
    while let Some((i, c)) = chars.next() {
        if c != '%' {
            continue;
        }
        let Some(&(_, spec)) = chars.peek() else { break };
        push_parts(&mut out, lit(&fmt[start..i]));
        chars.next();
        start = i + 2;
        match spec {
            '%' => push_parts(&mut out, lit("%")),
            's' | 'd' | 'i' | 'j' => match rest.next() {
                Some(a) => push_parts(&mut out, template(*a, src)),
                None => return vec![Part::Param(param_name(n, src))],
            },
            _ => return vec![Part::Param(param_name(n, src))],
        }
    }
    push_parts(&mut out, lit(&fmt[start..]));
    if rest.next().is_some() {
        return vec![Part::Param(param_name(n, src))];
    }
    out
}

/// `rawBase.replace(/\/$/, "")`: a base URL with its trailing slash cut off, the base's
/// template without one.
fn trimmed_slash(call: Node, args: &[Node], src: &[u8]) -> Option<Template> {
    let func = call.field("function").filter(|f| f.kind_name() == "member_expression")?;
    func.field("property").filter(|p| query::text(*p, src) == "replace")?;
    let [regex, empty] = args else { return None };
    let pattern = regex.field("pattern").filter(|_| regex.kind_name() == "regex")?;
    if !matches!(query::text(pattern, src), "\\/$" | "\\/+$" | "/$" | "/+$") || !string_value(*empty, src)?.is_empty() {
        return None;
    }
    let mut base = template(func.field("object")?, src);
    if let Some(Part::Lit(last)) = base.last_mut() {
        let kept = last.trim_end_matches('/').len();
        last.truncate(kept);
    }
    Some(base)
}

/// `export const UPDATE_LINK = (id: number) => `link/${id}``: a module-level function
/// returning a path built from its parameters, as the path with those parameters
/// (`link/{id}`), read where it is called by its name in capitals (`call_template`).
/// Any other function is no constant (a parameter: `push_const` keeps nothing).
pub(super) fn path_function(f: Node, src: &[u8]) -> Template {
    let none = || vec![Part::Param("param".into())];
    let Some(body) = f.field("body").filter(|b| matches!(b.kind_name(), "string" | "template_string")) else {
        return none();
    };
    let params: Vec<&str> = match f.field("parameter") {
        Some(p) => vec![query::text(p, src)],
        None => f
            .field("parameters")
            .map(named)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| param_ident(p).map(|i| query::text(i, src)))
            .collect(),
    };
    template(body, src)
        .into_iter()
        .map(|p| match p {
            Part::Ref(r) if params.contains(&r.as_str()) => Part::Param(r),
            Part::Ref(r) if !r.contains('.') && !r.bytes().any(|b| b.is_ascii_lowercase()) => Part::Ref(r),
            Part::Ref(r) => Part::Param(r.rsplit('.').next().unwrap_or(&r).to_string()),
            p => p,
        })
        .collect()
}

/// `process.env.X ? process.env.X : 'http://d'`, `!process.env.X ? 'd' : …`: the
/// branch taken when `X` is set and the one taken when it is not.
fn ternary(n: Node, src: &[u8]) -> Template {
    let field = |f: &'static str| n.field(f);
    let (Some(cond), Some(yes), Some(no)) = (field("condition"), field("consequence"), field("alternative")) else {
        return vec![Part::Param(param_name(n, src))];
    };
    let (cond, negated) = match cond.kind_name() {
        "unary_expression" if cond.field("operator").is_some_and(|o| query::text(o, src) == "!") => {
            (cond.field("argument").unwrap_or(cond), true)
        }
        _ => (cond, false),
    };
    match template(cond, src).as_slice() {
        [Part::Env(var, None)] => {
            let (set, unset) = if negated { (no, yes) } else { (yes, no) };
            vec![Part::IfEnv(var.clone(), template(set, src), template(unset, src))]
        }
        _ => vec![Part::Param(param_name(n, src))],
    }
}

pub(super) fn param_name(n: Node, src: &[u8]) -> String {
    query::text(n, src)
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
        .find(|s| !s.is_empty() && !s.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or("param")
        .to_string()
}

/// The module class an entry of `@Module({ imports })` names: `B`, `C.forRoot(…)`,
/// `forwardRef(() => D)`; `None` for anything else (a spread, a computed module).
fn nest_module_ref(e: Node, src: &[u8]) -> Option<String> {
    match e.kind_name() {
        "identifier" => Some(query::text(e, src).to_string()),
        "call_expression" => {
            let f = e.field("function")?;
            match f.kind_name() {
                "member_expression" => f.field("object").and_then(|o| nest_module_ref(o, src)),
                "identifier" if query::text(f, src) == "forwardRef" => {
                    let arrow = e.field("arguments").and_then(|a| named(a).into_iter().next())?;
                    arrow.field("body").and_then(|b| nest_module_ref(b, src))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The class a decorator sits on (directly, or through its method).
fn decorated_class(decorator: Node, src: &[u8]) -> Option<String> {
    let mut cur = decorator.parent();
    for _ in 0..6 {
        let n = cur?;
        match n.kind_name() {
            "class_declaration" | "class" | "abstract_class_declaration" => {
                return n.field("name").map(|x| query::text(x, src).to_string());
            }
            "export_statement" => {
                let decl = n.field("declaration")?;
                return decl.field("name").map(|x| query::text(x, src).to_string());
            }
            _ => cur = n.parent(),
        }
    }
    None
}

/// The method a decorator decorates: its parent, or the next method in the class body.
fn method_of(decorator: Node, src: &[u8]) -> Option<String> {
    let parent = decorator.parent()?;
    let method = if parent.kind_name() == "method_definition" {
        Some(parent)
    } else {
        let mut s = decorator.next_named_sibling();
        while let Some(x) = s.filter(|x| x.kind_name() == "decorator") {
            s = x.next_named_sibling();
        }
        s.filter(|x| x.kind_name() == "method_definition")
    };
    method?.field("name").map(|n| query::text(n, src).to_string())
}

/// `Model.init(…)`: the receiver's name.
fn receiver_of(call: Node, src: &[u8]) -> Option<String> {
    let f = call.field("function")?;
    f.field("object").map(|o| query::text(o, src).to_string())
}

/// Whether a knex chain started at `call` writes (`insert`, `update`, `del`).
fn chain_access(call: Node, src: &[u8]) -> Access {
    let mut cur = call;
    for _ in 0..12 {
        let Some(member) = cur.parent().filter(|p| p.kind_name() == "member_expression") else { break };
        let prop = member.field("property").map(|p| query::text(p, src)).unwrap_or("");
        if matches!(prop, "insert" | "update" | "del" | "delete" | "truncate" | "upsert" | "merge") {
            return Access::Write;
        }
        let Some(next) = member.parent().filter(|p| p.kind_name() == "call_expression") else { break };
        cur = next;
    }
    Access::Read
}

/// Mongoose's default collection name for a model (`lang/ts_mongoose.rs`).
pub(crate) fn pluralize(s: &str) -> String {
    super::ts_mongoose::pluralize(s)
}

/// The options a Sequelize constructor's `define` object sets to `true` for every model
/// (`new Sequelize(url, { define: { freezeTableName: true } })`, also in a config object
/// handed to it): each `freezeTableName: true`/`underscored: true` whose object is a
/// `define:` key's value, read in the text (the object may sit in any module of the service).
pub fn sequelize_define(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["freezeTableName", "underscored"] {
        let set = text.match_indices(key).any(|(i, _)| {
            let after = text[i + key.len()..].trim_start_matches(['"', '\'']).trim_start();
            let is_true = after.strip_prefix(':').is_some_and(|a| a.trim_start().starts_with("true"));
            let before = &text[..i];
            let in_define = before.rfind('{').is_some_and(|o| {
                let key = before[..o].trim_end().strip_suffix(':').unwrap_or("").trim_end();
                !before[o..].contains('}') && key.trim_end_matches(['"', '\'']).ends_with("define")
            });
            is_true && in_define
        });
        if set {
            out.push(key.to_string());
        }
    }
    out
}

/// Sequelize's default plural of a model name: the `inflection` package's `pluralize`,
/// which Sequelize 6 calls (`Utils.pluralize`), reduced to its common English rules, first
/// match wins, the word's own case kept: uncountable words and words already ending in `s`
/// stay as they are (`news`, `products`), `man`/`person`/`child` take their irregular
/// plurals, `(alias|status)`, `x`/`ch`/`ss`/`sh` and `(buffal|tomat|potat)o` take `es`, `bus`
/// `buses`, `quiz` `quizzes`, `-sis` `-ses`, `-fe`/`-lf`/`-rf` `-ves`, a consonant's or
/// `qu`'s `y` `-ies`, anything else `s`. (Its rarer rules, Latin `-um`→`-a` and
/// `octopus`→`octopi` among them, are left out: such a model's table gets an `s` here.)
pub(crate) fn sequelize_plural(word: &str) -> String {
    const UNCOUNTABLE: &[&str] =
        &["deer", "equipment", "fish", "information", "money", "moose", "news", "rice", "series", "sheep", "species"];
    const IRREGULAR: &[(&str, &str)] = &[("child", "children"), ("man", "men"), ("person", "people")];
    let lower = word.to_ascii_lowercase();
    let keep = |n: usize| &word[..word.len() - n];
    if UNCOUNTABLE.contains(&lower.as_str()) || ["people", "men", "children"].iter().any(|p| lower.ends_with(p)) {
        return word.to_string();
    }
    if let Some((s, p)) = IRREGULAR.iter().find(|(s, _)| lower.ends_with(s)) {
        // `Person` → `People`: the word up to its first changed letter as written.
        return format!("{}{}", &word[..word.len() - s.len() + 1], &p[1..]);
    }
    let vowel = |c: char| "aeiouy".contains(c);
    let before = |n: usize| lower[..lower.len() - n].chars().last();
    let es = ["alias", "status", "bus", "x", "ch", "ss", "sh", "buffalo", "tomato", "potato"];
    if es.iter().any(|e| lower.ends_with(e)) {
        return format!("{word}es");
    }
    if lower.ends_with("quiz") {
        return format!("{word}zes");
    }
    if lower.ends_with("sis") {
        return format!("{}es", keep(2));
    }
    if lower.ends_with("fe") && before(2).is_some_and(|c| c != 'f') {
        return format!("{}ves", keep(2));
    }
    if (lower.ends_with("lf") || lower.ends_with("rf")) && lower.len() > 2 {
        return format!("{}ves", keep(1));
    }
    if lower.ends_with('y') && (before(1).is_some_and(|c| !vowel(c)) || lower.ends_with("quy")) {
        return format!("{}ies", keep(1));
    }
    if lower.ends_with('s') {
        return word.to_string();
    }
    format!("{word}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        crate::resolve::assert_sorted(&[CLIENTS, PRISMA_WRITES, CAPTURES, ROUTER_TYPE_WORDS]);
        assert_eq!(pluralize("category"), "categories");
        assert_eq!(pluralize("user"), "users");
        assert_eq!(pluralize("fileschemaclass"), "fileschemaclasses");
        assert_eq!(pluralize("box"), "boxes");
        assert_eq!(pluralize("news"), "news");
        let plural = |w: &str| sequelize_plural(w);
        let cases = [
            ("User", "Users"),
            ("products", "products"),
            ("Category", "Categories"),
            ("Day", "Days"),
            ("Box", "Boxes"),
            ("Address", "Addresses"),
            ("Status", "Statuses"),
            ("Person", "People"),
            ("Woman", "Women"),
            ("Child", "Children"),
            ("Knife", "Knives"),
            ("Wolf", "Wolves"),
            ("Analysis", "Analyses"),
            ("Quiz", "Quizzes"),
            ("Information", "Information"),
            ("OrderItem", "OrderItems"),
        ];
        for (w, p) in cases {
            assert_eq!(plural(w), p, "{w}");
        }
    }

    #[test]
    fn text_gates_of_class_fields_and_member_constants() {
        let yes = |t: &str| extends_a_name(t.as_bytes());
        assert!(yes("export class TicketCreatedPublisher extends Publisher<TicketCreatedEvent> {"));
        assert!(yes("class Reminder extends Letter {"));
        assert!(yes("export class LongName\n  extends Base {"));
        assert!(yes("class Box<T extends A<B>> extends Base<T> {"));
        assert!(!yes("class E extends Data.TaggedError(\"E\")<{}> {}"));
        assert!(!yes("class S extends Schema.Class<S>(\"S\")({}) {}"));
        assert!(!yes("type F<A extends string> = A;"));
        assert!(!yes("function f<A extends B>(a: A) {}"));
        assert!(!yes("// it extends the base"));
        assert!(!yes("class A extends"));
        let enum_ = |t: &str| declares_enum(t.as_bytes());
        assert!(enum_("export enum Subjects {\n  A = 'a',\n}"));
        assert!(enum_("const x = 1;\n  export declare const enum E { A }"));
        assert!(!enum_("// an enum of subjects"));
        assert!(!enum_("const s = 'enum values';"));
    }

    #[test]
    fn long_string_literals_are_no_template() {
        let first_string = |code: &str| {
            let tree = query::parse(&crate::lang::typescript::language(crate::model::Lang::TypeScript), code).unwrap();
            let root = tree.root_node();
            let mut walk = root.walk();
            let mut found = None;
            loop {
                let n = walk.node();
                if n.kind_name() == "string" && found.is_none() {
                    found = Some(template(n, code.as_bytes()));
                }
                if !walk.goto_first_child() && !query::next_in_preorder(&mut walk) {
                    break;
                }
            }
            found.unwrap()
        };
        let short = format!("const u = \"http://api:8080/{}\";", "a".repeat(100));
        assert!(matches!(first_string(&short).as_slice(), [Part::Lit(l)] if l.starts_with("http://api:8080/")));
        let long = format!("const u = \"http://api:8080/{}\";", "a".repeat(LONGEST_LITERAL));
        assert_eq!(first_string(&long), vec![Part::Param("value".to_string())]);
    }
}
