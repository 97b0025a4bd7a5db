//! Issue 13 §5: one browser test per built company scheme, on SQLite and on PostgreSQL, each
//! walking the scheme's whole path in Chromium (decision 104).
//!
//! The walk ([`hele_vejen`]) names no scheme: the steps and their fields come from the
//! scheme's own step descriptions (`domain::skema`), the hearing, the citizen's signature,
//! the decision's fields, the subsidy fields and the termination reasons from its profile
//! (`domain::ordning::PROFILER`). The company applies (every step) and signs; the
//! representative is heard where the life cycle has a hearing, and the citizen signs where it
//! has the citizen's signature; the caseworker grants; the company approves, asks for an
//! extension that the caseworker approves, and ends the grant with one of the scheme's own
//! reasons. axe-core runs on every page the walk visits, and the Nu Html Checker on every
//! HTML page the application served (`koer`).
//!
//! [`i_browseren!`] gives each scheme `hele_vejen_<scheme>_sqlite` and `…_postgres`, so each
//! fails on its own; [`hver_bygget_virksomhedsordning_har_en_browsertest`] fails when a built
//! company scheme is missing from that list.

use super::*;
use chrono::NaiveDate;
use domain::ordning::{Initiativ, Livsforloeb, Ordning};
use domain::status::{AfgoerelseStatus, AnsoegningStatus, ForlaengelseStatus};

/// `i_browseren!(A, B)` → `hele_vejen_a_sqlite`, `hele_vejen_a_postgres`, … and the list
/// [`I_BROWSEREN`] the coverage guard reads.
macro_rules! i_browseren {
    ($($ordning:ident),+ $(,)?) => {
        /// The schemes with a browser test of their own.
        const I_BROWSEREN: &[Ordning] = &[$(Ordning::$ordning),+];
        $(
            pastey::paste! {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn [<hele_vejen_ $ordning:snake _sqlite>]() {
                    i_browseren(Ordning::$ordning, Database::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn [<hele_vejen_ $ordning:snake _postgres>]() {
                    i_browseren(Ordning::$ordning, Database::Postgres).await;
                }
            }
        )+
    };
}

i_browseren!(Loentilskud, Virksomhedspraktik, Nytteindsats, Voksenlaerling, Fleksjob, Jobrotation, Igu);

/// Issue 13 §5 ("one browser test per scheme"): a built company scheme (the profile table, and
/// the demo server's list of them) cannot ship without its walk above, and the list names no
/// scheme that is not built.
#[test]
fn hver_bygget_virksomhedsordning_har_en_browsertest() {
    let mut byggede: Vec<Ordning> = Ordning::ALLE
        .into_iter()
        .filter(|o| o.bygget() && o.profil().livsforloeb.initiativ() == Initiativ::Virksomhed)
        .chain(storage::demo_sager::ordninger())
        .collect();
    byggede.sort_by_key(|o| o.kode());
    byggede.dedup();
    let uden: Vec<&Ordning> = byggede.iter().filter(|o| !I_BROWSEREN.contains(o)).collect();
    assert!(
        uden.is_empty(),
        "bygget virksomhedsordning uden browsertest: {uden:?}; tilføj den i i_browseren! i crates/server/tests/e2e/ordninger.rs"
    );
    let ubyggede: Vec<&Ordning> = I_BROWSEREN.iter().filter(|o| !byggede.contains(o)).collect();
    assert!(
        ubyggede.is_empty(),
        "i_browseren! nævner ordninger, der ikke er byggede virksomhedsordninger: {ubyggede:?}"
    );
}

/// One scheme's walk on one database, with the test OpenID provider for the representative's
/// MitID (decision 71). On PostgreSQL without `VITAS_TEST_POSTGRES_URL` the test is skipped
/// with a notice, except under CI (the api tests' helper decides).
async fn i_browseren(ordning: Ordning, db: Database) {
    let udbyder = udbyder::Udbyder::start().await;
    let t = udbyder.tjenester();
    let Some((app, sider)) = app_paa(db, move |s| s.med_login(t)).await else { return };
    let Some(b) = start_browser().await else { return };
    let resultat = hele_vejen(&b.driver, &app, ordning).await.with_context(|| format!("{ordning:?} på {db:?}"));
    koer(b, &sider, resultat).await;
}

async fn sag_i_db(app: &TestApp, id: i64) -> anyhow::Result<sag::Model> {
    sag::Entity::find_by_id(id).one(&app.db.conn).await?.with_context(|| format!("sag {id} findes ikke i databasen"))
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The whole path of one scheme in the browser; see the module's comment.
async fn hele_vejen(d: &WebDriver, app: &TestApp, ordning: Ordning) -> anyhow::Result<()> {
    let profil = ordning.profil();
    let start = Utc::now().date_naive() + chrono::Duration::days(14);
    let mut fund = Vec::new();
    d.goto(app.url("/demo-login")).await?;
    tilgaengelighed(d, "demo-login", &mut fund).await?;
    log_ind(d, app, LONE).await?;
    tilgaengelighed(d, &format!("{ordning:?} virksomhedens forside"), &mut fund).await?;
    let id = ansoeg_og_underskriv(d, ordning, start, &mut fund).await?;

    // The case goes where its life cycle sends it after the company's signature.
    let efter_underskrift = if profil.livsforloeb.hoering() {
        AnsoegningStatus::SendtTilMedarbejderRep
    } else if profil.livsforloeb == Livsforloeb::AftaleMedBorger {
        AnsoegningStatus::SendtTilBorger
    } else {
        AnsoegningStatus::Modtaget
    };
    let s = sag_i_db(app, id).await?;
    ensure!(
        s.ansoegning_status.as_deref() == Some(efter_underskrift.kode()),
        "efter virksomhedens underskrift: {:?}, ventede {efter_underskrift:?}",
        s.ansoegning_status
    );
    if profil.livsforloeb.hoering() {
        hoering(d, app, &mut fund, ordning).await?;
    } else if profil.livsforloeb == Livsforloeb::AftaleMedBorger {
        borgeren_underskriver(d, app, id, ordning, &mut fund).await?;
    } else {
        log_ud(d).await?;
    }
    vent_paa("at jobcentret har ansøgningen", || async {
        let s = sag_i_db(app, id).await.ok()?;
        (s.ansoegning_status.as_deref() == Some(AnsoegningStatus::Modtaget.kode())).then_some(())
    })
    .await?;

    // The caseworker of København grants; the company approves the grant.
    log_ind(d, app, KAREN).await?;
    tilgaengelighed(d, &format!("{ordning:?} sagsbehandlerens forside"), &mut fund).await?;
    d.goto(app.url(&format!("/sager/{id}"))).await?;
    vent_paa_tekst(d, "sag-status", "Modtaget af jobcentret").await?;
    tilgaengelighed(d, &format!("{ordning:?} sagsbehandlerens sag"), &mut fund).await?;
    bevilg_og_godkend(d, app, id, ordning, &mut fund).await?;

    forlaengelse(d, app, id, ordning, &mut fund).await?;
    ophoer(d, app, id, ordning, start, &mut fund).await?;
    ensure!(fund.is_empty(), "tilgængelighedsfejl (axe-core, WCAG 2.1 A/AA):\n{}", fund.join("\n"));
    Ok(())
}

/// The company, logged in on its front page, starts the scheme, fills every step with the
/// domain's example values, and signs and sends from the summary. The case's id.
async fn ansoeg_og_underskriv(
    d: &WebDriver,
    ordning: Ordning,
    start: NaiveDate,
    fund: &mut Vec<String>,
) -> anyhow::Result<i64> {
    use domain::skema::felt::Feltart;
    klik(d, &format!("start-ny-ansoegning-{}", ordning.profil().kode)).await?;
    let sti = vent_paa_sti(d, "/trin/1").await?;
    let id: i64 = sti.trim_start_matches("/sager/").trim_end_matches("/trin/1").parse()?;
    let skema = domain::skema::Skemadata::ny(ordning, false, vec![]).context("bygget")?;
    let sidste = skema.opsummeringens_nummer();
    let slut = start + chrono::Duration::days(60);
    let udfyld = domain::skema::eksempel::Udfyldning { pnummer: "1003456781", cpr: "010190-1234", start, slut };
    for n in 1..sidste {
        let trin = skema.trin(n).context("trin")?;
        for f in trin.felter() {
            let v = domain::skema::eksempel::vaerdi(f, &udfyld);
            match (f.art, v) {
                (Feltart::Cpr, Some(v)) => {
                    skriv(d, f.navn, &v).await?;
                    klik(d, "slaa-navn-op").await?;
                    vent_paa_tekst(d, "borger-navn", "Anna Jensen").await?;
                }
                (art, v) => udfyld_felt(d, art, f.navn, v).await?,
            }
        }
        // Issue 13 §2: a repeatable group's first row is filled by its posted names; "Tilføj"
        // saves it and opens a new row, whose "Fjern" takes it away again, without JavaScript.
        if let Some(g) = trin.gruppe() {
            for f in g.felter() {
                udfyld_felt(d, f.art, &g.feltnavn(0, f.navn), domain::skema::eksempel::vaerdi(f, &udfyld)).await?;
            }
            klik(d, &format!("tilfoej-{}", g.noegle)).await?;
            let ny = format!("raekke-{}-1", g.noegle);
            vent_paa(&format!("#{ny}"), || async { d.find(By::Id(ny.as_str())).await.ok().map(|_| ()) }).await?;
            tilgaengelighed(d, &format!("{ordning:?} trin {n} med en ny række"), fund).await?;
            let foerste = d.find(By::Id(format!("raekke-{}-0", g.noegle))).await?;
            ensure!(foerste.attr("data-komplet").await?.as_deref() == Some("true"), "række 0 er gemt som udfyldt");
            klik(d, &format!("fjern-{}-1", g.noegle)).await?;
            vent_paa(&format!("at #{ny} er væk"), || async { d.find(By::Id(ny.as_str())).await.err().map(|_| ()) })
                .await?;
        }
        tilgaengelighed(d, &format!("{ordning:?} trin {n}"), fund).await?;
        klik(d, "gem-og-fortsaet").await?;
        vent_paa_sti(d, &format!("/trin/{}", n + 1)).await?;
    }
    tilgaengelighed(d, &format!("{ordning:?} opsummering"), fund).await?;
    for n in 1..sidste {
        let link = d.find(By::Id(format!("trin-link-{n}"))).await?;
        ensure!(link.attr("data-komplet").await?.as_deref() == Some("true"), "trin {n} er ikke markeret komplet");
    }
    klik(d, "underskriv-og-send").await?;
    vent_paa_sti(d, &format!("/sager/{id}")).await?;
    vent_paa_tekst(d, "main-content", "underskrevet og sendt").await?;
    tilgaengelighed(d, &format!("{ordning:?} sagen efter underskrift"), fund).await?;
    Ok(id)
}

/// The representative follows the case page's link, logs in with their own MitID at the test
/// provider and approves.
async fn hoering(d: &WebDriver, app: &TestApp, fund: &mut Vec<String>, ordning: Ordning) -> anyhow::Result<()> {
    let rep_link = d.find(By::Id("hoering-link")).await?.attr("href").await?.context("hoering-link uden href")?;
    log_ud(d).await?;
    let rep_url = if rep_link.starts_with("http") { rep_link } else { app.url(&rep_link) };
    d.goto(&rep_url).await?;
    tilgaengelighed(d, &format!("{ordning:?} høringen før login"), fund).await?;
    klik(d, "hoering-log-ind").await?;
    log_ind_hos_udbyderen(d, "navn=Søren Bak;cpr=1503852345").await?;
    vent_paa_sti(d, reqwest::Url::parse(&rep_url)?.path()).await?;
    tilgaengelighed(d, &format!("{ordning:?} høringen"), fund).await?;
    klik(d, "rep-godkend").await?;
    vent_paa_sti(d, "/hoering/kvittering/godkendt").await?;
    tilgaengelighed(d, &format!("{ordning:?} høringens kvittering"), fund).await
}

/// Issue 13 §2: the citizen logs in with one click (MitID in real life), finds the agreement
/// under "Dine aftaler", reads it and signs.
async fn borgeren_underskriver(
    d: &WebDriver,
    app: &TestApp,
    id: i64,
    ordning: Ordning,
    fund: &mut Vec<String>,
) -> anyhow::Result<()> {
    log_ud(d).await?;
    log_ind(d, app, BORGER).await?;
    tilgaengelighed(d, &format!("{ordning:?} borgerens forside"), fund).await?;
    d.find(By::Css(format!("a[href='/sager/{id}']"))).await.context("Dine aftaler viser aftalen")?.click().await?;
    vent_paa_sti(d, &format!("/sager/{id}")).await?;
    d.find(By::Id("aftale")).await.context("borgeren ser aftalens indhold")?;
    tilgaengelighed(d, &format!("{ordning:?} borgerens aftale"), fund).await?;
    klik(d, "underskriv-aftale").await?;
    vent_paa_tekst(d, "sag-status", "Modtaget af jobcentret").await?;
    tilgaengelighed(d, &format!("{ordning:?} borgerens underskrevne aftale"), fund).await?;
    log_ud(d).await
}

/// Seed 004 "Forlængelse": the company, logged in on the case page of its approved grant,
/// asks for 30 more days; the caseworker approves, and the grant's end date moves. Ends
/// logged out.
async fn forlaengelse(
    d: &WebDriver,
    app: &TestApp,
    id: i64,
    ordning: Ordning,
    fund: &mut Vec<String>,
) -> anyhow::Result<()> {
    let aktuel = sag_i_db(app, id).await?.slutdato.context("bevillingen har ingen slutdato")?;
    let ny_slut = aktuel + chrono::Duration::days(30);
    klik(d, "anmod-forlaengelse").await?;
    vent_paa_sti(d, &format!("/sager/{id}/forlaengelse")).await?;
    tilgaengelighed(d, &format!("{ordning:?} forlængelse"), fund).await?;
    skriv(d, "ny_slutdato", &iso(ny_slut)).await?;
    vaelg(d, "ansaettelsesbrev_gaelder").await?;
    // The form starts with the job's content from the application, where the scheme has one.
    if felt(d, "jobindhold").await?.prop("value").await?.unwrap_or_default().trim().is_empty() {
        skriv(d, "jobindhold", "Det samme arbejde i 30 dage mere.").await?;
    }
    klik(d, "send-forlaengelse").await?;
    vent_paa_tekst(d, "main-content", "Anmodningen om forlængelse er sendt til jobcentret.").await?;
    tilgaengelighed(d, &format!("{ordning:?} forlængelsen sendt"), fund).await?;
    let s = sag_i_db(app, id).await?;
    ensure!(
        s.forlaengelse_status.as_deref() == Some(ForlaengelseStatus::AfventerJobcenter.kode()),
        "forlængelsen afventer ikke jobcentret: {:?}",
        s.forlaengelse_status
    );
    log_ud(d).await?;

    log_ind(d, app, KAREN).await?;
    d.goto(app.url(&format!("/sager/{id}"))).await?;
    tilgaengelighed(d, &format!("{ordning:?} forlængelsen hos sagsbehandleren"), fund).await?;
    klik(d, "godkend-forlaengelse").await?;
    vent_paa_tekst(d, "main-content", "Handlingen er udført.").await?;
    tilgaengelighed(d, &format!("{ordning:?} forlængelsen godkendt"), fund).await?;
    let s = sag_i_db(app, id).await?;
    ensure!(
        s.forlaengelse_status.as_deref() == Some(ForlaengelseStatus::Godkendt.kode()) && s.slutdato == Some(ny_slut),
        "forlængelsen: {:?}, slutdato {:?}, ventede godkendt og {ny_slut}",
        s.forlaengelse_status,
        s.slutdato
    );
    log_ud(d).await
}

/// Seed 004 "Ophør": the company ends the grant with the first of the scheme's own reasons,
/// which are the reasons the form offers; the subsidy fields where the profile has the cap.
/// The ended case shows the reason and its whole history.
async fn ophoer(
    d: &WebDriver,
    app: &TestApp,
    id: i64,
    ordning: Ordning,
    start: NaiveDate,
    fund: &mut Vec<String>,
) -> anyhow::Result<()> {
    let profil = ordning.profil();
    log_ind(d, app, LONE).await?;
    d.goto(app.url(&format!("/sager/{id}"))).await?;
    tilgaengelighed(d, &format!("{ordning:?} virksomhedens forlængede bevilling"), fund).await?;
    klik(d, "registrer-ophoer").await?;
    vent_paa_sti(d, &format!("/sager/{id}/ophoer")).await?;
    tilgaengelighed(d, &format!("{ordning:?} ophør"), fund).await?;
    let mut tilbudte = Vec::new();
    for o in felt(d, "aarsag").await?.find_all(By::Tag("option")).await? {
        let v = o.value().await?.unwrap_or_default();
        if !v.is_empty() {
            tilbudte.push(v);
        }
    }
    let egne: Vec<String> = profil.ophoersaarsager.iter().map(|a| a.id.to_string()).collect();
    ensure!(tilbudte == egne, "formularen tilbyder årsagerne {tilbudte:?}, ordningens egne er {egne:?}");
    let aarsag = profil.ophoersaarsager.first().context("ordningen har ingen ophørsårsager")?;
    skriv(d, "ophoersdato", &iso(start + chrono::Duration::days(10))).await?;
    skriv(d, "aarsag", &aarsag.id.to_string()).await?;
    if profil.tilskudsloft() {
        skriv(d, "modtaget_tilskud", "12.000,00").await?;
        skriv(d, "samlet_loenudgift", "250.000,00").await?;
    }
    klik(d, "send-ophoer").await?;
    vent_paa_tekst(d, "sag-status", "Ophørt").await?;
    tilgaengelighed(d, &format!("{ordning:?} den ophørte sag"), fund).await?;
    let side = d.find(By::Id("main-content")).await?.text().await?;
    ensure!(side.contains(aarsag.tekst), "sagen viser ikke årsagen »{}«", aarsag.tekst);
    let historik = d.find(By::Id("historik")).await.context("#historik mangler")?.text().await?;
    let historik = historik.split_whitespace().collect::<Vec<_>>().join(" ");
    for h in storage::sager::historik(&app.db, id).await? {
        let tekst = h.tekst.split_whitespace().collect::<Vec<_>>().join(" ");
        ensure!(historik.contains(&tekst), "historikken mangler »{tekst}«:\n{historik}");
    }
    let s = sag_i_db(app, id).await?;
    ensure!(
        s.afgoerelse_status.as_deref() == Some(AfgoerelseStatus::Ophoert.kode()),
        "sagen er ikke ophørt: {:?}",
        s.afgoerelse_status
    );
    log_ud(d).await
}
