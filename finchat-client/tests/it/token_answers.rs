//! The token answer and the token's life: a malformed answer is described by its shape and never
//! quoted, a lifetime shorter than the refresh margin or absurdly long still gives one fetch, and
//! only the token errcodes throw a token away.

use std::time::Duration;

use finchat_client::token::AccessToken;
use serde_json::{Value, json};

use crate::server::{Reply, TestServer};

/// The error as a user may print it: `Display`, `Debug`, and each cause in the chain both ways.
pub(crate) fn everything_shown(error: &(dyn std::error::Error + 'static)) -> String {
    let mut shown = format!("{error} {error:?}");
    let mut cause = error.source();
    while let Some(next) = cause {
        shown.push_str(&format!(" | {next} {next:?}"));
        cause = next.source();
    }
    shown
}

async fn token_error(answer: Reply) -> finchat_client::Error {
    let answer = std::sync::Mutex::new(Some(answer));
    let server = TestServer::start(move |_, _| {
        answer
            .lock()
            .unwrap()
            .take()
            .unwrap_or_else(|| Reply::json(599, json!({"errcode": "TEST_ONE_ANSWER_ONLY"})))
    })
    .await;
    let client = server
        .client()
        .retry(finchat_client::RetryPolicy::none())
        .build()
        .unwrap();
    client.access_token().await.unwrap_err()
}

#[tokio::test]
async fn a_token_answer_of_the_wrong_shape_names_the_field_but_never_quotes_the_answer() {
    let cases: [(Value, &str); 3] = [
        (
            json!({"app_access_token": "SECRET-XYZ", "expires_in": "soon"}),
            "expires_in",
        ),
        (
            json!({"access_token": "SECRET-XYZ", "expires_in": 3600}),
            "missing field `app_access_token`",
        ),
        (
            json!({"app_access_token": ["SECRET-XYZ"], "expires_in": 60}),
            "app_access_token",
        ),
    ];
    for (answer, named) in cases {
        let error = token_error(Reply::ok(answer.clone())).await;
        assert!(error.is_malformed_response(), "{answer}: {error}");
        let shown = everything_shown(&error);
        assert!(!shown.contains("SECRET-XYZ"), "{shown}");
        assert!(!shown.contains("soon"), "{shown}");
        assert!(
            shown.contains(named),
            "{answer} should name {named}: {shown}"
        );
        assert!(
            shown.contains("POST /api/v1/finchat/open-api/auth/token"),
            "{shown}"
        );
    }
}

#[tokio::test]
async fn a_token_answer_that_is_not_json_gives_its_line_and_column_only() {
    let cut_short = br#"{"app_access_token": "SECRET-XYZ", "expires_in": 3600"#;
    let error = token_error(Reply::bytes("application/json", cut_short)).await;
    let shown = everything_shown(&error);
    assert!(error.is_malformed_response(), "{shown}");
    assert!(!shown.contains("SECRET-XYZ"), "{shown}");
    assert!(shown.contains("line 1"), "{shown}");
}

#[tokio::test]
async fn an_error_answer_of_the_token_call_is_not_quoted_either() {
    let echo = json!({"message": "bad request", "echo": {"secret": "SECRET-XYZ"}});
    let error = token_error(Reply::json(400, echo)).await;
    let shown = everything_shown(&error);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert!(!shown.contains("SECRET-XYZ"), "{shown}");
    // The API's own error fields are still shown.
    let coded = json!({"errcode": "FC_INVALID_SECRET", "error": "secret错误"});
    let error = token_error(Reply::json(401, coded)).await;
    assert!(
        error
            .to_string()
            .ends_with("FC_INVALID_SECRET (http 401): secret错误"),
        "{error}"
    );
}

#[tokio::test]
async fn a_lifetime_within_the_refresh_margin_is_used_not_refetched_on_every_call() {
    let server = TestServer::start(|_, earlier| Reply::token(earlier.len() + 1, 10)).await;
    let client = server
        .client()
        .refresh_margin(Duration::from_secs(60))
        .build()
        .unwrap();
    let first = client.access_token().await.unwrap();
    let second = client.access_token().await.unwrap();
    assert_eq!(server.token_requests(), 1);
    assert_eq!(first.token, second.token);
}

#[tokio::test]
async fn an_endless_lifetime_does_not_panic_and_is_kept() {
    let server = TestServer::start(|_, _| {
        Reply::ok(json!({"app_access_token": "tok-1", "expires_in": u64::MAX}))
    })
    .await;
    let client = server.client().build().unwrap();
    let token = client.access_token().await.unwrap();
    client.access_token().await.unwrap();
    assert_eq!(server.token_requests(), 1);
    assert!(token.is_fresh(Duration::from_secs(100 * 365 * 24 * 3600)));
}

#[test]
fn an_access_token_saturates_instead_of_overflowing() {
    let token = AccessToken::new("t", Duration::MAX);
    assert!(token.is_fresh(Duration::from_secs(3600)));
    let short = AccessToken::new("t", Duration::from_secs(1));
    assert!(!short.is_fresh(Duration::MAX));
}

/// A server that refuses the first token with `status` and `errcode` (none when empty) and takes
/// every other.
async fn refusing_the_first_token(status: u16, errcode: &'static str) -> TestServer {
    TestServer::with_tokens(move |request, _| {
        if request.header("authorization") != Some("Bearer tok-1") {
            return Reply::bytes("image/png", b"png");
        }
        if errcode.is_empty() {
            let mut empty = Reply::bytes("text/plain", b"");
            empty.status = axum::http::StatusCode::from_u16(status).unwrap();
            empty
        } else {
            Reply::json(status, json!({"errcode": errcode, "error": "refused"}))
        }
    })
    .await
}

/// Any authenticated call: the media download is a GET with the app token.
pub(crate) async fn download(client: &finchat_client::Client) -> Result<(), finchat_client::Error> {
    client
        .media()
        .download(&"mxc://example.org/abc".parse().unwrap())
        .await
        .map(drop)
}

#[tokio::test]
async fn a_401_or_403_with_another_errcode_keeps_the_token() {
    for (status, errcode) in [
        (401, "FC_SOMETHING_NEW"),
        (403, "FC_FORBIDDEN"),
        (403, "FC_APP_NOT_PUBLISHED"),
        (401, "FC_INVALID_SECRET"),
    ] {
        let server = refusing_the_first_token(status, errcode).await;
        let client = server.client().build().unwrap();
        let error = download(&client).await.unwrap_err();
        assert_eq!(error.fc_code().map(|c| c.as_str()), Some(errcode));
        assert_eq!(server.calls().len(), 1, "{errcode}: not repeated");
        download(&client).await.unwrap_err();
        assert_eq!(server.token_requests(), 1, "{status} {errcode}: token kept");
    }
}

#[tokio::test]
async fn a_401_or_403_with_a_token_errcode_or_none_replaces_the_token() {
    for (status, errcode) in [
        (401, "FC_INVALID_ACCESS_TOKEN"),
        (403, "FC_INVALID_ACCESS_TOKEN"),
        (401, ""),
        (403, "FC_UNKNOWN"),
    ] {
        let server = refusing_the_first_token(status, errcode).await;
        let client = server.client().build().unwrap();
        download(&client).await.unwrap();
        assert_eq!(server.token_requests(), 2, "{status} {errcode:?}: replaced");
        assert_eq!(
            server.calls()[1].header("authorization"),
            Some("Bearer tok-2")
        );
    }
}
