//! Sans-IO CRDT rooms (filled in by the collaboration issue).
#![forbid(unsafe_code)]
