//! The binary messages live documents exchange between instances over Redis pub/sub (each
//! instance reads its own channel, `codeview:docs:{instance}`). A fixed header — version,
//! kind, the sending instance, the connection (numbered by the instance that holds its socket),
//! a per-connection sequence number and the send time — then the body: a y-websocket frame
//! as it is (no re-encoding), or a small binary body for the rarer kinds. Whatever arrives is
//! hostile until `decode` accepts it: unknown versions and kinds, short or oversized messages,
//! bad UTF-8 are refused (the caller drops and counts them).

use bytes::{Buf, BufMut, Bytes, BytesMut};
use codeview_collab::{ConnPermissions, DocKind, Identity};
use uuid::Uuid;

use crate::cluster::InstanceId;
use crate::realtime::types::DocKey;

const VERSION: u8 = 1;
/// Version, kind, instance (16), connection (8), sequence (4), send time in µs (8).
pub const HEADER_BYTES: usize = 2 + 16 + 8 + 4 + 8;
/// The largest message accepted: a document's whole state sent to a joiner, with room. Larger
/// ones are refused (the same bound as a connection's outbox).
pub const MAX_MESSAGE_BYTES: usize = crate::realtime::outbox::MAX_UNSENT_BYTES + HEADER_BYTES;
/// Bounds of a connection's identity strings (participant id, name, role, colour).
const MAX_IDENTITY_FIELD_BYTES: usize = 1024;
/// Bounds of a server command's body (starter code for every question and language).
pub const MAX_COMMAND_BYTES: usize = 4 << 20;

/// What one instance tells another about one connection (or one document).
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Origin → owner: a socket of the origin joins the document with these rights (checked
    /// by the origin, which is inside the cluster's trust boundary).
    Connect { key: DocKey, perms: ConnPermissions },
    /// Origin → owner: a y-websocket frame from the socket.
    Frame(Bytes),
    /// Origin → owner: the socket is gone.
    Disconnect,
    /// Owner → origin: a frame for the socket.
    Deliver(Bytes),
    /// Owner → origin: close the socket with this code and reason.
    Close { code: u16, reason: String },
    /// Any → owner: a server-side change of the document (`ServerCommand`, JSON: rare and
    /// small); the connection field numbers the request (0: no answer wanted).
    Command { key: DocKey, command: Bytes },
    /// Owner → sender of a command: whether the document was live there and took it.
    CommandDone { applied: bool },
}

/// One message: who sent it, for which connection, in which order, when.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub from: InstanceId,
    pub conn: u64,
    pub seq: u32,
    /// The sender's clock, µs since the Unix epoch (for the relay latency histogram).
    pub sent_at_micros: u64,
    pub body: Body,
}

/// Why a message was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed(pub &'static str);

const CONNECT: u8 = 1;
const FRAME: u8 = 2;
const DISCONNECT: u8 = 3;
const DELIVER: u8 = 4;
const CLOSE: u8 = 5;
const COMMAND: u8 = 6;
const COMMAND_DONE: u8 = 7;

pub fn now_micros() -> u64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    u64::try_from(since.as_micros()).unwrap_or(u64::MAX)
}

impl Envelope {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = BytesMut::with_capacity(HEADER_BYTES + self.body_len_hint());
        out.put_u8(VERSION);
        out.put_u8(match &self.body {
            Body::Connect { .. } => CONNECT,
            Body::Frame(_) => FRAME,
            Body::Disconnect => DISCONNECT,
            Body::Deliver(_) => DELIVER,
            Body::Close { .. } => CLOSE,
            Body::Command { .. } => COMMAND,
            Body::CommandDone { .. } => COMMAND_DONE,
        });
        out.put_slice(self.from.0.as_bytes());
        out.put_u64(self.conn);
        out.put_u32(self.seq);
        out.put_u64(self.sent_at_micros);
        match &self.body {
            Body::Connect { key, perms } => {
                put_key(&mut out, *key);
                let flags = u8::from(perms.can_write)
                    | (u8::from(perms.shares_cursor) << 1)
                    | (u8::from(perms.held_by_editor_lock) << 2);
                out.put_u8(flags);
                let identity = &perms.identity;
                for field in [&identity.participant_id, &identity.name, &identity.role, &identity.color] {
                    let field = truncated(field, MAX_IDENTITY_FIELD_BYTES);
                    out.put_u16(field.len() as u16);
                    out.put_slice(field.as_bytes());
                }
            }
            Body::Frame(frame) | Body::Deliver(frame) => out.put_slice(frame),
            Body::Disconnect => {}
            Body::Close { code, reason } => {
                out.put_u16(*code);
                out.put_slice(truncated(reason, 123).as_bytes());
            }
            Body::Command { key, command } => {
                put_key(&mut out, *key);
                out.put_slice(command);
            }
            Body::CommandDone { applied } => out.put_u8(u8::from(*applied)),
        }
        out.to_vec()
    }

    fn body_len_hint(&self) -> usize {
        match &self.body {
            Body::Frame(frame) | Body::Deliver(frame) => frame.len(),
            Body::Command { command, .. } => 17 + command.len(),
            _ => 128,
        }
    }

    /// Parses a message from Redis; refuses anything malformed or too large.
    pub fn decode(message: &[u8]) -> Result<Envelope, Malformed> {
        if message.len() > MAX_MESSAGE_BYTES {
            return Err(Malformed("too large"));
        }
        if message.len() < HEADER_BYTES {
            return Err(Malformed("too short"));
        }
        let mut buf = Bytes::copy_from_slice(message);
        if buf.get_u8() != VERSION {
            return Err(Malformed("unknown version"));
        }
        let kind = buf.get_u8();
        let from = InstanceId(Uuid::from_slice(&buf.split_to(16)).map_err(|_| Malformed("instance"))?);
        let (conn, seq, sent_at_micros) = (buf.get_u64(), buf.get_u32(), buf.get_u64());
        let body = match kind {
            CONNECT => {
                let key = get_key(&mut buf)?;
                if buf.remaining() < 1 {
                    return Err(Malformed("connect flags"));
                }
                let flags = buf.get_u8();
                let mut fields = Vec::with_capacity(4);
                for _ in 0..4 {
                    fields.push(get_string(&mut buf)?);
                }
                if buf.has_remaining() {
                    return Err(Malformed("trailing bytes"));
                }
                let color = fields.pop().unwrap_or_default();
                let role = fields.pop().unwrap_or_default();
                let name = fields.pop().unwrap_or_default();
                let participant_id = fields.pop().unwrap_or_default();
                let perms = ConnPermissions {
                    can_write: flags & 1 != 0,
                    shares_cursor: flags & 2 != 0,
                    held_by_editor_lock: flags & 4 != 0,
                    identity: Identity { participant_id, name, role, color },
                };
                Body::Connect { key, perms }
            }
            FRAME => Body::Frame(buf),
            DISCONNECT if buf.is_empty() => Body::Disconnect,
            DELIVER => Body::Deliver(buf),
            CLOSE => {
                if buf.remaining() < 2 {
                    return Err(Malformed("close code"));
                }
                let code = buf.get_u16();
                let reason = String::from_utf8(buf.to_vec()).map_err(|_| Malformed("close reason"))?;
                if reason.len() > 123 {
                    return Err(Malformed("close reason"));
                }
                Body::Close { code, reason }
            }
            COMMAND => {
                let key = get_key(&mut buf)?;
                if buf.len() > MAX_COMMAND_BYTES {
                    return Err(Malformed("command too large"));
                }
                Body::Command { key, command: buf }
            }
            COMMAND_DONE => match buf.as_ref() {
                [0] => Body::CommandDone { applied: false },
                [1] => Body::CommandDone { applied: true },
                _ => return Err(Malformed("command answer")),
            },
            _ => return Err(Malformed("unknown kind")),
        };
        Ok(Envelope { from, conn, seq, sent_at_micros, body })
    }
}

fn put_key(out: &mut BytesMut, key: DocKey) {
    out.put_slice(key.interview_id.as_bytes());
    out.put_u8(match key.kind {
        DocKind::Code => 0,
        DocKind::Notes => 1,
    });
}

fn get_key(buf: &mut Bytes) -> Result<DocKey, Malformed> {
    if buf.remaining() < 17 {
        return Err(Malformed("document key"));
    }
    let interview_id = Uuid::from_slice(&buf.split_to(16)).map_err(|_| Malformed("interview id"))?;
    let kind = match buf.get_u8() {
        0 => DocKind::Code,
        1 => DocKind::Notes,
        _ => return Err(Malformed("document kind")),
    };
    Ok(DocKey { interview_id, kind })
}

fn get_string(buf: &mut Bytes) -> Result<String, Malformed> {
    if buf.remaining() < 2 {
        return Err(Malformed("string length"));
    }
    let len = usize::from(buf.get_u16());
    if len > MAX_IDENTITY_FIELD_BYTES || buf.remaining() < len {
        return Err(Malformed("string"));
    }
    String::from_utf8(buf.split_to(len).to_vec()).map_err(|_| Malformed("string utf-8"))
}

/// `text` cut to at most `max` bytes, on a character boundary.
fn truncated(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(body: Body) -> Envelope {
        Envelope { from: InstanceId::new(), conn: 42, seq: 7, sent_at_micros: 1234, body }
    }

    fn key() -> DocKey {
        DocKey { interview_id: Uuid::new_v4(), kind: DocKind::Notes }
    }

    #[test]
    fn every_kind_round_trips() {
        let perms = ConnPermissions {
            can_write: true,
            shares_cursor: false,
            held_by_editor_lock: true,
            identity: Identity {
                participant_id: Uuid::new_v4().to_string(),
                name: "Zoë".into(),
                role: "candidate".into(),
                color: "#e11d48".into(),
            },
        };
        for body in [
            Body::Connect { key: key(), perms },
            Body::Frame(Bytes::from_static(&[0, 2, 3, 1, 2, 3])),
            Body::Disconnect,
            Body::Deliver(Bytes::from_static(b"state")),
            Body::Close { code: 1013, reason: "too slow; reconnect".into() },
            Body::Command { key: key(), command: Bytes::from_static(b"{\"InterviewEnded\":null}") },
            Body::CommandDone { applied: true },
            Body::CommandDone { applied: false },
        ] {
            let sent = envelope(body);
            assert_eq!(Envelope::decode(&sent.encode()), Ok(sent));
        }
    }

    #[test]
    fn malformed_messages_are_refused() {
        let good = envelope(Body::Connect {
            key: key(),
            perms: ConnPermissions {
                can_write: false,
                shares_cursor: true,
                held_by_editor_lock: false,
                identity: Identity {
                    participant_id: "p".into(),
                    name: "n".into(),
                    role: "r".into(),
                    color: "c".into(),
                },
            },
        })
        .encode();
        // Every truncation of a connect is refused, never panics.
        for len in 0..good.len() {
            assert!(Envelope::decode(&good[..len]).is_err(), "accepted {len} bytes");
        }
        let mut wrong_version = good.clone();
        wrong_version[0] = 9;
        assert_eq!(Envelope::decode(&wrong_version), Err(Malformed("unknown version")));
        let mut wrong_kind = good.clone();
        wrong_kind[1] = 99;
        assert_eq!(Envelope::decode(&wrong_kind), Err(Malformed("unknown kind")));
        let mut trailing = good;
        trailing.push(0);
        assert!(Envelope::decode(&trailing).is_err());
        assert!(Envelope::decode(&vec![VERSION; MAX_MESSAGE_BYTES + 1]).is_err());
        let mut bad_close = envelope(Body::Close { code: 1000, reason: String::new() }).encode();
        bad_close.extend_from_slice(&[0xff, 0xfe]);
        assert_eq!(Envelope::decode(&bad_close), Err(Malformed("close reason")));
        let mut bad_answer = envelope(Body::CommandDone { applied: true }).encode();
        *bad_answer.last_mut().expect("one byte") = 2;
        assert_eq!(Envelope::decode(&bad_answer), Err(Malformed("command answer")));
        bad_answer.pop();
        assert_eq!(Envelope::decode(&bad_answer), Err(Malformed("command answer")));
    }
}
