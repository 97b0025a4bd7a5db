//! The response contract of the Get services (seed 002 §1.1; DOMAIN.md "Web services").
//!
//! Every answer is tagged by `virksomhedsordningSkabelon` (the scheme's code, as in the
//! OrdningsNotifikation) and carries the scheme's own fields. VITAS holds løntilskud data
//! today; the other schemes' shapes are the contract their data will fill, and until then their
//! cases are answered 409 `ordning_uden_data` (docs/decisions.md 35). Field names follow STAR's
//! Danish camelCase.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

// ---- Shared blocks ----------------------------------------------------------------------------

/// What every answer says about the case.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Sagsoplysninger {
    /// The case's external id (`eksterntId` in the OrdningsNotifikation).
    pub eksternt_id: String,
    /// The record kind this answer is about: `ansoegning`, `bevilling`, `forlaengelse`,
    /// `ophoer` or `aftale`.
    pub virksomhedsordning_subskabelon: String,
    /// For a supplementary grant (tillægsbevilling): the main case's external id.
    pub hovedsag_eksternt_id: Option<String>,
    pub jobcenter_kode: Option<String>,
    pub cvr: String,
    pub pnummer: Option<String>,
    pub ansoegning_status: Option<String>,
    pub afgoerelse_status: Option<String>,
    pub forlaengelse_status: Option<String>,
    /// The date of the decision (afgørelsesdato).
    pub afgoerelse_dato: Option<NaiveDate>,
    /// The responsible caseworker; municipal systems match users by the e-mail (DOMAIN.md).
    pub ansvarlig_sagsbehandler: Option<Sagsbehandler>,
    /// The Anden Aktør that obtained the case, if any (DOMAIN.md "Facts…").
    pub anden_aktoer: Option<AndenAktoerReference>,
}

/// DOMAIN.md "Facts…": first name 1–50, middle 0–40, last name 1–40 characters, e-mail.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Sagsbehandler {
    #[schema(max_length = 50)]
    pub fornavn: String,
    #[schema(max_length = 40)]
    pub mellemnavn: String,
    #[schema(max_length = 40)]
    pub efternavn: String,
    pub email: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AndenAktoerReference {
    pub navn: String,
    pub cvr: String,
    pub pnummer: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Borger {
    /// Ten digits, no dash.
    pub cpr: String,
    pub navn: String,
}

/// Hours per week as hours and minutes, the minutes rounded UP to the next quarter
/// (seed 002 §2.5): 37,10 → 37 t 15 min.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TimerOgMinutter {
    pub timer: u32,
    /// 0, 15, 30 or 45.
    #[schema(minimum = 0, maximum = 45, multiple_of = 15)]
    pub minutter: u32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Kontaktperson {
    pub navn: String,
    pub email: String,
    pub telefon: String,
}

/// The employment a grant is about.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Ansaettelse {
    pub borger: Borger,
    pub startdato: Option<NaiveDate>,
    pub slutdato: Option<NaiveDate>,
    pub timer_pr_uge: Option<TimerOgMinutter>,
    pub stillingsbetegnelse: String,
    /// At most 2000 characters, like an activity in DFDG (seed 001 §1.7).
    #[schema(max_length = 2000)]
    pub jobindhold: String,
}

/// The grant record.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bevillingsdata {
    /// The record's own id (sagselement).
    pub element_id: String,
    pub startdato: Option<NaiveDate>,
    /// The end date the grant was made with.
    pub slutdato: Option<NaiveDate>,
    /// The end date the scheme has at the time of the call (seed 002 §2.2).
    pub aktuel_slutdato: Option<NaiveDate>,
    /// The original end date (seed 002 §2.2).
    pub oprindelig_slutdato: Option<NaiveDate>,
    /// The day the company approved the grant.
    pub godkendt_dato: Option<NaiveDate>,
}

// ---- GetAnsøgning -----------------------------------------------------------------------------

/// GetAnsøgning: løntilskud, virksomhedspraktik, nytteindsats, fleksjob, voksenlærling and
/// jobrotation (seed 002 §1.1).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "virksomhedsordningSkabelon")]
pub enum AnsoegningSvar {
    #[serde(rename = "loentilskud")]
    Loentilskud(LoentilskudAnsoegningSvar),
    #[serde(rename = "virksomhedspraktik")]
    Virksomhedspraktik(PraktikAnsoegningSvar),
    #[serde(rename = "nytteindsats")]
    Nytteindsats(PraktikAnsoegningSvar),
    #[serde(rename = "fleksjob")]
    Fleksjob(FleksjobAnsoegningSvar),
    #[serde(rename = "voksenlaerling")]
    Voksenlaerling(VoksenlaerlingAnsoegningSvar),
    #[serde(rename = "jobrotation")]
    Jobrotation(JobrotationAnsoegningSvar),
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoentilskudAnsoegningSvar {
    #[serde(flatten)]
    pub sag: Sagsoplysninger,
    pub modtaget_dato: Option<NaiveDate>,
    pub ansaettelse: Ansaettelse,
    /// The hourly wage in øre.
    pub timeloen_oere: Option<i64>,
    /// The company found the person itself (øremærket).
    pub oeremaerket: Option<bool>,
    /// The company said it is in a labour conflict, or the register did (seed 002 §2.1).
    pub konfliktramt: bool,
    /// The hourly subsidy rate's kind (seed 002 §3.6).
    pub time_tilskudsats_type: String,
    pub time_tilskudsats_beskrivelse: String,
    /// The company's contact for the application.
    pub ansvarlig_kontaktperson: Kontaktperson,
    /// The contact at the workplace (seed 002 §2.4).
    pub kontaktperson_arbejdssted: Kontaktperson,
    pub bemaerkning: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PraktikAnsoegningSvar {
    #[serde(flatten)]
    pub sag: Sagsoplysninger,
    pub modtaget_dato: Option<NaiveDate>,
    pub ansaettelse: Ansaettelse,
    /// The purpose of the placement (seed 003).
    pub formaal: String,
    pub kontaktperson_arbejdssted: Kontaktperson,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FleksjobAnsoegningSvar {
    #[serde(flatten)]
    pub sag: Sagsoplysninger,
    pub modtaget_dato: Option<NaiveDate>,
    pub ansaettelse: Ansaettelse,
    /// "midlertidigt" or "permanent".
    pub fleksjobtype: String,
    /// The person is employed in their own company (seed 001 §3.3: then never permanent).
    pub ansat_i_egen_virksomhed: Option<bool>,
    /// Wage type ("timeloen" or "maanedsloen") and start wage in øre (seed 003).
    pub loentype: String,
    pub startloen_oere: Option<i64>,
    pub kontaktperson_arbejdssted: Kontaktperson,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VoksenlaerlingAnsoegningSvar {
    #[serde(flatten)]
    pub sag: Sagsoplysninger,
    pub modtaget_dato: Option<NaiveDate>,
    pub ansaettelse: Ansaettelse,
    pub uddannelse: String,
    /// The hourly subsidy rate's kind (seed 002 §3.6).
    pub time_tilskudsats_type: String,
    pub time_tilskudsats_beskrivelse: String,
    pub kontaktperson_arbejdssted: Kontaktperson,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobrotationAnsoegningSvar {
    #[serde(flatten)]
    pub sag: Sagsoplysninger,
    pub modtaget_dato: Option<NaiveDate>,
    /// The case's citizen's employment: the first substitute (decision 95).
    pub ansaettelse: Ansaettelse,
    /// The company said it is in a labour conflict, or the register did (seed 002 §2.1).
    pub konfliktramt: bool,
    /// The employees on courses (Trin 2), in the application's order.
    pub medarbejdere_paa_kursus: Vec<KursusMedarbejderSvar>,
    /// Every substitute (Trin 3), the case's citizen first.
    pub vikarer: Vec<VikarSvar>,
    pub kontaktperson_arbejdssted: Kontaktperson,
}

/// An employee on a course while a substitute works (jobrotation, Trin 2).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KursusMedarbejderSvar {
    pub borger: Borger,
    pub stillingsbetegnelse: String,
    /// Ordinarily employed in the company (seed 003); `None` when unanswered.
    pub ordinaert_ansat: Option<bool>,
    /// The education background's code (seed 003: `ufaglaert`, `faglaert`,
    /// `kort_videregaaende`, `mellemlang_videregaaende`, `lang_videregaaende`).
    pub uddannelsesniveau: String,
    /// A long higher education noted as outdated (seed 003).
    pub uddannelse_foraeldet: bool,
    pub ansat_siden: Option<NaiveDate>,
    pub kursus: String,
    /// The school or place of education (seed 003).
    pub skole: String,
    pub kursus_startdato: Option<NaiveDate>,
    pub kursus_slutdato: Option<NaiveDate>,
    pub kursus_timer_pr_uge: Option<TimerOgMinutter>,
}

/// A substitute (jobrotation, Trin 3): the citizen, the education and employment background
/// (seed 003), and the substitute's own job, period and hours.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VikarSvar {
    pub borger: Borger,
    /// The education background's code, as for the employees (seed 003).
    pub uddannelsesniveau: String,
    pub uddannelse_foraeldet: bool,
    /// Ordinary employment background (seed 003).
    pub ordinaer_beskaeftigelse: String,
    pub ledig_siden: Option<NaiveDate>,
    pub startdato: Option<NaiveDate>,
    pub slutdato: Option<NaiveDate>,
    pub timer_pr_uge: Option<TimerOgMinutter>,
    pub stillingsbetegnelse: String,
    pub jobindhold: String,
}

// ---- GetBevilling -----------------------------------------------------------------------------

/// GetBevilling: løntilskud, virksomhedspraktik, nytteindsats, fleksjob, voksenlærling, mentor,
/// personlig assistent and hjælpemiddel (seed 002 §1.1).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "virksomhedsordningSkabelon")]
pub enum BevillingSvar {
    #[serde(rename = "loentilskud")]
    Loentilskud(LoentilskudBevillingSvar),
    #[serde(rename = "virksomhedspraktik")]
    Virksomhedspraktik(StandardBevillingSvar),
    #[serde(rename = "nytteindsats")]
    Nytteindsats(StandardBevillingSvar),
    #[serde(rename = "fleksjob")]
    Fleksjob(FleksjobvurderingSvar),
    #[serde(rename = "voksenlaerling")]
    Voksenlaerling(VoksenlaerlingBevillingSvar),
    #[serde(rename = "mentor")]
    Mentor(MentorBevillingSvar),
    #[serde(rename = "personlig_assistent")]
    PersonligAssistent(PersonligAssistanceBevillingSvar),
    #[serde(rename = "hjaelpemiddel")]
    Hjaelpemiddel(HjaelpemiddelBevillingSvar),
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoentilskudBevillingSvar {
    #[serde(flatten)]
    pub sag: Sagsoplysninger,
    pub bevilling: Bevillingsdata,
    pub ansaettelse: Ansaettelse,
    /// The cap on the subsidy the caseworker chose: 50 or 75 (% of the wage cost; seed 004).
    pub tilskudsloft_procent: Option<u32>,
    /// The hourly subsidy rate's kind (seed 002 §3.6).
    pub time_tilskudsats_type: String,
    pub time_tilskudsats_beskrivelse: String,
    /// The contact at the workplace, not the application's contact (seed 002 §2.4).
    pub kontaktperson_arbejdssted: Kontaktperson,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StandardBevillingSvar {
    #[serde(flatten)]
    pub sag: Sagsoplysninger,
    pub bevilling: Bevillingsdata,
    pub ansaettelse: Ansaettelse,
    pub kontaktperson_arbejdssted: Kontaktperson,
}

/// The fleksjob's decision is an assessment (fleksjobvurdering; DOMAIN.md "Facts").
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FleksjobvurderingSvar {
    #[serde(flatten)]
    pub sag: Sagsoplysninger,
    pub bevilling: Bevillingsdata,
    pub ansaettelse: Ansaettelse,
    /// "Jobcentrets vurdering af arbejdsintensitet (i %)", a decimal (seed 002 §4.2).
    #[schema(exclusive_minimum = 0, exclusive_maximum = 100)]
    pub arbejdsintensitet_procent: Option<f64>,
    pub kontaktperson_arbejdssted: Kontaktperson,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VoksenlaerlingBevillingSvar {
    #[serde(flatten)]
    pub sag: Sagsoplysninger,
    pub bevilling: Bevillingsdata,
    pub ansaettelse: Ansaettelse,
    pub uddannelse: String,
    /// The hourly subsidy rate's kind (seed 002 §3.6).
    pub time_tilskudsats_type: String,
    pub time_tilskudsats_beskrivelse: String,
    pub kontaktperson_arbejdssted: Kontaktperson,
}

/// A mentor grant, also as a supplementary grant (GetMentor).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MentorBevillingSvar {
    #[serde(flatten)]
    pub sag: Sagsoplysninger,
    pub bevilling: Bevillingsdata,
    pub borger: Borger,
    /// Seed 002 §5.1: 34 Mentor, Individuel; 35 Mentor, Plads.
    #[schema(minimum = 34, maximum = 35)]
    pub mentor_type_id: u32,
    pub mentor_type_tekst: String,
    /// Seed 002 §5.2: at most 2000 characters.
    #[schema(max_length = 2000)]
    pub mentorfunktion_beskrivelse: String,
    pub timer_pr_uge: Option<TimerOgMinutter>,
    pub kontaktperson_arbejdssted: Kontaktperson,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersonligAssistanceBevillingSvar {
    #[serde(flatten)]
    pub sag: Sagsoplysninger,
    pub bevilling: Bevillingsdata,
    pub borger: Borger,
    pub funktionsnedsaettelse: String,
    pub timer_pr_uge: Option<TimerOgMinutter>,
    /// The jobcentre's message to the company (seed 002 §5.3).
    pub besked_til_virksomhed: String,
    pub kontaktperson_arbejdssted: Kontaktperson,
}

/// An aid grant, also as a supplementary grant (GetHjælpemiddel).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HjaelpemiddelBevillingSvar {
    #[serde(flatten)]
    pub sag: Sagsoplysninger,
    pub bevilling: Bevillingsdata,
    pub borger: Borger,
    pub hjaelpemiddel: String,
    pub funktionsnedsaettelse: String,
}

// ---- GetForlængelse ---------------------------------------------------------------------------

/// GetForlængelse: løntilskud, virksomhedspraktik, nytteindsats, voksenlærling, mentor,
/// personlig assistent and hjælpemiddel (seed 002 §1.1).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "virksomhedsordningSkabelon")]
pub enum ForlaengelseSvar {
    #[serde(rename = "loentilskud")]
    Loentilskud(Forlaengelser),
    #[serde(rename = "virksomhedspraktik")]
    Virksomhedspraktik(Forlaengelser),
    #[serde(rename = "nytteindsats")]
    Nytteindsats(Forlaengelser),
    #[serde(rename = "voksenlaerling")]
    Voksenlaerling(Forlaengelser),
    #[serde(rename = "mentor")]
    Mentor(Forlaengelser),
    #[serde(rename = "personlig_assistent")]
    PersonligAssistent(Forlaengelser),
    #[serde(rename = "hjaelpemiddel")]
    Hjaelpemiddel(Forlaengelser),
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Forlaengelser {
    #[serde(flatten)]
    pub sag: Sagsoplysninger,
    /// The end date the scheme has at the time of the call (seed 002 §2.2).
    pub aktuel_slutdato: Option<NaiveDate>,
    /// The original end date (seed 002 §2.2).
    pub oprindelig_slutdato: Option<NaiveDate>,
    pub timer_pr_uge: Option<TimerOgMinutter>,
    /// The job content as of the latest extension request (≤ 2000 characters).
    #[schema(max_length = 2000)]
    pub jobindhold: String,
    /// Every extension, oldest first.
    pub forlaengelser: Vec<Forlaengelse>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Forlaengelse {
    pub element_id: String,
    /// `afventer_jobcenter`, `godkendt`, `afvist` or `bortfaldet`.
    pub forlaengelse_status: String,
    pub startdato: Option<NaiveDate>,
    pub slutdato: Option<NaiveDate>,
    /// The company confirmed that the employment letter still applies.
    pub ansaettelsesbrev_gaelder: Option<bool>,
}

// ---- GetOphør ---------------------------------------------------------------------------------

/// GetOphør: løntilskud, virksomhedspraktik, nytteindsats and voksenlærling (seed 002 §1.1).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "virksomhedsordningSkabelon")]
pub enum OphoerSvar {
    #[serde(rename = "loentilskud")]
    Loentilskud(Ophoer),
    #[serde(rename = "virksomhedspraktik")]
    Virksomhedspraktik(Ophoer),
    #[serde(rename = "nytteindsats")]
    Nytteindsats(Ophoer),
    #[serde(rename = "voksenlaerling")]
    Voksenlaerling(Ophoer),
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Ophoer {
    #[serde(flatten)]
    pub sag: Sagsoplysninger,
    pub element_id: String,
    pub borger: Borger,
    pub ophoersdato: Option<NaiveDate>,
    /// The end date the scheme has at the time of the call (seed 002 §2.2).
    pub aktuel_slutdato: Option<NaiveDate>,
    /// The original end date (seed 002 §2.2).
    pub oprindelig_slutdato: Option<NaiveDate>,
    /// VITAS's termination reason (seed 001 §2.1); null when the grant ended without one: not
    /// approved (DFDG 14) or closed at its end date (DFDG 15), decision 88.
    pub ophoersaarsag_id: Option<u32>,
    /// The reason's text, or what happened when there is no reason ("Bevillingsperioden er
    /// udløbet", "Bevillingen er ikke godkendt").
    pub ophoersaarsag_tekst: String,
    /// The sub-choice of "Den ansatte er ophørt før tid", if any.
    pub undervalg_id: Option<u32>,
    pub undervalg_tekst: Option<String>,
    /// The reason's code in DFDG's ActivityService; null when it is not mapped (seed 001 §2.1).
    pub dfdg_ophoersaarsag_id: Option<u32>,
    pub dfdg_ophoersaarsag_tekst: Option<String>,
}

// ---- GetAftale, GetMentor, GetHjælpemiddel ------------------------------------------------------

/// GetAftale: the IGU agreement (seed 002 §1.1).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "virksomhedsordningSkabelon")]
pub enum AftaleSvar {
    #[serde(rename = "igu")]
    Igu(IguAftale),
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IguAftale {
    #[serde(flatten)]
    pub sag: Sagsoplysninger,
    /// The agreement record's id.
    pub element_id: String,
    /// The day the jobcentre received the agreement: the day the citizen signed it.
    pub modtaget_dato: Option<NaiveDate>,
    pub ansaettelse: Ansaettelse,
    /// The hourly wage agreed, in øre.
    pub timeloen_oere: Option<i64>,
    /// Where the school part takes place.
    pub uddannelsessted: String,
    /// The teaching plan, made within a month of the agreement (DOMAIN.md "Facts…").
    pub undervisningsplan: String,
    /// The day the teaching plan was made.
    pub undervisningsplan_dato: Option<NaiveDate>,
    /// When the company signed (RFC 3339, UTC).
    pub virksomhed_underskrevet: Option<String>,
    /// When the citizen signed (RFC 3339, UTC); absent until then.
    pub borger_underskrevet: Option<String>,
    pub kontaktperson_arbejdssted: Kontaktperson,
}

/// GetMentor: a mentor supplementary grant (tillægsbevilling; seed 002 §1.1).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "virksomhedsordningSkabelon")]
pub enum MentorTillaegSvar {
    #[serde(rename = "mentor")]
    Mentor(MentorBevillingSvar),
}

/// GetHjælpemiddel: an aid supplementary grant (tillægsbevilling; seed 002 §1.1).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "virksomhedsordningSkabelon")]
pub enum HjaelpemiddelTillaegSvar {
    #[serde(rename = "hjaelpemiddel")]
    Hjaelpemiddel(HjaelpemiddelBevillingSvar),
}
