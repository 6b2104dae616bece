//! What a session's terminal showed, for a late joiner: the last [`MAX_TRANSCRIPT_BYTES`] of
//! output and line-mode input, in order, trimmed only at character boundaries.

/// The most a transcript keeps (its oldest text goes first).
pub const MAX_TRANSCRIPT_BYTES: usize = 64 * 1024;

#[derive(Debug, Default)]
pub struct Transcript {
    text: String,
}

impl Transcript {
    pub fn push(&mut self, shown: &str) {
        self.text.push_str(shown);
        if self.text.len() > MAX_TRANSCRIPT_BYTES {
            let mut cut = self.text.len() - MAX_TRANSCRIPT_BYTES;
            while !self.text.is_char_boundary(cut) {
                cut += 1;
            }
            self.text.drain(..cut);
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_text_is_kept_whole_characters_only() {
        let mut t = Transcript::default();
        t.push("old");
        t.push(&"é".repeat(MAX_TRANSCRIPT_BYTES / 2));
        t.push("x");
        assert!(t.text().len() <= MAX_TRANSCRIPT_BYTES);
        assert!(t.text().ends_with("éx"));
        assert!(!t.text().contains("old"));
    }
}
