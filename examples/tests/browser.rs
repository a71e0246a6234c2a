//! A person in a real browser: headless Chromium (through chromedriver and fantoccini's WebDriver client)
//! opens the sandbox's page and, with the keyboard alone, fills in the approval card and presses 同意.
//! The bot must get the typed submission, and the page must show the card redrawn as disabled. Then
//! the activity inspector must show the bot's calls and the push live, and the card playground must
//! draw a pasted card with its problem beside the element it names. A screenshot of each is saved to
//! `target/browser/{approval,inspector,playground}.png`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Where they are missing
//! the test says so and stops, except under CI (`CI` set), where it fails.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use finchat_client::cards::{CardRegistry, MemoryCardStore};
use finchat_examples::approval::{self, Answer, ApprovalForm, Claim};
use finchat_sandbox::SandboxConfig;
use finchat_test::TestWorld;
use finchat_test_support::missing::{on_path, tool_missing};
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

async fn start_driver() -> Option<Driver> {
    let (Some(driver), Some(_)) = (
        on_path("chromedriver"),
        on_path("chromium").or_else(|| on_path("chromium-browser")),
    ) else {
        tool_missing(
            "browser test",
            "chromium or chromedriver",
            "apt-get install chromium chromium-driver",
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
    let binary = on_path("chromium")
        .or_else(|| on_path("chromium-browser"))
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

/// WebDriver's keys.
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
/// Control held while `a` is typed, then released: select all.
const SELECT_ALL: &str = "\u{E009}a\u{E000}";

/// Presses Tab until the focused element matches `css` (at most 60 times): how a keyboard user gets
/// there.
async fn tab_to(browser: &Client, css: &str) {
    let target = browser
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("the page has {css}: {e}"));
    for _ in 0..60 {
        let focused = browser.active_element().await.expect("a focused element");
        if focused.element_id() == target.element_id() {
            return;
        }
        focused.send_keys(TAB).await.expect("pressing Tab");
    }
    panic!("{css} cannot be reached with Tab");
}

/// Types `keys` into the focused element.
async fn type_keys(browser: &Client, keys: &str) {
    let focused = browser.active_element().await.expect("a focused element");
    focused.send_keys(keys).await.expect("typing");
}

async fn save_screenshot(browser: &Client, name: &str) {
    let screenshot = browser.screenshot().await.expect("a screenshot");
    assert!(screenshot.starts_with(b"\x89PNG"), "a PNG screenshot");
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/browser");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join(format!("{name}.png")), &screenshot).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_approves_with_the_keyboard_then_watches_the_activity_and_tries_a_card() {
    let Some(driver) = start_driver().await else {
        return;
    };

    // The bot on the sandbox, as in `cargo run --example approval_flow`, served by finchat-test.
    let world = TestWorld::with_config(SandboxConfig::new().time_scale(0.01)).await;
    let registry = CardRegistry::new(world.client(), MemoryCardStore::new());
    world.serve(approval::dispatcher(&registry));
    let approver = world.person("张三");
    let room = approver.direct_room();
    let claim = Claim {
        id: 42,
        applicant: "张三".into(),
        amount: 1200,
    };
    let asked = approval::ask(
        &registry,
        &claim,
        room.id().clone(),
        [approver.fcid().clone()],
        Duration::from_secs(3600),
    )
    .await
    .unwrap();

    let profile = std::env::temp_dir().join(format!("finchat-browser-{}", std::process::id()));
    let browser = session(&driver, &profile).await;
    let outcome = story(&world, &registry, &browser, &asked).await;
    browser.close().await.ok();
    std::fs::remove_dir_all(&profile).ok();
    outcome.unwrap_or_else(|failure| panic!("{failure}"));
}

/// The three scenes; a failure says which step failed, after the browser is closed.
async fn story(
    world: &TestWorld,
    registry: &CardRegistry,
    browser: &Client,
    asked: &finchat_client::cards::Registered,
) -> Result<(), String> {
    let card = &asked.card.copies[0].origin_event;
    let approver = world.person("张三");
    let room = approver.direct_room();

    // 1. With the keyboard alone: Tab to the amount, replace it, Tab to the comment, type it, Tab
    //    to 同意 and press Enter.
    browser
        .goto(&world.page_url(approver.fcid(), room.id()))
        .await
        .map_err(|e| format!("the page opens: {e}"))?;
    let card_css = format!("form[data-event-id=\"{card}\"]");
    tab_to(browser, &format!("{card_css} input[name=\"amount\"]")).await;
    type_keys(browser, &format!("{SELECT_ALL}1000")).await;
    tab_to(browser, &format!("{card_css} input[name=\"comment\"]")).await;
    type_keys(browser, "差旅费已核").await;
    tab_to(
        browser,
        &format!("{card_css} button[name=\"decision\"][value=\"同意\"]"),
    )
    .await;
    type_keys(browser, ENTER).await;

    // The bot gets the typed submission and closes the card; the page (its own script, under the
    // page's Content-Security-Policy) redraws it.
    let decided = tokio::time::timeout(
        Duration::from_secs(20),
        registry.decision::<ApprovalForm>(asked.id()),
    )
    .await
    .map_err(|_| "the bot did not get the submission in 20 s".to_owned())?
    .map_err(|e| e.to_string())?
    .ok_or("the card expired instead")?;
    assert_eq!(decided.form.amount, 1000);
    assert_eq!(decided.form.decision, Answer::Approve);
    assert_eq!(decided.form.comment.as_deref(), Some("差旅费已核"));
    assert_eq!(&decided.by, approver.fcid());
    let disabled = format!("{card_css}[data-status=\"disable\"]");
    let redrawn = browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(&disabled))
        .await;
    save_screenshot(browser, "approval").await;
    redrawn.map_err(|e| format!("the card redraws as disabled: {e}"))?;

    // 2. The activity inspector shows the bot's update-cui and the push of the submission.
    browser
        .goto(&format!("{}/sandbox/inspector", world.url()))
        .await
        .map_err(|e| format!("the inspector opens: {e}"))?;
    let activity = browser
        .find(Locator::Css("#activity"))
        .await
        .map_err(|e| format!("the inspector lists the activity: {e}"))?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    save_screenshot(browser, "inspector").await;
    for shown in [
        "message/update-cui",
        "finstore.room.interactcui",
        "delivered",
    ] {
        if !activity.contains(shown) {
            return Err(format!(
                "the inspector shows {shown:?}; it shows:\n{activity}"
            ));
        }
    }

    // 3. The playground draws a pasted card whose second input repeats the first one's key, and
    //    names the problem beside that input.
    browser
        .goto(&format!("{}/sandbox/playground", world.url()))
        .await
        .map_err(|e| format!("the playground opens: {e}"))?;
    let pasted = r#"{"msgtype": "m.cui", "body": "报销", "version": "0.1.0", "info": {"type": "form",
        "status": "input", "shared": true, "fcids": [], "elements": [
        {"type": "context", "subtype": "text", "value": "金额"},
        {"type": "input", "subtype": "text-input", "key": "amount", "placeholder": "元"},
        {"type": "input", "subtype": "text-input", "key": "amount"},
        {"type": "button", "subtype": "submit", "value": "提交", "action": "submit"}]}}"#;
    let content = browser
        .find(Locator::Css("#playground-content"))
        .await
        .map_err(|e| format!("the playground has its text box: {e}"))?;
    content.clear().await.map_err(|e| e.to_string())?;
    content.send_keys(pasted).await.map_err(|e| e.to_string())?;
    browser
        .find(Locator::Css("#playground-draw"))
        .await
        .map_err(|e| format!("the playground has its draw button: {e}"))?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    let notes = browser
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#playground-card-e2-notes"))
        .await
        .map_err(|e| format!("the problem is drawn beside the third element: {e}"))?;
    let note = notes.text().await.map_err(|e| e.to_string())?;
    save_screenshot(browser, "playground").await;
    if !note.contains("amount")
        || notes.attr("role").await.ok().flatten().as_deref() != Some("alert")
    {
        return Err(format!(
            "the note names the duplicate key, as an alert: {note:?}"
        ));
    }
    Ok(())
}
