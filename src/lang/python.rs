//! Python extraction with tree-sitter-python and `queries/python/*.scm`.
//!
//! Collects `import a.b`, `from .x import y` (with its level and names),
//! `__import__`/`importlib.import_module` with a literal name, and the context
//! of each: inside a function (`dynamic`: loaded lazily), inside a `try`
//! (`conditional`: an optional dependency), under `if TYPE_CHECKING:`
//! (`type_only`: never executed). Resolution to files is `crate::resolve::python`.

use super::query::FieldExt;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use tree_sitter::Node;

use super::query::{self, LangQuery};
use crate::diagnostic::Diagnostic;
use crate::model::{FileFacts, Flags, Lang, Part, RawImport};

const CAPTURES: &[&str] = &["import.module", "import.from", "import.name", "import.future", "import.dynamic"];

/// The imports-only query: the reference the imports pass of [`FULL`] is tested against.
#[cfg(test)]
static QUERY: LazyLock<Result<LangQuery, String>> = LazyLock::new(|| {
    LangQuery::new(&tree_sitter_python::LANGUAGE.into(), &[include_str!("../../queries/python/imports.scm")], CAPTURES)
});

/// Every pattern of `imports.scm` matches text containing this: the keyword
/// of the three import statements, and part of `__import__`/`import_module`.
const NEEDLES: &[&str] = &["import"];
/// Imports plus the architecture patterns, all matched in Rust (`py_imports`,
/// `py_natives`: no query is compiled), for files that mention a framework,
/// a client, a broker or SQL ([`super::arch::triggered`]): one pass.
/// Other files run only the import natives, on the statements that spell [`NEEDLES`].
static FULL: LazyLock<Result<LangQuery, String>> = LazyLock::new(|| {
    let captures = [CAPTURES, super::py_arch::CAPTURES, super::py_shapes::CAPTURES].concat();
    let (imports, natives) = (super::py_imports::IMPORTS, super::py_natives::NATIVES);
    LangQuery::with_import_natives(&tree_sitter_python::LANGUAGE.into(), &[], &captures, imports, natives)
});

/// How far up the tree the context of an import is looked for.
const CONTEXT_DEPTH: usize = 96;

/// One import statement being assembled from its captures.
#[derive(Default)]
struct Stmt {
    spec: String,
    level: u32,
    names: Vec<String>,
    line: u32,
    flags: Flags,
}

/// Compile the queries now (see [`super::prepare_queries`]).
pub fn prepare() {
    let _ = &*FULL;
}

pub fn extract(rel: &str, text: &str, facts: &mut FileFacts) {
    // A module defining an `Enum` (`class RedisKeys(str, Enum)`) is read for its members:
    // queue names and paths are imported from one.
    // So is a module naming Celery, for its queue and task names.
    let with_arch = super::arch::triggered(text)
        || super::py_arch::config_module(rel)
        || text.contains("Enum)")
        || super::py_celery::celery_file(text);
    // Parsed before the query is asked for: another thread may still be compiling it.
    let tree = match query::parse(&tree_sitter_python::LANGUAGE.into(), text) {
        Ok(tree) => tree,
        Err(failure) => return query::parse_failure(rel, failure, facts),
    };
    let query = match &*FULL {
        Ok(q) => q,
        Err(e) => return facts.diagnostics.push(Diagnostic::error(rel, None, e.clone())),
    };
    let skip = query::check_tree(rel, &tree, facts);
    let src = text.as_bytes();
    // Keyed by (statement start byte, capture start byte) so output follows the source.
    let mut stmts: BTreeMap<(usize, usize), Stmt> = BTreeMap::new();
    let mut arch = super::py_arch::Collector::new(rel, text, tree.root_node());
    // Framework patterns can sit anywhere: files that mention a framework take the full pass.
    let needles = (!with_arch).then_some(NEEDLES);
    query.for_each_match_near(tree.root_node(), text, needles, skip.as_ref(), (rel, facts), |caps| {
        if !caps.first().is_some_and(|(n, _)| n.starts_with("import.")) {
            // The imports pass of a file that names no framework keeps imports only.
            if with_arch {
                arch.on_match(caps, src);
            }
            return;
        }
        for &(name, node) in caps {
            import_capture(&mut stmts, name, (tree.root_node(), node), src);
        }
    });
    let imported_from = |name: &str| {
        let stmt = stmts.values().find(|s| s.level == 0 && (s.spec == name || s.names.iter().any(|n| n == name)));
        stmt.map(|s| s.spec.clone())
    };
    facts.arch = arch.finish(&imported_from);
    if with_arch && text.contains("urlpatterns") {
        super::py_arch::urlpatterns_spreads(tree.root_node(), src, &imported_from, &mut facts.arch);
    }
    if with_arch {
        super::py_routers::scope(tree.root_node(), text, &mut facts.arch);
    }
    if super::py_celery::mentions(text) {
        facts.arch.celery = super::py_celery::extract(tree.root_node(), text);
    }
    if super::py_argparse::mentions(text) {
        super::py_argparse::consts(tree.root_node(), text, &mut facts.arch);
    }
    if super::py_restx::mentions(text) {
        super::py_restx::extract(tree.root_node(), text, &mut facts.arch);
    }
    if super::py_run::mentions(text) {
        super::py_run::listens(tree.root_node(), text, &mut facts.arch);
    }
    if super::py_arq::mentions(text) {
        super::py_arq::extract(tree.root_node(), text, &mut facts.arch);
    }
    if super::py_tablename::mentions(text) {
        super::py_tablename::extract(tree.root_node(), text, &mut facts.arch);
    }
    if with_arch {
        let imported: Vec<&str> = stmts.values().flat_map(|s| s.names.iter().map(String::as_str)).collect();
        super::py_arch::wrapper_calls(tree.root_node(), text, &imported, &mut facts.arch);
        super::py_arch::url_builders(tree.root_node(), text, &imported, &mut facts.arch);
    }
    // Constructions of imported classes and of the file's own classes whose constructor
    // parameters name queues: what they pass is a queue's name (`py_ctor`).
    let mut classes: Vec<&str> = stmts.values().flat_map(|s| s.names.iter().map(String::as_str)).collect();
    let a = &facts.arch;
    let queues = a.queues.iter().flat_map(|q| std::iter::once(&q.name).chain(q.key.as_ref()));
    let bound = a.amqp.iter().flat_map(|b| std::iter::once(&b.exchange).chain(b.queue.as_ref()).chain(b.key.as_ref()));
    classes.extend(queues.chain(bound).flatten().filter_map(|p| match p {
        Part::Ref(r) => super::py_ctor::parse(r).map(|m| m.0),
        _ => None,
    }));
    classes.retain(|c| c.starts_with(|b: char| b.is_ascii_uppercase()));
    classes.sort_unstable();
    classes.dedup();
    let tops = super::py_classes::Tops::new(tree.root_node());
    let made = super::py_ctor::constructions(&tops, text, &classes);
    facts.arch.queue_ctors = made;
    // HTTP clients written as classes (`py_classes`): constructions are read in every
    // file, since a caller names no client; classes and `self` calls in files that name
    // an HTTP client or import from their own package (`from .base import BaseSvc`), where
    // a client class and its subclasses live.
    let classes = super::py_classes::may_hold_client_classes(text);
    // A top-level class starts its line.
    if text.starts_with("class ") || text.contains("\nclass ") {
        if classes {
            facts.arch.py_classes = super::py_classes::classes(&tops, src);
        } else {
            // Class-based views built from bases in other modules (`py_views`).
            facts.arch.py_plain_classes = super::py_views::plain_classes(&tops, src);
        }
    }
    if super::py_views::mentions_view_decorator(text) {
        super::py_views::decorated_views(tree.root_node(), src, &mut facts.arch);
    }
    super::py_classes::uses(&tops, text, classes, &mut facts.arch);
    // Servers that route by hand (`async def app(scope, receive, send)`), read in any file.
    if super::py_raw::mentions(text) {
        super::py_raw::routes(tree.root_node(), src, &mut facts.arch);
    }
    if text.contains("INSTALLED_APPS") && super::py_arch::settings_module(rel) {
        facts.arch.installed_apps = super::py_arch::installed_apps(tree.root_node(), src);
    }
    if super::py_graphql::mentions(text) {
        super::py_graphql::extract(tree.root_node(), text, &mut facts.arch);
    }
    if super::py_connexion::mentions(text) {
        super::py_connexion::extract(tree.root_node(), text, &mut facts.arch);
    }
    if super::py_alembic::mentions(text) {
        super::py_alembic::tables(tree.root_node(), text, &mut facts.arch);
    }
    if super::py_firestore::mentions(text) {
        super::py_firestore::uses(tree.root_node(), text, &mut facts.arch);
    }
    if super::py_mongo::mentions_client(text) {
        facts.arch.mongo_getters = super::py_mongo::getters(tree.root_node(), src);
    }
    if text.contains("environ") || text.contains("getenv") {
        facts.arch.env_getters = super::py_arch::env_getters(tree.root_node(), src);
    }
    // `config`/`env` bound to python-decouple or django-environ, read by modules importing it.
    if super::py_envlib::names_a_library(src) {
        facts.arch.env_getters.extend(super::py_envlib::bound_names(tree.root_node(), src));
    }
    let file_flags = file_flags(rel);
    facts.imports.extend(stmts.into_values().filter(|s| !s.spec.is_empty() || s.level > 0).map(|s| RawImport {
        spec: s.spec,
        names: s.names,
        level: s.level,
        scope: Vec::new(),
        line: s.line,
        flags: s.flags.union(file_flags),
        is_use: true,
        allow_cycle: None,
    }));
}

/// One capture of an import pattern, merged into its statement.
fn import_capture(stmts: &mut BTreeMap<(usize, usize), Stmt>, name: &str, (root, node): (Node, Node), src: &[u8]) {
    match name {
        "import.module" | "import.dynamic" => {
            let stmt = stmts.entry((node.start_byte(), node.start_byte())).or_default();
            stmt.spec = query::text(node, src).to_string();
            stmt.line = query::line(node);
            stmt.flags = context_flags(root, node, src);
            if name == "import.dynamic" {
                stmt.flags.insert(Flags::DYNAMIC);
            }
        }
        "import.from" => {
            let stmt = from_stmt(stmts, root, node);
            let written = query::text(node, src);
            let dots = written.bytes().take_while(|b| *b == b'.').count();
            stmt.level = u32::try_from(dots).unwrap_or(u32::MAX);
            stmt.spec = written[dots..].trim().to_string();
            stmt.line = query::line(node);
            stmt.flags = context_flags(root, node, src);
        }
        "import.name" => {
            let name = query::text(node, src).to_string();
            from_stmt(stmts, root, node).names.push(name);
        }
        "import.future" => {
            let stmt = stmts.entry((node.start_byte(), node.start_byte())).or_default();
            stmt.spec = "__future__".to_string();
            stmt.line = query::line(node);
        }
        _ => {}
    }
}

/// The statement entry a part of a `from … import …` belongs to.
fn from_stmt<'m>(stmts: &'m mut BTreeMap<(usize, usize), Stmt>, root: Node, part: Node) -> &'m mut Stmt {
    let stmt = query::ancestors_below(root, part, 3)
        .into_iter()
        .find(|n| n.kind_name() == "import_from_statement")
        .unwrap_or(part);
    stmts.entry((stmt.start_byte(), 0)).or_default()
}

/// Flags every import of the file carries: test code, `__init__` re-exports.
fn file_flags(rel: &str) -> Flags {
    let mut flags = Flags::default();
    if super::is_test_path(rel, Lang::Python) {
        flags.insert(Flags::TEST);
    }
    if rel == "__init__.py" || rel.ends_with("/__init__.py") {
        flags.insert(Flags::REEXPORT);
    }
    flags
}

/// Flags from where an import sits: function body, `try`, `if TYPE_CHECKING:`.
fn context_flags(root: Node, node: Node, src: &[u8]) -> Flags {
    let mut flags = Flags::default();
    let mut child = node;
    for anc in query::ancestors_below(root, node, CONTEXT_DEPTH) {
        match anc.kind_name() {
            "function_definition" | "lambda" => flags.insert(Flags::DYNAMIC),
            "try_statement" => flags.insert(Flags::CONDITIONAL),
            "if_statement" if is_type_checking_branch(anc, child, src) => flags.insert(Flags::TYPE_ONLY),
            _ => {}
        }
        child = anc;
    }
    flags
}

/// `child` is the consequence of `if TYPE_CHECKING:` / `if typing.TYPE_CHECKING:`.
fn is_type_checking_branch(if_stmt: Node, child: Node, src: &[u8]) -> bool {
    let is_consequence = if_stmt.field("consequence").is_some_and(|c| c.id() == child.id());
    let cond = if_stmt.field("condition").map(|c| query::text(c, src)).unwrap_or("");
    is_consequence && (cond == "TYPE_CHECKING" || cond.ends_with(".TYPE_CHECKING"))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Row = (String, u32, Vec<String>, u32, Vec<&'static str>);

    fn imports(src: &str) -> Vec<Row> {
        let mut facts = FileFacts::default();
        extract("m.py", src, &mut facts);
        facts.imports.into_iter().map(|i| (i.spec, i.level, i.names, i.line, i.flags.names())).collect()
    }

    #[test]
    fn queries_compile() {
        assert!(QUERY.as_ref().is_ok(), "{:?}", QUERY.as_ref().err());
        assert!(FULL.as_ref().is_ok(), "{:?}", FULL.as_ref().err());
    }

    #[test]
    fn forms_and_contexts() {
        let src =
            "from __future__ import annotations\nimport a.b as c, d\nfrom ..x.y import p, q as r\nfrom . import *\n\
                   from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import t\nelse:\n    import u\n\
                   def f():\n    import lazy\ntry:\n    import opt\nexcept ImportError:\n    opt = None\n\
                   m = importlib.import_module(\"plug.x\")\n";
        let got = imports(src);
        let want: Vec<Row> = vec![
            ("__future__".into(), 0, vec![], 1, vec![]),
            ("a.b".into(), 0, vec![], 2, vec![]),
            ("d".into(), 0, vec![], 2, vec![]),
            ("x.y".into(), 2, vec!["p".into(), "q".into()], 3, vec![]),
            ("".into(), 1, vec!["*".into()], 4, vec![]),
            ("typing".into(), 0, vec!["TYPE_CHECKING".into()], 5, vec![]),
            ("t".into(), 0, vec![], 7, vec!["type_only"]),
            ("u".into(), 0, vec![], 9, vec![]),
            ("lazy".into(), 0, vec![], 11, vec!["dynamic"]),
            ("opt".into(), 0, vec![], 13, vec!["conditional"]),
            ("plug.x".into(), 0, vec![], 16, vec!["dynamic"]),
        ];
        assert_eq!(got, want);
    }

    /// The skipping pass finds what a full pass over the tree finds.
    fn same_as_full_pass(src: &str) {
        query::assert_same_as_full_pass(
            QUERY.as_ref().unwrap(),
            &tree_sitter_python::LANGUAGE.into(),
            src,
            Some(NEEDLES),
        );
    }

    /// A file that names no framework is read by the full query on the statements that
    /// spell an import, keeping its import matches: the same captures in the same order
    /// as the imports-only query's pass, on every Python file of the fixtures and benches.
    #[test]
    fn full_query_imports_pass_is_the_imports_query() {
        let language = tree_sitter_python::LANGUAGE.into();
        let mut samples = query::sample_sources(&[".py"]);
        samples.push((
            "edge".into(),
            "class A:\n    def f(self):\n        m = __import__('x')\n        importlib.import_module('y')\n        \
             requests.get('http://a/import')\nfrom . import (a, b as c)\n"
                .into(),
        ));
        for (name, src) in &samples {
            let Ok(tree) = query::parse(&language, src) else { continue };
            let pass = |q: &LangQuery| {
                let mut got = Vec::new();
                let mut facts = FileFacts::default();
                q.for_each_match_near(tree.root_node(), src, Some(NEEDLES), None, ("m.py", &mut facts), |caps| {
                    if caps.first().is_some_and(|(n, _)| n.starts_with("import.")) {
                        got.push(caps.iter().map(|(n, c)| ((*n).to_string(), c.id())).collect::<Vec<_>>());
                    }
                });
                got
            };
            assert_eq!(pass(FULL.as_ref().unwrap()), pass(QUERY.as_ref().unwrap()), "{name}");
        }
    }

    #[test]
    fn skipping_statements_without_imports_loses_nothing() {
        same_as_full_pass(include_str!("../../benches/data/orders_service.py"));
        same_as_full_pass(
            "class A:\n    def f(self):\n        m = __import__('x')\n        importlib.import_module('y')\n",
        );
        same_as_full_pass("x = 1\ndef broken(:\n    import os\nimport sys\n");
    }

    /// The architecture query, run only where a match can start, finds what a
    /// full pass finds, on every Python file of the fixtures and benches.
    #[test]
    fn walking_from_match_starts_loses_nothing() {
        let full = FULL.as_ref().unwrap();
        let samples = query::sample_sources(&[".py"]);
        assert!(samples.len() > 50, "{}", samples.len());
        for (name, src) in samples.iter().filter(|(_, s)| super::super::arch::triggered(s)) {
            eprintln!("{name}");
            query::assert_same_as_full_pass(full, &tree_sitter_python::LANGUAGE.into(), src, None);
        }
    }

    #[test]
    fn syntax_error_keeps_recovered_imports() {
        let mut facts = FileFacts::default();
        extract("m.py", "import os\ndef broken(:\n    pass\nimport sys\n", &mut facts);
        assert!(facts.parse_error);
        assert_eq!(facts.diagnostics[0].line, Some(2));
        let specs: Vec<_> = facts.imports.iter().map(|i| i.spec.as_str()).collect();
        assert!(specs.contains(&"os") && specs.contains(&"sys"), "{specs:?}");
    }

    #[test]
    fn nesting_bomb_does_not_overflow() {
        let src = format!("import os\nx = {}1{}\n", "(".repeat(20_000), ")".repeat(20_000));
        let mut facts = FileFacts::default();
        extract("m.py", &src, &mut facts);
        assert_eq!(facts.imports.len(), 1);
    }
}
