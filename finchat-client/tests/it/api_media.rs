//! Media downloads that must not go wrong: a crafted `mxc://` URI never reaches the API, a slow but
//! moving download is not cut by the client's total time-out while a stalled one ends, and a local
//! write failure says so and names where.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use finchat_client::token::{AccessToken, InMemoryTokenStore, TokenStore};
use finchat_client::{Client, ErrorClass};
use finchat_cui::MxcUri;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::server::{Reply, TestServer};

/// The URIs a user could send to make the bot GET another API path with its app token. They do not
/// parse; these are built without the check, as from a value made before the rule was tightened.
fn crafted() -> [MxcUri; 3] {
    [
        finchat_cui::__private::mxc_literal(r"mxc://..\..\..\privilege-api\x/y"),
        finchat_cui::__private::mxc_literal("mxc://a/../../x"),
        finchat_cui::__private::mxc_literal("mxc://../x"),
    ]
}

#[test]
fn a_crafted_mxc_uri_does_not_parse_and_the_error_says_why() {
    let error = r"mxc://..\..\..\privilege-api\x/y"
        .parse::<MxcUri>()
        .unwrap_err();
    assert!(error.to_string().contains("server name"), "{error}");
    let error = "mxc://a/../../x".parse::<MxcUri>().unwrap_err();
    assert!(error.to_string().contains("media id"), "{error}");
}

#[tokio::test]
async fn a_crafted_mxc_uri_is_refused_before_any_request() {
    let server = TestServer::with_tokens(|_, _| Reply::bytes("text/plain", b"secret")).await;
    let client = server.client().build().unwrap();
    for uri in crafted() {
        let error = client.media().download(&uri).await.unwrap_err();
        assert_eq!(error.class(), ErrorClass::Local, "{uri}: {error}");
        assert!(error.to_string().contains(uri.as_str()), "{error}");
        assert!(
            error.to_string().contains("server name") || error.to_string().contains("media id"),
            "{error}"
        );
        let mut out = Vec::new();
        let error = client
            .media()
            .download_to(&uri, &mut out)
            .await
            .unwrap_err();
        assert_eq!(error.class(), ErrorClass::Local, "{uri}: {error}");
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[tokio::test]
async fn both_parts_of_the_uri_are_encoded_as_path_segments() {
    let server = TestServer::with_tokens(|_, _| Reply::bytes("image/png", b"png")).await;
    let client = server.client().build().unwrap();
    let uri: MxcUri = "mxc://[::1]:8448/abc_-1".parse().unwrap();
    client.media().download(&uri).await.unwrap();
    assert_eq!(
        server.calls()[0].path,
        "/api/v1/finchat/open-api/media/download/%5B::1%5D:8448/abc_-1"
    );
}

/// A server that answers one GET per connection with `pieces` pieces of `size` bytes, one every
/// `every`; with `stall`, it announces one more piece than it sends and then keeps the connection
/// open. It records each request line and stops when the test ends (its task is aborted).
struct Trickle {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Trickle {
    async fn start(pieces: usize, size: usize, every: Duration, stall: bool) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let recorded = Arc::clone(&recorded);
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                            return;
                        }
                        head.push(byte[0]);
                    }
                    let head = String::from_utf8_lossy(&head).into_owned();
                    recorded
                        .lock()
                        .unwrap()
                        .push(head.lines().next().unwrap_or("").to_owned());
                    let announced = (pieces + usize::from(stall)) * size;
                    let header = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n\
                         content-length: {announced}\r\nconnection: close\r\n\r\n"
                    );
                    if socket.write_all(header.as_bytes()).await.is_err() {
                        return;
                    }
                    for _ in 0..pieces {
                        tokio::time::sleep(every).await;
                        if socket.write_all(&vec![b'x'; size]).await.is_err() {
                            return;
                        }
                    }
                    if stall {
                        std::future::pending::<()>().await;
                    }
                });
            }
        });
        Self {
            addr,
            requests,
            task,
        }
    }

    /// A client of this server with a valid token already stored and a total time-out of `total`.
    async fn client(&self, total: Duration) -> Client {
        let store = Arc::new(InMemoryTokenStore::new());
        store
            .save(AccessToken::new("tok-1", Duration::from_secs(3600)))
            .await;
        Client::builder()
            .base_url(format!("http://{}", self.addr))
            .app_id("app-1")
            .secret("test-secret-value")
            .token_store(store)
            .timeout(total)
            .build()
            .unwrap()
    }
}

impl Drop for Trickle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[tokio::test]
async fn a_download_slower_than_the_total_time_out_succeeds_while_bytes_keep_coming() {
    let server = Trickle::start(8, 1024, Duration::from_millis(100), false).await;
    // Eight pieces 100 ms apart take 800 ms; the client's total time-out is 300 ms.
    let client = server.client(Duration::from_millis(300)).await;
    let uri: MxcUri = "mxc://example.org/big".parse().unwrap();
    let mut out = Vec::new();
    let (content_type, written) = client
        .media()
        .idle_timeout(Duration::from_secs(5))
        .download_to(&uri, &mut out)
        .await
        .unwrap();
    assert_eq!(content_type.as_deref(), Some("application/octet-stream"));
    assert_eq!((written, out.len()), (8 * 1024, 8 * 1024));
    let download = client
        .media()
        .idle_timeout(Duration::from_secs(5))
        .download(&uri)
        .await
        .unwrap();
    assert_eq!(download.bytes.len(), 8 * 1024);
    assert_eq!(server.requests.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_download_that_stops_moving_ends_with_a_time_out_after_the_idle_time() {
    let server = Trickle::start(2, 16, Duration::from_millis(10), true).await;
    let client = server.client(Duration::from_secs(60)).await;
    let uri: MxcUri = "mxc://example.org/stuck".parse().unwrap();
    let mut out = Vec::new();
    let error = client
        .media()
        .idle_timeout(Duration::from_millis(300))
        .download_to(&uri, &mut out)
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert!(error.to_string().contains("no data for"), "{error}");
    assert_eq!(out.len(), 32, "what came before the stall stays written");
}

/// A writer that takes `room` bytes and then fails as a full disk does.
struct FullDisk {
    room: usize,
}

impl tokio::io::AsyncWrite for FullDisk {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        if self.room == 0 {
            return std::task::Poll::Ready(Err(std::io::Error::from(
                std::io::ErrorKind::StorageFull,
            )));
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        std::task::Poll::Ready(Ok(n))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

#[tokio::test]
async fn a_write_failure_is_a_local_write_error_with_the_io_error_as_its_source() {
    let server = TestServer::with_tokens(|_, _| Reply::bytes("image/png", &[7; 4096])).await;
    let client = server.client().build().unwrap();
    let uri: MxcUri = "mxc://example.org/abc".parse().unwrap();
    let error = client
        .media()
        .download_to(&uri, &mut FullDisk { room: 100 })
        .await
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::Local);
    let text = error.to_string();
    assert!(!text.contains("not sent"), "{text}");
    assert!(text.contains("cannot write"), "{text}");
    let source = std::error::Error::source(&error).expect("the io::Error as source");
    let io = source.downcast_ref::<std::io::Error>().unwrap();
    assert_eq!(io.kind(), std::io::ErrorKind::StorageFull);
}

#[tokio::test]
async fn a_download_to_a_file_names_the_file_when_it_cannot_be_written() {
    let server = TestServer::with_tokens(|_, _| Reply::bytes("image/png", b"png")).await;
    let client = server.client().build().unwrap();
    let uri: MxcUri = "mxc://example.org/abc".parse().unwrap();
    let dir = std::env::temp_dir().join(format!("finchat-api-media-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let missing = dir.join("no-such-folder").join("out.png");
    let error = client
        .media()
        .download_to_file(&uri, &missing)
        .await
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::Local);
    assert!(
        error.to_string().contains(&missing.display().to_string()),
        "{error}"
    );
    assert!(std::error::Error::source(&error).is_some());

    let target = dir.join("out.png");
    let (content_type, written) = client
        .media()
        .download_to_file(&uri, &target)
        .await
        .unwrap();
    assert_eq!((content_type.as_deref(), written), (Some("image/png"), 3));
    assert_eq!(std::fs::read(&target).unwrap(), b"png");
    std::fs::remove_dir_all(&dir).ok();
}
