//! The ICB reader: the shipped files, columns found by name, special codes, and malformed rows
//! reported with file, line and column.

use brink_refclass::icb::{self, Day, BUILTIN_ACTOR_CSV, BUILTIN_SYSTEM_CSV};
use brink_refclass::onset::period_of;
use brink_refclass::{Error, IcbRows, Level};

#[test]
fn the_shipped_files_read() {
    let s = icb::builtin_system();
    assert_eq!(s.level(), Level::System);
    assert_eq!(s.len(), 325);
    assert_eq!(s.columns.len(), 95);
    let a = icb::builtin_actor();
    assert_eq!(a.level(), Level::Actor);
    assert_eq!(a.len(), 723);
    assert_eq!(a.columns.len(), 95);
    let rows = s.system_rows().unwrap();
    assert_eq!(rows[0].crisno, 1);
    assert_eq!(rows[0].name, "RUSSIAN CIVIL WAR I");
    assert_eq!(rows[0].line, 2);
    assert_eq!(rows[0].viol, Some(3));
    // IWCMB 2 ("initiation of a war") is not an intra-war crisis: only 3-10 are.
    let iw = rows
        .iter()
        .filter(|r| r.onset.intra_war == Some(true))
        .count();
    let raw_iw = (0..s.len())
        .filter(|&i| s.value(i, "IWCMB").unwrap().parse::<u8>().unwrap() >= 3)
        .count();
    assert_eq!(iw, raw_iw);
    // IWCMB 3-10 in the development split: 2 + 1 + 2 + 22 + 3 + 1 + 2.
    assert_eq!(iw, 33);
    // Every row keeps its raw text, any column by name.
    assert_eq!(s.value(0, "sevviosy"), Some("3"));
    assert_eq!(s.value(0, "no such column"), None);
}

#[test]
fn vague_and_partial_dates() {
    let s = icb::builtin_system();
    let rows = s.system_rows().unwrap();
    let count = |d: Day| rows.iter().filter(|r| r.trigger.day == d).count();
    assert_eq!(count(Day::Early), 5);
    assert_eq!(count(Day::Mid), 7);
    assert_eq!(count(Day::Late), 1);
    assert_eq!(count(Day::Unknown), 3);
    // Termination coded by its year only (INVASION OF LAOS I, 1953), or not at all (WEST IRIAN I).
    let laos = rows.iter().find(|r| r.crisno == 139).unwrap();
    let t = laos.termination.unwrap();
    assert_eq!((t.year, t.month), (1953, None));
    assert_eq!(t.latest().to_string(), "1953-12-31");
    assert!(rows.iter().any(|r| r.termination.is_none()));
}

#[test]
fn the_period_follows_the_trigger_date() {
    // The rule brink uses for a scenario's onset date agrees with ICB's own PERIOD on every
    // development crisis (by its trigger) and crisis actor (by its crisis's trigger), but one:
    // ICB2 codes South Korea in PUEBLO (January 1968) as period 3, its partner the United States
    // and the crisis itself (ICB1) as period 4.
    let s = icb::builtin_system();
    for r in s.system_rows().unwrap() {
        for d in [r.trigger.earliest(), r.trigger.latest()] {
            assert_eq!(Some(period_of(d)), r.onset.period, "{} {d}", r.name);
        }
    }
    let a = icb::builtin_actor();
    let mut odd = Vec::new();
    for r in a.actor_rows().unwrap() {
        let d = r.system_trigger.latest();
        if Some(period_of(d)) != r.onset.period {
            odd.push(format!("{} {}", r.name, r.actor));
        }
    }
    assert_eq!(odd, ["PUEBLO ROK"]);
    let pueblo = s
        .system_rows()
        .unwrap()
        .iter()
        .find(|r| r.name == "PUEBLO")
        .unwrap();
    assert_eq!(pueblo.onset.period, Some(4));
}

#[test]
fn columns_are_found_by_name_in_any_order() {
    for (text, name) in [(BUILTIN_SYSTEM_CSV, "s.csv"), (BUILTIN_ACTOR_CSV, "a.csv")] {
        let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
        let reversed: String = lines
            .iter()
            .map(|f| {
                let mut f = f.clone();
                f.reverse();
                f.join(",")
            })
            .collect::<Vec<_>>()
            .join("\r\n");
        let a = icb::read_str(text, name).unwrap();
        let b = icb::read_str(&reversed.to_uppercase(), name).unwrap();
        match (&a.rows, &b.rows) {
            (IcbRows::System(x), IcbRows::System(y)) => {
                // Names were upper-cased with the rest; compare everything else.
                assert_eq!(x.len(), y.len());
                for (p, q) in x.iter().zip(y) {
                    assert_eq!((p.crisno, p.trigger, p.viol), (q.crisno, q.trigger, q.viol));
                    assert_eq!(p.onset, q.onset);
                }
            }
            (IcbRows::Actor(x), IcbRows::Actor(y)) => {
                assert_eq!(x.len(), y.len());
                for (p, q) in x.iter().zip(y) {
                    assert_eq!((p.crisno, p.cracno, p.viol), (q.crisno, q.cracno, q.viol));
                    assert_eq!(p.onset, q.onset);
                }
            }
            _ => panic!("level changed"),
        }
    }
}

/// The shipped system file with field `col` of data row `k` (0-based) replaced by `v`.
fn with_field(k: usize, col: &str, v: &str) -> String {
    let mut lines: Vec<String> = BUILTIN_SYSTEM_CSV.lines().map(String::from).collect();
    let head: Vec<&str> = lines[0].split(',').collect();
    let j = head.iter().position(|h| *h == col).unwrap();
    let mut f: Vec<String> = lines[k + 1].split(',').map(String::from).collect();
    f[j] = v.to_string();
    lines[k + 1] = f.join(",");
    lines.join("\n")
}

fn field_error(text: &str) -> (usize, String, String) {
    match icb::read_str(text, "held-out.csv") {
        Err(Error::Field {
            file,
            line,
            column,
            message,
        }) => {
            assert_eq!(file, "held-out.csv");
            (line, column, message)
        }
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn malformed_fields_name_file_line_and_column() {
    let (line, col, msg) = field_error(&with_field(2, "break", "12"));
    assert_eq!((line, col.as_str()), (4, "break"));
    assert!(msg.contains("outside the codebook's range 1-9"), "{msg}");
    let (line, col, msg) = field_error(&with_field(10, "powdissy", "high"));
    assert_eq!((line, col.as_str()), (12, "powdissy"));
    assert!(msg.contains("`high` is not a number"), "{msg}");
    let (_, col, msg) = field_error(&with_field(0, "datrig", "45"));
    assert_eq!(col, "datrig");
    assert!(msg.contains("nor 66, 77 or 88"), "{msg}");
    let (_, col, msg) = field_error(&with_field(0, "geog", "14"));
    assert_eq!(col, "geog");
    assert!(msg.contains("not one of the codebook's"), "{msg}");
    let (_, col, _) = field_error(&with_field(0, "yrtrig", ""));
    assert_eq!(col, "yrtrig");
    let (_, col, msg) = field_error(&with_field(0, "viol", "5"));
    assert_eq!(col, "viol");
    assert!(msg.contains("1-4"));
    // The error renders as file:line: column `name`: message.
    let e = icb::read_str(&with_field(2, "break", "12"), "held-out.csv").unwrap_err();
    assert!(
        e.to_string().starts_with("held-out.csv:4: column `break`:"),
        "{e}"
    );
}

#[test]
fn malformed_files() {
    let e = icb::read_str("", "empty.csv").unwrap_err();
    assert!(matches!(e, Error::File { line: 1, .. }), "{e}");
    let head = BUILTIN_SYSTEM_CSV.lines().next().unwrap();
    let no_viol = head.replace(",viol,", ",violence,");
    let e = icb::read_str(&no_viol, "x.csv").unwrap_err();
    assert!(e.to_string().contains("missing column `viol`"), "{e}");
    let mut text: Vec<String> = BUILTIN_SYSTEM_CSV
        .lines()
        .take(4)
        .map(String::from)
        .collect();
    text[3].push_str(",extra");
    let e = icb::read_str(&text.join("\n"), "x.csv").unwrap_err();
    assert!(
        matches!(&e, Error::File { line: 4, message, .. } if message.contains("96 fields")),
        "{e}"
    );
    let e = icb::read_file(std::path::Path::new("/nonexistent/icb.csv")).unwrap_err();
    assert!(matches!(e, Error::Io { .. }));
    // A header alone is a valid, empty file.
    let d = icb::read_str(head, "h.csv").unwrap();
    assert!(d.is_empty());
}
