//! A run cut into shards that run anywhere (other processes, other machines) and merge into
//! the very result of one run.
//!
//! A run's draws are cut into chunks, and chunk k draws from its own random stream (seed,
//! stream k): what a chunk computes depends only on the scenario, the models, the seed and k.
//! So any set of workers may each compute some chunks ([`run_chunks`]), send back their raw
//! per-draw results ([`Chunks::to_bytes`]), and [`merge`] folds them in chunk order through the
//! same streaming aggregates as [`crate::run()`]. The merged result is byte-identical to one
//! process's run with the same seed, whatever the split. (Merging the shards' aggregates instead
//! would not be: a running mean, a standard deviation and a sum of probabilities in floating
//! point depend on the order in which the draws are added.)
//!
//! The raw results are what a run folds anyway: per draw, each model's forecast and its kind
//! per issue and each crisis's outcome record (for the built-in scenario and the default models,
//! about 400 bytes a draw).

use std::ops::Range;

use brink_bargain::{Model, Params};
use brink_scenario::Scenario;
use rayon::prelude::*;
use thiserror::Error;

use crate::run::{ChunkOut, Fold, McConfig, McResult, Plan, CRISIS_WIDTH};

/// Why shards do not merge.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ShardError {
    /// The bytes are not a shard (cut short, or not made by [`Chunks::to_bytes`]).
    #[error("not a shard of a brink Monte Carlo run: {0}")]
    Malformed(String),
    /// A shard of another run (another seed, draws, chunk size, scenario or models).
    #[error("a shard of another run: {0}")]
    Mismatch(String),
    /// Two shards hold the same chunk.
    #[error("chunk {0} is in two shards")]
    Duplicate(u64),
}

/// What identifies a run: its counts and a caller's tag (e.g. the scenario's hash and the models).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    seed: u64,
    chunk: u64,
    draws: u64,
    models: u64,
    issues: u64,
    crises: u64,
    tag: String,
}

impl Key {
    fn of(plan: &Plan<'_>, cfg: &McConfig, sc: &Scenario, models: usize, tag: &str) -> Self {
        Key {
            seed: cfg.seed,
            chunk: plan.chunk,
            draws: plan.draws,
            models: models as u64,
            issues: sc.issues.len() as u64,
            crises: sc.crises.len() as u64,
            tag: tag.to_string(),
        }
    }
}

/// The raw results of some chunks of a run, in chunk order: one shard.
pub struct Chunks {
    key: Key,
    chunks: Vec<ChunkOut>,
}

impl std::fmt::Debug for Chunks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chunks")
            .field("key", &self.key)
            .field("chunks", &self.indices())
            .finish()
    }
}

/// The number of chunks of a run (its draws cut to [`crate::MAX_DRAWS`], in chunks of
/// `cfg.chunk` cut to [`crate::MAX_CHUNK`]).
pub fn chunk_count(cfg: &McConfig) -> u64 {
    let chunk = cfg.chunk.clamp(1, crate::MAX_CHUNK);
    cfg.draws.min(crate::MAX_DRAWS).div_ceil(chunk)
}

/// Computes the chunks `range` (cut to the run's chunks) of the run `cfg`, in parallel on the
/// current pool. `cancel` is polled before each chunk: when it says stop, the shard holds the
/// chunks before the first one skipped. `tag` identifies the run beyond its counts (the merge
/// refuses shards whose tag differs).
pub fn run_chunks(
    sc: &Scenario,
    models: &[Box<dyn Model>],
    params: &Params,
    cfg: &McConfig,
    range: Range<u64>,
    tag: &str,
    cancel: Option<&(dyn Fn() -> bool + Sync)>,
) -> Chunks {
    let plan = Plan::new(sc, models, params, cfg);
    let range = range.start.min(plan.n_chunks)..range.end.min(plan.n_chunks);
    let outs: Vec<Option<ChunkOut>> = range
        .into_par_iter()
        .map(|k| (!cancel.is_some_and(|c| c())).then(|| plan.chunk(k, false, &|| false)))
        .collect();
    Chunks {
        key: Key::of(&plan, cfg, sc, models.len(), tag),
        chunks: outs.into_iter().map_while(|c| c).collect(),
    }
}

/// Merges shards of the run `cfg` into its result: the chunks folded in chunk order, exactly
/// as [`crate::run()`] folds them. When a chunk is missing, the result covers the chunks before
/// it and is flagged as stopped (as a run stopped there would be). Shards of another run, or two
/// shards with the same chunk, are refused.
pub fn merge(
    sc: &Scenario,
    models: &[Box<dyn Model>],
    params: &Params,
    cfg: &McConfig,
    tag: &str,
    shards: Vec<Chunks>,
) -> Result<McResult, ShardError> {
    let plan = Plan::new(sc, models, params, cfg);
    let key = Key::of(&plan, cfg, sc, models.len(), tag);
    let per = models.len() * sc.issues.len();
    let mut all: Vec<ChunkOut> = Vec::new();
    for s in shards {
        if s.key != key {
            return Err(ShardError::Mismatch(format!(
                "expected {key:?}, found {:?}",
                s.key
            )));
        }
        all.extend(s.chunks);
    }
    all.sort_by_key(|c| c.first);
    for w in all.windows(2) {
        if w[0].first == w[1].first {
            return Err(ShardError::Duplicate(w[0].first / plan.chunk));
        }
    }
    let mut fold = Fold::new(&plan);
    let mut stopped = false;
    let mut expect = 0u64;
    for c in all {
        if expect >= plan.n_chunks {
            return Err(ShardError::Malformed(format!(
                "a chunk past the run's {} chunks",
                plan.n_chunks
            )));
        }
        if c.first != expect * plan.chunk {
            stopped = true;
            break;
        }
        let count = plan.chunk.min(plan.draws - c.first) as usize;
        if c.count != count
            || c.values.len() != count * per
            || c.kinds.len() != count * per
            || c.crisis.len() != count * sc.crises.len() * CRISIS_WIDTH
        {
            return Err(ShardError::Malformed(format!(
                "chunk {expect} does not hold {count} draws of this run"
            )));
        }
        fold.push(&plan, c, None);
        expect += 1;
    }
    if expect < plan.n_chunks {
        stopped = true;
    }
    Ok(fold.finish(&plan, stopped))
}

const MAGIC: &[u8; 8] = b"BRNKCHK1";

impl Chunks {
    /// The indices of the chunks held, in order.
    pub fn indices(&self) -> Vec<u64> {
        self.chunks
            .iter()
            .map(|c| c.first / self.key.chunk)
            .collect()
    }

    /// Draws held.
    pub fn draws(&self) -> u64 {
        self.chunks.iter().map(|c| c.count as u64).sum()
    }

    /// The shard as bytes (little-endian; floats bit for bit, NaN included), to send to the
    /// process that merges.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(MAGIC);
        let k = &self.key;
        for x in [k.seed, k.chunk, k.draws, k.models, k.issues, k.crises] {
            b.extend_from_slice(&x.to_le_bytes());
        }
        put_str(&mut b, &k.tag);
        b.extend_from_slice(&(self.chunks.len() as u64).to_le_bytes());
        for c in &self.chunks {
            b.extend_from_slice(&c.first.to_le_bytes());
            b.extend_from_slice(&(c.values.len() as u64).to_le_bytes());
            for v in &c.values {
                b.extend_from_slice(&v.to_bits().to_le_bytes());
            }
            b.extend_from_slice(&(c.kinds.len() as u64).to_le_bytes());
            b.extend_from_slice(&c.kinds);
            b.extend_from_slice(&(c.crisis.len() as u64).to_le_bytes());
            for v in &c.crisis {
                b.extend_from_slice(&v.to_bits().to_le_bytes());
            }
            b.extend_from_slice(&(c.reasons.len() as u64).to_le_bytes());
            for r in &c.reasons {
                put_str(&mut b, r);
            }
        }
        b
    }

    /// A shard from [`Chunks::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Chunks, ShardError> {
        let mut r = Reader { b: bytes, at: 0 };
        if r.take(8)? != MAGIC {
            return Err(ShardError::Malformed("no shard header".to_string()));
        }
        let key = Key {
            seed: r.u64()?,
            chunk: r.u64()?,
            draws: r.u64()?,
            models: r.u64()?,
            issues: r.u64()?,
            crises: r.u64()?,
            tag: r.string()?,
        };
        let n = r.u64()?;
        let mut chunks = Vec::new();
        for _ in 0..n {
            let first = r.u64()?;
            let nv = r.len(8)?;
            let values = (0..nv).map(|_| r.f64()).collect::<Result<_, _>>()?;
            let nk = r.len(1)?;
            let kinds = r.take(nk)?.to_vec();
            let nc = r.len(8)?;
            let crisis = (0..nc).map(|_| r.f64()).collect::<Result<_, _>>()?;
            let nr = r.len(8)?;
            let reasons = (0..nr).map(|_| r.string()).collect::<Result<_, _>>()?;
            // A shard's chunks are whole: each holds its full count of draws.
            let count = key.chunk.min(key.draws.saturating_sub(first)) as usize;
            chunks.push(ChunkOut {
                first,
                count,
                partial: false,
                values,
                kinds,
                inputs: Vec::new(),
                worlds: Vec::new(),
                crisis,
                reasons,
            });
        }
        if r.at != bytes.len() {
            return Err(ShardError::Malformed(format!(
                "{} bytes left over",
                bytes.len() - r.at
            )));
        }
        Ok(Chunks { key, chunks })
    }
}

fn put_str(b: &mut Vec<u8>, s: &str) {
    b.extend_from_slice(&(s.len() as u64).to_le_bytes());
    b.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], ShardError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or_else(|| ShardError::Malformed(format!("cut short at byte {}", self.at)))?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn u64(&mut self) -> Result<u64, ShardError> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(a))
    }

    fn f64(&mut self) -> Result<f64, ShardError> {
        Ok(f64::from_bits(self.u64()?))
    }

    /// A count of items of `size` bytes each, no more than the bytes left can hold.
    fn len(&mut self, size: usize) -> Result<usize, ShardError> {
        let n = self.u64()?;
        let left = (self.b.len() - self.at) / size;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= left)
            .ok_or_else(|| ShardError::Malformed(format!("a count of {n} past the end")))
    }

    fn string(&mut self) -> Result<String, ShardError> {
        let n = self.len(1)?;
        String::from_utf8(self.take(n)?.to_vec())
            .map_err(|_| ShardError::Malformed("a text that is not UTF-8".to_string()))
    }
}
