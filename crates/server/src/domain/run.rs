//! The vocabulary of a code run, written once: what it does (`RunMode`), where it is and how
//! it ended (`RunStatus`), the verdict of a test run, why a test case failed (the coarse
//! reason every viewer may see), and which stream a piece of output came from. Stored rows,
//! API responses and room events all use these types; the web's are generated from them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::interview::string_enum;

string_enum!(
    /// What a run does: run the code once on the given stdin, or against a question's tests.
    RunMode { Run => "run", Test => "test" }
);

string_enum!(
    /// Where a run is (`queued`, `running`) or how it ended. The endings other than
    /// `cancelled` are the sandbox's statuses (`codeview_runner::Status`); a test case's status
    /// is one of those.
    RunStatus {
        Queued => "queued",
        Running => "running",
        Finished => "finished",
        CompileError => "compile_error",
        TimeLimit => "time_limit",
        MemoryLimit => "memory_limit",
        OutputLimit => "output_limit",
        RuntimeError => "runtime_error",
        InternalError => "internal_error",
        Cancelled => "cancelled",
    }
);

string_enum!(
    /// The verdict of a test run, counting every case (hidden ones included).
    Verdict { Passed => "passed", Failed => "failed" }
);

string_enum!(
    /// Why a test case failed, coarsely: all a hidden case tells candidates and observers.
    FailureReason { WrongAnswer => "wrong_answer", Time => "time", Memory => "memory", Crash => "crash" }
);

string_enum!(
    /// Which limit ended a run or a test case (`*_limit` statuses).
    LimitKind { CpuTime => "cpu_time", WallTime => "wall_time", Memory => "memory", Output => "output", FileSize => "file_size" }
);

/// The limit that ended a run or a test case, with its value: milliseconds for `cpu_time` and
/// `wall_time`, bytes for the others. The limits are the language's, known to every viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExceededLimit {
    pub kind: LimitKind,
    pub value: u64,
}

string_enum!(
    /// Where a piece of a run's output came from.
    OutputStream { Stdout => "stdout", Stderr => "stderr", Compile => "compile" }
);

impl RunStatus {
    /// Whether the run is over (anything but `queued` and `running`).
    pub fn is_finished(self) -> bool {
        !matches!(self, RunStatus::Queued | RunStatus::Running)
    }
}

impl From<codeview_runner::Status> for RunStatus {
    fn from(status: codeview_runner::Status) -> RunStatus {
        use codeview_runner::Status;
        match status {
            Status::Finished => RunStatus::Finished,
            Status::CompileError => RunStatus::CompileError,
            Status::TimeLimit => RunStatus::TimeLimit,
            Status::MemoryLimit => RunStatus::MemoryLimit,
            Status::OutputLimit => RunStatus::OutputLimit,
            Status::RuntimeError => RunStatus::RuntimeError,
            Status::InternalError => RunStatus::InternalError,
        }
    }
}

impl From<codeview_runner::Stream> for OutputStream {
    fn from(stream: codeview_runner::Stream) -> OutputStream {
        match stream {
            codeview_runner::Stream::Stdout => OutputStream::Stdout,
            codeview_runner::Stream::Stderr => OutputStream::Stderr,
        }
    }
}

impl From<codeview_runner::ExceededLimit> for ExceededLimit {
    fn from(limit: codeview_runner::ExceededLimit) -> ExceededLimit {
        use codeview_runner::LimitKind as Runner;
        let kind = match limit.kind {
            Runner::CpuTime => LimitKind::CpuTime,
            Runner::WallTime => LimitKind::WallTime,
            Runner::Memory => LimitKind::Memory,
            Runner::Output => LimitKind::Output,
            Runner::FileSize => LimitKind::FileSize,
        };
        ExceededLimit { kind, value: limit.value }
    }
}

impl Verdict {
    /// The verdict of a job that judged its cases (`None` for a plain run).
    pub fn of(all_passed: Option<bool>) -> Option<Verdict> {
        all_passed.map(|passed| if passed { Verdict::Passed } else { Verdict::Failed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sandbox_status_keeps_its_public_name() {
        use codeview_runner::Status;
        let all = [
            Status::Finished,
            Status::CompileError,
            Status::TimeLimit,
            Status::MemoryLimit,
            Status::OutputLimit,
            Status::RuntimeError,
            Status::InternalError,
        ];
        for status in all {
            assert_eq!(RunStatus::from(status).as_str(), status.as_str());
        }
    }

    #[test]
    fn every_sandbox_limit_keeps_its_public_name() {
        use codeview_runner::LimitKind as Runner;
        for kind in [Runner::CpuTime, Runner::WallTime, Runner::Memory, Runner::Output, Runner::FileSize] {
            let ours = ExceededLimit::from(codeview_runner::ExceededLimit { kind, value: 7 });
            assert_eq!(serde_json::to_value(ours.kind).unwrap(), serde_json::to_value(kind).unwrap());
            assert_eq!(ours.value, 7);
        }
    }

    #[test]
    fn statuses_read_back_from_their_stored_names() {
        for status in RunStatus::ALL {
            assert_eq!(RunStatus::try_from(status.as_str().to_owned()), Ok(*status));
            assert_eq!(serde_json::to_string(status).unwrap(), format!("\"{status}\""));
        }
        assert!(RunStatus::parse("done").is_err());
    }
}
