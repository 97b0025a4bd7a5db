//! Issue 13 §1: the stored form names its scheme (`domain::skema::Skemadata`, decision 86).
//! Forms stored before the tag get it from migration `m20261204_000011_skemadata_ordning`.

use crate::helpers::TestApp;
use domain::skema::Skemadata;
use sea_orm::ConnectionTrait;

const TRIN: &str = "m20261204_000011_skemadata_ordning";

async fn saet(app: &TestApp, id: i64, ordning: &str, skemadata: &str) {
    let sql = format!(
        "UPDATE sag SET ordning = '{ordning}', skemadata = '{}' WHERE id = {id}",
        skemadata.replace('\'', "''")
    );
    app.db.conn.execute_unprepared(&sql).await.expect("UPDATE sag");
}

/// Forget that the migration step ran, and run the migrations: the step runs again.
async fn koer_trinnet_igen(app: &TestApp) {
    let glem = format!("DELETE FROM seaql_migrations WHERE version = '{TRIN}'");
    app.db.conn.execute_unprepared(&glem).await.expect("DELETE");
    app.db.migrate().await.expect("migreringen");
}

async fn raekke(app: &TestApp, id: i64) -> storage::entity::sag::Model {
    crate::atomar::sag_raekke(app, id).await
}

/// Rows as they were stored before the tag: the migration step, run on them again, gives each
/// its own scheme's tag; what the company typed is kept, and a second run changes nothing.
async fn gamle_formularer_faar_deres_ordning(app: TestApp) {
    let udfyldt = crate::atomar::ny_kladde(&app).await.id;
    let tom = crate::atomar::ny_kladde(&app).await.id;
    let mentor = crate::atomar::ny_kladde(&app).await.id;
    // A NUL escape too: PostgreSQL's jsonb would refuse it, the text operations do not.
    saet(&app, udfyldt, "loentilskud", r#"{"stillingsbetegnelse":"Smed","jobindhold":"a\u0000b","timer":"37"}"#).await;
    saet(&app, tom, "loentilskud", "{}").await;
    saet(&app, mentor, "mentor", "{}").await;
    for id in [udfyldt, tom, mentor] {
        assert!(storage::sager::skemadata(&raekke(&app, id).await).is_err(), "uden mærke kan sag {id} ikke læses");
    }

    koer_trinnet_igen(&app).await;

    let Some(Skemadata::Loentilskud(a)) = storage::sager::skemadata(&raekke(&app, udfyldt).await).expect("udfyldt")
    else {
        panic!("den udfyldte formular er ikke en løntilskudsformular")
    };
    assert_eq!(
        (a.jobbet.stillingsbetegnelse.as_str(), a.jobbet.jobindhold.as_str(), a.forloeb.timer.as_str()),
        ("Smed", "a\u{0}b", "37")
    );
    assert_eq!(
        storage::sager::skemadata(&raekke(&app, tom).await).expect("tom"),
        Some(Skemadata::Loentilskud(Default::default()))
    );
    assert_eq!(storage::sager::skemadata(&raekke(&app, mentor).await).expect("mentor"), None);

    // The case pages: the form's facts where there is a form, the case row's alone where the
    // scheme has none yet (a scheme without a form can still be seen, policy_matrix).
    let lone = crate::html::Person::ny(&app, crate::flow::LONE).await;
    let side = lone.hent_ok(&format!("/sager/{udfyldt}")).await;
    assert!(side.html.contains("Smed"), "stillingsbetegnelsen står på sagen\n{}", side.html);
    let side = lone.hent_ok(&format!("/sager/{mentor}")).await;
    assert!(side.html.contains("Mentor"), "mentorsagen vises\n{}", side.html);

    // Again: nothing changes.
    let foer: Vec<String> = skemaerne(&app, &[udfyldt, tom, mentor]).await;
    koer_trinnet_igen(&app).await;
    assert_eq!(skemaerne(&app, &[udfyldt, tom, mentor]).await, foer);

    // A form of one scheme on a case of another is an error, never the other's form.
    saet(&app, udfyldt, "virksomhedspraktik", &raekke(&app, udfyldt).await.skemadata).await;
    assert!(storage::sager::skemadata(&raekke(&app, udfyldt).await).is_err());
}

async fn skemaerne(app: &TestApp, ids: &[i64]) -> Vec<String> {
    let mut ud = Vec::new();
    for id in ids {
        ud.push(raekke(app, *id).await.skemadata);
    }
    ud
}

paa_begge_databaser!(gamle_formularer_faar_deres_ordning);
