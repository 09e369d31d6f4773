//! A minimal W3C WebDriver client: headless Chromium driven through chromedriver, with axe-core
//! for accessibility checks.
//!
//! ```ignore
//! let _serial = browser::exclusive().await; // declared first, so released after the browser
//! let Some(browser) = Browser::start().await else { return }; // skipped locally
//! browser.goto(&app.url("/")).await;
//! assert_eq!(browser.axe_violations().await, Vec::<String>::new());
//! ```
//!
//! `GAZETTE_TEST_CHROMEDRIVER` names the chromedriver binary (the kit starts it) and
//! `GAZETTE_TEST_AXE` names `axe.min.js`; `GAZETTE_TEST_CHROMIUM` overrides `/usr/bin/chromium`.

use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

use crate::configured_file;

pub const CHROMEDRIVER_VAR: &str = "GAZETTE_TEST_CHROMEDRIVER";
pub const AXE_VAR: &str = "GAZETTE_TEST_AXE";
pub const CHROMIUM_VAR: &str = "GAZETTE_TEST_CHROMIUM";

/// The chromedriver binary; None when not configured (skipped locally, a panic under `CI`).
pub fn chromedriver() -> Option<PathBuf> {
    configured_file("chromedriver", CHROMEDRIVER_VAR)
}

/// `axe.min.js`; None when not configured (skipped locally, a panic under `CI`).
pub fn axe_core() -> Option<PathBuf> {
    configured_file("axe-core", AXE_VAR)
}

/// Held by a test while it uses a browser: Chromium is heavy, so browser tests run one at a time.
pub async fn exclusive() -> tokio::sync::MutexGuard<'static, ()> {
    static BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    BROWSER.lock().await
}

/// One Chromium session; dropping it quits Chromium and chromedriver.
#[derive(Debug)]
pub struct Browser {
    client: reqwest::Client,
    /// `http://127.0.0.1:PORT`, where chromedriver listens.
    driver_url: String,
    session: String,
    driver: Child,
    axe: PathBuf,
    profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium; None when chromedriver or axe-core is
    /// not configured.
    pub async fn start() -> Option<Self> {
        let chromedriver = chromedriver()?;
        let axe = axe_core()?;
        let chromium = std::env::var_os(CHROMIUM_VAR)
            .filter(|p| !p.is_empty())
            .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
        // A free port: bind, read it, release it for chromedriver (a race we can live with).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap_or_else(|e| panic!("finding a free port: {e}"))
            .port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "starting {CHROMEDRIVER_VAR}={}: {e}",
                    chromedriver.display()
                )
            });
        let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
        let mut browser = Self {
            client: reqwest::Client::new(),
            driver_url: format!("http://127.0.0.1:{port}"),
            session: String::new(),
            driver,
            axe,
            profile,
        };
        browser.wait_until_ready().await;
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--no-first-run".to_owned(),
            format!("--user-data-dir={}", browser.profile.path().display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "timeouts": {"script": 60_000, "pageLoad": 60_000},
            "goog:chromeOptions": {"binary": chromium.display().to_string(), "args": args},
        }}});
        let created = browser
            .command(reqwest::Method::POST, "/session", Some(capabilities))
            .await;
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("chromedriver created no session: {created}"))
            .to_owned();
        Some(browser)
    }

    async fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = self.driver.try_wait() {
                panic!("chromedriver exited at start-up ({status}); is {CHROMEDRIVER_VAR} right?");
            }
            let status = self
                .client
                .get(format!("{}/status", self.driver_url))
                .send()
                .await;
            if let Ok(response) = status
                && let Ok(body) = response.json::<Value>().await
                && body["value"]["ready"] == true
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not answer /status within 20 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Sends a WebDriver command and returns its `value`; panics with WebDriver's error.
    async fn command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.driver_url);
        let mut request = self.client.request(method.clone(), &url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"));
        let status = response.status();
        let mut reply: Value = response
            .json()
            .await
            .unwrap_or_else(|e| panic!("WebDriver {method} {path} ({status}): not JSON: {e}"));
        let value = reply["value"].take();
        assert!(
            status.is_success(),
            "WebDriver {method} {path} ({status}): {}: {}",
            value["error"].as_str().unwrap_or("?"),
            value["message"].as_str().unwrap_or("?")
        );
        value
    }

    async fn session_command(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        self.command(method, &format!("/session/{}{path}", self.session), body)
            .await
    }

    /// Navigates to `url` and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        self.session_command(reqwest::Method::POST, "/url", Some(json!({"url": url})))
            .await;
    }

    pub async fn set_window_size(&self, width: u32, height: u32) {
        let rect = json!({"width": width, "height": height});
        self.session_command(reqwest::Method::POST, "/window/rect", Some(rect))
            .await;
    }

    /// A screenshot of the viewport, as PNG.
    pub async fn screenshot_png(&self) -> Vec<u8> {
        let encoded = self
            .session_command(reqwest::Method::GET, "/screenshot", None)
            .await;
        base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("screenshot is not base64: {e}"))
    }

    /// Runs `script`, which leaves the page (a click on a link, a form's submission), and
    /// waits up to 10 s for the next document to have loaded, whatever its address (a form
    /// may come back to the same one).
    pub async fn leave_page_by(&self, script: &str, args: &[Value]) {
        // A mark on the old document: its absence means the next one has replaced it.
        self.execute("window.gazetteOldPage = true;", &[]).await;
        self.execute(script, args).await;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let state = self
                .execute(
                    "return window.gazetteOldPage ? 'old' : document.readyState",
                    &[],
                )
                .await;
            if state == "complete" {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no new page loaded within 10 s of: {script}"
            );
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
    }

    /// Runs `script` as the body of a function called with `args`, and returns what it returns.
    /// WebDriver scripts are not subject to the page's Content-Security-Policy.
    pub async fn execute(&self, script: &str, args: &[Value]) -> Value {
        let body = json!({"script": script, "args": args});
        self.session_command(reqwest::Method::POST, "/execute/sync", Some(body))
            .await
    }

    /// Like [`Browser::execute`], but the script finishes by calling its last argument.
    pub async fn execute_async(&self, script: &str, args: &[Value]) -> Value {
        let body = json!({"script": script, "args": args});
        self.session_command(reqwest::Method::POST, "/execute/async", Some(body))
            .await
    }

    /// The WebDriver id of the first element matching a CSS selector.
    async fn element(&self, css: &str) -> String {
        let selector = json!({"using": "css selector", "value": css});
        let element = self
            .session_command(reqwest::Method::POST, "/element", Some(selector))
            .await;
        // The W3C element reference key.
        element["element-6066-11e4-a52e-4f735466cecf"]
            .as_str()
            .unwrap_or_else(|| panic!("no element id for {css}: {element}"))
            .to_owned()
    }

    /// Types `text` into the first element matching a CSS selector; for a file input, `text`
    /// is the path of the file to choose.
    pub async fn send_keys(&self, css: &str, text: &str) {
        let id = self.element(css).await;
        self.session_command(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            Some(json!({"text": text})),
        )
        .await;
    }

    /// Clicks the first element matching a CSS selector as a pointer would (pressed and
    /// released over it), unlike a script's `click()`.
    pub async fn click(&self, css: &str) {
        let id = self.element(css).await;
        self.session_command(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            Some(json!({})),
        )
        .await;
    }

    /// The rendered text of the first element matching a CSS selector.
    pub async fn find_text(&self, css: &str) -> String {
        let id = self.element(css).await;
        let text = self
            .session_command(reqwest::Method::GET, &format!("/element/{id}/text"), None)
            .await;
        text.as_str().unwrap_or_default().to_owned()
    }

    /// Runs axe-core on the current page: one line per violating node, as
    /// `rule (impact): help at target: failure summary`.
    pub async fn axe_violations(&self) -> Vec<String> {
        let source = std::fs::read_to_string(&self.axe)
            .unwrap_or_else(|e| panic!("reading {AXE_VAR}={}: {e}", self.axe.display()));
        // Injected on every call: navigating discards it.
        self.execute(&source, &[]).await;
        // failureSummary is "Fix any of the following:\n  reason\n  reason": one line, `; `-joined.
        let run = r"
            const done = arguments[arguments.length - 1];
            const summary = s => (s || '').trim().split(/\s*\n\s*/)
                .reduce((all, l) => all + (all === '' ? '' : all.endsWith(':') ? ' ' : '; ') + l, '');
            axe.run(document, { resultTypes: ['violations'] })
                .then(r => done(r.violations.flatMap(v => v.nodes.map(n =>
                    `${v.id} (${n.impact || v.impact}): ${v.help} at ${JSON.stringify(n.target)}: ` +
                    summary(n.failureSummary)))))
                .catch(e => done({ error: String(e) }));
        ";
        let result = self.execute_async(run, &[]).await;
        match result.as_array() {
            Some(lines) => lines
                .iter()
                .map(|l| l.as_str().unwrap_or_default().to_owned())
                .collect(),
            None => panic!("axe.run failed: {result}"),
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Deleting the session makes chromedriver quit Chromium; killing chromedriver alone would
        // leave Chromium running. Drop cannot await, so this is plain blocking HTTP, best-effort.
        if !self.session.is_empty() {
            let address = self.driver_url.trim_start_matches("http://");
            if let Ok(mut stream) = std::net::TcpStream::connect(address) {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let request = format!(
                    "DELETE /session/{} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n",
                    self.session
                );
                // chromedriver answers once Chromium is gone (and may keep the connection open).
                if stream.write_all(request.as_bytes()).is_ok() {
                    let _ = stream.read(&mut [0; 1024]);
                }
            }
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    use super::*;

    const ACCESSIBLE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
        <title>Accessible</title></head><body><main><h1>Hello</h1><p>World</p></main></body></html>";
    const NO_ALT: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
        <title>No alt</title></head><body><main><h1>Hello</h1><img src=\"x\"></main></body></html>";
    /// Its inline script must be refused by the CSP, so the title stays "Blocked".
    const INLINE_SCRIPT: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
        <title>Blocked</title><script>document.title = 'Ran'</script></head>\
        <body><p id=\"p\">Some <b>text</b></p></body></html>";

    /// Serves the pages above with Gazette's strict Content-Security-Policy.
    async fn serve() -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut request = Vec::new();
                    let mut buffer = [0; 4096];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buffer[..n]),
                        }
                    }
                    let request = String::from_utf8_lossy(&request);
                    let path = request.split_whitespace().nth(1).unwrap_or("/");
                    let (status, body) = match path {
                        "/accessible" => ("200 OK", ACCESSIBLE),
                        "/no-alt" => ("200 OK", NO_ALT),
                        "/inline-script" => ("200 OK", INLINE_SCRIPT),
                        _ => ("404 Not Found", ""),
                    };
                    let response = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n\
                         Content-Security-Policy: default-src 'self'\r\n\
                         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(response.as_bytes()).await;
                });
            }
        });
        format!("http://{address}")
    }

    #[tokio::test]
    #[cfg_attr(
        not(all(gazette_test_chromedriver, gazette_test_axe)),
        ignore = "needs GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
    )]
    async fn axe_finds_violations_under_a_strict_csp() {
        let _serial = exclusive().await;
        let Some(browser) = Browser::start().await else {
            return;
        };
        let site = serve().await;

        browser.goto(&format!("{site}/inline-script")).await;
        assert_eq!(
            browser.execute("return document.title", &[]).await,
            "Blocked",
            "CSP not applied"
        );
        assert_eq!(
            browser
                .execute("return arguments[0] + 1", &[json!(41)])
                .await,
            42
        );
        assert_eq!(browser.find_text("#p").await, "Some text");

        browser.goto(&format!("{site}/accessible")).await;
        assert_eq!(browser.axe_violations().await, Vec::<String>::new());

        browser.goto(&format!("{site}/no-alt")).await;
        let violations = browser.axe_violations().await;
        assert_eq!(violations.len(), 1, "{violations:#?}");
        assert!(
            violations[0].starts_with("image-alt (critical): "),
            "{violations:#?}"
        );
        assert!(violations[0].contains(r#"["img"]"#), "{violations:#?}");
    }

    #[tokio::test]
    #[cfg_attr(
        not(all(gazette_test_chromedriver, gazette_test_axe)),
        ignore = "needs GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
    )]
    async fn screenshots_are_png() {
        let _serial = exclusive().await;
        let Some(browser) = Browser::start().await else {
            return;
        };
        browser.set_window_size(800, 600).await;
        browser.goto(&format!("{}/accessible", serve().await)).await;
        let png = browser.screenshot_png().await;
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n"),
            "not a PNG: {:?}",
            &png[..png.len().min(8)]
        );
    }
}
