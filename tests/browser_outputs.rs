//! The HTML map, Mermaid and Structurizr outputs as files, without a
//! browser: self-contained, safely embedded, valid, and the options checked.

mod common;

use std::path::{Path, PathBuf};

use common::{fixture, tapestry};
use predicates::prelude::*;
use serde_json::Value;
use tapestry::report::{html, mermaid, structurizr, Level, RenderOptions};

fn shop() -> Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/shop.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn data_block(html: &str) -> Value {
    let start = html.find("<script type=\"application/json\" id=\"tapestry-data\">").unwrap();
    let body = &html[start..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()];
    serde_json::from_str(body).unwrap()
}

#[test]
fn the_html_map_is_one_self_contained_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("map.html");
    let cache = tmp.path().join("cache");
    tapestry()
        .args(["scan", "-q", "--cache-dir"])
        .arg(&cache)
        .arg(fixture("polyglot-cycles"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    let csp = html.split("http-equiv=\"Content-Security-Policy\" content=\"").nth(1).unwrap();
    let csp = &csp[..csp.find('"').unwrap()];
    assert!(csp.starts_with("default-src &#39;none&#39;; script-src &#39;sha256-"), "{csp}");
    for directive in ["connect-src", "img-src", "font-src", "frame-src", "base-uri", "form-action"] {
        assert!(csp.contains(&format!("{directive} &#39;none&#39;")), "{directive} in {csp}");
    }
    assert_eq!(html.matches("<script").count(), 2, "the data and the script, both inline");
    for remote in ["<link", "src=", "@import", "url(http", "//fonts", "cdn"] {
        assert!(!html.contains(remote), "nothing is loaded: found {remote}");
    }
    let data = data_block(&html);
    assert_eq!(data["meta"]["root"], fixture("polyglot-cycles").display().to_string());
    assert!(data["tree"].as_array().unwrap().iter().any(|n| n["id"] == "module:web/src/store.ts"));
    // The module tree has positions computed by tapestry.
    assert!(data["tree"].as_array().unwrap().iter().all(|n| n["w"].as_i64().unwrap() > 0));
    tapestry()
        .args(["scan", "--format", "html", "--cache-dir"])
        .arg(&cache)
        .arg(fixture("polyglot-cycles"))
        .assert()
        .success()
        .stdout(predicate::str::starts_with("<!DOCTYPE html>"));
}

#[test]
fn the_embedded_data_cannot_end_its_script_block() {
    let mut report = shop();
    report["root"] = Value::from("</script><script>alert(1)</script><!--");
    report["nodes"].as_array_mut().unwrap().push(serde_json::json!(
        {"id": "table:\"><svg onload=alert(1)>", "kind": "table", "name": "\"><svg onload=alert(1)>\u{2028}"}
    ));
    let html = html::render_value(&report, &RenderOptions::default());
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(!html.contains("<svg onload") && !html.contains("<!--") && !html.contains('\u{2028}'));
    let title = &html[html.find("<title>").unwrap() + 7..html.find("</title>").unwrap()];
    assert!(title.starts_with("tapestry · &#60;/script&#62;") && !title.contains('<'), "the title is escaped: {title}");
    let data = data_block(&html);
    assert_eq!(data["meta"]["root"], "</script><script>alert(1)</script><!--");
}

#[test]
fn link_base_and_compare_are_checked_before_scanning() {
    let dir = fixture("py-flat-script");
    for bad in ["javascript:alert(1)//", "https://user:token@git.example/r/", "file:///etc/"] {
        tapestry().args(["scan", "-q", "--link-base", bad]).arg(&dir).assert().code(2);
    }
    tapestry()
        .args(["scan", "-q", "--compare", "/definitely/not/base.json"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/definitely/not/base.json"));
}

#[test]
fn review_mode_embeds_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().join("base.json");
    std::fs::write(&base, serde_json::to_string(&shop()).unwrap()).unwrap();
    let mut head = shop();
    head["edges"].as_array_mut().unwrap().push(serde_json::json!(
        {"from": "service:billing", "to": "service:users", "kind": "calls", "sites": 1, "flags": [],
         "endpoints": ["endpoint:users:GET /users/{id}"]}
    ));
    let opts = RenderOptions { compare: Some(shop()), ..RenderOptions::default() };
    let data = data_block(&html::render_value(&head, &opts));
    assert_eq!(data["changes"]["service_calls"]["added"][0], "billing → users");
    let calls = data["services"]["edges"].as_array().unwrap();
    assert!(calls.iter().any(|e| e["st"] == 1 && e["endpoints"][0] == "GET /users/{id}"));
}

#[test]
fn mermaid_service_map_quotes_every_name() {
    let mut report = shop();
    report["nodes"].as_array_mut().unwrap().push(serde_json::json!(
        {"id": "table:\"><svg onload=alert(1)>", "kind": "table", "name": "\"><svg onload=alert(1)>"}
    ));
    let chart = mermaid::render_value(&report, Level::Service);
    let mut lines = chart.lines();
    assert!(lines.next().unwrap().starts_with("%% tapestry service map of shop"));
    assert_eq!(lines.next(), Some("flowchart LR"));
    for line in lines {
        let line = line.trim_start();
        let ok = line.starts_with("%%")
            || line.starts_with("classDef ")
            || line.starts_with("class ")
            || line
                .split_once(['[', '{', ' '])
                .is_some_and(|(id, _)| id.starts_with('n') && id[1..].parse::<u32>().is_ok());
        assert!(ok, "unexpected line: {line}");
        // Quotes come in pairs and nothing inside them is markup.
        assert_eq!(line.matches('"').count() % 2, 0, "{line}");
        assert!(!line.contains('<') && !line.contains('>') || line.contains("-->") || line.contains("-.->"), "{line}");
    }
    assert!(chart.contains("#quot;#gt;#lt;svg onload=alert(1)#gt;"));
    assert!(chart.contains("-->|\"GET /orders, POST /orders\"|"), "{chart}");
    assert!(chart.contains("[(\"postgres (postgres:16)\")]"), "datastores are cylinders");
}

/// Two Python scripts, one importing the other: no service, table, queue or
/// external system (fixtures gain those as extraction grows).
fn no_services_repo(dir: &Path) -> PathBuf {
    let repo = dir.join("plain");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::write(repo.join("main.py"), "import util\n\nprint(util.VALUE)\n").unwrap();
    std::fs::write(repo.join("util.py"), "VALUE = 1\n").unwrap();
    repo
}

#[test]
fn mermaid_module_level_and_the_output_extension() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("arch.mmd");
    tapestry()
        .args(["scan", "-q", "--level", "module", "--cache-dir"])
        .arg(tmp.path().join("cache"))
        .arg(fixture("py-directory-cycle"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let chart = std::fs::read_to_string(&out).unwrap();
    assert!(chart.contains("flowchart LR") && chart.contains("-->|\""), "{chart}");
    assert!(chart.contains("linkStyle"), "directory cycles are red: {chart}");
    let svc = tapestry()
        .args(["scan", "--format", "mermaid", "--cache-dir"])
        .arg(tmp.path().join("cache"))
        .arg(no_services_repo(tmp.path()))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&svc.stdout).contains("No services"));
}

#[test]
fn structurizr_workspace_has_containers_and_labelled_relationships() {
    let dsl = structurizr::render_value(&shop());
    assert!(dsl.starts_with("workspace \"shop architecture\""));
    assert_eq!(dsl.matches('{').count(), dsl.matches('}').count());
    for svc in ["orders", "users", "billing", "web"] {
        assert!(dsl.contains(&format!("container \"{svc}\" \"Service\"")), "{svc}: {dsl}");
    }
    assert!(dsl.contains("container \"postgres\" \"Datastore\" \"postgres:16\" \"Database\""), "{dsl}");
    assert!(dsl.contains("\"Calls POST /charges\" \"HTTP\""), "{dsl}");
    assert!(dsl.contains("Writes order_items, orders"), "tables go to the one datastore: {dsl}");
    assert!(dsl.contains("softwareSystem \"api.stripe.com\" \"External system\""));
    assert!(dsl.contains("container system \"Containers\""));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("workspace.dsl");
    tapestry()
        .args(["scan", "-q", "--cache-dir"])
        .arg(tmp.path().join("cache"))
        .arg(no_services_repo(tmp.path()))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let empty = std::fs::read_to_string(&out).unwrap();
    assert!(empty.starts_with("// No services") && empty.contains("systemContext system"));
    check_structurizr(&empty).unwrap();
}

/// No Structurizr DSL parser can be installed from npm, PyPI or Debian here
/// (the reference parser is Java, `com.structurizr:structurizr-dsl`), so this
/// checks the DSL grammar tapestry writes, line by line, as that parser reads
/// it (docs.structurizr.com/dsl/language): tokens are bare words, `"strings"`
/// without a `"` inside, `=`, `->`, `{`, `}`, `*` and `#colours`; identifiers
/// are defined once before use; each keyword appears in the block it belongs
/// to, with the number of strings it takes.
fn check_structurizr(dsl: &str) -> Result<(), String> {
    let ident = |t: &str| {
        let mut c = t.chars();
        c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
            && c.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    let mut blocks: Vec<String> = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for (n, line) in dsl.lines().enumerate() {
        let err = |why: &str| Err(format!("line {}: {why}: {line}", n + 1));
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("//") {
            continue;
        }
        // Tokens: (is a string, text).
        let mut toks: Vec<(bool, &str)> = Vec::new();
        let mut rest = trimmed;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('"') {
                let Some(end) = r.find('"') else { return err("unterminated string") };
                toks.push((true, &r[..end]));
                rest = &r[end + 1..];
                if !(rest.is_empty() || rest.starts_with(' ')) {
                    return err("a string runs into the next token");
                }
            } else {
                let end = rest.find(' ').unwrap_or(rest.len());
                let word = &rest[..end];
                let ok = ["=", "->", "{", "}", "*"].contains(&word)
                    || ident(word)
                    || (word.starts_with('#') && word.len() == 7 && word[1..].chars().all(|c| c.is_ascii_hexdigit()));
                if !ok {
                    return err(&format!("bad token {word:?}"));
                }
                toks.push((false, word));
                rest = &rest[end..];
            }
            rest = rest.trim_start();
        }
        let words: Vec<&str> = toks.iter().filter(|t| !t.0).map(|t| t.1).collect();
        let strings = toks.iter().filter(|t| t.0).count();
        let opens = words.last() == Some(&"{");
        let inside = blocks.last().map(String::as_str).unwrap_or("");
        let kind = match (inside, words.as_slice()) {
            (_, ["}"]) => {
                if blocks.pop().is_none() {
                    return err("} without a block");
                }
                continue;
            }
            ("", ["workspace", "{"]) if (1..=2).contains(&strings) => "workspace",
            ("workspace", ["model", "{"]) | ("workspace", ["views", "{"]) => words[0],
            ("model", [id, "=", "softwareSystem", rest @ ..])
            | ("softwareSystem", [id, "=", "container", rest @ ..])
                if ident(id) && (1..=4).contains(&strings) && (rest.is_empty() || rest == ["{"]) =>
            {
                if !ids.insert(id.to_string()) {
                    return err("identifier defined twice");
                }
                words[2]
            }
            ("model", [a, "->", b]) if (1..=3).contains(&strings) => {
                if !ids.contains(*a) || !ids.contains(*b) {
                    return err("relationship between undefined identifiers");
                }
                continue;
            }
            ("softwareSystem" | "container", ["tags"]) if strings >= 1 => continue,
            ("views", ["container" | "systemContext", id, "{"]) if strings <= 2 => {
                if !ids.contains(*id) {
                    return err("view of an undefined identifier");
                }
                "view"
            }
            ("views", ["styles", "{"]) => "styles",
            ("view", ["include", "*"]) | ("view", ["autolayout", "lr" | "tb" | "rl" | "bt"]) => continue,
            ("styles", ["element", "{"]) if strings == 1 => "element",
            ("element", ["shape", s]) if ident(s) => continue,
            ("element", ["background" | "color", c]) if c.starts_with('#') => continue,
            _ => return err(&format!("not valid inside {inside:?}")),
        };
        if opens {
            blocks.push(kind.to_string());
        } else if !matches!(kind, "container" | "softwareSystem") {
            return err("a block keyword without {");
        }
    }
    if blocks.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed blocks: {blocks:?}"))
    }
}

#[test]
fn structurizr_output_follows_the_dsl_grammar_even_with_hostile_names() {
    // The checker can fail: each of these breaks one rule.
    let good = structurizr::render_value(&shop());
    check_structurizr(&good).unwrap();
    for (from, to) in [
        ("\"Calls POST /charges\"", "\"Calls \"POST\" /charges\""),
        ("-> ", "-> undefined_"),
        ("    }\n}\n", "    }\n"),
    ] {
        let bad = good.replacen(from, to, 1);
        assert_ne!(bad, good, "{from} is in the workspace");
        assert!(check_structurizr(&bad).is_err(), "accepted a broken workspace ({from} → {to})");
    }
    let mut hostile = shop();
    let text = serde_json::to_string(&hostile).unwrap().replace("orders", "\\\"} -> x ${y} \\\\\\n{ \\\"");
    hostile = serde_json::from_str(&text).unwrap();
    let dsl = structurizr::render_value(&hostile);
    check_structurizr(&dsl).unwrap_or_else(|e| panic!("{e}\n{dsl}"));
    assert!(dsl.contains("'} -> x $ {y} /"), "the hostile name is kept, defused: {dsl}");
    let tmp = tempfile::tempdir().unwrap();
    for case in ["arch-polyglot-shop", "arch-service-cycle", "arch-k8s-config", "py-sqlmodel-nginx", "py-flat-script"] {
        let out = tapestry()
            .args(["scan", "--format", "structurizr", "--cache-dir"])
            .arg(tmp.path())
            .arg(fixture(case))
            .output()
            .unwrap();
        let dsl = String::from_utf8(out.stdout).unwrap();
        check_structurizr(&dsl).unwrap_or_else(|e| panic!("{case}: {e}\n{dsl}"));
    }
}
