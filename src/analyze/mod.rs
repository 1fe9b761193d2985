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

use rayon::prelude::*;

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
    let counts = |f: Flags| classes.counts(f);
    // The steps that do not need each other's results run in parallel (`rayon::join`, on
    // the pool of the caller's `install`); the results are the same whatever the threads.
    let all = levels::modules(g);
    let ((counted, with_types), services) = rayon::join(
        || {
            rayon::join(
                || all.filtered(&counts),
                // The same, with type-only imports counted too, for `type_only` cycles.
                || (!classes.counts_type_only()).then(|| all.filtered(&|f| counts(Flags(f.0 & !Flags::TYPE_ONLY.0)))),
            )
        },
        // Service call cycles: calls between services found in code, and the
        // links deployment files declare; asynchronous messaging is no
        // dependency here (see `latency`), test call sites only when counted.
        || levels::services(g).filtered(&counts),
    );
    drop(all);
    let ((dirs, dirs_with_types), mut cycles) = rayon::join(
        || rayon::join(|| levels::directories(&counted), || with_types.as_ref().map(levels::directories)),
        || cycles::find(&counted, with_types.as_ref()),
    );
    let (dir_cycles, (service_cycles, (latency_paths, service_pairs))) = rayon::join(
        || cycles::find(&dirs, dirs_with_types.as_ref()),
        || {
            let found = cycles::find(&services, None);
            match services.ids.is_empty() {
                true => (found, (Vec::new(), Vec::new())),
                false => {
                    let latency = latency::find(&services, cfg.critical_paths).paths;
                    (found, (latency, service_pairs::compute(g, &services, &counts)))
                }
            }
        },
    );
    cycles.extend(dir_cycles);
    cycles.extend(service_cycles);
    let mut levels = vec![counted, dirs];
    if !services.ids.is_empty() {
        levels.push(services);
    }
    let (critical_paths, coupling): (Vec<_>, Vec<_>) =
        levels.par_iter().map(|lv| (critical_path::find(lv, cfg.critical_paths), coupling::compute(lv))).unzip();
    let mut smells = smells::shared_tables(g, &counts);
    for (lv, c) in levels.iter().zip(&coupling) {
        smells.extend(smells::find(lv, c, &cycles));
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
