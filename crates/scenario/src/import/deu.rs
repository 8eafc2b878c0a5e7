//! DEU III rows (Decision-making in the European Union; Arregui & Perarnaud 2021), as tabulated
//! in a TSV: row 1 the header, row 2 a capability weight per actor under its position column,
//! then one issue per row with positions `p*` and saliences `s*` (0-100) of the Commission
//! (`com`), the Parliament (`ep`) and the member states, the reference point `rp` and the decided
//! outcome `out`.
//!
//! The Commission, the Parliament and each member state become actors with row 2's capability as
//! power. A stance is made where an actor has both a position and a salience (an actor with a
//! position but no salience is skipped, as in the literature's compromise model). Saliences are
//! rescaled to [0, 1]; `rp` becomes the status quo; `out` goes into an outcomes file. The
//! proposal id, procedure and voting rule are kept in each issue's `meta`, with `inputs =
//! "expert interviews"` (DEU's positions and saliences come from interviews with the
//! negotiators' experts, the kind of data brink's error models were fitted on, so the issues'
//! predictive distributions are not widened; `docs/uncertainty.md`).

use super::*;

const NAMES: &[(&str, &str)] = &[
    ("com", "European Commission"),
    ("ep", "European Parliament"),
    ("at", "Austria"),
    ("be", "Belgium"),
    ("bu", "Bulgaria"),
    ("cr", "Croatia"),
    ("cy", "Cyprus"),
    ("cz", "Czechia"),
    ("dk", "Denmark"),
    ("ee", "Estonia"),
    ("fi", "Finland"),
    ("fr", "France"),
    ("de", "Germany"),
    ("el", "Greece"),
    ("hu", "Hungary"),
    ("ie", "Ireland"),
    ("it", "Italy"),
    ("lv", "Latvia"),
    ("lt", "Lithuania"),
    ("lu", "Luxembourg"),
    ("mt", "Malta"),
    ("nl", "Netherlands"),
    ("pl", "Poland"),
    ("pt", "Portugal"),
    ("ro", "Romania"),
    ("si", "Slovenia"),
    ("sk", "Slovakia"),
    ("es", "Spain"),
    ("se", "Sweden"),
    ("uk", "United Kingdom"),
];

/// The issue `meta` key and value saying the inputs are expert interviews (the names
/// `brink_eval::predictive` reads: `META_INPUTS`, `INTERVIEWS`).
const INPUTS_KEY: &str = "inputs";
const INTERVIEWS: &str = "expert interviews";

const META: &[&str] = &[
    "prnr", "prname", "type", "council", "proc", "counvte", "proccde", "intro",
];

/// Imports a DEU III TSV.
pub fn import(text: &str, file: &str) -> Result<Imported, ImportError> {
    let rows = lines(text);
    let rows: Vec<(usize, Vec<&str>)> = rows
        .into_iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| (n, l.split('\t').collect()))
        .collect();
    if rows.len() < 3 {
        return Err(err(
            file,
            0,
            "expected a header row, a capability row and at least one issue row",
        ));
    }
    let (hl, header) = &rows[0];
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let need = |name: &str| {
        col(name).ok_or_else(|| err(file, *hl, format!("the header has no column `{name}`")))
    };
    let isnr = need("isnr")?;
    let rp = need("rp")?;
    let out = need("out")?;
    let mut actor_cols = Vec::new();
    for (code, name) in NAMES {
        if let (Some(p), Some(s)) = (col(&format!("p{code}")), col(&format!("s{code}"))) {
            actor_cols.push((*code, *name, p, s));
        }
    }
    if actor_cols.is_empty() {
        return Err(err(
            file,
            *hl,
            "the header names no actor columns (pcom/scom, pep/sep, ...)",
        ));
    }
    let (cl, caps) = &rows[1];
    let date = Date {
        year: 2021,
        month: 1,
        day: 1,
    };
    let mut actors = Vec::new();
    for (code, name, p, _) in &actor_cols {
        let cell = caps.get(*p).copied().unwrap_or("");
        let c = cell_num(file, *cl, &format!("capability of `{code}`"), cell)?;
        if c <= 0.0 {
            return Err(err(
                file,
                *cl,
                format!("capability of `{code}` must be > 0, found {c}"),
            ));
        }
        actors.push(Actor {
            id: code.to_string(),
            name: name.to_string(),
            power: Uncertain::fixed(c),
            evidence: Some(Evidence::Quotes(vec![Quote {
                source: 0,
                quote: format!("line {cl}: capability p{code} = {}", cell.trim()),
            }])),
        });
    }
    let mut issues = Vec::new();
    let mut stances = Vec::new();
    let mut outcomes = Vec::new();
    let mut half_given = 0usize;
    let mut seen = std::collections::HashSet::new();
    for (ln, cells) in &rows[2..] {
        let get = |i: usize| cells.get(i).map(|c| c.trim()).unwrap_or("");
        let id = get(isnr).to_string();
        if id.is_empty() {
            return Err(err(file, *ln, "empty issue id (`isnr`)"));
        }
        if !seen.insert(id.clone()) {
            return Err(err(file, *ln, format!("issue `{id}` appears twice")));
        }
        let k = issues.len();
        let status_quo = match get(rp) {
            "" => None,
            c => {
                let v = cell_num(file, *ln, "rp", c)?;
                if !(0.0..=100.0).contains(&v) {
                    return Err(err(file, *ln, format!("rp {v} is outside 0-100")));
                }
                Some(Uncertain::fixed(v))
            }
        };
        let mut meta: Vec<(String, String)> = META
            .iter()
            .filter_map(|m| col(m).map(|i| (m.to_string(), get(i).to_string())))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        meta.push((INPUTS_KEY.into(), INTERVIEWS.into()));
        let prname = col("prname").map(get).unwrap_or("");
        let nr = col("isnrnmc").map(get).unwrap_or("");
        issues.push(Issue {
            id: id.clone(),
            name: if prname.is_empty() {
                id.clone()
            } else {
                format!("{prname}, issue {nr}")
            },
            min: 0.0,
            max: 100.0,
            points: plain_points(0.0, 100.0),
            status_quo_evidence: status_quo
                .as_ref()
                .map(|_| row_evidence(*ln, &format!("rp = {}", get(rp)))),
            status_quo,
            meta,
        });
        for (a, (code, _, p, s)) in actor_cols.iter().enumerate() {
            let (pc, sc) = (get(*p), get(*s));
            if pc.is_empty() || sc.is_empty() {
                if pc.is_empty() != sc.is_empty() {
                    half_given += 1;
                }
                continue;
            }
            let x = cell_num(file, *ln, &format!("p{code}"), pc)?;
            let sal = cell_num(file, *ln, &format!("s{code}"), sc)?;
            if !(0.0..=100.0).contains(&x) || !(0.0..=100.0).contains(&sal) {
                return Err(err(
                    file,
                    *ln,
                    format!("p{code} = {x} or s{code} = {sal} is outside 0-100"),
                ));
            }
            stances.push(Stance {
                actor: a,
                issue: k,
                position: Uncertain::fixed(x),
                salience: Uncertain::fixed(sal / 100.0),
                power: None,
                evidence: row_evidence(*ln, &format!("p{code} = {pc}, s{code} = {sc}")),
                estimates: Vec::new(),
            });
        }
        if !get(out).is_empty() {
            let v = cell_num(file, *ln, "out", get(out))?;
            if !(0.0..=100.0).contains(&v) {
                return Err(err(file, *ln, format!("out {v} is outside 0-100")));
            }
            outcomes.push(IssueOutcome {
                issue: id,
                value: v,
                date: None,
                evidence: row_evidence(*ln, &format!("out = {}", get(out))),
            });
        }
    }
    if stances.is_empty() {
        return Err(err(
            file,
            0,
            "no issue row gives an actor both a position and a salience: the file has no stances",
        ));
    }
    let mut notes = Vec::new();
    if half_given > 0 {
        notes.push(format!(
            "{half_given} position{} without a salience (or a salience without a position) left out, as in the literature's compromise model",
            if half_given == 1 { "" } else { "s" }
        ));
    }
    let sid = stem(file);
    let source = file_source(
        file,
        "DEU III dataset, Arregui & Perarnaud (2021), doi 10.34810/data53",
        date,
    );
    let scenario = Scenario {
        id: sid.clone(),
        title: format!("{sid}: EU legislative decisions (DEU III)"),
        as_of: date,
        question: "Where does each EU legislative issue settle?".into(),
        sources: vec![source.clone()],
        actors,
        issues,
        stances,
        crises: Vec::new(),
        types: Vec::new(),
        updates: Vec::new(),
        applied: 0,
    };
    let outcomes = (!outcomes.is_empty()).then(|| Outcomes {
        scenario: sid,
        horizon: date,
        sources: vec![source],
        issues: outcomes,
        crises: Vec::new(),
        events: Vec::new(),
    });
    let proposals = scenario
        .issues
        .iter()
        .filter_map(|is| {
            is.meta
                .iter()
                .find(|(k, _)| k == "prnr")
                .map(|(_, v)| v.as_str())
        })
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if proposals > 1 {
        notes.push(format!(
            "{proposals} proposals, each a negotiation of its own (the issues' `prnr`): `brink run`, \
             `brink eval` and the rest run the multi-issue models (SMP, exchange) on each proposal \
             apart, never across proposals"
        ));
    }
    notes.push(date_note(
        date,
        "the year the DEU III dataset was published",
    ));
    finish(file, scenario, outcomes, notes)
}
