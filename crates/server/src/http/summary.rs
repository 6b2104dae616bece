//! The interview summary export, `GET /api/interviews/{id}/summary?format=md|json|html`, for
//! the host and co-interviewers (observers and candidates 403, strangers 404), in any status.
//!
//! Markdown and JSON are sent as attachments (`<slug>-summary.md|json`). The HTML page is sent
//! `inline` so the browser shows it and its Print makes the PDF; `download=1` makes it an
//! attachment too. The page is attacker text escaped into a document of our own, so it gets
//! its own Content Security Policy: nothing may load or run, only its inline style applies.

use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::interview_access;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiPath, ApiQuery, Caller};
use crate::state::AppState;
use crate::summary::gather::gather_summary;
use crate::summary::html::render_html;
use crate::summary::markdown::render_markdown;
use crate::summary::{InterviewSummary, SummaryFormat};

/// The HTML summary's policy: no scripts, images, fonts, frames or connections; inline style.
pub const SUMMARY_HTML_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_summary))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// `md`, `json` (the default) or `html`.
    format: Option<String>,
    /// `1`: send the HTML page as an attachment too (it is `inline` by default, for printing).
    download: Option<u8>,
}

/// The interview's summary for its hiring team: participants, times, questions with the final
/// code, every run with its verdict and per-test results (hidden cases included), the notes
/// and the submitted scorecards.
#[utoipa::path(get, path = "/api/interviews/{id}/summary", tag = "interviews", params(SummaryQuery),
    responses(
        (status = 200, description = "The summary in the asked format", content(
            (InterviewSummary = "application/json"),
            (String = "text/markdown"),
            (String = "text/html"))),
        (status = 401), (status = 403, description = "observers and candidates"), (status = 404), (status = 422)))]
async fn get_summary(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<SummaryQuery>,
) -> AppResult<Response> {
    let access = interview_access(&state, &caller, id).await?;
    access.require_interviewer("export the interview's summary")?;
    let format = SummaryFormat::parse(query.format.as_deref().unwrap_or("json"))
        .map_err(|why| AppError::field("format", why))?;
    let download = match query.download {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(AppError::field("download", "must be 0 or 1")),
    };
    let summary = gather_summary(&state, access.interview).await?;
    let body = render(&summary, format)?;
    let inline = format == SummaryFormat::Html && !download;
    let disposition = format!(
        "{}; filename=\"{}-summary.{}\"",
        if inline { "inline" } else { "attachment" },
        summary.slug(),
        format.extension()
    );
    let mut response =
        ([(CONTENT_TYPE, format.content_type().to_owned()), (CONTENT_DISPOSITION, disposition)], body).into_response();
    if format == SummaryFormat::Html {
        let headers = response.headers_mut();
        headers.insert(CONTENT_SECURITY_POLICY, SUMMARY_HTML_CSP.parse().expect("a valid header"));
        headers.insert(X_CONTENT_TYPE_OPTIONS, "nosniff".parse().expect("a valid header"));
    }
    Ok(response)
}

fn render(summary: &InterviewSummary, format: SummaryFormat) -> AppResult<String> {
    Ok(match format {
        SummaryFormat::Markdown => render_markdown(summary),
        SummaryFormat::Html => render_html(summary),
        SummaryFormat::Json => serde_json::to_string_pretty(summary).map_err(anyhow::Error::from)?,
    })
}
