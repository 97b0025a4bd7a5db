//! The virksomhedspraktik and nytteindsats application forms (DOMAIN.md "Schemes": the
//! rimelighedskrav and the purpose of the internship; seed 002 §2.1 for the labour-conflict
//! lock). Both are LAB kapitel 11: the company applies, the employee representative is
//! heard, the jobcentre grants. The shared parts come from [`crate::skema::dele`]; this module
//! adds the placement's own fields: its title, its purpose and its tasks. There is no wage:
//! the citizen keeps their benefit.
//!
//! Nytteindsats has the same fields under its own words and is its own scheme everywhere
//! (DOMAIN.md: "listed separately from virksomhedspraktik everywhere"): its own variant of
//! the stored form, tagged `nytteindsats`, its own profile row and its own API tag.

use crate::FieldError;
use crate::krav::KravResultat;
use crate::ordning::Ordning;
use crate::skema::Skema;
use crate::skema::dele::{
    ARBEJDSSTEDET, BORGEREN_OEREMAERKET, Borgeren, CprKrav, FORLOEB, Forloeb, Jobbet, KONFLIKT, KONTAKTPERSONER,
    Kontaktpersoner, Kontekst, Opsummering, REPRAESENTANT, RIMELIGHED, Repraesentant, Rimelighed, Virksomheden,
    paakraevet_tekst,
};
use crate::skema::felt::{Felt, Feltart, Trin};
use crate::tekst::FRITEKST_MAX;
use serde::{Deserialize, Serialize};

/// The form as the company has filled it so far; flat JSON like every form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PraktikAnsoegning {
    #[serde(flatten)]
    pub virksomheden: Virksomheden,
    #[serde(flatten)]
    pub rimelighed: Rimelighed,
    #[serde(flatten)]
    pub borgeren: Borgeren,
    #[serde(flatten)]
    pub forloeb: Forloeb,
    #[serde(flatten)]
    pub jobbet: Jobbet,
    /// What the internship is for (DOMAIN.md "Schemes"; seed 003 lists "formål (praktik)"
    /// among the data registered).
    pub formaal: String,
    #[serde(flatten)]
    pub kontakt: Kontaktpersoner,
    #[serde(flatten)]
    pub repraesentant: Repraesentant,
    #[serde(flatten)]
    pub opsummering: Opsummering,
}

const NYTTEINDSATSEN: &[Felt] = &[
    Felt::ny("stillingsbetegnelse", "Opgaveområde", Feltart::Tekst)
        .hjaelp("Det område, borgeren skal udføre nytteindsats i, fx Park og vej."),
    Felt::ny("formaal", "Formålet med nytteindsatsen", Feltart::Tekstomraade { max: 2000 }).hjaelp("Højst 2.000 tegn."),
    Felt::ny("jobindhold", "Opgaver i nytteindsatsen", Feltart::Tekstomraade { max: 2000 })
        .hjaelp("Beskriv opgaverne. Højst 2.000 tegn."),
];

const PRAKTIKKEN: &[Felt] = &[
    Felt::ny("stillingsbetegnelse", "Praktikstilling", Feltart::Tekst)
        .hjaelp("Det område, borgeren skal i praktik i, fx Lager eller Køkken."),
    Felt::ny("formaal", "Formålet med praktikken", Feltart::Tekstomraade { max: 2000 })
        .hjaelp("Fx at afklare borgerens faglige kompetencer eller at opøve faglige kompetencer. Højst 2.000 tegn."),
    Felt::ny("jobindhold", "Arbejdsopgaver i praktikken", Feltart::Tekstomraade { max: 2000 })
        .hjaelp("Beskriv opgaverne. Højst 2.000 tegn."),
];

/// The steps before the summary: the løntilskud guide's order (seed 004), with the
/// internship in place of the employment.
const TRIN: &[Trin] = &[
    Trin { titel: "Virksomheden", grupper: &[ARBEJDSSTEDET, KONFLIKT], blok: None },
    Trin { titel: "Yderligere virksomhedsoplysninger", grupper: &[RIMELIGHED], blok: None },
    Trin { titel: "Praktikken", grupper: &[BORGEREN_OEREMAERKET, FORLOEB, PRAKTIKKEN], blok: None },
    Trin { titel: "Kontaktpersoner", grupper: &[KONTAKTPERSONER, REPRAESENTANT], blok: None },
];

/// Nytteindsats's steps: praktik's, with the placement in its own words.
const TRIN_NYTTEINDSATS: &[Trin] = &[
    Trin { titel: "Virksomheden", grupper: &[ARBEJDSSTEDET, KONFLIKT], blok: None },
    Trin { titel: "Yderligere virksomhedsoplysninger", grupper: &[RIMELIGHED], blok: None },
    Trin { titel: "Nytteindsatsen", grupper: &[BORGEREN_OEREMAERKET, FORLOEB, NYTTEINDSATSEN], blok: None },
    Trin { titel: "Kontaktpersoner", grupper: &[KONTAKTPERSONER, REPRAESENTANT], blok: None },
];

impl PraktikAnsoegning {
    /// The errors of step `nummer` with `ordning`'s period bounds.
    fn fejl_for(&self, ordning: Ordning, nummer: u8, k: &Kontekst<'_>) -> Vec<FieldError> {
        let mut fejl = Vec::new();
        match nummer {
            1 => self.virksomheden.fejl(k, ordning.profil().konfliktlaas, &mut fejl),
            2 => self.rimelighed.fejl(&mut fejl),
            3 => {
                self.borgeren.fejl(CprKrav::KunOeremaerket, &mut fejl);
                self.forloeb.fejl(&ordning.profil().periode, &mut fejl);
                self.jobbet.fejl(&mut fejl);
                // DOMAIN.md "Schemes": the purpose of the internship is stated.
                paakraevet_tekst(&self.formaal, "formaal", FRITEKST_MAX, &mut fejl);
            }
            4 => {
                self.kontakt.fejl(&mut fejl);
                self.repraesentant.fejl(&mut fejl);
            }
            _ => {}
        }
        fejl
    }
}

impl Skema for PraktikAnsoegning {
    fn trin(&self) -> &'static [Trin] {
        TRIN
    }

    fn trinfejl(&self, nummer: u8, k: &Kontekst<'_>) -> Vec<FieldError> {
        self.fejl_for(Ordning::Virksomhedspraktik, nummer, k)
    }

    /// DOMAIN.md "Schemes": the rimelighedskrav applies; there is no merbeskæftigelseskrav.
    fn krav(&self) -> Vec<(&'static str, KravResultat)> {
        self.rimelighed.krav().into_iter().collect()
    }

    crate::skema::dele_med_standardnavne!();
}

/// The nytteindsats form: praktik's fields, stored flat under the tag `nytteindsats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NytteindsatsAnsoegning(pub PraktikAnsoegning);

impl Skema for NytteindsatsAnsoegning {
    fn trin(&self) -> &'static [Trin] {
        TRIN_NYTTEINDSATS
    }

    fn trinfejl(&self, nummer: u8, k: &Kontekst<'_>) -> Vec<FieldError> {
        self.0.fejl_for(Ordning::Nytteindsats, nummer, k)
    }

    /// DOMAIN.md "Facts": nytteindsats counts in the rimelighedskrav like praktik.
    fn krav(&self) -> Vec<(&'static str, KravResultat)> {
        self.0.krav()
    }

    fn dele(&self) -> crate::skema::Dele<'_> {
        self.0.dele()
    }

    fn dele_mut(&mut self) -> crate::skema::DeleMut<'_> {
        self.0.dele_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skema::Skemadata;
    use crate::skema::dele::eksempel;

    fn udfyldt() -> PraktikAnsoegning {
        PraktikAnsoegning {
            virksomheden: eksempel::virksomheden(),
            rimelighed: Rimelighed { rimelighed_ansatte: "4,00".into(), allerede_stoettede: "0".into() },
            borgeren: eksempel::borgeren(),
            forloeb: Forloeb { startdato: "2027-01-04".into(), slutdato: "2027-03-28".into(), timer: "30".into() },
            jobbet: Jobbet { stillingsbetegnelse: "Lager".into(), jobindhold: "Plukning".into() },
            formaal: "At afklare borgerens kompetencer".into(),
            kontakt: eksempel::kontakt(),
            repraesentant: eksempel::repraesentant(),
            ..Default::default()
        }
    }

    #[test]
    fn en_udfyldt_praktik_er_gyldig_og_hoeres() {
        let p = vec!["1000000001".to_string()];
        let g = Skemadata::Virksomhedspraktik(udfyldt()).indsendelse(&Kontekst { p_enheder: &p }).expect("gyldig");
        assert!(g.hoering);
        assert_eq!(g.periode.dage(), 84);
    }

    #[test]
    fn formaalet_skal_udfyldes_og_perioden_er_hoejst_13_uger() {
        let p = vec!["1000000001".to_string()];
        let k = Kontekst { p_enheder: &p };
        let mut a = udfyldt();
        a.formaal.clear();
        a.forloeb.slutdato = "2027-04-05".into();
        let fejl = a.trinfejl(3, &k);
        assert!(fejl.iter().any(|e| e.felt == "formaal" && e.besked == crate::error::MANGLER), "{fejl:?}");
        assert!(fejl.iter().any(|e| e.felt == "slutdato" && e.besked.contains("højst vare 91 dage")), "{fejl:?}");
    }

    /// Nytteindsats is its own scheme: its own tag and words, praktik's rules.
    #[test]
    fn nytteindsats_er_sin_egen_ordning() {
        let n = Skemadata::Nytteindsats(NytteindsatsAnsoegning(udfyldt()));
        let json = n.json().expect("json");
        assert!(json.contains(r#""ordning":"nytteindsats""#), "{json}");
        assert!(json.contains(r#""formaal":"#), "flad JSON: {json}");
        assert_eq!(Skemadata::laes(Ordning::Nytteindsats, &json), Ok(Some(n.clone())));
        assert!(Skemadata::laes(Ordning::Virksomhedspraktik, &json).is_err());
        assert_eq!(n.trin(3).map(|t| t.titel), Some("Nytteindsatsen"));
        let p = vec!["1000000001".to_string()];
        assert!(n.indsendelse(&Kontekst { p_enheder: &p }).is_ok());
    }

    #[test]
    fn kun_rimelighedskravet() {
        let krav = udfyldt().krav();
        assert_eq!(krav.iter().map(|(n, _)| *n).collect::<Vec<_>>(), ["Rimelighedskravet"]);
    }
}
