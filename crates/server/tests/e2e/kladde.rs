//! Issue 13 §7 and decision 90: the company deletes a draft from "Jeres sager", through a
//! confirmation page, in a browser that runs no JavaScript, at a phone's width.

use super::ramme::{TELEFON, bredde, ingen_sidelaens_rulning, synlig};
use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slet_kladde_i_browseren() {
    let Some(b) = start_browser_med(false).await else { return };
    let (app, sider) = app_med(|s| s).await;
    let resultat = slet_kladde(&b.driver, &app).await;
    koer(b, &sider, resultat).await;
}

async fn slet_kladde(d: &WebDriver, app: &TestApp) -> anyhow::Result<()> {
    let mut rulning = Vec::new();
    d.goto(app.url("/demo-login")).await?;
    bredde(d, TELEFON).await?;
    log_ind(d, app, LONE).await?;
    let js = d.execute("return document.documentElement.classList.contains('js');", Vec::new()).await?;
    ensure!(!js.convert::<bool>()?, "sidens scripts kørte: testen skal køre uden JavaScript");
    klik(d, "start-ny-ansoegning-loentilskud").await?;
    let sti = vent_paa_sti(d, "/trin/1").await?;
    let id: i64 = sti.trim_start_matches("/sager/").trim_end_matches("/trin/1").parse()?;

    // "Jeres sager" has the draft, with its link; "Nej" keeps it.
    d.goto(app.url("/")).await?;
    ensure!(synlig(d, &format!("sager-sag-{id}")).await?, "kladden står ikke i Jeres sager");
    klik(d, &format!("sager-slet-{id}")).await?;
    vent_paa_sti(d, &format!("/sager/{id}/slet")).await?;
    let tekst = d.find(By::Id("kladden")).await?.text().await?;
    ensure!(tekst.contains("Løntilskud") && tekst.contains(&id.to_string()), "bekræftelsen: {tekst}");
    // axe-core cannot run where pages run no script; telefonens_bredde checks this page with it.
    ingen_sidelaens_rulning(d, "bekræft sletning", &mut rulning).await?;
    klik(d, "behold-kladde").await?;
    vent_paa_sti(d, "/").await?;
    ensure!(synlig(d, &format!("sager-sag-{id}")).await?, "»Nej, behold kladden« slettede kladden");

    // "Ja, slet kladden": gone, and the front page says so.
    klik(d, &format!("sager-slet-{id}")).await?;
    vent_paa_sti(d, &format!("/sager/{id}/slet")).await?;
    klik(d, "slet-kladde").await?;
    vent_paa_tekst(d, "main-content", &format!("Kladden (sag {id}) er slettet.")).await?;
    ensure!(d.find(By::Id(format!("sager-sag-{id}"))).await.is_err(), "kladden står stadig i Jeres sager");
    ingen_sidelaens_rulning(d, "forsiden efter sletning", &mut rulning).await?;
    ensure!(sag::Entity::find_by_id(id).one(&app.db.conn).await?.is_none(), "sag {id} findes stadig i databasen");
    ensure!(rulning.is_empty(), "{}", rulning.join("\n"));
    Ok(())
}
