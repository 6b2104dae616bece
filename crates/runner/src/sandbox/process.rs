//! Drives one sandboxed process from the host side, the same for every backend: feeds stdin
//! from a sealed-in-advance memfd, reads stdout and stderr from pipes (never from files),
//! streams them as events while capping what is kept, enforces the wall clock and the CPU
//! budget, and kills the whole sandbox when a limit is crossed. Then [`classify`] turns what
//! was observed into a precise status.

use std::io::{self, Seek, Write};
use std::os::fd::OwnedFd;
use std::process::ExitStatus;
use std::time::{Duration, Instant};

use nix::sys::memfd::{MFdFlags, memfd_create};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::mpsc::Sender;

use crate::limits::Limits;
use crate::outcome::{ExceededLimit, LimitKind, RunEvent, Status, StepOutcome, Stream, TimeKind};

/// Why the runner killed the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KillReason {
    Wall,
    Cpu,
    Output(Stream),
    /// The main process exited but something kept the pipes open.
    Lingering,
}

/// Output kept from one stream, plus the undecoded tail of a split UTF-8 character.
#[derive(Debug, Default)]
pub(crate) struct Captured {
    pub bytes: Vec<u8>,
    pub truncated: bool,
    pending: Vec<u8>,
}

impl Captured {
    /// Keeps up to `limit` bytes; returns the text to stream (valid UTF-8) and whether the
    /// limit was crossed.
    fn push(&mut self, chunk: &[u8], limit: usize) -> (String, bool) {
        let room = limit.saturating_sub(self.bytes.len());
        let kept = &chunk[..chunk.len().min(room)];
        let over = chunk.len() > room;
        self.bytes.extend_from_slice(kept);
        if over {
            self.truncated = true;
        }
        self.pending.extend_from_slice(kept);
        let text = take_utf8(&mut self.pending, over);
        (text, over)
    }

    fn flush(&mut self) -> String {
        take_utf8(&mut self.pending, true)
    }
}

/// Decodes `buf` except a trailing incomplete UTF-8 character (kept for the next chunk,
/// unless `all`); invalid bytes become U+FFFD.
pub(crate) fn take_utf8(buf: &mut Vec<u8>, all: bool) -> String {
    let keep = if all { 0 } else { incomplete_tail(buf) };
    let rest = buf.split_off(buf.len() - keep);
    let text = String::from_utf8_lossy(buf).into_owned();
    *buf = rest;
    text
}

/// Length of a multi-byte character cut short at the end of `buf` (0 if none).
fn incomplete_tail(buf: &[u8]) -> usize {
    for k in 1..=buf.len().min(3) {
        let b = buf[buf.len() - k];
        if b & 0xC0 == 0x80 {
            continue; // continuation byte: look further back for the lead byte
        }
        let need = match b {
            0xF0.. => 4,
            0xE0.. => 3,
            0xC0.. => 2,
            _ => 1,
        };
        return if need > k { k } else { 0 };
    }
    0
}

/// What the driver observed.
#[derive(Debug)]
pub(crate) struct Driven {
    pub exit: Option<ExitStatus>,
    pub stdout: Captured,
    pub stderr: Captured,
    pub wall: Duration,
    pub killed: Option<KillReason>,
    pub error: Option<String>,
}

/// Stdin for the sandbox: a memfd written and rewound before the process starts.
pub(crate) fn stdin_memfd(data: &[u8]) -> io::Result<OwnedFd> {
    let fd = memfd_create("stdin", MFdFlags::MFD_CLOEXEC)?;
    let mut f = std::fs::File::from(fd);
    f.write_all(data)?;
    f.rewind()?;
    Ok(f.into())
}

/// Runs a sandbox to completion under `limits`, reading its output pipes until `exit` says
/// it ended. `kill` must kill the whole sandbox; `cpu_ms` reads the CPU time used so far (when
/// the backend can measure it).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn drive(
    mut stdout: impl AsyncRead + Unpin,
    mut stderr: impl AsyncRead + Unpin,
    exit: impl Future<Output = io::Result<ExitStatus>>,
    limits: &Limits,
    case: Option<usize>,
    events: &Sender<RunEvent>,
    kill: &(dyn Fn() + Sync),
    cpu_ms: &(dyn Fn() -> Option<u64> + Sync),
) -> Driven {
    let start = Instant::now();
    let deadline = tokio::time::Instant::now() + Duration::from_millis(limits.wall_ms);
    let mut out = Driven {
        exit: None,
        stdout: Captured::default(),
        stderr: Captured::default(),
        wall: Duration::ZERO,
        killed: None,
        error: None,
    };
    tokio::pin!(exit);
    let (mut out_eof, mut err_eof) = (false, false);
    let mut obuf = vec![0u8; 16 * 1024];
    let mut ebuf = vec![0u8; 16 * 1024];
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    // After a kill, or once the main process has exited, wait this long for the pipes.
    let mut grace: Option<tokio::time::Instant> = None;

    let kill_for = |reason: KillReason, out: &mut Driven, grace: &mut Option<tokio::time::Instant>| {
        if out.killed.is_none() {
            out.killed = Some(reason);
            kill();
        }
        let g = tokio::time::Instant::now() + Duration::from_secs(3);
        *grace = Some(grace.map_or(g, |old| old.min(g)));
    };

    loop {
        if out_eof && err_eof && out.exit.is_some() {
            break;
        }
        tokio::select! {
            r = stdout.read(&mut obuf), if !out_eof => match r {
                Ok(0) | Err(_) => out_eof = true,
                Ok(n) => {
                    let (text, over) = out.stdout.push(&obuf[..n], limits.output_bytes);
                    emit(events, case, Stream::Stdout, text, deadline).await;
                    if over {
                        kill_for(KillReason::Output(Stream::Stdout), &mut out, &mut grace);
                    }
                }
            },
            r = stderr.read(&mut ebuf), if !err_eof => match r {
                Ok(0) | Err(_) => err_eof = true,
                Ok(n) => {
                    let (text, over) = out.stderr.push(&ebuf[..n], limits.output_bytes);
                    emit(events, case, Stream::Stderr, text, deadline).await;
                    if over {
                        kill_for(KillReason::Output(Stream::Stderr), &mut out, &mut grace);
                    }
                }
            },
            st = &mut exit, if out.exit.is_none() => {
                match st {
                    Ok(st) => out.exit = Some(st),
                    Err(e) => {
                        out.error = Some(format!("waiting for the sandbox failed: {e}"));
                        kill();
                        break;
                    }
                }
                // The namespace dies with its init, so the pipes close at once; anything else
                // holding them is killed after a short grace.
                if grace.is_none() {
                    grace = Some(tokio::time::Instant::now() + Duration::from_millis(1_500));
                }
            },
            _ = tokio::time::sleep_until(deadline), if out.killed.is_none() => {
                kill_for(KillReason::Wall, &mut out, &mut grace);
            },
            _ = tick.tick(), if out.killed.is_none() => {
                if cpu_ms().is_some_and(|ms| ms > limits.cpu_ms) {
                    kill_for(KillReason::Cpu, &mut out, &mut grace);
                }
            },
            _ = sleep_until_opt(grace) => {
                if out.killed.is_none() {
                    kill_for(KillReason::Lingering, &mut out, &mut grace);
                } else {
                    if out.exit.is_none() {
                        out.error = Some("the sandbox did not die after SIGKILL".into());
                    }
                    break;
                }
            },
        }
    }
    for (cap, stream) in [(&mut out.stdout, Stream::Stdout), (&mut out.stderr, Stream::Stderr)] {
        let text = cap.flush();
        emit(events, case, stream, text, deadline).await;
    }
    out.wall = start.elapsed();
    out
}

async fn sleep_until_opt(t: Option<tokio::time::Instant>) {
    match t {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}

async fn emit(
    events: &Sender<RunEvent>,
    case: Option<usize>,
    stream: Stream,
    text: String,
    deadline: tokio::time::Instant,
) {
    if text.is_empty() || events.is_closed() {
        return;
    }
    // A slow consumer must not stretch the run past its wall clock.
    let send = events.send(RunEvent::Output { case, stream, text });
    let _ = tokio::time::timeout_at(deadline + Duration::from_secs(1), send).await;
}

/// Measurements a backend adds to what the driver saw.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Measured {
    pub cpu_ms: Option<u64>,
    pub memory_kb: Option<u64>,
    /// The memory cgroup OOM-killed a process.
    pub oom_killed: bool,
    /// The memory cgroup hit its limit at least once.
    pub memory_limit_hit: bool,
    /// Whether the sandbox itself (not the program) confirmed that the program was started;
    /// `None` when the backend cannot tell.
    pub program_started: Option<bool>,
}

/// Turns observations into a [`StepOutcome`]. bwrap reports a child killed by signal N as exit
/// status 128+N, so such statuses are read as signals.
///
/// The status never depends on what the program printed: its stdout and stderr are attacker
/// text. Limits come from what the runner did (its kills) and what the kernel counted (the
/// cgroup), a sandbox failure from the sandbox's own report, the rest from the exit status.
pub(crate) fn classify(d: Driven, m: Measured, limits: &Limits, time_kind: TimeKind) -> StepOutcome {
    let (mut exit_code, mut signal) = match d.exit {
        Some(st) => match (st.code(), std::os::unix::process::ExitStatusExt::signal(&st)) {
            (Some(c), _) if c > 128 && c <= 128 + 64 => (None, Some(c - 128)),
            (Some(c), _) => (Some(c), None),
            (None, s) => (None, s),
        },
        None => (None, None),
    };
    let wall_ms = d.wall.as_millis() as u64;
    let time_ms = match time_kind {
        TimeKind::Cpu => m.cpu_ms.unwrap_or(wall_ms),
        TimeKind::Wall => wall_ms,
    };
    let stderr_text = String::from_utf8_lossy(&d.stderr.bytes).into_owned();
    let cpu_over = m.cpu_ms.is_some_and(|c| c >= limits.cpu_ms);
    let mb = |b: u64| b / (1024 * 1024);

    let limit = |kind: LimitKind, value: u64| Some(ExceededLimit { kind, value });
    let (status, message, limit) = if let Some(e) = d.error {
        (Status::InternalError, Some(e), None)
    } else if let Some(verdict) = d.killed.and_then(|r| killed_verdict(r, limits)) {
        // We killed it: the signal is ours, not the program's.
        signal = Some(libc::SIGKILL);
        exit_code = None;
        verdict
    } else if m.oom_killed || (m.memory_limit_hit && signal == Some(libc::SIGKILL)) {
        (
            Status::MemoryLimit,
            Some(format!("memory limit of {} MB exceeded", mb(limits.memory_bytes))),
            limit(LimitKind::Memory, limits.memory_bytes),
        )
    } else if m.program_started == Some(false) {
        // The program never ran, so stderr holds only the sandbox's own complaint.
        (Status::InternalError, Some(format!("the sandbox failed to start: {}", stderr_text.trim())), None)
    } else if signal == Some(libc::SIGXCPU) || (signal == Some(libc::SIGKILL) && cpu_over) {
        (
            Status::TimeLimit,
            Some(format!("CPU time limit of {} ms exceeded", limits.cpu_ms)),
            limit(LimitKind::CpuTime, limits.cpu_ms),
        )
    } else if signal == Some(libc::SIGXFSZ) {
        (
            Status::OutputLimit,
            Some(format!("file size limit of {} MB exceeded", mb(limits.file_bytes))),
            limit(LimitKind::FileSize, limits.file_bytes),
        )
    } else if let Some(s) = signal {
        (Status::RuntimeError, Some(format!("killed by signal {s} ({})", signal_name(s))), None)
    } else if let Some(c) = exit_code.filter(|&c| c != 0) {
        (Status::RuntimeError, Some(format!("exited with code {c}")), None)
    } else if exit_code == Some(0) {
        (Status::Finished, None, None)
    } else {
        (Status::InternalError, Some("the sandbox ended without an exit status".into()), None)
    };

    StepOutcome {
        status,
        exit_code,
        signal,
        stdout: String::from_utf8_lossy(&d.stdout.bytes).into_owned(),
        stderr: stderr_text,
        stdout_truncated: d.stdout.truncated,
        stderr_truncated: d.stderr.truncated,
        time_ms,
        time_kind,
        wall_ms,
        memory_kb: m.memory_kb,
        message,
        limit,
    }
}

/// The verdict when the runner killed the sandbox for a limit. `Lingering` is no verdict: the
/// program had exited and is judged by its own exit status.
fn killed_verdict(reason: KillReason, limits: &Limits) -> Option<(Status, Option<String>, Option<ExceededLimit>)> {
    let (status, message, kind, value) = match reason {
        KillReason::Output(s) => (
            Status::OutputLimit,
            format!("{} exceeded {} bytes", if s == Stream::Stdout { "stdout" } else { "stderr" }, limits.output_bytes),
            LimitKind::Output,
            limits.output_bytes as u64,
        ),
        KillReason::Cpu => (
            Status::TimeLimit,
            format!("CPU time limit of {} ms exceeded", limits.cpu_ms),
            LimitKind::CpuTime,
            limits.cpu_ms,
        ),
        KillReason::Wall => (
            Status::TimeLimit,
            format!("wall-clock limit of {} ms exceeded", limits.wall_ms),
            LimitKind::WallTime,
            limits.wall_ms,
        ),
        KillReason::Lingering => return None,
    };
    Some((status, Some(message), Some(ExceededLimit { kind, value })))
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGSEGV => "SIGSEGV, segmentation fault",
        libc::SIGABRT => "SIGABRT, aborted",
        libc::SIGFPE => "SIGFPE, arithmetic error",
        libc::SIGKILL => "SIGKILL",
        libc::SIGBUS => "SIGBUS, bus error",
        libc::SIGILL => "SIGILL, illegal instruction",
        libc::SIGPIPE => "SIGPIPE, broken pipe",
        libc::SIGTERM => "SIGTERM",
        libc::SIGSYS => "SIGSYS, forbidden system call",
        _ => "signal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_utf8_characters_are_not_cut() {
        let mut c = Captured::default();
        let euro = "€".as_bytes();
        let (t1, _) = c.push(&[b'a', euro[0], euro[1]], 100);
        let (t2, _) = c.push(&[euro[2], b'b'], 100);
        assert_eq!(t1, "a");
        assert_eq!(t2, "€b");
    }

    #[test]
    fn invalid_bytes_become_replacement_characters() {
        let mut c = Captured::default();
        let (t, _) = c.push(&[b'x', 0xff, b'y'], 100);
        assert_eq!(t, "x\u{fffd}y");
    }

    #[test]
    fn output_is_capped_and_flagged() {
        let mut c = Captured::default();
        let (_, over) = c.push(b"hello", 3);
        assert!(over);
        assert_eq!(c.bytes, b"hel");
        assert!(c.truncated);
    }

    fn driven(code: i32) -> Driven {
        use std::os::unix::process::ExitStatusExt;
        Driven {
            exit: Some(ExitStatus::from_raw(code << 8)),
            stdout: Captured::default(),
            stderr: Captured::default(),
            wall: Duration::from_millis(10),
            killed: None,
            error: None,
        }
    }

    #[test]
    fn exit_status_above_128_is_read_as_a_signal() {
        let o = classify(driven(139), Measured::default(), &Limits::default(), TimeKind::Wall);
        assert_eq!(o.status, Status::RuntimeError);
        assert_eq!(o.signal, Some(11));
        assert_eq!(o.exit_code, None);
    }

    #[test]
    fn oom_kill_is_a_memory_limit() {
        let m = Measured { oom_killed: true, ..Measured::default() };
        let o = classify(driven(137), m, &Limits::default(), TimeKind::Cpu);
        assert_eq!(o.status, Status::MemoryLimit);
    }

    #[test]
    fn sigxfsz_is_an_output_limit_and_sigxcpu_a_time_limit() {
        let l = Limits::default();
        assert_eq!(classify(driven(128 + 25), Measured::default(), &l, TimeKind::Wall).status, Status::OutputLimit);
        assert_eq!(classify(driven(128 + 24), Measured::default(), &l, TimeKind::Wall).status, Status::TimeLimit);
    }

    #[test]
    fn each_limit_verdict_names_the_limit_and_its_value() {
        let l = Limits {
            cpu_ms: 2_000,
            wall_ms: 5_000,
            memory_bytes: 256 << 20,
            output_bytes: 1 << 20,
            ..Limits::default()
        };
        let killed = |reason| {
            let mut d = driven(137);
            d.killed = Some(reason);
            classify(d, Measured::default(), &l, TimeKind::Cpu).limit
        };
        let hit = |kind, value| Some(ExceededLimit { kind, value });
        assert_eq!(killed(KillReason::Wall), hit(LimitKind::WallTime, 5_000));
        assert_eq!(killed(KillReason::Cpu), hit(LimitKind::CpuTime, 2_000));
        assert_eq!(killed(KillReason::Output(Stream::Stderr)), hit(LimitKind::Output, 1 << 20));
        let oom = Measured { oom_killed: true, ..Measured::default() };
        assert_eq!(classify(driven(137), oom, &l, TimeKind::Cpu).limit, hit(LimitKind::Memory, 256 << 20));
        let xcpu = classify(driven(128 + 24), Measured::default(), &l, TimeKind::Cpu);
        assert_eq!(xcpu.limit, hit(LimitKind::CpuTime, 2_000));
        assert_eq!(classify(driven(139), Measured::default(), &l, TimeKind::Cpu).limit, None);
        assert_eq!(classify(driven(0), started(), &l, TimeKind::Cpu).limit, None);
    }

    fn started() -> Measured {
        Measured { program_started: Some(true), ..Measured::default() }
    }

    #[test]
    fn a_sandbox_that_never_started_the_program_is_an_internal_error() {
        let mut d = driven(1);
        d.stderr.bytes = b"bwrap: Can't mount proc on /newroot/proc: Operation not permitted\n".to_vec();
        let m = Measured { program_started: Some(false), ..Measured::default() };
        let o = classify(d, m, &Limits::default(), TimeKind::Wall);
        assert_eq!(o.status, Status::InternalError);
        assert!(o.message.unwrap().contains("Can't mount proc"));
    }

    #[test]
    fn forged_sandbox_errors_on_stderr_are_the_programs_own_runtime_errors() {
        let mut d = driven(1);
        d.stderr.bytes = b"bwrap: Can't mount proc on /newroot/proc: Operation not permitted\n".to_vec();
        let o = classify(d, started(), &Limits::default(), TimeKind::Wall);
        assert_eq!(o.status, Status::RuntimeError);
        assert_eq!(o.message.as_deref(), Some("exited with code 1"));
    }

    #[test]
    fn forged_out_of_memory_reports_on_stderr_change_nothing() {
        let forgeries: [&[u8]; 5] = [
            b"Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n",
            b"FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n",
            b"MemoryError\n",
            b"fatal error: runtime: out of memory\n",
            b"memory allocation of 1024 bytes failed\n",
        ];
        for text in forgeries {
            let mut d = driven(1);
            d.stderr.bytes = text.to_vec();
            let o = classify(d, started(), &Limits::default(), TimeKind::Cpu);
            assert_eq!(o.status, Status::RuntimeError, "{}", String::from_utf8_lossy(text));
        }
        let mut d = driven(0);
        d.stderr.bytes = forgeries[0].to_vec();
        assert_eq!(classify(d, started(), &Limits::default(), TimeKind::Cpu).status, Status::Finished);
    }
}
