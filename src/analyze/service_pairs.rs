//! Calls between each ordered pair of services.
//!
//! What it finds: for every edge `A → B` of the service level (counted edges
//! only), how much code stands behind it: `calls`, the call sites in A's
//! modules that reach B (an HTTP, WebSocket or gRPC request resolved to one
//! of B's endpoints or to B itself; the sites of the module-level `calls`
//! edges, so a module calling one endpoint from three places counts three);
//! `modules`, the distinct calling modules of A; `endpoints`, the distinct
//! endpoints of B they reach. Call sites, not calling modules, are the
//! `calls` count because each one is a place to change when B's API changes;
//! the calling modules are given too, since three calls in one client module
//! are cheaper to move than three spread over three modules. A pair linked
//! only by a deployment file (`declared`: compose `depends_on`, an environment
//! URL naming an infrastructure service) has all three at 0.
//!
//! Why it matters: Ca/Ce say how many services a service talks to; these say
//! how wide each conversation is, which is what an API change or a split costs.
//! Example: `gateway → orders` with calls 3, modules 1, endpoints 3: one
//! client module calls three of orders' endpoints.

use std::collections::{BTreeMap, BTreeSet};

use crate::graph::{ArchGraph, EdgeKind, Node};
use crate::model::Flags;

use super::levels::Level;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub from: String,
    pub to: String,
    /// Call sites.
    pub calls: u32,
    /// Distinct calling modules.
    pub modules: u32,
    /// Distinct endpoints called.
    pub endpoints: u32,
}

#[derive(Default)]
struct Acc {
    calls: u32,
    modules: BTreeSet<String>,
    endpoints: BTreeSet<String>,
}

/// One row per edge of `services` (the counted service level), sorted by
/// (from, to); `keep` says which module-level `calls` edges count.
pub fn compute(g: &ArchGraph, services: &Level, keep: &dyn Fn(Flags) -> bool) -> Vec<Pair> {
    let mut acc: BTreeMap<(String, String), Acc> = BTreeMap::new();
    for e in g.graph.edge_indices() {
        let edge = g.edge(e);
        if edge.kind != EdgeKind::Calls || !keep(edge.flags) {
            continue;
        }
        let (a, b) = g.graph.edge_endpoints(e).expect("edge of this graph");
        let Node::Module { path, service: Some(from), .. } = g.node(a) else { continue };
        let (to, endpoint) = match g.node(b) {
            Node::Endpoint(ep) => (format!("service:{}", ep.service), Some(g.node(b).id())),
            n @ Node::Service(_) => (n.id(), None),
            _ => continue,
        };
        if *from == to {
            continue;
        }
        let row = acc.entry((from.clone(), to)).or_default();
        row.calls += edge.sites;
        row.modules.insert(path.clone());
        row.endpoints.extend(endpoint);
    }
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    services
        .edges
        .keys()
        .map(|&(a, b)| {
            let (from, to) = (services.ids[a].clone(), services.ids[b].clone());
            let row = acc.remove(&(from.clone(), to.clone())).unwrap_or_default();
            Pair {
                calls: row.calls,
                modules: count(row.modules.len()),
                endpoints: count(row.endpoints.len()),
                from,
                to,
            }
        })
        .collect()
}
