//! Text helpers of the summary: the budget that bounds the run text a summary carries, the
//! file name's slug, durations as people read them, and escaping for Markdown and HTML (every
//! name, title, code and output in a summary is attacker text).

/// Run text (code, stdin, outputs) a summary keeps in all, newest runs first.
pub const MAX_RUN_TEXT_BYTES: usize = 8 * 1024 * 1024;
/// Ends a text that was cut to fit [`MAX_RUN_TEXT_BYTES`].
pub const CUT_MARKER: &str = "\n[cut: a summary keeps at most 8 MiB of run text]\n";

/// What is left of the summary's run text budget.
#[derive(Debug)]
pub struct TextBudget {
    left: usize,
    pub cut: bool,
}

impl TextBudget {
    pub fn new(bytes: usize) -> TextBudget {
        TextBudget { left: bytes, cut: false }
    }

    /// Keeps as much of `text` as the budget allows (cut on a character boundary, marked).
    pub fn take(&mut self, text: &mut String) {
        if text.len() <= self.left {
            self.left -= text.len();
            return;
        }
        let mut end = self.left;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str(CUT_MARKER);
        self.left = 0;
        self.cut = true;
    }

    pub fn take_opt(&mut self, text: &mut Option<String>) {
        if let Some(text) = text {
            self.take(text);
        }
    }
}

/// Lowercase ASCII words of `title` joined by `-` (at most 60 characters), or `interview`.
pub fn slug(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect();
    let mut slug = words.join("-");
    slug.truncate(60);
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() { "interview".into() } else { slug }
}

/// `1 h 05 min`, `12 min 30 s`, `45 s`.
pub fn human_duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h} h {m:02} min")
    } else if m > 0 {
        format!("{m} min {s:02} s")
    } else {
        format!("{s} s")
    }
}

/// A Markdown code fence that `text` cannot close: backticks, one more than its longest run
/// of backticks (at least three).
pub fn fence_for(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    "`".repeat((longest + 1).max(3))
}

/// One line of text for Markdown prose (a name, a title): on one line, with every character
/// that Markdown or inline HTML could read as markup escaped.
pub fn md_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.trim().to_owned()
}

/// `text` safe as HTML element content and as a quoted attribute value.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_are_longer_than_any_backtick_run_inside() {
        assert_eq!(fence_for("print(1)"), "```");
        assert_eq!(fence_for("a ``` b"), "````");
        assert_eq!(fence_for("`````"), "``````");
    }

    #[test]
    fn inline_markdown_cannot_open_markup() {
        assert_eq!(md_inline("<img src=x onerror=alert(1)>"), "\\<img src=x onerror=alert\\(1\\)\\>");
        assert_eq!(md_inline("a\n# b"), "a \\# b");
    }

    #[test]
    fn html_escape_covers_elements_and_attributes() {
        assert_eq!(html_escape("</pre><script>\"'&"), "&lt;/pre&gt;&lt;script&gt;&quot;&#39;&amp;");
    }

    #[test]
    fn the_budget_cuts_on_a_character_boundary_and_says_so() {
        let mut budget = TextBudget::new(4);
        let mut text = "ab€cd".to_owned();
        budget.take(&mut text);
        assert_eq!(text, format!("ab{CUT_MARKER}"));
        assert!(budget.cut);
        let mut more = "x".to_owned();
        budget.take(&mut more);
        assert_eq!(more, CUT_MARKER);
    }

    #[test]
    fn slugs_and_durations() {
        assert_eq!(slug("Backend pairing: Émile's round!"), "backend-pairing-mile-s-round");
        assert_eq!(slug("<>"), "interview");
        assert_eq!(human_duration(3900), "1 h 05 min");
        assert_eq!(human_duration(750), "12 min 30 s");
        assert_eq!(human_duration(45), "45 s");
    }
}
