//! A fake FuXin token service: the two token calls answered with numbered grants.

use serde_json::json;

use crate::server::{Recorded, Reply, TestServer};

/// The path of FuXin's getAccessToken call.
pub const GET: &str = "/gateway/oauth2/token/getAccessToken";
/// The path of FuXin's refreshToken call.
pub const REFRESH: &str = "/gateway/oauth2/token/refreshToken";

/// A grant in FuXin's envelope: `access-<n>` and `refresh-<n>`, two hours.
pub fn grant(n: usize) -> Reply {
    Reply::ok(json!({
        "data": {"accessToken": format!("access-{n}"), "expireIn": 7200, "refreshToken": format!("refresh-{n}")},
        "error": null, "errorCode": 0, "success": true
    }))
}

/// Answers the token calls with numbered grants; everything else with `other`.
pub async fn token_server(
    other: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
) -> TestServer {
    TestServer::start(move |request, earlier| {
        let is_token = |r: &Recorded| r.path.ends_with(GET) || r.path.ends_with(REFRESH);
        if is_token(request) {
            let n = earlier.iter().filter(|r| is_token(r)).count();
            grant(n + 1)
        } else {
            other(request)
        }
    })
    .await
}
