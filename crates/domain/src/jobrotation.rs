//! The jobrotation application form (issue 13 §2; DOMAIN.md "Schemes" and "Facts"; LAB, LBK
//! nr. 701 af 22/05/2022, kapitel 16). The company lists its employees who go on a course
//! (Trin 2) and the substitutes (vikarer) it hires meanwhile (Trin 3), each a repeatable group
//! of rows with an education level (`skema::felt::Gruppe`). The case's citizen is the first
//! substitute: the unemployed person the jobcentre serves (decision 95); every person's CPR
//! (substitutes and employees alike, seed 003) needs the consent and gets its name from DFDG
//! like the shared citizen part. There is no hearing (the profile's life cycle), and the
//! labour-conflict lock applies (seed 002 §2.1).

use crate::FieldError;
use crate::ident::Cpr;
use crate::ordning::Ordning;
use crate::periode::{Periode, Periodegraenser, parse_dato};
use crate::skema::dele::{
    ARBEJDSSTEDET, BORGEREN, Borgeren, CprKrav, FORLOEB, Forloeb, Jobbet, KONFLIKT, KONTAKTPERSONER, Kontaktpersoner,
    Kontekst, Opsummering, SAMTYKKE_OG_CPR, Virksomheden, ja_nej, paakraevet_tekst,
};
use crate::skema::felt::{Blok, Felt, Feltart, Gruppe, Trin};
use crate::skema::{Dele, DeleMut, Skema};
use crate::tekst::{FRITEKST_MAX, fritekst};
use crate::timer::TimerPrUge;
use chrono::Months;
use serde::{Deserialize, Serialize};

/// The form as the company has filled it so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JobrotationAnsoegning {
    #[serde(flatten)]
    pub virksomheden: Virksomheden,
    /// Trin 2: the employees on courses.
    pub ansatte: Vec<KursusMedarbejder>,
    /// Trin 3: the substitutes; the first is the case's citizen (decision 95).
    pub vikarer: Vec<Vikar>,
    #[serde(flatten)]
    pub kontakt: Kontaktpersoner,
    #[serde(flatten)]
    pub opsummering: Opsummering,
}

/// A new form shows one empty row of each group (the groups' minimum).
impl Default for JobrotationAnsoegning {
    fn default() -> Self {
        JobrotationAnsoegning {
            virksomheden: Virksomheden::default(),
            ansatte: vec![KursusMedarbejder::default()],
            vikarer: vec![Vikar::default()],
            kontakt: Kontaktpersoner::default(),
            opsummering: Opsummering::default(),
        }
    }
}

/// An employee who goes on a course (uddannelse) while a substitute does the work. Seed 003
/// (its privacy notice to this employee): name from DFDG by CPR after consent, whether
/// ordinarily employed, the education background, the course and its school, dates and hours.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct KursusMedarbejder {
    /// The consent, the CPR and the name from DFDG (the øremærket answer is not asked).
    #[serde(flatten)]
    pub borgeren: Borgeren,
    pub stillingsbetegnelse: String,
    /// "ja"/"nej": ordinarily employed in the company (seed 003).
    pub ordinaert_ansat: String,
    #[serde(flatten)]
    pub uddannelse: Uddannelsesbaggrund,
    /// Employed in the company since (DOMAIN.md "Facts": at least 3 months at the course's start).
    pub ansat_siden: String,
    pub kursus: String,
    /// The school or place of education (seed 003).
    pub skole: String,
    /// The course's first and last day, and its hours a week (seed 003).
    pub startdato: String,
    pub slutdato: String,
    pub timer: String,
}

/// The education background as seed 003 notes it: unskilled, skilled, short, medium or long
/// higher education, and whether a long higher education is outdated (forældet).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Uddannelsesbaggrund {
    /// One of [`UDDANNELSESNIVEAU`]'s codes.
    pub uddannelsesniveau: String,
    pub uddannelse_foraeldet: bool,
}

/// A substitute: an unemployed citizen hired while an employee is on a course.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Vikar {
    #[serde(flatten)]
    pub borgeren: Borgeren,
    /// The education background (seed 003: "ordinær beskæftigelse og uddannelsesbaggrund").
    #[serde(flatten)]
    pub uddannelse: Uddannelsesbaggrund,
    /// The ordinary employment background (seed 003).
    pub beskaeftigelse: String,
    /// Unemployed since (DOMAIN.md "Facts": at least 6 months at the substitution's start).
    pub ledig_siden: String,
    #[serde(flatten)]
    pub jobbet: Jobbet,
    #[serde(flatten)]
    pub forloeb: Forloeb,
}

/// What the shared parts read when a form has no substitute row (a stored form from before
/// its rows, never a new one).
static INGEN_VIKAR: Vikar = Vikar {
    borgeren: Borgeren { samtykke: false, cpr: String::new(), borger_navn: String::new(), oeremaerket: String::new() },
    uddannelse: Uddannelsesbaggrund { uddannelsesniveau: String::new(), uddannelse_foraeldet: false },
    beskaeftigelse: String::new(),
    ledig_siden: String::new(),
    jobbet: Jobbet { stillingsbetegnelse: String::new(), jobindhold: String::new() },
    forloeb: Forloeb { startdato: String::new(), slutdato: String::new(), timer: String::new() },
};

/// The education levels of both groups, as seed 003 names them: "faglært, ufaglært, kort,
/// mellemlang eller lang videregående uddannelse".
pub const UDDANNELSESNIVEAU: &[(&str, &str)] = &[
    ("ufaglaert", "Ufaglært"),
    ("faglaert", "Faglært"),
    ("kort_videregaaende", "Kort videregående uddannelse"),
    ("mellemlang_videregaaende", "Mellemlang videregående uddannelse"),
    ("lang_videregaaende", "Lang videregående uddannelse"),
];

const UDDANNELSESBAGGRUND: &[Felt] = &[
    Felt::ny("uddannelsesniveau", "Uddannelsesbaggrund", Feltart::Valg(UDDANNELSESNIVEAU)),
    Felt::ny("uddannelse_foraeldet", "Den lange videregående uddannelse er forældet", Feltart::Afkrydsning)
        .valgfri()
        .hjaelp("Kun for en lang videregående uddannelse."),
];

const ANSAT_FELTER: &[Felt] = &[
    Felt::ny("stillingsbetegnelse", "Stillingsbetegnelse", Feltart::Tekst),
    Felt::ny("ordinaert_ansat", "Er medarbejderen ordinært ansat i virksomheden?", Feltart::JaNej),
    Felt::ny("ansat_siden", "Ansat i virksomheden siden", Feltart::Dato)
        .hjaelp("Medarbejderen skal have været ansat i mindst 3 måneder, når kurset begynder."),
];

const KURSET: &[Felt] = &[
    Felt::ny("kursus", "Kursus eller uddannelse", Feltart::Tekst),
    Felt::ny("skole", "Skole eller uddannelsessted", Feltart::Tekst),
    Felt::ny("startdato", "Kursets startdato", Feltart::Dato),
    Felt::ny("slutdato", "Kursets slutdato", Feltart::Dato),
    Felt::ny("timer", "Timer pr. uge på kursus", Feltart::Decimal).hjaelp("Skriv som decimaltal, fx 37 eller 32,5."),
];

const VIKAR_FELTER: &[Felt] = &[
    Felt::ny("beskaeftigelse", "Tidligere ordinær beskæftigelse", Feltart::Tekstomraade { max: 2000 })
        .hjaelp("Vikarens erhvervserfaring. Højst 2.000 tegn."),
    Felt::ny("ledig_siden", "Ledig siden", Feltart::Dato)
        .hjaelp("Vikaren skal have været ledig i mindst 6 måneder, når vikariatet begynder."),
];

const VIKARENS_STILLING: &[Felt] = &[
    Felt::ny("stillingsbetegnelse", "Vikarens stillingsbetegnelse", Feltart::Tekst),
    Felt::ny("jobindhold", "Vikarens arbejdsopgaver", Feltart::Tekstomraade { max: 2000 }).hjaelp("Højst 2.000 tegn."),
];

/// Trin 2's group (issue 13 §2: "employees on courses (Trin 2)").
pub static ANSATTE: Gruppe = Gruppe {
    noegle: "ansatte",
    titel: "Medarbejder på kursus",
    tilfoej: "Tilføj medarbejder",
    for_faa: "Tilføj mindst én medarbejder på kursus",
    felter: &[SAMTYKKE_OG_CPR, ANSAT_FELTER, UDDANNELSESBAGGRUND, KURSET],
    mindst: 1,
};

/// Trin 3's group (issue 13 §2: "substitutes (Trin 3)").
pub static VIKARER: Gruppe = Gruppe {
    noegle: "vikarer",
    titel: "Vikar",
    tilfoej: "Tilføj vikar",
    for_faa: "Tilføj mindst én vikar",
    felter: &[BORGEREN, UDDANNELSESBAGGRUND, VIKAR_FELTER, VIKARENS_STILLING, FORLOEB],
    mindst: 1,
};

const TRIN: &[Trin] = &[
    Trin { titel: "Virksomheden", grupper: &[ARBEJDSSTEDET, KONFLIKT], blok: None },
    Trin { titel: "Medarbejdere på kursus", grupper: &[], blok: Some(Blok::Gruppe(&ANSATTE)) },
    Trin { titel: "Vikarer", grupper: &[], blok: Some(Blok::Gruppe(&VIKARER)) },
    Trin { titel: "Kontaktpersoner", grupper: &[KONTAKTPERSONER], blok: None },
];

/// DOMAIN.md "Facts": the employee on course has been employed at least 3 months.
const ANSAT_MINDST_MAANEDER: u32 = 3;
/// DOMAIN.md "Facts": the substitute has been unemployed at least 6 months.
const LEDIG_MINDST_MAANEDER: u32 = 6;
/// DOMAIN.md "Facts": the substitute works at least 10 hours a week (hundredths).
const VIKAR_MINDST_TIMER: u32 = 10_00;

impl Uddannelsesbaggrund {
    fn fejl(&self, fejl: &mut Vec<FieldError>) {
        if !UDDANNELSESNIVEAU.iter().any(|(k, _)| *k == self.uddannelsesniveau) {
            fejl.push(FieldError::new("uddannelsesniveau", "Vælg en uddannelsesbaggrund"));
        }
        // Seed 003: only a long higher education is noted as outdated.
        if self.uddannelse_foraeldet && self.uddannelsesniveau != "lang_videregaaende" {
            fejl.push(FieldError::new("uddannelse_foraeldet", "Kun en lang videregående uddannelse kan være forældet"));
        }
    }
}

/// `dato` lies at least `maaneder` months before `start`; the error names `felt`.
fn mindst_maaneder_foer(
    dato: &str,
    start: Option<chrono::NaiveDate>,
    maaneder: u32,
    felt: &str,
    besked: &str,
    fejl: &mut Vec<FieldError>,
) {
    match parse_dato(dato, felt) {
        Err(e) => fejl.push(e),
        Ok(d) => {
            if let Some(graense) = start.and_then(|s| s.checked_sub_months(Months::new(maaneder)))
                && d > graense
            {
                fejl.push(FieldError::new(felt, besked));
            }
        }
    }
}

impl KursusMedarbejder {
    /// The row's errors, named by the row's own field names.
    pub fn fejl(&self) -> Vec<FieldError> {
        let mut fejl = Vec::new();
        // Seed 003: the name from DFDG by CPR, after the employee's consent.
        self.borgeren.cpr_fejl(&mut fejl);
        paakraevet_tekst(&self.stillingsbetegnelse, "stillingsbetegnelse", 100, &mut fejl);
        ja_nej(&self.ordinaert_ansat, "ordinaert_ansat", &mut fejl);
        self.uddannelse.fejl(&mut fejl);
        paakraevet_tekst(&self.kursus, "kursus", 100, &mut fejl);
        paakraevet_tekst(&self.skole, "skole", 100, &mut fejl);
        if let Err(e) = TimerPrUge::parse(&self.timer, "timer") {
            fejl.push(e);
        }
        let start = parse_dato(&self.startdato, "startdato").map_err(|e| fejl.push(e)).ok();
        let slut = parse_dato(&self.slutdato, "slutdato").map_err(|e| fejl.push(e)).ok();
        if let (Some(s), Some(e)) = (start, slut)
            && let Err(f) = Periode::ny(s, e, "slutdato")
        {
            fejl.push(f);
        }
        // DOMAIN.md "Facts": employed at least 3 months when the course starts.
        mindst_maaneder_foer(
            &self.ansat_siden,
            start,
            ANSAT_MINDST_MAANEDER,
            "ansat_siden",
            "Medarbejderen skal have været ansat i mindst 3 måneder, når kurset begynder",
            &mut fejl,
        );
        fejl
    }
}

impl Vikar {
    /// The row's errors, named by the row's own field names.
    pub fn fejl(&self, graenser: &Periodegraenser) -> Vec<FieldError> {
        let mut fejl = Vec::new();
        self.borgeren.fejl(CprKrav::Altid, &mut fejl);
        self.uddannelse.fejl(&mut fejl);
        // Seed 001 §1.8: free text at most 2000 characters.
        if let Err(e) = fritekst(&self.beskaeftigelse, "beskaeftigelse", FRITEKST_MAX, true) {
            fejl.push(e);
        }
        self.jobbet.fejl(&mut fejl);
        // The profile's bounds: DOMAIN.md "Facts", a substitute for at most 6 months.
        self.forloeb.fejl(graenser, &mut fejl);
        let start = parse_dato(&self.forloeb.startdato, "startdato").ok();
        // DOMAIN.md "Facts": unemployed at least 6 months when the substitution starts.
        mindst_maaneder_foer(
            &self.ledig_siden,
            start,
            LEDIG_MINDST_MAANEDER,
            "ledig_siden",
            "Vikaren skal have været ledig i mindst 6 måneder, når vikariatet begynder",
            &mut fejl,
        );
        // DOMAIN.md "Facts": at least 10 hours a week.
        if let Ok(t) = TimerPrUge::parse(&self.forloeb.timer, "timer")
            && t.hundredths() < VIKAR_MINDST_TIMER
        {
            fejl.push(FieldError::new("timer", "En vikar skal arbejde mindst 10 timer om ugen"));
        }
        fejl
    }
}

impl Skema for JobrotationAnsoegning {
    fn trin(&self) -> &'static [Trin] {
        TRIN
    }

    fn trinfejl(&self, nummer: u8, k: &Kontekst<'_>) -> Vec<FieldError> {
        let o = Ordning::Jobrotation;
        let mut fejl = Vec::new();
        match nummer {
            1 => self.virksomheden.fejl(k, o.profil().konfliktlaas, &mut fejl),
            2 => {
                ANSATTE.antalfejl(self.ansatte.len(), &mut fejl);
                for (i, a) in self.ansatte.iter().enumerate() {
                    ANSATTE.raekkefejl(i, a.fejl(), &mut fejl);
                }
            }
            3 => {
                VIKARER.antalfejl(self.vikarer.len(), &mut fejl);
                let mut set = std::collections::HashSet::new();
                for (i, v) in self.vikarer.iter().enumerate() {
                    let mut raekke = v.fejl(&o.profil().periode);
                    // Decision 95: one row per substitute; the same citizen twice is a typo.
                    if let Ok(cpr) = Cpr::parse(&v.borgeren.cpr, "cpr")
                        && !set.insert(cpr)
                    {
                        raekke.push(FieldError::new("cpr", "Den samme borger står allerede som vikar"));
                    }
                    VIKARER.raekkefejl(i, raekke, &mut fejl);
                }
            }
            4 => self.kontakt.fejl(&mut fejl),
            _ => {}
        }
        fejl
    }

    /// The case's citizen, period, hours and job are the first substitute's (decision 95).
    fn dele(&self) -> Dele<'_> {
        let v = self.vikarer.first().unwrap_or(&INGEN_VIKAR);
        Dele {
            virksomheden: &self.virksomheden,
            borgeren: &v.borgeren,
            forloeb: &v.forloeb,
            jobbet: &v.jobbet,
            kontakt: &self.kontakt,
            repraesentant: None,
            opsummering: &self.opsummering,
        }
    }

    fn dele_mut(&mut self) -> DeleMut<'_> {
        if self.vikarer.is_empty() {
            self.vikarer.push(Vikar::default());
        }
        let v = &mut self.vikarer[0];
        DeleMut {
            virksomheden: &mut self.virksomheden,
            borgeren: &mut v.borgeren,
            jobbet: &mut v.jobbet,
            opsummering: &mut self.opsummering,
        }
    }

    /// The substitutes first (the first is the case's citizen), then the employees on courses.
    fn personer(&self) -> Vec<&Borgeren> {
        self.vikarer.iter().map(|v| &v.borgeren).chain(self.ansatte.iter().map(|a| &a.borgeren)).collect()
    }

    fn personer_mut(&mut self) -> Vec<&mut Borgeren> {
        self.vikarer
            .iter_mut()
            .map(|v| &mut v.borgeren)
            .chain(self.ansatte.iter_mut().map(|a| &mut a.borgeren))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skema::Skemadata;
    use crate::skema::Visning;
    use crate::skema::dele::eksempel;
    use crate::skema::felt::Gruppehandling;

    fn vikar(cpr: &str) -> Vikar {
        Vikar {
            borgeren: Borgeren { cpr: cpr.into(), ..eksempel::borgeren() },
            uddannelse: Uddannelsesbaggrund { uddannelsesniveau: "faglaert".into(), uddannelse_foraeldet: false },
            beskaeftigelse: "Lagerarbejde i 5 år".into(),
            ledig_siden: "01-01-2026".into(),
            jobbet: Jobbet { stillingsbetegnelse: "Lagermedarbejder".into(), jobindhold: "Plukning".into() },
            forloeb: Forloeb { startdato: "01-03-2027".into(), slutdato: "31-07-2027".into(), timer: "37".into() },
        }
    }

    fn ansat() -> KursusMedarbejder {
        KursusMedarbejder {
            borgeren: Borgeren {
                samtykke: true,
                cpr: "020285-1234".into(),
                borger_navn: "Mette Holm".into(),
                oeremaerket: String::new(),
            },
            stillingsbetegnelse: "Truckfører".into(),
            ordinaert_ansat: "ja".into(),
            uddannelse: Uddannelsesbaggrund {
                uddannelsesniveau: "lang_videregaaende".into(),
                uddannelse_foraeldet: true,
            },
            ansat_siden: "01-01-2020".into(),
            kursus: "AMU Lager og logistik".into(),
            skole: "AMU Syd".into(),
            startdato: "01-03-2027".into(),
            slutdato: "30-04-2027".into(),
            timer: "37".into(),
        }
    }

    fn udfyldt() -> JobrotationAnsoegning {
        JobrotationAnsoegning {
            virksomheden: eksempel::virksomheden(),
            ansatte: vec![ansat()],
            vikarer: vec![vikar("010190-1234"), vikar("150385-2345")],
            kontakt: eksempel::kontakt(),
            opsummering: Opsummering::default(),
        }
    }

    fn p() -> Vec<String> {
        vec!["1000000001".to_string()]
    }

    #[test]
    fn en_udfyldt_ansoegning_sendes_med_den_foerste_vikar_som_borger() {
        let p = p();
        let s = Skemadata::Jobrotation(udfyldt());
        let g = s.indsendelse(&Kontekst { p_enheder: &p }).expect("gyldig");
        assert!(!g.hoering, "jobrotation har ingen høring");
        assert_eq!(g.cpr.as_ref().map(|c| c.as_str()), Some("0101901234"), "sagens borger er den første vikar");
        assert_eq!(s.personer().len(), 3, "to vikarer og en medarbejder på kursus");
        assert_eq!(s.personer()[2].borger_navn, "Mette Holm");
        assert_eq!(s.antal_trin(), 5);
    }

    /// DOMAIN.md "Facts": unemployed ≥ 6 months, ≥ 10 h/week, ≤ 6 months; employed ≥ 3 months.
    #[test]
    fn fakta_om_vikar_og_medarbejder_haandhaeves_i_raekken() {
        let p = p();
        let k = Kontekst { p_enheder: &p };
        let mut a = udfyldt();
        a.vikarer[1].ledig_siden = "01-12-2026".into();
        a.vikarer[1].forloeb.timer = "9,5".into();
        a.vikarer[1].forloeb.slutdato = "01-10-2027".into();
        let fejl = a.trinfejl(3, &k);
        let navne: Vec<&str> = fejl.iter().map(|e| e.felt.as_str()).collect();
        assert!(navne.contains(&"vikarer-1-ledig_siden"), "{fejl:?}");
        assert!(navne.contains(&"vikarer-1-timer"), "{fejl:?}");
        assert!(navne.contains(&"vikarer-1-slutdato"), "{fejl:?}");
        assert!(!navne.iter().any(|n| n.starts_with("vikarer-0")), "række 0 er gyldig: {fejl:?}");
        a.ansatte[0].ansat_siden = "01-01-2027".into();
        let fejl = a.trinfejl(2, &k);
        assert_eq!(fejl.len(), 1, "{fejl:?}");
        assert_eq!(fejl[0].felt, "ansatte-0-ansat_siden");
        assert!(fejl[0].besked.contains("3 måneder"));
        // Seed 003: only a long higher education is noted as outdated.
        a.ansatte[0].uddannelse.uddannelsesniveau = "faglaert".into();
        assert!(a.trinfejl(2, &k).iter().any(|e| e.felt == "ansatte-0-uddannelse_foraeldet"));
    }

    #[test]
    fn samme_vikar_to_gange_og_for_faa_raekker_er_fejl() {
        let p = p();
        let k = Kontekst { p_enheder: &p };
        let mut a = udfyldt();
        a.vikarer[1].borgeren.cpr = "0101901234".into();
        assert!(a.trinfejl(3, &k).iter().any(|e| e.felt == "vikarer-1-cpr"));
        a.vikarer.clear();
        a.ansatte.clear();
        assert_eq!(a.trinfejl(3, &k)[0].felt, "vikarer");
        assert_eq!(a.trinfejl(2, &k)[0].besked, "Tilføj mindst én medarbejder på kursus");
    }

    fn post<'a>(par: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |n| par.iter().find(|(k, _)| *k == n).map(|(_, v)| v.to_string())
    }

    /// Issue 13 §2: "Tilføj" keeps what was typed and adds an empty row; "Fjern" removes that
    /// row only; both leave the other steps alone.
    #[test]
    fn tilfoej_og_fjern_raekker_uden_at_miste_noget() {
        let mut s = Skemadata::Jobrotation(udfyldt());
        let foer = s.clone();
        s.anvend(
            2,
            &post(&[
                ("ansatte-antal", "1"),
                ("ansatte-0-skole", "Ny skole"),
                ("ansatte-0-kursus", "ugyldig? nej"),
                ("gruppe", "tilfoej:ansatte"),
            ]),
        )
        .expect("anvend");
        let Skemadata::Jobrotation(a) = &s else { panic!("ordning") };
        assert_eq!(a.ansatte.len(), 2);
        assert_eq!(a.ansatte[0].skole, "Ny skole", "det indtastede er gemt");
        assert_eq!(a.ansatte[0].startdato, "", "et felt, der ikke blev sendt, er tomt som i en formular");
        assert_eq!(a.ansatte[1], KursusMedarbejder::default());
        assert_eq!(a.vikarer, udfyldt().vikarer, "trin 3 er urørt");
        // Remove the second substitute: the first stays, with its looked-up name.
        let mut s = foer.clone();
        let mut par: Vec<(String, String)> = vec![("vikarer-antal".into(), "2".into())];
        for (k, v) in s.flade_vaerdier() {
            if k.starts_with("vikarer-")
                && let Some(t) = v.as_str()
            {
                par.push((k, t.to_string()));
            }
        }
        par.retain(|(k, _)| !k.ends_with("samtykke"));
        par.extend([("vikarer-0-samtykke".into(), "on".into()), ("vikarer-1-samtykke".into(), "on".into())]);
        par.push(("gruppe".into(), "fjern:vikarer:1".into()));
        s.anvend(3, &|n| par.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone())).expect("anvend");
        let Skemadata::Jobrotation(a) = &s else { panic!("ordning") };
        assert_eq!(a.vikarer.len(), 1);
        assert_eq!(a.vikarer[0], udfyldt().vikarer[0]);
        // The minimum stays: the last row cannot be removed.
        let mut s2 = s.clone();
        s2.anvend(3, &post(&[("vikarer-antal", "0"), ("gruppe", "fjern:vikarer:0")])).expect("anvend");
        assert_eq!(s2, s, "den sidste vikar fjernes ikke, og rækker ud over antallet bevares");
    }

    #[test]
    fn uden_samtykke_glemmes_hver_vikars_cpr_og_nyt_cpr_glemmer_navnet() {
        let mut s = Skemadata::Jobrotation(udfyldt());
        s.anvend(
            3,
            &post(&[
                ("vikarer-antal", "2"),
                ("vikarer-0-samtykke", "on"),
                ("vikarer-0-cpr", "010190-1234"),
                ("vikarer-1-cpr", "1503852345"),
            ]),
        )
        .expect("anvend");
        s.laas();
        let personer = s.personer();
        assert_eq!(personer[0].cpr, "010190-1234");
        assert_eq!(personer[0].borger_navn, "Anna Jensen", "samme CPR: navnet bliver");
        assert!(personer[1].cpr.is_empty(), "intet samtykke: intet CPR (seed 003)");
        s.anvend(3, &post(&[("vikarer-antal", "1"), ("vikarer-0-samtykke", "on"), ("vikarer-0-cpr", "1503852345")]))
            .expect("anvend");
        assert!(s.dele().borgeren.borger_navn.is_empty(), "nyt CPR: navnet glemmes");
    }

    #[test]
    fn opsummeringen_viser_hver_raekke() {
        let s = Skemadata::Jobrotation(udfyldt());
        let titler: Vec<String> = s.opsummering().into_iter().map(|x| x.titel).collect();
        assert_eq!(titler, ["Virksomheden", "Medarbejder på kursus 1", "Vikar 1", "Vikar 2", "Kontaktpersoner"]);
        let vikar2 = &s.opsummering()[3];
        assert!(
            vikar2.raekker.iter().any(|(f, v)| f.navn == "cpr"
                && *v == Visning::Person { cpr: "150385-2345".into(), navn: "Anna Jensen".into() })
        );
        let t = s.trin(3).expect("trin");
        assert_eq!(t.label("vikarer-1-cpr").as_deref(), Some("Vikar 2: CPR-nummer"));
        assert_eq!(t.label("vikarer").as_deref(), Some("Vikar"));
    }

    #[test]
    fn gruppehandlinger_laeses_strengt() {
        assert_eq!(
            Gruppehandling::parse("tilfoej:ansatte"),
            Some(Gruppehandling::Tilfoej { noegle: "ansatte".into() })
        );
        assert_eq!(
            Gruppehandling::parse("fjern:vikarer:2"),
            Some(Gruppehandling::Fjern { noegle: "vikarer".into(), raekke: 2 })
        );
        for ugyldig in ["", "tilfoej", "fjern:vikarer", "fjern:vikarer:x", "tilfoej:a:b", "slet:a", "fjern:v:1:2"] {
            assert_eq!(Gruppehandling::parse(ugyldig), None, "{ugyldig}");
        }
        assert_eq!(VIKARER.del_navn("vikarer-12-cpr"), Some((12, "cpr")));
        assert_eq!(VIKARER.del_navn("vikarer-x-cpr"), None);
        assert_eq!(ANSATTE.del_navn("vikarer-0-cpr"), None);
    }

    #[test]
    fn en_ny_kladde_har_en_tom_raekke_i_hver_gruppe_og_konfliktspoergsmaalet() {
        let s = Skemadata::ny(Ordning::Jobrotation, true, vec![]).expect("bygget");
        assert_eq!(s.raekker(&ANSATTE).len(), 1);
        assert_eq!(s.raekker(&VIKARER).len(), 1);
        assert_eq!(s.laast("konfliktramt"), Some(crate::skema::dele::KONFLIKT_LAAST));
        assert_eq!(s.dele().virksomheden.konfliktramt, "ja", "seed 002 §2.1: Ja er sat på forhånd");
    }
}
