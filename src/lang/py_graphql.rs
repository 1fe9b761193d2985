//! GraphQL servers of Python services (issue #3, GraphQL servers): the HTTP endpoint a
//! GraphQL app answers on.
//!
//! - Strawberry's FastAPI integration, `graphql_app = GraphQLRouter(schema, path="")`: an
//!   `APIRouter` answering `GET` and `POST` on its `path` (default `""`), served once an app
//!   mounts it (`app.include_router(graphql_app, prefix="/graphql")`), as any router.
//! - An ASGI GraphQL app mounted on a FastAPI or Starlette app of the same file,
//!   `app.mount("/graphql", GraphQL(schema))` (Ariadne's `ariadne.asgi.GraphQL`,
//!   Strawberry's `strawberry.asgi.GraphQL`, starlette-graphene3's `GraphQLApp`): every
//!   method on that path. (`app.add_route("/graphql", GraphQLApp(…))` is Starlette's own
//!   route, read with the others.)
//!
//! A path that is not a literal gives no endpoint.

use super::query::FieldExt;
use tree_sitter::Node;

use super::py_arch::{kwarg, named, split_args};
use super::query;
use crate::model::{ArchFacts, RawRoute, RawRouter, Template};

/// ASGI GraphQL apps, by the last part of a dotted name (sorted).
const ASGI_APPS: &[&str] = &["GraphQL", "GraphQLApp"];

/// Whether a file may hold these facts.
pub fn mentions(text: &str) -> bool {
    text.contains("GraphQLRouter") || text.contains("GraphQL(") || text.contains("GraphQLApp(")
}

/// The file's GraphQL routers and mounted GraphQL apps (see the module's documentation).
pub fn extract(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match n.kind_name() {
            "assignment" => router_def(n, src, facts),
            "call" => mounted_app(n, text, facts),
            _ => {}
        }
        stack.extend(named(n).into_iter().rev());
    }
}

/// The last part of a dotted name.
fn last(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// A string literal's text (no interpolation).
fn literal(n: Node, src: &[u8]) -> Option<String> {
    if n.kind_name() != "string" || named(n).iter().any(|c| c.kind_name() == "interpolation") {
        return None;
    }
    Some(named(n).into_iter().filter(|c| c.kind_name() == "string_content").map(|c| query::text(c, src)).collect())
}

/// `graphql_app = GraphQLRouter(schema, path="/x")`.
fn router_def(n: Node, src: &[u8], facts: &mut ArchFacts) {
    let (Some(left), Some(right)) = (n.field("left"), n.field("right")) else { return };
    if left.kind_name() != "identifier" || right.kind_name() != "call" {
        return;
    }
    let (Some(ctor), Some(args)) = (right.field("function"), right.field("arguments")) else {
        return;
    };
    if args.kind_name() != "argument_list" || last(query::text(ctor, src)) != "GraphQLRouter" {
        return;
    }
    let path = match kwarg(args, "path", src) {
        None => String::new(),
        Some(p) => match literal(p, src) {
            Some(p) => p,
            None => return,
        },
    };
    let (name, line) = (query::text(left, src).to_string(), query::line(n));
    facts.routers.push(RawRouter { name: name.clone(), framework: "fastapi".into(), prefix: Template::new(), line });
    facts.sub_routers.push(name.clone());
    facts.routes.push(RawRoute {
        framework: "fastapi".into(),
        router: name,
        methods: vec!["GET".into(), "POST".into()],
        path: super::arch::lit(&path),
        handler: None,
        line,
    });
}

/// `app.mount("/graphql", GraphQL(schema))` on an app the file makes with `FastAPI(…)` or
/// `Starlette(…)`.
fn mounted_app(n: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let (Some(f), Some(args)) = (n.field("function"), n.field("arguments")) else {
        return;
    };
    if f.kind_name() != "attribute" || args.kind_name() != "argument_list" {
        return;
    }
    let (Some(object), Some(method)) = (f.field("object"), f.field("attribute")) else {
        return;
    };
    if object.kind_name() != "identifier" || query::text(method, src) != "mount" {
        return;
    }
    let (pos, _) = split_args(args);
    let (Some(path), Some(app)) = (pos.first().and_then(|p| literal(*p, src)), pos.get(1)) else { return };
    let made = app.kind_name() == "call"
        && app.field("function").is_some_and(|c| ASGI_APPS.contains(&last(query::text(c, src))));
    let receiver = query::text(object, src);
    let framework = ["FastAPI", "Starlette"].into_iter().find(|ctor| {
        text.contains(&format!("{receiver} = {ctor}(")) || text.contains(&format!("{receiver} = fastapi.{ctor}("))
    });
    let (true, Some(framework), true) = (made, framework, path.starts_with('/')) else { return };
    facts.routes.push(RawRoute {
        framework: framework.to_ascii_lowercase(),
        router: receiver.to_string(),
        methods: vec!["ANY".into()],
        path: super::arch::lit(&path),
        handler: None,
        line: query::line(n),
    });
}
