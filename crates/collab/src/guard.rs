//! Panic isolation for yrs. yrs panics on some malformed input, and some updates that it
//! accepts leave a document whose later encodes panic. Every call that sees client bytes, or
//! a document that has seen them, runs inside [`guarded`]; on a panic the caller throws the
//! document away and rebuilds it from verified state, so `AssertUnwindSafe` is sound here:
//! nothing observed through a broken invariant survives.

use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `f`, turning a panic into `Err(message)`.
pub(crate) fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        if let Some(s) = payload.downcast_ref::<&str>() {
            format!("panic in yrs: {s}")
        } else if let Some(s) = payload.downcast_ref::<String>() {
            format!("panic in yrs: {s}")
        } else {
            "panic in yrs".to_owned()
        }
    })
}
