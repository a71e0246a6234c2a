//! What the client logs and traces, captured: refused pushes at WARN with the reason, the spans of
//! an event, a handler, a token fetch and an API call with their fields, and never a token or the
//! secret.

use finchat_cui::MessageContent;
use finchat_test_support::logs::Logs;
use serde_json::json;

use crate::server::{Reply, TestServer};

#[cfg(feature = "receiver")]
pub(crate) mod receiver {
    use std::net::SocketAddr;

    use finchat_client::{Dispatcher, HandlerError, Receiver};
    use serde_json::{Value, json};

    pub(crate) const CALLBACK_TOKEN: &str = "right-callback-token-3f9a";

    /// A receiver on a free port whose message handler fails on the text `fail`.
    pub(crate) async fn start() -> SocketAddr {
        start_with(|receiver| receiver).await
    }

    /// As [`start`], with the receiver changed by `setup` (another dedupe store, say).
    pub(crate) async fn start_with(setup: impl FnOnce(Receiver<()>) -> Receiver<()>) -> SocketAddr {
        let dispatcher = Dispatcher::new(()).on_message(|_, _event, message| async move {
            match message.body() {
                Some("fail") => Err(HandlerError::msg("the database is down")),
                _ => Ok(()),
            }
        });
        let receiver = Receiver::new(dispatcher, CALLBACK_TOKEN)
            .expect("a valid callback token")
            .app_id("app-1")
            .body_limit(4 * 1024);
        let receiver = setup(receiver);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, receiver.router()).await.ok() });
        addr
    }

    /// A push of the text message `body` with the id `event_id`.
    pub(crate) fn text(event_id: &str, body: &str) -> Value {
        json!({"app_id": "app-1", "token": CALLBACK_TOKEN, "event": {
            "event_id": event_id, "type": "m.room.message", "timestamp": 1432735824653_i64,
            "room_id": "!r:example.org", "room_type": "direct_room", "sender": "@alice:example.org",
            "content": {"msgtype": "m.text", "body": body}}})
    }

    /// PUTs `body` to the receiver; the status.
    pub(crate) async fn put(addr: SocketAddr, body: impl Into<reqwest::Body>) -> u16 {
        reqwest::Client::new()
            .put(format!("http://{addr}/callback"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

#[cfg(feature = "receiver")]
mod pushes {
    use finchat_test_support::logs::Logs;

    use super::receiver::{CALLBACK_TOKEN, put, start, text};

    #[tokio::test]
    async fn a_push_with_a_wrong_token_is_a_warning_that_shows_no_token() {
        let addr = start().await;
        let (logs, _guard) = Logs::capture();
        let mut wrong = text("$1:x", "hello");
        wrong["token"] = "wrong-guess-77c1".into();
        assert_eq!(put(addr, wrong.to_string()).await, 401);
        logs.line_with(&["WARN", "push refused", "status=401", "wrong token"]);
        logs.assert_never("wrong-guess-77c1");
        logs.assert_never(CALLBACK_TOKEN);
    }

    #[tokio::test]
    async fn a_malformed_push_is_a_warning_with_the_json_error() {
        let addr = start().await;
        let (logs, _guard) = Logs::capture();
        let cut = text("$1:x", "hello").to_string();
        assert_eq!(put(addr, cut[..cut.len() - 20].to_owned()).await, 400);
        logs.line_with(&["WARN", "push refused", "status=400", "malformed callback"]);
        logs.assert_never(CALLBACK_TOKEN);
    }

    #[tokio::test]
    async fn an_oversize_push_is_a_warning_with_the_limit() {
        let addr = start().await;
        let (logs, _guard) = Logs::capture();
        let large = text("$1:x", &"x".repeat(8 * 1024)).to_string();
        assert_eq!(put(addr, large).await, 413);
        logs.line_with(&[
            "WARN",
            "push refused",
            "status=413",
            "length limit exceeded",
        ]);
        logs.assert_never(CALLBACK_TOKEN);
    }

    #[tokio::test]
    async fn a_handled_event_has_its_span_and_its_handlers() {
        let addr = start().await;
        let (logs, _guard) = Logs::capture();
        assert_eq!(put(addr, text("$1:x", "hello").to_string()).await, 200);
        logs.closed(
            "finchat.event",
            &[
                "event_id=$1:x",
                "event_type=\"m.room.message\"",
                "room_id=\"!r:example.org\"",
                "sender=@alice:example.org",
                "source=\"callback\"",
                "redelivery=false",
                "outcome=\"handled\"",
            ],
        );
        logs.closed(
            "finchat.handler",
            &["handler=\"on_message\"", "outcome=\"ok\""],
        );
        logs.assert_never(CALLBACK_TOKEN);
    }

    #[tokio::test]
    async fn a_failed_handler_is_marked_on_both_spans() {
        let addr = start().await;
        let (logs, _guard) = Logs::capture();
        assert_eq!(put(addr, text("$1:x", "fail").to_string()).await, 500);
        logs.closed("finchat.handler", &["outcome=\"error\""]);
        logs.closed("finchat.event", &["outcome=\"failed\""]);
        logs.line_with(&["WARN", "handler failed", "the database is down"]);
    }
}

#[tokio::test]
async fn a_token_fetch_and_api_calls_are_traced_without_the_token_or_the_secret() {
    let server = TestServer::with_tokens(|request, _| match request.path.as_str() {
        "/api/v1/finchat/open-api/message/send" => Reply::ok(json!({"room_id_result": [
            {"room_id": "!a:x", "event_id": "$1:x"},
            {"room_id": "!b:x", "errcode": "FC_ROOM_NOT_FOUND", "error": "no such room"},
        ]})),
        _ => Reply::json(
            403,
            json!({"errcode": "FC_FORBIDDEN", "error": "the app may not list rooms"}),
        ),
    })
    .await;
    let client = server.client().build().unwrap();
    let (logs, _guard) = Logs::capture();
    client
        .messages()
        .send(MessageContent::text("hello"))
        .rooms(["!a:x".parse().unwrap(), "!b:x".parse().unwrap()])
        .send()
        .await
        .unwrap();
    client.rooms().list().await.unwrap_err();

    logs.closed(
        "finchat.token",
        &["app_id=\"app-1\"", "status=200", "outcome=\"ok\""],
    );
    logs.closed(
        "finchat.api",
        &[
            "method=POST",
            "endpoint=/api/v1/finchat/open-api/message/send ",
            "status=200",
            "failed_targets=1",
        ],
    );
    logs.closed(
        "finchat.api",
        &[
            "method=GET",
            "endpoint=/api/v1/finchat/open-api/rooms ",
            "status=403",
            "errcode=\"FC_FORBIDDEN\"",
        ],
    );
    logs.line_with(&["DEBUG", "call failed", "FC_FORBIDDEN"]);
    assert_eq!(server.calls()[1].query.as_deref(), Some("app_id=app-1"));
    logs.assert_never("app_id=app-1");
    logs.assert_never("tok-1");
    logs.assert_never("test-secret-value");
    logs.assert_never("Bearer");
}
