//! The web layer's error: a Danish page with the right status. Server errors are opaque to
//! the user, with the cause in the log (never a CPR: domain::ident::Cpr's Debug is masked).
//!
//! An error page keeps the user's header, menu and "Log ud" (issue 13 §7): `into_response`
//! cannot know who asked, so it leaves its heading and message on the answer, and the layer
//! [`med_brugerens_ramme`] draws the page again in the frame of the session's user.

use crate::AppState;
use crate::html::Ramme;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use domain::policy::Afvisning;
use storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum WebFejl {
    #[error("Du skal logge ind")]
    IkkeLoggetInd,
    #[error("Sagen findes ikke, eller du har ikke adgang til den.")]
    IkkeFundet,
    #[error("Siden findes ikke.")]
    SideFindesIkke,
    #[error("Linket er udløbet eller allerede brugt. Kontakt virksomheden, hvis du skal tage stilling igen.")]
    LinkUgyldigt,
    #[error("{0}")]
    Afvist(Afvisning),
    #[error("{0}")]
    Ugyldig(String),
    #[error("Sagen er blevet ændret af en anden i mellemtiden. Indlæs siden igen.")]
    Konflikt,
    /// A state-changing request without this session's token, or from another site.
    #[error("{}", .0.besked())]
    Csrf(crate::csrf::Csrffejl),
    /// The request took longer than the server's time limit (crate::graensevagt::tidsgraense).
    #[error("Siden svarede ikke i tide. Intet er gemt halvt: prøv igen om lidt.")]
    ForLangsom,
    /// Over a rate limit (crate::graense); the number is the seconds to wait.
    #[error("Der er kommet for mange forespørgsler på kort tid. Vent {0} sekunder, og prøv igen.")]
    ForMange(u64),
    /// The user has as many export jobs under way as allowed (decision 82); nothing queued.
    #[error("{0}")]
    ForMangeJobs(String),
    /// Refused at the edge (crate::graensevagt): control characters, too large.
    #[error("{}", .0.besked())]
    Graense(crate::graensevagt::Graensefejl),
    /// A login refused (decision 70): the message says why, in Danish.
    #[error("{0}")]
    Login(String),
    /// The database cannot be reached (stopped, restarting, the pool gave up): 503 with
    /// `Retry-After` (issue 11 §4, decision 119). An `Intern` whose cause is this is answered
    /// the same way (`storage::fejl::er_utilgaengelig`).
    #[error("Databasen er midlertidigt utilgængelig. Prøv igen om lidt.")]
    DatabaseUtilgaengelig,
    /// Keeps its cause: the log shows the whole chain (`{:#}`).
    #[error("internal: {0:#}")]
    Intern(#[from] anyhow::Error),
}

/// The `Retry-After` of a 503 for a database that is away, in seconds: about the time a
/// PostgreSQL restart takes (issue 11 §4, decision 119).
pub const VENT_PAA_DATABASEN_SEK: u64 = 5;

impl From<StorageError> for WebFejl {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Afvist(Afvisning::IkkeAdgang) | StorageError::IkkeFundet => WebFejl::IkkeFundet,
            StorageError::Afvist(a) => WebFejl::Afvist(a),
            StorageError::Ugyldig(f) => WebFejl::Ugyldig(f.into_iter().map(|f| f.besked).collect::<Vec<_>>().join(" ")),
            StorageError::Konflikt => WebFejl::Konflikt,
            e if e.er_utilgaengelig() => {
                tracing::warn!(aarsag = %e, "databasen er utilgængelig");
                WebFejl::DatabaseUtilgaengelig
            }
            e => WebFejl::Intern(e.into()),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "fejl.html")]
struct FejlSide {
    ramme: Ramme,
    overskrift: &'static str,
    besked: String,
}

/// An error page's heading and message, kept on the answer (a response extension) so that
/// [`med_brugerens_ramme`] can draw it again for the logged-in user.
#[derive(Debug, Clone)]
struct Fejlindhold {
    overskrift: &'static str,
    besked: String,
}

impl WebFejl {
    /// Whether the page is drawn again in the user's frame. Not the refusals that are answered
    /// at once and cost nothing more: the rate limits and the time limit (a flood must not
    /// cost a session lookup each) and the edge guard's (a body too large is answered before
    /// it is read, and the connection closes behind it).
    /// Nor a database that is away: looking the user up would wait for it once more.
    fn i_brugerens_ramme(&self) -> bool {
        !matches!(
            self,
            WebFejl::ForMange(_) | WebFejl::ForLangsom | WebFejl::Graense(_) | WebFejl::DatabaseUtilgaengelig
        )
    }

    /// An `Intern` caused by a database that is away becomes [`WebFejl::DatabaseUtilgaengelig`]
    /// (its cause logged as a warning: an outage is not a bug).
    fn med_utilgaengelig_database(self) -> WebFejl {
        match self {
            WebFejl::Intern(aarsag) if aarsag.chain().any(storage::fejl::er_utilgaengelig) => {
                tracing::warn!(aarsag = format!("{aarsag:#}"), "databasen er utilgængelig");
                WebFejl::DatabaseUtilgaengelig
            }
            e => e,
        }
    }
}

impl IntoResponse for WebFejl {
    fn into_response(self) -> Response {
        let fejl = self.med_utilgaengelig_database();
        let (status, overskrift) = match &fejl {
            WebFejl::IkkeLoggetInd => return Redirect::to("/?log_ind=1").into_response(),
            WebFejl::IkkeFundet | WebFejl::SideFindesIkke | WebFejl::LinkUgyldigt => {
                (StatusCode::NOT_FOUND, "Ikke fundet")
            }
            WebFejl::Afvist(Afvisning::Rolle { .. }) => (StatusCode::FORBIDDEN, "Handlingen er ikke tilladt"),
            WebFejl::Afvist(_) | WebFejl::Konflikt => (StatusCode::CONFLICT, "Handlingen kan ikke udføres"),
            WebFejl::Ugyldig(_) => (StatusCode::UNPROCESSABLE_ENTITY, "Der er fejl i oplysningerne"),
            WebFejl::Graense(f) => (f.status(), "Forespørgslen kan ikke modtages"),
            WebFejl::Csrf(f) => (f.status(), "Forespørgslen er afvist"),
            WebFejl::Login(_) => (StatusCode::FORBIDDEN, "Du blev ikke logget ind"),
            WebFejl::ForMange(_) => (StatusCode::TOO_MANY_REQUESTS, "For mange forespørgsler"),
            WebFejl::ForMangeJobs(_) => (StatusCode::TOO_MANY_REQUESTS, "For mange udtræk i gang"),
            WebFejl::ForLangsom => (StatusCode::SERVICE_UNAVAILABLE, "Siden svarede ikke i tide"),
            WebFejl::DatabaseUtilgaengelig => {
                (StatusCode::SERVICE_UNAVAILABLE, "Databasen er midlertidigt utilgængelig")
            }
            WebFejl::Intern(aarsag) => {
                tracing::error!(aarsag = format!("{aarsag:#}"), "intern fejl");
                (StatusCode::INTERNAL_SERVER_ERROR, "Der opstod en teknisk fejl")
            }
        };
        let besked = match &fejl {
            WebFejl::Intern(_) => "Prøv igen om lidt. Dine indtastninger er ikke gået tabt.".to_string(),
            e => e.to_string(),
        };
        let vent = match &fejl {
            WebFejl::ForMange(v) => Some(*v),
            WebFejl::DatabaseUtilgaengelig => Some(VENT_PAA_DATABASEN_SEK),
            _ => None,
        };
        let indhold = fejl.i_brugerens_ramme().then(|| Fejlindhold { overskrift, besked: besked.clone() });
        let mut svar = (status, FejlSide { ramme: Ramme::uden_bruger(overskrift), overskrift, besked }).into_response();
        if let Some(v) = vent.and_then(|v| axum::http::HeaderValue::from_str(&v.to_string()).ok()) {
            svar.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        if let Some(indhold) = indhold {
            svar.extensions_mut().insert(indhold);
        }
        svar
    }
}

/// The router's layer that gives an error page the frame of the session's user: name, menu
/// and "Log ud" with the session's CSRF token, as on every other page. Status and headers
/// stay. The limits' and the edge guard's refusals are left as drawn (see
/// `WebFejl::i_brugerens_ramme`). Without a session, or when the lookup fails (a database that
/// is down behind a 500), the page stays as it was drawn.
pub async fn med_brugerens_ramme(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let session = crate::auth::cookie_i(req.headers(), crate::auth::COOKIE);
    let mut svar = next.run(req).await;
    let Some(indhold) = svar.extensions_mut().remove::<Fejlindhold>() else {
        return svar;
    };
    let Some(bruger) = crate::auth::bruger_for_session(&st, session).await else {
        return svar;
    };
    let mut ramme = Ramme::ny(indhold.overskrift, Some(&bruger));
    ramme.csrf = crate::csrf::token(&bruger.session);
    let side = FejlSide { ramme, overskrift: indhold.overskrift, besked: indhold.besked };
    let Ok(html) = side.render() else {
        return svar;
    };
    svar.headers_mut().remove(header::CONTENT_LENGTH);
    *svar.body_mut() = axum::body::Body::from(html);
    svar
}
