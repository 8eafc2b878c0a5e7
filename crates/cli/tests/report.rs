//! `brink report` and `brink plot` as a user meets them: every section of the page is there, the
//! page loads nothing from anywhere, text from the scenario is escaped, and headless Chromium
//! opens it without a console message.
//!
//! Chromium: `/usr/bin/chromium` or `chromium` on PATH (Debian's package; `.ci/run` installs
//! it). Without it the browser test fails when `CI` is set and is skipped (with a message)
//! otherwise.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn brink(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .output()
        .expect("brink runs")
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("brink-report-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "brink failed: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The built-in scenario's report with 200 draws, seed 5.
fn builtin_report(dir: &Path) -> String {
    let out = dir.join("report.html");
    let o = brink(&[
        "report",
        "-o",
        out.to_str().unwrap(),
        "--draws",
        "200",
        "--seed",
        "5",
        "-q",
    ]);
    ok(&o);
    std::fs::read_to_string(&out).expect("the report was written")
}

/// The tags of an HTML page (text is escaped, so every raw `<` opens a tag): (name, attributes).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('>') else { break };
        let inner = &after[..j];
        rest = &after[j + 1..];
        if inner.starts_with('!') || inner.starts_with('/') || inner.starts_with('?') {
            continue;
        }
        let name: String = inner
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect();
        let mut attrs = Vec::new();
        let mut s = &inner[name.len()..];
        loop {
            s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            let Some(eq) = s.find('=') else { break };
            let key = s[..eq].trim().to_ascii_lowercase();
            let v = &s[eq + 1..];
            let (val, next) = if let Some(v) = v.strip_prefix('"') {
                let e = v.find('"').unwrap_or(v.len());
                (&v[..e], &v[(e + 1).min(v.len())..])
            } else if let Some(v) = v.strip_prefix('\'') {
                let e = v.find('\'').unwrap_or(v.len());
                (&v[..e], &v[(e + 1).min(v.len())..])
            } else {
                let e = v.find(char::is_whitespace).unwrap_or(v.len());
                (&v[..e], &v[e..])
            };
            attrs.push((key, val.to_string()));
            s = next;
        }
        out.push((name.to_ascii_lowercase(), attrs));
    }
    out
}

/// Everything in a page that would load something from elsewhere.
fn external_loads(html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for (name, attrs) in tags(html) {
        if [
            "script", "link", "iframe", "object", "embed", "img", "audio", "video", "source",
            "base", "frame", "image", "use", "track",
        ]
        .contains(&name.as_str())
        {
            bad.push(format!("a <{name}> element"));
        }
        for (k, v) in &attrs {
            let loads = [
                "src",
                "href",
                "xlink:href",
                "srcset",
                "action",
                "formaction",
                "poster",
                "background",
                "data",
                "ping",
            ]
            .contains(&k.as_str());
            if loads && !(v.starts_with('#') || v.starts_with("data:")) {
                bad.push(format!("<{name} {k}=\"{v}\">"));
            }
            if k == "style" && v.contains("url(") {
                bad.push(format!("<{name} style=\"{v}\">"));
            }
            if k == "http-equiv" {
                bad.push(format!("<{name} http-equiv=\"{v}\">"));
            }
        }
    }
    // Style sheets: no import, no url() other than a fragment.
    let mut rest = html;
    while let Some(i) = rest.find("<style") {
        let s = &rest[i..];
        let e = s.find("</style>").unwrap_or(s.len());
        let css = &s[..e];
        if css.contains("@import") {
            bad.push("@import in a style sheet".into());
        }
        for (k, _) in css.match_indices("url(") {
            let after = css[k + 4..].trim_start_matches(['"', '\'', ' ']);
            if !after.starts_with('#') {
                bad.push(format!("url({}", &after[..after.len().min(40)]));
            }
        }
        rest = &s[e..];
    }
    bad
}

#[test]
fn the_detector_finds_external_loads() {
    // The check below is only worth something if it catches what it looks for.
    for page in [
        r#"<p><img src="http://example.invalid/a.png"></p>"#,
        r#"<script src="x.js"></script>"#,
        r#"<link rel="stylesheet" href="https://example.invalid/s.css">"#,
        r#"<style>@import "x.css";</style>"#,
        r#"<style>p { background: url(http://example.invalid/b.png) }</style>"#,
        r#"<a href="https://example.invalid">x</a>"#,
        r#"<svg><image xlink:href="http://example.invalid/i.png"/></svg>"#,
        r#"<p style="background: url('x.png')">x</p>"#,
    ] {
        assert!(!external_loads(page).is_empty(), "missed: {page}");
    }
    assert!(external_loads(
        r##"<a href="#top">x</a><svg xmlns="http://www.w3.org/2000/svg"><text>&lt;img src="http://x"&gt;</text></svg>"##
    )
    .is_empty());
}

fn esc_name(s: &str) -> String {
    brink_report::html::escape(s)
}

#[test]
fn report_has_every_section_and_loads_nothing() {
    let dir = tmpdir("sections");
    let html = builtin_report(&dir);
    let sc = brink_scenario::builtin().unwrap();

    // Sections, in order: the summary and the forecasts first, the evidence after them.
    let mut at = 0;
    for id in [
        "id=\"summary\"",
        "id=\"forecasts\"",
        "id=\"crises\"",
        "id=\"sources\"",
        "id=\"actors\"",
        "id=\"sensitivity\"",
        "id=\"provenance\"",
    ] {
        let i = html[at..]
            .find(id)
            .unwrap_or_else(|| panic!("section {id} missing or out of order"));
        at += i;
    }
    // The built-in scenario's crisis: its name, every outcome class, and its drawn tree.
    for c in &sc.crises {
        assert!(html.contains(&esc_name(&c.name)), "crisis {}", c.id);
    }
    assert!(html.contains("negotiated settlement") && html.contains("war"));
    assert!(html.contains("certificate"));
    assert!(html.contains("not brink's view"));
    // The question, the as-of date, every source with its date and reliability.
    let esc = brink_report::html::escape;
    assert!(html.contains(&esc(&sc.question)));
    assert!(html.contains(&sc.as_of.to_string()));
    for s in &sc.sources {
        assert!(html.contains(&esc(&s.citation)), "source {}", s.id);
        assert!(html.contains(&s.date.to_string()));
        if let Some(r) = s.reliability {
            assert!(html.contains(&brink_report::table::num(r)));
        }
    }
    // Every actor, every stance's quotes (or assumption), every issue.
    for a in &sc.actors {
        assert!(html.contains(&esc(&a.name)), "actor {}", a.name);
    }
    for st in &sc.stances {
        match &st.evidence {
            brink_scenario::Evidence::Quotes(qs) => {
                for q in qs {
                    assert!(html.contains(&esc(&q.quote)), "quote {}", q.quote);
                }
            }
            brink_scenario::Evidence::Assumed(why) => assert!(html.contains(&esc(why))),
        }
    }
    for is in &sc.issues {
        assert!(html.contains(&format!("id=\"issue-{}\"", is.id)));
    }
    // One table row per model and issue with the Monte Carlo interval: the same numbers as
    // `brink run --draws 200 --seed 5 --format json`.
    let o = brink(&[
        "run", "--draws", "200", "--seed", "5", "--format", "json", "-q",
    ]);
    ok(&o);
    let mc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let quantile = |s: &serde_json::Value, q: f64| {
        s["quantiles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["q"].as_f64() == Some(q))
            .and_then(|x| x["value"].as_f64())
            .unwrap()
    };
    for is in mc["issues"].as_array().unwrap() {
        for m in is["forecasts"].as_array().unwrap() {
            let s = &m["distribution"]["summary"];
            let interval = format!(
                "{} to {}",
                brink_report::table::num(quantile(s, 0.05)),
                brink_report::table::num(quantile(s, 0.95))
            );
            assert!(
                html.contains(&interval),
                "{} {}: interval {interval}",
                is["id"],
                m["model"]
            );
        }
    }
    // Plots: per issue, the actors and the distributions; tornados in the sensitivity section.
    let forecasts =
        &html[html.find("id=\"forecasts\"").unwrap()..html.find("id=\"crises\"").unwrap()];
    for (k, is) in sc.issues.iter().enumerate() {
        let from = forecasts.find(&format!("id=\"issue-{}\"", is.id)).unwrap();
        let to = sc.issues.get(k + 1).map_or(forecasts.len(), |n| {
            forecasts.find(&format!("id=\"issue-{}\"", n.id)).unwrap()
        });
        let n = forecasts[from..to].matches("<svg ").count();
        assert!(n >= 2, "{}: {n} plots (actors, distributions)", is.id);
        assert!(forecasts[from..to].contains("forecast distributions"));
    }
    let sens = &html[html.find("id=\"sensitivity\"").unwrap()..];
    assert!(sens.matches("<svg ").count() >= 1, "a tornado chart");
    // Footer: seed, draws, version, input, SHA-256 of the built-in scenario's text.
    let foot = &html[html.find("id=\"provenance\"").unwrap()..];
    assert!(foot.contains("seed 5"));
    assert!(foot.contains("Monte Carlo draws: 200"));
    assert!(foot.contains(env!("CARGO_PKG_VERSION")));
    assert!(foot.contains(&esc(brink_scenario::BUILTIN_NAME)));
    assert!(foot.contains(&brink_report::sha256_hex(brink_scenario::BUILTIN_TOML)));

    // Self-contained.
    let bad = external_loads(&html);
    assert!(bad.is_empty(), "the page loads: {bad:?}");
    let without_ns = html
        .replace("xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replace("xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "");
    assert!(!without_ns.contains("http://") && !without_ns.contains("https://"));
    assert!(!html.contains("<script"));
}

const HOSTILE: &str = r#"brink = 1

[scenario]
id = "hostile"
title = "A <script>alert('x')</script> & \"quoted\" title"
as_of = 2021-12-28
question = "Does <b>markup</b> & <img src=http://example.invalid/x.png> stay text?"

[[sources]]
id = "src"
citation = "A <i>citation</i> at https://example.invalid/page & more"
date = 2021-12-01
reliability = 0.5

[[actors]]
id = "a"
name = "Actor <A>"
power = { triangular = [1, 2, 3] }

[[actors]]
id = "b"
name = "Actor \"B\" & co"
power = 1

[[issues]]
id = "i"
name = "Issue <one>"
scale = { min = 0, max = 10 }
points = [{ at = 0, label = "none <at> all" }, { at = 10, label = "all & everything" }]
status_quo = 5

[[stances]]
actor = "a"
issue = "i"
position = { uniform = [0, 4] }
salience = 0.8
evidence = [{ source = "src", quote = "</blockquote><script src=\"http://example.invalid/x.js\"></script>" }]

[[stances]]
actor = "b"
issue = "i"
position = 9
salience = 0.5
assumed = "because <reasons> & \"more\""
"#;

#[test]
fn scenario_text_is_escaped() {
    let dir = tmpdir("hostile");
    let toml = dir.join("hostile.toml");
    std::fs::write(&toml, HOSTILE).unwrap();
    let out = dir.join("r.html");
    let o = brink(&[
        "report",
        toml.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--draws",
        "50",
        "-q",
    ]);
    ok(&o);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(!html.contains("<script"));
    assert!(!html.contains("<b>markup"));
    assert!(!html.contains("<A>"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("Actor &quot;B&quot; &amp; co"));
    let bad = external_loads(&html);
    assert!(bad.is_empty(), "the page loads: {bad:?}");
    // In the SVG plots too: the names and labels are escaped text, and the SVG is XML.
    let svg_start = html.find("<svg ").unwrap();
    let svg = &html[svg_start..svg_start + html[svg_start..].find("</svg>").unwrap() + 6];
    assert!(svg.contains("Actor &lt;A&gt;") || svg.contains("Actor &lt;A&gt;"));
    assert!(!svg.contains("<A>"));
}

#[test]
fn plot_writes_svg_and_png_files() {
    let dir = tmpdir("plot");
    let o = brink(&[
        "plot",
        "--issue",
        "enlargement",
        "-o",
        dir.to_str().unwrap(),
        "--draws",
        "100",
        "--png",
        "-q",
    ]);
    ok(&o);
    for f in [
        "enlargement-actors",
        "enlargement-distribution",
        "enlargement-tornado-compromise",
    ] {
        let svg = std::fs::read_to_string(dir.join(format!("{f}.svg"))).expect(f);
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{f}"
        );
        let png = std::fs::read(dir.join(format!("{f}.png"))).expect(f);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{f}.png is a PNG");
    }
    let o = brink(&["plot", "--issue", "nope", "-o", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "an unknown issue is bad input");
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown issue `nope`"));
}

fn find_chromium() -> Option<PathBuf> {
    let p = PathBuf::from("/usr/bin/chromium");
    if p.is_file() {
        return Some(p);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("chromium"))
            .find(|p| p.is_file())
    })
}

/// Opens a page in headless Chromium (a fresh profile, no network services): its serialised
/// DOM, and the console lines it logged.
fn chromium_open(chromium: &Path, page: &Path, profile: &Path) -> (String, Vec<String>) {
    // Output goes to files: a page's DOM is larger than a pipe's buffer.
    let out_path = profile.with_extension("dom");
    let err_path = profile.with_extension("log");
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("a DOM file"))
        .stderr(std::fs::File::create(&err_path).expect("a log file"))
        .spawn()
        .expect("chromium starts");
    // A guard against a hung browser, not a timing assertion.
    let start = Instant::now();
    loop {
        match child.try_wait().expect("chromium can be waited for") {
            Some(_) => break,
            None if start.elapsed() > Duration::from_secs(120) => {
                let _ = child.kill();
                panic!("chromium did not finish within 120 s");
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    let err =
        String::from_utf8_lossy(&std::fs::read(&err_path).expect("chromium's log")).into_owned();
    let dom =
        String::from_utf8_lossy(&std::fs::read(&out_path).expect("chromium's DOM")).into_owned();
    let console = err
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    (dom, console)
}

#[test]
fn chromium_opens_the_report_without_console_messages() {
    let Some(chromium) = find_chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!("chromium is not installed (/usr/bin/chromium or on PATH); .ci/run installs it");
        }
        eprintln!(
            "SKIPPED: chromium not found (apt-get install chromium); the browser test did not run"
        );
        return;
    };
    let dir = tmpdir("chromium");
    builtin_report(&dir);
    let page = dir.join("report.html");

    // The check must be able to fail: a page that logs an error is caught.
    let control = dir.join("control.html");
    std::fs::write(
        &control,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>c</title></head><body><p>c</p><script>console.error(\"deliberate\")</script></body></html>",
    )
    .unwrap();
    let (_, console) = chromium_open(&chromium, &control, &dir.join("profile-control"));
    assert!(
        console.iter().any(|l| l.contains("deliberate")),
        "the console capture works: {console:?}"
    );

    let (dom, console) = chromium_open(&chromium, &page, &dir.join("profile"));
    assert!(console.is_empty(), "console messages: {console:#?}");
    // The browser parsed the whole page: every section and every plot is in its DOM.
    for id in [
        "sources",
        "actors",
        "forecasts",
        "crises",
        "sensitivity",
        "provenance",
    ] {
        assert!(dom.contains(&format!("id=\"{id}\"")), "{id} in the DOM");
    }
    let html = std::fs::read_to_string(&page).unwrap();
    assert_eq!(
        dom.matches("<svg ").count(),
        html.matches("<svg ").count(),
        "every plot in the DOM"
    );
}
