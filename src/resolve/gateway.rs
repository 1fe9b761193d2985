//! API gateways configured by a file: Kong's declarative configuration, and Traefik's
//! routers written as compose labels.
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
        let Some((host, container)) = local_bind(v) else { continue };
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

/// One path a Traefik router sends to a compose service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraefikRule {
    /// The `Host(…)` the rule also requires, if any.
    pub host: Option<String>,
    pub prefix: String,
    /// A `stripprefix` middleware (or v1 `PathPrefixStrip`) removes the prefix.
    pub strip: bool,
}

/// What a compose service's Traefik labels say: where the service listens (`http://name:port`)
/// and the paths Traefik's routers send to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traefik {
    pub target: String,
    pub rules: Vec<TraefikRule>,
}

/// A compose service's labels (`labels:` or `deploy.labels:`, a map or `k=v` items).
fn labels(entry: &Yaml) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for l in [entry.get("labels"), entry.get("deploy").and_then(|d| d.get("labels"))].into_iter().flatten() {
        for (k, v, _) in l.entries() {
            out.insert(k.clone(), v.str().unwrap_or("").to_string());
        }
        for (item, _) in l.items() {
            if let Some((k, v)) = item.str().and_then(|x| x.split_once('=')) {
                out.insert(k.trim().to_string(), v.trim().to_string());
            }
        }
    }
    out
}

/// The Traefik routing of compose service `name` (its compose `entry`; `port`, the one
/// container port it has, if known): Traefik v2/v3 `traefik.http.routers.<r>.rule` with its
/// `service`'s `loadbalancer.server.port` and `stripprefix` middlewares, or v1
/// `traefik.frontend.rule` with `traefik.port`; `None` without router labels or with
/// `traefik.enable=false` (<https://doc.traefik.io/traefik/routing/providers/docker/>).
pub fn traefik(name: &str, entry: &Yaml, port: Option<&str>) -> Option<Traefik> {
    let l = labels(entry);
    if l.get("traefik.enable").is_some_and(|v| v == "false") {
        return None;
    }
    let get = |k: String| l.get(&k).map(String::as_str);
    let mut rules = Vec::new();
    let mut lb_port = None;
    let services: Vec<&str> = l
        .keys()
        .filter_map(|k| k.strip_prefix("traefik.http.services.")?.strip_suffix(".loadbalancer.server.port"))
        .collect();
    for router in l.keys().filter_map(|k| k.strip_prefix("traefik.http.routers.")?.strip_suffix(".rule")) {
        let Some(rule) = get(format!("traefik.http.routers.{router}.rule")) else { continue };
        let service = get(format!("traefik.http.routers.{router}.service"))
            .or_else(|| (services.len() == 1).then(|| services[0]));
        if let Some(p) = service.and_then(|s| get(format!("traefik.http.services.{s}.loadbalancer.server.port"))) {
            lb_port = Some(p.to_string());
        }
        let strips: Vec<String> = get(format!("traefik.http.routers.{router}.middlewares"))
            .unwrap_or("")
            .split(',')
            .map(|m| m.trim().split('@').next().unwrap_or(""))
            .filter_map(|m| get(format!("traefik.http.middlewares.{m}.stripprefix.prefixes")))
            .flat_map(|p| p.split(',').map(|x| x.trim().to_string()))
            .collect();
        for (host, prefix) in rule_prefixes(rule) {
            let strip = strips.iter().any(|s| s.trim_end_matches('/') == prefix.trim_end_matches('/'));
            rules.push(TraefikRule { host, prefix, strip });
        }
    }
    if let Some(rule) = l.get("traefik.frontend.rule") {
        rules.extend(v1_rule(rule));
        lb_port = l.get("traefik.port").cloned().or(lb_port);
    }
    if rules.is_empty() {
        return None;
    }
    let target = match lb_port.as_deref().or(port) {
        Some(p) => format!("http://{name}:{p}"),
        None => format!("http://{name}"),
    };
    Some(Traefik { target, rules })
}

/// The (host, path prefix) pairs of a v2 rule: each `||` alternative made only of
/// `PathPrefix(…)` and at most one `Host(…)`; an alternative with any other matcher
/// (`Path`, `Headers`, `Method`, regular expressions) or grouped in parentheses gives none.
fn rule_prefixes(rule: &str) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    for alt in rule.split("||") {
        let mut host = None;
        let mut prefixes = Vec::new();
        let mut readable = true;
        for m in alt.split("&&").map(str::trim) {
            let Some((name, args)) = m.strip_suffix(')').and_then(|x| x.split_once('(')) else {
                readable = false;
                break;
            };
            let args: Vec<String> =
                args.split(',').map(|a| a.trim().trim_matches(['`', '"', '\'']).to_string()).collect();
            match (name.trim(), args.as_slice()) {
                ("PathPrefix", _) => prefixes.extend(args),
                ("Host", [h]) if host.is_none() => host = Some(h.clone()),
                _ => readable = false,
            }
        }
        if readable {
            // A path-template parameter (`/app{regex:…}`) is no plain prefix.
            let plain = prefixes.into_iter().filter(|p| p.starts_with('/') && !p.contains(['{', '$']));
            out.extend(plain.map(|p| (host.clone(), p)));
        }
    }
    out
}

/// A Traefik v1 `frontend.rule`: `PathPrefix:/api,/v1`, `PathPrefixStrip:/api`, with an
/// optional `Host:h` (matchers joined by `;`).
fn v1_rule(rule: &str) -> Vec<TraefikRule> {
    let mut host = None;
    let mut out = Vec::new();
    for m in rule.split(';') {
        let Some((name, values)) = m.split_once(':') else { return Vec::new() };
        let values = values.split(',').map(|v| v.trim().to_string());
        match name.trim() {
            "Host" => host = values.into_iter().next(),
            "PathPrefix" => out.extend(values.map(|prefix| TraefikRule { host: None, prefix, strip: false })),
            "PathPrefixStrip" => out.extend(values.map(|prefix| TraefikRule { host: None, prefix, strip: true })),
            _ => return Vec::new(),
        }
    }
    out.iter_mut().for_each(|r| r.host.clone_from(&host));
    out
}

/// The reverse-proxy rules Traefik gives the services of one compose project: to each
/// service it routes (a front end whose relative URLs reach Traefik first), every other
/// service's prefix other than `/`; to each Traefik service itself (`gateways`, reached by
/// the port it publishes), every prefix. Rules are `(prefix, target)` as nginx's are (a
/// stripped prefix is replaced, else kept). A rule needing a `Host` is followed only from a
/// front end whose every rule names that host (never from the gateway, which any host
/// reaches); a prefix two services claim is followed from none.
pub fn traefik_proxies(routed: &[(usize, Traefik)], gateways: &[usize]) -> Vec<(usize, (String, String))> {
    let mut out = Vec::new();
    for (front, t) in routed {
        let hosts: Option<Vec<&str>> = t.rules.iter().map(|r| r.host.as_deref()).collect();
        let rules = traefik_rules(routed.iter().filter(|(b, _)| b != front), hosts.as_deref());
        out.extend(rules.into_iter().map(|r| (*front, r)));
    }
    for g in gateways {
        out.extend(traefik_rules(routed.iter(), None).into_iter().map(|r| (*g, r)));
    }
    out
}

/// The `(prefix, target)` rules of `backs` that a request from a page on `hosts` (`None`:
/// any host) reaches, each prefix claimed by one service only.
fn traefik_rules<'a>(
    backs: impl Iterator<Item = &'a (usize, Traefik)>,
    hosts: Option<&[&str]>,
) -> Vec<(String, String)> {
    let mut rules: Vec<(String, String)> = Vec::new();
    for (_, b) in backs {
        for r in b.rules.iter().filter(|r| r.prefix != "/") {
            let reached = match (&r.host, hosts) {
                (None, _) => true,
                (Some(h), Some(hs)) => hs.contains(&h.as_str()),
                (Some(_), None) => false,
            };
            if reached {
                let target = if r.strip { format!("{}/", b.target) } else { b.target.clone() };
                rules.push((r.prefix.trim_end_matches('/').to_string(), target));
            }
        }
    }
    rules.sort();
    rules.dedup();
    let claimed_twice = |p: &str| rules.iter().filter(|(q, _)| q == p).count() > 1;
    rules.iter().filter(|(p, _)| !claimed_twice(p)).cloned().collect()
}

/// `traefik`, `traefik:v2.11`, `docker.io/library/traefik:latest`.
pub fn traefik_image(image: &str) -> bool {
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split([':', '@']).next() == Some("traefik")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traefik_rules() {
        assert_eq!(rule_prefixes("PathPrefix(`/api`)"), vec![(None, "/api".to_string())]);
        assert_eq!(
            rule_prefixes("Host(`localhost`) && PathPrefix(`/api/v1`)"),
            vec![(Some("localhost".to_string()), "/api/v1".to_string())]
        );
        assert!(rule_prefixes("PathPrefix(`/api`) && Headers(`X`, `y`)").is_empty());
        assert!(rule_prefixes("Path(`/health`)").is_empty());
        assert!(rule_prefixes("Host(`localhost`) && !PathPrefix(`/api`)").is_empty());
        assert!(rule_prefixes("PathPrefix(`/app1{regex:$$|/.*}`)").is_empty());
        assert!(
            traefik_image("traefik:v2.11")
                && traefik_image("docker.io/library/traefik")
                && !traefik_image("traefik-forward-auth")
        );
        assert!(v1_rule("PathPrefixStrip:/api")[0].strip);
        assert!(v1_rule("PathPrefix:/").iter().all(|r| r.prefix == "/"));
    }

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

/// The sources of a Dockerfile's `COPY`/`ADD` lines (relative to the Dockerfile's
/// directory `dir`, the usual build context) with where each is placed; a line copying
/// from another stage or image (`--from=`) copies nothing of the project.
fn copied(dir: &str, text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for l in text.lines() {
        let mut words = l.split_whitespace();
        let Some(instr) = words.next() else { continue };
        if !instr.eq_ignore_ascii_case("COPY") && !instr.eq_ignore_ascii_case("ADD") {
            continue;
        }
        let words: Vec<&str> = words.collect();
        if words.iter().any(|w| w.starts_with("--from")) {
            continue;
        }
        let args: Vec<&str> = words.into_iter().filter(|w| !w.starts_with("--")).collect();
        let Some((dest, sources)) = args.split_last() else { continue };
        for src in sources {
            if let Some(rel) = join(dir, src) {
                out.push((rel, dest.to_string()));
            }
        }
    }
    out
}

/// Whether a path in a container is where nginx reads its configuration.
fn nginx_place(path: &str) -> bool {
    path == "/etc/nginx" || path.starts_with("/etc/nginx/")
}

/// Whether a path in a container is where HAProxy reads its configuration (the official
/// image's `/usr/local/etc/haproxy/haproxy.cfg`, a package's `/etc/haproxy/haproxy.cfg`).
fn haproxy_place(path: &str) -> bool {
    ["/usr/local/etc/haproxy", "/etc/haproxy"].iter().any(|d| path == *d || path.starts_with(&format!("{d}/")))
}

/// An nginx configuration file by name.
fn nginx_file(rel: &str) -> bool {
    rel.ends_with(".conf") || rel.ends_with(".conf.template")
}

/// The project files a gateway image built from the Dockerfile in `dir` (its `text`)
/// loads: nginx configurations (`.conf`, `.conf.template`, or those of a copied
/// directory, among the project's `files`) placed under `/etc/nginx`, and HAProxy
/// configurations (`.cfg`) placed in HAProxy's directory. `true` marks HAProxy's.
pub fn configs_copied(dir: &str, text: &str, files: &[String]) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (src, dest) in copied(dir, text) {
        let dest = dest.trim_end_matches('/');
        if nginx_place(dest) {
            out.extend(nginx_configs(&src, files).into_iter().map(|f| (f, false)));
        } else if haproxy_place(dest) && src.ends_with(".cfg") {
            out.push((src, true));
        }
    }
    out
}

/// The nginx configuration files of a copied or mounted project path: the file itself,
/// or those under the directory.
fn nginx_configs(src: &str, files: &[String]) -> Vec<String> {
    if nginx_file(src) {
        return vec![src.to_string()];
    }
    let dir = format!("{}/", src.trim_end_matches('/'));
    files.iter().filter(|f| f.starts_with(&dir) && nginx_file(f)).cloned().collect()
}

/// A compose volume binding a path of the project (`./x:/etc/nginx/conf.d`, or the long
/// form's `source`/`target`): (host path, container path).
fn local_bind(v: &Yaml) -> Option<(&str, &str)> {
    let (host, container) = match v {
        Yaml::Scalar(x) => {
            let mut parts = x.split(':');
            (parts.next(), parts.next())
        }
        m => (m.get("source").and_then(Yaml::str), m.get("target").and_then(Yaml::str)),
    };
    let (host, container) = (host?, container?);
    (host == "." || host.starts_with("./") || host.starts_with("../")).then_some((host, container))
}

/// The project files a compose service loads as its gateway configuration by bind
/// volumes (relative to the compose file's directory `base`): nginx configurations
/// mounted under `/etc/nginx` and HAProxy's `.cfg` mounted in its directory (`true`).
pub fn configs_mounted(base: &str, volumes: &[(Yaml, u32)], files: &[String]) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (v, _) in volumes {
        let Some((host, container)) = local_bind(v) else { continue };
        let Some(src) = join(base, host) else { continue };
        let container = container.trim_end_matches('/');
        if nginx_place(container) {
            out.extend(nginx_configs(&src, files).into_iter().map(|f| (f, false)));
        } else if haproxy_place(container) && src.ends_with(".cfg") {
            out.push((src, true));
        }
    }
    out
}

/// One `backend` (or `listen`) section of an HAProxy configuration.
#[derive(Default)]
struct Backend<'t> {
    http: Option<bool>,
    /// `server name host:port` lines: (host:port, line).
    servers: Vec<(&'t str, u32)>,
    /// The path is rewritten before it is sent (`http-request replace-path|replace-uri|set-path`, `reqrep`).
    rewrites: bool,
}

/// One `frontend` (or `listen`) section: its mode, path ACLs and backend choices.
#[derive(Default)]
struct Frontend<'t> {
    http: Option<bool>,
    /// `acl name path_beg [-i] /a /b`.
    acls: Vec<(&'t str, Vec<&'t str>)>,
    /// `use_backend b if cond` (the condition's words) and `default_backend b` (none).
    uses: Vec<(&'t str, Option<Vec<&'t str>>)>,
}

/// The routes of an HAProxy configuration (`rel`, its `text`) in HTTP mode (HAProxy's
/// default mode is `tcp`: a TCP proxy, a database's, is no HTTP call): each backend a
/// frontend uses, to each of its servers, with the path prefix of a `use_backend … if
/// <acl>` whose ACL is a `path_beg` (a `default_backend`'s is `/`; any other condition's
/// is unknown), and whether that backend keeps the request path as it is (no rewrite).
/// A `listen` section is a frontend sending everything to its own servers
/// (<https://docs.haproxy.org/2.8/configuration.html#4>).
pub fn haproxy_routes(rel: &str, text: &str) -> Vec<(crate::resolve::services::GatewayRoute, bool)> {
    let mut default_http = false;
    let mut frontends: Vec<Frontend> = Vec::new();
    let mut backends: BTreeMap<&str, Backend> = BTreeMap::new();
    enum Section<'t> {
        Other,
        Defaults,
        Front(usize),
        Back(&'t str),
        Listen(usize, &'t str),
    }
    let mut section = Section::Other;
    for (n, raw) in text.lines().enumerate() {
        let line = n as u32 + 1;
        let words: Vec<&str> = raw.split('#').next().unwrap_or("").split_whitespace().collect();
        let Some(&key) = words.first() else { continue };
        let name = words.get(1).copied().unwrap_or("");
        match key {
            "global" | "resolvers" | "peers" | "userlist" | "cache" | "program" | "mailers" | "ring"
            | "http-errors" => {
                section = Section::Other;
                continue;
            }
            "defaults" => {
                section = Section::Defaults;
                continue;
            }
            "frontend" => {
                frontends.push(Frontend::default());
                section = Section::Front(frontends.len() - 1);
                continue;
            }
            "backend" => {
                backends.entry(name).or_default();
                section = Section::Back(name);
                continue;
            }
            "listen" => {
                let mut f = Frontend::default();
                f.uses.push((name, None));
                frontends.push(f);
                backends.entry(name).or_default();
                section = Section::Listen(frontends.len() - 1, name);
                continue;
            }
            _ => {}
        }
        let (front, back) = match section {
            Section::Other => continue,
            Section::Defaults => {
                if key == "mode" {
                    default_http = name == "http";
                }
                continue;
            }
            Section::Front(f) => (Some(f), None),
            Section::Back(b) => (None, Some(b)),
            Section::Listen(f, b) => (Some(f), Some(b)),
        };
        if key == "mode" {
            if let Some(f) = front {
                frontends[f].http = Some(name == "http");
            }
            if let Some(b) = back.and_then(|b| backends.get_mut(b)) {
                b.http = Some(name == "http");
            }
            continue;
        }
        if let Some(f) = front.map(|f| &mut frontends[f]) {
            match key {
                "acl" if words.get(2) == Some(&"path_beg") => {
                    let prefixes = words[3..].iter().copied().filter(|w| w.starts_with('/')).collect();
                    f.acls.push((name, prefixes));
                }
                "use_backend" => {
                    let cond = words.iter().position(|w| matches!(*w, "if" | "unless"));
                    let cond = cond.map(|c| words[c..].to_vec()).unwrap_or_default();
                    f.uses.push((name, Some(cond)));
                }
                "default_backend" => f.uses.push((name, None)),
                _ => {}
            }
        }
        if let Some(b) = back.and_then(|b| backends.get_mut(b)) {
            match key {
                "server" => {
                    if let Some(addr) = words.get(2).filter(|a| !a.starts_with('/') && !a.contains('$')) {
                        b.servers.push((addr, line));
                    }
                }
                "reqrep" | "reqirep" => b.rewrites = true,
                "http-request"
                    if matches!(
                        name,
                        "replace-path" | "replace-uri" | "set-path" | "set-uri" | "replace-pathq" | "set-pathq"
                    ) =>
                {
                    b.rewrites = true;
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for f in &frontends {
        if !f.http.unwrap_or(default_http) {
            continue;
        }
        for (name, cond) in &f.uses {
            let Some(b) = backends.get(name) else { continue };
            if !b.http.unwrap_or(default_http) {
                continue;
            }
            // `if <acl>` of one path_beg ACL with one prefix: that prefix; no condition: `/`.
            let prefix = match cond.as_deref() {
                None => Some("/".to_string()),
                Some(["if", acl]) => match f.acls.iter().filter(|(n, _)| n == acl).collect::<Vec<_>>().as_slice() {
                    [(_, p)] if p.len() == 1 => Some(p[0].to_string()),
                    _ => None,
                },
                Some(_) => None,
            };
            for (addr, line) in &b.servers {
                let route = crate::resolve::services::GatewayRoute {
                    prefix: prefix.clone(),
                    target: format!("http://{addr}"),
                    file: rel.to_string(),
                    line: *line,
                };
                if !out.iter().any(|(r, _)| *r == route) {
                    out.push((route, !b.rewrites));
                }
            }
        }
    }
    out
}

/// The gateways' own calls: each route of a gateway's configuration file
/// ([`crate::resolve::services::GatewayRoute`]) whose target host names one service makes
/// a `calls` edge gateway → service at the file's line, linked to the endpoint the
/// route's prefix reaches when exactly one of the service's endpoints has that path.
pub fn edges(ctx: &super::arch::Ctx, eps: &super::routes::Endpoints, out: &mut super::arch::ArchOut) {
    use super::services::Pick;
    let list = &ctx.services.list;
    for (i, gw) in list.iter().enumerate() {
        for r in &gw.gateway_routes {
            let Some((_, rest)) = r.target.split_once("://") else { continue };
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let host = authority.rsplit('@').next().unwrap_or("").split(':').next().unwrap_or("");
            if host.is_empty() || host.contains('$') {
                continue;
            }
            let Pick::One(t) = ctx.services.pick(ctx.services.named(host), Some(i), &r.file) else { continue };
            if t == i {
                continue;
            }
            let callee = &list[t];
            // The path the service receives for the prefix itself: the target's path replaces it.
            let reached = match (path, r.prefix.as_deref()) {
                ("", Some(p)) => Some(p.to_string()),
                ("", None) => None,
                (p, _) => Some(p.to_string()),
            };
            let endpoint = reached.filter(|p| p != "/").and_then(|p| {
                let p = super::routes::normalise(&p);
                let mut found: Vec<String> = eps
                    .list
                    .iter()
                    .filter(|e| e.service == callee.name && super::routes::normalise(&e.path) == p)
                    .map(|e| e.id())
                    .collect();
                found.dedup();
                (found.len() == 1).then(|| found.remove(0))
            });
            out.edges.push(super::arch::ArchEdge {
                from: super::arch::End::Id(format!("service:{}", gw.name)),
                to: super::arch::End::Id(format!("service:{}", callee.name)),
                kind: crate::graph::EdgeKind::Calls,
                site: Some((r.file.clone(), r.line)),
                flags: crate::model::Flags::default(),
                endpoint,
                via: None,
            });
        }
    }
}

/// The project files a compose service running KrakenD loads (its image `devopsfaith/krakend`,
/// `krakend`, `krakend/krakend-ee`…, or any image given a file named `krakend.json`/`.yaml`/
/// `.yml`), mounted by a bind volume (relative to the compose file's directory `base`): the
/// JSON or YAML file mounted, or the `krakend.*` files of a mounted directory.
pub fn krakend_configs(base: &str, image: Option<&str>, volumes: &[(Yaml, u32)], files: &[String]) -> Vec<String> {
    let krakend = image.is_some_and(|i| {
        let name = i.split('@').next().unwrap_or(i);
        let last = name.rsplit('/').next().unwrap_or(name);
        last.split(':').next().unwrap_or(last).starts_with("krakend")
    });
    let named = |f: &str| {
        let name = f.rsplit('/').next().unwrap_or(f);
        matches!(name, "krakend.json" | "krakend.yaml" | "krakend.yml")
    };
    let config = |f: &str| krakend && [".json", ".yaml", ".yml"].iter().any(|e| f.ends_with(e)) || named(f);
    let mut out: Vec<String> = Vec::new();
    for (v, _) in volumes {
        let Some((host, _)) = local_bind(v) else { continue };
        let Some(src) = join(base, host) else { continue };
        if config(&src) {
            out.push(src);
        } else if krakend {
            let dir = format!("{}/", src.trim_end_matches('/'));
            out.extend(files.iter().filter(|f| f.starts_with(&dir) && named(f)).cloned());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The routes of a KrakenD configuration `rel` (its `text`, JSON or YAML): each
/// `endpoints[].backend[]`'s `host`s (or the file's top-level `host` list) with its
/// `url_pattern`, one route per host, the `endpoint` its prefix; at the endpoint's line.
/// A file without `endpoints` is not KrakenD's and gives none.
pub fn krakend_routes(rel: &str, text: &str) -> Vec<crate::resolve::services::GatewayRoute> {
    use crate::resolve::services::GatewayRoute;
    // (endpoint, [(url_pattern, hosts)], line)
    type Endpoint = (String, Vec<(String, Vec<String>)>, u32);
    let mut found: Vec<Endpoint> = Vec::new();
    if rel.ends_with(".json") {
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else { return Vec::new() };
        let strings = |v: Option<&serde_json::Value>| -> Vec<String> {
            v.and_then(|h| h.as_array()).into_iter().flatten().filter_map(|h| h.as_str().map(String::from)).collect()
        };
        let default_hosts = strings(doc.get("host"));
        for ep in doc.get("endpoints").and_then(|e| e.as_array()).into_iter().flatten() {
            let Some(path) = ep.get("endpoint").and_then(|e| e.as_str()) else { continue };
            let backends = ep.get("backend").and_then(|b| b.as_array()).into_iter().flatten();
            let backends = backends
                .filter_map(|b| {
                    let hosts = strings(b.get("host"));
                    let hosts = if hosts.is_empty() { default_hosts.clone() } else { hosts };
                    Some((b.get("url_pattern")?.as_str()?.to_string(), hosts))
                })
                .collect();
            let needle = format!("\"{path}\"");
            let line = text.find(&needle).map_or(1, |at| text[..at].matches('\n').count() as u32 + 1);
            found.push((path.to_string(), backends, line));
        }
    } else {
        let Ok(docs) = super::yaml::parse(text) else { return Vec::new() };
        let Some(doc) = docs.first() else { return Vec::new() };
        let strings = |v: Option<&Yaml>| -> Vec<String> {
            match v {
                Some(Yaml::Scalar(s)) => vec![s.clone()],
                Some(v) => v.items().iter().filter_map(|(h, _)| h.str().map(String::from)).collect(),
                None => Vec::new(),
            }
        };
        let default_hosts = strings(doc.get("host"));
        for (ep, end) in doc.get("endpoints").map(Yaml::items).unwrap_or(&[]) {
            let Some(path) = ep.get("endpoint").and_then(Yaml::str) else { continue };
            let line = ep.entries().first().map_or(*end, |(_, _, l)| *l);
            let backends = ep
                .get("backend")
                .map(Yaml::items)
                .unwrap_or(&[])
                .iter()
                .filter_map(|(b, _)| {
                    let hosts = strings(b.get("host"));
                    let hosts = if hosts.is_empty() { default_hosts.clone() } else { hosts };
                    Some((b.get("url_pattern")?.str()?.to_string(), hosts))
                })
                .collect();
            found.push((path.to_string(), backends, line));
        }
    }
    let mut routes: Vec<GatewayRoute> = Vec::new();
    for (path, backends, line) in found {
        for (pattern, hosts) in backends {
            for host in hosts.iter().filter(|h| h.contains("://")) {
                let target = format!("{}{}", host.trim_end_matches('/'), pattern);
                let route = GatewayRoute { prefix: Some(path.clone()), target, file: rel.to_string(), line };
                if !routes.contains(&route) {
                    routes.push(route);
                }
            }
        }
    }
    routes
}
