//! Dates and periods: parsing what people type, extensions, and the effect of a termination.
//!
//! The rule this module guards: no record may ever start after it ends (seed 002 §2.2).

use crate::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Parse a date as a browser's date field sends it (`2026-03-01`) or as a Dane types it
/// (`01-03-2026`, `01.03.2026`, `1/3/2026`).
pub fn parse_dato(input: &str, felt: &str) -> Result<NaiveDate, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::mangler(felt));
    }
    // dd-mm-åååå (with -, . or /), or åååå-mm-dd; the year always with four digits.
    let dele: Vec<&str> = s.split(['-', '.', '/']).collect();
    let tal: Option<Vec<u32>> = dele
        .iter()
        .map(|d| (!d.is_empty() && d.len() <= 4 && d.bytes().all(|b| b.is_ascii_digit())).then(|| d.parse().ok()))
        .map(Option::flatten)
        .collect();
    let (aar, maaned, dag) = match (dele.as_slice(), tal.as_deref()) {
        ([a, m, d], Some(&[y, mm, dd])) if a.len() == 4 && m.len() <= 2 && d.len() <= 2 => (y, mm, dd),
        ([d, m, a], Some(&[dd, mm, y])) if a.len() == 4 && m.len() <= 2 && d.len() <= 2 => (y, mm, dd),
        _ => return Err(FieldError::new(felt, "Skriv datoen som dd-mm-åååå")),
    };
    // Issue 13 §7: a date in the right form that is not in the calendar says so.
    i32::try_from(aar)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, maaned, dag))
        .ok_or_else(|| FieldError::new(felt, format!("Datoen {dag:02}-{maaned:02}-{aar:04} findes ikke i kalenderen")))
}

/// A month as `ÅÅÅÅ-MM` (eIndkomst's months) in words, "november 2026"; `None` if it is not one.
pub fn dansk_maaned(aar_maaned: &str) -> Option<String> {
    const NAVNE: [&str; 12] = [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let (aar, maaned) = aar_maaned.split_once('-')?;
    let m: usize = maaned.parse().ok()?;
    let navn = NAVNE.get(m.checked_sub(1)?)?;
    (aar.len() == 4 && aar.bytes().all(|b| b.is_ascii_digit())).then(|| format!("{navn} {aar}"))
}

/// A Danish date for display: `01-03-2026`.
pub fn dansk_dato(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// A closed period of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Periode {
    pub start: NaiveDate,
    pub slut: NaiveDate,
}

impl Periode {
    /// Start and end in order; the end date may equal the start date (a one-day period).
    pub fn ny(start: NaiveDate, slut: NaiveDate, felt_slut: &str) -> Result<Periode, FieldError> {
        if slut < start {
            return Err(FieldError::new(felt_slut, "Slutdatoen kan ikke ligge før startdatoen"));
        }
        Ok(Periode { start, slut })
    }

    /// The number of days, both ends included.
    pub fn dage(&self) -> u32 {
        u32::try_from((self.slut - self.start).num_days() + 1).unwrap_or(0)
    }
}

/// A scheme's bounds on the period one application covers, as data in its profile
/// (`ordning::Profil::periode`; issue 13 §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periodegraenser {
    /// The longest period one application may cover, in days: the law's longest first
    /// period. An extension is a record of its own.
    pub laengst_dage: u32,
    /// The earliest start date accepted at all; earlier dates are typing errors.
    pub tidligst: NaiveDate,
    /// The latest end date accepted at all.
    pub senest: NaiveDate,
}

impl Periodegraenser {
    /// Bounds with VITAS's outer dates (decision 92): no case starts before 2020 or ends
    /// after 2099.
    pub const fn laengst(dage: u32) -> Periodegraenser {
        Periodegraenser { laengst_dage: dage, tidligst: dato(2020, 1, 1), senest: dato(2099, 12, 31) }
    }
}

const fn dato(aar: i32, maaned: u32, dag: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(aar, maaned, dag) {
        Some(d) => d,
        None => panic!("ugyldig dato i en konstant"),
    }
}

/// An extension runs from the day after the current end to the new end date (seed 004
/// "Forlængelse": the company gives the new end date).
pub fn forlaengelse(aktuel_slut: NaiveDate, ny_slut: NaiveDate, felt: &str) -> Result<Periode, FieldError> {
    if ny_slut <= aktuel_slut {
        return Err(FieldError::new(
            felt,
            format!("Den nye slutdato skal ligge efter den nuværende slutdato ({})", dansk_dato(aktuel_slut)),
        ));
    }
    let start = aktuel_slut.succ_opt().unwrap_or(aktuel_slut);
    Ok(Periode { start, slut: ny_slut })
}

/// An approved extension on a grant, as the termination rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GodkendtForlaengelse {
    pub element_id: i64,
    pub periode: Periode,
}

/// What a termination does to a grant's dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OphoerVirkning {
    /// The grant's current end date from now on: the termination date.
    pub aktuel_slut: NaiveDate,
    /// Approved extensions that would start after the termination date. They lapse
    /// ("Bortfaldet ved ophør") so that no record starts after it ends (seed 002 §2.2).
    pub bortfaldne: Vec<i64>,
}

/// The effect of terminating a grant that runs `bevilling` (start, current end) on `dato`.
///
/// The termination date must lie within the grant's current period. Extensions that start
/// after it lapse; an extension already running is cut short by the new current end.
/// The original end date is never changed (seed 002 §2.2: both dates are reported).
pub fn ophoer(
    bevilling: Periode,
    forlaengelser: &[GodkendtForlaengelse],
    dato: NaiveDate,
    felt: &str,
) -> Result<OphoerVirkning, FieldError> {
    if dato < bevilling.start {
        return Err(FieldError::new(
            felt,
            format!("Ophørsdatoen kan ikke ligge før bevillingens startdato ({})", dansk_dato(bevilling.start)),
        ));
    }
    if dato > bevilling.slut {
        return Err(FieldError::new(
            felt,
            format!("Ophørsdatoen kan ikke ligge efter bevillingens slutdato ({})", dansk_dato(bevilling.slut)),
        ));
    }
    let bortfaldne = forlaengelser.iter().filter(|f| f.periode.start > dato).map(|f| f.element_id).collect();
    Ok(OphoerVirkning { aktuel_slut: dato, bortfaldne })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_dato(s, "d").expect("testdato")
    }

    #[test]
    fn datoer_i_flere_formater() {
        assert_eq!(d("2026-03-01"), d("01-03-2026"));
        assert_eq!(d("01.03.2026"), d("1/3/2026"));
        assert_eq!(parse_dato("", "start").unwrap_err().besked, "Mangler at blive udfyldt");
        assert_eq!(parse_dato("31-02-2026", "start").unwrap_err().besked, "Datoen 31-02-2026 findes ikke i kalenderen");
        assert_eq!(parse_dato("29.02.2027", "start").unwrap_err().besked, "Datoen 29-02-2027 findes ikke i kalenderen");
        assert_eq!(d("29-02-2028"), d("2028-02-29"));
        assert_eq!(parse_dato("01-13-2026", "start").unwrap_err().besked, "Datoen 01-13-2026 findes ikke i kalenderen");
        for forkert in ["1-3-26", "2026/3", "01-03-2026x", "01--2026", "1 marts 2026", "001-03-2026", "01-03-20266"] {
            assert_eq!(parse_dato(forkert, "start").unwrap_err().besked, "Skriv datoen som dd-mm-åååå", "{forkert}");
        }
    }

    #[test]
    fn maaneder_med_navn() {
        assert_eq!(dansk_maaned("2026-11").as_deref(), Some("november 2026"));
        assert_eq!(dansk_maaned("2027-01").as_deref(), Some("januar 2027"));
        for forkert in ["2026-13", "2026-00", "26-11", "2026", "november"] {
            assert_eq!(dansk_maaned(forkert), None, "{forkert}");
        }
    }

    #[test]
    fn periode_i_forkert_raekkefoelge_afvises() {
        assert!(Periode::ny(d("2026-03-02"), d("2026-03-01"), "slut").is_err());
        assert!(Periode::ny(d("2026-03-01"), d("2026-03-01"), "slut").is_ok());
    }

    #[test]
    fn forlaengelse_starter_dagen_efter_og_skal_slutte_senere() {
        let p = forlaengelse(d("2026-06-30"), d("2026-09-30"), "ny").expect("gyldig");
        assert_eq!(p.start, d("2026-07-01"));
        assert!(forlaengelse(d("2026-06-30"), d("2026-06-30"), "ny").is_err());
    }

    #[test]
    fn ophoer_foer_forlaengelsens_start_lader_forlaengelsen_bortfalde() {
        // Grant 1 Jan–30 Jun, extended 1 Jul–30 Sep: current period 1 Jan–30 Sep.
        let bev = Periode { start: d("2026-01-01"), slut: d("2026-09-30") };
        let f = [GodkendtForlaengelse {
            element_id: 9,
            periode: Periode { start: d("2026-07-01"), slut: d("2026-09-30") },
        }];
        let v = ophoer(bev, &f, d("2026-05-15"), "dato").expect("gyldig");
        assert_eq!(v.aktuel_slut, d("2026-05-15"));
        assert_eq!(v.bortfaldne, vec![9]);
        // Inside the extension: it stays, cut short by the current end.
        let v = ophoer(bev, &f, d("2026-08-01"), "dato").expect("gyldig");
        assert!(v.bortfaldne.is_empty());
        // The day before the extension starts: it lapses.
        assert_eq!(ophoer(bev, &f, d("2026-06-30"), "dato").expect("gyldig").bortfaldne, vec![9]);
    }

    #[test]
    fn ophoer_uden_for_perioden_afvises() {
        let bev = Periode { start: d("2026-01-01"), slut: d("2026-06-30") };
        assert!(ophoer(bev, &[], d("2025-12-31"), "dato").is_err());
        assert!(ophoer(bev, &[], d("2026-07-01"), "dato").is_err());
    }
}

/// Danish local time for display: CET (+01:00), CEST (+02:00) from the last Sunday of March
/// 01:00 UTC to the last Sunday of October 01:00 UTC (EU directive 2000/84/EC, art. 2–3).
pub fn dansk_tid(utc: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    use chrono::{Datelike, Duration, NaiveTime, Weekday};
    let sidste_soendag = |maaned: u32| {
        let mut d = NaiveDate::from_ymd_opt(utc.year(), maaned, 31).unwrap_or(utc.date_naive());
        while d.weekday() != Weekday::Sun {
            d = d.pred_opt().unwrap_or(d);
        }
        d.and_time(NaiveTime::from_hms_opt(1, 0, 0).unwrap_or_default())
    };
    let t = utc.naive_utc();
    let sommer = t >= sidste_soendag(3) && t < sidste_soendag(10);
    t + Duration::hours(if sommer { 2 } else { 1 })
}

/// The instant Danish midnight begins `dag`, in UTC: the inverse of [`dansk_tid`] at midnight,
/// which is never inside a change of clock (those happen at 01:00 UTC).
pub fn dansk_midnat(dag: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    let midnat = dag.and_time(chrono::NaiveTime::MIN);
    let vinter = midnat.and_utc() - chrono::Duration::hours(1);
    if dansk_tid(vinter) == midnat { vinter } else { midnat.and_utc() - chrono::Duration::hours(2) }
}

#[cfg(test)]
mod tid_tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn sommertid_og_vintertid() {
        let t = |y, m, d, h| chrono::Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().expect("tid");
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(dansk_tid(t(2026, 3, 29, 0)).format("%H").to_string(), "01");
        assert_eq!(dansk_tid(t(2026, 3, 29, 1)).format("%H").to_string(), "03");
        assert_eq!(dansk_tid(t(2026, 10, 25, 0)).format("%H").to_string(), "02");
        assert_eq!(dansk_tid(t(2026, 10, 25, 1)).format("%H").to_string(), "02");
        assert_eq!(dansk_tid(t(2026, 12, 24, 12)).format("%H").to_string(), "13");
    }
}
