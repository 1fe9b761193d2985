//! Python's import patterns (`queries/python/imports.scm`), matched in Rust.
//!
//! The `.scm` file says what is matched; the natives here give the same
//! captures in the same order (the test below compares the two on every
//! Python file of the fixtures and benches). Compiling that small query cost
//! tree-sitter ~80 M instructions (its analysis walks the grammar's parse
//! states), 1 % of a Django scan and most of a small project's
//! (BENCHMARKS.md, "Session 21").

use tree_sitter::Node;

use super::query::{self, Captures, FieldExt, Native};

/// The import natives, one per statement kind, each giving the captures of all
/// of that kind's patterns in document order, as the query did.
pub static IMPORTS: &[Native] = &[
    Native { kind: "import_statement", pattern: Some(IMPORT), matches: import },
    Native { kind: "import_from_statement", pattern: Some(FROM), matches: from },
    Native { kind: "future_import_statement", pattern: Some(FUTURE), matches: future },
    Native { kind: "call", pattern: Some(DYNAMIC), matches: dynamic },
];

// ---- patterns whose words say where each native can match (queries/python/imports.scm) ----

const IMPORT: &str = r#"(import_statement name: (dotted_name) @import.module)"#;
const FROM: &str = r#"(import_from_statement module_name: (_) @import.from)"#;
const FUTURE: &str = r#"(future_import_statement) @import.future"#;
/// The three by-name forms (`__import__`, `importlib.import_module`, `import_module`):
/// each spells one of these two names.
const DYNAMIC: &str = r#"(call
  function: (identifier) @_f
  arguments: (argument_list . (string (string_content) @import.dynamic))
  (#any-of? @_f "__import__" "import_module"))"#;

/// The name an `aliased_import` or a `dotted_name` imports.
fn imported(child: Node) -> Option<Node> {
    match child.kind_name() {
        "dotted_name" => Some(child),
        "aliased_import" => child.field("name").filter(|n| n.kind_name() == "dotted_name"),
        _ => None,
    }
}

/// `import a.b, c as d`: each name, in order.
fn import<'t>(stmt: Node<'t>, _: &[u8], caps: &mut Captures<'t>) -> bool {
    let mut walk = stmt.walk();
    let mut more = walk.goto_first_child();
    while more {
        if walk.field_name() == Some("name") {
            if let Some(name) = imported(walk.node()) {
                caps.push(("import.module", name));
            }
        }
        more = walk.goto_next_sibling();
    }
    !caps.is_empty()
}

/// `from ..a import b, c as d` / `from a import *`: the module, then each name, in order.
fn from<'t>(stmt: Node<'t>, _: &[u8], caps: &mut Captures<'t>) -> bool {
    let mut walk = stmt.walk();
    let mut more = walk.goto_first_child();
    while more {
        let child = walk.node();
        match walk.field_name() {
            Some("module_name") if child.is_named() && !child.is_error() => caps.push(("import.from", child)),
            Some("name") => caps.extend(imported(child).map(|n| ("import.name", n))),
            _ if child.kind_name() == "wildcard_import" => caps.push(("import.name", child)),
            _ => {}
        }
        more = walk.goto_next_sibling();
    }
    !caps.is_empty()
}

fn future<'t>(stmt: Node<'t>, _: &[u8], caps: &mut Captures<'t>) -> bool {
    caps.push(("import.future", stmt));
    true
}

/// `__import__("a")`, `importlib.import_module("a")`, `import_module("a")`: the
/// string's contents, when the string is the first argument.
fn dynamic<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let Some(function) = call.field("function") else { return false };
    let by_name = match function.kind_name() {
        "identifier" => matches!(query::text(function, src), "__import__" | "import_module"),
        "attribute" => {
            let part = |field: &'static str, word: &str| {
                function.field(field).is_some_and(|n| n.kind_name() == "identifier" && query::text(n, src) == word)
            };
            part("object", "importlib") && part("attribute", "import_module")
        }
        _ => false,
    };
    let args = call.field("arguments").filter(|a| a.kind_name() == "argument_list");
    let Some(string) = args.and_then(|a| a.named_child(0)).filter(|s| s.kind_name() == "string" && by_name) else {
        return false;
    };
    let mut walk = string.walk();
    caps.extend(
        string.children(&mut walk).filter(|c| c.kind_name() == "string_content").map(|c| ("import.dynamic", c)),
    );
    !caps.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The natives capture what `imports.scm` captures, in the same order, on every
    /// Python file of the fixtures and benches and on edge cases.
    #[test]
    fn natives_match_the_import_query() {
        let mut samples = query::sample_sources(&[".py"]);
        assert!(samples.len() > 50, "{}", samples.len());
        let edge = "import a\nimport a.b, c as d, e.f as g\nfrom x import y, z as w\nfrom . import (p, q as r)\n\
            from ..m.n import *\nfrom __future__ import annotations\nimport\nfrom import x\n\
            __import__('a.b')\n__import__(f'x{y}')\nimportlib.import_module('p.q')\nimportlib.import_module(n)\n\
            import_module('r')\nimport_module(\"s\\n\")\nother.import_module('t')\n__import__()\n__import__(1, 'u')\n\
            def f():\n    import k\n    from l import m\ntry:\n    import o\nexcept ImportError:\n    pass\n";
        samples.push(("edge.py".to_string(), edge.to_string()));
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        let names = ["import.module", "import.from", "import.name", "import.future", "import.dynamic"];
        let old =
            query::LangQuery::new(&language, &[include_str!("../../queries/python/imports.scm")], &names).unwrap();
        let new = query::LangQuery::with_import_natives(&language, &[], &names, IMPORTS, &[]).unwrap();
        let mut total = 0;
        for (name, src) in &samples {
            let Ok(tree) = query::parse(&language, src) else { continue };
            let want = query::captures_in_order(&old, &tree, src);
            assert_eq!(want, query::captures_in_order(&new, &tree, src), "{name}");
            total += want.len();
        }
        assert!(total > 500, "{total}");
    }
}
