//! JS/TS URL-builder functions (issue #3; cause D of the twentieth blind sample).
//!
//! ```js
//! // services/Base.js
//! let baseUrl = 'http://localhost:8001/'
//! export function buildUrl(path) { return baseUrl.concat(path); }
//! // services/ShopService.js
//! import { buildUrl } from "@/services/Base";
//! axios.get(buildUrl(`goods/categories/${categoryId}/goods`), { headers })
//! ```
//!
//! A module-level function whose one `return` is a prefix followed by one of its
//! parameters (`PREFIX + p`, `PREFIX.concat(p)`, `` `${PREFIX}${p}` ``, an arrow function
//! alike) is a URL builder: its prefix is kept as a constant named by the builder's
//! marker (`marker`, `buildUrl.buildUrl()`), read in its module. A request whose whole
//! URL is a call of a builder the module declares, or of a name it imports from the
//! project, is the marker followed by the call's argument: resolution reads the marker
//! as any constant, through the import (`resolve/calls.rs`, `marker_of`); a name that is
//! no builder leaves the URL a run-time value, as before. The argument must hold literal
//! text (`buildUrl(path)` in a wrapper of its own is a path its callers give, not read).

use super::query::FieldExt;
use super::ts_words::{Words, W};
use tree_sitter::Node;

use super::arch::{lit, push_parts};
use super::query;
use super::ts_arch::{named, param_ident, template, url_pieces};
use crate::model::{ArchFacts, Part, RawConst, Template};

/// The end of a builder's marker.
const CALLED: &str = "()";

/// The marker of builder `name`: the constant its prefix is kept as, and the first part of
/// the URL of a request made of a call of it. Two segments, so that a module importing the
/// builder reads it as a member of the imported name, and never as the only constant of
/// its last segment in the project.
pub(crate) fn marker(name: &str) -> String {
    format!("{name}.{name}{CALLED}")
}

/// The builder a marker names (`buildUrl` of `buildUrl.buildUrl()`).
pub(crate) fn marker_of(r: &str) -> Option<&str> {
    let (head, last) = r.split_once('.')?;
    (last.strip_suffix(CALLED) == Some(head)).then_some(head)
}

/// Whether the text may declare a builder or call one: a cheap check.
pub fn mentions(words: &Words) -> bool {
    words.has(W::return_) || words.has(W::arrow)
}

/// The module's URL builders as constants (`marker`), and its requests made of a call of
/// a builder (its own, or a name imported from the project, `relative`) rewritten to the
/// marker followed by the argument.
pub fn builders(root: Node, text: &str, relative: &[String], facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let mut names: Vec<String> = Vec::new();
    for top in named(root) {
        let inner = match top.kind_name() {
            "export_statement" => top.field("declaration"),
            _ => Some(top),
        };
        let Some(inner) = inner else { continue };
        let found: Vec<(Node, Node)> = match inner.kind_name() {
            "function_declaration" => inner.field("name").map(|n| (n, inner)).into_iter().collect(),
            "lexical_declaration" | "variable_declaration" => named(inner)
                .into_iter()
                .filter_map(|d| {
                    let v = d.field("value")?;
                    let n = d.field("name").filter(|n| n.kind_name() == "identifier")?;
                    matches!(v.kind_name(), "arrow_function" | "function_expression" | "function").then_some((n, v))
                })
                .collect(),
            _ => Vec::new(),
        };
        for (name, f) in found {
            if let Some(prefix) = builder_prefix(f, src) {
                let name = query::text(name, src).to_string();
                facts.consts.push(RawConst { name: marker(&name), value: prefix, line: query::line(f) });
                names.push(name);
            }
        }
    }
    names.extend(relative.iter().cloned());
    names.sort_unstable();
    names.dedup();
    // A request of a builder's call was read as one run-time value (`{me}`).
    let single = facts.calls.iter().any(|c| matches!(c.url.as_slice(), [Part::Param(_)]));
    if names.is_empty() || !single {
        return;
    }
    for name in &names {
        let needle = format!("{name}(");
        for at in memchr::memmem::find_iter(src, needle.as_bytes()) {
            if at > 0 && (src[at - 1].is_ascii_alphanumeric() || matches!(src[at - 1], b'_' | b'$' | b'.')) {
                continue;
            }
            let Some(id) = root.descendant_for_byte_range(at, at + name.len()) else { continue };
            rewrite(id, name, src, facts);
        }
    }
}

/// `buildUrl(arg)` at identifier `id`, the whole URL of a request of `facts.calls` at its
/// line: that request's URL becomes the marker followed by the argument.
fn rewrite(id: Node, name: &str, src: &[u8], facts: &mut ArchFacts) -> Option<()> {
    let call = id.parent().filter(|c| c.kind_name() == "call_expression")?;
    if id.kind_name() != "identifier" || call.field("function") != Some(id) {
        return None;
    }
    let [arg] = named(call.field("arguments")?)[..] else { return None };
    let mut outer = call;
    while let Some(p) =
        outer.parent().filter(|p| matches!(p.kind_name(), "parenthesized_expression" | "await_expression"))
    {
        outer = p;
    }
    let request = outer.parent().filter(|a| a.kind_name() == "arguments")?.parent()?;
    let given = template(arg, src);
    // Literal text of a path, not a parameter handed on whole.
    if !given.iter().any(|p| matches!(p, Part::Lit(l) if l.bytes().any(|b| b.is_ascii_alphabetic()))) {
        return None;
    }
    let was = template(call, src);
    let line = query::line(request);
    let mut url = vec![Part::Ref(marker(name))];
    push_parts(&mut url, given);
    for c in facts.calls.iter_mut().filter(|c| c.line == line && c.url == was) {
        c.url = url.clone();
    }
    Some(())
}

/// The prefix of a builder: the one `return` of function `f` (or its expression body) is
/// a prefix of module-level names and text followed by one of `f`'s parameters.
fn builder_prefix(f: Node, src: &[u8]) -> Option<Template> {
    let params: Vec<&str> = match f.field("parameter") {
        Some(p) => vec![query::text(p, src)],
        None => named(f.field("parameters")?)
            .into_iter()
            .map(|p| param_ident(p).map(|i| query::text(i, src)))
            .collect::<Option<_>>()?,
    };
    let body = f.field("body")?;
    let returned = match body.kind_name() {
        "statement_block" => {
            let [ret] = named(body).into_iter().filter(|s| s.kind_name() != "comment").collect::<Vec<_>>()[..] else {
                return None;
            };
            (ret.kind_name() == "return_statement").then(|| ret.named_child(0))??
        }
        _ => body,
    };
    let is_param = |n: Node| n.kind_name() == "identifier" && params.contains(&query::text(n, src));
    let (before, last): (Vec<Node>, Node) = match returned.kind_name() {
        // `baseUrl.concat(path)`
        "call_expression" => {
            let func = returned.field("function").filter(|f| f.kind_name() == "member_expression")?;
            if func.field("property").map(|p| query::text(p, src)) != Some("concat") {
                return None;
            }
            let [arg] = named(returned.field("arguments")?)[..] else { return None };
            let mut pieces = Vec::new();
            url_pieces(func.field("object")?, src, &mut pieces);
            (pieces, arg)
        }
        "template_string" | "binary_expression" => {
            let mut pieces = Vec::new();
            url_pieces(returned, src, &mut pieces);
            let last = pieces.pop()?;
            (pieces, last)
        }
        _ => return None,
    };
    if !is_param(last) || before.is_empty() {
        return None;
    }
    let mut prefix = Template::new();
    for p in before {
        let t = match p.kind_name() {
            "string_fragment" | "escape_sequence" => lit(query::text(p, src)),
            "string" | "template_string" => template(p, src),
            "identifier" if !is_param(p) => template(p, src),
            "member_expression" if query::text(p, src).starts_with("process.env.") => template(p, src),
            "member_expression" if !query::text(p, src).starts_with("this.") => template(p, src),
            _ => return None,
        };
        if t.iter().any(|x| matches!(x, Part::Param(_))) {
            return None;
        }
        push_parts(&mut prefix, t);
    }
    (!prefix.is_empty()).then_some(prefix)
}
