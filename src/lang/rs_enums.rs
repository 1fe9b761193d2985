//! Names a Rust enum gives its variants, and lists of values a loop may walk.
//!
//! A topic is often an enum turned into text where it is used:
//!
//! ```text
//! pub enum KafkaTopic { CustomerCreated, ProductDeleted }
//! impl KafkaTopic { pub fn all() -> Vec<KafkaTopic> { vec![KafkaTopic::CustomerCreated, KafkaTopic::ProductDeleted] } }
//! impl From<KafkaTopic> for String {
//!     fn from(t: KafkaTopic) -> Self { match t { KafkaTopic::CustomerCreated => "customer-created".to_string(), … } }
//! }
//! for topic in KafkaTopic::all() { builder = builder.with_topic(topic.into()); }
//! ```
//!
//! The text of each variant is a constant `KafkaTopic::CustomerCreated` of the file
//! writing the conversion: a `match` whose every arm maps a variant to a string literal,
//! in `From<E> for String` (or `&str`), `Into<String>`, `AsRef<str>`, `Display`, or an
//! inherent `fn as_str(&self)` / `fn to_str(&self)`. Other methods of the enum (a
//! `description()`) are not its text and are not read; two conversions giving one
//! variant different texts give it none.
//!
//! A list is a constant per element, `NAME[k]`: an associated function of no
//! arguments returning `vec![E::A, E::B]` or `[E::A, E::B]` (`E::all()[0]`), an
//! associated constant array of variants (`E::ALL[0]`), or a constant array of
//! strings (`TOPICS[0]`). A loop over one (`for t in E::all()`, `for t in TOPICS.iter()`)
//! binds its variable to the marker `E::all()[*t]`, which resolution expands to each
//! element (`resolve::arch::Ctx::entry_rows`), so a queue named by it is each of them.

use std::collections::BTreeMap;

use syn::{Expr, ImplItem};

use crate::model::{Part, RawConst, Template};

/// Trait conversions whose `match` gives a variant's text (by the trait's last segment).
const TEXT_TRAITS: &[&str] = &["AsRef", "Display", "From", "Into"];
/// Inherent methods giving a variant's text (sorted).
const TEXT_METHODS: &[&str] = &["as_str", "to_str"];
/// Longest list read.
const MAX_ELEMS: usize = 64;

/// The constants an `impl` block defines for its enum: each variant's text
/// (`E::V` → `"v"`) and the lists of variants its associated items return (`E::all()[k]`).
pub(crate) fn impl_consts(i: &syn::ItemImpl, out: &mut Vec<RawConst>) {
    let syn::Type::Path(self_ty) = &*i.self_ty else { return };
    let Some(self_name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else { return };
    let trait_name = i.trait_.as_ref().and_then(|(_, p, _)| p.segments.last());
    // `impl From<KafkaTopic> for String`: the enum is the trait's type argument.
    let enum_name = match trait_name {
        Some(seg) if seg.ident == "From" => match &seg.arguments {
            syn::PathArguments::AngleBracketed(a) => match a.args.first() {
                Some(syn::GenericArgument::Type(syn::Type::Path(p))) => {
                    p.path.segments.last().map(|s| s.ident.to_string())
                }
                _ => None,
            },
            _ => None,
        },
        _ => Some(self_name.clone()),
    };
    let Some(enum_name) = enum_name else { return };
    let text_trait = trait_name.is_some_and(|s| TEXT_TRAITS.contains(&s.ident.to_string().as_str()));
    for item in &i.items {
        match item {
            ImplItem::Fn(f) => {
                let name = f.sig.ident.to_string();
                let text =
                    if trait_name.is_some() { text_trait } else { TEXT_METHODS.binary_search(&name.as_str()).is_ok() };
                if text {
                    let mut found = Vec::new();
                    variant_texts(&f.block, &enum_name, &self_name, &mut found);
                    for (variant, value) in found {
                        out.push(RawConst {
                            name: format!("{enum_name}::{variant}"),
                            value: vec![Part::Lit(value)],
                            line: crate::lang::rs_arch::line(f.sig.ident.span()),
                        });
                    }
                } else if trait_name.is_none() && f.sig.inputs.is_empty() {
                    if let Some(Expr::Macro(_) | Expr::Array(_) | Expr::Reference(_)) = tail(&f.block) {
                        let elems = tail(&f.block).map(|e| variants_of(e, &enum_name)).unwrap_or_default();
                        push_list(&format!("{enum_name}::{name}()"), elems, line_of(&f.sig.ident), out);
                    }
                }
            }
            ImplItem::Const(c) if trait_name.is_none() => {
                let elems = variants_of(&c.expr, &enum_name);
                push_list(&format!("{enum_name}::{}", c.ident), elems, line_of(&c.ident), out);
            }
            _ => {}
        }
    }
}

/// A module-level constant array of strings (`const TOPICS: [&str; 2] = ["a", "b"]`):
/// a constant `TOPICS[k]` per element. Nothing unless every element is a string literal.
pub(crate) fn array_consts(name: &str, e: &Expr, line: u32, out: &mut Vec<RawConst>) {
    for (k, t) in literal_list(e).into_iter().flatten().enumerate() {
        out.push(RawConst { name: format!("{name}[{k}]"), value: vec![Part::Lit(t)], line });
    }
}

/// The strings of a list every element of which is a string literal (`["a", "b"]`,
/// `vec!["a".to_string()]`, `&["a"]`); nothing for an empty or a long one.
pub(crate) fn literal_list(e: &Expr) -> Option<Vec<String>> {
    let texts: Vec<String> = array_elems(e)?.iter().map(lit_text).collect::<Option<_>>()?;
    (!texts.is_empty() && texts.len() <= MAX_ELEMS).then_some(texts)
}

/// Drops every constant named twice with different values (two conversions of an
/// enum disagreeing on a variant's text): none of them is the text. One of each
/// name whose values agree is kept.
pub(crate) fn drop_conflicts(consts: &mut Vec<RawConst>) {
    let mut seen: BTreeMap<String, Option<Template>> = BTreeMap::new();
    for c in consts.iter() {
        let entry = seen.entry(c.name.clone()).or_insert_with(|| Some(c.value.clone()));
        if entry.as_ref() != Some(&c.value) {
            *entry = None;
        }
    }
    let mut kept = std::collections::BTreeSet::new();
    consts.retain(|c| seen.get(&c.name).is_some_and(Option::is_some) && kept.insert(c.name.clone()));
}

/// The marker a loop variable walking a list holds (`for t in KafkaTopic::all()` →
/// `KafkaTopic::all()[*t]`): the list's name, when the loop walks a call of an
/// associated function of no arguments (`E::all()`), an associated constant or a
/// constant (`E::ALL`, `TOPICS`), through `&`, `.iter()`, `.into_iter()`, `.copied()`
/// or `.cloned()`.
pub(crate) fn loop_list(e: &Expr, var: &str) -> Option<Template> {
    let mut e = e;
    loop {
        match e {
            Expr::Reference(r) => e = &r.expr,
            Expr::Paren(p) => e = &p.expr,
            Expr::MethodCall(m)
                if m.args.is_empty()
                    && matches!(m.method.to_string().as_str(), "iter" | "into_iter" | "copied" | "cloned") =>
            {
                e = &m.receiver
            }
            _ => break,
        }
    }
    let name = match e {
        Expr::Call(c) if c.args.is_empty() => match &*c.func {
            Expr::Path(p) if p.path.segments.len() >= 2 => format!("{}()", two_last(&p.path)),
            _ => return None,
        },
        Expr::Path(p) if p.path.segments.len() >= 2 => two_last(&p.path),
        // A constant of screaming case (`TOPICS`), not a local.
        Expr::Path(p) => {
            let id = p.path.get_ident()?.to_string();
            if !id.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') {
                return None;
            }
            id
        }
        _ => return None,
    };
    Some(vec![Part::Ref(format!("{name}[*{var}]"))])
}

/// `crate::kafka::KafkaTopic::all` → `KafkaTopic::all`.
fn two_last(p: &syn::Path) -> String {
    let n = p.segments.len();
    format!("{}::{}", p.segments[n - 2].ident, p.segments[n - 1].ident)
}

fn push_list(name: &str, elems: Option<Vec<String>>, line: u32, out: &mut Vec<RawConst>) {
    let Some(elems) = elems.filter(|e| !e.is_empty() && e.len() <= MAX_ELEMS) else { return };
    for (k, v) in elems.into_iter().enumerate() {
        out.push(RawConst { name: format!("{name}[{k}]"), value: vec![Part::Ref(v)], line });
    }
}

fn line_of(i: &syn::Ident) -> u32 {
    crate::lang::rs_arch::line(i.span())
}

/// The last expression of a block, when it is one.
fn tail(b: &syn::Block) -> Option<&Expr> {
    match b.stmts.last()? {
        syn::Stmt::Expr(e, None) => Some(e),
        _ => None,
    }
}

/// The elements of `vec![…]`, `[…]` or `&[…]`.
fn array_elems(e: &Expr) -> Option<Vec<Expr>> {
    match e {
        Expr::Reference(r) => array_elems(&r.expr),
        Expr::Array(a) => Some(a.elems.iter().cloned().collect()),
        Expr::Macro(m) if m.mac.path.is_ident("vec") => m
            .mac
            .parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated)
            .ok()
            .map(|p| p.into_iter().collect()),
        _ => None,
    }
}

/// The variants a list names, each `E::V` (`Self::V` read as `E::V`); nothing unless
/// every element is a variant of `E`.
fn variants_of(e: &Expr, enum_name: &str) -> Option<Vec<String>> {
    let elems = array_elems(e)?;
    elems
        .iter()
        .map(|e| match e {
            Expr::Path(p) => variant(&p.path, enum_name, enum_name).map(|v| format!("{enum_name}::{v}")),
            _ => None,
        })
        .collect()
}

/// `E::V` or `Self::V` (with `Self` the impl's type) as the variant `V`.
fn variant(p: &syn::Path, enum_name: &str, self_name: &str) -> Option<String> {
    let n = p.segments.len();
    if n < 2 || !p.segments.iter().all(|s| s.arguments.is_none()) {
        return None;
    }
    let ty = p.segments[n - 2].ident.to_string();
    let ok = ty == enum_name || (ty == "Self" && self_name == enum_name);
    ok.then(|| p.segments[n - 1].ident.to_string())
}

/// A string literal, through `.to_string()`, `.to_owned()`, `.into()`, `String::from(…)`,
/// `Ok(…)`/`Some(…)`, a block, or `write!(f, "text")`.
pub(crate) fn lit_text(e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
        Expr::Paren(p) => lit_text(&p.expr),
        Expr::Block(b) => tail(&b.block).and_then(lit_text),
        Expr::MethodCall(m) if m.args.is_empty() => match m.method.to_string().as_str() {
            "to_string" | "to_owned" | "into" => lit_text(&m.receiver),
            _ => None,
        },
        Expr::Call(c) if c.args.len() == 1 => match &*c.func {
            Expr::Path(p) => {
                let t = p.path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::");
                matches!(t.as_str(), "String::from" | "Ok" | "Some")
                    .then(|| c.args.first().and_then(lit_text))
                    .flatten()
            }
            _ => None,
        },
        Expr::Macro(m) if m.mac.path.is_ident("write") => {
            let args =
                m.mac.parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated).ok()?;
            let mut it = args.iter();
            it.next()?;
            let text = it.next().and_then(lit_text)?;
            (args.len() == 2 && !text.contains(['{', '}'])).then_some(text)
        }
        _ => None,
    }
}

/// Every `match` in `b` whose arms all map a variant of `enum_name` to a string literal
/// (a last arm `_ => …` aside): (variant, text) per arm.
fn variant_texts(b: &syn::Block, enum_name: &str, self_name: &str, out: &mut Vec<(String, String)>) {
    struct V<'a> {
        enum_name: &'a str,
        self_name: &'a str,
        out: &'a mut Vec<(String, String)>,
    }
    impl<'ast> syn::visit::Visit<'ast> for V<'_> {
        fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
            let mut found = Vec::new();
            let mut all = !m.arms.is_empty();
            for (k, arm) in m.arms.iter().enumerate() {
                if matches!(arm.pat, syn::Pat::Wild(_)) && k + 1 == m.arms.len() && arm.guard.is_none() {
                    continue;
                }
                let pats: Vec<&syn::Pat> = match &arm.pat {
                    syn::Pat::Or(o) => o.cases.iter().collect(),
                    p => vec![p],
                };
                let variants: Option<Vec<String>> = pats
                    .iter()
                    .map(|p| match p {
                        syn::Pat::Path(p) => variant(&p.path, self.enum_name, self.self_name),
                        _ => None,
                    })
                    .collect();
                match (variants, arm.guard.is_none().then(|| lit_text(&arm.body)).flatten()) {
                    (Some(vs), Some(text)) => found.extend(vs.into_iter().map(|v| (v, text.clone()))),
                    _ => all = false,
                }
            }
            if all && !found.is_empty() {
                self.out.extend(found);
            } else {
                syn::visit::visit_expr_match(self, m);
            }
        }
    }
    let mut v = V { enum_name, self_name, out };
    syn::visit::Visit::visit_block(&mut v, b);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consts(src: &str) -> Vec<(String, String)> {
        let file: syn::File = syn::parse_str(src).unwrap();
        let mut out = Vec::new();
        for item in &file.items {
            if let syn::Item::Impl(i) = item {
                impl_consts(i, &mut out);
            }
        }
        drop_conflicts(&mut out);
        out.into_iter().map(|c| (c.name, crate::resolve::arch::render(&c.value))).collect()
    }

    #[test]
    fn conversions_and_lists() {
        let got = consts(
            r#"
            impl T { pub fn all() -> Vec<T> { vec![T::A, Self::B] } const ALL: [T; 1] = [T::A];
                     fn as_str(&self) -> &str { match self { T::A => "a", Self::B => "b" } }
                     fn describe(&self) -> &str { match self { T::A => "the a", T::B => "the b" } } }
            impl From<T> for String { fn from(t: T) -> Self { match t { T::A => "a".to_string(), T::B => "b".into() } } }
            impl std::fmt::Display for T { fn fmt(&self, f: &mut Formatter) -> fmt::Result {
                let s = match self { T::A => "a", _ => "x" }; write!(f, "{}", s) } }
            "#,
        );
        assert_eq!(
            got,
            [
                ("T::all()[0]", "{T::A}"),
                ("T::all()[1]", "{T::B}"),
                ("T::ALL[0]", "{T::A}"),
                ("T::A", "a"),
                ("T::B", "b"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn disagreeing_conversions_give_nothing() {
        let got = consts(
            r#"
            impl From<T> for String { fn from(t: T) -> Self { match t { T::A => "a".into(), T::B => "b".into() } } }
            impl fmt::Display for T { fn fmt(&self, f: &mut Formatter) -> fmt::Result {
                match self { T::A => write!(f, "A!"), T::B => write!(f, "b") } } }
            "#,
        );
        assert_eq!(got, [("T::B".to_string(), "b".to_string())]);
    }

    #[test]
    fn loops() {
        let e: Expr = syn::parse_str("KafkaTopic::all().iter()").unwrap();
        assert_eq!(loop_list(&e, "t"), Some(vec![Part::Ref("KafkaTopic::all()[*t]".into())]));
        let e: Expr = syn::parse_str("&TOPICS").unwrap();
        assert_eq!(loop_list(&e, "t"), Some(vec![Part::Ref("TOPICS[*t]".into())]));
        let e: Expr = syn::parse_str("topics").unwrap();
        assert_eq!(loop_list(&e, "t"), None);
        let e: Expr = syn::parse_str("load(x)").unwrap();
        assert_eq!(loop_list(&e, "t"), None);
    }
}
