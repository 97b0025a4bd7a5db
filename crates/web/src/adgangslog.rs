//! Writing the access log from the pages (issue 14 §3, decision 68): one entry per read, with
//! the CPR numbers the page showed. A read the log cannot record is not served.

use storage::adgangslog::{Formaal, Laesning};

use crate::AppState;
use crate::auth::Bruger;
use crate::fejl::WebFejl;

/// The logged-in user read `cpr` (the cases' CPR numbers; empty ones are skipped).
pub async fn laest<'a>(
    st: &AppState,
    b: &Bruger,
    formaal: Formaal,
    hvad: impl Into<String>,
    cpr: impl IntoIterator<Item = Option<&'a str>>,
) -> Result<(), WebFejl> {
    if !st.adgangslog {
        return Ok(());
    }
    let cpr: Vec<String> = cpr.into_iter().flatten().map(str::to_string).collect();
    let l = Laesning {
        bruger_id: Some(b.model.id),
        api_klient_id: None,
        rolle: b.rolle.kode().into(),
        formaal,
        hvad: hvad.into(),
        cpr,
    };
    storage::adgangslog::skriv(&st.db, l, chrono::Utc::now()).await?;
    Ok(())
}
