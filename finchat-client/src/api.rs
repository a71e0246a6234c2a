//! The API areas, one module each: `client.messages()`, `client.media()`, …

pub mod apps;
pub mod auth;
pub mod contacts;
pub mod forwarder;
pub mod identity;
pub mod media;
pub mod messages;
pub mod received;
pub mod report;
pub mod rooms;
pub mod users;

/// `value` as one path segment: ids may hold `/`, `?`, `#` or `%`, which would change the path, and an
/// empty id, `.` or `..` would name another resource, so those are refused.
pub(crate) fn segment(value: &str) -> Result<String, crate::Error> {
    if matches!(value, "" | "." | "..") {
        return Err(crate::Error::refused(format!(
            "the id `{value}` cannot be a segment of the URL's path; give a real id"
        )));
    }
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        // RFC 3986 `pchar`: unreserved, sub-delims, `:` and `@` stay as they are.
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::segment;

    #[test]
    fn a_segment_keeps_ids_readable_and_escapes_what_would_change_the_path() {
        let ok = |value: &str| segment(value).unwrap();
        assert_eq!(
            ok("!jEsUZKDJdhlrceRyVU:example.org"),
            "!jEsUZKDJdhlrceRyVU:example.org"
        );
        assert_eq!(ok("@alice:example.org"), "@alice:example.org");
        assert_eq!(ok("a/b?c#d%e f"), "a%2Fb%3Fc%23d%25e%20f");
        assert_eq!(ok("部门"), "%E9%83%A8%E9%97%A8");
        for bad in ["", ".", ".."] {
            assert!(segment(bad).is_err(), "{bad:?}");
        }
    }
}
