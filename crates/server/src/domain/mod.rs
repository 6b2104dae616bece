//! Domain types parsed once at the edge ("parse, don't validate"): a value of one of these
//! types is known to be valid everywhere else in the server.

mod account;
mod controls;
mod interview;
pub mod policy;
pub mod rubric;
mod run;
mod scorecard;
mod text;
mod workspace;

pub use account::{Email, Password, PersonName};
pub use controls::InterviewControls;
pub use interview::{Difficulty, InterviewStatus, Language, Role, RoomCode};
pub use run::{ExceededLimit, FailureReason, LimitKind, OutputStream, RunMode, RunStatus, Verdict};
pub use scorecard::{
    Criterion, CriterionInput, DraftContent, Rating, RatingInput, Recommendation, ScorecardStatus, missing_for_submit,
    parse_draft, parse_rubric_change, ratings_for_rubric, rubric_from_defaults,
};
pub use text::{FieldCheck, FieldErrors, InvalidFields, bounded_text};
pub use workspace::{RubricCriterion, WorkspaceRole, default_rubric, parse_rubric};
