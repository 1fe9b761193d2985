//! Endpoints of spec-first apps: the `paths` of an OpenAPI 3 or Swagger 2 file that
//! code registers (connexion's `app.add_api("openapi.yaml")`, `lang/py_connexion.rs`).
//!
//! The file is looked up as connexion does: the spec's name under the app's
//! `specification_dir`, relative to the registering module's directory. Every
//! operation of every path (`get`, `put`, `post`, `delete`, `options`, `head`,
//! `patch`, `trace`) is an endpoint of the module's service, its handler the
//! `operationId` (after `x-openapi-router-controller` when given). The base path is
//! `add_api(…, base_path=)` when given, else the path of the spec's first
//! `servers[].url` (OpenAPI 3, its `{variables}` replaced by their defaults) or its
//! `basePath` (Swagger 2). A spec whose name or directory is known only at run time,
//! that is missing or that does not parse is a diagnostic: its endpoints are not guessed.

use super::arch::{render, ArchOut, Ctx};
use super::routes::{normalise, Endpoints, Ep};
use super::yaml::{self, Yaml};
use super::{dir_of, join};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Part, Template};

/// The operations of an OpenAPI path item (sorted).
const OPERATIONS: &[&str] = &["delete", "get", "head", "options", "patch", "post", "put", "trace"];

/// The endpoints of every spec the project's code registers.
pub fn endpoints(ctx: &Ctx, eps: &mut Endpoints, out: &mut ArchOut, root_name: &dyn Fn() -> String) {
    for (i, f) in ctx.project.files.iter().enumerate() {
        if f.facts.arch.spec_apis.is_empty() || ctx.is_test(i) {
            continue;
        }
        let rel = ctx.project.rel(i);
        for api in &f.facts.arch.spec_apis {
            let note = |out: &mut ArchOut, why: String| {
                out.diagnostics.push(Diagnostic::new(rel, Some(api.line), Severity::Warning, why));
            };
            let (spec, dir) = match (literal(ctx, i, &api.spec), literal(ctx, i, &api.dir)) {
                (Ok(spec), Ok(dir)) => (spec, dir),
                (Err(shown), _) => {
                    note(out, format!("API spec `{shown}` is known only at run time: its endpoints are not reported"));
                    continue;
                }
                (_, Err(shown)) => {
                    note(out, format!(
                        "the directory of API spec `{}` (`{shown}`) is known only at run time: its endpoints are not reported",
                        render(&api.spec)
                    ));
                    continue;
                }
            };
            let path = if spec.starts_with('/') || dir.starts_with('/') {
                None
            } else {
                join(dir_of(rel), &format!("{dir}/{spec}"))
            };
            let Some(text) = path.as_deref().and_then(|p| ctx.project.read(p).ok()) else {
                note(
                    out,
                    format!("API spec `{spec}` is not a file of the scanned tree: its endpoints are not reported"),
                );
                continue;
            };
            let path = path.unwrap_or_default();
            let doc = match yaml::parse(&text) {
                Ok(docs) => docs.into_iter().next().unwrap_or(Yaml::Null),
                Err((msg, line)) => {
                    let why = format!("API spec that does not parse ({msg}): its endpoints are not reported");
                    out.diagnostics.push(Diagnostic::new(&path, Some(line), Severity::Warning, why));
                    continue;
                }
            };
            let base = match &api.base_path {
                Some(b) => match literal(ctx, i, b) {
                    Ok(b) => b,
                    Err(shown) => {
                        note(
                            out,
                            format!(
                                "API base path `{shown}` is known only at run time: its endpoints are not reported"
                            ),
                        );
                        continue;
                    }
                },
                None => spec_base(&doc),
            };
            let service = match ctx.owner(i) {
                Some(s) => ctx.services.list[s].name.clone(),
                None => eps.fallback_service.get_or_insert_with(root_name).clone(),
            };
            for (route, item, _) in doc.get("paths").map(Yaml::entries).unwrap_or_default() {
                for (method, op, line) in item.entries() {
                    if OPERATIONS.binary_search(&method.as_str()).is_err() {
                        continue;
                    }
                    let id = op.get("operationId").and_then(Yaml::str);
                    let controller =
                        op.get("x-openapi-router-controller").or_else(|| item.get("x-openapi-router-controller"));
                    let handler = match (controller.and_then(Yaml::str), id) {
                        (Some(c), Some(id)) if !id.contains('.') => Some(format!("{c}.{id}")),
                        (_, id) => id.map(String::from),
                    };
                    eps.list.push(Ep {
                        service: service.clone(),
                        method: method.to_ascii_uppercase(),
                        path: normalise(&format!("{base}/{route}")),
                        framework: "connexion".into(),
                        handler,
                        def: (path.clone(), *line),
                        site: (rel.to_string(), api.line),
                        catch_all: false,
                    });
                }
            }
        }
    }
}

/// A template's literal text, or how it shows when part of it is known only at run time.
fn literal(ctx: &Ctx, file: usize, t: &Template) -> Result<String, String> {
    match ctx.resolve_template(file, t) {
        Ok(r) if !r.iter().any(|p| matches!(p, Part::Param(_))) => Ok(render(&r)),
        Ok(r) => Err(render(&r)),
        Err(var) => Err(format!("${{{var}}}")),
    }
}

/// The base path a spec gives itself: its first server URL's path (OpenAPI 3), else
/// its `basePath` (Swagger 2); empty when it gives none or one that cannot be read.
fn spec_base(doc: &Yaml) -> String {
    if let Some(base) = doc.get("basePath").and_then(Yaml::str) {
        return base.to_string();
    }
    let Some((server, _)) = doc.get("servers").and_then(|s| s.items().first()) else { return String::new() };
    let Some(url) = server.get("url").and_then(Yaml::str) else { return String::new() };
    // `{scheme}://api.example.com/{base}`: each variable's default.
    let mut filled = String::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        let name = &rest[open + 1..close];
        let default = server.get("variables").and_then(|v| v.get(name)).and_then(|v| v.get("default"));
        let Some(default) = default.and_then(Yaml::str) else { return String::new() };
        filled.push_str(&rest[..open]);
        filled.push_str(default);
        rest = &rest[close + 1..];
    }
    filled.push_str(rest);
    let path = match filled.split_once("://") {
        Some((_, after)) => after.find('/').map_or("", |s| &after[s..]),
        None => &filled,
    };
    path.split(['?', '#']).next().unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_sorted() {
        crate::resolve::assert_sorted(&[OPERATIONS]);
    }

    #[test]
    fn base_paths() {
        let doc = |t: &str| yaml::parse(t).unwrap().remove(0);
        assert_eq!(spec_base(&doc("servers:\n  - url: https://api.example.com/orders\n")), "/orders");
        assert_eq!(spec_base(&doc("servers:\n  - url: /v1\n")), "/v1");
        assert_eq!(spec_base(&doc("servers:\n  - url: http://localhost:8080\n")), "");
        assert_eq!(spec_base(&doc("swagger: '2.0'\nbasePath: /v2\n")), "/v2");
        let vars = "servers:\n  - url: '{scheme}://h/{base}'\n    variables:\n      scheme:\n        default: https\n      base:\n        default: api\n";
        assert_eq!(spec_base(&doc(vars)), "/api");
        assert_eq!(spec_base(&doc("servers:\n  - url: 'https://h/{base}'\n")), "");
    }
}
