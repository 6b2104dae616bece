//! SQL questions through the API: the schema and the per-case `ordered` flag on questions
//! (validated, edited, shown to the candidate without hidden seed data), the starter library's
//! SQL questions, and SQL runs in the real sandbox — a pass, a failure with its table diff,
//! run mode with the stdin as seed data, and a hidden case's diff and seed never reaching the
//! candidate (stored view) or an observer (live events).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fixtures::{Cast, create_interview, join};
use crate::helpers::{TestApp, assert_error};
use crate::runs::{queue_run, room_socket, run_events, wait_run};

crate::on_both_backends!(
    sql_questions_carry_a_schema_and_ordered_cases,
    sql_runs_compare_tables_and_hide_hidden_diffs,
    a_hidden_cases_broken_seed_reaches_interviewers_only
);

const SCHEMA: &str = "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, team TEXT);";
const HIDDEN_SEED: &str = "INSERT INTO people VALUES (7, 'SECRET-SEED', 'red');";

fn sql_question() -> Value {
    json!({
        "title": "Team sizes",
        "prompt": "Count the people of each team.",
        "difficulty": "easy",
        "category": "sql",
        "starter_code": {"sql": "SELECT team, 0 AS size FROM people;"},
        "sql_schema": SCHEMA,
        "test_cases": [
            {
                "input": "INSERT INTO people VALUES (1, 'Ann', 'red'), (2, 'Bob', 'blue'), (3, 'Cy', 'red');",
                "expected_output": "'team','size'\n'blue',1\n'red',2\n",
                "hidden": false,
                "ordered": false
            },
            {
                "input": HIDDEN_SEED,
                "expected_output": "'team','size'\n'red',1\n",
                "hidden": true
            }
        ]
    })
}

async fn sql_questions_carry_a_schema_and_ordered_cases(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let response = app.post_json(&cast.host, "/api/questions", &sql_question()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let question = &created["question"];
    assert_eq!(question["sql_schema"], SCHEMA);
    assert_eq!(question["test_cases"][0]["ordered"], false);
    assert_eq!(question["test_cases"][1]["ordered"], true, "ordered by default");
    let id = question["id"].as_str().unwrap().to_owned();
    let path = format!("/api/questions/{id}");

    // Edits keep what they do not name; an empty schema removes it; limits are checked.
    let patched: Value =
        app.patch_json(&cast.host, &path, &json!({"title": "Team sizes 2"})).await.json().await.unwrap();
    assert_eq!(
        (&patched["question"]["sql_schema"], &patched["question"]["test_cases"][0]["ordered"]),
        (&json!(SCHEMA), &json!(false))
    );
    let too_big = "-- x\n".repeat(20_000);
    let refused = app.patch_json(&cast.host, &path, &json!({"sql_schema": too_big})).await;
    let error = assert_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(error.to_string().contains("sql_schema"), "{error}");
    let refused = app.patch_json(&cast.host, &path, &json!({"sql_schema": "CREATE TABLE t (x);\0"})).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let cleared: Value = app.patch_json(&cast.host, &path, &json!({"sql_schema": "  "})).await.json().await.unwrap();
    assert!(cleared["question"]["sql_schema"].is_null(), "{cleared}");
    let back: Value = app.patch_json(&cast.host, &path, &json!({"sql_schema": SCHEMA})).await.json().await.unwrap();
    assert_eq!(back["question"]["sql_schema"], SCHEMA);
    let unknown = app.patch_json(&cast.host, &path, &json!({"schema": SCHEMA})).await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY, "unknown fields are refused");

    // The candidate sees the schema (the tables they query) but not the hidden case's seed.
    let interview =
        create_interview(app, &cast.host, json!({"title": "SQL", "language": "sql", "question_ids": [id]})).await;
    join(app, &cast.candidate, &interview, "Cara").await;
    app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    let seen: Value =
        app.get(&cast.candidate, &format!("/api/interviews/{}", interview.id)).await.json().await.unwrap();
    assert_eq!(seen["questions"][0]["sql_schema"], SCHEMA);
    assert_eq!(seen["questions"][0]["test_cases"].as_array().unwrap().len(), 1);
    assert!(!seen.to_string().contains("SECRET-SEED"), "hidden seed leaked: {seen}");

    // The starter library's SQL questions: a schema, a `sql` starter, unordered cases where
    // the order does not matter.
    let bank: Value = app.get(&cast.host, "/api/questions?category=sql").await.json().await.unwrap();
    let builtin: Vec<&Value> = bank["questions"].as_array().unwrap().iter().filter(|q| q["builtin"] == true).collect();
    assert_eq!(builtin.len(), 5, "{bank}");
    for question in &builtin {
        assert!(question["sql_schema"].as_str().is_some_and(|s| s.contains("CREATE TABLE")), "{question}");
        assert_eq!(question["starter_code"].as_object().unwrap().keys().collect::<Vec<_>>(), ["sql"]);
    }
    assert!(builtin.iter().any(|q| q["test_cases"].as_array().unwrap().iter().any(|c| c["ordered"] == false)));
}

async fn sql_runs_compare_tables_and_hide_hidden_diffs(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let created: Value = app.post_json(&cast.host, "/api/questions", &sql_question()).await.json().await.unwrap();
    let question = created["question"]["id"].as_str().unwrap().to_owned();
    let interview =
        create_interview(app, &cast.host, json!({"title": "SQL", "language": "sql", "question_ids": [question]})).await;
    join(app, &cast.candidate, &interview, "Cara").await;
    app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;

    let right = "SELECT team, COUNT(*) AS size FROM people GROUP BY team ORDER BY size DESC;";
    let run =
        queue_run(app, &cast.candidate, &interview.id, json!({"language": "sql", "code": right, "mode": "test"})).await;
    let view = wait_run(app, &cast.candidate, &run).await;
    assert_eq!((&view["status"], &view["verdict"]), (&json!("finished"), &json!("passed")), "{view}");
    assert!(view["tests"][0]["diff"].is_null());

    // Wrong on both cases: the candidate sees the visible case's diff only.
    let wrong = "SELECT team, COUNT(*) + 1 AS size FROM people GROUP BY team;";
    let run =
        queue_run(app, &cast.candidate, &interview.id, json!({"language": "sql", "code": wrong, "mode": "test"})).await;
    let view = wait_run(app, &cast.candidate, &run).await;
    assert_eq!(view["verdict"], "failed");
    let diff = view["tests"][0]["diff"].as_str().unwrap();
    assert!(diff.contains("Missing rows") && diff.contains("'red', 2") && diff.contains("'red', 3"), "{diff}");
    let hidden = &view["tests"][1];
    assert_eq!((&hidden["passed"], &hidden["reason"]), (&json!(false), &json!("wrong_answer")));
    assert!(hidden["diff"].is_null() && hidden["input"].is_null() && hidden["actual_output"].is_null(), "{hidden}");
    assert!(!view.to_string().contains("SECRET-SEED"), "{view}");
    let host_view = wait_run(app, &cast.host, &run).await;
    assert!(host_view["tests"][1]["diff"].as_str().is_some_and(|d| d.contains("'red', 2")), "{host_view}");
    assert_eq!(host_view["tests"][1]["input"], HIDDEN_SEED);

    // Run mode: the schema, the stdin as seed data, then the query.
    let body = json!({
        "language": "sql",
        "code": "SELECT name, team FROM people ORDER BY id;",
        "stdin": "INSERT INTO people VALUES (1, 'Ann', NULL), (2, 'Bob', '');",
        "mode": "run"
    });
    let run = queue_run(app, &cast.candidate, &interview.id, body).await;
    let view = wait_run(app, &cast.candidate, &run).await;
    assert_eq!(view["status"], "finished", "{view}");
    assert_eq!(view["stdout"], "'name','team'\n'Ann',NULL\n'Bob',''\n");

    // A syntax error is the query's runtime error, with sqlite's message.
    let body = json!({"language": "sql", "code": "SELEC 1;", "mode": "run"});
    let run = queue_run(app, &cast.candidate, &interview.id, body).await;
    let view = wait_run(app, &cast.candidate, &run).await;
    assert_eq!(view["status"], "runtime_error", "{view}");
    assert!(view["stderr"].as_str().unwrap().contains("syntax error"), "{view}");
}

/// sqlite quotes the failing statement, so a broken hidden seed's error holds the seed: it
/// streams to interviewers only (not to an observer, who sees what the candidate sees), and the
/// candidate's stored view of it is pass/fail.
async fn a_hidden_cases_broken_seed_reaches_interviewers_only(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let mut question = sql_question();
    question["test_cases"][1]["input"] = json!("INSERT INTO people VALUES (7, 'SECRET-SEED' 'red');");
    let created: Value = app.post_json(&cast.host, "/api/questions", &question).await.json().await.unwrap();
    let id = created["question"]["id"].as_str().unwrap().to_owned();
    let interview =
        create_interview(app, &cast.host, json!({"title": "SQL", "language": "sql", "question_ids": [id]})).await;
    let path = format!("/api/interviews/{}/participants", interview.id);
    app.post_json(&cast.host, &path, &json!({"email": "observer@example.com", "role": "observer"})).await;
    join(app, &cast.candidate, &interview, "Cara").await;
    app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    let mut host_events = room_socket(app, &interview.id, &app.token(&cast.host).await).await;
    let mut observer_events = room_socket(app, &interview.id, &app.token(&cast.observer).await).await;

    let query = "SELECT team, COUNT(*) AS size FROM people GROUP BY team;";
    let run =
        queue_run(app, &cast.candidate, &interview.id, json!({"language": "sql", "code": query, "mode": "test"})).await;
    let seen_by_host = serde_json::to_string(&run_events(&mut host_events).await).unwrap();
    let seen_by_observer = serde_json::to_string(&run_events(&mut observer_events).await).unwrap();
    assert!(seen_by_host.contains("SECRET-SEED") && seen_by_host.contains("fault of the question"), "{seen_by_host}");
    assert!(!seen_by_observer.contains("SECRET-SEED"), "{seen_by_observer}");
    let view = wait_run(app, &cast.candidate, &run).await;
    assert_eq!((&view["tests"][0]["passed"], &view["tests"][1]["passed"]), (&json!(true), &json!(false)));
    assert!(!view.to_string().contains("SECRET-SEED"), "{view}");
    let host_view = wait_run(app, &cast.host, &run).await;
    assert!(host_view["tests"][1]["stderr"].as_str().unwrap().contains("syntax error"), "{host_view}");
}
