//! A forecast's Monte Carlo run in shards merges into the document of one run, byte for byte.

use brink_engine::{Forecast, Loaded, Options, Shard};

fn opts(draws: u64, seed: u64, threads: usize) -> Options {
    Options {
        draws,
        seed,
        threads: Some(threads),
        ..Options::default()
    }
}

fn json(doc: &Forecast) -> String {
    serde_json::to_string_pretty(doc).unwrap()
}

#[test]
fn shards_in_any_split_and_order_merge_into_one_run() {
    let loaded = Loaded::builtin().unwrap();
    // 1,000 draws: four chunks of 256 and one of 232.
    let o = opts(1000, 7, 2);
    assert_eq!(Forecast::chunk_count(&o), 4);
    let one = json(&Forecast::run(&loaded, &o).unwrap());
    let splits: [&[(u64, u64)]; 3] = [&[(0, 4)], &[(0, 1), (1, 4)], &[(2, 4), (0, 1), (1, 2)]];
    for split in splits {
        let shards: Vec<Shard> = split
            .iter()
            .map(|&(a, b)| {
                // Each shard through its bytes, on its own thread count, as a worker would send it.
                let s = Forecast::run_shard(&loaded, &opts(1000, 7, 1), a..b).unwrap();
                Shard::from_bytes(&s.to_bytes()).unwrap()
            })
            .collect();
        let merged = Forecast::merge_shards(&loaded, &o, shards).unwrap();
        assert_eq!(json(&merged), one, "split {split:?}");
    }
}

#[test]
fn a_missing_chunk_gives_the_prefix_flagged_and_foreign_shards_are_refused() {
    let loaded = Loaded::builtin().unwrap();
    let o = opts(1000, 7, 2);
    let first = Forecast::run_shard(&loaded, &o, 0..2).unwrap();
    let last = Forecast::run_shard(&loaded, &o, 3..4).unwrap();
    assert_eq!(first.chunks(), vec![0, 1]);
    assert_eq!(first.draws(), 512);
    let doc = Forecast::merge_shards(&loaded, &o, vec![first, last]).unwrap();
    let mc = doc.montecarlo.unwrap();
    assert!(mc.stopped);
    assert_eq!(mc.draws_done, 512);

    let a = Forecast::run_shard(&loaded, &o, 0..2).unwrap();
    let b = Forecast::run_shard(&loaded, &o, 1..3).unwrap();
    let e = Forecast::merge_shards(&loaded, &o, vec![a, b]).unwrap_err();
    assert!(e.to_string().contains("chunk 1 is in two shards"), "{e}");

    let other_seed = Forecast::run_shard(&loaded, &opts(1000, 8, 2), 0..4).unwrap();
    let e = Forecast::merge_shards(&loaded, &o, vec![other_seed]).unwrap_err();
    assert!(e.to_string().contains("another run"), "{e}");

    let mut bytes = Forecast::run_shard(&loaded, &o, 0..1).unwrap().to_bytes();
    bytes.truncate(bytes.len() - 3);
    let e = Shard::from_bytes(&bytes).unwrap_err();
    assert!(e.to_string().contains("not a shard"), "{e}");
}
