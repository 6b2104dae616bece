//! The sandbox and the languages (filled in by the execution issue).
