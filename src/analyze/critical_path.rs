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
    let super::levels::Condensed { comps, succ, pred, order } = lv.condense();
    let n = comps.len();
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
