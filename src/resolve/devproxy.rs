//! Dev-server proxies of JavaScript frontends: where a relative `fetch('/api/x')`
//! of a React or Vite app goes.
//!
//! A frontend served by its dev server sends requests it does not serve itself
//! to a backend named in one of three places, all read here as text (they are
//! configuration with a fixed shape, not code to follow):
//! - Create React App's `"proxy": "http://backend:3000"` in `package.json`: every
//!   path, unchanged (<https://create-react-app.dev/docs/proxying-api-requests-in-development/>);
//! - CRA's `src/setupProxy.js`: `app.use('/api', createProxyMiddleware({ target,
//!   pathRewrite: { '^/api': '' } }))` (http-proxy-middleware; also the path as the
//!   first argument of the middleware, an array of paths, or `pathFilter:`);
//! - Vite's `server.proxy` in `vite.config.{js,ts,mjs,mts}`: `'/api': 'http://…'` or
//!   `'/api': { target, rewrite: (p) => p.replace(/^\/api/, '') }`.
//!
//! Each rule becomes a `(prefix, target)` pair with the semantics of nginx's
//! `location` + `proxy_pass` (`Service::proxies`): a target with a path replaces
//! the prefix, one without keeps the whole path; the prefix `""` is every path.
//! A rule whose target is not a literal URL or whose rewrite is not a plain
//! prefix replacement is left out: the call then is not linked through it.

/// Proxy rules of a frontend configuration file, by its file name.
pub fn rules(file_name: &str, text: &str) -> Vec<(String, String)> {
    match file_name {
        "package.json" => cra_package_proxy(text).into_iter().collect(),
        "setupProxy.js" => setup_proxy(&lex(text)),
        _ if is_vite_config(file_name) => vite_proxy(&lex(text)),
        _ => Vec::new(),
    }
}

/// Files [`rules`] reads besides `package.json`.
pub fn is_proxy_config(file_name: &str) -> bool {
    file_name == "setupProxy.js" || is_vite_config(file_name)
}

fn is_vite_config(name: &str) -> bool {
    name.strip_prefix("vite.config.").is_some_and(|ext| matches!(ext, "js" | "ts" | "mjs" | "mts"))
}

fn cra_package_proxy(text: &str) -> Option<(String, String)> {
    if !text.contains("\"proxy\"") {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let target = v.get("proxy")?.as_str()?;
    is_url(target).then(|| (String::new(), target.to_string()))
}

fn is_url(s: &str) -> bool {
    (s.starts_with("http://") || s.starts_with("https://")) && !s.contains("${")
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Str(String),
    Ident(String),
    Regex(String),
    Punct(char),
}

/// Strings, identifiers, regex literals and punctuation of a JS/TS text;
/// comments, numbers and whitespace dropped. Template literals are strings
/// (an interpolated one never is a URL here: `${` is refused by [`is_url`]).
fn lex(text: &str) -> Vec<Tok> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let regex_may_start =
            !matches!(out.last(), Some(Tok::Str(_) | Tok::Ident(_) | Tok::Regex(_) | Tok::Punct(')' | ']' | '}')));
        match c {
            b'/' if b.get(i + 1) == Some(&b'/') => i = text[i..].find('\n').map_or(b.len(), |n| i + n),
            b'/' if b.get(i + 1) == Some(&b'*') => i = text[i + 2..].find("*/").map_or(b.len(), |n| i + n + 4),
            b'/' if regex_may_start => {
                let (body, end) = delimited(b, i, b'/');
                out.push(Tok::Regex(text[i + 1..body].to_string()));
                i = end;
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1; // flags
                }
            }
            b'"' | b'\'' | b'`' => {
                let (body, end) = delimited(b, i, c);
                out.push(Tok::Str(text[i + 1..body].to_string()));
                i = end;
            }
            _ if c == b'_' || c == b'$' || c.is_ascii_alphabetic() => {
                let start = i;
                while i < b.len() && (b[i] == b'_' || b[i] == b'$' || b[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
                out.push(Tok::Ident(text[start..i].to_string()));
            }
            _ if c.is_ascii_whitespace() || c.is_ascii_digit() || !c.is_ascii() => i += 1,
            _ => {
                out.push(Tok::Punct(c as char));
                i += 1;
            }
        }
    }
    out
}

/// The end of a quoted (or regex) literal opened at `start`: (index of the
/// closing delimiter, index after it). Escapes skipped; a regex's `[...]` may
/// hold `/`. An unclosed literal runs to the end of the text.
fn delimited(b: &[u8], start: usize, quote: u8) -> (usize, usize) {
    let mut i = start + 1;
    let mut class = false;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' if quote == b'/' => class = true,
            b']' if quote == b'/' => class = false,
            b'\n' if quote != b'`' => return (i, i),
            x if x == quote && !class => return (i, i + 1),
            _ => {}
        }
        i += 1;
    }
    (b.len(), b.len())
}

/// Index just past the bracket closing the one at `open`.
fn close(toks: &[Tok], open: usize) -> usize {
    let mut depth = 0i32;
    for (k, t) in toks.iter().enumerate().skip(open) {
        match t {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return k + 1;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

/// The value tokens of `key:` directly inside `toks` (an object's body).
fn value_of<'t>(toks: &'t [Tok], key: &str) -> Option<&'t [Tok]> {
    let mut k = 0;
    while k + 1 < toks.len() {
        let is_key = matches!(&toks[k], Tok::Ident(s) | Tok::Str(s) if s == key) && toks[k + 1] == Tok::Punct(':');
        if is_key {
            let start = k + 2;
            let mut end = start;
            while end < toks.len() && toks[end] != Tok::Punct(',') && toks[end] != Tok::Punct('}') {
                end = if matches!(toks[end], Tok::Punct('(' | '[' | '{')) { close(toks, end) } else { end + 1 };
            }
            return Some(&toks[start..end]);
        }
        k = if matches!(toks[k], Tok::Punct('(' | '[' | '{')) { close(toks, k) } else { k + 1 };
    }
    None
}

/// `^/api` (escaped `^\/api` too) as the literal prefix it matches.
fn anchored_prefix(pattern: &str) -> Option<String> {
    let p = pattern.strip_prefix('^')?.replace("\\/", "/");
    let plain = p.chars().all(|c| c.is_ascii_alphanumeric() || "/-_.".contains(c));
    (plain && p.starts_with('/')).then_some(p)
}

/// The rule for `prefix` proxied to `target`, the prefix replaced by
/// `rewrite` when given (see the module doc for the pair's meaning).
fn rule(prefix: &str, target: &str, rewrite: Option<&str>) -> Option<(String, String)> {
    if !is_url(target) {
        return None;
    }
    let base = target.trim_end_matches('/');
    let has_path = target.split_once("://").is_some_and(|(_, rest)| rest.trim_end_matches('/').contains('/'));
    let target = match rewrite {
        // The prefix is replaced by the rewrite, after the target's own path.
        Some(to) => format!("{base}{}", if to.is_empty() { "/" } else { to }),
        // The whole path is kept after the target's path.
        None if has_path => format!("{base}{prefix}"),
        None => target.to_string(),
    };
    Some((prefix.to_string(), target))
}

/// `app.use(...)` calls of a `setupProxy.js` whose arguments build a proxy with a literal `target`.
fn setup_proxy(toks: &[Tok]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for k in 0..toks.len().saturating_sub(2) {
        let call =
            toks[k] == Tok::Punct('.') && toks[k + 1] == Tok::Ident("use".into()) && toks[k + 2] == Tok::Punct('(');
        if !call {
            continue;
        }
        let args = &toks[k + 3..close(toks, k + 2).saturating_sub(1).max(k + 3)];
        let Some(open) = args.iter().position(|t| *t == Tok::Punct('{')) else { continue };
        let options = &args[open + 1..close(args, open).saturating_sub(1).max(open + 1)];
        let Some([Tok::Str(target)]) = value_of(options, "target") else { continue };
        // Paths: literals before the options object (`app.use('/api', …)`,
        // `createProxyMiddleware(['/a', '/b'], …)`), or `pathFilter: '/api'`.
        let mut prefixes: Vec<&str> = args[..open]
            .iter()
            .filter_map(|t| match t {
                Tok::Str(s) if s.starts_with('/') => Some(s.as_str()),
                _ => None,
            })
            .collect();
        match value_of(options, "pathFilter") {
            Some([Tok::Str(p)]) if p.starts_with('/') => prefixes.push(p),
            Some(_) => continue, // a glob list or a function: not read
            None => {}
        }
        if args[..open].iter().any(|t| matches!(t, Tok::Str(s) if !s.starts_with('/'))) {
            continue; // a glob (`'**/*.json'`) or a path not read
        }
        if prefixes.is_empty() {
            prefixes.push("");
        }
        // `pathRewrite: { '^/api': '' }`: one prefix replacement; other forms are not read.
        let rewrite = match value_of(options, "pathRewrite") {
            None => None,
            Some(
                [Tok::Punct('{'), Tok::Str(from), Tok::Punct(':'), Tok::Str(to), Tok::Punct('}')]
                | [Tok::Punct('{'), Tok::Str(from), Tok::Punct(':'), Tok::Str(to), Tok::Punct(','), Tok::Punct('}')],
            ) => match anchored_prefix(from) {
                Some(p) if prefixes.iter().all(|x| *x == p) => Some(to.as_str()),
                _ => continue,
            },
            Some(_) => continue,
        };
        out.extend(prefixes.iter().filter_map(|p| rule(p, target, rewrite)));
    }
    out
}

/// `server: { proxy: { '/api': … } }` of a Vite config.
fn vite_proxy(toks: &[Tok]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for k in 0..toks.len().saturating_sub(2) {
        let at =
            toks[k] == Tok::Ident("proxy".into()) && toks[k + 1] == Tok::Punct(':') && toks[k + 2] == Tok::Punct('{');
        if !at {
            continue;
        }
        let body = &toks[k + 3..close(toks, k + 2).saturating_sub(1).max(k + 3)];
        let mut e = 0;
        while e + 2 < body.len() {
            let (Tok::Str(prefix), Tok::Punct(':')) = (&body[e], &body[e + 1]) else {
                e += 1;
                continue;
            };
            let value = value_of(&body[e..], prefix).unwrap_or(&[]);
            e += 2 + value.len();
            if !prefix.starts_with('/') {
                continue; // `'^/fallback/.*'` keys are regular expressions
            }
            match value {
                [Tok::Str(target)] => out.extend(rule(prefix, target, None)),
                [Tok::Punct('{'), inner @ .., Tok::Punct('}')] => {
                    let Some([Tok::Str(target)]) = value_of(inner, "target") else { continue };
                    let rewrite = match value_of(inner, "rewrite") {
                        None => None,
                        Some(r) => match vite_rewrite(r) {
                            Some((from, to)) if from == *prefix => Some(to),
                            _ => continue,
                        },
                    };
                    out.extend(rule(prefix, target, rewrite));
                }
                _ => {}
            }
        }
    }
    out
}

/// `(path) => path.replace(/^\/api/, '')` → (`/api`, ``).
fn vite_rewrite(toks: &[Tok]) -> Option<(String, &str)> {
    let at = toks.iter().position(|t| *t == Tok::Ident("replace".into()))?;
    match toks.get(at + 1..at + 6)? {
        [Tok::Punct('('), Tok::Regex(r), Tok::Punct(','), Tok::Str(to), Tok::Punct(')')] => {
            Some((anchored_prefix(r)?, to.as_str()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn create_react_app_package_proxy_is_every_path() {
        let r = rules("package.json", r#"{"name": "web", "proxy": "http://backend:3000"}"#);
        assert_eq!(r, pairs(&[("", "http://backend:3000")]));
        assert!(rules("package.json", r#"{"proxy": {"/api": {"target": "x"}}}"#).is_empty());
    }

    #[test]
    fn setup_proxy_forms() {
        let text = r#"
const { createProxyMiddleware } = require("http-proxy-middleware");
// app.use("/old", createProxyMiddleware({ target: "http://old" }));
module.exports = function (app) {
  app.use("/api", createProxyMiddleware({ target: "http://backend", pathRewrite: { "^/api": "" } }));
  app.use(createProxyMiddleware(["/auth", "/users"], { target: "http://accounts:8080/v2", changeOrigin: true }));
  app.use(createProxyMiddleware({ pathFilter: "/ws", target: "http://chat:9000" }));
  app.use("/odd", createProxyMiddleware({ target: "http://x", pathRewrite: (p) => p }));
  app.use("/env", createProxyMiddleware({ target: process.env.API }));
};"#;
        assert_eq!(
            rules("setupProxy.js", text),
            pairs(&[
                ("/api", "http://backend/"),
                ("/auth", "http://accounts:8080/v2/auth"),
                ("/users", "http://accounts:8080/v2/users"),
                ("/ws", "http://chat:9000"),
            ])
        );
    }

    #[test]
    fn vite_server_proxy_forms() {
        let text = r#"
import { defineConfig } from 'vite'
export default defineConfig({
  server: {
    port: 5173,
    proxy: {
      '/foo': 'http://localhost:4567',
      '/api': { target: 'http://localhost:8000', changeOrigin: true, rewrite: (path) => path.replace(/^\/api/, '') },
      '/v1': { target: 'http://gw:80', rewrite: (path) => path.replace(/^\/other/, '') },
      '^/fallback/.*': { target: 'http://jsonplaceholder.typicode.com' },
    },
  },
})"#;
        assert_eq!(
            rules("vite.config.ts", text),
            pairs(&[("/foo", "http://localhost:4567"), ("/api", "http://localhost:8000/")])
        );
        assert!(rules("vite.config.ts", "export default { plugins: [react()] }").is_empty());
        assert!(rules("vite.config.json", "proxy: { '/a': 'http://b' }").is_empty());
    }

    #[test]
    fn odd_text_is_no_rule_and_no_panic() {
        for t in
            ["app.use(", "proxy: {", "'/a': ", "/", "a / b / c", "x = /[/]/; app.use('/a', p({target: 'http://h'}))"]
        {
            let _ = rules("setupProxy.js", t);
            let _ = rules("vite.config.js", t);
        }
        assert_eq!(rules("setupProxy.js", "x = /[/]/; app.use('/a', p({target: 'http://h'}))").len(), 1);
    }
}
