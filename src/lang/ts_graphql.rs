//! GraphQL servers of JS/TS services (issue #3, cause 12 of the nineteenth blind sample,
//! cause M of the twentieth): the one HTTP endpoint a GraphQL server answers on.
//!
//! - NestJS `GraphQLModule.forRoot({ driver: ApolloDriver, path? })` (also `forRootAsync`):
//!   `POST /graphql` unless a literal `path` says otherwise; the Yoga driver answers every
//!   method (`ANY`). Nest's global prefix does not apply to it (`useGlobalPrefix` is off by
//!   default).
//! - graphql-yoga `createYoga({ graphqlEndpoint? })`: `ANY /graphql` (GET and POST) wherever it
//!   is served, since Yoga matches the whole request path itself.
//! - apollo-server `new ApolloServer(…)` bound to a name: `name.applyMiddleware({ app, path? })`
//!   serves `POST /graphql` (or `path`) on that Express app; the standalone `name.listen()`
//!   and `startStandaloneServer(name, …)` serve `POST /` (apollo-server 2/3 mount it at `/`,
//!   Apollo Server 4's standalone server answers on every path).
//!
//! `app.use('/graphql', expressMiddleware(server))`, `graphqlHTTP(…)` (express-graphql) and
//! `createHandler(…)` (graphql-http) are Express mounts of a handler: `lang/ts_arch.rs` makes
//! them a route of the mounting router ([`HANDLERS`]).
//!
//! A `path`/`graphqlEndpoint` that is not a literal gives no endpoint (it is known only at
//! run time).
//!
//! Clients: Apollo Client's `new ApolloClient({ uri })`, `new HttpLink({ uri })`,
//! `createHttpLink({ uri })` and graphql-request's `new GraphQLClient(url)` post their
//! queries to that URL: a `POST` request each (`CLIENTS`).

use super::query::FieldExt;
use super::ts_words::{Words, W};
use tree_sitter::Node;

use super::query;
use super::ts_arch::{named, prop, string_value};
use crate::model::{ArchFacts, RawCall};

/// Functions whose result, mounted by `app.use(path, …)`, answers GraphQL requests on that
/// path, with the methods it takes (sorted).
pub const HANDLERS: &[(&str, &str)] =
    &[("createHandler", "ANY"), ("expressMiddleware", "POST"), ("graphqlExpress", "POST"), ("graphqlHTTP", "ANY")];

/// GraphQL clients made with their endpoint's URL: the constructor or function, and
/// whether the URL is the first argument (else its `uri` property; sorted).
const CLIENTS: &[(&str, bool)] =
    &[("ApolloClient", false), ("GraphQLClient", true), ("HttpLink", false), ("createHttpLink", false)];

/// The framework of the routes read here.
const FRAMEWORK: &str = "graphql";

/// Whether a file may start a GraphQL server: cheap words looked for first.
pub fn mentions(words: &Words) -> bool {
    // The servers', then [`CLIENTS`]'s.
    words.any(&[W::GraphQLModule, W::createYoga, W::ApolloServer])
        || words.any(&[W::ApolloClient, W::GraphQLClient, W::HttpLink, W::createHttpLink])
}

/// The endpoints of the file's GraphQL servers (see the module's documentation).
pub fn servers(root: Node, src: &[u8], facts: &mut ArchFacts) {
    for at in memchr::memmem::find_iter(src, b"GraphQLModule") {
        let Some(call) = called_member(root, at, "GraphQLModule".len(), src, &["forRoot", "forRootAsync"]) else {
            continue;
        };
        let line = query::line(call);
        let yoga = memchr::memmem::find(query::text(call, src).as_bytes(), b"YogaDriver").is_some();
        let method = if yoga { "ANY" } else { "POST" };
        let args = call.field("arguments");
        if let Some(path) = option_path(args, "path", src) {
            route(facts, None, method, path, line);
        }
    }
    for at in memchr::memmem::find_iter(src, b"createYoga") {
        let Some(n) = root.descendant_for_byte_range(at, at + "createYoga".len()) else { continue };
        let Some(call) = n.parent().filter(|c| c.kind_name() == "call_expression" && c.field("function") == Some(n))
        else {
            continue;
        };
        if let Some(path) = option_path(call.field("arguments"), "graphqlEndpoint", src) {
            route(facts, None, "ANY", path, query::line(call));
        }
    }
    for at in memchr::memmem::find_iter(src, b"ApolloServer") {
        let Some(n) = root.descendant_for_byte_range(at, at + "ApolloServer".len()) else { continue };
        let Some(new) = n.parent().filter(|c| c.kind_name() == "new_expression") else { continue };
        let Some(decl) = new.parent().filter(|d| d.kind_name() == "variable_declarator") else { continue };
        let Some(name) = decl.field("name").filter(|n| n.kind_name() == "identifier") else { continue };
        apollo_uses(root, query::text(name, src), src, facts);
    }
    for (client, positional) in CLIENTS {
        for at in memchr::memmem::find_iter(src, client.as_bytes()) {
            let Some(n) = root.descendant_for_byte_range(at, at + client.len()) else { continue };
            if n.kind_name() != "identifier" || query::text(n, src) != *client {
                continue;
            }
            let Some(made) = n.parent().filter(|p| {
                (p.kind_name() == "new_expression" && p.field("constructor") == Some(n))
                    || (p.kind_name() == "call_expression" && p.field("function") == Some(n))
            }) else {
                continue;
            };
            let first = made.field("arguments").and_then(|a| named(a).into_iter().next());
            let url = match positional {
                true => first,
                false => first.and_then(|o| prop(o, "uri", src)),
            };
            let Some(url) = url.filter(|u| u.kind_name() != "shorthand_property_identifier") else { continue };
            let url = super::ts_arch::template(url, src);
            facts.calls.push(RawCall { client: (*client).into(), method: "POST".into(), url, line: query::line(made) });
        }
    }
}

/// The uses of an `ApolloServer` bound to `name` that serve it.
fn apollo_uses(root: Node, name: &str, src: &[u8], facts: &mut ArchFacts) {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if n.kind_name() == "call_expression" {
            if let Some((f, args)) = n.field("function").zip(n.field("arguments")) {
                let first = named(args).into_iter().next();
                match f.kind_name() {
                    "member_expression" => {
                        let object = f.field("object").map(|o| query::text(o, src));
                        let property = f.field("property").map_or("", |p| query::text(p, src));
                        match (object == Some(name), property) {
                            (true, "applyMiddleware") => {
                                let app = first.and_then(|o| prop(o, "app", src));
                                let app = app.filter(|a| {
                                    matches!(a.kind_name(), "identifier" | "shorthand_property_identifier")
                                });
                                if let (Some(app), Some(path)) = (app, option_path(Some(args), "path", src)) {
                                    route(facts, Some(query::text(app, src)), "POST", path, query::line(n));
                                }
                            }
                            (true, "listen") => route(facts, None, "POST", "/".into(), query::line(n)),
                            _ => {}
                        }
                    }
                    "identifier"
                        if query::text(f, src) == "startStandaloneServer"
                            && first.is_some_and(|a| a.kind_name() == "identifier" && query::text(a, src) == name) =>
                    {
                        route(facts, None, "POST", "/".into(), query::line(n));
                    }
                    _ => {}
                }
            }
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
}

/// The call `<word>.<method>(…)` whose receiver's text is at `at` (of `len` bytes).
fn called_member<'t>(root: Node<'t>, at: usize, len: usize, src: &[u8], methods: &[&str]) -> Option<Node<'t>> {
    let n = root.descendant_for_byte_range(at, at + len)?;
    let member = n.parent().filter(|m| m.kind_name() == "member_expression" && m.field("object") == Some(n))?;
    let property = member.field("property").map(|p| query::text(p, src))?;
    if !methods.contains(&property) {
        return None;
    }
    member.parent().filter(|c| c.kind_name() == "call_expression" && c.field("function") == Some(member))
}

/// The path a server's options give (`key: '/x'` in its first argument, an object, or in
/// the object a `useFactory` arrow returns): `/graphql` when the key is absent, `None` when
/// it is not a literal.
fn option_path(args: Option<Node>, key: &str, src: &[u8]) -> Option<String> {
    let Some(obj) = args.and_then(|a| named(a).into_iter().next()) else { return Some("/graphql".into()) };
    let obj = match prop(obj, "useFactory", src) {
        Some(f) if f.kind_name() == "arrow_function" => match f.field("body") {
            Some(b) if b.kind_name() == "parenthesized_expression" => b.named_child(0).unwrap_or(obj),
            Some(b) if b.kind_name() == "object" => b,
            // A factory whose options tapestry cannot see.
            _ => return None,
        },
        Some(_) => return None,
        None => obj,
    };
    if obj.kind_name() != "object" {
        return None;
    }
    match prop(obj, key, src) {
        None => Some("/graphql".into()),
        Some(v) => {
            let p = string_value(v, src)?;
            Some(if p.starts_with('/') { p } else { format!("/{p}") })
        }
    }
}

/// One GraphQL endpoint: on the Express router `app` (its prefixes apply), else on the
/// server itself.
fn route(facts: &mut ArchFacts, app: Option<&str>, method: &str, path: String, line: u32) {
    let router = match app {
        Some(a) => a.to_string(),
        None => format!("{FRAMEWORK}@{line}"),
    };
    super::arch::raw_route(facts, FRAMEWORK, &router, vec![method.to_string()], path, line);
}

#[cfg(test)]
mod tests {
    /// The gate knows every client.
    #[test]
    fn gate_has_clients() {
        for (client, _) in super::CLIENTS {
            assert!(super::mentions(&super::Words::scan(client.as_bytes())), "{client}");
        }
    }
}
