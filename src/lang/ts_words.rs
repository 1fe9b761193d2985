//! The words the per-file passes of JS/TS extraction look for before they walk a tree
//! (`.create(`, `new `, `useFactory`, `enableVersioning(`…), all found in one pass over
//! the file.
//!
//! Each pass used to ask memchr's `memmem` for its own words: about sixty scans of every
//! file, 0.9 G instructions on eclipse-theia's 3,200 files (BENCHMARKS.md, "Session 22"),
//! most of them over files holding none of the words. One Aho-Corasick automaton of all of
//! them reads the file once; each gate then tests a bit. A word is matched exactly as
//! `memmem` would (case-sensitive, anywhere, overlapping words all reported), so every gate
//! says what it said before.

use std::ops::ControlFlow;
use std::sync::LazyLock;

macro_rules! words {
    ($($name:ident = $text:literal,)*) => {
        /// One word of the gates (its text in `TEXTS` at the same index).
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum W { $($name,)* }
        /// The texts of the words, by [`W`].
        pub const TEXTS: &[&str] = &[$($text,)*];
    };
}

words! {
    // Brokers and clients a module may use (`ts_arch::Collector::new`).
    amqp = "amqp",
    afka = "afka",
    kafka_node = "kafka-node",
    http_proxy = "http-proxy",
    redis = "redis",
    Redis = "Redis",
    nats = "nats",
    mqtt = "mqtt",
    pubsub = "pubsub",
    grpc = "grpc",
    Grpc = "Grpc",
    env_dot = ".env.",
    env_opt = ".env?.",
    nestjs_microservices = "@nestjs/microservices",
    equelize = "equelize",
    firestore = "firestore",
    Transport_dot = "Transport.",
    // Express apps and routers held in class fields (`ts_class_routers`).
    this_dot = "this.",
    class_ = "class ",
    Router_call = "Router(",
    express_call = "express(",
    // The passes of `typescript::extract`.
    axios_index = "axios[",
    create_call = ".create(",
    extend_call = ".extend(",
    this_fetch = "this.fetch(",
    freezeTableName = "freezeTableName",
    underscored = "underscored",
    getInitialProps = "getInitialProps",
    static_ = "static ",
    static_readonly = "static readonly ",
    export_const = "export const ",
    eq_brace = "= {",
    extends = "extends",
    extends_ = "extends ",
    ollection_call = "ollection(",
    collection_call = ".collection(",
    constructor_call = "constructor(",
    new_ = "new ",
    enum_ = "enum ",
    bull = "bull",
    // URL builders (`ts_builders`).
    return_ = "return",
    arrow = "=>",
    // hapi route arrays (`ts_hapi`).
    handler = "handler",
    path = "path",
    method = "method",
    // GraphQL servers and clients (`ts_graphql`).
    GraphQLModule = "GraphQLModule",
    createYoga = "createYoga",
    ApolloServer = "ApolloServer",
    ApolloClient = "ApolloClient",
    GraphQLClient = "GraphQLClient",
    HttpLink = "HttpLink",
    createHttpLink = "createHttpLink",
    // NestJS (`ts_nest`).
    ControllerMethods = "ControllerMethods()",
    enableVersioning = "enableVersioning(",
    refix = "refix",
    // NestJS configuration namespaces and request-config wrappers (`ts_config`).
    registerAs = "registerAs(",
    request_call = ".request(",
    // Mongoose, TypeORM, DynamoDB.
    model = "model",
    mongoose = "mongoose",
    new_EntitySchema = "new EntitySchema",
    TableName = "TableName",
    entities_colon = "entities:",
    entities_dq_colon = "entities\":",
    RequestItems = "RequestItems",
    dynamodb = "dynamodb",
    DynamoDB = "DynamoDB",
    // DI containers (`ts_di`).
    useClass = "useClass",
    useFactory = "useFactory",
    useValue = "useValue",
    asClass = "asClass(",
    asFunction = "asFunction(",
    asValue = "asValue(",
    ontainer = "ontainer",
    set_call = ".set(",
    bind_call = ".bind(",
    registerSingleton = "registerSingleton(",
    njectable = "njectable",
    at_Inject = "@Inject",
    at_inject = "@inject",
    at_Service = "@Service(",
    // Moleculer (`ts_moleculer`).
    moleculer = "moleculer",
    ServiceSchema = "ServiceSchema",
    actions = "actions",
    at_Action = "@Action",
    call_call = ".call(",
    broker = "broker",
    ctx = "ctx",
    context = "context",
    moleculer_web = "moleculer-web",
    routes = "routes",
    // Servers routing by hand (`ts_raw`).
    dot_url = ".url",
    dq_slash = "\"/",
    sq_slash = "'/",
    serve_call = "serve(",
    createServer_call = "createServer(",
    // Redux Toolkit Query (`ts_rtk`).
    aseQuery = "aseQuery",
    createApi = "createApi",
    injectEndpoints = "injectEndpoints",
    // The constructors of routers and Redis clients a TypeScript cast may wrap
    // (`ts_natives::cast_defs`; `Router(`, `.create(`, `.extend(` and `Redis` are above).
    express = "express",
    Router = "Router",
    astify = "astify",
    Hono = "Hono",
    Koa = "Koa",
    api_server = "api.server",
    api_Server = "api.Server",
    createClient = "createClient",
    createCluster = "createCluster",
    Cluster = "Cluster",
    // Configuration classes' environment getters (`ts_arch::class_env_getters`).
    get_ = "get ",
    process_env = "process.env",
    ProcessEnv = "ProcessEnv",
    // Temporal task queues (`ts_temporal`).
    taskQueue = "taskQueue",
    emporal = "emporal",
    // Queue names handed through a typed field's `publish` (`ts_methods`).
    publish_call = ".publish(",
    // zod environment schemas (`ts_arch::env_schemas`).
    z_object = "z.object(",
    parse_env = "parse(process.env)",
    Parse_env = "Parse(process.env)",
}

/// The words found in one file's text.
#[derive(Clone, Copy, Debug)]
pub struct Words(u128);

/// All of [`TEXTS`] in one [`Finder`](super::finder::Finder), matched as written.
static FINDER: LazyLock<super::finder::Finder> =
    LazyLock::new(|| super::finder::Finder::new(TEXTS.iter().map(|w| (*w, false))));

impl Words {
    /// The words of [`W`] that occur in `src`.
    pub fn scan(src: &[u8]) -> Words {
        let all = u128::MAX >> (128 - TEXTS.len());
        let mut found = 0u128;
        FINDER.find(src, 0..src.len(), |i, _| {
            found |= 1 << i;
            if found == all {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        Words(found)
    }

    /// The words whose bits are set (bit `i` for `TEXTS[i]`), found in another pass
    /// that looked for `TEXTS` as [`Self::scan`] does (`query::LangQuery::prescan`).
    pub fn from_bits(bits: u128) -> Words {
        Words(bits)
    }

    /// Whether `word` occurs in the file.
    pub fn has(&self, word: W) -> bool {
        self.0 & (1 << word as u32) != 0
    }

    /// Whether any of `words` occurs.
    pub fn any(&self, words: &[W]) -> bool {
        words.iter().any(|w| self.has(*w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_and_unique() {
        assert!(TEXTS.len() <= 128, "{} words do not fit a u128", TEXTS.len());
        let mut sorted = TEXTS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), TEXTS.len(), "a word is listed twice");
    }

    /// Each word is found exactly where `memmem` finds it, overlapping words included
    /// (`extends ` inside `extends`, `static readonly ` inside `static `).
    #[test]
    fn same_as_memmem() {
        let samples = [
            "class A extends B { static readonly TOPIC = 'x'; constructor(private redis: Redis) { super(); } }",
            "const app = express(); app.use('/', Router()); export const X = { a: 1 }",
            "import { Transport } from '@nestjs/microservices'; Transport.KAFKA; new EntitySchema({})",
            "const config = EnvSchema.parse(process.env); z.object({}); handler path method => return",
            "",
            "ctx.call('a.b'); broker.call(); context; moleculer-web routes .url '/x' \"/y\" serve(",
        ];
        for text in samples {
            let words = Words::scan(text.as_bytes());
            for (i, word) in TEXTS.iter().enumerate() {
                let expected = text.contains(word);
                assert_eq!(words.0 & (1 << i) != 0, expected, "{word:?} in {text:?}");
            }
        }
    }
}
