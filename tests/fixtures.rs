//! Every fixture under `fixtures/` is scanned through the real binary and
//! compared with its hand-written `expected.txt` (format: fixtures/EXPECTED-FORMAT.md).
//! Every edge, cycle and diagnostic must match: nothing missing, nothing extra.

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn scan_json(dir: &Path) -> Value {
    let out = Command::cargo_bin("tapestry")
        .unwrap()
        .args(["scan", "--no-cache", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}: {}", dir.display(), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn short(id: &str) -> &str {
    id.strip_prefix("module:").unwrap_or(id)
}

/// Analysis lines name directories without their `directory:` prefix.
fn bare(id: &str) -> &str {
    id.strip_prefix("module:").or_else(|| id.strip_prefix("directory:")).unwrap_or(id)
}

/// Analysis lines, compared only for the (kind, level) pairs the expected file has lines of
/// (see [`optional_key`]): a fixture about services need not list its module coupling.
const OPTIONAL: &[&str] = &[
    "breaker",
    "coupling",
    "critical",
    "elementary",
    "evidence",
    "latency",
    "pair",
    "port",
    "propagation_cost",
    "smell",
];

/// The (kind, level) an analysis line belongs to: `coupling service …` → `coupling service`,
/// `smell cyclic_dependency module …` → `smell module`; `latency` and `pair` (service only) → the kind.
fn optional_key(line: &str) -> Option<String> {
    let t: Vec<&str> = line.split(' ').collect();
    if !OPTIONAL.contains(&t[0]) {
        return None;
    }
    Some(match t[0] {
        "latency" | "pair" | "port" => t[0].to_string(),
        "smell" | "evidence" => format!("{} {}", t[0], t.get(2)?),
        _ => format!("{} {}", t[0], t.get(1)?),
    })
}

fn num(v: &Value) -> String {
    match v.as_f64() {
        Some(x) if x.fract() == 0.0 => format!("{x:.0}"),
        Some(x) => format!("{x}"),
        None => "null".to_string(),
    }
}

fn analysis_lines(report: &Value, lines: &mut BTreeSet<String>) {
    let a = &report["analysis"];
    for c in a["cycles"].as_array().unwrap() {
        let level = c["level"].as_str().unwrap();
        for b in c["breakers"].as_array().unwrap() {
            let (f, t) = (bare(b["from"].as_str().unwrap()), bare(b["to"].as_str().unwrap()));
            lines.insert(format!("breaker {level} {f} -> {t} {}:{}", b["file"].as_str().unwrap(), b["line"]));
        }
        for e in c["elementary"].as_array().unwrap() {
            let ids: Vec<&str> = e.as_array().unwrap().iter().map(|n| bare(n.as_str().unwrap())).collect();
            lines.insert(format!("elementary {level} {}", ids.join(" -> ")));
        }
    }
    for s in a["smells"].as_array().unwrap() {
        let nodes: Vec<&str> = s["nodes"].as_array().unwrap().iter().map(|n| bare(n.as_str().unwrap())).collect();
        let head = format!("{} {} {}", s["kind"].as_str().unwrap(), s["level"].as_str().unwrap(), nodes.join(" "));
        for e in s["evidence"].as_array().unwrap() {
            lines.insert(format!("evidence {head} | {}", e.as_str().unwrap()));
        }
        lines.insert(format!("smell {head}"));
    }
    for p in a["latency_paths"].as_array().unwrap() {
        lines.insert(format!("latency {}: {}", p["length"], steps(p)));
    }
    for c in a["coupling"].as_array().unwrap() {
        let level = c["level"].as_str().unwrap();
        lines.insert(format!("propagation_cost {level} {}", num(&c["propagation_cost"])));
        for p in c["pairs"].as_array().into_iter().flatten() {
            lines.insert(format!(
                "pair {} -> {} calls={} modules={} endpoints={}",
                p["from"].as_str().unwrap(),
                p["to"].as_str().unwrap(),
                p["calls"],
                p["modules"],
                p["endpoints"]
            ));
        }
        for n in c["nodes"].as_array().unwrap() {
            lines.insert(format!(
                "coupling {level} {} ca={} ce={} instability={} propagation={} depth={}",
                bare(n["id"].as_str().unwrap()),
                n["ca"],
                n["ce"],
                num(&n["instability"]),
                num(&n["propagation"]),
                n["depth"]
            ));
        }
    }
    for cp in a["critical_paths"].as_array().unwrap() {
        for p in cp["paths"].as_array().unwrap() {
            lines.insert(format!("critical {} {}: {}", cp["level"].as_str().unwrap(), p["length"], steps(p)));
        }
    }
}

/// A path's steps as `a -> b+c -> d` (a collapsed cycle joins its members with `+`).
fn steps(path: &Value) -> String {
    let steps: Vec<String> = path["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_array().unwrap().iter().map(|n| bare(n.as_str().unwrap())).collect::<Vec<_>>().join("+"))
        .collect();
    steps.join(" -> ")
}

/// The report in the expected-file line format, restricted to the stats the file checks.
fn actual_lines(report: &Value, stats_wanted: &BTreeSet<String>) -> BTreeSet<String> {
    let mut lines = BTreeSet::new();
    for n in report["nodes"].as_array().unwrap() {
        if let Some(line) = node_line(n) {
            lines.insert(line);
        }
    }
    for e in report["edges"].as_array().unwrap() {
        if e["kind"] == "exposes" {
            continue; // the `endpoint` line of the endpoint says the same
        }
        let flags: Vec<&str> = e["flags"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
        let flags = if flags.is_empty() { String::new() } else { format!(" [{}]", flags.join(",")) };
        let (from, to) = (short(e["from"].as_str().unwrap()), short(e["to"].as_str().unwrap()));
        // The endpoints behind a service → service call, then the queues a broker
        // request travels on (`via`, module and service edges alike).
        let ids = |k: &str| e[k].as_array().map(|a| a.iter().map(|x| x.as_str().unwrap()).collect::<Vec<_>>());
        let eps: Vec<&str> = ids("endpoints").into_iter().chain(ids("via")).flatten().collect();
        let via = if eps.is_empty() { String::new() } else { format!(" via {}", eps.join(", ")) };
        lines.insert(format!("{} {from} -> {to}{flags}{via}", e["kind"].as_str().unwrap()));
    }
    for c in report["analysis"]["cycles"].as_array().unwrap() {
        let members: Vec<&str> = c["nodes"].as_array().unwrap().iter().map(|n| short(n.as_str().unwrap())).collect();
        lines.insert(format!(
            "cycle {} {} {}",
            c["level"].as_str().unwrap(),
            c["kind"].as_str().unwrap(),
            members.join(" ")
        ));
    }
    for d in report["diagnostics"].as_array().unwrap() {
        let at = match d["line"].as_u64() {
            Some(l) => format!("{}:{l}", d["file"].as_str().unwrap()),
            None => d["file"].as_str().unwrap().to_string(),
        };
        lines.insert(format!("diagnostic {at}"));
    }
    for name in stats_wanted {
        let v = name.split('.').fold(&report["stats"], |v, k| &v[k]);
        lines.insert(format!("stat {name} {v}"));
    }
    lines
}

/// `port <service> <port> <from> <file>[:<line>]` for each port source of each service
/// (compared only in fixtures that write `port` lines).
fn port_lines(report: &Value, lines: &mut BTreeSet<String>) {
    for n in report["nodes"].as_array().unwrap().iter().filter(|n| n["kind"] == "service") {
        for p in n["port_sources"].as_array().into_iter().flatten() {
            let at = match p["line"].as_u64() {
                Some(l) => format!("{}:{l}", p["file"].as_str().unwrap()),
                None => p["file"].as_str().unwrap().to_string(),
            };
            let (port, from) = (p["port"].as_str().unwrap(), p["from"].as_str().unwrap());
            lines.insert(format!("port {} {port} {from} {at}", n["name"].as_str().unwrap()));
        }
    }
}

/// Lines for the architecture nodes (modules and packages are shown by their edges).
fn node_line(n: &Value) -> Option<String> {
    let s = |k: &str| n[k].as_str().unwrap_or("").to_string();
    let at = |n: &Value| match (n["file"].as_str(), n["line"].as_u64()) {
        (Some(f), Some(l)) => format!(" {f}:{l}"),
        _ => String::new(),
    };
    Some(match n["kind"].as_str()? {
        "service" => {
            let dirs: Vec<&str> = n["dirs"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
            let dirs = if dirs.is_empty() { "-".to_string() } else { dirs.join(",") };
            let infra = if n["infra"] == true {
                format!(" infra {}", n["image"].as_str().unwrap_or("-"))
            } else {
                String::new()
            };
            format!("service {} {dirs}{infra}", s("name"))
        }
        "endpoint" => {
            let service = s("service");
            format!("endpoint {} {} {}{}", service.trim_start_matches("service:"), s("method"), s("path"), at(n))
        }
        "table" => format!("table {} {}{}", s("name"), s("store"), at(n)),
        "queue" => format!("queue {} {}", s("broker"), s("name")),
        "external" => format!("external {}", s("name")),
        _ => return None,
    })
}

fn expected_lines(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

#[test]
fn every_fixture_matches_its_hand_written_expectation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs: Vec<_> =
        std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    let mut failures = Vec::new();
    for dir in &dirs {
        let expected_file = dir.join("expected.txt");
        let text =
            std::fs::read_to_string(&expected_file).unwrap_or_else(|_| panic!("{} has no expected.txt", dir.display()));
        let expected = expected_lines(&text);
        let stats: BTreeSet<String> = expected
            .iter()
            .filter_map(|l| l.strip_prefix("stat "))
            .filter_map(|l| l.split(' ').next())
            .map(String::from)
            .collect();
        let report = scan_json(dir);
        let mut actual = actual_lines(&report, &stats);
        let mut extra_lines = BTreeSet::new();
        analysis_lines(&report, &mut extra_lines);
        port_lines(&report, &mut extra_lines);
        let keys: BTreeSet<String> = expected.iter().filter_map(|l| optional_key(l)).collect();
        let wanted = |l: &String| optional_key(l).is_some_and(|k| keys.contains(&k));
        actual.extend(extra_lines.into_iter().filter(|l| wanted(l)));
        let missing: Vec<_> = expected.difference(&actual).collect();
        let extra: Vec<_> = actual.difference(&expected).collect();
        if !missing.is_empty() || !extra.is_empty() {
            let name = dir.file_name().unwrap().to_string_lossy();
            let mut msg = format!("\n== {name}\n");
            missing.iter().for_each(|l| msg.push_str(&format!("  missing: {l}\n")));
            extra.iter().for_each(|l| msg.push_str(&format!("  extra:   {l}\n")));
            failures.push(msg);
        }
    }
    assert!(failures.is_empty(), "{} of {} fixtures differ:{}", failures.len(), dirs.len(), failures.concat());
}
