//! `--format mermaid` / `-o arch.mmd`: a Mermaid flowchart for READMEs and
//! pull-request comments.
//!
//! The default is the service map (services, datastores, tables, queues and
//! external systems, calls labelled by endpoint); `--level module` draws the
//! module graph aggregated by directory instead, coarsened to shallower
//! directories until it fits Mermaid's default limits (500 edges, 50,000
//! characters), so the chart always renders.
//!
//! Names come from an untrusted repository: node ids are generated (`n0`,
//! `n1`…), and every label is a quoted string in which the characters Mermaid
//! gives a meaning to (`"`, `#`, `<`, `>`, `&`, `|`, backticks, line breaks)
//! are entity codes, so no name can end a label, start a statement or inject
//! markup into the rendered SVG.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde_json::Value;

use super::html_model::{arr, fold_tables, s, service_graph};
use super::{Level, Report};

/// Mermaid's default `maxEdges` is 500 and `maxTextSize` 50,000: stay under both.
const MAX_EDGES: usize = 400;
const MAX_TEXT: usize = 45_000;

pub fn render(report: &Report, level: Level) -> String {
    render_value(&serde_json::to_value(report).expect("report serializes"), level)
}

/// Renders a report given as its JSON contract.
pub fn render_value(v: &Value, level: Level) -> String {
    match level {
        Level::Service => services(v),
        Level::Module => modules(v),
    }
}

/// A Mermaid quoted label: `"…"` with Mermaid's entity codes for anything
/// that could end it or be read as markup, and URL credentials redacted.
pub(super) fn label(text: &str) -> String {
    let text = super::html::redact_credentials(text);
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A `%%` comment line: one line, whatever the text.
fn comment(text: &str) -> String {
    let text: String =
        super::html::redact_credentials(text).chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    format!("%% {text}\n")
}

fn header(v: &Value, what: &str) -> String {
    let mut o = comment(&format!("tapestry {what} of {}", s(v, "root")));
    o.push_str("flowchart LR\n");
    o
}

fn services(v: &Value) -> String {
    let mut g = service_graph(v);
    fold_tables(&mut g);
    let mut o = header(v, "service map");
    if g.nodes.is_empty() {
        o.push_str("  %% No services, datastores, queues or external systems in this report.\n");
        o.push_str("  %% `tapestry scan --format mermaid --level module` draws the module graph by directory.\n");
        let _ = writeln!(o, "  empty[{}]", label("No services found: try --level module"));
        return o;
    }
    let ids: BTreeMap<&str, String> =
        g.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), format!("n{i}"))).collect();
    for n in &g.nodes {
        let text = match &n.image {
            Some(img) if n.kind != "service" => format!("{} ({img})", n.name),
            _ => n.name.clone(),
        };
        let l = label(&text);
        let shape = match n.kind {
            "datastore" | "table" => format!("[({l})]"),
            "queue" | "broker" => format!("[[{l}]]"),
            "external" => format!("{{{{{l}}}}}"),
            _ => format!("[{l}]"),
        };
        let _ = writeln!(o, "  {}{shape}", ids[n.id.as_str()]);
    }
    for e in &g.edges {
        let mut text = match e.kind.as_str() {
            "calls" if !e.endpoints.is_empty() => e.endpoints.iter().take(3).cloned().collect::<Vec<_>>().join(", "),
            "calls" => String::new(),
            k => k.to_string(),
        };
        if e.endpoints.len() > 3 {
            let _ = write!(text, " +{}", e.endpoints.len() - 3);
        }
        let arrow = if e.kind == "calls" { "-->" } else { "-.->" };
        if text.is_empty() {
            let _ = writeln!(o, "  {} {arrow} {}", ids[e.from.as_str()], ids[e.to.as_str()]);
        } else {
            let _ = writeln!(o, "  {} {arrow}|{}| {}", ids[e.from.as_str()], label(&text), ids[e.to.as_str()]);
        }
    }
    o.push_str("  classDef service fill:#e6f4ea,stroke:#4f9a65\n");
    o.push_str("  classDef store fill:#fff4e0,stroke:#c98a1b\n");
    o.push_str("  classDef queue fill:#f1eafc,stroke:#8c63c9\n");
    o.push_str("  classDef external fill:#fafafa,stroke:#8a8a8a,stroke-dasharray:5 3\n");
    for (class, kinds) in [
        ("service", &["service"][..]),
        ("store", &["datastore", "table"]),
        ("queue", &["queue", "broker"]),
        ("external", &["external"]),
    ] {
        let members: Vec<&str> =
            g.nodes.iter().filter(|n| kinds.contains(&n.kind)).map(|n| ids[n.id.as_str()].as_str()).collect();
        if !members.is_empty() {
            let _ = writeln!(o, "  class {} {class}", members.join(","));
        }
    }
    o
}

/// A module's directory cut to `depth` segments ("." for the root).
fn dir_of(path: &str, depth: usize) -> String {
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    if dir.is_empty() {
        return ".".to_string();
    }
    dir.split('/').take(depth).collect::<Vec<_>>().join("/")
}

fn modules(v: &Value) -> String {
    let paths: BTreeMap<&str, &str> =
        arr(v, "nodes").iter().filter(|n| s(n, "kind") == "module").map(|n| (s(n, "id"), s(n, "path"))).collect();
    let deepest = paths.values().map(|p| p.matches('/').count()).max().unwrap_or(0).max(1);
    let cyclic: BTreeSet<(String, String)> = arr(v.get("analysis").unwrap_or(&Value::Null), "cycles")
        .iter()
        .filter(|c| s(c, "level") == "directory" && s(c, "kind") == "runtime")
        .flat_map(|c| arr(c, "edges").iter())
        .filter_map(|e| Some((e.get(0)?.as_str()?.to_string(), e.get(1)?.as_str()?.to_string())))
        .collect();
    let mut text = String::new();
    for depth in (1..=deepest).rev() {
        let (chart, edges) = module_chart(v, &paths, depth, deepest, &cyclic);
        text = chart;
        if edges <= MAX_EDGES && text.len() <= MAX_TEXT {
            break;
        }
    }
    text
}

/// The chart at one directory depth, and its number of edges.
fn module_chart(
    v: &Value,
    paths: &BTreeMap<&str, &str>,
    depth: usize,
    deepest: usize,
    cyclic: &BTreeSet<(String, String)>,
) -> (String, usize) {
    let mut dirs: BTreeMap<String, usize> = BTreeMap::new();
    for p in paths.values() {
        *dirs.entry(dir_of(p, depth)).or_default() += 1;
    }
    let ids: BTreeMap<&str, String> = dirs.keys().enumerate().map(|(i, d)| (d.as_str(), format!("d{i}"))).collect();
    let mut edges: BTreeMap<(String, String), u32> = BTreeMap::new();
    for e in arr(v, "edges").iter().filter(|e| s(e, "kind") == "imports") {
        let (Some(a), Some(b)) = (paths.get(s(e, "from")), paths.get(s(e, "to"))) else { continue };
        let (a, b) = (dir_of(a, depth), dir_of(b, depth));
        if a != b {
            *edges.entry((a, b)).or_default() += 1;
        }
    }
    let mut o = header(v, "module graph by directory");
    if depth < deepest {
        o.push_str(&comment(&format!("directories cut to {depth} levels to stay within Mermaid's limits")));
    }
    if dirs.is_empty() {
        let _ = writeln!(o, "  empty[{}]", label("No modules in this report"));
        return (o, 0);
    }
    for (d, n) in &dirs {
        let _ = writeln!(o, "  {}[{}]", ids[d.as_str()], label(&format!("{d} ({n})")));
    }
    let mut red = Vec::new();
    for (i, ((a, b), n)) in edges.iter().enumerate() {
        let _ = writeln!(o, "  {} -->|{}| {}", ids[a.as_str()], label(&n.to_string()), ids[b.as_str()]);
        if cyclic.contains(&(format!("directory:{a}"), format!("directory:{b}"))) {
            red.push(i.to_string());
        }
    }
    if !red.is_empty() {
        let _ = writeln!(o, "  linkStyle {} stroke:#d62728,stroke-width:2px", red.join(","));
    }
    (o, edges.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cannot_break_out_of_their_quotes() {
        assert_eq!(label("\"><svg onload=alert(1)>"), "\"#quot;#gt;#lt;svg onload=alert(1)#gt;\"");
        assert_eq!(label("a|b #x\n`y`"), "\"a#124;b #35;x #96;y#96;\"");
        assert_eq!(label("https://u:p@h/x"), "\"https://***@h/x\"");
    }

    #[test]
    fn directories_are_cut_from_the_top() {
        assert_eq!(dir_of("a/b/c/d.ts", 2), "a/b");
        assert_eq!(dir_of("d.ts", 3), ".");
    }
}
