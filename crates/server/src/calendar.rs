//! iCalendar (RFC 5545) files for interview emails: one `VEVENT` published with
//! `METHOD:PUBLISH`, so any calendar can add it without an organizer or attendee list. Lines
//! end in CRLF and are folded at 75 octets (never inside a UTF-8 character); text values are
//! escaped (`\\`, `\;`, `\,`, `\n`) and stripped of other control characters.

use chrono::{DateTime, Utc};

/// The longest line before folding, in octets, CRLF not counted (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// One event, in UTC.
#[derive(Debug, Clone)]
pub struct CalendarEvent {
    /// Stable per interview, so a calendar updates the event when it is sent again.
    pub uid: String,
    /// Higher when the event changed since it was last sent (`SEQUENCE`).
    pub sequence: u32,
    /// When the file was made (`DTSTAMP`).
    pub stamp: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    pub description: String,
    pub url: String,
}

impl CalendarEvent {
    /// The whole `.ics` file.
    pub fn to_ics(&self) -> String {
        let lines = [
            "BEGIN:VCALENDAR".to_owned(),
            "VERSION:2.0".to_owned(),
            "PRODID:-//CodeView//Interview invite//EN".to_owned(),
            "CALSCALE:GREGORIAN".to_owned(),
            "METHOD:PUBLISH".to_owned(),
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", escape_text(&self.uid)),
            format!("SEQUENCE:{}", self.sequence),
            format!("DTSTAMP:{}", utc(self.stamp)),
            format!("DTSTART:{}", utc(self.start)),
            format!("DTEND:{}", utc(self.end)),
            format!("SUMMARY:{}", escape_text(&self.summary)),
            format!("DESCRIPTION:{}", escape_text(&self.description)),
            // A URI value is not escaped: strip what could end the line instead.
            format!("URL:{}", self.url.chars().filter(|c| !c.is_control()).collect::<String>()),
            "END:VEVENT".to_owned(),
            "END:VCALENDAR".to_owned(),
        ];
        lines.iter().map(|line| fold(line)).collect()
    }
}

/// A UTC date-time in the basic format, e.g. `20270601T090000Z`.
fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value: backslash, semicolon and comma escaped, line breaks as `\n`, other control
/// characters dropped.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// `line` with CRLF, folded: at most 75 octets per physical line, continuations starting
/// with one space, and no UTF-8 character split.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / MAX_LINE_OCTETS * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn event(summary: &str, description: &str) -> CalendarEvent {
        CalendarEvent {
            uid: "0190a1b2-0000-7000-8000-000000000001@codeview.example".into(),
            sequence: 3,
            stamp: Utc.with_ymd_and_hms(2026, 12, 5, 22, 30, 0).unwrap(),
            start: Utc.with_ymd_and_hms(2027, 6, 1, 9, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2027, 6, 1, 9, 45, 0).unwrap(),
            summary: summary.into(),
            description: description.into(),
            url: "https://codeview.example/join/abc-defg-hjk?invite=s3cr3t".into(),
        }
    }

    /// The logical lines of a file: folding undone.
    fn unfold(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "").split("\r\n").filter(|l| !l.is_empty()).map(str::to_owned).collect()
    }

    #[test]
    fn an_event_has_its_fields_in_utc_with_crlf_line_ends() {
        let ics = event("Backend pairing", "Join: link").to_ics();
        assert!(ics.ends_with("END:VCALENDAR\r\n"), "{ics}");
        assert!(!ics.replace("\r\n", "").contains('\n'), "only CRLF line ends: {ics:?}");
        let lines = unfold(&ics);
        for expected in [
            "METHOD:PUBLISH",
            "UID:0190a1b2-0000-7000-8000-000000000001@codeview.example",
            "SEQUENCE:3",
            "DTSTAMP:20261205T223000Z",
            "DTSTART:20270601T090000Z",
            "DTEND:20270601T094500Z",
            "SUMMARY:Backend pairing",
            "URL:https://codeview.example/join/abc-defg-hjk?invite=s3cr3t",
        ] {
            assert!(lines.iter().any(|l| l == expected), "{expected} in {lines:?}");
        }
        assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\r\ne\nf\u{7}g"), "a\\,b\\;c\\\\d\\ne\\nfg");
        let lines = unfold(&event("Title; with, marks\r\nBEGIN:VEVENT", "x").to_ics());
        assert!(lines.contains(&"SUMMARY:Title\\; with\\, marks\\nBEGIN:VEVENT".to_owned()), "{lines:?}");
        assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 1, "no injected component");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let summary = "Entretien technique — équipe Zürich ".repeat(6);
        let ics = event(&summary, &"d".repeat(300)).to_ics();
        for physical in ics.split("\r\n") {
            assert!(physical.len() <= MAX_LINE_OCTETS, "{} octets: {physical:?}", physical.len());
        }
        let lines = unfold(&ics);
        assert!(lines.contains(&format!("SUMMARY:{}", escape_text(&summary))), "{lines:?}");
        assert!(lines.contains(&format!("DESCRIPTION:{}", "d".repeat(300))), "{lines:?}");
    }
}
