//! TLS to PostgreSQL, as managed databases require it: against a PostgreSQL of the test's own
//! that admits TLS connections only, with a certificate from the test's own CA, the store
//! connects with `sslmode=require` (encrypted, unverified) and `sslmode=verify-full` with
//! `sslrootcert` (verified, host name included), refuses a server its CA did not sign, and
//! is refused in the clear; `codeview serve` works on it end to end.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::tls_support::{Certificates, CodeviewProcess, TlsPostgres, free_port};

/// The error of connecting the store to `url`, with its causes.
async fn connect_error(url: &str) -> String {
    match codeview::db::connect(url).await {
        Ok(_) => panic!("connected to {url}, which must fail"),
        Err(err) => format!("{err:#}"),
    }
}

#[tokio::test]
async fn the_store_connects_over_tls_verifies_the_server_and_is_refused_in_the_clear() {
    let certs = Certificates::make();
    let postgres = TlsPostgres::start(&certs).await;
    let ca = certs.ca().display().to_string();

    // Encrypted if the server offers it, encrypted without verification, verified against our
    // CA (the chain only), then with the host name (`localhost`) too.
    for mode in ["sslmode=prefer", "sslmode=require", &format!("sslmode=verify-ca&sslrootcert={ca}")] {
        codeview::db::connect(&postgres.url(mode)).await.unwrap_or_else(|err| panic!("{mode}: {err:#}"));
    }
    let verified = postgres.url(&format!("sslmode=verify-full&sslrootcert={ca}"));
    codeview::db::connect(&verified).await.expect("verify-full with our CA connects (and migrates)");
    let pool = sqlx::PgPool::connect(&verified).await.unwrap();
    let ssl: bool =
        sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetch_one(&pool).await.unwrap();
    assert!(ssl, "the connection is encrypted");
    pool.close().await;

    // A CA that did not sign the server's certificate, or none (the system's store): refused.
    let other = certs.other_ca().display().to_string();
    let err = connect_error(&postgres.url(&format!("sslmode=verify-full&sslrootcert={other}"))).await;
    assert!(err.contains("certificate") || err.contains("UnknownIssuer"), "{err}");
    let err = connect_error(&postgres.url("sslmode=verify-full")).await;
    assert!(err.contains("certificate") || err.contains("UnknownIssuer"), "{err}");

    // The server admits TLS only (`hostssl`): a client in the clear is turned away.
    let err = connect_error(&postgres.url("sslmode=disable")).await;
    assert!(err.contains("no pg_hba.conf entry") && err.contains("no encryption"), "{err}");
}

#[tokio::test]
async fn codeview_serve_runs_on_postgres_over_verified_tls() {
    let certs = Certificates::make();
    let postgres = TlsPostgres::start(&certs).await;
    let database_url = postgres.url(&format!("sslmode=verify-full&sslrootcert={}", certs.ca().display()));
    let addr = format!("127.0.0.1:{}", free_port());
    let args = ["serve", "--addr", &addr, "--database-url", &database_url, "--run-workers", "0"];
    let mut server = CodeviewProcess::start(&args, crate::helpers::test_slot_uid_base() + 1400);
    let base = format!("http://{addr}");
    server.wait_until_healthy(&base).await;

    let client = Client::builder().cookie_store(true).build().unwrap();
    let ready: Value = client.get(format!("{base}/api/health/ready")).send().await.unwrap().json().await.unwrap();
    assert_eq!((ready["db"].as_str(), ready["backend"].as_str()), (Some("ok"), Some("postgres")), "{ready}");
    let body = json!({"email": "host@example.com", "name": "Host", "password": "correct horse battery staple"});
    let registered = client.post(format!("{base}/api/auth/register")).json(&body).send().await.unwrap();
    assert_eq!(registered.status(), StatusCode::CREATED, "writes reach the database over TLS");
    let me: Value = client.get(format!("{base}/api/auth/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["user"]["email"], "host@example.com", "{me}");
}
