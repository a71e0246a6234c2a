//! `finchat token`: fetches an app access token and prints it as JSON; with `--verify`, asks the
//! server whether a token read from stdin is valid.

use std::time::SystemTime;

use finchat_client::Secret;
use serde_json::Value;

use crate::connection::{Connection, runtime};
use crate::exit::{Error, Exit};
use crate::{input, output};

/// Arguments of `finchat token`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    connection: Connection,
    /// Instead of fetching a token, check the one on stdin (a bare token, or the JSON `finchat
    /// token` prints): prints `{"result": true|false}`, exits 0 when it is valid, 1 when it is not.
    #[arg(long)]
    verify: bool,
}

pub fn run(args: &Args) -> Result<Exit, Error> {
    if args.verify {
        return verify(args);
    }
    let client = args.connection.client()?;
    let token = runtime()?
        .block_on(client.access_token())
        .map_err(|e| Error::caused("cannot get an access token", e))?;
    let expires_in = token
        .expires_at
        .duration_since(SystemTime::now())
        .map_or(0, |d| d.as_secs());
    // Printing the token is what this command is for; it goes to stdout only.
    output::line(serde_json::json!({
        "app_access_token": token.token.expose(),
        "expires_in": expires_in,
        "token_type": "Bearer",
    }))?;
    Ok(Exit::Done)
}

/// `finchat token --verify`: the token on stdin checked by the server. The token is never printed.
fn verify(args: &Args) -> Result<Exit, Error> {
    let token = token_from(&input::read_text("-")?)?;
    let client = args.connection.client()?;
    let valid = runtime()?
        .block_on(client.verify_token(&token))
        .map_err(|e| Error::caused("cannot verify the access token", e))?;
    output::line(serde_json::json!({ "result": valid }))?;
    Ok(if valid { Exit::Done } else { Exit::Problems })
}

/// The token in `text`: the `app_access_token` of a JSON object, or the text itself, trimmed.
fn token_from(text: &str) -> Result<Secret, Error> {
    let text = text.trim();
    let token = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(answer)) => match answer.get("app_access_token") {
            Some(Value::String(token)) => token.trim().to_owned(),
            _ => {
                return Err(Error::new(
                    "<stdin>: the JSON has no string `app_access_token`; give the token, or what \
                     `finchat token` prints",
                ));
            }
        },
        _ => text.to_owned(),
    };
    if token.is_empty() {
        return Err(Error::new(
            "<stdin>: no token to verify; pipe one in, e.g. `finchat token | finchat token --verify`",
        ));
    }
    Ok(Secret::new(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_bare_or_from_the_token_commands_json() {
        assert_eq!(token_from(" abc \n").unwrap().expose(), "abc");
        assert_eq!(
            token_from(r#"{"app_access_token": "abc", "expires_in": 1}"#)
                .unwrap()
                .expose(),
            "abc"
        );
        assert!(token_from("{}").is_err());
        assert!(token_from("\n").is_err());
    }
}
