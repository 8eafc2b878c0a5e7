//! The predictive distribution of each model's forecast on an issue, drawn against the actors'
//! positions: one row per actor on top (marker area proportional to capability x salience, as in
//! the issue plot), then one row per model with the distribution as a histogram of its mass over
//! 25 equal bins of the scale, its point masses as sticks labelled with their probability, and
//! under it the central 90% interval (thin), 50% interval (thick) and the median (black tick).

use super::*;
use brink_eval::predictive::Prediction;
use brink_eval::scores::Predictive;

/// Bins of the histogram.
const BINS: usize = 25;

/// Atoms holding at least this share of the mass are drawn as point masses.
const POINT_MASS: f64 = 0.02;

/// One model's distribution on a predictive plot.
#[derive(Debug, Clone, PartialEq)]
pub struct DistRow<'a> {
    /// The model's name.
    pub model: String,
    /// Its predictive distribution.
    pub dist: &'a Predictive,
}

/// A distribution's histogram (mass per bin, point masses left out) and its point masses.
type Shape = (Vec<f64>, Vec<(f64, f64)>);

/// The [`Shape`] of a distribution on a scale.
fn shape(scale: &Scale, d: &Predictive) -> Shape {
    let mut bins = vec![0.0; BINS];
    let mut points = Vec::new();
    for &(x, w) in d.atoms() {
        if w >= POINT_MASS {
            points.push((x, w));
        } else {
            let b = (((x - scale.min) / (scale.max - scale.min)) * BINS as f64).floor();
            bins[(b.max(0.0) as usize).min(BINS - 1)] += w;
        }
    }
    (bins, points)
}

/// The predictive distributions of an issue's forecasts against the actors' positions.
pub fn predictive_plot(
    title: &str,
    scale: &Scale,
    actors: &[ActorMark],
    rows: &[DistRow<'_>],
    status_quo: Option<f64>,
) -> Result<String, PlotError> {
    ensure_font()?;
    scale.check()?;
    for a in actors {
        finite(a.position, &format!("{}'s position", a.name))?;
        if !(a.weight.is_finite() && a.weight >= 0.0) {
            return Err(PlotError::Input(format!(
                "{}'s weight must be a finite number >= 0",
                a.name
            )));
        }
    }
    if let Some(q) = status_quo {
        finite(q, "the status quo")?;
    }
    let mut order: Vec<usize> = (0..actors.len()).collect();
    order.sort_by(|&a, &b| {
        actors[a]
            .position
            .total_cmp(&actors[b].position)
            .then(actors[b].weight.total_cmp(&actors[a].weight))
    });
    let nf = font(12.0);
    let name_w = actors
        .iter()
        .map(|a| text_width(&a.name, &nf))
        .chain(rows.iter().map(|r| text_width(&r.model, &nf)))
        .fold(60.0, f64::max)
        .min(200.0);
    let m = XMap {
        min: scale.min,
        max: scale.max,
        x0: 16.0 + name_w + 24.0,
        x1: WIDTH as f64 - 190.0,
    };
    let mut items: Vec<(Key, String)> = vec![
        (
            Key::Circle,
            "actor's position (area: capability × salience)".to_string(),
        ),
        (Key::Box(GREY), "probability over the scale".into()),
        (Key::Bar(GREY), "point mass, with its probability".into()),
        (
            Key::Line(GREY, false),
            "central 90% and 50% intervals".into(),
        ),
        (Key::Line(INK, false), "median".into()),
    ];
    if let Some(q) = status_quo {
        items.push((Key::Line(GREY, true), format!("status quo {}", num(q))));
    }
    let titles = title_lines(title);
    let lw = WIDTH as f64 - 32.0;
    let head = 12.0
        + 20.0 * titles.len() as f64
        + 8.0
        + legend_height(&items.iter().map(|i| i.1.clone()).collect::<Vec<_>>(), lw);
    let actor_h = 22.0;
    let row_h = 64.0;
    let actors_top = head + 10.0;
    let rows_top = actors_top + actor_h * actors.len() as f64 + 10.0;
    let axis_y = rows_top + row_h * rows.len().max(1) as f64 + 4.0;
    let height = axis_y + axis_extent(scale, &m) + 8.0;
    let wmax = actors.iter().map(|a| a.weight).fold(0.0, f64::max);
    let shapes: Vec<Shape> = rows.iter().map(|r| shape(scale, r.dist)).collect();
    svg(height, |area| {
        let y = draw_title(area, &titles)?;
        legend(area, &items, 16.0, y + 10.0, lw)?;
        draw_scale_axis(area, scale, &m, axis_y, actors_top - 4.0)?;
        if let Some(q) = status_quo {
            let x = m.at(q);
            dashed(area, (x, actors_top - 4.0), (x, axis_y), GREY, 2, 5.0)?;
        }
        for (r, &i) in order.iter().enumerate() {
            let a = &actors[i];
            let cy = actors_top + actor_h * (r as f64 + 0.5);
            line(area, (m.x0, cy), (m.x1, cy), LIGHT, 1)?;
            let name = wrap(&a.name, name_w, 1, &nf).pop().unwrap_or_default();
            text(area, &name, m.x0 - 12.0, cy, &nf, Anchor::Right)?;
            let rad = if wmax > 0.0 {
                (10.0 * (a.weight / wmax).sqrt()).max(3.0)
            } else {
                4.0
            };
            area.draw(&Circle::new(
                (px(m.at(a.position)), px(cy)),
                px(rad).max(2) as u32,
                ShapeStyle {
                    color: ACTOR.mix(0.6),
                    filled: true,
                    stroke_width: 1,
                },
            ))
            .map_err(draw_err)?;
        }
        let bin_w = (m.x1 - m.x0) / BINS as f64;
        for (r, (row, (bins, points))) in rows.iter().zip(&shapes).enumerate() {
            let c = model_color(r);
            let top = rows_top + row_h * r as f64;
            let base = top + row_h - 22.0;
            let tall = row_h - 36.0;
            line(area, (m.x0, base), (m.x1, base), LIGHT, 1)?;
            text(
                area,
                &row.model,
                m.x0 - 12.0,
                base - 10.0,
                &nf,
                Anchor::Right,
            )?;
            let bmax = bins.iter().copied().fold(0.0, f64::max);
            if bmax > 0.0 {
                for (b, &w) in bins.iter().enumerate() {
                    if w <= 0.0 {
                        continue;
                    }
                    let x = m.x0 + bin_w * b as f64;
                    let h = tall * w / bmax;
                    area.draw(&Rectangle::new(
                        [
                            (px(x), px(base - h)),
                            (px(x + bin_w).max(px(x) + 1), px(base)),
                        ],
                        c.mix(0.4).filled(),
                    ))
                    .map_err(draw_err)?;
                }
            }
            for &(x, w) in points {
                let xx = m.at(x);
                let h = (tall * (w / 0.5).min(1.0)).max(4.0);
                area.draw(&Rectangle::new(
                    [(px(xx - 1.5), px(base - h)), (px(xx + 1.5), px(base))],
                    c.filled(),
                ))
                .map_err(draw_err)?;
                // Labels at the scale's ends stay inside the plot.
                let (lx, anchor) = if xx - m.x0 < 12.0 {
                    (xx - 2.0, Anchor::Left)
                } else if m.x1 - xx < 12.0 {
                    (xx + 2.0, Anchor::Right)
                } else {
                    (xx, Anchor::Center)
                };
                text(
                    area,
                    &format!("{:.0}%", 100.0 * w),
                    lx,
                    base - h - 7.0,
                    &font(10.0),
                    anchor,
                )?;
            }
            let (l90, h90) = row.dist.interval(0.9);
            let (l50, h50) = row.dist.interval(0.5);
            let med = row.dist.quantile(0.5);
            let iy = base + 9.0;
            line(area, (m.at(l90), iy), (m.at(h90), iy), c, 2)?;
            area.draw(&Rectangle::new(
                [
                    (px(m.at(l50)), px(iy - 4.0)),
                    (px(m.at(h50)).max(px(m.at(l50)) + 1), px(iy + 4.0)),
                ],
                c.filled(),
            ))
            .map_err(draw_err)?;
            line(area, (m.at(med), iy - 7.0), (m.at(med), iy + 7.0), INK, 3)?;
            let note = format!(
                "median {}; 50%: {} to {}; 90%: {} to {}",
                num(med),
                num(l50),
                num(h50),
                num(l90),
                num(h90)
            );
            let lines = wrap(&note, 170.0, 3, &font(11.0));
            for (j, l) in lines.iter().enumerate() {
                let ly = top + row_h / 2.0 + (j as f64 - (lines.len() as f64 - 1.0) / 2.0) * 13.0;
                text(area, l, m.x1 + 14.0, ly, &font(11.0), Anchor::Left)?;
            }
        }
        Ok(())
    })
}

/// [`predictive_plot`] of issue `k` of a scenario with the given values (point estimates, or
/// the values the actors' markers should show) and the predictions of that issue.
pub fn predictive_plot_of(
    sc: &Scenario,
    values: &Values,
    k: usize,
    predictions: &[&Prediction],
) -> Result<String, PlotError> {
    let rows: Vec<DistRow<'_>> = predictions
        .iter()
        .map(|p| DistRow {
            model: p.model.clone(),
            dist: &p.distribution,
        })
        .collect();
    let widening = predictions
        .first()
        .map(|p| p.summary.widening)
        .unwrap_or(1.0);
    issue_rows_plot(sc, values, k, &rows, widening)
}

/// [`predictive_plot`] of issue `k` of a scenario with the given values and the predictive
/// distributions of a forecast document's issue (`rep`, issue `k` of the same scenario).
pub fn predictive_plot_of_report(
    sc: &Scenario,
    values: &Values,
    k: usize,
    rep: &brink_engine::doc::IssueReport,
) -> Result<String, PlotError> {
    let rows: Vec<DistRow<'_>> = rep
        .forecasts
        .iter()
        .filter_map(|f| {
            let p = f.predictive.as_ref()?;
            Some(DistRow {
                model: f.model.clone(),
                dist: p.distribution.as_ref()?,
            })
        })
        .collect();
    let widening = rep
        .forecasts
        .iter()
        .find_map(|f| f.predictive.as_ref().map(|p| p.widening))
        .unwrap_or(1.0);
    issue_rows_plot(sc, values, k, &rows, widening)
}

fn issue_rows_plot(
    sc: &Scenario,
    values: &Values,
    k: usize,
    rows: &[DistRow<'_>],
    widening: f64,
) -> Result<String, PlotError> {
    let issue = sc
        .issues
        .get(k)
        .ok_or_else(|| PlotError::Input(format!("no issue number {k}")))?;
    let actors: Vec<ActorMark> = sc
        .stances
        .iter()
        .enumerate()
        .filter(|(_, s)| s.issue == k)
        .map(|(j, s)| {
            let power = values
                .stance_power
                .get(j)
                .copied()
                .flatten()
                .unwrap_or_else(|| values.power.get(s.actor).copied().unwrap_or(f64::NAN));
            ActorMark {
                name: sc.actors[s.actor].name.clone(),
                position: values.position.get(j).copied().unwrap_or(f64::NAN),
                weight: power * values.salience.get(j).copied().unwrap_or(f64::NAN),
            }
        })
        .collect();
    predictive_plot(
        &format!(
            "{}: where it settles, by model (error measured on EU decisions{})",
            issue.name,
            if widening != 1.0 {
                format!(", widened x{}", num(widening))
            } else {
                String::new()
            }
        ),
        &Scale::of_issue(issue),
        &actors,
        rows,
        values.status_quo.get(k).copied().flatten(),
    )
}
