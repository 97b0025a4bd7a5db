//! GET `/sager/{id}/pdf/{dokument}`: a case's application, grant or rejection letter as a PDF
//! download (issue 4 §6). The letter itself comes from `jobs::pdf::dokument`, which the API's
//! GetPDF calls too.

use super::{Sti, Svar};
use crate::AppState;
use crate::auth::Bruger;
use crate::fejl::WebFejl;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use jobs::pdf::{Dokument, DokumentFejl};

/// A `DokumentFejl` as the web layer answers it: a document the case does not have is 404,
/// like an unknown page; the rest is a storage answer or an opaque 500.
pub fn web_fejl(e: DokumentFejl) -> WebFejl {
    match e {
        DokumentFejl::FindesIkke => WebFejl::SideFindesIkke,
        DokumentFejl::Storage(e) => WebFejl::from(e),
        e => WebFejl::Intern(e.into()),
    }
}

pub async fn hent(State(st): State<AppState>, b: Bruger, Sti((id, slug)): Sti<(i64, String)>) -> Svar {
    let dokument = Dokument::fra_slug(&slug).ok_or(WebFejl::SideFindesIkke)?;
    // Outside the user's scope this is "not found", so ids cannot be probed.
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    let hvad = format!("brev {slug} sag {id}");
    crate::adgangslog::laest(&st, &b, storage::adgangslog::Formaal::Brev, hvad, [sag.cpr.as_deref()]).await?;
    let pdf = jobs::pdf::dokument(&st.db, st.cvr.as_ref(), b.rolle, &sag, dokument).await.map_err(web_fejl)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", dokument.filnavn(id))),
            // A letter holds personal data: no shared cache may keep it.
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        pdf,
    )
        .into_response())
}
