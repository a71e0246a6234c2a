//! A person in a real browser: headless Chromium (through chromedriver and the W3C WebDriver protocol)
//! opens the sandbox's page, fills in the approval card and presses 同意. The bot must get the typed
//! submission, and the page must show the card redrawn as disabled. A screenshot is saved to
//! `target/browser/approval.png`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Where they are missing
//! the test says so and stops, except under CI (`CI` set), where it fails.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use finchat_client::Receiver;
use finchat_examples::approval::{ApprovalBot, Claim, Decision};
use finchat_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};

/// A chromedriver process on a free port; killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn find(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| PathBuf::from(dir).join(program))
        .find(|path| path.is_file())
}

async fn start_driver() -> Option<Driver> {
    let (Some(driver), Some(_)) = (
        find("chromedriver"),
        find("chromium").or_else(|| find("chromium-browser")),
    ) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser test: install Debian's chromium and chromium-driver"
        );
        eprintln!(
            "browser test not run: chromium or chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        return None;
    };
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(response) = http.get(format!("{}/status", driver.url)).send().await {
            if response.status().is_success() {
                return Some(driver);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start in 20 s");
}

/// The few WebDriver commands the test needs.
struct Session {
    http: reqwest::Client,
    base: String,
}

impl Session {
    async fn new(driver: &Driver, profile: &std::path::Path) -> Session {
        let http = reqwest::Client::new();
        let binary = find("chromium")
            .or_else(|| find("chromium-browser"))
            .unwrap();
        let capabilities = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": binary,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=900,1400", format!("--user-data-dir={}", profile.display())]}}}});
        let answer: Value = http
            .post(format!("{}/session", driver.url))
            .json(&capabilities)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {answer}"))
            .to_owned();
        Session {
            http,
            base: format!("{}/session/{id}", driver.url),
        }
    }

    async fn command(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let request = self.http.request(method, format!("{}{path}", self.base));
        let request = if body.is_null() {
            request
        } else {
            request.json(&body)
        };
        let answer: Value = request.send().await.unwrap().json().await.unwrap();
        answer["value"].clone()
    }

    async fn go(&self, url: &str) {
        self.command(reqwest::Method::POST, "/url", json!({ "url": url }))
            .await;
    }

    /// The element matching `css`, if there is one.
    async fn find(&self, css: &str) -> Option<String> {
        let found = self
            .command(
                reqwest::Method::POST,
                "/element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        found
            .as_object()?
            .values()
            .next()?
            .as_str()
            .map(str::to_owned)
    }

    async fn clear_and_type(&self, element: &str, text: &str) {
        self.command(
            reqwest::Method::POST,
            &format!("/element/{element}/clear"),
            json!({}),
        )
        .await;
        self.command(
            reqwest::Method::POST,
            &format!("/element/{element}/value"),
            json!({ "text": text }),
        )
        .await;
    }

    async fn click(&self, element: &str) {
        self.command(
            reqwest::Method::POST,
            &format!("/element/{element}/click"),
            json!({}),
        )
        .await;
    }

    async fn screenshot(&self) -> Vec<u8> {
        let png = self
            .command(reqwest::Method::GET, "/screenshot", Value::Null)
            .await;
        base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap()
    }

    async fn close(&self) {
        self.http.delete(&self.base).send().await.ok();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_approves_the_card_in_the_browser_and_it_redraws_as_disabled() {
    let Some(driver) = start_driver().await else {
        return;
    };

    // The bot and the sandbox, as in `cargo run --example approval_flow`.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let callback = format!("http://{}/callback", listener.local_addr().unwrap());
    let sandbox = Sandbox::serve(
        SandboxConfig::new()
            .callback(&callback, "browser-callback-token")
            .time_scale(0.01),
        ("127.0.0.1", 0),
    )
    .await
    .unwrap();
    let bot = ApprovalBot::new(sandbox.client().build().unwrap());
    let receiver = Receiver::new(bot.dispatcher(), "browser-callback-token").unwrap();
    tokio::spawn(async move { axum::serve(listener, receiver.router()).await.ok() });
    let approver = sandbox.handle.users()[0].clone();
    let room = sandbox.handle.direct_room(&approver).unwrap();
    let card = bot
        .ask(
            room.clone(),
            Claim {
                id: 42,
                applicant: "张三".into(),
                amount: 1200,
            },
        )
        .await
        .unwrap();

    // The person opens their direct room with the bot.
    let profile = std::env::temp_dir().join(format!("finchat-browser-{}", std::process::id()));
    let session = Session::new(&driver, &profile).await;
    let page = sandbox.page_url(&approver, &room);
    session.go(&page).await;
    let card_css = format!("form[data-event-id=\"{card}\"]");
    assert!(
        session.find(&card_css).await.is_some(),
        "the page shows the card {card}"
    );
    let amount = session
        .find(&format!("{card_css} input[name=\"amount\"]"))
        .await
        .expect("the amount field");
    session.clear_and_type(&amount, "1500").await;
    let comment = session
        .find(&format!("{card_css} input[name=\"comment\"]"))
        .await
        .expect("the comment field");
    session.clear_and_type(&comment, "差旅费已核").await;
    let approve = session
        .find(&format!(
            "{card_css} button[name=\"decision\"][value=\"同意\"]"
        ))
        .await
        .expect("the 同意 button");
    session.click(&approve).await;

    // The bot gets the typed submission and closes the card; the page redraws it.
    let decided = tokio::time::timeout(Duration::from_secs(20), bot.wait_for(1))
        .await
        .expect("the bot got the submission");
    assert_eq!(decided[0].form.amount, 1500);
    assert_eq!(decided[0].form.decision, Decision::Approve);
    assert_eq!(decided[0].form.comment.as_deref(), Some("差旅费已核"));
    assert_eq!(decided[0].approver, approver.as_str());
    let disabled = format!("{card_css}[data-status=\"disable\"]");
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut redrawn = false;
    while Instant::now() < deadline && !redrawn {
        session.go(&page).await;
        redrawn = session.find(&disabled).await.is_some();
        if !redrawn {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    let screenshot = session.screenshot().await;
    session.close().await;
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/browser");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("approval.png"), &screenshot).unwrap();
    std::fs::remove_dir_all(&profile).ok();
    assert!(redrawn, "the card redrew as disabled");
    assert!(screenshot.starts_with(b"\x89PNG"), "a PNG screenshot");
}
