//! The document log in the store, through the same writer the update log uses: entries
//! numbered per document by the room, read back in order, compacted per document, and the
//! journal trimmed (sealed entries dropped, the rest moved) without changing what loads.
//! (The update log refuses a second writer of the same entry: see its unit tests.)

use bytes::Bytes;
use codeview::db::{DocAppend, DocLogWriter, DocSnapshot};
use uuid::Uuid;

use crate::fixtures::create_interview;
use crate::helpers::TestApp;

crate::on_both_backends!(the_log_is_numbered_ordered_and_compacted_per_document);

/// A snapshot of `doc` covering its entries up to `up_to_seq`, which are sealed (in history
/// blocks: not this test's).
fn snapshot<'a>(interview_id: Uuid, doc: &'a str, data: &'a [u8], up_to_seq: i64) -> DocSnapshot<'a> {
    DocSnapshot { interview_id, doc, data, up_to_seq, sealed: None, sealed_seq: up_to_seq, fence: None }
}

fn updates(texts: &[&str]) -> Vec<Bytes> {
    texts.iter().map(|t| Bytes::copy_from_slice(t.as_bytes())).collect()
}

/// The updates of a loaded document (their numbers, times and authors aside).
fn data(document: &codeview::db::StoredDocument) -> Vec<Vec<u8>> {
    document.updates.iter().map(|update| update.data.clone()).collect()
}

/// An append of `updates` to `doc` after its entry `after_seq`, by nobody in particular.
fn append<'a>(interview_id: Uuid, doc: &'a str, after_seq: i64, updates: &'a [Bytes]) -> DocAppend<'a> {
    DocAppend {
        interview_id,
        doc,
        after_seq,
        updates,
        at: codeview::history::truncate_to_ms(chrono::Utc::now()),
        author: None,
        fence: None,
    }
}

/// Runs `f` with the store's log writer on a blocking thread, as the update log does.
async fn with_writer<T: Send + 'static>(
    writer: &mut Option<Box<dyn DocLogWriter>>,
    f: impl FnOnce(&mut dyn DocLogWriter) -> T + Send + 'static,
) -> T {
    let mut taken = writer.take().expect("writer");
    let (result, taken) = tokio::task::spawn_blocking(move || (f(&mut *taken), taken)).await.expect("writer thread");
    *writer = Some(taken);
    result
}

async fn the_log_is_numbered_ordered_and_compacted_per_document(app: TestApp) {
    let host = app.signed_in("host@example.com", "Hana Host").await;
    let interview = create_interview(&app, &host, serde_json::json!({"title": "Log"})).await;
    let id: Uuid = interview.id.parse().unwrap();
    let store = codeview::db::connect(&app.database_url).await.expect("store");
    let mut writer = Some(store.open_log_writer().expect("log writer"));

    // Two documents in one batch, then more of one of them.
    let (code, notes) = (updates(&["c1", "c2"]), updates(&["n1"]));
    with_writer(&mut writer, move |w| {
        let batch = [append(id, "code", 0, &code), append(id, "notes", 0, &notes)];
        w.write(&batch, &[]).expect("first batch");
        let more = updates(&["c3"]);
        w.write(&[append(id, "code", 2, &more)], &[]).expect("second batch");
    })
    .await;
    let loaded = store.load_document(id, "code").await.unwrap();
    assert_eq!(data(&loaded), vec![b"c1".to_vec(), b"c2".to_vec(), b"c3".to_vec()]);
    assert_eq!(loaded.last_seq, 3);
    assert!(loaded.snapshot.is_none());
    let loaded = store.load_document(id, "notes").await.unwrap();
    assert_eq!((data(&loaded), loaded.last_seq), (vec![b"n1".to_vec()], 1));

    // Compaction covers the entries up to its number, for that document only.
    with_writer(&mut writer, move |w| w.write(&[], &[snapshot(id, "code", b"snapshot", 2)]).expect("compact")).await;
    let loaded = store.load_document(id, "code").await.unwrap();
    assert_eq!(loaded.snapshot.as_deref(), Some(&b"snapshot"[..]));
    assert_eq!((data(&loaded), loaded.last_seq), (vec![b"c3".to_vec()], 3));
    assert_eq!(data(&store.load_document(id, "notes").await.unwrap()), vec![b"n1".to_vec()]);

    // A stale snapshot, covering fewer entries, does not replace a newer one.
    with_writer(&mut writer, move |w| w.write(&[], &[snapshot(id, "code", b"stale", 1)]).expect("stale compact")).await;
    assert_eq!(store.load_document(id, "code").await.unwrap().snapshot.as_deref(), Some(&b"snapshot"[..]));

    // Trimming the whole journal (SQLite's; PostgreSQL's entries went to the log keyed by
    // document) drops what the snapshot covers and moves the rest into the log keyed by
    // document; loads see the same documents.
    let (keeps_journal, moved) = with_writer(&mut writer, move |w| {
        let end = w.journal_end().expect("journal end");
        let expected = if w.keeps_journal() { 4 } else { 0 };
        assert!(end >= expected, "the journal holds {expected} entries, its end is {end}");
        let moved = w.trim_journal(end + 1).expect("trim");
        assert_eq!(w.journal_end().expect("journal end"), 0, "the trimmed journal is not empty");
        (w.keeps_journal(), moved)
    })
    .await;
    assert_eq!(keeps_journal, app.database_url.starts_with("sqlite"), "only SQLite keeps a journal");
    assert_eq!(moved, if keeps_journal { 2 } else { 0 }, "c3 and n1 are the entries no snapshot covers");
    let loaded = store.load_document(id, "code").await.unwrap();
    assert_eq!(
        (loaded.snapshot.as_deref(), data(&loaded), loaded.last_seq),
        (Some(&b"snapshot"[..]), vec![b"c3".to_vec()], 3)
    );
    assert_eq!(data(&store.load_document(id, "notes").await.unwrap()), vec![b"n1".to_vec()]);

    // New entries follow the moved ones, in order; a snapshot covering everything, stored in
    // the same transaction as the entry after it, leaves that one entry to load.
    with_writer(&mut writer, move |w| {
        let more = updates(&["c4"]);
        w.write(&[append(id, "code", 3, &more)], &[]).expect("append");
    })
    .await;
    let loaded = store.load_document(id, "code").await.unwrap();
    assert_eq!((data(&loaded), loaded.last_seq), (vec![b"c3".to_vec(), b"c4".to_vec()], 4));
    with_writer(&mut writer, move |w| {
        let more = updates(&["c5"]);
        let append = append(id, "code", 4, &more);
        w.write(&[append], &[snapshot(id, "code", b"all", 4)]).expect("append and compact");
    })
    .await;
    let loaded = store.load_document(id, "code").await.unwrap();
    assert_eq!(
        (loaded.snapshot.as_deref(), data(&loaded), loaded.last_seq),
        (Some(&b"all"[..]), vec![b"c5".to_vec()], 5)
    );
    with_writer(&mut writer, move |w| w.write(&[], &[snapshot(id, "code", b"everything", 5)]).expect("compact all"))
        .await;
    let loaded = store.load_document(id, "code").await.unwrap();
    assert_eq!((loaded.snapshot.as_deref(), loaded.updates.len(), loaded.last_seq), (Some(&b"everything"[..]), 0, 5));

    // A snapshot that seals nothing leaves the entries it covers in the log, for the history:
    // they load (marked as in the snapshot), and a trim moves them instead of dropping them.
    with_writer(&mut writer, move |w| {
        let more = updates(&["c6"]);
        let unsealed = DocSnapshot { sealed_seq: 5, ..snapshot(id, "code", b"six", 6) };
        w.write(&[append(id, "code", 5, &more)], &[unsealed]).expect("append and compact");
    })
    .await;
    for trimmed in [false, true] {
        let loaded = store.load_document(id, "code").await.unwrap();
        let seqs = (loaded.snapshot_seq, loaded.sealed_seq, loaded.last_seq);
        assert_eq!(
            (loaded.snapshot.as_deref(), data(&loaded), seqs),
            (Some(&b"six"[..]), vec![b"c6".to_vec()], (6, 5, 6))
        );
        if !trimmed {
            let moved = with_writer(&mut writer, move |w| {
                let end = w.journal_end().expect("journal end");
                w.trim_journal(end + 1).expect("trim")
            })
            .await;
            assert_eq!(moved, u64::from(keeps_journal), "the unsealed entry was not moved");
        }
    }
}
