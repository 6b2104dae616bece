//! Nobody can jam the sandbox: storms of runs that are cancelled at random moments (right
//! after they start, while bwrap sets up, while the program runs), that sleep past the wall
//! clock or fork children must leave no zombie child of this process and no process of a
//! slot uid (each would count against that uid's RLIMIT_NPROC until its runs fail), and every
//! language must still run on every slot afterwards. The storm is seeded (`JAM_SEED`) so a
//! failure can be replayed.

mod common;

use std::time::{Duration, Instant};

use codeview_runner::{Job, Language, Limits, Runner, RunnerConfig, Status};
use common::{assert_host_clean, assert_status, zombie_children};

const CYCLES: usize = 500;
const CLIENTS: usize = 8;
const SLOTS: usize = 3;

/// A small xorshift generator: replayable without a dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Programs of the storm: quick, sleeping past the wall clock, forking sleepers.
const STORM_PROGRAMS: &[&str] = &[
    "print('hi')",
    "import time\ntime.sleep(30)",
    "import os, time\nfor _ in range(3):\n    if os.fork() == 0:\n        time.sleep(30)\nprint('forked', flush=True)\ntime.sleep(30)",
];

/// When a client gives up on its run.
fn cancel_after(rng: &mut Rng) -> Option<Duration> {
    match rng.below(6) {
        // Dropped after its first poll: the slot is taken, bwrap may not even have started.
        0 => Some(Duration::ZERO),
        // While bwrap sets the sandbox up (before it reports the namespace init's pid).
        1 | 2 => Some(Duration::from_millis(rng.below(40))),
        3 | 4 => Some(Duration::from_millis(rng.below(400))),
        // Runs to the end (or to the wall clock).
        _ => None,
    }
}

async fn storm(runner: &Runner, seed: u64) {
    let limits = Limits { wall_ms: 300, cpu_ms: 1_000, ..Limits::run_default() };
    let per_client = CYCLES / CLIENTS + 1;
    let clients = (0..CLIENTS as u64).map(|c| {
        let runner = runner.clone();
        let limits = limits.clone();
        tokio::spawn(async move {
            let mut rng = Rng(seed.wrapping_mul(c + 1) | 1);
            let mut finished = 0;
            for _ in 0..per_client {
                let src = STORM_PROGRAMS[rng.below(STORM_PROGRAMS.len() as u64) as usize];
                let mut job = Job::run(Language::Python, src, Vec::new());
                job.limits = Some(limits.clone());
                let (tx, _rx) = tokio::sync::mpsc::channel(64);
                let run = runner.execute(job, tx);
                match cancel_after(&mut rng) {
                    Some(after) => {
                        if let Ok(outcome) = tokio::time::timeout(after, run).await {
                            assert_ne!(outcome.unwrap().status, Status::InternalError);
                            finished += 1;
                        }
                    }
                    None => {
                        let outcome = run.await.unwrap();
                        assert!(
                            matches!(outcome.status, Status::Finished | Status::TimeLimit),
                            "a storm run failed: {outcome:#?}"
                        );
                        finished += 1;
                    }
                }
            }
            finished
        })
    });
    let handles: Vec<_> = clients.collect();
    let mut finished = 0;
    for h in handles {
        finished += h.await.unwrap();
    }
    assert!(finished > CYCLES / 10, "most runs were cancelled, but some must have finished: {finished}");
}

/// Waits (a few seconds at most) until no child of this process is an unreaped zombie.
async fn assert_no_zombie_children() {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let zombies = zombie_children();
        if zombies.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "zombie children left: {zombies:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn hello(lang: Language) -> &'static str {
    match lang {
        Language::Python => "print('hello, world')",
        Language::JavaScript => "console.log('hello, world');",
        Language::TypeScript => "const s: string = 'hello, world';\nconsole.log(s);",
        Language::Java => {
            "public class Main { public static void main(String[] a) { System.out.println(\"hello, world\"); } }"
        }
        Language::C => "#include <stdio.h>\nint main(void) { puts(\"hello, world\"); return 0; }",
        Language::Cpp => "#include <iostream>\nint main() { std::cout << \"hello, world\\n\"; }",
        Language::Rust => "fn main() { println!(\"hello, world\"); }",
        Language::Go => "package main\nimport \"fmt\"\nfunc main() { fmt.Println(\"hello, world\") }",
        Language::Ruby => "puts 'hello, world'",
        Language::Php => "<?php\necho \"hello, world\\n\";",
        Language::CSharp => "class Program { static void Main() { System.Console.WriteLine(\"hello, world\"); } }",
        Language::Bash => "echo 'hello, world'",
        Language::Sql => ".headers off\n.mode list\nSELECT 'hello, world';",
    }
}

/// Every language on every slot: `SLOTS` jobs started together each hold a different slot.
async fn every_language_runs_on_every_slot(runner: &Runner) {
    for lang in Language::ALL {
        let jobs: Vec<_> = (0..SLOTS)
            .map(|_| {
                let runner = runner.clone();
                tokio::spawn(async move { common::run(&runner, lang, hello(lang), "").await })
            })
            .collect();
        for j in jobs {
            let o = j.await.unwrap();
            assert_status(&o, Status::Finished);
            assert_eq!(o.cases[0].step.stdout, "hello, world\n", "{lang}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_queue_cancel_and_timeout_storms_leave_no_process_behind() {
    let cfg = RunnerConfig { slots: SLOTS, ..common::config(30, "jam") };
    let runner = Runner::new(cfg.clone()).await.expect("the sandbox must start");
    let seed = std::env::var("JAM_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    eprintln!("jam storm seed: JAM_SEED={seed}");
    let start = Instant::now();
    storm(&runner, seed).await;
    eprintln!("{CYCLES} storm cycles took {:?}", start.elapsed());
    assert_no_zombie_children().await;
    assert_host_clean(&cfg).await;
    every_language_runs_on_every_slot(&runner).await;
    assert_no_zombie_children().await;
    assert_host_clean(&cfg).await;
}
