//! The statistics extract for STAR's data warehouse over the API (issue 12 §3; decisions
//! 128–130): `GET /api/v1/statistik/udtraek/{tabel}?fra=…&til=…` streams one table as CSV,
//! and `GET /api/v1/statistik/udtraek/datapackage.json?fra=…&til=…` its schema. Only a client
//! with the scope `statistik` (`storage::api::STATISTIK_SCOPE`) may call them.
//!
//! The body is streamed a page at a time (`storage::statistik_udtraek::Laeser`), never
//! collected: memory stays flat for a national year. The request's time limit
//! (`graensevagt::tidsgraense`) covers the answer's head, not the body's stream.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use domain::statistik_udtraek::{self as su, Periode, Tabel};
use storage::statistik_udtraek::Laeser;

use super::ApiSti;
use super::auth::ApiKlient;
use super::fejl::{ApiFejl, ApiFejlSvar};
use crate::AppState;

/// The tag the extract is listed under.
pub const TAG: &str = "Statistik";

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodeQuery {
    /// The period's first day (åååå-mm-dd), included.
    #[param(example = "2026-01-01")]
    pub fra: Option<String>,
    /// The period's last day (åååå-mm-dd), included.
    #[param(example = "2026-12-31")]
    pub til: Option<String>,
}

/// A CSV file (the OpenAPI document's name for the streamed text).
#[derive(ToSchema)]
#[schema(value_type = String)]
pub struct CsvFil(pub String);

/// The checks both endpoints make, in this order: the scope (403), then the period (400).
fn tjek(
    klient: &ApiKlient,
    q: Result<Query<PeriodeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Periode, ApiFejl> {
    if !klient.scopes.iter().any(|s| s == storage::api::STATISTIK_SCOPE) {
        return Err(ApiFejl::ManglerScope(storage::api::STATISTIK_SCOPE));
    }
    let Ok(Query(q)) = q else {
        return Err(ApiFejl::UgyldigPeriode("Perioden kunne ikke læses: giv fra og til som åååå-mm-dd.".into()));
    };
    Periode::parse(q.fra.as_deref().unwrap_or(""), q.til.as_deref().unwrap_or(""))
        .map_err(|f| ApiFejl::UgyldigPeriode(format!("{}: {}", f.felt, f.besked)))
}

/// One table of the extract as CSV (RFC 4180, UTF-8, header first), streamed.
#[utoipa::path(
    get,
    path = "/api/v1/statistik/udtraek/{tabel}",
    operation_id = "HentStatistikudtraek",
    summary = "Statistikudtræk: én tabel som CSV",
    description = "Én tabel af det pseudonymiserede udtræk til STARs statistiske datavarehus for perioden fra–til (begge dage med), som CSV med kolonnerne i datapackage.json. Borgeren er et pseudonym (HMAC-SHA256 med STARs nøgle over CPR-nummeret); navne og fritekst er udeladt. Svaret streames. Kræver scope statistik. Se docs/statistik-udtraek.md.",
    tag = TAG,
    params(
        ("tabel" = String, Path, description = "sager, elementer eller statusskift"),
        PeriodeQuery,
    ),
    security(("bearer" = []), ("oauth2" = ["statistik"])),
    responses(
        (status = 200, description = "Tabellen som CSV", content_type = "text/csv", body = CsvFil),
        (status = 400, description = "fra eller til mangler eller er ugyldig", body = ApiFejlSvar),
        (status = 401, description = "Intet gyldigt adgangstoken", body = ApiFejlSvar),
        (status = 403, description = "Klienten har ikke scope statistik", body = ApiFejlSvar),
        (status = 404, description = "Tabellen findes ikke", body = ApiFejlSvar),
        (status = 503, description = "Serveren har ingen statistiknøgle", body = ApiFejlSvar),
    )
)]
pub async fn hent(
    State(st): State<AppState>,
    klient: ApiKlient,
    ApiSti(tabel): ApiSti<String>,
    q: Result<Query<PeriodeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiFejl> {
    let periode = tjek(&klient, q)?;
    let tabel = Tabel::fra_navn(&tabel).ok_or(ApiFejl::UkendtTabel)?;
    let noegle = st.statistik_noegle.clone().ok_or(ApiFejl::StatistikUtilgaengelig)?;
    let mut laeser = Laeser::ny(&st.db, tabel, &periode, noegle);
    // The header and the first page before the answer's head: a database that is away is a
    // 503 in the API's form, not a cut-off body.
    let mut foerst = String::new();
    for _ in 0..2 {
        if let Some(s) = laeser.naeste().await? {
            foerst.push_str(&s.tekst);
        }
    }
    tracing::info!(klient = %klient.klient_id, tabel = tabel.navn(), fra = %periode.fra, til = %periode.til, "statistikudtræk");
    let resten = futures_util::stream::unfold(Some(laeser), |l| async move {
        let mut l = l?;
        match l.naeste().await {
            Ok(Some(s)) => Some((Ok(Bytes::from(s.tekst)), Some(l))),
            Ok(None) => None,
            Err(e) => {
                // The head is sent; the client sees a body cut short, and the log says why.
                tracing::error!(aarsag = %e, "statistikudtrækket stoppede undervejs");
                Some((Err(std::io::Error::other("statistikudtrækket stoppede undervejs")), None))
            }
        }
    });
    let krop = futures_util::StreamExt::chain(
        futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(Bytes::from(foerst)) }),
        resten,
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", tabel.fil())),
        ],
        Body::from_stream(krop),
    )
        .into_response())
}

/// The extract's schema: a Frictionless Tabular Data Package naming the three tables, their
/// columns and types, the period and the format version (`vitas-statistik/1`).
#[utoipa::path(
    get,
    path = "/api/v1/statistik/udtraek/datapackage.json",
    operation_id = "HentStatistikskema",
    summary = "Statistikudtræk: skemaet (datapackage.json)",
    description = "Udtrækkets skema som Frictionless Data Package: tabellerne, deres kolonner og typer, perioden og formatets version. Kræver scope statistik.",
    tag = TAG,
    params(PeriodeQuery),
    security(("bearer" = []), ("oauth2" = ["statistik"])),
    responses(
        (status = 200, description = "datapackage.json", body = Object),
        (status = 400, description = "fra eller til mangler eller er ugyldig", body = ApiFejlSvar),
        (status = 401, description = "Intet gyldigt adgangstoken", body = ApiFejlSvar),
        (status = 403, description = "Klienten har ikke scope statistik", body = ApiFejlSvar),
    )
)]
pub async fn skema(
    klient: ApiKlient,
    q: Result<Query<PeriodeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiFejl> {
    let periode = tjek(&klient, q)?;
    Ok(Json(su::datapakke(&periode, Utc::now())))
}
