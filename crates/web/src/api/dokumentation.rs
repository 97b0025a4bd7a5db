//! The OpenAPI 3.1 document (`/api/openapi.json`) and the interactive docs beside it
//! (`/api/docs`, Swagger UI from npm's `swagger-ui-dist`, compiled in like dkfds; no CDN).
//!
//! The paths come from the handlers' `#[utoipa::path]` through `crate::router::api_ruter`; this
//! file adds the title, the tags and the security schemes.

use std::sync::OnceLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "VITAS – webservices til kommunernes fagsystemer",
        version = "1",
        description = "Get-services for kommunernes fagsystemer (seed 002 §1.1). Hent et adgangstoken med OAuth 2.0 client credentials på /api/oauth/token, og send det som `Authorization: Bearer …`. Hvert kald til en Get-service skal have headeren `x-requestId` (højst 46 tegn, unik pr. klient). Se docs/api.md.",
        license(name = "EUPL-1.2")
    ),
    tags(
        (name = "OAuth2", description = "Adgangstokens (RFC 6749 §4.4, client credentials)"),
        (name = "Get-services", description = "Oplysninger om en sag, nøglet på sagens eksterne id"),
        (name = "Statistik", description = "Det pseudonymiserede udtræk til STARs statistiske datavarehus (scope statistik)")
    ),
    modifiers(&Sikkerhed)
)]
pub struct ApiDoc;

/// The two ways the document describes the same token: a bearer header, and the OAuth 2.0
/// client-credentials flow that issues it (Swagger UI's "Authorize" uses the flow).
struct Sikkerhed;

impl Modify for Sikkerhed {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let komponenter = openapi.components.get_or_insert_with(Default::default);
        komponenter.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("opaque").build()),
        );
        komponenter.add_security_scheme(
            "basic",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Basic).build()),
        );
        let scopes = Scopes::from_iter(
            storage::demo::DEMO_KOMMUNER
                .iter()
                .map(|k| (storage::api::jobcenter_scope(k), format!("Sager i jobcentret med kommunekode {k}")))
                .chain(std::iter::once((
                    storage::api::STATISTIK_SCOPE.to_string(),
                    "Det pseudonymiserede statistikudtræk for hele landet (STAR)".to_string(),
                ))),
        );
        komponenter.add_security_scheme(
            "oauth2",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [Flow::ClientCredentials(ClientCredentials::new("/api/oauth/token", scopes))],
                "Scopes har formen jobcenter:<kommunekode>; en klient kan have flere. STARs klient til statistikudtrækket har scope statistik.",
            )),
        );
    }
}

/// The whole document, built once from the routes.
pub fn dokument() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        crate::router::openapi().to_pretty_json().unwrap_or_else(|e| {
            tracing::error!(fejl = %e, "OpenAPI-dokumentet kunne ikke skrives");
            "{}".into()
        })
    })
}

/// GET `/api/openapi.json`.
pub async fn openapi_json() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], dokument())
}

/// GET `/api/docs`: Swagger UI on the document.
pub async fn docs() -> impl IntoResponse {
    static SIDE: OnceLock<String> = OnceLock::new();
    let side = SIDE.get_or_init(|| {
        let sw = crate::statisk::swagger_ui();
        format!(
            r#"<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<title>VITAS API – dokumentation</title>
<link rel="stylesheet" href="{sw}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{sw}/swagger-ui-bundle.js"></script>
<script src="/api/docs/start.js"></script>
</body>
</html>
"#
        )
    });
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], side.as_str())
}

/// GET `/api/docs/start.js`: starts Swagger UI (a file, not an inline script).
pub async fn docs_js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        "window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n",
    )
}
