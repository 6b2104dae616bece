//! Client connections, before any request is read: the accept loop with its connection caps,
//! the process's open-file limit the caps are sized from, and the rate-limited warnings that
//! report refused connections. Together they keep one client (or a few) from making the server
//! unreachable for everybody else.

mod accept;
mod caps;
mod open_files;
mod periodic_warning;
mod slotted_stream;

pub use accept::accept_loop;
pub use caps::{CapLimits, ConnectionCaps};
pub use open_files::raise_open_file_limit;
