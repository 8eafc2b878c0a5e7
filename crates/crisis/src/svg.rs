//! Drawing a game tree as SVG, with the equilibrium path highlighted.
//!
//! Plain SVG text, no dependencies. Layout: leaves evenly spaced left to right in prefix order, each
//! internal node centred over its children, one row per depth. Decision nodes are circles coloured by
//! player and labelled with the player's name; chance nodes are grey diamonds; leaves show the outcome
//! label and the payoff vector. Edges carry the action label (and the probability at chance nodes).
//! Nodes of one information set are joined by dashed arcs (labelled with the set's name, if any). Edges on the highlighted path are drawn
//! thick and red.

use crate::game::{Game, NodeId, NodeKind, Owner};
use std::fmt::Write as _;

const COLOURS: [&str; 6] = [
    "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf",
];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Renders the game; `path` lists the nodes to highlight (e.g. [`crate::spe::Equilibrium::path`]).
pub fn to_svg(game: &Game, path: Option<&[NodeId]>) -> String {
    let n = game.nodes.len();
    let mut on_path = vec![false; n];
    for &p in path.unwrap_or(&[]) {
        if p < n {
            on_path[p] = true;
        }
    }
    // Depths (prefix order: parent before child).
    let mut depth = vec![0usize; n];
    for id in 1..n {
        if let Some((p, _)) = game.nodes[id].parent {
            depth[id] = depth[p] + 1;
        }
    }
    let (dx, dy, margin) = (120.0f64, 110.0f64, 60.0f64);
    let mut x = vec![0.0f64; n];
    let mut next_leaf = 0.0;
    // Leaves in prefix order get consecutive slots; internal nodes centre over children (post-order).
    for (xi, node) in x.iter_mut().zip(&game.nodes) {
        if node.children().is_empty() {
            *xi = margin + next_leaf * dx;
            next_leaf += 1.0;
        }
    }
    for id in (0..n).rev() {
        let kids = game.nodes[id].children();
        if let (Some(&f), Some(&l)) = (kids.first(), kids.last()) {
            x[id] = (x[f] + x[l]) / 2.0;
        }
    }
    let max_depth = depth.iter().copied().max().unwrap_or(0) as f64;
    let width = margin * 2.0 + (next_leaf - 1.0).max(0.0) * dx;
    let height = margin * 2.0 + max_depth * dy + 40.0;
    let y = |id: usize| margin + depth[id] as f64 * dy;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<title>{}</title>"#, esc(&game.title));
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="20" font-size="14" font-weight="bold">{}</text>"#,
        margin / 2.0,
        esc(&game.title)
    );
    // Information sets: a dashed arc over consecutive members (bowing higher for each further set).
    let mut k = 0usize;
    for set in &game.infosets {
        if set.members.len() > 1 {
            let bow = 80.0 + 30.0 * (k % 4) as f64;
            k += 1;
            for w in set.members.windows(2) {
                let (x1, y1, x2, y2) = (x[w[0]], y(w[0]), x[w[1]], y(w[1]));
                let (mx, my) = ((x1 + x2) / 2.0, y1.min(y2) - bow);
                let _ = writeln!(
                    s,
                    r##"<path d="M {x1:.1} {y1:.1} Q {mx:.1} {my:.1} {x2:.1} {y2:.1}" fill="none" stroke="#888" stroke-dasharray="5,4"/>"##
                );
                if !set.label.is_empty() {
                    let _ = writeln!(
                        s,
                        r##"<text x="{mx:.1}" y="{:.1}" text-anchor="middle" font-style="italic" fill="#666">{}</text>"##,
                        (y1.min(y2) + my) / 2.0 - 4.0,
                        esc(&set.label)
                    );
                }
            }
        }
    }
    // Edges.
    for id in 0..n {
        let node = &game.nodes[id];
        let Some(si) = node.infoset() else { continue };
        let set = &game.infosets[si];
        for (k, &c) in node.children().iter().enumerate() {
            let hl = on_path[id] && on_path[c];
            let (stroke, w) = if hl { ("#d62728", 3.5) } else { ("#555", 1.2) };
            let _ = writeln!(
                s,
                r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{stroke}" stroke-width="{w}"/>"#,
                x[id],
                y(id),
                x[c],
                y(c)
            );
            let mut label =
                crate::standoff::action_words(set.actions.get(k).map_or("", String::as_str));
            if set.owner == Owner::Chance {
                if let Some(q) = set.probs.get(k) {
                    label = format!("{label} (p = {})", decimal(crate::num::rational_to_f64(q)));
                }
            }
            let (mx, my) = ((x[id] + x[c]) / 2.0, (y(id) + y(c)) / 2.0);
            let anchor = if x[c] < x[id] {
                "end"
            } else if x[c] > x[id] {
                "start"
            } else {
                "middle"
            };
            let off = if anchor == "end" {
                -4.0
            } else if anchor == "start" {
                4.0
            } else {
                0.0
            };
            let weight = if hl {
                r##" font-weight="bold" fill="#d62728""##
            } else {
                ""
            };
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="{anchor}"{weight}>{}</text>"#,
                mx + off,
                my,
                esc(&label)
            );
        }
    }
    // Nodes.
    for id in 0..n {
        let node = &game.nodes[id];
        let (cx, cy) = (x[id], y(id));
        match &node.kind {
            NodeKind::Decision { infoset, .. } => {
                let Owner::Player(p) = game.infosets[*infoset].owner else {
                    continue;
                };
                let col = COLOURS[p % COLOURS.len()];
                let _ = writeln!(
                    s,
                    r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="9" fill="{col}" stroke="black"/>"#
                );
                let name = game.players.get(p).map(String::as_str).unwrap_or("?");
                let _ = writeln!(
                    s,
                    r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-weight="bold">{}</text>"#,
                    cy - 14.0,
                    esc(name)
                );
            }
            NodeKind::Chance { .. } => {
                let _ = writeln!(
                    s,
                    r##"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="#bbb" stroke="black"/>"##,
                    cx,
                    cy - 10.0,
                    cx + 10.0,
                    cy,
                    cx,
                    cy + 10.0,
                    cx - 10.0,
                    cy
                );
                let _ = writeln!(
                    s,
                    r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle">Chance</text>"#,
                    cy - 14.0
                );
            }
            NodeKind::Terminal => {
                let fill = if on_path[id] { "#d62728" } else { "black" };
                let _ = writeln!(
                    s,
                    r#"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="{fill}"/>"#,
                    cx - 4.0,
                    cy - 4.0
                );
                let pay: Vec<String> = game
                    .terminal_payoff(id)
                    .iter()
                    .map(|v| decimal(crate::num::rational_to_f64(v)))
                    .collect();
                let _ = writeln!(
                    s,
                    r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" fill="{fill}">{}</text>"#,
                    cy + 20.0,
                    esc(&crate::standoff::outcome_words(game.terminal_label(id)))
                );
                let _ = writeln!(
                    s,
                    r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" fill="{fill}">({})</text>"#,
                    cy + 34.0,
                    esc(&pay.join(", "))
                );
            }
        }
    }
    s.push_str("</svg>\n");
    s
}

/// A number as the tree shows it: at most three decimals, no trailing zeros, "0" for -0.
fn decimal(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}
