//! Moleculer services and the actions they call (issue #3, cause 4 of the eighteenth
//! blind sample).
//!
//! A Moleculer service is a schema, `{ name: 'auth', version: 2, actions: { signUp: {
//! handler() {…} }, login(ctx) {…} } }`, written as a module's export (`module.exports =
//! {…}`, `export default {…}`), given to `broker.createService({…})` or to
//! `this.parseServiceSchema({…})`, or a moleculer-decorators class, `@Service({ name:
//! 'auth' }) class AuthService extends Service { @Action() signUp(ctx) {…} }` (the class's
//! name when `@Service` names none, as the decorator does). Its actions are called by
//! their full name, `<version prefix><service>.<action>` (`v2.posts.list`; a string
//! version is its own prefix, `settings: { $noVersionPrefix: true }` drops it), and an
//! action's `name` option renames it. Schemas are read in files that name Moleculer
//! (`moleculer`, `ServiceSchema`) or that moleculer-runner loads by their name
//! (`*.service.js`/`.ts`); a schema whose name or version is not a literal is not read.
//!
//! A call is `call('<service>.<action>', …)` on a context or broker (`ctx.call`,
//! `broker.call`, `this.broker.call`): the receiver's last name is `ctx`, `context` or
//! `broker`. A name that is not a literal is kept as unknown, for a diagnostic.

use super::query::FieldExt;
use super::ts_words::{Words, W};
use tree_sitter::Node;

use super::query;
use super::ts_arch::{named, prop, string_value, template};
use crate::model::{
    ArchFacts, Part, RawActionRest, RawAlias, RawGatewayRoute, RawMoleculerCall, RawMoleculerGateway,
    RawMoleculerService, Template,
};

/// Receivers of `call(action, params)` (sorted).
const CALLERS: &[&str] = &["broker", "context", "ctx"];

/// Whether the file may declare Moleculer services.
pub fn declares(words: &Words, rel: &str) -> bool {
    let by_name = rel.ends_with(".service.js") || rel.ends_with(".service.ts");
    (by_name || words.any(&[W::moleculer, W::ServiceSchema])) && words.any(&[W::actions, W::at_Action])
}

/// Whether the file may call Moleculer actions.
pub fn calls_actions(words: &Words) -> bool {
    // [`CALLERS`]
    words.has(W::call_call) && words.any(&[W::broker, W::ctx, W::context])
}

/// The service schemas and decorated classes the file declares.
pub fn services(root: Node, src: &[u8], facts: &mut ArchFacts) {
    for at in memchr::memmem::find_iter(src, b"actions") {
        let Some(key) = root.descendant_for_byte_range(at, at + 7) else { continue };
        let Some(pair) = key.parent().filter(|p| p.kind_name() == "pair" && p.field("key") == Some(key)) else {
            continue;
        };
        let (Some(schema), Some(actions)) = (pair.parent(), pair.field("value")) else { continue };
        if schema.kind_name() != "object" || actions.kind_name() != "object" {
            continue;
        }
        let Some(name) = service_name(schema, src, None) else { continue };
        let entries = named(actions);
        let rest = entries.iter().flat_map(|a| action_rest(*a, src)).collect();
        let actions = entries.into_iter().filter_map(|a| action(a, src)).collect();
        let rest_base = rest_base(schema, src);
        facts.moleculer_services.push(RawMoleculerService {
            name,
            line: query::line(schema),
            actions,
            rest,
            rest_base,
        });
    }
    for at in memchr::memmem::find_iter(src, b"@Service(") {
        let Some(dec) = root.descendant_for_byte_range(at, at + 1).and_then(|n| n.parent()) else { continue };
        if dec.kind_name() != "decorator" {
            continue;
        }
        let Some(class) = decorated(dec) else { continue };
        let options = dec.named_child(0).and_then(|c| c.field("arguments")).and_then(|a| a.named_child(0));
        let class_name = class.field("name").map(|n| query::text(n, src));
        let name = match options {
            Some(o) if o.kind_name() == "object" => service_name(o, src, class_name),
            None => class_name.map(str::to_string),
            Some(_) => None,
        };
        let Some(name) = name else { continue };
        let (actions, rest) = class.field("body").map(|b| decorated_actions(b, src)).unwrap_or_default();
        let rest_base = options.and_then(|o| rest_base(o, src));
        facts.moleculer_services.push(RawMoleculerService { name, line: query::line(dec), actions, rest, rest_base });
    }
}

/// A schema's full name: `name` (else `default`), after its version's prefix.
fn service_name(schema: Node, src: &[u8], default: Option<&str>) -> Option<String> {
    let name = match prop(schema, "name", src) {
        Some(n) => string_value(n, src)?,
        None => default?.to_string(),
    };
    let unprefixed = prop(schema, "settings", src)
        .and_then(|s| prop(s, "$noVersionPrefix", src))
        .is_some_and(|v| query::text(v, src) == "true");
    let prefix = match prop(schema, "version", src) {
        None => String::new(),
        Some(_) if unprefixed => String::new(),
        Some(v) if v.kind_name() == "number" => format!("v{}.", query::text(v, src)),
        Some(v) => format!("{}.", string_value(v, src)?),
    };
    Some(format!("{prefix}{name}"))
}

/// An entry of `actions: {…}`: its name (an object's `name` option renames it) and its
/// key's line;
/// none for `x: false` (an action a mixin gave, disabled).
fn action(a: Node, src: &[u8]) -> Option<(String, u32)> {
    let key = match a.kind_name() {
        "pair" => a.field("key")?,
        "method_definition" => a.field("name")?,
        "shorthand_property_identifier" => a,
        _ => return None,
    };
    let value = a.field("value");
    if value.is_some_and(|v| v.kind_name() == "false") {
        return None;
    }
    let renamed = value.and_then(|v| prop(v, "name", src)).and_then(|n| string_value(n, src));
    let name = renamed.or_else(|| key_name(key, src))?;
    Some((name, query::line(key)))
}

/// A property key's name: an identifier or a string.
fn key_name(key: Node, src: &[u8]) -> Option<String> {
    match key.kind_name() {
        "property_identifier" | "shorthand_property_identifier" => Some(query::text(key, src).to_string()),
        "string" => string_value(key, src),
        _ => None,
    }
}

/// The class a decorator decorates.
fn decorated(dec: Node) -> Option<Node> {
    let parent = dec.parent()?;
    match parent.kind_name() {
        "class_declaration" | "class" | "abstract_class_declaration" => Some(parent),
        "export_statement" => parent.field("declaration"),
        _ => None,
    }
}

/// The methods of a class body decorated `@Action(…)`/`@Action`: their action names
/// (`@Action({ name })` renames) and lines, and the `rest` declarations of the options.
fn decorated_actions(body: Node, src: &[u8]) -> (Vec<(String, u32)>, Vec<RawActionRest>) {
    let mut out = Vec::new();
    let mut rest = Vec::new();
    let mut pending: Vec<Node> = Vec::new();
    for m in named(body) {
        if m.kind_name() == "decorator" {
            pending.push(m);
            continue;
        }
        let own: Vec<Node> = named(m).into_iter().filter(|d| d.kind_name() == "decorator").collect();
        let decorators = std::mem::take(&mut pending).into_iter().chain(own);
        if m.kind_name() != "method_definition" {
            continue;
        }
        for d in decorators {
            let call = d.named_child(0);
            let f = call.map(|c| c.field("function").unwrap_or(c)).map(|f| query::text(f, src));
            if f != Some("Action") {
                continue;
            }
            let options = call.and_then(|c| c.field("arguments")).and_then(|a| a.named_child(0));
            let renamed = options.and_then(|o| prop(o, "name", src)).and_then(|n| string_value(n, src));
            let Some(key) = m.field("name") else { continue };
            let Some(name) = renamed.or_else(|| key_name(key, src)) else { continue };
            rest.extend(options.map(|o| rest_of(o, &name, src)).unwrap_or_default());
            out.push((name, query::line(key)));
        }
    }
    (out, rest)
}

/// `settings.rest` of a schema: one base path or several; `None` when not written as
/// strings.
fn rest_base(schema: Node, src: &[u8]) -> Option<Vec<String>> {
    let rest = prop(schema, "settings", src).and_then(|s| prop(s, "rest", src))?;
    match rest.kind_name() {
        "array" => named(rest).into_iter().map(|b| string_value(b, src)).collect(),
        _ => string_value(rest, src).map(|b| vec![b]),
    }
}

/// The `rest` declarations of one entry of `actions: {…}`.
fn action_rest(a: Node, src: &[u8]) -> Vec<RawActionRest> {
    let Some(options) = a.field("value").filter(|v| a.kind_name() == "pair" && v.kind_name() == "object") else {
        return Vec::new();
    };
    match action(a, src) {
        Some((name, _)) => rest_of(options, &name, src),
        None => Vec::new(),
    }
}

/// The `rest` of an action's options (`'GET /users'`, `'/users'`, `{ method, path,
/// basePath }` or an array of them), as moleculer-web's `autoAliases` reads it; none for
/// an action whose `visibility` is not `published`.
fn rest_of(options: Node, action: &str, src: &[u8]) -> Vec<RawActionRest> {
    let visibility = prop(options, "visibility", src).and_then(|v| string_value(v, src));
    let Some(rest) = prop(options, "rest", src).filter(|_| visibility.as_deref().is_none_or(|v| v == "published"))
    else {
        return Vec::new();
    };
    let items = if rest.kind_name() == "array" { named(rest) } else { vec![rest] };
    let mut out = Vec::new();
    for r in items {
        let line = query::line(r);
        let (method, path, base) = if r.kind_name() == "object" {
            let text = |k: &str| prop(r, k, src).and_then(|v| string_value(v, src));
            (
                text("method").unwrap_or_else(|| "*".into()),
                text("path").unwrap_or_else(|| action.into()),
                text("basePath"),
            )
        } else {
            let Some(text) = string_value(r, src) else { continue };
            let (method, path) = method_path(&text);
            (method, path, None)
        };
        out.push(RawActionRest { action: action.to_string(), method, path, base, line });
    }
    out
}

/// `'GET /users'` → (`GET`, `/users`); `'/users'` → (`*`, `/users`).
fn method_path(text: &str) -> (String, String) {
    let text = text.trim();
    match text.split_once(char::is_whitespace) {
        Some((m, p)) => (m.to_ascii_uppercase(), p.trim().to_string()),
        None => ("*".to_string(), text.to_string()),
    }
}

/// Whether the file may declare a moleculer-web gateway.
pub fn declares_gateway(words: &Words) -> bool {
    words.has(W::moleculer_web) && words.has(W::routes)
}

/// The gateways the file declares: schemas with `mixins` whose `settings.routes` is an
/// array (in a file importing moleculer-web).
pub fn gateways(root: Node, src: &[u8], facts: &mut ArchFacts) {
    for at in memchr::memmem::find_iter(src, b"routes") {
        let Some(key) = root.descendant_for_byte_range(at, at + 6) else { continue };
        let Some(pair) = key.parent().filter(|p| p.kind_name() == "pair" && p.field("key") == Some(key)) else {
            continue;
        };
        let (Some(settings), Some(routes)) = (pair.parent(), pair.field("value")) else { continue };
        let outer = settings.parent().filter(|p| p.kind_name() == "pair");
        let named_settings = outer.and_then(|p| p.field("key")).and_then(|k| key_name(k, src));
        let Some(schema) = outer.and_then(|p| p.parent()).filter(|_| named_settings.as_deref() == Some("settings"))
        else {
            continue;
        };
        if routes.kind_name() != "array" || prop(schema, "mixins", src).is_none() {
            continue;
        }
        let path = prop(settings, "path", src).and_then(|p| string_value(p, src)).unwrap_or_default();
        let routes =
            named(routes).into_iter().filter(|r| r.kind_name() == "object").map(|r| gateway_route(r, src, facts));
        let routes = routes.collect();
        facts.moleculer_gateways.push(RawMoleculerGateway { path, routes, line: query::line(schema) });
    }
}

/// One route of a gateway: its path, `autoAliases`, `whitelist` and `aliases`. A
/// whitelist holding a regular expression is not read: the route's auto-aliases are not
/// followed (a note).
fn gateway_route(r: Node, src: &[u8], facts: &mut ArchFacts) -> RawGatewayRoute {
    let line = query::line(r);
    let path = prop(r, "path", src).and_then(|p| string_value(p, src)).unwrap_or_default();
    let mut auto = prop(r, "autoAliases", src).is_some_and(|a| a.kind_name() == "true");
    let whitelist = prop(r, "whitelist", src).filter(|w| w.kind_name() == "array").map(|w| {
        let masks: Option<Vec<String>> = named(w).into_iter().map(|m| string_value(m, src)).collect();
        masks.unwrap_or_else(|| {
            if auto {
                auto = false;
                let why = "moleculer-web route whitelist holds a regular expression: its auto-aliases are not followed";
                facts.notes.push((line, why.into()));
            }
            Vec::new()
        })
    });
    let mut aliases = Vec::new();
    for entry in prop(r, "aliases", src).filter(|a| a.kind_name() == "object").map(named).unwrap_or_default() {
        let Some(key) = entry.field("key").or_else(|| entry.field("name")) else {
            continue;
        };
        let Some(text) = key_name(key, src) else { continue };
        let (method, path) = method_path(&text);
        let value = entry.field("value").filter(|_| entry.kind_name() == "pair");
        let line = query::line(key);
        if method == "REST" {
            rest_aliases(&path, value, src, line, &mut aliases);
            continue;
        }
        let action = value.and_then(|v| alias_action(v, src));
        aliases.push(RawAlias { method, path, action, line });
    }
    RawGatewayRoute { path, auto, whitelist, aliases, line }
}

/// The action an alias calls: `'users.list'` (after a `multipart:` type), `{ action }`,
/// or the name among an array's middlewares; `None` for a handler function.
fn alias_action(v: Node, src: &[u8]) -> Option<Template> {
    match v.kind_name() {
        "string" | "template_string" => {
            let mut t = template(v, src);
            // `multipart:media.save`: the alias type, then the action.
            if let Some(Part::Lit(first)) = t.first_mut() {
                let typed = first.find(':').filter(|&i| i > 0 && !first[..i].contains('.'));
                if let Some(i) = typed {
                    *first = first[i + 1..].to_string();
                }
            }
            Some(t)
        }
        "object" => prop(v, "action", src).and_then(|a| alias_action(a, src)),
        "array" => named(v)
            .into_iter()
            .rev()
            .find(|m| matches!(m.kind_name(), "string" | "template_string"))
            .and_then(|m| alias_action(m, src)),
        _ => None,
    }
}

/// `'REST /posts': 'posts'` (or `{ action, only, except }`): moleculer-web's six aliases
/// of the service's `list`, `get`, `create`, `update`, `patch` and `remove` actions.
fn rest_aliases(path: &str, value: Option<Node>, src: &[u8], line: u32, out: &mut Vec<RawAlias>) {
    let Some(v) = value else { return };
    let (action, only, except) = match v.kind_name() {
        "object" => {
            let list = |k: &str| -> Option<Vec<String>> {
                let a = prop(v, k, src)?;
                named(a).into_iter().map(|n| string_value(n, src)).collect()
            };
            let action = prop(v, "action", src).and_then(|a| alias_action(a, src));
            (action, list("only"), list("except"))
        }
        _ => (alias_action(v, src), None, None),
    };
    let Some(action) = action else { return };
    let bare = path.strip_suffix('/').unwrap_or(path);
    let table = [
        ("list", "GET", path.to_string()),
        ("get", "GET", format!("{bare}/:id")),
        ("create", "POST", path.to_string()),
        ("update", "PUT", format!("{bare}/:id")),
        ("patch", "PATCH", format!("{bare}/:id")),
        ("remove", "DELETE", format!("{bare}/:id")),
    ];
    for (name, method, p) in table {
        let listed = only.as_ref().is_none_or(|o| o.iter().any(|x| x == name));
        if !listed || except.as_ref().is_some_and(|e| e.iter().any(|x| x == name)) {
            continue;
        }
        let mut a = action.clone();
        crate::lang::arch::push_parts(&mut a, crate::lang::arch::lit(&format!(".{name}")));
        out.push(RawAlias { method: method.into(), path: p, action: Some(a), line });
    }
}

/// The file's `ctx.call('svc.action', …)` calls; one whose name is not a literal only
/// in a file naming Moleculer (`moleculer`, `ServiceBroker`).
pub fn calls(root: Node, src: &[u8], facts: &mut ArchFacts) {
    let named_here =
        memchr::memmem::find(src, b"moleculer").is_some() || memchr::memmem::find(src, b"ServiceBroker").is_some();
    for at in memchr::memmem::find_iter(src, b".call(") {
        let Some(prop) = root.descendant_for_byte_range(at + 1, at + 5) else { continue };
        let Some(member) = prop.parent().filter(|m| m.kind_name() == "member_expression") else { continue };
        let Some(call) = member.parent().filter(|c| c.kind_name() == "call_expression") else { continue };
        let receiver = member.field("object").map(|o| query::text(o, src)).unwrap_or_default();
        let last = receiver.rsplit('.').next().unwrap_or(receiver);
        if CALLERS.binary_search(&last).is_err() {
            continue;
        }
        let Some(first) = call.field("arguments").and_then(|a| a.named_child(0)) else { continue };
        let action = string_value(first, src);
        if action.as_deref().is_some_and(|a| !is_action_name(a)) || action.is_none() && !named_here {
            continue;
        }
        facts.moleculer_calls.push(RawMoleculerCall { action, line: query::line(call) });
    }
}

/// `service.action`, `v2.posts.list`, `$node.list`: dotted names without spaces.
fn is_action_name(a: &str) -> bool {
    a.contains('.')
        && !a.starts_with('.')
        && !a.ends_with('.')
        && a.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '$'))
}

#[cfg(test)]
mod tests {
    #[test]
    fn callers_are_sorted() {
        crate::resolve::assert_sorted(&[super::CALLERS]);
    }

    /// The gate knows every caller.
    #[test]
    fn gate_has_callers() {
        for caller in super::CALLERS {
            let text = format!("{caller}.call('a.b')");
            assert!(super::calls_actions(&super::Words::scan(text.as_bytes())), "{caller}");
        }
    }

    #[test]
    fn action_names() {
        assert!(super::is_action_name("auth.signUp"));
        assert!(super::is_action_name("v2.posts.list"));
        assert!(!super::is_action_name("hello world"));
        assert!(!super::is_action_name("users"));
    }
}
