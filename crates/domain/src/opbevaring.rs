//! How long a case's personal data is kept, and when it is removed (issue 14 §3; docs/decisions.md
//! 75–77). Pure: the caller passes the case's facts and `idag`.
//!
//! The periods are data: [`REGLER`] has one line per rule, each with the end state it covers,
//! the date it counts from, the period and its source. A case that is not in an end state is
//! open and keeps its data; so does a case with a hold (a complaint, an archive hold).

use crate::policy::Tilstand;
use crate::status::{AfgoerelseStatus as Afg, AnsoegningStatus as Ans, ForlaengelseStatus as Forl};
use chrono::{Datelike, Months, NaiveDate};

/// What the UI shows where a name was, as VITAS does (seed 001 §1.2.4, DOMAIN.md "Anden Aktør").
pub const FJERNET: &str = "Persondata er fjernet";

/// The end state a case reached: what a retention rule is chosen by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slutning {
    /// The jobcentre rejected the application ("Ansøgning afvist").
    AnsoegningAfvist,
    /// The employee representative rejected it ("Afvist af medarbejder-rep"), or the citizen
    /// declined to sign an agreement ("Afvist af borgeren", decision 97); nothing follows.
    AfvistAfRep,
    /// The company did not approve the grant ("Bevilling ikke godkendt", DFDG 14).
    BevillingIkkeGodkendt,
    /// The grant ended by a registered termination ("Ophørt").
    BevillingOphoert,
    /// The grant ran to its end date ("Godkendt af virksomhed", end date passed, DFDG 15).
    BevillingUdloebet,
}

/// The date a period counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fra {
    /// The day of the decision (`sag.afgoerelse_dato`), else the case's last change.
    Afgoerelse,
    /// The case's last change (`sag.aendret`): the day the rejection or refusal was made.
    SidsteAendring,
    /// The end of the calendar year (a municipality's financial year) in which the grant
    /// ended (`sag.slutdato`, which a termination moves to its last day).
    UdgangenAfAaretForSlutdato,
}

impl Fra {
    /// In Danish, as `vitas opbevaring regler` prints it.
    pub fn navn(self) -> &'static str {
        match self {
            Fra::Afgoerelse => "afgørelsens dato",
            Fra::SidsteAendring => "sagens seneste ændring",
            Fra::UdgangenAfAaretForSlutdato => "udgangen af det år, bevillingen sluttede",
        }
    }
}

/// One retention rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regel {
    /// Stable code, written to the deletion log.
    pub kode: &'static str,
    pub slutning: Slutning,
    pub fra: Fra,
    /// The period, in years.
    pub aar: u32,
    /// Where the period comes from (one line).
    pub kilde: &'static str,
}

/// The retention rules, one per end state (docs/decisions.md 75).
pub const REGLER: [Regel; 5] = [
    Regel {
        kode: "ansoegning_afvist_3aar",
        slutning: Slutning::AnsoegningAfvist,
        fra: Fra::Afgoerelse,
        aar: 3,
        kilde: "Forældelsesloven § 3, stk. 1 (3 år): så længe virksomheden kan rejse krav om afgørelsen; GDPR art. 5, stk. 1, litra e",
    },
    Regel {
        kode: "afvist_af_rep_3aar",
        slutning: Slutning::AfvistAfRep,
        fra: Fra::SidsteAendring,
        aar: 3,
        kilde: "Forældelsesloven § 3, stk. 1 (3 år), som for et afslag; GDPR art. 5, stk. 1, litra e",
    },
    Regel {
        kode: "bevilling_ikke_godkendt_3aar",
        slutning: Slutning::BevillingIkkeGodkendt,
        fra: Fra::SidsteAendring,
        aar: 3,
        kilde: "Forældelsesloven § 3, stk. 1 (3 år); intet tilskud er udbetalt; GDPR art. 5, stk. 1, litra e",
    },
    Regel {
        kode: "bevilling_ophoert_5aar",
        slutning: Slutning::BevillingOphoert,
        fra: Fra::UdgangenAfAaretForSlutdato,
        aar: 5,
        kilde: "Bogføringsloven kap. 5 (som regnskabsbekendtgørelsen kap. 9 følger): regnskabsmateriale, her grundlaget for udbetalt tilskud, i 5 år fra udgangen af regnskabsåret",
    },
    Regel {
        kode: "bevilling_udloebet_5aar",
        slutning: Slutning::BevillingUdloebet,
        fra: Fra::UdgangenAfAaretForSlutdato,
        aar: 5,
        kilde: "Bogføringsloven kap. 5 (som regnskabsbekendtgørelsen kap. 9 følger): regnskabsmateriale, her grundlaget for udbetalt tilskud, i 5 år fra udgangen af regnskabsåret",
    },
];

/// The access log's entries are kept this many years from the read (docs/decisions.md 79):
/// as long as the longest case period, so a citizen's extract (GDPR art. 15) covers the reads
/// of every case VITAS still holds about them.
pub const ADGANGSLOG_AAR: u32 = 5;

/// The rule for an end state.
pub fn regel(s: Slutning) -> &'static Regel {
    // Every Slutning has exactly one line (tested below); the first line is a safe fallback.
    REGLER.iter().find(|r| r.slutning == s).unwrap_or(&REGLER[0])
}

/// A rule by its code (the deletion log's).
pub fn regel_for_kode(kode: &str) -> Option<&'static Regel> {
    REGLER.iter().find(|r| r.kode == kode)
}

/// What the rules need to know about a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fakta {
    pub tilstand: Tilstand,
    pub afgoerelse_dato: Option<NaiveDate>,
    pub slutdato: Option<NaiveDate>,
    /// The day of the case's last change.
    pub aendret: NaiveDate,
}

/// The end state the case is in, or None while it is open (a draft, an application under
/// way, a grant running or awaiting an answer, an extension awaiting the jobcentre).
pub fn slutning(f: &Fakta, idag: NaiveDate) -> Option<Slutning> {
    let t = f.tilstand;
    match (t.afgoerelse, t.ansoegning) {
        (Some(Afg::Ophoert), _) => Some(Slutning::BevillingOphoert),
        (Some(Afg::IkkeGodkendt), _) => Some(Slutning::BevillingIkkeGodkendt),
        // A running grant ends on its end date; a pending extension keeps it open.
        (Some(Afg::GodkendtAfVirksomhed), _)
            if t.forlaengelse != Some(Forl::AfventerJobcenter) && f.slutdato.is_some_and(|s| s < idag) =>
        {
            Some(Slutning::BevillingUdloebet)
        }
        (Some(_), _) => None,
        (None, Some(Ans::Afvist)) => Some(Slutning::AnsoegningAfvist),
        (None, Some(Ans::AfvistAfMedarbejderRep)) => Some(Slutning::AfvistAfRep),
        // Decision 97: an agreement the citizen declined ends like a rejected hearing.
        (None, Some(Ans::AfvistAfBorger)) => Some(Slutning::AfvistAfRep),
        (None, _) => None,
    }
}

fn plus_aar(d: NaiveDate, aar: u32) -> NaiveDate {
    d.checked_add_months(Months::new(aar.saturating_mul(12))).unwrap_or(NaiveDate::MAX)
}

/// The first day on which the rule lets the case's personal data go.
pub fn frist(r: &Regel, f: &Fakta) -> NaiveDate {
    let fra = match r.fra {
        Fra::Afgoerelse => f.afgoerelse_dato.unwrap_or(f.aendret),
        Fra::SidsteAendring => f.aendret,
        Fra::UdgangenAfAaretForSlutdato => {
            let slut = f.slutdato.unwrap_or(f.aendret);
            NaiveDate::from_ymd_opt(slut.year(), 12, 31).unwrap_or(slut)
        }
    };
    plus_aar(fra, r.aar).succ_opt().unwrap_or(NaiveDate::MAX)
}

/// What the retention job does with a case on `idag`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vurdering {
    /// Not in an end state: kept.
    Aaben,
    /// A complaint or an archive hold: kept while it lasts.
    Hold,
    /// In an end state, within its period: kept until `frist`.
    IndenFor { regel: &'static Regel, frist: NaiveDate },
    /// Past its period: the personal data goes.
    Slet { regel: &'static Regel },
}

/// The retention decision for one case. `hold` is whether an active hold exists.
pub fn vurder(f: &Fakta, hold: bool, idag: NaiveDate) -> Vurdering {
    let Some(s) = slutning(f, idag) else { return Vurdering::Aaben };
    if hold {
        return Vurdering::Hold;
    }
    let r = regel(s);
    let frist = frist(r, f);
    if idag >= frist { Vurdering::Slet { regel: r } } else { Vurdering::IndenFor { regel: r, frist } }
}

/// No case whose every count-from date is after this can be due on `idag`: the shortest
/// period back from today. The job's query uses it to skip recent cases.
pub fn seneste_mulige_dato(idag: NaiveDate) -> NaiveDate {
    let kortest = REGLER.iter().map(|r| r.aar).min().unwrap_or(0);
    idag.checked_sub_months(Months::new(kortest.saturating_mul(12))).unwrap_or(NaiveDate::MIN)
}

/// The first day an access-log entry read on `dag` may go (see [`ADGANGSLOG_AAR`]).
pub fn adgangslog_graense(idag: NaiveDate) -> NaiveDate {
    idag.checked_sub_months(Months::new(ADGANGSLOG_AAR * 12)).unwrap_or(NaiveDate::MIN)
}

/// The keys in a case's stored JSON (the form `sag.skemadata`, a sub-record's `data`) whose
/// values may hold personal data: the citizen's CPR and name, the contact persons' (the
/// workplace's contact, `arbejdssted_navn`, is a person) and the representative's names, e-mails and phones, the signer, and every free text. Everything
/// else (scheme, dates, hours, wage, amounts, P-number, the rules' results, termination
/// reasons) is kept for statistics (docs/decisions.md 76).
pub const PERSONFELTER: [&str; 19] = [
    "cpr",
    "borger_navn",
    "kontakt_navn",
    "kontakt_email",
    "kontakt_telefon",
    "arbejdssted_navn",
    "arbejdssted_email",
    "arbejdssted_telefon",
    "rep_navn",
    "rep_email",
    "rep_telefon",
    "stillingsbetegnelse",
    "jobindhold",
    "konflikt_kommentar",
    "bemaerkning",
    "underskrevetAf",
    "afvisningstekst",
    "tekst",
    "begrundelse",
];

/// Whether a JSON key holds personal data ([`PERSONFELTER`]).
pub fn er_personfelt(noegle: &str) -> bool {
    PERSONFELTER.contains(&noegle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    fn fakta(ans: Option<Ans>, afg: Option<Afg>, slut: &str, aendret: &str) -> Fakta {
        Fakta {
            tilstand: Tilstand { ansoegning: ans, afgoerelse: afg, forlaengelse: None },
            afgoerelse_dato: Some(d(aendret)),
            slutdato: Some(d(slut)),
            aendret: d(aendret),
        }
    }

    #[test]
    fn hver_slutning_har_en_regel_med_kilde() {
        for s in [
            Slutning::AnsoegningAfvist,
            Slutning::AfvistAfRep,
            Slutning::BevillingIkkeGodkendt,
            Slutning::BevillingOphoert,
            Slutning::BevillingUdloebet,
        ] {
            assert_eq!(REGLER.iter().filter(|r| r.slutning == s).count(), 1, "{s:?}");
            assert!(!regel(s).kilde.is_empty());
            assert_eq!(regel_for_kode(regel(s).kode), Some(regel(s)));
        }
    }

    #[test]
    fn aabne_sager_beholdes() {
        let idag = d("2040-01-01");
        for (ans, afg) in [
            (Some(Ans::Kladde), None),
            (Some(Ans::SendtTilMedarbejderRep), None),
            (Some(Ans::Modtaget), None),
            (Some(Ans::Godkendt), Some(Afg::AfventerVirksomhed)),
            (Some(Ans::Godkendt), Some(Afg::BevillingUdarbejdet)),
        ] {
            assert_eq!(vurder(&fakta(ans, afg, "2020-01-01", "2020-01-01"), false, idag), Vurdering::Aaben);
        }
        // A running grant whose end date has not passed, and one awaiting an extension.
        let koerer = fakta(Some(Ans::Godkendt), Some(Afg::GodkendtAfVirksomhed), "2040-06-30", "2020-01-01");
        assert_eq!(vurder(&koerer, false, idag), Vurdering::Aaben);
        let mut forl = fakta(Some(Ans::Godkendt), Some(Afg::GodkendtAfVirksomhed), "2021-06-30", "2020-01-01");
        forl.tilstand.forlaengelse = Some(Forl::AfventerJobcenter);
        assert_eq!(vurder(&forl, false, idag), Vurdering::Aaben);
    }

    #[test]
    fn afslag_efter_tre_aar_bevilling_fem_aar_efter_aarets_udgang() {
        let afslag = fakta(Some(Ans::Afvist), None, "2026-12-31", "2026-03-10");
        assert!(matches!(vurder(&afslag, false, d("2029-03-10")), Vurdering::IndenFor { .. }));
        assert!(matches!(vurder(&afslag, false, d("2029-03-11")), Vurdering::Slet { .. }));
        assert_eq!(vurder(&afslag, true, d("2040-01-01")), Vurdering::Hold);

        let ophoert = fakta(Some(Ans::Godkendt), Some(Afg::Ophoert), "2026-03-31", "2026-03-31");
        // Counted from 31 December 2026: due on 1 January 2032.
        assert_eq!(frist(regel(Slutning::BevillingOphoert), &ophoert), d("2032-01-01"));
        assert!(matches!(vurder(&ophoert, false, d("2031-12-31")), Vurdering::IndenFor { .. }));
        assert!(matches!(vurder(&ophoert, false, d("2032-01-01")), Vurdering::Slet { .. }));

        let udloebet = fakta(Some(Ans::Godkendt), Some(Afg::GodkendtAfVirksomhed), "2026-06-30", "2026-01-01");
        assert_eq!(slutning(&udloebet, d("2026-07-01")), Some(Slutning::BevillingUdloebet));
        assert!(matches!(vurder(&udloebet, false, d("2032-01-01")), Vurdering::Slet { .. }));
    }

    #[test]
    fn den_korteste_periode_afgraenser_soegningen() {
        assert_eq!(seneste_mulige_dato(d("2030-05-05")), d("2027-05-05"));
        assert_eq!(adgangslog_graense(d("2030-05-05")), d("2025-05-05"));
    }
}
