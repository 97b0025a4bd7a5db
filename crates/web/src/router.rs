//! Every route of the application, in one place.

use crate::AppState;
use crate::api::{self, dokumentation};
use crate::fejl::WebFejl;
use crate::html::{
    ansoegning, demo, eksport, forside, hoering, indsigt, kladde, leveringer, lister, login, pdf, privatliv, sag,
    statistik,
};
use axum::Router;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router(state: AppState) -> Router {
    let mut r = Router::new()
        .route("/", get(forside::vis))
        .route("/healthz", get(healthz))
        .route("/readyz", get(crate::drift::readyz))
        .route("/metrics", get(crate::drift::metrics_med_token))
        .route("/privatliv", get(privatliv::vis))
        .route("/log-ud", post(login::log_ud))
        .route("/log-ind/svar", get(login::svar))
        .route("/log-ind/{profil}", get(login::start))
        .route("/session/forny", post(forny_session))
        .route("/sager", get(forside::liste))
        .route("/lister/saet-ansvarlig", post(lister::saet_ansvarlig))
        .route("/lister/{liste}", get(lister::liste).post(lister::filtrer))
        .route("/soeg", get(lister::soeg).post(lister::soeg_filtrer))
        .route("/excel/{liste}", get(eksport::bestil).post(eksport::bestil))
        .route("/eksport/{uuid}", get(eksport::vis))
        .route("/eksport/{uuid}/status", get(eksport::status))
        .route("/eksport/{uuid}/fil", get(eksport::fil))
        .route("/ansoegninger/ny", post(ansoegning::ny))
        .route("/sager/{id}", get(sag::vis))
        .route("/sager/{id}/trin/{n}", get(ansoegning::vis_trin).post(ansoegning::gem_trin))
        .route("/sager/{id}/indsend", post(ansoegning::indsend))
        .route("/sager/{id}/slet", get(kladde::bekraeft).post(kladde::slet))
        .route("/sager/{id}/handling/{slug}", post(sag::handling))
        .route("/sager/{id}/afvis", get(sag::afvis_form).post(sag::afvis))
        .route("/sager/{id}/forlaengelse", get(sag::forlaengelse_form).post(sag::forlaengelse))
        .route("/sager/{id}/ophoer", get(sag::ophoer_form).post(sag::ophoer))
        .route("/sager/{id}/flyt", post(sag::flyt))
        .route("/admin/leveringer", get(leveringer::vis))
        .route("/admin/statistik", get(statistik::vis))
        .route("/admin/statistik/{fil}", get(statistik::hent))
        .route("/admin/indsigt", get(indsigt::vis).post(indsigt::soeg))
        .route("/admin/indsigt/json", post(indsigt::json))
        .route("/admin/indsigt/pdf", post(indsigt::pdf))
        .route("/admin/leveringer/genoptag-alle", post(leveringer::genoptag_alle))
        .route("/admin/leveringer/{id}/genoptag", post(leveringer::genoptag))
        .route("/sager/{id}/gensend", post(sag::gensend))
        .route("/sager/{id}/pdf/{dokument}", get(pdf::hent))
        .route("/hoering/kvittering/{udfald}", get(hoering::kvittering))
        .route("/hoering/{token}", get(hoering::vis))
        .route("/hoering/{token}/godkend", post(hoering::godkend))
        .route("/hoering/{token}/afvis", post(hoering::afvis))
        // Det Fælles Designsystem, Swagger UI and VITAS's own files, compiled in (decision 108).
        .route("/static/{*rest}", get(crate::statisk::hent))
        // The external API's document and its interactive docs (issue 4 §4).
        .route("/api/openapi.json", get(dokumentation::openapi_json))
        .route("/api/docs", get(dokumentation::docs))
        .route("/api/docs/start.js", get(dokumentation::docs_js))
        .merge(api_ruter().split_for_parts().0);
    // The demo login and the demo mailbox exist only in demo mode: with demo off, the routes
    // are absent (404).
    if state.demo {
        r = r
            .route("/demo-login", get(demo::vis))
            .route("/demo-login/{id}", post(demo::log_ind))
            .route("/demo/post", get(demo::postkasse))
            .route("/demo/post/{id}", get(demo::post));
    }
    // The span records the path only: list filters in the query can hold a CPR number, which
    // must never reach a log (docs/decisions.md 27). A hearing link's token is the
    // representative's key to the case, so it is left out too.
    // The request id (decision 111) is set by the layer outside this one.
    let spor = TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<axum::body::Body>| {
        let id = req.extensions().get::<crate::drift::AnmodningsId>().map_or("", |i| i.0.as_str());
        tracing::info_span!("http", metode = %req.method(), sti = %logsti(req.uri().path()), anmodning = %id)
    });
    // Every routed request is counted and timed by its route (decision 109).
    crate::drift::maaler();
    r = r.route_layer(axum::middleware::from_fn(crate::drift::maal));
    // Outermost first: the span; the security headers on every answer (decision 56); the page
    // frame's settings (demo banner, logout clock); the user's frame on error pages; the page
    // limit; the edge guard, before any extractor (decision 55).
    let hoveder = axum::middleware::from_fn_with_state(state.clone(), crate::sikkerhed::hoveder);
    let tid = axum::middleware::from_fn_with_state(state.clone(), crate::graensevagt::tidsgraense);
    let rammen = axum::middleware::from_fn_with_state(state.clone(), sideindstillinger);
    let vagt = axum::middleware::from_fn(crate::graensevagt::tjek);
    // Then the CSRF check of every unsafe request (decision 57), on the body the guard read.
    let csrf = axum::middleware::from_fn_with_state(state.clone(), crate::csrf::vagt);
    // The page limit counts before the guard reads a body (decision 65).
    let graense = axum::middleware::from_fn_with_state(state.clone(), crate::graense::vagt);
    // An error page from anything inside gets the user's header and menu (issue 13 §7).
    let fejlramme = axum::middleware::from_fn_with_state(state.clone(), crate::fejl::med_brugerens_ramme);
    // Innermost: a write that got past the CSRF check and succeeded marks the browser, so
    // its next lists read the primary (read-your-writes with a replica; decision 116).
    let skrivning = axum::middleware::from_fn_with_state(state.clone(), crate::laesning::marker_skrivning);
    r.fallback(findes_ikke)
        .with_state(state)
        .layer(skrivning)
        .layer(csrf)
        .layer(vagt)
        .layer(graense)
        .layer(fejlramme)
        .layer(rammen)
        .layer(tid)
        .layer(hoveder)
        .layer(spor)
        .layer(axum::middleware::from_fn(crate::drift::anmodnings_id))
}

/// The separate metrics address (`VITAS_METRICS_ADDR`): `/metrics` without a token, nothing
/// else (decision 109).
pub fn maalerouter(state: AppState) -> Router {
    Router::new().route("/metrics", get(crate::drift::metrics)).with_state(state)
}

/// The path as the log may show it: `/hoering/{token}/…` without the token.
pub fn logsti(sti: &str) -> std::borrow::Cow<'_, str> {
    match sti.strip_prefix("/hoering/") {
        Some(resten) if !resten.starts_with("kvittering/") => {
            let efter = resten.find('/').map_or("", |i| &resten[i..]);
            format!("/hoering/…{efter}").into()
        }
        _ => sti.into(),
    }
}

/// Runs the request with [`crate::html::SIDEINDSTILLINGER`] set, for the page frame.
async fn sideindstillinger(
    axum::extract::State(st): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let s = crate::html::Sideindstillinger { demo: st.demo, sessionsur: st.sessionsur };
    crate::html::SIDEINDSTILLINGER.scope(s, next.run(req)).await
}

/// The external API (issue 4 §3): every route together with its OpenAPI description. To add
/// an endpoint, write its handler with `#[utoipa::path]` in a file of its own under `api/` and
/// add one `.routes(routes!(modul::handler))` line here; the document follows.
pub fn api_ruter() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(dokumentation::ApiDoc::openapi())
        .routes(routes!(api::token::udsted))
        .routes(routes!(api::ansoegning::hent))
        .routes(routes!(api::bevilling::hent))
        .routes(routes!(api::forlaengelse::hent))
        .routes(routes!(api::ophoer::hent))
        .routes(routes!(api::aftale::hent))
        .routes(routes!(api::mentor::hent))
        .routes(routes!(api::hjaelpemiddel::hent))
        .routes(routes!(api::pdf::hent))
        .routes(routes!(api::notifikationer::hent))
        .routes(routes!(api::statistik::skema))
        .routes(routes!(api::statistik::hent))
}

/// The OpenAPI 3.1 document of [`api_ruter`] (served at `/api/openapi.json`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api_ruter().into_openapi();
    // Every operation can be answered 429 by the client's rate limit.
    api::graense::dokumenter(&mut doc);
    doc
}

/// An unknown address: a Danish JSON error under `/api/`, the Danish page elsewhere.
async fn findes_ikke(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        api::fejl::ApiFejl::RuteFindesIkke.into_response()
    } else {
        WebFejl::SideFindesIkke.into_response()
    }
}

async fn healthz(axum::extract::State(st): axum::extract::State<AppState>) -> Result<&'static str, WebFejl> {
    st.db.ping().await.map_err(|e| WebFejl::Intern(e.into()))?;
    Ok("ok")
}

/// Slide the session's 30 minutes forward ("Forbliv logget ind"); the extractor does it. It
/// changes nothing a list shows, so the lists keep reading the replica (decision 116).
async fn forny_session(_b: crate::auth::Bruger) -> Response {
    crate::laesning::uden_skrivning("ok".into_response())
}

#[cfg(test)]
mod tests {
    use super::logsti;

    #[test]
    fn hoeringslinkets_token_kommer_ikke_i_loggen() {
        assert_eq!(logsti("/hoering/abc123/godkend"), "/hoering/…/godkend");
        assert_eq!(logsti("/hoering/abc123"), "/hoering/…");
        assert_eq!(logsti("/hoering/kvittering/godkendt"), "/hoering/kvittering/godkendt");
        assert_eq!(logsti("/sager/7"), "/sager/7");
    }
}
