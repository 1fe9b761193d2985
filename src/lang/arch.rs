//! What every language's architecture extraction shares: the name tables
//! (HTTP methods, client modules, trigger words) and small text helpers.
//!
//! Framework knowledge sits in the query files (`queries/<lang>/endpoints.scm`,
//! `calls.scm`, `tables.scm`, `queues.scm`) and in these sorted tables; the
//! per-language collectors (`py_arch.rs`, `ts_arch.rs`, `rs_arch.rs`) only
//! read arguments. Nothing here links across files: that is `crate::resolve`.

use super::query::FieldExt;
use tree_sitter::Node;

use crate::model::{Access, ArchFacts, Part, RawCall, RawConst, RawRoute, RawSql, RawTableUse, Template};

/// `login` → `Login`: the first letter upper-cased, the rest kept (NestJS's
/// `capitalizeFirstLetter` of an rpc handler's name; a word of a snake-case name).
pub fn upper_first(word: &str) -> String {
    let mut c = word.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// HTTP methods a route or a client call can name (lower case, sorted).
pub const HTTP_METHODS: &[&str] = &["all", "delete", "get", "head", "options", "patch", "post", "put"];

/// Redis commands that change data, lower-cased (the key-value commands the
/// `kv.op` patterns match; list pushes and pops are queues; sorted).
pub const REDIS_WRITES: &[&str] = &[
    "decr", "decrby", "del", "delete", "expire", "getdel", "getset", "hdel", "hincrby", "hmset", "hset", "hsetnx",
    "incr", "incrby", "mset", "sadd", "set", "setex", "setnx", "srem", "zadd", "zincrby", "zrem",
];

/// A module-level constant, kept when it holds a literal or an environment
/// variable, or may read one through a helper (what a URL or a prefix can be built from).
pub fn push_const(facts: &mut ArchFacts, name: String, value: Template, line: u32) {
    // A Python dict read by a run-time key (`SERVICE_URLS[*name]`, `py_arch::any_entry`)
    // stands for the dict's values.
    let read = |p: &Part| matches!(p, Part::Lit(_) | Part::Env(..) | Part::IfEnv(..) | Part::EnvCall(..));
    if value.iter().any(|p| read(p) || matches!(p, Part::Ref(r) if r.contains("[*"))) {
        facts.consts.push(RawConst { name, value, line });
    }
}

/// A string literal's text, kept when it reads as SQL.
/// Around a name interpolated into SQL text (`\u{1}TABLE_NAME\u{1}`): resolution puts
/// the constant's value there when it is one, else `?` (`resolve/tables.rs`).
pub const SQL_NAME: char = '\u{1}';

pub fn push_sql(facts: &mut ArchFacts, text: String, line: u32) {
    if looks_like_sql(&text) {
        facts.sql.push(RawSql { text, line });
    }
}

/// A MongoDB collection used through `op` (`find` reads, `insert_one` writes).
pub fn push_mongo_use(facts: &mut ArchFacts, name: String, op: &str, line: u32) {
    let access = access_of(op);
    facts.table_uses.push(RawTableUse { name, via_class: false, access, store: "mongodb".into(), line });
}

/// A gRPC client's call to the address it was given (`grpc://addr`).
/// The string literals of `text` naming a `.proto` file (`'../protos/items/srvc.proto'`),
/// as written, once each in order: no template with a substitution, no line break.
pub fn proto_literals(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out: Vec<String> = Vec::new();
    for at in memchr::memmem::find_iter(bytes, b".proto") {
        let end = at + ".proto".len();
        let Some(&quote) = bytes.get(end).filter(|q| matches!(q, b'\'' | b'"' | b'`')) else { continue };
        let Some(open) = bytes[..at].iter().rposition(|b| *b == quote || *b == b'\n') else { continue };
        if bytes[open] != quote || open + 1 >= at {
            continue;
        }
        let lit = &text[open + 1..end];
        if lit.contains("${") || lit.contains('\\') || out.iter().any(|o| o == lit) {
            continue;
        }
        out.push(lit.to_string());
    }
    out
}

pub fn push_grpc_call(facts: &mut ArchFacts, address: Template, line: u32) {
    let mut url = lit("grpc://");
    push_parts(&mut url, address);
    facts.calls.push(RawCall { client: "grpc".into(), method: "RPC".into(), url, line });
}

/// Key-value operations `(receiver, command, line)` on Redis as uses of the one
/// `redis` datastore: kept when the receiver is a client variable the file made
/// (`clients`) or is named `…redis…` (`self.redis`, `redisClient`).
pub fn redis_uses(clients: &[String], ops: Vec<(String, String, u32)>) -> Vec<RawTableUse> {
    ops.into_iter()
        .filter(|(obj, _, _)| {
            clients.contains(obj) || obj.rsplit('.').next().unwrap_or(obj).to_ascii_lowercase().contains("redis")
        })
        .map(|(_, op, line)| {
            let write = REDIS_WRITES.binary_search(&op.to_ascii_lowercase().as_str()).is_ok();
            RawTableUse {
                name: "redis".into(),
                via_class: false,
                access: if write { Access::Write } else { Access::Read },
                store: "redis".into(),
                line,
            }
        })
        .collect()
}

/// Words whose presence in a file means it may declare or use architecture
/// facts; a file with none of them is walked by the imports-only query
/// (sorted; matched case-sensitively as substrings).
pub const TRIGGERS: &[&str] = &[
    // amqplib's `channel.consume(queue, cb)` in a base class naming no broker (`ts_arch::queue`).
    ".consume(",
    "ALTER",
    "APIRouter",
    "BaseSettings",
    "Blueprint",
    // A server given a handler another module defines (`ts_raw`): the import is followed.
    "Bun.serve",
    "Client",
    // A MongoDB collection helper's call, `MongoHelper.getCollection("orders")` (`ts_arch::collection_helpers`).
    "Collection(",
    "Controller",
    "DELETE",
    "Deno.serve",
    "Entity",
    "FastAPI",
    "Flask",
    "INSERT",
    "Kafka",
    "Model",
    "Mount",
    "Nest",
    "Route",
    "Router",
    "SELECT",
    "Servicer",
    "Session",
    "Stub",
    "Table",
    "UPDATE",
    "View",
    // ts-proto's `export const USER_SERVICE_NAME = 'UserService'`, which a NestJS
    // `getService(USER_SERVICE_NAME)` of another file reads (a file naming no framework).
    "_SERVICE_NAME",
    "__tablename__",
    "amqp",
    // Express routes on an app passed in (`module.exports = (app) => { app.post('/x', h) }`)
    // in a file that names no framework.
    "app.delete(",
    "app.get(",
    "app.patch(",
    "app.post(",
    "app.put(",
    "axios",
    "basic_",
    "beanie",
    // http-proxy-middleware's option, in a gateway's route table (`lang::ts_arch`, `row_target`).
    "changeOrigin",
    "collection",
    // A spec-first app (`lang::py_connexion`): the spec's name may be a module constant.
    "connexion",
    "django",
    "express",
    "fastify",
    "fetch",
    "got",
    "grpc",
    "hono",
    "http",
    "httpx",
    "import.meta.env",
    "kafka",
    "knex",
    "koa",
    "model",
    "mongo",
    "new EventSource",
    "new WebSocket",
    "peewee",
    "pgTable",
    "pika",
    "prisma",
    "process.env",
    "publish",
    "query",
    "redis",
    "request-promise",
    "requests",
    "route",
    "select",
    "sequelize",
    "sns",
    "sqlalchemy",
    "sqs",
    "subscribe",
    "typeorm",
    "urlopen",
];

/// [`TRIGGERS`] in one finder: a file that mentions none of them was searched ~80 times
/// (1 % of a TypeScript scan's instructions); now once, stopping at the first word found.
static TRIGGER_WORDS: std::sync::LazyLock<super::finder::Finder> =
    std::sync::LazyLock::new(|| super::finder::Finder::new(TRIGGERS.iter().map(|w| (*w, false))));

/// The text after a file's leading comments and shebang: no pattern matches
/// inside a comment, and a licence header names URLs (`http`) and words such as
/// `Model` (eclipse-theia: 2,975 of 3,104 files triggered through theirs, 1,753
/// through their code). `line` starts a line comment; `block` opens and closes one.
pub fn after_leading_comments<'a>(text: &'a str, line: &str, block: Option<(&str, &str)>) -> &'a str {
    let mut rest = text.strip_prefix('\u{feff}').unwrap_or(text);
    if rest.starts_with("#!") {
        rest = rest.find('\n').map_or("", |i| &rest[i + 1..]);
    }
    loop {
        rest = rest.trim_start();
        if rest.starts_with(line) {
            rest = rest.find('\n').map_or("", |i| &rest[i + 1..]);
        } else if let Some((open, close)) = block.filter(|(open, _)| rest.starts_with(open)) {
            rest = rest[open.len()..].find(close).map_or("", |i| &rest[open.len() + i + close.len()..]);
        } else {
            return rest;
        }
    }
}

/// Whether a file's text mentions any trigger word.
pub fn triggered(text: &str) -> bool {
    TRIGGER_WORDS.is_match(text.as_bytes())
}

/// The upper-case method of a method name (`get` → `GET`, `all` → `ANY`), if it is one.
pub fn http_method(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    HTTP_METHODS.binary_search(&lower.as_str()).ok()?;
    Some(if lower == "all" { "ANY".to_string() } else { lower.to_ascii_uppercase() })
}

/// SQL statement keywords a string must start with to be taken for SQL (sorted).
const SQL_STARTS: &[&str] = &["alter", "create", "delete", "insert", "replace", "select", "update", "with"];

/// A string literal's text reads as SQL: a statement keyword first, and a
/// second keyword that such a statement needs (`FROM`, `INTO`, `SET`, `TABLE`).
pub fn looks_like_sql(s: &str) -> bool {
    let t = s.trim_start();
    let first: String = t.chars().take_while(char::is_ascii_alphabetic).collect::<String>().to_ascii_lowercase();
    if SQL_STARTS.binary_search(&first.as_str()).is_err() {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    [" from ", " into ", " set ", " table ", "\nfrom ", "\ninto ", "\nset ", "\tfrom "]
        .iter()
        .any(|k| lower.contains(k))
}

/// Access of a method that reads or writes through an ORM or a collection (sorted tables).
const WRITE_OPS: &[&str] = &[
    "add",
    "bulk_create",
    "bulk_update",
    "bulk_write",
    "create",
    "createMany",
    "delete",
    "deleteMany",
    "deleteOne",
    "delete_many",
    "delete_one",
    "destroy",
    "find_one_and_update",
    "get_or_create",
    "insert",
    "insertMany",
    "insertOne",
    "insert_many",
    "insert_one",
    "remove",
    "replaceOne",
    "replace_one",
    "save",
    "update",
    "updateMany",
    "updateOne",
    "update_many",
    "update_one",
    "update_or_create",
    "upsert",
];

pub fn access_of(op: &str) -> Access {
    if WRITE_OPS.binary_search(&op).is_ok() {
        Access::Write
    } else {
        Access::Read
    }
}

/// A template made of one literal.
pub fn lit(s: &str) -> Template {
    vec![Part::Lit(s.to_string())]
}

/// The literal text of a template that has no other part.
pub fn literal_of(t: &Template) -> Option<String> {
    let mut out = String::new();
    for p in t {
        match p {
            Part::Lit(s) => out.push_str(s),
            _ => return None,
        }
    }
    Some(out)
}

/// Append parts, merging adjacent literals.
pub fn push_parts(t: &mut Template, parts: Template) {
    for p in parts {
        if matches!(&p, Part::Lit(s) if s.is_empty()) {
            continue;
        }
        match (t.last_mut(), p) {
            (Some(Part::Lit(a)), Part::Lit(b)) => a.push_str(&b),
            (_, p) => t.push(p),
        }
    }
}

/// Split a literal that holds `{name}` placeholders (`"/items/{}".format(x)`,
/// `format!("{base}/x")`) into literal and parameter parts.
pub fn braces_to_parts(s: &str, args: &mut dyn Iterator<Item = Template>) -> Template {
    braces_with_names(s, args, &|_| None)
}

/// [`braces_to_parts`] with named arguments (`"{user}".format(user=USER)`).
pub fn braces_with_names(
    s: &str,
    args: &mut dyn Iterator<Item = Template>,
    named: &dyn Fn(&str) -> Option<Template>,
) -> Template {
    let mut out: Template = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        if rest[open..].starts_with("{{") {
            push_parts(&mut out, lit(&rest[..open + 1]));
            rest = &rest[open + 2..];
            continue;
        }
        let Some(close) = rest[open..].find('}') else { break };
        push_parts(&mut out, lit(&rest[..open]));
        let inner = rest[open + 1..open + close].split(':').next().unwrap_or("").trim();
        let part = if inner.is_empty() || inner.chars().all(|c| c.is_ascii_digit()) {
            args.next().unwrap_or_else(|| vec![Part::Param("param".into())])
        } else {
            named(inner).unwrap_or_else(|| vec![Part::Ref(inner.to_string())])
        };
        push_parts(&mut out, part);
        rest = &rest[open + close + 1..];
    }
    push_parts(&mut out, lit(&rest.replace("}}", "}")));
    out
}

/// An argument's template kept when it may be a URL, else empty: it has
/// text with `/` or `:`, reads the environment, or names something that may
/// be a URL constant (`known`: a constant of the file or an imported name;
/// or a name in capitals, `BASE`). A local variable or a parameter is not
/// followed (resolution could not read it).
pub fn url_like(t: Template, known: &dyn Fn(&str) -> bool) -> Template {
    let constant = |r: &str| {
        let head = r.split('.').next().unwrap_or(r);
        known(head) || (head.len() > 1 && !head.bytes().any(|b| b.is_ascii_lowercase()))
    };
    let useful = t.iter().any(|p| match p {
        Part::Env(..) | Part::IfEnv(..) | Part::EnvCall(..) => true,
        Part::Ref(r) => constant(r),
        Part::Lit(s) => s.contains('/') || s.contains(':'),
        Part::Param(_) => false,
    });
    if useful {
        t
    } else {
        Template::new()
    }
}

/// The grammar's names for the shapes [`calls_of`] looks for.
pub struct CallShape {
    /// `call_expression` (JS/TS), `call` (Python).
    pub call: &'static str,
    /// `member_expression` (JS/TS), `attribute` (Python).
    pub member: &'static str,
    /// The member's field holding the object and the one holding the name.
    pub object: &'static str,
    pub property: &'static str,
    /// Whether a quoted name (`'user.created'`) may be what a call hands on: a
    /// queue's name for a function publishing to its parameter (Python).
    pub quoted_names: bool,
}

/// Calls with arguments of `name(…)` and `name.member(…)` for each of
/// `names` (simple identifiers, sorted), as (callee text, arguments node), in
/// source order, when the text of the arguments may hold a URL (see
/// `may_hold_url`; `known`: the sorted names that may be URL constants). A
/// member whose name starts with a capital (a class: `models.CharField(…)`)
/// is left out: wrappers are functions.
///
/// This is how calls of request wrappers are found (see `RawArgCall`). One
/// pass over the text's `(` (memchr) reads the callee written before each
/// and looks at the tree only when its first name is one of `names` and its
/// arguments pass the text check. A query pattern for "any call with
/// arguments" matches every call of a file and made the scan a third dearer
/// (session 4); this pass costs under 1 % of a Django scan.
pub fn calls_of<'t>(
    root: Node<'t>,
    text: &str,
    names: &[&str],
    known: &[&str],
    shape: &CallShape,
) -> Vec<(String, Node<'t>)> {
    calls_gated(root, text, names, Some(known), shape)
}

/// Every call of `names` as [`calls_of`] finds them, whatever their arguments hold.
pub fn all_calls_of<'t>(root: Node<'t>, text: &str, names: &[&str], shape: &CallShape) -> Vec<(String, Node<'t>)> {
    calls_gated(root, text, names, None, shape)
}

/// [`calls_of`]; with no `known`, no text check of the arguments.
fn calls_gated<'t>(
    root: Node<'t>,
    text: &str,
    names: &[&str],
    known: Option<&[&str]>,
    shape: &CallShape,
) -> Vec<(String, Node<'t>)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut firsts = [false; 256];
    for n in names {
        firsts[usize::from(n.as_bytes().first().copied().unwrap_or(0))] = true;
    }
    if names.is_empty() {
        return out;
    }
    // Top-level statements, to start each tree lookup in the one that holds
    // the call (a lookup from the root walks all the statements before it).
    let mut walk = root.walk();
    let tops: Vec<Node<'t>> = root.children(&mut walk).collect();
    for (paren, _) in text.match_indices('(') {
        let end = paren - bytes[..paren].iter().rev().take_while(|b| b.is_ascii_whitespace()).count();
        // TypeScript type arguments: `apiRequest<Todo[]>(url)`.
        let end = type_args_start(bytes, end).unwrap_or(end);
        let start = ident_start(bytes, end);
        if start == end {
            continue;
        }
        let (head_start, head_end) = match start.checked_sub(1).map(|i| bytes[i]) {
            Some(b'.') if bytes[start].is_ascii_uppercase() => continue,
            Some(b'.') => (ident_start(bytes, start - 1), start - 1),
            _ => (start, end),
        };
        if head_start == head_end
            || !firsts[usize::from(bytes[head_start])]
            || head_start.checked_sub(1).is_some_and(|i| is_ident(bytes[i]) || bytes[i] == b'.')
            || names.binary_search(&&text[head_start..head_end]).is_err()
            || known.is_some_and(|known| {
                !(may_hold_url(args_text(text, paren), known)
                    || shape.quoted_names && has_quoted_name(args_text(text, paren)))
            })
        {
            continue;
        }
        let top = tops.partition_point(|t| t.end_byte() <= head_start);
        let within = tops.get(top).filter(|t| t.start_byte() <= head_start && paren < t.end_byte()).unwrap_or(&root);
        if let Some(found) = call_at(*within, head_start, head_end, paren, shape, bytes) {
            out.push(found);
        }
    }
    out
}

/// When the text before `end` closes a type-argument list (`f<T, U[]>`), where the
/// callee's name ends: before the matching `<` (at most 120 bytes back, `=>` skipped).
pub fn type_args_start(bytes: &[u8], end: usize) -> Option<usize> {
    if end == 0 || bytes[end - 1] != b'>' {
        return None;
    }
    let mut depth = 0usize;
    let mut i = end;
    while i > 0 && end - i < 120 {
        i -= 1;
        match bytes[i] {
            b'>' if i > 0 && bytes[i - 1] == b'=' => i -= 1,
            b'>' => depth += 1,
            b'<' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i - bytes[..i].iter().rev().take_while(|b| b.is_ascii_whitespace()).count());
                }
            }
            b';' | b'(' | b')' | b'\n' => return None,
            _ => {}
        }
    }
    None
}

pub fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Start of the identifier ending at `end`.
pub fn ident_start(bytes: &[u8], end: usize) -> usize {
    end - bytes[..end].iter().rev().take_while(|&&b| is_ident(b)).count()
}

/// The text between the `(` at `paren` and its `)` (brackets counted,
/// strings not; at most 400 bytes).
pub fn args_text(text: &str, paren: usize) -> &str {
    let mut depth = 0usize;
    let rest = &text.as_bytes()[paren + 1..];
    let mut end = rest.len().min(400);
    for (i, &b) in rest.iter().take(400).enumerate() {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => {
                end = i;
                break;
            }
            b')' | b']' | b'}' => depth -= 1,
            _ => {}
        }
    }
    text.get(paren + 1..paren + 1 + end).unwrap_or("")
}

/// Whether arguments written as `args` may hold a URL: `://`, a string that
/// starts with `/`, an environment read, or a name (not after a `.`) that is `known` (sorted)
/// or in capitals. `force_str(value)` does not.
/// Whether the text of a call's arguments holds a quoted name ([`name_like`]): `'orders'`,
/// `"user.created"`.
fn has_quoted_name(args: &str) -> bool {
    let b = args.as_bytes();
    b.iter().enumerate().filter(|(_, c)| matches!(c, b'"' | b'\'')).any(|(i, &q)| {
        let rest = &b[i + 1..];
        let n = rest.iter().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')).count();
        n > 0 && rest.get(n) == Some(&q)
    })
}

/// A literal that may name a queue or a topic: one word of letters, digits, `_`,
/// `.`, `-` and `:` (`orders`, `user.created`, `chat:rooms`), starting with a letter
/// or a digit. Not a URL (no `/`), so only a queue's name.
pub fn name_like(t: &Template) -> bool {
    matches!(t.as_slice(), [Part::Lit(s)] if s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | ':')))
}

fn may_hold_url(args: &str, known: &[&str]) -> bool {
    if args.trim().is_empty() {
        return false;
    }
    let path = ["://", "\"/", "'/", "`/"];
    if path.iter().any(|p| args.contains(p)) || ["environ", "getenv", ".env"].iter().any(|e| args.contains(e)) {
        return true;
    }
    let bytes = args.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !is_ident(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_ident(bytes[i]) {
            i += 1;
        }
        let word = &args[start..i];
        let after_dot = start > 0 && bytes[start - 1] == b'.';
        let capitals =
            word.len() > 1 && !word.bytes().any(|b| b.is_ascii_lowercase()) && !bytes[start].is_ascii_digit();
        if !after_dot && (capitals || known.binary_search(&word).is_ok()) {
            return true;
        }
    }
    false
}

/// The call at `head_start..`: its callee is the identifier `head_start..head_end`
/// or a member of it, and its arguments open at `paren`.
fn call_at<'t>(
    root: Node<'t>,
    head_start: usize,
    head_end: usize,
    paren: usize,
    shape: &CallShape,
    src: &[u8],
) -> Option<(String, Node<'t>)> {
    // The smallest node spanning the callee and the `(` is the call itself.
    let call = root.descendant_for_byte_range(head_start, paren + 1)?;
    if call.kind_name() != shape.call {
        return None;
    }
    let callee = call.field("function")?;
    // tree-sitter-typescript reads `await f<T>(x)` as a call of `await f` with type arguments.
    let callee = match callee.kind_name() {
        "await_expression" if call.field("type_arguments").is_some() => callee.named_child(0)?,
        _ => callee,
    };
    if callee.start_byte() != head_start {
        return None;
    }
    let head = match callee.kind_name() {
        k if k == shape.member => {
            let prop = callee.field(shape.property)?;
            if !prop.kind_name().ends_with("identifier") {
                return None;
            }
            callee.field(shape.object)?
        }
        _ => callee,
    };
    if head.kind_name() != "identifier" || head.byte_range() != (head_start..head_end) {
        return None;
    }
    let args = call.field("arguments")?;
    Some((super::query::text(callee, src).to_string(), args))
}

/// A route of a server that routes by hand (`py_raw`, `ts_raw`): `ANY` when the branch
/// tests no method.
pub fn raw_route(facts: &mut ArchFacts, framework: &str, router: &str, methods: Vec<String>, path: String, line: u32) {
    let methods = if methods.is_empty() { vec!["ANY".to_string()] } else { methods };
    facts.routes.push(RawRoute {
        framework: framework.into(),
        router: router.into(),
        methods,
        path: lit(&path),
        handler: None,
        line,
    });
}

/// Hand `emit` a literal path a hand-routed handler compares the request's with (one
/// starting with `/`), with the methods its branch tests, sorted and once each.
pub fn raw_path(
    path: Option<String>,
    line: u32,
    mut methods: Vec<String>,
    emit: &mut dyn FnMut(String, u32, Vec<String>),
) {
    if let Some(path) = path.filter(|p| p.starts_with('/')) {
        methods.sort();
        methods.dedup();
        emit(path, line, methods);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_names() {
        assert!(has_quoted_name("'user.created', msg"));
        assert!(has_quoted_name("topic=\"orders\""));
        assert!(!has_quoted_name("'a b', msg"));
        assert!(!has_quoted_name("msg"));
        assert!(name_like(&lit("user.created")) && name_like(&lit("chat:rooms")));
        assert!(!name_like(&lit("/users")) && !name_like(&lit("a b")) && !name_like(&lit(".x")));
    }

    #[test]
    fn leading_comments() {
        let js = Some(("/*", "*/"));
        let header = "\u{feff}#!/usr/bin/env node\n/* Licence: http://x */\n// see http://y\n\n  /** a */ const a = 1; // http\n";
        assert_eq!(after_leading_comments(header, "//", js), "const a = 1; // http\n");
        assert!(!triggered(after_leading_comments("/* see http://x */\nconst a = 1;\n", "//", js)));
        assert_eq!(after_leading_comments("/* open", "//", js), "");
        assert_eq!(after_leading_comments("// only", "//", js), "");
        assert_eq!(after_leading_comments("const u = '/*'", "//", js), "const u = '/*'");
        assert_eq!(after_leading_comments("# http://x\n\nimport flask\n", "#", None), "import flask\n");
        assert_eq!(after_leading_comments("/* x */ y", "#", None), "/* x */ y");
    }

    #[test]
    fn tables_are_sorted() {
        crate::resolve::assert_sorted(&[HTTP_METHODS, TRIGGERS, SQL_STARTS, WRITE_OPS, REDIS_WRITES]);
    }

    #[test]
    fn sql_detection() {
        assert!(looks_like_sql("SELECT id FROM users WHERE id = ?"));
        assert!(looks_like_sql("\n  insert into orders (id) values (1)"));
        assert!(!looks_like_sql("select a fruit"));
        assert!(!looks_like_sql("Update your profile"));
    }

    #[test]
    fn brace_templates() {
        let t = braces_to_parts("{base}/items/{}", &mut std::iter::once(vec![Part::Param("id".into())]));
        assert_eq!(t, vec![Part::Ref("base".into()), Part::Lit("/items/".into()), Part::Param("id".into())]);
        assert_eq!(http_method("all"), Some("ANY".into()));
        assert_eq!(http_method("use"), None);
    }
}
