//! The CI gate: a committed baseline of known violations, and a check that
//! fails only on what is new, so a team with old cycles can adopt tapestry
//! today and only get stricter.
//!
//! What "new" means:
//! - a cycle is new when it has a dependency edge that is part of no cycle
//!   in the baseline (edges are module paths, never line numbers, so moving
//!   code inside a file changes nothing); an old cycle growing by an edge or
//!   a member is new, one that merely shrinks is not; an edge whose every
//!   site carries `tapestry: allow-cycle <reason>` never makes a cycle new
//!   and is listed as suppressed;
//! - any other violation is new when its fingerprint (rule + paths) is not in
//!   the baseline; a threshold breach growing further is not new.
//!
//! Baseline entries that no longer occur are stale: reported, failing only
//! with `--fail-on-stale`, and dropped by `--update-baseline`, which never adds.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::analyze::cycles::Site;
use crate::analyze::levels::Level;
use crate::analyze::path;
use crate::analyze::rules::{is_cycle_rule, Violation};

/// Version of the baseline file format.
pub const BASELINE_VERSION: u32 = 1;
/// Default baseline file, at the scan root.
pub const BASELINE_FILE: &str = ".tapestry-baseline.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub fingerprint: String,
    pub nodes: Vec<String>,
    #[serde(default)]
    pub edges: Vec<[String; 2]>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub tapestry_baseline: u32,
    pub edge_classes: Vec<String>,
    pub violations: Vec<Entry>,
}

impl Baseline {
    pub fn empty(edge_classes: &[String]) -> Self {
        Baseline { tapestry_baseline: BASELINE_VERSION, edge_classes: edge_classes.to_vec(), violations: Vec::new() }
    }

    pub fn of(violations: &[Violation], edge_classes: &[String]) -> Self {
        let violations = violations
            .iter()
            .map(|v| Entry {
                rule: v.rule.to_string(),
                fingerprint: v.fingerprint.clone(),
                nodes: v.nodes.clone(),
                edges: v.edges.iter().map(|(a, b)| [a.clone(), b.clone()]).collect(),
            })
            .collect();
        Baseline { tapestry_baseline: BASELINE_VERSION, edge_classes: edge_classes.to_vec(), violations }
    }

    /// The file text: one violation per line, so a diff of it reads well in review.
    pub fn render(&self) -> String {
        let classes = serde_json::to_string(&self.edge_classes).expect("strings serialize");
        let mut s = format!(
            "{{\n  \"tapestry_baseline\": {},\n  \"edge_classes\": {classes},\n  \"violations\": [",
            self.tapestry_baseline
        );
        for (i, v) in self.violations.iter().enumerate() {
            s.push_str(if i == 0 { "\n    " } else { ",\n    " });
            s.push_str(&serde_json::to_string(v).expect("plain data serializes"));
        }
        s.push_str(if self.violations.is_empty() { "]\n}\n" } else { "\n  ]\n}\n" });
        s
    }

    /// Read a baseline; errors name the file and line.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
        Baseline::parse(&text).map_err(|(line, e)| match line {
            Some(line) => format!("{}:{line}: {e}", path.display()),
            None => format!("{}: {e}", path.display()),
        })
    }

    /// Parse the text of a baseline; an error has its line when one is to
    /// blame, and [`Baseline::load`] puts the file in front.
    pub fn parse(text: &str) -> Result<Baseline, (Option<usize>, String)> {
        let b: Baseline = serde_json::from_str(text).map_err(|e| {
            // At the end of a text ending in a newline serde counts one line more than there is.
            let line = e.line().clamp(1, text.lines().count().max(1));
            (Some(line), format!("not a tapestry baseline: {e}"))
        })?;
        if b.tapestry_baseline != BASELINE_VERSION {
            let (found, wanted) = (b.tapestry_baseline, BASELINE_VERSION);
            return Err((
                None,
                format!("baseline format {found} is not the {wanted} this tapestry reads: regenerate it with `tapestry baseline`"),
            ));
        }
        Ok(b)
    }
}

/// A violation the baseline does not know.
#[derive(Debug, Clone)]
pub struct New {
    pub violation: Violation,
    /// Cycles: the edges that make it new.
    pub new_edges: Vec<Site>,
    /// Cycles: one full cycle through the first new edge, with every step's site.
    pub example: Vec<Site>,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub new: Vec<New>,
    pub known: Vec<Violation>,
    pub stale: Vec<Entry>,
    /// Cycle edges whose every site carries `tapestry: allow-cycle`, with the reason.
    pub suppressed: Vec<Site>,
}

impl Outcome {
    /// The baseline `--update-baseline` writes: what still occurs and is not new.
    pub fn remaining(&self, edge_classes: &[String]) -> Baseline {
        Baseline::of(&self.known, edge_classes)
    }
}

/// Judge the current violations against a baseline. `modules` (counted edges)
/// gives the example cycle through each new edge.
pub fn compare(current: &[Violation], baseline: &Baseline, modules: &Level) -> Outcome {
    // Cycle edges are known per rule: a module path and a service name never meet.
    let known_edges: HashSet<(&str, &str, &str)> = baseline
        .violations
        .iter()
        .filter(|e| is_cycle_rule(&e.rule))
        .flat_map(|e| e.edges.iter().map(|[a, b]| (e.rule.as_str(), a.as_str(), b.as_str())))
        .collect();
    let known_prints: HashSet<&str> = baseline.violations.iter().map(|e| e.fingerprint.as_str()).collect();
    let mut out = Outcome::default();
    let mut suppressed = BTreeSet::new();
    for v in current {
        if !is_cycle_rule(v.rule) {
            if known_prints.contains(v.fingerprint.as_str()) {
                out.known.push(v.clone());
            } else {
                out.new.push(New { violation: v.clone(), new_edges: Vec::new(), example: Vec::new() });
            }
            continue;
        }
        let mut new_edges = Vec::new();
        for s in &v.sites {
            if s.allow_cycle.is_some() {
                suppressed.insert((s.from.clone(), s.to.clone(), s.file.clone(), s.line, s.allow_cycle.clone()));
            } else if !known_edges.contains(&(v.rule, s.from.as_str(), s.to.as_str())) {
                new_edges.push(s.clone());
            }
        }
        new_edges.retain(|e| on_unsuppressed_cycle(v, e));
        if new_edges.is_empty() {
            out.known.push(v.clone());
        } else {
            let example = example_cycle(modules, &new_edges[0]).unwrap_or_default();
            out.new.push(New { violation: v.clone(), new_edges, example });
        }
    }
    out.suppressed = suppressed
        .into_iter()
        .map(|(from, to, file, line, allow_cycle)| Site { from, to, file, line, sites: 1, allow_cycle })
        .collect();
    let current_edges: HashSet<(&str, &str, &str)> = current
        .iter()
        .filter(|v| is_cycle_rule(v.rule))
        .flat_map(|v| v.edges.iter().map(|(a, b)| (v.rule, a.as_str(), b.as_str())))
        .collect();
    let current_prints: HashSet<&str> = current.iter().map(|v| v.fingerprint.as_str()).collect();
    out.stale = baseline
        .violations
        .iter()
        .filter(|e| {
            if is_cycle_rule(&e.rule) {
                !e.edges.iter().any(|[a, b]| current_edges.contains(&(e.rule.as_str(), a.as_str(), b.as_str())))
            } else {
                !current_prints.contains(e.fingerprint.as_str())
            }
        })
        .cloned()
        .collect();
    out
}

/// Whether `edge` still closes a cycle when every suppressed edge of the
/// component is left out: a cycle that only exists through an
/// `allow-cycle` edge is never new.
fn on_unsuppressed_cycle(v: &Violation, edge: &Site) -> bool {
    let kept: Vec<&Site> = v.sites.iter().filter(|s| s.allow_cycle.is_none()).collect();
    // Breadth-first search from the edge's target back to its source over kept edges.
    let mut seen: HashSet<&str> = HashSet::from([edge.to.as_str()]);
    let mut queue = std::collections::VecDeque::from([edge.to.as_str()]);
    while let Some(x) = queue.pop_front() {
        if x == edge.from {
            return true;
        }
        for s in kept.iter().filter(|s| s.from == x) {
            if seen.insert(&s.to) {
                queue.push_back(&s.to);
            }
        }
    }
    false
}

/// The shortest cycle through `edge`: the edge, then the shortest way back.
fn example_cycle(modules: &Level, edge: &Site) -> Option<Vec<Site>> {
    let from = modules.index(&format!("module:{}", edge.from))?;
    let to = modules.index(&format!("module:{}", edge.to))?;
    let mut steps = vec![edge.clone()];
    let back = path::shortest(modules, to, from)?;
    steps.extend(back.into_iter().map(|mut s| {
        s.from = Level::bare(&s.from).to_string();
        s.to = Level::bare(&s.to).to_string();
        s
    }));
    Some(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_round_trips_one_violation_per_line() {
        let b = Baseline {
            tapestry_baseline: 1,
            edge_classes: vec!["static".into()],
            violations: vec![
                Entry {
                    rule: "cycle".into(),
                    fingerprint: "f1".into(),
                    nodes: vec!["a".into(), "b".into()],
                    edges: vec![["a".into(), "b".into()], ["b".into(), "a".into()]],
                },
                Entry { rule: "max-fan-out".into(), fingerprint: "f2".into(), nodes: vec!["c".into()], edges: vec![] },
            ],
        };
        let text = b.render();
        assert_eq!(text.lines().count(), 8, "{text}");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.json");
        std::fs::write(&p, &text).unwrap();
        assert_eq!(Baseline::load(&p).unwrap(), b);
        std::fs::write(&p, "{\n  \"tapestry_baseline\": 1,\n  \"bogus\": []\n}").unwrap();
        let e = Baseline::load(&p).unwrap_err();
        assert!(e.contains("b.json:3"), "{e}");
    }
}
