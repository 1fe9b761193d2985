//! API gateways configured by a file: Kong's declarative configuration.
//!
//! A compose service running Kong in DB-less mode (image `kong`, `kong/kong-gateway`, or
//! any image given `KONG_DECLARATIVE_CONFIG`) loads the file its `KONG_DECLARATIVE_CONFIG`
//! names, mounted from the project by a bind volume (`./kong/kong.yml:/kong/declarative/kong.yml`)
//! or copied into an image the project builds (`COPY kong.yml /kong/declarative/kong.yml`).
//! Its `services: - url` and `routes: - paths` say where the gateway sends each path, the
//! same fact as an nginx `location` + `proxy_pass`: each route path becomes a
//! `(prefix, target)` rule of the Kong service (`Service::proxies`), which `resolve::calls`
//! follows for a call that reaches the gateway.
//!
//! Kong's router (<https://docs.konghq.com/gateway/latest/key-concepts/routes/>): a route
//! path is a prefix, the longest one wins; `strip_path` (default `true`) removes the
//! matched prefix before the service's `path` is prepended. A path starting with `~` (or,
//! before format 3.0, one holding regex syntax) is a regular expression, tried before every
//! prefix: such a configuration is not followed at all (a diagnostic), since a regex may take
//! any path a prefix would. A route that also matches on `hosts`, `headers` or `snis` depends
//! on what the client sends, and two routes of one path to different services by `methods`
//! depend on the request's method: neither is a rule (a diagnostic each).

use std::collections::BTreeMap;

use super::join;
use super::yaml::Yaml;
use crate::diagnostic::{Diagnostic, Severity};

/// The environment variable naming Kong's declarative configuration file.
const KONG_CONFIG: &str = "KONG_DECLARATIVE_CONFIG";

/// The project file a compose service running Kong loads as its declarative configuration:
/// the bind volume (relative to the compose file's directory `base`) that mounts the file,
/// or a directory holding it, at the path `KONG_DECLARATIVE_CONFIG` names; with a Kong image
/// and no such variable, the one mounted `kong.yml`/`kong.yaml`.
pub fn kong_config(
    base: &str,
    image: Option<&str>,
    env: &BTreeMap<String, String>,
    volumes: &[(Yaml, u32)],
) -> Option<String> {
    let wanted = env.get(KONG_CONFIG).map(String::as_str);
    if wanted.is_none() && !image.is_some_and(kong_image) {
        return None;
    }
    let mut found: Vec<String> = Vec::new();
    for (v, _) in volumes {
        let (host, container) = match v {
            Yaml::Scalar(x) => {
                let mut parts = x.split(':');
                (parts.next(), parts.next())
            }
            m => (m.get("source").and_then(Yaml::str), m.get("target").and_then(Yaml::str)),
        };
        let (Some(host), Some(container)) = (host, container) else { continue };
        if !(host == "." || host.starts_with("./") || host.starts_with("../")) {
            continue;
        }
        let inside = match wanted {
            Some(w) if w == container => Some(String::new()),
            Some(w) => w.strip_prefix(container.trim_end_matches('/')).filter(|r| r.starts_with('/')).map(String::from),
            None => {
                let name = container.rsplit('/').next().unwrap_or("");
                matches!(name, "kong.yml" | "kong.yaml").then(String::new)
            }
        };
        found.extend(inside.and_then(|rest| join(base, &format!("{host}{rest}"))));
    }
    found.dedup();
    (found.len() == 1).then(|| found.remove(0))
}

/// The project file a Kong image built from the Dockerfile in `dir` (its `text`) loads: the
/// one `COPY`/`ADD` source placed at the path `KONG_DECLARATIVE_CONFIG` names (`COPY kong.yml
/// /kong/declarative/kong.yml`, or into that directory), relative to the Dockerfile's
/// directory, the usual build context.
pub fn kong_copied(dir: &str, text: &str, env: &BTreeMap<String, String>) -> Option<String> {
    let wanted = env.get(KONG_CONFIG)?;
    text.lines().find_map(|l| {
        let mut words = l.split_whitespace();
        let instr = words.next()?;
        if !instr.eq_ignore_ascii_case("COPY") && !instr.eq_ignore_ascii_case("ADD") {
            return None;
        }
        let args: Vec<&str> = words.filter(|w| !w.starts_with("--")).collect();
        let [src, dest] = args.as_slice() else { return None };
        let name = src.rsplit('/').next().unwrap_or(src);
        let placed = *dest == wanted || dest.ends_with('/') && format!("{dest}{name}") == *wanted;
        placed.then(|| join(dir, src)).flatten()
    })
}

/// `kong`, `kong:3.7`, `kong/kong-gateway:3.4`, `docker.io/library/kong`.
fn kong_image(image: &str) -> bool {
    let name = image.split(['@']).next().unwrap_or(image);
    let last = name.rsplit('/').next().unwrap_or(name);
    let last = last.split(':').next().unwrap_or(last);
    matches!(last, "kong" | "kong-gateway")
}

/// A Kong service's upstream URL: its `url`, else `protocol://host:port/path` (Kong's
/// defaults `http`, port 80), with the host an `upstreams:` entry names replaced by its
/// first target, as nginx's `upstream` blocks are read.
fn service_url(svc: &Yaml, upstreams: &BTreeMap<&str, &str>) -> Option<String> {
    let url = match svc.get("url").and_then(Yaml::str) {
        Some(u) => u.to_string(),
        None => {
            let host = svc.get("host").and_then(Yaml::str)?;
            let protocol = svc.get("protocol").and_then(Yaml::str).unwrap_or("http");
            let port = svc.get("port").and_then(Yaml::str).unwrap_or("80");
            let path = svc.get("path").and_then(Yaml::str).unwrap_or("");
            format!("{protocol}://{host}:{port}{path}")
        }
    };
    let (scheme, rest) = url.split_once("://")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = authority.split(':').next().unwrap_or(authority);
    Some(match upstreams.get(host) {
        // An upstream's target without a port is Kong's default 8000.
        Some(t) if t.contains(':') => format!("{scheme}://{t}{path}"),
        Some(t) => format!("{scheme}://{t}:8000{path}"),
        None => url,
    })
}

/// The rule target of one route path: the service URL whose path replaces the prefix
/// (`strip_path: true`), or that path followed by the prefix (`strip_path: false`), in
/// the `proxy_pass` form `resolve::calls` joins (a target with a path replaces the
/// prefix, one without keeps the whole request path).
fn target(url: &str, prefix: &str, strip: bool) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = path.trim_end_matches('/');
    match (strip, path.is_empty()) {
        (true, _) => format!("{scheme}://{authority}{path}/"),
        (false, true) => format!("{scheme}://{authority}"),
        (false, false) => format!("{scheme}://{authority}{path}{}", prefix.trim_end_matches('/')),
    }
}

/// Whether a route path is a regular expression: `~/…` (format 3.0), or, in the older
/// formats, a path holding regex syntax.
fn regex_path(path: &str, format: &str) -> bool {
    path.starts_with('~') || !format.starts_with('3') && path.contains(['(', '[', '*', '+', '?', '^', '$', '\\', '|'])
}

/// One route path read, before conflicts are looked for: (prefix, target, line).
type Rule = (String, String, u32);

/// [`kong_routes`] of the project file `rel` (none when it cannot be read).
pub fn kong_file(project: &super::Project, rel: &str) -> (Vec<(String, String)>, Vec<Diagnostic>) {
    project.read(rel).map(|t| kong_routes(rel, &t)).unwrap_or_default()
}

/// The `(prefix, target)` rules of a Kong declarative configuration (`rel`, its text), and
/// the diagnostics of what it cannot say statically.
pub fn kong_routes(rel: &str, text: &str) -> (Vec<(String, String)>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let Ok(docs) = super::yaml::parse(text) else { return (Vec::new(), diagnostics) };
    let Some(doc) = docs.first().filter(|d| d.get("_format_version").is_some()) else {
        return (Vec::new(), diagnostics);
    };
    let format = doc.get("_format_version").and_then(Yaml::str).unwrap_or("");
    let mut upstreams: BTreeMap<&str, &str> = BTreeMap::new();
    for (u, _) in doc.get("upstreams").map(Yaml::items).unwrap_or(&[]) {
        let first = u.get("targets").map(Yaml::items).unwrap_or(&[]).first();
        if let (Some(name), Some(t)) = (u.get("name").and_then(Yaml::str), first.and_then(|(t, _)| t.get("target"))) {
            upstreams.insert(name, t.str().unwrap_or(""));
        }
    }
    let services = doc.get("services").map(Yaml::items).unwrap_or(&[]);
    let by_name: BTreeMap<&str, &Yaml> =
        services.iter().filter_map(|(s, _)| Some((s.get("name").and_then(Yaml::str)?, s))).collect();
    // Routes nested under their service, then top-level routes naming theirs.
    let mut routes: Vec<(&Yaml, u32, &Yaml)> = Vec::new();
    for (svc, _) in services {
        routes.extend(svc.get("routes").map(Yaml::items).unwrap_or(&[]).iter().map(|(r, l)| (r, *l, svc)));
    }
    for (r, line) in doc.get("routes").map(Yaml::items).unwrap_or(&[]) {
        let named = r.get("service").and_then(|s| s.str().or_else(|| s.get("name").and_then(Yaml::str)));
        if let Some(svc) = named.and_then(|n| by_name.get(n)) {
            routes.push((r, *line, svc));
        }
    }
    let mut rules: Vec<Rule> = Vec::new();
    let mut regex = false;
    for (route, end, svc) in routes {
        // A mapping's own line is where it ends: its first key is where it starts.
        let line = route.entries().first().map_or(end, |(_, _, l)| *l);
        let paths = route.get("paths").map(Yaml::items).unwrap_or(&[]);
        let conditional = ["hosts", "headers", "snis"].into_iter().find(|k| route.get(k).is_some());
        if let (Some(key), false) = (conditional, paths.is_empty()) {
            let msg = format!("Kong route matches on `{key}`, which the client's request decides: not followed");
            diagnostics.push(Diagnostic::new(rel, Some(line), Severity::Info, msg));
            continue;
        }
        let Some(url) = service_url(svc, &upstreams) else { continue };
        let strip = route.get("strip_path").and_then(Yaml::str) != Some("false");
        for (p, pline) in paths {
            let Some(path) = p.str() else { continue };
            if regex_path(path, format) {
                regex = true;
                let msg = format!(
                    "Kong route path `{path}` is a regular expression: the configuration's routes are not followed"
                );
                diagnostics.push(Diagnostic::new(rel, Some(*pline), Severity::Info, msg));
                continue;
            }
            rules.push((path.to_string(), target(&url, path, strip), *pline));
        }
    }
    if regex {
        return (Vec::new(), diagnostics);
    }
    (distinct(rel, rules, &mut diagnostics), diagnostics)
}

/// The rules, one per prefix: a prefix two routes send to different targets (by `methods`)
/// is none, a diagnostic at its first route.
fn distinct(rel: &str, mut rules: Vec<Rule>, diagnostics: &mut Vec<Diagnostic>) -> Vec<(String, String)> {
    rules.sort_by(|a, b| (&a.0, a.2).cmp(&(&b.0, b.2)));
    let mut out: Vec<(String, String)> = Vec::new();
    for group in rules.chunk_by(|a, b| a.0 == b.0) {
        let (prefix, target, line) = &group[0];
        if group.iter().all(|(_, t, _)| t == target) {
            out.push((prefix.clone(), target.clone()));
        } else {
            let msg = format!("Kong routes of path `{prefix}` go to different services by method: not followed");
            diagnostics.push(Diagnostic::new(rel, Some(*line), Severity::Info, msg));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_path_removes_the_prefix_and_the_service_path_is_prepended() {
        assert_eq!(target("http://users:8000", "/users", true), "http://users:8000/");
        assert_eq!(target("http://users:8000", "/users", false), "http://users:8000");
        assert_eq!(target("http://users:8000/v1/", "/users", true), "http://users:8000/v1/");
        assert_eq!(target("http://users:8000/v1", "/users", false), "http://users:8000/v1/users");
    }

    #[test]
    fn kong_images_by_name() {
        assert!(kong_image("kong:3.7") && kong_image("kong/kong-gateway:3.4") && kong_image("docker.io/library/kong"));
        assert!(!kong_image("kong-migrations") && !kong_image("nginx"));
    }

    #[test]
    fn regex_paths_by_format() {
        assert!(regex_path("~/users/\\d+$", "3.0") && regex_path("/users/\\d+", "2.1"));
        assert!(!regex_path("/users", "3.0") && !regex_path("/a+b", "3.0"));
    }
}
