//! A YAML tree with line numbers, for compose files and Kubernetes manifests.
//!
//! `yaml-rust2` (maintained, pure Rust, YAML 1.2; `serde_yaml` is deprecated)
//! gives parse events with positions; this builds the small tree tapestry
//! needs from them, so every service, port and environment entry keeps the
//! line it was written on. Anchors are resolved (compose files use `<<: *x`),
//! within limits: the depth of a tree and the nodes aliases may copy are
//! bounded, so alias bombs and nesting bombs cost linear time and memory.

use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    Scalar(String),
    Seq(Vec<(Yaml, u32)>),
    /// Entries in document order: key, value, line of the key.
    Map(Vec<(String, Yaml, u32)>),
    Null,
}

impl Yaml {
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        self.entry(key).map(|(v, _)| v)
    }
    /// Value and line of a key (merge keys are already applied by [`parse`]).
    pub fn entry(&self, key: &str) -> Option<(&Yaml, u32)> {
        let Yaml::Map(m) = self else { return None };
        m.iter().find(|(k, _, _)| k == key).map(|(_, v, l)| (v, *l))
    }
    pub fn str(&self) -> Option<&str> {
        match self {
            Yaml::Scalar(s) => Some(s),
            _ => None,
        }
    }
    pub fn entries(&self) -> &[(String, Yaml, u32)] {
        match self {
            Yaml::Map(m) => m,
            _ => &[],
        }
    }
    pub fn items(&self) -> &[(Yaml, u32)] {
        match self {
            Yaml::Seq(s) => s,
            _ => &[],
        }
    }
    /// Levels of the tree (1 for a scalar), counted without recursion: at
    /// most [`MAX_DEPTH`] + 1 for what [`parse`] returns.
    pub fn height(&self) -> usize {
        let mut stack = vec![(self, 1)];
        let mut max = 0;
        while let Some((y, h)) = stack.pop() {
            max = max.max(h);
            stack.extend(y.items().iter().map(|(c, _)| (c, h + 1)));
            stack.extend(y.entries().iter().map(|(_, c, _)| (c, h + 1)));
        }
        max
    }
}

/// How deep a document may nest (compose files and manifests need about 10
/// levels): every tree is dropped, cloned and compared recursively, so its
/// depth must be bounded; `- - - - …` on one line nests without limit.
pub const MAX_DEPTH: usize = 256;

/// How many nodes aliases may copy in all, per text. A "billion laughs"
/// document (ten aliases of ten aliases of … ) expands exponentially; compose
/// files merging a few anchors into each service copy hundreds.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// Nodes and height (1 for a scalar) of a finished value.
#[derive(Clone, Copy, Default)]
struct Size {
    nodes: usize,
    height: usize,
}

impl Size {
    fn add_child(&mut self, child: Size) {
        self.nodes = self.nodes.saturating_add(child.nodes);
        self.height = self.height.max(child.height + 1);
    }
}

enum Frame {
    Seq(Vec<(Yaml, u32)>, usize, Size),
    /// Entries, the key waiting for its value, anchor.
    Map(Vec<(String, Yaml, u32)>, Option<(String, u32)>, usize, Size),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    docs: Vec<Yaml>,
    anchors: HashMap<usize, (Yaml, Size)>,
    /// Nodes copied by aliases so far.
    copied: usize,
    /// Why the document is not read (a limit was passed), and where.
    over: Option<(String, u32)>,
}

impl Builder {
    fn value(&mut self, v: Yaml, size: Size, line: u32, anchor: usize) {
        if anchor > 0 && self.copy(size.nodes, line) {
            self.anchors.insert(anchor, (v.clone(), size));
        }
        match self.stack.last_mut() {
            None => self.docs.push(v),
            Some(Frame::Seq(items, _, s)) => {
                s.add_child(size);
                items.push((v, line));
            }
            Some(Frame::Map(entries, pending, _, s)) => {
                s.add_child(size);
                match pending.take() {
                    Some((k, l)) => entries.push((k, v, l)),
                    None => {
                        let key = match v {
                            Yaml::Scalar(s) => s,
                            _ => String::new(),
                        };
                        *pending = Some((key, line));
                    }
                }
            }
        }
    }

    /// The anchored value an alias copies, unless the copy would pass a limit.
    fn alias(&mut self, anchor: usize, line: u32) -> Option<(Yaml, Size)> {
        let size = self.anchors.get(&anchor).map_or(Size { nodes: 1, height: 1 }, |(_, s)| *s);
        if !self.copy(size.nodes, line) {
            return None;
        }
        if self.stack.len() + size.height > MAX_DEPTH {
            self.over = Some((format!("nested deeper than {MAX_DEPTH} levels"), line));
            return None;
        }
        Some(self.anchors.get(&anchor).map_or((Yaml::Null, size), |(v, _)| (v.clone(), size)))
    }

    /// Count `nodes` more copied nodes (anchors are copied once when defined,
    /// then at every alias); false, with the reason, past [`MAX_ALIAS_NODES`].
    fn copy(&mut self, nodes: usize, line: u32) -> bool {
        self.copied = self.copied.saturating_add(nodes);
        if self.copied > MAX_ALIAS_NODES {
            self.over = Some((format!("anchors and aliases copy more than {MAX_ALIAS_NODES} nodes"), line));
        }
        self.over.is_none()
    }

    fn open(&mut self, frame: Frame, line: u32) {
        if self.stack.len() >= MAX_DEPTH {
            self.over = Some((format!("nested deeper than {MAX_DEPTH} levels"), line));
        } else {
            self.stack.push(frame);
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let line = u32::try_from(mark.line()).unwrap_or(u32::MAX).max(1);
        let leaf = Size { nodes: 1, height: 1 };
        match ev {
            Event::Scalar(s, style, anchor, _) => {
                let plain_null = style == yaml_rust2::scanner::TScalarStyle::Plain && (s == "~" || s == "null");
                self.value(if plain_null { Yaml::Null } else { Yaml::Scalar(s) }, leaf, line, anchor);
            }
            Event::Alias(a) => {
                if let Some((v, size)) = self.alias(a, line) {
                    self.value(v, size, line, 0);
                }
            }
            // Anchors name nodes of their own document only.
            Event::DocumentStart => self.anchors.clear(),
            Event::SequenceStart(anchor, _) => self.open(Frame::Seq(Vec::new(), anchor, leaf), line),
            Event::MappingStart(anchor, _) => self.open(Frame::Map(Vec::new(), None, anchor, leaf), line),
            Event::SequenceEnd | Event::MappingEnd => {
                let (v, anchor, size) = match self.stack.pop() {
                    Some(Frame::Seq(items, a, s)) => (Yaml::Seq(items), a, s),
                    Some(Frame::Map(entries, _, a, s)) => (Yaml::Map(merge_keys(entries)), a, s),
                    None => return,
                };
                self.value(v, size, line, anchor);
            }
            _ => {}
        }
    }
}

/// A mapping with its merge keys applied, as the YAML merge-key spec
/// (<https://yaml.org/type/merge.html>) and compose read them: `<<: *a` or
/// `<<: [*a, *b]` inserts the entries of the merged mappings that the mapping
/// does not write itself (its own keys win, wherever the `<<` stands), and of
/// several mappings the earlier wins. The merge is shallow: an own
/// `environment:` replaces a merged one whole. A `<<` whose value is not a
/// mapping (or a list of them) is kept as an ordinary key.
fn merge_keys(entries: Vec<(String, Yaml, u32)>) -> Vec<(String, Yaml, u32)> {
    let mergeable = |v: &Yaml| match v {
        Yaml::Map(_) => true,
        Yaml::Seq(items) => items.iter().all(|(i, _)| matches!(i, Yaml::Map(_))),
        _ => false,
    };
    if !entries.iter().any(|(k, v, _)| k == "<<" && mergeable(v)) {
        return entries;
    }
    let (merges, mut own): (Vec<_>, Vec<_>) = entries.into_iter().partition(|(k, v, _)| k == "<<" && mergeable(v));
    let mut seen: HashSet<String> = own.iter().map(|(k, _, _)| k.clone()).collect();
    for (_, source, _) in merges {
        let maps = match source {
            Yaml::Seq(items) => items.into_iter().map(|(i, _)| i).collect(),
            map => vec![map],
        };
        for map in maps {
            let Yaml::Map(m) = map else { continue };
            for (k, v, l) in m {
                if seen.insert(k.clone()) {
                    own.push((k, v, l));
                }
            }
        }
    }
    own
}

/// Every document of a YAML text, or the error message and its line (also
/// when the text passes [`MAX_DEPTH`] or [`MAX_ALIAS_NODES`]).
pub fn parse(text: &str) -> Result<Vec<Yaml>, (String, u32)> {
    match parse_strict(text) {
        // A flow collection closed at its key's indentation (`command: [` … `    ]`) is
        // outside YAML 1.2, which yaml-rust2 follows, but go-yaml (docker compose,
        // kubectl) reads it and real compose files use it (opentelemetry-demo's
        // `flagd`). Read it as they do: such a closing line moved under the line above.
        Err((msg, _)) if msg == "invalid indentation" => {
            parse_strict(&indent_flow_closers(text)).map_err(|_| parse_strict(text).expect_err("failed above"))
        }
        other => other,
    }
}

/// Each line holding only `]`/`}` (and a comma) indented like the line before it;
/// every other line, and so every line number, unchanged.
fn indent_flow_closers(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut prev_indent = 0;
    for l in text.split_inclusive('\n') {
        let body = l.trim_start_matches(' ');
        let indent = l.len() - body.len();
        let closer = matches!(body.trim_end(), "]" | "}" | "]," | "},");
        if closer && indent < prev_indent {
            out.extend(std::iter::repeat_n(' ', prev_indent));
            out.push_str(body);
        } else {
            out.push_str(l);
            if !body.trim().is_empty() {
                prev_indent = indent;
            }
        }
    }
    out
}

fn parse_strict(text: &str) -> Result<Vec<Yaml>, (String, u32)> {
    let line = |m: Marker| u32::try_from(m.line()).unwrap_or(u32::MAX).max(1);
    let mut b = Builder::default();
    let mut p = Parser::new_from_str(text);
    // Events are pulled one by one: `Parser::load` hands them over from a
    // recursive descent (a frame per level: `- - - …` 12,000 deep overflowed
    // a 2 MiB stack, found by tests/never_panic.rs).
    loop {
        let (ev, mark) = p.next_token().map_err(|e| (e.info().to_string(), line(*e.marker())))?;
        if ev == Event::StreamEnd {
            return Ok(b.docs);
        }
        b.on_event(ev, mark);
        if let Some(over) = b.over.take() {
            return Err(over);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_merge_keys() {
        let docs = parse("x: &d\n  a: 1\nservices:\n  web:\n    <<: *d\n    ports:\n      - \"80:80\"\n").unwrap();
        let web = docs[0].get("services").unwrap().entry("web").unwrap();
        assert_eq!(web.1, 4);
        assert_eq!(web.0.get("a").and_then(Yaml::str), Some("1"));
        assert_eq!(web.0.get("ports").unwrap().items()[0], (Yaml::Scalar("80:80".into()), 7));
        assert!(parse("a: [").is_err());
    }

    #[test]
    fn merge_keys_follow_the_spec_own_keys_win_then_the_earlier_merge() {
        let text = "a: &a\n  x: 1\n  y: 1\nb: &b\n  y: 2\n  z: 2\nm:\n  y: 0\n  <<: [*a, *b]\n  w: 0\n";
        let docs = parse(text).unwrap();
        let m = docs[0].get("m").unwrap();
        let got: Vec<(&str, &str)> = m.entries().iter().map(|(k, v, _)| (k.as_str(), v.str().unwrap())).collect();
        assert_eq!(got, [("y", "0"), ("w", "0"), ("x", "1"), ("z", "2")]);
        // Merged entries keep the line they were written on.
        assert_eq!(m.entry("z").unwrap().1, 6);
        // A `<<` that is not a mapping is an ordinary key; the merge is shallow.
        let docs = parse("a: &a\n  env: {A: 1}\nm:\n  <<: *a\n  env: {B: 2}\nn:\n  <<: text\n").unwrap();
        assert!(docs[0].get("m").unwrap().get("env").unwrap().get("A").is_none());
        assert_eq!(docs[0].get("n").unwrap().get("<<").and_then(Yaml::str), Some("text"));
    }

    #[test]
    fn flow_collections_closed_at_the_key_indentation_are_read_as_compose_reads_them() {
        let text = "services:\n  flagd:\n    command: [\n      \"start\",\n      \"--uri\"\n    ]\n    ports:\n      - \"80\"\n";
        let docs = parse(text).unwrap();
        let flagd = docs[0].get("services").unwrap().get("flagd").unwrap();
        assert_eq!(flagd.get("command").unwrap().items().len(), 2);
        assert_eq!(flagd.get("ports").unwrap().items()[0], (Yaml::Scalar("80".into()), 8));
        // Other bad indentation is still an error, at its own line.
        assert_eq!(parse("a:\n    b: 1\n  c: 2\n").unwrap_err().1, 3);
    }

    #[test]
    fn alias_bombs_and_nesting_bombs_are_errors_not_exponential_or_deep_trees() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(", ")));
        }
        let (msg, line) = parse(&bomb).unwrap_err();
        assert!(msg.contains("copy more than 100000 nodes") && line <= 6, "{msg} {line}");
        // 100,000 levels: `Parser::load` recursed once per level and overflowed
        // this 2 MiB test thread; events are now pulled and stop at the limit.
        let (msg, _) = parse(&format!("a:\n  {}x\n", "- ".repeat(100_000))).unwrap_err();
        assert!(msg.contains("nested deeper than 256"), "{msg}");
        // An alias of a deep value placed deep passes the depth too.
        let deep = format!("a: &d\n  {}x\nb:\n  {}*d\n", "- ".repeat(200), "- ".repeat(100));
        assert!(parse(&deep).unwrap_err().0.contains("nested deeper"), "{:?}", parse(&deep));
        assert!(parse(&format!("a:\n  {}x\n", "- ".repeat(250))).is_ok());
        // Ordinary merges are far below the limit.
        let mut compose = String::from("x-common: &c\n  restart: always\n  env_file: .env\nservices:\n");
        for i in 0..2_000 {
            compose.push_str(&format!("  s{i}:\n    <<: *c\n    image: i{i}\n"));
        }
        let docs = parse(&compose).unwrap();
        assert_eq!(docs[0].get("services").unwrap().entries().len(), 2_000);
    }
}
