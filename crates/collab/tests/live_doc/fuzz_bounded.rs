//! Bounded, seeded fuzzing of `LiveDoc::receive` that runs under plain `cargo test` (cargo-fuzz
//! needs nightly; the `fuzz/` target covers the same path with coverage guidance). Inputs are
//! real yrs updates and awareness messages, mutated (bit flips, splices, truncation, varint
//! edits), plus random bytes. After every input: no panic escaped. Every few hundred inputs:
//! the live document's snapshot loads cleanly into an equal room, and a well-behaved client still
//! converges with it. `COLLAB_FUZZ_SEED` replays, `COLLAB_FUZZ_ITERS` sets the length.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use codeview_collab::yrs::sync::{Awareness, Message, SyncMessage};
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::yrs::{Array, Doc, Map, ReadTxn, Text, Transact};
use codeview_collab::{ConnId, DocKind, LiveDoc};

use crate::rng::{Rng, seed_from_env};
use crate::support::{Net, perms};

/// Real updates of a document that uses text, maps and arrays, in order.
fn corpus(rng: &mut Rng) -> Vec<Vec<u8>> {
    // A seeded client id keeps the corpus, and so the whole run, replayable.
    let doc = Doc::with_options(codeview_collab::yrs::Options {
        offset_kind: codeview_collab::yrs::OffsetKind::Utf16,
        client_id: codeview_collab::yrs::ClientID::new(1 + rng.below(1 << 40)),
        ..Default::default()
    });
    let text = doc.get_or_insert_text("code");
    let meta = doc.get_or_insert_map("meta");
    // An array under a root name the code document allows (a question's text name).
    let list = doc.get_or_insert_array("code:00000000-0000-0000-0000-000000000001");
    let mut out = Vec::new();
    for i in 0..40u32 {
        let mut txn = doc.transact_mut();
        let len = text.len(&txn);
        match rng.below(5) {
            // BMP text only: with UTF-16 offsets no index falls inside a character.
            0 => text.insert(&mut txn, rng.below(len as u64 + 1) as u32, "abc"),
            1 => text.insert(&mut txn, rng.below(len as u64 + 1) as u32, "é∑"),
            2 if len > 0 => text.remove_range(&mut txn, 0, 1.min(len)),
            3 => {
                meta.insert(&mut txn, "language", format!("lang{i}"));
            }
            _ => {
                list.push_back(&mut txn, i as i64);
            }
        }
        out.push(txn.encode_update_v1());
    }
    out
}

fn mutate(rng: &mut Rng, corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut u = corpus[rng.below(corpus.len() as u64) as usize].clone();
    for _ in 0..1 + rng.below(4) {
        if u.is_empty() {
            u.push(0);
        }
        let at = rng.below(u.len() as u64) as usize;
        match rng.below(7) {
            0 => u[at] ^= 1 << rng.below(8),
            1 => u[at] = rng.below(256) as u8,
            2 => u.truncate(at),
            3 => u.insert(at, rng.below(256) as u8),
            // Varint extremes: huge lengths, counts and clocks.
            4 => {
                let tail = u.split_off(at);
                u.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
                u.extend(tail);
            }
            5 => {
                let other = &corpus[rng.below(corpus.len() as u64) as usize];
                let from = rng.below(other.len() as u64 + 1) as usize;
                u.truncate(at);
                u.extend_from_slice(&other[from..]);
            }
            _ => u[at] = [0, 1, 0x7f, 0x80][rng.below(4) as usize],
        }
    }
    u
}

fn frame(rng: &mut Rng, corpus: &[Vec<u8>]) -> Vec<u8> {
    match rng.below(10) {
        0..=3 => Message::Sync(SyncMessage::Update(mutate(rng, corpus))).encode_v1(),
        4 => Message::Sync(SyncMessage::SyncStep2(mutate(rng, corpus))).encode_v1(),
        // A real update, so the live document also grows and later mutations hit a richer doc.
        5 => {
            let u = corpus[rng.below(corpus.len() as u64) as usize].clone();
            Message::Sync(SyncMessage::Update(u)).encode_v1()
        }
        6 => {
            let mut aw = Awareness::new(Doc::with_client_id(1 + rng.below(1000)));
            aw.set_local_state_raw(r#"{"cursor":{"anchor":1},"user":{"name":"x"}}"#);
            let id = aw.client_id();
            let mut f = Message::Awareness(aw.update_with_clients([id]).unwrap()).encode_v1();
            if rng.chance(70) {
                let at = rng.below(f.len() as u64) as usize;
                f[at] = rng.below(256) as u8;
            }
            f
        }
        7 => {
            let sv = Doc::new().transact().state_vector();
            let mut f = Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1();
            f.extend(mutate(rng, corpus));
            f
        }
        _ => (0..rng.below(64)).map(|_| rng.below(256) as u8).collect(),
    }
}

/// Checks the live document is loadable from its snapshot and a good client converges with it.
fn check_health(room: &mut LiveDoc, seed: u64, iter: usize) -> bool {
    let (snap, fx) = room.snapshot();
    let recovered = !fx.close_others.is_empty();
    let (loaded, report) = LiveDoc::load(DocKind::Code, Some(&snap), std::iter::empty());
    assert!(report.is_clean(), "seed {seed} iter {iter}: {report:?}");
    if !room.has_pending_updates() {
        assert_eq!(loaded.text(), room.text(), "seed {seed} iter {iter}");
    }
    let mut net = Net::new(DocKind::Code);
    net.room = loaded;
    net.add_client(1);
    net.add_client(2);
    net.connect(1, perms("good", true));
    net.connect(2, perms("peer", true));
    net.settle();
    net.clients.get_mut(&1).unwrap().insert(0, "ok");
    net.settle();
    let text = net.room_text();
    assert!(text.contains("ok"), "seed {seed} iter {iter}");
    assert_eq!(net.clients[&1].text(), text, "seed {seed} iter {iter}");
    assert_eq!(net.clients[&2].text(), text, "seed {seed} iter {iter}");
    recovered
}

fn run(seed: u64, iters: usize) {
    let mut rng = Rng::new(seed);
    let corpus = corpus(&mut rng);
    let mut room = LiveDoc::new(DocKind::Code);
    let mut conn = 1;
    let mut recoveries = 0;
    // `COLLAB_FUZZ_CHECK_EVERY=1` pinpoints the input after which a check first fails.
    let check_every: usize = std::env::var("COLLAB_FUZZ_CHECK_EVERY").ok().and_then(|s| s.parse().ok()).unwrap_or(500);
    let _ = room.connect(ConnId(conn), perms("fuzzer", true));
    for iter in 0..iters {
        let f = frame(&mut rng, &corpus);
        if std::env::var_os("COLLAB_FUZZ_LOUD").is_some() {
            eprintln!("iter {iter}: {f:?}");
        }
        let fx = catch_unwind(AssertUnwindSafe(|| room.receive(ConnId(conn), &f)))
            .unwrap_or_else(|_| panic!("panic escaped LiveDoc::receive: seed {seed} iter {iter} frame {f:?}"));
        if fx.replace_log.is_some() {
            recoveries += 1;
        }
        if room.needs_maintenance() && room.maintain().replace_log.is_some() {
            recoveries += 1;
        }
        if fx.close.is_some() {
            let _ = room.disconnect(ConnId(conn));
            conn += 1;
            let _ = room.connect(ConnId(conn), perms("fuzzer", true));
        }
        if iter % check_every == check_every - 1 && check_health(&mut room, seed, iter) {
            recoveries += 1;
        }
        if iter % 3000 == 2999 {
            room = LiveDoc::new(DocKind::Code);
            // Half the live documents behave like large documents: verified only at checkpoints.
            if rng.chance(50) {
                room.set_limits(codeview_collab::Limits { eager_verify_bytes: 0, ..Default::default() });
            }
            let _ = room.connect(ConnId(conn), perms("fuzzer", true));
        }
    }
    if check_health(&mut room, seed, iters) {
        recoveries += 1;
    }
    if std::env::var_os("COLLAB_FUZZ_STATS").is_some() {
        eprintln!("seed {seed}: {recoveries} recoveries that rewrote the log");
    }
}

/// Silences panic messages from this thread only: yrs panics on purpose here, and other
/// tests running in parallel keep their normal panic output.
fn quiet_panics_on_this_thread() -> Arc<AtomicBool> {
    // `COLLAB_FUZZ_LOUD=1` shows every panic with its backtrace, to debug a finding.
    let quiet = Arc::new(AtomicBool::new(std::env::var_os("COLLAB_FUZZ_LOUD").is_none()));
    let me = std::thread::current().id();
    let flag = quiet.clone();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() != me || !flag.load(Ordering::Relaxed) {
            previous(info);
        }
    }));
    quiet
}

#[test]
fn bounded_fuzz_of_the_message_path() {
    let seed = seed_from_env("COLLAB_FUZZ_SEED");
    let iters = std::env::var("COLLAB_FUZZ_ITERS").ok().and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let quiet = quiet_panics_on_this_thread();
    let result = catch_unwind(|| run(seed, iters));
    quiet.store(false, Ordering::Relaxed);
    if let Err(e) = result {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!("{msg}\nreplay with COLLAB_FUZZ_SEED={seed} COLLAB_FUZZ_ITERS={iters}");
    }
}

/// Does feeding `frames` (in order, one writer) and then `maintain` make the live document remove
/// already-accepted updates?
fn poisons(frames: &[Vec<u8>]) -> bool {
    let mut room = LiveDoc::new(DocKind::Code);
    // As for a large document: only checkpoints verify.
    room.set_limits(codeview_collab::Limits { eager_verify_bytes: 0, ..Default::default() });
    let mut conn = 1;
    let _ = room.connect(ConnId(conn), perms("w", true));
    for f in frames {
        if room.receive(ConnId(conn), f).close.is_some() {
            let _ = room.disconnect(ConnId(conn));
            conn += 1;
            let _ = room.connect(ConnId(conn), perms("w", true));
        }
    }
    !room.snapshot().1.close_others.is_empty()
}

/// Searches for a short update sequence that passes the per-update checks but fails
/// verification, and prints it (used to write `poison::accepted_updates_that_break_reload`).
#[test]
#[ignore = "search tool, run by hand"]
fn find_minimal_poison() {
    let quiet = quiet_panics_on_this_thread();
    let mut rng = Rng::new(seed_from_env("COLLAB_FUZZ_SEED"));
    let corpus = corpus(&mut rng);
    for _ in 0..2000 {
        let mut accepted: Vec<Vec<u8>> = (0..500).map(|_| frame(&mut rng, &corpus)).collect();
        if !poisons(&accepted) {
            continue;
        }
        let mut i = 0;
        while i < accepted.len() {
            let mut fewer = accepted.clone();
            fewer.remove(i);
            if poisons(&fewer) {
                accepted = fewer;
            } else {
                i += 1;
            }
        }
        quiet.store(false, Ordering::Relaxed);
        println!("{} frames: {accepted:?}", accepted.len());
        return;
    }
    panic!("nothing found");
}
