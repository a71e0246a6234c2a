//! Serving the router on a listener with read timeouts (issue 12, item 8): `axum::serve` sets none,
//! so a client that sends half a request (slow-loris) would hold its connection, and a task, for as
//! long as it likes.
//!
//! - The request line and headers must arrive within the read timeout (hyper's
//!   `header_read_timeout`); an idle kept-alive connection is closed after it too.
//! - The body must not stall for longer than the read timeout between two chunks (tower-http's
//!   `TimeoutBody`, added by [`body_timeout`] to every route, also when the router is mounted
//!   elsewhere); the request then fails and the connection is closed.

use std::future::Future;
use std::io;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::timeout::TimeoutBody;

/// The router's middleware (with the read timeout as its state): every request body fails after
/// the read timeout passes without a chunk.
pub(crate) async fn body_timeout(
    State(timeout): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    let request = request.map(|body| Body::new(TimeoutBody::new(timeout, body)));
    next.run(request).await
}

/// Serves `router` on `listener` until `stop` resolves, then lets the requests under way finish.
///
/// # Errors
///
/// None in practice: a failed `accept` (e.g. too many open files) is logged and retried after a
/// pause, as `axum::serve` does.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    read_timeout: Duration,
    stop: impl Future<Output = ()>,
) -> io::Result<()> {
    // Each connection holds a receiver: `stopping` tells them to finish, and `closed()` on the
    // sender resolves once every one of them has.
    let (stopping, connections) = watch::channel(false);
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "the sandbox cannot accept a connection; retrying in 1 s");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let service = TowerToHyperService::new(router.clone());
        let mut stopping = connections.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(read_timeout);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            loop {
                tokio::select! {
                    result = connection.as_mut() => {
                        if let Err(error) = result {
                            tracing::debug!(%peer, %error, "sandbox connection closed");
                        }
                        break;
                    }
                    changed = stopping.changed() => {
                        connection.as_mut().graceful_shutdown();
                        if changed.is_err() {
                            // The server is gone: nothing else to wait for but the connection.
                            let _ = connection.as_mut().await;
                            break;
                        }
                    }
                }
            }
            drop(stopping);
        });
    }
    drop(listener);
    stopping.send_replace(true);
    drop(connections);
    stopping.closed().await;
    Ok(())
}
