//! "Indsigt": the citizen's extract for a request under GDPR Art. 15 (issue 14 §3, decision
//! 69). An administrator enters the CPR (in a POST body, never in the address) and gets the
//! cases that hold the person and every read of their data from the access log: on the page,
//! and as JSON. STAR sees the whole country; a jobcentre's administrator its own cases and
//! its own users' reads (`domain::policy::indsigtsomfang`). Anyone else: "Siden findes ikke".
//! Making the extract is itself a read, and is logged.

use super::{Indsendt, Ramme, Svar, vaerdi};
use crate::AppState;
use crate::auth::Bruger;
use crate::fejl::WebFejl;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use domain::policy::{Leveringsscope, indsigtsomfang};
use jobs::pdf::{IndsigtLaesning, IndsigtSag};
use storage::adgangslog::{Formaal, Indsigt};

/// The most reads an extract lists (newest first); the page says when it stopped there.
pub const MAKS_LAESNINGER: u64 = 100_000;
/// The most reads the PDF prints (newest first); the JSON file holds up to [`MAKS_LAESNINGER`].
pub const MAKS_I_PDF: usize = 500;
/// The most reads the page shows (newest first): a page is not a file of 100,000 rows.
pub const MAKS_PAA_SIDEN: usize = 1_000;

/// The extract as the page and the PDF show it: names in Danish, times in Danish time, the
/// newest `maks` reads.
pub struct Udtraek {
    pub sager: Vec<IndsigtSag>,
    pub laesninger: Vec<IndsigtLaesning>,
    /// More reads than shown.
    pub afkortet: bool,
}

impl Udtraek {
    fn ny(i: Indsigt, maks: usize) -> Udtraek {
        let afkortet = i.afkortet || i.laesninger.len() > maks;
        Udtraek {
            sager: i
                .sager
                .iter()
                .map(|s| IndsigtSag {
                    id: s.id,
                    ordning: domain::ordning::Ordning::fra_kode(&s.ordning)
                        .map_or(s.ordning.clone(), |o| o.navn().into()),
                    status: storage::sager::tilstand(s).map(|t| t.vist_status().to_string()).unwrap_or_default(),
                    oprettet: tid(s.oprettet),
                })
                .collect(),
            laesninger: i
                .laesninger
                .into_iter()
                .take(maks)
                .map(|l| IndsigtLaesning {
                    tidspunkt: tid(l.tidspunkt),
                    hvem: l.hvem,
                    rolle: domain::policy::Rolle::fra_kode(&l.rolle).map_or(l.rolle.clone(), |r| r.navn().into()),
                    formaal: l.formaal,
                    hvad: l.hvad,
                })
                .collect(),
            afkortet,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "indsigt.html")]
pub struct IndsigtSide {
    pub ramme: Ramme,
    pub omfang: String,
    pub cpr: String,
    pub fejl: Option<String>,
    pub udtraek: Option<Udtraek>,
}

fn omfang(b: &Bruger) -> Result<Option<i64>, WebFejl> {
    match indsigtsomfang(&b.aktoer) {
        Some(Leveringsscope::Alle) => Ok(None),
        Some(Leveringsscope::Jobcenter(id)) => Ok(Some(id)),
        None => Err(WebFejl::SideFindesIkke),
    }
}

fn omfang_tekst(jobcenter: Option<i64>) -> String {
    match jobcenter {
        None => "Udtrækket dækker hele landet.".into(),
        Some(_) => "Udtrækket dækker dit jobcenters sager og dit jobcenters medarbejderes opslag.".into(),
    }
}

fn tid(t: chrono::DateTime<chrono::Utc>) -> String {
    domain::periode::dansk_tid(t).format("%d-%m-%Y kl. %H:%M:%S").to_string()
}

/// GET `/admin/indsigt`: the form.
pub async fn vis(b: Bruger) -> Svar {
    let jobcenter = omfang(&b)?;
    let ramme = Ramme::ny("Indsigt", Some(&b)).paa("/admin/indsigt");
    Ok(IndsigtSide { ramme, omfang: omfang_tekst(jobcenter), cpr: String::new(), fejl: None, udtraek: None }
        .into_response())
}

/// The extract for the posted CPR, logged as a read; Err(page) with the Danish error.
async fn udtraek(
    st: &AppState,
    b: &Bruger,
    cpr: &str,
) -> Result<Result<(domain::ident::Cpr, Indsigt), String>, WebFejl> {
    let jobcenter = omfang(b)?;
    let cpr = match domain::ident::Cpr::parse(cpr, "cpr") {
        Ok(c) => c,
        Err(e) => return Ok(Err(e.besked)),
    };
    let i = storage::adgangslog::indsigt(&st.db, cpr.as_str(), jobcenter, MAKS_LAESNINGER).await?;
    crate::adgangslog::laest(st, b, Formaal::Indsigt, "indsigtsudtraek", [Some(cpr.as_str())]).await?;
    Ok(Ok((cpr, i)))
}

/// POST `/admin/indsigt`: the extract on the page.
pub async fn soeg(State(st): State<AppState>, b: Bruger, Indsendt(f): Indsendt) -> Svar {
    let jobcenter = omfang(&b)?;
    let indtastet = vaerdi(&f, "cpr");
    let ramme = Ramme::ny("Indsigt", Some(&b)).paa("/admin/indsigt");
    let side = match udtraek(&st, &b, &indtastet).await? {
        Err(besked) => {
            IndsigtSide { ramme, omfang: omfang_tekst(jobcenter), cpr: indtastet, fejl: Some(besked), udtraek: None }
        }
        Ok((cpr, i)) => IndsigtSide {
            ramme,
            omfang: omfang_tekst(jobcenter),
            cpr: cpr.formateret(),
            fejl: None,
            udtraek: Some(Udtraek::ny(i, MAKS_PAA_SIDEN)),
        },
    };
    Ok(side.into_response())
}

/// POST `/admin/indsigt/pdf`: the extract as a PDF to hand to the citizen.
pub async fn pdf(State(st): State<AppState>, b: Bruger, Indsendt(f): Indsendt) -> Svar {
    let (cpr, i) = match udtraek(&st, &b, &vaerdi(&f, "cpr")).await? {
        Ok(u) => u,
        Err(besked) => return Err(WebFejl::Ugyldig(besked)),
    };
    let jobcenter = omfang(&b)?;
    let afsender = match jobcenter {
        None => "Styrelsen for Arbejdsmarked og Rekruttering".to_string(),
        Some(id) => storage::organisation::jobcenternavne(&st.db).await?.remove(&id).unwrap_or_default(),
    };
    let u = Udtraek::ny(i, MAKS_I_PDF);
    let doc = jobs::pdf::IndsigtPdf {
        afsender,
        dannet: tid(chrono::Utc::now()),
        cpr: cpr.formateret(),
        omfang: omfang_tekst(jobcenter),
        sager: u.sager,
        laesninger: u.laesninger,
        afkortet: u.afkortet,
    };
    let bytes =
        jobs::pdf::indsigt(doc).await.map_err(|e| WebFejl::Intern(anyhow::anyhow!(e).context("indsigtens PDF")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"vitas-indsigt.pdf\"".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// POST `/admin/indsigt/json`: the same extract as a JSON file.
pub async fn json(State(st): State<AppState>, b: Bruger, Indsendt(f): Indsendt) -> Svar {
    let (cpr, i) = match udtraek(&st, &b, &vaerdi(&f, "cpr")).await? {
        Ok(u) => u,
        Err(besked) => return Err(WebFejl::Ugyldig(besked)),
    };
    let krop = serde_json::json!({
        "cpr": cpr.formateret(),
        "dannet": chrono::Utc::now(),
        "omfang": omfang_tekst(omfang(&b)?),
        "sager": i.sager.iter().map(|s| serde_json::json!({
            "vitasId": s.id,
            "ordning": s.ordning,
            "ansoegningStatus": s.ansoegning_status,
            "afgoerelseStatus": s.afgoerelse_status,
            "oprettet": s.oprettet,
        })).collect::<Vec<_>>(),
        "laesninger": i.laesninger,
        "afkortet": i.afkortet,
    });
    let tekst = serde_json::to_string_pretty(&krop).map_err(|e| WebFejl::Intern(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"vitas-indsigt.json\"".to_string()),
        ],
        tekst,
    )
        .into_response())
}
