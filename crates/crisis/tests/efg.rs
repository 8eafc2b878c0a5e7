//! `.efg` reading and writing: round trips, errors naming the line, no panic on random bytes.

use brink_crisis::efg::{parse_number, read_efg, write_efg};
use brink_crisis::error::CrisisError;
use brink_crisis::num::ratio;
use proptest::prelude::*;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/crisis");

const EXAMPLE: &str = r#"EFG 2 R "Crisis escalation (perfect info)" { "Challenger" "Defender" }
""
p "" 1 1 "" { "SQ" "Demand" } 0
t "" 1 "SQ" { 0, 0 }
p "" 2 1 "" { "Concede" "Negotiate" "Resist" } 0
t "" 2 "ACQ_D" { 1, -1 }
t "" 3 "NEG" { 1/2, -1/2 }
p "" 1 2 "" { "BackDown" "Escalate" } 0
t "" 4 "CAP_C" { -1/10, 1/10 }
p "" 2 2 "" { "Capitulate" "Fight" } 0
t "" 5 "CAP_D" { 1, -11/10 }
t "" 6 "WAR" { 2/5, -9/10 }
"#;

#[test]
fn reads_the_models_md_example() {
    let g = read_efg(EXAMPLE).unwrap();
    assert_eq!(g.players, vec!["Challenger", "Defender"]);
    assert_eq!(g.nodes.len(), 10);
    assert_eq!(g.terminals().len(), 6);
    assert_eq!(g.outcomes[3].label, "CAP_C");
    assert_eq!(
        g.outcomes[3].payoffs,
        vec![ratio(-1, 10).unwrap(), ratio(1, 10).unwrap()]
    );
}

#[test]
fn round_trip_gives_an_equal_game() {
    let mut files = vec![EXAMPLE.to_string()];
    for name in [
        "random/g000.efg",
        "random/g017.efg",
        "random/t003.efg",
        "pbe/beer_quiche.efg",
    ] {
        if let Ok(t) = std::fs::read_to_string(format!("{DATA}/{name}")) {
            files.push(t);
        }
    }
    assert!(files.len() >= 4);
    for text in files {
        let g = read_efg(&text).unwrap();
        let out = write_efg(&g);
        let g2 = read_efg(&out).unwrap();
        assert_eq!(g, g2);
        assert_eq!(write_efg(&g2), out, "writing is stable");
    }
}

#[test]
fn escapes_decimals_and_omitted_lists() {
    let text = r#"EFG 2 R "a \"quoted\" title \\ here" { "P 1" "P\"2" } "comment"
c "root" 1 "nature" { "Low" 0.3 "High" 7e-1 } 0
p "" 1 1 "I1" { "x" "y" } 0
t "" 1 "o1" { 1.5 -2 }
t "" 2 "o2" { -0.25, 3/4 }
p "" 1 1 0
t "" 1
t "" 2
"#;
    let g = read_efg(text).unwrap();
    assert_eq!(g.title, r#"a "quoted" title \ here"#);
    assert_eq!(g.players[1], "P\"2");
    assert_eq!(
        g.infosets[0].probs,
        vec![ratio(3, 10).unwrap(), ratio(7, 10).unwrap()]
    );
    assert_eq!(
        g.infosets[1].members.len(),
        2,
        "second member with the action list omitted"
    );
    assert_eq!(
        g.outcomes[0].payoffs,
        vec![ratio(3, 2).unwrap(), ratio(-2, 1).unwrap()]
    );
    let g2 = read_efg(&write_efg(&g)).unwrap();
    assert_eq!(g, g2);
}

#[test]
fn numbers_are_exact() {
    assert_eq!(parse_number("0.1"), ratio(1, 10));
    assert_eq!(parse_number("-1/10"), ratio(-1, 10));
    assert_eq!(parse_number("2.5e2"), ratio(250, 1));
    assert_eq!(parse_number(".5"), ratio(1, 2));
    assert_eq!(parse_number("1/0"), None);
    assert_eq!(parse_number("1e99999"), None);
    assert_eq!(parse_number("abc"), None);
}

fn error_line(text: &str) -> (usize, usize, String) {
    match read_efg(text) {
        Err(CrisisError::Parse {
            line,
            column,
            message,
        }) => (line, column, message),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn malformed_input_names_the_line() {
    // Bad payoff on line 6.
    let bad = EXAMPLE.replace("{ 1/2, -1/2 }", "{ 1/2, -1/x }");
    let (line, col, msg) = error_line(&bad);
    assert_eq!(line, 7, "{msg}");
    assert!(col > 1 && msg.contains("-1/x"), "{msg}");
    // Unknown node type on line 4.
    let bad = EXAMPLE.replace("t \"\" 1 \"SQ\"", "q \"\" 1 \"SQ\"");
    assert_eq!(error_line(&bad).0, 4);
    // Player out of range on line 5.
    let bad = EXAMPLE.replace(
        "p \"\" 2 1 \"\" { \"Concede\"",
        "p \"\" 3 1 \"\" { \"Concede\"",
    );
    assert_eq!(error_line(&bad).0, 5);
    // Chance probabilities not summing to one.
    let (line, _, msg) = error_line("EFG 2 R \"\" { \"A\" }\n\nc \"\" 1 \"\" { \"a\" 1/2 \"b\" 1/3 } 0\nt \"\" 1 \"x\" { 1 }\nt \"\" 1\n");
    assert_eq!(line, 3, "{msg}");
    // Truncated tree.
    let cut: String = EXAMPLE.lines().take(6).collect::<Vec<_>>().join("\n");
    let (_, _, msg) = error_line(&cut);
    assert!(msg.contains("incomplete"), "{msg}");
    // Unterminated string on line 2.
    assert_eq!(error_line("EFG 2 R \"t\" { \"A\" }\n\"oops\np 1 1").0, 2);
    // Wrong number of payoffs on line 3.
    assert_eq!(
        error_line("EFG 2 R \"t\" { \"A\" \"B\" }\n\"\"\nt \"\" 1 \"x\" { 1 }\n").0,
        3
    );
    // Header.
    assert_eq!(error_line("NFG 1 R").0, 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = read_efg(&text);
    }

    #[test]
    fn mutated_example_never_panics(pos in 0usize..400, byte in any::<u8>(), cut in 0usize..500) {
        let mut bytes = EXAMPLE.as_bytes().to_vec();
        if pos < bytes.len() { bytes[pos] = byte; }
        bytes.truncate(cut.max(1));
        let text = String::from_utf8_lossy(&bytes);
        let _ = read_efg(&text);
    }

    #[test]
    fn token_soup_never_panics(toks in proptest::collection::vec(prop_oneof![
        Just("p"), Just("c"), Just("t"), Just("\"\""), Just("\"x\""), Just("{"), Just("}"), Just(","),
        Just("0"), Just("1"), Just("2"), Just("1/2"), Just("-3"), Just("0.5"), Just("EFG 2 R \"\" { \"A\" \"B\" }\n")
    ], 0..60)) {
        let text = format!("EFG 2 R \"\" {{ \"A\" \"B\" }}\n{}", toks.join(" "));
        let _ = read_efg(&text);
    }
}

/// Structural equivalence: same players, node kinds, actions, chance probabilities, information-set
/// partition and terminal payoffs (numbering of sets and outcomes may differ).
fn equivalent(a: &brink_crisis::game::Game, b: &brink_crisis::game::Game) -> bool {
    use brink_crisis::game::NodeKind;
    if a.players != b.players || a.nodes.len() != b.nodes.len() {
        return false;
    }
    for (id, (x, y)) in a.nodes.iter().zip(&b.nodes).enumerate() {
        let same = match (&x.kind, &y.kind) {
            (NodeKind::Terminal, NodeKind::Terminal) => {
                a.terminal_payoff(id) == b.terminal_payoff(id)
            }
            (NodeKind::Decision { infoset: s, .. }, NodeKind::Decision { infoset: t, .. })
            | (NodeKind::Chance { infoset: s, .. }, NodeKind::Chance { infoset: t, .. }) => {
                let (s, t) = (&a.infosets[*s], &b.infosets[*t]);
                s.owner == t.owner
                    && s.actions == t.actions
                    && s.probs == t.probs
                    && s.members == t.members
            }
            _ => false,
        };
        if !same || x.children() != y.children() {
            return false;
        }
    }
    true
}

#[test]
fn reads_files_written_by_gambit() {
    let dir = format!("{DATA}/pygambit");
    let list: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}/gambit_written.json")).unwrap(),
    )
    .unwrap();
    let list = list.as_array().unwrap();
    assert!(list.len() >= 5);
    for e in list {
        let orig = read_efg(
            &std::fs::read_to_string(format!("{DATA}/{}", e["original"].as_str().unwrap()))
                .unwrap(),
        )
        .unwrap();
        let theirs = read_efg(
            &std::fs::read_to_string(format!("{dir}/{}", e["written"].as_str().unwrap())).unwrap(),
        )
        .unwrap();
        assert!(equivalent(&orig, &theirs), "{e}");
        // Our writer's output of Gambit's file reads back equal.
        assert_eq!(read_efg(&write_efg(&theirs)).unwrap(), theirs);
    }
}
