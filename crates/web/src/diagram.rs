//! The statistics dashboard's charts, drawn on the server as SVG with `plotters` (issue 12 §1;
//! decision 131).
//!
//! Two kinds: a line chart of monthly series ([`linjediagram`]: a line per series, a
//! suppressed value is a gap) and a horizontal bar chart ([`soejlediagram`]: categories with
//! one or two values each). Both return an SVG string for inline use in a `<figure>`; the
//! figures themselves are always in the table beside the chart, so the chart is an extra, not
//! the only way to read them.
//!
//! Accessibility (docs/accessibility.md): the SVG is `role="img"` with the chart's name as
//! `aria-label`; every colour has at least 3:1 contrast against white (WCAG 1.4.11); series are
//! told apart by a marker shape and a solid or dashed line (bars: filled or outlined) as well
//! as by colour, and a legend names them (WCAG 1.4.1). Text is SVG `<text>` in IBM Plex Sans,
//! the font the page already loads from DKFDS, so no font is loaded or embedded here.

use plotters::prelude::*;

/// Width of every chart in SVG units; it scales to the page (CSS `max-width: 100%`).
const BREDDE: u32 = 760;
/// The plotting area's height of a line chart.
const LINJEHOEJDE: u32 = 320;
/// One legend row.
const LEGENDERAEKKE: u32 = 24;
/// Legend entries per row.
const PR_LEGENDERAEKKE: usize = 3;
/// DKFDS's font, which the page loads; a sans-serif where it is not (a downloaded SVG).
const SKRIFT: &str = "IBM Plex Sans, Arial, sans-serif";

/// The series colours, each ≥ 3:1 against white (WCAG 1.4.11; checked by a test below).
pub const FARVER: [(u8, u8, u8); 10] = [
    (0x00, 0x59, 0xB3), // blue
    (0xC2, 0x41, 0x0C), // dark orange
    (0x10, 0x7A, 0x3E), // green
    (0x7C, 0x3A, 0xED), // violet
    (0xB9, 0x1C, 0x1C), // red
    (0x0E, 0x74, 0x90), // teal
    (0x92, 0x40, 0x0E), // brown
    (0x4B, 0x55, 0x63), // grey
    (0xA2, 0x1C, 0xAF), // magenta
    (0x3F, 0x62, 0x12), // olive
];

fn farve(i: usize) -> RGBColor {
    let (r, g, b) = FARVER[i % FARVER.len()];
    RGBColor(r, g, b)
}

/// The marker shapes, in turn; with the dash (every second series) eight series differ in
/// shape or line before colour is needed.
#[derive(Debug, Clone, Copy)]
enum Markoer {
    Cirkel,
    Trekant,
    Firkant,
    Kryds,
}

fn markoer(i: usize) -> Markoer {
    [Markoer::Cirkel, Markoer::Trekant, Markoer::Firkant, Markoer::Kryds][(i / 2) % 4]
}

fn stiplet(i: usize) -> bool {
    !i.is_multiple_of(2)
}

/// One line: its name (the legend) and a value per month; None is a gap (a suppressed or
/// missing value: no point is drawn and the line is broken there).
#[derive(Debug, Clone, PartialEq)]
pub struct Serie {
    pub navn: String,
    pub vaerdier: Vec<Option<f64>>,
}

/// One category of a bar chart: its label and one value per series (None: suppressed, drawn
/// as "<5" without a bar).
#[derive(Debug, Clone, PartialEq)]
pub struct Soejle {
    pub etiket: String,
    pub vaerdier: Vec<Option<f64>>,
}

/// A finite value, or none: a NaN never reaches the SVG.
fn endelig(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// A number on an axis as Danes write it: "1.234", "12,5".
pub fn aksetal(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    if (v - v.round()).abs() < 1e-9 {
        domain::tekst::tusinder(v.round() as i64)
    } else {
        format!("{v:.1}").replace('.', ",")
    }
}

/// The top of the value axis: a little above the largest value, and at least 5, so that an
/// axis of small counts has whole-number ticks (any count shown is 0 or at least 5).
fn loft(vaerdier: impl Iterator<Item = f64>) -> f64 {
    (vaerdier.fold(0.0f64, f64::max) * 1.1).max(5.0)
}

/// The SVG's text as an attribute value.
fn attribut(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// Adds the accessible name and role to plotters' `<svg …>` element.
fn tilgaengelig(svg: String, navn: &str) -> String {
    match svg.find("<svg ") {
        Some(i) => {
            let (foer, efter) = svg.split_at(i + "<svg ".len());
            format!("{foer}role=\"img\" aria-label=\"{}\" class=\"diagram\" {efter}", attribut(navn))
        }
        None => svg,
    }
}

type Fejl = Box<dyn std::error::Error>;

fn tekststil(stoerrelse: u32) -> TextStyle<'static> {
    TextStyle::from((SKRIFT, stoerrelse).into_font()).color(&BLACK)
}

/// Draws one legend entry's sample (a short line with its marker) at `(x, y)` (its centre).
fn legendeprove<DB: DrawingBackend>(
    omraade: &DrawingArea<DB, plotters::coord::Shift>,
    i: usize,
    (x, y): (i32, i32),
) -> Result<(), Fejl>
where
    DB::ErrorType: 'static,
{
    let stil = farve(i).stroke_width(2);
    if stiplet(i) {
        for dx in [0, 10, 20] {
            omraade.draw(&PathElement::new(vec![(x + dx, y), (x + dx + 6, y)], stil))?;
        }
    } else {
        omraade.draw(&PathElement::new(vec![(x, y), (x + 26, y)], stil))?;
    }
    tegn_markoer(omraade, i, (x + 13, y))
}

fn tegn_markoer<DB: DrawingBackend>(
    omraade: &DrawingArea<DB, plotters::coord::Shift>,
    i: usize,
    (x, y): (i32, i32),
) -> Result<(), Fejl>
where
    DB::ErrorType: 'static,
{
    let c = farve(i);
    match markoer(i) {
        Markoer::Cirkel => omraade.draw(&Circle::new((x, y), 4, c.filled()))?,
        Markoer::Trekant => omraade.draw(&TriangleMarker::new((x, y), 6, c.filled()))?,
        Markoer::Firkant => omraade.draw(&Rectangle::new([(x - 4, y - 4), (x + 4, y + 4)], c.filled()))?,
        Markoer::Kryds => omraade.draw(&Cross::new((x, y), 5, c.stroke_width(2)))?,
    }
    Ok(())
}

/// The legend below a chart: `navne` with their samples, [`PR_LEGENDERAEKKE`] to a row.
fn legende<DB: DrawingBackend>(
    omraade: &DrawingArea<DB, plotters::coord::Shift>,
    navne: &[String],
    proeve: impl Fn(&DrawingArea<DB, plotters::coord::Shift>, usize, (i32, i32)) -> Result<(), Fejl>,
) -> Result<(), Fejl>
where
    DB::ErrorType: 'static,
{
    let kolonne = (BREDDE as i32 - 80) / PR_LEGENDERAEKKE as i32;
    for (i, navn) in navne.iter().enumerate() {
        let x = 70 + (i % PR_LEGENDERAEKKE) as i32 * kolonne;
        let y = 12 + (i / PR_LEGENDERAEKKE) as i32 * LEGENDERAEKKE as i32;
        proeve(omraade, i, (x, y))?;
        let stil = tekststil(15).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Left,
            plotters::style::text_anchor::VPos::Center,
        ));
        omraade.draw(&Text::new(kort(navn, 30), (x + 34, y), stil))?;
    }
    Ok(())
}

fn legendehoejde(n: usize) -> u32 {
    (n.div_ceil(PR_LEGENDERAEKKE) as u32) * LEGENDERAEKKE + 8
}

/// A label cut to `n` characters with "…" (the table beside the chart has it in full).
fn kort(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { format!("{}…", s.chars().take(n - 1).collect::<String>()) }
}

/// A line chart: months (`etiketter`, e.g. "jan. 2026") on the x axis, a line per series;
/// `akse` names the values ("Antal"). None when plotters fails (the table still shows the
/// figures).
pub fn linjediagram(navn: &str, etiketter: &[String], serier: &[Serie], akse: &str) -> Option<String> {
    let mut svg = String::new();
    match tegn_linjer(&mut svg, etiketter, serier, akse) {
        Ok(()) => Some(tilgaengelig(svg, navn)),
        Err(e) => {
            tracing::warn!(diagram = navn, fejl = %e, "diagrammet kunne ikke tegnes");
            None
        }
    }
}

fn tegn_linjer(svg: &mut String, etiketter: &[String], serier: &[Serie], akse: &str) -> Result<(), Fejl> {
    let n = etiketter.len().max(1) as i32;
    let hoejde = LINJEHOEJDE + legendehoejde(serier.len());
    let rod = SVGBackend::with_string(svg, (BREDDE, hoejde)).into_drawing_area();
    rod.fill(&WHITE)?;
    let (plot, nederst) = rod.split_vertically(LINJEHOEJDE);
    let top = loft(serier.iter().flat_map(|s| s.vaerdier.iter().filter_map(|v| endelig(*v))));
    let mut diagram = ChartBuilder::on(&plot)
        .margin_top(12)
        .margin_left(8)
        .margin_right(24)
        .x_label_area_size(36)
        .y_label_area_size(64)
        .build_cartesian_2d(0i32..(n - 1).max(1), 0f64..top)?;
    let maanedsetiket = |i: &i32| usize::try_from(*i).ok().and_then(|i| etiketter.get(i)).cloned().unwrap_or_default();
    diagram
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(etiketter.len().clamp(1, 8))
        .x_label_formatter(&maanedsetiket)
        .y_labels(6)
        .y_label_formatter(&|v| aksetal(*v))
        .y_desc(akse)
        .label_style(tekststil(14))
        .axis_desc_style(tekststil(14))
        .bold_line_style(RGBColor(0xDD, 0xDD, 0xDD))
        .light_line_style(TRANSPARENT)
        .draw()?;
    for (i, serie) in serier.iter().enumerate() {
        let stil = farve(i).stroke_width(2);
        // A run of consecutive values is one line; a gap (None) breaks it.
        let mut loeb: Vec<Vec<(i32, f64)>> = vec![Vec::new()];
        for (x, v) in serie.vaerdier.iter().enumerate().take(n as usize) {
            match endelig(*v) {
                Some(y) => loeb.last_mut().map(|l| l.push((x as i32, y))).unwrap_or_default(),
                None => loeb.push(Vec::new()),
            }
        }
        for l in loeb.into_iter().filter(|l| l.len() > 1) {
            if stiplet(i) {
                diagram.draw_series(DashedLineSeries::new(l, 7, 5, stil))?;
            } else {
                diagram.draw_series(LineSeries::new(l, stil))?;
            }
        }
        let punkter: Vec<(i32, f64)> = serie
            .vaerdier
            .iter()
            .enumerate()
            .take(n as usize)
            .filter_map(|(x, v)| endelig(*v).map(|y| (x as i32, y)))
            .collect();
        let c = farve(i);
        match markoer(i) {
            Markoer::Cirkel => {
                diagram.draw_series(punkter.into_iter().map(|p| Circle::new(p, 4, c.filled())))?;
            }
            Markoer::Trekant => {
                diagram.draw_series(punkter.into_iter().map(|p| TriangleMarker::new(p, 6, c.filled())))?;
            }
            Markoer::Firkant => {
                diagram.draw_series(
                    punkter.into_iter().map(|p| EmptyElement::at(p) + Rectangle::new([(-4, -4), (4, 4)], c.filled())),
                )?;
            }
            Markoer::Kryds => {
                diagram.draw_series(punkter.into_iter().map(|p| Cross::new(p, 5, c.stroke_width(2))))?;
            }
        }
    }
    let navne: Vec<String> = serier.iter().map(|s| s.navn.clone()).collect();
    legende(&nederst, &navne, legendeprove)?;
    rod.present()?;
    Ok(())
}

/// A horizontal bar chart: a row per category, one bar per series (`serier` names them, one or
/// two); the value is written at the end of its bar, "<5" where it is suppressed (no bar).
/// `akse` names the values. None when plotters fails.
pub fn soejlediagram(navn: &str, serier: &[String], soejler: &[Soejle], akse: &str) -> Option<String> {
    let mut svg = String::new();
    match tegn_soejler(&mut svg, serier, soejler, akse) {
        Ok(()) => Some(tilgaengelig(svg, navn)),
        Err(e) => {
            tracing::warn!(diagram = navn, fejl = %e, "diagrammet kunne ikke tegnes");
            None
        }
    }
}

/// The legend's sample of a bar series: the first filled, the second outlined (told apart by
/// more than colour, WCAG 1.4.1).
fn soejleproeve<DB: DrawingBackend>(
    omraade: &DrawingArea<DB, plotters::coord::Shift>,
    i: usize,
    (x, y): (i32, i32),
) -> Result<(), Fejl>
where
    DB::ErrorType: 'static,
{
    omraade.draw(&Rectangle::new([(x, y - 7), (x + 26, y + 7)], soejlestil(i)))?;
    Ok(())
}

fn soejlestil(i: usize) -> ShapeStyle {
    if i.is_multiple_of(2) { farve(i).filled() } else { farve(i).stroke_width(2) }
}

fn tegn_soejler(svg: &mut String, serier: &[String], soejler: &[Soejle], akse: &str) -> Result<(), Fejl> {
    let m = serier.len().max(1);
    let raekkehoejde: u32 = if m > 1 { 40 } else { 28 };
    let n = soejler.len().max(1);
    let plothoejde = n as u32 * raekkehoejde + 60;
    let legendeh = if m > 1 { legendehoejde(m) } else { 0 };
    let rod = SVGBackend::with_string(svg, (BREDDE, plothoejde + legendeh)).into_drawing_area();
    rod.fill(&WHITE)?;
    let (plot, nederst) = rod.split_vertically(plothoejde);
    let top = loft(soejler.iter().flat_map(|s| s.vaerdier.iter().filter_map(|v| endelig(*v)))) * 1.1;
    let etiketbredde = soejler.iter().map(|s| kort(&s.etiket, 32).chars().count()).max().unwrap_or(4) as u32 * 8 + 16;
    let mut diagram = ChartBuilder::on(&plot)
        .margin_top(8)
        .margin_right(24)
        .x_label_area_size(40)
        .y_label_area_size(etiketbredde.min(280))
        .build_cartesian_2d(0f64..top, 0f64..n as f64)?;
    diagram
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_label_formatter(&|v| aksetal(*v))
        .x_desc(akse)
        .label_style(tekststil(14))
        .axis_desc_style(tekststil(14))
        .bold_line_style(RGBColor(0xDD, 0xDD, 0xDD))
        .light_line_style(TRANSPARENT)
        .draw()?;
    let baand = 0.7 / m as f64;
    let venstre = plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Left,
        plotters::style::text_anchor::VPos::Center,
    );
    let hoejre = plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Right,
        plotters::style::text_anchor::VPos::Center,
    );
    for (k, soejle) in soejler.iter().enumerate() {
        // The first category at the top.
        let y0 = (n - 1 - k) as f64 + 0.15;
        let (px, py) = diagram.backend_coord(&(0.0, y0 + 0.35));
        rod.draw(&Text::new(kort(&soejle.etiket, 32), (px - 8, py), tekststil(14).pos(hoejre)))?;
        for (i, v) in soejle.vaerdier.iter().enumerate().take(m) {
            let (a, b) = (y0 + 0.7 - (i + 1) as f64 * baand, y0 + 0.7 - i as f64 * baand);
            let tekst = match endelig(*v) {
                Some(v) => {
                    diagram.draw_series(std::iter::once(Rectangle::new([(0.0, a), (v, b)], soejlestil(i))))?;
                    (aksetal(v), v)
                }
                None => ("<5".to_string(), 0.0),
            };
            let (tx, ty) = diagram.backend_coord(&(tekst.1, (a + b) / 2.0));
            rod.draw(&Text::new(tekst.0, (tx + 6, ty), tekststil(13).pos(venstre)))?;
        }
    }
    if m > 1 {
        legende(&nederst, serier, soejleproeve)?;
    }
    rod.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xml(svg: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("ikke gyldig XML: {e}\n{svg}"))
    }

    fn tekster(doc: &roxmltree::Document<'_>) -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .map(|t| t.trim().to_string())
            .collect()
    }

    fn etiketter(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("m{i}")).collect()
    }

    /// Every numeric value of every attribute: no NaN or infinity anywhere.
    fn ingen_nan(svg: &str) {
        for ord in ["NaN", "inf"] {
            assert!(!svg.contains(ord), "{ord} i SVG:\n{svg}");
        }
    }

    #[test]
    fn linjediagram_er_gyldig_xml_med_navn_rolle_og_hver_serie_i_legenden() {
        let serier = vec![
            Serie { navn: "Løntilskud & co".into(), vaerdier: vec![Some(10.0), Some(12.0), Some(1234.0)] },
            Serie { navn: "Fleksjob".into(), vaerdier: vec![Some(5.0), Some(7.0), Some(9.0)] },
        ];
        let svg = linjediagram("Nye ansøgninger pr. måned", &etiketter(3), &serier, "Antal").unwrap();
        let doc = xml(&svg);
        let rod = doc.root_element();
        assert_eq!(rod.attribute("role"), Some("img"));
        assert_eq!(rod.attribute("aria-label"), Some("Nye ansøgninger pr. måned"));
        let t = tekster(&doc);
        assert!(t.contains(&"Løntilskud & co".to_string()), "{t:?}");
        assert!(t.contains(&"Fleksjob".to_string()), "{t:?}");
        assert!(t.contains(&"m0".to_string()), "{t:?}");
        assert!(t.iter().any(|x| x == "1.200" || x == "1.000"), "tusindtal med punktum: {t:?}");
        ingen_nan(&svg);
    }

    /// The number of line pieces (`<polyline>`) drawn in the first series' colour, less the
    /// legend's sample.
    fn linjer(svg: &str) -> usize {
        let (r, g, b) = FARVER[0];
        let farve = format!("#{r:02X}{g:02X}{b:02X}");
        xml(svg)
            .descendants()
            .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(farve.as_str()))
            .count()
            - 1
    }

    #[test]
    fn en_undertrykt_vaerdi_bryder_linjen() {
        let hel = vec![Serie { navn: "A".into(), vaerdier: vec![Some(10.0), Some(12.0), Some(14.0), Some(9.0)] }];
        let med_hul = vec![Serie { navn: "A".into(), vaerdier: vec![Some(10.0), Some(12.0), None, Some(9.0)] }];
        let med_to_hul =
            vec![Serie { navn: "A".into(), vaerdier: vec![Some(10.0), Some(12.0), None, Some(9.0), Some(8.0)] }];
        let a = linjediagram("x", &etiketter(4), &hel, "Antal").unwrap();
        let b = linjediagram("x", &etiketter(4), &med_hul, "Antal").unwrap();
        let c = linjediagram("x", &etiketter(5), &med_to_hul, "Antal").unwrap();
        assert_eq!(linjer(&a), 1, "{a}");
        // 10–12, then 9 alone (a marker, no line).
        assert_eq!(linjer(&b), 1, "{b}");
        // 10–12 and 9–8: two pieces.
        assert_eq!(linjer(&c), 2, "{c}");
        // Three markers, not four: the gap has none (and one in the legend).
        let cirkler = |svg: &str| xml(svg).descendants().filter(|n| n.has_tag_name("circle")).count();
        assert_eq!(cirkler(&a), 4 + 1);
        assert_eq!(cirkler(&b), 3 + 1, "{b}");
    }

    #[test]
    fn nan_og_uendelig_tegnes_som_hul_aldrig_som_tal() {
        let serier = vec![Serie { navn: "A".into(), vaerdier: vec![Some(f64::NAN), Some(f64::INFINITY), Some(3.0)] }];
        let svg = linjediagram("x", &etiketter(3), &serier, "Antal").unwrap();
        xml(&svg);
        ingen_nan(&svg);
        // No values at all, and no months: still a valid, empty chart.
        let svg = linjediagram("tom", &[], &[], "Antal").unwrap();
        xml(&svg);
        ingen_nan(&svg);
    }

    #[test]
    fn soejlediagram_viser_kategorier_vaerdier_og_undertrykte_som_under_5() {
        let serier = vec!["Ansøgninger".to_string(), "Bevillinger".to_string()];
        let soejler = vec![
            Soejle { etiket: "København".into(), vaerdier: vec![Some(1234.0), Some(800.0)] },
            Soejle { etiket: "Læsø".into(), vaerdier: vec![Some(6.0), None] },
        ];
        let svg = soejlediagram("Pr. kommune", &serier, &soejler, "Antal").unwrap();
        let doc = xml(&svg);
        assert_eq!(doc.root_element().attribute("aria-label"), Some("Pr. kommune"));
        let t = tekster(&doc);
        for ord in ["København", "Læsø", "1.234", "800", "6", "<5", "Ansøgninger", "Bevillinger"] {
            assert!(t.contains(&ord.to_string()), "{ord} mangler: {t:?}");
        }
        // Three bars (the suppressed one has none), two legend samples.
        let soejler_i_svg =
            doc.descendants().filter(|n| n.has_tag_name("rect") && n.attribute("fill") != Some("#FFFFFF")).count();
        assert_eq!(soejler_i_svg, 3 + 2, "{svg}");
        ingen_nan(&svg);
        let svg = soejlediagram("tom", &["A".to_string()], &[], "Dage").unwrap();
        xml(&svg);
        ingen_nan(&svg);
    }

    /// WCAG 2.x relative luminance and contrast ratio.
    fn kontrast((r, g, b): (u8, u8, u8)) -> f64 {
        let kanal = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        let l = 0.2126 * kanal(r) + 0.7152 * kanal(g) + 0.0722 * kanal(b);
        1.05 / (l + 0.05)
    }

    #[test]
    fn hver_farve_har_mindst_3_til_1_mod_hvid() {
        for f in FARVER {
            assert!(kontrast(f) >= 3.0, "{f:?}: {}", kontrast(f));
        }
        assert!(kontrast((0xFF, 0xFF, 0x00)) < 3.0, "gul skal fanges af testen");
    }

    #[test]
    fn aksetal_paa_dansk() {
        assert_eq!(aksetal(1234.0), "1.234");
        assert_eq!(aksetal(12.5), "12,5");
        assert_eq!(aksetal(f64::NAN), "");
    }
}
