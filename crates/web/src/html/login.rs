//! Logging in and out through the login services (decision 70): `/log-ind/{profil}` sends the
//! browser to the provider, `/log-ind/svar` takes its answer and starts a session, `/log-ud`
//! ends the session here and, for a provider's session, at the provider too.

use super::{Svar, videre};
use crate::AppState;
use crate::auth::{COOKIE, cookie_i, saet_cookie, slet_cookie};
use crate::fejl::WebFejl;
use crate::login::{FORSOEG_COOKIE, Svarfejl};
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use domain::ident::Cvr;
use domain::login::{Cvrkendskab, Loginprofil, Tilknytning};

/// A path of ours to go on to after login: local, printable, never `//host` (no open redirect).
pub fn lokal_sti(s: &str) -> Option<&str> {
    let ok = s.starts_with('/')
        && !s.starts_with("//")
        && !s.contains('\\')
        && !s.contains(char::is_control)
        && !s.starts_with(crate::login::SVAR_STI);
    ok.then_some(s)
}

fn par(q: &Option<String>) -> Vec<(String, String)> {
    serde_urlencoded::from_str(q.as_deref().unwrap_or("")).unwrap_or_default()
}

fn param(par: &[(String, String)], navn: &str) -> Option<String> {
    par.iter().find(|(k, _)| k == navn).map(|(_, v)| v.clone())
}

fn med_cookie(mut svar: Response, cookie: &str) -> Response {
    if let Ok(v) = cookie.parse() {
        svar.headers_mut().append(SET_COOKIE, v);
    }
    svar
}

/// GET `/log-ind/{profil}?videre=/sti`: to the provider of that kind of user. Without one,
/// demo mode's local stand-in (the demo login) takes over; otherwise the page does not exist.
pub async fn start(
    State(st): State<AppState>,
    crate::graense::Adresse(adresse): crate::graense::Adresse,
    super::Sti(profil): super::Sti<String>,
    RawQuery(q): RawQuery,
) -> Svar {
    let p = par(&q);
    let videre_til = param(&p, "videre").filter(|v| lokal_sti(v).is_some()).unwrap_or_else(|| "/".into());
    let profil = Loginprofil::fra_slug(&profil).ok_or(WebFejl::SideFindesIkke)?;
    let Some(tjeneste) = st.login.tjeneste(profil) else {
        if st.demo {
            let q = serde_urlencoded::to_string([("videre", videre_til.as_str())]).unwrap_or_default();
            return Ok(videre(format!("/demo-login?{q}")));
        }
        return Err(WebFejl::SideFindesIkke);
    };
    // Login throttling per address (issue 14 §2): each start writes a row.
    if let Err(vent) = st.graenser.login.tag(adresse, std::time::Instant::now()) {
        tracing::warn!(vent_sek = vent, "for mange login-forsøg fra samme adresse");
        return Ok(crate::graense::for_mange(vent));
    }
    let s = tjeneste.start(&st.base_url).await.map_err(login_fejl)?;
    let forsoeg =
        storage::login::Forsoeg { profil: profil.slug().into(), nonce: s.nonce, pkce: s.pkce, videre: videre_til };
    storage::login::gem_forsoeg(&st.db, &s.state, &forsoeg, Utc::now()).await?;
    let secure = if st.https() { "; Secure" } else { "" };
    let cookie = format!(
        "{FORSOEG_COOKIE}={}; Path=/log-ind; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        s.state,
        storage::login::FORSOEG_LEVETID.num_seconds()
    );
    Ok(med_cookie(videre(&s.url), &cookie))
}

fn login_fejl(e: Svarfejl) -> WebFejl {
    if let Svarfejl::Utilgaengelig(aarsag) = &e {
        tracing::warn!(aarsag = %aarsag, "login-tjenesten svarer ikke");
    }
    WebFejl::Login(e.to_string())
}

/// GET `/log-ind/svar?code=…&state=…` (or `error=…`): the provider's answer.
pub async fn svar(State(st): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Svar {
    let p = par(&q);
    let state = param(&p, "state").unwrap_or_default();
    // The answer must come back to the browser that started the login.
    let cookie = cookie_i(&headers, FORSOEG_COOKIE).unwrap_or_default();
    let samme = !state.is_empty() && subtle::ConstantTimeEq::ct_eq(state.as_bytes(), cookie.as_bytes()).into();
    // The attempt is used up whatever the answer: a replayed state finds nothing.
    let forsoeg = if samme { storage::login::tag_forsoeg(&st.db, &state, Utc::now()).await? } else { None };
    let slet_forsoeg = format!("{FORSOEG_COOKIE}=; Path=/log-ind; HttpOnly; SameSite=Lax; Max-Age=0");
    let resultat = afslut(&st, &headers, &p, forsoeg).await;
    let svar = match resultat {
        Ok(svar) => svar,
        Err(e) => e.into_response(),
    };
    Ok(med_cookie(svar, &slet_forsoeg))
}

async fn afslut(
    st: &AppState,
    headers: &HeaderMap,
    p: &[(String, String)],
    forsoeg: Option<storage::login::Forsoeg>,
) -> Result<Response, WebFejl> {
    let f = forsoeg.ok_or_else(|| login_fejl(Svarfejl::UkendtForsoeg))?;
    if param(p, "error").is_some() {
        return Err(login_fejl(Svarfejl::Afbrudt));
    }
    let kode = param(p, "code").filter(|k| !k.is_empty()).ok_or_else(|| login_fejl(Svarfejl::Afbrudt))?;
    let profil = Loginprofil::fra_slug(&f.profil).ok_or(WebFejl::SideFindesIkke)?;
    let tjeneste = st.login.tjeneste(profil).ok_or(WebFejl::SideFindesIkke)?;
    let id = tjeneste.afslut(&st.base_url, &kode, &f.nonce, &f.pkce).await.map_err(login_fejl)?;
    let tilknytning = match profil {
        Loginprofil::Erhverv => {
            let kendskab = cvrkendskab(st, &id).await?;
            domain::login::erhverv(&id, kendskab)
        }
        Loginprofil::Fka => {
            let jobcenter = match &id.kommunekode {
                Some(k) => storage::organisation::jobcenter_for_kommune(&st.db, k).await?,
                None => None,
            };
            domain::login::fka(&id, jobcenter)
        }
        Loginprofil::MitId => domain::login::mitid(&id),
    };
    let tilknytning: Tilknytning = tilknytning.map_err(|a| WebFejl::Login(a.besked()))?;
    let bruger =
        storage::login::bruger_for(&st.db, &id, &tilknytning).await?.map_err(|a| WebFejl::Login(a.besked()))?;
    // A new session id at every login; a session this browser had before ends.
    if let Some(gammel) = cookie_i(headers, COOKIE) {
        storage::sessioner::slet(&st.db, &gammel).await?;
    }
    let session = storage::sessioner::opret_fra(&st.db, bruger.id, Some(profil.slug()), Utc::now()).await?;
    tracing::info!(profil = profil.slug(), bruger_id = bruger.id, rolle = bruger.rolle, "logget ind");
    Ok(med_cookie(videre(&f.videre), &saet_cookie(&session, st.https())))
}

/// What the registers know of an Erhverv login's CVR: STAR, an Anden Aktør, a company.
async fn cvrkendskab(st: &AppState, id: &domain::login::Identitet) -> Result<Cvrkendskab, WebFejl> {
    let Ok(cvr) = domain::login::gyldigt_cvr(id) else {
        // The domain names the fault; what is known does not matter.
        return Ok(Cvrkendskab::Ukendt);
    };
    if st.login.styrelse_cvr.as_deref() == Some(cvr.as_str()) {
        return Ok(Cvrkendskab::Styrelse);
    }
    if let Some(aa) = storage::login::anden_aktoer_med_cvr(&st.db, &cvr).await? {
        return Ok(Cvrkendskab::AndenAktoer(aa));
    }
    let parsed = Cvr::parse(&cvr, "cvr").map_err(|f| WebFejl::Ugyldig(f.besked))?;
    Ok(match st.cvr.virksomhed(&parsed).await? {
        Some(_) => Cvrkendskab::Virksomhed,
        None => Cvrkendskab::Ukendt,
    })
}

/// POST `/log-ud`: the session is deleted on the server and the cookie cleared. Also when the
/// session has already run out (the page's countdown reached zero): the answer is the same.
/// A session a login service made is then ended at the provider too, which sends the
/// browser back to the front page.
pub async fn log_ud(State(st): State<AppState>, crate::auth::MaaskeBruger(b): crate::auth::MaaskeBruger) -> Svar {
    let tilbage = format!("{}/?udlogget=1", st.base_url);
    let mut til = "/?udlogget=1".to_string();
    if let Some(b) = b {
        let udbyder = storage::sessioner::udbyder(&st.db, &b.session).await?;
        storage::sessioner::slet(&st.db, &b.session).await?;
        let tjeneste = udbyder.as_deref().and_then(Loginprofil::fra_slug).and_then(|p| st.login.tjeneste(p));
        if let Some(t) = tjeneste
            && let Some(url) = t.log_ud_url(&tilbage).await
        {
            til = url;
        }
    }
    Ok(med_cookie(videre(&til), &slet_cookie(st.https())))
}

#[cfg(test)]
mod tests {
    use super::lokal_sti;

    #[test]
    fn kun_egne_stier() {
        assert_eq!(lokal_sti("/hoering/abc"), Some("/hoering/abc"));
        assert_eq!(lokal_sti("/lister/ansoegninger?side=2"), Some("/lister/ansoegninger?side=2"));
        for ond in
            ["//ond.dk/", "https://ond.dk/", "/\\ond.dk", "/a\r\nSet-Cookie: x", "", "hoering", "/log-ind/svar?x"]
        {
            assert_eq!(lokal_sti(ond), None, "{ond:?}");
        }
    }
}
