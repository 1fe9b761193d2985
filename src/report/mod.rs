//! The report: the JSON contract's wire structs and the renderers.
//!
//! [`Report`] is the only thing renderers see. It is built once from the
//! graph and the analyses, sorted so the same input gives byte-identical
//! output whatever the thread count, and serialized as-is for `--format json`
//! (documented field by field in `schema/report.schema.json`).

pub mod check;
pub mod dot;
pub mod html;
mod html_layout;
mod html_model;
pub mod json;
pub mod mermaid;
pub mod sarif;
pub mod structurizr;
pub mod summary;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::analyze::cycles::{Cycle, Site};
use crate::diagnostic::Diagnostic;
use crate::graph::{ArchGraph, Node};

/// Bumped only for a breaking change of the contract.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub root: String,
    pub stats: Stats,
    pub nodes: Vec<NodeOut>,
    pub edges: Vec<EdgeOut>,
    pub analysis: Analysis,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Default, Serialize)]
pub struct Stats {
    /// Files scanned per language (every language present, zero or not).
    pub files: BTreeMap<&'static str, u64>,
    pub files_skipped: u64,
    pub parse_errors: u64,
    pub generated_files: u64,
    pub modules: u64,
    pub packages: u64,
    pub edges: BTreeMap<&'static str, u64>,
    pub non_source_imports: u64,
    pub virtual_imports: u64,
    pub unresolved_imports: u64,
    /// Number of service, endpoint, table, queue and external nodes (kinds with none are absent).
    pub architecture: BTreeMap<&'static str, u64>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum NodeOut {
    Module(ModuleOut),
    Package(PackageOut),
    Service(ServiceOut),
    Endpoint(EndpointOut),
    Table(TableOut),
    Queue(QueueOut),
    External(ExternalOut),
}

impl NodeOut {
    pub fn id(&self) -> &str {
        match self {
            NodeOut::Module(m) => &m.id,
            NodeOut::Package(p) => &p.id,
            NodeOut::Service(s) => &s.id,
            NodeOut::Endpoint(e) => &e.id,
            NodeOut::Table(t) => &t.id,
            NodeOut::Queue(q) => &q.id,
            NodeOut::External(x) => &x.id,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ServiceOut {
    pub id: String,
    pub kind: &'static str,
    pub name: String,
    /// Directories holding the service's code (`.` for the scan root); empty for infrastructure.
    pub dirs: Vec<String>,
    pub infra: bool,
    pub image: Option<String>,
    pub ports: Vec<String>,
    /// Where each port is written; absent when the service has none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub port_sources: Vec<PortSourceOut>,
    /// Deployment environment, secrets and URL credentials redacted.
    pub environment: BTreeMap<String, String>,
    pub depends_on: Vec<String>,
    pub aliases: Vec<String>,
    pub file: Option<String>,
    pub line: Option<u32>,
}

/// Where one of a service's ports is written.
#[derive(Debug, Serialize)]
pub struct PortSourceOut {
    /// The port as in the service's `ports`.
    pub port: String,
    /// `compose`, `kubernetes`, `dockerfile` (`EXPOSE`) or `vscode` (a launch configuration).
    pub from: &'static str,
    pub file: String,
    pub line: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct EndpointOut {
    pub id: String,
    pub kind: &'static str,
    /// `<METHOD> <path>`.
    pub name: String,
    pub service: String,
    pub method: String,
    pub path: String,
    pub framework: String,
    pub handler: Option<String>,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Serialize)]
pub struct TableOut {
    pub id: String,
    pub kind: &'static str,
    pub name: String,
    pub store: String,
    pub file: Option<String>,
    pub line: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct QueueOut {
    pub id: String,
    pub kind: &'static str,
    pub name: String,
    pub broker: String,
}

#[derive(Debug, Serialize)]
pub struct ExternalOut {
    pub id: String,
    pub kind: &'static str,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct ModuleOut {
    pub id: String,
    pub kind: &'static str,
    pub name: String,
    pub path: String,
    pub language: &'static str,
    pub service: Option<String>,
    pub generated: bool,
    pub lines: u32,
}

#[derive(Debug, Serialize)]
pub struct PackageOut {
    pub id: String,
    pub kind: &'static str,
    pub name: String,
    pub ecosystem: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct EdgeOut {
    pub from: String,
    pub to: String,
    pub kind: &'static str,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub sites: u32,
    pub flags: Vec<&'static str>,
    /// The `tapestry: allow-cycle` reason written on every site of the edge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_cycle: Option<String>,
    /// Only on service → service `calls` edges: the endpoint ids behind the edge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Vec<String>>,
    /// Only on `calls` edges over a broker's request/reply: the queue ids the requests travel on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Analysis {
    /// Edge classes counted for cycles, paths, coupling and rules.
    pub edge_classes: Vec<String>,
    pub cycles: Vec<CycleOut>,
    pub critical_paths: Vec<CriticalPathsOut>,
    /// The longest chains of synchronous calls between services (no `declared` links, no messaging).
    pub latency_paths: Vec<PathOut>,
    pub coupling: Vec<CouplingOut>,
    pub smells: Vec<SmellOut>,
}

#[derive(Debug, Serialize)]
pub struct CriticalPathsOut {
    pub level: &'static str,
    pub paths: Vec<PathOut>,
}

#[derive(Debug, Serialize)]
pub struct PathOut {
    /// Number of edges.
    pub length: usize,
    /// Each step: one id, or the members of a collapsed cycle.
    pub steps: Vec<Vec<String>>,
}

#[derive(Debug, Serialize)]
pub struct CouplingOut {
    pub level: &'static str,
    /// Average share of the level reachable from a node (MacCormack et al.), or null when skipped.
    pub propagation_cost: Option<f64>,
    /// Why propagation cost is null, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub propagation_note: Option<String>,
    pub nodes: Vec<MetricsOut>,
    /// Only at level `service`: the calls behind each service → service edge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pairs: Option<Vec<PairOut>>,
}

#[derive(Debug, Serialize)]
pub struct PairOut {
    pub from: String,
    pub to: String,
    /// Call sites in `from`'s modules that reach `to`.
    pub calls: u32,
    /// Distinct calling modules.
    pub modules: u32,
    /// Distinct endpoints of `to` called.
    pub endpoints: u32,
}

#[derive(Debug, Serialize)]
pub struct MetricsOut {
    pub id: String,
    pub ca: u32,
    pub ce: u32,
    pub instability: f64,
    pub propagation: Option<f64>,
    pub depth: u32,
}

#[derive(Debug, Serialize)]
pub struct SmellOut {
    pub kind: &'static str,
    pub level: &'static str,
    pub nodes: Vec<String>,
    pub message: String,
    pub evidence: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct CycleOut {
    pub level: &'static str,
    pub kind: &'static str,
    pub nodes: Vec<String>,
    pub edges: Vec<[String; 2]>,
    pub path: Vec<String>,
    /// The first site of each step of `path`, in order.
    pub path_sites: Vec<SiteOut>,
    /// Elementary cycles, shortest first, at most ten.
    pub elementary: Vec<Vec<String>>,
    /// Suggested edges to remove to make the component acyclic.
    pub breakers: Vec<SiteOut>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteOut {
    pub from: String,
    pub to: String,
    pub file: String,
    pub line: u32,
    pub sites: u32,
}

impl From<&Site> for SiteOut {
    fn from(s: &Site) -> Self {
        SiteOut { from: s.from.clone(), to: s.to.clone(), file: s.file.clone(), line: s.line, sites: s.sites }
    }
}

/// Everything a scan found, before it is shaped into a report.
pub struct ScanResult<'a> {
    pub root: String,
    pub graph: &'a ArchGraph,
    pub analysis: &'a crate::analyze::Analysis,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
}

impl Report {
    pub fn build(scan: ScanResult) -> Report {
        let g = scan.graph;
        // Sorts and conversions run in parallel on the pool of the caller's `install`.
        let weights: Vec<&Node> = g.graph.node_weights().collect();
        let mut nodes: Vec<NodeOut> = weights.into_par_iter().map(node_out).collect();
        // Each graph node's rank in id order, so edges sort on integers: sorting
        // a million edges by their id strings was most of a warm re-scan of
        // 100,000 files. Ids are unique, so the order is the same.
        let mut by_id: Vec<usize> = (0..nodes.len()).collect();
        by_id.par_sort_unstable_by(|&a, &b| nodes[a].id().cmp(nodes[b].id()));
        let mut rank = vec![0; nodes.len()];
        for (r, &i) in by_id.iter().enumerate() {
            rank[i] = r;
        }
        nodes.par_sort_unstable_by(|a, b| a.id().cmp(b.id()));
        let mut edge_order: Vec<_> = (0..g.graph.edge_count())
            .into_par_iter()
            .map(petgraph::graph::EdgeIndex::new)
            .map(|e| {
                let (a, b) = g.graph.edge_endpoints(e).expect("edge of this graph");
                (rank[a.index()], rank[b.index()], g.edge(e).kind.as_str(), e)
            })
            .collect();
        edge_order.par_sort_unstable();
        let edges: Vec<EdgeOut> = edge_order
            .into_par_iter()
            .map(|(_, _, _, e)| {
                let (a, b) = g.graph.edge_endpoints(e).expect("edge of this graph");
                let w = g.edge(e);
                EdgeOut {
                    from: g.node(a).id(),
                    to: g.node(b).id(),
                    kind: w.kind.as_str(),
                    file: w.file.clone(),
                    line: w.line,
                    sites: w.sites,
                    flags: w.flags.names(),
                    allow_cycle: w.allow_cycle.clone(),
                    endpoints: (w.kind == crate::graph::EdgeKind::Calls
                        && matches!(g.node(a), Node::Service(_))
                        && matches!(g.node(b), Node::Service(_)))
                    .then(|| w.endpoints.clone()),
                    via: w.via.clone(),
                }
            })
            .collect();
        let mut stats = scan.stats;
        stats.modules = nodes.iter().filter(|n| matches!(n, NodeOut::Module(_))).count() as u64;
        stats.packages = nodes.iter().filter(|n| matches!(n, NodeOut::Package(_))).count() as u64;
        for n in &nodes {
            let kind = match n {
                NodeOut::Service(_) => "services",
                NodeOut::Endpoint(_) => "endpoints",
                NodeOut::Table(_) => "tables",
                NodeOut::Queue(_) => "queues",
                NodeOut::External(_) => "externals",
                _ => continue,
            };
            *stats.architecture.entry(kind).or_default() += 1;
        }
        for e in &edges {
            *stats.edges.entry(e.kind).or_default() += 1;
        }
        let analysis = analysis_out(scan.analysis);
        let mut diagnostics = scan.diagnostics;
        diagnostics.sort();
        diagnostics.dedup();
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool { name: "tapestry", version: env!("CARGO_PKG_VERSION") },
            root: scan.root,
            stats,
            nodes,
            edges,
            analysis,
            diagnostics,
        }
    }
}

fn level_rank(level: &str) -> u8 {
    match level {
        "module" => 0,
        "directory" => 1,
        "service" => 2,
        _ => 3,
    }
}

fn node_out(n: &Node) -> NodeOut {
    match n {
        Node::Module { path, language, service, generated, lines } => NodeOut::Module(ModuleOut {
            id: n.id(),
            kind: "module",
            name: path.clone(),
            path: path.clone(),
            language,
            service: service.clone(),
            generated: *generated,
            lines: *lines,
        }),
        Node::Package { ecosystem, name } => {
            NodeOut::Package(PackageOut { id: n.id(), kind: "package", name: name.clone(), ecosystem })
        }
        Node::Service(s) => NodeOut::Service(ServiceOut {
            id: n.id(),
            kind: "service",
            name: s.name.clone(),
            dirs: s.dirs.iter().map(|d| if d.is_empty() { ".".to_string() } else { d.clone() }).collect(),
            infra: s.infra,
            image: s.image.clone(),
            ports: s.ports.clone(),
            port_sources: s
                .port_sources
                .iter()
                .map(|x| PortSourceOut { port: x.port.clone(), from: x.from, file: x.file.clone(), line: x.line })
                .collect(),
            environment: s.environment.iter().cloned().collect(),
            depends_on: s.depends_on.clone(),
            aliases: s.aliases.clone(),
            file: s.file.clone(),
            line: s.line,
        }),
        Node::Endpoint(e) => NodeOut::Endpoint(EndpointOut {
            id: n.id(),
            kind: "endpoint",
            name: format!("{} {}", e.method, e.path),
            service: format!("service:{}", e.service),
            method: e.method.clone(),
            path: e.path.clone(),
            framework: e.framework.clone(),
            handler: e.handler.clone(),
            file: e.file.clone(),
            line: e.line,
        }),
        Node::Table { name, store, file, line } => NodeOut::Table(TableOut {
            id: n.id(),
            kind: "table",
            name: name.clone(),
            store: store.clone(),
            file: file.clone(),
            line: *line,
        }),
        Node::Queue { broker, name } => {
            NodeOut::Queue(QueueOut { id: n.id(), kind: "queue", name: name.clone(), broker: broker.clone() })
        }
        Node::External { host } => NodeOut::External(ExternalOut { id: n.id(), kind: "external", name: host.clone() }),
    }
}

fn analysis_out(a: &crate::analyze::Analysis) -> Analysis {
    let mut cycles: Vec<CycleOut> = a.cycles.iter().map(cycle_out).collect();
    cycles.sort_by(|a, b| (level_rank(a.level), a.kind, &a.nodes).cmp(&(level_rank(b.level), b.kind, &b.nodes)));
    let path_out = |p: &Vec<Vec<String>>| PathOut { length: p.len().saturating_sub(1), steps: p.clone() };
    let critical_paths = a
        .critical_paths
        .iter()
        .map(|cp| CriticalPathsOut { level: cp.level, paths: cp.paths.iter().map(path_out).collect() })
        .collect();
    let latency_paths = a.latency_paths.iter().map(path_out).collect();
    let pairs = || {
        a.service_pairs
            .iter()
            .map(|p| PairOut {
                from: p.from.clone(),
                to: p.to.clone(),
                calls: p.calls,
                modules: p.modules,
                endpoints: p.endpoints,
            })
            .collect()
    };
    let coupling = a
        .coupling
        .iter()
        .zip(&a.levels)
        .zip(&a.critical_paths)
        .map(|((c, lv), cp)| CouplingOut {
            level: c.level,
            propagation_cost: c.propagation_cost.map(round4),
            propagation_note: c.propagation_cost.is_none().then(|| {
                format!(
                    "over {} {}s: not computed at this level (memory), see the directory level",
                    crate::analyze::coupling::MAX_PROPAGATION_NODES,
                    c.level
                )
            }),
            nodes: c
                .nodes
                .iter()
                .enumerate()
                .map(|(i, m)| MetricsOut {
                    id: lv.ids[i].clone(),
                    ca: m.ca,
                    ce: m.ce,
                    instability: round4(m.instability),
                    propagation: m.propagation.map(round4),
                    depth: cp.depth[i],
                })
                .collect(),
            pairs: (c.level == "service").then(pairs),
        })
        .collect();
    let mut smells: Vec<SmellOut> = a
        .smells
        .iter()
        .map(|s| SmellOut {
            kind: s.kind,
            level: s.level,
            nodes: s.nodes.clone(),
            message: s.message.clone(),
            evidence: s.evidence.clone(),
        })
        .collect();
    smells.sort_by(|x, y| (x.kind, level_rank(x.level), &x.nodes).cmp(&(y.kind, level_rank(y.level), &y.nodes)));
    Analysis { edge_classes: a.edge_classes.clone(), cycles, critical_paths, latency_paths, coupling, smells }
}

/// Four decimals: enough for a ratio, and stable text in the report.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn cycle_out(c: &Cycle) -> CycleOut {
    CycleOut {
        level: c.level,
        kind: c.kind,
        nodes: c.nodes.clone(),
        edges: c.edges.iter().map(|e| [e.from.clone(), e.to.clone()]).collect(),
        path: c.path.clone(),
        path_sites: c.path_sites().into_iter().map(SiteOut::from).collect(),
        elementary: c.elementary.clone(),
        breakers: c.breakers.iter().map(SiteOut::from).collect(),
    }
}

/// Output formats, by name and by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Summary,
    Json,
    Dot,
    /// The self-contained interactive HTML map.
    Html,
    /// A Mermaid flowchart (service map, or modules by directory with `--level module`).
    Mermaid,
    /// A Structurizr DSL workspace with a C4 container view.
    Structurizr,
}

/// The `-o` extensions, for messages.
pub const EXTENSIONS: &str = ".json, .dot, .gv, .txt, .html, .mmd or .dsl";

impl Format {
    /// The format an output file's extension asks for.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()? {
            "json" => Some(Format::Json),
            "dot" | "gv" => Some(Format::Dot),
            "txt" => Some(Format::Summary),
            "html" | "htm" => Some(Format::Html),
            "mmd" | "mermaid" => Some(Format::Mermaid),
            "dsl" => Some(Format::Structurizr),
            _ => None,
        }
    }

    pub fn render(self, report: &Report) -> String {
        self.render_with(report, &RenderOptions::default())
    }

    /// [`Self::render_with`] into `w`; JSON is streamed, not first made a string.
    pub fn write_with(self, report: &Report, opts: &RenderOptions, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self {
            Format::Json => json::write(report, w),
            other => w.write_all(other.render_with(report, opts).as_bytes()),
        }
    }

    pub fn render_with(self, report: &Report, opts: &RenderOptions) -> String {
        match self {
            Format::Summary => summary::render(report),
            Format::Json => json::render(report),
            Format::Dot => dot::render(report),
            Format::Html => html::render(report, opts),
            Format::Mermaid => mermaid::render(report, opts.level),
            Format::Structurizr => structurizr::render(report),
        }
    }
}

/// What a Mermaid chart shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    /// Services, datastores, queues and external systems, with their calls.
    #[default]
    Service,
    /// The module graph aggregated by directory.
    Module,
}

/// Settings of the renderers that take any (the HTML map, Mermaid).
#[derive(Debug, Default)]
pub struct RenderOptions {
    /// HTML: file paths become links under this base (`http`/`https` only).
    pub link_base: Option<String>,
    /// HTML review mode: the JSON report of the base branch.
    pub compare: Option<serde_json::Value>,
    /// Mermaid: service map or modules by directory.
    pub level: Level,
}

impl RenderOptions {
    /// From the scan options: checks the link base and loads the base report,
    /// before a long scan, so a mistake fails fast (exit 2).
    pub fn from_args(args: &crate::cli::ScanArgs) -> anyhow::Result<RenderOptions> {
        let link_base = args.link_base.as_deref().map(html::check_link_base).transpose()?;
        let compare = args.compare.as_deref().map(crate::diff::load).transpose().map_err(anyhow::Error::msg)?;
        Ok(RenderOptions { link_base, compare, level: args.level })
    }
}
