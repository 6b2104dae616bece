//! The SQL questions of the starter library: their own shape beside `seed_questions` (no stdin
//! program, no Python reference, no starters in eight languages). Each is one TOML file under
//! `crates/server/seed/questions/` named `sql-*.toml`, embedded at compile time, with the
//! schema every run sets up, a reference query, the `sql` starter, and test cases whose input
//! is seed data (SQL) and whose expected output is the result table as `sqlite3` prints it
//! with `.headers on` and `.mode quote` (see `codeview_runner::compare_tables`).
//!
//! The tests run every case's reference query through the real `sqlite3` and compare the
//! result with the expected table the way runs are judged, and run the starter on every case.
//! A missing `sqlite3` skips them visibly, or fails them under `CODEVIEW_REQUIRE_TOOLCHAINS=1`.

use serde::Deserialize;

/// One SQL question of the starter library, as written in its TOML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSqlQuestion {
    /// Stable identifier, equal to the file name without `.toml`.
    pub slug: String,
    pub title: String,
    /// Markdown with **Input format** (the tables), **Output format**, constraints, one example.
    pub prompt: String,
    pub difficulty: crate::domain::Difficulty,
    pub category: String,
    pub tags: Vec<String>,
    /// The DDL run before each case's seed data; shown to candidates.
    pub sql_schema: String,
    /// The starter query (the only starter: the answer is written in `sql`).
    pub starter_sql: String,
    pub test_cases: Vec<SeedSqlTestCase>,
    /// A query solving the question. Server-side only: never send it to a client.
    pub reference_sql: String,
}

/// One test case of a SQL question.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSqlTestCase {
    /// Seed data: SQL statements filling the schema's tables.
    pub input: String,
    /// The result table in `sqlite3`'s quote mode with headers.
    pub expected_output: String,
    pub hidden: bool,
    /// Whether the rows must come in the expected order.
    pub ordered: bool,
}

/// Every SQL question file, embedded at compile time (the directory test in `seed_questions`
/// checks that this list and `seed_questions`' together match the directory).
pub(crate) const FILES: &[(&str, &str)] = crate::seed_questions::seed_files![
    "sql-busy-departments",
    "sql-customer-spending",
    "sql-deduplicate-signups",
    "sql-running-balance",
    "sql-top-earners-per-department",
];

/// Parses the embedded SQL questions, in file-name order.
///
/// # Panics
/// If a file is not a valid question (compile-time data covered by the tests below).
pub fn sql_starter_library() -> Vec<SeedSqlQuestion> {
    FILES
        .iter()
        .map(|(name, text)| toml::from_str(text).unwrap_or_else(|err| panic!("seed question {name}: {err}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::io::Write;
    use std::path::Path;
    use std::process::{Command, Stdio};

    use codeview_runner::{Toolchains, compare_tables};

    use super::*;

    /// Runs `query` on a fresh in-memory database set up by `schema` then `seed`, printing the
    /// result as the runner's SQL jobs do (`.headers on`, `.mode quote`, `-bail`).
    fn run_query(sqlite3: &Path, schema: &str, seed: &str, query: &str) -> Result<String, String> {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            format!(".read {}", path.display())
        };
        let (schema, seed, query) = (file("schema.sql", schema), file("seed.sql", seed), file("query.sql", query));
        let output = Command::new(sqlite3)
            .args(["-bail", "-batch", "-init", "/dev/null", "-cmd", &schema, "-cmd", &seed])
            .args(["-cmd", ".headers on", "-cmd", ".mode quote", ":memory:", &query])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| e.to_string())?;
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned());
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Whether `sqlite3` is installed; a visible skip (or a failure in CI) otherwise.
    fn sqlite3_available(sqlite3: &Path) -> bool {
        if Command::new(sqlite3).arg("-version").stdin(Stdio::null()).output().is_ok_and(|o| o.status.success()) {
            return true;
        }
        let missing = format!("{} cannot run", sqlite3.display());
        if std::env::var("CODEVIEW_REQUIRE_TOOLCHAINS").is_ok_and(|v| v == "1" || v == "true") {
            panic!("cannot check the SQL questions: {missing}; scripts/apt-packages.txt installs it.");
        }
        let line = format!("SKIPPED: cannot check the SQL questions: {missing}.\n");
        let _ = std::io::stderr().write_all(line.as_bytes());
        false
    }

    #[test]
    fn the_sql_questions_are_well_formed() {
        let library = sql_starter_library();
        assert_eq!(library.len(), 5);
        let mut slugs = BTreeSet::new();
        for ((file, _), question) in FILES.iter().zip(&library) {
            let slug = &question.slug;
            assert!(slugs.insert(slug.clone()), "duplicate slug {slug}");
            assert_eq!(format!("{slug}.toml"), *file, "slug and file name differ");
            assert!(slug.starts_with("sql-"), "{slug}: SQL question files are named sql-*.toml");
            assert_eq!(question.category, "sql", "{slug}");
            assert!(!question.title.trim().is_empty() && !question.tags.is_empty(), "{slug}");
            for section in ["**Input format**", "**Output format**", "**Constraints**", "**Example**"] {
                assert!(question.prompt.contains(section), "{slug}: prompt lacks {section}");
            }
            assert!(question.sql_schema.contains("CREATE TABLE"), "{slug}: no table in the schema");
            assert!(question.starter_sql.contains("TODO"), "{slug}: the starter should mark where to write");
            let cases = &question.test_cases;
            assert!(cases.len() >= 5, "{slug}: only {} test cases", cases.len());
            assert!(cases.iter().any(|c| c.hidden) && !cases[0].hidden, "{slug}: visible example, hidden cases");
            assert!(cases.iter().any(|c| c.input.trim().is_empty()), "{slug}: no case with empty tables");
        }
    }

    #[test]
    fn every_expected_table_matches_the_reference_query() {
        let sqlite3 = Toolchains::default().sqlite3;
        if !sqlite3_available(&sqlite3) {
            return;
        }
        let mut failures = Vec::new();
        for question in sql_starter_library() {
            for (index, case) in question.test_cases.iter().enumerate() {
                let at = format!("{} case {index}", question.slug);
                match run_query(&sqlite3, &question.sql_schema, &case.input, &question.reference_sql) {
                    Err(error) => failures.push(format!("{at}: the reference failed: {error}")),
                    Ok(actual) => {
                        if let Err(diff) = compare_tables(&actual, &case.expected_output, case.ordered) {
                            failures.push(format!("{at}: {diff}"));
                        }
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn every_starter_runs_on_every_case_and_fails_some() {
        let sqlite3 = Toolchains::default().sqlite3;
        if !sqlite3_available(&sqlite3) {
            return;
        }
        for question in sql_starter_library() {
            let mut passed = 0;
            for (index, case) in question.test_cases.iter().enumerate() {
                let actual = run_query(&sqlite3, &question.sql_schema, &case.input, &question.starter_sql)
                    .unwrap_or_else(|e| panic!("{} case {index}: the starter failed: {e}", question.slug));
                passed += usize::from(compare_tables(&actual, &case.expected_output, case.ordered).is_ok());
            }
            assert!(passed < question.test_cases.len(), "{}: the starter passes every case", question.slug);
        }
    }
}
