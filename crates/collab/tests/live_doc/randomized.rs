//! Seeded randomized convergence: many clients, random edits, random disconnects and
//! reconnects, random server restarts (snapshot + log → `LiveDoc::load`); at the end every
//! client and the live document hold the same text. Replay a failure with `COLLAB_SEED=<seed>`.

use codeview_collab::DocKind;

use crate::rng::{Rng, seed_from_env};
use crate::support::{Net, perms};

fn run(seed: u64, steps: usize) {
    let mut rng = Rng::new(seed);
    let mut net = Net::new(DocKind::Code);
    let n = 2 + rng.below(7);
    for key in 0..n {
        net.add_client(key);
        if rng.chance(80) {
            net.connect(key, perms(&format!("p{key}"), true));
        }
    }
    for _ in 0..steps {
        let key = rng.below(n);
        match rng.below(100) {
            // Positions are UTF-16 offsets like the browser's; some fall inside a surrogate
            // pair (an emoji), which Yjs allows and yrs stores as U+FFFD halves.
            0..=54 => {
                let c = net.clients.get_mut(&key).unwrap();
                let text = c.text();
                let at = rng.below(text.encode_utf16().count() as u64 + 1) as u32;
                let s = ["a", "bc", "é", "😀", "\n", "xyz "][rng.below(6) as usize];
                c.insert(at, s);
            }
            55..=69 => {
                let c = net.clients.get_mut(&key).unwrap();
                let text = c.text();
                let len = text.encode_utf16().count() as u64;
                if len > 0 {
                    c.delete(rng.below(len) as u32, 1 + rng.below(3) as u32);
                }
            }
            70..=84 => {
                // Deliver some traffic (partial delivery keeps messages in flight).
                if net.clients[&key].connected {
                    net.clients.get_mut(&key).unwrap().process();
                    net.flush_client(key);
                }
            }
            85..=91 => net.disconnect(key),
            92..=97 => {
                if !net.clients[&key].connected {
                    net.connect(key, perms(&format!("p{key}"), true));
                }
            }
            _ => {
                let compact = rng.chance(50);
                net.restart(compact);
                for k in 0..n {
                    if rng.chance(70) {
                        net.connect(k, perms(&format!("p{k}"), true));
                    }
                }
            }
        }
        if rng.chance(10) {
            net.settle();
        }
    }
    for key in 0..n {
        if !net.clients[&key].connected {
            net.connect(key, perms(&format!("p{key}"), true));
        }
    }
    net.settle();
    let room = net.room_text();
    for (key, c) in &net.clients {
        assert_eq!(c.text(), room, "client {key} diverged (seed {seed})");
    }
    // And the durable state agrees after one more restart.
    net.restart(false);
    assert_eq!(net.room_text(), room, "log replay diverged (seed {seed})");
}

#[test]
fn randomized_convergence_with_restarts() {
    let seed = seed_from_env("COLLAB_SEED");
    let runs: u64 = std::env::var("COLLAB_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    for i in 0..runs {
        let s = seed.wrapping_add(i);
        let result = std::panic::catch_unwind(|| run(s, 300));
        if result.is_err() {
            panic!("randomized convergence failed; replay with COLLAB_SEED={s} COLLAB_RUNS=1");
        }
    }
}
