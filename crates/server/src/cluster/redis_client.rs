//! The one place a Redis client is built (servers and workers alike): from `--redis-url`,
//! `redis://…` in the clear or `rediss://…` over TLS (rustls), trusting the system's CA store
//! or, with `--redis-ca-file`, only the certificates of that PEM file (a private CA, as
//! managed Redis services and self-hosted TLS use).

use std::path::Path;

use anyhow::Context;

/// The client of `--redis-url` and `--redis-ca-file`, or `None` without a URL.
pub fn from_flags(url: Option<&str>, ca_file: Option<&Path>) -> anyhow::Result<Option<redis::Client>> {
    match url {
        Some(url) => open(url, ca_file).map(Some),
        None if ca_file.is_some() => anyhow::bail!("--redis-ca-file is set but --redis-url is not"),
        None => Ok(None),
    }
}

/// Builds the client (no connection yet; each part opens its own from it).
pub fn open(url: &str, ca_file: Option<&Path>) -> anyhow::Result<redis::Client> {
    let Some(ca_file) = ca_file else {
        return redis::Client::open(url).context("parsing the Redis URL");
    };
    if !url.starts_with("rediss://") {
        anyhow::bail!("--redis-ca-file needs a TLS Redis URL (rediss://…)");
    }
    let root_cert =
        std::fs::read(ca_file).with_context(|| format!("reading the Redis CA file {}", ca_file.display()))?;
    if !String::from_utf8_lossy(&root_cert).contains("-----BEGIN CERTIFICATE-----") {
        anyhow::bail!("the Redis CA file {} holds no PEM certificate", ca_file.display());
    }
    let certificates = redis::TlsCertificates { client_tls: None, root_cert: Some(root_cert) };
    redis::Client::build_with_tls(url, certificates).context("parsing the Redis URL or its CA file")
}

/// The real Redis of the unit tests (`CODEVIEW_TEST_REDIS`, default 127.0.0.1:6379). When it
/// cannot be reached: `None` and a visible "SKIPPED: {what}" line, or a failure when
/// `CODEVIEW_REQUIRE_REDIS=1` (as in CI). Each test uses keys of its own.
#[cfg(test)]
pub async fn test_redis(what: &str) -> Option<redis::Client> {
    let url = std::env::var("CODEVIEW_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let client = redis::Client::open(url.as_str()).expect("a Redis URL");
    let ping =
        async { client.get_multiplexed_async_connection().await?.send_packed_command(&redis::cmd("PING")).await };
    match ping.await {
        Ok(_) => Some(client),
        Err(err) if !std::env::var("CODEVIEW_REQUIRE_REDIS").is_ok_and(|v| v == "1" || v == "true") => {
            eprintln!("SKIPPED: {what} — cannot reach {url} ({err})");
            None
        }
        Err(err) => panic!("Redis is required (CODEVIEW_REQUIRE_REDIS=1) but {url} failed: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_the_clear_and_over_tls_are_accepted() {
        assert!(open("redis://127.0.0.1:6379/0", None).is_ok());
        assert!(open("rediss://localhost:6380/0", None).is_ok());
        assert!(from_flags(None, None).unwrap().is_none());
        assert!(from_flags(None, Some(Path::new("ca.pem"))).is_err());
    }

    #[test]
    fn a_ca_file_needs_tls_and_a_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "nothing here").unwrap();
        let err = open("redis://127.0.0.1:6379", Some(&empty)).unwrap_err();
        assert!(err.to_string().contains("rediss://"), "{err}");
        let err = open("rediss://localhost:6380", Some(&empty)).unwrap_err();
        assert!(err.to_string().contains("no PEM certificate"), "{err}");
        let err = open("rediss://localhost:6380", Some(&dir.path().join("missing.pem"))).unwrap_err();
        assert!(err.to_string().contains("reading the Redis CA file"), "{err}");
    }
}
