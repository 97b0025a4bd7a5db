//! Page handlers, one module per area; `templates/` mirrors them.

pub mod ansoegning;
pub mod demo;
pub mod eksport;
pub mod filterurl;
pub mod forside;
pub mod hoering;
pub mod indsigt;
pub mod kladde;
pub mod leveringer;
pub mod lister;
pub mod login;
pub mod pdf;
pub mod privatliv;
pub mod sag;
pub mod statistik;

use crate::auth::Bruger;
use crate::fejl::WebFejl;
use axum::response::{IntoResponse, Redirect, Response};

/// What every page frame takes from the server's configuration rather than the handler.
#[derive(Debug, Clone, Copy)]
pub struct Sideindstillinger {
    /// Demo mode: the frame shows the DEMO banner (issue 14 §1).
    pub demo: bool,
    /// The page's logout clock: (idle seconds until logout, seconds of warning before).
    pub sessionsur: (u32, u32),
}

impl Default for Sideindstillinger {
    fn default() -> Self {
        Sideindstillinger { demo: false, sessionsur: crate::STANDARD_SESSIONSUR }
    }
}

tokio::task_local! {
    /// Set by the router's outer layer for every request, so every page frame, error pages
    /// included, has them without each handler passing them on.
    pub static SIDEINDSTILLINGER: Sideindstillinger;
}

/// What the page frame (templates/base.html) needs.
#[derive(Debug, Clone)]
pub struct Ramme {
    pub titel: String,
    pub bruger_navn: Option<String>,
    pub rolle_navn: Option<&'static str>,
    pub menu: Vec<(&'static str, &'static str)>,
    pub besked: Option<String>,
    pub sti: Option<String>,
    /// Demo mode: the frame shows the DEMO banner.
    pub demo: bool,
    /// The logout clock vitas.js runs: (idle seconds, warning seconds).
    pub sessionsur: (u32, u32),
    /// The session's CSRF token, for every POST form and vitas.js (crate::csrf); empty
    /// without a session.
    pub csrf: String,
}

impl Ramme {
    pub fn ny(titel: impl Into<String>, bruger: Option<&Bruger>) -> Self {
        let menu = bruger.map(|b| lister::menu(b.rolle)).unwrap_or_default();
        let indstillinger = SIDEINDSTILLINGER.try_with(|s| *s).unwrap_or_default();
        Ramme {
            titel: titel.into(),
            bruger_navn: bruger.map(|b| b.navn()),
            rolle_navn: bruger.map(|b| b.rolle.navn()),
            menu,
            besked: None,
            sti: None,
            demo: indstillinger.demo,
            sessionsur: indstillinger.sessionsur,
            csrf: crate::csrf::TOKEN.try_with(|t| t.clone()).ok().flatten().unwrap_or_default(),
        }
    }
    /// Whether a menu link is the current list (the menu marks it, WCAG 2.4.8 Location).
    pub fn er_aktiv(&self, href: &str) -> bool {
        href != "/" && self.sti.as_deref().is_some_and(|s| s.starts_with(href))
    }

    /// Tell the frame which path it is drawn for.
    pub fn paa(mut self, sti: impl Into<String>) -> Self {
        self.sti = Some(sti.into());
        self
    }

    pub fn uden_bruger(titel: impl Into<String>) -> Self {
        Ramme::ny(titel, None)
    }
    pub fn med_besked(mut self, besked: Option<String>) -> Self {
        self.besked = besked;
        self
    }
}

/// A posted form: field name → value (checkboxes are present only when ticked). The same type
/// the domain reads its requests from (`anmodninger::Post`).
pub type Formular = domain::anmodninger::Post;

pub fn vaerdi(f: &Formular, navn: &str) -> String {
    f.get(navn).cloned().unwrap_or_default()
}

/// The case version a form was rendered with (optimistic concurrency).
pub fn version(f: &Formular) -> Option<i64> {
    f.get("version").and_then(|v| v.trim().parse().ok())
}

/// POST → redirect → GET.
pub fn videre(url: impl AsRef<str>) -> Response {
    // `Redirect::to` panics on a value that is not a valid header (a CR or LF): go home instead.
    let url = url.as_ref();
    if axum::http::HeaderValue::from_str(url).is_err() {
        return Redirect::to("/").into_response();
    }
    Redirect::to(url).into_response()
}

pub type Svar = Result<Response, WebFejl>;

/// A masked or full CPR for display, by role.
pub fn vis_cpr(cpr: Option<&str>, rolle: domain::policy::Rolle) -> String {
    let Some(cpr) = cpr else { return String::new() };
    match domain::ident::Cpr::parse(cpr, "cpr") {
        Ok(c) if domain::policy::maa_se_cpr(rolle) => c.formateret(),
        Ok(c) => c.maskeret(),
        Err(_) => String::new(),
    }
}

/// A whole number as Danes write it: 158.000 (a point between thousands).
pub fn tal(n: u64) -> String {
    domain::tekst::tusinder(n)
}

pub fn dato(d: Option<chrono::NaiveDate>) -> String {
    d.map(domain::periode::dansk_dato).unwrap_or_default()
}

/// A path parameter; a malformed one (e.g. `/sager/abc`) is "Siden findes ikke", in Danish.
pub struct Sti<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for Sti<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = WebFejl;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, WebFejl> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(t)| Sti(t))
            .map_err(|_| WebFejl::SideFindesIkke)
    }
}

/// A posted form; one that cannot be read gets a Danish message instead of axum's text.
pub struct Indsendt(pub Formular);

impl<S: Send + Sync> axum::extract::FromRequest<S> for Indsendt {
    type Rejection = WebFejl;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, WebFejl> {
        axum::Form::<Formular>::from_request(req, state)
            .await
            .map(|axum::Form(f)| Indsendt(f))
            .map_err(|_| WebFejl::Ugyldig("Formularen kunne ikke læses. Prøv at indsende den igen.".into()))
    }
}

/// A posted form as its pairs, in order, repeated keys kept (a list's selected rows).
pub struct Par(pub Vec<(String, String)>);

impl<S: Send + Sync> axum::extract::FromRequest<S> for Par {
    type Rejection = WebFejl;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, WebFejl> {
        let fejl = || WebFejl::Ugyldig("Formularen kunne ikke læses. Prøv at indsende den igen.".into());
        let tekst = String::from_request(req, state).await.map_err(|_| fejl())?;
        serde_urlencoded::from_str(&tekst).map(Par).map_err(|_| fejl())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tal_med_tusindtalspunktum() {
        assert_eq!(super::tal(0), "0");
        assert_eq!(super::tal(999), "999");
        assert_eq!(super::tal(1000), "1.000");
        assert_eq!(super::tal(158_000), "158.000");
        assert_eq!(super::tal(10_000_000), "10.000.000");
        assert_eq!(super::tal(u64::MAX), "18.446.744.073.709.551.615");
    }
}
