//! TypeScript and JavaScript extraction with tree-sitter (`typescript`, `tsx`
//! and `javascript` grammars) and `queries/{javascript,typescript}/*.scm`.
//!
//! The TypeScript query is the JavaScript one plus TypeScript-only patterns,
//! as tree-sitter-typescript's own queries extend tree-sitter-javascript's.
//! Every capture lands on the specifier's string node; captures on the same
//! node are merged, so a flag pattern (`@import.type_only`) only has to match
//! the form that carries the flag.

use super::ts_words::{Words, W};
use std::collections::BTreeMap;
use std::sync::LazyLock;

use tree_sitter::{Language, Node};

use super::query::{self, FieldExt, LangQuery};
use crate::diagnostic::Diagnostic;
use crate::model::{FileFacts, Flags, Lang, Part, RawImport};

const CAPTURES: &[&str] = &["import.module", "import.reexport", "import.dynamic", "import.type_only"];
#[cfg(test)]
const JS_QUERIES: &[&str] = &[include_str!("../../queries/javascript/imports.scm")];
#[cfg(test)]
const TS_QUERIES: &[&str] =
    &[include_str!("../../queries/javascript/imports.scm"), include_str!("../../queries/typescript/imports.scm")];

/// The tree-sitter grammar of a TypeScript, TSX or JavaScript file.
pub fn language(lang: Lang) -> Language {
    match lang {
        Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        _ => tree_sitter_javascript::LANGUAGE.into(),
    }
}

/// Every pattern matches text containing one of these: `import` statements
/// and `import()`, `export … from`, `require()`.
const NEEDLES: &[&str] = &["import", "from", "require"];
type Compiled = LazyLock<Result<LangQuery, String>>;
// One query per grammar: the import patterns, plus the architecture patterns
// matched in Rust (`ts_natives`), which run only for files that pass
// [`super::arch::triggered`] (the others take the import patterns near their
// import statements). The architecture patterns were compiled into a second
// query per grammar, and tree-sitter's analysis of them at compile time was
// 4.5 % of a cold scan of eclipse-theia (BENCHMARKS.md, session 18).
static JS: Compiled = LazyLock::new(|| full(Lang::JavaScript));
static TS: Compiled = LazyLock::new(|| full(Lang::TypeScript));
static TSX: Compiled = LazyLock::new(|| full(Lang::Tsx));

fn full(lang: Lang) -> Result<LangQuery, String> {
    let imports = if lang == Lang::JavaScript { super::ts_imports::JS_IMPORTS } else { super::ts_imports::TS_IMPORTS };
    LangQuery::with_import_natives(&language(lang), &[], &full_captures(), imports, super::ts_natives::NATIVES)
        .map(|q| q.with_exact_words(super::ts_words::TEXTS))
}

/// Test helper: whether a sample file named `name` is parsed with `lang`'s grammar.
#[cfg(test)]
pub(crate) fn is_sample_of(lang: Lang, name: &str) -> bool {
    let ext = name.rsplit('.').next().unwrap_or("");
    match lang {
        Lang::TypeScript => matches!(ext, "ts" | "mts" | "cts"),
        Lang::Tsx => ext == "tsx",
        _ => !matches!(ext, "ts" | "mts" | "cts" | "tsx"),
    }
}

/// The import patterns of `lang`, which `lang/ts_imports.rs` matches in Rust (the
/// `.scm` files of the architecture patterns say where in Rust each is matched).
#[cfg(test)]
pub(crate) fn full_sources(lang: Lang) -> Vec<&'static str> {
    if lang == Lang::JavaScript { JS_QUERIES } else { TS_QUERIES }.to_vec()
}

/// The capture names the query and its natives may use.
pub(crate) fn full_captures() -> Vec<&'static str> {
    [CAPTURES, super::ts_arch::CAPTURES, super::ts_shapes::CAPTURES].concat()
}

fn compiled(lang: Lang) -> &'static Result<LangQuery, String> {
    match lang {
        Lang::Tsx => &TSX,
        Lang::TypeScript => &TS,
        _ => &JS,
    }
}

/// `f`, its captures' nodes of one tree (a closure's own parameter types would be any).
fn one_tree<'t, F: FnMut(&[(&str, Node<'t>)])>(f: F) -> F {
    f
}

/// Compile `lang`'s query now (see [`super::prepare_queries`]).
pub fn prepare(lang: Lang) {
    let _ = compiled(lang);
}

pub fn extract(rel: &str, text: &str, lang: Lang, facts: &mut FileFacts) {
    let masked =
        if lang == Lang::JavaScript { text.into() } else { super::ts_gaps::mask(text, lang == Lang::TypeScript) };
    let text: &str = &masked;
    // Next.js file routes say nothing in their text: their place says they are routes.
    let file_route = rel.contains("pages/api/") || rel.rsplit('/').next().is_some_and(|n| n.starts_with("route."));
    let code = super::arch::after_leading_comments(text, "//", Some(("/*", "*/")));
    // A declaration file (`.d.ts`) declares types: none of the architecture passes read it.
    let code_file = !is_declaration_file(rel);
    let with_arch = code_file && (file_route || super::arch::triggered(code));
    // Parsed before the query is asked for: another thread may still be compiling it.
    let tree = match query::parse(&language(lang), text) {
        Ok(tree) => tree,
        Err(failure) => return query::parse_failure(rel, failure, facts),
    };
    let query = match compiled(lang) {
        Ok(q) => q,
        Err(e) => return facts.diagnostics.push(Diagnostic::error(rel, None, e.clone())),
    };
    let skip = query::check_tree(rel, &tree, facts);
    let src = text.as_bytes();
    // The words the passes below are gated on, found in one pass (`lang/ts_words.rs`):
    // the pass that finds the architecture patterns' words in a file that takes them.
    let pre = with_arch.then(|| query.prescan(src)).flatten();
    let words = pre.as_ref().map_or_else(|| Words::scan(src), |p| Words::from_bits(p.exact()));
    let mut found: BTreeMap<usize, (Node, Flags)> = BTreeMap::new();
    let mut arch = super::ts_arch::Collector::new(rel, text, tree.root_node(), &words);
    // Framework patterns can sit anywhere: files that mention a framework take the full pass.
    let needles = (!with_arch).then_some(NEEDLES);
    // Routers and clients made inside a TypeScript wrapper (`express.Router() as Router`),
    // before the walk so that a router a function returns scopes the routes on it.
    // Gated on the constructors' words (`ts_natives::may_cast`), then on `CAST_NEEDLES`.
    if with_arch && super::ts_natives::may_cast(&words) {
        super::ts_natives::cast_defs(tree.root_node(), src, &mut |c| arch.on_match(c, src));
    }
    let on_match = one_tree(|caps| {
        if !caps.first().is_some_and(|(n, _)| n.starts_with("import.")) {
            if !super::ts_shapes::expand(caps, src, &mut |c| arch.on_match(c, src)) {
                arch.on_match(caps, src);
            }
            return;
        }
        for &(name, node) in caps {
            let entry = found.entry(node.start_byte()).or_insert((node, Flags::default()));
            match name {
                "import.reexport" => entry.1.insert(Flags::REEXPORT),
                "import.dynamic" => entry.1.insert(Flags::DYNAMIC),
                "import.type_only" => entry.1.insert(Flags::TYPE_ONLY),
                _ => {}
            }
        }
    });
    match &pre {
        Some(pre) => query.for_each_match_prescanned(tree.root_node(), src, skip.as_ref(), pre, (rel, facts), on_match),
        None => query.for_each_match_near(tree.root_node(), text, needles, skip.as_ref(), (rel, facts), on_match),
    }
    if with_arch {
        super::ts_shapes::awaited_generic_calls(tree.root_node(), text, &mut |c| arch.on_match(c, src));
        if words.has(W::axios_index) {
            arch.computed_method_calls(tree.root_node(), text);
        }
        if words.has(W::create_call) || words.has(W::extend_call) {
            arch.client_factories(tree.root_node(), src);
        }
        arch.aliased_client_calls(tree.root_node(), src);
        if words.has(W::this_fetch) {
            arch.injected_fetch_calls(tree.root_node(), text);
        }
        arch.aliased_proxy_calls(tree.root_node(), text);
    }
    let mut relative = arch.relative_imports();
    let root = arch.take_root();
    facts.arch = arch.finish();
    // The `.proto` files a gRPC server's file loads by path (rare: only such files).
    if facts.arch.grpc.iter().any(|g| g.server) {
        facts.arch.proto_paths = super::arch::proto_literals(text);
    }
    called_imports(text, &relative, &mut facts.arch);
    // Static methods handing their URL on to a static request wrapper of their class
    // (`static post(url) { return this.request('post', url) }`, `lang/ts_classes.rs`).
    if words.has(W::static_) && !facts.arch.wrappers.is_empty() {
        super::ts_classes::static_delegates(tree.root_node(), src, &mut facts.arch);
    }
    // NestJS `registerAs('ns', () => ({ … }))` configuration and the request wrappers of
    // `@Injectable()` classes sending a config object (`lang/ts_config.rs`).
    if code_file && super::ts_config::mentions_register(&words) {
        super::ts_config::registered(tree.root_node(), text, &mut facts.arch);
    }
    if code_file && super::ts_config::mentions_request_config(&words) {
        super::ts_config::request_config_wrappers(tree.root_node(), src, &mut facts.arch);
    }
    // A Redis store of Nest's `CacheModule` (`createKeyv` of `@keyv/redis`).
    if code_file && super::ts_config::mentions_redis_store(&words) {
        super::ts_config::redis_cache_stores(tree.root_node(), text, &mut facts.arch);
    }
    // Temporal task queues (`proxyActivities({ taskQueue })`, `lang/ts_temporal.rs`), before
    // the imports are kept for the queues named by a constant of another module.
    if code_file && super::ts_temporal::mentions(&words) {
        super::ts_temporal::task_queues(tree.root_node(), src, &mut facts.arch);
    }
    // Sequelize's options for every model, wherever the service writes them.
    if words.has(W::freezeTableName) || words.has(W::underscored) {
        facts.arch.sequelize_define = super::ts_arch::sequelize_define(text);
    }
    // Next.js pages router: a page's `getInitialProps` parameters are what `pages/_app`
    // hands it (`client`), whose requests are collected as those of an imported name.
    let handed = match super::ts_next::pages_file(rel) && words.has(W::getInitialProps) {
        true => super::ts_next::initial_props(tree.root_node(), rel, text, &mut facts.arch),
        false => Vec::new(),
    };
    relative.extend(handed.iter().cloned());
    // URL-builder functions and the requests made of their calls (`lang/ts_builders.rs`).
    if with_arch && super::ts_builders::mentions(&words) {
        super::ts_builders::builders(tree.root_node(), text, &relative, &mut facts.arch);
    }
    // hapi route arrays a module declares (`module.exports = [{ method, path, handler }]`),
    // which need name no framework (`lang/ts_hapi.rs`).
    if code_file && super::ts_hapi::mentions(&words) {
        super::ts_hapi::route_arrays(tree.root_node(), src, &mut facts.arch);
    }
    // GraphQL servers (`GraphQLModule.forRoot`, `createYoga`, `new ApolloServer`, `lang/ts_graphql.rs`).
    if code_file && super::ts_graphql::mentions(&words) {
        super::ts_graphql::servers(tree.root_node(), src, &mut facts.arch);
    }
    // NestJS controllers of ts-proto's `@UsersServiceControllerMethods()` (`lang/ts_nest.rs`).
    if code_file && super::ts_nest::mentions_controller_methods(&words) {
        super::ts_nest::proto_controllers(tree.root_node(), src, &mut facts.arch);
    }
    // Nest's `app.enableVersioning({ type: VersioningType.URI })` (`lang/ts_nest.rs`).
    if code_file && super::ts_nest::mentions_versioning(&words) {
        super::ts_nest::uri_versioning(tree.root_node(), src, &mut facts.arch);
    }
    // Prefixes handed to a Nest app factory (`create(AppModule, { globalPrefix })`, `lang/ts_nest.rs`).
    if code_file && super::ts_nest::mentions_prefix_arg(&words) {
        super::ts_nest::prefix_args(tree.root_node(), src, &mut facts.arch);
    }
    // Mongoose models on a connection (`conn.model('User', userSchema)`, `lang/ts_mongoose.rs`).
    if with_arch && super::ts_mongoose::mentions(&words) {
        super::ts_mongoose::connection_models(tree.root_node(), src, &mut facts.arch);
        super::ts_mongoose::imported_models(tree.root_node(), src, &mut facts.arch);
    }
    // TypeORM entities without decorators (`new EntitySchema({ tableName })`, `lang/ts_typeorm.rs`).
    if with_arch && super::ts_typeorm::mentions(&words) {
        super::ts_typeorm::entity_schemas(tree.root_node(), src, &mut facts.arch);
    }
    // The entities a TypeORM data source registers (`entities: [A, B]`), for a base class
    // other entities extend (`resolve/tables.rs`).
    if code_file && super::ts_typeorm::mentions_entities(&words) {
        super::ts_typeorm::entity_lists(tree.root_node(), src, &mut facts.arch);
    }
    // DynamoDB tables of AWS SDK calls (`new PutCommand({ TableName })`, `lang/ts_dynamo.rs`).
    if with_arch && super::ts_dynamo::mentions(&words) {
        super::ts_dynamo::tables(tree.root_node(), src, &mut facts.arch);
    }
    // Values registered in a DI container, and the typed fields it fills (`lang/ts_di.rs`).
    if code_file && super::ts_di::registers(&words) {
        super::ts_di::providers(tree.root_node(), src, &mut facts.arch);
    }
    if code_file && super::ts_di::injects(&words) {
        super::ts_di::field_types(tree.root_node(), src, &mut facts.arch);
    }
    // Moleculer services and action calls (`lang/ts_moleculer.rs`): a schema file need
    // name no framework.
    if code_file && super::ts_moleculer::declares(&words, rel) {
        super::ts_moleculer::services(tree.root_node(), src, &mut facts.arch);
    }
    if code_file && super::ts_moleculer::declares_gateway(&words) {
        super::ts_moleculer::gateways(tree.root_node(), src, &mut facts.arch);
    }
    if code_file && super::ts_moleculer::calls_actions(&words) {
        super::ts_moleculer::calls(tree.root_node(), src, &mut facts.arch);
    }
    // Firestore collections (`lang/ts_firestore.rs`).
    if with_arch && super::ts_firestore::mentions(&words) {
        super::ts_firestore::uses(tree.root_node(), text, &mut facts.arch);
    }
    // Servers that route by hand (`switch (new URL(req.url).pathname)`), read in any file.
    if code_file && super::ts_raw::mentions(&words) {
        super::ts_raw::routes(tree.root_node(), src, &mut facts.arch);
    }
    if with_arch && words.has(W::class_) {
        super::ts_classes::class_clients(tree.root_node(), text, &mut facts.arch);
    }
    // An enum of NATS subjects (`enum Subjects { OrderCreated = 'order:created' }`) names
    // no framework: its members are read in every file declaring an enum (a walk of the
    // top level only); so are an event class's `static readonly TOPIC = 'users.created'`,
    // which the files emitting and handling it import.
    let statics =
        words.has(W::static_) && (with_arch || words.has(W::static_readonly) || super::ts_arch::static_object(src));
    if (words.has(W::enum_) && super::ts_arch::declares_enum(src)) || statics {
        super::ts_arch::member_constants(tree.root_node(), text, &mut facts.arch);
    }
    // A NestJS message pattern object held in a constant (`export const LOGIN = { api: 'auth',
    // name: 'login' }`), in a module that names no framework.
    let texts = !with_arch && words.has(W::export_const);
    if code_file && (texts || words.has(W::eq_brace)) {
        super::ts_arch::route_constants(tree.root_node(), text, texts, &mut facts.arch);
    }
    // A configuration class's getters of environment variables (`get url() { return process.env.URL }`).
    if code_file && super::ts_arch::env_getter_text(&words) {
        super::ts_arch::class_env_getters(tree.root_node(), text, &mut facts.arch);
    }
    // `export const Config = new Configuration()` of a class whose fields read the environment.
    if code_file && super::ts_arch::instance_env_text(&words) {
        super::ts_arch::instance_env_fields(tree.root_node(), text, &mut facts.arch);
    }
    // `const config = EnvSchema.parse(process.env)` of a zod `z.object({ KEY: z.string().default('x') })`.
    if super::ts_arch::env_schema_text(&words) {
        super::ts_arch::env_schemas(tree.root_node(), text, &mut facts.arch);
    }
    // A subclass setting the field its base class's queue is named by need not name a broker.
    if code_file && words.has(W::extends) && super::ts_arch::extends_a_name(src) {
        super::ts_arch::class_fields(tree.root_node(), text, &mut facts.arch);
    }
    // A class's base and what its constructor hands to `super(…)`, for constructions of
    // subclasses of a client class (`lang/ts_classes.rs`).
    if code_file && words.has(W::extends_) {
        super::ts_classes::subclasses(tree.root_node(), text, &mut facts.arch);
    }
    if code_file && words.has(W::ollection_call) {
        super::ts_arch::collection_helpers(tree.root_node(), text, &mut facts.arch);
    }
    if code_file && words.has(W::bull) && super::ts_bull::imports_bull(src) {
        super::ts_bull::queues(tree.root_node(), text, &mut facts.arch);
    }
    if with_arch {
        super::ts_bull::imported_uses(text, &relative, &mut facts.arch);
        // Redux Toolkit Query apis and their endpoints (`lang/ts_rtk.rs`).
        if super::ts_rtk::mentions(&words) {
            super::ts_rtk::apis(tree.root_node(), text, &relative, &mut facts.arch);
        }
        super::ts_arch::bind_factory_results(text, &mut facts.arch.bindings, &mut relative);
        super::ts_arch::wrapper_calls(tree.root_node(), text, &relative, &mut facts.arch);
        if words.has(W::new_) && super::ts_classes::may_construct(src) {
            super::ts_classes::constructions(tree.root_node(), text, &relative, &mut facts.arch);
        }
        // NestJS: `this.proxy.forward(…)` through a constructor-injected provider.
        if words.has(W::constructor_call) {
            super::ts_nest::injected_calls(tree.root_node(), text, &mut facts.arch);
        }
    } else if !is_declaration_file(rel) {
        let sources: Vec<Node> = found.values().map(|(n, _)| *n).collect();
        super::ts_arch::imported_client_calls(tree.root_node(), text, &sources, &handed, &mut facts.arch);
        // A subclass's base and the constants of its fields come through its imports, as do
        // the constants naming its queues (`@Processor(QueueName.Emails)`, `lang/ts_bull.rs`).
        let subclass = !facts.arch.class_fields.is_empty() || !facts.arch.subclasses.is_empty();
        let named_queues = facts.arch.queues.iter().any(|q| q.name.iter().any(|p| matches!(p, Part::Ref(_))));
        if (subclass || named_queues) && facts.arch.bindings.is_empty() {
            facts.arch.bindings = super::ts_arch::import_bindings(&sources, src);
        }
        super::ts_temporal::bind_queue_names(&sources, src, &mut facts.arch);
        // `new ItemService(config.api.baseUrl, …)` of a class imported from the project:
        // its arguments are read through the module's imports.
        if words.has(W::new_) && super::ts_classes::may_construct(src) {
            let read = facts.arch.bindings.is_empty();
            let bindings = match read {
                true => super::ts_arch::import_bindings(&sources, src),
                false => std::mem::take(&mut facts.arch.bindings),
            };
            let relative: Vec<String> = bindings.iter().map(|b| b.local.clone()).collect();
            if super::ts_classes::constructions(tree.root_node(), text, &relative, &mut facts.arch) || !read {
                facts.arch.bindings = bindings;
            }
        }
    }
    // `this.publisher.publish(Topic.X, …)` of a field typed with a class or an interface
    // whose `publish` names a queue by its parameter (`lang/ts_methods.rs`).
    if code_file && words.has(W::publish_call) && words.has(W::this_dot) && words.has(W::class_) {
        let before = facts.arch.name_calls.len();
        super::ts_methods::typed_calls(tree.root_node(), text, &mut facts.arch);
        if facts.arch.name_calls.len() > before && facts.arch.bindings.is_empty() {
            let sources: Vec<Node> = found.values().map(|(n, _)| *n).collect();
            facts.arch.bindings = super::ts_arch::import_bindings(&sources, src);
        }
    }
    // `new TicketCreatedPublisher(client).publish(data)`: the method of an imported class
    // may be where its base class publishes (`ts-nats-publisher-caller`).
    if code_file && words.has(W::new_) {
        let sources = || found.values().map(|(n, _)| *n).collect();
        super::ts_arch::instance_calls(tree.root_node(), text, &sources, &mut facts.arch);
    }
    let mut file_flags = if super::is_test_path(rel, lang) { Flags::TEST } else { Flags::default() };
    if is_declaration_file(rel) {
        // A declaration file has no run time: everything it imports is for types.
        file_flags.insert(Flags::TYPE_ONLY);
    }
    let root = root.unwrap_or_else(|| query::Root::new(tree.root_node()));
    for (node, mut flags) in found.into_values() {
        let named = matches!(node.kind_name(), "string" | "template_string");
        let Some(spec) = literal(node, src).filter(|_| named) else {
            // `require("./routes/" + name)`, ``import(`./${name}`)``: a module chosen at run time.
            facts.arch.loads_by_name |= node.kind_name() != "string";
            if node.kind_name() != "string" {
                super::ts_arch::computed_load_mount(node, src, &mut facts.arch);
            }
            continue;
        };
        if all_specifiers_are_types(&root, node) || statement_says_type(&root, node, src) {
            flags.insert(Flags::TYPE_ONLY);
        }
        if flags.contains(Flags::DYNAMIC) && in_type_position(&root, node) {
            // `typeof import("x")`, `import("x").T`: a type query, not a lazy load.
            flags = Flags(flags.0 & !Flags::DYNAMIC.0);
            flags.insert(Flags::TYPE_ONLY);
        }
        facts.imports.push(RawImport {
            spec: spec.to_string(),
            names: Vec::new(),
            level: 0,
            scope: Vec::new(),
            line: query::line(node),
            flags: flags.union(file_flags),
            is_use: true,
            allow_cycle: None,
        });
    }
}

/// The specifier inside a string or a template literal without substitutions.
fn literal<'a>(node: Node, src: &'a [u8]) -> Option<&'a str> {
    let t = query::text(node, src);
    if node.kind_name() == "template_string" && t.contains("${") {
        return None;
    }
    let inner = t.get(1..t.len().checked_sub(1)?)?;
    (!inner.is_empty()).then_some(inner)
}

/// `.d.ts`, `.d.mts`, `.d.cts`.
fn is_declaration_file(rel: &str) -> bool {
    [".d.ts", ".d.mts", ".d.cts"].iter().any(|e| rel.ends_with(e))
}

/// Node kinds that put an `import("x")` in a type, not in running code.
const TYPE_CONTEXTS: &[&str] = &[
    "constraint",
    "default_type",
    "extends_type_clause",
    "generic_type",
    "implements_clause",
    "interface_declaration",
    "lookup_type",
    "type_alias_declaration",
    "type_annotation",
    "type_arguments",
    "type_query",
];

fn in_type_position(root: &query::Root, source: Node) -> bool {
    root.ancestors(source, 8).into_iter().any(|a| TYPE_CONTEXTS.contains(&a.kind_name()))
}

/// `export type * from "m"` and `import type X = require("m")`: forms the
/// grammar does not mark with a `type` token, recognised from the statement text.
fn statement_says_type(root: &query::Root, source: Node, src: &[u8]) -> bool {
    let Some(stmt) = root
        .ancestors(source, 3)
        .into_iter()
        .find(|a| matches!(a.kind_name(), "import_statement" | "export_statement"))
    else {
        return false;
    };
    let text = query::text(stmt, src);
    let mut words = text.split_whitespace();
    matches!(words.next(), Some("import" | "export")) && words.next() == Some("type")
}

/// `import {type A, type B} from "m"` / `export {type A} from "m"`: every
/// named specifier is a type, so the whole import is erased at run time.
fn all_specifiers_are_types(root: &query::Root, source: Node) -> bool {
    let Some(&stmt) = root.ancestors(source, 1).first() else {
        return false;
    };
    let mut cursor = stmt.walk();
    let mut specifiers = Vec::new();
    for child in stmt.named_children(&mut cursor) {
        match child.kind_name() {
            "import_clause" => {
                let mut c = child.walk();
                for part in child.named_children(&mut c) {
                    if part.kind_name() != "named_imports" {
                        return false; // a default or namespace import is a value
                    }
                    let mut s = part.walk();
                    specifiers.extend(part.named_children(&mut s).filter(|n| n.kind_name() == "import_specifier"));
                }
            }
            "export_clause" => {
                let mut c = child.walk();
                specifiers.extend(child.named_children(&mut c).filter(|n| n.kind_name() == "export_specifier"));
            }
            _ => {}
        }
    }
    !specifiers.is_empty() && specifiers.iter().all(|s| s.child(0).is_some_and(|t| t.kind_name() == "type"))
}

/// The file's imports from project modules (`relative`) it calls by name (`name(`, not a
/// member `x.name(`), found in the text: a function of another module reached from here
/// (`ArchFacts::called`).
fn called_imports(text: &str, relative: &[String], arch: &mut crate::model::ArchFacts) {
    let src = text.as_bytes();
    for name in relative {
        let needle = format!("{name}(");
        let called = memchr::memmem::find_iter(src, needle.as_bytes()).any(|at| {
            let before = src[..at].iter().rev().copied().find(|b| *b != b' ');
            !src[..at].last().is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.'))
                && before != Some(b'.')
        });
        if called && !arch.called.contains(name) {
            arch.called.push(name.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imports(src: &str, lang: Lang, rel: &str) -> Vec<(String, u32, Vec<&'static str>)> {
        let mut facts = FileFacts::default();
        extract(rel, src, lang, &mut facts);
        assert!(facts.diagnostics.is_empty(), "{:?}", facts.diagnostics);
        facts.imports.into_iter().map(|i| (i.spec, i.line, i.flags.names())).collect()
    }

    #[test]
    fn queries_compile() {
        for lang in [Lang::JavaScript, Lang::TypeScript, Lang::Tsx] {
            assert!(compiled(lang).is_ok(), "{lang:?}: {:?}", compiled(lang).as_ref().err());
        }
    }

    #[test]
    fn typescript_forms() {
        let src = "import a from './a';\nimport type { T } from './t';\nimport { type U, type V } from './u';\n\
                   import { type W, w } from './w';\nexport * from './barrel';\nexport type { X } from './x';\n\
                   import fs = require('fs');\nconst lazy = () => import('./lazy');\nimport './side.css';\n\
                   const c = require(\"./cjs\");\nconst d = import(`./tpl`);\nconst e = import(`./${name}`);\n";
        let want = vec![
            ("./a".to_string(), 1, vec![]),
            ("./t".to_string(), 2, vec!["type_only"]),
            ("./u".to_string(), 3, vec!["type_only"]),
            ("./w".to_string(), 4, vec![]),
            ("./barrel".to_string(), 5, vec!["reexport"]),
            ("./x".to_string(), 6, vec!["reexport", "type_only"]),
            ("fs".to_string(), 7, vec![]),
            ("./lazy".to_string(), 8, vec!["dynamic"]),
            ("./side.css".to_string(), 9, vec![]),
            ("./cjs".to_string(), 10, vec![]),
            ("./tpl".to_string(), 11, vec!["dynamic"]),
        ];
        assert_eq!(imports(src, Lang::TypeScript, "src/m.ts"), want);
    }

    #[test]
    fn type_positions_and_declaration_files() {
        let src = "type A = typeof import('./x');\nlet b: import('./y').T;\nexport type * from './v';\n\
                   import type X = require('./u');\nconst lazy = import('./real');\n";
        let want = vec![
            ("./x".to_string(), 1, vec!["type_only"]),
            ("./y".to_string(), 2, vec!["type_only"]),
            ("./v".to_string(), 3, vec!["reexport", "type_only"]),
            ("./u".to_string(), 4, vec!["type_only"]),
            ("./real".to_string(), 5, vec!["dynamic"]),
        ];
        let mut facts = FileFacts::default();
        extract("m.ts", src, Lang::TypeScript, &mut facts);
        let got: Vec<_> = facts.imports.iter().map(|i| (i.spec.clone(), i.line, i.flags.names())).collect();
        assert_eq!(got, want);
        let d = imports("import { A } from './a';\n", Lang::TypeScript, "types/index.d.ts");
        assert_eq!(d[0].2, vec!["type_only"]);
    }

    /// The architecture queries, run only where a match can start, find what a
    /// full pass finds, on every JavaScript and TypeScript file of the fixtures and benches.
    #[test]
    fn walking_from_match_starts_loses_nothing() {
        let samples = query::sample_sources(&[".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx"]);
        assert!(samples.len() > 50, "{}", samples.len());
        for (name, src) in &samples {
            let lang = if name.ends_with(".tsx") {
                Lang::Tsx
            } else if name.ends_with(".ts") {
                Lang::TypeScript
            } else {
                Lang::JavaScript
            };
            let src = if lang == Lang::JavaScript {
                src.clone()
            } else {
                super::super::ts_gaps::mask(src, lang == Lang::TypeScript).into_owned()
            };
            eprintln!("{name}");
            query::assert_same_as_full_pass(compiled(lang).as_ref().unwrap(), &language(lang), &src, None);
        }
    }

    #[test]
    fn javascript_and_tsx_and_test_files() {
        let js = "const x = require('x');\nexport { y } from './y.js';\nconst el = <div/>;\n";
        assert_eq!(imports(js, Lang::JavaScript, "a.jsx").len(), 2);
        let tsx = "import React from 'react';\nexport const A = () => <div>{1}</div>;\n";
        assert_eq!(imports(tsx, Lang::Tsx, "a.tsx"), vec![("react".to_string(), 1, vec![])]);
        let t = imports("import { a } from './a';\n", Lang::TypeScript, "src/a.test.ts");
        assert_eq!(t[0].2, vec!["test"]);
    }

    /// The skipping pass finds what a full pass over the tree finds.
    fn same_as_full_pass(src: &str, lang: Lang) {
        query::assert_same_as_full_pass(compiled(lang).as_ref().unwrap(), &language(lang), src, Some(NEEDLES));
    }

    #[test]
    fn skipping_statements_without_imports_loses_nothing() {
        same_as_full_pass(include_str!("../../benches/data/checkout_store.ts"), Lang::TypeScript);
        let js = "function f() { const a = require('a'); return import(`./b`); }\nexport * from './c';\n\
                  module.exports = { x: require('./d') };\nclass K { m() { if (x) { import('./e'); } } }\n";
        for lang in [Lang::JavaScript, Lang::TypeScript, Lang::Tsx] {
            same_as_full_pass(js, lang);
        }
        same_as_full_pass(
            "import x = require('y');\nexport type { T } from './t';\nlet broken = (;\n",
            Lang::TypeScript,
        );
    }

    #[test]
    fn nesting_bomb_does_not_overflow() {
        let src = format!("import a from './a';\nconst x = {}1{};\n", "[".repeat(20_000), "]".repeat(20_000));
        let mut facts = FileFacts::default();
        extract("m.ts", &src, Lang::TypeScript, &mut facts);
        assert_eq!(facts.imports.len(), 1);
    }
}
