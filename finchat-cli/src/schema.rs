//! `finchat schema`: prints one of finchat-cui's JSON Schemas.

use clap::ValueEnum;

use crate::exit::{Error, Exit};
use crate::output;

/// Arguments of `finchat schema`.
#[derive(clap::Args)]
pub struct Args {
    /// Which schema.
    #[arg(value_enum, default_value_t = Which::Content)]
    which: Which,
}

#[derive(Clone, Copy, ValueEnum)]
enum Which {
    /// Message content, any msgtype an app can send.
    Content,
    /// An `m.cui` message: version, body and the card.
    Cui,
    /// A card alone (`content.info` of an `m.cui` message).
    Card,
    /// A submission: `content` of a `finstore.room.interactcui` event.
    Submission,
}

pub fn run(args: &Args) -> Result<Exit, Error> {
    let schema = match args.which {
        Which::Content => finchat_cui::schema::content(),
        Which::Cui => finchat_cui::schema::cui(),
        Which::Card => finchat_cui::schema::card(),
        Which::Submission => finchat_cui::schema::submission(),
    };
    let text = serde_json::to_string_pretty(&schema)
        .map_err(|e| Error::caused("cannot write the schema", e))?;
    output::line(text)?;
    Ok(Exit::Done)
}
