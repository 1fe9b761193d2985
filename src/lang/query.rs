//! Tree-sitter plumbing shared by the tree-sitter extractors: one parser per
//! thread, each language's query compiled once (its `.scm` files joined so a
//! file is walked by a single query pass), capture names validated at load.
//!
//! Capture vocabulary follows tree-sitter's tags convention: an outer
//! `@role.kind` (`@import.module`), flags as extra captures on the same node
//! (`@import.type_only`), helper captures for predicates start with `_`.
//!
//! Hostile input: tree-sitter parses anything in near-linear time, but its
//! query cursor re-scans the later siblings of every node it enters until it
//! meets a named one, so a node with a long run of anonymous children (what
//! error recovery makes of 100,000 `(` or `+`) costs quadratic time: 40 s for
//! a 200 KB file. [`unreadable_span`] finds such runs and the query skips them.

use std::cell::{Cell, RefCell};
use std::ops::{ControlFlow, Range};
use std::time::{Duration, Instant};

use tree_sitter::{
    Language, Node, ParseOptions, ParseState, Parser, Query, QueryCursor, QueryCursorOptions, QueryCursorState,
    StreamingIterator, Tree,
};

use crate::diagnostic::Diagnostic;
use crate::model::FileFacts;

/// Longest run of consecutive anonymous children (punctuation, keywords) a
/// node may have before the query skips it. Valid code alternates named and
/// anonymous children; only error recovery of junk makes long runs, and the
/// query's cost grows with the square of a run's length.
pub const MAX_ANONYMOUS_RUN: usize = 256;

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
    /// Matches inside `skip` (see [`unreadable_span`]) are not looked for; a
    /// node on either side of it may be reported twice, so callers key by position.
    /// The search stops after [`query_checks`] units of work (pathological
    /// input), with a diagnostic on `facts`.
    pub fn for_each_capture<'t>(
        &self,
        root: Node<'t>,
        text: &'t [u8],
        skip: Option<&Range<usize>>,
        at: (&str, &mut FileFacts),
        mut f: impl FnMut(&str, Node<'t>),
    ) {
        self.for_each_match(root, text, skip, at, |caps| caps.iter().for_each(|&(n, node)| f(n, node)));
    }

    /// Call `f(captures)` for every match with its non-helper captures, over the whole tree.
    pub fn for_each_match<'t>(
        &self,
        root: Node<'t>,
        text: &'t [u8],
        skip: Option<&Range<usize>>,
        (rel, facts): (&str, &mut FileFacts),
        mut f: impl FnMut(&[(&str, Node<'t>)]),
    ) {
        let budget = Budget::new(text.len());
        let mut cursor = QueryCursor::new();
        self.run(&mut cursor, root, text, skip, &budget, &mut f);
        budget.report(rel, facts);
    }

    /// [`Self::for_each_match`] over only those top-level children of `root`
    /// whose text contains one of `needles` (all of them when `None`): the others are not walked at all.
    ///
    /// A query cursor visits every node of the tree, and on ordinary code
    /// that walk cost half as much as parsing (callgrind, BENCHMARKS.md),
    /// while imports sit in a few statements. This gives the same captures as
    /// a full pass provided that (1) no pattern matches `root` itself, and (2)
    /// the text of every match contains one of `needles` (a keyword of the
    /// statement, or the identifier an `#eq?` predicate requires). Each
    /// language's tests check the two passes agree. Framework patterns
    /// (routes, calls) do not meet (2): files that need them take the full pass.
    pub fn for_each_match_near<'t>(
        &self,
        root: Node<'t>,
        text: &'t str,
        needles: Option<&[&str]>,
        skip: Option<&Range<usize>>,
        (rel, facts): (&str, &mut FileFacts),
        mut f: impl FnMut(&[(&str, Node<'t>)]),
    ) {
        let Some(needles) = needles else {
            return self.for_each_match(root, text.as_bytes(), skip, (rel, facts), f);
        };
        let budget = Budget::new(text.len());
        let mut cursor = QueryCursor::new();
        let mut walk = root.walk();
        for child in root.children(&mut walk) {
            let Some(part) = text.get(child.byte_range()) else {
                continue;
            };
            if needles.iter().any(|n| part.contains(n)) {
                self.run(&mut cursor, child, text.as_bytes(), skip, &budget, &mut f);
            }
        }
        budget.report(rel, facts);
    }

    /// Run the query on `node`, around the `skip` span when it overlaps the node.
    fn run<'t>(
        &self,
        cursor: &mut QueryCursor,
        node: Node<'t>,
        text: &'t [u8],
        skip: Option<&Range<usize>>,
        budget: &Budget,
        f: &mut impl FnMut(&[(&str, Node<'t>)]),
    ) {
        let whole = node.byte_range();
        let parts: [Range<usize>; 2] = match skip {
            Some(s) if s.start < whole.end && s.end > whole.start => {
                [whole.start..s.start.max(whole.start), s.end.min(whole.end)..whole.end]
            }
            _ => [whole, 0..0],
        };
        let mut check = |_: &QueryCursorState| {
            if budget.spend() {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(())
            }
        };
        let mut caps: Vec<(&str, Node<'t>)> = Vec::new();
        for range in parts.into_iter().filter(|r| !r.is_empty()) {
            // The containing range keeps the cursor out of the skipped nodes
            // altogether: it neither enters nor descends into them.
            cursor.set_containing_byte_range(range);
            let options = QueryCursorOptions::new().progress_callback(&mut check);
            let mut matches = cursor.matches_with_options(&self.query, node, text, options);
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
}

/// What a query search may spend on one file: [`query_checks`] progress
/// checks, each after 1,000 units of the cursor's work (tree-sitter charges one
/// per step plus one per pattern state in flight, so the count depends only on
/// the tree and the query: the same file stops at the same point on every
/// machine). [`backstop_time`] is a last resort.
struct Budget {
    checks: Cell<u64>,
    max: u64,
    started: Instant,
    max_time: Duration,
    /// Why the search stopped, if it did.
    stopped: Cell<Option<Stop>>,
}

#[derive(Clone, Copy)]
enum Stop {
    Checks(u64),
    Time(Duration),
}

impl Budget {
    fn new(len: usize) -> Self {
        let (max, max_time) = (query_checks(len), backstop_time(len));
        Budget { checks: Cell::new(0), max, started: Instant::now(), max_time, stopped: Cell::new(None) }
    }
    /// Count one progress check; false once the budget is spent.
    fn spend(&self) -> bool {
        let n = self.checks.get() + 1;
        self.checks.set(n);
        if n > self.max {
            self.stopped.set(Some(Stop::Checks(self.max)));
        } else if n % 64 == 0 && self.started.elapsed() > self.max_time {
            self.stopped.set(Some(Stop::Time(self.max_time)));
        }
        self.stopped.get().is_none()
    }
    fn report(&self, rel: &str, facts: &mut FileFacts) {
        let why = match self.stopped.get() {
            None => return,
            Some(Stop::Checks(n)) => format!("{n} progress checks"),
            Some(Stop::Time(d)) => format!("{} s", d.as_secs()),
        };
        facts.diagnostics.push(Diagnostic::error(
            rel,
            None,
            format!("search for imports stopped after {why} (pathological input): some may be missing"),
        ));
    }
}

/// How many query progress checks (1,000 units of cursor work each) a text of
/// `len` bytes may take. Measured: ordinary code needs 5-6 per KB on the full
/// pass (benches/data: 39 for 7 KB of Python, 34 for 5 KB of TypeScript), the
/// 2 MB lines and minified bundles none (only statements with an import
/// keyword are searched), 100 KB of random token soup 2-3; 64 per KB plus
/// 10,000 is ten times the most measured.
pub fn query_checks(len: usize) -> u64 {
    10_000 + u64::try_from(len).unwrap_or(u64::MAX / 64).saturating_mul(64) / 1024
}

/// Record a tree's syntax problems on `facts` (the first error's line; a span
/// too degenerate to query) and return the byte range the query must skip.
pub fn check_tree(rel: &str, tree: &Tree, facts: &mut FileFacts) -> Option<Range<usize>> {
    if let Some(line) = first_error_line(tree) {
        facts.parse_error = true;
        facts.diagnostics.push(Diagnostic::warning(
            rel,
            Some(line),
            "syntax error: imports were read as far as the parser could recover",
        ));
    }
    let skip = unreadable_span(tree)?;
    let (from, to) = (line_at(tree, skip.start), line_at(tree, skip.end.saturating_sub(1)));
    facts.diagnostics.push(Diagnostic::warning(
        rel,
        Some(from),
        format!(
            "lines {from}-{to}: more than {MAX_ANONYMOUS_RUN} tokens in a row that parse as nothing \
             (junk or a pathological syntax error): not searched for imports"
        ),
    ));
    Some(skip)
}

fn line_at(tree: &Tree, byte: usize) -> u32 {
    tree.root_node().descendant_for_byte_range(byte, byte).map_or(1, line)
}

/// The byte range from the first to the last run of more than
/// [`MAX_ANONYMOUS_RUN`] consecutive anonymous children of one node, if any.
///
/// One iterative pass over the tree (a cursor and a stack of run counters, no
/// recursion). Only trees with errors can have such runs, so valid files
/// skip the walk.
pub fn unreadable_span(tree: &Tree) -> Option<Range<usize>> {
    if !tree.root_node().has_error() {
        return None;
    }
    let mut cursor = tree.walk();
    // Per open level: (length of the current anonymous run, its start byte).
    let mut runs: Vec<(usize, usize)> = vec![(0, 0)];
    let mut span: Option<Range<usize>> = None;
    loop {
        let node = cursor.node();
        if let Some(run) = runs.last_mut() {
            if node.is_named() {
                *run = (0, 0);
            } else {
                if run.0 == 0 {
                    run.1 = node.start_byte();
                }
                run.0 += 1;
                if run.0 > MAX_ANONYMOUS_RUN {
                    let start = span.as_ref().map_or(run.1, |s| s.start.min(run.1));
                    let end = span.as_ref().map_or(node.end_byte(), |s| s.end.max(node.end_byte()));
                    span = Some(start..end);
                }
            }
        }
        if cursor.goto_first_child() {
            runs.push((0, 0));
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return span;
            }
            runs.pop();
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

/// Why a file has no syntax tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseFailure {
    /// The grammar cannot be loaded (an ABI mismatch: a build problem).
    Grammar,
    /// The parser did more than [`parse_steps`] steps: abandoned.
    TooManySteps(u64),
    /// The lexer asked for more than [`parse_reads`] chunks of input: abandoned.
    TooManyReads(u64),
    /// Parsing took longer than [`backstop_time`]: abandoned.
    TooLong(Duration),
}

/// How many parser progress checks (each about 100 parse steps) a text of
/// `len` bytes may take. Measured: ordinary code needs 5-30 per KB, dense
/// minified code and 2 MB single lines under 30; junk that drives error
/// recovery into super-linear work needs thousands (60 KB of
/// `é\u{feff}lambda:` in Python: 4,273 per KB, 29 s). Deterministic: the same
/// input is abandoned on every machine.
pub fn parse_steps(len: usize) -> u64 {
    10_000 + u64::try_from(len).unwrap_or(u64::MAX / 256).saturating_mul(256) / 1024
}

/// Bytes the lexer is handed per request. Small, so that the number of
/// requests measures how much the lexer reads, which parser steps do not
/// count: a lexer that rescans the rest of the file for every token (60 KB of
/// `..\n#` in Python) reads quadratically many bytes in few steps.
pub const INPUT_CHUNK: usize = 4096;

/// How many [`INPUT_CHUNK`]s the lexer may request for a text of `len`
/// bytes: 64 per chunk of the text plus 1,000. Measured: files over 20 KB ask
/// for each chunk at most 1.5 times (a 4 MB minified bundle: 1,412 requests
/// for 977 chunks), smaller ones at most 20 requests, random token soup 0.4
/// per chunk; 60 KB of `..\n#` passes the budget of 1,896 after a single
/// parser progress check. Deterministic, like [`parse_steps`].
pub fn parse_reads(len: usize) -> u64 {
    1_000 + u64::try_from(len / INPUT_CHUNK).unwrap_or(u64::MAX / 64).saturating_mul(64)
}

/// Last-resort wall-clock guard, for work that neither steps nor reads count.
/// 30 s plus 10 s per MB is ten times what the slowest ordinary input
/// measured needs; no input found so far reaches it, and it is the one place
/// where a report could depend on the machine's speed.
pub fn backstop_time(len: usize) -> Duration {
    Duration::from_secs(30) + Duration::from_millis(u64::try_from(len / 100).unwrap_or(u64::MAX))
}

/// Parse `text` with this thread's parser, within [`parse_steps`],
/// [`parse_reads`] and [`backstop_time`].
pub fn parse(language: &Language, text: &str) -> Result<Tree, ParseFailure> {
    PARSER.with(|p| {
        let mut parser = p.borrow_mut();
        parser.set_language(language).map_err(|_| ParseFailure::Grammar)?;
        let (max_steps, max_reads, max_time) =
            (parse_steps(text.len()), parse_reads(text.len()), backstop_time(text.len()));
        let started = Instant::now();
        let (mut steps, reads) = (0u64, Cell::new(0u64));
        let failure = Cell::new(None);
        let mut check = |_: &ParseState| {
            steps += 1;
            if steps > max_steps {
                failure.set(Some(ParseFailure::TooManySteps(max_steps)));
            } else if steps % 64 == 0 && started.elapsed() > max_time {
                failure.set(Some(ParseFailure::TooLong(max_time)));
            }
            if failure.get().is_some() {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let bytes = text.as_bytes();
        // Past the read budget the lexer sees the end of the text; the next
        // progress check (or the end of the parse) sees the failure.
        let mut read = |i: usize, _| {
            reads.set(reads.get() + 1);
            if reads.get() > max_reads {
                failure.set(Some(ParseFailure::TooManyReads(max_reads)));
                return &[][..];
            }
            bytes.get(i..bytes.len().min(i.saturating_add(INPUT_CHUNK))).unwrap_or_default()
        };
        let tree = parser.parse_with_options(&mut read, None, Some(ParseOptions::new().progress_callback(&mut check)));
        match (tree, failure.get()) {
            (Some(tree), None) => Ok(tree),
            (_, failure) => {
                // A cancelled parser resumes where it stopped unless reset.
                parser.reset();
                Err(failure.unwrap_or(ParseFailure::TooManySteps(max_steps)))
            }
        }
    })
}

/// The diagnostic for a file without a tree.
pub fn parse_failure(rel: &str, failure: ParseFailure, facts: &mut FileFacts) {
    let message = match failure {
        ParseFailure::Grammar => "parser unavailable (grammar version mismatch): not read".to_string(),
        ParseFailure::TooManySteps(n) => {
            facts.parse_error = true;
            format!("parsing abandoned after {n} progress checks (pathological input): no imports read")
        }
        ParseFailure::TooManyReads(n) => {
            facts.parse_error = true;
            format!("parsing abandoned after {n} reads of {INPUT_CHUNK} bytes (pathological input): no imports read")
        }
        ParseFailure::TooLong(d) => {
            facts.parse_error = true;
            format!("parsing abandoned after {} s (pathological input): no imports read", d.as_secs())
        }
    };
    facts.diagnostics.push(Diagnostic::error(rel, None, message));
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

/// Test helper for each language: the skipping pass ([`LangQuery::for_each_match_near`]
/// with `needles`) captures exactly what a full pass over the tree does, and something.
#[cfg(test)]
pub fn assert_same_as_full_pass(q: &LangQuery, language: &tree_sitter::Language, src: &str, needles: &[&str]) {
    let tree = parse(language, src).unwrap();
    let mut full = Vec::new();
    let mut scratch = FileFacts::default();
    q.for_each_capture(tree.root_node(), src.as_bytes(), None, ("t", &mut scratch), |n, node| {
        full.push((n.to_string(), node.id()));
    });
    let mut near = Vec::new();
    q.for_each_match_near(tree.root_node(), src, Some(needles), None, ("t", &mut scratch), |caps| {
        for &(n, node) in caps {
            near.push((n.to_string(), node.id()));
        }
    });
    full.sort();
    near.sort();
    assert_eq!(full, near);
    assert!(!full.is_empty());
}
