//! Coupling and instability per node, and propagation cost.
//!
//! What it finds: for every node of a level, fan-in (afferent coupling, Ca:
//! distinct nodes that depend on it) and fan-out (efferent coupling, Ce:
//! distinct nodes it depends on), instability I = Ce / (Ca + Ce) (Robert C.
//! Martin, "Agile Software Development", 2002; 0 when both are 0), and the
//! propagation cost of MacCormack, Rusnak and Baldwin ("Exploring the
//! structure of complex software designs", Management Science 52(7), 2006):
//! the share of the system a node reaches through dependencies, itself
//! included, and the system's average of it. Reachability is computed on the
//! condensation DAG with one bit set per component, in reverse topological
//! order, so a cycle's members share one set.
//!
//! Why it matters: stable modules (low I) should be the ones others depend
//! on; a high propagation cost means a change anywhere tends to reach much of
//! the system. Example: `db.ts` with Ca 12, Ce 1 has I = 0.08.
//!
//! Only edges inside the level count (packages are outside the system).
//! Reachability needs n² bits; above [`MAX_PROPAGATION_NODES`] nodes it is
//! skipped at that level (the report says so) and the directory level still has it.

use fixedbitset::FixedBitSet;

use super::levels::Level;

/// Largest level for which propagation cost is computed (n² bits: 20k → 50 MB).
pub const MAX_PROPAGATION_NODES: usize = 20_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    pub ca: u32,
    pub ce: u32,
    pub instability: f64,
    /// Share of the level reachable from the node, itself included (`None` when skipped).
    pub propagation: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Coupling {
    pub level: &'static str,
    /// One row per node, in the level's id order.
    pub nodes: Vec<Metrics>,
    /// Average propagation cost of the level (`None` when skipped).
    pub propagation_cost: Option<f64>,
}

pub fn compute(lv: &Level) -> Coupling {
    let n = lv.ids.len();
    let (mut ca, mut ce) = (vec![0u32; n], vec![0u32; n]);
    for &(a, b) in lv.edges.keys() {
        ce[a] += 1;
        ca[b] += 1;
    }
    let reach = (n <= MAX_PROPAGATION_NODES).then(|| reach_counts(lv));
    let nodes = (0..n)
        .map(|i| {
            let total = ca[i] + ce[i];
            let instability = if total == 0 { 0.0 } else { f64::from(ce[i]) / f64::from(total) };
            let propagation = reach.as_ref().map(|r| r[i] as f64 / n as f64);
            Metrics { ca: ca[i], ce: ce[i], instability, propagation }
        })
        .collect();
    let propagation_cost = reach.map(|r| r.iter().sum::<usize>() as f64 / (n as f64 * n as f64).max(1.0));
    Coupling { level: lv.name, nodes, propagation_cost }
}

/// For each node, how many nodes it reaches (itself included): one bitset
/// per component, filled in reverse topological order.
fn reach_counts(lv: &Level) -> Vec<usize> {
    let n = lv.ids.len();
    let c = lv.condense();
    let mut sets: Vec<FixedBitSet> = vec![FixedBitSet::new(); c.comps.len()];
    for &k in c.order.iter().rev() {
        let mut set = FixedBitSet::with_capacity(n);
        c.comps[k].iter().for_each(|&m| set.insert(m));
        for &s in &c.succ[k] {
            set.union_with(&sets[s]);
        }
        sets[k] = set;
    }
    let mut counts = vec![0; n];
    for (k, set) in sets.iter().enumerate() {
        let reach = set.count_ones(..);
        c.comps[k].iter().for_each(|&m| counts[m] = reach);
    }
    counts
}
