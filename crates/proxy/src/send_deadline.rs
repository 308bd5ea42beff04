//! A total deadline for sending one response body. Hyper's header timeout covers the request;
//! nothing covers a client that reads a large static file a few bytes at a time, which holds
//! a connection (and a file handle) for as long as it likes. Past the deadline the body ends
//! with an error and hyper closes the connection.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Frame, SizeHint};
use tokio::time::Sleep;

/// The body of a response, cut off at a deadline.
pub struct DeadlineBody {
    inner: Body,
    deadline: Pin<Box<Sleep>>,
}

/// The error the body ends with when time is up.
#[derive(Debug)]
pub struct TimedOut;

impl std::fmt::Display for TimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the response took longer to send than server.static_send_timeout_ms")
    }
}

impl std::error::Error for TimedOut {}

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(TimedOut))));
        }
        Pin::new(&mut self.inner)
            .poll_frame(cx)
            .map_err(|err| Box::new(err) as Self::Error)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Middleware: every response body must be sent within the given time.
pub async fn limit(State(timeout): State<Duration>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let deadline = tokio::time::Instant::now()
        .checked_add(timeout)
        .unwrap_or_else(tokio::time::Instant::now);
    response.map(|inner| {
        Body::new(DeadlineBody {
            inner,
            deadline: Box::pin(tokio::time::sleep_until(deadline)),
        })
    })
}
