//! `finchat upload` and `finchat download`: files to and from the media server.

use std::process::ExitCode;

use finchat_cui::MxcUri;

use crate::connection::{Connection, runtime};

/// Arguments of `finchat upload`.
#[derive(clap::Args)]
pub struct UploadArgs {
    #[command(flatten)]
    connection: Connection,
    /// The file's MIME type (default: from its extension).
    #[arg(long, value_name = "TYPE")]
    content_type: Option<String>,
    /// The file to upload.
    file: String,
}

/// Arguments of `finchat download`.
#[derive(clap::Args)]
pub struct DownloadArgs {
    #[command(flatten)]
    connection: Connection,
    /// Where to write it (default: stdout).
    #[arg(long, short, value_name = "FILE")]
    output: Option<String>,
    /// The `mxc://server/media-id` URI.
    uri: MxcUri,
}

pub fn upload(args: &UploadArgs) -> ExitCode {
    let result = (|| {
        let bytes =
            std::fs::read(&args.file).map_err(|e| format!("{}: cannot read: {e}", args.file))?;
        let content_type = args
            .content_type
            .clone()
            .unwrap_or_else(|| guess_type(&args.file).to_owned());
        let client = args.connection.client()?;
        let uri = runtime()?
            .block_on(client.media().upload(bytes, &content_type))
            .map_err(|e| format!("finchat upload: {e}"))?;
        println!("{uri}");
        Ok::<_, String>(())
    })();
    finish(result)
}

pub fn download(args: &DownloadArgs) -> ExitCode {
    let result = (|| {
        let client = args.connection.client()?;
        let runtime = runtime()?;
        runtime.block_on(async {
            let failed = |e: finchat_client::Error| format!("finchat download: {e}");
            match &args.output {
                Some(path) => {
                    let mut file = tokio::fs::File::create(path)
                        .await
                        .map_err(|e| format!("{path}: cannot create: {e}"))?;
                    client
                        .media()
                        .download_to(&args.uri, &mut file)
                        .await
                        .map_err(failed)?;
                }
                None => {
                    let mut stdout = tokio::io::stdout();
                    client
                        .media()
                        .download_to(&args.uri, &mut stdout)
                        .await
                        .map_err(failed)?;
                }
            }
            Ok::<_, String>(())
        })
    })();
    finish(result)
}

fn finish(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(line) => {
            eprintln!("{line}");
            ExitCode::from(1)
        }
    }
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
