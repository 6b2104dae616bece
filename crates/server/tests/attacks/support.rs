//! What the attacks share: sessions whose cookie the test holds (to open sockets with it, as
//! a browser does), sockets read until they close, room events, and queueing and waiting for
//! runs.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::fixtures::Interview;
use crate::helpers::TestApp;
pub use crate::helpers::{Socket, next_event, next_event_of_any_type, wait_run};

/// A session the test can see: a client that sends its cookie, and the cookie itself.
pub struct Session {
    pub client: Client,
    pub cookie: String,
}

/// The `name=value` of the session cookie a response sets.
pub fn session_cookie(response: &Response) -> String {
    let set = response.headers().get(SET_COOKIE).expect("a session cookie").to_str().unwrap();
    set.split(';').next().unwrap().to_owned()
}

pub fn client_with_cookie(cookie: &str) -> Client {
    let mut headers = HeaderMap::new();
    headers.insert(COOKIE, HeaderValue::from_str(cookie).unwrap());
    Client::builder().default_headers(headers).build().unwrap()
}

/// Registers `email` and returns its first session.
pub async fn register(app: &TestApp, email: &str, name: &str) -> Session {
    let response = app.register(&Client::new(), email, name, "correct horse battery").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = session_cookie(&response);
    Session { client: client_with_cookie(&cookie), cookie }
}

/// Another session of an existing account.
pub async fn login(app: &TestApp, email: &str) -> Session {
    let response = app.login(&Client::new(), email, "correct horse battery").await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = session_cookie(&response);
    Session { client: client_with_cookie(&cookie), cookie }
}

/// Joins `interview` as its candidate, named `name`, and returns the candidate's session.
pub async fn join_as_candidate(app: &TestApp, interview: &Interview, name: &str) -> Session {
    let path = format!("/api/interviews/room/{}/join", interview.code);
    let response = app.post_json(&Client::new(), &path, &json!({"name": name, "invite": interview.invite})).await;
    assert_eq!(response.status(), StatusCode::OK, "{name} joining");
    let cookie = session_cookie(&response);
    Session { client: client_with_cookie(&cookie), cookie }
}

/// How a socket authenticates.
#[derive(Clone, Copy)]
pub enum SocketAuth<'a> {
    Cookie(&'a str),
    Token(&'a str),
}

/// Connects to the socket at `path` as `auth` says.
pub async fn connect(app: &TestApp, path: &str, auth: SocketAuth<'_>) -> Socket {
    let mut url = format!("{}{path}", app.base.replace("http://", "ws://"));
    if let SocketAuth::Token(token) = auth {
        url.push_str(&format!("?token={token}"));
    }
    let mut request = url.into_client_request().unwrap();
    if let SocketAuth::Cookie(cookie) = auth {
        request.headers_mut().insert(COOKIE, HeaderValue::from_str(cookie).unwrap());
    }
    tokio_tungstenite::connect_async(request).await.unwrap_or_else(|err| panic!("{path} opens: {err}")).0
}

/// Opens `path` (`/ws/rooms/{id}` or `/ws/yjs/{id}/code`) and reads what the server sends
/// first (the hello event, the document's sync), so later frames are the ones that count.
pub async fn open_socket(app: &TestApp, path: &str, auth: SocketAuth<'_>) -> Socket {
    let mut socket = connect(app, path, auth).await;
    while let Ok(Some(Ok(message))) = tokio::time::timeout(Duration::from_millis(300), socket.next()).await {
        assert!(!matches!(message, Message::Close(_)), "{path} closed at once: {message:?}");
    }
    socket
}

/// The close code the socket receives within `within`; any event before it fails the test.
pub async fn close_code(socket: &mut Socket, within: Duration) -> u16 {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .unwrap_or_else(|_| panic!("the socket was still open after {within:?}"));
        match message {
            Some(Ok(Message::Close(Some(frame)))) => return frame.code.into(),
            Some(Ok(Message::Text(text))) => panic!("an event reached a socket whose right is gone: {text}"),
            Some(Ok(Message::Binary(_))) => panic!("a document frame reached a socket whose right is gone"),
            Some(Ok(_)) => {}
            other => panic!("the socket ended without a close code: {other:?}"),
        }
    }
}

/// Reads the `presence` event another participant's arrival sent to `socket`, so that a test
/// about revoked rights starts from a drained socket (where any event at all is a leak).
pub async fn arrival_seen(socket: &mut Socket) {
    let event = next_event_of_any_type(socket).await;
    assert_eq!(event["type"], "presence", "{event}");
}

/// True when the socket is still open after `quiet` (pings aside).
pub async fn still_open(socket: &mut Socket, quiet: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + quiet;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return true,
            Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => return false,
            Ok(Some(Ok(_))) => {}
        }
    }
}

/// The room socket of `interview`, authenticated by a cookie or an API token; past `hello`.
pub async fn room_socket(app: &TestApp, interview: &str, auth: SocketAuth<'_>) -> Socket {
    let mut socket = connect(app, &format!("/ws/rooms/{interview}"), auth).await;
    assert_eq!(next_event(&mut socket).await["type"], "hello");
    socket
}

/// Every event up to the `run_finished` of `run`.
pub async fn events_until_finished(socket: &mut Socket, run: &str) -> Vec<Value> {
    let mut events = Vec::new();
    loop {
        let event = next_event(socket).await;
        let done = event["type"] == "run_finished" && event["run_id"] == run;
        events.push(event);
        if done {
            return events;
        }
    }
}

/// Queues a run; returns the response (202 or a refusal).
pub async fn post_run(app: &TestApp, client: &Client, interview: &str, body: &Value) -> reqwest::Response {
    app.post_json(client, &format!("/api/interviews/{interview}/runs"), body).await
}

/// Queues a run that must be accepted; returns its id.
pub async fn queue_run(app: &TestApp, client: &Client, interview: &str, body: &Value) -> String {
    let response = post_run(app, client, interview, body).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED, "queueing {body}");
    let body: Value = response.json().await.unwrap();
    body["run"]["id"].as_str().unwrap().to_owned()
}
