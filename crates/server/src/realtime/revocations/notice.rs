//! A revocation notice: what was taken away (a participant's place, an interview, a session,
//! a token), as every instance applies it to its own sockets, and its wire format on Redis.
//!
//! On the wire a notice is one small JSON object, versioned and stamped with the instance that
//! made it: `{"v":1,"from":"<instance uuid>","notice":{"kind":"session_ended","id_hash":"…"}}`.
//! Redis is inside the cluster's trust boundary, but a message from it is still hostile until
//! parsed: anything longer than [`MAX_WIRE_BYTES`], of another version, with an unknown field
//! or kind, or with a malformed id is refused whole.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::cluster::InstanceId;

/// The version this build writes and reads; a message of another version is dropped (an
/// instance of another version still closes the sockets within the re-validation period).
pub const WIRE_VERSION: u32 = 1;
/// The longest message read (the longest notice is about 200 bytes).
pub const MAX_WIRE_BYTES: usize = 1024;
/// A session's `id_hash`: the hex SHA-256 of its secret (`auth::secret::hash_secret`).
const SESSION_HASH_CHARS: usize = 64;

/// What was revoked. Each one names exactly the sockets it closes (see `Revocations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Notice {
    /// A participant left the interview (removed, or their workspace membership ended).
    ParticipantRemoved { interview_id: Uuid, participant_id: Uuid },
    /// The interview ended: its candidate's sockets close.
    InterviewEnded { interview_id: Uuid },
    /// The interview is gone: every socket of it closes.
    InterviewDeleted { interview_id: Uuid },
    /// The candidate's sessions ended (their invite was renewed).
    CandidateSignedOut { interview_id: Uuid },
    /// A session was signed out or ended, by the hash it is stored under.
    SessionEnded { id_hash: String },
    /// An API token was revoked.
    TokenRevoked { token_id: Uuid },
}

impl Notice {
    /// The kind, as a metric label.
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::ParticipantRemoved { .. } => "participant_removed",
            Notice::InterviewEnded { .. } => "interview_ended",
            Notice::InterviewDeleted { .. } => "interview_deleted",
            Notice::CandidateSignedOut { .. } => "candidate_signed_out",
            Notice::SessionEnded { .. } => "session_ended",
            Notice::TokenRevoked { .. } => "token_revoked",
        }
    }

    fn well_formed(&self) -> bool {
        match self {
            Notice::SessionEnded { id_hash } => {
                id_hash.len() == SESSION_HASH_CHARS && id_hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            }
            _ => true,
        }
    }
}

/// A notice as it travels between instances.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    v: u32,
    from: Uuid,
    notice: Notice,
}

/// A notice read from Redis, with the instance that made it.
#[derive(Debug, PartialEq, Eq)]
pub struct Received {
    pub from: InstanceId,
    pub notice: Notice,
}

/// Why a message was refused (a metric label).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    TooLong,
    Malformed,
    OtherVersion,
}

impl Refused {
    pub fn label(self) -> &'static str {
        match self {
            Refused::TooLong => "too_long",
            Refused::Malformed => "malformed",
            Refused::OtherVersion => "other_version",
        }
    }
}

pub fn encode(from: InstanceId, notice: &Notice) -> String {
    let wire = Wire { v: WIRE_VERSION, from: from.0, notice: notice.clone() };
    serde_json::to_string(&wire).unwrap_or_default()
}

/// The inverse of [`encode`], refusing anything else.
pub fn decode(payload: &[u8]) -> Result<Received, Refused> {
    if payload.len() > MAX_WIRE_BYTES {
        return Err(Refused::TooLong);
    }
    // The version first, so that a future format is told apart from garbage.
    #[derive(Deserialize)]
    struct Version {
        v: u32,
    }
    let Version { v } = serde_json::from_slice(payload).map_err(|_| Refused::Malformed)?;
    if v != WIRE_VERSION {
        return Err(Refused::OtherVersion);
    }
    let wire: Wire = serde_json::from_slice(payload).map_err(|_| Refused::Malformed)?;
    if !wire.notice.well_formed() {
        return Err(Refused::Malformed);
    }
    Ok(Received { from: InstanceId(wire.from), notice: wire.notice })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<Notice> {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        vec![
            Notice::ParticipantRemoved { interview_id: a, participant_id: b },
            Notice::InterviewEnded { interview_id: a },
            Notice::InterviewDeleted { interview_id: a },
            Notice::CandidateSignedOut { interview_id: a },
            Notice::SessionEnded { id_hash: crate::auth::secret::hash_secret("a secret") },
            Notice::TokenRevoked { token_id: b },
        ]
    }

    #[test]
    fn every_notice_survives_the_wire_and_stays_short() {
        let from = InstanceId::new();
        for notice in every_kind() {
            let payload = encode(from, &notice);
            assert!(payload.len() < MAX_WIRE_BYTES / 3, "{payload}");
            assert_eq!(decode(payload.as_bytes()), Ok(Received { from, notice }));
        }
    }

    #[test]
    fn hostile_messages_are_refused() {
        let from = Uuid::now_v7();
        let id = Uuid::now_v7();
        let cases = [
            (String::new(), Refused::Malformed),
            ("not json".to_owned(), Refused::Malformed),
            ("[1,2]".to_owned(), Refused::Malformed),
            (
                format!(r#"{{"v":2,"from":"{from}","notice":{{"kind":"token_revoked","token_id":"{id}"}}}}"#),
                Refused::OtherVersion,
            ),
            (
                format!(r#"{{"v":1,"from":"{from}","notice":{{"kind":"everything","token_id":"{id}"}}}}"#),
                Refused::Malformed,
            ),
            (
                format!(r#"{{"v":1,"from":"{from}","notice":{{"kind":"token_revoked","token_id":"nope"}}}}"#),
                Refused::Malformed,
            ),
            (
                format!(r#"{{"v":1,"from":"{from}","notice":{{"kind":"token_revoked","token_id":"{id}","x":1}}}}"#),
                Refused::Malformed,
            ),
            (
                format!(
                    r#"{{"v":1,"from":"{from}","extra":true,"notice":{{"kind":"token_revoked","token_id":"{id}"}}}}"#
                ),
                Refused::Malformed,
            ),
            (
                format!(r#"{{"v":1,"from":"{from}","notice":{{"kind":"session_ended","id_hash":"ABC"}}}}"#),
                Refused::Malformed,
            ),
            (
                format!(
                    r#"{{"v":1,"from":"{from}","notice":{{"kind":"session_ended","id_hash":"{}"}}}}"#,
                    "G".repeat(64)
                ),
                Refused::Malformed,
            ),
            (
                format!(
                    r#"{{"v":1,"from":"{from}","notice":{{"kind":"session_ended","id_hash":"{}"}}}}"#,
                    "a".repeat(2000)
                ),
                Refused::TooLong,
            ),
        ];
        for (payload, why) in cases {
            assert_eq!(decode(payload.as_bytes()), Err(why), "{payload}");
        }
    }
}
