//! Shared rules for free-text fields: trimming, length bounds and control characters, with
//! accumulated per-field messages so one response names every bad field.

use std::collections::BTreeMap;

/// Per-field messages, keyed by the request field name.
pub type FieldErrors = BTreeMap<String, String>;

/// Some fields were not valid: each named with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidFields(pub FieldErrors);

/// Trims `raw` and checks it holds between `min` and `max` characters and no control
/// characters (newlines allowed only when `multiline`).
pub fn bounded_text(raw: &str, min: usize, max: usize, multiline: bool) -> Result<String, String> {
    let text = raw.trim();
    let chars = text.chars().count();
    if chars < min {
        return Err(if min == 1 { "must not be blank".into() } else { format!("must be at least {min} characters") });
    }
    if chars > max {
        return Err(format!("must be at most {max} characters"));
    }
    let bad_control = |c: char| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t'));
    if text.chars().any(bad_control) {
        return Err("must not contain control characters".into());
    }
    Ok(text.to_owned())
}

/// Collects per-field problems while a request is parsed into domain values.
#[derive(Default)]
pub struct FieldCheck {
    errors: FieldErrors,
}

impl FieldCheck {
    /// Records the error of `result` under `field` and returns the value, if any.
    pub fn take<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(why) => {
                self.errors.entry(field.to_owned()).or_insert(why);
                None
            }
        }
    }

    /// Records a problem found by a rule spanning several fields.
    pub fn fail(&mut self, field: &str, why: impl Into<String>) {
        self.errors.entry(field.to_owned()).or_insert_with(|| why.into());
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(())` when every field was fine, else every bad field with why.
    pub fn finish(self) -> Result<(), InvalidFields> {
        if self.errors.is_empty() { Ok(()) } else { Err(InvalidFields(self.errors)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_text_is_rejected() {
        assert!(bounded_text("   ", 1, 10, false).is_err());
    }

    #[test]
    fn text_is_trimmed_and_counted_in_characters() {
        assert_eq!(bounded_text("  héllo ", 1, 5, false).unwrap(), "héllo");
        assert!(bounded_text("héllo!", 1, 5, false).is_err());
    }

    #[test]
    fn newlines_only_allowed_in_multiline_text() {
        assert!(bounded_text("a\nb", 1, 10, false).is_err());
        assert!(bounded_text("a\nb", 1, 10, true).is_ok());
        assert!(bounded_text("a\u{7}b", 1, 10, true).is_err());
    }
}
