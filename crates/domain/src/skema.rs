//! The stored form of a case (`sag.skemadata`): a tagged enum with one variant per scheme
//! whose form is built, so a case can never be read as another scheme's form (issue 13 §1).
//!
//! The JSON carries its scheme as `"ordning"` (the scheme's code), and [`Skemadata::laes`]
//! checks it against the case's own `ordning` column before the form is read. Data that does
//! not fit is an error, never an empty form.

pub mod dele;
pub mod eksempel;
pub mod felt;

use crate::FieldError;
use crate::fleksjob::FleksjobAnmodning;
use crate::ident::{Cpr, PNummer};
use crate::igu::IguAftale;
use crate::jobrotation::JobrotationAnsoegning;
use crate::krav::KravResultat;
use crate::loentilskud::LoentilskudAnsoegning;
use crate::ordning::Ordning;
use crate::periode::Periode;
use crate::praktik::{NytteindsatsAnsoegning, PraktikAnsoegning};
use crate::timer::TimerPrUge;
use crate::voksenlaerling::VoksenlaerlingAnsoegning;
use dele::{
    Borgeren, EindkomstMaaned, Forloeb, Jobbet, Kontaktpersoner, Kontekst, Opsummering, Repraesentant, Virksomheden,
};
use felt::{Felt, Feltart, Gruppe, Gruppehandling, MAKS_RAEKKER, Trin};
use serde::{Deserialize, Serialize};

/// The JSON key that names the scheme of a stored form.
pub const TAG: &str = "ordning";

/// The shared parts of a form that generic code reads: the wizard, the case page, the
/// hearing, the letters, the e-mails and the web services.
#[derive(Debug, Clone, Copy)]
pub struct Dele<'a> {
    pub virksomheden: &'a Virksomheden,
    pub borgeren: &'a Borgeren,
    pub forloeb: &'a Forloeb,
    pub jobbet: &'a Jobbet,
    pub kontakt: &'a Kontaktpersoner,
    /// `None` for a scheme without a hearing of the employee representative.
    pub repraesentant: Option<&'a Repraesentant>,
    pub opsummering: &'a Opsummering,
}

/// The shared parts that generic code writes besides the posted fields: the conflict lock,
/// the name from DFDG, the steps visited, the job content of an extension.
#[derive(Debug)]
pub struct DeleMut<'a> {
    pub virksomheden: &'a mut Virksomheden,
    pub borgeren: &'a mut Borgeren,
    pub jobbet: &'a mut Jobbet,
    pub opsummering: &'a mut Opsummering,
}

/// One scheme's form: its steps, its rules and its shared parts (issue 13 §1). A scheme is a
/// struct that implements this, one profile row (`ordning::Profil`) and its API answer; the
/// wizard, the summary, the case page, the hearing page, the letters and the e-mails are
/// generic over it.
pub trait Skema: std::fmt::Debug {
    /// The form's steps before the summary, in order. Step numbers start at 1; the summary
    /// ([`felt::OPSUMMERING`]) is the step after the last.
    fn trin(&self) -> &'static [Trin];
    /// The errors of form step `nummer` (1-based, not the summary); empty when complete.
    fn trinfejl(&self, nummer: u8, k: &Kontekst<'_>) -> Vec<FieldError>;
    /// The ratio rules shown on the summary, evaluated where their inputs are filled.
    fn krav(&self) -> Vec<(&'static str, KravResultat)> {
        Vec::new()
    }
    fn dele(&self) -> Dele<'_>;
    fn dele_mut(&mut self) -> DeleMut<'_>;
    /// Every citizen whose CPR the form holds, the case's citizen ([`Dele::borgeren`]) first:
    /// each needs the consent before the CPR (seed 003) and gets the name from DFDG.
    fn personer(&self) -> Vec<&Borgeren> {
        vec![self.dele().borgeren]
    }
    /// The same, to write (the lock on CPR without consent, the names looked up).
    fn personer_mut(&mut self) -> Vec<&mut Borgeren> {
        vec![self.dele_mut().borgeren]
    }
}

/// `dele` and `dele_mut` for a form whose shared parts have the usual field names
/// (`virksomheden`, `borgeren`, `forloeb`, `jobbet`, `kontakt`, `repraesentant`,
/// `opsummering`): written once, used inside each such `impl Skema`.
macro_rules! dele_med_standardnavne {
    () => {
        fn dele(&self) -> $crate::skema::Dele<'_> {
            $crate::skema::Dele { repraesentant: Some(&self.repraesentant), ..$crate::skema::dele_med_standardnavne!(@dele self) }
        }
        $crate::skema::dele_med_standardnavne!(@mut);
    };
    (uden_repraesentant) => {
        fn dele(&self) -> $crate::skema::Dele<'_> {
            $crate::skema::dele_med_standardnavne!(@dele self)
        }
        $crate::skema::dele_med_standardnavne!(@mut);
    };
    (@dele $s:ident) => {
        $crate::skema::Dele {
            virksomheden: &$s.virksomheden,
            borgeren: &$s.borgeren,
            forloeb: &$s.forloeb,
            jobbet: &$s.jobbet,
            kontakt: &$s.kontakt,
            repraesentant: None,
            opsummering: &$s.opsummering,
        }
    };
    (@mut) => {
        fn dele_mut(&mut self) -> $crate::skema::DeleMut<'_> {
            $crate::skema::DeleMut {
                virksomheden: &mut self.virksomheden,
                borgeren: &mut self.borgeren,
                jobbet: &mut self.jobbet,
                opsummering: &mut self.opsummering,
            }
        }
    };
}
pub(crate) use dele_med_standardnavne;

/// What the company signs and sends, as typed values: what the case row and the submission
/// need, whatever the scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indsendelse {
    pub pnummer: PNummer,
    /// `None` for an application that is not earmarked and names no one (seed 004): it goes to
    /// the jobcentre of the workplace's municipality (decision 102).
    pub cpr: Option<Cpr>,
    pub borger_navn: String,
    pub periode: Periode,
    pub timer: TimerPrUge,
    /// Whether the employee representative is heard (the scheme has a hearing, and the
    /// company is not a one-person company).
    pub hoering: bool,
    pub rep_email: Option<String>,
    /// The citizen signs next: an agreement goes to the citizen, not yet to the jobcentre
    /// (the life cycle `AftaleMedBorger`, decision 97).
    pub til_borger: bool,
}

/// A shown value of a field on the summary, the hearing page and the letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visning {
    Tekst(String),
    /// A CPR number as typed: the caller shows it as the reader may see it.
    Cpr(String),
    /// A citizen in a row of a repeatable group: the CPR as typed and the name looked up for
    /// it (the case's own citizen is [`Visning::Cpr`], named by the case row).
    Person {
        cpr: String,
        navn: String,
    },
    /// A P-number: the caller may show the unit's name beside it.
    PEnhed(String),
    /// A long text (a text area), shown in full, never cut (seed 001 §4.2).
    Fritekst(String),
}

/// One step's fields as shown on the summary, or one row of a step's repeatable group
/// (titled "Vikar 2").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sektion {
    pub titel: String,
    /// A row of a repeatable group: its dates, hours and texts are the row's own, not the
    /// case's.
    pub raekke: bool,
    pub raekker: Vec<(&'static Felt, Visning)>,
}

/// The stored forms, one variant per scheme whose form is built. The variant's name is the
/// `Ordning` variant's, and its snake case is the scheme's code (checked by a test). Adding a
/// scheme adds one line here.
macro_rules! skemaer {
    ($($variant:ident($form:ty)),+ $(,)?) => {
        /// A scheme's filled-in form, as stored, tagged with the scheme's code.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(tag = "ordning", rename_all = "snake_case")]
        pub enum Skemadata {
            $($variant($form)),+
        }

        impl Skemadata {
            /// The scheme the form belongs to.
            pub fn ordning(&self) -> Ordning {
                match self {
                    $(Skemadata::$variant(_) => Ordning::$variant),+
                }
            }

            /// The form as its scheme's [`Skema`].
            pub fn skema(&self) -> &dyn Skema {
                match self {
                    $(Skemadata::$variant(s) => s),+
                }
            }

            fn skema_mut(&mut self) -> &mut dyn Skema {
                match self {
                    $(Skemadata::$variant(s) => s),+
                }
            }

            /// An empty form of `ordning`, if its form is built.
            fn tom(ordning: Ordning) -> Option<Skemadata> {
                match ordning {
                    $(Ordning::$variant => Some(Skemadata::$variant(<$form>::default())),)+
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }
    };
}

skemaer! {
    Loentilskud(LoentilskudAnsoegning),
    Virksomhedspraktik(PraktikAnsoegning),
    Nytteindsats(NytteindsatsAnsoegning),
    Voksenlaerling(VoksenlaerlingAnsoegning),
    Fleksjob(FleksjobAnmodning),
    Jobrotation(JobrotationAnsoegning),
    Igu(IguAftale),
}

/// Why a stored form could not be read. The texts go to the log and to the operator, not to
/// the company.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkemaFejl {
    #[error("skemadata er ikke et JSON-objekt: {0}")]
    IkkeEtObjekt(String),
    #[error("skemadata siger ikke, hvilken ordning de hører til")]
    UdenOrdning,
    #[error("skemadata hører til ordningen »{fundet}«, men sagen er en {sag}-sag")]
    AndenOrdning { fundet: String, sag: &'static str },
    #[error("ordningen {0} har endnu ingen formular, men skemadata har felter")]
    UdenFormular(&'static str),
    #[error("skemadata for {ordning} kan ikke læses: {fejl}")]
    Ulaeselig { ordning: &'static str, fejl: String },
}

impl Skemadata {
    /// A new draft's form for `ordning`, with what VITAS fetched when the draft was made (the
    /// conflict register's answer, eIndkomst's months). `None` for a scheme whose form is not
    /// built: the caller refuses it as the policy does.
    pub fn ny(ordning: Ordning, konflikt_registreret: bool, eindkomst: Vec<EindkomstMaaned>) -> Option<Skemadata> {
        let mut s = Skemadata::tom(ordning)?;
        *s.skema_mut().dele_mut().virksomheden = Virksomheden::ny(konflikt_registreret, eindkomst);
        Some(s)
    }

    /// The stored JSON of a case whose scheme has no form yet (a bulk case, a grant the
    /// jobcentre made): the tag alone.
    pub fn tom_json(ordning: Ordning) -> String {
        serde_json::json!({ TAG: ordning.kode() }).to_string()
    }

    /// The JSON to store. A form of strings, booleans and lists does not fail to serialise; if
    /// one ever did, the caller gets the error rather than an empty form being stored.
    pub fn json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }

    /// Read the stored form of a case whose `ordning` column says `ordning`. `Ok(None)` for a
    /// scheme without a built form, whose JSON must hold nothing but the tag.
    pub fn laes(ordning: Ordning, json: &str) -> Result<Option<Skemadata>, SkemaFejl> {
        let v: serde_json::Value = serde_json::from_str(json).map_err(|e| SkemaFejl::IkkeEtObjekt(e.to_string()))?;
        let obj = v.as_object().ok_or_else(|| SkemaFejl::IkkeEtObjekt("ikke et objekt".into()))?;
        let tag = obj.get(TAG).and_then(|t| t.as_str()).ok_or(SkemaFejl::UdenOrdning)?;
        if tag != ordning.kode() {
            return Err(SkemaFejl::AndenOrdning { fundet: tag.chars().take(40).collect(), sag: ordning.kode() });
        }
        if !ordning.bygget() {
            return if obj.len() == 1 { Ok(None) } else { Err(SkemaFejl::UdenFormular(ordning.kode())) };
        }
        serde_json::from_value(v)
            .map(Some)
            .map_err(|e| SkemaFejl::Ulaeselig { ordning: ordning.kode(), fejl: e.to_string() })
    }

    /// The shared parts.
    pub fn dele(&self) -> Dele<'_> {
        self.skema().dele()
    }

    /// The shared parts, to write.
    pub fn dele_mut(&mut self) -> DeleMut<'_> {
        self.skema_mut().dele_mut()
    }

    /// The number of steps, the summary included.
    pub fn antal_trin(&self) -> u8 {
        u8::try_from(self.skema().trin().len() + 1).unwrap_or(u8::MAX)
    }

    /// The summary's step number (the last).
    pub fn opsummeringens_nummer(&self) -> u8 {
        self.antal_trin()
    }

    /// Step `nummer`'s description, the summary included.
    pub fn trin(&self, nummer: u8) -> Option<&'static Trin> {
        let alle = self.skema().trin();
        match usize::from(nummer) {
            0 => None,
            n if n <= alle.len() => alle.get(n - 1),
            n if n == alle.len() + 1 => Some(&felt::OPSUMMERING),
            _ => None,
        }
    }

    /// The errors of step `nummer`; empty when the step is complete.
    pub fn fejl(&self, nummer: u8, k: &Kontekst<'_>) -> Vec<FieldError> {
        if nummer == self.opsummeringens_nummer() {
            let mut fejl = Vec::new();
            self.dele().opsummering.fejl(&mut fejl);
            fejl
        } else {
            self.skema().trinfejl(nummer, k)
        }
    }

    /// Every error of every step, with its step number.
    pub fn alle_fejl(&self, k: &Kontekst<'_>) -> Vec<(u8, FieldError)> {
        (1..=self.antal_trin()).flat_map(|n| self.fejl(n, k).into_iter().map(move |e| (n, e))).collect()
    }

    /// The ratio rules shown on the summary.
    pub fn krav(&self) -> Vec<(&'static str, KravResultat)> {
        self.skema().krav()
    }

    /// Enforce what the company may not change, whatever a post says: the conflict answer
    /// locked by STAR's register (seed 002 §2.1), and no CPR without consent (seed 003).
    pub fn laas(&mut self) {
        if self.ordning().profil().konfliktlaas {
            self.dele_mut().virksomheden.laas();
        }
        for p in self.skema_mut().personer_mut() {
            p.laas();
        }
    }

    /// Whether a form of `ordning` can name more than one citizen: a step has a repeatable
    /// group with a CPR field (a jobrotation's substitutes). Derived from the steps, so a new
    /// scheme with such a group is covered without a list to keep.
    pub fn kan_naevne_flere_personer(ordning: Ordning) -> bool {
        Skemadata::tom(ordning).is_some_and(|s| {
            s.skema().trin().iter().filter_map(|t| t.gruppe()).any(|g| g.felter().any(|f| f.art == felt::Feltart::Cpr))
        })
    }

    /// Every citizen the form holds, the case's citizen first (see [`Skema::personer`]).
    pub fn personer(&self) -> Vec<&Borgeren> {
        self.skema().personer()
    }

    /// The same, to write.
    pub fn personer_mut(&mut self) -> Vec<&mut Borgeren> {
        self.skema_mut().personer_mut()
    }

    /// The stored rows of a repeatable group, as objects of values by field name.
    pub fn raekker(&self, g: &Gruppe) -> Vec<serde_json::Map<String, serde_json::Value>> {
        raekker(&self.vaerdier(), g)
    }

    /// Why a field cannot be changed, if it cannot (shown as its hint).
    pub fn laast(&self, felt: &str) -> Option<&'static str> {
        self.dele().virksomheden.laast(felt).filter(|_| self.ordning().profil().konfliktlaas)
    }

    /// Take the posted fields of step `nummer` into the form; only that step's fields change.
    /// `hent` gives a posted value by the field's name (`None`: not posted, so a check box is
    /// unticked). A changed CPR forgets the name looked up for the old one.
    ///
    /// A step's repeatable group is posted row by row (`{noegle}-{row}-{field}`, see
    /// [`Gruppe`]); `{noegle}-antal` says how many rows the form showed, and stored rows
    /// beyond those are kept as they were. A press on the group's add or remove button
    /// (`gruppe`, see [`Gruppehandling`]) is applied after the rows are taken, so what was
    /// typed is kept; a row is removed only while more than the group's minimum remain.
    pub fn anvend(&mut self, nummer: u8, hent: &dyn Fn(&str) -> Option<String>) -> Result<(), SkemaFejl> {
        let Some(trin) = self.trin(nummer) else { return Ok(()) };
        let ordning = self.ordning();
        let gammel_cpr = self.dele().borgeren.cpr.trim().to_string();
        let mut v = serde_json::to_value(&*self).map_err(|e| ulaeselig(ordning, e))?;
        let obj = v.as_object_mut().ok_or_else(|| SkemaFejl::IkkeEtObjekt("ikke et objekt".into()))?;
        for f in trin.felter() {
            obj.insert(f.navn.to_string(), postet(f, hent(f.navn)));
        }
        if let Some(g) = trin.gruppe() {
            let rows = anvend_gruppe(g, raekker(obj, g), hent);
            obj.insert(g.noegle.to_string(), serde_json::Value::Array(rows));
        }
        *self = serde_json::from_value(v).map_err(|e| ulaeselig(ordning, e))?;
        if trin.felter().any(|f| f.art == Feltart::Cpr) && self.dele().borgeren.cpr.trim() != gammel_cpr {
            self.dele_mut().borgeren.borger_navn.clear();
        }
        Ok(())
    }

    /// The stored values by field name (text, or a boolean for a check box).
    pub fn vaerdier(&self) -> serde_json::Map<String, serde_json::Value> {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        }
    }

    /// The stored values by posted name: [`Skemadata::vaerdier`] with each repeatable
    /// group's rows spelled out as `{noegle}-{row}-{field}` instead of the list.
    pub fn flade_vaerdier(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut v = self.vaerdier();
        for g in (1..self.antal_trin()).filter_map(|n| self.trin(n).and_then(|t| t.gruppe())) {
            let rows = raekker(&v, g);
            v.remove(g.noegle);
            for (i, r) in rows.into_iter().enumerate() {
                v.extend(r.into_iter().map(|(k, x)| (g.feltnavn(i, &k), x)));
            }
        }
        v
    }

    /// The summary: every form step's fields with their values as a reader sees them.
    /// A step's repeatable group adds one section per row, titled with the row ("Vikar 2");
    /// a step of nothing but its group has no section of its own.
    pub fn opsummering(&self) -> Vec<Sektion> {
        let v = self.vaerdier();
        let mut ud = Vec::new();
        for t in self.skema().trin() {
            let egne: Vec<_> = t.felter().map(|f| (f, vis(f, &v, false))).collect();
            if !egne.is_empty() || t.gruppe().is_none() {
                ud.push(Sektion { titel: t.titel.to_string(), raekke: false, raekker: egne });
            }
            if let Some(g) = t.gruppe() {
                for (i, r) in raekker(&v, g).iter().enumerate() {
                    ud.push(Sektion {
                        titel: g.raekketitel(i),
                        raekke: true,
                        raekker: g.felter().map(|f| (f, vis(f, r, true))).collect(),
                    });
                }
            }
        }
        ud
    }

    /// The complete form as typed values, or every error of every step.
    pub fn indsendelse(&self, k: &Kontekst<'_>) -> Result<Indsendelse, Vec<(u8, FieldError)>> {
        let fejl = self.alle_fejl(k);
        if !fejl.is_empty() {
            return Err(fejl);
        }
        let d = self.dele();
        // Every step is complete, so these parse; a failure here is still reported, not a panic.
        let trin_med = |felt: &str| -> u8 {
            (1..self.opsummeringens_nummer())
                .find(|n| self.trin(*n).is_some_and(|t| t.felter().any(|f| f.navn == felt)))
                .unwrap_or(1)
        };
        let fejl_i = |e: FieldError| vec![(trin_med(&e.felt.clone()), e)];
        let periode = d.forloeb.periode().ok_or_else(|| fejl_i(FieldError::mangler("startdato")))?;
        let hoering =
            self.ordning().profil().livsforloeb.hoering() && d.repraesentant.is_some_and(Repraesentant::hoeres);
        Ok(Indsendelse {
            pnummer: PNummer::parse(&d.virksomheden.pnummer, "pnummer").map_err(fejl_i)?,
            // Every step is valid, so an empty CPR is one the scheme allows (`CprKrav`).
            cpr: if d.borgeren.cpr.trim().is_empty() {
                None
            } else {
                Some(Cpr::parse(&d.borgeren.cpr, "cpr").map_err(fejl_i)?)
            },
            borger_navn: d.borgeren.borger_navn.trim().to_string(),
            periode,
            timer: TimerPrUge::parse(&d.forloeb.timer, "timer").map_err(fejl_i)?,
            hoering,
            rep_email: d
                .repraesentant
                .filter(|r| hoering && r.hoeres())
                .map(|r| r.rep_email.trim().to_string())
                .filter(|s| !s.is_empty()),
            til_borger: self.ordning().profil().livsforloeb == crate::ordning::Livsforloeb::AftaleMedBorger,
        })
    }

    /// The form's facts that the case page shows beside the case row's columns: the fields
    /// that are not on the row already (label, value), empty values left out by the caller.
    pub fn sagsfelter(&self) -> Vec<(&'static str, String)> {
        let d = self.dele();
        vec![("Stillingsbetegnelse", d.jobbet.stillingsbetegnelse.clone()), ("Jobindhold", d.jobbet.jobindhold.clone())]
    }

    /// The company's answer that it is hit by a labour conflict, with its comment: `Some` when
    /// it answered yes (seed 002 §2.1; the scheme's profile says whether it asks).
    pub fn konflikt(&self) -> Option<String> {
        let v = self.dele().virksomheden;
        (self.ordning().profil().konfliktlaas && v.konfliktramt == "ja").then(|| v.konflikt_kommentar.clone())
    }
}

fn ulaeselig(ordning: Ordning, e: serde_json::Error) -> SkemaFejl {
    SkemaFejl::Ulaeselig { ordning: ordning.kode(), fejl: e.to_string() }
}

/// A posted value as stored: a check box is ticked when posted at all.
fn postet(f: &Felt, v: Option<String>) -> serde_json::Value {
    if f.er_afkrydsning() {
        serde_json::Value::Bool(v.is_some())
    } else {
        serde_json::Value::String(v.unwrap_or_default())
    }
}

/// The key beside a CPR field that holds the name looked up for it (the shared citizen part's
/// `borger_navn`, also in a group's rows).
const NAVN_TIL_CPR: &str = "borger_navn";

/// The rows of group `g` in stored values.
fn raekker(
    v: &serde_json::Map<String, serde_json::Value>,
    g: &Gruppe,
) -> Vec<serde_json::Map<String, serde_json::Value>> {
    v.get(g.noegle)
        .and_then(|a| a.as_array())
        .map(|a| a.iter().filter_map(|r| r.as_object().cloned()).collect())
        .unwrap_or_default()
}

/// The rows of group `g` after a post: see [`Skemadata::anvend`].
fn anvend_gruppe(
    g: &Gruppe,
    gamle: Vec<serde_json::Map<String, serde_json::Value>>,
    hent: &dyn Fn(&str) -> Option<String>,
) -> Vec<serde_json::Value> {
    // Without the count (a client that does not send it), the rows with any field posted.
    let postet_raekke = |i: usize| g.felter().any(|f| hent(&g.feltnavn(i, f.navn)).is_some());
    let antal = hent(&g.antal_navn())
        .and_then(|a| a.trim().parse::<usize>().ok())
        .unwrap_or_else(|| (0..MAKS_RAEKKER).take_while(|i| postet_raekke(*i)).count())
        .min(MAKS_RAEKKER);
    let mut ud: Vec<serde_json::Value> = Vec::new();
    for i in 0..antal.max(gamle.len()) {
        let mut r = gamle.get(i).cloned().unwrap_or_default();
        if i < antal {
            for f in g.felter() {
                let gammel = r.get(f.navn).and_then(|x| x.as_str()).unwrap_or_default().trim().to_string();
                let ny = postet(f, hent(&g.feltnavn(i, f.navn)));
                // A changed CPR forgets the name looked up for the old one.
                if f.art == Feltart::Cpr && ny.as_str().map(str::trim) != Some(gammel.as_str()) {
                    r.insert(NAVN_TIL_CPR.to_string(), serde_json::Value::String(String::new()));
                }
                r.insert(f.navn.to_string(), ny);
            }
        }
        ud.push(serde_json::Value::Object(r));
    }
    match hent("gruppe").as_deref().and_then(Gruppehandling::parse) {
        Some(Gruppehandling::Tilfoej { noegle }) if noegle == g.noegle && ud.len() < MAKS_RAEKKER => {
            ud.push(serde_json::Value::Object(serde_json::Map::new()));
        }
        Some(Gruppehandling::Fjern { noegle, raekke })
            if noegle == g.noegle && raekke < ud.len() && ud.len() > g.mindst =>
        {
            ud.remove(raekke);
        }
        _ => {}
    }
    ud
}

/// A field's value as shown: "Ja"/"Nej" for yes/no, the option's text for a choice; a CPR in
/// a group's row (`i_raekke`) with the name looked up for it.
fn vis(f: &Felt, v: &serde_json::Map<String, serde_json::Value>, i_raekke: bool) -> Visning {
    let tekst = v.get(f.navn).and_then(|x| x.as_str()).unwrap_or_default().to_string();
    let ja_nej = |ja: bool| Visning::Tekst(if ja { "Ja" } else { "Nej" }.into());
    match f.art {
        Feltart::Afkrydsning => ja_nej(v.get(f.navn).and_then(|x| x.as_bool()).unwrap_or(false)),
        Feltart::JaNej if tekst.is_empty() => Visning::Tekst(String::new()),
        Feltart::JaNej => ja_nej(tekst == "ja"),
        Feltart::Valg(valg) => {
            Visning::Tekst(valg.iter().find(|(k, _)| *k == tekst).map(|(_, t)| t.to_string()).unwrap_or_default())
        }
        Feltart::Cpr if i_raekke => Visning::Person {
            cpr: tekst,
            navn: v.get(NAVN_TIL_CPR).and_then(|x| x.as_str()).unwrap_or_default().trim().to_string(),
        },
        Feltart::Cpr => Visning::Cpr(tekst),
        Feltart::PEnhed => Visning::PEnhed(tekst),
        Feltart::Tekstomraade { .. } => Visning::Fritekst(tekst),
        Feltart::Dato => {
            Visning::Tekst(crate::periode::parse_dato(&tekst, f.navn).map(crate::periode::dansk_dato).unwrap_or(tekst))
        }
        Feltart::Tekst | Feltart::Email | Feltart::Telefon | Feltart::Decimal => Visning::Tekst(tekst),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loentilskud() -> Skemadata {
        Skemadata::Loentilskud(LoentilskudAnsoegning {
            jobbet: Jobbet { stillingsbetegnelse: "Lagermedarbejder".into(), ..Default::default() },
            ..LoentilskudAnsoegning::default()
        })
    }

    #[test]
    fn rundtur_med_ordningen_i_json() {
        let s = loentilskud();
        let json = s.json().expect("json");
        assert!(json.contains(r#""ordning":"loentilskud""#), "{json}");
        assert_eq!(Skemadata::laes(Ordning::Loentilskud, &json), Ok(Some(s)));
    }

    /// One form of every variant: add a line with each new scheme.
    fn en_af_hver() -> Vec<Skemadata> {
        vec![
            loentilskud(),
            Skemadata::Virksomhedspraktik(PraktikAnsoegning::default()),
            Skemadata::Nytteindsats(NytteindsatsAnsoegning::default()),
            Skemadata::Voksenlaerling(VoksenlaerlingAnsoegning::default()),
            Skemadata::Fleksjob(FleksjobAnmodning::default()),
            Skemadata::Jobrotation(JobrotationAnsoegning::default()),
            Skemadata::Igu(IguAftale::default()),
        ]
    }

    #[test]
    fn varianternes_navne_er_ordningernes_koder() {
        for s in en_af_hver() {
            let v = serde_json::to_value(&s).expect("json");
            assert_eq!(v[TAG], s.ordning().kode());
        }
    }

    /// Issue 13 §1: a case stored as one scheme can never be read as another's form.
    #[test]
    fn en_sag_laeses_aldrig_som_en_anden_ordnings_formular() {
        for s in en_af_hver() {
            let json = s.json().expect("json");
            for o in Ordning::ALLE.into_iter().filter(|o| *o != s.ordning()) {
                assert!(
                    matches!(Skemadata::laes(o, &json), Err(SkemaFejl::AndenOrdning { .. })),
                    "en {:?}-formular blev læst som {o:?}",
                    s.ordning()
                );
                // And the other way: another scheme's JSON on this scheme's case.
                let anden = Skemadata::tom_json(o);
                assert!(matches!(Skemadata::laes(s.ordning(), &anden), Err(SkemaFejl::AndenOrdning { .. })));
            }
        }
    }

    /// A step's posted fields go in by name and change nothing else; a check box not posted
    /// is unticked, and a new CPR forgets the old name.
    #[test]
    fn anvend_skriver_kun_trinnets_felter() {
        let mut s = Skemadata::ny(Ordning::Virksomhedspraktik, false, vec![]).expect("bygget");
        s.dele_mut().borgeren.borger_navn = "Anna".into();
        s.dele_mut().borgeren.cpr = "0101801234".into();
        s.dele_mut().virksomheden.pnummer = "1000000001".into();
        let post = |n: &str| match n {
            "samtykke" => Some("on".to_string()),
            "cpr" => Some("0101801234".into()),
            "formaal" => Some("Afklaring".into()),
            "pnummer" => Some("9999999999".into()),
            _ => None,
        };
        s.anvend(3, &post).expect("anvend");
        assert!(s.dele().borgeren.samtykke);
        assert_eq!(s.dele().borgeren.borger_navn, "Anna", "samme CPR: navnet bliver");
        assert_eq!(s.dele().virksomheden.pnummer, "1000000001", "trin 1's felt er urørt");
        assert_eq!(s.vaerdier()["formaal"], "Afklaring");
        s.anvend(3, &|n| (n == "cpr").then(|| "1503852345".to_string())).expect("anvend");
        assert!(!s.dele().borgeren.samtykke, "krydset er ikke sendt");
        assert!(s.dele().borgeren.borger_navn.is_empty(), "nyt CPR: navnet glemmes");
    }

    /// Every field of every form step is a key of the stored JSON, so `anvend` and the
    /// summary read and write real fields, and no step lists a field twice.
    #[test]
    fn trinnenes_felter_er_formularens_felter() {
        for s in en_af_hver() {
            let v = s.vaerdier();
            let mut set = std::collections::HashSet::new();
            for n in 1..=s.antal_trin() {
                for f in s.trin(n).expect("trin").felter() {
                    assert!(v.contains_key(f.navn), "{:?}: {} er ikke et felt", s.ordning(), f.navn);
                    assert!(set.insert(f.navn), "{:?}: {} står to gange", s.ordning(), f.navn);
                    assert_eq!(v[f.navn].is_boolean(), f.er_afkrydsning(), "{}", f.navn);
                }
            }
            // A repeatable group is a list under its key, and each of its fields is a key of a
            // row (issue 13 §2).
            for g in (1..s.antal_trin()).filter_map(|n| s.trin(n).and_then(|t| t.gruppe())) {
                assert!(v[g.noegle].is_array(), "{:?}: {} er ikke en liste", s.ordning(), g.noegle);
                let mut tom = s.clone();
                let n = (1..s.antal_trin()).find(|n| s.trin(*n).and_then(|t| t.gruppe()) == Some(g)).expect("trin");
                tom.anvend(n, &|navn| (navn == g.antal_navn()).then(|| "1".to_string())).expect("anvend");
                let raekke = &tom.raekker(g)[0];
                for f in g.felter() {
                    assert!(raekke.contains_key(f.navn), "{:?}: {} er ikke et felt i rækken", s.ordning(), f.navn);
                    assert_eq!(raekke[f.navn].is_boolean(), f.er_afkrydsning(), "{}", f.navn);
                }
            }
        }
    }

    #[test]
    fn ulaeselige_data_er_en_fejl_aldrig_en_tom_formular() {
        let l = Ordning::Loentilskud;
        assert_eq!(Skemadata::laes(l, "{}"), Err(SkemaFejl::UdenOrdning));
        assert_eq!(Skemadata::laes(l, r#"{"cpr":"0101901234"}"#), Err(SkemaFejl::UdenOrdning));
        assert!(matches!(Skemadata::laes(l, "[]"), Err(SkemaFejl::IkkeEtObjekt(_))));
        assert!(matches!(Skemadata::laes(l, "ikke json"), Err(SkemaFejl::IkkeEtObjekt(_))));
        assert!(matches!(Skemadata::laes(l, r#"{"ordning":7}"#), Err(SkemaFejl::UdenOrdning)));
        // A field of the wrong type is not dropped silently.
        assert!(matches!(
            Skemadata::laes(l, r#"{"ordning":"loentilskud","cpr":12}"#),
            Err(SkemaFejl::Ulaeselig { .. })
        ));
        // A scheme without a form: the tag alone is fine, anything more is an error.
        let m = Ordning::Mentor;
        assert_eq!(Skemadata::laes(m, &Skemadata::tom_json(m)), Ok(None));
        assert_eq!(Skemadata::laes(m, r#"{"ordning":"mentor","cpr":"x"}"#), Err(SkemaFejl::UdenFormular("mentor")));
    }

    #[test]
    fn en_ny_kladde_findes_for_netop_de_byggede_ordninger() {
        for o in Ordning::ALLE {
            let ny = Skemadata::ny(o, false, vec![]);
            assert_eq!(ny.is_some(), o.bygget(), "{o:?}");
            if let Some(s) = ny {
                assert_eq!(s.ordning(), o);
            }
        }
    }

    #[test]
    fn en_bygget_ordning_med_kun_maerket_er_en_tom_kladde() {
        // A bulk case of a built scheme holds the tag alone: an untouched draft.
        let json = Skemadata::tom_json(Ordning::Loentilskud);
        assert_eq!(
            Skemadata::laes(Ordning::Loentilskud, &json),
            Ok(Some(Skemadata::Loentilskud(LoentilskudAnsoegning::default())))
        );
    }
}
