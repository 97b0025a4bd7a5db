//! The parts that several schemes' forms share: the company and its labour-conflict answer,
//! the citizen, the period and hours, the contact persons, the employee representative and
//! the summary. Each part is a struct that a scheme's form embeds with `#[serde(flatten)]`
//! (so the stored JSON stays one flat object), a list of field descriptions, and its
//! validation, written once here (issue 13 §1: no per-scheme copies).

use super::felt::{Felt, Feltart};
use crate::FieldError;
use crate::ident::{Cpr, PNummer};
use crate::krav::Fuldtid;
use crate::periode::{Periode, Periodegraenser, parse_dato};
use crate::tekst::{FRITEKST_MAX, fritekst};
use crate::timer::TimerPrUge;
use serde::{Deserialize, Serialize};

/// What the validation needs to know besides the form.
#[derive(Debug, Clone, Copy)]
pub struct Kontekst<'a> {
    /// The company's P-units: the only ones it may pick (DOMAIN.md "Rules").
    pub p_enheder: &'a [String],
}

pub(crate) const NAVN_MAX: usize = 100;

pub(crate) fn paakraevet_tekst(v: &str, felt: &str, max: usize, fejl: &mut Vec<FieldError>) {
    if let Err(e) = fritekst(v, felt, max, true) {
        fejl.push(e);
    }
}

pub(crate) fn email(v: &str, felt: &str, paakraevet: bool, fejl: &mut Vec<FieldError>) {
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

pub(crate) fn telefon(v: &str, felt: &str, paakraevet: bool, fejl: &mut Vec<FieldError>) {
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

pub(crate) fn ja_nej(v: &str, felt: &str, fejl: &mut Vec<FieldError>) {
    if v != "ja" && v != "nej" {
        fejl.push(FieldError::new(felt, "Vælg Ja eller Nej"));
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

/// One month of eIndkomst full-time equivalents, as fetched when the draft was filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EindkomstMaaned {
    /// `YYYY-MM`.
    pub maaned: String,
    pub fuldtid: Fuldtid,
}

// ---- The company -------------------------------------------------------------------------

/// The workplace and the labour-conflict answer (seed 004 Trin 1; seed 002 §2.1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Virksomheden {
    pub pnummer: String,
    /// STAR's labour-conflict register said "konfliktramt" when the draft was created. The
    /// flag stays on the application when the conflict ends (seed 002 §2.1).
    pub konflikt_registreret: bool,
    /// "ja" or "nej"; forced to "ja" when `konflikt_registreret`.
    pub konfliktramt: String,
    pub konflikt_kommentar: String,
    /// The last 12 months from eIndkomst for the CVR, oldest first, fetched with the draft.
    pub eindkomst: Vec<EindkomstMaaned>,
}

/// The workplace alone, for a scheme that does not ask about labour conflict.
pub const ARBEJDSSTEDET: &[Felt] = &[Felt::ny("pnummer", "Arbejdssted (P-enhed)", Feltart::PEnhed)
    .hjaelp("Vælg den produktionsenhed, hvor forløbet skal finde sted.")];

/// The conflict question, for the schemes whose profile has the labour-conflict lock.
pub const KONFLIKT: &[Felt] = &[
    Felt::ny("konfliktramt", "Er virksomheden omfattet af en arbejdskonflikt?", Feltart::JaNej)
        .hjaelp("Svar Ja, hvis virksomheden er omfattet af strejke eller lockout."),
    // Required when the answer above is Ja, so never "(valgfrit)".
    Felt::ny("konflikt_kommentar", "Hvilke fagområder er omfattet af konflikten?", Feltart::Tekstomraade { max: 2000 })
        .hjaelp("Skal udfyldes, når I har svaret Ja ovenfor. Lad feltet stå tomt ved Nej."),
];

/// The hint on the conflict answer when STAR's register has locked it (seed 002 §2.1).
pub const KONFLIKT_LAAST: &str = "Styrelsen for Arbejdsmarked og Rekruttering har registreret virksomheden som konfliktramt. Svaret kan ikke ændres.";

impl Virksomheden {
    /// Seed 002 §2.1: a company registered as konfliktramt gets "Ja" pre-set.
    pub fn ny(konflikt_registreret: bool, eindkomst: Vec<EindkomstMaaned>) -> Self {
        Virksomheden {
            konflikt_registreret,
            konfliktramt: if konflikt_registreret { "ja".into() } else { String::new() },
            eindkomst,
            ..Default::default()
        }
    }

    /// Seed 002 §2.1: "Ja" is locked for a konfliktramt company.
    pub fn laas(&mut self) {
        if self.konflikt_registreret {
            self.konfliktramt = "ja".into();
        }
    }

    /// Why a field cannot be changed, if it cannot.
    pub fn laast(&self, felt: &str) -> Option<&'static str> {
        (felt == "konfliktramt" && self.konflikt_registreret).then_some(KONFLIKT_LAAST)
    }

    /// The workplace's errors, and the conflict answer's where the scheme asks it
    /// (`konflikt`: the profile's `konfliktlaas`, seed 002 §2.1).
    pub fn fejl(&self, k: &Kontekst<'_>, konflikt: bool, fejl: &mut Vec<FieldError>) {
        match PNummer::parse(&self.pnummer, "pnummer") {
            // DOMAIN.md "Rules": only the company's own P-units.
            Ok(p) if !k.p_enheder.iter().any(|x| x == p.as_str()) => {
                fejl.push(FieldError::new("pnummer", "Vælg en af virksomhedens P-enheder"))
            }
            Ok(_) => {}
            Err(_) if self.pnummer.trim().is_empty() => fejl.push(FieldError::mangler("pnummer")),
            Err(e) => fejl.push(e),
        }
        if !konflikt {
            return;
        }
        ja_nej(&self.konfliktramt, "konfliktramt", fejl);
        // Seed 002 §2.1: a konfliktramt application needs a comment on the trades affected.
        if self.konfliktramt == "ja" {
            paakraevet_tekst(&self.konflikt_kommentar, "konflikt_kommentar", FRITEKST_MAX, fejl);
        }
    }
}

// ---- The ratio rule's inputs ------------------------------------------------------------

/// The rimelighedskrav's inputs (DOMAIN.md "Facts": per P-unit; løntilskud, praktik and
/// nytteindsats all count).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rimelighed {
    /// Ordinary employees at the workplace (P-unit) last month, in full-time equivalents.
    /// Starts EMPTY, never 0,00 (seed 002 §3.2).
    pub rimelighed_ansatte: String,
    /// Persons already in virksomhedspraktik, nytteindsats or løntilskud at the workplace.
    pub allerede_stoettede: String,
}

pub const RIMELIGHED: &[Felt] = &[
    Felt::ny(
        "rimelighed_ansatte",
        "Antal ordinært ansatte på arbejdsstedet i seneste måned (fuldtidspersoner)",
        Feltart::Decimal,
    )
    .hjaelp("Deltidsansatte tælles som brøkdele af en fuldtidsperson, fx 12,50."),
    Felt::ny(
        "allerede_stoettede",
        "Antal personer i virksomhedspraktik, nytteindsats eller løntilskud på arbejdsstedet i dag",
        Feltart::Decimal,
    )
    .hjaelp("Et helt antal personer, fx 0."),
];

impl Rimelighed {
    pub fn fejl(&self, fejl: &mut Vec<FieldError>) {
        if let Err(e) = Fuldtid::parse(&self.rimelighed_ansatte, "rimelighed_ansatte") {
            fejl.push(e);
        }
        if let Err(e) = parse_antal(&self.allerede_stoettede, "allerede_stoettede") {
            fejl.push(e);
        }
    }

    /// The rule, when its inputs are filled (DOMAIN.md "Facts").
    pub fn krav(&self) -> Option<(&'static str, crate::krav::KravResultat)> {
        let n = Fuldtid::parse(&self.rimelighed_ansatte, "rimelighed_ansatte").ok()?;
        let eksisterende = parse_antal(&self.allerede_stoettede, "allerede_stoettede").ok()?;
        Some(("Rimelighedskravet", crate::krav::rimelighedskrav(n, eksisterende)))
    }
}

// ---- The citizen -------------------------------------------------------------------------

/// The citizen, entered by CPR after consent, named from DFDG (seed 003; seed 004).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Borgeren {
    /// The citizen has consented before the CPR is entered (seed 003).
    pub samtykke: bool,
    pub cpr: String,
    /// Looked up from DFDG by CPR; never typed by the company (DOMAIN.md "Rules").
    pub borger_navn: String,
    /// "ja" when the company found the person itself (øremærket), "nej" otherwise.
    pub oeremaerket: String,
}

const SAMTYKKE: Felt = Felt::ny("samtykke", crate::samtykke::TEKST, Feltart::Afkrydsning);
const CPR: Felt = Felt::ny("cpr", "CPR-nummer", Feltart::Cpr)
    .hjaelp("10 cifre, fx 010190-1234. Navnet slås op i Det Fælles Datagrundlag.");

pub const BORGEREN: &[Felt] = &[
    SAMTYKKE,
    CPR,
    Felt::ny("oeremaerket", "Har virksomheden selv fundet personen (øremærket ansøgning)?", Feltart::JaNej),
];

/// The citizen where the CPR is asked only when the company found the person itself (seed 004):
/// the question first, then the consent and the CPR, which may stay empty after a "Nej".
pub const BORGEREN_OEREMAERKET: &[Felt] = &[
    Felt::ny("oeremaerket", "Har virksomheden selv fundet personen (øremærket ansøgning)?", Feltart::JaNej)
        .hjaelp("Svar Nej, hvis jobcentret skal finde en kandidat. Så sendes ansøgningen til jobcentret i arbejdsstedets kommune."),
    SAMTYKKE,
    Felt::ny("cpr", "CPR-nummer", Feltart::Cpr).hjaelp(
        "Skal udfyldes, når I har svaret Ja ovenfor: 10 cifre, fx 010190-1234. Navnet slås op i Det Fælles Datagrundlag.",
    ),
];

/// When a form needs the citizen's CPR (seed 004 "Hav følgende parat").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CprKrav {
    /// Always: the person is part of what is applied for (an apprentice, a fleksjob).
    Altid,
    /// Only when the application is earmarked ("hvis virksomheden selv har fundet
    /// vedkommende"); without a CPR the jobcentre finds the person (decision 102).
    KunOeremaerket,
}

/// The consent and the CPR alone, without the question whether the company found the
/// person: for a person the company does not recruit (jobrotation's employee on a course) and
/// for the citizen who signs an agreement, named always. Validated by [`Borgeren::cpr_fejl`].
pub const SAMTYKKE_OG_CPR: &[Felt] = &[SAMTYKKE, CPR];

impl Borgeren {
    /// Seed 003: no CPR without the citizen's consent.
    pub fn laas(&mut self) {
        if !self.samtykke {
            self.cpr.clear();
            self.borger_navn.clear();
        }
    }

    /// Whether the form is sent without a citizen: allowed by `krav`, not earmarked, and no CPR.
    pub fn uden_cpr(&self, krav: CprKrav) -> bool {
        krav == CprKrav::KunOeremaerket && self.oeremaerket == "nej" && self.cpr.trim().is_empty()
    }

    pub fn fejl(&self, krav: CprKrav, fejl: &mut Vec<FieldError>) {
        // Seed 004: the CPR only "hvis virksomheden selv har fundet vedkommende".
        if !self.uden_cpr(krav) {
            self.cpr_fejl(fejl);
        }
        ja_nej(&self.oeremaerket, "oeremaerket", fejl);
    }

    /// The consent and the CPR with its name from DFDG, without the øremærket question.
    pub fn cpr_fejl(&self, fejl: &mut Vec<FieldError>) {
        if !self.samtykke {
            fejl.push(FieldError::new("samtykke", "Bekræft, at borgeren har givet samtykke"));
        } else {
            match Cpr::parse(&self.cpr, "cpr") {
                Err(e) => fejl.push(e),
                // DOMAIN.md "Rules": the name comes from DFDG, so an unknown CPR is an error.
                Ok(_) if self.borger_navn.trim().is_empty() => {
                    fejl.push(FieldError::new("cpr", "CPR-nummeret blev ikke fundet i Det Fælles Datagrundlag"))
                }
                Ok(_) => {}
            }
        }
    }
}

// ---- The period and hours ----------------------------------------------------------------

/// The period applied for and the hours per week (seed 004 Trin 3; seed 002 §2.5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Forloeb {
    pub startdato: String,
    pub slutdato: String,
    pub timer: String,
}

pub const FORLOEB: &[Felt] = &[
    Felt::ny("startdato", "Startdato", Feltart::Dato),
    Felt::ny("slutdato", "Slutdato", Feltart::Dato),
    Felt::ny("timer", "Timer pr. uge", Feltart::Decimal).hjaelp("Skriv som decimaltal, fx 37 eller 32,5."),
];

impl Forloeb {
    pub fn fejl(&self, graenser: &Periodegraenser, fejl: &mut Vec<FieldError>) {
        let start = parse_dato(&self.startdato, "startdato").map_err(|e| fejl.push(e)).ok();
        let slut = parse_dato(&self.slutdato, "slutdato").map_err(|e| fejl.push(e)).ok();
        if let Some(s) = start
            && s < graenser.tidligst
        {
            fejl.push(FieldError::new(
                "startdato",
                format!("Startdatoen kan tidligst være {}", crate::periode::dansk_dato(graenser.tidligst)),
            ));
        }
        if let Some(e) = slut
            && e > graenser.senest
        {
            fejl.push(FieldError::new(
                "slutdato",
                format!("Slutdatoen kan senest være {}", crate::periode::dansk_dato(graenser.senest)),
            ));
        }
        if let (Some(s), Some(e)) = (start, slut) {
            match Periode::ny(s, e, "slutdato") {
                Err(f) => fejl.push(f),
                Ok(p) if p.dage() > graenser.laengst_dage => fejl.push(FieldError::new(
                    "slutdato",
                    format!(
                        "Perioden må højst vare {} dage for denne ordning (du har valgt {} dage)",
                        graenser.laengst_dage,
                        p.dage()
                    ),
                )),
                Ok(_) => {}
            }
        }
        if let Err(e) = TimerPrUge::parse(&self.timer, "timer") {
            fejl.push(e);
        }
    }

    /// The typed period, when both dates are valid and in order.
    pub fn periode(&self) -> Option<Periode> {
        let s = parse_dato(&self.startdato, "startdato").ok()?;
        let e = parse_dato(&self.slutdato, "slutdato").ok()?;
        Periode::ny(s, e, "slutdato").ok()
    }
}

// ---- The job -----------------------------------------------------------------------------

/// The job title and the job content (seed 004 Trin 3; seed 001 §1.8 for the 2000 characters).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Jobbet {
    pub stillingsbetegnelse: String,
    pub jobindhold: String,
}

pub(crate) const STILLING_MAX: usize = 100;

impl Jobbet {
    pub fn fejl(&self, fejl: &mut Vec<FieldError>) {
        paakraevet_tekst(&self.stillingsbetegnelse, "stillingsbetegnelse", STILLING_MAX, fejl);
        // Seed 001 §1.8: free text at most 2000 characters.
        paakraevet_tekst(&self.jobindhold, "jobindhold", FRITEKST_MAX, fejl);
    }
}

// ---- The contacts ------------------------------------------------------------------------

/// The company's contact persons (seed 004 Trin 4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Kontaktpersoner {
    pub kontakt_navn: String,
    pub kontakt_email: String,
    pub kontakt_telefon: String,
    pub arbejdssted_navn: String,
    pub arbejdssted_email: String,
    pub arbejdssted_telefon: String,
}

pub const KONTAKTPERSONER: &[Felt] = &[
    Felt::ny("kontakt_navn", "Ansvarlig kontaktperson: navn", Feltart::Tekst),
    Felt::ny("kontakt_email", "Ansvarlig kontaktperson: e-mail", Feltart::Email),
    Felt::ny("kontakt_telefon", "Ansvarlig kontaktperson: telefon", Feltart::Telefon),
    Felt::ny("arbejdssted_navn", "Kontaktperson på arbejdsstedet: navn", Feltart::Tekst),
    Felt::ny("arbejdssted_email", "Kontaktperson på arbejdsstedet: e-mail", Feltart::Email).valgfri(),
    Felt::ny("arbejdssted_telefon", "Kontaktperson på arbejdsstedet: telefon", Feltart::Telefon).valgfri(),
];

impl Kontaktpersoner {
    pub fn fejl(&self, fejl: &mut Vec<FieldError>) {
        // Seed 004: name, e-mail and phone of the responsible contact person.
        paakraevet_tekst(&self.kontakt_navn, "kontakt_navn", NAVN_MAX, fejl);
        email(&self.kontakt_email, "kontakt_email", true, fejl);
        telefon(&self.kontakt_telefon, "kontakt_telefon", true, fejl);
        paakraevet_tekst(&self.arbejdssted_navn, "arbejdssted_navn", NAVN_MAX, fejl);
        email(&self.arbejdssted_email, "arbejdssted_email", false, fejl);
        telefon(&self.arbejdssted_telefon, "arbejdssted_telefon", false, fejl);
    }
}

/// The employee representative who is heard after the company (seed 004 Trin 4), for the
/// schemes whose life cycle has a hearing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Repraesentant {
    pub enmandsvirksomhed: bool,
    pub rep_navn: String,
    pub rep_email: String,
    pub rep_telefon: String,
}

pub const REPRAESENTANT: &[Felt] = &[
    Felt::ny(
        "enmandsvirksomhed",
        "Virksomheden er en enmandsvirksomhed (der er ingen medarbejderrepræsentant)",
        Feltart::Afkrydsning,
    )
    .valgfri(),
    Felt::ny("rep_navn", "Tillids- eller medarbejderrepræsentant: navn", Feltart::Tekst)
        .hjaelp("Repræsentanten skal godkende høringsdelen af ansøgningen efter jer."),
    Felt::ny("rep_email", "Repræsentantens e-mail", Feltart::Email)
        .valgfri()
        .hjaelp("Ikke påkrævet. Uden e-mail får I et link, som I selv sender videre."),
    Felt::ny("rep_telefon", "Repræsentantens telefon", Feltart::Telefon).valgfri(),
];

impl Repraesentant {
    pub fn fejl(&self, fejl: &mut Vec<FieldError>) {
        // Seed 004: the representative's name is required, e-mail and phone are not; a
        // one-person company has no representative.
        if !self.enmandsvirksomhed {
            paakraevet_tekst(&self.rep_navn, "rep_navn", NAVN_MAX, fejl);
            email(&self.rep_email, "rep_email", false, fejl);
            telefon(&self.rep_telefon, "rep_telefon", false, fejl);
        }
    }

    /// Whether the representative is heard: not in a one-person company.
    pub fn hoeres(&self) -> bool {
        !self.enmandsvirksomhed
    }
}

// ---- The summary -------------------------------------------------------------------------

/// The summary step's own field, and which steps the company has saved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Opsummering {
    /// The company's remark to the jobcentre, e.g. on a failed ratio rule.
    pub bemaerkning: String,
    /// The steps the company has saved at least once: their field errors are shown.
    pub besoegte_trin: Vec<u8>,
}

pub const OPSUMMERING: &[Felt] =
    &[Felt::ny("bemaerkning", "Bemærkning til jobcentret", Feltart::Tekstomraade { max: 2000 })
        .valgfri()
        .hjaelp("Fx en forklaring, hvis et af kravene ovenfor ikke er opfyldt.")];

impl Opsummering {
    pub fn fejl(&self, fejl: &mut Vec<FieldError>) {
        if let Err(e) = fritekst(&self.bemaerkning, "bemaerkning", FRITEKST_MAX, false) {
            fejl.push(e);
        }
    }
}

/// Valid shared parts for the schemes' tests.
#[cfg(test)]
pub(crate) mod eksempel {
    use super::*;

    pub fn virksomheden() -> Virksomheden {
        Virksomheden { pnummer: "1000000001".into(), konfliktramt: "nej".into(), ..Default::default() }
    }

    pub fn borgeren() -> Borgeren {
        Borgeren {
            samtykke: true,
            cpr: "010180-1234".into(),
            borger_navn: "Anna Jensen".into(),
            oeremaerket: "ja".into(),
        }
    }

    pub fn kontakt() -> Kontaktpersoner {
        Kontaktpersoner {
            kontakt_navn: "Karen Holm".into(),
            kontakt_email: "karen@firma.dk".into(),
            kontakt_telefon: "12345678".into(),
            arbejdssted_navn: "Per Lund".into(),
            ..Default::default()
        }
    }

    pub fn repraesentant() -> Repraesentant {
        Repraesentant { rep_navn: "Søren Bak".into(), ..Default::default() }
    }
}
