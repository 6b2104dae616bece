//! What the video-call tests share (the API suite's and the attack suite's): an interview
//! with every role and their room sockets, the call's messages, and reading call events.

use futures_util::SinkExt;
use reqwest::header::{COOKIE, HeaderValue};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::fixtures::{Cast, Interview, create_interview};
use crate::helpers::{Socket, TestApp, next_call_event, next_event_of_any_type};

pub const OFFER_AUDIO_VIDEO: &str = include_str!("../../src/realtime/sdp_samples/chrome_offer_sendrecv.sdp");
pub const ANSWER_AUDIO_ONLY: &str = include_str!("../../src/realtime/sdp_samples/chrome_answer_video_rejected.sdp");
pub const ANSWER_RECEIVE_ONLY: &str = include_str!("../../src/realtime/sdp_samples/chrome_answer_recvonly.sdp");

/// An interview with a host, a co-interviewer, an observer and a candidate, and how each
/// opens a room socket.
pub struct Room {
    pub cast: Cast,
    pub interview: Interview,
    pub host: String,
    pub co: String,
    pub observer: String,
    pub candidate_cookie: String,
}

impl Room {
    pub async fn new(app: TestApp) -> Room {
        let cast = Cast::new(app).await;
        let app = &cast.app;
        let interview = create_interview(app, &cast.host, json!({"title": "Call"})).await;
        let mut interview = interview;
        for (email, role) in [("co@example.com", "interviewer"), ("observer@example.com", "observer")] {
            let path = format!("/api/interviews/{}/participants", interview.id);
            let added = app.post_json(&cast.host, &path, &json!({"email": email, "role": role})).await;
            assert_eq!(added.status(), StatusCode::CREATED);
            let body: Value = added.json().await.unwrap();
            if role == "observer" {
                interview.observer_participant = Some(body["participant"]["id"].as_str().unwrap().to_owned());
            }
        }
        let path = format!("/api/interviews/room/{}/join", interview.code);
        let joined = app.post_json(&Client::new(), &path, &json!({"name": "Casey", "invite": interview.invite})).await;
        assert_eq!(joined.status(), StatusCode::OK);
        let cookie = joined.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
        let (host, co, observer) =
            (app.token(&cast.host).await, app.token(&cast.co).await, app.token(&cast.observer).await);
        Room { interview, host, co, observer, candidate_cookie: cookie, cast }
    }

    /// A room socket by API token (or the candidate's cookie), past `hello`, `presence` and
    /// the first `call_state` (sent right after `hello`), which is returned.
    pub async fn open(&self, token: Option<&str>) -> (Socket, Value) {
        let mut url = format!("{}/ws/rooms/{}", self.cast.app.base.replace("http://", "ws://"), self.interview.id);
        if let Some(token) = token {
            url.push_str(&format!("?token={token}"));
        }
        let mut request = url.into_client_request().unwrap();
        if token.is_none() {
            request.headers_mut().insert(COOKIE, HeaderValue::from_str(&self.candidate_cookie).unwrap());
        }
        let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("room socket");
        assert_eq!(next_event_of_any_type(&mut socket).await["type"], "hello");
        // `presence` comes through the hub when this socket brought its participant online,
        // so it may follow `call_state`.
        let (first, second) = (next_event_of_any_type(&mut socket).await, next_event_of_any_type(&mut socket).await);
        let (presence, state) = if first["type"] == "presence" { (first, second) } else { (second, first) };
        assert_eq!((&presence["type"], &state["type"]), (&json!("presence"), &json!("call_state")), "after hello");
        (socket, state)
    }

    pub async fn end(&self) {
        let path = format!("/api/interviews/{}/end", self.interview.id);
        assert_eq!(self.cast.app.post_json(&self.cast.host, &path, &json!({})).await.status(), StatusCode::OK);
    }
}

pub async fn send(socket: &mut Socket, message: Value) {
    socket.send(Message::text(message.to_string())).await.expect("sent");
}

pub fn media(audio: bool, video: bool) -> Value {
    json!({"audio": audio, "video": video, "screen_stream": null})
}

/// Joins the call; returns the peer id from `call_welcome`. A `call_state` about an earlier
/// change may still be on its way when the join is sent (from another instance it crosses
/// Redis): those before the welcome are skipped.
pub async fn join(socket: &mut Socket, media: Value) -> String {
    send(socket, json!({"type": "call_join", "v": 1, "media": media})).await;
    let mut welcome = next_call_event(socket).await;
    while welcome["type"] == "call_state" {
        welcome = next_call_event(socket).await;
    }
    assert_eq!(welcome["type"], "call_welcome", "{welcome}");
    welcome["peer_id"].as_str().unwrap().to_owned()
}

pub fn description(to: &str, kind: &str, sdp: &str) -> Value {
    json!({"type": "call_signal", "v": 1, "to": to, "description": {"type": kind, "sdp": sdp}})
}

pub fn candidate(to: &str) -> Value {
    let line =
        "candidate:1560499547 1 udp 2113937151 192.168.1.7 33192 typ host generation 0 ufrag Qx7n network-cost 999";
    json!({"type": "call_signal", "v": 1, "to": to,
        "candidate": {"candidate": line, "sdp_mid": "0", "sdp_m_line_index": 0, "username_fragment": "Qx7n"}})
}

/// The next `call_state` on the socket (other call events fail the test).
pub async fn next_state(socket: &mut Socket) -> Value {
    let event = next_call_event(socket).await;
    assert_eq!(event["type"], "call_state", "{event}");
    event
}

/// `(name, role)` of each peer listed, in joining order.
pub fn peers(state: &Value) -> Vec<(String, String)> {
    state["peers"]
        .as_array()
        .expect("peers")
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_owned(), p["role"].as_str().unwrap().to_owned()))
        .collect()
}
