//! A fake GoBelieve server: the answers its calls expect, and the server authorization of app 7.

use serde_json::json;

use crate::server::{Recorded, Reply};

/// `Basic base64("7:" + hex(md5("test-secret")))`, computed apart from this crate (Python's hashlib
/// and base64): md5("test-secret") = 2318ed020bcddb328eab6db7800b2f80.
pub const SERVER_AUTH: &str = "Basic NzoyMzE4ZWQwMjBiY2RkYjMyOGVhYjZkYjc4MDBiMmY4MA==";

/// A client of `server`: app 7, secret `test-secret`, fast retries.
/// Answers with `{"data": …}` for the calls that return something, an empty 200 for the others.
pub fn answer(request: &Recorded) -> Reply {
    match (request.method.as_str(), request.path.as_str()) {
        ("POST", "/auth/grant") => Reply::ok(json!({"data": {"token": "user-token-1"}})),
        ("POST", "/groups" | "/client/groups") => Reply::ok(json!({"data": {"group_id": 42}})),
        _ => Reply::bytes("application/json", b""),
    }
}
