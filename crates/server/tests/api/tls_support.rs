//! What the TLS tests stand on: a certificate authority and a server certificate for
//! `localhost` made with the `openssl` CLI, a PostgreSQL of the test's own that accepts only
//! TLS (`hostssl`), a Redis of its own that speaks only TLS, and the `codeview` binary started
//! against them. Every server is stopped when its guard drops. A missing tool (`openssl`,
//! PostgreSQL's `initdb`, `redis-server`) fails the test: these tests never skip.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::{Client, StatusCode};

/// How long a server of the test may take to start.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A free loopback port (free when probed; the server binds it a moment later).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// Runs a command to its end, failing the test with its output if it fails.
fn run(command: &mut Command) {
    let output = command.output().unwrap_or_else(|err| panic!("starting {command:?}: {err}"));
    assert!(
        output.status.success(),
        "{command:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A CA, a server certificate it signed for `localhost` and 127.0.0.1, and an unrelated CA.
pub struct Certificates {
    pub dir: tempfile::TempDir,
}

impl Certificates {
    pub fn make() -> Certificates {
        let dir = tempfile::tempdir().expect("tempdir");
        let at = |name: &str| dir.path().join(name);
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        for (ca, name) in [("ca", "CodeView test CA"), ("other-ca", "Someone else's CA")] {
            run(Command::new("openssl")
                .args(["req", "-x509", "-days", "2", "-subj", &format!("/CN={name}")])
                .args(ec)
                .args(["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"])
                .arg("-keyout")
                .arg(at(&format!("{ca}.key")))
                .arg("-out")
                .arg(at(&format!("{ca}.pem"))));
        }
        run(Command::new("openssl")
            .args(["req", "-subj", "/CN=localhost"])
            .args(ec)
            .arg("-keyout")
            .arg(at("server.key"))
            .arg("-out")
            .arg(at("server.csr")));
        std::fs::write(
            at("server.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .expect("writing the extensions");
        run(Command::new("openssl")
            .args(["x509", "-req", "-days", "2", "-CAcreateserial"])
            .arg("-in")
            .arg(at("server.csr"))
            .arg("-CA")
            .arg(at("ca.pem"))
            .arg("-CAkey")
            .arg(at("ca.key"))
            .arg("-extfile")
            .arg(at("server.ext"))
            .arg("-out")
            .arg(at("server.pem")));
        Certificates { dir }
    }

    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    pub fn other_ca(&self) -> PathBuf {
        self.dir.path().join("other-ca.pem")
    }

    pub fn server_cert(&self) -> PathBuf {
        self.dir.path().join("server.pem")
    }

    pub fn server_key(&self) -> PathBuf {
        self.dir.path().join("server.key")
    }
}

/// The directory holding PostgreSQL's programs (`initdb`, `postgres`).
fn postgres_bin() -> PathBuf {
    let candidates = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|version| version.path().join("bin"))
        .chain([PathBuf::from("/usr/local/bin"), PathBuf::from("/usr/bin")]);
    let mut found: Vec<PathBuf> = candidates.filter(|bin| bin.join("initdb").exists()).collect();
    found.sort();
    found.pop().expect("PostgreSQL's initdb (e.g. /usr/lib/postgresql/15/bin) is needed by the TLS tests")
}

/// A PostgreSQL of the test's own on a loopback port, as the `postgres` user (it refuses to
/// run as root), with `ssl=on` and a `pg_hba.conf` that admits TLS connections only.
pub struct TlsPostgres {
    pub port: u16,
    child: Child,
    _dir: tempfile::TempDir,
}

impl TlsPostgres {
    pub async fn start(certs: &Certificates) -> TlsPostgres {
        let user = nix::unistd::User::from_name("postgres")
            .expect("reading the user database")
            .expect("PostgreSQL's `postgres` user is needed by the TLS tests");
        let owned = |path: &Path| {
            std::os::unix::fs::chown(path, Some(user.uid.as_raw()), Some(user.gid.as_raw())).expect("chown");
        };
        let dir = tempfile::tempdir().expect("tempdir");
        owned(dir.path());
        let (key, cert) = (dir.path().join("server.key"), dir.path().join("server.pem"));
        std::fs::copy(certs.server_key(), &key).expect("copying the key");
        std::fs::copy(certs.server_cert(), &cert).expect("copying the certificate");
        owned(&key);
        owned(&cert);
        std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).expect("chmod");
        let data = dir.path().join("data");
        let bin = postgres_bin();
        let as_postgres = |program: &str| {
            let mut command = Command::new(bin.join(program));
            std::os::unix::process::CommandExt::uid(&mut command, user.uid.as_raw());
            std::os::unix::process::CommandExt::gid(&mut command, user.gid.as_raw());
            command.current_dir(dir.path()).env("LC_ALL", "C.UTF-8");
            command
        };
        run(as_postgres("initdb").arg("-D").arg(&data).args(["-U", "postgres", "-A", "trust", "--no-sync"]));
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n",
        )
        .expect("writing pg_hba.conf");
        let port = free_port();
        let child = as_postgres("postgres")
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1,::1", "-c", "ssl=on", "-c", "fsync=off"])
            .arg("-k")
            .arg(dir.path())
            .arg("-c")
            .arg(format!("ssl_cert_file={}", cert.display()))
            .arg("-c")
            .arg(format!("ssl_key_file={}", key.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting postgres");
        let postgres = TlsPostgres { port, child, _dir: dir };
        postgres.wait_until_accepting().await;
        postgres
    }

    /// The URL of database `postgres` on this server, with `parameters` (e.g. `sslmode=require`).
    pub fn url(&self, parameters: &str) -> String {
        format!("postgres://postgres@localhost:{}/postgres?{parameters}", self.port)
    }

    async fn wait_until_accepting(&self) {
        let deadline = tokio::time::Instant::now() + START_TIMEOUT;
        loop {
            match sqlx::PgPool::connect(&self.url("sslmode=require")).await {
                Ok(pool) => return pool.close().await,
                Err(err) if tokio::time::Instant::now() > deadline => panic!("PostgreSQL did not start: {err}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
}

impl Drop for TlsPostgres {
    fn drop(&mut self) {
        // SIGINT: PostgreSQL's fast shutdown (its backends end with it).
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT);
        for _ in 0..100 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A Redis of the test's own that speaks TLS only (`--port 0 --tls-port N`).
pub struct TlsRedis {
    pub port: u16,
    child: Child,
}

impl TlsRedis {
    pub async fn start(certs: &Certificates) -> TlsRedis {
        let port = free_port();
        let child = Command::new("redis-server")
            .args(["--port", "0", "--tls-port", &port.to_string(), "--bind", "127.0.0.1", "-::1"])
            .args(["--save", "", "--appendonly", "no", "--tls-auth-clients", "no"])
            .arg("--tls-cert-file")
            .arg(certs.server_cert())
            .arg("--tls-key-file")
            .arg(certs.server_key())
            .arg("--tls-ca-cert-file")
            .arg(certs.ca())
            .stdout(Stdio::null())
            .spawn()
            .expect("starting redis-server (Debian's is built with TLS)");
        let redis = TlsRedis { port, child };
        let deadline = tokio::time::Instant::now() + START_TIMEOUT;
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(tokio::time::Instant::now() < deadline, "redis-server did not start on port {port}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        redis
    }

    /// `rediss://localhost:PORT` (TLS; the certificate names `localhost`).
    pub fn url(&self) -> String {
        format!("rediss://localhost:{}", self.port)
    }
}

impl Drop for TlsRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `codeview` binary as a child process, killed when dropped.
pub struct CodeviewProcess {
    pub child: tokio::process::Child,
}

impl CodeviewProcess {
    /// `codeview ARGS…` with the test's defaults (little logging, the sandbox uids of the test).
    pub fn start(args: &[&str], slot_uid_base: u32) -> CodeviewProcess {
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_codeview"))
            .args(args)
            .env("CODEVIEW_SLOT_UID_BASE", slot_uid_base.to_string())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("starting codeview");
        CodeviewProcess { child }
    }

    /// Waits until `GET base/api/health` answers 200.
    pub async fn wait_until_healthy(&mut self, base: &str) {
        let deadline = tokio::time::Instant::now() + START_TIMEOUT;
        let client = Client::new();
        while tokio::time::Instant::now() < deadline {
            if let Ok(Some(exit)) = self.child.try_wait() {
                panic!("codeview exited before it was healthy: {exit:?}");
            }
            if let Ok(response) = client.get(format!("{base}/api/health")).send().await
                && response.status() == StatusCode::OK
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("codeview did not become healthy at {base}");
    }

    /// Waits for the process to exit on its own and returns whether it succeeded and what
    /// it wrote to stderr.
    pub async fn exit(self) -> (bool, String) {
        let output = tokio::time::timeout(START_TIMEOUT, self.child.wait_with_output())
            .await
            .expect("codeview exits")
            .expect("waiting for codeview");
        (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
    }
}
