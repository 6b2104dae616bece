//! What a candidate's browser reports (`SignalReport`, the body of `POST …/signals` and of the
//! room socket's `signal` message) and its validation into the stored `SignalData`: a known
//! kind (not the server's own `large_insert`), no unknown field, each number in its range, and
//! only the fields the kind has.

use serde::Deserialize;
use utoipa::ToSchema;

use super::event::{SignalData, SignalKind};
use crate::domain::{FieldCheck, InvalidFields};

/// Longest paste or copy reported, in characters.
pub const MAX_LENGTH: u64 = 10_000_000;
/// Longest time hidden or unfocused reported: a day, in milliseconds.
pub const MAX_DURATION_MS: u64 = 86_400_000;

/// The kinds a browser may report (`large_insert` is the server's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportedSignalKind {
    Paste,
    TabHidden,
    TabVisible,
    FocusLost,
    FocusGained,
    Copy,
}

impl From<ReportedSignalKind> for SignalKind {
    fn from(kind: ReportedSignalKind) -> SignalKind {
        match kind {
            ReportedSignalKind::Paste => SignalKind::Paste,
            ReportedSignalKind::TabHidden => SignalKind::TabHidden,
            ReportedSignalKind::TabVisible => SignalKind::TabVisible,
            ReportedSignalKind::FocusLost => SignalKind::FocusLost,
            ReportedSignalKind::FocusGained => SignalKind::FocusGained,
            ReportedSignalKind::Copy => SignalKind::Copy,
        }
    }
}

/// One integrity signal from the candidate's browser.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignalReport {
    pub kind: ReportedSignalKind,
    /// `paste`, `copy`: characters (0 to 10,000,000).
    #[serde(default)]
    pub length: Option<u64>,
    /// `paste`: the text did not come from a copy or cut inside this interview's editor.
    #[serde(default)]
    pub external: Option<bool>,
    /// `copy`: the share of the document copied (0 to 1).
    #[serde(default)]
    pub share: Option<f64>,
    /// `tab_visible`: how long the page was hidden; `focus_gained`: how long the window was
    /// unfocused (0 to 86,400,000 ms).
    #[serde(default)]
    pub duration_ms: Option<u64>,
}

impl SignalReport {
    /// The signal to store, or every field that is out of range or not one of its kind's.
    pub fn validate(self) -> Result<SignalData, InvalidFields> {
        use ReportedSignalKind::*;
        let mut check = FieldCheck::default();
        let kind = self.kind;
        let mut allowed = |field: &str, present: bool, kinds: &[ReportedSignalKind]| {
            if present && !kinds.contains(&kind) {
                check.fail(field, format!("is not part of a {} signal", SignalKind::from(kind).as_str()));
            }
        };
        allowed("length", self.length.is_some(), &[Paste, Copy]);
        allowed("external", self.external.is_some(), &[Paste]);
        allowed("share", self.share.is_some(), &[Copy]);
        allowed("duration_ms", self.duration_ms.is_some(), &[TabVisible, FocusGained]);
        if self.length.is_some_and(|length| length > MAX_LENGTH) {
            check.fail("length", format!("must be at most {MAX_LENGTH}"));
        }
        if self.share.is_some_and(|share| !(0.0..=1.0).contains(&share)) {
            check.fail("share", "must be between 0 and 1");
        }
        if self.duration_ms.is_some_and(|ms| ms > MAX_DURATION_MS) {
            check.fail("duration_ms", format!("must be at most {MAX_DURATION_MS}"));
        }
        check.finish()?;
        Ok(SignalData {
            kind: kind.into(),
            length: self.length,
            external: self.external,
            share: self.share,
            duration_ms: self.duration_ms,
        })
    }
}

/// The invalid fields as one sentence, for a socket's error event.
pub fn describe(invalid: &InvalidFields) -> String {
    let parts: Vec<String> = invalid.0.iter().map(|(field, why)| format!("{field} {why}")).collect();
    format!("The signal is not valid: {}.", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn report(body: Value) -> Result<SignalData, String> {
        let report: SignalReport = serde_json::from_value(body).map_err(|err| err.to_string())?;
        report.validate().map_err(|invalid| describe(&invalid))
    }

    #[test]
    fn each_kind_with_its_fields_is_accepted() {
        let paste = report(json!({"kind": "paste", "length": 10_000_000, "external": true})).unwrap();
        assert_eq!((paste.kind, paste.length, paste.external), (SignalKind::Paste, Some(10_000_000), Some(true)));
        let copy = report(json!({"kind": "copy", "length": 0, "share": 1.0})).unwrap();
        assert_eq!(copy.share, Some(1.0));
        assert!(report(json!({"kind": "tab_visible", "duration_ms": 86_400_000})).is_ok());
        assert!(report(json!({"kind": "focus_gained", "duration_ms": 0})).is_ok());
        for kind in ["tab_hidden", "focus_lost", "paste", "copy", "tab_visible", "focus_gained"] {
            assert!(report(json!({"kind": kind})).is_ok(), "{kind} without details");
        }
    }

    #[test]
    fn unknown_kinds_and_fields_are_refused() {
        for body in [
            json!({"kind": "large_insert", "length": 300}),
            json!({"kind": "keystroke"}),
            json!({"kind": "Paste"}),
            json!({}),
            json!({"kind": "paste", "text": "the pasted text is never sent"}),
            json!({"kind": "paste", "length": -1}),
            json!({"kind": "paste", "length": 1.5}),
            json!({"kind": "paste", "external": "yes"}),
        ] {
            assert!(report(body.clone()).is_err(), "{body}");
        }
    }

    #[test]
    fn numbers_are_bounded_and_fields_belong_to_their_kind() {
        let refused = [
            (json!({"kind": "paste", "length": 10_000_001}), "length"),
            (json!({"kind": "copy", "share": 1.01}), "share"),
            (json!({"kind": "copy", "share": -0.1}), "share"),
            (json!({"kind": "tab_visible", "duration_ms": 86_400_001}), "duration_ms"),
            (json!({"kind": "tab_hidden", "duration_ms": 5}), "duration_ms"),
            (json!({"kind": "copy", "external": true}), "external"),
            (json!({"kind": "paste", "share": 0.5}), "share"),
            (json!({"kind": "focus_lost", "length": 3}), "length"),
        ];
        for (body, field) in refused {
            let why = report(body.clone()).unwrap_err();
            assert!(why.contains(field), "{body}: {why}");
        }
    }
}
