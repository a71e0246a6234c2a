//! `HttpUrl`: an absolute `http`/`https` URL, kept byte for byte as written.

use crate::checked_string::checked_string;

/// Why a string is not an http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not an http(s) URL: {problem}")]
pub struct UrlError {
    input: String,
    problem: String,
}

/// An absolute `http://` or `https://` URL with a host, as link buttons and text cards need.
///
/// The text is kept exactly as given (no normalisation), so received content round-trips.
///
/// ```
/// use finchat_cui::HttpUrl;
/// let url: HttpUrl = "https://www.finogeeks.com/".parse()?;
/// assert_eq!(url.as_str(), "https://www.finogeeks.com/");
/// assert!("javascript:alert(1)".parse::<HttpUrl>().is_err());
/// assert!("/relative/path".parse::<HttpUrl>().is_err());
/// # Ok::<(), finchat_cui::UrlError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HttpUrl(Box<str>);

impl HttpUrl {
    /// Parses and checks `input`.
    ///
    /// # Errors
    ///
    /// A [`UrlError`] saying why when `input` holds whitespace, does not parse as a URL, has a
    /// scheme other than `http` or `https`, or has no host.
    pub fn parse(input: impl AsRef<str> + Into<String>) -> Result<Self, UrlError> {
        match finchat_cui_rules::check_http_url(input.as_ref()) {
            Ok(()) => Ok(Self(input.into().into_boxed_str())),
            Err(problem) => Err(UrlError {
                input: input.as_ref().to_owned(),
                problem,
            }),
        }
    }
}

checked_string!(HttpUrl, error = UrlError, schema = {
    "type": "string",
    "description": "An absolute http:// or https:// URL.",
    "format": "uri",
    "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+\\S*$",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_http_urls_with_a_host_pass() {
        for ok in [
            "https://example.org/home",
            "http://localhost:8008/x?y=1#z",
            "HTTPS://EXAMPLE.ORG",
        ] {
            assert!(HttpUrl::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "ftp://example.org",
            "example.org",
            "https://",
            "mailto:a@b.c",
            " https://example.org",
            "https://exa mple.org",
        ] {
            assert!(HttpUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_text_is_kept_as_written() {
        let url = HttpUrl::parse("HTTPS://Example.org").unwrap();
        assert_eq!(url.as_str(), "HTTPS://Example.org");
    }

    #[test]
    fn errors_name_the_scheme() {
        let err = HttpUrl::parse("ftp://example.org").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`ftp://example.org` is not an http(s) URL: the scheme is `ftp`, not `http` or `https`"
        );
    }
}
