//! The statistics dashboard's measures (issue 12 §1; seed 003 "Statistik": everything
//! registered in VITAS is used for statistics).
//!
//! Two halves, both pure:
//! - **What a case contributes** to the periodic rollup (`storage::statistik`): [`bidrag`]
//!   for the case row, [`element_bidrag`] for its termination and extension records. Each
//!   contribution is one count of a measure ([`Maal`]) in a month, with a key (the days a
//!   decision took, a termination reason) where the measure has one.
//! - **The figures** the dashboard shows, from the rollup's rows summed over the chosen area
//!   ([`Raekke`]): monthly series, grants active on the first of each month, the time from
//!   received to decided (median and 90th percentile), rates, termination reasons. Every figure
//!   that shows a count passes [`Antal`], which suppresses 1–4 as "<5" (decision 125).
//!
//! Months are the first day of the month (`NaiveDate`), so a period is a range of dates.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};

use crate::ophoer::{self, Systemophoer};
use crate::ordning::Ordning;
use crate::status::{AfgoerelseStatus, AnsoegningStatus, ForlaengelseStatus};

/// What the rollup counts. Each is one number per month, scheme and area (and key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Maal {
    /// An application received by the jobcentre, in the month of "Modtaget dato" (seed 001 §1.9).
    Ansoegninger,
    /// Of those, the ones handled by an Anden Aktør (seed 000), in the same month.
    AnsoegningerAa,
    /// A decided application (approved or rejected), in the month of the decision.
    Afgjorte,
    /// A rejected application ("Ansøgning afvist"), in the month of the decision.
    Afslag,
    /// A grant made (a decision status exists), in the month of the decision date.
    Bevillinger,
    /// A grant ended ("Ophørt"), in the month of the termination date; the key is the reason.
    Ophoer,
    /// An approved extension (seed 001 §2.2), in the month its period starts.
    Forlaengelser,
    /// Days from received to decided; the key is the number of days, in the decision's month.
    Behandlingstid,
    /// An approved grant becomes active: counted in the first month whose first day falls in
    /// its period.
    Tilgang,
    /// An approved grant stops being active: counted in the month after its end date.
    Afgang,
}

impl Maal {
    pub const ALLE: [Maal; 10] = [
        Maal::Ansoegninger,
        Maal::AnsoegningerAa,
        Maal::Afgjorte,
        Maal::Afslag,
        Maal::Bevillinger,
        Maal::Ophoer,
        Maal::Forlaengelser,
        Maal::Behandlingstid,
        Maal::Tilgang,
        Maal::Afgang,
    ];

    pub fn kode(self) -> &'static str {
        match self {
            Maal::Ansoegninger => "ansoegninger",
            Maal::AnsoegningerAa => "ansoegninger_aa",
            Maal::Afgjorte => "afgjorte",
            Maal::Afslag => "afslag",
            Maal::Bevillinger => "bevillinger",
            Maal::Ophoer => "ophoer",
            Maal::Forlaengelser => "forlaengelser",
            Maal::Behandlingstid => "behandlingstid",
            Maal::Tilgang => "tilgang",
            Maal::Afgang => "afgang",
        }
    }

    pub fn fra_kode(kode: &str) -> Option<Maal> {
        Maal::ALLE.into_iter().find(|m| m.kode() == kode)
    }
}

/// The first day of `d`'s month.
pub fn maaned(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists in every month")
}

/// The first day of the month after `d`'s. None only past year 262143.
pub fn naeste_maaned(d: NaiveDate) -> Option<NaiveDate> {
    maaned(d).checked_add_months(Months::new(1))
}

/// The months from `fra` to `til`, both included (first days).
pub fn maaneder(fra: NaiveDate, til: NaiveDate) -> Vec<NaiveDate> {
    let mut ud = Vec::new();
    let mut m = maaned(fra);
    while m <= til {
        ud.push(m);
        match naeste_maaned(m) {
            Some(n) => m = n,
            None => break,
        }
    }
    ud
}

/// What the statistics need of a case row (`sag`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sagsfakta<'a> {
    pub ansoegning_status: Option<&'a str>,
    pub afgoerelse_status: Option<&'a str>,
    pub anden_aktoer: bool,
    pub modtaget_dato: Option<NaiveDate>,
    pub afgoerelse_dato: Option<NaiveDate>,
    pub startdato: Option<NaiveDate>,
    pub slutdato: Option<NaiveDate>,
}

/// One count: a measure in a month, with its key ("" where the measure has none).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bidrag {
    pub maal: Maal,
    pub maaned: NaiveDate,
    pub noegle: String,
}

impl Bidrag {
    fn ny(maal: Maal, dato: NaiveDate) -> Bidrag {
        Bidrag { maal, maaned: maaned(dato), noegle: String::new() }
    }
}

/// Whether a decision status means a grant was made. An assessment (fleksjob) counts too: it
/// is the scheme's decision record (docs/case-model.md, `sagselement`).
fn er_bevilget(afg: &str) -> bool {
    AfgoerelseStatus::fra_kode(afg).is_some()
}

/// Whether a grant is in force from its start to its (possibly moved) end: the company has
/// approved it; a termination moves the end date to the termination date (seed 001 §2.1).
fn er_i_kraft(afg: &str) -> bool {
    matches!(AfgoerelseStatus::fra_kode(afg), Some(AfgoerelseStatus::GodkendtAfVirksomhed | AfgoerelseStatus::Ophoert))
}

/// What one case row contributes. A case without a jobcentre (a company's draft) is not the
/// caller's to count; this function only looks at the dates and statuses.
pub fn bidrag(s: &Sagsfakta<'_>) -> Vec<Bidrag> {
    let mut ud = Vec::new();
    let ans = s.ansoegning_status.and_then(AnsoegningStatus::fra_kode);
    if let Some(m) = s.modtaget_dato {
        ud.push(Bidrag::ny(Maal::Ansoegninger, m));
        if s.anden_aktoer {
            ud.push(Bidrag::ny(Maal::AnsoegningerAa, m));
        }
    }
    if let Some(d) = s.afgoerelse_dato {
        let afgjort = matches!(ans, Some(AnsoegningStatus::Godkendt | AnsoegningStatus::Afvist));
        if afgjort {
            ud.push(Bidrag::ny(Maal::Afgjorte, d));
            if let Some(m) = s.modtaget_dato {
                // Days from "Modtaget dato" to the decision (issue 12 §1). A decision dated
                // before receipt (a data error) counts as 0 days rather than vanishing.
                let dage = (d - m).num_days().max(0);
                ud.push(Bidrag { maal: Maal::Behandlingstid, maaned: maaned(d), noegle: dage.to_string() });
            }
        }
        if ans == Some(AnsoegningStatus::Afvist) {
            ud.push(Bidrag::ny(Maal::Afslag, d));
        }
        if s.afgoerelse_status.is_some_and(er_bevilget) {
            ud.push(Bidrag::ny(Maal::Bevillinger, d));
        }
    }
    if let (Some(afg), Some(start), Some(slut)) = (s.afgoerelse_status, s.startdato, s.slutdato)
        && er_i_kraft(afg)
    {
        // Active on the first of month M exactly when start <= M <= end: from the first month
        // whose first day is on or after the start, until the month after the end.
        let fra = if start.day() == 1 { Some(start) } else { naeste_maaned(start) };
        let til = naeste_maaned(slut);
        if let (Some(fra), Some(til)) = (fra, til)
            && fra < til
        {
            ud.push(Bidrag::ny(Maal::Tilgang, fra));
            ud.push(Bidrag::ny(Maal::Afgang, til));
        }
    }
    ud
}

/// What one record contributes: a termination (its reason is the key) or an approved
/// extension. `data` is the record's JSON (`elementdata`); only the reason's codes are read.
pub fn element_bidrag(art: &str, status: &str, startdato: Option<NaiveDate>, data: &str) -> Option<Bidrag> {
    let dato = startdato?;
    match art {
        "ophoer" => Some(Bidrag { maal: Maal::Ophoer, maaned: maaned(dato), noegle: aarsagsnoegle(data) }),
        "forlaengelse" if ForlaengelseStatus::fra_kode(status) == Some(ForlaengelseStatus::Godkendt) => {
            Some(Bidrag::ny(Maal::Forlaengelser, dato))
        }
        _ => None,
    }
}

/// A termination's reason as a key: `system:<code>` when VITAS ended the grant, the reason's
/// id within its scheme when a user registered it (seed 001 §2.1), `ukendt` otherwise.
fn aarsagsnoegle(data: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Koder {
        aarsag_id: Option<u32>,
        systemophoer: Option<String>,
    }
    match serde_json::from_str::<Koder>(data) {
        Ok(Koder { systemophoer: Some(k), .. }) if Systemophoer::fra_kode(&k).is_some() => format!("system:{k}"),
        Ok(Koder { aarsag_id: Some(id), .. }) => id.to_string(),
        _ => UKENDT.to_string(),
    }
}

const UKENDT: &str = "ukendt";

/// A termination reason's text and its DFDG code ("15 – …"), or "Mappes ikke".
pub fn aarsag_visning(ordning: Ordning, noegle: &str) -> (String, String) {
    if let Some(s) = noegle.strip_prefix("system:").and_then(Systemophoer::fra_kode) {
        let d = s.dfdg();
        return (s.tekst().to_string(), format!("{} – {}", d.id, d.tekst));
    }
    match noegle.parse::<u32>().ok().and_then(|id| ophoer::aarsag(ordning, id)) {
        Some(a) => (
            a.tekst.to_string(),
            a.dfdg.map_or_else(|| "Mappes ikke".to_string(), |d| format!("{} – {}", d.id, d.tekst)),
        ),
        None => ("Ukendt årsag".to_string(), "Mappes ikke".to_string()),
    }
}

/// A row of the rollup, summed over the chosen area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raekke {
    pub maal: Maal,
    pub maaned: NaiveDate,
    pub ordning: Ordning,
    pub noegle: String,
    pub antal: i64,
}

/// A count as the dashboard may show it. Counts of 1–4 are shown as "<5" so that no figure
/// points at a person (issue 12 §1: small counts are suppressed; decision 125).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Antal {
    Vist(i64),
    Undertrykt,
}

/// Below this a count is suppressed.
pub const MINDSTE_VISTE: i64 = 5;

impl Antal {
    pub fn af(n: i64) -> Antal {
        if n > 0 && n < MINDSTE_VISTE { Antal::Undertrykt } else { Antal::Vist(n) }
    }

    /// The value to plot: none for a suppressed count (a gap, not a false zero).
    pub fn vaerdi(self) -> Option<i64> {
        match self {
            Antal::Vist(n) => Some(n),
            Antal::Undertrykt => None,
        }
    }

    pub fn tekst(self) -> String {
        match self {
            Antal::Vist(n) => crate::tekst::tusinder(n),
            Antal::Undertrykt => "<5".to_string(),
        }
    }
}

/// A share, shown only when both its parts may be shown: a share of a suppressed count would
/// give the count away (decision 125).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Andel {
    Vist(f64),
    Undertrykt,
    /// Nothing to divide by.
    Ingen,
}

impl Andel {
    pub fn af(taeller: i64, naevner: i64) -> Andel {
        if naevner == 0 {
            Andel::Ingen
        } else if Antal::af(taeller) == Antal::Undertrykt || Antal::af(naevner) == Antal::Undertrykt {
            Andel::Undertrykt
        } else {
            Andel::Vist(taeller as f64 / naevner as f64)
        }
    }

    /// In per cent, for a chart.
    pub fn procent(self) -> Option<f64> {
        match self {
            Andel::Vist(a) => Some(a * 100.0),
            _ => None,
        }
    }

    /// "12,5 %", "<5" or "–".
    pub fn tekst(self) -> String {
        match self {
            Andel::Vist(a) => format!("{} %", format!("{:.1}", a * 100.0).replace('.', ",")),
            Andel::Undertrykt => "<5".to_string(),
            Andel::Ingen => "–".to_string(),
        }
    }
}

/// The count per scheme and month of a measure, zero where the rollup has no row.
pub fn maanedsserie(raekker: &[Raekke], maal: Maal, maaneder: &[NaiveDate]) -> BTreeMap<Ordning, Vec<i64>> {
    let mut ud: BTreeMap<Ordning, Vec<i64>> = BTreeMap::new();
    for r in raekker.iter().filter(|r| r.maal == maal) {
        if let Ok(i) = maaneder.binary_search(&r.maaned) {
            ud.entry(r.ordning).or_insert_with(|| vec![0; maaneder.len()])[i] += r.antal;
        }
    }
    ud
}

/// The sum per scheme of a measure over the whole period.
pub fn i_alt(raekker: &[Raekke], maal: Maal) -> BTreeMap<Ordning, i64> {
    let mut ud = BTreeMap::new();
    for r in raekker.iter().filter(|r| r.maal == maal) {
        *ud.entry(r.ordning).or_insert(0) += r.antal;
    }
    ud
}

/// Grants active on the first of each month, per scheme: what was active before the period
/// (`foer`: grants that became active minus those that stopped, up to the period's first
/// month, excluded) plus the running sum of `Tilgang` − `Afgang` within it.
pub fn aktive(
    raekker: &[Raekke],
    foer: &BTreeMap<Ordning, i64>,
    maaneder: &[NaiveDate],
) -> BTreeMap<Ordning, Vec<i64>> {
    let tilgang = maanedsserie(raekker, Maal::Tilgang, maaneder);
    let afgang = maanedsserie(raekker, Maal::Afgang, maaneder);
    let mut ordninger: Vec<Ordning> = tilgang.keys().chain(afgang.keys()).chain(foer.keys()).copied().collect();
    ordninger.sort();
    ordninger.dedup();
    let nul = vec![0; maaneder.len()];
    ordninger
        .into_iter()
        .map(|o| {
            let mut n = foer.get(&o).copied().unwrap_or(0);
            let (t, a) = (tilgang.get(&o).unwrap_or(&nul), afgang.get(&o).unwrap_or(&nul));
            let serie = (0..maaneder.len())
                .map(|i| {
                    n += t[i] - a[i];
                    n
                })
                .collect();
            (o, serie)
        })
        .collect()
}

/// The time from received to decided over a period: how many, the median and the 90th
/// percentile in days. Percentiles by nearest rank: the smallest number of days such that at
/// least p of the decisions took that long or less (the median of 1, 2, 3, 4 is 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Behandlingstid {
    pub antal: i64,
    pub median: i64,
    pub p90: i64,
}

impl Behandlingstid {
    /// Whether the figure may be shown: a percentile of fewer than 5 decisions would describe
    /// single cases (decision 125).
    pub fn vises(&self) -> bool {
        self.antal >= MINDSTE_VISTE
    }
}

/// The p-th percentile (0 < p ≤ 1) by nearest rank of a histogram of days → count.
pub fn fraktil(fordeling: &BTreeMap<i64, i64>, p: f64) -> Option<i64> {
    let n: i64 = fordeling.values().sum();
    if n <= 0 {
        return None;
    }
    // ceil(p·n) without floating error for the p we use (0.5, 0.9): in tenths.
    let tiendedele = (p * 10.0).round() as i64;
    let rang = (tiendedele * n + 9) / 10;
    let mut set = 0;
    for (dage, antal) in fordeling {
        set += antal;
        if set >= rang.max(1) {
            return Some(*dage);
        }
    }
    fordeling.keys().next_back().copied()
}

/// Per scheme, from the `Behandlingstid` rows of the period.
pub fn behandlingstid(raekker: &[Raekke]) -> BTreeMap<Ordning, Behandlingstid> {
    let mut fordelinger: BTreeMap<Ordning, BTreeMap<i64, i64>> = BTreeMap::new();
    for r in raekker.iter().filter(|r| r.maal == Maal::Behandlingstid) {
        if let Ok(dage) = r.noegle.parse::<i64>() {
            *fordelinger.entry(r.ordning).or_default().entry(dage).or_insert(0) += r.antal;
        }
    }
    fordelinger
        .into_iter()
        .filter_map(|(o, f)| {
            Some((o, Behandlingstid { antal: f.values().sum(), median: fraktil(&f, 0.5)?, p90: fraktil(&f, 0.9)? }))
        })
        .collect()
}

/// Terminations per scheme and reason key over the period, most frequent first.
pub fn ophoersaarsager(raekker: &[Raekke]) -> Vec<(Ordning, String, i64)> {
    let mut sum: BTreeMap<(Ordning, String), i64> = BTreeMap::new();
    for r in raekker.iter().filter(|r| r.maal == Maal::Ophoer) {
        *sum.entry((r.ordning, r.noegle.clone())).or_insert(0) += r.antal;
    }
    let mut ud: Vec<(Ordning, String, i64)> = sum.into_iter().map(|((o, k), n)| (o, k, n)).collect();
    ud.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (a.0, &a.1).cmp(&(b.0, &b.1))));
    ud
}

/// "januar 2026".
pub fn maanedsnavn(m: NaiveDate) -> String {
    crate::periode::dansk_maaned(&m.format("%Y-%m").to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn fakta<'a>() -> Sagsfakta<'a> {
        Sagsfakta {
            ansoegning_status: Some("godkendt"),
            afgoerelse_status: Some("godkendt_af_virksomhed"),
            anden_aktoer: true,
            modtaget_dato: Some(d("2026-01-20")),
            afgoerelse_dato: Some(d("2026-02-03")),
            startdato: Some(d("2026-03-01")),
            slutdato: Some(d("2026-05-31")),
        }
    }

    #[test]
    fn en_godkendt_ansoegning_bidrager_til_hvert_maal_i_sin_maaned() {
        let mut b = bidrag(&fakta());
        b.sort();
        let vis: Vec<(Maal, String, String)> =
            b.into_iter().map(|b| (b.maal, b.maaned.format("%Y-%m").to_string(), b.noegle)).collect();
        assert_eq!(
            vis,
            vec![
                (Maal::Ansoegninger, "2026-01".into(), "".into()),
                (Maal::AnsoegningerAa, "2026-01".into(), "".into()),
                (Maal::Afgjorte, "2026-02".into(), "".into()),
                (Maal::Bevillinger, "2026-02".into(), "".into()),
                (Maal::Behandlingstid, "2026-02".into(), "14".into()),
                (Maal::Tilgang, "2026-03".into(), "".into()),
                (Maal::Afgang, "2026-06".into(), "".into()),
            ]
        );
    }

    #[test]
    fn afslag_taeller_som_afgjort_men_ikke_som_bevilling() {
        let f = Sagsfakta { ansoegning_status: Some("afvist"), afgoerelse_status: None, ..fakta() };
        let maal: Vec<Maal> = bidrag(&f).into_iter().map(|b| b.maal).collect();
        assert!(maal.contains(&Maal::Afslag) && maal.contains(&Maal::Afgjorte));
        assert!(!maal.contains(&Maal::Bevillinger) && !maal.contains(&Maal::Tilgang));
    }

    #[test]
    fn en_bevilling_der_slutter_foer_den_foerste_i_naeste_maaned_er_aldrig_aktiv_den_foerste() {
        let f = Sagsfakta { startdato: Some(d("2026-03-02")), slutdato: Some(d("2026-03-30")), ..fakta() };
        assert!(!bidrag(&f).iter().any(|b| b.maal == Maal::Tilgang));
        // Starting on the 1st, it is active that very day.
        let f = Sagsfakta { startdato: Some(d("2026-03-01")), slutdato: Some(d("2026-03-01")), ..fakta() };
        let b = bidrag(&f);
        assert!(b.contains(&Bidrag::ny(Maal::Tilgang, d("2026-03-01"))));
        assert!(b.contains(&Bidrag::ny(Maal::Afgang, d("2026-04-01"))));
    }

    #[test]
    fn aktive_er_summen_af_tilgang_og_afgang_mod_en_optaelling_dag_for_dag() {
        // Grants (start, end); compare the running sum with a direct count on each first.
        let perioder = [
            ("2025-11-15", "2026-02-01"),
            ("2026-01-01", "2026-01-01"),
            ("2026-01-02", "2026-04-30"),
            ("2026-02-01", "2026-12-31"),
            ("2026-03-05", "2026-03-20"),
        ];
        let mdr = maaneder(d("2026-01-01"), d("2026-06-01"));
        let mut raekker = Vec::new();
        let mut foer = BTreeMap::new();
        for (s, e) in perioder {
            let f = Sagsfakta { startdato: Some(d(s)), slutdato: Some(d(e)), ..fakta() };
            for b in bidrag(&f).into_iter().filter(|b| matches!(b.maal, Maal::Tilgang | Maal::Afgang)) {
                if b.maaned < mdr[0] {
                    *foer.entry(Ordning::Loentilskud).or_insert(0) += if b.maal == Maal::Tilgang { 1 } else { -1 };
                } else {
                    raekker.push(Raekke {
                        maal: b.maal,
                        maaned: b.maaned,
                        ordning: Ordning::Loentilskud,
                        noegle: b.noegle,
                        antal: 1,
                    });
                }
            }
        }
        let serie = &aktive(&raekker, &foer, &mdr)[&Ordning::Loentilskud];
        for (i, m) in mdr.iter().enumerate() {
            let direkte = perioder.iter().filter(|(s, e)| d(s) <= *m && *m <= d(e)).count() as i64;
            assert_eq!(serie[i], direkte, "{m}");
        }
    }

    #[test]
    fn fraktil_efter_naermeste_rang() {
        let f: BTreeMap<i64, i64> = [(1, 1), (2, 1), (3, 1), (4, 1)].into();
        assert_eq!(fraktil(&f, 0.5), Some(2));
        assert_eq!(fraktil(&f, 0.9), Some(4));
        let f: BTreeMap<i64, i64> = [(7, 10)].into();
        assert_eq!(fraktil(&f, 0.5), Some(7));
        let f: BTreeMap<i64, i64> = [(1, 9), (30, 1)].into();
        assert_eq!(fraktil(&f, 0.9), Some(1));
        assert_eq!(fraktil(&BTreeMap::new(), 0.5), None);
    }

    #[test]
    fn smaa_tal_undertrykkes() {
        assert_eq!(Antal::af(0).tekst(), "0");
        assert_eq!(Antal::af(4).tekst(), "<5");
        assert_eq!(Antal::af(4).vaerdi(), None);
        assert_eq!(Antal::af(5).tekst(), "5");
        assert_eq!(Antal::af(1234567).tekst(), "1.234.567");
        assert_eq!(Andel::af(3, 100).tekst(), "<5");
        assert_eq!(Andel::af(10, 80).tekst(), "12,5 %");
        assert_eq!(Andel::af(0, 80).tekst(), "0,0 %");
        assert_eq!(Andel::af(0, 0).tekst(), "–");
    }

    #[test]
    fn ophoersaarsag_fra_elementets_data() {
        let b = element_bidrag("ophoer", "registreret", Some(d("2026-04-09")), r#"{"aarsag":"x","aarsag_id":3}"#);
        assert_eq!(b, Some(Bidrag { maal: Maal::Ophoer, maaned: d("2026-04-01"), noegle: "3".into() }));
        let b =
            element_bidrag("ophoer", "registreret", Some(d("2026-04-09")), r#"{"systemophoer":"ordinaert_udloeb"}"#);
        assert_eq!(b.unwrap().noegle, "system:ordinaert_udloeb");
        assert_eq!(
            element_bidrag("ophoer", "registreret", Some(d("2026-04-09")), "ikke json").unwrap().noegle,
            "ukendt"
        );
        assert_eq!(element_bidrag("forlaengelse", "afvist", Some(d("2026-04-09")), "{}"), None);
        assert!(element_bidrag("forlaengelse", "godkendt", Some(d("2026-04-09")), "{}").is_some());
        let (tekst, dfdg) = aarsag_visning(Ordning::Loentilskud, "system:ordinaert_udloeb");
        assert_eq!((tekst.as_str(), dfdg.starts_with("15 – ")), ("Bevillingsperioden er udløbet", true));
    }

    #[test]
    fn maaneder_og_navne() {
        assert_eq!(maaneder(d("2025-11-20"), d("2026-02-01")).len(), 4);
        assert_eq!(maanedsnavn(d("2026-05-01")), "maj 2026");
    }
}
