//! Interview vocabulary: question difficulty, programming languages (the runner's),
//! participant roles, interview status and the human room code (a run's words are in `run`).

use rand::Rng;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<$name, String> {
                match raw.trim() {
                    $($text => Ok($name::$variant),)+
                    _ => {
                        let known: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        Err(format!("must be one of: {}", known.join(", ")))
                    }
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;

            /// For records read from the store (`#[sqlx(try_from = "String")]`).
            fn try_from(raw: String) -> Result<$name, String> {
                $name::parse(&raw)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(super) use string_enum;

string_enum!(
    /// How hard a question is.
    Difficulty { Easy => "easy", Medium => "medium", Hard => "hard" }
);

/// A programming language candidates can write in: the runner's list, the only one.
pub use codeview_runner::Language;

string_enum!(
    /// Someone's role in one interview.
    Role { Host => "host", Interviewer => "interviewer", Observer => "observer", Candidate => "candidate" }
);

string_enum!(
    /// Where an interview is in its life: `scheduled → live → ended`.
    InterviewStatus { Scheduled => "scheduled", Live => "live", Ended => "ended" }
);

impl Role {
    /// Host and co-interviewers run the interview; they have the same powers inside it.
    pub fn is_interviewer(self) -> bool {
        matches!(self, Role::Host | Role::Interviewer)
    }
}

/// Letters that cannot be confused with digits or each other when read aloud or typed.
const ROOM_CODE_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz";

/// A short human code for an interview room, shaped `abc-defg-hjk`. It names the room; it is
/// not a secret (joining needs the invite secret too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomCode(String);

impl RoomCode {
    pub fn generate() -> RoomCode {
        let mut rng = rand::rng();
        let mut pick = |n: usize| -> String {
            (0..n).map(|_| ROOM_CODE_ALPHABET[rng.random_range(0..ROOM_CODE_ALPHABET.len())] as char).collect()
        };
        RoomCode(format!("{}-{}-{}", pick(3), pick(4), pick(3)))
    }

    /// Accepts a code as people type it: any case, surrounding spaces.
    pub fn parse(raw: &str) -> Result<RoomCode, String> {
        let code = raw.trim().to_lowercase();
        let groups: Vec<&str> = code.split('-').collect();
        let well_formed = groups.len() == 3
            && groups.iter().map(|g| g.len()).eq([3, 4, 3])
            && groups.iter().all(|g| g.bytes().all(|b| ROOM_CODE_ALPHABET.contains(&b)));
        if well_formed { Ok(RoomCode(code)) } else { Err("must look like abc-defg-hjk".into()) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_languages_are_rejected_with_the_list() {
        assert_eq!(Language::parse("cpp"), Ok(Language::Cpp));
        let why = Language::parse("cobol").unwrap_err();
        assert!(why.starts_with("must be one of: python, javascript"), "{why}");
    }

    #[test]
    fn generated_room_codes_parse_back() {
        for _ in 0..100 {
            let code = RoomCode::generate();
            assert_eq!(RoomCode::parse(code.as_str()), Ok(code));
        }
    }

    #[test]
    fn room_codes_are_read_case_insensitively_and_checked() {
        assert_eq!(RoomCode::parse(" ABC-DEFG-HJK ").unwrap().as_str(), "abc-defg-hjk");
        assert!(RoomCode::parse("abc-defg").is_err());
        assert!(RoomCode::parse("ab1-defg-hjk").is_err());
        assert!(RoomCode::parse("../../etc").is_err());
    }

    #[test]
    fn only_host_and_interviewer_run_interviews() {
        assert!(Role::Host.is_interviewer() && Role::Interviewer.is_interviewer());
        assert!(!Role::Observer.is_interviewer() && !Role::Candidate.is_interviewer());
    }
}
