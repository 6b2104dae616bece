//! A dirty slot is never handed out: when a slot's uid owns a process that can be neither
//! killed nor reaped here (a zombie whose parent is someone else), jobs run on the other
//! slots, and the slot comes back into service once it is clean. (That a job's own leftovers
//! never reach the next job on its slot is `tests/jam.rs`.)

mod common;

use std::collections::BTreeSet;
use std::os::unix::process::CommandExt;
use std::time::{Duration, Instant};

use codeview_runner::{Language, RunnerConfig, Status};
use common::{assert_host_clean, assert_status, run};

/// Prints the uid the job runs as, holding its slot for a moment.
const WHOAMI: &str = "import os, time\nprint(os.getuid())\ntime.sleep(0.3)";

async fn uids_of_two_concurrent_jobs(r: &codeview_runner::Runner) -> BTreeSet<u32> {
    let jobs: Vec<_> = (0..2)
        .map(|_| {
            let r = r.clone();
            tokio::spawn(async move { run(&r, Language::Python, WHOAMI, "").await })
        })
        .collect();
    let mut uids = BTreeSet::new();
    for j in jobs {
        let o = j.await.unwrap();
        assert_status(&o, Status::Finished);
        uids.insert(o.cases[0].step.stdout.trim().parse::<u32>().unwrap());
    }
    uids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slot_whose_uid_owns_a_process_is_quarantined_until_clean() {
    let cfg = RunnerConfig { slots: 2, ..common::config(36, "quarantine") };
    let dirty_uid = cfg.slot_uid_base;

    // A root helper whose child, running as slot 0's uid, exits and is never waited for: a
    // process of that uid that the runner can neither kill nor reap (as a crashed server's
    // leftovers might be).
    let mut helper = std::process::Command::new("/usr/bin/python3")
        .args([
            "-c",
            &format!(
                "import os, time\nif os.fork() == 0:\n    os.setuid({dirty_uid})\n    os._exit(0)\ntime.sleep(60)"
            ),
        ])
        .process_group(0)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(3);
    while !common::slot_processes(&cfg).iter().any(|&(_, uid)| uid == dirty_uid) {
        assert!(Instant::now() < deadline, "the helper's zombie did not appear");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let r = codeview_runner::Runner::new(cfg.clone()).await.unwrap();

    // Jobs never run as the dirty uid.
    for _ in 0..3 {
        let o = run(&r, Language::Python, WHOAMI, "").await;
        assert_status(&o, Status::Finished);
        assert_eq!(o.cases[0].step.stdout.trim(), (dirty_uid + 1).to_string(), "{o:#?}");
    }

    // Once the zombie is gone (its parent dies; we, the subreaper, inherit and reap it), the
    // slot comes back: two jobs at once run as both uids.
    helper.kill().unwrap();
    helper.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let uids = uids_of_two_concurrent_jobs(&r).await;
        if uids == BTreeSet::from([dirty_uid, dirty_uid + 1]) {
            break;
        }
        assert!(Instant::now() < deadline, "slot 0 never came back: jobs ran as {uids:?}");
    }
    assert_host_clean(&cfg).await;
}
