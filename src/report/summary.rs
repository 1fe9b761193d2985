//! The default output: a readable summary for a terminal. Nothing in it
//! varies between runs (timings go to stderr), so it can be diffed.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{NodeOut, Report};

/// Diagnostics listed in full; the rest are counted.
const MAX_DIAGNOSTICS_SHOWN: usize = 20;
/// Packages named per ecosystem before "…".
const MAX_PACKAGES_SHOWN: usize = 12;

pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let s = &r.stats;
    let _ = writeln!(o, "tapestry {} — {}", r.tool.version, r.root);
    let total: u64 = s.files.values().sum();
    let per_lang: Vec<String> = s.files.iter().filter(|(_, n)| **n > 0).map(|(l, n)| format!("{l} {n}")).collect();
    let _ =
        writeln!(o, "files        {total} ({})", if per_lang.is_empty() { "none".into() } else { per_lang.join(", ") });
    if s.files_skipped > 0 || s.parse_errors > 0 || s.generated_files > 0 {
        let _ = writeln!(
            o,
            "             {} skipped, {} with syntax errors, {} generated",
            s.files_skipped, s.parse_errors, s.generated_files
        );
    }
    let _ = writeln!(o, "modules      {}", s.modules);
    let edges: Vec<String> = s.edges.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let _ = writeln!(o, "edges        {}", if edges.is_empty() { "0".into() } else { edges.join(", ") });
    let _ =
        writeln!(o, "imports      {} unresolved, {} of non-source files", s.unresolved_imports, s.non_source_imports);
    packages(&mut o, r);
    services(&mut o, r);
    cycles(&mut o, r);
    diagnostics(&mut o, r);
    o
}

fn packages(o: &mut String, r: &Report) {
    let mut by_eco: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for n in &r.nodes {
        if let NodeOut::Package(p) = n {
            by_eco.entry(p.ecosystem).or_default().push(&p.name);
        }
    }
    let _ = writeln!(o, "packages     {}", r.stats.packages);
    for (eco, names) in by_eco {
        let shown: Vec<&str> = names.iter().take(MAX_PACKAGES_SHOWN).copied().collect();
        let more = if names.len() > MAX_PACKAGES_SHOWN {
            format!(", … {} more", names.len() - MAX_PACKAGES_SHOWN)
        } else {
            String::new()
        };
        let _ = writeln!(o, "  {eco:<14} {:>4}  {}{more}", names.len(), shown.join(", "));
    }
}

/// Each service: where its code is, what it exposes, the tables and queues its
/// modules touch, and what it calls (other services with the endpoints behind
/// the edge, external hosts, infrastructure named by its deployment).
fn services(o: &mut String, r: &Report) {
    let mut module_service: BTreeMap<&str, &str> = BTreeMap::new();
    let mut endpoints: BTreeMap<&str, usize> = BTreeMap::new();
    let mut list = Vec::new();
    for n in &r.nodes {
        match n {
            NodeOut::Module(m) => {
                if let Some(s) = &m.service {
                    module_service.insert(&m.id, s);
                }
            }
            NodeOut::Endpoint(e) => *endpoints.entry(&e.service).or_default() += 1,
            NodeOut::Service(s) => list.push(s),
            _ => {}
        }
    }
    if list.is_empty() {
        return;
    }
    let infra = list.iter().filter(|s| s.infra).count();
    let _ = writeln!(o, "\nservices     {} ({} with code, {infra} infrastructure)", list.len(), list.len() - infra);
    let mut tables: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut queues: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut calls: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for e in &r.edges {
        let owner = if e.from.starts_with("service:") {
            Some(e.from.as_str())
        } else {
            module_service.get(e.from.as_str()).copied()
        };
        let Some(owner) = owner else { continue };
        let target = strip_kind(&e.to).to_string();
        match e.kind {
            "reads" | "writes" => tables.entry(owner).or_default().push(target),
            "contains" if e.to.starts_with("table:") => tables.entry(owner).or_default().push(target),
            "publishes" => queues.entry(owner).or_default().push(format!("→ {}", strip_kind(&target))),
            "consumes" => queues.entry(owner).or_default().push(format!("← {}", strip_kind(&target))),
            "calls" if e.from.starts_with("service:") => {
                let what = match &e.endpoints {
                    Some(eps) if !eps.is_empty() => format!("{target} ({} endpoints)", eps.len()),
                    _ if e.flags.contains(&"declared") => format!("{target} (declared)"),
                    _ => target,
                };
                calls.entry(owner).or_default().push(what);
            }
            _ => {}
        }
    }
    let join = |v: Option<&Vec<String>>| {
        let mut v = v.cloned().unwrap_or_default();
        v.sort();
        v.dedup();
        if v.is_empty() {
            "-".to_string()
        } else {
            v.join(", ")
        }
    };
    for s in list {
        if s.infra {
            let _ = writeln!(o, "  {:<20} infrastructure ({})", s.name, s.image.as_deref().unwrap_or("no image"));
            continue;
        }
        let _ = writeln!(
            o,
            "  {:<20} {} — {} endpoints; tables: {}; queues: {}; calls: {}",
            s.name,
            s.dirs.join(", "),
            endpoints.get(s.id.as_str()).copied().unwrap_or(0),
            join(tables.get(s.id.as_str())),
            join(queues.get(s.id.as_str())),
            join(calls.get(s.id.as_str())),
        );
    }
}

fn cycles(o: &mut String, r: &Report) {
    let cs = &r.analysis.cycles;
    let count = |level: &str, kind: &str| cs.iter().filter(|c| c.level == level && c.kind == kind).count();
    let _ = writeln!(
        o,
        "\ncycles       {} (module: {} runtime, {} type-only; directory: {} runtime, {} type-only; service: {})",
        cs.len(),
        count("module", "runtime"),
        count("module", "type_only"),
        count("directory", "runtime"),
        count("directory", "type_only"),
        count("service", "runtime") + count("service", "type_only")
    );
    for c in cs {
        let short: Vec<&str> = c.path.iter().map(|id| strip_kind(id)).collect();
        let _ = writeln!(
            o,
            "  [{} {}] {} members: {}",
            c.level,
            c.kind.replace('_', "-"),
            c.nodes.len(),
            short.join(" → ")
        );
        for s in &c.path_sites {
            let _ = writeln!(o, "      {}:{}  {} → {}", s.file, s.line, strip_kind(&s.from), strip_kind(&s.to));
        }
    }
}

fn diagnostics(o: &mut String, r: &Report) {
    let _ = writeln!(o, "\ndiagnostics  {}", r.diagnostics.len());
    for d in r.diagnostics.iter().take(MAX_DIAGNOSTICS_SHOWN) {
        let at = d.line.map_or(d.file.clone(), |l| format!("{}:{l}", d.file));
        let sev = format!("{:?}", d.severity).to_lowercase();
        let _ = writeln!(o, "  {sev:<7} {at}: {}", d.message);
    }
    if r.diagnostics.len() > MAX_DIAGNOSTICS_SHOWN {
        let _ =
            writeln!(o, "  … {} more in the JSON report (--format json)", r.diagnostics.len() - MAX_DIAGNOSTICS_SHOWN);
    }
}

/// `module:src/a.ts` → `src/a.ts`; `directory:src` → `src/`.
fn strip_kind(id: &str) -> &str {
    id.split_once(':').map_or(id, |(_, rest)| rest)
}
