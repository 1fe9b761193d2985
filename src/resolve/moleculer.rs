//! Moleculer actions as endpoints, and the calls of them (`lang/ts_moleculer.rs`).
//!
//! An action is an endpoint of the service whose code declares its Moleculer service,
//! with the method word `ACTION` and its full name for the path (`ACTION auth.signUp`,
//! `ACTION v2.posts.list`), as a gRPC rpc is `RPC /pkg.Service/Method`. A call,
//! `ctx.call('auth.signUp', …)`, reaches that endpoint: among several services declaring
//! it, the caller's own (Moleculer's `preferLocal`), else the only other one. An action
//! no service declares, of a Moleculer service some service declares, is a call of that
//! service; otherwise, like a name that is not a literal, it is an info diagnostic
//! (outside test code), never a guess. Moleculer's own `$node.*` actions are left aside.

use super::arch::{ArchOut, Ctx};
use super::routes::{Endpoints, Ep};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Flags;

/// The method word of an action endpoint.
pub const ACTION: &str = "ACTION";

/// Each declared action as an endpoint of the service owning its declaration.
pub fn endpoints(ctx: &Ctx, eps: &mut Endpoints) {
    let before = eps.list.len();
    for (i, f) in ctx.project.files.iter().enumerate() {
        let owner = ctx.owner(i).map(|o| ctx.services.list[o].name.clone()).or_else(|| eps.fallback_service.clone());
        let Some(service) = owner.filter(|_| !f.facts.arch.moleculer_services.is_empty()) else { continue };
        let rel = ctx.project.rel(i);
        for s in &f.facts.arch.moleculer_services {
            for (action, line) in &s.actions {
                eps.list.push(Ep {
                    service: service.clone(),
                    method: ACTION.into(),
                    path: format!("{}.{action}", s.name),
                    framework: "moleculer".into(),
                    handler: Some(action.clone()),
                    def: (rel.to_string(), *line),
                    site: (rel.to_string(), s.line),
                    catch_all: false,
                });
            }
        }
    }
    if eps.list.len() > before {
        eps.list.sort();
        eps.list.dedup_by(|b, a| a.id() == b.id());
    }
}

/// The action calls of every file, linked to the endpoints or services declaring them.
pub fn calls(ctx: &Ctx, eps: &Endpoints, out: &mut ArchOut) {
    // Moleculer service name → the services declaring it.
    let mut declared: Vec<(String, String)> = Vec::new();
    for (i, f) in ctx.project.files.iter().enumerate() {
        let owner = ctx.owner(i).map(|o| ctx.services.list[o].name.clone()).or_else(|| eps.fallback_service.clone());
        declared.extend(f.facts.arch.moleculer_services.iter().filter_map(|s| Some((s.name.clone(), owner.clone()?))));
    }
    declared.sort();
    declared.dedup();
    for (i, f) in ctx.project.files.iter().enumerate() {
        let rel = ctx.project.rel(i);
        let test = ctx.is_test(i);
        let flags = if test { Flags::TEST } else { Flags::default() };
        let own = ctx.owner(i).map(|o| ctx.services.list[o].name.as_str());
        for c in &f.facts.arch.moleculer_calls {
            let Some(action) = &c.action else {
                if !test {
                    let message = "Moleculer action name is known only at run time: call not linked";
                    out.diagnostics.push(Diagnostic::new(rel, Some(c.line), Severity::Info, message));
                }
                continue;
            };
            if action.starts_with('$') {
                continue;
            }
            match target(eps, &declared, action, own) {
                Ok(to) => super::calls::link_resolved(out, i, rel, c.line, flags, to),
                Err(message) if !test => {
                    out.diagnostics.push(Diagnostic::new(rel, Some(c.line), Severity::Info, message));
                }
                Err(_) => {}
            }
        }
    }
}

/// The endpoint (or, for an action not declared, the service) a call of `action` reaches.
fn target<'e>(
    eps: &'e Endpoints,
    declared: &[(String, String)],
    action: &str,
    own: Option<&str>,
) -> Result<Result<&'e Ep, String>, String> {
    let found: Vec<&Ep> = eps.list.iter().filter(|e| e.method == ACTION && e.path == action).collect();
    let pick = |names: Vec<&'e str>| -> Option<&'e str> {
        match names.as_slice() {
            [one] => Some(*one),
            many => many.iter().copied().find(|s| Some(*s) == own),
        }
    };
    if let Some(s) = pick(found.iter().map(|&e| e.service.as_str()).collect()) {
        return Ok(Ok(found.into_iter().find(|e| e.service == s).expect("picked among them")));
    }
    if !found.is_empty() {
        return Err(format!("Moleculer action `{action}` is declared by several services: call not linked"));
    }
    let service = action.rsplit_once('.').map_or(action, |(s, _)| s);
    let owners: Vec<&str> = declared.iter().filter(|(n, _)| n == service).map(|(_, s)| s.as_str()).collect();
    match owners.as_slice() {
        [one] => Ok(Err(one.to_string())),
        [] => Err(format!("Moleculer action `{action}` is declared by no scanned service: call not linked")),
        _ => Err(format!("Moleculer service `{service}` is declared by several services: call not linked")),
    }
}
