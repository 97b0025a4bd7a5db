//! Bad input and wrong requests: each gets a Danish answer, never a 500, and nothing already
//! saved is lost.

use reqwest::StatusCode;
use storage::Fejlpunkt;

use crate::atomar::{antal, sag_raekke};
use crate::flow::{
    Datoer, IKKE_ADGANG, JENS, Maal, RASMUS, gyldige_felter, iso, sag_sti, sag_til, skema, slaa_navn_op, som_ref,
    trin_sti,
};
use crate::helpers::TestApp;
use crate::html::{Person, Side, Svar};

/// The step-3 fields, valid except `felt`, which gets `vaerdi`.
fn trin3_med(d: &Datoer, felt: &str, vaerdi: &str) -> Vec<(&'static str, String)> {
    gyldige_felter(3, d).into_iter().map(|(n, v)| if n == felt { (n, vaerdi.to_string()) } else { (n, v) }).collect()
}

/// Step 3 saved with one bad field: a 422 re-render or a 303 onwards are both fine, but the
/// step must then show the Danish error at the field, be marked incomplete, and keep what was
/// typed; steps 1–2 are untouched and the case is still a draft.
async fn ugyldigt_felt_paa_trin_3(app: &TestApp, felt: &str, vaerdi: &str, besked: &str) {
    let d = Datoer::nu();
    let (id, lone, _) = sag_til(app, Maal::Trin3, &d).await;
    slaa_navn_op(&lone, id, "010190-1234").await;
    let side = lone.hent_ok(&trin_sti(id, 3)).await;
    let felter = trin3_med(&d, felt, vaerdi);
    let svar = lone.klik(&side, "gem-og-fortsaet", &som_ref(&felter)).await;
    assert!(
        svar.status == StatusCode::UNPROCESSABLE_ENTITY || svar.status == StatusCode::SEE_OTHER,
        "{felt}={vaerdi:.20}: forventede 422 eller 303, fik {}\n{}",
        svar.status,
        svar.html
    );
    let fejl_id = format!("fejl-{felt}");
    let igen = lone.hent_ok(&trin_sti(id, 3)).await;
    let mut sider: Vec<Side> = vec![igen.clone()];
    if svar.status == StatusCode::UNPROCESSABLE_ENTITY {
        let s = svar.side();
        assert_eq!(s.formular_krav("gem-og-fortsaet").felt(felt), Some(vaerdi), "422-siden beholder det indtastede");
        sider.push(s);
    }
    let med_fejl = sider.iter().find(|s| s.tekst(&fejl_id).is_some_and(|t| t.contains(besked))).unwrap_or_else(|| {
        panic!("{felt}: #{fejl_id} med »{besked}« mangler\n{}", sider.last().map_or("", |s| s.html.as_str()))
    });
    assert!(
        med_fejl.attr(&fejl_id, "class").is_some_and(|c| c.split_whitespace().any(|k| k == "form-error-message")),
        "#{fejl_id} skal have klassen form-error-message"
    );
    assert!(igen.al_tekst().contains("Du mangler at udfylde data korrekt"), "trin 3 skal vise, at det ikke er komplet");
    assert_eq!(igen.attr("trin-link-3", "data-komplet").as_deref(), Some("false"));
    assert_eq!(igen.attr("trin-link-1", "data-komplet").as_deref(), Some("true"));
    // What was typed is kept, on the page and in storage; earlier steps are not lost.
    assert_eq!(igen.formular_krav("gem-og-fortsaet").felt(felt), Some(vaerdi), "trin 3 viser det indtastede");
    let gemt = skema(app, id).await;
    let gemt_felt = serde_json::to_value(&gemt).expect("json")[felt].clone();
    assert_eq!(gemt_felt, serde_json::Value::String(vaerdi.to_string()), "{felt} er gemt som indtastet");
    assert_eq!(gemt.virksomheden.pnummer, "1003456781");
    assert_eq!(gemt.rimelighed.rimelighed_ansatte, "40,00");
    assert_eq!(gemt.jobbet.stillingsbetegnelse, "Lagermedarbejder");
    assert_eq!(sag_raekke(app, id).await.ansoegning_status.as_deref(), Some("kladde"));
}

async fn forkert_cpr_kort(app: TestApp) {
    ugyldigt_felt_paa_trin_3(&app, "cpr", "123", "CPR-nummeret skal have 10 cifre").await;
}

async fn forkert_cpr_dato(app: TestApp) {
    ugyldigt_felt_paa_trin_3(&app, "cpr", "320101-1234", "CPR-nummeret indeholder ikke en gyldig fødselsdato").await;
}

async fn for_langt_jobindhold(app: TestApp) {
    ugyldigt_felt_paa_trin_3(&app, "jobindhold", &"x".repeat(2001), "Teksten må højst være 2000 tegn").await;
}

async fn negative_timer(app: TestApp) {
    ugyldigt_felt_paa_trin_3(&app, "timer", "-5", "Timer pr. uge skal være større end 0").await;
}

async fn slutdato_foer_startdato(app: TestApp) {
    let d = Datoer::nu();
    let foer = iso(d.start - chrono::Duration::days(1));
    ugyldigt_felt_paa_trin_3(&app, "slutdato", &foer, "Slutdatoen kan ikke ligge før startdatoen").await;
}

paa_begge_databaser!(forkert_cpr_kort, forkert_cpr_dato, for_langt_jobindhold, negative_timer, slutdato_foer_startdato);

/// Signing an incomplete application: 422 listing the errors; still a draft, nothing written.
async fn ufuldstaendig_ansoegning_kan_ikke_sendes(app: TestApp) {
    let d = Datoer::nu();
    let (id, lone, _) = sag_til(&app, Maal::Trin3, &d).await;
    let foer_sag = sag_raekke(&app, id).await;
    let foer = antal(&app).await;
    let version = foer_sag.version.to_string();
    let svar = lone.post(&format!("/sager/{id}/indsend"), &[("version", &version), ("bemaerkning", "")]).await;
    assert_eq!(svar.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", svar.html);
    assert!(svar.tekst().contains("Mangler at blive udfyldt"), "fejlene skal stå på siden\n{}", svar.html);
    // Saving what was typed (the remark) is allowed; nothing else may change.
    let efter_sag = sag_raekke(&app, id).await;
    let uden_gem = |s: &storage::entity::sag::Model| {
        let mut s = s.clone();
        (s.version, s.aendret) = (0, chrono::DateTime::UNIX_EPOCH);
        s
    };
    assert_eq!(uden_gem(&efter_sag), uden_gem(&foer_sag), "kun et gem af kladden er tilladt");
    assert_eq!(antal(&app).await, foer, "ingen hændelse, notifikation, element eller link");
}

paa_begge_databaser!(ufuldstaendig_ansoegning_kan_ikke_sendes);

/// Step 1 as a company in labour conflict (Fynsk Byg, seed 002 §2.1): "Ja" is pre-set and
/// locked, a posted "nej" does not change it, and the comment on the trades is required. A
/// P-unit of another company cannot be chosen.
async fn konfliktramt_og_fremmed_pnummer(app: TestApp) {
    let d = Datoer::nu();
    let jens = Person::ny(&app, JENS).await;
    let id = crate::flow::ny_ansoegning(&jens).await;
    assert!(sag_raekke(&app, id).await.konfliktramt, "sagen er markeret konfliktramt fra start");
    let t1 = jens.hent_ok(&trin_sti(id, 1)).await;
    assert!(t1.attr("felt-konfliktramt-ja", "checked").is_some(), "»Ja« er valgt på forhånd\n{}", t1.html);
    assert!(t1.attr("felt-konfliktramt-nej", "disabled").is_some(), "»Nej« kan ikke vælges\n{}", t1.html);
    let svar = jens
        .klik(&t1, "gem-og-fortsaet", &[("pnummer", "1003456781"), ("konfliktramt", "nej"), ("konflikt_kommentar", "")])
        .await;
    assert!(
        svar.status == StatusCode::UNPROCESSABLE_ENTITY || svar.status == StatusCode::SEE_OTHER,
        "forventede 422 eller 303, fik {}",
        svar.status
    );
    let igen = jens.hent_ok(&trin_sti(id, 1)).await;
    let gemt = skema(&app, id).await;
    assert_eq!(gemt.virksomheden.konfliktramt, "ja", "»Ja« kan ikke ændres af virksomheden");
    assert_eq!(gemt.virksomheden.pnummer, "1003456781", "det indtastede gemmes, også når det er forkert");
    let tekst = |felt: &str| {
        [igen.clone()]
            .into_iter()
            .chain((svar.status == StatusCode::UNPROCESSABLE_ENTITY).then(|| svar.side()))
            .find_map(|s| s.tekst(&format!("fejl-{felt}")))
    };
    assert!(
        tekst("pnummer").is_some_and(|t| t.contains("Vælg en af virksomhedens P-enheder")),
        "Nordlys' P-enhed kan ikke vælges af Fynsk Byg\n{}",
        igen.html
    );
    assert!(tekst("konflikt_kommentar").is_some(), "kommentaren om de berørte fag er påkrævet\n{}", igen.html);
    assert_eq!(igen.attr("trin-link-1", "data-komplet").as_deref(), Some("false"));
    // With its own P-unit and a comment, step 1 is complete.
    let mut f1 = gyldige_felter(1, &d);
    f1[0].1 = "1004567891".into();
    f1[2].1 = "Konflikten omfatter murerfaget.".into();
    crate::flow::gem_trin(&jens, id, 1, &som_ref(&f1)).await;
    let t2 = jens.hent_ok(&trin_sti(id, 2)).await;
    assert_eq!(t2.attr("trin-link-1", "data-komplet").as_deref(), Some("true"));
    assert_eq!(skema(&app, id).await.virksomheden.konfliktramt, "ja");

    // Seed 002 §2.1: once the company has signed, the application shows the conflict banner.
    assert!(jens.hent_ok(&sag_sti(id)).await.tekst("konflikt-banner").is_none(), "ingen banner før underskrift");
    for n in 2..=4 {
        crate::flow::gem_trin(&jens, id, n, &som_ref(&gyldige_felter(n, &d))).await;
    }
    crate::flow::underskriv_og_send(&jens, id, &d).await;
    let banner = jens.hent_ok(&sag_sti(id)).await.tekst("konflikt-banner").expect("konflikt-banner efter underskrift");
    assert!(banner.contains("murerfaget"), "banneret nævner de berørte fag: {banner}");
}

paa_begge_databaser!(konfliktramt_og_fremmed_pnummer);

fn ikke_fundet(svar_status: StatusCode, tekst: &str, hvad: &str) {
    assert_eq!(svar_status, StatusCode::NOT_FOUND, "{hvad}: forventede 404");
    assert!(tekst.contains(IKKE_ADGANG), "{hvad}: »{IKKE_ADGANG}« mangler i\n{tekst}");
}

/// Another company's case id in the URL: "not found", exactly as for an id that does not exist.
async fn anden_virksomheds_sag(app: TestApp) {
    let d = Datoer::nu();
    let (id, _lone, _) = sag_til(&app, Maal::Trin3, &d).await;
    let foer_sag = sag_raekke(&app, id).await;
    let foer = antal(&app).await;
    let jens = Person::ny(&app, JENS).await;
    for sti in [sag_sti(id), trin_sti(id, 1), trin_sti(id, 3), trin_sti(id, 5), sag_sti(id + 100_000)] {
        let s = jens.hent(&sti).await;
        ikke_fundet(s.status, &s.al_tekst(), &format!("GET {sti} som Fynsk Byg"));
    }
    let version = foer_sag.version.to_string();
    for (sti, felter) in [
        (trin_sti(id, 1), vec![("version", version.as_str()), ("pnummer", "1004567891"), ("konfliktramt", "nej")]),
        (format!("/sager/{id}/indsend"), vec![("version", version.as_str())]),
        (format!("/sager/{id}/handling/godkend-bevilling"), vec![("version", version.as_str())]),
    ] {
        let svar = jens.post(&sti, &felter).await;
        ikke_fundet(svar.status, &svar.tekst(), &format!("POST {sti} som Fynsk Byg"));
    }
    assert_eq!(sag_raekke(&app, id).await, foer_sag, "den anden virksomhed ændrede sagen");
    assert_eq!(antal(&app).await, foer);
}

/// A caseworker of another jobcentre neither sees nor acts on the case; the right one does.
async fn anden_jobcenters_sagsbehandler(app: TestApp) {
    let d = Datoer::nu();
    let (id, _lone, karen) = sag_til(&app, Maal::Modtaget, &d).await;
    let foer_sag = sag_raekke(&app, id).await;
    let foer = antal(&app).await;
    let rasmus = Person::ny(&app, RASMUS).await;
    let liste = rasmus.hent_ok("/sager").await;
    assert!(!liste.har_link(&sag_sti(id)), "sagen står på Aarhus' liste");
    for sti in [sag_sti(id), format!("/sager/{id}/afvis")] {
        let s = rasmus.hent(&sti).await;
        ikke_fundet(s.status, &s.al_tekst(), &format!("GET {sti} som Aarhus"));
    }
    let version = foer_sag.version.to_string();
    for sti in [format!("/sager/{id}/handling/godkend-ansoegning"), format!("/sager/{id}/afvis")] {
        let svar = rasmus.post(&sti, &[("version", &version), ("afvisningstekst", "Nej")]).await;
        ikke_fundet(svar.status, &svar.tekst(), &format!("POST {sti} som Aarhus"));
    }
    assert_eq!(sag_raekke(&app, id).await, foer_sag, "Aarhus ændrede sagen");
    assert_eq!(antal(&app).await, foer);
    // The caseworker of the citizen's own jobcentre can.
    let side = karen.hent_ok(&sag_sti(id)).await;
    assert!(side.har_id("godkend-ansoegning"), "Karen skal kunne godkende\n{}", side.html);
}

paa_begge_databaser!(anden_virksomheds_sag, anden_jobcenters_sagsbehandler);

/// A Danish explanation of a refused action, not a stack trace.
fn dansk_afvisning(svar: &Svar, hvad: &str) {
    assert_ne!(svar.status, StatusCode::INTERNAL_SERVER_ERROR, "{hvad}: 500\n{}", svar.html);
    let t = svar.tekst();
    assert!(
        ["kan ikke udføres", "ændret af en anden", "kan du ikke", "Sagen findes ikke"].iter().any(|s| t.contains(s)),
        "{hvad}: ingen dansk forklaring i\n{t}"
    );
}

/// An action in the wrong state (approving a grant twice; the same form posted again): 409
/// or 422 with a Danish message, and the case is as after the first click.
async fn handling_i_forkert_tilstand(app: TestApp) {
    let d = Datoer::nu();
    let (id, lone, karen) = sag_til(&app, Maal::AfventerVirksomhed, &d).await;
    let side = lone.hent_ok(&sag_sti(id)).await;
    let godkend = side.formular_krav("godkend-bevilling");
    lone.send(&godkend).await.viderestilling();
    let efter_sag = sag_raekke(&app, id).await;
    let efter = antal(&app).await;
    assert_eq!(efter_sag.afgoerelse_status.as_deref(), Some("godkendt_af_virksomhed"));

    let igen = lone.send(&godkend).await;
    assert!(
        igen.status == StatusCode::CONFLICT || igen.status == StatusCode::UNPROCESSABLE_ENTITY,
        "godkend bevilling to gange: forventede 409 eller 422, fik {}",
        igen.status
    );
    dansk_afvisning(&igen, "godkend bevilling to gange");
    // With the current version too: the state, not the version, refuses it.
    let version = efter_sag.version.to_string();
    let svar = lone.post(&format!("/sager/{id}/handling/godkend-bevilling"), &[("version", &version)]).await;
    assert_eq!(svar.status, StatusCode::CONFLICT, "godkend bevilling i forkert tilstand");
    dansk_afvisning(&svar, "godkend bevilling i forkert tilstand");
    // The caseworker approving the application again.
    let svar = karen.post(&format!("/sager/{id}/handling/godkend-ansoegning"), &[("version", &version)]).await;
    assert_eq!(svar.status, StatusCode::CONFLICT, "godkend ansøgning igen");
    dansk_afvisning(&svar, "godkend ansøgning igen");
    // The company trying the caseworker's action: refused for its role.
    let svar = lone.post(&format!("/sager/{id}/handling/godkend-forlaengelse"), &[("version", &version)]).await;
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND, StatusCode::CONFLICT].contains(&svar.status),
        "virksomheden godkender forlængelse: {}",
        svar.status
    );
    dansk_afvisning(&svar, "virksomheden godkender forlængelse");
    assert_eq!(sag_raekke(&app, id).await, efter_sag);
    assert_eq!(antal(&app).await, efter);
}

paa_begge_databaser!(handling_i_forkert_tilstand);

/// A form on a grant that answers 422: the Danish message, the typed values kept, the case as
/// it was.
async fn afvist_formular(
    app: &TestApp,
    p: &Person,
    id: i64,
    link_id: &str,
    knap: &str,
    felter: &[(&str, &str)],
    besked: &str,
) {
    let foer_sag = sag_raekke(app, id).await;
    let foer = antal(app).await;
    let side = p.hent_ok(&sag_sti(id)).await;
    let href = side.href(link_id);
    let f = p.hent_ok(&href).await;
    let svar = p.klik(&f, knap, felter).await;
    assert_eq!(svar.status, StatusCode::UNPROCESSABLE_ENTITY, "{knap}: forventede 422\n{}", svar.html);
    assert!(svar.tekst().contains(besked), "{knap}: »{besked}« mangler\n{}", svar.html);
    let igen = svar.side().formular_krav(knap);
    for (n, v) in felter.iter().filter(|(n, _)| *n != "ansaettelsesbrev_gaelder") {
        assert_eq!(igen.felt(n), Some(*v), "{knap}: feltet {n} beholder det indtastede");
    }
    assert_eq!(sag_raekke(app, id).await, foer_sag, "{knap}: sagen ændret trods fejl");
    assert_eq!(antal(app).await, foer, "{knap}: rækker skrevet trods fejl");
}

/// Termination before the grant starts, and extensions that do not extend.
async fn ophoer_og_forlaengelse_med_forkerte_datoer(app: TestApp) {
    let d = Datoer::nu();
    let (id, lone, _) = sag_til(&app, Maal::Bevilget, &d).await;
    let foer_start = iso(d.start - chrono::Duration::days(1));
    afvist_formular(
        &app,
        &lone,
        id,
        "registrer-ophoer",
        "send-ophoer",
        &[
            ("ophoersdato", &foer_start),
            ("aarsag", "0"),
            ("modtaget_tilskud", "12.000,00"),
            ("samlet_loenudgift", "250.000,00"),
        ],
        "Ophørsdatoen kan ikke ligge før bevillingens startdato",
    )
    .await;
    let foer_slut = iso(d.slut - chrono::Duration::days(1));
    afvist_formular(
        &app,
        &lone,
        id,
        "anmod-forlaengelse",
        "send-forlaengelse",
        &[("ny_slutdato", &foer_slut), ("ansaettelsesbrev_gaelder", "on"), ("jobindhold", "Lager")],
        "Den nye slutdato skal ligge efter den nuværende slutdato",
    )
    .await;
    let ny_slut = iso(d.ny_slut);
    let langt = "y".repeat(2001);
    afvist_formular(
        &app,
        &lone,
        id,
        "anmod-forlaengelse",
        "send-forlaengelse",
        &[("ny_slutdato", &ny_slut), ("ansaettelsesbrev_gaelder", "on"), ("jobindhold", &langt)],
        "Teksten må højst være 2000 tegn",
    )
    .await;
}

paa_begge_databaser!(ophoer_og_forlaengelse_med_forkerte_datoer);

/// A failure between the writes of a state change (issue 2 §7) over HTTP: an opaque 500,
/// nothing half-done, and the same click works afterwards.
async fn fejl_midt_i_en_tilstandsaendring(app: TestApp) {
    let d = Datoer::nu();
    let (id, lone, _) = sag_til(&app, Maal::AfventerVirksomhed, &d).await;
    for punkt in [Fejlpunkt::EfterSag, Fejlpunkt::EfterHaendelse] {
        let foer_sag = sag_raekke(&app, id).await;
        let foer = antal(&app).await;
        let side = lone.hent_ok(&sag_sti(id)).await;
        app.db.injicer_fejl(Some(punkt));
        let svar = lone.klik(&side, "godkend-bevilling", &[]).await;
        app.db.injicer_fejl(None);
        assert_eq!(svar.status, StatusCode::INTERNAL_SERVER_ERROR, "{punkt:?}");
        for intern in ["injected", "Injiceret", "EfterSag", "EfterHaendelse", "database"] {
            assert!(!svar.html.contains(intern), "{punkt:?}: 500-siden afslører »{intern}«");
        }
        assert_eq!(sag_raekke(&app, id).await, foer_sag, "{punkt:?}: sagen halvt ændret");
        assert_eq!(antal(&app).await, foer, "{punkt:?}: rækker efterladt");
    }
    let side = lone.hent_ok(&sag_sti(id)).await;
    lone.klik(&side, "godkend-bevilling", &[]).await.viderestilling();
    assert_eq!(sag_raekke(&app, id).await.afgoerelse_status.as_deref(), Some("godkendt_af_virksomhed"));
}

paa_begge_databaser!(fejl_midt_i_en_tilstandsaendring);
