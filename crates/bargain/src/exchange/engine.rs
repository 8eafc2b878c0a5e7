//! The round loop of the equal-gain exchange model, written once for any [`Num`] (binary `f64` or
//! [`Dec28`]). Each step follows decide-exchange-model 2025.3.1 operation by operation (the order of
//! every product and sum matters for the 28-digit replication); see the module docs of
//! [`crate::exchange`] for the equations.

use super::decimal::Dec28;
use super::pyrandom::PyRandom;
use super::{
    ExchangeError, ExchangeInput, ExchangeParams, ExchangeRecord, ExchangeRun, Externalities, Move,
    RoundRecord, TieBreak,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::cmp::Ordering;

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
    actor: usize,
    s: N,
    c: N,
}

/// One side of a candidate exchange.
#[derive(Clone, Debug)]
struct Side<N> {
    actor: usize,
    supply: usize,
    demand: usize,
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
    moves: Vec<N>,
    nbs0: N,
    nbs1: N,
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
    /// U[k][actor]: outcome-relevant positions of partners in executed exchanges.
    updates: Vec<(usize, usize, N)>,
}

impl<N: Num> Cand<N> {
    fn update(&self, issue: usize, actor: usize) -> Option<&N> {
        self.updates
            .iter()
            .find(|(k, a, _)| *k == issue && *a == actor)
            .map(|(_, _, v)| v)
    }
    fn set_update(&mut self, issue: usize, actor: usize, v: N) {
        if let Some(slot) = self
            .updates
            .iter_mut()
            .find(|(k, a, _)| *k == issue && *a == actor)
        {
            slot.2 = v;
        } else {
            self.updates.push((issue, actor, v));
        }
    }
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
                actor: a,
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

    /// Outcome on X's supply issue with the round-start positions, overridden by the candidate's
    /// updates, and X at `at` (`adjusted_nbs`).
    fn adjust_nbs(&self, updates: &[(usize, usize, N)], side: &Side<N>, at: &N) -> N {
        let k = side.supply;
        let d = &self.denom[k];
        if d.is_zero() {
            return N::zero();
        }
        let mut num = N::zero();
        for (st, base) in self.stances[k].iter().zip(&self.pos[k]) {
            let x = if st.actor == side.actor {
                at
            } else {
                updates
                    .iter()
                    .find(|(kk, a, _)| *kk == k && *a == st.actor)
                    .map(|(_, _, v)| v)
                    .unwrap_or(base)
            };
            num = num.add(&x.mul(&st.s).mul(&st.c));
        }
        num.div(d)
    }

    /// The shift of X that moves the outcome on its supply issue to `target`
    /// (`adjusted_nbs_by_position`; the sum includes X itself at x̃, then the updates).
    fn shift_to_outcome(&self, updates: &[(usize, usize, N)], side: &Side<N>, target: &N) -> N {
        let k = side.supply;
        let mut num = N::zero();
        for (st, base) in self.stances[k].iter().zip(&self.pos[k]) {
            let upd = updates
                .iter()
                .find(|(kk, a, _)| *kk == k && *a == st.actor)
                .map(|(_, _, v)| v);
            let x = match upd {
                Some(u) => u,
                None if st.actor == side.actor => &side.x,
                None => base,
            };
            num = num.add(&x.mul(&st.s).mul(&st.c));
        }
        let left = target.mul(&self.denom[k]).sub(&num);
        left.div(&side.s_sup.mul(&side.c_sup))
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
        let mut sum = N::zero();
        for mv in &side.moves {
            sum = sum.add(mv);
        }
        if sum.gt(&k.hundred) {
            return false;
        }
        let all_neg = side.moves.iter().all(|m| m.lt(&k.zero));
        let all_pos = side.moves.iter().all(|m| m.gt(&k.zero));
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
            start: x.clone(),
            x,
            demand_pos: self.pos[demand][ds].clone(),
            s_sup: self.stances[supply][ss].s.clone(),
            c_sup: self.stances[supply][ss].c.clone(),
            s_dem: self.stances[demand][ds].s.clone(),
            mv: N::zero(),
            y: N::zero(),
            moves: Vec::new(),
            nbs0: N::zero(),
            nbs1: N::zero(),
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

    /// `check_nbs` for side X (i if `x_is_i`): if X's move carries the outcome on its supply issue
    /// past the partner's position there, shrink the exchange so that it stops at that position.
    fn check_nbs(&self, c: &mut Cand<N>, x_is_i: bool) {
        let (xs, ys) = if x_is_i { (&c.i, &c.j) } else { (&c.j, &c.i) };
        let nbs0 = self.adjust_nbs(&c.updates, xs, &xs.x);
        let nbs1 = self.adjust_nbs(&c.updates, xs, &xs.y);
        let t = ys.demand_pos.clone();
        let passes = !((t.ge(&nbs0) && t.ge(&nbs1)) || (t.le(&nbs0) && t.le(&nbs1)));
        if !passes {
            let xs = if x_is_i { &mut c.i } else { &mut c.j };
            xs.nbs0 = nbs0;
            xs.nbs1 = nbs1;
            return;
        }
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

    /// `recalculate`: candidate `e` reacts to the executed exchange `r`.
    fn react(&self, e: &mut Cand<N>, ri: &SideInfo<N>, rj: &SideInfo<N>) {
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
        for (r, m) in [(rj, ri), (ri, rj)] {
            let hit = |s: &Side<N>| s.actor == r.actor && s.demand == r.demand;
            if hit(&e.j) || hit(&e.i) {
                let k = r.demand;
                let new = match e.update(k, m.actor) {
                    None => m.y.clone(),
                    Some(u) => {
                        if m.start.le(u) {
                            if u.lt(&m.y) {
                                u.clone()
                            } else {
                                m.y.clone()
                            }
                        } else if u.gt(&m.y) {
                            u.clone()
                        } else {
                            m.y.clone()
                        }
                    }
                };
                e.set_update(k, m.actor, new);
                if !re_calc {
                    e.i.moves.pop();
                    e.j.moves.pop();
                    re_calc = true;
                }
            }
        }
        if re_calc {
            self.calculate(e);
        }
    }

    /// Runs `rounds` rounds.
    pub(crate) fn run(mut self, params: &ExchangeParams) -> Result<ExchangeRun<N>, ExchangeError> {
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
        for round in 1..=rounds {
            let start = self.outcomes();
            // candidates
            let mut cands: Vec<Cand<N>> = Vec::new();
            let n_actors = self.actor_names.len();
            // group (0 = a, 1 = b, 2 = c, 3 = d) of each actor on each issue pair
            let mut group_of: Vec<Vec<u8>> = Vec::new();
            let mut ext: Vec<[N; 5]> = (0..n_actors)
                .map(|_| std::array::from_fn(|_| N::zero()))
                .collect();
            for p in 0..n_issues {
                for q in p + 1..n_issues {
                    let pair = group_of.len();
                    let mut member = vec![NO_GROUP; n_actors];
                    let mut groups: [Vec<usize>; 4] = Default::default();
                    for (a, m) in member.iter_mut().enumerate() {
                        if let (Some(sp), Some(sq)) = (self.slot[p][a], self.slot[q][a]) {
                            let lp = self.pos[p][sp].le(&start[p]) as usize;
                            let lq = self.pos[q][sq].le(&start[q]) as usize;
                            let g = lp | (lq << 1);
                            groups[g].push(a);
                            *m = g as u8;
                        }
                    }
                    group_of.push(member);
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
                }
            }
            let n_cands = cands.len();
            let n_valid = cands.iter().filter(|c| c.valid).count();
            let mut list: Vec<usize> = (0..cands.len()).collect();
            let mut realized: Vec<usize> = Vec::new();
            let mut draws_at: Vec<usize> = Vec::new();
            let mut round_draws = 0;
            while !list.is_empty() {
                // gains are absolute values (never -0.0), so the total order agrees with `<`
                list.sort_by(|&a, &b| cands[b].gain.total_cmp(&cands[a].gain));
                let mut r = list.remove(0);
                if let Some(&next) = list.first() {
                    if cands[r].gain.sub(&cands[next].gain).abs().lt(&self.k.tie) {
                        round_draws += 1;
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
                let ri = SideInfo::of(&cands[r].i);
                let rj = SideInfo::of(&cands[r].j);
                let mut kept = Vec::with_capacity(list.len());
                for &e in &list {
                    if cands[e].valid {
                        self.react(&mut cands[e], &ri, &rj);
                        if cands[e].valid {
                            kept.push(e);
                        }
                    }
                }
                list = kept;
                self.add_externalities(&cands[r], &group_of[cands[r].pair], &mut ext);
                realized.push(r);
                draws_at.push(round_draws);
            }
            total_draws += round_draws;
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
