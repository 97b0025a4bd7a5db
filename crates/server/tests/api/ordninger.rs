//! Every company scheme whose form is built, walked over HTTP by one generic test (issue 13
//! §2): the company starts it from its front page, fills the scheme's steps, signs; the
//! representative is heard where the scheme has a hearing; the caseworker grants; the
//! company approves; the Get services answer under the scheme's tag; the application letter
//! carries the scheme's title; the company ends the grant with one of the scheme's reasons.
//! Nothing here names a scheme: the list comes from the profile table.

use chrono::Duration;
use domain::ordning::{Initiativ, Ordning};
use domain::skema::eksempel::{self, Udfyldning};
use domain::webservice::GetService;
use reqwest::StatusCode;

use crate::atomar::sag_raekke;
use crate::flow::{Datoer, KAREN, LONE, handling, hoering_token, iso, rep_godkender, sag_sti, trin_sti};
use crate::helpers::TestApp;
use crate::html::Person;

/// The company schemes whose whole life cycle is built.
fn virksomhedsordninger() -> Vec<Ordning> {
    Ordning::ALLE
        .into_iter()
        .filter(|o| o.bygget() && o.profil().livsforloeb.initiativ() == Initiativ::Virksomhed)
        .collect()
}

/// Valid values for every field any scheme's step may have: the write benchmark's values for
/// all of løntilskud's steps, plus the fields only some schemes have. Every step is posted
/// all of them; a step takes only its own fields from a post.
fn felter(d: &Datoer) -> Vec<(&'static str, String)> {
    let slut = d.start + Duration::days(60);
    let mut f: Vec<_> =
        (1..=5).flat_map(|n| server::bench_skriv::gyldige_felter(n, "010190-1234", d.start, slut)).collect();
    f.push(("formaal", "At afklare borgerens faglige kompetencer".into()));
    f.push(("uddannelse", "Elektriker".into()));
    f.push(("ansat_fra", "fra_ledighed".into()));
    f
}

/// A step's repeatable group's rows (issue 13 §2), filled with the domain's example values:
/// the group's minimum of rows, each field named `{key}-{row}-{field}`.
fn gruppefelter(skema: &domain::skema::Skemadata, n: u8, d: &Datoer) -> Vec<(String, String)> {
    let u =
        Udfyldning { pnummer: "1003456781", cpr: "010190-1234", start: d.start, slut: d.start + Duration::days(60) };
    match skema.trin(n) {
        Some(t) if t.gruppe().is_some() => {
            eksempel::post(t, &u).into_iter().filter(|(k, _)| t.felter().all(|f| f.navn != k)).collect()
        }
        _ => Vec::new(),
    }
}

async fn hele_vejen(app: &TestApp, ordning: Ordning) {
    let d = Datoer::nu();
    let profil = ordning.profil();
    let lone = Person::ny(app, LONE).await;
    let karen = Person::ny(app, KAREN).await;

    // 1. The company's front page offers this scheme.
    let forside = lone.hent_ok("/").await;
    let knap = format!("start-ny-ansoegning-{}", profil.kode);
    let til = lone.klik(&forside, &knap, &[]).await.viderestilling();
    let id: i64 = til
        .strip_prefix("/sager/")
        .and_then(|r| r.strip_suffix("/trin/1"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{knap}: forventede /sager/{{id}}/trin/1, fik {til}"));
    let skema = storage::sager::skemadata(&sag_raekke(app, id).await).expect("læselig").expect("bygget");
    assert_eq!(skema.ordning(), ordning, "kladden er gemt som sin egen ordning");
    let sidste = skema.opsummeringens_nummer();

    // 2. Every step, valid; the CPR looked up where a step asks for it.
    for n in 1..sidste {
        let side = lone.hent_ok(&trin_sti(id, n)).await;
        assert!(
            side.al_tekst().contains(&format!("Ansøgning om {}", profil.i_tekst())),
            "{ordning:?} trin {n}: overskriften nævner ordningen"
        );
        let mut alle: Vec<(String, String)> = felter(&d).into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        alle.extend(gruppefelter(&skema, n, &d));
        let f: Vec<(&str, &str)> = alle.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let side = if side.har_id("slaa-navn-op") {
            let svar = lone.klik(&side, "slaa-navn-op", &f).await;
            assert_eq!(svar.viderestilling(), trin_sti(id, n), "{ordning:?}: slå navn op");
            lone.hent_ok(&trin_sti(id, n)).await
        } else {
            side
        };
        // Issue 13 §2: a repeatable group's "Tilføj" saves what was typed and shows the step
        // again with a new, open row; that row's "Fjern" takes it away; the typed row stays.
        let side = match skema.trin(n).and_then(|t| t.gruppe()) {
            Some(g) => {
                let ny = g.mindst.max(1);
                let til = lone.klik(&side, &format!("tilfoej-{}", g.noegle), &f).await.viderestilling();
                assert_eq!(til, format!("{}?ny={ny}#raekke-{}-{ny}", trin_sti(id, n), g.noegle), "{ordning:?}: tilføj");
                let med_ny = lone.hent_ok(&til).await;
                let raekke = format!("raekke-{}-{ny}", g.noegle);
                assert!(med_ny.attr(&raekke, "open").is_some(), "{ordning:?}: den nye række er åben\n{}", med_ny.html);
                assert_eq!(med_ny.attr(&format!("raekke-{}-0", g.noegle), "data-komplet").as_deref(), Some("true"));
                let til = lone.klik(&med_ny, &format!("fjern-{}-{ny}", g.noegle), &[]).await.viderestilling();
                assert_eq!(til, format!("{}#felt-{}", trin_sti(id, n), g.noegle), "{ordning:?}: fjern");
                let side = lone.hent_ok(&trin_sti(id, n)).await;
                assert!(!side.har_id(&raekke), "{ordning:?}: rækken er fjernet");
                side
            }
            None => side,
        };
        let svar = lone.klik(&side, "gem-og-fortsaet", &f).await;
        assert_eq!(svar.viderestilling(), trin_sti(id, n + 1), "{ordning:?} trin {n}: Gem og fortsæt\n{}", svar.html);
    }

    // 3. The summary shows every step complete; sign and send.
    let opsummering = lone.hent_ok(&trin_sti(id, sidste)).await;
    for n in 1..sidste {
        assert_eq!(
            opsummering.attr(&format!("trin-link-{n}"), "data-komplet").as_deref(),
            Some("true"),
            "{ordning:?}: trin {n} er komplet"
        );
    }
    // Every row of every repeatable group is on the summary (issue 13 §2).
    let raekketitler: Vec<String> =
        (1..sidste).filter_map(|n| skema.trin(n).and_then(|t| t.gruppe())).map(|g| g.raekketitel(0)).collect();
    for t in &raekketitler {
        assert!(opsummering.al_tekst().contains(t.as_str()), "{ordning:?}: opsummeringen viser {t}");
    }
    let svar = lone.klik(&opsummering, "underskriv-og-send", &[("bemaerkning", "Tak")]).await;
    assert_eq!(svar.viderestilling_sti(), sag_sti(id), "{ordning:?}: underskriv og send");

    // 4. The hearing, where the scheme has one.
    if profil.livsforloeb.hoering() {
        rep_godkender(app, &hoering_token(app, id).await).await;
    }
    let s = sag_raekke(app, id).await;
    assert_eq!(s.ansoegning_status.as_deref(), Some("modtaget"), "{ordning:?}: jobcentret har ansøgningen");

    // 5. The caseworker sees what the company saw, and grants; the company approves.
    let sag = karen.hent_ok(&sag_sti(id)).await;
    assert!(sag.har_id("virksomhedens-bemaerkning"), "{ordning:?}: bemærkningen vises for sagsbehandleren");
    for t in &raekketitler {
        assert!(sag.al_tekst().contains(t.as_str()), "{ordning:?}: sagen viser {t}");
    }
    assert_eq!(
        sag.har_id("felt-tilskudsloft"),
        profil.tilskudsloft,
        "{ordning:?}: tilskudsloft kun hvor ordningen har det"
    );
    handling(&karen, id, "godkend-ansoegning").await;
    handling(&lone, id, "godkend-bevilling").await;
    let s = sag_raekke(app, id).await;
    assert_eq!(s.afgoerelse_status.as_deref(), Some("godkendt_af_virksomhed"), "{ordning:?}");

    // 6. The Get services that serve the scheme (seed 002 §1.1) answer under its tag; the
    // others refuse it.
    let token = crate::webservice::demo_token(app).await;
    let tjener = |g: GetService| profil.get_services().contains(&g);
    for (g, service) in [(GetService::Ansoegning, "ansoegning"), (GetService::Bevilling, "bevilling")] {
        let (status, j) = crate::webservice::kald(app, &token, &crate::webservice::sti(&s.uuid, service)).await;
        if tjener(g) {
            assert_eq!(status, StatusCode::OK, "{ordning:?} {service}: {j}");
            assert_eq!(j["virksomhedsordningSkabelon"], profil.kode, "{ordning:?} {service}: {j}");
        } else {
            assert_eq!(status, StatusCode::NOT_FOUND, "{ordning:?} {service} tjener ikke ordningen: {j}");
        }
    }

    // 7. The application letter carries the scheme's title.
    let t = crate::pdf::hent_pdf(&lone, id, "ansoegning").await;
    assert!(t.contains(&format!("Ansøgning om {}", profil.i_tekst())), "{ordning:?}: PDF'ens titel\n{t}");
    for r in &raekketitler {
        assert!(t.contains(r.as_str()), "{ordning:?}: PDF'en viser {r}\n{t}");
    }

    // 8. The company ends the grant with the scheme's first reason.
    let aarsag = profil.ophoersaarsager.first().expect("ordningen har ophørsårsager");
    let f = lone.hent_ok(&format!("/sager/{id}/ophoer")).await;
    assert_eq!(f.har_id("felt-modtaget_tilskud"), profil.tilskudsloft, "{ordning:?}: tilskudsfelterne");
    let ophoer = iso(d.start + Duration::days(30));
    let aarsag_id = aarsag.id.to_string();
    let mut post = vec![("ophoersdato", ophoer.as_str()), ("aarsag", aarsag_id.as_str()), ("undervalg", "")];
    if profil.tilskudsloft {
        post.extend([("modtaget_tilskud", "12.000,00"), ("samlet_loenudgift", "250.000,00")]);
    }
    lone.klik(&f, "send-ophoer", &post).await.viderestilling();
    let s = sag_raekke(app, id).await;
    assert_eq!(s.afgoerelse_status.as_deref(), Some("ophoert"), "{ordning:?}: bevillingen er ophørt");
    if tjener(GetService::Ophoer) {
        let (status, j) = crate::webservice::kald(app, &token, &crate::webservice::sti(&s.uuid, "ophoer")).await;
        assert_eq!(status, StatusCode::OK, "{ordning:?} ophoer: {j}");
        assert_eq!(j["virksomhedsordningSkabelon"], profil.kode);
        assert_eq!(j["ophoersaarsagId"], aarsag.id);
    }
}

/// Issue 13 §2: each built company scheme, applied for, heard, granted, approved and ended.
async fn hver_virksomhedsordning_hele_vejen(app: TestApp) {
    let ordninger = virksomhedsordninger();
    assert!(ordninger.len() >= 2, "mindst løntilskud og virksomhedspraktik: {ordninger:?}");
    for o in ordninger {
        hele_vejen(&app, o).await;
    }
}

paa_begge_databaser!(hver_virksomhedsordning_hele_vejen);

/// Issue 13 §2: in every built scheme with a repeatable group, a row's wrong field gets its
/// Danish message at that very input, what was typed is kept, and the row stays open with its
/// red "Mangler at blive udfyldt" until it is complete.
async fn en_raekkes_fejl_staar_ved_raekkens_felt(app: TestApp) {
    use domain::skema::felt::Feltart;
    let d = Datoer::nu();
    let lone = Person::ny(&app, LONE).await;
    let mut afproevet = 0;
    for ordning in virksomhedsordninger() {
        let forside = lone.hent_ok("/").await;
        let knap = format!("start-ny-ansoegning-{}", ordning.kode());
        let til = lone.klik(&forside, &knap, &[]).await.viderestilling();
        let id: i64 = til
            .strip_prefix("/sager/")
            .and_then(|r| r.strip_suffix("/trin/1"))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{knap}: {til}"));
        let skema = storage::sager::skemadata(&sag_raekke(&app, id).await).expect("læselig").expect("bygget");
        for n in 1..skema.opsummeringens_nummer() {
            let Some(g) = skema.trin(n).and_then(|t| t.gruppe()) else { continue };
            let dato = g.felter().find(|f| f.art == Feltart::Dato).expect("gruppen har en dato");
            let navn = g.feltnavn(0, dato.navn);
            let mut post = gruppefelter(&skema, n, &d);
            post.retain(|(k, _)| *k != navn);
            post.push((navn.clone(), "31-02-2027".into()));
            let post: Vec<(&str, &str)> = post.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let side = lone.hent_ok(&trin_sti(id, n)).await;
            let til = lone.klik(&side, "gem-og-fortsaet", &post).await.viderestilling();
            assert_eq!(til, format!("{}?gemt=fejl", trin_sti(id, n)), "{ordning:?} trin {n}");
            let side = lone.hent_ok(&til).await;
            assert!(side.har_id(&format!("fejl-{navn}")), "{ordning:?}: fejlen står ved {navn}\n{}", side.html);
            assert_eq!(side.attr(&format!("felt-{navn}"), "value").as_deref(), Some("31-02-2027"), "{ordning:?}");
            let raekke = format!("raekke-{}-0", g.noegle);
            assert!(side.attr(&raekke, "open").is_some(), "{ordning:?}: rækken med fejl er åben");
            assert_eq!(side.attr(&raekke, "data-komplet").as_deref(), Some("false"), "{ordning:?}");
            assert!(side.al_tekst().contains("Mangler at blive udfyldt"), "{ordning:?}: det røde mærke");
            // A hand-edited "new row" mark is ignored, never refused.
            lone.hent_ok(&format!("{}?ny=x", trin_sti(id, n))).await;
            afproevet += 1;
        }
    }
    assert!(afproevet >= 2, "mindst jobrotationens to grupper: {afproevet}");
}

paa_begge_databaser!(en_raekkes_fejl_staar_ved_raekkens_felt);
