//! MongoDB databases handed out by a function, and the collections used on what it
//! returns in other modules. A Motor or PyMongo project often keeps its client in one
//! module (`_client = AsyncIOMotorClient(URL)`, `def get_database(): return
//! _client[NAME]`) and reaches the database through that getter everywhere else
//! (`db = get_database()`, `await db.user_metrics.find_one(…)`), in files that never
//! mention MongoDB.
//!
//! Precision first: a getter counts only when every value it returns is proven, in its
//! own file, to be a database of a client built there ([`getters`]); a collection use
//! is recorded with the getter's name ([`getter_use`]) and linked in resolution only
//! when that name is imported from a module that defines such a getter
//! (`crate::resolve::tables`). A `db` of any other origin is no database.

use super::query::FieldExt;
use tree_sitter::Node;

use super::py_arch::{named, split_args, string_value, text_of};
use super::query;

/// How many assignments deep a value is followed (`db = self._get_db()` → `return
/// self._db` → `self._db = get_database()`).
const DEPTH: u32 = 4;

/// Whether a file may build a MongoDB client (`MongoClient`, `AsyncMongoClient`,
/// Motor's `AsyncIOMotorClient`): only such a file can define a getter.
pub fn mentions_client(text: &str) -> bool {
    text.contains("MongoClient") || text.contains("MotorClient")
}

/// Module-level functions whose every `return` gives a database of a client the file
/// builds: `client[NAME]`, `client.get_database(…)`, `client.get_default_database()`, or
/// a name every (non-`None`) assignment in the file sets to one of those
/// (`mongodb.database = mongodb.client[NAME]`, `def get_database(): return mongodb.database`).
pub fn getters(root: Node, src: &[u8]) -> Vec<String> {
    let mut assigns = Vec::new();
    all_assignments(root, src, &mut assigns);
    let mut out = Vec::new();
    for def in named(root) {
        let def = if def.kind_name() == "decorated_definition" { def.field("definition") } else { Some(def) };
        let Some(def) = def.filter(|d| d.kind_name() == "function_definition") else { continue };
        let (Some(name), Some(body)) = (def.field("name"), def.field("body")) else {
            continue;
        };
        let returns = returned(body);
        if !returns.is_empty() && returns.iter().all(|r| database(*r, &assigns, src, 0)) {
            out.push(query::text(name, src).to_string());
        }
    }
    // A module-level name every assignment sets to a database (`db = client["library"]`):
    // imported by other modules as the database itself (`from connection import db`).
    for stmt in named(root).into_iter().filter(|n| n.kind_name() == "expression_statement") {
        let Some(a) = stmt.named_child(0).filter(|a| a.kind_name() == "assignment") else { continue };
        let Some(left) = a.field("left").filter(|l| l.kind_name() == "identifier") else { continue };
        let name = query::text(left, src);
        if out.iter().any(|o| o == name) {
            continue;
        }
        let values = values_of(name, &assigns, src);
        if !values.is_empty() && values.iter().all(|v| database(*v, &assigns, src, 0)) {
            out.push(name.to_string());
        }
    }
    out
}

/// Whether a value is a database of a client built in the file.
fn database(v: Node, assigns: &[(String, Node)], src: &[u8], depth: u32) -> bool {
    match v.kind_name() {
        "subscript" => v.field("value").is_some_and(|c| client(c, assigns, src)),
        "call" => {
            let Some(f) = v.field("function").filter(|f| f.kind_name() == "attribute") else { return false };
            let method = f.field("attribute").map_or("", |a| query::text(a, src));
            let of_client = matches!(method, "get_database" | "get_default_database")
                && f.field("object").is_some_and(|c| client(c, assigns, src));
            of_client || depth < DEPTH && instance_database(v, f, method, assigns, src, depth)
        }
        "identifier" | "attribute" if depth < DEPTH => {
            let values = values_of(query::text(v, src), assigns, src);
            !values.is_empty() && values.iter().all(|x| database(*x, assigns, src, depth + 1))
        }
        _ => false,
    }
}

/// Whether `obj.method()` (`f` its function) returns a database: `obj` is a module-level
/// instance of a class the file defines (every value of it is `Class()`), and every
/// `return` of that method gives a database (`return self.client.get_database()`, with
/// `self.client = AsyncIOMotorClient(URL)`): a connection singleton.
fn instance_database(call: Node, f: Node, method: &str, assigns: &[(String, Node)], src: &[u8], depth: u32) -> bool {
    if !call.field("arguments").is_some_and(|a| named(a).is_empty()) {
        return false;
    }
    let Some(obj) = f.field("object").filter(|o| o.kind_name() == "identifier") else { return false };
    let Some(root) = query::ancestors(call, 256).find(|a| a.kind_name() == "module") else { return false };
    let values = values_of(query::text(obj, src), assigns, src);
    let class_of = |v: &Node| -> Option<String> {
        let c = v.field("function").filter(|c| v.kind_name() == "call" && c.kind_name() == "identifier")?;
        v.field("arguments").filter(|a| named(*a).is_empty())?;
        Some(query::text(c, src).to_string())
    };
    let Some(class) = values.first().and_then(class_of) else { return false };
    if !values.iter().all(|v| class_of(v).as_deref() == Some(class.as_str())) {
        return false;
    }
    let def = named(root).into_iter().find_map(|d| {
        let d = if d.kind_name() == "decorated_definition" { d.field("definition")? } else { d };
        (d.kind_name() == "class_definition" && d.field("name").is_some_and(|n| query::text(n, src) == class))
            .then_some(d)
    });
    let Some(body) = def.and_then(|c| method_of(c, method, src)).and_then(|m| m.field("body")) else {
        return false;
    };
    let returns = returned(body);
    !returns.is_empty() && returns.iter().all(|r| database(*r, assigns, src, depth + 1))
}

/// Whether a name is a MongoDB client: every (non-`None`) assignment of it in the file
/// is a call of a client class (`AsyncIOMotorClient(URL)`, `pymongo.MongoClient(…)`).
fn client(c: Node, assigns: &[(String, Node)], src: &[u8]) -> bool {
    if !matches!(c.kind_name(), "identifier" | "attribute") {
        return false;
    }
    let values = values_of(query::text(c, src), assigns, src);
    let ctor = |v: &Node| {
        v.kind_name() == "call"
            && v.field("function").is_some_and(|f| {
                let name = query::text(f, src).rsplit('.').next().unwrap_or("");
                name.ends_with("MongoClient") || name.ends_with("MotorClient")
            })
    };
    !values.is_empty() && values.iter().all(ctor)
}

/// The values the file assigns to a name written `target`, `None` left out (a client
/// or database set to `None` until a start-up function connects).
fn values_of<'t>(target: &str, assigns: &[(String, Node<'t>)], src: &[u8]) -> Vec<Node<'t>> {
    assigns
        .iter()
        .filter(|(l, v)| l == target && v.kind_name() != "none" && query::text(*v, src) != "None")
        .map(|(_, v)| *v)
        .collect()
}

/// Every `left = right` of a subtree, with the left side's text.
fn all_assignments<'t>(n: Node<'t>, src: &[u8], out: &mut Vec<(String, Node<'t>)>) {
    for c in named(n) {
        if c.kind_name() == "assignment" {
            if let (Some(l), Some(r)) = (c.field("left"), c.field("right")) {
                out.push((query::text(l, src).to_string(), r));
            }
        }
        all_assignments(c, src, out);
    }
}

/// The values of a body's `return` statements (not of nested functions or classes).
fn returned(body: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack = named(body);
    while let Some(n) = stack.pop() {
        match n.kind_name() {
            "function_definition" | "class_definition" | "decorated_definition" | "lambda" => {}
            "return_statement" => match named(n).first() {
                Some(v) => out.push(*v),
                // A bare `return` gives `None`: no database.
                None => out.push(n),
            },
            _ => stack.extend(named(n)),
        }
    }
    out
}

/// For a collection named on a receiver (`db.users`, `self.db["users"]`): the
/// function whose returned database the receiver holds, when every value that reaches
/// it is a call of that one function with no arguments: `db = get_database()` in the
/// enclosing function, `self.db = get_database()` in the class, or through a method of
/// the class that returns such a field (`db = self._get_db()`).
pub fn getter_use(collection: Node, src: &[u8]) -> Option<String> {
    let obj = collection.parent()?;
    let recv = match obj.kind_name() {
        "attribute" => obj.field("object")?,
        "subscript" => obj.field("value")?,
        _ => return None,
    };
    let class = query::ancestors(recv, 64).find(|a| a.kind_name() == "class_definition");
    getter_of(recv, class, src, 0)
}

/// The one getter every value of `v` comes from.
fn getter_of(v: Node, class: Option<Node>, src: &[u8], depth: u32) -> Option<String> {
    if depth > DEPTH {
        return None;
    }
    match v.kind_name() {
        "call" => {
            let args = v.field("arguments")?;
            if !named(args).is_empty() || !split_args(args).1.is_empty() {
                return None;
            }
            let f = v.field("function")?;
            match f.kind_name() {
                "identifier" => Some(query::text(f, src).to_string()),
                "attribute" => {
                    let method = self_member(f, src)?;
                    let def = method_of(class?, method, src)?;
                    one(returned(def.field("body")?).into_iter().map(|r| getter_of(r, class, src, depth + 1)))
                }
                _ => None,
            }
        }
        "identifier" => {
            let func = query::ancestors(v, 64).find(|a| a.kind_name() == "function_definition")?;
            let values = super::py_arch::assignments(query::text(v, src), func, src)?;
            // A FastAPI dependency the body never reassigns: `db = Depends(get_db)`.
            if values.is_empty() {
                return depends_param(func, query::text(v, src), src);
            }
            one(values.into_iter().filter(|x| x.kind_name() != "none").map(|x| getter_of(x, class, src, depth + 1)))
        }
        "attribute" => {
            let attr = self_member(v, src)?;
            let body = class?.field("body")?;
            let mut values = Vec::new();
            self_assignments(body, attr, src, &mut values);
            one(values.into_iter().filter(|x| x.kind_name() != "none").map(|x| getter_of(x, class, src, depth + 1)))
        }
        _ => None,
    }
}

/// The function a FastAPI parameter named `name` of `func` depends on: `db: Database =
/// Depends(get_db)`, `db=Depends(dependency=get_db)` or `db: Annotated[Database,
/// Depends(get_db)]`. FastAPI passes what the function returns.
fn depends_param(func: Node, name: &str, src: &[u8]) -> Option<String> {
    let params = func.field("parameters")?;
    for p in named(params) {
        let (holder, depends) = match p.kind_name() {
            "default_parameter" | "typed_default_parameter" => (p.field("name"), p.field("value")),
            "typed_parameter" => (p.named_child(0), p.field("type").and_then(|t| annotated_depends(t, src))),
            _ => continue,
        };
        if holder.is_none_or(|h| h.kind_name() != "identifier" || query::text(h, src) != name) {
            continue;
        }
        return depends.and_then(|d| depends_target(d, src));
    }
    None
}

/// Whether a call is `Depends(…)` (`fastapi.Depends(…)`).
fn is_depends(call: Node, src: &[u8]) -> bool {
    call.kind_name() == "call"
        && call.field("function").is_some_and(|f| {
            let t = query::text(f, src);
            t == "Depends" || t.ends_with(".Depends")
        })
}

/// The `Depends(…)` of an `Annotated[T, Depends(…)]` annotation (its last item).
fn annotated_depends<'t>(ty: Node<'t>, src: &[u8]) -> Option<Node<'t>> {
    let text = query::text(ty, src);
    if !(text.starts_with("Annotated[") || text.contains(".Annotated[")) {
        return None;
    }
    let mut stack = named(ty);
    let mut found = None;
    while let Some(n) = stack.pop() {
        if is_depends(n, src) {
            if found.is_some() {
                return None;
            }
            found = Some(n);
            continue;
        }
        stack.extend(named(n));
    }
    found
}

/// The function a `Depends(f)` call names: its first argument or `dependency=`.
fn depends_target(call: Node, src: &[u8]) -> Option<String> {
    if !is_depends(call, src) {
        return None;
    }
    let args = call.field("arguments")?;
    let (pos, _) = split_args(args);
    let f = pos.first().copied().or_else(|| super::py_arch::kwarg(args, "dependency", src))?;
    (f.kind_name() == "identifier").then(|| query::text(f, src).to_string())
}

/// The single value of a non-empty sequence whose items are all the same `Some`.
fn one(mut items: impl Iterator<Item = Option<String>>) -> Option<String> {
    let first = items.next()??;
    items.all(|x| x.as_deref() == Some(first.as_str())).then_some(first)
}

/// `self.name` → `name`.
fn self_member<'s>(n: Node, src: &'s [u8]) -> Option<&'s str> {
    n.field("object").filter(|o| query::text(*o, src) == "self")?;
    n.field("attribute").map(|a| query::text(a, src))
}

/// The method `name` defined in a class body.
fn method_of<'t>(class: Node<'t>, name: &str, src: &[u8]) -> Option<Node<'t>> {
    named(class.field("body")?).into_iter().find_map(|d| {
        let d = if d.kind_name() == "decorated_definition" { d.field("definition")? } else { d };
        (d.kind_name() == "function_definition" && d.field("name").is_some_and(|n| query::text(n, src) == name))
            .then_some(d)
    })
}

/// The values of every `self.attr = …` in a class's methods (not nested classes).
fn self_assignments<'t>(n: Node<'t>, attr: &str, src: &[u8], out: &mut Vec<Node<'t>>) {
    for c in named(n) {
        match c.kind_name() {
            "class_definition" => continue,
            "assignment" => {
                let left = c.field("left");
                if left.is_some_and(|l| l.kind_name() == "attribute" && self_member(l, src) == Some(attr)) {
                    out.extend(c.field("right"));
                }
            }
            _ => {}
        }
        self_assignments(c, attr, src, out);
    }
}

/// A collection's name as written: `users` of `db.users`, `"users"` of `db["users"]`.
pub fn collection_name(n: Node, src: &[u8]) -> Option<String> {
    match n.kind_name() {
        "identifier" => Some(text_of(n, src)),
        _ => string_value(n, src),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(code: &str) -> tree_sitter::Tree {
        let mut p = tree_sitter::Parser::new();
        p.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        p.parse(code, None).unwrap()
    }

    #[test]
    fn getters_return_a_database_of_a_client_built_in_the_file() {
        let code = "from motor.motor_asyncio import AsyncIOMotorClient\n\
            _client = None\n\
            class Mongo:\n    client = None\n    database = None\n\
            mongo = Mongo()\n\
            def connect():\n    global _client\n    _client = AsyncIOMotorClient(URL)\n\
            \x20   mongo.client = AsyncIOMotorClient(URL)\n    mongo.database = mongo.client[NAME]\n\
            def get_database():\n    return _client[NAME]\n\
            def get_db():\n    return mongo.database\n\
            def get_other():\n    return other[NAME]\n\
            def get_maybe():\n    if x:\n        return\n    return _client[NAME]\n";
        let tree = parse(code);
        assert_eq!(getters(tree.root_node(), code.as_bytes()), ["get_database", "get_db"]);
    }

    #[test]
    fn a_connection_singleton_method_returns_a_database() {
        let code = "from motor.motor_asyncio import AsyncIOMotorClient
class Conn:
    client = None
    def connect(self):
        if self.client is None:
            self.client = AsyncIOMotorClient(URL)
    def get_database(self):
        return self.client.get_database()
    def name(self):
        return 'x'
mongodb = Conn()
other = Conn(1)
async def get_db():
    mongodb.connect()
    return mongodb.get_database()
def get_name():
    return mongodb.name()
def get_other():
    return other.get_database()
";
        let tree = parse(code);
        assert_eq!(getters(tree.root_node(), code.as_bytes()), ["get_db"]);
    }

    #[test]
    fn a_fastapi_dependency_names_its_getter() {
        let code = "async def a(user_id: int, db: Database = Depends(get_db)):
    return await db.recs.find_one({})
async def b(db: Annotated[Database, Depends(get_db)]):
    return await db.recs.find_one({})
async def c(db=Depends(dependency=get_db)):
    return await db.recs.find_one({})
async def d(db=Depends(get_db)):
    db = other()
    return await db.recs.find_one({})
async def e(db: Database = Depends(make_db(1))):
    return await db.recs.find_one({})
";
        let tree = parse(code);
        let mut found = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            if n.kind_name() == "attribute" && query::text(n, code.as_bytes()) == "db.recs" {
                let recs = n.field("attribute").unwrap();
                found.push((query::line(n), getter_use(recs, code.as_bytes())));
            }
            stack.extend(named(n));
        }
        found.sort();
        let get_db = Some("get_db".to_string());
        assert_eq!(
            found,
            [(2, get_db.clone()), (4, get_db.clone()), (6, get_db), (9, Some("other".into())), (11, None)]
        );
    }

    #[test]
    fn module_level_database_names() {
        let code = "from pymongo import MongoClient
client = MongoClient(URL)
db = client['library']
            other = thing['x']
maybe = client['a']
maybe = 3
";
        let tree = parse(code);
        assert_eq!(getters(tree.root_node(), code.as_bytes()), ["db"]);
    }
}
