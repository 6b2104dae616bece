//! Natural class-name handling for Java: candidates write `public class Main`, `public class
//! Solution` or a non-public class with `main`, with or without a package. We find the class to
//! launch and the file name javac requires, without a Java parser: comments and literals are
//! blanked out, then top-level type declarations are read token by token.

/// Where to write the source and what to launch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JavaNames {
    /// File name javac accepts for this source, e.g. `Solution.java`.
    pub file_name: String,
    /// Fully qualified class to pass to `java`, e.g. `Solution` or `app.Main`.
    pub main_class: String,
}

pub(crate) fn java_names(source: &str) -> JavaNames {
    let code = blank_comments_and_literals(source);
    let tokens = tokenize(&code);
    let package = package_name(&tokens);
    let types = top_level_types(&tokens);

    let public = types.iter().find(|t| t.public);
    let with_main = types.iter().find(|t| t.has_main);
    let main = public.filter(|p| p.has_main || with_main.is_none()).or(with_main).or(public).or(types.first());
    let main_name = main.map_or("Main", |t| t.name.as_str());
    let file_stem = public.map_or(main_name, |t| t.name.as_str());
    let main_class = match package {
        Some(p) => format!("{p}.{main_name}"),
        None => main_name.to_string(),
    };
    JavaNames { file_name: format!("{file_stem}.java"), main_class }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    Punct(char),
}

struct TopLevelType {
    name: String,
    public: bool,
    has_main: bool,
}

/// Replaces comments, string/char literals and text blocks by spaces (keeping line structure).
fn blank_comments_and_literals(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
            out.push(' ');
        } else if c == '"' && next == Some('"') && chars.get(i + 2) == Some(&'"') {
            i += 3;
            while i < chars.len() && !chars[i..].starts_with(&['"', '"', '"']) {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 3;
            out.push(' ');
        } else if c == '"' || c == '\'' {
            i += 1;
            while i < chars.len() && chars[i] != c && chars[i] != '\n' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(' ');
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn tokenize(code: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut ident = String::new();
    for c in code.chars() {
        if c.is_alphanumeric() || c == '_' || c == '$' || (c == '.' && !ident.is_empty()) {
            ident.push(c);
            continue;
        }
        if !ident.is_empty() {
            tokens.push(Token::Ident(std::mem::take(&mut ident)));
        }
        if !c.is_whitespace() {
            tokens.push(Token::Punct(c));
        }
    }
    if !ident.is_empty() {
        tokens.push(Token::Ident(ident));
    }
    tokens
}

fn package_name(tokens: &[Token]) -> Option<String> {
    match tokens {
        [Token::Ident(kw), Token::Ident(name), Token::Punct(';'), ..] if kw == "package" => Some(name.clone()),
        _ => None,
    }
}

fn top_level_types(tokens: &[Token]) -> Vec<TopLevelType> {
    let mut types: Vec<TopLevelType> = Vec::new();
    let mut depth = 0usize;
    let mut public_seen = false;
    let mut expect_name = false;
    // Index into `types` of the top-level type whose body we are in.
    let mut current: Option<usize> = None;
    for (i, tok) in tokens.iter().enumerate() {
        match tok {
            Token::Punct('{') => {
                depth += 1;
                public_seen = false;
            }
            Token::Punct('}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    current = None;
                }
                public_seen = false;
            }
            Token::Punct(';') if depth == 0 => public_seen = false,
            Token::Ident(word) if depth == 0 => {
                if expect_name {
                    expect_name = false;
                    types.push(TopLevelType { name: word.clone(), public: public_seen, has_main: false });
                    current = Some(types.len() - 1);
                } else if word == "public" {
                    public_seen = true;
                } else if matches!(word.as_str(), "class" | "interface" | "enum" | "record") {
                    // `@interface` is an annotation type; `x.class` cannot occur at depth 0.
                    expect_name = true;
                }
            }
            Token::Ident(word) if word == "main" => {
                let declares_main = i >= 2
                    && matches!(&tokens[i - 1], Token::Ident(v) if v == "void")
                    && tokens[..i - 1].iter().rev().take(4).any(|t| matches!(t, Token::Ident(s) if s == "static"))
                    && matches!(tokens.get(i + 1), Some(Token::Punct('(')));
                if let Some(t) = current.and_then(|c| types.get_mut(c)).filter(|_| declares_main) {
                    t.has_main = true;
                }
            }
            _ => {}
        }
    }
    types
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(src: &str) -> (String, String) {
        let n = java_names(src);
        (n.file_name, n.main_class)
    }

    #[test]
    fn public_main_class_names_the_file() {
        let src = "import java.util.*;\npublic class Main { public static void main(String[] a) {} }";
        assert_eq!(names(src), ("Main.java".into(), "Main".into()));
    }

    #[test]
    fn any_public_class_name_is_accepted() {
        let src = "public final class Solution {\n  public static void main(String... args) {}\n}";
        assert_eq!(names(src), ("Solution.java".into(), "Solution".into()));
    }

    #[test]
    fn non_public_class_with_main_is_launched() {
        let src = "class Helper { int x; }\nclass Program { static public void main(String[] a) {} }";
        assert_eq!(names(src), ("Program.java".into(), "Program".into()));
    }

    #[test]
    fn public_helper_and_main_elsewhere_keep_javac_happy() {
        let src = "public class Util { }\nclass App { public static void main(String[] a) {} }";
        assert_eq!(names(src), ("Util.java".into(), "App".into()));
    }

    #[test]
    fn comments_and_strings_do_not_fool_the_scan() {
        let src = "// public class Fake {}\n/* public class Other */\nclass X { String s = \"public class Nope {\"; }\npublic class Real { public static void main(String[] a) { char c = '{'; } }";
        assert_eq!(names(src), ("Real.java".into(), "Real".into()));
    }

    #[test]
    fn nested_classes_are_not_top_level() {
        let src = "public class Outer { public static class Inner {} public static void main(String[] a) {} }";
        assert_eq!(names(src), ("Outer.java".into(), "Outer".into()));
    }

    #[test]
    fn package_is_part_of_the_main_class() {
        let src = "package app.core;\npublic class Main { public static void main(String[] a) {} }";
        assert_eq!(names(src), ("Main.java".into(), "app.core.Main".into()));
    }

    #[test]
    fn empty_source_defaults_to_main() {
        assert_eq!(names(""), ("Main.java".into(), "Main".into()));
    }
}
