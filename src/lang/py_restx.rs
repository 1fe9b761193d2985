//! Flask-RESTX (and flask-restplus, its predecessor) and Flask-RESTful in a Python
//! file: REST layers over Flask whose endpoints are the `get`/`post`/… methods of a
//! `Resource` class, mounted by path.
//!
//! - `api = Api(app, prefix="/v1")`, `Api(blueprint)`, `Api()` then `api.init_app(app)`
//!   (also on an `Api` imported from another module): a router under the app or
//!   blueprint, with its own prefix;
//! - `ns = Namespace("users", path="/u")`, `ns = api.namespace("users")`: a router whose
//!   path is `path=`, else `/<name>` (flask-restx `Namespace.path`);
//! - `api.add_namespace(ns, path="/api")`: a mount whose path replaces the namespace's
//!   own (flask-restx `Api.ns_urls`: `self.ns_paths.get(ns) or ns.path`), as Flask's
//!   `register_blueprint(url_prefix=)` replaces a blueprint's, so both are `flask` routers;
//! - `@ns.route("/a", "/b")` on a `Resource` subclass (several decorators, several
//!   paths), `api.add_resource(UserResource, "/users/<int:id>", "/u/<int:id>")`: routes
//!   whose methods are the class's handlers, read in resolution (`crate::resolve::drf`).
//!
//! An `Api` handed to a function (`def register_routes(api, app): api.add_namespace(…)`,
//! called from the app factory) is the service's one `Api` ([`API_PARAM`]); with several,
//! the routes under it are a diagnostic.
//!
//! A mount path naming a parameter of the function around it
//! (`def register_routes(api, app, root="api"): api.add_namespace(ns, path=f"/{root}")`)
//! takes the parameter's default when that is a literal (the callers are not read),
//! else stays a parameter, which makes the routes under it a diagnostic.
//!
//! Found by one walk of the tree, only in files naming these libraries or their mounts
//! ([`mentions`]); nothing here overlaps the Flask patterns of `endpoints.scm`
//! (`@app.route` there decorates functions, here classes).

use super::query::FieldExt;
use tree_sitter::Node;

use super::arch::{self, lit, push_parts};
use super::py_arch::{fn_params, kwarg, named, split_args, string_value, template, viewset};
use super::query;
use crate::model::{ArchFacts, Part, RawMount, RawRoute, RawRouter, Template};

/// Whether a file may hold these facts: it imports one of the libraries, or mounts a
/// namespace or a resource on an `Api` it was handed (`def register(api): …`).
pub fn mentions(text: &str) -> bool {
    text.contains("flask_rest") || text.contains("add_namespace") || text.contains("add_resource")
}

/// Add the file's routers, mounts, routes and `Resource` classes to `facts`
/// ([`mentions`] is asked first).
pub fn extract(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    // `Api(…)`, `Namespace(…)` and route decorators on classes count only in a file
    // importing the library: the names are common.
    let imports = text.contains("flask_rest");
    let framework = if text.contains("flask_restful") { "flask-restful" } else { "flask-restx" };
    let mut apis: Vec<String> = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match n.kind_name() {
            "assignment" if imports => router_def(n, src, &mut apis, facts),
            "call" => mount_or_resource(n, src, framework, &apis, facts),
            "class_definition" if imports => resource_class(n, src, framework, facts),
            _ => {}
        }
        stack.extend(named(n).into_iter().rev());
    }
}

/// `api = Api(app, prefix="/v1")`, `ns = Namespace("x", path="/x")`, `ns = api.namespace("x")`.
fn router_def(n: Node, src: &[u8], apis: &mut Vec<String>, facts: &mut ArchFacts) {
    let (Some(left), Some(right)) = (n.field("left"), n.field("right")) else { return };
    if left.kind_name() != "identifier" || right.kind_name() != "call" {
        return;
    }
    let (Some(ctor), Some(args)) = (right.field("function"), right.field("arguments")) else {
        return;
    };
    if args.kind_name() != "argument_list" {
        return;
    }
    let (name, ctor, line) = (query::text(left, src).to_string(), query::text(ctor, src), query::line(n));
    let (pos, _) = split_args(args);
    match ctor.rsplit_once('.').map_or(ctor, |(_, last)| last) {
        "Api" => {
            let prefix = kwarg(args, "prefix", src).map(|p| template(p, src)).unwrap_or_default();
            facts.routers.push(RawRouter { name: name.clone(), framework: API_FRAMEWORK.into(), prefix, line });
            // `Api(app)`, `Api(blueprint)`, `Api(app=app)`: mounted on what it was given.
            if let Some(parent) = pos.first().copied().or_else(|| kwarg(args, "app", src)) {
                let parent = query::text(parent, src).to_string();
                facts.mounts.push(RawMount { parent, child: name.clone(), prefix: Template::new(), line });
            }
            apis.push(name);
        }
        "Namespace" => namespace(name, &pos, args, src, line, facts),
        // `ns = api.namespace("x")`: a namespace added to that `Api` at its own path.
        "namespace" if ctor.contains('.') => {
            namespace(name.clone(), &pos, args, src, line, facts);
            let parent = ctor.rsplit_once('.').map_or("", |(p, _)| p).to_string();
            facts.mounts.push(RawMount { parent, child: name, prefix: Template::new(), line });
        }
        _ => {}
    }
}

/// A namespace router: its path is `path=`, else `/` and its name.
fn namespace(name: String, pos: &[Node], args: Node, src: &[u8], line: u32, facts: &mut ArchFacts) {
    let prefix = match kwarg(args, "path", src) {
        Some(p) => template(p, src),
        None => {
            let Some(ns) = pos.first().copied().or_else(|| kwarg(args, "name", src)) else { return };
            let mut p = lit("/");
            push_parts(&mut p, template(ns, src));
            p
        }
    };
    facts.routers.push(RawRouter { name, framework: "flask".into(), prefix, line });
}

/// `api.add_namespace(ns, path="/api")`, `api.init_app(app)`, `api.add_resource(UserResource, "/users", "/u")`.
fn mount_or_resource(n: Node, src: &[u8], framework: &str, apis: &[String], facts: &mut ArchFacts) {
    let Some(f) = n.field("function").filter(|f| f.kind_name() == "attribute") else { return };
    let (Some(obj), Some(method)) = (f.field("object"), f.field("attribute")) else {
        return;
    };
    let Some(args) = n.field("arguments").filter(|a| a.kind_name() == "argument_list") else { return };
    let (pos, _) = split_args(args);
    let line = query::line(n);
    match query::text(method, src) {
        "add_namespace" => {
            let parent = receiver(obj, src);
            let Some(ns) = pos.first().copied().or_else(|| kwarg(args, "ns", src)) else { return };
            let path = pos.get(1).copied().or_else(|| kwarg(args, "path", src));
            let prefix = path.map(|p| with_defaults(template(p, src), p, src)).unwrap_or_default();
            facts.mounts.push(RawMount { parent, child: query::text(ns, src).to_string(), prefix, line });
        }
        // `api.init_app(app)`: of an `Api` this file makes, a mount; of another name, a mount
        // only if the name is an `Api` of the project (`db.init_app(app)` is not one).
        "init_app" => {
            let Some(app) = pos.first().copied().or_else(|| kwarg(args, "app", src)) else { return };
            let (app, api) = (query::text(app, src).to_string(), query::text(obj, src).to_string());
            let child = if apis.contains(&api) { api } else { format!("?{api}") };
            facts.mounts.push(RawMount { parent: app, child, prefix: Template::new(), line });
        }
        // `router.add_resource("/p")` (aiohttp) names a path first, not a class.
        "add_resource" => {
            let Some((class, urls)) =
                pos.split_first().filter(|(c, _)| matches!(c.kind_name(), "identifier" | "attribute"))
            else {
                return;
            };
            let parent = receiver(obj, src);
            // `methods=['POST']` (Flask-RESTful passes it to `add_url_rule`): the rule
            // answers those methods only, of the ones the class handles.
            let methods: Vec<String> = kwarg(args, "methods", src)
                .map(|l| named(l).into_iter().filter_map(|m| string_value(m, src)).map(|m| m.to_ascii_uppercase()))
                .into_iter()
                .flatten()
                .collect();
            for url in urls {
                let mut route = resource_route(framework, &parent, template(*url, src), query::text(*class, src), line);
                route.methods.clone_from(&methods);
                facts.routes.push(route);
            }
        }
        _ => {}
    }
}

/// A `Resource` class: its handlers (for the methods of its routes), and a route for
/// each path of each `@x.route(…)` decorating it, at the decorator's line.
fn resource_class(class: Node, src: &[u8], framework: &str, facts: &mut ArchFacts) {
    let (Some(name), Some(body)) = (class.field("name"), class.field("body")) else {
        return;
    };
    let name = query::text(name, src).to_string();
    let bases: Vec<String> = class
        .field("superclasses")
        .map(|b| named(b).into_iter().map(|x| query::text(x, src).to_string()).collect())
        .unwrap_or_default();
    let mut routed = false;
    if let Some(decorated) = class.parent().filter(|p| p.kind_name() == "decorated_definition") {
        for d in named(decorated).into_iter().filter(|d| d.kind_name() == "decorator") {
            let Some(call) = d.named_child(0).filter(|c| c.kind_name() == "call") else { continue };
            let callee = call.field("function").filter(|f| f.kind_name() == "attribute");
            let Some((router, args)) = callee
                .filter(|f| f.field("attribute").is_some_and(|a| query::text(a, src) == "route"))
                .and_then(|f| f.field("object"))
                .zip(call.field("arguments"))
            else {
                continue;
            };
            for url in split_args(args).0 {
                let route =
                    resource_route(framework, &receiver(router, src), template(url, src), &name, query::line(d));
                facts.routes.push(route);
                routed = true;
            }
        }
    }
    // A base class of resources is kept too: its handlers are inherited.
    let resource_base = bases.iter().any(|b| b.rsplit('.').next().unwrap_or(b).contains("Resource"));
    let line = query::line(class);
    if (routed || resource_base) && !facts.classes.iter().any(|c| c.class == name && c.line == line) {
        facts.classes.push(viewset(name, bases, body, src, line));
    }
}

/// The router a receiver names: its text, or [`API_PARAM`] for a parameter of the
/// function around it (`def register_routes(api, app): api.add_namespace(…)`).
fn receiver(obj: Node, src: &[u8]) -> String {
    let name = query::text(obj, src);
    if obj.kind_name() == "identifier" && fn_params(None, obj, src).iter().any(|(p, _)| p == name) {
        API_PARAM.to_string()
    } else {
        name.to_string()
    }
}

/// A route whose methods are those its `Resource` class handles.
fn resource_route(framework: &str, router: &str, path: Template, class: &str, line: u32) -> RawRoute {
    RawRoute {
        framework: framework.to_string(),
        router: router.to_string(),
        methods: Vec::new(),
        path,
        handler: Some(class.to_string()),
        line,
    }
}

/// A path naming parameters of the function around it: each is its default when that
/// is a literal, else a parameter (known only at run time).
fn with_defaults(t: Template, at: Node, src: &[u8]) -> Template {
    let params = fn_params(None, at, src);
    let mut out = Template::new();
    for p in t {
        let part = match &p {
            Part::Ref(r) => match params.iter().find(|(n, _)| n == r) {
                Some((_, d)) if arch::literal_of(d).is_some() => d.clone(),
                Some(_) => vec![Part::Param(r.clone())],
                None => vec![p],
            },
            _ => vec![p],
        };
        push_parts(&mut out, part);
    }
    out
}

/// The framework of an `Api` router (a namespace is a `flask` router: a mount's path
/// replaces its own).
pub const API_FRAMEWORK: &str = "flask-rest-api";

/// The router a mount or a route names when its receiver is a parameter of the function
/// around it: an `Api` handed in, which resolution takes for the service's one `Api`.
pub const API_PARAM: &str = "<Api parameter>";

/// Whether a route of `framework` takes its methods from its `Resource` class.
pub fn is_resource_framework(framework: &str) -> bool {
    matches!(framework, "flask-restful" | "flask-restx")
}
