//! Endpoints of Rust servers that route by hand, with no framework (issue #3): a hyper
//! handler (a function taking a `Request<…>`, what `service_fn` is given) matching the
//! request's path: `match (req.method(), req.uri().path()) { (&Method::GET, "/") => … }`
//! is that method and path, `match req.uri().path() { "/x" => … }` is `ANY`.
//!
//! A string literal pattern is a route; `_` says no path. A method pattern that is a
//! binding or `_` is `ANY`. Beyond literal arms:
//! - a guard arm `(method, path) if path.starts_with(PREFIX)` (a literal or a `const` of the
//!   file) whose body matches `(method, id)` on a local cut from the path
//!   (`path.trim_start_matches(PREFIX).parse().ok()`): `Some(id)` is `PREFIX{id}`, `None` is
//!   `PREFIX`, `Some(_)` (the value thrown away: a rejection arm) and `_` are no route;
//! - a `Regex` of the file (`lazy_static!`'s `static ref R: Regex = Regex::new("…")`,
//!   once_cell's `Lazy::new(|| Regex::new("…"))`) tested on the path, `if R.is_match(path)`
//!   or `if let Some(cap) = R.captures(path)`: a plain anchored pattern (literal text,
//!   `/?`, groups, classes) gives the path, a capture group `{name}` (unnamed: `{param}`),
//!   an optional group with a capture both forms only when a `(method, id)` match on
//!   `cap.name("id")` tells `Some` from `None` (else the form with the parameter), an
//!   optional group without a capture (`(index\.html?)?`) left out. The methods are those
//!   the branch compares (`method == &Method::GET`, `match method`), else the guard arm's;
//! - a guard arm none of these reads is a path built at run time (a diagnostic when resolved).

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, FnArg, Lit, Pat, Type};

use super::arch::{http_method, lit};
use super::rs_arch::line;
use crate::model::{ArchFacts, Part, RawRoute, Template};

/// Whether a file may hold such a handler: a cheap word looked for first. tonic's generated
/// server (`tonic::codegen`, committed as `pb/echo.rs` or built into `OUT_DIR`) routes by
/// hand too, `match req.uri().path() { "/echo.Echo/Say" => … }`: those are the proto's rpcs,
/// endpoints already (`RPC /echo.Echo/Say`), not `ANY` routes of their own.
pub fn mentions(text: &str) -> bool {
    text.contains(".uri().path()") && !text.contains("tonic::codegen")
}

/// Routes of the file's hand-routed handlers.
pub fn routes(file: &syn::File, facts: &mut ArchFacts) {
    let mut v = Handlers {
        facts,
        router: String::new(),
        req: String::new(),
        paths: Vec::new(),
        methods: Vec::new(),
        regexes: Vec::new(),
        consts: Vec::new(),
        arm_methods: Vec::new(),
        branches: Vec::new(),
        suffixes: Vec::new(),
        caps: Vec::new(),
        cutters: Vec::new(),
    };
    file_values(&file.items, &mut v.regexes, &mut v.consts, &mut v.cutters, 0);
    v.visit_file(file);
}

/// The file's `Regex` statics and string constants, in inline modules too.
fn file_values(
    items: &[syn::Item],
    regexes: &mut Vec<(String, String)>,
    consts: &mut Vec<(String, String)>,
    cutters: &mut Vec<(String, usize)>,
    depth: usize,
) {
    for item in items {
        match item {
            syn::Item::Fn(f) => {
                if let Some(k) = cut_param(f) {
                    cutters.push((f.sig.ident.to_string(), k));
                }
            }
            syn::Item::Const(c) => {
                if let Some(v) = str_lit(&c.expr) {
                    consts.push((c.ident.to_string(), v));
                }
            }
            syn::Item::Static(st) => {
                if let Some(v) = regex_new(&st.expr) {
                    regexes.push((st.ident.to_string(), v));
                }
            }
            syn::Item::Macro(m) if m.mac.path.segments.last().is_some_and(|s| s.ident == "lazy_static") => {
                lazy_statics(m.mac.tokens.clone(), regexes);
            }
            syn::Item::Mod(m) if depth < 8 => {
                if let Some((_, items)) = &m.content {
                    file_values(items, regexes, consts, cutters, depth + 1);
                }
            }
            _ => {}
        }
    }
}

/// The parameter a function of the file returns cut (`fn parse_id(base: &str, path: &str)
/// -> Option<usize> { path.trim_start_matches(base).parse().ok() }`): its index.
fn cut_param(f: &syn::ItemFn) -> Option<usize> {
    let Some(syn::Stmt::Expr(tail, None)) = f.block.stmts.last() else { return None };
    let (root, true) = chain_root(tail)? else { return None };
    f.sig.inputs.iter().position(|a| match a {
        FnArg::Typed(t) => matches!(&*t.pat, Pat::Ident(i) if i.ident == root),
        FnArg::Receiver(_) => false,
    })
}

/// `static ref NAME: Regex = Regex::new("…").unwrap();` items of a `lazy_static!` body.
fn lazy_statics(tokens: proc_macro2::TokenStream, regexes: &mut Vec<(String, String)>) {
    use proc_macro2::TokenTree;
    let toks: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i + 1 < toks.len() {
        let TokenTree::Ident(r) = &toks[i] else {
            i += 1;
            continue;
        };
        if r != "ref" {
            i += 1;
            continue;
        }
        let TokenTree::Ident(name) = &toks[i + 1] else {
            i += 1;
            continue;
        };
        let is = |t: &TokenTree, c: char| matches!(t, TokenTree::Punct(p) if p.as_char() == c);
        let Some(eq) = (i + 2..toks.len()).find(|&k| is(&toks[k], '=') || is(&toks[k], ';')) else { break };
        let end = (eq + 1..toks.len()).find(|&k| is(&toks[k], ';')).unwrap_or(toks.len());
        if is(&toks[eq], '=') {
            let expr: proc_macro2::TokenStream = toks[eq + 1..end].iter().cloned().collect();
            if let Some(v) = syn::parse2::<Expr>(expr).ok().as_ref().and_then(regex_new) {
                regexes.push((name.to_string(), v));
            }
        }
        i = end + 1;
    }
}

/// The pattern of `Regex::new("…")` under `.unwrap()`/`.expect(…)`, `Lazy::new(|| …)`.
fn regex_new(e: &Expr) -> Option<String> {
    match e {
        Expr::MethodCall(m) if m.method == "unwrap" || m.method == "expect" => regex_new(&m.receiver),
        Expr::Closure(c) => regex_new(&c.body),
        Expr::Paren(p) => regex_new(&p.expr),
        Expr::Call(c) => {
            let Expr::Path(p) = &*c.func else { return None };
            let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
            match segs.as_slice() {
                [.., ty, f] if ty == "Regex" && f == "new" && c.args.len() == 1 => str_lit(&c.args[0]),
                [.., ty, f] if (ty == "Lazy" || ty == "LazyLock") && f == "new" && c.args.len() == 1 => {
                    regex_new(&c.args[0])
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn str_lit(e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        Expr::Reference(r) => str_lit(&r.expr),
        Expr::Paren(p) => str_lit(&p.expr),
        _ => None,
    }
}

/// One path a regex matches: the text (parameters `{name}`) and the capture names in it.
#[derive(Clone, Default, Debug, PartialEq)]
struct Form {
    path: String,
    caps: Vec<String>,
}

/// Marks a class (`\d+`, `[^/]+`) while a regex is read: a parameter when the text is done.
const CLASS: char = '\u{0}';
/// More forms than this and the pattern is no plain path.
const MAX_FORMS: usize = 8;

/// The paths a plain anchored regex matches ([`Form`]); `None` for anything else
/// (no `^…$`, an alternation, a lookaround, a class run that is not captured and not a
/// whole parameter, a path not starting with `/`).
fn regex_forms(pattern: &str) -> Option<Vec<Form>> {
    let inner = pattern.strip_prefix('^')?.strip_suffix('$')?;
    if inner.ends_with('\\') && !inner.ends_with("\\\\") {
        return None;
    }
    let chars: Vec<char> = inner.chars().collect();
    let mut pos = 0;
    let mut unnamed = 0;
    let forms = regex_seq(&chars, &mut pos, &mut unnamed, 0)?;
    if pos != chars.len() {
        return None;
    }
    let mut out = Vec::new();
    for mut f in forms {
        // An uncaptured class run is a parameter of its own.
        if f.path.contains(CLASS) {
            let mut p = String::new();
            let mut prev = false;
            for c in f.path.chars() {
                if c == CLASS {
                    if !prev {
                        unnamed += 1;
                        let name = if unnamed == 1 { "param".to_string() } else { format!("param{unnamed}") };
                        p.push_str(&format!("{{{name}}}"));
                        f.caps.push(name);
                    }
                    prev = true;
                } else {
                    p.push(c);
                    prev = false;
                }
            }
            f.path = p;
        }
        if !f.path.starts_with('/') {
            return None;
        }
        if !out.contains(&f) {
            out.push(f);
        }
    }
    Some(out)
}

/// A quantifier after an atom: (may be absent, may repeat); `None` for one not read.
fn quantifier(chars: &[char], pos: &mut usize) -> Option<(bool, bool)> {
    let q = match chars.get(*pos) {
        Some('?') => (true, false),
        Some('*') => (true, true),
        Some('+') => (false, true),
        Some('{') => {
            let end = chars[*pos..].iter().position(|&c| c == '}')? + *pos;
            let body: String = chars[*pos + 1..end].iter().collect();
            let (lo, hi) = match body.split_once(',') {
                Some((lo, hi)) => (lo.trim().parse::<u32>().ok()?, hi.trim().parse::<u32>().ok()),
                None => {
                    let n = body.trim().parse::<u32>().ok()?;
                    (n, Some(n))
                }
            };
            *pos = end;
            (lo == 0, hi != Some(1))
        }
        _ => return Some((false, false)),
    };
    *pos += 1;
    // A lazy quantifier matches the same paths.
    if chars.get(*pos) == Some(&'?') {
        *pos += 1;
    }
    Some(q)
}

/// A sequence of atoms up to `)` or the end.
fn regex_seq(chars: &[char], pos: &mut usize, unnamed: &mut usize, depth: usize) -> Option<Vec<Form>> {
    if depth > 8 {
        return None;
    }
    let mut forms = vec![Form::default()];
    while let Some(&c) = chars.get(*pos) {
        if c == ')' {
            break;
        }
        *pos += 1;
        // Each atom gives the variants appended to every form so far.
        let variants: Vec<Form> = match c {
            '\\' => {
                let e = *chars.get(*pos)?;
                *pos += 1;
                let atom = match e {
                    'd' | 'w' | 'D' | 'W' | 'S' => CLASS,
                    e if e.is_ascii_alphanumeric() || e.is_whitespace() => return None,
                    e => e,
                };
                let (opt, _) = quantifier(chars, pos)?;
                if opt && atom != CLASS {
                    vec![Form::default()]
                } else {
                    vec![Form { path: atom.to_string(), caps: Vec::new() }]
                }
            }
            '[' => {
                let mut k = *pos;
                if chars.get(k) == Some(&'^') {
                    k += 1;
                }
                if chars.get(k) == Some(&']') {
                    k += 1;
                }
                while *chars.get(k)? != ']' {
                    if chars[k] == '\\' {
                        k += 1;
                    }
                    k += 1;
                }
                *pos = k + 1;
                quantifier(chars, pos)?;
                vec![Form { path: CLASS.to_string(), caps: Vec::new() }]
            }
            '.' => {
                quantifier(chars, pos)?;
                vec![Form { path: CLASS.to_string(), caps: Vec::new() }]
            }
            '(' => {
                let rest: String = chars[*pos..chars.len().min(*pos + 3)].iter().collect();
                let name = if rest.starts_with("?:") {
                    *pos += 2;
                    None
                } else if rest.starts_with("?P<")
                    || (rest.starts_with("?<") && !rest.starts_with("?<=") && !rest.starts_with("?<!"))
                {
                    *pos += if rest.starts_with("?P<") { 3 } else { 2 };
                    let end = chars[*pos..].iter().position(|&c| c == '>')? + *pos;
                    let n: String = chars[*pos..end].iter().collect();
                    if n.is_empty() || !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        return None;
                    }
                    *pos = end + 1;
                    Some(Some(n))
                } else if rest.starts_with('?') {
                    return None;
                } else {
                    Some(None)
                };
                let sub = regex_seq(chars, pos, unnamed, depth + 1)?;
                if chars.get(*pos) != Some(&')') {
                    return None;
                }
                *pos += 1;
                let (opt, many) = quantifier(chars, pos)?;
                let nested = sub.iter().any(|f| !f.caps.is_empty());
                let classy = sub.iter().any(|f| f.path.contains(CLASS));
                // A capture of a class run is one parameter; one holding captures is
                // transparent, as is a literal group.
                let sub = match name {
                    Some(n) if classy && !nested => {
                        let n = n.unwrap_or_else(|| {
                            *unnamed += 1;
                            if *unnamed == 1 {
                                "param".to_string()
                            } else {
                                format!("param{unnamed}")
                            }
                        });
                        vec![Form { path: format!("{{{n}}}"), caps: vec![n] }]
                    }
                    _ => sub,
                };
                if many && (nested || !classy) {
                    return None;
                }
                match (opt, sub.iter().any(|f| !f.caps.is_empty())) {
                    (true, true) => std::iter::once(Form::default()).chain(sub).collect(),
                    (true, false) => vec![Form::default()],
                    (false, _) => sub,
                }
            }
            '|' | '^' | '$' | '{' | '}' | '*' | '+' | '?' | ']' => return None,
            c => {
                let (opt, _) = quantifier(chars, pos)?;
                if opt {
                    vec![Form::default()]
                } else {
                    vec![Form { path: c.to_string(), caps: Vec::new() }]
                }
            }
        };
        let mut next = Vec::new();
        for f in &forms {
            for v in &variants {
                let mut caps = f.caps.clone();
                caps.extend(v.caps.iter().cloned());
                next.push(Form { path: format!("{}{}", f.path, v.path), caps });
            }
        }
        if next.len() > MAX_FORMS {
            return None;
        }
        forms = next;
    }
    Some(forms)
}

/// The forms of a regex with the most captures: what a branch serves when nothing tells
/// its optional parts apart.
fn widest(forms: &[Form]) -> Vec<&Form> {
    let most = forms.iter().map(|f| f.caps.len()).max().unwrap_or(0);
    forms.iter().filter(|f| f.caps.len() == most).collect()
}

struct Handlers<'f> {
    facts: &'f mut ArchFacts,
    /// `hyper:<fn>` of the handler being read.
    router: String,
    /// The request parameter of that handler (empty outside one).
    req: String,
    /// Locals holding the request's path and method (`let path = req.uri().path();`).
    paths: Vec<String>,
    methods: Vec<String>,
    /// The file's `Regex` statics: (name, pattern).
    regexes: Vec<(String, String)>,
    /// The file's string constants: (name, value).
    consts: Vec<(String, String)>,
    /// The methods of the guard arm being read (`(&Method::GET, path) if …`); empty: any.
    arm_methods: Vec<String>,
    /// The path branches being read, innermost last.
    branches: Vec<Branch>,
    /// Locals cut from the path in a branch (`let id = path.trim_start_matches(P)…`,
    /// `cap.name("id")…`).
    suffixes: Vec<(String, Suffix)>,
    /// `if let Some(cap) = R.captures(path)` locals: (name, the regex's forms).
    caps: Vec<(String, Vec<Form>)>,
    /// The file's functions returning a parameter with a prefix cut off ([`cut_param`]):
    /// (name, the parameter's index).
    cutters: Vec<(String, usize)>,
}

/// A part of the handler that runs for some paths only.
struct Branch {
    kind: BranchKind,
    /// Methods the branch compares the request's to.
    methods: Vec<String>,
    /// A route was pushed for it (by a nested branch or match).
    emitted: bool,
    line: u32,
}

enum BranchKind {
    /// `path.starts_with(PREFIX)`: the prefix as a template.
    Prefix(Template),
    /// `R.is_match(path)`: the regex's forms.
    Regex(Vec<Form>),
}

/// What a local cut from the path holds.
#[derive(Clone)]
enum Suffix {
    /// The rest after the prefix.
    Prefix(Template),
    /// The capture `name` of a regex's forms.
    Cap(String, Vec<Form>),
}

/// The name of a parameter typed `Request<…>` (`req: Request<Body>`, `mut req: hyper::Request<B>`).
fn request_param<'a>(mut inputs: impl Iterator<Item = &'a FnArg>) -> Option<String> {
    inputs.find_map(|a| match a {
        FnArg::Typed(t) => match (&*t.pat, under_ref(&t.ty)) {
            (Pat::Ident(i), Type::Path(p)) if p.path.segments.last().is_some_and(|s| s.ident == "Request") => {
                Some(i.ident.to_string())
            }
            _ => None,
        },
        FnArg::Receiver(_) => None,
    })
}

/// The type under `&`/`&mut`.
fn under_ref(t: &Type) -> &Type {
    match t {
        Type::Reference(r) => under_ref(&r.elem),
        _ => t,
    }
}

/// Conversions that keep a path's text (`req.uri().path().to_owned().as_ref()`), sorted.
const SAME_TEXT: &[&str] = &["as_ref", "as_str", "borrow", "clone", "deref", "to_owned", "to_string"];

/// The expression under `&`, `*`, parentheses and `.as_str()`/`.to_owned()`…
fn bare(e: &Expr) -> &Expr {
    match e {
        Expr::Reference(r) => bare(&r.expr),
        Expr::Paren(p) => bare(&p.expr),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => bare(&u.expr),
        Expr::MethodCall(m) if m.args.is_empty() && SAME_TEXT.binary_search(&m.method.to_string().as_str()).is_ok() => {
            bare(&m.receiver)
        }
        _ => e,
    }
}

/// The method a `Method::GET` expression names.
fn method_expr(e: &Expr) -> Option<String> {
    let Expr::Path(p) = bare(e) else { return None };
    let last = p.path.segments.last()?.ident.to_string();
    http_method(&last).filter(|m| m != "ANY" && last.chars().all(|c| c.is_ascii_uppercase()))
}

/// The local a method chain starts at (`path` of `path.trim_start_matches(P).parse().ok()`)
/// and whether the chain cuts a prefix off it.
fn chain_root(e: &Expr) -> Option<(String, bool)> {
    match e {
        Expr::MethodCall(m) => {
            let (root, cut) = chain_root(&m.receiver)?;
            let cuts = matches!(
                m.method.to_string().as_str(),
                "trim_start_matches" | "trim_left_matches" | "strip_prefix" | "split_at"
            );
            Some((root, cut || cuts))
        }
        Expr::Path(p) => Some((p.path.get_ident()?.to_string(), false)),
        Expr::Paren(p) => chain_root(&p.expr),
        Expr::Reference(r) => chain_root(&r.expr),
        Expr::Try(t) => chain_root(&t.expr),
        _ => None,
    }
}

/// The capture a chain reads: `cap.name("id")…` → (`cap`, `id`).
fn cap_name(e: &Expr) -> Option<(String, String)> {
    match e {
        Expr::MethodCall(m) if m.method == "name" && m.args.len() == 1 => {
            let Expr::Path(p) = &*m.receiver else { return cap_name(&m.receiver) };
            Some((p.path.get_ident()?.to_string(), str_lit(&m.args[0])?))
        }
        Expr::MethodCall(m) => cap_name(&m.receiver),
        Expr::Paren(p) => cap_name(&p.expr),
        Expr::Try(t) => cap_name(&t.expr),
        _ => None,
    }
}

impl Handlers<'_> {
    fn is_req(&self, e: &Expr) -> bool {
        matches!(bare(e), Expr::Path(p) if p.path.is_ident(&self.req))
    }

    /// `req.uri().path()` or a local holding it.
    fn is_path(&self, e: &Expr) -> bool {
        match bare(e) {
            Expr::Path(p) => self.paths.iter().any(|l| p.path.is_ident(l)),
            Expr::MethodCall(m) if m.method == "path" && m.args.is_empty() => {
                matches!(&*m.receiver, Expr::MethodCall(u) if u.method == "uri" && u.args.is_empty() && self.is_req(&u.receiver))
            }
            _ => false,
        }
    }

    /// `req.method()` or a local holding it.
    fn is_method(&self, e: &Expr) -> bool {
        match bare(e) {
            Expr::Path(p) => self.methods.iter().any(|l| p.path.is_ident(l)),
            Expr::MethodCall(m) => m.method == "method" && m.args.is_empty() && self.is_req(&m.receiver),
            _ => false,
        }
    }

    /// Reads `body` as the handler `name` whose request parameter is `req`.
    fn handler(&mut self, name: &str, req: Option<String>, body: &mut dyn FnMut(&mut Self)) {
        let Some(req) = req else { return body(self) };
        let saved = (
            std::mem::replace(&mut self.router, format!("hyper:{name}")),
            std::mem::replace(&mut self.req, req),
            std::mem::take(&mut self.paths),
            std::mem::take(&mut self.methods),
        );
        body(self);
        (self.router, self.req, self.paths, self.methods) = saved;
    }

    /// One alternative of an arm: `(&Method::GET, "/")` (method at `mi`, path at `pi`) or
    /// `"/x"` (`mi` is `usize::MAX`).
    fn arm(&mut self, pat: &Pat, mi: usize, pi: usize) {
        let (method_pat, path_pat) = match pat {
            Pat::Tuple(t) if mi != usize::MAX && t.elems.len() == 2 => (Some(&t.elems[mi]), &t.elems[pi]),
            p if mi == usize::MAX => (None, p),
            _ => return,
        };
        let Some(methods) = method_pat.map_or(Some(Vec::new()), method_pats) else { return };
        let mut paths = Vec::new();
        if path_pats(path_pat, &mut paths) {
            for p in paths {
                self.push(methods.clone(), p);
            }
        }
    }

    /// `R.is_match(path)` or `let Some(cap) = R.captures(path)` (maybe under `&&`): the
    /// regex's forms, the capture local, the line.
    fn regex_cond(&self, cond: &Expr) -> Option<(Vec<Form>, Option<String>, u32)> {
        let (call, cap) = match cond {
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
                return self.regex_cond(&b.left).or_else(|| self.regex_cond(&b.right));
            }
            Expr::Paren(p) => return self.regex_cond(&p.expr),
            Expr::Let(l) => {
                let Pat::TupleStruct(ts) = &*l.pat else { return None };
                let some = ts.path.is_ident("Some") && ts.elems.len() == 1;
                let Some(Pat::Ident(c)) = ts.elems.first().filter(|_| some) else { return None };
                (&*l.expr, Some(c.ident.to_string()))
            }
            e => (e, None),
        };
        let Expr::MethodCall(m) = call else { return None };
        let wanted = if cap.is_some() { "captures" } else { "is_match" };
        if m.method != wanted || m.args.len() != 1 || !self.is_path(&m.args[0]) {
            return None;
        }
        let Expr::Path(r) = bare(&m.receiver) else { return None };
        let name = r.path.get_ident()?.to_string();
        let pattern = &self.regexes.iter().find(|(n, _)| *n == name)?.1;
        let forms = regex_forms(pattern)?;
        Some((forms, cap, line(r.span())))
    }

    /// `let id = path.trim_start_matches(P)…` in a prefix branch (or `parse_id(P, &path)`, a
    /// function of the file cutting its parameter so), `let id = cap.name("id")…`.
    fn suffix_local(&mut self, name: String, init: &Expr) {
        if let Some(root) = self.cut_call(init) {
            if self.paths.contains(&root) {
                let prefix = self.branches.iter().rev().find_map(|b| match &b.kind {
                    BranchKind::Prefix(p) => Some(p.clone()),
                    BranchKind::Regex(_) => None,
                });
                if let Some(p) = prefix {
                    self.suffixes.push((name, Suffix::Prefix(p)));
                }
                return;
            }
        }
        if let Some((cap, group)) = cap_name(init) {
            if let Some((_, forms)) = self.caps.iter().rev().find(|(c, _)| *c == cap) {
                if forms.iter().any(|f| f.caps.contains(&group)) {
                    let forms = forms.clone();
                    self.suffixes.push((name, Suffix::Cap(group, forms)));
                }
            }
        }
    }

    /// The local a prefix is cut off: `path` of `path.trim_start_matches(P).parse().ok()`
    /// and of `parse_id(P, &path)` ([`Handlers::cutters`]).
    fn cut_call(&self, init: &Expr) -> Option<String> {
        if let Some((root, cut)) = chain_root(init) {
            return cut.then_some(root);
        }
        let Expr::Call(c) = bare(init) else { return None };
        let Expr::Path(f) = bare(&c.func) else { return None };
        let f = f.path.get_ident()?;
        let (_, k) = self.cutters.iter().find(|(n, _)| f == n)?;
        let (root, _) = chain_root(c.args.iter().nth(*k)?)?;
        Some(root)
    }

    /// Ends the innermost branch: its routes when nothing inside it gave any.
    fn finish(&mut self) {
        let Some(b) = self.branches.pop() else { return };
        if let Some(parent) = self.branches.last_mut() {
            parent.emitted = true;
        }
        if b.emitted {
            return;
        }
        let methods = if b.methods.is_empty() { self.arm_methods.clone() } else { b.methods };
        match b.kind {
            BranchKind::Regex(forms) => {
                for f in widest(&forms) {
                    let path = lit(&f.path);
                    self.push_template(methods.clone(), path, b.line);
                }
            }
            BranchKind::Prefix(mut p) => {
                if !matches!(p.last(), Some(Part::Lit(s)) if s.ends_with('/')) {
                    p.push(Part::Lit("/".into()));
                }
                p.push(Part::Param("path".into()));
                self.push_template(methods, p, b.line);
            }
        }
    }

    /// `match (method, id)` on a local cut from the path: `Some(x)` is the path with the
    /// parameter, `None` the one without.
    fn suffix_match(&mut self, m: &syn::ExprMatch) -> bool {
        let Expr::Tuple(t) = bare(&m.expr) else { return false };
        if t.elems.len() != 2 {
            return false;
        }
        let local = |e: &Expr| match bare(e) {
            Expr::Path(p) => p.path.get_ident().map(ToString::to_string),
            _ => None,
        };
        let (mi, xi) = if self.is_method(&t.elems[0]) {
            (0, 1)
        } else if self.is_method(&t.elems[1]) {
            (1, 0)
        } else {
            return false;
        };
        let Some(x) = local(&t.elems[xi]) else { return false };
        let Some(suffix) = self.suffixes.iter().rev().find(|(n, _)| *n == x).map(|(_, s)| s.clone()) else {
            return false;
        };
        for arm in &m.arms {
            let Pat::Tuple(tp) = &arm.pat else { continue };
            if tp.elems.len() != 2 {
                continue;
            }
            let Some(methods) = method_pats(&tp.elems[mi]) else { continue };
            let methods = if methods.is_empty() { self.arm_methods.clone() } else { methods };
            let some = match &tp.elems[xi] {
                Pat::TupleStruct(ts) if ts.path.is_ident("Some") && ts.elems.len() == 1 => match &ts.elems[0] {
                    Pat::Ident(i) => Some(i.ident.to_string()),
                    _ => continue,
                },
                Pat::Ident(i) if i.ident == "None" => None,
                Pat::Path(p) if p.path.is_ident("None") => None,
                _ => continue,
            };
            let l = line(tp.span());
            let paths: Vec<Template> = match (&suffix, some) {
                (Suffix::Prefix(p), Some(n)) => {
                    let mut t = p.clone();
                    let slash = matches!(t.last(), Some(Part::Lit(s)) if s.ends_with('/'));
                    t.push(Part::Lit(format!("{}{{{n}}}", if slash { "" } else { "/" })));
                    vec![t]
                }
                (Suffix::Prefix(p), None) => vec![p.clone()],
                (Suffix::Cap(c, forms), some) => {
                    let chosen: Vec<Form> =
                        forms.iter().filter(|f| f.caps.contains(c) == some.is_some()).cloned().collect();
                    widest(&chosen).into_iter().map(|f| lit(&f.path)).collect()
                }
            };
            for p in paths {
                self.push_template(methods.clone(), p, l);
            }
        }
        if let Some(b) = self.branches.last_mut() {
            b.emitted = true;
        }
        true
    }

    /// A guard `if path.starts_with(PREFIX)` on the arm's path binding: the prefix.
    fn guard_prefix(&self, guard: &Expr, binding: &str) -> Option<Template> {
        let Expr::MethodCall(m) = bare(guard) else { return None };
        if m.method != "starts_with" || m.args.len() != 1 {
            return None;
        }
        let Expr::Path(r) = bare(&m.receiver) else { return None };
        if !r.path.is_ident(binding) {
            return None;
        }
        let arg = &m.args[0];
        if let Some(v) = str_lit(arg) {
            return v.starts_with('/').then(|| lit(&v));
        }
        let Expr::Path(c) = bare(arg) else { return None };
        let name = c.path.get_ident()?.to_string();
        match self.consts.iter().find(|(n, _)| *n == name) {
            Some((_, v)) => v.starts_with('/').then(|| lit(v)),
            None => Some(vec![Part::Ref(name)]),
        }
    }

    fn push_template(&mut self, methods: Vec<String>, path: Template, line: u32) {
        let methods = if methods.is_empty() { vec!["ANY".to_string()] } else { methods };
        self.facts.routes.push(RawRoute {
            framework: "hyper".into(),
            router: self.router.clone(),
            methods,
            path,
            handler: None,
            line,
        });
    }

    fn push(&mut self, methods: Vec<String>, path: &syn::LitStr) {
        let value = path.value();
        if !value.starts_with('/') {
            return;
        }
        let methods = if methods.is_empty() { vec!["ANY".to_string()] } else { methods };
        self.facts.routes.push(RawRoute {
            framework: "hyper".into(),
            router: self.router.clone(),
            methods,
            path: lit(&value),
            handler: None,
            line: line(path.span()),
        });
    }
}

/// The string literals of a pattern made only of them (`"/a" | "/b"`).
fn path_pats<'p>(p: &'p Pat, out: &mut Vec<&'p syn::LitStr>) -> bool {
    match p {
        Pat::Lit(l) => match &l.lit {
            Lit::Str(s) => {
                out.push(s);
                true
            }
            _ => false,
        },
        Pat::Or(o) => o.cases.iter().all(|c| path_pats(c, out)),
        Pat::Paren(p) => path_pats(&p.pat, out),
        _ => false,
    }
}

/// The methods of a method pattern (`&Method::GET`, `Method::POST | Method::PUT`); empty
/// for a binding or `_` (any method); `None` for anything else.
fn method_pats(p: &Pat) -> Option<Vec<String>> {
    match p {
        Pat::Reference(r) => method_pats(&r.pat),
        Pat::Paren(p) => method_pats(&p.pat),
        Pat::Wild(_) | Pat::Ident(_) => Some(Vec::new()),
        Pat::Path(p) => {
            let last = p.path.segments.last()?.ident.to_string();
            let m = http_method(&last).filter(|m| m != "ANY" && last.chars().all(|c| c.is_ascii_uppercase()))?;
            Some(vec![m])
        }
        Pat::Or(o) => {
            let all: Option<Vec<Vec<String>>> = o.cases.iter().map(method_pats).collect();
            let all = all?;
            if all.iter().any(Vec::is_empty) {
                return Some(Vec::new());
            }
            Some(all.concat())
        }
        _ => None,
    }
}

impl Handlers<'_> {
    /// Reads an arm of a `(method, path)` match: a guard arm on the path binding is a
    /// prefix branch; every other arm is visited as it is.
    fn guard_arm(&mut self, arm: &syn::Arm, mi: usize, pi: usize) {
        let parts = match &arm.pat {
            Pat::Tuple(t) if mi != usize::MAX && t.elems.len() == 2 => Some((Some(&t.elems[mi]), &t.elems[pi])),
            p if mi == usize::MAX => Some((None, p)),
            _ => None,
        };
        let binding = |p: &Pat| match p {
            Pat::Ident(i) if i.subpat.is_none() => Some(i.ident.to_string()),
            _ => None,
        };
        let prefix = parts.and_then(|(mp, pp)| {
            let b = binding(pp)?;
            let (_, g) = arm.guard.as_ref()?;
            Some((mp, b, self.guard_prefix(g, &binding(pp)?)?))
        });
        let Some((method_pat, path_binding, prefix)) = prefix else {
            if let Some((_, g)) = &arm.guard {
                self.visit_expr(g);
            }
            return self.visit_expr(&arm.body);
        };
        let methods = method_pat.and_then(method_pats).unwrap_or_default();
        let saved = (
            self.paths.len(),
            self.methods.len(),
            self.suffixes.len(),
            std::mem::replace(&mut self.arm_methods, methods),
        );
        self.paths.push(path_binding);
        if let Some(m) = method_pat.and_then(binding) {
            self.methods.push(m);
        }
        let l = line(arm.pat.span());
        self.branches.push(Branch { kind: BranchKind::Prefix(prefix), methods: Vec::new(), emitted: false, line: l });
        self.visit_expr(&arm.body);
        self.finish();
        self.paths.truncate(saved.0);
        self.methods.truncate(saved.1);
        self.suffixes.truncate(saved.2);
        self.arm_methods = saved.3;
    }
}

impl<'ast> Visit<'ast> for Handlers<'_> {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        let req = request_param(f.sig.inputs.iter());
        self.handler(&f.sig.ident.to_string(), req, &mut |v| v.visit_block(&f.block));
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        let req = request_param(f.sig.inputs.iter());
        self.handler(&f.sig.ident.to_string(), req, &mut |v| v.visit_block(&f.block));
    }

    /// `service_fn(|req| async move { match req.uri().path() { … } })`: the closure's
    /// parameter is the request.
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        let service_fn =
            matches!(&*c.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "service_fn"));
        match c.args.first() {
            Some(Expr::Closure(cl)) if service_fn => {
                let req = cl.inputs.first().and_then(|p| match p {
                    Pat::Ident(i) => Some(i.ident.to_string()),
                    Pat::Type(t) => match &*t.pat {
                        Pat::Ident(i) => Some(i.ident.to_string()),
                        _ => None,
                    },
                    _ => None,
                });
                self.handler("service_fn", req, &mut |v| v.visit_expr(&cl.body));
            }
            _ => visit::visit_expr_call(self, c),
        }
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        if let (false, Pat::Ident(i), Some(init)) = (self.req.is_empty(), &l.pat, &l.init) {
            let name = i.ident.to_string();
            if self.is_path(&init.expr) {
                self.paths.push(name);
            } else if self.is_method(&init.expr) {
                self.methods.push(name);
            } else if !self.branches.is_empty() {
                self.suffix_local(name, &init.expr);
            }
        }
        visit::visit_local(self, l);
    }

    fn visit_expr_if(&mut self, i: &'ast syn::ExprIf) {
        let cond = if self.req.is_empty() { None } else { self.regex_cond(&i.cond) };
        let Some((forms, cap, line)) = cond else { return visit::visit_expr_if(self, i) };
        let saved = (self.caps.len(), self.suffixes.len());
        if let Some(cap) = cap {
            self.caps.push((cap, forms.clone()));
        }
        self.branches.push(Branch { kind: BranchKind::Regex(forms), methods: Vec::new(), emitted: false, line });
        self.visit_expr(&i.cond);
        self.visit_block(&i.then_branch);
        self.caps.truncate(saved.0);
        self.suffixes.truncate(saved.1);
        self.finish();
        if let Some((_, e)) = &i.else_branch {
            self.visit_expr(e);
        }
    }

    fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
        if matches!(b.op, syn::BinOp::Eq(_)) && !self.branches.is_empty() {
            let m = if self.is_method(&b.left) {
                method_expr(&b.right)
            } else if self.is_method(&b.right) {
                method_expr(&b.left)
            } else {
                None
            };
            if let (Some(m), Some(br)) = (m, self.branches.last_mut()) {
                if !br.methods.contains(&m) {
                    br.methods.push(m);
                }
            }
        }
        visit::visit_expr_binary(self, b);
    }

    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        if !self.req.is_empty() {
            // (method, path) in either order, or the path alone.
            let order = match bare(&m.expr) {
                Expr::Tuple(t) if t.elems.len() == 2 => {
                    let (a, b) = (&t.elems[0], &t.elems[1]);
                    if self.is_method(a) && self.is_path(b) {
                        Some((0, 1))
                    } else if self.is_path(a) && self.is_method(b) {
                        Some((1, 0))
                    } else {
                        None
                    }
                }
                e if self.is_path(e) => Some((usize::MAX, 0)),
                _ => None,
            };
            if let Some((mi, pi)) = order {
                self.visit_expr(&m.expr);
                for arm in &m.arms {
                    let alternatives: Vec<&Pat> = match &arm.pat {
                        Pat::Or(o) => o.cases.iter().collect(),
                        p => vec![p],
                    };
                    for pat in alternatives {
                        self.arm(pat, mi, pi);
                    }
                    self.guard_arm(arm, mi, pi);
                }
                return;
            }
            if !self.branches.is_empty() {
                if self.suffix_match(m) {
                    return visit::visit_expr_match(self, m);
                }
                // `match method { &Method::GET => … }`: the branch's methods.
                if self.is_method(&m.expr) {
                    for arm in &m.arms {
                        for meth in method_pats(&arm.pat).unwrap_or_default() {
                            if let Some(b) = self.branches.last_mut().filter(|b| !b.methods.contains(&meth)) {
                                b.methods.push(meth);
                            }
                        }
                    }
                }
            }
        }
        visit::visit_expr_match(self, m);
    }
}

/// Whether a file may use one of the small routing crates [`frameworks`] reads.
pub fn mentions_framework(text: &str) -> bool {
    (text.contains("rouille") && text.contains("router!"))
        || text.contains("nickel")
        || text.contains("jsonrpc_http_server")
}

/// Routes of rouille, nickel and jsonrpc-http-server:
/// - rouille `router!(request, (GET) (/users/{id: u32}) => { … }, _ => …)`: each
///   `(METHOD) (/path)` pair, `{name: Type}` a parameter;
/// - nickel `server.get("/p", middleware!(…))`, `router.post("/p", handler)` (two arguments, a
///   literal path) in a file naming nickel, under `server.mount("/api/", router)`'s prefix;
/// - jsonrpc-http-server `ServerBuilder::new(io).start_http(&addr)`: JSON-RPC is `POST /`.
pub fn frameworks(file: &syn::File, text: &str, facts: &mut ArchFacts) {
    let mut v = Frameworks {
        rouille: text.contains("rouille"),
        nickel: text.contains("nickel"),
        jsonrpc: text.contains("jsonrpc_http_server"),
        fn_name: String::new(),
        nickel_routes: Vec::new(),
        nickel_mounts: Vec::new(),
        routes: Vec::new(),
    };
    v.visit_file(file);
    for (recv, route) in v.nickel_routes {
        let mut route = route;
        if let Some((_, prefix)) = v.nickel_mounts.iter().find(|(r, _)| *r == recv) {
            let mut path = lit(prefix.trim_end_matches('/'));
            path.extend(route.path);
            route.path = path;
        }
        v.routes.push(route);
    }
    facts.routes.extend(v.routes);
}

struct Frameworks {
    rouille: bool,
    nickel: bool,
    jsonrpc: bool,
    fn_name: String,
    /// nickel routes by the receiver they are declared on.
    nickel_routes: Vec<(String, RawRoute)>,
    /// `server.mount("/p", router)`: (router, prefix).
    nickel_mounts: Vec<(String, String)>,
    routes: Vec<RawRoute>,
}

impl Frameworks {
    /// The `(METHOD) (/path)` pairs of a rouille `router!` body.
    fn rouille(&mut self, tokens: proc_macro2::TokenStream) {
        use proc_macro2::{Delimiter, TokenTree};
        let toks: Vec<TokenTree> = tokens.into_iter().collect();
        for w in toks.windows(2) {
            let (TokenTree::Group(m), TokenTree::Group(p)) = (&w[0], &w[1]) else { continue };
            if m.delimiter() != Delimiter::Parenthesis || p.delimiter() != Delimiter::Parenthesis {
                continue;
            }
            let mt: Vec<TokenTree> = m.stream().into_iter().collect();
            let [TokenTree::Ident(method)] = mt.as_slice() else { continue };
            let method = method.to_string();
            let Some(method) =
                http_method(&method).filter(|m| *m != "ANY" && method.chars().all(|c| c.is_ascii_uppercase()))
            else {
                continue;
            };
            let Some(path) = rouille_path(p.stream()) else { continue };
            self.routes.push(RawRoute {
                framework: "rouille".into(),
                router: format!("rouille:{}", self.fn_name),
                methods: vec![method],
                path: lit(&path),
                handler: None,
                line: line(m.span()),
            });
        }
    }
}

/// A rouille route path, `/users/{id: u32}/posts` → `/users/{id}/posts`; `None` unless it
/// starts with `/` and holds only names, literals, `-`, `.`, `/` and parameters.
fn rouille_path(tokens: proc_macro2::TokenStream) -> Option<String> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut out = String::new();
    for t in tokens {
        match t {
            TokenTree::Punct(p) if matches!(p.as_char(), '/' | '-' | '.' | '_') => out.push(p.as_char()),
            TokenTree::Ident(i) => out.push_str(&i.to_string()),
            TokenTree::Literal(l) => {
                let s = l.to_string();
                if !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return None;
                }
                out.push_str(&s);
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                let Some(TokenTree::Ident(name)) = g.stream().into_iter().next() else { return None };
                out.push_str(&format!("{{{name}}}"));
            }
            _ => return None,
        }
    }
    out.starts_with('/').then_some(out)
}

impl<'ast> Visit<'ast> for Frameworks {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        let saved = std::mem::replace(&mut self.fn_name, f.sig.ident.to_string());
        visit::visit_item_fn(self, f);
        self.fn_name = saved;
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        if self.rouille && m.path.segments.last().is_some_and(|s| s.ident == "router") {
            self.rouille(m.tokens.clone());
        }
        visit::visit_macro(self, m);
    }

    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        let name = m.method.to_string();
        let recv = match &*m.receiver {
            Expr::Path(p) => p.path.get_ident().map(ToString::to_string),
            _ => None,
        };
        if self.nickel && m.args.len() == 2 {
            let path = str_lit(&m.args[0]).filter(|p| p.starts_with('/'));
            let method = http_method(&name).filter(|_| name.chars().all(|c| c.is_ascii_lowercase()));
            match (recv, path, method) {
                (Some(recv), Some(path), _) if name == "mount" => {
                    if let Expr::Path(r) = bare(&m.args[1]) {
                        if let Some(r) = r.path.get_ident() {
                            self.nickel_mounts.push((r.to_string(), path));
                        }
                    }
                    let _ = recv;
                }
                (Some(recv), Some(path), Some(method)) => {
                    let route = RawRoute {
                        framework: "nickel".into(),
                        router: format!("nickel:{recv}"),
                        methods: vec![method],
                        path: lit(&path),
                        handler: None,
                        line: line(m.method.span()),
                    };
                    self.nickel_routes.push((recv, route));
                }
                _ => {}
            }
        }
        // `ServerBuilder::new(io)…start_http(&addr)`.
        if self.jsonrpc && name == "start_http" && builder_root(&m.receiver) {
            self.routes.push(RawRoute {
                framework: "jsonrpc".into(),
                router: format!("jsonrpc:{}", self.fn_name),
                methods: vec!["POST".into()],
                path: lit("/"),
                handler: None,
                line: line(m.method.span()),
            });
        }
        visit::visit_expr_method_call(self, m);
    }
}

/// Whether a builder chain starts at `ServerBuilder::new(…)`.
fn builder_root(e: &Expr) -> bool {
    match e {
        Expr::MethodCall(m) => builder_root(&m.receiver),
        Expr::Call(c) => matches!(&*c.func, Expr::Path(p)
            if p.path.segments.len() >= 2 && p.path.segments[p.path.segments.len() - 2].ident == "ServerBuilder"),
        Expr::Paren(p) => builder_root(&p.expr),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::regex_forms;

    fn paths(p: &str) -> Option<Vec<String>> {
        regex_forms(p).map(|f| f.into_iter().map(|f| f.path).collect())
    }

    #[test]
    fn plain_anchored_regexes_are_paths() {
        assert_eq!(paths("^/users/?$"), Some(vec!["/users".into()]));
        assert_eq!(paths("^/(index\\.html?)?$"), Some(vec!["/".into()]));
        assert_eq!(paths("^/user/((?P<user_id>\\d+?)/?)?$"), Some(vec!["/user/".into(), "/user/{user_id}".into()]));
        assert_eq!(
            paths("^/download/(?P<filename>\\w{20})?$"),
            Some(vec!["/download/".into(), "/download/{filename}".into()])
        );
        assert_eq!(paths("^/files/([^/]+)/raw$"), Some(vec!["/files/{param}/raw".into()]));
        assert_eq!(paths("^/a/\\d+/b/\\d+$"), Some(vec!["/a/{param}/b/{param2}".into()]));
    }

    #[test]
    fn other_regexes_are_not() {
        for p in
            ["/users", "^/users", "^/(a|b)$", "^/a(?=b)$", "^users$", "^/a\\bb$", "^/(x)+$", "", "^$", "^/[a$", "^/(a$"]
        {
            assert_eq!(paths(p), None, "{p}");
        }
    }
}
