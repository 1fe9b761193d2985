//! Critical paths: the longest dependency chains, with cycles collapsed.
//!
//! What it finds: on the condensation of the level's graph (each strongly
//! connected component becomes one step, listing its members, so the result
//! is a DAG), the longest chains measured in edges, and each node's depth
//! (the longest chain from any node that nothing depends on down to it).
//! The top N distinct chains are reported: from every source of the DAG the
//! chain that always steps to the successor with the longest remaining
//! chain (ties: the smallest id), sorted by length, then by their ids.
//!
//! Why it matters: a change at the bottom of a long chain can ripple to the
//! top; long chains make builds serial and layering unclear.
//! Example: `app.ts → routes.ts → service.ts → db.ts` (length 3).

use petgraph::algo::condensation;
use petgraph::graph::DiGraph;
use petgraph::visit::EdgeRef;

use super::levels::Level;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriticalPaths {
    pub level: &'static str,
    /// Longest chains first; each step lists the ids of one node or of one collapsed cycle.
    pub paths: Vec<Vec<Vec<String>>>,
    /// Depth of every node (index as in the level's ids).
    pub depth: Vec<u32>,
}

pub fn find(lv: &Level, top: usize) -> CriticalPaths {
    let mut g = DiGraph::<usize, ()>::with_capacity(lv.ids.len(), lv.edges.len());
    let idx: Vec<_> = (0..lv.ids.len()).map(|i| g.add_node(i)).collect();
    for &(a, b) in lv.edges.keys() {
        g.add_edge(idx[a], idx[b], ());
    }
    // Components, each with sorted members; the DAG between them.
    let dag = condensation(g, true);
    let comps: Vec<Vec<usize>> = dag
        .node_weights()
        .map(|m| {
            let mut m = m.clone();
            m.sort_unstable();
            m
        })
        .collect();
    let n = comps.len();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in dag.edge_references() {
        let (a, b) = (e.source().index(), e.target().index());
        if a != b && !succ[a].contains(&b) {
            succ[a].push(b);
            pred[b].push(a);
        }
    }
    let order = topo_order(&succ, &pred);
    // height: longest chain starting at a component; depth: longest chain ending there.
    let mut height = vec![0u32; n];
    let mut best_next: Vec<Option<usize>> = vec![None; n];
    for &c in order.iter().rev() {
        // The successor with the longest remaining chain; ties: the smallest member id.
        if let Some(&s) = succ[c].iter().max_by_key(|&&s| (height[s], std::cmp::Reverse(comps[s][0]))) {
            height[c] = height[s] + 1;
            best_next[c] = Some(s);
        }
    }
    let mut comp_depth = vec![0u32; n];
    for &c in &order {
        for &s in &succ[c] {
            comp_depth[s] = comp_depth[s].max(comp_depth[c] + 1);
        }
    }
    let mut depth = vec![0u32; lv.ids.len()];
    for (c, members) in comps.iter().enumerate() {
        for &m in members {
            depth[m] = comp_depth[c];
        }
    }
    let step = |c: usize| comps[c].iter().map(|&m| lv.ids[m].clone()).collect::<Vec<_>>();
    let mut paths: Vec<(u32, Vec<Vec<String>>)> = (0..n)
        .filter(|&c| pred[c].is_empty() && height[c] > 0)
        .map(|start| {
            let mut p = vec![step(start)];
            let mut cur = start;
            while let Some(next) = best_next[cur] {
                p.push(step(next));
                cur = next;
            }
            (height[start], p)
        })
        .collect();
    paths.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    paths.dedup_by(|a, b| a.1 == b.1);
    CriticalPaths { level: lv.name, paths: paths.into_iter().take(top).map(|(_, p)| p).collect(), depth }
}

/// Kahn's algorithm; ties in id order so the result is stable.
fn topo_order(succ: &[Vec<usize>], pred: &[Vec<usize>]) -> Vec<usize> {
    let mut indeg: Vec<usize> = pred.iter().map(Vec::len).collect();
    let mut ready: std::collections::BTreeSet<usize> = (0..succ.len()).filter(|&c| indeg[c] == 0).collect();
    let mut order = Vec::with_capacity(succ.len());
    while let Some(c) = ready.pop_first() {
        order.push(c);
        for &s in &succ[c] {
            indeg[s] -= 1;
            if indeg[s] == 0 {
                ready.insert(s);
            }
        }
    }
    order
}
