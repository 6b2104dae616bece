//! The video call's signalling on the room socket, between real sockets: joining (welcome and
//! the roster for everyone), offers, answers and candidates reaching exactly the peer they are
//! for, media changes, leaving, the six-peer limit, the interview's end emptying the call, and
//! an observer unnamed to the candidate whom the host lets speak (audio only).

use serde_json::json;
use uuid::Uuid;

use crate::call_support::{
    ANSWER_AUDIO_ONLY, ANSWER_RECEIVE_ONLY, OFFER_AUDIO_VIDEO, Room, candidate, description, join, media, next_state,
    peers, send,
};
use crate::helpers::{TestApp, next_call_event};

crate::on_both_backends!(
    two_peers_join_and_signals_reach_only_the_peer_they_are_for,
    a_seventh_peer_is_refused,
    the_end_of_the_interview_empties_the_call,
    observers_are_unnamed_to_the_candidate_and_speak_only_when_the_host_lets_them,
);

fn peer(name: &str, role: &str) -> (String, String) {
    (name.to_owned(), role.to_owned())
}

async fn two_peers_join_and_signals_reach_only_the_peer_they_are_for(app: TestApp) {
    let room = Room::new(app).await;
    let hana_name = "Hana Host";
    let (mut hana, first) = room.open(Some(&room.host)).await;
    assert!(peers(&first).is_empty(), "nobody in the call yet");
    let (mut casey, _) = room.open(None).await;
    let (mut cole, _) = room.open(Some(&room.co)).await;

    let hana_peer = join(&mut hana, media(true, true)).await;
    assert_eq!(peers(&next_state(&mut hana).await), [peer(hana_name, "host")]);
    assert_eq!(peers(&next_state(&mut casey).await), [peer(hana_name, "host")]);
    assert_eq!(peers(&next_state(&mut cole).await), [peer(hana_name, "host")]);
    let casey_peer = join(&mut casey, media(true, true)).await;
    let both = next_state(&mut casey).await;
    assert_eq!(peers(&both), [peer(hana_name, "host"), peer("Casey", "candidate")]);
    assert_eq!(both["peers"][1]["peer_id"], casey_peer);
    assert_eq!(both["peers"][1]["may_send"], json!({"audio": true, "video": true, "screen": true}));
    assert_eq!(peers(&next_state(&mut hana).await), peers(&both));
    assert_eq!(peers(&next_state(&mut cole).await), peers(&both));

    // Offer, answer and a candidate each reach only the peer they are for.
    send(&mut hana, description(&casey_peer, "offer", OFFER_AUDIO_VIDEO)).await;
    let offer = next_call_event(&mut casey).await;
    assert_eq!(offer["type"], "call_signal");
    assert_eq!(offer["from"], hana_peer);
    assert_eq!(offer["description"], json!({"type": "offer", "sdp": OFFER_AUDIO_VIDEO}));
    assert!(offer["candidate"].is_null());
    send(&mut casey, description(&hana_peer, "answer", OFFER_AUDIO_VIDEO)).await;
    let answer = next_call_event(&mut hana).await;
    assert_eq!(
        (&answer["type"], &answer["from"], &answer["description"]["type"]),
        (&json!("call_signal"), &json!(casey_peer), &json!("answer"))
    );
    send(&mut casey, candidate(&hana_peer)).await;
    let ice = next_call_event(&mut hana).await;
    assert_eq!(ice["candidate"]["sdp_mid"], "0");
    assert_eq!(ice["candidate"]["username_fragment"], "Qx7n");
    assert!(ice["description"].is_null());

    // Casey mutes: everyone gets the new roster; the co-interviewer, addressed by nothing
    // above, gets it as their next call event.
    send(&mut casey, json!({"type": "call_media", "v": 1, "media": media(false, true)})).await;
    for socket in [&mut hana, &mut casey, &mut cole] {
        let state = next_state(socket).await;
        assert_eq!(state["peers"][1]["media"], media(false, true));
    }

    // Casey's socket closes: they leave the call; Hana leaves by message.
    casey.close(None).await.unwrap();
    assert_eq!(peers(&next_state(&mut hana).await), [peer(hana_name, "host")]);
    assert_eq!(peers(&next_state(&mut cole).await), [peer(hana_name, "host")]);
    send(&mut hana, json!({"type": "call_leave", "v": 1})).await;
    assert!(peers(&next_state(&mut cole).await).is_empty());
}

async fn a_seventh_peer_is_refused(app: TestApp) {
    let room = Room::new(app).await;
    let mut sockets = Vec::new();
    for _ in 0..6 {
        let (mut socket, _) = room.open(Some(&room.host)).await;
        join(&mut socket, media(false, false)).await;
        sockets.push(socket);
    }
    let (mut seventh, state) = room.open(Some(&room.co)).await;
    assert_eq!(peers(&state).len(), 6);
    send(&mut seventh, json!({"type": "call_join", "v": 1, "media": media(true, true)})).await;
    let refused = next_call_event(&mut seventh).await;
    assert_eq!((&refused["type"], &refused["code"]), (&json!("call_error"), &json!("call_full")), "{refused}");
    // One leaves: the seventh gets in.
    sockets.pop().unwrap().close(None).await.unwrap();
    assert_eq!(peers(&next_state(&mut seventh).await).len(), 5);
    join(&mut seventh, media(true, true)).await;
}

async fn the_end_of_the_interview_empties_the_call(app: TestApp) {
    let room = Room::new(app).await;
    let (mut hana, _) = room.open(Some(&room.host)).await;
    let (mut cole, _) = room.open(Some(&room.co)).await;
    join(&mut hana, media(true, true)).await;
    next_state(&mut hana).await;
    next_state(&mut cole).await;
    join(&mut cole, media(true, false)).await;
    next_state(&mut hana).await;
    next_state(&mut cole).await;

    room.end().await;
    for socket in [&mut hana, &mut cole] {
        let left = next_call_event(socket).await;
        assert_eq!(left, json!({"type": "call_left", "v": 1, "reason": "interview_ended"}));
        assert!(peers(&next_state(socket).await).is_empty());
    }
    send(&mut hana, json!({"type": "call_join", "v": 1, "media": media(true, true)})).await;
    let refused = next_call_event(&mut hana).await;
    assert_eq!(refused["code"], "interview_ended", "{refused}");
    send(&mut hana, candidate(&Uuid::nil().to_string())).await;
    assert_eq!(next_call_event(&mut hana).await["code"], "not_in_call", "the server took the peer out");
}

async fn observers_are_unnamed_to_the_candidate_and_speak_only_when_the_host_lets_them(app: TestApp) {
    let room = Room::new(app).await;
    let (mut hana, _) = room.open(Some(&room.host)).await;
    let (mut casey, _) = room.open(None).await;
    let (mut olga, _) = room.open(Some(&room.observer)).await;
    let hana_peer = join(&mut hana, media(true, true)).await;
    for socket in [&mut hana, &mut casey, &mut olga] {
        next_state(socket).await;
    }
    let olga_peer = join(&mut olga, media(false, false)).await;
    let seen_by_host = next_state(&mut hana).await;
    assert_eq!(peers(&seen_by_host), [peer("Hana Host", "host"), peer("Olga Observer", "observer")]);
    assert_eq!(seen_by_host["peers"][1]["may_send"], json!({"audio": false, "video": false, "screen": false}));
    let seen_by_candidate = next_state(&mut casey).await;
    assert_eq!(peers(&seen_by_candidate), [peer("Hana Host", "host"), peer("Observer", "observer")]);
    assert_eq!(peers(&next_state(&mut olga).await)[1], peer("Observer", "observer"), "observers see observers unnamed");

    // A receive-only answer passes; an audio one does not, yet.
    send(&mut olga, description(&hana_peer, "answer", ANSWER_RECEIVE_ONLY)).await;
    assert_eq!(next_call_event(&mut hana).await["from"], olga_peer);
    send(&mut olga, description(&hana_peer, "answer", ANSWER_AUDIO_ONLY)).await;
    assert_eq!(next_call_event(&mut olga).await["code"], "send_not_allowed");

    // The host lets Olga speak: she is taken out of the call, joins again with audio.
    let observer = room.interview.observer_participant.as_deref().unwrap();
    send(&mut hana, json!({"type": "call_permit", "v": 1, "participant_id": observer, "speak": true})).await;
    assert_eq!(next_call_event(&mut olga).await, json!({"type": "call_left", "v": 1, "reason": "permission_changed"}));
    assert_eq!(peers(&next_state(&mut hana).await), [peer("Hana Host", "host")]);
    send(&mut olga, json!({"type": "call_join", "v": 1, "media": media(true, false)})).await;
    let welcome = loop {
        let event = next_call_event(&mut olga).await;
        if event["type"] == "call_welcome" {
            break event;
        }
        assert_eq!(event["type"], "call_state", "{event}");
    };
    assert_eq!(welcome["may_send"], json!({"audio": true, "video": false, "screen": false}));
    let olga_peer = welcome["peer_id"].as_str().unwrap().to_owned();
    // The roster of her leaving travels through the room's events and her welcome straight back
    // on her socket: it may reach her after the welcome. The next roster lists her again.
    let mut listed = next_state(&mut olga).await;
    if peers(&listed) == [peer("Hana Host", "host")] {
        listed = next_state(&mut olga).await;
    }
    assert_eq!(listed["peers"][1]["peer_id"], olga_peer, "{listed}");
    let state = next_state(&mut hana).await;
    assert_eq!(state["peers"][1]["may_send"]["audio"], true);
    assert_eq!(state["peers"][1]["media"], media(true, false));

    send(&mut olga, description(&hana_peer, "offer", ANSWER_AUDIO_ONLY)).await;
    let relayed = next_call_event(&mut hana).await;
    assert_eq!((&relayed["from"], &relayed["description"]["sdp"]), (&json!(olga_peer), &json!(ANSWER_AUDIO_ONLY)));
    send(&mut olga, description(&hana_peer, "offer", OFFER_AUDIO_VIDEO)).await;
    let refused = next_call_event(&mut olga).await;
    assert_eq!((&refused["type"], &refused["code"]), (&json!("call_error"), &json!("send_not_allowed")));
    // Nothing of it reached the host: its next call event is the observer leaving.
    send(&mut olga, json!({"type": "call_leave", "v": 1})).await;
    assert_eq!(peers(&next_state(&mut hana).await), [peer("Hana Host", "host")]);
}
