//! SQL results compared as tables. A SQL job prints its result the way `sqlite3` does with
//! `.headers on` and `.mode quote`: a header line of quoted column names, then one line per
//! row of SQL literals (`NULL`, numbers, `'text'` with `''` for a quote, `X'..'` blobs), so
//! NULL, the empty string and the text `'NULL'` stay apart. Expected outputs are written the
//! same way.
//!
//! [`compare_tables`] checks the column names (in order, case-insensitively, as SQL names
//! are), then the rows: in order, or as a multiset when the case says order does not matter.
//! Values compare by a canonical form: NULL only equals NULL; numbers, and text that reads as
//! a number, compare as numbers rounded to 12 significant digits (so `1`, `1.0` and `'1'` are
//! equal, and `0.1+0.2` equals `0.3`); other text compares exactly. A query that returns no
//! rows prints no header in `sqlite3`, so an empty result matches any expected table without
//! rows. On a mismatch the error is a readable diff for the person who ran the query.

use std::collections::HashMap;
use std::fmt::Write as _;

/// Rows listed at most per section of a diff.
const DIFF_ROWS_SHOWN: usize = 10;

/// One cell of a result.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    /// A bare token: a number (`3`, `2.5`, `1.0e+20`, `Inf`), a blob `X'01'`, or anything else
    /// `sqlite3` printed unquoted; kept as written.
    Bare(String),
    /// A quoted string, unescaped.
    Text(String),
}

impl Value {
    /// The form two values are compared by.
    fn canonical(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bare(raw) => number_key(raw).unwrap_or_else(|| format!("bare:{raw}")),
            Value::Text(text) => number_key(text).unwrap_or_else(|| format!("text:{text}")),
        }
    }

    /// As a SQL literal, the way it was printed.
    fn shown(&self) -> String {
        match self {
            Value::Null => "NULL".into(),
            Value::Bare(raw) => raw.clone(),
            Value::Text(text) => format!("'{}'", text.replace('\'', "''")),
        }
    }
}

/// `num:` and the number rounded to 12 significant digits, for text that reads as a number.
fn number_key(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || trimmed != raw {
        return None;
    }
    let n: f64 = trimmed.parse().ok()?;
    if n.is_nan() {
        return None;
    }
    if n.is_infinite() {
        return Some(format!("num:{}inf", if n < 0.0 { "-" } else { "" }));
    }
    if n == 0.0 {
        return Some("num:0".into());
    }
    Some(format!("num:{n:.11e}"))
}

/// A parsed result: column names and rows.
#[derive(Debug, Clone, PartialEq)]
struct Table {
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

/// Reads `sqlite3`'s quote mode (header line first). Blank lines between records are skipped;
/// `\r\n` ends a record like `\n`; spaces around values are allowed.
fn parse_table(text: &str) -> Result<Table, String> {
    let mut records = parse_records(text)?.into_iter();
    let columns = match records.next() {
        None => Vec::new(),
        Some(header) => header
            .into_iter()
            .map(|v| match v {
                Value::Text(name) | Value::Bare(name) => name,
                Value::Null => "NULL".into(),
            })
            .collect(),
    };
    Ok(Table { columns, rows: records.collect() })
}

fn parse_records(text: &str) -> Result<Vec<Vec<Value>>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut records = Vec::new();
    let mut record: Vec<Value> = Vec::new();
    let mut i = 0;
    let mut line = 1;
    // At the start of a field: read one value, then a separator.
    loop {
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\t') {
            i += 1;
        }
        if i >= chars.len() {
            if !record.is_empty() {
                records.push(record);
            }
            return Ok(records);
        }
        let value = if chars[i] == '\'' {
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(format!("line {line}: a quoted value is not closed")),
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        s.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(c) => {
                        if *c == '\n' {
                            line += 1;
                        }
                        s.push(*c);
                        i += 1;
                    }
                }
            }
            Some(Value::Text(s))
        } else {
            // A bare token, up to a separator outside quotes and parentheses (`sqlite3` may
            // print e.g. `replace('a\nb','\n',char(10))`).
            let start = i;
            let mut depth = 0usize;
            let mut quoted = false;
            while let Some(&c) = chars.get(i) {
                match c {
                    '\'' => quoted = !quoted,
                    '(' if !quoted => depth += 1,
                    ')' if !quoted => depth = depth.saturating_sub(1),
                    ',' | '\n' | '\r' if !quoted && depth == 0 => break,
                    _ => {}
                }
                i += 1;
            }
            let raw: String = chars[start..i].iter().collect::<String>().trim().to_string();
            match raw.as_str() {
                "" => None,
                "NULL" => Some(Value::Null),
                _ => Some(Value::Bare(raw)),
            }
        };
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\t') {
            i += 1;
        }
        match chars.get(i) {
            Some(',') => {
                record.push(value.unwrap_or(Value::Bare(String::new())));
                i += 1;
            }
            Some('\r') | Some('\n') | None => {
                if let Some(v) = value {
                    record.push(v);
                } else if !record.is_empty() {
                    record.push(Value::Bare(String::new()));
                }
                if chars.get(i) == Some(&'\r') {
                    i += 1;
                }
                if chars.get(i) == Some(&'\n') {
                    i += 1;
                    line += 1;
                }
                if !record.is_empty() {
                    records.push(std::mem::take(&mut record));
                }
            }
            Some(c) => return Err(format!("line {line}: unexpected {c:?} after a value")),
        }
    }
}

fn show_row(row: &[Value]) -> String {
    row.iter().map(Value::shown).collect::<Vec<_>>().join(", ")
}

fn row_key(row: &[Value]) -> Vec<String> {
    row.iter().map(Value::canonical).collect()
}

/// Compares a query's output with the expected table; `Err` holds a readable diff.
pub fn compare_tables(actual: &str, expected: &str, ordered: bool) -> Result<(), String> {
    let expected = parse_table(expected).map_err(|e| format!("The expected output is not a valid table ({e})."))?;
    let actual = parse_table(actual).map_err(|e| {
        format!(
            "The output is not a query result as sqlite3 prints it with `.headers on` and `.mode quote` ({e}). \
             Leave the output settings as they are and end with one SELECT."
        )
    })?;
    if actual.columns.is_empty() {
        return if expected.rows.is_empty() {
            Ok(())
        } else {
            Err(format!("The query returned no rows; expected {}.", rows_count(expected.rows.len())))
        };
    }
    let lower = |cols: &[String]| cols.iter().map(|c| c.to_lowercase()).collect::<Vec<_>>();
    if !expected.columns.is_empty() && lower(&actual.columns) != lower(&expected.columns) {
        return Err(format!(
            "The columns differ.\n  expected: {}\n  got:      {}",
            show_columns(&expected.columns),
            show_columns(&actual.columns)
        ));
    }
    if ordered {
        compare_ordered(&actual.rows, &expected.rows)
    } else {
        compare_unordered(&actual.rows, &expected.rows)
    }
}

fn show_columns(columns: &[String]) -> String {
    columns.iter().map(|c| format!("'{}'", c.replace('\'', "''"))).collect::<Vec<_>>().join(", ")
}

fn rows_count(n: usize) -> String {
    if n == 1 { "1 row".into() } else { format!("{n} rows") }
}

fn compare_ordered(actual: &[Vec<Value>], expected: &[Vec<Value>]) -> Result<(), String> {
    let first_difference = actual.iter().zip(expected).position(|(a, e)| row_key(a) != row_key(e));
    if first_difference.is_none() && actual.len() == expected.len() {
        return Ok(());
    }
    let mut diff = String::new();
    if actual.len() != expected.len() {
        let _ = writeln!(diff, "Expected {}, got {}.", rows_count(expected.len()), rows_count(actual.len()));
    }
    let at = first_difference.unwrap_or(actual.len().min(expected.len()));
    let row = |rows: &[Vec<Value>]| rows.get(at).map(|r| show_row(r)).unwrap_or_else(|| "(no row)".into());
    let _ =
        write!(diff, "First difference at row {}:\n  expected: {}\n  got:      {}", at + 1, row(expected), row(actual));
    if compare_unordered(actual, expected).is_ok() {
        diff.push_str("\nThe rows are right but in a different order, and this test checks the order (ORDER BY).");
    }
    Err(diff)
}

fn compare_unordered(actual: &[Vec<Value>], expected: &[Vec<Value>]) -> Result<(), String> {
    let mut unmatched: HashMap<Vec<String>, usize> = HashMap::new();
    for row in expected {
        *unmatched.entry(row_key(row)).or_default() += 1;
    }
    let mut unexpected = Vec::new();
    for row in actual {
        match unmatched.get_mut(&row_key(row)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => unexpected.push(row),
        }
    }
    let mut missing = Vec::new();
    for row in expected {
        if let Some(n) = unmatched.get_mut(&row_key(row))
            && *n > 0
        {
            *n -= 1;
            missing.push(row);
        }
    }
    if missing.is_empty() && unexpected.is_empty() {
        return Ok(());
    }
    let mut diff = format!("Expected {}, got {}.", rows_count(expected.len()), rows_count(actual.len()));
    for (title, rows) in [
        ("Missing rows (expected, not in the result)", &missing),
        ("Unexpected rows (in the result, not expected)", &unexpected),
    ] {
        if rows.is_empty() {
            continue;
        }
        let _ = write!(diff, "\n{title}:");
        for row in rows.iter().take(DIFF_ROWS_SHOWN) {
            let _ = write!(diff, "\n  {}", show_row(row));
        }
        if rows.len() > DIFF_ROWS_SHOWN {
            let _ = write!(diff, "\n  … and {} more", rows.len() - DIFF_ROWS_SHOWN);
        }
    }
    Err(diff)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEOPLE: &str = "'name','age'\n'ann',30\n'bob',NULL\n'',25\n";

    #[test]
    fn the_same_table_matches_with_trailing_blank_lines_and_crlf() {
        assert_eq!(compare_tables(PEOPLE, "'name','age'\r\n'ann',30\r\n'bob',NULL\r\n'',25\r\n\r\n", true), Ok(()));
        assert_eq!(compare_tables(PEOPLE, "'name', 'age'\n'ann', 30\n'bob', NULL\n'', 25", true), Ok(()));
    }

    #[test]
    fn null_the_empty_string_and_the_text_null_differ() {
        let err = compare_tables("'v'\nNULL\n", "'v'\n''\n", true).unwrap_err();
        assert!(err.contains("expected: ''") && err.contains("got:      NULL"), "{err}");
        assert!(compare_tables("'v'\n'NULL'\n", "'v'\nNULL\n", true).is_err());
        assert!(compare_tables("'v'\nNULL\n", "'v'\nNULL\n", true).is_ok());
    }

    #[test]
    fn numbers_compare_as_numbers() {
        assert!(compare_tables("'n'\n1\n", "'n'\n1.0\n", true).is_ok());
        assert!(compare_tables("'n'\n'1'\n", "'n'\n1\n", true).is_ok());
        assert!(compare_tables("'n'\n0.3000000000000000444\n", "'n'\n0.3\n", true).is_ok());
        assert!(compare_tables("'n'\n2.5\n", "'n'\n2.4\n", true).is_err());
        assert!(compare_tables("'n'\n' 1'\n", "'n'\n1\n", true).is_err(), "text with spaces is text");
    }

    #[test]
    fn a_header_mismatch_is_reported_before_the_rows() {
        let err = compare_tables("'name','years'\n'ann',30\n", PEOPLE, true).unwrap_err();
        assert!(err.starts_with("The columns differ."), "{err}");
        assert!(err.contains("expected: 'name', 'age'") && err.contains("got:      'name', 'years'"), "{err}");
        assert!(compare_tables("'age','name'\n", PEOPLE, false).is_err(), "column order matters");
        assert!(compare_tables("'NAME','Age'\n'ann',30\n'bob',NULL\n'',25\n", PEOPLE, true).is_ok());
    }

    #[test]
    fn ordered_cases_show_the_first_differing_row_and_say_when_only_the_order_is_wrong() {
        let shuffled = "'name','age'\n'bob',NULL\n'ann',30\n'',25\n";
        let err = compare_tables(shuffled, PEOPLE, true).unwrap_err();
        assert!(err.contains("row 1:\n  expected: 'ann', 30\n  got:      'bob', NULL"), "{err}");
        assert!(err.contains("different order"), "{err}");
        assert_eq!(compare_tables(shuffled, PEOPLE, false), Ok(()));
        let short = "'name','age'\n'ann',30\n";
        let err = compare_tables(short, PEOPLE, true).unwrap_err();
        assert!(err.contains("Expected 3 rows, got 1 row.") && err.contains("got:      (no row)"), "{err}");
    }

    #[test]
    fn unordered_cases_count_duplicates() {
        let twice = "'x'\n1\n1\n2\n";
        assert!(compare_tables("'x'\n2\n1\n1\n", twice, false).is_ok());
        let err = compare_tables("'x'\n1\n2\n", twice, false).unwrap_err();
        assert!(err.contains("Missing rows (expected, not in the result):\n  1"), "{err}");
        let err = compare_tables("'x'\n1\n1\n1\n2\n", twice, false).unwrap_err();
        assert!(err.contains("Unexpected rows (in the result, not expected):\n  1"), "{err}");
        assert!(!err.contains("Missing"), "{err}");
    }

    #[test]
    fn empty_results_print_no_header_and_match_an_empty_table() {
        assert_eq!(compare_tables("", "'name','age'\n", true), Ok(()));
        assert_eq!(compare_tables("\n", "", false), Ok(()));
        let err = compare_tables("", PEOPLE, true).unwrap_err();
        assert_eq!(err, "The query returned no rows; expected 3 rows.");
        let err = compare_tables(PEOPLE, "'name','age'\n", false).unwrap_err();
        assert!(err.contains("Expected 0 rows, got 3 rows."), "{err}");
    }

    #[test]
    fn quoted_values_may_hold_commas_quotes_and_newlines() {
        let out = "'a','b'\n'x, y','it''s\nmultiline'\nX'01',replace('p\\nq','\\n',char(10))\n";
        let table = parse_table(out).unwrap();
        assert_eq!(table.columns, ["a", "b"]);
        assert_eq!(table.rows[0], [Value::Text("x, y".into()), Value::Text("it's\nmultiline".into())]);
        assert_eq!(table.rows[1][0], Value::Bare("X'01'".into()));
        assert_eq!(table.rows[1][1], Value::Bare("replace('p\\nq','\\n',char(10))".into()));
        assert!(compare_tables(out, out, true).is_ok());
    }

    #[test]
    fn a_long_diff_is_cut() {
        let many: String = std::iter::once("'x'\n".to_string()).chain((0..30).map(|i| format!("{i}\n"))).collect();
        let err = compare_tables(&many, "'x'\n", false).unwrap_err();
        assert!(err.contains("… and 20 more"), "{err}");
    }

    #[test]
    fn output_that_is_not_a_table_is_explained() {
        let err = compare_tables("'unclosed\n", "'x'\n", true).unwrap_err();
        assert!(err.contains("not a query result"), "{err}");
    }
}
