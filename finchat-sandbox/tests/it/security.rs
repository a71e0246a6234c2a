//! What another web page (or a DNS-rebinding name) cannot make the sandbox do (issue 12, items 23
//! and 24): forge a person's submission, or run an uploaded file as a page of the sandbox.

use finchat_sandbox::{RunningSandbox, SandboxConfig};
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{
    approval_card, browser, client, enc, fcid, form_origin, raw_token, room, send_card, start,
};

/// The form a person's page posts to say "hi" to the bot in alice's direct room.
fn say_form() -> String {
    format!(
        "as={}&room={}&body=hi",
        enc("@alice:sandbox"),
        enc("!direct-alice:sandbox")
    )
}

/// Posts the say form with `headers` (name, value); the answer's status.
async fn post_say_form(sandbox: &RunningSandbox, headers: &[(&str, &str)]) -> StatusCode {
    let mut request = browser()
        .post(format!("{}/sandbox/say", sandbox.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(say_form());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap().status()
}

fn said(sandbox: &RunningSandbox) -> usize {
    sandbox.handle.messages(&room("direct-alice")).len()
}

#[tokio::test]
async fn a_form_post_from_another_origin_or_without_one_is_refused() {
    let sandbox = start(SandboxConfig::new()).await;
    let own = form_origin(&sandbox);

    let forged = post_say_form(&sandbox, &[("origin", "http://evil.example")]).await;
    assert_eq!(forged, StatusCode::FORBIDDEN);
    let opaque = post_say_form(&sandbox, &[("origin", "null")]).await;
    assert_eq!(opaque, StatusCode::FORBIDDEN);
    let cross_site = post_say_form(&sandbox, &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(cross_site, StatusCode::FORBIDDEN, "no Origin, cross-site");
    let anonymous = post_say_form(&sandbox, &[]).await;
    assert_eq!(anonymous, StatusCode::FORBIDDEN, "no Origin at all");
    assert_eq!(said(&sandbox), 0, "nothing was said");

    // The page's own forms: the browser names the sandbox's origin (or, without an Origin, says
    // the post is same-origin).
    assert_eq!(
        post_say_form(&sandbox, &[("origin", &own)]).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post_say_form(&sandbox, &[("sec-fetch-site", "same-origin")]).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(said(&sandbox), 2);
}

#[tokio::test]
async fn the_json_endpoints_take_only_json_from_their_own_origin() {
    let sandbox = start(SandboxConfig::new()).await;
    let card = send_card(&client(&sandbox), &room("direct-alice"), approval_card()).await;
    let submit = json!({"as": "@alice:sandbox", "room": "!direct-alice:sandbox", "event": card,
                        "info": {"decision": "同意"}});
    let post = |path: &str| reqwest::Client::new().post(format!("{}{path}", sandbox.url));
    let say =
        json!({"as": "@alice:sandbox", "room": "!direct-alice:sandbox", "body": "hi"}).to_string();
    let before = sandbox.handle.events().len();

    // A cross-site "simple" request (text/plain needs no preflight) is not taken.
    let plain = post("/sandbox/api/submit")
        .header("content-type", "text/plain")
        .body(submit.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let untyped = post("/sandbox/api/say")
        .body(say.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(untyped.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let forged = post("/sandbox/api/submit")
        .header("origin", "http://evil.example")
        .json(&submit)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        sandbox.handle.events().len(),
        before,
        "nothing was submitted"
    );

    // A program (no Origin) and the page's own script (its Origin) are served.
    let program = post("/sandbox/api/submit")
        .json(&submit)
        .send()
        .await
        .unwrap();
    assert_eq!(program.status(), StatusCode::OK);
    let own = post("/sandbox/api/say")
        .header("origin", form_origin(&sandbox))
        .header("content-type", "application/json; charset=utf-8")
        .body(say.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_rebound_host_name_gets_nothing_from_the_page_but_bots_reach_the_api_by_any_name() {
    let sandbox = start(SandboxConfig::new().allowed_host("sandbox.test")).await;
    let port = sandbox.addr().port();
    let get_page = |host: String| {
        reqwest::Client::new()
            .get(format!("{}/", sandbox.url))
            .header("host", host)
            .send()
    };
    // DNS rebinding: the attacker's name now points at 127.0.0.1, so its page is "same-origin".
    let rebound = get_page(format!("evil.example:{port}")).await.unwrap();
    assert_eq!(rebound.status(), StatusCode::MISDIRECTED_REQUEST);
    let rebound_post = browser()
        .post(format!("{}/sandbox/say", sandbox.url))
        .header("host", format!("evil.example:{port}"))
        .header("origin", format!("http://evil.example:{port}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(say_form())
        .send()
        .await
        .unwrap();
    assert_eq!(rebound_post.status(), StatusCode::MISDIRECTED_REQUEST);
    let rebound_json = reqwest::Client::new()
        .get(format!("{}/sandbox/api/events", sandbox.url))
        .header("host", format!("evil.example:{port}"))
        .send()
        .await
        .unwrap();
    assert_eq!(rebound_json.status(), StatusCode::MISDIRECTED_REQUEST);
    assert_eq!(said(&sandbox), 0);

    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        format!("sandbox.test:{port}"),
        "sandbox.test".to_owned(),
    ] {
        let page = get_page(host.clone()).await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{host}");
    }

    // A bot in a container reaches the sandbox by its service name; the API is its token's.
    let token = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/finchat/open-api/auth/token",
            sandbox.url
        ))
        .header("host", format!("finchat-sandbox:{port}"))
        .json(&json!({"app_id": "sandbox-app", "secret": "sandbox-secret"}))
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), StatusCode::OK);
    // A browser on a rebound name does not.
    let from_a_page = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/finchat/open-api/auth/token",
            sandbox.url
        ))
        .header("host", format!("evil.example:{port}"))
        .header("origin", format!("http://evil.example:{port}"))
        .json(&json!({"app_id": "sandbox-app", "secret": "sandbox-secret"}))
        .send()
        .await
        .unwrap();
    assert_eq!(from_a_page.status(), StatusCode::MISDIRECTED_REQUEST);
}

#[tokio::test]
async fn uploaded_files_are_served_inert_and_only_raster_images_inline() {
    let sandbox = start(SandboxConfig::new()).await;
    let api = client(&sandbox);
    for (content_type, inline) in [
        ("image/png", true),
        ("image/jpeg", true),
        ("image/gif", true),
        ("image/webp", true),
        ("image/svg+xml", false),
        ("text/html", false),
        ("application/pdf", false),
        ("IMAGE/PNG; x=1", true),
    ] {
        let uri = api
            .media()
            .upload(b"<svg onload=alert(1)>".to_vec(), content_type)
            .await
            .unwrap();
        let page_url = format!(
            "{}/sandbox/media/{}/{}",
            sandbox.url,
            uri.server_name(),
            uri.media_id()
        );
        let served = reqwest::get(page_url).await.unwrap();
        let headers = served.headers();
        assert_eq!(
            headers["x-content-type-options"], "nosniff",
            "{content_type}"
        );
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("sandbox"),
            "{content_type}: {csp}"
        );
        let disposition = headers
            .get("content-disposition")
            .map(|v| v.to_str().unwrap().to_owned());
        if inline {
            assert_eq!(disposition, None, "{content_type}");
        } else {
            assert!(
                disposition
                    .as_deref()
                    .is_some_and(|d| d.starts_with("attachment")),
                "{content_type}: {disposition:?}"
            );
        }
    }
    // The API's download is served the same way.
    let uri = api
        .media()
        .upload(b"<html>".to_vec(), "text/html")
        .await
        .unwrap();
    let token = raw_token(&sandbox).await;
    let download = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/finchat/open-api/media/download/sandbox/{}?app_id=sandbox-app",
            sandbox.url,
            uri.media_id()
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    assert!(
        download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
}

#[tokio::test]
async fn the_page_runs_only_its_own_script_and_styles() {
    let sandbox = start(SandboxConfig::new()).await;
    let page = reqwest::get(format!(
        "{}/?as={}",
        sandbox.url,
        enc(fcid("alice").as_str())
    ))
    .await
    .unwrap();
    let headers = page.headers().clone();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap_or_else(|| panic!("no script-src: {csp}"));
    assert_eq!(script_src, "script-src 'self'", "{csp}");
    for directive in [
        "default-src 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive}: {csp}");
    }
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<script src=\"/sandbox/page.js\" defer></script>"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "no inline script");
    let script = reqwest::get(format!("{}/sandbox/page.js", sandbox.url))
        .await
        .unwrap();
    assert_eq!(script.status(), StatusCode::OK);
    assert!(
        script.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert_eq!(script.headers()["x-content-type-options"], "nosniff");
    assert!(script.text().await.unwrap().contains("/sandbox/api/rev"));
}
