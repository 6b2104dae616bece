//! CPU time and resident memory of a process, read from `/proc` (Linux only), so the report
//! can put the server's cost and the generator's own cost side by side.

use std::time::Instant;

use anyhow::{Context, Result};

/// Clock ticks per second of `utime`/`stime` in `/proc/<pid>/stat` (`getconf CLK_TCK`; 100 on
/// every Linux this runs on, and reading it for real would need `libc::sysconf`).
const TICKS_PER_SECOND: f64 = 100.0;

/// Which process to read: ourselves or another one by pid.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    Myself,
    Pid(u32),
}

impl Target {
    fn dir(self) -> String {
        match self {
            Target::Myself => "/proc/self".to_owned(),
            Target::Pid(pid) => format!("/proc/{pid}"),
        }
    }
}

/// One reading of a process's counters.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub at: Instant,
    /// User plus system CPU time, in seconds.
    pub cpu_seconds: f64,
    /// `VmRSS`, in KiB.
    pub rss_kib: u64,
}

pub fn sample(target: Target) -> Result<Sample> {
    let dir = target.dir();
    let stat = std::fs::read_to_string(format!("{dir}/stat")).with_context(|| format!("reading {dir}/stat"))?;
    // The command name may contain spaces and parentheses: fields are counted after the last ')'.
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).context("malformed stat")?;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // After the name: state is field 3 of the full line, utime 14 and stime 15.
    let utime: u64 = fields.get(11).context("no utime")?.parse()?;
    let stime: u64 = fields.get(12).context("no stime")?.parse()?;
    let status = std::fs::read_to_string(format!("{dir}/status")).with_context(|| format!("reading {dir}/status"))?;
    let rss_kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .context("no VmRSS")?;
    Ok(Sample { at: Instant::now(), cpu_seconds: (utime + stime) as f64 / TICKS_PER_SECOND, rss_kib })
}

/// CPU used between two samples, as a percentage of one core.
pub fn cpu_percent(before: &Sample, after: &Sample) -> f64 {
    let wall = after.at.duration_since(before.at).as_secs_f64();
    if wall <= 0.0 { 0.0 } else { 100.0 * (after.cpu_seconds - before.cpu_seconds) / wall }
}

/// Open file descriptors of a process (sockets included).
pub fn open_fds(target: Target) -> Option<usize> {
    std::fs::read_dir(format!("{}/fd", target.dir())).ok().map(|dir| dir.count())
}

/// The 1-minute load average of the machine.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
