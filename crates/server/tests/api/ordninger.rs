//! Every company scheme whose form is built, walked over HTTP by one generic test (issue 13
//! §2): the company starts it from its front page, fills the scheme's steps, signs; the
//! representative is heard where the scheme has a hearing, and the citizen signs where the
//! life cycle has the citizen's signature; the caseworker grants; the company approves; the
//! Get services answer under the scheme's tag; the application letter carries the scheme's
//! title; the company ends the grant with one of the scheme's reasons. Nothing here names a
//! scheme: the list comes from the profile table.

use chrono::Duration;
use domain::ordning::{Initiativ, Livsforloeb, Ordning};
use domain::skema::Skemadata;
use domain::skema::eksempel::{self, Udfyldning, vaerdi};
use domain::webservice::GetService;
use reqwest::StatusCode;

use crate::atomar::sag_raekke;
use crate::flow::{
    BORGER_MITID, Datoer, IKKE_ADGANG, KAREN, LONE, handling, hoering_token, iso, rep_godkender, sag_sti, som_ref,
    trin_sti,
};
use crate::helpers::TestApp;
use crate::html::Person;

/// The company schemes whose whole life cycle is built.
/// Other citizens in DFDG's local registry (the demo world), one for each group of citizens.
const ANDRE_BORGERE: [&str; 3] = ["150385-2345", "220779-3456", "030300-1234"];

fn virksomhedsordninger() -> Vec<Ordning> {
    Ordning::ALLE
        .into_iter()
        .filter(|o| o.bygget() && o.profil().livsforloeb.initiativ() == Initiativ::Virksomhed)
        .collect()
}

/// Valid values for every field any scheme's step may have: the write benchmark's values for
/// all of løntilskud's steps, and for the fields only other schemes have, the example value
/// of the field's kind (`skema::eksempel`). Every step is posted all of them; a step takes
/// only its own fields from a post.
fn felter(d: &Datoer) -> Vec<(&'static str, String)> {
    let slut = d.start + Duration::days(60);
    let mut f: Vec<_> = (1..=5)
        .flat_map(|n| tools::bench_skriv::gyldige_felter(n, "010190-1234", d.start, slut))
        .map(|(k, v)| if k == "timer" { (k, "37,3".to_string()) } else { (k, v) })
        .collect();
    let u = Udfyldning { pnummer: "1003456781", cpr: "010190-1234", start: d.start, slut };
    for o in virksomhedsordninger() {
        let s = Skemadata::ny(o, false, vec![]).expect("bygget");
        for felt in (1..s.opsummeringens_nummer()).filter_map(|n| s.trin(n)).flat_map(|t| t.felter()) {
            if !f.iter().any(|(n, _)| *n == felt.navn)
                && let Some(v) = vaerdi(felt, &u)
            {
                f.push((felt.navn, v));
            }
        }
    }
    f
}

/// A step's repeatable group's rows (issue 13 §2), filled with the domain's example values:
/// the group's minimum of rows, each field named `{key}-{row}-{field}`.
fn gruppefelter(skema: &Skemadata, n: u8, d: &Datoer) -> Vec<(String, String)> {
    let u =
        Udfyldning { pnummer: "1003456781", cpr: "010190-1234", start: d.start, slut: d.start + Duration::days(60) };
    match skema.trin(n) {
        Some(t) if t.gruppe().is_some() => {
            eksempel::post(t, &u).into_iter().filter(|(k, _)| t.felter().all(|f| f.navn != k)).collect()
        }
        _ => Vec::new(),
    }
}

/// The title of every first row of a repeatable group: each must show on the summary, the case
/// page and the letter (issue 13 §2).
fn raekketitler(skema: &Skemadata) -> Vec<String> {
    (1..skema.opsummeringens_nummer())
        .filter_map(|n| skema.trin(n).and_then(|t| t.gruppe()))
        .map(|g| g.raekketitel(0))
        .collect()
}

/// Søg → Ansøgninger by a CPR number, as the user types it in the search form (the address
/// that follows holds a reference, not the CPR).
pub async fn soeg_cpr(p: &Person, cpr: &str) -> crate::html::Side {
    let soeg = p.hent_ok("/soeg?fane=ansoegninger").await;
    let mut form = soeg.formular_krav("soeg-knap");
    form.saet("cpr", cpr);
    let til = p.send(&form).await.viderestilling();
    p.hent_ok(&til).await
}

/// Steps 1–3 of the walk: the company starts the scheme from its front page, fills every step
/// and signs and sends from the summary. The case's id.
async fn udfyldt_og_sendt(app: &TestApp, lone: &Person, ordning: Ordning, d: &Datoer) -> i64 {
    let profil = ordning.profil();
    // 1. The company's front page offers this scheme.
    let forside = lone.hent_ok("/").await;
    let knap = format!("start-ny-ansoegning-{}", profil.kode);
    let til = lone.klik(&forside, &knap, &[]).await.viderestilling();
    let id: i64 = til
        .strip_prefix("/sager/")
        .and_then(|r| r.strip_suffix("/trin/1"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{knap}: forventede /sager/{{id}}/trin/1, fik {til}"));
    let skema =
        storage::sager::skemadata(&app.db.conn, &sag_raekke(app, id).await).await.expect("læselig").expect("bygget");
    assert_eq!(skema.ordning(), ordning, "kladden er gemt som sin egen ordning");
    let sidste = skema.opsummeringens_nummer();

    // 2. Every step, valid; the CPR looked up where a step asks for it.
    let mut andre_borgere = ANDRE_BORGERE.into_iter();
    for n in 1..sidste {
        let side = lone.hent_ok(&trin_sti(id, n)).await;
        assert!(side.al_tekst().contains(&profil.titel()), "{ordning:?} trin {n}: overskriften nævner ordningen");
        let mut alle: Vec<(String, String)> = felter(d).into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        alle.extend(gruppefelter(&skema, n, d));
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
                // Decision 106: a group of citizens keeps its new row, filled with another
                // citizen and looked up in DFDG; Søg finds the case by them later.
                if g.felter().any(|felt| felt.art == domain::skema::felt::Feltart::Cpr) {
                    let u = Udfyldning {
                        pnummer: "1003456781",
                        cpr: andre_borgere.next().expect("en borger mere i DFDG"),
                        start: d.start,
                        slut: d.start + Duration::days(60),
                    };
                    alle.retain(|(k, _)| *k != g.antal_navn());
                    alle.push((g.antal_navn(), (ny + 1).to_string()));
                    alle.extend(g.felter().filter_map(|felt| vaerdi(felt, &u).map(|v| (g.feltnavn(ny, felt.navn), v))));
                    let f: Vec<(&str, &str)> = alle.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                    // A row's name is looked up in DFDG when the step is saved.
                    let svar = lone.klik(&med_ny, "gem-og-fortsaet", &f).await;
                    assert_eq!(
                        svar.viderestilling(),
                        trin_sti(id, n + 1),
                        "{ordning:?} trin {n} med to rækker\n{}",
                        svar.html
                    );
                    continue;
                }
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
    for t in raekketitler(&skema) {
        assert!(opsummering.al_tekst().contains(t.as_str()), "{ordning:?}: opsummeringen viser {t}");
    }
    let svar = lone.klik(&opsummering, "underskriv-og-send", &[("bemaerkning", "Tak")]).await;
    assert_eq!(svar.viderestilling_sti(), sag_sti(id), "{ordning:?}: underskriv og send");
    id
}

async fn hele_vejen(app: &TestApp, ordning: Ordning) {
    let d = Datoer::nu();
    let profil = ordning.profil();
    let lone = Person::ny(app, LONE).await;
    let karen = Person::ny(app, KAREN).await;
    let id = udfyldt_og_sendt(app, &lone, ordning, &d).await;

    // 4. The hearing, where the scheme has one.
    if profil.livsforloeb.hoering() {
        rep_godkender(app, &hoering_token(app, id).await).await;
    }
    // 4b. The citizen reads and signs, where the life cycle has the citizen's signature.
    if profil.livsforloeb == Livsforloeb::AftaleMedBorger {
        borgeren_underskriver(app, id, ordning).await;
    }
    let s = sag_raekke(app, id).await;
    assert_eq!(s.ansoegning_status.as_deref(), Some("modtaget"), "{ordning:?}: jobcentret har ansøgningen");

    // 5. The caseworker sees what the company saw, and grants; the company approves.
    let sag = karen.hent_ok(&sag_sti(id)).await;
    assert!(sag.har_id("virksomhedens-bemaerkning"), "{ordning:?}: bemærkningen vises for sagsbehandleren");
    let skema =
        storage::sager::skemadata(&app.db.conn, &sag_raekke(app, id).await).await.expect("læselig").expect("bygget");
    // Decision 106: Søg finds the case by every other citizen its form names, not only by the
    // case's own.
    for cpr in storage::sager::oevrige_personer(&skema) {
        let fund = soeg_cpr(&karen, &cpr).await;
        assert!(fund.har_id(&format!("raekke-{id}")), "{ordning:?}: Søg på CPR {cpr} finder sagen\n{}", fund.html);
    }
    if domain::skema::Skemadata::kan_naevne_flere_personer(ordning) {
        assert!(!storage::sager::oevrige_personer(&skema).is_empty(), "{ordning:?}: formularen nævner to borgere");
    }
    for t in raekketitler(&skema) {
        assert!(sag.al_tekst().contains(t.as_str()), "{ordning:?}: sagen viser {t}");
    }
    // The decision's own fields are the profile's (the subsidy cap, the work intensity) and
    // no other scheme's.
    for a in domain::afgoerelse::Afgoerelsesfelt::ALLE {
        let felt = format!("felt-{}", a.felt().navn);
        assert_eq!(sag.har_id(&felt), profil.afgoerelsesfelter.contains(&a), "{ordning:?}: {felt}");
    }
    let afgoerelse: Vec<(&str, &str)> =
        profil.afgoerelsesfelter.iter().map(|a| (a.felt().navn, a.eksempel())).collect();
    karen.klik(&sag, "godkend-ansoegning", &afgoerelse).await.viderestilling();
    handling(&lone, id, "godkend-bevilling").await;
    let s = sag_raekke(app, id).await;
    assert_eq!(s.afgoerelse_status.as_deref(), Some("godkendt_af_virksomhed"), "{ordning:?}");

    // 6. The Get services that serve the scheme answer under its tag (seed 002 §1.1).
    let token = crate::webservice::demo_token(app).await;
    let services = profil.get_services();
    for service in
        services.iter().filter(|s| matches!(s, GetService::Ansoegning | GetService::Bevilling | GetService::Aftale))
    {
        let sti = crate::webservice::sti(&s.uuid, service.sti());
        let (status, j) = crate::webservice::kald(app, &token, &sti).await;
        assert_eq!(status, StatusCode::OK, "{ordning:?} {service:?}: {j}");
        assert_eq!(j["virksomhedsordningSkabelon"], profil.kode, "{ordning:?} {service:?}: {j}");
        // DOMAIN.md "Web services": hours as hours and minutes, the minutes rounded up to the
        // next quarter (the walk posts 37,3 hours: 37 h 30 min).
        if let Some(h) = s.timer_hundrededele.filter(|_| j["ansaettelse"].is_object()) {
            let minutter = (u32::try_from(h % 100).expect("hundrededele") * 60).div_ceil(100).div_ceil(15) * 15;
            let (timer, minutter) = (u32::try_from(h / 100).expect("timer") + minutter / 60, minutter % 60);
            let t = &j["ansaettelse"]["timerPrUge"];
            assert_eq!(
                (t["timer"].as_u64(), t["minutter"].as_u64()),
                (Some(timer.into()), Some(minutter.into())),
                "{ordning:?} {service:?}: {j}"
            );
        }
    }

    // 7. The application letter carries the scheme's title.
    let t = crate::pdf::hent_pdf(&lone, id, "ansoegning").await;
    assert!(t.contains(&profil.titel()), "{ordning:?}: PDF'ens titel\n{t}");
    for r in raekketitler(&skema) {
        assert!(t.contains(r.as_str()), "{ordning:?}: PDF'en viser {r}\n{t}");
    }
    if profil.livsforloeb == Livsforloeb::AftaleMedBorger {
        assert!(t.contains("Underskrevet af borgeren"), "{ordning:?}: borgerens underskrift i brevet\n{t}");
    }

    // 8. The company ends the grant with the scheme's first reason.
    let aarsag = profil.ophoersaarsager.first().expect("ordningen har ophørsårsager");
    let f = lone.hent_ok(&format!("/sager/{id}/ophoer")).await;
    assert_eq!(f.har_id("felt-modtaget_tilskud"), profil.tilskudsloft(), "{ordning:?}: tilskudsfelterne");
    let ophoer = iso(d.start + Duration::days(30));
    let aarsag_id = aarsag.id.to_string();
    let mut post = vec![("ophoersdato", ophoer.as_str()), ("aarsag", aarsag_id.as_str()), ("undervalg", "")];
    if profil.tilskudsloft() {
        post.extend([("modtaget_tilskud", "12.000,00"), ("samlet_loenudgift", "250.000,00")]);
    }
    lone.klik(&f, "send-ophoer", &post).await.viderestilling();
    assert_eq!(sag_raekke(app, id).await.afgoerelse_status.as_deref(), Some("ophoert"), "{ordning:?}");
    if services.contains(&GetService::Ophoer) {
        let (status, j) = crate::webservice::kald(app, &token, &crate::webservice::sti(&s.uuid, "ophoer")).await;
        assert_eq!(status, StatusCode::OK, "{ordning:?} ophoer: {j}");
        assert_eq!(j["virksomhedsordningSkabelon"], profil.kode);
        assert_eq!(j["ophoersaarsagId"], aarsag.id);
        // Seed 002 §2.2: both the current and the original end date.
        assert!(j["aktuelSlutdato"].is_string() && j["oprindeligSlutdato"].is_string(), "{ordning:?}: {j}");
    }
}

/// The citizen of the case logs in (MitID; the demo's one click), finds the agreement among
/// their own, reads it, and signs; the signature shows with date and time (issue 13 §2).
async fn borgeren_underskriver(app: &TestApp, id: i64, ordning: Ordning) {
    let s = sag_raekke(app, id).await;
    assert_eq!(s.ansoegning_status.as_deref(), Some("sendt_til_borger"), "{ordning:?}: hos borgeren");
    assert!(s.modtaget_dato.is_none(), "{ordning:?}: jobcentret har den ikke endnu");
    let anna = Person::ny(app, BORGER_MITID).await;
    let forside = anna.hent_ok("/").await;
    assert!(forside.har_id(&format!("sag-{id}")) || forside.html.contains(&sag_sti(id)), "{ordning:?}: Dine aftaler");
    let side = anna.hent_ok(&sag_sti(id)).await;
    assert!(side.har_id("aftale"), "{ordning:?}: borgeren ser aftalens indhold");
    assert!(side.har_id("afvis-aftale"), "{ordning:?}: borgeren kan afvise");
    let svar = anna.klik(&side, "underskriv-aftale", &[]).await;
    assert_eq!(svar.viderestilling_sti(), sag_sti(id), "{ordning:?}: underskriv aftale");
    let s = sag_raekke(app, id).await;
    assert_eq!(s.ansoegning_status.as_deref(), Some("modtaget"), "{ordning:?}: jobcentret har aftalen");
    assert!(s.modtaget_dato.is_some(), "{ordning:?}: modtaget dato");
    let side = anna.hent_ok(&sag_sti(id)).await;
    assert!(side.al_tekst().contains("Underskrevet af borgeren"), "{ordning:?}: borgerens underskrift vises");
    assert!(side.al_tekst().contains(" kl. "), "{ordning:?}: med dato og klokkeslæt");
    assert!(!side.har_id("underskriv-aftale"), "{ordning:?}: kun én underskrift");
}

/// The schemes whose life cycle has the citizen's signature.
fn aftaleordninger() -> Vec<Ordning> {
    virksomhedsordninger().into_iter().filter(|o| o.profil().livsforloeb == Livsforloeb::AftaleMedBorger).collect()
}

/// Issue 13 §2: the citizen sees their own agreements and nothing else. Another citizen gets
/// "not found" for the case and for signing it (the policy's IkkeAdgang); the citizen has no
/// lists, no Søg and no export, and does not see their own case of a scheme they do not sign.
/// Søg's IGU tab finds the agreement by CPR. The citizen's decline ends the agreement.
async fn borgeren_ser_kun_egne_aftaler(app: TestApp) {
    let ordninger = aftaleordninger();
    assert!(!ordninger.is_empty(), "mindst én ordning med borgerens underskrift");
    let d = Datoer::nu();
    let lone = Person::ny(&app, LONE).await;
    let anna = Person::ny(&app, BORGER_MITID).await;
    let mads = Person::ny(&app, crate::flow::REP_MITID).await;
    let karen = Person::ny(&app, KAREN).await;
    for ordning in ordninger {
        let id = udfyldt_og_sendt(&app, &lone, ordning, &d).await;
        // Decision 99: the citizen, who has a VITAS user, is e-mailed the agreement to sign; the
        // notification says where it is (every state change notifies, issue 4).
        let ob = storage::sager::outbox_for_sag(&app.db, id).await.expect("outbox");
        let mails: Vec<storage::sager::Email> =
            ob.iter().filter(|o| o.art == "email").filter_map(|o| serde_json::from_str(&o.payload).ok()).collect();
        let til_borger = mails.iter().find(|m| m.til == BORGER_MITID).expect("e-mail til borgeren");
        assert!(til_borger.emne.contains("til underskrift"), "{til_borger:?}");
        assert!(!til_borger.tekst.contains("0101901234") && !til_borger.tekst.contains("010190-1234"), "intet CPR");
        let notifikation = ob.iter().rev().find(|o| o.art == "notifikation").expect("notifikation");
        assert!(notifikation.payload.contains("sendt_til_borger"), "{}", notifikation.payload);
        // Another citizen: not found, to read and to sign.
        let side = mads.hent(&sag_sti(id)).await;
        assert_eq!(side.status, StatusCode::NOT_FOUND, "{ordning:?}: en anden borger ser ikke aftalen");
        assert!(side.al_tekst().contains(IKKE_ADGANG), "{ordning:?}");
        let svar = mads.post(&format!("/sager/{id}/handling/underskriv-aftale"), &[]).await;
        assert_eq!(svar.status, StatusCode::NOT_FOUND, "{ordning:?}: en anden borger kan ikke underskrive");
        assert_eq!(sag_raekke(&app, id).await.ansoegning_status.as_deref(), Some("sendt_til_borger"));
        // The citizen's own front page lists it; the menu has nothing else.
        let forside = anna.hent_ok("/").await;
        assert!(forside.html.contains(&sag_sti(id)), "{ordning:?}: Dine aftaler viser aftalen");
        assert!(forside.al_tekst().contains("Dine aftaler"));
        assert!(!forside.har_link("/soeg"), "{ordning:?}: borgeren har ikke Søg");
        let alle = anna.hent_ok("/sager").await;
        assert!(alle.html.contains(&sag_sti(id)) && !alle.al_tekst().contains("Søg"), "{ordning:?}: alle dine aftaler");
        for sti in ["/soeg", "/soeg?fane=igu", "/lister/ansoegninger", "/lister/bevillinger", "/excel/soeg-igu"] {
            assert_eq!(anna.hent(sti).await.status, StatusCode::NOT_FOUND, "{sti}: ikke for borgeren");
        }
        // The jobcentre's pages: the administration does not exist for her, and the case's
        // jobcentre actions are refused by role on her own agreement.
        for sti in ["/admin/leveringer", "/admin/indsigt"] {
            assert!(anna.hent(sti).await.status.is_client_error(), "{sti}: ikke for borgeren");
        }
        let afvis = anna.hent(&format!("/sager/{id}/afvis")).await;
        assert_eq!(afvis.status, StatusCode::FORBIDDEN, "borgeren kan ikke afvise på jobcentrets vegne");
        let svar = anna.post(&format!("/sager/{id}/handling/godkend-ansoegning"), &[]).await;
        assert_eq!(svar.status, StatusCode::FORBIDDEN, "borgeren kan ikke godkende på jobcentrets vegne");
        // Søg's IGU tab finds the agreement by the citizen's CPR.
        let soeg = karen.hent_ok("/soeg?fane=igu").await;
        let mut form = soeg.formular_krav("soeg-knap");
        form.saet("cpr", "010190-1234");
        let til = karen.send(&form).await.viderestilling();
        let liste = karen.hent_ok(&til).await;
        assert!(liste.html.contains(&sag_sti(id)), "{ordning:?}: Søg → IGU-aftaler finder aftalen på CPR");
        assert!(liste.al_tekst().contains("Sendt til borgeren"), "{ordning:?}: aftalens status i listen");
        // The citizen declines: the agreement ends there, and the company is told.
        let side = anna.hent_ok(&sag_sti(id)).await;
        let svar = anna.klik(&side, "afvis-aftale", &[]).await;
        assert_eq!(svar.viderestilling_sti(), sag_sti(id));
        let s = sag_raekke(&app, id).await;
        assert_eq!(s.ansoegning_status.as_deref(), Some("afvist_af_borger"), "{ordning:?}");
        assert!(s.jobcenter_id.is_some() && s.modtaget_dato.is_none(), "{ordning:?}");
        let ob = storage::sager::outbox_for_sag(&app.db, id).await.expect("outbox");
        assert!(
            ob.iter().any(|o| o.art == "email" && o.payload.contains("afvist af borgeren")),
            "{ordning:?}: virksomheden får besked om afvisningen"
        );
    }
    // A case of a scheme the citizen does not sign, with her CPR: not hers to see.
    let andre = virksomhedsordninger().into_iter().find(|o| !o.borger_underskriver()).expect("en anden ordning");
    let id = udfyldt_og_sendt(&app, &lone, andre, &d).await;
    assert_eq!(anna.hent(&sag_sti(id)).await.status, StatusCode::NOT_FOUND, "{andre:?}");
    assert!(!anna.hent_ok("/").await.html.contains(&sag_sti(id)), "{andre:?}");
}

/// Issue 13 §2: each built company scheme, applied for, heard, granted, approved and ended.
async fn hver_virksomhedsordning_hele_vejen(app: TestApp) {
    let ordninger = virksomhedsordninger();
    assert!(ordninger.len() >= 2, "mindst løntilskud og virksomhedspraktik: {ordninger:?}");
    for o in ordninger {
        hele_vejen(&app, o).await;
    }
}

paa_begge_databaser!(hver_virksomhedsordning_hele_vejen, borgeren_ser_kun_egne_aftaler);

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
        let skema = storage::sager::skemadata(&app.db.conn, &sag_raekke(&app, id).await)
            .await
            .expect("læselig")
            .expect("bygget");
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

/// Seed 001 §3.3 and seed 002 §4.2 over HTTP: the company cannot ask for a permanent fleksjob
/// for a person employed in their own company (the step says why, and keeps what was typed);
/// the caseworker's assessment needs the work intensity in % with decimals, a wrong one shows
/// the form again with the value kept, and the assessment, the case page and GetBevilling
/// carry it.
async fn fleksjobvurdering_med_arbejdsintensitet(app: TestApp) {
    let ordning = Ordning::Fleksjob;
    let d = Datoer::nu();
    let lone = Person::ny(&app, LONE).await;
    let karen = Person::ny(&app, KAREN).await;

    // The rule on the company's step.
    let forside = lone.hent_ok("/").await;
    let til = lone.klik(&forside, &format!("start-ny-ansoegning-{}", ordning.kode()), &[]).await.viderestilling();
    let trin2 = til.replace("/trin/1", "/trin/2");
    let side = lone.hent_ok(&trin2).await;
    let svar = lone.klik(&side, "gem-og-fortsaet", &[("fleksjobtype", "permanent"), ("egen_virksomhed", "ja")]).await;
    assert_eq!(svar.viderestilling(), format!("{trin2}?gemt=fejl"), "trinnet gemmes med fejl");
    let side = lone.hent_ok(&format!("{trin2}?gemt=fejl")).await;
    let tekst = side.al_tekst();
    assert!(tekst.contains("Et permanent fleksjob kan ikke bevilges"), "{tekst}");
    assert!(tekst.contains("kapitel 20"), "beskeden henviser til reglen");
    assert!(side.attr("felt-egen_virksomhed-ja", "checked").is_some(), "svaret er bevaret");

    // The assessment.
    let id = udfyldt_og_sendt(&app, &lone, ordning, &d).await;
    let sag = karen.hent_ok(&sag_sti(id)).await;
    assert!(sag.al_tekst().contains("Ingen fleksjobvurdering endnu"), "{}", sag.al_tekst());
    let svar = karen.klik(&sag, "godkend-ansoegning", &[("arbejdsintensitet", "100")]).await;
    assert_eq!(svar.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(svar.html.contains("Arbejdsintensiteten skal være over 0 og under 100 %"), "{}", svar.html);
    assert!(svar.html.contains(r#"value="100""#), "det indtastede er bevaret");
    assert_eq!(sag_raekke(&app, id).await.ansoegning_status.as_deref(), Some("modtaget"), "intet er gemt");
    let sag = karen.hent_ok(&sag_sti(id)).await;
    karen.klik(&sag, "godkend-ansoegning", &[("arbejdsintensitet", "42,25")]).await.viderestilling();
    let sag = karen.hent_ok(&sag_sti(id)).await;
    let tekst = sag.al_tekst();
    assert!(tekst.contains("Fleksjobvurdering"), "{tekst}");
    assert!(tekst.contains("42,25 %"), "{tekst}");

    let s = sag_raekke(&app, id).await;
    let token = crate::webservice::demo_token(&app).await;
    let (status, j) = crate::webservice::kald(&app, &token, &crate::webservice::sti(&s.uuid, "bevilling")).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    assert_eq!(j["arbejdsintensitetProcent"], 42.25, "{j}");
    let (_, j) = crate::webservice::kald(&app, &token, &crate::webservice::sti(&s.uuid, "ansoegning")).await;
    assert_eq!(j["fleksjobtype"], "midlertidigt", "{j}");
    assert_eq!(j["ansatIEgenVirksomhed"], false, "{j}");
}

paa_begge_databaser!(fleksjobvurdering_med_arbejdsintensitet);

/// Seed 004 ("CPR-nummer …, hvis virksomheden selv har fundet vedkommende"): an application
/// that is not earmarked is sent with no CPR, and goes to the jobcentre of the workplace's
/// municipality (decision 102); the case row names no citizen. An earmarked one still needs
/// the CPR.
async fn uden_cpr_til_arbejdsstedets_jobcenter(app: TestApp) {
    let d = Datoer::nu();
    let lone = Person::ny(&app, LONE).await;
    let forside = lone.hent_ok("/").await;
    let til = lone.klik(&forside, "start-ny-ansoegning-loentilskud", &[]).await.viderestilling();
    let id: i64 = til.trim_start_matches("/sager/").trim_end_matches("/trin/1").parse().expect("id");
    // The Aarhus terminal (kommune 0751), where none of the demo citizens lives.
    let mut f: Vec<(&'static str, String)> =
        felter(&d).into_iter().filter(|(n, _)| !matches!(*n, "samtykke" | "cpr" | "oeremaerket" | "pnummer")).collect();
    f.extend([("pnummer", "1003456782".to_string()), ("oeremaerket", "ja".to_string())]);
    let skema =
        storage::sager::skemadata(&app.db.conn, &sag_raekke(&app, id).await).await.expect("læselig").expect("bygget");
    let sidste = skema.opsummeringens_nummer();
    let cpr_trin = (1..sidste)
        .find(|n| skema.trin(*n).is_some_and(|t| t.felter().any(|x| x.navn == "cpr")))
        .expect("et trin spørger om CPR");

    // Earmarked: the CPR is required.
    let side = lone.hent_ok(&trin_sti(id, cpr_trin)).await;
    let svar = lone.klik(&side, "gem-og-fortsaet", &som_ref(&f)).await;
    assert_eq!(svar.viderestilling(), format!("{}?gemt=fejl", trin_sti(id, cpr_trin)), "øremærket uden CPR");

    // Not earmarked: every step is complete without a CPR.
    f.retain(|(n, _)| *n != "oeremaerket");
    f.push(("oeremaerket", "nej".to_string()));
    for n in 1..sidste {
        let side = lone.hent_ok(&trin_sti(id, n)).await;
        let svar = lone.klik(&side, "gem-og-fortsaet", &som_ref(&f)).await;
        assert_eq!(svar.viderestilling(), trin_sti(id, n + 1), "trin {n}\n{}", svar.html);
    }
    let opsummering = lone.hent_ok(&trin_sti(id, sidste)).await;
    let svar = lone.klik(&opsummering, "underskriv-og-send", &[]).await;
    assert_eq!(svar.viderestilling_sti(), sag_sti(id), "{}", svar.html);
    let s = sag_raekke(&app, id).await;
    assert_eq!(s.jobcenter_id, Some(crate::atomar::jobcenter_id(&app, "0751").await), "arbejdsstedets jobcenter");
    assert_eq!((s.cpr, s.borger_navn), (None, None), "sagen nævner ingen borger");
    assert_eq!(s.ansoegning_status.as_deref(), Some("sendt_til_medarbejder_rep"));
}

paa_begge_databaser!(uden_cpr_til_arbejdsstedets_jobcenter);
