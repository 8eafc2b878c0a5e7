//! One crisis outcome's probability over time ([`ProbabilityPath`]): each series (brink's
//! forecast of record, brink's forecasts computed now from the scenario, each other forecaster's
//! stated probabilities) as a line through its dated points, each point labelled with its value,
//! on a time axis with a tick at the first of each month, and the date the crisis ended marked by
//! a dashed vertical line labelled with its outcome.

use super::*;
use brink_engine::doc::ProbabilityPath;

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian; Hinnant's algorithm).
pub fn days(date: &str) -> Result<i64, PlotError> {
    let bad = || PlotError::Input(format!("`{date}` is not a date YYYY-MM-DD"));
    let mut it = date.splitn(3, '-');
    let (y, m, d) = (
        it.next()
            .and_then(|s| s.parse::<i64>().ok())
            .ok_or_else(bad)?,
        it.next()
            .and_then(|s| s.parse::<i64>().ok())
            .ok_or_else(bad)?,
        it.next()
            .and_then(|s| s.parse::<i64>().ok())
            .ok_or_else(bad)?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Ok(era * 146_097 + doe - 719_468)
}

/// The first days of the months from the month of `lo` to the month after `hi`, as
/// (days, "YYYY-MM").
fn month_ticks(lo: &str, hi: &str) -> Result<Vec<(i64, String)>, PlotError> {
    let ym = |s: &str| -> Result<(i64, i64), PlotError> {
        let d = days(s)?; // validates
        let _ = d;
        Ok((s[..4].parse().unwrap_or(0), s[5..7].parse().unwrap_or(1)))
    };
    let (mut y, mut m) = ym(lo)?;
    let (y1, m1) = ym(hi)?;
    let mut out = Vec::new();
    loop {
        let s = format!("{y:04}-{m:02}");
        out.push((days(&format!("{s}-01"))?, s));
        if (y, m) > (y1, m1) || out.len() > 240 {
            break;
        }
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    Ok(out)
}

/// The probability plot of one [`ProbabilityPath`].
pub fn probability_path_plot(title: &str, path: &ProbabilityPath) -> Result<String, PlotError> {
    ensure_font()?;
    let mut dates: Vec<(i64, &str)> = Vec::new();
    for s in &path.series {
        for p in &s.points {
            finite(p.p, &format!("{}'s probability on {}", s.label, p.date))?;
            if !(0.0..=1.0).contains(&p.p) {
                return Err(PlotError::Input(format!(
                    "{}'s probability on {} is {}, not in [0, 1]",
                    s.label, p.date, p.p
                )));
            }
            dates.push((days(&p.date)?, &p.date));
        }
    }
    if let Some(h) = &path.happened {
        dates.push((days(&h.date)?, &h.date));
    }
    if dates.is_empty() {
        return Err(PlotError::Input("no dated point to plot".into()));
    }
    dates.sort();
    let ticks = month_ticks(dates[0].1, dates[dates.len() - 1].1)?;
    let (lo, hi) = (ticks[0].0 as f64, ticks[ticks.len() - 1].0 as f64);
    let titles = title_lines(title);
    let head = 12.0 + 20.0 * titles.len() as f64 + 30.0;
    let (x0, x1) = (70.0, WIDTH as f64 - 40.0);
    let plot_h = 340.0;
    let (y_top, y_bot) = (head + 10.0, head + 10.0 + plot_h);
    let xm = XMap {
        min: lo,
        max: hi,
        x0,
        x1,
    };
    let ymap = |p: f64| y_bot - p * plot_h;
    let names: Vec<String> = path.series.iter().map(|s| s.label.clone()).collect();
    let legend_w = WIDTH as f64 - 32.0;
    let legend_h = legend_height(&names, legend_w);
    let height = y_bot + 50.0 + legend_h + 12.0;
    svg(height, |area| {
        draw_title(area, &titles)?;
        // Axes, the probability grid.
        for k in 0..=4 {
            let p = k as f64 / 4.0;
            let y = ymap(p);
            line(area, (x0, y), (x1, y), LIGHT, 1)?;
            text(
                area,
                &format!("{}%", k * 25),
                x0 - 8.0,
                y,
                &font(11.0).color(&GREY),
                Anchor::Right,
            )?;
        }
        line(area, (x0, y_top), (x0, y_bot), INK, 1)?;
        line(area, (x0, y_bot), (x1, y_bot), INK, 1)?;
        text(
            area,
            &format!("P({})", path.outcome),
            x0 - 40.0,
            y_top - 20.0,
            &font(12.0),
            Anchor::Left,
        )?;
        for (d, label) in &ticks {
            let x = xm.at(*d as f64);
            line(area, (x, y_bot), (x, y_bot + 5.0), INK, 1)?;
            text(area, label, x, y_bot + 15.0, &font(11.0), Anchor::Center)?;
        }
        text(
            area,
            "date the forecast was made",
            (x0 + x1) / 2.0,
            y_bot + 34.0,
            &font(12.0),
            Anchor::Center,
        )?;
        // The outcome.
        if let Some(h) = &path.happened {
            let x = xm.at(days(&h.date)? as f64);
            dashed(area, (x, y_top), (x, y_bot), INK, 2, 5.0)?;
            text(
                area,
                &format!("{} began {}", h.outcome, h.date),
                x - 6.0,
                y_top + 8.0,
                &bold(12.0),
                Anchor::Right,
            )?;
        }
        // The series.
        let mut keys = Vec::new();
        for (i, s) in path.series.iter().enumerate() {
            let c = model_color(i);
            let pts: Vec<(f64, f64)> = s
                .points
                .iter()
                .map(|p| Ok((xm.at(days(&p.date)? as f64), ymap(p.p))))
                .collect::<Result<_, PlotError>>()?;
            if pts.len() > 1 {
                let ip: Vec<(i32, i32)> = pts.iter().map(|&(a, b)| (px(a), px(b))).collect();
                area.draw(&PathElement::new(ip, c.stroke_width(2)))
                    .map_err(draw_err)?;
            }
            for ((x, y), p) in pts.iter().zip(&s.points) {
                marker(area, i, *x, *y, c, true)?;
                // Labels above their points, staggered by series so that close points stay legible.
                let dy = -(12.0 + 13.0 * (i % 3) as f64);
                text(
                    area,
                    &prob(p.p),
                    *x + 8.0,
                    (*y + dy).clamp(y_top, y_bot - 6.0),
                    &font(11.0).color(&c),
                    Anchor::Left,
                )?;
            }
            keys.push((Key::Marker(i, c), s.label.clone()));
        }
        legend(area, &keys, 16.0, y_bot + 56.0, legend_w)?;
        Ok(())
    })
}

/// A probability as text: three decimals below 0.01, two otherwise.
pub fn prob(p: f64) -> String {
    if p > 0.0 && p < 0.01 {
        format!("{p:.3}")
    } else {
        format!("{p:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_counts_from_the_epoch() {
        assert_eq!(days("1970-01-01").unwrap(), 0);
        assert_eq!(days("2000-03-01").unwrap(), 11_017);
        assert_eq!(
            days("2022-02-24").unwrap() - days("2021-12-28").unwrap(),
            58
        );
        assert!(days("2022-13-01").is_err());
        assert!(days("soon").is_err());
    }

    #[test]
    fn month_ticks_cover_the_dates() {
        let t = month_ticks("2021-12-12", "2022-02-24").unwrap();
        let names: Vec<&str> = t.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(names, ["2021-12", "2022-01", "2022-02", "2022-03"]);
    }
}
