//! The case page and the actions on a case, one file per use case: the page (`vis`), the
//! simple actions and their e-mails (`handling`: approve the application with the decision's
//! fields, the citizen's signature, approve the grant, the extension's answer, "Gensend",
//! moving), the rejection (`afvis`), the extension request (`forlaengelse`) and the
//! termination (`ophoer`). The rules live in `domain`; these parse the form, ask the domain,
//! and hand the change to `storage::sager::udfoer`.

mod afvis;
mod forlaengelse;
mod handling;
mod ophoer;
mod vis;

pub use afvis::{afvis, afvis_form};
pub use forlaengelse::{forlaengelse, forlaengelse_form};
pub use handling::{flyt, gensend, handling};
pub use ophoer::{ophoer, ophoer_form};
pub use vis::vis;

use super::Ramme;
use crate::auth::Bruger;
use crate::fejl::WebFejl;
use crate::felt::{Felt, FeltArt};
use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use domain::policy::{self, Handling};
use domain::skema::Skemadata;
use storage::entity::sag;

#[derive(Template, WebTemplate)]
#[template(path = "formular.html")]
pub struct FormularSide {
    pub ramme: Ramme,
    pub sag_id: i64,
    pub version: i64,
    pub overskrift: String,
    pub intro: Vec<String>,
    pub felter: Vec<Felt>,
    pub handling_url: String,
    pub knap_id: &'static str,
    pub knap_tekst: &'static str,
    pub advarsler: Vec<String>,
}

impl FormularSide {
    pub fn har_fejl(&self) -> bool {
        self.felter.iter().any(|f| f.fejl.is_some())
    }
}

pub(super) fn formular_svar(side: FormularSide, fejl: bool) -> axum::response::Response {
    if fejl { (StatusCode::UNPROCESSABLE_ENTITY, side).into_response() } else { side.into_response() }
}

/// Refuse early, with the policy's Danish reason, before showing a form for an action.
pub(super) fn kraev(b: &Bruger, sag: &sag::Model, h: Handling) -> Result<(), WebFejl> {
    policy::tjek(&b.aktoer, h, &storage::sager::fakta(sag)?)
        .map(|_| ())
        .map_err(|e| WebFejl::from(storage::StorageError::Afvist(e)))
}

pub(super) fn kontakt_email(s: &Skemadata) -> Option<String> {
    Some(s.dele().kontakt.kontakt_email.trim().to_string()).filter(|e| !e.is_empty())
}

/// The name of the company's contact person, for the e-mails' greeting.
pub(super) fn kontakt_navn(s: &Skemadata) -> &str {
    &s.dele().kontakt.kontakt_navn
}
