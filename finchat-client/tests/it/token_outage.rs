//! The token endpoint down: callers queued behind a failed fetch share its failure instead of each
//! running a fetch of their own, and the endpoint is asked again once it may be back.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use finchat_client::ErrorClass;
use serde_json::json;

use crate::server::{Reply, TestServer};

#[tokio::test]
async fn concurrent_callers_during_an_outage_share_one_fetch() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            503,
            json!({"errcode": "FC_INTERNAL_ERROR", "error": "down"}),
        )
    })
    .await;
    let client = server.client().build().unwrap();
    let callers: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.access_token().await })
        })
        .collect();
    for caller in callers {
        let error = caller.await.unwrap().unwrap_err();
        assert_eq!(error.class(), ErrorClass::Server, "{error}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    }
    // One fetch with its three tries (the test client's retry policy), not ten.
    assert_eq!(server.token_requests(), 3);
}

#[tokio::test]
async fn the_endpoint_is_asked_again_once_the_shared_failure_is_old() {
    let up = Arc::new(AtomicBool::new(false));
    let server = {
        let up = Arc::clone(&up);
        TestServer::start(move |_, earlier| {
            if up.load(Ordering::SeqCst) {
                Reply::token(earlier.len() + 1, 3600)
            } else {
                Reply::json(503, json!({}))
            }
        })
        .await
    };
    let client = server
        .client()
        .retry(finchat_client::RetryPolicy::none())
        .build()
        .unwrap();
    client.access_token().await.unwrap_err();
    assert_eq!(server.token_requests(), 1);
    up.store(true, Ordering::SeqCst);
    // A caller that comes just after the failure gets it too, without asking again.
    client.access_token().await.unwrap_err();
    assert_eq!(server.token_requests(), 1);
    tokio::time::pause();
    tokio::time::advance(std::time::Duration::from_secs(10)).await;
    tokio::time::resume();
    client.access_token().await.unwrap();
    assert_eq!(server.token_requests(), 2);
}
