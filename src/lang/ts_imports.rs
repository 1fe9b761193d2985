//! The import patterns of JavaScript and TypeScript, matched in Rust.
//!
//! `queries/javascript/imports.scm` and `queries/typescript/imports.scm` say what
//! is matched; each native here stands for one of their patterns and gives the
//! same captures (the test below compares the two on every fixture). Compiling
//! even that small query cost tree-sitter ~87 M instructions per grammar (its
//! analysis walks the grammar's parse states), three grammars in a
//! TypeScript repository: 1 % of eclipse-theia's scan and most of a small
//! repository's (BENCHMARKS.md, "Session 21").

use tree_sitter::Node;

use super::query::{self, Captures, FieldExt, Native};

/// JavaScript's import natives, in the order of `queries/javascript/imports.scm`.
pub static JS_IMPORTS: &[Native] = &[
    Native { kind: "import_statement", pattern: Some(IMPORT), matches: import },
    Native { kind: "export_statement", pattern: Some(REEXPORT), matches: reexport },
    Native { kind: "call_expression", pattern: Some(REQUIRE), matches: require },
    Native { kind: "call_expression", pattern: Some(DYNAMIC), matches: dynamic },
];

/// TypeScript's (and TSX's): JavaScript's, then those of `queries/typescript/imports.scm`.
pub static TS_IMPORTS: &[Native] = &[
    Native { kind: "import_statement", pattern: Some(IMPORT), matches: import },
    Native { kind: "export_statement", pattern: Some(REEXPORT), matches: reexport },
    Native { kind: "call_expression", pattern: Some(REQUIRE), matches: require },
    Native { kind: "call_expression", pattern: Some(DYNAMIC), matches: dynamic },
    Native { kind: "import_statement", pattern: Some(IMPORT_TYPE), matches: import_type },
    Native { kind: "export_statement", pattern: Some(EXPORT_TYPE), matches: export_type },
    Native { kind: "import_require_clause", pattern: Some(IMPORT_REQUIRE), matches: import_require },
];

// ---- the patterns, as they are in queries/{javascript,typescript}/imports.scm ----

const IMPORT: &str = r#"(import_statement source: (string) @import.module)"#;
const REEXPORT: &str = r#"(export_statement source: (string) @import.module @import.reexport)"#;
const REQUIRE: &str = r#"(call_expression
  function: (identifier) @_f
  arguments: (arguments . [(string) (template_string) (binary_expression) (identifier) (call_expression)] @import.module)
  (#eq? @_f "require"))"#;
const DYNAMIC: &str = r#"(call_expression
  function: (import)
  arguments: (arguments . [(string) (template_string)] @import.module @import.dynamic))"#;
const IMPORT_TYPE: &str = r#"(import_statement "type" source: (string) @import.type_only)"#;
const EXPORT_TYPE: &str = r#"(export_statement "type" source: (string) @import.type_only)"#;
const IMPORT_REQUIRE: &str = r#"(import_require_clause source: (string) @import.module)"#;

/// The `source` child of `node` when it is a string.
fn source(node: Node) -> Option<Node> {
    node.field("source").filter(|s| s.kind_name() == "string")
}

/// The first named child of the `arguments` of `call` when its kind is one of `kinds`.
fn first_argument<'t>(call: Node<'t>, kinds: &[&str]) -> Option<Node<'t>> {
    let args = call.field("arguments").filter(|a| a.kind_name() == "arguments")?;
    args.named_child(0).filter(|a| kinds.contains(&a.kind_name()))
}

fn import<'t>(stmt: Node<'t>, _: &[u8], caps: &mut Captures<'t>) -> bool {
    source(stmt).map(|s| caps.push(("import.module", s))).is_some()
}

fn reexport<'t>(stmt: Node<'t>, _: &[u8], caps: &mut Captures<'t>) -> bool {
    source(stmt).map(|s| caps.extend([("import.module", s), ("import.reexport", s)])).is_some()
}

fn require<'t>(call: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    let named =
        call.field("function").is_some_and(|f| f.kind_name() == "identifier" && query::text(f, src) == "require");
    let kinds = ["string", "template_string", "binary_expression", "identifier", "call_expression"];
    let arg = first_argument(call, &kinds).filter(|_| named);
    arg.map(|a| caps.push(("import.module", a))).is_some()
}

fn dynamic<'t>(call: Node<'t>, _: &[u8], caps: &mut Captures<'t>) -> bool {
    let import = call.field("function").is_some_and(|f| f.kind_name() == "import");
    let arg = first_argument(call, &["string", "template_string"]).filter(|_| import);
    arg.map(|a| caps.extend([("import.module", a), ("import.dynamic", a)])).is_some()
}

/// The statement's source when an anonymous `type` child comes before it.
///
/// The children are looked at only when the text before the source holds `type`:
/// stepping through them cost ~1,800 instructions a statement, on every import.
fn typed_source<'t>(stmt: Node<'t>, src: &[u8]) -> Option<Node<'t>> {
    let source = source(stmt)?;
    let before = src.get(stmt.start_byte()..source.start_byte()).unwrap_or_default();
    memchr::memmem::find(before, b"type")?;
    let mut walk = stmt.walk();
    let typed = stmt
        .children(&mut walk)
        .take_while(|c| c.start_byte() < source.start_byte())
        .any(|c| !c.is_named() && c.kind_name() == "type");
    typed.then_some(source)
}

fn import_type<'t>(stmt: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    typed_source(stmt, src).map(|s| caps.push(("import.type_only", s))).is_some()
}

fn export_type<'t>(stmt: Node<'t>, src: &[u8], caps: &mut Captures<'t>) -> bool {
    typed_source(stmt, src).map(|s| caps.push(("import.type_only", s))).is_some()
}

fn import_require<'t>(clause: Node<'t>, _: &[u8], caps: &mut Captures<'t>) -> bool {
    source(clause).map(|s| caps.push(("import.module", s))).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    /// Every capture of a pass, as (name, node id), sorted: the import
    /// extractor reads captures one by one, whatever match holds them.
    fn captures(q: &query::LangQuery, tree: &tree_sitter::Tree, src: &str) -> Vec<(String, usize)> {
        let mut all = query::captures_in_order(q, tree, src);
        all.sort();
        all
    }

    /// The natives capture what the `.scm` patterns they stand for capture, on every
    /// JavaScript and TypeScript file of the fixtures and benches and on edge cases.
    #[test]
    fn natives_match_the_import_queries() {
        let mut samples = query::sample_sources(&[".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts"]);
        assert!(samples.len() > 100, "{}", samples.len());
        let edge = "import a from 'a'; import {b as c} from \"b\"; import * as d from 'd'; import 'e';\n\
            import type { T } from 't'; import type U from 'u'; import type from 'tf'; import { type V } from 'v';\n\
            export { x } from 'x'; export * from 'y'; export * as z from 'z'; export type { W } from 'w';\n\
            export { type Q } from 'q'; export const k = 1; export default f;\n\
            import m = require('m'); export import n = require('n');\n\
            require('r'); require(`t${1}`); require('./a/' + b); require(c); require(d()); require(/* c */ 'rc');\n\
            require(); require(1, 'x'); r.require('no'); require('a', 'b');\n\
            import('i'); import(`j`); import(/* c */ 'ic'); import(x); await import('k').then(f);\n";
        samples.extend(["ts", "tsx", "js"].map(|ext| (format!("edge.{ext}"), edge.to_string())));
        let mut total = 0;
        for lang in [Lang::TypeScript, Lang::Tsx, Lang::JavaScript] {
            let language = super::super::typescript::language(lang);
            let captures_of = super::super::typescript::full_captures();
            let (sources, natives) = match lang {
                Lang::JavaScript => (vec![include_str!("../../queries/javascript/imports.scm")], JS_IMPORTS),
                _ => (
                    vec![
                        include_str!("../../queries/javascript/imports.scm"),
                        include_str!("../../queries/typescript/imports.scm"),
                    ],
                    TS_IMPORTS,
                ),
            };
            let old = query::LangQuery::new(&language, &sources, &captures_of).unwrap();
            let new = query::LangQuery::with_import_natives(&language, &[], &captures_of, natives, &[]).unwrap();
            for (name, src) in samples.iter().filter(|(name, _)| super::super::typescript::is_sample_of(lang, name)) {
                let src = match lang {
                    Lang::JavaScript => src.clone(),
                    _ => super::super::ts_gaps::mask(src, lang == Lang::TypeScript).into_owned(),
                };
                let Ok(tree) = query::parse(&language, &src) else { continue };
                let want = captures(&old, &tree, &src);
                assert_eq!(want, captures(&new, &tree, &src), "{name}");
                total += want.len();
            }
        }
        assert!(total > 500, "{total}");
    }
}
