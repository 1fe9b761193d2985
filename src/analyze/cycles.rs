//! Cyclic dependencies, reported at three depths as the best tools do.
//!
//! What it finds, for each level (modules, directories):
//! 1. every strongly connected component of two or more members (Kosaraju's
//!    algorithm: petgraph's `tarjan_scc` recurses and a 100,000-module import
//!    chain overflowed the stack) with every dependency edge inside it;
//! 2. a bounded set of its elementary cycles, shortest first: for each edge
//!    `u → v` of the component, the shortest path back `v → … → u` closes the
//!    shortest cycle through that edge (breadth-first search); distinct
//!    cycles are kept, sorted by length then ids, at most [`MAX_ELEMENTARY`],
//!    so a 500-module tangle cannot explode (Johnson's algorithm would
//!    enumerate exponentially many);
//! 3. suggested cycle breakers: a small set of edges whose removal makes the
//!    component acyclic — an approximate minimum feedback arc set by the
//!    greedy heuristic of Eades, Lin and Smyth ("A fast and effective
//!    heuristic for the feedback arc set problem", IPL 47, 1993), weighted by
//!    import sites so that the cheapest imports to remove are preferred.
//!
//! Why it matters: a cycle couples all its members; none can be built,
//! tested or deployed alone. Example: `a.ts → b.ts → a.ts`, break by removing
//! the import at `b.ts:3`.
//!
//! `runtime` components use only the counted edge classes (by default: not
//! `type_only`, not `test`). A component that appears only when type-only
//! imports are counted too is reported separately with kind `type_only`: it
//! vanishes at run time, but it still couples compilation.

use std::collections::BTreeSet;

use petgraph::algo::kosaraju_scc;
use petgraph::graph::DiGraph;

use super::levels::{Level, LevelEdge};

/// Elementary cycles listed per component, at most.
pub const MAX_ELEMENTARY: usize = 10;
/// Edges of a component searched for elementary cycles, at most (each costs
/// one breadth-first search); beyond it the list is the shortest found among them.
const MAX_ELEMENTARY_SEARCHES: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub from: String,
    pub to: String,
    pub file: String,
    pub line: u32,
    pub sites: u32,
    pub allow_cycle: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    pub level: &'static str,
    pub kind: &'static str,
    /// Member ids, sorted.
    pub nodes: Vec<String>,
    /// Every dependency edge inside the component, with its first site; sorted.
    pub edges: Vec<Site>,
    /// One shortest cycle, first id repeated at the end.
    pub path: Vec<String>,
    /// Elementary cycles, shortest first, each with its first id repeated at the end.
    pub elementary: Vec<Vec<String>>,
    /// Suggested edges to remove to make the component acyclic.
    pub breakers: Vec<Site>,
}

impl Cycle {
    /// The site of each step of `path`. `edges` is sorted by (from, to), so
    /// each step is a binary search (a linear scan made a 100,000-member cycle
    /// quadratic: minutes).
    pub fn path_sites(&self) -> Vec<&Site> {
        self.path.windows(2).filter_map(|w| self.edge(&w[0], &w[1])).collect()
    }
    /// The edge `from → to` of the component (edges are sorted: binary search,
    /// so a 100,000-member cycle stays linear).
    pub fn edge(&self, from: &str, to: &str) -> Option<&Site> {
        let key = (from, to);
        let i = self.edges.binary_search_by(|e| (e.from.as_str(), e.to.as_str()).cmp(&key)).ok()?;
        Some(&self.edges[i])
    }
}

/// Components of `counted` (kind `runtime`) and those that exist only in
/// `with_types` (kind `type_only`), when given.
pub fn find(counted: &Level, with_types: Option<&Level>) -> Vec<Cycle> {
    let runtime = sccs(counted);
    let inside = edges_by_component(counted, &runtime);
    let mut out: Vec<Cycle> = runtime.iter().zip(&inside).map(|(c, e)| cycle("runtime", counted, c, e)).collect();
    if let Some(wt) = with_types {
        let known: BTreeSet<&Vec<usize>> = runtime.iter().collect();
        let typed = sccs(wt);
        let inside = edges_by_component(wt, &typed);
        out.extend(
            typed.iter().zip(&inside).filter(|(c, _)| !known.contains(c)).map(|(c, e)| cycle("type_only", wt, c, e)),
        );
    }
    out
}

/// The edges inside each component, in one pass over the level's edges
/// (sorted, as the level keeps them). Filtering every edge of the level once
/// per component was O(components × edges): 2,500 components and 700,000
/// edges made a warm 100k-file re-scan spend most of its time here.
fn edges_by_component(lv: &Level, comps: &[Vec<usize>]) -> Vec<Vec<(usize, usize)>> {
    let mut comp_of = vec![usize::MAX; lv.ids.len()];
    for (k, members) in comps.iter().enumerate() {
        members.iter().for_each(|&m| comp_of[m] = k);
    }
    let mut inside = vec![Vec::new(); comps.len()];
    for &(a, b) in lv.edges.keys() {
        if comp_of[a] != usize::MAX && comp_of[a] == comp_of[b] {
            inside[comp_of[a]].push((a, b));
        }
    }
    inside
}

/// Components with two or more members, each sorted, in order of their first member.
pub fn sccs(lv: &Level) -> Vec<Vec<usize>> {
    let mut g = DiGraph::<(), ()>::with_capacity(lv.ids.len(), lv.edges.len());
    let idx: Vec<_> = (0..lv.ids.len()).map(|_| g.add_node(())).collect();
    for &(a, b) in lv.edges.keys() {
        g.add_edge(idx[a], idx[b], ());
    }
    // Kosaraju, not Tarjan: petgraph's Tarjan recurses once per node of a
    // path, so a chain of 100,000 imports overflowed the main thread's stack;
    // Kosaraju walks with explicit stacks. Components are sorted below, so
    // the order either returns them in does not matter.
    let mut comps: Vec<Vec<usize>> = kosaraju_scc(&g)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let mut v: Vec<usize> = c.into_iter().map(|n| n.index()).collect();
            v.sort_unstable();
            v
        })
        .collect();
    comps.sort();
    comps
}

fn site(lv: &Level, (a, b): (usize, usize), e: &LevelEdge) -> Site {
    Site {
        from: lv.ids[a].clone(),
        to: lv.ids[b].clone(),
        file: e.file.clone(),
        line: e.line,
        sites: e.sites,
        allow_cycle: e.allow_cycle.clone(),
    }
}

/// One component (`members` sorted) with `inside`, its edges, sorted.
fn cycle(kind: &'static str, lv: &Level, members: &[usize], inside: &[(usize, usize)]) -> Cycle {
    let local = Local::new(members, inside);
    let ids = |c: Vec<usize>| c.into_iter().map(|i| lv.ids[members[i]].clone()).collect::<Vec<_>>();
    let elementary: Vec<Vec<String>> = local.elementary().into_iter().map(ids).collect();
    let breakers = local
        .feedback_arc_set(&|a, b| lv.edges[&(members[a], members[b])].sites)
        .into_iter()
        .map(|(a, b)| site(lv, (members[a], members[b]), &lv.edges[&(members[a], members[b])]))
        .collect();
    Cycle {
        level: lv.name,
        kind,
        nodes: members.iter().map(|&i| lv.ids[i].clone()).collect(),
        edges: inside.iter().map(|&k| site(lv, k, &lv.edges[&k])).collect(),
        path: elementary.first().cloned().unwrap_or_default(),
        elementary,
        breakers,
    }
}

/// A component renumbered `0..n` (positions in the sorted member list).
struct Local {
    adj: Vec<Vec<usize>>,
    edges: Vec<(usize, usize)>,
}

impl Local {
    fn new(members: &[usize], inside: &[(usize, usize)]) -> Self {
        let pos = |n: usize| members.binary_search(&n).expect("member");
        let edges: Vec<(usize, usize)> = inside.iter().map(|&(a, b)| (pos(a), pos(b))).collect();
        let mut adj = vec![Vec::new(); members.len()];
        for &(a, b) in &edges {
            adj[a].push(b);
        }
        Local { adj, edges }
    }

    /// Shortest cycle through each edge, deduplicated, shortest first.
    fn elementary(&self) -> Vec<Vec<usize>> {
        let mut found: BTreeSet<(usize, Vec<usize>)> = BTreeSet::new();
        for &(u, v) in self.edges.iter().take(MAX_ELEMENTARY_SEARCHES) {
            // `v → … → u` plus the edge `u → v` closes the cycle.
            if let Some(c) = super::levels::shortest_path(&self.adj, v, u) {
                found.insert((c.len(), rotate_to_min(c)));
            }
        }
        found
            .into_iter()
            .take(MAX_ELEMENTARY)
            .map(|(_, mut c)| {
                c.push(c[0]);
                c
            })
            .collect()
    }

    /// Eades–Lin–Smyth: peel sinks to the back and sources to the front of an
    /// order; when neither exists, move the node with the largest
    /// (out-weight − in-weight) to the front. Edges pointing backwards in the
    /// final order form the feedback arc set. Ties go to the smallest id.
    fn feedback_arc_set(&self, weight: &dyn Fn(usize, usize) -> u32) -> Vec<(usize, usize)> {
        let n = self.adj.len();
        let mut alive = vec![true; n];
        let (mut out_w, mut in_w) = (vec![0i64; n], vec![0i64; n]);
        let (mut outs, mut ins) = (vec![Vec::new(); n], vec![Vec::new(); n]);
        for &(a, b) in &self.edges {
            let w = i64::from(weight(a, b));
            out_w[a] += w;
            in_w[b] += w;
            outs[a].push((b, w));
            ins[b].push((a, w));
        }
        let (mut front, mut back) = (Vec::new(), Vec::new());
        let mut left = n;
        while left > 0 {
            let pick = (0..n)
                .filter(|&v| alive[v])
                .find(|&v| out_w[v] == 0)
                .map(|v| (v, false))
                .or_else(|| (0..n).filter(|&v| alive[v]).find(|&v| in_w[v] == 0).map(|v| (v, true)))
                .unwrap_or_else(|| {
                    let v = (0..n).filter(|&v| alive[v]).max_by_key(|&v| (out_w[v] - in_w[v], std::cmp::Reverse(v)));
                    (v.expect("a live node"), true)
                });
            let (v, to_front) = pick;
            if to_front {
                front.push(v)
            } else {
                back.push(v)
            }
            alive[v] = false;
            left -= 1;
            for &(b, w) in &outs[v] {
                in_w[b] -= w;
            }
            for &(a, w) in &ins[v] {
                out_w[a] -= w;
            }
        }
        back.reverse();
        front.extend(back);
        let mut rank = vec![0; n];
        for (i, &v) in front.iter().enumerate() {
            rank[v] = i;
        }
        self.edges.iter().filter(|&&(a, b)| rank[a] > rank[b]).copied().collect()
    }
}

/// Rotate a cycle so it starts at its smallest node (a canonical form).
fn rotate_to_min(mut c: Vec<usize>) -> Vec<usize> {
    if let Some(i) = c.iter().enumerate().min_by_key(|(_, v)| **v).map(|(i, _)| i) {
        c.rotate_left(i);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(n: usize, edges: &[(usize, usize)]) -> Local {
        let members: Vec<usize> = (0..n).collect();
        Local::new(&members, edges)
    }

    #[test]
    fn elementary_cycles_shortest_first_and_canonical() {
        // 0 → 1 → 2 → 0, and 1 → 0: cycles [0,1] and [0,1,2].
        let l = local(3, &[(0, 1), (1, 2), (2, 0), (1, 0)]);
        assert_eq!(l.elementary(), vec![vec![0, 1, 0], vec![0, 1, 2, 0]]);
    }

    #[test]
    fn breakers_make_the_component_acyclic_and_prefer_light_edges() {
        // a ⇄ b where a → b has 5 sites and b → a one: cut b → a.
        let l = local(2, &[(0, 1), (1, 0)]);
        let w = |a: usize, _b: usize| if a == 0 { 5 } else { 1 };
        assert_eq!(l.feedback_arc_set(&w), vec![(1, 0)]);
        // Two 3-cycles sharing the edge 0 → 1: one cut of 0 → 1 breaks both.
        let l = local(4, &[(0, 1), (1, 2), (2, 0), (1, 3), (3, 0)]);
        let fas = l.feedback_arc_set(&|_, _| 1);
        assert_eq!(fas.len(), 1);
        let rest: Vec<(usize, usize)> = l.edges.iter().filter(|e| !fas.contains(e)).copied().collect();
        let members: Vec<usize> = (0..4).collect();
        assert!(Local::new(&members, &rest).elementary().is_empty());
    }
}
