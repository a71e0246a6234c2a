//! The sandbox as a server: a client that sends its request slowly (slow-loris) is disconnected
//! after the read timeout instead of holding a connection forever (issue 12, item 8).

use std::time::Duration;

use finchat_sandbox::SandboxConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::start;

/// Writes `start` and then nothing more; what the server sent before it closed the connection.
/// Fails the test when the connection is still open after 20 s (the server's timeout is 200 ms).
async fn stall_after(addr: std::net::SocketAddr, start: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(start).await.unwrap();
    let mut answer = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(20), async {
        let mut buffer = [0u8; 1024];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    assert!(
        closed.is_ok(),
        "the sandbox kept a stalled connection open; it sent {:?}",
        String::from_utf8_lossy(&answer)
    );
    answer
}

#[tokio::test]
async fn a_client_that_stops_in_the_middle_of_its_headers_is_disconnected() {
    let sandbox = start(SandboxConfig::new().read_timeout(Duration::from_millis(200))).await;
    let answer = stall_after(
        sandbox.addr(),
        b"GET /sandbox/api/rev HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
    )
    .await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(!answer.starts_with("HTTP/1.1 200"), "{answer}");

    let half_a_line = stall_after(sandbox.addr(), b"GET /sandbox/a").await;
    assert!(!String::from_utf8_lossy(&half_a_line).starts_with("HTTP/1.1 200"));

    // The server still serves everyone else.
    let rev = reqwest::get(format!("{}/sandbox/api/rev", sandbox.url))
        .await
        .unwrap();
    assert_eq!(rev.status(), 200);
}

#[tokio::test]
async fn a_client_that_stops_in_the_middle_of_its_body_is_disconnected() {
    let sandbox = start(SandboxConfig::new().read_timeout(Duration::from_millis(200))).await;
    let head = "POST /sandbox/api/say HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"as\": ";
    let answer = stall_after(sandbox.addr(), head.as_bytes()).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(!answer.starts_with("HTTP/1.1 2"), "{answer}");
    assert!(
        sandbox
            .handle
            .messages(&crate::support::room("direct-alice"))
            .is_empty()
    );
}
