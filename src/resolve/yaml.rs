//! A YAML tree with line numbers, for compose files and Kubernetes manifests.
//!
//! `yaml-rust2` (maintained, pure Rust, YAML 1.2; `serde_yaml` is deprecated)
//! gives parse events with positions; this builds the small tree tapestry
//! needs from them, so every service, port and environment entry keeps the
//! line it was written on. Anchors are resolved (compose files use `<<: *x`).

use std::collections::HashMap;

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
    /// Value and line of a key, merge keys (`<<`) followed.
    pub fn entry(&self, key: &str) -> Option<(&Yaml, u32)> {
        let Yaml::Map(m) = self else { return None };
        m.iter().find(|(k, _, _)| k == key).map(|(_, v, l)| (v, *l)).or_else(|| {
            m.iter().filter(|(k, _, _)| k == "<<").find_map(|(_, v, _)| match v {
                Yaml::Seq(items) => items.iter().find_map(|(i, _)| i.entry(key)),
                other => other.entry(key),
            })
        })
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
}

enum Frame {
    Seq(Vec<(Yaml, u32)>, usize),
    /// Entries, the key waiting for its value, anchor.
    Map(Vec<(String, Yaml, u32)>, Option<(String, u32)>, usize),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    docs: Vec<Yaml>,
    anchors: HashMap<usize, Yaml>,
}

impl Builder {
    fn value(&mut self, v: Yaml, line: u32, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, v.clone());
        }
        match self.stack.last_mut() {
            None => self.docs.push(v),
            Some(Frame::Seq(items, _)) => items.push((v, line)),
            Some(Frame::Map(entries, pending, _)) => match pending.take() {
                Some((k, l)) => entries.push((k, v, l)),
                None => {
                    let key = match v {
                        Yaml::Scalar(s) => s,
                        _ => String::new(),
                    };
                    *pending = Some((key, line));
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let line = u32::try_from(mark.line()).unwrap_or(u32::MAX).max(1);
        match ev {
            Event::Scalar(s, style, anchor, _) => {
                let plain_null = style == yaml_rust2::scanner::TScalarStyle::Plain && (s == "~" || s == "null");
                self.value(if plain_null { Yaml::Null } else { Yaml::Scalar(s) }, line, anchor);
            }
            Event::Alias(a) => {
                let v = self.anchors.get(&a).cloned().unwrap_or(Yaml::Null);
                self.value(v, line, 0);
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Frame::Seq(Vec::new(), anchor)),
            Event::MappingStart(anchor, _) => self.stack.push(Frame::Map(Vec::new(), None, anchor)),
            Event::SequenceEnd | Event::MappingEnd => {
                let (v, anchor) = match self.stack.pop() {
                    Some(Frame::Seq(items, a)) => (Yaml::Seq(items), a),
                    Some(Frame::Map(entries, _, a)) => (Yaml::Map(entries), a),
                    None => return,
                };
                self.value(v, line, anchor);
            }
            _ => {}
        }
    }
}

/// Every document of a YAML text, or the error message and its line.
pub fn parse(text: &str) -> Result<Vec<Yaml>, (String, u32)> {
    let mut b = Builder::default();
    let mut p = Parser::new_from_str(text);
    match p.load(&mut b, true) {
        Ok(()) => Ok(b.docs),
        Err(e) => Err((e.info().to_string(), u32::try_from(e.marker().line()).unwrap_or(0).max(1))),
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
}
