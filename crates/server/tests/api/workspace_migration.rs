//! Migration 0010 (workspaces) on data written under the previous schema: a database is built
//! with migrations 0001–0009 only, filled with raw SQL as that schema allowed, then brought up
//! to date; every account must then own exactly one personal workspace holding its questions
//! and interviews, nothing else may change, and the real store must open the result. Once per
//! backend (SQLite file, throwaway PostgreSQL database).

use std::str::FromStr;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPool, PgRow};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions, SqliteRow};
use sqlx::{FromRow, Row};
use uuid::Uuid;

use crate::helpers;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// The last migration before workspaces existed.
const BEFORE_WORKSPACES: i64 = 9;
/// The migration under test.
const WORKSPACES: i64 = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_moves_existing_data_into_personal_workspaces() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = helpers::sqlite_url(&dir.path().join("upgrade.db"));
    let options = SqliteConnectOptions::from_str(&url).expect("SQLite URL").create_if_missing(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.expect("open SQLite");
    upgrade_and_check(Db::Sqlite(pool), &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_moves_existing_data_into_personal_workspaces() {
    let Some(database) = helpers::create_postgres_db().await else { return };
    let url = database.url();
    let pool = PgPool::connect(&url).await.expect("connect to the new PostgreSQL database");
    upgrade_and_check(Db::Postgres(pool), &url).await;
    // `database` is dropped here, after every connection to it is closed.
}

/// The whole scenario on one backend: steps 1–5 of the upgrade.
async fn upgrade_and_check(db: Db, url: &str) {
    assert!(db.migrator().version_exists(WORKSPACES), "migration {WORKSPACES} is in the migrations folder");

    db.migrate(Some(BEFORE_WORKSPACES)).await;
    assert_eq!(db.applied_versions().await, (1..=BEFORE_WORKSPACES).collect::<Vec<_>>());

    let s = Scenario::new();
    s.seed(&db).await;
    let before = Snapshot::read(&db).await;
    before.assert_seeded(&s);

    db.migrate(None).await;
    let all: Vec<i64> = db.migrator().iter().map(|m| m.version).collect();
    assert_eq!(db.applied_versions().await, all, "every migration applied");

    // Nothing that existed changed (every listed column, compared row for row).
    assert_eq!(Snapshot::read(&db).await, before, "existing rows are untouched");

    check_workspaces(&db, &s).await;
    check_placement(&db, &s).await;
    if matches!(db, Db::Postgres(_)) {
        check_interview_workspace_required(&db, &s).await;
    }

    db.close().await;
    check_store_opens(url, &s).await;
}

/// Each account: one workspace, same id, owned by it, with the defaults.
async fn check_workspaces(db: &Db, s: &Scenario) {
    let workspaces: Vec<WorkspaceRow> = db
        .fetch_all(
            "SELECT id, name, default_language, default_duration_minutes, default_rubric, runs_per_day, \
             created_at, updated_at FROM workspaces ORDER BY name",
            &[],
        )
        .await;
    assert_eq!(workspaces.len(), 2, "one workspace per account: {workspaces:?}");
    let members: Vec<(Uuid, Uuid, String, DateTime<Utc>)> =
        db.fetch_all("SELECT workspace_id, user_id, role, created_at FROM workspace_members", &[]).await;
    assert_eq!(members.len(), 2, "one membership per account: {members:?}");
    assert_eq!(db.count("SELECT COUNT(*) FROM workspace_invites").await, 0, "no invites");

    for user in [&s.a, &s.b] {
        let mine: Vec<_> = workspaces.iter().filter(|w| w.0 == user.id).collect();
        assert_eq!(mine.len(), 1, "{}: one workspace whose id is the account's", user.name);
        let (_, name, language, duration, rubric, runs_per_day, created_at, updated_at) = mine[0].clone();
        assert_eq!(name, format!("{}'s workspace", user.name));
        assert_eq!(language, "python");
        assert_eq!(duration, 60);
        assert_eq!(runs_per_day, None, "no workspace quota");
        assert_eq!((created_at, updated_at), (user.created_at, user.created_at));
        let rubric: Value = serde_json::from_str(&rubric).expect("default_rubric is JSON");
        let criteria = rubric.as_array().expect("default_rubric is an array");
        assert_eq!(criteria.len(), 4, "{rubric}");
        for criterion in criteria {
            for field in ["name", "description"] {
                assert!(criterion[field].as_str().is_some_and(|v| !v.is_empty()), "{field} in {criterion}");
            }
        }

        let memberships: Vec<_> = members.iter().filter(|m| m.1 == user.id).collect();
        assert_eq!(memberships.len(), 1, "{}: one membership", user.name);
        assert_eq!(memberships[0].0, user.id, "{}: a member of their own workspace", user.name);
        assert_eq!(memberships[0].2, "owner", "{}: owns it", user.name);
        assert_eq!(memberships[0].3, user.created_at);
    }
}

/// Questions and interviews land in their author's workspace; the library and orphans in none.
async fn check_placement(db: &Db, s: &Scenario) {
    let questions: Vec<(Uuid, Option<Uuid>)> = db.fetch_all("SELECT id, workspace_id FROM questions", &[]).await;
    let expected = [
        (s.question_a, Some(s.a.id)),
        (s.question_b, Some(s.b.id)),
        (s.question_builtin, None),
        (s.question_orphan, None),
    ];
    assert_eq!(questions.len(), expected.len());
    for (id, workspace) in expected {
        assert!(questions.contains(&(id, workspace)), "question {id} in {workspace:?}: {questions:?}");
    }

    let interviews: Vec<(Uuid, Option<Uuid>)> = db.fetch_all("SELECT id, workspace_id FROM interviews", &[]).await;
    assert_eq!(interviews.len(), 2);
    assert!(interviews.contains(&(s.interview_a, Some(s.a.id))), "{interviews:?}");
    assert!(interviews.contains(&(s.interview_b, Some(s.b.id))), "{interviews:?}");
}

/// On PostgreSQL the column is NOT NULL once filled.
async fn check_interview_workspace_required(db: &Db, s: &Scenario) {
    let insert = "INSERT INTO interviews (id, title, status, room_code, invite_secret, language, duration_minutes, \
                  created_by, created_at, updated_at, workspace_id) \
                  VALUES ($1, 'No workspace', 'scheduled', 'NOWS-0001', 'secret-n', 'python', 60, $2, $3, $3, $4)";
    let err = db
        .execute(insert, &[Uuid::new_v4().into(), s.a.id.into(), at(9).into(), Arg::Uuid(None)])
        .await
        .expect_err("an interview without a workspace is refused");
    let code = match &err {
        sqlx::Error::Database(db_err) => db_err.code().map(|c| c.into_owned()),
        _ => None,
    };
    assert_eq!(code.as_deref(), Some("23502"), "a not-null violation: {err}");
    // The same row with a workspace is fine: the refusal was the NULL.
    db.execute(insert, &[Uuid::new_v4().into(), s.a.id.into(), at(9).into(), s.a.id.into()])
        .await
        .expect("an interview with a workspace is accepted");
}

/// The server's own store opens the upgraded database (its migrator finds every migration
/// applied with the same checksum; running 0010 again would fail) and reads it.
async fn check_store_opens(url: &str, s: &Scenario) {
    let store = codeview::db::connect(url).await.expect("the store opens the upgraded database");
    let interview = store.find_interview(s.interview_a).await.expect("find_interview").expect("A's interview");
    assert_eq!(interview.id, s.interview_a);
    assert_eq!(interview.title, "A's interview");
    assert_eq!(interview.created_by, s.a.id);
    assert_eq!(interview.status, codeview::domain::InterviewStatus::Live);
    assert_eq!(interview.room_code, "ROOM-AAAA");
    assert_eq!(interview.started_at, Some(at(2)));
    assert_eq!(store.interview_question_ids(s.interview_a).await.expect("questions"), s.interview_a_questions());
}

/// What exists before the upgrade: two accounts and their work.
struct Scenario {
    a: User,
    b: User,
    session_a: Uuid,
    session_a_hash: String,
    question_builtin: Uuid,
    question_a: Uuid,
    question_b: Uuid,
    question_orphan: Uuid,
    interview_a: Uuid,
    interview_b: Uuid,
    host_a: Uuid,
    interviewer_b: Uuid,
    candidate: Uuid,
    host_b: Uuid,
    run: Uuid,
}

struct User {
    id: Uuid,
    email: &'static str,
    name: &'static str,
    created_at: DateTime<Utc>,
}

/// `2026-01-01T10:00:00.250+00:00` plus `hours`: stored times carry milliseconds.
fn at(hours: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 10 + hours, 0, 0).unwrap() + chrono::Duration::milliseconds(250)
}

impl Scenario {
    fn new() -> Scenario {
        Scenario {
            a: User { id: Uuid::new_v4(), email: "a@x.test", name: "Ada Lovelace", created_at: at(0) },
            // An apostrophe in the name: the workspace's name is built in SQL.
            b: User { id: Uuid::new_v4(), email: "b@x.test", name: "Bob O'Brien", created_at: at(1) },
            session_a: Uuid::new_v4(),
            session_a_hash: "5e55".repeat(16),
            question_builtin: Uuid::new_v4(),
            question_a: Uuid::new_v4(),
            question_b: Uuid::new_v4(),
            question_orphan: Uuid::new_v4(),
            interview_a: Uuid::new_v4(),
            interview_b: Uuid::new_v4(),
            host_a: Uuid::new_v4(),
            interviewer_b: Uuid::new_v4(),
            candidate: Uuid::new_v4(),
            host_b: Uuid::new_v4(),
            run: Uuid::new_v4(),
        }
    }

    fn interview_a_questions(&self) -> Vec<Uuid> {
        vec![self.question_a, self.question_b, self.question_builtin]
    }

    /// Writes the rows with the previous schema's columns, encoded as the server writes them.
    async fn seed(&self, db: &Db) {
        for user in [&self.a, &self.b] {
            db.run(
                "INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
                &[
                    user.id.into(),
                    user.email.into(),
                    user.name.into(),
                    "$argon2id$v=19$not-a-real-hash".into(),
                    user.created_at.into(),
                ],
            )
            .await;
        }
        db.run(
            "INSERT INTO sessions (id_hash, user_id, participant_id, created_at, expires_at, id) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                self.session_a_hash.as_str().into(),
                self.a.id.into(),
                Arg::Uuid(None),
                at(2).into(),
                (at(2) + chrono::Duration::days(30)).into(),
                self.session_a.into(),
            ],
        )
        .await;

        let hidden_case = format!(
            r#"[{{"id":"{}","input":"1 2\n","expected_output":"3\n","hidden":false}},{{"id":"{}","input":"40 2\n","expected_output":"42\n","hidden":true}}]"#,
            Uuid::new_v4(),
            Uuid::new_v4()
        );
        let questions = [
            (self.question_builtin, Some("two-sum"), "Two sum", "[]", true, None),
            (self.question_a, None, "A's question", hidden_case.as_str(), false, Some(self.a.id)),
            (self.question_b, None, "B's question", "[]", false, Some(self.b.id)),
            // Written by an account since deleted (`ON DELETE SET NULL`).
            (self.question_orphan, None, "Orphan question", "[]", false, None),
        ];
        for (id, slug, title, test_cases, builtin, created_by) in questions {
            db.run(
                "INSERT INTO questions (id, slug, title, prompt, difficulty, category, tags, starter_code, test_cases, \
                 reference_solution, builtin, created_by, created_at, updated_at, deleted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14)",
                &[
                    id.into(),
                    Arg::Text(slug.map(str::to_owned)),
                    title.into(),
                    "Add the numbers.".into(),
                    "easy".into(),
                    "arrays".into(),
                    r#"["warm-up"]"#.into(),
                    r#"{"python":"print(sum(map(int, input().split())))\n"}"#.into(),
                    test_cases.into(),
                    Arg::Text(None),
                    builtin.into(),
                    Arg::Uuid(created_by),
                    at(1).into(),
                    Arg::Time(None),
                ],
            )
            .await;
        }

        let interviews = [
            (self.interview_a, "A's interview", "live", "ROOM-AAAA", self.a.id, Some(at(2))),
            (self.interview_b, "B's interview", "scheduled", "ROOM-BBBB", self.b.id, None),
        ];
        for (id, title, status, room_code, created_by, started_at) in interviews {
            db.run(
                "INSERT INTO interviews (id, title, status, room_code, invite_secret, language, scheduled_at, \
                 duration_minutes, candidate_name, candidate_email, created_by, created_at, updated_at, started_at, \
                 ended_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14)",
                &[
                    id.into(),
                    title.into(),
                    status.into(),
                    room_code.into(),
                    format!("invite-{room_code}").as_str().into(),
                    "python".into(),
                    at(2).into(),
                    45.into(),
                    "Carol Candidate".into(),
                    "carol@x.test".into(),
                    created_by.into(),
                    at(1).into(),
                    Arg::Time(started_at),
                    Arg::Time(None),
                ],
            )
            .await;
        }
        let mut planned: Vec<(Uuid, i32, Uuid)> = self
            .interview_a_questions()
            .into_iter()
            .zip(0..)
            .map(|(q, position)| (self.interview_a, position, q))
            .collect();
        planned.push((self.interview_b, 0, self.question_orphan));
        for (interview, position, question) in planned {
            db.run(
                "INSERT INTO interview_questions (interview_id, position, question_id) VALUES ($1, $2, $3)",
                &[interview.into(), position.into(), question.into()],
            )
            .await;
        }

        let participants = [
            (self.host_a, self.interview_a, Some(self.a.id), "host", self.a.name, Some(self.a.email)),
            (self.interviewer_b, self.interview_a, Some(self.b.id), "interviewer", self.b.name, Some(self.b.email)),
            (self.candidate, self.interview_a, None, "candidate", "Carol Candidate", None),
            (self.host_b, self.interview_b, Some(self.b.id), "host", self.b.name, Some(self.b.email)),
        ];
        for (id, interview, user, role, name, email) in participants {
            db.run(
                "INSERT INTO participants (id, interview_id, user_id, role, name, email, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    id.into(),
                    interview.into(),
                    Arg::Uuid(user),
                    role.into(),
                    name.into(),
                    Arg::Text(email.map(str::to_owned)),
                    at(2).into(),
                ],
            )
            .await;
        }

        db.run(
            "INSERT INTO runs (id, interview_id, participant_id, requested_by, language, mode, code, stdin, question_id, \
             cases, status, result, claimed_by, created_at, started_at, heartbeat_at, finished_at, cancel_requested_by, \
             interviewers_only, summary) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17, $18, $19)",
            &[
                self.run.into(),
                self.interview_a.into(),
                self.candidate.into(),
                "Carol Candidate".into(),
                "python".into(),
                "test".into(),
                "print(sum(map(int, input().split())))\n".into(),
                "".into(),
                self.question_a.into(),
                hidden_case.as_str().into(),
                "finished".into(),
                r#"{"tests":[]}"#.into(),
                "worker-1".into(),
                at(3).into(),
                at(3).into(),
                (at(3) + chrono::Duration::seconds(2)).into(),
                Arg::Text(None),
                false.into(),
                r#"{"status":"finished","passed":2,"total":2}"#.into(),
            ],
        )
        .await;
    }
}

// The previous schema's tables, every column they had. Rows are compared whole (`PartialEq`),
// so some fields are never read one by one.

#[derive(Debug, PartialEq, FromRow)]
#[allow(dead_code)]
struct UserRow {
    id: Uuid,
    email: String,
    name: String,
    password_hash: String,
    created_at: DateTime<Utc>,
}

#[derive(Debug, PartialEq, FromRow)]
#[allow(dead_code)]
struct SessionRow {
    id_hash: String,
    id: Option<Uuid>,
    user_id: Option<Uuid>,
    participant_id: Option<Uuid>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

#[derive(Debug, PartialEq, FromRow)]
#[allow(dead_code)]
struct QuestionRow {
    id: Uuid,
    slug: Option<String>,
    title: String,
    prompt: String,
    difficulty: String,
    category: String,
    tags: String,
    starter_code: String,
    test_cases: String,
    reference_solution: Option<String>,
    builtin: bool,
    created_by: Option<Uuid>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, PartialEq, FromRow)]
#[allow(dead_code)]
struct InterviewRow {
    id: Uuid,
    title: String,
    status: String,
    room_code: String,
    invite_secret: String,
    language: String,
    scheduled_at: Option<DateTime<Utc>>,
    duration_minutes: i32,
    candidate_name: Option<String>,
    candidate_email: Option<String>,
    created_by: Uuid,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    ended_at: Option<DateTime<Utc>>,
}

#[derive(Debug, PartialEq, FromRow)]
struct InterviewQuestionRow {
    interview_id: Uuid,
    position: i32,
    question_id: Uuid,
}

#[derive(Debug, PartialEq, FromRow)]
#[allow(dead_code)]
struct ParticipantRow {
    id: Uuid,
    interview_id: Uuid,
    user_id: Option<Uuid>,
    role: String,
    name: String,
    email: Option<String>,
    created_at: DateTime<Utc>,
}

#[derive(Debug, PartialEq, FromRow)]
#[allow(dead_code)]
struct RunRow {
    id: Uuid,
    interview_id: Uuid,
    participant_id: Uuid,
    requested_by: String,
    language: String,
    mode: String,
    code: String,
    stdin: String,
    question_id: Option<Uuid>,
    cases: String,
    status: String,
    result: Option<String>,
    claimed_by: Option<String>,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    heartbeat_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    cancel_requested_by: Option<String>,
    interviewers_only: bool,
    summary: Option<String>,
}

type WorkspaceRow = (Uuid, String, String, i32, String, Option<i32>, DateTime<Utc>, DateTime<Utc>);

/// Every row of the tables the previous schema had, every column it had, in a fixed order.
///
/// Columns are listed, never `*`: sqlx-sqlite keeps a prepared statement's column list from
/// when it was first prepared, and the same connection reads before and after the upgrade
/// (a cached `SELECT *` on a table that gained a column panics in sqlx's worker).
#[derive(Debug, PartialEq)]
struct Snapshot {
    users: Vec<UserRow>,
    sessions: Vec<SessionRow>,
    questions: Vec<QuestionRow>,
    interviews: Vec<InterviewRow>,
    interview_questions: Vec<InterviewQuestionRow>,
    participants: Vec<ParticipantRow>,
    runs: Vec<RunRow>,
}

impl Snapshot {
    async fn read(db: &Db) -> Snapshot {
        Snapshot {
            users: db.fetch_all("SELECT id, email, name, password_hash, created_at FROM users ORDER BY email", &[]).await,
            sessions: db
                .fetch_all(
                    "SELECT id_hash, id, user_id, participant_id, created_at, expires_at FROM sessions ORDER BY id_hash",
                    &[],
                )
                .await,
            questions: db
                .fetch_all(
                    "SELECT id, slug, title, prompt, difficulty, category, tags, starter_code, test_cases, \
                     reference_solution, builtin, created_by, created_at, updated_at, deleted_at \
                     FROM questions ORDER BY title",
                    &[],
                )
                .await,
            interviews: db
                .fetch_all(
                    "SELECT id, title, status, room_code, invite_secret, language, scheduled_at, duration_minutes, \
                     candidate_name, candidate_email, created_by, created_at, updated_at, started_at, ended_at \
                     FROM interviews ORDER BY title",
                    &[],
                )
                .await,
            interview_questions: db
                .fetch_all(
                    "SELECT iq.interview_id, iq.position, iq.question_id FROM interview_questions iq \
                     JOIN interviews i ON i.id = iq.interview_id ORDER BY i.title, iq.position",
                    &[],
                )
                .await,
            participants: db
                .fetch_all(
                    "SELECT p.id, p.interview_id, p.user_id, p.role, p.name, p.email, p.created_at FROM participants p \
                     JOIN interviews i ON i.id = p.interview_id ORDER BY i.title, p.role",
                    &[],
                )
                .await,
            runs: db
                .fetch_all(
                    "SELECT id, interview_id, participant_id, requested_by, language, mode, code, stdin, question_id, \
                     cases, status, result, claimed_by, created_at, started_at, heartbeat_at, finished_at, \
                     cancel_requested_by, interviewers_only, summary FROM runs ORDER BY created_at",
                    &[],
                )
                .await,
        }
    }

    /// The seed wrote what the scenario says (so the comparison after the upgrade means something).
    fn assert_seeded(&self, s: &Scenario) {
        assert_eq!(self.users.iter().map(|u| u.id).collect::<Vec<_>>(), [s.a.id, s.b.id]);
        assert_eq!(self.sessions.len(), 1);
        let session = &self.sessions[0];
        assert_eq!(
            (session.id_hash.as_str(), session.id, session.user_id),
            (s.session_a_hash.as_str(), Some(s.session_a), Some(s.a.id))
        );
        assert_eq!(self.questions.len(), 4);
        let builtin = self.questions.iter().find(|q| q.id == s.question_builtin).expect("built-in question");
        assert_eq!((builtin.slug.as_deref(), builtin.builtin, builtin.created_by), (Some("two-sum"), true, None));
        let mine = self.questions.iter().find(|q| q.id == s.question_a).expect("A's question");
        assert!(mine.test_cases.contains(r#""hidden":true"#), "A's question has a hidden case: {}", mine.test_cases);
        assert_eq!(
            self.interviews.iter().map(|i| (i.id, i.created_by)).collect::<Vec<_>>(),
            [(s.interview_a, s.a.id), (s.interview_b, s.b.id)]
        );
        assert_eq!(self.interview_questions.len(), 4);
        assert_eq!(
            self.interview_questions
                .iter()
                .filter(|r| r.interview_id == s.interview_a)
                .map(|r| (r.position, r.question_id))
                .collect::<Vec<_>>(),
            s.interview_a_questions().into_iter().zip(0..).map(|(q, position)| (position, q)).collect::<Vec<_>>()
        );
        let roles: Vec<_> = self.participants.iter().map(|p| (p.id, p.user_id, p.role.as_str())).collect();
        assert_eq!(
            roles,
            [
                (s.candidate, None, "candidate"),
                (s.host_a, Some(s.a.id), "host"),
                (s.interviewer_b, Some(s.b.id), "interviewer"),
                (s.host_b, Some(s.b.id), "host"),
            ]
        );
        assert_eq!(self.runs.len(), 1);
        let run = &self.runs[0];
        assert_eq!((run.id, run.interview_id, run.participant_id), (s.run, s.interview_a, s.candidate));
    }
}

/// One bound value of either backend's query.
#[derive(Debug, Clone)]
enum Arg {
    Uuid(Option<Uuid>),
    Text(Option<String>),
    Time(Option<DateTime<Utc>>),
    Bool(bool),
    Int(i32),
}

impl From<Uuid> for Arg {
    fn from(v: Uuid) -> Arg {
        Arg::Uuid(Some(v))
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Arg {
        Arg::Text(Some(v.to_owned()))
    }
}

impl From<DateTime<Utc>> for Arg {
    fn from(v: DateTime<Utc>) -> Arg {
        Arg::Time(Some(v))
    }
}

impl From<bool> for Arg {
    fn from(v: bool) -> Arg {
        Arg::Bool(v)
    }
}

impl From<i32> for Arg {
    fn from(v: i32) -> Arg {
        Arg::Int(v)
    }
}

/// Binds `args` in order to a sqlx query of either backend.
macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg.clone() {
                Arg::Uuid(v) => query.bind(v),
                Arg::Text(v) => query.bind(v),
                Arg::Time(v) => query.bind(v),
                Arg::Bool(v) => query.bind(v),
                Arg::Int(v) => query.bind(v),
            };
        }
        query
    }};
}

/// A pool on the database being upgraded; the SQL is written once (`$N` placeholders).
enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Db {
    fn migrator(&self) -> &'static Migrator {
        match self {
            Db::Sqlite(_) => &SQLITE_MIGRATIONS,
            Db::Postgres(_) => &POSTGRES_MIGRATIONS,
        }
    }

    /// Applies the migrations up to `target` (all of them for `None`).
    async fn migrate(&self, target: Option<i64>) {
        let done = match (self, target) {
            (Db::Sqlite(pool), Some(target)) => SQLITE_MIGRATIONS.run_to(target, pool).await,
            (Db::Sqlite(pool), None) => SQLITE_MIGRATIONS.run(pool).await,
            (Db::Postgres(pool), Some(target)) => POSTGRES_MIGRATIONS.run_to(target, pool).await,
            (Db::Postgres(pool), None) => POSTGRES_MIGRATIONS.run(pool).await,
        };
        done.unwrap_or_else(|err| panic!("migrating to {target:?}: {err}"));
    }

    /// The versions recorded as applied (and successful), in order.
    async fn applied_versions(&self) -> Vec<i64> {
        let rows: Vec<(i64, bool)> =
            self.fetch_all("SELECT version, success FROM _sqlx_migrations ORDER BY version", &[]).await;
        assert!(rows.iter().all(|r| r.1), "every applied migration succeeded: {rows:?}");
        rows.into_iter().map(|r| r.0).collect()
    }

    async fn execute(&self, sql: &'static str, args: &[Arg]) -> Result<u64, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool) => bind_all!(sqlx::query(sql), args).execute(pool).await?.rows_affected(),
            Db::Postgres(pool) => bind_all!(sqlx::query(sql), args).execute(pool).await?.rows_affected(),
        })
    }

    /// Executes `sql`, which must write one row.
    async fn run(&self, sql: &'static str, args: &[Arg]) {
        let written = self.execute(sql, args).await.unwrap_or_else(|err| panic!("{sql}: {err}"));
        assert_eq!(written, 1, "{sql}");
    }

    async fn fetch_all<T>(&self, sql: &'static str, args: &[Arg]) -> Vec<T>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let rows = match self {
            Db::Sqlite(pool) => bind_all!(sqlx::query_as::<_, T>(sql), args).fetch_all(pool).await,
            Db::Postgres(pool) => bind_all!(sqlx::query_as::<_, T>(sql), args).fetch_all(pool).await,
        };
        rows.unwrap_or_else(|err| panic!("{sql}: {err}"))
    }

    async fn count(&self, sql: &'static str) -> i64 {
        let count = match self {
            Db::Sqlite(pool) => sqlx::query(sql).fetch_one(pool).await.and_then(|row| row.try_get::<i64, _>(0)),
            Db::Postgres(pool) => sqlx::query(sql).fetch_one(pool).await.and_then(|row| row.try_get::<i64, _>(0)),
        };
        count.unwrap_or_else(|err| panic!("{sql}: {err}"))
    }

    async fn close(self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}
