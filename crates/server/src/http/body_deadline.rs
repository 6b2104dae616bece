//! Request bodies must keep arriving: the whole body within the body-read timeout, and, after
//! a short grace, at least the minimum rate. hyper has no body-read timeout, so a client that
//! sent the headers of a `POST` with a large `Content-Length` and then trickled or stopped held
//! its connection (and a file) for as long as it liked. A body that misses its deadline fails
//! to read, and the request is answered 408 `request_timeout` with `Connection: close`,
//! whatever the handler made of the failed read.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::CONNECTION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper::body::Frame;
use tokio::time::{Instant, Sleep};

use crate::config::ConnectionArgs;
use crate::error::AppError;

/// Time a body may take before the minimum rate applies (slow starts, TLS, mobile links).
pub const BODY_RATE_GRACE: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy)]
pub struct BodyReadLimits {
    /// The whole body must arrive within this long after the headers.
    pub timeout: Duration,
    /// After `rate_grace`, bytes received must keep up with this rate (0: no rate rule).
    pub min_bytes_per_sec: u32,
    pub rate_grace: Duration,
}

impl BodyReadLimits {
    pub fn from_config(config: &ConnectionArgs) -> Self {
        BodyReadLimits {
            timeout: Duration::from_secs(config.body_read_timeout_secs.into()),
            min_bytes_per_sec: config.body_min_bytes_per_sec,
            rate_grace: BODY_RATE_GRACE,
        }
    }
}

/// Middleware: gives every request body a deadline (bodiless requests, such as WebSocket
/// upgrades, pass untouched).
pub async fn enforce_body_deadline(State(limits): State<BodyReadLimits>, request: Request, next: Next) -> Response {
    if request.body().is_end_stream() {
        return next.run(request).await;
    }
    let missed = Arc::new(AtomicBool::new(false));
    let request = request.map(|body| Body::new(DeadlineBody::new(body, limits, missed.clone())));
    let response = next.run(request).await;
    if !missed.load(Ordering::Acquire) {
        return response;
    }
    let mut response = AppError::RequestTimeout.into_response();
    response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive in time")]
struct BodyDeadlineMissed;

struct DeadlineBody {
    inner: Body,
    limits: BodyReadLimits,
    started: Instant,
    received: u64,
    /// Armed at the first wait for data, re-armed as data moves the deadline.
    timer: Option<Pin<Box<Sleep>>>,
    missed: Arc<AtomicBool>,
}

impl DeadlineBody {
    fn new(inner: Body, limits: BodyReadLimits, missed: Arc<AtomicBool>) -> Self {
        DeadlineBody { inner, limits, started: Instant::now(), received: 0, timer: None, missed }
    }

    fn deadline(&self) -> Instant {
        let whole = self.started + self.limits.timeout;
        if self.limits.min_bytes_per_sec == 0 {
            return whole;
        }
        let earned = Duration::from_secs_f64(self.received as f64 / f64::from(self.limits.min_bytes_per_sec));
        whole.min(self.started + self.limits.rate_grace + earned)
    }
}

impl HttpBody for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    self.received += data.len() as u64;
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(other) => Poll::Ready(other),
            Poll::Pending => {
                let deadline = self.deadline();
                let timer = self.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
                if timer.deadline() != deadline {
                    timer.as_mut().reset(deadline);
                }
                match timer.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        self.missed.store(true, Ordering::Release);
                        Poll::Ready(Some(Err(axum::Error::new(BodyDeadlineMissed))))
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn limits(timeout: Duration, min_bytes_per_sec: u32) -> BodyReadLimits {
        BodyReadLimits { timeout, min_bytes_per_sec, rate_grace: 100 * MS }
    }

    /// Reads a stalled body under `limits`; returns how long it took to fail.
    async fn time_to_fail(limits: BodyReadLimits) -> Duration {
        let missed = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let read =
            axum::body::to_bytes(Body::new(DeadlineBody::new(stalled_body(), limits, missed.clone())), 1024).await;
        assert!(read.is_err());
        assert!(missed.load(Ordering::Acquire));
        started.elapsed()
    }

    #[tokio::test]
    async fn a_stalled_body_fails_after_the_grace() {
        let took = time_to_fail(limits(10_000 * MS, 1024)).await;
        assert!(took >= 100 * MS && took < 1000 * MS, "{took:?}");
    }

    #[tokio::test]
    async fn without_a_rate_rule_the_timeout_applies() {
        let took = time_to_fail(limits(300 * MS, 0)).await;
        assert!(took >= 300 * MS && took < 2000 * MS, "{took:?}");
    }

    #[tokio::test]
    async fn a_body_that_arrives_is_read_whole() {
        let missed = Arc::new(AtomicBool::new(false));
        let body = Body::new(DeadlineBody::new(Body::from("hello"), limits(MS, 1024), missed.clone()));
        assert_eq!(axum::body::to_bytes(body, 1 << 20).await.unwrap(), "hello");
        assert!(!missed.load(Ordering::Acquire));
    }

    /// A body whose client never sends a byte.
    fn stalled_body() -> Body {
        Body::from_stream(futures_util::stream::pending::<Result<Bytes, std::io::Error>>())
    }
}
