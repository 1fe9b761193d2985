//! Hostile and broken input, through the real binary: every case says what
//! tapestry must do with it. A bad file is a diagnostic naming the file and
//! the reason, never a crash, a hang or a lost report; nothing the scanned
//! repository contains is ever run.
//!
//! Inputs are generated in temporary directories at test time (nothing big
//! is committed). Cases that need another user (unreadable files, read-only
//! directories) run the binary through `setpriv` as `nobody` when the tests
//! run as root, as they do in CI.

mod common;

use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{bin, fixture, tmp, write};
use serde_json::Value;

fn run(args: &[&str], path: &Path) -> Output {
    let cache = tmp();
    Command::new(bin()).arg("scan").arg("--cache-dir").arg(cache.path()).args(args).arg(path).output().unwrap()
}

/// `scan --format json`, which must exit 0; the report.
fn scan(path: &Path, args: &[&str]) -> Value {
    let out = run(&[&["--format", "json"], args].concat(), path);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn summary(path: &Path) -> String {
    let out = run(&[], path);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// `(file, line, message)` of every diagnostic.
fn diags(v: &Value) -> Vec<(String, Option<u64>, String)> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["file"].as_str().unwrap().to_string(), d["line"].as_u64(), d["message"].as_str().unwrap().into()))
        .collect()
}

fn has_diag(v: &Value, file: &str, needle: &str) -> bool {
    diags(v).iter().any(|(f, _, m)| f == file && m.contains(needle))
}

/// `(from, to, line)` of every edge, ids without their kind prefix.
fn edges(v: &Value) -> Vec<(String, String, u64)> {
    let strip = |s: &Value| s.as_str().unwrap().split_once(':').unwrap().1.to_string();
    v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (strip(&e["from"]), strip(&e["to"]), e["line"].as_u64().unwrap()))
        .collect()
}

fn has_edge(v: &Value, from: &str, to: &str) -> bool {
    edges(v).iter().any(|(f, t, _)| f == from && t == to)
}

fn modules(v: &Value) -> usize {
    v["stats"]["modules"].as_u64().unwrap() as usize
}

fn files_total(v: &Value) -> u64 {
    v["stats"]["files"].as_object().unwrap().values().map(|n| n.as_u64().unwrap()).sum()
}

// ───────────────────────────── the scan PATH ─────────────────────────────

/// 0 success, 1 violations (reserved for `check`), 2 usage or input error:
/// the same three codes in README and `--help`.
#[test]
fn exit_codes_are_documented_in_the_readme_and_in_help() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(readme.contains("**Exit codes**: `0` success; `1` violations found"), "README lost its exit codes");
    assert!(readme.contains("`2` usage or input error"), "README lost exit code 2");
    let help = Command::new(bin()).arg("--help").output().unwrap();
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8(help.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains("Exit codes: 0 success, 1 violations found") && help.contains("2 usage or input error"),
        "{help}"
    );
    // Input errors are 2: a PATH that cannot be followed, an unknown option, an output format.
    assert_eq!(run(&["--bogus"], Path::new(".")).status.code(), Some(2));
    assert_eq!(run(&["-o", "report.xml"], Path::new(".")).status.code(), Some(2));
}

#[test]
fn path_to_a_single_file_scans_that_file_only_and_its_unscanned_neighbours_are_unresolved() {
    let t = tmp();
    write(t.path(), "pkg/a.py", "import os\nfrom . import b\n");
    write(t.path(), "pkg/b.py", "import json\n");
    let v = scan(&t.path().join("pkg/a.py"), &[]);
    assert_eq!(files_total(&v), 1, "only a.py is scanned");
    assert!(has_edge(&v, "a.py", "python-stdlib:os"));
    assert!(!has_edge(&v, "a.py", "python-stdlib:json"), "b.py is not read");
    assert!(has_diag(&v, "a.py", "from . import"), "{:?}", diags(&v));
}

#[test]
fn path_to_a_single_file_of_no_supported_language_is_an_empty_scan_with_exit_0() {
    let t = tmp();
    write(t.path(), "README.md", "# hello\n");
    let s = summary(&t.path().join("README.md"));
    assert!(s.contains("files        0 (none)"), "{s}");
    assert!(s.contains("no source files found"), "{s}");
}

#[test]
fn empty_directory_is_a_friendly_summary_and_exit_0() {
    let t = tmp();
    let s = summary(t.path());
    assert!(s.contains("files        0 (none)"), "{s}");
    assert!(s.contains("no source files found: tapestry reads") && s.contains(".py .rs .svelte .ts .tsx .vue"), "{s}");
    assert!(s.contains("diagnostics  0"), "{s}");
    let v = scan(t.path(), &[]);
    assert_eq!(v["nodes"].as_array().unwrap().len(), 0);
}

#[test]
fn directory_with_no_supported_files_says_what_is_read_and_what_is_skipped_with_exit_0() {
    let t = tmp();
    write(t.path(), "README.md", "# docs\n");
    write(t.path(), "main.go", "package main\n");
    write(t.path(), "types.pyi", "import os\n");
    write(t.path(), ".hidden/a.py", "import os\n");
    write(t.path(), "node_modules/x/index.js", "require('y')\n");
    let s = summary(t.path());
    assert!(s.contains("files        0 (none)"), "{s}");
    assert!(s.contains("no source files found") && s.contains("--include-ignored"), "{s}");
}

// ───────────────────────────── file contents ─────────────────────────────

#[test]
fn binary_content_with_a_source_extension_is_skipped_with_the_file_and_the_reason() {
    let t = tmp();
    // An ELF header, and UTF-16 text (a NUL after every ASCII byte).
    write(t.path(), "tool.rs", b"\x7fELF\x02\x01\x01\x00\x00\x00use crate::x;");
    let utf16: Vec<u8> = "import os\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    write(t.path(), "utf16.py", [&[0xFF, 0xFE][..], &utf16].concat());
    write(t.path(), "image.tsx", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".as_slice(), &[0u8; 64]].concat());
    write(t.path(), "ok.mjs", "import x from 'react';\n");
    let v = scan(t.path(), &[]);
    for f in ["tool.rs", "utf16.py", "image.tsx"] {
        assert!(has_diag(&v, f, "skipped: binary content"), "{f}: {:?}", diags(&v));
    }
    assert_eq!(v["stats"]["files_skipped"], 3);
    assert_eq!(modules(&v), 1, "binary files are not modules");
    assert!(has_edge(&v, "ok.mjs", "npm:react"));
}

#[test]
fn invalid_utf8_is_parsed_with_replacement_and_a_diagnostic_with_the_first_bad_line() {
    let t = tmp();
    write(t.path(), "src/lib.rs", b"use std::fmt;\n\n// caf\xe9 au lait\nuse std::io;\n".as_slice());
    write(t.path(), "web/a.ts", b"import a from 'left';\nconst s = '\xff\xfe';\nimport b from 'right';\n".as_slice());
    let v = scan(t.path(), &[]);
    let d = diags(&v);
    assert!(
        d.contains(&(
            "src/lib.rs".into(),
            Some(3),
            "not valid UTF-8: invalid bytes replaced, parsed as far as possible".into()
        )),
        "{d:?}"
    );
    assert!(d.iter().any(|(f, l, m)| f == "web/a.ts" && *l == Some(2) && m.contains("UTF-8")), "{d:?}");
    assert!(has_edge(&v, "src/lib.rs", "rust-std:std"));
    assert!(has_edge(&v, "web/a.ts", "npm:left") && has_edge(&v, "web/a.ts", "npm:right"), "{:?}", edges(&v));
}

#[test]
fn empty_and_blank_files_are_modules_with_no_imports_and_no_diagnostics() {
    let t = tmp();
    for f in ["src/lib.rs", "a.py", "b.ts", "c.js", "d.tsx"] {
        write(t.path(), f, "");
    }
    write(t.path(), "blank.py", "\n\n   \n\t\n");
    let v = scan(t.path(), &[]);
    assert_eq!(modules(&v), 6);
    assert!(diags(&v).is_empty(), "{:?}", diags(&v));
    assert!(v["edges"].as_array().unwrap().is_empty());
    let lines: Vec<u64> = v["nodes"].as_array().unwrap().iter().map(|n| n["lines"].as_u64().unwrap()).collect();
    assert_eq!(lines.iter().filter(|&&l| l == 0).count(), 5, "{lines:?}");
}

#[test]
fn a_byte_order_mark_is_ignored_in_every_language() {
    let t = tmp();
    let bom = "\u{FEFF}";
    write(t.path(), "src/lib.rs", format!("{bom}use std::fmt;\n"));
    write(t.path(), "a.py", format!("{bom}import json\n"));
    write(t.path(), "b.ts", format!("{bom}import x from 'react';\n"));
    write(t.path(), "c.js", format!("{bom}const y = require('lodash');\n"));
    let v = scan(t.path(), &[]);
    assert!(diags(&v).is_empty(), "{:?}", diags(&v));
    for (from, to) in
        [("src/lib.rs", "rust-std:std"), ("a.py", "python-stdlib:json"), ("b.ts", "npm:react"), ("c.js", "npm:lodash")]
    {
        assert!(edges(&v).contains(&(from.into(), to.into(), 1)), "{from}: {:?}", edges(&v));
    }
}

#[test]
fn crlf_line_endings_give_the_same_report_as_lf() {
    let files = [
        ("src/lib.rs", "//! doc\nmod a;\nuse crate::a::f;\n\nfn g() {\n    crate::a::f();\n}\n"),
        ("src/a.rs", "pub fn f() {}\nuse super::g;\n"),
        ("src/broken.rs", "use std::fmt;\nfn x( {\nuse std::io;\n"),
        ("app/m.py", "import os\n\nfrom . import n\nif x:\n    import json\ns = '''a\nb'''\nimport sys\n"),
        ("app/n.py", "import re\n"),
        ("web/a.ts", "import b from './b';\n\nconst s = `x\ny`;\nexport * from './b';\n"),
        ("web/b.ts", "import type { A } from './a';\n"),
    ];
    let (lf, crlf) = (tmp(), tmp());
    for (f, text) in files {
        write(lf.path(), f, text);
        write(crlf.path(), f, text.replace('\n', "\r\n"));
    }
    let (a, b) = (scan(lf.path(), &[]), scan(crlf.path(), &[]));
    assert!(edges(&a).len() >= 8, "{:?}", edges(&a));
    assert_eq!(edges(&a), edges(&b));
    assert_eq!(diags(&a), diags(&b));
    assert_eq!(a["nodes"], b["nodes"], "same line counts");
}

/// A 30 MB minified bundle is over the default `--max-file-size` (5 MiB):
/// skipped at once with the size in the diagnostic, never read.
#[test]
fn minified_bundle_of_30_mb_is_skipped_by_the_default_size_limit_with_a_diagnostic() {
    let t = tmp();
    write(t.path(), "dist-js/app.min.js", minified_bundle(30_000_000));
    write(t.path(), "main.js", "import './dist-js/app.min.js';\n");
    let started = Instant::now();
    let v = scan(t.path(), &[]);
    eprintln!("a skipped 30 MB bundle: {:?}", started.elapsed());
    assert!(has_diag(&v, "dist-js/app.min.js", "bytes is over the size limit of 5242880 (--max-file-size)"));
    assert_eq!(v["stats"]["files_skipped"], 1);
}

/// With the limit raised the bundle is parsed: its imports are found.
///
/// Where the memory goes, measured with `/usr/bin/time -v` (deps optimised):
/// the scan peaks at 2.93 GB and 50 s of CPU; `scan --stage parse` alone, on
/// the same file, peaks at 2.81 GB in 18 s. So 96 % of the peak is
/// tree-sitter's syntax tree (about 94 bytes per byte of dense minified code:
/// a node per token), and our own facts (441,000 `require` sites) add about
/// 120 MB. The query needs the whole tree, so the tree cannot be dropped or cut
/// before it is searched without losing imports; what bounds a file's memory
/// is `--max-file-size` (the default 5 MiB: about 500 MB of tree), checked on
/// a smaller bundle by the next test. Too slow and too large for the suite
/// (3 GB), hence ignored; run with `cargo test --release -- --ignored`.
#[test]
#[ignore = "slow: a 30 MB parse, 50 s of CPU and 3 GB of memory"]
fn minified_bundle_of_30_mb_is_parsed_when_the_limit_is_raised() {
    let t = tmp();
    write(t.path(), "app.min.js", minified_bundle(30_000_000));
    write(t.path(), "x.js", "");
    let v = scan(t.path(), &["--max-file-size", "40000000"]);
    assert!(has_edge(&v, "app.min.js", "npm:left-pad"));
    assert!(has_edge(&v, "app.min.js", "x.js"));
}

/// A minified bundle costs memory in proportion to its size: under 128 bytes
/// per byte plus 32 MB (measured: 94 on 30 MB, see above; 104 here with the
/// facts of its 8,500 `require`s, over a 15 MB process), so the size limit
/// bounds one file. Large files (over a quarter of the limit, and over 256
/// KiB) are also parsed one at a time on one worker (`Lanes` in src/lib.rs),
/// so two of them on two threads peak at about one bundle's memory, not two
/// (measured: 78 MB for one, 140 MB for two parsed on two threads, 83 MB for
/// two in one lane).
///
/// Cost: two scans of 600 KB and 1.2 MB, about 3 s of CPU in the dev
/// profile. This replaces a separate 1 MB ratio test (another 2.3 s of CPU,
/// 13 s on a loaded machine): the 600 KB scan checks the same ratio, with a
/// constant cut from 64 to 32 MB so the bound is as tight relative to the
/// measured peak (1.4 times it, against 1.6 before).
#[test]
fn peak_memory_is_proportional_to_a_bundles_size_and_two_large_files_take_one_lane() {
    let (one, two) = (tmp(), tmp());
    let size = 600_000;
    write(one.path(), "a.min.js", minified_bundle(size));
    write(two.path(), "a.min.js", minified_bundle(size));
    write(two.path(), "b.min.js", minified_bundle(size));
    let args = ["-j", "2", "--max-file-size", "700000"];
    let Some((alone, v)) = peak_kb(one.path(), &args) else { return };
    assert!(has_edge(&v, "a.min.js", "npm:left-pad"));
    assert!(alone * 1024 < 128 * size as u64 + (32 << 20), "peak {alone} KiB for {size} bytes");
    let Some((both, v)) = peak_kb(two.path(), &args) else { return };
    assert!(has_edge(&v, "a.min.js", "npm:left-pad") && has_edge(&v, "b.min.js", "npm:left-pad"));
    eprintln!("one bundle of {size} bytes: peak {alone} KiB; two on two threads: {both} KiB");
    assert!(both * 10 < alone * 13, "peak {both} KiB for two bundles, {alone} KiB for one");
}

/// Peak memory (KiB) of `scan` on `dir` without cache, and its JSON report;
/// `None` (the test is skipped) without `/usr/bin/time`.
fn peak_kb(dir: &Path, args: &[&str]) -> Option<(u64, Value)> {
    if Command::new("/usr/bin/time").arg("true").output().is_err() {
        assert!(std::env::var("CI").is_err(), "CI must have /usr/bin/time");
        eprintln!("skipping: /usr/bin/time is not installed");
        return None;
    }
    let out_dir = tmp();
    let report = out_dir.path().join("report.json");
    let out = Command::new("/usr/bin/time")
        .args(["-f", "maxrss_kb=%M"])
        .arg(bin())
        .args(["scan", "-q", "--no-cache", "--format", "json", "-o"])
        .arg(&report)
        .args(args)
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    let kb = err.lines().find_map(|l| l.strip_prefix("maxrss_kb=")).unwrap().trim().parse().unwrap();
    Some((kb, serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap()))
}

fn minified_bundle(size: usize) -> String {
    let chunk = "var a=function(b){return b&&b.c?b.d(1,[2,3],{e:4}):require(\"./x\")};";
    let mut s = String::from("import p from \"left-pad\";");
    s.push_str(&chunk.repeat(size / chunk.len()));
    s
}

#[test]
fn a_single_line_of_2_mb_is_parsed_and_its_imports_found() {
    let t = tmp();
    let list = vec!["\"abc\""; 2_000_000 / 6].join(",");
    write(t.path(), "data.py", format!("import os; x = [{list}]; import json"));
    write(t.path(), "data.ts", format!("import a from 'left'; const x = [{list}]; import b from 'right';"));
    let started = Instant::now();
    let v = scan(t.path(), &[]);
    eprintln!("2 MB lines: {:?}", started.elapsed());
    for (f, to) in [("data.py", "python-stdlib:os"), ("data.py", "python-stdlib:json"), ("data.ts", "npm:left")] {
        assert!(has_edge(&v, f, to), "{f} → {to}: {:?}", edges(&v));
    }
    assert!(has_edge(&v, "data.ts", "npm:right"));
    assert!(diags(&v).is_empty(), "{:?}", diags(&v));
}

/// A compose file under `--max-file-size` but over the 2 MiB read for
/// deployment YAML is skipped with a diagnostic giving its size, not silently.
#[test]
fn deployment_yaml_over_its_own_limit_is_skipped_with_a_diagnostic() {
    let t = tmp();
    let r = t.path();
    let comments = "# padding\n".repeat(300_000);
    write(r, "docker-compose.yml", format!("services:\n  web:\n    image: nginx\n{comments}"));
    write(r, "index.js", "");
    let v = scan(r, &[]);
    assert!(has_diag(&v, "docker-compose.yml", "bytes of YAML is over the 2097152-byte limit"), "{:?}", diags(&v));
}

/// Manifests and configs are read whole by the resolvers, so they are bounded
/// like sources: over `--max-file-size` each is skipped, unread, with a
/// diagnostic giving its size; one named only by another (a tsconfig's
/// `extends`) is refused when read. The sources are still scanned.
#[test]
fn manifests_and_configs_over_the_size_limit_are_skipped_with_a_diagnostic() {
    let t = tmp();
    let r = t.path();
    let pad = |text: &str, comment: &str| format!("{text}{comment}{}\n", "x".repeat(5000));
    let big = [
        ("package.json", format!(r#"{{"name": "api", "description": "{}"}}"#, "x".repeat(5000))),
        ("docker-compose.yml", pad("services:\n  web:\n    image: nginx\n", "# ")),
        ("k8s/deploy.yaml", pad("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\n", "# ")),
        ("Cargo.toml", pad("[package]\nname = \"c\"\n", "# ")),
        ("pyproject.toml", pad("[project]\nname = \"p\"\n", "# ")),
        ("tsconfig.base.json", pad("{}\n", "// ")),
        (".env", pad("DATABASE_URL=postgres://db/app\n", "# ")),
        ("proto/api.proto", pad("service Api { rpc Get (A) returns (B); }\n", "// ")),
        ("migrations/001.sql", pad("CREATE TABLE orders (id int);\n", "-- ")),
    ];
    for (rel, text) in &big {
        write(r, rel, text);
    }
    write(r, "tsconfig.json", r#"{"extends": "./configs/base.json"}"#);
    write(r, "configs/base.json", pad(r#"{"compilerOptions": {"paths": {"@/*": ["src/*"]}}}"#, "\n// "));
    write(r, "index.js", "const express = require('express');\n");
    let v = scan(r, &["--max-file-size", "4096"]);
    for (rel, text) in &big {
        let why = format!("skipped: {} bytes is over the size limit of 4096 (--max-file-size)", text.len());
        assert!(has_diag(&v, rel, &why), "{rel}: {:?}", diags(&v));
    }
    assert!(has_diag(&v, "configs/base.json", "cannot read: over the size limit of 4096 bytes"), "{:?}", diags(&v));
    let ids: Vec<&str> = v["nodes"].as_array().unwrap().iter().filter_map(|n| n["id"].as_str()).collect();
    for unread in ["service:web", "service:worker", "table:orders"] {
        assert!(!ids.contains(&unread), "{unread}: {ids:?}");
    }
    assert!(has_edge(&v, "index.js", "npm:express"), "{:?}", edges(&v));
    // The same files are read under the default limit.
    let v = scan(r, &[]);
    assert!(diags(&v).iter().all(|(_, _, m)| !m.contains("size limit")), "{:?}", diags(&v));
    let ids: Vec<&str> = v["nodes"].as_array().unwrap().iter().filter_map(|n| n["id"].as_str()).collect();
    for read in ["service:web", "table:orders"] {
        assert!(ids.contains(&read), "{read}: {ids:?}");
    }
}

// ───────────────────────────── syntax ─────────────────────────────

#[test]
fn syntax_errors_in_every_language_keep_the_imports_around_them_with_the_line() {
    let t = tmp();
    write(t.path(), "src/lib.rs", "use std::fmt;\nmod m;\nfn broken( {\n    let = ;\npub use std::io;\n");
    write(t.path(), "src/m.rs", "");
    write(t.path(), "a.py", "import os\ndef broken(:\n    pass\nimport json\n");
    write(t.path(), "b.ts", "import x from 'left';\nconst = ;\nimport y from 'right';\n");
    write(t.path(), "c.tsx", "import x from 'left';\nconst A = () => <div>{1 +}</div>;\nimport y from 'right';\n");
    write(t.path(), "d.js", "const x = require('left');\nif (\nconst y = require('right');\n");
    let v = scan(t.path(), &[]);
    assert_eq!(v["stats"]["parse_errors"], 5, "{:?}", diags(&v));
    let d = diags(&v);
    for (f, line) in [("src/lib.rs", 3), ("a.py", 2), ("b.ts", 2), ("c.tsx", 2), ("d.js", 2)] {
        assert!(
            d.iter().any(|(df, l, m)| df == f
                && l.is_some_and(|l| l >= line && l <= line + 1)
                && m.contains("syntax error")),
            "{f}: {d:?}"
        );
    }
    for (f, to) in [
        ("src/lib.rs", "rust-std:std"),
        ("src/lib.rs", "src/m.rs"),
        ("a.py", "python-stdlib:os"),
        ("a.py", "python-stdlib:json"),
        ("b.ts", "npm:left"),
        ("b.ts", "npm:right"),
        ("c.tsx", "npm:left"),
        ("c.tsx", "npm:right"),
        ("d.js", "npm:left"),
        ("d.js", "npm:right"),
    ] {
        assert!(has_edge(&v, f, to), "{f} → {to}: {:?}", edges(&v));
    }
}

/// 20,000 nested brackets of each kind, balanced and left open, in every
/// language: no stack overflow (the process would abort), imports before the
/// bomb still found.
#[test]
fn nesting_bombs_of_20000_brackets_do_not_overflow_the_stack() {
    let t = tmp();
    let n = 20_000;
    for (i, (open, close)) in [("(", ")"), ("[", "]"), ("{", "}")].into_iter().enumerate() {
        let balanced = format!("{}1{}", open.repeat(n), close.repeat(n));
        let unclosed = open.repeat(n);
        for (kind, bomb) in [("balanced", &balanced), ("open", &unclosed)] {
            write(
                t.path(),
                &format!("rs/src/bin/{kind}{i}.rs"),
                format!("use std::fmt;\nfn f() {{ let x = {bomb}; }}\n"),
            );
            write(t.path(), &format!("ts/{kind}{i}.ts"), format!("import a from 'left';\nconst x = {bomb};\n"));
            write(t.path(), &format!("py/{kind}{i}.py"), format!("import os\nx = {bomb}\n"));
        }
    }
    let v = scan(t.path(), &[]);
    assert_eq!(modules(&v), 18);
    for m in v["nodes"].as_array().unwrap().iter().filter(|n| n["kind"] == "module") {
        let path = m["path"].as_str().unwrap();
        assert!(edges(&v).iter().any(|(f, _, l)| f == path && *l == 1), "{path}: import on line 1 lost");
    }
    let d = diags(&v);
    assert!(d.iter().filter(|(f, _, m)| f.ends_with(".rs") && m.contains("nesting too deep")).count() == 6, "{d:?}");
}

/// Rust constructs that nest without brackets, each of which aborted the
/// process with a stack overflow before the depth estimate (src/lang/rust_depth.rs).
#[test]
fn rust_nesting_without_brackets_does_not_overflow_the_stack() {
    let t = tmp();
    let bombs = [
        ("generics", format!("type T = {}u8{};", "Vec<".repeat(20_000), ">".repeat(20_000))),
        ("ref_type", format!("type T = {}u8;", "&".repeat(50_000))),
        ("binary", format!("fn f() {{ let x = {}1; }}", "1+".repeat(200_000))),
        ("unary", format!("fn f() {{ let x = {}true; }}", "!".repeat(200_000))),
        ("method_chain", format!("fn f() {{ let x = a{}; }}", ".b".repeat(200_000))),
        ("calls", format!("fn f() {{ x{}; }}", "()".repeat(200_000))),
        ("index", format!("fn f() {{ x{}; }}", "[0]".repeat(200_000))),
        ("else_if", format!("fn f() {{ if a {{}}{} }}", " else if a {}".repeat(20_000))),
        ("use_tree", format!("use a::{}c{};", "{b::".repeat(20_000), "}".repeat(20_000))),
    ];
    for (name, body) in &bombs {
        write(t.path(), &format!("src/bin/{name}.rs"), format!("use std::fmt;\nmod {name}_m;\n{body}\n"));
    }
    let v = scan(t.path(), &[]);
    for (name, _) in &bombs {
        let f = format!("src/bin/{name}.rs");
        assert!(has_diag(&v, &f, "nesting too deep"), "{f}: {:?}", diags(&v));
        assert!(has_edge(&v, &f, "rust-std:std"), "{f}: the fallback reads `use` items");
    }
}

/// Long runs of tokens that parse as nothing made tree-sitter's query cursor
/// quadratic: 100 KB of `(` took 15-40 s per file. They are now skipped with
/// a diagnostic, and the rest of the file is still read.
#[test]
fn junk_runs_that_made_queries_quadratic_are_skipped_fast_with_a_diagnostic() {
    let t = tmp();
    for (i, c) in ["(", "[", "{", "+", "-", "*", "!", "~"].into_iter().enumerate() {
        let junk = c.repeat(100_000);
        write(t.path(), &format!("j{i}.py"), format!("import os\n{junk}\n"));
        write(t.path(), &format!("j{i}.ts"), format!("import a from 'left';\n{junk}\n"));
    }
    let started = Instant::now();
    let v = scan(t.path(), &[]);
    let took = started.elapsed();
    eprintln!("16 files of junk: {took:?}");
    for i in 0..8 {
        assert!(has_edge(&v, &format!("j{i}.py"), "python-stdlib:os"), "{i}: {:?}", edges(&v));
        assert!(has_edge(&v, &format!("j{i}.ts"), "npm:left"), "{i}");
    }
    let skipped = diags(&v).iter().filter(|(_, _, m)| m.contains("tokens in a row that parse as nothing")).count();
    assert!(skipped >= 8, "{:?}", diags(&v));
}

/// Junk that drives tree-sitter's error recovery into super-linear work
/// (60 KB took 29 s; found by tests/never_panic.rs): parsing is abandoned
/// after a number of parser steps proportional to the size, the same on every
/// machine, with a diagnostic.
#[test]
fn junk_that_overwhelms_the_parser_is_abandoned_after_its_step_budget() {
    let t = tmp();
    write(t.path(), "a.py", format!("import os\n{}", "é\u{feff}lambda:".repeat(60_000 / 12)));
    write(t.path(), "ok.py", "import json\n");
    let started = Instant::now();
    let v = scan(t.path(), &[]);
    eprintln!("junk abandoned by steps: {:?}", started.elapsed());
    assert!(
        has_diag(&v, "a.py", "parsing abandoned after 25002 progress checks (pathological input)"),
        "{:?}",
        diags(&v)
    );
    assert_eq!(v["stats"]["parse_errors"], 1);
    assert!(has_edge(&v, "ok.py", "python-stdlib:json"));
}

/// A lexer that rescans the rest of the file for every token (60 KB of
/// `..\n#` in Python: 8 s in few parser steps) is stopped by the count of
/// input chunks it asks for, not by a clock: the same on every machine.
#[test]
fn junk_that_makes_the_lexer_rescan_is_abandoned_after_its_read_budget() {
    let t = tmp();
    write(t.path(), "a.py", format!("import os\n{}", "..\n#".repeat(60_000 / 4)));
    write(t.path(), "ok.py", "import json\n");
    let started = Instant::now();
    let v = scan(t.path(), &[]);
    let took = started.elapsed();
    eprintln!("took {took:?}");
    let d = diags(&v);
    assert!(d.iter().any(|(f, _, m)| f == "a.py" && m.contains("reads of 4096 bytes")), "{d:?}");
    assert!(has_edge(&v, "ok.py", "python-stdlib:json"));
    // Deterministic: the second scan says exactly the same.
    assert_eq!(diags(&scan(t.path(), &[])), d);
}

// ───────────────────────────── the file system ─────────────────────────────

#[test]
fn symbolic_links_are_not_followed_and_loops_or_dangling_ones_are_listed() {
    let t = tmp();
    let r = t.path();
    write(r, "ok.py", "import os\n");
    write(r, "pkg/mod.py", "import json\n");
    symlink(".", r.join("self_loop")).unwrap();
    symlink("..", r.join("pkg/up")).unwrap();
    symlink("b_link", r.join("a_link")).unwrap();
    symlink("a_link", r.join("b_link")).unwrap();
    symlink("missing.py", r.join("dangling.py")).unwrap();
    symlink("ok.py", r.join("alias.py")).unwrap();
    symlink("/etc", r.join("outside")).unwrap();
    symlink("nowhere", r.join("notes.txt")).unwrap();
    let v = scan(r, &[]);
    assert_eq!(modules(&v), 2, "links are not followed: ok.py and pkg/mod.py once each");
    for (f, why) in [
        ("self_loop", "a symbolic link to a directory"),
        ("pkg/up", "a symbolic link to a directory"),
        ("outside", "a symbolic link to a directory"),
        ("a_link", "cannot be followed"),
        ("b_link", "cannot be followed"),
        ("dangling.py", "a dangling symbolic link"),
        ("alias.py", "a symbolic link to a file"),
    ] {
        assert!(has_diag(&v, f, why), "{f}: {:?}", diags(&v));
    }
    assert!(!diags(&v).iter().any(|(f, _, _)| f == "notes.txt"), "a link to nothing of interest is not noise");
    // PATH itself a link loop: one line, exit 2.
    let out = run(&[], &r.join("a_link"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a_link: cannot read: Too many levels of symbolic links"));
}

/// A command that runs the binary as an unprivileged user: through `setpriv`
/// as `nobody` when we are root (CI), directly otherwise. `None` (skip) when
/// root has no `setpriv`, which must not happen in CI.
fn unprivileged() -> Option<Command> {
    let uid = std::fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(0);
    if uid != 0 {
        return Some(Command::new(bin()));
    }
    let has_setpriv = Command::new("setpriv").arg("--version").output().is_ok_and(|o| o.status.success());
    if !has_setpriv {
        assert!(std::env::var("CI").is_err(), "setpriv (util-linux) must be installed in CI");
        eprintln!("skipping: running as root without setpriv, cannot drop privileges");
        return None;
    }
    let mut c = Command::new("setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(bin());
    Some(c)
}

fn chmod(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A temporary directory another user can enter and read.
fn shared_tmp() -> tempfile::TempDir {
    let t = tmp();
    chmod(t.path(), 0o755);
    t
}

/// Restores permissions on drop, so the temporary directory can be removed.
struct Unlock(Vec<PathBuf>);
impl Drop for Unlock {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755));
        }
    }
}

#[test]
fn unreadable_files_directories_and_configs_are_diagnostics_and_the_scan_goes_on() {
    let Some(mut cmd) = unprivileged() else { return };
    let t = shared_tmp();
    let r = t.path();
    write(r, "ok.py", "import os\n");
    write(r, "secret.py", "import json\n");
    write(r, "locked/inner.py", "import sys\n");
    write(r, "web/package.json", "{\"name\": \"web\"}");
    write(r, "web/a.ts", "import x from 'left';\n");
    write(r, "crate/Cargo.toml", "[package]\nname = \"c\"\n");
    write(r, "crate/src/lib.rs", "use std::fmt;\n");
    let locked = [r.join("secret.py"), r.join("locked"), r.join("web/package.json"), r.join("crate/Cargo.toml")];
    let _unlock = Unlock(locked.to_vec());
    for p in &locked {
        chmod(p, 0o000);
    }
    // `nobody` cannot write a cache in our temporary directories: none is used.
    let out = cmd.args(["scan", "--no-cache", "--format", "json"]).arg(r).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(has_diag(&v, "secret.py", "skipped: cannot read: Permission denied"), "{:?}", diags(&v));
    assert!(has_diag(&v, "locked", "Permission denied"), "{:?}", diags(&v));
    assert!(has_diag(&v, "web/package.json", "cannot read: Permission denied"), "{:?}", diags(&v));
    assert!(has_diag(&v, "crate/Cargo.toml", "cannot read: Permission denied"), "{:?}", diags(&v));
    assert!(has_edge(&v, "ok.py", "python-stdlib:os"));
    assert!(has_edge(&v, "web/a.ts", "npm:left"));
    assert!(has_edge(&v, "crate/src/lib.rs", "rust-std:std"));
    assert_eq!(modules(&v), 3);
}

#[test]
fn names_with_spaces_quotes_newlines_non_ascii_escapes_and_markup_survive_every_format() {
    let t = tmp();
    let r = t.path();
    // A cycle through odd names, plus a name with a newline and one with an ANSI escape.
    write(r, "a b.ts", "import x from './<img src=x onerror=alert(1)>';\n");
    write(r, "<img src=x onerror=alert(1)>.ts", "import y from './q\"uote';\n");
    write(r, "q\"uote.ts", "import z from \"./it's café 日本\";\n");
    write(r, "it's café 日本.ts", "import w from './a b';\n");
    write(r, "new\nline.ts", "import v from './gone';\n");
    write(r, "esc\x1b[31mred.ts", "import u from './gone';\n");
    let v = scan(r, &[]);
    assert_eq!(modules(&v), 6);
    let cycle = &v["analysis"]["cycles"][0]["nodes"];
    assert_eq!(cycle.as_array().unwrap().len(), 4, "{cycle}");
    assert!(has_edge(&v, "a b.ts", "<img src=x onerror=alert(1)>.ts") && has_edge(&v, "it's café 日本.ts", "a b.ts"));
    assert!(has_diag(&v, "new\nline.ts", "./gone") && has_diag(&v, "esc\x1b[31mred.ts", "./gone"));
    // Summary: one diagnostic per line, control characters escaped.
    let s = summary(r);
    assert!(s.contains("new\\nline.ts:1:") && s.contains("esc\\u{1b}[31mred.ts:1:"), "{s}");
    assert!(!s.contains('\x1b'));
    assert!(
        s.contains("a b.ts → <img src=x onerror=alert(1)>.ts")
            || s.contains("<img src=x onerror=alert(1)>.ts → q\"uote.ts"),
        "{s}"
    );
    // DOT: every id quoted and escaped; Graphviz accepts it when it is installed.
    let dot = String::from_utf8(run(&["--format", "dot"], r).stdout).unwrap();
    assert!(dot.contains(r#""module:q\"uote.ts""#) && dot.contains(r#""module:new\nline.ts""#), "{dot}");
    match Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    {
        Ok(mut child) => {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(dot.as_bytes()).unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "graphviz rejects the DOT");
            let svg = String::from_utf8_lossy(&out.stdout);
            assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt;.ts"), "markup is text in the SVG");
        }
        Err(_) => {
            assert!(std::env::var("CI").is_err(), "graphviz `dot` must be installed in CI (.ci/run installs it)");
            eprintln!("skipping the Graphviz check: `dot` is not installed");
        }
    }
}

// ───────────────────────────── configs ─────────────────────────────

#[test]
fn malformed_configs_of_the_scanned_repository_are_diagnostics_and_the_scan_goes_on() {
    let t = tmp();
    let r = t.path();
    // Syntax errors.
    write(r, "web/tsconfig.json", "{ \"compilerOptions\": { \"baseUrl\": \"src\", \"paths\": ");
    write(r, "web/package.json", "{ \"name\": \"web\", ");
    write(r, "web/src/a.ts", "import x from 'left';\n");
    write(r, "crate/Cargo.toml", "[package]\nname = \"c\"\nversion = \n");
    write(r, "crate/src/lib.rs", "use std::fmt;\n");
    write(r, "py/pyproject.toml", "[project\nname = ");
    write(r, "py/pkg/__init__.py", "");
    write(r, "py/pkg/m.py", "import pkg\nimport os\n");
    // Valid JSON or TOML of the wrong shape.
    write(r, "shape/package.json", r#"{"name": 5, "exports": [1, null, {"x": []}], "imports": "nope", "main": {}}"#);
    write(
        r,
        "shape/tsconfig.json",
        r##"{"extends": 42, "compilerOptions": {"baseUrl": [], "paths": {"@/*": "src/*", "#x": [1, {}]}}}"##,
    );
    write(r, "shape/s.ts", "import a from '@/a';\nimport b from '#x';\n");
    write(r, "shape2/tsconfig.json", r#"{"extends": "./tsconfig.base.json"}"#);
    write(r, "shape2/tsconfig.base.json", r#"{"extends": "./tsconfig.json", "compilerOptions": {"paths": 3}}"#);
    write(r, "shape2/t.ts", "import a from 'lib/a';\n");
    write(r, "shape2/missing/tsconfig.json", r#"{"extends": "./nope.json"}"#);
    write(r, "shape2/missing/u.ts", "import a from 'x';\n");
    write(r, "rshape/Cargo.toml", "package = 5\n[lib]\npath = 7\n[[bin]]\nname = []\n");
    write(r, "rshape/src/lib.rs", "use std::io;\n");
    write(r, "rshape2/Cargo.toml", "[package]\nname = 5\n[lib]\npath = 7\nbin = \"x\"\n[dependencies]\nserde = 1\n");
    write(r, "rshape2/src/main.rs", "use std::io;\n");
    // Comments and trailing commas are legal in tsconfig.json: no diagnostic.
    write(r, "ok/tsconfig.json", "{\n  // c\n  \"compilerOptions\": { \"baseUrl\": \".\", /* d */ },\n}\n");
    write(r, "ok/lib/x.ts", "export const x = 1;\n");
    write(r, "ok/m.ts", "import { x } from 'lib/x';\n");
    // Deployment files: compose and Kubernetes YAML, a `.proto` with a service left open.
    write(r, "deploy/docker-compose.yml", "services:\n  web: [image: nginx\n  db:\n");
    write(r, "deploy/k8s/app.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: x\n");
    write(r, "deploy/api.proto", "package shop;\nservice Api {\n  rpc Get (A) returns (B);\n");
    let v = scan(r, &[]);
    assert!(has_diag(&v, "web/package.json", "invalid JSON"), "{:?}", diags(&v));
    assert!(has_diag(&v, "web/tsconfig.json", "invalid JSON"), "{:?}", diags(&v));
    let d = diags(&v);
    assert!(
        d.iter().any(|(f, l, m)| f == "crate/Cargo.toml" && *l == Some(3) && m.contains("invalid Cargo.toml")),
        "{d:?}"
    );
    assert!(!d.iter().any(|(f, _, _)| f.starts_with("ok/")), "comments and trailing commas are legal: {d:?}");
    for (file, what) in [
        ("deploy/docker-compose.yml", "invalid YAML"),
        ("deploy/k8s/app.yaml", "invalid YAML"),
        ("deploy/api.proto", "malformed .proto: `{` never closed"),
    ] {
        assert!(d.iter().any(|(f, l, m)| f == file && l.is_some() && m.contains(what)), "{file}: {d:?}");
    }
    // The scan went on: every source file is a module and its imports are edges.
    assert_eq!(modules(&v), 11);
    for (f, to) in [
        ("web/src/a.ts", "npm:left"),
        ("crate/src/lib.rs", "rust-std:std"),
        ("py/pkg/m.py", "py/pkg/__init__.py"),
        ("rshape/src/lib.rs", "rust-std:std"),
        ("rshape2/src/main.rs", "rust-std:std"),
        ("ok/m.ts", "ok/lib/x.ts"),
    ] {
        assert!(has_edge(&v, f, to), "{f} → {to}: {:?}", edges(&v));
    }
    // A broken pyproject.toml is a warning naming it (and its line); the scan goes on
    // (its directory still marks a source root: `py/pkg/m.py` resolves above).
    assert!(
        d.iter().any(|(f, l, m)| f == "py/pyproject.toml" && l.is_some() && m.contains("invalid pyproject.toml")),
        "{d:?}"
    );
}

// ───────────────────────────── static only ─────────────────────────────

/// Everything here would leave a marker file if anything of the repository
/// were executed, imported, installed or built, or if a file name reached a
/// shell. None may appear. When `strace` is installed, the process tree is
/// also traced: exactly one `execve` (tapestry itself) and no socket.
#[test]
fn static_only_nothing_in_the_scanned_repository_is_executed_and_no_socket_is_opened() {
    let t = tmp();
    let r = t.path().join("repo");
    let marker = |name: &str| t.path().join(format!("MARKER-{name}"));
    let py = |name: &str| format!("import pathlib\npathlib.Path({:?}).touch()\n", marker(name).display().to_string());
    write(&r, "setup.py", py("setup.py"));
    write(&r, "conftest.py", py("conftest"));
    write(&r, "sitecustomize.py", py("sitecustomize"));
    write(&r, "pkg/__init__.py", py("init"));
    write(&r, "pkg/__main__.py", py("main"));
    write(
        &r,
        "pyproject.toml",
        format!("[build-system]\nrequires = [\"setuptools\"]\n# {}\n", marker("pyproject").display()),
    );
    let touch = |name: &str| format!("touch {}", marker(name).display());
    write(
        &r,
        "package.json",
        format!(
            r#"{{"name": "evil", "scripts": {{"preinstall": "{}", "install": "{}", "postinstall": "{}", "prepare": "{}"}}}}"#,
            touch("preinstall"),
            touch("install"),
            touch("postinstall"),
            touch("prepare")
        ),
    );
    write(&r, "index.js", format!("require('child_process').execSync({:?});\n", touch("index.js")));
    write(&r, "Cargo.toml", "[package]\nname = \"evil\"\nversion = \"0.1.0\"\nbuild = \"build.rs\"\n");
    write(
        &r,
        "build.rs",
        format!("fn main() {{ std::fs::write({:?}, \"\").unwrap(); }}\n", marker("build.rs").display().to_string()),
    );
    write(&r, "src/lib.rs", "include!(concat!(env!(\"OUT_DIR\"), \"/gen.rs\"));\n");
    write(&r, "Makefile", format!("all:\n\t{}\n", touch("make")));
    write(&r, ".envrc", touch("envrc"));
    // File names that would run commands if they reached a shell.
    write(&r, "$(touch MARKER-dollar).py", "import os\n");
    write(&r, "`touch MARKER-backtick`.ts", "import x from './a';\n");
    write(&r, "a;touch MARKER-semicolon.js", "\n");
    let cwd = t.path().join("cwd");
    std::fs::create_dir(&cwd).unwrap();

    let mut cmd = Command::new(bin());
    let cache = tmp();
    cmd.current_dir(&cwd)
        .args(["scan", "--include-ignored", "--format", "json", "--cache-dir"])
        .arg(cache.path())
        .arg(&r);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(modules(&v) >= 10, "the files were read: {}", modules(&v));
    let markers = |dir: &Path| -> Vec<String> {
        walk(dir).into_iter().filter(|n| n.contains("MARKER-") && !n.contains("repo/")).collect()
    };
    assert_eq!(markers(t.path()), Vec::<String>::new(), "something from the repository was executed");

    if Command::new("strace").arg("-V").output().is_err() {
        assert!(std::env::var("CI").is_err(), "strace must be installed in CI (.ci/run installs it)");
        eprintln!("skipping the syscall trace: strace is not installed");
        return;
    }
    let trace = t.path().join("trace.txt");
    let status = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=execve,execveat,fork,vfork,socket,connect", "-o"])
        .arg(&trace)
        .arg(bin())
        .args(["scan", "--include-ignored", "-q", "--cache-dir"])
        .arg(cache.path())
        .arg(&r)
        .current_dir(&cwd)
        .status()
        .unwrap();
    assert!(status.success());
    let log = std::fs::read_to_string(&trace).unwrap();
    let calls = |name: &str| log.lines().filter(|l| l.contains(&format!("{name}("))).count();
    assert_eq!(calls("execve") + calls("execveat"), 1, "only tapestry itself is executed:\n{log}");
    assert_eq!(calls("socket") + calls("connect") + calls("fork") + calls("vfork"), 0, "{log}");
    assert_eq!(markers(t.path()), Vec::<String>::new());
}

/// Every path under `dir`, relative, `/`-separated (no links followed).
fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            }
        }
    }
    out
}

// ───────────────────────────── writing reports ─────────────────────────────

/// The writes fail at once here (the directory is not writable for the
/// user), so this shows what a failed write leaves, not a kill mid-write:
/// the old report untouched, no temporary file, exit 2, and the other
/// output of the same run not replaced either (all or none).
#[test]
fn a_write_that_fails_in_a_read_only_directory_keeps_every_old_report_and_leaves_no_temp_file() {
    let Some(mut cmd) = unprivileged() else { return };
    let t = shared_tmp();
    let (ro, rw) = (t.path().join("ro"), t.path().join("rw"));
    std::fs::create_dir(&ro).unwrap();
    std::fs::create_dir(&rw).unwrap();
    std::fs::write(ro.join("report.json"), "old report").unwrap();
    std::fs::write(rw.join("graph.dot"), "old graph").unwrap();
    chmod(&ro.join("report.json"), 0o644);
    chmod(&rw.join("graph.dot"), 0o666);
    chmod(&rw, 0o777);
    chmod(&ro, 0o555);
    let _unlock = Unlock(vec![ro.clone()]);
    let out = cmd
        .args(["scan", "-q", "--no-cache", "-o"])
        .arg(rw.join("graph.dot"))
        .arg("-o")
        .arg(ro.join("report.json"))
        .arg(fixture("py-flat-script"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot write") && err.contains("ro/report.json"), "{err}");
    assert_eq!(std::fs::read_to_string(ro.join("report.json")).unwrap(), "old report");
    assert_eq!(std::fs::read_to_string(rw.join("graph.dot")).unwrap(), "old graph", "all or none");
    assert_eq!(walk(t.path()).iter().filter(|p| p.contains(".tapestry-")).count(), 0, "{:?}", walk(t.path()));
}

#[test]
fn a_new_report_is_world_readable_and_a_replaced_one_keeps_its_permissions() {
    let t = tmp();
    let (new, old) = (t.path().join("new.json"), t.path().join("old.dot"));
    std::fs::write(&old, "old").unwrap();
    chmod(&old, 0o640);
    let out = run(&["-q", "-o", new.to_str().unwrap(), "-o", old.to_str().unwrap()], &fixture("py-flat-script"));
    assert_eq!(out.status.code(), Some(0));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&new), 0o644, "not the 0600 of a temporary file");
    assert_eq!(mode(&old), 0o640);
    assert!(std::fs::read_to_string(&old).unwrap().starts_with("digraph"));
}

/// A 64 KiB tmpfs (root only: mounting needs it) stands for a full disk: the
/// new report is larger than the free space, so the write fails mid-way
/// through the temporary file. The old report must stay whole.
#[test]
fn a_write_that_fills_the_disk_keeps_the_old_report_whole_and_leaves_no_temp_file() {
    let t = tmp();
    let mnt = t.path().join("tiny");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mnt)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        assert!(std::env::var("CI").is_err(), "CI runs as root and must be able to mount a tmpfs");
        eprintln!("skipping: cannot mount a tmpfs (not root?)");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mnt.clone());
    let report = mnt.join("report.json");
    let old = format!("{{\"old\": \"{}\"}}", "x".repeat(1000));
    std::fs::write(&report, &old).unwrap();
    // A project whose JSON report is far over 64 KiB.
    let src = t.path().join("big");
    for i in 0..400 {
        write(
            &src,
            &format!("pkg/module_with_a_long_name_{i:03}.py"),
            format!("import os\nfrom . import module_with_a_long_name_{:03}\n", (i + 1) % 400),
        );
    }
    let out = run(&["-q", "-o", report.to_str().unwrap()], &src);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("No space left on device"));
    assert_eq!(std::fs::read_to_string(&report).unwrap(), old);
    assert_eq!(walk(&mnt), vec!["report.json".to_string()], "no temporary file left");
}

/// Killed at any moment, by SIGKILL or by the SIGINT of Ctrl-C, a `scan -o`
/// or a `baseline` run leaves the old report or baseline whole, or the new
/// one whole: never a truncated or empty file. The delays spread the kill
/// over the run (before the scan, during it, while writing); whichever moment
/// it lands on, the check is the same, so no timing is asserted.
#[test]
fn a_run_killed_at_any_moment_leaves_the_old_report_or_the_new_one_never_a_truncated_one() {
    let t = tmp();
    let src = t.path().join("src");
    for i in 0..300 {
        let body = format!("import os\nfrom . import m{:03}\n", (i + 1) % 300);
        write(&src, &format!("pkg/m{i:03}.py"), body);
    }
    let (report, baseline) = (t.path().join("report.json"), t.path().join("baseline.json"));
    let old = "{\"old\": \"a good report from before\"}";
    let whole = |p: &Path| {
        let text = std::fs::read_to_string(p).unwrap();
        text == old || serde_json::from_str::<Value>(&text).is_ok_and(|v| v.is_object())
    };
    let cache = tmp();
    let runs: [&[&str]; 2] = [&["scan", "-q", "--format", "json", "-o"], &["baseline", "-o"]];
    for (args, out) in runs.iter().zip([&report, &baseline]) {
        for delay_ms in [0, 20, 80, 200, 500] {
            for signal in ["KILL", "INT"] {
                std::fs::write(out, old).unwrap();
                let mut child = Command::new(bin())
                    .args(*args)
                    .arg(out)
                    .arg("--cache-dir")
                    .arg(cache.path())
                    .arg(&src)
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap();
                std::thread::sleep(Duration::from_millis(delay_ms));
                Command::new("kill").args(["-s", signal, &child.id().to_string()]).status().unwrap();
                child.wait().unwrap();
                assert!(whole(out), "{args:?} killed by SIG{signal} after {delay_ms} ms left {:?}", std::fs::read(out));
            }
        }
    }
}

// ───────────────────────────── scale ─────────────────────────────

/// 100,000 files (about 100 MB of source, all in one import cycle) with
/// bounded memory: each file's bytes and tree are dropped after extraction,
/// so what remains grows with modules and edges, not with bytes of source.
/// It found two bugs: a stack overflow in petgraph's recursive Tarjan and a
/// quadratic `path_sites`.
///
/// In the suite since tapestry's own code builds with `opt-level = 1` in the
/// dev profile (Cargo.toml; dependencies already had `opt-level = 2`): on the
/// 2-core machine the suite runs on, the test went from 592 s wall and 309 s
/// of CPU at `opt-level = 0` to 22.5 s, generation of the files included, with
/// a 479 MB peak for the scan. `scripts/scale.sh` runs it with a release
/// build; `TAPESTRY_SCALE_FILES` runs it smaller. The 30 MB bundle skipped by
/// the default `--max-file-size` runs in the suite too
/// (`minified_bundle_of_30_mb_is_skipped_by_the_default_size_limit_with_a_diagnostic`).
#[test]
fn a_tree_of_100000_files_is_scanned_with_bounded_memory() {
    let n: usize = std::env::var("TAPESTRY_SCALE_FILES").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let t = tmp();
    let filler = format!("# {}\n", "padding ".repeat(120)).repeat(1);
    for i in 0..n {
        let (dir, next) = (i / 1000, (i + 1) % n);
        let body = format!("import os\nfrom pkg{:03} import m{next}\n{filler}", next / 1000);
        write(t.path(), &format!("pkg{dir:03}/m{i}.py"), body);
    }
    let Some((kb, report)) = peak_kb(t.path(), &[]) else { return };
    let source_kb = (n * (filler.len() + 40) / 1024) as u64;
    eprintln!("{n} files, {source_kb} KiB of source, peak {kb} KiB");
    assert_eq!(modules(&report), n);
    assert!(kb < 1024 * 1024, "peak memory {kb} KiB over 1 GiB");
}

// ───────────────────── deployment and schema files ─────────────────────

/// "Billion laughs": each level is ten aliases of the one before, so the
/// document expands to 10^9 scalars when aliases are copied out.
fn yaml_bomb(top: &str) -> String {
    let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    s.push_str(top);
    s
}

/// Alias bombs and deep nesting in every YAML file tapestry reads (compose,
/// Kubernetes, pnpm-workspace.yaml) finish at once, in bounded memory, with a
/// diagnostic; the services around them are still found.
#[test]
fn yaml_alias_bombs_and_deep_nesting_stay_bounded_in_time_and_memory() {
    let t = tmp();
    let r = t.path();
    write(r, "api/package.json", r#"{"name": "api", "scripts": {"start": "node index.js"}}"#);
    write(r, "api/index.js", "const express = require('express');\n");
    write(r, "bomb/docker-compose.yml", yaml_bomb("services:\n  web:\n    image: nginx\n    environment: *a9\n"));
    write(r, "bomb/k8s.yaml", yaml_bomb("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: *a9\n"));
    write(r, "pnpm-workspace.yaml", yaml_bomb("packages: *a9\n"));
    let deep_block = format!("services:\n  deep:\n    ports:\n      {}x\n", "- ".repeat(100_000));
    write(r, "deep/docker-compose.yml", deep_block);
    let deep_flow = format!("apiVersion: v1\nkind: Service\nmetadata: {}\n", "[".repeat(100_000));
    write(r, "deep/k8s.yaml", deep_flow);
    let started = Instant::now();
    let v = scan(r, &[]);
    let took = started.elapsed();
    eprintln!("took {took:?}");
    for f in ["bomb/docker-compose.yml", "bomb/k8s.yaml", "pnpm-workspace.yaml"] {
        assert!(has_diag(&v, f, "copy more than 100000 nodes"), "{f}: {:?}", diags(&v));
    }
    assert!(has_diag(&v, "deep/docker-compose.yml", "nested deeper than 256 levels"), "{:?}", diags(&v));
    assert!(has_diag(&v, "deep/k8s.yaml", "invalid YAML"), "{:?}", diags(&v));
    assert!(v["nodes"].as_array().unwrap().iter().any(|n| n["id"] == "service:api"), "{:?}", v["nodes"]);
}

/// sqlparser is recursive descent: SQL nested 20,000 deep, in a migration
/// and in a SQL string of the code, must not overflow the stack of the thread
/// that resolves tables (the main thread). The tables are still read.
#[test]
fn sql_nested_20000_deep_does_not_overflow_the_stack() {
    let t = tmp();
    let r = t.path();
    let deep = |n| format!("SELECT * FROM orders WHERE id IN {}1{}", "(SELECT (".repeat(n), "))".repeat(n));
    write(
        r,
        "migrations/001.sql",
        format!("CREATE TABLE orders (id int);\n{};\nCREATE TABLE users (id int);\n", deep(20_000)),
    );
    let paren = format!("SELECT a FROM carts WHERE a = {}1{}", "(".repeat(20_000), ")".repeat(20_000));
    let not = format!("SELECT a FROM items WHERE {}true", "NOT ".repeat(20_000));
    let neg = format!("SELECT a FROM stock WHERE a = {}1", "- ".repeat(20_000));
    // Not nested but chained: a left-deep tree as deep as the chain is long.
    let chain = format!("SELECT a FROM sums WHERE a = {}1", "1 + ".repeat(200_000));
    let queries = [deep(20_000), paren, not, neg, chain];
    write(r, "app.py", queries.iter().map(|q| format!("db.execute(\"{q}\")\n")).collect::<String>());
    let started = Instant::now();
    let v = scan(r, &[]);
    eprintln!("deep SQL: {:?}", started.elapsed());
    for table in ["orders", "carts", "items", "stock", "sums"] {
        assert!(has_edge(&v, "app.py", table), "{table}: {:?}", edges(&v));
    }
    let ids: Vec<&str> = v["nodes"].as_array().unwrap().iter().filter_map(|n| n["id"].as_str()).collect();
    assert!(ids.contains(&"table:users"), "the statement after the deep one is read: {ids:?}");
}
