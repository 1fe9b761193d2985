//! The HTTP methods a Python class-based view answers (`crate::lang::py_views`): an
//! aiohttp `web.View` (`app.router.add_view("/p", V)`, `@routes.view("/p")`) or a
//! Starlette `HTTPEndpoint` (`Route("/p", V)`) dispatches a request to the method named
//! after it, so the view answers the handlers it and its bases define.
//!
//! The class and each base are followed as Python binds them: a class of the same
//! module, else the name's import (`from .get import GetView as SearchGetView`, a
//! package re-exporting it, `views.ProfilesView` after `from app import views`). The
//! framework's own base (`web.View`, `HTTPEndpoint`) ends the chain. When a base is
//! neither (a library mixin, a class the scanned code does not define), the view may
//! answer methods no file here shows: the route stays `ANY`, as it does when no handler
//! is found at all.

use super::arch::Ctx;
use crate::model::RawPyClass;

/// How many bases deep, and how many re-exports far, a view is followed.
const DEPTH: usize = 8;

/// Bases that define no handler (sorted): Python's own, and the frameworks' view roots.
const NEUTRAL: &[&str] = &["ABC", "CorsViewMixin", "Generic", "HTTPEndpoint", "Protocol", "View", "object"];

/// The methods (upper case, sorted) of the class-based view `view` names in `file`;
/// `None` when the class or one of its bases cannot be read.
pub fn methods(ctx: &Ctx, file: usize, view: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let (m, class) = class_named(ctx, file, view, u32::MAX, 0)?;
    collect(ctx, m, class, &mut out, 0)?;
    out.sort();
    out.dedup();
    (!out.is_empty()).then_some(out)
}

/// Adds the handlers of `class` (of file `m`) and of its bases; `None` on a base that
/// cannot be read.
fn collect(ctx: &Ctx, m: usize, class: &RawPyClass, out: &mut Vec<String>, depth: usize) -> Option<()> {
    if depth > DEPTH {
        return None;
    }
    let handlers = class.methods.iter().filter(|h| crate::lang::py_views::HANDLERS.binary_search(&h.as_str()).is_ok());
    out.extend(handlers.map(|h| h.to_ascii_uppercase()));
    for base in &class.bases {
        match class_named(ctx, m, base, class.line, 0) {
            Some((b, c)) => collect(ctx, b, c, out, depth + 1)?,
            None if NEUTRAL.binary_search(&last(base)).is_ok() => {}
            None => return None,
        }
    }
    Some(())
}

fn last(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// The classes a file defines (whichever of the two records holds them).
fn classes_of<'a>(ctx: &Ctx<'a>, file: usize) -> impl Iterator<Item = &'a RawPyClass> {
    let a = &ctx.project.files[file].facts.arch;
    a.py_classes.iter().chain(a.py_plain_classes.iter())
}

/// The class `name` denotes in `file` where it is written at line `before` (a base is
/// evaluated before its own class is bound): the last class of that name defined above,
/// else the one class its import gives.
fn class_named<'a>(
    ctx: &Ctx<'a>,
    file: usize,
    name: &str,
    before: u32,
    depth: usize,
) -> Option<(usize, &'a RawPyClass)> {
    if depth > DEPTH {
        return None;
    }
    if let Some((head, class)) = name.rsplit_once('.') {
        // `views.ProfilesView`: a class of the module `views` names.
        let mut found = ctx.module_object(file, head).into_iter().filter_map(|m| defined(ctx, m, class, u32::MAX));
        let first = found.next()?;
        return found.next().is_none().then_some(first);
    }
    if let Some(c) = defined(ctx, file, name, before) {
        return Some(c);
    }
    let mut found: Vec<(usize, &RawPyClass)> = Vec::new();
    for (m, remote) in imported(ctx, file, name) {
        if m == file {
            continue;
        }
        // The module defines it, or imports it in turn (a package's `__init__.py`).
        if let Some(c) = class_named(ctx, m, &remote, u32::MAX, depth + 1) {
            if !found.iter().any(|(f, x)| *f == c.0 && std::ptr::eq(*x, c.1)) {
                found.push(c);
            }
        }
    }
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The modules an import of `file` binds `name` from, with the name there: `from m import
/// name`, or `from m import other as name`. Unlike `Ctx::imported`, an import that binds
/// the name under an alias (`from m import GetView as SearchGetView`) binds no `GetView`.
fn imported(ctx: &Ctx, file: usize, name: &str) -> Vec<(usize, String)> {
    let facts = &ctx.project.files[file].facts;
    let aliased = |line: u32, remote: &str| facts.arch.bindings.iter().any(|b| b.line == line && b.remote == remote);
    let mut out: Vec<(usize, String)> = Vec::new();
    for b in facts.arch.bindings.iter().filter(|b| b.local == name) {
        out.extend(ctx.import_targets(file, b.line).iter().map(|&m| (m, b.remote.clone())));
    }
    for imp in facts.imports.iter().filter(|i| i.names.iter().any(|n| n == name) && !aliased(i.line, name)) {
        out.extend(ctx.import_targets(file, imp.line).iter().map(|&m| (m, name.to_string())));
    }
    out.sort();
    out.dedup();
    out
}

/// The last class named `name` that `file` defines above line `before`.
fn defined<'a>(ctx: &Ctx<'a>, file: usize, name: &str, before: u32) -> Option<(usize, &'a RawPyClass)> {
    classes_of(ctx, file).filter(|c| c.name == name && c.line < before).max_by_key(|c| c.line).map(|c| (file, c))
}

#[cfg(test)]
mod tests {
    #[test]
    fn neutral_is_sorted() {
        crate::resolve::assert_sorted(&[super::NEUTRAL]);
    }
}
