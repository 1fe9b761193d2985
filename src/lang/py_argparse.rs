//! Command-line options read with `argparse` as constants: a URL, a host or a queue
//! name is often an option whose default is written next to it,
//! `parser.add_argument("--api-url", default=os.getenv("API_URL", "http://api:8000"))`,
//! then read as `args.api_url`. Each option with a `default=` becomes the constant
//! `<namespace>.<dest>` for every name the file binds the parsed options to
//! (`args = parser.parse_args()`, `args, _ = parser.parse_known_args()`, or
//! `args = get_args()` where the file's `get_args` returns `parser.parse_args()`), so
//! resolution reads `args.api_url` as it reads any constant: the environment first,
//! then the default (the Python counterpart of clap's `default_value`/`env`, `rs_arch`).
//!
//! An option's `dest` follows argparse (docs.python.org/3/library/argparse.html#dest):
//! `dest=` when given, else the first long option string without its `--`, else the
//! first short one without its `-`, else the positional name; `-` becomes `_`.
//! A value given on the command line is not known: the default is what the code
//! shows, as for clap. Only files naming both `add_argument` and `parse_` are read
//! ([`mentions`]), by a text search for the calls rather than a query pattern.

use super::query::FieldExt;
use tree_sitter::Node;

use super::arch;
use super::py_arch::{kwarg, split_args, string_value, template};
use super::query;
use crate::model::ArchFacts;

/// Whether a file may define options and parse them.
pub fn mentions(text: &str) -> bool {
    text.contains("add_argument") && text.contains("parse_")
}

/// Add `<namespace>.<dest>` constants for the file's options with a default.
pub fn consts(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let mut spaces = Vec::new();
    let mut getters = Vec::new();
    for parse in ["parse_args", "parse_known_args"] {
        bound_results(root, text, parse, &mut spaces, &mut getters);
    }
    // One level of getter: `def get_args(): return parser.parse_args()` then `args = get_args()`.
    for getter in std::mem::take(&mut getters) {
        bound_results(root, text, &getter, &mut spaces, &mut Vec::new());
    }
    spaces.sort();
    spaces.dedup();
    if spaces.is_empty() {
        return;
    }
    for (at, _) in text.match_indices(".add_argument(") {
        let Some(call) = call_of(root, at + 1, at + ".add_argument".len()) else { continue };
        let Some(args) = call.field("arguments") else { continue };
        let (Some(dest), Some(default)) = (dest(args, src), kwarg(args, "default", src)) else { continue };
        let value = template(default, src);
        for space in &spaces {
            arch::push_const(facts, format!("{space}.{dest}"), value.clone(), query::line(call));
        }
    }
}

/// The call whose callee ends with the name at `start..end` (`f(` or `x.f(`).
fn call_of(root: Node, start: usize, end: usize) -> Option<Node> {
    let name = root.descendant_for_byte_range(start, end).filter(|n| n.kind_name() == "identifier")?;
    let callee = name.parent().filter(|p| p.kind_name() == "attribute").unwrap_or(name);
    let call = callee.parent().filter(|c| c.kind_name() == "call")?;
    (call.field("function") == Some(callee)).then_some(call)
}

/// For each call of `callee` (`callee(…)`, `x.callee(…)`): the name it is assigned to
/// (`spaces`; the first of a tuple), or the function it is returned from (`getters`).
fn bound_results(root: Node, text: &str, callee: &str, spaces: &mut Vec<String>, getters: &mut Vec<String>) {
    let src = text.as_bytes();
    let pattern = format!("{callee}(");
    for (at, _) in text.match_indices(&pattern) {
        if at.checked_sub(1).is_some_and(|i| src[i].is_ascii_alphanumeric() || src[i] == b'_') {
            continue;
        }
        let Some(call) = call_of(root, at, at + callee.len()) else { continue };
        let Some(up) = call.parent() else { continue };
        match up.kind_name() {
            "assignment" if up.field("right") == Some(call) => {
                let left = up.field("left");
                let first = left.and_then(|l| match l.kind_name() {
                    "identifier" => Some(l),
                    "pattern_list" | "tuple_pattern" => l.named_child(0).filter(|f| f.kind_name() == "identifier"),
                    _ => None,
                });
                spaces.extend(first.map(|f| query::text(f, src).to_string()));
            }
            "return_statement" => {
                let func = query::ancestors(up, 64).find(|a| a.kind_name() == "function_definition");
                let name = func.and_then(|f| f.field("name"));
                getters.extend(name.map(|n| query::text(n, src).to_string()).filter(|n| n != callee));
            }
            _ => {}
        }
    }
}

/// The attribute an option is stored under (argparse's `dest`).
fn dest(args: Node, src: &[u8]) -> Option<String> {
    if let Some(d) = kwarg(args, "dest", src).and_then(|d| string_value(d, src)) {
        return Some(d);
    }
    let (positional, _) = split_args(args);
    let flags: Vec<String> = positional.iter().map_while(|a| string_value(*a, src)).collect();
    let name = flags
        .iter()
        .find_map(|f| f.strip_prefix("--"))
        .or_else(|| flags.iter().find_map(|f| f.strip_prefix('-')))
        .or_else(|| flags.first().map(String::as_str))?;
    let dest = name.replace('-', "_");
    let ok = !dest.is_empty() && dest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    ok.then_some(dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consts_of(code: &str) -> Vec<(String, String)> {
        let tree = query::parse(&tree_sitter_python::LANGUAGE.into(), code).ok().unwrap();
        let mut facts = ArchFacts::default();
        consts(tree.root_node(), code, &mut facts);
        facts.consts.into_iter().map(|c| (c.name, format!("{:?}", c.value))).collect()
    }

    #[test]
    fn dest_follows_argparse() {
        let code = "import argparse\np = argparse.ArgumentParser()\n\
                    p.add_argument('-u', '--api-url', default='http://a')\n\
                    p.add_argument('-t', default='x')\n\
                    p.add_argument('host', nargs='?', default='h')\n\
                    p.add_argument('--q', dest='queue', default='jobs')\n\
                    p.add_argument('--none')\n\
                    opts, rest = p.parse_known_args()\n";
        let names: Vec<String> = consts_of(code).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["opts.api_url", "opts.t", "opts.host", "opts.queue"]);
    }

    #[test]
    fn no_namespace_no_constant() {
        assert!(consts_of("p.add_argument('--url', default='http://a')\np.parse_args()\n").is_empty());
        let getter = "def get_args():\n    p.add_argument('--url', default='http://a')\n    return p.parse_args()\n\
                      cfg = get_args()\n";
        assert_eq!(consts_of(getter).len(), 1);
    }
}
