//! NestJS configuration namespaces and request-config wrappers (issue #3; cause 2 of the
//! twenty-fourth blind sample: an API gateway's proxy and BFF calls).
//!
//! ```ts
//! // config/gateway.config.ts
//! export const GatewayConfig = registerAs('gateway', () => ({
//!   services: { users: process.env.USERS_SERVICE_URL || 'http://localhost:3001' },
//! }));
//! // common/http-client.ts
//! @Injectable()
//! export class BaseHttpClient {
//!   constructor(private readonly httpService: HttpService) {
//!     this.breaker = new CircuitBreaker((c) => this.executeRequest(c), { … });
//!   }
//!   async directGet(url: string) { const config = { method: 'GET', url }; return this.execute(config); }
//!   private async execute(config) { return (await this.breaker.fire(config)).data; }
//!   private async executeRequest(config) { return firstValueFrom(this.httpService.request(config)); }
//! }
//! // a controller or provider, both injected:
//! const usersUrl = this.configService.get<string>('gateway.services.users');
//! this.httpClient.directGet(`${usersUrl}/users/${id}`);
//! ```
//!
//! - A `registerAs('ns', () => ({ … }))` factory's object is the configuration Nest's
//!   `ConfigService` answers `get('ns.a.b')` from: each leaf is a constant named
//!   [`NEST_CONFIG`]`ns.a.b` ([`registered`]); `configService.get('ns.a.b')` is a reference
//!   to it (`ts_arch::config_service_env`), which resolution reads among the constants of
//!   the caller's own service only (`resolve::arch`).
//! - A method of an `@Injectable()` class that hands one of its parameters to a client's
//!   `request(config)` sends that config ([`request_config_wrappers`]); so does one handing
//!   it to such a method (`this.execute(config)`), or to a circuit breaker's `fire(config)`
//!   whose action is such a method (`new CircuitBreaker((c) => this.executeRequest(c))`). A
//!   method building the config as an object literal with a `url` (and `method`) from its
//!   own parameters is a request wrapper named `Class.prototype.method`, whose callers
//!   through constructor injection (`ts_nest::injected_calls`) are the sites.
//! - A method of the calling class that hands its own parameter on to such a call
//!   (`private forward(baseUrl, req) { return this.httpClient.forwardRequest(`${baseUrl}${req.url}`, req) }`)
//!   makes the call at each `this.forward(…)` of the class instead ([`through_own_methods`]).

use super::query::FieldExt;
use super::ts_words::{Words, W};
use tree_sitter::Node;

use super::query;
use super::ts_arch::{local_value, named, param_ident, prop, string_value, template, FUNCTIONS};
use super::ts_classes::{Members, CLASSES};
use crate::model::{ArchFacts, Part, RawArgCall, RawCall, RawConst, RawWrapper, Template};

/// The name prefix of a leaf of a `registerAs` configuration: `\u{1}nest-config:gateway.services.users`.
pub const NEST_CONFIG: &str = "\u{1}nest-config:";

/// Whether the file may register a configuration namespace.
pub fn mentions_register(words: &Words) -> bool {
    words.has(W::registerAs)
}

/// Whether the file may hold an `@Injectable()` class handing a config to `request(…)`.
pub fn mentions_request_config(words: &Words) -> bool {
    words.has(W::njectable) && words.has(W::request_call)
}

/// `registerAs('gateway', () => ({ services: { users: process.env.X || 'http://…' } }))`
/// (also a factory whose body returns the object): each leaf as a constant
/// `NEST_CONFIG` + `gateway.services.users`, nested objects a few levels deep. Leaves that
/// are no text (`parseInt(…)`, a call) are left out.
pub fn registered(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    for (i, w) in text.match_indices("registerAs(") {
        if i > 0 && (src[i - 1].is_ascii_alphanumeric() || src[i - 1] == b'_' || src[i - 1] == b'$') {
            continue;
        }
        let Some(name) = root.descendant_for_byte_range(i, i + w.len() - 1) else { continue };
        let Some(call) = query::ancestors(name, 3).find(|a| a.kind_name() == "call_expression") else { continue };
        let func = call.field("function").map(|f| query::text(f, src)).unwrap_or("");
        if func != "registerAs" && !func.ends_with(".registerAs") {
            continue;
        }
        let args = call.field("arguments").map(named).unwrap_or_default();
        let [ns, factory] = args.as_slice() else { continue };
        let Some(ns) = string_value(*ns, src).filter(|n| !n.is_empty() && !n.contains(['{', '}'])) else { continue };
        let Some(object) = returned_object(*factory, src) else { continue };
        leaves(&format!("{NEST_CONFIG}{ns}"), object, src, 0, facts);
    }
}

/// The object literal a factory returns: `() => ({ … })`, `() => { return { … } }`,
/// `function () { return { … } }`.
fn returned_object<'t>(f: Node<'t>, src: &[u8]) -> Option<Node<'t>> {
    if !matches!(f.kind_name(), "arrow_function" | "function_expression") {
        return None;
    }
    let body = f.field("body")?;
    let value = match body.kind_name() {
        "statement_block" => {
            let ret = named(body).into_iter().rev().find(|s| s.kind_name() == "return_statement")?;
            ret.named_child(0)?
        }
        _ => body,
    };
    let value = unwrap(value);
    let _ = src;
    (value.kind_name() == "object").then_some(value)
}

/// `(x)`, `x as T`, `x satisfies T`: `x`.
fn unwrap(mut n: Node) -> Node {
    while matches!(n.kind_name(), "parenthesized_expression" | "as_expression" | "satisfies_expression") {
        match n.named_child(0) {
            Some(c) => n = c,
            None => break,
        }
    }
    n
}

fn leaves(prefix: &str, object: Node, src: &[u8], depth: usize, facts: &mut ArchFacts) {
    for p in named(object) {
        if p.kind_name() != "pair" {
            continue;
        }
        let Some(key) = p.field("key") else { continue };
        let key = match key.kind_name() {
            "property_identifier" => query::text(key, src).to_string(),
            "string" => match string_value(key, src) {
                Some(k) => k,
                None => continue,
            },
            _ => continue,
        };
        if key.is_empty() || key.contains('.') {
            continue;
        }
        let Some(value) = p.field("value").map(unwrap) else { continue };
        let name = format!("{prefix}.{key}");
        if value.kind_name() == "object" {
            if depth < 6 {
                leaves(&name, value, src, depth + 1, facts);
            }
            continue;
        }
        let t = template(value, src);
        if t.iter().any(|x| matches!(x, Part::Lit(_) | Part::Env(..) | Part::IfEnv(..))) {
            facts.consts.push(RawConst { name, value: t, line: query::line(p) });
        }
    }
}

/// A method of a class, by name, with its parameters' names.
struct Method<'t> {
    node: Node<'t>,
    name: String,
    params: Vec<String>,
}

fn methods<'t>(members: &Members<'t>, src: &[u8]) -> Vec<Method<'t>> {
    members
        .methods
        .iter()
        .filter_map(|m| {
            let name = query::text(m.field("name")?, src).to_string();
            let params = param_names(*m, src);
            Some(Method { node: *m, name, params })
        })
        .collect()
}

/// The call expressions of a function's body, not those of functions inside it.
fn calls_in(body: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        if n.id() != body.id() && FUNCTIONS.contains(&n.kind_name()) {
            continue;
        }
        if n.kind_name() == "call_expression" {
            out.push(n);
        }
        stack.extend(named(n));
    }
    out.sort_by_key(|n| n.start_byte());
    out
}

/// `this.name` as a member expression: `name`.
fn this_member<'s>(n: Node, src: &'s [u8]) -> Option<&'s str> {
    if n.kind_name() != "member_expression" || n.field("object")?.kind_name() != "this" {
        return None;
    }
    Some(query::text(n.field("property")?, src))
}

/// Receivers that are HTTP clients whose `request(config)` sends a config object (last
/// name of the receiver; sorted).
const CONFIG_CLIENTS: &[&str] = &["axios", "http", "httpClient", "httpService"];

/// What a call hands its first argument to, in a class whose sinks so far are `sinks`
/// (method names) and whose breakers are `breakers` (field names whose `fire` runs a
/// sink): `Some(client)` when the call sends the config (`this.httpService.request(c)`,
/// `this.execute(c)`, `this.breaker.fire(c)`).
fn sends<'a>(
    call: Node,
    src: &[u8],
    sinks: &'a [(String, String)],
    breakers: &'a [(String, String)],
) -> Option<String> {
    let f = call.field("function")?;
    if f.kind_name() != "member_expression" {
        return None;
    }
    let method = query::text(f.field("property")?, src);
    let object = f.field("object")?;
    if object.kind_name() == "this" {
        return sinks.iter().find(|(m, _)| m == method).map(|(_, c)| c.clone());
    }
    if method == "fire" {
        let field = this_member(object, src)?;
        return breakers.iter().find(|(b, _)| b == field).map(|(_, c)| c.clone());
    }
    let receiver = query::text(object, src);
    let last = receiver.rsplit('.').next().unwrap_or(receiver);
    (method == "request" && CONFIG_CLIENTS.binary_search(&last).is_ok()).then(|| receiver.to_string())
}

/// The fields of a class holding a circuit breaker whose action is a sink method:
/// `this.breaker = new CircuitBreaker((c) => this.executeRequest(c), opts)` (or
/// `this.executeRequest.bind(this)`, `this.executeRequest`), in the constructor or as a
/// field's initializer; (field, client).
fn breakers(class_body: Node, src: &[u8], sinks: &[(String, String)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![class_body];
    while let Some(n) = stack.pop() {
        stack.extend(named(n));
        if n.kind_name() != "new_expression" {
            continue;
        }
        let ctor = n.field("constructor").map(|c| query::text(c, src)).unwrap_or("");
        if !ctor.rsplit('.').next().unwrap_or(ctor).contains("Breaker") {
            continue;
        }
        let Some(action) = n.field("arguments").and_then(|a| a.named_child(0)) else { continue };
        let sink = match action.kind_name() {
            "arrow_function" | "function_expression" => {
                let body = action.field("body");
                let call = body.map(unwrap).filter(|b| b.kind_name() == "call_expression").or_else(|| {
                    let b = body.filter(|b| b.kind_name() == "statement_block")?;
                    let r = named(b).into_iter().find(|s| s.kind_name() == "return_statement")?;
                    r.named_child(0).map(unwrap).filter(|c| c.kind_name() == "call_expression")
                });
                call.and_then(|c| c.field("function")).and_then(|f| this_member(f, src))
            }
            "member_expression" => this_member(action, src),
            "call_expression" => {
                // `this.executeRequest.bind(this)`
                let f = action.field("function").filter(|f| f.kind_name() == "member_expression");
                f.filter(|f| f.field("property").is_some_and(|p| query::text(p, src) == "bind"))
                    .and_then(|f| f.field("object"))
                    .and_then(|o| this_member(o, src))
            }
            _ => None,
        };
        let Some((_, client)) = sink.and_then(|s| sinks.iter().find(|(m, _)| m == s)) else { continue };
        // Where it is kept: `this.breaker = new …`, or `private breaker = new …`.
        let holder = n.parent().and_then(|p| match p.kind_name() {
            "assignment_expression" => p.field("left").and_then(|l| this_member(l, src)).map(str::to_string),
            "public_field_definition" | "field_definition" => {
                p.field("name").or_else(|| p.field("property")).map(|k| query::text(k, src).to_string())
            }
            _ => None,
        });
        if let Some(h) = holder {
            out.push((h, client.clone()));
        }
    }
    out
}

/// The request wrappers of the file's `@Injectable()` classes that build a request config
/// from their parameters and send it through the class's own methods (see the module's
/// documentation).
pub fn request_config_wrappers(root: Node, src: &[u8], facts: &mut ArchFacts) {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match n.kind_name() {
            "program" | "export_statement" => stack.extend(named(n)),
            k if CLASSES.contains(&k) && super::ts_nest::injectable(n, src) => class_wrappers(n, src, facts),
            _ => {}
        }
    }
}

fn class_wrappers(class: Node, src: &[u8], facts: &mut ArchFacts) {
    let (Some(body), Some(class_name)) = (class.field("body"), class.field("name")) else { return };
    let class_name = query::text(class_name, src);
    let members = Members::of(body, src);
    let methods = methods(&members, src);
    // Sinks: methods sending their parameter as a config (the first one only: `execute(config)`).
    let mut sinks: Vec<(String, String)> = Vec::new();
    let mut breaker_fields: Vec<(String, String)> = Vec::new();
    for _ in 0..4 {
        let before = sinks.len() + breaker_fields.len();
        for m in &methods {
            if sinks.iter().any(|(s, _)| *s == m.name) {
                continue;
            }
            let Some(first) = m.params.first().filter(|p| !p.is_empty()) else { continue };
            let Some(fbody) = m.node.field("body") else { continue };
            let sent = calls_in(fbody).into_iter().find_map(|c| {
                let arg = c.field("arguments").and_then(|a| a.named_child(0))?;
                if arg.kind_name() != "identifier" || query::text(arg, src) != first {
                    return None;
                }
                sends(c, src, &sinks, &breaker_fields)
            });
            if let Some(client) = sent {
                sinks.push((m.name.clone(), client));
            }
        }
        for b in breakers(body, src, &sinks) {
            if !breaker_fields.contains(&b) {
                breaker_fields.push(b);
            }
        }
        if sinks.len() + breaker_fields.len() == before {
            break;
        }
    }
    if sinks.is_empty() {
        return;
    }
    // Wrappers: methods handing a sink a config object whose `url` is one of their parameters.
    for m in &methods {
        if sinks.iter().any(|(s, _)| *s == m.name) {
            continue;
        }
        let Some(fbody) = m.node.field("body") else { continue };
        let mut found: Option<(usize, RawCall, Option<usize>)> = None;
        let mut several = false;
        for c in calls_in(fbody) {
            let Some(arg) = c.field("arguments").and_then(|a| a.named_child(0)) else { continue };
            let Some(client) = sends(c, src, &sinks, &breaker_fields) else { continue };
            let object = match arg.kind_name() {
                "object" => Some(arg),
                "identifier" => match local_value(None, arg, src) {
                    Some(Some(v)) => Some(unwrap(v)).filter(|v| v.kind_name() == "object"),
                    _ => None,
                },
                _ => None,
            };
            let Some(object) = object else { continue };
            let Some(url) = prop(object, "url", src) else { continue };
            let url_name = query::text(url, src);
            if !matches!(url.kind_name(), "identifier" | "shorthand_property_identifier") {
                continue;
            }
            let Some(param) = m.params.iter().position(|p| p == url_name) else { continue };
            // A parameter the method assigns is no longer what the caller passed.
            if local_value(None, url, src).is_some() {
                continue;
            }
            let (method, method_arg) = match prop(object, "method", src) {
                None => ("GET".to_string(), None),
                Some(v) => match string_value(v, src).and_then(|s| super::arch::http_method(&s)) {
                    Some(s) => (s, None),
                    None => {
                        let name = query::text(v, src);
                        match m.params.iter().position(|p| p == name) {
                            Some(i) if matches!(v.kind_name(), "identifier" | "shorthand_property_identifier") => {
                                ("GET".to_string(), Some(i))
                            }
                            _ => ("ANY".to_string(), None),
                        }
                    }
                },
            };
            if found.is_some() {
                several = true;
            }
            let call = RawCall { client, method, url: vec![Part::Ref(url_name.to_string())], line: query::line(c) };
            found = Some((param, call, method_arg));
        }
        let Some((param, call, method_arg)) = found.filter(|_| !several) else { continue };
        facts.wrappers.push(RawWrapper {
            name: format!("{class_name}.prototype.{}", m.name),
            param,
            call,
            method_param: None,
            method_arg,
            at: 0,
            key: None,
            params: Vec::new(),
            choice: None,
            forwards: None,
            joined: false,
        });
    }
}

/// The template of an argument, the locals of the function around it that it names (each
/// given one value before the call) read as their values, a few levels deep:
/// `` `${usersUrl}/users/${id}` `` with `const usersUrl = this.configService.get('gateway.services.users')`.
pub fn arg_template<'t>(root: Node<'t>, a: Node<'t>, src: &[u8]) -> Template {
    with_locals(root, a, src, 0)
}

fn with_locals<'t>(root: Node<'t>, a: Node<'t>, src: &[u8], depth: usize) -> Template {
    let a = unwrap(a);
    match a.kind_name() {
        "identifier" if depth < 4 => match outer_local(root, a, src) {
            Some(v) => with_locals(root, v, src, depth + 1),
            None => template(a, src),
        },
        "template_string" if depth < 4 => {
            let mut out = Template::new();
            for c in named(a) {
                match c.kind_name() {
                    "template_substitution" => {
                        let e = c.named_child(0).unwrap_or(c);
                        super::arch::push_parts(&mut out, with_locals(root, e, src, depth + 1));
                    }
                    _ => super::arch::push_parts(&mut out, vec![Part::Lit(query::text(c, src).to_string())]),
                }
            }
            out
        }
        "binary_expression" if depth < 4 && a.field("operator").is_some_and(|o| query::text(o, src) == "+") => {
            let mut out = a.field("left").map(|l| with_locals(root, l, src, depth + 1)).unwrap_or_default();
            let right = a.field("right").map(|r| with_locals(root, r, src, depth + 1)).unwrap_or_default();
            super::arch::push_parts(&mut out, right);
            out
        }
        _ => template(a, src),
    }
}

/// The one value a local of the functions around `arg` gets before it (`local_value`),
/// looked for in the innermost function first, then outwards (a callback inside the method
/// declaring it: `items.map(async (item) => this.http.get(`${productUrl}/p/${item.id}`))`),
/// up to a function taking the name as a parameter. Assigned more than once, or in a function
/// between: none.
fn outer_local<'t>(root: Node<'t>, arg: Node<'t>, src: &[u8]) -> Option<Node<'t>> {
    let name = query::text(arg, src);
    // One descent from the root (`Node::parent` walks down from the root at each call).
    for func in query::ancestors_below(root, arg, 64).into_iter().filter(|a| FUNCTIONS.contains(&a.kind_name())) {
        let params = match func.field("parameter") {
            // Parameters whose text lacks the name do not declare it.
            _ if !func
                .field("parameters")
                .or(func.field("parameter"))
                .is_some_and(|p| query::text(p, src).contains(name)) =>
            {
                Vec::new()
            }
            Some(p) => vec![p],
            None => func.field("parameters").map(named).unwrap_or_default(),
        };
        if params.iter().any(|p| param_ident(*p).is_some_and(|i| query::text(i, src) == name)) {
            return None;
        }
        let body = func.field("body")?;
        // Most arguments are never assigned in the function: its text says so without
        // walking every node of its body (0.2 G instructions on eclipse-theia's DI calls).
        if !may_assign(&src[body.byte_range()], name) {
            continue;
        }
        let mut values = Vec::new();
        let mut stack = vec![body];
        while let Some(n) = stack.pop() {
            if n.id() != body.id() && FUNCTIONS.contains(&n.kind_name()) {
                // A function between may assign it too: look for that by text.
                if query::text(n, src).contains(name) && !n.byte_range().contains(&arg.start_byte()) {
                    let mut inner = vec![n];
                    while let Some(k) = inner.pop() {
                        if super::ts_arch::assigns(k, name, src).is_some() {
                            return None;
                        }
                        inner.extend(named(k));
                    }
                }
                continue;
            }
            if let Some(v) = super::ts_arch::assigns(n, name, src) {
                values.push((n, v));
            }
            stack.extend(named(n));
        }
        match values.as_slice() {
            [] => continue,
            [(n, Some(v))] if n.start_byte() < arg.start_byte() => return Some(*v),
            _ => return None,
        }
    }
    None
}

/// The injected calls `found` made in a method of the class around them that hands that
/// method's own parameters on (`private forward(baseUrl, req) { return
/// this.httpClient.forwardRequest(`${baseUrl}${req.url}`, req) }`): made instead at each
/// `this.forward(…)` of the class, the parameter the caller's argument there (a member of
/// a parameter, `req.url`, a value known only at run time). A method no call of its class
/// reaches keeps its call.
pub fn through_own_methods(root: Node, src: &[u8], found: Vec<(Node, RawArgCall)>) -> Vec<RawArgCall> {
    let mut out = Vec::new();
    for (call, a) in found {
        match own_callers(root, call, &a, src) {
            Some(expanded) if !expanded.is_empty() => out.extend(expanded),
            _ => out.push(a),
        }
    }
    out
}

fn own_callers(root: Node, call: Node, a: &RawArgCall, src: &[u8]) -> Option<Vec<RawArgCall>> {
    // One descent from the root (`Node::parent` walks down from the root at each call).
    let method = query::ancestors_below(root, call, 64).into_iter().find(|n| FUNCTIONS.contains(&n.kind_name()))?;
    if method.kind_name() != "method_definition" {
        return None;
    }
    let name = query::text(method.field("name")?, src);
    let params = param_names(method, src);
    let uses =
        |t: &Template| t.iter().any(|p| matches!(p, Part::Ref(r) if params.iter().any(|q| !q.is_empty() && (r == q))));
    if !a.args.iter().any(uses) {
        return None;
    }
    let body = method.parent().filter(|b| b.kind_name() == "class_body")?;
    let needle = format!("this.{name}(");
    let text = query::text(body, src);
    let mut out = Vec::new();
    for (i, _) in text.match_indices(&needle) {
        let at = body.start_byte() + i;
        let Some(member) = body.descendant_for_byte_range(at, at + needle.len() - 2) else { continue };
        let Some(c) = query::ancestors(member, 3).find(|n| n.kind_name() == "call_expression") else { continue };
        if c.field("function").is_none_or(|f| f.start_byte() != at || f.end_byte() != at + needle.len() - 1) {
            continue;
        }
        // A call from the method itself (recursion) is none of its callers'.
        if method.start_byte() <= c.start_byte() && c.end_byte() <= method.end_byte() {
            continue;
        }
        let given: Vec<Node> = c.field("arguments").map(named).unwrap_or_default();
        let args = a
            .args
            .iter()
            .map(|t| {
                let mut out = Template::new();
                for p in t {
                    let part = match p {
                        Part::Ref(r) => match params.iter().position(|q| q == r) {
                            Some(k) => match given.get(k) {
                                Some(g) => arg_template(root, *g, src),
                                None => vec![Part::Param(r.clone())],
                            },
                            // `req.url` of a parameter `req`: a value known only at run time.
                            None => match r.split_once('.') {
                                Some((head, _)) if params.iter().any(|q| q == head) => {
                                    vec![Part::Param(r.rsplit('.').next().unwrap_or(r).to_string())]
                                }
                                _ => vec![p.clone()],
                            },
                        },
                        other => vec![other.clone()],
                    };
                    super::arch::push_parts(&mut out, part);
                }
                out
            })
            .collect();
        out.push(RawArgCall {
            callee: a.callee.clone(),
            args,
            kwargs: a.kwargs.clone(),
            methods: a.methods.clone(),
            props: a.props.clone(),
            line: query::line(c),
        });
    }
    Some(out)
}

/// Packages whose export is a Redis store for Nest's `CacheModule` / cache-manager (sorted).
const REDIS_CACHE_STORES: &[&str] = &[
    "@keyv/redis",
    "@tirke/node-cache-manager-ioredis",
    "cache-manager-ioredis",
    "cache-manager-ioredis-yet",
    "cache-manager-redis-store",
    "cache-manager-redis-yet",
];

/// Whether a file may configure a Redis cache store.
pub fn mentions_redis_store(words: &Words) -> bool {
    words.has(W::redis)
}

/// A cache store of a Redis package made or handed on in the module
/// (`import { createKeyv } from '@keyv/redis'` then `stores: [createKeyv({ url })]`,
/// `store: redisStore` of `cache-manager-redis-store`): the service caches in Redis, a read
/// and a write of the `redis` datastore at each such use.
pub fn redis_cache_stores(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let mut locals: Vec<String> = Vec::new();
    for imp in named(root).into_iter().filter(|n| n.kind_name() == "import_statement") {
        let Some(source) = imp.field("source").and_then(|s| string_value(s, src)) else { continue };
        if REDIS_CACHE_STORES.binary_search(&source.as_str()).is_err() {
            continue;
        }
        let mut stack = vec![imp];
        while let Some(n) = stack.pop() {
            match n.kind_name() {
                "import_specifier" => {
                    if let Some(l) = n.field("alias").or_else(|| n.field("name")) {
                        locals.push(query::text(l, src).to_string());
                    }
                }
                "import_clause" | "named_imports" => {
                    for c in named(n) {
                        if c.kind_name() == "identifier" {
                            locals.push(query::text(c, src).to_string());
                        } else {
                            stack.push(c);
                        }
                    }
                }
                "namespace_import" => {
                    if let Some(c) = named(n).into_iter().find(|c| c.kind_name() == "identifier") {
                        locals.push(query::text(c, src).to_string());
                    }
                }
                _ => stack.extend(named(n)),
            }
        }
    }
    for local in &locals {
        for (i, _) in text.match_indices(local.as_str()) {
            let Some(id) = root.descendant_for_byte_range(i, i + local.len()) else { continue };
            if id.kind_name() != "identifier" || id.start_byte() != i || id.end_byte() != i + local.len() {
                continue;
            }
            let Some(p) = id.parent() else { continue };
            // A call or construction of it (`createKeyv(…)`, `new KeyvRedis(…)`), or the value
            // handed to a store option (`store: redisStore`).
            let used = match p.kind_name() {
                "call_expression" | "new_expression" => {
                    p.field("function").or_else(|| p.field("constructor")).is_some_and(|f| f.id() == id.id())
                }
                "pair" => p.field("value").is_some_and(|v| v.id() == id.id()),
                _ => false,
            };
            if !used {
                continue;
            }
            let line = query::line(id);
            for access in [crate::model::Access::Read, crate::model::Access::Write] {
                facts.table_uses.push(crate::model::RawTableUse {
                    name: "redis".into(),
                    via_class: false,
                    access,
                    store: "redis".into(),
                    line,
                });
            }
        }
    }
}

/// The names of a method's parameters in order (`""` for a pattern or a `this` parameter).
fn param_names(method: Node, src: &[u8]) -> Vec<String> {
    method
        .field("parameters")
        .map(named)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.kind_name() != "comment")
        .map(|p| param_ident(p).map(|i| query::text(i, src).to_string()).unwrap_or_default())
        .collect()
}

/// Whether `text` may declare or assign `name` ([`super::ts_arch::assigns`]'s shapes): an
/// occurrence of the word followed by `=` (not `==`, `=>`), by a type annotation (`:`,
/// `!:`), or after `let`/`const`/`var` (`let name;`). Never false when one is there.
fn may_assign(text: &[u8], name: &str) -> bool {
    use super::arch::is_ident;
    let n = name.as_bytes();
    memchr::memmem::find_iter(text, n).any(|at| {
        let end = at + n.len();
        if at > 0 && (is_ident(text[at - 1]) || text[at - 1] == b'.') || text.get(end).is_some_and(|b| is_ident(*b)) {
            return false;
        }
        let rest = &text[end..];
        let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        let before = text[..at].trim_ascii_end();
        match rest {
            [b'=', b'=' | b'>', ..] => false,
            [b'=' | b':', ..] | [b'!', b':', ..] => true,
            _ => [&b"let"[..], b"const", b"var"].iter().any(|k| {
                before.ends_with(k) && before.len().checked_sub(k.len() + 1).is_none_or(|i| !is_ident(before[i]))
            }),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::may_assign;

    #[test]
    fn may_assign_finds_every_assigning_shape() {
        for text in [
            "const url = a;",
            "let url: string = a;",
            "url = b",
            "let url;",
            "let x!: T; let url!: string;",
            "var  url\n;",
        ] {
            assert!(may_assign(text.as_bytes(), "url"), "{text}");
        }
        for text in
            ["f(url)", "if (url == b) {}", "urls = 1; my_url = 2; this.url = 3", "const f = (url) => url", "x.url = 1"]
        {
            assert!(!may_assign(text.as_bytes(), "url"), "{text}");
        }
    }
}
