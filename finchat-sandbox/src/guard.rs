//! What keeps other web pages out (issue 12, items 23 and 24): the `Host` check against DNS
//! rebinding, the `Origin` check against forged submissions, JSON only as `application/json`, and
//! the headers that keep a served file or the page from being turned against the sandbox.
//!
//! The rules:
//! - **Host.** The page and its helpers (`/`, `/sandbox/…`) answer only a request addressed to a
//!   name that cannot be rebound: `localhost`, an IP address (`127.0.0.1`, `[::1]`, the LAN
//!   address of a sandbox served on `0.0.0.0`), or a name given with
//!   [`SandboxConfig::allowed_host`](crate::SandboxConfig::allowed_host); any other gets `421
//!   Misdirected Request`. The port is not compared: a port mapping (`docker -p 18008:8008`) or a
//!   proxy changes it, and a name that cannot be rebound is safe on any port. The API (`/api/…`)
//!   answers bots under any name (a container reaches the sandbox by its service name), but not a
//!   browser (a request with `Origin` or `Sec-Fetch-Site`) on a name that could be rebound.
//! - **Origin.** A POST (or any method but GET, HEAD and OPTIONS) must carry the sandbox's own
//!   origin (`http://` or `https://` and the `Host` it was sent to), else `403`. Without an
//!   `Origin`, a form post is taken only with `Sec-Fetch-Site: same-origin`; a JSON post (or an
//!   API call) only when nothing says it comes from another site: a program sends neither header,
//!   and a browser cannot send `application/json` to another origin without a CORS preflight, which
//!   the sandbox never grants.
//! - **JSON.** The JSON endpoints (`POST /sandbox/api/…`) take only `Content-Type:
//!   application/json` (`415` otherwise), which a cross-site "simple" request cannot carry.

use std::net::IpAddr;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::SandboxConfig;
use super::shared::Shared;

/// The page's policy: its own script (`/sandbox/page.js`) and nothing inline; inline styles (the
/// page's stylesheet and the cards' dividers); images and fetches from the sandbox only; forms post
/// to the sandbox only; never framed.
pub(crate) const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self'; connect-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

/// An uploaded file's policy: nothing runs, nothing loads, and a document is put in a unique origin.
pub(crate) const MEDIA_POLICY: &str = "default-src 'none'; sandbox";

/// Why a request was turned away.
enum Refused {
    /// Addressed to a name that could be rebound to the sandbox: `421`.
    Host(String),
    /// From another origin, or not saying where from: `403`.
    Origin(String),
    /// A JSON endpoint without `application/json`: `415`.
    ContentType(String),
}

impl Refused {
    fn status(&self) -> StatusCode {
        match self {
            Refused::Host(_) => StatusCode::MISDIRECTED_REQUEST,
            Refused::Origin(_) => StatusCode::FORBIDDEN,
            Refused::ContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        }
    }

    fn reason(&self) -> &str {
        match self {
            Refused::Host(why) | Refused::Origin(why) | Refused::ContentType(why) => why,
        }
    }

    /// The answer of a page route: JSON under `/sandbox/api/`, text elsewhere.
    fn page_response(&self, json_route: bool) -> Response {
        tracing::warn!(
            status = self.status().as_u16(),
            reason = self.reason(),
            "sandbox request refused"
        );
        if json_route {
            (self.status(), Json(json!({ "error": self.reason() }))).into_response()
        } else {
            (self.status(), self.reason().to_owned()).into_response()
        }
    }

    /// The answer of an API route, in the API's error shape.
    fn api_response(&self) -> Response {
        tracing::warn!(
            status = self.status().as_u16(),
            reason = self.reason(),
            "sandbox api call refused"
        );
        let body = json!({ "errcode": "FC_FORBIDDEN", "error": self.reason() });
        (self.status(), Json(body)).into_response()
    }
}

/// The `Host` a request was sent to (the header, or the authority of an absolute URI).
fn host_of(request: &Request) -> Option<String> {
    request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.as_str().to_owned()))
}

/// The name of a `Host` value without its port, lower-case, brackets kept off an IPv6 address.
fn host_name(host: &str) -> String {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
            _ => host,
        }
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether `host` names the sandbox in a way no DNS rebinding can take over.
fn host_allowed(config: &SandboxConfig, host: &str) -> bool {
    let name = host_name(host);
    name == "localhost"
        || name.parse::<IpAddr>().is_ok()
        || config
            .allowed_hosts
            .iter()
            .any(|allowed| host_name(allowed) == name)
}

fn check_host(config: &SandboxConfig, request: &Request) -> Result<(), Refused> {
    match host_of(request) {
        // Not a browser: every browser names the host.
        None => Ok(()),
        Some(host) if host_allowed(config, &host) => Ok(()),
        Some(host) => Err(Refused::Host(format!(
            "the sandbox is not served as `{}`: use 127.0.0.1, localhost or its IP address, or \
             allow the name with SandboxConfig::allowed_host",
            host_name(&host)
        ))),
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).map(|v| v.to_str().unwrap_or("\u{fffd}"))
}

/// Checks that a state-changing request comes from the sandbox's own origin. `quiet_is_fine`: a
/// request that says nothing about where it comes from (a program) is taken.
fn check_origin(request: &Request, quiet_is_fine: bool) -> Result<(), Refused> {
    let headers = request.headers();
    let host = host_of(request).unwrap_or_default();
    match header_text(headers, header::ORIGIN) {
        Some(origin) => {
            let own = ["http://", "https://"].iter().any(|scheme| {
                origin
                    .strip_prefix(scheme)
                    .is_some_and(|rest| rest.eq_ignore_ascii_case(&host))
            });
            if own {
                Ok(())
            } else {
                Err(Refused::Origin(format!(
                    "a request from `{origin}` cannot change the sandbox; only its own page can"
                )))
            }
        }
        None => match header_text(headers, header::HeaderName::from_static("sec-fetch-site")) {
            Some("same-origin") => Ok(()),
            Some(site) => Err(Refused::Origin(format!(
                "a {site} request cannot change the sandbox; only its own page can"
            ))),
            None if quiet_is_fine => Ok(()),
            None => Err(Refused::Origin(
                "a form post without an Origin header cannot change the sandbox; post it from \
                 the sandbox's page"
                    .into(),
            )),
        },
    }
}

fn check_json(request: &Request) -> Result<(), Refused> {
    let essence = header_text(request.headers(), header::CONTENT_TYPE)
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if essence.as_deref() == Some("application/json") {
        Ok(())
    } else {
        Err(Refused::ContentType(format!(
            "send the body as JSON with `Content-Type: application/json` (not `{}`)",
            essence.as_deref().unwrap_or("none")
        )))
    }
}

/// Sets `name` unless the handler did.
fn default_header(response: &mut Response, name: header::HeaderName, value: &'static str) {
    response
        .headers_mut()
        .entry(name)
        .or_insert(HeaderValue::from_static(value));
}

/// The page routes' guard: Host, Origin and JSON checks; `nosniff` and the page's policy on every
/// answer.
pub(crate) async fn page(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let json_route = request.uri().path().starts_with("/sandbox/api/");
    let checked = check_host(&shared.config, &request).and_then(|()| {
        if is_safe(request.method()) {
            return Ok(());
        }
        if json_route {
            check_json(&request)?;
        }
        check_origin(&request, json_route)
    });
    let mut response = match checked {
        Ok(()) => next.run(request).await,
        Err(refused) => refused.page_response(json_route),
    };
    default_header(&mut response, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    default_header(&mut response, header::CONTENT_SECURITY_POLICY, PAGE_POLICY);
    response
}

/// The API routes' guard: bots (no `Origin`, no `Sec-Fetch-Site`) under any name; a browser only
/// on a name that cannot be rebound and, to change anything, from the sandbox's own origin.
pub(crate) async fn api(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let from_a_browser = headers.contains_key(header::ORIGIN)
        || headers.contains_key(header::HeaderName::from_static("sec-fetch-site"));
    let checked = if from_a_browser {
        check_host(&shared.config, &request).and_then(|()| {
            if is_safe(request.method()) {
                Ok(())
            } else {
                check_origin(&request, true)
            }
        })
    } else {
        Ok(())
    };
    let mut response = match checked {
        Ok(()) => next.run(request).await,
        Err(refused) => refused.api_response(),
    };
    default_header(&mut response, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    response
}

/// Whether a file of `content_type` may be shown inline: the raster image types a browser draws
/// without running anything (not SVG, which is a document with scripts).
pub(crate) fn shown_inline(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_lose_their_port_and_case() {
        assert_eq!(host_name("LocalHost:8008"), "localhost");
        assert_eq!(host_name("[::1]:8008"), "::1");
        assert_eq!(host_name("127.0.0.1"), "127.0.0.1");
        assert_eq!(host_name("example.org.:80"), "example.org");
        let config = SandboxConfig::new().allowed_host("Sandbox.Test:443");
        for host in [
            "localhost:1",
            "10.0.0.7:8008",
            "[fe80::1]:8",
            "sandbox.test",
        ] {
            assert!(host_allowed(&config, host), "{host}");
        }
        for host in [
            "evil.example:8008",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
        ] {
            assert!(!host_allowed(&config, host), "{host}");
        }
    }

    #[test]
    fn only_raster_images_are_inline() {
        assert!(shown_inline("image/png"));
        assert!(shown_inline("Image/JPEG; q=1"));
        assert!(!shown_inline("image/svg+xml"));
        assert!(!shown_inline("text/html"));
        assert!(!shown_inline(""));
    }
}
