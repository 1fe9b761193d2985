//! Helm charts, read without rendering them: what a static reader can know.
//!
//! A chart is a directory holding `Chart.yaml`; its `templates/` are Go templates,
//! not YAML until Helm renders them with a release name and the user's values.
//! Tapestry renders only what needs neither: `{{ .Values.a.b }}` (with `default`,
//! `quote`, `trunc`, `trimSuffix`, `printf "%s"`) from the chart's `values.yaml`,
//! `{{ .Chart.Name }}`, the named templates of `templates/_helpers.tpl` (`{{ include
//! "x.name" . }}`, `{{ template "x.name" . }}`) whose every part is known, the branches of
//! `{{ if .Values.x }}` whose value `values.yaml` gives, `{{ .Files.Get "f" }}` under a
//! ConfigMap's `data:` (the file's keys) and `{{ toYaml .Values.env }}` /
//! `{{ range $k, $v := .Values.env }}` under a container's `env:` (the values' list
//! or map). Every other action is unknown: it is rendered as a marker, so two
//! templates writing the same expression (`{{ .Release.Name }}-configmap` in the
//! ConfigMap and in the Deployment's `envFrom`) still name one object, and an
//! environment value holding one is an info diagnostic, never a value. Services tie a
//! chart to its code ([`super::services`]); a chart's Service is named like the chart
//! (the default `fullname` of a release named after its chart), or `fullnameOverride`.

use std::collections::BTreeMap;

use super::yaml::{self, Yaml};
use super::{dir_of, is_under, join, Project};
use crate::diagnostic::{Diagnostic, Severity};

/// One chart, as far as it can be read statically.
pub struct Chart {
    /// The chart's directory (holding `Chart.yaml`).
    pub dir: String,
    /// `name` of `Chart.yaml`, else the directory's name.
    pub name: String,
    /// Host names of the chart's Service: the chart's name, a literal
    /// `fullnameOverride`, a Service template's literal name.
    pub hosts: Vec<String>,
    /// Workload containers: (template file, container), env entries whose value is
    /// not known left out (each an info diagnostic).
    pub containers: Vec<(String, Yaml)>,
    /// ConfigMaps: (template file, name as rendered, `data`).
    pub configmaps: Vec<(String, String, BTreeMap<String, String>)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Text standing for an action tapestry cannot evaluate (followed by the action's
/// words): never part of a known value.
const UNKNOWN: &str = "__helm_";

/// The directories of the project's charts (each holding a `Chart.yaml`), sorted.
pub fn chart_dirs(project: &Project) -> Vec<String> {
    let mut dirs: Vec<String> = project
        .manifests
        .iter()
        .filter(|m| super::services::file_name(m) == "Chart.yaml")
        .map(|m| dir_of(m).to_string())
        .collect();
    dirs.sort();
    dirs
}

/// Every chart of the project, read.
pub fn charts(project: &Project, dirs: &[String]) -> Vec<Chart> {
    dirs.iter().filter_map(|d| chart(project, d)).collect()
}

fn read_one(project: &Project, rel: &str) -> Option<Yaml> {
    let text = project.read(rel).ok()?;
    if text.len() > super::services::MAX_YAML || text.contains("{{") {
        return None;
    }
    yaml::parse(&text).ok()?.into_iter().next()
}

fn chart(project: &Project, dir: &str) -> Option<Chart> {
    let meta = read_one(project, &join(dir, "Chart.yaml")?)?;
    let name = meta
        .get("name")
        .and_then(Yaml::str)
        .map_or_else(|| super::services::file_name(dir).to_string(), str::to_string);
    let values = join(dir, "values.yaml").and_then(|v| read_one(project, &v)).unwrap_or(Yaml::Null);
    let templates = join(dir, "templates")?;
    let helpers = join(&templates, "_helpers.tpl").and_then(|h| project.read(&h).ok()).unwrap_or_default();
    let defines = defines(&helpers);
    let ctx = Ctx { name: &name, meta: &meta, values: &values, defines: &defines, depth: std::cell::Cell::new(0) };
    let mut c = Chart {
        dir: dir.to_string(),
        name: name.clone(),
        hosts: vec![name.clone()],
        containers: Vec::new(),
        configmaps: Vec::new(),
        diagnostics: Vec::new(),
    };
    if let Value::Known(f) = ctx.lookup("fullnameOverride") {
        if !f.is_empty() && f != name {
            c.hosts.push(f);
        }
    }
    for rel in project.manifests.iter().filter(|m| is_under(m, &templates) && !m.contains("/tests/")) {
        let Ok(text) = project.read(rel) else { continue };
        if text.len() > super::services::MAX_YAML {
            continue;
        }
        // A template with no action is a plain manifest: read as one, with the others.
        if !text.contains("{{") {
            continue;
        }
        let (rendered, uses) = render(&ctx, &text);
        let Ok(docs) = yaml::parse(&rendered) else { continue };
        for doc in &docs {
            c.read_doc(project, &ctx, rel, doc, &uses);
        }
    }
    // A chart of several workloads (one chart for a whole application) speaks for its
    // service only through the container named like the chart.
    if c.containers.len() > 1 {
        c.containers.retain(|(_, x)| x.get("name").and_then(Yaml::str) == Some(name.as_str()));
    }
    Some(c)
}

/// What a line's action brought in that the rendered text leaves out: a values
/// subtree (`toYaml .Values.env`, `range … := .Values.env`, `with .Values.env`) or a
/// chart file (`.Files.Get "config.yaml"`), by line.
#[derive(Debug, PartialEq)]
enum Use {
    Values(String),
    File(String),
}

/// A value an action evaluates to.
enum Value<'a> {
    Known(String),
    /// A map or list of `values.yaml`: (its dotted path, the tree).
    Tree(String, &'a Yaml),
    /// A `.Values` path `values.yaml` does not give (Helm renders it empty).
    Missing,
    Unknown,
}

struct Ctx<'a> {
    name: &'a str,
    meta: &'a Yaml,
    values: &'a Yaml,
    /// The chart's named templates (`{{ define "x.fullname" }}…{{ end }}`): name → body.
    defines: &'a BTreeMap<String, String>,
    /// How many `include`s deep the evaluation is (a template including itself stops).
    depth: std::cell::Cell<u8>,
}

/// The named templates of a helpers file: `{{- define "x.name" -}}` up to its `{{- end }}`,
/// the blocks opened inside counted.
fn defines(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut s = text;
    while let Some(open) = s.find("{{") {
        let Some(close) = s[open..].find("}}").map(|c| open + c) else { break };
        let action = trim_action(&s[open + 2..close]);
        s = &s[close + 2..];
        let Some(name) = action.strip_prefix("define").map(str::trim).and_then(unquote) else { continue };
        let (mut depth, mut at) = (1, 0);
        let mut rest = s;
        while let Some(o) = rest.find("{{") {
            let Some(c) = rest[o..].find("}}").map(|c| o + c) else { break };
            match trim_action(&rest[o + 2..c]).split_whitespace().next() {
                Some("if" | "with" | "range" | "define" | "block") => depth += 1,
                Some("end") => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                at += o;
                break;
            }
            at += c + 2;
            rest = &rest[c + 2..];
        }
        if depth == 0 {
            out.insert(name.to_string(), s[..at].to_string());
            s = &s[at..];
        }
    }
    out
}

/// An action's inner text, trim markers and spaces removed.
fn trim_action(inner: &str) -> &str {
    inner.trim_start_matches('-').trim_end_matches('-').trim()
}

/// `"text"` without its quotes.
fn unquote(w: &str) -> Option<&str> {
    w.strip_prefix('"').and_then(|s| s.strip_suffix('"')).filter(|s| !s.contains('"'))
}

impl<'a> Ctx<'a> {
    fn lookup(&self, path: &str) -> Value<'a> {
        let mut v = self.values;
        for key in path.split('.').filter(|k| !k.is_empty()) {
            match v.get(key) {
                Some(x) => v = x,
                None => return Value::Missing,
            }
        }
        match v {
            Yaml::Scalar(s) => Value::Known(s.clone()),
            Yaml::Null => Value::Missing,
            tree => Value::Tree(path.to_string(), tree),
        }
    }

    /// One command of a pipeline (`.Values.x`, `default "a"`, `quote`), given the
    /// value piped into it.
    fn command(&self, words: &[&str], piped: Option<Value<'a>>) -> Value<'a> {
        match (words, piped) {
            ([w], None) => self.operand(w),
            (["default", d], Some(Value::Missing)) => self.operand(d),
            (["default", _], Some(v)) => v,
            (["default", d, x], None) => match self.operand(x) {
                Value::Missing => self.operand(d),
                v => v,
            },
            (["quote"], Some(Value::Known(s))) => {
                Value::Known(format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")))
            }
            (["toString"] | ["toYaml"] | ["nindent" | "indent", _], Some(v)) => v,
            (["toYaml", x], None) => self.operand(x),
            (["include" | "template", n, "." | "$"], None) => unquote(n).map_or(Value::Unknown, |n| self.include(n)),
            (["trunc", n], Some(Value::Known(s))) => match n.parse::<usize>() {
                Ok(n) => Value::Known(s.chars().take(n).collect()),
                Err(_) => Value::Unknown,
            },
            (["trimSuffix", x], Some(Value::Known(s))) => match unquote(x) {
                Some(x) => Value::Known(s.strip_suffix(x).unwrap_or(&s).to_string()),
                None => Value::Unknown,
            },
            (["printf", f, args @ ..], None) => self.printf(f, args),
            _ => Value::Unknown,
        }
    }

    fn operand(&self, w: &str) -> Value<'a> {
        if let Some(path) = w.strip_prefix(".Values.").or_else(|| w.strip_prefix("$.Values.")) {
            return self.lookup(path);
        }
        if let Some(s) = unquote(w) {
            return Value::Known(s.to_string());
        }
        let meta =
            |k: &str| self.meta.get(k).and_then(Yaml::str).map_or(Value::Missing, |s| Value::Known(s.to_string()));
        match w {
            ".Chart.Name" | "$.Chart.Name" => Value::Known(self.name.to_string()),
            ".Chart.Version" | "$.Chart.Version" => meta("version"),
            ".Chart.AppVersion" | "$.Chart.AppVersion" => meta("appVersion"),
            _ => Value::Unknown,
        }
    }

    /// `printf "%s-%s" .Chart.Name "api"`: each `%s` the next argument, all known.
    fn printf(&self, format: &str, args: &[&str]) -> Value<'a> {
        let Some(format) = unquote(format) else { return Value::Unknown };
        let pieces: Vec<&str> = format.split("%s").collect();
        if pieces.len() != args.len() + 1 || pieces.iter().any(|p| p.contains('%')) {
            return Value::Unknown;
        }
        let mut out = pieces[0].to_string();
        for (a, p) in args.iter().zip(&pieces[1..]) {
            let Value::Known(v) = self.operand(a) else { return Value::Unknown };
            out.push_str(&v);
            out.push_str(p);
        }
        Value::Known(out)
    }

    /// A named template's text (`include "x.fullname" .`), when each of its parts is
    /// known: its text and actions of the branches taken, joined with the text's
    /// spaces left out (a name has none). An action not known, or text under a branch
    /// not known (`{{ if contains $name .Release.Name }}`), leaves it unknown.
    fn include(&self, name: &str) -> Value<'a> {
        let Some(body) = self.defines.get(name).filter(|_| self.depth.get() < 4) else { return Value::Unknown };
        self.depth.set(self.depth.get() + 1);
        let v = self.named(body);
        self.depth.set(self.depth.get() - 1);
        v
    }

    fn named(&self, body: &str) -> Value<'a> {
        let mut out = String::new();
        let mut stack: Vec<Frame> = Vec::new();
        let state = |stack: &[Frame]| stack.iter().map(|f| f.branch).find(|b| *b != Branch::Yes);
        let mut s = body;
        loop {
            let (text, rest) = s.find("{{").map_or((s, None), |o| (&s[..o], Some(&s[o + 2..])));
            match (text.trim(), state(&stack)) {
                ("", _) | (_, Some(Branch::No)) => {}
                // Text of a name: one word (several lines, `app: x` labels, are no name).
                (t, None) if !t.contains(|c: char| c.is_whitespace() || c == ':') => out.push_str(t),
                _ => return Value::Unknown,
            }
            let Some(rest) = rest else { break };
            let Some(close) = rest.find("}}") else { return Value::Unknown };
            let action = trim_action(&rest[..close]);
            s = &rest[close + 2..];
            if action.starts_with("/*") {
                continue;
            }
            if is_control(action) {
                control(self, action, &mut stack, |st| state(st).is_none(), 0, &mut Vec::new());
                continue;
            }
            match (state(&stack), self.eval(action)) {
                (Some(Branch::No), _) => {}
                (None, Value::Known(v)) => out.push_str(&v),
                _ => return Value::Unknown,
            }
        }
        if out.is_empty() {
            Value::Unknown
        } else {
            Value::Known(out)
        }
    }

    /// An action's pipeline (`.Values.port | default 80 | quote`).
    fn eval(&self, action: &str) -> Value<'a> {
        let mut v = None;
        for cmd in action.split('|') {
            let words: Vec<&str> = cmd.split_whitespace().collect();
            if words.is_empty() {
                return Value::Unknown;
            }
            v = Some(self.command(&words, v));
        }
        v.unwrap_or(Value::Unknown)
    }
}

/// Whether a branch of `if`/`with` is taken.
#[derive(Clone, Copy, PartialEq)]
enum Branch {
    Yes,
    No,
    Unknown,
}

fn truthy(v: &Value) -> Branch {
    match v {
        Value::Known(s) => match s.as_str() {
            "" | "false" | "0" => Branch::No,
            _ => Branch::Yes,
        },
        Value::Tree(_, t) => match t {
            Yaml::Seq(x) if x.is_empty() => Branch::No,
            Yaml::Map(x) if x.is_empty() => Branch::No,
            _ => Branch::Yes,
        },
        Value::Missing => Branch::No,
        Value::Unknown => Branch::Unknown,
    }
}

/// An open block: its branch, and whether an earlier branch of it was taken.
struct Frame {
    branch: Branch,
    taken: bool,
}

/// The template's text with each line kept in place (a line of actions only, or one
/// no branch is known to render, is blank), and what actions left out, by line.
fn render(ctx: &Ctx, text: &str) -> (String, Vec<(u32, Use)>) {
    let mut out = String::with_capacity(text.len());
    let mut uses = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut comment = false;
    for (n, line) in text.lines().enumerate() {
        let ln = u32::try_from(n + 1).unwrap_or(u32::MAX);
        if comment {
            comment = !line.contains("*/");
            out.push('\n');
            continue;
        }
        let (actions, rest) = split_actions(line);
        if let Some(last) = actions.last() {
            comment = last.starts_with("/*") && !last.contains("*/");
        }
        let live = |stack: &[Frame]| stack.iter().all(|f| f.branch == Branch::Yes);
        if !actions.is_empty() && rest.trim().is_empty() {
            for a in &actions {
                control(ctx, a, &mut stack, live, ln, &mut uses);
            }
            out.push('\n');
            continue;
        }
        if !live(&stack) || actions.iter().any(|a| is_control(a)) {
            out.push('\n');
            continue;
        }
        out.push_str(&substitute(ctx, line, ln, &mut uses));
        out.push('\n');
    }
    (out, uses)
}

/// The actions of a line (their inner text, trim markers and spaces removed) and
/// the text around them.
fn split_actions(line: &str) -> (Vec<&str>, String) {
    let mut actions = Vec::new();
    let mut rest = String::new();
    let mut s = line;
    while let Some(open) = s.find("{{") {
        rest.push_str(&s[..open]);
        let Some(close) = s[open..].find("}}") else {
            actions.push(s[open + 2..].trim_start_matches('-').trim());
            return (actions, rest);
        };
        let inner = &s[open + 2..open + close];
        actions.push(inner.trim_start_matches('-').trim_end_matches('-').trim());
        s = &s[open + close + 2..];
    }
    rest.push_str(s);
    (actions, rest)
}

fn is_control(a: &str) -> bool {
    let first = a.split_whitespace().next().unwrap_or("");
    matches!(first, "if" | "else" | "end" | "with" | "range" | "define" | "block")
}

/// An action on a line of its own: blocks open and close, and a values subtree or
/// chart file it brings in is noted at its line.
fn control(
    ctx: &Ctx,
    a: &str,
    stack: &mut Vec<Frame>,
    live: impl Fn(&[Frame]) -> bool,
    ln: u32,
    uses: &mut Vec<(u32, Use)>,
) {
    let words: Vec<&str> = a.split_whitespace().collect();
    let parent = live(stack);
    let branch = |cond: &[&str]| match cond {
        ["not", rest @ ..] => match truthy(&ctx.eval(&rest.join(" "))) {
            Branch::Yes => Branch::No,
            Branch::No => Branch::Yes,
            Branch::Unknown => Branch::Unknown,
        },
        _ => truthy(&ctx.eval(&cond.join(" "))),
    };
    match words.as_slice() {
        ["if", cond @ ..] => {
            let b = if parent { branch(cond) } else { Branch::No };
            stack.push(Frame { branch: b, taken: b == Branch::Yes });
        }
        ["else", "if", cond @ ..] => {
            if let Some(f) = stack.last_mut() {
                f.branch = match (f.taken, f.branch) {
                    (true, _) => Branch::No,
                    (false, Branch::Unknown) => Branch::Unknown,
                    (false, _) => branch(cond),
                };
                f.taken |= f.branch == Branch::Yes;
            }
        }
        ["else"] => {
            if let Some(f) = stack.last_mut() {
                f.branch = match (f.taken, f.branch) {
                    (true, _) => Branch::No,
                    (false, Branch::Unknown) => Branch::Unknown,
                    (false, _) => Branch::Yes,
                };
            }
        }
        ["end"] => {
            stack.pop();
        }
        ["with", x] => {
            let v = ctx.eval(x);
            if let (true, Value::Tree(p, _)) = (parent, &v) {
                uses.push((ln, Use::Values(p.clone())));
            }
            stack.push(Frame { branch: if parent { truthy(&v) } else { Branch::No }, taken: false });
        }
        ["range", .., x] => {
            if let (true, Value::Tree(p, _)) = (parent, ctx.eval(x)) {
                uses.push((ln, Use::Values(p)));
            }
            stack.push(Frame { branch: Branch::Unknown, taken: false });
        }
        ["define" | "block", ..] => stack.push(Frame { branch: Branch::No, taken: false }),
        _ if parent => {
            if let Some(f) = files_get(a) {
                uses.push((ln, Use::File(f)));
            } else if let Value::Tree(p, _) = ctx.eval(a) {
                uses.push((ln, Use::Values(p)));
            }
        }
        _ => {}
    }
}

/// `.Files.Get "config.yaml" | nindent 4`: the file.
fn files_get(a: &str) -> Option<String> {
    let rest = a.trim_start_matches('(').strip_prefix(".Files.Get")?.trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

/// A line with its actions replaced by their values (a subtree by nothing, noted
/// at the line; an unknown action by a marker naming its words).
fn substitute(ctx: &Ctx, line: &str, ln: u32, uses: &mut Vec<(u32, Use)>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut s = line;
    while let Some(open) = s.find("{{") {
        out.push_str(&s[..open]);
        let Some(close) = s[open..].find("}}") else { break };
        let inner = s[open + 2..open + close].trim_start_matches('-').trim_end_matches('-').trim();
        match ctx.eval(inner) {
            Value::Known(v) => out.push_str(&v),
            Value::Tree(p, _) => uses.push((ln, Use::Values(p))),
            Value::Missing | Value::Unknown => {
                out.push_str(UNKNOWN);
                out.extend(inner.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' }));
                out.push_str("__");
            }
        }
        s = &s[open + close + 2..];
    }
    out.push_str(s);
    out
}

/// The first use noted from a key's line to the line before the next key (`env:`,
/// its entries, then `{{- toYaml .Values.env | nindent 12 }}`).
fn use_in(uses: &[(u32, Use)], from: u32, to: u32) -> Option<&Use> {
    uses.iter().find(|(l, _)| (from..to).contains(l)).map(|(_, u)| u)
}

fn known(s: &str) -> bool {
    !s.contains(UNKNOWN)
}

impl Chart {
    fn read_doc(&mut self, project: &Project, ctx: &Ctx, rel: &str, doc: &Yaml, uses: &[(u32, Use)]) {
        let kind = doc.get("kind").and_then(Yaml::str).unwrap_or("");
        let name = doc.get("metadata").and_then(|m| m.get("name")).and_then(Yaml::str);
        match kind {
            "Deployment" | "StatefulSet" | "DaemonSet" => {
                let spec = doc.get("spec").and_then(|x| x.get("template")).and_then(|x| x.get("spec"));
                let containers = spec.and_then(|x| x.get("containers")).map(Yaml::items).unwrap_or(&[]);
                // The chart's own container: the only one, else the one named like the chart.
                let chart = self.name.clone();
                let own = |c: &Yaml| containers.len() == 1 || c.get("name").and_then(Yaml::str) == Some(&chart);
                for (c, _) in containers.iter().filter(|(c, _)| own(c)) {
                    let c = self.container(ctx, rel, c, uses);
                    self.containers.push((rel.to_string(), c));
                }
            }
            "ConfigMap" => {
                let Some(name) = name else { return };
                let mut data: BTreeMap<String, String> = BTreeMap::new();
                if let Some((d, line)) = doc.entry("data") {
                    for (k, v, _) in d.entries() {
                        if let Some(v) = v.str().filter(|v| known(v) && known(k)) {
                            data.insert(k.clone(), v.to_string());
                        }
                    }
                    if let Some(Use::File(f)) = use_in(uses, line, line + 3) {
                        let file = join(&self.dir, f).and_then(|f| read_one(project, &f));
                        for (k, v, _) in file.as_ref().map(Yaml::entries).unwrap_or(&[]) {
                            if let Some(v) = v.str() {
                                data.insert(k.clone(), v.to_string());
                            }
                        }
                    }
                }
                self.configmaps.push((rel.to_string(), name.to_string(), data));
            }
            "Service" => {
                if let Some(n) = name.filter(|n| known(n) && !self.hosts.iter().any(|h| h == n)) {
                    self.hosts.push(n.to_string());
                }
            }
            _ => {}
        }
    }

    /// A container with the env entries the chart gives (`toYaml .Values.env` read
    /// from `values.yaml`) and without those whose value is not known.
    fn container(&mut self, ctx: &Ctx, rel: &str, c: &Yaml, uses: &[(u32, Use)]) -> Yaml {
        let Yaml::Map(entries) = c else { return c.clone() };
        let mut out = entries.clone();
        let lines: Vec<u32> = entries.iter().map(|(_, _, l)| *l).collect();
        for (key, value, line) in &mut out {
            // The key's block ends at the container's next key.
            let end = lines.iter().copied().filter(|l| l > line).min().unwrap_or(u32::MAX);
            match key.as_str() {
                "env" => {
                    let mut items = Vec::new();
                    for (e, l) in value.items() {
                        // (An item's own line is where it ends: its `name`'s is where it is written.)
                        let name = e.entry("name").and_then(|(n, l)| Some((n.str()?, l))).filter(|(n, _)| known(n));
                        let Some((name, at)) = name else { continue };
                        match e.get("value").and_then(Yaml::str) {
                            Some(v) if !known(v) => self.unknown(rel, at, name),
                            _ => items.push((e.clone(), *l)),
                        }
                    }
                    if let Some(Use::Values(p)) = use_in(uses, *line, end) {
                        if let Value::Tree(_, tree) = ctx.lookup(p) {
                            items.extend(values_env(tree, *line));
                        }
                    }
                    *value = Yaml::Seq(items);
                }
                // A port Helm fills in from something not known is no port.
                "ports" => {
                    let items = value.items().iter().filter(|(p, _)| {
                        p.get("containerPort").and_then(Yaml::str).is_none_or(|v| v.parse::<u16>().is_ok())
                    });
                    *value = Yaml::Seq(items.cloned().collect());
                }
                _ => {}
            }
        }
        Yaml::Map(out)
    }

    fn unknown(&mut self, rel: &str, line: u32, name: &str) {
        let msg = format!("Helm value of `{name}` is known only when the chart is rendered: not read");
        self.diagnostics.push(Diagnostic::new(rel, Some(line), Severity::Info, msg));
    }
}

/// Environment entries a chart's values give: a list of `{name, value}` (as a
/// container's `env`), or a map of names to values.
fn values_env(tree: &Yaml, line: u32) -> Vec<(Yaml, u32)> {
    match tree {
        Yaml::Seq(items) => items.iter().filter(|(e, _)| e.get("name").is_some()).cloned().collect(),
        Yaml::Map(m) => m
            .iter()
            .filter_map(|(k, v, _)| {
                let v = v.str()?;
                let e = vec![
                    ("name".to_string(), Yaml::Scalar(k.clone()), line),
                    ("value".to_string(), Yaml::Scalar(v.to_string()), line),
                ];
                Some((Yaml::Map(e), line))
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_values_chart_names_and_known_branches() {
        let values =
            yaml::parse("port: 8000\nimage:\n  tag: v1\non: true\noff: false\nenv:\n  - name: A\n    value: b\n")
                .unwrap()
                .remove(0);
        let meta = Yaml::Null;
        let defines = BTreeMap::new();
        let ctx = Ctx { name: "api", meta: &meta, values: &values, defines: &defines, depth: std::cell::Cell::new(0) };
        let text = "a: {{ .Values.port }}\nb: {{ .Chart.Name }}-x\n{{- if .Values.off }}\nc: 1\n{{- else }}\nd: 2\n{{- end }}\n\
                    e: {{ .Values.nope | default \"z\" | quote }}\nenv:\n  {{- toYaml .Values.env | nindent 2 }}\n\
                    f: {{ .Release.Name }}-cm\n{{- if .Values.on }}\ng: 3\n{{- end }}\n";
        let (out, uses) = render(&ctx, text);
        assert_eq!(out, "a: 8000\nb: api-x\n\n\n\nd: 2\n\ne: \"z\"\nenv:\n\nf: __helm_.Release.Name__-cm\n\ng: 3\n\n");
        assert_eq!(uses, vec![(10, Use::Values("env".into()))]);
    }
}
