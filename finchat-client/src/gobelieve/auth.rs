//! GoBelieve's two ways to authenticate: the app server's Basic credentials made from the app id and
//! the MD5 of its secret, and a user's Bearer token.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest, Md5};

use crate::Secret;

/// The `Authorization` value of the server-side calls:
/// `Basic base64("{appid}:{hex(md5(appsecret))}")`, with the MD5 in lowercase hex.
///
/// ```
/// use finchat_client::{Secret, gobelieve::server_authorization};
/// let header = server_authorization(7, &Secret::new("test-secret"));
/// assert!(header.expose().starts_with("Basic "));
/// ```
pub fn server_authorization(appid: u64, app_secret: &Secret) -> Secret {
    let credentials = format!("{appid}:{}", hex_md5(app_secret.expose()));
    Secret::new(format!("Basic {}", STANDARD.encode(credentials)))
}

/// The `Authorization` value of the client-side calls: `Bearer {token}`.
pub(crate) fn bearer(token: &Secret) -> Secret {
    Secret::new(format!("Bearer {}", token.expose()))
}

/// The MD5 of `text`'s UTF-8 bytes, as 32 lowercase hex digits.
fn hex_md5(text: &str) -> String {
    Md5::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_is_lowercase_hex_of_the_rfc_1321_vectors() {
        assert_eq!(hex_md5(""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex_md5("abc"), "900150983cd24fb0d6963f7d28e17f72");
    }
}
