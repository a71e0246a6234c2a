//! `finchat upload` and `finchat download`: files to and from the media server.

use finchat_cui::MxcUri;

use crate::connection::{Connection, runtime};
use crate::exit::{Error, Exit};
use crate::input;
use crate::output::{self, AsyncStdout};

/// Arguments of `finchat upload`.
#[derive(clap::Args)]
pub struct UploadArgs {
    #[command(flatten)]
    connection: Connection,
    /// The file's MIME type (default: from its extension).
    #[arg(long, value_name = "TYPE")]
    content_type: Option<String>,
    /// The file to upload; `-`: stdin (then `application/octet-stream` unless `--content-type`).
    file: String,
}

/// Arguments of `finchat download`.
#[derive(clap::Args)]
pub struct DownloadArgs {
    #[command(flatten)]
    connection: Connection,
    /// Where to write it (default, or `-`: stdout).
    #[arg(long, short, value_name = "FILE")]
    output: Option<String>,
    /// The `mxc://server/media-id` URI.
    uri: MxcUri,
}

pub fn upload(args: &UploadArgs) -> Result<Exit, Error> {
    let bytes = input::read_bytes(&args.file)?;
    let content_type = match &args.content_type {
        Some(content_type) => content_type.clone(),
        None if args.file == "-" => "application/octet-stream".to_owned(),
        None => guess_type(&args.file).to_owned(),
    };
    let client = args.connection.client()?;
    let uri = runtime()?
        .block_on(client.media().upload(bytes, &content_type))
        .map_err(|e| Error::caused(format!("cannot upload {}", input::name(&args.file)), e))?;
    output::line(uri)?;
    Ok(Exit::Done)
}

pub fn download(args: &DownloadArgs) -> Result<Exit, Error> {
    let client = args.connection.client()?;
    let failed = |e| Error::caused(format!("cannot download {}", args.uri), e);
    runtime()?.block_on(async {
        match args.output.as_deref() {
            Some(path) if path != "-" => {
                // The client names the file in its errors, and creates it only once the server
                // has started answering.
                client
                    .media()
                    .download_to_file(&args.uri, path.as_ref())
                    .await
                    .map_err(failed)?;
            }
            _ => {
                let mut stdout = AsyncStdout::new();
                let downloaded = client.media().download_to(&args.uri, &mut stdout).await;
                match downloaded {
                    // A reader that went away (`| head -c 10`) ends the output quietly.
                    Err(_) if stdout.is_closed() => return Ok(Exit::Done),
                    result => result.map_err(failed)?,
                };
            }
        }
        Ok(Exit::Done)
    })
}

/// The MIME type of common file extensions; `application/octet-stream` otherwise.
fn guess_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "json" => "application/json",
        "zip" => "application/zip",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}
