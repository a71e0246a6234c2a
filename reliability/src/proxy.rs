//! A fault-injecting HTTP/1.1 proxy on 127.0.0.1: it sits between two parts (the sandbox and the
//! receiver, or a client and the sandbox's API) and, request by request, forwards, answers in the
//! upstream's place (a 503, a 401), or cuts both connections while the upstream is still working.
//!
//! With several upstreams ([`FaultProxy::balance`]) it is a round-robin load balancer without health
//! checks: each request goes to the next upstream in turn, and one that cannot be reached (a killed
//! instance) fails that request, as a plain balancer would.
//!
//! It speaks just enough HTTP/1.1 for the parts it sits between: bodies framed by `Content-Length`
//! (a chunked message is refused with a 502 naming the cause), keep-alive on both sides.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// The most a message head may take; larger is refused.
const MAX_HEAD: usize = 64 * 1024;

/// A request as the proxy's [`Rule`] sees it.
#[derive(Debug)]
pub struct ProxiedRequest<'a> {
    /// `GET`, `PUT`, …
    pub method: &'a str,
    /// The path and query, as sent.
    pub path: &'a str,
    /// The body.
    pub body: &'a [u8],
}

/// What the proxy does with one request.
pub enum Verdict {
    /// Pass it on and pass the answer back.
    Forward,
    /// Answer it in the upstream's place; the upstream never sees it.
    Answer {
        /// The HTTP status.
        status: u16,
        /// A JSON body.
        body: String,
    },
    /// Pass it on, and once `when` completes (before the answer came), close both connections
    /// without an answer; then notify `cut`. If the answer comes first it is passed back and `cut`
    /// is notified all the same.
    CutWhen {
        /// What the cut waits for, e.g. a signal that the handler is running.
        when: Pin<Box<dyn Future<Output = ()> + Send>>,
        /// Told once the connections are closed.
        cut: Arc<Notify>,
    },
}

/// Decides the [`Verdict`] for each request.
pub type Rule = Arc<dyn Fn(&ProxiedRequest<'_>) -> Verdict + Send + Sync>;

/// A running proxy; it stops when dropped.
pub struct FaultProxy {
    /// `http://127.0.0.1:port`.
    pub url: String,
    task: JoinHandle<()>,
}

impl FaultProxy {
    /// Listens on a free port of 127.0.0.1 and proxies to `upstream` under `rule`.
    ///
    /// # Errors
    ///
    /// An [`io::Error`] when no port can be bound.
    pub async fn start(upstream: SocketAddr, rule: Rule) -> io::Result<Self> {
        Self::balance(vec![upstream], rule).await
    }

    /// Listens on a free port of 127.0.0.1 and sends each request to the next of `upstreams` in
    /// turn, under `rule`.
    ///
    /// # Errors
    ///
    /// An [`io::Error`] when no port can be bound, or `upstreams` is empty.
    pub async fn balance(upstreams: Vec<SocketAddr>, rule: Rule) -> io::Result<Self> {
        if upstreams.is_empty() {
            return Err(io::Error::other("a proxy needs an upstream"));
        }
        let upstreams = Arc::new(Upstreams {
            addrs: upstreams,
            turn: AtomicUsize::new(0),
        });
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                client.set_nodelay(true).ok();
                let rule = Arc::clone(&rule);
                let upstreams = Arc::clone(&upstreams);
                // A connection's failure (the client went away) ends only that connection.
                tokio::spawn(async move { serve(client, upstreams, rule).await.ok() });
            }
        });
        Ok(Self { url, task })
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One message read off a connection: its raw bytes and where its body starts.
struct Message {
    raw: Vec<u8>,
    body_start: usize,
}

/// A connection with the bytes read from it but not yet used.
struct Conn {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Conn {
    fn new(stream: TcpStream) -> Self {
        Self {
            stream,
            buffer: Vec::new(),
        }
    }

    /// Reads more bytes; `false` at the end of the stream.
    async fn fill(&mut self) -> io::Result<bool> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk).await?;
        self.buffer.extend_from_slice(&chunk[..n]);
        Ok(n > 0)
    }

    /// The next whole message; `None` when the peer closed cleanly between messages.
    async fn next(&mut self, kind: Kind) -> io::Result<Option<Message>> {
        loop {
            if let Some((head_len, body_len)) = frame(&self.buffer, kind)? {
                while self.buffer.len() < head_len + body_len {
                    if !self.fill().await? {
                        return Err(cut_short(kind));
                    }
                }
                let rest = self.buffer.split_off(head_len + body_len);
                let raw = std::mem::replace(&mut self.buffer, rest);
                return Ok(Some(Message {
                    raw,
                    body_start: head_len,
                }));
            }
            if self.buffer.len() > MAX_HEAD {
                return Err(io::Error::other(format!(
                    "the {kind:?} head is over 64 KiB"
                )));
            }
            if !self.fill().await? {
                return if self.buffer.is_empty() {
                    Ok(None)
                } else {
                    Err(cut_short(kind))
                };
            }
        }
    }
}

fn cut_short(kind: Kind) -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        format!("the {kind:?} was cut short"),
    )
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Request,
    Response,
}

/// The head's length and the body's, once the head is complete.
fn frame(buffer: &[u8], kind: Kind) -> io::Result<Option<(usize, usize)>> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let (parsed, headers) = match kind {
        Kind::Request => {
            let mut request = httparse::Request::new(&mut headers);
            let parsed = request.parse(buffer).map_err(io::Error::other)?;
            (parsed, request.headers)
        }
        Kind::Response => {
            let mut response = httparse::Response::new(&mut headers);
            let parsed = response.parse(buffer).map_err(io::Error::other)?;
            (parsed, response.headers)
        }
    };
    let httparse::Status::Complete(head_len) = parsed else {
        return Ok(None);
    };
    let header = |name: &str| {
        headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
    };
    if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        return Err(io::Error::other(
            "a chunked message: the proxy frames bodies by Content-Length only",
        ));
    }
    // Without a Content-Length (and not chunked) a message has no body here: the parts behind
    // the proxy always frame their bodies.
    let body_len = match header("content-length") {
        Some(length) => length
            .parse::<usize>()
            .map_err(|_| io::Error::other(format!("Content-Length `{length}` is not a number")))?,
        None => 0,
    };
    Ok(Some((head_len, body_len)))
}

/// The request line's method and target.
fn request_line(raw: &[u8]) -> (String, String) {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut request = httparse::Request::new(&mut headers);
    request.parse(raw).ok();
    (
        request.method.unwrap_or_default().to_owned(),
        request.path.unwrap_or_default().to_owned(),
    )
}

fn answer(status: u16, body: &str) -> Vec<u8> {
    let reason = match status {
        401 => "Unauthorized",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Injected",
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The upstreams and whose turn it is, shared by every connection.
struct Upstreams {
    addrs: Vec<SocketAddr>,
    turn: AtomicUsize,
}

impl Upstreams {
    /// The next upstream's index.
    fn next(&self) -> usize {
        self.turn.fetch_add(1, Ordering::Relaxed) % self.addrs.len()
    }
}

/// Serves one client connection, request after request.
async fn serve(client: TcpStream, upstreams: Arc<Upstreams>, rule: Rule) -> io::Result<()> {
    let mut client = Conn::new(client);
    // A kept-alive connection to each upstream.
    let mut connections: Vec<Option<Conn>> = upstreams.addrs.iter().map(|_| None).collect();
    loop {
        let request = match client.next(Kind::Request).await {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(error) => {
                let body = serde_json::json!({ "error": format!("proxy: {error}") }).to_string();
                client.stream.write_all(&answer(502, &body)).await.ok();
                return Err(error);
            }
        };
        let (method, path) = request_line(&request.raw);
        let index = upstreams.next();
        let upstream_addr = upstreams.addrs[index];
        let upstream = &mut connections[index];
        let verdict = rule(&ProxiedRequest {
            method: &method,
            path: &path,
            body: &request.raw[request.body_start..],
        });
        match verdict {
            Verdict::Answer { status, body } => {
                client.stream.write_all(&answer(status, &body)).await?;
            }
            Verdict::Forward => {
                let response = exchange(upstream, upstream_addr, &request.raw).await?;
                client.stream.write_all(&response.raw).await?;
            }
            Verdict::CutWhen { when, cut } => {
                // A connection of its own, so that closing it closes nothing else.
                let mut own = None;
                let outcome = tokio::select! {
                    response = exchange(&mut own, upstream_addr, &request.raw) => Some(response),
                    () = when => None,
                };
                match outcome {
                    Some(response) => {
                        cut.notify_one();
                        client.stream.write_all(&response?.raw).await?;
                    }
                    None => {
                        drop(own);
                        drop(client);
                        cut.notify_one();
                        return Ok(());
                    }
                }
            }
        }
    }
}

/// Sends `raw` upstream (connecting when needed) and reads the answer.
async fn exchange(
    upstream: &mut Option<Conn>,
    addr: SocketAddr,
    raw: &[u8],
) -> io::Result<Message> {
    if upstream.is_none() {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true).ok();
        *upstream = Some(Conn::new(stream));
    }
    let Some(conn) = upstream.as_mut() else {
        return Err(io::Error::other("no upstream connection"));
    };
    let result = async {
        conn.stream.write_all(raw).await?;
        conn.next(Kind::Response)
            .await?
            .ok_or_else(|| cut_short(Kind::Response))
    }
    .await;
    if result.is_err() {
        // A broken upstream connection is not used again.
        *upstream = None;
    }
    result
}
