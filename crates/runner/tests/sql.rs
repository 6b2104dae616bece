//! SQL jobs in the real sandbox: the schema and each case's seed data set up a fresh database,
//! the query's result is compared as a table (ordered or not) with a diff on failure, and an
//! error says whose it is — the query's (sqlite's message) or the question's set-up.

mod common;

use codeview_runner::{Case, Job, Language, Limits, Outcome, RunEvent, Runner, RunnerConfig, Status, Stream};
use common::{assert_status, exec};
use tokio::sync::OnceCell;

static RUNNER: OnceCell<(Runner, RunnerConfig)> = OnceCell::const_new();

async fn runner() -> &'static Runner {
    &RUNNER.get_or_init(|| common::runner(57, "sql")).await.0
}

const SCHEMA: &str = "CREATE TABLE employees (id INTEGER PRIMARY KEY, name TEXT NOT NULL, dept TEXT, salary INTEGER);\n\
     INSERT INTO employees VALUES (1, 'Ann', 'eng', 120);\n";

fn case(seed: &str, expected: &str, ordered: bool) -> Case {
    Case { stdin: seed.as_bytes().to_vec(), expected: Some(expected.into()), ordered }
}

fn sql_test(query: &str, cases: Vec<Case>) -> Job {
    Job { cases, ..Job::test(Language::Sql, query, Vec::new()).with_setup(SCHEMA) }
}

async fn sql_run(query: &str, seed: &str) -> Outcome {
    exec(runner().await, Job::run(Language::Sql, query, seed.as_bytes().to_vec()).with_setup(SCHEMA)).await.0
}

#[tokio::test]
async fn sql_is_available_with_its_version() {
    let info = runner().await.languages().into_iter().find(|l| l.id == "sql").unwrap();
    assert!(info.available, "{:?}", info.reason);
    assert!(info.version.starts_with("SQLite 3."), "{}", info.version);
    assert_eq!(info.name, "SQL");
}

#[tokio::test]
async fn a_run_prints_the_result_with_column_names_and_nulls_apart_from_empty_strings() {
    let o = sql_run(
        "SELECT name, dept FROM employees ORDER BY id;",
        "INSERT INTO employees VALUES (2, 'Bob', NULL, 90), (3, 'Cy', '', 80);",
    )
    .await;
    assert_status(&o, Status::Finished);
    assert_eq!(o.cases[0].step.stdout, "'name','dept'\n'Ann','eng'\n'Bob',NULL\n'Cy',''\n");
}

#[tokio::test]
async fn cases_pass_or_fail_as_tables_with_a_diff() {
    let by_dept = "SELECT dept, COUNT(*) AS n FROM employees GROUP BY dept ORDER BY dept;";
    let two_depts = "INSERT INTO employees VALUES (2, 'Bob', 'ops', 90), (3, 'Cy', 'eng', 80);";
    let cases = vec![
        case(two_depts, "'dept','n'\n'eng',2\n'ops',1\n", true),
        // Unordered: the same rows in another order pass.
        case(two_depts, "'dept','n'\n'ops',1\n'eng',2\n", false),
        // Ordered: they do not.
        case(two_depts, "'dept','n'\n'ops',1\n'eng',2\n", true),
        // Each case starts from the schema again: case 0's rows are gone.
        case("", "'dept','n'\n'eng',1.0\n", true),
    ];
    let (o, events) = exec(runner().await, sql_test(by_dept, cases)).await;
    assert_status(&o, Status::Finished);
    let passed: Vec<Option<bool>> = o.cases.iter().map(|c| c.passed).collect();
    assert_eq!(passed, [Some(true), Some(true), Some(false), Some(true)], "{o:#?}");
    assert_eq!(o.all_passed, Some(false));
    let diff = o.cases[2].diff.as_deref().unwrap();
    assert!(diff.contains("First difference at row 1") && diff.contains("different order"), "{diff}");
    assert!(o.cases[0].diff.is_none());
    let finished = events.iter().filter(|e| matches!(e, RunEvent::CaseFinished { .. })).count();
    assert_eq!(finished, 4);

    let wrong = "SELECT dept AS department, COUNT(*) AS n FROM employees GROUP BY dept;";
    let (o, _) =
        exec(runner().await, sql_test(wrong, vec![case(two_depts, "'dept','n'\n'eng',2\n'ops',1\n", false)])).await;
    assert_eq!(o.cases[0].passed, Some(false));
    assert!(o.cases[0].diff.as_deref().unwrap().starts_with("The columns differ."), "{o:#?}");
}

#[tokio::test]
async fn the_query_may_change_its_copy_of_the_data() {
    let o = sql_run("UPDATE employees SET salary = salary * 2;\nSELECT salary FROM employees;", "").await;
    assert_status(&o, Status::Finished);
    assert_eq!(o.cases[0].step.stdout, "'salary'\n240\n");
}

#[tokio::test]
async fn an_error_in_the_query_is_a_runtime_error_with_sqlites_message() {
    let (o, events) =
        exec(runner().await, sql_test("SELEC name FROM employees;", vec![case("", "'name'\n'Ann'\n", true)])).await;
    assert_status(&o, Status::RuntimeError);
    let step = &o.cases[0].step;
    assert!(step.stderr.contains("syntax error") && step.stderr.contains("SELEC"), "{o:#?}");
    assert!(!step.stderr.contains("question"), "{o:#?}");
    assert_eq!(o.cases[0].passed, Some(false));
    assert!(
        events.iter().any(
            |e| matches!(e, RunEvent::Output { stream: Stream::Stderr, text, .. } if text.contains("syntax error"))
        )
    );

    let o = sql_run("SELECT nope FROM employees;", "").await;
    assert_status(&o, Status::RuntimeError);
    assert!(o.cases[0].step.stderr.contains("no such column: nope"), "{o:#?}");
}

#[tokio::test]
async fn a_broken_schema_or_seed_is_the_questions_fault() {
    let query = "SELECT name FROM employees;";
    let bad_seed = case("INSERT INTO nowhere VALUES (1);", "'name'\n'Ann'\n", true);
    let (o, events) = exec(runner().await, sql_test(query, vec![bad_seed, case("", "'name'\n'Ann'\n", true)])).await;
    assert_status(&o, Status::RuntimeError);
    let step = &o.cases[0].step;
    assert!(step.stderr.contains("fault of the question") && step.stderr.contains("no such table: nowhere"), "{o:#?}");
    assert_eq!(o.cases[0].passed, Some(false));
    assert_eq!(o.cases[1].passed, Some(true), "the next case runs normally: {o:#?}");
    assert!(events.iter().any(|e| matches!(e, RunEvent::CaseFinished { case: 0, passed: Some(false), .. })));

    let broken = Job { setup: Some("CREATE TABLE (;".into()), ..Job::run(Language::Sql, query, Vec::new()) };
    let (o, _) = exec(runner().await, broken).await;
    assert_status(&o, Status::RuntimeError);
    assert!(o.cases[0].step.stderr.contains("before your query ran"), "{o:#?}");
}

#[tokio::test]
async fn a_schema_is_refused_for_other_languages() {
    let job = Job::run(Language::Python, "print(1)", Vec::new()).with_setup("CREATE TABLE t (x);");
    let (tx, _rx) = tokio::sync::mpsc::channel(8);
    let err = runner().await.execute(job, tx).await.unwrap_err();
    assert!(err.to_string().contains("only SQL jobs"), "{err}");
}

#[tokio::test]
async fn dot_commands_change_the_output_like_any_program_may() {
    let o = sql_run(".headers off\n.mode list\nSELECT 'hello, world';", "").await;
    assert_status(&o, Status::Finished);
    assert_eq!(o.cases[0].step.stdout, "hello, world\n");
}

#[tokio::test]
async fn a_runaway_query_ends_on_the_time_limit() {
    let endless = "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT COUNT(*) FROM r;";
    let job = Job {
        limits: Some(Limits { cpu_ms: 500, wall_ms: 2_000, ..Limits::run_default() }),
        ..Job::run(Language::Sql, endless, Vec::new()).with_setup(SCHEMA)
    };
    let (o, _) = exec(runner().await, job).await;
    assert_status(&o, Status::TimeLimit);
}

#[tokio::test]
async fn a_schema_that_prints_a_lot_neither_streams_nor_stalls() {
    let chatty =
        format!("{SCHEMA}WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r LIMIT 20000) SELECT x FROM r;");
    let job = Job::run(Language::Sql, "SELECT COUNT(*) AS n FROM employees;", Vec::new()).with_setup(chatty);
    let started = std::time::Instant::now();
    let (o, events) = exec(runner().await, job).await;
    assert_status(&o, Status::Finished);
    assert_eq!(o.cases[0].step.stdout, "'n'\n1\n");
    assert!(started.elapsed() < std::time::Duration::from_secs(3), "{:?}", started.elapsed());
    let streamed: String = events
        .iter()
        .filter_map(|e| match e {
            RunEvent::Output { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(streamed, "'n'\n1\n", "only the query's output streams");
}
