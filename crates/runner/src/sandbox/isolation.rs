//! What the sandbox actually has on this host, and the isolation level that follows: `full`
//! only when every protection is in force, otherwise `degraded` with the list of what is
//! missing, each in words an operator can act on. One fact, [`SandboxCapabilities::missing`];
//! the level is computed from it, never stored beside it.

use serde::{Deserialize, Serialize};

use super::cgroup::{CgroupParent, CgroupVersion, Controller};
use crate::outcome::TimeKind;

/// How strongly runs are isolated on this host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Isolation {
    /// Every [`Protection`] is in force.
    Full,
    /// Some protection is missing (see [`SandboxCapabilities::missing`]).
    Degraded,
}

/// One protection of the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Protection {
    /// Each concurrent slot runs as its own unprivileged uid, never as the server's user.
    SlotUids,
    /// New user, pid, network, ipc, uts (and cgroup) namespaces.
    Namespaces,
    /// The seccomp filter on system calls.
    Seccomp,
    /// A memory cgroup caps the run's whole process tree (swap included).
    MemoryCgroup,
    /// A pids cgroup caps the number of processes of the run.
    PidsCgroup,
    /// A cpu cgroup holds a run to one CPU.
    CpuCgroup,
    /// Work dirs and /tmp are size- and inode-capped tmpfs mounts.
    CappedTmpfs,
}

impl Protection {
    pub const ALL: [Protection; 7] = [
        Protection::SlotUids,
        Protection::Namespaces,
        Protection::Seccomp,
        Protection::MemoryCgroup,
        Protection::PidsCgroup,
        Protection::CpuCgroup,
        Protection::CappedTmpfs,
    ];

    /// The protection's name, as in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Protection::SlotUids => "slot_uids",
            Protection::Namespaces => "namespaces",
            Protection::Seccomp => "seccomp",
            Protection::MemoryCgroup => "memory_cgroup",
            Protection::PidsCgroup => "pids_cgroup",
            Protection::CpuCgroup => "cpu_cgroup",
            Protection::CappedTmpfs => "capped_tmpfs",
        }
    }
}

/// A protection not in force: what that means and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Missing {
    pub protection: Protection,
    pub remedy: String,
}

/// Which protections are in force, for the start-up log, the health check and the policy
/// that refuses runs below full isolation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SandboxCapabilities {
    pub backend: &'static str,
    /// The cgroup hierarchy runs are limited by, if any.
    pub cgroups: Option<CgroupVersion>,
    /// The protections not in force; empty means full isolation.
    pub missing: Vec<Missing>,
    /// What `time_ms` measures.
    pub time_kind: TimeKind,
}

impl SandboxCapabilities {
    pub fn isolation(&self) -> Isolation {
        if self.missing.is_empty() { Isolation::Full } else { Isolation::Degraded }
    }

    pub fn has(&self, protection: Protection) -> bool {
        !self.missing.iter().any(|m| m.protection == protection)
    }
}

impl std::fmt::Display for SandboxCapabilities {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cgroups = match self.cgroups {
            Some(CgroupVersion::V1) => "v1",
            Some(CgroupVersion::V2) => "v2",
            None => "none",
        };
        write!(
            f,
            "sandbox={} isolation={:?} cgroups={cgroups} time={:?}",
            self.backend,
            self.isolation(),
            self.time_kind
        )?;
        for m in &self.missing {
            write!(f, "; missing {}: {}", m.protection.id(), m.remedy)?;
        }
        Ok(())
    }
}

/// What the bubblewrap backend has: namespaces and seccomp always (it does not start without
/// them); slot uids and capped tmpfs as root; the cgroup limits `cgroups` gives, or the
/// reason there are none.
pub(crate) fn assess(
    privileged: bool,
    own_uid: u32,
    slot_uid_base: u32,
    cgroups: Result<&CgroupParent, &str>,
) -> SandboxCapabilities {
    let mut missing = Vec::new();
    let mut lack = |protection, remedy: String| missing.push(Missing { protection, remedy });
    if !privileged {
        lack(
            Protection::SlotUids,
            format!(
                "runs share the server's own uid ({own_uid}), so a run can signal or read the files of \
                 another: run the server as root (it drops each run to uid {slot_uid_base}+N)"
            ),
        );
    }
    let why = match cgroups {
        Ok(_) => String::new(),
        Err(_) if !privileged => "not running as root".to_owned(),
        Err(reason) => reason.to_owned(),
    };
    let enabled: &[Controller] = cgroups.map_or(&[], |p| p.controllers());
    for c in Controller::ALL.into_iter().filter(|c| !enabled.contains(c)) {
        let (protection, effect) = match c {
            Controller::Memory => {
                (Protection::MemoryCgroup, "memory is capped only by RLIMIT_AS, and only where the runtime allows it")
            }
            Controller::Pids => {
                (Protection::PidsCgroup, "the number of processes is capped only per uid (RLIMIT_NPROC)")
            }
            Controller::Cpu => {
                (Protection::CpuCgroup, "a run may use every core (CPU time is capped per process only)")
            }
        };
        let why = if why.is_empty() {
            format!("the cgroup v2 group was not given the {} controller", c.name())
        } else {
            why.clone()
        };
        lack(
            protection,
            format!(
                "no {} cgroup ({why}): {effect}. Run the server as root on a cgroup v1 host, or give it a \
                 delegated cgroup v2 subtree with the memory, pids and cpu controllers (systemd: Delegate=yes; \
                 or --sandbox-cgroup-v2-path), see docs/runner.md",
                c.name()
            ),
        );
    }
    if !privileged {
        lack(
            Protection::CappedTmpfs,
            "work dirs are plain directories on the server's disk, not size- and inode-capped tmpfs \
             mounts: run the server as root"
                .to_owned(),
        );
    }
    SandboxCapabilities {
        backend: "bubblewrap",
        cgroups: cgroups.ok().map(CgroupParent::version),
        missing,
        time_kind: if cgroups.is_ok() { TimeKind::Cpu } else { TimeKind::Wall },
    }
}
