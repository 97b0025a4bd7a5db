//! Issue 13 §1: the stored form names its scheme (`domain::skema::Skemadata`, decision 86), and
//! lives in `sag_skema` beside the case row (decision 105). Migration
//! `m20261205_000020_sag_skema_og_personer` moves the forms of a database made by the release
//! before it, and fills `sag_person` (decision 106).

use crate::helpers::TestApp;
use domain::ordning::Ordning;
use domain::skema::Skemadata;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use storage::entity::{bruger, sag, sag_person};

const TRIN: &str = "m20261205_000020_sag_skema_og_personer";

async fn raekke(app: &TestApp, id: i64) -> sag::Model {
    crate::atomar::sag_raekke(app, id).await
}

async fn laes(app: &TestApp, id: i64) -> Result<Option<Skemadata>, storage::StorageError> {
    storage::sager::skemadata(&app.db.conn, &raekke(app, id).await).await
}

/// A form without its scheme's tag, or of another scheme than its case's, is an error, never
/// an empty form or the other scheme's; a scheme without a form reads as none.
async fn en_formular_laeses_kun_som_sin_egen_ordning(app: TestApp) {
    let udfyldt = crate::atomar::ny_kladde(&app).await.id;
    let form = app.skemajson(udfyldt).await;
    assert!(matches!(laes(&app, udfyldt).await, Ok(Some(Skemadata::Loentilskud(_)))));

    app.saet_skemajson(udfyldt, r#"{"stillingsbetegnelse":"Smed","timer":"37"}"#).await;
    assert!(laes(&app, udfyldt).await.is_err(), "uden mærke kan formularen ikke læses");

    app.saet_skemajson(udfyldt, &form).await;
    let sql = format!("UPDATE sag SET ordning = 'virksomhedspraktik' WHERE id = {udfyldt}");
    app.db.conn.execute_unprepared(&sql).await.expect("UPDATE sag");
    assert!(laes(&app, udfyldt).await.is_err(), "en løntilskudsformular på en praktiksag er en fejl");

    let sql = format!("UPDATE sag SET ordning = 'mentor' WHERE id = {udfyldt}");
    app.db.conn.execute_unprepared(&sql).await.expect("UPDATE sag");
    app.saet_skemajson(udfyldt, &Skemadata::tom_json(Ordning::Mentor)).await;
    assert_eq!(laes(&app, udfyldt).await.expect("mentor"), None, "mentor har ingen formular endnu");
    let lone = crate::html::Person::ny(&app, crate::flow::LONE).await;
    let side = lone.hent_ok(&format!("/sager/{udfyldt}")).await;
    assert!(side.html.contains("Mentor"), "mentorsagen vises\n{}", side.html);
}

/// Every form, by case.
async fn formularerne(app: &TestApp) -> Vec<(i64, String)> {
    let mut ud: Vec<(i64, String)> = storage::entity::sag_skema::Entity::find()
        .all(&app.db.conn)
        .await
        .expect("formularerne")
        .into_iter()
        .map(|k| (k.sag_id, k.skemadata))
        .collect();
    ud.sort();
    ud
}

/// The database as the release before decision 105 left it: the form in `sag.skemadata`, no
/// `sag_skema` or `sag_person`, and the step not run. Then the migrations run, as an upgrade
/// does.
async fn som_foer_og_migreret(app: &TestApp) {
    for sql in [
        "ALTER TABLE sag ADD COLUMN skemadata TEXT NOT NULL DEFAULT ''",
        "UPDATE sag SET skemadata = (SELECT k.skemadata FROM sag_skema k WHERE k.sag_id = sag.id)",
        "DROP TABLE sag_person",
        "DROP TABLE sag_skema",
        &format!("DELETE FROM seaql_migrations WHERE version = '{TRIN}'"),
    ] {
        app.db.conn.execute_unprepared(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    app.db.migrate().await.expect("migreringen");
}

/// The upgrade keeps every form as it was, byte for byte, and a sent jobrotation case with a
/// second substitute gets that substitute in `sag_person`, so Søg finds the case by them.
async fn opgraderingen_flytter_formularerne(app: TestApp) {
    // A sent jobrotation case of the demo world, and a caseworker of its jobcentre.
    storage::demo_sager::seed(&app.db, chrono::Utc::now()).await.expect("demosagerne");
    let sag = sag::Entity::find()
        .filter(sag::Column::Ordning.eq(Ordning::Jobrotation.kode()))
        .filter(sag::Column::Cpr.is_not_null())
        .filter(sag::Column::JobcenterId.is_not_null())
        .one(&app.db.conn)
        .await
        .expect("sagen")
        .expect("demoen har en sendt jobrotation");
    let sagsbehandler = bruger::Entity::find()
        .filter(bruger::Column::JobcenterId.eq(sag.jobcenter_id))
        .filter(bruger::Column::Rolle.eq("sagsbehandler"))
        .one(&app.db.conn)
        .await
        .expect("sagsbehandleren")
        .expect("jobcentret har en sagsbehandler");
    let mut form: serde_json::Value = serde_json::from_str(&app.skemajson(sag.id).await).expect("JSON");
    let mut anden = form["vikarer"][0].clone();
    anden["cpr"] = "150385-2345".into();
    anden["borger_navn"] = "Mads Ærtebjerg".into();
    form["vikarer"].as_array_mut().expect("vikarer").push(anden);
    app.saet_skemajson(sag.id, &form.to_string()).await;
    let foer = formularerne(&app).await;
    assert!(foer.len() > 20, "demoens sager har formularer: {}", foer.len());

    som_foer_og_migreret(&app).await;

    assert_eq!(formularerne(&app).await, foer, "hver formular er flyttet uændret");
    let personer = sag_person::Entity::find().all(&app.db.conn).await.expect("sag_person");
    let personer: Vec<(i64, String)> = personer.into_iter().map(|p| (p.sag_id, p.cpr)).collect();
    assert_eq!(personer, vec![(sag.id, "1503852345".to_string())], "den anden vikar, og kun den");
    let k = crate::html::Person::ny(&app, &sagsbehandler.email).await;
    let fund = crate::ordninger::soeg_cpr(&k, "150385-2345").await;
    assert!(fund.har_id(&format!("raekke-{}", sag.id)), "Søg finder sagen ved den anden vikar\n{}", fund.html);
    let sql = format!("SELECT skemadata FROM sag WHERE id = {}", sag.id);
    assert!(app.db.conn.execute_unprepared(&sql).await.is_err(), "sag.skemadata er væk");
}

paa_begge_databaser!(en_formular_laeses_kun_som_sin_egen_ordning, opgraderingen_flytter_formularerne);
