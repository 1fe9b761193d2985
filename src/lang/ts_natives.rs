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

use super::query::FieldExt;
use super::ts_words::Words;
use std::sync::LazyLock;

use tree_sitter::Node;

use super::query::{self, Captures, Native};

/// The natives of the architecture query, each with the pattern it stands for.
///
/// The natives of one kind run in this order at a node; those that were the
/// query's patterns come first, in the order of their `.scm` files, as the
/// query reported its matches at a node before the natives'.
pub static NATIVES: &[Native] = &[
    Native { kind: "variable_declarator", pattern: Some(ROUTER_DEF_REQUIRE), matches: router_def_require },
    Native { kind: "variable_declarator", pattern: Some(BIND_REQUIRE), matches: bind_require },
    Native { kind: "variable_declarator", pattern: Some(BIND_REQUIRE_MEMBER), matches: bind_require_member },
    Native { kind: "export_statement", pattern: Some(ENDPOINT_EXPORT_FUNCTION), matches: endpoint_export_function },
    Native { kind: "export_statement", pattern: Some(ENDPOINT_EXPORT_CONST), matches: endpoint_export_const },
    Native { kind: "export_statement", pattern: Some(ENDPOINT_DEFAULT), matches: endpoint_default },
    Native { kind: "import_clause", pattern: Some(BIND_DEFAULT), matches: bind_default },
    Native { kind: "import_specifier", pattern: Some(BIND_NAMED), matches: bind_named },
    Native { kind: "namespace_import", pattern: Some(BIND_NAMESPACE), matches: bind_namespace },
    Native { kind: "new_expression", pattern: Some(WS_CALL), matches: ws_call },
    Native { kind: "program", pattern: Some(CLIENT_EXPORT_VALUE), matches: client_export_value },
    Native { kind: "program", pattern: Some(CLIENT_EXPORT_CLAUSE), matches: client_export_clause },
    Native { kind: "program", pattern: Some(EXPORT_ALIAS), matches: export_alias },
    Native { kind: "program", pattern: Some(CONST_DEF_LEXICAL), matches: const_def_lexical },
    Native { kind: "program", pattern: Some(CONST_DEF_EXPORTED), matches: const_def_exported },
    Native { kind: "program", pattern: Some(CONST_DEF_VAR), matches: const_def_var },
    Native { kind: "program", pattern: Some(ENV_DESTRUCTURE), matches: env_destructure },
    Native { kind: "new_expression", pattern: Some(GRPC_CLIENT_MEMBER), matches: grpc_client_member },
    Native { kind: "new_expression", pattern: Some(GRPC_CLIENT_GENERATED), matches: grpc_client_generated },
    Native { kind: "string", pattern: Some(SQL_STRING), matches: sql_string },
    Native { kind: "template_string", pattern: Some(SQL_TEMPLATE), matches: sql_template },
    Native { kind: "new_expression", pattern: Some(QUEUE_COMMAND), matches: queue_command },
    Native { kind: "new_expression", pattern: Some(QUEUE_CONSUMER), matches: queue_consumer },
    Native { kind: "call_expression", pattern: Some(CALL_METHOD), matches: call_method },
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
    Native { kind: "call_expression", pattern: Some(PROXY_WEB), matches: proxy_web },
    Native { kind: "call_expression", pattern: Some(DRIZZLE_TABLE), matches: drizzle_table },
    Native { kind: "call_expression", pattern: Some(KNEX_TABLE), matches: knex_table },
    Native { kind: "call_expression", pattern: Some(MONGO_COLLECTION), matches: mongo_collection },
    Native { kind: "call_expression", pattern: Some(PRISMA_MODEL), matches: prisma_model },
];

// ---- the patterns, as they were in queries/javascript/*.scm ----

/// `const app = require('express')()`, `const r = require('express').Router()` (endpoints.scm).
const ROUTER_DEF_REQUIRE: &str = r#"(variable_declarator
  name: (identifier) @name
  value: (call_expression
    function: [
      (call_expression
        function: (identifier) @_req
        arguments: (arguments . (string (string_fragment) @ctor) .))
      (member_expression
        object: (call_expression
          function: (identifier) @_req
          arguments: (arguments . (string (string_fragment) @_mod) .))
        property: (property_identifier) @ctor)
    ]
    arguments: (arguments) @args)
  (#eq? @_req "require")
  (#any-of? @_mod "express")
  (#any-of? @ctor "express" "fastify" "Router")) @router.def"#;
/// `export function GET() {}` (Next.js route handlers, endpoints.scm).
const ENDPOINT_EXPORT_FUNCTION: &str =
    r#"(export_statement declaration: (function_declaration name: (identifier) @name)) @endpoint.export"#;
/// `export const POST = …` (endpoints.scm).
const ENDPOINT_EXPORT_CONST: &str = r#"(export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name))) @endpoint.export"#;
/// `export default …` (endpoints.scm).
const ENDPOINT_DEFAULT: &str = r#"(export_statement "default") @endpoint.default"#;
/// `import express from 'express'` (endpoints.scm: a module's bindings).
const BIND_DEFAULT: &str = r#"(import_clause (identifier) @name) @bind.default"#;
/// `import { Router as R } from 'express'` (endpoints.scm).
const BIND_NAMED: &str = r#"(import_specifier name: (identifier) @name alias: (identifier)? @alias) @bind.named"#;
/// `import * as api from './api'` (endpoints.scm).
const BIND_NAMESPACE: &str = r#"(namespace_import (identifier) @name) @bind.namespace"#;
/// `const users = require('./users')`, `const { Auth, Users: U } = require('./common')` (endpoints.scm).
const BIND_REQUIRE: &str = r#"(variable_declarator
  name: [(identifier) (object_pattern)] @name
  value: (call_expression function: (identifier) @_q arguments: (arguments . (string)))
  (#eq? @_q "require")) @bind.require"#;
/// `const users = require('./users').router`: the module's export `router`, as
/// `const { router: users } = require('./users')` binds it.
const BIND_REQUIRE_MEMBER: &str = r#"(variable_declarator
  name: (identifier) @name
  value: (member_expression
    object: (call_expression function: (identifier) @_q arguments: (arguments . (string)))
    property: (property_identifier) @value)
  (#eq? @_q "require")) @bind.require"#;
/// `new WebSocket(url)`, `new EventSource(url)` (calls.scm).
const WS_CALL: &str = r#"(new_expression
  constructor: (identifier) @client
  arguments: (arguments) @args
  (#any-of? @client "EventSource" "WebSocket")) @ws.call"#;
const WS_CLIENTS: &[&str] = &["EventSource", "WebSocket"];
/// `export default api` at the top level (calls.scm).
const CLIENT_EXPORT_VALUE: &str = r#"(program (export_statement value: (identifier) @name) @client.export)"#;
/// `export { api as default }` at the top level (calls.scm).
const CLIENT_EXPORT_CLAUSE: &str = r#"(program (export_statement (export_clause (export_specifier name: (identifier) @name alias: (identifier) @_d))
  (#eq? @_d "default")) @client.export)"#;
/// `export { router as notificationRouter }` at the top level: the name a module exports a
/// local under (`ts_arch` keeps it as an alias of a router of that name).
const EXPORT_ALIAS: &str = r#"(program (export_statement (export_clause (export_specifier name: (identifier) @name alias: (identifier) @alias))) @export.alias)"#;
/// `const API_URL = …` at the top level (calls.scm).
const CONST_DEF_LEXICAL: &str =
    r#"(program (lexical_declaration (variable_declarator name: (identifier) @name value: (_) @value))) @const.def"#;
/// `export const API_URL = …` (calls.scm).
const CONST_DEF_EXPORTED: &str = r#"(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name value: (_) @value)))) @const.def"#;
/// `var API_URL = …` at the top level (calls.scm).
const CONST_DEF_VAR: &str =
    r#"(program (variable_declaration (variable_declarator name: (identifier) @name value: (_) @value))) @const.def"#;
/// `const { CART_ADDR = '', API_URL } = process.env` at the top level (calls.scm).
const ENV_DESTRUCTURE: &str = r#"(program (lexical_declaration (variable_declarator
  name: (object_pattern) @pattern
  value: (member_expression) @_env
  (#match? @_env "^(process|import\\.meta)\\.env$")))) @env.destructure"#;
/// `new proto.shop.Cart(addr, creds)` (calls.scm).
const GRPC_CLIENT_MEMBER: &str =
    r#"(new_expression constructor: (member_expression) @name arguments: (arguments) @args) @grpc.client"#;
/// `new CartServiceClient(addr, ChannelCredentials.createInsecure())` (calls.scm).
const GRPC_CLIENT_GENERATED: &str = r#"(new_expression
  constructor: (identifier) @name
  arguments: (arguments . (_) . (_) @_creds) @args
  (#match? @name "[a-z]Client$")
  (#match? @_creds "[Cc]redentials")) @grpc.client"#;
/// `"SELECT … FROM users"` (tables.scm).
const SQL_STRING: &str = r#"((string) @sql
  (#match? @sql "^.\\s*(?i:select|insert|update|delete|with|create|alter|replace)\\s")) @db.sql"#;
/// `` `SELECT … ${id}` `` (tables.scm).
const SQL_TEMPLATE: &str = r#"((template_string) @sql
  (#match? @sql "^`\\s*(?i:select|insert|update|delete|with|create|alter|replace)\\s")) @db.sql"#;
static SQL_START: LazyLock<Option<regex::bytes::Regex>> = LazyLock::new(|| {
    regex::bytes::Regex::new(r"^.\s*(?i:select|insert|update|delete|with|create|alter|replace)\s").ok()
});
static SQL_TEMPLATE_START: LazyLock<Option<regex::bytes::Regex>> = LazyLock::new(|| {
    regex::bytes::Regex::new(r"^`\s*(?i:select|insert|update|delete|with|create|alter|replace)\s").ok()
});
/// `new SendMessageCommand({ QueueUrl })` (AWS SDK v3, queues.scm).
const QUEUE_COMMAND: &str = r#"(new_expression
  constructor: (identifier) @method
  arguments: (arguments) @args
  (#match? @method "^(CreateTopic|SendMessage|SendMessageBatch|ReceiveMessage|Publish|PublishBatch)Command$")) @queue.op"#;
const QUEUE_COMMANDS: &[&str] = &[
    "CreateTopicCommand",
    "PublishBatchCommand",
    "PublishCommand",
    "ReceiveMessageCommand",
    "SendMessageBatchCommand",
    "SendMessageCommand",
];
/// `new kafka.Consumer(client, topics)` (kafka-node, queues.scm).
const QUEUE_CONSUMER: &str = r#"(new_expression
  constructor: [(identifier) @method (member_expression property: (property_identifier) @method)]
  arguments: (arguments) @args
  (#any-of? @method "Consumer" "ConsumerGroup" "ConsumerGroupStream" "ConsumerStream" "HighLevelConsumer")) @queue.op"#;
const QUEUE_CONSUMERS: &[&str] =
    &["Consumer", "ConsumerGroup", "ConsumerGroupStream", "ConsumerStream", "HighLevelConsumer"];
/// `x.m(…)` with `m` one of the methods of `ts_shapes` (shapes.scm): one
/// pattern for the many shapes `ts_shapes::expand` tells apart.
pub(super) const CALL_METHOD: &str = r#"(call_expression
  function: (member_expression property: (property_identifier) @method)
  (#match? @method "^(addService|aggregate|all|assertExchange|bindQueue|bulkWrite|consume|countDocuments|createTable|define|delete|deleteMany|deleteOne|emit|find|findOne|findOneAndUpdate|forFeature|forFeatureAsync|get|getService|head|init|insertMany|insertOne|listen|model|options|patch|post|publish|put|receiveMessage|register|replaceOne|request|route|send|sendMessage|sendMessageBatch|sendToQueue|setGlobalPrefix|subscribe|updateMany|updateOne|use|xAdd|xRead|xReadGroup|xadd|xread|xreadgroup|(?i:decr|decrby|del|exists|expire|get|getdel|getset|hdel|hexists|hget|hgetall|hincrby|hkeys|hmget|hmset|hset|hsetnx|hvals|incr|incrby|llen|lrange|mget|mset|sadd|scard|set|setex|setnx|sismember|smembers|srem|zadd|zcard|zincrby|zrange|zrangebyscore|zrem|zrevrange|zscore))$")) @call.method"#;
static CALL_METHOD_NAME: LazyLock<Option<regex::bytes::Regex>> =
    LazyLock::new(|| regex::bytes::Regex::new(&super::ts_shapes::method_regex()).ok());

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
/// `proxy.web(req, res, { target })` of http-proxy's `createProxyServer()` (also `ws`).
const PROXY_WEB: &str = r#"(call_expression
  function: (member_expression property: (property_identifier) @client)
  arguments: (arguments . (_) . (_) . (object)) @args
  (#any-of? @client "web" "ws")) @proxy.call"#;

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
fn field<'t>(n: Node<'t>, name: &'static str, kind: &str) -> Option<Node<'t>> {
    n.field(name).filter(|c| c.kind_name() == kind)
}

/// Every child of `n` of `kind` (a child step without a field: one match each).
/// (With a cursor: `Node::child(i)` counts from the first child, so a loop of
/// them is quadratic in a program's top-level statements.)
fn children_of<'t>(n: Node<'t>, kind: &'static str) -> impl Iterator<Item = Node<'t>> {
    let mut cursor = n.walk();
    let mut more = cursor.goto_first_child();
    std::iter::from_fn(move || {
        while more {
            let child = cursor.node();
            more = cursor.goto_next_sibling();
            if query::kind(child) == kind {
                return Some(child);
            }
        }
        None
    })
}

/// The ctor of `ROUTER_DEF`/`KV_CLIENT_*`'s value: `(call_expression function: (_))` or
/// `(new_expression constructor: (_))`, with the call's `arguments: (arguments)` when `args`.
fn made_by<'t>(value: Node<'t>, args: bool) -> Option<(Node<'t>, Option<Node<'t>>)> {
    let ctor_field = match value.kind_name() {
        "call_expression" => "function",
        "new_expression" => "constructor",
        _ => return None,
    };
    let ctor = any(value.field(ctor_field)?)?;
    if !args {
        return Some((ctor, None));
    }
    Some((ctor, Some(field(value, "arguments", "arguments")?)))
}

fn router_def<'t>(decl: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    decl.field("value").is_some_and(|value| router_def_of(decl, value, src, caps))
}

/// [`router_def`] of `decl` with `value` its value, or what a TypeScript wrapper around
/// its value holds ([`cast_defs`]).
fn router_def_of<'t>(decl: Node<'t>, value: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(name) = field(decl, "name", "identifier") else { return false };
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
    field(decl, "value", "call_expression").is_some_and(|call| client_def_of(decl, call, src, caps))
}

fn client_def_of<'t>(decl: Node<'t>, call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(name) = field(decl, "name", "identifier").filter(|_| call.kind_name() == "call_expression") else {
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
    let object = left.field("object").filter(|o| matches!(o.kind_name(), "identifier" | "member_expression"));
    let (Some(object), Some(name)) = (object, field(left, "property", "property_identifier")) else {
        return false;
    };
    let Some(value) = assign.field("right").and_then(any) else { return false };
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
        if !matches!(decl.kind_name(), "variable_declaration" | "lexical_declaration") {
            continue;
        }
        for d in children_of(decl, "variable_declarator") {
            let name = field(d, "name", "identifier");
            if let (Some(name), Some(value)) = (name, d.field("value").and_then(any)) {
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
    let found = found.into_iter().filter(|(_, a)| a.named_child(0).is_some_and(|f| f.kind_name() == "object"));
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
    if first.is_none() || args.named_child(1).is_none_or(|o| o.kind_name() != "object") {
        return false;
    }
    caps.extend([("proxy.call", call), ("client", client), ("args", args)]);
    true
}

fn proxy_web<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(client) = field(call, "function", "member_expression")
        .and_then(|m| field(m, "property", "property_identifier"))
        .filter(|p| matches!(query::text(*p, src), "web" | "ws"))
    else {
        return false;
    };
    let Some(args) = field(call, "arguments", "arguments") else { return false };
    let (first, second) = (args.named_child(0).and_then(any), args.named_child(1).and_then(any));
    if first.is_none() || second.is_none() || args.named_child(2).is_none_or(|o| o.kind_name() != "object") {
        return false;
    }
    caps.extend([("proxy.call", call), ("client", client), ("args", args)]);
    true
}

/// `f('name', …)` with `f` in `names`: the string.
fn table_call<'t>(call: Node<'t>, src: &[u8], names: &[&str]) -> Option<Node<'t>> {
    let (_, args) = named_call(call, src, names)?;
    args.named_child(0).filter(|s| s.kind_name() == "string")
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
    field(call, "arguments", "arguments")?.named_child(0).filter(|s| s.kind_name() == "string")
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
    let prisma = object.field("object").and_then(any).filter(|p| query::text(*p, src).ends_with("prisma"));
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
    decl.field("value").is_some_and(|value| kv_client_decl_of(decl, value, src, caps))
}

fn kv_client_decl_of<'t>(decl: Node<'t>, value: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(name) = field(decl, "name", "identifier") else { return false };
    let ctors: Vec<Node<'t>> = match value.kind_name() {
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
    let ctor = assign.field("right").and_then(|v| made_by(v, false)).map(|m| m.0);
    let (Some(name), Some(ctor)) = (name, ctor.filter(|c| kv_ctor(*c, src))) else { return false };
    caps.extend([("kv.client", assign), ("name", name), ("ctor", ctor)]);
    true
}

/// The fragments of `call`'s one argument when the call is `require('…')` (`ROUTER_DEF_REQUIRE`).
fn required_fragments<'t>(call: Node<'t>, src: &[u8]) -> Vec<Node<'t>> {
    let required = field(call, "function", "identifier").is_some_and(|f| query::text(f, src) == "require");
    let args = field(call, "arguments", "arguments").filter(|a| required && a.named_child_count() == 1);
    match args.and_then(|a| a.named_child(0)).filter(|s| s.kind_name() == "string") {
        Some(string) => children_of(string, "string_fragment").collect(),
        None => Vec::new(),
    }
}

fn router_def_require<'t>(decl: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let (Some(name), Some(call)) = (field(decl, "name", "identifier"), field(decl, "value", "call_expression")) else {
        return false;
    };
    let (Some(function), Some(args)) = (call.field("function"), field(call, "arguments", "arguments")) else {
        return false;
    };
    let ctors: Vec<Node<'t>> = match function.kind_name() {
        // `require('express')()`
        "call_expression" => required_fragments(function, src),
        // `require('express').Router()`: one match per fragment spelling the module.
        "member_expression" => {
            let object = field(function, "object", "call_expression");
            let modules = object.map(|o| required_fragments(o, src)).unwrap_or_default();
            let express = modules.iter().filter(|m| query::text(**m, src) == "express").count();
            let property = field(function, "property", "property_identifier");
            property.into_iter().flat_map(|p| std::iter::repeat_n(p, express)).collect()
        }
        _ => Vec::new(),
    };
    let found = ctors.into_iter().filter(|c| ["express", "fastify", "Router"].contains(&query::text(*c, src)));
    push_all(caps, found.map(|ctor| vec![("router.def", decl), ("name", name), ("ctor", ctor), ("args", args)]))
}

fn endpoint_export_function<'t>(export: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(name) = field(export, "declaration", "function_declaration").and_then(|f| field(f, "name", "identifier"))
    else {
        return false;
    };
    caps.extend([("endpoint.export", export), ("name", name)]);
    true
}

fn endpoint_export_const<'t>(export: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(decl) = field(export, "declaration", "lexical_declaration") else { return false };
    let names = children_of(decl, "variable_declarator").filter_map(|d| field(d, "name", "identifier"));
    push_all(caps, names.map(|name| vec![("endpoint.export", export), ("name", name)]))
}

fn endpoint_default<'t>(export: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    let mut cursor = export.walk();
    let defaults = export.children(&mut cursor).filter(|c| !c.is_named() && c.kind_name() == "default").count();
    push_all(caps, (0..defaults).map(|_| vec![("endpoint.default", export)]))
}

fn bind_default<'t>(clause: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    push_all(caps, children_of(clause, "identifier").map(|name| vec![("bind.default", clause), ("name", name)]))
}

fn bind_named<'t>(spec: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(name) = field(spec, "name", "identifier") else { return false };
    caps.extend([("bind.named", spec), ("name", name)]);
    caps.extend(field(spec, "alias", "identifier").map(|a| ("alias", a)));
    true
}

fn bind_namespace<'t>(ns: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    push_all(caps, children_of(ns, "identifier").map(|name| vec![("bind.namespace", ns), ("name", name)]))
}

fn bind_require<'t>(decl: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let name = decl.field("name").filter(|n| matches!(n.kind_name(), "identifier" | "object_pattern"));
    let (Some(name), Some(call)) = (name, field(decl, "value", "call_expression")) else {
        return false;
    };
    let required = field(call, "function", "identifier").is_some_and(|f| query::text(f, src) == "require");
    let first = field(call, "arguments", "arguments").and_then(|a| a.named_child(0));
    if !required || first.is_none_or(|f| f.kind_name() != "string") {
        return false;
    }
    caps.extend([("bind.require", decl), ("name", name)]);
    true
}

fn bind_require_member<'t>(decl: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let (Some(name), Some(member)) = (field(decl, "name", "identifier"), field(decl, "value", "member_expression"))
    else {
        return false;
    };
    let (Some(call), Some(property)) =
        (field(member, "object", "call_expression"), field(member, "property", "property_identifier"))
    else {
        return false;
    };
    let required = field(call, "function", "identifier").is_some_and(|f| query::text(f, src) == "require");
    let first = field(call, "arguments", "arguments").and_then(|a| a.named_child(0));
    if !required || first.is_none_or(|f| f.kind_name() != "string") {
        return false;
    }
    caps.extend([("bind.require", decl), ("name", name), ("value", property)]);
    true
}

/// `new C(args)` with `C` an identifier: (C, arguments).
fn constructed<'t>(new: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    Some((field(new, "constructor", "identifier")?, field(new, "arguments", "arguments")?))
}

fn ws_call<'t>(new: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some((client, args)) = constructed(new).filter(|(c, _)| WS_CLIENTS.contains(&query::text(*c, src))) else {
        return false;
    };
    caps.extend([("ws.call", new), ("client", client), ("args", args)]);
    true
}

fn client_export_value<'t>(program: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    let found: Vec<_> =
        children_of(program, "export_statement").filter_map(|e| Some((e, field(e, "value", "identifier")?))).collect();
    push_all(caps, found.into_iter().map(|(e, name)| vec![("client.export", e), ("name", name)]))
}

fn client_export_clause<'t>(program: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let mut found = Vec::new();
    for export in children_of(program, "export_statement") {
        for spec in children_of(export, "export_clause").flat_map(|c| children_of(c, "export_specifier")) {
            let alias = field(spec, "alias", "identifier").filter(|a| query::text(*a, src) == "default");
            if let (Some(name), Some(_)) = (field(spec, "name", "identifier"), alias) {
                found.push((export, name));
            }
        }
    }
    push_all(caps, found.into_iter().map(|(e, name)| vec![("client.export", e), ("name", name)]))
}

fn export_alias<'t>(program: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    let mut found = Vec::new();
    for export in children_of(program, "export_statement") {
        for spec in children_of(export, "export_clause").flat_map(|c| children_of(c, "export_specifier")) {
            if let (Some(name), Some(alias)) = (field(spec, "name", "identifier"), field(spec, "alias", "identifier")) {
                found.push(vec![("export.alias", export), ("name", name), ("alias", alias)]);
            }
        }
    }
    push_all(caps, found.into_iter())
}

/// `(variable_declarator name: (identifier) value: (_))` children of each declaration: (name, value).
fn declared<'t>(declarations: impl Iterator<Item = Node<'t>>) -> Vec<(Node<'t>, Node<'t>)> {
    declarations
        .flat_map(|d| children_of(d, "variable_declarator"))
        .filter_map(|d| Some((field(d, "name", "identifier")?, d.field("value").and_then(any)?)))
        .collect()
}

fn push_consts<'t>(program: Node<'t>, found: Vec<(Node<'t>, Node<'t>)>, caps: &mut Captures<'t>) -> bool {
    push_all(
        caps,
        found.into_iter().map(|(name, value)| vec![("const.def", program), ("name", name), ("value", value)]),
    )
}

fn const_def_lexical<'t>(program: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    push_consts(program, declared(children_of(program, "lexical_declaration")), caps)
}

fn const_def_exported<'t>(program: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    let declarations = children_of(program, "export_statement").flat_map(|e| children_of(e, "lexical_declaration"));
    push_consts(program, declared(declarations), caps)
}

fn const_def_var<'t>(program: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    push_consts(program, declared(children_of(program, "variable_declaration")), caps)
}

fn env_destructure<'t>(program: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let found: Vec<Node<'t>> = children_of(program, "lexical_declaration")
        .flat_map(|d| children_of(d, "variable_declarator"))
        .filter(|d| {
            field(*d, "value", "member_expression")
                .is_some_and(|v| matches!(query::text(v, src), "process.env" | "import.meta.env"))
        })
        .filter_map(|d| field(d, "name", "object_pattern"))
        .collect();
    push_all(caps, found.into_iter().map(|p| vec![("env.destructure", program), ("pattern", p)]))
}

fn grpc_client_member<'t>(new: Node<'t>, _src: &[u8], caps: &mut Captures<'t>) -> bool {
    let (Some(name), Some(args)) =
        (field(new, "constructor", "member_expression"), field(new, "arguments", "arguments"))
    else {
        return false;
    };
    caps.extend([("grpc.client", new), ("name", name), ("args", args)]);
    true
}

fn grpc_client_generated<'t>(new: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some((name, args)) = constructed(new) else { return false };
    let generated = query::text(name, src)
        .strip_suffix("Client")
        .and_then(|s| s.bytes().last())
        .is_some_and(|b| b.is_ascii_lowercase());
    let creds = args.named_child(0).and_then(any).and(args.named_child(1)).and_then(any);
    let creds =
        creds.map(|c| query::text(c, src)).is_some_and(|t| t.contains("Credentials") || t.contains("credentials"));
    if !generated || !creds {
        return false;
    }
    caps.extend([("grpc.client", new), ("name", name), ("args", args)]);
    true
}

fn sql_at<'t>(node: Node<'t>, src: &[u8], start: &Option<regex::bytes::Regex>, caps: &mut Captures<'t>) -> bool {
    let text = src.get(node.byte_range()).unwrap_or_default();
    if !start.as_ref().is_some_and(|r| r.is_match(text)) {
        return false;
    }
    caps.extend([("db.sql", node), ("sql", node)]);
    true
}

fn sql_string<'t>(string: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    sql_at(string, src, &SQL_START, caps)
}

fn sql_template<'t>(template: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    sql_at(template, src, &SQL_TEMPLATE_START, caps)
}

fn queue_command<'t>(new: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some((method, args)) = constructed(new).filter(|(c, _)| QUEUE_COMMANDS.contains(&query::text(*c, src))) else {
        return false;
    };
    caps.extend([("queue.op", new), ("method", method), ("args", args)]);
    true
}

fn queue_consumer<'t>(new: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let method = new.field("constructor").and_then(|c| match c.kind_name() {
        "identifier" => Some(c),
        "member_expression" => field(c, "property", "property_identifier"),
        _ => None,
    });
    let (Some(method), Some(args)) = (method, field(new, "arguments", "arguments")) else { return false };
    if !QUEUE_CONSUMERS.contains(&query::text(method, src)) {
        return false;
    }
    caps.extend([("queue.op", new), ("method", method), ("args", args)]);
    true
}

fn call_method<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let method = field(call, "function", "member_expression").and_then(|f| field(f, "property", "property_identifier"));
    let known = |m: &Node| {
        let text = src.get(m.byte_range()).unwrap_or_default();
        CALL_METHOD_NAME.as_ref().is_some_and(|r| r.is_match(text))
    };
    let Some(method) = method.filter(known) else { return false };
    caps.extend([("call.method", call), ("method", method)]);
    true
}

/// What a TypeScript wrapper that leaves a value as it is holds: `x as T`, `x satisfies T`,
/// `x!`, `<T>x` and `(x)`, any number deep (`(express.Router() as unknown) as Router`);
/// `v` itself when it is none.
pub(super) fn unwrap_ts(mut v: Node) -> Node {
    for _ in 0..16 {
        let inner = match v.kind_name() {
            "as_expression" | "satisfies_expression" | "non_null_expression" | "parenthesized_expression" => {
                v.named_child(0)
            }
            // `<T>x`: the type arguments, then the value.
            "type_assertion" => v.named_child(v.named_child_count().saturating_sub(1) as _),
            _ => None,
        };
        match inner.filter(|i| !matches!(i.kind_name(), "comment" | "sequence_expression" | "type_arguments")) {
            Some(i) => v = i,
            None => break,
        }
    }
    v
}

/// Where a wrapper of [`unwrap_ts`] may sit around a router, client or Redis client's
/// constructor call: right after its closing parenthesis, or `<T>` right before it.
const CAST_NEEDLES: &[&[u8]] = &[b") as ", b") satisfies ", b")!", b">express", b">Router", b">axios", b">new "];

/// Whether the text names a constructor [`cast_defs`] reads: a router's (`ROUTER_CTORS`),
/// an HTTP client factory's (`axios.create`, `got.extend`) or a Redis client's (`KV_CTOR`).
pub fn may_cast(words: &Words) -> bool {
    use super::ts_words::W;
    let routers = [W::express, W::Router, W::astify, W::Hono, W::Koa, W::api_server, W::api_Server];
    let clients = [W::create_call, W::extend_call];
    let redis = [W::Redis, W::createClient, W::createCluster, W::Cluster];
    words.any(&routers) || words.any(&clients) || words.any(&redis)
}

/// The router, HTTP client and Redis client definitions (`ROUTER_DEF`, `CLIENT_DEF`,
/// `KV_CLIENT_DECL`) whose value is a TypeScript wrapper around the constructor call:
/// `const router = express.Router() as Router`, `<Router>express.Router()`,
/// `axios.create({ baseURL }) satisfies AxiosInstance` (issue #3, cause 4 of the
/// twenty-fourth blind sample). The natives match the value as their patterns do, a
/// call itself (a pattern cannot name TypeScript's node kinds: the JavaScript grammar
/// compiles the same ones); this pass, run only where the text has a needle, gives the
/// same captures for the call inside the wrapper.
pub fn cast_defs<'t>(root: Node<'t>, src: &[u8], emit: &mut super::ts_shapes::Emit<'_, 't>) {
    let mut hits: Vec<usize> =
        CAST_NEEDLES.iter().flat_map(|n| memchr::memmem::find_iter(src, n).map(move |at| at + n.len() / 2)).collect();
    if hits.is_empty() {
        return;
    }
    hits.sort_unstable();
    let mut seen: Vec<usize> = Vec::new();
    for at in hits {
        let Some(mut n) = root.descendant_for_byte_range(at, at) else { continue };
        // Up to the declarator: the token, its wrapper, a few wrappers deep.
        for _ in 0..8 {
            if n.kind_name() == "variable_declarator" {
                break;
            }
            match n.parent() {
                Some(p) => n = p,
                None => break,
            }
        }
        let Some(value) = n.field("value").filter(|_| n.kind_name() == "variable_declarator") else { continue };
        if value.kind_name() == unwrap_ts(value).kind_name() || seen.contains(&n.id()) {
            continue;
        }
        seen.push(n.id());
        let inner = unwrap_ts(value);
        let mut caps: Captures<'t> = Vec::new();
        if router_def_of(n, inner, src, &mut caps) || client_def_of(n, inner, src, &mut caps) {
            emit(&caps);
        } else if kv_client_decl_of(n, inner, src, &mut caps) {
            // One match per constructor, as `push_all` gives them.
            for m in caps.chunks(3) {
                emit(m);
            }
        }
    }
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

    /// The gate of `cast_defs` knows every constructor it reads.
    #[test]
    fn may_cast_knows_the_constructors() {
        let texts = ROUTER_CTORS.iter().map(|c| format!("{c}()")).chain(
            ["axios.create()", "got.extend()", "new Redis()", "new IORedis()", "createClient()", "new Cluster()"]
                .map(String::from),
        );
        for text in texts {
            assert!(may_cast(&Words::scan(text.as_bytes())), "{text}");
        }
        assert!(!may_cast(&Words::scan(b"const x = foo() as Bar;")));
    }

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
            p.web(req, res, { target: T }); p.ws(a, b, {}); p.web(req, res); p.web(/* c */ a, b, { t }, cb); w.web(a, { x });\n\
            @Controller('users') class C { @Get(':id') g() {} @Post() p() {} @EventPattern('t') e() {} @MessagePattern() m() {} }\n\
            @Entity('users') class E {} @Entity() class F {} @Table({ tableName: 't' }) class T {} @Schema() class S {}\n\
            pgTable('users', {}); mysqlTable(name, {}); knex('users').where(); db('t'); trx(`t`);\n\
            db.collection('orders').find(q); db.collection(name).find(q); this.prisma.user.create(d); prisma.post.findMany();\n\
            users = db.collection('users'); const orders = client.db().collection('orders'); let o2 = db.collection(n);\n\
            const redis = new Redis(url); const c2 = createClient({ url }); const c3 = await createClient(); const c4 = redis.createCluster();\n\
            this.redis = new IORedis(u); this.c = createClient(); this.d = new NotRedis(); const e2 = new MyRedis();\n\
            const q = await (createClient()); const app2 = express(@@); module.exports = ;\n\
            export { r as userRouter, s }; export { t as default, u as v } from './w'; export { x as y };\n";
        samples.extend(["ts", "tsx", "js"].map(|ext| (format!("edge.{ext}"), edge.to_string())));
        let mut total = 0;
        for lang in [Lang::TypeScript, Lang::Tsx, Lang::JavaScript] {
            let language = super::super::typescript::language(lang);
            let captures = super::super::typescript::full_captures();
            let patterns: Vec<&str> = NATIVES.iter().filter_map(|n| n.pattern).collect();
            assert_eq!(patterns.len(), NATIVES.len());
            let old = query::LangQuery::new(&language, &patterns, &captures).unwrap();
            let new = query::LangQuery::with_natives(&language, &[], &captures, NATIVES).unwrap();
            for (name, src) in samples.iter().filter(|(name, _)| super::super::typescript::is_sample_of(lang, name)) {
                total += query::assert_same_matches(&old, &new, &language, (name, src));
            }
        }
        assert!(total > 100, "{total}");
    }
}
