//! The FuXin token source's schedule on a paused clock, with a fake fetcher instead of HTTP (a
//! paused clock would jump ahead while a real socket waits): refresh at 80–90 % of the token's
//! life, a configurable window, the fallback to `getAccessToken`, a still-valid token kept through
//! failures, one fetch for concurrent callers, the background refresher, and renewal after a 401.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use finchat_client::Secret;
use finchat_client::fuxin::{Error, FetchFuture, TokenFetcher, TokenGrant, TokenSource};
use tokio::time::{Instant, advance};

const LIFE: Duration = Duration::from_secs(7200);

/// Hands out `access-<n>` / `refresh-<n>` for two hours, logs every call, fails on demand.
#[derive(Clone, Default)]
struct Fake {
    log: Arc<Mutex<Vec<String>>>,
    issued: Arc<AtomicUsize>,
    fail_refresh: Arc<AtomicBool>,
    fail_get: Arc<AtomicBool>,
    no_refresh_token: Arc<AtomicBool>,
    /// How long each fetch takes (on the paused clock).
    latency: Duration,
}

impl Fake {
    fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    async fn issue(&self, entry: String, fail: &AtomicBool) -> Result<TokenGrant, Error> {
        self.log.lock().unwrap().push(entry.clone());
        tokio::time::sleep(self.latency).await;
        if fail.load(Ordering::SeqCst) {
            return Err(Error::fetch_failed(format!("{entry} failed")));
        }
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let refresh = (!self.no_refresh_token.load(Ordering::SeqCst))
            .then(|| Secret::new(format!("refresh-{n}")));
        Ok(TokenGrant::new(format!("access-{n}"), LIFE, refresh))
    }
}

impl TokenFetcher for Fake {
    fn get_access_token(&self) -> FetchFuture<'_> {
        Box::pin(self.issue("get".into(), &self.fail_get))
    }

    fn refresh_token<'a>(&'a self, refresh_token: &'a Secret) -> FetchFuture<'a> {
        let entry = format!("refresh {}", refresh_token.expose());
        Box::pin(self.issue(entry, &self.fail_refresh))
    }
}

async fn token(source: &TokenSource) -> String {
    source.token().await.unwrap().expose().to_owned()
}

/// `share` of the lifetime, e.g. 0.8 for 80 %.
fn of_life(share: f64) -> Duration {
    LIFE.mul_f64(share)
}

#[tokio::test(start_paused = true)]
async fn the_token_is_kept_until_80_percent_of_its_life_and_refreshed_by_90_percent() {
    let fake = Fake::default();
    let source = TokenSource::builder(fake.clone()).build();
    assert_eq!(token(&source).await, "access-1");
    advance(of_life(0.8) - Duration::from_secs(1)).await;
    assert_eq!(token(&source).await, "access-1");
    assert_eq!(fake.log(), ["get"], "20 % and more left: no refresh");
    advance(of_life(0.1) + Duration::from_secs(2)).await;
    assert_eq!(token(&source).await, "access-2");
    assert_eq!(fake.log(), ["get", "refresh refresh-1"]);
}

#[tokio::test(start_paused = true)]
async fn each_refresh_point_is_drawn_inside_the_default_window() {
    for _ in 0..50 {
        let source = TokenSource::builder(Fake::default()).build();
        let start = Instant::now();
        token(&source).await;
        let point = source.next_refresh().await.unwrap() - start;
        assert!(
            point >= of_life(0.8) && point <= of_life(0.9),
            "refresh at {point:?}, not within 80–90 % of {LIFE:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_configured_window_moves_the_refresh_point() {
    let fake = Fake::default();
    let source = TokenSource::builder(fake.clone())
        .refresh_when_left(0.5..=0.5)
        .build();
    token(&source).await;
    advance(Duration::from_secs(3599)).await;
    assert_eq!(token(&source).await, "access-1");
    advance(Duration::from_secs(1)).await;
    assert_eq!(token(&source).await, "access-2", "half the life left");
    assert_eq!(fake.log(), ["get", "refresh refresh-1"]);
}

#[tokio::test(start_paused = true)]
async fn a_failed_refresh_falls_back_to_get_access_token() {
    let fake = Fake::default();
    let source = TokenSource::builder(fake.clone()).build();
    token(&source).await;
    fake.fail_refresh.store(true, Ordering::SeqCst);
    advance(of_life(0.9)).await;
    assert_eq!(token(&source).await, "access-2");
    assert_eq!(fake.log(), ["get", "refresh refresh-1", "get"]);
}

#[tokio::test(start_paused = true)]
async fn a_valid_token_is_used_while_renewal_fails_and_renewal_is_tried_again_later() {
    let fake = Fake::default();
    let source = TokenSource::builder(fake.clone())
        .retry_after_failure(Duration::from_secs(60))
        .build();
    token(&source).await;
    fake.fail_refresh.store(true, Ordering::SeqCst);
    fake.fail_get.store(true, Ordering::SeqCst);
    advance(of_life(0.9)).await;
    assert_eq!(token(&source).await, "access-1", "still valid");
    assert_eq!(token(&source).await, "access-1");
    assert_eq!(
        fake.log().len(),
        3,
        "get, refresh, get; then no try for 60 s"
    );
    advance(Duration::from_secs(60)).await;
    assert_eq!(token(&source).await, "access-1");
    assert_eq!(fake.log().len(), 5, "tried again after 60 s");
    advance(of_life(0.1)).await;
    let error = source.token().await.unwrap_err();
    assert_eq!(error.to_string(), "no token: get failed");
    fake.fail_get.store(false, Ordering::SeqCst);
    assert_eq!(token(&source).await, "access-2");
}

#[tokio::test(start_paused = true)]
async fn concurrent_callers_share_one_fetch_and_one_refresh() {
    let fake = Fake {
        latency: Duration::from_secs(1),
        ..Fake::default()
    };
    let source = TokenSource::builder(fake.clone()).build();
    let callers = |source: &TokenSource| {
        (0..10)
            .map(|_| {
                let source = source.clone();
                tokio::spawn(async move { token(&source).await })
            })
            .collect::<Vec<_>>()
    };
    for caller in callers(&source) {
        assert_eq!(caller.await.unwrap(), "access-1");
    }
    advance(of_life(0.9)).await;
    for caller in callers(&source) {
        assert_eq!(caller.await.unwrap(), "access-2");
    }
    assert_eq!(fake.log(), ["get", "refresh refresh-1"]);
}

#[tokio::test(start_paused = true)]
async fn the_background_refresher_refreshes_on_time_without_calls() {
    let fake = Fake::default();
    let source = TokenSource::builder(fake.clone())
        .refresh_when_left(0.15..=0.15)
        .build();
    let refresher = source.refresh_in_background();
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(fake.log(), ["get"]);
    tokio::time::sleep(of_life(0.85) - Duration::from_secs(2)).await;
    assert_eq!(fake.log(), ["get"], "not yet at 85 %");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(fake.log(), ["get", "refresh refresh-1"]);
    tokio::time::sleep(of_life(0.85)).await;
    assert_eq!(fake.log().len(), 3, "and again for the next token");
    refresher.abort();
}

#[tokio::test(start_paused = true)]
async fn a_refused_token_is_renewed_with_get_access_token_once_for_all_callers() {
    let fake = Fake::default();
    let source = TokenSource::builder(fake.clone()).build();
    let refused = source.token().await.unwrap();
    assert_eq!(source.renew(&refused).await.unwrap().expose(), "access-2");
    assert_eq!(
        source.renew(&refused).await.unwrap().expose(),
        "access-2",
        "already replaced: no second fetch"
    );
    assert_eq!(fake.log(), ["get", "get"]);
}

#[tokio::test(start_paused = true)]
async fn without_a_refresh_token_the_source_asks_get_access_token_again() {
    let fake = Fake::default();
    fake.no_refresh_token.store(true, Ordering::SeqCst);
    let source = TokenSource::builder(fake.clone()).build();
    token(&source).await;
    advance(of_life(0.9)).await;
    assert_eq!(token(&source).await, "access-2");
    assert_eq!(fake.log(), ["get", "get"]);
}
