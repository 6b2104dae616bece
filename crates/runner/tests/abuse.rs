//! The abuse suite: hostile programs in the real sandbox. Each must be contained, reported
//! with the right status, and leave the host clean (no process of a slot uid, no cgroup, no
//! mount, no work dir). Each test has its own runner (own uids, cgroup and work root) so that
//! tests running in parallel cannot hide each other's leftovers.

mod common;

use std::time::{Duration, Instant};

use codeview_runner::{ExceededLimit, Job, Language, LimitKind, Limits, Outcome, Runner, RunnerConfig, Status};
use common::{assert_host_clean, assert_status, exec, run};

/// Run limits shortened so the suite stays quick; the defaults are exercised elsewhere.
fn quick_limits() -> Limits {
    Limits { cpu_ms: 1_000, wall_ms: 3_000, ..Limits::run_default() }
}

async fn run_limited(r: &Runner, lang: Language, src: &str, limits: Limits) -> Outcome {
    let mut job = Job::run(lang, src, Vec::new());
    job.limits = Some(limits);
    exec(r, job).await.0
}

async fn setup(id: u32, name: &str) -> (Runner, RunnerConfig) {
    common::runner(id, name).await
}

#[tokio::test]
async fn fork_bomb_is_contained_by_the_pids_cgroup() {
    let (r, cfg) = setup(2, "fork-bomb").await;
    let src = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass";
    let start = Instant::now();
    let o = run_limited(&r, Language::Python, src, quick_limits()).await;
    assert_status(&o, Status::TimeLimit);
    assert!(start.elapsed() < Duration::from_secs(8), "killed promptly");
    assert_host_clean(&cfg).await;
    // The host can still fork, and the next run works.
    let o = run(&r, Language::Python, "print('alive')", "").await;
    assert_eq!(o.cases[0].step.stdout, "alive\n");
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn c_fork_bomb_is_contained() {
    let (r, cfg) = setup(3, "c-fork-bomb").await;
    let src = "#include <unistd.h>\nint main(void) { for (;;) fork(); }";
    let o = run_limited(&r, Language::C, src, quick_limits()).await;
    assert_status(&o, Status::TimeLimit);
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn memory_bomb_is_a_memory_limit() {
    let (r, cfg) = setup(4, "memory-bomb").await;
    let src = "x = []\nwhile True:\n    x.append(bytearray(16 * 1024 * 1024))";
    let o = run_limited(&r, Language::Python, src, quick_limits()).await;
    assert_status(&o, Status::MemoryLimit);
    let mem = o.cases[0].step.memory_kb.unwrap();
    assert!((200 * 1024..=260 * 1024).contains(&mem), "peak memory near the 256 MB limit: {mem} kB");
    let memory = quick_limits().memory_bytes;
    assert_eq!(o.cases[0].step.limit, Some(ExceededLimit { kind: LimitKind::Memory, value: memory }));

    let c = "#include <stdlib.h>\n#include <string.h>\nint main(void) { for (;;) { char *p = malloc(1 << 24); if (p) memset(p, 1, 1 << 24); } }";
    let o = run_limited(&r, Language::C, c, quick_limits()).await;
    assert_status(&o, Status::MemoryLimit);
    assert_host_clean(&cfg).await;
}

/// The same bombs in each language added after the first eight, in that language's idiom.
struct Bombs {
    hello: &'static str,
    /// Makes processes until the pids cgroup refuses, and keeps trying.
    fork_bomb: &'static str,
    /// Allocates and touches 16 MB blocks forever.
    memory_bomb: &'static str,
}

fn bombs(lang: Language) -> Option<Bombs> {
    let b = |hello, fork_bomb, memory_bomb| Some(Bombs { hello, fork_bomb, memory_bomb });
    match lang {
        // Covered by the tests above (Python, C) and `managed_runtimes_running_out_of_memory`.
        Language::Python
        | Language::JavaScript
        | Language::TypeScript
        | Language::Java
        | Language::C
        | Language::Cpp
        | Language::Rust
        | Language::Go => None,
        // SQLite cannot start processes; its runaway queries are in `tests/sql.rs`.
        Language::Sql => None,
        Language::Ruby => {
            b("puts 'hello, world'", "loop { fork rescue nil }", "blocks = []\nloop { blocks << 'x' * (16 << 20) }")
        }
        Language::Php => b(
            "<?php\necho \"hello, world\\n\";",
            "<?php\nwhile (true) {\n    @pcntl_fork();\n}",
            "<?php\n$blocks = [];\nwhile (true) {\n    $blocks[] = str_repeat('x', 16 << 20);\n}",
        ),
        // Mono cannot fork: it starts processes (each a small `sleep`, so that the pids limit,
        // not the memory of 64 runtimes, is what stops it).
        Language::CSharp => b(
            "class Program { static void Main() { System.Console.WriteLine(\"hello, world\"); } }",
            "using System.Diagnostics;\nclass Program { static void Main() { while (true) { try { Process.Start(\"/usr/bin/sleep\", \"60\"); } catch { } } } }",
            "using System.Collections.Generic;\nclass Program { static void Main() { var blocks = new List<byte[]>(); while (true) { var b = new byte[1 << 24]; for (int i = 0; i < b.Length; i += 4096) b[i] = 1; blocks.Add(b); } } }",
        ),
        Language::Bash => b(
            "echo 'hello, world'",
            "bomb() { bomb | bomb & }\nwhile :; do bomb; done",
            "s=xxxxxxxxxxxxxxxx\nwhile :; do s=$s$s; done",
        ),
    }
}

/// An outcome in a few lines: a bomb's output can be a megabyte.
fn brief(o: &Outcome) -> String {
    let short = |s: &str| s.chars().take(300).collect::<String>();
    match o.cases.first() {
        Some(c) => format!(
            "{:?}, case {:?} exit {:?} signal {:?} {:?}, stderr {:?}",
            o.status,
            c.step.status,
            c.step.exit_code,
            c.step.signal,
            c.step.message,
            short(&c.step.stderr)
        ),
        None => format!("{:?}: {:?}", o.status, o.message.as_deref().map(short)),
    }
}

#[tokio::test]
async fn every_added_language_contains_its_fork_and_memory_bombs() {
    let (r, cfg) = setup(27, "language-bombs").await;
    for lang in Language::ALL {
        let Some(b) = bombs(lang) else { continue };
        let o = run(&r, lang, b.hello, "").await;
        assert_status(&o, Status::Finished);
        assert_eq!(o.cases[0].step.stdout, "hello, world\n", "{lang}");

        let start = Instant::now();
        let o = run_limited(&r, lang, b.fork_bomb, quick_limits()).await;
        assert_eq!(o.status, Status::TimeLimit, "{lang} fork bomb: {}", brief(&o));
        assert!(start.elapsed() < Duration::from_secs(10), "{lang}: killed promptly");
        assert_host_clean(&cfg).await;

        let o = run_limited(&r, lang, b.memory_bomb, Limits { wall_ms: 10_000, cpu_ms: 5_000, ..quick_limits() }).await;
        assert_eq!(o.status, Status::MemoryLimit, "{lang} memory bomb: {}", brief(&o));
        assert_host_clean(&cfg).await;

        // And the next run works.
        let o = run(&r, lang, b.hello, "").await;
        assert_eq!(o.cases[0].step.stdout, "hello, world\n", "{lang} after the bombs");
    }
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn busy_loop_is_a_time_limit_measured_in_cpu_time() {
    let (r, cfg) = setup(5, "busy-loop").await;
    // A generous wall clock: the CPU check must be what stops it, even on a loaded machine.
    let limits = Limits { wall_ms: 10_000, ..quick_limits() };
    let cpu_limit = limits.cpu_ms;
    let o = run_limited(&r, Language::Python, "while True:\n    pass", limits).await;
    assert_status(&o, Status::TimeLimit);
    let step = &o.cases[0].step;
    assert!(matches!(step.signal, Some(libc::SIGKILL | libc::SIGXCPU)), "{o:#?}");
    // Polled every 50 ms; RLIMIT_CPU (2 s here) is the backstop on a starved host.
    assert!(step.time_ms >= 1_000 && step.time_ms < 2_100, "CPU time near the 1 s limit: {}", step.time_ms);
    assert!(step.message.as_deref().unwrap().contains("CPU"), "{o:#?}");
    assert_eq!(step.limit, Some(ExceededLimit { kind: LimitKind::CpuTime, value: cpu_limit }));
    assert!(step.wall_ms < 9_000, "killed by the CPU check, before the wall clock");
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn endless_sleep_is_killed_by_the_wall_clock() {
    let (r, cfg) = setup(6, "sleep").await;
    let o = run_limited(&r, Language::Python, "import time\ntime.sleep(1000)", quick_limits()).await;
    assert_status(&o, Status::TimeLimit);
    let step = &o.cases[0].step;
    assert!(step.wall_ms >= 3_000 && step.wall_ms < 5_000, "wall {}", step.wall_ms);
    assert!(step.message.as_deref().unwrap().contains("wall-clock"));
    assert_eq!(step.limit, Some(ExceededLimit { kind: LimitKind::WallTime, value: quick_limits().wall_ms }));
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn output_flood_is_cut_at_the_limit() {
    let (r, cfg) = setup(7, "flood").await;
    let o = run_limited(&r, Language::Python, "while True:\n    print('x' * 1000)", quick_limits()).await;
    assert_status(&o, Status::OutputLimit);
    let step = &o.cases[0].step;
    assert!(step.stdout_truncated);
    assert_eq!(step.stdout.len(), 1024 * 1024);
    // stderr has its own budget.
    let o =
        run_limited(&r, Language::Python, "import sys\nwhile True:\n    sys.stderr.write('e' * 4096)", quick_limits())
            .await;
    assert_status(&o, Status::OutputLimit);
    assert!(o.cases[0].step.stderr_truncated);
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn huge_file_hits_the_file_size_limit() {
    let (r, cfg) = setup(8, "huge-file").await;
    let src = "#include <stdio.h>\n#include <string.h>\nint main(void) { static char buf[1 << 20]; memset(buf, 'a', sizeof buf); FILE *f = fopen(\"/tmp/big\", \"w\"); for (int i = 0; i < 100; i++) fwrite(buf, 1, sizeof buf, f); fclose(f); puts(\"wrote it all\"); }";
    let o = run_limited(&r, Language::C, src, quick_limits()).await;
    assert_status(&o, Status::OutputLimit);
    assert_eq!(o.cases[0].step.signal, Some(libc::SIGXFSZ));
    assert!(!o.cases[0].step.stdout.contains("wrote it all"));
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn tmp_is_size_and_inode_capped() {
    let (r, cfg) = setup(9, "disk").await;
    // Many 8 MB files (each under the file-size limit) fill the 32 MB tmpfs.
    let fill = "import errno\nn = 0\ntry:\n    while True:\n        with open(f'/tmp/f{n}', 'wb') as f:\n            f.write(b'a' * (8 << 20))\n        n += 1\nexcept OSError as e:\n    print('full after', n, errno.errorcode[e.errno])";
    let o = run_limited(&r, Language::Python, fill, quick_limits()).await;
    assert_status(&o, Status::Finished);
    assert!(o.cases[0].step.stdout.contains("ENOSPC"), "{o:#?}");
    let inodes = "import errno\nn = 0\ntry:\n    while True:\n        open(f'/tmp/{n}', 'w').close()\n        n += 1\nexcept OSError as e:\n    print(n, errno.errorcode[e.errno])";
    let o = run_limited(&r, Language::Python, inodes, quick_limits()).await;
    assert_status(&o, Status::Finished);
    let out = &o.cases[0].step.stdout;
    let n: u64 = out.split_whitespace().next().unwrap().parse().unwrap();
    assert!(n < 2_048 && out.contains("ENOSPC"), "inode cap: {out}");
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn network_is_unreachable_including_local_services() {
    let (r, cfg) = setup(10, "network").await;
    // The services really listen on the host, so a failure inside means isolation.
    for port in [5432, 6379] {
        assert!(
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok(),
            "precondition: 127.0.0.1:{port} should accept connections on the host (PostgreSQL/Redis)"
        );
    }
    let src = r#"
import socket
for host, port in [("127.0.0.1", 5432), ("127.0.0.1", 6379), ("1.1.1.1", 80), ("10.0.0.1", 80)]:
    try:
        s = socket.create_connection((host, port), timeout=1)
        print("CONNECTED", host, port)
    except OSError as e:
        print("refused", host, port, type(e).__name__)
try:
    socket.getaddrinfo("deb.debian.org", 80)
    print("RESOLVED")
except OSError:
    print("no dns")
import os
print("interfaces", os.listdir("/sys/class/net") if os.path.exists("/sys/class/net") else "no sysfs")
"#;
    let o = run(&r, Language::Python, src, "").await;
    assert_status(&o, Status::Finished);
    let out = &o.cases[0].step.stdout;
    assert!(!out.contains("CONNECTED") && !out.contains("RESOLVED"), "{out}");
    assert_eq!(out.matches("refused").count(), 4, "{out}");
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn secrets_of_the_server_are_invisible() {
    let (r, cfg) = setup(11, "secrets").await;
    // cargo sets these in this (the "server's") environment.
    assert!(std::env::var("CARGO_MANIFEST_DIR").is_ok());
    let src = r#"
import os
print(sorted(os.environ.items()))
pids = [p for p in os.listdir("/proc") if p.isdigit()]
print("pids", len(pids), max(map(int, pids)))
print("usr/local", os.listdir("/usr/local"))
for path in ["/proc/1/environ", "/etc/shadow", "/etc/passwd", "/root", "/home", "/run", "/var/lib/postgresql", "/sys/fs/cgroup"]:
    try:
        with open(path, "rb") as f:
            print("READ", path, f.read()[:80])
    except OSError as e:
        print("no", path, type(e).__name__)
"#;
    let o = run(&r, Language::Python, src, "").await;
    assert_status(&o, Status::Finished);
    let out = &o.cases[0].step.stdout;
    let env_line = out.lines().next().unwrap();
    assert_eq!(
        env_line,
        "[('HOME', '/tmp'), ('LANG', 'C.UTF-8'), ('PATH', '/usr/bin:/bin'), ('PWD', '/work'), ('TMPDIR', '/tmp')]",
        "only the minimal environment"
    );
    assert!(!out.contains("CARGO"), "{out}");
    let pids_line = out.lines().find(|l| l.starts_with("pids")).unwrap();
    let max_pid: u32 = pids_line.split_whitespace().nth(2).unwrap().parse().unwrap();
    assert!(max_pid < 10, "only the sandbox's own processes are visible: {pids_line}");
    // /proc/1 is bwrap's init with an empty environment; nothing else is readable.
    assert!(!out.contains("READ /etc") && !out.contains("READ /root") && !out.contains("READ /sys"), "{out}");
    assert!(out.contains("READ /proc/1/environ b''"), "{out}");
    assert!(out.contains("usr/local []"), "the host's /usr/local is hidden: {out}");
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn concurrent_runs_cannot_see_each_others_files() {
    let (r, cfg) = setup(12, "neighbours").await;
    let writer =
        "import time\nopen('/tmp/secret.txt', 'w').write('TOPSECRET-A')\nprint('written', flush=True)\ntime.sleep(1.5)";
    let reader = r#"
import os, time
time.sleep(0.5)
found = []
for root, dirs, files in os.walk("/"):
    if root.startswith(("/proc", "/usr", "/dev")):
        dirs[:] = []
        continue
    for name in files:
        try:
            if b"TOP" + b"SECRET" in open(os.path.join(root, name), "rb").read():
                found.append(os.path.join(root, name))
        except OSError:
            pass
print("found", found)
"#;
    let (a, b) = tokio::join!(run(&r, Language::Python, writer, ""), run(&r, Language::Python, reader, ""));
    assert_status(&a, Status::Finished);
    assert_status(&b, Status::Finished);
    assert_eq!(b.cases[0].step.stdout, "found []\n");
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn nothing_outside_tmp_is_writable() {
    let (r, cfg) = setup(13, "writes").await;
    let before = std::fs::read_to_string("/proc/sys/kernel/core_pattern").unwrap();
    let src = r#"
for path in ["/proc/sys/kernel/core_pattern", "/proc/sysrq-trigger", "/usr/evil", "/etc/evil", "/evil", "/work/evil", "/dev/evil", "/work/main.py"]:
    try:
        with open(path, "w") as f:
            f.write("|/tmp/pwn")
        print("WROTE", path)
    except OSError as e:
        print("denied", path)
open("/tmp/ok", "w").write("fine")
print("tmp ok")
"#;
    let o = run(&r, Language::Python, src, "").await;
    assert_status(&o, Status::Finished);
    let out = &o.cases[0].step.stdout;
    assert!(!out.contains("WROTE"), "{out}");
    assert!(out.contains("tmp ok"));
    assert_eq!(std::fs::read_to_string("/proc/sys/kernel/core_pattern").unwrap(), before);
    assert!(!std::path::Path::new("/usr/evil").exists() && !std::path::Path::new("/evil").exists());
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn nested_namespaces_mounts_and_ptrace_are_refused() {
    let (r, cfg) = setup(14, "namespaces").await;
    let src = r#"
import subprocess, ctypes, os
for cmd in [["unshare", "-U", "true"], ["unshare", "-r", "id"], ["unshare", "-m", "true"], ["unshare", "-n", "true"],
            ["mount", "-t", "tmpfs", "none", "/tmp"], ["su", "-c", "id"]]:
    r = subprocess.run(cmd, capture_output=True)
    print("ok" if r.returncode == 0 else "refused", " ".join(cmd))
libc = ctypes.CDLL(None, use_errno=True)
# unshare, setns, keyctl, bpf, ptrace(ATTACH, 1), perf_event_open, io_uring_setup, userfaultfd,
# and clone(CLONE_NEWUSER) directly.
for name, nr, args in [("unshare", 272, (0x10000000,)), ("setns", 308, (0, 0)), ("keyctl", 250, (0, 0)),
                       ("bpf", 321, (0, 0, 0)), ("ptrace", 101, (16, 1, 0, 0)), ("perf_event_open", 298, (0, 0, -1, -1, 0)),
                       ("io_uring_setup", 425, (1, 0)), ("userfaultfd", 323, (0,)), ("clone", 56, (0x10000000 | 17, 0, 0, 0, 0))]:
    rc = libc.syscall(nr, *args)
    if rc == 0 and name == "clone":
        os._exit(0)
    print("ok" if rc >= 0 else "refused", name, os.strerror(ctypes.get_errno()))
print("threads still work:", __import__("threading").Thread(target=lambda: None).start() is None)
"#;
    let o = run(&r, Language::Python, src, "").await;
    assert_status(&o, Status::Finished);
    let out = &o.cases[0].step.stdout;
    assert!(!out.lines().any(|l| l.starts_with("ok")), "{out}");
    assert_eq!(out.matches("refused").count(), 15, "{out}");
    assert!(out.contains("refused unshare Operation not permitted"), "{out}");
    assert!(out.contains("threads still work: True"));
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn setuid_binaries_and_privileges_do_not_help() {
    let (r, cfg) = setup(15, "setuid").await;
    let src = r#"
import os, subprocess
print("uid", os.getuid(), os.geteuid())
status = open("/proc/self/status").read()
for key in ["NoNewPrivs", "CapEff", "CapPrm", "CapBnd", "Seccomp"]:
    print(key, [l.split()[1] for l in status.splitlines() if l.startswith(key + ":")][0])
for call in [lambda: os.setuid(0), lambda: os.setgid(0), lambda: os.chown("/tmp", 0, 0)]:
    try:
        call(); print("GAINED")
    except OSError:
        print("denied")
r = subprocess.run(["passwd", "--status"], capture_output=True)
print("passwd rc", r.returncode)
"#;
    let o = run(&r, Language::Python, src, "").await;
    assert_status(&o, Status::Finished);
    let out = &o.cases[0].step.stdout;
    let uid_line = out.lines().next().unwrap();
    assert_ne!(uid_line, "uid 0 0", "the program must not be root in its namespace");
    assert!(out.contains("NoNewPrivs 1"), "{out}");
    assert!(out.contains("CapEff 0000000000000000"), "{out}");
    assert!(out.contains("CapBnd 0000000000000000"), "{out}");
    assert!(out.contains("Seccomp 2"), "{out}");
    assert!(!out.contains("GAINED"), "{out}");
    assert!(!out.contains("passwd rc 0"), "{out}");
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn planted_symlinks_are_never_followed_by_the_runner() {
    let (r, cfg) = setup(16, "symlinks").await;
    let shadow_before = std::fs::read("/etc/shadow").unwrap();
    // The program plants links everywhere it can, with the names a naive runner would read
    // back (output files) or clean up (the work dir itself).
    let src = r#"
import os
for name in ["stdout", "stderr", "output.txt", "main", "a.out", "x"]:
    os.symlink("/etc/shadow", "/tmp/" + name)
os.symlink("/", "/tmp/root")
os.symlink("/etc", "/tmp/etc")
print("planted", len(os.listdir("/tmp")))
"#;
    let o = run(&r, Language::Python, src, "").await;
    assert_status(&o, Status::Finished);
    assert_eq!(o.cases[0].step.stdout, "planted 8\n");
    assert!(!o.cases[0].step.stdout.contains("root:"));
    // The compile step can write the work dir: links planted there by a compiled program's
    // build are left behind just as harmlessly.
    let c = "#include <stdio.h>\n#include <unistd.h>\nint main(void) { printf(\"%d\\n\", symlink(\"/etc/shadow\", \"/work/out\")); }";
    let o = run(&r, Language::C, c, "").await;
    assert_status(&o, Status::Finished);
    assert_eq!(o.cases[0].step.stdout, "-1\n", "the work dir is read-only while the program runs");
    assert_host_clean(&cfg).await;
    assert_eq!(std::fs::read("/etc/shadow").unwrap(), shadow_before);
    assert!(std::path::Path::new("/etc/passwd").exists());
}

#[tokio::test]
async fn background_processes_do_not_outlive_the_run() {
    let (r, cfg) = setup(17, "background").await;
    let src = r#"
import os, sys, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        # Daemonised grandchild: closes the pipes, then tries to live on.
        devnull = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        time.sleep(60)
    os._exit(0)
print("parent exits")
"#;
    let start = Instant::now();
    let o = run(&r, Language::Python, src, "").await;
    assert_status(&o, Status::Finished);
    assert_eq!(o.cases[0].step.stdout, "parent exits\n");
    assert!(start.elapsed() < Duration::from_secs(3), "the run does not wait for the daemon");
    assert_host_clean(&cfg).await;

    // A child that keeps stdout open is killed with the namespace too.
    let holder = "import os, time\nif os.fork() == 0:\n    time.sleep(60)\nprint('bye')";
    let o = run(&r, Language::Python, holder, "").await;
    assert_status(&o, Status::Finished);
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn many_runs_at_once_share_the_slots() {
    let (r, cfg) = setup(18, "many").await;
    let jobs = (0..16).map(|i| {
        let r = r.clone();
        async move {
            let src = format!("import sys\nprint({i} * int(sys.stdin.read()))");
            run(&r, Language::Python, &src, "3").await
        }
    });
    let outcomes = futures_join_all(jobs).await;
    for (i, o) in outcomes.iter().enumerate() {
        assert_status(o, Status::Finished);
        assert_eq!(o.cases[0].step.stdout, format!("{}\n", i * 3));
    }
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn cancelling_a_job_kills_and_cleans_up() {
    let (r, cfg) = setup(19, "cancel").await;
    let fut = run(&r, Language::Python, "import time\nprint('started', flush=True)\ntime.sleep(60)", "");
    let res = tokio::time::timeout(Duration::from_millis(800), fut).await;
    assert!(res.is_err(), "the job was still running");
    assert_host_clean(&cfg).await;
}

/// `join_all` without pulling in the futures crate: spawn each, then await in order.
async fn futures_join_all<F>(futs: impl Iterator<Item = F>) -> Vec<Outcome>
where
    F: std::future::Future<Output = Outcome> + Send + 'static,
{
    let handles: Vec<_> = futs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn inherited_file_descriptors_do_not_leak_into_the_sandbox() {
    let (r, cfg) = setup(20, "fds").await;
    // A descriptor without CLOEXEC in the server (as a C library might leave one).
    let f = std::fs::File::open("/etc/hostname").unwrap();
    let leaked = nix::unistd::dup(&f).unwrap();
    let src = "import os\nprint(sorted(int(x) for x in os.listdir('/proc/self/fd')))";
    let o = run(&r, Language::Python, src, "").await;
    assert_status(&o, Status::Finished);
    // 0-2 plus the fd listdir itself holds.
    assert_eq!(o.cases[0].step.stdout, "[0, 1, 2, 3]\n", "leaked fd {leaked:?}");
    drop(leaked);
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn compiler_bombs_are_contained_as_compile_errors() {
    let (r, cfg) = setup(21, "compile-bomb").await;
    // cc1 reads an endless file: the compile step's own memory/time limits stop it.
    let o = run(&r, Language::C, "#include \"/dev/zero\"\nint main(void) { return 0; }", "").await;
    assert_status(&o, Status::CompileError);
    let compile = o.compile.as_ref().unwrap();
    assert!(matches!(compile.status, Status::MemoryLimit | Status::TimeLimit | Status::OutputLimit), "{o:#?}");
    assert!(o.message.as_deref().unwrap().contains("exceeded"), "{o:#?}");
    assert!(o.cases.is_empty());
    // Reading host files through the compiler finds nothing: they are not in the sandbox.
    let o = run(&r, Language::C, "#include \"/etc/shadow\"\nint main(void) { return 0; }", "").await;
    assert_status(&o, Status::CompileError);
    assert!(o.message.as_deref().unwrap().contains("No such file"), "{o:#?}");
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn managed_runtimes_running_out_of_memory_are_memory_limits() {
    let (r, cfg) = setup(22, "runtime-oom").await;
    let programs = [
        (
            Language::Java,
            "import java.util.*;\npublic class Main { public static void main(String[] a) { List<long[]> l = new ArrayList<>(); while (true) l.add(new long[1 << 20]); } }",
        ),
        (Language::JavaScript, "const a = [];\nwhile (true) a.push(new Array(1 << 20).fill(1.5));"),
        (
            Language::Go,
            "package main\nfunc main() { var s [][]byte; for { b := make([]byte, 1<<24); for i := range b { b[i] = 1 }; s = append(s, b) } }",
        ),
    ];
    for (lang, src) in programs {
        let o = run_limited(&r, lang, src, Limits { wall_ms: 10_000, cpu_ms: 5_000, ..quick_limits() }).await;
        assert_status(&o, Status::MemoryLimit);
    }
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn leftovers_of_a_crashed_server_are_removed_at_start_up() {
    let cfg = common::config(23, "crashed");
    // What a server with pid 4194305 (above pid_max: never alive) would leave mid-run.
    let dead = "p4194305-s0";
    let mount = cfg.work_root.join(format!("{dead}-job7"));
    std::fs::create_dir_all(&mount).unwrap();
    let st = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&mount)
        .status()
        .unwrap();
    assert!(st.success());
    let mut orphan = std::process::Command::new("sleep").arg("60").spawn().unwrap();
    for c in ["memory", "pids", "cpu", "cpuacct"] {
        let g = cfg.cgroup_root.join(c).join(&cfg.cgroup_name).join(format!("{dead}-step9"));
        std::fs::create_dir_all(&g).unwrap();
        std::fs::write(g.join("cgroup.procs"), orphan.id().to_string()).unwrap();
    }
    assert!(!common::leftover_cgroups(&cfg).is_empty());

    let r = Runner::new(cfg.clone()).await.unwrap();
    // The orphan was killed with its group, the mount and dirs are gone, and runs still work.
    let deadline = Instant::now() + Duration::from_secs(3);
    while orphan.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "orphan still alive");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_host_clean(&cfg).await;
    let o = run(&r, Language::Python, "print('fresh')", "").await;
    assert_eq!(o.cases[0].step.stdout, "fresh\n");
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn many_runs_on_one_uid_leave_no_zombies() {
    // One slot: every run uses the same uid, so zombies would pile up against RLIMIT_NPROC
    // (bwrap leaves its namespace init for its parent's parent to reap).
    let cfg = RunnerConfig { slots: 1, ..common::config(24, "zombies") };
    let r = Runner::new(cfg.clone()).await.unwrap();
    for i in 0..100 {
        let o = run(&r, Language::Python, "pass", "").await;
        assert_status(&o, Status::Finished);
        let zombies: Vec<_> = common::slot_processes(&cfg);
        assert!(zombies.is_empty(), "run {i} left {zombies:?}");
    }
    assert_host_clean(&cfg).await;
}
