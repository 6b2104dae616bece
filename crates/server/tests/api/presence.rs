//! Presence on the room socket: a host sees the candidate waiting in the lobby come online and
//! go offline (several tabs counting once), candidates are never shown observers, and a socket
//! reopened at once (a reload) gets its presence even when its departure was never announced.

use reqwest::header::SET_COOKIE;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{Cast, Interview, create_interview};
use crate::helpers::{Socket, TestApp, next_event_of_any_type, next_presence};
use crate::room_cluster_support::room_socket_at;

crate::on_both_backends!(
    a_host_sees_the_candidate_come_and_go_and_candidates_never_see_observers,
    a_reopened_room_gets_its_presence_even_before_the_departure_is_announced
);

/// Joins as the candidate with a client of its own; returns the session cookie (`name=value`).
async fn join_for_cookie(app: &TestApp, interview: &Interview, name: &str) -> String {
    let path = format!("/api/interviews/room/{}/join", interview.code);
    let response = app.post_json(&Client::new(), &path, &json!({"name": name, "invite": interview.invite})).await;
    assert_eq!(response.status(), StatusCode::OK, "{name} joining");
    let set = response.headers().get(SET_COOKIE).expect("a session cookie").to_str().unwrap();
    set.split(';').next().unwrap().to_owned()
}

/// The interview's room socket, by API token or session cookie; returns it with its first
/// presence event (sent right after `hello`, as is `call_state`).
async fn open_room(app: &TestApp, interview: &str, token: Option<&str>, cookie: Option<&str>) -> (Socket, Value) {
    let mut socket = room_socket_at(&app.base, interview, token, cookie).await;
    // `call_state` (who is in the video call) also comes right after hello, before or after.
    let mut presence = next_event_of_any_type(&mut socket).await;
    if presence["type"] == "call_state" {
        presence = next_event_of_any_type(&mut socket).await;
    }
    assert_eq!(presence["type"], "presence", "presence right after hello: {presence}");
    (socket, presence)
}

/// `(name, role, online)` of each participant listed, in order.
fn listed(presence: &Value) -> Vec<(String, String, bool)> {
    assert_eq!(presence["v"], 1);
    presence["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .map(|p| {
            assert!(p["participant_id"].is_string(), "{p}");
            (p["name"].as_str().unwrap().to_owned(), p["role"].as_str().unwrap().to_owned(), p["online"] == true)
        })
        .collect()
}

fn person(name: &str, role: &str, online: bool) -> (String, String, bool) {
    (name.to_owned(), role.to_owned(), online)
}

async fn a_host_sees_the_candidate_come_and_go_and_candidates_never_see_observers(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = create_interview(app, &cast.host, json!({"title": "Lobby"})).await;
    let added = app
        .post_json(
            &cast.host,
            &format!("/api/interviews/{}/participants", interview.id),
            &json!({"email": "observer@example.com", "role": "observer"}),
        )
        .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let candidate = join_for_cookie(app, &interview, "Casey").await;
    let host_token = app.token(&cast.host).await;
    let observer_token = app.token(&cast.observer).await;

    // The host opens the interview page: only they are online.
    let (mut host, first) = open_room(app, &interview.id, Some(&host_token), None).await;
    let (hana, olga) = ("Hana Host", "Olga Observer");
    assert_eq!(
        listed(&first),
        [person(hana, "host", true), person(olga, "observer", false), person("Casey", "candidate", false)]
    );

    // The candidate waits in the lobby (the interview is still scheduled): the host sees it
    // live; the candidate sees the host, not the observer.
    let (mut lobby, seen_by_candidate) = open_room(app, &interview.id, None, Some(&candidate)).await;
    assert_eq!(listed(&seen_by_candidate), [person(hana, "host", true), person("Casey", "candidate", true)]);
    assert_eq!(
        listed(&next_presence(&mut host).await),
        [person(hana, "host", true), person(olga, "observer", false), person("Casey", "candidate", true)]
    );

    // A second tab, then the first one closes: still online.
    let (mut second_tab, snapshot) = open_room(app, &interview.id, None, Some(&candidate)).await;
    assert_eq!(listed(&snapshot), [person(hana, "host", true), person("Casey", "candidate", true)]);
    lobby.close(None).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await; // the server has seen it close
    let (mut observer, seen_by_observer) = open_room(app, &interview.id, Some(&observer_token), None).await;
    assert_eq!(
        listed(&seen_by_observer),
        [person(hana, "host", true), person("Casey", "candidate", true)],
        "observers are not listed to observers either"
    );
    assert_eq!(
        listed(&next_presence(&mut host).await),
        [person(hana, "host", true), person(olga, "observer", true), person("Casey", "candidate", true)],
        "closing one of two tabs leaves the candidate online"
    );

    // The observer came and goes without the candidate hearing of it: the candidate's next
    // presence is the host leaving.
    observer.close(None).await.unwrap();
    assert_eq!(
        listed(&next_presence(&mut host).await),
        [person(hana, "host", true), person(olga, "observer", false), person("Casey", "candidate", true)]
    );
    host.close(None).await.unwrap();
    assert_eq!(
        listed(&next_presence(&mut second_tab).await),
        [person(hana, "host", false), person("Casey", "candidate", true)],
        "no event about the observer reached the candidate"
    );

    // The host comes back, and the candidate's last tab closes: the host sees them go.
    let (mut host, back) = open_room(app, &interview.id, Some(&host_token), None).await;
    assert_eq!(listed(&back)[2], person("Casey", "candidate", true));
    second_tab.close(None).await.unwrap();
    assert_eq!(
        listed(&next_presence(&mut host).await),
        [person(hana, "host", true), person(olga, "observer", false), person("Casey", "candidate", false)]
    );
}

/// A reload closes the room socket and opens another at once: the departure's announcement
/// (in the background) may run after the new socket counts the participant back, so nothing
/// changed for the hub to announce; the new socket still gets a presence showing its
/// participant online (once CI waited for it in vain).
async fn a_reopened_room_gets_its_presence_even_before_the_departure_is_announced(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = create_interview(app, &cast.host, json!({"title": "Reloads"})).await;
    let candidate = join_for_cookie(app, &interview, "Casey").await;
    let host_token = app.token(&cast.host).await;
    let (_lobby, _) = open_room(app, &interview.id, None, Some(&candidate)).await;
    let (mut host, _) = open_room(app, &interview.id, Some(&host_token), None).await;
    for reload in 0..25 {
        host.close(None).await.unwrap();
        let (mut reopened, mut presence) = open_room(app, &interview.id, Some(&host_token), None).await;
        if listed(&presence)[0] == person("Hana Host", "host", false) {
            // The departure was announced while the new socket was already subscribed: the
            // arrival's presence follows it.
            presence = next_presence(&mut reopened).await;
        }
        assert_eq!(
            listed(&presence),
            [person("Hana Host", "host", true), person("Casey", "candidate", true)],
            "reload {reload}"
        );
        host = reopened;
    }
}
