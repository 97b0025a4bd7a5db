//! The fleksjob request (fleksjobanmodning): the company asks the jobcentre to approve a
//! fleksjob for a person, with the wage type and the starting wage (seed 003: "Lønoplysninger:
//! Type, startløn (kun gældende for fleksjob)") and the job's content (seed 003:
//! "Jobindholdsbeskrivelse/arbejdsfunktion (gældende for løntilskud og fleksjob)"). The
//! jobcentre answers with a fleksjobvurdering that holds its assessment of the work intensity
//! in % (`afgoerelse::Afgoerelsesfelt::Arbejdsintensitet`; seed 002 §4.2). There is no hearing
//! and no labour-conflict question (the profile).
//!
//! The shared parts come from [`crate::skema::dele`]; this module adds the kind of fleksjob,
//! whether the person is employed in their own company, and the wage.

use crate::FieldError;
use crate::beloeb::Beloeb;
use crate::ordning::Ordning;
use crate::skema::Skema;
use crate::skema::dele::{
    ARBEJDSSTEDET, BORGEREN, Borgeren, CprKrav, FORLOEB, Forloeb, Jobbet, KONTAKTPERSONER, Kontaktpersoner, Kontekst,
    Opsummering, Virksomheden, ja_nej,
};
use crate::skema::felt::{Felt, Feltart, Trin};
use serde::{Deserialize, Serialize};

/// The request as the company has filled it so far; flat JSON like every form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FleksjobAnmodning {
    #[serde(flatten)]
    pub virksomheden: Virksomheden,
    #[serde(flatten)]
    pub borgeren: Borgeren,
    /// "midlertidigt" or "permanent".
    pub fleksjobtype: String,
    /// "ja" when the person is employed in their own company (a self-employed person).
    pub egen_virksomhed: String,
    #[serde(flatten)]
    pub forloeb: Forloeb,
    /// "timeloen" or "maanedsloen" (seed 003: the wage's type).
    pub loenform: String,
    /// The starting wage in kroner, per hour or per month as `loenform` says (seed 003).
    pub startloen: String,
    #[serde(flatten)]
    pub jobbet: Jobbet,
    #[serde(flatten)]
    pub kontakt: Kontaktpersoner,
    #[serde(flatten)]
    pub opsummering: Opsummering,
}

const FLEKSJOBTYPE: &[(&str, &str)] = &[("midlertidigt", "Midlertidigt fleksjob"), ("permanent", "Permanent fleksjob")];
const LOENFORM: &[(&str, &str)] = &[("timeloen", "Timeløn"), ("maanedsloen", "Månedsløn")];

const FLEKSJOBBET: &[Felt] = &[
    Felt::ny("fleksjobtype", "Hvilken slags fleksjob søger I om?", Feltart::Valg(FLEKSJOBTYPE)).hjaelp(
        "Et fleksjob er midlertidigt i de første 5 år. Et permanent fleksjob kræver, at jobcentret har vurderet det.",
    ),
    Felt::ny("egen_virksomhed", "Er personen ansat i egen virksomhed?", Feltart::JaNej)
        .hjaelp("Svar Ja, hvis personen ejer virksomheden eller driver den som selvstændig."),
];

const LOENNEN: &[Felt] = &[
    Felt::ny("loenform", "Lønform", Feltart::Valg(LOENFORM)),
    Felt::ny("startloen", "Startløn (kr.)", Feltart::Decimal)
        .hjaelp("Lønnen ved ansættelsen, pr. time eller pr. måned efter lønformen, fx 165,00."),
];

const STILLINGEN: &[Felt] = &[
    Felt::ny("stillingsbetegnelse", "Stillingsbetegnelse", Feltart::Tekst),
    Felt::ny("jobindhold", "Jobindhold og arbejdsfunktion", Feltart::Tekstomraade { max: 2000 })
        .hjaelp("Beskriv opgaverne og de skånehensyn, jobbet tager. Højst 2.000 tegn."),
];

/// The steps before the summary: the workplace, the person and the employment, the contacts.
const TRIN: &[Trin] = &[
    Trin { titel: "Virksomheden", grupper: &[ARBEJDSSTEDET], blok: None },
    Trin {
        titel: "Personen og fleksjobbet",
        grupper: &[BORGEREN, FLEKSJOBBET, FORLOEB, LOENNEN, STILLINGEN],
        blok: None,
    },
    Trin { titel: "Kontaktpersoner", grupper: &[KONTAKTPERSONER], blok: None },
];

/// The message when a permanent fleksjob is asked for a person employed in their own company.
pub const PERMANENT_I_EGEN_VIRKSOMHED: &str = "Et permanent fleksjob kan ikke bevilges til en person, der er ansat i egen \
     virksomhed. Fleksjob i egen virksomhed gives for 5 år ad gangen (lov om en aktiv beskæftigelsesindsats, \
     kapitel 20). Vælg midlertidigt fleksjob.";

impl FleksjobAnmodning {
    fn fleksjobbets_fejl(&self, fejl: &mut Vec<FieldError>) {
        if !FLEKSJOBTYPE.iter().any(|(k, _)| *k == self.fleksjobtype) {
            fejl.push(FieldError::new("fleksjobtype", "Vælg midlertidigt eller permanent fleksjob"));
        }
        ja_nej(&self.egen_virksomhed, "egen_virksomhed", fejl);
        // Seed 001 §3.3 ("Permanent fleksjob for selvstændige"): VITAS refuses a permanent
        // fleksjob for a person employed in their own company; LAB kapitel 20 gives the
        // self-employed a fleksjob for 5 years at a time.
        if self.fleksjobtype == "permanent" && self.egen_virksomhed == "ja" {
            fejl.push(FieldError::new("fleksjobtype", PERMANENT_I_EGEN_VIRKSOMHED));
        }
    }

    fn loennens_fejl(&self, fejl: &mut Vec<FieldError>) {
        if !LOENFORM.iter().any(|(k, _)| *k == self.loenform) {
            fejl.push(FieldError::new("loenform", "Vælg timeløn eller månedsløn"));
        }
        // Seed 003: the starting wage is registered; a fleksjob is paid for the work done, so
        // it is a positive amount.
        match Beloeb::parse(&self.startloen, "startloen") {
            Err(e) => fejl.push(e),
            Ok(b) if b.oere() <= 0 => fejl.push(FieldError::new("startloen", "Startlønnen skal være større end 0 kr.")),
            Ok(_) => {}
        }
    }
}

impl Skema for FleksjobAnmodning {
    fn trin(&self) -> &'static [Trin] {
        TRIN
    }

    fn trinfejl(&self, nummer: u8, k: &Kontekst<'_>) -> Vec<FieldError> {
        let o = Ordning::Fleksjob;
        let mut fejl = Vec::new();
        match nummer {
            1 => self.virksomheden.fejl(k, o.profil().konfliktlaas, &mut fejl),
            2 => {
                self.borgeren.fejl(CprKrav::Altid, &mut fejl);
                self.fleksjobbets_fejl(&mut fejl);
                self.forloeb.fejl(&o.profil().periode, &mut fejl);
                self.loennens_fejl(&mut fejl);
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

    fn udfyldt() -> FleksjobAnmodning {
        FleksjobAnmodning {
            virksomheden: eksempel::virksomheden(),
            borgeren: eksempel::borgeren(),
            fleksjobtype: "midlertidigt".into(),
            egen_virksomhed: "nej".into(),
            forloeb: Forloeb { startdato: "2027-01-04".into(), slutdato: "2031-12-31".into(), timer: "12,5".into() },
            loenform: "timeloen".into(),
            startloen: "165,00".into(),
            jobbet: Jobbet { stillingsbetegnelse: "Kontorassistent".into(), jobindhold: "Post og arkiv".into() },
            kontakt: eksempel::kontakt(),
            ..Default::default()
        }
    }

    fn fejl(a: &FleksjobAnmodning, nummer: u8) -> Vec<FieldError> {
        let p = vec!["1000000001".to_string()];
        a.trinfejl(nummer, &Kontekst { p_enheder: &p })
    }

    #[test]
    fn en_udfyldt_anmodning_er_gyldig_uden_hoering() {
        let p = vec!["1000000001".to_string()];
        let g = Skemadata::Fleksjob(udfyldt()).indsendelse(&Kontekst { p_enheder: &p }).expect("gyldig");
        assert!(!g.hoering);
        assert_eq!(g.timer.hundredths(), 1250);
    }

    /// Seed 001 §3.3: no permanent fleksjob for a person employed in their own company; the
    /// message cites the rule. A temporary one is fine, and so is a permanent one for others.
    #[test]
    fn permanent_fleksjob_i_egen_virksomhed_afvises_med_reglen() {
        let mut a = udfyldt();
        a.egen_virksomhed = "ja".into();
        assert!(fejl(&a, 2).is_empty(), "midlertidigt i egen virksomhed er tilladt");
        a.fleksjobtype = "permanent".into();
        let f = fejl(&a, 2);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].felt, "fleksjobtype");
        assert!(f[0].besked.contains("kapitel 20"), "{}", f[0].besked);
        a.egen_virksomhed = "nej".into();
        assert!(fejl(&a, 2).is_empty());
    }

    #[test]
    fn loenform_og_startloen_skal_udfyldes() {
        let mut a = udfyldt();
        a.loenform = "akkord".into();
        a.startloen = "0".into();
        let f = fejl(&a, 2);
        assert!(f.iter().any(|e| e.felt == "loenform"), "{f:?}");
        assert!(f.iter().any(|e| e.felt == "startloen" && e.besked.contains("større end 0")), "{f:?}");
        a.startloen = String::new();
        assert!(fejl(&a, 2).iter().any(|e| e.felt == "startloen" && e.besked == crate::error::MANGLER));
    }

    #[test]
    fn fleksjob_er_sin_egen_formular() {
        let s = Skemadata::Fleksjob(udfyldt());
        let json = s.json().expect("json");
        assert!(json.contains(r#""ordning":"fleksjob""#), "{json}");
        assert_eq!(Skemadata::laes(Ordning::Fleksjob, &json), Ok(Some(s)));
    }
}
