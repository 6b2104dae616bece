//! Loads the starter question library into the bank. Runs at every start and inserts only
//! the questions whose slug is new, so it loads once, picks up questions added in later
//! releases, and never resurrects a question someone deleted. Program questions come from
//! `seed_questions`, SQL questions from `seed_sql_questions`. Starter questions already in the
//! bank get the starter code of languages added to the library since they were loaded.

use chrono::Utc;
use uuid::Uuid;

use crate::db::{NewQuestion, QuestionContent, QuestionFilter, Store, StoreResult, TestCase};
use crate::seed_questions::{SeedQuestion, starter_library};
use crate::seed_sql_questions::{SeedSqlQuestion, sql_starter_library};

/// Returns how many questions were added.
pub async fn load_starter_library(store: &dyn Store) -> StoreResult<usize> {
    let programs = starter_library();
    // Before the inserts: a question inserted now has every language already.
    let completed = add_new_starter_languages(store, &programs).await?;
    if completed > 0 {
        tracing::info!(completed, "starter questions gained the starter code of new languages");
    }
    let mut added = 0;
    let programs = programs.into_iter().map(program_question);
    for question in programs.chain(sql_starter_library().into_iter().map(sql_question)) {
        if store.insert_question(&question).await? {
            added += 1;
        }
    }
    Ok(added)
}

/// A question answered by a program reading stdin.
fn program_question(seed: SeedQuestion) -> NewQuestion {
    let test_cases = seed
        .test_cases
        .into_iter()
        .map(|case| test_case(case.input, case.expected_output, case.hidden, true))
        .collect();
    let content = QuestionContent {
        title: seed.title,
        prompt: seed.prompt,
        difficulty: seed.difficulty,
        category: seed.category,
        tags: seed.tags,
        starter_code: seed.starter_code,
        test_cases,
        sql_schema: None,
    };
    builtin(seed.slug, content, seed.reference_python)
}

/// A question answered by a SQL query on the question's schema.
fn sql_question(seed: SeedSqlQuestion) -> NewQuestion {
    let test_cases = seed
        .test_cases
        .into_iter()
        .map(|case| test_case(case.input, case.expected_output, case.hidden, case.ordered))
        .collect();
    let content = QuestionContent {
        title: seed.title,
        prompt: seed.prompt,
        difficulty: seed.difficulty,
        category: seed.category,
        tags: seed.tags,
        starter_code: [("sql".to_owned(), seed.starter_sql)].into(),
        test_cases,
        sql_schema: Some(seed.sql_schema),
    };
    builtin(seed.slug, content, seed.reference_sql)
}

/// A library test case, with a fresh id.
fn test_case(input: String, expected_output: String, hidden: bool, ordered: bool) -> TestCase {
    TestCase { id: Uuid::now_v7(), input, expected_output, hidden, ordered }
}

fn builtin(slug: String, content: QuestionContent, reference_solution: String) -> NewQuestion {
    NewQuestion {
        id: Uuid::now_v7(),
        slug: Some(slug),
        content,
        reference_solution: Some(reference_solution),
        builtin: true,
        workspace_id: None,
        created_by: None,
        created_at: Utc::now(),
    }
}

/// Gives the library's questions already in the bank the starter code of languages they lack
/// (an install seeded before Ruby, PHP, C# and Bash existed gets them). The library's
/// questions are read-only, so this overwrites nobody's code: languages a question has keep
/// their code. Deleted questions stay as they are. Returns how many questions changed.
async fn add_new_starter_languages(store: &dyn Store, library: &[SeedQuestion]) -> StoreResult<usize> {
    // No member: the listing is the starter library alone.
    let filter = QuestionFilter { member: Uuid::nil(), ..QuestionFilter::default() };
    let mut changed = 0;
    for stored in store.list_questions(&filter).await?.into_iter().filter(|q| q.builtin) {
        let Some(seed) = library.iter().find(|seed| stored.slug.as_deref() == Some(seed.slug.as_str())) else {
            continue;
        };
        let mut content = stored.content.clone();
        for (language, code) in &seed.starter_code {
            content.starter_code.entry(language.clone()).or_insert_with(|| code.clone());
        }
        if content.starter_code.len() > stored.content.starter_code.len() {
            store.update_question(stored.id, &content, Utc::now()).await?;
            changed += 1;
        }
    }
    Ok(changed)
}
