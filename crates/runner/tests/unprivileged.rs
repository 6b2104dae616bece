//! The fallback for self-hosters without root: the same test binary is re-run as `nobody`
//! (uid 65534) and must still sandbox programs (namespaces, seccomp, rlimits), report the
//! degraded isolation and what is missing, and enforce time, memory and output limits.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use codeview_runner::{Isolation, Job, Language, Limits, Protection, Runner, RunnerConfig, Status, TimeKind};

#[test]
fn fallback_works_for_an_ordinary_user() {
    assert!(nix::unistd::geteuid().is_root(), "this test re-runs itself as nobody and needs root to do so");
    // The build lives under root's 0700 home: give nobody a copy it can execute.
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let exe = dir.path().join("unprivileged-test");
    std::fs::copy(std::env::current_exe().unwrap(), &exe).unwrap();
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(&exe)
        .args(["--exact", "as_nobody", "--ignored", "--nocapture", "--test-threads=1"])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("TMPDIR", "/tmp")
        .output()
        .expect("setpriv (util-linux) must be installed");
    let text = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && text.contains("1 passed"), "run as nobody failed:\n{text}");
}

/// Runs only when invoked by the test above, as uid 65534.
#[tokio::test]
#[ignore = "run by fallback_works_for_an_ordinary_user as nobody"]
async fn as_nobody() {
    assert_eq!(nix::unistd::geteuid().as_raw(), 65534);
    let runner = Runner::new(RunnerConfig::default()).await.expect("fallback sandbox starts");
    let caps = runner.capabilities();
    println!("{caps}");
    // Degraded, and it says exactly what is missing and how to get it.
    assert_eq!(caps.isolation(), Isolation::Degraded);
    let missing: Vec<Protection> = caps.missing.iter().map(|m| m.protection).collect();
    assert_eq!(
        missing,
        [
            Protection::SlotUids,
            Protection::MemoryCgroup,
            Protection::PidsCgroup,
            Protection::CpuCgroup,
            Protection::CappedTmpfs
        ]
    );
    assert!(caps.has(Protection::Seccomp) && caps.has(Protection::Namespaces));
    assert_eq!((caps.cgroups, caps.time_kind), (None, TimeKind::Wall));
    assert!(
        caps.missing
            .iter()
            .all(|m| m.remedy.contains("run the server as root") || m.remedy.contains("Run the server as root")),
        "{caps}"
    );

    let limits = Limits { cpu_ms: 1_000, wall_ms: 3_000, ..Limits::run_default() };
    let run = |src: &str| {
        let mut job = Job::run(Language::Python, src, b"x".to_vec());
        job.limits = Some(limits.clone());
        let runner = runner.clone();
        async move { common::exec(&runner, job).await.0 }
    };

    let o = run("import os, sys\nprint(os.getuid(), sys.stdin.read(), sorted(os.environ))").await;
    common::assert_status(&o, Status::Finished);
    assert_eq!(o.cases[0].step.stdout, "65534 x ['HOME', 'LANG', 'PATH', 'PWD', 'TMPDIR']\n");

    let o = run("while True:\n    pass").await;
    common::assert_status(&o, Status::TimeLimit);

    // RLIMIT_AS stops it, but only the program's own MemoryError says so, and a verdict never
    // comes from what a program prints: without cgroups this is a runtime error.
    let o = run("x = []\nwhile True:\n    x.append(bytearray(16 << 20))").await;
    common::assert_status(&o, Status::RuntimeError);
    assert!(o.cases[0].step.stderr.contains("MemoryError"), "{o:#?}");

    let o = run("while True:\n    print('y' * 1000)").await;
    common::assert_status(&o, Status::OutputLimit);

    let o = run("import socket\ntry:\n    socket.create_connection(('127.0.0.1', 5432), timeout=1)\n    print('CONNECTED')\nexcept OSError:\n    print('refused')").await;
    assert_eq!(o.cases[0].step.stdout, "refused\n");

    let o = run("open('/proc/sys/kernel/core_pattern', 'w').write('|/tmp/x')").await;
    common::assert_status(&o, Status::RuntimeError);

    // A compiled language works too (the compile step is sandboxed the same way).
    let mut job = Job::run(Language::C, "#include <stdio.h>\nint main(void) { puts(\"c ok\"); }", Vec::new());
    job.limits = Some(limits.clone());
    let o = common::exec(&runner, job).await.0;
    common::assert_status(&o, Status::Finished);
    assert_eq!(o.cases[0].step.stdout, "c ok\n");
}
