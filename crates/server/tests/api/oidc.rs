//! Login through a real OpenID provider (issue 14 §1, decision 70): npm's `oidc-provider`,
//! started by the test (`tests/oidc/udbyder.mjs`), in place of MitID Erhverv, FKA and MitID.
//! Each kind of user logs in; a wrong audience, an expired token, a bad signature, a replayed
//! state, an unknown CVR and an unknown municipality are each refused with a Danish message.
//! The employee representative answers the hearing with their own MitID.

use crate::helpers::{TestApp, csrf_token, location};
use crate::udbyder::Udbyder;
use domain::login::Loginprofil;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use storage::entity::{bruger, sagshaendelse};

/// A browser without JavaScript: its own cookies, redirects followed by hand.
pub struct Browser {
    pub klient: reqwest::Client,
}

impl Browser {
    pub fn ny() -> Browser {
        Browser { klient: crate::helpers::ny_klient() }
    }

    async fn hent(&self, url: &str) -> reqwest::Response {
        self.klient.get(url).send().await.unwrap_or_else(|e| panic!("GET {url}: {e}"))
    }

    /// Log in through `/log-ind/{profil}` as the provider's account `konto` (unless the
    /// provider remembers this browser's login, as single sign-on does); returns VITAS's answer
    /// to the provider's return (not followed) and its address.
    pub async fn log_ind(&self, app: &TestApp, sti: &str, konto: &str) -> (String, reqwest::Response) {
        let svar_sti = app.url(web::login::SVAR_STI);
        let mut url = app.url(sti);
        let mut svar = self.hent(&url).await;
        for _ in 0..30 {
            if url.starts_with(&svar_sti) {
                return (url, svar);
            }
            if svar.status() == StatusCode::OK && !url.starts_with(&app.address) {
                // The provider's login form.
                let html = svar.text().await.expect("tekst");
                let handling =
                    html.split("action=\"").nth(1).and_then(|s| s.split('"').next()).expect("formularens action");
                url = absolut(&url, handling);
                svar = self
                    .klient
                    .post(&url)
                    .form(&[("prompt", "login"), ("login", konto), ("password", "hvad-som-helst")])
                    .send()
                    .await
                    .expect("POST login");
                continue;
            }
            assert!(svar.status().is_redirection(), "{} svarede {}", url, svar.status());
            let til = location(&svar).expect("Location");
            url = if til.starts_with("http") { til } else { absolut(&url, &til) };
            svar = self.hent(&url).await;
        }
        panic!("udbyderen sendte aldrig browseren tilbage til VITAS");
    }
}

fn absolut(fra: &str, til: &str) -> String {
    reqwest::Url::parse(fra).and_then(|u| u.join(til)).map(|u| u.to_string()).expect("adresse")
}

/// The application with the test provider behind all three kinds of login.
async fn opsaet(postgres: bool) -> Option<(TestApp, Udbyder)> {
    let udbyder = Udbyder::start().await;
    let t = udbyder.tjenester();
    let app = if postgres {
        TestApp::postgres_med(move |s| s.med_login(t)).await?
    } else {
        TestApp::sqlite_med(move |s| s.med_login(t)).await
    };
    Some((app, udbyder))
}

/// `med_udbyder!(a)` → `a_sqlite` and `a_postgres`, each with its own provider.
macro_rules! med_udbyder {
    ($($navn:ident),+ $(,)?) => {
        $(
            pastey::paste! {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn [<$navn _sqlite>]() {
                    let Some((app, u)) = opsaet(false).await else { return };
                    $navn(app, u).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn [<$navn _postgres>]() {
                    let Some((app, u)) = opsaet(true).await else { return };
                    $navn(app, u).await;
                }
            }
        )+
    };
}

med_udbyder!(hver_slags_bruger_logger_ind, afviste_logins_med_dansk_besked, repraesentanten_svarer_med_eget_mitid);

fn session_cookie(svar: &reqwest::Response) -> Option<String> {
    svar.cookies().find(|c| c.name() == "vitas_session" && !c.value().is_empty()).map(|c| c.value().to_string())
}

async fn bruger_med(app: &TestApp, ekstern_id_slutter: &str) -> Vec<bruger::Model> {
    bruger::Entity::find()
        .filter(bruger::Column::EksternId.is_not_null())
        .all(&app.db.conn)
        .await
        .expect("brugere")
        .into_iter()
        .filter(|b| b.ekstern_id.as_deref().is_some_and(|e| e.ends_with(ekstern_id_slutter)))
        .collect()
}

/// The person a login made, by the provider's subject (sha-256 of the account, as the test
/// provider makes it; here found as the newest user with an external id).
async fn nyeste_eksterne(app: &TestApp) -> bruger::Model {
    let mut alle = bruger_med(app, "").await;
    alle.sort_by_key(|b| b.id);
    alle.pop().expect("login skulle have oprettet en bruger")
}

/// Log in and land on the page it sends to; returns the page's text and the session cookie.
async fn logget_ind(app: &TestApp, b: &Browser, sti: &str, konto: &str) -> (String, String) {
    let (url, svar) = b.log_ind(app, sti, konto).await;
    assert_eq!(svar.status(), StatusCode::SEE_OTHER, "svaret fra udbyderen ({url}) skal logge ind");
    let session = session_cookie(&svar).expect("login sætter en session");
    let til = location(&svar).expect("Location");
    let side = b.hent(&app.url(&til)).await;
    assert_eq!(side.status(), StatusCode::OK);
    (side.text().await.expect("tekst"), session)
}

async fn hver_slags_bruger_logger_ind(app: TestApp, u: Udbyder) {
    // The front page offers each configured login service.
    let forside = reqwest::get(app.url("/")).await.expect("GET /").text().await.expect("tekst");
    for p in Loginprofil::ALLE {
        assert!(forside.contains(&format!("href=\"/log-ind/{}\"", p.slug())), "forsiden tilbyder {}", p.slug());
    }

    // A company through MitID Erhverv: the CVR from the token, checked in CVR.
    let firma = Browser::ny();
    let (side, _) = logget_ind(&app, &firma, "/log-ind/erhverv", "navn=Lise Mark Nordlys;cvr=25348710").await;
    assert!(side.contains("Lise Mark Nordlys") && side.contains("Start ny ansøgning"), "virksomhedens forside");
    let lise = nyeste_eksterne(&app).await;
    assert_eq!((lise.rolle.as_str(), lise.cvr.as_deref()), ("virksomhed", Some("25348710")));
    assert_eq!((lise.fornavn.as_str(), lise.mellemnavn.as_str(), lise.efternavn.as_str()), ("Lise", "Mark", "Nordlys"));
    assert!(lise.ekstern_id.as_deref().is_some_and(|e| e.starts_with(&u.issuer)), "emnet er udbyder|sub");

    // An Anden Aktør through MitID Erhverv: its organisation's CVR.
    let aa =
        storage::entity::anden_aktoer::Entity::find().one(&app.db.conn).await.expect("aa").expect("en AA i demoen");
    let (_, _) = logget_ind(&app, &Browser::ny(), "/log-ind/erhverv", &format!("navn=Aase Aktør;cvr={}", aa.cvr)).await;
    let aase = nyeste_eksterne(&app).await;
    assert_eq!((aase.rolle.as_str(), aase.anden_aktoer_id), ("anden_aktoer", Some(aa.id)));

    // A caseworker and an administrator through FKA: municipality and roles from the token.
    let jc = |kode: &'static str| {
        let db = app.db.clone();
        async move { storage::organisation::jobcenter_for_kommune(&db, kode).await.expect("opslag").expect("jobcenter") }
    };
    let sb = Browser::ny();
    let (side, session_1) =
        logget_ind(&app, &sb, "/log-ind/fka", "navn=Karin Fka;kommune=0101;roller=Star-VITAS-CaseWorker").await;
    assert!(side.contains("Karin Fka") && side.contains("Sagsbehandler"), "sagsbehandlerens forside");
    let karin = nyeste_eksterne(&app).await;
    assert_eq!((karin.rolle.as_str(), karin.jobcenter_id), ("sagsbehandler", Some(jc("0101").await)));
    let (_, _) = logget_ind(
        &app,
        &Browser::ny(),
        "/log-ind/fka",
        "navn=Arne Admin;kommune=0751;roller=Star-VITAS-CaseWorker,Star-VITAS-Administrator",
    )
    .await;
    let arne = nyeste_eksterne(&app).await;
    assert_eq!((arne.rolle.as_str(), arne.jobcenter_id), ("administrator", Some(jc("0751").await)));

    // The session id is new at every login: the same browser logs in again, and the first
    // session is gone on the server.
    let (_, session_2) =
        logget_ind(&app, &sb, "/log-ind/fka", "navn=Karin Fka;kommune=0101;roller=Star-VITAS-CaseWorker").await;
    assert_ne!(session_1, session_2, "et nyt login giver et nyt sessions-id");
    let gammel = crate::helpers::ny_klient()
        .get(app.url("/sager"))
        .header("cookie", format!("vitas_session={session_1}"))
        .send()
        .await
        .expect("GET");
    assert_eq!(location(&gammel).as_deref(), Some("/?log_ind=1"), "den gamle session virker ikke længere");
    assert_eq!(bruger_med(&app, "").await.len(), 4, "samme person ved andet login er samme bruger");

    // A citizen through MitID: the CPR from the token.
    let borger = Browser::ny();
    let (side, _) = logget_ind(&app, &borger, "/log-ind/mitid", "navn=Anna Jensen;cpr=0101901234").await;
    assert!(side.contains("Anna Jensen"), "borgerens forside");
    let anna = nyeste_eksterne(&app).await;
    assert_eq!((anna.rolle.as_str(), anna.cpr.as_deref()), ("borger", Some("0101901234")));

    // Logging out ends the session here and sends the browser to the provider's logout.
    let side = borger.hent(&app.url("/")).await.text().await.expect("tekst");
    let token = csrf_token(&side).expect("csrf");
    let ud = borger.klient.post(app.url("/log-ud")).form(&[("_csrf", token.as_str())]).send().await.expect("POST");
    assert_eq!(ud.status(), StatusCode::SEE_OTHER);
    let til = location(&ud).expect("Location");
    let forventet = format!("{}/session/end?client_id=vitas-borger&post_logout_redirect_uri=", u.issuer);
    assert!(til.starts_with(&forventet), "log ud hos udbyderen også: {til}");
    let hos_udbyderen = borger.hent(&til).await;
    assert_eq!(hos_udbyderen.status(), StatusCode::OK, "udbyderen kender klienten og adressen tilbage");
    let efter = borger.hent(&app.url("/sager")).await;
    assert_eq!(location(&efter).as_deref(), Some("/?log_ind=1"), "sessionen er væk i VITAS");
}

async fn afviste_logins_med_dansk_besked(app: TestApp, _u: Udbyder) {
    let foer = bruger::Entity::find().all(&app.db.conn).await.expect("brugere").len();
    let tilfaelde: [(&str, &str, &str); 9] = [
        ("/log-ind/erhverv", "navn=A;cvr=25348710;fejl=aud", "forkert modtager"),
        ("/log-ind/erhverv", "navn=A;cvr=25348710;fejl=udloebet", "er udløbet"),
        ("/log-ind/mitid", "navn=A;cpr=0101901234;fejl=signatur", "ugyldig signatur"),
        ("/log-ind/mitid", "navn=A;cpr=0101901234;fejl=nonce", "allerede brugt"),
        ("/log-ind/erhverv", "navn=A;cvr=10000009", "CVR-nummer 10000009 findes ikke i CVR"),
        ("/log-ind/erhverv", "navn=A;cvr=99999999", "CVR-nummer 99999999 findes ikke i CVR"),
        ("/log-ind/fka", "navn=A;kommune=0999;roller=Star-VITAS-CaseWorker", "kommunekode 0999 har ikke et jobcenter"),
        ("/log-ind/fka", "navn=A;kommune=0101;roller=Andet", "FKA-administrator"),
        ("/log-ind/mitid", "navn=A", "sendte ikke et CPR-nummer"),
    ];
    for (sti, konto, besked) in tilfaelde {
        let b = Browser::ny();
        let (url, svar) = b.log_ind(&app, sti, konto).await;
        assert_eq!(svar.status(), StatusCode::FORBIDDEN, "{konto}: {url}");
        assert!(session_cookie(&svar).is_none(), "{konto}: ingen session");
        let html = svar.text().await.expect("tekst");
        assert!(html.contains(besked), "{konto}: forventede «{besked}» i {html}");
        assert!(html.contains("Du blev ikke logget ind"), "{konto}");
    }
    assert_eq!(bruger::Entity::find().all(&app.db.conn).await.expect("brugere").len(), foer, "ingen bruger oprettet");

    // A replayed answer: the same state again, from the same browser (its cookie is cleared)
    // and with the cookie put back by hand: the attempt is used up either way.
    let b = Browser::ny();
    let (url, svar) = b.log_ind(&app, "/log-ind/mitid", "navn=Anna Jensen;cpr=0101901234").await;
    assert_eq!(svar.status(), StatusCode::SEE_OTHER, "første svar logger ind");
    let state = reqwest::Url::parse(&url)
        .expect("url")
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.to_string())
        .expect("state");
    for klient in [b.klient.clone(), crate::helpers::ny_klient()] {
        let igen = klient.get(&url).header("cookie", format!("vitas_login={state}")).send().await.expect("GET");
        assert_eq!(igen.status(), StatusCode::FORBIDDEN, "et genbrugt svar afvises");
        assert!(session_cookie(&igen).is_none());
        assert!(igen.text().await.expect("tekst").contains("allerede brugt"));
    }
    // An answer carried to another browser (login CSRF): no cookie, refused.
    let a = Browser::ny();
    let (url, _) = a.log_ind(&app, "/log-ind/mitid", "navn=Anna Jensen;cpr=0101901234").await;
    let anden = crate::helpers::ny_klient().get(&url).send().await.expect("GET");
    assert_eq!(anden.status(), StatusCode::FORBIDDEN);

    // A provider that is not there: a Danish message, not a 500.
    let nede = web::login::Logintjenester::default()
        .med(
            Loginprofil::MitId,
            web::login::Opsaetning {
                issuer: "http://127.0.0.1:9".into(),
                klient_id: "x".into(),
                hemmelighed: "y".into(),
                scopes: vec![],
                claims: web::login::Claimnavne::default(),
            },
        )
        .expect("tjeneste");
    let app2 = TestApp::sqlite_med(move |s| s.med_login(nede)).await;
    let svar = crate::helpers::ny_klient().get(app2.url("/log-ind/mitid")).send().await.expect("GET");
    assert_eq!(svar.status(), StatusCode::FORBIDDEN);
    assert!(svar.text().await.expect("tekst").contains("svarer ikke lige nu"));
}

async fn repraesentanten_svarer_med_eget_mitid(app: TestApp, _u: Udbyder) {
    use crate::flow::{Datoer, LONE, Maal, hoering_token, sag_til};
    let d = Datoer::nu();
    let (id, lone, _) = sag_til(&app, Maal::SendtTilRep, &d).await;
    let token = hoering_token(&app, id).await;
    let sti = format!("/hoering/{token}");
    async fn status(app: &TestApp, id: i64) -> String {
        crate::atomar::sag_raekke(app, id).await.ansoegning_status.unwrap_or_default()
    }
    let foer = status(&app, id).await;

    // Without MitID the link shows nothing of the case, and an answer changes nothing.
    let anonym = crate::html::Person::anonym(&app);
    let side = anonym.hent_ok(&sti).await;
    assert!(side.har_id("hoering-log-ind") && !side.har_id("rep-godkend"), "kun login");
    assert!(!side.al_tekst().contains("Stillingsbetegnelse"), "ingen sagsoplysninger før login");
    let svar = anonym.post(&format!("{sti}/godkend"), &[]).await;
    assert_eq!(svar.viderestilling_sti(), sti);
    assert_eq!(status(&app, id).await, foer);

    // The company holds the link but cannot answer as the representative.
    let side = lone.hent_ok(&sti).await;
    assert!(side.har_id("hoering-anden-rolle") && !side.har_id("rep-godkend"), "{LONE} får ikke knapperne");
    let svar = lone.post(&format!("{sti}/godkend"), &[]).await;
    assert_eq!(svar.viderestilling_sti(), sti);
    assert_eq!(status(&app, id).await, foer, "virksomheden kunne ikke godkende høringen");

    // The representative logs in with MitID from the page and comes back to the hearing.
    let rep = Browser::ny();
    let side = rep.hent(&app.url(&sti)).await.text().await.expect("tekst");
    let login =
        side.split("id=\"hoering-log-ind\" href=\"").nth(1).and_then(|s| s.split('"').next()).expect("login-link");
    let login = crate::html::dekod(login);
    let (_, svar) = rep.log_ind(&app, &login, "navn=Søren Bak;cpr=1503852345").await;
    assert_eq!(location(&svar).as_deref(), Some(sti.as_str()), "tilbage til høringen");
    let side = rep.hent(&app.url(&sti)).await.text().await.expect("tekst");
    assert!(side.contains("id=\"rep-godkend\"") && side.contains("Stillingsbetegnelse"));
    let csrf = csrf_token(&side).expect("csrf");
    let svar = rep
        .klient
        .post(app.url(&format!("{sti}/godkend")))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(location(&svar).as_deref(), Some("/hoering/kvittering/godkendt"));
    assert_ne!(status(&app, id).await, foer, "høringen er godkendt");
    let haendelser = sagshaendelse::Entity::find()
        .filter(sagshaendelse::Column::SagId.eq(id))
        .all(&app.db.conn)
        .await
        .expect("hændelser");
    let soeren = nyeste_eksterne(&app).await;
    assert!(
        haendelser.iter().any(|h| format!("{h:?}").contains("Søren Bak (medarbejderrepræsentant, MitID)")),
        "historikken navngiver den, MitID identificerede: {haendelser:?}"
    );
    assert_eq!(soeren.rolle, "borger");
}
