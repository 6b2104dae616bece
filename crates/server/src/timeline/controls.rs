//! The timeline's record of a controls change (`PATCH /api/interviews/{id}/controls`): a
//! `question_changed` when the active question changed, a `control_changed` naming the other
//! controls that changed, each by the participant who changed them.

use uuid::Uuid;

use super::event::{ControlChanges, TimelineDetail};
use super::recorder::EventRecorder;
use crate::domain::InterviewControls;

/// The events of a change from `before` to `after` (none when nothing changed).
pub fn control_events(before: &InterviewControls, after: &InterviewControls) -> Vec<TimelineDetail> {
    let mut events = Vec::new();
    if before.active_question_id != after.active_question_id {
        events.push(TimelineDetail::QuestionChanged { question_id: after.active_question_id });
    }
    let changes = ControlChanges::between(before, after);
    if !changes.is_empty() {
        events.push(TimelineDetail::ControlChanged { changes });
    }
    events
}

/// Records what `by` changed; never fails (see `recorder`).
pub async fn record_controls_change(
    recorder: &EventRecorder,
    interview_id: Uuid,
    by: Uuid,
    before: &InterviewControls,
    after: &InterviewControls,
) {
    for detail in control_events(before, after) {
        recorder.record_now(interview_id, Some(by), detail).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_switch_and_other_controls_are_two_events() {
        let before = InterviewControls::default();
        assert!(control_events(&before, &before).is_empty(), "nothing changed");
        let question = Uuid::now_v7();
        let after = InterviewControls { active_question_id: Some(question), runs_disabled: true, ..before };
        let changes = ControlChanges { runs_disabled: Some(true), ..ControlChanges::default() };
        assert_eq!(
            control_events(&before, &after),
            [
                TimelineDetail::QuestionChanged { question_id: Some(question) },
                TimelineDetail::ControlChanged { changes }
            ]
        );
        let back = InterviewControls { active_question_id: None, ..after };
        assert_eq!(control_events(&after, &back), [TimelineDetail::QuestionChanged { question_id: None }]);
    }
}
