//! The HTML map in a real browser: Debian's headless Chromium, driven over
//! the DevTools protocol (`browser/cdp.rs`). Each test checks that the page's
//! script ran without an error, and what a reviewer does: see the nodes,
//! search, click for details, follow a cycle, share a link, review a change.
//! The hostile-names test checks that nothing a repository names can run.
//!
//! Without Chromium the tests skip with a message; with `CI` set they fail.
//! Screenshots go to `target/tmp/browser-artifacts/`.

#[path = "browser/cdp.rs"]
mod cdp;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use assert_cmd::Command;
use cdp::Browser;
use serde_json::Value;
use tapestry::report::{html, RenderOptions};

/// One browser at a time: the machine is small and Chromium is not.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
const LINK_BASE: &str = "https://code.example/org/repo/blob/main/";

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn browser() -> Option<Browser> {
    match cdp::find_chromium() {
        Some(path) => Some(Browser::launch(&path, 1400, 900).expect("Chromium starts")),
        None if in_ci() => panic!("Chromium is required in CI: .ci/run installs Debian's `chromium`"),
        None => {
            eprintln!("skipping: no Chromium found (apt-get install chromium, or set TAPESTRY_CHROMIUM)");
            None
        }
    }
}

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)
}

fn shop() -> Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/shop.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn scan_to(dir: &Path, out: &Path, extra: &[&str]) {
    Command::cargo_bin("tapestry")
        .unwrap()
        .args(["scan", "-q", "--cache-dir"])
        .arg(out.with_extension("cache"))
        .arg(dir)
        .arg("-o")
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

/// Opens a report (a fresh load, not a same-document jump) and waits for its first render.
fn open(b: &mut Browser, file: &Path, fragment: &str) {
    b.goto("about:blank").unwrap();
    b.goto(&format!("file://{}{fragment}", file.display())).unwrap();
    b.wait_for("window.__tapestry && window.__tapestry.ready", Duration::from_secs(30)).unwrap();
}

fn text(b: &mut Browser, expr: &str) -> String {
    b.eval(expr).unwrap().as_str().unwrap_or_default().to_string()
}

fn count(b: &mut Browser, selector: &str) -> u64 {
    b.eval(&format!("document.querySelectorAll({}).length", serde_json::to_string(selector).unwrap()))
        .unwrap()
        .as_u64()
        .unwrap()
}

fn assert_no_errors(b: &mut Browser) {
    let errors = b.errors();
    assert!(errors.is_empty(), "the page reported errors: {errors:#?}");
}

#[test]
fn module_map_renders_searches_selects_and_keeps_the_selection_in_the_url() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(mut b) = browser() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("map.html");
    scan_to(&fixture("polyglot-cycles"), &page, &["--link-base", LINK_BASE]);
    open(&mut b, &page, "#view=modules");
    assert_no_errors(&mut b);

    let labels =
        text(&mut b, "[...document.querySelectorAll('#mod-svg .node text')].map(t => t.textContent).join('|')");
    for name in ["store.ts", "actions.ts", "pricing.py", "ledger.rs", "py/inventory/"] {
        assert!(labels.split('|').any(|l| l == name), "{name} is drawn: {labels}");
    }
    assert!(count(&mut b, "#mod-svg .edge.cyc") >= 3, "cycle edges are red");
    b.screenshot(&artifacts().join("module-map.png")).unwrap();

    // Search finds a node, fades the rest, and Enter selects it.
    b.click_on("#search").unwrap();
    b.insert_text("warehouse").unwrap();
    let first = text(&mut b, "document.querySelector('#results li').textContent");
    assert!(first.contains("warehouse.py"), "{first}");
    assert_eq!(b.eval("document.getElementById('mod-svg').classList.contains('searching')").unwrap(), true);
    b.key("Enter", "Enter", 13).unwrap();
    b.wait_for("!document.getElementById('details').hidden", Duration::from_secs(5)).unwrap();
    assert!(text(&mut b, "document.getElementById('details').textContent").contains("py/inventory/warehouse.py"));
    assert!(text(&mut b, "location.hash").contains("node=module%3Apy%2Finventory%2Fwarehouse.py"));

    // Esc clears; a click on a node pins its details and lights its neighbours.
    b.key("Escape", "Escape", 27).unwrap();
    b.key("Escape", "Escape", 27).unwrap();
    assert_eq!(b.eval("document.getElementById('details').hidden").unwrap(), true);
    b.click_on("#mod-svg [aria-label='module web/src/store.ts']").unwrap();
    let details = text(&mut b, "document.getElementById('details').textContent");
    assert!(details.contains("web/src/store.ts") && details.contains("Imported by"), "{details}");
    assert!(count(&mut b, "#mod-svg .node.hl") >= 3, "the node and its neighbours are highlighted");
    let hrefs = b.eval("[...document.querySelectorAll('#details a')].map(a => a.href)").unwrap();
    let hrefs: Vec<&str> = hrefs.as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(!hrefs.is_empty() && hrefs.iter().all(|h| h.starts_with(LINK_BASE)), "{hrefs:?}");
    assert!(hrefs.contains(&"https://code.example/org/repo/blob/main/web/src/store.ts#L2"), "{hrefs:?}");

    // A cycle from the list: highlighted in the map, with file:line and cuts.
    b.click_on("#cycle-list li").unwrap();
    let details = text(&mut b, "document.getElementById('details').textContent");
    assert!(details.contains("Cycle of 2 members") && details.contains("Suggested cuts"), "{details}");
    assert!(count(&mut b, "#mod-svg .edge.hl") >= 2);

    // The other views draw without errors.
    for view in ["matrix", "coupling", "smells", "diagnostics", "endpoints", "tables", "services"] {
        b.eval(&format!("window.__tapestry.view('{view}')")).unwrap();
    }
    b.eval(
        "(() => { const s = document.getElementById('coupling-level'); \
          s.value = [...s.options].find(o => o.textContent === 'module').value; s.dispatchEvent(new Event('change')); })()",
    )
    .unwrap();
    assert!(count(&mut b, "#coupling-table tbody tr") >= 15);
    b.eval("window.__tapestry.view('matrix')").unwrap();
    b.screenshot(&artifacts().join("matrix.png")).unwrap();

    // A shared link opens on the same node.
    open(&mut b, &page, "#view=modules&node=module%3Aweb%2Fsrc%2Fstore.ts");
    b.wait_for("!document.getElementById('details').hidden", Duration::from_secs(5)).unwrap();
    assert!(text(&mut b, "document.querySelector('#details h2').textContent").contains("web/src/store.ts"));
    assert_no_errors(&mut b);
}

#[test]
fn service_map_draws_services_stores_queues_and_calls_by_endpoint() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(mut b) = browser() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("shop.html");
    std::fs::write(&page, html::render_value(&shop(), &RenderOptions::default())).unwrap();
    open(&mut b, &page, "");
    assert_no_errors(&mut b);
    assert_eq!(text(&mut b, "document.querySelector('#tabs [aria-selected=true]').dataset.view"), "services");
    assert_eq!(count(&mut b, "#svc-svg .node.service"), 4);
    assert_eq!(count(&mut b, "#svc-svg .node.datastore"), 1);
    assert_eq!(count(&mut b, "#svc-svg .node.table"), 4);
    assert_eq!(count(&mut b, "#svc-svg .node.queue"), 1);
    assert_eq!(count(&mut b, "#svc-svg .node.external"), 1);
    let labels = text(&mut b, "[...document.querySelectorAll('#svc-svg .elabel')].map(t => t.textContent).join('|')");
    assert!(labels.contains("POST /charges") && labels.contains("GET /orders, POST /orders"), "{labels}");
    b.screenshot(&artifacts().join("service-map.png")).unwrap();

    b.click_on("#svc-svg [aria-label='service orders']").unwrap();
    let details = text(&mut b, "document.getElementById('details').textContent");
    assert!(details.contains("Endpoints (3)") && details.contains("orders/app/routes.py:20"), "{details}");
    b.click_on("#cycle-list li").unwrap();
    assert!(count(&mut b, "#svc-svg .edge.hl") >= 2, "the service cycle is highlighted");

    b.eval("window.__tapestry.view('endpoints')").unwrap();
    assert_eq!(count(&mut b, "#endpoint-table tbody tr"), 7);
    b.eval("window.__tapestry.view('tables')").unwrap();
    assert_eq!(count(&mut b, "#table-table tbody tr"), 4);
    assert!(text(&mut b, "document.getElementById('table-table').textContent").contains("orders/app/db.py:10"));
    assert_no_errors(&mut b);
}

#[test]
fn paths_toggles_sorting_hover_and_the_matrix_work() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(mut b) = browser() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("map.html");
    scan_to(&fixture("polyglot-cycles"), &page, &[]);
    open(&mut b, &page, "#view=modules");

    // Hover lights a box and its neighbours and fades the rest; leaving clears it.
    b.eval(
        "document.querySelector(\"#mod-svg [aria-label='module web/src/store.ts']\")\
         .dispatchEvent(new PointerEvent('pointerover', {bubbles: true}))",
    )
    .unwrap();
    assert_eq!(b.eval("document.getElementById('mod-svg').classList.contains('focus')").unwrap(), true);
    assert!(count(&mut b, "#mod-svg .node.hl") >= 3);
    b.eval("document.getElementById('mod-svg').dispatchEvent(new PointerEvent('pointerleave'))").unwrap();
    assert_eq!(count(&mut b, "#mod-svg .node.hl"), 0);

    // A critical path: __init__.py → discounts.py ⟲ pricing.py → models.py, lit.
    b.click_on("#path-list li").unwrap();
    let lit = text(
        &mut b,
        "[...document.querySelectorAll('#mod-svg .node.hl')].map(g => g.getAttribute('aria-label')).sort().join(', ')",
    );
    assert_eq!(
        lit,
        "module py/inventory/__init__.py, module py/inventory/discounts.py, module py/inventory/models.py, \
         module py/inventory/pricing.py"
    );
    assert!(text(&mut b, "document.querySelector('#details h2').textContent").starts_with("Critical path, 2 steps"));
    assert!(text(&mut b, "location.hash").contains("path=0"));
    b.key("Escape", "Escape", 27).unwrap();

    // Toggles: third-party packages and the red cycle edges go and come back.
    assert_eq!(count(&mut b, "#mod-svg [aria-label='group third-party']"), 1);
    b.click_on("#t-third").unwrap();
    assert_eq!(count(&mut b, "#mod-svg [aria-label='group third-party']"), 0);
    assert!(count(&mut b, "#mod-svg .edge.cyc") >= 3);
    b.click_on("#t-cycles").unwrap();
    assert_eq!(count(&mut b, "#mod-svg .edge.cyc"), 0);
    b.click_on("#t-cycles").unwrap();
    assert!(count(&mut b, "#mod-svg .edge.cyc") >= 3);

    // A builtin package found by search turns its toggle on and is drawn.
    assert_eq!(b.eval("document.getElementById('t-builtin').checked").unwrap(), false);
    b.eval("window.__tapestry.select('package:node-builtin:events')").unwrap();
    assert_eq!(b.eval("document.getElementById('t-builtin').checked").unwrap(), true);
    let pinned = text(&mut b, "document.querySelector('#mod-svg .node.pinned').getAttribute('aria-label')");
    assert!(pinned.starts_with("package "), "{pinned}");

    // The coupling table sorts by the column clicked, then the other way.
    b.eval("window.__tapestry.view('coupling')").unwrap();
    b.click_on("#coupling-table th[data-key=name]").unwrap();
    let names = |b: &mut Browser| {
        let v =
            b.eval("[...document.querySelectorAll('#coupling-table tbody tr td:first-child')].map(t => t.textContent)");
        v.unwrap().as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    let up = names(&mut b);
    assert!(up.len() >= 15 && up.windows(2).all(|w| w[0].to_lowercase() <= w[1].to_lowercase()), "{up:?}");
    b.click_on("#coupling-table th[data-key=name]").unwrap();
    assert_eq!(
        text(&mut b, "document.querySelector('#coupling-table th[data-key=name]').getAttribute('aria-sort')"),
        "descending"
    );
    assert_eq!(names(&mut b).first(), up.last());

    // The matrix is drawn on a canvas, with the cycles as red blocks.
    b.eval("window.__tapestry.view('matrix'); const s = document.getElementById('dsm-level'); s.value = '0'; s.dispatchEvent(new Event('change'))").unwrap();
    let red = b
        .eval(
            "(() => { const c = document.getElementById('dsm'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
              let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] === 0xd6 && d[i + 1] === 0x27 && d[i + 2] === 0x28) n++; return n; })()",
        )
        .unwrap();
    assert!(red.as_u64().unwrap() > 50, "cycle blocks are drawn: {red} red pixels");
    assert_no_errors(&mut b);
}

/// The service-map boxes highlighted now, by their labels, sorted.
fn lit_services(b: &mut Browser) -> String {
    text(
        b,
        "[...document.querySelectorAll('#svc-svg .node.hl')].map(g => g.getAttribute('aria-label')).sort().join(', ')",
    )
}

#[test]
fn service_level_analyses_show_where_a_reviewer_looks() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(mut b) = browser() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("analysis.html");
    scan_to(&fixture("arch-service-analysis"), &page, &[]);
    open(&mut b, &page, "");
    assert_no_errors(&mut b);

    // Latency paths: web → gateway → {orders, payments} → inventory, the
    // orders ⟲ payments cycle collapsed; its 5 calls are lit, gateway →
    // inventory (which skips a step) is not.
    assert_eq!(count(&mut b, "#latency-list li"), 2);
    b.click_on("#latency-list li").unwrap();
    let lit = lit_services(&mut b);
    assert_eq!(lit, "service gateway, service inventory, service orders, service payments, service web");
    assert_eq!(count(&mut b, "#svc-svg .edge.hl"), 5);
    let details = text(&mut b, "document.getElementById('details').textContent");
    assert!(details.contains("Calls (5)") && details.contains("orders/app.py:21"), "{details}");
    assert!(text(&mut b, "location.hash").contains("latency=0"));

    // The coupling view opens at the service level, with one row per service pair.
    b.eval("window.__tapestry.view('coupling')").unwrap();
    assert_eq!(text(&mut b, "document.querySelector('#coupling-level option:checked').textContent"), "service");
    assert_eq!(count(&mut b, "#pair-table tbody tr"), 12);
    let first = text(&mut b, "document.querySelector('#pair-table tbody tr').textContent");
    assert_eq!(first, "gatewayorders322", "the most calls first");
    b.click_on("#pair-table tbody tr").unwrap();
    assert_eq!(lit_services(&mut b), "service gateway, service orders");
    assert_eq!(count(&mut b, "#svc-svg .edge.hl"), 1);

    // The shared table: the table and the two services writing it.
    b.eval("window.__tapestry.view('smells')").unwrap();
    let kinds = text(&mut b, "[...document.querySelectorAll('.smell .kind')].map(e => e.textContent).join('|')");
    assert_eq!(kinds, "cyclic dependency|shared table");
    b.eval("const k = document.getElementById('smell-kind'); k.value = 'shared_table'; k.dispatchEvent(new Event('change'))")
        .unwrap();
    assert_eq!(count(&mut b, ".smell"), 1, "the kind filter leaves the shared table");
    b.click_on(".smell button.show").unwrap();
    assert_eq!(lit_services(&mut b), "service orders, service payments, table orders");
    assert_eq!(count(&mut b, "#svc-svg .edge.hl"), 2);

    // A service's details name its smells and the latency paths through it.
    b.click_on("#svc-svg [aria-label='service payments']").unwrap();
    let details = text(&mut b, "document.getElementById('details').textContent");
    assert!(details.contains("Smells (2)") && details.contains("On latency paths (1)"), "{details}");
    b.screenshot(&artifacts().join("service-analyses.png")).unwrap();
    assert_no_errors(&mut b);

    // A service cycle: both services and both calls lit, with file:line evidence.
    let page = tmp.path().join("cycle.html");
    scan_to(&fixture("arch-service-cycle"), &page, &[]);
    open(&mut b, &page, "");
    b.click_on("#cycle-list li").unwrap();
    assert_eq!(lit_services(&mut b), "service billing, service orders");
    assert_eq!(count(&mut b, "#svc-svg .edge.cyc.hl"), 2);
    let details = text(&mut b, "document.getElementById('details').textContent");
    assert!(details.contains("billing/app.py:9") && details.contains("orders/app.py:10"), "{details}");
    assert_no_errors(&mut b);
}

/// Boxes and edge labels of the service map whose rectangles intersect.
fn label_overlaps(b: &mut Browser) -> Value {
    b.eval(
        "(() => { const r = (e) => e.getBBox(); \
          const boxes = [...document.querySelectorAll('#svc-svg .node rect')].map(r); \
          const labels = [...document.querySelectorAll('#svc-svg .elabel')]; \
          const hit = (a, c) => a.x < c.x + c.width && c.x < a.x + a.width && a.y < c.y + c.height && c.y < a.y + a.height; \
          const out = []; labels.forEach((l, i) => { const a = r(l); \
            if (boxes.some((c) => hit(a, c))) out.push(l.textContent + ' on a box'); \
            labels.slice(i + 1).forEach((m) => { if (hit(a, r(m))) out.push(l.textContent + ' on ' + m.textContent); }); }); \
          return out; })()",
    )
    .unwrap()
}

#[test]
fn service_maps_of_real_fixtures_keep_labels_off_boxes_and_each_other() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(mut b) = browser() else { return };
    let tmp = tempfile::tempdir().unwrap();
    for (case, boxes, label) in [
        ("arch-polyglot-shop", 11, "GET /orders, GET /orders/{id} +1"),
        ("arch-k8s-config", 6, "POST /entries"),
        ("arch-service-cycle", 2, "GET /invoices/{order_id}"),
    ] {
        let page = tmp.path().join(format!("{case}.html"));
        scan_to(&fixture(case), &page, &[]);
        open(&mut b, &page, "#view=services");
        assert_no_errors(&mut b);
        assert_eq!(count(&mut b, "#svc-svg .node"), boxes, "{case}");
        let labels =
            text(&mut b, "[...document.querySelectorAll('#svc-svg .elabel')].map(t => t.textContent).join('|')");
        assert!(labels.split('|').any(|l| l == label), "{case}: {labels}");
        let overlaps = label_overlaps(&mut b);
        assert_eq!(overlaps, Value::Array(vec![]), "{case}: labels overlap");
        b.screenshot(&artifacts().join(format!("services-{case}.png"))).unwrap();
    }
}

/// A repository whose names are attacks: file and directory names, an import
/// specifier and a package name carrying markup and script.
fn hostile_repo(dir: &Path) {
    let files = [
        (
            "<img src=x onerror=alert(1)>.ts",
            "import x from '\"><svg onload=alert(1)>';\nimport './</script><script>alert(1)</script>';\n",
        ),
        ("<img src=x onerror=window.__pwned=1>.ts", "import './<img src=x onerror=alert(1)>';\n"),
        (
            "<svg onload=window.__pwned=1>/index.ts",
            "import '../<img src=x onerror=window.__pwned=1>';\nimport 'https://user:hunter2@evil.example/x';\n",
        ),
        ("main.ts", "import './<svg onload=window.__pwned=1>/index';\nimport '\"><svg onload=window.__pwned=1>';\n"),
    ];
    for (name, body) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
}

/// The shop with its names replaced by attacks.
fn hostile_shop() -> Value {
    let text = serde_json::to_string(&shop())
        .unwrap()
        .replace("order_items", "\\\"><svg onload=alert(1)>")
        .replace("/invoices/{id}", "/</script><script>alert(1)</script>")
        .replace("api.stripe.com", "<img src=x onerror=window.__pwned=1>")
        .replace("users/src/repo.ts", "users/src/<iframe src=javascript:alert(1)>.ts")
        .replace("rabbitmq:3-management", "amqp://guest:hunter2@mq:5672");
    serde_json::from_str(&text).unwrap()
}

fn assert_nothing_ran(b: &mut Browser, page: &Path, visible: &str) {
    b.call(
        "Page.addScriptToEvaluateOnNewDocument",
        serde_json::json!({"source": "window.__csp = []; document.addEventListener('securitypolicyviolation', \
                                      e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"}),
    )
    .unwrap();
    open(b, page, "");
    // Visit everything, select every map node and search for markup.
    b.eval(
        "(() => { for (const v of ['changes', 'services', 'modules', 'matrix', 'coupling', 'endpoints', 'tables', 'smells', 'diagnostics']) window.__tapestry.view(v); \
          document.getElementById('expand-all').click(); \
          for (const g of document.querySelectorAll('[data-i], [data-s]')) g.dispatchEvent(new MouseEvent('click', {bubbles: true})); \
          for (const li of document.querySelectorAll('#cycle-list li')) li.click(); \
          const s = document.getElementById('search'); s.value = '<'; s.dispatchEvent(new Event('input')); })()",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(b.eval("typeof window.__pwned").unwrap(), "undefined", "injected code ran");
    assert!(b.dialogs().is_empty(), "a dialog opened: {:?}", b.dialogs());
    assert_eq!(
        b.eval("window.__csp.length").unwrap(),
        0,
        "CSP had to block something: {}",
        b.eval("window.__csp").unwrap()
    );
    assert_eq!(count(b, "script"), 2, "only tapestry's two script blocks");
    assert_eq!(count(b, "img, iframe, object, embed, svg svg, foreignObject"), 0, "no element came from the data");
    let handlers = b
        .eval("[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on')).length")
        .unwrap();
    assert_eq!(handlers, 0, "no event-handler attribute");
    let body = text(b, "document.body.textContent");
    assert!(body.contains(visible), "the hostile name is shown as text: {visible}");
    assert!(!body.contains("hunter2"), "credentials in URLs are redacted");
    assert_no_errors(b);
}

#[test]
fn hostile_names_run_nothing() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(mut b) = browser() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    hostile_repo(&repo);
    let page = tmp.path().join("hostile.html");
    scan_to(&repo, &page, &[]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("</script><script>alert"), "the data cannot end its script block");
    assert_nothing_ran(&mut b, &page, "<img src=x onerror=alert(1)>.ts");
    b.screenshot(&artifacts().join("hostile-modules.png")).unwrap();

    let page = tmp.path().join("hostile-shop.html");
    let base = shop();
    let opts = RenderOptions { compare: Some(base), ..RenderOptions::default() };
    std::fs::write(&page, html::render_value(&hostile_shop(), &opts)).unwrap();
    assert_nothing_ran(&mut b, &page, "/</script><script>alert(1)</script>");
    b.eval("window.__tapestry.view('tables')").unwrap();
    assert!(text(&mut b, "document.getElementById('table-table').textContent").contains("\"><svg onload=alert(1)>"));
}

/// Mermaid's own bundle (`.ci/run` fetches it with `npm pack` into
/// `target/mermaid/`), or `TAPESTRY_MERMAID_JS`. Skips without it, fails in CI.
fn mermaid_js() -> Option<PathBuf> {
    let path = std::env::var_os("TAPESTRY_MERMAID_JS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/mermaid/package/dist/mermaid.min.js"),
        PathBuf::from,
    );
    match path.is_file() {
        true => Some(path),
        false if in_ci() => {
            panic!("Mermaid is required in CI: .ci/run fetches it with `npm pack` ({})", path.display())
        }
        false => {
            eprintln!("skipping: no Mermaid bundle at {} (run the `npm pack` step of .ci/run)", path.display());
            None
        }
    }
}

/// A repository whose service, directory, route and table names try to end
/// a Mermaid label or statement, or the HTML around the rendered chart.
fn hostile_services_repo(dir: &Path) {
    let files = [
        (
            "docker-compose.yml",
            "services:\n  'web\"] --> x[(y)]':\n    build: 'web\"]'\n  'api</script>{x}|y|':\n    build: 'api</script>'\n  \"db'`#;%%\":\n    image: postgres:16\n",
        ),
        ("web\"]/requirements.txt", "requests\n"),
        (
            "web\"]/app.py",
            "import requests\n\nAPI = 'http://api</script>{x}|y|:5000'\n\n\ndef go():\n    requests.get(API + '/</script><script>alert(1)</script>')\n    requests.post(f'{API}/a\"]-->b[(\"c\")]')\n",
        ),
        ("api</script>/requirements.txt", "flask\n"),
        (
            "api</script>/app.py",
            "from flask import Flask\nimport sqlite3\n\napp = Flask(__name__)\ndb = sqlite3.connect('x')\n\n\n\
             @app.get('/</script><script>alert(1)</script>')\ndef hostile():\n    return db.execute('SELECT * FROM \"<img src=x onerror=alert(1)>\"')\n\n\n\
             @app.post('/a\"]-->b[(\"c\")]')\ndef quotes():\n    db.execute('INSERT INTO \"x[(y)]\" VALUES (1)')\n    return {}\n",
        ),
    ];
    for (name, body) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
}

/// Mermaid's verdict on a chart: `null` when `mermaid.parse` accepts it, else its error.
fn mermaid_parse(b: &mut Browser, chart: &str) -> Value {
    let chart = serde_json::to_string(chart).unwrap();
    b.eval(&format!("mermaid.parse({chart}).then(() => null, e => String(e && e.message || e))")).unwrap()
}

#[test]
fn mermaid_output_is_accepted_by_mermaid_and_renders_names_as_text() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(js) = mermaid_js() else { return };
    let Some(mut b) = browser() else { return };
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(&js, tmp.path().join("mermaid.min.js")).unwrap();
    let page = tmp.path().join("mermaid.html");
    std::fs::write(&page, "<!DOCTYPE html><meta charset=utf-8><body><script src=\"mermaid.min.js\"></script>").unwrap();
    b.goto(&format!("file://{}", page.display())).unwrap();
    b.wait_for("window.mermaid && mermaid.parse", Duration::from_secs(30)).unwrap();
    b.eval("mermaid.initialize({startOnLoad: false, securityLevel: 'strict'})").unwrap();
    // The parser is real: a label left open is refused.
    assert!(mermaid_parse(&mut b, "flowchart LR\n  n0[\"a] --> n1[\"b\"]\n").is_string(), "Mermaid refuses bad input");

    let hostile = tmp.path().join("hostile");
    hostile_services_repo(&hostile);
    let cases = ["arch-polyglot-shop", "arch-service-cycle", "arch-k8s-config", "py-sqlmodel-nginx", "polyglot-cycles"];
    let dirs: Vec<PathBuf> = cases.iter().map(|c| fixture(c)).chain([hostile.clone()]).collect();
    for dir in &dirs {
        for level in ["service", "module"] {
            let out = Command::cargo_bin("tapestry")
                .unwrap()
                .args(["scan", "--format", "mermaid", "--level", level, "--cache-dir"])
                .arg(tmp.path().join("cache"))
                .arg(dir)
                .output()
                .unwrap();
            assert!(out.status.success(), "{}: {}", dir.display(), String::from_utf8_lossy(&out.stderr));
            let chart = String::from_utf8(out.stdout).unwrap();
            let verdict = mermaid_parse(&mut b, &chart);
            assert!(verdict.is_null(), "{} at {level} level: Mermaid says {verdict}\n{chart}", dir.display());
        }
    }

    // The hostile names reach the chart, and Mermaid draws them as text only.
    let chart = String::from_utf8(
        Command::cargo_bin("tapestry")
            .unwrap()
            .args(["scan", "--format", "mermaid", "--cache-dir"])
            .arg(tmp.path().join("cache"))
            .arg(&hostile)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let chart_js = serde_json::to_string(&chart).unwrap();
    let drawn = b
        .eval(&format!(
            "mermaid.render('hostile', {chart_js}).then(r => {{ document.body.insertAdjacentHTML('beforeend', r.svg); \
             const svg = document.querySelector('body > svg'); \
             return {{ text: svg.textContent, markup: svg.querySelectorAll('script, img, iframe, object, embed').length, \
                       handlers: [...svg.querySelectorAll('*')].flatMap(e => [...e.attributes]).filter(a => a.name.startsWith('on')).length }}; }})"
        ))
        .unwrap();
    let text = drawn["text"].as_str().unwrap_or_default();
    for name in ["web\"] --> x[(y)]", "api</script>{x}|y|", "db'`#;%%"] {
        assert!(text.contains(name), "{name} is drawn as text: {text}");
    }
    assert_eq!(drawn["markup"], 0, "no element came from a name");
    assert_eq!(drawn["handlers"], 0, "no event-handler attribute in the drawn chart");
    assert_eq!(b.eval("document.querySelectorAll('body script').length").unwrap(), 1, "only the Mermaid bundle");
    assert!(b.dialogs().is_empty(), "a dialog opened: {:?}", b.dialogs());
    b.screenshot(&artifacts().join("mermaid-hostile.png")).unwrap();
    assert_no_errors(&mut b);
}

#[test]
fn review_mode_opens_what_changed_and_marks_the_map() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(mut b) = browser() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join("src/billing")).unwrap();
    std::fs::create_dir_all(repo.join("src/users")).unwrap();
    std::fs::write(
        repo.join("src/billing/invoice.ts"),
        "import { user } from '../users/user';\nexport const i = user;\n",
    )
    .unwrap();
    std::fs::write(repo.join("src/users/user.ts"), "export const user = 1;\n").unwrap();
    std::fs::write(repo.join("src/users/old.ts"), "export const old = 1;\n").unwrap();
    let base = tmp.path().join("base.json");
    scan_to(&repo, &base, &[]);
    std::fs::write(repo.join("src/users/user.ts"), "import { i } from '../billing/invoice';\nexport const user = 1;\n")
        .unwrap();
    std::fs::write(repo.join("src/users/profile.ts"), "import { user } from './user';\n").unwrap();
    std::fs::remove_file(repo.join("src/users/old.ts")).unwrap();
    let page = tmp.path().join("review.html");
    scan_to(&repo, &page, &["--compare", base.to_str().unwrap()]);
    open(&mut b, &page, "");
    assert_eq!(text(&mut b, "document.querySelector('#tabs [aria-selected=true]').dataset.view"), "changes");
    let lead = text(&mut b, "document.querySelector('#view-changes .lead').textContent");
    assert!(lead.contains("closes 2 new cycles"), "a module and a directory cycle: {lead}");
    b.screenshot(&artifacts().join("review-changes.png")).unwrap();
    b.click_on("#view-changes ul.changes li.go").unwrap();
    assert_eq!(text(&mut b, "document.querySelector('#tabs [aria-selected=true]').dataset.view"), "modules");
    assert!(count(&mut b, "#mod-svg .node.added") >= 1, "added modules are marked");
    assert_eq!(count(&mut b, "#mod-svg .node.removed"), 1, "the removed module is drawn as a ghost");
    assert!(count(&mut b, "#mod-svg .edge.added") >= 1, "added dependencies are marked");
    b.screenshot(&artifacts().join("review-modules.png")).unwrap();
    assert_no_errors(&mut b);
}

/// The module map as drawn, checked: every box inside its parent, siblings
/// apart, closed directories at their closed size. Returns the boxes by id.
fn check_module_boxes(b: &mut Browser) -> std::collections::BTreeMap<u64, [f64; 4]> {
    let boxes = b.eval("window.__tapestry.boxes()").unwrap();
    let mut out = std::collections::BTreeMap::new();
    let rows: Vec<(u64, u64, [f64; 4], bool)> = boxes
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let f = |k: usize| r[k].as_f64().unwrap();
            (r[0].as_u64().unwrap(), r[1].as_u64().unwrap(), [f(2), f(3), f(4), f(5)], r[6].as_bool().unwrap())
        })
        .collect();
    for (i, _, rect, _) in &rows {
        out.insert(*i, *rect);
    }
    for (k, (i, p, [x, y, w, h], open)) in rows.iter().enumerate() {
        if let Some([px, py, pw, ph]) = out.get(p) {
            let inside = *x >= *px && *y >= *py && x + w <= px + pw + 0.01 && y + h <= py + ph + 0.01;
            assert!(inside, "box {i} lies outside its directory {p}");
        }
        if !open && *h > 30.0 {
            assert_eq!(*h, 40.0, "closed directory {i} is drawn at its closed size");
        }
        for (j, q, [x2, y2, w2, h2], _) in &rows[k + 1..] {
            let apart = x + w <= *x2 || x2 + w2 <= *x || y + h <= *y2 || y2 + h2 <= *y;
            assert!(q != p || apart, "sibling boxes {i} and {j} overlap");
        }
    }
    out
}

#[test]
fn closed_directories_are_small_and_the_layout_follows_what_is_open() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(mut b) = browser() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    synthetic_repo(&repo, 4, 4, 30, 4);
    let page = tmp.path().join("map.html");
    scan_to(&repo, &page, &[]);
    open(&mut b, &page, "#view=modules");
    assert_no_errors(&mut b);
    // 480 modules: the map starts with the directories closed.
    let start = check_module_boxes(&mut b);
    let closed = count(&mut b, "#mod-svg .node.closed");
    assert!(closed >= 4, "{closed} closed directories");
    let heights =
        b.eval("[...document.querySelectorAll('#mod-svg .node.closed > rect')].map(r => +r.getAttribute('height'))");
    assert!(heights.unwrap().as_array().unwrap().iter().all(|h| h.as_f64() == Some(40.0)));

    // Opening one grows it and moves its neighbours, nothing overlaps;
    // closing it again gives back the same map.
    let dir = text(&mut b, "document.querySelector('#mod-svg .node.dir.closed').getAttribute('aria-label')");
    let toggle = format!("window.__tapestry.toggle('directory:{}')", dir.strip_prefix("dir ").unwrap());
    b.eval(&toggle).unwrap();
    let opened = check_module_boxes(&mut b);
    assert!(opened.len() > start.len() + 3, "{dir}: what it holds is drawn");
    b.screenshot(&artifacts().join("module-map-one-open.png")).unwrap();
    b.eval(&toggle).unwrap();
    assert_eq!(check_module_boxes(&mut b), start);

    // Everything open, then everything closed: still no overlap.
    b.click_on("#expand-all").unwrap();
    assert_eq!(count(&mut b, "#mod-svg .node.closed"), 0);
    check_module_boxes(&mut b);
    b.click_on("#collapse-all").unwrap();
    let top = check_module_boxes(&mut b);
    assert!(top.values().all(|r| r[3] == 40.0), "only closed top-level directories: {top:?}");
    assert_no_errors(&mut b);
}

/// Writes a TypeScript repository of `dirs × files` modules, each importing
/// `fan_out` others: mostly lower layers (packages with a smaller number),
/// some siblings, and one import in a hundred going back up (cycles).
fn synthetic_repo(root: &Path, packages: usize, subdirs: usize, files: usize, fan_out: usize) {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rand = move |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % n
    };
    for p in 0..packages {
        for s in 0..subdirs {
            let dir = root.join(format!("pkg{p}/mod{s}"));
            std::fs::create_dir_all(&dir).unwrap();
            for f in 0..files {
                let mut targets = std::collections::BTreeSet::new();
                while targets.len() < fan_out {
                    let (tp, ts) = match rand(100) {
                        0 => (rand(packages), rand(subdirs)),
                        1..=39 => (p, s),
                        _ => (rand(p + 1), rand(subdirs)),
                    };
                    let tf = rand(files);
                    if (tp, ts, tf) != (p, s, f) {
                        targets.insert((tp, ts, tf));
                    }
                }
                let body: String = targets
                    .iter()
                    .map(|(tp, ts, tf)| format!("import {{ v{tf} }} from '../../pkg{tp}/mod{ts}/f{tf}';\n"))
                    .collect();
                std::fs::write(dir.join(format!("f{f}.ts")), format!("{body}export const v{f} = {f};\n")).unwrap();
            }
        }
    }
}

/// Frame times (ms) while panning `frames` frames by a few pixels each.
fn pan_frames(b: &mut Browser, frames: u32) -> Vec<f64> {
    let v = b
        .eval(&format!(
            "new Promise(done => {{ const t = []; let n = 0; \
              const step = (now) => {{ t.push(now); window.__tapestry.panBy(3, 2); \
                if (++n < {frames}) requestAnimationFrame(step); \
                else done(t.slice(1).map((x, i) => x - t[i])); }}; \
              requestAnimationFrame(step); }})"
        ))
        .unwrap();
    v.as_array().unwrap().iter().filter_map(Value::as_f64).collect()
}

fn summary(mut ms: Vec<f64>) -> String {
    ms.sort_by(f64::total_cmp);
    let mean = ms.iter().sum::<f64>() / ms.len().max(1) as f64;
    let p95 = ms[((ms.len() as f64 * 0.95) as usize).min(ms.len() - 1)];
    format!("mean {mean:.1} ms, p95 {p95:.1} ms, max {:.1} ms", ms.last().unwrap())
}

/// `cargo test --test browser -- --ignored --nocapture bench`: time to first
/// render and frame times while panning, on 5,000 modules and 30,000 imports;
/// the numbers go to BENCHMARKS.md ("HTML map"), not into assertions.
#[test]
#[ignore]
fn bench_html_map_5000_modules_30000_edges() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(mut b) = browser() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    synthetic_repo(&repo, 10, 10, 50, 6);
    let page = tmp.path().join("big.html");
    let started = std::time::Instant::now();
    scan_to(&repo, &page, &[]);
    println!("scan + render: {:.1} s", started.elapsed().as_secs_f64());
    std::fs::copy(&page, artifacts().join("bench-5000.html")).unwrap();
    let size = std::fs::metadata(&page).unwrap().len();
    println!("file size: {:.2} MB", size as f64 / 1e6);
    for run in 0..3 {
        open(&mut b, &page, "#view=modules");
        let first = b.eval("window.__tapestry.firstRender").unwrap().as_f64().unwrap();
        let dcl = b.eval("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd").unwrap();
        let visible = b.eval("window.__tapestry.visible()").unwrap();
        println!(
            "run {run}: first render {first:.0} ms after navigation start (DOMContentLoaded {dcl} ms), {visible} boxes"
        );
    }
    println!("pan, default view: {}", summary(pan_frames(&mut b, 120)));
    let dsm = expand_all_and_draw_matrix(&mut b);
    println!("module-level matrix (5,000 × 5,000) first draw: {dsm:.0} ms");
    b.screenshot(&artifacts().join("bench-matrix.png")).unwrap();
    b.eval("window.__tapestry.view('modules')").unwrap();
    b.screenshot(&artifacts().join("bench-modules-expanded.png")).unwrap();
    open(&mut b, &page, "#view=modules");
    b.screenshot(&artifacts().join("bench-modules.png")).unwrap();
    assert_no_errors(&mut b);
}

/// Benchmarks: time "Expand all" and panning after it, then the first draw of the
/// module-level matrix (ms), printed for BENCHMARKS.md.
fn expand_all_and_draw_matrix(b: &mut Browser) -> f64 {
    let expand = b
        .eval("(() => { const t = performance.now(); document.getElementById('expand-all').click(); return performance.now() - t; })()")
        .unwrap();
    println!(
        "expand all: {:.0} ms, {} boxes",
        expand.as_f64().unwrap(),
        b.eval("window.__tapestry.visible()").unwrap()
    );
    println!("pan, everything expanded: {}", summary(pan_frames(b, 60)));
    let place =
        b.eval("(() => { const t = performance.now(); window.__tapestry.layout(); return performance.now() - t; })()");
    println!("placing the expanded map: {:.0} ms", place.unwrap().as_f64().unwrap());
    b.eval("(() => { window.__tapestry.view('matrix'); const s = document.getElementById('dsm-level'); \
            const t = performance.now(); s.value = '0'; s.dispatchEvent(new Event('change')); return performance.now() - t; })()")
        .unwrap()
        .as_f64()
        .unwrap()
}

/// `TAPESTRY_BENCH_REPO=/path/to/repo cargo test --test browser --
/// --ignored --nocapture bench_html_map_real`: the same measures on a real
/// repository (BENCHMARKS.md used saleor, about 4,300 Python modules).
#[test]
#[ignore]
fn bench_html_map_real_repository() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(repo) = std::env::var_os("TAPESTRY_BENCH_REPO").map(PathBuf::from) else {
        eprintln!("skipping: set TAPESTRY_BENCH_REPO to a repository to measure");
        return;
    };
    let Some(mut b) = browser() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("real.html");
    scan_to(&repo, &page, &[]);
    println!("file size: {:.2} MB", std::fs::metadata(&page).unwrap().len() as f64 / 1e6);
    for view in ["services", "modules"] {
        for run in 0..3 {
            open(&mut b, &page, &format!("#view={view}"));
            let first = b.eval("window.__tapestry.firstRender").unwrap().as_f64().unwrap();
            println!("{view}, run {run}: first render {first:.0} ms after navigation start");
        }
        println!("pan, {view}: {}", summary(pan_frames(&mut b, 120)));
        b.screenshot(&artifacts().join(format!("real-{view}.png"))).unwrap();
    }
    let dsm = expand_all_and_draw_matrix(&mut b);
    println!("module-level matrix first draw: {dsm:.0} ms");
    assert_no_errors(&mut b);
}
