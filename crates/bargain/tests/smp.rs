//! SMP against KTAB's reference logs and the fixtures picked from them.
//!
//! The log checker walks every line of a reference log. Each line that carries a model number is
//! recognised, the corresponding value is recomputed from brink's run (or from its state, with
//! the public step functions), printed in the log's own format, and compared as text. A line
//! with a digit that the checker does not recognise fails the test, so nothing is skipped
//! silently; the only lines skipped are metadata (times, seed, database tables, bargain ids).

use brink_bargain::smp::{
    pce, read_ktab_csv, run, s2p2_bargain, SmpActor, SmpError, SmpParams, SmpQueueOption, SmpRun,
    SmpState,
};
use std::collections::HashMap;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/ktab/");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn load_run(csv: &str) -> (brink_bargain::smp::KtabCsv, SmpRun) {
    let scen = read_ktab_csv(&read(csv)).expect("csv reads");
    let dims = scen.dimension_names.len();
    let r = run(&scen.actors, dims, &SmpParams::default()).expect("run succeeds");
    (scen, r)
}

/// printf `%g` (precision 6).
fn fmt_g(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let sci = format!("{:.5e}", v);
    let (mant, exp) = sci.split_once('e').expect("exponent");
    let exp: i32 = exp.parse().expect("exp");
    if !(-4..6).contains(&exp) {
        let mant = strip_zeros(mant);
        format!("{mant}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        strip_zeros(&format!("{:.*}", (5 - exp) as usize, v))
    }
}

fn strip_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// printf `%.2E`.
fn fmt_e2(v: f64) -> String {
    let sci = format!("{:.2e}", v);
    let (mant, exp) = sci.split_once('e').expect("exponent");
    let exp: i32 = exp.parse().expect("exp");
    format!("{mant}E{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
}

/// Formats `v` like `token` (fixed decimals, optional `+`).
fn fmt_like(token: &str, v: f64) -> String {
    let decimals = token.split_once('.').map_or(0, |(_, d)| d.len());
    if token.starts_with('+') {
        format!("{:+.*}", decimals, v)
    } else {
        format!("{:.*}", decimals, v)
    }
}

#[derive(Default)]
struct Tally {
    values: usize,
    lines: usize,
    skipped: usize,
    max_dev: f64,
    /// Largest |log − brink| per kind, in units of the log's last printed digit.
    max_units: HashMap<&'static str, f64>,
    mismatches: Vec<String>,
    kinds: HashMap<&'static str, usize>,
}

impl Tally {
    fn cmp_str(&mut self, line: usize, kind: &'static str, log: &str, mine: &str, v: f64) {
        self.values += 1;
        *self.kinds.entry(kind).or_default() += 1;
        if let Ok(x) = log.parse::<f64>() {
            let dev = (x - v).abs();
            self.max_dev = self.max_dev.max(dev);
            let mantissa = log.split(['e', 'E']).next().unwrap_or(log);
            let decimals = mantissa.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
            let exp: i32 = log
                .split_once(['e', 'E'])
                .map_or(0, |(_, e)| e.parse().unwrap_or(0));
            let unit = 10f64.powi(exp - decimals);
            let e = self.max_units.entry(kind).or_default();
            *e = e.max(dev / unit);
        }
        if log != mine && self.mismatches.len() < 40 {
            self.mismatches.push(format!(
                "line {line} [{kind}]: log {log} brink {mine} ({v:e})"
            ));
        } else if log != mine {
            self.mismatches.push(String::new());
        }
    }
    fn fixed(&mut self, line: usize, kind: &'static str, token: &str, v: f64) {
        let mine = fmt_like(token, v);
        self.cmp_str(line, kind, token, &mine, v);
    }
    fn g(&mut self, line: usize, kind: &'static str, token: &str, v: f64) {
        let mine = fmt_g(v);
        self.cmp_str(line, kind, token, &mine, v);
    }
    fn exact(&mut self, line: usize, kind: &'static str, token: &str, v: usize) {
        self.cmp_str(line, kind, token, &v.to_string(), v as f64);
    }
    fn row(&mut self, line: usize, kind: &'static str, text: &str, vals: &[f64]) {
        let toks: Vec<&str> = text.split_whitespace().collect();
        if toks.len() != vals.len() {
            self.mismatches.push(format!(
                "line {line} [{kind}]: {} numbers in log, {} in brink",
                toks.len(),
                vals.len()
            ));
            return;
        }
        for (t, &v) in toks.iter().zip(vals) {
            self.fixed(line, kind, t, v);
        }
    }
}

/// Numbers in a piece of text: optional sign, digits, decimals, optional `e`/`E` exponent.
fn numbers(s: &str) -> Vec<String> {
    let c: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let signed =
            (c[i] == '+' || c[i] == '-') && c.get(i + 1).is_some_and(|d| d.is_ascii_digit());
        if !(c[i].is_ascii_digit() || signed) {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < c.len() && (c[i].is_ascii_digit() || c[i] == '.') {
            i += 1;
        }
        if i + 1 < c.len()
            && (c[i] == 'e' || c[i] == 'E')
            && (c[i + 1] == '+' || c[i + 1] == '-')
            && c.get(i + 2).is_some_and(|d| d.is_ascii_digit())
        {
            i += 2;
            while i < c.len() && c[i].is_ascii_digit() {
                i += 1;
            }
        }
        out.push(c[start..i].iter().collect());
    }
    out
}

fn us(s: &str) -> usize {
    s.trim_start_matches('+').parse().expect("index")
}

/// Pairs `[id, I:R]` of a `Bargains involving actor` line.
fn queue_pairs(s: &str) -> Vec<(usize, usize)> {
    s.split('[')
        .skip(1)
        .map(|b| {
            let inner = b.split(']').next().expect("]");
            let ir = inner.split(',').nth(1).expect("pair");
            let (i, r) = ir.trim().split_once(':').expect(":");
            (us(i.trim()), us(r.trim()))
        })
        .collect()
}

fn rms(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for (x, y) in a.iter().zip(b) {
        s += (x - y) * (x - y);
    }
    (s / a.len() as f64).sqrt()
}

struct Cursor<'a> {
    lines: Vec<&'a str>,
    at: usize,
}

impl<'a> Cursor<'a> {
    /// Next line that is not an out-of-place "no advantageous targets" line; those are returned
    /// separately through `stray`.
    fn next(&mut self, stray: &mut Vec<(usize, &'a str)>) -> Option<(usize, &'a str)> {
        while self.at < self.lines.len() {
            let l = self.lines[self.at];
            self.at += 1;
            if l.contains("has no advantageous targets") {
                stray.push((self.at, l));
                continue;
            }
            return Some((self.at, l));
        }
        None
    }
}

fn read_rows<'a>(
    cur: &mut Cursor<'a>,
    stray: &mut Vec<(usize, &'a str)>,
    k: usize,
) -> Vec<(usize, &'a str)> {
    (0..k).map(|_| cur.next(stray).expect("row")).collect()
}

struct LogCheck<'a> {
    actors: &'a [SmpActor],
    dims: usize,
    dim_names: &'a [String],
    run: &'a SmpRun,
    states: Vec<SmpState>,
}

impl LogCheck<'_> {
    fn uh(&self, s: usize, h: usize) -> Vec<f64> {
        self.states[s].estimated_utility(h)
    }

    fn option_pair(&self, k: usize, o: &SmpQueueOption) -> (usize, usize) {
        match *o {
            SmpQueueOption::StatusQuo => (k, k),
            SmpQueueOption::Bargain {
                initiator,
                receiver,
                ..
            } => (initiator, receiver),
        }
    }

    fn check(&self, log: &str) -> Tally {
        let n = self.actors.len();
        let d = self.dims;
        let run = self.run;
        let mut t = Tally::default();
        let mut cur = Cursor {
            lines: log.lines().collect(),
            at: 0,
        };
        let mut stray: Vec<(usize, &str)> = Vec::new();
        let mut state = 0usize; // state whose analysis / bargaining the log is printing
        let mut sdist_first = true;
        let mut queues: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
        let mut cur_challenge: Option<(usize, usize, usize)> = None; // (turn, i, j)
        let mut no_target_seen = 0usize;
        while let Some((ln, line)) = cur.next(&mut stray) {
            let l = line.trim();
            let nums = numbers(l);
            let m = |i: usize| nums[i].as_str();
            let has_digit = !nums.is_empty();
            if l.starts_with("Software version")
                || l.starts_with("Start time")
                || l.starts_with("Finish time")
                || l.starts_with("Elapsed time")
                || l.starts_with("Using PRNG seed")
                || l.starts_with("Successfully opened database")
                || l.starts_with("Created SMPModel table")
                || l.starts_with("Grp ")
                || l.starts_with("Scenario Name")
                || l.starts_with("Scenario Description")
                || l.starts_with("Using OneThird")
                || (l.starts_with("Actor: ") && (l.contains(" name: ") || l.contains(" desc: ")))
            {
                t.skipped += has_digit as usize;
                continue;
            }
            if !has_digit {
                // Section headers with no number of their own.
                let rows = match l {
                    "Position matrix:" | "Salience matrix:" => n,
                    _ => 0,
                };
                if rows > 0 {
                    let sal = l.starts_with("Salience");
                    for (i, (rl, row)) in read_rows(&mut cur, &mut stray, n).into_iter().enumerate()
                    {
                        let a = &self.actors[i];
                        let v: Vec<f64> = (0..d)
                            .map(|k| 100.0 * if sal { a.saliences[k] } else { a.positions[k] })
                            .collect();
                        t.row(rl, "input matrix", row, &v);
                    }
                    t.lines += n;
                    continue;
                }
                match l {
                    "Raw actor-pos value matrix (risk neutral)"
                    | "Risk-aware actor-pos utility matrix (objective):" => {
                        let st = &self.states[state];
                        let raw = l.starts_with("Raw");
                        for (i, (rl, row)) in
                            read_rows(&mut cur, &mut stray, n).into_iter().enumerate()
                        {
                            let v: Vec<f64> = (0..n)
                                .map(|j| {
                                    if raw {
                                        st.risk_neutral_value(i, j)
                                    } else {
                                        st.utility(i, j)
                                    }
                                })
                                .collect();
                            t.row(
                                rl,
                                if raw {
                                    "risk-neutral value"
                                } else {
                                    "objective utility"
                                },
                                row,
                                &v,
                            );
                        }
                        t.lines += n;
                    }
                    "Inferred risk attitudes:" => {
                        for (i, (rl, row)) in
                            read_rows(&mut cur, &mut stray, n).into_iter().enumerate()
                        {
                            t.row(rl, "risk", row, &[self.states[state].risk()[i]]);
                            assert_eq!(run.states[state].risk[i], self.states[state].risk()[i]);
                        }
                        t.lines += n;
                    }
                    "History of actor positions over time:" => {
                        for i in 0..n {
                            for k in 0..d {
                                let (rl, row) = cur.next(&mut stray).expect("row");
                                let (head, vals) = row.rsplit_once(':').expect(":");
                                assert_eq!(
                                    head.trim(),
                                    format!("{}, {}", self.actors[i].name, self.dim_names[k])
                                );
                                let v: Vec<f64> = run
                                    .states
                                    .iter()
                                    .map(|s| 100.0 * s.positions[i][k])
                                    .collect();
                                t.row(rl, "position history", vals, &v);
                                t.lines += 1;
                            }
                        }
                    }
                    "History of actors' winning probabilities:" => {
                        for i in 0..n {
                            let (rl, row) = cur.next(&mut stray).expect("row");
                            let (head, vals) = row.split_once(" prob :").expect("prob");
                            assert_eq!(head.trim_end_matches(','), self.actors[i].name);
                            let v: Vec<f64> =
                                run.states.iter().map(|s| s.outcome_prob[i]).collect();
                            t.row(rl, "prob", vals, &v);
                            t.lines += 1;
                        }
                    }
                    "u_im:" => {
                        let rows = read_rows(&mut cur, &mut stray, n);
                        let (hl, head) = cur.next(&mut stray).expect("scalarPCE line");
                        let hn = numbers(head);
                        assert!(head.starts_with("Doing scalarPCE"), "line {hl}: {head}");
                        let k = us(&hn[1]);
                        let res = &run.turns[state].resolutions[k];
                        let pairs = queues.get(&k).expect("queue listed").clone();
                        t.exact(hl, "queue length", &hn[0], res.options.len());
                        // Map each log column to brink's option.
                        let cols: Vec<usize> = pairs
                            .iter()
                            .map(|p| {
                                res.options
                                    .iter()
                                    .position(|o| self.option_pair(k, o) == *p)
                                    .unwrap_or_else(|| panic!("line {hl}: option {p:?} missing"))
                            })
                            .collect();
                        let st = &self.states[state];
                        let turn = &run.turns[state];
                        let uim: Vec<Vec<f64>> = (0..n)
                            .map(|a| {
                                cols.iter()
                                    .map(|&c| match res.options[c] {
                                        SmpQueueOption::StatusQuo => st.status_quo_value(a),
                                        SmpQueueOption::Bargain {
                                            challenge,
                                            initiator,
                                            receiver,
                                        } => {
                                            let ch = &turn.challenges[challenge];
                                            st.bargain_value(
                                                a,
                                                initiator,
                                                receiver,
                                                &ch.initiator_proposal,
                                                &ch.receiver_proposal,
                                            )
                                        }
                                    })
                                    .collect()
                            })
                            .collect();
                        for (a, (rl, row)) in rows.into_iter().enumerate() {
                            t.row(rl, "u_im", row, &uim[a]);
                        }
                        let mo = cols.len();
                        let flat: Vec<f64> = uim.iter().flatten().copied().collect();
                        let powers: Vec<f64> = self.actors.iter().map(|a| a.power).collect();
                        let p = pce(&powers, &flat, mo).expect("pce");
                        // The PCE block that follows.
                        loop {
                            let (bl, b) = cur.next(&mut stray).expect("PCE block");
                            let bt = b.trim();
                            let bn = numbers(bt);
                            if bt.starts_with("Num actors:") {
                                t.exact(bl, "PCE size", &bn[0], n);
                            } else if bt.starts_with("Num options:") {
                                t.exact(bl, "PCE size", &bn[0], mo);
                            } else if bt == "Actor strengths:" {
                                let (rl, row) = cur.next(&mut stray).expect("row");
                                t.row(rl, "strengths", row, &powers);
                            } else if bt == "Utility to actors of options:" {
                                for (a, (rl, row)) in
                                    read_rows(&mut cur, &mut stray, n).into_iter().enumerate()
                                {
                                    t.row(rl, "PCE utility", row, &uim[a]);
                                }
                            } else if bt == "Coalition strengths of (i:j):"
                                || bt == "Probability Opt_i > Opt_j"
                            {
                                let coal = bt.starts_with("Coalition");
                                for (a, (rl, row)) in
                                    read_rows(&mut cur, &mut stray, mo).into_iter().enumerate()
                                {
                                    let v: Vec<f64> = (0..mo)
                                        .map(|b| {
                                            let x = p.coalitions[a * mo + b];
                                            if coal {
                                                if a == b {
                                                    0.0
                                                } else {
                                                    x
                                                }
                                            } else {
                                                p.pairwise[a * mo + b]
                                            }
                                        })
                                        .collect();
                                    t.row(
                                        rl,
                                        if coal { "coalitions" } else { "pairwise prob" },
                                        row,
                                        &v,
                                    );
                                }
                            } else if bt == "Probability Opt_i" {
                                for (a, (rl, row)) in
                                    read_rows(&mut cur, &mut stray, mo).into_iter().enumerate()
                                {
                                    t.row(rl, "bargain prob", row, &[p.probs[a]]);
                                    t.row(rl, "bargain prob (run)", row, &[res.probs[cols[a]]]);
                                }
                            } else if bt.starts_with("Chosen bargain") {
                                let idx = us(&bn[1]);
                                let log_pair = pairs[idx - 1];
                                let mine = self.option_pair(k, &res.options[res.chosen]);
                                t.cmp_str(
                                    bl,
                                    "chosen bargain",
                                    &format!("{log_pair:?}"),
                                    &format!("{mine:?}"),
                                    0.0,
                                );
                                t.exact(bl, "queue length", &bn[2], mo);
                                break;
                            } else if bt == "Voting rule: Prop"
                                || bt == "Found stable PCE distribution"
                            {
                            } else {
                                panic!("line {bl}: unexpected in PCE block: {b}");
                            }
                            t.lines += 1;
                        }
                        t.lines += n + 1;
                    }
                    "w:" => {
                        let (rl, row) = cur.next(&mut stray).expect("row");
                        let powers: Vec<f64> = self.actors.iter().map(|a| a.power).collect();
                        t.row(rl, "strengths", row, &powers);
                        t.lines += 1;
                    }
                    _ => {}
                }
                continue;
            }
            t.lines += 1;
            if l.starts_with("InterVecBrgn:") {
                // The parameter set (the only parameter line with a digit).
                assert_eq!(l, "InterVecBrgn: S2P2", "line {ln}");
                t.skipped += 1;
            } else if l.starts_with("Number of actors:") {
                t.exact(ln, "header", m(0), n);
            } else if l.starts_with("Number of dimensions:") {
                t.exact(ln, "header", m(0), d);
            } else if l.starts_with("Dimension ") {
                let (_, name) = l.split_once(" : ").expect("name");
                assert_eq!(name.trim(), self.dim_names[us(m(0))]);
                t.skipped += 1;
            } else if l.starts_with("Actor: ") && l.contains(" power: ") {
                t.fixed(ln, "input", m(1), self.actors[us(m(0))].power);
            } else if l.starts_with("pos[") || l.starts_with("sal[") {
                let a = &self.actors[us(m(0))];
                let k = us(m(1));
                let v = if l.starts_with("pos") {
                    a.positions[k]
                } else {
                    a.saliences[k]
                };
                t.fixed(ln, "input", m(2), 100.0 * v);
            } else if l.starts_with("Starting Model::run iteration") {
                t.exact(ln, "iteration", m(0), state + 1);
            } else if l.starts_with("RMS change in value vs utility:") {
                let st = &self.states[state];
                let v: Vec<f64> = (0..n * n)
                    .map(|x| st.risk_neutral_value(x / n, x % n))
                    .collect();
                let u: Vec<f64> = (0..n * n).map(|x| st.utility(x / n, x % n)).collect();
                t.g(ln, "rms", m(0), rms(&v, &u));
            } else if l.starts_with("Estimate by ") {
                let h = us(m(0));
                let uh = self.uh(state, h);
                for (i, (rl, row)) in read_rows(&mut cur, &mut stray, n).into_iter().enumerate() {
                    t.row(rl, "estimated utility", row, &uh[i * n..(i + 1) * n]);
                }
                t.lines += n;
                let (rl, rms_line) = cur.next(&mut stray).expect("rms line");
                assert!(rms_line.starts_with("RMS change in util^h"), "line {rl}");
                let st = &self.states[state];
                let u: Vec<f64> = (0..n * n).map(|x| st.utility(x / n, x % n)).collect();
                t.g(rl, "rms", &numbers(rms_line)[0], rms(&uh, &u));
                t.lines += 1;
            } else if l.starts_with("In turn ") && l.contains("most advantageous target") {
                let turn = us(m(0));
                assert_eq!(turn, state, "line {ln}");
                let (i, j) = (us(m(1)), us(m(2)));
                let ch = run.turns[turn]
                    .challenges
                    .iter()
                    .find(|c| c.initiator == i)
                    .unwrap_or_else(|| panic!("line {ln}: brink has no challenge by {i}"));
                t.exact(ln, "target", m(2), ch.receiver);
                t.fixed(ln, "target worth", m(3), ch.initiator_view.gain_initiator);
                cur_challenge = Some((turn, i, j));
            } else if l.starts_with("turn ") && l.contains("piiJ") {
                let (turn, i, j) = cur_challenge.expect("challenge");
                assert_eq!((us(m(0)), us(m(1)), us(m(2))), (turn, i, j), "line {ln}");
                let ch = self.challenge(turn, i);
                t.g(ln, "bestEU", m(3), ch.initiator_view.gain_initiator);
                t.g(ln, "piiJ", m(4), ch.initiator_view.prob);
            } else if l.starts_with("Est by") {
                let (turn, i, j) = cur_challenge.expect("challenge");
                let (h, ii, jj, k) = (us(m(0)), us(m(2)), us(m(3)), us(m(4)));
                assert_eq!((ii, jj), (i, j), "line {ln}");
                let ch = self.challenge(turn, i);
                let view = if h == i {
                    ch.initiator_view
                } else {
                    ch.receiver_view
                };
                assert!(h == i || h == j, "line {ln}");
                t.fixed(ln, "est prob", m(1), view.prob);
                let g = if k == i {
                    view.gain_initiator
                } else {
                    view.gain_receiver
                };
                t.fixed(ln, "est gain", m(5), g);
            } else if l.starts_with("Bargain [") {
                let (turn, i, j) = cur_challenge.expect("challenge");
                assert_eq!((us(m(1)), us(m(2))), (i, j), "line {ln}");
                let h = us(m(3));
                let ch = self.challenge(turn, i);
                let (bi, br) = if h == i {
                    (ch.initiator_proposal.clone(), ch.receiver_proposal.clone())
                } else {
                    self.receiver_bargain(turn, i, j)
                };
                for (want, b) in [(i, &bi), (j, &br)] {
                    let (rl, row) = cur.next(&mut stray).expect("proposal");
                    let (head, vals) = row.split_once("adopt:").expect("adopt");
                    let hn = numbers(head);
                    assert_eq!((us(&hn[0]), us(&hn[1])), (h, want), "line {rl}");
                    let v: Vec<f64> = b.iter().map(|x| 100.0 * x).collect();
                    t.row(rl, "bargain", vals, &v);
                    t.lines += 1;
                }
            } else if l.starts_with("Power-weighted compromise") {
                let (turn, i, j) = cur_challenge.expect("challenge");
                assert_eq!((us(m(1)), us(m(2))), (i, j), "line {ln}");
                let ch = self.challenge(turn, i);
                let (ri, rr) = self.receiver_bargain(turn, i, j);
                let s = |a: usize| self.actors[a].saliences.iter().sum::<f64>();
                let wi = self.actors[i].power * s(i);
                let wj = self.actors[i].power * s(j);
                for (want, a, b) in [
                    (i, &ch.initiator_proposal, &ri),
                    (j, &ch.receiver_proposal, &rr),
                ] {
                    let (rl, row) = cur.next(&mut stray).expect("proposal");
                    let (head, vals) = row.split_once("adopt:").expect("adopt");
                    assert_eq!(us(&numbers(head)[0]), want, "line {rl}");
                    let v: Vec<f64> = (0..d)
                        .map(|k| 100.0 * (wi * a[k] + wj * b[k]) / (wi + wj))
                        .collect();
                    t.row(rl, "compromise", vals, &v);
                    t.lines += 1;
                }
            } else if l.starts_with("Bargains involving actor") {
                let (head, rest) = l.split_once(':').expect(":");
                let k = us(&numbers(head)[0]);
                let pairs = queue_pairs(rest);
                let res = &run.turns[state].resolutions[k];
                let mut mine: Vec<(usize, usize)> =
                    res.options.iter().map(|o| self.option_pair(k, o)).collect();
                let mut logp = pairs.clone();
                mine.sort();
                logp.sort();
                t.cmp_str(ln, "queue", &format!("{logp:?}"), &format!("{mine:?}"), 0.0);
                queues.insert(k, pairs);
            } else if l.starts_with("postn ") && l.ends_with(':') {
                let k = us(m(0));
                if k == 0 {
                    state += 1;
                    queues.clear();
                }
                let v: Vec<f64> = run.states[state].positions[k]
                    .iter()
                    .map(|x| 100.0 * x)
                    .collect();
                let (rl, row) = cur.next(&mut stray).expect("row");
                t.row(rl, "position", row, &v);
                let (il, ideal) = cur.next(&mut stray).expect("ideal");
                assert!(ideal.starts_with("ideal"), "line {il}");
                t.exact(il, "ideal index", &numbers(ideal)[0], k);
                let (rl, row) = cur.next(&mut stray).expect("row");
                t.row(rl, "ideal", row, &v);
                let (dl, dist) = cur.next(&mut stray).expect("distance");
                assert!(dist.starts_with("postn-ideal distance"), "line {dl}");
                let dn = numbers(dist);
                t.exact(dl, "ideal index", &dn[0], k);
                t.fixed(dl, "postn-ideal", &dn[2], 0.0);
                t.lines += 4;
            } else if l.starts_with("postn-ideal distance RMS") {
                t.fixed(ln, "postn-ideal", m(1), 0.0);
            } else if l.starts_with("rms (pstn, ideal)") {
                t.fixed(ln, "postn-ideal", m(0), 0.0);
            } else if l.starts_with("sDist [") {
                let (a, b) = (us(m(0)), us(m(1)));
                let v = if sdist_first {
                    assert_eq!((a, b), (0, 1), "line {ln}");
                    run.first_step_distance
                } else {
                    assert_eq!(b, state, "line {ln}");
                    run.turns[a].distance
                };
                sdist_first = !sdist_first;
                let tok = l.split('=').nth(1).expect("=").trim();
                let mine = fmt_e2(v);
                t.cmp_str(ln, "sDist", tok, &mine, v);
            } else if l.starts_with("Fractional change compared to first step:") {
                t.fixed(
                    ln,
                    "fractional change",
                    m(0),
                    run.turns[state - 1].change_ratio,
                );
                t.fixed(ln, "stop ratio", m(1), SmpParams::default().stop_ratio);
            } else if l.starts_with("There were") {
                t.exact(ln, "states", m(0), run.n_states);
                t.exact(ln, "states", m(1), run.turns.len());
            } else {
                panic!("line {ln}: unrecognised numeric line: {line}");
            }
            // "No advantageous target" lines met so far, wherever they landed.
            for (sl, s) in stray.drain(..) {
                let sn = numbers(s);
                let (turn, i) = (us(&sn[0]), us(&sn[1]));
                let found = run.turns[turn].no_target.contains(&i);
                t.cmp_str(sl, "no target", "true", &found.to_string(), 0.0);
                t.lines += 1;
                no_target_seen += 1;
            }
        }
        let total_no_target: usize = run.turns.iter().map(|t| t.no_target.len()).sum();
        t.exact(
            0,
            "no-target count",
            &no_target_seen.to_string(),
            total_no_target,
        );
        t
    }

    fn challenge(&self, turn: usize, i: usize) -> &brink_bargain::smp::SmpChallenge {
        self.run.turns[turn]
            .challenges
            .iter()
            .find(|c| c.initiator == i)
            .expect("challenge")
    }

    /// KTAB's log-only bargain "from j's perspective": S2P2 with p = j's estimate of i's gain.
    fn receiver_bargain(&self, turn: usize, i: usize, j: usize) -> (Vec<f64>, Vec<f64>) {
        let ch = self.challenge(turn, i);
        let pos = &self.run.states[turn].positions;
        s2p2_bargain(
            &self.actors[i].saliences,
            &pos[i],
            &self.actors[j].saliences,
            &pos[j],
            ch.receiver_view.gain_initiator,
        )
        .expect("s2p2")
    }
}

fn check_log(csv: &str, log_name: &str, want_states: usize) {
    let (scen, r) = load_run(csv);
    assert_eq!(r.n_states, want_states);
    let states = r
        .states
        .iter()
        .map(|s| SmpState::new(&scen.actors, &s.positions).expect("state"))
        .collect();
    let lc = LogCheck {
        actors: &scen.actors,
        dims: scen.dimension_names.len(),
        dim_names: &scen.dimension_names,
        run: &r,
        states,
    };
    let log = read(log_name);
    let t = lc.check(&log);
    let mut kinds: Vec<_> = t
        .kinds
        .iter()
        .map(|(k, c)| {
            format!(
                "{k}: {c} (max dev {:.3} digit)",
                t.max_units.get(k).unwrap_or(&0.0)
            )
        })
        .collect();
    kinds.sort();
    println!(
        "{log_name}: {} numeric lines, {} values compared, {} metadata lines skipped, max |log - brink| = {:.3e}, {} mismatches",
        t.lines,
        t.values,
        t.skipped,
        t.max_dev,
        t.mismatches.len()
    );
    println!("  by kind:\n    {}", kinds.join("\n    "));
    let shown: Vec<&String> = t.mismatches.iter().filter(|m| !m.is_empty()).collect();
    assert!(
        t.mismatches.is_empty(),
        "{} mismatches, first: {:#?}",
        t.mismatches.len(),
        shown
    );
    assert!(t.values > 1000);
}

#[test]
fn reproduces_ktab_soe_log() {
    check_log("SOE-Pol-Comp.csv", "20170530_ref-SOE-Pol-Comp.txt", 28);
}

#[test]
fn reproduces_ktab_3dim_log() {
    check_log("dummyData_3Dim.csv", "20170530_ref-dummyData_3Dim.txt", 11);
}

// ---------------------------------------------------------------------------------------------
// Fixtures of smp-fixtures.json (values picked from the logs, each with its log line).

const SCENARIOS: [(&str, &str); 2] = [
    ("SOE-Pol-Comp", "SOE-Pol-Comp.csv"),
    ("dummyData_3Dim", "dummyData_3Dim.csv"),
];

fn fixtures() -> serde_json::Value {
    serde_json::from_str(&read("smp-fixtures.json")).expect("fixtures parse")
}

fn strs(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_str().expect("string").to_string())
        .collect()
}

fn pos_line(p: &[f64]) -> String {
    p.iter()
        .map(|x| format!("{:.4}", 100.0 * x))
        .collect::<Vec<_>>()
        .join("  ")
}

#[test]
fn fixture_turn0_risk_attitudes() {
    let fx = fixtures();
    for (key, csv) in SCENARIOS {
        let (_, r) = load_run(csv);
        let mine: Vec<String> = r.states[0]
            .risk
            .iter()
            .map(|x| format!("{x:+.3}"))
            .collect();
        assert_eq!(mine, strs(&fx[key]["R_state0"]["log"]), "{key}");
    }
}

#[test]
fn fixture_turn0_challenges_and_bargains() {
    let fx = fixtures();
    for (key, csv) in SCENARIOS {
        let (_, r) = load_run(csv);
        let list = fx[key]["turn0_challenges"].as_array().expect("array");
        assert!(!list.is_empty());
        for c in list {
            let i = c["init"].as_u64().expect("init") as usize;
            let j = c["rcvr"].as_u64().expect("rcvr") as usize;
            let ch = r.turns[0]
                .challenges
                .iter()
                .find(|x| x.initiator == i)
                .unwrap_or_else(|| panic!("{key}: no challenge by {i}"));
            assert_eq!(ch.receiver, j, "{key}: target of {i}");
            let est = format!(
                "Est by {i:2} of prob {:.4} that [{i:2}>{j:2}], with expected gain to {i:2} of {:+.4}",
                ch.initiator_view.prob, ch.initiator_view.gain_initiator
            );
            assert_eq!(est, c["est_log"].as_str().expect("est"), "{key}");
            let adopt = |k: usize, b: &[f64]| {
                let coords: String = b.iter().map(|x| format!("  {:.3}", 100.0 * x)).collect();
                format!("{i} proposes {k} adopt:{coords}")
            };
            let want = strs(&c["brgn_log"]);
            assert_eq!(adopt(i, &ch.initiator_proposal), want[0], "{key}");
            assert_eq!(adopt(j, &ch.receiver_proposal), want[1], "{key}");
        }
    }
}

#[test]
fn fixture_positions_after_first_and_last_turn() {
    let fx = fixtures();
    for (key, csv) in SCENARIOS {
        let (_, r) = load_run(csv);
        for part in ["pos_state1", "pos_final"] {
            let f = &fx[key][part];
            let s = f["state"].as_u64().expect("state") as usize;
            let rows = f["rows"].as_array().expect("rows");
            assert_eq!(rows.len(), r.states[s].positions.len());
            for (p, row) in r.states[s].positions.iter().zip(rows) {
                assert_eq!(
                    pos_line(p),
                    row["log"].as_str().expect("log"),
                    "{key} {part}"
                );
            }
        }
        let last = fx[key]["pos_final"]["state"].as_u64().expect("state") as usize;
        assert_eq!(
            last + 1,
            r.n_states,
            "{key}: the final fixture is the last state"
        );
    }
}

#[test]
fn fixture_stopping_rule_and_state_counts() {
    let fx = fixtures();
    for (key, csv) in SCENARIOS {
        let (_, r) = load_run(csv);
        let f = &fx[key];
        let n = f["n_states"][0].as_u64().expect("n") as usize;
        assert_eq!(r.n_states, n, "{key}");
        assert_eq!(r.stop, brink_bargain::smp::SmpStop::Converged);
        let msg = format!(
            "There were {} states, with {} steps between them",
            r.n_states,
            r.turns.len()
        );
        assert_eq!(msg, f["n_states"][1][1].as_str().expect("line"), "{key}");
        let frac = |t: &brink_bargain::smp::SmpTurn| {
            format!(
                "Fractional change compared to first step: {:.4}  (target={:.4})",
                t.change_ratio,
                SmpParams::default().stop_ratio
            )
        };
        let ff = &f["fractional_first_last"];
        assert_eq!(
            frac(&r.turns[0]),
            ff[0][1].as_str().expect("first"),
            "{key}"
        );
        let last = r.turns.last().expect("turns");
        assert_eq!(frac(last), ff[1][1].as_str().expect("last"), "{key}");
    }
}

#[test]
fn fixture_prob_lines() {
    let fx = fixtures();
    for (key, csv) in SCENARIOS {
        let (scen, r) = load_run(csv);
        let lines = fx[key]["prob_lines"].as_array().expect("lines");
        assert_eq!(lines.len(), scen.actors.len());
        for (i, l) in lines.iter().enumerate() {
            let probs: Vec<String> = r
                .states
                .iter()
                .map(|s| format!("{:.4}", s.outcome_prob[i]))
                .collect();
            let mine = format!("{}, prob : {}", scen.actors[i].name, probs.join(" "));
            assert_eq!(mine, l[1].as_str().expect("line").trim_end(), "{key}");
        }
    }
}

/// The forecast is the position of the most probable option of the last state: compare it with
/// the position the log gives the actor with the highest final `prob :` value.
#[test]
fn forecast_is_the_most_probable_final_position_of_the_log() {
    for (csv, log_name) in [
        ("SOE-Pol-Comp.csv", "20170530_ref-SOE-Pol-Comp.txt"),
        ("dummyData_3Dim.csv", "20170530_ref-dummyData_3Dim.txt"),
    ] {
        let (scen, r) = load_run(csv);
        let log = read(log_name);
        let lines: Vec<&str> = log.lines().collect();
        let n = scen.actors.len();
        let at = lines
            .iter()
            .position(|l| l.starts_with("History of actors' winning probabilities"))
            .expect("prob history");
        let finals: Vec<f64> = lines[at + 1..at + 1 + n]
            .iter()
            .map(|l| {
                let p = numbers(l.split_once("prob :").expect("prob").1);
                p.last().expect("value").parse().expect("number")
            })
            .collect();
        let mut best = 0;
        for (i, &p) in finals.iter().enumerate() {
            if p > finals[best] {
                best = i;
            }
        }
        // The last "postn best , 0 :" block of the log holds that actor's final position.
        let head = format!("postn {best} , 0 :");
        let row = lines
            .iter()
            .rposition(|l| l.trim() == head)
            .expect("final position");
        let logpos: Vec<f64> = numbers(lines[row + 1])
            .iter()
            .map(|x| x.parse::<f64>().expect("number") / 100.0)
            .collect();
        let dist: f64 = logpos
            .iter()
            .zip(&r.forecast)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            .sqrt();
        assert!(
            dist < 1e-3,
            "{csv}: forecast {:?} vs log {logpos:?}",
            r.forecast
        );
        for (e, f) in r.expected_outcome.iter().zip(&r.forecast) {
            assert!((0.0..=1.0).contains(e) && (e - f).abs() < 0.3, "{csv}");
        }
    }
}

#[test]
fn run_serialises_to_json() {
    let (_, r) = load_run("dummyData_3Dim.csv");
    let json = serde_json::to_value(&r).expect("serialise");
    assert_eq!(json["n_states"], 11);
    assert_eq!(json["states"].as_array().expect("states").len(), 11);
    assert_eq!(json["turns"][0]["challenges"][0]["initiator"], 0);
    assert!(json["forecast"].as_array().expect("forecast").len() == 3);
}

// ---------------------------------------------------------------------------------------------
// Inputs: the CSV reader and bad input.

#[test]
fn reads_ktab_csv_files() {
    let soe = read_ktab_csv(&read("SOE-Pol-Comp.csv")).expect("SOE");
    assert_eq!(soe.name, "China Policy/Competitive; scen 2");
    assert_eq!(
        soe.dimension_names,
        ["Policy Position", "Competitive Position"]
    );
    assert_eq!(soe.actors.len(), 13);
    assert_eq!(soe.actors[1].name, "LK");
    assert_eq!(soe.actor_descriptions[1], "Li Keqiang");
    assert_eq!(soe.actors[1].power, 60.2);
    assert_eq!(soe.actors[1].positions, [45.0 / 100.0, 65.0 / 100.0]);
    assert_eq!(soe.actors[1].saliences, [44.7 / 100.0, 41.3 / 100.0]);
    let d3 = read_ktab_csv(&read("dummyData_3Dim.csv")).expect("3Dim");
    assert_eq!(d3.description, "Dummy scenario to test reading format");
    assert_eq!(d3.dimension_names, ["Pstn1", "Pstn2", "Pstn3"]);
    for (file, n, dims) in [
        ("dummyData_6Dim.csv", 27, 6),
        ("dummyData-a040.csv", 40, 1),
        ("dummyData-a080.csv", 80, 1),
        ("dummyData-a160.csv", 160, 1),
    ] {
        let s = read_ktab_csv(&read(file)).expect(file);
        assert_eq!(
            (s.actors.len(), s.dimension_names.len()),
            (n, dims),
            "{file}"
        );
    }
}

#[test]
fn six_dimension_example_runs_to_convergence() {
    let (scen, r) = load_run("dummyData_6Dim.csv");
    assert!(r.n_states >= 3 && r.n_states <= 101);
    assert_eq!(r.forecast.len(), 6);
    for s in &r.states {
        assert_eq!(s.positions.len(), scen.actors.len());
    }
}

#[test]
fn csv_errors_name_the_line() {
    let cases = [
        ("", "empty"),
        ("a,b,2\n", "line 1"),
        ("a,b,x,1\nh\n", "line 1, field 3"),
        ("a,b,2,1\n", "line 2"),
        (
            "a,b,1,1\nh\nA,d,10,50\n",
            "line 3: expected at least 5 fields",
        ),
        (
            "a,b,1,1\nh\nA,d,10,abc,50\n",
            "line 3, field 4 (position 1)",
        ),
        (
            "a,b,1,1\nh\nA,d,10,50,120\n",
            "line 3, field 5 (salience 1)",
        ),
        ("a,b,1,1\nh\nA,d,0,50,50\n", "line 3, field 3 (power)"),
        ("a,b,1,1\nh\nA,d,NaN,50,50\n", "line 3, field 3 (power)"),
        (
            "a,b,1,2\nh\nA,d,1,50,60,50,60\n",
            "line 3, field 5 (sum of saliences)",
        ),
        ("a,b,2,1\nh\nA,d,1,50,60\n", "declares 2 actors but 1"),
        (
            "a,b,1,1\nh\nA,d,1,50,60\nB,d,1,50,60\n",
            "declares 1 actors but 2",
        ),
        ("a,b,0,1\nh\n", "at least one actor"),
    ];
    for (text, want) in cases {
        let err = read_ktab_csv(text).expect_err(text).to_string();
        assert!(err.contains(want), "{text:?}: {err}");
    }
}

fn actor(power: f64, positions: Vec<f64>, saliences: Vec<f64>) -> SmpActor {
    SmpActor {
        name: "A".into(),
        power,
        positions,
        saliences,
    }
}

#[test]
fn bad_inputs_are_errors() {
    let p = SmpParams::default();
    let ok = || {
        vec![
            actor(1.0, vec![0.1], vec![0.5]),
            actor(2.0, vec![0.9], vec![0.5]),
            actor(3.0, vec![0.5], vec![0.5]),
        ]
    };
    assert!(run(&ok(), 1, &p).is_ok());
    assert_eq!(run(&[], 1, &p), Err(SmpError::NoActors));
    assert_eq!(run(&ok(), 0, &p), Err(SmpError::NoDimensions));
    assert!(matches!(
        run(&ok(), 2, &p),
        Err(SmpError::WrongLength { .. })
    ));
    let mut cases: Vec<(Vec<SmpActor>, &str)> = Vec::new();
    for (power, what) in [(0.0, "power"), (-1.0, "power"), (f64::NAN, "power")] {
        let mut a = ok();
        a[1].power = power;
        cases.push((a, what));
    }
    for (x, what) in [
        (f64::NAN, "positions[0]"),
        (1.5, "positions[0]"),
        (-0.1, "positions[0]"),
    ] {
        let mut a = ok();
        a[2].positions[0] = x;
        cases.push((a, what));
    }
    for (s, what) in [(f64::NAN, "saliences[0]"), (0.0, "sum of saliences")] {
        let mut a = ok();
        a[0].saliences[0] = s;
        cases.push((a, what));
    }
    let mut two = vec![
        actor(1.0, vec![0.1, 0.2], vec![0.6, 0.6]),
        actor(1.0, vec![0.1, 0.2], vec![0.5, 0.5]),
    ];
    cases.push((two.clone(), "sum of saliences"));
    two[0].saliences = vec![0.5, 0.5];
    assert!(run(&two, 2, &p).is_ok());
    for (actors, what) in cases {
        match run(&actors, actors[0].positions.len(), &p) {
            Err(SmpError::OutOfRange { field, .. }) => assert_eq!(field, what),
            other => panic!("{what}: {other:?}"),
        }
    }
    let mut bad = SmpParams::default();
    bad.max_turns = 0;
    assert!(matches!(
        run(&ok(), 1, &bad),
        Err(SmpError::BadParameter(_))
    ));
    let mut bad = SmpParams::default();
    bad.min_turns = 0;
    assert!(matches!(
        run(&ok(), 1, &bad),
        Err(SmpError::BadParameter(_))
    ));
    assert!(SmpState::new(&ok(), &[vec![0.1]]).is_err());
}

#[test]
fn identical_positions_are_risk_neutral_and_stay_put() {
    let actors: Vec<SmpActor> = (0..4)
        .map(|i| actor(1.0 + i as f64, vec![0.3, 0.7], vec![0.4, 0.2]))
        .collect();
    let r = run(&actors, 2, &SmpParams::default()).expect("run");
    assert!(r.states[0].risk.iter().all(|&x| x == 0.0));
    assert_eq!(r.n_states, 3);
    assert_eq!(r.forecast, [0.3, 0.7]);
    assert!(r.turns.iter().all(|t| t.challenges.is_empty()));
}

#[test]
fn single_actor_runs() {
    let r = run(
        &[actor(1.0, vec![0.2], vec![1.0])],
        1,
        &SmpParams::default(),
    )
    .expect("run");
    assert_eq!(r.final_positions, [vec![0.2]]);
    assert_eq!(r.states[0].outcome_prob, [1.0]);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
    /// Invariants on random scenarios: positions stay on the 1e-4 grid in [0,1], probabilities
    /// are distributions, each actor takes its queue's first most probable option, and the run
    /// stops by the rule.
    #[test]
    fn invariants_hold_on_random_scenarios(
        raw in proptest::collection::vec(
            (1u32..200, proptest::collection::vec((0u32..=100, 1u32..=33), 2)),
            3..7,
        )
    ) {
        let actors: Vec<SmpActor> = raw
            .iter()
            .map(|(c, dims)| actor(
                *c as f64,
                dims.iter().map(|(x, _)| *x as f64 / 100.0).collect(),
                dims.iter().map(|(_, s)| *s as f64 / 100.0).collect(),
            ))
            .collect();
        let params = SmpParams::default();
        let r = run(&actors, 2, &params).expect("run");
        proptest::prop_assert_eq!(r.n_states, r.turns.len() + 1);
        proptest::prop_assert!(r.n_states >= 3 && r.n_states <= params.max_turns + 1);
        for s in &r.states {
            for p in s.positions.iter().flatten() {
                proptest::prop_assert!((0.0..=1.0).contains(p));
                proptest::prop_assert!((p * 1e4 - (p * 1e4).round()).abs() < 1e-6);
            }
            let total: f64 = s.options.iter().map(|o| o.prob).sum();
            proptest::prop_assert!((total - 1.0).abs() < 1e-12);
            for x in &s.risk {
                proptest::prop_assert!((-0.5 - 1e-12..=1.0 + 1e-12).contains(x));
            }
        }
        for (t, turn) in r.turns.iter().enumerate() {
            for res in &turn.resolutions {
                let best = res.probs.iter().cloned().fold(f64::MIN, f64::max);
                proptest::prop_assert_eq!(res.probs[res.chosen], best);
                proptest::prop_assert!(res.probs[..res.chosen].iter().all(|&p| p < best));
                let moved = r.states[t + 1].positions[res.actor] != r.states[t].positions[res.actor];
                if moved {
                    proptest::prop_assert!(res.adopted_from.is_some());
                }
            }
            if t + 1 >= params.min_turns && t + 1 < r.turns.len() {
                proptest::prop_assert!(turn.change_ratio >= params.stop_ratio);
            }
        }
    }
}
