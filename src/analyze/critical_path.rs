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
    let chain = |start: usize| {
        let mut p = vec![start];
        while let Some(next) = best_next[*p.last().expect("not empty")] {
            p.push(next);
        }
        p
    };
    // Chains from distinct sources differ in their first step, so they are
    // distinct. Only the `top` highest sources and those tied with the last
    // of them can make the list: build and compare just those (building every
    // source's chain as strings and sorting them was a quarter of a warm
    // re-scan of 100,000 files).
    let mut sources: Vec<usize> = (0..n).filter(|&c| pred[c].is_empty() && height[c] > 0).collect();
    sources.sort_by_key(|&c| std::cmp::Reverse(height[c]));
    if top == 0 {
        sources.clear();
    } else if let Some(&last) = sources.get(top - 1) {
        let cut = height[last];
        sources.retain(|&c| height[c] >= cut);
    }
    let mut chains: Vec<Vec<usize>> = sources.into_iter().map(chain).collect();
    chains.sort_by(|a, b| height[b[0]].cmp(&height[a[0]]).then_with(|| by_ids(lv, &comps, a, b)));
    let paths = chains.into_iter().take(top).map(|p| p.into_iter().map(step).collect()).collect();
    CriticalPaths { level: lv.name, paths, depth }
}

/// Two chains of components in the order of their steps' member ids (as
/// lists of lists of strings compare), without building the strings.
fn by_ids(lv: &Level, comps: &[Vec<usize>], a: &[usize], b: &[usize]) -> std::cmp::Ordering {
    for (&x, &y) in a.iter().zip(b) {
        let ids = |c: usize| comps[c].iter().map(|&m| lv.ids[m].as_str());
        let o = ids(x).cmp(ids(y));
        if o.is_ne() {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::analyze::levels::LevelEdge;

    fn level(n: usize, edges: &[(usize, usize)]) -> Level {
        let ids = (0..n).map(|i| format!("module:n{i}")).collect();
        let e = LevelEdge { flags: Default::default(), file: "f".into(), line: 1, sites: 1, allow_cycle: None };
        let edges: BTreeMap<_, _> = edges.iter().map(|&k| (k, e.clone())).collect();
        Level { name: "module", ids, lines: vec![1; n], exempt: vec![false; n], edges }
    }

    fn ids(p: &[Vec<String>]) -> Vec<&str> {
        p.iter().map(|s| s[0].as_str()).collect()
    }

    #[test]
    fn top_n_keeps_the_highest_sources_and_breaks_ties_by_id() {
        // n1 → n2 → n0 (height 2); n4 → n0 and n3 → n0 (height 1, tied).
        let lv = level(5, &[(1, 2), (2, 0), (4, 0), (3, 0)]);
        let found = find(&lv, 2);
        let paths: Vec<Vec<&str>> = found.paths.iter().map(|p| ids(p)).collect();
        assert_eq!(paths, vec![vec!["module:n1", "module:n2", "module:n0"], vec!["module:n3", "module:n0"]]);
        assert_eq!(find(&lv, 5).paths.len(), 3);
        assert!(find(&lv, 0).paths.is_empty());
        assert_eq!(found.depth, vec![2, 0, 1, 0, 0]);
    }
}
