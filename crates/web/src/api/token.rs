//! The token endpoint: `POST /api/oauth/token`, OAuth 2.0 client credentials (RFC 6749 §4.4).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::fejl::ApiFejl;
use crate::AppState;

/// The form a client posts (`application/x-www-form-urlencoded`; RFC 6749 §4.4.2).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TokenAnmodning {
    /// Must be `client_credentials`.
    #[schema(example = "client_credentials")]
    pub grant_type: Option<String>,
    /// Space-separated scopes to narrow the token to, e.g. `jobcenter:0101`. Empty: all the
    /// client's scopes.
    #[schema(example = "jobcenter:0101")]
    pub scope: Option<String>,
    /// The client id, when the client does not use HTTP Basic (RFC 6749 §2.3.1). The example is
    /// the demo client's (docs/api.md), which exists only in demo mode.
    #[schema(example = "vitas-demo")]
    pub client_id: Option<String>,
    #[schema(example = "demo-hemmelighed-kun-til-demo")]
    pub client_secret: Option<String>,
}

/// A successful answer (RFC 6749 §5.1).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenSvar {
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the token expires: one hour, or less when the client's own access ends
    /// sooner.
    #[schema(example = 3600)]
    pub expires_in: i64,
    /// The granted scopes, space-separated.
    #[schema(example = "jobcenter:0101 jobcenter:0751")]
    pub scope: String,
}

/// The error codes of RFC 6749 §5.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OAuthFejlkode {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    InvalidScope,
}

/// An error answer (RFC 6749 §5.2); the description is Danish.
#[derive(Debug, Serialize, ToSchema)]
pub struct OAuthFejl {
    pub error: OAuthFejlkode,
    pub error_description: String,
}

impl OAuthFejl {
    fn ny(error: OAuthFejlkode, beskrivelse: &str) -> Self {
        OAuthFejl { error, error_description: beskrivelse.into() }
    }
}

impl IntoResponse for OAuthFejl {
    fn into_response(self) -> Response {
        // RFC 6749 §5.2: invalid_client is 401 with a challenge; the rest are 400.
        let status =
            if self.error == OAuthFejlkode::InvalidClient { StatusCode::UNAUTHORIZED } else { StatusCode::BAD_REQUEST };
        let mut svar = (status, uden_cache(), Json(self)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            svar.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"VITAS\""));
        }
        svar
    }
}

/// RFC 6749 §5.1: token answers must not be cached.
fn uden_cache() -> [(header::HeaderName, &'static str); 2] {
    [(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")]
}

/// `Authorization: Basic` credentials: (client id, secret), form-url-decoded (RFC 6749 §2.3.1).
/// `Ok(None)` when the header is absent or another scheme (a bearer token is not client auth).
fn basic(headers: &HeaderMap) -> Result<Option<(String, String)>, OAuthFejl> {
    let ugyldig = || OAuthFejl::ny(OAuthFejlkode::InvalidClient, "Klientens legitimation kunne ikke læses.");
    let Some(v) = headers.get(header::AUTHORIZATION) else { return Ok(None) };
    let Some((skema, resten)) = v.to_str().map_err(|_| ugyldig())?.split_once(' ') else { return Ok(None) };
    if !skema.eq_ignore_ascii_case("basic") {
        return Ok(None);
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(resten.trim()).map_err(|_| ugyldig())?;
    let tekst = String::from_utf8(bytes).map_err(|_| ugyldig())?;
    let (id, hemmelighed) = tekst.split_once(':').ok_or_else(ugyldig)?;
    let afkod = |s: &str| -> Result<String, OAuthFejl> {
        let par: Vec<(String, String)> = serde_urlencoded::from_str(&format!("v={s}")).map_err(|_| ugyldig())?;
        par.into_iter().next().map(|(_, v)| v).ok_or_else(ugyldig)
    };
    Ok(Some((afkod(id)?, afkod(hemmelighed)?)))
}

/// Issue an access token to a municipal system.
#[utoipa::path(
    post,
    path = "/api/oauth/token",
    operation_id = "HentToken",
    summary = "Hent et adgangstoken",
    description = "OAuth 2.0 client credentials (RFC 6749 §4.4). Klienten godkendes med HTTP Basic eller client_id/client_secret i formularen. Tokenet gælder en time, dog aldrig længere end klientens egen adgang.",
    tag = "OAuth2",
    request_body(content = TokenAnmodning, content_type = "application/x-www-form-urlencoded"),
    security((), ("basic" = [])),
    responses(
        (status = 200, description = "Et adgangstoken (gælder en time)", body = TokenSvar),
        (status = 400, description = "invalid_request, unsupported_grant_type, invalid_grant eller invalid_scope", body = OAuthFejl),
        (status = 401, description = "invalid_client: ukendt, tilbagekaldt eller udløbet klient, eller forkert hemmelighed", body = OAuthFejl),
    )
)]
pub async fn udsted(
    State(st): State<AppState>,
    crate::graense::Adresse(adresse): crate::graense::Adresse,
    headers: HeaderMap,
    krop: Bytes,
) -> Response {
    match udsted_token(&st, &adresse, &headers, &krop).await {
        Ok(svar) => (StatusCode::OK, uden_cache(), Json(svar)).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn udsted_token(st: &AppState, adresse: &str, headers: &HeaderMap, krop: &[u8]) -> Result<TokenSvar, Response> {
    let anmodning: TokenAnmodning = serde_urlencoded::from_bytes(krop).map_err(|_| {
        afvis(
            OAuthFejlkode::InvalidRequest,
            "Anmodningen skal være application/x-www-form-urlencoded med hver parameter højst én gang.",
        )
    })?;
    let fra_formular = match (&anmodning.client_id, &anmodning.client_secret) {
        (Some(id), Some(h)) => Some((id.clone(), h.clone())),
        (None, None) => None,
        _ => {
            return Err(afvis(OAuthFejlkode::InvalidClient, "Send både client_id og client_secret."));
        }
    };
    // RFC 6749 §2.3: a client must not use more than one authentication method per request.
    let (klient_id, hemmelighed) = match (basic(headers).map_err(IntoResponse::into_response)?, fra_formular) {
        (Some(_), Some(_)) => {
            return Err(afvis(
                OAuthFejlkode::InvalidRequest,
                "Brug enten HTTP Basic eller client_id/client_secret i formularen, ikke begge.",
            ));
        }
        (Some(b), None) | (None, Some(b)) => b,
        (None, None) => {
            return Err(afvis(
                OAuthFejlkode::InvalidClient,
                "Klienten skal godkendes med HTTP Basic eller client_id og client_secret.",
            ));
        }
    };
    // The edge guard reads only bodies labelled as forms, and never the Authorization header:
    // a NUL here would reach PostgreSQL, which refuses it in text (decision 55).
    let tekster = [Some(&klient_id), Some(&hemmelighed), anmodning.scope.as_ref(), anmodning.grant_type.as_ref()];
    if tekster.into_iter().flatten().any(|t| t.contains(char::is_control)) {
        return Err(afvis(OAuthFejlkode::InvalidRequest, "Anmodningen indeholder tegn, som VITAS ikke kan modtage."));
    }
    // Failed attempts are limited per client id and per address (decision 81): once either has
    // used its allowance, the secret is not even checked, so guessing stops there.
    let g = &st.graenser;
    let nu = std::time::Instant::now();
    let (klient_noegle, adresse_noegle) = (klient_id.clone(), adresse.to_string());
    if let Err(vent_sek) =
        g.token_fejl_klient.kan(&klient_noegle, nu).and(g.token_fejl_adresse.kan(&adresse_noegle, nu))
    {
        tracing::warn!(vent_sek, "for mange mislykkede tokenforsøg");
        return Err(ApiFejl::ForMangeFejlforsoeg { vent_sek }.into_response());
    }
    let Some(klient) = storage::api::godkend_klient(&st.db, &klient_id, &hemmelighed)
        .await
        .map_err(|e| ApiFejl::from(e).into_response())?
        .filter(|k| st.demo || !super::auth::er_demo_klient(&k.klient_id))
    else {
        // Both buckets pay for a failure, whichever was nearer its end.
        let _ = g.token_fejl_klient.tag(klient_noegle, nu);
        let _ = g.token_fejl_adresse.tag(adresse_noegle, nu);
        return Err(afvis(OAuthFejlkode::InvalidClient, UKENDT_KLIENT));
    };
    // The client's rate limit counts token requests too: each one writes a row.
    st.api_graense
        .tag(klient.id, std::time::Instant::now())
        .map_err(|vent_sek| ApiFejl::ForMangeKald { vent_sek }.into_response())?;
    // The secret is right, so saying that the client expired tells nothing to a guesser.
    if klient.er_udloebet(Utc::now()) {
        return Err(afvis(
            OAuthFejlkode::InvalidClient,
            "Klientens adgang er udløbet. Bed VITAS' drift om en ny klient.",
        ));
    }
    match anmodning.grant_type.as_deref() {
        Some("client_credentials") => {}
        None | Some("") => return Err(afvis(OAuthFejlkode::InvalidRequest, "grant_type mangler.")),
        Some(_) => {
            return Err(afvis(OAuthFejlkode::UnsupportedGrantType, "Kun grant_type=client_credentials understøttes."));
        }
    }
    // RFC 6749 §3.3: the token's scopes; a requested scope the client lacks is invalid_scope.
    let oensket: Vec<String> =
        anmodning.scope.as_deref().unwrap_or("").split_whitespace().map(str::to_string).collect();
    let scopes = if oensket.is_empty() {
        klient.scopes.clone()
    } else if let Some(s) = oensket.iter().find(|s| !klient.scopes.contains(s)) {
        return Err(OAuthFejl {
            error: OAuthFejlkode::InvalidScope,
            error_description: format!("Klienten har ikke adgang til scope »{s}«."),
        }
        .into_response());
    } else {
        let mut s = oensket;
        s.sort();
        s.dedup();
        s
    };
    if scopes.is_empty() {
        return Err(afvis(OAuthFejlkode::InvalidScope, "Klienten har ingen jobcentre."));
    }
    // None: the client was revoked, rotated or expired since it was authenticated above.
    let (token, udloeber) = storage::api::udsted_token(&st.db, &klient, &scopes, Utc::now())
        .await
        .map_err(|e| ApiFejl::from(e).into_response())?
        .ok_or_else(|| afvis(OAuthFejlkode::InvalidClient, UKENDT_KLIENT))?;
    let expires_in = (udloeber - Utc::now()).num_seconds().max(0);
    // Rounded to the whole hour the token lives (a second may pass between the two clocks).
    let expires_in = if expires_in >= storage::api::TOKEN_LEVETID.num_seconds() - 1 {
        storage::api::TOKEN_LEVETID.num_seconds()
    } else {
        expires_in
    };
    Ok(TokenSvar { access_token: token, token_type: "Bearer", expires_in, scope: scopes.join(" ") })
}

const UKENDT_KLIENT: &str = "Ukendt klient eller forkert hemmelighed.";

/// An RFC 6749 §5.2 error as a response.
fn afvis(error: OAuthFejlkode, beskrivelse: &str) -> Response {
    OAuthFejl::ny(error, beskrivelse).into_response()
}
