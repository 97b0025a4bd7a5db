//! The IGU agreement (integrationsgrunduddannelse; DOMAIN.md "Schemes" and "Facts": ages
//! 18–49, 24 months, the agreement and the teaching plan made within one month). The company
//! fills and signs it, the citizen signs it too, then the jobcentre decides (the profile's
//! life cycle `AftaleMedBorger`, decision 97). The shared parts come from
//! [`crate::skema::dele`]; this module adds the wage and the school part with its teaching
//! plan (uddannelsesplan), and the rules on age and on when the plan is made.
//!
//! The law: lov om integrationsgrunduddannelse (igu), lov nr. 623 af 8. juni 2016 with later
//! amendments (L 202, 2020-21: 23 weeks of school teaching).

use crate::FieldError;
use crate::beloeb::Beloeb;
use crate::ident::Cpr;
use crate::ordning::Ordning;
use crate::periode::{dansk_dato, parse_dato};
use crate::skema::Skema;
use crate::skema::dele::{
    ARBEJDSSTEDET, Borgeren, FORLOEB, Forloeb, Jobbet, KONTAKTPERSONER, Kontaktpersoner, Kontekst, NAVN_MAX,
    Opsummering, SAMTYKKE_OG_CPR, Virksomheden, paakraevet_tekst,
};
use crate::skema::felt::{Felt, Feltart, Trin};
use crate::tekst::FRITEKST_MAX;
use serde::{Deserialize, Serialize};

/// The agreement as the company has filled it so far; flat JSON like every form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IguAftale {
    #[serde(flatten)]
    pub virksomheden: Virksomheden,
    #[serde(flatten)]
    pub borgeren: Borgeren,
    #[serde(flatten)]
    pub forloeb: Forloeb,
    #[serde(flatten)]
    pub jobbet: Jobbet,
    /// The hourly wage agreed, in kroner as typed ("72,50").
    pub timeloen: String,
    /// Where the school part takes place (the teaching institution).
    pub uddannelsessted: String,
    /// A summary of the teaching plan (uddannelsesplan): what the school part holds.
    pub uddannelsesplan: String,
    /// The day the teaching plan is made, as typed.
    pub uddannelsesplan_dato: String,
    #[serde(flatten)]
    pub kontakt: Kontaktpersoner,
    #[serde(flatten)]
    pub opsummering: Opsummering,
}

const ANSAETTELSEN: &[Felt] = &[
    Felt::ny("stillingsbetegnelse", "Stillingsbetegnelse", Feltart::Tekst),
    Felt::ny("jobindhold", "Arbejdsopgaver i den lønnede praktik", Feltart::Tekstomraade { max: 2000 })
        .hjaelp("Højst 2.000 tegn."),
    Felt::ny("timeloen", "Aftalt timeløn (kr.)", Feltart::Decimal)
        .hjaelp("Lønnen i den lønnede praktik efter overenskomsten, fx 72,50."),
];

const SKOLEDELEN: &[Felt] = &[
    Felt::ny("uddannelsessted", "Uddannelsessted", Feltart::Tekst)
        .hjaelp("Det sted, der står for skoleundervisningen, fx et AMU-center eller en sprogskole."),
    Felt::ny("uddannelsesplan", "Uddannelsesplan: skoleundervisningens indhold", Feltart::Tekstomraade { max: 2000 })
        .hjaelp("Kort om forløbets skoleundervisning, som i alt udgør 23 uger. Højst 2.000 tegn."),
    Felt::ny("uddannelsesplan_dato", "Dato for uddannelsesplanen", Feltart::Dato)
        .hjaelp("Planen skal være lavet senest en måned efter, at ansættelsen starter."),
];

/// The steps before the summary: the workplace, the citizen and the employment, the school
/// part, the contacts. No representative: the life cycle has no hearing; the citizen signs.
const TRIN: &[Trin] = &[
    Trin { titel: "Virksomheden", grupper: &[ARBEJDSSTEDET], blok: None },
    Trin { titel: "Borgeren og ansættelsen", grupper: &[SAMTYKKE_OG_CPR, FORLOEB, ANSAETTELSEN], blok: None },
    Trin { titel: "Skoledelen og uddannelsesplanen", grupper: &[SKOLEDELEN], blok: None },
    Trin { titel: "Kontaktpersoner", grupper: &[KONTAKTPERSONER], blok: None },
];

/// DOMAIN.md "Facts": IGU is for persons aged 18 to 49 (both included) at the start.
const ALDER: std::ops::RangeInclusive<i32> = 18..=49;

impl IguAftale {
    fn ansaettelsens_fejl(&self, fejl: &mut Vec<FieldError>) {
        let start = parse_dato(&self.forloeb.startdato, "startdato").ok();
        // DOMAIN.md "Facts": ages 18–49 when the agreement starts.
        if let (Ok(cpr), Some(d)) = (Cpr::parse(&self.borgeren.cpr, "cpr"), start)
            && !ALDER.contains(&cpr.alder_paa(d))
        {
            fejl.push(FieldError::new("cpr", "Borgeren skal være mellem 18 og 49 år, når IGU-forløbet starter"));
        }
        // Seed 003 registers the wage; an agreement without one is not an employment.
        match Beloeb::parse(&self.timeloen, "timeloen") {
            Ok(b) if b.oere() == 0 => fejl.push(FieldError::new("timeloen", "Timelønnen skal være større end 0")),
            Ok(_) => {}
            Err(e) => fejl.push(e),
        }
    }

    fn skoledelens_fejl(&self, fejl: &mut Vec<FieldError>) {
        paakraevet_tekst(&self.uddannelsessted, "uddannelsessted", NAVN_MAX, fejl);
        // Seed 001 §1.8: free text at most 2000 characters.
        paakraevet_tekst(&self.uddannelsesplan, "uddannelsesplan", FRITEKST_MAX, fejl);
        let plan = match parse_dato(&self.uddannelsesplan_dato, "uddannelsesplan_dato") {
            Ok(d) => d,
            Err(e) => return fejl.push(e),
        };
        // DOMAIN.md "Facts": the agreement and the teaching plan are made within one month.
        if let Ok(start) = parse_dato(&self.forloeb.startdato, "startdato")
            && let Some(senest) = start.checked_add_months(chrono::Months::new(1))
            && plan > senest
        {
            fejl.push(FieldError::new(
                "uddannelsesplan_dato",
                format!(
                    "Uddannelsesplanen skal laves senest en måned efter ansættelsens start, dvs. senest {}",
                    dansk_dato(senest)
                ),
            ));
        }
    }
}

impl Skema for IguAftale {
    fn trin(&self) -> &'static [Trin] {
        TRIN
    }

    fn trinfejl(&self, nummer: u8, k: &Kontekst<'_>) -> Vec<FieldError> {
        let o = Ordning::Igu;
        let mut fejl = Vec::new();
        match nummer {
            1 => self.virksomheden.fejl(k, o.profil().konfliktlaas, &mut fejl),
            2 => {
                self.borgeren.cpr_fejl(&mut fejl);
                self.forloeb.fejl(&o.profil().periode, &mut fejl);
                self.jobbet.fejl(&mut fejl);
                self.ansaettelsens_fejl(&mut fejl);
            }
            3 => self.skoledelens_fejl(&mut fejl),
            4 => self.kontakt.fejl(&mut fejl),
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

    fn udfyldt() -> IguAftale {
        IguAftale {
            virksomheden: eksempel::virksomheden(),
            borgeren: Borgeren { oeremaerket: String::new(), ..eksempel::borgeren() },
            forloeb: Forloeb { startdato: "2027-03-01".into(), slutdato: "2029-02-28".into(), timer: "37".into() },
            jobbet: Jobbet { stillingsbetegnelse: "Køkkenmedhjælper".into(), jobindhold: "Tilberedning".into() },
            timeloen: "72,50".into(),
            uddannelsessted: "AMU Syd".into(),
            uddannelsesplan: "Dansk og hygiejnekursus".into(),
            uddannelsesplan_dato: "2027-03-20".into(),
            kontakt: eksempel::kontakt(),
            ..Default::default()
        }
    }

    fn k(p: &[String]) -> Kontekst<'_> {
        Kontekst { p_enheder: p }
    }

    #[test]
    fn en_udfyldt_aftale_er_gyldig_uden_hoering_og_uden_oeremaerkning() {
        let p = vec!["1000000001".to_string()];
        let s = Skemadata::Igu(udfyldt());
        let g = s.indsendelse(&k(&p)).expect("gyldig");
        assert!(!g.hoering, "IGU har ingen høring");
        assert_eq!(s.antal_trin(), 5);
        let navne: Vec<&str> =
            (1..=s.antal_trin()).flat_map(|n| s.trin(n).expect("trin").felter().map(|f| f.navn)).collect();
        assert!(!navne.contains(&"oeremaerket") && !navne.contains(&"konfliktramt"), "{navne:?}");
    }

    /// DOMAIN.md "Facts": 18–49 at the start; 17 and 50 are refused, 18 and 49 pass.
    #[test]
    fn alderen_18_til_49_ved_start() {
        let p = vec!["1000000001".to_string()];
        for (cpr, gyldig) in [
            ("0103094234", true),  // born 1 March 2009: 18 on 1 March 2027
            ("0203094234", false), // born 2 March 2009: 17 on 1 March 2027
            ("0203771234", true),  // born 2 March 1977: 49 on 1 March 2027
            ("0103771234", false), // born 1 March 1977: 50 on 1 March 2027
        ] {
            let mut a = udfyldt();
            a.borgeren.cpr = cpr.into();
            let fejl = a.trinfejl(2, &k(&p));
            assert_eq!(fejl.iter().all(|e| e.felt != "cpr"), gyldig, "{cpr}: {fejl:?}");
        }
    }

    /// DOMAIN.md "Facts": the teaching plan is made within one month of the start.
    #[test]
    fn uddannelsesplanen_senest_en_maaned_efter_start() {
        let p = vec!["1000000001".to_string()];
        let mut a = udfyldt();
        a.uddannelsesplan_dato = "2027-04-01".into();
        assert!(a.trinfejl(3, &k(&p)).is_empty(), "præcis en måned er i orden");
        a.uddannelsesplan_dato = "2027-04-02".into();
        let fejl = a.trinfejl(3, &k(&p));
        assert_eq!(fejl.len(), 1, "{fejl:?}");
        assert!(fejl[0].besked.contains("senest 01-04-2027"), "{fejl:?}");
    }

    /// DOMAIN.md "Facts": 24 months is the profile's bound on the period.
    #[test]
    fn perioden_hoejst_24_maaneder() {
        let p = vec!["1000000001".to_string()];
        let mut a = udfyldt();
        a.forloeb.slutdato = "2029-06-30".into();
        let fejl = a.trinfejl(2, &k(&p));
        assert!(fejl.iter().any(|e| e.felt == "slutdato"), "{fejl:?}");
    }

    #[test]
    fn timeloennen_skal_vaere_positiv() {
        let p = vec!["1000000001".to_string()];
        let mut a = udfyldt();
        a.timeloen = "0".into();
        assert!(a.trinfejl(2, &k(&p)).iter().any(|e| e.felt == "timeloen"));
    }
}
