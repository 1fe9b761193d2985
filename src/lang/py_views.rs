//! Python class-based views whose HTTP methods are the handlers the class and its bases
//! define (issue #3, cause 1 of blind sample 27): aiohttp's `web.View` and Starlette's
//! `HTTPEndpoint` answer a request with the method named after it (`async def get`), and
//! a project often builds each view from mixins in other modules:
//!
//! ```python
//! # views/profiles/methods/get/handler.py
//! class Handler(web.View):
//!     async def get(self): ...
//! # views/profiles/methods/get/__init__.py
//! class GetView(Handler): pass
//! # views/profiles/__init__.py
//! class ProfilesView(GetView, UpdateView): pass
//! # routes.py
//! app.router.add_view("/profiles", ProfilesView)
//! ```
//!
//! Extraction records what each file says: the top-level classes of a file whose classes
//! `py_classes` does not record (it records them only in files that may hold HTTP
//! clients), with only their HTTP-handler methods ([`plain_classes`]), and the aiohttp `@routes.view("/p")` decorator on a class ([`decorated_views`]). Which methods
//! a view answers is worked out in `resolve/py_views.rs`, through the imports.

use super::py_arch::{named, split_args, template, text_of};
use super::query::{self, FieldExt};
use crate::model::{ArchFacts, RawPyClass, RawRoute};

/// The methods a class-based view's handler may be named (lower case, sorted).
pub const HANDLERS: &[&str] = &["delete", "get", "head", "options", "patch", "post", "put"];

/// The top-level classes, with only the handler methods they define ([`HANDLERS`]):
/// `py_classes::classes`'s, kept small.
pub fn plain_classes(tops: &super::py_classes::Tops, src: &[u8]) -> Vec<RawPyClass> {
    let mut out = super::py_classes::classes(tops, src);
    for c in &mut out {
        c.methods.retain(|m| HANDLERS.binary_search(&m.as_str()).is_ok());
    }
    out
}

/// Whether a file may decorate a class with aiohttp's `@routes.view(…)`.
pub fn mentions_view_decorator(text: &str) -> bool {
    text.contains(".view(")
}

/// aiohttp's `@routes.view("/p")` on a top-level class: a route on `routes` taking every
/// method (`ANY`) with the class as handler; resolution reads the class's handlers. The
/// route's framework is `?`: it counts only on a router known as one (`RouteTableDef`).
pub fn decorated_views(root: tree_sitter::Node, src: &[u8], facts: &mut ArchFacts) {
    for top in named(root).into_iter().filter(|t| t.kind_name() == "decorated_definition") {
        let Some(class) = top.field("definition").filter(|d| d.kind_name() == "class_definition") else {
            continue;
        };
        let Some(name) = class.field("name").map(|n| text_of(n, src)) else { continue };
        for decorator in named(top).into_iter().filter(|d| d.kind_name() == "decorator") {
            let Some(call) = decorator.named_child(0).filter(|c| c.kind_name() == "call") else { continue };
            let Some(func) = call.field("function").filter(|f| f.kind_name() == "attribute") else { continue };
            if func.field("attribute").is_none_or(|a| query::text(a, src) != "view") {
                continue;
            }
            let (Some(router), Some(args)) = (func.field("object"), call.field("arguments")) else { continue };
            let (pos, _) = split_args(args);
            let Some(path) = pos.first().copied().or_else(|| super::py_arch::kwarg(args, "path", src)) else {
                continue;
            };
            facts.routes.push(RawRoute {
                framework: "?".into(),
                router: text_of(router, src),
                methods: vec!["ANY".into()],
                path: template(path, src),
                handler: Some(name.clone()),
                line: query::line(decorator),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn handlers_are_sorted() {
        assert!(super::HANDLERS.windows(2).all(|w| w[0] < w[1]));
    }
}
