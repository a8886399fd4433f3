//! EventBridge's wire protocol, AWS JSON 1.1: `POST /` with `X-Amz-Target: AWSEvents.<Op>`
//! and a JSON body, answered with `application/x-amz-json-1.1` JSON, errors as
//! `{"__type": ..., "message": ...}` with AWS's status codes.
//!
//! Any credentials and signature are accepted: the signature is not checked, and the region
//! is read from the `Authorization` header's credential scope
//! (`Credential=KEY/DATE/REGION/events/aws4_request`), `us-east-1` without one.
//!
//! Hostile clients: a body over the size limit is answered 413 (the rest of it is read and
//! dropped, up to a cap, so the client sees the answer); a client that does not send its
//! headers or its body in time is cut off (408 for a slow body); bodies that are not JSON are
//! `SerializationException`; unknown targets are `UnknownOperationException`. Each request is
//! independent: none of these affects another connection.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::Value;
use tokio::net::TcpListener;

use super::error::ApiError;
use super::Server;

/// The region when a request is not signed.
pub const DEFAULT_REGION: &str = "us-east-1";
/// The content type of every answer.
pub const CONTENT_TYPE_JSON_1_1: &str = "application/x-amz-json-1.1";

/// Bounds on what one request may cost the server.
#[derive(Clone, Copy, Debug)]
pub struct WireLimits {
    /// The largest body read; larger ones are answered 413.
    pub max_body: usize,
    /// How long a client may take to send its headers, and then its body.
    pub request_timeout: Duration,
}

impl Default for WireLimits {
    fn default() -> WireLimits {
        WireLimits {
            max_body: 4 * 1024 * 1024,
            request_timeout: Duration::from_secs(10),
        }
    }
}

/// Past this many bytes of an oversized body the connection is closed instead of drained.
const DRAIN_CAP: usize = 64 * 1024 * 1024;

/// The region of a request: the credential scope's third part.
///
/// ```
/// use evpattern::server::protocol::region_from_authorization;
///
/// let auth = "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-3/events/aws4_request, \
///             SignedHeaders=host;x-amz-date, Signature=abc";
/// assert_eq!(region_from_authorization(Some(auth)), "eu-west-3");
/// assert_eq!(region_from_authorization(None), "us-east-1");
/// assert_eq!(region_from_authorization(Some("Basic xyz")), "us-east-1");
/// ```
pub fn region_from_authorization(authorization: Option<&str>) -> &str {
    authorization
        .and_then(|auth| auth.split("Credential=").nth(1))
        .and_then(|scope| scope.split(['/', ',']).nth(2))
        .map(str::trim)
        .filter(|region| {
            !region.is_empty()
                && region
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        .unwrap_or(DEFAULT_REGION)
}

/// Accepts connections until the listener fails, each served on its own task.
pub async fn accept(listener: TcpListener, server: Arc<Server>, limits: WireLimits) {
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(_) => {
                // Out of file descriptors and the like: wait instead of spinning.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let server = server.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let server = server.clone();
                async move { Ok::<_, Infallible>(handle(request, server, limits).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.request_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(
    request: Request<Incoming>,
    server: Arc<Server>,
    limits: WireLimits,
) -> Response<Full<Bytes>> {
    let (status, body) = match answer(request, server, limits).await {
        Ok(value) => (200, value.to_string()),
        Err(error) => (error.status(), error.body()),
    };
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(CONTENT_TYPE_JSON_1_1),
    );
    if let Ok(id) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

fn operation(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.strip_prefix("AWSEvents."))
}

async fn read_body(body: Incoming, limits: WireLimits) -> Result<Vec<u8>, ApiError> {
    let mut body = body;
    let mut bytes = Vec::new();
    let mut total = 0usize;
    let read = async {
        while let Some(frame) = body.frame().await {
            let frame =
                frame.map_err(|e| ApiError::serialization(format!("Bad request body: {e}")))?;
            if let Some(data) = frame.data_ref() {
                total += data.len();
                if total <= limits.max_body {
                    bytes.extend_from_slice(data);
                } else if total > DRAIN_CAP {
                    break;
                }
            }
        }
        Ok(())
    };
    match tokio::time::timeout(limits.request_timeout, read).await {
        Err(_) => Err(ApiError::timeout()),
        Ok(Err(e)) => Err(e),
        Ok(Ok(())) if total > limits.max_body => Err(ApiError::too_large(limits.max_body)),
        Ok(Ok(())) => Ok(bytes),
    }
}

async fn answer(
    request: Request<Incoming>,
    server: Arc<Server>,
    limits: WireLimits,
) -> Result<Value, ApiError> {
    if request.method() != Method::POST {
        return Err(ApiError::unknown_operation());
    }
    let op = operation(request.headers())
        .ok_or_else(ApiError::unknown_operation)?
        .to_owned();
    let region = region_from_authorization(
        request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok()),
    )
    .to_owned();
    let body = read_body(request.into_body(), limits).await?;
    let input: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::serialization(format!("The request body is not valid JSON: {e}"))
        })?
    };
    if !input.is_object() {
        return Err(ApiError::serialization(
            "The request body must be a JSON object.",
        ));
    }
    // Operations take locks and flush to disk: keep them off the async worker threads.
    tokio::task::spawn_blocking(move || dispatch(&server, &op, &region, &input))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
}

/// Runs operation `op` (the part of `X-Amz-Target` after `AWSEvents.`).
pub fn dispatch(server: &Server, op: &str, region: &str, input: &Value) -> Result<Value, ApiError> {
    match op {
        "TestEventPattern" => server.test_event_pattern(input),
        "CreateEventBus" => server.create_event_bus(region, input),
        "DeleteEventBus" => server.delete_event_bus(region, input),
        "DescribeEventBus" => server.describe_event_bus(region, input),
        "ListEventBuses" => server.list_event_buses(region, input),
        "PutRule" => server.put_rule(region, input),
        "DescribeRule" => server.describe_rule(region, input),
        "ListRules" => server.list_rules(region, input),
        "DeleteRule" => server.delete_rule(region, input),
        "EnableRule" => server.set_rule_state(region, input, true),
        "DisableRule" => server.set_rule_state(region, input, false),
        "PutTargets" => server.put_targets(region, input),
        "ListTargetsByRule" => server.list_targets_by_rule(region, input),
        "RemoveTargets" => server.remove_targets(region, input),
        "PutEvents" => server.put_events(region, input),
        _ => Err(ApiError::unknown_operation()),
    }
}
