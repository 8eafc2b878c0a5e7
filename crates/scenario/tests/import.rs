//! Each importer on its real file: counts and values as the file gives them, a round trip
//! through brink's own format, and clear errors (with the line) on broken rows.

use brink_scenario::import::{import, Format, Imported};
use brink_scenario::{load_outcomes_str, load_str, outcomes_to_toml, scenario_to_toml};

fn data(rel: &str) -> String {
    let p = format!("{}/../../tests/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn imp(f: Format, rel: &str) -> Imported {
    import(f, &data(rel), rel).unwrap_or_else(|e| panic!("{e}"))
}

/// The written TOML loads back into the same scenario (and outcomes).
fn round_trip(i: &Imported) {
    let text = scenario_to_toml(&i.scenario);
    let back = load_str(&text, "round-trip.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, i.scenario);
    if let Some(o) = &i.outcomes {
        let back =
            load_outcomes_str(&outcomes_to_toml(o), "o.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&back, o);
        assert!(back.check_against(&i.scenario).is_empty());
    }
}

/// The cells of the data rows of a CSV (after `skip` rows), split on `sep`.
fn rows(text: &str, skip: usize, sep: char) -> Vec<Vec<String>> {
    text.split(['\n', '\r'])
        .filter(|l| !l.trim().is_empty())
        .skip(skip)
        .map(|l| l.split(sep).map(|c| c.trim().to_string()).collect())
        .collect()
}

#[test]
fn ktab_soe_pol_comp() {
    let i = imp(Format::Ktab, "ktab/SOE-Pol-Comp.csv");
    let sc = &i.scenario;
    assert_eq!(
        (sc.actors.len(), sc.issues.len(), sc.stances.len()),
        (13, 2, 26)
    );
    assert_eq!(sc.issues[0].name, "Policy");
    assert_eq!(sc.issues[1].name, "Competitive");
    for (a, r) in rows(&data("ktab/SOE-Pol-Comp.csv"), 2, ',')
        .iter()
        .enumerate()
    {
        assert_eq!(sc.actors[a].id, r[0]);
        assert_eq!(sc.actors[a].power.point, r[2].parse::<f64>().unwrap());
        for d in 0..2 {
            let st = sc
                .stances
                .iter()
                .find(|s| s.actor == a && s.issue == d)
                .unwrap();
            assert_eq!(st.position.point, r[3 + 2 * d].parse::<f64>().unwrap());
            assert!(
                (st.salience.point - r[4 + 2 * d].parse::<f64>().unwrap() / 100.0).abs() < 1e-15
            );
        }
    }
    round_trip(&i);
}

#[test]
fn ktab_three_dimensions_and_many_actors() {
    let i = imp(Format::Ktab, "ktab/dummyData_3Dim.csv");
    assert_eq!(
        (
            i.scenario.actors.len(),
            i.scenario.issues.len(),
            i.scenario.stances.len()
        ),
        (7, 3, 21)
    );
    round_trip(&i);
    let i = imp(Format::Ktab, "ktab/dummyData-a040.csv");
    assert_eq!((i.scenario.actors.len(), i.scenario.issues.len()), (40, 1));
    round_trip(&i);
}

#[test]
fn bdm_csvs_including_old_mac_line_endings() {
    let i = imp(Format::Bdm, "bdm/ExampleActors.csv");
    let sc = &i.scenario;
    assert_eq!(sc.actors.len(), 10);
    assert_eq!((sc.issues[0].min, sc.issues[0].max), (4.0, 10.0));
    for (a, r) in rows(&data("bdm/ExampleActors.csv"), 1, ',')
        .iter()
        .enumerate()
    {
        assert_eq!(sc.actors[a].name, r[0]);
        assert_eq!(sc.actors[a].power.point, r[1].parse::<f64>().unwrap());
        assert_eq!(sc.stances[a].position.point, r[2].parse::<f64>().unwrap());
        assert_eq!(sc.stances[a].salience.point, r[3].parse::<f64>().unwrap());
    }
    round_trip(&i);
    // ChinaData.csv: `\r` line endings, Stakeholder/Resources header, saliences on 0-100.
    let i = imp(Format::Bdm, "bdm/ChinaData.csv");
    assert_eq!(i.scenario.actors.len(), 24);
    assert_eq!(i.scenario.actors[0].name, "Zeming");
    assert_eq!(i.scenario.stances[0].salience.point, 0.5);
    assert_eq!(i.scenario.actors.last().unwrap().name, "Guandung");
    round_trip(&i);
    let i = imp(Format::Bdm, "bdm/HondurasCrisisData.csv");
    assert_eq!(i.scenario.actors.len(), 5);
    assert_eq!(i.scenario.stances[3].salience.point, 0.1);
    round_trip(&i);
    let i = imp(Format::Bdm, "bdm/Sultan.csv");
    assert_eq!(i.scenario.actors.len(), 17);
    round_trip(&i);
}

#[test]
fn decide_sample_and_cop21() {
    let i = imp(Format::Decide, "decide/sample_data.txt");
    let sc = &i.scenario;
    assert_eq!(sc.actors.len(), 10);
    let text = data("decide/sample_data.txt");
    let d_rows = text.lines().filter(|l| l.starts_with("'#D'")).count();
    let p_rows = text.lines().filter(|l| l.starts_with("'#P'")).count();
    assert_eq!((sc.issues.len(), sc.stances.len()), (p_rows, d_rows));
    let tol = sc.issues.iter().find(|x| x.id == "tol-hoogte").unwrap();
    assert_eq!((tol.min, tol.max), (0.5, 7.0));
    let w = sc
        .stances
        .iter()
        .find(|s| s.actor == 0 && sc.issues[s.issue].id == "tol-hoogte")
        .unwrap();
    assert_eq!((w.position.point, w.salience.point), (3.0, 0.7));
    round_trip(&i);
    let i = imp(Format::Decide, "decide/cop21.csv");
    let text = data("decide/cop21.csv");
    assert_eq!(
        i.scenario.stances.len(),
        text.lines().filter(|l| l.starts_with("'#D'")).count()
    );
    round_trip(&i);
}

#[test]
fn deu_development_split() {
    let i = imp(Format::Deu, "deu3/deu3-dev.tsv");
    let sc = &i.scenario;
    assert_eq!((sc.actors.len(), sc.issues.len()), (30, 233));
    let out = i.outcomes.as_ref().expect("outcomes");
    assert_eq!(out.issues.len(), 225);
    // Independently: count the cells with a position and a salience, and those with a position only.
    let text = data("deu3/deu3-dev.tsv");
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    let h = &lines[0];
    let (mut both, mut pos_only) = (0, 0);
    for r in &lines[2..] {
        for (j, name) in h.iter().enumerate() {
            if let Some(code) = name
                .strip_prefix('p')
                .filter(|c| h.contains(&format!("s{c}").as_str()))
            {
                let sj = h.iter().position(|x| *x == format!("s{code}")).unwrap();
                let (p, s) = (
                    r.get(j).unwrap_or(&"").trim(),
                    r.get(sj).unwrap_or(&"").trim(),
                );
                if !p.is_empty() && !s.is_empty() {
                    both += 1;
                } else if !p.is_empty() {
                    pos_only += 1;
                }
            }
        }
    }
    assert_eq!(sc.stances.len(), both);
    assert_eq!(
        pos_only, 41,
        "models.md: 41 cells have a position but no salience"
    );
    assert_eq!(sc.actors[0].id, "com");
    assert_eq!(sc.actors[0].power.point, 4.1);
    // models.md: the reference point covers 156 of the issues with an outcome.
    let with_rp = sc
        .issues
        .iter()
        .filter(|x| x.status_quo.is_some() && out.value_of(&x.id).is_some());
    assert_eq!(with_rp.count(), 156);
    let first = &sc.issues[0];
    assert!(first
        .meta
        .contains(&("proc".to_string(), "COD".to_string())));
    assert!(first
        .meta
        .contains(&("counvte".to_string(), "QMV".to_string())));
    round_trip(&i);
}

#[test]
fn broken_rows_name_their_line() {
    let e = import(
        Format::Bdm,
        "Actor,Capability,Position,Salience\nA,1,2,0.5\nB,x,2,0.5\n",
        "b.csv",
    )
    .unwrap_err();
    assert_eq!((e.line, e.file.as_str()), (3, "b.csv"));
    assert!(e.message.contains("Capability"), "{e}");
    let e = import(
        Format::Bdm,
        "Actor,Capability,Position,Salience\nA,0,2,0.5\n",
        "b.csv",
    )
    .unwrap_err();
    assert_eq!(e.line, 2);
    let e = import(
        Format::Ktab,
        "X,Y,2,1\nActor,Desc,Power,P,S\nA,a,1,50,50\n",
        "k.csv",
    )
    .unwrap_err();
    assert!(e.message.contains("2 actors"), "{e}");
    let e = import(
        Format::Ktab,
        "X,Y,1,1\nActor,Desc,Power,P,S\nA,a,1,150,50\n",
        "k.csv",
    )
    .unwrap_err();
    assert_eq!(e.line, 3);
    let e = import(
        Format::Decide,
        "'#A'\t'a'\n'#P'\t'i'\n'#D'\t'a'\t'j'\t1\t1\t1\n",
        "d.txt",
    )
    .unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.message.contains("unknown issue `j`"), "{e}");
    let mut deu = data("deu3/deu3-dev.tsv");
    deu = deu.replacen("\t100\t100\t40\t40\t", "\t100\tabc\t40\t40\t", 1);
    let e = import(Format::Deu, &deu, "deu.tsv").unwrap_err();
    assert_eq!(e.line, 3, "{e}");
}
