//! Tree-sitter plumbing shared by the tree-sitter extractors: one parser per
//! thread, each language's query compiled once (its `.scm` files joined so a
//! file is walked by a single query pass), capture names validated at load.
//!
//! Capture vocabulary follows tree-sitter's tags convention: an outer
//! `@role.kind` (`@import.module`), flags as extra captures on the same node
//! (`@import.type_only`), helper captures for predicates start with `_`.

use std::cell::RefCell;

use tree_sitter::{Language, Node, Parser, Query, QueryCursor, StreamingIterator, Tree};

/// A compiled query plus its capture names, checked against the extractor's vocabulary.
pub struct LangQuery {
    pub query: Query,
    names: Vec<String>,
}

impl LangQuery {
    /// Compile the joined `sources`; every capture must be in `allowed` or start with `_`.
    ///
    /// The sources are embedded with `include_str!`, so an error here is a bug
    /// in tapestry (caught by each language's `queries_compile` test), not bad input.
    pub fn new(language: &Language, sources: &[&str], allowed: &[&str]) -> Result<Self, String> {
        let joined = sources.join("\n");
        let query = Query::new(language, &joined).map_err(|e| format!("query error: {e}"))?;
        let names: Vec<String> = query.capture_names().iter().map(|s| (*s).to_string()).collect();
        if let Some(bad) = names.iter().find(|n| !n.starts_with('_') && !allowed.contains(&n.as_str())) {
            return Err(format!("unknown capture @{bad}; allowed: {allowed:?}"));
        }
        Ok(LangQuery { query, names })
    }

    /// Call `f(capture_name, node)` for every non-helper capture of every match, in document order of matches.
    pub fn for_each_capture<'t>(&self, root: Node<'t>, text: &'t [u8], mut f: impl FnMut(&str, Node<'t>)) {
        let mut cursor = QueryCursor::new();
        let mut matches = cursor.matches(&self.query, root, text);
        while let Some(m) = matches.next() {
            for c in m.captures() {
                let name = &self.names[c.index as usize];
                if !name.starts_with('_') {
                    f(name, c.node);
                }
            }
        }
    }
}

impl LangQuery {
    /// Call `f(pattern_kind, captures)` for every match, where `pattern_kind` is
    /// the name of the match's outer capture (the one without a dot-free inner
    /// name: `@endpoint.route`), and `captures` every non-helper capture.
    pub fn for_each_match<'t>(&self, root: Node<'t>, text: &'t [u8], mut f: impl FnMut(&[(&str, Node<'t>)])) {
        let mut cursor = QueryCursor::new();
        let mut matches = cursor.matches(&self.query, root, text);
        let mut caps: Vec<(&str, Node<'t>)> = Vec::new();
        while let Some(m) = matches.next() {
            caps.clear();
            for c in m.captures() {
                let name = self.names[c.index as usize].as_str();
                if !name.starts_with('_') {
                    caps.push((name, c.node));
                }
            }
            f(&caps);
        }
    }
}

/// The node of capture `name` in a match.
pub fn cap<'t>(caps: &[(&str, Node<'t>)], name: &str) -> Option<Node<'t>> {
    caps.iter().find(|(n, _)| *n == name).map(|(_, node)| *node)
}

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new(Parser::new());
}

/// Parse `text` with this thread's parser. `None` only if the grammar cannot
/// be loaded (an ABI mismatch: a build problem) or parsing was cancelled.
pub fn parse(language: &Language, text: &str) -> Option<Tree> {
    PARSER.with(|p| {
        let mut parser = p.borrow_mut();
        parser.set_language(language).ok()?;
        parser.parse(text, None)
    })
}

/// The 1-based line of the first syntax error (an `ERROR` or missing node), if any.
///
/// Iterative (a cursor, no recursion) and it only descends into subtrees that
/// contain an error, so nesting bombs cannot overflow the stack.
pub fn first_error_line(tree: &Tree) -> Option<u32> {
    let root = tree.root_node();
    if !root.has_error() {
        return None;
    }
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            return Some(line(node));
        }
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        // Next sibling that has an error, climbing up when a level is exhausted.
        loop {
            if cursor.goto_next_sibling() {
                if cursor.node().has_error() {
                    break;
                }
                continue;
            }
            if !cursor.goto_parent() {
                return Some(line(root));
            }
        }
    }
}

/// 1-based start line of a node.
pub fn line(node: Node) -> u32 {
    u32::try_from(node.start_position().row).unwrap_or(u32::MAX - 1) + 1
}

/// The text of a node (empty on invalid ranges, which cannot happen for UTF-8 input).
pub fn text<'a>(node: Node, src: &'a [u8]) -> &'a str {
    node.utf8_text(src).unwrap_or("")
}

/// Ancestors of a node, nearest first, at most `limit` of them. `Node::parent`
/// costs O(depth), so the walk is bounded to keep nesting bombs linear.
pub fn ancestors(node: Node, limit: usize) -> impl Iterator<Item = Node> {
    let mut cur = node.parent();
    let mut left = limit;
    std::iter::from_fn(move || {
        if left == 0 {
            return None;
        }
        left -= 1;
        let n = cur?;
        cur = n.parent();
        Some(n)
    })
}
