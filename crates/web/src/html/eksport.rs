//! Excel export of a list (issue 3 §4). `GET` or `POST /excel/{liste}?…` orders the list
//! with its current filters and order: up to `jobs::eksport::GRAENSE` rows the file comes
//! back at once; above it, a background job is queued and the user is sent to
//! `/eksport/{uuid}`, which shows its progress and, when done, the download. Only the user
//! who ordered an export may see it or fetch it; anyone else gets 404, like an unknown case.

use super::{Ramme, Sti, Svar, videre};
use crate::AppState;
use crate::auth::Bruger;
use crate::fejl::WebFejl;
use crate::laesning::Laeser;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::IntoResponse;
use domain::policy::Rolle;
use jobs::eksport::{self, Bestilling};
use storage::entity::job;
use storage::job::JobStatus;
use storage::lister::{self, Kolonne, Liste, Sortering};

/// The most export jobs one user may have waiting or running at once (decision 82): enough
/// for a few lists side by side, and one user cannot fill the worker's queue.
pub const MAKS_AABNE_JOBS: u64 = 3;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `GET` and `POST /excel/{liste}?…`: the list's file at once, or a job for a large list.
/// The list page posts (a job is created), and ordering the same list again while its job is
/// under way follows that job instead of queuing another. A bookmarked `GET` still gives a
/// small list's file, but never queues work: a link on another site could (issue 14 §2).
pub async fn bestil(
    State(st): State<AppState>,
    metode: axum::http::Method,
    l: Laeser,
    b: Bruger,
    Sti(kode): Sti<String>,
    RawQuery(q): RawQuery,
) -> Svar {
    super::lister::kraev_lister(&b)?;
    let liste = Liste::fra_kode(&kode).ok_or(WebFejl::SideFindesIkke)?;
    // A CPR or name filter arrives as `ref=` (decision 80); put back for this user only.
    let q = super::filterurl::laes(&st.db, b.model.id, q.as_deref().unwrap_or("")).await?;
    let bestilling = Bestilling {
        aktoer: b.aktoer.clone(),
        virksomhed: b.rolle == Rolle::Virksomhed,
        liste,
        filter: q.filter,
        sortering: q.sortering.unwrap_or(Sortering { kolonne: Kolonne::Id, faldende: true }),
        // The worker reads the primary too when this user has just written (decision 116).
        laes_primaer: l.primaer,
    };
    let total = lister::antal(&l.db, &bestilling.aktoer, liste, &bestilling.filter).await?;
    if total <= eksport::GRAENSE {
        // Ordering an export changes nothing a list shows (decision 116).
        return direkte(&st, &l.db, &bestilling, b.model.id, total).await.map(crate::laesning::uden_skrivning);
    }
    if metode != axum::http::Method::POST {
        return Err(WebFejl::Ugyldig(format!(
            "Listen har {} sager og hentes som et baggrundsjob. Åbn listen, og brug knappen »Hent som Excel«.",
            super::tal(total)
        )));
    }
    let payload = serde_json::to_string(&bestilling).map_err(|e| WebFejl::Intern(e.into()))?;
    let job = match storage::job::bestil_for_bruger(
        &st.db,
        eksport::ART,
        &payload,
        b.model.id,
        Some(total),
        MAKS_AABNE_JOBS,
        chrono::Utc::now(),
    )
    .await?
    {
        storage::job::Bestilt::Aaben(j) | storage::job::Bestilt::Ny(j) => j,
        storage::job::Bestilt::ForMange(antal) => {
            return Err(WebFejl::ForMangeJobs(format!(
                "Du har allerede {antal} Excel-udtræk, der venter eller er i gang. Der kan højst være {MAKS_AABNE_JOBS} \
                 ad gangen: vent, til et af dem er færdigt, og bestil så igen. Intet nyt udtræk er bestilt."
            )));
        }
    };
    Ok(crate::laesning::uden_skrivning(videre(format!("/eksport/{}", job.uuid))))
}

/// A small list: written inside the request and sent as an attachment. Its rows are read
/// from `laes` (decision 115); the access log is written to the primary.
async fn direkte(st: &AppState, laes: &storage::Db, bestilling: &Bestilling, bruger_id: i64, total: u64) -> Svar {
    let sti = std::env::temp_dir().join(format!("vitas-eksport-{}.xlsx", uuid::Uuid::new_v4().simple()));
    let skrevet = eksport::skriv_excel(laes, bestilling, Some(total), &sti, |_, _| {}).await;
    let bytes = match skrevet {
        Ok(_) => {
            tokio::fs::read(&sti).await.map_err(|e| WebFejl::Intern(anyhow::Error::new(e).context("eksportfilen")))
        }
        Err(eksport::EksportFejl::Storage(e)) => Err(e.into()),
        Err(e) => Err(WebFejl::Ugyldig(e.to_string())),
    };
    let _ = tokio::fs::remove_file(&sti).await;
    if bytes.is_ok() {
        eksport::log_udtraek(&st.db, laes, bestilling, Some(bruger_id)).await.map_err(|e| match e {
            eksport::EksportFejl::Storage(e) => WebFejl::from(e),
            e => WebFejl::Intern(e.into()),
        })?;
    }
    let navn = filnavn(bestilling.liste, chrono::Utc::now().date_naive());
    Ok(([(header::CONTENT_TYPE, XLSX.to_string()), (header::CONTENT_DISPOSITION, vedhaeftning(&navn))], bytes?)
        .into_response())
}

fn filnavn(liste: Liste, dag: chrono::NaiveDate) -> String {
    format!("vitas-{}-{}.xlsx", liste.kode(), dag.format("%Y-%m-%d"))
}

fn vedhaeftning(navn: &str) -> String {
    format!("attachment; filename=\"{navn}\"")
}

/// A user's export job; another user's, an unknown uuid or another kind of job is 404. The
/// order is None when the payload cannot be read: the job has failed then, and its page
/// still shows why.
async fn hent(st: &AppState, b: &Bruger, uuid: &str) -> Result<(job::Model, Option<Bestilling>), WebFejl> {
    let j = storage::job::hent_for_bruger(&st.db, uuid, b.model.id).await?;
    if j.art != eksport::ART {
        return Err(WebFejl::IkkeFundet);
    }
    let bestilling = serde_json::from_str(&j.payload).ok();
    Ok((j, bestilling))
}

/// Where a job stands, as the page and the JSON status say it.
struct Tilstand {
    status: JobStatus,
    fremskridt: i64,
    total: i64,
    tekst: String,
    fejl: Option<String>,
}

fn tilstand(j: &job::Model) -> Result<Tilstand, WebFejl> {
    let status = storage::job::status(j)?;
    let total = j.total.unwrap_or(0).max(j.fremskridt);
    let fremskridt = if status == JobStatus::Faerdig { total } else { j.fremskridt };
    let raekker = format!("{} af {} rækker", domain::tekst::tusinder(fremskridt), domain::tekst::tusinder(total));
    let tekst = match status {
        JobStatus::Venter => format!("Udtrækket venter på at gå i gang: {raekker}."),
        JobStatus::Koerer => format!("Udtrækket er i gang: {raekker}."),
        JobStatus::Faerdig => format!("Udtrækket er færdigt: {raekker}. Filen er klar."),
        JobStatus::Fejlet => "Udtrækket mislykkedes.".to_string(),
    };
    let fejl = (status == JobStatus::Fejlet)
        .then(|| j.fejl.clone().unwrap_or_else(|| "Der opstod en fejl. Prøv at bestille udtrækket igen.".to_string()));
    Ok(Tilstand { status, fremskridt, total, tekst, fejl })
}

#[derive(Template, WebTemplate)]
#[template(path = "eksport.html")]
pub struct EksportSide {
    pub ramme: Ramme,
    pub uuid: String,
    pub liste_titel: &'static str,
    pub liste_url: String,
    pub bestilt: String,
    pub tekst: String,
    pub fremskridt: i64,
    pub total: i64,
    pub i_gang: bool,
    pub faerdig: bool,
    pub fejl: Option<String>,
}

/// GET `/eksport/{uuid}`: the job's progress; with JavaScript it updates itself.
pub async fn vis(State(st): State<AppState>, b: Bruger, Sti(uuid): Sti<String>) -> Svar {
    let (j, bestilling) = hent(&st, &b, &uuid).await?;
    let t = tilstand(&j)?;
    let liste = bestilling.map(|b| b.liste);
    let liste_url = match liste {
        Some(Liste::SoegAnsoegninger) | None => "/soeg?fane=ansoegninger".to_string(),
        Some(Liste::SoegBevillinger) => "/soeg?fane=bevillinger".to_string(),
        Some(Liste::SoegIgu) => "/soeg?fane=igu".to_string(),
        Some(l) => format!("/lister/{}", l.kode()),
    };
    let side = EksportSide {
        ramme: Ramme::ny("Excel-udtræk", Some(&b)).paa(liste_url.clone()),
        uuid: j.uuid.clone(),
        liste_titel: liste.map(Liste::titel).unwrap_or("en liste"),
        liste_url,
        bestilt: domain::periode::dansk_tid(j.oprettet).format("%d-%m-%Y kl. %H:%M").to_string(),
        tekst: t.tekst,
        fremskridt: t.fremskridt,
        total: t.total,
        i_gang: !t.status.slut(),
        faerdig: t.status == JobStatus::Faerdig,
        fejl: t.fejl,
    };
    Ok(side.into_response())
}

/// GET `/eksport/{uuid}/status`: the progress as JSON, for the page's script.
pub async fn status(
    State(st): State<AppState>,
    crate::auth::BrugerUdenGlid(b): crate::auth::BrugerUdenGlid,
    Sti(uuid): Sti<String>,
) -> Svar {
    let (j, _) = hent(&st, &b, &uuid).await?;
    let t = tilstand(&j)?;
    let fil = (t.status == JobStatus::Faerdig).then(|| format!("/eksport/{}/fil", j.uuid));
    Ok(axum::Json(serde_json::json!({
        "status": t.status.kode(),
        "fremskridt": t.fremskridt,
        "total": t.total,
        "tekst": t.tekst,
        "fil": fil,
        "fejl": t.fejl,
    }))
    .into_response())
}

/// GET `/eksport/{uuid}/fil`: the finished file, streamed from the data folder.
pub async fn fil(State(st): State<AppState>, b: Bruger, Sti(uuid): Sti<String>) -> Svar {
    let (j, bestilling) = hent(&st, &b, &uuid).await?;
    if storage::job::status(&j)? != JobStatus::Faerdig {
        return Err(WebFejl::IkkeFundet);
    }
    // The name is ours (`<uuid>.xlsx`); never follow anything else out of the folder.
    let navn = j.resultat.clone().filter(|n| *n == eksport::filnavn(&j)).ok_or(WebFejl::IkkeFundet)?;
    let fil = tokio::fs::File::open(eksport::mappe(&st.data_dir).join(navn)).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            WebFejl::IkkeFundet
        } else {
            WebFejl::Intern(anyhow::Error::new(e).context("eksportfilen"))
        }
    })?;
    let liste = bestilling.map(|b| b.liste).ok_or(WebFejl::IkkeFundet)?;
    let navn = filnavn(liste, j.oprettet.date_naive());
    let krop = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(fil));
    Ok(([(header::CONTENT_TYPE, XLSX.to_string()), (header::CONTENT_DISPOSITION, vedhaeftning(&navn))], krop)
        .into_response())
}
