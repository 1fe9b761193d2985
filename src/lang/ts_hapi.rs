//! hapi routes (issue #3, cause 8 of the sixteenth blind sample): route objects,
//! `{ method, path, handler }`, given to a server's `route` one at a time or as an
//! array, often an array another module exports.
//!
//! ```js
//! const server = Hapi.server({ port: 3031 });      // a router (`ts_natives::ROUTER_DEF`)
//! server.route({ method: 'GET', path: '/users/{id}', handler });
//! server.route([...routes, { method: ['PUT', 'PATCH'], path: '/users/{id?}', handler }]);
//! // routes.js
//! module.exports = [{ method: 'POST', path: '/internal/generate', handler }];
//! ```
//!
//! A route array a module declares at its top level (`const routes = [...]`,
//! `module.exports = [...]`, `export default [...]`) is a router of its own, named
//! after the constant (`default` for the module's export), when every element is a
//! route object: a `method`, a `path`, and a `handler` (or hapi's `options`/`config`
//! holding one). Given to `server.route` (spread, or whole), it is mounted there.
//! `method: '*'` is any method; a path's optional and multi-segment parameters
//! (`{id?}`, `{path*}`, `{parts*2}`) are the parameter `{id}`, `{path*}`, `{parts*}`
//! (a lone `/{any*}` is the server's catch-all, left out in resolution).

use super::query::FieldExt;
use super::ts_words::{Words, W};
use tree_sitter::Node;

use super::query;
use super::ts_arch::{named, prop, string_value, template};
use crate::model::{ArchFacts, Part, RawRoute, RawRouter, Template};

/// Whether a file's text may declare a route array or a route object (`handler`; the
/// `method` and `path` or `url` may come from a spread object).
pub fn mentions(words: &Words) -> bool {
    words.has(W::handler)
}

/// A route method written as `&name`: the constant `name` (`routeOpts.method`, of an
/// object the route object spreads) holds it, read in resolution.
pub const METHOD_REF: &str = "&";

/// A route object's methods (upper case; `*` is `ANY`) and path, with the line of its
/// path; `None` for an object that is not one (no `method` or no `path`).
pub(super) fn route_object(obj: Node, src: &[u8]) -> Option<(Vec<String>, Template, u32)> {
    let path = prop(obj, "path", src).or_else(|| prop(obj, "url", src))?;
    let method = prop(obj, "method", src)?;
    let list = if method.kind_name() == "array" { named(method) } else { vec![method] };
    let methods: Vec<String> = list
        .into_iter()
        .map(|m| string_value(m, src).map(|m| if m == "*" { "ANY".into() } else { m.to_ascii_uppercase() }))
        .collect::<Option<_>>()?;
    Some((methods, params(template(path, src)), query::line(path)))
}

/// A path's hapi parameters as one `{name}`: `{id?}` is `{id}`, `{parts*2}` `{parts*}`.
fn params(t: Template) -> Template {
    t.into_iter()
        .map(|p| match p {
            Part::Lit(s) if s.contains('{') => Part::Lit(plain_params(&s)),
            other => other,
        })
        .collect()
}

fn plain_params(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        out.push_str(&rest[..=open]);
        let inner = rest[open + 1..close].trim_end_matches('?');
        let inner = match inner.split_once('*') {
            Some((name, n)) if n.bytes().all(|b| b.is_ascii_digit()) => format!("{name}*"),
            _ => inner.to_string(),
        };
        out.push_str(&inner);
        out.push('}');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether an object is a hapi route declaration: a route object with a handler.
fn declares_route(obj: Node, src: &[u8]) -> bool {
    obj.kind_name() == "object"
        && ["handler", "options", "config"].iter().any(|k| prop(obj, k, src).is_some())
        && route_object(obj, src).is_some()
}

/// Records the routes of `array` on `router`, when every element is a route object.
fn route_array(array: Node, router: &str, src: &[u8], facts: &mut ArchFacts) -> bool {
    let elements = named(array).into_iter().filter(|e| e.kind_name() != "comment").collect::<Vec<_>>();
    if elements.is_empty() || !elements.iter().all(|e| declares_route(*e, src)) {
        return false;
    }
    for e in elements {
        let Some((methods, path, line)) = route_object(e, src) else { continue };
        facts.routes.push(RawRoute {
            framework: "hapi".into(),
            router: router.into(),
            methods,
            path,
            handler: None,
            line,
        });
    }
    true
}

/// A route object a module declares at its top level (`const register = { method: 'POST',
/// url: '/register', handler }`), given to `server.route(register)` here or where it is
/// imported: a router of one route, fastify's when it names its path `url`, hapi's for
/// `path`. An object with a `handler`, no `method`, `url` or `path` of its own and one
/// spread name (`{ ...routeOpts, preHandler, handler }`, `routeOpts` imported from the
/// module holding `{ method: 'POST', url: '/register', schema }`) takes those two from the
/// spread object: `routeOpts.method` and `routeOpts.url`, constants found in resolution
/// (a method no constant gives makes no route).
fn route_object_router(obj: Node, router: &str, src: &[u8], facts: &mut ArchFacts) {
    let route = if declares_route(obj, src) {
        let framework = if prop(obj, "url", src).is_some() { "fastify" } else { "hapi" };
        route_object(obj, src).map(|(methods, path, line)| (methods, path, line, framework))
    } else {
        let own = ["method", "url", "path"].iter().any(|k| prop(obj, k, src).is_some());
        let spread: Vec<Node> = named(obj)
            .into_iter()
            .filter(|c| c.kind_name() == "spread_element")
            .filter_map(|c| c.named_child(0))
            .collect();
        match spread.as_slice() {
            [one] if !own && one.kind_name() == "identifier" && prop(obj, "handler", src).is_some() => {
                let name = query::text(*one, src);
                let methods = vec![format!("{METHOD_REF}{name}.method")];
                Some((methods, vec![Part::Ref(format!("{name}.url"))], query::line(obj), "fastify"))
            }
            _ => None,
        }
    };
    let Some((methods, path, line, framework)) = route else { return };
    facts.routes.push(RawRoute {
        framework: framework.into(),
        router: router.into(),
        methods,
        path,
        handler: None,
        line,
    });
    facts.routers.push(RawRouter { name: router.into(), framework: framework.into(), prefix: Template::new(), line });
}

/// The route arrays a module declares at its top level (see the module's documentation),
/// each a hapi router, and its route objects (`route_object_router`). Asked for files
/// whose text has `handler`.
pub fn route_arrays(root: Node, src: &[u8], facts: &mut ArchFacts) {
    for top in named(root) {
        let (inner, exported) = match top.kind_name() {
            "export_statement" => match top.field("declaration") {
                Some(d) => (d, false),
                None => match top.field("value") {
                    Some(v) => (v, true),
                    None => continue,
                },
            },
            "expression_statement" => match top.named_child(0).filter(|a| a.kind_name() == "assignment_expression") {
                Some(a) if a.field("left").is_some_and(|l| query::text(l, src) == "module.exports") => {
                    match a.field("right") {
                        Some(r) => (r, true),
                        None => continue,
                    }
                }
                _ => continue,
            },
            _ => (top, false),
        };
        let arrays: Vec<(String, Node)> = match inner.kind_name() {
            "array" if exported => vec![("default".into(), inner)],
            "lexical_declaration" | "variable_declaration" => named(inner)
                .into_iter()
                .filter_map(|d| {
                    let name = d.field("name").filter(|n| n.kind_name() == "identifier")?;
                    let value = d.field("value").filter(|v| matches!(v.kind_name(), "array" | "object"))?;
                    Some((query::text(name, src).to_string(), value))
                })
                .collect(),
            _ => Vec::new(),
        };
        for (name, array) in arrays {
            if array.kind_name() == "object" {
                route_object_router(array, &name, src, facts);
                continue;
            }
            if route_array(array, &name, src, facts) {
                let line = query::line(array);
                facts.routers.push(RawRouter { name, framework: "hapi".into(), prefix: Template::new(), line });
            }
        }
    }
}

/// `server.route([...routes, { method, path, handler }])` (or `server.route(routes)`): the
/// route objects in place are routes of `router` (its framework decided in resolution),
/// the names spread or given whole are mounts of them, with no prefix (a name that is no
/// route array mounts nothing). (The route objects, the mounted names.)
pub(super) fn route_call<'t>(arg: Node<'t>, src: &[u8]) -> (Vec<Node<'t>>, Vec<String>) {
    let mut objects = Vec::new();
    let mut mounted = Vec::new();
    let elements = if arg.kind_name() == "array" { named(arg) } else { vec![arg] };
    for e in elements {
        match e.kind_name() {
            "object" => objects.push(e),
            "identifier" => mounted.push(query::text(e, src).to_string()),
            "spread_element" => {
                if let Some(n) = e.named_child(0).filter(|n| n.kind_name() == "identifier") {
                    mounted.push(query::text(n, src).to_string());
                }
            }
            _ => {}
        }
    }
    (objects, mounted)
}

#[cfg(test)]
mod tests {
    use super::plain_params;

    #[test]
    fn hapi_parameters_are_plain() {
        assert_eq!(plain_params("/users/{id?}"), "/users/{id}");
        assert_eq!(plain_params("/files/{parts*2}/x/{rest*}"), "/files/{parts*}/x/{rest*}");
        assert_eq!(plain_params("/a/{b}"), "/a/{b}");
        assert_eq!(plain_params("/a/{b"), "/a/{b");
    }
}
