//! Reading and writing Gambit's `.efg` extensive-form format (version 2).
//!
//! ```text
//! EFG 2 R "title" { "Player 1" "Player 2" }
//! "optional comment"
//! p "node" 1 1 "infoset" { "a" "b" } 0
//! c "node" 1 "" { "Low" 3/10 "High" 7/10 } 0
//! t "node" 1 "outcome" { 1/2, -1/2 }
//! ```
//! One node per line in prefix order (`p` player move: player number, infoset number; `c` chance
//! move: infoset number and `"action" probability` pairs; `t` terminal). Each node ends with an outcome
//! number (0 for none), then, on its first use, the outcome's name and payoff list. An information
//! set's name and action list may be omitted after its first member. Strings are double-quoted with
//! `\"` and `\\` escapes; numbers are integers, decimals (`0.25`, `-1.5e-3`) or rationals (`-1/10`),
//! all read exactly. Line breaks are not significant to the grammar (Gambit writes one node per line).
//! Payoffs and probabilities are 0 or have a magnitude between 10^-[`MIN_EXPONENT`] and
//! 10^[`MAX_EXPONENT`]: a game is also solved in floating point (scenario crises), where a payoff of
//! `1e400` becomes infinity and `1e-400` zero, and the equilibrium found would be wrong. Small
//! magnitudes down to the normal floating-point range are kept: brink's own exported games carry
//! rounding residues such as `-1/18014398509481984` (2^-54), which must read back.
//!
//! Errors name the line and column of the offending token. Any byte input is handled without
//! panicking (fuzzed by a property test).
//!
//! # References
//! Gambit documentation, "The extensive game (.efg) file format", <https://gambitproject.readthedocs.io>.

use crate::error::{CrisisError, Result};
use crate::game::{Game, Infoset, Node, NodeId, NodeKind, Outcome, Owner};
use crate::num::{format_rational, Rational};
use num_bigint::BigInt;
use num_traits::{One, Zero};
use std::collections::HashMap;
use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Str(String),
    Word(String),
    LBrace,
    RBrace,
    Comma,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
    col: usize,
}

fn perr<T>(line: usize, col: usize, message: impl Into<String>) -> Result<T> {
    Err(CrisisError::Parse {
        line,
        column: col,
        message: message.into(),
    })
}

fn lex(text: &str) -> Result<Vec<Token>> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let (mut i, mut line, mut col) = (0usize, 1usize, 1usize);
    while i < chars.len() {
        let c = chars[i];
        let (tl, tc) = (line, col);
        match c {
            '\n' => {
                line += 1;
                col = 1;
                i += 1;
            }
            c if c.is_whitespace() => {
                col += 1;
                i += 1;
            }
            '{' | '}' | ',' => {
                out.push(Token {
                    tok: match c {
                        '{' => Tok::LBrace,
                        '}' => Tok::RBrace,
                        _ => Tok::Comma,
                    },
                    line: tl,
                    col: tc,
                });
                col += 1;
                i += 1;
            }
            '"' => {
                let mut s = String::new();
                i += 1;
                col += 1;
                loop {
                    let Some(&d) = chars.get(i) else {
                        return perr(tl, tc, "unterminated string");
                    };
                    i += 1;
                    col += 1;
                    match d {
                        '"' => break,
                        '\\' => {
                            let Some(&e) = chars.get(i) else {
                                return perr(tl, tc, "unterminated string");
                            };
                            i += 1;
                            col += 1;
                            if e == '\n' {
                                line += 1;
                                col = 1;
                            }
                            s.push(e);
                        }
                        '\n' => {
                            line += 1;
                            col = 1;
                            s.push(d);
                        }
                        _ => s.push(d),
                    }
                }
                out.push(Token {
                    tok: Tok::Str(s),
                    line: tl,
                    col: tc,
                });
            }
            _ => {
                let mut w = String::new();
                while let Some(&d) = chars.get(i) {
                    if d.is_whitespace() || matches!(d, '{' | '}' | ',' | '"') {
                        break;
                    }
                    w.push(d);
                    i += 1;
                    col += 1;
                }
                out.push(Token {
                    tok: Tok::Word(w),
                    line: tl,
                    col: tc,
                });
            }
        }
    }
    Ok(out)
}

/// Payoffs and chance probabilities of a game read from text are 0 or between `10^-MIN_EXPONENT`
/// and `10^MAX_EXPONENT` in magnitude (see the module docs).
pub const MAX_EXPONENT: u32 = 15;

/// The smallest nonzero magnitude a game's number may have is `10^-MIN_EXPONENT` (the normal
/// floating-point range ends near 2.2e-308).
pub const MIN_EXPONENT: u32 = 300;

/// Checks a number of a game against the bound of [`MAX_EXPONENT`]; the error says the bound.
pub fn check_magnitude(r: &Rational) -> std::result::Result<(), String> {
    use num_traits::Signed;
    if r.is_zero() {
        return Ok(());
    }
    let big = Rational::from_integer(num_traits::pow(BigInt::from(10), MAX_EXPONENT as usize));
    let tiny_recip =
        Rational::from_integer(num_traits::pow(BigInt::from(10), MIN_EXPONENT as usize));
    let a = r.abs();
    if a > big || a.recip() > tiny_recip {
        return Err(format!(
            "is out of range: numbers in a game are 0 or between 1e-{MIN_EXPONENT} and 1e{MAX_EXPONENT} in magnitude (it is also solved in floating point)"
        ));
    }
    Ok(())
}

/// Parses a number exactly: integer, decimal with optional exponent, or `n/d`.
pub fn parse_number(w: &str) -> Option<Rational> {
    if let Some((n, d)) = w.split_once('/') {
        let n = parse_int(n)?;
        let d = parse_int(d)?;
        if d.is_zero() {
            return None;
        }
        return Some(Rational::new(n, d));
    }
    let (mant, exp) = match w.find(['e', 'E']) {
        Some(k) => (&w[..k], {
            let e: i64 = w[k + 1..].parse().ok()?;
            if e.abs() > 400 {
                return None;
            }
            e
        }),
        None => (w, 0),
    };
    let (neg, body) = match mant.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, mant.strip_prefix('+').unwrap_or(mant)),
    };
    let (ip, fp) = body.split_once('.').unwrap_or((body, ""));
    if ip.is_empty() && fp.is_empty() {
        return None;
    }
    if !ip.bytes().all(|b| b.is_ascii_digit()) || !fp.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if ip.len() + fp.len() > 4000 {
        return None;
    }
    let digits = format!("{ip}{fp}");
    let mut n: BigInt = if digits.is_empty() {
        BigInt::zero()
    } else {
        digits.parse().ok()?
    };
    if neg {
        n = -n;
    }
    let e10 = exp - fp.len() as i64;
    let ten = BigInt::from(10);
    let r = if e10 >= 0 {
        Rational::from_integer(n * num_traits::pow(ten, e10 as usize))
    } else {
        Rational::new(n, num_traits::pow(ten, (-e10) as usize))
    };
    Some(r)
}

fn parse_int(s: &str) -> Option<BigInt> {
    let body = s
        .strip_prefix('-')
        .or_else(|| s.strip_prefix('+'))
        .unwrap_or(s);
    if body.is_empty() || body.len() > 4000 || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.strip_prefix('+').unwrap_or(s).parse().ok()
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    end_line: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }
    fn where_(&self) -> (usize, usize) {
        match self.peek() {
            Some(t) => (t.line, t.col),
            None => (self.end_line, 1),
        }
    }
    fn next(&mut self, what: &str) -> Result<Token> {
        match self.toks.get(self.pos) {
            Some(t) => {
                self.pos += 1;
                Ok(t.clone())
            }
            None => perr(
                self.end_line,
                1,
                format!("unexpected end of file, expected {what}"),
            ),
        }
    }
    fn string(&mut self, what: &str) -> Result<String> {
        let t = self.next(what)?;
        match t.tok {
            Tok::Str(s) => Ok(s),
            _ => perr(t.line, t.col, format!("expected {what} (a quoted string)")),
        }
    }
    fn word(&mut self, what: &str) -> Result<(String, usize, usize)> {
        let t = self.next(what)?;
        match t.tok {
            Tok::Word(w) => Ok((w, t.line, t.col)),
            _ => perr(t.line, t.col, format!("expected {what}")),
        }
    }
    fn uint(&mut self, what: &str) -> Result<usize> {
        let (w, l, c) = self.word(what)?;
        match w.parse::<usize>() {
            Ok(v) if v < 1 << 40 => Ok(v),
            _ => perr(
                l,
                c,
                format!("expected {what} (a non-negative integer), found `{w}`"),
            ),
        }
    }
    fn number(&mut self, what: &str) -> Result<Rational> {
        let (w, l, c) = self.word(what)?;
        let r = parse_number(&w).ok_or_else(|| CrisisError::Parse {
            line: l,
            column: c,
            message: format!("expected {what} (a number), found `{w}`"),
        })?;
        check_magnitude(&r).map_err(|e| CrisisError::Parse {
            line: l,
            column: c,
            message: format!("`{w}` {e}"),
        })?;
        Ok(r)
    }
    fn expect(&mut self, tok: Tok, what: &str) -> Result<()> {
        let t = self.next(what)?;
        if t.tok == tok {
            Ok(())
        } else {
            perr(t.line, t.col, format!("expected {what}"))
        }
    }
    fn at(&self, tok: &Tok) -> bool {
        self.peek().map(|t| &t.tok == tok).unwrap_or(false)
    }
    fn at_str(&self) -> bool {
        matches!(self.peek().map(|t| &t.tok), Some(Tok::Str(_)))
    }
    fn skip_commas(&mut self) {
        while self.at(&Tok::Comma) {
            self.pos += 1;
        }
    }
}

struct Pending {
    node: NodeId,
    remaining: usize,
    next_index: usize,
}

/// Reads a game from `.efg` text.
///
/// Errors name the line and column; the result is validated ([`Game::validate`]).
pub fn read_efg(text: &str) -> Result<Game> {
    let toks = lex(text)?;
    let end_line = text.lines().count().max(1);
    let mut p = Parser {
        toks,
        pos: 0,
        end_line,
    };
    let (w, l, c) = p.word("`EFG`")?;
    if w != "EFG" {
        return perr(l, c, format!("expected `EFG`, found `{w}`"));
    }
    let (v, l, c) = p.word("version `2`")?;
    if v != "2" {
        return perr(l, c, format!("unsupported version `{v}` (only 2)"));
    }
    let (prec, l, c) = p.word("precision `R` or `D`")?;
    if prec != "R" && prec != "D" {
        return perr(l, c, format!("expected `R` or `D`, found `{prec}`"));
    }
    let title = p.string("the title")?;
    p.expect(Tok::LBrace, "`{` before the player names")?;
    let mut players = Vec::new();
    while p.at_str() {
        players.push(p.string("a player name")?);
    }
    p.expect(Tok::RBrace, "`}` after the player names")?;
    if players.is_empty() {
        let (l, c) = p.where_();
        return perr(l, c, "the game has no players");
    }
    let comment = if p.at_str() {
        p.string("comment")?
    } else {
        String::new()
    };

    let mut g = Game {
        title,
        comment,
        players,
        nodes: Vec::new(),
        infosets: Vec::new(),
        outcomes: Vec::new(),
    };
    let mut set_index: HashMap<(Owner, usize), usize> = HashMap::new();
    let mut outcome_index: HashMap<usize, usize> = HashMap::new();
    let mut stack: Vec<Pending> = Vec::new();
    let n_players = g.players.len();

    loop {
        if p.peek().is_none() {
            break;
        }
        if !g.nodes.is_empty() && stack.is_empty() {
            let (l, c) = p.where_();
            return perr(l, c, "text after the end of the tree");
        }
        let parent = match stack.last_mut() {
            Some(top) => {
                let k = top.next_index;
                top.next_index += 1;
                top.remaining -= 1;
                Some((top.node, k))
            }
            None => None,
        };
        let (kind, l, c) = p.word("a node type `p`, `c` or `t`")?;
        let label = p.string("the node name")?;
        let id = g.nodes.len();
        let mut children_needed = 0;
        let node_kind = match kind.as_str() {
            "p" | "c" => {
                let owner = if kind == "p" {
                    let (pl, pl_l, pl_c) = (p.uint("the player number")?, l, c);
                    if pl == 0 || pl > n_players {
                        return perr(
                            pl_l,
                            pl_c,
                            format!("player number {pl} out of range 1..={n_players}"),
                        );
                    }
                    Owner::Player(pl - 1)
                } else {
                    Owner::Chance
                };
                let (il, ic) = p.where_();
                let num = p.uint("the information set number")?;
                let set_label = if p.at_str() {
                    Some(p.string("the information set name")?)
                } else {
                    None
                };
                let mut actions: Option<(Vec<String>, Vec<Rational>)> = None;
                if p.at(&Tok::LBrace) {
                    p.pos += 1;
                    let mut names = Vec::new();
                    let mut probs = Vec::new();
                    loop {
                        p.skip_commas();
                        if p.at(&Tok::RBrace) {
                            p.pos += 1;
                            break;
                        }
                        names.push(p.string("an action name or `}`")?);
                        if owner == Owner::Chance {
                            p.skip_commas();
                            probs.push(p.number("a chance probability")?);
                        }
                    }
                    if names.is_empty() {
                        return perr(il, ic, "an information set with no actions");
                    }
                    actions = Some((names, probs));
                }
                let s = match set_index.get(&(owner, num)) {
                    Some(&s) => {
                        if let Some((names, probs)) = actions {
                            let set = &g.infosets[s];
                            if set.actions != names
                                || (owner == Owner::Chance && set.probs != probs)
                            {
                                return perr(
                                    il,
                                    ic,
                                    format!(
                                        "information set {num} redefined with different actions"
                                    ),
                                );
                            }
                        }
                        g.infosets[s].members.push(id);
                        s
                    }
                    None => {
                        let Some((names, probs)) = actions else {
                            return perr(
                                il,
                                ic,
                                format!(
                                    "first use of information set {num} without its action list"
                                ),
                            );
                        };
                        if owner == Owner::Chance {
                            let sum: Rational = probs.iter().sum();
                            if !sum.is_one() {
                                return perr(
                                    il,
                                    ic,
                                    format!("chance probabilities sum to {sum}, not 1"),
                                );
                            }
                            if probs.iter().any(|q| q < &Rational::zero()) {
                                return perr(il, ic, "negative chance probability");
                            }
                        }
                        g.infosets.push(Infoset {
                            owner,
                            number: num,
                            label: set_label.unwrap_or_default(),
                            actions: names,
                            probs,
                            members: vec![id],
                        });
                        set_index.insert((owner, num), g.infosets.len() - 1);
                        g.infosets.len() - 1
                    }
                };
                children_needed = g.infosets[s].actions.len();
                if owner == Owner::Chance {
                    NodeKind::Chance {
                        infoset: s,
                        children: Vec::new(),
                    }
                } else {
                    NodeKind::Decision {
                        infoset: s,
                        children: Vec::new(),
                    }
                }
            }
            "t" => NodeKind::Terminal,
            other => {
                return perr(
                    l,
                    c,
                    format!("unknown node type `{other}` (expected p, c or t)"),
                )
            }
        };
        // Outcome.
        let (ol, oc) = p.where_();
        let onum = p.uint("the outcome number")?;
        let mut outcome = None;
        if onum > 0 {
            let oname = if p.at_str() {
                Some(p.string("the outcome name")?)
            } else {
                None
            };
            let mut pays = None;
            if p.at(&Tok::LBrace) {
                p.pos += 1;
                let mut v = Vec::new();
                loop {
                    p.skip_commas();
                    if p.at(&Tok::RBrace) {
                        p.pos += 1;
                        break;
                    }
                    v.push(p.number("a payoff or `}`")?);
                }
                if v.len() != n_players {
                    return perr(
                        ol,
                        oc,
                        format!(
                            "outcome {onum} has {} payoffs for {n_players} players",
                            v.len()
                        ),
                    );
                }
                pays = Some(v);
            }
            let o = match outcome_index.get(&onum) {
                Some(&o) => {
                    if let Some(v) = pays {
                        if g.outcomes[o].payoffs != v {
                            return perr(
                                ol,
                                oc,
                                format!("outcome {onum} redefined with different payoffs"),
                            );
                        }
                    }
                    o
                }
                None => {
                    let Some(v) = pays else {
                        return perr(
                            ol,
                            oc,
                            format!("first use of outcome {onum} without its payoffs"),
                        );
                    };
                    g.outcomes.push(Outcome {
                        label: oname.unwrap_or_default(),
                        payoffs: v,
                    });
                    outcome_index.insert(onum, g.outcomes.len() - 1);
                    g.outcomes.len() - 1
                }
            };
            outcome = Some(o);
        }
        g.nodes.push(Node {
            label,
            kind: node_kind,
            outcome,
            parent,
        });
        if let Some((par, _)) = parent {
            match &mut g.nodes[par].kind {
                NodeKind::Decision { children, .. } | NodeKind::Chance { children, .. } => {
                    children.push(id)
                }
                NodeKind::Terminal => {}
            }
        }
        while stack.last().map(|t| t.remaining == 0).unwrap_or(false) {
            stack.pop();
        }
        if children_needed > 0 {
            stack.push(Pending {
                node: id,
                remaining: children_needed,
                next_index: 0,
            });
        }
    }
    if g.nodes.is_empty() {
        return perr(p.end_line, 1, "the game has no nodes");
    }
    if !stack.is_empty() {
        return perr(
            p.end_line,
            1,
            "unexpected end of file: the tree is incomplete",
        );
    }
    // Outcome order: by their efg number.
    let mut order: Vec<(usize, usize)> = outcome_index.into_iter().collect();
    order.sort();
    let renumber: HashMap<usize, usize> = order
        .iter()
        .enumerate()
        .map(|(new, &(_, old))| (old, new))
        .collect();
    let mut outcomes = vec![
        Outcome {
            label: String::new(),
            payoffs: Vec::new()
        };
        g.outcomes.len()
    ];
    for (old, o) in g.outcomes.drain(..).enumerate() {
        outcomes[renumber[&old]] = o;
    }
    g.outcomes = outcomes;
    for n in &mut g.nodes {
        if let Some(o) = n.outcome {
            n.outcome = Some(renumber[&o]);
        }
    }
    g.validate()?;
    Ok(g)
}

fn quote(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for ch in s.chars() {
        if ch == '"' || ch == '\\' {
            o.push('\\');
        }
        o.push(ch);
    }
    o.push('"');
    o
}

/// Writes a game as `.efg` text (`EFG 2 R`, exact rationals, one node per line, outcomes numbered
/// in the order of [`Game::outcomes`]). Reading the text back gives an equal [`Game`].
pub fn write_efg(g: &Game) -> String {
    let mut s = String::new();
    let _ = write!(s, "EFG 2 R {} {{", quote(&g.title));
    for p in &g.players {
        let _ = write!(s, " {}", quote(p));
    }
    let _ = writeln!(s, " }}\n{}\n", quote(&g.comment));
    for n in &g.nodes {
        match &n.kind {
            NodeKind::Terminal => {
                let _ = write!(s, "t {}", quote(&n.label));
            }
            NodeKind::Decision { infoset, .. } | NodeKind::Chance { infoset, .. } => {
                let set = &g.infosets[*infoset];
                match set.owner {
                    Owner::Player(p) => {
                        let _ = write!(
                            s,
                            "p {} {} {} {} {{",
                            quote(&n.label),
                            p + 1,
                            set.number,
                            quote(&set.label)
                        );
                        for a in &set.actions {
                            let _ = write!(s, " {}", quote(a));
                        }
                    }
                    Owner::Chance => {
                        let _ = write!(
                            s,
                            "c {} {} {} {{",
                            quote(&n.label),
                            set.number,
                            quote(&set.label)
                        );
                        for (a, q) in set.actions.iter().zip(&set.probs) {
                            let _ = write!(s, " {} {}", quote(a), format_rational(q));
                        }
                    }
                }
                s.push_str(" }");
            }
        }
        match n.outcome {
            None => s.push_str(" 0\n"),
            Some(o) => {
                let out = &g.outcomes[o];
                let pays: Vec<String> = out.payoffs.iter().map(format_rational).collect();
                let _ = writeln!(
                    s,
                    " {} {} {{ {} }}",
                    o + 1,
                    quote(&out.label),
                    pays.join(", ")
                );
            }
        }
    }
    s
}
