//! Writes the template games used as test fixtures to `tests/data/crisis/templates/` (their expected
//! equilibria then come from `scripts/crisis_oracle.py`). Run: `cargo run -p brink-crisis --example write_templates`.
use brink_crisis::efg::write_efg;
use brink_crisis::templates::{
    escalation_ladder, international_interaction_game, IigSide, LadderParams,
};

/// The template instances used in the tests (also rebuilt there to check the files are current).
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/crisis/templates"
    );
    std::fs::create_dir_all(dir)?;
    for (name, game) in fixtures()? {
        std::fs::write(format!("{dir}/{name}.efg"), write_efg(&game))?;
    }
    Ok(())
}

fn fixtures() -> brink_crisis::Result<Vec<(String, brink_crisis::game::Game)>> {
    let mut out = Vec::new();
    for (k, (p, alpha_a, alpha_b, gamma)) in [
        (0.5, 0.1, 0.1, 0.2),
        (0.8, 0.05, 0.3, 0.1),
        (0.3, 0.4, 0.05, 0.3),
        (0.5, 0.6, 0.6, 0.05),
    ]
    .iter()
    .enumerate()
    {
        let a = IigSide {
            sq: 0.0,
            own: 1.0,
            other: -1.0,
            phi: 0.5,
            alpha: *alpha_a,
            tau: 0.1,
            gamma: *gamma,
        };
        let b = IigSide {
            sq: 0.0,
            own: 1.0,
            other: -1.0,
            phi: 0.5,
            alpha: *alpha_b,
            tau: 0.1,
            gamma: *gamma,
        };
        out.push((
            format!("iig_{k}"),
            international_interaction_game(&a, &b, *p)?,
        ));
    }
    for (k, (rungs, p, ca, cb, aa, ab)) in [
        (4, 0.5, 0.3, 0.3, 0.1, 0.1),
        (6, 0.6, 0.5, 0.2, 0.4, 0.05),
        (3, 0.4, 0.1, 0.9, 0.0, 0.5),
    ]
    .iter()
    .enumerate()
    {
        let params = LadderParams {
            rungs: *rungs,
            stake: 1.0,
            p_win_a: *p,
            war_cost: [*ca, *cb],
            audience_cost: [*aa, *ab],
        };
        out.push((format!("ladder_{k}"), escalation_ladder(&params)?));
    }
    Ok(out)
}
