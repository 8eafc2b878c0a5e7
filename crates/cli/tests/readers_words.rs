//! Reader's words: the terminal output, the HTML report and the SVG plots of the built-in
//! scenario and of every importer's sample files hold no Rust debug formatting, no raw outcome
//! codes of the crisis games and no number with more than 6 decimals or in e-notation.
//!
//! The sources' own words (the report's `<blockquote>` quotes of a data file's lines) are kept
//! verbatim and are not checked.

use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;

fn brink(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .output()
        .expect("brink runs");
    assert!(
        o.status.success(),
        "brink {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

/// What must not appear, with a name for the failure message.
fn rules() -> Vec<(&'static str, Regex)> {
    vec![
        (
            "debug formatting of a struct",
            Regex::new(r"\b[A-Z][A-Za-z]+ \{ [a-z_]+: ").unwrap(),
        ),
        (
            "debug formatting of an enum variant",
            Regex::new(r"\b(?:[A-Z][a-z]+){2,}\((?:[A-Z][a-z]+)+\)").unwrap(),
        ),
        (
            "a type's name",
            Regex::new(r"\b(?:PerfectBayesian|SubgamePerfect|Some\(|None\b)").unwrap(),
        ),
        (
            "a raw outcome code",
            Regex::new(r"\b(?:NEG|SQ|ACQ_[ABCD12]|CAP_[ABCD12]|WAR_[ABCD12])\b").unwrap(),
        ),
        ("more than 6 decimals", Regex::new(r"\d\.\d{7,}").unwrap()),
        (
            "a fraction of long integers",
            Regex::new(r"\d{7,}/\d{7,}").unwrap(),
        ),
        (
            "e-notation",
            Regex::new(r"\b\d(?:\.\d+)?e[-+]?\d+\b").unwrap(),
        ),
        (
            "a wrong plural",
            Regex::new(r"\b1 (?:sources|equilibria|draws|issues|actors)\b").unwrap(),
        ),
        (
            "a wrong possessive",
            Regex::new(r"\b(?:States|Belarus|Baltics)'s\b").unwrap(),
        ),
    ]
}

/// The text a reader sees: for HTML and SVG, tags and the sources' quotes removed.
fn visible(text: &str) -> String {
    if !text.trim_start().starts_with('<') {
        return text.to_string();
    }
    let quotes = Regex::new(r"(?s)<blockquote>.*?</blockquote>").unwrap();
    let styles = Regex::new(r"(?s)<style>.*?</style>").unwrap();
    let tags = Regex::new(r"<[^>]*>").unwrap();
    let t = quotes.replace_all(text, " ");
    let t = styles.replace_all(&t, " ");
    tags.replace_all(&t, " ").into_owned()
}

fn check(name: &str, text: &str, found: &mut Vec<String>) {
    let t = visible(text);
    for (what, re) in rules() {
        for m in re.find_iter(&t).take(3) {
            let from = t[..m.start()]
                .char_indices()
                .rev()
                .nth(40)
                .map_or(0, |(i, _)| i);
            let to = (m.end() + 40).min(t.len());
            let to = (to..=t.len())
                .find(|&i| t.is_char_boundary(i))
                .unwrap_or(t.len());
            found.push(format!("{name}: {what}: …{}…", &t[from..to]));
        }
    }
}

/// Every file under `dir` (plots), checked.
fn check_dir(dir: &Path, found: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        check(&p.display().to_string(), &text, found);
    }
}

#[test]
fn terminal_report_and_plots_speak_a_readers_words() {
    let dir = std::env::temp_dir().join(format!("brink-words-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let d = |rel: &str| dir.join(rel).to_str().unwrap().to_string();
    let mut found = Vec::new();

    // The built-in scenario: every command a reader meets.
    let s = repo("scenarios/ukraine-2021-12.toml");
    let o = repo("scenarios/ukraine-2021-12.outcomes.toml");
    let c = repo("scenarios/ukraine-2021-12.claims.toml");
    let (s, o, c) = (
        s.to_str().unwrap(),
        o.to_str().unwrap(),
        c.to_str().unwrap(),
    );
    for (name, args) in [
        ("run", vec!["run"]),
        ("run --explain", vec!["run", "--explain"]),
        ("run --draws", vec!["run", "--draws", "200", "-q"]),
        ("crisis", vec!["crisis"]),
        ("timeline", vec!["timeline"]),
        ("sensitivity", vec!["sensitivity", "--draws", "100"]),
        (
            "backtest",
            vec!["backtest", s, o, "--claims", c, "--draws", "200"],
        ),
    ] {
        check(name, &brink(&args), &mut found);
    }
    brink(&["report", "-o", &d("report.html"), "--draws", "200", "-q"]);
    check(
        "report.html",
        &std::fs::read_to_string(dir.join("report.html")).unwrap(),
        &mut found,
    );
    std::fs::create_dir_all(dir.join("plots")).unwrap();
    brink(&["plot", "--all", "-o", &d("plots"), "--draws", "100", "-q"]);
    brink(&["crisis", "--svg", &d("plots/tree.svg")]);
    check_dir(&dir.join("plots"), &mut found);

    // Each importer's sample files: the import's words, then run, report and plots.
    let samples = [
        ("ktab", "tests/data/ktab/dummyData_3Dim.csv"),
        ("ktab", "tests/data/ktab/SOE-Pol-Comp.csv"),
        ("bdm", "tests/data/bdm/ExampleActors.csv"),
        ("bdm", "tests/data/bdm/HondurasCrisisData.csv"),
        ("decide", "tests/data/decide/sample_data.txt"),
        ("decide", "tests/data/decide/cop21.csv"),
        ("deu", "tests/data/deu3/deu3-dev.tsv"),
    ];
    for (k, (from, file)) in samples.iter().enumerate() {
        let out = dir.join(format!("imp{k}"));
        let said = brink(&[
            "import",
            "--from",
            from,
            repo(file).to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        check(&format!("import {file}"), &said, &mut found);
        let toml = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.extension().is_some_and(|x| x == "toml")
                    && !p.to_string_lossy().contains(".outcomes.")
            })
            .expect("the import wrote a scenario");
        let t = toml.to_str().unwrap();
        check(&format!("run {file}"), &brink(&["run", t]), &mut found);
        // The DEU file's 233 issues: the report without draws and no plots (the other samples
        // draw the same plots), to keep the test short.
        let deu = *from == "deu";
        let html = out.join("report.html");
        let draws = if deu { "0" } else { "30" };
        brink(&[
            "report",
            t,
            "-o",
            html.to_str().unwrap(),
            "--draws",
            draws,
            "-q",
        ]);
        let page = std::fs::read_to_string(&html).unwrap();
        check(&format!("report of {file}"), &page, &mut found);
        if !deu {
            let plots = out.join("plots");
            std::fs::create_dir_all(&plots).unwrap();
            let p = plots.to_str().unwrap();
            brink(&["plot", t, "--all", "-o", p, "--draws", "30", "-q"]);
            check_dir(&plots, &mut found);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        found.is_empty(),
        "{} findings:\n{}",
        found.len(),
        found.join("\n")
    );
}
