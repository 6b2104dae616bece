//! The interview summary export: a scripted interview (a question with a hidden test case,
//! an interviewer and an observer, the candidate's code, a run and a test run in the real
//! sandbox, two integrity signals, notes, the end, then both interviewers' scorecards) exported as Markdown, JSON and HTML and compared with golden files
//! after its volatile values (ids, times, durations, run time and memory) are replaced by
//! placeholders; who may export it; its formats and headers.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::{Actor, Cast, Interview, create_interview, join};
use crate::helpers::{TestApp, assert_error, wait_run, write_document};
use crate::runs::queue_run;

crate::on_both_backends!(a_scripted_interview_exports_as_its_golden_files, only_interviewers_export_the_summary);

const SUM: &str = "a, b = map(int, input().split())\nprint(a + b)\n";
const NOTES: &str = "Solid **fundamentals**.\n\n- Asked about negative numbers\n- Wrote a test first\n";

/// The summary in `format` as `client` asks for it.
pub async fn fetch_summary(app: &TestApp, client: &Client, interview: &str, format: &str) -> reqwest::Response {
    app.get(client, &format!("/api/interviews/{interview}/summary?format={format}")).await
}

/// An interview scripted end to end, ended; returns it.
async fn scripted_interview(cast: &Cast) -> Interview {
    let app = &cast.app;
    let question = cast.question().await;
    let scheduled_at = (chrono::Utc::now() + chrono::Duration::days(7)).to_rfc3339();
    let interview = create_interview(
        app,
        &cast.host,
        json!({"title": "Backend pairing", "question_ids": [question], "language": "python",
            "scheduled_at": scheduled_at, "duration_minutes": 45, "candidate_name": "Cara Candidate"}),
    )
    .await;
    let participants = format!("/api/interviews/{}/participants", interview.id);
    for (email, role) in [("co@example.com", "interviewer"), ("observer@example.com", "observer")] {
        let added = app.post_json(&cast.host, &participants, &json!({"email": email, "role": role})).await;
        assert_eq!(added.status(), StatusCode::CREATED);
    }
    join(app, &cast.candidate, &interview, "Cara Candidate").await;
    // Written before the start, so the start's starter code (only for empty texts) keeps it.
    let token = app.token(&cast.host).await;
    write_document(app, &token, &interview.id, "code", SUM).await;
    let started = app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    assert_eq!(started.status(), StatusCode::OK);
    // The candidate runs the shared document with stdin, then tests it (one case is hidden).
    let run =
        queue_run(app, &cast.candidate, &interview.id, json!({"language": "python", "stdin": "2 3\n", "mode": "run"}))
            .await;
    assert_eq!(wait_run(app, &cast.host, &run).await["stdout"], "5\n");
    let test = queue_run(app, &cast.candidate, &interview.id, json!({"language": "python", "mode": "test"})).await;
    assert_eq!(wait_run(app, &cast.host, &test).await["verdict"], "passed");
    // Their browser reports a paste from their own code and a trip to another tab.
    for signal in [
        json!({"kind": "paste", "length": 42, "external": false}),
        json!({"kind": "tab_visible", "duration_ms": 75_000}),
    ] {
        let reported =
            app.post_json(&cast.candidate, &format!("/api/interviews/{}/signals", interview.id), &signal).await;
        assert_eq!(reported.status(), StatusCode::ACCEPTED, "{signal}");
    }
    write_document(app, &token, &interview.id, "notes", NOTES).await;
    let ended = app.post_json(&cast.host, &format!("/api/interviews/{}/end", interview.id), &json!({})).await;
    assert_eq!(ended.status(), StatusCode::OK);
    // Scored after the end, as interviewers do.
    let scorecards = [
        (&cast.host, [4, 3, 4, 3], "strong_yes", "Hire: clear and careful.", "Tested negatives | first"),
        (&cast.co, [3, 3, 2, 2], "yes", "Lean hire.", "Quiet at first"),
    ];
    for (client, scores, recommendation, summary, comment) in scorecards {
        let criteria = ["problem_solving", "code_quality", "communication", "testing"];
        let ratings: Vec<Value> = criteria
            .iter()
            .zip(scores)
            .map(|(id, score)| json!({"criterion_id": id, "score": score, "comment": comment}))
            .collect();
        let path = format!("/api/interviews/{}/scorecards/me", interview.id);
        let body = json!({"ratings": ratings, "recommendation": recommendation, "summary": summary});
        assert_eq!(app.put_json(client, &path, &body).await.status(), StatusCode::OK);
        assert_eq!(app.post_json(client, &format!("{path}/submit"), &json!({})).await.status(), StatusCode::OK);
    }
    interview
}

async fn a_scripted_interview_exports_as_its_golden_files(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let interview = scripted_interview(&cast).await;

    let response = fetch_summary(app, &cast.co, &interview.id, "json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "application/json");
    assert_eq!(header(&response, "content-disposition"), "attachment; filename=\"backend-pairing-summary.json\"");
    let summary: Value = response.json().await.unwrap();
    assert_eq!(summary["questions"][0]["final_code"], SUM);
    assert_eq!(summary["notes"], NOTES);
    let hidden = &summary["runs"][0]["tests"][1];
    assert_eq!((hidden["hidden"].as_bool(), hidden["input"].as_str()), (Some(true), Some("-5 5\n")), "hidden included");
    assert_eq!(hidden["actual_output"], "0\n");
    insta::assert_snapshot!("summary_json", normalise(&serde_json::to_string_pretty(&stable_json(summary)).unwrap()));

    let response = fetch_summary(app, &cast.host, &interview.id, "md").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "text/markdown; charset=utf-8");
    assert_eq!(header(&response, "content-disposition"), "attachment; filename=\"backend-pairing-summary.md\"");
    insta::assert_snapshot!("summary_md", normalise(&response.text().await.unwrap()));

    let response = fetch_summary(app, &cast.host, &interview.id, "html").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header(&response, "content-disposition"), "inline; filename=\"backend-pairing-summary.html\"");
    assert_eq!(header(&response, "content-security-policy"), "default-src 'none'; style-src 'unsafe-inline'");
    assert_eq!(header(&response, "x-content-type-options"), "nosniff");
    insta::assert_snapshot!("summary_html", normalise(&response.text().await.unwrap()));

    // `download=1` makes the page an attachment.
    let path = format!("/api/interviews/{}/summary?format=html&download=1", interview.id);
    let response = app.get(&cast.host, &path).await;
    assert_eq!(header(&response, "content-disposition"), "attachment; filename=\"backend-pairing-summary.html\"");
}

async fn only_interviewers_export_the_summary(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let live = cast.interview(true).await;
    let expected = [
        (Actor::Host, StatusCode::OK),
        (Actor::CoInterviewer, StatusCode::OK),
        (Actor::Observer, StatusCode::FORBIDDEN),
        (Actor::Candidate, StatusCode::FORBIDDEN),
        (Actor::OtherCandidate, StatusCode::NOT_FOUND),
        (Actor::Stranger, StatusCode::NOT_FOUND),
        (Actor::Anonymous, StatusCode::UNAUTHORIZED),
    ];
    for format in ["md", "json", "html"] {
        for (actor, want) in expected {
            let got = fetch_summary(app, cast.client(actor), &live.id, format).await.status();
            assert_eq!(got, want, "{actor:?} asking for {format}");
        }
    }
    // Ended: still the interviewers' (the end signs the candidate out).
    app.post_json(&cast.host, &format!("/api/interviews/{}/end", live.id), &json!({})).await;
    assert_eq!(fetch_summary(app, &cast.host, &live.id, "md").await.status(), StatusCode::OK);
    assert_eq!(fetch_summary(app, &cast.candidate, &live.id, "md").await.status(), StatusCode::UNAUTHORIZED);
    assert_error(fetch_summary(app, &cast.observer, &live.id, "json").await, StatusCode::FORBIDDEN, "forbidden").await;
    // Scheduled: exported too, with what there is.
    let scheduled = cast.interview(false).await;
    let summary: Value = fetch_summary(app, &cast.host, &scheduled.id, "json").await.json().await.unwrap();
    assert_eq!(
        (summary["interview"]["status"].as_str(), summary["runs"].as_array().map(Vec::len)),
        (Some("scheduled"), Some(0))
    );
    assert_eq!(summary["code_without_question"], "", "an interview without questions has its one code text");
    // The format and the download flag are checked; JSON is the default.
    assert_error(
        fetch_summary(app, &cast.host, &live.id, "pdf").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let path = format!("/api/interviews/{}/summary?format=md&download=7", live.id);
    assert_error(app.get(&cast.host, &path).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let default = app.get(&cast.host, &format!("/api/interviews/{}/summary", live.id)).await;
    assert_eq!(header(&default, "content-type"), "application/json");
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
}

/// The JSON summary with the values a run measures replaced (ids and times go in `normalise`).
fn stable_json(mut value: Value) -> Value {
    fn walk(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, field) in map.iter_mut() {
                    let measured = matches!(key.as_str(), "time_ms" | "memory_kb" | "actual_duration_seconds");
                    if measured && !field.is_null() {
                        *field = Value::String("[measured]".into());
                    } else {
                        walk(field);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut value);
    value
}

/// Replaces what changes from one run of the test to the next: uuids (numbered in order of
/// first appearance), timestamps, the interview's duration, and run times and memory.
pub fn normalise(text: &str) -> String {
    let mut uuids: Vec<String> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(len) = uuid_at(bytes, i) {
            let found = &text[i..i + len];
            let n = uuids.iter().position(|u| u == found).unwrap_or_else(|| {
                uuids.push(found.to_owned());
                uuids.len() - 1
            });
            out.push_str(&format!("[uuid-{n}]"));
            i += len;
        } else if let Some(len) = timestamp_at(bytes, i) {
            out.push_str("[time]");
            i += len;
        } else if let Some((len, placeholder)) = measure_at(bytes, i) {
            out.push_str(placeholder);
            i += len;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out.lines()
        .map(|line| {
            if line.starts_with("- **Duration:** ") {
                "- **Duration:** [duration]".to_owned()
            } else if line.starts_with("<dt>Duration</dt>") {
                "<dt>Duration</dt><dd>[duration]</dd>".to_owned()
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn uuid_at(b: &[u8], i: usize) -> Option<usize> {
    let shape = [8, 4, 4, 4, 12];
    let mut at = i;
    for (n, len) in shape.iter().enumerate() {
        if n > 0 {
            (b.get(at) == Some(&b'-')).then_some(())?;
            at += 1;
        }
        b.get(at..at + len).filter(|s| s.iter().all(u8::is_ascii_hexdigit))?;
        at += len;
    }
    (i == 0 || !b[i - 1].is_ascii_hexdigit()).then_some(at - i)
}

/// `2030-01-02T10:00:00Z`, `…T10:00:00.123456+00:00`, `2030-01-02 10:00:00 UTC`.
fn timestamp_at(b: &[u8], i: usize) -> Option<usize> {
    let digits = |at: usize, n: usize| b.get(at..at + n).filter(|s| s.iter().all(u8::is_ascii_digit)).is_some();
    let is = |at: usize, c: u8| b.get(at) == Some(&c);
    let shaped = digits(i, 4)
        && is(i + 4, b'-')
        && digits(i + 5, 2)
        && is(i + 7, b'-')
        && digits(i + 8, 2)
        && (is(i + 10, b'T') || is(i + 10, b' '))
        && digits(i + 11, 2)
        && is(i + 13, b':')
        && digits(i + 14, 2)
        && is(i + 16, b':')
        && digits(i + 17, 2);
    if !shaped {
        return None;
    }
    let mut at = i + 19;
    if is(at, b'.') {
        at += 1;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
    }
    for zone in [&b"Z"[..], b"+00:00", b" UTC"] {
        if b.get(at..at + zone.len()) == Some(zone) {
            return Some(at + zone.len() - i);
        }
    }
    Some(at - i)
}

/// A measured number with its unit (`12 ms`, `9.5 MiB`, `812 KiB`): its length and what
/// replaces it (memory as one placeholder, since its unit follows its size).
fn measure_at(b: &[u8], i: usize) -> Option<(usize, &'static str)> {
    if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.') || !b[i].is_ascii_digit() {
        return None;
    }
    let mut at = i;
    while b.get(at).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
        at += 1;
    }
    if b.get(at..at + 3) == Some(&b" ms"[..]) {
        return Some((at - i, "[n]"));
    }
    [&b" KiB"[..], b" MiB"].iter().any(|unit| b.get(at..at + 4) == Some(*unit)).then_some((at + 4 - i, "[memory]"))
}
