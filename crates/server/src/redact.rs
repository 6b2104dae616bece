//! Credentials never reach a log: URLs (database, Redis, SMTP) are shown with their password
//! and the values of their query string replaced, except the TLS settings an operator needs
//! to see (`sslmode`, and the paths of the certificate files), which hold no secret.

/// Query parameters shown as they are: how TLS is used (`sslmode`, SMTP's `tls`), and file paths.
const SHOWN_PARAMETERS: [&str; 5] = ["sslmode", "sslrootcert", "sslcert", "sslkey", "tls"];

/// Replaces the password and the query string's values (but the TLS settings) of a URL with
/// `***`.
pub fn redact_url(url: &str) -> String {
    let (without_query, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
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
    match query {
        Some(query) => format!("{scheme}://{redacted_rest}?{}", redact_query(query)),
        None => format!("{scheme}://{redacted_rest}"),
    }
}

/// `a=1&sslmode=require` → `a=***&sslmode=require`; anything not a known name is `***`.
fn redact_query(query: &str) -> String {
    let shown = |pair: &str| match pair.split_once('=') {
        Some((name, _)) if SHOWN_PARAMETERS.contains(&name) => pair.to_owned(),
        Some((name, _)) if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => format!("{name}=***"),
        _ => "***".to_owned(),
    };
    query.split('&').map(shown).collect::<Vec<_>>().join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_redacted() {
        assert_eq!(redact_url("postgres://bob:s3cret@db:5432/cv"), "postgres://bob:***@db:5432/cv");
        assert_eq!(redact_url("redis://:pw@127.0.0.1/0"), "redis://:***@127.0.0.1/0");
        assert_eq!(redact_url("postgres://db/cv?password=x"), "postgres://db/cv?password=***");
        assert_eq!(redact_url("postgres://db/cv?pass%77ord=x&y"), "postgres://db/cv?***&***");
        assert_eq!(redact_url("sqlite://data/codeview.db"), "sqlite://data/codeview.db");
    }

    #[test]
    fn tls_settings_stay_visible_and_other_parameters_do_not() {
        assert_eq!(
            redact_url("postgres://bob:pw@db/cv?sslmode=verify-full&sslrootcert=/etc/ca.pem&sslpassword=k"),
            "postgres://bob:***@db/cv?sslmode=verify-full&sslrootcert=/etc/ca.pem&sslpassword=***"
        );
        assert_eq!(redact_url("smtp://u:p@mail:587?tls=required"), "smtp://u:***@mail:587?tls=required");
    }
}
