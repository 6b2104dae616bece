//! The truth about the sandbox's isolation, and the policy built on it: this process runs
//! candidates' code only under full isolation, unless the operator allowed a degraded sandbox
//! (`--sandbox-allow-degraded`). Then each run's result records the isolation it ran under,
//! and interviewers (never candidates or observers) see it: in the run and in the room.

use codeview_runner::{Isolation, Missing, Protection, SandboxCapabilities};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The isolation a run executed under: its level and the protections that were missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RunIsolation {
    pub level: Isolation,
    pub missing: Vec<Protection>,
}

impl RunIsolation {
    pub fn of(caps: &SandboxCapabilities) -> RunIsolation {
        RunIsolation { level: caps.isolation(), missing: caps.missing.iter().map(|m| m.protection).collect() }
    }
}

/// The state of this process's sandbox, for `GET /api/health/ready`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SandboxState {
    Full,
    Degraded,
    /// The sandbox could not start at all (see the server's log).
    Unavailable,
}

/// What `GET /api/health/ready` says of the sandbox.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SandboxHealth {
    pub isolation: SandboxState,
    /// Each missing protection, with what to do about it.
    pub missing: Vec<Missing>,
    /// Whether the operator allowed runs below full isolation.
    pub allowed_degraded: bool,
    /// Whether runs execute (full isolation, or degraded and allowed).
    pub runs_allowed: bool,
}

impl SandboxHealth {
    pub fn of(caps: Option<&SandboxCapabilities>, allowed_degraded: bool) -> SandboxHealth {
        let (isolation, missing) = match caps {
            None => (SandboxState::Unavailable, Vec::new()),
            Some(caps) if caps.isolation() == Isolation::Full => (SandboxState::Full, Vec::new()),
            Some(caps) => (SandboxState::Degraded, caps.missing.clone()),
        };
        let runs_allowed = match isolation {
            SandboxState::Full => true,
            SandboxState::Degraded => allowed_degraded,
            SandboxState::Unavailable => false,
        };
        SandboxHealth { isolation, missing, allowed_degraded, runs_allowed }
    }
}

/// The result message of a run refused because the sandbox is degraded and not allowed. It
/// names no missing protection: candidates read it too.
pub const REFUSED_DEGRADED: &str = "Code execution is turned off on this server: its sandbox is not fully \
     isolated. The operator can see what is missing in the server's log or at GET /api/health/ready, and \
     fix it, or accept the weaker sandbox with --sandbox-allow-degraded (CODEVIEW_SANDBOX_ALLOW_DEGRADED=true).";

/// Logs the sandbox's level once, at start: what is missing and what follows from it.
pub fn log_capabilities(caps: &SandboxCapabilities, allowed_degraded: bool) {
    if caps.isolation() == Isolation::Full {
        tracing::info!(capabilities = %caps, "code sandbox ready: full isolation");
        return;
    }
    for m in &caps.missing {
        tracing::warn!(protection = m.protection.id(), "code sandbox lacks {}: {}", m.protection.id(), m.remedy);
    }
    if allowed_degraded {
        tracing::warn!(
            capabilities = %caps,
            "code sandbox DEGRADED: runs execute anyway (--sandbox-allow-degraded); each run records its \
             isolation and interviewers see a warning"
        );
    } else {
        tracing::error!(
            capabilities = %caps,
            "code sandbox DEGRADED: runs are refused until the protections above are in force, or the \
             operator passes --sandbox-allow-degraded (CODEVIEW_SANDBOX_ALLOW_DEGRADED=true)"
        );
    }
}
