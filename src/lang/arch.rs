//! What every language's architecture extraction shares: the name tables
//! (HTTP methods, client modules, trigger words) and small text helpers.
//!
//! Framework knowledge sits in the query files (`queries/<lang>/endpoints.scm`,
//! `calls.scm`, `tables.scm`, `queues.scm`) and in these sorted tables; the
//! per-language collectors (`py_arch.rs`, `ts_arch.rs`, `rs_arch.rs`) only
//! read arguments. Nothing here links across files: that is `crate::resolve`.

use crate::model::{Access, ArchFacts, Part, RawCall, RawConst, RawSql, RawTableUse, Template};

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
    if value.iter().any(|p| matches!(p, Part::Lit(_) | Part::Env(..) | Part::IfEnv(..) | Part::EnvCall(..))) {
        facts.consts.push(RawConst { name, value, line });
    }
}

/// A string literal's text, kept when it reads as SQL.
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
    "ALTER",
    "APIRouter",
    "Blueprint",
    "Client",
    "Controller",
    "DELETE",
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
    "__tablename__",
    "amqp",
    "axios",
    "basic_",
    "collection",
    "django",
    "express",
    "fastify",
    "fetch",
    "got",
    "grpc",
    "hono",
    "http",
    "httpx",
    "kafka",
    "knex",
    "koa",
    "model",
    "mongo",
    "peewee",
    "pgTable",
    "pika",
    "prisma",
    "publish",
    "query",
    "redis",
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

/// Whether a file's text mentions any trigger word.
pub fn triggered(text: &str) -> bool {
    TRIGGERS.iter().any(|t| text.contains(t))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        for t in [HTTP_METHODS, TRIGGERS, SQL_STARTS, WRITE_OPS, REDIS_WRITES] {
            let mut s = t.to_vec();
            s.sort_unstable();
            s.dedup();
            assert_eq!(t, s.as_slice());
        }
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
