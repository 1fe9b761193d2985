//! The CI gate end to end, in a temporary git repository, as a CI job runs it:
//! baseline → a change closes a new cycle → check fails naming it → the
//! change is reverted → check passes; moving code keeps it passing; a fixed
//! cycle is reported stale; bad inputs are exit 2.

mod common;

use std::path::Path;
use std::process::Command as Process;

use common::{copy_dir, tapestry_in as tapestry, tmp, write};
use predicates::prelude::*;
use serde_json::Value;

fn git(dir: &Path, args: &[&str]) {
    let ok = Process::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
        .status
        .success();
    assert!(ok, "git {args:?}");
}

/// A small TypeScript project with one old cycle (a ⇄ b) and a clean c → d.
fn project() -> tempfile::TempDir {
    let t = tmp();
    let d = t.path();
    write(d, "src/a.ts", "import { b } from './b';\nexport const a = () => b();\n");
    write(d, "src/b.ts", "import { a } from './a';\nexport const b = () => a;\n");
    write(d, "src/c.ts", "import { d } from './d';\nexport const c = () => d;\n");
    write(d, "src/d.ts", "export const d = 1;\n");
    git(d, &["init", "-q"]);
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "start"]);
    t
}

#[test]
fn new_cycles_fail_old_ones_do_not_and_moving_code_changes_nothing() {
    let t = project();
    let d = t.path();
    tapestry(d).arg("baseline").assert().success();
    let baseline = std::fs::read_to_string(d.join(".tapestry-baseline.json")).unwrap();
    assert!(baseline.contains(r#""nodes":["src/a.ts","src/b.ts"]"#), "{baseline}");
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "baseline"]);
    tapestry(d).arg("check").assert().code(0).stdout(predicate::str::contains("0 new, 1 known"));

    // d.ts now imports c.ts: a new cycle c ⇄ d, named with every step's file:line.
    write(d, "src/d.ts", "import { c } from './c';\nexport const d = 1;\nexport const e = c;\n");
    tapestry(d)
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("NEW cycle"))
        .stdout(predicate::str::contains("src/d.ts:1  src/d.ts → src/c.ts  (new)"))
        .stdout(predicate::str::contains("src/c.ts:1  src/c.ts → src/d.ts"));
    tapestry(d)
        .args(["check", "--format", "github"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("title=tapestry%3A new cycle::circular dependency between 2 modules"))
        .stdout(predicate::str::contains("%0Asrc/d.ts:1  src/d.ts → src/c.ts"));

    // Revert: passes again.
    git(d, &["checkout", "--", "src/d.ts"]);
    tapestry(d).arg("check").assert().code(0);

    // Move the import of the old cycle down a few lines: same edges, still known.
    write(d, "src/a.ts", "// moved\n\n\nimport { b } from './b';\nexport const a = () => b();\n");
    tapestry(d).arg("check").assert().code(0).stdout(predicate::str::contains("0 new, 1 known"));
}

#[test]
fn an_old_cycle_that_grows_is_new_and_one_that_shrinks_is_not() {
    let t = project();
    let d = t.path();
    write(
        d,
        "src/b.ts",
        "import { a } from './a';\nimport { c } from './c';\nexport const b = () => a;\nexport const x = c;\n",
    );
    write(d, "src/c.ts", "import { a } from './a';\nexport const c = () => a;\n");
    // Cycle {a, b, c}: a → b → a and a → b → c → a.
    tapestry(d).arg("baseline").assert().success();
    // Shrink: c no longer imports a; {a, b} remains, nothing new.
    write(d, "src/c.ts", "export const c = 1;\n");
    tapestry(d).arg("check").assert().code(0);
    // Grow: d joins through a new edge d → a and a → d.
    write(d, "src/d.ts", "import { a } from './a';\nexport const d = a;\n");
    write(d, "src/a.ts", "import { b } from './b';\nimport { d } from './d';\nexport const a = () => b() + d;\n");
    tapestry(d).arg("check").assert().code(1).stdout(predicate::str::contains("src/a.ts → src/d.ts  (new)"));
}

#[test]
fn a_fixed_cycle_is_reported_stale_and_update_baseline_drops_it() {
    let t = project();
    let d = t.path();
    tapestry(d).arg("baseline").assert().success();
    write(d, "src/b.ts", "export const b = () => 2;\n");
    tapestry(d).arg("check").assert().code(0).stdout(predicate::str::contains("STALE cycle: src/a.ts, src/b.ts"));
    tapestry(d).args(["check", "--fail-on-stale"]).assert().code(1);
    tapestry(d).args(["check", "--update-baseline"]).assert().code(0);
    let b: Value = serde_json::from_str(&std::fs::read_to_string(d.join(".tapestry-baseline.json")).unwrap()).unwrap();
    assert_eq!(b["violations"].as_array().unwrap().len(), 0);
    tapestry(d).args(["check", "--fail-on-stale"]).assert().code(0);
}

#[test]
fn update_baseline_never_adds() {
    let t = project();
    let d = t.path();
    tapestry(d).arg("baseline").assert().success();
    write(d, "src/d.ts", "import { c } from './c';\nexport const d = c;\n");
    tapestry(d).args(["check", "--update-baseline"]).assert().code(1);
    let text = std::fs::read_to_string(d.join(".tapestry-baseline.json")).unwrap();
    assert!(!text.contains("src/d.ts"), "{text}");
    tapestry(d).arg("check").assert().code(1);
}

#[test]
fn an_allow_cycle_comment_suppresses_and_is_listed() {
    let t = project();
    let d = t.path();
    tapestry(d).arg("baseline").assert().success();
    write(
        d,
        "src/d.ts",
        "import { c } from './c'; // tapestry: allow-cycle plugin registration, see ADR-7\nexport const d = c;\n",
    );
    tapestry(d)
        .arg("check")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("SUPPRESSED src/d.ts:1  src/d.ts → src/c.ts: plugin registration, see ADR-7"));
}

#[test]
fn sarif_and_json_outputs_from_one_run() {
    let t = project();
    let d = t.path();
    tapestry(d).args(["check", "-o", "out.sarif", "-o", "out.json"]).assert().code(1);
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(d.join("out.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let r = &sarif["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "cycle");
    assert_eq!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "src/a.ts");
    assert_eq!(r["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
    assert!(r["partialFingerprints"]["tapestry/v1"].as_str().unwrap().len() == 16);
    let json: Value = serde_json::from_str(&std::fs::read_to_string(d.join("out.json")).unwrap()).unwrap();
    assert_eq!(json["new"][0]["nodes"], serde_json::json!(["src/a.ts", "src/b.ts"]));
    // Both files follow their shipped schemas.
    tapestry(d).arg("baseline").assert().success();
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join(".tapestry-baseline.json")).unwrap()).unwrap();
    let schema = |name: &str| -> Value {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema").join(name);
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let baseline_schema = schema("baseline.schema.json");
    let v = jsonschema::draft202012::new(&baseline_schema).unwrap();
    assert!(v.is_valid(&baseline), "{:?}", v.iter_errors(&baseline).map(|e| e.to_string()).collect::<Vec<_>>());
    let mut check_schema = schema("check.schema.json");
    // Resolve the cross-file reference locally: stale entries are baseline entries.
    check_schema["$defs"]["entry"] = baseline_schema["$defs"]["entry"].clone();
    check_schema["properties"]["stale"]["items"] = serde_json::json!({ "$ref": "#/$defs/entry" });
    let v = jsonschema::draft202012::new(&check_schema).unwrap();
    assert!(v.is_valid(&json), "{:?}", v.iter_errors(&json).map(|e| e.to_string()).collect::<Vec<_>>());
}

#[test]
fn rules_from_tapestry_toml_forbidden_and_layers() {
    let t = project();
    let d = t.path();
    write(
        d,
        "src/ui/page.ts",
        "import { q } from '../db/pool';\nimport { s } from '../domain/svc';\nexport const p = q + s;\n",
    );
    write(d, "src/domain/svc.ts", "import { p } from '../ui/page';\nexport const s = 1;\nexport const t = p;\n");
    write(d, "src/db/pool.ts", "import lodash from 'lodash';\nexport const q = lodash;\n");
    write(
        d,
        "tapestry.toml",
        "[rules]\nlayers = [\"src/ui\", \"src/domain\", \"src/db\"]\nallowed_cycles = [[\"src/a.ts\", \"src/b.ts\"]]\n\n\
         [[rules.forbidden]]\nfrom = \"src/ui/**\"\nto = \"src/db/**\"\nmessage = \"the UI goes through the domain\"\n\n\
         [[rules.forbidden]]\nfrom = \"src/db/**\"\nto = \"lodash\"\n",
    );
    let out = tapestry(d).args(["check", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<(String, String)> = v["new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["rule"].as_str().unwrap().to_string(), n["message"].as_str().unwrap().to_string()))
        .collect();
    // The a ⇄ b cycle is allowed; ui ⇄ domain is a cycle and a layer breach (domain → ui).
    assert_eq!(rules.iter().filter(|(r, _)| r == "cycle").count(), 1, "{rules:?}");
    assert!(
        rules.contains(&("forbidden".into(), "src/ui/page.ts → src/db/pool.ts: the UI goes through the domain".into())),
        "{rules:?}"
    );
    assert!(rules.iter().any(|(r, m)| r == "forbidden" && m.starts_with("src/db/pool.ts → lodash")), "{rules:?}");
    assert!(
        rules.contains(&(
            "layer".into(),
            "src/domain/svc.ts → src/ui/page.ts: layer `src/domain` must not depend on the layer above it, `src/ui`"
                .into()
        )),
        "{rules:?}"
    );
    assert_eq!(rules.len(), 4, "{rules:?}");
}

#[test]
fn bad_inputs_are_exit_2_with_file_and_line() {
    let t = project();
    let d = t.path();
    write(
        d,
        "bad.json",
        "{\n  \"tapestry_baseline\": 1,\n  \"edge_classes\": [],\n  \"violations\": [ {\"rule\": 3} ]\n}\n",
    );
    tapestry(d)
        .args(["check", "--baseline", "bad.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.json:4"));
    tapestry(d)
        .args(["check", "--baseline", "missing.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.json"));
    write(d, "tapestry.toml", "[rules]\nlayers = [\"src/**\"]\nforbid = []\n");
    tapestry(d)
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("tapestry.toml:3").and(predicate::str::contains("forbid")));
    std::fs::remove_file(d.join("tapestry.toml")).unwrap();
    tapestry(d).args(["check", "nowhere"]).assert().code(2);
    // A baseline written with other edge classes is not silently compared.
    tapestry(d).args(["baseline", "--edge-classes", "static"]).assert().success();
    tapestry(d)
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("regenerate it with `tapestry baseline`"));
}

#[test]
fn diff_between_two_reports_in_markdown() {
    let t = project();
    let d = t.path();
    tapestry(d).args(["scan", "-q", "-o", "old.json"]).assert().success();
    write(d, "src/d.ts", "import { c } from './c';\nexport const d = c;\n");
    write(d, "src/e.ts", "export const e = 1;\n");
    tapestry(d).args(["scan", "-q", "-o", "new.json"]).assert().success();
    tapestry(d)
        .args(["diff", "old.json", "new.json", "--format", "markdown"])
        .assert()
        .success()
        .stdout(predicate::str::contains("#### Cycles (+1 −0)"))
        .stdout(predicate::str::contains("- + `module runtime: src/c.ts, src/d.ts`"))
        .stdout(predicate::str::contains("- + `src/e.ts`"))
        .stdout(predicate::str::contains("- + `src/d.ts → src/c.ts`"));
    write(d, "broken.json", "{ not json");
    tapestry(d)
        .args(["diff", "old.json", "broken.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.json:1"));
}

#[test]
fn path_explains_why_a_depends_on_b() {
    let t = project();
    let d = t.path();
    write(d, "src/e.ts", "import { c } from './c';\nexport const e = c;\n");
    tapestry(d)
        .args(["path", "src/e.ts", "src/d.ts"])
        .assert()
        .code(0)
        .stdout("src/e.ts depends on src/d.ts in 2 steps:\n  src/e.ts:1  src/e.ts → src/c.ts\n  src/c.ts:1  src/c.ts → src/d.ts\n");
    tapestry(d).args(["path", "src/d.ts", "src/e.ts"]).assert().code(1);
    tapestry(d).args(["path", "src/nope.ts", "src/e.ts"]).assert().code(2);
}

#[test]
fn path_explains_why_a_service_depends_on_another() {
    let fixture = common::fixture("arch-service-analysis");
    let cache = tmp();
    let run = |from: &str, to: &str| {
        let mut c = tapestry(&fixture);
        c.args(["path", from, to, "--cache-dir"]).arg(cache.path());
        c
    };
    // web → gateway (first call site web/app.py:12) → inventory (gateway/stock.py:9): two
    // hops, shorter than through orders.
    // (A bare `web` names the directory: modules, then directories, then services.)
    run("service:web", "service:inventory").assert().code(0).stdout(
        "service:web depends on service:inventory in 2 steps:\n  web/app.py:12  web → gateway\n  gateway/stock.py:9  gateway → inventory\n",
    );
    // A declared link is a step too, at its compose line; a queue is not: notifier does not
    // depend on orders although it consumes what orders publishes.
    run("service:payments", "db")
        .assert()
        .code(0)
        .stdout("service:payments depends on db in 1 steps:\n  docker-compose.yml:24  payments → db\n");
    run("service:notifier", "service:orders").assert().code(1);
    run("service:orders", "service:notifier").assert().code(1);
}

#[test]
fn a_service_call_cycle_is_gated_like_a_module_cycle() {
    // orders calls billing and billing calls orders, through compose env-var URLs.
    let t = tmp();
    let d = t.path();
    copy_dir(&common::fixture("arch-service-cycle"), d);
    let cache = tmp();
    let check = || {
        let mut c = tapestry(d);
        c.args(["check", "--cache-dir"]).arg(cache.path());
        c
    };
    // No baseline: the cycle is new, named with the call sites that make it.
    check()
        .assert()
        .code(1)
        .stdout(predicate::str::contains("circular calls between 2 services"))
        .stdout(predicate::str::contains("orders/app.py"))
        .stdout(predicate::str::contains("billing/app.py"));
    tapestry(d).args(["baseline", "--cache-dir"]).arg(cache.path()).assert().success();
    let baseline = std::fs::read_to_string(d.join(".tapestry-baseline.json")).unwrap();
    assert!(baseline.contains(r#""rule":"service-cycle""#), "{baseline}");
    check().assert().code(0);
    // The SARIF run knows the rule.
    let sarif = d.join("out.sarif");
    check().args(["--baseline", "/dev/null"]).assert().code(2);
    std::fs::remove_file(d.join(".tapestry-baseline.json")).unwrap();
    check().arg("-o").arg(&sarif).assert().code(1);
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(s["runs"][0]["results"][0]["ruleId"], "service-cycle", "{s}");
}
