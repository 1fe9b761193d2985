//! Property tests: no input makes an entry point panic, hang or overflow.
//!
//! The stand-in for `cargo fuzz` (fuzz/, which needs a nightly toolchain):
//! arbitrary bytes, arbitrary strings and "token soup" built from each
//! language's own keywords and brackets (which reaches far deeper into the
//! parsers than random bytes) for every extractor, the Rust depth estimate,
//! the project configs the resolvers read (package.json, tsconfig.json,
//! Cargo.toml) through a real scan of a temporary directory, and tapestry's
//! own inputs (`tapestry.toml`, a `--baseline` file).
//!
//! Case counts are modest so `cargo test` stays fast (256 per property, 48 for
//! the scans); `PROPTEST_CASES=100000 cargo test --test never_panic` (what
//! `scripts/fuzz.sh` runs without nightly) searches much harder. A failing
//! case is saved under `proptest-regressions/` and replayed first from then on.

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{json, Value};
use tapestry::lang::{extract, rust_depth};
use tapestry::model::{FileFacts, Lang};

const LANGS: [Lang; 5] = [Lang::Rust, Lang::Python, Lang::TypeScript, Lang::Tsx, Lang::JavaScript];

/// `cases` unless PROPTEST_CASES says otherwise.
fn config(cases: u32) -> Config {
    let mut c = Config::default();
    if std::env::var("PROPTEST_CASES").is_err() {
        c.cases = cases;
    }
    c
}

/// What every extraction must satisfy: lines in range, deterministic.
fn check(rel: &str, bytes: &[u8], lang: Lang) -> FileFacts {
    let facts = extract(rel, bytes, lang);
    let max_line = facts.lines.max(1);
    for i in &facts.imports {
        assert!(i.line >= 1 && i.line <= max_line, "{lang:?}: import `{}` at line {} of {max_line}", i.spec, i.line);
    }
    for m in &facts.mods {
        assert!(m.line >= 1 && m.line <= max_line, "{lang:?}: mod {} at line {} of {max_line}", m.name, m.line);
    }
    for d in &facts.diagnostics {
        assert!(d.line.is_none_or(|l| l >= 1 && l <= max_line), "{lang:?}: {d:?} past line {max_line}");
        assert_eq!(d.file, rel);
    }
    assert_eq!(facts, extract(rel, bytes, lang), "{lang:?}: extraction is deterministic");
    facts
}

const RUST_TOKENS: &[&str] = &[
    "mod ",
    "use ",
    "pub ",
    "pub(crate) ",
    "crate",
    "self",
    "super",
    "::",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    ";",
    ",",
    "#[path = \"x.rs\"]",
    "#[cfg(test)]",
    "#[cfg(not(test))]",
    "fn ",
    "a",
    "b",
    "x_1",
    "\"s\"",
    "'a",
    "'c'",
    "r#\"",
    "\"#",
    "/*",
    "*/",
    "//",
    "\n",
    "\r\n",
    " ",
    "else ",
    "if ",
    "*",
    "&",
    "!",
    "+",
    ".",
    "?",
    "'",
    "\"",
    "\\",
    "=>",
    "->",
    "as ",
    "extern crate ",
    "macro_rules! m ",
    "m!",
    "impl ",
    "struct ",
    "\u{FEFF}",
    "é",
    "\0",
];
const PY_TOKENS: &[&str] = &[
    "import ",
    "from ",
    ".",
    "..",
    " as ",
    ",",
    "(",
    ")",
    "*",
    "a",
    "b",
    "os",
    "def f():",
    "try:",
    "except:",
    "if TYPE_CHECKING:",
    "\n",
    "\r\n",
    "    ",
    "\t",
    "importlib.import_module(",
    "__import__(",
    "\"x\"",
    "'y'",
    "'''",
    "\"\"\"",
    "\\\n",
    "#",
    "lambda:",
    ":",
    "[",
    "]",
    "{",
    "}",
    "class C:",
    "__future__",
    "annotations",
    "\u{FEFF}",
    "é",
    "f\"{",
    "}\"",
    "\0",
];
const TS_TOKENS: &[&str] = &[
    "import ",
    "export ",
    " from ",
    "type ",
    "require(",
    "import(",
    "'./a'",
    "\"b\"",
    "`c`",
    "${",
    "{",
    "}",
    "(",
    ")",
    "<div>",
    "</div>",
    "<",
    ">",
    "=>",
    ";",
    ",",
    "*",
    " as ",
    "=",
    "/*",
    "*/",
    "//",
    "/re/",
    "\n",
    "\r\n",
    " ",
    "x",
    "const ",
    "function ",
    "class ",
    "@dec ",
    "'",
    "\"",
    "`",
    "\\",
    "#private",
    "?.",
    "!",
    "[",
    "]",
    "\u{FEFF}",
    "é",
    "\0",
];

fn soup(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(tokens), 0..max).prop_map(|v| v.concat())
}

fn tokens_of(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Rust => RUST_TOKENS,
        Lang::Python => PY_TOKENS,
        _ => TS_TOKENS,
    }
}

fn lang_and_soup(max: usize) -> impl Strategy<Value = (Lang, String)> {
    prop::sample::select(LANGS.as_slice()).prop_flat_map(move |lang| (Just(lang), soup(tokens_of(lang), max)))
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn extract_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        for lang in LANGS {
            check("f", &bytes, lang);
        }
    }

    #[test]
    fn extract_never_panics_on_arbitrary_text(text in "\\PC{0,512}|[\\x00-\\x7f]{0,512}") {
        for lang in LANGS {
            check("dir/f", text.as_bytes(), lang);
        }
    }

    #[test]
    fn extract_never_panics_on_token_soup((lang, text) in lang_and_soup(400)) {
        check("src/lib.rs", text.as_bytes(), lang);
    }

    /// Deep soup: long runs of the same few tokens, the shape of nesting bombs.
    #[test]
    fn extract_never_panics_on_repeated_tokens((lang, unit) in lang_and_soup(4), n in 1usize..600) {
        let text = unit.repeat(n);
        check("src/main.rs", text.as_bytes(), lang);
    }

    #[test]
    fn rust_depth_estimate_never_panics_and_stops_at_the_limit(text in soup(RUST_TOKENS, 400), limit in 0usize..64) {
        let full = rust_depth::estimate(&text, usize::MAX);
        let capped = rust_depth::estimate(&text, limit);
        prop_assert!(capped <= full && (capped == full || capped > limit), "{capped} {full} {limit}");
    }
}

// ─────────────── configs, through a real scan of a temporary directory ───────────────

/// JSON values built from the words the TypeScript resolver looks for.
fn json_value() -> impl Strategy<Value = Value> {
    let words = prop::sample::select(vec![
        "name",
        "exports",
        "imports",
        "main",
        "module",
        "source",
        "types",
        "compilerOptions",
        "paths",
        "baseUrl",
        "extends",
        "outDir",
        "rootDir",
        ".",
        "./sub",
        "./src/*",
        "#x",
        "#x/*",
        "import",
        "require",
        "default",
        "*",
        "@/*",
        "lib/*",
        "./tsconfig.json",
        "../x.json",
        "node_modules/p",
        "dist",
        "src",
        "",
        "..",
        "/abs",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        words.clone().prop_map(|w| json!(w)),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((words.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

/// TOML tables built from the keys the Rust resolver reads.
fn toml_value() -> impl Strategy<Value = toml::Value> {
    let words = prop::sample::select(vec![
        "package",
        "name",
        "lib",
        "path",
        "bin",
        "test",
        "bench",
        "example",
        "dependencies",
        "dev-dependencies",
        "workspace",
        "members",
        "src/lib.rs",
        "src/main.rs",
        "../x",
        "",
        "a-b",
        "*",
    ]);
    let leaf = prop_oneof![
        any::<bool>().prop_map(toml::Value::Boolean),
        any::<i64>().prop_map(toml::Value::Integer),
        words.clone().prop_map(|w| toml::Value::String(w.to_string())),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(toml::Value::Array),
            prop::collection::vec((words.clone(), inner), 0..6)
                .prop_map(|kv| toml::Value::Table(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

/// A small project around the configs: TypeScript files importing what the
/// configs could map, a Rust crate, a Python package.
fn scan_project(files: &[(&str, &str)]) {
    let t = tempfile::tempdir().unwrap();
    let base: &[(&str, &str)] = &[
        ("src/a.ts", "import x from '@/b';\nimport y from '#x/y';\nimport z from 'p/sub';\nimport w from './c.js';\n"),
        ("src/b.ts", "export * from 'lib/q';\n"),
        ("src/c.ts", ""),
        ("sub/index.ts", "import a from '../src/a';\n"),
        ("src/lib.rs", "mod m;\nuse crate::m::x;\n"),
        ("src/m.rs", "pub fn x() {}\n"),
        ("src/main.rs", "use p::m;\n"),
        ("pkg/__init__.py", "from . import mod\n"),
    ];
    for (rel, text) in base.iter().chain(files) {
        let p = t.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let (report, _) =
        tapestry::scan(t.path(), &tapestry::ScanOptions::default()).expect("a scan never fails on content");
    for f in [tapestry::report::Format::Json, tapestry::report::Format::Dot, tapestry::report::Format::Summary] {
        assert!(!f.render(&report).is_empty());
    }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn typescript_configs_never_panic(pkg in json_value(), tsconfig in json_value(), base in json_value()) {
        let (pkg, tsconfig, base) = (pkg.to_string(), tsconfig.to_string(), base.to_string());
        scan_project(&[
            ("package.json", &pkg),
            ("tsconfig.json", &tsconfig),
            ("tsconfig.base.json", &base),
            ("sub/package.json", &pkg),
        ]);
    }

    #[test]
    fn typescript_configs_as_text_never_panic(pkg in "\\PC{0,200}", tsconfig in "[{}\\[\\]\",:/* a-z\n]{0,200}") {
        scan_project(&[("package.json", &pkg), ("tsconfig.json", &tsconfig)]);
    }

    #[test]
    fn cargo_manifests_never_panic(manifest in toml_value(), text in "[\\[\\]=\"a-z. \n]{0,200}") {
        let manifest = match &manifest {
            toml::Value::Table(t) => toml::to_string(t).unwrap_or_default(),
            other => format!("package = {other}"),
        };
        scan_project(&[("Cargo.toml", &manifest), ("sub/Cargo.toml", &text)]);
    }
}

// ─────────────── tapestry's own inputs: tapestry.toml and a baseline ───────────────

/// tapestry.toml shaped values: the sections and keys `Config::parse` reads,
/// with globs, edge class names and junk as values.
fn tapestry_toml() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "analysis",
        "rules",
        "edge_classes",
        "critical_paths",
        "layers",
        "forbidden",
        "allowed_cycles",
        "from",
        "to",
        "message",
        "nodes",
        "reason",
        "thresholds",
        "x",
    ]);
    let word = prop::sample::select(vec![
        "src/**",
        "src/{a,b}/*",
        "[",
        "**/",
        "static",
        "dynamic",
        "type_only",
        "test",
        "bogus",
        "",
        "a\\b",
        "{",
    ]);
    let leaf = prop_oneof![
        any::<bool>().prop_map(toml::Value::Boolean),
        any::<i64>().prop_map(toml::Value::Integer),
        word.prop_map(|w| toml::Value::String(w.to_string())),
    ];
    let value = leaf.prop_recursive(3, 32, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(toml::Value::Array),
            prop::collection::vec((key.clone(), inner), 0..5)
                .prop_map(|kv| toml::Value::Table(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    });
    value.prop_map(|v| match &v {
        toml::Value::Table(t) => toml::to_string(t).unwrap_or_default(),
        other => format!("analysis = {other}"),
    })
}

/// A loader error of `tapestry.toml` is `line: message`, with a line of the text.
fn assert_config_error_has_a_line(text: &str, e: &str) {
    let line: usize = e.split_once(':').and_then(|(l, _)| l.parse().ok()).unwrap_or_else(|| panic!("no line: {e}"));
    assert!(line >= 1 && line <= text.lines().count().max(1) + 1, "line {line} of {text:?}: {e}");
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn the_config_loader_never_panics_and_its_errors_have_a_line(
        toml in tapestry_toml(),
        text in "\\PC{0,200}|[\\[\\]=\"a-z_.*{}, \n]{0,200}",
    ) {
        for t in [&toml, &text] {
            if let Err(e) = tapestry::config::Config::parse(t) {
                assert_config_error_has_a_line(t, &e);
            }
        }
    }

    #[test]
    fn the_baseline_loader_never_panics_and_its_errors_have_a_line(
        v in json_value(),
        text in "\\PC{0,200}|[{}\\[\\]\",:0-9a-z_ \n]{0,200}",
        violations in prop::collection::vec(json_value(), 0..4),
    ) {
        let shaped = json!({"tapestry_baseline": 1, "edge_classes": ["static"], "violations": violations});
        for t in [v.to_string(), text, shaped.to_string()] {
            if let Err((line, e)) = tapestry::gate::Baseline::parse(&t) {
                prop_assert!(!e.is_empty());
                prop_assert!(line.is_none_or(|l| l >= 1 && l <= t.lines().count().max(1)), "{line:?}: {e}");
            }
        }
    }
}

/// Found by the proptest above: serde places the end of `"\n"` on line 2, a
/// line the text does not have; the loader reports the last line instead.
#[test]
fn a_baseline_error_at_the_end_of_the_text_is_on_its_last_line() {
    let Err((line, e)) = tapestry::gate::Baseline::parse("\n") else { panic!("an empty baseline parsed") };
    assert_eq!(line, Some(1), "{e}");
}

#[test]
fn the_scan_project_harness_reads_what_it_writes() {
    // A sanity check of the harness itself: with valid configs the imports resolve.
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("a.py"), "import os\n").unwrap();
    let (report, n) = tapestry::scan(Path::new(t.path()), &tapestry::ScanOptions::default()).unwrap();
    assert_eq!(n, 1);
    assert!(tapestry::report::Format::Json.render(&report).contains("python-stdlib:os"));
}

// ─────────────── deployment and schema files ───────────────

use tapestry::resolve::{routes::parse_proto, services::parse_dotenv, tables, yaml};

/// What the YAML reader must satisfy: no panic, bounded trees, lines in range.
fn check_yaml(text: &str) {
    // YAML breaks lines at `\r` too: bound by every break character.
    let lines = u32::try_from(text.matches(['\n', '\r']).count() + 1).unwrap();
    match yaml::parse(text) {
        Ok(docs) => {
            for d in &docs {
                assert!(d.height() <= yaml::MAX_DEPTH + 1, "{text:?}");
            }
        }
        Err((_, line)) => assert!(line >= 1 && line <= lines + 1, "line {line} of {lines}: {text:?}"),
    }
}

const YAML_TOKENS: &[&str] = &[
    "services:",
    "build:",
    "context:",
    "dockerfile:",
    "image:",
    "ports:",
    "environment:",
    "depends_on:",
    "networks:",
    "aliases:",
    "container_name:",
    "apiVersion: v1",
    "kind: Deployment",
    "kind: Service",
    "metadata:",
    "name:",
    "spec:",
    "template:",
    "containers:",
    "env:",
    "value:",
    "containerPort:",
    "selector:",
    "app:",
    "packages:",
    " x",
    " ./api",
    " \"8080:80\"",
    " 80",
    " ${PORT}",
    " ~",
    " null",
    "&a",
    "&b",
    "*a",
    "*b",
    "<<:",
    "- ",
    "? ",
    ": ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\n",
    "  ",
    "    ",
    "\t",
    "'",
    "\"",
    "|",
    ">",
    "#",
    "---\n",
    "...\n",
    "!!str",
    "!tag",
    "%YAML 1.2\n",
    "\\",
    "\r\n",
    "é",
    "\u{FEFF}",
];

const SQL_TOKENS: &[&str] = &[
    "SELECT ",
    "INSERT ",
    "INTO ",
    "UPDATE ",
    "DELETE ",
    "FROM ",
    "WHERE ",
    "JOIN ",
    "ON ",
    "WITH ",
    "AS ",
    "CREATE ",
    "ALTER ",
    "DROP ",
    "TABLE ",
    "IF NOT EXISTS ",
    "VALUES ",
    "SET ",
    "UNION ",
    "AND ",
    "OR ",
    "NOT ",
    "IN ",
    "IS NULL ",
    "CASE ",
    "WHEN ",
    "THEN ",
    "END ",
    "MERGE ",
    "TRUNCATE ",
    "users ",
    "o.id ",
    "\"Q\" ",
    "`b` ",
    "'s' ",
    "1 ",
    "? ",
    "%s ",
    "%(n)s ",
    "$1 ",
    "(",
    ")",
    ",",
    ";",
    "*",
    "+",
    "-",
    "=",
    "<",
    ">",
    "::",
    "||",
    ".",
    "--",
    "/*",
    "*/",
    "\n",
    "$$",
    "'",
    "\"",
    "[",
    "]",
    "é",
];

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn yaml_reader_never_panics_on_arbitrary_text(text in "\\PC{0,512}|[\\x00-\\x7f]{0,512}") {
        check_yaml(&text);
    }

    #[test]
    fn yaml_reader_never_panics_on_yaml_soup(text in soup(YAML_TOKENS, 300)) {
        check_yaml(&text);
    }

    /// Long runs of a few YAML tokens: the shape of nesting and alias bombs.
    #[test]
    fn yaml_reader_stays_bounded_on_repeated_tokens(unit in soup(YAML_TOKENS, 4), n in 1usize..3000) {
        check_yaml(&unit.repeat(n));
    }

    #[test]
    fn sql_reader_never_panics_on_arbitrary_text(text in "\\PC{0,512}|[\\x00-\\x7f]{0,512}") {
        let first = tables::analyze(&text);
        prop_assert_eq!(first, tables::analyze(&text), "deterministic");
    }

    #[test]
    fn sql_reader_never_panics_on_sql_soup(text in soup(SQL_TOKENS, 300)) {
        tables::analyze(&text);
    }

    /// Long runs of a few SQL tokens (nested sub-queries, operator chains).
    #[test]
    fn sql_reader_never_overflows_on_repeated_tokens(unit in soup(SQL_TOKENS, 4), n in 1usize..5000) {
        tables::analyze(&format!("SELECT a FROM t WHERE {}", unit.repeat(n)));
    }

    #[test]
    fn proto_and_dotenv_readers_never_panic(text in "\\PC{0,512}|[\\x00-\\x7f]{0,512}", soup in soup(&[
        "syntax = \"proto3\";", "package ", "service ", "rpc ", "returns ", "(", ")", "{", "}", ";", "//", "/*",
        "a.b", "Cart", "\n", " ", "export ", "=", "#", "KEY", "'", "\"", "\r\n", "é",
    ], 200)) {
        for t in [&text, &soup] {
            let lines = u32::try_from(t.lines().count()).unwrap();
            for (svc, full, line) in parse_proto(t) {
                prop_assert!(line >= 1 && line <= lines && full.starts_with('/') && full.contains(&svc), "{t:?}");
            }
            parse_dotenv(t);
        }
    }
}

/// Every deployment and schema file kind tapestry reads, in one project:
/// compose, Kubernetes, pnpm-workspace.yaml, `.proto`, `.env`, Prisma, a SQL
/// migration, and SQL strings in Python code.
fn scan_deploy_files(yaml: &str, text: &str, sql: &str) {
    let py = format!("db.execute({sql:?})\ncursor.execute(\"SELECT * FROM {}\")\n", sql.replace(['"', '\\'], ""));
    scan_project(&[
        ("docker-compose.yml", yaml),
        ("deploy/compose.yaml", &format!("services:\n  api:\n    build: ../sub\n{yaml}")),
        ("k8s/app.yaml", &format!("apiVersion: apps/v1\nkind: Deployment\n{yaml}")),
        ("pnpm-workspace.yaml", yaml),
        ("api.proto", text),
        (".env", text),
        ("prisma/schema.prisma", text),
        ("migrations/001.sql", sql),
        ("db.py", &py),
    ]);
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn deploy_and_schema_files_as_text_never_panic(yaml in "\\PC{0,300}", text in "\\PC{0,300}", sql in "\\PC{0,300}") {
        scan_deploy_files(&yaml, &text, &sql);
    }

    #[test]
    fn deploy_and_schema_files_as_soup_never_panic(
        yaml in soup(YAML_TOKENS, 200),
        text in soup(&["model ", "User", " {", "}", "@@map(\"", "\")", "service ", "rpc ", "(", ")", "package ",
            "KEY=", "export ", "\n", " ", "\"", "mongodb", "é"], 100),
        sql in soup(SQL_TOKENS, 200),
    ) {
        scan_deploy_files(&yaml, &text, &sql);
    }
}

/// Compose/Kubernetes-shaped values: the keys the readers look for, values
/// that are near-valid (ports, paths, anchors, aliases, merge keys).
fn deploy_value() -> impl Strategy<Value = Value> {
    let keys = prop::sample::select(vec![
        "services",
        "build",
        "context",
        "dockerfile",
        "image",
        "ports",
        "environment",
        "depends_on",
        "networks",
        "aliases",
        "container_name",
        "hostname",
        "published",
        "target",
        "apiVersion",
        "kind",
        "metadata",
        "name",
        "spec",
        "template",
        "containers",
        "env",
        "value",
        "containerPort",
        "selector",
        "app",
        "packages",
        "<<",
        "&a x",
        "web",
        "db",
    ]);
    let words = prop::sample::select(vec![
        "./api",
        "../out",
        "api/Dockerfile",
        "nginx:1.2",
        "gcr.io/x/cart:v1",
        "8080:80",
        "80",
        "a:b:c/udp",
        "99999:1",
        "KEY=v",
        "postgres://u:p@db/x",
        "Deployment",
        "Service",
        "*a",
        "&a",
        "&a x",
        "~",
        "",
        "{",
        "[",
        "- x",
        "web",
        "db",
        "'q'",
        "\"",
    ]);
    let leaf = prop_oneof![Just(Value::Null), any::<u16>().prop_map(|n| json!(n)), words.prop_map(|w| json!(w))];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

/// Block-style YAML, scalars written raw so `*a`, `&a x` and `[` reach the
/// parser as syntax (near-valid documents).
fn block_yaml(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    let scalar = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => "~".into(),
        other => other.to_string(),
    };
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match v {
                    Value::Object(_) | Value::Array(_) => {
                        out.push_str(&format!("{pad}{k}:\n"));
                        block_yaml(v, indent + 2, out);
                    }
                    _ => out.push_str(&format!("{pad}{k}: {}\n", scalar(v))),
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                match v {
                    Value::Object(_) | Value::Array(_) => {
                        out.push_str(&format!("{pad}-\n"));
                        block_yaml(v, indent + 2, out);
                    }
                    _ => out.push_str(&format!("{pad}- {}\n", scalar(v))),
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other))),
    }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn deploy_files_of_the_right_shape_never_panic(doc in deploy_value(), flow in any::<bool>()) {
        let text = if flow {
            doc.to_string() // JSON is YAML 1.2 flow style
        } else {
            let mut s = String::new();
            block_yaml(&doc, 0, &mut s);
            s
        };
        check_yaml(&text);
        scan_deploy_files(&text, "", "SELECT 1");
    }
}
