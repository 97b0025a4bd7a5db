//! The demo login page: every demo user by role, one click to log in as them. The route
//! exists only in demo mode (router.rs).

use super::{Ramme, Sti, Svar, videre};
use crate::AppState;
use crate::auth::{Bruger, saet_cookie, slet_cookie};
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
}

pub async fn vis(State(st): State<AppState>) -> Svar {
    let brugere = storage::organisation::brugere(&st.db).await?;
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
    let hoeringer = storage::sager::aabne_links(&st.db, "hoering", chrono::Utc::now())
        .await?
        .into_iter()
        .map(|l| l.token)
        .collect();
    Ok(DemoLogin { ramme: Ramme::uden_bruger("Demo-login"), grupper, hoeringer }.into_response())
}

pub async fn log_ind(State(st): State<AppState>, Sti(id): Sti<i64>) -> Svar {
    let Some(b) = storage::organisation::bruger(&st.db, id).await? else {
        return Err(crate::fejl::WebFejl::SideFindesIkke);
    };
    let session = storage::sessioner::opret(&st.db, b.id, chrono::Utc::now()).await?;
    let mut svar = videre("/");
    if let Ok(v) = saet_cookie(&session).parse() {
        svar.headers_mut().insert(SET_COOKIE, v);
    }
    Ok(svar)
}

pub async fn log_ud(State(st): State<AppState>, b: Bruger) -> Svar {
    storage::sessioner::slet(&st.db, &b.session).await?;
    let mut svar = videre("/?udlogget=1");
    if let Ok(v) = slet_cookie().parse() {
        svar.headers_mut().insert(SET_COOKIE, v);
    }
    Ok(svar)
}
