//! The løntilskud application form: its steps (Trin), fields and rules (seed 004; seed 002
//! §2.1, §3.2, §3.3; seed 001 §1.8). The shared parts (company, citizen, period, contacts,
//! representative, summary) come from [`crate::skema::dele`]; this module adds løntilskud's
//! own fields and rules.
//!
//! What the company types is kept as typed text, so a half-filled or invalid step is saved
//! as it stands and nothing is lost.

use crate::FieldError;
use crate::beloeb::Beloeb;
use crate::krav::{self, Fuldtid, KravResultat};
use crate::ordning::Ordning;
use crate::skema::Skema;
use crate::skema::dele::{
    ARBEJDSSTEDET, BORGEREN_OEREMAERKET, Borgeren, CprKrav, FORLOEB, Forloeb, Jobbet, KONFLIKT, KONTAKTPERSONER,
    Kontaktpersoner, Kontekst, Opsummering, REPRAESENTANT, RIMELIGHED, Repraesentant, Rimelighed, Virksomheden,
};
use crate::skema::felt::{Blok, Felt, Feltart, Trin};
use serde::{Deserialize, Serialize};

/// The form as the company has filled it so far. The shared parts are flattened, so the
/// stored JSON is one flat object keyed by the field names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoentilskudAnsoegning {
    #[serde(flatten)]
    pub virksomheden: Virksomheden,
    #[serde(flatten)]
    pub rimelighed: Rimelighed,
    /// Ordinary employees in the company (CVR) last month. Starts EMPTY (seed 002 §3.2).
    pub merbeskaeftigelse_seneste: String,
    #[serde(flatten)]
    pub borgeren: Borgeren,
    #[serde(flatten)]
    pub forloeb: Forloeb,
    #[serde(flatten)]
    pub jobbet: Jobbet,
    /// The hourly wage in kroner.
    pub timeloen: String,
    #[serde(flatten)]
    pub kontakt: Kontaktpersoner,
    #[serde(flatten)]
    pub repraesentant: Repraesentant,
    #[serde(flatten)]
    pub opsummering: Opsummering,
}

const MERBESKAEFTIGELSE: &[Felt] = &[Felt::ny(
    "merbeskaeftigelse_seneste",
    "Antal ordinært ansatte i hele virksomheden (CVR) i seneste måned (fuldtidspersoner)",
    Feltart::Decimal,
)
.hjaelp("Feltet er tomt, indtil I har taget stilling. Sammenlign med eIndkomst-tallene ovenfor.")];

const ANSAETTELSEN: &[Felt] = &[
    Felt::ny("stillingsbetegnelse", "Stillingsbetegnelse", Feltart::Tekst),
    Felt::ny("jobindhold", "Jobindhold", Feltart::Tekstomraade { max: 2000 })
        .hjaelp("Beskriv arbejdsopgaverne. Højst 2.000 tegn."),
    Felt::ny("timeloen", "Timeløn (kr.)", Feltart::Decimal).hjaelp("Fx 145,50"),
];

/// The steps before the summary (seed 004 "Trin for trin").
const TRIN: &[Trin] = &[
    Trin { titel: "Virksomheden", grupper: &[ARBEJDSSTEDET, KONFLIKT], blok: None },
    Trin {
        titel: "Yderligere virksomhedsoplysninger",
        grupper: &[RIMELIGHED, MERBESKAEFTIGELSE],
        blok: Some(Blok::Eindkomst),
    },
    Trin { titel: "Ansættelsen", grupper: &[BORGEREN_OEREMAERKET, FORLOEB, ANSAETTELSEN], blok: None },
    Trin { titel: "Kontaktpersoner", grupper: &[KONTAKTPERSONER, REPRAESENTANT], blok: None },
];

impl Skema for LoentilskudAnsoegning {
    fn trin(&self) -> &'static [Trin] {
        TRIN
    }

    fn trinfejl(&self, nummer: u8, k: &Kontekst<'_>) -> Vec<FieldError> {
        let mut fejl = Vec::new();
        match nummer {
            1 => self.virksomheden.fejl(k, Ordning::Loentilskud.profil().konfliktlaas, &mut fejl),
            2 => {
                self.rimelighed.fejl(&mut fejl);
                // Seed 002 §3.2: the latest month starts empty and must be filled.
                if let Err(e) = Fuldtid::parse(&self.merbeskaeftigelse_seneste, "merbeskaeftigelse_seneste") {
                    fejl.push(e);
                }
            }
            3 => {
                self.borgeren.fejl(CprKrav::KunOeremaerket, &mut fejl);
                self.forloeb.fejl(&Ordning::Loentilskud.profil().periode, &mut fejl);
                self.jobbet.fejl(&mut fejl);
                match Beloeb::parse(&self.timeloen, "timeloen") {
                    Ok(b) if b.oere() == 0 => {
                        fejl.push(FieldError::new("timeloen", "Timelønnen skal være større end 0"))
                    }
                    Ok(_) => {}
                    Err(e) => fejl.push(e),
                }
            }
            4 => {
                self.kontakt.fejl(&mut fejl);
                self.repraesentant.fejl(&mut fejl);
            }
            _ => {}
        }
        fejl
    }

    /// DOMAIN.md "Facts": the rimelighedskrav per P-unit, the merbeskæftigelseskrav per CVR.
    fn krav(&self) -> Vec<(&'static str, KravResultat)> {
        let mut ud: Vec<_> = self.rimelighed.krav().into_iter().collect();
        if let Ok(seneste) = Fuldtid::parse(&self.merbeskaeftigelse_seneste, "merbeskaeftigelse_seneste") {
            let tolv: Vec<Fuldtid> = self.virksomheden.eindkomst.iter().map(|m| m.fuldtid).collect();
            ud.push(("Merbeskæftigelseskravet", krav::merbeskaeftigelseskrav(seneste, &tolv)));
        }
        ud
    }

    crate::skema::dele_med_standardnavne!();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skema::Skemadata;
    use crate::skema::dele::eksempel;

    pub(crate) fn udfyldt() -> LoentilskudAnsoegning {
        LoentilskudAnsoegning {
            virksomheden: eksempel::virksomheden(),
            rimelighed: Rimelighed { rimelighed_ansatte: "12,00".into(), allerede_stoettede: "0".into() },
            merbeskaeftigelse_seneste: "12,00".into(),
            borgeren: eksempel::borgeren(),
            forloeb: Forloeb { startdato: "2026-01-01".into(), slutdato: "2026-06-30".into(), timer: "37,3".into() },
            jobbet: Jobbet {
                stillingsbetegnelse: "Lagermedarbejder".into(),
                jobindhold: "Pakning og forsendelse".into(),
            },
            timeloen: "145,50".into(),
            kontakt: eksempel::kontakt(),
            repraesentant: eksempel::repraesentant(),
            ..Default::default()
        }
    }

    fn p() -> Vec<String> {
        vec!["1000000001".to_string()]
    }

    #[test]
    fn et_udfyldt_skema_er_gyldigt() {
        let p = p();
        let g = Skemadata::Loentilskud(udfyldt()).indsendelse(&Kontekst { p_enheder: &p }).expect("gyldigt");
        assert_eq!(g.timer.hundredths(), 3730);
        assert!(g.hoering);
    }

    #[test]
    fn tomt_skema_har_fejl_paa_alle_trin_undtagen_opsummering() {
        let p = p();
        let s = Skemadata::ny(Ordning::Loentilskud, false, vec![]).expect("bygget");
        for n in 1..=s.antal_trin() {
            let fejl = s.fejl(n, &Kontekst { p_enheder: &p });
            assert_eq!(fejl.is_empty(), n == s.opsummeringens_nummer(), "trin {n}: {fejl:?}");
        }
    }

    #[test]
    fn seneste_maaned_starter_tom_og_skal_udfyldes() {
        // Seed 002 §3.2.
        let p = p();
        let s = Skemadata::ny(Ordning::Loentilskud, false, vec![]).expect("bygget");
        let fejl = s.fejl(2, &Kontekst { p_enheder: &p });
        assert!(fejl.iter().any(|e| e.felt == "merbeskaeftigelse_seneste" && e.besked == crate::error::MANGLER));
    }

    #[test]
    fn konfliktramt_er_laast_til_ja_og_kraever_kommentar() {
        let p = p();
        let mut a = udfyldt();
        a.virksomheden.konflikt_registreret = true;
        a.virksomheden.konfliktramt = "nej".into();
        let mut s = Skemadata::Loentilskud(a);
        s.laas();
        assert_eq!(s.dele().virksomheden.konfliktramt, "ja");
        let fejl = s.fejl(1, &Kontekst { p_enheder: &p });
        assert!(fejl.iter().any(|e| e.felt == "konflikt_kommentar"));
        assert!(s.laast("konfliktramt").is_some());
    }

    #[test]
    fn andre_fejl_paa_trin_3() {
        let p = p();
        let kx = Kontekst { p_enheder: &p };
        let mut a = udfyldt();
        a.jobbet.jobindhold = "x".repeat(2001);
        a.forloeb.timer = "-3".into();
        a.forloeb.slutdato = "2025-12-31".into();
        a.borgeren.cpr = "123".into();
        let felter: Vec<String> = a.trinfejl(3, &kx).into_iter().map(|e| e.felt).collect();
        for f in ["jobindhold", "timer", "slutdato", "cpr"] {
            assert!(felter.contains(&f.to_string()), "{f} mangler i {felter:?}");
        }
        a = udfyldt();
        a.virksomheden.pnummer = "1000000002".into();
        assert_eq!(a.trinfejl(1, &kx)[0].besked, "Vælg en af virksomhedens P-enheder");
    }

    /// Issue 13 §7: a period outside the scheme's bounds is refused, whatever the dates.
    #[test]
    fn perioden_har_ordningens_graenser() {
        let p = p();
        let kx = Kontekst { p_enheder: &p };
        let mut a = udfyldt();
        a.forloeb.startdato = "01-01-0001".into();
        a.forloeb.slutdato = "31-12-9999".into();
        let fejl: Vec<String> = a.trinfejl(3, &kx).into_iter().map(|e| e.felt).collect();
        assert!(fejl.contains(&"startdato".to_string()) && fejl.contains(&"slutdato".to_string()), "{fejl:?}");
        // One year is the longest løntilskud period (DOMAIN.md "Facts").
        a.forloeb.startdato = "01-01-2027".into();
        a.forloeb.slutdato = "02-01-2028".into();
        assert!(a.trinfejl(3, &kx).iter().any(|e| e.felt == "slutdato" && e.besked.contains("højst vare 366 dage")));
        a.forloeb.slutdato = "31-12-2027".into();
        assert!(a.trinfejl(3, &kx).is_empty());
    }

    #[test]
    fn uden_samtykke_slettes_cpr() {
        let mut a = udfyldt();
        a.borgeren.samtykke = false;
        let mut s = Skemadata::Loentilskud(a);
        s.laas();
        assert!(s.dele().borgeren.cpr.is_empty() && s.dele().borgeren.borger_navn.is_empty());
    }

    #[test]
    fn enmandsvirksomhed_springer_repraesentanten_over() {
        let p = p();
        let mut a = udfyldt();
        a.repraesentant.enmandsvirksomhed = true;
        a.repraesentant.rep_navn.clear();
        let g = Skemadata::Loentilskud(a).indsendelse(&Kontekst { p_enheder: &p }).expect("gyldigt");
        assert!(!g.hoering);
    }

    /// The stored JSON is flat: the field names of the steps are its keys.
    #[test]
    fn den_gemte_json_er_flad() {
        let json = Skemadata::Loentilskud(udfyldt()).json().expect("json");
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        for n in ["pnummer", "cpr", "startdato", "kontakt_email", "rep_navn", "timeloen", "bemaerkning"] {
            assert!(v.get(n).is_some(), "{n} mangler i {json}");
        }
    }

    /// Seed 004: the CPR only "hvis virksomheden selv har fundet vedkommende". Not earmarked and
    /// no CPR: valid, sent with no citizen. Earmarked, or a CPR typed: the consent and the CPR
    /// are checked as always.
    #[test]
    fn cpr_kun_naar_ansoegningen_er_oeremaerket() {
        let p = vec!["1000000001".to_string()];
        let k = Kontekst { p_enheder: &p };
        let mut a = udfyldt();
        a.borgeren = Borgeren { oeremaerket: "nej".into(), ..Default::default() };
        let g = Skemadata::Loentilskud(a.clone()).indsendelse(&k).expect("gyldig uden CPR");
        assert_eq!(g.cpr, None);
        a.borgeren.oeremaerket = "ja".into();
        let fejl = a.trinfejl(3, &k);
        assert!(fejl.iter().any(|e| e.felt == "samtykke"), "{fejl:?}");
        a.borgeren = Borgeren { oeremaerket: "nej".into(), cpr: "010190-1234".into(), ..Default::default() };
        let fejl = a.trinfejl(3, &k);
        assert!(fejl.iter().any(|e| e.felt == "samtykke"), "et CPR kræver samtykke: {fejl:?}");
    }
}
