//! Redux Toolkit Query as an HTTP client: `createApi({ baseQuery: fetchBaseQuery({ baseUrl }),
//! endpoints: (builder) => ({ getTodos: builder.query({ query: () => '/todo' }) }) })`.
//!
//! Each endpoint's `query` is a request at its line: a string is a `GET` of that path, an
//! object `{ url, method }` (no `method`: `GET`, as `fetchBaseQuery` defaults it), joined to
//! the api's base URL at resolution (`resolve/rtk.rs`), as RTK's `joinUrls` joins them.
//! The base is read from the api's `baseQuery`: `fetchBaseQuery({ baseUrl })` in place, a
//! constant or function of the file holding one (`retry(…)` around it, a "re-auth" base query
//! calling `baseQuery(args, api, extraOptions)`), a factory called with the base
//! (`createBaseQueryWithAuth("http://localhost:5000/user/api")`, whose `fetchBaseQuery`'s
//! `baseUrl` is its parameter), or a name imported from another module
//! (`apiSlice.injectEndpoints({ endpoints })` of an api made there). What the file defines is
//! recorded by name (`RawRtkBase`) for the modules importing it.
//!
//! Shapes: <https://redux-toolkit.js.org/rtk-query/api/createApi>,
//! <https://redux-toolkit.js.org/rtk-query/api/fetchBaseQuery> (`joinUrls`),
//! <https://redux-toolkit.js.org/rtk-query/usage/customizing-queries> (re-auth base queries).

use super::query::FieldExt;
use super::ts_words::{Words, W};
use std::collections::BTreeMap;

use tree_sitter::Node;

use super::query;
use super::ts_arch::{named, param_ident, prop, returns, template, FUNCTIONS};
use crate::model::{ArchFacts, Part, RawRtkBase, RawRtkQuery, RtkBase, Template};

/// The builder's methods that define an endpoint with a `query` (sorted).
const BUILDERS: &[&str] = &["infiniteQuery", "mutation", "query"];

/// How deep names are followed within a file (a constant naming a function naming a constant…).
const DEPTH: u32 = 6;

/// Whether the file may hold RTK Query code: it mentions one of `aseQuery` (`fetchBaseQuery`,
/// a `baseQuery`, `BaseQueryFn`), `createApi` or `injectEndpoints`.
pub fn mentions(words: &Words) -> bool {
    words.any(&[W::aseQuery, W::createApi, W::injectEndpoints])
}

/// The file's RTK Query apis, base queries and endpoint requests. `relative` holds the
/// names the file imports from its own modules.
pub fn apis(root: Node, text: &str, relative: &[String], facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let reader = Reader { src, decls: declarations(root, src), relative };
    for (name, node) in &reader.decls {
        if let Some((params, base)) = reader.definition(*node, 0) {
            let line = query::line(*node);
            facts.rtk_bases.push(RawRtkBase { name: name.to_string(), params, base, line });
            if FUNCTIONS.contains(&node.kind_name()) {
                reader.literal_requests(*node, &mut facts.rtk_queries);
            }
        }
    }
    // `createApi(…)`, also with type arguments (`createApi<Schema>(…)`), and `api.injectEndpoints(…)`:
    // the callee's name, found by text, whose parent (or member's parent) is the call.
    for (word, inject) in [("createApi", false), ("injectEndpoints", true)] {
        for at in memchr::memmem::find_iter(src, word.as_bytes()) {
            let before = at.checked_sub(1).map(|i| src[i]);
            let ident = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$');
            if src.get(at + word.len()).is_some_and(|b| ident(*b))
                || inject != (before == Some(b'.'))
                || before.is_some_and(ident)
            {
                continue;
            }
            let Some(name) = root.descendant_for_byte_range(at, at + word.len()) else { continue };
            let callee = if inject { name.parent() } else { Some(name) };
            let call = callee.and_then(|f| Some((f, f.parent()?)));
            if let Some((_, call)) = call.filter(|(f, c)| {
                c.kind_name() == "call_expression" && c.field("function").is_some_and(|g| g.id() == f.id())
            }) {
                reader.api(call, inject, &mut facts.rtk_queries);
            }
        }
    }
}

/// The file's top-level names: a `const`/`let`/`var` by its value, a function declaration
/// by itself, `export default X` as `default`.
fn declarations<'t, 's>(root: Node<'t>, src: &'s [u8]) -> BTreeMap<&'s str, Node<'t>> {
    let mut out = BTreeMap::new();
    for top in named(root) {
        let decl = match top.kind_name() {
            "export_statement" => match (top.field("declaration"), top.field("value")) {
                (Some(d), _) => d,
                (None, Some(v)) => {
                    out.insert("default", v);
                    continue;
                }
                _ => continue,
            },
            _ => top,
        };
        match decl.kind_name() {
            "function_declaration" => {
                if let Some(n) = decl.field("name") {
                    out.insert(query::text(n, src), decl);
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                for d in named(decl) {
                    let name = d.field("name").filter(|n| n.kind_name() == "identifier");
                    if let (Some(n), Some(v)) = (name, d.field("value")) {
                        out.insert(query::text(n, src), v);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

struct Reader<'t, 's> {
    src: &'s [u8],
    decls: BTreeMap<&'s str, Node<'t>>,
    relative: &'s [String],
}

impl<'t> Reader<'t, '_> {
    fn text(&self, n: Node) -> &str {
        query::text(n, self.src)
    }

    /// What a top-level value is, when it is an api, a base query or a factory of one: its
    /// parameters (a factory's) and its base.
    fn definition(&self, d: Node<'t>, depth: u32) -> Option<(Vec<String>, RtkBase)> {
        match FUNCTIONS.contains(&d.kind_name()) || d.kind_name() == "function" {
            true => self.function_base(d, depth),
            false => self.base_of(d, depth).map(|b| (Vec::new(), b)),
        }
    }

    /// The base an expression in a base-query place gives: `None` when it is no base query
    /// this reader knows.
    fn base_of(&self, e: Node<'t>, depth: u32) -> Option<RtkBase> {
        if depth > DEPTH {
            return None;
        }
        match e.kind_name() {
            "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "await_expression" => self.base_of(e.named_child(0)?, depth),
            "identifier" | "shorthand_property_identifier" => self.named_base(self.text(e), None, depth),
            "call_expression" => {
                let f = e.field("function")?;
                let args = named(e.field("arguments")?);
                match f.kind_name() {
                    "identifier" => match self.text(f) {
                        "fetchBaseQuery" => Some(RtkBase::Url(self.base_url(args.first().copied(), &[]))),
                        "retry" => self.base_of(*args.first()?, depth + 1),
                        "createApi" => self.base_of(prop(*args.first()?, "baseQuery", self.src)?, depth + 1),
                        name => {
                            let given = args.iter().map(|a| template(*a, self.src)).collect();
                            self.named_base(name, Some(given), depth)
                        }
                    },
                    // `apiSlice.injectEndpoints({ … })`: the api it extends.
                    "member_expression" => {
                        let p = self.text(f.field("property")?);
                        matches!(p, "injectEndpoints" | "enhanceEndpoints")
                            .then(|| self.base_of(f.field("object")?, depth + 1))
                            .flatten()
                    }
                    _ => None,
                }
            }
            k if FUNCTIONS.contains(&k) || k == "function" => self.function_base(e, depth).map(|(_, b)| b),
            _ => None,
        }
    }

    /// A name used as a base query, called with `args` when it is a factory: a top-level
    /// name of the file, else one imported from the project.
    fn named_base(&self, name: &str, args: Option<Vec<Template>>, depth: u32) -> Option<RtkBase> {
        if let Some(d) = self.decls.get(name) {
            let (params, base) = self.definition(*d, depth + 1)?;
            return Some(match (base, args) {
                (RtkBase::Url(t), Some(args)) => RtkBase::Url(given(&t, &params, &args)),
                (base, _) => base,
            });
        }
        self.relative.iter().any(|r| r == name).then(|| RtkBase::Imported { name: name.to_string(), args })
    }

    /// `fetchBaseQuery({ baseUrl })`'s base (empty without one): a parameter of the function
    /// around it (`params`) is `Param`.
    fn base_url(&self, options: Option<Node>, params: &[String]) -> Template {
        let Some(v) = options.and_then(|o| prop(o, "baseUrl", self.src)) else { return Template::new() };
        let t = match v.kind_name() {
            "shorthand_property_identifier" => vec![Part::Ref(self.text(v).to_string())],
            _ => template(v, self.src),
        };
        t.into_iter()
            .map(|p| match p {
                Part::Ref(r) if params.contains(&r) => Part::Param(r),
                p => p,
            })
            .collect()
    }

    /// A function's parameters and the one base its body's `fetchBaseQuery` calls and the
    /// base queries it forwards its first parameter to (`baseQuery(args, api, extraOptions)`)
    /// give; several different ones are a base chosen at run time.
    fn function_base(&self, func: Node<'t>, depth: u32) -> Option<(Vec<String>, RtkBase)> {
        let params = params_of(func, self.src);
        let body = func.field("body")?;
        let mut bases: Vec<RtkBase> = Vec::new();
        for c in super::ts_classes::descendants(body, "call_expression") {
            let Some(f) = c.field("function").filter(|f| f.kind_name() == "identifier") else { continue };
            let args = c.field("arguments").map(named).unwrap_or_default();
            let base = match self.text(f) {
                // `fetchBaseQuery({ baseUrl })({ url: '/token/refresh' }, api, extraOptions)`:
                // a request of its own (`literal_requests`), not the base the function hands on.
                "fetchBaseQuery" if literal_call(c).is_some() => None,
                "fetchBaseQuery" => Some(RtkBase::Url(self.base_url(args.first().copied(), &params))),
                name if self.forwards(c, &args) => self.named_base(name, None, depth + 1),
                _ => None,
            };
            if let Some(b) = base.filter(|b| !bases.contains(b)) {
                bases.push(b);
            }
        }
        match bases.len() {
            0 => None,
            1 => Some((params, bases.pop().expect("one"))),
            n => Some((params, RtkBase::Unknown(format!("its base query picks one of {n} base URLs at run time")))),
        }
    }

    /// `baseQuery(args, api, extraOptions)`: a call handing on the first parameter of the
    /// function around it, with the base query's other two arguments.
    fn forwards(&self, call: Node, args: &[Node]) -> bool {
        let Some(first) = args.first().filter(|a| a.kind_name() == "identifier" && args.len() == 3) else {
            return false;
        };
        let around =
            query::ancestors(call, 64).find(|a| FUNCTIONS.contains(&a.kind_name()) || a.kind_name() == "function");
        around.is_some_and(|f| params_of(f, self.src).first().is_some_and(|p| p == self.text(*first)))
    }

    /// Requests a base query function makes itself (`baseQuery('/auth/refresh', api,
    /// extraOptions)` in a re-auth wrapper): a call of a base query it forwards to whose first
    /// argument is a path or `{ url, method }`.
    fn literal_requests(&self, func: Node<'t>, out: &mut Vec<RawRtkQuery>) {
        let Some(body) = func.field("body") else { return };
        let calls = super::ts_classes::descendants(body, "call_expression");
        let callee = |c: &Node<'t>| c.field("function").filter(|f| f.kind_name() == "identifier");
        let args = |c: &Node<'t>| c.field("arguments").map(named).unwrap_or_default();
        let forwarded: Vec<&str> =
            calls.iter().filter(|c| self.forwards(**c, &args(c))).filter_map(&callee).map(|f| self.text(f)).collect();
        let params = params_of(func, self.src);
        for c in &calls {
            if let Some((outer, first)) =
                callee(c).filter(|f| self.text(*f) == "fetchBaseQuery").and_then(|_| literal_call(*c))
            {
                let base = RtkBase::Url(self.base_url(args(c).first().copied(), &params));
                for (method, path) in self.requests(first, &[]) {
                    out.push(RawRtkQuery { base: base.clone(), method, path, line: query::line(outer) });
                }
                continue;
            }
            let Some(name) = callee(c).map(|f| self.text(f)).filter(|n| forwarded.contains(n)) else { continue };
            let a = args(c);
            let Some(first) = a.first().filter(|f| matches!(f.kind_name(), "string" | "template_string" | "object"))
            else {
                continue;
            };
            let base = self.inner_base(body, name).or_else(|| self.named_base(name, None, 0));
            if let Some(base) = base {
                for (method, path) in self.requests(*first, &[]) {
                    out.push(RawRtkQuery { base: base.clone(), method, path, line: query::line(*c) });
                }
            }
        }
    }

    /// The base of a local `const baseQuery = fetchBaseQuery(…)` declared in `body`.
    fn inner_base(&self, body: Node<'t>, name: &str) -> Option<RtkBase> {
        let decl = super::ts_classes::descendants(body, "variable_declarator")
            .into_iter()
            .find(|d| d.field("name").is_some_and(|n| self.text(n) == name))?;
        self.base_of(decl.field("value")?, 1)
    }

    /// The endpoints of `createApi({ baseQuery, endpoints })` or `api.injectEndpoints({ endpoints })`.
    fn api(&self, call: Node<'t>, inject: bool, out: &mut Vec<RawRtkQuery>) {
        let Some(options) = call.field("arguments").and_then(|a| named(a).into_iter().next()) else {
            return;
        };
        let base = match inject {
            true => call.field("function").and_then(|f| f.field("object")),
            false => prop(options, "baseQuery", self.src),
        };
        let Some(base_node) = base else { return };
        let Some(base) = self.base_of(base_node, 0) else { return };
        if FUNCTIONS.contains(&base_node.kind_name()) {
            self.literal_requests(base_node, out);
        }
        let Some(endpoints) = member(options, "endpoints", self.src) else { return };
        let Some(builder) = params_of(endpoints, self.src).into_iter().next().filter(|b| !b.is_empty()) else {
            return;
        };
        let Some(body) = endpoints.field("body") else { return };
        for object in objects(body) {
            for pair in named(object).into_iter().filter(|p| p.kind_name() == "pair") {
                let Some(def) = pair.field("value").filter(|v| v.kind_name() == "call_expression") else {
                    continue;
                };
                let Some(f) = def.field("function").filter(|f| f.kind_name() == "member_expression") else {
                    continue;
                };
                let (Some(o), Some(p)) = (f.field("object"), f.field("property")) else {
                    continue;
                };
                if self.text(o) != builder || BUILDERS.binary_search(&self.text(p)).is_err() {
                    continue;
                }
                let Some(opts) = def.field("arguments").and_then(|a| named(a).into_iter().next()) else {
                    continue;
                };
                let Some(q) = member(opts, "query", self.src) else { continue };
                let line = query::line(q.parent().filter(|p| p.kind_name() == "pair").unwrap_or(q));
                for (method, path) in self.query_requests(q) {
                    out.push(RawRtkQuery { base: base.clone(), method, path, line });
                }
            }
        }
    }

    /// The requests of an endpoint's `query` function: what each of its returns gives.
    fn query_requests(&self, q: Node<'t>) -> Vec<(String, Option<Template>)> {
        if !FUNCTIONS.contains(&q.kind_name()) && q.kind_name() != "function" {
            return vec![("ANY".into(), None)];
        }
        let locals = locals_of(q, self.src);
        let Some(body) = q.field("body") else { return Vec::new() };
        let returned = if body.kind_name() == "statement_block" { returns(body) } else { vec![body] };
        let mut out: Vec<(String, Option<Template>)> = Vec::new();
        for r in returned.into_iter().filter(|r| r.kind_name() != "return_statement") {
            for request in self.requests(r, &locals) {
                if !out.contains(&request) {
                    out.push(request);
                }
            }
        }
        out
    }

    /// What a base query is given: a path (`GET`) or `{ url, method }`; each branch of a
    /// ternary. A name of `locals` (the query function's parameters and variables) is a
    /// parameter of the path, not a constant.
    fn requests(&self, e: Node<'t>, locals: &[String]) -> Vec<(String, Option<Template>)> {
        let path = |n: Node| {
            let t: Template = template(n, self.src)
                .into_iter()
                .map(|p| match p {
                    Part::Ref(r) if locals.iter().any(|l| r.split('.').next() == Some(l.as_str())) => {
                        Part::Param(r.rsplit('.').next().unwrap_or(&r).to_string())
                    }
                    p => p,
                })
                .collect();
            Some(t).filter(|t| !t.is_empty() && !t.iter().all(|p| matches!(p, Part::Param(_))))
        };
        match e.kind_name() {
            "parenthesized_expression" | "as_expression" | "satisfies_expression" => {
                e.named_child(0).map(|i| self.requests(i, locals)).unwrap_or_default()
            }
            "ternary_expression" => ["consequence", "alternative"]
                .iter()
                .filter_map(|f| e.field(f))
                .flat_map(|b| self.requests(b, locals))
                .collect(),
            "object" => {
                let method = match prop(e, "method", self.src) {
                    None => "GET".to_string(),
                    Some(m) => super::ts_arch::string_value(m, self.src)
                        .and_then(|m| super::arch::http_method(&m))
                        .unwrap_or_else(|| "ANY".into()),
                };
                vec![(
                    method,
                    prop(e, "url", self.src)
                        .filter(|u| u.kind_name() != "shorthand_property_identifier")
                        .and_then(path),
                )]
            }
            _ => vec![("GET".into(), path(e))],
        }
    }
}

/// The call invoking `f`'s result at once with a path or `{ url, method }` first
/// (`fetchBaseQuery({ … })({ url: '/token/refresh' }, api, extraOptions)`), and that argument.
fn literal_call(f: Node) -> Option<(Node, Node)> {
    let outer = f.parent().filter(|p| p.kind_name() == "call_expression" && p.field("function") == Some(f))?;
    let first = outer.field("arguments").and_then(|a| named(a).into_iter().next())?;
    matches!(first.kind_name(), "string" | "template_string" | "object").then_some((outer, first))
}

/// `{ … }` of an object property or method named `key` (`endpoints: (b) => …`, `endpoints(b) { … }`).
fn member<'t>(obj: Node<'t>, key: &str, src: &[u8]) -> Option<Node<'t>> {
    prop(obj, key, src).or_else(|| {
        named(obj).into_iter().find(|m| {
            m.kind_name() == "method_definition" && m.field("name").is_some_and(|n| query::text(n, src) == key)
        })
    })
}

/// The objects an `endpoints` function's body gives: `({ … })`, or each `return { … }`.
fn objects(body: Node) -> Vec<Node> {
    let returned = if body.kind_name() == "statement_block" { returns(body) } else { vec![body] };
    let mut out = Vec::new();
    for mut r in returned {
        while matches!(r.kind_name(), "parenthesized_expression" | "as_expression" | "satisfies_expression") {
            let Some(i) = r.named_child(0) else { break };
            r = i;
        }
        if r.kind_name() == "object" {
            out.push(r);
        }
    }
    out
}

/// A function's parameter names by position (`""` for a pattern).
fn params_of(func: Node, src: &[u8]) -> Vec<String> {
    if let Some(p) = func.field("parameter") {
        return vec![query::text(p, src).to_string()];
    }
    let Some(list) = func.field("parameters") else { return Vec::new() };
    named(list).into_iter().map(|p| param_ident(p).map_or(String::new(), |i| query::text(i, src).to_string())).collect()
}

/// Every name a function binds: its parameters (also those its patterns destructure,
/// `({ uuid, content })`) and the variables its body declares.
fn locals_of(func: Node, src: &[u8]) -> Vec<String> {
    let mut roots: Vec<Node> = func.field("parameter").into_iter().collect();
    roots.extend(func.field("parameters"));
    if let Some(body) = func.field("body") {
        let decls = super::ts_classes::descendants(body, "variable_declarator");
        roots.extend(decls.into_iter().filter_map(|d| d.field("name")));
    }
    let mut out = Vec::new();
    for r in roots {
        for kind in ["identifier", "shorthand_property_identifier_pattern"] {
            out.extend(super::ts_classes::descendants(r, kind).into_iter().map(|n| query::text(n, src).to_string()));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A factory's base with the caller's arguments in place of its parameters.
fn given(base: &Template, params: &[String], args: &[Template]) -> Template {
    let mut out = Template::new();
    for p in base {
        match p {
            Part::Param(name) => match params.iter().position(|q| q == name).and_then(|i| args.get(i)) {
                Some(a) => super::arch::push_parts(&mut out, a.clone()),
                None => out.push(p.clone()),
            },
            p => super::arch::push_parts(&mut out, vec![p.clone()]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::BUILDERS;

    #[test]
    fn tables_are_sorted() {
        assert!(BUILDERS.windows(2).all(|w| w[0] < w[1]));
    }
}
