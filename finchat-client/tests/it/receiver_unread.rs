//! A card submission that no route reads is logged at WARN with its event id and form keys (never
//! the values), and an app can opt into a fallback for it (issue 12, item 7).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use finchat_client::{Dispatcher, Receiver};
use finchat_cui::CuiForm;
use finchat_test_support::logs::Logs;
use serde_json::json;

use crate::receiver::{TOKEN, callback, put_json, serve};

#[derive(CuiForm)]
struct Approval {
    #[allow(dead_code)]
    amount: u32,
}

fn unread_submission() -> serde_json::Value {
    callback(
        "$unread:x",
        "finstore.room.interactcui",
        json!({"action": "submit", "info": {"note": "private words", "budget": "77"}}),
    )
}

#[tokio::test]
async fn a_submission_no_route_reads_is_logged_with_its_keys() {
    let (logs, _guard) = Logs::capture();
    let dispatcher =
        Dispatcher::new(()).on_submission::<Approval, _, _>(|_, _, _| async { Ok(()) });
    let addr = serve(Receiver::new(dispatcher, TOKEN).unwrap()).await;
    assert_eq!(put_json(addr, &unread_submission()).await, 200);
    let warning = logs.line_with(&["WARN", "$unread:x", "no route read"]);
    assert!(
        warning.contains("budget") && warning.contains("note"),
        "{warning}"
    );
    logs.assert_never("private words");
}

#[tokio::test]
async fn an_app_can_take_the_submissions_no_form_reads() {
    let (logs, _guard) = Logs::capture();
    let dispatcher = Dispatcher::new(AtomicUsize::new(0))
        .on_submission::<Approval, _, _>(|_, _, _| async { Ok(()) })
        .on_unread_submission(|unread, _, submission| async move {
            assert_eq!(submission.info["budget"], "77");
            unread.fetch_add(1, Ordering::SeqCst);
            Ok(())
        });
    let unread = Arc::clone(dispatcher.state());
    let addr = serve(Receiver::new(dispatcher, TOKEN).unwrap()).await;
    assert_eq!(put_json(addr, &unread_submission()).await, 200);
    assert_eq!(unread.load(Ordering::SeqCst), 1);
    assert!(!logs.text().contains("no route read"), "{}", logs.text());
}
