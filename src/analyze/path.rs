//! `tapestry path FROM TO`: why does A depend on B?
//!
//! What it finds: the shortest chain of counted dependency edges from one
//! module, directory or service to another, by breadth-first search over
//! sorted successors (so the answer is stable), with the first site of every
//! step (for services: the first call site, or the deployment file line of a
//! `declared` link). FROM and TO may be written as ids (`module:src/a.ts`,
//! `directory:src`, `service:orders`) or bare; a bare name is a module when
//! one has it, else a directory, else a service.
//!
//! Why it matters: "who pulls the database into the UI?" is answered by the
//! chain, not by the fact. Example: `src/ui/page.ts → src/api.ts → src/db.ts`.

use super::cycles::Site;
use super::levels::Level;

/// The level and node a user's FROM/TO names, if any.
pub fn locate<'l>(levels: &'l [Level], name: &str) -> Option<(&'l Level, usize)> {
    if name.contains(':') {
        return levels.iter().find_map(|lv| lv.index(name).map(|i| (lv, i)));
    }
    let trimmed = name.trim_end_matches('/');
    let trimmed = if trimmed.is_empty() { "." } else { trimmed };
    [format!("module:{trimmed}"), format!("directory:{trimmed}"), format!("service:{trimmed}")]
        .iter()
        .find_map(|id| levels.iter().find_map(|lv| lv.index(id).map(|i| (lv, i))))
}

/// The shortest chain `from → … → to` in `lv`, as the sites of its steps.
pub fn shortest(lv: &Level, from: usize, to: usize) -> Option<Vec<Site>> {
    let nodes = super::levels::shortest_path(&lv.successors(), from, to)?;
    let step = |w: &[usize]| {
        let e = &lv.edges[&(w[0], w[1])];
        Site {
            from: lv.ids[w[0]].clone(),
            to: lv.ids[w[1]].clone(),
            file: e.file.clone(),
            line: e.line,
            sites: e.sites,
            allow_cycle: e.allow_cycle.clone(),
        }
    };
    Some(nodes.windows(2).map(step).collect())
}
