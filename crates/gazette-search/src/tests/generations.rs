//! The index on disk: positions kept across restarts, damaged or outdated indexes replaced,
//! rebuilds swapped in under a running reader.

use super::*;

#[test]
fn the_position_survives_a_restart_and_a_damaged_index_starts_again() {
    let dir = tempfile::tempdir().unwrap();
    drop(sample(dir.path()));
    let reopened = SearchIndex::open(dir.path(), "en").unwrap();
    assert_eq!(reopened.position(), Some(42));
    assert_eq!(ids(&reopened, &request("pensions")), [1, 2]);
    drop(reopened);

    let french = SearchIndex::open(dir.path(), "fr").unwrap();
    assert_eq!(
        french.position(),
        None,
        "built for English: must be rebuilt"
    );
    drop(french);

    let live = current_dir(dir.path()).unwrap();
    std::fs::write(live.join("meta.json"), b"{ not json").unwrap();
    let damaged = SearchIndex::open(dir.path(), "fr").unwrap();
    assert_eq!(damaged.position(), None);
    assert!(damaged.is_empty());
}

#[test]
fn a_rebuild_beside_the_live_index_is_swapped_in_for_a_running_reader() {
    let dir = tempfile::tempdir().unwrap();
    let server = sample(dir.path());
    // Another process (`gazette search reindex`) builds and swaps.
    let mut builder = Builder::new(dir.path(), "en").unwrap();
    builder
        .add(&[article(9, "Rebuilt harbour", "Boats.", 99)])
        .unwrap();
    let built = builder.finish(50).unwrap();
    assert_eq!(built.articles, 1);
    // The server still answers from its generation until it notices.
    assert_eq!(ids(&server, &request("pensions")), [1, 2]);
    assert_eq!(server.follow_swap().unwrap(), Some(Some(50)));
    assert_eq!(ids(&server, &request("harbour")), [9]);
    assert_eq!(server.position(), Some(50));
    assert_eq!(server.follow_swap().unwrap(), None, "nothing new");
    let generations = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("generation-"))
        .count();
    assert_eq!(generations, 1, "the old generation is removed");
}

#[test]
fn payloads_round_trip() {
    let payload = Payload {
        position: 12,
        language: "pt-BR".to_owned(),
    };
    assert_eq!(Payload::decode(&payload.encode()), Some(payload));
    assert_eq!(Payload::decode("garbage"), None);
}

/// An index written by an earlier version (here, one whose `all` field kept no frequencies) is
/// replaced by an empty one that asks to be rebuilt, not searched as if it were current.
#[test]
fn an_index_of_an_earlier_schema_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let generation = dir.path().join("generation-old");
    std::fs::create_dir(&generation).unwrap();
    let mut earlier = tantivy::schema::Schema::builder();
    for (_, entry) in schema::schema().fields() {
        if entry.name() == "all" {
            earlier.add_text_field("all", tantivy::schema::STRING);
        } else {
            earlier.add_field(entry.clone());
        }
    }
    let index = tantivy::Index::create_in_dir(&generation, earlier.build()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    generation::commit(
        &mut writer,
        &generation::Payload {
            position: 42,
            language: "en".to_owned(),
        },
    )
    .unwrap();
    drop(writer);
    generation::symlink(Path::new("generation-old"), &dir.path().join(CURRENT)).unwrap();

    let reopened = SearchIndex::open(dir.path(), "en").unwrap();
    assert_eq!(reopened.position(), None, "must be rebuilt");
    assert_ne!(current_dir(dir.path()).unwrap(), generation);
}
