//! Read timeouts (issue 12, item 8): `axum::serve` sets none, so a client that sends half a request
//! (slow-loris) would hold its connection, and a task, for as long as it likes.
//!
//! - The request line and headers must arrive within the read timeout: the sandbox serves through
//!   the receiver's [`Server`](finchat_client::receiver::Server), with its `header_read_timeout`.
//! - The body must not stall for longer than the read timeout between two chunks (tower-http's
//!   `TimeoutBody`, added by [`body_timeout`] to every route, also when the router is mounted
//!   elsewhere); the request then fails and the connection is closed.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
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
