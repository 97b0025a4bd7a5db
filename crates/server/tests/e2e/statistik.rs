//! Issue 12 §1 and §4: the statistics dashboard in the browser, as the demo's jobcentre
//! administrator (København) and as STAR. The demo's cases are made and the rollup run, as the
//! demo server does at startup; then each role's dashboard must show its charts (SVG with an
//! accessible name) and their tables with figures, pass axe-core (and, with every page of the
//! walk, the Nu Html Checker), and fit a phone's width without scrolling sideways.

use super::*;

const SOFIE_ADMIN: &str = "sofie.dahl@jobcenter-koebenhavn.dk";
const GITTE_STAR: &str = "gitte.lauridsen@star.dk";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statistik_i_browseren() {
    let Some(b) = start_browser().await else { return };
    let (app, sider) = app_med(|s| s).await;
    let resultat = statistik_som_hver_rolle(&b.driver, &app).await;
    koer(b, &sider, resultat).await;
}

/// The dashboard's figures as the page shows them: (table id, number of body rows, cells).
async fn tabeller(d: &WebDriver) -> anyhow::Result<Vec<(String, usize, Vec<String>)>> {
    let mut ud = Vec::new();
    for t in d.find_all(By::Css("table[id^='tabel-']")).await? {
        let id = t.attr("id").await?.unwrap_or_default();
        let raekker = t.find_all(By::Css("tbody tr")).await?.len();
        let mut celler = Vec::new();
        for c in t.find_all(By::Css("tbody td")).await? {
            celler.push(c.text().await?.trim().to_string());
        }
        ud.push((id, raekker, celler));
    }
    Ok(ud)
}

async fn statistik_som_hver_rolle(d: &WebDriver, app: &TestApp) -> anyhow::Result<()> {
    storage::demo_sager::seed(&app.db, Utc::now()).await.context("demosagerne")?;
    storage::statistik::opgoer(&app.db, Utc::now()).await.context("opgørelsen")?;
    let mut fund = Vec::new();
    for (email, rolle, omraadevalg) in [(SOFIE_ADMIN, "administratoren", false), (GITTE_STAR, "STAR", true)] {
        log_ind(d, app, email).await?;
        // The menu link, for the same roles as "Leveringer".
        ensure!(!d.find_all(By::Css("a.nav-link[href='/admin/statistik']")).await?.is_empty(), "{rolle}: menulinket");
        d.goto(app.url("/admin/statistik")).await?;
        ensure!(
            d.find(By::Id("opgjort")).await?.text().await?.contains("Tallene er opgjort"),
            "{rolle}: opgørelsens tid"
        );
        ensure!(
            d.find_all(By::Id("filter-omraade")).await?.len() == usize::from(omraadevalg),
            "{rolle}: områdevalget skal {}vises",
            if omraadevalg { "" } else { "ikke " }
        );
        // Ten figures for STAR (the municipalities' too), nine for a municipality; one (the
        // termination reasons) may have no rows in the demo's period and then no chart.
        let figurer = if omraadevalg { 10 } else { 9 };
        let diagrammer = d.find_all(By::Css("figure svg[role='img'][aria-label]")).await?;
        ensure!(diagrammer.len() >= figurer - 1, "{rolle}: kun {} diagrammer", diagrammer.len());
        let tabeller = tabeller(d).await?;
        ensure!(tabeller.len() >= figurer - 1, "{rolle}: kun {} tabeller", tabeller.len());
        ensure!(d.find_all(By::Css("section.statistik-figur")).await?.len() == figurer, "{rolle}: figurerne");
        for (id, raekker, celler) in &tabeller {
            ensure!(*raekker > 0, "{rolle}: {id} har ingen rækker");
            ensure!(
                celler
                    .iter()
                    .all(|c| c == "<5" || c == "–" || c.contains("kl.") || c.chars().any(|t| t.is_ascii_digit())),
                "{rolle}: {id} har en celle uden tal: {celler:?}"
            );
        }
        // The demo's cases are there: some figure is more than 0 in the new applications.
        let (_, _, ans) =
            tabeller.iter().find(|(id, _, _)| id == "tabel-ansoegninger").context("ansøgningstabellen")?;
        ensure!(ans.iter().any(|c| c != "0"), "{rolle}: ingen ansøgninger i tabellen: {ans:?}");
        tilgaengelighed(d, &format!("statistik som {rolle}"), &mut fund).await?;
        // The CSV link answers with the table.
        let href = d.find(By::Id("csv-ansoegninger")).await?.attr("href").await?.context("CSV-link")?;
        ensure!(href.contains("fra=") && href.contains("omraade="), "CSV-linket mangler filtrene: {href}");
        if omraadevalg {
            // STAR chooses a region in the form; the address keeps the choice.
            d.find(By::Css("#filter-omraade option[value='region:Region Hovedstaden']")).await?.click().await?;
            klik(d, "vis-statistik").await?;
            vent_paa("regionen i adressen", || async {
                let url = d.current_url().await.ok()?;
                url.query().is_some_and(|q| q.contains("omraade=region")).then_some(())
            })
            .await?;
            ensure!(d.find(By::Tag("h1")).await?.text().await?.contains("Region Hovedstaden"), "overskriften");
            tilgaengelighed(d, "statistik for en region", &mut fund).await?;
        }
        ramme::bredde(d, ramme::TELEFON).await?;
        ramme::ingen_sidelaens_rulning(d, &format!("statistik som {rolle} på en telefon"), &mut fund).await?;
        d.set_window_rect(0, 0, 1280, 900).await?;
        log_ud(d).await?;
    }
    ensure!(fund.is_empty(), "tilgængelighed:\n{}", fund.join("\n"));
    Ok(())
}
