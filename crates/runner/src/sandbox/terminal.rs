//! Drives one interactive sandboxed process from the host side, as [`super::process::drive`]
//! does for a batch step, but through a pseudo-terminal ([`super::pty`]): what arrives on the
//! input channel is written to the terminal (bounded, without blocking the loop), everything
//! the program prints is streamed as [`TerminalEvent::Output`] (valid UTF-8, never cut inside
//! a character), and the step is killed when a limit is crossed: the wall clock, the CPU
//! budget, the output budget (stdout and stderr together, as the terminal shows them), and
//! idleness (neither input nor output for the idle limit). An interrupt is SIGINT to every
//! process of the program (not to bwrap's outer process, which would die of it, nor to the
//! namespace's init, which ignores it), found as the descendants of the outer process and
//! signalled through pidfds so that a reused pid is never hit.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::process::ExitStatus;
use std::time::{Duration, Instant};

use tokio::io::Interest;
use tokio::io::unix::AsyncFd;
use tokio::sync::mpsc::{Receiver, Sender};

use super::process::{Captured, Driven, KillReason, take_utf8};
use super::procfs;
use super::pty::{Pty, discard_unread_input, end_of_input};
use crate::interactive::{EndReason, TerminalEvent, TerminalInput};
use crate::limits::Limits;
use crate::outcome::{Status, StepOutcome, Stream};

/// Input bytes held for the terminal when the program reads slower than people type; the
/// input channel is not read meanwhile, so the sender sees it full.
const MAX_PENDING_INPUT: usize = 64 * 1024;
/// How long after a kill, or after the program's exit, the terminal is still read.
const KILL_GRACE: Duration = Duration::from_secs(3);
const EXIT_GRACE: Duration = Duration::from_millis(1_500);

/// Why the runner ended an interactive step that no limit of [`Limits`] covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    /// Neither input nor output for the idle limit.
    Idle,
    /// [`TerminalInput::Stop`], or the input channel closed.
    Stopped,
}

/// The terminal side of an interactive step, lent to the backend through `StepSpec`.
pub(crate) struct Terminal {
    pub pty: Pty,
    pub input: Receiver<TerminalInput>,
    pub output: Sender<TerminalEvent>,
    pub idle: Duration,
    /// Input that arrived before the program started (during the compile step).
    pub early: VecDeque<TerminalInput>,
    /// Set by [`Terminal::drive`].
    pub ended: Option<Ended>,
    /// An interrupt was sent to the program.
    pub interrupted: bool,
}

impl Terminal {
    /// Runs the sandbox (outer process `outer_pid`, already spawned on the slave) to its end.
    /// `kill` must kill the whole sandbox; `cpu_ms` reads the CPU time used so far.
    pub async fn drive(
        &mut self,
        outer_pid: i32,
        exit: impl Future<Output = io::Result<ExitStatus>>,
        limits: &Limits,
        kill: &(dyn Fn() + Sync),
        cpu_ms: &(dyn Fn() -> Option<u64> + Sync),
    ) -> Driven {
        let start = Instant::now();
        // Our copy of the slave must go, or the master never sees the program hang up.
        self.pty.slave = None;
        let mut out = Driven {
            exit: None,
            stdout: Captured::default(),
            stderr: Captured::default(),
            wall: Duration::ZERO,
            killed: None,
            error: None,
        };
        let master = match self.pty.master.try_clone().and_then(watch_fd) {
            Ok(m) => m,
            Err(e) => {
                out.error = Some(format!("watching the terminal failed: {e}"));
                kill();
                return out;
            }
        };
        let deadline = tokio::time::Instant::now() + Duration::from_millis(limits.wall_ms);
        let mut idle_until = tokio::time::Instant::now() + self.idle;
        let mut tick = tokio::time::interval(Duration::from_millis(50));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut grace: Option<tokio::time::Instant> = None;
        let mut pending: VecDeque<u8> = VecDeque::new();
        let mut last_written: Option<u8> = None;
        let mut undecoded: Vec<u8> = Vec::new();
        let mut shown: usize = 0;
        let mut buf = vec![0u8; 16 * 1024];
        let mut hung_up = false;
        let mut input_open = true;
        let mut early = std::mem::take(&mut self.early);

        let end = |why: Option<KillReason>,
                   ended: Option<Ended>,
                   out: &mut Driven,
                   me: &mut Self,
                   grace: &mut Option<tokio::time::Instant>| {
            if out.killed.is_none() && me.ended.is_none() {
                out.killed = why;
                me.ended = ended;
                kill();
            }
            let g = tokio::time::Instant::now() + KILL_GRACE;
            *grace = Some(grace.map_or(g, |old| old.min(g)));
        };

        tokio::pin!(exit);
        loop {
            if hung_up && out.exit.is_some() {
                break;
            }
            let stopped = out.killed.is_some() || self.ended.is_some();
            // Early input first, then the channel, while there is room for more.
            let next_input = async {
                match early.pop_front() {
                    Some(i) => Some(i),
                    None => self.input.recv().await,
                }
            };
            tokio::select! {
                ready = master.readable(), if !hung_up => {
                    let Ok(mut ready) = ready else { hung_up = true; continue };
                    match ready.try_io(|fd| read_fd(fd.get_ref(), &mut buf)) {
                        Err(_would_block) => {}
                        // EIO: every slave descriptor is closed (the sandbox is gone).
                        Ok(Ok(0)) | Ok(Err(_)) => hung_up = true,
                        Ok(Ok(n)) => {
                            idle_until = tokio::time::Instant::now() + self.idle;
                            let room = limits.output_bytes.saturating_sub(shown);
                            let kept = n.min(room);
                            shown += kept;
                            undecoded.extend_from_slice(&buf[..kept]);
                            let text = take_utf8(&mut undecoded, kept < n);
                            self.emit(text, deadline).await;
                            if kept < n {
                                end(Some(KillReason::Output(Stream::Stdout)), None, &mut out, self, &mut grace);
                            }
                        }
                    }
                },
                ready = master.writable(), if !pending.is_empty() && !hung_up && !stopped => {
                    let Ok(mut ready) = ready else { continue };
                    let (front, _) = pending.as_slices();
                    match ready.try_io(|fd| write_fd(fd.get_ref(), front)) {
                        Err(_would_block) => {}
                        Ok(Ok(n)) => {
                            last_written = pending.drain(..n).next_back().or(last_written);
                        }
                        Ok(Err(_)) => pending.clear(),
                    }
                },
                input = next_input, if input_open && !stopped && pending.len() < MAX_PENDING_INPUT => {
                    idle_until = tokio::time::Instant::now() + self.idle;
                    match input {
                        Some(TerminalInput::Data(bytes)) => pending.extend(bytes),
                        Some(TerminalInput::Eof) => {
                            let queued_last = pending.back().copied().or(last_written);
                            pending.extend(end_of_input(&self.pty.master, queued_last));
                        }
                        Some(TerminalInput::Interrupt) => {
                            self.interrupted = true;
                            pending.clear();
                            discard_unread_input(&self.pty.master);
                            signal_program(outer_pid, libc::SIGINT);
                        }
                        Some(TerminalInput::Stop) => end(None, Some(Ended::Stopped), &mut out, self, &mut grace),
                        None => {
                            input_open = false;
                            end(None, Some(Ended::Stopped), &mut out, self, &mut grace);
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
                    if grace.is_none() {
                        grace = Some(tokio::time::Instant::now() + EXIT_GRACE);
                    }
                },
                _ = tokio::time::sleep_until(deadline), if !stopped => {
                    end(Some(KillReason::Wall), None, &mut out, self, &mut grace);
                },
                _ = tokio::time::sleep_until(idle_until), if !stopped => {
                    end(None, Some(Ended::Idle), &mut out, self, &mut grace);
                },
                _ = tick.tick(), if !stopped => {
                    if cpu_ms().is_some_and(|ms| ms > limits.cpu_ms) {
                        end(Some(KillReason::Cpu), None, &mut out, self, &mut grace);
                    }
                },
                _ = sleep_until_opt(grace) => {
                    if !stopped {
                        end(Some(KillReason::Lingering), None, &mut out, self, &mut grace);
                    } else {
                        if out.exit.is_none() {
                            out.error = Some("the sandbox did not die after SIGKILL".into());
                        }
                        break;
                    }
                },
            }
        }
        let text = take_utf8(&mut undecoded, true);
        self.emit(text, deadline).await;
        out.wall = start.elapsed();
        out
    }

    async fn emit(&self, text: String, deadline: tokio::time::Instant) {
        if text.is_empty() || self.output.is_closed() {
            return;
        }
        // A slow consumer holds the program back (it blocks writing), never past its wall clock.
        let send = self.output.send(TerminalEvent::Output { text });
        let _ = tokio::time::timeout_at(deadline + Duration::from_secs(1), send).await;
    }
}

/// Registers the master with the runtime, for readiness in both directions.
fn watch_fd(fd: OwnedFd) -> io::Result<AsyncFd<OwnedFd>> {
    // SAFETY: the AsyncFd owns the OwnedFd, which stays open until the AsyncFd is dropped.
    #[allow(unsafe_code)]
    Ok(unsafe { AsyncFd::register_with_interest(fd, Interest::READABLE | Interest::WRITABLE) }?)
}

fn read_fd(fd: &OwnedFd, buf: &mut [u8]) -> io::Result<usize> {
    nix::unistd::read(fd, buf).map_err(io::Error::from)
}

fn write_fd(fd: &OwnedFd, data: &[u8]) -> io::Result<usize> {
    nix::unistd::write(fd, data).map_err(io::Error::from)
}

async fn sleep_until_opt(t: Option<tokio::time::Instant>) {
    match t {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}

/// Sends `signal` to every process of the program in the sandbox whose outer bwrap process is
/// `outer_pid`: the descendants of the namespace's init (the outer process's child). Each is
/// pinned by a pidfd and checked to still be the child of the same parent before the signal.
pub(crate) fn signal_program(outer_pid: i32, signal: i32) -> usize {
    let parents: HashMap<i32, i32> = procfs::all_statuses().map(|(pid, s)| (pid, s.ppid)).collect();
    let inits: Vec<i32> = parents.iter().filter(|(_, ppid)| **ppid == outer_pid).map(|(pid, _)| *pid).collect();
    let mut found: Vec<(i32, i32)> = Vec::new();
    let mut frontier = inits;
    while !frontier.is_empty() {
        let children: Vec<(i32, i32)> =
            parents.iter().filter(|(_, ppid)| frontier.contains(ppid)).map(|(pid, ppid)| (*pid, *ppid)).collect();
        frontier = children.iter().map(|(pid, _)| *pid).collect();
        found.extend(children);
    }
    let mut sent = 0;
    for (pid, ppid) in found {
        let Some(pidfd) = procfs::pidfd_open(pid) else { continue };
        if procfs::status(pid).is_some_and(|s| s.ppid == ppid && !s.zombie && s.pid_ns_depth > 1) {
            // SAFETY: a raw syscall on a pidfd we own; the null siginfo is allowed.
            #[allow(unsafe_code)]
            let r = unsafe {
                libc::syscall(libc::SYS_pidfd_send_signal, pidfd.as_raw_fd(), signal, std::ptr::null::<u8>(), 0)
            };
            if r == 0 {
                sent += 1;
            }
        }
    }
    sent
}

/// The end of the program's step, given what the terminal's driver saw.
pub(crate) fn program_end(
    step: &StepOutcome,
    ended: Option<Ended>,
    interrupted: bool,
    limits: &Limits,
) -> (EndReason, String) {
    let message = step.message.clone().unwrap_or_default();
    match (ended, step.status) {
        (Some(Ended::Stopped), _) => (EndReason::Stopped, "stopped".into()),
        (Some(Ended::Idle), _) => (EndReason::Idle, "ended after waiting too long without input".into()),
        (_, Status::TimeLimit) => (EndReason::TimeLimit, message),
        (_, Status::MemoryLimit) => (EndReason::MemoryLimit, message),
        (_, Status::OutputLimit) => {
            (EndReason::OutputLimit, format!("output limit of {} bytes exceeded", limits.output_bytes))
        }
        (_, Status::InternalError) => (EndReason::Error, message),
        _ if step.signal == Some(libc::SIGINT) || (interrupted && step.exit_code == Some(128 + libc::SIGINT)) => {
            (EndReason::Interrupted, "interrupted".into())
        }
        (_, Status::Finished) => (EndReason::Exited, "exited with code 0".into()),
        _ => (EndReason::Exited, message),
    }
}
