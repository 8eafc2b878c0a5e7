//! Fixtures from pygambit (`scripts/crisis_pygambit.py`): pure profiles where Gambit's `logit_solve`
//! (agent QRE limit, a sequential equilibrium) converged must be among brink's equilibria; and a
//! regression where `lcp_solve` returns an equilibrium propped up by a non-credible threat.

use brink_crisis::certify::{certify, Beliefs, Profile};
use brink_crisis::efg::read_efg;
use brink_crisis::game::{Game, NodeKind};
use brink_crisis::num::Rational;
use brink_crisis::pbe::{solve_pbe, OffPathBelief};
use brink_crisis::spe::{solve_spe, solve_spe_capped};
use serde_json::Value;

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/crisis/pygambit"
);

/// Builds a profile from action indices listed per decision node in prefix order.
fn profile_from_nodes(g: &Game, per_node: &[usize]) -> Profile {
    let mut actions: Vec<Option<usize>> = vec![None; g.infosets.len()];
    let mut it = per_node.iter();
    for node in &g.nodes {
        if let NodeKind::Decision { infoset, .. } = node.kind {
            let a = *it.next().expect("one action per decision node");
            if let Some(prev) = actions[infoset] {
                assert_eq!(prev, a, "members of one information set must agree");
            }
            actions[infoset] = Some(a);
        }
    }
    assert!(it.next().is_none());
    Profile { actions }
}

#[test]
fn logit_pure_profiles_are_brink_equilibria() {
    let list: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/expected.json")).unwrap())
            .unwrap();
    assert!(list.len() >= 200, "{} fixtures", list.len());
    let (mut perfect, mut typed) = (0, 0);
    for e in &list {
        let file = e["file"].as_str().unwrap();
        let g = read_efg(&std::fs::read_to_string(format!("{DIR}/{file}")).unwrap()).unwrap();
        let per_node: Vec<usize> = e["logit_profile"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as usize)
            .collect();
        let want = profile_from_nodes(&g, &per_node);
        let found = if g.is_perfect_information() {
            perfect += 1;
            let sol = solve_spe_capped::<Rational>(&g, 1000).unwrap();
            sol.equilibria.iter().any(|q| q.profile == want)
        } else {
            typed += 1;
            let sol = solve_pbe::<Rational>(&g, OffPathBelief::Supporting).unwrap();
            sol.equilibria.iter().any(|q| q.profile == want)
        };
        assert!(
            found,
            "{file}: logit's profile is not among brink's equilibria"
        );
    }
    assert!(
        perfect >= 50 && typed >= 20,
        "perfect {perfect}, typed {typed}"
    );
}

#[test]
fn lcp_noncredible_threat_regression() {
    let meta: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{DIR}/lcp_noncredible.json")).unwrap(),
    )
    .unwrap();
    let g = read_efg(
        &std::fs::read_to_string(format!("{DIR}/{}", meta["file"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    let lcp: Vec<usize> = meta["lcp_profile"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect();
    let lcp = profile_from_nodes(&g, &lcp);
    let sol = solve_spe::<Rational>(&g).unwrap();
    assert!(sol.complete);
    assert!(sol
        .equilibria
        .iter()
        .all(|e| e.certificate.is_equilibrium()));
    assert!(
        sol.equilibria.iter().all(|e| e.profile != lcp),
        "brink must not return lcp's non-credible equilibrium"
    );
    // brink's answer is the oracle's (every SPE).
    let oracle: Vec<Profile> = meta["spe_profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            profile_from_nodes(
                &g,
                &p.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_u64().unwrap() as usize)
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let mut mine: Vec<Profile> = sol.equilibria.iter().map(|e| e.profile.clone()).collect();
    mine.sort();
    let mut oracle = oracle;
    oracle.sort();
    assert_eq!(mine, oracle);
    // lcp's profile: the threat to fight is never tested on its path, and the certificate shows the
    // regret of carrying it out.
    let cert = certify::<Rational>(&g, &lcp, &Beliefs::singletons(&g)).unwrap();
    assert!(!cert.is_equilibrium());
    let bad = cert
        .checks
        .iter()
        .find(|c| c.regret > Rational::from_integer(0.into()))
        .unwrap();
    assert!(!bad.on_path, "the non-credible threat is off lcp's path");
}
