//! Where the rooms come from and how to reach them: with `--setup`, one host account on a
//! CodeView server whose interviews are the rooms (cached in a file, since creating 10,000
//! interviews takes a while); without it, fresh room names for a server without auth (the
//! reference y-websocket server).

use std::path::Path;

use anyhow::{Context, Result, bail};
use futures_util::{StreamExt, TryStreamExt, stream};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::Socket;

/// Interviews created at once while setting up.
const SETUP_CONCURRENCY: usize = 32;

/// The rooms of one run and the credential that opens them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rooms {
    /// `?token=` value, when the server wants one.
    pub token: Option<String>,
    /// LiveDoc names: interview ids, or generated names.
    pub names: Vec<String>,
}

impl Rooms {
    /// The WebSocket URL of `room`: `{room}` in the template is replaced and the token appended.
    pub fn url(&self, template: &str, room: &str) -> String {
        let url = template.replace("{room}", room);
        match &self.token {
            Some(token) => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}token={token}")
            }
            None => url,
        }
    }
}

/// Rooms `[offset, offset + count)`: from the cache file when it has enough, else created.
pub async fn prepare(setup: Option<&str>, cache: Option<&Path>, offset: usize, count: usize) -> Result<Rooms> {
    let needed = offset + count;
    let Some(base) = setup else {
        let run: u32 = rand::random();
        let names = (offset..needed).map(|i| format!("bench-{run:08x}-{i}")).collect();
        return Ok(Rooms { token: None, names });
    };
    let mut rooms = match cache.filter(|path| path.exists()) {
        Some(path) => serde_json::from_slice(&std::fs::read(path)?).context("reading the rooms file")?,
        None => create_host(base).await?,
    };
    if rooms.names.len() < needed {
        let started = std::time::Instant::now();
        let more = create_interviews(base, &rooms, needed - rooms.names.len()).await?;
        rooms.names.extend(more);
        eprintln!("created interviews up to {needed} in {:.1} s", started.elapsed().as_secs_f64());
        if let Some(path) = cache {
            std::fs::write(path, serde_json::to_vec(&rooms)?).context("writing the rooms file")?;
        }
    }
    rooms.names = rooms.names[offset..needed].to_vec();
    Ok(rooms)
}

async fn create_host(base: &str) -> Result<Rooms> {
    let http = reqwest::Client::builder().cookie_store(true).build()?;
    let id: u64 = rand::random();
    let email = format!("bench-{id:016x}@example.com");
    let password = format!("bench-password-{id:016x}");
    let response = http
        .post(format!("{base}/api/auth/register"))
        .json(&json!({ "email": email, "name": "Bench Host", "password": password }))
        .send()
        .await?;
    if !response.status().is_success() {
        bail!("register: {} {}", response.status(), response.text().await.unwrap_or_default());
    }
    let response = http.post(format!("{base}/api/auth/tokens")).json(&json!({ "name": "loadgen" })).send().await?;
    if !response.status().is_success() {
        bail!("create token: {} {}", response.status(), response.text().await.unwrap_or_default());
    }
    let body: serde_json::Value = response.json().await?;
    let token = body["token"].as_str().context("no token in the response")?.to_owned();
    Ok(Rooms { token: Some(token), names: Vec::new() })
}

async fn create_interviews(base: &str, rooms: &Rooms, count: usize) -> Result<Vec<String>> {
    let http = reqwest::Client::new();
    let token = rooms.token.clone().context("the rooms file has no token")?;
    stream::iter(0..count)
        .map(|i| {
            let request = http
                .post(format!("{base}/api/interviews"))
                .bearer_auth(&token)
                .json(&json!({ "title": format!("bench room {i}") }));
            async move {
                let response = request.send().await?;
                if !response.status().is_success() {
                    bail!("create interview: {} {}", response.status(), response.text().await.unwrap_or_default());
                }
                let body: serde_json::Value = response.json().await?;
                Ok(body["interview"]["id"].as_str().context("no interview id")?.to_owned())
            }
        })
        .buffered(SETUP_CONCURRENCY)
        .try_collect()
        .await
}

/// Opens a client WebSocket with small buffers (the generator holds up to ~20,000 of them)
/// and Nagle off, as browsers do.
pub async fn connect(url: &str) -> Result<Socket> {
    let config = WebSocketConfig::default().read_buffer_size(4096).write_buffer_size(0);
    let (socket, _) = tokio_tungstenite::connect_async_with_config(url, Some(config), true)
        .await
        .with_context(|| format!("connecting to {}", url.split('?').next().unwrap_or(url)))?;
    Ok(socket)
}
