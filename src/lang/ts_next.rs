//! Next.js pages router: what `pages/_app` hands a page's `getInitialProps` (issue #3;
//! the tenth blind sample's Next.js clients).
//!
//! ```js
//! // pages/_app.js
//! AppComponent.getInitialProps = async (appContext) => {
//!   const client = buildClient(appContext.ctx);
//!   return appContext.Component.getInitialProps(appContext.ctx, client, user);
//! };
//! // pages/index.js
//! LandingPage.getInitialProps = async (context, client) => {
//!   const { data } = await client.get('/api/tickets');
//! };
//! ```
//!
//! With a custom `_app` that defines `getInitialProps`, Next.js calls only that one; a
//! page's own runs when `_app` calls it, with the arguments `_app` gives. So the page's
//! parameter at position 1 is what `_app` passes at position 1, here the client
//! `buildClient` makes, and the page's `client.get('/api/tickets')` is a request of that
//! client. Each page records its parameters, `_app` the names it hands
//! ([`RawInitialProps`]); resolution joins them for a page under the `pages/` directory
//! holding that `_app` (`resolve/calls.rs`).

use super::query::FieldExt;
use tree_sitter::Node;

use super::query;
use super::ts_arch::{named, param_ident};
use crate::model::{ArchFacts, RawInitialProps};

/// Whether a module is a page or `_app` of a pages router: under a `pages` directory,
/// not an API route (`pages/api/`).
pub fn pages_file(rel: &str) -> bool {
    let segs: Vec<&str> = rel.split('/').collect();
    segs.iter().position(|s| *s == "pages").is_some_and(|p| segs.get(p + 1).is_some_and(|n| *n != "api"))
}

/// The `pages` directory whose `_app` this module is (`client/pages/_app.js` →
/// `client/pages`), if it is one.
pub fn app_dir(rel: &str) -> Option<&str> {
    let (dir, name) = rel.rsplit_once('/')?;
    let stem = name.split('.').next()?;
    (stem == "_app" && dir.rsplit('/').next() == Some("pages")).then_some(dir)
}

/// Records what the module says about `getInitialProps` (see the module's documentation)
/// and returns a page's parameter names: `_app`'s `Component.getInitialProps(…)`
/// arguments, or a page's `Page.getInitialProps = (ctx, client) => …` /
/// `static async getInitialProps(ctx, client)` parameters.
pub fn initial_props(root: Node, rel: &str, text: &str, facts: &mut ArchFacts) -> Vec<String> {
    let src = text.as_bytes();
    let app = app_dir(rel).is_some();
    let mut params = Vec::new();
    for at in memchr::memmem::find_iter(src, b"getInitialProps") {
        let Some(word) = root.descendant_for_byte_range(at, at + "getInitialProps".len()) else { continue };
        let Some(parent) = word.parent().filter(|_| word.kind_name() == "property_identifier") else { continue };
        let (names, node) = match app {
            true => match handed(parent, src) {
                Some(args) => args,
                None => continue,
            },
            false => match page_function(parent) {
                Some(f) => (parameters(f, src), f),
                None => continue,
            },
        };
        if !app {
            params.extend(names.iter().filter(|n| !n.is_empty()).cloned());
        }
        let lines = (query::line(node), node.end_position().row as u32 + 1);
        facts.initial_props.push(RawInitialProps { names, lines });
    }
    params
}

/// `_app`'s `appContext.Component.getInitialProps(ctx, client, user)`: the names of the
/// arguments (empty where one is not a plain name) and the call.
fn handed<'t>(member: Node<'t>, src: &[u8]) -> Option<(Vec<String>, Node<'t>)> {
    let object = member.field("object").filter(|_| member.kind_name() == "member_expression")?;
    let component = match object.kind_name() {
        "identifier" => object,
        "member_expression" => object.field("property")?,
        _ => return None,
    };
    let call = member.parent().filter(|c| c.kind_name() == "call_expression")?;
    if query::text(component, src) != "Component" || call.field("function") != Some(member) {
        return None;
    }
    let args = named(call.field("arguments")?);
    let names =
        args.iter()
            .map(|a| if a.kind_name() == "identifier" { query::text(*a, src).to_string() } else { String::new() });
    Some((names.collect(), call))
}

/// A page's `getInitialProps` function: the value assigned to `Page.getInitialProps`, or
/// the class's `static getInitialProps` method.
fn page_function(parent: Node) -> Option<Node> {
    match parent.kind_name() {
        "method_definition" => Some(parent),
        "member_expression" => {
            let assignment = parent.parent().filter(|a| a.kind_name() == "assignment_expression")?;
            let value = assignment.field("right")?;
            let function = matches!(value.kind_name(), "arrow_function" | "function_expression" | "function");
            (assignment.field("left") == Some(parent) && function).then_some(value)
        }
        _ => None,
    }
}

/// A function's parameter names by position, empty for a pattern (`{ req }`).
fn parameters(f: Node, src: &[u8]) -> Vec<String> {
    let list = match f.field("parameters") {
        Some(p) => named(p),
        // `async client => …`: one parameter, no parentheses.
        None => f.field("parameter").into_iter().collect(),
    };
    list.into_iter().map(|p| param_ident(p).map_or_else(String::new, |i| query::text(i, src).to_string())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_app() {
        assert!(pages_file("client/pages/index.js"));
        assert!(pages_file("pages/orders/[orderId].tsx"));
        assert!(!pages_file("client/pages/api/hello.ts"));
        assert!(!pages_file("client/components/pages.js"));
        assert_eq!(app_dir("client/pages/_app.js"), Some("client/pages"));
        assert_eq!(app_dir("pages/_app.tsx"), Some("pages"));
        assert_eq!(app_dir("client/pages/admin/_app.js"), None);
        assert_eq!(app_dir("client/pages/index.js"), None);
    }
}
