//! The data the HTML map draws, built from the report read as its JSON
//! contract (and, in review mode, the base branch's report).
//!
//! Reading the contract rather than the Rust variants is deliberate, as in
//! `diff.rs`: node kinds (`service:`, `endpoint:`, `table:`, `queue:`,
//! `external:`) and edge kinds (`calls`, `reads`, `writes`, `publishes`,
//! `consumes`, `exposes`) that other stages add later light up here without a
//! change, and the base report of a review is only ever JSON.
//!
//! Everything the page needs that is not drawing is computed here: the
//! directory tree of modules (single-child chains merged), the layered order
//! of each directory's children and each box's closed size, which
//! directories start open, the service graph lifted from module facts with
//! its positions and edge routes, the matrix orders, and the review marks.

use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap};

use serde::Serialize;
use serde_json::{json, Value};

use super::html_layout::{self, Size, Tree};

/// Visible boxes the module map starts with, at most (directories open
/// breadth-first while they fit).
const OPEN_BUDGET: usize = 80;
/// Review mode opens the directories of changed modules when there are at most this many.
const OPEN_CHANGED_MAX: usize = 60;
const LEAF_H: f64 = 26.0;
/// A closed directory: its name over its module count.
const CLOSED_DIR_H: f64 = 40.0;
const SERVICE_H: f64 = 40.0;
/// Gap between a column of the service map and a column of edge slots.
const SERVICE_GAP: f64 = 28.0;
/// Height of an edge label's slot (11 px text above the edge).
const EDGE_LABEL_H: f64 = 16.0;
/// Longest edge label, in characters.
const EDGE_LABEL_CHARS: usize = 44;

/// Change status of a node or edge in review mode.
pub(super) const SAME: u8 = 0;
pub(super) const ADDED: u8 = 1;
pub(super) const REMOVED: u8 = 2;

/// Edge flag bits of the compact edge list.
const F_TYPE_ONLY: u32 = 1;
const F_DYNAMIC: u32 = 2;
const F_TEST: u32 = 4;
const F_CONDITIONAL: u32 = 8;
const F_REEXPORT: u32 = 16;
const F_CONTAINS: u32 = 32;
const F_CYCLE: u32 = 64;
const F_ALLOW_CYCLE: u32 = 128;
const F_COUNTED: u32 = 256;

pub(super) fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn opt_s(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

pub(super) fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn num(v: &Value, key: &str) -> Option<u32> {
    v.get(key).and_then(Value::as_u64).map(|n| n.min(u64::from(u32::MAX)) as u32)
}

/// The part of an id after its kind: `module:src/a.ts` → `src/a.ts`.
pub(super) fn bare(id: &str) -> &str {
    id.split_once(':').map_or(id, |(_, r)| r)
}

/// Estimated width of a label in the page's 12 px sans-serif.
fn label_width(label: &str, min: f64, max: f64) -> f64 {
    (label.chars().count() as f64 * 6.8 + 26.0).clamp(min, max)
}

// ---------------------------------------------------------------- services

/// The service map: services, datastores, tables, queues and external systems,
/// with module-level facts lifted to the services that own the modules.
#[derive(Debug, Default)]
pub(super) struct ServiceGraph {
    pub nodes: Vec<ServiceNode>,
    pub edges: Vec<ServiceEdge>,
}

#[derive(Debug, Clone)]
pub(super) struct ServiceNode {
    pub id: String,
    /// `service`, `datastore` (an infrastructure service running a database),
    /// `broker` (one running a message broker), `table`, `queue` or `external`.
    pub kind: &'static str,
    pub name: String,
    pub image: Option<String>,
    /// Ids and names of the tables a folded table node stands for (see [`fold_tables`]).
    pub members: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub(super) struct ServiceEdge {
    pub from: String,
    pub to: String,
    /// calls, reads, writes, publishes or consumes.
    pub kind: String,
    /// `METHOD path` of the endpoints behind a call, sorted.
    pub endpoints: BTreeSet<String>,
    pub protocol: Option<String>,
    pub sites: u32,
    pub file: Option<String>,
    pub line: Option<u32>,
    /// Every call behind the edge was linked by method and path alone (host unknown).
    pub inferred: bool,
}

/// Images of infrastructure services that are datastores and brokers (by name prefix).
const DATASTORE_IMAGES: &[&str] = &[
    "cassandra",
    "clickhouse",
    "cockroach",
    "couchdb",
    "dynamodb",
    "elasticsearch",
    "mariadb",
    "memcached",
    "minio",
    "mongo",
    "mssql",
    "mysql",
    "opensearch",
    "postgis",
    "postgres",
    "redis",
    "timescale",
    "valkey",
];
const BROKER_IMAGES: &[&str] = &["activemq", "kafka", "nats", "pulsar", "rabbitmq", "redpanda", "zookeeper"];

fn image_kind(image: &str) -> Option<&'static str> {
    let base = image.rsplit('/').next().unwrap_or(image).to_ascii_lowercase();
    let has = |list: &[&str]| list.iter().any(|p| base.starts_with(p) || image.contains(&format!("/{p}")));
    if has(DATASTORE_IMAGES) {
        Some("datastore")
    } else if has(BROKER_IMAGES) {
        Some("broker")
    } else {
        None
    }
}

/// `METHOD path` of an endpoint node, from its fields or its id
/// (`endpoint:<service>:<METHOD> <path>`).
pub(super) fn endpoint_label(node: Option<&Value>, id: &str) -> String {
    if let Some(n) = node {
        let method = s(n, "method");
        let path = [s(n, "path"), s(n, "route")].into_iter().find(|p| !p.is_empty()).unwrap_or("");
        if !method.is_empty() || !path.is_empty() {
            return format!("{method} {path}").trim().to_string();
        }
    }
    let rest = bare(id);
    rest.split_once(':').map_or(rest, |(_, r)| r).to_string()
}

/// Service id of an endpoint: the service exposing it, its `service` field, or its id.
fn endpoint_service(node: Option<&Value>, id: &str, exposed_by: &HashMap<&str, &str>) -> String {
    if let Some(s) = exposed_by.get(id) {
        return (*s).to_string();
    }
    if let Some(svc) = node.and_then(|n| n.get("service")).and_then(Value::as_str) {
        return if svc.starts_with("service:") { svc.to_string() } else { format!("service:{svc}") };
    }
    let rest = bare(id);
    format!("service:{}", rest.split_once(':').map_or(rest, |(svc, _)| svc))
}

pub(super) fn by_id(report: &Value) -> HashMap<&str, &Value> {
    arr(report, "nodes").iter().map(|n| (s(n, "id"), n)).collect()
}

fn exposed_by(report: &Value) -> HashMap<&str, &str> {
    arr(report, "edges").iter().filter(|e| s(e, "kind") == "exposes").map(|e| (s(e, "to"), s(e, "from"))).collect()
}

/// The service graph of a report (empty when it has no services, tables, queues or externals).
pub(super) fn service_graph(report: &Value) -> ServiceGraph {
    let nodes = by_id(report);
    let exposed = exposed_by(report);
    let mut out = ServiceGraph::default();
    for n in arr(report, "nodes") {
        let id = s(n, "id");
        let image = opt_s(n, "image");
        let kind = match s(n, "kind") {
            "service" => match image.as_deref().and_then(image_kind) {
                Some(k) if n.get("infra").and_then(Value::as_bool).unwrap_or(true) => k,
                _ => "service",
            },
            "table" => "table",
            "queue" => "queue",
            "external" => "external",
            _ => continue,
        };
        let name = [s(n, "name"), bare(id)].into_iter().find(|x| !x.is_empty()).unwrap_or(id).to_string();
        out.nodes.push(ServiceNode { id: id.to_string(), kind, name, image, members: Vec::new() });
    }
    let known: BTreeSet<&str> = out.nodes.iter().map(|n| n.id.as_str()).collect();
    // The node each fact is drawn at, and the endpoint it names.
    let owner = |id: &str| -> Option<(String, Option<String>)> {
        let kind = id.split_once(':').map_or("", |(k, _)| k);
        match kind {
            "module" => {
                let svc = nodes.get(id).and_then(|n| n.get("service")).and_then(Value::as_str)?;
                known.contains(svc).then(|| (svc.to_string(), None))
            }
            "endpoint" => {
                let node = nodes.get(id).copied();
                Some((endpoint_service(node, id, &exposed), Some(endpoint_label(node, id))))
            }
            _ => known.contains(id).then(|| (id.to_string(), None)),
        }
    };
    // Service-level edges first: their `sites` already count the module facts
    // behind them, which then only add the endpoints they name.
    let is_module_level =
        |e: &Value| ["module:", "endpoint:"].iter().any(|p| s(e, "from").starts_with(p) || s(e, "to").starts_with(p));
    let mut facts: Vec<&Value> = arr(report, "edges")
        .iter()
        .filter(|e| matches!(s(e, "kind"), "calls" | "reads" | "writes" | "publishes" | "consumes"))
        .collect();
    facts.sort_by_key(|e| is_module_level(e));
    let mut agg: BTreeMap<(String, String, String), (ServiceEdge, bool)> = BTreeMap::new();
    for e in facts {
        let kind = s(e, "kind");
        let (Some((from, _)), Some((to, endpoint))) = (owner(s(e, "from")), owner(s(e, "to"))) else { continue };
        if from == to || !known.contains(to.as_str()) {
            continue;
        }
        let lifted = is_module_level(e);
        let (edge, direct) = agg.entry((from.clone(), to.clone(), kind.to_string())).or_insert_with(|| {
            let edge = ServiceEdge {
                from,
                to,
                kind: kind.to_string(),
                endpoints: BTreeSet::new(),
                protocol: opt_s(e, "protocol"),
                sites: 0,
                file: opt_s(e, "file"),
                line: num(e, "line"),
                inferred: true,
            };
            (edge, !lifted)
        });
        if !lifted || !*direct {
            edge.sites += num(e, "sites").unwrap_or(1);
            edge.inferred &= arr(e, "flags").iter().any(|f| f.as_str() == Some("inferred"));
        }
        if edge.file.is_none() {
            edge.file = opt_s(e, "file");
            edge.line = num(e, "line");
        }
        edge.endpoints.extend(endpoint);
        for ep in arr(e, "endpoints").iter().filter_map(Value::as_str) {
            edge.endpoints.insert(endpoint_label(nodes.get(ep).copied(), ep));
        }
    }
    out.edges = agg.into_values().map(|(e, _)| e).collect();
    out
}

/// Tables a service map draws one by one, at most; beyond it they are folded.
pub(super) const MAX_TABLES: usize = 12;

/// Folds the tables of a map with more than [`MAX_TABLES`] of them into one
/// node per set of services using them ("84 tables" read and written by
/// `api`), so a monolith with a hundred tables stays a map of its services;
/// the Tables view still lists each one. A set of one table stays as it is.
pub(super) fn fold_tables(g: &mut ServiceGraph) {
    if g.nodes.iter().filter(|n| n.kind == "table").count() <= MAX_TABLES {
        return;
    }
    let mut users: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for n in g.nodes.iter().filter(|n| n.kind == "table") {
        users.insert(&n.id, BTreeSet::new());
    }
    for e in &g.edges {
        if let Some(u) = users.get_mut(e.to.as_str()) {
            u.insert(&e.from);
        }
    }
    let mut groups: BTreeMap<Vec<&str>, Vec<&str>> = BTreeMap::new();
    for (table, u) in &users {
        groups.entry(u.iter().copied().collect()).or_default().push(table);
    }
    let names: HashMap<&str, &str> = g.nodes.iter().map(|n| (n.id.as_str(), n.name.as_str())).collect();
    let mut into: HashMap<String, String> = HashMap::new();
    let mut folded = Vec::new();
    for (u, tables) in groups.iter().filter(|(_, t)| t.len() > 1) {
        let id = format!("tables:{}", u.join(","));
        let mut members: Vec<(String, String)> =
            tables.iter().map(|t| ((*t).to_string(), names[t].to_string())).collect();
        members.sort_by(|a, b| a.1.cmp(&b.1));
        for t in tables {
            into.insert((*t).to_string(), id.clone());
        }
        let name = format!("{} tables", tables.len());
        folded.push(ServiceNode { id, kind: "table", name, image: None, members });
    }
    g.nodes.retain(|n| !into.contains_key(&n.id));
    g.nodes.extend(folded);
    let mut edges: BTreeMap<(String, String, String), ServiceEdge> = BTreeMap::new();
    for mut e in std::mem::take(&mut g.edges) {
        if let Some(to) = into.get(&e.to) {
            e.to.clone_from(to);
        }
        match edges.entry((e.from.clone(), e.to.clone(), e.kind.clone())) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(e);
            }
            std::collections::btree_map::Entry::Occupied(mut o) => o.get_mut().sites += e.sites,
        }
    }
    g.edges = edges.into_values().collect();
}

// ---------------------------------------------------------------- the page data

#[derive(Serialize)]
pub(super) struct MapData {
    meta: Meta,
    /// The module map: a tree in pre-order, node 0 the root.
    tree: Vec<TreeNode>,
    /// The layered order of the children of each directory and group, for
    /// the page to place at the sizes of what is open.
    scopes: Vec<ScopeData>,
    /// Module-level edges: [from, to, line, sites, flags, status], ends as tree indexes.
    edges: Vec<[u32; 6]>,
    /// Facts of modules other than imports: [tree index, kind, target id, line].
    facts: Vec<(u32, String, String, u32)>,
    services: ServiceMap,
    endpoints: Vec<EndpointRow>,
    tables: Vec<TableRow>,
    cycles: Vec<Value>,
    critical_paths: Value,
    /// Service level: the longest chains of synchronous calls (as in the report).
    latency_paths: Value,
    coupling: Value,
    smells: Value,
    diagnostics: Value,
    dsm: Vec<DsmLevel>,
    /// Review mode: what `tapestry diff` says changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<Value>,
}

#[derive(Serialize)]
struct Meta {
    root: String,
    version: String,
    stats: Value,
    edge_classes: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    link_base: Option<String>,
    review: bool,
    base_root: Option<String>,
}

#[derive(Serialize, Clone)]
struct TreeNode {
    id: String,
    /// root, dir, module, group (package groups) or package.
    k: &'static str,
    /// Label: a file name, a directory relative to its parent, a package name.
    n: String,
    /// Parent index, -1 for the root.
    p: i64,
    /// Size when closed (a leaf's only size).
    w: i64,
    h: i64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    open: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lines: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    svc: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    eco: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    generated: bool,
    /// Modules below (directories and groups: packages below).
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<u32>,
    #[serde(skip_serializing_if = "is_same")]
    st: u8,
}

fn is_same(st: &u8) -> bool {
    *st == SAME
}

#[derive(Serialize, Default)]
struct ServiceMap {
    nodes: Vec<ServiceMapNode>,
    edges: Vec<ServiceMapEdge>,
    w: i64,
    h: i64,
}

#[derive(Serialize)]
struct ServiceMapNode {
    id: String,
    k: &'static str,
    n: String,
    /// The tables a folded node stands for: id and name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    members: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    x: i64,
    y: i64,
    w: i64,
    h: i64,
    #[serde(skip_serializing_if = "is_same")]
    st: u8,
}

#[derive(Serialize)]
struct ServiceMapEdge {
    from: usize,
    to: usize,
    k: String,
    endpoints: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    protocol: Option<String>,
    sites: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "is_same")]
    st: u8,
    /// Linked by method and path alone (`inferred` on every call behind it).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    inf: bool,
    /// The columns the edge crosses, each `[left, right, y]`, from `from` to `to`.
    route: Vec<[i64; 3]>,
    /// Text and bottom centre of the label's slot.
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<(String, i64, i64)>,
}

/// The label of a service-map edge: the endpoints of a call (two, then a
/// count), its protocol when it names none, or what a data edge does.
fn edge_label(e: &ServiceEdge) -> String {
    let text = match e.kind.as_str() {
        "calls" if e.endpoints.is_empty() => e.protocol.clone().unwrap_or_default(),
        "calls" => {
            let mut t = e.endpoints.iter().take(2).cloned().collect::<Vec<_>>().join(", ");
            if e.endpoints.len() > 2 {
                t = format!("{t} +{}", e.endpoints.len() - 2);
            }
            t
        }
        k => k.to_string(),
    };
    if text.chars().count() <= EDGE_LABEL_CHARS {
        return text;
    }
    let mut t: String = text.chars().take(EDGE_LABEL_CHARS - 1).collect();
    t.push('…');
    t
}

#[derive(Serialize)]
struct EndpointRow {
    id: String,
    service: String,
    method: String,
    path: String,
    file: Option<String>,
    line: Option<u32>,
    handler: Option<String>,
    #[serde(skip_serializing_if = "is_same")]
    st: u8,
}

/// Who (service or module id), how (reads or writes), file, line, and the
/// service owning a module that does it.
type Access = (String, String, Option<String>, Option<u32>, Option<String>);

#[derive(Serialize)]
struct TableRow {
    id: String,
    name: String,
    access: Vec<Access>,
    #[serde(skip_serializing_if = "is_same")]
    st: u8,
}

/// [`html_layout::Scope`] of tree node `at`, in tree indexes.
#[derive(Serialize)]
struct ScopeData {
    at: usize,
    cols: Vec<Vec<usize>>,
    loose: Vec<usize>,
    links: Vec<(usize, usize)>,
}

#[derive(Serialize)]
struct DsmLevel {
    level: &'static str,
    /// Tree indexes in matrix order: dependencies first, cycles contiguous.
    order: Vec<usize>,
    /// Cyclic blocks: [first position, length].
    blocks: Vec<[usize; 2]>,
}

/// Builds the page data from the report (and the base report in review mode).
pub(super) fn build(report: &Value, base: Option<&Value>, link_base: Option<&str>) -> MapData {
    let mut tree = TreeBuilder::default();
    let cur_ids: BTreeSet<&str> = arr(report, "nodes").iter().map(|n| s(n, "id")).collect();
    for n in arr(report, "nodes") {
        tree.add(n, SAME);
    }
    let ghosts: Vec<&Value> =
        base.map(|b| arr(b, "nodes").iter().filter(|n| !cur_ids.contains(s(n, "id"))).collect()).unwrap_or_default();
    for n in &ghosts {
        tree.add(n, REMOVED);
    }
    if let Some(b) = base {
        let old: BTreeSet<&str> = arr(b, "nodes").iter().map(|n| s(n, "id")).collect();
        tree.mark_added(&old);
    }
    let (mut nodes, index) = tree.finish();
    let edges = module_edges(report, base, &index);
    let scopes = tree_scopes(&nodes, &edges);
    size_closed(&mut nodes);
    open_by_default(&mut nodes, &edges, base.is_some());
    let dsm = vec![dsm_level(&nodes, &edges, false), dsm_level(&nodes, &edges, true)];
    let facts = module_facts(report, &index);
    let changes = base.map(|b| serde_json::to_value(crate::diff::diff(b, report)).expect("plain data"));
    let analysis = report.get("analysis").cloned().unwrap_or(Value::Null);
    MapData {
        meta: Meta {
            root: s(report, "root").to_string(),
            version: report.pointer("/tool/version").and_then(Value::as_str).unwrap_or("").to_string(),
            stats: report.get("stats").cloned().unwrap_or(Value::Null),
            edge_classes: analysis.get("edge_classes").cloned().unwrap_or(json!([])),
            link_base: link_base.map(str::to_string),
            review: base.is_some(),
            base_root: base.map(|b| s(b, "root").to_string()),
        },
        tree: nodes,
        scopes,
        edges,
        facts,
        services: service_map(report, base),
        endpoints: endpoint_rows(report, base),
        tables: table_rows(report, base),
        cycles: cycles(report, base),
        critical_paths: critical_paths(analysis.get("critical_paths"), &index),
        latency_paths: analysis.get("latency_paths").cloned().unwrap_or(json!([])),
        coupling: analysis.get("coupling").cloned().unwrap_or(json!([])),
        smells: smells(analysis.get("smells")),
        diagnostics: report.get("diagnostics").cloned().unwrap_or(json!([])),
        dsm,
        changes,
    }
}

/// Collects modules and packages into a directory tree.
#[derive(Default)]
struct TreeBuilder {
    /// Directory path ("" for the root) → its modules (path → node).
    dirs: BTreeMap<String, BTreeMap<String, TreeNode>>,
    /// Package group (third-party, builtin) → ecosystem → packages by id.
    packages: BTreeMap<&'static str, BTreeMap<String, BTreeMap<String, TreeNode>>>,
}

const BUILTIN_ECOSYSTEMS: &[&str] = &["node-builtin", "python-stdlib", "rust-std"];

fn leaf(id: &str, k: &'static str, label: String, st: u8) -> TreeNode {
    let w = label_width(&label, 64.0, 260.0) as i64;
    TreeNode {
        id: id.to_string(),
        k,
        n: label,
        p: 0,
        w,
        h: LEAF_H as i64,
        open: false,
        path: None,
        lang: None,
        lines: None,
        svc: None,
        eco: None,
        generated: false,
        count: None,
        st,
    }
}

impl TreeBuilder {
    fn add(&mut self, n: &Value, st: u8) {
        let id = s(n, "id");
        match s(n, "kind") {
            "module" => {
                let path = s(n, "path").to_string();
                let (dir, file) = path.rsplit_once('/').unwrap_or(("", &path));
                let mut node = leaf(id, "module", file.to_string(), st);
                node.lang = opt_s(n, "language");
                node.lines = num(n, "lines");
                node.svc = opt_s(n, "service");
                node.generated = n.get("generated").and_then(Value::as_bool).unwrap_or(false);
                node.path = Some(path.clone());
                let mut d = dir.to_string();
                loop {
                    self.dirs.entry(d.clone()).or_default();
                    match d.rsplit_once('/') {
                        Some((p, _)) => d = p.to_string(),
                        None if !d.is_empty() => d = String::new(),
                        None => break,
                    }
                }
                self.dirs.entry(dir.to_string()).or_default().insert(path, node);
            }
            "package" => {
                let eco = s(n, "ecosystem").to_string();
                let group = if BUILTIN_ECOSYSTEMS.contains(&eco.as_str()) { "builtin" } else { "third-party" };
                let mut node = leaf(id, "package", s(n, "name").to_string(), st);
                node.eco = Some(eco.clone());
                self.packages.entry(group).or_default().entry(eco).or_default().insert(id.to_string(), node);
            }
            _ => {}
        }
    }

    /// In review mode, everything the base did not have is added.
    fn mark_added(&mut self, old: &BTreeSet<&str>) {
        let all = self.dirs.values_mut().flat_map(|m| m.values_mut());
        let pkgs = self.packages.values_mut().flat_map(|e| e.values_mut()).flat_map(|m| m.values_mut());
        for n in all.chain(pkgs) {
            if n.st == SAME && !old.contains(n.id.as_str()) {
                n.st = ADDED;
            }
        }
    }

    /// The tree in pre-order and an index from id to position.
    fn finish(self) -> (Vec<TreeNode>, HashMap<String, usize>) {
        let mut out = Vec::new();
        let mut root = leaf("directory:.", "root", ".".to_string(), SAME);
        root.p = -1;
        out.push(root);
        let children = child_dirs(&self.dirs);
        self.emit_dir("", "", 0, &children, &mut out);
        for (group, ecos) in &self.packages {
            let g = out.len();
            let mut node = leaf(&format!("group:{group}"), "group", (*group).to_string(), SAME);
            node.p = 0;
            out.push(node);
            for (eco, pkgs) in ecos {
                let e = out.len();
                let mut node = leaf(&format!("group:{eco}"), "group", eco.clone(), SAME);
                node.p = g as i64;
                out.push(node);
                for p in pkgs.values() {
                    let mut p = p.clone();
                    p.p = e as i64;
                    out.push(p);
                }
            }
        }
        count_below(&mut out);
        let index = out.iter().enumerate().map(|(i, n)| (n.id.clone(), i)).collect();
        (out, index)
    }

    /// Emits directory `dir` (already at `at`, or the root) and everything below it.
    fn emit_dir(
        &self,
        dir: &str,
        shown_as: &str,
        at: usize,
        children: &BTreeMap<&str, Vec<&str>>,
        out: &mut Vec<TreeNode>,
    ) {
        for sub in children.get(dir).map(Vec::as_slice).unwrap_or_default() {
            // Merge chains of directories that hold only one directory.
            let mut deepest = *sub;
            while self.dirs[deepest].is_empty() && children.get(deepest).is_some_and(|c| c.len() == 1) {
                deepest = children[deepest][0];
            }
            let label = deepest.strip_prefix(shown_as).unwrap_or(deepest).trim_start_matches('/');
            let i = out.len();
            let mut node = leaf(&format!("directory:{deepest}"), "dir", label.to_string(), SAME);
            node.p = at as i64;
            node.path = Some(deepest.to_string());
            out.push(node);
            self.emit_dir(deepest, deepest, i, children, out);
        }
        for m in self.dirs.get(dir).into_iter().flat_map(BTreeMap::values) {
            let mut m = m.clone();
            m.p = at as i64;
            out.push(m);
        }
    }
}

fn child_dirs(dirs: &BTreeMap<String, BTreeMap<String, TreeNode>>) -> BTreeMap<&str, Vec<&str>> {
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for d in dirs.keys().filter(|d| !d.is_empty()) {
        let parent = d.rsplit_once('/').map_or("", |(p, _)| p);
        children.entry(parent).or_default().push(d);
    }
    children
}

/// Modules (or packages) below each directory or group, and lines below directories.
fn count_below(nodes: &mut [TreeNode]) {
    let mut count = vec![0u32; nodes.len()];
    let mut lines = vec![0u32; nodes.len()];
    for i in (1..nodes.len()).rev() {
        if matches!(nodes[i].k, "module" | "package") && nodes[i].st != REMOVED {
            count[i] += 1;
            lines[i] += nodes[i].lines.unwrap_or(0);
        }
        let p = nodes[i].p as usize;
        count[p] += count[i];
        lines[p] = lines[p].saturating_add(lines[i]);
    }
    for (i, n) in nodes.iter_mut().enumerate() {
        if matches!(n.k, "dir" | "group" | "root") {
            n.count = Some(count[i]);
            if n.k != "group" {
                n.lines = Some(lines[i]);
            }
        }
    }
}

fn edge_flags(e: &Value, classes: &BTreeSet<&str>) -> u32 {
    let mut f = 0;
    let mut edge_classes: Vec<&str> = Vec::new();
    // `inferred` and `env_named` say how a call was linked, not an edge class: they never hide the edge.
    for flag in arr(e, "flags").iter().filter_map(Value::as_str).filter(|f| !matches!(*f, "inferred" | "env_named")) {
        f |= match flag {
            "type_only" => F_TYPE_ONLY,
            "dynamic" => F_DYNAMIC,
            "test" => F_TEST,
            "conditional" => F_CONDITIONAL,
            "reexport" => F_REEXPORT,
            _ => 0,
        };
        edge_classes.push(flag);
    }
    if f & (F_TYPE_ONLY | F_DYNAMIC | F_TEST | F_CONDITIONAL) == 0 {
        edge_classes.push("static");
    }
    if s(e, "kind") == "contains" {
        f |= F_CONTAINS;
    } else if edge_classes.iter().all(|c| classes.contains(c)) {
        f |= F_COUNTED;
    }
    if e.get("allow_cycle").is_some_and(|a| !a.is_null()) {
        f |= F_ALLOW_CYCLE;
    }
    f
}

/// Module and package edges as tree indexes, the base's vanished ones marked removed.
fn module_edges(report: &Value, base: Option<&Value>, index: &HashMap<String, usize>) -> Vec<[u32; 6]> {
    let classes: BTreeSet<&str> =
        arr(report.get("analysis").unwrap_or(&Value::Null), "edge_classes").iter().filter_map(Value::as_str).collect();
    let cycle_edges: BTreeSet<(&str, &str)> = arr(report.get("analysis").unwrap_or(&Value::Null), "cycles")
        .iter()
        .filter(|c| s(c, "level") == "module" && s(c, "kind") == "runtime")
        .flat_map(|c| arr(c, "edges").iter().filter_map(|e| Some((e.get(0)?.as_str()?, e.get(1)?.as_str()?))))
        .collect();
    let key = |e: &Value| (s(e, "from").to_string(), s(e, "to").to_string(), s(e, "kind").to_string());
    let old: BTreeSet<(String, String, String)> =
        base.map(|b| arr(b, "edges").iter().map(key).collect()).unwrap_or_default();
    let mut out = Vec::new();
    let mut push = |e: &Value, st: u8| {
        if !matches!(s(e, "kind"), "imports" | "contains") {
            return;
        }
        let (Some(&a), Some(&b)) = (index.get(s(e, "from")), index.get(s(e, "to"))) else { return };
        let mut flags = edge_flags(e, &classes);
        if cycle_edges.contains(&(s(e, "from"), s(e, "to"))) && flags & F_CONTAINS == 0 {
            flags |= F_CYCLE;
        }
        out.push([a as u32, b as u32, num(e, "line").unwrap_or(0), num(e, "sites").unwrap_or(1), flags, u32::from(st)]);
    };
    let new: BTreeSet<(String, String, String)> = arr(report, "edges").iter().map(key).collect();
    for e in arr(report, "edges") {
        push(e, if base.is_some() && !old.contains(&key(e)) { ADDED } else { SAME });
    }
    for e in base.map(|b| arr(b, "edges")).unwrap_or_default() {
        if !new.contains(&key(e)) {
            push(e, REMOVED);
        }
    }
    out
}

/// Non-import facts of modules (reads, writes, calls…) for the details panel.
fn module_facts(report: &Value, index: &HashMap<String, usize>) -> Vec<(u32, String, String, u32)> {
    arr(report, "edges")
        .iter()
        .filter(|e| !matches!(s(e, "kind"), "imports" | "contains"))
        .filter_map(|e| {
            let &m = index.get(s(e, "from"))?;
            Some((m as u32, s(e, "kind").to_string(), s(e, "to").to_string(), num(e, "line").unwrap_or(0)))
        })
        .collect()
}

/// The layered order of every directory's and group's children by the imports.
fn tree_scopes(nodes: &[TreeNode], edges: &[[u32; 6]]) -> Vec<ScopeData> {
    let parent: Vec<usize> = nodes.iter().map(|n| if n.p < 0 { usize::MAX } else { n.p as usize }).collect();
    let pairs: Vec<(usize, usize)> =
        edges.iter().filter(|e| e[4] & F_CONTAINS == 0).map(|e| (e[0] as usize, e[1] as usize)).collect();
    let scopes = html_layout::scopes(&Tree { parent: &parent, edges: &pairs });
    scopes
        .into_iter()
        .enumerate()
        .filter_map(|(at, s)| s.map(|s| ScopeData { at, cols: s.cols, loose: s.loose, links: s.links }))
        .collect()
}

/// Closed directories and groups are as wide as their name or their count
/// ("1,204 modules") and a little taller than a module; the page draws them
/// so when closed and sizes them by what they hold when open.
fn size_closed(nodes: &mut [TreeNode]) {
    for n in nodes.iter_mut().filter(|n| matches!(n.k, "dir" | "group" | "root")) {
        let label = if n.k == "dir" { format!("{}/", n.n) } else { n.n.clone() };
        let count = format!("{} modules", n.count.unwrap_or(0));
        n.w = (label_width(&label, 90.0, 320.0) + 8.0).max(label_width(&count, 90.0, 320.0)) as i64;
        n.h = CLOSED_DIR_H as i64;
    }
}

/// Opens directories breadth-first while the visible boxes fit the budget,
/// and in review mode the directories of changed modules.
fn open_by_default(nodes: &mut [TreeNode], edges: &[[u32; 6]], review: bool) {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for i in 1..nodes.len() {
        children[nodes[i].p as usize].push(i);
    }
    nodes[0].open = true;
    let mut visible = children[0].len();
    let mut queue: std::collections::VecDeque<usize> = children[0].iter().copied().collect();
    while let Some(d) = queue.pop_front() {
        if children[d].is_empty() {
            continue;
        }
        if visible - 1 + children[d].len() > OPEN_BUDGET {
            continue;
        }
        visible += children[d].len() - 1;
        nodes[d].open = true;
        queue.extend(children[d].iter().copied());
    }
    if review {
        let changed: BTreeSet<usize> = nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.k == "module" && n.st != SAME)
            .map(|(i, _)| i)
            .chain(edges.iter().filter(|e| e[5] != u32::from(SAME)).flat_map(|e| [e[0] as usize, e[1] as usize]))
            .collect();
        if changed.len() <= OPEN_CHANGED_MAX {
            for mut i in changed {
                while nodes[i].p >= 0 {
                    i = nodes[i].p as usize;
                    nodes[i].open = true;
                }
            }
        }
    }
}

/// Matrix order of one level: strongly connected components contiguous,
/// dependencies before their dependents (so the counted edges fall below the
/// diagonal and cycles show as blocks on it), ties by path so directories
/// stay together.
fn dsm_level(nodes: &[TreeNode], edges: &[[u32; 6]], directories: bool) -> DsmLevel {
    let members: Vec<usize> = if directories {
        let mut d: BTreeSet<usize> = BTreeSet::new();
        for n in nodes.iter().filter(|n| n.k == "module" && n.st != REMOVED) {
            d.insert(n.p as usize);
        }
        d.into_iter().collect()
    } else {
        (0..nodes.len()).filter(|&i| nodes[i].k == "module" && nodes[i].st != REMOVED).collect()
    };
    let pos: HashMap<usize, usize> = members.iter().enumerate().map(|(i, &m)| (m, i)).collect();
    let lift = |v: u32| -> Option<usize> {
        let v = v as usize;
        if nodes[v].k != "module" {
            return None;
        }
        pos.get(&if directories { nodes[v].p as usize } else { v }).copied()
    };
    let mut g = petgraph::graph::DiGraph::<(), ()>::with_capacity(members.len(), edges.len());
    for _ in &members {
        g.add_node(());
    }
    let mut seen = BTreeSet::new();
    for e in edges.iter().filter(|e| e[4] & F_COUNTED != 0 && e[5] != u32::from(REMOVED)) {
        if let (Some(a), Some(b)) = (lift(e[0]), lift(e[1])) {
            if a != b && seen.insert((a, b)) {
                g.add_edge(petgraph::graph::NodeIndex::new(a), petgraph::graph::NodeIndex::new(b), ());
            }
        }
    }
    let sccs = petgraph::algo::tarjan_scc(&g);
    let mut comp = vec![0usize; members.len()];
    for (c, scc) in sccs.iter().enumerate() {
        for v in scc {
            comp[v.index()] = c;
        }
    }
    // Kahn over the condensation, dependencies first; ties by smallest path.
    let key = |c: usize| sccs[c].iter().map(|v| nodes[members[v.index()]].id.as_str()).min().unwrap_or("");
    let mut waiting = vec![0usize; sccs.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); sccs.len()];
    for &(a, b) in &seen {
        let (ca, cb) = (comp[a], comp[b]);
        if ca != cb {
            waiting[ca] += 1;
            dependents[cb].push(ca);
        }
    }
    let mut heap: BinaryHeap<std::cmp::Reverse<(&str, usize)>> =
        (0..sccs.len()).filter(|&c| waiting[c] == 0).map(|c| std::cmp::Reverse((key(c), c))).collect();
    let (mut order, mut blocks) = (Vec::new(), Vec::new());
    while let Some(std::cmp::Reverse((_, c))) = heap.pop() {
        let mut m: Vec<usize> = sccs[c].iter().map(|v| members[v.index()]).collect();
        m.sort_by(|a, b| nodes[*a].id.cmp(&nodes[*b].id));
        if m.len() > 1 {
            blocks.push([order.len(), m.len()]);
        }
        order.extend(m);
        for &d in &dependents[c] {
            waiting[d] -= 1;
            if waiting[d] == 0 {
                heap.push(std::cmp::Reverse((key(d), d)));
            }
        }
    }
    DsmLevel { level: if directories { "directory" } else { "module" }, order, blocks }
}

/// The service map with positions; in review mode the base's vanished nodes and edges too.
fn service_map(report: &Value, base: Option<&Value>) -> ServiceMap {
    let mut cur = service_graph(report);
    let mut old = base.map(service_graph).unwrap_or_default();
    fold_tables(&mut cur);
    fold_tables(&mut old);
    let review = base.is_some();
    let nodes: Vec<(ServiceNode, u8)> = with_status(&cur.nodes, &old.nodes, review, |n| n.id.as_str())
        .into_iter()
        .map(|(n, st)| (n.clone(), st))
        .collect();
    let edges: Vec<(&ServiceEdge, u8)> =
        with_status(&cur.edges, &old.edges, review, |e| (e.from.as_str(), e.to.as_str(), e.kind.as_str()));
    let index: HashMap<&str, usize> = nodes.iter().enumerate().map(|(i, (n, _))| (n.id.as_str(), i)).collect();
    let sizes: Vec<Size> = nodes
        .iter()
        .map(|(n, _)| {
            // As the page draws it: services say only "service".
            let caption = match &n.image {
                Some(img) if n.kind != "service" => format!("{} · {}", n.kind, img.rsplit('/').next().unwrap_or(img)),
                _ => n.kind.to_string(),
            };
            let w = label_width(&n.name, 110.0, 280.0).max(label_width(&caption, 110.0, 240.0) - 8.0);
            Size { w, h: SERVICE_H }
        })
        .collect();
    let drawn: Vec<(&ServiceEdge, u8, usize, usize)> = edges
        .iter()
        .filter_map(|&(e, st)| Some((e, st, *index.get(e.from.as_str())?, *index.get(e.to.as_str())?)))
        .collect();
    let pairs: Vec<(usize, usize)> = drawn.iter().map(|&(_, _, a, b)| (a, b)).collect();
    let texts: Vec<String> = drawn.iter().map(|(e, ..)| edge_label(e)).collect();
    let label_sizes: Vec<Option<Size>> = texts
        .iter()
        .map(|t| (!t.is_empty()).then(|| Size { w: t.chars().count() as f64 * 6.2 + 8.0, h: EDGE_LABEL_H }))
        .collect();
    let layout = html_layout::routed(&sizes, &pairs, &label_sizes, SERVICE_GAP);
    let (pos, total) = (layout.pos, layout.total);
    let round = |v: f64| v.round() as i64;
    let map_edges = drawn
        .iter()
        .zip(texts)
        .zip(layout.routes.iter().zip(&layout.labels))
        .map(|(((e, st, from, to), label), (route, at))| ServiceMapEdge {
            from: *from,
            to: *to,
            k: e.kind.clone(),
            endpoints: e.endpoints.iter().cloned().collect(),
            protocol: e.protocol.clone(),
            sites: e.sites,
            file: e.file.clone(),
            line: e.line,
            st: *st,
            inf: e.inferred,
            route: route.iter().map(|p| p.map(round)).collect(),
            label: at.map(|(x, y)| (label, round(x), round(y))),
        })
        .collect();
    ServiceMap {
        nodes: nodes
            .into_iter()
            .zip(pos)
            .zip(&sizes)
            .map(|(((n, st), (x, y)), sz)| ServiceMapNode {
                id: n.id,
                k: n.kind,
                n: n.name,
                image: n.image,
                members: n.members,
                x: x.round() as i64,
                y: y.round() as i64,
                w: sz.w.round() as i64,
                h: sz.h.round() as i64,
                st,
            })
            .collect(),
        edges: map_edges,
        w: total.w.round() as i64,
        h: total.h.round() as i64,
    }
}

/// The status of each item of `cur` (added when `old` has none with its
/// key, in review mode), then `old`'s items that vanished, marked removed:
/// service nodes and edges, endpoints, tables.
fn with_status<'a, T, K: Ord>(cur: &'a [T], old: &'a [T], review: bool, key: impl Fn(&'a T) -> K) -> Vec<(&'a T, u8)> {
    let (c, o): (BTreeSet<K>, BTreeSet<K>) = (cur.iter().map(&key).collect(), old.iter().map(&key).collect());
    let mut out: Vec<(&T, u8)> =
        cur.iter().map(|n| (n, if review && !o.contains(&key(n)) { ADDED } else { SAME })).collect();
    out.extend(old.iter().filter(|n| !c.contains(&key(n))).map(|n| (n, REMOVED)));
    out
}

fn of_kind(r: Option<&Value>, kind: &str) -> Vec<Value> {
    r.map(|r| arr(r, "nodes").iter().filter(|n| s(n, "kind") == kind).cloned().collect()).unwrap_or_default()
}

fn endpoint_rows(report: &Value, base: Option<&Value>) -> Vec<EndpointRow> {
    let (cur, old) = (of_kind(Some(report), "endpoint"), of_kind(base, "endpoint"));
    let exposed = exposed_by(report);
    let base_exposed = base.map(exposed_by).unwrap_or_default();
    with_status(&cur, &old, base.is_some(), |n| s(n, "id"))
        .into_iter()
        .map(|(n, st)| {
            let id = s(n, "id");
            let ex = if st == REMOVED { &base_exposed } else { &exposed };
            let label = endpoint_label(Some(n), id);
            let (method, path) = label.split_once(' ').unwrap_or(("", &label));
            EndpointRow {
                id: id.to_string(),
                service: endpoint_service(Some(n), id, ex),
                method: opt_s(n, "method").unwrap_or_else(|| method.to_string()),
                path: [opt_s(n, "path"), opt_s(n, "route")].into_iter().flatten().next().unwrap_or(path.to_string()),
                file: opt_s(n, "file"),
                line: num(n, "line"),
                handler: opt_s(n, "handler"),
                st,
            }
        })
        .collect()
}

fn table_rows(report: &Value, base: Option<&Value>) -> Vec<TableRow> {
    let (cur, old) = (of_kind(Some(report), "table"), of_kind(base, "table"));
    let access_of = |r: &Value| {
        let nodes = by_id(r);
        let mut m: BTreeMap<String, Vec<Access>> = BTreeMap::new();
        for e in arr(r, "edges").iter().filter(|e| matches!(s(e, "kind"), "reads" | "writes")) {
            let from = s(e, "from");
            let service = nodes.get(from).and_then(|n| opt_s(n, "service")).filter(|svc| svc != from);
            m.entry(s(e, "to").to_string()).or_default().push((
                from.to_string(),
                s(e, "kind").to_string(),
                opt_s(e, "file"),
                num(e, "line"),
                service,
            ));
        }
        m
    };
    let (mut a_cur, mut a_old) = (access_of(report), base.map(access_of).unwrap_or_default());
    with_status(&cur, &old, base.is_some(), |n| s(n, "id"))
        .into_iter()
        .map(|(n, st)| {
            let id = s(n, "id").to_string();
            let access = if st == REMOVED { a_old.remove(&id) } else { a_cur.remove(&id) }.unwrap_or_default();
            let name = [s(n, "name"), bare(&id)].into_iter().find(|x| !x.is_empty()).unwrap_or("").to_string();
            TableRow { id, name, access, st }
        })
        .collect()
}

/// Members listed per smell and evidence lines, at most: the page shows fewer.
const SMELL_LIST_MAX: usize = 100;

/// Smells with long member and evidence lists cut (the totals kept).
fn smells(list: Option<&Value>) -> Value {
    let mut list = list.cloned().unwrap_or(json!([]));
    for smell in list.as_array_mut().into_iter().flatten() {
        for key in ["nodes", "evidence"] {
            if let Some(a) = smell.get_mut(key).and_then(Value::as_array_mut) {
                let total = a.len();
                a.truncate(SMELL_LIST_MAX);
                smell[format!("{key}_total")] = json!(total);
            }
        }
    }
    list
}

/// Critical paths with module and directory ids as tree indexes: a step that
/// is a collapsed cycle can hold thousands of members, repeated per path.
fn critical_paths(list: Option<&Value>, index: &HashMap<String, usize>) -> Value {
    let mut list = list.cloned().unwrap_or(json!([]));
    for level in list.as_array_mut().into_iter().flatten() {
        for path in level.get_mut("paths").and_then(Value::as_array_mut).into_iter().flatten() {
            for step in path.get_mut("steps").and_then(Value::as_array_mut).into_iter().flatten() {
                for id in step.as_array_mut().into_iter().flatten() {
                    if let Some(&i) = id.as_str().and_then(|s| index.get(s)) {
                        *id = json!(i);
                    }
                }
            }
        }
    }
    list
}

/// Cycles with a status in review mode, keyed as `tapestry diff` keys them.
/// The edges inside module and directory cycles are left out: they are the
/// counted edges between members, which the page finds in the edge list
/// (a tangle of 5,000 modules has 30,000 of them).
fn cycles(report: &Value, base: Option<&Value>) -> Vec<Value> {
    let list = |r: &Value| arr(r.get("analysis").unwrap_or(&Value::Null), "cycles").to_vec();
    let key = |c: &Value| {
        let members: Vec<&str> = arr(c, "nodes").iter().filter_map(Value::as_str).map(bare).collect();
        format!("{} {}: {}", s(c, "level"), s(c, "kind"), members.join(", "))
    };
    let (cur, old) = (list(report), base.map(list).unwrap_or_default());
    let old_keys: BTreeSet<String> = old.iter().map(key).collect();
    let cur_keys: BTreeSet<String> = cur.iter().map(key).collect();
    let mut out = Vec::new();
    let slim = |c: &mut Value| {
        if s(c, "level") != "service" {
            if let Some(o) = c.as_object_mut() {
                o.remove("edges");
            }
        }
    };
    for mut c in cur {
        slim(&mut c);
        let st = if base.is_some() && !old_keys.contains(&key(&c)) { ADDED } else { SAME };
        c["st"] = json!(st);
        c["key"] = json!(key(&c));
        out.push(c);
    }
    for mut c in old.into_iter().filter(|c| !cur_keys.contains(&key(c))) {
        slim(&mut c);
        c["st"] = json!(REMOVED);
        c["key"] = json!(key(&c));
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Value {
        json!({
            "schema_version": 1, "root": "r", "tool": {"name": "tapestry", "version": "0"},
            "nodes": [
                {"id": "module:src/api/a.ts", "kind": "module", "path": "src/api/a.ts", "service": "service:api"},
                {"id": "module:src/api/b.ts", "kind": "module", "path": "src/api/b.ts", "service": "service:api"},
                {"id": "module:src/db/pool.ts", "kind": "module", "path": "src/db/pool.ts"},
                {"id": "package:npm:react", "kind": "package", "name": "react", "ecosystem": "npm"},
                {"id": "package:node-builtin:fs", "kind": "package", "name": "fs", "ecosystem": "node-builtin"},
                {"id": "service:api", "kind": "service", "name": "api"},
                {"id": "service:users", "kind": "service", "name": "users"},
                {"id": "service:pg", "kind": "service", "name": "pg", "infra": true, "image": "postgres:16"},
                {"id": "endpoint:users:GET /users/{id}", "kind": "endpoint", "method": "GET", "path": "/users/{id}",
                 "file": "users/app.py", "line": 4},
                {"id": "table:orders", "kind": "table", "name": "orders"},
                {"id": "external:api.stripe.com", "kind": "external", "name": "api.stripe.com"}
            ],
            "edges": [
                {"from": "module:src/api/a.ts", "to": "module:src/api/b.ts", "kind": "imports", "line": 1, "sites": 1, "flags": []},
                {"from": "module:src/api/b.ts", "to": "module:src/db/pool.ts", "kind": "imports", "line": 2, "sites": 1, "flags": ["type_only"]},
                {"from": "module:src/api/a.ts", "to": "package:npm:react", "kind": "imports", "line": 3, "sites": 1, "flags": []},
                {"from": "module:src/api/a.ts", "to": "endpoint:users:GET /users/{id}", "kind": "calls", "line": 9, "sites": 2, "flags": []},
                {"from": "module:src/api/b.ts", "to": "table:orders", "kind": "writes", "line": 5, "sites": 1, "flags": []},
                {"from": "service:api", "to": "external:api.stripe.com", "kind": "calls", "sites": 1, "flags": []},
                {"from": "service:users", "to": "endpoint:users:GET /users/{id}", "kind": "exposes", "sites": 1, "flags": []}
            ],
            "analysis": {"edge_classes": ["conditional", "dynamic", "reexport", "static"], "cycles": [],
                         "critical_paths": [], "coupling": [], "smells": []},
            "diagnostics": []
        })
    }

    #[test]
    fn module_facts_are_lifted_to_services_and_calls_labelled_by_endpoint() {
        let g = service_graph(&report());
        let kinds: Vec<(&str, &str)> = g.nodes.iter().map(|n| (n.id.as_str(), n.kind)).collect();
        assert!(kinds.contains(&("service:pg", "datastore")));
        assert!(kinds.contains(&("table:orders", "table")));
        let call = g.edges.iter().find(|e| e.to == "service:users").expect("api calls users");
        assert_eq!((call.from.as_str(), call.kind.as_str(), call.sites), ("service:api", "calls", 2));
        assert_eq!(call.endpoints.iter().collect::<Vec<_>>(), ["GET /users/{id}"]);
        assert!(g.edges.iter().any(|e| e.from == "service:api" && e.to == "table:orders" && e.kind == "writes"));
        assert!(g.edges.iter().any(|e| e.to == "external:api.stripe.com"));
    }

    #[test]
    fn a_service_edge_is_inferred_only_when_every_call_behind_it_is() {
        let mut r = report();
        let edges = r["edges"].as_array_mut().unwrap();
        edges.push(json!({"from": "module:src/api/b.ts", "to": "service:pg", "kind": "calls", "line": 7, "sites": 1,
                          "flags": ["inferred"]}));
        edges.push(json!({"from": "module:src/api/b.ts", "to": "endpoint:users:GET /users/{id}", "kind": "calls",
                          "line": 8, "sites": 1, "flags": ["inferred"]}));
        let g = service_graph(&r);
        let inferred = |to: &str| g.edges.iter().find(|e| e.to == to && e.kind == "calls").map(|e| e.inferred);
        assert_eq!(inferred("service:pg"), Some(true));
        // a.ts's call to users was linked by its host: the edge is not inferred.
        assert_eq!(inferred("service:users"), Some(false));
        assert_eq!(inferred("external:api.stripe.com"), Some(false));
    }

    #[test]
    fn the_tree_merges_single_child_chains_and_groups_packages() {
        let d = build(&report(), None, None);
        let ids: Vec<&str> = d.tree.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "directory:.",
                "directory:src",
                "directory:src/api",
                "module:src/api/a.ts",
                "module:src/api/b.ts",
                "directory:src/db",
                "module:src/db/pool.ts",
                "group:builtin",
                "group:node-builtin",
                "package:node-builtin:fs",
                "group:third-party",
                "group:npm",
                "package:npm:react"
            ]
        );
        let counted = d.edges.iter().filter(|e| e[4] & F_COUNTED != 0).count();
        assert_eq!(counted, 2, "the type-only import is not counted");
        assert!(d.tree[0].open && d.tree[1].open, "small maps start open");
        assert_eq!(d.tree[1].count, Some(3));
        assert_eq!((d.tree[2].h, d.tree[3].h), (CLOSED_DIR_H as i64, LEAF_H as i64), "closed sizes");
    }

    #[test]
    fn each_directory_ships_the_layered_order_of_its_children() {
        let d = build(&report(), None, None);
        let scope = |id: &str| {
            let at = d.tree.iter().position(|n| n.id == id).unwrap();
            d.scopes.iter().find(|s| s.at == at).expect("a directory has a scope")
        };
        let at = |id: &str| d.tree.iter().position(|n| n.id == id).unwrap();
        // a.ts imports b.ts: two columns, dependent left.
        let api = scope("directory:src/api");
        assert_eq!(api.cols, vec![vec![at("module:src/api/a.ts")], vec![at("module:src/api/b.ts")]]);
        // b.ts → db/pool.ts lifts to src/api → src/db inside src/.
        let src = scope("directory:src");
        assert_eq!(src.links, vec![(at("directory:src/api"), at("directory:src/db"))]);
        // a.ts → react lifts to src → third-party at the root; builtins are unlinked.
        let root = scope("directory:.");
        assert_eq!(root.links, vec![(at("directory:src"), at("group:third-party"))]);
        assert_eq!(root.loose, vec![at("group:builtin")]);
    }

    #[test]
    fn review_marks_added_and_removed_and_keeps_ghosts() {
        let base = report();
        let mut head = report();
        head["nodes"].as_array_mut().unwrap().remove(2); // src/db/pool.ts removed
        head["edges"].as_array_mut().unwrap().remove(1);
        head["nodes"].as_array_mut().unwrap().push(
            json!({"id": "module:src/api/c.ts", "kind": "module", "path": "src/api/c.ts", "service": "service:api"}),
        );
        let d = build(&head, Some(&base), None);
        let st = |id: &str| d.tree.iter().find(|n| n.id == id).map(|n| n.st);
        assert_eq!(st("module:src/api/c.ts"), Some(ADDED));
        assert_eq!(st("module:src/db/pool.ts"), Some(REMOVED));
        assert_eq!(st("module:src/api/a.ts"), Some(SAME));
        assert_eq!(d.edges.iter().filter(|e| e[5] == u32::from(REMOVED)).count(), 1);
        assert!(d.changes.is_some());
    }

    #[test]
    fn dsm_puts_dependencies_first_and_cycles_in_blocks() {
        let mut r = report();
        r["edges"].as_array_mut().unwrap().push(json!(
            {"from": "module:src/api/b.ts", "to": "module:src/api/a.ts", "kind": "imports", "line": 1, "sites": 1, "flags": []}
        ));
        let d = build(&r, None, None);
        let m = &d.dsm[0];
        let ids: Vec<&str> = m.order.iter().map(|&i| d.tree[i].id.as_str()).collect();
        assert_eq!(ids, ["module:src/api/a.ts", "module:src/api/b.ts", "module:src/db/pool.ts"]);
        assert_eq!(m.blocks, vec![[0, 2]]);
    }
}
