//! NestJS request wrappers (issue #3; cause 1 of the twelfth blind sample).
//!
//! ```ts
//! @Injectable()
//! export class ProxyService {
//!   private readonly usersUrl = 'http://localhost:3001';
//!   async forward(target: string, method: Method, path: string) {
//!     let url: string;
//!     switch (target) {
//!       case 'users': url = `${this.usersUrl}${path}`; break;
//!       …
//!     }
//!     return axios.request({ method, url });
//!   }
//! }
//! // a controller, the service injected into its constructor:
//! constructor(private readonly proxy: ProxyService) {}
//! … this.proxy.forward('users', 'GET', `/api/users/${id}`) …
//! ```
//!
//! No line says the request whole. A field the class gives one value (its initializer,
//! or the default of a constructor parameter property of an `@Injectable()` class, which
//! Nest constructs without arguments) is that value where a method reads `this.usersUrl`
//! ([`this_fields`]). A URL a method sets in each case of a `switch` on one of its
//! parameters is one request per case, each taken by the callers passing that case's
//! string ([`switch_cases`]). A method of an `@Injectable()` class is a request wrapper
//! named `ProxyService.prototype.forward` (JavaScript's name for an instance method), and
//! a class holding the service in a constructor parameter property calls it as
//! `this.proxy.forward(…)`: those calls are its call sites ([`injected_calls`]).

use super::query::FieldExt;
use super::ts_words::{Words, W};
use tree_sitter::Node;

use super::query;
use super::ts_arch::{named, string_value, template, wrapper_param, FUNCTIONS};
use super::ts_classes::{has_child, is_constructor, parameter_properties, Members, CLASSES};
use crate::model::{ArchFacts, Part, RawArgCall, Template};

/// The class declaration around `n`.
fn class_of(n: Node) -> Option<Node> {
    query::ancestors(n, 64).find(|a| CLASSES.contains(&a.kind_name()))
}

/// The name of the class declaration around `n`, if it has one.
pub fn class_name_of(n: Node, src: &[u8]) -> Option<String> {
    class_of(n).and_then(|c| c.field("name")).map(|name| query::text(name, src).to_string())
}

/// Whether a class is decorated `@Injectable()` (a NestJS provider, which Nest constructs).
pub fn injectable(class: Node, src: &[u8]) -> bool {
    let decorated = |n: Node| {
        let mut c = n.walk();
        let found = n.children(&mut c).any(|d| {
            d.kind_name() == "decorator" && {
                let t = query::text(d, src);
                t.starts_with("@Injectable(") || t.starts_with("@Injectable ")
            }
        });
        found
    };
    decorated(class) || class.parent().is_some_and(|p| p.kind_name() == "export_statement" && decorated(p))
}

/// `ProxyService.prototype.forward` for a method of an `@Injectable()` class.
pub fn injectable_method(method: Node, src: &[u8]) -> Option<String> {
    let class = method.parent().filter(|b| b.kind_name() == "class_body")?.parent()?;
    if !CLASSES.contains(&class.kind_name()) || !injectable(class, src) {
        return None;
    }
    let class = query::text(class.field("name")?, src);
    Some(format!("{class}.prototype.{}", query::text(method.field("name")?, src)))
}

/// The value `this.<field>` has in a method of the class around `n`, when the class gives
/// it one value only: a field declared with an initializer (`private readonly usersUrl =
/// '…'`, also `= process.env.X || '…'`), or a constructor parameter property with a
/// default (`constructor(private readonly base = '…')`) of an `@Injectable()` class (Nest
/// passes nothing for it). Assigned anywhere else in the class (`this.usersUrl = …`): none.
pub fn field_value<'t>(n: Node<'t>, field: &str, src: &[u8]) -> Option<Node<'t>> {
    let class = class_of(n)?;
    let body = class.field("body")?;
    let members = Members::of(body, src);
    // A declaration with no value (`private usersUrl: string;`) is set elsewhere: none.
    let mut declared = None;
    for f in members.fields_named(field, src) {
        declared = Some(f.field("value")?);
    }
    let param = members.constructor.and_then(|c| parameter_property(c, field, src));
    if param.is_some() && !injectable(class, src) {
        return None;
    }
    // Both (not valid TypeScript): the later, as a walk of the members would leave it.
    let value = declared.into_iter().chain(param).max_by_key(Node::start_byte);
    let text = query::text(body, src);
    let assigned = format!("this.{field}");
    let reassigned = text.match_indices(&assigned).any(|(i, _)| {
        let rest = text[i + assigned.len()..].trim_start();
        let ident = text[i + assigned.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$');
        !ident
            && (rest.starts_with('=') && !rest.starts_with("==") || rest.starts_with("+=") || rest.starts_with("??="))
    });
    value.filter(|_| !reassigned)
}

/// The default of the constructor parameter property `field`: `private readonly base = '…'`.
/// A parameter with a decorator (`@Inject('BASE')`) is given by Nest: none.
fn parameter_property<'t>(ctor: Node<'t>, field: &str, src: &[u8]) -> Option<Node<'t>> {
    parameter_properties(ctor).find_map(|(_, p)| {
        if has_child(p, &["decorator"]) {
            return None;
        }
        let name = p.field("pattern").filter(|i| query::text(*i, src) == field)?;
        name.is_named().then(|| p.field("value")).flatten()
    })
}

/// A URL template with each `this.<field>` read as the value its class gives the field
/// ([`field_value`]); other fields are left as they were (unknown). A member of a field
/// the class declares with a class type (`private config: Config` … `this.config.paymentUrl`)
/// is that class's member, `Config.paymentUrl`, which resolution reads where `Config` is
/// declared or imported from (a getter of it, [`super::ts_arch::class_env_getters`]).
pub fn this_fields(at: Node, url: Template, src: &[u8]) -> Template {
    if !url.iter().any(|p| matches!(p, Part::Ref(r) if r.starts_with("this."))) {
        return url;
    }
    let mut out = Template::new();
    for p in url {
        let typed = match &p {
            Part::Ref(r) => r
                .strip_prefix("this.")
                .and_then(|f| f.split_once('.'))
                .filter(|(_, member)| !member.contains('.'))
                .and_then(|(f, member)| Some(format!("{}.{member}", field_type(at, f, src)?))),
            _ => None,
        };
        if let Some(r) = typed {
            out.push(Part::Ref(r));
            continue;
        }
        let value = match &p {
            Part::Ref(r) => r.strip_prefix("this.").filter(|f| !f.contains('.')).and_then(|f| field_value(at, f, src)),
            _ => None,
        };
        match value.map(|v| template(v, src)) {
            Some(t) if !t.iter().any(|q| matches!(q, Part::Ref(r) if r.starts_with("this."))) => {
                super::arch::push_parts(&mut out, t)
            }
            _ => super::arch::push_parts(&mut out, vec![p]),
        }
    }
    out
}

/// The class a field of the class around `at` is declared with, `Config` of `private
/// config: Config` (or of a constructor parameter property `private readonly config:
/// Config`): a plain type name starting with a capital, else none.
fn field_type(at: Node, field: &str, src: &[u8]) -> Option<String> {
    let class = class_of(at)?;
    let members = Members::of(class.field("body")?, src);
    let declared = members.fields_named(field, src).filter_map(|f| f.field("type")).last();
    let param = members.constructor.and_then(|c| {
        parameter_properties(c)
            .map(|(_, p)| p)
            .find(|p| p.field("pattern").is_some_and(|i| query::text(i, src) == field))
            .and_then(|p| p.field("type"))
    });
    let ty = declared.or(param)?.named_child(0).filter(|t| t.kind_name() == "type_identifier")?;
    let name = query::text(ty, src);
    name.starts_with(|c: char| c.is_ascii_uppercase()).then(|| name.to_string())
}

/// `this.meetingUrl(id)` of a field holding an arrow function that returns a path built
/// from its parameters (`private meetingUrl = (id: string) => `https://…/meetings/${id}``,
/// the class giving the field that one value, [`field_value`]): the path, the
/// parameters unknown (`super::ts_arch::path_function`).
pub fn this_path_call(call: Node, src: &[u8]) -> Option<Template> {
    let f = call.field("function").filter(|_| call.kind_name() == "call_expression")?;
    if f.kind_name() != "member_expression" || f.field("object")?.kind_name() != "this" {
        return None;
    }
    let value = field_value(call, query::text(f.field("property")?, src), src)?;
    let body = value.field("body").filter(|_| value.kind_name() == "arrow_function")?;
    if !matches!(body.kind_name(), "string" | "template_string") {
        return None;
    }
    Some(super::ts_arch::path_function(value, src))
}

/// `let url; switch (target) { case 'users': url = …; break; case 'orders': url = …; }`:
/// the value the identifier `u` gets in each case, with the case's string and the index
/// of the parameter switched on, when every assignment of it in the function (before
/// `u`) is a statement of a case of that one `switch` on a parameter of the function,
/// each case a string, and its declaration gives it no value. Anything else: none.
pub fn switch_cases<'t>(u: Node<'t>, src: &[u8]) -> Option<(usize, Vec<(String, Node<'t>)>)> {
    let name = query::text(u, src);
    let func = query::ancestors(u, 64).find(|a| FUNCTIONS.contains(&a.kind_name()))?;
    let mut switch: Option<Node> = None;
    let mut cases = Vec::new();
    let mut stack = vec![func.field("body")?];
    while let Some(n) = stack.pop() {
        if FUNCTIONS.contains(&n.kind_name()) {
            continue;
        }
        stack.extend(named(n));
        let Some(value) = super::ts_arch::assigns(n, name, src) else { continue };
        if n.kind_name() == "variable_declarator" {
            if value.is_some() {
                return None;
            }
            continue;
        }
        let case = n.parent().filter(|s| s.kind_name() == "expression_statement")?.parent()?;
        if case.kind_name() != "switch_case" || n.start_byte() > u.start_byte() {
            return None;
        }
        let stmt = case.parent()?.parent().filter(|s| s.kind_name() == "switch_statement")?;
        if switch.is_some_and(|s| s.id() != stmt.id()) {
            return None;
        }
        switch = Some(stmt);
        let label = string_value(case.field("value")?, src)?;
        if cases.iter().any(|(l, _): &(String, Node)| *l == label) {
            return None;
        }
        cases.push((label, value?));
    }
    let on = switch?.field("value")?;
    let on = if on.kind_name() == "parenthesized_expression" { on.named_child(0)? } else { on };
    let (_, index) = wrapper_param(None, on, src)?;
    let around = query::ancestors(on, 64).find(|a| FUNCTIONS.contains(&a.kind_name()))?;
    (around.id() == func.id() && !cases.is_empty()).then(|| {
        cases.sort_by_key(|(_, v)| v.start_byte());
        (index, cases)
    })
}

/// Calls of a NestJS provider's methods through the class's constructor parameter
/// properties (`constructor(private readonly proxy: ProxyService)`, then
/// `this.proxy.forward(…)`), when the type is a name the file imports: each a call of
/// `ProxyService.forward`, whose wrapper resolution finds in the imported module (as
/// `Api.fetch` of a static method). Every argument is kept as written (a case's string
/// such as `'users'` chooses the wrapper's request); found by text, a few substring
/// searches per injected property.
pub fn injected_calls(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let mut found = Vec::new();
    for (field, class) in injected_properties(root, src, facts) {
        // `this.proxy.forward(…)`, also with the call on the next line (`this.proxy\n  .forward(…)`).
        let needle = format!("this.{field}");
        for (i, _) in text.match_indices(&needle) {
            let end = i + needle.len();
            if !text[end..].trim_start().starts_with('.') {
                continue;
            }
            let Some(member) = root.descendant_for_byte_range(i, end) else { continue };
            let up = query::ancestors_below(root, member, 4);
            let Some(&call) = up.iter().find(|a| a.kind_name() == "call_expression") else { continue };
            let Some(func) = call.field("function").filter(|f| f.kind_name() == "member_expression") else {
                continue;
            };
            if func.field("object").is_none_or(|o| o.start_byte() != i || o.end_byte() != end) {
                continue;
            }
            let Some(method) = func.field("property") else { continue };
            let args = call.field("arguments").map(named).unwrap_or_default();
            let methods = args
                .iter()
                .enumerate()
                .filter_map(|(k, a)| {
                    string_value(*a, src)
                        .and_then(|m| super::arch::http_method(&m))
                        .filter(|m| m != "ANY")
                        .map(|m| (k, m))
                })
                .collect();
            // A local of the calling function is read as its value (`ts_config::arg_template`).
            let a = RawArgCall {
                callee: format!("{class}.{}", query::text(method, src)),
                args: args.iter().map(|a| super::ts_config::arg_template(root, *a, src)).collect(),
                kwargs: Vec::new(),
                methods,
                props: Vec::new(),
                line: query::line(call),
            };
            found.push((call, a));
        }
    }
    // A method of the class handing its own parameter on: the call is made at its callers.
    facts.arg_calls.extend(super::ts_config::through_own_methods(root, src, found));
}

/// The constructor parameter properties of the file's classes whose type is a name the
/// file imports (`private readonly proxy: ProxyService`), as (property, type).
fn injected_properties(root: Node, src: &[u8], facts: &ArchFacts) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match n.kind_name() {
            "method_definition" if is_constructor(n, src) => {
                for (_, p) in parameter_properties(n) {
                    let name = p.field("pattern").filter(|i| i.kind_name() == "identifier");
                    let ty =
                        p.field("type").and_then(|t| t.named_child(0)).filter(|t| t.kind_name() == "type_identifier");
                    if let (Some(name), Some(ty)) = (name, ty) {
                        let ty = query::text(ty, src);
                        if facts.bindings.iter().any(|b| b.local == ty) {
                            out.push((query::text(name, src).to_string(), ty.to_string()));
                        }
                    }
                }
            }
            "program" | "export_statement" | "class_declaration" | "abstract_class_declaration" | "class_body" => {
                stack.extend(named(n));
            }
            _ => {}
        }
    }
    out
}

/// Whether a file may decorate a class with a ts-proto controller decorator: what ts-proto's
/// NestJS output (`outputServices=grpc-js` off, `nestJs=true`) names the class decorator of
/// a proto service's controller ends in `ControllerMethods()` (`UsersServiceControllerMethods`).
pub fn mentions_controller_methods(words: &Words) -> bool {
    words.has(W::ControllerMethods)
}

/// A class decorated `@UsersGrpcServiceControllerMethods()`, the decorator ts-proto
/// generates for each proto service (`export function UsersGrpcServiceControllerMethods()
/// { … GrpcMethod('UsersGrpcService', method)(…) … }` over the service's rpcs), serves
/// the whole proto service `UsersGrpcService`: the decorator applies Nest's `@GrpcMethod`
/// to each of its methods. The module's top-level classes only (exported or not); the
/// service is the decorator's name without `ControllerMethods`, with no arguments.
pub fn proto_controllers(root: Node, src: &[u8], facts: &mut ArchFacts) {
    let suffix = "ControllerMethods";
    for top in named(root) {
        let class = match top.kind_name() {
            "export_statement" => top.field("declaration"),
            _ => Some(top),
        };
        let Some(class) = class.filter(|c| CLASSES.contains(&c.kind_name())) else { continue };
        let holders = [Some(class), (top.id() != class.id()).then_some(top)];
        for d in holders.into_iter().flatten().flat_map(named).filter(|d| d.kind_name() == "decorator") {
            let Some(call) = d.named_child(0).filter(|c| c.kind_name() == "call_expression") else { continue };
            let name = call.field("function").filter(|f| f.kind_name() == "identifier").map(|f| query::text(f, src));
            let empty =
                call.field("arguments").is_some_and(|a| a.kind_name() == "arguments" && a.named_child_count() == 0);
            let service = name.and_then(|n| n.strip_suffix(suffix)).filter(|s| !s.is_empty());
            let Some(service) = service.filter(|s| empty && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
            else {
                continue;
            };
            let line = query::line(d);
            if !facts.grpc.iter().any(|g| g.server && g.service == service && g.rpc.is_none()) {
                facts.grpc.push(crate::model::RawGrpc {
                    service: service.to_string(),
                    server: true,
                    line,
                    within: None,
                    rpc: None,
                    constant: None,
                    class: None,
                });
            }
        }
    }
}

/// A Nest controller's `version` (`@Controller({ version: '1', path })`), kept in the
/// controller's prefix as a reference with this head and the versions (comma-separated;
/// empty for `VERSION_NEUTRAL`, `?` when not literal). Resolution takes it out of the path
/// again and, when the service turns URI versioning on, puts `/v1` after the global prefix
/// (`resolve::routes`).
pub const CONTROLLER_VERSION: &str = "\u{1}nest-controller-version:";
/// A handler's own `@Version('2')`, which replaces its controller's, at the head of the route's path.
pub const ROUTE_VERSION: &str = "\u{1}nest-route-version:";
/// `app.enableVersioning({ type: VersioningType.URI, prefix, defaultVersion })` as a router
/// fact of this framework: `prefix` its path prefix (`v` unless written), `name` its
/// default version (as [`CONTROLLER_VERSION`] writes versions; empty: none).
pub const URI_VERSIONING: &str = "nestjs-uri-versioning";

/// The versions a Nest `version` value names: `'1'`, `['1', '2']`, `VERSION_NEUTRAL`
/// (none: empty), anything else `?`.
pub fn versions(v: Node, src: &[u8]) -> String {
    let one = |n: Node| match n.kind_name() {
        _ if query::text(n, src).ends_with("VERSION_NEUTRAL") => Some(String::new()),
        _ => string_value(n, src).filter(|s| !s.is_empty() && !s.contains(',')),
    };
    let all = match v.kind_name() {
        "array" => named(v).into_iter().map(one).collect::<Option<Vec<_>>>(),
        _ => one(v).map(|s| vec![s]),
    };
    // A dot (`'1.1'`) is kept as `\u{2}`: resolution reads a reference's last dotted segment.
    match all {
        Some(list) if !list.is_empty() && list.iter().all(|v| !v.contains(['\u{1}', '\u{2}', ']'])) => {
            list.join(",").replace('.', "\u{2}")
        }
        _ => "?".into(),
    }
}

/// The versions of a handler's `@Version(…)` among the decorators of the method a route
/// decorator decorates (siblings before it in the class body, or the method's own).
pub fn route_version(decorator: Node, src: &[u8]) -> Option<String> {
    let mut all = Vec::new();
    let parent = decorator.parent()?;
    if parent.kind_name() == "method_definition" {
        all.extend(named(parent).into_iter().filter(|d| d.kind_name() == "decorator"));
    } else {
        // Back to the first decorator of this method, then forward to the method.
        let mut first = decorator;
        while let Some(p) = first.prev_named_sibling().filter(|p| p.kind_name() == "decorator") {
            first = p;
        }
        let mut s = Some(first);
        while let Some(d) = s.filter(|d| d.kind_name() == "decorator") {
            all.push(d);
            s = d.next_named_sibling();
        }
    }
    all.into_iter().find_map(|d| {
        let call = d.named_child(0).filter(|c| c.kind_name() == "call_expression")?;
        let name = call.field("function").map(|f| query::text(f, src));
        let arg = call.field("arguments").and_then(|a| a.named_child(0));
        (name == Some("Version")).then(|| arg.map_or_else(|| "?".into(), |a| versions(a, src)))
    })
}

/// Whether a file may turn on Nest's versioning.
pub fn mentions_versioning(words: &Words) -> bool {
    words.has(W::enableVersioning)
}

/// `app.enableVersioning({ type: VersioningType.URI })` (also `prefix: 'ver'`, `prefix:
/// false`, `defaultVersion: '1'`): a router fact of [`URI_VERSIONING`]. Another type
/// (header, media type, custom) puts no version in the path: nothing.
pub fn uri_versioning(root: Node, src: &[u8], facts: &mut ArchFacts) {
    for at in memchr::memmem::find_iter(src, b"enableVersioning(") {
        let Some(prop) = root.descendant_for_byte_range(at, at + 1) else { continue };
        let Some(call) = prop.parent().and_then(|m| m.parent()).filter(|c| c.kind_name() == "call_expression") else {
            continue;
        };
        let Some(options) = call.field("arguments").and_then(|a| a.named_child(0)) else { continue };
        let get = |key: &str| super::ts_arch::prop(options, key, src);
        if !get("type").is_some_and(|t| query::text(t, src).ends_with("URI")) {
            continue;
        }
        let prefix = match get("prefix") {
            None => "v".to_string(),
            Some(p) if p.kind_name() == "false" => String::new(),
            Some(p) => match string_value(p, src) {
                Some(s) => s,
                None => continue,
            },
        };
        let default = get("defaultVersion").map(|d| versions(d, src)).unwrap_or_default();
        facts.routers.push(crate::model::RawRouter {
            name: default,
            framework: URI_VERSIONING.into(),
            prefix: super::arch::lit(&prefix),
            line: query::line(call),
        });
    }
}

/// A function that builds Nest apps for its callers and sets the global prefix from one of
/// its parameters: `static create(appModule, appOptions = {}) { const options = {
/// ...defaultOptions, ...appOptions }; app.setGlobalPrefix(options.globalPrefix); }`, as a
/// router fact of this framework: `name` is [`factory_key`] (the function, the parameter's
/// index, the key), `prefix` the value when the caller passes none (`defaultOptions`'s, a
/// local object literal; empty when there is none).
pub const GLOBAL_PARAM: &str = "nestjs-global-param";
/// A call passing an object literal with a prefix-named key (`ApplicationFactory.create(AppModule,
/// { globalPrefix })`), as a router fact of this framework: `name` is [`factory_key`] of the
/// callee, the argument's index and the key, `prefix` the value (a shorthand is the local's value).
pub const GLOBAL_ARG: &str = "nestjs-global-arg";

/// The key of a factory's parameter member: function, parameter index, member.
pub fn factory_key(func: &str, index: usize, key: &str) -> String {
    format!("{func}\u{1}{index}\u{1}{key}")
}

/// `options.globalPrefix` handed to `setGlobalPrefix` where `options` is a parameter of the
/// function around it, or a local `const options = { ...defaults, ...param }` whose last
/// word on the key is the parameter's (earlier spreads of local object literals, or pairs,
/// give the default): [`factory_key`] and the default. Anything else: none.
pub fn prefix_from_caller(arg: Node, src: &[u8]) -> Option<(String, Template)> {
    if arg.kind_name() != "member_expression" {
        return None;
    }
    let obj = arg.field("object").filter(|o| o.kind_name() == "identifier")?;
    let key = query::text(arg.field("property")?, src);
    if let Some((func, index)) = wrapper_param(None, obj, src) {
        return Some((factory_key(&func, index, key), Template::new()));
    }
    let value = super::ts_arch::local_value(None, obj, src)??;
    if value.kind_name() != "object" {
        return None;
    }
    let mut default = Template::new();
    let mut from: Option<(String, usize)> = None;
    for m in named(value) {
        match m.kind_name() {
            "pair" => {
                let k = m.field("key").map(|k| string_value(k, src).unwrap_or_else(|| query::text(k, src).into()));
                if k.as_deref() == Some(key) {
                    default = template(m.field("value")?, src);
                    from = None;
                }
            }
            "shorthand_property_identifier" if query::text(m, src) == key => return None,
            "spread_element" => {
                let s = m.named_child(0).filter(|s| s.kind_name() == "identifier")?;
                if let Some(p) = wrapper_param(None, s, src) {
                    from = Some(p);
                    continue;
                }
                let o = super::ts_arch::local_value(None, s, src)??;
                if o.kind_name() != "object" {
                    return None;
                }
                if let Some(v) = super::ts_arch::prop(o, key, src) {
                    if v.kind_name() == "shorthand_property_identifier" {
                        return None;
                    }
                    default = template(v, src);
                    from = None;
                }
            }
            _ => {}
        }
    }
    let (func, index) = from?;
    Some((factory_key(&func, index, key), default))
}

/// Whether a file may pass a prefix to an app factory.
pub fn mentions_prefix_arg(words: &Words) -> bool {
    words.has(W::refix)
}

/// Calls passing an object literal with a key naming a prefix (`globalPrefix`, `prefix`,
/// `apiPrefix`: it ends in `prefix`, any case), each a [`GLOBAL_ARG`] router fact; a
/// shorthand `{ globalPrefix }` is the value the function's local gives it before.
/// Resolution uses only those whose callee is a [`GLOBAL_PARAM`] factory.
pub fn prefix_args(root: Node, src: &[u8], facts: &mut ArchFacts) {
    // Only the keys the text spells: each `…refix` occurrence, the key of a member of an
    // object literal handed to a call.
    let mut seen = Vec::new();
    for at in memchr::memmem::find_iter(src, b"refix") {
        let Some(word) = root.descendant_for_byte_range(at, at + 5) else { continue };
        let m = match word.kind_name() {
            "shorthand_property_identifier" => word,
            "property_identifier" => match word.parent().filter(|p| p.kind_name() == "pair") {
                Some(pair) if pair.field("key").is_some_and(|k| k.id() == word.id()) => pair,
                _ => continue,
            },
            _ => continue,
        };
        let Some(a) = m.parent().filter(|o| o.kind_name() == "object") else { continue };
        let Some(args) = a.parent().filter(|p| p.kind_name() == "arguments") else { continue };
        let Some(call) = args.parent().filter(|c| c.kind_name() == "call_expression") else { continue };
        let callee = call.field("function").filter(|f| matches!(f.kind_name(), "identifier" | "member_expression"));
        let Some(callee) = callee else { continue };
        let Some(index) = named(args).iter().position(|x| x.id() == a.id()) else { continue };
        if seen.contains(&m.id()) {
            continue;
        }
        seen.push(m.id());
        let (key, value) = match m.kind_name() {
            "pair" => match (m.field("key"), m.field("value")) {
                (Some(k), Some(v)) => (query::text(k, src), v),
                _ => continue,
            },
            _ => (query::text(m, src), m),
        };
        if !key.to_ascii_lowercase().ends_with("prefix") {
            continue;
        }
        let value = match value.kind_name() {
            "shorthand_property_identifier" | "identifier" => match super::ts_arch::local_value(None, value, src) {
                Some(Some(v)) => template(v, src),
                Some(None) => continue,
                None => vec![Part::Ref(query::text(value, src).to_string())],
            },
            _ => template(value, src),
        };
        facts.routers.push(crate::model::RawRouter {
            name: factory_key(query::text(callee, src), index, key),
            framework: GLOBAL_ARG.into(),
            prefix: value,
            line: query::line(m),
        });
    }
}
