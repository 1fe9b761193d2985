//! Calls between services: HTTP requests, gRPC stubs, and broker queues.
//!
//! A request's URL template is resolved first (constants, then environment
//! variables through compose/Kubernetes `environment` and `.env` files). Its
//! host names a service (compose name or alias, Kubernetes Service), or,
//! for `localhost:PORT`, the service publishing that port; any other host is
//! an `external` node. An absolute path (`fetch('/api/items')`) is served by
//! the service whose endpoints match it. The call links to the callee's
//! endpoint when method and path match (parameters as wildcards), else to the
//! service; the service → service `calls` edge names the endpoints behind it.
//! Credentials in URLs are never reported.

use super::arch::{render, ArchEdge, ArchOut, Ctx, End};
use super::routes::{path_distance, path_matches, Endpoints, Ep};
use super::services::{redact_url, Pick};
use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{EdgeKind, Node};
use crate::lang::rs_arch::ROUTE_PATH;
use crate::model::{Access, Flags, Lang, Part, RawArgCall, RawCall, RawQueue, RawWrapper, Template};

/// Host names that mean "this machine" (sorted). From a container, Docker
/// Desktop's names reach the host, where compose publishes ports:
/// `host.docker.internal` and `gateway.docker.internal` (18.03+), and the older
/// `docker.for.mac.localhost` / `docker.for.win.localhost` (17.06–17.11) and
/// `docker.for.mac.host.internal` / `docker.for.win.host.internal` (17.12+).
const LOCAL_HOSTS: &[&str] = &[
    "0.0.0.0",
    "127.0.0.1",
    "::1",
    "[::1]",
    "[::]",
    "docker.for.mac.host.internal",
    "docker.for.mac.localhost",
    "docker.for.win.host.internal",
    "docker.for.win.localhost",
    "gateway.docker.internal",
    "host.docker.internal",
    "localhost",
];

/// What a call reaches.
enum Callee<'e> {
    Endpoint(&'e Ep),
    /// Linked by method and path alone: the host is not known (see [`inferred`]).
    Inferred(&'e Ep),
    Service(String),
    External(String),
}

pub fn resolve(ctx: &Ctx, eps: &Endpoints, out: &mut ArchOut) {
    let amqp = Amqp::read(ctx);
    let ctors = Constructors::read(ctx, eps);
    let transports = Transports::new(ctx);
    // Whether some Python value reads a dict by a run-time key (`lang::py_arch::any_entry`).
    let entries = ctx.project.files.iter().any(|f| {
        let marked = |t: &Template| t.iter().any(|p| matches!(p, Part::Ref(r) if r.contains("[*")));
        f.file.lang == Lang::Python
            && (f.facts.arch.calls.iter().any(|c| marked(&c.url))
                || f.facts.arch.consts.iter().any(|c| marked(&c.value)))
    });
    // Request wrappers some caller hands a URL to (by address): the others are said below.
    let mut reached: std::collections::HashSet<usize> = std::collections::HashSet::new();
    // Requests of HTTP clients written as Python classes, at the sites their base is known.
    let (mut class_sites, class_diagnostics) = super::classes::resolve(ctx);
    out.diagnostics.extend(class_diagnostics);
    // The requests made through wrappers, clients and classes, by file: all are known
    // before any file's calls are linked, so that a wrapper no caller reaches is known too.
    let mut through: Vec<Vec<RawCall>> = Vec::with_capacity(ctx.project.files.len());
    let defaulted_wrappers = ctx
        .project
        .files
        .iter()
        .enumerate()
        .any(|(i, f)| f.file.lang == Lang::Python && f.facts.arch.wrappers.iter().any(|w| defaulted(ctx, i, w)));
    for (i, f) in ctx.project.files.iter().enumerate() {
        let rel = ctx.project.rel(i);
        let mut wrapped = class_sites.remove(&i).unwrap_or_default();
        // Redux Toolkit Query endpoints, joined to their api's base (`resolve/rtk.rs`).
        wrapped.extend(super::rtk::requests(ctx, i, &mut out.diagnostics));
        for a in &f.facts.arch.arg_calls {
            let calls = match through_wrapper(ctx, i, a) {
                Ok(calls) => calls,
                // A case known only at run time: linked when every case reaches one endpoint.
                Err((message, cases)) => {
                    reached.extend(cases.iter().map(|(_, w)| address(w)));
                    let calls: Vec<RawCall> =
                        cases.iter().filter_map(|(wf, w)| wrapped_call(ctx, i, a, *wf, w).map(|(c, _)| c)).collect();
                    match (calls.len() == cases.len()).then(|| agreed_call(ctx, eps, i, calls)) {
                        Some(Ok(c)) => wrapped.push(c),
                        _ => out.diagnostics.push(Diagnostic::new(rel, Some(a.line), Severity::Info, message)),
                    }
                    continue;
                }
            };
            match calls.is_empty() {
                false => {
                    for (c, w) in calls {
                        reached.insert(address(w));
                        wrapped.push(c);
                    }
                }
                true => match through_client(ctx, i, &a.callee, &a.args, a.line)
                    .map(|r| r.and_then(|calls| agreed_call(ctx, eps, i, calls)))
                {
                    Some(Ok(c)) => wrapped.push(c),
                    Some(Err(message)) => {
                        out.diagnostics.push(Diagnostic::new(rel, Some(a.line), Severity::Info, message));
                    }
                    None => {}
                },
            }
        }
        // Calls whose arguments hold no URL: only a wrapper whose URL holds a parameter with a
        // default (`def check(user_id, base="http://users:8001")`) makes its request there.
        if defaulted_wrappers && f.file.lang == Lang::Python {
            for a in &f.facts.arch.plain_calls {
                let found = wrapper_of(ctx, i, &a.callee).into_iter().filter(|(wf, w)| defaulted(ctx, *wf, w));
                for (wf, w) in found.filter(|(_, w)| w.choice.is_none()) {
                    if let Some((c, w)) = wrapped_call(ctx, i, a, wf, w) {
                        reached.insert(address(w));
                        wrapped.push(c);
                    }
                }
            }
        }
        through.push(wrapped);
    }
    let called = std::cell::OnceCell::new();
    for (i, f) in ctx.project.files.iter().enumerate() {
        // A Rust file no `mod` declaration compiles (a stray `consumer.rs` beside `main.rs`):
        // dead code, whose requests, stubs and queues no target makes, as its tables are
        // none (`resolve/tables.rs`); its module has the info diagnostic saying so.
        if ctx.rust_unreached.contains(&i) {
            continue;
        }
        let rel = ctx.project.rel(i);
        let flags = site_flags(ctx, i);
        // Services this file's gRPC channels reach: a stub built on such a channel is the same client.
        let mut channels: Vec<String> = Vec::new();
        // A wrapper whose parameter follows a host (`${BACKEND}${id}`) that no caller reaches
        // is a request of its own, as it was before its callers were looked for.
        // An instance method's (`ApiClient.prototype.get`) is made at its callers only: the
        // request inside stands for all of them (`lang/ts_classes.rs`).
        let forwarded = forwarding_wrappers(&f.facts.arch.wrappers);
        // JS/TS static delegates (`lang/ts_classes.rs` `static_delegates`) make the request of
        // the wrapper they hand on to: that one is a request of its own only when no caller
        // reaches any of them, and they are none.
        let js = f.file.lang.is_ecmascript();
        let handed = if js { reached_through_delegates(&f.facts.arch.wrappers, &reached) } else { Vec::new() };
        let unreached = f.facts.arch.wrappers.iter().filter(|w| {
            w.at > 0
                && !reached.contains(&address(w))
                && match js {
                    true => w.forwards.is_none() && !handed.contains(&w.name.as_str()),
                    false => !forwarded.contains(&w.name.as_str()),
                }
                && !w.name.contains(".prototype.")
                && !defaulted(ctx, i, w)
        });
        // Such a request's path ends in the parameter no caller gives: it names its service at
        // most, never an endpoint, not even by inference (`requests.put: (url, body) =>
        // superagent.put(`${API_ROOT}${url}`)` matches every path under API_ROOT).
        // Only one whose text before the parameter is names only and which ends with it
        // (`${API_ROOT}${url}`): after literal text (Python's `f"{ORDERS}/orders/{order_id}"`),
        // or before some (`f"{CATALOG_URL}{item_id}/"`), the parameter is an id in a path the
        // function names, a request of its own as before.
        // So is one whose client joins the parameter to a base (axios's `baseURL`): a path of
        // any depth, whatever text the base holds.
        let (open, named): (Vec<&RawWrapper>, Vec<&RawWrapper>) = unreached.partition(|w| {
            w.call.url.len() == w.at + 1 && (w.joined || !w.call.url[..w.at].iter().any(|p| matches!(p, Part::Lit(_))))
        });
        let open: Vec<&RawCall> = open.into_iter().map(|w| &w.call).collect();
        let calls: Vec<std::borrow::Cow<RawCall>> = f
            .facts
            .arch
            .calls
            .iter()
            .chain(open.iter().copied())
            .chain(named.into_iter().map(|w| &w.call))
            .map(std::borrow::Cow::Borrowed)
            .chain(std::mem::take(&mut through[i]).into_iter().map(std::borrow::Cow::Owned))
            .collect();
        // A gateway's proxy made for each row of a route table: one call per row.
        let calls = proxy_rows(ctx, i, calls, flags.contains(Flags::TEST));
        // A JS/TS class's request whose base its constructions give (`lang/ts_classes.rs`).
        // Its bases may reach one target twice (`PATCH /lists/{id}` and `PATCH
        // /lists/{id}/items/{id}`, both the service): one site at its line.
        let (calls, mut expanded, makers) =
            super::classes::constructed_calls(ctx, i, calls, flags.contains(Flags::TEST), &mut out.diagnostics);
        // A request to any value of a dict of URLs: one call per value, one site per callee.
        let (calls, fanned) = if entries { entry_calls(ctx, i, calls) } else { (calls, Vec::new()) };
        expanded.extend(fanned.iter().copied());
        let mut seen: Vec<(u32, String)> = Vec::new();
        let mut once = |line: u32, callee: &Callee| {
            if !expanded.contains(&line) {
                return true;
            }
            let key = match callee {
                Callee::Endpoint(e) | Callee::Inferred(e) => e.id(),
                Callee::Service(s) | Callee::External(s) => s.clone(),
            };
            let new = !seen.contains(&(line, key.clone()));
            seen.push((line, key));
            new
        };
        if f.file.lang == Lang::Rust && !flags.contains(Flags::TEST) {
            uncalled_rust_wrappers(ctx, i, out);
        }
        // A gRPC channel whose address is not read is no loss when the file's stubs
        // reach their proto's implementers (below): no diagnostic saying "not linked".
        let stubs_linked = f
            .facts
            .arch
            .grpc
            .iter()
            .any(|g| !g.server && eps.grpc_impl.get(eps.proto_service(&g.service)).is_some_and(|v| !v.is_empty()));
        let dev_proxy = super::devproxy::is_proxy_config(super::services::file_name(rel));
        let own = ctx.owner(i).map(|o| ctx.services.list[o].name.as_str());
        // Lines of gRPC clients built on an address read here (tonic's `XClient::connect(url)`):
        // the address names the callee, not the proto's implementers.
        let mut addressed: Vec<u32> = Vec::new();
        let grpc_addressed = calls.iter().any(|c| c.client == "grpc");
        for c in &calls {
            // A call in a Rust `#[cfg(test)] mod tests` (or `#[test]` fn) is the test's, as in a test file.
            let flags = if f.facts.arch.test_line(c.line) { flags.union(Flags::TEST) } else { flags };
            let open = matches!(c, std::borrow::Cow::Borrowed(b) if open.iter().any(|o| std::ptr::eq(*o, *b)));
            // A dev server's proxy (`src/setupProxy.js`) says where the front end's relative
            // URLs go (`Service::proxies`), not that the front end calls the target.
            if c.client == PROXY && dev_proxy {
                continue;
            }
            // `requests.get(build_url("x"))` of a builder another module defines.
            let built = imported_built_url(ctx, i, c);
            // `cfg.catalogUrl` of a factory's parameter: what its callers pass.
            // A TS URL-builder marker whose builder turned out to build no URL: the run-time value.
            let unbuilt = unbuilt(ctx, i, &c.url);
            // A Rust gateway forwarding the path of the request its handler serves.
            let routed = route_paths(ctx, eps, i, &c.url);
            let url_in = built.as_ref().or(unbuilt.as_ref()).or(routed.as_ref()).unwrap_or(&c.url);
            let given = match through_params(ctx, i, url_in, flags.contains(Flags::TEST)) {
                Ok(t) => t,
                Err(message) => {
                    out.diagnostics.push(Diagnostic::new(rel, Some(c.line), Severity::Info, message));
                    continue;
                }
            };
            // A library crate's request whose URL is a config field: each service whose code
            // uses the crate and whose own config sets that key makes it.
            if own.is_none()
                && f.file.lang == Lang::Rust
                && library_config_call(ctx, eps, (i, rel, &**c), &given, flags, out)
            {
                continue;
            }
            let mut site_flags = flags;
            let url = match ctx.resolve_url(i, &given) {
                // A loopback default of a variable nothing sets, named for another service
                // than the one listening there (or for one when none does): that service.
                Ok(t) if loopback_env_named(ctx, i, &given, &render(&t)).is_some() => {
                    let (var, default, svc, url) = loopback_env_named(ctx, i, &given, &render(&t)).expect("checked");
                    out.diagnostics.push(Diagnostic::new(
                        rel,
                        Some(c.line),
                        Severity::Info,
                        format!("URL from environment variable `{var}`, whose value `{}` is a loopback port that service `{svc}` is not known to listen on: taken as service `{svc}`, the one service its name names", redact_url(&default)),
                    ));
                    site_flags.insert(Flags::ENV_NAMED);
                    url
                }
                Ok(t) => render(&t),
                Err(_) if c.client == "grpc" && stubs_linked => continue,
                Err(var) => {
                    let lenient_t = ctx.resolve_url_lenient(i, &given);
                    let lenient = render(&lenient_t);
                    if let Some(e) = inferred(ctx, eps, i, &c.method, &lenient).filter(|_| !open) {
                        if once(c.line, &Callee::Inferred(e)) {
                            link_call(out, i, rel, c.line, flags, Callee::Inferred(e));
                        }
                        continue;
                    }
                    // A default of this machine no service listens on (`Ctx::resolve_url`): said.
                    let dead = if ctx.resolve_template(i, &given).is_ok() {
                        " (its default is a port of this machine no service here listens on)"
                    } else {
                        ""
                    };
                    // `proxy(process.env.IDENTITY_SERVICE_URL)` beside a service `identity-service`.
                    if let Some((svc, url)) = env_named_url(ctx, i, &var, &lenient_t) {
                        out.diagnostics.push(Diagnostic::new(
                            rel,
                            Some(c.line),
                            Severity::Info,
                            format!("URL from environment variable `{var}`, which no compose, Kubernetes or .env file sets{dead}: taken as service `{svc}`, the one service its name names"),
                        ));
                        site_flags.insert(Flags::ENV_NAMED);
                        url
                    } else {
                        out.diagnostics.push(Diagnostic::new(
                            rel,
                            Some(c.line),
                            Severity::Info,
                            format!("URL from environment variable `{var}`, which no compose, Kubernetes or .env file sets{dead}: call not linked"),
                        ));
                        continue;
                    }
                }
            };
            // One of a dict's values, chosen at run time (`entry_calls`).
            let fan = fanned.contains(&c.line);
            let flags = if fan { site_flags.union(Flags::DYNAMIC) } else { site_flags };
            let url = if c.client == PROXY { proxy_url(url) } else { url };
            // `client.post(url)`, `fetch(req)`, `requests.get(self.url)` whose URL is a parameter
            // or a value tapestry cannot read is a client call all the same: say so rather than
            // drop it silently.
            // Test code (supertest's `request(app)`, a test client's `get(url)`) is left quiet.
            if !url.contains("://") && !url.starts_with('/') {
                if flags.contains(Flags::TEST) || c.client == "grpc" && stubs_linked {
                    continue;
                }
                if let Some(e) = inferred(ctx, eps, i, &c.method, &url).filter(|_| !open) {
                    if once(c.line, &Callee::Inferred(e)) {
                        link_call(out, i, rel, c.line, flags, Callee::Inferred(e));
                    }
                    continue;
                }
                out.diagnostics.push(Diagnostic::new(
                    rel,
                    Some(c.line),
                    Severity::Info,
                    format!("URL `{}` is known only at run time: call not linked", redact_url(&url)),
                ));
                continue;
            }
            let Some(callee) = callee(ctx, eps, i, &c.method, &url, out, c.line) else { continue };
            let callee = match callee {
                Callee::Inferred(_) if open => {
                    let message = format!("URL `{}` is known only at run time: call not linked", redact_url(&url));
                    out.diagnostics.push(Diagnostic::new(rel, Some(c.line), Severity::Info, message));
                    continue;
                }
                Callee::Endpoint(e) if open => Callee::Service(e.service.clone()),
                other => other,
            };
            // Only an address that names the callee stands for the stubs built at its line;
            // one read as a parameter or field (`XClient::connect(cfg.url)`) leaves them to
            // the proto's implementers, as a Python stub on such a channel is.
            if c.client == "grpc" {
                addressed.push(c.line);
            }
            // A gateway's proxy forwards every path: a call of the service, not of one endpoint.
            // A forwarded path (`{service_url}/api/v1/{path}`) names no one endpoint.
            let callee = match callee {
                Callee::Endpoint(e) if c.client == PROXY || fan && url.contains('{') => {
                    Callee::Service(e.service.clone())
                }
                other => other,
            };
            let reached = match &callee {
                Callee::Service(s) => Some(s),
                Callee::Endpoint(e) => Some(&e.service),
                _ => None,
            };
            if let Some(s) = reached.filter(|_| c.client == "grpc") {
                // A client the service's own crate builds of its own server (tonic's tutorial
                // `src/client.rs`, a second `[[bin]]`) is no call between services, as a
                // stub of a proto only the caller serves is not (below).
                if Some(s.as_str()) == own {
                    continue;
                }
                channels.push(s.clone());
            }
            if once(c.line, &callee) {
                let makers = makers.iter().filter(|(l, u, _)| *l == c.line && *u == c.url).flat_map(|(_, _, o)| o);
                let makers: Vec<String> = makers.map(|o| format!("service:{}", ctx.services.list[*o].name)).collect();
                link_call_by(out, (i, rel, c.line), flags, callee, &makers);
            }
        }
        for g in f.facts.arch.grpc.iter().filter(|g| !g.server && !addressed.contains(&g.line)) {
            let flags = if f.facts.arch.test_line(g.line) { flags.union(Flags::TEST) } else { flags };
            // A constructor other code calls (`impl AuthClient { fn new() … }`): its callers are the sites.
            if g.within.as_ref().is_some_and(|t| ctors.called.contains(t)) {
                continue;
            }
            // Python: a stub on a channel to a parameter of the function around it, which
            // nothing calls, is no call.
            if f.file.lang == Lang::Python
                && g.within.as_ref().is_some_and(|t| !called.get_or_init(|| python_called(ctx)).contains(t))
            {
                continue;
            }
            let Some(service) = stub_service(ctx, i, g, out) else { continue };
            let proto = eps.proto_service(&service);
            let impls = match eps.grpc_impl.get(proto) {
                Some(impls) => impls.as_slice(),
                None => ctors.implementers(eps, &service),
            };
            // A stub of a service a scanned `.proto` defines and no scanned service
            // implements, in a file that reads no address for it (NestJS's
            // `getService('X')`: the address is in the module's `ClientsModule` options):
            // where it goes is unknown, and said. A name no `.proto` defines may be no gRPC
            // client at all (a Rust `UsersClient` struct of an HTTP API): nothing is said.
            let defined = eps.grpc_defined.binary_search_by(|d| d.as_str().cmp(proto)).is_ok();
            if impls.is_empty() && defined && g.within.is_none() && !grpc_addressed && !flags.contains(Flags::TEST) {
                let message = format!("gRPC client of `{proto}`, which no scanned service implements: call not linked");
                out.diagnostics.push(Diagnostic::new(rel, Some(g.line), Severity::Info, message));
            }
            // A stub a class of a shared package builds is called by the services that
            // import that class (`class_importers`).
            let makers = match (&g.class, ctx.owner(i)) {
                (Some(class), None) => class_importers(ctx, i, class),
                _ => Vec::new(),
            };
            // A service does not call itself: a gateway that serves a proto and forwards
            // it calls the other implementer, and a client a service's crate builds for
            // others is not a call of that service.
            for svc in impls {
                if channels.contains(svc) || Some(svc.as_str()) == own {
                    continue;
                }
                link_call_by(out, (i, rel, g.line), flags, Callee::Service(svc.clone()), &makers);
            }
        }
        for (k, q) in f.facts.arch.queues.iter().enumerate() {
            let flags = if f.facts.arch.test_line(q.line) { flags.union(Flags::TEST) } else { flags };
            // A queue named by a field of its class: an edge from each subclass setting it.
            if field_queues(ctx, (&amqp, &transports), out, i, k) {
                continue;
            }
            // A queue named by a parameter: one edge per name its callers give, if any does.
            let callers = named_at_callers(ctx, i, k);
            let mut named: Vec<Template> = Vec::new();
            for (_, _, t) in &callers {
                if !named.contains(t) {
                    named.push(t.clone());
                }
            }
            // A JS/TS template with a parameter in it (`` `kafka-${evetName}` ``,
            // `lang::ts_arch` `template_param`) that no caller names: no queue.
            if named.is_empty() && param_in_template(f, k) {
                let function = f.facts.arch.queue_params.iter().find(|p| p.queue == k).map_or("", |p| &p.function);
                let msg = format!(
                    "queue name `{}` takes a parameter of `{function}`, which no caller gives as text: not linked",
                    render(&q.name)
                );
                out.diagnostics.push(Diagnostic::new(rel, Some(q.line), Severity::Info, msg));
                continue;
            }
            // A request through a wrapper is made at each of the wrapper's callers.
            if q.rpc && q.access == Access::Write && !named.is_empty() {
                transports.rpc.borrow_mut().wrapped.insert((i, q.line));
                for (j, line, name) in callers.iter().cloned() {
                    let id = queue_id(ctx, &transports, j, q, &name);
                    if let Some(id) = id {
                        transports.rpc.borrow_mut().requests.push((j, line, site_flags(ctx, j), id));
                    }
                }
            }
            // A queue whose name is read, with a parameter recorded all the same: amqplib's
            // server-named queue bound with the key a parameter of the function around gives
            // (`lang::ts_arch` `server_named`), which exists only where the function is called:
            // consumed once if a module of the service calls it, else not at all.
            // (Rust and Python record only queues named by a parameter.)
            let js = matches!(f.file.lang, Lang::TypeScript | Lang::Tsx | Lang::JavaScript);
            let name_param = q.name.iter().any(|p| matches!(p, Part::Param(_)));
            if js && !name_param && f.facts.arch.queue_params.iter().any(|p| p.queue == k) {
                match !called_from(
                    ctx,
                    i,
                    f.facts.arch.queue_params.iter().find(|p| p.queue == k).map_or("", |p| &p.function),
                ) {
                    true => {
                        let function =
                            f.facts.arch.queue_params.iter().find(|p| p.queue == k).map_or("", |p| &p.function);
                        let msg = format!("RabbitMQ server-named queue bound in `{function}`, which no other module of the service calls: not linked");
                        out.diagnostics.push(Diagnostic::new(rel, Some(q.line), Severity::Info, msg));
                    }
                    false => queue_edge(ctx, &amqp, &transports, out, i, q, &q.name, flags),
                }
                continue;
            }
            // A name a constructor parameter gives: one edge per name the constructions give.
            let ctor = named
                .is_empty()
                .then(|| super::pyctor::instances(ctx, i, &[&q.name, &q.key.clone().unwrap_or_default()]))
                .flatten();
            match ctor {
                Some(Ok(names)) => {
                    for n in names {
                        let key = q.key.as_ref().map(|_| n[1].clone());
                        queue_edge(ctx, &amqp, &transports, out, i, &RawQueue { key, ..q.clone() }, &n[0], flags);
                    }
                }
                Some(Err(why)) => {
                    let msg = format!("queue name known only at run time: {why}: not linked");
                    out.diagnostics.push(Diagnostic::new(rel, Some(q.line), Severity::Info, msg));
                }
                // Rust: a loop over a list of the project (`for t in Topic::all()`,
                // `lang::rs_enums`) names each of its elements.
                None if named.is_empty() => {
                    match list_rows(ctx, i, &q.name).or_else(|| env_variants(ctx, i, &q.name)) {
                        Some(rows) => {
                            rows.iter().for_each(|n| queue_edge(ctx, &amqp, &transports, out, i, q, n, flags))
                        }
                        None => queue_edge(ctx, &amqp, &transports, out, i, q, &q.name, flags),
                    }
                }
                None => {}
            }
            // Callers in the wrapper's service: its own edge, once per name. A caller of
            // another service (or a module of none) importing the wrapper: the caller's
            // module publishes or consumes, at the call (a subscription through the wrapper
            // answers requests for the caller's service; a request was counted above).
            let mut own: Vec<&Template> = Vec::new();
            for (j, line, name) in &callers {
                if ctx.owner(*j) == ctx.owner(i) {
                    if !own.contains(&name) {
                        own.push(name);
                    }
                    continue;
                }
                let at = RawQueue { line: *line, rpc: q.rpc && q.access != Access::Write, ..q.clone() };
                queue_edge(ctx, &amqp, &transports, out, *j, &at, name, site_flags(ctx, *j));
            }
            for name in own {
                queue_edge(ctx, &amqp, &transports, out, i, q, name, flags);
            }
        }
    }
    unreached_wrappers(ctx, &reached, out);
    declared_env_links(ctx, out);
    replies(ctx, &transports, out);
    // Gateways' own calls: the routes of their nginx/HAProxy configuration files.
    super::gateway::edges(ctx, eps, out);
}

/// The names a queue name reading one environment variable (`` `bank${process.env.BANK_CODE}` ``)
/// takes when the service of file `i` is deployed by several compose entries that set the
/// variable to different values (`Service::env_by_entry`): one name per value, each a
/// literal. None otherwise (the service's one value, or none, is read as usual).
fn env_variants(ctx: &Ctx, i: usize, name: &Template) -> Option<Vec<Template>> {
    let vars: Vec<&String> = name.iter().filter_map(|p| if let Part::Env(v, _) = p { Some(v) } else { None }).collect();
    let [var] = vars.as_slice() else { return None };
    let by_entry = ctx.services.list.get(ctx.owner(i)?)?.env_by_entry.get(*var)?;
    let mut values: Vec<&String> = by_entry.values().collect();
    values.sort();
    values.dedup();
    if values.len() < 2 {
        return None;
    }
    let mut out = Vec::new();
    for v in values {
        let mut t = Template::new();
        for p in name {
            match p {
                Part::Env(..) => crate::lang::arch::push_parts(&mut t, vec![Part::Lit(ctx.substitute(v))]),
                p => crate::lang::arch::push_parts(&mut t, vec![p.clone()]),
            }
        }
        out.push(t);
    }
    Some(out)
}

/// The names a Rust queue name walking a list stands for (`KafkaTopic::all()[*t]`,
/// `lang::rs_enums`): each element of the list, when every one is read.
fn list_rows(ctx: &Ctx, i: usize, name: &Template) -> Option<Vec<Template>> {
    let marker = |p: &Part| matches!(p, Part::Ref(r) if r.contains("[*"));
    if ctx.project.files[i].file.lang != Lang::Rust || !name.iter().any(marker) {
        return None;
    }
    ctx.entry_rows(i, name).filter(|rows| rows.iter().all(|r| !r.iter().any(marker)))
}

/// Requests awaiting a reply over a broker and the handlers that may answer them,
/// gathered as the queue edges are made ([`queue_edge`]).
#[derive(Default)]
struct Rpc {
    /// (file, line, flags, queue id) of each request.
    requests: Vec<(usize, u32, Flags, String)>,
    /// The services (by index; `None` for code no service owns) answering each queue.
    answers: std::collections::BTreeMap<String, std::collections::BTreeSet<Option<usize>>>,
    /// Requests made through a wrapper, linked at its callers instead: (file, line).
    wrapped: std::collections::BTreeSet<(usize, u32)>,
}

/// A request over a broker that awaits a reply (NestJS `client.send(pattern)`, NATS
/// `request(subject)`) is a call of the service answering it: the one other service
/// whose handler consumes that queue (`@MessagePattern(pattern)`, a NATS subscription).
/// The call goes from the request's module to that service, with the queue as `via`.
/// Several services answering: a request gets one reply, from whichever answers first
/// (or the host the client dials), which is known only at run time: a diagnostic, no
/// edge. None: no call (the publish edge stays; a TCP pattern no handler receives has
/// its own diagnostic). The requester's own service answering is no call between services.
fn replies(ctx: &Ctx, transports: &Transports, out: &mut ArchOut) {
    let rpc = transports.rpc.borrow();
    for (file, line, flags, id) in &rpc.requests {
        if rpc.wrapped.contains(&(*file, *line)) {
            continue;
        }
        let own = ctx.owner(*file);
        let Some(answers) = rpc.answers.get(id) else { continue };
        let others: Vec<usize> = answers.iter().flatten().copied().filter(|s| Some(*s) != own).collect();
        if answers.contains(&own) && own.is_some() {
            continue;
        }
        let rel = ctx.project.rel(*file);
        match others.as_slice() {
            [one] => {
                let service = ctx.services.list[*one].name.clone();
                link_call_via(out, (*file, rel, *line), *flags, &service, id);
            }
            [] => {}
            many => {
                if flags.contains(Flags::TEST) {
                    continue;
                }
                let names: Vec<String> = many.iter().map(|s| format!("`{}`", ctx.services.list[*s].name)).collect();
                let msg = format!(
                    "request on `{id}` is answered by several services ({}); which one replies is known only at run time: call not linked",
                    names.join(", ")
                );
                out.diagnostics.push(Diagnostic::new(rel, Some(*line), Severity::Info, msg));
            }
        }
    }
}

/// The queue id a queue edge of `q` named `name` in file `i` goes to, when it has one
/// (the NestJS transport known, the name read): for a request through a wrapper, named
/// at the wrapper's caller.
fn queue_id(ctx: &Ctx, transports: &Transports, i: usize, q: &RawQueue, name: &Template) -> Option<String> {
    let t = queue_name(ctx, i, q, name).ok().filter(literal)?;
    let name = render(&t);
    let broker = match q.broker.as_str() {
        "nestjs" => transports.broker(ctx.owner(i)).ok()?.to_string(),
        b => b.to_string(),
    };
    Some(Node::Queue { broker, name }.id())
}

/// The proto service a stub names: as written, or the value of the constant it names
/// (`getService(IDENTITY_SERVICE_NAME)`, the constant in the file, imported or re-exported
/// through a barrel); a constant with no readable text value is an info diagnostic.
fn stub_service(ctx: &Ctx, file: usize, g: &crate::model::RawGrpc, out: &mut ArchOut) -> Option<String> {
    let Some(name) = &g.constant else { return Some(g.service.clone()) };
    let value = ctx.resolve_template(file, &vec![Part::Ref(name.to_string())]).ok();
    match value.as_deref() {
        Some([Part::Lit(v)]) if !v.is_empty() => Some(v.clone()),
        _ => {
            let message = format!("gRPC service name `{name}` is known only at run time: call not linked");
            out.diagnostics.push(Diagnostic::new(ctx.project.rel(file), Some(g.line), Severity::Info, message));
            None
        }
    }
}

/// The services (as node ids) whose code imports class `class` from module `file` (a
/// module no service owns: a workspace package such as `@lib/grpc`), by name, directly or
/// through the package's barrels (`export * from './client'`); imports of test code and
/// type-only imports do not count. Each such service constructs the class (NestJS injects
/// it as a provider) and so makes the requests its methods make.
fn class_importers(ctx: &Ctx, file: usize, class: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (j, f) in ctx.project.files.iter().enumerate() {
        let Some(s) = ctx.owner(j).filter(|_| j != file) else { continue };
        let id = format!("service:{}", ctx.services.list[s].name);
        if out.contains(&id) || ctx.is_test(j) {
            continue;
        }
        let bound = f.facts.arch.bindings.iter().filter(|b| b.remote == class).any(|b| {
            let type_only =
                f.facts.imports.iter().any(|imp| imp.line == b.line && imp.flags.contains(Flags::TYPE_ONLY));
            !type_only
                && ctx
                    .import_targets(j, b.line)
                    .iter()
                    .any(|&t| t == file || ctx.find_reexported(t, 0, &mut |m| (m == file).then_some(())).is_some())
        });
        if bound {
            out.push(id);
        }
    }
    out.sort();
    out
}

/// The name of queue `q` of file `i`, `name` resolved; a NestJS pattern that is a constant
/// holding an object (`@MessagePattern(LOGIN)`, `export const LOGIN = { api: 'auth', name:
/// 'login' }`) is the channel Nest makes of the object (`lang::ts_arch::NEST_ROUTE`).
fn queue_name(ctx: &Ctx, i: usize, q: &RawQueue, name: &Template) -> Result<Template, String> {
    let t = ctx.resolve_template(i, name)?;
    match (q.broker.as_str(), name.as_slice(), t.as_slice()) {
        ("nestjs", [Part::Ref(r)], [Part::Param(_)]) => {
            let route = vec![Part::Ref(format!("{r}{}", crate::lang::ts_arch::NEST_ROUTE))];
            match ctx.resolve_template(i, &route) {
                Ok(v) if literal(&v) => Ok(v),
                _ => Ok(t),
            }
        }
        _ => Ok(t),
    }
}

/// The functions some Python call names (the last name of each callee the wrapper
/// pass reads: `arg_calls` and `plain_calls`), read once.
fn python_called(ctx: &Ctx) -> std::collections::BTreeSet<String> {
    let python = ctx.project.files.iter().filter(|f| f.file.lang == Lang::Python);
    let calls = python.flat_map(|f| f.facts.arch.arg_calls.iter().chain(&f.facts.arch.plain_calls));
    calls.map(|a| a.callee.rsplit('.').next().unwrap_or(&a.callee).to_string()).collect()
}

/// Rust types whose `impl` builds a gRPC client of a proto some service implements
/// (`impl AuthClient { pub async fn new() { … AuthServiceClient::new(channel) } }`, in
/// the callee's crate), and those some code constructs (`AuthClient::new()`, in the
/// gateway): a constructor is followed like a wrapper, each caller being a site.
struct Constructors {
    /// Type → the proto services its constructors build clients of.
    builds: std::collections::BTreeMap<String, Vec<String>>,
    /// Types some client fact constructs (`AuthClient` for `AuthClient::new()`).
    called: std::collections::BTreeSet<String>,
}

impl Constructors {
    fn read(ctx: &Ctx, eps: &Endpoints) -> Self {
        let mut builds: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
        let mut wanted = std::collections::BTreeSet::new();
        // A stub named by a constant is a NestJS client, never a Rust constructor's.
        let stubs = ctx.project.files.iter().flat_map(|f| &f.facts.arch.grpc);
        for g in stubs.filter(|g| !g.server && g.constant.is_none()) {
            let proto = eps.proto_service(&g.service);
            match &g.within {
                Some(t) if eps.grpc_impl.contains_key(proto) => {
                    let protos = builds.entry(t.clone()).or_default();
                    if !protos.iter().any(|p| p == proto) {
                        protos.push(proto.to_string());
                    }
                }
                _ if !eps.grpc_impl.contains_key(proto) => {
                    wanted.insert(format!("{}Client", g.service));
                }
                _ => {}
            }
        }
        let called = wanted.into_iter().filter(|t| builds.contains_key(t)).collect();
        Constructors { builds, called }
    }

    /// The implementers a call of `<service>Client::new()` reaches: those of the one
    /// proto service that type's constructors build (none when several: no guess).
    fn implementers<'e>(&self, eps: &'e Endpoints, service: &str) -> &'e [String] {
        match self.builds.get(&format!("{service}Client")).map(Vec::as_slice) {
            Some([proto]) => eps.grpc_impl.get(proto).map_or(&[], Vec::as_slice),
            _ => &[],
        }
    }
}

/// The client of an API gateway's proxy (`createProxyMiddleware({ target })`…, read by
/// `crate::lang::ts_arch`): a request of any method and path to the target.
const PROXY: &str = "proxy";

/// The proxies of file `i` made for each row of a route table (`routes.forEach(r =>
/// app.use(r.url, createProxyMiddleware(r.proxy)))`, read by `lang::ts_arch` as the URL
/// `routes.*.proxy.target`): one call per row at the proxy's line, its target the row's.
/// The table is the file's or an imported one, or, for a parameter of the function around
/// (`const setupProxies = (app, routes) => …`), what its callers pass there
/// (`setupProxies(app, ROUTES)`), read in each caller's file; callers in test code count
/// only for test code. A table not read leaves the call as it was: a diagnostic.
fn proxy_rows<'c>(
    ctx: &Ctx,
    i: usize,
    calls: Vec<std::borrow::Cow<'c, RawCall>>,
    test: bool,
) -> Vec<std::borrow::Cow<'c, RawCall>> {
    let row_call = |c: &RawCall| match c.url.as_slice() {
        [Part::Ref(r)] if c.client == PROXY && r.contains("*.") => Some(r.clone()),
        _ => None,
    };
    if !calls.iter().any(|c| row_call(c).is_some()) {
        return calls;
    }
    let mut out = Vec::new();
    for c in calls {
        let Some(r) = row_call(&c) else {
            out.push(c);
            continue;
        };
        let rows = match crate::lang::ts_arch::arg_ref(&r) {
            Some((function, index, chain)) => passed_rows(ctx, i, (function, index, chain), test),
            None => ctx.table_rows(i, &r),
        };
        if rows.is_empty() {
            out.push(c);
            continue;
        }
        for url in rows {
            out.push(std::borrow::Cow::Owned(RawCall { url, ..c.as_ref().clone() }));
        }
    }
    out
}

/// The calls of file `i` whose URL reaches a dict by a run-time key ([`Ctx::entry_rows`]):
/// one call per value of the dict, at the call's line, and those lines.
fn entry_calls<'c>(
    ctx: &Ctx,
    i: usize,
    calls: Vec<std::borrow::Cow<'c, RawCall>>,
) -> (Vec<std::borrow::Cow<'c, RawCall>>, Vec<u32>) {
    let mut out = Vec::with_capacity(calls.len());
    let mut lines = Vec::new();
    for c in calls {
        match ctx.entry_rows(i, &c.url) {
            Some(rows) => {
                lines.push(c.line);
                for url in rows {
                    out.push(std::borrow::Cow::Owned(RawCall { url, ..c.as_ref().clone() }));
                }
            }
            None => out.push(c),
        }
    }
    (out, lines)
}

/// The rows of the tables the callers of `function` (of file `file`) pass as its
/// parameter `index` (`setupProxies(app, ROUTES)`), each row's `chain` (`*.proxy.target`):
/// a name the caller's file defines or imports, also when the function is its module's
/// default export (`import setupProxies from './proxy'`).
fn passed_rows(ctx: &Ctx, file: usize, (function, index, chain): (&str, usize, &str), test: bool) -> Vec<Template> {
    let files = ctx.project.files;
    let default = files[file].facts.arch.default_export.as_deref() == Some(function);
    let mut tables: Vec<Vec<Template>> = Vec::new();
    for (j, g) in files.iter().enumerate() {
        if !test && crate::lang::is_test_path(ctx.project.rel(j), g.file.lang) {
            continue;
        }
        for a in &g.facts.arch.arg_calls {
            let by_default = default
                && !a.callee.contains('.')
                && ctx.imported(j, &a.callee).iter().any(|(m, remote)| *m == file && remote == "default");
            if !(by_default || calls_python_function(ctx, j, &a.callee, file, function)) {
                continue;
            }
            // Each row is a proxy of its own; callers passing the same table pass it once.
            if let Some([Part::Ref(table)]) = a.args.get(index).map(Vec::as_slice) {
                let passed = ctx.table_rows(j, &format!("{table}.{chain}"));
                if !tables.contains(&passed) {
                    tables.push(passed);
                }
            }
        }
    }
    tables.concat()
}

/// A proxy's target as a URL: express-http-proxy takes a bare `host:port` as `http://`.
fn proxy_url(target: String) -> String {
    if target.contains("://") || target.starts_with('/') {
        target
    } else {
        format!("http://{target}")
    }
}

/// A JS/TS or Python function that requests the URL it is given, which no caller
/// hands a URL tapestry can read (`async function getImage(req: Request) { fetch(req) }`):
/// its request is known only at run time (said, as for a call of its own, not dropped).
/// Rust's are said per service by [`uncalled_rust_wrappers`]; test code is left quiet.
fn unreached_wrappers(ctx: &Ctx, reached: &std::collections::HashSet<usize>, out: &mut ArchOut) {
    for (i, f) in ctx.project.files.iter().enumerate() {
        let rel = ctx.project.rel(i);
        if f.file.lang == Lang::Rust || crate::lang::is_test_path(rel, f.file.lang) {
            continue;
        }
        let forwarded = forwarding_wrappers(&f.facts.arch.wrappers);
        let js = f.file.lang.is_ecmascript();
        let through = if js { reached_through_delegates(&f.facts.arch.wrappers, reached) } else { Vec::new() };
        let unreached = |w: &&RawWrapper| match js {
            // JS/TS static delegates (`lang/ts_classes.rs` `static_delegates`): one request,
            // the wrapper's they hand on to, said once when no caller reaches any of them.
            true => w.forwards.is_none() && !reached.contains(&address(w)) && !through.contains(&w.name.as_str()),
            false => !reached.contains(&address(w)) && !forwarded.contains(&w.name.as_str()),
        };
        // An instance method no caller reaches (`HTTPClient.prototype.request`) is no request.
        let method = |w: &&RawWrapper| !w.name.contains(".prototype.");
        for w in f.facts.arch.wrappers.iter().filter(|w| w.at == 0).filter(unreached).filter(method) {
            out.diagnostics.push(Diagnostic::new(
                rel,
                Some(w.call.line),
                Severity::Info,
                format!("URL `{}` is known only at run time: call not linked", redact_url(&render(&w.call.url))),
            ));
        }
    }
}

/// The names of a file's wrappers that another wrapper of it hands its URL to (`_ai_get` →
/// `_http`, [`RawWrapper::forwards`]): their request is that wrapper's, made at its
/// callers, or said where it forwards when none reaches it.
fn forwarding_wrappers(wrappers: &[RawWrapper]) -> Vec<&str> {
    wrappers.iter().filter_map(|w| w.forwards.as_deref()).flat_map(|f| f.split(',')).collect()
}

/// The names of a file's wrappers that a reached wrapper hands its URL on to, directly or
/// through other wrappers ([`RawWrapper::forwards`]).
fn reached_through_delegates<'w>(
    wrappers: &'w [RawWrapper],
    reached: &std::collections::HashSet<usize>,
) -> Vec<&'w str> {
    let mut out: Vec<&str> = Vec::new();
    let mut next: Vec<&str> =
        wrappers.iter().filter(|w| reached.contains(&address(w))).filter_map(|w| w.forwards.as_deref()).collect();
    while let Some(name) = next.pop() {
        if out.contains(&name) {
            continue;
        }
        out.push(name);
        next.extend(wrappers.iter().filter(|w| w.name == name).filter_map(|w| w.forwards.as_deref()));
    }
    out
}

/// A wrapper's identity in the set of those some caller reaches.
/// Whether Python wrapper `w` (of `file`) has a URL holding a parameter with a default,
/// up to its URL parameter (`def check(user_id, base="http://users:8001")` requesting
/// `f"{base}/users/{user_id}"`): a request made at its callers only, those omitting the
/// parameter with its default, and none when no caller is found.
fn defaulted(ctx: &Ctx, file: usize, w: &RawWrapper) -> bool {
    ctx.project.files[file].file.lang == Lang::Python
        && w.call
            .url
            .iter()
            .take(w.at + 1)
            .any(|p| matches!(p, Part::Ref(r) if w.params.iter().any(|(n, d)| n == r && !d.is_empty())))
}

fn address(w: &RawWrapper) -> usize {
    std::ptr::from_ref(w) as usize
}

/// Whether a resolved template is literal text only.
fn literal(t: &Template) -> bool {
    t.iter().all(|p| matches!(p, Part::Lit(_)))
}

/// Whether a module of the service of `file` other than it calls its function `function`
/// through an import (`ArchFacts::called`).
fn called_from(ctx: &Ctx, file: usize, function: &str) -> bool {
    let owner = ctx.owner(file);
    ctx.project.files.iter().enumerate().any(|(j, g)| {
        j != file
            && ctx.owner(j) == owner
            && g.facts.arch.called.iter().any(|local| {
                ctx.imported(j, local)
                    .iter()
                    .any(|(m, remote)| *m == file && (remote == function || remote == "default"))
            })
    })
}

/// RabbitMQ routing read project-wide: the queues bound to each exchange (with
/// their binding keys) and the types exchanges are declared with.
struct Amqp {
    /// (exchange, queue, binding key; `None`: not read).
    binds: Vec<(String, String, Option<String>)>,
    /// Exchange → the types it is declared with.
    kinds: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    /// Whether some binding's exchange or queue is known only at run time: then a
    /// publish no read binding routes may land in its queue.
    unread_binds: bool,
}

impl Amqp {
    fn read(ctx: &Ctx) -> Self {
        let mut binds = Vec::new();
        let mut kinds: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
        let mut unread_binds = false;
        for (i, f) in ctx.project.files.iter().enumerate() {
            let text = |t: &Template| ctx.resolve_template(i, t).ok().filter(literal).map(|t| render(&t));
            // Bindings named by constructor parameters: one per construction (`pyctor`).
            let mut expanded = Vec::new();
            for a in &f.facts.arch.amqp {
                let none = Template::new();
                let parts = [&a.exchange, a.queue.as_ref().unwrap_or(&none), a.key.as_ref().unwrap_or(&none)];
                match super::pyctor::instances(ctx, i, &parts) {
                    Some(Ok(list)) => expanded.extend(list.into_iter().map(|n| crate::model::RawAmqp {
                        exchange: n[0].clone(),
                        queue: a.queue.as_ref().map(|_| n[1].clone()),
                        key: a.key.as_ref().map(|_| n[2].clone()),
                        ..a.clone()
                    })),
                    _ => expanded.push(a.clone()),
                }
            }
            for a in &expanded {
                let exchange = text(&a.exchange).filter(|e| !e.is_empty());
                let queue = a.queue.as_ref().map(|q| text(q).filter(|q| !q.is_empty()));
                unread_binds |= matches!(queue, Some(None)) || queue.is_some() && exchange.is_none();
                let Some(exchange) = exchange else { continue };
                if let Some(Some(queue)) = queue {
                    binds.push((exchange.clone(), queue, a.key.as_ref().and_then(text)));
                }
                if let Some(kind) = &a.kind {
                    kinds.entry(exchange).or_default().insert(kind.clone());
                }
            }
        }
        binds.sort();
        binds.dedup();
        Amqp { binds, kinds, unread_binds }
    }

    /// The queues a message published to `exchange` with routing key `key` lands in
    /// (sorted): by the exchange's type, a direct exchange the bindings with that key,
    /// a topic exchange those whose pattern matches it, a fanout exchange (or one of
    /// unknown or several types) every binding. A key not read leaves a direct or topic
    /// exchange's queues unknown: none.
    fn route(&self, exchange: &str, key: Option<&str>) -> Vec<String> {
        let kinds = self.kinds.get(exchange);
        let kind = kinds.filter(|k| k.len() == 1).and_then(|k| k.iter().next()).map_or("", String::as_str);
        let mut out: Vec<String> = self
            .binds
            .iter()
            .filter(|(e, _, _)| e == exchange)
            .filter(|(_, _, bound)| match (kind, key, bound) {
                ("direct", Some(k), Some(b)) => k == b,
                ("topic", Some(k), Some(b)) => topic_matches(b, k),
                ("direct" | "topic", _, _) => false,
                _ => true,
            })
            .map(|(_, q, _)| q.clone())
            .collect();
        out.dedup();
        out
    }
}

/// AMQP topic matching: the binding pattern's words (`.`-separated) match the
/// routing key's, `*` exactly one word and `#` zero or more.
fn topic_matches(pattern: &str, key: &str) -> bool {
    fn go(p: &[&str], k: &[&str]) -> bool {
        match p.split_first() {
            None => k.is_empty(),
            Some((&"#", rest)) => (0..=k.len()).any(|n| go(rest, &k[n..])),
            Some((w, rest)) => k.split_first().is_some_and(|(kw, krest)| (*w == "*" || w == kw) && go(rest, krest)),
        }
    }
    let p: Vec<&str> = pattern.split('.').collect();
    let k: Vec<&str> = key.split('.').collect();
    // Patterns of many `#` are exponential in the worst case: real keys are a few words.
    p.len() <= 16 && k.len() <= 16 && go(&p, &k)
}

/// Whether queue `k` of JS/TS file `f` is named by a template with one parameter of the
/// function around it among other parts (`` `kafka-${evetName}` ``), which callers name
/// (`lang::ts_arch` `template_param`).
fn param_in_template(f: &crate::model::Extracted, k: usize) -> bool {
    let name = &f.facts.arch.queues[k].name;
    matches!(f.file.lang, Lang::TypeScript | Lang::Tsx | Lang::JavaScript)
        && name.len() > 1
        && name.iter().filter(|p| matches!(p, Part::Param(_))).count() == 1
        && f.facts.arch.queue_params.iter().any(|p| p.queue == k)
}

/// [`named_by_callers`] with the site naming each: (caller's file, line, name), one
/// per call (a request through a wrapper is made where the wrapper is called).
fn named_at_callers(ctx: &Ctx, file: usize, k: usize) -> Vec<(usize, u32, Template)> {
    let files = ctx.project.files;
    let Some(qp) = files[file].facts.arch.queue_params.iter().find(|p| p.queue == k) else { return Vec::new() };
    let (owner, lang) = (ctx.owner(file), files[file].file.lang);
    let mut names: Vec<(usize, u32, Template)> = Vec::new();
    if lang != Lang::Python {
        let mut seen = Vec::new();
        passed_names(ctx, (owner, lang, file), (&qp.function, qp.param), &mut seen, &mut names);
        // `kafka-${evetName}`: each caller's text in the parameter's place.
        if param_in_template(&files[file], k) {
            let name = &files[file].facts.arch.queues[k].name;
            for (_, _, t) in &mut names {
                *t = name
                    .iter()
                    .flat_map(|p| if matches!(p, Part::Param(_)) { t.clone() } else { vec![p.clone()] })
                    .collect();
            }
        }
        return names;
    }
    // Callers in any service: each imports the function from its file (a shared module one
    // build copies into several services, `shared/queue_utils.py` called by each app).
    for (j, g) in files.iter().enumerate().filter(|(_, g)| g.file.lang == lang) {
        for a in &g.facts.arch.arg_calls {
            let name = {
                // Python: the function itself, in its file or through an import of it, and the
                // argument as the caller's file reads it (a constant of the caller's module).
                if !calls_python_function(ctx, j, &a.callee, file, &qp.function) {
                    continue;
                }
                // Positional, else the keyword argument named as the parameter (`topic="t"`).
                let by_name = || match files[file].facts.arch.queues[k].name.as_slice() {
                    [Part::Param(p)] => a.kwargs.iter().find(|(n, _)| n == p).map(|(_, t)| t).filter(|t| !t.is_empty()),
                    _ => None,
                };
                let arg = a.args.get(qp.param).filter(|t| !t.is_empty()).or_else(by_name);
                arg.and_then(|t| ctx.resolve_template(j, t).ok()).filter(literal)
            };
            if let Some(t) = name {
                names.push((j, a.line, t));
            }
        }
    }
    names
}

/// A URL whose parts a parameter of the function around the request gives (marked by
/// `lang::ts_arch`: `cfg.catalogUrl` in `export function createApp(cfg) { … }`), with each
/// such part replaced by what the function's callers pass there, read in the caller's file:
/// the member of the object it hands over (`createApp(cfg)` with `const cfg = { catalogUrl:
/// process.env.CATALOG_URL ?? "http://catalog:8080" }`) or the property of an object literal
/// (`createApp({ catalogUrl: … })`). Callers in test code count only for a request in test
/// code (a test builds the app with its own values). One value, or several callers giving
/// the same, is the part; no caller, or one whose value is not read, leaves a parameter (the
/// URL is known only at run time); callers giving different values: a message, no call.
fn through_params<'t>(
    ctx: &Ctx,
    file: usize,
    url: &'t Template,
    test: bool,
) -> Result<std::borrow::Cow<'t, Template>, String> {
    use crate::lang::ts_arch::arg_ref;
    if !url.iter().any(|p| matches!(p, Part::Ref(r) if arg_ref(r).is_some())) {
        return Ok(std::borrow::Cow::Borrowed(url));
    }
    let mut out = Template::new();
    for part in url {
        let Some((function, index, chain)) = (match part {
            Part::Ref(r) => arg_ref(r),
            _ => None,
        }) else {
            out.push(part.clone());
            continue;
        };
        let mut values: Vec<Option<Template>> = Vec::new();
        for (j, g) in ctx.project.files.iter().enumerate() {
            if !test && crate::lang::is_test_path(ctx.project.rel(j), g.file.lang) {
                continue;
            }
            for a in g.facts.arch.arg_calls.iter().filter(|a| calls_python_function(ctx, j, &a.callee, file, function))
            {
                let given = match (chain.contains('.'), a.args.get(index).map(Vec::as_slice)) {
                    (_, Some([Part::Ref(object)])) => Some(vec![Part::Ref(format!("{object}.{chain}"))]),
                    (false, _) => a.props.iter().find(|(i, k, _)| *i == index && k == chain).map(|(_, _, t)| t.clone()),
                    _ => None,
                };
                let value = given.map(|t| ctx.resolve_template(j, &t).unwrap_or_else(|var| vec![Part::Env(var, None)]));
                let value = value.filter(|t| !t.iter().any(|p| matches!(p, Part::Param(_))));
                if !values.contains(&value) {
                    values.push(value);
                }
            }
        }
        match values.as_slice() {
            [Some(v)] => crate::lang::arch::push_parts(&mut out, v.clone()),
            [_, _, ..] if values.iter().all(Option::is_some) => {
                let shown: Vec<String> =
                    values.iter().flatten().map(|v| format!("`{}`", redact_url(&render(v)))).collect();
                return Err(format!(
                    "the callers of `{function}` pass different values for `{chain}` of argument {} ({}): call not linked",
                    index + 1,
                    shown.join(", ")
                ));
            }
            _ => out.push(Part::Param(chain.rsplit('.').next().unwrap_or(chain).to_string())),
        }
    }
    Ok(std::borrow::Cow::Owned(out))
}

/// The flags of a file's call sites: `test` in test code (and load-test scripts).
fn site_flags(ctx: &Ctx, i: usize) -> Flags {
    if ctx.is_test(i) {
        Flags::TEST
    } else {
        Flags::default()
    }
}

/// A queue named by a field of the class using it (`this.client.publish(this.subject, …)`
/// in `abstract class Publisher`): one edge per subclass setting the field (`subject =
/// Subjects.TicketCreated` in `class TicketCreatedPublisher extends Publisher<E>`, in the
/// base's file or one importing the base from it), from the subclass's module at the
/// field's line, the name read there. A publish is also the code's that calls the method
/// making it on an instance of the subclass ([`publishing_callers`]). Whether the queue is
/// such a one and some subclass names it (else it keeps its diagnostic).
fn field_queues(ctx: &Ctx, brokers: (&Amqp, &Transports), out: &mut ArchOut, i: usize, k: usize) -> bool {
    let files = ctx.project.files;
    let Some(qf) = files[i].facts.arch.queue_fields.iter().find(|q| q.queue == k) else { return false };
    let q = &files[i].facts.arch.queues[k];
    if qf.param {
        return param_field_queues(ctx, brokers, out, (i, k), qf);
    }
    let mut found = false;
    for (j, g) in files.iter().enumerate().filter(|(_, g)| g.file.lang.is_ecmascript()) {
        for cf in g.facts.arch.class_fields.iter().filter(|c| c.field == qf.field) {
            let extends = if j == i {
                cf.base == qf.class
            } else {
                ctx.imported(j, &cf.base).iter().any(|(m, remote)| *m == i && *remote == qf.class)
            };
            if extends {
                let sub = RawQueue { line: cf.line, ..q.clone() };
                queue_edge(ctx, brokers.0, brokers.1, out, j, &sub, &cf.value, site_flags(ctx, j));
                if q.access == Access::Write {
                    publishing_callers(ctx, brokers, out, (q, &qf.method), (j, cf));
                }
                found = true;
            }
        }
    }
    found
}

/// [`field_queues`] of a field read from a parameter typed as a class (`publish(event:
/// BaseDomainEvent) { send({ topic: event.eventType }) }`, `RawQueueField::param`): the
/// class is the one the module declares or imports under that name, and each subclass of
/// it in the same service, outside tests, that sets the field to text or a constant (read
/// in its own module) names one queue of this call, at its line. None: the call keeps its run-time name.
fn param_field_queues(
    ctx: &Ctx,
    brokers: (&Amqp, &Transports),
    out: &mut ArchOut,
    (i, k): (usize, usize),
    qf: &crate::model::RawQueueField,
) -> bool {
    let files = ctx.project.files;
    let mut classes = ctx.imported(i, &qf.class);
    classes.push((i, qf.class.clone()));
    let q = &files[i].facts.arch.queues[k];
    let mut names: Vec<Template> = Vec::new();
    let own = |j: usize| ctx.owner(j) == ctx.owner(i) && !ctx.is_test(j);
    for (j, g) in files.iter().enumerate().filter(|(j, g)| g.file.lang.is_ecmascript() && own(*j)) {
        for cf in g.facts.arch.class_fields.iter().filter(|c| c.field == qf.field) {
            let mut bases = ctx.imported(j, &cf.base);
            bases.push((j, cf.base.clone()));
            if !bases.iter().any(|b| classes.contains(b)) {
                continue;
            }
            if let Some(name) = ctx.resolve_template(j, &cf.value).ok().filter(literal) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
    }
    for name in &names {
        queue_edge(ctx, brokers.0, brokers.1, out, i, q, name, site_flags(ctx, i));
    }
    !names.is_empty()
}

/// The modules calling a base class's publishing method on an instance of subclass `cf`
/// of file `j` that they import (`new TicketCreatedPublisher(client).publish(data)` in a
/// route handler, [`crate::model::RawInstanceCall`]): each publishes too, at its call, the
/// name the subclass's field gives. The queue edge belongs to the code that publishes; a
/// consumer's is the subclass's, whose `onMessage` handles the messages.
fn publishing_callers(
    ctx: &Ctx,
    brokers: (&Amqp, &Transports),
    out: &mut ArchOut,
    (q, method): (&RawQueue, &str),
    (j, cf): (usize, &crate::model::RawClassField),
) {
    let Ok(name) = ctx.resolve_template(j, &cf.value) else { return };
    let files = ctx.project.files;
    for (c, g) in files.iter().enumerate().filter(|(c, g)| *c != j && g.file.lang.is_ecmascript()) {
        for call in g.facts.arch.instance_calls.iter().filter(|a| !method.is_empty() && a.method == method) {
            if ctx.imported(c, &call.class).iter().any(|(m, remote)| *m == j && *remote == cf.class) {
                let at = RawQueue { line: call.line, ..q.clone() };
                queue_edge(ctx, brokers.0, brokers.1, out, c, &at, &name, site_flags(ctx, c));
            }
        }
    }
}

/// How many functions deep a parameter handed on is followed ([`passed_names`]).
const PASS_DEPTH: usize = 4;

/// The names the callers of `function` (Rust, same service) give its parameter `param`:
/// each argument that is text or a constant as the caller's file reads it
/// (`topics::USER_CREATED`, a CLI option's default `cfg.kafka_topic`), and through a
/// caller that hands on a parameter of its own (`fn handle(topic: &str) { send(topic) }`),
/// the names `handle`'s callers give, a few functions deep.
fn passed_names(
    ctx: &Ctx,
    (owner, lang, file): (Option<usize>, Lang, usize),
    (function, param): (&str, usize),
    seen: &mut Vec<(String, usize)>,
    names: &mut Vec<(usize, u32, Template)>,
) {
    if seen.len() > PASS_DEPTH || seen.iter().any(|(f, p)| f == function && *p == param) {
        return;
    }
    seen.push((function.to_string(), param));
    let wanted: Vec<&str> = function.split("::").collect();
    let calls = |callee: &str| callee.split("::").collect::<Vec<_>>().ends_with(&wanted);
    // JS/TS: a module of another service (or of none) calls the function of file `file`
    // when it imports it from there (`import { redisPubSub } from '../shared/redis.js'`):
    // a shared module the services' code imports by path.
    let js = lang.is_ecmascript();
    let imports = |j: usize, callee: &str| js && calls_python_function(ctx, j, callee, file, function);
    let files = ctx.project.files;
    for (j, g) in files.iter().enumerate().filter(|(_, g)| g.file.lang == lang) {
        let own = ctx.owner(j) == owner;
        if !own && (!js || g.facts.arch.bindings.is_empty()) {
            continue;
        }
        let callers = g.facts.arch.arg_calls.iter().chain(&g.facts.arch.name_calls);
        for a in callers.filter(|a| if own { calls(&a.callee) } else { imports(j, &a.callee) }) {
            let arg = a.args.get(param).filter(|t| !t.is_empty());
            if let Some(t) = arg.and_then(|t| ctx.resolve_template(j, t).ok()).filter(literal) {
                names.push((j, a.line, t));
            }
        }
        for p in g.facts.arch.param_passes.iter().filter(|p| p.arg == param && calls(&p.callee)) {
            if own {
                passed_names(ctx, (owner, lang, j), (&p.function, p.param), seen, names);
            }
        }
    }
}

/// Whether a Python call's callee, as written in file `caller`, is the module-level
/// function `function` of file `file`: the name itself in that file, or a name
/// (`publish`) or a module's member (`events.publish`) imported from it. A JS/TS
/// callee reads the same through the file's import bindings (`import { createApp }`,
/// `import * as app` then `app.createApp`).
pub(super) fn calls_python_function(ctx: &Ctx, caller: usize, callee: &str, file: usize, function: &str) -> bool {
    let (head, member) = callee.split_once('.').map_or((callee, None), |(h, m)| (h, Some(m)));
    if member.is_none() && caller == file {
        return callee == function;
    }
    ctx.imported(caller, head).into_iter().any(|(m, remote)| m == file && member.unwrap_or(&remote) == function)
}

/// A publish or consume edge of queue `q`, named `name`, from file `i`; a diagnostic
/// when the name cannot be read.
#[allow(clippy::too_many_arguments)]
fn queue_edge(
    ctx: &Ctx,
    amqp: &Amqp,
    transports: &Transports,
    out: &mut ArchOut,
    i: usize,
    q: &RawQueue,
    name: &Template,
    flags: Flags,
) {
    // A site in a Rust file no target compiles (a caller of a reached wrapper): none.
    if ctx.rust_unreached.contains(&i) {
        return;
    }
    let rel = ctx.project.rel(i);
    let name = match queue_name(ctx, i, q, name) {
        // `cart.add(item)` of an imported name that is no Bull queue (`crate::lang::ts_bull`).
        Ok(t) if q.broker == "bull" && t.iter().any(|p| matches!(p, Part::Param(_))) => return,
        // `publish(this._logChannel, …)` with a field set from a constructor argument,
        // `{queueName}`: a name with nothing readable is no queue (such a node would be
        // a guess); `chat:{room_id}` names a family of channels both sides agree on.
        // `{topic}.dlq` (a parameter's topic plus a suffix): which topic is known only at
        // run time, so the name is no queue either.
        Ok(t)
            if !t.iter().any(|p| matches!(p, Part::Lit(l) if l.chars().any(char::is_alphanumeric)))
                || matches!(t.first(), Some(Part::Param(_))) =>
        {
            out.diagnostics.push(Diagnostic::new(
                rel,
                Some(q.line),
                Severity::Info,
                // An empty value (a setting whose default is `""`) is shown as written.
                format!(
                    "queue name `{}` is known only at run time: not linked",
                    Some(render(&t)).filter(|r| !r.is_empty()).unwrap_or_else(|| render(name))
                ),
            ));
            return;
        }
        Ok(t) => render(&t),
        Err(var) => {
            out.diagnostics.push(Diagnostic::new(
                rel,
                Some(q.line),
                Severity::Info,
                format!("queue name from environment variable `{var}`, which nothing sets: not linked"),
            ));
            return;
        }
    };
    let broker = match q.broker.as_str() {
        "nestjs" => match transports.broker(ctx.owner(i)) {
            // TCP is a request to a host, not a broker: a pattern no handler of the
            // scanned code receives is no channel between two of its services.
            Ok("tcp") if q.access == Access::Write && !transports.handled.contains(&name) => {
                let msg = format!("NestJS TCP message `{name}` is received by no `@MessagePattern`/`@EventPattern` in the scanned code: not linked");
                out.diagnostics.push(Diagnostic::new(rel, Some(q.line), Severity::Info, msg));
                return;
            }
            Ok(b) => b.to_string(),
            Err(why) => {
                let msg = format!("NestJS message `{name}`: {why}: not linked");
                out.diagnostics.push(Diagnostic::new(rel, Some(q.line), Severity::Info, msg));
                return;
            }
        },
        b => b.to_string(),
    };
    // An SQS queue URL ends with the queue's name, an SNS topic ARN with the topic's.
    let name = match q.broker.as_str() {
        "sqs" => name.rsplit('/').next().unwrap_or(&name).to_string(),
        "sns" => name.rsplit(':').next().unwrap_or(&name).to_string(),
        _ => name,
    };
    let kind = if q.access == Access::Write { EdgeKind::Publishes } else { EdgeKind::Consumes };
    // A publish to a RabbitMQ exchange lands in the queues bound to it; with no
    // binding found it stays named by the exchange, unless a binding not read may be it.
    let key = q.key.as_ref().map(|k| ctx.resolve_template(i, k).ok().filter(literal).map(|t| render(&t)));
    let queues = key.as_ref().map(|k| amqp.route(&name, k.as_deref())).unwrap_or_default();
    if key.is_some() && queues.is_empty() && amqp.unread_binds {
        let msg = format!("RabbitMQ exchange `{name}` is bound to no queue tapestry reads, and some bindings are known only at run time: not linked");
        out.diagnostics.push(Diagnostic::new(rel, Some(q.line), Severity::Info, msg));
        return;
    }
    for name in if queues.is_empty() { vec![name] } else { queues } {
        let id = out.node(Node::Queue { broker: broker.clone(), name });
        if q.rpc {
            let mut rpc = transports.rpc.borrow_mut();
            match q.access {
                Access::Write => rpc.requests.push((i, q.line, flags, id.clone())),
                _ => {
                    if !flags.contains(Flags::TEST) {
                        rpc.answers.entry(id.clone()).or_default().insert(ctx.owner(i));
                    }
                }
            }
        }
        out.edge(End::Module(i), End::Id(id), kind, rel, q.line, flags);
    }
}

/// NestJS transports (`Transport.KAFKA`…) named in each service's files and in the
/// whole project: a service's `@EventPattern('t')` and client `emit('t')` travel over
/// its one broker transport.
struct Transports {
    by_service: std::collections::BTreeMap<Option<usize>, Vec<String>>,
    all: Vec<String>,
    /// The patterns some NestJS handler (`@MessagePattern`, `@EventPattern`) receives.
    handled: std::collections::BTreeSet<String>,
    /// Requests and their answering handlers, gathered by [`queue_edge`] for [`replies`].
    rpc: std::cell::RefCell<Rpc>,
}

/// NestJS `Transport` members that carry message patterns, with tapestry's broker names
/// (sorted). TCP, Nest's default, has no broker: the pattern is the channel between the
/// client and the handler all the same (`queue:tcp:<pattern>`), when no broker is named too.
const NEST_BROKERS: &[(&str, &str)] =
    &[("KAFKA", "kafka"), ("MQTT", "mqtt"), ("NATS", "nats"), ("REDIS", "redis"), ("RMQ", "rabbitmq"), ("TCP", "tcp")];

impl Transports {
    fn new(ctx: &Ctx) -> Self {
        let mut by_service: std::collections::BTreeMap<Option<usize>, Vec<String>> = Default::default();
        let mut all = Vec::new();
        let mut handled = std::collections::BTreeSet::new();
        for (i, f) in ctx.project.files.iter().enumerate() {
            let handlers = f.facts.arch.queues.iter().filter(|q| q.broker == "nestjs" && q.access == Access::Read);
            handled.extend(handlers.filter_map(|q| queue_name(ctx, i, q, &q.name).ok()).map(|t| render(&t)));
            for t in &f.facts.arch.transports {
                let list = by_service.entry(ctx.owner(i)).or_default();
                if !list.contains(t) {
                    list.push(t.clone());
                }
                if !all.contains(t) {
                    all.push(t.clone());
                }
            }
        }
        Transports { by_service, all, handled, rpc: Default::default() }
    }

    /// The broker of the service's messages: its one broker transport; for a service
    /// naming no transport at all, the project's one. Else why there is none.
    fn broker(&self, service: Option<usize>) -> Result<&'static str, &'static str> {
        let brokers = |list: &[String]| -> Vec<&'static str> {
            let mut b: Vec<&'static str> = list
                .iter()
                .filter_map(|t| NEST_BROKERS.binary_search_by_key(&t.as_str(), |&(k, _)| k).ok())
                .map(|i| NEST_BROKERS[i].1)
                .collect();
            b.dedup();
            // A hybrid app listening on TCP beside a broker sends its patterns over the broker.
            if b.len() > 1 {
                b.retain(|x| *x != "tcp");
            }
            b
        };
        let own = self.by_service.get(&service).map(Vec::as_slice).unwrap_or(&[]);
        let list = if own.is_empty() { &self.all[..] } else { own };
        match brokers(list).as_slice() {
            [one] => Ok(one),
            [] if list.is_empty() => Err("no NestJS transport is configured in the code"),
            [] => Err("the service's NestJS transport is not a broker"),
            _ => Err("the service configures several NestJS broker transports"),
        }
    }
}

/// Whether a call's argument may be a URL: read, and not a bare word (`'orders'`,
/// `'user.created'`), which Python calls keep as a possible queue name.
fn url_arg(t: &Template) -> bool {
    !t.is_empty() && (!crate::lang::arch::name_like(t) || render(t).contains(':'))
}

/// A call of a project function that requests the URL it is given, as the
/// request it makes at this site: the argument's template takes the parameter's
/// place. Nothing when the callee is not exactly one such function (same file
/// first, else through the import of the callee's first name) or the argument
/// is not read.
/// Wrappers a callee names, each with the file defining it.
type Found<'a> = Vec<(usize, &'a RawWrapper)>;

fn through_wrapper<'a>(
    ctx: &Ctx<'a>,
    file: usize,
    a: &RawArgCall,
) -> Result<Vec<(RawCall, &'a RawWrapper)>, (String, Found<'a>)> {
    let found = chosen_case(ctx, file, a, wrapper_of(ctx, file, &a.callee))?;
    Ok(found.into_iter().filter_map(|(wfile, w)| wrapped_call(ctx, file, a, wfile, w)).collect())
}

/// Of a wrapper's requests, one per case of a `switch` on a parameter (`case 'users': url =
/// …`), the one whose case is the caller's string there (resolved: a constant naming it
/// too). An argument that names no case: a message and all the cases.
fn chosen_case<'a>(
    ctx: &Ctx<'a>,
    file: usize,
    a: &RawArgCall,
    found: Found<'a>,
) -> Result<Found<'a>, (String, Found<'a>)> {
    let Some((at, _)) = found.first().and_then(|(_, w)| w.choice.clone()) else { return Ok(found) };
    let given =
        a.args.get(at).and_then(|t| ctx.resolve_template(file, t).ok()).and_then(|t| crate::lang::arch::literal_of(&t));
    let chosen: Vec<(usize, &RawWrapper)> = found
        .iter()
        .filter(|(_, w)| w.choice.as_ref().is_some_and(|(_, c)| Some(c) == given.as_ref()))
        .copied()
        .collect();
    if !chosen.is_empty() {
        return Ok(chosen);
    }
    let cases: Vec<String> =
        found.iter().filter_map(|(_, w)| w.choice.as_ref().map(|(_, c)| format!("`{c}`"))).collect();
    Err((
        format!(
            "`{}` picks its URL by argument {} among the cases {}, and this call passes none of them (known only at run time); the cases do not reach one endpoint: call not linked",
            a.callee,
            at + 1,
            cases.join(", ")
        ),
        found,
    ))
}

/// The request `w` (defined in `wfile`) makes for the call `a`.
fn wrapped_call<'a>(
    ctx: &Ctx<'a>,
    file: usize,
    a: &RawArgCall,
    wfile: usize,
    w: &'a RawWrapper,
) -> Option<(RawCall, &'a RawWrapper)> {
    let line = a.line;
    // Positional, else the keyword argument named as the parameter (`fetch(url=…)`).
    let by_name = || match w.call.url.get(w.at) {
        Some(Part::Ref(p)) => a.kwargs.iter().find(|(k, _)| k == p).map(|(_, t)| t),
        _ => None,
    };
    // After a base (`${API_ROOT}${url}`, `f"{base_url}/{path}"`), a bare word is a path too
    // (`requests.get('school')`). Not after other literal text (Python's
    // `f"{INVENTORY}/stock/{sku}"`: there it is an id).
    let text = |p: &Part| matches!(p, Part::Lit(l) if l.bytes().any(|b| b != b'/'));
    // A client joining the parameter to its own base (axios's `baseURL`): a path whatever the base holds.
    let base_only = w.at > 0 && (w.joined || !w.call.url[..w.at].iter().any(text));
    let fits = |t: &&Template| url_arg(t) || base_only && !t.is_empty();
    let arg = match &w.key {
        // `useRequest({ url: '/api/users' })`: the property of the caller's object.
        Some(k) => a.props.iter().find(|(i, key, _)| *i == w.param && key == k).map(|(_, _, t)| t),
        None => a.args.get(w.param).filter(fits).or_else(by_name),
    }
    .filter(fits);
    let unread;
    let arg = match arg {
        Some(arg) => arg,
        // A wrapper whose URL holds a parameter with a default: that parameter omitted is
        // its default; an id after the path the function names (`f"{base}/users/{user_id}"`),
        // passed but not read, a run-time value.
        None if defaulted(ctx, wfile, w) => {
            let (p, default) = w.params.get(w.param)?;
            unread = match python_arg(a, w.param, p) {
                None if !default.is_empty() => ctx.resolve_template(wfile, default).ok()?,
                Some(_) if w.call.url[..w.at].iter().any(text) => vec![Part::Param(p.clone())],
                _ => return None,
            };
            &unread
        }
        None => return None,
    };
    // `UrlChecker::new(client, hc)` with `hc` the enclosing function's parameter and a path:
    // what that function's callers pass.
    let given;
    let arg = match arg.first() {
        Some(Part::Ref(r)) if r.starts_with(crate::lang::rs_arch::CALLER_ARG) => {
            given = from_callers(ctx, file, arg, 0)?;
            &given
        }
        _ => arg,
    };
    // What the wrapper puts before the parameter (`${HOST}${path}`) is read in its own file;
    // a parameter there (Python's `base + path`) is the caller's argument, else its default.
    let mut url = Template::new();
    for part in &w.call.url[..w.at] {
        let t = match part {
            Part::Ref(p) if w.params.iter().any(|(n, _)| n == p) => {
                let (j, (_, default)) = w.params.iter().enumerate().find(|(_, (n, _))| n == p)?;
                match python_arg(a, j, p) {
                    Some(given) if given.is_empty() => return None,
                    Some(given) => base_part(ctx, file, given),
                    None if !default.is_empty() => ctx.resolve_template(wfile, default).ok()?,
                    None => return None,
                }
            }
            _ => ctx.resolve_template(wfile, &vec![part.clone()]).ok()?,
        };
        crate::lang::arch::push_parts(&mut url, t);
    }
    let mut arg = arg.clone();
    // `baseURL + '/' + url`: the caller's leading slashes are the one the client puts.
    if let (true, Some(Part::Lit(l))) = (w.joined, arg.first_mut()) {
        *l = l.trim_start_matches('/').to_string();
    }
    crate::lang::arch::push_parts(&mut url, arg);
    crate::lang::arch::push_parts(&mut url, w.call.url.iter().skip(w.at + 1).cloned().collect());
    // The caller's `{ method: 'DELETE' }` when the wrapper passes its options on; none
    // passed is the client's default; options that are not an object literal, any method.
    let method = match (w.method_param, w.method_arg) {
        // `Api.fetch('/users/me', API_METHODS.GET)`: the argument, resolved, when it is a method.
        (_, Some(i)) => match a.methods.iter().find(|(j, _)| *j == i) {
            Some((_, m)) => m.clone(),
            None => match w.params.get(i).map_or(a.args.get(i), |(p, _)| python_arg(a, i, p)) {
                Some(t) if !t.is_empty() => ctx
                    .resolve_template(file, t)
                    .ok()
                    .and_then(|t| crate::lang::arch::literal_of(&t))
                    .and_then(|m| crate::lang::arch::http_method(&m))
                    .unwrap_or_else(|| "ANY".into()),
                Some(_) => "ANY".into(),
                None => w.call.method.clone(),
            },
        },
        (None, None) => w.call.method.clone(),
        (Some(i), None) => match a.methods.iter().find(|(j, _)| *j == i) {
            Some((_, m)) if !m.is_empty() => m.clone(),
            Some(_) => w.call.method.clone(),
            None if a.args.len() > i => "ANY".into(),
            None => w.call.method.clone(),
        },
    };
    Some((RawCall { client: w.call.client.clone(), method, url, line }, w))
}

/// A caller's argument for a wrapper's base parameter (`request_json("POST",
/// settings.auth_service_url, "/register")`) as the caller's file reads it
/// ([`Ctx::resolve_url`]); an environment variable nothing sets stays one, for the request
/// to be linked (or said) as one whose URL it is.
fn base_part(ctx: &Ctx, file: usize, given: &Template) -> Template {
    match ctx.resolve_url(file, given) {
        Ok(t) => t,
        Err(var) => ctx
            .resolve_url_lenient(file, given)
            .into_iter()
            .map(|p| match p {
                Part::Param(v) if v == var => Part::Env(v, None),
                p => p,
            })
            .collect(),
    }
}

/// A Python caller's argument for parameter `i`, named `name`: positional, else by
/// keyword; empty when passed but not read, `None` when not passed.
fn python_arg<'a>(a: &'a RawArgCall, i: usize, name: &str) -> Option<&'a Template> {
    a.args.get(i).or_else(|| a.kwargs.iter().find(|(k, _)| k == name).map(|(_, t)| t))
}

/// `api.get("/users/")` where `api` is imported from the module that makes it
/// (`export const api = axios.create({ baseURL })`): a request to the base URL,
/// read in that module, followed by the path. Nothing when the callee is not an
/// HTTP method of an imported name that is a client; an error message when the
/// base URL is unknown or the name is more than one client (no guess).
fn through_client(
    ctx: &Ctx,
    file: usize,
    callee: &str,
    args: &[Template],
    line: u32,
) -> Option<Result<Vec<RawCall>, String>> {
    let (head, member) = callee.split_once('.')?;
    // `api.get(…)`, `api.post(…)`: the lower-case method names of axios, got and ky.
    let method = crate::lang::arch::http_method(member).filter(|m| m != "ANY" && m.to_ascii_lowercase() == member)?;
    let path = args.first().filter(|a| url_arg(a))?;
    let files = &ctx.project.files;
    let mut found = Vec::new();
    let bound = ctx.imported(file, head).into_iter().chain(ctx.returned_by(file, head));
    for (m, remote) in bound.chain(handed_by_app(ctx, file, head, line)) {
        found.extend(files[m].facts.arch.clients.iter().filter(|c| c.name == remote).map(|c| (m, c)));
    }
    // A factory's clients (`buildClient()`): one per base it may return, all of one module.
    let factory = found.first().is_some_and(|(m, c)| c.name.ends_with("()") && found.iter().all(|(n, _)| n == m));
    if found.is_empty() || found.len() > 1 && !factory {
        return (!found.is_empty()).then(|| {
            Err(format!(
                "`{head}` is one of {} HTTP clients of the modules it is imported from: call not linked",
                found.len()
            ))
        });
    }
    let mut calls: Vec<RawCall> = Vec::new();
    for (m, client) in found {
        let mut url = match ctx.resolve_template(m, &client.base) {
            Ok(t) => t,
            // Unset, the base is `undefined`: the page's own origin, when that is an Ingress.
            Err(_) if unset_base_behind_ingress(ctx, file, &client.base, path) => Template::new(),
            Err(var) => {
                return Some(Err(format!(
                    "base URL of client `{head}` from environment variable `{var}`, which no compose, Kubernetes or .env file sets: call not linked"
                )))
            }
        };
        // axios joins `baseURL: '/'` and `/api/x` with one slash.
        let mut path = path.clone();
        if let (Some(Part::Lit(b)), Some(Part::Lit(p))) = (url.last(), path.first_mut()) {
            if b.ends_with('/') && p.starts_with('/') {
                p.remove(0);
            }
            // … and `baseURL: '/api'` and `users/` with one too (axios's `combineURLs`).
            if !b.ends_with('/') && !p.starts_with('/') && !p.contains("://") {
                p.insert(0, '/');
            }
        }
        crate::lang::arch::push_parts(&mut url, path);
        let call = RawCall { client: head.to_string(), method: method.clone(), url, line };
        if !calls.contains(&call) {
            calls.push(call);
        }
    }
    Some(Ok(calls))
}

/// A Next.js page's `getInitialProps` parameter `local`, used at `line` inside that
/// function: what the `_app` of the nearest `pages` directory holding the page hands it
/// at that position, as `_app` binds that name (`const client = buildClient(ctx)`:
/// `buildClient()` of its module), `crate::lang::ts_next`.
fn handed_by_app(ctx: &Ctx, file: usize, local: &str, line: u32) -> Vec<(usize, String)> {
    use crate::lang::ts_next::app_dir;
    let files = ctx.project.files;
    let rel = ctx.project.rel(file);
    let mut around = files[file].facts.arch.initial_props.iter().filter(|p| p.lines.0 <= line && line <= p.lines.1);
    let Some(position) = around.find_map(|p| p.names.iter().position(|n| n == local)) else { return Vec::new() };
    if app_dir(rel).is_some() {
        return Vec::new();
    }
    let holds = |d: &str| rel.strip_prefix(d).is_some_and(|r| r.starts_with('/'));
    let app = (0..files.len()).filter_map(|j| app_dir(ctx.project.rel(j)).filter(|d| holds(d)).map(|d| (d.len(), j)));
    let Some((_, app)) = app.max() else { return Vec::new() };
    let mut out = Vec::new();
    for call in &files[app].facts.arch.initial_props {
        if let Some(name) = call.names.get(position).filter(|n| !n.is_empty()) {
            out.extend(ctx.imported(app, name));
            out.extend(ctx.returned_by(app, name));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The one request a factory's client makes at a call site, when every base the factory
/// may return takes the path to the same endpoint (a server-side base naming the ingress
/// controller and a browser's same-origin `/` reach the same routes): the request whose
/// link is a fact rather than an inference, the relative one as the relative-URL rule
/// reads it. When they reach different places: a message, no call.
fn agreed_call(ctx: &Ctx, eps: &Endpoints, file: usize, calls: Vec<RawCall>) -> Result<RawCall, String> {
    if calls.len() == 1 {
        return Ok(calls.into_iter().next().expect("one"));
    }
    let mut scratch = ArchOut::default();
    let mut reached: Vec<(String, bool)> = Vec::new();
    for c in &calls {
        let url = render(&ctx.resolve_template_lenient(file, &c.url));
        let id = match callee(ctx, eps, file, &c.method, &url, &mut scratch, c.line) {
            Some(Callee::Endpoint(e)) => (e.id(), true),
            Some(Callee::Inferred(e)) => (e.id(), false),
            _ => (String::new(), false),
        };
        reached.push(id);
    }
    let first = reached.first().map_or("", |(id, _)| id.as_str());
    if first.is_empty() || reached.iter().any(|(id, _)| id != first) {
        let urls: Vec<String> = calls.iter().map(|c| format!("`{}`", redact_url(&render(&c.url)))).collect();
        return Err(format!(
            "client `{}` may have any of {} base URLs, which do not reach one endpoint ({}): call not linked",
            calls.first().map_or("", |c| c.client.as_str()),
            calls.len(),
            urls.join(", ")
        ));
    }
    let pick = reached.iter().position(|(_, fact)| *fact).unwrap_or(0);
    Ok(calls.into_iter().nth(pick).expect("in range"))
}

/// An argument starting with a parameter of the Rust function it is written in
/// (`lang::rs_arch::CALLER_ARG`): the value the function's callers (in the Rust files of
/// its service, else of its crate) pass there, resolved in each caller's file, followed by
/// the rest of the argument. Nothing when no caller passes a readable value or two
/// callers pass different ones (which one a request sees is decided at run time).
fn from_callers(ctx: &Ctx, file: usize, t: &Template, depth: u32) -> Option<Template> {
    let Some((Part::Ref(r), rest)) = t.split_first() else { return None };
    let (function, index) = r.strip_prefix(crate::lang::rs_arch::CALLER_ARG)?.split_once('=')?.0.rsplit_once('#')?;
    let index: usize = index.parse().ok()?;
    let files = &ctx.project.files;
    let own = ctx.owner(file);
    let krate = ctx.project.crate_dir(file);
    let near = |i: usize| match own {
        Some(_) => ctx.owner(i) == own,
        None => krate.is_some() && ctx.project.crate_dir(i) == krate,
    };
    let mut value: Option<Template> = None;
    for (i, f) in files.iter().enumerate().filter(|(i, f)| f.file.lang == Lang::Rust && near(*i) && !ctx.is_test(*i)) {
        let calls = f.facts.arch.arg_calls.iter().filter(|a| !f.facts.arch.test_line(a.line));
        for a in calls.filter(|a| names_wrapper(&a.callee, function)) {
            let given = a.args.get(index).filter(|g| !g.is_empty())?;
            let given = match given.first() {
                Some(Part::Ref(g)) if g.starts_with(crate::lang::rs_arch::CALLER_ARG) && depth < 4 => {
                    from_callers(ctx, i, given, depth + 1)?
                }
                _ => ctx.resolve_template(i, given).ok()?,
            };
            match &value {
                Some(v) if *v != given => return None,
                _ => value = Some(given),
            }
        }
    }
    let mut out = value?;
    crate::lang::arch::push_parts(&mut out, rest.to_vec());
    Some(out)
}

/// A Rust function that requests the URL it is given, which no function of its
/// service calls with a URL: its request is known only at run time (said, not dropped).
fn uncalled_rust_wrappers(ctx: &Ctx, file: usize, out: &mut ArchOut) {
    let files = &ctx.project.files;
    let own = ctx.owner(file);
    for w in &files[file].facts.arch.wrappers {
        let called = files
            .iter()
            .enumerate()
            .filter(|(i, f)| f.file.lang == Lang::Rust && ctx.owner(*i) == own)
            .any(|(_, f)| f.facts.arch.arg_calls.iter().any(|a| names_wrapper(&a.callee, &w.name)));
        if !called {
            out.diagnostics.push(Diagnostic::new(
                ctx.project.rel(file),
                Some(w.call.line),
                Severity::Info,
                format!("URL `{}` is known only at run time: call not linked", render(&w.call.url)),
            ));
        }
    }
}

/// A URL holding the path of the request an actix handler serves (`req.path()`, a
/// [`ROUTE_PATH`] reference naming the handler): that path, when the handler serves
/// one route of the file's service, whatever its methods (`/user/{user_id}/orders`);
/// else the parameter `{path}`. `None` when the URL has no such reference.
fn route_paths(ctx: &Ctx, eps: &Endpoints, file: usize, url: &Template) -> Option<Template> {
    if !url.iter().any(|p| matches!(p, Part::Ref(r) if r.starts_with(ROUTE_PATH))) {
        return None;
    }
    let own = ctx.owner(file).map(|o| ctx.services.list[o].name.as_str());
    let path_of = |handler: &str| {
        let mut paths: Vec<&str> = eps
            .list
            .iter()
            .filter(|e| Some(e.service.as_str()) == own && !e.catch_all)
            .filter(|e| e.handler.as_deref().is_some_and(|h| h.rsplit("::").next() == Some(handler)))
            .map(|e| e.path.as_str())
            .collect();
        paths.sort_unstable();
        paths.dedup();
        match paths.as_slice() {
            [one] => Part::Lit((*one).to_string()),
            _ => Part::Param("path".into()),
        }
    };
    Some(
        url.iter()
            .map(|p| match p {
                Part::Ref(r) if r.starts_with(ROUTE_PATH) => path_of(&r[ROUTE_PATH.len()..]),
                other => other.clone(),
            })
            .collect(),
    )
}

/// A request of a Rust file no service owns (a workspace's library crate, `common-security`)
/// whose URL is only text and config fields (`security_configuration.jwks.url`, handed to a
/// wrapper of the crate): the field is read in the config of each service whose modules
/// import the crate (`app-user-service/resources/application-local.yml`), and each that
/// sets it makes the request there, at this site. Whether any service did.
fn library_config_call(
    ctx: &Ctx,
    eps: &Endpoints,
    (file, rel, c): (usize, &str, &RawCall),
    url: &Template,
    flags: Flags,
    out: &mut ArchOut,
) -> bool {
    use crate::lang::rs_arch::FIELD;
    let field = |p: &Part| matches!(p, Part::Ref(r) if r.starts_with(FIELD));
    if !url.iter().any(field) || !url.iter().all(|p| field(p) || matches!(p, Part::Lit(_))) {
        return false;
    }
    let Some(krate) = ctx.project.crate_dir(file) else { return false };
    // Each field's last name is one a `Deserialize` struct of the crate declares.
    let crate_files = || (0..ctx.project.files.len()).filter(|&m| ctx.project.crate_dir(m) == Some(krate));
    let declared = url.iter().all(|p| match p {
        Part::Ref(r) if r.starts_with(FIELD) => {
            let last = r.rsplit(['.', ':']).next().unwrap_or(r);
            crate_files().any(|m| ctx.project.files[m].facts.arch.config_fields.iter().any(|f| f == last))
        }
        _ => true,
    });
    if !declared {
        return false;
    }
    // One importing module per service, the first.
    let mut users: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for j in (0..ctx.project.files.len()).filter(|&j| ctx.project.files[j].file.lang == Lang::Rust) {
        let Some(s) = ctx.owner(j) else { continue };
        if users.contains_key(&s) {
            continue;
        }
        let uses = ctx.project.files[j]
            .facts
            .imports
            .iter()
            .any(|imp| ctx.import_targets(j, imp.line).iter().any(|&m| ctx.project.crate_dir(m) == Some(krate)));
        if uses {
            users.insert(s, j);
        }
    }
    let mut linked: Vec<(String, Callee, Vec<String>)> = Vec::new();
    for (s, j) in users {
        let mut text = String::new();
        let read = url.iter().all(|p| match p {
            Part::Lit(l) => {
                text.push_str(l);
                true
            }
            Part::Ref(r) => ctx.config_value(j, &r[FIELD.len()..]).map(|v| text.push_str(&v)).is_some(),
            _ => false,
        });
        if !read {
            continue;
        }
        let url = text;
        if !url.contains("://") {
            continue;
        }
        let Some(callee) = callee(ctx, eps, file, &c.method, &url, out, c.line) else { continue };
        let maker = format!("service:{}", ctx.services.list[s].name);
        let key = match &callee {
            Callee::Endpoint(e) | Callee::Inferred(e) => e.id(),
            Callee::Service(s) | Callee::External(s) => s.clone(),
        };
        // One site per target: the services reaching the same one share it.
        match linked.iter_mut().find(|(k, ..)| *k == key) {
            Some((_, _, makers)) => makers.push(maker),
            None => linked.push((key, callee, vec![maker])),
        }
    }
    let any = !linked.is_empty();
    for (_, callee, makers) in linked {
        link_call_by(out, (file, rel, c.line), flags, callee, &makers);
    }
    any
}

/// Whether a Rust callee names a wrapper: a free function by its last name
/// (`utils::fetch_json` → `fetch_json`), a constructor by its type and name
/// (`user::Client::new` → `Client::new`).
fn names_wrapper(callee: &str, wrapper: &str) -> bool {
    if wrapper.contains("::") {
        return callee == wrapper || callee.strip_suffix(wrapper).is_some_and(|h| h.ends_with("::"));
    }
    !of_type(callee) && callee.rsplit("::").next() == Some(wrapper)
}

/// A Rust callee a type qualifies (`KafkaProducer::send`, `Api::fetch`): an associated
/// function or a method, never the free function of that name (Rust wrappers are free
/// functions).
fn of_type(callee: &str) -> bool {
    callee.rsplit("::").nth(1).is_some_and(|t| t.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// The one wrapper a callee names, and the file defining it; for a constructor
/// (`Client::new`), the requests of each method on the field it sets, when one
/// file defines them all.
fn wrapper_of<'a>(ctx: &Ctx<'a>, file: usize, callee: &str) -> Vec<(usize, &'a RawWrapper)> {
    wrapper_of_depth(ctx, file, callee, 0)
}

/// The Python class a name of `file` is (defined there, else imported), and its file.
fn python_class<'a>(ctx: &Ctx<'a>, file: usize, name: &str) -> Vec<(usize, &'a crate::model::RawPyClass)> {
    let files = &ctx.project.files;
    let own = |m: usize, n: &str| -> Vec<(usize, &'a crate::model::RawPyClass)> {
        files[m].facts.arch.py_classes.iter().filter(|c| c.name == n).map(|c| (m, c)).collect()
    };
    let mut found = own(file, name);
    if found.is_empty() {
        for (m, remote) in ctx.imported(file, name) {
            found.extend(own(m, &remote));
        }
    }
    if found.len() == 1 {
        found
    } else {
        Vec::new()
    }
}

/// A request made of a call of a URL builder (`buildUrl('users/me')`, `lang/ts_builders.rs`)
/// whose builder is not found (an imported function that builds no URL): its URL is a
/// run-time value, as it was read before, not a path after an unknown host.
fn unbuilt(ctx: &Ctx, file: usize, url: &Template) -> Option<Template> {
    let Some(Part::Ref(r)) = url.first() else { return None };
    let name = crate::lang::ts_builders::marker_of(r)?;
    let read = ctx.resolve_template(file, &vec![Part::Ref(r.clone())]);
    matches!(read.as_deref(), Ok([Part::Param(p)]) if p.ends_with("()")).then(|| vec![Part::Param(name.to_string())])
}

/// Whether wrapper `name` is the method `callee` calls on its instance
/// (`ApiClient(userApi).prototype.post` for `userApi.post`).
fn instance_wrapper(name: &str, callee: &str) -> bool {
    use crate::lang::ts_classes::instance_of;
    let (Some(instance), Some((head, method))) = (instance_of(name), callee.split_once('.')) else { return false };
    instance == head && name.rsplit_once(".prototype.").is_some_and(|(_, m)| m == method)
}

fn wrapper_of_depth<'a>(ctx: &Ctx<'a>, file: usize, callee: &str, depth: u32) -> Vec<(usize, &'a RawWrapper)> {
    let files = &ctx.project.files;
    let last_of = |n: &'a str| n.rsplit('.').next().unwrap_or(n);
    let mut found: Vec<(usize, &'a RawWrapper)> = files[file]
        .facts
        .arch
        .wrappers
        .iter()
        .filter(|w| w.name == callee || instance_wrapper(&w.name, callee))
        .map(|w| (file, w))
        .collect();
    if found.is_empty() && files[file].file.lang == Lang::Rust {
        // `fetch_json(…)`, `utils::fetch_json(…)`: Rust paths are not followed through
        // `use`, so the only free function of that name among the crate's (the
        // service's) Rust files; `user::Client::new(…)`, the only constructor
        // `Client::new` there that stores a base URL.
        let own = ctx.owner(file);
        // Code no service owns (a workspace's library crate): its own crate's files only.
        let krate = ctx.project.crate_dir(file);
        let same_crate = |i: usize| krate.is_some() && ctx.project.crate_dir(i) == krate;
        for (i, f) in files.iter().enumerate().filter(|(i, f)| f.file.lang == Lang::Rust && ctx.owner(*i) == own) {
            found.extend(
                f.facts
                    .arch
                    .wrappers
                    .iter()
                    .filter(|w| names_wrapper(callee, &w.name) && (i == file || own.is_some() || same_crate(i)))
                    .map(|w| (i, w)),
            );
        }
    } else if found.is_empty() {
        let (head, member) = callee.split_once('.').map_or((callee, None), |(h, m)| (h, Some(m)));
        // `HTTPClient.prototype.get`: a method called on an instance of an imported class
        // (`const client = new HTTPClient(); client.get(url)`), that class's wrapper only.
        let method = member.and_then(|m| m.strip_prefix("prototype.")).filter(|m| !m.contains('.'));
        if member.is_some_and(|m| m.contains('.')) && method.is_none() {
            return Vec::new();
        }
        let python = files[file].file.lang == Lang::Python;
        for (m, remote) in ctx.imported(file, head) {
            let want = member.unwrap_or(&remote).to_string();
            // Python: `Requests.get` on an imported class is that class's method wrapper;
            // `api.get` on an imported module is its function `get`, never a method.
            let names = |w: &'a RawWrapper| match (python, w.name.split_once('.')) {
                // `userApi.post` of `import { userApi }`: that instance's wrapper only.
                _ if crate::lang::ts_classes::instance_of(&w.name).is_some() => {
                    instance_wrapper(&w.name, &format!("{remote}.{want}"))
                }
                _ if method.is_some() => w.name == format!("{remote}.{want}"),
                (false, _) => last_of(&w.name) == want,
                (true, Some(_)) => member.is_some() && w.name == format!("{remote}.{want}"),
                (true, None) => w.name == want,
            };
            found.extend(files[m].facts.arch.wrappers.iter().filter(|w| names(w)).map(|w| (m, w)));
            // The class through a barrel (`import { HTTPClient } from "../utils"`, whose
            // index has `export * from "./HTTPClient"`).
            if method.is_some() && !files[m].facts.arch.wrappers.iter().any(names) {
                let mut of = |k: usize| {
                    let w: Vec<(usize, &'a RawWrapper)> =
                        files[k].facts.arch.wrappers.iter().filter(|w| names(w)).map(|w| (k, w)).collect();
                    (!w.is_empty()).then_some(w)
                };
                found.extend(ctx.find_reexported(m, 0, &mut of).unwrap_or_default());
            }
            // `requests.get` of `import { requests }`, where `schools.get` is a wrapper too.
            let exact = format!("{remote}.{want}");
            if found.len() > 1 && member.is_some() && found.iter().any(|(_, w)| w.name == exact) {
                found.retain(|(_, w)| w.name == exact);
            }
        }
        if found.is_empty() && python && depth < 4 {
            // `UserExist.get`: a method wrapper `UserExist` inherits (`class UserExist(Requests)`).
            for (m, class) in python_class(ctx, file, head) {
                if member.is_none_or(|w| class.methods.iter().any(|x| x == w)) {
                    continue;
                }
                for base in &class.bases {
                    found.extend(wrapper_of_depth(
                        ctx,
                        m,
                        &format!("{base}.{}", member.unwrap_or_default()),
                        depth + 1,
                    ));
                }
            }
        }
    }
    if !found.iter().all(|(_, w)| matches!(w.call.url.get(w.at), Some(Part::Ref(_)))) {
        return Vec::new();
    }
    let ctor = found.first().is_some_and(|(m, w)| w.name.contains("::") && found.iter().all(|(n, _)| n == m));
    // The requests of a `switch`'s cases: one wrapper (`chosen_case`).
    let cases = found.first().is_some_and(|(m, w)| {
        let at = w.choice.as_ref().map(|(i, _)| *i);
        at.is_some()
            && found.iter().all(|(n, v)| n == m && v.name == w.name && v.choice.as_ref().map(|(i, _)| *i) == at)
    });
    if found.len() == 1 || ctor || cases {
        found
    } else {
        Vec::new()
    }
}

/// A call another stage resolved (`resolve/moleculer.rs`): to an endpoint, else to a service.
pub(super) fn link_resolved(
    out: &mut ArchOut,
    file: usize,
    rel: &str,
    line: u32,
    flags: Flags,
    to: Result<&Ep, String>,
) {
    let callee = match to {
        Ok(e) => Callee::Endpoint(e),
        Err(s) => Callee::Service(s),
    };
    link_call(out, file, rel, line, flags, callee);
}

fn link_call(out: &mut ArchOut, file: usize, rel: &str, line: u32, flags: Flags, callee: Callee) {
    link_call_by(out, (file, rel, line), flags, callee, &[]);
}

/// [`link_call`] of a request whose module no service owns, made by `makers` (service
/// ids): a class of a shared directory (`services/common/auth-api.js`, which several
/// services' Dockerfiles copy) whose base the constructions of the class give (`new
/// Auth({ baseUrl })` in `users` and in `books`). Each service making such an instance
/// makes the request, so each calls the callee; a module a service owns keeps its own.
fn link_call_by(
    out: &mut ArchOut,
    (file, rel, line): (usize, &str, u32),
    flags: Flags,
    callee: Callee,
    makers: &[String],
) {
    let mut flags = flags;
    if matches!(callee, Callee::Inferred(_)) {
        flags.insert(Flags::INFERRED);
    }
    let (to, service, endpoint) = match callee {
        Callee::Endpoint(e) | Callee::Inferred(e) => (e.id(), format!("service:{}", e.service), Some(e.id())),
        Callee::Service(s) => (format!("service:{s}"), format!("service:{s}"), None),
        Callee::External(h) => {
            let id = out.node(Node::External { host: h });
            (id.clone(), id, None)
        }
    };
    out.edge(End::Module(file), End::Id(to), EdgeKind::Calls, rel, line, flags);
    // The service map shows what the deployed services call: a test's request (a test
    // client, a load-test script) stays on its module's edge, flagged `test`, and makes
    // no service → service edge, nor counts among one's sites (`arch-test-calls-no-service-edge`).
    if flags.contains(Flags::TEST) {
        return;
    }
    let froms = match (out.shared_library_users.get(&file), out.module_service[file].clone()) {
        (Some(users), _) => users.clone(),
        (None, Some(from)) => vec![from],
        (None, None) => makers.to_vec(),
    };
    for from in froms.into_iter().filter(|f| *f != service) {
        out.edges.push(ArchEdge {
            from: End::Id(from),
            to: End::Id(service.clone()),
            kind: EdgeKind::Calls,
            site: Some((rel.to_string(), line)),
            flags,
            endpoint: endpoint.clone(),
            via: None,
        });
    }
}

/// A request over a broker answered by `service` ([`replies`]): a call from the module to
/// the service, and from the module's service to it, through queue `via`.
fn link_call_via(out: &mut ArchOut, (file, rel, line): (usize, &str, u32), flags: Flags, service: &str, via: &str) {
    let to = format!("service:{service}");
    let site = Some((rel.to_string(), line));
    let via = Some(via.to_string());
    out.edges.push(ArchEdge {
        from: End::Module(file),
        to: End::Id(to.clone()),
        kind: EdgeKind::Calls,
        site: site.clone(),
        flags,
        endpoint: None,
        via: via.clone(),
    });
    if flags.contains(Flags::TEST) {
        return;
    }
    let froms = match out.shared_library_users.get(&file) {
        Some(users) => users.clone(),
        None => out.module_service[file].iter().cloned().collect(),
    };
    for from in froms.into_iter().filter(|f| *f != to) {
        out.edges.push(ArchEdge {
            from: End::Id(from),
            to: End::Id(to.clone()),
            kind: EdgeKind::Calls,
            site: site.clone(),
            flags,
            endpoint: None,
            via: via.clone(),
        });
    }
}

/// The service or host a URL names, and the endpoint when one matches.
fn callee<'e>(
    ctx: &Ctx,
    eps: &'e Endpoints,
    file: usize,
    method: &str,
    url: &str,
    out: &mut ArchOut,
    line: u32,
) -> Option<Callee<'e>> {
    forwarded(ctx, eps, (file, line), method, url, out, 0)
}

/// How many proxies, gateways and Ingresses one request is followed through: a
/// configuration sending a path back to itself (or two gateways to each other) ends here.
const MAX_HOPS: u8 = 4;

/// [`callee`] of a request that has already passed `hops` proxies or gateways.
fn forwarded<'e>(
    ctx: &Ctx,
    eps: &'e Endpoints,
    (file, line): (usize, u32),
    method: &str,
    url: &str,
    out: &mut ArchOut,
    hops: u8,
) -> Option<Callee<'e>> {
    let rel = ctx.project.rel(file);
    let next = |out: &mut ArchOut, to: &str| forwarded(ctx, eps, (file, line), method, to, out, hops + 1);
    // `" https://api.example.org/"`: a stray space around a literal is no part of the URL.
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let Some(scheme_end) =
        lower.find("://").filter(|_| lower.starts_with("http") || lower.starts_with("ws") || lower.starts_with("grpc"))
    else {
        if !url.starts_with('/') {
            return None;
        }
        // Served through the caller's own reverse proxy (nginx `location` + `proxy_pass`)?
        if let Some(target) = ctx.owner(file).and_then(|s| proxied(ctx, s, url)) {
            if target.contains("://") && !target.contains("${") && hops < MAX_HOPS {
                return next(out, &target);
            }
        }
        // Served by the Kubernetes Ingress that serves the caller (a browser app behind it)?
        if let Some(target) = ctx.owner(file).and_then(|s| ingress_front(ctx, s, url)).filter(|_| hops < MAX_HOPS) {
            return next(out, &target);
        }
        return relative(ctx, file, eps, method, url);
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = authority_end(rest);
    let authority = rest[..authority_end].rsplit('@').next().unwrap_or("");
    let path = &rest[authority_end..];
    if authority.contains('{') || authority.is_empty() {
        if let Some(e) = inferred(ctx, eps, file, method, url) {
            return Some(Callee::Inferred(e));
        }
        out.diagnostics.push(Diagnostic::new(
            rel,
            Some(line),
            Severity::Info,
            format!("host of `{}` is built at run time: call not linked", redact_url(url)),
        ));
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.contains(']') || h.ends_with(']') => (h, p.parse::<u16>().ok()),
        _ => (authority, None),
    };
    let host = host.to_ascii_lowercase();
    let list = &ctx.services.list;
    let own_container = in_own_container(ctx, file, &host, port);
    let mut pick = match own_container {
        Some(o) => Pick::One(o),
        None => host_service(ctx, file, &host, port),
    };
    // `orders.shop.local` (a Cloud Map or mDNS name): the service its first label names.
    if matches!(pick, Pick::None) && private_name(&host) {
        pick = host_service(ctx, file, host.split('.').next().unwrap_or(""), port);
    }
    // `http://localhost/api/add` names no port: the scheme's, 80 (`https`, `wss`: 443), when
    // a service owns it; else the host stays as written.
    let mut port = port;
    if matches!(pick, Pick::None) && port.is_none() && LOCAL_HOSTS.binary_search(&host.as_str()).is_ok() {
        let default = if lower.starts_with("https") || lower.starts_with("wss") { 443 } else { 80 };
        pick = host_service(ctx, file, &host, Some(default));
        if !matches!(pick, Pick::None) {
            port = Some(default);
        }
    }
    let svc = match pick {
        Pick::One(i)
            if own_container.is_none()
                && Some(i) == ctx.owner(file)
                && LOCAL_HOSTS.binary_search(&host.as_str()).is_ok() =>
        {
            match own_port_shared(ctx, eps, i, port, method, path) {
                Ok(k) => Some(&list[k]),
                Err(names) => {
                    let p = port.unwrap_or(0);
                    out.diagnostics.push(Diagnostic::new(
                        rel,
                        Some(line),
                        Severity::Info,
                        format!("port {p} of `{host}` is published by the caller's own service and by {}, and the path does not say which: call not linked", names.join(", ")),
                    ));
                    return None;
                }
            }
        }
        Pick::One(i) => Some(&list[i]),
        Pick::None => None,
        Pick::Ambiguous(names) => {
            let what = match port {
                Some(p) if LOCAL_HOSTS.binary_search(&host.as_str()).is_ok() => format!("port {p} of `{host}`"),
                _ => format!("host `{host}`"),
            };
            out.diagnostics.push(Diagnostic::new(
                rel,
                Some(line),
                Severity::Info,
                format!(
                    "{what} may be any of {} services ({}), and the caller's compose project does not say which: call not linked",
                    names.len(),
                    names.join(", ")
                ),
            ));
            return None;
        }
    };
    // A host a Kubernetes Ingress routes: the backend Service of the rule the path takes.
    if svc.is_none() {
        let path = if path.is_empty() { "/" } else { path };
        if let Some(r) = ctx.services.ingress.iter().find(|r| r.host == host && r.takes(path)) {
            if r.backend != host && hops < MAX_HOPS {
                let scheme = &url[..scheme_end];
                return next(out, &format!("{scheme}://{}{}", r.backend, r.rewritten(path)));
            }
        }
    }
    let Some(svc) = svc else {
        // Dapr's sidecar (HTTP 3500, gRPC 50001 by default) forwards to the app its
        // `dapr-app-id` header or `/v1.0/invoke/<app>/…` path names: not an external host.
        let local = LOCAL_HOSTS.binary_search(&host.as_str()).is_ok();
        if local && matches!(port, Some(3500 | 50001)) {
            out.diagnostics.push(Diagnostic::new(
                ctx.project.rel(file),
                Some(line),
                Severity::Info,
                format!(
                    "`{host}:{}` is a Dapr sidecar: the app it invokes is not read, call not linked",
                    port.unwrap_or(0)
                ),
            ));
            return None;
        }
        if let Some(p) = port.filter(|_| local) {
            // A port nothing here publishes or binds, while a server of this repository
            // listens on a port not read (a config file, a computed address): likely that
            // server, so not a fact about an outside service.
            let unread = ctx.unread_ports.get_or_init(|| server_port_unread(ctx, eps));
            if !unread.is_empty() {
                // The path alone may say which of them.
                let path = if path.is_empty() { "/" } else { path };
                let path = path.split(['?', '#']).next().unwrap_or(path);
                if let Some(e) = inferred_path(ctx, eps, file, method, path, &|s| unread.iter().any(|u| u == s)) {
                    return Some(Callee::Inferred(e));
                }
                let names: Vec<String> = unread.iter().map(|u| format!("`{u}`")).collect();
                let which = match names.as_slice() {
                    [one] => format!("the port of service {one} is"),
                    _ => format!("the ports of services {} are", names.join(", ")),
                };
                out.diagnostics.push(Diagnostic::new(
                    rel,
                    Some(line),
                    Severity::Info,
                    format!("`{host}:{p}` is served by no service whose port is known, and {which} not read: call not linked"),
                ));
                return None;
            }
        }
        // This machine on a port no service of the repository is known to listen on (a
        // process started by hand, a port read nowhere): no third party either, so no
        // `external` node, which would say the call leaves the deployment.
        if local {
            let at = match port {
                Some(p) => format!("{host}:{p}"),
                None => host.clone(),
            };
            out.diagnostics.push(Diagnostic::new(
                rel,
                Some(line),
                Severity::Info,
                format!("`{at}` is this machine, on a port no service here is known to listen on: call not linked"),
            ));
            return None;
        }
        if let Some(e) = ip_literal_host(ctx, eps, file, method, &host, port, path) {
            return Some(Callee::Inferred(e));
        }
        // A private name is no third party: a service of the deployment, named elsewhere.
        if private_name(&host) {
            let path = path.split(['?', '#']).next().unwrap_or(path);
            let path = if path.is_empty() { "/" } else { path };
            if let Some(e) = inferred_path(ctx, eps, file, method, path, &|_| true) {
                return Some(Callee::Inferred(e));
            }
            out.diagnostics.push(Diagnostic::new(
                rel,
                Some(line),
                Severity::Info,
                format!("`{host}` is a private host name no service here declares: call not linked"),
            ));
            return None;
        }
        return Some(Callee::External(host));
    };
    let path = if path.is_empty() { "/" } else { path };
    if path.starts_with('{') {
        return Some(Callee::Service(svc.name.clone()));
    }
    // A gateway (Kong's declarative routes, an nginx `proxy_pass`) serving no endpoint of
    // the path itself sends the request on by its path prefix.
    if !svc.proxies.is_empty() && hops < MAX_HOPS && matching(eps, Some(&svc.name), method, path).is_empty() {
        let index = list.iter().position(|s| std::ptr::eq(s, svc)).unwrap_or(0);
        if let Some(target) = proxied(ctx, index, path).filter(|t| t.contains("://") && !t.contains("${")) {
            return next(out, &target);
        }
    }
    if let Some(e) = (method == "RPC").then(|| rpc_endpoint(eps, &svc.name, path)).flatten() {
        return Some(Callee::Endpoint(e));
    }
    // A path that is nothing but run-time values (`/{path}`, a loop's variable) names no
    // endpoint whose path has text of its own (`/ready`, `/health`): the service only.
    let run_time = |p: &str| {
        let p = p.split(['?', '#']).next().unwrap_or(p);
        let mut segments = p.split('/').filter(|s| !s.is_empty()).peekable();
        segments.peek().is_some() && segments.all(|s| s.starts_with('{') && s.ends_with('}'))
    };
    Some(match matching(eps, Some(&svc.name), method, path).first() {
        Some(e) if run_time(path) && path_distance(&e.path, path) > 0 => Callee::Service(svc.name.clone()),
        Some(e) => Callee::Endpoint(e),
        None => Callee::Service(svc.name.clone()),
    })
}

/// Names of the loopback interface (sorted): inside a container, the container itself
/// (unlike Docker Desktop's names for the host, [`LOCAL_HOSTS`]).
const LOOPBACK: &[&str] = &["0.0.0.0", "127.0.0.1", "::1", "[::1]", "[::]", "localhost"];

/// The caller's own service, for `localhost:PORT` requested by Python code of a compose
/// service whose own container listens on PORT (the container side of its compose
/// `ports`, its Dockerfile's `EXPOSE` or server command, or a listen in its code):
/// compose runs that code in the container, where `localhost` is the container itself
/// (a worker the entrypoint starts beside the server, `runserver 0.0.0.0:8000 & python
/// worker.py`), whatever another service publishes on the host. Browser code reaches
/// the host's published ports, and a JS/TS file may be browser code, which a container
/// only serves: for JS/TS the service's own code must listen on PORT (`app.listen(3000)`,
/// `listen(process.env.PORT)` with compose's value), a Node server whose container is that
/// process's, not a port compose or a Dockerfile gives it (an nginx or a dev server serving
/// a bundle). A caller compose does not run, and test code (often run from the host), keep
/// the published-port rule.
fn in_own_container(ctx: &Ctx, file: usize, host: &str, port: Option<u16>) -> Option<usize> {
    let p = port.filter(|_| LOOPBACK.binary_search(&host).is_ok())?;
    let f = &ctx.project.files[file];
    let node = f.file.lang.is_ecmascript();
    if !(f.file.lang == Lang::Python || node) || crate::lang::is_test_path(ctx.project.rel(file), f.file.lang) {
        return None;
    }
    let o = ctx.owner(file)?;
    let svc = &ctx.services.list[o];
    let deployed = !svc.projects.is_empty() && !svc.infra;
    if !deployed {
        return None;
    }
    let listens = !node && (container_port(svc, p) || svc.exposed.contains(&p)) || bound_in_code(ctx, p).contains(&o);
    listens.then_some(o)
}

/// Whether `url` (an environment variable's default) is a loopback address with a port
/// (`http://localhost:8001`, `http://127.0.0.1:5000/api`) on which, for code in `file`,
/// nothing listens: no service publishes or binds it and the caller's own container does
/// not listen there. Such a default is a developer's own machine, which says nothing about
/// the deployment ([`Ctx::resolve_url`]).
pub(super) fn dead_loopback(ctx: &Ctx, file: usize, url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let Some(rest) = ["http://", "https://"].iter().find_map(|s| lower.strip_prefix(s)) else { return false };
    let authority = &rest[..authority_end(rest)];
    let Some((host, port)) = authority.rsplit_once(':') else { return false };
    let Ok(port) = port.parse::<u16>() else { return false };
    if !matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0") {
        return false;
    }
    in_own_container(ctx, file, host, Some(port)).is_none()
        && matches!(host_service(ctx, file, host, Some(port)), Pick::None)
}

/// Whether a service's deployment gives it container port `p` (`8001:8000` → 8000).
fn container_port(svc: &super::services::Service, p: u16) -> bool {
    svc.ports.iter().any(|x| x.rsplit(':').next() == Some(&p.to_string()))
}

/// A `localhost` port the caller's own service `own` publishes, which services of
/// other compose projects publish too (a frontend and the gateway it calls, each
/// `3000:3000` in its own project): the caller itself when it serves the path or no
/// other does, else the one other service serving it (method and path); several,
/// or none of them while the caller does not either, is unknown (their names).
fn own_port_shared(
    ctx: &Ctx,
    eps: &Endpoints,
    own: usize,
    port: Option<u16>,
    method: &str,
    path: &str,
) -> Result<usize, Vec<String>> {
    let list = &ctx.services.list;
    let Some(p) = port else { return Ok(own) };
    let others: Vec<usize> = (0..list.len())
        .filter(|&k| k != own && (list[k].host_ports.contains(&p) || list[k].variant_ports.contains(&p)))
        .collect();
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let path = if path.is_empty() { "/" } else { path };
    let serves = |k: usize| !matching(eps, Some(&list[k].name), method, path).is_empty();
    if others.is_empty() || serves(own) {
        return Ok(own);
    }
    match others.iter().copied().filter(|&k| serves(k)).collect::<Vec<_>>().as_slice() {
        [one] => Ok(*one),
        _ => Err(others.iter().map(|&k| format!("`{}`", list[k].name)).collect()),
    }
}

/// Top-level names that only resolve inside a private network (sorted): mDNS and
/// service-discovery `.local`, `.internal` (cloud VPCs, `host.docker.internal`),
/// `.lan`, `.localdomain`, `.home.arpa`; `.svc.cluster.local` ends in `.local` too.
const PRIVATE_TLDS: &[&str] = &["arpa", "internal", "lan", "local", "localdomain"];

/// `be-api.example.local`: a host name of a private network, never a third party.
fn private_name(host: &str) -> bool {
    // The cloud's own services (`metadata.google.internal`) are platform, not deployment.
    if host.ends_with(".google.internal") {
        return false;
    }
    let Some((rest, tld)) = host.rsplit_once('.') else { return false };
    PRIVATE_TLDS.binary_search(&tld).is_ok() && (tld != "arpa" || rest.ends_with(".home") || rest == "home")
}

/// `http://192.168.1.20:8000/api/items`: an address literal (the developer's Docker
/// host) on a port that, on `localhost`, one service of the repository publishes or
/// binds, and a path one of its endpoints serves. Inferred, since the address itself
/// says nothing; any other address stays an external host.
fn ip_literal_host<'e>(
    ctx: &Ctx,
    eps: &'e Endpoints,
    file: usize,
    method: &str,
    host: &str,
    port: Option<u16>,
    path: &str,
) -> Option<&'e Ep> {
    let p = port.filter(|_| host.parse::<std::net::Ipv4Addr>().is_ok())?;
    let Pick::One(i) = host_service(ctx, file, "localhost", Some(p)) else { return None };
    let path = if path.is_empty() { "/" } else { path };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    matching(eps, Some(&ctx.services.list[i].name), method, path).first().copied()
}

/// Where the authority of a URL (after its `scheme://`) ends: at the path, query or
/// fragment, or at a parameter written right after a literal port
/// (`orders:8081{path}`: the parameter is the path, known only at run time).
fn authority_end(rest: &str) -> usize {
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].find('{') {
        Some(brace) => {
            let port = rest[..brace].rsplit_once(':').map_or("", |(_, p)| p);
            if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
                brace
            } else {
                end
            }
        }
        None => end,
    }
}

/// The service a host (and port, for a local host) names, preferring the
/// caller's own compose file, then its compose project (see `Services::pick`).
fn host_service(ctx: &Ctx, file: usize, host: &str, port: Option<u16>) -> Pick {
    let services = &ctx.services;
    let (own, rel) = (ctx.owner(file), ctx.project.rel(file));
    if LOCAL_HOSTS.binary_search(&host).is_err() {
        return services.pick(services.named(host), own, rel);
    }
    // A published host port, else the caller itself, else the only service on that container port.
    let Some(p) = port else { return Pick::None };
    let listens = |i: &usize| container_port(&services.list[*i], p);
    // Ports of the default compose files first, then those only a variant file publishes.
    let mut publish: Vec<usize> =
        (0..services.list.len()).filter(|&i| services.list[i].host_ports.contains(&p)).collect();
    if publish.is_empty() {
        publish = (0..services.list.len()).filter(|&i| services.list[i].variant_ports.contains(&p)).collect();
    }
    match services.pick(publish, own, rel) {
        Pick::None => {}
        picked => return picked,
    }
    if let Some(o) = own.filter(listens) {
        return Pick::One(o);
    }
    match (0..services.list.len()).filter(listens).collect::<Vec<_>>().as_slice() {
        [one] => Pick::One(*one),
        [] => match bound_in_code(ctx, p).as_slice() {
            [one] => Pick::One(*one),
            [] => exposed_on(ctx, own, rel, p),
            // Several services bind it (examples of one framework): the caller's own, else the
            // only one of the caller's Cargo workspace (`resolve::cargo_ws`), else unknown.
            many => own.filter(|o| many.contains(o)).map_or_else(
                || match super::cargo_ws::member_pick(ctx, file, many) {
                    Some(one) => Pick::One(one),
                    None => {
                        let mut names: Vec<String> = many.iter().map(|&i| services.list[i].name.clone()).collect();
                        names.sort();
                        Pick::Ambiguous(names)
                    }
                },
                Pick::One,
            ),
        },
        _ => Pick::None,
    }
}

/// The service whose Dockerfile `EXPOSE`s port `p`, among those no deployment file
/// gives ports: the caller's own, else the only one (of the caller's compose file or
/// project, when several do; more is unknown: their names).
fn exposed_on(ctx: &Ctx, own: Option<usize>, rel: &str, p: u16) -> Pick {
    let list = &ctx.services.list;
    let exposing: Vec<usize> =
        (0..list.len()).filter(|&i| list[i].ports.is_empty() && list[i].exposed.contains(&p)).collect();
    match own.filter(|o| exposing.contains(o)) {
        Some(o) => Pick::One(o),
        None => ctx.services.pick(exposing, own, rel),
    }
}

/// The services whose code listens on port `p` (`app.listen(4000)`,
/// `TcpListener::bind("0.0.0.0:10003")`, a port constant), test code left out.
fn bound_in_code(ctx: &Ctx, p: u16) -> Vec<usize> {
    let mut found: Vec<usize> = Vec::new();
    for (i, f) in ctx.project.files.iter().enumerate() {
        if f.facts.arch.listens.is_empty() || crate::lang::is_test_path(ctx.project.rel(i), f.file.lang) {
            continue;
        }
        let binds =
            f.facts.arch.listens.iter().any(|(port, _)| {
                ctx.resolve_template(i, port).is_ok_and(|t| render(&t).parse::<u16>().ok() == Some(p))
            });
        match ctx.owner(i) {
            Some(o) if binds && !found.contains(&o) => found.push(o),
            _ => {}
        }
    }
    found
}

/// The services that serve endpoints but whose listening port is nowhere to be
/// read: no compose/Kubernetes port, no `listen`/`bind` in their code (by name).
fn server_port_unread(ctx: &Ctx, eps: &Endpoints) -> Vec<String> {
    let mut listening = vec![false; ctx.services.list.len()];
    // A Rust server binding a method's address (`lang::rs_arch::ADDR_PORT`) listens on a
    // port read only when that method's port is read.
    let read = |i: usize, t: &Template| match t.as_slice() {
        [Part::Ref(r)] if r.starts_with(crate::lang::rs_arch::ADDR_PORT) => {
            ctx.resolve_template(i, t).is_ok_and(|t| render(&t).parse::<u16>().is_ok())
        }
        _ => true,
    };
    for (i, f) in ctx.project.files.iter().enumerate() {
        if let Some(o) = ctx.owner(i).filter(|_| f.facts.arch.listens.iter().any(|(t, _)| read(i, t))) {
            listening[o] = true;
        }
    }
    let mut unread: Vec<&str> = ctx
        .services
        .list
        .iter()
        .zip(listening)
        .filter(|(s, listens)| {
            !s.infra && !listens && s.ports.is_empty() && s.host_ports.is_empty() && s.variant_ports.is_empty()
        })
        .filter(|(s, _)| {
            eps.list.iter().any(|e| e.service == s.name && e.method != "RPC" && e.method != super::moleculer::ACTION)
        })
        .map(|(s, _)| s.name.as_str())
        .collect();
    unread.sort_unstable();
    unread.into_iter().map(str::to_string).collect()
}

/// The URL a relative request of `service` goes to when a Kubernetes Ingress serves that
/// service (a browser app): the page's origin is the Ingress, whose rules of that host send
/// the path on (longest first, `rewrite-target` applied). Every host serving the service
/// must send it to one place, not back to the service itself.
fn ingress_front(ctx: &Ctx, service: usize, path: &str) -> Option<String> {
    let rules = &ctx.services.ingress;
    if rules.is_empty() {
        return None;
    }
    let serves = |r: &&super::services::IngressRule| ctx.services.named(&r.backend).contains(&service);
    let mut hosts: Vec<&str> = rules.iter().filter(serves).map(|r| r.host.as_str()).collect();
    hosts.sort_unstable();
    hosts.dedup();
    let mut sent = hosts.iter().map(|h| rules.iter().find(|r| r.host == *h && r.takes(path)));
    let first = sent.next()??;
    let to = (first.backend.as_str(), first.rewritten(path));
    let agree = sent.all(|r| r.is_some_and(|r| (r.backend.as_str(), r.rewritten(path)) == to));
    (agree && !serves(&first)).then(|| format!("http://{}{}", to.0, to.1))
}

/// A client whose whole base URL is an environment variable nothing sets (`axios.create({
/// baseURL: import.meta.env.VITE_API_URL })`): the base is `undefined`, so a request of a
/// path (`/api/users/signin`) goes to the page's own origin. When a Kubernetes Ingress
/// serves the caller's service (a browser app behind it) and sends that path to another
/// service ([`ingress_front`]), the Ingress is that origin and the path is followed through
/// it. A path the Ingress sends back to the caller, or a caller no Ingress serves, is not.
fn unset_base_behind_ingress(ctx: &Ctx, file: usize, base: &Template, path: &Template) -> bool {
    if ctx.services.ingress.is_empty() || !matches!(base.as_slice(), [Part::Env(_, None) | Part::EnvCall(..)]) {
        return false;
    }
    let Some(own) = ctx.owner(file) else { return false };
    let Ok(p) = ctx.resolve_template(file, path) else { return false };
    let text = render(&p);
    text.starts_with('/') && ingress_front(ctx, own, &text).is_some()
}

/// The URL a reverse proxy of `service` sends a path to (longest matching location).
fn proxied(ctx: &Ctx, service: usize, path: &str) -> Option<String> {
    let (prefix, target) = ctx.services.list[service]
        .proxies
        .iter()
        .filter(|(p, _)| path.starts_with(p.as_str()) && p != "/")
        .max_by_key(|(p, _)| p.len())?;
    let target = ctx.expand_in_service(service, target);
    let after_scheme = target.split_once("://").map_or("", |x| x.1);
    // `proxy_pass http://h/x/;` replaces the location prefix; `proxy_pass http://h;` keeps the path.
    Some(match after_scheme.find('/') {
        Some(_) => format!("{}{}", target.trim_end_matches('/'), &path[prefix.trim_end_matches('/').len()..]),
        None => format!("{target}{path}"),
    })
}

/// The rpc of `service` a Rust client calls: `/EchoService/echo_from_service1` (the
/// generated client's type and method names) is the proto's
/// `/echo.EchoService/EchoFromService1` (tonic names a method by heck's snake_case).
fn rpc_endpoint<'e>(eps: &'e Endpoints, service: &str, path: &str) -> Option<&'e Ep> {
    let (ty, method) = path.strip_prefix('/')?.split_once('/')?;
    let proto = eps.proto_service(ty);
    eps.list.iter().find(|e| {
        e.service == service
            && e.method == "RPC"
            && e.path.strip_prefix('/').and_then(|p| p.split_once('/')).is_some_and(|(s, m)| {
                s.rsplit('.').next() == Some(proto) && heck::ToSnakeCase::to_snake_case(m) == method
            })
    })
}

/// Endpoints of `service` (or of any service) matching a method and a path.
fn matching<'e>(eps: &'e Endpoints, service: Option<&str>, method: &str, path: &str) -> Vec<&'e Ep> {
    let found = matching_path(eps, service, method, path);
    if !found.is_empty() {
        return found;
    }
    // `/user-api/users/7` to an app with `root_path="/user-api"`: Starlette routes `/users/7`.
    let roots = service.and_then(|s| eps.root_paths.get(s)).map(Vec::as_slice).unwrap_or_default();
    roots
        .iter()
        .filter_map(|r| path.strip_prefix(r.as_str()).filter(|rest| rest.starts_with('/')))
        .map(|rest| matching_path(eps, service, method, rest))
        .find(|f| !f.is_empty())
        .unwrap_or_default()
}

/// The endpoints (of `service`, or any) serving `method` and `path`, closest template first.
fn matching_path<'e>(eps: &'e Endpoints, service: Option<&str>, method: &str, path: &str) -> Vec<&'e Ep> {
    let mut found: Vec<&Ep> = eps
        .list
        .iter()
        .filter(|e| service.is_none_or(|s| e.service == s))
        .filter(|e| e.method == method || e.method == "ANY")
        .filter(|e| path_matches(&e.path, path))
        .collect();
    // The closest template wins: `/items/new` is not `/items/{id}`, `/users/{id}` not `/users/me`.
    found.sort_by_key(|e| (path_distance(&e.path, path), e.method == "ANY"));
    found
}

/// A path without a host: the service whose endpoints serve it. A caller in a
/// compose project is served by a service of that project (or one no compose
/// file declares), never by another project's. A path the caller's own service
/// serves is no call (a service does not call itself: a browser script in a Flask
/// app's `static/` requesting `/api/x` of the same origin), as for gRPC below.
fn relative<'e>(ctx: &Ctx, file: usize, eps: &'e Endpoints, method: &str, path: &str) -> Option<Callee<'e>> {
    let dirs = ctx.services.caller_dirs(ctx.owner(file), ctx.project.rel(file));
    let own = ctx.owner(file).map(|o| ctx.services.list[o].name.as_str());
    let eligible = |name: &str| serves_project(ctx, &dirs, name);
    let found: Vec<&Ep> = matching(eps, None, method, path).into_iter().filter(|e| eligible(&e.service)).collect();
    if let Some(first) = found.first() {
        let one_service = found.iter().all(|e| e.service == first.service);
        return (one_service && Some(first.service.as_str()) != own).then_some(Callee::Endpoint(first));
    }
    // No exact endpoint: the only service serving that first path segment.
    let head = path.split('/').find(|s| !s.is_empty())?;
    let mut services: Vec<&str> = eps
        .list
        .iter()
        .filter(|e| e.path.split('/').find(|s| !s.is_empty()) == Some(head) && eligible(&e.service))
        .map(|e| e.service.as_str())
        .collect();
    services.dedup();
    match services.as_slice() {
        [one] if Some(*one) != own => Some(Callee::Service((*one).to_string())),
        _ => None,
    }
}

/// Whether service `name` may serve a caller of the compose projects in `dirs`:
/// one of them declares it, or no compose file does (or the caller has none).
fn serves_project(ctx: &Ctx, dirs: &[&str], name: &str) -> bool {
    let services = &ctx.services;
    dirs.is_empty()
        || services.list.binary_search_by(|s| s.name.as_str().cmp(name)).map_or(true, |i| {
            let p = &services.list[i].projects;
            p.is_empty() || p.iter().any(|p| dirs.contains(&super::dir_of(p)))
        })
}

/// Path segments too common to tell services apart when a path has no other.
const COMMON_SEGMENTS: &[&str] = &[
    "api", "health", "healthz", "index", "livez", "login", "metrics", "ping", "readyz", "status", "v1", "v2", "version",
];

/// A request whose host is not known — an environment variable nothing sets, a
/// value read at run time (`{API_URL}/orders/{id}`, `http://{host}:8080/orders`) —
/// but whose path is: the endpoint of the one service, among those the caller's
/// compose project may reach, with exactly that method and path shape (every
/// literal segment equal, parameters where the endpoint has them). Nothing when
/// several services serve it, when the caller's own service does, or when the
/// path is no more than one common word (`/health`). The link is flagged `inferred`.
///
/// When that fails (the caller's own service serves the path too: a gateway
/// re-exposing it), a host that is one variable naming a service
/// (`{HOTEL_SERVICE_URL}/api/hotels/{id}` from `customer-service`: `hotel-service`)
/// keeps that service's endpoints only.
///
/// Never when the host part is what a function returns (`{_get_admin_url()}/users`, a
/// Keycloak client's `f"{server}/admin/realms/{realm}"`): such a base may carry a path of
/// its own, so the request's path is not known to start where the template's does.
fn inferred<'e>(ctx: &Ctx, eps: &'e Endpoints, file: usize, method: &str, url: &str) -> Option<&'e Ep> {
    let path = unknown_host_path(url)?;
    // `path` is a slice of `url`: what comes before it is the host part.
    let host = url.get(..(path.as_ptr() as usize).saturating_sub(url.as_ptr() as usize)).unwrap_or(url);
    if host.contains("()}") {
        return None;
    }
    inferred_path(ctx, eps, file, method, path, &|_| true).or_else(|| {
        let named = host_variable_service(ctx, url)?;
        inferred_path(ctx, eps, file, method, path, &|s| s == named)
    })
}

/// The URL of a Python request made at `c`'s line whose URL is a call of a function the
/// file imports (`requests.get(build_url("items"))`, `from .urls import build_url`), when
/// that module defines it as a URL builder (`lang::py_arch::builder_of`): what it returns,
/// each parameter the caller's argument (read here) or its default, and every other part
/// (`BASE + path`'s `BASE`) read in the builder's module (an environment variable nothing
/// sets there stays one, for this file's deployment to say).
fn imported_built_url(ctx: &Ctx, i: usize, c: &RawCall) -> Option<crate::model::Template> {
    let facts = &ctx.project.files[i].facts.arch;
    // The URL as extraction read the call: a parameter, or `f("x")` as a getter of `x`
    // (`must_map_env("X")`, for resolution to decide).
    let read_as_call = |b: &RawArgCall| match c.url.as_slice() {
        [Part::Param(_)] => true,
        [Part::EnvCall(f, _)] => *f == b.callee,
        _ => false,
    };
    if facts.built_urls.is_empty() {
        return None;
    }
    let mut at_line = facts.built_urls.iter().filter(|b| b.line == c.line);
    let call = at_line.next().filter(|b| at_line.next().is_none() && read_as_call(b))?;
    ctx.imported(i, &call.callee).into_iter().find_map(|(m, remote)| {
        let b = ctx.project.files[m].facts.arch.url_builders.iter().find(|b| b.name == remote)?;
        let mut read = |t: &crate::model::Template| match ctx.resolve_template(m, t) {
            Ok(t) => t,
            Err(var) => vec![Part::Env(var, None)],
        };
        Some(b.apply(&call.args, &call.kwargs, &mut read))
    })
}

/// Endings of an environment variable holding a service's base URL, as [`env_named_service`]
/// strips them (longest first, so `_BASE_URL` before `_URL`).
const ENV_URL_SUFFIXES: &[&str] = &["_base_url", "_endpoint", "_addr", "_host", "_uri", "_url", "_api"];

/// The one service an environment variable's name names, when nothing sets the variable:
/// `IDENTITY_SERVICE_URL` (also `_BASE_URL`, `_HOST`, `_ADDR`, `_ENDPOINT`, `_URI`, `_API`,
/// and `_API_URL`) is `identity-service`, `identity_service` or `identity`, a service's name
/// or one of its aliases: case, `-`/`_` and a `-service`/`-svc` ending aside, on both sides.
/// A name no service or several services answer to, or only the caller's own, names none.
fn env_named_service(ctx: &Ctx, file: usize, var: &str) -> Option<usize> {
    let mut stem = var.to_ascii_lowercase().replace('-', "_");
    let mut stripped = false;
    while let Some(s) = ENV_URL_SUFFIXES.iter().find_map(|x| stem.strip_suffix(x)).filter(|s| !s.is_empty()) {
        stem = s.to_string();
        stripped = true;
    }
    let key = |name: &str| -> String {
        let n = name.to_ascii_lowercase().replace('-', "_");
        let n = n.strip_suffix("_service").or_else(|| n.strip_suffix("_svc")).filter(|x| !x.is_empty()).unwrap_or(&n);
        n.to_string()
    };
    let want = key(&stem);
    if !stripped || want.is_empty() {
        return None;
    }
    let list = &ctx.services.list;
    let found: Vec<usize> = (0..list.len())
        .filter(|&k| key(&list[k].name) == want || list[k].aliases.iter().any(|a| key(a) == want))
        .collect();
    match found.as_slice() {
        [one] if Some(*one) != ctx.owner(file) => Some(*one),
        _ => None,
    }
}

/// The URL of a request whose base is an environment variable nothing sets
/// (`{IDENTITY_SERVICE_URL}/api/auth`, `http://{ORDERS_HOST}:8080/orders`) when the
/// variable's name names one service ([`env_named_service`]): that service's name as
/// the host, the rest as written (a path not starting with `/` is joined with one).
/// Only a variable that is the whole base, alone or after a literal scheme.
fn env_named_url(ctx: &Ctx, file: usize, var: &str, t: &[Part]) -> Option<(String, String)> {
    let (scheme, rest) = match t {
        [Part::Param(v), rest @ ..] if v == var => ("http://", rest),
        [Part::Lit(s), Part::Param(v), rest @ ..]
            if v == var && (s.eq_ignore_ascii_case("http://") || s.eq_ignore_ascii_case("https://")) =>
        {
            (s.as_str(), rest)
        }
        _ => return None,
    };
    if rest.iter().any(|p| matches!(p, Part::Param(v) if v == var)) {
        return None;
    }
    let svc = &ctx.services.list[env_named_service(ctx, file, var)?].name;
    let rest = render(&rest.to_vec());
    let sep = if rest.is_empty() || rest.starts_with(['/', '?', '#', ':']) { "" } else { "/" };
    Some((svc.clone(), format!("{scheme}{svc}{sep}{rest}")))
}

/// A request whose URL starts with an environment variable whose value (as a compose,
/// Kubernetes or .env file sets it, else its default) is a loopback URL
/// (`USERS_SERVICE_URL || 'http://localhost:3009'`) on a port that no service, or another
/// service than the one the variable's name names ([`env_named_service`]), listens on:
/// (variable, the value's origin, that service, the URL with that service as its host).
/// The name says which service is meant; the port is only a development run's. `None`
/// when the port is that service's own, or the name names none.
fn loopback_env_named(ctx: &Ctx, file: usize, t: &Template, url: &str) -> Option<(String, String, String, String)> {
    let (var, default) = ctx.leading_env(file, t)?;
    let value = ctx.env(file, &var).or(default)?;
    let (scheme, rest) = value.split_once("://")?;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let (host, port) = authority.rsplit_once(':')?;
    let port = port.parse::<u16>().ok()?;
    if LOOPBACK.binary_search(&host.to_ascii_lowercase().as_str()).is_err() {
        return None;
    }
    // The rendered URL starts with the default's authority, and nothing follows it there
    // but a path, a query, a fragment or a parameter (`{path}`).
    let prefix = format!("{scheme}://{authority}");
    let tail = url.strip_prefix(prefix.as_str())?;
    if !(tail.is_empty() || tail.starts_with(['/', '?', '#', '{'])) {
        return None;
    }
    let svc = env_named_service(ctx, file, &var)?;
    if matches!(host_service(ctx, file, "localhost", Some(port)), Pick::One(k) if k == svc) {
        return None;
    }
    let name = ctx.services.list[svc].name.clone();
    let sep = if tail.starts_with('{') { "/" } else { "" };
    let url = format!("{scheme}://{name}{sep}{tail}");
    Some((var, prefix, name, url))
}

/// Endings of a variable holding a service's address (sorted).
const ADDRESS_SUFFIXES: &[&str] = &["_addr", "_address", "_base", "_base_url", "_endpoint", "_host", "_uri", "_url"];

/// The one service a URL's host variable names: `{HOTEL_SERVICE_URL}` (also after a
/// scheme) is `hotel-service` or `hotel_service`, case and `-`/`_` aside.
fn host_variable_service<'c>(ctx: &'c Ctx, url: &str) -> Option<&'c str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let var = rest.strip_prefix('{')?.split_once('}')?.0.to_ascii_lowercase();
    let stems: Vec<&str> = ADDRESS_SUFFIXES.iter().filter_map(|s| var.strip_suffix(s)).collect();
    let names = |s: &&super::services::Service| stems.iter().any(|t| super::services::folded_eq(&s.name, t));
    let mut found = ctx.services.list.iter().filter(|s| !s.infra).filter(names);
    let one = found.next()?;
    found.next().is_none().then_some(one.name.as_str())
}

/// As [`inferred`], for a path, among the services `allowed` accepts.
fn inferred_path<'e>(
    ctx: &Ctx,
    eps: &'e Endpoints,
    file: usize,
    method: &str,
    path: &str,
    allowed: &dyn Fn(&str) -> bool,
) -> Option<&'e Ep> {
    let literals: Vec<&str> = path.split('/').filter(|s| !s.is_empty() && !s.contains('{')).collect();
    match literals.as_slice() {
        [] => return None,
        [one] if one.len() < 3 || COMMON_SEGMENTS.contains(&one.to_ascii_lowercase().as_str()) => return None,
        _ => {}
    }
    let dirs = ctx.services.caller_dirs(ctx.owner(file), ctx.project.rel(file));
    let found: Vec<&Ep> = matching(eps, None, method, path)
        .into_iter()
        .filter(|e| path_distance(&e.path, path) == 0 && serves_project(ctx, &dirs, &e.service) && allowed(&e.service))
        .collect();
    let own = ctx.owner(file).map(|o| ctx.services.list[o].name.as_str());
    let found = behind_gateway(eps, own, found);
    let first = *found.first()?;
    let one = found.iter().all(|e| e.service == first.service) && own != Some(first.service.as_str());
    (one && !unread_twin(ctx, eps, &dirs, &first.service)).then_some(first)
}

/// The matches of an inferred request from a service an API gateway fronts: when the
/// others are catch-alls (`@app.api_route("/products/{full_path:path}")`) of gateways
/// forwarding a path the caller itself serves (`/cart/{full_path:path}` in front of
/// `cart`), the caller sits behind them and calls the one service with a concrete match
/// directly. A caller no gateway fronts (a frontend) may be calling the gateway: the
/// matches stay as they are, ambiguous.
fn behind_gateway<'e>(eps: &'e Endpoints, own: Option<&str>, found: Vec<&'e Ep>) -> Vec<&'e Ep> {
    let (concrete, catch_alls): (Vec<&Ep>, Vec<&Ep>) = found.iter().partition(|e| !e.catch_all);
    let Some((first, own)) = concrete.first().zip(own) else { return found };
    let fronts = |gateway: &str| {
        eps.list.iter().filter(|g| g.service == gateway && g.catch_all).any(|g| {
            let prefix = g.path.rsplit_once('/').map_or("", |(p, _)| p);
            eps.list.iter().any(|e| {
                e.service == own && e.path.strip_prefix(prefix).is_some_and(|r| r.is_empty() || r.starts_with('/'))
            })
        })
    };
    let one = concrete.iter().all(|e| e.service == first.service);
    if catch_alls.is_empty() || !one || !catch_alls.iter().all(|g| g.service != first.service && fronts(&g.service)) {
        return found;
    }
    concrete
}

/// Whether `name` (`frontend-node`) has a sibling of the same stem (`frontend-go`,
/// `frontend-java`) that the caller may reach and whose code tapestry does not
/// read (no module, no endpoint): interchangeable services in several languages,
/// any of which may answer, so a path served by one of them tells nothing.
fn unread_twin(ctx: &Ctx, eps: &Endpoints, dirs: &[&str], name: &str) -> bool {
    let Some((stem, _)) = name.rsplit_once(['-', '_']) else { return false };
    ctx.services.list.iter().enumerate().any(|(k, s)| {
        s.name != name
            && !s.infra
            && s.name.rsplit_once(['-', '_']).is_some_and(|(t, _)| t == stem)
            && serves_project(ctx, dirs, &s.name)
            && !eps.list.iter().any(|e| e.service == s.name)
            && !ctx.services.owner.contains(&Some(k))
    })
}

/// The path of a URL whose host part is nothing but run-time values and a port
/// (`{API}/users`, `${HOST}:${PORT}/api/cart`, `http://{host}:8080/x`), query left out.
fn unknown_host_path(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let mut depth = 0u32;
    let mut cut = None;
    let mut outside_ok = true;
    for (k, b) in rest.bytes().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'/' if depth == 0 => {
                cut = Some(k);
                break;
            }
            b'$' | b':' | b'0'..=b'9' => {}
            _ if depth == 0 => outside_ok = false,
            _ => {}
        }
    }
    let cut = cut?;
    if !outside_ok || !rest[..cut].contains('{') {
        return None;
    }
    let path = &rest[cut..];
    Some(path.split(['?', '#']).next().unwrap_or(path))
}

/// A deployment environment value that is a URL naming an infrastructure
/// service (`DATABASE_URL=postgres://db:5432/x`) links the two (declared).
fn declared_env_links(ctx: &Ctx, out: &mut ArchOut) {
    let list = &ctx.services.list;
    for (i, s) in list.iter().enumerate() {
        for v in s.env.values() {
            let Some(rest) = v.split_once("://").map(|x| x.1) else { continue };
            let authority = rest.split(['/', '?']).next().unwrap_or("");
            let host = authority.rsplit('@').next().unwrap_or("").split(':').next().unwrap_or("");
            let infra = ctx.services.named(host).into_iter().filter(|&t| list[t].infra && t != i).collect();
            if let Pick::One(t) = ctx.services.pick(infra, Some(i), &s.file) {
                let t = &list[t];
                out.edge(
                    End::Id(format!("service:{}", s.name)),
                    End::Id(format!("service:{}", t.name)),
                    EdgeKind::Calls,
                    &s.file,
                    s.line,
                    Flags::DECLARED,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_ends_at_a_path_parameter_after_a_port() {
        assert_eq!(authority_end("orders:8081{path}"), 11);
        assert_eq!(authority_end("orders:8081/x"), 11);
        assert_eq!(authority_end("{host}/x"), 6);
        assert_eq!(authority_end("${FRONTEND_HOST}:${FRONTEND_PORT}/api/data?{q}"), 33);
        assert_eq!(authority_end("localhost:{port}/admin"), 16);
    }

    #[test]
    fn local_hosts_are_sorted() {
        let brokers: Vec<&str> = NEST_BROKERS.iter().map(|(k, _)| *k).collect();
        crate::resolve::assert_sorted(&[LOCAL_HOSTS, LOOPBACK, PRIVATE_TLDS, ADDRESS_SUFFIXES, &brokers]);
    }

    #[test]
    fn private_names_are_names_of_a_private_network() {
        assert!(private_name("be-api.example.local") && private_name("user.users.svc.cluster.local"));
        assert!(private_name("billing.corp.internal") && private_name("nas.home.arpa"));
        assert!(!private_name("metadata.google.internal") && !private_name("api.stripe.com"));
        assert!(!private_name("in-addr.arpa") && !private_name("local"));
    }
}
