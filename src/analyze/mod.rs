//! Analyses over the architecture graph. One analyzer per file, each
//! documented with what it finds, why it matters and an example; [`run`] is
//! the registry: adding an analyzer is one line there and one field in
//! [`Analysis`].

pub mod coupling;
pub mod critical_path;
pub mod cycles;
pub mod latency;
pub mod levels;
pub mod path;
pub mod rules;
pub mod service_pairs;
pub mod smells;

use crate::config::Config;
use crate::graph::ArchGraph;
use crate::model::Flags;

use levels::Level;

/// Everything the analyzers found, per level.
#[derive(Debug)]
pub struct Analysis {
    /// The counted edge classes, sorted.
    pub edge_classes: Vec<String>,
    /// The levels as analysed (counted edges only): module, directory, and
    /// service when the scan found services. `critical_paths` and `coupling`
    /// have one entry per level, in this order.
    pub levels: Vec<Level>,
    pub cycles: Vec<cycles::Cycle>,
    pub critical_paths: Vec<critical_path::CriticalPaths>,
    /// Longest chains of synchronous calls between services (empty without services).
    pub latency_paths: Vec<Vec<Vec<String>>>,
    pub coupling: Vec<coupling::Coupling>,
    /// Calls behind each service → service edge.
    pub service_pairs: Vec<service_pairs::Pair>,
    pub smells: Vec<smells::Smell>,
}

/// The module level with only the edges that count under `cfg`.
pub fn counted_modules(g: &ArchGraph, cfg: &Config) -> Level {
    levels::modules(g).filtered(&|f| cfg.edge_classes.counts(f))
}

pub fn run(g: &ArchGraph, cfg: &Config) -> Analysis {
    let classes = &cfg.edge_classes;
    let all = levels::modules(g);
    let counted = all.filtered(&|f| classes.counts(f));
    // The same, with type-only imports counted too, for `type_only` cycles.
    let with_types =
        (!classes.counts_type_only()).then(|| all.filtered(&|f| classes.counts(Flags(f.0 & !Flags::TYPE_ONLY.0))));
    let dirs = levels::directories(&counted);
    let dirs_with_types = with_types.as_ref().map(levels::directories);
    let mut cycles = cycles::find(&counted, with_types.as_ref());
    cycles.extend(cycles::find(&dirs, dirs_with_types.as_ref()));
    // Service call cycles: calls between services found in code, and the
    // links deployment files declare; asynchronous messaging is no
    // dependency here (see `latency`), test call sites only when counted.
    let services = levels::services(g).filtered(&|f| classes.counts(f));
    cycles.extend(cycles::find(&services, None));
    let mut levels = vec![counted, dirs];
    let (mut latency_paths, mut service_pairs) = (Vec::new(), Vec::new());
    if !services.ids.is_empty() {
        latency_paths = latency::find(&services, cfg.critical_paths).paths;
        service_pairs = service_pairs::compute(g, &services, &|f| classes.counts(f));
        levels.push(services);
    }
    let mut critical_paths = Vec::new();
    let mut coupling = Vec::new();
    let mut smells = smells::shared_tables(g, &|f| classes.counts(f));
    for lv in &levels {
        critical_paths.push(critical_path::find(lv, cfg.critical_paths));
        let c = coupling::compute(lv);
        smells.extend(smells::find(lv, &c, &cycles));
        coupling.push(c);
    }
    Analysis {
        edge_classes: classes.names().to_vec(),
        levels,
        cycles,
        critical_paths,
        latency_paths,
        coupling,
        service_pairs,
        smells,
    }
}
