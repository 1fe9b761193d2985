//! Builds an [`ArchGraph`] from resolved facts: one node per key, one edge per
//! (from, to, kind), each edge keeping its first site, its number of sites
//! and the flags that hold for it (`type_only` only if every site is type-only,
//! `reexport` if any site re-exports; see [`Flags::ALL_SITES`]).

use std::collections::HashMap;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::{ArchGraph, Edge, EdgeKind, Node};
use crate::model::Flags;

#[derive(Default)]
pub struct GraphBuilder {
    g: ArchGraph,
    nodes: HashMap<String, NodeIndex>,
    edges: HashMap<(NodeIndex, NodeIndex, EdgeKind), EdgeIndex>,
}

impl GraphBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The node with this node's id, added if new.
    pub fn node(&mut self, node: Node) -> NodeIndex {
        let id = node.id();
        if let Some(&i) = self.nodes.get(&id) {
            return i;
        }
        let i = self.g.graph.add_node(node);
        self.nodes.insert(id, i);
        i
    }

    /// Record one site of an edge. Sites must arrive in (file, line) order for
    /// the first site to be the reported one; the caller sorts them.
    pub fn site(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        kind: EdgeKind,
        at: (&str, u32),
        flags: Flags,
        allow: Option<&str>,
    ) {
        let (file, line) = at;
        if from == to {
            return;
        }
        match self.edges.get(&(from, to, kind)) {
            Some(&e) => {
                let edge = &mut self.g.graph[e];
                edge.sites += 1;
                let all = edge.flags.intersection(flags).intersection(Flags::ALL_SITES);
                let any = edge.flags.union(flags).intersection(Flags::ANY_SITE);
                edge.flags = all.union(any);
                if allow.is_none() {
                    edge.allow_cycle = None;
                }
            }
            None => {
                let allow_cycle = allow.map(String::from);
                let edge = Edge {
                    kind,
                    file: Some(file.to_string()),
                    line: Some(line),
                    sites: 1,
                    flags,
                    allow_cycle,
                    endpoints: Vec::new(),
                    via: Vec::new(),
                };
                let e = self.g.graph.add_edge(from, to, edge);
                self.edges.insert((from, to, kind), e);
            }
        }
    }

    /// An edge derived from other facts (no site of its own): added once.
    pub fn derived(&mut self, from: NodeIndex, to: NodeIndex, kind: EdgeKind) {
        if from != to && !self.edges.contains_key(&(from, to, kind)) {
            let edge = Edge {
                kind,
                file: None,
                line: None,
                sites: 1,
                flags: Flags::default(),
                allow_cycle: None,
                endpoints: Vec::new(),
                via: Vec::new(),
            };
            let e = self.g.graph.add_edge(from, to, edge);
            self.edges.insert((from, to, kind), e);
        }
    }

    /// Name an endpoint behind an existing edge (service → service `calls`).
    pub fn endpoint(&mut self, from: NodeIndex, to: NodeIndex, kind: EdgeKind, endpoint: &str) {
        if let Some(&e) = self.edges.get(&(from, to, kind)) {
            let list = &mut self.g.graph[e].endpoints;
            if let Err(i) = list.binary_search_by(|x| x.as_str().cmp(endpoint)) {
                list.insert(i, endpoint.to_string());
            }
        }
    }

    /// Name the queue a broker request behind an existing `calls` edge travels on.
    pub fn via(&mut self, from: NodeIndex, to: NodeIndex, kind: EdgeKind, queue: &str) {
        if let Some(&e) = self.edges.get(&(from, to, kind)) {
            let list = &mut self.g.graph[e].via;
            if let Err(i) = list.binary_search_by(|x| x.as_str().cmp(queue)) {
                list.insert(i, queue.to_string());
            }
        }
    }

    pub fn build(self) -> ArchGraph {
        self.g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(p: &str) -> Node {
        Node::Module { path: p.into(), language: "typescript", service: None, generated: false, lines: 1 }
    }

    #[test]
    fn edges_merge_sites_and_flags() {
        let mut b = GraphBuilder::new();
        let a = b.node(module("a.ts"));
        let c = b.node(module("c.ts"));
        assert_eq!(b.node(module("a.ts")), a);
        b.site(a, c, EdgeKind::Imports, ("a.ts", 1), Flags::TYPE_ONLY, Some("why"));
        b.site(a, c, EdgeKind::Imports, ("a.ts", 4), Flags::REEXPORT, None);
        b.site(a, a, EdgeKind::Imports, ("a.ts", 5), Flags::default(), None);
        let g = b.build();
        assert_eq!(g.graph.edge_count(), 1);
        let e = g.graph.edge_weights().next().unwrap();
        assert_eq!((e.sites, e.line, e.flags, e.allow_cycle.clone()), (2, Some(1), Flags::REEXPORT, None));
    }
}
