//! A cast for interview tests: a host, a co-interviewer, an observer, the candidate, the
//! candidate of another interview, a stranger with an account, and an anonymous client —
//! plus helpers to create questions and interviews and to let the candidate join.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Host,
    CoInterviewer,
    Observer,
    Candidate,
    OtherCandidate,
    Stranger,
    Anonymous,
}

impl Actor {
    pub const ALL: [Actor; 7] = [
        Actor::Host,
        Actor::CoInterviewer,
        Actor::Observer,
        Actor::Candidate,
        Actor::OtherCandidate,
        Actor::Stranger,
        Actor::Anonymous,
    ];
}

pub struct Cast {
    pub app: TestApp,
    pub host: Client,
    pub co: Client,
    pub observer: Client,
    pub candidate: Client,
    pub other_candidate: Client,
    pub stranger: Client,
    pub anonymous: Client,
    /// An interview the other candidate belongs to.
    pub other_interview: Interview,
    /// The host's workspace, of which the co-interviewer and the observer are members.
    pub workspace: String,
}

/// What a test needs to know about an interview it created.
#[derive(Debug, Clone)]
pub struct Interview {
    pub id: String,
    pub code: String,
    pub invite: String,
    pub observer_participant: Option<String>,
}

impl Cast {
    pub async fn new(app: TestApp) -> Cast {
        let host = app.signed_in("host@example.com", "Hana Host").await;
        let co = app.signed_in("co@example.com", "Cole Co").await;
        let observer = app.signed_in("observer@example.com", "Olga Observer").await;
        let stranger = app.signed_in("stranger@example.com", "Stan Stranger").await;
        // Co-interviewer and observer are the host's colleagues: members of its workspace.
        let workspace = app.join_workspace(&host, &co, "member").await;
        app.join_workspace(&host, &observer, "member").await;
        let other_host = app.signed_in("other-host@example.com", "Otto").await;
        let other_interview = create_interview(&app, &other_host, json!({"title": "Other interview"})).await;
        let other_candidate = app.browser();
        join(&app, &other_candidate, &other_interview, "Oscar Other").await;
        let candidate = app.browser();
        let anonymous = Client::new();
        let cast = Cast {
            app,
            host,
            co,
            observer,
            candidate,
            other_candidate,
            stranger,
            anonymous,
            other_interview,
            workspace,
        };
        // The candidate starts out joined to one of the host's interviews.
        cast.interview(false).await;
        cast
    }

    pub fn client(&self, actor: Actor) -> &Client {
        match actor {
            Actor::Host => &self.host,
            Actor::CoInterviewer => &self.co,
            Actor::Observer => &self.observer,
            Actor::Candidate => &self.candidate,
            Actor::OtherCandidate => &self.other_candidate,
            Actor::Stranger => &self.stranger,
            Actor::Anonymous => &self.anonymous,
        }
    }

    /// A fresh interview hosted by `host`, with the co-interviewer and observer added and the
    /// candidate joined; started when `live`.
    pub async fn interview(&self, live: bool) -> Interview {
        let app = &self.app;
        let mut interview = create_interview(app, &self.host, json!({"title": "Backend pairing"})).await;
        let added = app
            .post_json(
                &self.host,
                &format!("/api/interviews/{}/participants", interview.id),
                &json!({"email": "co@example.com", "role": "interviewer"}),
            )
            .await;
        assert_eq!(added.status(), StatusCode::CREATED);
        let added = app
            .post_json(
                &self.host,
                &format!("/api/interviews/{}/participants", interview.id),
                &json!({"email": "observer@example.com", "role": "observer"}),
            )
            .await;
        assert_eq!(added.status(), StatusCode::CREATED);
        let observer: Value = added.json().await.unwrap();
        interview.observer_participant = Some(observer["participant"]["id"].as_str().unwrap().to_owned());
        join(app, &self.candidate, &interview, "Cara Candidate").await;
        if live {
            let started =
                app.post_json(&self.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
            assert_eq!(started.status(), StatusCode::OK);
        }
        interview
    }

    /// A new colleague of the host (an account in the host's workspace) added to `interview`
    /// as a co-interviewer: a second interviewer besides `co`.
    pub async fn add_interviewer(&self, interview: &Interview, email: &str, name: &str) -> Client {
        let client = self.app.signed_in(email, name).await;
        self.app.join_workspace(&self.host, &client, "member").await;
        let added = self
            .app
            .post_json(
                &self.host,
                &format!("/api/interviews/{}/participants", interview.id),
                &json!({"email": email, "role": "interviewer"}),
            )
            .await;
        assert_eq!(added.status(), StatusCode::CREATED, "adding {email}");
        client
    }

    /// A question written by the host, with one visible and one hidden test case.
    pub async fn question(&self) -> String {
        create_question(&self.app, &self.host, "Sum two numbers").await
    }
}

/// The body of a question `title` with `starter_code` (by language) and one visible case.
pub fn question_with_starter_body(title: &str, starter_code: Value) -> Value {
    json!({
        "title": title,
        "prompt": "Print something.",
        "difficulty": "easy",
        "category": "basics",
        "tags": [],
        "starter_code": starter_code,
        "test_cases": [{"input": "", "expected_output": "1\n", "hidden": false}]
    })
}

pub async fn create_question(app: &TestApp, client: &Client, title: &str) -> String {
    let response = app
        .post_json(
            client,
            "/api/questions",
            &json!({
                "title": title,
                "prompt": "Read two integers and print their **sum**.",
                "difficulty": "easy",
                "category": "math",
                "tags": ["warm-up"],
                "starter_code": {"python": "a, b = map(int, input().split())\n"},
                "test_cases": [
                    {"input": "1 2\n", "expected_output": "3\n", "hidden": false},
                    {"input": "-5 5\n", "expected_output": "0\n", "hidden": true}
                ]
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "creating a question");
    let body: Value = response.json().await.unwrap();
    body["question"]["id"].as_str().unwrap().to_owned()
}

pub async fn create_interview(app: &TestApp, host: &Client, body: Value) -> Interview {
    let response = app.post_json(host, "/api/interviews", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "creating an interview");
    let body: Value = response.json().await.unwrap();
    let url = body["candidate_invite_url"].as_str().unwrap();
    let (code, invite) = parse_invite_url(url);
    Interview { id: body["interview"]["id"].as_str().unwrap().to_owned(), code, invite, observer_participant: None }
}

/// `(room code, invite secret)` from `…/join/{code}?invite={secret}`.
pub fn parse_invite_url(url: &str) -> (String, String) {
    let rest = url.split("/join/").nth(1).expect("a /join/ link");
    let (code, query) = rest.split_once('?').expect("a query");
    (code.to_owned(), query.strip_prefix("invite=").expect("invite=").to_owned())
}

pub async fn join(app: &TestApp, client: &Client, interview: &Interview, name: &str) {
    let response = app
        .post_json(
            client,
            &format!("/api/interviews/room/{}/join", interview.code),
            &json!({"name": name, "invite": interview.invite}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{name} joining");
}
