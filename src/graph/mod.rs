//! The architecture graph: typed nodes and typed edges in a petgraph graph.
//!
//! Nodes and edges are identified by stable string keys (`module:src/a.ts`,
//! `package:npm:react`), never by `NodeIndex`, which stays private to this
//! module and the analyzers. New node kinds (service, endpoint, table, queue,
//! external) are new enum variants; nothing else changes shape.

mod builder;

pub use builder::GraphBuilder;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

use crate::model::Flags;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Module {
        path: String,
        language: &'static str,
        /// Id of the owning service node (none until services are extracted).
        service: Option<String>,
        generated: bool,
        lines: u32,
    },
    Package {
        ecosystem: &'static str,
        name: String,
    },
}

impl Node {
    /// The stable id of a node, as in the JSON contract.
    pub fn id(&self) -> String {
        match self {
            Node::Module { path, .. } => format!("module:{path}"),
            Node::Package { ecosystem, name } => format!("package:{ecosystem}:{name}"),
        }
    }
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Module { .. } => "module",
            Node::Package { .. } => "package",
        }
    }
    pub fn name(&self) -> &str {
        match self {
            Node::Module { path, .. } => path,
            Node::Package { name, .. } => name,
        }
    }
    pub fn module_path(&self) -> Option<&str> {
        match self {
            Node::Module { path, .. } => Some(path),
            Node::Package { .. } => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    Imports,
    Contains,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Imports => "imports",
            EdgeKind::Contains => "contains",
        }
    }
    /// Dependencies count for cycles and coupling; ownership does not.
    pub fn is_dependency(self) -> bool {
        matches!(self, EdgeKind::Imports)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub kind: EdgeKind,
    /// First site of the evidence (smallest file, then line).
    pub file: Option<String>,
    pub line: Option<u32>,
    /// How many places say so.
    pub sites: u32,
    pub flags: Flags,
    /// `tapestry: allow-cycle` reason, when every site carries one.
    pub allow_cycle: Option<String>,
}

/// The graph plus its key index. Built only through [`GraphBuilder`].
#[derive(Debug, Default)]
pub struct ArchGraph {
    pub graph: DiGraph<Node, Edge>,
}

impl ArchGraph {
    pub fn node(&self, i: NodeIndex) -> &Node {
        &self.graph[i]
    }
    pub fn edge(&self, e: EdgeIndex) -> &Edge {
        &self.graph[e]
    }
}
