//! Attacks on the video call's signalling (the room socket): a stranger or the candidate of
//! another interview reaching a peer, an observer sending media it may not (in a description
//! or a media claim), signals before joining or to a peer who left, someone other than the
//! host letting an observer speak, oversize and malformed messages, and a flood — cut off
//! with close code 4429 while the server keeps serving everyone else.

use std::time::Duration;

use futures_util::SinkExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

use crate::call_support::{
    ANSWER_AUDIO_ONLY, ANSWER_RECEIVE_ONLY, OFFER_AUDIO_VIDEO, Room, candidate, description, join, media, next_state,
    send,
};
use crate::fixtures::create_interview;
use crate::helpers::{TestApp, next_call_event};
use crate::support::{SocketAuth, close_code, join_as_candidate, open_socket};

crate::on_both_backends!(
    strangers_and_other_interviews_cannot_reach_a_peer,
    an_observer_cannot_send_media,
    signals_before_joining_or_to_a_peer_who_left_are_refused,
    only_the_host_lets_an_observer_speak,
    oversize_and_malformed_messages_are_refused,
    a_flood_is_cut_off_with_4429_and_others_are_still_served,
);

/// Asserts the next call event is a `call_error` with `code`; returns it.
async fn refused(socket: &mut crate::helpers::Socket, code: &str) -> Value {
    let event = next_call_event(socket).await;
    assert_eq!((&event["type"], &event["code"]), (&json!("call_error"), &json!(code)), "{event}");
    assert!(event["message"].as_str().is_some_and(|m| !m.is_empty()), "{event}");
    event
}

/// Whether the room socket of `interview` opens for a client with this API token or cookie.
async fn room_opens(app: &TestApp, interview: &str, auth: SocketAuth<'_>) -> bool {
    let path = format!("/ws/rooms/{interview}");
    let mut url = format!("{}{path}", app.base.replace("http://", "ws://"));
    let mut request = {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        if let SocketAuth::Token(token) = auth {
            url.push_str(&format!("?token={token}"));
        }
        url.into_client_request().unwrap()
    };
    if let SocketAuth::Cookie(cookie) = auth {
        request.headers_mut().insert("cookie", cookie.parse().unwrap());
    }
    tokio_tungstenite::connect_async(request).await.is_ok()
}

async fn strangers_and_other_interviews_cannot_reach_a_peer(app: TestApp) {
    let room = Room::new(app).await;
    let app = &room.cast.app;
    let (mut hana, _) = room.open(Some(&room.host)).await;
    let hana_peer = join(&mut hana, media(true, true)).await;
    next_state(&mut hana).await;

    // A stranger with an account, and the candidate of the stranger's own interview, cannot
    // open this interview's room socket.
    let stranger = app.token(&room.cast.stranger).await;
    assert!(!room_opens(app, &room.interview.id, SocketAuth::Token(&stranger)).await, "a stranger");
    let elsewhere = create_interview(app, &room.cast.stranger, json!({"title": "Elsewhere"})).await;
    let oscar = join_as_candidate(app, &elsewhere, "Oscar").await;
    assert!(!room_opens(app, &room.interview.id, SocketAuth::Cookie(&oscar.cookie)).await, "another candidate");

    // In their own interview's call, a signal to this call's peer finds nobody.
    let mut theirs = open_socket(app, &format!("/ws/rooms/{}", elsewhere.id), SocketAuth::Cookie(&oscar.cookie)).await;
    join(&mut theirs, media(true, true)).await;
    next_state(&mut theirs).await;
    for message in [description(&hana_peer, "offer", OFFER_AUDIO_VIDEO), candidate(&hana_peer)] {
        send(&mut theirs, message).await;
        let gone = refused(&mut theirs, "peer_gone").await;
        assert_eq!(gone["peer_id"], hana_peer);
    }
    // Nothing reached the host: its next call event is its own leaving.
    send(&mut hana, json!({"type": "call_leave", "v": 1})).await;
    assert!(next_state(&mut hana).await["peers"].as_array().unwrap().is_empty());
}

async fn an_observer_cannot_send_media(app: TestApp) {
    let room = Room::new(app).await;
    let (mut hana, _) = room.open(Some(&room.host)).await;
    let (mut olga, _) = room.open(Some(&room.observer)).await;
    let hana_peer = join(&mut hana, media(true, true)).await;
    next_state(&mut hana).await;
    next_state(&mut olga).await;

    for claimed in [media(true, false), media(false, true)] {
        send(&mut olga, json!({"type": "call_join", "v": 1, "media": claimed})).await;
        refused(&mut olga, "send_not_allowed").await;
    }
    join(&mut olga, media(false, false)).await;
    next_state(&mut olga).await;
    next_state(&mut hana).await;

    for (kind, sdp) in [("offer", OFFER_AUDIO_VIDEO), ("answer", ANSWER_AUDIO_ONLY)] {
        send(&mut olga, description(&hana_peer, kind, sdp)).await;
        refused(&mut olga, "send_not_allowed").await;
    }
    let sharing = json!({"audio": false, "video": false, "screen_stream": "screen-1"});
    for claimed in [media(true, false), media(false, true), sharing] {
        send(&mut olga, json!({"type": "call_media", "v": 1, "media": claimed})).await;
        refused(&mut olga, "send_not_allowed").await;
    }
    // The host got none of it: its next call event is the receive-only answer.
    send(&mut olga, description(&hana_peer, "answer", ANSWER_RECEIVE_ONLY)).await;
    let relayed = next_call_event(&mut hana).await;
    assert_eq!(
        (&relayed["type"], &relayed["description"]["sdp"]),
        (&json!("call_signal"), &json!(ANSWER_RECEIVE_ONLY))
    );
}

async fn signals_before_joining_or_to_a_peer_who_left_are_refused(app: TestApp) {
    let room = Room::new(app).await;
    let (mut hana, _) = room.open(Some(&room.host)).await;
    let (mut casey, _) = room.open(None).await;
    let hana_peer = join(&mut hana, media(true, true)).await;
    next_state(&mut casey).await;

    send(&mut casey, candidate(&hana_peer)).await;
    refused(&mut casey, "not_in_call").await;
    send(&mut casey, json!({"type": "call_media", "v": 1, "media": media(true, true)})).await;
    refused(&mut casey, "not_in_call").await;

    join(&mut casey, media(true, true)).await;
    next_state(&mut casey).await;
    // The host leaves by message, then comes back with a new peer from a new socket.
    send(&mut hana, json!({"type": "call_leave", "v": 1})).await;
    next_state(&mut casey).await;
    send(&mut casey, description(&hana_peer, "offer", OFFER_AUDIO_VIDEO)).await;
    assert_eq!(refused(&mut casey, "peer_gone").await["peer_id"], hana_peer);
    hana.close(None).await.unwrap();
    let (mut hana, _) = room.open(Some(&room.host)).await;
    let new_peer = join(&mut hana, media(true, true)).await;
    next_state(&mut casey).await;
    send(&mut casey, candidate(&hana_peer)).await;
    refused(&mut casey, "peer_gone").await;
    send(&mut casey, candidate(&new_peer)).await;
    assert_eq!(next_call_event(&mut hana).await["type"], "call_state", "its own join first");
    assert_eq!(next_call_event(&mut hana).await["type"], "call_signal", "then only the signal for the new peer");
}

async fn only_the_host_lets_an_observer_speak(app: TestApp) {
    let room = Room::new(app).await;
    let observer = room.interview.observer_participant.clone().unwrap();
    let (mut olga, _) = room.open(Some(&room.observer)).await;
    join(&mut olga, media(false, false)).await;
    next_state(&mut olga).await;
    let permit = json!({"type": "call_permit", "v": 1, "participant_id": observer, "speak": true});
    for token in [Some(room.co.as_str()), None, Some(room.observer.as_str())] {
        let (mut socket, _) = room.open(token).await;
        send(&mut socket, permit.clone()).await;
        refused(&mut socket, "forbidden").await;
    }
    // The host cannot "let speak" someone who is not an observer of this interview.
    let (mut hana, _) = room.open(Some(&room.host)).await;
    let stranger = json!({"type": "call_permit", "v": 1, "participant_id": Uuid::now_v7(), "speak": true});
    send(&mut hana, stranger).await;
    refused(&mut hana, "invalid_message").await;
    // The observer was never taken out of the call: still receive-only.
    send(&mut olga, json!({"type": "call_media", "v": 1, "media": media(true, false)})).await;
    refused(&mut olga, "send_not_allowed").await;
}

async fn oversize_and_malformed_messages_are_refused(app: TestApp) {
    let room = Room::new(app).await;
    let (mut hana, _) = room.open(Some(&room.host)).await;
    let (mut casey, _) = room.open(None).await;
    let hana_peer = join(&mut hana, media(true, true)).await;
    next_state(&mut casey).await;
    join(&mut casey, media(true, true)).await;
    next_state(&mut casey).await;
    next_state(&mut hana).await;
    next_state(&mut hana).await;

    let oversize = format!("{OFFER_AUDIO_VIDEO}{}", "a=x\r\n".repeat(7 * 1024));
    let both = json!({"type": "call_signal", "v": 1, "to": hana_peer,
        "description": {"type": "offer", "sdp": "v=0"}, "candidate": {"candidate": ""}});
    let malformed = [
        description(&hana_peer, "offer", &oversize).to_string(),
        candidate(&hana_peer).to_string().replace("candidate:", &format!("candidate:{}", "9".repeat(1100))),
        "{".to_owned(),
        "null".to_owned(),
        json!({"type": "call_dance", "v": 1}).to_string(),
        json!({"type": "call_leave", "v": 2}).to_string(),
        json!({"type": "call_signal", "v": 1, "to": hana_peer}).to_string(),
        both.to_string(),
        description(&hana_peer, "rollback", "").to_string(),
        json!({"type": "call_join", "v": 1, "media": {"audio": true, "video": true, "screen_stream": "<script>"}})
            .to_string(),
    ];
    for text in malformed {
        casey.send(Message::text(text.clone())).await.unwrap();
        refused(&mut casey, "invalid_message").await;
    }
    // A binary frame is ignored.
    casey.send(Message::binary(vec![0u8; 1024])).await.unwrap();
    // None of it reached the host: its next call event is the well-formed candidate.
    send(&mut casey, candidate(&hana_peer)).await;
    let relayed = next_call_event(&mut hana).await;
    assert_eq!((&relayed["type"], &relayed["candidate"]["sdp_mid"]), (&json!("call_signal"), &json!("0")));
}

async fn a_flood_is_cut_off_with_4429_and_others_are_still_served(app: TestApp) {
    let room = Room::new(app).await;
    let (mut hana, _) = room.open(Some(&room.host)).await;
    let (mut flood, _) = room.open(None).await;
    // A thousand messages at once (leaving a call one is not in: no answers to read).
    let leave = json!({"type": "call_leave", "v": 1}).to_string();
    for _ in 0..1000 {
        if flood.feed(Message::text(leave.clone())).await.is_err() {
            break;
        }
    }
    let _ = flood.flush().await;
    assert_eq!(close_code(&mut flood, Duration::from_secs(5)).await, 4429);

    // The server still serves the others: the host joins, and the candidate opens a new socket.
    let hana_peer = join(&mut hana, media(true, true)).await;
    let (mut casey, state) = room.open(None).await;
    assert_eq!(state["peers"][0]["peer_id"], hana_peer);
    join(&mut casey, media(true, true)).await;
    send(&mut casey, candidate(&hana_peer)).await;
    assert_eq!(next_call_event(&mut hana).await["type"], "call_state");
    assert_eq!(next_call_event(&mut hana).await["type"], "call_state");
    assert_eq!(next_call_event(&mut hana).await["type"], "call_signal");
}
