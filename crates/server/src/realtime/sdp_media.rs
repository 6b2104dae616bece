//! Which kinds of media a WebRTC session description (offer or answer) says its author sends:
//! the server reads every description a call peer relays, and refuses one that sends what the
//! peer may not (an observer's camera). A pure function of the SDP text.
//!
//! The rule (RFC 8866 and JSEP): an `m=audio` or `m=video` section sends when its direction
//! — `a=sendrecv|sendonly|recvonly|inactive` in the section, else at session level, else
//! `sendrecv` — is `sendrecv` or `sendonly`, and the section is not rejected. A section is
//! rejected when its port is 0, except a `bundle-only` one (JSEP's port-0 sections that are
//! live inside the bundle), which counts. Other sections (`m=application` data channels)
//! never carry audio or video.

/// The kinds of media a description sends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SentMedia {
    pub audio: bool,
    pub video: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}

impl Direction {
    fn parse(attribute: &str) -> Option<Direction> {
        match attribute {
            "a=sendrecv" => Some(Direction::SendRecv),
            "a=sendonly" => Some(Direction::SendOnly),
            "a=recvonly" => Some(Direction::RecvOnly),
            "a=inactive" => Some(Direction::Inactive),
            _ => None,
        }
    }

    fn sends(self) -> bool {
        matches!(self, Direction::SendRecv | Direction::SendOnly)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Audio,
    Video,
    Other,
}

/// One `m=` section as far as it matters here.
struct Section {
    kind: Kind,
    port_zero: bool,
    bundle_only: bool,
    direction: Option<Direction>,
}

impl Section {
    /// The section that an `m=` line opens.
    fn open(media_line: &str) -> Section {
        let mut fields = media_line.trim_start_matches("m=").split_ascii_whitespace();
        let kind = match fields.next() {
            Some("audio") => Kind::Audio,
            Some("video") => Kind::Video,
            _ => Kind::Other,
        };
        // `port` or `port/count`.
        let port = fields.next().and_then(|p| p.split('/').next()).and_then(|p| p.parse::<u16>().ok());
        Section { kind, port_zero: port == Some(0), bundle_only: false, direction: None }
    }
}

/// The media `sdp` sends. Lines end in CRLF or LF; unknown lines are ignored.
pub fn sent_media(sdp: &str) -> SentMedia {
    let mut session_direction = None;
    let mut sections: Vec<Section> = Vec::new();
    for line in sdp.lines().map(|l| l.trim_end_matches('\r').trim()) {
        if line.starts_with("m=") {
            sections.push(Section::open(line));
            continue;
        }
        match sections.last_mut() {
            None => session_direction = Direction::parse(line).or(session_direction),
            Some(section) if line == "a=bundle-only" => section.bundle_only = true,
            Some(section) => section.direction = Direction::parse(line).or(section.direction),
        }
    }
    let mut sent = SentMedia::default();
    for section in &sections {
        if section.port_zero && !section.bundle_only {
            continue;
        }
        if !section.direction.or(session_direction).unwrap_or(Direction::SendRecv).sends() {
            continue;
        }
        match section.kind {
            Kind::Audio => sent.audio = true,
            Kind::Video => sent.video = true,
            Kind::Other => {}
        }
    }
    sent
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: SentMedia = SentMedia { audio: true, video: true };
    const AUDIO: SentMedia = SentMedia { audio: true, video: false };
    const NOTHING: SentMedia = SentMedia { audio: false, video: false };

    #[test]
    fn a_chrome_offer_with_camera_and_microphone_sends_both() {
        assert_eq!(sent_media(include_str!("sdp_samples/chrome_offer_sendrecv.sdp")), BOTH);
    }

    #[test]
    fn a_receive_only_answer_sends_nothing() {
        assert_eq!(sent_media(include_str!("sdp_samples/chrome_answer_recvonly.sdp")), NOTHING);
    }

    #[test]
    fn a_rejected_section_sends_nothing_whatever_its_direction() {
        assert_eq!(sent_media(include_str!("sdp_samples/chrome_answer_video_rejected.sdp")), AUDIO);
    }

    #[test]
    fn the_session_level_direction_applies_to_sections_without_their_own() {
        let sdp = include_str!("sdp_samples/session_level_recvonly.sdp");
        assert_eq!(sent_media(sdp), NOTHING);
        // A section's own direction wins over the session's.
        let own = sdp.replacen("a=mid:1\r\n", "a=mid:1\r\na=sendonly\r\n", 1);
        assert_eq!(sent_media(&own), SentMedia { audio: false, video: true });
    }

    #[test]
    fn without_any_direction_a_section_sends() {
        let sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n";
        assert_eq!(sent_media(sdp), AUDIO);
        assert_eq!(sent_media(&sdp.replace("\r\n", "\n")), AUDIO, "bare line feeds too");
    }

    #[test]
    fn a_data_channel_section_never_counts_as_media() {
        let offer = include_str!("sdp_samples/chrome_offer_sendrecv.sdp");
        assert!(offer.contains("m=application 9 UDP/DTLS/SCTP webrtc-datachannel"));
        let data_only = &offer[offer.find("m=application").unwrap()..];
        let head = &offer[..offer.find("m=audio").unwrap()];
        assert_eq!(sent_media(&format!("{head}{data_only}")), NOTHING);
        assert_eq!(sent_media("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=sendrecv\r\n"), NOTHING);
    }

    #[test]
    fn a_bundle_only_section_on_port_zero_still_counts() {
        let sdp = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=recvonly\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\na=bundle-only\r\na=sendonly\r\n";
        assert_eq!(sent_media(sdp), SentMedia { audio: false, video: true });
    }

    #[test]
    fn garbage_sends_nothing_and_does_not_panic() {
        for sdp in ["", "m=", "m=audio", "m=video notaport", "a=sendrecv", "\r\n\r\n", "m=audio 0/2 RTP/AVP 0"] {
            let _ = sent_media(sdp);
        }
        assert_eq!(sent_media("m=video x RTP/AVP 96"), SentMedia { audio: false, video: true }, "unknown port is live");
    }
}
