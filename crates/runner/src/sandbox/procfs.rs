//! What `/proc` says about processes, for the reaper and the slot check: this process's
//! children, and every process whose real uid is a slot's. Signals go through a pidfd opened
//! before the uid is checked, so a pid reused in between is never hit.

use std::fs;
use std::os::fd::{FromRawFd, OwnedFd};

/// The fields of `/proc/<pid>/status` the sandbox cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ProcStatus {
    pub ppid: i32,
    pub real_uid: u32,
    pub zombie: bool,
    /// How many pid namespaces deep the process is seen from ours (1: our own namespace).
    /// A sandbox's namespace init is 2.
    pub pid_ns_depth: usize,
}

/// Parses `/proc/<pid>/status`; `None` once the process is gone (fully reaped).
pub(crate) fn status(pid: i32) -> Option<ProcStatus> {
    parse_status(&fs::read_to_string(format!("/proc/{pid}/status")).ok()?)
}

fn parse_status(text: &str) -> Option<ProcStatus> {
    let field = |name: &str| text.lines().find_map(|l| l.strip_prefix(name)).map(str::trim);
    Some(ProcStatus {
        ppid: field("PPid:")?.parse().ok()?,
        real_uid: field("Uid:")?.split_whitespace().next()?.parse().ok()?,
        zombie: field("State:")?.starts_with('Z'),
        pid_ns_depth: field("NSpid:").map_or(1, |p| p.split_whitespace().count()),
    })
}

/// Pids of this process's children (of any of its threads). Uses the `children` files of
/// each task, falling back to a scan of `/proc` for kernels built without them.
pub(crate) fn children() -> Vec<i32> {
    let mut pids = Vec::new();
    let mut listed = false;
    if let Ok(tasks) = fs::read_dir("/proc/self/task") {
        for t in tasks.flatten() {
            if let Ok(text) = fs::read_to_string(t.path().join("children")) {
                listed = true;
                pids.extend(text.split_whitespace().filter_map(|p| p.parse::<i32>().ok()));
            }
        }
    }
    if !listed {
        let me = std::process::id() as i32;
        pids = all_statuses().filter(|(_, s)| s.ppid == me).map(|(pid, _)| pid).collect();
    }
    pids.sort_unstable();
    pids.dedup();
    pids
}

fn all_pids() -> impl Iterator<Item = i32> {
    fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()))
}

/// Every process (zombies included) whose real uid is `uid`.
pub(crate) fn processes_of_uid(uid: u32) -> Vec<i32> {
    all_statuses().filter(|(_, s)| s.real_uid == uid).map(|(pid, _)| pid).collect()
}

/// Every process's status, as `(pid, status)`.
pub(crate) fn all_statuses() -> impl Iterator<Item = (i32, ProcStatus)> {
    all_pids().filter_map(|pid| status(pid).map(|s| (pid, s)))
}

/// SIGKILLs `pid` if it still belongs to `uid`. The pidfd pins the process, so the uid check
/// and the signal are about the same one even if the pid is reused meanwhile.
pub(crate) fn kill_if_owned_by(pid: i32, uid: u32) {
    let Some(pidfd) = pidfd_open(pid) else {
        return;
    };
    if status(pid).is_some_and(|s| s.real_uid == uid && !s.zombie) {
        // SAFETY: a raw syscall on a pidfd we own; the null siginfo is allowed.
        #[allow(unsafe_code)]
        unsafe {
            use std::os::fd::AsRawFd;
            libc::syscall(libc::SYS_pidfd_send_signal, pidfd.as_raw_fd(), libc::SIGKILL, std::ptr::null::<u8>(), 0);
        }
    }
}

/// A pidfd for `pid` (Linux 5.3+): readable once the process has exited.
pub(crate) fn pidfd_open(pid: i32) -> Option<OwnedFd> {
    // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor we then own.
    #[allow(unsafe_code)]
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if fd < 0 {
        return None;
    }
    // SAFETY: the kernel just returned this descriptor; nothing else owns it.
    #[allow(unsafe_code)]
    Some(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_are_parsed_including_nested_pid_namespaces() {
        let text = "Name:\tbwrap\nState:\tZ (zombie)\nPPid:\t77\nUid:\t60001\t60001\t60001\t60001\nNSpid:\t4242\t1\n";
        assert_eq!(parse_status(text), Some(ProcStatus { ppid: 77, real_uid: 60001, zombie: true, pid_ns_depth: 2 }));
    }

    #[test]
    fn this_process_is_seen_and_its_children_are_listed() {
        let me = status(std::process::id() as i32).unwrap();
        assert!(!me.zombie);
        let mut child = std::process::Command::new("sleep").arg("5").spawn().unwrap();
        assert!(children().contains(&(child.id() as i32)));
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
