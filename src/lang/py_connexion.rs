//! Spec-first Python apps (connexion, blind sample 19 cause 4): the routes live in an
//! OpenAPI 3 or Swagger 2 file the code registers, not in the code.
//!
//! ```python
//! app = connexion.App(__name__, specification_dir="openapi/")   # FlaskApp, AsyncApp
//! app.add_api("orders.yaml", base_path="/v1")                    # or a constant naming it
//! ```
//!
//! Each `add_api(spec, …)` on a name the module assigns a connexion app to is a
//! [`RawSpecApi`]: the spec as written, the app's `specification_dir` (relative to the
//! module's directory, as connexion reads it from `__name__`'s root path) and the
//! `base_path=` given. `resolve/openapi.rs` reads the file and serves its `paths`. A spec
//! registered on anything else (`api.add_api(x)` where `api` is no connexion app) is not
//! read: the registration is what says the spec is served.

use super::query::FieldExt;
use tree_sitter::Node;

use super::py_arch::{kwarg, split_args, template};
use super::query;
use crate::model::{ArchFacts, Part, RawSpecApi, Template};

/// connexion's app classes, by last name (sorted).
const APPS: &[&str] = &["AbstractApp", "App", "AsyncApp", "FlaskApp"];

/// Whether a file may register a spec on a connexion app.
pub fn mentions(text: &str) -> bool {
    text.contains("connexion") && text.contains(".add_api(")
}

/// The spec registrations of a file ([`mentions`] is asked first).
pub fn extract(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    // `from connexion import FlaskApp`: a bare `FlaskApp(…)` is connexion's.
    let bare = text.contains("from connexion import");
    let apps = app_names(root, src, bare);
    let imports_connexion = text.contains("import connexion") || text.contains("from connexion");
    for (at, _) in text.match_indices(".add_api(") {
        let paren = at + ".add_api".len();
        let Some(call) = root.descendant_for_byte_range(at, paren + 1).filter(|c| c.kind_name() == "call") else {
            continue;
        };
        let f = call.field("function").filter(|f| f.kind_name() == "attribute");
        let (Some(recv), Some(args)) =
            (f.and_then(|f| f.field("object")), call.field("arguments").filter(|a| a.kind_name() == "argument_list"))
        else {
            continue;
        };
        // An app another module builds (`from .settings import app`) in a module that uses
        // connexion: its `specification_dir` is not known here.
        let imported =
            || imports_connexion && recv.kind_name() == "identifier" && imports_name(text, query::text(recv, src));
        let dir = match apps.iter().find(|(name, _)| name == query::text(recv, src)) {
            Some((_, dir)) => dir.clone(),
            None if imported() => vec![Part::Param("specification_dir".into())],
            None => continue,
        };
        let (pos, _) = split_args(args);
        let Some(spec) = pos.first().copied().or_else(|| kwarg(args, "specification", src)) else { continue };
        facts.spec_apis.push(RawSpecApi {
            spec: template(spec, src),
            dir,
            base_path: kwarg(args, "base_path", src).map(|b| template(b, src)),
            line: query::line(call),
        });
    }
}

/// The names the module assigns a connexion app to (`app = connexion.App(…)`,
/// `self.app = FlaskApp(…)`), each with its `specification_dir=`.
fn app_names(root: Node, src: &[u8], bare: bool) -> Vec<(String, Template)> {
    let mut out: Vec<(String, Template)> = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if n.kind_name() == "assignment" {
            let (left, right) = (n.field("left"), n.field("right"));
            if let (Some(left), Some(call)) = (left, right.filter(|r| r.kind_name() == "call")) {
                let f = call.field("function").map_or("", |f| query::text(f, src));
                let (module, last) = f.rsplit_once('.').unwrap_or(("", f));
                let ours =
                    if module.is_empty() { bare } else { module == "connexion" || module.ends_with(".connexion") };
                if ours && APPS.binary_search(&last).is_ok() {
                    let args = call.field("arguments").filter(|a| a.kind_name() == "argument_list");
                    let dir = args.and_then(|a| kwarg(a, "specification_dir", src)).map(|d| template(d, src));
                    let name = query::text(left, src).to_string();
                    out.retain(|(n, _)| *n != name);
                    out.push((name, dir.unwrap_or_default()));
                }
            }
        }
        let mut walk = n.walk();
        stack.extend(n.named_children(&mut walk));
    }
    out
}

/// Whether a `from … import …` line of the module imports `name` (not renamed).
fn imports_name(text: &str, name: &str) -> bool {
    text.lines().filter_map(|l| l.trim_start().strip_prefix("from ")).filter_map(|l| l.split_once(" import ")).any(
        |(_, names)| {
            let names = names.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace());
            names.split(',').any(|n| n.trim() == name)
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn apps_are_sorted() {
        crate::resolve::assert_sorted(&[super::APPS]);
    }
}
