//! Who is logged in. The session cookie maps to a user row; the user's role and binding
//! (CVR, jobcentre, AA organisation, CPR) become the policy's actor.

use crate::AppState;
use crate::fejl::WebFejl;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use domain::policy::{Aktoer, Rolle};
use storage::entity::bruger;
use storage::sager::Udfoerer;

pub const COOKIE: &str = "vitas_session";

/// The logged-in user.
#[derive(Debug, Clone)]
pub struct Bruger {
    pub model: bruger::Model,
    pub rolle: Rolle,
    pub aktoer: Aktoer,
    pub session: String,
}

impl Bruger {
    pub fn navn(&self) -> String {
        [&self.model.fornavn, &self.model.mellemnavn, &self.model.efternavn]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn udfoerer(&self) -> Udfoerer {
        Udfoerer { aktoer: self.aktoer.clone(), bruger_id: Some(self.model.id), navn: self.navn() }
    }
}

/// The actor a stored user acts as; None for a row whose binding is missing.
pub fn aktoer_for(b: &bruger::Model) -> Option<(Rolle, Aktoer)> {
    let rolle = Rolle::fra_kode(&b.rolle)?;
    let aktoer = match rolle {
        Rolle::Virksomhed => Aktoer::Virksomhed { cvr: b.cvr.clone()? },
        Rolle::Borger => Aktoer::Borger { cpr: b.cpr.clone()? },
        Rolle::Sagsbehandler => Aktoer::Sagsbehandler { jobcenter_id: b.jobcenter_id? },
        Rolle::Administrator => Aktoer::Administrator { jobcenter_id: b.jobcenter_id? },
        Rolle::AndenAktoer => Aktoer::AndenAktoer { organisation_id: b.anden_aktoer_id? },
        Rolle::Styrelse => Aktoer::Styrelse,
        // Representatives act through a link, never as logged-in users; nobody logs in as
        // VITAS itself (decision 88).
        Rolle::Medarbejderrep | Rolle::System => return None,
    };
    Some((rolle, aktoer))
}

pub fn cookie_vaerdi(parts: &Parts, navn: &str) -> Option<String> {
    cookie_i(&parts.headers, navn)
}

/// The value of the cookie `navn` in a request's headers.
pub fn cookie_i(headers: &axum::http::HeaderMap, navn: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == navn)
        .map(|(_, v)| v.to_string())
}

impl Bruger {
    async fn fra(parts: &Parts, state: &AppState, glid: bool) -> Result<Self, WebFejl> {
        let Some(id) = cookie_vaerdi(parts, COOKIE) else {
            return Err(WebFejl::IkkeLoggetInd);
        };
        let Some(model) = storage::sessioner::hent_med(&state.db, &id, chrono::Utc::now(), glid).await? else {
            return Err(WebFejl::IkkeLoggetInd);
        };
        let (rolle, aktoer) = aktoer_for(&model).ok_or(WebFejl::IkkeLoggetInd)?;
        Ok(Bruger { model, rolle, aktoer, session: id })
    }
}

/// The user of a session id, if it is a live session, without moving its expiry (an error
/// page drawn again for its user, `fejl::med_brugerens_ramme`). Any failure is "nobody".
pub async fn bruger_for_session(state: &AppState, id: Option<String>) -> Option<Bruger> {
    let id = id?;
    let model = storage::sessioner::hent_med(&state.db, &id, chrono::Utc::now(), false).await.ok()??;
    let (rolle, aktoer) = aktoer_for(&model)?;
    Some(Bruger { model, rolle, aktoer, session: id })
}

impl FromRequestParts<AppState> for Bruger {
    type Rejection = WebFejl;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Bruger::fra(parts, state, true).await
    }
}

/// The logged-in user, for a request the page makes by itself (the export's progress
/// polling): it does not count as activity, so the 30 idle minutes run on (issue 14 §1).
pub struct BrugerUdenGlid(pub Bruger);

impl FromRequestParts<AppState> for BrugerUdenGlid {
    type Rejection = WebFejl;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Bruger::fra(parts, state, false).await.map(BrugerUdenGlid)
    }
}

/// A user if one is logged in (pages that also serve anonymous visitors).
pub struct MaaskeBruger(pub Option<Bruger>);

impl FromRequestParts<AppState> for MaaskeBruger {
    type Rejection = WebFejl;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match Bruger::from_request_parts(parts, state).await {
            Ok(b) => Ok(MaaskeBruger(Some(b))),
            Err(WebFejl::IkkeLoggetInd) => Ok(MaaskeBruger(None)),
            Err(e) => Err(e),
        }
    }
}

/// `Set-Cookie` for a new session: not readable by scripts, not sent on cross-site posts.
/// The session cookie: `HttpOnly`, `SameSite=Lax`, and `Secure` when VITAS is served over TLS.
pub fn saet_cookie(id: &str, sikker: bool) -> String {
    let secure = if sikker { "; Secure" } else { "" };
    format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax{secure}")
}

pub fn slet_cookie(sikker: bool) -> String {
    let secure = if sikker { "; Secure" } else { "" };
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}
