//! The process's open-file limit (`RLIMIT_NOFILE`). Every connection costs a file, and many
//! systems start processes with a soft limit of 1024 under a much higher hard limit, so the
//! server raises the soft limit to the hard one at start.

use nix::sys::resource::{Resource, getrlimit, setrlimit};

/// What to assume when the limit cannot be read.
const ASSUMED_OPEN_FILE_LIMIT: u64 = 1024;

/// Raises the soft open-file limit to the hard limit where allowed; returns the soft limit
/// now in effect.
pub fn raise_open_file_limit() -> u64 {
    let (soft, hard) = match getrlimit(Resource::RLIMIT_NOFILE) {
        Ok(limits) => limits,
        Err(err) => {
            tracing::warn!(error = %err, "cannot read the open-file limit; assuming {ASSUMED_OPEN_FILE_LIMIT}");
            return ASSUMED_OPEN_FILE_LIMIT;
        }
    };
    if soft >= hard {
        return soft;
    }
    match setrlimit(Resource::RLIMIT_NOFILE, hard, hard) {
        Ok(()) => hard,
        Err(err) => {
            tracing::warn!(error = %err, soft, hard, "cannot raise the open-file limit; connections are capped from the soft limit");
            soft
        }
    }
}
