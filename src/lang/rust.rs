//! Rust extraction with `syn` (a full parse and a visitor).
//!
//! Collects `mod` declarations (file children and inline modules), every path
//! of every `use` tree (flattened), `extern crate`, and multi-segment paths
//! written in expressions, types, attributes and macro arguments
//! (`crate::a::f()`), each with the inline-module scope it is written in and
//! whether it sits under `#[cfg(test)]`. Which of those name a module, a
//! workspace crate or a dependency is decided by `crate::resolve::rust`.
//!
//! When `syn` rejects a file (a syntax error), or the file would make it
//! recurse deeper than a thread's stack allows (estimated first by
//! [`rust_depth`]), a line-based fallback still reads its `mod` and `use` items.

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr, Item, ItemMod, ItemUse, UseTree, Visibility};

use super::rust_depth;
use crate::diagnostic::Diagnostic;
use crate::model::{FileFacts, Flags, RawImport, RustMod};

pub fn extract(rel: &str, text: &str, facts: &mut FileFacts) {
    if rust_depth::estimate(text, rust_depth::MAX_DEPTH) > rust_depth::MAX_DEPTH {
        facts.parse_error = true;
        facts.diagnostics.push(Diagnostic::warning(
            rel,
            None,
            "nesting too deep to parse safely (brackets, generics or an operator chain): \
             only top-level `mod`/`use` items were read",
        ));
        fallback(text, facts);
        // The fallback parses `use` items with syn too: clear their spans (below).
        proc_macro2::extra::invalidate_current_thread_spans();
        return;
    }
    match syn::parse_file(text) {
        Ok(file) => {
            let mut v = Collector::default();
            v.visit_file(&file);
            facts.imports = std::mem::take(&mut v.imports);
            facts.mods = std::mem::take(&mut v.mods);
            super::rs_arch::collect(&file, text, &v.bodies, &mut facts.arch);
            if super::rs_raw::mentions(text) {
                super::rs_raw::routes(&file, &mut facts.arch);
            }
            if super::rs_raw::mentions_framework(text) {
                super::rs_raw::frameworks(&file, text, &mut facts.arch);
            }
        }
        Err(e) => {
            facts.parse_error = true;
            let line = u32::try_from(e.span().start().line).unwrap_or(0).max(1);
            facts.diagnostics.push(Diagnostic::warning(
                rel,
                Some(line),
                format!("syntax error ({e}): only `mod`/`use` items were read"),
            ));
            fallback(text, facts);
        }
    }
    // proc-macro2 keeps every parsed source in a thread-local map so spans can
    // report lines; clear it so memory does not grow with the number of files.
    proc_macro2::extra::invalidate_current_thread_spans();
}

/// Parse only (the floor): the same nesting guard and `syn` parse as [`extract`], no visitor.
pub fn parse_only(text: &str) -> bool {
    let ok =
        rust_depth::estimate(text, rust_depth::MAX_DEPTH) <= rust_depth::MAX_DEPTH && syn::parse_file(text).is_ok();
    proc_macro2::extra::invalidate_current_thread_spans();
    ok
}

fn line(span: Span) -> u32 {
    u32::try_from(span.start().line).unwrap_or(u32::MAX).max(1)
}

#[derive(Default)]
struct Collector {
    scope: Vec<String>,
    /// Depth of `#[cfg(test)]`/`#[test]` items we are inside.
    test_depth: usize,
    imports: Vec<RawImport>,
    mods: Vec<RustMod>,
    /// (scope, spec, flags) of expression paths already recorded: the first site is enough.
    seen_paths: HashSet<(Vec<String>, String, Flags)>,
    /// Macro bodies this visitor parsed, kept for the architecture visitor.
    bodies: MacroBodies,
}

/// The bodies of macros as parsed by the module visitor, keyed by the macro's
/// address, so the architecture visitor ([`super::rs_arch`]) reads them without
/// parsing them again (re-parsing every `format!`, `vec!` and item macro cost
/// 4 % of a cold scan of rust-analyzer). Each body is kept, never changed, until
/// both visitors are done: its nodes live in the buffers of its `Vec`s, which do
/// not move when the body does, so the addresses of the macros nested in it stay
/// valid and unique; a macro missing here (one this visitor skips) is parsed by the other.
#[derive(Default)]
pub(crate) struct MacroBodies {
    items: HashMap<usize, Option<Vec<Item>>>,
    exprs: HashMap<usize, Option<Args>>,
}

/// A function-like macro's comma-separated arguments.
pub(crate) type Args = Punctuated<Expr, syn::Token![,]>;

fn key(mac: &syn::Macro) -> usize {
    std::ptr::from_ref(mac) as usize
}

impl MacroBodies {
    /// The body read as items: `None` when this visitor did not try, `Some(None)` when it failed.
    pub(crate) fn items(&self, mac: &syn::Macro) -> Option<Option<&Vec<Item>>> {
        self.items.get(&key(mac)).map(Option::as_ref)
    }

    /// The body read as comma-separated expressions, as [`MacroBodies::items`].
    pub(crate) fn exprs(&self, mac: &syn::Macro) -> Option<Option<&Args>> {
        self.exprs.get(&key(mac)).map(Option::as_ref)
    }
}

impl Collector {
    fn flags(&self) -> Flags {
        if self.test_depth > 0 {
            Flags::TEST
        } else {
            Flags::default()
        }
    }

    fn push_use(&mut self, segments: Vec<String>, line: u32, reexport: bool) {
        let mut flags = self.flags();
        if reexport {
            flags.insert(Flags::REEXPORT);
        }
        self.imports.push(RawImport {
            spec: segments.join("::"),
            names: Vec::new(),
            level: 0,
            scope: self.scope.clone(),
            line,
            flags,
            is_use: true,
            allow_cycle: None,
        });
    }

    /// Run `f` inside an item, counting it as test code when its attributes say so.
    fn with_attrs(&mut self, attrs: &[Attribute], f: impl FnOnce(&mut Self)) {
        let test = attrs.iter().any(is_test_attr);
        self.test_depth += usize::from(test);
        f(self);
        self.test_depth -= usize::from(test);
    }
}

/// `#[cfg(test)]`, `#[cfg(all(test, …))]`, `#[test]`, `#[tokio::test]`…
pub(crate) fn is_test_attr(attr: &Attribute) -> bool {
    let path = attr.path();
    if path.segments.last().is_some_and(|s| s.ident == "test") {
        return true;
    }
    if !path.is_ident("cfg") {
        return false;
    }
    let Ok(list) = attr.meta.require_list() else {
        return false;
    };
    // `cfg(test)`, `cfg(all(test, …))`; not `cfg(not(test))`.
    let (mut test, mut not) = (false, false);
    walk_tokens(list.tokens.clone(), &mut |t| {
        test |= t == "test";
        not |= t == "not";
    });
    test && !not
}

fn walk_tokens(tokens: proc_macro2::TokenStream, f: &mut impl FnMut(&str)) {
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Ident(i) => f(&i.to_string()),
            proc_macro2::TokenTree::Group(g) => walk_tokens(g.stream(), f),
            _ => {}
        }
    }
}

/// `#[path = "x.rs"]` on a `mod` item.
fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find(|a| a.path().is_ident("path")).and_then(|a| match &a.meta {
        syn::Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// Flatten a use tree into full paths (`a::{b, c::*}` → `a::b`, `a::c`).
fn flatten(tree: &UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Span)>) {
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.unraw().to_string());
            flatten(&p.tree, prefix, out);
            prefix.pop();
        }
        UseTree::Name(n) if n.ident == "self" => out.push((prefix.clone(), n.ident.span())),
        UseTree::Name(n) => out.push((with(prefix, &n.ident), n.ident.span())),
        UseTree::Rename(r) if r.ident == "self" => out.push((prefix.clone(), r.ident.span())),
        UseTree::Rename(r) => out.push((with(prefix, &r.ident), r.ident.span())),
        UseTree::Glob(g) => out.push((prefix.clone(), g.star_token.span)),
        UseTree::Group(g) => g.items.iter().for_each(|t| flatten(t, prefix, out)),
    }
}

fn with(prefix: &[String], ident: &syn::Ident) -> Vec<String> {
    let mut v = prefix.to_vec();
    v.push(ident.unraw().to_string());
    v
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item(&mut self, item: &'ast Item) {
        let attrs: &[Attribute] = match item {
            Item::Mod(m) => &m.attrs,
            Item::Fn(f) => &f.attrs,
            Item::Impl(i) => &i.attrs,
            Item::Use(u) => &u.attrs,
            Item::Struct(s) => &s.attrs,
            Item::Enum(e) => &e.attrs,
            Item::Const(c) => &c.attrs,
            Item::Static(s) => &s.attrs,
            Item::Trait(t) => &t.attrs,
            Item::Macro(m) => &m.attrs,
            _ => &[],
        };
        self.with_attrs(attrs, |v| visit::visit_item(v, item));
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.with_attrs(&f.attrs, |v| visit::visit_impl_item_fn(v, f));
    }

    fn visit_item_mod(&mut self, m: &'ast ItemMod) {
        let name = m.ident.unraw().to_string();
        self.mods.push(RustMod {
            scope: self.scope.clone(),
            name: name.clone(),
            path_attr: path_attr(&m.attrs),
            inline: m.content.is_some(),
            line: line(m.ident.span()),
            flags: self.flags(),
        });
        if let Some((_, items)) = &m.content {
            self.scope.push(name);
            items.iter().for_each(|i| self.visit_item(i));
            self.scope.pop();
        }
    }

    fn visit_item_use(&mut self, u: &'ast ItemUse) {
        let mut paths = Vec::new();
        let mut prefix = Vec::new();
        if u.leading_colon.is_some() {
            prefix.push(String::new()); // `use ::a::b` → spec "::a::b"
        }
        flatten(&u.tree, &mut prefix, &mut paths);
        let reexport = !matches!(u.vis, Visibility::Inherited);
        for (segments, span) in paths {
            self.push_use(segments, line(span), reexport);
        }
    }

    fn visit_item_extern_crate(&mut self, e: &'ast syn::ItemExternCrate) {
        let reexport = !matches!(e.vis, Visibility::Inherited);
        if e.ident != "self" {
            self.push_use(vec![e.ident.unraw().to_string()], line(e.ident.span()), reexport);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.segments.len() >= 2 {
            let mut segments: Vec<String> = Vec::with_capacity(path.segments.len() + 1);
            if path.leading_colon.is_some() {
                segments.push(String::new());
            }
            segments.extend(path.segments.iter().map(|s| s.ident.unraw().to_string()));
            let spec = segments.join("::");
            let key = (self.scope.clone(), spec.clone(), self.flags());
            if self.seen_paths.insert(key) {
                self.imports.push(RawImport {
                    spec,
                    names: Vec::new(),
                    level: 0,
                    scope: self.scope.clone(),
                    line: line(path.span()),
                    flags: self.flags(),
                    is_use: false,
                    allow_cycle: None,
                });
            }
        }
        visit::visit_path(self, path);
    }

    fn visit_attribute(&mut self, attr: &'ast Attribute) {
        // `#[rustfmt::skip]`, `#[rust_analyzer::rust_fixture]`: a tool's namespace, no crate.
        let tool = attr.path().segments.first().map(|s| s.ident.unraw().to_string());
        if tool.is_none_or(|t| TOOL_ATTRIBUTES.binary_search(&t.as_str()).is_err()) {
            visit::visit_attribute(self, attr);
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        visit::visit_macro(self, mac);
        if mac.path.is_ident("macro_rules") {
            return;
        }
        // `quote!(crate::x)` writes code for the crate that calls the proc macro: its paths
        // are that crate's, not dependencies of this one.
        let last = mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        if TOKEN_MACROS.binary_search(&last.as_str()).is_ok() {
            return;
        }
        // Macro bodies are tokens to syn. Item-like macros (`cfg_rt! { pub mod runtime; }`,
        // common in large crates) hold items; most others (`format!`, `assert_eq!`,
        // `vec!`) hold comma-separated expressions. Read them as whichever parses.
        if matches!(mac.delimiter, syn::MacroDelimiter::Brace(_)) {
            let items = mac.parse_body_with(parse_items).ok();
            if let Some(items) = &items {
                items.iter().for_each(|i| self.visit_item(i));
            }
            let parsed = items.is_some();
            self.bodies.items.insert(key(mac), items);
            if parsed {
                return;
            }
        }
        let args = mac.parse_body_with(Args::parse_terminated).ok();
        if let Some(args) = &args {
            args.iter().for_each(|e| self.visit_expr(e));
        }
        self.bodies.exprs.insert(key(mac), args);
    }
}

/// Tool attribute namespaces (the Rust reference's "tool attributes" plus
/// rust-analyzer's), sorted: `#[clippy::…]` names no crate.
const TOOL_ATTRIBUTES: &[&str] = &["clippy", "diagnostic", "miri", "rust_analyzer", "rustdoc", "rustfmt"];

/// Macros whose bodies are code quoted for another crate (quote, syn), sorted.
const TOKEN_MACROS: &[&str] = &["format_ident", "parse_quote", "parse_quote_spanned", "quote", "quote_spanned"];

pub(crate) fn parse_items(input: syn::parse::ParseStream) -> syn::Result<Vec<Item>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        items.push(input.parse()?);
    }
    Ok(items)
}

/// Read `mod x;` and `use …;` items line by line from a file `syn` rejected.
/// Each `use` item is handed back to `syn` alone, so its tree is still flattened properly.
fn fallback(text: &str, facts: &mut FileFacts) {
    let mut lines = text.lines().enumerate();
    while let Some((i, raw)) = lines.next() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let (vis, rest) = strip_vis(raw.trim_start());
        if let Some(name) = rest.strip_prefix("mod ").and_then(|r| r.trim().strip_suffix(';')) {
            let name = name.trim();
            let name = name.strip_prefix("r#").unwrap_or(name);
            if is_ident(name) {
                facts.mods.push(RustMod {
                    scope: Vec::new(),
                    name: name.to_string(),
                    path_attr: None,
                    inline: false,
                    line: line_no,
                    flags: Flags::default(),
                });
            }
        } else if rest.starts_with("use ") {
            let mut item = raw.trim_start().to_string();
            // A use item may span lines; bound how far it is followed.
            let mut more = 0;
            while !item.contains(';') && more < 200 {
                let Some((_, next)) = lines.next() else { break };
                item.push('\n');
                item.push_str(next);
                more += 1;
            }
            let Some(end) = item.find(';') else { continue };
            let item = &item[..=end];
            // The item goes to `syn` too: it must not be a nesting bomb either.
            if rust_depth::estimate(item, rust_depth::MAX_DEPTH) > rust_depth::MAX_DEPTH {
                continue;
            }
            if let Ok(u) = syn::parse_str::<ItemUse>(item) {
                let mut paths = Vec::new();
                flatten(&u.tree, &mut Vec::new(), &mut paths);
                facts.imports.extend(paths.into_iter().map(|(segments, _)| RawImport {
                    spec: segments.join("::"),
                    names: Vec::new(),
                    level: 0,
                    scope: Vec::new(),
                    line: line_no,
                    flags: if vis { Flags::REEXPORT } else { Flags::default() },
                    is_use: true,
                    allow_cycle: None,
                }));
            }
        }
    }
}

/// Strip `pub`, `pub(crate)`, `pub(super)`, `pub(in …)` from an item line.
fn strip_vis(line: &str) -> (bool, &str) {
    let Some(rest) = line.strip_prefix("pub") else {
        return (false, line);
    };
    let rest = rest.trim_start();
    if let Some(inner) = rest.strip_prefix('(') {
        return match inner.find(')') {
            Some(close) => (true, inner[close + 1..].trim_start()),
            None => (false, line),
        };
    }
    if line.len() > 3 && line.as_bytes()[3].is_ascii_whitespace() {
        (true, rest)
    } else {
        (false, line)
    }
}

fn is_ident(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(src: &str) -> FileFacts {
        let mut f = FileFacts::default();
        extract("src/lib.rs", src, &mut f);
        f
    }

    fn uses(f: &FileFacts) -> Vec<(String, u32, Vec<&'static str>, bool)> {
        f.imports.iter().map(|i| (i.spec.clone(), i.line, i.flags.names(), i.is_use)).collect()
    }

    #[test]
    fn name_tables_are_sorted() {
        crate::resolve::assert_sorted(&[TOOL_ATTRIBUTES, TOKEN_MACROS]);
    }

    #[test]
    fn use_trees_mods_and_paths() {
        let src = "mod a;\n#[path = \"x/y.rs\"] pub mod b;\nuse crate::{a::{self, T}, b::*};\npub use std::fmt as f;\n\
                   fn g() { crate::a::f(); let v: Vec<super::m::X> = vec![self::q::r()]; }\n\
                   mod inner { use super::a; }\n#[cfg(test)]\nmod tests { use super::*; }\n";
        let f = facts(src);
        assert!(f.diagnostics.is_empty());
        let mods: Vec<_> = f.mods.iter().map(|m| (m.name.as_str(), m.inline, m.path_attr.clone(), m.line)).collect();
        assert_eq!(
            mods,
            vec![
                ("a", false, None, 1),
                ("b", false, Some("x/y.rs".to_string()), 2),
                ("inner", true, None, 6),
                ("tests", true, None, 8)
            ]
        );
        assert_eq!(
            uses(&f),
            vec![
                ("crate::a".into(), 3, vec![], true),
                ("crate::a::T".into(), 3, vec![], true),
                ("crate::b".into(), 3, vec![], true),
                ("std::fmt".into(), 4, vec!["reexport"], true),
                ("crate::a::f".into(), 5, vec![], false),
                ("super::m::X".into(), 5, vec![], false),
                ("self::q::r".into(), 5, vec![], false),
                ("super::a".into(), 6, vec![], true),
                ("super".into(), 8, vec!["test"], true),
            ]
        );
        assert_eq!(f.imports[7].scope, vec!["inner".to_string()]);
    }

    #[test]
    fn items_inside_item_macros_are_read() {
        let f =
            facts("cfg_rt! {\n    pub mod runtime;\n    use crate::a::b;\n}\nmacro_rules! m { () => { mod z; } }\n");
        assert_eq!(f.mods.iter().map(|m| (m.name.as_str(), m.line)).collect::<Vec<_>>(), vec![("runtime", 2)]);
        assert_eq!(f.imports.iter().map(|i| (i.spec.as_str(), i.line)).collect::<Vec<_>>(), vec![("crate::a::b", 3)]);
    }

    #[test]
    fn syntax_error_falls_back_to_items() {
        let f = facts("use crate::a::{b, c};\npub mod d;\nfn broken( {\n");
        assert!(f.parse_error);
        assert_eq!(f.mods[0].name, "d");
        let specs: Vec<_> = f.imports.iter().map(|i| i.spec.as_str()).collect();
        assert_eq!(specs, vec!["crate::a::b", "crate::a::c"]);
        assert!(f.diagnostics[0].line.is_some());
    }

    #[test]
    fn nesting_bomb_is_read_by_the_fallback() {
        let src = format!("mod a;\nfn f() {{ let x = {}1{}; }}\n", "(".repeat(20_000), ")".repeat(20_000));
        let f = facts(&src);
        assert_eq!(f.mods.len(), 1);
        assert!(f.diagnostics[0].message.contains("nesting"));
    }
}
