//! The cgroup code against a fake cgroupfs (`fake`): detection of the hierarchy, the v2
//! subtree's set-up under the "no internal processes" rule, missing controllers, limits
//! written, measurements read (with and without `memory.peak`), OOM kills classified, kills
//! with and without `cgroup.kill`, and removal through EBUSY.

use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::ExitStatus;
use std::sync::Arc;
use std::time::Duration;

use super::fake::FakeKernel;
use super::fs::HostFs;
use super::{CgroupParent, CgroupSettings, CgroupVersion, Controller, detect};
use crate::limits::Limits;
use crate::outcome::{Status, TimeKind};
use crate::sandbox::isolation::{Isolation, Protection, assess};
use crate::sandbox::process::{Captured, Driven, Measured, classify};

const SERVICE: &str = "system.slice/codeview.service";
const ALL: &str = "cpuset cpu io memory hugetlb pids rdma misc";

/// A systemd host: the root hands memory, pids and cpu to its children, and the service
/// (Delegate=yes) holds the server (4242) and a helper it started (4243).
fn systemd_host() -> Arc<FakeKernel> {
    let k = FakeKernel::new(ALL, "cpu io memory pids");
    k.add_group("system.slice", &[]);
    k.put("system.slice", "cgroup.subtree_control", "cpu io memory pids");
    k.add_group(SERVICE, &[4242, 4243]);
    Arc::new(k)
}

fn open_own(k: &Arc<FakeKernel>, own: &str) -> Result<CgroupParent, String> {
    let own = format!("0::/{own}\n");
    let settings = CgroupSettings { root: k.root(), name: "codeview-runner-60000", v2_path: None };
    CgroupParent::open_on(k.clone(), settings, || Ok(own))
}

fn limits() -> Limits {
    Limits { memory_bytes: 256 << 20, processes: 64, ..Limits::run_default() }
}

#[test]
fn the_hierarchy_is_detected_and_a_hybrid_host_is_v1() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(detect(&HostFs, root), None, "an empty directory has no cgroups");
    std::fs::create_dir_all(root.join("memory")).unwrap();
    std::fs::write(root.join("memory/cgroup.procs"), "").unwrap();
    assert_eq!(detect(&HostFs, root), Some(CgroupVersion::V1));
    // Hybrid: the v1 controllers plus a unified mount (without the run controllers) below.
    std::fs::create_dir_all(root.join("unified")).unwrap();
    std::fs::write(root.join("unified/cgroup.controllers"), "hugetlb\n").unwrap();
    assert_eq!(detect(&HostFs, root), Some(CgroupVersion::V1));
    let k = FakeKernel::new(ALL, "");
    assert_eq!(detect(&k, k.root()), Some(CgroupVersion::V2));
}

#[test]
fn the_server_moves_into_a_leaf_before_its_group_hands_controllers_down() {
    let k = systemd_host();
    let parent = open_own(&k, SERVICE).expect("the delegated service group is usable");
    assert_eq!(parent.version(), CgroupVersion::V2);
    assert_eq!(parent.controllers(), &Controller::ALL);
    // "No internal processes": the service's processes now live in a leaf of their own.
    assert_eq!(k.get(SERVICE, "cgroup.procs"), "");
    assert_eq!(k.get(&format!("{SERVICE}/codeview-supervisor"), "cgroup.procs"), "4242\n4243\n");
    assert_eq!(k.get(SERVICE, "cgroup.subtree_control"), "memory pids cpu");
    let runs = format!("{SERVICE}/codeview-runner-60000");
    assert_eq!(k.get(&runs, "cgroup.subtree_control"), "memory pids cpu");

    // A second runner in the same process finds itself in the leaf and uses the same group.
    let again = open_own(&k, &format!("{SERVICE}/codeview-supervisor")).expect("reopened");
    assert_eq!(again.v2().unwrap().dir(), k.path(&runs));
}

#[test]
fn a_steps_group_gets_every_limit() {
    let k = systemd_host();
    let parent = open_own(&k, SERVICE).unwrap();
    let step = parent.create("p1-s0-step1", &limits()).unwrap();
    let g = format!("{SERVICE}/codeview-runner-60000/p1-s0-step1");
    assert_eq!(k.get(&g, "memory.max"), (256u64 << 20).to_string());
    assert_eq!(k.get(&g, "memory.swap.max"), "0");
    assert_eq!(k.get(&g, "pids.max"), "66");
    assert_eq!(k.get(&g, "cpu.max"), "100000 100000");
    assert_eq!(step.procs_files().unwrap().len(), 1, "one cgroup.procs to join on v2");
}

#[test]
fn a_configured_path_is_created_with_the_controllers_handed_down_to_it() {
    let k = Arc::new(FakeKernel::new(ALL, ""));
    let settings = CgroupSettings { root: k.root(), name: "runs", v2_path: Some(Path::new("/codeview/sandbox")) };
    let parent =
        CgroupParent::open_on(k.clone(), settings, || panic!("a configured path needs no /proc/self/cgroup")).unwrap();
    assert_eq!(parent.controllers(), &Controller::ALL);
    assert_eq!(k.get("", "cgroup.subtree_control"), "memory pids cpu");
    assert_eq!(k.get("codeview", "cgroup.subtree_control"), "memory pids cpu");
    assert_eq!(k.get("codeview/sandbox/runs", "cgroup.subtree_control"), "memory pids cpu");
    assert_eq!(k.get("", "cgroup.procs"), "1\n", "nothing moves out of the root");
}

#[test]
fn missing_controllers_are_named_and_the_rest_is_used() {
    // The service was given memory and pids, not cpu.
    let k = FakeKernel::new(ALL, "io memory pids");
    k.add_group("system.slice", &[]);
    k.put("system.slice", "cgroup.subtree_control", "memory pids");
    k.add_group(SERVICE, &[4242]);
    let k = Arc::new(k);
    let parent = open_own(&k, SERVICE).unwrap();
    assert_eq!(parent.controllers(), &[Controller::Memory, Controller::Pids]);
    let step = parent.create("p1-s0-step1", &limits()).unwrap();
    let g = format!("{SERVICE}/codeview-runner-60000/p1-s0-step1");
    assert!(!k.path(&g).join("cpu.max").exists());
    drop(step);

    let caps = assess(true, 0, 60_000, Ok(&parent));
    assert_eq!(caps.isolation(), Isolation::Degraded);
    let missing: Vec<Protection> = caps.missing.iter().map(|m| m.protection).collect();
    assert_eq!(missing, [Protection::CpuCgroup]);
    let remedy = &caps.missing[0].remedy;
    assert!(remedy.contains("not given the cpu controller") && remedy.contains("Delegate=yes"), "{remedy}");

    // A group given none of them cannot be used, and says so.
    let k = FakeKernel::new(ALL, "io");
    k.add_group(SERVICE, &[4242]);
    let err = open_own(&Arc::new(k), SERVICE).unwrap_err();
    assert!(err.contains("none of the memory, pids and cpu controllers"), "{err}");
}

#[test]
fn the_kernel_refuses_a_controller_the_group_was_not_given() {
    let k = FakeKernel::new(ALL, "memory pids");
    k.add_group("runs", &[]);
    let err = super::v2::enable_controllers(&k, &k.path("runs"), &Controller::ALL, false).unwrap_err();
    assert!(err.contains("+memory +pids +cpu") && err.contains("No such file"), "{err}");
    // A group that holds processes cannot hand controllers down until they move out.
    k.add_group("busy", &[7]);
    k.put("busy", "cgroup.controllers", "memory pids cpu");
    let err = super::v2::enable_controllers(&k, &k.path("busy"), &Controller::ALL, false).unwrap_err();
    assert!(err.contains("busy"), "{err}");
    super::v2::enable_controllers(&k, &k.path("busy"), &Controller::ALL, true).unwrap();
    assert_eq!(k.get("busy/codeview-supervisor", "cgroup.procs"), "7\n");
}

#[test]
fn measurements_are_read_and_an_oom_kill_is_a_memory_limit() {
    let k = systemd_host();
    let parent = open_own(&k, SERVICE).unwrap();
    let step = parent.create("p1-s0-step2", &limits()).unwrap();
    let g = format!("{SERVICE}/codeview-runner-60000/p1-s0-step2");
    k.put(&g, "cpu.stat", "usage_usec 1234567\nuser_usec 1000000\nsystem_usec 234567\n");
    k.put(&g, "memory.peak", &(7u64 << 20).to_string());
    assert_eq!(step.cpu_ms(), Some(1234));
    assert_eq!(step.memory_peak_kb(), Some(7 * 1024));
    assert_eq!(step.memory_limit_hit(), (false, false));

    k.put(&g, "memory.events", "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n");
    let (oom_killed, memory_limit_hit) = step.memory_limit_hit();
    assert!(oom_killed && memory_limit_hit);
    let driven = Driven {
        exit: Some(ExitStatus::from_raw(137 << 8)),
        stdout: Captured::default(),
        stderr: Captured::default(),
        wall: Duration::from_millis(30),
        killed: None,
        error: None,
    };
    let measured = Measured {
        cpu_ms: step.cpu_ms(),
        memory_kb: step.memory_peak_kb(),
        oom_killed,
        memory_limit_hit,
        program_started: Some(true),
    };
    let outcome = classify(driven, measured, &limits(), TimeKind::Cpu);
    assert_eq!(outcome.status, Status::MemoryLimit);
}

#[test]
fn without_memory_peak_the_peak_is_sampled_while_the_step_runs() {
    let k = Arc::new(FakeKernel::new(ALL, "cpu memory pids").old());
    k.add_group("codeview", &[4242]);
    let parent = open_own(&k, "codeview").unwrap();
    let step = parent.create("p1-s0-step3", &limits()).unwrap();
    let g = "codeview/codeview-runner-60000/p1-s0-step3";
    assert!(!k.path(g).join("memory.peak").exists());
    assert_eq!(step.memory_peak_kb(), None, "nothing sampled yet");
    k.put(g, "memory.current", &(5u64 << 20).to_string());
    step.cpu_ms(); // the driver's poll
    k.put(g, "memory.current", &(1u64 << 20).to_string());
    step.cpu_ms();
    assert_eq!(step.memory_peak_kb(), Some(5 * 1024));
}

#[tokio::test]
async fn a_group_is_killed_whole_and_removed_through_ebusy() {
    let k = systemd_host();
    let parent = open_own(&k, SERVICE).unwrap();
    let step = parent.create("p1-s0-step4", &limits()).unwrap();
    let g = format!("{SERVICE}/codeview-runner-60000/p1-s0-step4");
    k.put(&g, "cgroup.procs", "5001\n5002\n");
    k.busy_rmdir(&g, 3);
    step.remove().await.expect("removed after the kernel let go");
    assert!(!k.path(&g).exists());
    assert_eq!(k.rmdir_attempts(&g), 4, "three EBUSY answers, then success");
    let kills = k.group_kills();
    assert!(!kills.is_empty() && kills.iter().all(|d| *d == k.path(&g)), "cgroup.kill ended the group: {kills:?}");
    assert!(k.signalled().is_empty());
}

#[tokio::test]
async fn without_cgroup_kill_each_listed_process_is_sigkilled() {
    let k = Arc::new(FakeKernel::new(ALL, "cpu memory pids").old());
    k.add_group("codeview", &[4242]);
    let parent = open_own(&k, "codeview").unwrap();
    let step = parent.create("p1-s0-step5", &limits()).unwrap();
    let g = "codeview/codeview-runner-60000/p1-s0-step5";
    k.put(g, "cgroup.procs", "6001\n6002\n");
    step.kill_all();
    assert_eq!(k.signalled(), [6001, 6002]);
    step.remove().await.unwrap();
    assert!(!k.path(g).exists());
}

#[test]
fn groups_of_a_crashed_server_are_killed_and_removed_at_start() {
    let k = systemd_host();
    let parent = open_own(&k, SERVICE).unwrap();
    // pid 4194305 is above pid_max: never alive.
    let dead = format!("{SERVICE}/codeview-runner-60000/p4194305-s0-step9");
    k.add_group(&dead, &[7001]);
    let live = format!("{SERVICE}/codeview-runner-60000/p{}-s0-step1", std::process::id());
    k.add_group(&live, &[]);
    parent.remove_stale_children();
    assert!(!k.path(&dead).exists());
    assert!(k.path(&live).exists(), "a live process's group is left alone");
}

#[test]
fn isolation_is_full_only_with_every_protection() {
    let k = systemd_host();
    let parent = open_own(&k, SERVICE).unwrap();
    let caps = assess(true, 0, 60_000, Ok(&parent));
    assert_eq!(
        (caps.isolation(), caps.cgroups, caps.time_kind),
        (Isolation::Full, Some(CgroupVersion::V2), TimeKind::Cpu)
    );

    let caps = assess(true, 0, 60_000, Err("no cgroup filesystem at /tmp/x"));
    assert_eq!(caps.isolation(), Isolation::Degraded);
    let missing: Vec<Protection> = caps.missing.iter().map(|m| m.protection).collect();
    assert_eq!(missing, [Protection::MemoryCgroup, Protection::PidsCgroup, Protection::CpuCgroup]);
    assert!(caps.missing[0].remedy.contains("no memory cgroup (no cgroup filesystem at /tmp/x)"), "{caps}");
    assert_eq!(caps.time_kind, TimeKind::Wall);

    let caps = assess(false, 1000, 60_000, Err("ignored"));
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
    assert!(caps.to_string().contains("isolation=Degraded cgroups=none"), "{caps}");
}
