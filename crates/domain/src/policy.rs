//! The one place that decides who may do what to which case: role × action × status × tenant.
//!
//! Every state change in VITAS goes through [`tjek`], which answers with the transition to
//! make or a Danish refusal. The order of the checks is deliberate: tenant first (a case
//! outside your scope is reported as not found, so ids cannot be probed), then role, then
//! the state guard.

use crate::ophoer::Systemophoer;
use crate::ordning::{Livsforloeb, Ordning};
use crate::status::{AfgoerelseStatus as Afg, AnsoegningStatus as Ans, ForlaengelseStatus as Forl};
use serde::{Deserialize, Serialize};

/// The seven kinds of actor (DOMAIN.md "Actors and roles"), and VITAS itself for what it does
/// on its own (decision 88).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rolle {
    Virksomhed,
    Medarbejderrep,
    Borger,
    Sagsbehandler,
    Administrator,
    AndenAktoer,
    Styrelse,
    /// VITAS's own scheduled work, e.g. closing a grant at its end date (seed 001 §2.1, DFDG
    /// 15). Nobody logs in as it (`web::auth::aktoer_for` refuses it).
    System,
}

impl Rolle {
    pub const ALLE: [Rolle; 8] = [
        Rolle::Virksomhed,
        Rolle::Medarbejderrep,
        Rolle::Borger,
        Rolle::Sagsbehandler,
        Rolle::Administrator,
        Rolle::AndenAktoer,
        Rolle::Styrelse,
        Rolle::System,
    ];
    pub fn kode(self) -> &'static str {
        match self {
            Rolle::Virksomhed => "virksomhed",
            Rolle::Medarbejderrep => "medarbejderrep",
            Rolle::Borger => "borger",
            Rolle::Sagsbehandler => "sagsbehandler",
            Rolle::Administrator => "administrator",
            Rolle::AndenAktoer => "anden_aktoer",
            Rolle::Styrelse => "styrelse",
            Rolle::System => "system",
        }
    }
    pub fn fra_kode(kode: &str) -> Option<Rolle> {
        Rolle::ALLE.into_iter().find(|r| r.kode() == kode)
    }
    pub fn navn(self) -> &'static str {
        match self {
            Rolle::Virksomhed => "Virksomhed",
            Rolle::Medarbejderrep => "Medarbejderrepræsentant",
            Rolle::Borger => "Borger",
            Rolle::Sagsbehandler => "Sagsbehandler",
            Rolle::Administrator => "Administrator",
            Rolle::AndenAktoer => "Anden Aktør",
            Rolle::Styrelse => "Styrelsen (STAR)",
            Rolle::System => "VITAS (automatisk)",
        }
    }
}

/// Who is acting, with the scope (tenant) they are bound to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Aktoer {
    /// A company user, bound to one CVR (MitID Erhverv).
    Virksomhed { cvr: String },
    /// An employee representative acting through the link for one case.
    Medarbejderrep { sag_id: i64 },
    /// A citizen, bound to their own CPR (MitID).
    Borger { cpr: String },
    /// FKA role Star-VITAS-CaseWorker, bound to a jobcentre (seed 002 §1.2).
    Sagsbehandler { jobcenter_id: i64 },
    /// FKA role Star-VITAS-Administrator (seed 002 §1.2).
    Administrator { jobcenter_id: i64 },
    /// A user of an Anden Aktør organisation (seed 000).
    AndenAktoer { organisation_id: i64 },
    /// The national administrator.
    Styrelse,
    /// VITAS itself: the scheduled passes (decision 88). National scope, and only the
    /// actions its role lists.
    System,
}

impl Aktoer {
    pub fn rolle(&self) -> Rolle {
        match self {
            Aktoer::Virksomhed { .. } => Rolle::Virksomhed,
            Aktoer::Medarbejderrep { .. } => Rolle::Medarbejderrep,
            Aktoer::Borger { .. } => Rolle::Borger,
            Aktoer::Sagsbehandler { .. } => Rolle::Sagsbehandler,
            Aktoer::Administrator { .. } => Rolle::Administrator,
            Aktoer::AndenAktoer { .. } => Rolle::AndenAktoer,
            Aktoer::Styrelse => Rolle::Styrelse,
            Aktoer::System => Rolle::System,
        }
    }
}

/// Everything a case action can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Handling {
    /// Read the case.
    Se,
    /// Start a new application (a draft).
    OpretKladde,
    /// Save a step of a draft.
    GemKladde,
    /// Sign and send from Opsummering (seed 004 "Oprettelse af en ny ansøgning" 6).
    /// `med_hoering` is false for a one-person company, which skips the representative.
    Indsend {
        med_hoering: bool,
    },
    /// The representative approves the consultation part (høring).
    RepGodkend,
    /// The representative rejects it: "Afvist af medarbejder-rep" (seed 001 §1.2.3).
    RepAfvis,
    /// The jobcentre approves the application: the grant is prepared and sent to the company.
    GodkendAnsoegning,
    /// The jobcentre rejects the application with the standard text citing the law.
    AfvisAnsoegning,
    /// The company approves the grant (seed 004 "Godkendelse af en ny bevilling").
    GodkendBevilling,
    /// The company declines the grant: "Bevilling ikke godkendt", DFDG 14 (seed 001 §2.1).
    AfvisBevilling,
    /// The company requests an extension (seed 004 "Forlængelse").
    AnmodForlaengelse,
    GodkendForlaengelse,
    AfvisForlaengelse,
    /// The company registers the end of the grant (seed 004 "Ophør").
    RegistrerOphoer,
    /// "Sæt ansvarlig": assign a team and a caseworker (seed 001 §1.2.2, issue 3 §2).
    SaetAnsvarlig,
    /// Move the case to another jobcentre, whatever hangs on it (seed 001 §1.11).
    FlytJobcenter,
    /// "Gensend" (the papirflyver icon): the jobcentre queues the company's e-mail again, for
    /// a draft it sent and for a grant awaiting the company (DOMAIN.md step 1, seed 002 §5.4).
    Genfremsend,
    /// VITAS closes an approved grant whose end date has passed: "Ophørt", DFDG 15 "closed
    /// after ordinary expiry" (seed 001 §2.1; decision 88). The date rule is
    /// [`crate::ophoer::udloebet`]; the state machine gives the state guard.
    LukVedUdloeb,
    /// The company deletes its own draft, which no jobcentre has seen (issue 13 §7). The case
    /// is removed, not marked (docs/decisions.md 90).
    SletKladde,
    /// The citizen signs the agreement the company signed and sent (IGU; DOMAIN.md "Actors":
    /// the citizen signs IGU agreements; decision 97). The jobcentre then has it.
    BorgerUnderskriv,
    /// The citizen declines to sign: "Afvist af borgeren" (decision 97).
    BorgerAfvis,
}

impl Handling {
    /// Whether municipal systems must hear of the action although no status changes: the
    /// notification carries the jobcentre code and the responsible caseworker's e-mail,
    /// which is how they match the case and the user (DOMAIN.md "Web services").
    pub fn noterer_kommunen(self) -> bool {
        matches!(self, Handling::SaetAnsvarlig | Handling::FlytJobcenter)
    }

    pub const ALLE: [Handling; 22] = [
        Handling::Se,
        Handling::OpretKladde,
        Handling::GemKladde,
        Handling::Indsend { med_hoering: true },
        Handling::Indsend { med_hoering: false },
        Handling::RepGodkend,
        Handling::RepAfvis,
        Handling::GodkendAnsoegning,
        Handling::AfvisAnsoegning,
        Handling::GodkendBevilling,
        Handling::AfvisBevilling,
        Handling::AnmodForlaengelse,
        Handling::GodkendForlaengelse,
        Handling::AfvisForlaengelse,
        Handling::RegistrerOphoer,
        Handling::SaetAnsvarlig,
        Handling::FlytJobcenter,
        Handling::Genfremsend,
        Handling::LukVedUdloeb,
        Handling::SletKladde,
        Handling::BorgerUnderskriv,
        Handling::BorgerAfvis,
    ];

    /// The Danish name, as on the button.
    pub fn navn(self) -> &'static str {
        match self {
            Handling::Se => "Se sagen",
            Handling::OpretKladde => "Start ny ansøgning",
            Handling::GemKladde => "Gem kladde",
            Handling::Indsend { .. } => "Underskriv og send",
            Handling::RepGodkend => "Godkend høring",
            Handling::RepAfvis => "Afvis høring",
            Handling::GodkendAnsoegning => "Godkend ansøgning",
            Handling::AfvisAnsoegning => "Afvis ansøgning",
            Handling::GodkendBevilling => "Godkend bevilling",
            Handling::AfvisBevilling => "Afvis bevilling",
            Handling::AnmodForlaengelse => "Anmod om forlængelse",
            Handling::GodkendForlaengelse => "Godkend forlængelse",
            Handling::AfvisForlaengelse => "Afvis forlængelse",
            Handling::RegistrerOphoer => "Registrer ophør",
            Handling::SaetAnsvarlig => "Sæt ansvarlig",
            Handling::FlytJobcenter => "Flyt sag til andet jobcenter",
            Handling::Genfremsend => "Gensend e-mail til virksomheden",
            Handling::LukVedUdloeb => "Luk bevilling ved udløb",
            Handling::SletKladde => "Slet kladde",
            Handling::BorgerUnderskriv => "Underskriv aftale",
            Handling::BorgerAfvis => "Afvis aftale",
        }
    }

    /// The actions that do not read or write the scheme's form, and so work on a case of every
    /// scheme, built or not: seeing it, "Sæt ansvarlig" and moving it (seed 001 §3.4: "Sæt
    /// ansvarlig" failed for jobrotation; §1.11 moving), and closing a grant at its end date
    /// (seed 001 §2.1: DFDG 15 for every scheme's grant).
    pub fn uafhaengig_af_skema(self) -> bool {
        matches!(self, Handling::Se | Handling::SaetAnsvarlig | Handling::FlytJobcenter | Handling::LukVedUdloeb)
    }

    /// The roles that may perform the action at all (DOMAIN.md "Actors and roles").
    /// Anden Aktør rights depend on the agreement with the jobcentre (seed 000) and come with
    /// the Anden Aktør issue; until then an AA user may only read cases handed to it.
    pub fn roller(self) -> &'static [Rolle] {
        use Rolle::*;
        match self {
            Handling::Se => &[Virksomhed, Medarbejderrep, Borger, Sagsbehandler, Administrator, AndenAktoer, Styrelse],
            Handling::OpretKladde
            | Handling::GemKladde
            | Handling::Indsend { .. }
            | Handling::GodkendBevilling
            | Handling::AfvisBevilling
            | Handling::AnmodForlaengelse
            | Handling::RegistrerOphoer
            | Handling::SletKladde => &[Virksomhed],
            Handling::RepGodkend | Handling::RepAfvis => &[Medarbejderrep],
            // DOMAIN.md "Actors and roles": the citizen signs IGU agreements (MitID).
            Handling::BorgerUnderskriv | Handling::BorgerAfvis => &[Borger],
            Handling::GodkendAnsoegning
            | Handling::AfvisAnsoegning
            | Handling::GodkendForlaengelse
            | Handling::AfvisForlaengelse
            | Handling::SaetAnsvarlig
            | Handling::FlytJobcenter
            | Handling::Genfremsend => &[Sagsbehandler, Administrator],
            // Decision 88: only VITAS's scheduled pass closes a grant at its end date.
            Handling::LukVedUdloeb => &[System],
        }
    }
}

/// The part of a case's state the rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tilstand {
    pub ansoegning: Option<Ans>,
    pub afgoerelse: Option<Afg>,
    /// The status of the newest extension request, if any.
    pub forlaengelse: Option<Forl>,
}

impl Tilstand {
    /// The state before a case exists.
    pub const NY: Tilstand = Tilstand { ansoegning: None, afgoerelse: None, forlaengelse: None };

    /// The status a person should see first: the decision's once there is one.
    pub fn vist_status(&self) -> &'static str {
        match (self.afgoerelse, self.ansoegning) {
            (Some(a), _) => a.navn(),
            (None, Some(a)) => a.navn(),
            (None, None) => "Ny",
        }
    }

    /// Every state a løntilskud case can be in, for exhaustive tests.
    pub fn alle() -> Vec<Tilstand> {
        let mut ud = vec![Tilstand::NY];
        for &a in Ans::ALLE {
            ud.push(Tilstand { ansoegning: Some(a), afgoerelse: None, forlaengelse: None });
        }
        for &d in Afg::ALLE {
            ud.push(Tilstand { ansoegning: Some(Ans::Godkendt), afgoerelse: Some(d), forlaengelse: None });
            for &f in Forl::ALLE {
                ud.push(Tilstand { ansoegning: Some(Ans::Godkendt), afgoerelse: Some(d), forlaengelse: Some(f) });
            }
        }
        ud
    }
}

/// The facts about a case that decide access: its tenant keys and its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SagsFakta {
    /// None before the case exists (OpretKladde).
    pub sag_id: Option<i64>,
    pub ordning: Ordning,
    pub cvr: String,
    /// None while a company's draft has not reached a jobcentre (set at submission from the
    /// citizen's home municipality, docs/case-model.md).
    pub jobcenter_id: Option<i64>,
    pub cpr: Option<String>,
    pub anden_aktoer_id: Option<i64>,
    pub tilstand: Tilstand,
}

/// The transition a permitted action makes. `None` in a field means "unchanged".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overgang {
    pub ansoegning: Option<Ans>,
    pub afgoerelse: Option<Afg>,
    pub forlaengelse: Option<Forl>,
    /// The line the case history shows.
    pub haendelse: &'static str,
    /// Set when the transition ends the grant without a reason anyone registers: the
    /// repository then writes the termination record with this DFDG code, so the municipal
    /// systems read it through GetOphør (seed 001 §2.1: codes 14 and 15; decision 88).
    pub systemophoer: Option<Systemophoer>,
}

impl Overgang {
    const fn ingen(haendelse: &'static str) -> Self {
        Overgang { ansoegning: None, afgoerelse: None, forlaengelse: None, haendelse, systemophoer: None }
    }
    /// Whether the action changes a status.
    pub fn aendrer_status(&self) -> bool {
        self.ansoegning.is_some() || self.afgoerelse.is_some() || self.forlaengelse.is_some()
    }
    /// The state after the transition.
    pub fn anvend(&self, foer: Tilstand) -> Tilstand {
        Tilstand {
            ansoegning: self.ansoegning.or(foer.ansoegning),
            afgoerelse: self.afgoerelse.or(foer.afgoerelse),
            forlaengelse: self.forlaengelse.or(foer.forlaengelse),
        }
    }
}

/// Why an action was refused. The message is Danish and shown as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Afvisning {
    /// Outside the actor's tenant: reported as not found, so case ids cannot be probed.
    #[error("Sagen findes ikke, eller du har ikke adgang til den.")]
    IkkeAdgang,
    #[error("Som {rolle} kan du ikke udføre handlingen »{handling}«.")]
    Rolle { rolle: &'static str, handling: &'static str },
    #[error("»{handling}« kan ikke udføres, når sagen har status »{status}«.")]
    Status { handling: &'static str, status: &'static str },
    #[error("Ordningen {ordning} kan endnu ikke behandles i denne version af VITAS.")]
    Ordning { ordning: &'static str },
    /// The action is not a step of the scheme's life cycle (a hearing where there is none).
    #[error("»{handling}« hører ikke til denne ordnings forløb.")]
    Livsforloeb { handling: &'static str },
    /// A draft the jobcentre made or holds is not the company's to delete (decision 90).
    #[error("Kladden er lavet af jobcentret og kan ikke slettes her. Kontakt jobcentret, hvis den ikke skal bruges.")]
    JobcentretsKladde,
    /// A hold (a complaint, the archives; decision 77) keeps the case: it is not deleted.
    /// The repository says this, from the hold rows, when a draft is to be deleted.
    #[error("Sagen er omfattet af et opbevaringshold og kan ikke slettes.")]
    Opbevares,
}

/// The schemes whose whole life cycle is built so far (their profile's `bygget`). The others
/// are modelled (see docs/case-model.md) but refused here until their forms exist.
pub fn ordning_understoettet(ordning: Ordning) -> bool {
    ordning.bygget()
}

/// Whether the actor's scope covers the case (the tenant check).
pub fn i_scope(aktoer: &Aktoer, sag: &SagsFakta) -> bool {
    match aktoer {
        Aktoer::Virksomhed { cvr } => *cvr == sag.cvr,
        Aktoer::Medarbejderrep { sag_id } => sag.sag_id == Some(*sag_id),
        // Issue 13 §2: the citizen sees their own agreements and nothing else: only a scheme
        // the citizen signs, and only once the company has sent it (a draft is the company's).
        Aktoer::Borger { cpr } => {
            sag.cpr.as_deref() == Some(cpr.as_str())
                && sag.ordning.borger_underskriver()
                && !matches!(sag.tilstand.ansoegning, None | Some(Ans::Kladde))
        }
        Aktoer::Sagsbehandler { jobcenter_id } | Aktoer::Administrator { jobcenter_id } => {
            sag.jobcenter_id == Some(*jobcenter_id)
        }
        Aktoer::AndenAktoer { organisation_id } => sag.anden_aktoer_id == Some(*organisation_id),
        Aktoer::Styrelse | Aktoer::System => true,
    }
}

/// Decide an action: the transition to make, or the Danish reason it is refused.
pub fn tjek(aktoer: &Aktoer, handling: Handling, sag: &SagsFakta) -> Result<Overgang, Afvisning> {
    if !i_scope(aktoer, sag) {
        return Err(Afvisning::IkkeAdgang);
    }
    let rolle = aktoer.rolle();
    if !handling.roller().contains(&rolle) {
        return Err(Afvisning::Rolle { rolle: rolle.navn(), handling: handling.navn() });
    }
    if !handling.uafhaengig_af_skema() && !ordning_understoettet(sag.ordning) {
        return Err(Afvisning::Ordning { ordning: sag.ordning.navn() });
    }
    let o = overgang(sag.ordning.profil().livsforloeb, handling, sag.tilstand)?;
    // Decision 90: only a draft no jobcentre has seen may go. A company's draft gets its
    // jobcentre when it is sent; one that has a jobcentre already was made by it ("Sendte
    // kladder"), and municipal systems may have been told of it.
    if handling == Handling::SletKladde && sag.jobcenter_id.is_some() {
        return Err(Afvisning::JobcentretsKladde);
    }
    Ok(o)
}

/// The state machine of a life cycle (`ordning::Livsforloeb`, the scheme's profile): which
/// state each action needs, and where it leads.
pub fn overgang(lf: Livsforloeb, handling: Handling, t: Tilstand) -> Result<Overgang, Afvisning> {
    let nej = || Afvisning::Status { handling: handling.navn(), status: t.vist_status() };
    // The life cycle's own steps: a hearing only where it has one (DOMAIN.md "Case life
    // cycle"), and an application only where the company starts the case.
    let livsforloebet_har = match handling {
        Handling::Indsend { med_hoering: true } | Handling::RepGodkend | Handling::RepAfvis => lf.hoering(),
        // The citizen's signature belongs to the agreement (decision 97).
        Handling::BorgerUnderskriv | Handling::BorgerAfvis => lf == Livsforloeb::AftaleMedBorger,
        Handling::OpretKladde | Handling::GemKladde | Handling::SletKladde | Handling::Indsend { .. } => {
            lf.initiativ() == crate::ordning::Initiativ::Virksomhed
        }
        _ => true,
    };
    if !livsforloebet_har {
        return Err(Afvisning::Livsforloeb { handling: handling.navn() });
    }
    let paa_ans = |kraevet: Ans| t.afgoerelse.is_none() && t.ansoegning == Some(kraevet);
    // Seed 004: only a grant in "Godkendt af virksomhed" can be extended or ended.
    let aktiv_bevilling = t.afgoerelse == Some(Afg::GodkendtAfVirksomhed);
    let forl_afventer = t.forlaengelse == Some(Forl::AfventerJobcenter);
    let ny = |ans, afg, forl, haendelse| {
        Ok(Overgang { ansoegning: ans, afgoerelse: afg, forlaengelse: forl, haendelse, systemophoer: None })
    };
    match handling {
        Handling::Se => Ok(Overgang::ingen("Sagen er set")),
        Handling::OpretKladde if t == Tilstand::NY => ny(Some(Ans::Kladde), None, None, "Kladde oprettet"),
        Handling::GemKladde if paa_ans(Ans::Kladde) => Ok(Overgang::ingen("Kladde gemt")),
        Handling::SletKladde if paa_ans(Ans::Kladde) => Ok(Overgang::ingen("Kladde slettet")),
        // Seed 004 step 4–5 and DOMAIN.md step 2: a one-person company skips the representative.
        Handling::Indsend { med_hoering: true } if paa_ans(Ans::Kladde) => {
            ny(Some(Ans::SendtTilMedarbejderRep), None, None, "Underskrevet og sendt til medarbejderrepræsentanten")
        }
        // Decision 97: an agreement goes from the company's signature to the citizen's.
        Handling::Indsend { med_hoering: false } if paa_ans(Ans::Kladde) && lf == Livsforloeb::AftaleMedBorger => {
            ny(Some(Ans::SendtTilBorger), None, None, "Underskrevet af virksomheden og sendt til borgeren")
        }
        Handling::Indsend { med_hoering: false } if paa_ans(Ans::Kladde) => {
            ny(Some(Ans::Modtaget), None, None, "Underskrevet og sendt til jobcentret (enmandsvirksomhed)")
        }
        // Decision 97: the citizen's signature sends the agreement to the jobcentre, which
        // receives it that day ("Modtaget dato", seed 001 §1.9); a refusal ends it.
        Handling::BorgerUnderskriv if paa_ans(Ans::SendtTilBorger) => {
            ny(Some(Ans::Modtaget), None, None, "Underskrevet af borgeren og modtaget af jobcentret")
        }
        Handling::BorgerAfvis if paa_ans(Ans::SendtTilBorger) => {
            ny(Some(Ans::AfvistAfBorger), None, None, "Borgeren har afvist at underskrive aftalen")
        }
        Handling::RepGodkend if paa_ans(Ans::SendtTilMedarbejderRep) => {
            ny(Some(Ans::Modtaget), None, None, "Godkendt af medarbejderrepræsentanten og modtaget af jobcentret")
        }
        Handling::RepAfvis if paa_ans(Ans::SendtTilMedarbejderRep) => {
            ny(Some(Ans::AfvistAfMedarbejderRep), None, None, "Afvist af medarbejderrepræsentanten")
        }
        // DOMAIN.md step 4: approving prepares the grant and sends it to the company.
        Handling::GodkendAnsoegning if paa_ans(Ans::Modtaget) => ny(
            Some(Ans::Godkendt),
            Some(Afg::AfventerVirksomhed),
            None,
            "Ansøgning godkendt; bevilling udarbejdet og sendt til virksomheden",
        ),
        Handling::AfvisAnsoegning if paa_ans(Ans::Modtaget) => ny(Some(Ans::Afvist), None, None, "Ansøgning afvist"),
        Handling::GodkendBevilling if t.afgoerelse == Some(Afg::AfventerVirksomhed) => {
            ny(None, Some(Afg::GodkendtAfVirksomhed), None, "Bevilling godkendt af virksomheden")
        }
        // Seed 001 §2.1: a grant the company does not approve ends with DFDG 14.
        Handling::AfvisBevilling if t.afgoerelse == Some(Afg::AfventerVirksomhed) => {
            ny(None, Some(Afg::IkkeGodkendt), None, "Bevilling ikke godkendt af virksomheden")
                .map(|o| Overgang { systemophoer: Some(Systemophoer::BevillingIkkeGodkendt), ..o })
        }
        Handling::AnmodForlaengelse if aktiv_bevilling && !forl_afventer => {
            ny(None, None, Some(Forl::AfventerJobcenter), "Forlængelse anmodet af virksomheden")
        }
        Handling::GodkendForlaengelse if aktiv_bevilling && forl_afventer => {
            ny(None, None, Some(Forl::Godkendt), "Forlængelse godkendt")
        }
        Handling::AfvisForlaengelse if aktiv_bevilling && forl_afventer => {
            ny(None, None, Some(Forl::Afvist), "Forlængelse afvist")
        }
        // A pending extension lapses when the grant ends (docs/case-model.md "Ophør").
        Handling::RegistrerOphoer if aktiv_bevilling => {
            ny(None, Some(Afg::Ophoert), if forl_afventer { Some(Forl::Bortfaldet) } else { None }, "Ophør registreret")
        }
        // Seed 001 §2.1 and decision 88: an approved grant past its end date is closed with DFDG
        // 15; a pending extension keeps it open until the jobcentre answers (DOMAIN.md step 6).
        Handling::LukVedUdloeb if aktiv_bevilling && !forl_afventer => {
            ny(None, Some(Afg::Ophoert), None, "Bevillingen er lukket efter ordinært udløb")
                .map(|o| Overgang { systemophoer: Some(Systemophoer::OrdinaertUdloeb), ..o })
        }
        // Any case that exists can be assigned or moved; seed 001 §1.11: a rejected grant
        // hanging on it does not stop the move.
        Handling::SaetAnsvarlig if t != Tilstand::NY => Ok(Overgang::ingen("Ansvarlig sat")),
        Handling::FlytJobcenter if t != Tilstand::NY => Ok(Overgang::ingen("Sagen er flyttet til et andet jobcenter")),
        // DOMAIN.md step 1 and seed 002 §5.4: a draft the jobcentre e-mailed to the company,
        // or a grant awaiting the company, can be sent again (papirflyver); no status changes.
        Handling::Genfremsend if paa_ans(Ans::Kladde) || t.afgoerelse == Some(Afg::AfventerVirksomhed) => {
            Ok(Overgang::ingen("E-mail gensendt til virksomheden"))
        }
        _ => Err(nej()),
    }
}

/// Whether the role may see a citizen's full CPR number; everyone else sees it masked
/// (DDMMYY-XXXX). Anden Aktør sees CPR only for citizens assigned to it in DFDG, which
/// comes with the Anden Aktør issue (seed 001 §1.2.4), so it is masked here for now.
pub fn maa_se_cpr(rolle: Rolle) -> bool {
    matches!(rolle, Rolle::Virksomhed | Rolle::Borger | Rolle::Sagsbehandler | Rolle::Administrator | Rolle::Styrelse)
}

/// Whether the role has the case lists, Søg and the Excel export (seed 001 §1.2: the
/// menus of the jobcentre and the company). The citizen sees their own agreements and nothing
/// else (issue 13 §2), on the front page; the representative acts through a link.
pub fn har_lister(rolle: Rolle) -> bool {
    !matches!(rolle, Rolle::Borger | Rolle::Medarbejderrep | Rolle::System)
}

/// Which cases a CPR or name filter may find for an actor. Masking the rows drawn is not
/// enough: a filter on the unmasked column would answer yes or no for any CPR, and an Anden
/// Aktør could find the last four digits of a masked one in 10,000 searches (issue 14 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersondataSoegning {
    /// Any case in scope: the roles that see CPR and names.
    Alle,
    /// Only the cases of citizens assigned (udlagt) to this Anden Aktør in DFDG (seed 001
    /// §1.2.4).
    KunUdlagteTil(i64),
    /// None: the filter matches nothing.
    Ingen,
}

/// See [`PersondataSoegning`].
pub fn persondata_soegning(aktoer: &Aktoer) -> PersondataSoegning {
    match aktoer {
        Aktoer::AndenAktoer { organisation_id } => PersondataSoegning::KunUdlagteTil(*organisation_id),
        a if maa_se_cpr(a.rolle()) => PersondataSoegning::Alle,
        _ => PersondataSoegning::Ingen,
    }
}

/// Whether the actor may sort a list by CPR or name: only where every row shows them, since
/// the order of masked rows tells what the mask hides (issue 14 §2).
pub fn maa_sortere_paa_persondata(aktoer: &Aktoer) -> bool {
    persondata_soegning(aktoer) == PersondataSoegning::Alle
}

/// Who makes a citizen's extract (GDPR Art. 15, issue 14 §3), and of what: STAR for the whole
/// country, a jobcentre's administrator for its own cases and its own users' reads; the same
/// administrators as the deliveries ([`leveringsscope`]).
pub fn indsigtsomfang(aktoer: &Aktoer) -> Option<Leveringsscope> {
    leveringsscope(aktoer)
}

/// Whose statistics dashboard an actor sees (issue 12 §1): a jobcentre's administrator sees
/// their own jobcentre, the national administrator the whole country. The same administrators
/// as the deliveries ([`leveringsscope`]); a caseworker, a company or a citizen sees none.
pub fn statistikomfang(aktoer: &Aktoer) -> Option<Leveringsscope> {
    leveringsscope(aktoer)
}

/// Whose deliveries to municipal systems an actor may see and replay (issue 4 §1: "a
/// dead-letter state, which the administrator sees and can replay").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leveringsscope {
    /// One jobcentre's subscribers and e-mails: its FKA administrator (seed 002 §1.2).
    Jobcenter(i64),
    /// Every jobcentre: the national administrator.
    Alle,
}

/// Whether the role administers deliveries (its menu shows "Leveringer").
pub fn administrerer_leveringer(rolle: Rolle) -> bool {
    matches!(rolle, Rolle::Administrator | Rolle::Styrelse)
}

/// The deliveries the actor administers; None for everyone else. A caseworker does not
/// administer the integration (seed 002 §1.2: Star-VITAS-Administrator "administrerer").
pub fn leveringsscope(aktoer: &Aktoer) -> Option<Leveringsscope> {
    match aktoer {
        Aktoer::Administrator { jobcenter_id } => Some(Leveringsscope::Jobcenter(*jobcenter_id)),
        Aktoer::Styrelse => Some(Leveringsscope::Alle),
        _ => None,
    }
}

#[cfg(test)]
mod leveringer_tests {
    use super::*;

    #[test]
    fn kun_administratorer_ser_leveringer_og_kun_egne() {
        for (aktoer, forventet) in [
            (Aktoer::Administrator { jobcenter_id: 7 }, Some(Leveringsscope::Jobcenter(7))),
            (Aktoer::Styrelse, Some(Leveringsscope::Alle)),
            (Aktoer::Sagsbehandler { jobcenter_id: 7 }, None),
            (Aktoer::Virksomhed { cvr: "25348710".into() }, None),
            (Aktoer::AndenAktoer { organisation_id: 1 }, None),
            (Aktoer::Borger { cpr: "0101901234".into() }, None),
            (Aktoer::Medarbejderrep { sag_id: 1 }, None),
        ] {
            assert_eq!(leveringsscope(&aktoer), forventet, "{aktoer:?}");
            assert_eq!(administrerer_leveringer(aktoer.rolle()), forventet.is_some(), "{aktoer:?}");
        }
    }
}

#[cfg(test)]
mod persondata_tests {
    use super::*;

    #[test]
    fn kun_roller_der_ser_cpr_kan_soege_og_sortere_frit() {
        for (aktoer, forventet) in [
            (Aktoer::Administrator { jobcenter_id: 7 }, PersondataSoegning::Alle),
            (Aktoer::Sagsbehandler { jobcenter_id: 7 }, PersondataSoegning::Alle),
            (Aktoer::Styrelse, PersondataSoegning::Alle),
            (Aktoer::Virksomhed { cvr: "25348710".into() }, PersondataSoegning::Alle),
            (Aktoer::Borger { cpr: "0101901234".into() }, PersondataSoegning::Alle),
            (Aktoer::AndenAktoer { organisation_id: 3 }, PersondataSoegning::KunUdlagteTil(3)),
            (Aktoer::Medarbejderrep { sag_id: 1 }, PersondataSoegning::Ingen),
        ] {
            assert_eq!(persondata_soegning(&aktoer), forventet, "{aktoer:?}");
            assert_eq!(maa_sortere_paa_persondata(&aktoer), forventet == PersondataSoegning::Alle, "{aktoer:?}");
        }
    }
}
