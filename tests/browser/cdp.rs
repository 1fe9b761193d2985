//! A small Chrome DevTools Protocol client for the browser tests: it starts
//! the system's Chromium (Debian's `chromium`, never a downloaded browser)
//! headless with a fresh profile, opens one page over a flattened session on
//! the browser's WebSocket, and offers what the tests need: evaluate, click,
//! type, keys, screenshots, and the events that tell a page misbehaved
//! (uncaught exceptions, console errors, dialogs).

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

pub type Result<T> = std::result::Result<T, String>;

/// The browser to use: `TAPESTRY_CHROMIUM`, else the usual Debian paths.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TAPESTRY_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

pub struct Browser {
    child: Child,
    ws: WebSocket<TcpStream>,
    next: u64,
    session: String,
    /// Every event received so far (method and params).
    pub events: Vec<Value>,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub fn launch(chromium: &Path, width: u32, height: u32) -> Result<Browser> {
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut child = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                &format!("--window-size={width},{height}"),
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", chromium.display()))?;
        let stderr = child.stderr.take().expect("piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(std::result::Result::ok) {
                if let Some(url) = line.split("DevTools listening on ").nth(1) {
                    let _ = tx.send(url.trim().to_string());
                }
            }
        });
        let url = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(u) => u,
            Err(_) => {
                let _ = child.kill();
                return Err("Chromium did not open its DevTools endpoint within 30 s".into());
            }
        };
        let hostport = url.trim_start_matches("ws://").split('/').next().unwrap_or("").to_string();
        let stream = TcpStream::connect(&hostport).map_err(|e| format!("connect {hostport}: {e}"))?;
        stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
        let (ws, _) = tungstenite::client(url.as_str(), stream).map_err(|e| format!("WebSocket {url}: {e}"))?;
        // From now on reads return often, so a deadline can be kept.
        ws.get_ref().set_read_timeout(Some(Duration::from_millis(200))).map_err(|e| e.to_string())?;
        let mut b = Browser { child, ws, next: 0, session: String::new(), events: Vec::new(), _profile: profile };
        let target = b.send(None, "Target.createTarget", json!({"url": "about:blank"}))?;
        let target_id = target["targetId"].as_str().ok_or("no targetId")?.to_string();
        let attached = b.send(None, "Target.attachToTarget", json!({"targetId": target_id, "flatten": true}))?;
        b.session = attached["sessionId"].as_str().ok_or("no sessionId")?.to_string();
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] {
            b.call(domain, json!({}))?;
        }
        b.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        )?;
        Ok(b)
    }

    /// A command on the page's session.
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value> {
        let session = self.session.clone();
        self.send(Some(&session), method, params)
    }

    fn send(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<Value> {
        self.next += 1;
        let id = self.next;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws.send(Message::text(msg.to_string())).map_err(|e| format!("{method}: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if Instant::now() > deadline {
                return Err(format!("{method}: no answer within 60 s"));
            }
            let Some(v) = self.read()? else { continue };
            if v.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(err) = v.get("error") {
                    return Err(format!("{method}: {err}"));
                }
                return Ok(v.get("result").cloned().unwrap_or(Value::Null));
            }
        }
    }

    /// One message, or `None` when none arrived in a short while. Events are kept.
    fn read(&mut self) -> Result<Option<Value>> {
        match self.ws.read() {
            Ok(Message::Text(t)) => {
                let v: Value = serde_json::from_str(t.as_str()).map_err(|e| e.to_string())?;
                if v.get("method").is_some() {
                    if v["method"] == "Page.javascriptDialogOpening" {
                        // Never leave a dialog blocking the page; the test sees the event.
                        let session = self.session.clone();
                        let msg = json!({"id": 0, "sessionId": session, "method": "Page.handleJavaScriptDialog",
                                         "params": {"accept": true}});
                        let _ = self.ws.send(Message::text(msg.to_string()));
                    }
                    self.events.push(v.clone());
                }
                Ok(Some(v))
            }
            Ok(_) => Ok(None),
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) =>
            {
                Ok(None)
            }
            Err(e) => Err(e.to_string()),
        }
    }

    pub fn goto(&mut self, url: &str) -> Result<()> {
        self.call("Page.navigate", json!({"url": url}))?;
        Ok(())
    }

    /// Evaluates `expr` in the page (promises awaited) and returns its value.
    pub fn eval(&mut self, expr: &str) -> Result<Value> {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true, "awaitPromise": true, "userGesture": true}),
        )?;
        if let Some(ex) = r.get("exceptionDetails") {
            return Err(format!("{expr}: {ex}"));
        }
        Ok(r["result"].get("value").cloned().unwrap_or(Value::Null))
    }

    /// Waits until `expr` is truthy.
    pub fn wait_for(&mut self, expr: &str, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let v = self.eval(&format!("!!({expr})")).unwrap_or(Value::Bool(false));
            if v == Value::Bool(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {expr}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn click(&mut self, x: f64, y: f64) -> Result<()> {
        self.call("Input.dispatchMouseEvent", json!({"type": "mouseMoved", "x": x, "y": y}))?;
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "buttons": 1, "clickCount": 1}),
            )?;
        }
        Ok(())
    }

    /// Clicks the centre of the first element matching a CSS selector, once it
    /// stands still: a map that pans or zooms to what an earlier click lit moves
    /// its boxes in a later frame, and a click measured before lands beside its
    /// target (`service_level_analyses_…` failed so once in a clean-clone run).
    pub fn click_on(&mut self, selector: &str) -> Result<()> {
        let sel = serde_json::to_string(selector).expect("string");
        // Measured after two animation frames: the map applies a pan or zoom in the next one.
        let centre = format!(
            "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {{ \
             const e = document.querySelector({sel}); if (!e) return done(null); \
             const r = e.getBoundingClientRect(); done([r.x + r.width / 2, r.y + r.height / 2]); }})))"
        );
        let mut at = self.eval(&centre)?;
        let deadline = Instant::now() + Duration::from_secs(3);
        loop {
            std::thread::sleep(Duration::from_millis(60));
            let now = self.eval(&centre)?;
            if now == at || Instant::now() > deadline {
                break;
            }
            at = now;
        }
        let (x, y) = (at[0].as_f64().ok_or(format!("no element {selector}"))?, at[1].as_f64().unwrap_or(0.0));
        self.click(x, y)
    }

    pub fn insert_text(&mut self, text: &str) -> Result<()> {
        self.call("Input.insertText", json!({"text": text}))?;
        Ok(())
    }

    pub fn key(&mut self, key: &str, code: &str, key_code: u32) -> Result<()> {
        for kind in ["keyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": key, "code": code, "windowsVirtualKeyCode": key_code}),
            )?;
        }
        Ok(())
    }

    pub fn screenshot(&mut self, path: &Path) -> Result<()> {
        let r = self.call("Page.captureScreenshot", json!({"format": "png"}))?;
        let data = base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().ok_or("no screenshot data")?)
            .map_err(|e| e.to_string())?;
        std::fs::write(path, data).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Uncaught exceptions, console errors and log errors seen so far.
    pub fn errors(&mut self) -> Vec<String> {
        let _ = self.eval("0"); // let pending events arrive
        self.events
            .iter()
            .filter_map(|e| match e["method"].as_str()? {
                "Runtime.exceptionThrown" => Some(format!("exception: {}", e["params"]["exceptionDetails"])),
                "Runtime.consoleAPICalled" if e["params"]["type"] == "error" => {
                    Some(format!("console.error: {}", e["params"]["args"]))
                }
                "Log.entryAdded" if e["params"]["entry"]["level"] == "error" => {
                    Some(format!("log: {}", e["params"]["entry"]["text"]))
                }
                _ => None,
            })
            .collect()
    }

    /// Dialogs (alert, confirm, prompt) the page opened.
    pub fn dialogs(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e["method"] == "Page.javascriptDialogOpening")
            .map(|e| e["params"]["message"].to_string())
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.ws.close(None);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
