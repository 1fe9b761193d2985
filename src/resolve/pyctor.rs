//! Queue names a Python class's constructor parameters give (`crate::lang::py_ctor`):
//! `basic_publish(exchange=self.exchange_name, …)` in `class Publisher` whose `__init__`
//! has `exchange_name="my_exchange"` names, for each construction of `Publisher` in the
//! project (in its file, or in a file importing it by name), what that construction
//! passes (positionally or by keyword), else the default. No construction at all: the
//! defaults. A construction passing a value that is not a literal (`*args` too), or a
//! parameter with no default that a construction leaves out, makes the name unknown (a
//! diagnostic), never a guess. Constructions of subclasses and `module.Publisher(…)` are
//! not read.

use super::arch::Ctx;
use super::calls::calls_python_function;
use crate::lang::arch::literal_of;
use crate::lang::py_ctor::parse;
use crate::model::{Lang, Part, RawArgCall, Template};

/// The class the first constructor marker of `ts` names.
fn class_of<'t>(ts: &[&'t Template]) -> Option<&'t str> {
    ts.iter().flat_map(|t| t.iter()).find_map(|p| match p {
        Part::Ref(r) => parse(r).map(|m| m.0),
        _ => None,
    })
}

/// The templates `ts` of file `file` with the markers of one class replaced by what each
/// construction gives (one instance per distinct result, in order); `None` when they hold
/// no marker; `Err` saying why when some construction's value is not read.
pub fn instances(ctx: &Ctx, file: usize, ts: &[&Template]) -> Option<Result<Vec<Vec<Template>>, String>> {
    let class = class_of(ts)?;
    let files = ctx.project.files;
    let made: Vec<(usize, &RawArgCall)> = files
        .iter()
        .enumerate()
        .filter(|(_, g)| g.file.lang == Lang::Python)
        .flat_map(|(j, g)| g.facts.arch.queue_ctors.iter().map(move |a| (j, a)))
        .filter(|(j, a)| calls_python_function(ctx, *j, &a.callee, file, class))
        .collect();
    let mut out: Vec<Vec<Template>> = Vec::new();
    let mut one = |given: Option<(usize, &RawArgCall)>| -> Result<(), String> {
        let mut inst = Vec::new();
        for t in ts {
            let mut v = Template::new();
            for p in t.iter() {
                match p {
                    Part::Ref(r) if parse(r).is_some_and(|m| m.0 == class) => {
                        let (_, index, param, default) = parse(r).unwrap_or_default();
                        v.push(Part::Lit(value(ctx, given, index, param, default).ok_or_else(|| {
                            format!("the constructions of `{class}` give `{param}` a value known only at run time")
                        })?));
                    }
                    p => v.push(p.clone()),
                }
            }
            inst.push(v);
        }
        if !out.contains(&inst) {
            out.push(inst);
        }
        Ok(())
    };
    let result = if made.is_empty() { one(None) } else { made.into_iter().try_for_each(|m| one(Some(m))) };
    Some(result.map(|()| out))
}

/// What one construction (or none: the default) gives parameter `param` at `index`.
fn value(
    ctx: &Ctx,
    given: Option<(usize, &RawArgCall)>,
    index: usize,
    param: &str,
    default: Option<&str>,
) -> Option<String> {
    let Some((j, a)) = given else { return default.map(str::to_string) };
    if a.kwargs.iter().any(|(k, _)| k == "*") {
        return None;
    }
    let passed = a.args.get(index).or_else(|| a.kwargs.iter().find(|(k, _)| k == param).map(|(_, t)| t));
    match passed {
        None => default.map(str::to_string),
        Some(t) => ctx.resolve_template(j, t).ok().as_ref().and_then(literal_of),
    }
}
