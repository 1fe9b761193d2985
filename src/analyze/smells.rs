//! Architecture smells, each with its evidence.
//!
//! What it finds (after Arcan's and Designite's catalogues):
//! - `cyclic_dependency`: a runtime cycle between modules or directories;
//! - `hub_like_dependency`: a node with both fan-in and fan-out at or above
//!   [`HUB_MIN_MODULE`] (modules) or [`HUB_MIN_DIRECTORY`] (directories):
//!   everything passes through it, so it changes for every reason;
//! - `unstable_dependency`: a directory depending on directories less stable
//!   than itself (the Stable Dependencies Principle, R. C. Martin: depend in
//!   the direction of stability), by more than [`SDP_TOLERANCE`];
//! - `god_module`: a module whose fan-out or size is far above the rest: over
//!   the upper outer fence Q3 + 3·IQR of the level and over an absolute floor
//!   ([`GOD_MIN_FAN_OUT`], [`GOD_MIN_LINES`]), so small projects raise none;
//!   test and generated files are not judged.
//!
//! - `shared_table` (level `service`): a table written by modules of more
//!   than one service (counted `writes` edges only, so a test fixture
//!   writing a table does not count): the services share a schema and can
//!   no longer change it or deploy alone; evidence: each writing module's
//!   first write site with its service.
//!
//! Service call cycles are `cyclic_dependency` smells at level `service`
//! (the service level is checked for hubs too, with the directory threshold).
//! A `package` level (workspace packages, crates, Python top-level packages)
//! is not analysed: the graph does not say which package owns a module, and
//! guessing it from the first path segment would be wrong for `src/` layouts
//! and nested workspaces; the directory and service levels cover the ground.
//! Example: `src/core/registry.ts` with Ca 34 and Ce 22 is hub-like.

use std::collections::BTreeMap;

use super::coupling::Coupling;
use super::cycles::Cycle;
use super::levels::Level;
use crate::graph::{ArchGraph, EdgeKind, Node};
use crate::model::Flags;

pub const HUB_MIN_MODULE: u32 = 10;
pub const HUB_MIN_DIRECTORY: u32 = 6;
pub const SDP_TOLERANCE: f64 = 0.1;
pub const GOD_MIN_FAN_OUT: f64 = 20.0;
pub const GOD_MIN_LINES: f64 = 1500.0;
/// Most offending dependencies listed as evidence of one unstable dependency.
const MAX_EVIDENCE: usize = 10;

#[derive(Debug, Clone, PartialEq)]
pub struct Smell {
    pub kind: &'static str,
    pub level: &'static str,
    /// The node(s) that smell, sorted.
    pub nodes: Vec<String>,
    pub message: String,
    /// Related nodes: the neighbours or dependencies that make the case.
    pub evidence: Vec<String>,
}

pub fn find(lv: &Level, coupling: &Coupling, cycles: &[Cycle]) -> Vec<Smell> {
    let mut out = Vec::new();
    for c in cycles.iter().filter(|c| c.level == lv.name && c.kind == "runtime") {
        let path: Vec<&str> = c.path.iter().map(|s| Level::bare(s)).collect();
        out.push(Smell {
            kind: "cyclic_dependency",
            level: lv.name,
            nodes: c.nodes.clone(),
            message: format!("{} {} depend on each other, e.g. {}", c.nodes.len(), plural(lv.name), path.join(" → ")),
            evidence: c
                .breakers
                .iter()
                .map(|b| format!("cut {} → {} at {}:{}", Level::bare(&b.from), Level::bare(&b.to), b.file, b.line))
                .collect(),
        });
    }
    hubs(lv, coupling, &mut out);
    if lv.name == "directory" {
        unstable(lv, coupling, &mut out);
    }
    if lv.name == "module" {
        gods(lv, coupling, &mut out);
    }
    out
}

/// `shared_table` smells: tables written by more than one service, sorted by table id.
pub fn shared_tables(g: &ArchGraph, keep: &dyn Fn(Flags) -> bool) -> Vec<Smell> {
    // table id → service id → writing sites `file:line`, all sorted.
    let mut writers: BTreeMap<String, BTreeMap<String, Vec<(String, u32)>>> = BTreeMap::new();
    for e in g.graph.edge_indices() {
        let edge = g.edge(e);
        if edge.kind != EdgeKind::Writes || !keep(edge.flags) {
            continue;
        }
        let (a, b) = g.graph.edge_endpoints(e).expect("edge of this graph");
        let (Node::Module { path, service: Some(service), .. }, table @ Node::Table { .. }) = (g.node(a), g.node(b))
        else {
            continue;
        };
        let site = (edge.file.clone().unwrap_or_else(|| path.clone()), edge.line.unwrap_or(0));
        writers.entry(table.id()).or_default().entry(service.clone()).or_default().push(site);
    }
    writers
        .into_iter()
        .filter(|(_, by)| by.len() > 1)
        .map(|(table, by)| {
            let names: Vec<&str> = by.keys().map(|s| Level::bare(s)).collect();
            let mut evidence = Vec::new();
            for (service, mut sites) in by.iter().map(|(s, v)| (s, v.clone())) {
                sites.sort();
                evidence.extend(sites.into_iter().map(|(f, l)| format!("{f}:{l} ({service})")));
            }
            Smell {
                kind: "shared_table",
                level: "service",
                message: format!("written by {} services: {}", names.len(), names.join(", ")),
                nodes: vec![table],
                evidence,
            }
        })
        .collect()
}

fn hubs(lv: &Level, c: &Coupling, out: &mut Vec<Smell>) {
    let min = if lv.name == "module" { HUB_MIN_MODULE } else { HUB_MIN_DIRECTORY };
    for (i, m) in c.nodes.iter().enumerate() {
        if m.ca >= min && m.ce >= min {
            out.push(Smell {
                kind: "hub_like_dependency",
                level: lv.name,
                nodes: vec![lv.ids[i].clone()],
                message: format!("fan-in {} and fan-out {} (both ≥ {min})", m.ca, m.ce),
                evidence: Vec::new(),
            });
        }
    }
}

fn unstable(lv: &Level, c: &Coupling, out: &mut Vec<Smell>) {
    let mut worse: Vec<Vec<usize>> = vec![Vec::new(); lv.ids.len()];
    for &(a, b) in lv.edges.keys() {
        if c.nodes[b].instability > c.nodes[a].instability + SDP_TOLERANCE {
            worse[a].push(b);
        }
    }
    for (a, deps) in worse.iter().enumerate().filter(|(_, d)| !d.is_empty()) {
        let ia = c.nodes[a].instability;
        out.push(Smell {
            kind: "unstable_dependency",
            level: lv.name,
            nodes: vec![lv.ids[a].clone()],
            message: format!("instability {ia:.2} depends on {} less stable {}", deps.len(), plural(lv.name)),
            evidence: deps
                .iter()
                .take(MAX_EVIDENCE)
                .map(|&b| format!("{} (instability {:.2})", lv.ids[b], c.nodes[b].instability))
                .collect(),
        });
    }
}

fn gods(lv: &Level, c: &Coupling, out: &mut Vec<Smell>) {
    let fan_out: Vec<f64> = c.nodes.iter().map(|m| f64::from(m.ce)).collect();
    let lines: Vec<f64> = lv.lines.iter().map(|&l| l as f64).collect();
    let fence_out = upper_fence(&fan_out).max(GOD_MIN_FAN_OUT);
    let fence_lines = upper_fence(&lines).max(GOD_MIN_LINES);
    for i in (0..lv.ids.len()).filter(|&i| !lv.exempt[i]) {
        let mut why = Vec::new();
        if fan_out[i] > fence_out {
            why.push(format!("fan-out {} (> {fence_out:.0})", fan_out[i]));
        }
        if lines[i] > fence_lines {
            why.push(format!("{} lines (> {fence_lines:.0})", lines[i]));
        }
        if !why.is_empty() {
            out.push(Smell {
                kind: "god_module",
                level: lv.name,
                nodes: vec![lv.ids[i].clone()],
                message: why.join(", "),
                evidence: Vec::new(),
            });
        }
    }
}

fn plural(level: &str) -> &'static str {
    match level {
        "module" => "modules",
        "directory" => "directories",
        _ => "services",
    }
}

/// Q3 + 3·IQR (Tukey's far-out fence), by nearest-rank quartiles.
fn upper_fence(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::INFINITY;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let q = |p: f64| v[((p * (v.len() - 1) as f64).round() as usize).min(v.len() - 1)];
    let (q1, q3) = (q(0.25), q(0.75));
    q3 + 3.0 * (q3 - q1)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::analyze::coupling;
    use crate::analyze::levels::LevelEdge;
    use std::collections::BTreeMap;

    fn level(name: &'static str, n: usize, edges: &[(usize, usize)], lines: Vec<u64>) -> Level {
        let ids = (0..n).map(|i| format!("{name}:n{i:02}")).collect();
        let e = LevelEdge { flags: Default::default(), file: "f".into(), line: 1, sites: 1, allow_cycle: None };
        let edges: BTreeMap<_, _> = edges.iter().map(|&k| (k, e.clone())).collect();
        let exempt = vec![false; lines.len()];
        Level { name, ids, lines, exempt, edges }
    }

    #[test]
    fn hub_needs_both_fan_in_and_fan_out() {
        // Node 0: ten dependents (1..=10) and ten dependencies (11..=20); node 21 only fan-in.
        let mut edges: Vec<(usize, usize)> = (1..=10).map(|i| (i, 0)).chain((11..=20).map(|i| (0, i))).collect();
        edges.extend((1..=10).map(|i| (i, 21)));
        let lv = level("module", 22, &edges, vec![10; 22]);
        let found = find(&lv, &coupling::compute(&lv), &[]);
        let hubs: Vec<_> =
            found.iter().filter(|s| s.kind == "hub_like_dependency").map(|s| s.nodes[0].as_str()).collect();
        assert_eq!(hubs, vec!["module:n00"]);
    }

    #[test]
    fn unstable_dependency_points_at_the_less_stable_side() {
        // d0 ← d1 ← d2 and d0 → d3 → d4: I(d0) = 1/3 and it depends on d3 with I = 1/2.
        let lv = level("directory", 5, &[(1, 0), (2, 1), (0, 3), (3, 4), (2, 0)], vec![1; 5]);
        let c = coupling::compute(&lv);
        let found = find(&lv, &c, &[]);
        let ud: Vec<_> = found.iter().filter(|s| s.kind == "unstable_dependency").collect();
        assert_eq!(ud.len(), 1);
        assert_eq!(ud[0].nodes, vec!["directory:n00".to_string()]);
        assert_eq!(ud[0].evidence, vec!["directory:n03 (instability 0.50)".to_string()]);
    }

    #[test]
    fn god_module_by_size_needs_the_absolute_floor() {
        let mut lines = vec![100; 20];
        lines[7] = 5_000;
        let lv = level("module", 20, &[], lines);
        let found = find(&lv, &coupling::compute(&lv), &[]);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].kind, found[0].nodes[0].as_str()), ("god_module", "module:n07"));
        let lv = level("module", 20, &[], (0..20).map(|i| 100 + i * 10).collect());
        assert!(find(&lv, &coupling::compute(&lv), &[]).is_empty());
    }

    #[test]
    fn fence_is_q3_plus_three_iqr() {
        let v: Vec<f64> = (1..=9).map(f64::from).collect(); // q1 = 3, q3 = 7
        assert_eq!(upper_fence(&v), 19.0);
    }
}
