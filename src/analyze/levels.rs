//! The dependency graph at one level of granularity: modules, or the
//! directories that hold them (services join later). Every analyzer works on
//! a [`Level`]: sorted ids, deduplicated edges with their first site, so the
//! analyzers never see `NodeIndex` or hash order and stay deterministic.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use petgraph::algo::condensation;
use petgraph::graph::DiGraph;
use petgraph::visit::EdgeRef;

use crate::graph::{ArchGraph, Node};
use crate::model::Flags;

/// One dependency between two nodes of a level, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelEdge {
    pub flags: Flags,
    /// First site (smallest file, then line).
    pub file: String,
    pub line: u32,
    pub sites: u32,
    /// `tapestry: allow-cycle` reason when every site carries one.
    pub allow_cycle: Option<String>,
}

impl From<&crate::graph::Edge> for LevelEdge {
    /// The evidence of a graph edge (only `imports` edges carry an allow-cycle reason).
    fn from(edge: &crate::graph::Edge) -> Self {
        LevelEdge {
            flags: edge.flags,
            file: edge.file.clone().unwrap_or_default(),
            line: edge.line.unwrap_or(0),
            sites: edge.sites,
            allow_cycle: edge.allow_cycle.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Level {
    pub name: &'static str,
    /// Node ids, sorted.
    pub ids: Vec<String>,
    /// Size of each node in lines (modules: the file; directories: the sum).
    pub lines: Vec<u64>,
    /// Test or generated code: not judged by size smells.
    pub exempt: Vec<bool>,
    pub edges: BTreeMap<(usize, usize), LevelEdge>,
}

impl Level {
    pub fn index(&self, id: &str) -> Option<usize> {
        self.ids.binary_search_by(|x| x.as_str().cmp(id)).ok()
    }

    /// Successor lists over the edges `keep` accepts, each sorted.
    pub fn adjacency(&self, keep: &dyn Fn(Flags) -> bool) -> Vec<Vec<usize>> {
        let mut adj = vec![Vec::new(); self.ids.len()];
        for (&(a, b), e) in &self.edges {
            if keep(e.flags) {
                adj[a].push(b);
            }
        }
        adj
    }

    /// The same nodes with only the edges `keep` accepts.
    pub fn filtered(&self, keep: &dyn Fn(Flags) -> bool) -> Level {
        let edges = self.edges.iter().filter(|(_, e)| keep(e.flags)).map(|(k, e)| (*k, e.clone())).collect();
        Level { name: self.name, ids: self.ids.clone(), lines: self.lines.clone(), exempt: self.exempt.clone(), edges }
    }

    /// Successor lists of every edge, each sorted.
    pub fn successors(&self) -> Vec<Vec<usize>> {
        self.adjacency(&|_| true)
    }

    /// The condensation: strongly connected components as a DAG (see [`Condensed`]).
    pub fn condense(&self) -> Condensed {
        let mut g = DiGraph::<usize, ()>::with_capacity(self.ids.len(), self.edges.len());
        let idx: Vec<_> = (0..self.ids.len()).map(|i| g.add_node(i)).collect();
        for &(a, b) in self.edges.keys() {
            g.add_edge(idx[a], idx[b], ());
        }
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
        let (mut succ, mut pred) = (vec![Vec::new(); n], vec![Vec::new(); n]);
        for e in dag.edge_references() {
            let (a, b) = (e.source().index(), e.target().index());
            if a != b && !succ[a].contains(&b) {
                succ[a].push(b);
                pred[b].push(a);
            }
        }
        // Kahn's algorithm; ties in component order so the result is stable.
        let mut indeg: Vec<usize> = pred.iter().map(Vec::len).collect();
        let mut ready: BTreeSet<usize> = (0..n).filter(|&c| indeg[c] == 0).collect();
        let mut order = Vec::with_capacity(n);
        while let Some(c) = ready.pop_first() {
            order.push(c);
            for &s in &succ[c] {
                indeg[s] -= 1;
                if indeg[s] == 0 {
                    ready.insert(s);
                }
            }
        }
        Condensed { comps, succ, pred, order }
    }

    /// The id with its kind prefix removed (`module:src/a.ts` → `src/a.ts`).
    pub fn bare(id: &str) -> &str {
        id.split_once(':').map_or(id, |(_, rest)| rest)
    }
}

/// A level's condensation DAG: each strongly connected component is one node.
pub struct Condensed {
    /// Members of each component, sorted.
    pub comps: Vec<Vec<usize>>,
    pub succ: Vec<Vec<usize>>,
    pub pred: Vec<Vec<usize>>,
    /// Components in topological order (dependents before dependencies).
    pub order: Vec<usize>,
}

/// Shortest path `from → … → to` (both included) over successor lists, by
/// breadth-first search; successors are visited in list order, so sorted
/// lists give a stable answer.
pub fn shortest_path(adj: &[Vec<usize>], from: usize, to: usize) -> Option<Vec<usize>> {
    let mut prev = vec![usize::MAX; adj.len()];
    prev[from] = from;
    let mut queue = VecDeque::from([from]);
    while let Some(x) = queue.pop_front() {
        if x == to {
            let mut path = vec![to];
            let mut cur = to;
            while cur != from {
                cur = prev[cur];
                path.push(cur);
            }
            path.reverse();
            return Some(path);
        }
        for &y in &adj[x] {
            if prev[y] == usize::MAX {
                prev[y] = x;
                queue.push_back(y);
            }
        }
    }
    None
}

/// Modules and their module → module dependency edges (`imports`).
pub fn modules(g: &ArchGraph) -> Level {
    let mut nodes: Vec<(String, u64, bool, usize)> = g
        .graph
        .node_indices()
        .filter_map(|i| match g.node(i) {
            n @ Node::Module { path, lines, generated, .. } => {
                let test = crate::lang::lang_of(path).is_some_and(|l| crate::lang::is_test_path(path, l));
                Some((n.id(), u64::from(*lines), *generated || test, i.index()))
            }
            _ => None,
        })
        .collect();
    nodes.sort();
    // Graph node → position in the level, so each edge is two array reads
    // (looking ids up by string was most of this function on 100,000 files).
    let mut pos = vec![usize::MAX; g.graph.node_count()];
    for (k, n) in nodes.iter().enumerate() {
        pos[n.3] = k;
    }
    let lines = nodes.iter().map(|n| n.1).collect();
    let exempt = nodes.iter().map(|n| n.2).collect();
    let ids = nodes.into_iter().map(|n| n.0).collect();
    let mut level = Level { name: "module", ids, lines, exempt, edges: BTreeMap::new() };
    for e in g.graph.edge_indices() {
        let edge = g.edge(e);
        let (a, b) = g.graph.edge_endpoints(e).expect("edge of this graph");
        let (i, j) = (pos[a.index()], pos[b.index()]);
        if !edge.kind.is_dependency() || i == usize::MAX || j == usize::MAX {
            continue;
        }
        level.edges.insert((i, j), LevelEdge::from(edge));
    }
    level
}

/// Services and the service → service `calls` edges between them.
pub fn services(g: &ArchGraph) -> Level {
    let mut ids: Vec<String> = g.graph.node_weights().filter(|n| matches!(n, Node::Service(_))).map(Node::id).collect();
    ids.sort();
    let n = ids.len();
    let mut level = Level { name: "service", ids, lines: vec![0; n], exempt: vec![false; n], edges: BTreeMap::new() };
    for e in g.graph.edge_indices() {
        let edge = g.edge(e);
        let (a, b) = g.graph.edge_endpoints(e).expect("edge of this graph");
        if edge.kind != crate::graph::EdgeKind::Calls
            || !matches!((g.node(a), g.node(b)), (Node::Service(_), Node::Service(_)))
        {
            continue;
        }
        let (Some(i), Some(j)) = (level.index(&g.node(a).id()), level.index(&g.node(b).id())) else { continue };
        if i == j {
            continue;
        }
        level.edges.insert((i, j), LevelEdge::from(edge));
    }
    level
}

/// `directory:<dir>` (`directory:.` for the root) of a module id.
pub fn dir_id(module_id: &str) -> String {
    match Level::bare(module_id).rsplit_once('/') {
        Some((d, _)) => format!("directory:{d}"),
        None => "directory:.".to_string(),
    }
}

/// Directories: a module edge between two directories is a directory edge.
/// Its flags hold when they hold for every module edge behind it
/// (`type_only` only if all are), `reexport` when any has it; its first site
/// is the smallest of theirs; its sites add up.
pub fn directories(modules: &Level) -> Level {
    let dirs: Vec<String> = modules.ids.iter().map(|m| dir_id(m)).collect();
    let mut ids: Vec<String> = dirs.clone();
    ids.sort();
    ids.dedup();
    let mut lines = vec![0u64; ids.len()];
    // Each module's directory index, looked up once per module, not per edge.
    let dir_of: Vec<usize> =
        dirs.iter().map(|d| ids.binary_search_by(|x| x.as_str().cmp(d)).expect("listed")).collect();
    for (m, &d) in dir_of.iter().enumerate() {
        lines[d] += modules.lines[m];
    }
    let mut edges: BTreeMap<(usize, usize), LevelEdge> = BTreeMap::new();
    for (&(a, b), e) in &modules.edges {
        let (da, db) = (dir_of[a], dir_of[b]);
        if da == db {
            continue;
        }
        edges
            .entry((da, db))
            .and_modify(|d| {
                let all = d.flags.intersection(e.flags).intersection(Flags::ALL_SITES);
                let any = d.flags.union(e.flags).intersection(Flags::ANY_SITE);
                d.flags = all.union(any);
                d.sites += e.sites;
                if (e.file.as_str(), e.line) < (d.file.as_str(), d.line) {
                    (d.file, d.line) = (e.file.clone(), e.line);
                }
                if e.allow_cycle.is_none() {
                    d.allow_cycle = None;
                }
            })
            .or_insert_with(|| e.clone());
    }
    let exempt = vec![false; ids.len()];
    Level { name: "directory", ids, lines, exempt, edges }
}
