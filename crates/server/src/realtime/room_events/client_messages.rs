//! What a browser may send on `/ws/rooms/{interview_id}`: the video call's messages (join,
//! leave, media state, a description or candidate for one peer, the host letting an observer
//! speak) and the candidate's integrity signals, as a discriminated union with a protocol
//! version, the interactive terminal's messages (`terminal_*`), and their validation: every field's size and shape is checked here, so the call
//! code (and the timeline) only see well-formed messages.
//! The schema is part of the OpenAPI document (the web's types are generated from it).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::PROTOCOL_VERSION;
use super::terminal::{MAX_TERMINAL_INPUT_BYTES, TerminalSignal};
use crate::timeline::signal_report::{SignalReport, describe};

/// Longest session description relayed (Chrome's offers with three sections are ~6 KiB).
pub const MAX_SDP_BYTES: usize = 32 * 1024;
/// Longest ICE candidate line relayed (an empty one ends the candidates).
pub const MAX_CANDIDATE_BYTES: usize = 1024;
const MAX_SDP_MID_CHARS: usize = 64;
const MAX_M_LINE_INDEX: u32 = 64;
const MAX_USERNAME_FRAGMENT_CHARS: usize = 256;
const MAX_STREAM_ID_CHARS: usize = 64;

/// One message from a browser. Anything else (malformed JSON, an unknown `type`, an unknown
/// field, another `v`) is answered with `call_error` `invalid_message`.
#[derive(Debug, Clone, PartialEq, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum RoomClientMessage {
    /// Join the call (again: a socket already in it gets a new peer id). Answered with
    /// `call_welcome`, then everyone gets a new `call_state`.
    CallJoin { v: u32, media: CallMedia },
    /// Leave the call.
    CallLeave { v: u32 },
    /// This peer muted, turned its camera off or on, or started or stopped sharing its screen.
    CallMedia { v: u32, media: CallMedia },
    /// A session description or an ICE candidate for peer `to` (exactly one of the two).
    CallSignal {
        v: u32,
        to: Uuid,
        #[serde(default)]
        description: Option<SessionDescription>,
        #[serde(default)]
        candidate: Option<IceCandidate>,
    },
    /// The host lets an observer (a participant of this interview) speak, or takes it back.
    CallPermit { v: u32, participant_id: Uuid, speak: bool },
    /// The candidate's browser reports an integrity signal (as `POST …/signals` does); not
    /// answered when stored or over the allowance, `call_error` when refused.
    Signal { v: u32, signal: SignalReport },
    /// Run the interview's shared code (its current text and language) interactively; one
    /// session per interview. Answered by `terminal_started` to everyone, or `terminal_error`.
    TerminalStart { v: u32, mode: codeview_runner::TerminalMode },
    /// Text for the program's stdin (1 to 4096 bytes): whole lines in line mode, keystrokes in
    /// raw mode.
    TerminalInput { v: u32, session_id: Uuid, data: String },
    /// Ctrl+C (`interrupt`) or Ctrl+D (`eof`).
    TerminalSignal { v: u32, session_id: Uuid, signal: TerminalSignal },
    /// Kill the program.
    TerminalStop { v: u32, session_id: Uuid },
}

/// What a peer is sending now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallMedia {
    /// The microphone is on (not muted).
    pub audio: bool,
    /// The camera is on.
    pub video: bool,
    /// The `MediaStream` id of the screen share (≤ 64 of `A-Z a-z 0-9 { } -`); null when not sharing.
    pub screen_stream: Option<String>,
}

/// An offer or an answer (rollbacks and provisional answers stay in the browser).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionDescription {
    #[serde(rename = "type")]
    pub kind: DescriptionKind,
    /// At most 32 KiB.
    pub sdp: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DescriptionKind {
    Offer,
    Answer,
}

/// An ICE candidate, as `RTCIceCandidate.toJSON()` gives it, in snake case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IceCandidate {
    /// The candidate line (at most 1 KiB); empty at the end of the candidates.
    pub candidate: String,
    #[serde(default)]
    pub sdp_mid: Option<String>,
    #[serde(default)]
    pub sdp_m_line_index: Option<u32>,
    #[serde(default)]
    pub username_fragment: Option<String>,
}

/// Parses and validates one text frame; the error is a sentence for the sender.
pub fn parse_client_message(text: &str) -> Result<RoomClientMessage, String> {
    let message: RoomClientMessage =
        serde_json::from_str(text).map_err(|err| format!("The message is not a room message: {err}."))?;
    message.validate()?;
    Ok(message)
}

impl RoomClientMessage {
    fn version(&self) -> u32 {
        match self {
            RoomClientMessage::CallJoin { v, .. }
            | RoomClientMessage::CallLeave { v }
            | RoomClientMessage::CallMedia { v, .. }
            | RoomClientMessage::CallSignal { v, .. }
            | RoomClientMessage::CallPermit { v, .. }
            | RoomClientMessage::Signal { v, .. }
            | RoomClientMessage::TerminalStart { v, .. }
            | RoomClientMessage::TerminalInput { v, .. }
            | RoomClientMessage::TerminalSignal { v, .. }
            | RoomClientMessage::TerminalStop { v, .. } => *v,
        }
    }

    fn validate(&self) -> Result<(), String> {
        if self.version() != PROTOCOL_VERSION {
            return Err(format!("Unsupported protocol version (this server speaks v {PROTOCOL_VERSION})."));
        }
        match self {
            RoomClientMessage::CallJoin { media, .. } | RoomClientMessage::CallMedia { media, .. } => media.validate(),
            RoomClientMessage::CallSignal { description, candidate, .. } => match (description, candidate) {
                (Some(description), None) => description.validate(),
                (None, Some(candidate)) => candidate.validate(),
                _ => Err("A signal carries exactly one of description and candidate.".into()),
            },
            RoomClientMessage::CallLeave { .. } | RoomClientMessage::CallPermit { .. } => Ok(()),
            RoomClientMessage::Signal { signal, .. } => signal.validate().map(|_| ()).map_err(|bad| describe(&bad)),
            RoomClientMessage::TerminalInput { data, .. } => {
                if data.is_empty() || data.len() > MAX_TERMINAL_INPUT_BYTES {
                    return Err(format!("data must be 1 to {MAX_TERMINAL_INPUT_BYTES} bytes of UTF-8."));
                }
                Ok(())
            }
            RoomClientMessage::TerminalStart { .. }
            | RoomClientMessage::TerminalSignal { .. }
            | RoomClientMessage::TerminalStop { .. } => Ok(()),
        }
    }

    /// Whether this is one of the terminal's messages (refusals of which are `terminal_error`).
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            RoomClientMessage::TerminalStart { .. }
                | RoomClientMessage::TerminalInput { .. }
                | RoomClientMessage::TerminalSignal { .. }
                | RoomClientMessage::TerminalStop { .. }
        )
    }
}

/// Whether a frame that did not parse claims to be a terminal message (its `type` starts with
/// `terminal_`): its sender is answered `terminal_error` rather than `call_error`.
pub fn claims_terminal_type(text: &str) -> bool {
    #[derive(Deserialize)]
    struct Tagged {
        #[serde(rename = "type")]
        kind: String,
    }
    serde_json::from_str::<Tagged>(text).is_ok_and(|t| t.kind.starts_with("terminal_"))
}

impl CallMedia {
    fn validate(&self) -> Result<(), String> {
        let Some(stream) = &self.screen_stream else { return Ok(()) };
        let shaped = stream.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'{' | b'}' | b'-'));
        if stream.is_empty() || stream.len() > MAX_STREAM_ID_CHARS || !shaped {
            return Err(format!("screen_stream must be 1 to {MAX_STREAM_ID_CHARS} of A-Z a-z 0-9 {{ }} -."));
        }
        Ok(())
    }
}

impl SessionDescription {
    fn validate(&self) -> Result<(), String> {
        if self.sdp.len() > MAX_SDP_BYTES {
            return Err(format!("The session description is longer than {} KiB.", MAX_SDP_BYTES / 1024));
        }
        Ok(())
    }
}

impl IceCandidate {
    fn validate(&self) -> Result<(), String> {
        if self.candidate.len() > MAX_CANDIDATE_BYTES {
            return Err(format!("The candidate is longer than {MAX_CANDIDATE_BYTES} bytes."));
        }
        if self.sdp_mid.as_ref().is_some_and(|mid| mid.chars().count() > MAX_SDP_MID_CHARS) {
            return Err(format!("sdp_mid is longer than {MAX_SDP_MID_CHARS} characters."));
        }
        if self.sdp_m_line_index.is_some_and(|index| index > MAX_M_LINE_INDEX) {
            return Err(format!("sdp_m_line_index is over {MAX_M_LINE_INDEX}."));
        }
        if self.username_fragment.as_ref().is_some_and(|f| f.chars().count() > MAX_USERNAME_FRAGMENT_CHARS) {
            return Err(format!("username_fragment is longer than {MAX_USERNAME_FRAGMENT_CHARS} characters."));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn parse(message: Value) -> Result<RoomClientMessage, String> {
        parse_client_message(&message.to_string())
    }

    fn candidate(fields: Value) -> Value {
        json!({"type": "call_signal", "v": 1, "to": Uuid::nil(), "candidate": fields})
    }

    #[test]
    fn every_message_of_the_contract_parses() {
        let to = Uuid::now_v7();
        let media = json!({"audio": true, "video": false, "screen_stream": "{4f0c-aa}"});
        let cases = [
            (
                json!({"type": "call_join", "v": 1, "media": media}),
                RoomClientMessage::CallJoin {
                    v: 1,
                    media: CallMedia { audio: true, video: false, screen_stream: Some("{4f0c-aa}".into()) },
                },
            ),
            (json!({"type": "call_leave", "v": 1}), RoomClientMessage::CallLeave { v: 1 }),
            (
                json!({"type": "call_signal", "v": 1, "to": to, "description": {"type": "answer", "sdp": "v=0"}}),
                RoomClientMessage::CallSignal {
                    v: 1,
                    to,
                    description: Some(SessionDescription { kind: DescriptionKind::Answer, sdp: "v=0".into() }),
                    candidate: None,
                },
            ),
            (
                json!({"type": "call_signal", "v": 1, "to": to, "candidate": {"candidate": "", "sdp_mid": null}}),
                RoomClientMessage::CallSignal {
                    v: 1,
                    to,
                    description: None,
                    candidate: Some(IceCandidate {
                        candidate: String::new(),
                        sdp_mid: None,
                        sdp_m_line_index: None,
                        username_fragment: None,
                    }),
                },
            ),
            (
                json!({"type": "call_permit", "v": 1, "participant_id": to, "speak": true}),
                RoomClientMessage::CallPermit { v: 1, participant_id: to, speak: true },
            ),
            (
                json!({"type": "signal", "v": 1, "signal": {"kind": "tab_visible", "duration_ms": 1200}}),
                RoomClientMessage::Signal {
                    v: 1,
                    signal: serde_json::from_value(json!({"kind": "tab_visible", "duration_ms": 1200})).unwrap(),
                },
            ),
        ];
        for (message, expected) in cases {
            assert_eq!(parse(message.clone()), Ok(expected), "{message}");
        }
        let full = candidate(json!({
            "candidate": "candidate:842163049 1 udp 1677729535 186.50.9.10 52200 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag gydc network-cost 999",
            "sdp_mid": "0", "sdp_m_line_index": 0, "username_fragment": "gydc"
        }));
        assert!(parse(full).is_ok());
    }

    #[test]
    fn malformed_unknown_and_other_versions_are_refused() {
        let refused = [
            json!("not an object"),
            json!({"type": "call_dance", "v": 1}),
            json!({"type": "call_leave"}),
            json!({"type": "call_leave", "v": 2}),
            json!({"type": "call_leave", "v": 1, "extra": true}),
            json!({"type": "call_join", "v": 1}),
            json!({"type": "call_join", "v": 1, "media": {"audio": 1, "video": true, "screen_stream": null}}),
            json!({"type": "call_signal", "v": 1, "to": "not-a-uuid", "candidate": {"candidate": ""}}),
            json!({"type": "call_permit", "v": 1, "participant_id": Uuid::nil()}),
            json!({"type": "signal", "v": 1, "signal": {"kind": "large_insert", "length": 500}}),
            json!({"type": "signal", "v": 1, "signal": {"kind": "paste", "length": 10_000_001}}),
            json!({"type": "signal", "v": 1, "signal": {"kind": "tab_hidden", "share": 0.5}}),
            json!({"type": "signal", "v": 2, "signal": {"kind": "tab_hidden"}}),
            json!({"type": "signal", "v": 1}),
        ];
        for message in refused {
            assert!(parse(message.clone()).is_err(), "{message}");
        }
        assert!(parse_client_message("{").is_err());
        let without_screen = json!({"type": "call_join", "v": 1, "media": {"audio": true, "video": true}});
        assert!(parse(without_screen).is_ok(), "a missing screen_stream is null");
        assert!(parse_client_message("").is_err());
    }

    #[test]
    fn a_signal_carries_exactly_one_description_or_candidate() {
        let to = Uuid::nil();
        let description = json!({"type": "offer", "sdp": "v=0"});
        let both = json!({"type": "call_signal", "v": 1, "to": to, "description": description, "candidate": {"candidate": ""}});
        let neither = json!({"type": "call_signal", "v": 1, "to": to});
        let nulls = json!({"type": "call_signal", "v": 1, "to": to, "description": null, "candidate": null});
        for message in [both, neither, nulls] {
            assert!(parse(message.clone()).unwrap_err().contains("exactly one"), "{message}");
        }
        for kind in ["pranswer", "rollback", "Offer"] {
            let message = json!({"type": "call_signal", "v": 1, "to": to, "description": {"type": kind, "sdp": ""}});
            assert!(parse(message).is_err(), "{kind}");
        }
    }

    #[test]
    fn sizes_are_bounded() {
        let to = Uuid::nil();
        let sdp = |len: usize| json!({"type": "call_signal", "v": 1, "to": to, "description": {"type": "offer", "sdp": "a".repeat(len)}});
        assert!(parse(sdp(MAX_SDP_BYTES)).is_ok());
        assert!(parse(sdp(MAX_SDP_BYTES + 1)).is_err());
        assert!(parse(candidate(json!({"candidate": "c".repeat(MAX_CANDIDATE_BYTES)}))).is_ok());
        assert!(parse(candidate(json!({"candidate": "c".repeat(MAX_CANDIDATE_BYTES + 1)}))).is_err());
        assert!(parse(candidate(json!({"candidate": "", "sdp_mid": "m".repeat(64)}))).is_ok());
        assert!(parse(candidate(json!({"candidate": "", "sdp_mid": "m".repeat(65)}))).is_err());
        assert!(parse(candidate(json!({"candidate": "", "sdp_m_line_index": 64}))).is_ok());
        assert!(parse(candidate(json!({"candidate": "", "sdp_m_line_index": 65}))).is_err());
        assert!(parse(candidate(json!({"candidate": "", "sdp_m_line_index": -1}))).is_err());
        assert!(parse(candidate(json!({"candidate": "", "username_fragment": "u".repeat(256)}))).is_ok());
        assert!(parse(candidate(json!({"candidate": "", "username_fragment": "u".repeat(257)}))).is_err());
        assert!(parse(candidate(json!({"candidate": "", "extra": 1}))).is_err());
    }

    #[test]
    fn terminal_messages_parse_and_their_input_is_bounded() {
        let id = Uuid::now_v7();
        assert_eq!(
            parse(json!({"type": "terminal_start", "v": 1, "mode": "raw"})),
            Ok(RoomClientMessage::TerminalStart { v: 1, mode: codeview_runner::TerminalMode::Raw })
        );
        let input = |data: String| json!({"type": "terminal_input", "v": 1, "session_id": id, "data": data});
        assert!(parse(input("a".repeat(MAX_TERMINAL_INPUT_BYTES))).is_ok());
        assert!(parse(input("a".repeat(MAX_TERMINAL_INPUT_BYTES + 1))).is_err());
        assert!(parse(input("é".repeat(MAX_TERMINAL_INPUT_BYTES / 2 + 1))).is_err(), "bytes, not characters");
        assert!(parse(input(String::new())).is_err());
        let signal = json!({"type": "terminal_signal", "v": 1, "session_id": id, "signal": "eof"});
        assert_eq!(
            parse(signal),
            Ok(RoomClientMessage::TerminalSignal { v: 1, session_id: id, signal: TerminalSignal::Eof })
        );
        for bad in [
            json!({"type": "terminal_start", "v": 1, "mode": "cooked"}),
            json!({"type": "terminal_start", "v": 1}),
            json!({"type": "terminal_start", "v": 2, "mode": "line"}),
            json!({"type": "terminal_signal", "v": 1, "session_id": id, "signal": "kill"}),
            json!({"type": "terminal_stop", "v": 1, "session_id": "x"}),
            json!({"type": "terminal_stop", "v": 1, "session_id": id, "extra": 1}),
        ] {
            assert!(parse(bad.clone()).is_err(), "{bad}");
            assert!(claims_terminal_type(&bad.to_string()), "{bad}");
        }
        assert!(!claims_terminal_type(r#"{"type": "call_leave"}"#));
        assert!(!claims_terminal_type("{"));
    }

    #[test]
    fn a_screen_stream_id_is_short_and_plain() {
        let join = |stream: Value| {
            parse(
                json!({"type": "call_join", "v": 1, "media": {"audio": false, "video": false, "screen_stream": stream}}),
            )
        };
        assert!(join(json!(null)).is_ok());
        assert!(join(json!("{0b5e4c3a-9f1d-4e2b-8a7c-6d5e4f3a2b1c}")).is_ok());
        assert!(join(json!("s".repeat(64))).is_ok());
        for bad in [json!(""), json!("s".repeat(65)), json!("a b"), json!("<img>"), json!("é")] {
            assert!(join(bad.clone()).is_err(), "{bad}");
        }
    }
}
