//! A client that sends its request slowly is cut off: headers that do not arrive in time close the
//! connection, a body that does not arrive in time is 408 (issue 12, item 8).

use std::time::Duration;

use finchat_client::receiver::Server;
use finchat_client::{Dispatcher, Receiver};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::receiver::{TOKEN, serve, text};

/// Everything the server sends until it closes the connection; panics if it has not closed it
/// after 10 s.
async fn read_until_closed(connection: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), async {
        // A reset also counts as closed.
        connection.read_to_end(&mut answer).await.ok();
    })
    .await
    .expect("the server still holds the connection open after 10 s");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_client_that_sends_half_its_headers_is_disconnected() {
    let receiver = Receiver::new(Dispatcher::new(()), TOKEN).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = Server::new().header_read_timeout(Duration::from_millis(300));
    tokio::spawn(server.serve(listener, receiver.router(), std::future::pending()));

    let mut connection = TcpStream::connect(addr).await.unwrap();
    connection
        .write_all(b"PUT /callback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty")
        .await
        .unwrap();
    read_until_closed(&mut connection).await;
}

#[tokio::test]
async fn the_server_still_answers_a_whole_request() {
    let receiver = Receiver::new(Dispatcher::new(()), TOKEN).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(Server::new().serve(listener, receiver.router(), std::future::pending()));
    let status = reqwest::Client::new()
        .put(format!("http://{addr}/callback"))
        .json(&text("$1:x", "hello"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_is_408() {
    let receiver = Receiver::new(Dispatcher::new(()), TOKEN)
        .unwrap()
        .body_read_timeout(Duration::from_millis(300));
    let addr = serve(receiver).await;
    let mut connection = TcpStream::connect(addr).await.unwrap();
    connection
        .write_all(
            b"PUT /callback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"token\": ",
        )
        .await
        .unwrap();
    let answer = read_until_closed(&mut connection).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}
