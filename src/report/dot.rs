//! `--format dot`: Graphviz, one cluster per directory, packages outside the
//! clusters, edges of runtime module cycles drawn red, type-only edges dashed,
//! `contains` edges dotted. Readable with `dot -Tsvg`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::{NodeOut, Report};

pub fn render(r: &Report) -> String {
    let mut o = String::from("digraph tapestry {\n  rankdir=LR;\n  compound=true;\n");
    o.push_str(
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", fontname=\"Helvetica\", fontsize=10];\n",
    );
    o.push_str("  edge [color=\"#555555\", arrowsize=0.6];\n");
    let mut by_dir: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for n in &r.nodes {
        match n {
            NodeOut::Module(m) => {
                let (dir, file) = m.path.rsplit_once('/').unwrap_or(("", &m.path));
                by_dir.entry(dir).or_default().push((&m.id, file));
            }
            NodeOut::Package(p) => {
                let _ = writeln!(
                    o,
                    "  {} [label={}, shape=box, style=filled, fillcolor=\"#f2f2f2\", color=\"#999999\"];",
                    q(&p.id),
                    q(&format!("{} ({})", p.name, p.ecosystem))
                );
            }
            other => {
                let (label, style) = match other {
                    NodeOut::Service(s) if s.infra => (
                        format!("{} [{}]", s.name, s.image.as_deref().unwrap_or("infra")),
                        "shape=component, style=filled, fillcolor=\"#e8e8e8\"",
                    ),
                    NodeOut::Service(s) => (s.name.clone(), "shape=component, style=filled, fillcolor=\"#ffe9b3\""),
                    NodeOut::Endpoint(e) => (e.name.clone(), "shape=note, style=filled, fillcolor=\"#fff7e0\""),
                    NodeOut::Table(t) => (t.name.clone(), "shape=cylinder, style=filled, fillcolor=\"#e3f4e3\""),
                    NodeOut::Queue(x) => {
                        (format!("{} ({})", x.name, x.broker), "shape=cds, style=filled, fillcolor=\"#f3e5f5\"")
                    }
                    NodeOut::External(x) => {
                        (x.name.clone(), "shape=doubleoctagon, style=filled, fillcolor=\"#fde0dc\"")
                    }
                    _ => continue,
                };
                let _ = writeln!(o, "  {} [label={}, {style}];", q(other.id()), q(&label));
            }
        }
    }
    for (i, (dir, mods)) in by_dir.iter().enumerate() {
        let _ = writeln!(
            o,
            "  subgraph cluster_{i} {{\n    label={};\n    style=rounded; color=\"#b0b8c8\";",
            q(if dir.is_empty() { "." } else { dir })
        );
        for (id, file) in mods {
            let _ = writeln!(o, "    {} [label={}];", q(id), q(file));
        }
        o.push_str("  }\n");
    }
    let in_cycle: BTreeSet<(&str, &str)> = r
        .analysis
        .cycles
        .iter()
        .filter(|c| c.level == "module" && c.kind == "runtime")
        .flat_map(|c| c.edges.iter().map(|[a, b]| (a.as_str(), b.as_str())))
        .collect();
    for e in &r.edges {
        if e.kind == "contains" && e.from.starts_with("service:") && e.to.starts_with("module:") {
            continue; // ownership of modules is drawn by the service field, not by edges
        }
        let mut attrs = Vec::new();
        if in_cycle.contains(&(e.from.as_str(), e.to.as_str())) {
            attrs.push("color=\"#d62728\", penwidth=2".to_string());
        }
        if e.kind == "contains" {
            attrs.push("style=dotted, arrowhead=odiamond".to_string());
        } else if e.flags.contains(&"type_only") {
            attrs.push("style=dashed".to_string());
        }
        let attrs = if attrs.is_empty() { String::new() } else { format!(" [{}]", attrs.join(", ")) };
        let _ = writeln!(o, "  {} -> {}{attrs};", q(&e.from), q(&e.to));
    }
    o.push_str("}\n");
    o
}

/// A DOT double-quoted string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
