//! Python HTTP clients written as classes (issue #3, cause J of the fourth blind sample).
//!
//! ```python
//! class BaseSvc:
//!     def __init__(self, svc_url): self._svc_url = svc_url
//!     def endpoint_url(self, endpoint): return f"{self._svc_url}{endpoint}"
//!     async def post(self, endpoint, data): … await client.post(self.endpoint_url(endpoint), json=data)
//! class LLMSvc(BaseSvc):
//!     async def classify(self, m): return await self.post(self.CLASSIFY_ENDPOINT, m)
//! llm = LLMSvc(LLM_URL)
//! ```
//!
//! The request's URL is a constructor argument followed by a method's parameter: no
//! file says it whole. Extraction records what each file says: its classes (bases,
//! `__init__` parameters, [`classes`]); for a request made in a method, the URL as
//! the `__init__` parameter it starts with, the method parameter that follows and
//! the rest ([`method_request`], asked by `py_arch` at each client call; a `self.x`
//! property or a one-line `self.url_for(p)` method is read through); the methods
//! called on `self` or on an object made in the same function, and the constructions
//! of classes with URL-like arguments ([`uses`]). Which constructions give the base
//! and which callers the path is decided in `resolve/classes.rs`.
//!
//! [`uses`] finds calls by a scan of the text for `(` (as `arch::calls_of` does), and
//! asks the tree only about calls whose arguments may hold a URL or a path: a query
//! pattern matching every call would cost more than the rest of the Python pass.

use super::query::FieldExt;
use tree_sitter::Node;

use super::py_arch::{follow_self, kwarg, named, split_args, template, text_of, value_template};
use super::query;
use crate::model::{ArchFacts, Part, RawArgCall, RawMethodUse, RawPyClass, Template};

/// How deep method bodies and properties are read through.
const DEPTH: u32 = 4;

/// A piece of a request's URL read in a method.
#[derive(Debug, Clone, PartialEq)]
pub enum Atom {
    Part(Part),
    /// The `__init__` parameter (index with `self` left out, name) a field holds.
    Base(usize, String),
    /// A parameter of the method (index with `self` left out).
    Arg(usize),
}

/// A request in a method of a class: the class, the method, the URL's atoms.
pub struct MethodRequest {
    pub class: String,
    pub method: String,
    /// The method's parameters (`self` left out).
    pub params: Vec<String>,
    pub atoms: Vec<Atom>,
}

/// The method around `at` and its class: `def m(self, …)` directly in a class body.
/// With the file's root at hand, its ancestors are found in one descent (`query::Root`).
fn method_of<'t>(root: Option<&query::Root<'t>>, at: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    // The function within 64 levels, and the three levels above it.
    let anc = query::ancestors_in(root, at, 67);
    let i = anc.iter().take(64).position(|a| a.kind_name() == "function_definition")?;
    let mut j = i + 1;
    if anc.get(j)?.kind_name() == "decorated_definition" {
        j += 1;
    }
    let up = *anc.get(j)?;
    let class = anc.get(j + 1).copied().filter(|c| up.kind_name() == "block" && c.kind_name() == "class_definition")?;
    Some((anc[i], class))
}

/// A function's parameter names; a splat is written with its stars (`*args`), and
/// `self`/`cls` first is left out of a method's.
pub fn params(func: Node, src: &[u8]) -> Vec<String> {
    let Some(ps) = func.field("parameters") else { return Vec::new() };
    let names: Vec<String> = named(ps)
        .into_iter()
        .map(|p| match p.kind_name() {
            "identifier" => text_of(p, src),
            "typed_parameter" => p.named_child(0).map(|n| text_of(n, src)).unwrap_or_default(),
            "default_parameter" | "typed_default_parameter" => {
                p.field("name").map(|n| text_of(n, src)).unwrap_or_default()
            }
            _ => format!("*{}", text_of(p, src)),
        })
        .collect();
    match names.first().map(String::as_str) {
        Some("self" | "cls") => names[1..].to_vec(),
        _ => names,
    }
}

fn name_of(n: Node, src: &[u8]) -> String {
    n.field("name").map(|n| text_of(n, src)).unwrap_or_default()
}

/// The methods of a class body, with their nodes (decorators looked through).
fn methods<'t>(class: Node<'t>) -> Vec<(Node<'t>, Option<Node<'t>>)> {
    let Some(body) = class.field("body") else { return Vec::new() };
    named(body)
        .into_iter()
        .filter_map(|s| match s.kind_name() {
            "function_definition" => Some((s, None)),
            "decorated_definition" => s.field("definition").map(|d| (d, Some(s))),
            _ => None,
        })
        .filter(|(d, _)| d.kind_name() == "function_definition")
        .collect()
}

/// The expression a function returns when its body is that one `return` (after a docstring).
fn one_return(func: Node) -> Option<Node> {
    let body = func.field("body")?;
    let stmts: Vec<Node> = named(body)
        .into_iter()
        .filter(|s| {
            !(s.kind_name() == "expression_statement" && s.named_child(0).is_some_and(|c| c.kind_name() == "string"))
        })
        .collect();
    match stmts.as_slice() {
        [r] if r.kind_name() == "return_statement" => r.named_child(0),
        _ => None,
    }
}

/// A module's top-level statements, collected once when first asked for (by [`classes`]
/// or by [`uses`] at its first candidate call; most files need them for neither).
pub struct Tops<'t> {
    root: Node<'t>,
    tops: std::cell::OnceCell<Vec<Node<'t>>>,
}

impl<'t> Tops<'t> {
    pub fn new(root: Node<'t>) -> Self {
        Tops { root, tops: std::cell::OnceCell::new() }
    }

    fn get(&self) -> &[Node<'t>] {
        self.tops.get_or_init(|| named(self.root))
    }

    /// The smallest node spanning `start..end`, looked for from the top-level statement
    /// holding the range (from the root when none does): the same node, fewer levels.
    pub fn spanning(&self, start: usize, end: usize) -> Option<Node<'t>> {
        let tops = self.get();
        let at = tops.partition_point(|t| t.end_byte() <= start);
        let within = tops.get(at).filter(|t| t.start_byte() <= start && end <= t.end_byte());
        within.copied().unwrap_or(self.root).descendant_for_byte_range(start, end)
    }
}

/// The ids of the grammar fields [`classes`] reads: it runs in every file defining a
/// class, and `child_by_field_name` searches the field names by string.
struct Fields {
    name: u16,
    body: u16,
    superclasses: u16,
    definition: u16,
}

static FIELDS: std::sync::LazyLock<Fields> = std::sync::LazyLock::new(|| {
    let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
    // 0 is no field: `child_by_field_id(0)` finds nothing, as a missing name would.
    let id = |name: &str| language.field_id_for_name(name).map_or(0, std::num::NonZeroU16::get);
    Fields { name: id("name"), body: id("body"), superclasses: id("superclasses"), definition: id("definition") }
});

/// The classes defined at a module's top level: names, bases and the names of their
/// methods (read from the text, `method_names`).
pub fn classes(tops: &Tops, src: &[u8]) -> Vec<RawPyClass> {
    fn def<'t>(s: Node<'t>, kind: &str) -> Option<Node<'t>> {
        match s.kind_name() {
            k if k == kind => Some(s),
            "decorated_definition" => s.child_by_field_id(FIELDS.definition).filter(|d| d.kind_name() == kind),
            _ => None,
        }
    }
    let f = &*FIELDS;
    let name = |n: Node| n.child_by_field_id(f.name).map(|n| text_of(n, src)).unwrap_or_default();
    let mut out = Vec::new();
    for class in tops.get().iter().filter_map(|s| def(*s, "class_definition")) {
        let mut c = class.walk();
        let bases = class
            .child_by_field_id(f.superclasses)
            .map(|b| {
                b.named_children(&mut c)
                    .filter(|n| matches!(n.kind_name(), "identifier" | "attribute"))
                    .map(|n| text_of(n, src))
                    .collect()
            })
            .unwrap_or_default();
        let methods = class.child_by_field_id(f.body).map(|body| method_names(body, src)).unwrap_or_default();
        out.push(RawPyClass { name: name(class), bases, methods, line: query::line(class) });
    }
    out
}

/// The names of the methods a class body defines: the `def name` (or `async def name`)
/// lines indented as the body's first statement. Read from the text, since walking the
/// children of every class body of every file costs as much as the rest of this module;
/// a line of a multi-line string indented so would add a name the class does not define,
/// which only makes resolution less sure (an override it takes for real), never surer.
fn method_names(body: Node, src: &[u8]) -> Vec<String> {
    let indent = body.start_position().column;
    let line_start = body.start_byte() - indent;
    if indent == 0 || !src[line_start..body.start_byte()].iter().all(|b| *b == b' ' || *b == b'\t') {
        return Vec::new();
    }
    let prefix = &src[line_start..body.start_byte()];
    let text = &src[line_start..body.end_byte().min(src.len())];
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(text, b"def ") {
        // `def` opens its line after the body's indentation (and `async `, if any).
        let before = &text[..at];
        let before = before.strip_suffix(b"async ").unwrap_or(before);
        let Some(indented) = before.strip_suffix(prefix) else { continue };
        if !(indented.is_empty() || indented.ends_with(b"\n")) {
            continue;
        }
        let rest = &text[at + 4..];
        let rest = &rest[rest.iter().take_while(|b| **b == b' ').count()..];
        let n = rest.iter().take_while(|b| is_ident(**b)).count();
        if n > 0 {
            out.push(String::from_utf8_lossy(&rest[..n]).into_owned());
        }
    }
    out
}

/// The request URL `url`, handed to a client in a method, as atoms; `None` outside a
/// method of a class.
pub fn method_request<'t>(root: Option<&query::Root<'t>>, url: Node<'t>, src: &[u8]) -> Option<MethodRequest> {
    let (func, class) = method_of(root, url)?;
    let atoms = expand(url, func, class, src, 0)?;
    Some(MethodRequest { class: name_of(class, src), method: name_of(func, src), params: params(func, src), atoms })
}

/// `self.attr` set once in the class, in `__init__`, from one of its parameters: that
/// parameter. Any other setting (a class attribute, another method, `+=`) is none.
pub fn init_field(class: Node, attr: &str, src: &[u8]) -> Option<(usize, String)> {
    let assign = one_assignment(class, attr, false, src)?;
    let (func, _) = method_of(None, assign)?;
    let target = |n: Node| super::py_arch::is_self_attr(n, attr, src);
    if name_of(func, src) != "__init__" || !target(assign.field("left")?) {
        return None;
    }
    let value = assign.field("right").map(|v| unwrapped(v, src)).filter(|v| v.kind_name() == "identifier")?;
    let name = query::text(value, src);
    let ps = params(func, src);
    let index = ps.iter().position(|p| p == name)?;
    // A splat before the parameter makes its position unknown.
    (!ps[..index].iter().any(|p| p.starts_with('*'))).then(|| (index, name.to_string()))
}

/// The value a URL expression keeps: `base_url.rstrip("/")` (or `.rstrip()`), `.strip("/")`,
/// `.removesuffix("/")` and `str(base_url)` are `base_url` (the slash dropped is no part
/// of a route: `py_arch::template` reads them so), a few calls deep.
fn unwrapped<'t>(mut v: Node<'t>, src: &[u8]) -> Node<'t> {
    for _ in 0..4 {
        let Some(args) = v.field("arguments").filter(|_| v.kind_name() == "call") else { break };
        let Some(f) = v.field("function") else { break };
        let pos = split_args(args).0;
        let inner = match f.kind_name() {
            "identifier" if query::text(f, src) == "str" && pos.len() == 1 && named(args).len() == 1 => pos[0],
            "attribute" => {
                let method = f.field("attribute").map_or("", |a| query::text(a, src));
                let slash = match pos.as_slice() {
                    [] => method != "removesuffix" && named(args).is_empty(),
                    [a] => super::py_arch::string_value(*a, src).is_some_and(|c| c == "/"),
                    _ => false,
                };
                match f.field("object") {
                    Some(o) if matches!(method, "rstrip" | "strip" | "removesuffix") && slash => o,
                    _ => break,
                }
            }
            _ => break,
        };
        v = inner;
    }
    v
}

/// The one assignment of `self.attr` in the methods of a class (and of `attr` in its body
/// when `class_level`); none when it is set more than once (also by `+=` or unpacking).
fn one_assignment<'t>(class: Node<'t>, attr: &str, class_level: bool, src: &[u8]) -> Option<Node<'t>> {
    let body = class.field("body")?;
    let target = |n: Node| super::py_arch::is_self_attr(n, attr, src);
    // Every assignment this looks for spells `attr`: only subtrees holding the word are
    // entered (a class body walked whole at each `self.x.m(…)` was 2 % of Django's scan).
    let at = query::Occurrences::of(body, attr, src);
    if at.is_empty() {
        return None;
    }
    let mut found: Option<Node> = None;
    let mut stack = named(body);
    // `base = Requests()` in the class body, when asked for (`held_class`).
    for s in stack.iter().filter(|s| class_level && s.kind_name() == "expression_statement") {
        let a = s.named_child(0).filter(|a| a.kind_name() == "assignment");
        if a.and_then(|a| a.field("left")).is_some_and(|l| query::text(l, src) == attr) && found.replace(a?).is_some() {
            return None;
        }
    }
    while let Some(n) = stack.pop() {
        if !at.within(n.byte_range()) {
            continue;
        }
        match n.kind_name() {
            "class_definition" => continue,
            "assignment" => {
                let left = n.field("left")?;
                // (Body-level `attr = …` was read above: an assignment's parent is its statement.)
                if target(left) {
                    if found.replace(n).is_some() {
                        return None;
                    }
                } else if left.kind_name() != "identifier" && named(left).into_iter().any(target) {
                    return None;
                }
            }
            "augmented_assignment" if n.field("left").is_some_and(target) => return None,
            _ => {}
        }
        stack.extend(named(n));
    }
    found
}

/// The one assignment of a local name in `func` before `at` (a name assigned more than
/// once, or not at all, has none).
fn local_node<'t>(at: Node<'t>, func: Node<'t>, src: &[u8]) -> Option<Node<'t>> {
    let values = super::py_arch::assignments(query::text(at, src), func, src)?;
    match values.as_slice() {
        [one] if one.end_byte() <= at.start_byte() => Some(*one),
        _ => None,
    }
}

/// A URL expression read in method `func` of `class`: fields set from `__init__`'s
/// parameters, the method's parameters, properties and one-line URL methods read through.
fn expand(n: Node, func: Node, class: Node, src: &[u8], depth: u32) -> Option<Vec<Atom>> {
    if depth > DEPTH {
        return None;
    }
    let ps = params(func, src);
    let parts = |t: Template| t.into_iter().map(Atom::Part).collect::<Vec<_>>();
    let mut out = Vec::new();
    match n.kind_name() {
        "string" => {
            for c in named(n) {
                match c.kind_name() {
                    "string_content" | "escape_sequence" => out.push(Atom::Part(Part::Lit(text_of(c, src)))),
                    "interpolation" => {
                        let e = c.field("expression").unwrap_or(c);
                        out.extend(expand(e, func, class, src, depth + 1)?);
                    }
                    _ => {}
                }
            }
        }
        "concatenated_string" => {
            for c in named(n) {
                out.extend(expand(c, func, class, src, depth + 1)?);
            }
        }
        "binary_operator" if n.field("operator").is_some_and(|o| query::text(o, src) == "+") => {
            for f in ["left", "right"] {
                out.extend(expand(n.field(f)?, func, class, src, depth + 1)?);
            }
        }
        "parenthesized_expression" => out.extend(expand(*named(n).first()?, func, class, src, depth + 1)?),
        "identifier" => {
            let name = query::text(n, src);
            if let Some(i) = ps.iter().position(|p| p == name) {
                out.push(Atom::Arg(i));
            } else if let Some(v) = local_node(n, func, src) {
                out.extend(expand(v, func, class, src, depth + 1)?);
            } else {
                out.extend(parts(value_template(None, n, src)));
            }
        }
        "attribute" if n.field("object").is_some_and(|o| query::text(o, src) == "self") => {
            let attr = n.field("attribute").map(|a| text_of(a, src)).unwrap_or_default();
            let property = methods(class).into_iter().find(|(m, d)| {
                name_of(*m, src) == attr && d.is_some_and(|d| query::text(d, src).trim_start().starts_with("@property"))
            });
            if let Some((m, _)) = property {
                out.extend(expand(one_return(m)?, m, class, src, depth + 1)?);
            } else if let Some((i, p)) = init_field(class, &attr, src) {
                out.push(Atom::Base(i, p));
            } else {
                out.extend(parts(follow_self(vec![Part::Ref(format!("self.{attr}"))], n, src)));
            }
        }
        "call" => {
            // `self.endpoint_url(endpoint)`: a method of the class returning one URL expression.
            let f = n.field("function")?;
            let inline = (f.kind_name() == "attribute"
                && f.field("object").is_some_and(|o| query::text(o, src) == "self"))
            .then(|| f.field("attribute").map(|a| text_of(a, src)))
            .flatten()
            .and_then(|name| methods(class).into_iter().find(|(m, _)| name_of(*m, src) == name));
            let Some((m, _)) = inline else {
                out.extend(parts(follow_self(value_template(None, n, src), n, src)));
                return Some(out);
            };
            let args = n.field("arguments").filter(|a| a.kind_name() == "argument_list")?;
            let (pos, kw) = split_args(args);
            if !kw.is_empty() || named(args).len() != pos.len() {
                return None;
            }
            for a in expand(one_return(m)?, m, class, src, depth + 1)? {
                match a {
                    Atom::Arg(i) => out.extend(expand(*pos.get(i)?, func, class, src, depth + 1)?),
                    a => out.push(a),
                }
            }
        }
        _ => out.extend(parts(follow_self(value_template(None, n, src), n, src))),
    }
    Some(out)
}

/// A name in capitals: `LLM_URL`, `X_ENDPOINT`.
fn capitals(w: &str) -> bool {
    w.len() > 1
        && !w.as_bytes()[0].is_ascii_digit()
        && w.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// `X = "literal"` at the top of a class body: the literal.
fn class_constant(class: Node, attr: &str, src: &[u8]) -> Option<Part> {
    let body = class.field("body")?;
    let mut c = body.walk();
    let found = body.named_children(&mut c).filter(|s| s.kind_name() == "expression_statement").find_map(|s| {
        let a = s.named_child(0).filter(|a| a.kind_name() == "assignment")?;
        a.field("left").filter(|l| query::text(*l, src) == attr)?;
        a.field("right").and_then(|v| super::py_arch::string_value(v, src))
    });
    found.map(Part::Lit)
}

/// The words [`urlish`] and [`pathish`] look for, in any case: `://`, a string starting
/// with `/`, an environment read, and names saying URL. One automaton pass per call: this
/// runs at every `self.m(` and capitalised call of every file.
static URL_WORDS: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> = std::sync::LazyLock::new(|| {
    const WORDS: [&str; 9] = ["\"/", "'/", "://", "addr", "endpoint", "environ", "getenv", "host", "url"];
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(WORDS)
        .ok()
});

/// Pattern indexes in [`URL_WORDS`] that [`pathish`] takes (`addr`, `endpoint`, `host` are
/// for constructions only: a path argument is named `…url…` or written in capitals).
fn says_url(args: &str, paths_only: bool) -> bool {
    let Some(words) = URL_WORDS.as_ref() else { return false };
    words.find_iter(args).any(|m| !paths_only || !matches!(m.pattern().as_usize(), 3 | 4 | 7))
}

/// Whether a construction's argument text may hold a URL: `://`, `"/`, an environment
/// read, or a word saying `url`, `host`, `addr` or `endpoint`.
fn urlish(args: &str) -> bool {
    says_url(args, false)
}

/// Whether a call's argument text may hold a URL or a path: `://`, a string starting
/// with `/`, an environment read, a word in capitals (also `self.X_ENDPOINT`,
/// `settings.USERS_URL`) or a name saying `url`.
fn pathish(args: &str) -> bool {
    says_url(args, true)
        || args
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|w| capitals(w) && w.bytes().any(|b| b.is_ascii_uppercase()))
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn ident_start(bytes: &[u8], end: usize) -> usize {
    end - bytes[..end].iter().rev().take_while(|&&b| is_ident(b)).count()
}

/// Whether the name at `head` follows `raise`, `class` or `except`.
fn after_keyword(bytes: &[u8], head: usize) -> bool {
    let before = &bytes[..head];
    let before = &before[..before.len() - before.iter().rev().take_while(|b| **b == b' ').count()];
    ["raise", "class", "except"].iter().any(|k| {
        before.ends_with(k.as_bytes()) && (before.len() == k.len() || !is_ident(before[before.len() - k.len() - 1]))
    })
}

/// The method (and its top-level class) holding byte `at`: found from the top statement
/// down (`Node::parent` walks from the root each time).
fn method_at<'t>(tops: &[Node<'t>], at: usize) -> Option<(Node<'t>, Node<'t>)> {
    let top = *tops.get(tops.partition_point(|t| t.end_byte() <= at))?;
    let class = match top.kind_name() {
        "class_definition" => top,
        "decorated_definition" => top.field("definition").filter(|d| d.kind_name() == "class_definition")?,
        _ => return None,
    };
    let body = class.field("body")?;
    let mut c = body.walk();
    let stmt = body.named_children(&mut c).find(|s| s.start_byte() <= at && at < s.end_byte())?;
    let func = match stmt.kind_name() {
        "function_definition" => stmt,
        "decorated_definition" => stmt.field("definition")?,
        _ => return None,
    };
    (func.kind_name() == "function_definition" && func.start_byte() <= at).then_some((func, class))
}

/// The call whose callee starts at `start` and whose arguments open at `paren`.
fn call_at<'t>(tops: &[Node<'t>], root: Node<'t>, start: usize, paren: usize) -> Option<Node<'t>> {
    let top = tops.partition_point(|t| t.end_byte() <= start);
    let within = match tops.get(top) {
        _ if root.kind_name() != "module" => root,
        Some(t) if t.start_byte() <= start && paren < t.end_byte() => *t,
        _ => root,
    };
    let call = within.descendant_for_byte_range(start, paren + 1)?;
    (call.kind_name() == "call" && call.start_byte() == start).then_some(call)
}

/// Arguments as templates, keyword ones by name. Read cheaply, as written: a name in
/// capitals is a constant (`LLM_URL`), `self.X` a class attribute of the enclosing class
/// body, a member of a name `module_ref` accepts (`settings.product_service_url` of an
/// imported `settings`) a reference, any other name a parameter (never a same-named
/// constant elsewhere). Walking the function and class for every argument (as `py_arch`
/// does for a client's URL) costs too much on every `self.m(…)` of a file.
fn arg_templates(
    args: Node,
    class: Option<Node>,
    module_ref: &dyn Fn(&str) -> bool,
    src: &[u8],
) -> (Vec<Template>, Vec<(String, Template)>) {
    let tpl = |a: Node| {
        template(a, src)
            .into_iter()
            .map(|p| match p {
                Part::Ref(r) => match r.strip_prefix("self.") {
                    Some(attr) => {
                        class.and_then(|c| class_constant(c, attr, src)).unwrap_or(Part::Param(attr.to_string()))
                    }
                    None if r.split('.').next_back().is_some_and(capitals) => Part::Ref(r),
                    None if r.split_once('.').is_some_and(|(head, _)| !r.contains('[') && module_ref(head)) => {
                        Part::Ref(r)
                    }
                    None => Part::Param(r.rsplit('.').next().unwrap_or(&r).to_string()),
                },
                p => p,
            })
            .collect::<Template>()
    };
    let (pos, kw) = split_args(args);
    let kwargs =
        kw.into_iter().filter_map(|k| Some((text_of(k.field("name")?, src), tpl(k.field("value")?)))).collect();
    (pos.into_iter().map(tpl).collect(), kwargs)
}

/// Whether `head` is a name a module binds at its top level: imported (`from
/// app.core.config import settings`, `import config`) or assigned (`settings = Settings()`).
fn module_level_name(tops: &[Node], head: &str, src: &[u8]) -> bool {
    tops.iter().any(|s| match s.kind_name() {
        "import_from_statement" | "import_statement" => {
            let mut c = s.walk();
            let names: Vec<Node> = s.children_by_field_name("name", &mut c).collect();
            names.into_iter().any(|n| {
                let bound = if n.kind_name() == "aliased_import" { n.field("alias") } else { Some(n) };
                bound.is_some_and(|b| query::text(b, src).split('.').next() == Some(head))
            })
        }
        "expression_statement" => s
            .named_child(0)
            .filter(|a| a.kind_name() == "assignment")
            .and_then(|a| a.field("left"))
            .is_some_and(|l| query::text(l, src) == head),
        _ => false,
    })
}

/// Whether a file may define an HTTP client class or a subclass of one: it names an
/// HTTP client module (the class makes requests) or imports from its own package (a
/// subclass imports its base: `from .base import BaseSvc`). Other files are read only
/// for constructions: recording every class and `self` call of every file cost 2.9 %
/// of a Django scan, and subclasses are rare next to them. A subclass importing its base
/// by an absolute path from a file that names no client is missed.
pub fn may_hold_client_classes(text: &str) -> bool {
    const WORDS: [&str; 5] = ["aiohttp", "http.client", "httpx", "requests", "urllib"];
    WORDS.iter().any(|w| text.contains(w)) || text.starts_with("from .") || text.contains("\nfrom .")
}

/// The methods called on `self` with path-like arguments, the constructions of classes
/// (a capitalised name) with URL-like arguments, and the methods called on an object a
/// construction made in the same function (or at module level, the name assigned once);
/// `self` calls only when `self_calls` ([`may_hold_client_classes`]).
pub fn uses(top: &Tops, text: &str, self_calls: bool, facts: &mut ArchFacts) {
    let bytes = text.as_bytes();
    let src = bytes;
    let root = top.root;
    let tops = || top.get();
    // Constructions assigned to a name: (name, construction, its function or none).
    let mut assigned: Vec<(String, RawArgCall, Option<Node>)> = Vec::new();
    // Calls on a `self` attribute, and pybreaker's `.call(fn, *args)`: (callee start,
    // method name start and end, paren, forwarding).
    let mut wrapped: Vec<(usize, usize, usize, usize, bool)> = Vec::new();
    let breakers = memchr::memmem::find(bytes, b"pybreaker").is_some();
    for paren in memchr::memchr_iter(b'(', bytes) {
        let end = paren - bytes[..paren].iter().rev().take_while(|b| **b == b' ').count();
        let start = ident_start(bytes, end);
        if start == end || bytes[start].is_ascii_digit() {
            continue;
        }
        let (head, dotted) = match start.checked_sub(1).map(|i| bytes[i]) {
            Some(b'.') => (ident_start(bytes, start - 1), true),
            _ => (start, false),
        };
        // `self.base.post(url, …)` and `breaker.call(self.base.get, url)`: read below.
        let on_held = dotted && head >= 5 && &bytes[head - 5..head] == b"self.";
        let callee_start = if on_held { head - 5 } else { head };
        let forwarding = dotted
            && matches!(&text[start..end], "call" | "call_async")
            && (breakers || text[head..start].to_ascii_lowercase().contains("breaker"));
        let free = |at: usize| at.checked_sub(1).is_none_or(|i| !is_ident(bytes[i]) && bytes[i] != b'.');
        if (on_held || forwarding) && free(callee_start) {
            if forwarding || pathish(super::arch::args_text(text, paren)) {
                wrapped.push((callee_start, start, end, paren, forwarding));
            }
            continue;
        }
        if !free(head) {
            continue;
        }
        let receiver = if dotted { &text[head..start - 1] } else { "" };
        let on_self = self_calls && dotted && receiver == "self";
        // `raise NotFound(…)`, `class Api(Base):`, `ValidationError(…)` construct no client.
        let exception = ["Error", "Exception", "Warning"].iter().any(|w| text[start..end].ends_with(w));
        let capital = bytes[start].is_ascii_uppercase() && !exception && !after_keyword(bytes, head);
        // A construction's base is a URL: its arguments say so (`LLM_URL`, `base_url=`,
        // `os.environ[…]`, `"http://…"`); a capitalised argument alone (`on_delete=CASCADE`) does not.
        if !(on_self || capital) {
            continue;
        }
        let args_text = super::arch::args_text(text, paren);
        if !(on_self && pathish(args_text) || capital && urlish(args_text)) {
            continue;
        }
        // A `self` call is read in a method of a top-level class, looked up from the top.
        let method = if on_self {
            match method_at(tops(), head) {
                Some(m) => Some(m),
                None => continue,
            }
        } else {
            None
        };
        let within = method.map_or(root, |(func, _)| func);
        let Some(call) = call_at(tops(), within, head, paren) else { continue };
        let Some(args) = call.field("arguments").filter(|a| a.kind_name() == "argument_list") else {
            continue;
        };
        if named(args).iter().any(|a| matches!(a.kind_name(), "list_splat" | "dictionary_splat")) {
            continue;
        }
        let line = query::line(call);
        if let Some((func, class)) = method {
            let (pos, _) = arg_templates(args, Some(class), &|_| false, src);
            let within = Some((name_of(func, src), params(func, src)));
            let (name, method) = (name_of(class, src), text[start..end].to_string());
            facts.arg_calls.extend(wrapper_use(format!("{name}.{method}"), call, func, Some(class), 0, src));
            facts.method_uses.push(RawMethodUse { class: name, ctor: None, method, args: pos, within, line });
            continue;
        }
        // `settings.product_service_url` of a module-level `settings` (imported or assigned
        // at the top, and neither a parameter nor a local of the function around the call).
        let module_ref = |head: &str| {
            module_level_name(tops(), head, src)
                && query::ancestors(call, 64).find(|f| f.kind_name() == "function_definition").is_none_or(|f| {
                    !params(f, src).iter().any(|p| p.trim_start_matches('*') == head)
                        && super::py_arch::assignments(head, f, src).is_some_and(|v| v.is_empty())
                })
        };
        let (pos, kwargs) = arg_templates(args, None, &module_ref, src);
        let ctor = RawArgCall {
            callee: text[head..end].to_string(),
            args: pos,
            line,
            kwargs,
            methods: Vec::new(),
            props: Vec::new(),
        };
        if let Some(a) = call.parent().filter(|p| p.kind_name() == "assignment") {
            if let Some(l) = a.field("left").filter(|l| l.kind_name() == "identifier") {
                let func = query::ancestors(a, 64).find(|f| f.kind_name() == "function_definition");
                assigned.push((text_of(l, src), ctor.clone(), func));
            }
        }
        facts.constructions.push(ctor);
    }
    for (callee_start, start, end, paren, forwarding) in wrapped {
        let method = method_at(tops(), callee_start);
        let func = match method {
            Some((func, _)) => func,
            None => match query::ancestors(root.descendant_for_byte_range(callee_start, paren).unwrap_or(root), 64)
                .find(|f| f.kind_name() == "function_definition")
            {
                Some(f) => f,
                None => continue,
            },
        };
        let class = method.map(|(_, c)| c);
        let Some(call) = call_at(tops(), func, callee_start, paren) else { continue };
        let found = if forwarding {
            let args = call.field("arguments").filter(|a| a.kind_name() == "argument_list");
            let first = args.and_then(|a| split_args(a).0.first().copied());
            first.and_then(|f| function_value(f, func, class, src, 0)).map(|callee| (callee, 1))
        } else {
            let attr = &text[callee_start + 5..start - 1];
            class.and_then(|c| held_class(c, attr, src)).map(|k| (format!("{k}.{}", &text[start..end]), 0))
        };
        if let Some((callee, skip)) = found {
            facts.arg_calls.extend(wrapper_use(callee, call, func, class, skip, src));
        }
    }
    for (var, ctor, func) in assigned {
        let scope = func.map_or(0..text.len(), |f| f.byte_range());
        // The name assigned once in its scope (the construction), else which object it holds is not known.
        let assign = format!("{var} =");
        let assigns = text[scope.clone()].match_indices(&assign).filter(|(i, _)| {
            let at = scope.start + i;
            at == 0 || !is_ident(bytes[at - 1]) && bytes[at - 1] != b'.'
        });
        if assigns.count() != 1 {
            continue;
        }
        let needle = format!("{var}.");
        for (i, _) in text[scope.clone()].match_indices(&needle) {
            let head = scope.start + i;
            if head > 0 && (is_ident(bytes[head - 1]) || bytes[head - 1] == b'.') {
                continue;
            }
            let start = head + needle.len();
            let name_end = start + bytes[start..].iter().take_while(|&&b| is_ident(b)).count();
            if bytes.get(name_end) != Some(&b'(') || name_end == start {
                continue;
            }
            let Some(call) = call_at(tops(), root, head, name_end) else { continue };
            // A module-level object is read in any function that does not assign the name.
            let inner = query::ancestors(call, 64).find(|f| f.kind_name() == "function_definition");
            if func.is_none() && inner.is_some_and(|f| text[f.byte_range()].contains(&format!("{var} ="))) {
                continue;
            }
            let Some(args) = call.field("arguments").filter(|a| a.kind_name() == "argument_list") else {
                continue;
            };
            let (pos, _) = arg_templates(args, None, &|_| false, src);
            facts.method_uses.push(RawMethodUse {
                class: ctor.callee.clone(),
                ctor: Some(ctor.clone()),
                method: text[start..name_end].to_string(),
                args: pos,
                within: None,
                line: query::line(call),
            });
        }
    }
}

/// `def get(self, url, header=None): return requests.get(url, headers=header)` in a
/// top-level `class Requests`: the wrapper `Requests.get` and the URL parameter's index
/// (`self` left out). Its callers are read where the receiver's class is known
/// ([`uses`]: `self.base.get(…)` on `base = Requests()`, `breaker.call(self.base.get, …)`).
pub fn method_wrapper<'t>(root: Option<&query::Root<'t>>, url: Node<'t>, src: &[u8]) -> Option<(String, usize)> {
    if url.kind_name() != "identifier" {
        return None;
    }
    let (func, class) = method_of(root, url)?;
    let top = query::ancestors_in(root, class, 1)
        .first()
        .is_some_and(|p| matches!(p.kind_name(), "module" | "decorated_definition"));
    let ps = params(func, src);
    let index = ps.iter().position(|p| p == query::text(url, src)).filter(|_| top)?;
    // A splat before the parameter makes its position unknown.
    (!ps[..index].iter().any(|p| p.starts_with('*')))
        .then(|| (format!("{}.{}", name_of(class, src), name_of(func, src)), index))
}

/// The top-level class whose body states `stmt` (`URLS = {…}`), when `name` is in capitals.
pub fn class_of_constant(stmt: Node, name: &str, src: &[u8]) -> Option<String> {
    if !capitals(name) {
        return None;
    }
    let class =
        stmt.parent().filter(|b| b.kind_name() == "block")?.parent().filter(|c| c.kind_name() == "class_definition")?;
    class.parent().filter(|p| matches!(p.kind_name(), "module" | "decorated_definition")).map(|_| name_of(class, src))
}

/// The class of the object a `self` attribute holds: its one assignment in the class is
/// a construction of a capitalised name (`base = Requests()` in the body, `self.base =
/// Requests()` in a method), as written.
fn held_class(class: Node, attr: &str, src: &[u8]) -> Option<String> {
    // Walking the class costs: first a look at its text for `attr = Capitalised`.
    let text = src.get(class.byte_range())?;
    let needle = format!("{attr} = ");
    let constructed = memchr::memmem::find_iter(text, needle.as_bytes())
        .any(|i| (i == 0 || !is_ident(text[i - 1])) && text.get(i + needle.len()).is_some_and(u8::is_ascii_uppercase));
    if !constructed {
        return None;
    }
    let value = one_assignment(class, attr, true, src)?.field("right").filter(|v| v.kind_name() == "call")?;
    let f = value.field("function").filter(|f| matches!(f.kind_name(), "identifier" | "attribute"))?;
    let name = text_of(f, src);
    let last = name.rsplit('.').next().unwrap_or(&name);
    last.starts_with(|c: char| c.is_ascii_uppercase()).then_some(name)
}

/// The class a `self.NAME` constant read in `class` is stated in: the class when its body
/// assigns `NAME`, else its one base (`class UserExist(Requests)`), as written.
fn constant_owner(class: Node, name: &str, src: &[u8]) -> Option<String> {
    let body = class.field("body")?;
    let states = named(body).into_iter().any(|s| {
        s.kind_name() == "expression_statement"
            && s.named_child(0)
                .filter(|a| a.kind_name() == "assignment")
                .and_then(|a| a.field("left"))
                .is_some_and(|l| query::text(l, src) == name)
    });
    if states {
        return Some(name_of(class, src));
    }
    let bases = class.field("superclasses").map(named).unwrap_or_default();
    match bases.as_slice() {
        [b] if matches!(b.kind_name(), "identifier" | "attribute") => Some(text_of(*b, src)),
        _ => None,
    }
}

/// An argument a caller hands a project wrapper method, as a template: `self.base.URLS['order']`
/// is the class constant `Requests.URLS[order]` (the class `base` holds), `self.URLS['x']`
/// the enclosing class's (or its base's); a local assigned once before is its value (a later
/// `url += '?…'` adds a query only); the function's parameters and other locals are
/// parameters, never a same-named constant elsewhere.
fn caller_template(a: Node, func: Node, class: Option<Node>, src: &[u8], depth: u32) -> Template {
    if a.kind_name() == "identifier" && depth == 0 {
        let name = query::text(a, src);
        if let Some(values) = super::py_arch::assignments(name, func, src).filter(|v| !v.is_empty()) {
            return match values.as_slice() {
                [one] if one.end_byte() <= a.start_byte() && only_queries_added(name, func, src) => {
                    caller_template(*one, func, class, src, 1)
                }
                _ => vec![Part::Param(name.to_string())],
            };
        }
    }
    let ps = params(func, src);
    let local = |head: &str| {
        ps.iter().any(|p| p.trim_start_matches('*') == head)
            || super::py_arch::assignments(head, func, src).is_some_and(|v| !v.is_empty())
    };
    template(a, src)
        .into_iter()
        .map(|p| match p {
            Part::Ref(r) => match r.strip_prefix("self.") {
                Some(rest) => self_ref(rest, class, src).map_or_else(|| Part::Param(rest.to_string()), Part::Ref),
                None if local(r.split(['.', '[']).next().unwrap_or(&r)) => {
                    Part::Param(r.rsplit('.').next().unwrap_or(&r).to_string())
                }
                None => Part::Ref(r),
            },
            p => p,
        })
        .collect()
}

/// `base.URLS[order]` (read on `self`) as the class constant it names: `Requests.URLS[order]`.
fn self_ref(rest: &str, class: Option<Node>, src: &[u8]) -> Option<String> {
    let class = class?;
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    let (head, tail) = rest.split_at(end);
    match tail.strip_prefix('.') {
        Some(member) if member.starts_with(|c: char| c.is_ascii_uppercase()) => {
            Some(format!("{}.{member}", held_class(class, head, src)?))
        }
        Some(_) => None,
        None if capitals(head) => Some(format!("{}.{rest}", constant_owner(class, head, src)?)),
        None => None,
    }
}

/// Whether every `name += …` in `func` adds a query string (`url += f'?limit={n}'`): the
/// path stays the assigned one.
fn only_queries_added(name: &str, func: Node, src: &[u8]) -> bool {
    let Some(body) = func.field("body") else { return false };
    let text = query::text(body, src);
    let needle = format!("{name} +=");
    text.match_indices(&needle).all(|(i, _)| {
        let rest = text[i + needle.len()..].trim_start();
        let rest = rest.trim_start_matches(['f', 'r', 'b']);
        rest.starts_with("'?") || rest.starts_with("\"?")
    })
}

/// The wrapper a function value names, as callers of it write it: `self.base.get`
/// (`Requests.get`), `self.get` (`Class.get`), `get_json` (a function), or a local
/// function forwarding its `*args, **kwargs` to one of those (`def func(*args, **kwargs):
/// return self.base.post(*args, **kwargs)`, decorated or not).
fn function_value(f: Node, func: Node, class: Option<Node>, src: &[u8], depth: u32) -> Option<String> {
    match f.kind_name() {
        "attribute" => {
            let object = f.field("object")?;
            let member = text_of(f.field("attribute")?, src);
            let class = class?;
            if query::text(object, src) == "self" {
                return Some(format!("{}.{member}", name_of(class, src)));
            }
            let attr = object.field("attribute").filter(|_| {
                object.kind_name() == "attribute"
                    && object.field("object").is_some_and(|o| query::text(o, src) == "self")
            })?;
            Some(format!("{}.{member}", held_class(class, query::text(attr, src), src)?))
        }
        "identifier" if depth == 0 => {
            let name = query::text(f, src);
            match local_def(func, name, src) {
                Some(def) => forwarded(def, func, class, src),
                None if super::py_arch::assignments(name, func, src).is_some_and(|v| v.is_empty())
                    && !params(func, src).iter().any(|p| p.trim_start_matches('*') == name) =>
                {
                    Some(name.to_string())
                }
                None => None,
            }
        }
        _ => None,
    }
}

/// The one `def name` among the statements of `func`'s body (in blocks, not in nested functions).
fn local_def<'t>(func: Node<'t>, name: &str, src: &[u8]) -> Option<Node<'t>> {
    let mut found = None;
    let mut stack = named(func.field("body")?);
    while let Some(n) = stack.pop() {
        let def = match n.kind_name() {
            "decorated_definition" => n.field("definition"),
            "function_definition" => Some(n),
            "class_definition" => continue,
            _ => {
                stack.extend(named(n));
                continue;
            }
        };
        if def.is_some_and(|d| d.kind_name() == "function_definition" && name_of(d, src) == name)
            && found.replace(def?).is_some()
        {
            return None;
        }
    }
    found
}

/// `def func(*args, **kwargs): return self.base.post(*args, **kwargs)`: the wrapper it
/// hands every argument to.
fn forwarded(def: Node, func: Node, class: Option<Node>, src: &[u8]) -> Option<String> {
    let bare = |t: &str| t.trim_start_matches('*').to_string();
    let ps: Vec<String> = params(def, src).iter().map(|p| bare(p)).collect();
    let call = one_return(def).filter(|c| c.kind_name() == "call")?;
    let passed = named(call.field("arguments")?);
    let splat = |a: &Node| matches!(a.kind_name(), "list_splat" | "dictionary_splat");
    let same = passed.iter().map(|a| bare(query::text(*a, src))).eq(ps.iter().cloned());
    if !same || passed.first().is_none_or(|a| a.kind_name() != "list_splat") || !passed.iter().all(splat) {
        return None;
    }
    function_value(call.field("function")?, func, class, src, 1)
}

/// The call of a project wrapper at `call`: the callee as resolution looks it up (`Requests.get`),
/// its arguments as [`caller_template`] reads them; `skip` leading arguments are the function
/// value of a forwarding call (`breaker.call(fn, *args)`).
fn wrapper_use(
    callee: String,
    call: Node,
    func: Node,
    class: Option<Node>,
    skip: usize,
    src: &[u8],
) -> Option<RawArgCall> {
    let args = call.field("arguments").filter(|a| a.kind_name() == "argument_list")?;
    if named(args).iter().any(|a| matches!(a.kind_name(), "list_splat" | "dictionary_splat")) {
        return None;
    }
    let (pos, kw) = split_args(args);
    let args = pos.iter().skip(skip).map(|a| caller_template(*a, func, class, src, 0)).collect();
    let kwargs = kw
        .into_iter()
        .filter_map(|k| {
            let value = caller_template(k.field("value")?, func, class, src, 0);
            Some((text_of(k.field("name")?, src), value))
        })
        .collect();
    Some(RawArgCall { callee, args, kwargs, methods: Vec::new(), props: Vec::new(), line: query::line(call) })
}

/// A client made in `__init__` with `base_url=` one of its parameters (or a field set
/// from one): `self.client = httpx.AsyncClient(base_url=base_url)`; the class and the parameter.
pub fn client_base(args: Node, src: &[u8]) -> Option<(String, (usize, String))> {
    let v = kwarg(args, "base_url", src)?;
    let (func, class) = method_of(None, v)?;
    if name_of(func, src) != "__init__" {
        return None;
    }
    let ps = params(func, src);
    let base = match expand(v, func, class, src, 0)?.as_slice() {
        [Atom::Arg(i)] if !ps[..*i].iter().any(|p| p.starts_with('*')) => (*i, ps[*i].clone()),
        [Atom::Base(i, p)] => (*i, p.clone()),
        _ => return None,
    };
    Some((name_of(class, src), base))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pathish_arguments() {
        assert!(pathish("self.CLASSIFY_ENDPOINT, request"));
        assert!(pathish("\"/ping\""));
        assert!(pathish("base_url=settings.USERS"));
        assert!(pathish("llm_url"));
        assert!(!pathish("request, data"));
        assert!(!pathish("_(\"Enter a value\"), code=2"));
        assert!(urlish("LLM_URL"));
        assert!(urlish("base_url=settings.USERS"));
        assert!(urlish("os.environ[\"X\"]"));
        assert!(!urlish("to=User, on_delete=models.CASCADE"));
    }
}
