//! Writes the crisis games of incomplete information that the quantal response fixtures check
//! (`scripts/crisis_qre.py` solves them with Gambit's logit tracing), to
//! `tests/data/crisis/qre/`: the built-in scenario's crisis and `two_types.toml`'s (the revised
//! mapping, with red lines), each with the challenger's type private, in the units in which one
//! precision applies to both sides (`brink_crisis::standoff::private_game_qre`).
//! Run: `cargo run -p brink-crisis --example write_qre_games`.
use brink_crisis::efg::write_efg;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/crisis/qre");
    for (name, game) in games()? {
        std::fs::write(format!("{dir}/{name}.efg"), write_efg(&game))?;
    }
    Ok(())
}

/// The games, by file name (also rebuilt by the test that checks the files are current).
pub fn games() -> Result<Vec<(String, brink_crisis::game::Game)>, Box<dyn std::error::Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/crisis/qre");
    let builtin = brink_scenario::builtin()?;
    let two = brink_scenario::load_file(std::path::Path::new(&format!("{dir}/two_types.toml")))?;
    let mut out = Vec::new();
    for (name, sc) in [("builtin_private", builtin), ("two_types_private", two)] {
        let worlds: Vec<(f64, String, brink_scenario::Scenario)> = sc
            .worlds()
            .into_iter()
            .map(|(w, t, s)| (w, sc.types[t[0]].id.clone(), s))
            .collect();
        let model = brink_bargain::find(&sc.crises[0].model).ok_or("unknown model")?;
        let settle = |wi: usize| -> Vec<Option<f64>> {
            let s = &worlds[wi].2;
            model
                .run(
                    &brink_bargain::Input::new(s, &s.point_values()),
                    &Default::default(),
                )
                .iter()
                .map(|f| f.value())
                .collect()
        };
        let mut g = brink_crisis::standoff::private_game_qre(&worlds, 0, &settle)?
            .ok_or("not a crisis with private types")?;
        // Gambit wants node labels unique within a game: the types' copies of a node get the
        // node's number appended.
        let mut seen = std::collections::HashSet::new();
        for (id, node) in g.nodes.iter_mut().enumerate() {
            if !node.label.is_empty() && !seen.insert(node.label.clone()) {
                node.label = format!("{} (node {id})", node.label);
            }
        }
        out.push((name.to_string(), g));
    }
    Ok(out)
}
