//! A candidate plants markup in everything an interview summary shows — their name
//! (`<img src=x onerror=alert(1)>`), the shared code and a run's code and output
//! (`</pre><script>alert(1)</script>` and a ``` fence) — and the interviewers' title and notes
//! carry some too. The HTML summary must hold none of it as markup (every `<` escaped) and be
//! served under its own CSP that runs nothing; the Markdown summary's code fences must stay
//! intact (a longer fence) and the name must not open HTML.

use reqwest::StatusCode;
use serde_json::json;

use crate::fixtures::{Cast, create_interview, join};
use crate::helpers::{TestApp, wait_run, write_document};
use crate::support::queue_run;

crate::on_both_backends!(markup_in_a_summary_stays_text);

const NAME: &str = "<img src=x onerror=alert(1)>";
const CODE: &str = "s = \"</pre><script>alert(1)</script>\"\n# ```\nprint(s)\n";
const TITLE: &str = "Pairing <script>alert('title')</script>";
const NOTES: &str = "<iframe src=\"https://evil.example\"></iframe> seemed fine";

async fn markup_in_a_summary_stays_text(app: TestApp) {
    let cast = Cast::new(app).await;
    let app = &cast.app;
    let question = cast.question().await;
    let interview =
        create_interview(app, &cast.host, json!({"title": TITLE, "question_ids": [question], "language": "python"}))
            .await;
    join(app, &cast.candidate, &interview, NAME).await;
    // Written before the start, so the start's starter code (only for empty texts) keeps it.
    let token = app.token(&cast.host).await;
    write_document(app, &token, &interview.id, "code", CODE).await;
    app.post_json(&cast.host, &format!("/api/interviews/{}/start", interview.id), &json!({})).await;
    write_document(app, &token, &interview.id, "notes", NOTES).await;
    let run =
        queue_run(app, &cast.candidate, &interview.id, &json!({"language": "python", "mode": "run", "code": CODE}))
            .await;
    assert_eq!(wait_run(app, &cast.host, &run).await["stdout"], "</pre><script>alert(1)</script>\n");
    app.post_json(&cast.host, &format!("/api/interviews/{}/end", interview.id), &json!({})).await;

    let response = app.get(&cast.host, &format!("/api/interviews/{}/summary?format=html", interview.id)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let csp = response.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert_eq!(csp, "default-src 'none'; style-src 'unsafe-inline'");
    assert_eq!(response.headers().get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"));
    let html = response.text().await.unwrap();
    for planted in ["<script", "<img", "<iframe", "</pre><"] {
        assert!(!html.to_lowercase().contains(planted), "{planted} reached the page as markup:\n{html}");
    }
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "the name is shown as text");
    assert!(html.contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), "the code is shown as text");
    // Only our own tags: every `<` opens one of the page's elements.
    let allowed = [
        "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "main", "section", "h1", "h2", "h3", "h4", "p",
        "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "pre", "div", "span", "article", "footer", "ul",
        "li",
    ];
    for tag in html.split('<').skip(1) {
        let name: String =
            tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '!').collect();
        assert!(allowed.contains(&name.as_str()), "unexpected tag <{name}");
    }

    let markdown = app.get(&cast.host, &format!("/api/interviews/{}/summary?format=md", interview.id)).await;
    let markdown = markdown.text().await.unwrap();
    // The code's own ``` cannot close its block: the block's fence is longer.
    assert!(markdown.contains(&format!("````python\n{}````\n", CODE)), "the fence holds:\n{markdown}");
    assert!(!markdown.lines().any(|line| line == "```python"), "no three-backtick fence around code holding ```");
    assert!(markdown.contains("\\<img src=x onerror=alert\\(1\\)\\>"), "the name cannot open HTML");
    assert!(!markdown.contains(NAME));
}
