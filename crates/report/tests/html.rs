//! The HTML renderer on its own: crisis sections (empty and filled), escaping, rounds.

use brink_bargain::{Input, Params};
use brink_report::html::{self, CrisisSection, Report, RoundsSection};
use brink_report::{Forecast, InputInfo};

fn doc(sc: &brink_scenario::Scenario) -> Forecast {
    let values = sc.point_values();
    let input = Input::new(sc, &values);
    let m = brink_bargain::find("compromise").unwrap();
    let runs = vec![("compromise".to_string(), m.run(&input, &Params::default()))];
    Forecast::from_runs(
        sc,
        InputInfo {
            file: "in <put>.toml".into(),
            sha256: "abc".into(),
        },
        &runs,
        10,
        0,
    )
}

fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let from = page
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("section {id}"));
    let len = page[from..].find("</section>").unwrap();
    &page[from..from + len]
}

#[test]
fn crisis_sections_empty_and_filled() {
    let sc = brink_scenario::builtin().unwrap();
    let d = doc(&sc);
    let base = Report {
        scenario: &sc,
        doc: &d,
        tornado: &[],
        panels: &[],
        rounds: &[],
        crises: &[],
        top: 5,
    };
    let page = html::render(&base).unwrap();
    assert!(section(&page, "crises").contains("This scenario has no crisis section"));
    assert!(
        page.contains("in &lt;put&gt;.toml"),
        "the input's name is escaped"
    );
    assert!(page.contains("Monte Carlo draws: 0"));

    let crises = vec![CrisisSection {
        name: "Escalation <over> the line".into(),
        outcomes: vec![
            ("war & peace".into(), 0.25, 0.1, 0.4),
            ("status quo".into(), 0.75, 0.6, 0.9),
        ],
        tree_svg: Some(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>".into(),
        ),
        path_in_words: vec!["Russia <threatens>".into(), "NATO holds".into()],
        views: vec![
            "P(war): crises like this one: 13% <x>; this game: 23%; together: 13%".into(),
            "like BERLIN (1961): no violence".into(),
        ],
    }];
    let page = html::render(&Report {
        crises: &crises,
        ..base
    })
    .unwrap();
    let c = section(&page, "crises");
    assert!(!c.contains("This scenario has no crisis section"));
    assert!(c.contains("<strong>P(war): crises like this one: 13% &lt;x&gt;; this game: 23%; together: 13%</strong>"));
    assert!(c.contains("<li>like BERLIN (1961): no violence</li>"));
    assert!(c.contains("Escalation &lt;over&gt; the line"));
    assert!(c.contains(
        "<td>war &amp; peace</td><td class=\"num\">0.250</td><td class=\"num\">0.100 to 0.400</td>"
    ));
    assert!(c.contains(
        "<td>status quo</td><td class=\"num\">0.750</td><td class=\"num\">0.600 to 0.900</td>"
    ));
    assert!(c.contains("<li>Russia &lt;threatens&gt;</li><li>NATO holds</li>"));
    assert!(c.contains("<svg xmlns"));
}

#[test]
fn rounds_are_plotted_under_their_issue() {
    let sc = brink_scenario::builtin().unwrap();
    let d = doc(&sc);
    let rounds = vec![RoundsSection {
        issue: sc.issues[1].id.clone(),
        model: "eu".into(),
        actor_names: vec!["Russia".into(), "United States".into()],
        rounds: vec![vec![100.0, 20.0], vec![80.0, 30.0]],
    }];
    let page = html::render(&Report {
        scenario: &sc,
        doc: &d,
        tornado: &[],
        panels: &[],
        rounds: &rounds,
        crises: &[],
        top: 5,
    })
    .unwrap();
    let f = section(&page, "forecasts");
    let from = f
        .find(&format!("id=\"issue-{}\"", sc.issues[1].id))
        .unwrap();
    let to = f
        .find(&format!("id=\"issue-{}\"", sc.issues[2].id))
        .unwrap();
    assert!(f[from..to].contains("the eu model round by round"));
    assert_eq!(f.matches("round by round").count(), 1, "one rounds plot");
    assert!(f[from..to].contains("after each round of the eu model"));
    // A ragged round is an error, not a panic.
    let bad = vec![RoundsSection {
        rounds: vec![vec![1.0]],
        ..rounds[0].clone()
    }];
    assert!(html::render(&Report {
        scenario: &sc,
        doc: &d,
        tornado: &[],
        panels: &[],
        rounds: &bad,
        crises: &[],
        top: 5,
    })
    .is_err());
}

#[test]
fn escape_covers_the_five_characters() {
    assert_eq!(
        html::escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
    );
}
