//! A receiver refuses to start with an empty or short callback token, which would let anyone push
//! (issue 12, item 5); the error says why without quoting the token.

use finchat_client::receiver::MIN_TOKEN_LEN;
use finchat_client::{Dispatcher, Receiver};

#[test]
fn an_empty_callback_token_is_refused() {
    let error = Receiver::new(Dispatcher::new(()), "")
        .err()
        .expect("an empty token is refused");
    let message = error.to_string();
    assert!(message.contains("callback token is empty"), "{message}");
}

#[test]
fn a_short_callback_token_is_refused_without_being_quoted() {
    let short = "s3cr3t-tok";
    let error = Receiver::new(Dispatcher::new(()), short)
        .err()
        .expect("a short token is refused");
    let message = format!("{error} {error:?}");
    assert!(
        message.contains(&format!("{MIN_TOKEN_LEN} bytes")),
        "{message}"
    );
    assert!(!message.contains(short), "{message}");
}

#[test]
fn a_token_of_the_minimum_length_is_taken() {
    let token = "x".repeat(MIN_TOKEN_LEN);
    assert!(Receiver::new(Dispatcher::new(()), token).is_ok());
}
