//! JS/TS HTTP clients written as classes (issue #3; causes 4 and 7 of the eleventh
//! blind sample).
//!
//! ```ts
//! class ApiClient {
//!   constructor(public baseUrl = BASE) {}
//!   private buildUrl(endpoint) { return `${this.baseUrl}${endpoint}` }
//!   private async request(endpoint, options = {}) {
//!     const { method = 'GET' } = options;
//!     return fetch(this.buildUrl(endpoint), { method });
//!   }
//!   get(endpoint) { return this.request(endpoint, { method: 'GET' }) }
//! }
//! export const apiClient = new ApiClient();
//! ```
//!
//! No line says the request whole: the base is a field of the instance, the path a
//! parameter handed on through other methods. For a class the module constructs at its
//! top level (every construction with the same arguments, so the instance's fields are
//! known), a method whose request is a field followed by one of its parameters, directly
//! or through other methods of the class (three levels), is a request wrapper named
//! `ApiClient.prototype.get`, JavaScript's own name for an instance method. Its callers
//! are the call sites: `apiClient.get('/projects')` in a module importing the instance,
//! found as other wrappers' callers are (`resolve/calls.rs`). The method is the one the
//! forwarding method writes (`{ ...options, method: 'GET' }`), else the caller's
//! `{ method }` when the options are handed on, else the request's default.
//!
//! A field holding an axios instance, `this.client = axios.create({ baseURL:
//! this.baseURL })` (with `this.baseURL = HOTEL_SERVICE_URL` in the constructor), makes
//! `this.client.get('/api/hotels')` in the class's methods a request at its own line,
//! whether or not the module constructs the class, when the base needs no constructor
//! argument. A field the class sets more than once, or from an argument the
//! constructions do not agree on, is unknown: nothing is made of it (the request keeps
//! its diagnostic).

use super::query::FieldExt;
use std::collections::BTreeMap;

use tree_sitter::Node;

use super::arch::{lit, push_parts};
use super::query;
use super::ts_arch::{
    base_class, declared, declares, local_value, named, param_ident, param_name, pattern_key, prop, string_value,
    template, url_pieces, FUNCTIONS,
};
use crate::model::{ArchFacts, Part, RawArgCall, RawCall, RawConst, RawSubclass, RawWrapper, Template};

/// How many methods deep a request is followed (`get` → `request` → `buildUrl`).
const LEVELS: usize = 3;

/// Where a forwarding method's request takes its HTTP method from.
#[derive(Debug, Clone, PartialEq)]
enum Method {
    Fixed(String),
    /// The `method` of the options parameter at this index, else the default.
    Options(usize, String),
}

/// A method requesting a field's URL followed by one of its parameters.
#[derive(Debug, Clone, PartialEq)]
struct Wrap {
    param: usize,
    prefix: Template,
    method: Method,
    client: String,
    /// The line of the request itself (`fetch(…)`, `this.client.get(…)`).
    line: u32,
    /// The parameter is an axios request config whose member of this name is the URL
    /// (`request(config) { return this.http.request(config) }`): callers' object literals
    /// say it ([`RawWrapper::key`]).
    key: Option<String>,
    /// Made of an axios instance's `request(config)`: a request no other reading makes,
    /// so a wrapper even of a class no module constructs at its top level.
    config: bool,
}

/// A class of the module: its body, its members and the arguments of its one
/// construction (none when the module does not construct it, or constructs it with
/// different arguments).
struct Class<'t> {
    name: String,
    body: Node<'t>,
    members: Members<'t>,
    args: Option<Vec<Node<'t>>>,
    src: &'t [u8],
}

/// The kinds of node that are a class: a declaration, an expression, an abstract one.
pub(super) const CLASSES: &[&str] = &["class_declaration", "class", "abstract_class_declaration"];

/// A class body's members, read in one pass over it: the constructor, the instance
/// methods (no constructor, static method or accessor) and the field declarations
/// (`private readonly usersUrl = '…'`, `protected client: AxiosInstance;`). The model
/// the class readers share: this module's clients, `ts_nest`'s NestJS providers.
pub(super) struct Members<'t> {
    pub constructor: Option<Node<'t>>,
    pub methods: Vec<Node<'t>>,
    pub fields: Vec<Node<'t>>,
}

impl<'t> Members<'t> {
    pub fn of(body: Node<'t>, src: &[u8]) -> Self {
        let mut members = Members { constructor: None, methods: Vec::new(), fields: Vec::new() };
        for m in named(body) {
            match m.kind_name() {
                "public_field_definition" | "field_definition" => members.fields.push(m),
                "method_definition" if is_constructor(m, src) => {
                    members.constructor = members.constructor.or(Some(m));
                }
                "method_definition" if !has_child(m, &["static", "get", "set"]) => members.methods.push(m),
                _ => {}
            }
        }
        members
    }

    /// The field declarations of `name`, in order.
    pub fn fields_named<'a>(&'a self, name: &'a str, src: &'a [u8]) -> impl Iterator<Item = Node<'t>> + 'a {
        self.fields.iter().copied().filter(move |f| {
            f.field("property").or_else(|| f.field("name")).is_some_and(|k| query::text(k, src) == name)
        })
    }
}

/// Whether a method is a class's constructor.
pub(super) fn is_constructor(m: Node, src: &[u8]) -> bool {
    m.kind_name() == "method_definition" && m.field("name").is_some_and(|n| query::text(n, src) == "constructor")
}

/// The constructor's parameter properties, TypeScript's shorthand for a field set from
/// a parameter (`constructor(private readonly proxy: ProxyService, public base = BASE)`),
/// with their indices.
pub(super) fn parameter_properties(ctor: Node) -> impl Iterator<Item = (usize, Node)> {
    params(ctor).into_iter().enumerate().filter(|(_, p)| has_child(*p, &["accessibility_modifier", "readonly"]))
}

/// Whether `n` has a child of one of `kinds` (a modifier, a keyword, a decorator).
pub(super) fn has_child(n: Node, kinds: &[&str]) -> bool {
    let mut c = n.walk();
    let found = n.children(&mut c).any(|k| kinds.contains(&k.kind_name()));
    found
}

/// Requests of the module's classes: wrappers of constructed classes and the literal
/// requests of axios instances kept in fields (see the module's documentation).
pub fn class_clients(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    // Only a module that makes a client can have a field holding one, and only one that
    // fetches or makes one can have a wrapper: the walks of the methods are skipped elsewhere
    // (effect's classes cost 1.5 % of its scan without these checks).
    let field_clients = ["axios.create(", "got.extend(", "ky.create("].iter().any(|c| text.contains(c));
    // A request read with a field of the instance in its URL (`` rp(`${this.baseUrl}/x`) ``).
    let this_calls = facts.calls.iter().any(|c| c.url.iter().any(|p| this_ref(p).is_some()));
    if !field_clients && !this_calls && !text.contains("fetch(") {
        return;
    }
    let (classes, constructions) = top_level(root, src);
    if this_calls {
        facts.default_class = default_class(root, src).filter(|d| classes.iter().any(|(c, _)| c == d));
    }
    let mut used: Vec<u32> = Vec::new();
    let mut within: Vec<(u32, u32)> = Vec::new();
    for (name, body) in classes {
        let made: Vec<&Made> = constructions.iter().filter(|(c, _, _)| *c == name).collect();
        let same = made.windows(2).all(|w| {
            w[0].1.len() == w[1].1.len()
                && w[0].1.iter().zip(&w[1].1).all(|(a, b)| query::text(*a, src) == query::text(*b, src))
        });
        let args = (!made.is_empty() && same).then(|| made[0].1.clone());
        // Several instances made with different arguments, each bound to its own name
        // (`export const userApi = new ApiClient({ baseURL: … })`, `productApi` alike): a
        // wrapper per instance, its callers those naming that instance.
        let mut names: Vec<&str> = made.iter().filter_map(|m| m.2).collect();
        names.sort_unstable();
        names.dedup();
        let instances: Vec<(&str, &Vec<Node>)> = match args.is_none() && names.len() == made.len() && made.len() > 1 {
            true => made.iter().filter_map(|m| Some((m.2?, &m.1))).collect(),
            false => Vec::new(),
        };
        // Neither wrappers (a construction), field clients nor fields in URLs: nothing to read.
        if args.is_none() && instances.is_empty() && !field_clients && !this_calls {
            continue;
        }
        let mut instance_lines: Vec<u32> = Vec::new();
        for (instance, given) in &instances {
            let class =
                Class { name: name.clone(), body, members: Members::of(body, src), args: Some((*given).clone()), src };
            for (method, w) in class.wrappers() {
                instance_lines.push(w.line);
                if w.config {
                    within.push((query::line(method), method.end_position().row as u32 + 1));
                }
                let method_name = query::text(method.field("name").unwrap_or(method), src);
                facts.wrappers.push(w.wrapper(&class, method, format!("{name}({instance}).prototype.{method_name}")));
            }
        }
        used.extend(&instance_lines);
        let class = Class { name, body, members: Members::of(body, src), args, src };
        if class.args.is_none() {
            facts.consts.extend(class.pattern_defaults());
        }
        if class.args.is_some() || field_clients {
            for (method, w) in class.wrappers() {
                used.push(w.line);
                if w.config {
                    // `this.request({ url, method: 'GET' })` in it is the same request.
                    within.push((query::line(method), method.end_position().row as u32 + 1));
                }
                let method_name = query::text(method.field("name").unwrap_or(method), src);
                facts.wrappers.push(w.wrapper(&class, method, format!("{}.prototype.{method_name}", class.name)));
            }
        }
        if this_calls {
            class.field_requests(&mut facts.calls, &used);
        }
        let field_calls = if field_clients { class.field_client_calls() } else { Vec::new() };
        // The instances' wrappers make those requests at their callers.
        for call in field_calls.into_iter().filter(|c| !instance_lines.contains(&c.line)) {
            // A base from constructions elsewhere replaces the call read without it only
            // when resolution finds them (`resolve/classes.rs`).
            if !call.url.iter().any(|p| matches!(p, Part::Ref(r) if ctor_ref(r).is_some())) {
                used.push(call.line);
            }
            facts.calls.push(call);
        }
    }
    // The request inside the wrapper is made at its callers' lines; a field client's
    // request replaces what was read of it without the field's base.
    let inside = |line: u32| used.contains(&line) || within.iter().any(|(a, b)| (*a..=*b).contains(&line));
    let this = |c: &RawCall| c.client == "fetch" || c.client == "this" || c.client.starts_with("this.");
    facts.calls.retain(|c| !(inside(c.line) && this(c)));
    // Nor is a method's own reading as a function wrapper (`HTTPClient.get`).
    let own = |w: &RawWrapper| {
        w.name.contains(".prototype.") || !within.iter().any(|(a, b)| (*a..=*b).contains(&w.call.line))
    };
    facts.wrappers.retain(own);
}

impl Method {
    fn default(&self) -> String {
        match self {
            Method::Fixed(m) | Method::Options(_, m) => m.clone(),
        }
    }
}

impl Wrap {
    /// The wrapper of method `method` of `class`, named `name`.
    fn wrapper(&self, class: &Class, method: Node, name: String) -> RawWrapper {
        let call = RawCall {
            client: self.client.clone(),
            method: self.method.default(),
            url: self.url(class, method),
            line: self.line,
        };
        RawWrapper {
            name,
            param: self.param,
            call,
            method_param: match self.method {
                Method::Options(i, _) => Some(i),
                Method::Fixed(_) => None,
            },
            method_arg: None,
            at: self.prefix.len(),
            key: self.key.clone(),
            params: Vec::new(),
            choice: None,
            forwards: None,
            joined: false,
        }
    }

    /// The wrapper's URL: the prefix, then the parameter.
    fn url(&self, class: &Class, method: Node) -> Template {
        let mut url = self.prefix.clone();
        let params = params(method);
        let name = params.get(self.param).and_then(|p| param_ident(*p)).map_or("path", |i| query::text(i, class.src));
        push_parts(&mut url, vec![Part::Ref(name.to_string())]);
        url
    }
}

/// Marks a URL part as a constructor parameter of a class: `new:RestService:0` is what
/// the constructions of `RestService` (or of a subclass, through its `super(…)`) pass as
/// the first argument, which resolution reads at each construction (`resolve/classes.rs`).
pub(crate) const CTOR: &str = "new:";

/// The marker of parameter `index` of `class`'s constructor ([`CTOR`]); with a key, the
/// member of that parameter's object the constructor reads (`new:Auth:0.baseUrl` for
/// `constructor({ baseUrl })` or `opts.baseUrl` of `constructor(opts)`), which each
/// construction's object literal gives (`new Auth({ baseUrl: … })`).
pub(crate) fn ctor_param(class: &str, index: usize, key: Option<&str>) -> String {
    match key {
        Some(k) => format!("{CTOR}{class}:{index}.{k}"),
        None => format!("{CTOR}{class}:{index}"),
    }
}

/// A marker's class, parameter index and key ([`CTOR`], [`ctor_param`]).
pub(crate) fn ctor_ref(name: &str) -> Option<(&str, usize, Option<&str>)> {
    let (class, rest) = name.strip_prefix(CTOR)?.rsplit_once(':')?;
    let (index, key) = rest.split_once('.').map_or((rest, None), |(i, k)| (i, Some(k)));
    Some((class, index.parse().ok()?, key))
}

/// The field a URL part reads, `this.baseUrl` (a field of a field, `this.cfg.url`, is not one).
fn this_ref(p: &Part) -> Option<&str> {
    match p {
        Part::Ref(r) => r.strip_prefix("this.").filter(|f| !f.contains('.')),
        _ => None,
    }
}

/// The instance a wrapper is made for: `userApi` of `ApiClient(userApi).prototype.post`,
/// a method of one of several instances of a class its module makes with different
/// arguments, each bound to its own name ([`class_clients`]); its callers call it on that
/// name (`userApi.post('/login')`, `resolve/calls.rs`).
pub(crate) fn instance_of(name: &str) -> Option<&str> {
    let (head, _) = name.split_once(".prototype.")?;
    head.strip_suffix(')')?.split_once('(').map(|(_, i)| i)
}

/// A class's name with its body, or with a construction's arguments.
type Named<T> = Vec<(String, T)>;

/// A top-level construction: the class's name, the arguments and the name the module
/// binds the instance to (`export const userApi = new ApiClient(…)`), if any.
type Made<'t> = (String, Vec<Node<'t>>, Option<&'t str>);

/// The module's top-level classes (name, body) and constructions ([`Made`]):
/// `export const api = new ApiClient()`, `export default new X(…)`, `module.exports = new X()`.
fn top_level<'t>(root: Node<'t>, src: &'t [u8]) -> (Named<Node<'t>>, Vec<Made<'t>>) {
    let mut classes = Vec::new();
    let mut made = Vec::new();
    for top in named(root) {
        let inner = match top.kind_name() {
            "export_statement" => top.field("declaration").or_else(|| top.field("value")),
            "expression_statement" => top.named_child(0).and_then(|a| a.field("right")),
            _ => Some(top),
        };
        let Some(inner) = inner else { continue };
        match inner.kind_name() {
            kind if CLASSES.contains(&kind) => {
                if let (Some(n), Some(b)) = (inner.field("name"), inner.field("body")) {
                    classes.push((query::text(n, src).to_string(), b));
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                made.extend(named(inner).into_iter().filter_map(|d| {
                    let (class, args) = construction(d.field("value")?, src)?;
                    let bound = d.field("name").filter(|n| n.kind_name() == "identifier");
                    Some((class, args, bound.map(|n| query::text(n, src))))
                }));
            }
            _ => made.extend(construction(inner, src).map(|(class, args)| (class, args, None))),
        }
    }
    (classes, made)
}

/// The name the module exports as its default: `module.exports = Auth`, `export default
/// Auth`, `export default class Auth {…}`.
fn default_class(root: Node, src: &[u8]) -> Option<String> {
    named(root).into_iter().find_map(|top| {
        let value = match top.kind_name() {
            "export_statement" if has_child(top, &["default"]) => top
                .field("declaration")
                .map_or(top.field("value"), |d| d.field("name").filter(|_| CLASSES.contains(&d.kind_name()))),
            "expression_statement" => top
                .named_child(0)
                .filter(|a| a.kind_name() == "assignment_expression")
                .filter(|a| a.field("left").is_some_and(|l| query::text(l, src) == "module.exports"))
                .and_then(|a| a.field("right")),
            _ => None,
        }?;
        (value.kind_name() == "identifier" || value.kind_name() == "type_identifier")
            .then(|| query::text(value, src).to_string())
    })
}

/// `new ApiClient(args)`: the class's name and the arguments.
fn construction<'t>(n: Node<'t>, src: &[u8]) -> Option<(String, Vec<Node<'t>>)> {
    let n = if n.kind_name() == "await_expression" { n.named_child(0)? } else { n };
    let class =
        n.field("constructor").filter(|c| n.kind_name() == "new_expression" && c.kind_name() == "identifier")?;
    let args = n.field("arguments").map(named).unwrap_or_default();
    Some((query::text(class, src).to_string(), args))
}

/// A function's parameters, in order.
fn params(func: Node) -> Vec<Node> {
    func.field("parameters").map(named).unwrap_or_default()
}

/// The index of the parameter `name` of `func`.
fn param_index(func: Node, name: &str, src: &[u8]) -> Option<usize> {
    params(func).iter().position(|p| param_ident(*p).is_some_and(|i| query::text(i, src) == name))
}

/// Whether `n` is `this.<field>`, and the field's name.
fn this_field<'s>(n: Node, src: &'s [u8]) -> Option<&'s str> {
    if n.kind_name() != "member_expression" || n.field("object")?.kind_name() != "this" {
        return None;
    }
    Some(query::text(n.field("property")?, src))
}

/// Every descendant of `n` of kind `kind`, not inside a nested class.
pub(super) fn descendants<'t>(n: Node<'t>, kind: &str) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![n];
    while let Some(c) = stack.pop() {
        if c.kind_name() == kind {
            out.push(c);
        }
        if !matches!(c.kind_name(), "class" | "class_declaration") || c == n {
            stack.extend(named(c));
        }
    }
    out.sort_by_key(Node::start_byte);
    out
}

impl<'t> Class<'t> {
    /// The class's instance methods by name ([`Members::methods`]).
    fn methods(&self) -> impl Iterator<Item = (&'t str, Node<'t>)> + '_ {
        let src = self.src;
        self.members.methods.iter().filter_map(move |m| Some((query::text(m.field("name")?, src), *m)))
    }

    fn constructor(&self) -> Option<Node<'t>> {
        self.members.constructor
    }

    /// The expression a field holds: a constructor parameter property's argument (or
    /// default), a class field's initialiser, or the one `this.f = …` of the class, in
    /// the constructor. A constructor parameter it names is resolved by [`Self::value`].
    fn field(&self, name: &str) -> Option<Node<'t>> {
        let ctor = self.constructor();
        if let (Some(ctor), Some(i)) = (ctor, self.param_property(name)) {
            return self.argument(i, params(ctor)[i]);
        }
        let assigned: Vec<Node> = descendants(self.body, "assignment_expression")
            .into_iter()
            .filter(|a| a.field("left").and_then(|l| this_field(l, self.src)) == Some(name))
            .collect();
        // `protected client: AxiosInstance;`, a declaration with no value, sets nothing.
        let declared = self.members.fields_named(name, self.src).find(|f| f.field("value").is_some());
        match (assigned.as_slice(), declared) {
            ([], Some(f)) => f.field("value"),
            ([one], None)
                if ctor.is_some_and(|c| one.start_byte() > c.start_byte() && one.end_byte() < c.end_byte()) =>
            {
                one.field("right")
            }
            _ => None,
        }
    }

    /// The index of the constructor's parameter property `name`: `constructor(public
    /// baseUrl = BASE)`, TypeScript's shorthand for a field set from a parameter.
    fn param_property(&self, name: &str) -> Option<usize> {
        parameter_properties(self.constructor()?)
            .find(|(_, p)| param_ident(*p).is_some_and(|id| query::text(id, self.src) == name))
            .map(|(i, _)| i)
    }

    /// Constructor parameter `i` of a class the module does not construct (and that has no
    /// default): what the constructions of the project pass there, a marker
    /// ([`ctor_param`]) resolution replaces (`resolve/classes.rs`).
    fn unconstructed(&self, i: usize, key: Option<&str>) -> Option<Template> {
        self.args.is_none().then(|| vec![Part::Ref(ctor_param(&self.name, i, key))])
    }

    /// The defaults of the constructor's object-pattern parameters (`constructor({ baseUrl
    /// = process.env.API_URL } = {})`), as constants named by their markers
    /// ([`ctor_param`]): what a construction passing nothing there gives
    /// (`resolve/classes.rs`).
    fn pattern_defaults(&self) -> Vec<RawConst> {
        let Some(ctor) = self.constructor() else { return Vec::new() };
        let mut out = Vec::new();
        for (i, p) in params(ctor).into_iter().enumerate() {
            let pattern = std::iter::once(p).chain(named(p)).find(|n| n.kind_name() == "object_pattern");
            for d in pattern
                .map(named)
                .unwrap_or_default()
                .into_iter()
                .filter(|d| d.kind_name() == "object_assignment_pattern")
            {
                let (Some(left), Some(right)) = (d.field("left"), d.field("right")) else {
                    continue;
                };
                let Some(value) = self.value(right, 1) else { continue };
                let name = ctor_param(&self.name, i, Some(query::text(left, self.src)));
                out.push(RawConst { name, value, line: query::line(d) });
            }
        }
        out
    }

    /// The member `key` of constructor parameter `i` (`constructor({ baseUrl })`,
    /// `opts.baseUrl` of `constructor(opts)`): the module's construction's object literal
    /// gives it, else the constructions of the project do ([`Self::unconstructed`]).
    fn member_argument(&self, i: usize, key: &str, depth: usize) -> Option<Template> {
        let Some(args) = &self.args else { return self.unconstructed(i, Some(key)) };
        let given = args.get(i).filter(|a| a.kind_name() == "object").and_then(|o| prop(*o, key, self.src))?;
        self.value(given, depth + 1)
    }

    /// The constructor parameter (index, key) a piece of a field's value names: a name
    /// the parameter's object pattern binds (`constructor({ baseUrl })`), or a member of a
    /// parameter (`opts.baseUrl`, `config.baseURL`).
    fn ctor_member(&self, p: Node<'t>) -> Option<(usize, String)> {
        let ctor = self.constructor()?;
        match p.kind_name() {
            "identifier" => {
                let name = query::text(p, self.src);
                params(ctor).into_iter().enumerate().find_map(|(i, q)| pattern_key(q, name, self.src).map(|k| (i, k)))
            }
            "member_expression" => {
                let object = p.field("object").filter(|o| o.kind_name() == "identifier")?;
                let key = p.field("property").filter(|k| k.kind_name() == "property_identifier")?;
                let i = param_index(ctor, query::text(object, self.src), self.src)?;
                Some((i, query::text(key, self.src).to_string()))
            }
            _ => None,
        }
    }

    /// The construction's argument for constructor parameter `i`, else its default.
    fn argument(&self, i: usize, param: Node<'t>) -> Option<Node<'t>> {
        let given = self.args.as_ref().and_then(|a| a.get(i).copied());
        given.or_else(|| param.field("value")).or_else(|| param.field("right"))
    }

    /// The URL an expression of the constructor or a field gives: its template, with the
    /// constructor's parameters and the fields it reads (`this.baseURL`) resolved; none
    /// when one of them is not known.
    fn value(&self, n: Node<'t>, depth: usize) -> Option<Template> {
        if depth > LEVELS {
            return None;
        }
        if let Some(f) = this_field(n, self.src) {
            return match self.field(f) {
                Some(v) => self.value(v, depth + 1),
                None => self.unconstructed(self.param_property(f)?, None),
            };
        }
        let mut pieces = Vec::new();
        url_pieces(n, self.src, &mut pieces);
        let mut out = Template::new();
        for p in pieces {
            let ctor_param = (p.kind_name() == "identifier")
                .then(|| {
                    self.constructor().and_then(|c| param_index(c, query::text(p, self.src), self.src).map(|i| (c, i)))
                })
                .flatten();
            let t = match ctor_param {
                Some((c, i)) => match self.argument(i, params(c)[i]) {
                    Some(a) => self.value(a, depth + 1)?,
                    None => self.unconstructed(i, None)?,
                },
                None if this_field(p, self.src).is_some() => self.value(p, depth + 1)?,
                // The text of a template string around its substitutions.
                None if matches!(p.kind_name(), "string_fragment" | "escape_sequence") => lit(query::text(p, self.src)),
                None => match self.ctor_member(p) {
                    Some((i, key)) => self.member_argument(i, &key, depth)?,
                    None => template(p, self.src),
                },
            };
            if t.iter().any(|x| matches!(x, Part::Param(_))) {
                return None;
            }
            push_parts(&mut out, t);
        }
        Some(out)
    }

    /// Requests made in the class's methods (lines of its body, but those in `skip`) whose
    /// URL reads a field of the instance, `` rp(`${this.baseUrl}/generate`, …) ``: the
    /// field's value ([`Self::field`], [`Self::value`]) takes its place, a constructor
    /// parameter it comes from marked for resolution to read at each construction
    /// (`constructor({ baseUrl }) { this.baseUrl = `${baseUrl}/internal` }` and
    /// `new Auth({ baseUrl: AUTH_URL })` in another module). A field not known (set twice,
    /// from a parameter's member the constructor reads otherwise) leaves the URL as read.
    fn field_requests(&self, calls: &mut [RawCall], skip: &[u32]) {
        let lines = self.body.start_position().row as u32 + 1..=self.body.end_position().row as u32 + 1;
        for c in calls.iter_mut().filter(|c| lines.contains(&c.line) && !skip.contains(&c.line)) {
            if !c.url.iter().any(|p| this_ref(p).is_some()) {
                continue;
            }
            let url = c.url.iter().try_fold(Template::new(), |mut url, p| {
                match this_ref(p) {
                    Some(f) => push_parts(&mut url, self.field(f).and_then(|v| self.value(v, 0))?),
                    None => push_parts(&mut url, vec![p.clone()]),
                }
                Some(url)
            });
            if let Some(url) = url {
                c.url = url;
            }
        }
    }

    /// The base URL of a field holding an axios (got, ky) instance: `axios.create({ baseURL })`.
    fn client_base(&self, field: &str) -> Option<Template> {
        let made = self.field(field).filter(|v| v.kind_name() == "call_expression")?;
        let f = query::text(made.field("function")?, self.src);
        if !matches!(f, "axios.create" | "got.extend" | "ky.create") {
            return None;
        }
        let options = made.field("arguments").map(named).unwrap_or_default();
        match options.first().and_then(|o| prop(*o, "baseURL", self.src).or_else(|| prop(*o, "prefixUrl", self.src))) {
            Some(b) => self.value(b, 0),
            None => Some(Template::new()),
        }
    }

    /// The wrappers among the class's public methods.
    fn wrappers(&self) -> Vec<(Node<'t>, Wrap)> {
        let mut known: BTreeMap<&str, Wrap> = BTreeMap::new();
        for _ in 0..LEVELS {
            for (name, m) in self.methods() {
                if !known.contains_key(name) {
                    if let Some(w) = self.wrap_of(m, &known) {
                        known.insert(name, w);
                    }
                }
            }
        }
        self.methods()
            .filter(|(n, m)| {
                let mut c = m.walk();
                let hidden = m
                    .children(&mut c)
                    .any(|k| k.kind_name() == "accessibility_modifier" && query::text(k, self.src) != "public");
                !n.starts_with('#') && !hidden
            })
            .filter_map(|(n, m)| known.remove(n).filter(|w| self.wraps(w)).map(|w| (m, w)))
            .collect()
    }

    /// Whether a method's request is a wrapper its callers make: one of a class the module
    /// constructs, after a base; one of an axios instance's `request(config)` (whose
    /// config no other reading reads) of any class, when its base needs no constructor
    /// argument, since its callers' instances are then all alike (`new HTTPClient()` in
    /// a script, `client.get('https://…')`).
    fn wraps(&self, w: &Wrap) -> bool {
        match self.args {
            Some(_) => !w.prefix.is_empty(),
            None => w.config && !w.prefix.iter().any(|p| matches!(p, Part::Ref(r) if ctor_ref(r).is_some())),
        }
    }

    /// The request a method makes of a field's URL followed by one of its parameters:
    /// every such request in it must agree on the URL (else none); on the method too,
    /// else any method.
    fn wrap_of(&self, m: Node<'t>, known: &BTreeMap<&str, Wrap>) -> Option<Wrap> {
        let mut found: Vec<Wrap> = Vec::new();
        for call in descendants(m.field("body")?, "call_expression") {
            if let Some(w) = self.request(m, call, known) {
                found.push(w);
            }
        }
        let first = found.first()?.clone();
        if found.iter().any(|w| w.param != first.param || w.prefix != first.prefix) {
            return None;
        }
        let method = match found.iter().all(|w| w.method == first.method) {
            true => first.method.clone(),
            false => Method::Fixed("ANY".into()),
        };
        Some(Wrap { method, ..first })
    }

    /// One call of method `m`, when it requests a URL ending with one of `m`'s parameters:
    /// `fetch(url, init)`, `this.client.get(path)` on a field client, `this.request(path,
    /// { method })` of a wrapper of the class.
    fn request(&self, m: Node<'t>, call: Node<'t>, known: &BTreeMap<&str, Wrap>) -> Option<Wrap> {
        let f = callee(call)?;
        let args = call.field("arguments").map(named).unwrap_or_default();
        let line = query::line(call);
        if f.kind_name() == "identifier" && query::text(f, self.src) == "fetch" {
            let (prefix, param) = self.url(m, *args.first()?, 0)?;
            let method = self.fetch_method(m, args.get(1).copied());
            return Some(Wrap { param, prefix, method, client: "fetch".into(), line, key: None, config: false });
        }
        if f.kind_name() != "member_expression" {
            return None;
        }
        let verb = query::text(f.field("property")?, self.src);
        let object = f.field("object")?;
        if let Some(field) = this_field(object, self.src) {
            // `this.http.request(config)`: axios' request config, a parameter of the method,
            // says the URL (`url`, after the instance's base) and the method (`GET` if none).
            if verb == "request" {
                let base = self.client_base(field)?;
                let i = self.param_of(m, *args.first()?)?;
                let method = Method::Options(i, "GET".into());
                let key = Some("url".to_string());
                return Some(Wrap { param: i, prefix: base, method, client: "axios".into(), line, key, config: true });
            }
            // `this.client.get(path)` on `this.client = axios.create({ baseURL })`.
            let method = http_verb(verb)?;
            let mut base = self.client_base(field)?;
            let (prefix, param) = self.url(m, *args.first()?, 0)?;
            push_parts(&mut base, prefix);
            let method = Method::Fixed(method);
            return Some(Wrap { param, prefix: base, method, client: "axios".into(), line, key: None, config: false });
        }
        // `this.request(endpoint, { ...options, method: 'GET' })`.
        let w = known.get(verb).filter(|_| object.kind_name() == "this")?;
        let arg = *args.get(w.param)?;
        let (url, key) = match &w.key {
            // `this.request({ url, ...config, method: 'GET' })`: the object's `url`; the
            // method's own config handed on whole (`this.request(config)`) stays one.
            Some(k) => match self.param_of(m, arg) {
                Some(i) => ((Template::new(), i), Some(k.clone())),
                None => (self.url(m, prop(arg, k, self.src)?, 0)?, None),
            },
            None => (self.url(m, arg, 0)?, None),
        };
        let (prefix, param) = url;
        let mut base = w.prefix.clone();
        push_parts(&mut base, prefix);
        let method = match &w.method {
            Method::Fixed(x) => Method::Fixed(x.clone()),
            Method::Options(i, default) => self.options_method(m, args.get(*i).copied(), default),
        };
        let (client, line, config) = (w.client.clone(), w.line, w.config);
        Some(Wrap { param, prefix: base, method, client, line, key, config })
    }

    /// The index of `m`'s parameter `n` names, when it is a plain name.
    fn param_of(&self, m: Node<'t>, n: Node<'t>) -> Option<usize> {
        (n.kind_name() == "identifier").then(|| param_index(m, query::text(n, self.src), self.src)).flatten()
    }

    /// A URL that is a known prefix followed by parameter `i` of `m`: the parameter, a
    /// local holding one, `` `${this.baseUrl}${endpoint}` `` (fields and module names
    /// before it, no text), a method of the class
    /// returning one (`this.buildUrl(endpoint, query)`), and the path branch of
    /// `endpoint.startsWith('http') ? endpoint : …` (an absolute URL passed through).
    fn url(&self, m: Node<'t>, n: Node<'t>, depth: usize) -> Option<(Template, usize)> {
        if depth > 4 * LEVELS {
            return None;
        }
        match n.kind_name() {
            // `{ url }`: the member of an object literal named as a parameter is it.
            "shorthand_property_identifier" => {
                Some((Template::new(), param_index(m, query::text(n, self.src), self.src)?))
            }
            "identifier" => {
                if let Some(i) = param_index(m, query::text(n, self.src), self.src) {
                    return Some((Template::new(), i));
                }
                let v = local_value(None, n, self.src)??;
                self.url(m, v, depth + 1).filter(|_| only_query_appended(m, n, self.src))
            }
            "parenthesized_expression" | "as_expression" | "non_null_expression" => {
                self.url(m, n.named_child(0)?, depth + 1)
            }
            "ternary_expression" => {
                let cond = query::text(n.field("condition")?, self.src);
                let (yes, no) = (n.field("consequence")?, n.field("alternative")?);
                let passed = |b: Node| {
                    b.kind_name() == "identifier" && param_index(m, query::text(b, self.src), self.src).is_some()
                };
                match (passed(yes), passed(no)) {
                    (true, false) if cond.contains("http") => self.url(m, no, depth + 1),
                    (false, true) if cond.contains("http") => self.url(m, yes, depth + 1),
                    _ => None,
                }
            }
            "call_expression" => {
                let f = n.field("function")?;
                let helper = this_field(f, self.src)?;
                let (_, h) = self.methods().find(|(name, _)| *name == helper)?;
                let args = n.field("arguments").map(named).unwrap_or_default();
                let returned = descendants(h.field("body")?, "return_statement");
                let mut got: Option<(Template, usize)> = None;
                for r in returned {
                    let (prefix, j) = self.url(h, r.named_child(0)?, depth + 1)?;
                    if got.as_ref().is_some_and(|g| *g != (prefix.clone(), j)) {
                        return None;
                    }
                    got = Some((prefix, j));
                }
                let (prefix, j) = got?;
                let (inner, i) = self.url(m, *args.get(j)?, depth + 1)?;
                let mut out = prefix;
                push_parts(&mut out, inner);
                Some((out, i))
            }
            "template_string" | "binary_expression" => {
                let mut pieces = Vec::new();
                url_pieces(n, self.src, &mut pieces);
                let (last, before) = pieces.split_last()?;
                let i = (last.kind_name() == "identifier")
                    .then(|| param_index(m, query::text(*last, self.src), self.src))
                    .flatten()?;
                // Text of the method's own before the parameter (`/hotels/${id}`) makes it a
                // part of a path the method requests, not the path its callers give.
                let mut prefix = Template::new();
                for p in before {
                    let t = match p.kind_name() {
                        "member_expression" if this_field(*p, self.src).is_some() => self.value(*p, 0)?,
                        // A module-level name (a local or another parameter is not followed).
                        "identifier"
                            if local_value(None, *p, self.src).is_none()
                                && param_index(m, query::text(*p, self.src), self.src).is_none() =>
                        {
                            template(*p, self.src)
                        }
                        _ => return None,
                    };
                    push_parts(&mut prefix, t);
                }
                Some((prefix, i))
            }
            _ => None,
        }
    }

    /// The method of `fetch(url, init)` in `m`: `init`'s `method`, a string, or read from
    /// the options parameter (`const { method = 'GET' } = options`); no `init` is a GET.
    fn fetch_method(&self, m: Node<'t>, init: Option<Node<'t>>) -> Method {
        let Some(init) = init else { return Method::Fixed("GET".into()) };
        let init = match init.kind_name() {
            "identifier" => match param_index(m, query::text(init, self.src), self.src) {
                Some(i) => return Method::Options(i, "GET".into()),
                None => match local_value(None, init, self.src) {
                    Some(Some(v)) => v,
                    _ => return Method::Fixed("ANY".into()),
                },
            },
            _ => init,
        };
        let Some(method) = prop(init, "method", self.src) else { return Method::Fixed("GET".into()) };
        if let Some(s) = string_value(method, self.src) {
            return Method::Fixed(s.to_ascii_uppercase());
        }
        // `const { method = 'GET', body } = options` with `options` a parameter.
        let name = query::text(method, self.src);
        let destructured = descendants(m.field("body").unwrap_or(m), "variable_declarator").into_iter().find_map(|d| {
            let pattern = d.field("name").filter(|p| p.kind_name() == "object_pattern")?;
            let from = d.field("value").filter(|v| v.kind_name() == "identifier")?;
            let i = param_index(m, query::text(from, self.src), self.src)?;
            named(pattern).into_iter().find_map(|p| match p.kind_name() {
                "shorthand_property_identifier_pattern" if query::text(p, self.src) == name => {
                    Some((i, "GET".to_string()))
                }
                "object_assignment_pattern" if p.field("left").is_some_and(|l| query::text(l, self.src) == name) => {
                    let d = p.field("right").and_then(|r| string_value(r, self.src))?;
                    Some((i, d.to_ascii_uppercase()))
                }
                _ => None,
            })
        });
        match destructured {
            Some((i, d)) => Method::Options(i, d),
            None => Method::Fixed("ANY".into()),
        }
    }

    /// The method `m` passes in the options argument of a wrapper taking its method from
    /// there: `{ ...options, method: 'GET' }` says it; `options` or `{ ...options }` of
    /// `m`'s own parameter hands the caller's on; no options, the default.
    fn options_method(&self, m: Node<'t>, arg: Option<Node<'t>>, default: &str) -> Method {
        let Some(arg) = arg else { return Method::Fixed(default.into()) };
        let param = |n: Node| {
            (n.kind_name() == "identifier").then(|| param_index(m, query::text(n, self.src), self.src)).flatten()
        };
        if let Some(i) = param(arg) {
            return Method::Options(i, default.into());
        }
        if arg.kind_name() != "object" {
            return Method::Fixed("ANY".into());
        }
        if let Some(method) = prop(arg, "method", self.src) {
            return Method::Fixed(
                string_value(method, self.src).map_or_else(|| "ANY".into(), |s| s.to_ascii_uppercase()),
            );
        }
        let spread = named(arg)
            .into_iter()
            .filter(|c| c.kind_name() == "spread_element")
            .find_map(|s| s.named_child(0).and_then(param));
        match spread {
            Some(i) => Method::Options(i, default.into()),
            None => Method::Fixed(default.into()),
        }
    }

    /// `this.client.get('/api/hotels')` in the class's methods, on a field client with a
    /// known base: a request at its own line (a path ending with a parameter of a
    /// constructed class's method is a wrapper instead).
    fn field_client_calls(&self) -> Vec<RawCall> {
        let mut out = Vec::new();
        for (_, m) in self.methods() {
            let Some(body) = m.field("body") else { continue };
            for call in descendants(body, "call_expression") {
                let Some(f) = callee(call).filter(|f| f.kind_name() == "member_expression") else {
                    continue;
                };
                let Some(field) = f.field("object").and_then(|o| this_field(o, self.src)) else {
                    continue;
                };
                let verb = f.field("property").map_or("", |p| query::text(p, self.src));
                let args = call.field("arguments").map(named).unwrap_or_default();
                let Some(first) = args.first() else { continue };
                let (method, path) = match (http_verb(verb), first.kind_name()) {
                    (Some(v), _) if first.kind_name() != "object" => (v, Some(*first)),
                    // `request({ method: 'GET' })` with no `url` requests the base itself.
                    (_, "object") if verb == "request" => {
                        let v = prop(*first, "method", self.src).map(|x| {
                            string_value(x, self.src).map_or_else(|| "ANY".into(), |s| s.to_ascii_uppercase())
                        });
                        (v.unwrap_or_else(|| "GET".into()), prop(*first, "url", self.src))
                    }
                    _ => continue,
                };
                if self.args.is_some() && path.is_some_and(|p| self.url(m, p, 0).is_some()) {
                    continue;
                }
                let Some(mut url) = self.client_base(field) else { continue };
                if let Some(path) = path {
                    push_parts(&mut url, self.relative_path(m, path));
                }
                out.push(RawCall { client: "axios".into(), method, url, line: query::line(call) });
            }
        }
        out
    }
}

impl<'t> Class<'t> {
    /// The path of a field client's request as it joins the base: a parameter of `m` (or
    /// a member of one, `entity.id`), a relative URL, follows the base after one `/`, as
    /// axios' `combineURLs` joins them; anything else as written.
    fn relative_path(&self, m: Node<'t>, path: Node<'t>) -> Template {
        let head = match path.kind_name() {
            "identifier" => Some(path),
            "member_expression" => path.field("object").filter(|o| o.kind_name() == "identifier"),
            _ => None,
        };
        match head.filter(|h| param_index(m, query::text(*h, self.src), self.src).is_some()) {
            Some(_) => vec![Part::Lit("/".into()), Part::Param(param_name(path, self.src))],
            None => template(path, self.src),
        }
    }
}

/// The function a call calls: tree-sitter-typescript reads `await this.client.get<T>(id)`
/// as a call of `await this.client.get` with type arguments, whose function is the member.
fn callee(call: Node) -> Option<Node> {
    let f = call.field("function")?;
    match f.kind_name() {
        "await_expression" if call.field("type_arguments").is_some() => f.named_child(0),
        _ => Some(f),
    }
}

/// `get` → `GET`: the request methods of an axios-like instance.
fn http_verb(name: &str) -> Option<String> {
    matches!(name, "delete" | "get" | "head" | "options" | "patch" | "post" | "put").then(|| name.to_ascii_uppercase())
}

/// Whether every `url += …` of local `n` in `m` appends a query string (`'?' + params`):
/// the path stays the one the local was declared with.
fn only_query_appended(m: Node, n: Node, src: &[u8]) -> bool {
    let name = query::text(n, src);
    let Some(body) = m.field("body") else { return true };
    descendants(body, "augmented_assignment_expression")
        .into_iter()
        .filter(|a| a.field("left").is_some_and(|l| query::text(l, src) == name))
        .all(|a| {
            a.field("right").is_some_and(|r| {
                descendants(r, "string")
                    .into_iter()
                    .any(|s| string_value(s, src).is_some_and(|v| v.starts_with('?') || v.starts_with('&')))
            })
        })
}

/// The module's top-level classes extending another ([`RawSubclass`]): the base as written
/// and, when the class has a constructor, the arguments it hands to `super(…)`, its own
/// parameters marked (`ctor_param`) so that each construction's arguments can take
/// their places. Asked for files whose text has `extends `.
pub fn subclasses(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    for top in named(root) {
        let Some(decl) =
            declared(top).filter(|d| matches!(d.kind_name(), "class_declaration" | "abstract_class_declaration"))
        else {
            continue;
        };
        let (Some(name), Some(body)) = (decl.field("name"), decl.field("body")) else {
            continue;
        };
        let Some(base) = named(decl).into_iter().find(|c| c.kind_name() == "class_heritage").and_then(base_class)
        else {
            continue;
        };
        let class = query::text(name, src).to_string();
        let ctor = named(body).into_iter().find(|m| is_constructor(*m, src));
        let super_args = ctor.map(|c| super_args(c, &class, src));
        let base = query::text(base, src).to_string();
        facts.subclasses.push(RawSubclass { class, base, super_args, line: query::line(decl) });
    }
}

/// The arguments of the first `super(…)` in constructor `ctor` of `class`: a parameter
/// of the constructor is its marker, a member of one (`opts.url`) is not read.
fn super_args(ctor: Node, class: &str, src: &[u8]) -> Vec<Template> {
    let body = ctor.field("body").unwrap_or(ctor);
    let call = descendants(body, "call_expression")
        .into_iter()
        .find(|c| c.field("function").is_some_and(|f| f.kind_name() == "super"));
    let args = call.and_then(|c| c.field("arguments")).map(named).unwrap_or_default();
    let marked = |p: Part| match p {
        Part::Ref(r) => match (param_index(ctor, &r, src), r.split_once('.')) {
            (Some(i), _) => Part::Ref(ctor_param(class, i, None)),
            (None, Some((head, _))) if param_index(ctor, head, src).is_some() => Part::Param(r),
            _ => Part::Ref(r),
        },
        other => other,
    };
    args.into_iter().map(|a| template(a, src).into_iter().map(marked).collect()).collect()
}

/// `new ItemService(config.api.baseUrl, '/lists')` of a class the module declares or
/// imports from one of the project's modules (`relative`: the names those imports bind):
/// a construction, recorded whatever its arguments, since one left out would make the
/// others seem to agree. A name the function around it binds (a parameter, a local) is
/// not read: `{name}`. Whether any was found.
pub fn constructions(root: Node, text: &str, relative: &[String], facts: &mut ArchFacts) -> bool {
    let src = text.as_bytes();
    let before = facts.constructions.len();
    // The classes the text declares, found once: looked for at each `new X`, the text's
    // `class ` words were searched again for every construction (effect: 5 % of a scan).
    let mut declared: Vec<&str> = declared_classes(text).collect();
    declared.sort_unstable();
    for (start, end) in constructed(src) {
        let name = &text[start..end];
        if !relative.iter().any(|r| r == name) && declared.binary_search(&name).is_err() {
            continue;
        }
        let Some(n) = root.descendant_for_byte_range(start, end) else { continue };
        // The `new` and its ancestors, in one descent from the root (`Node::parent`
        // descends from the root at each call: eclipse-theia's constructions spent 1 G
        // instructions walking up this way).
        let up = query::ancestors_below(root, n, 65);
        let Some(&new) = up.first().filter(|p| p.kind_name() == "new_expression") else { continue };
        if new.field("constructor") != Some(n) {
            continue;
        }
        let args = new.field("arguments").map(named).unwrap_or_default();
        let bound = |r: &str| bound_locally(&up[1..], r.split('.').next().unwrap_or(r), src);
        let arg = |a: Node| -> Template {
            template(a, src)
                .into_iter()
                .map(|p| match p {
                    Part::Ref(r) if bound(&r) => Part::Param(r),
                    other => other,
                })
                .collect()
        };
        // `new Auth({ baseUrl: … })`: the members of an object literal, for a constructor
        // reading them (`constructor({ baseUrl })`).
        let props = args
            .iter()
            .enumerate()
            .filter(|(_, a)| a.kind_name() == "object")
            .flat_map(|(i, o)| named(*o).into_iter().map(move |m| (i, m)))
            .filter_map(|(i, m)| match m.kind_name() {
                "pair" => {
                    let key = m.field("key")?;
                    let key = match key.kind_name() {
                        "property_identifier" => query::text(key, src).to_string(),
                        _ => string_value(key, src)?,
                    };
                    Some((i, key, arg(m.field("value")?)))
                }
                "shorthand_property_identifier" => {
                    let name = query::text(m, src).to_string();
                    let part = if bound(&name) { Part::Param(name.clone()) } else { Part::Ref(name.clone()) };
                    Some((i, name, vec![part]))
                }
                _ => None,
            })
            .collect();
        facts.constructions.push(RawArgCall {
            callee: name.to_string(),
            args: args.into_iter().map(arg).collect(),
            kwargs: Vec::new(),
            methods: Vec::new(),
            props,
            line: query::line(new),
        });
    }
    facts.constructions.len() > before
}

/// Whether the text constructs a capitalised name (`new Foo(`, `new Foo<T>(`): a cheap
/// check before the module's imports are read.
pub fn may_construct(src: &[u8]) -> bool {
    constructed(src).next().is_some()
}

/// The spans of the capitalised names after `new ` (a whole word) in `src`.
fn constructed(src: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    memchr::memmem::find_iter(src, b"new ").filter_map(move |at| {
        if at > 0 && (ident(src[at - 1]) || src[at - 1] == b'.') {
            return None;
        }
        let start = at + 4 + src[at + 4..].iter().take_while(|b| **b == b' ').count();
        let end = start + src[start..].iter().take_while(|b| ident(**b)).count();
        (end > start && src[start].is_ascii_uppercase()).then_some((start, end))
    })
}

/// The names the text declares classes by (`class Name ` / `class Name<`/`{`).
fn declared_classes(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("class ").filter_map(|(i, _)| {
        let rest = text[i + 6..].trim_start();
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$')).unwrap_or(rest.len());
        rest[end..].starts_with([' ', '<', '{', '\n']).then(|| &rest[..end]).filter(|n| !n.is_empty())
    })
}

/// Whether a function among `around` (a node's ancestors) binds `name`: a parameter,
/// or a declaration in its body.
fn bound_locally(around: &[Node], name: &str, src: &[u8]) -> bool {
    around.iter().copied().filter(|a| FUNCTIONS.contains(&a.kind_name())).any(|f| {
        f.field("parameter").is_some_and(|p| query::text(p, src) == name)
            || param_index(f, name, src).is_some()
            || f.field("body").is_some_and(|b| declares(b, name, src))
    })
}

/// Static methods of a class handing their parameter on to a static request wrapper of
/// the same class: `static post(url, data = {}) { return this.request('post', url, data) }`
/// with `static async request(method, url, …)` sending `axios.request({ method, url })`
/// (the wrapper `UserService.request`). Each is a wrapper of its own (`UserService.post`)
/// making the same request, with the method its call passes (a literal, or its own
/// parameter), so that `UserService.post('register')` in another module is that request.
/// `this.m(…)` in a static method is the class's static `m`; so is `Class.m(…)`. Only a
/// method calling the wrapper once is read (two calls may send two requests); a chain of
/// them (`post` → `send` → `request`) is followed a few levels.
pub fn static_delegates(root: Node, src: &[u8], facts: &mut ArchFacts) {
    let mut sources: Vec<RawWrapper> = facts
        .wrappers
        .iter()
        .filter(|w| w.key.is_none() && w.choice.is_none() && w.method_param.is_none())
        .filter(|w| w.name.split('.').count() == 2 && !w.name.contains(".prototype"))
        .cloned()
        .collect();
    if sources.is_empty() {
        return;
    }
    let classes: Vec<(String, Node)> = named(root)
        .into_iter()
        .filter_map(declared)
        .filter(|d| matches!(d.kind_name(), "class_declaration" | "abstract_class_declaration" | "class"))
        .filter_map(|d| Some((query::text(d.field("name")?, src).to_string(), d.field("body")?)))
        .collect();
    for _ in 0..LEVELS {
        let mut added: Vec<RawWrapper> = Vec::new();
        for w in &sources {
            let Some((class, wrapped)) = w.name.split_once('.') else { continue };
            let Some((_, body)) = classes.iter().find(|(c, _)| c == class) else { continue };
            for m in named(*body).into_iter().filter(|m| m.kind_name() == "method_definition") {
                let mut c = m.walk();
                if !m.children(&mut c).any(|k| k.kind_name() == "static") {
                    continue;
                }
                let Some(own) = m.field("name").map(|n| query::text(n, src)) else { continue };
                let name = format!("{class}.{own}");
                if own == wrapped
                    || facts.wrappers.iter().chain(&added).any(|x| x.name == name)
                    || m.field("body").is_none()
                {
                    continue;
                }
                let calls = calls_of_static(m, class, wrapped, src);
                let [call] = calls.as_slice() else { continue };
                let Some(d) = delegate(m, *call, w, src) else { continue };
                added.push(RawWrapper { name, ..d });
            }
        }
        if added.is_empty() {
            break;
        }
        facts.wrappers.extend(added.iter().cloned());
        sources = added;
    }
}

/// The calls `this.wrapped(…)` / `Class.wrapped(…)` in method `m`'s body (not in a nested
/// function: there `this` is another).
fn calls_of_static<'t>(m: Node<'t>, class: &str, wrapped: &str, src: &[u8]) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack: Vec<Node<'t>> = m.field("body").into_iter().collect();
    while let Some(n) = stack.pop() {
        if n.kind_name() == "call_expression" {
            let f = n.field("function").filter(|f| f.kind_name() == "member_expression");
            let target = f.and_then(|f| Some((f.field("object")?, f.field("property")?)));
            if let Some((o, p)) = target {
                let on_class =
                    o.kind_name() == "this" || (o.kind_name() == "identifier" && query::text(o, src) == class);
                if on_class && query::text(p, src) == wrapped {
                    out.push(n);
                }
            }
        }
        if matches!(n.kind_name(), "function_expression" | "function_declaration" | "class" | "method_definition") {
            continue;
        }
        stack.extend(named(n));
    }
    out
}

/// The wrapper `m` is when its call `call` of wrapper `w` passes one of its parameters as
/// `w`'s URL (and, when `w` takes its method from a parameter, a literal method or another
/// parameter of `m` there); its name is left for the caller to set.
fn delegate(m: Node, call: Node, w: &RawWrapper, src: &[u8]) -> Option<RawWrapper> {
    let args = call.field("arguments").map(named).unwrap_or_default();
    if args.iter().any(|a| a.kind_name() == "spread_element") {
        return None;
    }
    let own = |a: &Node| (a.kind_name() == "identifier").then(|| param_index(m, query::text(*a, src), src)).flatten();
    let param = own(args.get(w.param)?)?;
    let (method, method_arg) = match w.method_arg {
        None => (w.call.method.clone(), None),
        Some(i) => {
            let a = args.get(i)?;
            match a.kind_name() {
                "string" => (super::arch::http_method(&string_value(*a, src)?)?, None),
                _ => (w.call.method.clone(), Some(own(a)?)),
            }
        }
    };
    Some(RawWrapper {
        name: String::new(),
        param,
        call: RawCall { method, ..w.call.clone() },
        method_param: None,
        method_arg,
        at: w.at,
        key: None,
        params: Vec::new(),
        choice: None,
        forwards: Some(w.name.clone()),
        joined: w.joined,
    })
}
