//! Serving the receiver on its own, like `axum::serve` but with a deadline on reading each request's
//! headers, so that a client that sends them slowly (or never) cannot hold connections open.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Serves a router over HTTP/1.1 with a header-read timeout: a connection whose request headers do
/// not all arrive in time is closed. `axum::serve` has none; use this one where the receiver faces
/// the network on its own. (The body-read timeout is the router's own:
/// [`Receiver::body_read_timeout`](crate::Receiver::body_read_timeout).)
///
/// ```no_run
/// # async fn demo(receiver: finchat_client::Receiver<()>) -> std::io::Result<()> {
/// use finchat_client::receiver::Server;
///
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// let ctrl_c = async { tokio::signal::ctrl_c().await.ok(); };
/// Server::new().serve(listener, receiver.router(), ctrl_c).await
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Server {
    header_read_timeout: Duration,
}

impl Default for Server {
    fn default() -> Self {
        Self::new()
    }
}

impl Server {
    /// A server whose clients have 10 s to send each request's headers.
    pub fn new() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
        }
    }

    /// How long a client may take to send a request's headers (default 10 s); the connection is
    /// closed when they are not all in by then.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Serves `router` on `listener` until `shutdown` completes, then stops accepting, lets the
    /// requests under way finish, and returns.
    ///
    /// # Errors
    ///
    /// None so far: a connection that cannot be accepted is logged and skipped (the listener keeps
    /// going, as `axum::serve` does); the `Result` leaves room for errors of setting up.
    pub async fn serve(
        self,
        listener: TcpListener,
        router: Router,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        // Each connection holds a receiver of `stop`; `stop.closed()` says when all have ended.
        let (stop, stopping) = watch::channel(false);
        tokio::pin!(shutdown);
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = &mut shutdown => break,
            };
            let (stream, _peer) = match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, say: wait a little rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let service = TowerToHyperService::new(router.clone());
            let mut stopping = stopping.clone();
            let header_read_timeout = self.header_read_timeout;
            tokio::spawn(async move {
                let connection = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(header_read_timeout)
                    .serve_connection(TokioIo::new(stream), service);
                tokio::pin!(connection);
                tokio::select! {
                    result = connection.as_mut() => {
                        if let Err(error) = result {
                            tracing::debug!(%error, "connection ended with an error");
                        }
                        return;
                    }
                    _ = stopping.changed() => connection.as_mut().graceful_shutdown(),
                }
                if let Err(error) = connection.await {
                    tracing::debug!(%error, "connection ended with an error");
                }
            });
        }
        // No new connections while the ones under way finish: they are refused, not left waiting.
        drop(listener);
        drop(stopping);
        stop.send(true).ok();
        stop.closed().await;
        Ok(())
    }
}
