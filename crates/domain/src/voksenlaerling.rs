//! The voksenlærling application form (DOMAIN.md "Schemes" and "Facts": the education, the
//! period and hours, and the two subsidy rates "fra ledighed" and "fra beskæftigelse", valid
//! until 31.12.2035; the apprentice is at least 25 at the start). The company applies; there
//! is no hearing of the employee representative (the profile's life cycle). The shared parts
//! come from [`crate::skema::dele`]; this module adds the education and where the apprentice
//! comes from, and the rules on age and rate.

use crate::FieldError;
use crate::ident::Cpr;
use crate::ordning::Ordning;
use crate::periode::parse_dato;
use crate::satser;
use crate::skema::Skema;
use crate::skema::dele::{
    ARBEJDSSTEDET, BORGEREN, Borgeren, CprKrav, FORLOEB, Forloeb, Jobbet, KONTAKTPERSONER, Kontaktpersoner, Kontekst,
    Opsummering, Virksomheden, paakraevet_tekst,
};
use crate::skema::felt::{Felt, Feltart, Trin};
use crate::tilskudssats::TimeTilskudsats;
use serde::{Deserialize, Serialize};

/// The form as the company has filled it so far; flat JSON like every form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VoksenlaerlingAnsoegning {
    #[serde(flatten)]
    pub virksomheden: Virksomheden,
    #[serde(flatten)]
    pub borgeren: Borgeren,
    /// The education the apprenticeship leads to (seed 003: "uddannelse og sats").
    pub uddannelse: String,
    /// "fra_ledighed" or "fra_beskaeftigelse": which rate applies (DOMAIN.md "Facts").
    pub ansat_fra: String,
    #[serde(flatten)]
    pub forloeb: Forloeb,
    #[serde(flatten)]
    pub jobbet: Jobbet,
    #[serde(flatten)]
    pub kontakt: Kontaktpersoner,
    #[serde(flatten)]
    pub opsummering: Opsummering,
}

const ANSAT_FRA: &[(&str, &str)] =
    &[("fra_ledighed", "Ansat fra ledighed"), ("fra_beskaeftigelse", "Ansat fra beskæftigelse i virksomheden")];

const UDDANNELSEN: &[Felt] = &[
    Felt::ny("uddannelse", "Uddannelse", Feltart::Tekst).hjaelp("Den uddannelse, aftalen fører til, fx Elektriker."),
    Felt::ny("ansat_fra", "Hvorfra ansættes voksenlærlingen?", Feltart::Valg(ANSAT_FRA))
        .hjaelp("Afgør tilskudssatsen: fra ledighed i hele aftalen, fra beskæftigelse i højst 2 år."),
];

const STILLINGEN: &[Felt] = &[
    Felt::ny("stillingsbetegnelse", "Stillingsbetegnelse", Feltart::Tekst),
    Felt::ny("jobindhold", "Arbejdsopgaver under uddannelsen", Feltart::Tekstomraade { max: 2000 })
        .hjaelp("Højst 2.000 tegn."),
];

/// The steps before the summary: the workplace, the apprentice and the education, the
/// contacts. No representative: the life cycle has no hearing.
const TRIN: &[Trin] = &[
    Trin { titel: "Virksomheden", grupper: &[ARBEJDSSTEDET], blok: None },
    Trin {
        titel: "Voksenlærlingen og uddannelsen",
        grupper: &[BORGEREN, UDDANNELSEN, FORLOEB, STILLINGEN],
        blok: None,
    },
    Trin { titel: "Kontaktpersoner", grupper: &[KONTAKTPERSONER], blok: None },
];

/// DOMAIN.md "Facts": a voksenlærling is 25 or older when the education starts.
const MINDSTEALDER: i32 = 25;

impl VoksenlaerlingAnsoegning {
    /// The kind of rate the form asks for.
    pub fn sats(&self) -> Option<TimeTilskudsats> {
        match self.ansat_fra.as_str() {
            "fra_ledighed" => Some(TimeTilskudsats::VoksenlaerlingFraLedighed),
            "fra_beskaeftigelse" => Some(TimeTilskudsats::VoksenlaerlingFraBeskaeftigelse),
            _ => None,
        }
    }

    fn uddannelsens_fejl(&self, fejl: &mut Vec<FieldError>) {
        paakraevet_tekst(&self.uddannelse, "uddannelse", 100, fejl);
        let start = parse_dato(&self.forloeb.startdato, "startdato").ok();
        match (self.sats(), start) {
            (None, _) => fejl.push(FieldError::new(
                "ansat_fra",
                "Vælg, om voksenlærlingen ansættes fra ledighed eller fra beskæftigelse",
            )),
            // DOMAIN.md "Facts": the rates are dated data; without a rate on the start date
            // there is nothing to grant, and the user is told until when the rate ran.
            (Some(art), Some(d)) if satser::gaeldende(art, d).is_none() => fejl.push(FieldError::new(
                "ansat_fra",
                match satser::sidste_gyldige(art) {
                    Some(til) => format!(
                        "Der er ingen gældende tilskudssats pr. {}. Satsen for voksenlærlinge gælder til {}.",
                        crate::periode::dansk_dato(d),
                        crate::periode::dansk_dato(til)
                    ),
                    None => "Der er ingen tilskudssats for voksenlærlinge.".into(),
                },
            )),
            _ => {}
        }
        // DOMAIN.md "Facts": 25 or older at the start.
        if let (Ok(cpr), Some(d)) = (Cpr::parse(&self.borgeren.cpr, "cpr"), start)
            && cpr.alder_paa(d) < MINDSTEALDER
        {
            fejl.push(FieldError::new("cpr", "En voksenlærling skal være fyldt 25 år, når uddannelsen starter"));
        }
    }
}

impl Skema for VoksenlaerlingAnsoegning {
    fn trin(&self) -> &'static [Trin] {
        TRIN
    }

    fn trinfejl(&self, nummer: u8, k: &Kontekst<'_>) -> Vec<FieldError> {
        let o = Ordning::Voksenlaerling;
        let mut fejl = Vec::new();
        match nummer {
            1 => self.virksomheden.fejl(k, o.profil().konfliktlaas, &mut fejl),
            2 => {
                self.borgeren.fejl(CprKrav::Altid, &mut fejl);
                self.uddannelsens_fejl(&mut fejl);
                self.forloeb.fejl(&o.profil().periode, &mut fejl);
                self.jobbet.fejl(&mut fejl);
            }
            3 => self.kontakt.fejl(&mut fejl),
            _ => {}
        }
        fejl
    }

    crate::skema::dele_med_standardnavne!(uden_repraesentant);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skema::Skemadata;
    use crate::skema::dele::eksempel;

    fn udfyldt() -> VoksenlaerlingAnsoegning {
        VoksenlaerlingAnsoegning {
            virksomheden: eksempel::virksomheden(),
            borgeren: eksempel::borgeren(),
            uddannelse: "Elektriker".into(),
            ansat_fra: "fra_ledighed".into(),
            forloeb: Forloeb { startdato: "2027-08-02".into(), slutdato: "2031-01-31".into(), timer: "37".into() },
            jobbet: Jobbet { stillingsbetegnelse: "Elektrikerlærling".into(), jobindhold: "Installationer".into() },
            kontakt: eksempel::kontakt(),
            ..Default::default()
        }
    }

    fn p() -> Vec<String> {
        vec!["1000000001".to_string()]
    }

    #[test]
    fn en_udfyldt_ansoegning_er_gyldig_uden_hoering() {
        let p = p();
        let s = Skemadata::Voksenlaerling(udfyldt());
        let g = s.indsendelse(&Kontekst { p_enheder: &p }).expect("gyldig");
        assert!(!g.hoering, "voksenlærling har ingen høring");
        assert_eq!(s.antal_trin(), 4);
    }

    /// Issue 13 §2: past the rate's end, the user sees that no rate applies, and until when.
    #[test]
    fn efter_satsens_udloeb_siges_det_tydeligt() {
        let p = p();
        let mut a = udfyldt();
        a.forloeb.startdato = "2036-01-02".into();
        a.forloeb.slutdato = "2036-12-31".into();
        let fejl = a.trinfejl(2, &Kontekst { p_enheder: &p });
        let besked = fejl.iter().find(|e| e.felt == "ansat_fra").map(|e| e.besked.as_str());
        assert_eq!(
            besked,
            Some("Der er ingen gældende tilskudssats pr. 02-01-2036. Satsen for voksenlærlinge gælder til 31-12-2035.")
        );
    }

    #[test]
    fn under_25_ved_start_afvises() {
        let p = p();
        let mut a = udfyldt();
        a.borgeren.cpr = "0101054234".into(); // born 2005 (7th digit 4): 22 in 2027
        let fejl = a.trinfejl(2, &Kontekst { p_enheder: &p });
        assert!(fejl.iter().any(|e| e.felt == "cpr" && e.besked.contains("fyldt 25")), "{fejl:?}");
        let cpr = Cpr::parse("0103004234", "cpr").expect("cpr"); // born 1 March 2000 (7th digit 4)
        assert_eq!(cpr.alder_paa(crate::periode::parse_dato("2025-02-28", "x").expect("d")), 24);
        assert_eq!(cpr.alder_paa(crate::periode::parse_dato("2025-03-01", "x").expect("d")), 25);
    }

    #[test]
    fn ingen_konfliktspoergsmaal_og_ingen_repraesentant() {
        let s = Skemadata::Voksenlaerling(udfyldt());
        let navne: Vec<&str> =
            (1..=s.antal_trin()).flat_map(|n| s.trin(n).expect("trin").felter().map(|f| f.navn)).collect();
        assert!(!navne.contains(&"konfliktramt") && !navne.contains(&"rep_navn"), "{navne:?}");
        assert!(s.dele().repraesentant.is_none());
    }
}
