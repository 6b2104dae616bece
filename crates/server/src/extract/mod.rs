//! Extractors, the one place where a request (HTTP or WebSocket upgrade) becomes typed input;
//! the routes in `http` and the sockets in `realtime` both use them.
//!
//! - `input`: path, query and JSON body, answering bad input with the contract's error body.
//! - `caller`: who is calling (account holder, candidate session, and the credential used).
//! - `client_address`: the client's address (behind trusted proxies, from `X-Forwarded-For`).

mod caller;
mod client_address;
mod input;

pub use caller::{Authenticated, Caller, Credential, CurrentUser, MaybeAuthenticated, MaybeCaller, token_caller};
pub use client_address::ClientAddress;
pub use input::{ApiJson, ApiPath, ApiQuery, OptionalApiJson};
