//! The løntilskud application form, its steps (Trin) and its validation (seed 004; seed 002
//! §2.1, §3.2, §3.3; seed 001 §1.8).
//!
//! What the company types is kept as typed text, so a half-filled or invalid step is saved
//! as it stands and nothing is lost. [`LoentilskudAnsoegning::gyldig`] turns a complete form
//! into typed values; only a complete form can be signed and sent.

use crate::FieldError;
use crate::beloeb::Beloeb;
use crate::ident::{Cpr, PNummer};
use crate::krav::{self, Fuldtid, KravResultat};
use crate::periode::{Periode, parse_dato};
use crate::tekst::{FRITEKST_MAX, fritekst};
use crate::timer::TimerPrUge;
use serde::{Deserialize, Serialize};

/// The steps of the application, in order (seed 004 "Trin for trin").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Trin {
    Virksomheden,
    Yderligere,
    Ansaettelsen,
    Kontaktpersoner,
    Opsummering,
}

impl Trin {
    pub const ALLE: [Trin; 5] =
        [Trin::Virksomheden, Trin::Yderligere, Trin::Ansaettelsen, Trin::Kontaktpersoner, Trin::Opsummering];

    pub fn nummer(self) -> u8 {
        match self {
            Trin::Virksomheden => 1,
            Trin::Yderligere => 2,
            Trin::Ansaettelsen => 3,
            Trin::Kontaktpersoner => 4,
            Trin::Opsummering => 5,
        }
    }
    pub fn fra_nummer(n: u8) -> Option<Trin> {
        Trin::ALLE.into_iter().find(|t| t.nummer() == n)
    }
    pub fn titel(self) -> &'static str {
        match self {
            Trin::Virksomheden => "Virksomheden",
            Trin::Yderligere => "Yderligere virksomhedsoplysninger",
            Trin::Ansaettelsen => "Ansættelsen",
            Trin::Kontaktpersoner => "Kontaktpersoner",
            Trin::Opsummering => "Opsummering",
        }
    }
}

/// One month of eIndkomst full-time equivalents, as fetched when the draft was filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EindkomstMaaned {
    /// `YYYY-MM`.
    pub maaned: String,
    pub fuldtid: Fuldtid,
}

/// The form as the company has filled it so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoentilskudAnsoegning {
    // Trin 1 — Virksomheden
    pub pnummer: String,
    /// STAR's labour-conflict register said "konfliktramt" when the draft was created. The
    /// flag stays on the application when the conflict ends (seed 002 §2.1).
    pub konflikt_registreret: bool,
    /// "ja" or "nej"; forced to "ja" when `konflikt_registreret`.
    pub konfliktramt: String,
    pub konflikt_kommentar: String,

    // Trin 2 — Yderligere virksomhedsoplysninger
    /// The last 12 months from eIndkomst for the CVR, oldest first.
    pub eindkomst: Vec<EindkomstMaaned>,
    /// Ordinary employees at the workplace (P-unit) last month, in full-time equivalents.
    /// Starts EMPTY, never 0,00 (seed 002 §3.2).
    pub rimelighed_ansatte: String,
    /// Persons already in virksomhedspraktik, nytteindsats or løntilskud at the workplace.
    pub allerede_stoettede: String,
    /// Ordinary employees in the company (CVR) last month. Starts EMPTY (seed 002 §3.2).
    pub merbeskaeftigelse_seneste: String,

    // Trin 3 — Ansættelsen
    /// The citizen has consented before the CPR is entered (seed 003).
    pub samtykke: bool,
    pub cpr: String,
    /// Looked up from DFDG by CPR; never typed by the company (DOMAIN.md "Rules").
    pub borger_navn: String,
    /// "ja" when the company found the person itself (øremærket), "nej" otherwise.
    pub oeremaerket: String,
    pub startdato: String,
    pub slutdato: String,
    pub timer: String,
    pub stillingsbetegnelse: String,
    pub jobindhold: String,
    /// The hourly wage in kroner.
    pub timeloen: String,

    // Trin 4 — Kontaktpersoner
    pub kontakt_navn: String,
    pub kontakt_email: String,
    pub kontakt_telefon: String,
    pub arbejdssted_navn: String,
    pub arbejdssted_email: String,
    pub arbejdssted_telefon: String,
    pub enmandsvirksomhed: bool,
    pub rep_navn: String,
    pub rep_email: String,
    pub rep_telefon: String,

    // Trin 5 — Opsummering
    /// The company's remark to the jobcentre, e.g. on a failed ratio rule.
    pub bemaerkning: String,

    /// The steps the company has saved at least once: their field errors are shown.
    pub besoegte_trin: Vec<u8>,
}

/// What the validation needs to know besides the form.
#[derive(Debug, Clone, Copy)]
pub struct Kontekst<'a> {
    /// The company's P-units: the only ones it may pick (DOMAIN.md "Rules").
    pub p_enheder: &'a [String],
}

/// A complete form, as typed values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GyldigLoentilskud {
    pub pnummer: PNummer,
    pub cpr: Cpr,
    pub borger_navn: String,
    pub periode: Periode,
    pub timer: TimerPrUge,
    pub timeloen: Beloeb,
    pub stillingsbetegnelse: String,
    /// Whether the employee representative must be heard (not for a one-person company).
    pub hoering: bool,
    pub rep_email: Option<String>,
    pub kontakt_email: String,
}

const STILLING_MAX: usize = 100;
const NAVN_MAX: usize = 100;

fn paakraevet_tekst(v: &str, felt: &str, max: usize, fejl: &mut Vec<FieldError>) {
    if let Err(e) = fritekst(v, felt, max, true) {
        fejl.push(e);
    }
}

fn email(v: &str, felt: &str, paakraevet: bool, fejl: &mut Vec<FieldError>) {
    let v = v.trim();
    if v.is_empty() {
        if paakraevet {
            fejl.push(FieldError::mangler(felt));
        }
        return;
    }
    let gyldig = v.len() <= 254
        && v.split_once('@').is_some_and(|(lokal, domaene)| {
            !lokal.is_empty() && domaene.contains('.') && !domaene.starts_with('.') && !domaene.ends_with('.')
        })
        && !v.contains(char::is_whitespace);
    if !gyldig {
        fejl.push(FieldError::new(felt, "Skriv en gyldig e-mailadresse, fx navn@firma.dk"));
    }
}

fn telefon(v: &str, felt: &str, paakraevet: bool, fejl: &mut Vec<FieldError>) {
    let cifre: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    if cifre.is_empty() {
        if paakraevet {
            fejl.push(FieldError::mangler(felt));
        }
        return;
    }
    let uden_plus = cifre.strip_prefix('+').unwrap_or(&cifre);
    if uden_plus.len() < 8 || uden_plus.len() > 15 || !uden_plus.chars().all(|c| c.is_ascii_digit()) {
        fejl.push(FieldError::new(felt, "Skriv et telefonnummer med mindst 8 cifre"));
    }
}

fn ja_nej(v: &str, felt: &str, fejl: &mut Vec<FieldError>) {
    if v != "ja" && v != "nej" {
        fejl.push(FieldError::new(felt, "Vælg Ja eller Nej"));
    }
}

impl LoentilskudAnsoegning {
    /// A new draft. Seed 002 §2.1: a company registered as konfliktramt gets "Ja" pre-set.
    pub fn ny(konflikt_registreret: bool, eindkomst: Vec<EindkomstMaaned>) -> Self {
        LoentilskudAnsoegning {
            konflikt_registreret,
            konfliktramt: if konflikt_registreret { "ja".into() } else { String::new() },
            eindkomst,
            ..Default::default()
        }
    }

    /// Enforce what the company may not change, whatever a form post says.
    pub fn laas(&mut self) {
        // Seed 002 §2.1: "Ja" is locked for a konfliktramt company.
        if self.konflikt_registreret {
            self.konfliktramt = "ja".into();
        }
        // Seed 003: no CPR without the citizen's consent.
        if !self.samtykke {
            self.cpr.clear();
            self.borger_navn.clear();
        }
    }

    /// The errors of one step; an empty list means the step is complete.
    pub fn fejl(&self, trin: Trin, k: &Kontekst<'_>) -> Vec<FieldError> {
        let mut fejl = Vec::new();
        match trin {
            Trin::Virksomheden => {
                match PNummer::parse(&self.pnummer, "pnummer") {
                    Ok(p) if !k.p_enheder.iter().any(|x| x == p.as_str()) => {
                        fejl.push(FieldError::new("pnummer", "Vælg en af virksomhedens P-enheder"))
                    }
                    Ok(_) => {}
                    Err(_) if self.pnummer.trim().is_empty() => fejl.push(FieldError::mangler("pnummer")),
                    Err(e) => fejl.push(e),
                }
                ja_nej(&self.konfliktramt, "konfliktramt", &mut fejl);
                // Seed 002 §2.1: a konfliktramt application needs a comment on the trades affected.
                if self.konfliktramt == "ja" {
                    paakraevet_tekst(&self.konflikt_kommentar, "konflikt_kommentar", FRITEKST_MAX, &mut fejl);
                }
            }
            Trin::Yderligere => {
                if let Err(e) = Fuldtid::parse(&self.rimelighed_ansatte, "rimelighed_ansatte") {
                    fejl.push(e);
                }
                if let Err(e) = Fuldtid::parse(&self.merbeskaeftigelse_seneste, "merbeskaeftigelse_seneste") {
                    fejl.push(e);
                }
                if let Err(e) = parse_antal(&self.allerede_stoettede, "allerede_stoettede") {
                    fejl.push(e);
                }
            }
            Trin::Ansaettelsen => {
                if !self.samtykke {
                    fejl.push(FieldError::new("samtykke", "Bekræft, at borgeren har givet samtykke"));
                } else {
                    match Cpr::parse(&self.cpr, "cpr") {
                        Err(e) => fejl.push(e),
                        Ok(_) if self.borger_navn.trim().is_empty() => {
                            fejl.push(FieldError::new("cpr", "CPR-nummeret blev ikke fundet i Det Fælles Datagrundlag"))
                        }
                        Ok(_) => {}
                    }
                }
                ja_nej(&self.oeremaerket, "oeremaerket", &mut fejl);
                let start = parse_dato(&self.startdato, "startdato").map_err(|e| fejl.push(e)).ok();
                let slut = parse_dato(&self.slutdato, "slutdato").map_err(|e| fejl.push(e)).ok();
                if let (Some(s), Some(e)) = (start, slut)
                    && let Err(f) = Periode::ny(s, e, "slutdato")
                {
                    fejl.push(f);
                }
                if let Err(e) = TimerPrUge::parse(&self.timer, "timer") {
                    fejl.push(e);
                }
                paakraevet_tekst(&self.stillingsbetegnelse, "stillingsbetegnelse", STILLING_MAX, &mut fejl);
                // Seed 001 §1.8: free text at most 2000 characters.
                paakraevet_tekst(&self.jobindhold, "jobindhold", FRITEKST_MAX, &mut fejl);
                match Beloeb::parse(&self.timeloen, "timeloen") {
                    Ok(b) if b.oere() == 0 => {
                        fejl.push(FieldError::new("timeloen", "Timelønnen skal være større end 0"))
                    }
                    Ok(_) => {}
                    Err(e) => fejl.push(e),
                }
            }
            Trin::Kontaktpersoner => {
                paakraevet_tekst(&self.kontakt_navn, "kontakt_navn", NAVN_MAX, &mut fejl);
                email(&self.kontakt_email, "kontakt_email", true, &mut fejl);
                telefon(&self.kontakt_telefon, "kontakt_telefon", true, &mut fejl);
                paakraevet_tekst(&self.arbejdssted_navn, "arbejdssted_navn", NAVN_MAX, &mut fejl);
                email(&self.arbejdssted_email, "arbejdssted_email", false, &mut fejl);
                telefon(&self.arbejdssted_telefon, "arbejdssted_telefon", false, &mut fejl);
                // Seed 004: the representative's name is required, e-mail and phone are not;
                // a one-person company has no representative.
                if !self.enmandsvirksomhed {
                    paakraevet_tekst(&self.rep_navn, "rep_navn", NAVN_MAX, &mut fejl);
                    email(&self.rep_email, "rep_email", false, &mut fejl);
                    telefon(&self.rep_telefon, "rep_telefon", false, &mut fejl);
                }
            }
            Trin::Opsummering => {
                if let Err(e) = fritekst(&self.bemaerkning, "bemaerkning", FRITEKST_MAX, false) {
                    fejl.push(e);
                }
            }
        }
        fejl
    }

    /// Whether every step is complete.
    pub fn komplet(&self, k: &Kontekst<'_>) -> bool {
        Trin::ALLE.iter().all(|t| self.fejl(*t, k).is_empty())
    }

    /// The ratio rules shown on the summary (DOMAIN.md "Facts": rimelighedskrav per P-unit,
    /// merbeskæftigelse per CVR). Only the rules whose inputs are filled are evaluated.
    pub fn krav(&self) -> Vec<(&'static str, KravResultat)> {
        let mut ud = Vec::new();
        if let (Ok(n), Ok(eksisterende)) = (
            Fuldtid::parse(&self.rimelighed_ansatte, "rimelighed_ansatte"),
            parse_antal(&self.allerede_stoettede, "allerede_stoettede"),
        ) {
            ud.push(("Rimelighedskravet", krav::rimelighedskrav(n, eksisterende)));
        }
        if let Ok(seneste) = Fuldtid::parse(&self.merbeskaeftigelse_seneste, "merbeskaeftigelse_seneste") {
            let tolv: Vec<Fuldtid> = self.eindkomst.iter().map(|m| m.fuldtid).collect();
            ud.push(("Merbeskæftigelseskravet", krav::merbeskaeftigelseskrav(seneste, &tolv)));
        }
        ud
    }

    /// The typed form, or every error of every step.
    pub fn gyldig(&self, k: &Kontekst<'_>) -> Result<GyldigLoentilskud, Vec<(Trin, FieldError)>> {
        let fejl: Vec<(Trin, FieldError)> =
            Trin::ALLE.iter().flat_map(|t| self.fejl(*t, k).into_iter().map(move |e| (*t, e))).collect();
        if !fejl.is_empty() {
            return Err(fejl);
        }
        let ufuldstaendig = |e: FieldError| vec![(Trin::Ansaettelsen, e)];
        let start = parse_dato(&self.startdato, "startdato").map_err(ufuldstaendig)?;
        let slut = parse_dato(&self.slutdato, "slutdato").map_err(ufuldstaendig)?;
        Ok(GyldigLoentilskud {
            pnummer: PNummer::parse(&self.pnummer, "pnummer").map_err(|e| vec![(Trin::Virksomheden, e)])?,
            cpr: Cpr::parse(&self.cpr, "cpr").map_err(ufuldstaendig)?,
            borger_navn: self.borger_navn.trim().to_string(),
            periode: Periode::ny(start, slut, "slutdato").map_err(ufuldstaendig)?,
            timer: TimerPrUge::parse(&self.timer, "timer").map_err(ufuldstaendig)?,
            timeloen: Beloeb::parse(&self.timeloen, "timeloen").map_err(ufuldstaendig)?,
            stillingsbetegnelse: self.stillingsbetegnelse.trim().to_string(),
            hoering: !self.enmandsvirksomhed,
            rep_email: Some(self.rep_email.trim().to_string()).filter(|s| !s.is_empty() && !self.enmandsvirksomhed),
            kontakt_email: self.kontakt_email.trim().to_string(),
        })
    }
}

/// A count of persons: a whole number ≥ 0.
pub fn parse_antal(input: &str, felt: &str) -> Result<u32, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::mangler(felt));
    }
    s.parse::<u32>().map_err(|_| FieldError::new(felt, "Skriv et helt antal personer, fx 2"))
}

/// The company's request for an extension (seed 004 "Forlængelse").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForlaengelseAnmodning {
    pub ny_slutdato: String,
    /// "Om ansættelsesbrev og ansættelsesforhold stadig er gældende" (seed 004).
    pub ansaettelsesbrev_gaelder: bool,
    /// The job content, validated ≤ 2000 characters even for old cases (seed 001 §1.8).
    pub jobindhold: String,
}

impl ForlaengelseAnmodning {
    pub fn fejl(&self, aktuel_slut: chrono::NaiveDate) -> Vec<FieldError> {
        let mut fejl = Vec::new();
        match parse_dato(&self.ny_slutdato, "ny_slutdato") {
            Ok(d) => {
                if let Err(e) = crate::periode::forlaengelse(aktuel_slut, d, "ny_slutdato") {
                    fejl.push(e);
                }
            }
            Err(e) => fejl.push(e),
        }
        if !self.ansaettelsesbrev_gaelder {
            fejl.push(FieldError::new(
                "ansaettelsesbrev_gaelder",
                "Bekræft, at ansættelsesbrev og ansættelsesforhold stadig er gældende",
            ));
        }
        paakraevet_tekst(&self.jobindhold, "jobindhold", FRITEKST_MAX, &mut fejl);
        fejl
    }
}

/// The company's registration of the end of a grant (seed 004 "Ophør").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OphoerRegistrering {
    pub ophoersdato: String,
    /// The reason's id within the scheme (seed 001 §2.1).
    pub aarsag: String,
    /// The sub-choice for "ophørt før tid".
    pub undervalg: String,
    /// Subsidy and other public support received in the last 12 months.
    pub modtaget_tilskud: String,
    /// Total wage and labour cost in the last 12 months.
    pub samlet_loenudgift: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn udfyldt() -> LoentilskudAnsoegning {
        LoentilskudAnsoegning {
            pnummer: "1000000001".into(),
            konfliktramt: "nej".into(),
            rimelighed_ansatte: "12,00".into(),
            allerede_stoettede: "0".into(),
            merbeskaeftigelse_seneste: "12,00".into(),
            samtykke: true,
            cpr: "010180-1234".into(),
            borger_navn: "Anna Jensen".into(),
            oeremaerket: "ja".into(),
            startdato: "2026-01-01".into(),
            slutdato: "2026-06-30".into(),
            timer: "37,3".into(),
            stillingsbetegnelse: "Lagermedarbejder".into(),
            jobindhold: "Pakning og forsendelse".into(),
            timeloen: "145,50".into(),
            kontakt_navn: "Karen Holm".into(),
            kontakt_email: "karen@firma.dk".into(),
            kontakt_telefon: "12345678".into(),
            arbejdssted_navn: "Per Lund".into(),
            rep_navn: "Søren Bak".into(),
            ..Default::default()
        }
    }

    fn k() -> Vec<String> {
        vec!["1000000001".to_string()]
    }

    #[test]
    fn et_udfyldt_skema_er_gyldigt() {
        let p = k();
        let g = udfyldt().gyldig(&Kontekst { p_enheder: &p }).expect("gyldigt");
        assert_eq!(g.timer.hundredths(), 3730);
        assert!(g.hoering);
    }

    #[test]
    fn tomt_skema_har_fejl_paa_alle_trin_undtagen_opsummering() {
        let p = k();
        let s = LoentilskudAnsoegning::ny(false, vec![]);
        for t in Trin::ALLE {
            let fejl = s.fejl(t, &Kontekst { p_enheder: &p });
            assert_eq!(fejl.is_empty(), t == Trin::Opsummering, "{t:?}: {fejl:?}");
        }
    }

    #[test]
    fn seneste_maaned_starter_tom_og_skal_udfyldes() {
        // Seed 002 §3.2.
        let p = k();
        let s = LoentilskudAnsoegning::ny(false, vec![]);
        let fejl = s.fejl(Trin::Yderligere, &Kontekst { p_enheder: &p });
        assert!(fejl.iter().any(|e| e.felt == "merbeskaeftigelse_seneste" && e.besked == crate::error::MANGLER));
    }

    #[test]
    fn konfliktramt_er_laast_til_ja_og_kraever_kommentar() {
        let p = k();
        let mut s = udfyldt();
        s.konflikt_registreret = true;
        s.konfliktramt = "nej".into();
        s.laas();
        assert_eq!(s.konfliktramt, "ja");
        let fejl = s.fejl(Trin::Virksomheden, &Kontekst { p_enheder: &p });
        assert!(fejl.iter().any(|e| e.felt == "konflikt_kommentar"));
    }

    #[test]
    fn andre_fejl_paa_trin_3() {
        let p = k();
        let kx = Kontekst { p_enheder: &p };
        let mut s = udfyldt();
        s.jobindhold = "x".repeat(2001);
        s.timer = "-3".into();
        s.slutdato = "2025-12-31".into();
        s.cpr = "123".into();
        let felter: Vec<String> = s.fejl(Trin::Ansaettelsen, &kx).into_iter().map(|e| e.felt).collect();
        for f in ["jobindhold", "timer", "slutdato", "cpr"] {
            assert!(felter.contains(&f.to_string()), "{f} mangler i {felter:?}");
        }
        s = udfyldt();
        s.pnummer = "1000000002".into();
        assert_eq!(s.fejl(Trin::Virksomheden, &kx)[0].besked, "Vælg en af virksomhedens P-enheder");
    }

    #[test]
    fn uden_samtykke_slettes_cpr() {
        let mut s = udfyldt();
        s.samtykke = false;
        s.laas();
        assert!(s.cpr.is_empty() && s.borger_navn.is_empty());
    }

    #[test]
    fn enmandsvirksomhed_springer_repraesentanten_over() {
        let p = k();
        let mut s = udfyldt();
        s.enmandsvirksomhed = true;
        s.rep_navn.clear();
        let g = s.gyldig(&Kontekst { p_enheder: &p }).expect("gyldigt");
        assert!(!g.hoering);
    }

    #[test]
    fn forlaengelse_validerer_jobindhold_for_gamle_sager() {
        let d = parse_dato("2026-06-30", "x").expect("dato");
        let f = ForlaengelseAnmodning {
            ny_slutdato: "2026-09-30".into(),
            ansaettelsesbrev_gaelder: true,
            jobindhold: "y".repeat(2001),
        };
        assert_eq!(f.fejl(d).len(), 1);
        let f = ForlaengelseAnmodning { jobindhold: "kort".into(), ..f };
        assert!(f.fejl(d).is_empty());
    }
}
