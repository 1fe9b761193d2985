//! Endpoints of Python servers that route by hand, with no framework (issue #3): a
//! module-level ASGI app `async def app(scope, receive, send)` comparing `scope["path"]`,
//! a WSGI `def application(environ, start_response)` comparing `environ["PATH_INFO"]`, and
//! `http.server.BaseHTTPRequestHandler` subclasses whose `do_GET`/`do_POST` compare
//! `self.path`.
//!
//! Only a literal path compared for equality with the request's path is a route:
//! `match path: case "/x"`, `if path == "/x"`/`elif`, `path in ("/a", "/b")`. A prefix
//! (`startswith`), a regex or a negated test says no path, so none is reported. The
//! method is the one the same branch compares the request's method with (its condition,
//! else its body: `if scope["method"] != "POST": return 405`), the handler's own
//! (`do_POST`), else `ANY`.

use super::query::FieldExt;
use tree_sitter::Node;

use super::arch::http_method;
use super::py_arch::{named, string_value};
use super::query;
use crate::model::ArchFacts;

/// Whether a file may hold such a server: cheap words looked for before any walk.
pub fn mentions(text: &str) -> bool {
    (text.contains("receive") && text.contains("scope"))
        || text.contains("start_response")
        || text.contains("BaseHTTPRequestHandler")
}

/// Where one handler reads the request's path and method from.
struct Request<'s> {
    src: &'s [u8],
    /// The request parameter: `scope`, `environ`, or `self` for a request handler class.
    param: String,
    /// The key of the path and of the method in the parameter (`path`/`method` for ASGI,
    /// `PATH_INFO`/`REQUEST_METHOD` for WSGI); none for `self.path`.
    keys: Option<(&'static str, &'static str)>,
    /// Locals holding the path, a `urlparse` result of it, the method.
    paths: Vec<String>,
    parsed: Vec<String>,
    methods: Vec<String>,
}

/// Routes of the file's hand-routed servers.
pub fn routes(root: Node, src: &[u8], facts: &mut ArchFacts) {
    for item in named(root) {
        let item =
            if item.kind_name() == "decorated_definition" { item.field("definition").unwrap_or(item) } else { item };
        match item.kind_name() {
            "function_definition" => function(item, src, facts),
            "class_definition" if handler_class(item, src) => {
                let Some(body) = item.field("body") else { continue };
                let class = query::text(item.field("name").unwrap_or(item), src);
                for m in named(body) {
                    let m =
                        if m.kind_name() == "decorated_definition" { m.field("definition").unwrap_or(m) } else { m };
                    let name = m.field("name").map_or("", |n| query::text(n, src));
                    let method = name.strip_prefix("do_").and_then(http_method).filter(|m| m != "ANY");
                    if let (Some(method), Some(body)) = (method, m.field("body")) {
                        let req = Request::new(src, "self".into(), None, body);
                        let router = format!("http.server:{class}");
                        req.branches(body, &mut |path, line, _| {
                            super::arch::raw_route(facts, "http.server", &router, vec![method.clone()], path, line);
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

/// A module-level ASGI (`scope, receive, send`) or WSGI (`environ, start_response`) app.
fn function(f: Node, src: &[u8], facts: &mut ArchFacts) {
    let (Some(params), Some(body)) = (f.field("parameters"), f.field("body")) else {
        return;
    };
    let names: Vec<&str> = named(params).into_iter().map(|p| param_name(p, src)).collect();
    let (framework, keys) = match names.as_slice() {
        [_, "receive", "send"] => ("asgi", ("path", "method")),
        [_, "start_response"] => ("wsgi", ("PATH_INFO", "REQUEST_METHOD")),
        _ => return,
    };
    let name = query::text(f.field("name").unwrap_or(f), src);
    let router = format!("{framework}:{name}");
    let req = Request::new(src, names[0].to_string(), Some(keys), body);
    req.branches(body, &mut |path, line, methods| {
        super::arch::raw_route(facts, framework, &router, methods, path, line)
    });
}

/// The name a parameter binds (`scope`, `scope: Scope`, `environ=None`).
fn param_name<'s>(p: Node, src: &'s [u8]) -> &'s str {
    match p.kind_name() {
        "identifier" => query::text(p, src),
        "typed_parameter" => named(p).first().map_or("", |n| query::text(*n, src)),
        "default_parameter" | "typed_default_parameter" => p.field("name").map_or("", |n| query::text(n, src)),
        _ => "",
    }
}

/// A class deriving from `BaseHTTPRequestHandler` (or `http.server.…`, `SimpleHTTPRequestHandler`).
fn handler_class(class: Node, src: &[u8]) -> bool {
    class.field("superclasses").is_some_and(|s| {
        named(s).into_iter().any(|b| {
            let t = query::text(b, src);
            let last = t.rsplit('.').next().unwrap_or(t);
            last == "BaseHTTPRequestHandler" || last == "SimpleHTTPRequestHandler"
        })
    })
}

/// The string items of a tuple, list or set of literals.
fn strings<'t>(n: Node<'t>) -> Option<Vec<Node<'t>>> {
    let n = if n.kind_name() == "parenthesized_expression" { *named(n).first()? } else { n };
    match n.kind_name() {
        "tuple" | "list" | "set" => {
            let items = named(n);
            items.iter().all(|i| i.kind_name() == "string").then_some(items)
        }
        "string" => Some(vec![n]),
        _ => None,
    }
}

impl<'s> Request<'s> {
    fn new(src: &'s [u8], param: String, keys: Option<(&'static str, &'static str)>, body: Node) -> Self {
        let mut req = Request { src, param, keys, paths: Vec::new(), parsed: Vec::new(), methods: Vec::new() };
        // Locals in source order: `path = scope["path"]`, `url = urlparse(self.path)`.
        walk(body, &mut |n| {
            if n.kind_name() != "assignment" {
                return;
            }
            let (Some(left), Some(right)) = (n.field("left"), n.field("right")) else {
                return;
            };
            if left.kind_name() != "identifier" {
                return;
            }
            let name = query::text(left, src).to_string();
            if req.is_path(right) {
                req.paths.push(name);
            } else if req.is_method(right) {
                req.methods.push(name);
            } else if req.parses_path(right) {
                req.parsed.push(name);
            }
        });
        req
    }

    /// `scope["path"]`/`scope.get("path")` of the parameter for `key`.
    fn is_key(&self, n: Node, key: &str) -> bool {
        let (obj, arg) = match n.kind_name() {
            "subscript" => (n.field("value"), n.field("subscript")),
            "call" => {
                let f = n.field("function").filter(|f| f.kind_name() == "attribute");
                let get = f.filter(|f| f.field("attribute").is_some_and(|a| self.text(a) == "get"));
                let first = n.field("arguments").and_then(|a| named(a).first().copied());
                (get.and_then(|f| f.field("object")), first)
            }
            _ => return false,
        };
        obj.is_some_and(|o| o.kind_name() == "identifier" && self.text(o) == self.param)
            && arg.and_then(|a| string_value(a, self.src)).is_some_and(|s| s == key)
    }

    fn text(&self, n: Node) -> &'s str {
        query::text(n, self.src)
    }

    /// An expression giving the request's path.
    fn is_path(&self, n: Node) -> bool {
        match n.kind_name() {
            "parenthesized_expression" => named(n).first().is_some_and(|i| self.is_path(*i)),
            "identifier" => self.paths.iter().any(|p| p == self.text(n)),
            "attribute" => {
                let (Some(obj), Some(attr)) = (n.field("object"), n.field("attribute")) else {
                    return false;
                };
                self.text(attr) == "path"
                    && ((self.keys.is_none() && obj.kind_name() == "identifier" && self.text(obj) == self.param)
                        || self.parses_path(obj)
                        || (obj.kind_name() == "identifier" && self.parsed.iter().any(|p| p == self.text(obj))))
            }
            // `self.path.split("?")[0]`: the path without its query.
            "subscript" if n.field("subscript").is_some_and(|s| self.text(s) == "0") => {
                let value = n.field("value").filter(|v| v.kind_name() == "call");
                let split = value.and_then(|v| v.field("function")).filter(|f| {
                    f.kind_name() == "attribute" && f.field("attribute").is_some_and(|a| self.text(a) == "split")
                });
                split.and_then(|f| f.field("object")).is_some_and(|o| self.is_path(o))
            }
            _ => self.keys.is_some_and(|(path, _)| self.is_key(n, path)),
        }
    }

    /// `urlparse(path)` / `urllib.parse.urlsplit(path)`.
    fn parses_path(&self, n: Node) -> bool {
        n.kind_name() == "call"
            && n.field("function").is_some_and(|f| {
                let t = self.text(f);
                matches!(t.rsplit('.').next(), Some("urlparse" | "urlsplit"))
            })
            && n.field("arguments").and_then(|a| named(a).first().copied()).is_some_and(|a| self.is_path(a))
    }

    /// An expression giving the request's method.
    fn is_method(&self, n: Node) -> bool {
        match n.kind_name() {
            "identifier" => self.methods.iter().any(|m| m == self.text(n)),
            "attribute" => self.keys.is_none() && self.text(n) == "self.command",
            _ => self.keys.is_some_and(|(_, method)| self.is_key(n, method)),
        }
    }

    /// Each literal path a branch of `body` answers, with its line and the methods it tests.
    fn branches(&self, body: Node, emit: &mut dyn FnMut(String, u32, Vec<String>)) {
        walk(body, &mut |n| match n.kind_name() {
            "match_statement" => {
                if !n.field("subject").is_some_and(|s| self.is_path(s)) {
                    return;
                }
                let Some(block) = n.field("body") else { return };
                for clause in named(block).into_iter().filter(|c| c.kind_name() == "case_clause") {
                    let mut paths = Vec::new();
                    let literal = named(clause)
                        .into_iter()
                        .filter(|c| c.kind_name() == "case_pattern")
                        .all(|p| case_strings(p, &mut paths));
                    if !literal {
                        continue;
                    }
                    let methods = clause.field("consequence").map(|c| self.tested_methods(c));
                    for p in paths {
                        self.emit_path(p, methods.clone().unwrap_or_default(), emit);
                    }
                }
            }
            "if_statement" | "elif_clause" => {
                let Some(cond) = n.field("condition") else { return };
                let (mut paths, mut methods) = (Vec::new(), Vec::new());
                self.condition(cond, &mut paths, &mut methods);
                if paths.is_empty() {
                    return;
                }
                if methods.is_empty() {
                    methods = n.field("consequence").map(|c| self.tested_methods(c)).unwrap_or_default();
                }
                for p in paths {
                    self.emit_path(p, methods.clone(), emit);
                }
            }
            _ => {}
        });
    }

    fn emit_path(&self, s: Node, methods: Vec<String>, emit: &mut dyn FnMut(String, u32, Vec<String>)) {
        super::arch::raw_path(string_value(s, self.src), query::line(s), methods, emit);
    }

    /// The literal paths and methods an `and`/`or` condition compares the request's with.
    fn condition<'t>(&self, n: Node<'t>, paths: &mut Vec<Node<'t>>, methods: &mut Vec<String>) {
        match n.kind_name() {
            "boolean_operator" | "parenthesized_expression" => {
                for c in named(n) {
                    self.condition(c, paths, methods);
                }
            }
            "comparison_operator" => {
                let Some((a, op, b)) = comparison(n) else { return };
                if op == "==" || op == "in" {
                    let (target, values) = if op == "==" && a.kind_name() == "string" { (b, a) } else { (a, b) };
                    if self.is_path(target) {
                        paths.extend(strings(values).unwrap_or_default());
                    } else if self.is_method(target) {
                        methods.extend(self.method_names(values));
                    }
                }
            }
            _ => {}
        }
    }

    fn method_names(&self, values: Node) -> Vec<String> {
        let items = strings(values).unwrap_or_default();
        let names = items.into_iter().filter_map(|s| string_value(s, self.src));
        names.filter(|m| !m.eq_ignore_ascii_case("all")).filter_map(|m| http_method(&m)).collect()
    }

    /// The methods a branch's body compares the request's method with (`==`, `!=`, `in`).
    fn tested_methods(&self, body: Node) -> Vec<String> {
        let mut out = Vec::new();
        walk(body, &mut |n| {
            if let Some((a, _, b)) = comparison(n) {
                let (target, values) = if a.kind_name() == "string" { (b, a) } else { (a, b) };
                if self.is_method(target) {
                    out.extend(self.method_names(values));
                }
            }
        });
        out
    }
}

/// `a OP b` of a comparison with one operator.
fn comparison(n: Node) -> Option<(Node, String, Node)> {
    if n.kind_name() != "comparison_operator" {
        return None;
    }
    let operands = named(n);
    let [a, b] = operands.as_slice() else { return None };
    let mut c = n.walk();
    let op: Vec<&str> = n.children(&mut c).filter(|k| !k.is_named()).map(|k| k.kind_name()).collect();
    Some((*a, op.join(" "), *b))
}

/// The strings of a `case` pattern made only of string literals (`"/a" | "/b"`).
fn case_strings<'t>(p: Node<'t>, out: &mut Vec<Node<'t>>) -> bool {
    match p.kind_name() {
        "string" => {
            out.push(p);
            true
        }
        "case_pattern" | "union_pattern" => {
            let parts = named(p);
            !parts.is_empty() && parts.into_iter().all(|c| case_strings(c, out))
        }
        _ => false,
    }
}

/// Every node under `n` in source order, not entering nested functions or classes.
fn walk<'t>(n: Node<'t>, f: &mut dyn FnMut(Node<'t>)) {
    for c in named(n) {
        if matches!(c.kind_name(), "function_definition" | "class_definition" | "lambda") {
            continue;
        }
        f(c);
        walk(c, f);
    }
}
