//! Loads the starter question library into the bank. Runs at every start and inserts only
//! the questions whose slug is new, so it loads once, picks up questions added in later
//! releases, and never resurrects a question someone deleted.

use chrono::Utc;
use uuid::Uuid;

use crate::db::{NewQuestion, QuestionContent, Store, StoreResult, TestCase};
use crate::seed_questions::starter_library;

/// Returns how many questions were added.
pub async fn load_starter_library(store: &dyn Store) -> StoreResult<usize> {
    let mut added = 0;
    for seed in starter_library() {
        let question = NewQuestion {
            id: Uuid::now_v7(),
            slug: Some(seed.slug),
            content: QuestionContent {
                title: seed.title,
                prompt: seed.prompt,
                difficulty: seed.difficulty,
                category: seed.category,
                tags: seed.tags,
                starter_code: seed.starter_code,
                test_cases: seed
                    .test_cases
                    .into_iter()
                    .map(|case| TestCase {
                        id: Uuid::now_v7(),
                        input: case.input,
                        expected_output: case.expected_output,
                        hidden: case.hidden,
                    })
                    .collect(),
            },
            reference_solution: Some(seed.reference_python),
            builtin: true,
            workspace_id: None,
            created_by: None,
            created_at: Utc::now(),
        };
        if store.insert_question(&question).await? {
            added += 1;
        }
    }
    Ok(added)
}
