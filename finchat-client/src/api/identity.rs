//! Identity (OIDC single sign-on): find the company's IAM, send the user to it, trade the code it
//! returns for the user's tokens, read who the user is, and refresh the tokens.
//!
//! The IAM is another host than the FinChat server. The app's id is its OIDC `client_id` and the
//! app's secret its OIDC secret, so the same [`Client`] makes these calls.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use finchat_cui::Fcid;

use super::received::MaybeId;
use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use crate::client::{Auth, Body, Call};
use crate::{Client, Error, Secret};

const IAM_INFO: &str = "/api/v1/finchat-control/iam-info";
const OPENID_CONNECT: &str = "realms/master/protocol/openid-connect";
/// What the API asks for: the user's id (`openid`) and profile.
const SCOPE: &str = "openid profile";

/// The identity calls: `client.identity()`.
///
/// ```no_run
/// # async fn demo(client: finchat_client::Client, code: &str) -> Result<(), finchat_client::Error> {
/// let identity = client.identity();
/// let Some(iam) = identity.iam_host().await? else {
///     return Ok(()); // this server has no IAM login
/// };
/// let redirect_uri = "https://app.example.org/oidc/callback";
/// // 1. Send the browser here; keep `state` in the user's session.
/// let url = identity.authorize_url(&iam, redirect_uri, "a-random-value-kept-in-the-session");
/// // 2. The IAM redirects back with `code` (and the same `state`: compare it).
/// let tokens = identity.exchange_code(&iam, code, redirect_uri).await?;
/// // 3. Who is it?
/// let user = identity.userinfo(&iam, &tokens.access_token).await?;
/// println!("{:?} is {:?}", user.name, user.fcid);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy)]
pub struct Identity<'a> {
    client: &'a Client,
}

impl Client {
    /// OIDC single sign-on with the company's IAM.
    pub fn identity(&self) -> Identity<'_> {
        Identity { client: self }
    }
}

/// The IAM's address (`IAM_HOST`), e.g. `https://iam.example.org/auth`.
///
/// The server's `iam-info` gives it with Keycloak's `/auth` prefix, while the API's address
/// templates add `/auth` once more (`{IAM_HOST}/auth/realms/…`) and their examples have one
/// `/auth` only. So `/auth` is added to the path only when it does not end with it already: both
/// `https://iam.example.org` and `https://iam.example.org/auth` reach
/// `https://iam.example.org/auth/realms/master/protocol/openid-connect/…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IamHost(Url);

impl IamHost {
    /// Parses an `http://` or `https://` URL.
    ///
    /// ```
    /// let iam = finchat_client::IamHost::parse("https://iam.example.org/auth")?;
    /// assert_eq!(iam.as_url().host_str(), Some("iam.example.org"));
    /// # Ok::<(), finchat_client::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`] of class `Local` when `url` is not a URL, or not an `http://` or `https://`
    /// one.
    pub fn parse(url: &str) -> Result<Self, Error> {
        let parsed = Url::parse(url)
            .map_err(|e| Error::config(format!("the IAM host `{url}` is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
            return Err(Error::config(format!(
                "the IAM host `{url}` must be an http:// or https:// URL"
            )));
        }
        Ok(Self(parsed))
    }

    /// The URL as given.
    pub fn as_url(&self) -> &Url {
        &self.0
    }

    /// The address of the OpenID Connect endpoint `name` (`auth`, `token`, `userinfo`).
    fn endpoint(&self, name: &str) -> Url {
        let mut url = self.0.clone();
        url.set_query(None);
        url.set_fragment(None);
        let base = url.path().trim_end_matches('/');
        let base = if base.ends_with("/auth") {
            base.to_owned()
        } else {
            format!("{base}/auth")
        };
        url.set_path(&format!("{base}/{OPENID_CONNECT}/{name}"));
        url
    }
}

impl std::fmt::Display for IamHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Identity<'_> {
    /// The IAM this FinChat server logs users in with (`GET {HOST}/api/v1/finchat-control/iam-info`,
    /// no authentication): the `url` of its `iam` login flow, or `None` when it has none.
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// match client.identity().iam_host().await? {
    ///     Some(iam) => println!("IAM at {iam}"),
    ///     None => println!("no IAM login"),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`]: the server's error answer, a transport failure or time-out, or class
    /// `MalformedResponse` when the answer or its `iam` flow's `url` cannot be read; see
    /// [`Error::class`].
    pub async fn iam_host(&self) -> Result<Option<IamHost>, Error> {
        #[derive(Deserialize)]
        struct IamInfo {
            #[serde(default)]
            flows: Vec<Flow>,
        }
        #[derive(Deserialize)]
        struct Flow {
            #[serde(rename = "type", default)]
            flow_type: String,
            #[serde(default)]
            url: Option<String>,
        }
        let call = Call::new(Method::GET, IAM_INFO).auth(Auth::None);
        let info: IamInfo = self.client.call_json(call).await?;
        let Some(url) = info
            .flows
            .into_iter()
            .filter(|f| f.flow_type == "iam")
            .find_map(|f| f.url)
        else {
            return Ok(None);
        };
        let iam = IamHost::parse(&url).map_err(|_| {
            Error::malformed(
                StatusCode::OK,
                format!("the `iam` flow's url `{url}` is not an http(s) URL"),
            )
            .in_call(format!("GET {IAM_INFO}"))
        })?;
        // An IAM in clear would carry the app's secret and the users' tokens in clear.
        self.client
            .check_other_host(iam.as_url())
            .map_err(|e| e.in_call(format!("GET {IAM_INFO}")))?;
        Ok(Some(iam))
    }

    /// Where to send the user's browser to log in: the IAM's authorization page, which redirects to
    /// `redirect_uri` with a one-time `code` (valid one minute) and `state`.
    ///
    /// `redirect_uri` is the address registered for the app, byte for byte: it is sent as given
    /// (not normalised) and must be the same in [`Identity::exchange_code`].
    ///
    /// `state` is not made here: it protects the redirect against forgery only when the app keeps
    /// it with the user's session (a cookie) and compares it with the `state` the redirect brings
    /// back, and this client has no session to keep it in. Use an unguessable value (e.g. 128
    /// random bits, hex), new for each login; it may also carry where to go after the login. The
    /// API makes it optional: an empty `state` is left out, and then there is no such protection.
    ///
    /// ```no_run
    /// # fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// let iam = finchat_client::IamHost::parse("https://iam.example.org/auth")?;
    /// let url = client.identity().authorize_url(&iam, "https://app.example.org/cb", "3f9c0a7e5b21d4c8");
    /// // https://iam.example.org/auth/realms/master/protocol/openid-connect/auth?client_id=…
    /// # Ok(())
    /// # }
    /// ```
    pub fn authorize_url(&self, iam: &IamHost, redirect_uri: &str, state: &str) -> Url {
        let mut url = iam.endpoint("auth");
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("client_id", self.client.app_id())
                .append_pair("redirect_uri", redirect_uri)
                .append_pair("response_type", "code")
                .append_pair("scope", SCOPE);
            if !state.is_empty() {
                query.append_pair("state", state);
            }
        }
        url
    }

    /// Trades the one-time `code` of the redirect for the user's tokens
    /// (`POST {IAM_HOST}/auth/realms/master/protocol/openid-connect/token`, authenticated with the
    /// app's id and secret). `redirect_uri` must be the one the code was asked with.
    ///
    /// The code is good for one use, so a failed request is not repeated unless it never reached
    /// the IAM.
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client, iam: finchat_client::IamHost) -> Result<(), finchat_client::Error> {
    /// let tokens = client
    ///     .identity()
    ///     .exchange_code(&iam, "0da8c2c4-5d39-4379-8246-3f7b4ab8b931", "https://app.example.org/cb")
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`] with the IAM's HTTP status when it refuses the exchange (class `BadRequest` for
    /// a used or expired code or another `redirect_uri`, `Unauthorized` for the app's id and
    /// secret), or a transport, time-out or unreadable-answer failure; see [`Error::class`].
    pub async fn exchange_code(
        &self,
        iam: &IamHost,
        code: &str,
        redirect_uri: &str,
    ) -> Result<OidcTokens, Error> {
        self.token(
            iam,
            vec![
                ("grant_type", "authorization_code".to_owned()),
                ("code", code.to_owned()),
                ("redirect_uri", redirect_uri.to_owned()),
                ("client_id", self.client.app_id().to_owned()),
            ],
        )
        .await
    }

    /// New tokens for the user when the access token has expired, in exchange for the refresh
    /// token (`POST {IAM_HOST}/auth/realms/master/protocol/openid-connect/token`,
    /// `grant_type=refresh_token`). Keep the answer's refresh token: it may replace the old one.
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client, iam: finchat_client::IamHost, tokens: finchat_client::OidcTokens) -> Result<(), finchat_client::Error> {
    /// if let Some(refresh_token) = &tokens.refresh_token {
    ///     let fresh = client.identity().refresh(&iam, refresh_token).await?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`] with the IAM's HTTP status when it refuses the refresh (class `BadRequest` for
    /// an expired or revoked refresh token, `Unauthorized` for the app's id and secret), or a
    /// transport, time-out or unreadable-answer failure; see [`Error::class`].
    pub async fn refresh(
        &self,
        iam: &IamHost,
        refresh_token: &Secret,
    ) -> Result<OidcTokens, Error> {
        self.token(
            iam,
            vec![
                ("grant_type", "refresh_token".to_owned()),
                ("refresh_token", refresh_token.expose().to_owned()),
            ],
        )
        .await
    }

    /// Who the user is (`GET {IAM_HOST}/auth/realms/master/protocol/openid-connect/userinfo`, with
    /// the user's access token).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client, iam: finchat_client::IamHost, tokens: finchat_client::OidcTokens) -> Result<(), finchat_client::Error> {
    /// let user = client.identity().userinfo(&iam, &tokens.access_token).await?;
    /// println!("{:?}", user.fcid);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`] of class `Unauthorized` when the IAM refuses the access token (expired or
    /// wrong), or a transport, time-out or unreadable-answer failure; see [`Error::class`].
    pub async fn userinfo(&self, iam: &IamHost, access_token: &Secret) -> Result<UserInfo, Error> {
        let call = Call::absolute(Method::GET, iam.endpoint("userinfo")).auth(Auth::Header(
            Secret::new(format!("Bearer {}", access_token.expose())),
        ));
        self.client.call_json(call).await
    }

    async fn token(
        &self,
        iam: &IamHost,
        form: Vec<(&'static str, String)>,
    ) -> Result<OidcTokens, Error> {
        let endpoint = iam.endpoint("token");
        let call = Call::absolute(Method::POST, endpoint)
            .auth(Auth::Header(basic(
                self.client.app_id(),
                self.client.secret(),
            )))
            .body(Body::Form(
                form.into_iter()
                    .map(|(name, value)| (name.to_owned(), value))
                    .collect(),
            ));
        // The answer holds the user's tokens: read under the size cap and never quoted.
        self.client.call_json(call.answer_holds_secret()).await
    }
}

/// `Basic base64(client_id:secret)`, as the API writes it (the two are not form-encoded first).
fn basic(client_id: &str, secret: &Secret) -> Secret {
    Secret::new(format!(
        "Basic {}",
        STANDARD.encode(format!("{client_id}:{}", secret.expose()))
    ))
}

/// The user's tokens from the IAM. The tokens are [`Secret`]s: `Debug` does not show them.
#[derive(Clone, PartialEq, Deserialize)]
#[serde(from = "TokensWire")]
#[non_exhaustive]
pub struct OidcTokens {
    /// The access token, for [`Identity::userinfo`]; short-lived.
    pub access_token: Secret,
    /// Seconds until the access token expires.
    pub expires_in: Option<u64>,
    /// The token that gets new tokens with [`Identity::refresh`].
    pub refresh_token: Option<Secret>,
    /// Seconds until the refresh token expires (`0`: it does not). Read from `refresh_expires_in`,
    /// or from `refresh_rexpires_in` as the API's table spells it.
    pub refresh_expires_in: Option<u64>,
    /// The token type, `bearer`.
    pub token_type: Option<String>,
    /// The ID token: a JWT with some of the user's claims.
    pub id_token: Option<Secret>,
    /// The IAM's `not-before-policy` (also read as `not_before_policy`); not needed.
    pub not_before_policy: Option<i64>,
    /// The IAM session; not needed.
    pub session_state: Option<String>,
    /// The granted scope, space-separated.
    pub scope: Option<String>,
    /// Other fields of the answer, kept as received; `Debug` shows only their names.
    pub extra: Map<String, Value>,
}

impl std::fmt::Debug for OidcTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcTokens")
            .field("access_token", &self.access_token)
            .field("expires_in", &self.expires_in)
            .field("refresh_token", &self.refresh_token)
            .field("refresh_expires_in", &self.refresh_expires_in)
            .field("token_type", &self.token_type)
            .field("id_token", &self.id_token)
            .field("not_before_policy", &self.not_before_policy)
            .field("session_state", &self.session_state)
            .field("scope", &self.scope)
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The token answer as sent: both spellings of the two misspelt fields are read.
#[derive(Deserialize)]
struct TokensWire {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    refresh_expires_in: Option<u64>,
    #[serde(default)]
    refresh_rexpires_in: Option<u64>,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    id_token: Option<String>,
    #[serde(default, rename = "not-before-policy")]
    not_before_policy_dashed: Option<i64>,
    #[serde(default)]
    not_before_policy: Option<i64>,
    #[serde(default)]
    session_state: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl From<TokensWire> for OidcTokens {
    fn from(wire: TokensWire) -> Self {
        Self {
            access_token: Secret::new(wire.access_token),
            expires_in: wire.expires_in,
            refresh_token: wire.refresh_token.map(Secret::new),
            refresh_expires_in: wire.refresh_expires_in.or(wire.refresh_rexpires_in),
            token_type: wire.token_type,
            id_token: wire.id_token.map(Secret::new),
            not_before_policy: wire.not_before_policy_dashed.or(wire.not_before_policy),
            session_state: wire.session_state,
            scope: wire.scope,
            extra: wire.extra,
        }
    }
}

/// Who the user is, according to the IAM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserInfo {
    /// The user's id in the IAM; not needed.
    pub sub: String,
    /// The user's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The user's FinChat id (kept raw when it is not a valid fcid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fcid: Option<MaybeId<Fcid>>,
    /// The id of the user's organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The user's phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// The user's e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Other claims, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_has_one_auth_prefix_whichever_way_the_host_is_written() {
        let token = |host: &str| IamHost::parse(host).unwrap().endpoint("token").to_string();
        let expected = "https://iam.example.org/auth/realms/master/protocol/openid-connect/token";
        assert_eq!(token("https://iam.example.org"), expected);
        assert_eq!(token("https://iam.example.org/"), expected);
        assert_eq!(token("https://iam.example.org/auth"), expected);
        assert_eq!(token("https://iam.example.org/auth/"), expected);
        assert_eq!(
            token("https://example.org/sso"),
            "https://example.org/sso/auth/realms/master/protocol/openid-connect/token"
        );
        assert!(IamHost::parse("mailto:iam@example.org").is_err());
        assert!(IamHost::parse("iam.example.org").is_err());
    }

    #[test]
    fn basic_credentials_match_the_api_example() {
        let secret = Secret::new("435b21a4-4e2b-4907-9057-1d86fba428cd");
        assert_eq!(
            basic("test-scope", &secret).expose(),
            "Basic dGVzdC1zY29wZTo0MzViMjFhNC00ZTJiLTQ5MDctOTA1Ny0xZDg2ZmJhNDI4Y2Q="
        );
    }

    #[test]
    fn both_spellings_of_the_misspelt_token_fields_are_read() {
        let read = |json: Value| serde_json::from_value::<OidcTokens>(json).unwrap();
        let table = read(
            serde_json::json!({"access_token": "a", "refresh_rexpires_in": 7, "not_before_policy": 3}),
        );
        assert_eq!(
            (table.refresh_expires_in, table.not_before_policy),
            (Some(7), Some(3))
        );
        let sample = read(
            serde_json::json!({"access_token": "a", "refresh_expires_in": 8, "not-before-policy": 4}),
        );
        assert_eq!(
            (sample.refresh_expires_in, sample.not_before_policy),
            (Some(8), Some(4))
        );
        let both = read(
            serde_json::json!({"access_token": "a", "refresh_expires_in": 8, "refresh_rexpires_in": 7}),
        );
        assert_eq!(both.refresh_expires_in, Some(8));
    }
}
