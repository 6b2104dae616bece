//! The embedded TURN relay (`--turn-listen`): a participant's credentials from `/ice`
//! allocate relays through it with the `turn` crate's client, and data goes from one relayed
//! address to another and back; wrong and expired credentials allocate nothing; and a relay
//! does not reach the server's own network (a plain socket on loopback hears nothing).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use hmac::{KeyInit, Mac};
use serde_json::Value;
use tokio::net::UdpSocket;
use turn::client::{Client as TurnClient, ClientConfig};
use webrtc_util::Conn;

use crate::fixtures::Cast;
use crate::helpers::{Backend, TestApp};

const SECRET: &str = "relay-test-secret";

async fn app_with_relay() -> TestApp {
    TestApp::try_spawn_with(Backend::Sqlite, |config| {
        config.ice.turn_listen = Some("127.0.0.1:0".parse().unwrap());
        config.ice.turn_secret = Some(SECRET.into());
    })
    .await
    .expect("SQLite is always available")
}

/// The relay's address and a participant's credentials, from `/ice`.
struct TurnLogin {
    server: String,
    username: String,
    password: String,
}

async fn turn_login(app: &TestApp, client: &reqwest::Client, interview: &str) -> TurnLogin {
    let body: Value = app.get(client, &format!("/api/interviews/{interview}/ice")).await.json().await.unwrap();
    let turn = &body["ice_servers"][0];
    let url = turn["urls"][0].as_str().unwrap();
    let server = url.strip_prefix("turn:").unwrap().strip_suffix("?transport=udp").unwrap().to_owned();
    assert!(server.starts_with("127.0.0.1:") && !server.ends_with(":0"), "the bound port is handed out: {url}");
    TurnLogin {
        server,
        username: turn["username"].as_str().unwrap().to_owned(),
        password: turn["credential"].as_str().unwrap().to_owned(),
    }
}

async fn turn_client(login: &TurnLogin) -> TurnClient {
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let client = TurnClient::new(ClientConfig {
        stun_serv_addr: login.server.clone(),
        turn_serv_addr: login.server.clone(),
        username: login.username.clone(),
        password: login.password.clone(),
        realm: String::new(),
        software: String::new(),
        rto_in_ms: 0,
        conn: Arc::new(socket),
        vnet: None,
    })
    .await
    .unwrap();
    client.listen().await.unwrap();
    client
}

/// Sends `message` from `sender` to `receiver` until it arrives, and returns who it came from.
/// A TURN relay passes only datagrams from peers its client gave a permission, which the
/// `turn` client does when sending to them: so `receiver` greets `sender` too.
async fn deliver(sender: &impl Conn, receiver: &impl Conn, message: &[u8]) -> SocketAddr {
    let (from, to) = (sender.local_addr().unwrap(), receiver.local_addr().unwrap());
    let mut buf = vec![0u8; 1500];
    for _ in 0..50 {
        receiver.send_to(b"greetings", from).await.unwrap();
        sender.send_to(message, to).await.unwrap();
        if let Ok(Ok((length, from))) =
            tokio::time::timeout(Duration::from_millis(100), receiver.recv_from(&mut buf)).await
            && &buf[..length] == message
        {
            return from;
        }
    }
    panic!("{} never arrived", String::from_utf8_lossy(message));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_participants_exchange_data_through_the_relay() {
    let cast = Cast::new(app_with_relay().await).await;
    let interview = cast.interview(true).await;
    let candidate = turn_client(&turn_login(&cast.app, &cast.candidate, &interview.id).await).await;
    let host = turn_client(&turn_login(&cast.app, &cast.host, &interview.id).await).await;
    let candidate_relay = tokio::time::timeout(Duration::from_secs(10), candidate.allocate()).await.unwrap().unwrap();
    let host_relay = tokio::time::timeout(Duration::from_secs(10), host.allocate()).await.unwrap().unwrap();
    let (candidate_address, host_address) = (candidate_relay.local_addr().unwrap(), host_relay.local_addr().unwrap());
    assert_eq!(candidate_address.ip(), "127.0.0.1".parse::<std::net::IpAddr>().unwrap());
    assert_ne!(candidate_address, host_address);

    let from = deliver(&candidate_relay, &host_relay, b"hello from the candidate").await;
    assert_eq!(from, candidate_address, "it came through the candidate's relay");
    let from = deliver(&host_relay, &candidate_relay, b"hello back from the host").await;
    assert_eq!(from, host_address);

    // A socket of the server's own network is no peer: nothing reaches it through the relay,
    // and nothing it sends reaches the relay's client.
    let inside = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let inside_address = inside.local_addr().unwrap();
    let mut buf = vec![0u8; 1500];
    for _ in 0..5 {
        let _ = candidate_relay.send_to(b"let me in", inside_address).await;
        let _ = inside.send_to(b"here I am", candidate_address).await;
    }
    let heard = tokio::time::timeout(Duration::from_millis(500), inside.recv_from(&mut buf)).await;
    assert!(heard.is_err(), "the loopback socket heard the relay");
    // (Greetings still on their way from the host may arrive meanwhile.)
    while let Ok(heard) = tokio::time::timeout(Duration::from_millis(500), candidate_relay.recv_from(&mut buf)).await {
        let (length, from) = heard.unwrap();
        assert_eq!(from, host_address, "{} reached the client", String::from_utf8_lossy(&buf[..length]));
    }

    candidate.close().await.unwrap();
    host.close().await.unwrap();
    cast.app.shutdown().await.unwrap();
}

fn password(username: &str) -> String {
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(username.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_and_expired_credentials_allocate_nothing() {
    let cast = Cast::new(app_with_relay().await).await;
    let interview = cast.interview(true).await;
    let login = turn_login(&cast.app, &cast.candidate, &interview.id).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let expired = format!("{}:{}", now - 1, login.username.split_once(':').unwrap().1);
    let refused = [
        ("a wrong password", TurnLogin { password: "d3Jvbmc=".into(), ..login_copy(&login) }),
        (
            "an expired username",
            TurnLogin { password: password(&expired), username: expired.clone(), ..login_copy(&login) },
        ),
        ("a stretched expiry", TurnLogin { username: format!("{}:x", now + 999_999), ..login_copy(&login) }),
    ];
    for (what, login) in refused {
        let client = turn_client(&login).await;
        let allocated = tokio::time::timeout(Duration::from_secs(10), client.allocate()).await.expect("an answer");
        assert!(allocated.is_err(), "{what} allocated a relay");
        client.close().await.unwrap();
    }
    // The right credential still works.
    let client = turn_client(&login).await;
    assert!(tokio::time::timeout(Duration::from_secs(10), client.allocate()).await.unwrap().is_ok());
    client.close().await.unwrap();
    cast.app.shutdown().await.unwrap();
}

fn login_copy(login: &TurnLogin) -> TurnLogin {
    TurnLogin { server: login.server.clone(), username: login.username.clone(), password: login.password.clone() }
}
