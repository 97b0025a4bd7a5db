//! Issue 13 §7 and decision 90: the company deletes a draft of its own, after a confirmation
//! page that needs no JavaScript. "Jeres sager" tells drafts apart by scheme, citizen and the
//! day they were made. The draft is removed, not marked: its rows go in one transaction, the
//! list totals follow, the deletion log says what went, the outbox never heard of it and the
//! access log keeps its entries.

use chrono::Utc;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Statement};
use storage::entity::{adgangslog, link, outbox, sag, sagselement, sagshaendelse, samtykke, sletning};

use crate::atomar::{jobcenter_id, sag_raekke};
use crate::flow::{Datoer, JENS, KAREN, LONE, Maal, ny_ansoegning, sag_til, slaa_navn_op, udfyld_trin_1_2};
use crate::helpers::TestApp;
use crate::html::Person;
use crate::lister::taelling_stemmer;

/// Rows that hang on case `id`, table by table.
async fn raekker_for(app: &TestApp, id: i64) -> [u64; 5] {
    let c = &app.db.conn;
    [
        sag::Entity::find().filter(sag::Column::Id.eq(id)).count(c).await.expect("sag"),
        sagshaendelse::Entity::find().filter(sagshaendelse::Column::SagId.eq(id)).count(c).await.expect("hændelser"),
        sagselement::Entity::find().filter(sagselement::Column::SagId.eq(id)).count(c).await.expect("elementer"),
        samtykke::Entity::find().filter(samtykke::Column::SagId.eq(id)).count(c).await.expect("samtykke"),
        link::Entity::find().filter(link::Column::SagId.eq(id)).count(c).await.expect("links"),
    ]
}

async fn laesninger_af(app: &TestApp, id: i64) -> u64 {
    adgangslog::Entity::find()
        .filter(adgangslog::Column::Hvad.eq(format!("sag {id}")))
        .count(&app.db.conn)
        .await
        .expect("adgangsloggen")
}

async fn kladde_slettes_af_virksomheden(app: TestApp) {
    let d = Datoer::nu();
    let lone = Person::ny(&app, LONE).await;
    // Two drafts: one with its citizen looked up on step 3, one just begun.
    let med_borger = ny_ansoegning(&lone).await;
    udfyld_trin_1_2(&lone, med_borger, &d).await;
    slaa_navn_op(&lone, med_borger, "010190-1234").await;
    let tom = ny_ansoegning(&lone).await;
    // A sent application, which is no longer a draft.
    let (sendt, _, _) = sag_til(&app, Maal::SendtTilRep, &d).await;

    // "Jeres sager": scheme, citizen (the CPR masked) and the day made tell the drafts apart;
    // only drafts have "Slet kladde".
    let forside = lone.hent_ok("/").await;
    let idag = domain::periode::dansk_dato(domain::periode::dansk_tid(Utc::now()).date());
    let raekke = |id: i64| {
        let r = forside.tekst(&format!("sager-sag-{id}")).unwrap_or_else(|| panic!("sag {id} står ikke i Jeres sager"));
        r.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let r = raekke(med_borger);
    assert!(r.contains("Løntilskud") && r.contains("Anna Jensen, 010190-XXXX") && r.contains(&idag), "{r}");
    assert!(!r.contains("010190-1234"), "listen viser CPR-nummeret maskeret: {r}");
    let r = raekke(tom);
    assert!(r.contains("Løntilskud") && r.contains(&idag) && !r.contains("Anna Jensen"), "{r}");
    for id in [med_borger, tom] {
        assert_eq!(forside.href(&format!("sager-slet-{id}")), format!("/sager/{id}/slet"), "kladde {id}");
    }
    assert!(!forside.har_id(&format!("sager-slet-{sendt}")), "en sendt ansøgning kan ikke slettes");

    // The confirmation page says which draft it is, and posts the version it showed. The
    // citizen it shows is a read in the access log.
    let laest_foer = laesninger_af(&app, med_borger).await;
    let side = lone.hent_ok(&format!("/sager/{med_borger}/slet")).await;
    let tekst = side.tekst_krav("kladden");
    for ventet in ["Løntilskud", "Anna Jensen, 010190-XXXX", &idag] {
        assert!(tekst.contains(ventet), "bekræftelsen mangler {ventet}: {tekst}");
    }
    assert_eq!(laesninger_af(&app, med_borger).await, laest_foer + 1, "bekræftelsen er en læsning i adgangsloggen");
    let formular = side.formular_krav("slet-kladde");
    assert_eq!(formular.action, format!("/sager/{med_borger}/slet"));
    assert_eq!(side.href("behold-kladde"), "/", "»Nej, behold kladden« fører tilbage");
    let version = sag_raekke(&app, med_borger).await.version.to_string();
    assert_eq!(formular.felt("version"), Some(version.as_str()));

    // A stale page is refused and deletes nothing.
    let gammel = lone.post(&format!("/sager/{med_borger}/slet"), &[("version", "0")]).await;
    assert_eq!(gammel.status, StatusCode::CONFLICT, "{}", gammel.html);
    assert_eq!(raekker_for(&app, med_borger).await[0], 1, "kladden står der stadig");

    // Outsiders: another company and the caseworker do not find it.
    for hvem in [JENS, KAREN] {
        let p = Person::ny(&app, hvem).await;
        assert_eq!(p.hent(&format!("/sager/{med_borger}/slet")).await.status, StatusCode::NOT_FOUND, "{hvem}");
        let svar = p.post(&format!("/sager/{med_borger}/slet"), &[("version", &version)]).await;
        assert_eq!(svar.status, StatusCode::NOT_FOUND, "{hvem}");
    }
    assert_eq!(raekker_for(&app, med_borger).await[0], 1);

    // A sent application: refused with the state's reason.
    let svar = lone.hent(&format!("/sager/{sendt}/slet")).await;
    assert_eq!(svar.status, StatusCode::CONFLICT);
    assert!(svar.html.contains("»Slet kladde« kan ikke udføres"), "{}", svar.html);
    let v = sag_raekke(&app, sendt).await.version.to_string();
    assert_eq!(lone.post(&format!("/sager/{sendt}/slet"), &[("version", &v)]).await.status, StatusCode::CONFLICT);
    assert_eq!(sag_raekke(&app, sendt).await.version.to_string(), v, "den sendte ansøgning er uændret");

    // Delete: every row of the draft goes, in one transaction.
    assert!(raekker_for(&app, med_borger).await.iter().skip(1).any(|n| *n > 0), "kladden har rækker at fjerne");
    let outbox_foer = outbox::Entity::find().count(&app.db.conn).await.expect("outbox");
    let svar = lone.klik(&side, "slet-kladde", &[]).await;
    assert_eq!(svar.viderestilling(), format!("/?slettet={med_borger}"));
    assert_eq!(raekker_for(&app, med_borger).await, [0; 5], "kladdens rækker er fjernet");
    // Never notified, so nothing is sent or cancelled.
    assert_eq!(outbox::Entity::find().count(&app.db.conn).await.expect("outbox"), outbox_foer);
    assert_eq!(
        outbox::Entity::find().filter(outbox::Column::SagId.eq(med_borger)).count(&app.db.conn).await.expect("outbox"),
        0
    );
    taelling_stemmer(&app).await;
    // The deletion log says what went, without personal data.
    let log = sletning::Entity::find()
        .filter(sletning::Column::SagId.eq(med_borger))
        .all(&app.db.conn)
        .await
        .expect("sletningsloggen");
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!((log[0].art.as_str(), log[0].regel.as_str()), ("kladde", "slettet_af_virksomheden"));
    assert!(log[0].felter >= 2 && log[0].raekker >= 3, "{:?}", log[0]);
    // The access log keeps the reads that happened, and its chain holds.
    assert_eq!(laesninger_af(&app, med_borger).await, laest_foer + 1);
    let v = storage::adgangslog::verificer(&app.db).await.expect("verificer");
    assert_eq!(v.foerste_brud, None, "adgangsloggens kæde");

    // The front page says so; the draft is gone from the list and its pages.
    let forside = lone.hent_ok(&format!("/?slettet={med_borger}")).await;
    assert!(forside.al_tekst().contains(&format!("Kladden (sag {med_borger}) er slettet.")));
    assert!(!forside.har_id(&format!("sager-sag-{med_borger}")) && forside.har_id(&format!("sager-sag-{tom}")));
    for sti in [format!("/sager/{med_borger}"), format!("/sager/{med_borger}/slet")] {
        assert_eq!(lone.hent(&sti).await.status, StatusCode::NOT_FOUND, "{sti}");
    }
    let igen = lone.post(&format!("/sager/{med_borger}/slet"), &[("version", &version)]).await;
    assert_eq!(igen.status, StatusCode::NOT_FOUND, "en slettet kladde slettes ikke to gange");

    // The draft just begun goes too (no citizen, no consent).
    let side = lone.hent_ok(&format!("/sager/{tom}/slet")).await;
    assert!(side.tekst_krav("kladden").contains("Ikke udfyldt endnu"));
    assert_eq!(lone.klik(&side, "slet-kladde", &[]).await.viderestilling(), format!("/?slettet={tom}"));
    assert_eq!(raekker_for(&app, tom).await, [0; 5]);
    taelling_stemmer(&app).await;
}

/// A draft a jobcentre holds (one it made, "Sendte kladder") is the jobcentre's; a draft under
/// a retention hold is kept. Both are refused in Danish and nothing changes.
async fn kladder_der_ikke_er_virksomhedens_at_slette(app: TestApp) {
    let lone = Person::ny(&app, LONE).await;
    let jobcentrets = ny_ansoegning(&lone).await;
    let kbh = jobcenter_id(&app, "0101").await;
    let c = &app.db.conn;
    c.execute_raw(Statement::from_string(
        c.get_database_backend(),
        format!("UPDATE sag SET jobcenter_id = {kbh} WHERE id = {jobcentrets}"),
    ))
    .await
    .expect("jobcentrets kladde");
    app.taellinger_forfra().await;
    let forside = lone.hent_ok("/").await;
    assert!(forside.har_id(&format!("sager-sag-{jobcentrets}")));
    assert!(!forside.har_id(&format!("sager-slet-{jobcentrets}")), "jobcentrets kladde har ingen »Slet kladde«");
    let svar = lone.hent(&format!("/sager/{jobcentrets}/slet")).await;
    assert_eq!(svar.status, StatusCode::CONFLICT);
    assert!(svar.html.contains("Kladden er lavet af jobcentret"), "{}", svar.html);
    let v = sag_raekke(&app, jobcentrets).await.version.to_string();
    assert_eq!(lone.post(&format!("/sager/{jobcentrets}/slet"), &[("version", &v)]).await.status, StatusCode::CONFLICT);
    assert_eq!(raekker_for(&app, jobcentrets).await[0], 1);

    let holdt = ny_ansoegning(&lone).await;
    storage::opbevaring::saet_hold(&app.db, holdt, storage::opbevaring::HoldArt::Arkiv, Utc::now())
        .await
        .expect("hold");
    let v = sag_raekke(&app, holdt).await.version.to_string();
    let svar = lone.post(&format!("/sager/{holdt}/slet"), &[("version", &v)]).await;
    assert_eq!(svar.status, StatusCode::CONFLICT, "{}", svar.html);
    assert!(svar.html.contains("opbevaringshold"), "{}", svar.html);
    assert_eq!(raekker_for(&app, holdt).await[0], 1, "kladden under hold står der stadig");
    taelling_stemmer(&app).await;
}

paa_begge_databaser!(kladde_slettes_af_virksomheden, kladder_der_ikke_er_virksomhedens_at_slette);
