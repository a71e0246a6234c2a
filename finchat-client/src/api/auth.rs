//! Token verify: asking the server whether an app access token is still valid.

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use crate::client::{Auth, Call};
use crate::retry::Retry;
use crate::{Client, Error, FcCode, Secret};

const VERIFY: &str = "/api/v1/finchat/open-api/auth/token/verify";

impl Client {
    /// Whether `token` is a valid app access token of this app
    /// (`POST …/auth/token/verify`, with the app id and the token in the body and no
    /// `Authorization` header). A helper for checking a token held elsewhere (another process, a
    /// token store); the client replaces its own token by itself when the server refuses it.
    ///
    /// An answer `FC_INVALID_ACCESS_TOKEN` reads as "not valid" too. The call is a read, so it is
    /// retried like one. Errors never quote the token.
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// let token = client.access_token().await?;
    /// assert!(client.verify_token(&token.token).await?);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`]: the API's refusal (`FC_APP_NOT_FOUND`, `FC_BAD_JSON`, …) or a transport,
    /// time-out or unreadable-answer failure (an answer without a boolean `result`); see
    /// [`Error::class`].
    pub async fn verify_token(&self, token: &Secret) -> Result<bool, Error> {
        #[derive(Deserialize)]
        struct Answer {
            result: bool,
        }
        let call = Call::new(Method::POST, VERIFY)
            .json(json!({
                "app_id": self.app_id(),
                "app_access_token": token.expose(),
            }))
            .auth(Auth::None)
            .retry(Retry::Safe)
            // An error page may echo the request, and with it the token.
            .answer_holds_secret();
        match self.call_json::<Answer>(call).await {
            Ok(answer) => Ok(answer.result),
            Err(error) if error.fc_code() == Some(&FcCode::InvalidAccessToken) => Ok(false),
            Err(error) => Err(error),
        }
    }
}
