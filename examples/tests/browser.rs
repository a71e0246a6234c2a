//! A person in a real browser: headless Chromium (through chromedriver and fantoccini's WebDriver client)
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

use fantoccini::{Client, ClientBuilder, Locator};
use finchat_client::Receiver;
use finchat_client::cards::{CardRegistry, MemoryCardStore};
use finchat_examples::approval::{self, Answer, ApprovalForm, Claim};
use finchat_sandbox::{Sandbox, SandboxConfig};
use hyper_util::client::legacy::connect::HttpConnector;
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
        if let Ok(response) = http.get(format!("{}/status", driver.url)).send().await
            && response.status().is_success()
        {
            return Some(driver);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start in 20 s");
}

/// A WebDriver session of headless Chromium (fantoccini, over plain http to the local
/// chromedriver). Every command answers a `Result`: a WebDriver error, such as "no such element",
/// fails the test where it happens.
async fn session(driver: &Driver, profile: &std::path::Path) -> Client {
    let binary = find("chromium")
        .or_else(|| find("chromium-browser"))
        .expect("chromium was found before chromedriver started");
    let capabilities = json!({"browserName": "chrome", "goog:chromeOptions": {
        "binary": binary,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=900,1400", format!("--user-data-dir={}", profile.display())]}});
    let Value::Object(capabilities) = capabilities else {
        unreachable!("a JSON object")
    };
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("chromedriver opens a Chromium session")
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
    let registry = CardRegistry::new(sandbox.client().build().unwrap(), MemoryCardStore::new());
    let receiver =
        Receiver::new(approval::dispatcher(&registry), "browser-callback-token").unwrap();
    tokio::spawn(async move { axum::serve(listener, receiver.router()).await.ok() });
    let approver = sandbox.handle.users()[0].clone();
    let room = sandbox.handle.direct_room(&approver).unwrap();
    let claim = Claim {
        id: 42,
        applicant: "张三".into(),
        amount: 1200,
    };
    let asked = approval::ask(
        &registry,
        &claim,
        room.clone(),
        [approver.clone()],
        Duration::from_secs(3600),
    )
    .await
    .unwrap();
    let card = asked.card.copies[0].origin_event.clone();

    // The person opens their direct room with the bot.
    let profile = std::env::temp_dir().join(format!("finchat-browser-{}", std::process::id()));
    let browser = session(&driver, &profile).await;
    let page = sandbox.page_url(&approver, &room);
    browser.goto(&page).await.expect("the page opens");
    let card_css = format!("form[data-event-id=\"{card}\"]");
    browser
        .find(Locator::Css(&card_css))
        .await
        .unwrap_or_else(|e| panic!("the page shows the card {card}: {e}"));
    let amount = browser
        .find(Locator::Css(&format!("{card_css} input[name=\"amount\"]")))
        .await
        .expect("the amount field");
    amount.clear().await.expect("the amount field clears");
    amount.send_keys("1000").await.expect("typing the amount");
    let comment = browser
        .find(Locator::Css(&format!("{card_css} input[name=\"comment\"]")))
        .await
        .expect("the comment field");
    comment.clear().await.expect("the comment field clears");
    comment
        .send_keys("差旅费已核")
        .await
        .expect("typing the comment");
    let approve = browser
        .find(Locator::Css(&format!(
            "{card_css} button[name=\"decision\"][value=\"同意\"]"
        )))
        .await
        .expect("the 同意 button");
    approve.click().await.expect("pressing 同意");

    // The bot gets the typed submission and closes the card; the page (its own script, under the
    // page's Content-Security-Policy) redraws it.
    let decided = tokio::time::timeout(
        Duration::from_secs(20),
        registry.decision::<ApprovalForm>(asked.id()),
    )
    .await
    .expect("the bot got the submission")
    .unwrap()
    .expect("decided, not expired");
    assert_eq!(decided.form.amount, 1000);
    assert_eq!(decided.form.decision, Answer::Approve);
    assert_eq!(decided.form.comment.as_deref(), Some("差旅费已核"));
    assert_eq!(decided.by, approver);
    let disabled = format!("{card_css}[data-status=\"disable\"]");
    let redrawn = browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(&disabled))
        .await;
    let screenshot = browser.screenshot().await.expect("a screenshot");
    browser.close().await.ok();
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/browser");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("approval.png"), &screenshot).unwrap();
    std::fs::remove_dir_all(&profile).ok();
    if let Err(error) = redrawn {
        panic!("the card redrew as disabled: {error}");
    }
    assert!(screenshot.starts_with(b"\x89PNG"), "a PNG screenshot");
}
