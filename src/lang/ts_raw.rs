//! Endpoints of JS/TS servers that route by hand, with no framework (issue #3): the
//! handler given to Deno's `serve(handler)`/`Deno.serve(handler)`, Bun's
//! `Bun.serve({ fetch })` or Node's `http.createServer(handler)` compares the request's
//! path with literals: `switch (new URL(req.url).pathname) { case "/x": … }`,
//! `if (url.pathname === "/x")`, `req.url === "/x"`.
//!
//! Only a literal path compared for equality with the path read from the handler's own
//! request parameter is a route; `startsWith`, a regex or a negated test say no path, and
//! `pathname === "/x"` anywhere else (a React component's `usePathname()`) is no route.
//! The method is the one the same branch compares `req.method` with (its condition, else
//! its body), else `ANY`.
//!
//! A handler defined in the serving file is read there. A handler imported from another
//! module (`import { handler } from "./handler.ts"; serve(handler)`) cannot be known from
//! either file alone: every top-level function with such comparisons becomes a router of
//! framework [`CANDIDATE`], and the serving file mounts the name under [`SERVE`];
//! `resolve/routes.rs` keeps a candidate's routes only when a serve call reaches it.

use super::query::FieldExt;
use super::ts_words::{Words, W};
use memchr::memmem;
use tree_sitter::Node;

use super::arch::http_method;
use super::query;
use super::ts_arch::{named, param_ident, prop, string_value};
use crate::model::{ArchFacts, RawMount, RawRouter, Template};

/// The framework of a top-level function that routes by hand but that this file does
/// not serve: its routes count only when a [`SERVE`] mount elsewhere names it.
pub const CANDIDATE: &str = "raw-handler";

/// The parent of a mount naming an imported function that a serve call is given.
pub const SERVE: &str = "raw-serve";

/// The framework of routes of a handler this file serves.
const SERVED: &str = "raw-http";

/// Callees that run a server with a request handler (sorted).
const SERVERS: &[&str] =
    &["Bun.serve", "Deno.serve", "createServer", "http.createServer", "https.createServer", "serve"];

/// Whether a file may hold such a handler or serve one: cheap words looked for first.
pub fn mentions(words: &Words) -> bool {
    (words.has(W::dot_url) && words.any(&[W::dq_slash, W::sq_slash]))
        || words.has(W::serve_call)
        || words.has(W::createServer_call)
}

/// Routes of the file's hand-routed handlers, and mounts of the imported ones it serves.
pub fn routes(root: Node, src: &[u8], facts: &mut ArchFacts) {
    let tops = top_functions(root, src);
    let mut served: Vec<&str> = Vec::new();
    for call in serve_calls(root, src) {
        let line = query::line(call);
        for h in handlers(call, src) {
            if matches!(h.kind_name(), "arrow_function" | "function_expression" | "function" | "method_definition") {
                let router = format!("{SERVED}@{line}");
                read(h, src, &mut |path, l, methods| super::arch::raw_route(facts, SERVED, &router, methods, path, l));
            } else if h.kind_name() == "identifier" {
                let name = query::text(h, src);
                match tops.iter().find(|(n, _)| *n == name) {
                    Some((_, f)) => {
                        served.push(name);
                        let router = format!("{SERVED}:{name}");
                        read(*f, src, &mut |path, l, methods| {
                            super::arch::raw_route(facts, SERVED, &router, methods, path, l)
                        });
                    }
                    None => facts.mounts.push(RawMount {
                        parent: SERVE.into(),
                        child: name.into(),
                        prefix: Template::new(),
                        line,
                    }),
                }
            }
        }
    }
    for (name, f) in tops.iter().filter(|(n, _)| !served.contains(n)) {
        let before = facts.routes.len();
        read(*f, src, &mut |path, l, methods| super::arch::raw_route(facts, "", name, methods, path, l));
        if facts.routes.len() > before {
            facts.routers.push(RawRouter {
                name: (*name).into(),
                framework: CANDIDATE.into(),
                prefix: Template::new(),
                line: query::line(*f),
            });
        }
    }
}

/// Top-level functions (also exported ones): `function h(req)`, `const h = (req) => …`.
fn top_functions<'t>(root: Node<'t>, src: &'t [u8]) -> Vec<(&'t str, Node<'t>)> {
    let mut out = Vec::new();
    for item in named(root) {
        let item = if item.kind_name() == "export_statement" {
            match item.field("declaration") {
                Some(d) => d,
                None => continue,
            }
        } else {
            item
        };
        match item.kind_name() {
            "function_declaration" => {
                if let Some(n) = item.field("name") {
                    out.push((query::text(n, src), item));
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                for d in named(item).into_iter().filter(|d| d.kind_name() == "variable_declarator") {
                    let (Some(n), Some(v)) = (d.field("name"), d.field("value")) else {
                        continue;
                    };
                    if n.kind_name() == "identifier"
                        && matches!(v.kind_name(), "arrow_function" | "function_expression")
                    {
                        out.push((query::text(n, src), v));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Calls of [`SERVERS`]: found from the text's `serve(`/`createServer(`, then the tree.
fn serve_calls<'t>(root: Node<'t>, src: &[u8]) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    for word in [&b"serve("[..], b"createServer("] {
        for at in memmem::find_iter(src, word) {
            let end = at + word.len() - 1;
            let Some(call) = root.descendant_for_byte_range(at, end + 1).filter(|c| c.kind_name() == "call_expression")
            else {
                continue;
            };
            let callee = call.field("function").map_or("", |f| query::text(f, src));
            if SERVERS.binary_search(&callee).is_ok() && !out.contains(&call) {
                out.push(call);
            }
        }
    }
    out
}

/// The handlers a serve call is given: function or identifier arguments, and an options
/// object's `fetch` (Bun) or `handler` (Deno).
fn handlers<'t>(call: Node<'t>, src: &[u8]) -> Vec<Node<'t>> {
    let Some(args) = call.field("arguments") else { return Vec::new() };
    let mut out = Vec::new();
    for a in named(args) {
        match a.kind_name() {
            "identifier" | "arrow_function" | "function_expression" | "function" => out.push(a),
            "object" => {
                for key in ["fetch", "handler"] {
                    match prop(a, key, src) {
                        Some(v) => out.push(v),
                        None => out.extend(named(a).into_iter().filter(|m| {
                            m.kind_name() == "method_definition"
                                && m.field("name").is_some_and(|n| query::text(n, src) == key)
                        })),
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Where one handler reads the request's path and method from.
struct Request<'s> {
    src: &'s [u8],
    /// The request parameter.
    param: &'s str,
    /// Locals holding the path, a `URL` of the request's, the method.
    paths: Vec<&'s str>,
    urls: Vec<&'s str>,
    methods: Vec<&'s str>,
}

/// Each literal path the handler `f` compares its request's path with.
fn read(f: Node, src: &[u8], emit: &mut dyn FnMut(String, u32, Vec<String>)) {
    // Cheap: a function that never reads a `.url` has no request path.
    if memmem::find(&src[f.start_byte()..f.end_byte()], b".url").is_none() {
        return;
    }
    let params = f.field("parameters").or_else(|| f.field("parameter"));
    let first = params.and_then(|p| if p.kind_name() == "identifier" { Some(p) } else { named(p).first().copied() });
    let (Some(param), Some(body)) = (first.and_then(param_ident), f.field("body")) else {
        return;
    };
    let mut req =
        Request { src, param: query::text(param, src), paths: Vec::new(), urls: Vec::new(), methods: Vec::new() };
    walk(body, &mut |n| req.local(n));
    walk(body, &mut |n| req.branch(n, emit));
}

impl<'s> Request<'s> {
    fn text(&self, n: Node) -> &'s str {
        query::text(n, self.src)
    }

    /// `req.url`, `new URL(req.url).pathname`, `url.pathname`, a local holding one.
    fn is_path(&self, n: Node) -> bool {
        match n.kind_name() {
            "parenthesized_expression" => named(n).first().is_some_and(|i| self.is_path(*i)),
            "identifier" => self.paths.contains(&self.text(n)),
            "member_expression" => {
                let (Some(obj), Some(p)) = (n.field("object"), n.field("property")) else {
                    return false;
                };
                match self.text(p) {
                    "url" => obj.kind_name() == "identifier" && self.text(obj) == self.param,
                    "pathname" => self.is_url(obj),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// `new URL(req.url, base)` or a local holding one.
    fn is_url(&self, n: Node) -> bool {
        match n.kind_name() {
            "parenthesized_expression" => named(n).first().is_some_and(|i| self.is_url(*i)),
            "identifier" => self.urls.contains(&self.text(n)),
            "new_expression" => {
                n.field("constructor").is_some_and(|c| self.text(c) == "URL")
                    && n.field("arguments").and_then(|a| named(a).first().copied()).is_some_and(|a| self.is_path(a))
            }
            _ => false,
        }
    }

    fn is_method(&self, n: Node) -> bool {
        match n.kind_name() {
            "parenthesized_expression" => named(n).first().is_some_and(|i| self.is_method(*i)),
            "identifier" => self.methods.contains(&self.text(n)),
            "member_expression" => {
                n.field("object").is_some_and(|o| o.kind_name() == "identifier" && self.text(o) == self.param)
                    && n.field("property").is_some_and(|p| self.text(p) == "method")
            }
            _ => false,
        }
    }

    /// A declaration of a local from the request: `const url = new URL(req.url)`,
    /// `const { pathname } = new URL(req.url)`, `const { url, method } = req`.
    fn local(&mut self, n: Node) {
        if n.kind_name() != "variable_declarator" {
            return;
        }
        let (Some(name), Some(value)) = (n.field("name"), n.field("value")) else {
            return;
        };
        match name.kind_name() {
            "identifier" => {
                let local = self.text(name);
                if self.is_path(value) {
                    self.paths.push(local);
                } else if self.is_url(value) {
                    self.urls.push(local);
                } else if self.is_method(value) {
                    self.methods.push(local);
                }
            }
            "object_pattern" => {
                let from_req = value.kind_name() == "identifier" && self.text(value) == self.param;
                let from_url = self.is_url(value);
                for p in named(name).into_iter().filter(|p| p.kind_name() == "shorthand_property_identifier_pattern") {
                    match self.text(p) {
                        "url" if from_req => self.paths.push(self.text(p)),
                        "method" if from_req => self.methods.push(self.text(p)),
                        "pathname" if from_url => self.paths.push(self.text(p)),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    /// The routes of one `switch` on the path or one `if` comparing it.
    fn branch(&self, n: Node, emit: &mut dyn FnMut(String, u32, Vec<String>)) {
        match n.kind_name() {
            "switch_statement" => {
                if !n.field("value").is_some_and(|v| self.is_path(v)) {
                    return;
                }
                let Some(body) = n.field("body") else { return };
                // `case "/a": case "/b": …`: cases with no statements share the next one's.
                let mut pending: Vec<Node> = Vec::new();
                for case in named(body) {
                    let value = case.field("value");
                    if case.kind_name() == "switch_case" {
                        if let Some(v) = value.filter(|v| v.kind_name() == "string") {
                            pending.push(v);
                        }
                    }
                    let statements: Vec<Node> = named(case).into_iter().filter(|s| Some(*s) != value).collect();
                    if statements.is_empty() {
                        continue;
                    }
                    let mut methods = Vec::new();
                    for s in statements {
                        self.tested_methods(s, &mut methods);
                    }
                    for v in pending.drain(..) {
                        self.emit_path(v, methods.clone(), emit);
                    }
                }
            }
            "if_statement" => {
                let Some(cond) = n.field("condition") else { return };
                let (mut paths, mut methods) = (Vec::new(), Vec::new());
                self.condition(cond, &mut paths, &mut methods);
                if paths.is_empty() {
                    return;
                }
                if methods.is_empty() {
                    if let Some(c) = n.field("consequence") {
                        self.tested_methods(c, &mut methods);
                    }
                }
                for p in paths {
                    self.emit_path(p, methods.clone(), emit);
                }
            }
            _ => {}
        }
    }

    fn emit_path(&self, s: Node, methods: Vec<String>, emit: &mut dyn FnMut(String, u32, Vec<String>)) {
        super::arch::raw_path(string_value(s, self.src), query::line(s), methods, emit);
    }

    /// The literal paths and methods an `&&`/`||` condition compares the request's with.
    fn condition<'t>(&self, n: Node<'t>, paths: &mut Vec<Node<'t>>, methods: &mut Vec<String>) {
        match n.kind_name() {
            "parenthesized_expression" => {
                for c in named(n) {
                    self.condition(c, paths, methods);
                }
            }
            "binary_expression" => match operator(n, self.src) {
                "&&" | "||" => {
                    for c in named(n) {
                        self.condition(c, paths, methods);
                    }
                }
                "===" | "==" => {
                    let Some((target, value)) = compared(n) else { return };
                    if self.is_path(target) {
                        paths.push(value);
                    } else if self.is_method(target) {
                        methods.extend(method_name(value, self.src));
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }

    /// The methods a branch's body compares the request's method with
    /// (`===`, `!==`, a `switch (req.method)`'s cases).
    fn tested_methods(&self, body: Node, out: &mut Vec<String>) {
        let mut check = |n: Node| match n.kind_name() {
            "binary_expression" if matches!(operator(n, self.src), "===" | "==" | "!==" | "!=") => {
                if let Some((_, value)) = compared(n).filter(|(t, _)| self.is_method(*t)) {
                    out.extend(method_name(value, self.src));
                }
            }
            "switch_statement" if n.field("value").is_some_and(|v| self.is_method(v)) => {
                let cases = n.field("body").map(named).unwrap_or_default();
                let values = cases.into_iter().filter_map(|c| c.field("value"));
                out.extend(values.filter_map(|v| method_name(v, self.src)));
            }
            _ => {}
        };
        check(body);
        walk(body, &mut check);
    }
}

fn operator<'s>(n: Node, src: &'s [u8]) -> &'s str {
    n.field("operator").map_or("", |o| query::text(o, src))
}

/// The two sides of a comparison with a string literal: (the other side, the string).
fn compared(n: Node) -> Option<(Node, Node)> {
    let (l, r) = (n.field("left")?, n.field("right")?);
    match (l.kind_name(), r.kind_name()) {
        (_, "string") => Some((l, r)),
        ("string", _) => Some((r, l)),
        _ => None,
    }
}

fn method_name(s: Node, src: &[u8]) -> Option<String> {
    string_value(s, src).filter(|m| !m.eq_ignore_ascii_case("all")).and_then(|m| http_method(&m))
}

/// Every node under `n` in source order.
fn walk<'t>(n: Node<'t>, f: &mut dyn FnMut(Node<'t>)) {
    for c in named(n) {
        f(c);
        walk(c, f);
    }
}
