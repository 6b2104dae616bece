//! Interactive runs through the runner's API (`Runner::interact`), in the real sandbox: a
//! Python `input()` loop answered line by line, raw mode, an interrupt, end of input, the idle
//! limit, the output limit, a stop, and a compiled language whose compiler output streams.

mod common;

use std::time::Duration;

use codeview_runner::{
    EndReason, InteractiveJob, InteractiveOutcome, Language, Limits, Runner, TerminalEvent, TerminalInput, TerminalMode,
};
use tokio::sync::OnceCell;
use tokio::sync::mpsc::{Receiver, Sender, channel};
use tokio::task::JoinHandle;

static RUNNER: OnceCell<Runner> = OnceCell::const_new();

async fn runner() -> &'static Runner {
    RUNNER
        .get_or_init(|| async {
            let mut cfg = common::config(44, "interactive");
            // Its own uids when the caller gives a base (helpers sharing a machine).
            if let Some(base) = std::env::var("CODEVIEW_TEST_SLOT_UID_BASE").ok().and_then(|b| b.parse::<u32>().ok()) {
                cfg.slot_uid_base = base + 900;
            }
            Runner::new(cfg).await.expect("the sandbox must start")
        })
        .await
}

/// A running interactive job: what to type into it, what it showed, and its end.
struct Session {
    input: Sender<TerminalInput>,
    output: Receiver<TerminalEvent>,
    shown: String,
    run: JoinHandle<InteractiveOutcome>,
}

impl Session {
    async fn start(job: InteractiveJob) -> Session {
        let r = runner().await;
        let (input, input_rx) = channel(64);
        let (output_tx, output) = channel(1024);
        let run = tokio::spawn(async move { r.interact(job, input_rx, output_tx).await.expect("job accepted") });
        Session { input, output, shown: String::new(), run }
    }

    async fn python(source: &str, mode: TerminalMode) -> Session {
        Session::start(InteractiveJob::new(Language::Python, source, mode)).await
    }

    async fn send(&self, input: TerminalInput) {
        self.input.send(input).await.expect("the run takes input");
    }

    async fn type_text(&self, text: &str) {
        self.send(TerminalInput::Data(text.as_bytes().to_vec())).await;
    }

    /// Reads output until it contains `wanted` (10 s at most).
    async fn wait_for(&mut self, wanted: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !self.shown.contains(wanted) {
            match tokio::time::timeout_at(deadline, self.output.recv()).await {
                Ok(Some(TerminalEvent::Output { text })) => self.shown.push_str(&text),
                Ok(None) => panic!("the run ended before showing {wanted:?}; it showed {:?}", self.shown),
                Err(_) => panic!("no {wanted:?} in time; the terminal showed {:?}", self.shown),
            }
        }
    }

    /// Waits for the end (20 s at most), collecting the rest of the output.
    async fn end(mut self) -> (InteractiveOutcome, String) {
        let Ok(outcome) = tokio::time::timeout(Duration::from_secs(20), &mut self.run).await else {
            while let Ok(TerminalEvent::Output { text }) = self.output.try_recv() {
                self.shown.push_str(&text);
            }
            panic!("no end in time; the terminal showed {:?}", self.shown);
        };
        while let Ok(TerminalEvent::Output { text }) = self.output.try_recv() {
            self.shown.push_str(&text);
        }
        (outcome.expect("the run task"), self.shown)
    }
}

const GREETER: &str = r#"
while True:
    try:
        name = input("name? ")
    except EOFError:
        print("bye")
        break
    print(f"hello {name}")
"#;

#[tokio::test]
async fn a_python_input_loop_is_answered_line_by_line() {
    let mut s = Session::python(GREETER, TerminalMode::Line).await;
    s.wait_for("name? ").await;
    s.type_text("Ada\n").await;
    s.wait_for("hello Ada\r\nname? ").await;
    s.type_text("Grace\n").await;
    s.wait_for("hello Grace\r\n").await;
    assert!(!s.shown.contains("Ada\r\nhello"), "the terminal itself echoes nothing: {:?}", s.shown);
    s.send(TerminalInput::Eof).await;
    let (outcome, shown) = s.end().await;
    assert!(shown.ends_with("bye\r\n"), "{shown:?}");
    assert_eq!((outcome.reason, outcome.exit_code), (EndReason::Exited, Some(0)), "{outcome:?}");
}

#[tokio::test]
async fn end_of_input_after_a_partial_line_still_ends_input() {
    let source = "import sys\ndata = sys.stdin.read()\nprint(repr(data))\n";
    let mut s = Session::python(source, TerminalMode::Line).await;
    s.type_text("one\ntwo").await;
    s.send(TerminalInput::Eof).await;
    s.wait_for("'one\\ntwo'").await;
    let (outcome, _) = s.end().await;
    assert_eq!(outcome.reason, EndReason::Exited);
}

#[tokio::test]
async fn raw_mode_hands_over_each_keystroke_and_only_the_program_echoes() {
    let source = r#"
import os
while True:
    b = os.read(0, 1)
    if not b or b == b"q":
        break
    os.write(1, b"<" + b + b">")
"#;
    let mut s = Session::python(source, TerminalMode::Raw).await;
    s.type_text("a").await;
    s.wait_for("<a>").await;
    s.type_text("b").await;
    s.wait_for("<b>").await;
    s.type_text("q").await;
    let (outcome, shown) = s.end().await;
    assert_eq!(shown, "<a><b>");
    assert_eq!(outcome.reason, EndReason::Exited);
}

/// The greeter with SIGINT's default action: Python's own handler only sets a flag, which a
/// read that had not yet started when the signal came never looks at (the signal then seems
/// lost until the next input, on any terminal); the kernel's default action has no such window.
const GREETER_DEFAULT_SIGINT: &str = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_DFL)\n";

#[tokio::test]
async fn an_interrupt_stops_a_program_waiting_for_input() {
    let source = format!("{GREETER_DEFAULT_SIGINT}{GREETER}");
    let mut s = Session::python(&source, TerminalMode::Line).await;
    s.wait_for("name? ").await;
    s.send(TerminalInput::Interrupt).await;
    let (outcome, _) = s.end().await;
    assert_eq!(outcome.reason, EndReason::Interrupted, "{outcome:?}");
    assert_eq!(outcome.exit_code, None);
}

#[tokio::test]
async fn a_python_program_blocked_in_input_gets_a_keyboard_interrupt() {
    let mut s = Session::python(GREETER, TerminalMode::Line).await;
    s.wait_for("name? ").await;
    // Past the window between the prompt and the read (see GREETER_DEFAULT_SIGINT).
    tokio::time::sleep(Duration::from_millis(300)).await;
    s.send(TerminalInput::Interrupt).await;
    let (outcome, shown) = s.end().await;
    assert_eq!(outcome.reason, EndReason::Interrupted, "{outcome:?}");
    assert!(shown.contains("KeyboardInterrupt"), "{shown:?}");
}

#[tokio::test]
async fn a_program_may_catch_the_interrupt_and_go_on() {
    let source = r#"
import os, signal, sys
signal.signal(signal.SIGINT, lambda *_: os.write(1, b"caught\n"))
print("ready", flush=True)
line = sys.stdin.readline()
print("got", line.strip())
"#;
    let mut s = Session::python(source, TerminalMode::Line).await;
    s.wait_for("ready").await;
    s.send(TerminalInput::Interrupt).await;
    // The handler runs when the read returns at the latest (see GREETER_DEFAULT_SIGINT).
    tokio::time::sleep(Duration::from_millis(100)).await;
    s.type_text("more\n").await;
    let (outcome, shown) = s.end().await;
    assert!(shown.contains("caught") && shown.contains("got more"), "{shown:?}");
    assert_eq!((outcome.reason, outcome.exit_code), (EndReason::Exited, Some(0)));
}

#[tokio::test]
async fn a_program_waiting_too_long_for_input_is_ended_as_idle() {
    let mut job = InteractiveJob::new(Language::Python, GREETER, TerminalMode::Line);
    job.idle_ms = 700;
    let mut s = Session::start(job).await;
    s.wait_for("name? ").await;
    let started = std::time::Instant::now();
    let (outcome, _) = s.end().await;
    assert_eq!(outcome.reason, EndReason::Idle, "{outcome:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn output_beyond_the_limit_ends_the_run() {
    let mut job = InteractiveJob::new(Language::Python, "while True:\n    print('x' * 100)\n", TerminalMode::Line);
    job.limits = Some(Limits { output_bytes: 64 * 1024, wall_ms: 20_000, ..Limits::run_default() });
    let s = Session::start(job).await;
    let (outcome, shown) = s.end().await;
    assert_eq!(outcome.reason, EndReason::OutputLimit, "{outcome:?}");
    assert!(shown.len() <= 64 * 1024 && shown.len() > 60 * 1024, "{}", shown.len());
}

#[tokio::test]
async fn a_busy_loop_still_meets_the_cpu_limit() {
    let mut job = InteractiveJob::new(Language::Python, "while True:\n    pass\n", TerminalMode::Line);
    job.limits = Some(Limits { cpu_ms: 500, wall_ms: 20_000, ..Limits::run_default() });
    let (outcome, _) = Session::start(job).await.end().await;
    assert_eq!(outcome.reason, EndReason::TimeLimit, "{outcome:?}");
}

#[tokio::test]
async fn a_stop_kills_the_program_and_so_does_a_closed_input() {
    let mut s = Session::python(GREETER, TerminalMode::Line).await;
    s.wait_for("name? ").await;
    s.send(TerminalInput::Stop).await;
    assert_eq!(s.end().await.0.reason, EndReason::Stopped);

    let mut s = Session::python(GREETER, TerminalMode::Line).await;
    s.wait_for("name? ").await;
    let Session { input, output, shown, run } = s;
    drop(input);
    let s = Session { input: channel(1).0, output, shown, run };
    assert_eq!(s.end().await.0.reason, EndReason::Stopped);
}

#[tokio::test]
async fn a_compiled_program_shows_its_compiler_then_runs_interactively() {
    let broken = "#include <stdio.h>\nint main(void) { return missing; }\n";
    let s = Session::start(InteractiveJob::new(Language::C, broken, TerminalMode::Line)).await;
    let (outcome, shown) = s.end().await;
    assert_eq!(outcome.reason, EndReason::CompileError, "{outcome:?}");
    assert!(shown.contains("missing") && shown.contains("\r\n"), "compiler output in the terminal: {shown:?}");

    let echo = r#"#include <stdio.h>
int main(void) {
    char line[100];
    printf("word? ");
    fflush(stdout);
    while (fgets(line, sizeof line, stdin)) printf("said %s", line);
    return 3;
}
"#;
    let mut s = Session::start(InteractiveJob::new(Language::C, echo, TerminalMode::Line)).await;
    s.wait_for("word? ").await;
    s.type_text("hi\n").await;
    s.wait_for("said hi\r\n").await;
    s.send(TerminalInput::Eof).await;
    let (outcome, _) = s.end().await;
    assert_eq!((outcome.reason, outcome.exit_code), (EndReason::Exited, Some(3)), "{outcome:?}");
}

#[tokio::test]
async fn the_program_cannot_push_input_into_its_terminal() {
    let source = r#"
import fcntl, termios
try:
    fcntl.ioctl(0, termios.TIOCSTI, b"x")
    print("pushed")
except OSError as e:
    print("refused", e.errno)
"#;
    let mut s = Session::python(source, TerminalMode::Line).await;
    s.wait_for("\r\n").await;
    let (_, shown) = s.end().await;
    assert!(shown.starts_with("refused"), "{shown:?}");
}
