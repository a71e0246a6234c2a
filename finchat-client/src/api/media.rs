//! Media: upload a file and get its `mxc://` URI; download an `mxc://` URI to bytes or to a writer.

use finchat_cui::MxcUri;
use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use serde::Deserialize;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::client::{Body, Call};
use crate::{Client, Error};

const UPLOAD: &str = "/api/v1/finchat/open-api/media/upload";
const DOWNLOAD: &str = "/api/v1/finchat/open-api/media/download";

/// The media calls: `client.media()`.
#[derive(Clone, Copy)]
pub struct Media<'a> {
    client: &'a Client,
}

impl Client {
    /// Uploading and downloading files.
    pub fn media(&self) -> Media<'_> {
        Media { client: self }
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
    /// # Errors
    ///
    /// An [`Error`] of class `NotFound` (`FC_NOT_FOUND`, 404) when there is no such file, another
    /// refusal of the API, or a transport failure or time-out, also while the file arrives; see
    /// [`Error::class`].
    pub async fn download(&self, uri: &MxcUri) -> Result<Download, Error> {
        let response = self.client.call(download_call(self.client, uri)).await?;
        let content_type = content_type(&response);
        let bytes = response
            .bytes()
            .await
            .map_err(|e| Error::transport(e).in_call("GET media download"))?;
        Ok(Download {
            content_type,
            bytes,
        })
    }

    /// Downloads `uri` into `out` piece by piece, without holding the whole file in memory; the
    /// `Content-Type` and the number of bytes written.
    ///
    /// # Errors
    ///
    /// As [`Media::download`], and an [`Error`] of class `Local` when writing to `out` fails; what
    /// was written before the failure stays written.
    pub async fn download_to<W: AsyncWrite + Unpin>(
        &self,
        uri: &MxcUri,
        out: &mut W,
    ) -> Result<(Option<String>, u64), Error> {
        let mut response = self.client.call(download_call(self.client, uri)).await?;
        let content_type = content_type(&response);
        let mut written = 0u64;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| Error::transport(e).in_call("GET media download"))?
        {
            out.write_all(&chunk)
                .await
                .map_err(|e| Error::refused(format!("cannot write the download: {e}")))?;
            written += chunk.len() as u64;
        }
        out.flush()
            .await
            .map_err(|e| Error::refused(format!("cannot write the download: {e}")))?;
        Ok((content_type, written))
    }
}

fn download_call(client: &Client, uri: &MxcUri) -> Call {
    Call::new(
        Method::GET,
        format!("{DOWNLOAD}/{}/{}", uri.server_name(), uri.media_id()),
    )
    .query("app_id", client.app_id())
}

fn content_type(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}
