//! Plots of a scenario and its forecasts, as SVG text (and PNG through [`svg_to_png`]).
//!
//! - [`issue_plot`]: the actors on an issue's labelled scale (one row per actor, marker area
//!   proportional to capability x salience) with each model's forecast and the status quo;
//! - [`rounds_plot`]: a dynamic model's positions round by round;
//! - [`distribution_plot`]: the Monte Carlo distribution of each model's forecast (box from the
//!   25th to the 75th percentile, whiskers from the 5th to the 95th, median and mean);
//! - [`tornado_plot`]: which inputs move a forecast, from the low to the high end of each
//!   input's range.
//!
//! Plots are drawn with `plotters`' SVG backend. Text is measured with the bundled DejaVu Sans
//! (`assets/fonts/`), so the layout does not depend on the fonts of the machine, and
//! [`svg_to_png`] rasterises with the same font, so PNGs come out the same on a machine with no
//! system font at all. Every plot is a pure function of its arguments: the same input gives the
//! same SVG text, byte for byte.
//!
//! Conventions shared by the plots: the issue's scale runs left to right, with a tick at each
//! labelled point and the label's words (wrapped, cut with an ellipsis when long) under it; the
//! actors are the only `<circle>` elements of an issue plot; models keep one colour and one
//! marker shape across plots.

use std::sync::OnceLock;

use brink_engine::doc::{Kind, Tornado};
use brink_scenario::{Issue, Scenario, Values};
use plotters::backend::SVGBackend;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use crate::table::num;
use crate::IssueReport;

pub mod path;
pub mod predictive;

/// The bundled font (DejaVu Sans), used to measure text and to rasterise.
pub const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// The family name the SVGs ask for; [`svg_to_png`] maps it to the bundled font.
const FAMILY: &str = "sans-serif";

/// What can go wrong while plotting.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    /// The input cannot be plotted (mismatched lengths, an empty or inverted scale, ...).
    #[error("cannot plot: {0}")]
    Input(String),
    /// The drawing backend failed.
    #[error("drawing failed: {0}")]
    Draw(String),
    /// The bundled font could not be read.
    #[error("the bundled font cannot be read")]
    Font,
    /// The SVG could not be rasterised.
    #[error("cannot render the SVG as PNG: {0}")]
    Png(String),
}

fn draw_err<E: std::fmt::Debug>(e: E) -> PlotError {
    PlotError::Draw(format!("{e:?}"))
}

fn ensure_font() -> Result<(), PlotError> {
    static OK: OnceLock<bool> = OnceLock::new();
    let ok = *OK.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok()
            && plotters::style::register_font(FAMILY, FontStyle::Bold, FONT).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(PlotError::Font)
    }
}

/// A labelled numeric scale: an axis from `min` to `max` with words at some points.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// Lower end.
    pub min: f64,
    /// Upper end (> min).
    pub max: f64,
    /// Labelled points (position, words), in any order.
    pub labels: Vec<(f64, String)>,
}

impl Scale {
    /// The scale of an issue, with its labelled points.
    pub fn of_issue(issue: &Issue) -> Scale {
        Scale {
            min: issue.min,
            max: issue.max,
            labels: issue
                .points
                .iter()
                .map(|p| (p.at, p.label.clone()))
                .collect(),
        }
    }

    fn check(&self) -> Result<(), PlotError> {
        if !(self.min.is_finite() && self.max.is_finite() && self.min < self.max) {
            return Err(PlotError::Input(format!(
                "the scale [{}, {}] is empty or not finite",
                self.min, self.max
            )));
        }
        Ok(())
    }

    fn sorted_labels(&self) -> Vec<(f64, String)> {
        let mut l: Vec<(f64, String)> = self
            .labels
            .iter()
            .filter(|(at, _)| at.is_finite() && *at >= self.min && *at <= self.max)
            .cloned()
            .collect();
        l.sort_by(|a, b| a.0.total_cmp(&b.0));
        l
    }
}

/// One actor on an issue plot.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorMark {
    /// The actor's name.
    pub name: String,
    /// Its position on the scale.
    pub position: f64,
    /// Its weight, capability x salience (the marker's area is proportional to it).
    pub weight: f64,
}

/// One model's forecast on an issue plot.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastMark {
    /// The model's name.
    pub model: String,
    /// The forecast (for no agreement: the status quo); `None` when the model does not cover it.
    pub value: Option<f64>,
    /// True when the model forecasts no agreement (the status quo stays).
    pub no_agreement: bool,
}

impl ForecastMark {
    /// The forecasts of one issue of a [`crate::Forecast`].
    pub fn of_report(is: &IssueReport) -> Vec<ForecastMark> {
        is.forecasts
            .iter()
            .map(|f| ForecastMark {
                model: f.model.clone(),
                value: if f.kind == Kind::NotCovered {
                    None
                } else {
                    f.value
                },
                no_agreement: f.kind == Kind::NoAgreement,
            })
            .collect()
    }
}

/// One model's Monte Carlo distribution on a distribution plot.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxStats {
    /// The model's name.
    pub model: String,
    /// 5th percentile.
    pub p05: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Mean.
    pub mean: f64,
    /// The deterministic forecast on the point estimates, if known.
    pub point: Option<f64>,
    /// A note printed after the row (e.g. how often there was no agreement).
    pub note: String,
}

// ---------------------------------------------------------------------------------------------
// Styling
// ---------------------------------------------------------------------------------------------

const WIDTH: u32 = 960;
const INK: RGBColor = RGBColor(33, 37, 41);
const GREY: RGBColor = RGBColor(120, 124, 130);
const LIGHT: RGBColor = RGBColor(225, 228, 232);
const ACTOR: RGBColor = RGBColor(76, 114, 176);

/// Colour-blind-safe colours (Okabe and Ito), one per model in order, then cycled.
const PALETTE: [RGBColor; 8] = [
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(0, 114, 178),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(160, 140, 20),
];

/// Twelve distinguishable colours for the actors' lines of a rounds plot (Okabe and Ito's
/// eight, then four of Tol's), cycled beyond twelve.
const LINES: [RGBColor; 12] = [
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(0, 114, 178),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(160, 140, 20),
    RGBColor(136, 34, 85),
    RGBColor(68, 170, 153),
    RGBColor(51, 34, 136),
    RGBColor(153, 153, 153),
];

fn model_color(k: usize) -> RGBColor {
    PALETTE[k % PALETTE.len()]
}

/// plotters writes `font-size` as the size given / 1.24: this makes `size` the pixel size.
const PX: f64 = 1.24;

fn font(size: f64) -> TextStyle<'static> {
    TextStyle::from((FAMILY, size * PX).into_font()).color(&INK)
}

fn bold(size: f64) -> TextStyle<'static> {
    TextStyle::from((FAMILY, size * PX, FontStyle::Bold).into_font()).color(&INK)
}

fn text_width(s: &str, style: &TextStyle) -> f64 {
    style
        .font
        .box_size(s)
        .map(|(w, _)| w as f64)
        .unwrap_or(s.chars().count() as f64 * style.font.get_size() * 0.62)
}

/// Wraps `text` into at most `max_lines` lines no wider than `max_px`; the last line is cut with
/// an ellipsis when the text does not fit.
pub fn wrap(text: &str, max_px: f64, max_lines: usize, style: &TextStyle) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let cand = if cur.is_empty() {
            w.to_string()
        } else {
            format!("{cur} {w}")
        };
        if text_width(&cand, style) <= max_px || cur.is_empty() && lines.len() + 1 == max_lines {
            cur = cand;
            i += 1;
        } else if cur.is_empty() {
            // One word longer than a line: it takes the line alone (cut below if needed).
            lines.push(w.to_string());
            i += 1;
        } else {
            lines.push(std::mem::take(&mut cur));
        }
        if lines.len() == max_lines {
            break;
        }
    }
    if !cur.is_empty() && lines.len() < max_lines {
        lines.push(cur);
    }
    let cut = i < words.len();
    if let Some(last) = lines.last_mut() {
        if cut || text_width(last, style) > max_px {
            let mut s: Vec<char> = last.chars().collect();
            loop {
                let t: String = s.iter().collect::<String>().trim_end().to_string() + "…";
                if text_width(&t, style) <= max_px || s.len() <= 1 {
                    *last = t;
                    break;
                }
                s.pop();
            }
        }
    }
    lines
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

fn px(v: f64) -> i32 {
    v.round() as i32
}

fn line(
    area: &Area,
    a: (f64, f64),
    b: (f64, f64),
    color: RGBColor,
    w: u32,
) -> Result<(), PlotError> {
    area.draw(&PathElement::new(
        vec![(px(a.0), px(a.1)), (px(b.0), px(b.1))],
        color.stroke_width(w),
    ))
    .map_err(draw_err)
}

fn dashed(
    area: &Area,
    a: (f64, f64),
    b: (f64, f64),
    color: RGBColor,
    w: u32,
    dash: f64,
) -> Result<(), PlotError> {
    let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
    if len <= 0.0 {
        return Ok(());
    }
    let mut t = 0.0;
    while t < len {
        let t1 = (t + dash).min(len);
        let p = |s: f64| (a.0 + (b.0 - a.0) * s / len, a.1 + (b.1 - a.1) * s / len);
        line(area, p(t), p(t1), color, w)?;
        t += 2.0 * dash;
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Anchor {
    Left,
    Center,
    Right,
}

fn text(
    area: &Area,
    s: &str,
    x: f64,
    y: f64,
    style: &TextStyle,
    anchor: Anchor,
) -> Result<(), PlotError> {
    let h = match anchor {
        Anchor::Left => HPos::Left,
        Anchor::Center => HPos::Center,
        Anchor::Right => HPos::Right,
    };
    let st = style.pos(Pos::new(h, VPos::Center));
    area.draw(&Text::new(s.to_string(), (px(x), px(y)), st))
        .map_err(draw_err)
}

/// Marker shapes for models: none of them is a circle (circles are actors).
fn marker(
    area: &Area,
    k: usize,
    x: f64,
    y: f64,
    color: RGBColor,
    filled: bool,
) -> Result<(), PlotError> {
    let s = 6.0;
    let style = if filled {
        color.filled()
    } else {
        color.stroke_width(2)
    };
    let pts: Vec<(f64, f64)> = match k % 5 {
        0 => vec![(x - s, y - s), (x + s, y - s), (x, y + s)], // triangle down
        1 => vec![(x, y - s), (x + s, y), (x, y + s), (x - s, y)], // diamond
        2 => vec![
            (x - s, y - s),
            (x + s, y - s),
            (x + s, y + s),
            (x - s, y + s),
        ], // square
        3 => vec![(x - s, y + s), (x + s, y + s), (x, y - s)], // triangle up
        _ => {
            // a hexagon
            (0..6)
                .map(|i| {
                    let a = std::f64::consts::PI / 3.0 * i as f64;
                    (x + s * a.cos(), y + s * a.sin())
                })
                .collect()
        }
    };
    let ipts: Vec<(i32, i32)> = pts.iter().map(|&(a, b)| (px(a), px(b))).collect();
    if filled {
        area.draw(&Polygon::new(ipts, style)).map_err(draw_err)
    } else {
        let mut closed = ipts.clone();
        closed.push(ipts[0]);
        area.draw(&PathElement::new(closed, style))
            .map_err(draw_err)
    }
}

/// Maps a value on [min, max] to pixels [x0, x1].
#[derive(Clone, Copy)]
struct XMap {
    min: f64,
    max: f64,
    x0: f64,
    x1: f64,
}

impl XMap {
    fn at(&self, v: f64) -> f64 {
        self.x0
            + (v.clamp(self.min, self.max) - self.min) / (self.max - self.min) * (self.x1 - self.x0)
    }
}

/// Lays out the labelled points under an axis: per point, its x, its wrapped lines and its
/// vertical tier (labels too close to their neighbours alternate between two tiers).
fn label_layout(scale: &Scale, m: &XMap, style: &TextStyle) -> Vec<(f64, f64, Vec<String>, usize)> {
    let pts = scale.sorted_labels();
    let xs: Vec<f64> = pts.iter().map(|(at, _)| m.at(*at)).collect();
    let n = pts.len();
    let gap = |i: usize| -> f64 {
        let l = if i > 0 {
            xs[i] - xs[i - 1]
        } else {
            f64::INFINITY
        };
        let r = if i + 1 < n {
            xs[i + 1] - xs[i]
        } else {
            f64::INFINITY
        };
        l.min(r)
    };
    let tight = (0..n).any(|i| gap(i) < 90.0);
    pts.iter()
        .enumerate()
        .map(|(i, (at, label))| {
            let room = if tight {
                // Two tiers: a label only has to clear the next-but-one point on its tier.
                let l = if i > 1 {
                    xs[i] - xs[i - 2]
                } else {
                    f64::INFINITY
                };
                let r = if i + 2 < n {
                    xs[i + 2] - xs[i]
                } else {
                    f64::INFINITY
                };
                l.min(r)
            } else {
                gap(i)
            };
            let w = (room - 10.0).clamp(70.0, 170.0);
            (
                *at,
                xs[i],
                wrap(label, w, if w < 110.0 { 4 } else { 3 }, style),
                if tight { i % 2 } else { 0 },
            )
        })
        .collect()
}

const LABEL_LINE: f64 = 13.0;

/// Draws the labelled scale as an x axis at `y`, with faint guides from `top`; returns the
/// height used below `y`.
fn draw_scale_axis(
    area: &Area,
    scale: &Scale,
    m: &XMap,
    y: f64,
    top: f64,
) -> Result<f64, PlotError> {
    let lf = font(11.0);
    let nf = font(10.0).color(&GREY);
    line(area, (m.x0, y), (m.x1, y), INK, 1)?;
    let layout = label_layout(scale, m, &lf);
    let mut bottom: f64 = 0.0;
    for (at, x, lines, tier) in &layout {
        line(area, (*x, top), (*x, y), LIGHT, 1)?;
        line(area, (*x, y), (*x, y + 5.0), INK, 1)?;
        text(area, &num(*at), *x, y + 12.0, &nf, Anchor::Center)?;
        if lines.len() == 1 && lines[0] == num(*at) {
            // The label is the number itself: once is enough.
            continue;
        }
        let y0 = y + 27.0 + *tier as f64 * (4.0 * LABEL_LINE + 6.0);
        for (j, l) in lines.iter().enumerate() {
            text(area, l, *x, y0 + j as f64 * LABEL_LINE, &lf, Anchor::Center)?;
        }
        bottom = bottom.max(y0 - y + lines.len() as f64 * LABEL_LINE);
    }
    Ok(bottom + 6.0)
}

/// The height the labelled axis takes below its line.
fn axis_extent(scale: &Scale, m: &XMap) -> f64 {
    let layout = label_layout(scale, m, &font(11.0));
    let words = layout
        .iter()
        .filter(|(at, _, lines, _)| !(lines.len() == 1 && lines[0] == num(*at)))
        .map(|(_, _, lines, tier)| {
            27.0 + *tier as f64 * (4.0 * LABEL_LINE + 6.0) + lines.len() as f64 * LABEL_LINE
        })
        .fold(20.0, f64::max);
    words + 10.0
}

/// A legend item: a drawing function's kind and the words.
enum Key {
    Circle,
    Marker(usize, RGBColor),
    Line(RGBColor, bool),
    Box(RGBColor),
    Bar(RGBColor),
}

/// Draws a legend flowing left to right from (x, y) within `width`; returns the height used.
fn legend(
    area: &Area,
    items: &[(Key, String)],
    x: f64,
    y: f64,
    width: f64,
) -> Result<f64, PlotError> {
    let f = font(12.0);
    let mut cx = x;
    let mut cy = y;
    for (k, s) in items {
        let w = 24.0 + text_width(s, &f) + 18.0;
        if cx + w > x + width && cx > x {
            cx = x;
            cy += 20.0;
        }
        let (mx, my) = (cx + 8.0, cy);
        match k {
            Key::Circle => {
                area.draw(&Circle::new((px(mx), px(my)), 6, ACTOR.mix(0.55).filled()))
                    .map_err(draw_err)?;
            }
            Key::Marker(i, c) => marker(area, *i, mx, my, *c, true)?,
            Key::Line(c, dash) => {
                if *dash {
                    dashed(area, (cx - 2.0, my), (cx + 18.0, my), *c, 2, 4.0)?
                } else {
                    line(area, (cx - 2.0, my), (cx + 18.0, my), *c, 2)?
                }
            }
            Key::Box(c) => {
                area.draw(&Rectangle::new(
                    [(px(cx), px(my - 6.0)), (px(cx + 16.0), px(my + 6.0))],
                    c.mix(0.35).filled(),
                ))
                .map_err(draw_err)?;
                area.draw(&Rectangle::new(
                    [(px(cx), px(my - 6.0)), (px(cx + 16.0), px(my + 6.0))],
                    c.stroke_width(1),
                ))
                .map_err(draw_err)?;
            }
            Key::Bar(c) => {
                area.draw(&Rectangle::new(
                    [(px(cx), px(my - 5.0)), (px(cx + 16.0), px(my + 5.0))],
                    c.filled(),
                ))
                .map_err(draw_err)?;
            }
        }
        text(area, s, cx + 24.0, my, &f, Anchor::Left)?;
        cx += w;
    }
    Ok(cy - y + 20.0)
}

/// Counts the legend's height without drawing (same flow as [`legend`]).
fn legend_height(items: &[String], width: f64) -> f64 {
    let f = font(12.0);
    let mut cx = 0.0;
    let mut rows = 1.0;
    for s in items {
        let w = 24.0 + text_width(s, &f) + 18.0;
        if cx + w > width && cx > 0.0 {
            cx = 0.0;
            rows += 1.0;
        }
        cx += w;
    }
    rows * 20.0
}

fn title_lines(title: &str) -> Vec<String> {
    wrap(title, WIDTH as f64 - 32.0, 2, &bold(16.0))
}

fn draw_title(area: &Area, lines: &[String]) -> Result<f64, PlotError> {
    let f = bold(16.0);
    for (i, l) in lines.iter().enumerate() {
        text(area, l, 16.0, 20.0 + 20.0 * i as f64, &f, Anchor::Left)?;
    }
    Ok(12.0 + 20.0 * lines.len() as f64)
}

/// Renders a drawing closure into SVG text of the given height.
fn svg<F>(height: f64, draw: F) -> Result<String, PlotError>
where
    F: FnOnce(&Area) -> Result<(), PlotError>,
{
    ensure_font()?;
    let mut out = String::new();
    {
        let backend = SVGBackend::with_string(&mut out, (WIDTH, height.ceil().max(60.0) as u32));
        let area = backend.into_drawing_area();
        area.fill(&WHITE).map_err(draw_err)?;
        draw(&area)?;
        area.present().map_err(draw_err)?;
    }
    Ok(out)
}

fn finite(v: f64, what: &str) -> Result<f64, PlotError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(PlotError::Input(format!("{what} is not a finite number")))
    }
}

// ---------------------------------------------------------------------------------------------
// The plots
// ---------------------------------------------------------------------------------------------

/// The actors of an issue on its labelled scale, one row per actor (sorted by position), marker
/// area proportional to capability x salience, with each model's forecast (a coloured vertical
/// line and marker, named in the legend with its value) and the status quo (dashed grey).
pub fn issue_plot(
    title: &str,
    scale: &Scale,
    actors: &[ActorMark],
    forecasts: &[ForecastMark],
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
    let name_font = font(12.0);
    let names: Vec<Vec<String>> = order
        .iter()
        .map(|&i| wrap(&actors[i].name, 230.0, 2, &name_font))
        .collect();
    let name_w = names
        .iter()
        .flatten()
        .map(|l| text_width(l, &name_font))
        .fold(60.0, f64::max)
        .min(230.0);
    let m = XMap {
        min: scale.min,
        max: scale.max,
        x0: 16.0 + name_w + 34.0,
        x1: WIDTH as f64 - 90.0,
    };
    // Legend.
    let mut items: Vec<(Key, String)> = vec![(
        Key::Circle,
        "actor's position (area: capability × salience)".to_string(),
    )];
    if let Some(q) = status_quo {
        items.push((Key::Line(GREY, true), format!("status quo {}", num(q))));
    }
    for (k, f) in forecasts.iter().enumerate() {
        let s = match f.value {
            None => format!("{}: not covered", f.model),
            Some(v) if f.no_agreement => format!("{}: no agreement, stays at {}", f.model, num(v)),
            Some(v) => format!("{} {}", f.model, num(v)),
        };
        items.push((Key::Marker(k, model_color(k)), s));
    }
    let titles = title_lines(title);
    let lw = WIDTH as f64 - 32.0;
    let legend_h = legend_height(&items.iter().map(|i| i.1.clone()).collect::<Vec<_>>(), lw);
    let head = 12.0 + 20.0 * titles.len() as f64 + 8.0 + legend_h;
    let marks_h = 10.0 + 10.0 * forecasts.iter().filter(|f| f.value.is_some()).count() as f64;
    let row_h = 30.0;
    let rows_top = head + marks_h;
    let rows_bottom = rows_top + row_h * actors.len().max(1) as f64;
    let axis_y = rows_bottom + 6.0;
    let height = axis_y + axis_extent(scale, &m) + 8.0;
    let wmax = actors.iter().map(|a| a.weight).fold(0.0, f64::max);
    svg(height, |area| {
        let y = draw_title(area, &titles)?;
        legend(area, &items, 16.0, y + 10.0, lw)?;
        draw_scale_axis(area, scale, &m, axis_y, rows_top - 4.0)?;
        // Rows.
        for (r, nl) in names.iter().enumerate() {
            let cy = rows_top + row_h * (r as f64 + 0.5);
            line(area, (m.x0, cy), (m.x1, cy), LIGHT, 1)?;
            for (j, l) in nl.iter().enumerate() {
                let ly = cy + (j as f64 - (nl.len() as f64 - 1.0) / 2.0) * 13.0;
                text(area, l, m.x0 - 18.0, ly, &name_font, Anchor::Right)?;
            }
        }
        // Status quo and forecasts under the actors' markers.
        if let Some(q) = status_quo {
            let x = m.at(q);
            dashed(area, (x, rows_top - 6.0), (x, axis_y), GREY, 2, 5.0)?;
        }
        let mut k_drawn = 0usize;
        for (k, f) in forecasts.iter().enumerate() {
            if let Some(v) = f.value {
                let x = m.at(v);
                let c = model_color(k);
                line(area, (x, rows_top - 2.0), (x, axis_y), c, 2)?;
                let my = head + 6.0 + 10.0 * k_drawn as f64;
                line(area, (x, my), (x, rows_top - 2.0), c, 1)?;
                marker(area, k, x, my, c, true)?;
                k_drawn += 1;
            }
        }
        for (r, &i) in order.iter().enumerate() {
            let a = &actors[i];
            let cy = rows_top + row_h * (r as f64 + 0.5);
            // Area proportional to the weight (radii are whole pixels, at least 3).
            let rad = if wmax > 0.0 {
                (13.0 * (a.weight / wmax).sqrt()).max(3.0)
            } else {
                4.0
            };
            let x = m.at(a.position);
            area.draw(&Circle::new(
                (px(x), px(cy)),
                px(rad).max(2) as u32,
                ShapeStyle {
                    color: ACTOR.mix(0.6),
                    filled: true,
                    stroke_width: 1,
                },
            ))
            .map_err(draw_err)?;
        }
        Ok(())
    })
}

/// [`issue_plot`] of issue `k` of a scenario with the given values (point estimates for a
/// deterministic run) and the document's forecasts of that issue.
pub fn issue_plot_of(
    sc: &Scenario,
    values: &Values,
    k: usize,
    report: &IssueReport,
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
    issue_plot(
        &issue.name,
        &Scale::of_issue(issue),
        &actors,
        &ForecastMark::of_report(report),
        report.status_quo,
    )
}

/// A dynamic model's positions round by round: x = the round (0 = the actors' own positions),
/// y = the labelled scale; one line per actor, named in the legend on the right.
///
/// `rounds[t][i]` is actor i's position after round t; every round must give one position per
/// name.
pub fn rounds_plot(
    title: &str,
    actor_names: &[String],
    rounds: &[Vec<f64>],
    scale: &Scale,
) -> Result<String, PlotError> {
    series_plot(
        title,
        actor_names,
        rounds,
        scale,
        "round (0 = the actors' own positions)",
        None,
    )
}

/// Lines over a sequence of steps on the labelled scale: the general form of [`rounds_plot`],
/// with its own x-axis caption and, optionally, a label per step (e.g. the dates of a timeline).
pub fn series_plot(
    title: &str,
    actor_names: &[String],
    rounds: &[Vec<f64>],
    scale: &Scale,
    x_caption: &str,
    x_ticks: Option<&[String]>,
) -> Result<String, PlotError> {
    ensure_font()?;
    scale.check()?;
    if rounds.is_empty() {
        return Err(PlotError::Input("no rounds to plot".into()));
    }
    for (t, r) in rounds.iter().enumerate() {
        if r.len() != actor_names.len() {
            return Err(PlotError::Input(format!(
                "round {t} gives {} positions for {} actors",
                r.len(),
                actor_names.len()
            )));
        }
        for v in r {
            finite(*v, &format!("a position in round {t}"))?;
        }
    }
    let lf = font(11.0);
    let nf = font(12.0);
    let titles = title_lines(title);
    let head = 12.0 + 20.0 * titles.len() as f64 + 16.0;
    let label_w = 190.0;
    let legend_w = 220.0;
    let x0 = 16.0 + label_w + 40.0;
    let x1 = WIDTH as f64 - legend_w - 30.0;
    let plot_h = 380.0;
    let (y_top, y_bot) = (head + 10.0, head + 10.0 + plot_h);
    let ymap = |v: f64| {
        y_bot - (v.clamp(scale.min, scale.max) - scale.min) / (scale.max - scale.min) * plot_h
    };
    let n = rounds.len();
    let xat = |t: usize| {
        if n == 1 {
            (x0 + x1) / 2.0
        } else {
            x0 + (x1 - x0) * t as f64 / (n - 1) as f64
        }
    };
    let legend_names: Vec<Vec<String>> = actor_names
        .iter()
        .map(|a| wrap(a, legend_w - 30.0, 2, &nf))
        .collect();
    let legend_total: f64 = legend_names
        .iter()
        .map(|l| 14.0 * l.len() as f64 + 6.0)
        .sum();
    let height = (y_bot + 60.0).max(y_top + legend_total + 20.0);
    svg(height, |area| {
        draw_title(area, &titles)?;
        // y axis with the labelled points.
        line(area, (x0, y_top), (x0, y_bot), INK, 1)?;
        line(area, (x0, y_bot), (x1, y_bot), INK, 1)?;
        let pts = scale.sorted_labels();
        let mut last_y = f64::INFINITY;
        for (at, label) in &pts {
            let y = ymap(*at);
            line(area, (x0, y), (x1, y), LIGHT, 1)?;
            line(area, (x0 - 5.0, y), (x0, y), INK, 1)?;
            text(
                area,
                &num(*at),
                x0 - 8.0,
                y,
                &font(10.0).color(&GREY),
                Anchor::Right,
            )?;
            // Up to two lines of words, if they clear the previous label.
            let room = ((last_y - y) / LABEL_LINE).floor().clamp(1.0, 2.0) as usize;
            let lines = if label.trim() == num(*at) {
                Vec::new()
            } else {
                wrap(label, label_w, room, &lf)
            };
            for (j, l) in lines.iter().enumerate() {
                let ly = y + (j as f64 - (lines.len() as f64 - 1.0) / 2.0) * LABEL_LINE;
                text(area, l, x0 - 32.0, ly, &lf, Anchor::Right)?;
            }
            last_y = y;
        }
        // x axis: rounds.
        let step = (n / 12).max(1);
        for t in (0..n).step_by(step) {
            let x = xat(t);
            line(area, (x, y_bot), (x, y_bot + 5.0), INK, 1)?;
            let tick = x_ticks
                .and_then(|v| v.get(t).cloned())
                .unwrap_or_else(|| t.to_string());
            text(area, &tick, x, y_bot + 14.0, &font(11.0), Anchor::Center)?;
        }
        text(
            area,
            x_caption,
            (x0 + x1) / 2.0,
            y_bot + 34.0,
            &font(12.0),
            Anchor::Center,
        )?;
        // Lines.
        for (i, _) in actor_names.iter().enumerate() {
            let c = LINES[i % LINES.len()];
            let pts: Vec<(i32, i32)> = (0..n)
                .map(|t| (px(xat(t)), px(ymap(rounds[t][i]))))
                .collect();
            area.draw(&PathElement::new(pts.clone(), c.stroke_width(2)))
                .map_err(draw_err)?;
            for p in &pts {
                area.draw(&Rectangle::new(
                    [(p.0 - 2, p.1 - 2), (p.0 + 2, p.1 + 2)],
                    c.filled(),
                ))
                .map_err(draw_err)?;
            }
        }
        // Legend on the right.
        let lx = x1 + 24.0;
        let mut ly = y_top + 6.0;
        for (i, nl) in legend_names.iter().enumerate() {
            let c = LINES[i % LINES.len()];
            line(area, (lx, ly), (lx + 18.0, ly), c, 3)?;
            for (j, l) in nl.iter().enumerate() {
                text(area, l, lx + 26.0, ly + 14.0 * j as f64, &nf, Anchor::Left)?;
            }
            ly += 14.0 * nl.len() as f64 + 6.0;
        }
        Ok(())
    })
}

/// The Monte Carlo distribution of each model's forecast on the labelled scale: box from the
/// 25th to the 75th percentile, whiskers from the 5th to the 95th, a bar at the median, a white
/// diamond at the mean and the model's marker at its deterministic forecast.
pub fn distribution_plot(
    title: &str,
    scale: &Scale,
    boxes: &[BoxStats],
) -> Result<String, PlotError> {
    ensure_font()?;
    scale.check()?;
    for b in boxes {
        for (v, w) in [
            (b.p05, "5th percentile"),
            (b.p25, "25th percentile"),
            (b.p50, "median"),
            (b.p75, "75th percentile"),
            (b.p95, "95th percentile"),
            (b.mean, "mean"),
        ] {
            finite(v, &format!("{}'s {w}", b.model))?;
        }
        // Percentiles read from a histogram may differ by rounding: allow a hair of the scale.
        let eps = 1e-9 * (scale.max - scale.min);
        let ordered = [b.p05, b.p25, b.p50, b.p75, b.p95]
            .windows(2)
            .all(|w| w[0] <= w[1] + eps);
        if !ordered {
            return Err(PlotError::Input(format!(
                "{}'s percentiles are not in order",
                b.model
            )));
        }
    }
    let nf = font(12.0);
    let name_w = boxes
        .iter()
        .map(|b| text_width(&b.model, &nf))
        .fold(60.0, f64::max)
        .min(200.0);
    let m = XMap {
        min: scale.min,
        max: scale.max,
        x0: 16.0 + name_w + 24.0,
        x1: WIDTH as f64 - 190.0,
    };
    let items: Vec<(Key, String)> = vec![
        (Key::Box(GREY), "middle 50% of draws".into()),
        (
            Key::Line(GREY, false),
            "whiskers: 90% (5th–95th percentile)".into(),
        ),
        (Key::Line(INK, false), "median".into()),
        (Key::Marker(1, INK), "mean".into()),
        (
            Key::Marker(0, GREY),
            "forecast on the point estimates".into(),
        ),
    ];
    let titles = title_lines(title);
    let lw = WIDTH as f64 - 32.0;
    let head = 12.0
        + 20.0 * titles.len() as f64
        + 8.0
        + legend_height(&items.iter().map(|i| i.1.clone()).collect::<Vec<_>>(), lw);
    let row_h = 40.0;
    let rows_top = head + 10.0;
    let axis_y = rows_top + row_h * boxes.len().max(1) as f64 + 4.0;
    let height = axis_y + axis_extent(scale, &m) + 8.0;
    svg(height, |area| {
        let y = draw_title(area, &titles)?;
        legend(area, &items, 16.0, y + 10.0, lw)?;
        draw_scale_axis(area, scale, &m, axis_y, rows_top)?;
        for (r, b) in boxes.iter().enumerate() {
            let c = model_color(r);
            let cy = rows_top + row_h * (r as f64 + 0.5);
            text(area, &b.model, m.x0 - 12.0, cy, &nf, Anchor::Right)?;
            let (a05, a25, a50, a75, a95) = (
                m.at(b.p05),
                m.at(b.p25),
                m.at(b.p50),
                m.at(b.p75),
                m.at(b.p95),
            );
            line(area, (a05, cy), (a25, cy), c, 2)?;
            line(area, (a75, cy), (a95, cy), c, 2)?;
            line(area, (a05, cy - 6.0), (a05, cy + 6.0), c, 2)?;
            line(area, (a95, cy - 6.0), (a95, cy + 6.0), c, 2)?;
            area.draw(&Rectangle::new(
                [
                    (px(a25), px(cy - 10.0)),
                    (px(a75.max(a25 + 1.0)), px(cy + 10.0)),
                ],
                c.mix(0.3).filled(),
            ))
            .map_err(draw_err)?;
            area.draw(&Rectangle::new(
                [
                    (px(a25), px(cy - 10.0)),
                    (px(a75.max(a25 + 1.0)), px(cy + 10.0)),
                ],
                c.stroke_width(1),
            ))
            .map_err(draw_err)?;
            line(area, (a50, cy - 12.0), (a50, cy + 12.0), INK, 3)?;
            let mx = m.at(b.mean);
            marker(area, 1, mx, cy, WHITE, true)?;
            marker(area, 1, mx, cy, INK, false)?;
            if let Some(p) = b.point.filter(|p| p.is_finite()) {
                marker(area, r, m.at(p), cy - 17.0, c, true)?;
            }
            let mut note = format!("90%: {} to {}", num(b.p05), num(b.p95));
            if !b.note.is_empty() {
                note = format!("{note}; {}", b.note);
            }
            let lines = wrap(&note, 170.0, 2, &font(11.0));
            for (j, l) in lines.iter().enumerate() {
                let ly = cy + (j as f64 - (lines.len() as f64 - 1.0) / 2.0) * 13.0;
                text(area, l, m.x1 + 14.0, ly, &font(11.0), Anchor::Left)?;
            }
        }
        Ok(())
    })
}

/// [`distribution_plot`] of one issue's forecasts over the Monte Carlo draws, with each
/// model's forecast on the point estimates. Models not covered in any draw (or without draws)
/// are left out.
pub fn distribution_plot_of(issue: &Issue, report: &IssueReport) -> Result<String, PlotError> {
    let boxes: Vec<BoxStats> = report
        .forecasts
        .iter()
        .filter_map(|m| {
            let d = m.distribution.as_ref()?;
            let s = d.summary.as_ref()?;
            let n = d.n + d.not_covered;
            let mut note = Vec::new();
            if d.no_agreement > 0 && n > 0 {
                note.push(format!(
                    "no agreement in {:.0}%",
                    100.0 * d.no_agreement as f64 / n as f64
                ));
            }
            if d.not_covered > 0 {
                note.push(format!("not covered in {} draws", d.not_covered));
            }
            let point = (m.kind != Kind::NotCovered).then_some(m.value).flatten();
            Some(BoxStats {
                model: m.model.clone(),
                p05: s.quantile(0.05),
                p25: s.quantile(0.25),
                p50: s.quantile(0.5),
                p75: s.quantile(0.75),
                p95: s.quantile(0.95),
                mean: s.mean,
                point,
                note: note.join("; "),
            })
        })
        .collect();
    distribution_plot(
        &format!("{}: forecast distributions", issue.name),
        &Scale::of_issue(issue),
        &boxes,
    )
}

/// "Nice" tick positions covering [lo, hi], about `n` of them.
fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let span = (hi - lo).max(1e-9);
    let raw = span / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|s| s * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let mut t = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while t <= hi + 1e-9 * span {
        out.push(if t.abs() < 1e-12 { 0.0 } else { t });
        t += step;
    }
    out
}

/// The tornado of one model on one issue: for the `top` inputs that move the forecast most, a
/// bar from the forecast on the point estimates (the vertical line) to the forecast with the
/// input at the low end of its range (blue, upper half of the row) and at the high end (orange,
/// lower half). Inputs are named in words.
pub fn tornado_plot(title: &str, t: &Tornado, top: usize) -> Result<String, PlotError> {
    ensure_font()?;
    finite(t.base, "the forecast on the point estimates")?;
    let swings: Vec<_> = t.swings.iter().take(top).collect();
    let nf = font(12.0);
    let names: Vec<Vec<String>> = swings
        .iter()
        .map(|s| wrap(&s.name, 300.0, 2, &nf))
        .collect();
    let name_w = names
        .iter()
        .flatten()
        .map(|l| text_width(l, &nf))
        .fold(60.0, f64::max)
        .min(300.0);
    let mut lo = t.base;
    let mut hi = t.base;
    for s in &swings {
        for v in [s.at_low, s.at_high] {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    if hi - lo < 1e-9 {
        lo -= 1.0;
        hi += 1.0;
    }
    let pad = 0.08 * (hi - lo);
    let tk = ticks(lo - pad, hi + pad, 6);
    let (lo, hi) = (
        tk.first().copied().unwrap_or(lo).min(lo - pad),
        tk.last().copied().unwrap_or(hi).max(hi + pad),
    );
    let m = XMap {
        min: lo,
        max: hi,
        x0: 16.0 + name_w + 24.0,
        x1: WIDTH as f64 - 40.0,
    };
    let low_c = RGBColor(0, 114, 178);
    let high_c = RGBColor(230, 159, 0);
    let items: Vec<(Key, String)> = vec![
        (Key::Bar(low_c), "input at the low end of its range".into()),
        (Key::Bar(high_c), "input at the high end".into()),
        (
            Key::Line(INK, false),
            format!("forecast on the point estimates: {}", num(t.base)),
        ),
    ];
    let titles = title_lines(title);
    let lw = WIDTH as f64 - 32.0;
    let head = 12.0
        + 20.0 * titles.len() as f64
        + 8.0
        + legend_height(&items.iter().map(|i| i.1.clone()).collect::<Vec<_>>(), lw);
    let row_h = 38.0;
    let rows_top = head + 12.0;
    let axis_y = rows_top + row_h * swings.len().max(1) as f64 + 4.0;
    let height = axis_y + 56.0;
    svg(height, |area| {
        let y = draw_title(area, &titles)?;
        legend(area, &items, 16.0, y + 10.0, lw)?;
        line(area, (m.x0, axis_y), (m.x1, axis_y), INK, 1)?;
        for v in &tk {
            let x = m.at(*v);
            line(area, (x, rows_top), (x, axis_y), LIGHT, 1)?;
            line(area, (x, axis_y), (x, axis_y + 5.0), INK, 1)?;
            text(
                area,
                &num(*v),
                x,
                axis_y + 14.0,
                &font(11.0),
                Anchor::Center,
            )?;
        }
        text(
            area,
            &format!("forecast of the {} model on the issue's scale", t.model),
            (m.x0 + m.x1) / 2.0,
            axis_y + 36.0,
            &font(12.0),
            Anchor::Center,
        )?;
        if swings.is_empty() {
            text(
                area,
                "no uncertain input moves this forecast",
                (m.x0 + m.x1) / 2.0,
                rows_top + row_h / 2.0,
                &font(12.0).color(&GREY),
                Anchor::Center,
            )?;
        }
        let bx = m.at(t.base);
        for (r, s) in swings.iter().enumerate() {
            let cy = rows_top + row_h * (r as f64 + 0.5);
            for (j, l) in names[r].iter().enumerate() {
                let ly = cy + (j as f64 - (names[r].len() as f64 - 1.0) / 2.0) * 13.0;
                text(area, l, m.x0 - 12.0, ly, &nf, Anchor::Right)?;
            }
            for (v, c, y0, y1) in [
                (s.at_low, low_c, cy - 13.0, cy - 1.0),
                (s.at_high, high_c, cy + 1.0, cy + 13.0),
            ] {
                if !v.is_finite() {
                    text(
                        area,
                        "not covered",
                        bx + 6.0,
                        (y0 + y1) / 2.0,
                        &font(10.0).color(&GREY),
                        Anchor::Left,
                    )?;
                    continue;
                }
                let x = m.at(v);
                let (a, b) = if x < bx { (x, bx) } else { (bx, x) };
                area.draw(&Rectangle::new(
                    [(px(a), px(y0)), (px(b.max(a + 1.0)), px(y1))],
                    c.filled(),
                ))
                .map_err(draw_err)?;
                let (tx, anchor) = if x < bx {
                    (x - 4.0, Anchor::Right)
                } else {
                    (x + 4.0, Anchor::Left)
                };
                text(area, &num(v), tx, (y0 + y1) / 2.0, &font(10.0), anchor)?;
            }
        }
        line(area, (bx, rows_top - 4.0), (bx, axis_y), INK, 2)?;
        Ok(())
    })
}

/// [`tornado_plot`] titled with the issue's name and the model.
pub fn tornado_plot_of(sc: &Scenario, t: &Tornado, top: usize) -> Result<String, PlotError> {
    let name = sc
        .issue_index(&t.issue)
        .map_or(t.issue.as_str(), |k| sc.issues[k].name.as_str());
    tornado_plot(
        &format!("{name}: what moves the {} forecast", t.model),
        t,
        top,
    )
}

/// Rasterises an SVG (as made by this module) to PNG at twice its size, with the bundled font:
/// needs no system font.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, PlotError> {
    use resvg::{tiny_skia, usvg};
    let mut opt = usvg::Options::default();
    {
        let db = opt.fontdb_mut();
        db.load_font_data(FONT.to_vec());
        db.set_sans_serif_family("DejaVu Sans");
        db.set_serif_family("DejaVu Sans");
    }
    opt.font_family = "DejaVu Sans".to_string();
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| PlotError::Png(e.to_string()))?;
    let size = tree.size();
    let scale = 2.0;
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pix = tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| PlotError::Png(format!("cannot make a {w}x{h} image")))?;
    pix.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pix.as_mut(),
    );
    pix.encode_png().map_err(|e| PlotError::Png(e.to_string()))
}
