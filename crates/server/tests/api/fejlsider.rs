//! Issue 13 §7: error pages keep the user's header and menu. A logged-in user who meets a 404,
//! a 409, a refused form (403) or an unknown address sees their name, the menu and a "Log ud"
//! that works (the session's CSRF token); an anonymous visitor sees neither. The edge guard's
//! refusals stay as drawn (decision 91).

use reqwest::StatusCode;

use crate::flow::{KAREN, LONE, ny_ansoegning};
use crate::helpers::{TestApp, csrf_token};
use crate::html::{Person, Side};

/// The page's frame shows `navn`, the menu and a logout form carrying `token`.
fn har_brugerens_ramme(side: &Side, navn: &str, token: &str) {
    let hvad = format!("{} [{}]", side.sti, side.status);
    assert!(side.html.contains(navn), "{hvad}: fejlsiden viser ikke brugerens navn {navn}\n{}", side.html);
    assert!(side.har_id("log-ud"), "{hvad}: fejlsiden mangler »Log ud«");
    assert!(side.har_id("log-ud-mobil"), "{hvad}: fejlsiden mangler »Log ud« i mobilmenuen");
    assert!(side.har_id("menu-knap"), "{hvad}: fejlsiden mangler knappen Menu");
    assert!(side.html.contains("aria-label=\"Hovedmenu\""), "{hvad}: fejlsiden mangler menuen");
    let log_ud = side.formular_krav("log-ud");
    assert_eq!(log_ud.felt("_csrf"), Some(token), "{hvad}: »Log ud« skal bære sessionens CSRF-token");
    assert_eq!(csrf_token(&side.html).as_deref(), Some(token), "{hvad}: <meta name=csrf-token>");
}

async fn fejlsider_har_brugerens_ramme(app: TestApp) {
    let lone = Person::ny(&app, LONE).await;
    let forside = lone.hent_ok("/").await;
    let token = csrf_token(&forside.html).expect("forsidens CSRF-token");
    let navn = "Lone Kjær";
    assert!(forside.html.contains(navn), "demo-brugeren hedder {navn}");

    // 404: a case that does not exist, a malformed id, an address that does not exist.
    for sti in ["/sager/999999999", "/sager/abc", "/findes/ikke"] {
        let side = lone.hent(sti).await;
        assert_eq!(side.status, StatusCode::NOT_FOUND, "{sti}");
        har_brugerens_ramme(&side, navn, &token);
        // The company's menu: Forside and Søg.
        assert!(side.har_link("/soeg"), "{sti}: menuen mangler Søg");
    }

    // 409: an action the state does not allow (approving a grant on a draft).
    let id = ny_ansoegning(&lone).await;
    let svar = lone.post(&format!("/sager/{id}/handling/godkend-bevilling"), &[("version", "1")]).await;
    assert_eq!(svar.status, StatusCode::CONFLICT, "{}", svar.html);
    har_brugerens_ramme(&svar.side(), navn, &token);

    // 403: a form without the session's CSRF token; the page's own "Log ud" still works.
    let (jar, _) = app.log_ind_jar(LONE).await;
    let uden_token = reqwest::Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("klient");
    let svar =
        uden_token.post(app.url("/ansoegninger/ny")).form(&[("ordning", "loentilskud")]).send().await.expect("POST");
    assert_eq!(svar.status(), StatusCode::FORBIDDEN);
    let side = Side::ny("/ansoegninger/ny", StatusCode::FORBIDDEN, svar.text().await.expect("tekst"));
    let dens_token = csrf_token(&side.html).expect("fejlsiden bærer sessionens token");
    har_brugerens_ramme(&side, navn, &dens_token);
    let log_ud = side.formular_krav("log-ud");
    let ud = uden_token.post(app.url("/log-ud")).form(&log_ud.felter).send().await.expect("POST /log-ud");
    assert_eq!(ud.status(), StatusCode::SEE_OTHER, "»Log ud« fra fejlsiden virker");
    let efter = uden_token.get(app.url("/sager/999999999")).send().await.expect("GET");
    let efter = Side::ny("/sager/999999999", efter.status(), efter.text().await.expect("tekst"));
    assert!(!efter.har_id("log-ud") && !efter.html.contains(navn), "efter »Log ud« er fejlsiden anonym");

    // Another role's menu: the caseworker's lists.
    let karen = Person::ny(&app, KAREN).await;
    let k_token = csrf_token(&karen.hent_ok("/").await.html).expect("token");
    let side = karen.hent("/sager/999999999").await;
    assert_eq!(side.status, StatusCode::NOT_FOUND);
    har_brugerens_ramme(&side, "Karen Holm", &k_token);
    assert!(side.har_link("/lister/ansoegninger"), "sagsbehandlerens menu står på fejlsiden");

    // The edge guard's refusals are answered at once, without a session lookup (decision 91).
    let side = lone.hent(&format!("/soeg?x={}", "a".repeat(9 * 1024))).await;
    assert_eq!(side.status, StatusCode::URI_TOO_LONG);
    assert!(!side.har_id("log-ud") && side.html.contains("Adressen er for lang"), "{}", side.html);

    // Nobody logged in: the error page has no user, no menu and no "Log ud".
    let anonym = Person::anonym(&app);
    let side = anonym.hent("/findes/ikke").await;
    assert_eq!(side.status, StatusCode::NOT_FOUND);
    assert!(side.html.contains("Siden findes ikke."), "{}", side.html);
    assert!(!side.har_id("log-ud") && !side.har_id("menu-knap"), "en anonym fejlside har ingen bruger eller menu");
}

paa_begge_databaser!(fejlsider_har_brugerens_ramme);
