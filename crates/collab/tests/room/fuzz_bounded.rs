//! Bounded, seeded fuzzing of `Room::receive` that runs under plain `cargo test`.
