//! `finchat schema`: prints one of finchat-cui's JSON Schemas, or with `--ts` its TypeScript
//! declarations.

use clap::ValueEnum;

use crate::exit::{Error, Exit};
use crate::output;

/// Arguments of `finchat schema`.
#[derive(clap::Args)]
pub struct Args {
    /// Which schema [default: content].
    #[arg(value_enum)]
    which: Option<Which>,
    /// Print the TypeScript declarations (one .d.ts file: content, card and submission, each type
    /// named as its Rust type) instead of a JSON Schema.
    #[arg(long, conflicts_with = "which")]
    ts: bool,
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
    if args.ts {
        output::bytes(finchat_cui::schema::typescript().as_bytes())?;
        return Ok(Exit::Done);
    }
    let schema = match args.which.unwrap_or(Which::Content) {
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
