//! Issue 13 §7: the page frame at a phone's width (375 px) and a laptop's (1280 px), with and
//! without JavaScript, and error pages that keep the user's header and menu.
//!
//! - At 375 px the header shows DKFDS's Menu button; it opens DKFDS's drawer with the menu and
//!   "Log ud", and no page the walk visits scrolls sideways.
//! - Without JavaScript the drawer cannot open: the menu and "Log ud" stand open under the
//!   header instead.
//! - At 1280 px the caseworker's list shows its Team and Medarbejder headers inside the window,
//!   or its table scrolls inside its own DKFDS container and brings them into view there. That
//!   container is a region named by the table's caption, as Chromium's accessibility tree
//!   tells it, so a screen reader announces what the focused box scrolls.

use super::*;

pub(super) const TELEFON: (u32, u32) = (375, 800);

/// Size the window and check that the page really lays out at that width.
pub(super) async fn bredde(d: &WebDriver, (bred, hoej): (u32, u32)) -> anyhow::Result<()> {
    d.set_window_rect(0, 0, bred, hoej).await?;
    let indre: u64 = d.execute("return window.innerWidth;", Vec::new()).await?.convert()?;
    ensure!(indre == u64::from(bred), "vinduet er {indre} px bredt, ikke {bred} px");
    Ok(())
}

/// Note `side` if the page scrolls sideways (the document is wider than the window's layout
/// width), naming the first element that reaches past the edge.
pub(super) async fn ingen_sidelaens_rulning(d: &WebDriver, side: &str, fund: &mut Vec<String>) -> anyhow::Result<()> {
    let svar = d
        .execute(
            "var e = document.scrollingElement, forbi = '';
             var alle = document.body.querySelectorAll('*');
             for (var i = 0; i < alle.length && !forbi; i++) {
               if (alle[i].getBoundingClientRect().right > e.clientWidth + 1) {
                 forbi = alle[i].tagName.toLowerCase() + (alle[i].id ? '#' + alle[i].id : '');
               }
             }
             return [e.scrollWidth, e.clientWidth, forbi];",
            Vec::new(),
        )
        .await?;
    let (bred, synlig, forbi): (u64, u64, String) = svar.convert()?;
    if bred > synlig {
        fund.push(format!("{side}: siden ruller til siden ({bred} px i et vindue på {synlig} px; fx {forbi})"));
    }
    Ok(())
}

pub(super) async fn synlig(d: &WebDriver, id: &str) -> anyhow::Result<bool> {
    Ok(d.find(By::Id(id)).await.with_context(|| format!("#{id} findes ikke"))?.is_displayed().await?)
}

/// Open DKFDS's mobile menu with its Menu button and wait for the drawer.
async fn aabn_menu(d: &WebDriver) -> anyhow::Result<()> {
    ensure!(synlig(d, "menu-knap").await?, "knappen Menu vises ikke ved 375 px");
    klik(d, "menu-knap").await?;
    vent_paa("mobilmenuen", || async { synlig(d, "mobilmenu").await.ok()?.then_some(()) }).await
}

async fn menuens_links(d: &WebDriver, css: &str) -> anyhow::Result<Vec<String>> {
    let mut tekster = Vec::new();
    for a in d.find_all(By::Css(css)).await? {
        if a.is_displayed().await? {
            tekster.push(a.text().await?.trim().to_string());
        }
    }
    Ok(tekster)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telefonens_bredde_i_browseren() {
    let Some(b) = start_browser().await else { return };
    let (app, sider) = app_med(|s| s).await;
    let resultat = telefonens_bredde(&b.driver, &app).await;
    koer(b, &sider, resultat).await;
}

async fn telefonens_bredde(d: &WebDriver, app: &TestApp) -> anyhow::Result<()> {
    soegedata(app).await?;
    let mut fund = Vec::new();
    let mut rulning = Vec::new();
    d.goto(app.url("/demo-login")).await?;
    bredde(d, TELEFON).await?;
    ingen_sidelaens_rulning(d, "demo-login", &mut rulning).await?;

    // The company: DKFDS's header, its Menu button and drawer.
    log_ind(d, app, LONE).await?;
    ingen_sidelaens_rulning(d, "virksomhedens forside", &mut rulning).await?;
    ensure!(!synlig(d, "log-ud").await?, "toppens »Log ud« skal være skjult ved 375 px; den står i menuen");
    aabn_menu(d).await?;
    ensure!(synlig(d, "log-ud-mobil").await?, "»Log ud« vises ikke i mobilmenuen");
    let links = menuens_links(d, "#mobilmenu .navigation-menu-mobile a").await?;
    ensure!(links == ["Forside", "Søg"], "virksomhedens mobilmenu: {links:?}");
    let fokus = d.active_element().await?.id().await?.unwrap_or_default();
    ensure!(fokus == "menu-luk", "fokus står på #{fokus}, ikke på »Luk«, når menuen åbner");
    tilgaengelighed(d, "mobilmenuen", &mut fund).await?;
    klik(d, "menu-luk").await?;
    vent_paa("mobilmenuen lukker", || async { (!synlig(d, "mobilmenu").await.ok()?).then_some(()) }).await?;

    // A new draft: its first step and its case page.
    klik(d, "start-ny-ansoegning-loentilskud").await?;
    let sti = vent_paa_sti(d, "/trin/1").await?;
    ingen_sidelaens_rulning(d, "trin 1", &mut rulning).await?;
    let id = sti.trim_start_matches("/sager/").trim_end_matches("/trin/1").to_string();
    d.goto(app.url(&format!("/sager/{id}"))).await?;
    ingen_sidelaens_rulning(d, "kladdens sagsside", &mut rulning).await?;
    // "Slet kladde" asks first (decision 90); e2e/kladde.rs deletes one without JavaScript.
    d.goto(app.url(&format!("/sager/{id}/slet"))).await?;
    ingen_sidelaens_rulning(d, "bekræft sletning", &mut rulning).await?;
    tilgaengelighed(d, "bekræft sletning", &mut fund).await?;

    // An error page keeps the user's header and menu.
    d.goto(app.url("/sager/999999999")).await?;
    let tekst = d.find(By::Tag("main")).await?.text().await?;
    ensure!(tekst.contains("Sagen findes ikke"), "fejlsiden: {tekst}");
    ingen_sidelaens_rulning(d, "fejlsiden", &mut rulning).await?;
    aabn_menu(d).await?;
    ensure!(synlig(d, "log-ud-mobil").await?, "fejlsidens mobilmenu mangler »Log ud«");
    let navn = d.find(By::Css("#mobilmenu .portal-info-mobile .user")).await?.text().await?;
    ensure!(navn.contains("Lone Kjær"), "fejlsidens menu viser ikke brugeren: {navn}");
    tilgaengelighed(d, "fejlsiden med mobilmenuen", &mut fund).await?;

    // "Log ud" from the drawer.
    klik(d, "log-ud-mobil").await?;
    vent_paa("»Du er logget ud.«", || async {
        let tekst = d.find(By::Tag("main")).await.ok()?.text().await.ok()?;
        tekst.contains("Du er logget ud.").then_some(())
    })
    .await?;

    // The caseworker: the lists, Søg and a case; the drawer's links lead on.
    log_ind(d, app, KAREN).await?;
    for sti in ["/", "/lister/ansoegninger", "/soeg", "/sager"] {
        d.goto(app.url(sti)).await?;
        ingen_sidelaens_rulning(d, sti, &mut rulning).await?;
    }
    let sag = d
        .query(By::Css("a[href^='/sager/']"))
        .first()
        .await
        .context("»Sager« viser ingen sag")?
        .attr("href")
        .await?
        .context("link uden href")?;
    d.goto(app.url(&sag)).await?;
    ingen_sidelaens_rulning(d, "sagsbehandlerens sag", &mut rulning).await?;
    aabn_menu(d).await?;
    let links = menuens_links(d, "#mobilmenu .navigation-menu-mobile a").await?;
    ensure!(links.contains(&"Søg".to_string()) && links.len() == 8, "sagsbehandlerens mobilmenu: {links:?}");
    let soeg = d.find(By::XPath("//div[@id='mobilmenu']//a[@href='/soeg']")).await?;
    soeg.click().await?;
    vent_paa_sti(d, "/soeg").await?;

    ensure!(rulning.is_empty(), "sider, der ruller til siden ved 375 px:\n{}", rulning.join("\n"));
    ensure!(fund.is_empty(), "tilgængelighed:\n{}", fund.join("\n"));
    Ok(())
}

/// Without JavaScript DKFDS's drawer cannot open: at 375 px the Menu button is hidden, and the
/// menu and "Log ud" stand open under the header.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telefon_uden_javascript_i_browseren() {
    let Some(b) = start_browser_med(false).await else { return };
    let (app, sider) = app_med(|s| s).await;
    let resultat = telefon_uden_javascript(&b.driver, &app).await;
    koer(b, &sider, resultat).await;
}

async fn telefon_uden_javascript(d: &WebDriver, app: &TestApp) -> anyhow::Result<()> {
    let mut rulning = Vec::new();
    d.goto(app.url("/demo-login")).await?;
    bredde(d, TELEFON).await?;
    log_ind(d, app, KAREN).await?;
    let js = d.execute("return document.documentElement.classList.contains('js');", Vec::new()).await?;
    ensure!(!js.convert::<bool>()?, "sidens scripts kørte: testen skal køre uden JavaScript");
    ingen_sidelaens_rulning(d, "forsiden uden JavaScript", &mut rulning).await?;
    ensure!(!synlig(d, "menu-knap").await?, "knappen Menu kan ikke åbne noget uden JavaScript og skal være skjult");
    let links = menuens_links(d, ".uden-js-menu .navigation-menu-mobile a").await?;
    ensure!(links.contains(&"Søg".to_string()) && links.len() == 8, "menuen uden JavaScript: {links:?}");
    ensure!(synlig(d, "log-ud-uden-js").await?, "»Log ud« vises ikke uden JavaScript");
    klik(d, "log-ud-uden-js").await?;
    vent_paa("»Du er logget ud.«", || async {
        let tekst = d.find(By::Tag("main")).await.ok()?.text().await.ok()?;
        tekst.contains("Du er logget ud.").then_some(())
    })
    .await?;
    ensure!(rulning.is_empty(), "{}", rulning.join("\n"));
    Ok(())
}

/// Cases in København with a team and a caseworker, so the list's last columns are filled.
async fn sager_med_ansvarlige(app: &TestApp) -> anyhow::Result<()> {
    use sea_orm::Set;
    use storage::entity::team;
    let kbh = storage::organisation::jobcenter_for_kommune(&app.db, "0101").await?.context("København")?;
    let team = team::Entity::find()
        .filter(team::Column::JobcenterId.eq(kbh))
        .filter(team::Column::Navn.eq("Team Virksomhedsservice"))
        .one(&app.db.conn)
        .await?
        .context("Københavns team")?;
    let karen = app.bruger_id(KAREN).await;
    let (team_sort, ansvarlig_sort) = storage::lister::ansvar_noegler(&app.db.conn, Some(team.id), Some(karen)).await?;
    let nu = Utc::now();
    let sager = (0..30)
        .map(|i| {
            let navn = ["Anna Jensen", "Åse Østergård", "Bo Hansen"][i % 3];
            sag::ActiveModel {
                uuid: Set(uuid::Uuid::new_v4().to_string()),
                ordning: Set("loentilskud".into()),
                sagsart: Set("ansoegning".into()),
                ansoegning_status: Set(Some("modtaget".into())),
                jobcenter_id: Set(Some(kbh)),
                team_id: Set(Some(team.id)),
                ansvarlig_id: Set(Some(karen)),
                team_sort: Set(team_sort.clone()),
                ansvarlig_sort: Set(ansvarlig_sort.clone()),
                cvr: Set("25348710".into()),
                cpr: Set(Some("0101901234".into())),
                borger_navn: Set(Some(navn.into())),
                borger_navn_soeg: Set(Some(domain::soeg::soegetekst(navn))),
                borger_navn_sort: Set(Some(domain::soeg::sorteringsnoegle(navn))),
                modtaget_dato: Set(Some(nu.date_naive())),
                startdato: Set(Some(nu.date_naive() + chrono::Duration::days(14))),
                slutdato: Set(Some(nu.date_naive() + chrono::Duration::days(195))),
                timer_hundrededele: Set(Some(3700)),
                konfliktramt: Set(false),
                oprettet: Set(nu),
                aendret: Set(nu),
                version: Set(1),
                ..Default::default()
            }
        })
        .collect();
    app.indsaet_sager(sager).await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baerbarens_bredde_i_browseren() {
    let Some(b) = start_browser().await else { return };
    let (app, sider) = app_med(|s| s).await;
    let resultat = baerbarens_bredde(&b.driver, &app).await;
    koer(b, &sider, resultat).await;
}

async fn baerbarens_bredde(d: &WebDriver, app: &TestApp) -> anyhow::Result<()> {
    sager_med_ansvarlige(app).await?;
    let mut fund = Vec::new();
    let mut rulning = Vec::new();
    d.goto(app.url("/demo-login")).await?;
    bredde(d, (1280, 900)).await?;
    log_ind(d, app, KAREN).await?;
    for sti in ["/lister/ansoegninger", "/soeg"] {
        d.goto(app.url(sti)).await?;
        ingen_sidelaens_rulning(d, sti, &mut rulning).await?;
        ensure!(!synlig(d, "menu-knap").await?, "{sti}: knappen Menu hører til små skærme");
        ensure!(synlig(d, "log-ud").await?, "{sti}: »Log ud« vises ikke i toppen ved 1280 px");
        rulleboksen_er_en_navngiven_region(d).await.with_context(|| format!("{sti}: tabellens rulleboks"))?;
        for kolonne in ["Team", "Medarbejder"] {
            let hvor = kolonne_kan_ses(d, kolonne).await.with_context(|| format!("{sti}: kolonnen {kolonne}"))?;
            println!("{sti}: {kolonne} {hvor}");
        }
        tilgaengelighed(d, sti, &mut fund).await?;
    }
    ensure!(rulning.is_empty(), "{}", rulning.join("\n"));
    ensure!(fund.is_empty(), "tilgængelighed:\n{}", fund.join("\n"));
    Ok(())
}

/// Where the list's header `kolonne` stands, and the DKFDS container the table scrolls in.
#[derive(serde::Deserialize)]
struct Maal {
    venstre: f64,
    hoejre: f64,
    vindue: f64,
    boks_hoejre: f64,
    ruller: bool,
}

async fn maal(d: &WebDriver, kolonne: &str) -> anyhow::Result<Maal> {
    let svar = d
        .execute(
            "var navn = arguments[0];
             var th = Array.from(document.querySelectorAll('#resultat thead th')).filter(function (t) {
               return t.textContent.replace(/[▲▼]/g, '').trim() === navn;
             })[0];
             if (!th) { return null; }
             var boks = th.closest('.table--responsive-scroll');
             var r = th.getBoundingClientRect(), b = boks ? boks.getBoundingClientRect() : null;
             return {
               venstre: r.left, hoejre: r.right, vindue: document.documentElement.clientWidth,
               boks_hoejre: b ? b.right : 0,
               ruller: !!boks && ['auto', 'scroll'].indexOf(getComputedStyle(boks).overflowX) >= 0
                 && boks.scrollWidth > boks.clientWidth
             };",
            vec![serde_json::json!(kolonne)],
        )
        .await?;
    let m: Option<Maal> = svar.convert()?;
    m.with_context(|| format!("overskriften {kolonne} findes ikke i listen"))
}

/// Whether the list's header `kolonne` can be seen: inside the window as the page opens, or,
/// when the table is wider than its DKFDS container (`.table--responsive-scroll`), after the
/// container is scrolled to its end. Says which; fails otherwise.
async fn kolonne_kan_ses(d: &WebDriver, kolonne: &str) -> anyhow::Result<&'static str> {
    let m = maal(d, kolonne).await?;
    if m.venstre >= 0.0 && m.hoejre <= m.vindue + 1.0 {
        return Ok("står inden for vinduet");
    }
    ensure!(
        m.ruller,
        "{kolonne} står uden for vinduet ({:.0}–{:.0} px af {:.0} px), og tabellen ruller ikke i sin egen boks",
        m.venstre,
        m.hoejre,
        m.vindue
    );
    let rul = |til: &str| {
        format!("document.querySelector('#resultat').closest('.table--responsive-scroll').scrollLeft = {til};")
    };
    d.execute(&rul("1e9"), Vec::new()).await?;
    let m = maal(d, kolonne).await?;
    ensure!(
        m.hoejre <= m.boks_hoejre + 1.0 && m.hoejre <= m.vindue + 1.0,
        "{kolonne} kan ikke rulles ind i tabellens boks ({:.0} px, boksen slutter ved {:.0} px)",
        m.hoejre,
        m.boks_hoejre
    );
    d.execute(&rul("0"), Vec::new()).await?;
    Ok("ruller ind i tabellens egen boks")
}

/// WebDriver's "Get Computed Role" or "Get Computed Label" (`hvad`: `computedrole`,
/// `computedlabel`) of an element: what the browser's accessibility tree says, not the markup.
#[derive(Debug)]
struct Beregnet(thirtyfour::ElementId, &'static str);

impl thirtyfour::common::command::FormatRequestData for Beregnet {
    fn format_request(&self, session: &thirtyfour::SessionId) -> thirtyfour::RequestData {
        thirtyfour::RequestData::new(reqwest::Method::GET, format!("session/{session}/element/{}/{}", self.0, self.1))
    }
}

async fn beregnet(d: &WebDriver, e: &WebElement, hvad: &'static str) -> anyhow::Result<String> {
    Ok(d.cmd(Beregnet(e.element_id(), hvad)).await?.value()?)
}

/// The list's scroll container: focusable, a region, and named by the table's caption.
async fn rulleboksen_er_en_navngiven_region(d: &WebDriver) -> anyhow::Result<()> {
    let boks = d.find(By::Css(".table--responsive-scroll")).await.context("ingen rulleboks om tabellen")?;
    ensure!(boks.attr("tabindex").await?.as_deref() == Some("0"), "rulleboksen kan ikke få fokus");
    let rolle = beregnet(d, &boks, "computedrole").await?;
    ensure!(rolle == "region", "rulleboksens rolle er »{rolle}«, ikke region");
    let navn = beregnet(d, &boks, "computedlabel").await?;
    let caption = boks.find(By::Tag("caption")).await.context("tabellen har ingen caption")?;
    let tekst = caption.prop("textContent").await?.unwrap_or_default();
    ensure!(
        !navn.trim().is_empty() && navn.trim() == tekst.trim(),
        "rulleboksen hedder »{navn}«, tabellens caption »{tekst}«"
    );
    Ok(())
}
