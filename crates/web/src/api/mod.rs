//! The external REST/JSON API for the municipal case systems (issue 4 §3–4; seed 002 §1.1;
//! DOMAIN.md "Web services to municipal systems"). One file per endpoint; every route is
//! registered in `crate::router::api_ruter`, which also builds the OpenAPI document.

pub mod aftale;
pub mod ansoegning;
pub mod auth;
pub mod bevilling;
pub mod dokumentation;
pub mod fejl;
pub mod forlaengelse;
pub mod graense;
pub mod hjaelpemiddel;
pub mod kontrakt;
pub mod mentor;
pub mod notifikationer;
pub mod ophoer;
pub mod opslag;
pub mod ordninger;
pub mod pdf;
pub mod statistik;
pub mod token;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use fejl::ApiFejl;

/// A path parameter; one axum cannot read is a Danish JSON 400, not axum's text.
pub struct ApiSti<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiSti<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiFejl;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiFejl> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(t)| ApiSti(t))
            .map_err(|_| ApiFejl::UgyldigSti)
    }
}

/// The tag every Get service is listed under.
pub const GET_TAG: &str = "Get-services";
