//! Writing a scenario or outcomes back as TOML in brink's format (used by the importers).
//!
//! The output reads back through [`crate::load_str`] into an equal scenario (tested).

use crate::model::*;
use std::fmt::Write;

/// A TOML string literal with escapes.
pub(crate) fn q(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

/// A number as TOML (always with a decimal point or exponent when not integral).
fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:?}")
    }
}

fn uncertain(u: &Uncertain) -> String {
    let point = |s: String| {
        if u.point != Uncertain::natural_point(&u.dist, u.point) {
            format!("{{ {s}, point = {} }}", num(u.point))
        } else {
            format!("{{ {s} }}")
        }
    };
    match u.dist {
        Dist::Fixed => num(u.point),
        Dist::Triangular { lo, mode, hi } => point(format!(
            "triangular = [{}, {}, {}]",
            num(lo),
            num(mode),
            num(hi)
        )),
        Dist::Uniform { lo, hi } => point(format!("uniform = [{}, {}]", num(lo), num(hi))),
        Dist::Normal { mean, sd, .. } => point(format!(
            "normal = {{ mean = {}, sd = {} }}",
            num(mean),
            num(sd)
        )),
        Dist::Beta {
            alpha,
            beta,
            lo,
            hi,
        } => point(format!(
            "beta = {{ alpha = {}, beta = {}, lo = {}, hi = {} }}",
            num(alpha),
            num(beta),
            num(lo),
            num(hi)
        )),
        // A pool is written as its estimates (see `scenario_to_toml`); alone, its point.
        Dist::Mixture { .. } => num(u.point),
    }
}

fn evidence(out: &mut String, e: &Evidence, sources: &[Source]) {
    match e {
        Evidence::Assumed(r) => {
            let _ = writeln!(out, "assumed = {}", q(r));
        }
        Evidence::Quotes(qs) => {
            out.push_str("evidence = [");
            for (i, x) in qs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(
                    out,
                    "{{ source = {}, quote = {} }}",
                    q(&sources[x.source].id),
                    q(&x.quote)
                );
            }
            out.push_str("]\n");
        }
    }
}

fn write_sources(out: &mut String, sources: &[Source]) {
    for s in sources {
        out.push_str("\n[[sources]]\n");
        let _ = writeln!(out, "id = {}", q(&s.id));
        let _ = writeln!(out, "citation = {}", q(&s.citation));
        let _ = writeln!(out, "date = {}", s.date);
        if let Some(r) = s.reliability {
            let _ = writeln!(out, "reliability = {}", num(r));
        }
    }
}

/// The scenario as TOML text in brink's format.
pub fn scenario_to_toml(sc: &Scenario) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "brink = {FORMAT_VERSION}\n\n[scenario]");
    let _ = writeln!(out, "id = {}", q(&sc.id));
    let _ = writeln!(out, "title = {}", q(&sc.title));
    let _ = writeln!(out, "as_of = {}", sc.as_of);
    let _ = writeln!(out, "question = {}", q(&sc.question));
    write_sources(&mut out, &sc.sources);
    for a in &sc.actors {
        out.push_str("\n[[actors]]\n");
        let _ = writeln!(out, "id = {}", q(&a.id));
        let _ = writeln!(out, "name = {}", q(&a.name));
        let _ = writeln!(out, "power = {}", uncertain(&a.power));
        if let Some(e) = &a.evidence {
            evidence(&mut out, e, &sc.sources);
        }
    }
    for is in &sc.issues {
        out.push_str("\n[[issues]]\n");
        let _ = writeln!(out, "id = {}", q(&is.id));
        let _ = writeln!(out, "name = {}", q(&is.name));
        let _ = writeln!(
            out,
            "scale = {{ min = {}, max = {} }}",
            num(is.min),
            num(is.max)
        );
        out.push_str("points = [");
        for (i, p) in is.points.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{{ at = {}, label = {} }}", num(p.at), q(&p.label));
        }
        out.push_str("]\n");
        if let Some(s) = &is.status_quo {
            let _ = writeln!(out, "status_quo = {}", uncertain(s));
        }
        if let Some(e) = &is.status_quo_evidence {
            evidence(&mut out, e, &sc.sources);
        }
        if !is.meta.is_empty() {
            let kv: Vec<String> = is
                .meta
                .iter()
                .map(|(k, v)| format!("{} = {}", q(k), q(v)))
                .collect();
            let _ = writeln!(out, "meta = {{ {} }}", kv.join(", "));
        }
    }
    for st in &sc.stances {
        out.push_str("\n[[stances]]\n");
        let _ = writeln!(out, "actor = {}", q(&sc.actors[st.actor].id));
        let _ = writeln!(out, "issue = {}", q(&sc.issues[st.issue].id));
        let pooled =
            |u: &Uncertain| matches!(u.dist, Dist::Mixture { .. }) && !st.estimates.is_empty();
        if !pooled(&st.position) {
            let _ = writeln!(out, "position = {}", uncertain(&st.position));
        }
        if !pooled(&st.salience) {
            let _ = writeln!(out, "salience = {}", uncertain(&st.salience));
        }
        if let Some(p) = &st.power {
            let _ = writeln!(out, "power = {}", uncertain(p));
        }
        if st.estimates.is_empty() {
            evidence(&mut out, &st.evidence, &sc.sources);
            continue;
        }
        let equal = st
            .estimates
            .iter()
            .all(|e| (e.weight - st.estimates[0].weight).abs() < 1e-12);
        let _ = writeln!(
            out,
            "pool = {}",
            q(if equal { "equal" } else { "reliability" })
        );
        out.push_str("estimates = [\n");
        for e in &st.estimates {
            let mut parts = vec![format!("source = {}", q(&sc.sources[e.source].id))];
            if let Some(p) = &e.position {
                parts.push(format!("position = {}", uncertain(p)));
            }
            if let Some(s) = &e.salience {
                parts.push(format!("salience = {}", uncertain(s)));
            }
            match &e.evidence {
                Evidence::Quotes(qs) => {
                    parts.extend(qs.iter().map(|x| format!("quote = {}", q(&x.quote))))
                }
                Evidence::Assumed(r) => parts.push(format!("assumed = {}", q(r))),
            }
            let _ = writeln!(out, "  {{ {} }},", parts.join(", "));
        }
        out.push_str("]\n");
    }
    out
}

/// Outcomes as TOML text in brink's format.
pub fn outcomes_to_toml(o: &Outcomes) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "brink = {FORMAT_VERSION}");
    let _ = writeln!(out, "scenario = {}", q(&o.scenario));
    let _ = writeln!(out, "horizon = {}", o.horizon);
    write_sources(&mut out, &o.sources);
    for x in &o.issues {
        out.push_str("\n[[issues]]\n");
        let _ = writeln!(out, "issue = {}", q(&x.issue));
        let _ = writeln!(out, "value = {}", num(x.value));
        if let Some(d) = x.date {
            let _ = writeln!(out, "date = {d}");
        }
        evidence(&mut out, &x.evidence, &o.sources);
    }
    out
}
