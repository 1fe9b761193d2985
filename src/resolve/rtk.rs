//! Redux Toolkit Query requests (`lang/ts_rtk.rs`) as client calls: each endpoint's path
//! joined to its api's base URL, the base followed to the module defining it
//! (`apiSlice.injectEndpoints` of an imported api, a factory of another module called with
//! the base, `createBaseQueryWithAuth("http://localhost:5000/user/api")`). A base that is
//! not read is a diagnostic at each endpoint, never a guess.

use super::arch::Ctx;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::arch::push_parts;
use crate::model::{Part, RawCall, RawRtkBase, RtkBase, Template};

/// How many imported names a base is followed through.
const DEPTH: u32 = 4;

/// The requests of `file`'s RTK Query endpoints (client `rtk-query`), with a diagnostic for
/// each one whose base or path is not read.
pub fn requests(ctx: &Ctx, file: usize, diagnostics: &mut Vec<Diagnostic>) -> Vec<RawCall> {
    let rel = ctx.project.rel(file);
    let mut out = Vec::new();
    for q in &ctx.project.files[file].facts.arch.rtk_queries {
        let url = match (&q.path, base(ctx, file, &q.base, 0)) {
            (None, _) => {
                Err("the URL of this RTK Query endpoint is known only at run time: call not linked".to_string())
            }
            (Some(path), Ok(base)) => Ok(join(base, ctx.resolve_template_lenient(file, path))),
            (_, Err(message)) => Err(message),
        };
        match url {
            Ok(url) => out.push(RawCall { client: "rtk-query".into(), method: q.method.clone(), url, line: q.line }),
            Err(message) => diagnostics.push(Diagnostic::new(rel, Some(q.line), Severity::Info, message)),
        }
    }
    out
}

/// The base URL an api's base query gives, read in `file`: a factory's parameters are the
/// arguments its caller passes, read in the caller's module.
fn base(ctx: &Ctx, file: usize, b: &RtkBase, depth: u32) -> Result<Template, String> {
    let (name, args) = match b {
        RtkBase::Url(t) => return Ok(ctx.resolve_template_lenient(file, t)),
        RtkBase::Unknown(why) => {
            return Err(format!("RTK Query api whose base URL is not read ({why}): call not linked"))
        }
        RtkBase::Imported { name, args } => (name, args),
    };
    // Defined in the module imported, else in one a barrel there re-exports (`export * from './api'`).
    let defined = |m: usize, remote: &str| -> Vec<(usize, &RawRtkBase)> {
        let defs = &ctx.project.files[m].facts.arch.rtk_bases;
        defs.iter().filter(|d| d.name == remote).map(|d| (m, d)).collect()
    };
    let found: Vec<(usize, &RawRtkBase)> = ctx
        .imported(file, name)
        .into_iter()
        .flat_map(|(m, remote)| {
            let here = defined(m, &remote);
            if !here.is_empty() {
                return here;
            }
            let there = ctx.find_reexported(m, 0, &mut |r| Some(defined(r, &remote)).filter(|d| !d.is_empty()));
            there.unwrap_or_default()
        })
        .collect();
    let [(m, def)] = found.as_slice() else {
        return Err(format!(
            "`{name}` is {} RTK Query apis or base queries of the modules it is imported from: call not linked",
            found.len()
        ));
    };
    match &def.base {
        RtkBase::Url(t) if depth <= DEPTH => {
            let mut out = Template::new();
            for part in t {
                let given = match part {
                    Part::Param(p) => def.params.iter().position(|q| q == p).and_then(|k| args.as_ref()?.get(k)),
                    _ => None,
                };
                match given {
                    Some(a) => push_parts(&mut out, ctx.resolve_template_lenient(file, a)),
                    None => push_parts(&mut out, ctx.resolve_template_lenient(*m, &vec![part.clone()])),
                }
            }
            Ok(out)
        }
        other if depth < DEPTH => base(ctx, *m, other, depth + 1),
        _ => Err(format!("the base query of `{name}` is followed through too many modules: call not linked")),
    }
}

/// `fetchBaseQuery`'s `joinUrls`: an absolute path is the URL; else the base without its
/// trailing `/`, a `/` (none before a bare `?query` after a base not ending in `/`), and the
/// path without its leading `/`.
fn join(mut base: Template, mut path: Template) -> Template {
    let first = match path.first() {
        Some(Part::Lit(p)) => p.as_str(),
        _ => "",
    };
    if base.is_empty() || first.starts_with("//") || first.contains("://") {
        return path;
    }
    if path.is_empty() {
        return base;
    }
    let slash = matches!(base.last(), Some(Part::Lit(b)) if b.ends_with('/'));
    let delimiter = if slash || !first.starts_with('?') { "/" } else { "" };
    if let Some(Part::Lit(b)) = base.last_mut().filter(|_| slash) {
        b.pop();
    }
    if let Some(Part::Lit(p)) = path.first_mut() {
        if p.starts_with('/') {
            p.remove(0);
        }
    }
    push_parts(&mut base, vec![Part::Lit(delimiter.to_string())]);
    push_parts(&mut base, path);
    base
}

#[cfg(test)]
mod tests {
    use super::join;
    use crate::model::Part;

    fn lit(s: &str) -> Vec<Part> {
        vec![Part::Lit(s.to_string())]
    }

    #[test]
    fn joins_as_fetch_base_query_does() {
        assert_eq!(join(lit("http://h/api"), lit("/todo")), lit("http://h/api/todo"));
        assert_eq!(join(lit("http://h/api/"), lit("todo")), lit("http://h/api/todo"));
        assert_eq!(join(lit("http://h/api"), lit("?q=1")), lit("http://h/api?q=1"));
        assert_eq!(join(lit("http://h/api"), lit("https://x/y")), lit("https://x/y"));
        assert_eq!(join(Vec::new(), lit("/todo")), lit("/todo"));
        let param = vec![Part::Lit("/todo/".into()), Part::Param("id".into())];
        assert_eq!(join(lit("/api"), param), vec![Part::Lit("/api/todo/".into()), Part::Param("id".into())]);
    }
}
