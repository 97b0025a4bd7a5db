//! The demo login page: every demo user by role, one click to log in as them. The route
//! exists only in demo mode (router.rs), and lists and admits only the users the demo seed
//! made (`bruger.demo`, decision 54): an operator who turns demo mode on against a real
//! database does not open a door to its real users.

use super::{Ramme, Sti, Svar, videre};
use crate::AppState;
use crate::auth::{cookie_i, saet_cookie};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::response::IntoResponse;
use domain::policy::Rolle;

pub struct DemoBruger {
    pub id: i64,
    pub navn: String,
    pub email: String,
    pub tilknytning: String,
}

pub struct RolleGruppe {
    pub rolle: &'static str,
    pub brugere: Vec<DemoBruger>,
}

#[derive(Template, WebTemplate)]
#[template(path = "demo_login.html")]
pub struct DemoLogin {
    pub ramme: Ramme,
    pub grupper: Vec<RolleGruppe>,
    pub hoeringer: Vec<String>,
    /// Where to go after login (a hearing that asked for MitID); empty: the front page.
    pub videre: String,
}

/// GET `/demo-login?videre=/sti`: also the demo's stand-in for the login services
/// (`/log-ind/{profil}` comes here when a kind has no provider).
pub async fn vis(State(st): State<AppState>, axum::extract::RawQuery(q): axum::extract::RawQuery) -> Svar {
    let par: Vec<(String, String)> = serde_urlencoded::from_str(q.as_deref().unwrap_or("")).unwrap_or_default();
    let videre = par
        .into_iter()
        .find(|(k, _)| k == "videre")
        .and_then(|(_, v)| super::login::lokal_sti(&v).map(str::to_string))
        .unwrap_or_default();
    let brugere = storage::organisation::demo_brugere(&st.db).await?;
    let jobcentre = storage::organisation::jobcenternavne(&st.db).await?;
    let mut grupper: Vec<RolleGruppe> = Vec::new();
    for rolle in Rolle::ALLE {
        let i_rollen: Vec<DemoBruger> = brugere
            .iter()
            .filter(|b| b.rolle == rolle.kode())
            .map(|b| DemoBruger {
                id: b.id,
                navn: format!("{} {}", b.fornavn, b.efternavn),
                email: b.email.clone(),
                tilknytning: match (&b.cvr, b.jobcenter_id, b.anden_aktoer_id) {
                    (Some(cvr), _, _) => format!("CVR {cvr}"),
                    (_, Some(jc), _) => jobcentre.get(&jc).cloned().unwrap_or_default(),
                    (_, _, Some(_)) => "Anden Aktør".into(),
                    _ => String::new(),
                },
            })
            .collect();
        if !i_rollen.is_empty() {
            grupper.push(RolleGruppe { rolle: rolle.navn(), brugere: i_rollen });
        }
    }
    let hoeringer = storage::sager::aabne_demo_links(&st.db, "hoering", chrono::Utc::now())
        .await?
        .into_iter()
        .map(|l| l.token)
        .collect();
    Ok(DemoLogin { ramme: Ramme::uden_bruger("Demo-login"), grupper, hoeringer, videre }.into_response())
}

pub async fn log_ind(
    State(st): State<AppState>,
    crate::graense::Adresse(adresse): crate::graense::Adresse,
    headers: axum::http::HeaderMap,
    Sti(id): Sti<i64>,
    krop: axum::body::Bytes,
) -> Svar {
    // Login throttling per address (issue 14 §2), before anything is looked up.
    if let Err(vent) = st.graenser.login.tag(adresse, std::time::Instant::now()) {
        tracing::warn!(vent_sek = vent, "for mange logins fra samme adresse");
        return Ok(crate::graense::for_mange(vent));
    }
    let Some(b) = storage::organisation::bruger(&st.db, id).await?.filter(|b| b.demo) else {
        return Err(crate::fejl::WebFejl::SideFindesIkke);
    };
    // A new session id at every login; a session this browser had before ends.
    if let Some(gammel) = cookie_i(&headers, crate::auth::COOKIE) {
        storage::sessioner::slet(&st.db, &gammel).await?;
    }
    let session = storage::sessioner::opret(&st.db, b.id, chrono::Utc::now()).await?;
    // The form's only field besides the token is `videre`; a bare POST (a script) has none.
    let f: Vec<(String, String)> = serde_urlencoded::from_bytes(&krop).unwrap_or_default();
    let til = f.into_iter().find(|(k, _)| k == "videre").map(|(_, v)| v).unwrap_or_default();
    let mut svar = videre(super::login::lokal_sti(&til).unwrap_or("/"));
    if let Ok(v) = saet_cookie(&session, st.https()).parse() {
        svar.headers_mut().insert(SET_COOKIE, v);
    }
    Ok(svar)
}

/// One row of the demo mailbox.
pub struct PostRaekke {
    pub id: i64,
    pub til: String,
    pub fra: String,
    pub emne: String,
    pub status: &'static str,
    pub tidspunkt: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "demo_post.html")]
pub struct Postkasse {
    pub ramme: Ramme,
    pub mails: Vec<PostRaekke>,
}

#[derive(Template, WebTemplate)]
#[template(path = "demo_post_mail.html")]
pub struct PostVisning {
    pub mail: PostRaekke,
    pub ramme: Ramme,
    pub sag_id: Option<i64>,
    pub message_id: String,
    pub leveret: String,
    pub fejl: Option<String>,
    pub tekst: String,
}

/// The outbox status as the demo mailbox says it.
fn post_status(status: &str) -> &'static str {
    use storage::outbox::status;
    match status {
        status::LEVERET => "Leveret",
        status::DOED => "Død",
        _ => "Afventer",
    }
}

fn tid(t: chrono::DateTime<chrono::Utc>) -> String {
    domain::periode::dansk_tid(t).format("%d-%m-%Y kl. %H:%M:%S").to_string()
}

/// A row as the mailbox shows it, and its text. "Fra" is the display name the worker puts
/// in From (jobs::epost); the address is the worker's configured one.
fn post_raekke(r: &storage::entity::outbox::Model) -> (PostRaekke, String) {
    let mail: storage::sager::Email = serde_json::from_str(&r.payload).unwrap_or(storage::sager::Email {
        til: String::new(),
        afsender_navn: String::new(),
        emne: "(kan ikke læses)".into(),
        tekst: String::new(),
    });
    let fra = if mail.afsender_navn.is_empty() { "VITAS".to_string() } else { mail.afsender_navn };
    (
        PostRaekke {
            id: r.id,
            til: mail.til,
            fra,
            emne: mail.emne,
            status: post_status(&r.status),
            tidspunkt: tid(r.oprettet),
        },
        mail.tekst,
    )
}

/// GET `/demo/post` (demo mode only): every e-mail about the demo companies' cases, newest
/// first, as it is or will be sent, whether or not SMTP is configured.
pub async fn postkasse(State(st): State<AppState>) -> Svar {
    let mails = storage::outbox::demo_emails(&st.db, 500).await?.iter().map(|r| post_raekke(r).0).collect();
    Ok(Postkasse { ramme: Ramme::uden_bruger("Demo-postkasse"), mails }.into_response())
}

/// GET `/demo/post/{id}` (demo mode only): one whole mail.
pub async fn post(State(st): State<AppState>, Sti(id): Sti<i64>) -> Svar {
    let Some(r) = storage::outbox::demo_email(&st.db, id).await? else {
        return Err(crate::fejl::WebFejl::SideFindesIkke);
    };
    let (mail, tekst) = post_raekke(&r);
    Ok(PostVisning {
        ramme: Ramme::uden_bruger(format!("E-mail: {}", mail.emne)),
        mail,
        sag_id: r.sag_id,
        message_id: r.noegle.clone(),
        leveret: r.leveret.map(tid).unwrap_or_default(),
        fejl: r.fejl.clone(),
        tekst,
    }
    .into_response())
}
