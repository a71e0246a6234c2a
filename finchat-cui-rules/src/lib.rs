//! The checks of FinChat's textual forms, in one place: finchat-cui runs them when a value is parsed,
//! and the `cui!` macro runs the same functions on literals at compile time, so a literal the macro
//! accepts is one the types accept. The grammar of the card markup, which the macro and the run-time
//! templates both read with, is in [`grammar`].
//!
//! ```
//! assert_eq!(finchat_cui_rules::check_mxc("mxc://example.org/abc"), Ok(17));
//! assert_eq!(finchat_cui_rules::check_mxc("https://x/y"), Err("does not start with `mxc://`"));
//! assert!(finchat_cui_rules::check_http_url("ftp://example.org").is_err());
//! ```

pub mod grammar;
mod suggest;

pub use suggest::did_you_mean;

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

/// A Matrix server name: a host with an optional `:port` (1 to 5 digits), where the host is a DNS
/// name (labels of `A-Z a-z 0-9 -` joined by single dots; IPv4 addresses are written this way too)
/// or an IPv6 address in brackets (`[::1]`). Nothing else: a server name becomes a segment of URL
/// paths (media download), so `/`, `\`, `%`, dot segments and the like are refused.
///
/// # Errors
///
/// A short reason when `server` is empty, holds whitespace, a control character, `/`, `\`, `%`,
/// `?`, `#` or `@`, an empty label (`.`, `..`, `a..b`, a leading or trailing dot), another
/// character outside the host's alphabet, a bad `[IPv6]` address, or a port that is not 1 to 5
/// digits.
pub fn check_server_name(server: &str) -> Result<(), &'static str> {
    if server.is_empty() {
        return Err("has an empty server name");
    }
    if server.chars().any(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '/' | '\\' | '%' | '?' | '#' | '@')
    }) {
        return Err("has a server name with a space, `/`, `\\`, `%`, `?`, `#` or `@` in it");
    }
    let (host, port) = match server.strip_prefix('[') {
        Some(bracketed) => {
            let Some((address, rest)) = bracketed.split_once(']') else {
                return Err("has a server name with `[` but no `]`");
            };
            check_ipv6(address)?;
            match rest {
                "" => (None, None),
                _ => match rest.strip_prefix(':') {
                    Some(port) => (None, Some(port)),
                    None => return Err("has a server name with text after its `[IPv6]` address"),
                },
            }
        }
        None => match server.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(server), None),
        },
    };
    if let Some(host) = host {
        check_dns_name(host)?;
    }
    match port {
        Some(port)
            if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Err("has a server name whose port is not 1 to 5 digits")
        }
        _ => Ok(()),
    }
}

/// A DNS name (or dotted IPv4 address): non-empty labels of `A-Z a-z 0-9 -`, at most 255 in all.
fn check_dns_name(host: &str) -> Result<(), &'static str> {
    if host.split('.').any(str::is_empty) {
        return Err(
            "has a server name with an empty label (`.`, `..`, or a leading or trailing dot)",
        );
    }
    if host.len() > 255
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err("has a server name with characters other than `A-Z a-z 0-9 - .` in its host");
    }
    Ok(())
}

/// The inside of `[…]`: 2 to 45 of `0-9 A-F a-f : .`, with at least one `:`.
fn check_ipv6(address: &str) -> Result<(), &'static str> {
    let ok = (2..=45).contains(&address.len())
        && address.contains(':')
        && address
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    if ok {
        Ok(())
    } else {
        Err("has a server name whose `[IPv6]` address is not one")
    }
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
/// The reason when `input` holds whitespace, a control character or `\`, does not parse as a URL
/// (the parser's message), has a scheme other than `http` or `https` or does not start with it and
/// `://`, or has no host.
pub fn check_http_url(input: &str) -> Result<(), String> {
    if input.chars().any(char::is_whitespace) {
        return Err("it contains whitespace".into());
    }
    // The URL parser drops leading control characters and reads `\` as `/`; a URL that is sent
    // must be what every reader takes it for.
    if input.chars().any(char::is_control) {
        return Err("it contains a control character".into());
    }
    if input.contains('\\') {
        return Err("it contains `\\`".into());
    }
    let url = url::Url::parse(input).map_err(|e| e.to_string())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "the scheme is `{}`, not `http` or `https`",
            url.scheme()
        ));
    }
    // `https:host` and `https:/host` parse as `https://host`.
    let scheme_written = input
        .split_once("://")
        .is_some_and(|(scheme, _)| scheme.bytes().all(|b| b.is_ascii_alphabetic()));
    if !scheme_written {
        return Err("it does not start with `http://` or `https://`".into());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_names_are_hostnames_ipv4_or_bracketed_ipv6_with_an_optional_port() {
        for ok in [
            "example.org",
            "dev.finogeeks.club",
            "localhost",
            "localhost:8008",
            "127.0.0.1",
            "127.0.0.1:443",
            "[::1]",
            "[1234:5678::abcd]:8448",
            "my-host.example",
            "a",
        ] {
            assert_eq!(check_server_name(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn a_server_name_that_could_change_a_url_path_is_refused() {
        for bad in [
            "",
            ".",
            "..",
            "..\\..\\..\\privilege-api\\x",
            "a\\b",
            "a%2fb",
            "%2e%2e",
            "a/b",
            "a..b",
            ".example.org",
            "example.org.",
            "exa mple.org",
            "a?b",
            "a#b",
            "a@b",
            "a_b.example",
            "example.org:",
            "example.org:80a",
            "example.org:123456",
            "[::1",
            "[zz::1]",
            "::1",
            "部门.example",
        ] {
            assert!(check_server_name(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn an_http_url_is_refused_unless_it_reads_the_same_to_every_reader() {
        for url in [
            "\u{1}https://example.org/",
            "https://example.org/\u{7f}",
            "https:\\\\example.org/",
            "https:example.org/",
            "https:/example.org/",
        ] {
            assert!(check_http_url(url).is_err(), "{url:?} was accepted");
        }
        assert_eq!(check_http_url("HTTPS://example.org/a?b=c#d"), Ok(()));
    }

    #[test]
    fn an_mxc_uri_with_a_crafted_server_or_media_id_is_refused() {
        assert!(check_mxc("mxc://..\\..\\..\\privilege-api\\x/y").is_err());
        assert!(check_mxc("mxc://a/../../x").is_err());
        assert!(check_mxc("mxc://../x").is_err());
        assert!(check_mxc("mxc://a%2F..%2F/x").is_err());
        assert!(check_mxc("mxc://a/..").is_err());
        assert_eq!(check_mxc("mxc://localhost:8008/abc_-1"), Ok(20));
    }

    #[test]
    fn ids_with_a_crafted_server_name_are_refused() {
        assert!(check_sigil_id("@alice:..", '@').is_err());
        assert!(check_sigil_id("!room:a\\b", '!').is_err());
        assert_eq!(check_sigil_id("@alice:localhost:8008", '@'), Ok(()));
    }
}

/// This crate's README, whose examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;
