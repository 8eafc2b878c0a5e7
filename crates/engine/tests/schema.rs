//! The committed JSON Schemas (`docs/schema/KIND.schema.json`) are what the document types
//! generate. To write them anew after changing a document:
//!
//! ```text
//! BRINK_WRITE_SCHEMAS=1 cargo test -p brink-engine --release --test schema
//! ```
//! (and say what changed in `docs/schema/CHANGELOG.md`, bumping `SCHEMA_VERSION` when a field
//! changes meaning or goes away).

use std::path::PathBuf;

use brink_engine::schema::{schemas, to_text};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema")
}

#[test]
fn committed_schemas_are_current() {
    let write = std::env::var_os("BRINK_WRITE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for (kind, schema) in schemas() {
        let path = dir().join(format!("{kind}.schema.json"));
        let want = to_text(&schema);
        if write {
            std::fs::create_dir_all(dir()).unwrap();
            std::fs::write(&path, &want).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(want.as_str()) {
            stale.push(kind);
        }
    }
    assert!(
        stale.is_empty(),
        "docs/schema is not what the document types generate for {stale:?}; regenerate with \
         BRINK_WRITE_SCHEMAS=1 cargo test -p brink-engine --release --test schema"
    );
    // No schema of a document that no longer exists.
    let kinds: Vec<String> = schemas()
        .iter()
        .map(|(k, _)| format!("{k}.schema.json"))
        .collect();
    for e in std::fs::read_dir(dir()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".schema.json") {
            assert!(kinds.contains(&name), "docs/schema/{name} is no document's");
        }
    }
}

#[test]
fn every_schema_is_a_valid_schema_naming_its_version() {
    for (kind, schema) in schemas() {
        jsonschema::validator_for(&schema)
            .unwrap_or_else(|e| panic!("{kind}: not a valid JSON Schema: {e}"));
        for field in ["schema", "document", "brink_version"] {
            assert!(
                schema["required"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|x| x == field)),
                "{kind}: `{field}` is required"
            );
        }
        assert!(schema["$comment"]
            .as_str()
            .unwrap()
            .contains(&format!("schema version {}", brink_engine::SCHEMA_VERSION)));
    }
}

#[test]
fn the_changelog_lists_the_current_version() {
    let log = std::fs::read_to_string(dir().join("CHANGELOG.md")).unwrap();
    assert!(
        log.contains(&format!("## Version {}", brink_engine::SCHEMA_VERSION)),
        "docs/schema/CHANGELOG.md has no section for schema version {}",
        brink_engine::SCHEMA_VERSION
    );
}
