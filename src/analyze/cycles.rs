//! Cyclic dependencies, at module and directory level.
//!
//! What it finds: every strongly connected component (Tarjan's algorithm,
//! petgraph's iterative implementation) of the dependency graph with at
//! least two members, with every dependency edge inside it and one shortest
//! example cycle (breadth-first search from each member, shortest wins, then
//! the smallest start id).
//!
//! Why it matters: a cycle couples all its members; none can be built,
//! tested or deployed alone. Example: `a.ts → b.ts → a.ts`.
//!
//! `runtime` components use only edges that exist at run time (not
//! `type_only`, not `test`). A component that appears only when type-only
//! imports are counted is reported separately with kind `type_only`: it
//! vanishes at run time, but it still couples compilation.
//! Directory level: each module's directory, edges between different
//! directories only, same classes (a directory edge is type-only when every
//! module edge behind it is).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;

use crate::graph::{ArchGraph, Node};
use crate::model::Flags;

/// Biggest number of members a shortest-cycle search starts from; beyond it
/// the example is the shortest through the first members (by id).
const MAX_CYCLE_STARTS: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub from: String,
    pub to: String,
    pub file: String,
    pub line: u32,
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
}

impl Cycle {
    /// The site of each step of `path`.
    pub fn path_sites(&self) -> Vec<&Site> {
        self.path.windows(2).filter_map(|w| self.edges.iter().find(|e| e.from == w[0] && e.to == w[1])).collect()
    }
}

/// A graph at one level: sorted ids and deduplicated, sorted edges.
struct Level {
    ids: Vec<String>,
    edges: BTreeMap<(usize, usize), (Flags, String, u32)>,
}

pub fn find(g: &ArchGraph) -> Vec<Cycle> {
    let (modules, dirs) = levels(g);
    let mut out = cycles_of("module", &modules);
    out.extend(cycles_of("directory", &dirs));
    out.extend(cycles_of("service", &services(g)));
    out
}

/// The service graph: `calls` edges between service nodes (derived from module-level calls).
fn services(g: &ArchGraph) -> Level {
    let mut ids: Vec<String> = g.graph.node_weights().filter(|n| matches!(n, Node::Service(_))).map(Node::id).collect();
    ids.sort();
    let mut edges = BTreeMap::new();
    for e in g.graph.edge_indices() {
        let edge = g.edge(e);
        let (a, b) = g.graph.edge_endpoints(e).expect("edge of this graph");
        if edge.kind != crate::graph::EdgeKind::Calls
            || !matches!((g.node(a), g.node(b)), (Node::Service(_), Node::Service(_)))
        {
            continue;
        }
        let (Ok(i), Ok(j)) = (ids.binary_search(&g.node(a).id()), ids.binary_search(&g.node(b).id())) else { continue };
        edges.insert((i, j), (edge.flags, edge.file.clone().unwrap_or_default(), edge.line.unwrap_or(0)));
    }
    Level { ids, edges }
}

/// Module and directory graphs from the module → module dependency edges.
fn levels(g: &ArchGraph) -> (Level, Level) {
    let mut module_ids: Vec<String> = g.graph.node_weights().filter_map(|n| n.module_path().map(|_| n.id())).collect();
    module_ids.sort();
    let pos = |id: &str, ids: &[String]| ids.binary_search_by(|x| x.as_str().cmp(id)).ok();
    let mut modules = Level { ids: module_ids, edges: BTreeMap::new() };
    let mut dir_edges: Vec<(String, String, Flags, String, u32)> = Vec::new();
    for e in g.graph.edge_indices() {
        let edge = g.edge(e);
        let (a, b) = g.graph.edge_endpoints(e).expect("edge of this graph");
        let (Node::Module { path: pa, .. }, Node::Module { path: pb, .. }) = (g.node(a), g.node(b)) else {
            continue;
        };
        if !edge.kind.is_dependency() {
            continue;
        }
        let site = (edge.flags, edge.file.clone().unwrap_or_default(), edge.line.unwrap_or(0));
        let (Some(i), Some(j)) = (pos(&g.node(a).id(), &modules.ids), pos(&g.node(b).id(), &modules.ids)) else {
            continue;
        };
        modules.edges.insert((i, j), site.clone());
        let (da, db) = (dir_id(pa), dir_id(pb));
        if da != db {
            dir_edges.push((da, db, site.0, site.1, site.2));
        }
    }
    let mut dir_ids: Vec<String> = dir_edges.iter().flat_map(|e| [e.0.clone(), e.1.clone()]).collect();
    dir_ids.sort();
    dir_ids.dedup();
    let mut dirs = Level { ids: dir_ids, edges: BTreeMap::new() };
    dir_edges.sort_by(|x, y| (&x.3, x.4).cmp(&(&y.3, y.4)));
    for (da, db, flags, file, line) in dir_edges {
        let key = (pos(&da, &dirs.ids).expect("listed"), pos(&db, &dirs.ids).expect("listed"));
        dirs.edges
            .entry(key)
            .and_modify(|(f, _, _)| *f = f.intersection(flags).intersection(Flags::ALL_SITES))
            .or_insert((flags, file, line));
    }
    (modules, dirs)
}

/// `directory:<dir>`, with `.` for the root.
pub fn dir_id(module_path: &str) -> String {
    match module_path.rsplit_once('/') {
        Some((d, _)) => format!("directory:{d}"),
        None => "directory:.".to_string(),
    }
}

fn cycles_of(level: &'static str, lv: &Level) -> Vec<Cycle> {
    let runtime = |f: Flags| !f.contains(Flags::TYPE_ONLY) && !f.contains(Flags::TEST);
    let with_types = |f: Flags| !f.contains(Flags::TEST);
    let runtime_sccs = sccs(lv, &runtime);
    let mut out: Vec<Cycle> = runtime_sccs.iter().map(|c| cycle(level, "runtime", lv, c, &runtime)).collect();
    let known: BTreeSet<&Vec<usize>> = runtime_sccs.iter().collect();
    for c in sccs(lv, &with_types) {
        if !known.contains(&c) {
            out.push(cycle(level, "type_only", lv, &c, &with_types));
        }
    }
    out
}

/// Components with two or more members, each sorted, in order of their first member.
fn sccs(lv: &Level, keep: &dyn Fn(Flags) -> bool) -> Vec<Vec<usize>> {
    let mut g = DiGraph::<(), ()>::with_capacity(lv.ids.len(), lv.edges.len());
    let idx: Vec<_> = (0..lv.ids.len()).map(|_| g.add_node(())).collect();
    for (&(a, b), (f, _, _)) in &lv.edges {
        if keep(*f) {
            g.add_edge(idx[a], idx[b], ());
        }
    }
    let mut comps: Vec<Vec<usize>> = tarjan_scc(&g)
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

fn cycle(
    level: &'static str,
    kind: &'static str,
    lv: &Level,
    members: &[usize],
    keep: &dyn Fn(Flags) -> bool,
) -> Cycle {
    let inside: Vec<(usize, usize)> = lv
        .edges
        .iter()
        .filter(|(&(a, b), (f, _, _))| {
            keep(*f) && members.binary_search(&a).is_ok() && members.binary_search(&b).is_ok()
        })
        .map(|(&k, _)| k)
        .collect();
    let edges = inside
        .iter()
        .map(|&(a, b)| {
            let (_, file, line) = &lv.edges[&(a, b)];
            Site { from: lv.ids[a].clone(), to: lv.ids[b].clone(), file: file.clone(), line: *line }
        })
        .collect();
    let path = shortest_cycle(members, &inside).into_iter().map(|i| lv.ids[i].clone()).collect();
    Cycle { level, kind, nodes: members.iter().map(|&i| lv.ids[i].clone()).collect(), edges, path }
}

/// One shortest cycle inside a component, as node positions, first repeated last.
fn shortest_cycle(members: &[usize], edges: &[(usize, usize)]) -> Vec<usize> {
    let local = |n: usize| members.binary_search(&n).expect("member");
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); members.len()];
    for &(a, b) in edges {
        adj[local(a)].push(local(b));
    }
    let mut best: Option<Vec<usize>> = None;
    for start in 0..members.len().min(MAX_CYCLE_STARTS) {
        if let Some(c) = bfs_back(&adj, start) {
            if best.as_ref().is_none_or(|b| c.len() < b.len()) {
                best = Some(c);
            }
            if best.as_ref().is_some_and(|b| b.len() == 3) {
                break;
            }
        }
    }
    best.unwrap_or_default().into_iter().map(|i| members[i]).collect()
}

/// Shortest path `start → … → start` by breadth-first search.
fn bfs_back(adj: &[Vec<usize>], start: usize) -> Option<Vec<usize>> {
    let mut prev = vec![usize::MAX; adj.len()];
    let mut queue = VecDeque::from([start]);
    while let Some(u) = queue.pop_front() {
        for &v in &adj[u] {
            if v == start {
                let mut chain = vec![u];
                let mut cur = u;
                while cur != start {
                    cur = prev[cur];
                    chain.push(cur);
                }
                chain.reverse();
                chain.push(start);
                return Some(chain);
            }
            if prev[v] == usize::MAX && v != start {
                prev[v] = u;
                queue.push_back(v);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_cycle_is_found_in_order() {
        // 0 → 1 → 2 → 0 and 1 → 0: the shortest is 0 → 1 → 0.
        let c = shortest_cycle(&[0, 1, 2], &[(0, 1), (1, 2), (2, 0), (1, 0)]);
        assert_eq!(c, vec![0, 1, 0]);
        let c = shortest_cycle(&[3, 5, 7], &[(3, 5), (5, 7), (7, 3)]);
        assert_eq!(c, vec![3, 5, 7, 3]);
    }
}
