//! Media: the upload sends the file's bytes with its type and returns the `mxc://` URI; the download
//! brings bytes and type back, into memory or a writer.

use serde_json::json;

use crate::server::{Reply, TestServer};

#[tokio::test]
async fn upload_sends_the_bytes_with_their_type() {
    let server = TestServer::with_tokens(|_, _| {
        Reply::ok(json!({"content_uri": "mxc://example.com/AQwafuaFswefuhsfAFAgsw"}))
    })
    .await;
    let client = server.client().build().unwrap();
    let uri = client
        .media()
        .upload(b"\x89PNG fake".to_vec(), "image/png")
        .await
        .unwrap();
    assert_eq!(uri.media_id(), "AQwafuaFswefuhsfAFAgsw");
    let upload = &server.calls()[0];
    assert_eq!(
        (upload.method.as_str(), upload.path.as_str()),
        ("POST", "/api/v1/finchat/open-api/media/upload")
    );
    assert_eq!(upload.query.as_deref(), Some("app_id=app-1"));
    assert_eq!(upload.header("content-type"), Some("image/png"));
    assert_eq!(upload.header("authorization"), Some("Bearer tok-1"));
    assert_eq!(&upload.body[..], b"\x89PNG fake");
}

#[tokio::test]
async fn an_upload_answer_that_is_not_an_mxc_uri_is_malformed() {
    let server =
        TestServer::with_tokens(|_, _| Reply::ok(json!({"content_uri": "https://x/y"}))).await;
    let client = server.client().build().unwrap();
    let error = client
        .media()
        .upload(vec![1, 2, 3], "application/octet-stream")
        .await
        .unwrap_err();
    assert!(error.is_malformed_response(), "{error}");
}

#[tokio::test]
async fn download_brings_the_bytes_and_their_type() {
    let server = TestServer::with_tokens(|_, _| Reply::bytes("application/pdf", b"%PDF-1.7")).await;
    let client = server.client().build().unwrap();
    let uri = "mxc://finogeeks.club/66696e6f6765656b732e636c75626017a46f6335230001d6368d"
        .parse()
        .unwrap();
    let download = client.media().download(&uri).await.unwrap();
    assert_eq!(download.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(&download.bytes[..], b"%PDF-1.7");
    let call = &server.calls()[0];
    assert_eq!(call.method, "GET");
    assert_eq!(
        call.path,
        "/api/v1/finchat/open-api/media/download/finogeeks.club/66696e6f6765656b732e636c75626017a46f6335230001d6368d"
    );
    assert_eq!(call.query.as_deref(), Some("app_id=app-1"));

    let mut out = Vec::new();
    let (content_type, written) = client.media().download_to(&uri, &mut out).await.unwrap();
    assert_eq!(
        (content_type.as_deref(), written),
        (Some("application/pdf"), 8)
    );
    assert_eq!(out, b"%PDF-1.7");
}

#[tokio::test]
async fn a_download_is_retried_after_a_server_error() {
    let server = TestServer::with_tokens(|_, earlier| {
        if earlier.iter().filter(|r| !r.is_token()).count() == 0 {
            Reply::json(503, json!({"errcode": "FC_UNKNOWN", "error": ""}))
        } else {
            Reply::bytes("image/png", b"png")
        }
    })
    .await;
    let client = server.client().build().unwrap();
    let download = client
        .media()
        .download(&"mxc://example.org/abc".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(&download.bytes[..], b"png");
    assert_eq!(server.calls().len(), 2);
}
