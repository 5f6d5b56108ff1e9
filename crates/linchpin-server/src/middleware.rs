//! What every request goes through: a request id and its log line,
//! security headers on every answer (errors too), and a guard against
//! bodies that trickle in.

use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use futures_util::StreamExt as _;

use crate::error::REQUEST_ID;

/// A body is refused when nothing of it arrives for this long.
pub const BODY_GAP: Duration = Duration::from_secs(1);
/// ... or when, after this long, it has come slower than [`BODY_RATE`].
pub const BODY_GRACE: Duration = Duration::from_millis(500);
/// The slowest a body may arrive on average once past [`BODY_GRACE`], in
/// bytes a second: a 20 MB plan on a 1 Mbit/s link still gets through.
pub const BODY_RATE: f64 = 32.0 * 1024.0;

/// Why a body was cut off.
#[derive(Debug, thiserror::Error)]
#[error("the request body arrived too slowly (at least 32 KiB a second, no pause over a second)")]
pub struct SlowBody;

/// Gives the request an id (its log line, the `x-request-id` answer header
/// and a 500's body carry it) and the security headers to every answer.
pub async fn request_context(request: Request, next: Next) -> Response {
    let id = new_request_id();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let mut response = REQUEST_ID.scope(id.clone(), next.run(request)).await;
    let status = response.status().as_u16();
    tracing::info!(request_id = %id, %method, path, status, millis = started.elapsed().as_millis() as u64, "request");
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&id) {
        headers.insert(HeaderName::from_static("x-request-id"), value);
    }
    security_headers(headers);
    response
}

fn new_request_id() -> String {
    let bytes: [u8; 8] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The headers every answer carries: no framing, no sniffing, no referrer
/// leaving the site, and a policy that allows only what the pages use
/// (inline styles and SVG; no script from anywhere but the server).
pub fn security_headers(headers: &mut axum::http::HeaderMap) {
    const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
                       form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
}

/// Refuses a body that declares a length over `limit` before reading any
/// of it, in the API's error shape (the limit layer behind this one would
/// answer in plain text); bodies without a length are held to it as they
/// stream.
pub async fn refuse_declared_too_large(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|d| d > limit as u64) {
        return crate::error::ApiError::TooLarge(limit).into_response();
    }
    next.run(request).await
}

/// Wraps the body so that one trickling in is cut off with [`SlowBody`]
/// (which the extractors answer with 408) instead of holding a connection
/// and its buffer for as long as the sender likes.
pub async fn guard_body(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let started = Instant::now();
    // A body that is all there is judged complete, however late it came.
    let declared =
        parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    let state = (body.into_data_stream(), 0usize, false);
    let guarded = futures_util::stream::unfold(state, move |(mut stream, mut received, done)| async move {
        if done {
            return None;
        }
        let fail =
            |stream, received| Some((Err::<Bytes, axum::BoxError>(Box::new(SlowBody)), (stream, received, true)));
        match tokio::time::timeout(BODY_GAP, stream.next()).await {
            Err(_) => fail(stream, received),
            Ok(None) => None,
            Ok(Some(Err(e))) => Some((Err(e.into()), (stream, received, true))),
            Ok(Some(Ok(bytes))) => {
                received += bytes.len();
                let elapsed = started.elapsed();
                let complete = declared.is_some_and(|d| received >= d);
                if !complete && elapsed > BODY_GRACE && (received as f64) < BODY_RATE * elapsed.as_secs_f64() {
                    return fail(stream, received);
                }
                Some((Ok(bytes), (stream, received, false)))
            }
        }
    });
    next.run(Request::from_parts(parts, Body::from_stream(guarded))).await
}
