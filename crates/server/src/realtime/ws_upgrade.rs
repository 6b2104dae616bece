//! The HTTP/1.1 WebSocket upgrade of document sockets, done here instead of by axum's
//! `WebSocketUpgrade` because axum's socket only sends whole messages, and tungstenite copies
//! each message into the socket's write buffer, which never shrinks: every joiner of a 14 MB
//! document held a copy of its own, 300 stalled joiners 4 GiB. With the tokio-tungstenite
//! stream itself, `doc_socket` sends large messages as fragments that are slices of one shared
//! `Bytes`, so a socket's write buffer holds one fragment at most.

use std::future::Future;

use axum::extract::FromRequestParts;
use axum::http::header::{CONNECTION, SEC_WEBSOCKET_ACCEPT, SEC_WEBSOCKET_KEY, SEC_WEBSOCKET_VERSION, UPGRADE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Version};
use axum::response::Response;
use hyper::upgrade::{OnUpgrade, Upgraded};
use hyper_util::rt::TokioIo;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};

use crate::error::AppError;

/// An upgraded document socket.
pub type DocWebSocket = WebSocketStream<TokioIo<Upgraded>>;

/// A valid WebSocket upgrade request, taken apart before the handler decides on it.
pub struct WsUpgrade {
    key: HeaderValue,
    on_upgrade: OnUpgrade,
}

impl<S: Send + Sync> FromRequestParts<S> for WsUpgrade {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let headers = &parts.headers;
        let is_upgrade = parts.version <= Version::HTTP_11
            && parts.method == Method::GET
            && header_has_token(headers, CONNECTION, "upgrade")
            && header_has_token(headers, UPGRADE, "websocket")
            && headers.get(SEC_WEBSOCKET_VERSION).is_some_and(|v| v.as_bytes() == b"13");
        let key = headers.get(SEC_WEBSOCKET_KEY).filter(|_| is_upgrade).cloned();
        match (key, parts.extensions.remove::<OnUpgrade>()) {
            (Some(key), Some(on_upgrade)) => Ok(WsUpgrade { key, on_upgrade }),
            _ => Err(AppError::BadRequest("Expected a WebSocket upgrade (HTTP/1.1, version 13).".into())),
        }
    }
}

fn header_has_token(headers: &HeaderMap, name: axum::http::HeaderName, token: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .any(|value| value.to_str().is_ok_and(|v| v.split(',').any(|part| part.trim().eq_ignore_ascii_case(token))))
}

impl WsUpgrade {
    /// Answers 101 and runs `serve` with the socket once the connection has switched.
    pub fn on_upgrade<F, Fut>(self, config: WebSocketConfig, serve: F) -> Response
    where
        F: FnOnce(DocWebSocket) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let accept = derive_accept_key(self.key.as_bytes());
        let on_upgrade = self.on_upgrade;
        tokio::spawn(async move {
            match on_upgrade.await {
                Ok(upgraded) => {
                    let socket =
                        WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, Some(config)).await;
                    serve(socket).await;
                }
                Err(err) => tracing::debug!(error = %err, "a WebSocket upgrade failed"),
            }
        });
        Response::builder()
            .status(StatusCode::SWITCHING_PROTOCOLS)
            .header(CONNECTION, "upgrade")
            .header(UPGRADE, "websocket")
            .header(SEC_WEBSOCKET_ACCEPT, accept)
            .body(axum::body::Body::empty())
            .expect("a valid 101 response")
    }
}
