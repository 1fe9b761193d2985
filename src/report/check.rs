//! Output of `tapestry check`: text for people, JSON for scripts, GitHub
//! workflow commands for pull-request annotations. (SARIF is `sarif.rs`.)

use std::fmt::Write;

use serde::Serialize;

use crate::analyze::cycles::Site;
use crate::gate::{Entry, Outcome};

/// Check output formats, by name and by `-o` extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Github,
    Sarif,
}

impl CheckFormat {
    pub fn from_path(path: &std::path::Path) -> Option<CheckFormat> {
        match path.extension()?.to_str()? {
            "sarif" => Some(CheckFormat::Sarif),
            "json" => Some(CheckFormat::Json),
            "txt" => Some(CheckFormat::Text),
            _ => None,
        }
    }

    pub fn render(self, o: &Outcome, baseline: &str) -> String {
        match self {
            CheckFormat::Text => text(o, baseline),
            CheckFormat::Json => json(o),
            CheckFormat::Github => github(o, baseline),
            CheckFormat::Sarif => super::sarif::render(o),
        }
    }
}

fn step(s: &Site) -> String {
    format!("{}:{}  {} → {}", s.file, s.line, s.from, s.to)
}

pub fn text(o: &Outcome, baseline: &str) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "tapestry check: {} new, {} known (in {baseline}), {} stale, {} suppressed",
        o.new.len(),
        o.known.len(),
        o.stale.len(),
        o.suppressed.len()
    );
    for n in &o.new {
        let v = &n.violation;
        let _ = writeln!(t, "\nNEW {}: {}", v.rule, v.message);
        if !n.example.is_empty() {
            let _ = writeln!(t, "  cycle through the new dependency:");
            for s in &n.example {
                let mark = if n.new_edges.iter().any(|e| e.from == s.from && e.to == s.to) { "  (new)" } else { "" };
                let _ = writeln!(t, "    {}{mark}", step(s));
            }
        }
        let shown = |s: &Site| n.example.iter().any(|e| e.from == s.from && e.to == s.to);
        for s in n.new_edges.iter().filter(|s| !shown(s)) {
            let _ = writeln!(t, "  also new: {}", step(s));
        }
        if n.new_edges.is_empty() {
            for s in &v.sites {
                let _ = writeln!(t, "    {}", step(s));
            }
        }
    }
    for e in &o.stale {
        let _ = writeln!(
            t,
            "\nSTALE {}: {} no longer occurs (`tapestry check --update-baseline` drops it)",
            e.rule,
            e.nodes.join(", ")
        );
    }
    for s in &o.suppressed {
        let why = s.allow_cycle.as_deref().unwrap_or("");
        let _ = writeln!(t, "\nSUPPRESSED {}: {why}", step(s));
    }
    t
}

#[derive(Serialize)]
struct JsonOut<'a> {
    schema_version: u32,
    new: Vec<JsonViolation<'a>>,
    known: Vec<JsonViolation<'a>>,
    stale: &'a [Entry],
    suppressed: Vec<JsonSite<'a>>,
}

#[derive(Serialize)]
struct JsonViolation<'a> {
    rule: &'a str,
    fingerprint: &'a str,
    message: &'a str,
    nodes: &'a [String],
    sites: Vec<JsonSite<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    new_edges: Vec<JsonSite<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    example: Vec<JsonSite<'a>>,
}

#[derive(Serialize)]
struct JsonSite<'a> {
    from: &'a str,
    to: &'a str,
    file: &'a str,
    line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    allow_cycle: Option<&'a str>,
}

fn site(s: &Site) -> JsonSite<'_> {
    JsonSite { from: &s.from, to: &s.to, file: &s.file, line: s.line, allow_cycle: s.allow_cycle.as_deref() }
}

fn violation<'a>(v: &'a crate::analyze::rules::Violation, new: &'a [Site], example: &'a [Site]) -> JsonViolation<'a> {
    JsonViolation {
        rule: v.rule,
        fingerprint: &v.fingerprint,
        message: &v.message,
        nodes: &v.nodes,
        sites: v.sites.iter().map(site).collect(),
        new_edges: new.iter().map(site).collect(),
        example: example.iter().map(site).collect(),
    }
}

pub fn json(o: &Outcome) -> String {
    let out = JsonOut {
        schema_version: 1,
        new: o.new.iter().map(|n| violation(&n.violation, &n.new_edges, &n.example)).collect(),
        known: o.known.iter().map(|v| violation(v, &[], &[])).collect(),
        stale: &o.stale,
        suppressed: o.suppressed.iter().map(site).collect(),
    };
    let mut s = serde_json::to_string_pretty(&out).expect("plain data serializes");
    s.push('\n');
    s
}

/// GitHub Actions workflow commands: `::error file=…,line=…,title=…::message`.
pub fn github(o: &Outcome, baseline: &str) -> String {
    let mut t = String::new();
    for n in &o.new {
        let v = &n.violation;
        let at = n.new_edges.first().or(v.sites.first());
        let mut msg = v.message.clone();
        for s in &n.example {
            msg.push_str(&format!("\n{}", step(s)));
        }
        let loc = at.map(|s| format!("file={},line={},", prop(&s.file), s.line)).unwrap_or_default();
        let _ = writeln!(t, "::error {loc}title={}::{}", prop(&format!("tapestry: new {}", v.rule)), data(&msg));
    }
    for e in &o.stale {
        let msg = format!("{} in {baseline} no longer occurs: {}", e.rule, e.nodes.join(", "));
        let _ = writeln!(t, "::warning title=tapestry: stale baseline entry::{}", data(&msg));
    }
    t
}

/// Escape a workflow command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a workflow command's property value.
fn prop(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}
