//! The end-to-end browser tests: the whole løntilskud path in a real (headless) Chromium, as
//! the company, the employee representative and the caseworker click it; every built company
//! scheme's path on SQLite and PostgreSQL (e2e/ordninger.rs); Søg, the export, the logout
//! clock, login through OpenID, and the page frame at a phone's and a laptop's width.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`apt-get install chromium
//! chromium-driver`). Without chromedriver the test is skipped with a notice, except under CI
//! (`CI` set), where it fails. On failure a screenshot is saved as `target/e2e-fejl.png`
//! (or `$CARGO_TARGET_DIR/e2e-fejl.png`).
//!
//! Every HTML page a test makes the application serve goes through the Nu Html Checker
//! (npm `vnu-jar`, run by Java) when the walk is over: zero errors (e2e/nu.rs).
//!
//! Run: `cargo test -p server --test e2e`; with `VITAS_TEST_POSTGRES_URL` set, each scheme's
//! walk runs on PostgreSQL too (without it that variant is skipped with a notice, except
//! under CI).

#[path = "api/helpers.rs"]
#[allow(dead_code, reason = "the helpers are shared with the api binary; the browser tests use a part of them")]
mod helpers;
#[path = "e2e/kladde.rs"]
mod kladde;
#[path = "e2e/nu.rs"]
mod nu;
#[path = "e2e/ordninger.rs"]
mod ordninger;
#[path = "e2e/ramme.rs"]
mod ramme;
#[path = "e2e/statistik.rs"]
mod statistik;
#[path = "api/udbyder.rs"]
mod udbyder;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use chrono::Utc;
use helpers::TestApp;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use storage::entity::sag;
use thirtyfour::prelude::*;

const CHROMIUM: &str = "/usr/bin/chromium";
const LONE: &str = "lone@nordlys.dk";
const KAREN: &str = "karen.holm@jobcenter-koebenhavn.dk";
/// Anna Jensen, the demo citizen with CPR 010190-1234, who signs the agreements made out to her.
const BORGER: &str = "anna.jensen@borger.dk";
/// How long to wait for a page or an element.
const VENT: Duration = Duration::from_secs(15);

fn find_paa_path(navn: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(navn)).find(|p| p.is_file())
}

fn ledig_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("ingen ledig port")
}

/// chromedriver as a child process, killed when dropped.
struct Chromedriver {
    barn: Child,
    port: u16,
}

impl Chromedriver {
    async fn start(sti: &Path) -> Chromedriver {
        let port = ledig_port();
        let barn = Command::new(sti)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver kunne ikke startes");
        let cd = Chromedriver { barn, port };
        let klient = reqwest::Client::new();
        let start = Instant::now();
        loop {
            if let Ok(svar) = klient.get(format!("http://127.0.0.1:{port}/status")).send().await
                && svar.status().is_success()
            {
                return cd;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "chromedriver svarede ikke på port {port} inden 20 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.barn.kill();
        let _ = self.barn.wait();
    }
}

fn skaermbillede_sti() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("e2e-fejl.png")
}

/// A headless Chromium session through its own chromedriver, with a fresh profile.
struct Browser {
    driver: WebDriver,
    _chromedriver: Chromedriver,
    profil: PathBuf,
}

/// Start a browser, or None (with a notice) when chromedriver is missing outside CI.
async fn start_browser() -> Option<Browser> {
    start_browser_med(true).await
}

/// As [`start_browser`]; with `javascript` false, pages run no script (Chromium's content
/// setting), as for a user who has turned it off.
async fn start_browser_med(javascript: bool) -> Option<Browser> {
    let (Some(driver_sti), true) = (find_paa_path("chromedriver"), Path::new(CHROMIUM).exists()) else {
        assert!(
            !helpers::i_ci(),
            "e2e: chromedriver eller {CHROMIUM} mangler, og CI er sat: installér med apt-get install chromium chromium-driver"
        );
        println!("e2e sprunget over: chromedriver mangler (apt-get install chromium chromium-driver)");
        return None;
    };
    let chromedriver = Chromedriver::start(&driver_sti).await;
    let profil = std::env::temp_dir().join(format!("vitas-e2e-profil-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&profil).expect("profilmappe");
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(CHROMIUM).expect("binary");
    for arg in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1800",
    ] {
        caps.add_arg(arg).expect("arg");
    }
    caps.add_arg(&format!("--user-data-dir={}", profil.display())).expect("user-data-dir");
    if !javascript {
        let prefs = serde_json::json!({"profile.managed_default_content_settings.javascript": 2});
        caps.add_experimental_option("prefs", prefs).expect("prefs");
    }
    let driver = WebDriver::new(format!("http://127.0.0.1:{}", chromedriver.port), caps)
        .await
        .expect("kunne ikke starte en browsersession hos chromedriver");
    Some(Browser { driver, _chromedriver: chromedriver, profil })
}

/// Run a walk in the browser; on failure save a screenshot and the URL, then fail the test.
/// After a walk that passed, every HTML page the application served goes through the Nu Html
/// Checker (e2e/nu.rs): zero errors.
async fn koer(b: Browser, sider: &nu::Sider, resultat: anyhow::Result<()>) {
    let resultat = match resultat {
        Ok(()) => match nu::tjek(sider).await {
            Ok(fejl) if fejl.is_empty() => Ok(()),
            Ok(fejl) => Err(anyhow::anyhow!("Nu Html Checker fandt {} fejl:\n{}", fejl.len(), fejl.join("\n"))),
            Err(e) => Err(e.context("Nu Html Checker")),
        },
        Err(e) => Err(e),
    };
    let driver = &b.driver;
    if let Err(e) = &resultat {
        let sti = skaermbillede_sti();
        if let Some(mappe) = sti.parent() {
            let _ = std::fs::create_dir_all(mappe);
        }
        match driver.screenshot(&sti).await {
            Ok(()) => eprintln!("skærmbillede gemt: {}", sti.display()),
            Err(fejl) => eprintln!("skærmbillede kunne ikke gemmes: {fejl}"),
        }
        if let Ok(url) = driver.current_url().await {
            eprintln!("side ved fejl: {url}");
        }
        eprintln!("fejl: {e:#}");
    }
    let profil = b.profil.clone();
    let _ = b.driver.quit().await;
    let _ = std::fs::remove_dir_all(&profil);
    if let Err(e) = resultat {
        panic!("e2e fejlede: {e:#}");
    }
}

/// The database a browser test's application runs on.
#[derive(Debug, Clone, Copy)]
enum Database {
    Sqlite,
    /// The server `VITAS_TEST_POSTGRES_URL` names, a fresh database per test (helpers.rs).
    Postgres,
}

/// An application for a browser test, on `db`, with the web state changed by `f`; every HTML
/// page it serves is kept for the Nu Html Checker, which starts now so that Java reads its
/// schemas while the browser works. None when PostgreSQL is asked for and
/// `VITAS_TEST_POSTGRES_URL` is not set (the helper prints the notice; under CI it fails).
async fn app_paa(db: Database, f: impl FnOnce(web::AppState) -> web::AppState) -> Option<(TestApp, nu::Sider)> {
    nu::start();
    let sider = nu::Sider::default();
    let app = match db {
        Database::Sqlite => TestApp::sqlite_med_router(f, nu::optag(sider.clone())).await,
        Database::Postgres => TestApp::postgres_med_router(f, nu::optag(sider.clone())).await?,
    };
    Some((app, sider))
}

/// [`app_paa`] on SQLite.
async fn app_med(f: impl FnOnce(web::AppState) -> web::AppState) -> (TestApp, nu::Sider) {
    app_paa(Database::Sqlite, f).await.expect("SQLite kræver ingen opsætning")
}

/// The test OpenID provider and an application that logs in through it. The provider stops
/// when its handle is dropped, so the caller keeps it for the whole test.
async fn app_med_udbyder() -> (udbyder::Udbyder, TestApp, nu::Sider) {
    let udbyder = udbyder::Udbyder::start().await;
    let t = udbyder.tjenester();
    let (app, sider) = app_med(move |s| s.med_login(t)).await;
    (udbyder, app, sider)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loentilskud_i_browseren() {
    let Some(b) = start_browser().await else { return };
    // The representative signs with MitID at the test provider (decision 71).
    let (_udbyder, app, sider) = app_med_udbyder().await;
    let resultat = gaa_hele_vejen(&b.driver, &app).await;
    koer(b, &sider, resultat).await;
}

/// Issue 3 §6: Søg with several filters at once, paging through the result, and the Excel
/// file of the same search.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soeg_i_browseren() {
    let Some(b) = start_browser().await else { return };
    let (app, sider) = app_med(|s| s).await;
    let resultat = soeg_filtrer_blad_og_hent_excel(&b.driver, &app).await;
    koer(b, &sider, resultat).await;
}

/// Issue 14 §1 and seed 001/002 §1.5: the page's logout clock, shortened to 8 seconds with a 5
/// second warning. The warning opens with focus on "Forbliv logget ind", which keeps the
/// session; at zero the page logs out on the server too and the front page says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automatisk_log_ud_i_browseren() {
    let Some(b) = start_browser().await else { return };
    let (app, sider) = app_med(|mut s| {
        s.sessionsur = (8, 5);
        s
    })
    .await;
    let resultat = automatisk_log_ud(&b.driver, &app).await;
    koer(b, &sider, resultat).await;
}

async fn automatisk_log_ud(d: &WebDriver, app: &TestApp) -> anyhow::Result<()> {
    log_ind(d, app, "karen.holm@jobcenter-koebenhavn.dk").await?;
    let advarsel = d.find(By::Id("timeout-advarsel")).await?;
    vent_paa("advarslen", || async { advarsel.is_displayed().await.ok()?.then_some(()) }).await?;
    let fokus = d.active_element().await?.id().await?.unwrap_or_default();
    ensure!(fokus == "timeout-forny", "fokus står på #{fokus}, ikke på »Forbliv logget ind«");
    let meddelelse = d.find(By::Id("timeout-meddelelse")).await?.text().await?;
    ensure!(meddelelse.contains("logget ud om"), "skærmlæserens besked: {meddelelse:?}");
    klik(d, "timeout-forny").await?;
    vent_paa("advarslen lukker", || async { (!advarsel.is_displayed().await.ok()?).then_some(()) }).await?;
    let cookie = d.get_named_cookie("vitas_session").await?.value;
    ensure!(
        storage::sessioner::hent_med(&app.db, &cookie, Utc::now(), false).await?.is_some(),
        "sessionen lever efter »Forbliv logget ind«"
    );
    // Now let it run out: the page posts the logout form.
    vent_paa("/?udlogget=1", || async {
        let url = d.current_url().await.ok()?;
        (url.path() == "/" && url.query() == Some("udlogget=1")).then_some(())
    })
    .await?;
    let tekst = d.find(By::Tag("main")).await?.text().await?;
    ensure!(tekst.contains("Du er logget ud."), "forsiden siger ikke »Du er logget ud.«: {tekst}");
    ensure!(d.find(By::Id("log-ud")).await.is_err(), "siden viser stadig en logget ind bruger");
    ensure!(
        storage::sessioner::hent_med(&app.db, &cookie, Utc::now(), false).await?.is_none(),
        "sessionen er slettet på serveren"
    );
    Ok(())
}

/// Issue 3 §4: a list above the threshold becomes a background job; the progress page
/// updates itself with JavaScript and shows the download when the worker is done.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stor_eksport_i_browseren() {
    let Some(b) = start_browser().await else { return };
    let (app, sider) = app_med(|s| s).await;
    let resultat = stor_eksport_med_fremskridt(&b.driver, &app).await;
    koer(b, &sider, resultat).await;
}

async fn stor_eksport_med_fremskridt(d: &WebDriver, app: &TestApp) -> anyhow::Result<()> {
    use sea_orm::Set;
    let kbh = storage::organisation::jobcenter_for_kommune(&app.db, "0101").await?.context("København")?;
    let nu = Utc::now();
    let n = jobs::eksport::GRAENSE as usize + 100;
    let modeller: Vec<sag::ActiveModel> = (0..n)
        .map(|i| {
            let navn = ["Anna Jensen", "Åse Østergård", "Bo Hansen"][i % 3];
            sag::ActiveModel {
                uuid: Set(uuid::Uuid::new_v4().to_string()),
                ordning: Set("loentilskud".into()),
                sagsart: Set("ansoegning".into()),
                ansoegning_status: Set(Some("modtaget".into())),
                jobcenter_id: Set(Some(kbh)),
                cvr: Set("25348710".into()),
                cpr: Set(Some("0101901234".into())),
                borger_navn: Set(Some(navn.into())),
                borger_navn_soeg: Set(Some(domain::soeg::soegetekst(navn))),
                borger_navn_sort: Set(Some(domain::soeg::sorteringsnoegle(navn))),
                konfliktramt: Set(false),
                oprettet: Set(nu),
                aendret: Set(nu),
                version: Set(1),
                ..Default::default()
            }
        })
        .collect();
    app.indsaet_sager(modeller).await;
    log_ind(d, app, KAREN).await?;
    d.goto(app.url("/soeg")).await?;
    let total = antal_hits(&d.find(By::Id("main-content")).await?.text().await?)?;
    ensure!(total > jobs::eksport::GRAENSE, "Søg viser {total} sager");
    klik(d, "excel-link").await?;
    vent_paa("eksportsiden", || async {
        d.current_url().await.ok().filter(|u| u.path().starts_with("/eksport/")).map(|_| ())
    })
    .await?;
    vent_paa_tekst(d, "eksport-tekst", "venter på at gå i gang").await?;
    let mut fund = Vec::new();
    tilgaengelighed(d, "eksport (venter)", &mut fund).await?;
    ensure!(!d.find(By::Id("eksport-hent")).await?.is_displayed().await?, "intet link før filen er klar");
    // The worker runs the job; the page sees it without a reload.
    app.koer_jobs().await;
    vent_paa_tekst(d, "eksport-tekst", "færdigt").await?;
    let link = d.find(By::Id("eksport-fil")).await?;
    vent_paa("linket Hent Excel-filen", || async { link.is_displayed().await.ok().filter(|v| *v) }).await?;
    ensure!(link.text().await? == "Hent Excel-filen", "linkets tekst");
    let vaerdi = d.find(By::Id("eksport-fremskridt")).await?.prop("value").await?.unwrap_or_default();
    ensure!(vaerdi == total.to_string(), "statuslinjen står på {vaerdi}, ventede {total}");
    tilgaengelighed(d, "eksport (færdig)", &mut fund).await?;
    ensure!(fund.is_empty(), "tilgængelighed:\n{}", fund.join("\n"));
    let href = link.attr("href").await?.context("linket uden href")?;
    let raekker = excel_raekker(d, app, reqwest::Method::GET, &href).await?;
    ensure!(raekker == total + 1, "Excel har {raekker} rækker med overskrift, listen {total}");
    Ok(())
}

/// Fetch an Excel file with the browser's own session and count the rows of its first sheet
/// (the header included).
async fn excel_raekker(d: &WebDriver, app: &TestApp, metode: reqwest::Method, href: &str) -> anyhow::Result<u64> {
    let cookie = d.get_named_cookie("vitas_session").await?.value;
    // The page's CSRF token, as the form would send it (decision 57).
    let token = d.find(By::Css("meta[name='csrf-token']")).await?.attr("content").await?.unwrap_or_default();
    let svar = reqwest::Client::new()
        .request(metode, if href.starts_with("http") { href.to_string() } else { app.url(href) })
        .header("cookie", format!("vitas_session={cookie}"))
        .header("x-csrf-token", token)
        .send()
        .await?;
    ensure!(svar.status() == 200, "Excel-filen: {}", svar.status());
    let bytes = svar.bytes().await?;
    use calamine::Reader;
    let mut bog: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec()))?;
    let ark = bog.sheet_names().first().cloned().context("intet ark")?;
    Ok(bog.worksheet_range(&ark)?.rows().count() as u64)
}

/// 90 received løntilskud and fleksjob applications and 30 praktik ones in København.
async fn soegedata(app: &TestApp) -> anyhow::Result<()> {
    use sea_orm::Set;
    let kbh = storage::organisation::jobcenter_for_kommune(&app.db, "0101").await?.context("København")?;
    let navne = ["Anna Jensen", "Åse Østergård", "Bo Hansen", "Aage Aagaard", "Ida Madsen"];
    let nu = Utc::now();
    let mut sager = Vec::new();
    for i in 0..120 {
        let ordning = ["loentilskud", "fleksjob", "loentilskud", "virksomhedspraktik"][i % 4];
        let navn = navne[i % navne.len()];
        sager.push(sag::ActiveModel {
            uuid: Set(uuid::Uuid::new_v4().to_string()),
            ordning: Set(ordning.into()),
            sagsart: Set(if ordning == "fleksjob" { "fleksjobanmodning" } else { "ansoegning" }.into()),
            ansoegning_status: Set(Some("modtaget".into())),
            jobcenter_id: Set(Some(kbh)),
            cvr: Set("25348710".into()),
            cpr: Set(Some("0101901234".into())),
            borger_navn: Set(Some(navn.into())),
            borger_navn_soeg: Set(Some(domain::soeg::soegetekst(navn))),
            borger_navn_sort: Set(Some(domain::soeg::sorteringsnoegle(navn))),
            modtaget_dato: Set(Some(nu.date_naive() - chrono::Duration::days(i as i64))),
            timer_hundrededele: Set(Some(3700)),
            konfliktramt: Set(false),
            oprettet: Set(nu),
            aendret: Set(nu),
            version: Set(1),
            ..Default::default()
        });
    }
    app.indsaet_sager(sager).await;
    Ok(())
}

fn antal_hits(tekst: &str) -> anyhow::Result<u64> {
    let efter = tekst.split("Antal fundne sager:").nth(1).context("antal fundne sager mangler")?;
    let tal: String = efter.trim().chars().take_while(char::is_ascii_digit).collect();
    Ok(tal.parse()?)
}

async fn soeg_filtrer_blad_og_hent_excel(d: &WebDriver, app: &TestApp) -> anyhow::Result<()> {
    soegedata(app).await?;
    log_ind(d, app, KAREN).await?;
    // Søg searches as soon as it opens, all schemes (seed 001 §1.2.1).
    d.goto(app.url("/soeg")).await?;
    let alle = antal_hits(&d.find(By::Id("main-content")).await?.text().await?)?;
    ensure!(alle >= 120, "Søg viser {alle} sager ved åbning");
    // Two schemes and a name at once; the name lives under "Udvidet filtrering".
    vaelg(d, "ordning-loentilskud").await?;
    vaelg(d, "ordning-fleksjob").await?;
    d.find(By::Css("#udvidet-filtrering summary")).await?.click().await?;
    let navn = d.find(By::Id("filter-navn")).await?;
    navn.send_keys("sen").await?;
    klik(d, "soeg-knap").await?;
    // The form posts; the filters land in the address, the name only as a reference
    // (decision 80).
    let url = vent_paa("at filtrene står i adressen", || async {
        d.current_url().await.ok().map(|u| u.to_string()).filter(|u| u.contains("ref="))
    })
    .await?;
    ensure!(
        url.contains("ordning=loentilskud") && !url.contains("sen"),
        "filtrene står i adressen, navnet ikke: {url}"
    );
    // Anna Jensen, Bo Hansen and Ida Madsen among the løntilskud and fleksjob rows: 3 names
    // of 5 on 90 rows.
    let tekst = d.find(By::Id("main-content")).await?.text().await?;
    let total = antal_hits(&tekst)?;
    ensure!(total == 54, "forventede 54 hits, fik {total}");
    // Page through with 10 a page; no row twice, none missing.
    d.goto(app.url(&format!("{}&antal=10", url.trim_start_matches(&app.address)))).await?;
    let mut set = std::collections::BTreeSet::new();
    let mut sider = 0;
    loop {
        for r in d.find_all(By::Css("#resultat tbody tr")).await? {
            let id = r.attr("id").await?.unwrap_or_default();
            ensure!(set.insert(id.clone()), "rækken {id} kom igen");
        }
        sider += 1;
        let naeste = d.find_all(By::LinkText("Næste")).await?;
        let Some(n) = naeste.first() else { break };
        n.click().await?;
        ensure!(sider < 10, "for mange sider");
    }
    ensure!(set.len() as u64 == total && sider == 6, "{} rækker på {sider} sider, ventede {total} på 6", set.len());
    // The Excel file of the same search, fetched with the browser's own session.
    // The button posts a form (a large list becomes a background job: POST → redirect → GET).
    let href = d.find(By::Id("excel-form")).await?.attr("action").await?.context("excel-form uden action")?;
    ensure!(
        href.contains("ordning=fleksjob") && href.contains("ref=") && !href.contains("sen"),
        "Excel følger filtrene: {href}"
    );
    d.find(By::Id("excel-link")).await?;
    let raekker = excel_raekker(d, app, reqwest::Method::POST, &href).await?;
    ensure!(raekker == total + 1, "Excel har {raekker} rækker med overskrift, listen {total}");
    Ok(())
}

/// Wait until `f` returns Some, or fail with `hvad`.
async fn vent_paa<T, F, Fut>(hvad: &str, mut f: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = f().await {
            return Ok(v);
        }
        if start.elapsed() > VENT {
            bail!("ventede forgæves på {hvad}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Wait until the current path ends with `slut`.
async fn vent_paa_sti(d: &WebDriver, slut: &str) -> anyhow::Result<String> {
    vent_paa(&format!("en side, der ender på {slut}"), || async {
        let url = d.current_url().await.ok()?;
        url.path().ends_with(slut).then(|| url.path().to_string())
    })
    .await
}

/// Wait until `#id` shows text containing `tekst`.
async fn vent_paa_tekst(d: &WebDriver, id: &str, tekst: &str) -> anyhow::Result<()> {
    vent_paa(&format!("»{tekst}« i #{id}"), || async {
        let e = d.find(By::Id(id)).await.ok()?;
        e.text().await.ok().filter(|t| t.contains(tekst)).map(|_| ())
    })
    .await
    .with_context(|| format!("#{id} viste ikke »{tekst}«"))
}

/// Fill one field of a form step with its example value (`None`: left as it is).
async fn udfyld_felt(
    d: &WebDriver,
    art: domain::skema::felt::Feltart,
    navn: &str,
    v: Option<String>,
) -> anyhow::Result<()> {
    use domain::skema::felt::Feltart;
    match (art, v) {
        (Feltart::Afkrydsning, Some(_)) => vaelg(d, navn).await,
        (Feltart::JaNej, Some(v)) => vaelg(d, &format!("{navn}-{v}")).await,
        (Feltart::Afkrydsning, None) | (_, None) => Ok(()),
        (_, Some(v)) => skriv(d, navn, &v).await,
    }
}

async fn klik(d: &WebDriver, id: &str) -> anyhow::Result<()> {
    let e = d.query(By::Id(id)).first().await.with_context(|| format!("knappen #{id} findes ikke"))?;
    e.scroll_into_view().await?;
    e.click().await.with_context(|| format!("kunne ikke klikke på #{id}"))?;
    Ok(())
}

/// A field by its id `felt-{navn}`, or else by its name.
async fn felt(d: &WebDriver, navn: &str) -> anyhow::Result<WebElement> {
    if let Ok(e) = d.find(By::Id(format!("felt-{navn}"))).await {
        return Ok(e);
    }
    d.find(By::Name(navn))
        .await
        .with_context(|| format!("feltet {navn} findes ikke (hverken #felt-{navn} eller name={navn})"))
}

/// Type a value into a field as a person would; date fields are set directly (typing into
/// them depends on the browser's locale).
async fn skriv(d: &WebDriver, navn: &str, vaerdi: &str) -> anyhow::Result<()> {
    let e = felt(d, navn).await?;
    let tag = e.tag_name().await?;
    let typ = e.attr("type").await?.unwrap_or_default();
    if tag == "select" {
        let valg = thirtyfour::components::SelectElement::new(&e).await?;
        valg.select_by_value(vaerdi).await.with_context(|| format!("{navn}: kan ikke vælge {vaerdi}"))?;
    } else if typ == "date" {
        d.execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            vec![e.to_json()?, serde_json::json!(vaerdi)],
        )
        .await?;
    } else {
        e.clear().await?;
        e.send_keys(vaerdi).await?;
    }
    Ok(())
}

/// Tick a checkbox (or choose a radio button) by its id, `felt-{id}` or `{id}`.
async fn vaelg(d: &WebDriver, id: &str) -> anyhow::Result<()> {
    let e = match d.find(By::Id(format!("felt-{id}"))).await {
        Ok(e) => e,
        Err(_) => d.find(By::Id(id)).await.with_context(|| format!("hverken #felt-{id} eller #{id} findes"))?,
    };
    if !e.is_selected().await? {
        e.scroll_into_view().await?;
        e.click().await?;
    }
    ensure!(e.is_selected().await?, "#{id} blev ikke valgt");
    Ok(())
}

async fn log_ind(d: &WebDriver, app: &TestApp, email: &str) -> anyhow::Result<()> {
    d.goto(app.url("/demo-login")).await?;
    let knap = d
        .query(By::Css(format!("button[data-email='{email}']")))
        .first()
        .await
        .with_context(|| format!("demo-login har ingen knap for {email}"))?;
    knap.click().await?;
    vent_paa("forsiden efter login", || async {
        let url = d.current_url().await.ok()?;
        (url.path() == "/").then_some(())
    })
    .await
}

/// The test provider's login form (npm `oidc-provider`'s development form): the account is
/// written in the login field (`tests/oidc/udbyder.mjs`), any password.
async fn log_ind_hos_udbyderen(d: &WebDriver, konto: &str) -> anyhow::Result<()> {
    let login =
        vent_paa("udbyderens loginformular", || async { d.find(By::Css("input[name='login']")).await.ok() }).await?;
    login.send_keys(konto).await?;
    d.find(By::Css("input[name='password']")).await?.send_keys("hvad-som-helst").await?;
    d.find(By::Css("button[type='submit']")).await?.click().await?;
    Ok(())
}

/// Issue 14 §1: each kind of user logs in through the real OpenID provider in the browser:
/// a company with MitID Erhverv, a caseworker through FKA, a citizen with MitID; and logs out,
/// here and at the provider, which sends the browser back to VITAS's front page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_gennem_openid_i_browseren() {
    let Some(b) = start_browser().await else { return };
    let (_udbyder, app, sider) = app_med_udbyder().await;
    let resultat = tre_slags_login(&b.driver, &app).await;
    koer(b, &sider, resultat).await;
}

async fn tre_slags_login(d: &WebDriver, app: &TestApp) -> anyhow::Result<()> {
    let mut fund = Vec::new();
    for (slug, konto, navn, rolle) in [
        ("erhverv", "navn=Lise Mark;cvr=25348710", "Lise Mark", "Virksomhed"),
        ("fka", "navn=Karin Fka;kommune=0101;roller=Star-VITAS-CaseWorker", "Karin Fka", "Sagsbehandler"),
        ("mitid", "navn=Anna Jensen;cpr=0101901234", "Anna Jensen", "Borger"),
    ] {
        d.goto(app.url("/")).await?;
        tilgaengelighed(d, "forsiden med login", &mut fund).await?;
        klik(d, &format!("log-ind-{slug}")).await?;
        log_ind_hos_udbyderen(d, konto).await?;
        vent_paa(&format!("{navn} på forsiden"), || async {
            let tekst = d.find(By::Tag("body")).await.ok()?.text().await.ok()?;
            (d.current_url().await.ok()?.path() == "/" && tekst.contains(navn) && tekst.contains(rolle)).then_some(())
        })
        .await?;
        // Out here, then at the provider: its confirmation, and back to the front page.
        klik(d, "log-ud").await?;
        let ja = vent_paa("udbyderens log ud-side", || async {
            d.find(By::Css("button[name='logout'][value='yes']")).await.ok()
        })
        .await?;
        ja.click().await?;
        vent_paa("»Du er logget ud.« på forsiden", || async {
            let tekst = d.find(By::Tag("body")).await.ok()?.text().await.ok()?;
            tekst.contains("Du er logget ud.").then_some(())
        })
        .await?;
    }
    ensure!(fund.is_empty(), "tilgængelighedsfejl: {fund:#?}");
    Ok(())
}

async fn log_ud(d: &WebDriver) -> anyhow::Result<()> {
    klik(d, "log-ud").await?;
    vent_paa("log-ud-knappen forsvinder", || async { d.find(By::Id("log-ud")).await.is_err().then_some(()) }).await
}

async fn status_i_db(app: &TestApp, id: i64) -> anyhow::Result<(Option<String>, Option<String>, Option<String>)> {
    let s = sag::Entity::find()
        .filter(sag::Column::Id.eq(id))
        .one(&app.db.conn)
        .await?
        .with_context(|| format!("sag {id} findes ikke i databasen"))?;
    Ok((s.ansoegning_status, s.afgoerelse_status, s.forlaengelse_status))
}

async fn gaa_hele_vejen(d: &WebDriver, app: &TestApp) -> anyhow::Result<()> {
    let idag = Utc::now().date_naive();
    let start = idag + chrono::Duration::days(14);
    let slut = start + chrono::Duration::days(181);
    let ny_slut = slut + chrono::Duration::days(92);
    let ophoer = start + chrono::Duration::days(30);
    let iso = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();

    // The company starts an application.
    let mut fund = Vec::new();
    d.goto(app.url("/demo-login")).await?;
    tilgaengelighed(d, "demo-login", &mut fund).await?;
    // The privacy notice, from the footer link (issue 14 §3).
    klik(d, "privatliv-link").await?;
    vent_paa_sti(d, "/privatliv").await?;
    tilgaengelighed(d, "privatlivspolitikken", &mut fund).await?;
    log_ind(d, app, LONE).await?;
    tilgaengelighed(d, "virksomhedens forside", &mut fund).await?;
    klik(d, "start-ny-ansoegning-loentilskud").await?;
    let sti = vent_paa_sti(d, "/trin/1").await?;
    let id: i64 = sti
        .trim_start_matches("/sager/")
        .trim_end_matches("/trin/1")
        .parse()
        .with_context(|| format!("uventet sti efter start: {sti}"))?;

    // Trin 1–4. First an empty save: the step is saved and shows its errors at once, with a
    // way on (issue 13 §7; checked for accessibility).
    klik(d, "gem-og-fortsaet").await?;
    vent_paa_sti(d, "/trin/1").await?;
    vent_paa_tekst(d, "gemt-med-fejl", "Trinnet er gemt, men ikke udfyldt korrekt").await?;
    tilgaengelighed(d, "trin 1 med fejl", &mut fund).await?;
    skriv(d, "pnummer", "1003456781").await?;
    vaelg(d, "konfliktramt-nej").await?;
    klik(d, "gem-og-fortsaet").await?;
    vent_paa_sti(d, "/trin/2").await?;
    skriv(d, "rimelighed_ansatte", "40,00").await?;
    skriv(d, "allerede_stoettede", "0").await?;
    skriv(d, "merbeskaeftigelse_seneste", "42,00").await?;
    klik(d, "gem-og-fortsaet").await?;
    vent_paa_sti(d, "/trin/3").await?;
    vaelg(d, "samtykke").await?;
    skriv(d, "cpr", "010190-1234").await?;
    klik(d, "slaa-navn-op").await?;
    vent_paa_tekst(d, "borger-navn", "Anna Jensen").await?;
    tilgaengelighed(d, "trin 3", &mut fund).await?;
    vaelg(d, "oeremaerket-ja").await?;
    skriv(d, "startdato", &iso(start)).await?;
    skriv(d, "slutdato", &iso(slut)).await?;
    skriv(d, "timer", "37").await?;
    skriv(d, "stillingsbetegnelse", "Lagermedarbejder").await?;
    skriv(d, "jobindhold", "Plukning, pakning og forsendelse af varer.").await?;
    skriv(d, "timeloen", "150,00").await?;
    klik(d, "gem-og-fortsaet").await?;
    vent_paa_sti(d, "/trin/4").await?;
    for (navn, v) in [
        ("kontakt_navn", "Lone Kjær"),
        ("kontakt_email", "lone@nordlys.dk"),
        ("kontakt_telefon", "33123456"),
        ("arbejdssted_navn", "Per Lund"),
        ("rep_navn", "Søren Bak"),
        ("rep_email", "soeren.bak@nordlys.dk"),
    ] {
        skriv(d, navn, v).await?;
    }
    klik(d, "gem-og-fortsaet").await?;
    vent_paa_sti(d, "/trin/5").await?;
    tilgaengelighed(d, "trin 5 (opsummering)", &mut fund).await?;
    for n in 1..=4 {
        let link = d.find(By::Id(format!("trin-link-{n}"))).await?;
        ensure!(link.attr("data-komplet").await?.as_deref() == Some("true"), "trin {n} er ikke markeret komplet");
    }

    // Sign and send.
    skriv(d, "bemaerkning", "Vi glæder os til samarbejdet.").await?;
    klik(d, "underskriv-og-send").await?;
    vent_paa_sti(d, &format!("/sager/{id}")).await?;
    vent_paa_tekst(d, "sag-status", "Sendt til medarbejder-rep").await?;
    tilgaengelighed(d, "sagen efter afsendelse", &mut fund).await?;
    let rep_link = d
        .find(By::Id("hoering-link"))
        .await
        .context("linket til medarbejderrepræsentanten mangler")?
        .attr("href")
        .await?
        .context("hoering-link har ingen href")?;

    // The representative follows the link, logs in with their own MitID and approves.
    log_ud(d).await?;
    let rep_url = if rep_link.starts_with("http") { rep_link } else { app.url(&rep_link) };
    d.goto(&rep_url).await?;
    tilgaengelighed(d, "høringen før login", &mut fund).await?;
    klik(d, "hoering-log-ind").await?;
    log_ind_hos_udbyderen(d, "navn=Søren Bak;cpr=1503852345").await?;
    let rep_sti = reqwest::Url::parse(&rep_url)?.path().to_string();
    vent_paa_sti(d, &rep_sti).await?;
    tilgaengelighed(d, "høringen", &mut fund).await?;
    klik(d, "rep-godkend").await?;
    vent_paa("at høringen er godkendt", || async {
        status_i_db(app, id).await.ok().filter(|s| s.0.as_deref() == Some("modtaget")).map(|_| ())
    })
    .await?;

    // The caseworker of København approves the application.
    log_ind(d, app, KAREN).await?;
    d.goto(app.url("/sager")).await?;
    let link = d
        .query(By::Css(format!("a[href='/sager/{id}']")))
        .first()
        .await
        .context("sagen står ikke på sagsbehandlerens liste")?;
    link.click().await?;
    vent_paa_tekst(d, "sag-status", "Modtaget af jobcentret").await?;
    tilgaengelighed(d, "sagsbehandlerens sag", &mut fund).await?;
    // The caseworker grants; the company approves the grant and asks for an extension.
    bevilg_og_godkend(d, app, id, domain::ordning::Ordning::Loentilskud, &mut fund).await?;
    klik(d, "anmod-forlaengelse").await?;
    vent_paa_sti(d, &format!("/sager/{id}/forlaengelse")).await?;
    tilgaengelighed(d, "forlængelse", &mut fund).await?;
    skriv(d, "ny_slutdato", &iso(ny_slut)).await?;
    vaelg(d, "ansaettelsesbrev_gaelder").await?;
    skriv(d, "jobindhold", "Plukning og pakning; nu også varemodtagelse.").await?;
    klik(d, "send-forlaengelse").await?;
    vent_paa_sti(d, &format!("/sager/{id}")).await?;
    let s = status_i_db(app, id).await?;
    ensure!(s.2.as_deref() == Some("afventer_jobcenter"), "forlængelsen afventer ikke jobcentret: {s:?}");
    log_ud(d).await?;

    // The caseworker approves the extension.
    log_ind(d, app, KAREN).await?;
    d.goto(app.url(&format!("/sager/{id}"))).await?;
    klik(d, "godkend-forlaengelse").await?;
    vent_paa("at forlængelsen er godkendt", || async {
        status_i_db(app, id).await.ok().filter(|s| s.2.as_deref() == Some("godkendt")).map(|_| ())
    })
    .await?;
    log_ud(d).await?;

    // The company registers the termination.
    log_ind(d, app, LONE).await?;
    d.goto(app.url(&format!("/sager/{id}"))).await?;
    klik(d, "registrer-ophoer").await?;
    vent_paa_sti(d, &format!("/sager/{id}/ophoer")).await?;
    tilgaengelighed(d, "ophør", &mut fund).await?;
    skriv(d, "ophoersdato", &iso(ophoer)).await?;
    skriv(d, "aarsag", "0").await?;
    skriv(d, "modtaget_tilskud", "12.000,00").await?;
    skriv(d, "samlet_loenudgift", "250.000,00").await?;
    klik(d, "send-ophoer").await?;
    vent_paa_sti(d, &format!("/sager/{id}")).await?;
    vent_paa_tekst(d, "sag-status", "Ophørt").await?;
    let historik = d.find(By::Id("historik")).await.context("#historik mangler")?.text().await?;
    let historik = historik.split_whitespace().collect::<Vec<_>>().join(" ");
    for h in storage::sager::historik(&app.db, id).await? {
        let tekst = h.tekst.split_whitespace().collect::<Vec<_>>().join(" ");
        ensure!(historik.contains(&tekst), "historikken mangler »{tekst}«:\n{historik}");
    }
    let s = status_i_db(app, id).await?;
    ensure!(s.1.as_deref() == Some("ophoert"), "sagen er ikke ophørt: {s:?}");
    tilgaengelighed(d, "den ophørte sag", &mut fund).await?;
    // WCAG 2.1 AA, as far as an automatic check can tell (axe-core finds about half of all
    // issues; docs/accessibility.md lists what is checked by hand).
    ensure!(fund.is_empty(), "tilgængelighedsfejl (axe-core, WCAG 2.1 A/AA):\n{}", fund.join("\n"));
    Ok(())
}

/// On the caseworker's case page: "Godkend ansøgning" with the decision's own fields filled
/// (the scheme's profile: the subsidy cap, the work intensity), then the company logs in and
/// approves the grant; the company stays logged in on the case page. axe-core runs on each
/// page on the way.
async fn bevilg_og_godkend(
    d: &WebDriver,
    app: &TestApp,
    id: i64,
    ordning: domain::ordning::Ordning,
    fund: &mut Vec<String>,
) -> anyhow::Result<()> {
    for a in ordning.profil().afgoerelsesfelter {
        skriv(d, a.felt().navn, a.eksempel()).await?;
    }
    klik(d, "godkend-ansoegning").await?;
    vent_paa_tekst(d, "sag-status", "Afventer godkendelse hos virksomhed").await?;
    tilgaengelighed(d, &format!("{ordning:?} bevilget, hos sagsbehandleren"), fund).await?;
    log_ud(d).await?;
    log_ind(d, app, LONE).await?;
    d.goto(app.url(&format!("/sager/{id}"))).await?;
    tilgaengelighed(d, &format!("{ordning:?} bevillingen til virksomhedens godkendelse"), fund).await?;
    klik(d, "godkend-bevilling").await?;
    vent_paa_tekst(d, "sag-status", "Godkendt af virksomhed").await?;
    tilgaengelighed(d, &format!("{ordning:?} bevillingen godkendt af virksomheden"), fund).await?;
    Ok(())
}

/// axe-core from npm (frontend/package.json), run in the page: WCAG 2.0/2.1 A and AA.
const AXE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../frontend/node_modules/axe-core/axe.min.js"));

/// Run axe-core on the current page and collect every WCAG 2.1 A/AA violation under `side`.
async fn tilgaengelighed(d: &WebDriver, side: &str, fund: &mut Vec<String>) -> anyhow::Result<()> {
    d.execute(AXE, Vec::new()).await.context("axe-core kunne ikke indlæses")?;
    let svar = d
        .execute(
            "return axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})\
               .then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' – ' +\
                 v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')));",
            Vec::new(),
        )
        .await
        .context("axe.run fejlede")?;
    let brud: Vec<String> = svar.convert().context("axe-svaret kunne ikke læses")?;
    fund.extend(brud.into_iter().map(|b| format!("{side}: {b}")));
    Ok(())
}
