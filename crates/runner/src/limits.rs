//! Resource limits for one sandboxed step, with the safe defaults for running a candidate's
//! program and the larger ones for compilers (javac, rustc and g++ need far more than a
//! hello world does).

use serde::{Deserialize, Serialize};

/// Limits applied to one sandboxed process tree. Every field is enforced by the kernel (cgroup,
/// rlimit, tmpfs size) or by the runner's own timer and pipe readers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// CPU time of the whole process tree, in milliseconds (cgroup cpuacct; RLIMIT_CPU as backstop).
    pub cpu_ms: u64,
    /// Wall-clock time before the whole sandbox is SIGKILLed, in milliseconds.
    pub wall_ms: u64,
    /// Memory of the whole process tree (cgroup memory, including tmpfs pages), in bytes.
    pub memory_bytes: u64,
    /// Maximum number of processes and threads (cgroup pids and RLIMIT_NPROC).
    pub processes: u64,
    /// Largest file the program may write (RLIMIT_FSIZE), in bytes.
    pub file_bytes: u64,
    /// Size of each writable tmpfs (the work dir or /tmp), in bytes.
    pub disk_bytes: u64,
    /// Number of inodes of each writable tmpfs.
    pub disk_inodes: u64,
    /// Open file descriptors per process (RLIMIT_NOFILE).
    pub open_files: u64,
    /// Bytes kept per output stream (stdout, stderr); more kills the run with `output_limit`.
    pub output_bytes: usize,
}

const MB: u64 = 1024 * 1024;

impl Limits {
    /// Defaults for running a candidate's program: 2 s CPU, 5 s wall, 256 MB, 64 processes,
    /// 16 MB files, 1 MB output per stream.
    pub fn run_default() -> Self {
        Limits {
            cpu_ms: 2_000,
            wall_ms: 5_000,
            memory_bytes: 256 * MB,
            processes: 64,
            file_bytes: 16 * MB,
            disk_bytes: 32 * MB,
            disk_inodes: 2_048,
            open_files: 256,
            output_bytes: MB as usize,
        }
    }

    /// Defaults for a compiler: 10 s CPU, 20 s wall, 1 GB, 256 processes, 64 MB files.
    pub fn compile_default() -> Self {
        Limits {
            cpu_ms: 10_000,
            wall_ms: 20_000,
            memory_bytes: 1024 * MB,
            processes: 256,
            file_bytes: 64 * MB,
            disk_bytes: 256 * MB,
            disk_inodes: 8_192,
            open_files: 1_024,
            output_bytes: 256 * 1024,
        }
    }

    /// RLIMIT_CPU in whole seconds: rounded up, plus one so that the precise cgroup check (or
    /// the wall timer) normally fires first and reports the real figure.
    pub(crate) fn rlimit_cpu_secs(&self) -> u64 {
        self.cpu_ms.div_ceil(1000) + 1
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::run_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compile_limits_are_larger_than_run_limits() {
        let (run, compile) = (Limits::run_default(), Limits::compile_default());
        assert!(compile.cpu_ms > run.cpu_ms);
        assert!(compile.wall_ms > run.wall_ms);
        assert!(compile.memory_bytes > run.memory_bytes);
    }

    #[test]
    fn rlimit_cpu_rounds_up_with_a_second_of_slack() {
        let mut l = Limits::run_default();
        l.cpu_ms = 1_500;
        assert_eq!(l.rlimit_cpu_secs(), 3);
        l.cpu_ms = 2_000;
        assert_eq!(l.rlimit_cpu_secs(), 3);
    }
}
