//! `brink import --from decide FILE`: the importer, then the written scenario (and outcomes) read back.
#![no_main]
use libfuzzer_sys::fuzz_target;
include!("common.rs");

fuzz_target!(|data: &[u8]| {
    import_roundtrip(brink_scenario::import::Format::Decide, data, "import decide");
});
