//! `brink check`'s text: what the files hold, or, for a check that failed, every problem as the
//! command line prints it (`file:line:column: field: message`).

use brink_engine::Check;
use std::path::Path;

#[test]
fn a_failed_check_reads_as_the_command_line_s_errors() {
    let dir = std::env::temp_dir().join(format!("brink-report-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "brink = 1\n[scenario]\nid = \"bad\"\n").unwrap();
    let err = Check::run(&bad, None).unwrap_err();
    let doc = Check::failed(&bad, &err).unwrap();
    let text = brink_report::text::check(&doc);
    // Every line of the engine's error message is a line of the text, in the same order.
    let expected: Vec<String> = err
        .to_string()
        .lines()
        .filter(|l| l.contains("bad.toml:"))
        .map(str::to_string)
        .collect();
    assert!(expected.len() >= 3, "{err}");
    assert_eq!(text.lines().collect::<Vec<_>>(), expected);

    let missing = Path::new("/nonexistent/brink/missing.toml");
    let err = Check::run(missing, None).unwrap_err();
    let text = brink_report::text::check(&Check::failed(missing, &err).unwrap());
    assert_eq!(text.trim_end(), err.to_string());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_passed_check_counts_in_words() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let f = root.join("tests/data/crisis/ladder/red_line.toml");
    let doc = Check::run(&f, None).unwrap();
    assert!(doc.ok && doc.problems.is_empty());
    let text = brink_report::text::check(&doc);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with(": ok: 2 actors, 1 issue, 2 stances, 1 source"),
        "{text}"
    );
}
