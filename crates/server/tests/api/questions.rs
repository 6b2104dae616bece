//! The question bank: the starter library, filters, authorship rules and validation.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fixtures::create_question;
use crate::helpers::{TestApp, assert_error};

crate::on_both_backends!(
    the_starter_library_is_loaded_once_and_read_only,
    starter_questions_of_an_older_install_gain_the_new_languages_at_start,
    questions_are_filtered_by_difficulty_category_tag_and_text,
    authors_edit_and_delete_their_questions,
    invalid_questions_are_refused_and_nothing_is_written,
);

async fn the_starter_library_is_loaded_once_and_read_only(app: TestApp) {
    let user = app.signed_in("ada@example.com", "Ada").await;
    let list: Value = app.get(&user, "/api/questions").await.json().await.unwrap();
    let questions = list["questions"].as_array().unwrap();
    assert!(questions.len() >= 20, "starter library: {}", questions.len());
    assert!(questions.iter().all(|q| q["builtin"] == true));
    for difficulty in ["easy", "medium", "hard"] {
        assert!(questions.iter().any(|q| q["difficulty"] == difficulty), "some {difficulty} questions");
    }
    let first = &questions[0];
    assert!(first["test_cases"].as_array().unwrap().len() >= 5);
    assert!(first["starter_code"]["python"].is_string() && first["starter_code"]["java"].is_string());
    assert!(first.get("reference_solution").is_none() && !list.to_string().contains("reference_python"));
    let id = first["id"].as_str().unwrap();
    let edit = app.patch_json(&user, &format!("/api/questions/{id}"), &json!({"title": "Mine now"})).await;
    assert_error(edit, StatusCode::FORBIDDEN, "builtin_question").await;
    assert_error(app.delete(&user, &format!("/api/questions/{id}")).await, StatusCode::FORBIDDEN, "builtin_question")
        .await;
    let count = app.row_count("questions").await;
    assert_eq!(count as usize, questions.len(), "loaded exactly once");
}

/// An install seeded by an older release (here: Python starters only) gets the starter code of
/// every language it lacks at the next start; the code it has stays, nothing is added twice.
/// (SQL questions are answered in SQL alone: they have no program starters to gain.)
async fn starter_questions_of_an_older_install_gain_the_new_languages_at_start(app: TestApp) {
    let older = r#"UPDATE questions SET starter_code = '{"python": "pass  # an older release"}'
                   WHERE builtin AND sql_schema IS NULL"#;
    app.execute(older).await;
    let count = app.row_count("questions").await;
    let app = app.restart_with(|_| {}).await;
    let user = app.signed_in("ada@example.com", "Ada").await;
    let list: Value = app.get(&user, "/api/questions").await.json().await.unwrap();
    let programs = list["questions"].as_array().unwrap().iter().filter(|q| q["sql_schema"].is_null());
    for question in programs {
        let starters = question["starter_code"].as_object().unwrap();
        assert_eq!(starters["python"], "pass  # an older release", "{}", question["title"]);
        let languages = codeview_runner::Language::ALL.into_iter().filter(|l| *l != codeview_runner::Language::Sql);
        for language in languages {
            assert!(starters.contains_key(language.id()), "{}: no {language} starter", question["title"]);
        }
    }
    assert_eq!(app.row_count("questions").await, count, "no question added");
}

async fn questions_are_filtered_by_difficulty_category_tag_and_text(app: TestApp) {
    let user = app.signed_in("ada@example.com", "Ada").await;
    create_question(&app, &user, "Sum of 100% of values").await;
    let hard: Value = app.get(&user, "/api/questions?difficulty=hard").await.json().await.unwrap();
    assert!(hard["questions"].as_array().unwrap().iter().all(|q| q["difficulty"] == "hard"));
    let math: Value = app.get(&user, "/api/questions?category=MATH&tag=Warm-Up").await.json().await.unwrap();
    assert_eq!(math["questions"].as_array().unwrap().len(), 1, "{math}");
    let text: Value = app.get(&user, "/api/questions?q=100%25").await.json().await.unwrap();
    assert_eq!(text["questions"].as_array().unwrap().len(), 1, "LIKE wildcards are literal: {text}");
    let prompt: Value = app.get(&user, "/api/questions?q=Two%20INTEGERS").await.json().await.unwrap();
    assert!(prompt["questions"].as_array().unwrap().iter().any(|q| q["title"] == "Sum of 100% of values"));
    let bad = app.get(&user, "/api/questions?difficulty=impossible").await;
    assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let unknown = app.get(&user, "/api/questions?sort=asc").await;
    assert_error(unknown, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let categories: Value = app.get(&user, "/api/questions/categories").await.json().await.unwrap();
    let math = categories["categories"].as_array().unwrap().iter().find(|c| c["name"] == "math").cloned();
    assert_eq!(math.unwrap()["count"], 1);
}

async fn authors_edit_and_delete_their_questions(app: TestApp) {
    let author = app.signed_in("ada@example.com", "Ada").await;
    let other = app.signed_in("bob@example.com", "Bob").await;
    let colleague = app.signed_in("cy@example.com", "Cy").await;
    app.join_workspace(&author, &colleague, "member").await;
    let id = create_question(&app, &author, "Sum").await;
    let path = format!("/api/questions/{id}");
    let before: Value = app.get(&author, &path).await.json().await.unwrap();
    let case_ids: Vec<Value> =
        before["question"]["test_cases"].as_array().unwrap().iter().map(|c| c["id"].clone()).collect();

    let edited = app.patch_json(&author, &path, &json!({"difficulty": "medium", "tags": ["a", "A", "b"]})).await;
    assert_eq!(edited.status(), StatusCode::OK);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!(edited["question"]["difficulty"], "medium");
    assert_eq!(edited["question"]["tags"], json!(["a", "b"]), "duplicate tags folded");
    let after_ids: Vec<Value> =
        edited["question"]["test_cases"].as_array().unwrap().iter().map(|c| c["id"].clone()).collect();
    assert_eq!(after_ids, case_ids, "test case ids survive an edit");

    // Another workspace's member does not know the question; a colleague edits it.
    assert_eq!(app.patch_json(&other, &path, &json!({"title": "x"})).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&other, &path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.patch_json(&colleague, &path, &json!({"title": "Sum, improved"})).await.status(), StatusCode::OK);
    assert_eq!(app.delete(&author, &path).await.status(), StatusCode::NO_CONTENT);
    assert_error(app.get(&author, &path).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.get(&author, "/api/questions/not-a-uuid").await, StatusCode::NOT_FOUND, "not_found").await;
}

async fn invalid_questions_are_refused_and_nothing_is_written(app: TestApp) {
    let user = app.signed_in("ada@example.com", "Ada").await;
    let before = app.row_count("questions").await;
    let base = json!({"title": "T", "prompt": "P", "difficulty": "easy", "category": "c"});
    let with = |key: &str, value: Value| {
        let mut body = base.clone();
        body[key] = value;
        body
    };
    let cases = [
        (with("prompt", json!("p".repeat(20_001))), "prompt"),
        (with("difficulty", json!("trivial")), "difficulty"),
        (with("starter_code", json!({"cobol": "x"})), "starter_code.cobol"),
        (with("test_cases", json!([{"input": "1", "expected_output": "1\u{0}"}])), "test_cases[0].expected_output"),
        (with("test_cases", json!([{"input": "1"}])), "test_cases[0].expected_output"),
        (with("tags", json!(vec!["t"; 21])), "tags"),
        (with("title", json!("")), "title"),
    ];
    for (body, field) in cases {
        let response = app.post_json(&user, "/api/questions", &body).await;
        let error = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert!(error["error"]["fields"][field].is_string(), "should name {field}: {error}");
    }
    assert_eq!(app.row_count("questions").await, before, "nothing written");
}
