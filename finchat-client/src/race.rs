//! Racing two futures without `tokio::select!`, which needs tokio's `macros` feature (and with it
//! syn): the polling consumer races its work against a shutdown.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

/// Which of the two futures given to [`first`] finished first, with its output.
pub(crate) enum First<A, B> {
    /// The first future.
    Left(A),
    /// The second future.
    Right(B),
}

/// Polls `left` and `right` until one finishes (`left` first when both are ready); the other is
/// dropped unless it was passed by reference.
pub(crate) async fn first<A: Future, B: Future>(left: A, right: B) -> First<A::Output, B::Output> {
    let mut left = pin!(left);
    let mut right = pin!(right);
    poll_fn(|cx| {
        if let Poll::Ready(output) = left.as_mut().poll(cx) {
            return Poll::Ready(First::Left(output));
        }
        if let Poll::Ready(output) = right.as_mut().poll(cx) {
            return Poll::Ready(First::Right(output));
        }
        Poll::Pending
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::{First, first};

    #[test]
    fn the_ready_future_wins_and_left_wins_a_tie() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            let pending = std::future::pending::<()>();
            assert!(matches!(first(pending, async { 2 }).await, First::Right(2)));
            assert!(matches!(
                first(async { 1 }, async { 2 }).await,
                First::Left(1)
            ));
        });
    }
}
