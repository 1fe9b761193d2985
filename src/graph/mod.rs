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
    /// A deployable unit: from a manifest, a compose file, Kubernetes or `tapestry.toml`.
    Service(Box<ServiceNode>),
    /// An HTTP route or a gRPC method a service serves.
    Endpoint(Box<EndpointNode>),
    /// A database table or collection (`store`: `sql`, `mongodb`).
    Table {
        name: String,
        store: String,
        file: Option<String>,
        line: Option<u32>,
    },
    /// A queue, topic or exchange of a broker.
    Queue {
        broker: String,
        name: String,
    },
    /// A host outside the scanned code.
    External {
        host: String,
    },
}

/// Where a service's port is written: the port as written (`8080:80`, `30080:8080`,
/// `8000`), the kind of file (`compose`, `kubernetes`, `dockerfile`), the file, the line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PortSite {
    pub port: String,
    pub from: &'static str,
    pub file: String,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceNode {
    pub name: String,
    pub dirs: Vec<String>,
    pub infra: bool,
    pub image: Option<String>,
    pub ports: Vec<String>,
    /// Where each port is written, in the order of `ports`.
    pub port_sources: Vec<PortSite>,
    /// Environment with secrets and URL credentials redacted.
    pub environment: Vec<(String, String)>,
    pub depends_on: Vec<String>,
    pub aliases: Vec<String>,
    pub file: Option<String>,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EndpointNode {
    pub service: String,
    /// `GET`… , `ANY`, `WS`, or `RPC` for gRPC.
    pub method: String,
    /// Full route template with every prefix applied, parameters as `{name}`.
    pub path: String,
    pub framework: String,
    pub handler: Option<String>,
    pub file: String,
    pub line: u32,
}

impl Node {
    /// The stable id of a node, as in the JSON contract.
    pub fn id(&self) -> String {
        match self {
            Node::Module { path, .. } => format!("module:{path}"),
            Node::Package { ecosystem, name } => format!("package:{ecosystem}:{name}"),
            Node::Service(s) => format!("service:{}", s.name),
            Node::Endpoint(e) => endpoint_id(&e.service, &e.method, &e.path),
            Node::Table { name, .. } => format!("table:{name}"),
            Node::Queue { broker, name } => format!("queue:{broker}:{name}"),
            Node::External { host } => format!("external:{host}"),
        }
    }
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Module { .. } => "module",
            Node::Package { .. } => "package",
            Node::Service(_) => "service",
            Node::Endpoint(_) => "endpoint",
            Node::Table { .. } => "table",
            Node::Queue { .. } => "queue",
            Node::External { .. } => "external",
        }
    }
    pub fn name(&self) -> &str {
        match self {
            Node::Module { path, .. } => path,
            Node::Package { name, .. } | Node::Table { name, .. } | Node::Queue { name, .. } => name,
            Node::Service(s) => &s.name,
            Node::Endpoint(e) => &e.path,
            Node::External { host } => host,
        }
    }
    pub fn module_path(&self) -> Option<&str> {
        match self {
            Node::Module { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// `endpoint:<service>:<METHOD> <path>`.
pub fn endpoint_id(service: &str, method: &str, path: &str) -> String {
    format!("endpoint:{service}:{method} {path}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    Imports,
    Contains,
    /// A service serves an endpoint.
    Exposes,
    /// A module (or, derived, a service) sends requests to an endpoint, a service or an external host.
    Calls,
    Reads,
    Writes,
    Publishes,
    Consumes,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Imports => "imports",
            EdgeKind::Contains => "contains",
            EdgeKind::Exposes => "exposes",
            EdgeKind::Calls => "calls",
            EdgeKind::Reads => "reads",
            EdgeKind::Writes => "writes",
            EdgeKind::Publishes => "publishes",
            EdgeKind::Consumes => "consumes",
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
    /// Service → service `calls`: the endpoint ids behind the edge, sorted.
    pub endpoints: Vec<String>,
    /// `calls` over a broker's request/reply: the queue ids the requests travel on, sorted.
    pub via: Vec<String>,
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
