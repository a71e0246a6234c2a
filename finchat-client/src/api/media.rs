//! Media: upload a file and get its `mxc://` URI; download an `mxc://` URI to bytes or to a writer.

use std::path::Path;
use std::time::Duration;

use finchat_cui::MxcUri;
use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use serde::Deserialize;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::segment;
use crate::client::{Body, Call};
use crate::{Client, Error};

const UPLOAD: &str = "/api/v1/finchat/open-api/media/upload";
const DOWNLOAD: &str = "/api/v1/finchat/open-api/media/download";

/// The media calls: `client.media()`.
#[derive(Clone, Copy)]
pub struct Media<'a> {
    client: &'a Client,
    idle_timeout: Duration,
}

/// How long a download may go without receiving anything, by default.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The backstop on a download's request as a whole, instead of the client's total time-out: a
/// download is watched for progress ([`Media::idle_timeout`]), so a large file on a slow link is
/// not cut off, but no download runs for ever.
const DOWNLOAD_TOTAL: Duration = Duration::from_secs(24 * 60 * 60);

impl Client {
    /// Uploading and downloading files.
    pub fn media(&self) -> Media<'_> {
        Media {
            client: self,
            idle_timeout: IDLE_TIMEOUT,
        }
    }
}

/// A downloaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// The `Content-Type` it was uploaded with, if the server said.
    pub content_type: Option<String>,
    /// The file.
    pub bytes: bytes::Bytes,
}

impl Media<'_> {
    /// How long a download may go without receiving anything before it fails as a time-out
    /// (default 30 s). The answer must start within the client's time-out
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)), as for any call; after that a
    /// download is not held to it, only to this: each piece must follow the one before within
    /// this time. So a large file that keeps arriving, however slowly, is downloaded whole (up to
    /// a backstop of 24 h), and one that stops arriving fails.
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client, uri: finchat_cui::MxcUri) -> Result<(), finchat_client::Error> {
    /// let media = client.media().idle_timeout(std::time::Duration::from_secs(120));
    /// media.download_to_file(&uri, "video.mp4".as_ref()).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = idle;
        self
    }

    /// Uploads `bytes` with their `Content-Type` (`POST …/media/upload`); the file's `mxc://` URI, to
    /// put in an image or file message or a card's image.
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// let png = std::fs::read("receipt.png").unwrap();
    /// let uri = client.media().upload(png, "image/png").await?;
    /// let card = finchat_cui::Card::form().image(uri);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`]: the API's refusal (`FC_BAD_JSON`, `FC_FORBIDDEN`, …) or a transport, time-out
    /// or unreadable-answer failure; see [`Error::class`].
    pub async fn upload(
        &self,
        bytes: impl Into<bytes::Bytes>,
        content_type: &str,
    ) -> Result<MxcUri, Error> {
        #[derive(Deserialize)]
        struct Answer {
            content_uri: MxcUri,
        }
        let call = Call::new(Method::POST, UPLOAD)
            .query("app_id", self.client.app_id())
            .body(Body::Bytes {
                content_type: content_type.to_owned(),
                bytes: bytes.into(),
            });
        Ok(self.client.call_json::<Answer>(call).await?.content_uri)
    }

    /// Downloads `uri` (`GET …/media/download/{server-name}/{media-id}`) into memory.
    ///
    /// The server name and media id go into the path encoded as path segments, and a URI whose
    /// server name is not a host (`..`, `\`, `%`, …) or whose media id is not `A-Z a-z 0-9 _ -` is
    /// refused before any request: a user-sent URI cannot make the app call another API path.
    ///
    /// # Errors
    ///
    /// An [`Error`] of class `Local` for such a URI (nothing is requested); of class `NotFound`
    /// (`FC_NOT_FOUND`, 404) when there is no such file; another refusal of the API; a transport
    /// failure; or a time-out when the answer does not start within the client's time-out, or
    /// stops arriving for [`Media::idle_timeout`]; see [`Error::class`].
    pub async fn download(&self, uri: &MxcUri) -> Result<Download, Error> {
        let (mut response, content_type) = self.start(uri).await?;
        let mut bytes = Vec::new();
        self.copy(&mut response, &mut bytes, "the download into memory")
            .await?;
        Ok(Download {
            content_type,
            bytes: bytes.into(),
        })
    }

    /// Downloads `uri` into `out` piece by piece, without holding the whole file in memory; the
    /// `Content-Type` and the number of bytes written. `out` is flushed at the end.
    ///
    /// # Errors
    ///
    /// As [`Media::download`], and an [`Error`] of class `Local` when writing to `out` fails, with
    /// the [`std::io::Error`] as its [source](std::error::Error::source); what was written before
    /// a failure stays written.
    pub async fn download_to<W: AsyncWrite + Unpin>(
        &self,
        uri: &MxcUri,
        out: &mut W,
    ) -> Result<(Option<String>, u64), Error> {
        let (mut response, content_type) = self.start(uri).await?;
        let written = self.copy(&mut response, out, "the download").await?;
        Ok((content_type, written))
    }

    /// Downloads `uri` into the file at `path`, created (or truncated) once the server has started
    /// answering, so a refused download leaves no file behind; the `Content-Type` and the number of
    /// bytes written.
    ///
    /// # Errors
    ///
    /// As [`Media::download`], and an [`Error`] of class `Local` naming `path` when the file
    /// cannot be created or written, with the [`std::io::Error`] as its
    /// [source](std::error::Error::source). A download that fails part-way leaves the part that
    /// came in the file.
    pub async fn download_to_file(
        &self,
        uri: &MxcUri,
        path: &Path,
    ) -> Result<(Option<String>, u64), Error> {
        let (mut response, content_type) = self.start(uri).await?;
        let what = format!("the download to `{}`", path.display());
        let mut file = tokio::fs::File::create(path)
            .await
            .map_err(|e| Error::write(&what, e))?;
        let written = self.copy(&mut response, &mut file, &what).await?;
        file.sync_all().await.map_err(|e| Error::write(&what, e))?;
        Ok((content_type, written))
    }

    /// Checks `uri`, sends the request, and waits for the answer to start (within the client's
    /// time-out); the response and its `Content-Type`.
    async fn start(&self, uri: &MxcUri) -> Result<(reqwest::Response, Option<String>), Error> {
        let call = download_call(self.client, uri)?.timeout(DOWNLOAD_TOTAL);
        let response = self.client.call(call).await?;
        let content_type = content_type(&response);
        Ok((response, content_type))
    }

    /// Copies the body of `response` into `out`, each piece due within the idle time-out; the
    /// number of bytes written. `what` names the destination in a write error.
    async fn copy<W: AsyncWrite + Unpin>(
        &self,
        response: &mut reqwest::Response,
        out: &mut W,
        what: &str,
    ) -> Result<u64, Error> {
        let mut written = 0u64;
        loop {
            let chunk = tokio::time::timeout(self.idle_timeout, response.chunk())
                .await
                .map_err(|_| self.stalled())?
                .map_err(|e| Error::transport(e).in_call(CALL))?;
            let Some(chunk) = chunk else { break };
            out.write_all(&chunk)
                .await
                .map_err(|e| Error::write(what, e))?;
            written += chunk.len() as u64;
        }
        out.flush().await.map_err(|e| Error::write(what, e))?;
        Ok(written)
    }

    fn stalled(&self) -> Error {
        Error::timeout().in_call(format!("{CALL}, no data for {:?}", self.idle_timeout))
    }
}

/// The call's name in errors.
const CALL: &str = "GET media download";

/// The download of `uri`, its two parts encoded as path segments; a URI that is not one (made
/// without the check, or by an older version with a looser rule) is refused here, before anything
/// is sent.
fn download_call(client: &Client, uri: &MxcUri) -> Result<Call, Error> {
    MxcUri::parse(uri.as_str())
        .map_err(|e| Error::refused(format!("cannot download it: {e}")).in_call(CALL))?;
    let path = format!(
        "{DOWNLOAD}/{}/{}",
        segment(uri.server_name())?,
        segment(uri.media_id())?
    );
    Ok(Call::new(Method::GET, path).query("app_id", client.app_id()))
}

fn content_type(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}
