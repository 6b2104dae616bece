//! Sandbox benchmarks for `make bench`: the overhead of a sandboxed run over the same binary
//! run bare, a Python hello world's latency from `execute` to its first output byte,
//! sustained Python runs per second with every slot busy, and every language's hello world
//! (first output byte, compile included). Needs root, like production.
//!
//! `cargo run --release -p codeview-runner --example bench [-- ITERATIONS]`
//! (`CODEVIEW_SLOT_UID_BASE` picks its sandbox uids; 62000 by default)

use std::path::PathBuf;
use std::time::{Duration, Instant};

use codeview_runner::{Job, Language, RunEvent, Runner, RunnerConfig, Status};

const C_HELLO: &str = "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }";

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// CPU time (user + system) of this process and all its waited-for descendants.
fn cpu_time() -> Duration {
    use nix::sys::resource::{UsageWho, getrusage};
    let tv = |t: nix::sys::time::TimeVal| Duration::new(t.tv_sec() as u64, t.tv_usec() as u32 * 1000);
    [UsageWho::RUSAGE_SELF, UsageWho::RUSAGE_CHILDREN]
        .into_iter()
        .filter_map(|w| getrusage(w).ok())
        .map(|u| tv(u.user_time()) + tv(u.system_time()))
        .sum()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(40);
    // Its own uids (CODEVIEW_SLOT_UID_BASE, else 62000), cgroup and work root, so that a bench
    // never meets another runner's slots on the same machine.
    let base: u32 = std::env::var("CODEVIEW_SLOT_UID_BASE").ok().and_then(|v| v.parse().ok()).unwrap_or(62_000);
    let cfg = RunnerConfig {
        slots: 4,
        slot_uid_base: base,
        work_root: PathBuf::from(format!("/run/codeview-runner-bench-{base}")),
        cgroup_name: format!("codeview-runner-bench-{base}"),
        ..RunnerConfig::default()
    };
    let runner = Runner::new(cfg).await?;
    println!("{}", runner.capabilities());

    // 1. Sandbox overhead: the same C binary bare vs. one sandboxed case each.
    let dir = tempfile::tempdir()?;
    let src = dir.path().join("hello.c");
    let bin = dir.path().join("hello");
    std::fs::write(&src, C_HELLO)?;
    let st = std::process::Command::new("gcc").arg("-O2").arg("-o").arg(&bin).arg(&src).status()?;
    assert!(st.success(), "gcc failed");
    let mut bare = Vec::new();
    let cpu0 = cpu_time();
    for _ in 0..n {
        let t = Instant::now();
        let out = tokio::process::Command::new(&bin).output().await?;
        bare.push(t.elapsed());
        assert_eq!(out.stdout, b"hello\n");
    }
    let bare_cpu = (cpu_time() - cpu0) / n as u32;
    let cpu0 = cpu_time();
    let cases: Vec<(Vec<u8>, String)> = (0..n).map(|_| (Vec::new(), "hello".to_string())).collect();
    let (tx, mut rx) = tokio::sync::mpsc::channel(4096);
    let job = Job::test(Language::C, C_HELLO, cases);
    let r2 = runner.clone();
    let handle = tokio::spawn(async move { r2.execute(job, tx).await });
    let mut sandboxed = Vec::new();
    let mut started = None;
    while let Some(e) = rx.recv().await {
        match e {
            RunEvent::CaseStarted { .. } => started = Some(Instant::now()),
            RunEvent::CaseFinished { status, .. } => {
                assert_eq!(status, Status::Finished);
                sandboxed.push(started.take().expect("started").elapsed());
            }
            _ => {}
        }
    }
    let outcome = handle.await??;
    assert_eq!(outcome.all_passed, Some(true));
    // Includes the one compile; divided over the n runs it is small but not nothing.
    let sandbox_cpu = (cpu_time() - cpu0) / n as u32;
    let (bare50, sb50) = (percentile(&mut bare, 0.5), percentile(&mut sandboxed, 0.5));
    println!(
        "overhead: bare C hello p50 {:.1} ms, sandboxed p50 {:.1} ms (p90 {:.1} ms) => overhead p50 {:.1} ms (target <= 30)",
        ms(bare50),
        ms(sb50),
        ms(percentile(&mut sandboxed, 0.9)),
        ms(sb50.saturating_sub(bare50))
    );
    println!(
        "cpu per run (runner + bwrap + program, compile amortised): bare {:.1} ms, sandboxed {:.1} ms; load average {}",
        ms(bare_cpu),
        ms(sandbox_cpu),
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split(' ').take(3).collect::<Vec<_>>().join(" ")
    );

    // 2. Python hello world: execute() to the first output byte, one job at a time.
    let mut first_byte = Vec::new();
    let mut total = Vec::new();
    for _ in 0..n {
        let (tx, mut rx) = tokio::sync::mpsc::channel(64);
        let r2 = runner.clone();
        let t = Instant::now();
        let handle =
            tokio::spawn(async move { r2.execute(Job::run(Language::Python, "print('hello')", Vec::new()), tx).await });
        let mut first = None;
        while let Some(e) = rx.recv().await {
            if first.is_none() && matches!(e, RunEvent::Output { .. }) {
                first = Some(t.elapsed());
            }
        }
        let o = handle.await??;
        total.push(t.elapsed());
        assert_eq!(o.cases[0].step.stdout, "hello\n", "{o:#?}");
        first_byte.push(first.expect("output event"));
    }
    println!(
        "python hello: first output byte p50 {:.1} ms (p90 {:.1} ms, target <= 150), whole job p50 {:.1} ms",
        ms(percentile(&mut first_byte, 0.5)),
        ms(percentile(&mut first_byte, 0.9)),
        ms(percentile(&mut total, 0.5))
    );

    // 3. Sustained throughput: many Python jobs, every slot busy.
    let jobs = n * 3;
    let t = Instant::now();
    let handles: Vec<_> = (0..jobs)
        .map(|i| {
            let r2 = runner.clone();
            tokio::spawn(async move {
                let (tx, _rx) = tokio::sync::mpsc::channel(64);
                r2.execute(Job::run(Language::Python, format!("print({i})"), Vec::new()), tx).await
            })
        })
        .collect();
    for h in handles {
        let o = h.await??;
        assert_eq!(o.status, Status::Finished);
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "python throughput: {jobs} runs in {secs:.2} s = {:.1} runs/s on {} cores (target >= 20)",
        jobs as f64 / secs,
        std::thread::available_parallelism().map_or(0, |p| p.get())
    );

    // 4. Every language's hello world, one job at a time: execute() to the first output byte
    // (the compile step included) and the whole job.
    let per_language = (n / 4).max(5);
    for lang in Language::ALL {
        let mut first_byte = Vec::new();
        let mut total = Vec::new();
        for _ in 0..per_language {
            let (tx, mut rx) = tokio::sync::mpsc::channel(64);
            let r2 = runner.clone();
            let t = Instant::now();
            let handle =
                tokio::spawn(async move { r2.execute(Job::run(lang, hello_world(lang), Vec::new()), tx).await });
            let mut first = None;
            while let Some(e) = rx.recv().await {
                if first.is_none() && matches!(e, RunEvent::Output { case: Some(_), .. }) {
                    first = Some(t.elapsed());
                }
            }
            let o = handle.await??;
            total.push(t.elapsed());
            assert_eq!(o.cases[0].step.stdout, "hello\n", "{lang}: {o:#?}");
            first_byte.push(first.expect("output event"));
        }
        println!(
            "{:<10} hello: first output byte p50 {:.1} ms (p90 {:.1} ms), whole job p50 {:.1} ms ({per_language} runs)",
            lang.id(),
            ms(percentile(&mut first_byte, 0.5)),
            ms(percentile(&mut first_byte, 0.9)),
            ms(percentile(&mut total, 0.5))
        );
    }
    Ok(())
}

/// A program printing `hello` in `lang`.
fn hello_world(lang: Language) -> &'static str {
    match lang {
        Language::Python => "print('hello')",
        Language::JavaScript | Language::TypeScript => "console.log('hello');",
        Language::Java => {
            "public class Main { public static void main(String[] a) { System.out.println(\"hello\"); } }"
        }
        Language::C => C_HELLO,
        Language::Cpp => "#include <iostream>\nint main() { std::cout << \"hello\\n\"; }",
        Language::Rust => "fn main() { println!(\"hello\"); }",
        Language::Go => "package main\nimport \"fmt\"\nfunc main() { fmt.Println(\"hello\") }",
        Language::Ruby => "puts 'hello'",
        Language::Php => "<?php\necho \"hello\\n\";",
        Language::CSharp => "class Program { static void Main() { System.Console.WriteLine(\"hello\"); } }",
        Language::Bash => "echo hello",
        Language::Sql => ".headers off\n.mode list\nSELECT 'hello';",
    }
}
