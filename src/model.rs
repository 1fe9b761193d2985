//! The facts IR shared by every stage.
//!
//! Discovery produces [`SourceFile`]s, extraction turns each one into a
//! [`FileFacts`] (what the source *says*, with line numbers, nothing
//! resolved), and the resolvers in `crate::resolve` link those raw facts to
//! files and packages project-wide. Keeping this layer free of graph and
//! report types is what lets extraction stay a pure, parallel function.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;

/// A language tapestry extracts facts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Lang {
    Rust,
    TypeScript,
    /// TypeScript with JSX: its own tree-sitter grammar, reported as `typescript`.
    Tsx,
    JavaScript,
    Python,
}

impl Lang {
    /// The name used in reports (`tsx` files are TypeScript).
    pub fn report_name(self) -> &'static str {
        match self {
            Lang::Rust => "rust",
            Lang::TypeScript | Lang::Tsx => "typescript",
            Lang::JavaScript => "javascript",
            Lang::Python => "python",
        }
    }

    /// TypeScript and JavaScript share one resolver (the module system is the same).
    pub fn is_ecmascript(self) -> bool {
        matches!(self, Lang::TypeScript | Lang::Tsx | Lang::JavaScript)
    }
}

/// A file found by discovery that tapestry will parse.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Absolute (or as-given) path used to read the file.
    pub abs: PathBuf,
    /// Path relative to the scan root, with `/` separators: the module's identity.
    pub rel: String,
    pub lang: Lang,
    pub size: u64,
    /// Modification time from the walk's `stat`, nanoseconds since the Unix
    /// epoch (`None` when the platform cannot tell): with `size`, what lets
    /// the facts cache trust an unchanged file without reading it.
    pub mtime_ns: Option<u64>,
}

/// Import classes. Bit flags so a file can carry many imports cheaply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Flags(pub u8);

impl Flags {
    /// Erased at run time: TS `import type`, Python `if TYPE_CHECKING:`.
    pub const TYPE_ONLY: Flags = Flags(1);
    /// Loaded lazily: TS `import()`, Python imports inside a function body.
    pub const DYNAMIC: Flags = Flags(2);
    /// The import re-exports what it names: `export … from`, `pub use`, `__init__.py` relative imports.
    pub const REEXPORT: Flags = Flags(4);
    /// From test code: test files, Rust `#[cfg(test)]`.
    pub const TEST: Flags = Flags(8);
    /// Guarded: inside a Python `try:` block (an optional dependency).
    pub const CONDITIONAL: Flags = Flags(16);
    /// Said by a deployment file (compose `depends_on`, an environment URL), not by code.
    pub const DECLARED: Flags = Flags(32);
    /// A call whose host is not known, linked by its method and path alone to the
    /// one service serving them (`{API_URL}/orders/{id}` with `API_URL` set nowhere).
    pub const INFERRED: Flags = Flags(64);
    /// A call whose base URL is an environment variable nothing sets, linked to the
    /// one service the variable's name names (`IDENTITY_SERVICE_URL` → `identity-service`).
    pub const ENV_NAMED: Flags = Flags(128);

    /// Flag names in the order they are reported.
    pub const NAMES: [(Flags, &'static str); 8] = [
        (Flags::CONDITIONAL, "conditional"),
        (Flags::DECLARED, "declared"),
        (Flags::DYNAMIC, "dynamic"),
        (Flags::ENV_NAMED, "env_named"),
        (Flags::INFERRED, "inferred"),
        (Flags::REEXPORT, "reexport"),
        (Flags::TEST, "test"),
        (Flags::TYPE_ONLY, "type_only"),
    ];

    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }
    pub fn insert(&mut self, other: Flags) {
        self.0 |= other.0;
    }
    pub fn union(self, other: Flags) -> Flags {
        Flags(self.0 | other.0)
    }
    pub fn intersection(self, other: Flags) -> Flags {
        Flags(self.0 & other.0)
    }
    pub fn names(self) -> Vec<&'static str> {
        Flags::NAMES.iter().filter(|(f, _)| self.contains(*f)).map(|(_, n)| *n).collect()
    }
    /// Flags that describe *every* site of an edge (the edge has them only if
    /// each site does) versus those where one site is enough.
    pub const ALL_SITES: Flags = Flags(1 | 2 | 8 | 16 | 32 | 64 | 128);
    pub const ANY_SITE: Flags = Flags(4);
}

/// One import as written in the source, before resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawImport {
    /// The specifier as written: TS/JS `./foo` or `react`; Python the dotted
    /// module part (`a.b`, empty for `from . import x`); Rust the path joined
    /// with `::` (`crate::a::b`, `super::x`, `serde::Deserialize`).
    pub spec: String,
    /// Python `from m import a, b`: the imported names (`*` for a star import).
    pub names: Vec<String>,
    /// Python relative import level (number of leading dots).
    pub level: u32,
    /// Rust: the inline-module path inside the file where the path is written
    /// (`mod a { mod b { use super::x; } }` → `["a", "b"]`).
    pub scope: Vec<String>,
    /// 1-based line of the specifier.
    pub line: u32,
    pub flags: Flags,
    /// Rust: the path is from a `use` item (true) or written in an expression or
    /// type (false); the two are resolved with different confidence.
    pub is_use: bool,
    /// `tapestry: allow-cycle <reason>` written on the import's line: the reason.
    #[serde(default)]
    pub allow_cycle: Option<String>,
}

/// A Rust `mod` declaration: `mod x;` (child file) or `mod x { … }` (inline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RustMod {
    /// Inline-module path inside the file where the declaration is written.
    pub scope: Vec<String>,
    pub name: String,
    /// `#[path = "…"]` on the declaration.
    pub path_attr: Option<String>,
    /// `mod x { … }` (true) or `mod x;` (false).
    pub inline: bool,
    pub line: u32,
    pub flags: Flags,
}

/// Everything extraction learned from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    pub imports: Vec<RawImport>,
    pub mods: Vec<RustMod>,
    /// The file says it is generated (`@generated`, `DO NOT EDIT`) in its first lines.
    pub generated: bool,
    /// The parser reported a syntax error (facts were still recovered where possible).
    pub parse_error: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// The file was not parsed at all (binary content); it is not a module.
    pub skipped: bool,
    /// Number of lines of the file (for size metrics).
    pub lines: u32,
    /// Routes, routers, HTTP calls, SQL, ORM tables and queues the file declares or uses.
    #[serde(default)]
    pub arch: ArchFacts,
}

/// The result of extracting one file: its identity plus its facts.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub file: SourceFile,
    pub facts: FileFacts,
}

/// One piece of a URL or route template as written: literal text, an
/// environment variable, a reference to a named constant, or a parameter
/// (an interpolation that cannot be read statically).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Part {
    Lit(String),
    /// `os.environ["X"]`, `process.env.X`, `std::env::var("X")`, with a default when written.
    Env(String, Option<String>),
    /// An identifier that may name a string constant (this file's or an imported one).
    Ref(String),
    /// An interpolation that is not a constant: `{name}`.
    Param(String),
    /// A value chosen by whether an environment variable is set: the first
    /// template when it is, the second when not (`"." + os.environ["D"] if "D" in
    /// os.environ else ""`, `process.env.X ? process.env.X : 'd'`).
    IfEnv(String, Template, Template),
    /// `must_map_env("X")`: a call of a function with one string argument, an
    /// environment read when resolution finds the function is one of the
    /// project's env getters (`ArchFacts::env_getters`), else the parameter `{X}`.
    EnvCall(String, String),
}

/// A template: parts in order.
pub type Template = Vec<Part>;

/// A local name bound by an import (`from .users import bp as users_bp`,
/// `import users from './users'`), so routers and constants can be followed across files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    pub local: String,
    /// The name in the imported module (`default` for a default import, `*` for a namespace).
    pub remote: String,
    /// Line of the import, matching a resolved import link.
    pub line: u32,
}

/// A router object: `Flask(__name__)`, `Blueprint(…, url_prefix=)`, `APIRouter(prefix=)`,
/// `express()`, `Router()`, `@Controller('p')` class, a Rust fn building a `Router`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawRouter {
    pub name: String,
    pub framework: String,
    /// Prefix the router itself applies (`url_prefix=`, `prefix=`, `@Controller('p')`).
    pub prefix: Template,
    pub line: u32,
}

/// One route declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawRoute {
    pub framework: String,
    /// The router the route is declared on (a name resolved in this file or through imports).
    pub router: String,
    /// Upper-case methods; `ANY` when the route takes every method.
    pub methods: Vec<String>,
    /// The path as written (a constant or an interpolation is resolved later;
    /// one that stays unknown makes the route dynamic).
    pub path: Template,
    pub handler: Option<String>,
    pub line: u32,
}

/// A router mounted under another: `register_blueprint(bp, url_prefix=)`,
/// `include_router(r, prefix=)`, `app.use('/p', r)`, axum `nest`/`merge`, `include()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawMount {
    pub parent: String,
    pub child: String,
    pub prefix: Template,
    pub line: u32,
}

/// A module-level string constant (a base URL, a route prefix).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawConst {
    pub name: String,
    pub value: Template,
    pub line: u32,
}

/// An outgoing HTTP request: client, method and URL template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawCall {
    pub client: String,
    pub method: String,
    pub url: Template,
    pub line: u32,
}

/// A function of the project that hands one of its parameters, as the URL, to
/// an HTTP client (`const getName = (url) => fetch(url)`, `def get(url): return
/// requests.get(url)`). Its call sites make the request (`RawArgCall`); the call
/// inside it, whose URL is unknown there, is not a call of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawWrapper {
    /// As defined: `getName`, `helpers.simpleHttpRequest`, `Client.get`.
    pub name: String,
    /// Index of the parameter that is the URL.
    pub param: usize,
    /// The client call; its URL is `Ref(parameter)` followed by literal parts only.
    pub call: RawCall,
    /// Index of the parameter that is the request's options (`fetch(url, options)`), whose
    /// `method` each caller says (`apiRequest(u, { method: 'DELETE' })`); the call's
    /// method is the default when a caller passes none.
    pub method_param: Option<usize>,
    /// Index of the parameter that is the method itself (`static fetch(path, method)`
    /// passing `{ method }` on): each caller's argument there is the method.
    pub method_arg: Option<usize>,
    /// Index of the part of `call.url` that is the parameter: 0 when the URL starts with
    /// it; after a constant host (`` `${HOST}${path}` ``) the parts before it are kept.
    #[serde(default)]
    pub at: usize,
    /// The parameter is an object whose property of this name is the URL (a request hook
    /// `useRequest({ url, method })`): each caller's object literal says it.
    #[serde(default)]
    pub key: Option<String>,
    /// Python: the function's parameters with their default values (empty when none), up
    /// to the first splat: a parameter in the URL before `at` (`base + path` with
    /// `base=USERS_URL`) or the method parameter is the caller's argument, by position or
    /// by keyword, else its default, read in the wrapper's module.
    #[serde(default)]
    pub params: Vec<(String, Template)>,
    /// JS/TS: the request of one case of a `switch` on a parameter (`case 'users': url =
    /// …`): that parameter's index and the case's string; only the callers passing that
    /// string make this request.
    #[serde(default)]
    pub choice: Option<(usize, String)>,
    /// Python: the wrapper of the same module this one hands its URL to (`_ai_get(path)`
    /// calling `_http("GET", f"{AI_URL}{path}")`): a caller reaching this one reaches that
    /// one too. Several, comma-separated, when it hands the same URL to several of them
    /// (`get(new_url)` in one branch, `post(new_url, args)` in another).
    #[serde(default)]
    pub forwards: Option<String>,
    /// JS/TS: the client joins the parameter to a base URL of its own (axios's
    /// `request({ url, baseURL: process.env.USERS_MS + '/api' })`): whatever text the
    /// base holds, a caller's bare word is a path (`UserService.post('register')`).
    #[serde(default)]
    pub joined: bool,
}

/// Where a Redux Toolkit Query api sends its requests (`lang/ts_rtk.rs`): the base URL of
/// its `baseQuery`, read as far as its file allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RtkBase {
    /// `fetchBaseQuery({ baseUrl })`'s base as written (empty when it has none); a
    /// parameter of the factory making it is `Param` (`(baseUrl) => fetchBaseQuery({ baseUrl })`).
    Url(Template),
    /// A name the file imports: an api slice (`apiSlice.injectEndpoints`), a base query, or
    /// a factory called with these arguments (`createBaseQueryWithAuth("http://…")`).
    Imported { name: String, args: Option<Vec<Template>> },
    /// A base query whose URL is not read (several bases chosen at run time): why.
    Unknown(String),
}

/// A top-level name of a module that is an RTK Query api or base query, or a factory of
/// one (`params`: its parameters, by position), which other modules may import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawRtkBase {
    pub name: String,
    pub params: Vec<String>,
    pub base: RtkBase,
    pub line: u32,
}

/// The request of one RTK Query endpoint (`builder.query({ query: (id) => `/todo/${id}` })`),
/// at its `query` line: the path is joined to the api's base URL as `fetchBaseQuery` joins
/// it; `None` when the path is not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawRtkQuery {
    pub base: RtkBase,
    pub method: String,
    pub path: Option<Template>,
    pub line: u32,
}

/// An HTTP client instance made at a module's top level, by the name it is
/// exported as (`default` for `export default axios.create(…)`), with its base
/// URL (empty when it has none: its calls' paths are relative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawClient {
    pub name: String,
    pub base: Template,
    pub line: u32,
}

/// A call of a function with arguments that may be URLs or queue names (each
/// argument's template, empty when it is not read): `getName(nameUrl)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawArgCall {
    /// The callee as written: `getName`, `helpers.simpleHttpRequest`.
    pub callee: String,
    pub args: Vec<Template>,
    /// Python keyword arguments (`fetch(url=BASE + "/x")`), by name.
    pub kwargs: Vec<(String, Template)>,
    /// The `method` of each object-literal argument, by index (`{ method: 'DELETE' }`):
    /// upper case, `ANY` when not a literal, empty when the object has none.
    pub methods: Vec<(usize, String)>,
    /// The URL-like properties of each object-literal argument, by index and key
    /// (`useRequest({ url: '/api/users' })`).
    #[serde(default)]
    pub props: Vec<(usize, String, Template)>,
    pub line: u32,
}

/// A Python URL builder: `def build_url(path, base=GATEWAY_URL): return base + path`
/// (also `f"{BASE}{path}"`, `urljoin(BASE, path)`), the module-level function's last
/// statement returning a URL built from its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawUrlBuilder {
    pub name: String,
    /// Its parameters, in order, with their defaults (empty when none), up to a splat.
    pub params: Vec<(String, Template)>,
    /// What it returns: each parameter a `Param` of its name, the builder's locals
    /// (assigned once) replaced by their values.
    pub ret: Template,
}

impl RawUrlBuilder {
    /// The URL a call returns: each parameter the caller's argument (by keyword, else
    /// position), else its default as `default` reads it, else left a parameter; every
    /// other part as `other` reads it.
    pub fn apply(
        &self,
        args: &[Template],
        kwargs: &[(String, Template)],
        default: &mut dyn FnMut(&Template) -> Template,
    ) -> Template {
        let mut out = Template::new();
        for part in &self.ret {
            let k = match part {
                Part::Param(p) => self.params.iter().position(|(n, _)| n == p),
                _ => None,
            };
            let value = match (k, part) {
                (Some(k), Part::Param(p)) => {
                    let given = kwargs.iter().find(|(n, _)| n == p).map(|(_, t)| t).or_else(|| args.get(k));
                    match given.filter(|t| !t.is_empty()) {
                        Some(t) => t.clone(),
                        None if !self.params[k].1.is_empty() => default(&self.params[k].1),
                        None => vec![part.clone()],
                    }
                }
                _ => default(&vec![part.clone()]),
            };
            for v in value {
                match (out.last_mut(), v) {
                    (Some(Part::Lit(a)), Part::Lit(b)) => a.push_str(&b),
                    (_, v) => out.push(v),
                }
            }
        }
        out
    }
}

/// A Python class of the scanned code, for HTTP clients written as classes: its bases
/// as written and the names of its methods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawPyClass {
    pub name: String,
    pub bases: Vec<String>,
    /// The methods it defines (`__init__` among them when it has one).
    pub methods: Vec<String>,
    pub line: u32,
}

/// A request made in a method whose URL starts with a field the class's own `__init__`
/// sets from one of its parameters (`self.base_url = base_url`; also a client made there
/// with `base_url=base_url`): the base URL is what the constructions of the class (or of
/// a subclass) pass for that parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawMethodCall {
    pub class: String,
    pub method: String,
    /// The `__init__` parameter that is the base: index (`self` left out) and name.
    pub base: (usize, String),
    /// The method's parameter (`self` left out) that follows the base, when the method
    /// is a wrapper (`def post(self, endpoint, data)`): each caller's argument is the path.
    pub param: Option<usize>,
    /// The request; its URL is what follows the base (and the parameter): literal text
    /// only after a parameter.
    pub call: RawCall,
}

/// A method of a project class called with arguments that may be paths, or on an object
/// made in the same function: `self.post(self.X_ENDPOINT, body)` in a method (the receiver
/// is the enclosing class or a subclass), `svc.check_alive()` after `svc = LLMSvc(URL)`
/// (exactly that class, made with those arguments).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawMethodUse {
    /// The receiver's class as written.
    pub class: String,
    /// The construction of the receiver, for `x.m()` with `x = Class(…)`; `None` for `self`.
    pub ctor: Option<RawArgCall>,
    pub method: String,
    pub args: Vec<Template>,
    /// For `self.m(…)`: the enclosing method and its parameters (`self` left out).
    pub within: Option<(String, Vec<String>)>,
    pub line: u32,
}

/// A JS/TS class extending another (`class ItemService extends RestService<TodoItem>`):
/// a construction of it builds its base with the arguments its constructor passes to
/// `super(…)`, or with its own when it has no constructor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawSubclass {
    pub class: String,
    /// The base class as written, without type arguments (`RestService`).
    pub base: String,
    /// The arguments of the constructor's `super(…)`, each a template in which the
    /// constructor's own parameters are markers (`crate::lang::ts_classes::ctor_param`);
    /// `None` when the class has no constructor (the construction's arguments go to the
    /// base's), empty when its `super(…)` is not read.
    pub super_args: Option<Vec<Template>>,
    pub line: u32,
}

/// A string literal that reads as SQL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawSql {
    pub text: String,
    pub line: u32,
}

/// An ORM mapping of a class or model to a table (or a collection).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawTable {
    pub orm: String,
    /// The table name as the source says it; `None` when it is the ORM's default
    /// for `class_name` (Django's `app_model`, Prisma's model name).
    pub name: Option<String>,
    pub class_name: Option<String>,
    pub line: u32,
}

/// How code touches a table, a queue or a datastore.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Access {
    Read,
    Write,
}

/// A use of a table by name (`knex('t')`, `db.collection('x')`) or through a model class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawTableUse {
    /// A table name, or a model class name when `via_class`.
    pub name: String,
    pub via_class: bool,
    pub access: Access,
    /// `sql`, `mongodb`, `redis`.
    pub store: String,
    pub line: u32,
}

/// A DynamoDB table an AWS SDK call names (`new PutCommand({ TableName })`,
/// `docClient.query({ TableName })`): its name as written (a literal, a constant, an
/// environment variable), read or written by the operation, or created (`CreateTable`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawDynamo {
    pub table: Template,
    pub access: Access,
    /// `CreateTableCommand`/`createTable`: the table is defined here.
    pub defines: bool,
    pub line: u32,
}

/// A Moleculer service schema (`{ name: 'auth', actions: { login() {…} } }`, a
/// moleculer-decorators `@Service` class): its full name, version prefix included
/// (`v2.posts`), and its actions with their lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawMoleculerService {
    pub name: String,
    pub line: u32,
    pub actions: Vec<(String, u32)>,
    /// Its actions' moleculer-web `rest` declarations, published by a gateway route with
    /// `autoAliases` (`resolve/moleculer.rs`).
    pub rest: Vec<RawActionRest>,
    /// `settings.rest`: the base paths of those declarations; `None` when not set (the
    /// service's full name, dots as slashes).
    pub rest_base: Option<Vec<String>>,
}

/// An action's `rest: 'GET /users'` (or `{ method, path, basePath }`): method `*` when
/// none is written, the action's name as its path when the object gives none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawActionRest {
    pub action: String,
    pub method: String,
    pub path: String,
    /// `basePath` of the object form, replacing the service's.
    pub base: Option<String>,
    pub line: u32,
}

/// A value registered in a dependency-injection container under a token
/// (`container.register('UsersRouter', { useClass: UsersRouter })`, `lang/ts_di.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawDiProvider {
    pub token: String,
    pub value: DiValue,
    pub line: u32,
}

/// What a DI registration gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiValue {
    /// An instance of the class: only a member of it can be a router.
    Class(String),
    /// An expression, named as a mount child is (`UsersModule.route.main()`, `router`,
    /// `makeRouter()`), in the registering file.
    Expr(String),
}

/// A moleculer-web API gateway: a service schema mixing in `moleculer-web`, whose
/// `settings.routes` publish actions over HTTP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawMoleculerGateway {
    /// `settings.path`, the prefix of every route (empty when not set).
    pub path: String,
    pub routes: Vec<RawGatewayRoute>,
    pub line: u32,
}

/// One entry of a gateway's `settings.routes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawGatewayRoute {
    pub path: String,
    /// `autoAliases: true`: every action's `rest` declaration is published under `path`.
    pub auto: bool,
    /// `whitelist` masks (`users.*`, `**`); `None` when there is none.
    pub whitelist: Option<Vec<String>>,
    pub aliases: Vec<RawAlias>,
    pub line: u32,
}

/// `aliases: { 'GET /users': 'users.list' }`: method (`*` when none, `REST` for the six
/// REST aliases), path, and the action called; `None` for a handler function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawAlias {
    pub method: String,
    pub path: String,
    pub action: Option<Template>,
    pub line: u32,
}

/// `ctx.call('auth.login', params)`, `broker.call(…)`: the action's full name, `None`
/// when it is not a literal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawMoleculerCall {
    pub action: Option<String>,
    pub line: u32,
}

/// A message published to or consumed from a broker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawQueue {
    pub broker: String,
    pub name: Template,
    /// `Write` publishes, `Read` consumes.
    pub access: Access,
    pub line: u32,
    /// RabbitMQ: the routing key of a publish to the named exchange `name`, which
    /// resolution follows to the queues bound to that exchange ([`RawAmqp`]).
    #[serde(default)]
    pub key: Option<Template>,
    /// A request awaiting a reply (NestJS `client.send(pattern)`, NATS `request(subject)`),
    /// or, consumed, a handler that answers one (`@MessagePattern(pattern)`, a NATS
    /// subscription): resolution links the request to the service answering it as a call.
    #[serde(default)]
    pub rpc: bool,
}

impl RawQueue {
    /// An MQTT topic published or subscribed to at `line` (Python's and JS/TS's clients alike).
    pub fn mqtt(name: Template, access: Access, line: u32) -> Self {
        RawQueue { broker: "mqtt".into(), name, access, line, key: None, rpc: false }
    }
}

/// RabbitMQ routing declared in code: a queue bound to an exchange
/// (`queue_bind(queue=, exchange=, routing_key=)`: `queue` set), or an exchange
/// declared with its type (`exchange_declare(exchange=, exchange_type=)`: `kind` set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawAmqp {
    pub exchange: Template,
    pub queue: Option<Template>,
    /// The binding key; `None` when not given or not read.
    pub key: Option<Template>,
    /// `direct`, `fanout`, `topic`, `headers`.
    pub kind: Option<String>,
    pub line: u32,
}

/// A queue whose name is a parameter of the function using it (`fn consume(topic:
/// &str) { consumer.subscribe(&[topic]) }`): the function's callers name it, through
/// the argument at `param` of their [`RawArgCall`]s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawQueueParam {
    /// Index of the queue in its file's `queues`.
    pub queue: usize,
    /// The function as its callers write it: `consume`, `Consumer::new`.
    pub function: String,
    pub param: usize,
}

/// A function handing one of its own parameters on to another function (`fn
/// handle(topic: &str) { send(&producer, topic) }`): a queue named by `callee`'s
/// parameter `arg` is named by what `function`'s callers give its parameter `param`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawParamPass {
    /// The function called, as written (`send`, `KafkaProducer::publish`).
    pub callee: String,
    pub arg: usize,
    /// The function making the call, as its callers write it ([`RawQueueParam::function`]).
    pub function: String,
    pub param: usize,
}

/// A queue named by a field of the class using it (`this.client.publish(this.subject,
/// …)` in `abstract class Publisher`): each subclass setting the field names one
/// ([`RawClassField`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawQueueField {
    /// Index of the queue in its file's `queues`.
    pub queue: usize,
    pub class: String,
    pub field: String,
    /// The method of the class making the call (`publish`), which callers of a subclass's
    /// instance call ([`RawInstanceCall`]); empty outside a method.
    #[serde(default)]
    pub method: String,
    /// The field is read from a parameter typed as the class (`publish(event: BaseEvent) {
    /// send({ topic: event.eventType }) }`), not from `this`: `class` is a type name the
    /// module imports (or declares), and the queue is the call's, once per subclass value.
    #[serde(default)]
    pub param: bool,
}

/// A method called on an instance of a class the module imports from the project, made
/// right there: `new TicketCreatedPublisher(client).publish(data)`, or `p.publish(data)`
/// after `const p = new TicketCreatedPublisher(client)` in the same block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawInstanceCall {
    /// The class as the module names it (an import binding's local name).
    pub class: String,
    pub method: String,
    pub line: u32,
}

/// Next.js pages router: a page's `getInitialProps` parameters by position (`(context,
/// client, currentUser)`), with the lines of the function; in `pages/_app`, the names its
/// `Component.getInitialProps(ctx, client, user)` call hands the page, with the call's
/// lines. A name is empty where the parameter or argument is not a plain name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawInitialProps {
    pub names: Vec<String>,
    pub lines: (u32, u32),
}

/// A field a top-level subclass sets to text or a constant (`class TicketCreatedPublisher
/// extends Publisher<E> { subject = Subjects.TicketCreated }`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawClassField {
    pub class: String,
    /// The base class as written, without type arguments (`Publisher`).
    pub base: String,
    pub field: String,
    pub value: Template,
    pub line: u32,
}

/// NestJS `@Module({ controllers: [A], imports: [B, C.forRoot()] })` on class `name`:
/// the controllers it mounts and the modules it imports, by class name. `None` when
/// the list is not a plain array of names (`[...list]`, a variable, an object a
/// dynamic module returns elsewhere in the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawNestModule {
    pub name: String,
    pub controllers: Option<Vec<String>>,
    pub imports: Option<Vec<String>>,
    pub line: u32,
}

/// gRPC: a servicer registered on a server, or a client stub, by proto service name.
///
/// Optional fields are always written: the facts cache is postcard, which is not
/// self-describing, so a skipped field would shift every field after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawGrpc {
    /// The proto service as written; empty for a stub whose name a [`RawGrpc::constant`] holds.
    pub service: String,
    pub server: bool,
    pub line: u32,
    /// Rust: the type whose `impl` block builds this client (`AuthClient` for
    /// `impl AuthClient { fn new() { AuthServiceClient::new(ch) } }`), a constructor
    /// other crates may call. Python: the module-level function whose parameter is the
    /// stub's channel address (`def check(url="localhost:50051")`), a stub made only
    /// where that function is called. `None` elsewhere.
    #[serde(default)]
    pub within: Option<String>,
    /// NestJS: the one rpc a handler decorator serves (`@GrpcMethod('S', 'CreateProduct')`),
    /// the handler of a server some other line registers; `None`: a registration of the
    /// whole service (`add_XServicer_to_server`, `XServer::new`), or a client.
    #[serde(default)]
    pub rpc: Option<String>,
    /// NestJS: the constant whose value names the service of a stub
    /// (`getService(IDENTITY_SERVICE_NAME)`, as ts-proto generates it), read project-wide
    /// where calls are resolved (in the file, imported, through barrels); `None` elsewhere.
    #[serde(default)]
    pub constant: Option<String>,
    /// JS/TS: the class whose method builds this client stub (`class UserServiceClientService
    /// { onModuleInit() { this.client.getService(USER_SERVICE_NAME) } }`): in a module no
    /// service owns (a shared workspace package), the services importing that class make
    /// its calls; `None` elsewhere.
    #[serde(default)]
    pub class: Option<String>,
}

impl RawGrpc {
    /// A client stub of the service constant `name` holds, at `line`, built in `class`.
    pub fn by_constant(name: String, line: u32, class: Option<String>) -> Self {
        RawGrpc { service: String::new(), server: false, line, within: None, rpc: None, constant: Some(name), class }
    }
}

/// A Python class whose bases matter across files: a Django class-based view or
/// Django REST framework viewset (which methods it answers, which routes a router
/// gives it), or a class that may be a Django model through a project base class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawClass {
    pub class: String,
    /// Base classes as written (`viewsets.ModelViewSet`, `mixins.ListModelMixin`, `BaseViewSet`).
    pub bases: Vec<String>,
    /// Standard actions the class defines itself (`list`, `create`, `retrieve`…).
    pub actions: Vec<String>,
    /// HTTP method handlers it defines (`get`, `post`…), for a class-based view.
    pub handlers: Vec<String>,
    /// `@action(detail=…, methods=[…], url_path=…)` extra routes: (detail, methods, url path, line).
    pub extra: Vec<(bool, Vec<String>, String, u32)>,
    /// `lookup_url_kwarg` or `lookup_field` when set (the detail route's parameter).
    pub lookup: Option<String>,
    /// A model's `class Meta: db_table`, and whether its Meta says `abstract = True`.
    pub table: Option<String>,
    pub abstract_model: bool,
    /// `ManyToManyField`s without `through=` (each a join table if the class is a model).
    pub m2m: Vec<String>,
    pub line: u32,
}

/// Everything a file says about services, endpoints, tables, queues and calls.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchFacts {
    pub bindings: Vec<Binding>,
    pub routers: Vec<RawRouter>,
    pub routes: Vec<RawRoute>,
    pub mounts: Vec<RawMount>,
    pub consts: Vec<RawConst>,
    pub calls: Vec<RawCall>,
    /// Project functions that make a request to the URL they are given.
    #[serde(default)]
    pub wrappers: Vec<RawWrapper>,
    /// Calls whose arguments may be URLs handed to such a function.
    #[serde(default)]
    pub arg_calls: Vec<RawArgCall>,
    /// Python: the other calls of the file's and its imported functions (arguments not
    /// read: each an empty template), read only for wrappers whose URL holds a parameter
    /// with a default (the callers omitting it make the request with the default).
    #[serde(default)]
    pub plain_calls: Vec<RawArgCall>,
    /// Python: module-level functions returning a URL built from their parameters.
    #[serde(default)]
    pub url_builders: Vec<RawUrlBuilder>,
    /// Python: requests whose URL is a call of an imported function (a builder of
    /// another module, [`RawUrlBuilder`]): the call, at the request's line.
    #[serde(default)]
    pub built_urls: Vec<RawArgCall>,
    /// Python constructions of classes the file imports by name or whose
    /// constructor parameters name queues (`Publisher("orders")`): what each passes
    /// (`crate::lang::py_ctor`). A construction with `*args`/`**kw` has the keyword `*`.
    #[serde(default)]
    pub queue_ctors: Vec<RawArgCall>,
    /// Python classes, requests whose base URL a constructor argument gives, the
    /// methods called on project objects, and class constructions with URL-like arguments.
    #[serde(default)]
    pub py_classes: Vec<RawPyClass>,
    /// Python: the top-level classes of a file whose classes `py_classes` does
    /// not record, with only their HTTP-handler methods (`crate::lang::py_views`).
    #[serde(default)]
    pub py_plain_classes: Vec<RawPyClass>,
    #[serde(default)]
    pub method_calls: Vec<RawMethodCall>,
    #[serde(default)]
    pub method_uses: Vec<RawMethodUse>,
    #[serde(default)]
    pub constructions: Vec<RawArgCall>,
    /// JS/TS classes extending another, with what their constructor hands to `super(…)`
    /// (`resolve/classes.rs` follows a construction of a subclass to its base's fields).
    #[serde(default)]
    pub subclasses: Vec<RawSubclass>,
    /// HTTP client instances a module makes at its top level, which other
    /// modules may import and call (`export const api = axios.create({ baseURL })`).
    #[serde(default)]
    pub clients: Vec<RawClient>,
    /// Redux Toolkit Query apis and base queries a module defines, and its endpoints'
    /// requests (`lang/ts_rtk.rs`, resolved in `resolve/rtk.rs`).
    #[serde(default)]
    pub rtk_bases: Vec<RawRtkBase>,
    #[serde(default)]
    pub rtk_queries: Vec<RawRtkQuery>,
    pub sql: Vec<RawSql>,
    pub tables: Vec<RawTable>,
    pub table_uses: Vec<RawTableUse>,
    pub queues: Vec<RawQueue>,
    /// RabbitMQ bindings and exchange declarations.
    #[serde(default)]
    pub amqp: Vec<RawAmqp>,
    /// Queues named by a parameter of the function using them (Rust).
    #[serde(default)]
    pub queue_params: Vec<RawQueueParam>,
    /// Names of the file's imports from project modules that it calls (`consumeEvent(…)`
    /// after `import { consumeEvent } from './rabbitmq'`; JS/TS): functions reached from here.
    #[serde(default)]
    pub called: Vec<String>,
    /// Parameters handed on to another function (Rust), which may name its queue.
    #[serde(default)]
    pub param_passes: Vec<RawParamPass>,
    /// Queues named by a field of their class (TypeScript), and the fields subclasses set.
    #[serde(default)]
    pub queue_fields: Vec<RawQueueField>,
    #[serde(default)]
    pub class_fields: Vec<RawClassField>,
    /// Methods called on instances of imported project classes (TypeScript), which may
    /// be where a base class publishes.
    #[serde(default)]
    pub instance_calls: Vec<RawInstanceCall>,
    /// Next.js pages router: what `_app` hands a page's `getInitialProps` (`lang/ts_next.rs`).
    #[serde(default)]
    pub initial_props: Vec<RawInitialProps>,
    pub grpc: Vec<RawGrpc>,
    /// NestJS modules (`@Module({ controllers, imports })`).
    #[serde(default)]
    pub nest_modules: Vec<RawNestModule>,
    pub classes: Vec<RawClass>,
    /// Routes built at run time and other things seen but not readable statically.
    pub notes: Vec<(u32, String)>,
    /// Module-level functions whose every `return` gives the environment
    /// variable their first parameter names (`def must_map_env(key): … return
    /// os.environ.get(key)`): a call of one is an environment read.
    #[serde(default)]
    pub env_getters: Vec<String>,
    /// Module-level functions whose every `return` gives a MongoDB database of a client
    /// the file builds (`def get_database(): return _client[NAME]`).
    #[serde(default)]
    pub mongo_getters: Vec<String>,
    /// JS/TS functions and methods handing a parameter to a MongoDB `collection(…)`
    /// (`getCollection(name) { return this.client.db().collection(name) }` in `const
    /// MongoHelper = {…}`): the name callers write (`MongoHelper.getCollection`) and the
    /// parameter's index. A caller's literal there names the collection (`resolve/tables.rs`).
    #[serde(default)]
    pub collection_helpers: Vec<(String, usize)>,
    /// Calls that may be of such a helper (a callee whose name ends in `Collection`,
    /// `MongoHelper.getCollection("orders")`): the callee as written, the index of a
    /// literal argument, its text and the line.
    #[serde(default)]
    pub collection_helper_calls: Vec<(String, usize, String, u32)>,
    /// Collection uses on what a function returns (`db = get_database()`,
    /// `db.users.find_one(…)`) in a file that does not mention MongoDB: the function's
    /// name as written and the use, linked when the function is one of `mongo_getters`.
    #[serde(default)]
    pub getter_table_uses: Vec<(String, RawTableUse)>,
    /// DynamoDB tables named by AWS SDK calls (`lang/ts_dynamo.rs`), resolved in `resolve/tables.rs`.
    #[serde(default)]
    pub dynamo: Vec<RawDynamo>,
    /// Moleculer services the file declares and the actions it calls (`lang/ts_moleculer.rs`,
    /// resolved in `resolve/moleculer.rs`).
    #[serde(default)]
    pub moleculer_services: Vec<RawMoleculerService>,
    #[serde(default)]
    pub moleculer_calls: Vec<RawMoleculerCall>,
    /// moleculer-web gateways the file declares (`lang/ts_moleculer.rs`).
    #[serde(default)]
    pub moleculer_gateways: Vec<RawMoleculerGateway>,
    /// Values registered in a dependency-injection container (`lang/ts_di.rs`).
    #[serde(default)]
    pub di_providers: Vec<RawDiProvider>,
    /// Typed fields of the module's classes, `(class, field, type name)`, read in files
    /// that use a DI container (`lang/ts_di.rs`): what `container.resolve(X).field` holds.
    #[serde(default)]
    pub field_types: Vec<(String, String, String)>,
    /// Routers that serve only once an app mounts them (FastAPI `APIRouter`, Flask
    /// `Blueprint`): one no mount reaches may be dropped in resolution.
    #[serde(default)]
    pub sub_routers: Vec<String>,
    /// Routers a function builds and returns (`const setup = (db) => { const router =
    /// Router(); …; return router }`, JS/TS), named after the function: what a call of
    /// the function gives (`app.use('/v1', setup(db))`, `const app = makeApp()`).
    #[serde(default)]
    pub made_routers: Vec<String>,
    /// Express routers held in class fields (`this.router = Router()`,
    /// `lang/ts_class_routers.rs`): one that no mount reaches has routes whose prefix is
    /// not known, which resolution says in a diagnostic rather than serving them at `/`.
    #[serde(default)]
    pub class_routers: Vec<String>,
    /// String fields of the classes holding such routers, set once to a literal:
    /// (class, field, value) (`public path = '/users'` of `UserRoute`).
    #[serde(default)]
    pub class_strings: Vec<(String, String, String)>,
    /// Names bound to a call's result that are used as a router (`const app =
    /// makeApp()` then `app.get('/', h)`): (name, the function as written). The name is
    /// that router when the function is one of some module's `made_routers`.
    #[serde(default)]
    pub router_results: Vec<(String, String)>,
    /// The file loads a module whose name is computed at run time (JS
    /// `require("./routes/" + file)`): any module may be loaded without an import.
    #[serde(default)]
    pub loads_by_name: bool,
    /// Ports a server of this file listens on (`app.listen(3000)`,
    /// `TcpListener::bind("0.0.0.0:10003")`), as written: a `localhost:PORT` call that
    /// no deployment file publishes reaches the one service binding the port.
    #[serde(default)]
    pub listens: Vec<(Template, u32)>,
    /// Paths a Python ASGI app of this file serves its routes under as well as at
    /// their own, as written: `FastAPI(root_path="/user-api")` (Starlette strips a
    /// request path's leading root path before routing).
    #[serde(default)]
    pub root_paths: Vec<Template>,
    /// Lines where the module builds a whole server at its top level (`app = FastAPI()`,
    /// `app = Flask(__name__)`, `web.Application()`): the module is an entry point,
    /// and its directory may be a service of its own (`resolve/services.rs`).
    #[serde(default)]
    pub servers: Vec<u32>,
    /// The class a JS/TS module exports as its default (`module.exports = Auth`, `export
    /// default class Auth`), read in a module whose class requests a field of the instance:
    /// a construction of the module's default import (`const Auth = require("./auth-api")`)
    /// makes that class (`resolve/classes.rs`).
    #[serde(default)]
    pub default_class: Option<String>,
    /// NestJS microservice transports the file configures (`Transport.KAFKA` → `KAFKA`):
    /// the broker of the service's `@EventPattern`s and client `emit`/`send`s.
    #[serde(default)]
    pub transports: Vec<String>,
    /// A Django settings module's `INSTALLED_APPS` entries (and those of the `*_APPS`
    /// lists it is built from), as written: `shop`, `shop.apps.ShopConfig`. `*` stands
    /// for a part that is not a literal (`INSTALLED_APPS += get_apps()`): any app.
    #[serde(default)]
    pub installed_apps: Vec<String>,
    /// Fields of the file's `#[derive(Deserialize)]` structs (Rust), by the key they
    /// read: a field access may name a key of the service's own config file only
    /// when its last field is one of these.
    #[serde(default)]
    pub config_fields: Vec<String>,
    /// The name the module exports as its default (`export default setupProxies`), when
    /// it is a plain name.
    #[serde(default)]
    pub default_export: Option<String>,
    /// Sequelize models named by Sequelize's default (no `tableName`, and neither
    /// `freezeTableName` nor `underscored` in their own options): the index of the table in
    /// [`ArchFacts::tables`] and the model's name. Their service's `new Sequelize(…, { define
    /// })` options may name them otherwise ([`ArchFacts::sequelize_define`]).
    #[serde(default)]
    pub sequelize_models: Vec<(usize, String)>,
    /// The options a Sequelize constructor's `define` sets to `true` for every model,
    /// among `freezeTableName` and `underscored` (sorted).
    #[serde(default)]
    pub sequelize_define: Vec<String>,
    /// Celery tasks, the calls that send them and the routing settings of the file.
    #[serde(default)]
    pub celery: CeleryFacts,
    /// Routes declared under a Rust `#[cfg(…)]` that names a cargo feature, by index
    /// into [`ArchFacts::routes`]: served only when the crate is built with it.
    #[serde(default)]
    pub feature_gates: Vec<(usize, CfgPred)>,
    /// Routes and mounts declared in Rust test code inside a source file (an item under
    /// `#[cfg(test)]`, a `#[test]` function), by index into [`ArchFacts::routes`] and
    /// [`ArchFacts::mounts`]: they build the test's own app, not the service's.
    #[serde(default)]
    pub test_routes: Vec<usize>,
    #[serde(default)]
    pub test_mounts: Vec<usize>,
    /// Line spans (first, last) of Rust test code inside a source file (an item under
    /// `#[cfg(test)]`, a `#[test]` function): the calls, queues and table uses made
    /// there are the test's, flagged `test` like those of a test file.
    #[serde(default)]
    pub test_lines: Vec<(u32, u32)>,
    /// OpenAPI/Swagger files a spec-first app registers (connexion `app.add_api("x.yaml")`,
    /// `lang/py_connexion.rs`): their `paths` are the app's endpoints (`resolve/openapi.rs`).
    #[serde(default)]
    pub spec_apis: Vec<RawSpecApi>,
    /// JS/TS: calls of the module's imported functions with a bare word among their
    /// arguments (`kafkaProducer('fromProfile:result', data)`; each argument that is such
    /// a word, the others empty), not in `arg_calls`: read only for a queue named by the
    /// callee's parameter (`resolve::calls` `passed_names`), never as URLs.
    #[serde(default)]
    pub name_calls: Vec<RawArgCall>,
    /// Python: the file names `configparser` (`ConfigParser`): its service may read
    /// its INI files by literal keys (`resolve/ini.rs`).
    #[serde(default)]
    pub reads_ini: bool,
    /// `.proto` files a file registering a gRPC server names by a string literal
    /// (`grpc.load(path.resolve(__dirname, '../protos/items/srvc.proto'))`, JS/TS), as
    /// written: the copy of a service its server loads, read even when a `.gitignore`
    /// hides it (`resolve/routes.rs` `grpc`).
    #[serde(default)]
    pub proto_paths: Vec<String>,
}

impl ArchFacts {
    /// Whether a line of the file lies in Rust test code ([`ArchFacts::test_lines`]).
    pub fn test_line(&self, line: u32) -> bool {
        self.test_lines.iter().any(|(a, b)| *a <= line && line <= *b)
    }
}

/// A spec-first API registration: `app.add_api("openapi.yaml", base_path="/v1")` on
/// `app = connexion.App(__name__, specification_dir="openapi/")`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawSpecApi {
    /// The spec file as written (a constant stays a reference).
    pub spec: Template,
    /// The app's `specification_dir`, relative to the module's directory (empty: the module's).
    pub dir: Template,
    /// The `base_path=` given, which replaces the spec's own base path.
    pub base_path: Option<Template>,
    pub line: u32,
}

/// The feature part of a Rust `#[cfg(…)]` predicate (`feature = "metrics"`,
/// `all(…)`, `any(…)`, `not(…)`); any other option (`unix`, `target_os = …`) is
/// [`CfgPred::Other`], whose value is not known statically.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CfgPred {
    Feature(String),
    Not(Box<CfgPred>),
    All(Vec<CfgPred>),
    Any(Vec<CfgPred>),
    Other,
}

impl CfgPred {
    /// Whether the predicate holds when exactly the features `enabled` says are
    /// on; `None` when it depends on something else (the target, a `--cfg` flag).
    pub fn eval(&self, enabled: &dyn Fn(&str) -> bool) -> Option<bool> {
        match self {
            CfgPred::Feature(f) => Some(enabled(f)),
            CfgPred::Not(p) => p.eval(enabled).map(|b| !b),
            CfgPred::All(ps) => Self::fold(ps, true, enabled),
            CfgPred::Any(ps) => Self::fold(ps, false, enabled),
            CfgPred::Other => None,
        }
    }

    /// `all(…)` (`unit` true) or `any(…)` (`unit` false): one member evaluating to
    /// `!unit` decides; otherwise unknown if any member is, else `unit`.
    fn fold(ps: &[CfgPred], unit: bool, enabled: &dyn Fn(&str) -> bool) -> Option<bool> {
        ps.iter()
            .try_fold(Some(unit), |acc, p| match p.eval(enabled) {
                Some(b) if b != unit => Err(()),
                v => Ok(acc.and(v)),
            })
            .unwrap_or(Some(!unit))
    }

    /// The features the predicate names, in order of appearance.
    pub fn features(&self) -> Vec<&str> {
        match self {
            CfgPred::Feature(f) => vec![f.as_str()],
            CfgPred::Not(p) => p.features(),
            CfgPred::All(ps) | CfgPred::Any(ps) => ps.iter().flat_map(|p| p.features()).collect(),
            CfgPred::Other => Vec::new(),
        }
    }
}

/// What a Python file says about Celery (`src/lang/py_celery.rs`); which queue each
/// task and send lands in is decided project-wide (`src/resolve/celery.rs`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeleryFacts {
    pub tasks: Vec<CeleryTask>,
    pub sends: Vec<CelerySend>,
    /// `task_routes` entries: (task name or glob pattern, as written or a constant, queue, line).
    pub routes: Vec<(Template, Template, u32)>,
    /// `task_default_queue` settings: (queue, line).
    pub default_queues: Vec<(Template, u32)>,
    /// Lines of routing settings that are not read (a router function, a name): the
    /// queue of a task they may route is not known.
    pub unread: Vec<u32>,
    /// Settings (of the three lists above, by line) written in a class body, and the class:
    /// Celery reads them only when the class is given to it.
    #[serde(default)]
    pub class_settings: Vec<(u32, String)>,
    /// The classes of a Celery file with their bases' last names.
    #[serde(default)]
    pub classes: Vec<(String, Vec<String>)>,
    /// What the app's settings are read from, as written: `config_from_object(x)` and
    /// `conf.update(x)` arguments (a string's text, else the expression's).
    #[serde(default)]
    pub sources: Vec<String>,
}

/// A function decorated as a Celery task (`@app.task`, `@shared_task(queue="q")`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeleryTask {
    pub function: String,
    /// `name=` of the decorator; the default is `<module>.<function>`.
    pub name: Option<Template>,
    /// `queue=` of the decorator.
    pub queue: Option<Template>,
    pub line: u32,
}

/// A task sent: `send.delay(…)`/`send.apply_async(…)` (`callee` as written, `send` or
/// `tasks.send`), or `app.send_task("proj.tasks.send", …)` (`name`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CelerySend {
    pub callee: String,
    pub name: Option<Template>,
    /// `queue=` of `apply_async`/`send_task`.
    pub queue: Option<Template>,
    pub line: u32,
}
