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
//!
//! A moleculer-web gateway (a schema mixing in `moleculer-web`) serves HTTP endpoints,
//! each calling an action (<https://moleculer.services/docs/0.14/moleculer-web.html>):
//! its routes' `aliases` (`'GET /users': 'users.list'`, `'REST /posts': 'posts'` for the
//! six REST actions) and, for a route with `autoAliases: true`, the `rest` declaration of
//! every action its `whitelist` lets through, under the action's service base path
//! (`settings.rest`, else the service's full name with dots as slashes). Each endpoint is
//! the gateway's (`GET /api/users`), with a call from the alias (or the route) to the
//! action it names.

use super::arch::{ArchOut, Ctx};
use super::routes::{normalise, Endpoints, Ep};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::arch::literal_of;
use crate::model::{Flags, RawGatewayRoute, RawMoleculerService};

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
    for (i, f) in ctx.project.files.iter().enumerate() {
        if f.facts.arch.moleculer_gateways.is_empty() || ctx.is_test(i) {
            continue;
        }
        let owner = ctx.owner(i).map(|o| ctx.services.list[o].name.clone()).or_else(|| eps.fallback_service.clone());
        let Some(service) = owner else { continue };
        let rel = ctx.project.rel(i);
        for a in gateway_aliases(ctx, i) {
            eps.list.push(Ep {
                service: service.clone(),
                method: a.method,
                path: a.path,
                framework: "moleculer-web".into(),
                handler: a.action.ok(),
                def: a.def,
                site: (rel.to_string(), a.line),
                catch_all: false,
            });
        }
    }
    if eps.list.len() > before {
        eps.list.sort();
        eps.list.dedup_by(|b, a| a.id() == b.id());
    }
}

/// One HTTP endpoint a gateway publishes.
struct Alias {
    method: String,
    path: String,
    /// The action it calls, else why it is not known.
    action: Result<String, String>,
    /// Where its path is written: the alias, or the action's `rest`.
    def: (String, u32),
    /// The line in the gateway's file that publishes it: the alias, or the route.
    line: u32,
}

/// Every alias the gateways of file `i` publish.
fn gateway_aliases(ctx: &Ctx, i: usize) -> Vec<Alias> {
    let rel = ctx.project.rel(i);
    let mut out = Vec::new();
    for g in &ctx.project.files[i].facts.arch.moleculer_gateways {
        let global = if g.path == "/" { "" } else { g.path.as_str() };
        for route in &g.routes {
            let prefix = format!("{global}/{}", route.path);
            for a in &route.aliases {
                let action = match &a.action {
                    None => Err(String::new()),
                    Some(t) => ctx.resolve_template(i, t).ok().and_then(|t| literal_of(&t)).ok_or_else(|| {
                        "moleculer-web alias names an action known only at run time: call not linked".to_string()
                    }),
                };
                let path = normalise(&format!("{prefix}/{}", a.path));
                let def = (rel.to_string(), a.line);
                out.push(Alias { method: http_word(&a.method), path, action, def, line: a.line });
            }
            if route.auto {
                out.extend(auto_aliases(ctx, route, &prefix));
            }
        }
    }
    out
}

/// The aliases a route with `autoAliases` publishes: each `rest` of every declared
/// service's actions the route's whitelist lets through.
fn auto_aliases(ctx: &Ctx, route: &RawGatewayRoute, prefix: &str) -> Vec<Alias> {
    let mut out = Vec::new();
    for (j, f) in ctx.project.files.iter().enumerate() {
        if ctx.is_test(j) {
            continue;
        }
        for s in f.facts.arch.moleculer_services.iter().filter(|s| !s.rest.is_empty()) {
            for r in &s.rest {
                let action = format!("{}.{}", s.name, r.action);
                if route.whitelist.as_ref().is_some_and(|w| !w.iter().any(|m| mask_matches(m, &action))) {
                    continue;
                }
                for base in bases(s) {
                    let base = r.base.as_deref().unwrap_or(&base);
                    out.push(Alias {
                        method: http_word(&r.method),
                        path: normalise(&format!("{prefix}/{base}/{}", r.path)),
                        action: Ok(action.clone()),
                        def: (ctx.project.rel(j).to_string(), r.line),
                        line: route.line,
                    });
                }
            }
        }
    }
    out
}

/// A service's base paths: `settings.rest`, else its full name with dots as slashes.
fn bases(s: &RawMoleculerService) -> Vec<String> {
    s.rest_base.clone().unwrap_or_else(|| vec![s.name.replace('.', "/")])
}

/// The method word of an alias: moleculer-web's `*` takes every method.
fn http_word(m: &str) -> String {
    if m == "*" || m.eq_ignore_ascii_case("ALL") {
        "ANY".into()
    } else {
        m.to_ascii_uppercase()
    }
}

/// A whitelist mask as moleculer matches action names: `**` any text, `*` any text
/// without a dot, `?` one character.
fn mask_matches(mask: &str, name: &str) -> bool {
    fn go(m: &[u8], n: &[u8]) -> bool {
        match m {
            [] => n.is_empty(),
            [b'*', b'*', rest @ ..] => (0..=n.len()).any(|k| go(rest, &n[k..])),
            [b'*', rest @ ..] => (0..=n.len()).take_while(|&k| !n[..k].contains(&b'.')).any(|k| go(rest, &n[k..])),
            [b'?', rest @ ..] => !n.is_empty() && go(rest, &n[1..]),
            [c, rest @ ..] => n.first() == Some(c) && go(rest, &n[1..]),
        }
    }
    go(mask.as_bytes(), name.as_bytes())
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
        if !f.facts.arch.moleculer_gateways.is_empty() && !test {
            for a in gateway_aliases(ctx, i) {
                match a.action.map(|action| target(eps, &declared, &action, own)) {
                    Ok(Ok(to)) => super::calls::link_resolved(out, i, rel, a.line, flags, to),
                    Ok(Err(message)) | Err(message) if !message.is_empty() => {
                        out.diagnostics.push(Diagnostic::new(rel, Some(a.line), Severity::Info, message));
                    }
                    _ => {}
                }
            }
        }
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

#[cfg(test)]
mod tests {
    #[test]
    fn whitelist_masks() {
        assert!(super::mask_matches("**", "v2.posts.list"));
        assert!(super::mask_matches("users.*", "users.list"));
        assert!(!super::mask_matches("users.*", "users.admin.list"));
        assert!(super::mask_matches("$node.*", "$node.list") && !super::mask_matches("posts.*", "users.list"));
    }
}
