//! The round loop of the equal-gain exchange model, written once for any [`Num`] (binary `f64` or
//! [`Dec28`]). Each step follows decide-exchange-model 2025.3.1 operation by operation (the order of
//! every product and sum matters for the 28-digit replication); see the module docs of
//! [`crate::exchange`] for the equations.

use super::decimal::Dec28;
use super::pyrandom::PyRandom;
use super::{
    Algorithm, ExchangeError, ExchangeInput, ExchangeParams, ExchangeRecord, ExchangeRun,
    ExchangeWork, Externalities, Move, RoundRecord, TieBreak,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use smallvec::SmallVec;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// The arithmetic the engine runs on.
pub(crate) trait Num: Clone + std::fmt::Debug {
    fn zero() -> Self;
    fn from_i64(v: i64) -> Self;
    /// The exact value of a binary float constant (Python's `Decimal(float)`).
    fn constant(v: f64) -> Self;
    /// A user number as typed (shortest decimal representation of the float).
    fn input(v: f64) -> Self;
    fn add(&self, o: &Self) -> Self;
    fn sub(&self, o: &Self) -> Self;
    fn mul(&self, o: &Self) -> Self;
    /// Callers guarantee a non-zero divisor.
    fn div(&self, o: &Self) -> Self;
    fn abs(&self) -> Self;
    fn neg(&self) -> Self;
    fn cmp(&self, o: &Self) -> Ordering;
    /// A total order for sorting (no NaN can break it).
    fn total_cmp(&self, o: &Self) -> Ordering;
    fn is_zero(&self) -> bool;
    /// The value as a binary float, when that is the number itself (float64 runs): lets the
    /// engine decide comparisons from cheap sums with a proven error bound.
    fn as_binary(&self) -> Option<f64>;
    fn lt(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Less
    }
    fn gt(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Greater
    }
    fn le(&self, o: &Self) -> bool {
        self.cmp(o) != Ordering::Greater
    }
    fn ge(&self, o: &Self) -> bool {
        self.cmp(o) != Ordering::Less
    }
}

impl Num for f64 {
    #[inline]
    fn zero() -> Self {
        0.0
    }
    #[inline]
    fn from_i64(v: i64) -> Self {
        v as f64
    }
    #[inline]
    fn constant(v: f64) -> Self {
        v
    }
    #[inline]
    fn input(v: f64) -> Self {
        v
    }
    #[inline]
    fn add(&self, o: &Self) -> Self {
        self + o
    }
    #[inline]
    fn sub(&self, o: &Self) -> Self {
        self - o
    }
    #[inline]
    fn mul(&self, o: &Self) -> Self {
        self * o
    }
    #[inline]
    fn div(&self, o: &Self) -> Self {
        self / o
    }
    #[inline]
    fn abs(&self) -> Self {
        f64::abs(*self)
    }
    #[inline]
    fn neg(&self) -> Self {
        -self
    }
    #[inline]
    fn cmp(&self, o: &Self) -> Ordering {
        self.partial_cmp(o).unwrap_or(Ordering::Equal)
    }
    #[inline]
    fn total_cmp(&self, o: &Self) -> Ordering {
        f64::total_cmp(self, o)
    }
    #[inline]
    fn is_zero(&self) -> bool {
        *self == 0.0
    }
    #[inline]
    fn as_binary(&self) -> Option<f64> {
        Some(*self)
    }
}

impl Num for Dec28 {
    fn zero() -> Self {
        Dec28::zero()
    }
    fn from_i64(v: i64) -> Self {
        Dec28::from_i64(v)
    }
    fn constant(v: f64) -> Self {
        Dec28::from_f64_exact(v).unwrap_or_else(Dec28::zero)
    }
    fn input(v: f64) -> Self {
        Dec28::from_f64_shortest(v).unwrap_or_else(Dec28::zero)
    }
    fn add(&self, o: &Self) -> Self {
        Dec28::add(self, o)
    }
    fn sub(&self, o: &Self) -> Self {
        Dec28::sub(self, o)
    }
    fn mul(&self, o: &Self) -> Self {
        Dec28::mul(self, o)
    }
    fn div(&self, o: &Self) -> Self {
        self.checked_div(o).unwrap_or_else(Dec28::zero)
    }
    fn abs(&self) -> Self {
        Dec28::abs(self)
    }
    fn neg(&self) -> Self {
        Dec28::neg(self)
    }
    fn cmp(&self, o: &Self) -> Ordering {
        self.cmp_value(o)
    }
    fn total_cmp(&self, o: &Self) -> Ordering {
        self.cmp_value(o)
    }
    fn is_zero(&self) -> bool {
        Dec28::is_zero(self)
    }
    fn as_binary(&self) -> Option<f64> {
        None
    }
}

/// Marks an actor without positions on both issues of a pair.
const NO_GROUP: u8 = u8::MAX;

/// Constants of the package, as the binary floats it compares against.
struct Consts<N> {
    zero: N,
    hundred: N,
    one: N,
    min_move: N,
    tie: N,
    w1: N,
    w2: N,
}

impl<N: Num> Consts<N> {
    fn new() -> Self {
        Consts {
            zero: N::zero(),
            hundred: N::from_i64(100),
            one: N::from_i64(1),
            min_move: N::constant(1e-10),
            tie: N::constant(1e-20),
            w1: N::constant(0.4),
            w2: N::constant(0.1),
        }
    }
}

/// One stance of an issue, in `#D` order.
#[derive(Clone, Debug)]
struct Stance<N> {
    s: N,
    c: N,
}

/// One side of a candidate exchange.
#[derive(Clone, Debug)]
struct Side<N> {
    actor: usize,
    supply: usize,
    demand: usize,
    /// The actor's slot among the supply issue's stances.
    slot: usize,
    /// Current supply position x̃.
    x: N,
    /// Round-start position on the supply issue.
    start: N,
    /// Round-start position on the demand issue.
    demand_pos: N,
    s_sup: N,
    c_sup: N,
    s_dem: N,
    mv: N,
    y: N,
    /// The shifts of this side in the round so far (usually one or two).
    moves: SmallVec<[N; 2]>,
    /// Outcome on the supply issue with this side at x̃ (`nbs0`) and at y (`nbs1`), as the
    /// last evaluation left them; valid only when `nbs_pending` is false.
    nbs0: N,
    nbs1: N,
    /// The last evaluation decided that the exchange does not overshoot without computing
    /// `nbs0`/`nbs1` exactly; they equal the sums at the current x̃, y and updates, and are
    /// computed when needed ([`Engine::materialize_nbs`]).
    nbs_pending: bool,
}

#[derive(Clone, Debug)]
struct Cand<N> {
    i: Side<N>,
    j: Side<N>,
    /// Index of the issue pair (p, q) in `Engine::run`'s group table.
    pair: usize,
    /// Inner groups: a and d (true) or b and c (false).
    inner_ad: bool,
    gain: N,
    valid: bool,
    /// Executed in this round: its outcome sums are always computed exactly from then on.
    executed: bool,
    /// U[k][actor]: outcome-relevant positions of partners in executed exchanges, at most one
    /// per (issue, actor), sorted by (issue, slot of the actor on the issue).
    updates: Vec<Update<N>>,
}

/// One entry of U: the position of `actor` (at `slot` among the stances of `issue`) that a
/// candidate's outcome sums use instead of the round-start one.
#[derive(Clone, Debug)]
struct Update<N> {
    issue: usize,
    slot: usize,
    actor: usize,
    value: N,
}

impl<N: Num> Cand<N> {
    fn update(&self, issue: usize, actor: usize) -> Option<&N> {
        self.updates
            .iter()
            .find(|u| u.issue == issue && u.actor == actor)
            .map(|u| &u.value)
    }
    /// Sets U[issue][actor]; `slot` is the actor's slot on the issue (`usize::MAX` if it has
    /// none: such an entry never enters a sum).
    fn set_update(&mut self, issue: usize, actor: usize, slot: usize, v: N) {
        if let Some(u) = self
            .updates
            .iter_mut()
            .find(|u| u.issue == issue && u.actor == actor)
        {
            u.value = v;
        } else {
            let at = self
                .updates
                .partition_point(|u| (u.issue, u.slot, u.actor) < (issue, slot, actor));
            self.updates.insert(
                at,
                Update {
                    issue,
                    slot,
                    actor,
                    value: v,
                },
            );
        }
    }
}

/// The entries of `updates` on `issue` (a contiguous run, by slot).
fn updates_on<N>(updates: &[Update<N>], issue: usize) -> &[Update<N>] {
    let lo = updates.partition_point(|u| u.issue < issue);
    let hi = lo + updates[lo..].partition_point(|u| u.issue == issue);
    &updates[lo..hi]
}

/// What a reacting candidate needs to know of the executed one.
struct SideInfo<N> {
    actor: usize,
    supply: usize,
    demand: usize,
    y: N,
    last_move: Option<N>,
    start: N,
}

impl<N: Num> SideInfo<N> {
    fn of(s: &Side<N>) -> Self {
        SideInfo {
            actor: s.actor,
            supply: s.supply,
            demand: s.demand,
            y: s.y.clone(),
            last_move: s.moves.last().cloned(),
            start: s.start.clone(),
        }
    }
}

enum Draws {
    Constant(f64),
    Chacha(Box<ChaCha8Rng>),
    Python(Box<PyRandom>),
}

impl Draws {
    fn new(t: &TieBreak) -> Self {
        match *t {
            TieBreak::Keep => Draws::Constant(0.1),
            TieBreak::Swap => Draws::Constant(0.9),
            TieBreak::Seeded(seed) => Draws::Chacha(Box::new(ChaCha8Rng::seed_from_u64(seed))),
            TieBreak::PythonSeed(seed) => Draws::Python(Box::new(PyRandom::new(seed))),
        }
    }
    fn draw(&mut self) -> f64 {
        match self {
            Draws::Constant(u) => *u,
            Draws::Chacha(r) => r.gen::<f64>(),
            Draws::Python(r) => r.random(),
        }
    }
}

/// One round's candidates and what its selection loop produces.
struct Round<N> {
    cands: Vec<Cand<N>>,
    /// Per issue pair, the group of each actor at the start of the round.
    group_of: Vec<u8>,
    /// Actors (the row length of `group_of`).
    n_actors: usize,
    /// Externalities per actor (see [`Engine::add_externalities`]).
    ext: Vec<[N; 5]>,
    /// Executed candidates in order.
    realized: Vec<usize>,
    /// Tie draws made up to each executed candidate's pick.
    draws_at: Vec<usize>,
    /// Tie draws made in the round.
    draws: usize,
}

/// No entry.
const NONE: u32 = u32::MAX;

/// The most picks a round may make before it counts as endless: 16 per candidate, and 1,024
/// more. A pick removes one entry from the list and a tie adds at most one, so a round ends
/// unless a near-tie is kept forever (two tied candidates at the front that no pick removes,
/// e.g. both invalid under [`TieBreak::Keep`], where the package's loop would never end); with
/// random draws such a cycle ends after about two picks on average, far below the limit.
fn pick_limit(candidates: usize) -> u64 {
    16 * candidates as u64 + 1024
}

/// One entry of the selection list (see [`Engine::select_indexed`]).
#[derive(Clone, Debug)]
struct Entry {
    cand: u32,
    /// Place among entries of equal gain (smaller first).
    t: i64,
    alive: bool,
    /// The next entry of the same candidate (entries of one candidate are in list order).
    next_same: u32,
}

/// A heap item: an entry under its key at the time it was pushed.
struct Item<N> {
    gain: N,
    t: i64,
    entry: u32,
}

impl<N: Num> Ord for Item<N> {
    /// Larger gain first, then smaller t: the top of the max-heap is the front of the list.
    fn cmp(&self, o: &Self) -> Ordering {
        self.gain.total_cmp(&o.gain).then(o.t.cmp(&self.t))
    }
}

impl<N: Num> PartialOrd for Item<N> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl<N: Num> PartialEq for Item<N> {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}

impl<N: Num> Eq for Item<N> {}

/// The selection list as a lazy-deletion max-heap of keyed entries.
struct Queue<N> {
    heap: BinaryHeap<Item<N>>,
    entries: Vec<Entry>,
    /// Per candidate, its first and last entry.
    first: Vec<u32>,
    last: Vec<u32>,
    /// Next t for an entry moved to the front of its gain's block (decreasing).
    front: i64,
    /// Next t for an entry moved or appended to the back of its gain's block (increasing).
    back: i64,
    /// Heap pushes.
    pushes: u64,
    /// Per candidate, its alive entries.
    live: Vec<u32>,
}

impl<N: Num> Queue<N> {
    /// Every candidate once, in index order (the initial list).
    fn new(cands: &[Cand<N>]) -> Self {
        let n = cands.len();
        let entries: Vec<Entry> = (0..n)
            .map(|c| Entry {
                cand: c as u32,
                t: c as i64,
                alive: true,
                next_same: NONE,
            })
            .collect();
        let items: Vec<Item<N>> = cands
            .iter()
            .enumerate()
            .map(|(c, cand)| Item {
                gain: cand.gain.clone(),
                t: c as i64,
                entry: c as u32,
            })
            .collect();
        let ids: Vec<u32> = (0..n as u32).collect();
        Queue {
            heap: BinaryHeap::from(items),
            entries,
            first: ids.clone(),
            last: ids,
            front: -1,
            back: n as i64,
            pushes: n as u64,
            live: vec![1; n],
        }
    }

    /// The front entry, if any (superseded items on top are dropped).
    fn peek(&mut self) -> Option<u32> {
        while let Some(top) = self.heap.peek() {
            let e = &self.entries[top.entry as usize];
            if e.alive && e.t == top.t {
                return Some(top.entry);
            }
            self.heap.pop();
        }
        None
    }

    /// Removes the front entry.
    fn pop(&mut self) -> Option<u32> {
        let e = self.peek()?;
        self.heap.pop();
        self.kill(e);
        Some(e)
    }

    /// Takes entry `e` out of the list (its heap item is skipped when it surfaces).
    fn kill(&mut self, e: u32) {
        let en = &mut self.entries[e as usize];
        if en.alive {
            en.alive = false;
            self.live[en.cand as usize] -= 1;
        }
    }

    /// A new entry of candidate `c` at the end of the list; it enters the heap at
    /// [`Queue::finish_pick`].
    fn append(&mut self, c: usize) -> u32 {
        let id = self.entries.len() as u32;
        self.entries.push(Entry {
            cand: c as u32,
            t: i64::MIN,
            alive: true,
            next_same: NONE,
        });
        match self.last[c] {
            NONE => self.first[c] = id,
            l => self.entries[l as usize].next_same = id,
        }
        self.last[c] = id;
        self.live[c] += 1;
        id
    }

    /// The alive entries of candidate `c`, in list order.
    fn alive_entries(&self, c: usize, out: &mut Vec<u32>) {
        out.clear();
        let mut e = self.first[c];
        while e != NONE {
            let en = &self.entries[e as usize];
            if en.alive {
                out.push(e);
            }
            e = en.next_same;
        }
    }

    fn push(&mut self, e: u32, t: i64, gain: &N) {
        self.entries[e as usize].t = t;
        self.heap.push(Item {
            gain: gain.clone(),
            t,
            entry: e,
        });
        self.pushes += 1;
    }

    /// The stable sort before the next pick: re-keys the entries whose gain changed
    /// (`modified`: old gain, old t, entry) and the appended entry.
    fn finish_pick(
        &mut self,
        cands: &[Cand<N>],
        modified: &mut Vec<(N, i64, u32)>,
        appended: Option<u32>,
    ) {
        // old list order
        modified.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (old, _, e) in modified.iter().rev() {
            let gain = &cands[self.entries[*e as usize].cand as usize].gain;
            if gain.total_cmp(old) == Ordering::Less {
                let t = self.front;
                self.front -= 1;
                self.push(*e, t, gain);
            }
        }
        for (old, _, e) in modified.iter() {
            let gain = &cands[self.entries[*e as usize].cand as usize].gain;
            if gain.total_cmp(old) == Ordering::Greater {
                let t = self.back;
                self.back += 1;
                self.push(*e, t, gain);
            }
        }
        modified.clear();
        if let Some(a) = appended {
            if self.entries[a as usize].alive {
                let gain = &cands[self.entries[a as usize].cand as usize].gain;
                let t = self.back;
                self.back += 1;
                self.push(a, t, gain);
            }
        }
    }
}

/// The candidates of a round by (actor, supply issue) and by (actor, demand issue) of either
/// side, in compressed rows. Candidates with no entry left in the list are dropped from a row
/// when it is read.
struct CandIndex {
    n_issues: usize,
    /// Per key, where its row starts in `rows`, for supply keys then demand keys.
    start: Vec<u32>,
    /// Per key, the length of its row (shrinks as candidates leave).
    len: Vec<u32>,
    rows: Vec<u32>,
}

impl CandIndex {
    fn new<N>(cands: &[Cand<N>], n_issues: usize, n_actors: usize) -> Self {
        let keys = n_actors * n_issues;
        let key = |s: &Side<N>, demand: bool| -> usize {
            s.actor * n_issues
                + if demand { s.demand } else { s.supply }
                + if demand { keys } else { 0 }
        };
        let mut len = vec![0u32; 2 * keys];
        for c in cands {
            for s in [&c.i, &c.j] {
                len[key(s, false)] += 1;
                len[key(s, true)] += 1;
            }
        }
        let mut start = vec![0u32; 2 * keys];
        let mut acc = 0u32;
        for (st, l) in start.iter_mut().zip(&len) {
            *st = acc;
            acc += l;
        }
        let mut fill = start.clone();
        let mut rows = vec![0u32; acc as usize];
        for (n, c) in cands.iter().enumerate() {
            for s in [&c.i, &c.j] {
                for demand in [false, true] {
                    let k = key(s, demand);
                    rows[fill[k] as usize] = n as u32;
                    fill[k] += 1;
                }
            }
        }
        CandIndex {
            n_issues,
            start,
            len,
            rows,
        }
    }

    /// Calls `f` with every candidate of the row (actor, issue) as supply (`demand` false) or
    /// demand issue that still has an entry (`live` > 0), dropping the others from the row.
    fn collect(
        &mut self,
        demand: bool,
        actor: usize,
        issue: usize,
        live: &[u32],
        mut f: impl FnMut(u32),
    ) {
        let keys = self.start.len() / 2;
        let k = actor * self.n_issues + issue + if demand { keys } else { 0 };
        let a = self.start[k] as usize;
        let b = a + self.len[k] as usize;
        let mut w = a;
        for r in a..b {
            let c = self.rows[r];
            if live[c as usize] > 0 {
                self.rows[w] = c;
                w += 1;
                f(c);
            }
        }
        self.len[k] = (w - a) as u32;
    }
}

/// The validated model state.
pub(crate) struct Engine<N> {
    k: Consts<N>,
    actor_names: Vec<String>,
    issue_names: Vec<String>,
    lower: Vec<N>,
    step: Vec<N>,
    /// Stances per issue in `#D` order.
    stances: Vec<Vec<Stance<N>>>,
    /// slot[issue][actor] = index into `stances[issue]`.
    slot: Vec<Vec<Option<usize>>>,
    /// Current positions per issue and slot (normalised 0..100).
    pos: Vec<Vec<N>>,
    denom: Vec<N>,
    /// Per issue and slot, x·s·c at the start of the round.
    term: Vec<Vec<N>>,
    /// Per issue, running sums of `term` (entry j sums the first j terms, from zero).
    prefix: Vec<Vec<N>>,
    /// Per issue, Σ|x·s·c| over the round-start terms (float64 runs only; for error bounds).
    magnitude: Vec<f64>,
    /// Whether outcome sums are computed literally ([`Algorithm::Reference`]).
    literal: bool,
    /// Whether the rounds are recorded (exchanges, externalities, voting outcomes); without,
    /// only the outcomes are computed.
    history: bool,
}

impl<N: Num> Engine<N> {
    pub(crate) fn new(input: &ExchangeInput) -> Result<Self, ExchangeError> {
        let v = input.validate()?;
        let k = Consts::<N>::new();
        let n_issues = input.issues.len();
        let n_actors = input.actors.len();
        let mut lower = Vec::with_capacity(n_issues);
        let mut step = Vec::with_capacity(n_issues);
        for issue in &input.issues {
            let lo = N::input(issue.lower);
            let up = N::input(issue.upper);
            let delta = up.sub(&lo);
            // step = Decimal(100 / delta)
            step.push(k.hundred.div(&delta));
            lower.push(lo);
        }
        let mut stances: Vec<Vec<Stance<N>>> = vec![Vec::new(); n_issues];
        let mut slot = vec![vec![None; n_actors]; n_issues];
        let mut pos: Vec<Vec<N>> = vec![Vec::new(); n_issues];
        for (st, &(a, i)) in input.stances.iter().zip(&v.stance_index) {
            slot[i][a] = Some(stances[i].len());
            // x = Decimal(raw - lower) * step
            let x = N::input(st.position).sub(&lower[i]).mul(&step[i]);
            pos[i].push(x);
            stances[i].push(Stance {
                s: N::input(st.salience),
                c: N::input(st.power),
            });
        }
        let denom = stances
            .iter()
            .map(|ss| {
                ss.iter()
                    .fold(N::zero(), |acc, st| acc.add(&st.s.mul(&st.c)))
            })
            .collect();
        Ok(Engine {
            k,
            actor_names: input.actors.clone(),
            issue_names: input.issues.iter().map(|i| i.name.clone()).collect(),
            lower,
            step,
            stances,
            slot,
            pos,
            denom,
            term: vec![Vec::new(); n_issues],
            prefix: vec![Vec::new(); n_issues],
            magnitude: vec![0.0; n_issues],
            literal: false,
            history: true,
        })
    }

    /// O_k = Σ x·s·c / D_k over the current positions (0 if D_k = 0).
    fn outcome(&self, issue: usize) -> N {
        let d = &self.denom[issue];
        if d.is_zero() {
            return N::zero();
        }
        let mut num = N::zero();
        for (st, x) in self.stances[issue].iter().zip(&self.pos[issue]) {
            num = num.add(&x.mul(&st.s).mul(&st.c));
        }
        num.div(d)
    }

    fn outcomes(&self) -> Vec<N> {
        (0..self.stances.len()).map(|k| self.outcome(k)).collect()
    }

    /// Back to the issue's own scale: x/step + lower (x = 0 gives lower).
    fn denormalize(&self, issue: usize, x: &N) -> N {
        if x.is_zero() {
            return self.lower[issue].clone();
        }
        x.div(&self.step[issue]).add(&self.lower[issue])
    }

    /// Σ_j x_j·s_j·c_j over the stances of issue `k` in order, as the package sums, where x_j
    /// is the round-start position except at `own` (`own_x`) and at the slots of `upd` (their
    /// values; `own_first` says which of the two wins at `own`). The terms before the first
    /// overridden slot are the round-start ones, so their running sum is taken from `prefix`
    /// (the same additions in the same order, made once per round).
    fn sum_with(&self, k: usize, own: usize, own_x: &N, upd: &[Update<N>], own_first: bool) -> N {
        let stances = &self.stances[k];
        let term = &self.term[k];
        let mut num = N::zero();
        let mut from = usize::MAX;
        // the overridden slots in order: each update, and `own` where it falls
        let mut own_done = false;
        let add = |num: &mut N, from: &mut usize, j: usize, x: &N| {
            if *from == usize::MAX {
                *num = self.prefix[k][j].clone();
            } else {
                for t in &term[*from..j] {
                    *num = num.add(t);
                }
            }
            let st = &stances[j];
            *num = num.add(&x.mul(&st.s).mul(&st.c));
            *from = j + 1;
        };
        for u in upd {
            if u.slot >= stances.len() {
                break;
            }
            if !own_done && own <= u.slot {
                own_done = true;
                if own < u.slot || own_first {
                    add(&mut num, &mut from, own, own_x);
                    if own == u.slot {
                        continue;
                    }
                } else {
                    // an update at `own` takes precedence
                    add(&mut num, &mut from, own, &u.value);
                    continue;
                }
            }
            add(&mut num, &mut from, u.slot, &u.value);
        }
        if !own_done {
            add(&mut num, &mut from, own, own_x);
        }
        for t in &term[from..] {
            num = num.add(t);
        }
        num
    }

    /// The sum of [`Engine::sum_with`] as the package computes it: every product x·s·c formed
    /// and added in stance order, the updates looked up for every stance.
    fn literal_sum(
        &self,
        k: usize,
        own: usize,
        own_x: &N,
        upd: &[Update<N>],
        own_first: bool,
    ) -> N {
        let mut num = N::zero();
        for (j, (st, base)) in self.stances[k].iter().zip(&self.pos[k]).enumerate() {
            let u = upd
                .iter()
                .find(|u| u.issue == k && u.slot == j)
                .map(|u| &u.value);
            let x = match u {
                _ if j == own && own_first => own_x,
                Some(v) => v,
                None if j == own => own_x,
                None => base,
            };
            num = num.add(&x.mul(&st.s).mul(&st.c));
        }
        num
    }

    /// Outcome on X's supply issue with the round-start positions, overridden by the candidate's
    /// updates, and X at `at` (`adjusted_nbs`).
    fn adjust_nbs(&self, updates: &[Update<N>], side: &Side<N>, at: &N) -> N {
        let k = side.supply;
        let d = &self.denom[k];
        if d.is_zero() {
            return N::zero();
        }
        if self.literal {
            return self.literal_sum(k, side.slot, at, updates, true).div(d);
        }
        let upd = updates_on(updates, k);
        self.sum_with(k, side.slot, at, upd, true).div(d)
    }

    /// The shift of X that moves the outcome on its supply issue to `target`
    /// (`adjusted_nbs_by_position`; the sum includes X itself at x̃, then the updates, which
    /// take precedence).
    fn shift_to_outcome(&self, updates: &[Update<N>], side: &Side<N>, target: &N) -> N {
        let k = side.supply;
        let num = if self.literal {
            self.literal_sum(k, side.slot, &side.x, updates, false)
        } else {
            self.sum_with(k, side.slot, &side.x, updates_on(updates, k), false)
        };
        let left = target.mul(&self.denom[k]).sub(&num);
        left.div(&side.s_sup.mul(&side.c_sup))
    }

    /// The round-start terms x·s·c of every stance and their running sums (see
    /// [`Engine::adjust_nbs`]).
    fn update_terms(&mut self) {
        for k in 0..self.stances.len() {
            let term: Vec<N> = self.stances[k]
                .iter()
                .zip(&self.pos[k])
                .map(|(st, x)| x.mul(&st.s).mul(&st.c))
                .collect();
            let mut prefix = Vec::with_capacity(term.len() + 1);
            let mut acc = N::zero();
            prefix.push(acc.clone());
            for t in &term {
                acc = acc.add(t);
                prefix.push(acc.clone());
            }
            self.magnitude[k] = term
                .iter()
                .map(|t| t.as_binary().map_or(f64::NAN, f64::abs))
                .sum();
            self.term[k] = term;
            self.prefix[k] = prefix;
        }
    }

    /// `is_move_valid`: None (mixed signs) counts as false.
    fn move_valid(&self, side: &Side<N>) -> bool {
        let k = &self.k;
        let m = side.mv.abs();
        if m.gt(&k.hundred) || m.le(&k.min_move) {
            return false;
        }
        let y = side.x.add(&side.mv);
        if y.lt(&k.zero) || y.gt(&k.hundred) {
            return false;
        }
        // one pass: the sum in order, and whether all shifts share one sign
        let mut sum = N::zero();
        let mut all_neg = true;
        let mut all_pos = true;
        for mv in &side.moves {
            sum = sum.add(mv);
            all_neg &= mv.lt(&k.zero);
            all_pos &= mv.gt(&k.zero);
        }
        if sum.gt(&k.hundred) {
            return false;
        }
        !side.moves.is_empty() && (all_neg || all_pos)
    }

    fn new_side(&self, actor: usize, supply: usize, demand: usize) -> Side<N> {
        // Both slots exist: candidates are only made for actors on both issues.
        let ss = self.slot[supply][actor].unwrap_or(0);
        let ds = self.slot[demand][actor].unwrap_or(0);
        let x = self.pos[supply][ss].clone();
        Side {
            actor,
            supply,
            demand,
            slot: ss,
            start: x.clone(),
            x,
            demand_pos: self.pos[demand][ds].clone(),
            s_sup: self.stances[supply][ss].s.clone(),
            c_sup: self.stances[supply][ss].c.clone(),
            s_dem: self.stances[demand][ds].s.clone(),
            mv: N::zero(),
            y: N::zero(),
            moves: SmallVec::new(),
            nbs0: N::zero(),
            nbs1: N::zero(),
            nbs_pending: false,
        }
    }

    /// `EqualGainExchange.calculate`.
    fn calculate(&self, c: &mut Cand<N>) {
        let (dp, dq);
        {
            let (i, j) = (&c.i, &c.j);
            // j moves fully to i's position on p
            let dj = i.demand_pos.sub(&j.x).abs();
            let mut p_ratio = dj.mul(&j.s_sup).mul(&j.c_sup).div(&self.denom[j.supply]);
            let mut q_ratio = j
                .s_sup
                .add(&i.s_dem)
                .div(&j.s_dem.add(&i.s_sup))
                .mul(&p_ratio);
            let mut i_mv = q_ratio
                .mul(&self.denom[i.supply])
                .div(&i.c_sup.mul(&i.s_sup));
            let mut j_mv = dj;
            let di_full = j.demand_pos.sub(&i.x).abs();
            if i_mv.abs().gt(&di_full) {
                // i moves fully to j's position on q instead
                q_ratio = di_full
                    .mul(&i.s_sup)
                    .mul(&i.c_sup)
                    .div(&self.denom[i.supply]);
                p_ratio = i
                    .s_sup
                    .add(&j.s_dem)
                    .div(&i.s_dem.add(&j.s_sup))
                    .mul(&q_ratio);
                i_mv = di_full;
                j_mv = p_ratio
                    .mul(&self.denom[j.supply])
                    .div(&j.c_sup.mul(&j.s_sup));
            }
            if i.x.gt(&j.demand_pos) {
                i_mv = i_mv.neg();
            }
            if j.x.gt(&i.demand_pos) {
                j_mv = j_mv.neg();
            }
            c.i.mv = i_mv;
            c.j.mv = j_mv;
            dp = p_ratio;
            dq = q_ratio;
        }
        c.i.moves.push(c.i.mv.clone());
        c.j.moves.push(c.j.mv.clone());
        c.i.y = c.i.x.add(&c.i.mv);
        c.j.y = c.j.x.add(&c.j.mv);
        c.gain = dq.mul(&c.i.s_sup).sub(&dp.mul(&c.i.s_dem)).abs();
        let mut valid = self.move_valid(&c.i) && self.move_valid(&c.j);
        if c.gain.lt(&self.k.min_move) {
            valid = false;
        }
        c.valid = valid;
        if !valid {
            return;
        }
        self.check_nbs(c, true);
        self.check_nbs(c, false);
        c.valid = self.move_valid(&c.i) && self.move_valid(&c.j);
    }

    /// Whether the partner's position `t` on X's supply issue surely lies outside the interval
    /// between the outcomes `nbs0` (X at x̃) and `nbs1` (X at y), so that `check_nbs` would do
    /// nothing but store them. Float64 runs only; decided from the sums rearranged
    /// (Σ all round-start terms − X's own + the changed terms, O(updates) instead of O(stances))
    /// with a bound on how far that can be from the literal left-to-right sum: recursive
    /// summation of m terms errs by at most γ_m·Σ|terms| (γ_m = m·u/(1 − m·u), u = 2⁻⁵³), the
    /// rearrangement by as much again, the division by u relative. The bound used is four times
    /// that, with m counted generously; anything closer is decided by the exact sums.
    fn surely_no_overshoot(&self, updates: &[Update<N>], xs: &Side<N>, t: &N) -> bool {
        let k = xs.supply;
        let (Some(d), Some(total), Some(t)) = (
            self.denom[k].as_binary(),
            self.prefix[k].last().and_then(N::as_binary),
            t.as_binary(),
        ) else {
            return false;
        };
        if d == 0.0 {
            return false;
        }
        let stances = &self.stances[k];
        let own = xs.slot;
        let term = |j: usize, x: &N| x.mul(&stances[j].s).mul(&stances[j].c).as_binary();
        let (Some(own_base), Some(t0), Some(t1)) = (
            self.term[k][own].as_binary(),
            term(own, &xs.x),
            term(own, &xs.y),
        ) else {
            return false;
        };
        let mut num = total - own_base;
        let mut mag = self.magnitude[k] + own_base.abs() + t0.abs() + t1.abs();
        let upd = updates_on(updates, k);
        for u in upd {
            if u.slot == own || u.slot >= stances.len() {
                continue;
            }
            let (Some(new), Some(old)) = (term(u.slot, &u.value), self.term[k][u.slot].as_binary())
            else {
                return false;
            };
            num += new - old;
            mag += new.abs() + old.abs();
        }
        let a0 = (num + t0) / d;
        let a1 = (num + t1) / d;
        let m = (stances.len() + 2 * upd.len() + 8) as f64;
        let err =
            4.0 * m * f64::EPSILON * (mag / d.abs() + a0.abs() + a1.abs()) + f64::MIN_POSITIVE;
        let (lo, hi) = if a0 <= a1 { (a0, a1) } else { (a1, a0) };
        // NaN anywhere makes both comparisons false: undecided
        t > hi + err || t < lo - err
    }

    /// An exchange is executed: its outcome sums are needed (externalities, the record), so the
    /// pending ones are computed now, from the state they describe, and every later evaluation
    /// of it computes them exactly.
    fn mark_executed(&self, c: &mut Cand<N>) {
        c.executed = true;
        let Cand { updates, i, j, .. } = c;
        self.materialize_nbs(updates, i);
        self.materialize_nbs(updates, j);
    }

    /// Computes the outcome sums a side left pending ([`Side::nbs_pending`]).
    fn materialize_nbs(&self, updates: &[Update<N>], side: &mut Side<N>) {
        if side.nbs_pending {
            side.nbs0 = self.adjust_nbs(updates, side, &side.x);
            side.nbs1 = self.adjust_nbs(updates, side, &side.y);
            side.nbs_pending = false;
        }
    }

    /// `check_nbs` for side X (i if `x_is_i`): if X's move carries the outcome on its supply issue
    /// past the partner's position there, shrink the exchange so that it stops at that position.
    fn check_nbs(&self, c: &mut Cand<N>, x_is_i: bool) {
        let (xs, ys) = if x_is_i { (&c.i, &c.j) } else { (&c.j, &c.i) };
        if !self.literal && !c.executed && self.surely_no_overshoot(&c.updates, xs, &ys.demand_pos)
        {
            let xs = if x_is_i { &mut c.i } else { &mut c.j };
            xs.nbs_pending = true;
            return;
        }
        let nbs0 = self.adjust_nbs(&c.updates, xs, &xs.x);
        let nbs1 = self.adjust_nbs(&c.updates, xs, &xs.y);
        let t = ys.demand_pos.clone();
        let passes = !((t.ge(&nbs0) && t.ge(&nbs1)) || (t.le(&nbs0) && t.le(&nbs1)));
        if !passes {
            let xs = if x_is_i { &mut c.i } else { &mut c.j };
            xs.nbs0 = nbs0;
            xs.nbs1 = nbs1;
            xs.nbs_pending = false;
            return;
        }
        if !x_is_i && c.i.nbs_pending {
            // the shrink below moves i, whose sums were left pending at the old position
            self.materialize_nbs(&c.updates, &mut c.i);
        }
        let (xs, ys) = if x_is_i { (&c.i, &c.j) } else { (&c.j, &c.i) };
        let k = xs.supply;
        let delta = self.shift_to_outcome(&c.updates, xs, &t).abs();
        let dp = delta.mul(&xs.s_sup).mul(&xs.c_sup).div(&self.denom[k]);
        let dq = xs
            .s_sup
            .add(&ys.s_dem)
            .div(&xs.s_dem.add(&ys.s_sup))
            .mul(&dp);
        let mut y_mv = dq
            .mul(&self.denom[ys.supply])
            .div(&ys.c_sup.mul(&ys.s_sup))
            .abs();
        let mut x_mv = delta;
        if ys.x.gt(&xs.demand_pos) {
            y_mv = y_mv.neg();
        }
        if xs.x.gt(&ys.demand_pos) {
            x_mv = x_mv.neg();
        }
        let gain = dq.mul(&ys.s_sup).sub(&dp.mul(&ys.s_dem)).abs();
        let (xs, ys) = if x_is_i {
            (&mut c.i, &mut c.j)
        } else {
            (&mut c.j, &mut c.i)
        };
        ys.moves.pop();
        xs.moves.pop();
        ys.moves.push(y_mv.clone());
        xs.moves.push(x_mv.clone());
        ys.mv = y_mv;
        xs.mv = x_mv;
        ys.y = ys.x.add(&ys.mv);
        xs.y = xs.x.add(&xs.mv);
        xs.nbs0 = nbs0;
        xs.nbs_pending = false;
        c.gain = gain;
        let (xs, ys) = if x_is_i { (&c.i, &c.j) } else { (&c.j, &c.i) };
        let valid = self.move_valid(ys) && self.move_valid(xs);
        let nbs1 = self.adjust_nbs(&c.updates, xs, &xs.y);
        if x_is_i {
            c.i.nbs1 = nbs1;
        } else {
            c.j.nbs1 = nbs1;
        }
        c.valid = valid;
    }

    /// `recalculate`: candidate `e` reacts to the executed exchange `r`. Returns whether it
    /// was evaluated again (it shares an actor and an issue with `r`).
    fn react(&self, e: &mut Cand<N>, ri: &SideInfo<N>, rj: &SideInfo<N>) -> bool {
        let mut re_calc = false;
        for side in [&mut e.i, &mut e.j] {
            for r in [ri, rj] {
                if side.actor == r.actor && side.supply == r.supply {
                    side.x = r.y.clone();
                    if let Some(m) = &r.last_move {
                        side.moves.push(m.clone());
                    }
                    re_calc = true;
                    break;
                }
            }
        }
        if re_calc {
            e.i.moves.pop();
            e.j.moves.pop();
        }
        // demand matches: R = r.j (partner M = r.i), then R = r.i (partner M = r.j)
        let supply_hit = re_calc;
        let mut changed = supply_hit;
        for (r, m) in [(rj, ri), (ri, rj)] {
            let hit = |s: &Side<N>| s.actor == r.actor && s.demand == r.demand;
            if hit(&e.j) || hit(&e.i) {
                let k = r.demand;
                let new = match e.update(k, m.actor) {
                    None => Some(m.y.clone()),
                    Some(u) => {
                        if m.start.le(u) {
                            if u.lt(&m.y) {
                                None
                            } else {
                                Some(m.y.clone())
                            }
                        } else if u.gt(&m.y) {
                            None
                        } else {
                            Some(m.y.clone())
                        }
                    }
                };
                // None: the update keeps its value
                if let Some(new) = new {
                    let slot = self.slot[k][m.actor].unwrap_or(usize::MAX);
                    e.set_update(k, m.actor, slot, new);
                    changed = true;
                }
                if !re_calc {
                    if !self.literal {
                        // nothing may have changed; decided below
                        re_calc = true;
                        continue;
                    }
                    e.i.moves.pop();
                    e.j.moves.pop();
                    re_calc = true;
                }
            }
        }
        if re_calc && !supply_hit && !self.literal {
            if !changed {
                // Only updates that kept their values: the evaluation would pop the last moves
                // and compute them again from the same state, to the same values.
                return false;
            }
            e.i.moves.pop();
            e.j.moves.pop();
        }
        if re_calc {
            self.calculate(e);
        }
        re_calc
    }

    /// Runs `rounds` rounds with `algorithm`. Without `history` the rounds are played alike but
    /// not recorded (`rounds` of the result is empty): the outcomes are the same numbers.
    pub(crate) fn run(
        mut self,
        params: &ExchangeParams,
        algorithm: Algorithm,
        work: &mut ExchangeWork,
        history: bool,
    ) -> Result<ExchangeRun<N>, ExchangeError> {
        self.literal = algorithm == Algorithm::Reference;
        self.history = history;
        let rounds = params.rounds;
        let mut draws = Draws::new(&params.tie_break);
        let n_issues = self.issue_names.len();
        let mut round_records = Vec::with_capacity(rounds);
        let initial: Vec<N> = self
            .outcomes()
            .iter()
            .enumerate()
            .map(|(k, o)| self.denormalize(k, o))
            .collect();
        let mut total_draws = 0;
        // the candidate list's allocation, kept from round to round
        let mut spare: Vec<Cand<N>> = Vec::new();
        for round in 1..=rounds {
            let start = self.outcomes();
            self.update_terms();
            // candidates
            let mut cands: Vec<Cand<N>> = std::mem::take(&mut spare);
            let n_actors = self.actor_names.len();
            // group (0 = a, 1 = b, 2 = c, 3 = d) of each actor on each issue pair, pair-major
            let n_pairs = n_issues * n_issues.saturating_sub(1) / 2;
            let mut group_of: Vec<u8> = vec![NO_GROUP; n_pairs * n_actors];
            let mut groups: [Vec<usize>; 4] = Default::default();
            let ext: Vec<[N; 5]> = (0..n_actors)
                .map(|_| std::array::from_fn(|_| N::zero()))
                .collect();
            let mut pair = 0;
            for p in 0..n_issues {
                for q in p + 1..n_issues {
                    let member = &mut group_of[pair * n_actors..(pair + 1) * n_actors];
                    for g in groups.iter_mut() {
                        g.clear();
                    }
                    for (a, m) in member.iter_mut().enumerate() {
                        if let (Some(sp), Some(sq)) = (self.slot[p][a], self.slot[q][a]) {
                            let lp = self.pos[p][sp].le(&start[p]) as usize;
                            let lq = self.pos[q][sq].le(&start[q]) as usize;
                            let g = lp | (lq << 1);
                            groups[g].push(a);
                            *m = g as u8;
                        }
                    }
                    for (ga, gb) in [(0usize, 3usize), (1, 2)] {
                        for &a in &groups[ga] {
                            for &b in &groups[gb] {
                                let mut c = self.new_candidate(a, b, p, q)?;
                                c.pair = pair;
                                c.inner_ad = ga == 0;
                                cands.push(c);
                            }
                        }
                    }
                    pair += 1;
                }
            }
            let n_cands = cands.len();
            let n_valid = cands.iter().filter(|c| c.valid).count();
            work.candidates += n_cands as u64;
            work.evaluations += n_cands as u64;
            let mut rs = Round {
                cands,
                group_of,
                n_actors,
                ext,
                realized: Vec::new(),
                draws_at: Vec::new(),
                draws: 0,
            };
            // entries are numbered in u32; a round this large falls back to the list
            let fits = n_cands < (u32::MAX / 4) as usize;
            match algorithm {
                Algorithm::Indexed if fits => {
                    self.select_indexed(&mut rs, &mut draws, work, round)?
                }
                _ => self.select_resort(&mut rs, &mut draws, work, round)?,
            }
            let Round {
                cands,
                ext,
                realized,
                draws_at,
                draws: round_draws,
                ..
            } = rs;
            work.executed += realized.len() as u64;
            total_draws += round_draws;
            if !self.history {
                // the new start positions only (the voting positions are for the record; the
                // same slots are overwritten below)
                for &r in &realized {
                    for s in [&cands[r].i, &cands[r].j] {
                        let x = self.new_start(s);
                        let sl = self.slot[s.supply][s.actor].unwrap_or(0);
                        self.pos[s.supply][sl] = x;
                    }
                }
                let mut cands = cands;
                cands.clear();
                spare = cands;
                continue;
            }
            // records (before positions change)
            let exchanges: Vec<ExchangeRecord<N>> = realized
                .iter()
                .zip(&draws_at)
                .map(|(&r, &draws_so_far)| ExchangeRecord {
                    i: self.move_record(&cands[r].i),
                    j: self.move_record(&cands[r].j),
                    gain: cands[r].gain.clone(),
                    valid_after_round: cands[r].valid,
                    draws_so_far,
                })
                .collect();
            // voting positions
            for &r in &realized {
                for s in [&cands[r].i, &cands[r].j] {
                    let sl = self.slot[s.supply][s.actor].unwrap_or(0);
                    self.pos[s.supply][sl] = s.y.clone();
                }
            }
            let voting = self.outcomes();
            // new start positions
            for &r in &realized {
                for s in [&cands[r].i, &cands[r].j] {
                    let x = self.new_start(s);
                    let sl = self.slot[s.supply][s.actor].unwrap_or(0);
                    self.pos[s.supply][sl] = x;
                }
            }
            round_records.push(RoundRecord {
                round,
                start_outcomes: self.denorm_all(&start),
                candidates: n_cands,
                valid_candidates: n_valid,
                exchanges,
                voting_outcomes: self.denorm_all(&voting),
                externalities: ext
                    .into_iter()
                    .enumerate()
                    .map(|(a, [ip, inn, op, on, own])| Externalities {
                        actor: self.actor_names[a].clone(),
                        inner_positive: ip,
                        inner_negative: inn,
                        outer_positive: op,
                        outer_negative: on,
                        own,
                    })
                    .collect(),
                tie_draws: round_draws,
            });
            let mut cands = cands;
            cands.clear();
            spare = cands;
        }
        let fin = self.outcomes();
        Ok(ExchangeRun {
            schema_version: super::SCHEMA_VERSION,
            params: params.clone(),
            issues: self.issue_names.clone(),
            initial_outcomes: initial,
            rounds: round_records,
            final_outcomes: self.denorm_all(&fin),
            tie_draws: total_draws,
        })
    }

    /// The package's literal selection loop: before each pick the whole remaining list is
    /// sorted again (stable, by descending gain), and after each executed exchange every
    /// remaining candidate is offered to `react`. O(candidates) per pick.
    fn select_resort(
        &self,
        rs: &mut Round<N>,
        draws: &mut Draws,
        work: &mut ExchangeWork,
        round: usize,
    ) -> Result<(), ExchangeError> {
        let cands = &mut rs.cands;
        let mut list: Vec<usize> = (0..cands.len()).collect();
        let limit = pick_limit(cands.len());
        let mut picks = 0u64;
        while !list.is_empty() {
            picks += 1;
            if picks > limit {
                return Err(ExchangeError::EndlessRound {
                    round,
                    picks: limit,
                });
            }
            // gains are absolute values (never -0.0), so the total order agrees with `<`
            list.sort_by(|&a, &b| cands[b].gain.total_cmp(&cands[a].gain));
            work.queue_ops += list.len() as u64;
            let mut r = list.remove(0);
            if let Some(&next) = list.first() {
                if cands[r].gain.sub(&cands[next].gain).abs().lt(&self.k.tie) {
                    rs.draws += 1;
                    if draws.draw() >= 0.5 {
                        list.push(r);
                        r = list.remove(0);
                    } else {
                        list.push(next);
                    }
                }
            }
            if !cands[r].valid {
                continue;
            }
            if self.history {
                self.mark_executed(&mut cands[r]);
            }
            let ri = SideInfo::of(&cands[r].i);
            let rj = SideInfo::of(&cands[r].j);
            let mut kept = Vec::with_capacity(list.len());
            work.visits += list.len() as u64;
            for &e in &list {
                if cands[e].valid {
                    if self.react(&mut cands[e], &ri, &rj) {
                        work.evaluations += 1;
                    }
                    if cands[e].valid {
                        kept.push(e);
                    }
                }
            }
            list = kept;
            if self.history {
                let row = cands[r].pair * rs.n_actors;
                self.add_externalities(
                    &cands[r],
                    &rs.group_of[row..row + rs.n_actors],
                    &mut rs.ext,
                );
            }
            rs.realized.push(r);
            rs.draws_at.push(rs.draws);
        }
        Ok(())
    }

    /// The same picks as [`Engine::select_resort`], ties and duplicates included, from a
    /// priority queue instead of a sorted list, and with only the candidates an exchange can
    /// affect offered to `react` (found through an index by actor and issue).
    ///
    /// The list of `select_resort` is a sequence of entries (a candidate can appear twice: the
    /// runner-up appended again when a tie keeps the leader). Each entry here has a key
    /// (gain, t): the list after each stable sort is exactly the entries in ascending order of
    /// (descending gain, t). That holds if t is kept as follows. Initially t is the candidate's
    /// index (the initial list order). An entry whose gain did not change keeps its t. The stable
    /// sort puts an entry whose gain changed among the entries of its new gain by its old place
    /// in the list: before all of them if its gain fell (its old place was in a block of higher
    /// gain, earlier in the list), after all of them if its gain rose; such entries take fresh t
    /// below every t in use (gain fell; assigned in reverse old order) or above every t in use
    /// (gain rose; in old order). An entry appended to the end of the list takes a fresh t above
    /// every t in use, after the entries whose gain rose. The heap holds (gain, t, entry);
    /// superseded items are skipped when they surface.
    fn select_indexed(
        &self,
        rs: &mut Round<N>,
        draws: &mut Draws,
        work: &mut ExchangeWork,
        round: usize,
    ) -> Result<(), ExchangeError> {
        let cands = &mut rs.cands;
        let limit = pick_limit(cands.len());
        let mut picks = 0u64;
        let n = cands.len();
        let mut q = Queue::new(&cands[..]);
        let mut index = CandIndex::new(cands, self.stances.len(), self.actor_names.len());
        let mut filtered_once = false;
        // entries that may be alive with an invalid candidate (checked at the next filter)
        let mut suspect: Vec<u32> = Vec::new();
        let mut stamp = vec![0u32; n];
        let mut exec_no = 0u32;
        let mut hits: Vec<u32> = Vec::new();
        let mut modified: Vec<(N, i64, u32)> = Vec::new();
        let mut alive: Vec<u32> = Vec::new();
        while let Some(re) = q.pop() {
            picks += 1;
            if picks > limit {
                return Err(ExchangeError::EndlessRound {
                    round,
                    picks: limit,
                });
            }
            let mut r = q.entries[re as usize].cand as usize;
            let mut appended: Option<u32> = None;
            if let Some(ne) = q.peek() {
                let next = q.entries[ne as usize].cand as usize;
                if cands[r].gain.sub(&cands[next].gain).abs().lt(&self.k.tie) {
                    rs.draws += 1;
                    if draws.draw() >= 0.5 {
                        appended = Some(q.append(r));
                        q.pop();
                        r = next;
                    } else {
                        appended = Some(q.append(next));
                    }
                }
            }
            if let Some(a) = appended {
                suspect.push(a);
            }
            if !cands[r].valid {
                q.finish_pick(cands, &mut modified, appended);
                continue;
            }
            if self.history {
                self.mark_executed(&mut cands[r]);
            }
            // the filter: entries of invalid candidates leave the list
            if !filtered_once {
                filtered_once = true;
                for e in 0..q.entries.len() as u32 {
                    if !cands[q.entries[e as usize].cand as usize].valid {
                        q.kill(e);
                    }
                }
                work.visits += q.entries.len() as u64;
                suspect.clear();
            } else {
                for e in suspect.drain(..) {
                    if !cands[q.entries[e as usize].cand as usize].valid {
                        q.kill(e);
                    }
                }
            }
            // candidates the exchange can affect: a side with the same actor and supply issue
            // as one of r's sides, or the same actor and demand issue
            exec_no += 1;
            let ri = SideInfo::of(&cands[r].i);
            let rj = SideInfo::of(&cands[r].j);
            hits.clear();
            for (demand, side) in [(false, &ri), (false, &rj), (true, &rj), (true, &ri)] {
                let issue = if demand { side.demand } else { side.supply };
                index.collect(demand, side.actor, issue, &q.live, |c| {
                    if stamp[c as usize] != exec_no {
                        stamp[c as usize] = exec_no;
                        hits.push(c);
                    }
                });
            }
            for &c in &hits {
                let c = c as usize;
                q.alive_entries(c, &mut alive);
                if alive.is_empty() {
                    continue;
                }
                work.visits += alive.len() as u64;
                let old_gain = cands[c].gain.clone();
                for &e in &alive {
                    if cands[c].valid {
                        if self.react(&mut cands[c], &ri, &rj) {
                            work.evaluations += 1;
                        }
                        if !cands[c].valid {
                            q.kill(e);
                        }
                    } else {
                        q.kill(e);
                    }
                }
                let changed = cands[c].gain.total_cmp(&old_gain) != Ordering::Equal;
                for &e in &alive {
                    if !q.entries[e as usize].alive {
                        continue;
                    }
                    if !cands[c].valid {
                        // an earlier entry kept before a later reaction made it invalid
                        suspect.push(e);
                    }
                    if changed && Some(e) != appended {
                        modified.push((old_gain.clone(), q.entries[e as usize].t, e));
                    }
                }
            }
            if self.history {
                let row = cands[r].pair * rs.n_actors;
                self.add_externalities(
                    &cands[r],
                    &rs.group_of[row..row + rs.n_actors],
                    &mut rs.ext,
                );
            }
            rs.realized.push(r);
            rs.draws_at.push(rs.draws);
            q.finish_pick(cands, &mut modified, appended);
        }
        work.queue_ops += q.pushes;
        Ok(())
    }

    /// Adds the externalities of executed exchange `r` to the round's sums per actor
    /// (inner positive, inner negative, outer positive, outer negative, own), at round-start
    /// positions: E_a = s_ap(|O⁰_p − x_ap| − |O¹_p − x_ap|) + s_aq(|O⁰_q − x_aq| − |O¹_q − x_aq|),
    /// with O⁰, O¹ the outcomes before and after as recorded on r's sides; r's own two actors get G.
    fn add_externalities(&self, r: &Cand<N>, groups: &[u8], ext: &mut [[N; 5]]) {
        let (p, q) = (r.j.supply, r.i.supply);
        for (a, sums) in ext.iter_mut().enumerate() {
            let value = match (self.slot[p][a], self.slot[q][a]) {
                (Some(sp), Some(sq)) => {
                    let (xp, xq) = (&self.pos[p][sp], &self.pos[q][sq]);
                    let l = r.j.nbs0.sub(xp).abs().sub(&r.j.nbs1.sub(xp).abs());
                    let rr = r.i.nbs0.sub(xq).abs().sub(&r.i.nbs1.sub(xq).abs());
                    l.mul(&self.stances[p][sp].s)
                        .add(&rr.mul(&self.stances[q][sq].s))
                }
                _ => N::zero(),
            };
            let (key, value) = if a == r.i.actor || a == r.j.actor {
                (4, r.gain.clone())
            } else {
                let g = groups.get(a).copied().unwrap_or(NO_GROUP);
                let inner = if r.inner_ad {
                    g == 0 || g == 3
                } else {
                    g == 1 || g == 2
                };
                let positive = value.gt(&self.k.zero);
                let key = match (inner, positive) {
                    (true, true) => 0,
                    (true, false) => 1,
                    (false, true) => 2,
                    (false, false) => 3,
                };
                (key, value)
            };
            sums[key] = sums[key].add(&value);
        }
    }

    fn denorm_all(&self, v: &[N]) -> Vec<N> {
        v.iter()
            .enumerate()
            .map(|(k, o)| self.denormalize(k, o))
            .collect()
    }

    /// x ← ((1−s)·W1)·y + W2·y + ((1 − (1−s)·W1) − W2)·x0.
    fn new_start(&self, s: &Side<N>) -> N {
        let k = &self.k;
        let one_minus_s = k.one.sub(&s.s_sup);
        let a = one_minus_s.mul(&k.w1);
        let swv = a.mul(&s.y);
        let fwv = k.w2.mul(&s.y);
        let pv = k.one.sub(&a).sub(&k.w2).mul(&s.start);
        swv.add(&fwv).add(&pv)
    }

    fn move_record(&self, s: &Side<N>) -> Move<N> {
        Move {
            actor: self.actor_names[s.actor].clone(),
            supply_issue: self.issue_names[s.supply].clone(),
            demand_issue: self.issue_names[s.demand].clone(),
            start: s.x.clone(),
            shift: s.mv.clone(),
            y: s.y.clone(),
            outcome_shift: s.nbs0.sub(&s.nbs1).abs(),
        }
    }

    /// A candidate between actors `a` (outer loop) and `b` on issues `p < q`.
    fn new_candidate(
        &self,
        a: usize,
        b: usize,
        p: usize,
        q: usize,
    ) -> Result<Cand<N>, ExchangeError> {
        let sal = |actor: usize, issue: usize| -> &N {
            &self.stances[issue][self.slot[issue][actor].unwrap_or(0)].s
        };
        let zero_err = |actor: usize, issue: usize| ExchangeError::ZeroSalience {
            actor: self.actor_names[actor].clone(),
            issue: self.issue_names[issue].clone(),
        };
        if sal(a, q).is_zero() {
            return Err(zero_err(a, q));
        }
        if sal(b, q).is_zero() {
            return Err(zero_err(b, q));
        }
        let ra = sal(a, p).div(sal(a, q));
        let rb = sal(b, p).div(sal(b, q));
        let (i, j) = if ra.lt(&rb) { (b, a) } else { (a, b) };
        let mut c = Cand {
            i: self.new_side(i, q, p),
            j: self.new_side(j, p, q),
            pair: 0,
            inner_ad: true,
            gain: N::zero(),
            valid: true,
            executed: false,
            updates: Vec::new(),
        };
        for s in [&c.i, &c.j] {
            if s.s_sup.mul(&s.c_sup).is_zero() {
                return Err(ExchangeError::ZeroWeight {
                    actor: self.actor_names[s.actor].clone(),
                    issue: self.issue_names[s.supply].clone(),
                });
            }
            if s.s_dem.add(&c.i.s_sup).is_zero() && s.s_dem.add(&c.j.s_sup).is_zero() {
                return Err(ExchangeError::ZeroSalience {
                    actor: self.actor_names[s.actor].clone(),
                    issue: self.issue_names[s.demand].clone(),
                });
            }
        }
        self.calculate(&mut c);
        Ok(c)
    }
}
