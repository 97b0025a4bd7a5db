//! Who is calling the API: the bearer token becomes an [`ApiKlient`] with its jobcentre
//! scopes, and [`GetKald`] adds the `x-requestId` rule every Get service follows.
//!
//! A new endpoint takes `klient: ApiKlient` (token only) or `kald: GetKald` (token and request
//! id) as an argument, and checks a case with [`ApiKlient::maa_se`] (or `super::opslag::sag`).

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use chrono::Utc;
use utoipa::IntoParams;

use super::fejl::ApiFejl;
use crate::AppState;

/// The calling municipal system, from `Authorization: Bearer <token>` (RFC 6750 §2.1). Each
/// call is counted against the client's rate limit (`super::graense`): 429 when it is used up.
#[derive(Debug, Clone)]
pub struct ApiKlient {
    /// `api_klient.id`.
    pub id: i64,
    /// The public `client_id`.
    pub klient_id: String,
    /// The scopes of the token, e.g. `jobcenter:0101`.
    pub scopes: Vec<String>,
}

impl ApiKlient {
    /// The kommunekoder of the jobcentres the token covers.
    pub fn kommunekoder(&self) -> impl Iterator<Item = &str> {
        self.scopes.iter().filter_map(|s| storage::api::scope_kommunekode(s))
    }

    /// Whether the client may see a case of the jobcentre with this kommunekode. A case
    /// without a jobcentre (a company's draft) belongs to no municipal system.
    pub fn maa_se(&self, kommunekode: Option<&str>) -> bool {
        kommunekode.is_some_and(|k| self.kommunekoder().any(|m| m == k))
    }
}

impl FromRequestParts<AppState> for ApiKlient {
    type Rejection = ApiFejl;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiFejl> {
        let Some(vaerdi) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(ApiFejl::IkkeLoggetInd { token_givet: false });
        };
        let token = vaerdi
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(skema, _)| skema.eq_ignore_ascii_case("bearer"))
            .map(|(_, t)| t.trim())
            .filter(|t| !t.is_empty());
        let Some(token) = token else {
            return Err(ApiFejl::IkkeLoggetInd { token_givet: false });
        };
        let info = storage::api::token_info(&st.db, token, Utc::now())
            .await?
            .filter(|i| st.demo || !er_demo_klient(&i.klient_id))
            .ok_or(ApiFejl::IkkeLoggetInd { token_givet: true })?;
        // Before the handler and before `GetKald` records the request id.
        st.api_graense
            .tag(info.api_klient_id, std::time::Instant::now())
            .map_err(|vent_sek| ApiFejl::ForMangeKald { vent_sek })?;
        Ok(ApiKlient { id: info.api_klient_id, klient_id: info.klient_id, scopes: info.scopes })
    }
}

/// The demo API client (its secret is published in docs/api.md) works only in demo mode: a
/// token it got while demo mode was on stops working when the server runs without it
/// (issue 14 §1, decision 54).
pub fn er_demo_klient(klient_id: &str) -> bool {
    klient_id == storage::demo::DEMO_API_KLIENT_ID
}

/// The header every Get service requires (DOMAIN.md "Web services": at most 46 characters,
/// a repeated id is answered 412).
pub const REQUEST_ID_HEADER: &str = "x-requestId";

/// A Get service call: a valid token and an `x-requestId` this client has not used before.
/// The id is recorded before the handler runs, so a retry needs a new id.
#[derive(Debug, Clone)]
pub struct GetKald {
    pub klient: ApiKlient,
    pub request_id: String,
}

/// Checks the header's form: 1–46 visible ASCII characters (seed 002 §1.1; DOMAIN.md).
pub fn tjek_request_id(vaerdi: Option<&axum::http::HeaderValue>) -> Result<String, ApiFejl> {
    let Some(v) = vaerdi else {
        return Err(ApiFejl::ManglerRequestId);
    };
    let bytes = v.as_bytes();
    if bytes.is_empty() {
        return Err(ApiFejl::ManglerRequestId);
    }
    if !bytes.iter().all(|b| (0x21..=0x7e).contains(b)) {
        return Err(ApiFejl::RequestIdUgyldig);
    }
    // DOMAIN.md "Web services": x-requestId ≤ 46 chars.
    if bytes.len() > storage::api::REQUEST_ID_MAKS {
        return Err(ApiFejl::RequestIdForLang);
    }
    // Visible ASCII only, so the bytes are the characters.
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

impl FromRequestParts<AppState> for GetKald {
    type Rejection = ApiFejl;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiFejl> {
        let klient = ApiKlient::from_request_parts(parts, st).await?;
        let mut vaerdier = parts.headers.get_all(REQUEST_ID_HEADER).iter();
        let foerste = vaerdier.next();
        if vaerdier.next().is_some() {
            // Two ids in one call: which one would count?
            return Err(ApiFejl::RequestIdUgyldig);
        }
        let request_id = tjek_request_id(foerste)?;
        if !storage::api::registrer_request_id(&st.db, klient.id, &request_id, Utc::now()).await? {
            return Err(ApiFejl::RequestIdBrugt);
        }
        Ok(GetKald { klient, request_id })
    }
}

/// The `x-requestId` header as the OpenAPI document describes it.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct RequestIdHeader {
    /// A unique id per call from this client (at most 46 visible ASCII characters). A repeated
    /// id is answered 412 Precondition Failed.
    #[param(
        rename = "x-requestId",
        min_length = 1,
        max_length = 46,
        pattern = r"^[\x21-\x7E]{1,46}$",
        example = "fagsystem-2026-12-03-000001"
    )]
    #[expect(dead_code, reason = "read from the headers by GetKald; here only for the OpenAPI document")]
    x_request_id: String,
}
