//! "Slet kladde" (issue 13 §7, decision 90): the company deletes a draft of its own. The lists'
//! link leads to a page that shows which draft it is and asks; its form posts, and the draft
//! is removed through the one write path (`storage::sager::udfoer`). No JavaScript is needed.

use super::{Indsendt, Ramme, Svar, version, videre};
use crate::AppState;
use crate::auth::Bruger;
use crate::fejl::WebFejl;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::IntoResponse;
use chrono::Utc;
use domain::policy::{self, Handling};
use storage::entity::sag;
use storage::sager::Aendring;

#[derive(Template, WebTemplate)]
#[template(path = "slet_kladde.html")]
pub struct SletKladde {
    pub ramme: Ramme,
    pub id: i64,
    pub version: i64,
    pub ordning: &'static str,
    pub borger: String,
    pub oprettet: String,
    pub aendret: String,
}

/// The draft `id` if the user may delete it (the policy's answer, as a Danish page if not).
async fn kladden(st: &AppState, b: &Bruger, id: i64) -> Result<sag::Model, WebFejl> {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    policy::tjek(&b.aktoer, Handling::SletKladde, &storage::sager::fakta(&sag)?)
        .map_err(|e| WebFejl::from(storage::StorageError::Afvist(e)))?;
    Ok(sag)
}

/// GET `/sager/{id}/slet`: which draft, and "are you sure".
pub async fn bekraeft(State(st): State<AppState>, b: Bruger, super::Sti(id): super::Sti<i64>) -> Svar {
    let sag = kladden(&st, &b, id).await?;
    let skema = storage::sager::skemadata(&st.db.conn, &sag).await?;
    let (cpr, navn) = super::forside::borger(&sag, skema.as_ref());
    crate::adgangslog::laest(&st, &b, storage::adgangslog::Formaal::Sag, format!("sag {id}"), [cpr.as_deref()]).await?;
    let tid = |t| domain::periode::dansk_tid(t).format("%d-%m-%Y kl. %H:%M").to_string();
    Ok(SletKladde {
        ramme: Ramme::ny("Slet kladde", Some(&b)),
        id,
        version: sag.version,
        ordning: storage::sager::ordning(&sag)?.navn(),
        borger: super::forside::borger_tekst(cpr.as_deref(), navn.as_deref(), b.rolle)
            .unwrap_or_else(|| "Ikke udfyldt endnu".into()),
        oprettet: tid(sag.oprettet),
        aendret: tid(sag.aendret),
    }
    .into_response())
}

/// POST `/sager/{id}/slet`: delete the draft, then the front page says so.
pub async fn slet(
    State(st): State<AppState>,
    b: Bruger,
    super::Sti(id): super::Sti<i64>,
    Indsendt(f): Indsendt,
) -> Svar {
    let mut a = Aendring::ny(Handling::SletKladde);
    a.forventet_version = version(&f);
    storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, Utc::now()).await?;
    Ok(videre(format!("/?slettet={id}")))
}
