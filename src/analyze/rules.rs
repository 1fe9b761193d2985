//! Violations: what `tapestry check` and `tapestry baseline` judge.
//!
//! What it finds:
//! - `cycle`: every runtime module cycle (strongly connected component),
//!   unless all its members match one of `rules.allowed_cycles`' glob sets
//!   or it has no more members than `thresholds.max_cycle_size`;
//! - `forbidden`: a counted dependency from a module matching
//!   `rules.forbidden.from` to a module or package matching `to`;
//! - `layer`: a dependency from a layer to one above it (`rules.layers`,
//!   listed top to bottom; a layer may use itself and the layers below);
//! - `max-fan-out`: a module depending on more than `thresholds.max_fan_out` modules;
//! - `max-instability`: a directory others depend on whose instability is
//!   above `thresholds.max_instability`.
//!
//! Globs match module paths and, for modules, their directory too
//! (`src/ui` and `src/ui/**` both name the files under `src/ui/`); for
//! packages, their name. Every violation has a fingerprint made of rule and
//! paths, never line numbers, so moving code inside a file changes nothing.

use super::cycles::{Cycle, Site};
use super::levels::Level;
use super::Analysis;
use crate::config::{Config, Pattern};
use crate::graph::{ArchGraph, EdgeKind, Node};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub rule: &'static str,
    pub fingerprint: String,
    pub message: String,
    /// Paths (modules, directories) involved, sorted; bare, without kind prefix.
    pub nodes: Vec<String>,
    /// Dependency edges involved as bare (from, to), sorted; for cycles, every edge inside.
    pub edges: Vec<(String, String)>,
    /// The sites behind `edges`, same order.
    pub sites: Vec<Site>,
}

impl Violation {
    /// Where to point an annotation: the first site, if any.
    pub fn location(&self) -> Option<(&str, u32)> {
        self.sites.first().map(|s| (s.file.as_str(), s.line))
    }
}

/// A stable fingerprint: FNV-1a (64 bit) of the canonical text, in hex.
/// Small, dependency-free and stable across Rust versions, unlike `DefaultHasher`.
pub fn fingerprint(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

pub fn find(g: &ArchGraph, analysis: &Analysis, cfg: &Config) -> Vec<Violation> {
    let mut out = Vec::new();
    cycles(&analysis.cycles, cfg, &mut out);
    dependencies(g, cfg, &mut out);
    thresholds(analysis, cfg, &mut out);
    out.sort_by(|a, b| (a.rule, &a.nodes, &a.edges).cmp(&(b.rule, &b.nodes, &b.edges)));
    out
}

/// The gate rule of a runtime cycle at `level`, if cycles there are violations:
/// modules import each other (`cycle`), services call each other (`service-cycle`).
pub fn cycle_rule(level: &str) -> Option<&'static str> {
    match level {
        "module" => Some("cycle"),
        "service" => Some("service-cycle"),
        _ => None,
    }
}

/// Whether a violation is a cycle, judged by its edges (see `gate::compare`).
pub fn is_cycle_rule(rule: &str) -> bool {
    rule == "cycle" || rule == "service-cycle"
}

fn cycles(cycles: &[Cycle], cfg: &Config, out: &mut Vec<Violation>) {
    for (c, rule) in cycles.iter().filter(|c| c.kind == "runtime").filter_map(|c| Some((c, cycle_rule(c.level)?))) {
        let members: Vec<String> = c.nodes.iter().map(|n| Level::bare(n).to_string()).collect();
        if cfg.thresholds.max_cycle_size.is_some_and(|max| members.len() <= max) {
            continue;
        }
        if cfg.allowed_cycles.iter().any(|set| members.iter().all(|m| set.iter().any(|p| matches_module(p, m)))) {
            continue;
        }
        let path: Vec<&str> = c.path.iter().map(|n| Level::bare(n)).collect();
        let mut sites = c.edges.clone();
        for s in &mut sites {
            s.from = Level::bare(&s.from).to_string();
            s.to = Level::bare(&s.to).to_string();
        }
        let what = if rule == "cycle" { "circular dependency between" } else { "circular calls between" };
        out.push(Violation {
            rule,
            fingerprint: fingerprint(&format!("{rule}\n{}", members.join("\n"))),
            message: format!("{what} {} {}s: {}", members.len(), c.level, path.join(" → ")),
            edges: sites.iter().map(|s| (s.from.clone(), s.to.clone())).collect(),
            nodes: members,
            sites,
        });
    }
}

/// A glob matches a module by its path or its directory.
fn matches_module(p: &Pattern, path: &str) -> bool {
    p.matches(path) || path.rsplit_once('/').is_some_and(|(dir, _)| p.matches(dir))
}

fn dependencies(g: &ArchGraph, cfg: &Config, out: &mut Vec<Violation>) {
    if cfg.forbidden.is_empty() && cfg.layers.is_empty() {
        return;
    }
    let layer_of = |path: &str| cfg.layers.iter().position(|l| matches_module(l, path));
    for e in g.graph.edge_indices() {
        let edge = g.edge(e);
        if edge.kind != EdgeKind::Imports || !cfg.edge_classes.counts(edge.flags) {
            continue;
        }
        let (a, b) = g.graph.edge_endpoints(e).expect("edge of this graph");
        let Some(from) = g.node(a).module_path() else { continue };
        let (to, to_module) = match g.node(b) {
            Node::Module { path, .. } => (path.as_str(), true),
            Node::Package { name, .. } => (name.as_str(), false),
            _ => continue,
        };
        let site = Site {
            from: from.to_string(),
            to: to.to_string(),
            file: edge.file.clone().unwrap_or_default(),
            line: edge.line.unwrap_or(0),
            sites: edge.sites,
            allow_cycle: None,
        };
        for f in &cfg.forbidden {
            let to_matches = if to_module { matches_module(&f.to, to) } else { f.to.matches(to) };
            if matches_module(&f.from, from) && to_matches {
                let why = f
                    .message
                    .clone()
                    .unwrap_or_else(|| format!("`{}` must not depend on `{}`", f.from.text, f.to.text));
                out.push(edge_violation("forbidden", &format!("{}\n{}", f.from.text, f.to.text), why, site.clone()));
            }
        }
        if let (true, Some(la), Some(lb)) = (to_module, layer_of(from), layer_of(to)) {
            if lb < la {
                let why = format!(
                    "layer `{}` must not depend on the layer above it, `{}`",
                    cfg.layers[la].text, cfg.layers[lb].text
                );
                out.push(edge_violation("layer", "", why, site.clone()));
            }
        }
    }
}

fn edge_violation(rule: &'static str, key: &str, why: String, site: Site) -> Violation {
    Violation {
        rule,
        fingerprint: fingerprint(&format!("{rule}\n{key}\n{}\n{}", site.from, site.to)),
        message: format!("{} → {}: {why}", site.from, site.to),
        nodes: vec![site.from.clone(), site.to.clone()],
        edges: vec![(site.from.clone(), site.to.clone())],
        sites: vec![site],
    }
}

fn thresholds(a: &Analysis, cfg: &Config, out: &mut Vec<Violation>) {
    let t = &cfg.thresholds;
    for (lv, c) in a.levels.iter().zip(&a.coupling) {
        for (i, m) in c.nodes.iter().enumerate() {
            let node = Level::bare(&lv.ids[i]).to_string();
            if lv.name == "module" && t.max_fan_out.is_some_and(|max| m.ce as usize > max) {
                let max = t.max_fan_out.unwrap_or_default();
                out.push(node_violation("max-fan-out", node, format!("depends on {} modules (max {max})", m.ce)));
            } else if lv.name == "directory" && m.ca > 0 && t.max_instability.is_some_and(|max| m.instability > max) {
                let max = t.max_instability.unwrap_or_default();
                let why =
                    format!("instability {:.2} (max {max}) while {} directories depend on it", m.instability, m.ca);
                out.push(node_violation("max-instability", node, why));
            }
        }
    }
}

fn node_violation(rule: &'static str, node: String, why: String) -> Violation {
    Violation {
        rule,
        fingerprint: fingerprint(&format!("{rule}\n{node}")),
        message: format!("{node}: {why}"),
        nodes: vec![node],
        edges: Vec::new(),
        sites: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable() {
        // FNV-1a test vector: "a" → af63dc4c8601ec8c.
        assert_eq!(fingerprint("a"), "af63dc4c8601ec8c");
        assert_eq!(fingerprint(""), "cbf29ce484222325");
    }
}
