//! What the run attacks share: a candidate whose session cookie is known (so their room socket
//! can be opened like a browser does), room sockets, and waiting for runs and their events.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::fixtures::Interview;
use crate::helpers::TestApp;

pub type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A candidate session: a client sending its cookie, and the cookie for sockets.
pub struct Candidate {
    pub client: Client,
    pub cookie: String,
}

/// Joins `interview` as a candidate named `name`.
pub async fn join_as_candidate(app: &TestApp, interview: &Interview, name: &str) -> Candidate {
    let response = Client::new()
        .post(app.url(&format!("/api/interviews/room/{}/join", interview.code)))
        .json(&json!({"name": name, "invite": interview.invite}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{name} joining");
    let set_cookie = response.headers()[SET_COOKIE].to_str().unwrap();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let mut headers = HeaderMap::new();
    headers.insert(COOKIE, HeaderValue::from_str(&cookie).unwrap());
    Candidate { client: Client::builder().default_headers(headers).build().unwrap(), cookie }
}

/// The room socket of `interview`, authenticated by a cookie or an API token; past `hello`.
pub async fn room_socket(app: &TestApp, interview: &str, auth: SocketAuth<'_>) -> Socket {
    let base = format!("{}/ws/rooms/{interview}", app.base.replace("http://", "ws://"));
    let mut request = match auth {
        SocketAuth::Token(token) => format!("{base}?token={token}"),
        SocketAuth::Cookie(_) => base,
    }
    .into_client_request()
    .unwrap();
    if let SocketAuth::Cookie(cookie) = auth {
        request.headers_mut().insert("cookie", cookie.parse().unwrap());
    }
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("room socket");
    assert_eq!(next_event(&mut socket).await["type"], "hello");
    socket
}

#[derive(Clone, Copy)]
pub enum SocketAuth<'a> {
    Token(&'a str),
    Cookie(&'a str),
}

pub async fn next_event(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(30), socket.next())
            .await
            .expect("an event in time")
            .expect("open socket")
            .expect("frame");
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).expect("JSON event");
        }
    }
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

/// The run once finished, as `client` sees it.
pub async fn wait_run(app: &TestApp, client: &Client, run: &str) -> Value {
    let body: Value = app.get(client, &format!("/api/runs/{run}?wait=30")).await.json().await.unwrap();
    body["run"].clone()
}
