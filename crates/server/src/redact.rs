//! Credentials never reach a log: URLs (database, Redis, SMTP) are shown with their password
//! and query string replaced.

/// Replaces the password (and any query string) of a URL with `***`.
pub fn redact_url(url: &str) -> String {
    let without_query = url.split('?').next().unwrap_or(url);
    let Some((scheme, rest)) = without_query.split_once("://") else {
        return without_query.to_owned();
    };
    let redacted_rest = match rest.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{user}:***@{host}"),
            None => format!("{userinfo}@{host}"),
        },
        None => rest.to_owned(),
    };
    let query_note = if url.contains('?') { "?***" } else { "" };
    format!("{scheme}://{redacted_rest}{query_note}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_redacted() {
        assert_eq!(redact_url("postgres://bob:s3cret@db:5432/cv"), "postgres://bob:***@db:5432/cv");
        assert_eq!(redact_url("redis://:pw@127.0.0.1/0"), "redis://:***@127.0.0.1/0");
        assert_eq!(redact_url("postgres://db/cv?password=x"), "postgres://db/cv?***");
        assert_eq!(redact_url("sqlite://data/codeview.db"), "sqlite://data/codeview.db");
    }
}
