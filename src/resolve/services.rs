//! Services: which deployable units exist, where their code lives, and how
//! they are deployed (ports, environment, dependencies).
//!
//! Sources, in order, each refining the last:
//! 1. manifests: a Cargo package with a binary target, a `package.json` with
//!    a `start` script, a script that runs a frontend dev server
//!    (`vue-cli-service serve`, `vite`, `ng serve`, …) or a server framework
//!    dependency, a Python project
//!    (`pyproject.toml`, `setup.py`, `requirements.txt`) with a web framework
//!    or a `__main__.py`, a directory with a `Dockerfile`; Python apps (a module
//!    building a server at its top level, `manage.py`) in sibling directories of
//!    one project, or beside a requirements file of their own;
//! 2. compose files (`docker-compose*.yml`, `compose*.yaml`): a `build`
//!    context names the directory of a service (the compose name wins, since
//!    it is the host name other services call); image-only services are
//!    infrastructure (`infra`, with their image);
//! 3. Kubernetes manifests: Deployments (and StatefulSets) matched to a
//!    source service by image or name, Services as host aliases;
//! 4. `tapestry.toml` `[services]`: `name = "dir"` or `name = ["dir", …]`.
//!
//! Every module then belongs to the innermost service whose directory holds it.

use std::collections::{BTreeMap, BTreeSet};

use super::yaml::{self, Yaml};
use super::{builds, devproxy, dir_of, gateway, helm, in_sorted, is_under, join, Project};
use crate::diagnostic::Diagnostic;
use crate::graph::PortSite;

/// Python distributions that make a project a web service (sorted).
const PY_WEB: &[&str] = &[
    "aiohttp",
    "connexion",
    "django",
    "falcon",
    "fastapi",
    "flask",
    "grpcio",
    "litestar",
    "quart",
    "sanic",
    "starlette",
    "tornado",
];

/// npm packages that make a package a server (sorted).
const NPM_SERVERS: &[&str] =
    &["@grpc/grpc-js", "@hapi/hapi", "@nestjs/core", "express", "fastify", "hono", "koa", "next", "restify"];

/// Commands that run a frontend's development server: a package whose scripts
/// run one is an application someone serves, not a library (sorted).
const DEV_SERVERS: &[&str] =
    &["astro dev", "ng serve", "nuxi dev", "nuxt dev", "vite", "vite dev", "vue-cli-service serve", "webpack serve"];

/// Directory names that say nothing about a service (`cart/src/Dockerfile` is `cart`; sorted).
const GENERIC_DIRS: &[&str] = &[".docker", "app", "docker", "server", "src"];

/// Subdirectories a service keeps its image build files in (sorted): a compose build of a
/// Dockerfile there that copies the code above it builds that code ([`packaged_code_dir`]).
const PACKAGING_DIRS: &[&str] = &[".docker", "build", "deploy", "docker"];

/// Keys of environment entries whose values are secrets, redacted in reports.
const SECRET_WORDS: &[&str] = &["KEY", "PASS", "SECRET", "TOKEN"];

#[derive(Debug, Clone, Default)]
pub struct Service {
    pub name: String,
    /// Directories holding the service's code (relative, `""` is the root).
    pub dirs: Vec<String>,
    pub infra: bool,
    pub image: Option<String>,
    /// Ports as written in the deployment file (`8080:80`).
    pub ports: Vec<String>,
    /// Where each port of `ports` (and each `exposed` one) is written.
    pub port_sites: Vec<PortSite>,
    /// Ports published on the host (`localhost:PORT` reaches this service): compose
    /// `ports`, a Kubernetes container's `hostPort` or a Service's `nodePort`.
    pub host_ports: Vec<u16>,
    /// Host ports published only by a variant compose file (`docker-compose.debug.yml`:
    /// not merged by a plain `docker compose up`, unlike `docker-compose.override.yml`).
    pub variant_ports: Vec<u16>,
    /// Ports a Dockerfile of the service `EXPOSE`s (its final stage): the container's
    /// own word for where it listens, used for `localhost:PORT` when no deployment
    /// file gives the service ports.
    pub exposed: Vec<u16>,
    /// Environment from compose/Kubernetes, values as written.
    pub env: BTreeMap<String, String>,
    /// The value each compose entry built into the service sets for a variable (variable →
    /// entry name → value, as written): one service deployed twice under two names with two
    /// values (`app_bbx` with `BANK_CODE=001`, `app_cter` with `002`) runs with each, where
    /// `env` keeps the last.
    pub env_by_entry: BTreeMap<String, BTreeMap<String, String>>,
    /// Services this one depends on, with the site that says so.
    pub depends_on: Vec<(String, String, u32)>,
    /// Other host names of the service (manifest name, container name, k8s Service).
    pub aliases: Vec<String>,
    /// Where the service is declared.
    pub file: String,
    pub line: u32,
    /// Reverse-proxy rules of the service's nginx config: (location prefix, proxy_pass target).
    pub proxies: Vec<(String, String)>,
    /// The routes of the gateway's own configuration file (nginx, HAProxy): the gateway
    /// calls each target's service ([`GatewayRoute`], `resolve::gateway::edges`).
    pub gateway_routes: Vec<GatewayRoute>,
    /// Compose projects declaring the service, each named by its main compose
    /// file (`compose.override.yaml` and `include:`d files count as the file
    /// that uses them). Services of one directory's compose files are one
    /// project, as compose names a project after its directory.
    pub projects: Vec<String>,
    /// Celery workers the service's deployment starts with a queue list
    /// (`celery -A app worker -Q emails,reports` as a compose `command`).
    pub celery_workers: Vec<CeleryWorker>,
}

/// One route of a gateway's configuration file: requests under `prefix` (`None`: a rule
/// tapestry cannot read as a path prefix, an HAProxy `use_backend … if` over another
/// condition) go to `target` (`http://host:port/path`), written at `file`:`line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayRoute {
    pub prefix: Option<String>,
    pub target: String,
    pub file: String,
    pub line: u32,
}

/// A Celery worker a command line starts: `celery -A proj.worker worker -Q a,b` (also
/// `--app=`, `--queues=`): its app (`-A`) and the queues it consumes, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CeleryWorker {
    pub app: Option<String>,
    pub queues: Vec<String>,
    /// Where the command is written.
    pub file: String,
    pub line: u32,
}

/// The Celery worker a command runs, when it names its queues: the words after `celery`,
/// with the `worker` subcommand, `-Q a,b`/`--queues a,b`/`-Qa`/`--queues=a,b` and the app
/// `-A x`/`--app x`/`--app=x` (before or after the subcommand). A command of several
/// workers (`sh -c "celery … & celery …"`) is read for its first.
pub fn celery_worker(words: &[&str]) -> Option<(Option<String>, Vec<String>)> {
    let start = words.iter().position(|w| *w == "celery" || w.ends_with("/celery"))?;
    let mut app = None;
    let mut queues: Vec<String> = Vec::new();
    let mut worker = false;
    let mut it = words[start + 1..].iter();
    while let Some(&w) = it.next() {
        // Another command of a shell line ends this one.
        if matches!(w, "&&" | "&" | ";" | "||" | "|") || w.ends_with(';') {
            break;
        }
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ if w.starts_with("-Q") && w.len() > 2 => ("-Q", Some(w[2..].to_string())),
            _ if w.starts_with("-A") && w.len() > 2 => ("-A", Some(w[2..].to_string())),
            _ => (w, None),
        };
        match flag {
            "worker" if !worker => worker = true,
            "-A" | "--app" => app = inline.or_else(|| it.next().map(|v| v.to_string())),
            "-Q" | "--queues" => {
                let v = inline.or_else(|| it.next().map(|v| v.to_string())).unwrap_or_default();
                queues.extend(v.split(',').map(|q| q.trim().to_string()).filter(|q| !q.is_empty()));
            }
            _ => {}
        }
    }
    let app = app.map(|a| a.trim_matches(|c| c == '"' || c == '\'').to_string());
    (worker && !queues.is_empty()).then_some((app, queues))
}

/// The words of a compose `command` (a string, split as a shell would on spaces, or a
/// list); a `sh -c "…"` list's script is split too.
fn command_words(command: &Yaml) -> Vec<String> {
    let parts: Vec<String> = match command {
        Yaml::Seq(items) => items.iter().filter_map(|(x, _)| x.str()).map(String::from).collect(),
        c => c.str().map(|s| vec![s.to_string()]).unwrap_or_default(),
    };
    parts
        .iter()
        .flat_map(|p| p.split_whitespace())
        .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

#[derive(Debug, Default)]
pub struct Services {
    pub list: Vec<Service>,
    /// Owning service of each project file (index into `list`).
    pub owner: Vec<Option<usize>>,
    /// `.env` files by directory.
    pub dotenv: BTreeMap<String, BTreeMap<String, String>>,
    /// The committed templates of `.env` files (`.env.example`, `.env.sample`,
    /// `.env.template`, `.env.dist`) by directory, placeholders left out: the
    /// only values many repositories commit, read after every real source.
    pub dotenv_example: BTreeMap<String, BTreeMap<String, String>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Kubernetes ConfigMaps by name: (directory of the manifest, `data`) for each
    /// definition, and the environment entries that take values from them:
    /// (service index, variable or `None` for every key of an `envFrom`, ConfigMap,
    /// key, directory of the manifest). Applied once every manifest is read.
    configmaps: BTreeMap<String, Vec<ConfigMapDef>>,
    configmap_refs: Vec<(usize, Option<String>, String, String, String)>,
    /// Kubernetes pod template labels of each Deployment's containers (service index,
    /// labels, the container's ports, the workload as `file:line`), and each Service (name, selector, target
    /// ports): matched once every manifest is read, since a Service and its Deployment
    /// may sit in different files.
    pod_labels: Vec<PodContainer>,
    k8s_services: Vec<K8sService>,
    /// Kubernetes Services by name with their first port, for the
    /// `<NAME>_SERVICE_HOST`/`_PORT` variables Kubernetes injects into every pod.
    pub k8s_service_ports: BTreeMap<String, Option<String>>,
    /// Namespaces of the Kubernetes manifests (`default` when one names none): a
    /// host `svc.<ns>`, `svc.<ns>.svc` or `svc.<ns>.svc.cluster.local` is the Service `svc`.
    k8s_namespaces: BTreeSet<String>,
    /// Directories of the compose projects (sorted).
    compose_dirs: Vec<String>,
    /// Root Dockerfiles (`Dockerfile.backend`) that compose builds for one of the
    /// context's service directories: not a service of the root on their own.
    built_elsewhere: Vec<String>,
    /// Images the build configurations build (Skaffold, Cloud Build, GitHub Actions,
    /// `docker build` in root scripts), with the directories they are built from.
    built: Vec<builds::Built>,
    /// The scan root's directory name: the project name of a compose file at the root.
    root_name: String,
    /// Kubernetes Ingress rules, longest path first, as ingress-nginx tries them (rules
    /// of one length in manifest order).
    pub ingress: Vec<IngressRule>,
    /// Nest CLI libraries that several applications import (`nest_libraries`): the
    /// library's root directory and the names of those applications' services, each of
    /// which runs the library's code.
    pub shared_libraries: Vec<(String, Vec<String>)>,
}

/// A Kubernetes workload's container: (service index, pod labels, container
/// ports, the workload as `file:line`).
type PodContainer = (usize, Vec<(String, String)>, Vec<String>, String);

/// A Kubernetes Service: (name, selector, target ports, node ports).
type K8sService = (String, Vec<(String, String)>, Vec<String>, Vec<NodePort>);

/// A Kubernetes Service's `nodePort` (published on every node: `localhost:PORT` on a
/// local cluster) and where it is written (as `nodePort:targetPort`).
type NodePort = (u16, PortSite);

/// One `host` + `path` → backend Service rule of a Kubernetes Ingress.
#[derive(Debug)]
pub struct IngressRule {
    pub host: String,
    /// The path as written; with `nginx.ingress.kubernetes.io/use-regex` a regular
    /// expression matched at the path's start, else a prefix.
    pub path: String,
    pub regex: Option<regex::Regex>,
    /// The backend Kubernetes Service's name.
    pub backend: String,
    /// ingress-nginx's `rewrite-target` (`/$2`): the path the backend is sent, the
    /// expression's groups substituted.
    pub rewrite: Option<String>,
}

impl IngressRule {
    /// Whether a request path goes to this rule's backend.
    pub fn takes(&self, path: &str) -> bool {
        match &self.regex {
            Some(r) => r.is_match(path),
            None => {
                let p = self.path.trim_end_matches('/');
                path == p || path.starts_with(p) && path[p.len()..].starts_with(['/', '?'])
            }
        }
    }

    /// The path the backend receives for a request path this rule takes: the path itself,
    /// or the `rewrite-target` with the expression's groups put in (`/api(/|$)(.*)` and
    /// `/$2` send `/api/todos` on as `/todos`), as ingress-nginx's `rewrite` does.
    pub fn rewritten(&self, path: &str) -> String {
        let (Some(to), Some(r)) = (&self.rewrite, &self.regex) else { return path.to_string() };
        let Some(caps) = r.captures(path) else { return path.to_string() };
        // `$2` followed by a letter would name group `2abc` for `expand`: `${2}` keeps the number alone.
        let mut parts = to.split('$');
        let mut template = parts.next().unwrap_or("").to_string();
        for p in parts {
            let digits = p.bytes().take_while(u8::is_ascii_digit).count();
            match digits {
                0 => template.push('$'),
                _ => template.push_str(&format!("${{{}}}", &p[..digits])),
            }
            template.push_str(&p[digits..]);
        }
        let mut out = String::new();
        caps.expand(&template, &mut out);
        if out.starts_with('/') {
            out
        } else {
            format!("/{out}")
        }
    }
}

/// Which of several services a host name, port or dependency means.
#[derive(Debug, PartialEq, Eq)]
pub enum Pick {
    One(usize),
    /// More than one, and nothing says which: the candidates' names.
    Ambiguous(Vec<String>),
    None,
}

impl Services {
    /// The directories of the compose projects a caller belongs to: its
    /// service's projects, else the nearest compose directory above `rel`.
    pub fn caller_dirs(&self, owner: Option<usize>, rel: &str) -> Vec<&str> {
        let own: Vec<&str> =
            owner.map(|o| self.list[o].projects.iter().map(|p| dir_of(p)).collect()).unwrap_or_default();
        if !own.is_empty() {
            return own;
        }
        let above =
            |d: &&String| d.is_empty() || rel.starts_with(d.as_str()) && rel.as_bytes().get(d.len()) == Some(&b'/');
        self.compose_dirs.iter().filter(above).max_by_key(|d| d.len()).map(|d| vec![d.as_str()]).unwrap_or_default()
    }

    /// One of `candidates` for a caller (`owner` service, file or manifest `rel`):
    /// the only one, else the only one declared in the caller's own compose file,
    /// else in its compose project (directory).
    pub fn pick(&self, mut candidates: Vec<usize>, owner: Option<usize>, rel: &str) -> Pick {
        candidates.sort_unstable();
        candidates.dedup();
        if candidates.len() > 1 {
            let own_files: &[String] = owner.map_or(&[], |o| &self.list[o].projects);
            let same_file: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&c| self.list[c].projects.iter().any(|p| own_files.contains(p)))
                .collect();
            let dirs = self.caller_dirs(owner, rel);
            let same_dir: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&c| self.list[c].projects.iter().any(|p| dirs.contains(&dir_of(p))))
                .collect();
            if same_file.len() == 1 {
                return Pick::One(same_file[0]);
            }
            if same_file.is_empty() && same_dir.len() == 1 {
                return Pick::One(same_dir[0]);
            }
        }
        match candidates.as_slice() {
            [] => Pick::None,
            [one] => Pick::One(*one),
            many => Pick::Ambiguous(many.iter().map(|&c| self.list[c].name.clone()).collect()),
        }
    }

    /// Services a host name names (compose name, alias, container name, k8s Service,
    /// also with a namespace's cluster DNS suffix: `auth.default.svc.cluster.local`).
    pub fn named(&self, host: &str) -> Vec<usize> {
        let exact = |host: &str| -> Vec<usize> {
            (0..self.list.len())
                .filter(|&i| {
                    let s = &self.list[i];
                    s.name == host || s.aliases.iter().any(|a| a.eq_ignore_ascii_case(host))
                })
                .collect()
        };
        let found = exact(host);
        if !found.is_empty() {
            return found;
        }
        if let Some(i) = self.generated_container(host) {
            return vec![i];
        }
        let Some((first, rest)) = host.split_once('.') else { return found };
        let ns = rest.strip_suffix(".svc.cluster.local").or_else(|| rest.strip_suffix(".svc")).unwrap_or(rest);
        if self.k8s_namespaces.contains(ns) && self.k8s_service_ports.contains_key(first) {
            return exact(first);
        }
        // Cluster DNS whatever the manifests say (`svc.default`, `svc.<ns>.svc[.cluster.local]`):
        // a Service a Helm template names (`name: {{ include "payment-service.fullname" . }}`,
        // no literal name to index) is the service of the project its first label names.
        if ns != rest || rest == "default" {
            return exact(first);
        }
        found
    }

    /// The service compose names a container after by default: `<project>-<service>-1`
    /// (`_` before Compose v2), the project being the compose file's directory.
    fn generated_container(&self, host: &str) -> Option<usize> {
        let host = host.to_ascii_lowercase();
        let (stem, n) = host.rsplit_once(['-', '_'])?;
        let sep = &host[stem.len()..=stem.len()];
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let project_name = |p: &str| {
            let dir = dir_of(p);
            let name = if dir.is_empty() { self.root_name.as_str() } else { file_name(dir) };
            name.to_ascii_lowercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                .collect::<String>()
        };
        let mut found = self.list.iter().enumerate().filter(|(_, x)| {
            x.projects.iter().any(|p| {
                let Some(svc) = stem.strip_prefix(&project_name(p)).and_then(|r| r.strip_prefix(sep)) else {
                    return false;
                };
                x.name.eq_ignore_ascii_case(svc) || x.aliases.iter().any(|a| a.eq_ignore_ascii_case(svc))
            })
        });
        let (i, _) = found.next()?;
        found.next().is_none().then_some(i)
    }

    /// A variable of the `.env` file beside a compose file (compose's own
    /// environment), else of the scan root's.
    fn dotenv_value(&self, dir: &str, var: &str) -> Option<String> {
        [dir, ""].iter().find_map(|d| self.dotenv.get(*d).and_then(|e| e.get(var)).cloned())
    }

    /// A variable of compose's own environment for the compose file in `dir`: its `.env`
    /// ([`Self::dotenv_value`]), else the committed template of that `.env` (`.env.example`…),
    /// the values a checkout is run with once copied.
    fn compose_env(&self, dir: &str, var: &str) -> Option<String> {
        let template = || [dir, ""].iter().find_map(|d| self.dotenv_example.get(*d)?.get(var).cloned());
        self.dotenv_value(dir, var).or_else(template)
    }

    /// A value of the compose file in `dir` with its variables read as `docker compose`
    /// reads them ([`interpolate`], from [`Self::compose_env`]). A service's
    /// `env_file:`/`environment:` are the container's, not the compose file's: not read.
    fn compose_value(&self, dir: &str, v: &str) -> Interpolated {
        interpolate(v, &|var| self.compose_env(dir, var))
    }
}

/// One definition of a ConfigMap: the directory of its manifest and its `data`.
type ConfigMapDef = (String, BTreeMap<String, String>);

/// Deployment and schema files discovery hands to the resolvers (by file name).
pub fn is_deploy_file(name: &str) -> bool {
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    is_dockerfile(name)
        || yaml
        || name.ends_with(".sql")
        || name.ends_with(".proto")
        || name.ends_with(".prisma")
        || name.ends_with(".conf")
        || name.ends_with(".conf.template")
}

/// A Dockerfile by name: `Dockerfile`, `Dockerfile.dev`, `api.Dockerfile`, or
/// Podman's `Containerfile` (same forms).
pub(crate) fn is_dockerfile(name: &str) -> bool {
    ["Dockerfile", "Containerfile"].iter().any(|d| {
        name == *d || name.strip_prefix(d).is_some_and(|r| r.starts_with('.')) || name.ends_with(&format!(".{d}"))
    })
}

/// A compose file by name, Podman's `podman-compose.yml` included.
pub(crate) fn is_compose(name: &str) -> bool {
    (name.starts_with("docker-compose") || name.starts_with("compose") || name.starts_with("podman-compose"))
        && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

pub(super) fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// Directory names saying a service's role, not which service it is (sorted): `gateway/back`
/// is the gateway's ([`role_names`]).
const ROLE_DIRS: &[&str] = &["back", "backend"];

/// Directories that group services rather than name one (sorted).
const GROUP_DIRS: &[&str] = &["apps", "microservices", "packages", "projects", "services"];

/// `service-a/src` → `service-a`; the root → the scan root's own name.
fn base_name(project: &Project, dir: &str) -> String {
    let last = file_name(dir);
    if GENERIC_DIRS.contains(&last) && dir.contains('/') {
        return base_name(project, dir_of(dir));
    }
    if dir.is_empty() {
        let abs = std::fs::canonicalize(project.root).unwrap_or_else(|_| project.root.to_path_buf());
        return abs.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "root".into());
    }
    file_name(dir).to_string()
}

pub fn detect(project: &Project) -> Services {
    let mut s = Services::default();
    // `.env` first: compose interpolates it into `build:` and `environment:`.
    for m in project.manifests.iter().filter(|m| file_name(m) == ".env") {
        if let Ok(text) = project.read(m) {
            s.dotenv.insert(dir_of(m).to_string(), parse_dotenv(&text));
        }
    }
    for m in project.manifests.iter().filter(|m| DOTENV_TEMPLATES.contains(&file_name(m))) {
        if let Ok(text) = project.read(m) {
            let known = s.dotenv_example.entry(dir_of(m).to_string()).or_default();
            for (k, v) in parse_dotenv(&text) {
                if !is_placeholder(&v) {
                    known.entry(k).or_insert(v);
                }
            }
        }
    }
    from_manifests(project, &mut s);
    s.built = builds::built_images(project);
    let keys = compose_projects(project, &mut s);
    s.compose_dirs = keys.values().map(|k| dir_of(k).to_string()).collect();
    s.compose_dirs.sort();
    s.compose_dirs.dedup();
    if s.compose_dirs.first().is_some_and(String::is_empty) {
        s.root_name = base_name(project, "");
    }
    // Main files before the override files compose merges into them, and before the
    // fragments given after them with `-f` (`docker-compose.local.yml`).
    let mut order: Vec<(&String, &String)> = keys.iter().collect();
    order.sort_by_cached_key(|(m, _)| (file_name(m).contains(".override.") || is_fragment(project, m), m.as_str()));
    for (m, key) in order {
        from_compose(project, m, key, &mut s);
    }
    let elsewhere = std::mem::take(&mut s.built_elsewhere);
    s.list.retain(|x| x.projects.len() + x.aliases.len() > 0 || !elsewhere.contains(&x.file));
    nested_packages(project, &mut s);
    let charts = helm::chart_dirs(project);
    let yamls = project.manifests.iter().filter(|m| {
        let n = file_name(m);
        (n.ends_with(".yml") || n.ends_with(".yaml")) && !is_compose(n)
    });
    for m in yamls {
        from_kubernetes(project, m, &mut s);
    }
    if !charts.is_empty() {
        from_helm(project, &charts, &mut s);
    }
    apply_configmaps(&mut s);
    apply_k8s_services(&mut s);
    role_names(project, &mut s.list);
    if project.manifests.iter().any(|m| m == "tapestry.toml") {
        from_config(project, &mut s);
    } else {
        run_file_services(project, &mut s);
    }
    disambiguate(project, &mut s.list);
    s.owner = (0..project.files.len()).map(|i| owner_of(&s.list, project.rel(i))).collect();
    for m in project.manifests.iter().filter(|m| m.ends_with(".vscode/launch.json")) {
        runserver_ports(project, m, &mut s);
    }
    for m in project.manifests.iter().filter(|m| file_name(m) == "package.json") {
        script_ports(project, m, &mut s);
    }
    // Dev-server proxies of frontends (CRA `proxy`, `setupProxy.js`, Vite `server.proxy`).
    let configs = (0..project.files.len()).map(|i| project.rel(i)).filter(|r| devproxy::is_proxy_config(file_name(r)));
    for m in project.manifests.iter().map(String::as_str).filter(|m| file_name(m) == "package.json").chain(configs) {
        let (Some(i), Ok(text)) = (owner_of(&s.list, m), project.read(m)) else { continue };
        s.list[i].proxies.extend(devproxy::rules(file_name(m), &text));
    }
    for m in project.manifests {
        let name = file_name(m);
        let dockerfile = is_dockerfile(name);
        if !dockerfile && !name.ends_with(".conf") && !name.ends_with(".conf.template") {
            continue;
        }
        let (Some(i), Ok(text)) = (owner_of(&s.list, m), project.read(m)) else { continue };
        let svc = &mut s.list[i];
        if dockerfile {
            // Image defaults: the deployment's environment wins over them.
            for (k, v) in dockerfile_env(&text) {
                svc.env.entry(k).or_insert(v);
            }
            // A Kong image built here: the declarative file it copies in (`resolve::gateway`).
            if let Some(config) = gateway::kong_copied(dir_of(m), &text, &svc.env).filter(|_| svc.proxies.is_empty()) {
                let (rules, diagnostics) = gateway::kong_file(project, &config);
                svc.proxies.extend(rules);
                s.diagnostics.extend(diagnostics);
            }
            // The image's default command (a compose `command:` of the service replaces it).
            if svc.celery_workers.iter().all(|w| w.file == *m) {
                if let Some((app, queues, line)) = dockerfile_celery_worker(&text) {
                    let worker = CeleryWorker { app, queues, file: m.clone(), line };
                    if !svc.celery_workers.contains(&worker) {
                        svc.celery_workers.push(worker);
                    }
                }
            }
            for (p, line) in dockerfile_exposed(&text) {
                if !svc.exposed.contains(&p) {
                    svc.exposed.push(p);
                    svc.port_sites.push(PortSite {
                        port: p.to_string(),
                        from: "dockerfile",
                        file: m.clone(),
                        line: Some(line),
                    });
                }
            }
            // A gateway built here: the nginx/HAProxy configurations it copies in (`resolve::gateway`).
            for (config, haproxy) in gateway::configs_copied(dir_of(m), &text, project.manifests) {
                if let Ok(conf) = project.read(&config) {
                    add_gateway(svc, &config, &conf, haproxy);
                }
            }
        } else {
            for rule in nginx_proxies(&text) {
                if !svc.proxies.contains(&rule) {
                    svc.proxies.push(rule);
                }
            }
        }
    }
    proxies_in_front(&mut s);
    s
}

/// A VS Code launch configuration running Django's dev server (`"program":
/// "${workspaceFolder}/manage.py", "args": ["runserver", "8001"]`): the port (8000 when
/// none is given, as Django's default) of the service whose `manage.py` it runs, when
/// that file is in the scan. `${workspaceFolder}` is the directory holding `.vscode`. The
/// same command in a shell script, Procfile or Makefile is not read: which `manage.py`
/// it runs depends on the directory it is run from (`cd user && …`).
fn runserver_ports(project: &Project, rel: &str, s: &mut Services) {
    let Ok(text) = project.read(rel) else { return };
    let Ok(Some(json)) = jsonc_parser::parse_to_serde_value(&text, &super::typescript::jsonc_options()) else {
        return;
    };
    let folder = dir_of(dir_of(rel));
    let configs = json.get("configurations").and_then(|c| c.as_array()).map(Vec::as_slice).unwrap_or_default();
    for c in configs {
        let Some(program) = c.get("program").and_then(|p| p.as_str()) else { continue };
        let Some(rest) = program.replace('\\', "/").strip_prefix("${workspaceFolder}").map(str::to_string) else {
            continue;
        };
        let manage = format!("{folder}/{}", rest.trim_start_matches('/'));
        let manage = manage.trim_start_matches('/');
        if file_name(manage) != "manage.py" || !(0..project.files.len()).any(|i| project.rel(i) == manage) {
            continue;
        }
        let args: Vec<&str> =
            c.get("args").and_then(|a| a.as_array()).into_iter().flatten().filter_map(|a| a.as_str()).collect();
        let Some(at) = args.iter().position(|a| *a == "runserver") else { continue };
        let port = match args[at + 1..].iter().find(|a| !a.starts_with('-')) {
            Some(addr) => addr.rsplit(':').next().unwrap_or(addr),
            None => "8000",
        };
        let (Ok(_), Some(i)) = (port.parse::<u16>(), owner_of(&s.list, manage)) else { continue };
        if !s.list[i].ports.iter().any(|p| p == port) {
            s.list[i].ports.push(port.to_string());
            let site = PortSite { port: port.to_string(), from: "vscode", file: rel.to_string(), line: None };
            s.list[i].port_sites.push(site);
        }
    }
}

/// npm scripts running a Node server with its port in the environment: `"start":
/// "concurrently \"PORT=3003 npm run server\" …"` with `"server": "nodemon server.js"`,
/// `"dev": "cross-env PORT=4000 node src/index.js"`. A command's leading `PORT=N`
/// assignments (after `cross-env`/`env`) apply to the entry it runs: `node`, `nodemon`,
/// `ts-node`, `tsx`… with a file (none: the package's `main`), or another script of the
/// same package (`npm run x`, `npm start`, `yarn x`, `pnpm x`), followed a few levels.
/// The port is the service's owning that entry when the entry's code listens on a port
/// it does not write as a number (`app.listen(process.env.PORT || 3001)`): a literal
/// port in the code is the code's own word, and a file that listens on nothing (a
/// script spawning a front end's dev server) says nothing of a server.
fn script_ports(project: &Project, rel: &str, s: &mut Services) {
    let Ok(text) = project.read(rel) else { return };
    if !text.contains("PORT=") {
        return;
    }
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else { return };
    let Some(scripts) = json.get("scripts").and_then(|x| x.as_object()) else { return };
    let dir = dir_of(rel);
    let main = json.get("main").and_then(|m| m.as_str());
    let mut found: Vec<(u16, String)> = Vec::new();
    for body in scripts.values().filter_map(|b| b.as_str()) {
        for command in script_commands(body) {
            let (env, rest) = command_env(&command);
            let Some(port) = env.iter().find(|(k, _)| *k == "PORT").and_then(|(_, v)| v.parse::<u16>().ok()) else {
                continue;
            };
            for entry in script_entries(scripts, &rest, main, 0) {
                let Some(file) = entry_file(project, dir, &entry) else { continue };
                if !found.contains(&(port, file.clone())) {
                    found.push((port, file));
                }
            }
        }
    }
    for (port, file) in found {
        let Some(i) = project.file(&file) else { continue };
        let listens = &project.files[i].facts.arch.listens;
        let literal = listens.iter().any(|(t, _)| t.iter().all(|p| matches!(p, crate::model::Part::Lit(_))));
        if listens.is_empty() || literal {
            continue;
        }
        let Some(o) = owner_of(&s.list, &file) else { continue };
        let port = port.to_string();
        if !s.list[o].ports.contains(&port) {
            s.list[o].ports.push(port.clone());
            let site = PortSite { port, from: "npm-script", file: rel.to_string(), line: None };
            s.list[o].port_sites.push(site);
        }
    }
}

/// The commands of an npm script: split at `&&`, `||`, `;` and `&`, and each quoted
/// argument (`concurrently "PORT=3003 npm run server" "npm run client"`) a command too.
fn script_commands(body: &str) -> Vec<String> {
    let mut pieces: Vec<String> = vec![body.to_string()];
    for q in ['"', '\''] {
        let parts: Vec<&str> = body.split(q).collect();
        if parts.len() >= 3 {
            pieces.extend(parts.iter().skip(1).step_by(2).map(|x| x.to_string()));
        }
    }
    let mut out = Vec::new();
    for p in pieces {
        for c in p.split("&&").flat_map(|x| x.split("||")).flat_map(|x| x.split(';')).flat_map(|x| x.split('&')) {
            let c = c.trim();
            if !c.is_empty() && !c.contains(['"', '\'']) {
                out.push(c.to_string());
            }
        }
    }
    out
}

/// A command's leading environment assignments (`PORT=3003`, after `cross-env` or
/// `env`), and the words after them.
fn command_env(command: &str) -> (Vec<(&str, &str)>, Vec<&str>) {
    let mut words = command.split_whitespace().peekable();
    let mut env = Vec::new();
    while let Some(w) = words.peek() {
        if matches!(*w, "cross-env" | "env" | "npx") && env.is_empty() || *w == "--" {
            words.next();
            continue;
        }
        match w.split_once('=') {
            Some((k, v)) if !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => {
                env.push((k, v));
                words.next();
            }
            _ => break,
        }
    }
    (env, words.collect())
}

/// Node programs whose first argument that is no option is the file they run.
const NODE_RUNNERS: &[&str] = &["babel-node", "node", "node-dev", "nodemon", "ts-node", "ts-node-dev", "tsx"];

/// The entry files a command runs (relative to its package), through other scripts
/// of the package (`npm run server`), at most a few levels deep.
fn script_entries(
    scripts: &serde_json::Map<String, serde_json::Value>,
    words: &[&str],
    main: Option<&str>,
    depth: u8,
) -> Vec<String> {
    let Some(&first) = words.first() else { return Vec::new() };
    let script = match (first, words.get(1).copied()) {
        ("npm", Some("start")) => Some("start"),
        ("npm", Some("run" | "run-script")) | ("yarn" | "pnpm", Some("run")) => words.get(2).copied(),
        ("yarn" | "pnpm", Some(x)) if !x.starts_with('-') => Some(x),
        _ => None,
    };
    if let Some(name) = script {
        let Some(body) = scripts.get(name).and_then(|b| b.as_str()).filter(|_| depth < 4) else { return Vec::new() };
        let mut out = Vec::new();
        for c in script_commands(body) {
            let (_, rest) = command_env(&c);
            out.extend(script_entries(scripts, &rest, main, depth + 1));
        }
        return out;
    }
    let runner = first.rsplit('/').next().unwrap_or(first);
    if NODE_RUNNERS.binary_search(&runner).is_err() {
        return Vec::new();
    }
    let mut args = words[1..].iter().filter(|w| !w.starts_with('-'));
    // `tsx watch src/index.ts`
    let arg = match args.next() {
        Some(&"watch") if runner == "tsx" => args.next(),
        other => other,
    };
    match arg.copied().or(main) {
        Some(f) => vec![f.to_string()],
        None => Vec::new(),
    }
}

/// The scanned file an entry names (`server.js`, `./src/index`): as written, with a
/// JS/TS extension, or `index` of a directory.
fn entry_file(project: &Project, dir: &str, entry: &str) -> Option<String> {
    let path = join(dir, entry.trim_start_matches("./"))?;
    let stem = path.strip_suffix(".js").or_else(|| path.strip_suffix(".ts")).unwrap_or(&path);
    let mut candidates = vec![path.clone()];
    for ext in ["js", "ts", "mjs", "cjs"] {
        candidates.push(format!("{stem}.{ext}"));
        candidates.push(format!("{path}/index.{ext}"));
    }
    candidates.into_iter().find(|c| project.file(c).is_some())
}

/// A service named after its one directory when that name says a role (`gateway/back`,
/// `user/backend`) is named after the directory above: `gateway`, `user`. Not when a
/// deployment names it (compose, Kubernetes: that name is the host others call), when the
/// directory above only groups services (`services/backend`) or is the scan root (a root
/// `backend/` stays `backend`).
fn role_names(project: &Project, list: &mut [Service]) {
    for svc in list.iter_mut().filter(|x| x.projects.is_empty() && x.aliases.is_empty() && !x.infra) {
        let [dir] = svc.dirs.as_slice() else { continue };
        let (parent, last) = (dir_of(dir), file_name(dir));
        if svc.name == last
            && ROLE_DIRS.contains(&last)
            && !parent.is_empty()
            && !GROUP_DIRS.contains(&file_name(parent))
        {
            svc.name = base_name(project, parent);
        }
    }
}

/// A Dockerfile's instructions, `\`-continued lines joined: (instruction in capitals,
/// its arguments, the line it starts on). Comments and blank lines are none.
fn dockerfile_instructions(text: &str) -> Vec<(String, String, u32)> {
    let mut out = Vec::new();
    let mut joined = String::new();
    let mut start = 0;
    for (n, raw) in text.lines().enumerate() {
        // Blank and comment lines end nothing: Docker skips them inside a continuation too.
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if joined.is_empty() {
            start = u32::try_from(n + 1).unwrap_or(u32::MAX);
        }
        match l.strip_suffix('\\') {
            Some(head) => {
                joined.push_str(head);
                joined.push(' ');
            }
            None => {
                joined.push_str(l);
                out.push(instruction(&std::mem::take(&mut joined), start));
            }
        }
    }
    if !joined.is_empty() {
        out.push(instruction(&joined, start));
    }
    out
}

/// The Celery worker (with `-Q`) the last `CMD`/`ENTRYPOINT` of a Dockerfile's final stage
/// starts, in exec form (`["celery", "-A", "app", "worker", "-Q", "q"]`) or shell form.
fn dockerfile_celery_worker(text: &str) -> Option<(Option<String>, Vec<String>, u32)> {
    let mut found = None;
    for (word, rest, line) in dockerfile_instructions(text) {
        match word.as_str() {
            "FROM" => found = None,
            "CMD" | "ENTRYPOINT" => {
                let words: Vec<String> = match rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                    Some(list) => list
                        .split(',')
                        .flat_map(|w| {
                            w.trim().trim_matches('"').split_whitespace().map(String::from).collect::<Vec<_>>()
                        })
                        .collect(),
                    None => {
                        rest.split_whitespace().map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string()).collect()
                    }
                };
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                // The last `CMD` is the command; an `ENTRYPOINT` script after it usually runs it.
                let worker = celery_worker(&words).map(|(app, queues)| (app, queues, line));
                found = if word == "CMD" { worker } else { worker.or(found) };
            }
            _ => {}
        }
    }
    found
}

fn instruction(line: &str, start: u32) -> (String, String, u32) {
    let line = line.trim();
    let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    (word.to_ascii_uppercase(), rest.trim().to_string(), start)
}

/// The pairs of one `ENV KEY=value OTHER=x` or `ENV KEY value` instruction.
fn env_pairs(rest: &str) -> Vec<(String, String)> {
    if rest.contains('=') {
        rest.split_whitespace()
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
            .collect()
    } else {
        rest.split_once(char::is_whitespace)
            .map(|(k, v)| vec![(k.to_string(), v.trim().trim_matches('"').to_string())])
            .unwrap_or_default()
    }
}

/// A compose service that builds directory D holding no code of its own, with one
/// code package under it (`frontend/` and `frontend/next-app/web/package.json`): the
/// package is the service's code, named by compose (the package's name becomes an
/// alias, as when compose claims a package at D itself). Two or more packages
/// under D, or code directly in D, leave the services as they are.
fn nested_packages(project: &Project, s: &mut Services) {
    let within = |d: &str, outer: &str| d.starts_with(outer) && d.as_bytes().get(outer.len()) == Some(&b'/');
    let mut k = 0;
    while k < s.list.len() {
        let c = &s.list[k];
        k += 1;
        let [dir] = c.dirs.as_slice() else { continue };
        if c.infra || c.projects.is_empty() || dir.is_empty() {
            continue;
        }
        let mut inner = s.list.iter().enumerate().filter(|(_, x)| x.dirs.iter().any(|d| within(d, dir)));
        let (Some((i, x)), None) = (inner.next(), inner.next()) else { continue };
        let package = x.projects.is_empty()
            && !x.infra
            && x.dirs.iter().all(|d| within(d, dir))
            && !is_deploy_file(file_name(&x.file));
        // Code in D itself (a manifest or a source file beside the Dockerfile) is the service's own.
        let own_code = |f: &str| dir_of(f) == dir && !is_deploy_file(file_name(f)) && !file_name(f).starts_with(".env");
        if !package
            || project.manifests.iter().any(|m| own_code(m))
            || (0..project.files.len()).any(|f| own_code(project.rel(f)))
        {
            continue;
        }
        let x = s.list.remove(i);
        let c = &mut s.list[if i < k - 1 { k - 2 } else { k - 1 }];
        c.dirs.extend(x.dirs);
        add_alias(c, &x.name);
        for (key, v) in x.env {
            c.env.entry(key).or_insert(v);
        }
        c.proxies.extend(x.proxies);
        c.gateway_routes.extend(x.gateway_routes);
        if i < k - 1 {
            k -= 1;
        }
    }
}

/// `ENV KEY=value OTHER=x` and `ENV KEY value` lines of a Dockerfile.
fn dockerfile_env(text: &str) -> Vec<(String, String)> {
    dockerfile_instructions(text)
        .into_iter()
        .filter(|(w, _, _)| w == "ENV")
        .flat_map(|(_, rest, _)| env_pairs(&rest))
        .collect()
}

/// The TCP ports the final stage of a Dockerfile `EXPOSE`s: `EXPOSE 8080`, `EXPOSE 80/tcp
/// 443`, `EXPOSE $PORT` or `${PORT}` after `ENV PORT=8080` or `ARG PORT=8080` of that stage
/// (an `ARG` before the first `FROM` only when the stage declares it again, as Docker scopes
/// it). A `FROM` starts a stage afresh: an earlier stage's ports are not the image's. A
/// range (`8000-8010`), a UDP port or a variable with no value is no port. The port the
/// stage's last `CMD`/`ENTRYPOINT` starts a server on counts too, as the container listens
/// there whether or not it is exposed ([`command_port`]). Each port comes with the line of
/// the instruction naming it.
fn dockerfile_exposed(text: &str) -> Vec<(u16, u32)> {
    let mut global: BTreeMap<String, String> = BTreeMap::new();
    let mut vars: BTreeMap<String, String> = BTreeMap::new();
    let mut ports: Vec<(u16, u32)> = Vec::new();
    let mut command: Option<(u16, u32)> = None;
    let mut staged = false;
    for (word, rest, line) in dockerfile_instructions(text) {
        match word.as_str() {
            "FROM" => {
                staged = true;
                vars.clear();
                ports.clear();
                command = None;
            }
            "CMD" | "ENTRYPOINT" if staged => {
                if let Some(p) = command_port(&rest) {
                    command = Some((p, line));
                }
            }
            "ARG" => {
                let (name, value) = rest.split_once('=').map_or((rest.as_str(), None), |(n, v)| (n, Some(v)));
                let value = value.map(|v| v.trim_matches('"').to_string());
                let value = if staged { value.or_else(|| global.get(name).cloned()) } else { value };
                let scope = if staged { &mut vars } else { &mut global };
                if let Some(v) = value {
                    scope.insert(name.to_string(), v);
                }
            }
            "ENV" if staged => vars.extend(env_pairs(&rest)),
            "EXPOSE" if staged => {
                for token in rest.split_whitespace() {
                    let token = token.strip_suffix("/tcp").unwrap_or(token);
                    let token = interpolate(token, &|n| vars.get(n).cloned()).text;
                    if let Ok(p) = token.parse::<u16>() {
                        ports.push((p, line));
                    }
                }
            }
            _ => {}
        }
    }
    ports.extend(command.filter(|(p, _)| !ports.iter().any(|(q, _)| q == p)));
    ports
}

/// The port a Python server command listens on, in a Dockerfile's `CMD`/`ENTRYPOINT`
/// (exec or shell form): Django's `runserver 0.0.0.0:8001` (or `runserver 8001`),
/// `--port 8000`/`--port=8000` (uvicorn, flask, hypercorn, daphne), gunicorn's or
/// hypercorn's `--bind`/`-b 0.0.0.0:8000`, daphne's and flask's `-p 8000`. Literal numbers
/// only: a variable (`--port $PORT`) says nothing.
fn command_port(command: &str) -> Option<u16> {
    let words: Vec<&str> = command
        .split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | ',' | '"' | '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let port_of = |w: &str| w.rsplit(':').next().and_then(|p| p.parse::<u16>().ok());
    let short_p = words.iter().any(|w| matches!(w.rsplit('/').next(), Some("daphne" | "flask")));
    words.iter().enumerate().find_map(|(i, w)| {
        let next = words.get(i + 1).copied().unwrap_or("");
        match *w {
            "runserver" => port_of(next),
            "--port" => next.parse().ok(),
            "-p" if short_p => next.parse().ok(),
            "--bind" | "-b" if next.contains(':') => port_of(next),
            _ => w
                .strip_prefix("--port=")
                .and_then(|p| p.parse().ok())
                .or_else(|| w.strip_prefix("--bind=").filter(|b| b.contains(':')).and_then(port_of)),
        }
    })
}

/// `docker-compose.debug.yml`, `compose.prod.yaml`: a file `docker compose up` does
/// not read unless named (`docker-compose.override.yml` it merges by itself).
fn variant_compose_file(name: &str) -> bool {
    let stem = name.strip_suffix(".yml").or_else(|| name.strip_suffix(".yaml")).unwrap_or(name);
    let variant = ["docker-compose.", "compose.", "podman-compose."].iter().find_map(|p| stem.strip_prefix(p));
    variant.is_some_and(|v| !v.is_empty() && v != "override")
}

/// The routes of an nginx (or, `haproxy`, HAProxy) configuration `rel` (its `text`) that a
/// gateway service loads, copied into its image or mounted: its own calls, and its proxies
/// (HAProxy's: the prefixes whose backend keeps the path as it is).
fn add_gateway(svc: &mut Service, rel: &str, text: &str, haproxy: bool) {
    let routes: Vec<(GatewayRoute, bool)> = match haproxy {
        true => gateway::haproxy_routes(rel, text),
        false => nginx_rules(text)
            .into_iter()
            .map(|(prefix, target, line)| {
                (GatewayRoute { prefix: Some(prefix), target, file: rel.to_string(), line }, true)
            })
            .collect(),
    };
    for (route, kept) in routes {
        if svc.gateway_routes.contains(&route) {
            continue;
        }
        if let (Some(prefix), true) = (&route.prefix, kept) {
            let rule = (prefix.clone(), route.target.clone());
            if !svc.proxies.contains(&rule) {
                svc.proxies.push(rule);
            }
        }
        svc.gateway_routes.push(route);
    }
}

/// nginx `location /prefix/ { proxy_pass http://host:port/; }` rules (prefix locations only).
/// An `upstream name { server host:port; }` block stands for its first server, and a
/// `rewrite ^/prefix/(.*) /$1 break;` (or `^/prefix/?(.*)`) before a `proxy_pass` with no path strips the
/// location prefix as a `proxy_pass http://host/;` would.
pub fn nginx_proxies(text: &str) -> Vec<(String, String)> {
    nginx_rules(text).into_iter().map(|(prefix, target, _)| (prefix, target)).collect()
}

/// [`nginx_proxies`] with the line of each `proxy_pass`.
fn nginx_rules(text: &str) -> Vec<(String, String, u32)> {
    // Words separated by single spaces (`server\t172.17.0.1:8080;` is a `server` line).
    let lines: Vec<String> = text
        .lines()
        .map(|raw| raw.split('#').next().unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let mut upstreams: Vec<(&str, &str)> = Vec::new();
    let mut upstream: Option<&str> = None;
    for l in &lines {
        if let Some(rest) = l.strip_prefix("upstream ") {
            upstream = rest.split_whitespace().next().filter(|n| *n != "{");
        } else if let (Some(rest), Some(name)) = (l.strip_prefix("server "), upstream) {
            let server = rest.trim_end_matches(';').split_whitespace().next().unwrap_or("");
            if !upstreams.iter().any(|(n, _)| *n == name) && !server.is_empty() {
                upstreams.push((name, server));
            }
        } else if *l == "}" {
            upstream = None;
        }
    }
    let mut out = Vec::new();
    let mut location: Option<String> = None;
    let mut strips = false;
    for (n, l) in lines.iter().enumerate() {
        if let Some(rest) = l.strip_prefix("location ") {
            let mut words = rest.split_whitespace();
            location = match words.next() {
                Some("=" | "^~") => words.next().map(String::from),
                Some(p) if p.starts_with('/') => Some(p.to_string()),
                _ => None,
            };
            strips = false;
        } else if let (Some(rule), Some(loc)) = (l.strip_prefix("rewrite "), &location) {
            let mut words = rule.split_whitespace();
            let (pattern, to) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
            let prefix = loc.trim_end_matches('/');
            let pattern = pattern.trim_start_matches('^');
            strips = (pattern == format!("{prefix}/(.*)") || pattern == format!("{prefix}/?(.*)")) && to == "/$1";
        } else if let (Some(target), Some(loc)) = (l.strip_prefix("proxy_pass "), &location) {
            let written = target.trim_end_matches(';').trim();
            let mut target = written.to_string();
            if let Some((scheme, rest)) = written.split_once("://") {
                let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                if let Some((_, server)) = upstreams.iter().find(|(n, _)| *n == host) {
                    target = format!("{scheme}://{server}{path}");
                }
                if strips && path.is_empty() {
                    target.push('/');
                }
            }
            out.push((loc.clone(), target, n as u32 + 1));
        } else if *l == "}" {
            location = None;
        }
    }
    out
}

/// An nginx service whose `location /` proxies to another service (the front end it
/// serves) is that service's reverse proxy: its other locations are the front end's
/// proxies too, unless the front end has its own.
fn proxies_in_front(s: &mut Services) {
    let mut given: Vec<(usize, Vec<(String, String)>)> = Vec::new();
    for (i, svc) in s.list.iter().enumerate() {
        let Some((_, root)) = svc.proxies.iter().find(|(loc, _)| loc == "/") else { continue };
        let Some(rest) = root.split_once("://").map(|x| x.1) else { continue };
        let host = rest.split(['/', ':']).next().unwrap_or("");
        if let [front] = s.named(host).as_slice() {
            if *front != i && s.list[*front].proxies.is_empty() && !s.list[*front].infra {
                let rules = svc.proxies.iter().filter(|(loc, _)| loc != "/").cloned().collect();
                given.push((*front, rules));
            }
        }
    }
    for (front, rules) in given {
        s.list[front].proxies.extend(rules);
    }
}

/// The innermost service whose directory holds `rel`.
pub fn owner_of(list: &[Service], rel: &str) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, svc) in list.iter().enumerate() {
        for d in &svc.dirs {
            // A file's own service ([`run_file_services`], [`claim_modules`]) holds that file alone.
            let inside = d.is_empty()
                || rel.len() > d.len() && rel.starts_with(d.as_str()) && rel.as_bytes()[d.len()] == b'/'
                || rel == d;
            if inside && best.is_none_or(|(len, _)| d.len() > len) {
                best = Some((d.len(), i));
            }
        }
    }
    best.map(|(_, i)| i)
}

fn add_dir_service(s: &mut Services, name: String, dir: &str, file: &str) {
    if s.list.iter().any(|x| x.dirs.iter().any(|d| d == dir)) {
        return;
    }
    s.list.push(Service { name, dirs: vec![dir.to_string()], file: file.to_string(), line: 1, ..Service::default() });
}

fn from_manifests(project: &Project, s: &mut Services) {
    let libraries = npm_libraries(project);
    // Named manifests first, so their names win over a Dockerfile's directory name.
    for m in project.manifests {
        let (dir, name) = (dir_of(m), file_name(m));
        let Ok(text) = (match name {
            "Cargo.toml" | "package.json" | "pyproject.toml" | "setup.py" | "requirements.txt" => project.read(m),
            _ => continue,
        }) else {
            continue;
        };
        // Cargo.toml and package.json are parsed, and said invalid, by the import resolvers.
        if name == "pyproject.toml" {
            if let Err(e) = text.parse::<toml::Table>() {
                let line = e.span().map(|sp| crate::lang::line_of_offset(text.as_bytes(), sp.start));
                s.diagnostics.push(Diagnostic::warning(m, line, format!("invalid pyproject.toml: {}", e.message())));
            }
        }
        let found = match name {
            "Cargo.toml" => cargo_service(project, dir, &text),
            "package.json" => npm_service(dir, &text, &libraries),
            _ => python_service(project, dir, name, &text),
        };
        if let Some(svc_name) = found {
            let svc_name = if svc_name.is_empty() { base_name(project, dir) } else { svc_name };
            add_dir_service(s, svc_name, dir, m);
        }
    }
    // A Nest CLI monorepo (`nest-cli.json` with `projects`), an Nx workspace (`project.json`
    // files): each application is a service of its own, in its root (`apps/worker`), named
    // by its project name.
    for (t, name, root, m) in monorepo_projects(project).into_iter().flatten() {
        if t == "application" && project.is_dir(&root) {
            // The workspace's own package named like one of its applications (`nest new api`
            // turned into a monorepo keeps the root package.json's `api`): that name is the
            // application's, the host name compose gives it; the root keeps the rest of the
            // tree under its directory's name, as any other monorepo root.
            let ws = dir_of(&m);
            let manifest = join(ws, "package.json");
            if let Some(x) = s
                .list
                .iter_mut()
                .find(|x| file_name(&m) == "nest-cli.json" && x.name == name && Some(&x.file) == manifest.as_ref())
            {
                x.name = base_name(project, ws);
            }
            add_dir_service(s, name, &root, &m);
        }
    }
    for m in project.manifests.iter().filter(|m| is_dockerfile(file_name(m))) {
        let dir = dir_of(m);
        // A Dockerfile that copies `${SERVICE}/…` into the image, in a directory
        // with no code of its own beside two or more service directories, is a
        // template each of them is built from with `--build-arg` (a monorepo's
        // `source/docker/Dockerfile`): not a service. (`COPY ${TARGETARCH}/bin`
        // of a lone service's Dockerfile is a built binary: that one stays.)
        let siblings = s.list.iter().filter(|x| x.dirs.iter().any(|d| d != dir && dir_of(d) == dir_of(dir))).count();
        if siblings >= 2 && !project.is_dir(dir) && project.read(m).is_ok_and(|t| copies_from_build_arg(&t)) {
            continue;
        }
        add_dir_service(s, base_name(project, dir), dir, m);
    }
    app_services(project, s);
}

/// The projects of each monorepo: (type, name, root directory, manifest) of each `nest-cli.json`
/// `projects` entry (`"type": "application"`/`"library"`, its `root`), and of the Nx
/// workspace's `project.json` files together (`"projectType"`, `name` or the directory's
/// name, the file's directory). A root that is the scan root is left out.
fn monorepo_projects(project: &Project) -> Vec<Vec<(String, String, String, String)>> {
    let json = |m: &str| project.read(m).ok().and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    let mut out = Vec::new();
    for m in project.manifests.iter().filter(|m| file_name(m) == "nest-cli.json") {
        let Some(v) = json(m) else { continue };
        let Some(projects) = v.get("projects").and_then(|p| p.as_object()) else { continue };
        let mut group = Vec::new();
        for (name, p) in projects {
            let root = p.get("root").and_then(|r| r.as_str()).unwrap_or("");
            let Some(root) = join(dir_of(m), root.trim_start_matches("./").trim_end_matches('/')) else { continue };
            if let (Some(t), false) = (p.get("type").and_then(|t| t.as_str()), root.is_empty()) {
                group.push((t.to_string(), name.clone(), root, m.clone()));
            }
        }
        out.push(group);
    }
    let mut nx = Vec::new();
    for m in project.manifests.iter().filter(|m| file_name(m) == "project.json" && !dir_of(m).is_empty()) {
        let Some(v) = json(m) else { continue };
        let Some(t) = v.get("projectType").and_then(|t| t.as_str()) else { continue };
        let dir = dir_of(m);
        let name = v.get("name").and_then(|n| n.as_str()).unwrap_or_else(|| file_name(dir));
        // An end-to-end test project (`apps/api-e2e`, an `e2e` target) deploys nothing.
        let e2e = name.ends_with("-e2e") || v.get("targets").and_then(|t| t.get("e2e")).is_some();
        if t == "library" || t == "application" && !e2e && !dir.split('/').any(|d| in_sorted(EXAMPLE_DIRS, d)) {
            nx.push((t.to_string(), name.to_string(), dir.to_string(), m.clone()));
        }
    }
    if !nx.is_empty() {
        out.push(nx);
    }
    out
}

/// Nest CLI libraries (`nest-cli.json` projects of `"type": "library"`, `libs/identity`)
/// inside the root package's service: a library whose code only one application imports
/// (its non-test files, imports that are not type-only, counted once every library imported
/// by another library has found its application) is compiled into that application alone,
/// so its directory is that application's, and with it the controllers its modules
/// register, its entities and its publishers. A library several applications import stays
/// where it is, the monorepo's shared code; when its files declare Nest controllers, each
/// application importing its module serves their routes, which one service directory cannot
/// say: an info diagnostic at the first.
pub(super) fn nest_libraries(project: &Project, s: &mut Services, links: &[super::Link]) {
    for projects in monorepo_projects(project) {
        let of_type = |t: &str| -> Vec<(String, String)> {
            projects.iter().filter(|(k, _, _, _)| k == t).map(|(_, n, r, _)| (n.clone(), r.clone())).collect()
        };
        let apps: Vec<usize> = of_type("application")
            .iter()
            .filter_map(|(_, root)| s.list.iter().position(|x| x.dirs.iter().any(|d| d == root)))
            .collect();
        let mut libs = of_type("library");
        libs.retain(|(_, root)| {
            project.is_dir(root) && !apps.iter().any(|&a| s.list[a].dirs.iter().any(|d| is_under(root, d) || d == root))
        });
        // A library importing another is counted first: a few rounds, one library each at least.
        for _ in 0..=libs.len() {
            let mut changed = false;
            libs.retain(|(name, root)| {
                let Some(users) = library_users(project, s, links, root, &apps) else { return true };
                match users.as_slice() {
                    [app] => s.list[*app].dirs.push(root.clone()),
                    [] => {}
                    _ => {
                        nest_shared_controllers(project, s, name, root, &users);
                        let names = users.iter().map(|&u| s.list[u].name.clone()).collect();
                        s.shared_libraries.push((root.clone(), names));
                    }
                }
                changed = true;
                false
            });
            if !changed {
                break;
            }
        }
    }
}

/// Python libraries at the top of a repository whose root manifest is a service of its own
/// (`pyproject.toml` → `python-microservices-demo`) beside others (`services/product_service`):
/// a top-level directory (`libs/`) of that service's Python code that serves nothing (no
/// routes, routers or app) and that only other services' code imports (test code left out)
/// runs inside those services, not the root's: one importer, its directory is that
/// service's; several, a shared library each of them makes the requests of
/// (`Services::shared_libraries`), as a Nest CLI library is ([`nest_libraries`]). A
/// directory the root's own code imports too stays the root's.
pub(super) fn python_libraries(project: &Project, s: &mut Services, links: &[super::Link]) {
    use crate::model::Lang;
    let Some(root) = s.list.iter().position(|x| x.dirs.iter().any(String::is_empty)) else { return };
    if s.list.len() < 2 {
        return;
    }
    // Each top-level directory: whether it is all library code of the root service.
    let mut tops: BTreeMap<&str, bool> = BTreeMap::new();
    for (i, f) in project.files.iter().enumerate() {
        let rel = project.rel(i);
        let Some((top, _)) = rel.split_once('/') else { continue };
        let a = &f.facts.arch;
        let library = f.file.lang == Lang::Python
            && a.routes.is_empty()
            && a.routers.is_empty()
            && a.servers.is_empty()
            && owner_of(&s.list, rel) == Some(root);
        *tops.entry(top).or_insert(true) &= library;
    }
    for (top, _) in tops.into_iter().filter(|(_, library)| *library) {
        if s.list.iter().any(|x| x.dirs.iter().any(|d| d == top || is_under(d, top))) {
            continue;
        }
        let mut users = BTreeSet::new();
        let mut own = false;
        for from in importers(project, links, top) {
            match owner_of(&s.list, from) {
                Some(o) if o != root => {
                    users.insert(o);
                }
                _ => own = true,
            }
        }
        match users.into_iter().collect::<Vec<_>>().as_slice() {
            _ if own => {}
            [] => {}
            [one] => s.list[*one].dirs.push(top.to_string()),
            several => {
                let names = several.iter().map(|&u| s.list[u].name.clone()).collect();
                s.shared_libraries.push((top.to_string(), names));
            }
        }
    }
}

/// The files outside `root` whose runtime, non-test code imports a module under it (one
/// entry per import link).
fn importers<'p>(project: &'p Project, links: &'p [super::Link], root: &'p str) -> impl Iterator<Item = &'p str> {
    links.iter().filter(|l| !l.flags.contains(crate::model::Flags::TYPE_ONLY)).filter_map(move |l| {
        let super::Target::Module(to) = l.to else { return None };
        let from = project.rel(l.from);
        let inside = is_under(project.rel(to), root) && !is_under(from, root);
        (inside && !crate::lang::is_test_path(from, project.files[l.from].file.lang)).then_some(from)
    })
}

/// The applications (of `apps`) whose code imports the library at `root`, sorted; `None`
/// while an importer's service is not known yet (a library not placed) or is no
/// application (the root package's own code).
fn library_users(
    project: &Project,
    s: &Services,
    links: &[super::Link],
    root: &str,
    apps: &[usize],
) -> Option<Vec<usize>> {
    let mut users = BTreeSet::new();
    for from in importers(project, links, root) {
        match owner_of(&s.list, from) {
            Some(o) if apps.contains(&o) => users.insert(o),
            _ => return None,
        };
    }
    Some(users.into_iter().collect())
}

/// The info diagnostic of a library with Nest controllers that several applications import.
fn nest_shared_controllers(project: &Project, s: &mut Services, name: &str, root: &str, users: &[usize]) {
    let controller = (0..project.files.len()).filter(|&i| is_under(project.rel(i), root)).find_map(|i| {
        let r = project.files[i].facts.arch.routers.iter().find(|r| r.framework == "nestjs")?;
        Some((project.rel(i), r.line))
    });
    let Some((rel, line)) = controller else { return };
    let names: Vec<String> = users.iter().map(|&u| format!("`{}`", s.list[u].name)).collect();
    let holder = owner_of(&s.list, rel).map_or("no service", |o| s.list[o].name.as_str());
    let msg = format!(
        "NestJS library `{name}` ({root}) is imported by the applications {}: each serves the controllers of the modules it imports, but its routes are reported under `{holder}`, the service holding the library",
        names.join(", ")
    );
    s.diagnostics.push(Diagnostic::new(rel, Some(line), crate::diagnostic::Severity::Info, msg));
}

/// Directories whose apps are examples, tests or documentation, never a deployed
/// service however many of them there are (sorted).
const EXAMPLE_DIRS: &[&str] = &[
    "benchmarks",
    "doc",
    "docs",
    "docs_src",
    "example",
    "examples",
    "fixtures",
    "sample",
    "samples",
    "test",
    "tests",
    "tutorial",
    "tutorials",
];

/// Apps as services: a directory holding a module that builds a server at its
/// top level (`app = FastAPI()`, `Flask(__name__)`, `web.Application()`,
/// a gRPC servicer registration) or Django's `manage.py` is a service of its own
/// when the service around it (or the scan root, when none) holds several such
/// directories, or when it has a requirements file of its own
/// (`requirements-prod.txt`, `requirements/base.txt`). A single app inside a
/// project stays the project's service, and the outermost app directory wins
/// (an app nested in another app's directory is part of it). A top-level `app/`
/// is the root's app: it makes a sibling `analytics/app/main.py` one of several,
/// but is no service named `app` (`py-root-app-sibling-service`).
fn app_services(project: &Project, s: &mut Services) {
    let within =
        |d: &str, outer: &str| outer.is_empty() || d.starts_with(outer) && d.as_bytes().get(outer.len()) == Some(&b'/');
    let mut apps: BTreeMap<String, (String, u32)> = BTreeMap::new();
    // A NestJS handler (`@GrpcMethod('S', 'M')`) is no server registration: inside a Nest
    // package (a `package.json` naming `@nestjs/…`) it is that app's, whatever feature
    // directory holds it (`grpc/implementations/createProduct/`).
    let mut nest_dirs: Option<Vec<&str>> = None;
    let mut in_nest = |rel: &str| {
        let dirs = nest_dirs.get_or_insert_with(|| {
            let nest =
                |m: &String| file_name(m) == "package.json" && project.read(m).is_ok_and(|t| t.contains("\"@nestjs/"));
            project.manifests.iter().filter(|m| nest(m)).map(|m| dir_of(m)).collect()
        });
        dirs.iter().any(|d| within(rel, d))
    };
    for (i, f) in project.files.iter().enumerate() {
        let (rel, a) = (project.rel(i), &f.facts.arch);
        let registers = |g: &&crate::model::RawGrpc| g.server && (g.rpc.is_none() || !in_nest(rel));
        let line = a.servers.first().copied().or_else(|| a.grpc.iter().find(registers).map(|g| g.line));
        let line = line.or_else(|| (file_name(rel) == "manage.py").then_some(1));
        let example = rel.split('/').any(|d| super::in_sorted(EXAMPLE_DIRS, d));
        if let (Some(line), false) = (line, example) {
            apps.entry(app_dir(dir_of(rel)).to_string()).or_insert_with(|| (rel.to_string(), line));
        }
    }
    let dirs: Vec<&String> = apps.keys().filter(|d| !apps.keys().any(|o| o != *d && within(d, o))).collect();
    let mut groups: BTreeMap<Option<usize>, Vec<&String>> = BTreeMap::new();
    for d in dirs {
        // Already a service's, at the directory or inside it (`django/app/Dockerfile`).
        let served = s.list.iter().any(|x| x.dirs.iter().any(|sd| sd == d || within(sd, d) && within(&apps[d].0, sd)));
        if !d.is_empty() && !served {
            groups.entry(owner_of(&s.list, &format!("{d}/"))).or_default().push(d);
        }
    }
    let own_requirements = |d: &str| {
        project
            .manifests
            .iter()
            .any(|m| is_requirements(m) && (dir_of(m) == d || dir_of(m) == format!("{d}/requirements")))
    };
    // A top-level `app/` (`src/`, `server/`) counts for the directory above, the root:
    // one of several apps there, but the root's, not a service named `app`.
    let root_generic = |d: &str| GENERIC_DIRS.contains(&d);
    let found: Vec<&String> = groups
        .values()
        .flat_map(|g| {
            g.iter().filter(|d| {
                g.len() > 1 && !root_generic(d) || own_requirements(d) || django_beside_service(s, d, &apps[**d].0)
            })
        })
        .copied()
        .collect();
    for d in found {
        let (file, line) = apps[d].clone();
        s.list.push(Service { name: base_name(project, d), dirs: vec![d.clone()], file, line, ..Service::default() });
    }
}

/// Several processes started from one tree that no deployment file describes: two or
/// more Python files each building a Flask app at the top level and starting it with
/// `app.run(port=N)` ([`crate::lang::py_run`]), on ports written as numbers and all
/// different (`GateWay.py` on 9000, `Controllers/BookController.py` on 8000,
/// `Controllers/EmployeeController.py` on Flask's default 5000). Each is a process of
/// its own, so each file is a service of its own, named after the file (its directory
/// names none of them), and a `localhost:8000` call reaches the file that binds 8000.
/// Only files that no service owns, or whose service is a bare requirements/pyproject
/// directory (no Dockerfile, compose, Kubernetes or image), are split: a deployment
/// file says which process runs. Test and example files are left out. The rest of the
/// tree (shared modules, scripts) stays with the directory's service, if any.
fn run_file_services(project: &Project, s: &mut Services) {
    let bare = |o: Option<usize>| {
        o.is_none_or(|o| {
            let x = &s.list[o];
            !x.infra && x.projects.is_empty() && x.aliases.is_empty() && x.image.is_none() && {
                let f = file_name(&x.file);
                is_requirements(&x.file) || f == "pyproject.toml" || f == "setup.py"
            }
        })
    };
    let mut groups: BTreeMap<Option<usize>, Vec<(String, String)>> = BTreeMap::new();
    for (i, f) in project.files.iter().enumerate() {
        let (rel, a) = (project.rel(i), &f.facts.arch);
        if f.file.lang != crate::model::Lang::Python || a.servers.is_empty() || a.listens.is_empty() {
            continue;
        }
        if crate::lang::is_test_path(rel, f.file.lang) || rel.split('/').any(|d| super::in_sorted(EXAMPLE_DIRS, d)) {
            continue;
        }
        let literal = |t: &crate::model::Template| match t.as_slice() {
            [crate::model::Part::Lit(p)] if p.parse::<u16>().is_ok() => Some(p.clone()),
            _ => None,
        };
        let ports: Vec<Option<String>> = a.listens.iter().map(|(t, _)| literal(t)).collect();
        // One port, written as a number (several `run` calls must agree).
        let port = match ports.first() {
            Some(Some(p)) if ports.iter().all(|q| q.as_ref() == Some(p)) => p.clone(),
            _ => String::new(),
        };
        groups.entry(owner_of(&s.list, rel)).or_default().push((rel.to_string(), port));
    }
    let split: Vec<(String, String)> = groups
        .into_iter()
        .filter(|(owner, files)| {
            let mut ports: Vec<&str> = files.iter().map(|(_, p)| p.as_str()).collect();
            ports.sort_unstable();
            ports.dedup();
            files.len() >= 2 && ports.len() == files.len() && !ports.contains(&"") && bare(*owner)
        })
        .flat_map(|(_, files)| files)
        .collect();
    {
        for (rel, _) in split {
            let name = file_name(&rel).trim_end_matches(".py").to_string();
            s.list.push(Service { name, dirs: vec![rel.clone()], file: rel, line: 1, ..Service::default() });
        }
    }
}

/// A Django project directory (`post_service/manage.py`) beside a directory that is
/// already a service (`user_service/`, built by its Dockerfile): the two are sibling
/// services, though only one says so in a deployment file.
fn django_beside_service(s: &Services, dir: &str, app_file: &str) -> bool {
    file_name(app_file) == "manage.py"
        && s.list.iter().any(|x| x.dirs.iter().any(|d| !d.is_empty() && d != dir && dir_of(d) == dir_of(dir)))
}

/// `orders/app/main.py`'s app is the `orders` directory's (as [`base_name`] names it).
fn app_dir(dir: &str) -> &str {
    match dir.rsplit_once('/') {
        Some((parent, last)) if GENERIC_DIRS.contains(&last) => app_dir(parent),
        _ => dir,
    }
}

/// A pip requirements file: `requirements.txt`, `grpc_requirements.txt`,
/// `requirements-prod.txt`, or any `.txt` in a `requirements/` directory.
pub fn is_requirements(rel: &str) -> bool {
    let name = file_name(rel);
    name.ends_with(".txt") && (name.contains("requirements") || file_name(dir_of(rel)) == "requirements")
}

/// A `COPY`/`ADD` whose source starts with a variable (`COPY ${SERVICE}/*.js ./`).
fn copies_from_build_arg(dockerfile: &str) -> bool {
    copy_sources(dockerfile).any(|src| src.starts_with('$'))
}

/// The first source of each `COPY`/`ADD` line that copies from the build context
/// (not `COPY --from=stage`, whose sources are another image's files).
fn copy_sources(dockerfile: &str) -> impl Iterator<Item = &str> {
    dockerfile.lines().filter_map(|l| {
        let mut words = l.split_whitespace();
        let instr = words.next().unwrap_or("");
        let copy = instr.eq_ignore_ascii_case("COPY") || instr.eq_ignore_ascii_case("ADD");
        let mut args = words.skip_while(|w| w.starts_with("--") && !w.starts_with("--from"));
        let src = args.next().filter(|w| !w.starts_with("--from"));
        src.filter(|_| copy)
    })
}

/// A compose `build:` of a template Dockerfile (`context: ./source`, `dockerfile:
/// docker/Dockerfile`, `args: {SERVICE: orders}`, the Dockerfile copying
/// `${SERVICE}/…`): the code is the context's `orders` directory, when it holds code.
fn arg_source_dir(project: &Project, ctx: &str, dockerfile: Option<&str>, build: &Yaml) -> Option<String> {
    let args: Vec<(String, String)> = match build.get("args")? {
        Yaml::Map(m) => m.iter().filter_map(|(k, v, _)| Some((k.clone(), v.str()?.to_string()))).collect(),
        Yaml::Seq(items) => items
            .iter()
            .filter_map(|(x, _)| x.str()?.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
            .collect(),
        _ => return None,
    };
    let text = project.read(&join(ctx, dockerfile.unwrap_or("Dockerfile"))?).ok()?;
    let mut dirs = copy_sources(&text).filter_map(|src| {
        let (var, _) = src.strip_prefix('$')?.trim_start_matches('{').split_once(['}', '/'])?;
        let value = &args.iter().find(|(k, _)| k == var)?.1;
        join(ctx, value).filter(|d| !d.is_empty() && project.is_dir(d))
    });
    let first = dirs.next()?;
    dirs.all(|d| d == first).then_some(first)
}

fn cargo_service(project: &Project, dir: &str, text: &str) -> Option<String> {
    let t: toml::Table = text.parse().ok()?;
    let name = t.get("package")?.get("name")?.as_str()?.to_string();
    let main = join(dir, "src/main.rs").unwrap_or_default();
    let has_bin = t.get("bin").is_some() || project.file(&main).is_some() || {
        let bin_dir = join(dir, "src/bin").unwrap_or_default();
        project.is_dir(&bin_dir) && !bin_dir.is_empty()
    };
    has_bin.then_some(name)
}

/// What says a package is a library rather than a server: the names of the packages
/// other scanned packages (outside test directories) list in `dependencies` (a
/// workspace's `@lib/grpc`), and the directories of Nx library projects (`project.json`
/// of `"projectType": "library"`).
#[derive(Default)]
struct NpmLibraries {
    depended: BTreeSet<String>,
    nx_dirs: BTreeSet<String>,
}

fn npm_libraries(project: &Project) -> NpmLibraries {
    let mut out = NpmLibraries::default();
    for m in project.manifests.iter().filter(|m| file_name(m) == "package.json") {
        if dir_of(m).split('/').any(|d| in_sorted(EXAMPLE_DIRS, d)) {
            continue;
        }
        let Some(v) = project.read(m).ok().and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok()) else {
            continue;
        };
        let own = v.get("name").and_then(|n| n.as_str());
        if let Some(deps) = v.get("dependencies").and_then(|d| d.as_object()) {
            out.depended.extend(deps.keys().filter(|k| Some(k.as_str()) != own).cloned());
        }
    }
    for (t, _, root, _) in monorepo_projects(project).into_iter().flatten() {
        if t == "library" {
            out.nx_dirs.insert(root);
        }
    }
    out
}

fn npm_service(dir: &str, text: &str, libraries: &NpmLibraries) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let scripts = v.get("scripts").and_then(|s| s.as_object());
    // Test apps of a framework's own repository (`packages/kit/test/apps/basics`) run dev
    // servers too, for its tests: only outside test directories does one make a service.
    let test_dir = dir.split('/').any(|d| matches!(d, "test" | "tests" | "__tests__" | "e2e" | "fixtures"));
    let dev = |s: &serde_json::Map<String, serde_json::Value>| {
        !test_dir && s.values().filter_map(|c| c.as_str()).any(dev_server)
    };
    // `nest start` (behind `dotenv -e … --` or not): a Nest application whose
    // `@nestjs/core` a workspace root holds.
    let nest = |s: &serde_json::Map<String, serde_json::Value>| {
        s.values().filter_map(|c| c.as_str()).any(|c| {
            let words: Vec<&str> = c.split_whitespace().collect();
            words.windows(2).any(|w| w == ["nest", "start"])
        })
    };
    let start = scripts.is_some_and(|s| s.contains_key("start") || dev(s) || !test_dir && nest(s));
    let server = ["dependencies", "devDependencies"].iter().any(|k| {
        v.get(k)
            .and_then(|d| d.as_object())
            .is_some_and(|d| d.keys().any(|n| NPM_SERVERS.binary_search(&n.as_str()).is_ok()))
    });
    let name = v.get("name").and_then(|n| n.as_str()).unwrap_or("");
    // A library that only depends on a server package (`@grpc/grpc-js` for its clients):
    // an Nx library project, or an entry point (`main`, `types`, `exports`) another
    // package depends on, with no start script.
    let entry = ["main", "module", "types", "typings", "exports"].iter().any(|k| v.get(k).is_some());
    let library =
        !start && (libraries.nx_dirs.contains(dir) || entry && !name.is_empty() && libraries.depended.contains(name));
    ((start || server) && !library).then(|| name.to_string())
}

/// A script command that starts a dev server: its first command (after
/// `VAR=x` assignments and `cross-env`) is one of [`DEV_SERVERS`], with no
/// further word but options (`vite --port 3000`, not `vite build`).
fn dev_server(cmd: &str) -> bool {
    let first = cmd.split("&&").next().unwrap_or("");
    let words: Vec<&str> = first
        .split_whitespace()
        .skip_while(|w| w.contains('=') || *w == "cross-env")
        .take_while(|w| !w.starts_with('-'))
        .collect();
    (1..=2).any(|n| words.len() == n && DEV_SERVERS.binary_search(&words.join(" ").as_str()).is_ok())
}

fn python_service(project: &Project, dir: &str, name: &str, text: &str) -> Option<String> {
    // A `setup.py` is a project's manifest when it is a packaging script (it calls
    // setuptools' or distutils' `setup`): a module of an app that happens to be named so
    // (`app/data/setup.py` creating the database, importing FastAPI) is code, not a project.
    if name == "setup.py" && !["setuptools", "distutils"].iter().any(|w| text.contains(w)) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let web = PY_WEB.iter().any(|f| mentions_dist(&lower, f));
    let has_main = (0..project.files.len()).any(|i| {
        let rel = project.rel(i);
        file_name(rel) == "__main__.py" && (dir.is_empty() || rel.starts_with(&format!("{dir}/")))
    });
    if !web && !has_main {
        return None;
    }
    let declared = if name == "pyproject.toml" {
        text.parse::<toml::Table>().ok().and_then(|t| {
            let n = t.get("project").and_then(|p| p.get("name"));
            let n = n.or_else(|| t.get("tool").and_then(|p| p.get("poetry")).and_then(|p| p.get("name")));
            n.and_then(|n| n.as_str()).map(String::from)
        })
    } else {
        None
    };
    Some(declared.unwrap_or_default())
}

/// A requirement list mentions distribution `dist` as a whole word.
pub(super) fn mentions_dist(text: &str, dist: &str) -> bool {
    text.match_indices(dist).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + dist.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        !word(before) && !word(after)
    })
}

/// A value after Compose's variable interpolation ([`interpolate`]): the text Compose
/// would use, and whether a variable in it had no value and no default.
#[derive(Debug, PartialEq)]
pub(crate) struct Interpolated {
    pub text: String,
    /// A variable had no value and no default (Compose warns and reads it as empty), a
    /// `${VAR:?error}` had none (Compose stops), or a `${…}` was malformed (its error too;
    /// the text keeps it as written).
    pub unset: bool,
}

impl Interpolated {
    /// The text, when every variable in it had a value or a default: what can be stated.
    pub fn known(self) -> Option<String> {
        (!self.unset).then_some(self.text)
    }

    /// A variable's value, or empty and [`Self::unset`] when it has none.
    fn push_value(&mut self, value: Option<String>) {
        match value {
            Some(v) => self.text.push_str(&v),
            None => self.unset = true,
        }
    }

    /// A default or an alternative, itself interpolated (`${A:-${B:-x}}`).
    fn push_nested(&mut self, word: &str, lookup: &dyn Fn(&str) -> Option<String>) {
        let inner = interpolate(word, lookup);
        self.text.push_str(&inner.text);
        self.unset |= inner.unset;
    }

    /// The inside of `${…}`: a name, then nothing or one of `:-` `-` `:?` `?` `:+` `+`
    /// and its word.
    fn push_braced(&mut self, inner: &str, lookup: &dyn Fn(&str) -> Option<String>) {
        let n = var_name_len(inner);
        let (name, op) = inner.split_at(n);
        let value = if n > 0 { lookup(name) } else { None };
        let (colon, op) = op.strip_prefix(':').map_or((false, op), |o| (true, o));
        let chosen = if colon { value.as_deref().is_some_and(|v| !v.is_empty()) } else { value.is_some() };
        let word = op.get(1..).unwrap_or("");
        match op.as_bytes().first() {
            None if n > 0 && !colon => self.push_value(value),
            Some(b'-') if n > 0 && chosen => self.push_value(value),
            Some(b'-') if n > 0 => self.push_nested(word, lookup),
            Some(b'?') if n > 0 && chosen => self.push_value(value),
            Some(b'+') if n > 0 && chosen => self.push_nested(word, lookup),
            Some(b'?' | b'+') if n > 0 => self.unset |= op.starts_with('?'),
            _ => {
                self.unset = true;
                self.text.push_str("${");
                self.text.push_str(inner);
                self.text.push('}');
            }
        }
    }
}

/// The length of the variable name `s` starts with: `[_a-zA-Z][_a-zA-Z0-9]*`, else 0.
fn var_name_len(s: &str) -> usize {
    let b = s.as_bytes();
    if !b.first().is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') {
        return 0;
    }
    b.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count()
}

/// The index of the `}` closing a `${` whose inside `s` is, nested braces counted.
fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    s.bytes().position(|c| match c {
        b'{' => {
            depth += 1;
            false
        }
        b'}' if depth == 0 => true,
        b'}' => {
            depth -= 1;
            false
        }
        _ => false,
    })
}

/// Compose's variable interpolation in `v`, each variable's value from `lookup`, as the
/// Compose file reference's "Interpolation" defines it
/// (<https://docs.docker.com/reference/compose-file/interpolation/>):
/// `$VAR` and `${VAR}` with a name `[_a-zA-Z][_a-zA-Z0-9]*` (a `$` before anything else
/// stays as written); `${VAR:-default}` (unset or empty) and `${VAR-default}` (unset);
/// `${VAR:?error}` and `${VAR?error}` (the value, else Compose stops); `${VAR:+alt}` and
/// `${VAR+alt}` (`alt` when set, and not empty, else nothing); a default or an alternative
/// is itself interpolated; `$$` is a literal `$`. A variable with no value and no default
/// reads as empty and marks the result [`Interpolated::unset`] (Compose warns). The
/// Dockerfile's substitutions (`$VAR`, `${VAR:-word}`, `${VAR:+word}`) are the same forms.
pub(crate) fn interpolate(v: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Interpolated {
    let mut out = Interpolated { text: String::with_capacity(v.len()), unset: false };
    let mut rest = v;
    while let Some(i) = rest.find('$') {
        out.text.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        rest = if let Some(r) = after.strip_prefix('$') {
            out.text.push('$');
            r
        } else if let Some(braced) = after.strip_prefix('{') {
            match closing_brace(braced) {
                Some(end) => {
                    out.push_braced(&braced[..end], lookup);
                    &braced[end + 1..]
                }
                // An unclosed `${`: Compose's "invalid interpolation format", kept as written.
                None => {
                    out.unset = true;
                    out.text.push('$');
                    after
                }
            }
        } else {
            let len = var_name_len(after);
            match len {
                0 => out.text.push('$'),
                _ => out.push_value(lookup(&after[..len])),
            }
            &after[len..]
        };
    }
    out.text.push_str(rest);
    out
}

/// The largest compose or Kubernetes file read, below `--max-file-size`:
/// a YAML tree costs many times the memory of its text.
pub(super) const MAX_YAML: usize = 2 * 1024 * 1024;

fn read_yaml(project: &Project, rel: &str, s: &mut Services) -> Vec<Yaml> {
    let Ok(text) = project.read(rel) else { return Vec::new() };
    if text.len() > MAX_YAML {
        let msg =
            format!("{} bytes of YAML is over the {MAX_YAML}-byte limit for deployment files: skipped", text.len());
        s.diagnostics.push(Diagnostic::warning(rel, None, msg));
        return Vec::new();
    }
    // Helm/Go templates (`{{ .Values.x }}`) are not YAML until rendered.
    if text.contains("{{") {
        return Vec::new();
    }
    match yaml::parse(&text) {
        Ok(docs) => docs,
        Err((msg, line)) => {
            if is_compose(file_name(rel)) || text.contains("apiVersion") {
                s.diagnostics.push(Diagnostic::warning(rel, Some(line), format!("invalid YAML ({msg}): skipped")));
            }
            Vec::new()
        }
    }
}

/// A compose file none of whose services says what it runs (no `image`, `build` or
/// `extends`: only `ports`, `env_file`, `volumes`…): a fragment given with `-f` after the
/// file defining its services (`-f docker-compose.yml -f docker-compose.local.yml`), whose
/// entries add to those services. Read after every other file, each entry is the service
/// of its name (`claim_image`), never a build of the fragment's directory.
fn is_fragment(project: &Project, rel: &str) -> bool {
    let Ok(text) = project.read(rel) else { return false };
    if text.len() > MAX_YAML || text.contains("{{") {
        return false;
    }
    let docs = yaml::parse(&text).unwrap_or_default();
    let entries: Vec<&Yaml> =
        docs.iter().flat_map(|d| d.get("services").map(Yaml::entries).unwrap_or(&[])).map(|(_, e, _)| e).collect();
    !entries.is_empty() && entries.iter().all(|e| ["image", "build", "extends"].iter().all(|k| e.get(k).is_none()))
}

/// Each compose file with the project it belongs to, named by its main file:
/// `docker-compose.override.yml` belongs to `docker-compose.yml` (compose merges
/// them by itself), a file another one `include:`s to the including file's.
/// Other files of one directory (`docker-compose.prod.yml`) are given with `-f`,
/// alone or together: each is its own file, and they share the directory's project.
fn compose_projects(project: &Project, s: &mut Services) -> BTreeMap<String, String> {
    let files: Vec<&String> = project.manifests.iter().filter(|m| is_compose(file_name(m))).collect();
    let mut key: BTreeMap<String, String> = files.iter().map(|m| ((*m).clone(), main_compose(m))).collect();
    let mut included: BTreeMap<String, String> = BTreeMap::new();
    for m in &files {
        if !project.read(m).is_ok_and(|t| t.contains("include:")) {
            continue;
        }
        for doc in read_yaml(project, m, s) {
            for (item, _) in doc.get("include").map(Yaml::items).unwrap_or(&[]) {
                let paths = match item {
                    Yaml::Map(_) => item.get("path").map(|p| match p {
                        Yaml::Seq(items) => items.iter().filter_map(|(x, _)| x.str()).collect(),
                        x => x.str().into_iter().collect(),
                    }),
                    x => x.str().map(|p| vec![p]),
                };
                for p in paths.unwrap_or_default() {
                    if let Some(target) = join(dir_of(m), p).filter(|t| key.contains_key(t)) {
                        included.entry(target).or_insert_with(|| (*m).clone());
                    }
                }
            }
        }
    }
    // An included file that includes others passes them on to its own includer.
    for m in &files {
        let mut k = (*m).clone();
        for _ in 0..8 {
            match included.get(&k) {
                Some(up) if *up != k => k.clone_from(up),
                _ => break,
            }
        }
        let main = main_compose(&k);
        key.insert((*m).clone(), main);
    }
    key
}

/// `app/docker-compose.override.yml` → `app/docker-compose.yml`.
fn main_compose(rel: &str) -> String {
    let (dir, name) = (dir_of(rel), file_name(rel));
    let name = name.replacen(".override.", ".", 1);
    if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    }
}

fn from_compose(project: &Project, rel: &str, key: &str, s: &mut Services) {
    let base = dir_of(rel);
    let variant_file = variant_compose_file(file_name(rel));
    let mut claimed: BTreeMap<String, (bool, bool)> = BTreeMap::new();
    // Whether the entry that claimed each build directory picks its modules by environment.
    let mut selecting: BTreeMap<String, bool> = BTreeMap::new();
    // Services Traefik routes by their labels (`resolve::gateway`).
    let mut routed: Vec<(usize, gateway::Traefik)> = Vec::new();
    let mut traefiks: Vec<usize> = Vec::new();
    for doc in read_yaml(project, rel, s) {
        let entries = doc.get("services").map(Yaml::entries).unwrap_or(&[]);
        let builds: Vec<ComposeBuild> = entries.iter().map(|(_, e, _)| compose_build(s, base, e)).collect();
        for (k, (name, entry, line)) in entries.iter().enumerate() {
            let mut variant = false;
            let mut packaged = None;
            let mut build_dir = match entry.get("build") {
                Some(Yaml::Scalar(ctx)) => join(base, ctx),
                // With `dockerfile: backend/Dockerfile`, the code is where the Dockerfile is.
                Some(b @ Yaml::Map(_)) => {
                    let var = |k| b.get(k).and_then(Yaml::str).map(|v| s.compose_value(base, v).text);
                    let ctx = join(base, &var("context").unwrap_or_else(|| ".".into()));
                    let df = var("dockerfile");
                    // `Dockerfile.cypress` beside another service's `Dockerfile` is a variant
                    // (tests, dev): it does not take over the service that owns the directory.
                    variant = df.as_deref().is_some_and(|d| !matches!(file_name(d), "Dockerfile" | "Containerfile"));
                    let root_df = ctx.as_deref().zip(df.as_deref()).and_then(|(c, d)| Some((c, join(c, d)?)));
                    variant =
                        variant && !root_df.is_some_and(|(c, d)| dir_of(&d) == c && builds_own_code(project, c, &d));
                    let from_arg = ctx.as_deref().and_then(|c| arg_source_dir(project, c, df.as_deref(), b));
                    match (ctx, df) {
                        _ if from_arg.is_some() => from_arg,
                        // A Dockerfile outside its context (`context: ./gateway`, `dockerfile:
                        // ../Dockerfile`, shared by several services) can copy only the
                        // context: the code is the context, and the Dockerfile no service of its own.
                        (Some(c), Some(df)) if join(&c, &df).is_some_and(|p| !is_under(&p, &c)) => {
                            packaged = join(&c, &df);
                            Some(c)
                        }
                        (Some(c), Some(df)) => join(&c, &df).map(|p| {
                            match nest_app(s, &c, &p, name).or_else(|| packaged_code_dir(project, s, &c, &p)) {
                                Some(code) => {
                                    packaged = Some(p);
                                    code
                                }
                                None => dir_of(&p).to_string(),
                            }
                        }),
                        (c, _) => c,
                    }
                }
                _ => None,
            };
            // A root Dockerfile of a workspace repository (`dockerfile: ./Dockerfile.backend`
            // at `context: .`) builds one of the context's service directories.
            let root_df = match entry.get("build") {
                Some(Yaml::Scalar(_)) => build_dir.as_deref().and_then(|d| join(d, "Dockerfile")),
                Some(b) => b.get("dockerfile").and_then(Yaml::str).and_then(|df| {
                    let ctx = b.get("context").and_then(Yaml::str).unwrap_or(".");
                    join(&join(base, &s.compose_value(base, ctx).text)?, &s.compose_value(base, df).text)
                }),
                None => None,
            };
            let picked = match (&build_dir, &root_df) {
                (Some(dir), Some(df)) if dir_of(df) == dir => {
                    workspace_dir(project, s, dir, df, entry, base, (k, &builds))
                }
                _ => None,
            };
            if let (Some(dir), Some(df)) = (picked.as_ref(), root_df.as_ref()) {
                s.built_elsewhere.push(df.clone());
                variant = false;
                build_dir = Some(dir.clone());
            }
            // The packaging directory's Dockerfile is the code directory's build, no service of its own.
            s.built_elsewhere.extend(packaged);
            let image = entry.get("image").and_then(Yaml::str).map(String::from);
            // Two entries building one directory (a web service and its worker, two replicas):
            // the first names the code, unless a later one publishes ports the first does not
            // or the first runs a worker (`command: python consumer.py`) and the later not;
            // the others are its other names.
            let rank = entry_rank(entry);
            // Entries of one build that each pick the code they run with an environment
            // variable (`SERVICES: login`): each after the first is a service of its own,
            // holding what it picks, when the first picks too ([`selected_modules`]).
            let picks =
                build_dir.as_deref().filter(|_| !variant).and_then(|d| selected_modules(project, s, base, d, entry));
            let i = match (&build_dir, picks) {
                (Some(dir), Some(modules)) if selecting.get(dir) == Some(&true) => {
                    claim_modules(s, name, modules, rel, *line, key)
                }
                (Some(dir), picks) => {
                    let secondary = variant || claimed.get(dir).is_some_and(|first| rank <= *first);
                    if !secondary {
                        claimed.insert(dir.clone(), rank);
                        selecting.insert(dir.clone(), picks.is_some());
                    }
                    claim_dir(s, name, dir, rel, *line, secondary, key)
                }
                (None, _) => claim_image(s, name, image.as_deref(), rel, *line, Some(key)),
            };
            // `$API_PORT:$API_PORT`: the value compose publishes, when every variable has one.
            let ports: Vec<(&Yaml, u32, String)> = entry
                .get("ports")
                .map(Yaml::items)
                .unwrap_or(&[])
                .iter()
                .map(|(p, line)| {
                    let written = match p {
                        Yaml::Scalar(x) => x.clone(),
                        m => {
                            let f = |k| m.get(k).and_then(Yaml::str).unwrap_or("").to_string();
                            format!("{}:{}", f("published"), f("target"))
                        }
                    };
                    (p, *line, s.compose_value(base, &written).known().unwrap_or(written))
                })
                .collect();
            let svc = &mut s.list[i];
            if !svc.projects.iter().any(|p| p == key) {
                svc.projects.push(key.to_string());
            }
            if svc.image.is_none() {
                svc.image.clone_from(&image);
            }
            for key in ["container_name", "hostname"] {
                if let Some(a) = entry.get(key).and_then(Yaml::str) {
                    add_alias(svc, a);
                }
            }
            // The container runs its `entrypoint:` with its `command:` as arguments.
            let (entrypoint, command) = (entry.entry("entrypoint"), entry.entry("command"));
            if let Some((_, line)) = command.or(entrypoint) {
                let mut words = entrypoint.map(|(e, _)| command_words(e)).unwrap_or_default();
                words.extend(command.map(|(c, _)| command_words(c)).unwrap_or_default());
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                if let Some((app, queues)) = celery_worker(&words) {
                    // The line of the part naming celery.
                    let celery = |y: &Yaml| command_words(y).iter().any(|w| w == "celery" || w.ends_with("/celery"));
                    let line = match entrypoint {
                        Some((e, l)) if celery(e) => l,
                        _ => line,
                    };
                    let worker = CeleryWorker { app, queues, file: rel.to_string(), line };
                    if !svc.celery_workers.contains(&worker) {
                        svc.celery_workers.push(worker);
                    }
                }
            }
            for (_, net, _) in entry.get("networks").map(Yaml::entries).unwrap_or(&[]) {
                svc.aliases.extend(
                    net.get("aliases")
                        .map(Yaml::items)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|(a, _)| a.str().map(String::from)),
                );
            }
            for (p, line, written) in ports {
                let parts: Vec<&str> = written.split('/').next().unwrap_or("").split(':').collect();
                if parts.len() >= 2 {
                    if let Ok(port) = parts[parts.len() - 2].parse::<u16>() {
                        if variant_file {
                            svc.variant_ports.push(port)
                        } else {
                            svc.host_ports.push(port)
                        }
                    }
                }
                // A mapping's own line is where it ends: the long syntax's first key is where it starts.
                let line = p.entries().first().map_or(line, |(_, _, l)| *l);
                let site = PortSite { port: written.clone(), from: "compose", file: rel.to_string(), line: Some(line) };
                svc.port_sites.push(site);
                svc.ports.push(written);
            }
            // `- CART_ADDR` or `CART_ADDR:` with no value passes the variable through
            // from compose's own environment: its `.env` file.
            let passed = |k: &str| s.dotenv_value(base, k);
            let mut env = Vec::new();
            match entry.get("environment") {
                Some(Yaml::Map(m)) => {
                    for (k, v, _) in m {
                        env.push((k.clone(), v.str().map(String::from).or_else(|| passed(k))));
                    }
                }
                Some(Yaml::Seq(items)) => {
                    for (item, _) in items {
                        match item.str().map(|x| x.split_once('=').ok_or(x)) {
                            Some(Ok((k, v))) => env.push((k.to_string(), Some(v.to_string()))),
                            Some(Err(k)) => env.push((k.to_string(), passed(k))),
                            None => {}
                        }
                    }
                }
                _ => {}
            }
            let from_files = env_files(project, base, entry);
            let svc = &mut s.list[i];
            for (k, v) in env {
                if let Some(v) = v {
                    svc.env_by_entry.entry(k.clone()).or_default().insert(name.clone(), v.clone());
                    svc.env.insert(k, v);
                }
            }
            for (k, v) in from_files {
                svc.env.entry(k).or_insert(v);
            }
            // Kong in DB-less mode: the routes of the declarative file it mounts (`resolve::gateway`).
            let volumes = entry.get("volumes").map(Yaml::items).unwrap_or(&[]);
            if let Some(config) = gateway::kong_config(base, svc.image.as_deref(), &svc.env, volumes) {
                let (rules, diagnostics) = gateway::kong_file(project, &config);
                svc.proxies.extend(rules);
                s.diagnostics.extend(diagnostics);
            }
            // KrakenD: the backends of the configuration it mounts are its own calls.
            for config in gateway::krakend_configs(base, svc.image.as_deref(), volumes, project.manifests) {
                if let Ok(conf) = project.read(&config) {
                    for route in gateway::krakend_routes(&config, &conf) {
                        if !svc.gateway_routes.contains(&route) {
                            svc.gateway_routes.push(route);
                        }
                    }
                }
            }
            // nginx/HAProxy configurations it mounts: its own calls and proxies.
            for (config, haproxy) in gateway::configs_mounted(base, volumes, project.manifests) {
                if let Ok(conf) = project.read(&config) {
                    add_gateway(svc, &config, &conf, haproxy);
                }
            }
            routed.extend(gateway::traefik(name, entry, container_port(entry).as_deref()).map(|t| (i, t)));
            if image.as_deref().is_some_and(gateway::traefik_image) {
                traefiks.push(i);
            }
            match entry.entry("depends_on") {
                Some((Yaml::Seq(items), _)) => {
                    for (d, l) in items {
                        if let Some(d) = d.str() {
                            svc.depends_on.push((d.to_string(), rel.to_string(), *l));
                        }
                    }
                }
                Some((Yaml::Map(m), _)) => {
                    for (d, _, l) in m {
                        svc.depends_on.push((d.clone(), rel.to_string(), *l));
                    }
                }
                _ => {}
            }
        }
    }
    for (front, rule) in gateway::traefik_proxies(&routed, &traefiks) {
        if !s.list[front].proxies.contains(&rule) {
            s.list[front].proxies.push(rule);
        }
    }
}

/// The one port a compose service's container listens on: the container side of its only
/// `ports` entry, else its only `expose` entry.
fn container_port(entry: &Yaml) -> Option<String> {
    let one = |k: &str| match entry.get(k).map(Yaml::items) {
        Some([(p, _)]) => p.str().or_else(|| p.get("target").and_then(Yaml::str)).map(String::from),
        _ => None,
    };
    let p = one("ports").or_else(|| one("expose"))?;
    let p = p.split('/').next().unwrap_or(&p);
    let p = p.rsplit(':').next().unwrap_or(p);
    p.chars().all(|c| c.is_ascii_digit()).then(|| p.to_string()).filter(|p| !p.is_empty())
}

/// The variables of a compose service's `env_file:` files (`.env.local`, `[../common.env,
/// ./.env.local]`, `[{path: x.env, required: false}]`), relative to the compose file: later
/// files win, and `environment:` wins over them all (the caller's `or_insert`), as compose
/// merges them. A file that is missing or outside the scan root gives nothing.
fn env_files(project: &Project, base: &str, entry: &Yaml) -> BTreeMap<String, String> {
    let paths: Vec<&str> = match entry.get("env_file") {
        Some(Yaml::Scalar(p)) => vec![p.as_str()],
        Some(Yaml::Seq(items)) => {
            items.iter().filter_map(|(item, _)| item.str().or_else(|| item.get("path").and_then(Yaml::str))).collect()
        }
        _ => Vec::new(),
    };
    let mut env = BTreeMap::new();
    for text in paths.into_iter().filter_map(|p| join(base, p)).filter_map(|p| project.read(&p).ok()) {
        env.extend(parse_dotenv(&text));
    }
    env
}

/// The service directory inside `ctx` that a Dockerfile at the context's root
/// builds, when the context is a workspace of several (`Dockerfile.backend` beside
/// `backend/` and `frontend/`). Candidates: the directory the Dockerfile's suffix
/// names (`Dockerfile.backend`, `backend.Dockerfile`), the package a `yarn workspace
/// backend` / `--workspace=backend` / `--filter backend` command runs, the first
/// directory of a `COPY backend/ …` source, and a bind-mounted host directory of the
/// compose service (`./backend:/usr/backend`). Each must be the directory of a
/// service found from its own manifest; one distinct candidate is the answer, none or
/// several leave the build at the root. A context whose root is itself a code
/// package (a `package.json` server, a Cargo binary) keeps its build.
///
/// Failing these, when the root holds a manifest or no candidate is found (not several),
/// the compose entry's own signs among those sharing its context ([`shared_context_dir`]).
fn workspace_dir(
    project: &Project,
    s: &Services,
    ctx: &str,
    df: &str,
    entry: &Yaml,
    base: &str,
    (k, builds): (usize, &[ComposeBuild]),
) -> Option<String> {
    let manifest_at_root = s.list.iter().any(|x| {
        let n = file_name(&x.file);
        x.dirs.iter().any(|d| d == ctx) && !is_dockerfile(n)
    });
    if manifest_at_root {
        return shared_context_dir(project, ctx, k, builds);
    }
    // A service directory strictly inside the context, found from its own files.
    let service_dir = |d: Option<String>| {
        d.filter(|d| *d != ctx && (ctx.is_empty() || d.starts_with(&format!("{ctx}/"))))
            .filter(|d| s.list.iter().any(|x| x.dirs.len() == 1 && x.dirs[0] == *d))
    };
    let mut found: Vec<String> = Vec::new();
    let name = file_name(df);
    let suffix = name.strip_prefix("Dockerfile.").or_else(|| name.strip_suffix(".Dockerfile"));
    found.extend(service_dir(suffix.and_then(|x| join(ctx, x))));
    if let Ok(text) = project.read(df) {
        for src in copy_sources(&text) {
            let first = src.trim_start_matches("./").split('/').next().unwrap_or("");
            if !first.is_empty() && !first.contains(['*', '$', '.']) {
                found.extend(service_dir(join(ctx, first)));
            }
        }
        for pkg in workspace_packages(&text) {
            let dirs = s.list.iter().filter(|x| x.name == pkg && x.dirs.len() == 1).map(|x| Some(x.dirs[0].clone()));
            found.extend(dirs.filter_map(service_dir));
        }
    }
    for (v, _) in entry.get("volumes").map(Yaml::items).unwrap_or(&[]) {
        let host = match v {
            Yaml::Scalar(x) => x.split(':').next(),
            m => m.get("source").and_then(Yaml::str),
        };
        let bind = host.filter(|h| h.starts_with("./") || h.starts_with("../"));
        found.extend(service_dir(bind.and_then(|h| join(base, h))));
    }
    found.sort();
    found.dedup();
    match found.len() {
        0 => shared_context_dir(project, ctx, k, builds),
        1 => Some(found.remove(0)),
        _ => None,
    }
}

/// What a compose entry builds: its context and Dockerfile (joined to the compose file's
/// directory; the default `Dockerfile` when it names none), its command words
/// (`entrypoint:` then `command:`) and the host directories it bind-mounts (`./gateway:/app/gateway`).
#[derive(Default)]
struct ComposeBuild {
    ctx: Option<String>,
    dockerfile: Option<String>,
    command: Vec<String>,
    binds: Vec<String>,
    /// Which of two entries of one build names the code ([`entry_rank`]).
    rank: (bool, bool),
}

/// How strongly a compose entry names the code it builds: publishing ports first, then
/// not running a worker (`command: python consumer.py`); of two of equal rank the first.
fn entry_rank(entry: &Yaml) -> (bool, bool) {
    (entry.get("ports").is_some() || entry.get("expose").is_some(), !worker_command(entry))
}

fn compose_build(s: &Services, base: &str, entry: &Yaml) -> ComposeBuild {
    let (ctx, df) = match entry.get("build") {
        Some(Yaml::Scalar(c)) => (join(base, &s.compose_value(base, c).text), None),
        Some(b @ Yaml::Map(_)) => {
            let var = |k| b.get(k).and_then(Yaml::str).map(|v| s.compose_value(base, v).text);
            (join(base, &var("context").unwrap_or_else(|| ".".into())), var("dockerfile"))
        }
        _ => return ComposeBuild::default(),
    };
    let dockerfile = ctx.as_deref().and_then(|c| join(c, df.as_deref().unwrap_or("Dockerfile")));
    let mut command = entry.get("entrypoint").map(command_words).unwrap_or_default();
    command.extend(entry.get("command").map(command_words).unwrap_or_default());
    let mut binds = Vec::new();
    for (v, _) in entry.get("volumes").map(Yaml::items).unwrap_or(&[]) {
        let host = match v {
            Yaml::Scalar(x) => x.split(':').next(),
            m => m.get("source").and_then(Yaml::str),
        };
        if let Some(dir) = host.filter(|h| h.starts_with("./") || h.starts_with("../")).and_then(|h| join(base, h)) {
            binds.push(dir);
        }
    }
    ComposeBuild { ctx, dockerfile, command, binds, rank: entry_rank(entry) }
}

/// The code directory of compose entry `k` of `builds` when it shares its build context
/// `ctx` (a Dockerfile at the context's root) with other entries of the same file that
/// differ by Dockerfile or command (`api-gateway` from `Dockerfile.gateway`, `user-service`
/// and `task-service` from one `Dockerfile.service`, each mounting its own code): the
/// first of these to name one directory, checked in this order:
/// - the script its compose command runs (`python services/x/main.py`, `uvicorn
///   gateway.main:app`, `python -m gateway.main`), a scanned file of the context;
/// - the code directories it alone of those entries bind-mounts (`./services/task-service:/app/…`;
///   one every sharing entry mounts, `./src`, is their shared code; a generic `src`/`app`
///   names no service);
/// - the script its Dockerfile's `CMD`/`ENTRYPOINT` runs, when no other entry builds that
///   Dockerfile (a shared Dockerfile's default command names one service's script).
///
/// A script at the context's root keeps the build there, as do several directories or none.
/// A script in a directory a sibling that outranks the entry runs its own script from (or
/// a generic `src/`) is the entry's code alone: the file, not its directory (a worker
/// `command: ["node", "src/worker.js"]` beside the web app's `CMD ["node", "src/app.js"]`).
fn shared_context_dir(project: &Project, ctx: &str, k: usize, builds: &[ComposeBuild]) -> Option<String> {
    let me = builds.get(k)?;
    let same_ctx: Vec<&ComposeBuild> =
        builds.iter().enumerate().filter(|(j, b)| *j != k && b.ctx.as_deref() == Some(ctx)).map(|(_, b)| b).collect();
    if !same_ctx.iter().any(|b| b.dockerfile != me.dockerfile || b.command != me.command || b.binds != me.binds) {
        return None;
    }
    let inside = |d: &str| d == ctx || is_under(d, ctx);
    let script_files = |words: &[String]| -> Vec<String> {
        let mut out = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let w = w.trim_start_matches("./");
            let module = i > 0 && words[i - 1] == "-m";
            let paths: Vec<String> = if module {
                let m = w.replace('.', "/");
                vec![format!("{m}.py"), format!("{m}/__main__.py")]
            } else if let Some((m, _)) = w.split_once(':').filter(|(m, a)| {
                !m.is_empty() && !a.is_empty() && !m.contains('/') && a.chars().all(|c| c.is_alphanumeric() || c == '_')
            }) {
                vec![format!("{}.py", m.replace('.', "/"))]
            } else if [".py", ".js", ".mjs", ".cjs", ".ts"].iter().any(|x| w.ends_with(x)) && !w.starts_with('/') {
                vec![w.to_string()]
            } else {
                continue;
            };
            for p in paths {
                if let Some(f) = join(ctx, &p).filter(|f| project.file(f).is_some()) {
                    out.push(f);
                }
            }
        }
        out
    };
    let scripts =
        |words: &[String]| -> Vec<String> { script_files(words).iter().map(|f| dir_of(f).to_string()).collect() };
    let binds: Vec<String> = me
        .binds
        .iter()
        .filter(|d| *d != ctx && inside(d) && project.is_dir(d) && !in_sorted(GENERIC_DIRS, file_name(d)))
        .filter(|d| !same_ctx.iter().any(|b| b.binds.contains(d)))
        .cloned()
        .collect();
    let cmd = || {
        let df = me.dockerfile.as_deref()?;
        if same_ctx.iter().any(|b| b.dockerfile.as_deref() == Some(df)) {
            return None;
        }
        let text = project.read(df).ok()?;
        // The code directories it copies (`COPY gateway/ ./gateway/`), but a generic one or
        // one every sibling mounts (`src/`, shared code), must all hold the script: an
        // image copying `api/` and `worker/` is not the worker's alone.
        let copied: Vec<String> = copy_sources(&text)
            .filter_map(|src| src.trim_start_matches("./").split('/').next().filter(|f| !f.is_empty()))
            .filter_map(|first| join(ctx, first))
            .filter(|d| *d != ctx && project.is_dir(d) && !in_sorted(GENERIC_DIRS, file_name(d)))
            .filter(|d| !same_ctx.iter().any(|b| b.binds.contains(d)))
            .collect();
        let found = scripts(&run_words(&text));
        let holds = |d: &String| copied.iter().all(|c| d == c || is_under(d, c));
        Some(found.into_iter().filter(holds).collect())
    };
    // The script its command runs sits in a directory a sibling that outranks it (publishing
    // ports, not a worker) runs its own script from, by its command or its Dockerfile's
    // default one, or a generic one (`src/`): the directory is that sibling's code, and
    // the entry runs that one file of it (`command: ["node", "src/worker.js"]` beside the
    // web app's `CMD ["node", "src/app.js"]`).
    let own = script_files(&me.command);
    if let [file] = own.as_slice() {
        let dir = dir_of(file);
        let runs_from = |b: &ComposeBuild| {
            let words = match (&b.command[..], b.dockerfile.as_deref()) {
                ([], Some(df)) => project.read(df).map(|t| run_words(&t)).unwrap_or_default(),
                (words, _) => words.to_vec(),
            };
            scripts(&words).iter().any(|d| d == dir)
        };
        let outranked = builds.iter().enumerate().any(|(j, b)| {
            j != k
                && b.ctx.as_deref() == Some(ctx)
                && (b.rank > me.rank || b.rank == me.rank && j < k)
                && (in_sorted(GENERIC_DIRS, file_name(dir)) || runs_from(b))
        });
        if dir != ctx && outranked {
            return Some(file.clone());
        }
    }
    let tiers: [&dyn Fn() -> Vec<String>; 3] =
        [&|| scripts(&me.command), &|| binds.clone(), &|| cmd().unwrap_or_default()];
    for tier in tiers {
        let mut found = tier();
        found.sort();
        found.dedup();
        match found.as_slice() {
            [] => continue,
            [one] if one != ctx => return Some(one.clone()),
            _ => return None,
        }
    }
    None
}

/// The words of a Dockerfile's `CMD` and `ENTRYPOINT` instructions, in shell or exec form.
fn run_words(dockerfile: &str) -> Vec<String> {
    dockerfile_instructions(dockerfile)
        .into_iter()
        .filter(|(word, _, _)| word == "CMD" || word == "ENTRYPOINT")
        .flat_map(|(_, rest, _)| {
            rest.split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | ',' | '"' | '\''))
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The code directory a compose build makes when its Dockerfile `df` sits in a packaging
/// subdirectory of the code ([`PACKAGING_DIRS`]: `context: ..`, `dockerfile:
/// orders/.docker/Dockerfile`): the directory above, `orders`, as the README's `src/` and
/// `app/` rule names a service after it, when that directory is in the context `ctx` and
/// the Dockerfile copies scanned code from it, outside the packaging directory (`COPY
/// orders/app .`), and from no other service's directory below it (a root `docker/Dockerfile`
/// copying `api/`, or `.` holding `api/`, does not build the root). A Dockerfile copying only its own directory's
/// files (a database image's `COPY .docker/init.sql …`) keeps its directory.
fn packaged_code_dir(project: &Project, s: &Services, ctx: &str, df: &str) -> Option<String> {
    let mut pack = dir_of(df);
    // One image of several, each in a directory of its own: `.docker/ci/Dockerfile`.
    if !in_sorted(PACKAGING_DIRS, file_name(pack)) && in_sorted(PACKAGING_DIRS, file_name(dir_of(pack))) {
        pack = dir_of(pack);
    }
    let code = dir_of(pack);
    let inside = |p: &str, d: &str| p == d || is_under(p, d);
    if !in_sorted(PACKAGING_DIRS, file_name(pack)) || pack == ctx || !inside(code, ctx) {
        return None;
    }
    let text = project.read(df).ok()?;
    let mut copies_code = false;
    for path in copy_sources(&text).filter(|src| !src.starts_with('$')).filter_map(|src| join(ctx, src)) {
        if !inside(&path, code) || inside(&path, pack) || !(project.is_dir(&path) || project.file(&path).is_some()) {
            continue;
        }
        // Another service's directory copied, or holding what is copied: not this build's code.
        let other = |d: &String| is_under(d, code) && *d != code && !inside(d, pack);
        if s.list.iter().flat_map(|x| &x.dirs).filter(|d| other(d)).any(|d| inside(&path, d) || is_under(d, &path)) {
            return None;
        }
        copies_code = true;
    }
    copies_code.then(|| code.to_string())
}

/// The Nest CLI application a compose build makes when its context `ctx` holds a Nest CLI
/// monorepo (`nest-cli.json` listing applications, each a service of its own) and its
/// Dockerfile `df` is no application's own (`context: .`, `dockerfile: .docker/api/Dockerfile`,
/// copying the whole tree): the application named like the compose service `name`, or like
/// the Dockerfile's own directory in a packaging directory (`.docker/api`), when those name
/// exactly one. Which application the image runs is its command's choice (`npm run
/// start:prod`), read here by those names only.
fn nest_app(s: &Services, ctx: &str, df: &str, name: &str) -> Option<String> {
    let cli = join(ctx, "nest-cli.json")?;
    let apps: Vec<&Service> = s.list.iter().filter(|x| x.file == cli && x.dirs.len() == 1).collect();
    if apps.is_empty() || apps.iter().any(|x| is_under(df, &x.dirs[0])) {
        return None;
    }
    let pack = dir_of(df);
    let by_dir = in_sorted(PACKAGING_DIRS, file_name(dir_of(pack))).then(|| file_name(pack));
    let mut found: Vec<&str> =
        apps.iter().filter(|x| x.name == name || Some(x.name.as_str()) == by_dir).map(|x| x.dirs[0].as_str()).collect();
    found.dedup();
    match found.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

/// A Dockerfile `df` of another name than `Dockerfile` (`Dockerfile.gateway`) at the root
/// of its build context `dir`, beside no `Dockerfile` of that directory, that copies a
/// scanned source file of the directory itself (`COPY gateway.py .`): the directory is that
/// image's code, so the compose service names it, not a variant of another build. (A
/// workspace root whose suffix names no service directory would otherwise keep the scan
/// root's name.)
fn builds_own_code(project: &Project, dir: &str, df: &str) -> bool {
    let beside_dockerfile = ["Dockerfile", "Containerfile"]
        .iter()
        .any(|n| join(dir, n).is_some_and(|p| project.manifests.binary_search(&p).is_ok()));
    !beside_dockerfile
        && project.read(df).is_ok_and(|text| {
            copy_sources(&text)
                .filter_map(|src| join(dir, src))
                .any(|p| dir_of(&p) == dir && project.file(&p).is_some())
        })
}

/// Packages a Dockerfile runs by workspace: `yarn workspace X`, `npm … --workspace=X`
/// (`-w X`), `pnpm --filter X`, in shell or exec (`["yarn", "workspace", "X"]`) form.
fn workspace_packages(dockerfile: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in dockerfile.lines() {
        let words: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | ',' | '"' | '\''))
            .filter(|w| !w.is_empty())
            .collect();
        for (i, w) in words.iter().enumerate() {
            let next = words.get(i + 1).copied();
            let pkg = match *w {
                "workspace" if i > 0 && words[i - 1] == "yarn" => next,
                "--workspace" | "-w" | "--filter" => next,
                _ => w.strip_prefix("--workspace=").or_else(|| w.strip_prefix("--filter=")),
            };
            if let Some(p) = pkg.filter(|p| !p.starts_with('-')) {
                out.push(p.to_string());
            }
        }
    }
    out
}

/// The service built from `dir`, renamed to the compose/k8s `name`. A `variant`
/// (built from a Dockerfile other than `Dockerfile`: tests, a dev image) only adds
/// its name as an alias of a service the directory already has.
///
/// A name is one service within a compose project (a directory's compose files);
/// the same name in another project is another service.
fn claim_dir(s: &mut Services, name: &str, dir: &str, file: &str, line: u32, variant: bool, key: &str) -> usize {
    // Also the same name: a service already built from this directory, or one no
    // compose file declares yet whose directory holds the compose file (the
    // repository's own package, deployed by `.devcontainer/docker-compose.yml`).
    let holds = |x: &Service| {
        x.projects.is_empty()
            && x.dirs
                .iter()
                .any(|d| d.is_empty() || key.starts_with(d.as_str()) && key.as_bytes().get(d.len()) == Some(&b'/'))
    };
    let same = |x: &Service| x.name == name && (in_project(x, key) || x.dirs.iter().any(|d| d == dir) || holds(x));
    if let Some(i) =
        s.list.iter().position(|x| x.name == name && in_project(x, key)).or_else(|| s.list.iter().position(same))
    {
        if !s.list[i].dirs.iter().any(|d| d == dir) {
            s.list[i].dirs.push(dir.to_string());
        }
        return i;
    }
    if let Some(i) = s.list.iter().position(|x| x.dirs.len() == 1 && x.dirs[0] == dir) {
        let svc = &mut s.list[i];
        if variant {
            add_alias(svc, name);
            return i;
        }
        let old = std::mem::replace(&mut svc.name, name.to_string());
        if old != name {
            svc.aliases.push(old);
            (svc.file, svc.line) = (file.to_string(), line);
        }
        return i;
    }
    s.list.push(Service {
        name: name.to_string(),
        dirs: vec![dir.to_string()],
        file: file.to_string(),
        line,
        ..Service::default()
    });
    s.list.len() - 1
}

/// A compose entry's own `environment:` value of `var` (map or list form), with compose's
/// variables interpolated, when it is known.
fn entry_env(s: &Services, base: &str, entry: &Yaml, var: &str) -> Option<String> {
    let written = match entry.get("environment")? {
        Yaml::Map(m) => m.iter().find(|(k, _, _)| k == var).and_then(|(_, v, _)| v.str()).map(String::from),
        Yaml::Seq(items) => items
            .iter()
            .filter_map(|(x, _)| x.str()?.split_once('='))
            .find(|(k, _)| k.trim() == var)
            .map(|(_, v)| v.to_string()),
        _ => None,
    }?;
    s.compose_value(base, written.trim()).known().filter(|v| !v.is_empty())
}

/// The modules a compose entry building `dir` picks with an environment variable its
/// code reads to choose what runs, each a file or directory of the scan:
/// - Moleculer's runner (a `package.json` starting `moleculer-runner`): `SERVICES: a,b`
///   loads `a.service.js` and `b.service.js` (or the directories or files so named) from
///   `SERVICEDIR` (the entry's, else the build directory or, as the Moleculer template's
///   `docker-compose.env` sets it, its `services` directory);
/// - Django: a variable naming one of the build's apps (`SERVICE_NAME: pong_service`, a
///   package with `apps.py`) that a settings module reads into `INSTALLED_APPS`
///   (`INSTALLED_APPS = [..., env('SERVICE_NAME')]`).
///
/// `None` when any part is not a module of the scan: the entry then stays one build.
fn selected_modules(project: &Project, s: &Services, base: &str, dir: &str, entry: &Yaml) -> Option<Vec<String>> {
    let under = |rel: &str| if dir.is_empty() { Some(rel.to_string()) } else { join(dir, rel) };
    if let Some(names) = entry_env(s, base, entry, "SERVICES") {
        let manifest = project.read(&under("package.json")?).ok()?;
        if !manifest.contains("moleculer-runner") {
            return None;
        }
        let roots: Vec<String> = match entry_env(s, base, entry, "SERVICEDIR") {
            Some(d) => vec![under(&d)?],
            None => vec![dir.to_string(), under("services")?],
        };
        let pick = |root: &str, name: &str| -> Option<String> {
            let at = |rel: &str| if root.is_empty() { Some(rel.to_string()) } else { join(root, rel) };
            let path = at(name)?;
            if project.file(&path).is_some() || project.is_dir(&path) {
                return Some(path);
            }
            [".service.js", ".service.ts"]
                .iter()
                .find_map(|ext| at(&format!("{name}{ext}")).filter(|p| project.file(p).is_some()))
        };
        let mut modules = Vec::new();
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            modules.push(roots.iter().find_map(|r| pick(r, name))?);
        }
        return (!modules.is_empty()).then_some(modules);
    }
    // Django: one variable naming an app of the build that the settings install.
    let vars: Vec<String> = match entry.get("environment")? {
        Yaml::Map(m) => m.iter().map(|(k, _, _)| k.clone()).collect(),
        Yaml::Seq(items) => {
            items.iter().filter_map(|(x, _)| Some(x.str()?.split('=').next()?.trim().to_string())).collect()
        }
        _ => Vec::new(),
    };
    let mut found = None;
    for var in vars {
        let Some(app) = entry_env(s, base, entry, &var) else { continue };
        if !app.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        let Some(app_dir) = under(&app) else { continue };
        if join(&app_dir, "apps.py").and_then(|p| project.file(&p)).is_none() {
            continue;
        }
        if installs_from_env(project, dir, &var) {
            if found.is_some() {
                return None;
            }
            found = Some(app_dir);
        }
    }
    found.map(|d| vec![d])
}

/// A Django settings module under `dir` (`settings.py`, or a `settings/` package's
/// module) whose `INSTALLED_APPS` takes an app from environment variable `var`: the
/// variable's name, quoted, inside the brackets of `INSTALLED_APPS = [...]`,
/// `INSTALLED_APPS += [...]` or `INSTALLED_APPS.append(...)`.
fn installs_from_env(project: &Project, dir: &str, var: &str) -> bool {
    let quoted = [format!("'{var}'"), format!("\"{var}\"")];
    (0..project.files.len()).map(|i| project.rel(i)).filter(|r| dir.is_empty() || is_under(r, dir)).any(|rel| {
        let settings = file_name(rel) == "settings.py" || dir_of(rel).rsplit('/').next() == Some("settings");
        if !settings || !rel.ends_with(".py") {
            return false;
        }
        let Ok(text) = project.read(rel) else { return false };
        text.match_indices("INSTALLED_APPS").any(|(at, _)| {
            let rest = &text[at + "INSTALLED_APPS".len()..];
            let Some(open) = rest.find(['[', '(']) else { return false };
            if !rest[..open]
                .trim()
                .trim_start_matches(".append")
                .trim_start_matches('+')
                .trim_start_matches('=')
                .trim()
                .is_empty()
            {
                return false;
            }
            let mut depth = 0usize;
            let mut end = rest.len();
            for (k, b) in rest.bytes().enumerate().skip(open) {
                match b {
                    b'[' | b'(' => depth += 1,
                    b']' | b')' => {
                        depth -= 1;
                        if depth == 0 {
                            end = k;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let inside = &rest[open..end];
            quoted.iter().any(|q| inside.contains(q.as_str()))
        })
    })
}

/// A compose entry that picks its own modules of a build another entry claims
/// ([`selected_modules`]): the service of that name in the project, else a new one
/// holding those modules.
fn claim_modules(s: &mut Services, name: &str, modules: Vec<String>, file: &str, line: u32, key: &str) -> usize {
    let i = match s.list.iter().position(|x| x.name == name && in_project(x, key)) {
        Some(i) => i,
        None => {
            let svc = Service { name: name.to_string(), file: file.to_string(), line, ..Service::default() };
            s.list.push(svc);
            s.list.len() - 1
        }
    };
    for m in modules {
        if !s.list[i].dirs.contains(&m) {
            s.list[i].dirs.push(m);
        }
    }
    i
}

/// Words of a compose `command` that runs a background worker rather than a server.
const WORKER_WORDS: &[&str] =
    &["beat", "celery", "consumer", "cron", "dramatiq", "huey", "listener", "rq", "scheduler", "subscriber", "worker"];

/// The compose entry's `command` runs a worker (`celery -A app worker`, `python consumer.py`).
fn worker_command(entry: &Yaml) -> bool {
    let words = match entry.get("command") {
        Some(Yaml::Seq(items)) => items.iter().filter_map(|(x, _)| x.str()).collect::<Vec<_>>().join(" "),
        Some(c) => c.str().unwrap_or("").to_string(),
        None => return false,
    };
    words
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| WORKER_WORDS.binary_search(&w.to_ascii_lowercase().as_str()).is_ok())
}

/// `name` as another name of `svc`, unless it already is one.
fn add_alias(svc: &mut Service, name: &str) {
    if svc.name != name && !svc.aliases.iter().any(|a| a == name) {
        svc.aliases.push(name.to_string());
    }
}

/// The service is declared in compose project `key` (or another file of its directory).
fn in_project(x: &Service, key: &str) -> bool {
    x.projects.iter().any(|p| dir_of(p) == dir_of(key))
}

/// Services that share a name (the same compose name in two compose projects, two
/// packages of one name) stay apart: each is named `name@label`, the label being its
/// compose project's directory (the scan root's name for the root), or for a service
/// no compose file declares, its directory; the first name is kept as an alias, the
/// host name the project's own services call it by. Names used once are unchanged.
/// `depends_on` names are then the renamed services of the same project.
fn disambiguate(project: &Project, list: &mut [Service]) {
    list.sort_by(|a, b| a.name.cmp(&b.name));
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for x in list.iter() {
        *count.entry(x.name.clone()).or_default() += 1;
    }
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    let mut renamed: Vec<(String, usize)> = Vec::new();
    for (i, x) in list.iter_mut().enumerate() {
        if count[&x.name] < 2 {
            continue;
        }
        let dir = match x.projects.first() {
            Some(p) => dir_of(p).to_string(),
            None => x.dirs.first().cloned().unwrap_or_default(),
        };
        let label = if dir.is_empty() { base_name(project, "") } else { dir };
        let mut id = format!("{}@{label}", x.name);
        let n = taken.entry(id.clone()).or_default();
        *n += 1;
        if *n > 1 {
            id = format!("{id}-{n}");
        }
        let old = std::mem::replace(&mut x.name, id);
        x.aliases.insert(0, old.clone());
        renamed.push((old, i));
    }
    for i in 0..list.len() {
        for d in 0..list[i].depends_on.len() {
            let (dep, file, _) = list[i].depends_on[d].clone();
            // The service of that name in the project of the compose file that says so.
            let same: Vec<usize> = renamed
                .iter()
                .filter(|(old, j)| *old == dep && list[*j].projects.iter().any(|p| dir_of(p) == dir_of(&file)))
                .map(|(_, j)| *j)
                .collect();
            if let [j] = same.as_slice() {
                list[i].depends_on[d].0 = list[*j].name.clone();
            }
        }
    }
    list.sort_by(|a, b| a.name.cmp(&b.name));
}

/// `registry/org/cart:1.2` → `cart`.
pub(super) fn image_base(image: &str) -> &str {
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split([':', '@']).next().unwrap_or(last)
}

/// A service deployed from an image: the source service the image is built
/// from when its name says so, else an infrastructure service.
/// A compose entry (`key` is its project) is matched by name within its project;
/// one with neither `build` nor `image` only adds to a service declared elsewhere
/// (`-f docker-compose.yml -f docker-compose.prod.yml`): the only one of that name.
fn claim_image(s: &mut Services, name: &str, image: Option<&str>, file: &str, line: u32, key: Option<&str>) -> usize {
    let named = |x: &Service| x.name == name;
    if let Some(i) = s.list.iter().position(|x| named(x) && key.is_none_or(|k| in_project(x, k))) {
        return i;
    }
    if image.is_none() {
        let mut same = s.list.iter().enumerate().filter(|(_, x)| named(x));
        if let (Some((i, _)), None) = (same.next(), same.next()) {
            return i;
        }
    }
    let base = image.map(image_base).unwrap_or("");
    // Source code another compose project deploys is not this project's.
    // Exactly, else with case and `-`/`_` folded (compose `service-1`, folder `service_1`).
    // Of several (a package `comments` in `comments-nodejs/` and a crate in `comments/`),
    // the one whose directory is named so.
    let source = [str::eq as fn(&str, &str) -> bool, folded_eq].into_iter().find_map(|same| {
        let found: Vec<usize> = (0..s.list.len())
            .filter(|&i| {
                let x = &s.list[i];
                // No image (an entry of a compose fragment): no path segment is its name, the root's "" neither.
                let in_path =
                    |want: &str| !want.is_empty() && x.dirs.iter().any(|d| d.split('/').any(|seg| same(seg, want)));
                let ours = key.is_none_or(|k| x.projects.is_empty() || in_project(x, k));
                let named = same(&x.name, base) || same(&x.name, name);
                ours && !x.infra && !x.dirs.is_empty() && (named || in_path(base) || in_path(name))
            })
            .collect();
        let dir_named =
            |&&i: &&usize| s.list[i].dirs.iter().any(|d| same(file_name(d), base) || same(file_name(d), name));
        found.iter().find(dir_named).or(found.first()).copied()
    });
    // A compose name is the host the other services use, so it names the service; a
    // Kubernetes workload's name (`pong-dep`, `details-v1`) is only another name of it.
    let rename = |svc: &mut Service| {
        if key.is_none() {
            add_alias(svc, name);
            return;
        }
        let old = std::mem::replace(&mut svc.name, name.to_string());
        if old != name {
            svc.aliases.push(old);
        }
    };
    if let Some(i) = source {
        rename(&mut s.list[i]);
        return i;
    }
    // The directory a build configuration builds the image from, else the image's tag or name.
    let ours = |i: &usize| key.is_none_or(|k| s.list[*i].projects.is_empty() || in_project(&s.list[*i], k));
    let built = image.and_then(|im| built_source(s, im)).filter(ours);
    if let Some(i) = built.or_else(|| {
        image.and_then(|im| tagged_source(&s.list, im, key).or_else(|| image_named_source(&s.list, im, key)))
    }) {
        let svc = &mut s.list[i];
        rename(svc);
        if key.is_some() {
            (svc.file, svc.line) = (file.to_string(), line);
        }
        return i;
    }
    s.list.push(Service {
        name: name.to_string(),
        infra: true,
        image: image.map(String::from),
        file: file.to_string(),
        line,
        ..Service::default()
    });
    s.list.len() - 1
}

/// The source service an image's tag names: `ghcr.io/org/demo:checkout-api-latest`
/// (one repository, a tag per service, as a monorepo's CI pushes them) is built
/// from the service whose directory or package name the tag is, or starts with
/// followed by `-`, `_` or `.` (a version: `checkout-api-1.2`, `checkout-api-latest`).
/// The longest such name wins; two services matching as long, or a match another
/// service of the compose project already deploys, is no match: the image stays
/// infrastructure. (A Kubernetes Deployment may take the service compose deploys.)
/// Names equal but for case and `-`/`_` (`service-1`, `Service_1`); empty names never are.
pub(super) fn folded_eq(a: &str, b: &str) -> bool {
    let fold = |c: u8| if c == b'-' { b'_' } else { c.to_ascii_lowercase() };
    !a.is_empty() && a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| fold(x) == fold(y))
}

fn tagged_source(list: &[Service], image: &str, key: Option<&str>) -> Option<usize> {
    let last = image.rsplit('/').next().unwrap_or(image);
    let tag = last.split('@').next().unwrap_or(last).split_once(':')?.1;
    source_named_by(list, tag, key)
}

/// The source service an image's own name starts with, followed by `-`, `_` or `.`:
/// `image: backend-express` (built by a script from `backend/`), as for a tag.
fn image_named_source(list: &[Service], image: &str, key: Option<&str>) -> Option<usize> {
    let last = image.rsplit('/').next().unwrap_or(image);
    let repo = last.split('@').next().unwrap_or(last).split(':').next().unwrap_or(last);
    source_named_by(list, repo, key)
}

/// See [`tagged_source`]: the service whose name or directory `tag` is, or starts with
/// followed by `-`, `_` or `.`; the longest, and only when no other matches as long.
fn source_named_by(list: &[Service], tag: &str, key: Option<&str>) -> Option<usize> {
    let matched = |n: &str| {
        let named = n.len() >= 3 && n.bytes().any(|b| b.is_ascii_alphabetic()) && !GENERIC_DIRS.contains(&n);
        let rest = tag.strip_prefix(n)?;
        (named && (rest.is_empty() || rest.starts_with(['-', '_', '.']))).then_some(n.len())
    };
    let mut best: Vec<(usize, usize)> = Vec::new();
    for (i, x) in list.iter().enumerate() {
        if x.infra || x.dirs.is_empty() || !x.projects.is_empty() && key.is_none_or(|k| !in_project(x, k)) {
            continue;
        }
        let names = std::iter::once(x.name.as_str()).chain(x.dirs.iter().map(|d| file_name(d)));
        if let Some(len) = names.filter_map(matched).max() {
            best.push((len, i));
        }
    }
    let top = best.iter().map(|(len, _)| *len).max()?;
    match best.iter().filter(|(len, _)| *len == top).collect::<Vec<_>>().as_slice() {
        [(_, i)] if key.is_none() || list[*i].projects.is_empty() => Some(*i),
        _ => None,
    }
}

/// The source service whose directory a build configuration builds `image` from
/// ([`builds`]): the context's, else the Dockerfile's, when every build of the image
/// names the same one.
fn built_source(s: &Services, image: &str) -> Option<usize> {
    let source = |x: &Service| !x.infra && !x.dirs.is_empty();
    let mut found: Vec<usize> = s
        .built
        .iter()
        .filter(|b| b.builds(image))
        .filter_map(|b| b.dirs.iter().find_map(|d| s.list.iter().position(|x| source(x) && x.dirs.contains(d))))
        .collect();
    found.sort_unstable();
    found.dedup();
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The source service a Kubernetes workload runs: the directory a build configuration
/// builds its image from, else the one source service whose name or directory is the container's
/// name or the pod's `app` label (`event-bus-depl` runs container `event-bus`).
fn k8s_source<const N: usize>(s: &Services, image: Option<&str>, names: [Option<&str>; N]) -> Option<usize> {
    let source = |x: &Service| !x.infra && !x.dirs.is_empty();
    if let Some(i) = image.and_then(|im| built_source(s, im)) {
        return Some(i);
    }
    for name in names.into_iter().flatten().filter(|n| !n.is_empty()) {
        let hits: Vec<usize> = (0..s.list.len())
            .filter(|&i| {
                let x = &s.list[i];
                source(x) && (x.name == name || x.dirs.iter().any(|d| file_name(d) == name))
            })
            .collect();
        if let [one] = hits.as_slice() {
            return Some(*one);
        }
    }
    None
}

/// The source service whose own directory (not the root) holds the manifest `rel`
/// (`auth-service/manifest/deployment.yaml`), when the workload's image is named like that
/// directory: the same name (case and `-`/`_` aside), or one starting the other followed
/// by `-`, `_` or `.` (image `nasi101/auth` in `auth-service/`). An image of another name
/// there (`redis`) is not the directory's code.
fn enclosing_source(s: &Services, rel: &str, image: Option<&str>) -> Option<usize> {
    let last = image?.rsplit('/').next()?;
    let repo = last.split('@').next().unwrap_or(last).split(':').next().unwrap_or(last);
    let i = owner_of(&s.list, rel)?;
    let x = &s.list[i];
    let starts = |long: &str, short: &str| {
        short.len() >= 3
            && long.len() > short.len()
            && long.get(..short.len()).is_some_and(|p| folded_eq(p, short))
            && long[short.len()..].starts_with(['-', '_', '.'])
    };
    let named = |d: &str| {
        let n = file_name(d);
        folded_eq(n, repo) || starts(n, repo) || starts(repo, n)
    };
    let own = x.dirs.iter().any(|d| !d.is_empty() && is_under(rel, d) && named(d));
    (!x.infra && own).then_some(i)
}

fn from_kubernetes(project: &Project, rel: &str, s: &mut Services) {
    // Most YAML files are not Kubernetes manifests: look before parsing.
    match project.read(rel) {
        Ok(t) if t.contains("apiVersion") && t.contains("kind:") => {}
        _ => return,
    }
    let docs = read_yaml(project, rel, s);
    let dir = dir_of(rel).to_string();
    let kind_of = |d: &Yaml| d.get("kind").and_then(Yaml::str).unwrap_or("").to_string();
    for doc in docs.iter().filter(|d| matches!(kind_of(d).as_str(), "Deployment" | "StatefulSet" | "DaemonSet")) {
        let Some((name, line)) =
            doc.get("metadata").and_then(|m| m.entry("name")).and_then(|(n, l)| Some((n.str()?, l)))
        else {
            continue;
        };
        let spec = doc.get("spec").and_then(|x| x.get("template")).and_then(|x| x.get("spec"));
        let containers = spec.and_then(|x| x.get("containers")).map(Yaml::items).unwrap_or(&[]);
        let labels = doc.get("spec").and_then(|x| x.get("template")).and_then(|x| x.get("metadata"));
        let labels = labels.and_then(|m| m.get("labels"));
        let app = labels.and_then(|l| l.get("app")).and_then(Yaml::str);
        let single = containers.len() == 1;
        for (c, _) in containers {
            let image = c.get("image").and_then(Yaml::str);
            let container = c.get("name").and_then(Yaml::str);
            let i = if single {
                // The workload's name is another name of the source service (whose own name,
                // from its directory or package, stays: two versions `details-v1`,
                // `details-v2` of one code are one service).
                match k8s_source(s, image, [container, app]).or_else(|| enclosing_source(s, rel, image)) {
                    Some(i) => {
                        add_alias(&mut s.list[i], name);
                        i
                    }
                    None => claim_image(s, name, image, rel, line, None),
                }
            } else {
                // A pod of several containers (a database, a server and a CLI side by
                // side) is one workload per container, each found by the container's own
                // name or image; the pod's name and `app` label name none of them.
                let Some(container) = container else { continue };
                match k8s_source(s, image, [Some(container)]) {
                    Some(i) => i,
                    None => claim_image(s, container, image, rel, line, None),
                }
            };
            let ports = k8s_container(s, c, i, &dir, rel);
            s.pod_labels.push((i, string_map(labels), ports, format!("{rel}:{line}")));
        }
    }
    for doc in docs.iter().filter(|d| kind_of(d) == "ConfigMap") {
        let Some(name) = doc.get("metadata").and_then(|m| m.get("name")).and_then(Yaml::str) else { continue };
        let data = doc.get("data").map(Yaml::entries).unwrap_or(&[]);
        let values = data.iter().filter_map(|(k, v, _)| Some((k.clone(), v.str()?.to_string()))).collect();
        s.configmaps.entry(name.to_string()).or_default().push((dir.clone(), values));
    }
    for doc in docs.iter().filter(|d| kind_of(d) == "Ingress") {
        from_ingress(doc, s);
    }
    for doc in docs.iter().filter(|d| kind_of(d) == "Service") {
        let Some(name) = doc.get("metadata").and_then(|m| m.get("name")).and_then(Yaml::str) else { continue };
        let ns = doc.get("metadata").and_then(|m| m.get("namespace")).and_then(Yaml::str).unwrap_or("default");
        s.k8s_namespaces.insert(ns.to_string());
        let port = doc.get("spec").and_then(|x| x.get("ports")).map(Yaml::items).and_then(|p| p.first());
        let port = port.and_then(|(p, _)| p.get("port")).and_then(Yaml::str).map(str::to_string);
        s.k8s_service_ports.entry(name.to_string()).or_insert(port);
        let selector = string_map(doc.get("spec").and_then(|x| x.get("selector")));
        // The container ports the Service sends to: `targetPort`, else `port`.
        let ports = doc.get("spec").and_then(|x| x.get("ports")).map(Yaml::items).unwrap_or(&[]);
        let target = |p: &Yaml| p.get("targetPort").or_else(|| p.get("port"))?.str().map(str::to_string);
        let targets = ports.iter().filter_map(|(p, _)| target(p)).collect();
        let node_ports = ports
            .iter()
            .filter_map(|(p, _)| {
                let (node, line) = p.entry("nodePort")?;
                let (node, target) = (node.str()?.parse::<u16>().ok()?, target(p)?);
                let port = format!("{node}:{target}");
                Some((node, PortSite { port, from: "kubernetes", file: rel.to_string(), line: Some(line) }))
            })
            .collect();
        s.k8s_services.push((name.to_string(), selector, targets, node_ports));
    }
}

/// Helm charts ([`helm`]): each chart deploys the source service named like it (case
/// and `-`/`_` aside: chart `rs-auth-service`, directory `rs_auth_service`), else the
/// service whose directory holds it; its Service's host names are that service's, and
/// its container's environment (with its ConfigMaps) is the service's. A chart tied
/// to no service is not read.
fn from_helm(project: &Project, dirs: &[String], s: &mut Services) {
    for chart in helm::charts(project, dirs) {
        let source = |x: &Service| !x.infra && !x.dirs.is_empty();
        let named: Vec<usize> = (0..s.list.len())
            .filter(|&i| {
                let x = &s.list[i];
                source(x)
                    && (folded_eq(&x.name, &chart.name) || x.dirs.iter().any(|d| folded_eq(file_name(d), &chart.name)))
            })
            .collect();
        let i = match named.as_slice() {
            [i] => Some(*i),
            [] => owner_of(&s.list, &format!("{}/Chart.yaml", chart.dir)).filter(|&i| source(&s.list[i])),
            _ => None,
        };
        let Some(i) = i else { continue };
        for h in &chart.hosts {
            add_alias(&mut s.list[i], h);
        }
        for (rel, c) in &chart.containers {
            k8s_container(s, c, i, dir_of(rel), rel);
        }
        for (rel, name, data) in chart.configmaps {
            s.configmaps.entry(name).or_default().push((dir_of(&rel).to_string(), data));
        }
        s.diagnostics.extend(chart.diagnostics);
    }
}

/// A container's `env`, `envFrom` and ports, given to service `i`; its container ports.
/// A `hostPort` publishes the container port on the node, as compose `ports` do.
fn k8s_container(s: &mut Services, c: &Yaml, i: usize, dir: &str, rel: &str) -> Vec<String> {
    for (e, _) in c.get("env").map(Yaml::items).unwrap_or(&[]) {
        let Some(k) = e.get("name").and_then(Yaml::str) else { continue };
        if let Some(v) = e.get("value").and_then(Yaml::str) {
            s.list[i].env.insert(k.to_string(), v.to_string());
        }
        // valueFrom: configMapKeyRef: { name, key }
        let r = e.get("valueFrom").and_then(|v| v.get("configMapKeyRef"));
        if let Some((cm, key)) = r.and_then(|r| Some((r.get("name")?.str()?, r.get("key")?.str()?))) {
            s.configmap_refs.push((i, Some(k.to_string()), cm.to_string(), key.to_string(), dir.to_string()));
        }
    }
    // envFrom: - configMapRef: { name }: every key of the ConfigMap.
    for (e, _) in c.get("envFrom").map(Yaml::items).unwrap_or(&[]) {
        if let Some(cm) = e.get("configMapRef").and_then(|r| r.get("name")).and_then(Yaml::str) {
            s.configmap_refs.push((i, None, cm.to_string(), String::new(), dir.to_string()));
        }
    }
    let mut ports = Vec::new();
    let svc = &mut s.list[i];
    for (p, _) in c.get("ports").map(Yaml::items).unwrap_or(&[]) {
        let Some((container, line)) = p.entry("containerPort").and_then(|(v, l)| Some((v.str()?, l))) else { continue };
        let host = p.get("hostPort").and_then(Yaml::str).and_then(|h| h.parse::<u16>().ok());
        let written = host.map_or_else(|| container.to_string(), |h| format!("{h}:{container}"));
        if let Some(h) = host.filter(|h| !svc.host_ports.contains(h)) {
            svc.host_ports.push(h);
        }
        svc.port_sites.push(PortSite {
            port: written.clone(),
            from: "kubernetes",
            file: rel.to_string(),
            line: Some(line),
        });
        svc.ports.push(written);
        ports.push(container.to_string());
    }
    ports
}

/// An Ingress's `rules[].http.paths[]` with a `host` (`networking.k8s.io/v1`
/// `backend.service.name`, or `v1beta1` `backend.serviceName`).
fn from_ingress(doc: &Yaml, s: &mut Services) {
    let annotations = doc.get("metadata").and_then(|m| m.get("annotations"));
    let annotation = |k: &str| annotations.and_then(|a| a.get(k)).and_then(Yaml::str);
    // ingress-nginx reads every path as a (case-insensitive) expression when `use-regex`
    // or `rewrite-target` is set.
    let rewrite = annotation("nginx.ingress.kubernetes.io/rewrite-target").map(String::from);
    let use_regex = annotation("nginx.ingress.kubernetes.io/use-regex") == Some("true") || rewrite.is_some();
    for (rule, _) in doc.get("spec").and_then(|x| x.get("rules")).map(Yaml::items).unwrap_or(&[]) {
        // A rule with no `host` takes every host: `""` here, which no URL's host is, for the
        // relative requests of the browser code the Ingress serves (`resolve::calls`).
        let Some(host) = rule.get("host").and_then(Yaml::str).or(Some("")).filter(|h| !h.contains('*')) else {
            continue;
        };
        for (p, _) in rule.get("http").and_then(|h| h.get("paths")).map(Yaml::items).unwrap_or(&[]) {
            let path = p.get("path").and_then(Yaml::str).unwrap_or("/").to_string();
            let backend = p.get("backend");
            let service = backend.and_then(|b| b.get("service")).and_then(|x| x.get("name"));
            let Some(name) = service.or_else(|| backend.and_then(|b| b.get("serviceName"))).and_then(Yaml::str) else {
                continue;
            };
            // A path that is no valid expression (or too large a one) is no rule.
            let regex = match use_regex {
                true => match regex::RegexBuilder::new(&format!("^(?:{path})"))
                    .case_insensitive(true)
                    .size_limit(1 << 16)
                    .build()
                {
                    Ok(r) => Some(r),
                    Err(_) => continue,
                },
                false => None,
            };
            let rule = IngressRule {
                host: host.to_ascii_lowercase(),
                path,
                regex,
                backend: name.to_string(),
                rewrite: rewrite.clone(),
            };
            s.ingress.push(rule);
        }
    }
    // Stable: rules of one length keep their manifest order, as ingress-nginx tries them.
    s.ingress.sort_by_key(|r| std::cmp::Reverse(r.path.len()));
}

/// The string entries of a YAML map (labels, selectors).
fn string_map(m: Option<&Yaml>) -> Vec<(String, String)> {
    m.map(Yaml::entries).unwrap_or(&[]).iter().filter_map(|(k, v, _)| Some((k.clone(), v.str()?.to_string()))).collect()
}

/// A Kubernetes Service is a host name for the pods its selector picks: the one
/// Deployment whose pod template carries every label of the selector. Failing
/// that (no labels written), the service named by the selector's `app` (or
/// `app.kubernetes.io/name`) label, else by the Service's own name. Several
/// Deployments matching is no host name at all.
fn apply_k8s_services(s: &mut Services) {
    for (name, selector, targets, node_ports) in std::mem::take(&mut s.k8s_services) {
        let selected: Vec<&PodContainer> = s
            .pod_labels
            .iter()
            .filter(|(_, labels, _, _)| !selector.is_empty() && selector.iter().all(|l| labels.contains(l)))
            .collect();
        let mut picked: Vec<usize> = selected.iter().map(|(i, _, _, _)| *i).collect();
        picked.sort_unstable();
        picked.dedup();
        let one_pod = selected.windows(2).all(|w| w[0].3 == w[1].3);
        if picked.len() > 1 && one_pod {
            // The containers of one pod: the Service reaches the one listening on its
            // target port.
            picked = selected
                .iter()
                .filter(|(_, _, ports, _)| ports.iter().any(|p| targets.contains(p)))
                .map(|(i, _, _, _)| *i)
                .collect();
            picked.sort_unstable();
            picked.dedup();
            if picked.len() != 1 {
                continue;
            }
        }
        let i = match picked.as_slice() {
            [i] => Some(*i),
            [] => {
                let label = |k: &str| selector.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
                let app = label("app").or_else(|| label("app.kubernetes.io/name")).unwrap_or(&name);
                s.list.iter().position(|x| x.name == app || x.aliases.iter().any(|a| a == app))
            }
            _ => None,
        };
        let Some(svc) = i.map(|i| &mut s.list[i]) else { continue };
        add_alias(svc, &name);
        for (node, site) in node_ports {
            if !svc.host_ports.contains(&node) {
                svc.host_ports.push(node);
                svc.ports.push(site.port.clone());
                svc.port_sites.push(site);
            }
        }
    }
}

/// Environment values from ConfigMaps; a value written in the container's own
/// `env` wins over an `envFrom` one, as in Kubernetes. A repository with several
/// deployments (overlays, a monolith variant) may define one ConfigMap name in
/// several places: a Deployment takes the definition nearest its own manifest
/// (the longest shared directory path; the first in path order on a tie).
fn apply_configmaps(s: &mut Services) {
    for (i, var, cm, key, dir) in std::mem::take(&mut s.configmap_refs) {
        let Some(defs) = s.configmaps.get(&cm) else { continue };
        let shared = |d: &str| d.split('/').zip(dir.split('/')).take_while(|(a, b)| a == b).count();
        let Some((_, data)) = defs.iter().rev().max_by_key(|(d, _)| shared(d)) else { continue };
        let env = &mut s.list[i].env;
        match var {
            Some(var) => {
                if let Some(v) = data.get(&key) {
                    env.insert(var, v.clone());
                }
            }
            None => data.iter().for_each(|(k, v)| {
                env.entry(k.clone()).or_insert_with(|| v.clone());
            }),
        }
    }
}

/// `tapestry.toml`: `[services]` name → directory or directories.
fn from_config(project: &Project, s: &mut Services) {
    let rel = "tapestry.toml";
    let Ok(text) = project.read(rel) else { return };
    let line_of = |key: &str| {
        text.lines()
            .position(|l| {
                let l = l.trim_start();
                l.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')) || l == format!("[{key}]")
            })
            .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX))
    };
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let line = e.span().map(|sp| crate::lang::line_of_offset(text.as_bytes(), sp.start));
            s.diagnostics.push(Diagnostic::error(rel, line, format!("invalid tapestry.toml: {}", e.message())));
            return;
        }
    };
    for key in table.keys().filter(|k| k.as_str() != "services") {
        s.diagnostics.push(Diagnostic::error(
            rel,
            line_of(key),
            format!("unknown key `{key}` (known: services): ignored"),
        ));
    }
    let Some(services) = table.get("services").and_then(|v| v.as_table()) else { return };
    for (name, v) in services {
        let dirs: Option<Vec<String>> = match v {
            toml::Value::String(d) => Some(vec![d.clone()]),
            toml::Value::Array(a) => a.iter().map(|x| x.as_str().map(String::from)).collect(),
            _ => None,
        };
        let Some(dirs) = dirs else {
            s.diagnostics.push(Diagnostic::error(
                rel,
                line_of(name),
                format!("services.{name}: expected a directory or a list of directories"),
            ));
            continue;
        };
        let dirs: Vec<String> = dirs.iter().filter_map(|d| join("", d)).collect();
        let line = line_of(name).unwrap_or(1);
        // A declared service takes over the services found in its directories.
        let mut aliases = Vec::new();
        s.list.retain(|x| {
            let taken = x.name != *name && x.dirs.len() == 1 && dirs.contains(&x.dirs[0]);
            if taken {
                aliases.push(x.name.clone());
            }
            !taken
        });
        match s.list.iter_mut().find(|x| x.name == *name) {
            Some(svc) => {
                svc.dirs.clone_from(&dirs);
                svc.infra = false; // its code is here: not only an image
                svc.aliases.extend(aliases);
            }
            None => {
                s.list.push(Service { name: name.clone(), dirs, aliases, file: rel.into(), line, ..Service::default() })
            }
        }
    }
}

/// `KEY=value` lines of a `.env` file (`export` and quotes allowed).
/// Templates of `.env` files, in the order their values are taken (sorted by
/// that order's name, `.env.dist` … `.env.template`, as discovery lists them).
const DOTENV_TEMPLATES: &[&str] = &[".env.dist", ".env.example", ".env.sample", ".env.template"];

/// A template value that stands for one the user fills in: empty, `<your-key>`,
/// `changeme`, `xxx`, `https://your-api.example.com`, `...`.
fn is_placeholder(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    l.is_empty()
        || l.contains('<')
        || l.contains("...")
        || l.contains("xxx")
        || l.contains("your")
        || l.contains("changeme")
        || l.contains("change_me")
        || l.contains("replace")
        || l.contains("example.com")
        || l.contains("example.org")
}

pub fn parse_dotenv(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("export ").unwrap_or(l);
            let (k, v) = l.split_once('=')?;
            if k.starts_with('#') || k.trim().is_empty() {
                return None;
            }
            let v = v.trim().trim_matches(|c| c == '"' || c == '\'');
            Some((k.trim().to_string(), v.to_string()))
        })
        .collect()
}

/// Credentials inside a URL (`postgres://user:pw@db/x` → `postgres://***@db/x`)
/// and values of secret-looking keys are never reported.
pub fn redact(key: &str, value: &str) -> String {
    let upper = key.to_ascii_uppercase();
    if SECRET_WORDS.iter().any(|w| upper.contains(w)) && !value.is_empty() {
        return "***".into();
    }
    redact_url(value)
}

pub fn redact_url(value: &str) -> String {
    let Some(scheme_end) = value.find("://") else { return value.to_string() };
    let rest = &value[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &value[..scheme_end + 3], &rest[at..]),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn celery_worker_command_lines() {
        let w = |c: &str| celery_worker(&c.split_whitespace().collect::<Vec<_>>());
        let q = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            w("celery -A app worker -Q emails,reports -l info"),
            Some((Some("app".into()), q(&["emails", "reports"])))
        );
        assert_eq!(
            w("celery --app=proj.celery:app worker --queues=a"),
            Some((Some("proj.celery:app".into()), q(&["a"])))
        );
        assert_eq!(w("/venv/bin/celery worker -Aapp -Qx"), Some((Some("app".into()), q(&["x"]))));
        assert_eq!(w("celery -A app beat -Q x"), None);
        assert_eq!(w("celery -A app worker"), None);
        assert_eq!(w("celery -A app worker && celery -A app beat -Q x"), None);
        assert_eq!(w("python manage.py runserver -Q x"), None);
        let df = "FROM python\nCMD [\"celery\", \"-A\", \"m\", \"worker\", \"-Q\", \"q\"]\n";
        assert_eq!(dockerfile_celery_worker(df), Some((Some("m".into()), q(&["q"]), 2)));
        assert_eq!(dockerfile_celery_worker("FROM a\nCMD celery -A m worker -Q q\nCMD python x.py\n"), None);
    }

    #[test]
    fn server_commands_give_the_port_they_listen_on() {
        for (cmd, want) in [
            (r#"["python", "manage.py", "runserver", "0.0.0.0:8001"]"#, Some(8001)),
            ("python manage.py runserver 8002", Some(8002)),
            (r#"["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8003"]"#, Some(8003)),
            ("uvicorn main:app --port=8004", Some(8004)),
            ("gunicorn -b 0.0.0.0:8005 app:app", Some(8005)),
            ("gunicorn --bind=:8006 app:app", Some(8006)),
            ("daphne -b 0.0.0.0 -p 8007 proj.asgi:application", Some(8007)),
            ("uvicorn main:app --port $PORT", None),
            ("daphne -b 0.0.0.0 proj.asgi:application", None),
            ("some-tool -p 9000", None),
            (r#"["python", "/app/main.py"]"#, None),
        ] {
            assert_eq!(command_port(cmd), want, "{cmd}");
        }
        let staged = "FROM python AS build\nCMD uvicorn a:b --port 7000\nFROM python:3.12\nEXPOSE 80\nCMD [\"uvicorn\", \"a:b\", \"--port\", \"8000\"]\n";
        assert_eq!(dockerfile_exposed(staged), vec![(80, 4), (8000, 5)]);
        // A continued instruction is at the line it starts on; comments and blank lines count.
        let continued = "FROM node\n\n# ports\nEXPOSE 80 \\\n  443\nEXPOSE 9000\n";
        assert_eq!(dockerfile_exposed(continued), vec![(80, 4), (443, 4), (9000, 6)]);
    }

    #[test]
    fn tables_are_sorted() {
        crate::resolve::assert_sorted(&[
            PY_WEB,
            NPM_SERVERS,
            SECRET_WORDS,
            GENERIC_DIRS,
            GROUP_DIRS,
            ROLE_DIRS,
            DEV_SERVERS,
            EXAMPLE_DIRS,
        ]);
    }

    /// Every form of Compose's interpolation, from a `.env` with `A=1`, `E=` (set, empty)
    /// and `N=${A}2` (a value naming another, read as written: a lookup's business).
    #[test]
    fn compose_interpolation() {
        let env = |name: &str| match name {
            "A" => Some("1".to_string()),
            "E" => Some(String::new()),
            "N" => Some("${A}2".to_string()),
            _ => None,
        };
        let read = |v: &str| {
            let i = interpolate(v, &env);
            (i.text, i.unset)
        };
        let known = |v: &str, text: &str| assert_eq!(read(v), (text.to_string(), false), "{v}");
        let unset = |v: &str, text: &str| assert_eq!(read(v), (text.to_string(), true), "{v}");
        // Both forms of a name; a `$` before no name stays; `$$` is a `$`.
        known("${A}:$A/x", "1:1/x");
        // A bare name is as long as it can be: `$A_B` is `A_B` (unset), not `A` and `_B`.
        unset("$A_B-$A", "-1");
        known("a$ b$1 c$-", "a$ b$1 c$-");
        known("$$A $${A}", "$A ${A}");
        known("${N}", "${A}2");
        // `:-` also for an empty value, `-` only for an unset one.
        known("${E:-d} ${E-d} ${U:-d} ${U-d} ${A:-d}", "d  d d 1");
        known("${U:-}", "");
        // Defaults and alternatives are interpolated themselves, nested braces counted.
        known("${U:-${A}0} ${U:-${V:-x}} ${U-$A}", "10 x 1");
        known("${A:+on} ${E:+on} ${E+on} ${U+on} ${A+${A}}", "on  on  1");
        // Required: the value, else Compose stops.
        known("${A:?needed}", "1");
        known("${E?needed}", "");
        unset("${E:?not-set}", "");
        unset("${U?needed}", "");
        // A variable with no value and no default reads as empty, with Compose's warning.
        unset("${U}:8000", ":8000");
        unset("$U/x", "/x");
        unset("${U:-${V}}", "");
        // Malformed: kept as written.
        unset("${A x}", "${A x}");
        unset("${}", "${}");
        unset("a${A", "a${A");
    }

    #[test]
    fn dev_server_scripts() {
        for yes in ["vue-cli-service serve", "vite", "vite --port 3000", "NODE_ENV=dev vite", "cross-env A=1 ng serve"]
        {
            assert!(dev_server(yes), "{yes}");
        }
        for no in
            ["vite build", "vue-cli-service build", "tsc --watch", "vite build --watch", "", "ng build && ng serve"]
        {
            assert!(!dev_server(no), "{no}");
        }
    }

    #[test]
    fn redaction() {
        assert_eq!(redact_url("postgres://u:pw@db:5432/x"), "postgres://***@db:5432/x");
        assert_eq!(redact_url("http://cart:8080/a@b"), "http://cart:8080/a@b");
        assert_eq!(redact("DB_PASSWORD", "hunter2"), "***");
        assert_eq!(image_base("gcr.io/x/cartservice:v1"), "cartservice");
        assert!(mentions_dist("flask==2.0\nrequests\n", "flask"));
        assert!(!mentions_dist("flask-cors\n", "flask"));
        let mut w = WORKER_WORDS.to_vec();
        w.sort_unstable();
        assert_eq!(WORKER_WORDS, w.as_slice());
        let p = nginx_proxies("server {\n  location /api/user/ {\n    proxy_pass http://${USER_HOST}:8080/;\n  }\n  location / { root x; }\n}\n");
        assert_eq!(p, vec![("/api/user/".to_string(), "http://${USER_HOST}:8080/".to_string())]);
        // Tabs between words; an upstream's first server; `/?` in the stripping rewrite.
        let conf = "upstream api {\n\tserver\t172.17.0.1:8080;\n}\nserver {\n location /api {\n\trewrite ^/api/?(.*) /$1 break;\n\tproxy_pass\thttp://api;\n }\n}\n";
        assert_eq!(nginx_proxies(conf), vec![("/api".to_string(), "http://172.17.0.1:8080/".to_string())]);
        assert_eq!(dockerfile_env("ENV A=1 B=\"2\"\nENV C 3\nENV D=4 \\\n    E=5\n").len(), 5);
        assert!(copies_from_build_arg("FROM x\nCOPY --chown=1 ${SERVICE}/*.js ./\n"));
        assert!(!copies_from_build_arg("FROM x\nCOPY src /app\nCOPY --from=build ${DEPENDENCY}/app.jar /app.jar\n"));
        let env = parse_dotenv("# c\nexport A=\"1\"\nB='x=y'\n");
        assert_eq!(env.get("B").map(String::as_str), Some("x=y"));
    }
}
