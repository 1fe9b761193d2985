//! The command line as a user runs it: formats, outputs, exit codes,
//! determinism, and the JSON contract validated against the shipped schema.

mod common;

use std::path::{Path, PathBuf};

use common::{fixture, tapestry};
use predicates::prelude::*;
use serde_json::Value;

fn fixtures() -> Vec<PathBuf> {
    let mut dirs: Vec<_> =
        std::fs::read_dir(fixture("")).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    dirs
}

fn json_of(args: &[&str], dir: &Path) -> Vec<u8> {
    let out = tapestry().args(["scan", "--format", "json"]).args(args).arg(dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn every_fixture_report_validates_against_the_shipped_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft202012::new(&schema).expect("schema compiles");
    for dir in fixtures() {
        let report: Value = serde_json::from_slice(&json_of(&[], &dir)).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&report).map(|e| format!("{} at {}", e, e.instance_path)).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", dir.display());
    }
}

#[test]
fn schema_rejects_a_report_that_breaks_the_contract() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let mut report: Value = serde_json::from_slice(&json_of(&[], &fixture("polyglot-cycles"))).unwrap();
    report["edges"][0]["flags"] = serde_json::json!(["sometimes"]);
    assert!(!validator.is_valid(&report));
}

#[test]
fn reports_are_byte_identical_whatever_the_thread_count() {
    for dir in [
        fixture("polyglot-cycles"),
        fixture("ts-workspace-monorepo"),
        fixture("py-relative-imports"),
        fixture("arch-polyglot-shop"),
    ] {
        let one = json_of(&["-j", "1"], &dir);
        let four = json_of(&["-j", "4"], &dir);
        let again = json_of(&["-j", "4"], &dir);
        assert_eq!(one, four, "{}", dir.display());
        assert_eq!(four, again, "{}", dir.display());
        let summary = |j: &str| tapestry().args(["scan", "-j", j]).arg(&dir).output().unwrap().stdout;
        assert_eq!(summary("1"), summary("3"));
    }
}

#[test]
fn rayon_num_threads_is_honoured_and_output_unchanged() {
    let dir = fixture("polyglot-cycles");
    let out = tapestry().env("RAYON_NUM_THREADS", "1").args(["scan", "--format", "json"]).arg(&dir).output().unwrap();
    assert_eq!(out.stdout, json_of(&[], &dir));
}

#[test]
fn summary_lists_cycles_with_file_and_line_and_timing_goes_to_stderr() {
    tapestry()
        .args(["scan"])
        .arg(fixture("rs-sibling-cycle-vs-super"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "[module runtime] 2 members: src/account.rs → src/journal.rs → src/account.rs",
        ))
        .stdout(
            predicate::str::contains("src/account.rs:")
                .and(predicate::str::contains("src/journal.rs → src/account.rs")),
        )
        .stdout(predicate::str::contains("files        6 (rust 6)"))
        .stdout(predicate::str::contains("scanned").not())
        .stderr(predicate::str::contains("files/s"));
}

#[test]
fn several_outputs_from_one_scan_by_extension() {
    let tmp = tempfile::tempdir().unwrap();
    let (json, dot, txt) = (tmp.path().join("r.json"), tmp.path().join("g.dot"), tmp.path().join("s.txt"));
    tapestry()
        .args(["scan", "--quiet"])
        .arg(fixture("polyglot-cycles"))
        .args(["-o"])
        .arg(&json)
        .args(["-o"])
        .arg(&dot)
        .args(["-o"])
        .arg(&txt)
        .assert()
        .success()
        .stdout("")
        .stderr("");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert!(std::fs::read_to_string(&dot).unwrap().starts_with("digraph tapestry {"));
    assert!(std::fs::read_to_string(&txt).unwrap().starts_with("tapestry "));
    // Only the reports: no temporary files left behind.
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 3);
}

#[test]
fn dot_output_matches_the_reviewed_golden_file() {
    let golden = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/rs-sibling-cycle-vs-super.dot"),
    )
    .unwrap();
    let out = tapestry().args(["scan", "--format", "dot"]).arg(fixture("rs-sibling-cycle-vs-super")).output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), golden);
}

#[test]
fn dot_output_is_accepted_by_graphviz() {
    if std::process::Command::new("dot").arg("-V").output().is_err() {
        assert!(std::env::var("CI").is_err(), "graphviz `dot` must be installed in CI (.ci/run installs it)");
        eprintln!("skipping: graphviz `dot` is not installed");
        return;
    }
    let out = tapestry().args(["scan", "--format", "dot"]).arg(fixture("polyglot-cycles")).output().unwrap();
    let mut dot = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    dot.stdin.take().unwrap().write_all(&out.stdout).unwrap();
    let res = dot.wait_with_output().unwrap();
    assert!(res.status.success());
    assert!(String::from_utf8_lossy(&res.stdout).contains("<svg"));
}

#[test]
fn missing_path_is_one_line_and_exit_2() {
    tapestry()
        .args(["scan", "/definitely/not/here"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("/definitely/not/here: no such file or directory"));
}

#[test]
fn unwritable_output_is_exit_2_and_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good.json");
    tapestry()
        .args(["scan", "-q"])
        .arg(fixture("py-flat-script"))
        .arg("-o")
        .arg(&good)
        .arg("-o")
        .arg(tmp.path().join("no/such/dir/r.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/dir"));
    assert!(!good.exists(), "no output is written when another cannot be");
    tapestry().args(["scan", "-o", "report.xml"]).arg(fixture("py-flat-script")).assert().code(2);
}

#[test]
fn an_existing_report_is_replaced_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r.json");
    std::fs::write(&out, "old").unwrap();
    tapestry().args(["scan", "-q", "-o"]).arg(&out).arg(fixture("py-flat-script")).assert().success();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["stats"]["files"]["python"], 5);
}

#[test]
fn scan_without_path_scans_the_current_directory() {
    let dir = fixture("py-flat-script");
    let out = tapestry().current_dir(&dir).args(["scan", "--format", "json"]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["root"], ".");
    assert_eq!(v["stats"]["files"]["python"], 5);
}

#[test]
fn a_single_file_is_scanned_alone() {
    let file = fixture("ts-esm-basics").join("src/main.ts");
    let v: Value = serde_json::from_slice(&json_of(&[], &file)).unwrap();
    assert_eq!(v["stats"]["files"]["typescript"], 1);
    assert!(v["nodes"].as_array().unwrap().iter().any(|n| n["id"] == "module:main.ts"));
}

#[test]
fn help_explains_each_command_with_an_example() {
    tapestry().arg("--help").assert().success().stdout(predicate::str::contains("Exit codes"));
    tapestry()
        .args(["scan", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:").and(predicate::str::contains("tapestry scan ./repo")));
    tapestry().args(["scan", "--bogus"]).assert().code(2);
}

#[test]
fn excludes_and_include_ignored_change_what_is_scanned() {
    let dir = fixture("py-flat-script");
    let count = |args: &[&str]| -> u64 {
        let v: Value = serde_json::from_slice(&json_of(args, &dir)).unwrap();
        v["stats"]["files"]["python"].as_u64().unwrap()
    };
    let base = count(&[]);
    assert_eq!(count(&["--exclude", "report.py"]), base - 1);
    assert!(count(&["--include-ignored"]) > base, "the .venv and build/ files are scanned too");
}

#[test]
fn large_files_are_skipped_with_a_diagnostic() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("big.py"), "import os\n".repeat(200)).unwrap();
    std::fs::write(tmp.path().join("small.py"), "import big\n").unwrap();
    let v: Value = serde_json::from_slice(&json_of(&["--max-file-size", "1000"], tmp.path())).unwrap();
    assert_eq!(v["stats"]["files_skipped"], 1);
    assert_eq!(v["stats"]["files"]["python"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["file"], "big.py");
    assert!(d["message"].as_str().unwrap().contains("size limit"));
}

#[test]
fn bad_files_become_diagnostics_and_the_scan_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("bin.ts"), b"\x00\x01\x02import x from './a'").unwrap();
    std::fs::write(tmp.path().join("latin1.py"), b"import os\n# caf\xe9\nimport sys\n").unwrap();
    std::fs::write(tmp.path().join("broken.rs"), "use crate::a;\nfn x( {\n").unwrap();
    std::fs::write(tmp.path().join("gen.ts"), "// @generated by a tool\nimport './bin';\n").unwrap();
    let v: Value = serde_json::from_slice(&json_of(&[], tmp.path())).unwrap();
    let diags: Vec<String> =
        v["diagnostics"].as_array().unwrap().iter().map(|d| format!("{} {}", d["file"], d["message"])).collect();
    assert!(diags.iter().any(|d| d.contains("bin.ts") && d.contains("binary")), "{diags:?}");
    assert!(diags.iter().any(|d| d.contains("latin1.py") && d.contains("UTF-8")), "{diags:?}");
    assert!(diags.iter().any(|d| d.contains("broken.rs") && d.contains("syntax error")), "{diags:?}");
    assert_eq!(v["stats"]["files_skipped"], 1);
    assert_eq!(v["stats"]["parse_errors"], 1);
    assert_eq!(v["stats"]["generated_files"], 1);
    let edges: Vec<(&str, &str)> = v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["from"].as_str().unwrap(), e["to"].as_str().unwrap()))
        .collect();
    assert!(edges.contains(&("module:latin1.py", "package:python-stdlib:sys")));
}

#[test]
fn credentials_in_deployment_files_never_reach_a_report() {
    let dir = fixture("arch-polyglot-shop");
    for format in ["json", "summary", "dot"] {
        let out = tapestry().args(["scan", "--format", format]).arg(&dir).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains("s3cret") && !text.contains("abc123"), "{format} leaks a secret");
    }
    let v: Value = serde_json::from_slice(&json_of(&[], &dir)).unwrap();
    let gateway = v["nodes"].as_array().unwrap().iter().find(|n| n["id"] == "service:gateway").unwrap();
    assert_eq!(gateway["environment"]["AMQP_URL"], "amqp://***@rabbitmq:5672");
}
