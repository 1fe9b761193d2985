//! The default output: a readable summary for a terminal. Nothing in it
//! varies between runs (timings go to stderr), so it can be diffed.
//!
//! Paths and messages come from the scanned repository, so control
//! characters in them (a newline or an ANSI escape in a file name) are
//! printed escaped: one item stays on one line and cannot drive the terminal.

use std::borrow::Cow;
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
    let _ = writeln!(o, "tapestry {} — {}", r.tool.version, clean(&r.root));
    let total: u64 = s.files.values().sum();
    let per_lang: Vec<String> = s.files.iter().filter(|(_, n)| **n > 0).map(|(l, n)| format!("{l} {n}")).collect();
    let _ =
        writeln!(o, "files        {total} ({})", if per_lang.is_empty() { "none".into() } else { per_lang.join(", ") });
    if total == 0 {
        let exts: Vec<String> = crate::lang::EXTENSIONS.iter().map(|(e, _)| format!(".{e}")).collect();
        let _ = writeln!(o, "             no source files found: tapestry reads {}", exts.join(" "));
        let _ =
            writeln!(o, "             (hidden, git-ignored and dependency directories are skipped: --include-ignored)");
    }
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
    critical_paths(&mut o, r);
    latency_paths(&mut o, r);
    coupling(&mut o, r);
    smells(&mut o, r);
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
        let shown: Vec<Cow<str>> = names.iter().take(MAX_PACKAGES_SHOWN).map(|n| clean(n)).collect();
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
                    // `inferred`: every call behind it was linked by its path alone (host unknown).
                    Some(eps) if !eps.is_empty() && e.flags.contains(&"inferred") => {
                        format!("{target} ({} endpoints, inferred)", eps.len())
                    }
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
        // Ports, when the deployment files or the Dockerfile give any.
        let ports = if s.ports.is_empty() { String::new() } else { format!("; ports: {}", s.ports.join(", ")) };
        if s.infra {
            let image = s.image.as_deref().unwrap_or("no image");
            let _ = writeln!(o, "  {:<20} infrastructure ({image}){ports}", s.name);
            continue;
        }
        let _ = writeln!(
            o,
            "  {:<20} {} — {} endpoints; tables: {}; queues: {}; calls: {}{ports}",
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
        let short: Vec<Cow<str>> = c.path.iter().map(|id| clean(strip_kind(id))).collect();
        let _ = writeln!(
            o,
            "  [{} {}] {} members: {}",
            c.level,
            c.kind.replace('_', "-"),
            c.nodes.len(),
            short.join(" → ")
        );
        for s in &c.path_sites {
            let (file, from, to) = (clean(&s.file), clean(strip_kind(&s.from)), clean(strip_kind(&s.to)));
            let _ = writeln!(o, "      {file}:{}  {from} → {to}", s.line);
        }
        for b in c.breakers.iter().take(MAX_BREAKERS_SHOWN) {
            let _ = writeln!(
                o,
                "      suggested cut: {} → {} at {}:{}",
                clean(strip_kind(&b.from)),
                clean(strip_kind(&b.to)),
                clean(&b.file),
                b.line
            );
        }
        if let Some(more) = c.breakers.len().checked_sub(MAX_BREAKERS_SHOWN).filter(|n| *n > 0) {
            let _ = writeln!(o, "      … {more} more suggested cuts (all in the JSON report)");
        }
    }
}

/// Suggested cuts listed per cycle; a 500-module tangle needs dozens, the JSON has them all.
const MAX_BREAKERS_SHOWN: usize = 5;
/// Members named in a collapsed cycle step of a critical path.
const MAX_STEP_MEMBERS_SHOWN: usize = 3;

/// One step of a critical path: a node, or a collapsed cycle `{a, b, c, … 496 more}`.
fn path_step(step: &[String]) -> String {
    match step {
        [one] => clean(strip_kind(one)).into_owned(),
        many => {
            let shown: Vec<Cow<str>> = many.iter().take(MAX_STEP_MEMBERS_SHOWN).map(|m| clean(strip_kind(m))).collect();
            let more = many.len().saturating_sub(MAX_STEP_MEMBERS_SHOWN);
            let tail = if more > 0 { format!(", … {more} more") } else { String::new() };
            format!("{{{}{tail}}}", shown.join(", "))
        }
    }
}

/// Critical paths shown per level.
const MAX_PATHS_SHOWN: usize = 3;
/// Rows of each coupling list.
const MAX_COUPLING_SHOWN: usize = 5;
/// Smells listed in full.
const MAX_SMELLS_SHOWN: usize = 15;

fn critical_paths(o: &mut String, r: &Report) {
    for cp in &r.analysis.critical_paths {
        let Some(first) = cp.paths.first() else { continue };
        let _ = writeln!(o, "\ncritical paths ({} level, longest {} edges)", cp.level, first.length);
        for p in cp.paths.iter().take(MAX_PATHS_SHOWN) {
            let _ = writeln!(o, "  {:>3}  {}", p.length, steps(&p.steps));
        }
    }
}

fn latency_paths(o: &mut String, r: &Report) {
    let Some(first) = r.analysis.latency_paths.first() else { return };
    let _ = writeln!(o, "\nlatency paths (synchronous calls between services, longest {} hops)", first.length);
    for p in r.analysis.latency_paths.iter().take(MAX_PATHS_SHOWN) {
        let _ = writeln!(o, "  {:>3}  {}", p.length, steps(&p.steps));
    }
}

/// Path steps joined by arrows; a collapsed cycle is `{a, b}`.
fn steps(steps: &[Vec<String>]) -> String {
    let shown: Vec<String> = steps.iter().map(|s| path_step(s)).collect();
    shown.join(" → ")
}

/// Service → service calls, widest first (most call sites, then ids).
fn service_pairs(o: &mut String, r: &Report) {
    let Some(pairs) = r.analysis.coupling.iter().find_map(|c| c.pairs.as_ref()) else { return };
    let mut rows: Vec<_> = pairs.iter().collect();
    rows.sort_by(|a, b| b.calls.cmp(&a.calls).then_with(|| (&a.from, &a.to).cmp(&(&b.from, &b.to))));
    let _ = writeln!(o, "  service calls (call sites / calling modules / endpoints):");
    for p in rows.iter().take(MAX_COUPLING_SHOWN) {
        let (a, b) = (strip_kind(&p.from), strip_kind(&p.to));
        let what = if p.calls == 0 {
            "declared only".to_string()
        } else {
            format!("{} / {} / {}", p.calls, p.modules, p.endpoints)
        };
        let _ = writeln!(o, "    {a} → {b}: {what}");
    }
    if rows.len() > MAX_COUPLING_SHOWN {
        let _ = writeln!(o, "    … {} more in the JSON report", rows.len() - MAX_COUPLING_SHOWN);
    }
}

fn coupling(o: &mut String, r: &Report) {
    let costs: Vec<String> = r
        .analysis
        .coupling
        .iter()
        .map(|c| match c.propagation_cost {
            Some(p) => format!("{} {:.1}%", c.level, p * 100.0),
            None => format!("{} not computed", c.level),
        })
        .collect();
    let _ = writeln!(o, "\ncoupling     propagation cost: {}", costs.join(", "));
    let Some(modules) = r.analysis.coupling.iter().find(|c| c.level == "module") else { return };
    let mut by_ca: Vec<_> = modules.nodes.iter().filter(|n| n.ca > 0).collect();
    by_ca.sort_by(|a, b| b.ca.cmp(&a.ca).then_with(|| a.id.cmp(&b.id)));
    if !by_ca.is_empty() {
        let top: Vec<String> =
            by_ca.iter().take(MAX_COUPLING_SHOWN).map(|n| format!("{} ({})", strip_kind(&n.id), n.ca)).collect();
        let _ = writeln!(o, "  most depended on (fan-in): {}", top.join(", "));
    }
    let mut by_ce: Vec<_> = modules.nodes.iter().filter(|n| n.ce > 0).collect();
    by_ce.sort_by(|a, b| b.ce.cmp(&a.ce).then_with(|| a.id.cmp(&b.id)));
    if !by_ce.is_empty() {
        let top: Vec<String> =
            by_ce.iter().take(MAX_COUPLING_SHOWN).map(|n| format!("{} ({})", strip_kind(&n.id), n.ce)).collect();
        let _ = writeln!(o, "  most dependent (fan-out):  {}", top.join(", "));
    }
    service_pairs(o, r);
}

fn smells(o: &mut String, r: &Report) {
    let s = &r.analysis.smells;
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for x in s {
        *kinds.entry(x.kind).or_default() += 1;
    }
    let counts: Vec<String> = kinds.iter().map(|(k, n)| format!("{} {n}", k.replace('_', " "))).collect();
    let _ = writeln!(
        o,
        "\nsmells       {}{}",
        s.len(),
        if counts.is_empty() { String::new() } else { format!(" ({})", counts.join(", ")) }
    );
    for x in s.iter().filter(|x| x.kind != "cyclic_dependency").take(MAX_SMELLS_SHOWN) {
        let nodes: Vec<&str> = x.nodes.iter().map(|n| strip_kind(n)).collect();
        let _ = writeln!(o, "  [{} {}] {}: {}", x.kind.replace('_', " "), x.level, nodes.join(", "), x.message);
        if x.kind == "shared_table" {
            x.evidence.iter().for_each(|e| _ = writeln!(o, "      written at {}", clean(e)));
        }
    }
}

fn diagnostics(o: &mut String, r: &Report) {
    let _ = writeln!(o, "\ndiagnostics  {}", r.diagnostics.len());
    for d in r.diagnostics.iter().take(MAX_DIAGNOSTICS_SHOWN) {
        let file = clean(&d.file);
        let at = d.line.map_or(file.to_string(), |l| format!("{file}:{l}"));
        let sev = format!("{:?}", d.severity).to_lowercase();
        let _ = writeln!(o, "  {sev:<7} {at}: {}", clean(&d.message));
    }
    if r.diagnostics.len() > MAX_DIAGNOSTICS_SHOWN {
        let _ =
            writeln!(o, "  … {} more in the JSON report (--format json)", r.diagnostics.len() - MAX_DIAGNOSTICS_SHOWN);
    }
}

/// Control characters escaped (`\n`, `\t`, `\u{1b}`); everything else as is.
fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect())
}

/// `module:src/a.ts` → `src/a.ts`; `directory:src` → `src/`.
fn strip_kind(id: &str) -> &str {
    id.split_once(':').map_or(id, |(_, rest)| rest)
}
