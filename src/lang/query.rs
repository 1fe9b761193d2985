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

/// The captures of one match: (capture name, node), helper captures left out.
pub type Captures<'t> = Vec<(&'static str, Node<'t>)>;

/// A pattern matched by Rust code instead of by the query: the kind of its
/// outermost node, and a function that, given a node of that kind and the
/// source, pushes the captures of its matches (each match's outer capture, the
/// one whose name has a `.`, first; matches one after another) and returns
/// whether it matches.
///
/// For shapes so common that running the query at each of them costs more
/// than the rest of the pass (Python's `NAME = value` statements: most of
/// Django's query runs). A native pattern must give exactly the matches of
/// the query pattern it stands for (each has a test comparing the two); the
/// walk of [`LangQuery::for_each_match`] visits every node of its kind.
pub struct Native {
    pub kind: &'static str,
    /// The one query pattern this stands for, if it is one: the walk runs the
    /// native only where that pattern's words occur, as it would run the
    /// pattern (see `Starts`). `None`: at every node of its kind.
    pub pattern: Option<&'static str>,
    pub matches: for<'t> fn(Node<'t>, &[u8], &mut Captures<'t>) -> bool,
}

/// A compiled query plus its capture names, checked against the extractor's vocabulary.
pub struct LangQuery {
    /// `None` when every pattern is native: compiling even the seven import
    /// patterns cost ~87 M instructions per grammar (BENCHMARKS.md, "Session 21").
    pub query: Option<Query>,
    names: Vec<String>,
    /// Patterns matched in Rust, run at the nodes of their kind: the import
    /// natives first (they run in [`Self::for_each_match_near`] too), then the others.
    natives: Vec<&'static Native>,
    /// How many of `natives` are import natives.
    near_natives: usize,
    /// Where matches can start (see [`Self::for_each_match`]); `None` when a
    /// pattern's root is a wildcard or an alternation, which only a search
    /// from every node can find.
    starts: Option<Starts>,
}

impl LangQuery {
    /// Compile the joined `sources`; every capture must be in `allowed` or start with `_`.
    ///
    /// The sources are embedded with `include_str!`, so an error here is a bug
    /// in tapestry (caught by each language's `queries_compile` test), not bad input.
    pub fn new(language: &Language, sources: &[&str], allowed: &[&str]) -> Result<Self, String> {
        Self::with_natives(language, sources, allowed, &[])
    }

    /// [`Self::new`] plus `natives`, whose captures must be in `allowed` too.
    pub fn with_natives(
        language: &Language,
        sources: &[&str],
        allowed: &[&str],
        natives: &'static [Native],
    ) -> Result<Self, String> {
        Self::with_import_natives(language, sources, allowed, &[], natives)
    }

    /// [`Self::with_natives`] plus `imports`: natives that run in the pass over the
    /// statements of [`Self::for_each_match_near`] as well. Without `sources`, no
    /// query is compiled at all.
    pub fn with_import_natives(
        language: &Language,
        sources: &[&str],
        allowed: &[&str],
        imports: &'static [Native],
        natives: &'static [Native],
    ) -> Result<Self, String> {
        let joined = sources.join("\n");
        let query = match sources.is_empty() {
            true => None,
            false => Some(Query::new(language, &joined).map_err(|e| format!("query error: {e}"))?),
        };
        let names: Vec<String> =
            query.iter().flat_map(|q| q.capture_names().iter().map(|s| (*s).to_string())).collect();
        if let Some(bad) = names.iter().find(|n| !n.starts_with('_') && !allowed.contains(&n.as_str())) {
            return Err(format!("unknown capture @{bad}; allowed: {allowed:?}"));
        }
        let all: Vec<&'static Native> = imports.iter().chain(natives).collect();
        let starts = Starts::new(language, query.as_ref(), &joined, &all);
        Ok(LangQuery { query, names, natives: all, near_natives: imports.len(), starts })
    }

    /// Look for the case-sensitive `exact` words (at most 128) in the pass that finds the
    /// patterns' words ([`Self::prescan`]): a caller gating its own passes on words
    /// then reads a file once where it read it twice (0.4 G instructions on eclipse-theia).
    pub fn with_exact_words(mut self, exact: &'static [&'static str]) -> Self {
        if let Some(starts) = self.starts.as_mut().filter(|_| exact.len() <= 128) {
            starts.exact = exact;
            starts.texts = automaton(&starts.word_texts, exact);
        }
        self
    }

    /// The words of the whole `text` for [`Self::for_each_match_prescanned`], with the
    /// exact words found (bit `i` for `exact[i]`); `None` without exact words or a walk.
    pub fn prescan(&self, text: &[u8]) -> Option<Prescan> {
        let starts = self.starts.as_ref().filter(|s| !s.exact.is_empty())?;
        let (hits, exact) = starts.hits_and_exact(text, 0..text.len());
        Some(Prescan { hits, exact })
    }

    /// [`Self::for_each_match`] with the words [`Self::prescan`] found in `text`.
    pub fn for_each_match_prescanned<'t>(
        &self,
        root: Node<'t>,
        text: &'t [u8],
        skip: Option<&Range<usize>>,
        pre: &Prescan,
        (rel, facts): (&str, &mut FileFacts),
        mut f: impl FnMut(&[(&str, Node<'t>)]),
    ) {
        let Some(starts) = &self.starts else {
            return self.for_each_match(root, text, skip, (rel, facts), f);
        };
        let budget = Budget::new(text.len());
        let mut cursor = QueryCursor::new();
        cursor.set_max_start_depth(Some(0));
        let walk = Walk { starts, hits: &pre.hits, natives: self.natives.len() };
        self.walk(root, &walk, text, skip, (&budget, &mut cursor, &mut Vec::new()), &mut f);
        budget.report(rel, facts);
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
    ///
    /// Matches are looked for only where they can start: one walk with a
    /// plain tree cursor visits every node, and the query runs (with its start
    /// depth limited to 0) on the nodes whose kind is the outermost node of
    /// some pattern, descending only as far as that pattern's steps need. A
    /// query cursor run over the whole tree visits every node too, but at
    /// several times the cost per node (it updates each pattern state in
    /// flight at each one): on Django that walk was a third of a scan
    /// (BENCHMARKS.md, "The architecture pass and the floor").
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
        let mut caps = Vec::new();
        match &self.starts {
            None => {
                self.run(&mut cursor, root, text, skip, &budget, &mut f);
                self.natives_everywhere(root, text, skip, self.natives.len(), &mut caps, &mut f);
            }
            Some(starts) => {
                cursor.set_max_start_depth(Some(0));
                let hits = starts.hits(text, 0..text.len());
                let walk = Walk { starts, hits: &hits, natives: self.natives.len() };
                self.walk(root, &walk, text, skip, (&budget, &mut cursor, &mut caps), &mut f);
            }
        }
        budget.report(rel, facts);
    }

    /// The walk of [`Self::for_each_match`] over `top` and the nodes below it.
    ///
    /// It visits only the nodes that hold a word of some pattern, and their ancestors:
    /// a node entered for a word goes straight to its children holding one, found
    /// with `goto_first_child_for_byte` (a loop over the children in C), where stepping
    /// through every child cost ~600 instructions a sibling (1.07 million steps on
    /// eclipse-theia, most to children holding no word, BENCHMARKS.md "Session 24").
    /// A native's words lie inside the node it matches, so it can match only at such a
    /// node. All the children are visited, as before, of a node that can hold the root
    /// of a pattern without words (`holds_unconditional`) and of one holding a syntax
    /// error (entered whatever its words; an error below a node is an error in it).
    fn walk<'t>(
        &self,
        top: Node<'t>,
        w: &Walk,
        text: &'t [u8],
        skip: Option<&Range<usize>>,
        (budget, cursor, caps): (&Budget, &mut QueryCursor, &mut Captures<'t>),
        f: &mut impl FnMut(&[(&str, Node<'t>)]),
    ) {
        let (starts, hits) = (w.starts, w.hits);
        let mut walk = top.walk();
        // Per node entered below `top`: its end, and whether all its children are visited.
        let mut entered: Vec<(usize, bool)> = Vec::new();
        loop {
            let node = walk.node();
            // One call for the node's range (~50 instructions each; a million nodes a corpus).
            let range = node.byte_range();
            let inside_skip = skip.is_some_and(|s| s.start <= range.start && range.end <= s.end);
            let kind = usize::from(node.kind_id());
            if !inside_skip && starts.may_match(kind, hits, range.clone()) {
                self.run(cursor, node, text, skip, budget, f);
            }
            if w.natives > 0 {
                for &i in starts.natives.get(kind).into_iter().flatten() {
                    if i < w.natives && starts.native_may_match(i, hits, range.clone()) {
                        self.native(i, node, text, skip, caps, f);
                    }
                }
            }
            if budget.stopped.get().is_some() {
                break;
            }
            let error = node.has_error();
            if !inside_skip && (error || starts.must_enter(kind, hits, range.clone())) {
                let all = error || starts.holds_unconditional(kind);
                let went = match all {
                    true => walk.goto_first_child(),
                    false => hits
                        .first_from(range.start)
                        .filter(|&h| h < range.end)
                        .is_some_and(|h| walk.goto_first_child_for_byte(h).is_some()),
                };
                if went {
                    entered.push((range.end, all));
                    continue;
                }
            }
            // The next node to visit: a later child of the nearest entered ancestor.
            let mut done = range.end;
            loop {
                let Some(&(end, all)) = entered.last() else { return };
                if all {
                    if walk.goto_next_sibling() {
                        break;
                    }
                } else if let Some(h) = hits.first_from(done).filter(|&h| h < end) {
                    if !walk.goto_parent() {
                        return;
                    }
                    if walk.goto_first_child_for_byte(h).is_some() {
                        break;
                    }
                    // `h` lies in the parent's own text after its last child (a string's
                    // content around its escapes): no child is left.
                    entered.pop();
                    done = end;
                    continue;
                }
                entered.pop();
                if !walk.goto_parent() {
                    return;
                }
                done = end;
            }
        }
    }

    /// [`Self::for_each_match`] over only those top-level children of `root`
    /// whose text contains one of `needles` (all of them when `None`): the others are not walked at all,
    /// and each of those is walked as a whole tree is, entering only where a pattern's words occur.
    ///
    /// A query cursor visits every node of the tree, and on ordinary code
    /// that walk cost half as much as parsing (callgrind, BENCHMARKS.md),
    /// while imports sit in a few statements (and an `export class` of a
    /// thousand lines holds no `require(`). This gives the same captures as
    /// a full pass provided that (1) no pattern matches `root` itself, and (2)
    /// the text of every match contains one of `needles` (a keyword of the
    /// statement, or the identifier an `#eq?` predicate requires). Each
    /// language's tests check the two passes agree. Framework patterns
    /// (routes, calls) do not meet (2): files that need them take the full pass.
    /// With `needles`, only the import natives run of the [`Native`] patterns.
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
        let near = |c: &Node| text.get(c.byte_range()).is_some_and(|part| needles.iter().any(|n| part.contains(n)));
        let tops: Vec<Node<'t>> = root.children(&mut walk).filter(near).collect();
        let src = text.as_bytes();
        match &self.starts {
            None => {
                let mut caps = Vec::new();
                for child in tops {
                    self.run(&mut cursor, child, src, skip, &budget, &mut f);
                    self.natives_everywhere(child, src, skip, self.near_natives, &mut caps, &mut f);
                }
            }
            // Each statement as the whole tree is walked: the query runs only where a
            // pattern can start and its words occur (an `export class` of 2,000 lines
            // holding no `require(` is not searched node by node).
            Some(starts) => {
                cursor.set_max_start_depth(Some(0));
                let mut caps = Vec::new();
                for child in tops {
                    let hits = starts.hits(src, child.byte_range());
                    let w = Walk { starts, hits: &hits, natives: self.near_natives };
                    self.walk(child, &w, src, skip, (&budget, &mut cursor, &mut caps), &mut f);
                }
            }
        }
        budget.report(rel, facts);
    }

    /// Native pattern `i` at `node`, unless the node overlaps `skip` (where
    /// the query, too, reports no match: its nodes must lie inside the range searched).
    fn native<'t>(
        &self,
        i: usize,
        node: Node<'t>,
        text: &[u8],
        skip: Option<&Range<usize>>,
        caps: &mut Captures<'t>,
        f: &mut impl FnMut(&[(&str, Node<'t>)]),
    ) {
        if skip.is_some_and(|s| s.start < node.end_byte() && node.start_byte() < s.end) {
            return;
        }
        caps.clear();
        if (self.natives[i].matches)(node, text, caps) {
            // One native may give several matches, each led by its outer capture.
            let mut rest = &caps[..];
            while let Some((_, tail)) = rest.split_first() {
                let len = 1 + tail.iter().position(|(n, _)| n.contains('.')).unwrap_or(tail.len());
                f(&rest[..len]);
                rest = &rest[len..];
            }
        }
    }

    /// The first `count` native patterns at every node below `root`, in pre-order (for a
    /// query without [`Starts`], after its full pass).
    fn natives_everywhere<'t>(
        &self,
        root: Node<'t>,
        text: &[u8],
        skip: Option<&Range<usize>>,
        count: usize,
        caps: &mut Captures<'t>,
        f: &mut impl FnMut(&[(&str, Node<'t>)]),
    ) {
        if count == 0 {
            return;
        }
        let mut walk = root.walk();
        loop {
            let node = walk.node();
            for (i, native) in self.natives.iter().take(count).enumerate() {
                if native.kind == node.kind_name() {
                    self.native(i, node, text, skip, caps, f);
                }
            }
            if !walk.goto_first_child() && !next_in_preorder(&mut walk) {
                break;
            }
        }
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
        let Some(query) = &self.query else { return };
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
            let mut matches = cursor.matches_with_options(query, node, text, options);
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

/// Each known grammar's node kind names by kind id (see [`kind`]).
static KIND_NAMES: std::sync::LazyLock<Vec<(Language, Vec<Box<str>>)>> = std::sync::LazyLock::new(|| {
    // The one a node most likely has first: each is tried in turn.
    let known: [Language; 4] = [
        tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        tree_sitter_typescript::LANGUAGE_TSX.into(),
        tree_sitter_javascript::LANGUAGE.into(),
        tree_sitter_python::LANGUAGE.into(),
    ];
    known
        .into_iter()
        .map(|l| {
            let names = (0..l.node_kind_count())
                .map(|id| u16::try_from(id).ok().and_then(|id| l.node_kind_for_id(id)).unwrap_or_default().into())
                .collect();
            (l, names)
        })
        .collect()
});

/// `node.kind_name()`, read from a table of the grammar's kind names: tree-sitter's `Node::kind`
/// finds the name's C string and checks it is UTF-8 at every call, about 200 instructions,
/// and the JS/TS passes ask it 2.3 million times on eclipse-theia (BENCHMARKS.md, "Session 22").
pub fn kind<'t>(node: Node<'t>) -> &'t str {
    let language = node.language();
    if let Some((_, names)) = KIND_NAMES.iter().find(|(l, _)| *l == *language) {
        if let Some(name) = names.get(usize::from(node.kind_id())) {
            return name;
        }
    }
    node.kind()
}

/// Where a word occurs in a node's text, for walks that enter only the subtrees
/// spelling it (a name's assignments all contain the name).
pub struct Occurrences(Vec<usize>);

impl Occurrences {
    /// The byte offsets of `word` in `node`'s text (none for an empty word).
    pub fn of(node: Node, word: &str, src: &[u8]) -> Self {
        let text = src.get(node.byte_range()).unwrap_or_default();
        let at = if word.is_empty() { Vec::new() } else { memchr::memmem::find_iter(text, word.as_bytes()).collect() };
        Occurrences(at.into_iter().map(|i| i + node.start_byte()).collect())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the byte range holds an occurrence.
    pub fn within(&self, r: std::ops::Range<usize>) -> bool {
        self.0.get(self.0.partition_point(|&i| i < r.start)).is_some_and(|&i| i < r.end)
    }
}

/// Move `walk` to the next node in pre-order that is not below it; false at the end.
pub fn next_in_preorder(walk: &mut tree_sitter::TreeCursor) -> bool {
    while !walk.goto_next_sibling() {
        if !walk.goto_parent() {
            return false;
        }
    }
    true
}

/// Where a query's matches can start, so that the query need not run from
/// every node: each pattern's outermost node kind, and words its text must
/// contain.
///
/// Both are read from the query's own source, so the `.scm` files stay the
/// one place that says what is searched for. The kind is the first name at a
/// pattern's start (`((string) …)`, `(call …)`). The words come from its
/// positive text predicates: a capture that `#eq?`s or is `#any-of?` some
/// strings contains one of them, and one that `#match?`es a regex contains
/// one of the regex's literal prefixes or suffixes when the regex has a
/// finite set of them (`regex-syntax` extracts them). Captures lie inside the
/// pattern's outermost node, so a node whose text holds none of a pattern's
/// words cannot start a match of it. Words are looked for ignoring ASCII case
/// (a superset of the hits, so `(?i:select)` needs no case variants).
struct Starts {
    /// Kind id → the patterns whose outermost node has that kind.
    by_kind: Vec<Vec<usize>>,
    /// Pattern → ids (into `words`) of which one must occur; `None`: no
    /// condition. The query's patterns, then the natives'.
    needs: Vec<Option<Vec<usize>>>,
    /// How many of `needs` are the query's patterns.
    patterns: usize,
    /// Word id → (index of its text in `texts`, the word boundaries around it).
    words: Vec<(usize, Edges)>,
    /// The distinct texts of the words, searched for in one pass, then the
    /// [`LangQuery::with_exact_words`] (matched with their case, for the caller).
    texts: super::finder::Finder,
    /// The distinct texts of the words (lower case), as `texts` was built from them.
    word_texts: Vec<String>,
    /// Words the caller looks for in the same pass, case-sensitive (at most 128).
    exact: &'static [&'static str],
    /// Text index → the words with that text.
    by_text: Vec<Vec<usize>>,
    /// Kind id → whether a node of this kind can hold, below it, the
    /// outermost node of a pattern without words (from the grammar's
    /// `node-types.json`; true for kinds it does not list). Other subtrees
    /// need to be entered only where a word occurs.
    holds_unconditional: Vec<bool>,
    /// Kind id → the native patterns (indexes into [`LangQuery`]'s `natives`) of that kind.
    natives: Vec<Vec<usize>>,
}

/// What one walk of [`LangQuery::walk`] looks with: where matches can start, the
/// words found, and how many of the native patterns run too (the first ones).
struct Walk<'a> {
    starts: &'a Starts,
    hits: &'a Hits,
    natives: usize,
}

/// The words of a whole text, found before its walk ([`LangQuery::prescan`]).
pub struct Prescan {
    hits: Hits,
    exact: u128,
}

impl Prescan {
    /// Which exact words occur: bit `i` for the `i`th of [`LangQuery::with_exact_words`].
    pub fn exact(&self) -> u128 {
        self.exact
    }
}

/// Pattern → sorted start offsets of its words in one text (empty for
/// patterns without words), and all of them together.
struct Hits(Vec<Vec<usize>>, Vec<usize>);

impl Hits {
    /// Whether one of the sorted offsets `at` lies in `range`.
    fn any_in(&self, at: &[usize], range: Range<usize>) -> bool {
        at.get(at.partition_point(|&i| i < range.start)).is_some_and(|&i| i < range.end)
    }

    /// The first offset of any word at or after `from`.
    fn first_from(&self, from: usize) -> Option<usize> {
        self.1.get(self.1.partition_point(|&i| i < from)).copied()
    }
}

impl Starts {
    fn new(language: &Language, query: Option<&Query>, source: &str, natives: &[&Native]) -> Option<Self> {
        let count = query.map_or(0, Query::pattern_count);
        let bounds: Vec<usize> =
            (0..count).filter_map(|i| Some(query?.start_byte_for_pattern(i))).chain([source.len()]).collect();
        let mut kinds: Vec<&str> = Vec::with_capacity(count);
        let (mut texts, mut words): (Vec<String>, Vec<(usize, Edges)>) = (Vec::new(), Vec::new());
        let mut needs = Vec::with_capacity(count + natives.len());
        let mut need = |text: &str| {
            // Without a text predicate, the keyword of a node kind every match contains.
            let keyword =
                || required_kinds(text).into_iter().find_map(keyword).map(|k| (vec![k.to_string()], Edges::WHOLE));
            pattern_words(text).or_else(keyword).map(|(ws, edges)| {
                ws.into_iter()
                    .map(|w| (index_of(&mut texts, w), edges))
                    .map(|word| index_of(&mut words, word))
                    .collect::<Vec<usize>>()
            })
        };
        for i in 0..count {
            let text = source.get(bounds[i]..bounds[i + 1].max(bounds[i]))?;
            kinds.push(root_kind(text)?);
            needs.push(need(text));
        }
        // A native standing for one pattern needs that pattern's words.
        for native in natives {
            if native.pattern.is_some_and(|p| root_kind(p) != Some(native.kind)) {
                return None;
            }
            needs.push(native.pattern.and_then(&mut need));
        }
        let mut by_kind = vec![Vec::new(); language.node_kind_count()];
        for (id, slot) in by_kind.iter_mut().enumerate() {
            let id = u16::try_from(id).ok()?;
            if let (true, Some(kind)) = (language.node_kind_is_named(id), language.node_kind_for_id(id)) {
                slot.extend((0..count).filter(|&p| kinds[p] == kind));
            }
        }
        // Native patterns without words: the walk must reach every node of their kinds.
        let unconditional: Vec<&str> = (0..count)
            .filter(|&p| needs[p].is_none())
            .map(|p| kinds[p])
            .chain(natives.iter().enumerate().filter(|(i, _)| needs[count + i].is_none()).map(|(_, n)| n.kind))
            .collect();
        let holders = node_types(language).and_then(|json| holders(json, &unconditional));
        // The walk enters a node with a keyword kind that holds such a root
        // because of its kind, and the node's ancestors because its keyword
        // is in their text: looked for with the patterns' words, needed by none.
        for k in holders.iter().flat_map(|(_, stops)| stops).filter_map(|k| keyword(k)) {
            let word = (index_of(&mut texts, k.to_string()), Edges::WHOLE);
            index_of(&mut words, word);
        }
        let holds_unconditional = (0..by_kind.len())
            .map(|id| {
                let id = u16::try_from(id).unwrap_or(u16::MAX);
                match (&holders, language.node_kind_for_id(id)) {
                    (Some((h, _)), Some(kind)) if language.node_kind_is_named(id) => {
                        h.get(kind).copied().unwrap_or(true)
                    }
                    (Some(_), _) => false,
                    (None, _) => true,
                }
            })
            .collect();
        let mut by_text = vec![Vec::new(); texts.len()];
        for (id, &(t, _)) in words.iter().enumerate() {
            by_text[t].push(id);
        }
        let word_texts = texts;
        let texts = automaton(&word_texts, &[]);
        let mut native_by_kind = vec![Vec::new(); by_kind.len()];
        for (i, native) in natives.iter().enumerate() {
            let id = usize::from(language.id_for_node_kind(native.kind, true));
            native_by_kind.get_mut(id).filter(|_| id != 0)?.push(i);
        }
        Some(Starts {
            by_kind,
            needs,
            patterns: count,
            words,
            texts,
            word_texts,
            exact: &[],
            by_text,
            holds_unconditional,
            natives: native_by_kind,
        })
    }

    /// Whether the walk must enter a node of `kind` spanning `range`: it can
    /// hold a pattern root without words, or a word occurs in it.
    fn must_enter(&self, kind: usize, hits: &Hits, range: Range<usize>) -> bool {
        self.holds_unconditional.get(kind).copied().unwrap_or(true) || hits.any_in(&hits.1, range)
    }

    /// Whether a node of `kind` can hold, below it, the root of a pattern without words.
    fn holds_unconditional(&self, kind: usize) -> bool {
        self.holds_unconditional.get(kind).copied().unwrap_or(true)
    }

    /// Where each pattern's words occur in `range` of `text` (a word at the range's
    /// edge is told from a longer word by the bytes of `text` around it).
    fn hits(&self, text: &[u8], range: Range<usize>) -> Hits {
        self.hits_and_exact(text, range).0
    }

    /// [`Self::hits`], and which of the exact words occur in `range` (bit `i`: `exact[i]`).
    fn hits_and_exact(&self, text: &[u8], range: Range<usize>) -> (Hits, u128) {
        let mut by_word: Vec<Vec<usize>> = vec![Vec::new(); self.words.len()];
        let mut exact = 0u128;
        let is_word = |i: Option<usize>| i.and_then(|i| text.get(i)).is_some_and(|b| is_word_byte(*b));
        self.texts.find(text, range, |t, start| {
            let Some(ids) = self.by_text.get(t) else {
                // An exact word (the finder compared it as written, case and all).
                exact |= 1 << (t - self.by_text.len());
                return ControlFlow::Continue(());
            };
            let end = start + self.texts.len_of(t);
            let found = Edges { start: !is_word(start.checked_sub(1)), end: !is_word(Some(end)) };
            for &id in ids {
                if found.satisfies(self.words[id].1) {
                    by_word[id].push(start);
                }
            }
            ControlFlow::Continue(())
        });
        let mut all: Vec<usize> = by_word.concat();
        all.sort_unstable();
        all.dedup();
        let per_pattern = self
            .needs
            .iter()
            .map(|need| {
                let mut at: Vec<usize> = need.iter().flatten().flat_map(|&w| by_word[w].iter().copied()).collect();
                at.sort_unstable();
                at
            })
            .collect();
        (Hits(per_pattern, all), exact)
    }

    /// Can native `i` match at a node spanning `range` (its pattern's words occur there)?
    fn native_may_match(&self, i: usize, hits: &Hits, range: Range<usize>) -> bool {
        match self.needs.get(self.patterns + i) {
            Some(Some(_)) => hits.any_in(&hits.0[self.patterns + i], range),
            _ => true,
        }
    }

    /// Can a match of some pattern start at a node of `kind` spanning `range`?
    fn may_match(&self, kind: usize, hits: &Hits, range: Range<usize>) -> bool {
        self.by_kind.get(kind).is_some_and(|patterns| {
            patterns.iter().any(|&p| match self.needs[p] {
                None => true,
                Some(_) => hits.any_in(&hits.0[p], range.clone()),
            })
        })
    }
}

/// One finder of `words` (ignoring ASCII case) then `exact` (as written).
fn automaton(words: &[String], exact: &[&str]) -> super::finder::Finder {
    let all = words.iter().map(|w| (w.as_str(), true)).chain(exact.iter().map(|w| (*w, false)));
    super::finder::Finder::new(all)
}

/// The grammar's `node-types.json`, for the languages tapestry parses.
///
/// Known by identity, not by [`Language::name`]: tree-sitter-typescript 0.23 is an
/// ABI 14 grammar, which carries no name, and without its node types every walk
/// of a TypeScript tree entered every node (45 % of effect's query pass).
fn node_types(language: &Language) -> Option<&'static str> {
    let known: [(Language, &'static str); 4] = [
        (tree_sitter_python::LANGUAGE.into(), tree_sitter_python::NODE_TYPES),
        (tree_sitter_javascript::LANGUAGE.into(), tree_sitter_javascript::NODE_TYPES),
        (tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(), tree_sitter_typescript::TYPESCRIPT_NODE_TYPES),
        (tree_sitter_typescript::LANGUAGE_TSX.into(), tree_sitter_typescript::TSX_NODE_TYPES),
    ];
    known.into_iter().find(|(l, _)| l == language).map(|(_, json)| json)
}

/// One entry of `node-types.json`: a named kind, the kinds its fields and
/// children may have, and a supertype's subtypes.
#[derive(serde::Deserialize)]
struct NodeType {
    #[serde(rename = "type")]
    kind: String,
    named: bool,
    #[serde(default)]
    fields: std::collections::BTreeMap<String, ChildTypes>,
    children: Option<ChildTypes>,
    #[serde(default)]
    subtypes: Vec<TypeRef>,
}

#[derive(serde::Deserialize)]
struct ChildTypes {
    types: Vec<TypeRef>,
}

#[derive(serde::Deserialize)]
struct TypeRef {
    #[serde(rename = "type")]
    kind: String,
}

/// Named kind → whether a node of it can have a descendant of one of
/// `targets` (supertypes stand for their subtypes), from `node-types.json`;
/// and the kinds with a [`keyword`] where that search stopped: a kind with a
/// keyword holds what is below it, but its ancestors are not marked for it
/// (their text contains its keyword, which the walk looks for instead).
fn holders(json: &str, targets: &[&str]) -> Option<(std::collections::HashMap<String, bool>, Vec<String>)> {
    let types: Vec<NodeType> = serde_json::from_str(json).ok()?;
    let mut parents: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
    for t in types.iter().filter(|t| t.named) {
        let children = t.fields.values().chain(&t.children).flat_map(|c| &c.types).chain(&t.subtypes);
        for c in children {
            parents.entry(c.kind.as_str()).or_default().push(t.kind.as_str());
        }
    }
    let mut holds: std::collections::HashMap<String, bool> =
        types.iter().filter(|t| t.named).map(|t| (t.kind.clone(), false)).collect();
    let mut stops: Vec<String> = Vec::new();
    let mut todo: Vec<&str> = targets.to_vec();
    let mut seen: std::collections::HashSet<&str> = todo.iter().copied().collect();
    while let Some(kind) = todo.pop() {
        if keyword(kind).is_some() {
            index_of(&mut stops, kind.to_string());
            continue;
        }
        for &p in parents.get(kind).into_iter().flatten() {
            holds.insert(p.to_string(), true);
            if seen.insert(p) {
                todo.push(p);
            }
        }
    }
    stops.sort();
    Some((holds, stops))
}

/// Node kinds whose text always contains a keyword, as a whole word (the
/// grammar's token for them), sorted: a pattern that needs such a node
/// needs its keyword, which [`Starts`] looks for like a predicate's word.
/// The test `keyword_kinds_contain_their_keyword` checks every node of
/// these kinds in the fixtures and benches.
const KEYWORDS: &[(&str, &str)] = &[
    ("export_statement", "export"),
    ("import", "import"),
    ("import_require_clause", "require"),
    ("import_statement", "import"),
    ("new_expression", "new"),
];

/// The keyword every node of `kind` contains, if it is in [`KEYWORDS`].
fn keyword(kind: &str) -> Option<&'static str> {
    KEYWORDS.binary_search_by_key(&kind, |&(k, _)| k).ok().map(|i| KEYWORDS[i].1)
}

/// The node kinds every match of `pattern` contains: its `(kind …)` steps
/// outside alternations (`[…]`) and outside steps quantified with `?` or `*`
/// (at any depth), in order. Strings, comments and predicates are skipped.
fn required_kinds(pattern: &str) -> Vec<&str> {
    // Per group: its parent, and whether a match may lack it.
    let mut groups: Vec<(Option<usize>, bool)> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut found: Vec<(&str, usize)> = Vec::new();
    let bytes = pattern.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b';' => i += pattern[i..].find('\n').unwrap_or(pattern.len() - i),
            b'"' => i += skip_string(&pattern[i..]),
            b'(' if pattern[i + 1..].trim_start().starts_with('#') => {
                // A predicate: to its closing parenthesis, over its strings.
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b')' {
                    j += if bytes[j] == b'"' { skip_string(&pattern[j..]) + 1 } else { 1 };
                }
                i = j;
            }
            c @ (b'(' | b'[') => {
                groups.push((open.last().copied(), c == b'['));
                open.push(groups.len() - 1);
                let name = &pattern[i + 1..];
                let name = &name[..name.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(name.len())];
                if c == b'(' && !name.is_empty() {
                    found.push((name, groups.len() - 1));
                }
            }
            b')' | b']' => {
                let Some(g) = open.pop() else { return Vec::new() };
                // After the group: captures, then perhaps a quantifier.
                let mut rest = pattern[i + 1..].trim_start();
                while let Some(r) = rest.strip_prefix('@') {
                    let end = r.find(|c: char| c.is_whitespace() || "()[]?*+".contains(c)).unwrap_or(r.len());
                    rest = r[end..].trim_start();
                }
                if rest.starts_with(['?', '*']) {
                    groups[g].1 = true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let optional = |mut g: Option<usize>| {
        while let Some(i) = g {
            if groups[i].1 {
                return true;
            }
            g = groups[i].0;
        }
        false
    };
    found.into_iter().filter(|&(_, g)| !optional(Some(g))).map(|(k, _)| k).collect()
}

/// The length of the string literal at the start of `s` minus one (so that
/// the caller's step lands after its closing quote).
fn skip_string(s: &str) -> usize {
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return i,
            _ => escaped = false,
        }
    }
    s.len().saturating_sub(1)
}

/// The kind of a pattern's outermost node: the first name after its opening
/// parentheses; `None` for a wildcard, an alternation or a string.
fn root_kind(pattern: &str) -> Option<&str> {
    let rest = pattern.trim_start_matches(|c: char| c == '(' || c.is_whitespace());
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
    Some(&rest[..end]).filter(|name| !name.is_empty() && *name != "_")
}

/// Which ends of a word occurrence must be word boundaries: the text
/// before (after) it is not an ASCII letter, digit or `_` (or is the text's
/// start or end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Edges {
    start: bool,
    end: bool,
}

impl Edges {
    const WHOLE: Edges = Edges { start: true, end: true };

    /// Whether an occurrence with boundaries `self` meets the requirement `need`.
    fn satisfies(self, need: Edges) -> bool {
        (self.start || !need.start) && (self.end || !need.end)
    }
}

/// The words (lower case) of which one must occur in every match of the
/// pattern whose source is `pattern`, and which of their ends are word
/// boundaries in every match: those of its most selective positive text
/// predicate (the longest shortest word), or `None`. A word a capture
/// `#eq?`s is a whole identifier when the capture is an `(identifier)`-like
/// node: the lexer never puts an identifier next to another identifier
/// character. A regex says where its words end (see [`regex_words`]).
fn pattern_words(pattern: &str) -> Option<(Vec<String>, Edges)> {
    let mut best: Option<(Vec<String>, Edges)> = None;
    for (op, args) in predicates(pattern) {
        let identifier = args.first().is_some_and(|a| a.starts_with('@') && captures_identifier(pattern, a));
        let (words, edges) = match op.as_str() {
            "#eq?" | "#any-of?" if args.first().is_some_and(|a| a.starts_with('@')) => {
                let strings: Vec<String> =
                    args[1..].iter().filter_map(|a| a.strip_prefix('"')).map(str::to_string).collect();
                let edges = if identifier { Edges::WHOLE } else { Edges::default() };
                ((strings.len() + 1 == args.len()).then_some(strings), edges)
            }
            "#match?" if args.len() == 2 => match args[1].strip_prefix('"').and_then(|r| regex_words(r, identifier)) {
                Some((words, edges)) => (Some(words), edges),
                None => (None, Edges::default()),
            },
            _ => (None, Edges::default()),
        };
        let Some(mut words) = words.filter(|w| !w.is_empty() && w.iter().all(|w| !w.is_empty())) else {
            continue;
        };
        words.iter_mut().for_each(|w| w.make_ascii_lowercase());
        best = Some(match best {
            Some(b) if !better_than(&words, &b.0) => b,
            _ => (words, edges),
        });
    }
    best
}

/// Whether every place `capture` (`@name`) is bound in `pattern` follows an
/// `(…identifier)` node (uses inside predicates do not bind).
fn captures_identifier(pattern: &str, capture: &str) -> bool {
    let mut bound = false;
    for (i, _) in pattern.match_indices(capture) {
        let after = pattern[i + capture.len()..].chars().next();
        if after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let Some((_, tail)) = pattern[..i].trim_end().rsplit_once('(') else {
            return false;
        };
        if tail.starts_with('#') {
            continue;
        }
        let kind = tail.strip_suffix(')').unwrap_or("");
        if !(kind.ends_with("identifier") && kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')) {
            return false;
        }
        bound = true;
    }
    bound
}

/// Literals of which every match of `regex` contains one, when the regex
/// requires finitely many (`None` otherwise), and which of their ends are
/// word boundaries in every match: a word the regex follows with `\s` (or
/// another class without letters, digits and `_`) ends at a boundary, so the
/// SQL keyword `with` of `^.\s*(?i:select|with)\s` is not looked for in
/// `withSpan`. Where the capture is an `identifier`-like node (`identifier`),
/// `^` and `$` are boundaries too. Case-insensitive groups are read as
/// case-sensitive: words are looked for ignoring ASCII case anyway.
fn regex_words(regex: &str, identifier: bool) -> Option<(Vec<String>, Edges)> {
    let plain = regex.replace("(?i:", "(?:").replace("(?i)", "");
    let found = required(&regex_syntax::Parser::new().parse(&plain).ok()?, identifier)?;
    Some((found.words, found.edges))
}

/// Literals of which any text an expression matches contains one.
struct Required {
    words: Vec<String>,
    /// Boundaries around the occurrence every match contains.
    edges: Edges,
    /// Whether that occurrence starts (ends) the text the expression matches.
    at_start: bool,
    at_end: bool,
}

/// The literals of which any text `hir` matches contains one: a literal
/// itself, the best set among a concatenation's parts, the union over an
/// alternation's branches when each has one; with the boundaries the parts
/// next to them make (`identifier`: see [`regex_words`]).
fn required(hir: &regex_syntax::hir::Hir, identifier: bool) -> Option<Required> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Literal(lit) => Some(Required {
            words: vec![String::from_utf8(lit.0.to_vec()).ok()?],
            edges: Edges::default(),
            at_start: true,
            at_end: true,
        }),
        HirKind::Capture(c) => required(&c.sub, identifier),
        // The occurrence of one repetition is not at both ends of them all.
        HirKind::Repetition(r) if r.min > 0 => {
            required(&r.sub, identifier).map(|found| Required { at_start: false, at_end: false, ..found })
        }
        HirKind::Concat(parts) => parts
            .iter()
            .enumerate()
            .filter_map(|(i, part)| {
                let mut found = required(part, identifier)?;
                let before = i.checked_sub(1).and_then(|j| parts.get(j));
                found.edges.start |= found.at_start && before.is_some_and(|b| ends_apart(b, identifier));
                found.edges.end |= found.at_end && parts.get(i + 1).is_some_and(|a| starts_apart(a, identifier));
                found.at_start &= i == 0;
                found.at_end &= i + 1 == parts.len();
                Some(found)
            })
            .reduce(|a, b| if better_than(&b.words, &a.words) { b } else { a }),
        HirKind::Alternation(branches) => {
            let all: Option<Vec<Required>> = branches.iter().map(|b| required(b, identifier)).collect();
            let all = all?;
            Some(Required {
                edges: Edges { start: all.iter().all(|r| r.edges.start), end: all.iter().all(|r| r.edges.end) },
                at_start: all.iter().all(|r| r.at_start),
                at_end: all.iter().all(|r| r.at_end),
                words: all.into_iter().flat_map(|r| r.words).collect(),
            })
        }
        _ => None,
    }
}

/// Whether every text `hir` matches ends with a character that is not an
/// ASCII letter, digit or `_`, or (`^` of an identifier capture) is preceded by one.
fn ends_apart(hir: &regex_syntax::hir::Hir, identifier: bool) -> bool {
    use regex_syntax::hir::{HirKind, Look};
    match hir.kind() {
        HirKind::Literal(lit) => lit.0.last().is_some_and(|b| !is_word_byte(*b)),
        HirKind::Class(class) => class_apart(class),
        HirKind::Look(Look::Start) => identifier,
        HirKind::Capture(c) => ends_apart(&c.sub, identifier),
        HirKind::Repetition(r) if r.min > 0 => ends_apart(&r.sub, identifier),
        HirKind::Concat(parts) => parts.last().is_some_and(|p| ends_apart(p, identifier)),
        HirKind::Alternation(branches) => branches.iter().all(|b| ends_apart(b, identifier)),
        _ => false,
    }
}

/// Whether every text `hir` matches starts with a character that is not an
/// ASCII letter, digit or `_`, or (`$` of an identifier capture) is followed by one.
fn starts_apart(hir: &regex_syntax::hir::Hir, identifier: bool) -> bool {
    use regex_syntax::hir::{HirKind, Look};
    match hir.kind() {
        HirKind::Literal(lit) => lit.0.first().is_some_and(|b| !is_word_byte(*b)),
        HirKind::Class(class) => class_apart(class),
        HirKind::Look(Look::End) => identifier,
        HirKind::Capture(c) => starts_apart(&c.sub, identifier),
        HirKind::Repetition(r) if r.min > 0 => starts_apart(&r.sub, identifier),
        HirKind::Concat(parts) => parts.first().is_some_and(|p| starts_apart(p, identifier)),
        HirKind::Alternation(branches) => branches.iter().all(|b| starts_apart(b, identifier)),
        _ => false,
    }
}

/// Whether a class holds no ASCII letter, digit or `_` (`\s`, `[.,;]`).
fn class_apart(class: &regex_syntax::hir::Class) -> bool {
    use regex_syntax::hir::Class;
    let word = |lo: u32, hi: u32| (lo..=hi.min(0x7f)).any(|c| u8::try_from(c).is_ok_and(is_word_byte));
    match class {
        Class::Unicode(c) => !c.ranges().iter().any(|r| word(u32::from(r.start()), u32::from(r.end()))),
        Class::Bytes(c) => !c.ranges().iter().any(|r| word(u32::from(r.start()), u32::from(r.end()))),
    }
}

/// An ASCII letter, digit or `_`: what [`Edges`] calls a word character.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `a`'s shortest word is longer than `b`'s.
fn better_than(a: &[String], b: &[String]) -> bool {
    let shortest = |ws: &[String]| ws.iter().map(String::len).min().unwrap_or(0);
    shortest(a) > shortest(b)
}

/// The index of `item` in `items`, appended if it is not there yet.
fn index_of<T: PartialEq>(items: &mut Vec<T>, item: T) -> usize {
    items.iter().position(|x| *x == item).unwrap_or_else(|| {
        items.push(item);
        items.len() - 1
    })
}

/// The predicates of a pattern's source: `(#op? arg …)` with string
/// arguments unescaped (kept with a leading `"`) and captures as `@name`.
/// Comments (`;` to the end of the line, outside strings) are skipped.
fn predicates(pattern: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut chars = pattern.chars().peekable();
    let mut current: Option<(String, Vec<String>)> = None;
    while let Some(c) = chars.next() {
        match c {
            ';' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                let mut lit = String::from('"');
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some('n') => lit.push('\n'),
                            Some('t') => lit.push('\t'),
                            Some(e) => lit.push(e),
                            None => {}
                        },
                        '"' => break,
                        c => lit.push(c),
                    }
                }
                if let Some((_, args)) = current.as_mut() {
                    args.push(lit);
                }
            }
            '(' if chars.peek() == Some(&'#') => {
                let op: String = std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace() && *c != ')')).collect();
                current = Some((op, Vec::new()));
            }
            ')' => out.extend(current.take()),
            '@' => {
                let name: String = std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace() && *c != ')')).collect();
                if let Some((_, args)) = current.as_mut() {
                    args.push(format!("@{name}"));
                }
            }
            _ => {}
        }
    }
    out
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
/// [`MAX_ANONYMOUS_RUN`] consecutive anonymous children of one node with a
/// syntax error below it, if any.
///
/// One iterative pass (a cursor and a stack of run counters, no recursion)
/// over the children of the nodes that hold an error: the runs this guards
/// against are what error recovery makes of junk, and the tokens it could not
/// fit anywhere become children of an `ERROR` node, so subtrees without an
/// error are not entered (valid code can have long runs, such as an array of
/// holes `[,,,…]`; a file without errors was never searched for them). On
/// effect's sources, whose trees often hold an error, walking every node cost
/// 4 % of a cold scan (BENCHMARKS.md, session 7).
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
        if node.has_error() && cursor.goto_first_child() {
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
/// A child by field name, without `child_by_field_name`'s cost: tree-sitter looks
/// the name up in the grammar's field table at every call, a `strncmp` per field
/// (1.2 % of a cold eclipse-theia scan went there, 355,000 lookups). `field` looks
/// each (grammar, name) pair up once per thread, keyed by the addresses of the
/// grammar and of the `'static` name, and then asks for the child by id.
pub trait FieldExt<'t> {
    /// The first child of this node in field `name`.
    fn field(&self, name: &'static str) -> Option<Node<'t>>;
    /// The node's kind, as `Node::kind` names it, from a table ([`kind`]).
    fn kind_name(&self) -> &'t str;
}

impl<'t> FieldExt<'t> for Node<'t> {
    #[inline]
    fn field(&self, name: &'static str) -> Option<Node<'t>> {
        match field_id(*self, name) {
            0 => None,
            id => self.child_by_field_id(id),
        }
    }

    #[inline]
    fn kind_name(&self) -> &'t str {
        kind(*self)
    }
}

/// A multiply-and-rotate hasher for the field-id table's pointer keys.
#[derive(Default)]
struct PtrHasher(u64);

impl std::hash::Hasher for PtrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type FieldKey = (u64, usize, usize);

thread_local! {
    static FIELD_IDS: RefCell<std::collections::HashMap<FieldKey, u16, std::hash::BuildHasherDefault<PtrHasher>>> =
        RefCell::default();
}

/// The id of field `name` in `node`'s grammar, 0 when the grammar has no such field.
fn field_id(node: Node, name: &'static str) -> u16 {
    // `Language` hashes as its grammar's address: one `write_usize`, which
    // `PtrHasher` maps one-to-one (a multiplication by an odd constant).
    let mut grammar = PtrHasher::default();
    std::hash::Hash::hash(&*node.language(), &mut grammar);
    let key = (std::hash::Hasher::finish(&grammar), name.as_ptr() as usize, name.len());
    FIELD_IDS.with(|ids| {
        *ids.borrow_mut().entry(key).or_insert_with(|| node.language().field_id_for_name(name).map_or(0, |id| id.get()))
    })
}

pub fn line(node: Node) -> u32 {
    u32::try_from(node.start_position().row).unwrap_or(u32::MAX - 1) + 1
}

/// The text of a node (empty on invalid ranges, which cannot happen for UTF-8 input).
pub fn text<'a>(node: Node, src: &'a [u8]) -> &'a str {
    node.utf8_text(src).unwrap_or("")
}

/// [`ancestors`] of a `node` below `root`, innermost first, found in one descent
/// from `root`. `Node::parent` descends from the tree's root at each call, so
/// walking up with it scans children depth² times; this scans them once.
/// A node not below `root` falls back to [`ancestors`].
pub fn ancestors_below<'t>(root: Node<'t>, node: Node<'t>, limit: usize) -> Vec<Node<'t>> {
    match path_below(root, node) {
        Some(path) => path.into_iter().rev().take(limit).collect(),
        None => ancestors(node, limit).collect(),
    }
}

/// The nodes from `root` down to `node`'s parent, outermost first (empty when
/// `node` is `root`); none when `node` is not below `root`.
fn path_below<'t>(root: Node<'t>, node: Node<'t>) -> Option<Vec<Node<'t>>> {
    if root.id() == node.id() {
        return Some(Vec::new());
    }
    let mut path = vec![root];
    let mut cur = root;
    loop {
        match cur.child_with_descendant(node)? {
            next if next.id() == node.id() => return Some(path),
            next => {
                path.push(next);
                cur = next;
            }
        }
    }
}

/// A file's root and its top-level statements, for finding a node's ancestors
/// without `Node::parent` (which descends from the root at every call): the
/// statement holding the node by binary search, then one descent from it.
pub struct Root<'t> {
    node: Node<'t>,
    tops: Vec<Node<'t>>,
}

impl<'t> Root<'t> {
    pub fn new(node: Node<'t>) -> Self {
        let mut cursor = node.walk();
        let tops = node.children(&mut cursor).collect();
        Root { node, tops }
    }

    /// Whether `node` is one of the root's own children (a module-level statement),
    /// found by binary search instead of `Node::parent`.
    pub fn holds_at_top(&self, node: Node) -> bool {
        let at = self.tops.partition_point(|t| t.start_byte() < node.start_byte());
        self.tops[at..].iter().take_while(|t| t.start_byte() == node.start_byte()).any(|t| t.id() == node.id())
    }

    /// The top-level statement holding `node` (or being it), by binary search.
    pub fn top<'n>(&self, node: Node<'n>) -> Option<Node<'n>>
    where
        't: 'n,
    {
        let (start, end) = (node.start_byte(), node.end_byte());
        let at = self.tops.partition_point(|t| t.end_byte() <= start);
        self.tops.get(at).filter(|t| t.start_byte() <= start && end <= t.end_byte()).copied()
    }

    /// [`ancestors`] of `node`, nearest first, at most `limit` of them.
    pub fn ancestors<'n>(&self, node: Node<'n>, limit: usize) -> Vec<Node<'n>>
    where
        't: 'n,
    {
        match self.top(node).and_then(|top| path_below(top, node)) {
            Some(mut path) => {
                path.insert(0, self.node);
                path.into_iter().rev().take(limit).collect()
            }
            None => ancestors_below(self.node, node, limit),
        }
    }
}

/// [`Root::ancestors`] when there is a root at hand, else [`ancestors`].
pub fn ancestors_in<'n>(root: Option<&Root<'n>>, node: Node<'n>, limit: usize) -> Vec<Node<'n>> {
    match root {
        Some(r) => r.ancestors(node, limit),
        None => ancestors(node, limit).collect(),
    }
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

/// Test helper: every capture of a query cursor run from the root over the
/// whole tree, as (capture name, node id), sorted.
#[cfg(test)]
pub(crate) fn full_pass(q: &LangQuery, tree: &Tree, src: &str) -> Vec<(String, usize)> {
    let mut all = Vec::new();
    let budget = Budget::new(src.len());
    let mut collect = |caps: &[(&str, Node)]| all.extend(caps.iter().map(|&(n, node)| (n.to_string(), node.id())));
    q.run(&mut QueryCursor::new(), tree.root_node(), src.as_bytes(), None, &budget, &mut collect);
    q.natives_everywhere(tree.root_node(), src.as_bytes(), None, q.natives.len(), &mut Vec::new(), &mut collect);
    all.sort();
    all
}

/// Test helper for each language: [`LangQuery::for_each_match`] (the walk
/// that runs the query only where a match can start) captures exactly what a
/// full pass over the tree does; so does the skipping pass
/// ([`LangQuery::for_each_match_near`]) with `needles`, when given, against
/// the query's own patterns and the import natives (the others do not run
/// there), and then they find something.
#[cfg(test)]
pub fn assert_same_as_full_pass(q: &LangQuery, language: &tree_sitter::Language, src: &str, needles: Option<&[&str]>) {
    let tree = parse(language, src).unwrap();
    let full = full_pass(q, &tree, src);
    let mut scratch = FileFacts::default();
    let mut walked = Vec::new();
    q.for_each_capture(tree.root_node(), src.as_bytes(), None, ("t", &mut scratch), |n, node| {
        walked.push((n.to_string(), node.id()));
    });
    walked.sort();
    assert_eq!(full, walked, "the walk from match starts differs from a full pass");
    if let Some(needles) = needles {
        // With needles the natives do not run: the query's own matches.
        let mut queried = Vec::new();
        let budget = Budget::new(src.len());
        let mut collect =
            |caps: &[(&str, Node)]| queried.extend(caps.iter().map(|&(n, node)| (n.to_string(), node.id())));
        q.run(&mut QueryCursor::new(), tree.root_node(), src.as_bytes(), None, &budget, &mut collect);
        q.natives_everywhere(tree.root_node(), src.as_bytes(), None, q.near_natives, &mut Vec::new(), &mut collect);
        queried.sort();
        let mut near = Vec::new();
        q.for_each_match_near(tree.root_node(), src, Some(needles), None, ("t", &mut scratch), |caps| {
            near.extend(caps.iter().map(|&(n, node)| (n.to_string(), node.id())));
        });
        near.sort();
        assert_eq!(queried, near, "the pass over statements with needles differs from a full pass");
        assert!(!queried.is_empty());
    }
}

/// Test helper: every capture of [`LangQuery::for_each_capture`] over `tree`, as
/// (name, node id), in the order given.
#[cfg(test)]
pub(crate) fn captures_in_order(q: &LangQuery, tree: &Tree, src: &str) -> Vec<(String, usize)> {
    let mut facts = FileFacts::default();
    let mut all = Vec::new();
    q.for_each_capture(tree.root_node(), src.as_bytes(), None, ("t", &mut facts), |n, node| {
        all.push((n.to_string(), node.id()));
    });
    all
}

/// Test helper: a match's captures as (name, node id), the outer one (the
/// name with a `.`) first and the others sorted, to compare two passes.
#[cfg(test)]
pub(crate) fn named_match(caps: &[(&str, Node)]) -> Vec<(String, usize)> {
    let outer = caps.iter().find(|(n, _)| n.contains('.')).map(|&(n, node)| (n.to_string(), node.id()));
    let mut rest: Vec<(String, usize)> =
        caps.iter().filter(|(n, _)| !n.contains('.')).map(|&(n, node)| (n.to_string(), node.id())).collect();
    rest.sort();
    outer.into_iter().chain(rest).collect()
}

/// Test helper: `old` (query patterns) and `new` (their natives) give the same
/// matches on `src`, compared as sorted sets of named matches; how many.
#[cfg(test)]
pub(crate) fn assert_same_matches(
    old: &LangQuery,
    new: &LangQuery,
    language: &Language,
    (name, src): (&str, &str),
) -> usize {
    let tree = parse(language, src).unwrap();
    let mut facts = crate::model::FileFacts::default();
    let mut all = [Vec::new(), Vec::new()];
    for (q, out) in [old, new].into_iter().zip(all.iter_mut()) {
        q.for_each_match(tree.root_node(), src.as_bytes(), None, ("t", &mut facts), |caps| out.push(named_match(caps)));
        out.sort();
    }
    assert_eq!(all[0], all[1], "{name}");
    all[0].len()
}

/// Test helper: the source files under `fixtures/` and `benches/data/` whose
/// names end with one of `extensions`.
#[cfg(test)]
pub fn sample_sources(extensions: &[&str]) -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["fixtures", "benches/data"] {
        for entry in ignore::WalkBuilder::new(root.join(dir)).hidden(false).ignore(false).git_ignore(false).build() {
            let Ok(entry) = entry else { continue };
            let path = entry.path();
            let name = path.to_string_lossy().to_string();
            if extensions.iter().any(|e| name.ends_with(e)) {
                if let Ok(text) = std::fs::read_to_string(path) {
                    out.push((name, text));
                }
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_kinds_and_words_are_read_from_the_patterns() {
        assert_eq!(root_kind("((string) @sql (#match? @sql \"x\"))"), Some("string"));
        assert_eq!(root_kind("(call function: (identifier))"), Some("call"));
        assert_eq!(root_kind("[(a) (b)] @x"), None);
        assert_eq!(root_kind("(_) @x"), None);
        let words = |p: &str| pattern_words(p).map(|(w, edges)| (w.join(","), edges.start, edges.end));
        let p = "(call function: (attribute attribute: (identifier) @m) (#any-of? @m \"get\" \"post\")) @c";
        assert_eq!(words(p), Some(("get,post".into(), true, true)));
        // A capture that is not an identifier may be matched inside a longer word.
        let p = "(call function: [(identifier) (attribute)] @f (#eq? @f \"Table\")) @c";
        assert_eq!(words(p), Some(("table".into(), false, false)));
        // Regexes: the literals every match contains; case folded; the most selective predicate.
        let p = "(call function: (_) @f (#match? @f \"(^|\\\\.)(Flask|APIRouter)$\") (#eq? @f \"x\")) @c";
        assert_eq!(words(p), Some(("flask,apirouter".into(), false, false)));
        // `^` and `$` bound a word only in an identifier.
        let p = "(call function: (identifier) @f (#match? @f \"^(?i:get|set)$\")) @c";
        assert_eq!(words(p), Some(("get,set".into(), true, true)));
        let p = "(new_expression constructor: (identifier) @n (#match? @n \"[a-z]Client$\")) @c";
        assert_eq!(words(p), Some(("client".into(), false, true)));
        let edges = |start, end| Edges { start, end };
        let sql = Some((vec!["select".into(), "with".into()], edges(false, true)));
        assert_eq!(regex_words("^.\\s*(?i:select|with)\\s", false), sql);
        assert_eq!(regex_words("[A-Za-z]+", false), None);
        assert_eq!(
            regex_words("^(Redis|IORedis)$", false),
            Some((vec!["Redis".into(), "IORedis".into()], edges(false, false)))
        );
        assert_eq!(regex_words("^(a|b)\\.env$", false), Some((vec![".env".into()], edges(false, false))));
        assert_eq!(
            regex_words("^(process|meta)\\.env$", false),
            Some((vec!["process".into(), "meta".into()], edges(false, true)))
        );
        assert_eq!(regex_words("[,;](with)[ x]", false), Some((vec!["with".into()], edges(true, false))));
        assert_eq!(regex_words("(x|\\s)with\\s+", false), Some((vec!["with".into()], edges(false, true))));
        assert_eq!(regex_words("(\\swith)+\\s", false), Some((vec!["with".into()], edges(true, false))));
        assert_eq!(words("(call) @c ; (#eq? @c \"commented out\")"), None);
        assert_eq!(words("(call (identifier) @a (identifier) @b (#eq? @a @b)) @c"), None);
    }

    #[test]
    fn required_kinds_leave_out_optional_steps() {
        let p = "(call_expression\n  function: (import) ; a (comment)\n  arguments: (arguments . [(string) (template_string)] @m))";
        assert_eq!(required_kinds(p), vec!["call_expression", "import", "arguments"]);
        let p = "(import_specifier name: (identifier) @name alias: (identifier)? @alias)";
        assert_eq!(required_kinds(p), vec!["import_specifier", "identifier"]);
        let p = "(a (b (c) @x (d))* (e) @y ? (#eq? @y \"(f)\") \"(g)\")";
        assert_eq!(required_kinds(p), vec!["a"]);
        assert_eq!(keyword("new_expression"), Some("new"));
        assert_eq!(keyword("call_expression"), None);
        let mut sorted = KEYWORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, KEYWORDS);
    }

    /// Every node of a [`KEYWORDS`] kind contains its keyword as a whole word,
    /// in every JavaScript, TypeScript and Python file of the fixtures and benches.
    #[test]
    fn keyword_kinds_contain_their_keyword() {
        let mut checked = 0;
        for (name, src) in sample_sources(&[".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".py"]) {
            let language: Language = match name.rsplit('.').next() {
                Some("py") => tree_sitter_python::LANGUAGE.into(),
                Some("tsx") => tree_sitter_typescript::LANGUAGE_TSX.into(),
                Some("ts") => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
                _ => tree_sitter_javascript::LANGUAGE.into(),
            };
            let tree = parse(&language, &src).unwrap();
            let mut walk = tree.walk();
            loop {
                let node = walk.node();
                if let Some(k) = keyword(node.kind_name()) {
                    let t = text(node, src.as_bytes());
                    let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
                    let whole = t.match_indices(k).any(|(i, _)| {
                        let before = i.checked_sub(1).and_then(|j| t.as_bytes().get(j));
                        !word(before) && !word(t.as_bytes().get(i + k.len()))
                    });
                    assert!(whole, "{name}: {} without {k}: {t}", node.kind_name());
                    checked += 1;
                }
                if !walk.goto_first_child() && !next_in_preorder(&mut walk) {
                    break;
                }
            }
        }
        assert!(checked > 500, "{checked}");
    }

    /// Runs of anonymous nodes are junk where error recovery left them, under
    /// an error; the same run in code without an error is not looked for.
    #[test]
    fn unreadable_runs_are_looked_for_under_errors() {
        let ts: Language = tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into();
        let junk = format!("import a from 'left';\nlet ok = [1, 2];\n{}\n", "(".repeat(1000));
        let tree = parse(&ts, &junk).unwrap();
        let span = unreadable_span(&tree).expect("a run of junk");
        assert!(junk[span].bytes().all(|b| b == b'('));
        let holes = format!("let a = [{}];\nlet b = ;\n", ",".repeat(1000));
        let tree = parse(&ts, &holes).unwrap();
        assert!(tree.root_node().has_error());
        assert_eq!(unreadable_span(&tree), None);
        assert_eq!(unreadable_span(&parse(&ts, "let a = [1];").unwrap()), None);
    }

    #[test]
    fn kinds_that_can_hold_a_block_are_known_from_the_grammar() {
        let (h, stops) = holders(tree_sitter_python::NODE_TYPES, &["block"]).unwrap();
        assert!(stops.is_empty());
        assert_eq!(h.get("function_definition"), Some(&true));
        assert_eq!(h.get("module"), Some(&true));
        assert_eq!(h.get("call"), Some(&false));
        assert_eq!(h.get("string"), Some(&false));
    }

    #[test]
    fn every_grammar_parsed_has_its_node_types() {
        use crate::lang::typescript::language;
        use crate::model::Lang;
        let python: Language = tree_sitter_python::LANGUAGE.into();
        for l in [python, language(Lang::JavaScript), language(Lang::TypeScript), language(Lang::Tsx)] {
            assert!(node_types(&l).is_some(), "{:?} (ABI {})", l.name(), l.abi_version());
        }
        let ts = node_types(&language(Lang::TypeScript)).unwrap();
        assert!(ts.contains("\"type_annotation\"") && !ts.contains("\"jsx_element\""));
        assert!(node_types(&language(Lang::Tsx)).unwrap().contains("\"jsx_element\""));
    }

    /// [`kind`] names every node as `Node::kind` does, aliased and error nodes included.
    #[test]
    fn kind_is_node_kind() {
        use crate::model::Lang;
        let language = |lang: Lang| match lang {
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            _ => crate::lang::typescript::language(lang),
        };
        let samples = [
            (Lang::Python, "import os\nclass A(B):\n    def f(self, x: int) -> str:\n        return f'{x}'\n)"),
            (Lang::JavaScript, "const a = require('x'); export default function f() { return <div/>; } }"),
            (Lang::TypeScript, "import type { A } from 'a'; class B<T> extends C implements D { x?: T; } @@"),
            (Lang::Tsx, "export const X = (p: { a: string }) => <A b={p.a}>{`t ${p}`}</A>;"),
        ];
        for (lang, text) in samples {
            let tree = parse(&language(lang), text).ok().unwrap();
            let mut walk = tree.walk();
            loop {
                let node = walk.node();
                assert_eq!(kind(node), node.kind(), "{lang:?}");
                if !walk.goto_first_child() && !next_in_preorder(&mut walk) {
                    break;
                }
            }
        }
    }
}
