//! A FastAPI route whose path is one of the app's own documentation URLs (issue #3,
//! cause 10 of blind sample 27), as FastAPI's "self-hosting the docs" recipe writes it:
//!
//! ```python
//! def configurate_docs(app: FastAPI):
//!     @app.get(app.swagger_ui_oauth2_redirect_url, include_in_schema=False)
//!     async def swagger_ui_redirect(): ...
//! def create_app():
//!     app = FastAPI(docs_url=None, redoc_url=None)
//!     configurate_docs(app)
//! ```
//!
//! `app.swagger_ui_oauth2_redirect_url` is what the app's constructor was given for that
//! keyword, else FastAPI's default (`/docs/oauth2-redirect`). The path is read only when
//! the file shows every construction the receiver can hold: the receiver is assigned
//! `FastAPI(…)` in the function around the route (or at module level), or it is a
//! parameter of that function and each call of the function in the file passes a name
//! assigned `FastAPI(…)` there. A construction passing `**kwargs`, or the keyword as
//! anything but a string, leaves the path unknown (a diagnostic, as before).

use super::py_arch::{assignments, kwarg, named, split_args, string_value};
use super::query::{self, FieldExt};
use crate::lang::arch::lit;
use crate::model::Template;
use tree_sitter::Node;

/// FastAPI's URL attributes and their defaults (`fastapi/applications.py`; sorted).
const DEFAULTS: &[(&str, &str)] = &[
    ("docs_url", "/docs"),
    ("openapi_url", "/openapi.json"),
    ("redoc_url", "/redoc"),
    ("swagger_ui_oauth2_redirect_url", "/docs/oauth2-redirect"),
];

/// The path of a route written `@router.get(router.<attr>)`, when `<attr>` is a FastAPI
/// documentation URL and the file shows the constructions `router` holds.
pub fn path(path: Node, router: &str, src: &[u8]) -> Option<Template> {
    if path.kind_name() != "attribute" || path.field("object").is_none_or(|o| query::text(o, src) != router) {
        return None;
    }
    let attr = query::text(path.field("attribute")?, src);
    let default = DEFAULTS.binary_search_by(|(a, _)| (*a).cmp(attr)).ok().map(|i| DEFAULTS[i].1)?;
    if router.contains('.') {
        return None;
    }
    let func = query::ancestors(path, 64).find(|a| a.kind_name() == "function_definition");
    let ctors = match func {
        Some(func) => match assignments(router, func, src) {
            Some(values) if !values.is_empty() => values,
            _ => passed_apps(func, router, src)?,
        },
        None => module_values(path, router, src),
    };
    if ctors.is_empty() {
        return None;
    }
    let mut found: Option<String> = None;
    for c in ctors {
        let value = given(c, attr, src)?.unwrap_or_else(|| default.to_string());
        if found.as_ref().is_some_and(|f| *f != value) {
            return None;
        }
        found = Some(value);
    }
    found.map(|p| lit(&p))
}

/// What a `FastAPI(…)` construction gives the keyword `attr`: `Some(None)` when it passes
/// none (the default holds), `Some(Some(path))` for a string; `None` when it is no such
/// construction or the value cannot be read.
fn given(ctor: Node, attr: &str, src: &[u8]) -> Option<Option<String>> {
    if ctor.kind_name() != "call" {
        return None;
    }
    let f = query::text(ctor.field("function")?, src);
    if f != "FastAPI" && !f.ends_with(".FastAPI") {
        return None;
    }
    let args = ctor.field("arguments")?;
    if named(args).iter().any(|a| a.kind_name() == "dictionary_splat") {
        return None;
    }
    match kwarg(args, attr, src) {
        None => Some(None),
        Some(v) => string_value(v, src).filter(|p| p.starts_with('/')).map(Some),
    }
}

/// The values a module-level name is assigned at the top level of the module.
fn module_values<'t>(at: Node<'t>, name: &str, src: &[u8]) -> Vec<Node<'t>> {
    let Some(root) = query::ancestors(at, 256).find(|a| a.kind_name() == "module") else { return Vec::new() };
    named(root)
        .into_iter()
        .filter(|s| s.kind_name() == "expression_statement")
        .filter_map(|s| s.named_child(0).filter(|a| a.kind_name() == "assignment"))
        .filter(|a| a.field("left").is_some_and(|l| l.kind_name() == "identifier" && query::text(l, src) == name))
        .filter_map(|a| a.field("right"))
        .collect()
}

/// For `router`, a parameter of the top-level function `func`: the constructions each call
/// of `func` in the file passes for it (a name the caller assigns); `None` when a call
/// passes anything else, or there is no call.
fn passed_apps<'t>(func: Node<'t>, param: &str, src: &[u8]) -> Option<Vec<Node<'t>>> {
    let name = query::text(func.field("name")?, src);
    let params: Vec<Node> = named(func.field("parameters")?);
    let index = super::py_arch::param_position(&params, param, src)?;
    let root = query::ancestors(func, 256).find(|a| a.kind_name() == "module")?;
    // The function is defined at the module's top level (possibly decorated).
    if func.parent().is_none_or(|p| p != root && p.parent().is_none_or(|q| q != root)) {
        return None;
    }
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if n.kind_name() == "call" && n.field("function").is_some_and(|f| query::text(f, src) == name) {
            let args = n.field("arguments")?;
            let (pos, _) = split_args(args);
            let arg = kwarg(args, param, src).or_else(|| pos.get(index).copied())?;
            if arg.kind_name() != "identifier" {
                return None;
            }
            let caller = query::ancestors(n, 64).find(|a| a.kind_name() == "function_definition");
            let values = match caller {
                Some(c) => assignments(query::text(arg, src), c, src)?,
                None => module_values(n, query::text(arg, src), src),
            };
            if values.is_empty() {
                return None;
            }
            out.extend(values);
        }
        stack.extend(named(n));
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(code: &str) -> Vec<(u32, Option<String>)> {
        let mut p = tree_sitter::Parser::new();
        p.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let tree = p.parse(code, None).unwrap();
        let src = code.as_bytes();
        let mut out = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            if n.kind_name() == "decorator" {
                let call = n.named_child(0).unwrap();
                let router = call.field("function").unwrap().field("object").unwrap();
                let arg = named(call.field("arguments").unwrap())[0];
                let found = path(arg, query::text(router, src), src).map(|t| crate::resolve::arch::render(&t));
                out.push((query::line(n), found));
            }
            stack.extend(named(n));
        }
        out.sort();
        out
    }

    #[test]
    fn documentation_urls_of_the_constructions_the_file_shows() {
        let code = "def docs(app: FastAPI):
    @app.get(app.swagger_ui_oauth2_redirect_url)
    async def r(): ...
def create():
    app = FastAPI(docs_url=None)
    docs(app)
main = FastAPI(openapi_url='/api/openapi.json')
@main.get(main.openapi_url)
async def o(): ...
@main.get(main.title)
async def t(): ...
def unknown(app):
    @app.get(app.docs_url)
    async def d(): ...
def spread(app):
    @app.get(app.redoc_url)
    async def d(): ...
def make():
    spread(FastAPI(**opts))
";
        let found = paths(code);
        assert_eq!(
            found,
            [
                (2, Some("/docs/oauth2-redirect".into())),
                (8, Some("/api/openapi.json".into())),
                (10, None),
                (13, None),
                (16, None)
            ]
        );
    }
}
