//! `tapestry diff OLD.json NEW.json`: what changed between two reports.
//!
//! One model of change ([`ReportDiff`]) for every consumer: the text and
//! markdown renderings here (markdown fit for a pull-request comment) and the
//! HTML map's review mode. Reports are read as JSON values against the
//! contract (schema_version 1), so a diff works across tapestry versions
//! that share the contract.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

/// Node kinds compared, in the order they are shown.
const KINDS: &[&str] = &["service", "endpoint", "table", "queue", "external", "module", "package"];
/// Coupling movers shown, at most.
const MAX_MOVERS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Default, Serialize)]
pub struct Change {
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

impl Change {
    fn of(old: &BTreeSet<String>, new: &BTreeSet<String>) -> Change {
        Change { added: new.difference(old).cloned().collect(), removed: old.difference(new).cloned().collect() }
    }
    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

#[derive(Debug, Serialize)]
pub struct Mover {
    pub id: String,
    pub ca: [u64; 2],
    pub ce: [u64; 2],
    pub instability: [f64; 2],
}

#[derive(Debug, Default, Serialize)]
pub struct ReportDiff {
    /// Added/removed node ids per kind.
    pub nodes: BTreeMap<String, Change>,
    /// Service → service calls, as `from → to`.
    pub service_calls: Change,
    /// Module dependencies (`imports` between modules), as `from → to`.
    pub dependencies: Change,
    /// Cycles, as `level kind: member, member, …`.
    pub cycles: Change,
    /// Modules whose coupling changed most (by |Δ instability|, then |Δ fan-in|).
    pub coupling_movers: Vec<Mover>,
}

pub fn load(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let v: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}:{}: not a JSON report: {e}", path.display(), e.line()))?;
    match v.get("schema_version").and_then(Value::as_u64) {
        Some(1) => Ok(v),
        Some(n) => Err(format!("{}: report schema_version {n} is not 1", path.display())),
        None => Err(format!("{}: not a tapestry report (no schema_version)", path.display())),
    }
}

fn strs<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn short(id: &str) -> &str {
    id.split_once(':').map_or(id, |(_, r)| r)
}

pub fn diff(old: &Value, new: &Value) -> ReportDiff {
    let mut d = ReportDiff::default();
    for kind in KINDS {
        let ids =
            |r: &Value| strs(r, "nodes").filter(|n| s(n, "kind") == *kind).map(|n| s(n, "id").to_string()).collect();
        let c = Change::of(&ids(old), &ids(new));
        if !c.is_empty() {
            d.nodes.insert((*kind).to_string(), c);
        }
    }
    let edges = |r: &Value, kind: &str, prefix: &str| -> BTreeSet<String> {
        strs(r, "edges")
            .filter(|e| s(e, "kind") == kind && s(e, "from").starts_with(prefix) && s(e, "to").starts_with(prefix))
            .map(|e| format!("{} → {}", short(s(e, "from")), short(s(e, "to"))))
            .collect()
    };
    d.service_calls = Change::of(&edges(old, "calls", "service:"), &edges(new, "calls", "service:"));
    d.dependencies = Change::of(&edges(old, "imports", "module:"), &edges(new, "imports", "module:"));
    let cycles = |r: &Value| -> BTreeSet<String> {
        let list = r.get("analysis").map(|a| strs(a, "cycles").collect::<Vec<_>>()).unwrap_or_default();
        list.into_iter()
            .map(|c| {
                let members: Vec<&str> = strs(c, "nodes").filter_map(Value::as_str).map(short).collect();
                format!("{} {}: {}", s(c, "level"), s(c, "kind"), members.join(", "))
            })
            .collect()
    };
    d.cycles = Change::of(&cycles(old), &cycles(new));
    d.coupling_movers = movers(old, new);
    d
}

fn module_metrics(r: &Value) -> BTreeMap<String, (u64, u64, f64)> {
    let levels = r.get("analysis").map(|a| strs(a, "coupling").collect::<Vec<_>>()).unwrap_or_default();
    levels
        .into_iter()
        .filter(|l| s(l, "level") == "module")
        .flat_map(|l| strs(l, "nodes"))
        .map(|n| {
            let num = |k: &str| n.get(k).and_then(Value::as_u64).unwrap_or(0);
            (
                s(n, "id").to_string(),
                (num("ca"), num("ce"), n.get("instability").and_then(Value::as_f64).unwrap_or(0.0)),
            )
        })
        .collect()
}

fn movers(old: &Value, new: &Value) -> Vec<Mover> {
    let (a, b) = (module_metrics(old), module_metrics(new));
    let mut out: Vec<Mover> = b
        .iter()
        .filter_map(|(id, &(ca1, ce1, i1))| {
            let &(ca0, ce0, i0) = a.get(id)?;
            (ca0 != ca1 || ce0 != ce1).then(|| Mover {
                id: id.clone(),
                ca: [ca0, ca1],
                ce: [ce0, ce1],
                instability: [i0, i1],
            })
        })
        .collect();
    let key = |m: &Mover| ((m.instability[1] - m.instability[0]).abs(), m.ca[1].abs_diff(m.ca[0]));
    out.sort_by(|x, y| key(y).partial_cmp(&key(x)).unwrap_or(std::cmp::Ordering::Equal).then_with(|| x.id.cmp(&y.id)));
    out.truncate(MAX_MOVERS);
    out
}

impl ReportDiff {
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
            && self.service_calls.is_empty()
            && self.dependencies.is_empty()
            && self.cycles.is_empty()
            && self.coupling_movers.is_empty()
    }

    pub fn render(&self, format: DiffFormat) -> String {
        match format {
            DiffFormat::Json => {
                let mut s = serde_json::to_string_pretty(self).expect("plain data serializes");
                s.push('\n');
                s
            }
            DiffFormat::Text => self.lines(false),
            DiffFormat::Markdown => self.lines(true),
        }
    }

    fn lines(&self, md: bool) -> String {
        let mut o = String::new();
        let h = |o: &mut String, title: &str| {
            let _ = if md { writeln!(o, "\n#### {title}") } else { writeln!(o, "\n{title}") };
        };
        let _ = writeln!(o, "{}", if md { "### tapestry: architecture changes" } else { "tapestry diff" });
        if self.is_empty() {
            let _ = writeln!(o, "\nNo architectural change.");
            return o;
        }
        let item = |o: &mut String, sign: char, text: &str| {
            let _ =
                if md { writeln!(o, "- {sign} `{}`", text.replace('`', "'")) } else { writeln!(o, "  {sign} {text}") };
        };
        let section = |o: &mut String, title: &str, c: &Change, ids: bool| {
            if c.is_empty() {
                return;
            }
            h(o, &format!("{title} (+{} −{})", c.added.len(), c.removed.len()));
            let name = |x: &'_ String| if ids { short(x).to_string() } else { x.clone() };
            c.added.iter().for_each(|x| item(o, '+', &name(x)));
            c.removed.iter().for_each(|x| item(o, '-', &name(x)));
        };
        section(&mut o, "Cycles", &self.cycles, false);
        section(&mut o, "Service calls", &self.service_calls, false);
        for kind in KINDS {
            if let Some(c) = self.nodes.get(*kind) {
                section(&mut o, &format!("{}s", capitalise(kind)), c, true);
            }
        }
        section(&mut o, "Module dependencies", &self.dependencies, false);
        if !self.coupling_movers.is_empty() {
            h(&mut o, "Coupling movers");
            for m in &self.coupling_movers {
                let text = format!(
                    "{}: fan-in {}→{}, fan-out {}→{}, instability {:.2}→{:.2}",
                    short(&m.id),
                    m.ca[0],
                    m.ca[1],
                    m.ce[0],
                    m.ce[1],
                    m.instability[0],
                    m.instability[1]
                );
                item(&mut o, '~', &text);
            }
        }
        o
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}
