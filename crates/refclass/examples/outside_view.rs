//! Prints the outside view of every crisis with an onset section in a scenario file, at both
//! levels, as JSON: `cargo run --release -p brink-refclass --example outside_view -- FILE`.

use brink_refclass::{onset_from_scenario, Level, OnsetValues, ReferenceClass};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: outside_view SCENARIO.toml");
    let sc = match brink_scenario::load_file(std::path::Path::new(&path)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    for c in &sc.crises {
        let Some(o) = onset_from_scenario(c) else {
            continue;
        };
        let sys = ReferenceClass::builtin(Level::System, Some(sc.as_of)).expect("fits");
        let v = sys
            .predict(&OnsetValues::System(o.system.clone()))
            .expect("predicts");
        println!("{}", serde_json::to_string_pretty(&v).expect("serialises"));
        let act = ReferenceClass::builtin(Level::Actor, Some(sc.as_of)).expect("fits");
        for (a, x) in &o.actors {
            let v = act
                .predict(&OnsetValues::Actor(x.clone()))
                .expect("predicts");
            println!(
                "{}: {}",
                sc.actors[*a].name,
                serde_json::to_string_pretty(&v).expect("serialises")
            );
        }
    }
}
