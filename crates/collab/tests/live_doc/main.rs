//! Integration tests for `codeview-collab`, one binary (one link) for all of them: real yrs
//! clients talk y-websocket to a `LiveDoc` through an in-memory network (`support`).

mod awareness;
mod fuzz_bounded;
mod persistence;
mod poison;
mod randomized;
mod rng;
mod roots;
mod support;
mod sync;
