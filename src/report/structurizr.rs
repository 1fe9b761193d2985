//! `--format structurizr` / `-o workspace.dsl`: the service map as a C4
//! container view in Structurizr DSL, so teams who keep C4 models start from
//! what the code says.
//!
//! One software system (the scanned repository) holds a container per
//! service, datastore and queue; external hosts are external software
//! systems; relationships carry what was found (the endpoints called, the
//! tables read and written) and the protocol. Tables are data, not
//! containers: they go to the one datastore when the report has exactly one,
//! else to a `Database` container of their own. A report without services
//! still gives a valid workspace, saying so in a comment.
//!
//! Strings are double-quoted; the DSL has no escape for a double quote, so
//! one becomes `'`, backslashes (line continuations) become `/`, line breaks
//! spaces, and `${` (the DSL's substitution) `$ {`. Identifiers are generated.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde_json::Value;

use super::html_model::{s, service_graph, ServiceGraph};
use super::Report;

/// Names listed in a relationship's description, at most.
const MAX_LISTED: usize = 6;

pub fn render(report: &Report) -> String {
    render_value(&serde_json::to_value(report).expect("report serializes"))
}

/// Renders a report given as its JSON contract.
pub fn render_value(v: &Value) -> String {
    workspace(v)
}

/// A DSL string literal (see the module comment for what is replaced).
pub(super) fn q(text: &str) -> String {
    let text = super::html::redact_credentials(text);
    let clean: String = text
        .chars()
        .map(|c| match c {
            '"' => '\'',
            '\\' => '/',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    format!("\"{}\"", clean.replace("${", "$ {"))
}

fn listed(items: &BTreeSet<String>) -> String {
    let mut text = items.iter().take(MAX_LISTED).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > MAX_LISTED {
        let _ = write!(text, " and {} more", items.len() - MAX_LISTED);
    }
    text
}

fn workspace(v: &Value) -> String {
    let root = s(v, "root");
    let g = service_graph(v);
    let mut o = String::new();
    let containers = g.nodes.iter().any(|n| n.kind != "external");
    if !containers {
        o.push_str("// No services in this report: tapestry found no service, datastore or queue in the code,\n");
        o.push_str("// so the system has no containers yet and only a system context view is drawn.\n");
    }
    let _ =
        writeln!(o, "workspace {} {} {{", q(&format!("{root} architecture")), q("Read from the source by tapestry"));
    o.push_str("    model {\n");
    let _ = writeln!(o, "        system = softwareSystem {} {} {{", q(root), q("The scanned repository"));
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    for (i, n) in g.nodes.iter().enumerate().filter(|(_, n)| !matches!(n.kind, "external" | "table")) {
        let id = format!("c{i}");
        let (desc, tech, tag) = match n.kind {
            "datastore" => ("Datastore", n.image.clone().unwrap_or_default(), "Database"),
            "broker" => ("Message broker", n.image.clone().unwrap_or_default(), "Queue"),
            "queue" => ("Queue", String::new(), "Queue"),
            _ => ("Service", n.image.clone().unwrap_or_default(), "Service"),
        };
        let _ = writeln!(o, "            {id} = container {} {} {} {}", q(&n.name), q(desc), q(&tech), q(tag));
        ids.insert(&n.id, id);
    }
    let tables: Vec<&str> = g.nodes.iter().filter(|n| n.kind == "table").map(|n| n.id.as_str()).collect();
    let stores: Vec<&str> = g.nodes.iter().filter(|n| n.kind == "datastore").map(|n| n.id.as_str()).collect();
    let table_home = match (tables.is_empty(), stores.as_slice()) {
        (true, _) => None,
        (false, [one]) => Some(ids[one].clone()),
        (false, _) => {
            let names: BTreeSet<String> = tables.iter().map(|t| super::html_model::bare(t).to_string()).collect();
            let desc = format!("Tables: {}", listed(&names));
            let _ = writeln!(
                o,
                "            database = container {} {} {} {}",
                q("Database"),
                q(&desc),
                q("SQL"),
                q("Database")
            );
            Some("database".to_string())
        }
    };
    o.push_str("        }\n");
    for (i, n) in g.nodes.iter().enumerate().filter(|(_, n)| n.kind == "external") {
        let id = format!("x{i}");
        let _ = writeln!(o, "        {id} = softwareSystem {} {} {{", q(&n.name), q("External system"));
        let _ = writeln!(o, "            tags {}", q("External"));
        o.push_str("        }\n");
        ids.insert(&n.id, id);
    }
    relationships(&mut o, &g, &ids, table_home.as_deref());
    o.push_str("    }\n    views {\n");
    if containers {
        let _ = writeln!(o, "        container system {} {{", q("Containers"));
    } else {
        let _ = writeln!(o, "        systemContext system {} {{", q("Context"));
    }
    o.push_str("            include *\n            autolayout lr\n        }\n");
    o.push_str("        styles {\n");
    o.push_str("            element \"Database\" {\n                shape cylinder\n            }\n");
    o.push_str("            element \"Queue\" {\n                shape pipe\n            }\n");
    o.push_str("            element \"External\" {\n                background #999999\n                color #ffffff\n            }\n");
    o.push_str("        }\n    }\n}\n");
    o
}

/// One relationship per (from, to): calls with their endpoints and protocol,
/// table access (lifted to the table's datastore), queue traffic.
fn relationships(o: &mut String, g: &ServiceGraph, ids: &BTreeMap<&str, String>, table_home: Option<&str>) {
    #[derive(Default)]
    struct Rel {
        calls: BTreeSet<String>,
        called: bool,
        protocols: BTreeSet<String>,
        reads: BTreeSet<String>,
        writes: BTreeSet<String>,
        publishes: bool,
        consumes: bool,
    }
    let mut rels: BTreeMap<(String, String), Rel> = BTreeMap::new();
    for e in &g.edges {
        let Some(from) = ids.get(e.from.as_str()) else { continue };
        let table = e.to.starts_with("table:");
        let to = match (table, table_home) {
            (true, Some(home)) => home.to_string(),
            (true, None) => continue,
            (false, _) => match ids.get(e.to.as_str()) {
                Some(t) => t.clone(),
                None => continue,
            },
        };
        if *from == to {
            continue;
        }
        let r = rels.entry((from.clone(), to)).or_default();
        let name = super::html_model::bare(&e.to).to_string();
        match e.kind.as_str() {
            "calls" => {
                r.called = true;
                r.calls.extend(e.endpoints.iter().cloned());
                let proto = e.protocol.clone().unwrap_or_else(|| {
                    let grpc = e.endpoints.iter().any(|x| x.starts_with("RPC "));
                    let moleculer = e.endpoints.iter().any(|x| x.starts_with("ACTION "));
                    if grpc {
                        "gRPC"
                    } else if moleculer {
                        "Moleculer"
                    } else {
                        "HTTP"
                    }
                    .to_string()
                });
                r.protocols.insert(proto);
            }
            "reads" if table => drop(r.reads.insert(name)),
            "writes" if table => drop(r.writes.insert(name)),
            "reads" | "consumes" => r.consumes = true,
            "writes" | "publishes" => r.publishes = true,
            _ => {}
        }
    }
    for ((from, to), r) in &rels {
        let mut parts = Vec::new();
        if r.called {
            parts.push(if r.calls.is_empty() { "Calls".to_string() } else { format!("Calls {}", listed(&r.calls)) });
        }
        if !r.reads.is_empty() {
            parts.push(format!("Reads {}", listed(&r.reads)));
        }
        if !r.writes.is_empty() {
            parts.push(format!("Writes {}", listed(&r.writes)));
        }
        if r.publishes {
            parts.push("Publishes to".to_string());
        }
        if r.consumes {
            parts.push("Consumes from".to_string());
        }
        let tech = r.protocols.iter().cloned().collect::<Vec<_>>().join(", ");
        let _ = writeln!(o, "        {from} -> {to} {} {}", q(&parts.join("; ")), q(&tech));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_cannot_end_their_quotes_or_substitute() {
        assert_eq!(q("\"><svg onload=alert(1)>"), "\"'><svg onload=alert(1)>\"");
        assert_eq!(q("a\\\nb ${X}"), "\"a/ b $ {X}\"");
    }

    #[test]
    fn a_report_without_services_is_a_valid_workspace_that_says_so() {
        let v = serde_json::json!({"root": "lib", "nodes": [], "edges": []});
        let w = workspace(&v);
        assert!(w.starts_with("// No services"));
        assert!(w.contains("systemContext system"));
        assert_eq!(w.matches('{').count(), w.matches('}').count());
    }
}
