//! The timeline's vocabulary, written once: what can happen in an interview (`TimelineDetail`:
//! each kind with its data), one event on the timeline (`TimelineEvent`), and the integrity
//! signals' data (`SignalData`). The stored events (`db::EventStore`), the timeline route,
//! the live `signal` room event and the summary all use these types; the web's are generated
//! from them.

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{InterviewControls, Language, Role, RunMode, RunStatus, Verdict};

/// The server clock as events keep it: to the microsecond, as both stores do (so an event
/// reads back, and reaches the room live, with the same `at`).
pub fn event_time(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// One event of an interview's timeline: when (server clock), who (a participant, or null for
/// the interview itself), and what (`kind` with its `data`).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TimelineEvent {
    pub at: DateTime<Utc>,
    #[schema(required = true)]
    pub participant_id: Option<Uuid>,
    #[serde(flatten)]
    pub detail: TimelineDetail,
}

/// What happened: `kind`, and `data` whose shape depends on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum TimelineDetail {
    /// The interview went live.
    Started {},
    /// The interview ended.
    Ended {},
    /// The participant's first room socket (in this server) opened.
    Joined { role: Role },
    /// The participant's last room socket (in this server) closed.
    Left { role: Role },
    /// The code's language changed (from the code document's history).
    LanguageChanged { language: Language },
    /// The participant made another question the active one (null: the first).
    QuestionChanged {
        #[schema(required = true)]
        question_id: Option<Uuid>,
    },
    /// The participant changed other interview controls: the fields that changed, with their
    /// new values.
    ControlChanged { changes: ControlChanges },
    /// The participant asked for a run (it was queued).
    RunStarted { run_id: Uuid, language: Language, mode: RunMode },
    /// A run ended (its requester is the participant).
    RunFinished {
        run_id: Uuid,
        status: RunStatus,
        #[schema(required = true)]
        verdict: Option<Verdict>,
    },
    /// The participant edited the notes, from `at` until `until` (`edits` updates, each less
    /// than a minute after the one before).
    NoteEdited { until: DateTime<Utc>, edits: u32 },
    /// An integrity signal about the candidate: evidence to look at, not a verdict.
    Signal(SignalData),
}

impl TimelineDetail {
    /// The `kind` as it is written on the wire and in the store.
    pub fn kind(&self) -> &'static str {
        match self {
            TimelineDetail::Started {} => "started",
            TimelineDetail::Ended {} => "ended",
            TimelineDetail::Joined { .. } => "joined",
            TimelineDetail::Left { .. } => "left",
            TimelineDetail::LanguageChanged { .. } => "language_changed",
            TimelineDetail::QuestionChanged { .. } => "question_changed",
            TimelineDetail::ControlChanged { .. } => "control_changed",
            TimelineDetail::RunStarted { .. } => "run_started",
            TimelineDetail::RunFinished { .. } => "run_finished",
            TimelineDetail::NoteEdited { .. } => "note_edited",
            TimelineDetail::Signal(_) => "signal",
        }
    }
}

/// The interview controls (other than the active question) that changed, each with its new
/// value; unchanged ones are left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlChanges {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub candidate_autocomplete: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub editor_locked: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub runs_disabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub auto_end: Option<bool>,
}

impl ControlChanges {
    /// What changed from `before` to `after` (the active question is not a control change:
    /// it is `question_changed`).
    pub fn between(before: &InterviewControls, after: &InterviewControls) -> ControlChanges {
        let changed = |old: bool, new: bool| (old != new).then_some(new);
        ControlChanges {
            candidate_autocomplete: changed(before.candidate_autocomplete, after.candidate_autocomplete),
            editor_locked: changed(before.editor_locked, after.editor_locked),
            runs_disabled: changed(before.runs_disabled, after.runs_disabled),
            auto_end: changed(before.auto_end, after.auto_end),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == ControlChanges::default()
    }
}

/// What an integrity signal says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// Text pasted into the editor.
    Paste,
    /// The page was hidden (another tab or window in front).
    TabHidden,
    /// The page was shown again.
    TabVisible,
    /// The window lost the focus.
    FocusLost,
    /// The window got the focus back.
    FocusGained,
    /// Text copied from the editor.
    Copy,
    /// Made by the server: a large insert into the code with no paste reported just before.
    LargeInsert,
}

impl SignalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SignalKind::Paste => "paste",
            SignalKind::TabHidden => "tab_hidden",
            SignalKind::TabVisible => "tab_visible",
            SignalKind::FocusLost => "focus_lost",
            SignalKind::FocusGained => "focus_gained",
            SignalKind::Copy => "copy",
            SignalKind::LargeInsert => "large_insert",
        }
    }
}

/// An integrity signal as stored, on the timeline and in the live `signal` room event. Only
/// the fields of its kind are present.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignalData {
    pub kind: SignalKind,
    /// `paste`, `copy`, `large_insert`: characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub length: Option<u64>,
    /// `paste`: the text did not come from a copy or cut inside this interview's editor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub external: Option<bool>,
    /// `copy`: the share of the document copied, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub share: Option<f64>,
    /// `tab_visible`: how long the page was hidden; `focus_gained`: how long the window was
    /// unfocused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub duration_ms: Option<u64>,
}

impl SignalData {
    /// The server's `large_insert` of `length` characters.
    pub fn large_insert(length: u64) -> SignalData {
        SignalData {
            kind: SignalKind::LargeInsert,
            length: Some(length),
            external: None,
            share: None,
            duration_ms: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_event_is_flat_with_its_kind_and_data() {
        let at = "2026-12-06T08:00:00.123Z".parse().unwrap();
        let who = Uuid::nil();
        let event = |detail| serde_json::to_value(TimelineEvent { at, participant_id: Some(who), detail }).unwrap();
        assert_eq!(
            event(TimelineDetail::Started {}),
            json!({"at": "2026-12-06T08:00:00.123Z", "participant_id": who, "kind": "started", "data": {}})
        );
        assert_eq!(
            event(TimelineDetail::QuestionChanged { question_id: None }),
            json!({"at": "2026-12-06T08:00:00.123Z", "participant_id": who, "kind": "question_changed", "data": {"question_id": null}})
        );
        let paste = SignalData { length: Some(120), external: Some(true), ..SignalData::large_insert(0) };
        let paste = SignalData { kind: SignalKind::Paste, ..paste };
        assert_eq!(
            event(TimelineDetail::Signal(paste))["data"],
            json!({"kind": "paste", "length": 120, "external": true}),
            "absent fields are left out"
        );
        let changes = ControlChanges { editor_locked: Some(true), ..ControlChanges::default() };
        assert_eq!(
            event(TimelineDetail::ControlChanged { changes })["data"],
            json!({"changes": {"editor_locked": true}})
        );
    }

    #[test]
    fn every_kind_names_itself_as_serde_does() {
        let details = [
            TimelineDetail::Started {},
            TimelineDetail::Ended {},
            TimelineDetail::Joined { role: Role::Host },
            TimelineDetail::Left { role: Role::Candidate },
            TimelineDetail::LanguageChanged { language: Language::Python },
            TimelineDetail::QuestionChanged { question_id: Some(Uuid::nil()) },
            TimelineDetail::ControlChanged { changes: ControlChanges::default() },
            TimelineDetail::RunStarted { run_id: Uuid::nil(), language: Language::Python, mode: RunMode::Test },
            TimelineDetail::RunFinished { run_id: Uuid::nil(), status: RunStatus::Finished, verdict: None },
            TimelineDetail::NoteEdited { until: Utc::now(), edits: 3 },
            TimelineDetail::Signal(SignalData::large_insert(200)),
        ];
        for detail in details {
            let json = serde_json::to_value(&detail).unwrap();
            assert_eq!(json["kind"], detail.kind());
            let back: TimelineDetail = serde_json::from_value(json).unwrap();
            assert_eq!(back, detail, "reads back");
        }
        for kind in [SignalKind::Paste, SignalKind::TabHidden, SignalKind::LargeInsert] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }

    #[test]
    fn control_changes_name_only_what_changed() {
        let before = InterviewControls::default();
        let after = InterviewControls { editor_locked: true, auto_end: true, ..before };
        let changes = ControlChanges::between(&before, &after);
        assert_eq!(serde_json::to_value(changes).unwrap(), json!({"editor_locked": true, "auto_end": true}));
        let question_only = InterviewControls { active_question_id: Some(Uuid::nil()), ..before };
        assert!(ControlChanges::between(&before, &question_only).is_empty());
    }
}
