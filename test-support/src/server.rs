//! A real HTTP server in the test process, on 127.0.0.1 and a free port, that records every request
//! and answers with what the test says; it stops when dropped.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The HTTP method.
    pub method: Method,
    /// The path, without the query.
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// The request headers.
    pub headers: HeaderMap,
    /// The request body.
    pub body: Bytes,
}

impl Recorded {
    /// The body as JSON; panics, naming the request, when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{} {}: body is not JSON: {e}", self.method, self.path))
    }

    /// The header `name`, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Whether this is FinChat's app-token request.
    pub fn is_token(&self) -> bool {
        self.path == "/api/v1/finchat/open-api/auth/token"
    }
}

/// What the server answers.
pub struct Reply {
    /// The status.
    pub status: StatusCode,
    /// The body.
    pub body: Vec<u8>,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// How long the server waits before answering.
    pub delay: Duration,
    /// More headers, e.g. `Retry-After`.
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// A JSON answer with `status`.
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap(),
            body: body.to_string().into_bytes(),
            content_type: "application/json",
            delay: Duration::ZERO,
            headers: Vec::new(),
        }
    }

    /// A 200 JSON answer.
    pub fn ok(body: Value) -> Self {
        Self::json(200, body)
    }

    /// A 200 answer of raw bytes.
    pub fn bytes(content_type: &'static str, body: &[u8]) -> Self {
        Self {
            status: StatusCode::OK,
            body: body.to_vec(),
            content_type,
            delay: Duration::ZERO,
            headers: Vec::new(),
        }
    }

    /// The same answer with the header `name: value` too.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The same answer, given after `delay`.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// A token answer: `tok-<n>` for the n-th token request, valid `expires_in` seconds.
    pub fn token(n: usize, expires_in: u64) -> Self {
        Self::ok(
            json!({"app_access_token": format!("tok-{n}"), "expires_in": expires_in, "token_type": "Bearer"}),
        )
    }
}

type Responder = dyn Fn(&Recorded, &[Recorded]) -> Reply + Send + Sync;

/// The server. `respond(request, earlier)` gets the request and every request before it.
pub struct TestServer {
    /// Where it listens: 127.0.0.1 and a free port.
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts a server that answers each request with `respond(request, earlier requests)`.
    pub async fn start(
        respond: impl Fn(&Recorded, &[Recorded]) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let requests: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let respond: Arc<Responder> = Arc::new(respond);
        let recorded = Arc::clone(&requests);
        let app = Router::new().fallback(move |request: Request| {
            let recorded = Arc::clone(&recorded);
            let respond = Arc::clone(&respond);
            async move {
                let (parts, body) = request.into_parts();
                let body = axum::body::to_bytes(body, 64 << 20)
                    .await
                    .unwrap_or_default();
                let request = Recorded {
                    method: parts.method,
                    path: parts.uri.path().to_owned(),
                    query: parts.uri.query().map(str::to_owned),
                    headers: parts.headers,
                    body,
                };
                let reply = {
                    let mut all = recorded.lock().unwrap();
                    let reply = respond(&request, &all);
                    all.push(request);
                    reply
                };
                tokio::time::sleep(reply.delay).await;
                let mut response: Response = (reply.status, reply.body).into_response();
                response
                    .headers_mut()
                    .insert("content-type", reply.content_type.parse().unwrap());
                for (name, value) in reply.headers {
                    response.headers_mut().insert(name, value.parse().unwrap());
                }
                response
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.ok();
        });
        Self {
            addr,
            requests,
            task,
        }
    }

    /// A server that hands out tokens (valid an hour) and answers everything else with `respond`.
    pub async fn with_tokens(
        respond: impl Fn(&Recorded, &[Recorded]) -> Reply + Send + Sync + 'static,
    ) -> Self {
        Self::start(move |request, earlier| {
            if request.is_token() {
                Reply::token(earlier.iter().filter(|r| r.is_token()).count() + 1, 3600)
            } else {
                respond(request, earlier)
            }
        })
        .await
    }

    /// Its base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// The requests other than token requests.
    pub fn calls(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| !r.is_token())
            .collect()
    }

    /// How many token requests came.
    pub fn token_requests(&self) -> usize {
        self.requests().iter().filter(|r| r.is_token()).count()
    }

    /// A client of this server, with fast retries.
    pub fn client(&self) -> finchat_client::ClientBuilder {
        finchat_client::Client::builder()
            .base_url(self.url())
            .app_id("app-1")
            .secret("test-secret-value")
            .retry(finchat_client::RetryPolicy {
                attempts: 3,
                base_delay: Duration::from_millis(10),
                max_delay: Duration::from_millis(50),
            })
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Answers "not expected: METHOD /path", so a failing test says what it did not expect.
pub fn not_expected(request: &Recorded) -> Reply {
    Reply::json(
        599,
        json!({"errcode": "TEST_NOT_EXPECTED", "error": format!("not expected: {} {}", request.method, request.path)}),
    )
}
