//! Extractors, the one place where a request (HTTP or WebSocket upgrade) becomes typed input;
//! the routes in `http` and the sockets in `realtime` both use them.
//!
//! - `input`: path, query and JSON body, answering bad input with the contract's error body.
//! - `caller`: who is calling (account holder, candidate session, and the credential used).

mod caller;
mod input;

pub use caller::{Authenticated, Caller, Credential, CurrentUser, MaybeAuthenticated, MaybeCaller, token_caller};
pub use input::{ApiJson, ApiPath, ApiQuery, OptionalApiJson};
