//! The checks of FinChat's textual forms, in one place: finchat-cui runs them when a value is parsed,
//! and the `cui!` macro runs the same functions on literals at compile time, so a literal the macro
//! accepts is one the types accept.
//!
//! ```
//! assert_eq!(finchat_cui_rules::check_mxc("mxc://example.org/abc"), Ok(17));
//! assert_eq!(finchat_cui_rules::check_mxc("https://x/y"), Err("does not start with `mxc://`"));
//! assert!(finchat_cui_rules::check_http_url("ftp://example.org").is_err());
//! ```

/// The documented card and reply-button statuses.
pub const STATUSES: &[&str] = &["input", "loading", "disable"];
/// The documented text-card open types.
pub const OPENTYPES: &[&str] = &["inapp", "inbrowser"];

/// A Matrix-style `<sigil><opaque>:<server>` id; the error says what is wrong.
///
/// # Errors
///
/// A short reason when `input` does not start with `sigil`, has no `:server` part, has an empty
/// part before `:`, or has a bad server name (see [`check_server_name`]).
pub fn check_sigil_id(input: &str, sigil: char) -> Result<(), &'static str> {
    let Some(rest) = input.strip_prefix(sigil) else {
        return Err(match sigil {
            '@' => "does not start with `@`",
            '!' => "does not start with `!`",
            _ => "does not start with `$`",
        });
    };
    let Some((local, server)) = rest.split_once(':') else {
        return Err("has no `:server` part");
    };
    if local.is_empty() {
        return Err("has an empty part before `:`");
    }
    check_server_name(server)
}

/// A server name: a host with an optional port, without spaces, slashes or control characters.
///
/// # Errors
///
/// A short reason when `server` is empty or holds whitespace, a control character, `/`, `?`, `#` or
/// `@`.
pub fn check_server_name(server: &str) -> Result<(), &'static str> {
    if server.is_empty() {
        return Err("has an empty server name");
    }
    if server
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '?' | '#' | '@'))
    {
        return Err("has a server name with a space, `/`, `?`, `#` or `@` in it");
    }
    Ok(())
}

/// `mxc://server/media-id` with the media id in `A-Z a-z 0-9 _ -`. Returns where the server name ends.
///
/// # Errors
///
/// A short reason when `input` does not start with `mxc://`, has no `/media-id` part or a bad
/// server name, or its media id is empty or holds other characters.
pub fn check_mxc(input: &str) -> Result<usize, &'static str> {
    let Some(rest) = input.strip_prefix("mxc://") else {
        return Err("does not start with `mxc://`");
    };
    let Some((server, media)) = rest.split_once('/') else {
        return Err("has no `/media-id` part");
    };
    check_server_name(server)?;
    if media.is_empty() {
        return Err("has an empty media id");
    }
    if !media
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err("has a media id with characters other than `A-Z a-z 0-9 _ -`");
    }
    Ok("mxc://".len() + server.len())
}

/// An absolute `http`/`https` URL with a host and no whitespace; the error says what is wrong.
///
/// # Errors
///
/// The reason when `input` holds whitespace, does not parse as a URL (the parser's message), has a
/// scheme other than `http` or `https`, or has no host.
pub fn check_http_url(input: &str) -> Result<(), String> {
    if input.chars().any(char::is_whitespace) {
        return Err("it contains whitespace".into());
    }
    let url = url::Url::parse(input).map_err(|e| e.to_string())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "the scheme is `{}`, not `http` or `https`",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("it has no host".into());
    }
    Ok(())
}

/// A CSS colour safe to put in a style sheet: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, or a name.
pub fn check_color(input: &str) -> bool {
    match input.strip_prefix('#') {
        Some(hex) => {
            matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => {
            !input.is_empty() && input.len() <= 32 && input.bytes().all(|b| b.is_ascii_alphabetic())
        }
    }
}

/// This crate's README, whose examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;
