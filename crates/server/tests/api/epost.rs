//! Issue 4 §5: e-mails go out over SMTP to a REAL server (aiosmtpd, started here with the
//! handler in `smtp_postkasse.py`), with the jobcentre as sender, the VITAS id in the
//! subject, a Message-ID from the outbox row and the text as rendered when the change was
//! made; an SMTP server that is down leaves the mail waiting until it is back; a permanent
//! rejection is dead at once; "Gensend" queues the same mail again; the demo mailbox lists
//! every mail in demo mode only.
//!
//! Without python3 and aiosmtpd the SMTP tests are skipped with a notice, except under CI
//! (`.ci/run` installs aiosmtpd).

use crate::atomar::{indsend, jobcenter_id, nordlys, ny_kladde, sag_raekke, udfoerer};
use crate::flow::{Datoer, LONE, Maal, RASMUS, hoering_token, sag_sti, sag_til};
use crate::helpers::{TestApp, i_ci};
use crate::html::Person;
use chrono::{Duration, Utc};
use domain::policy::{Aktoer, Handling};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::net::SocketAddr;
use std::path::PathBuf;
use storage::entity::outbox;
use storage::outbox::status;
use storage::sager::{self, Aendring, Email};

const AFSENDER: &str = "noreply@vitas.example.dk";

/// A free port on loopback, for a server that is not there yet.
fn ledig_adresse() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("ledig port");
    l.local_addr().expect("adresse")
}

/// One message as the SMTP server received it (decoded by Python's email package).
#[derive(Debug, serde::Deserialize)]
struct Modtaget {
    rcpt_tos: Vec<String>,
    from: String,
    to: String,
    subject: String,
    message_id: String,
    content_type: String,
    body: String,
    raw: String,
}

/// aiosmtpd on `adresse`, writing each message to a folder; killed on drop.
struct SmtpServer {
    proces: std::process::Child,
    mappe: PathBuf,
}

impl SmtpServer {
    /// Whether python3 with aiosmtpd is here; outside CI a missing one skips the test.
    fn findes() -> bool {
        let ok = std::process::Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok || !i_ci(), "aiosmtpd skal være installeret i CI (.ci/run installerer det)");
        if !ok {
            println!("SMTP-test sprunget over: python3 -m pip install aiosmtpd");
        }
        ok
    }

    async fn start(adresse: SocketAddr) -> SmtpServer {
        let mappe = std::env::temp_dir().join(format!("vitas-smtp-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&mappe).expect("postmappen");
        let handler_mappe = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api");
        let proces = std::process::Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &adresse.to_string(), "-c", "smtp_postkasse.Postkasse"])
            .arg(&mappe)
            .env("PYTHONPATH", handler_mappe)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("aiosmtpd kunne ikke startes");
        let server = SmtpServer { proces, mappe };
        let slut = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while tokio::net::TcpStream::connect(adresse).await.is_err() {
            assert!(std::time::Instant::now() < slut, "aiosmtpd lytter ikke på {adresse}");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        server
    }

    fn modtaget(&self) -> Vec<Modtaget> {
        let mut filer: Vec<_> = std::fs::read_dir(&self.mappe)
            .expect("postmappen")
            .filter_map(|f| f.ok().map(|f| f.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        filer.sort();
        filer
            .iter()
            .map(|f| serde_json::from_str(&std::fs::read_to_string(f).expect("postfil")).expect("postfilens JSON"))
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.proces.kill();
        let _ = self.proces.wait();
        let _ = std::fs::remove_dir_all(&self.mappe);
    }
}

fn korte_regler() -> jobs::outbox::Leveringsregler {
    jobs::outbox::Leveringsregler {
        grundinterval: Duration::milliseconds(20),
        loft: Duration::milliseconds(200),
        levetid: Duration::hours(1),
        timeout: std::time::Duration::from_secs(5),
        ..Default::default()
    }
}

fn kontekst(app: &TestApp, adresse: SocketAddr) -> jobs::Kontekst {
    let regler = korte_regler();
    let e = jobs::epost::Epost::ny(&format!("smtp://{adresse}"), AFSENDER, regler.timeout).expect("SMTP-opsætning");
    app.kontekst().med_regler(regler).med_epost(e)
}

async fn mails(app: &TestApp) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .filter(outbox::Column::Art.eq(storage::outbox::EMAIL))
        .order_by_asc(outbox::Column::Id)
        .all(&app.db.conn)
        .await
        .expect("outbox")
}

fn indhold(r: &outbox::Model) -> Email {
    serde_json::from_str(&r.payload).expect("e-mailrækken er en Email")
}

/// Run worker passes until no e-mail row waits, or fail after `frist`.
async fn draen(k: &jobs::Kontekst, app: &TestApp, frist: std::time::Duration) {
    let slut = std::time::Instant::now() + frist;
    loop {
        jobs::outbox::koer(k).await.expect("outbox-gennemløb");
        let r = mails(app).await;
        if r.iter().all(|r| r.status == status::LEVERET || r.status == status::DOED) {
            return;
        }
        assert!(
            std::time::Instant::now() < slut,
            "e-mails blev ikke leveret: {:?}",
            r.iter().map(|r| (&r.status, &r.fejl)).collect::<Vec<_>>()
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

/// The message a row became, found by its Message-ID.
fn modtaget_for<'a>(modtaget: &'a [Modtaget], r: &outbox::Model) -> &'a Modtaget {
    let id = format!("<{}@vitas.example.dk>", r.noegle);
    let fundet: Vec<_> = modtaget.iter().filter(|m| m.message_id == id).collect();
    assert_eq!(fundet.len(), 1, "præcis én besked med Message-ID {id}");
    fundet[0]
}

async fn epost_over_smtp(app: TestApp) {
    if !SmtpServer::findes() {
        return;
    }
    let adresse = ledig_adresse();
    let smtp = SmtpServer::start(adresse).await;
    let k = kontekst(&app, adresse);
    let d = Datoer::nu();

    // Over HTTP: signed, the representative approves, the caseworker approves the grant.
    let (id, _lone, _karen) = sag_til(&app, Maal::AfventerVirksomhed, &d).await;
    let token = hoering_token(&app, id).await;
    // A second case the caseworker rejects with the standard text citing the law.
    let (afvist_id, _, karen) = sag_til(&app, Maal::Modtaget, &d).await;
    let form = karen.hent_ok(&format!("/sager/{afvist_id}/afvis")).await;
    let tekst = domain::tekster::standard_afslag(domain::ordning::Ordning::Loentilskud).replace(
        "Begrundelse: ",
        "Begrundelse: Stillingen erstatter en medarbejder, der er opsagt (ikke merbeskæftigelse).",
    );
    karen.klik(&form, "send-afvisning", &[("afvisningstekst", &tekst)]).await.viderestilling();

    let raekker = mails(&app).await;
    let emner: Vec<String> = raekker.iter().map(|r| indhold(r).emne).collect();
    assert_eq!(
        raekker.len(),
        6,
        "høring, modtaget og bevilling for den første sag; høring, modtaget og afslag for den anden: {emner:?}"
    );
    draen(&k, &app, std::time::Duration::from_secs(30)).await;
    let raekker = mails(&app).await;
    assert!(raekker.iter().all(|r| r.status == status::LEVERET && r.leveret.is_some()), "alle e-mails er leveret");
    let modtaget = smtp.modtaget();
    assert_eq!(modtaget.len(), 6, "serveren fik hver e-mail én gang");

    for r in &raekker {
        let mail = indhold(r);
        let m = modtaget_for(&modtaget, r);
        let sag = r.sag_id.expect("e-mailen hører til en sag");
        assert_eq!(m.from, format!("Jobcenter København <{AFSENDER}>"), "afsenderen er sagens jobcenter");
        assert_eq!(m.to, mail.til);
        assert_eq!(m.rcpt_tos, vec![mail.til.clone()]);
        assert_eq!(m.subject, mail.emne, "emnet som det blev skrevet");
        assert!(m.subject.ends_with(&format!("(VITAS-id {sag})")), "emnet bærer VITAS-id: {}", m.subject);
        // SMTP ends the data with a line break of its own.
        assert_eq!(
            m.body.replace("\r\n", "\n").trim_end(),
            mail.tekst.trim_end(),
            "teksten som den blev skrevet, UTF-8 afkodet"
        );
        assert!(m.content_type.starts_with("text/plain") && m.content_type.contains("utf-8"), "{}", m.content_type);
        assert!(m.body.contains("Jobcenter København"), "hilsenen er fra jobcentret");
        assert!(!m.raw.contains("0101901234") && !m.raw.contains("010190-1234"), "ingen CPR i e-mails");
        assert_eq!(
            r.jobcenter_kode.as_deref(),
            Some("0101"),
            "rækken er Københavns (døde e-mails ses af dens administrator)"
        );
    }
    let find = |til: &str, emne: &str, sag: i64| {
        raekker
            .iter()
            .find(|r| r.sag_id == Some(sag) && indhold(r).til == til && indhold(r).emne.starts_with(emne))
            .unwrap_or_else(|| panic!("ingen e-mail til {til} om »{emne}« i sag {sag}: {emner:?}"))
    };
    let hoering = modtaget_for(&modtaget, find("soeren.bak@nordlys.dk", "Ansøgning om løntilskud til høring", id));
    assert!(hoering.body.starts_with("Kære Søren Bak"), "{}", hoering.body);
    assert!(hoering.body.contains(&format!("{}/hoering/{token}", app.address)), "høringslinket: {}", hoering.body);
    assert!(hoering.body.contains("dit eget MitID"), "repræsentanten svarer med eget MitID: {}", hoering.body);
    let modtaget_mail = modtaget_for(&modtaget, find(LONE, "Ansøgning om løntilskud modtaget af jobcentret", id));
    assert!(modtaget_mail.body.starts_with("Kære Lone Kjær"), "{}", modtaget_mail.body);
    let bevilling = modtaget_for(&modtaget, find(LONE, "Bevilling af løntilskud til godkendelse", id));
    assert!(bevilling.body.contains("afventer nu jeres godkendelse"), "{}", bevilling.body);
    assert!(
        bevilling.body.contains(&format!("{}{}", app.address, sag_sti(id))),
        "linket til sagen: {}",
        bevilling.body
    );
    let afslag = modtaget_for(&modtaget, find(LONE, "Afslag på ansøgning om løntilskud", afvist_id));
    assert!(afslag.body.contains("kapitel 12") && afslag.body.contains("ikke merbeskæftigelse"), "{}", afslag.body);
    // Danish letters arrive as letters, in the subject too.
    assert!(hoering.subject.contains("Ansøgning") && afslag.subject.contains("på"), "{}", hoering.subject);
    assert!(afslag.body.contains("æ") || afslag.body.contains("ø") || afslag.body.contains("å"));

    // Nothing more goes out: the rows are delivered.
    jobs::outbox::koer(&k).await.expect("outbox-gennemløb");
    assert_eq!(smtp.modtaget().len(), 6, "intet sendes to gange");
}

paa_begge_databaser!(epost_over_smtp);

/// The SMTP server is down: the mail waits with a Danish reason and is retried; once the
/// server is up on the same port it is delivered, with the Message-ID of its row. Without
/// SMTP configured at all, e-mail rows are not even tried.
async fn smtp_nede_og_tilbage(app: TestApp) {
    if !SmtpServer::findes() {
        return;
    }
    let kbh = jobcenter_id(&app, "0101").await;
    let kladde = ny_kladde(&app).await;
    sager::udfoer(&app.db, kladde.id, &nordlys(), indsend(kbh, true), Utc::now()).await.expect("indsend");

    // No SMTP configured: the worker leaves the row alone.
    jobs::outbox::koer(&app.kontekst().med_regler(korte_regler())).await.expect("outbox-gennemløb");
    let r = mails(&app).await;
    assert_eq!((r.len(), r[0].status.as_str(), r[0].forsoeg), (1, status::AFVENTER, 0), "uden SMTP røres e-mails ikke");

    let adresse = ledig_adresse();
    let k = kontekst(&app, adresse);
    let slut = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        jobs::outbox::koer(&k).await.expect("outbox-gennemløb");
        let r = mails(&app).await;
        assert_eq!(r[0].status, status::AFVENTER, "en nede SMTP-server giver en ny chance, ikke en død e-mail");
        if r[0].forsoeg >= 3 {
            let fejl = r[0].fejl.clone().unwrap_or_default();
            assert!(fejl.starts_with("SMTP-serveren kunne ikke nås"), "dansk fejl: {fejl}");
            break;
        }
        assert!(std::time::Instant::now() < slut, "e-mailen blev ikke forsøgt igen");
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }

    let smtp = SmtpServer::start(adresse).await;
    draen(&k, &app, std::time::Duration::from_secs(20)).await;
    let r = mails(&app).await;
    assert_eq!(r[0].status, status::LEVERET);
    assert_eq!(r[0].fejl, None, "fejlen er ryddet ved levering");
    let modtaget = smtp.modtaget();
    assert_eq!(modtaget.len(), 1);
    let m = modtaget_for(&modtaget, &r[0]);
    assert_eq!(m.to, "soeren.bak@nordlys.dk");
}

paa_begge_databaser!(smtp_nede_og_tilbage);

/// A permanent rejection (550) is dead at once with the server's reason; the next mail of
/// the same case is not held back by it.
async fn permanent_afvisning_doer_straks(app: TestApp) {
    if !SmtpServer::findes() {
        return;
    }
    let kbh = jobcenter_id(&app, "0101").await;
    let kladde = ny_kladde(&app).await;
    sager::udfoer(&app.db, kladde.id, &nordlys(), indsend(kbh, false), Utc::now()).await.expect("indsend");
    let mut a = Aendring::ny(Handling::SaetAnsvarlig);
    for til in ["afvis@nordlys.dk", "lone@nordlys.dk"] {
        a.emails.push(Email {
            til: til.into(),
            afsender_navn: "Jobcenter København".into(),
            emne: format!("Prøve (VITAS-id {})", kladde.id),
            tekst: "Én linje med æøå.".into(),
        });
    }
    let sb = udfoerer(Aktoer::Sagsbehandler { jobcenter_id: kbh });
    sager::udfoer(&app.db, kladde.id, &sb, a, Utc::now()).await.expect("sæt ansvarlig");

    let adresse = ledig_adresse();
    let smtp = SmtpServer::start(adresse).await;
    let k = kontekst(&app, adresse);
    draen(&k, &app, std::time::Duration::from_secs(20)).await;
    let r = mails(&app).await;
    let afvist = r.iter().find(|r| indhold(r).til == "afvis@nordlys.dk").expect("rækken");
    assert_eq!((afvist.status.as_str(), afvist.forsoeg), (status::DOED, 1), "død efter ét forsøg");
    let fejl = afvist.fejl.clone().unwrap_or_default();
    assert!(fejl.starts_with("SMTP-serveren afviste e-mailen permanent") && fejl.contains("550"), "{fejl}");
    assert!(r.iter().filter(|x| x.id != afvist.id).all(|x| x.status == status::LEVERET), "resten er leveret");
    // The jobcentre's administrator sees it among the dead and can replay it.
    assert!(storage::outbox::doede(&app.db, Some("0101"), 10).await.expect("døde").iter().any(|d| d.id == afvist.id));
    assert_eq!(smtp.modtaget().len(), r.len() - 1);
}

paa_begge_databaser!(permanent_afvisning_doer_straks);

/// "Gensend" (papirflyver): the caseworker queues the grant mail again; the policy refuses
/// it for the company, for another jobcentre and once the grant is approved.
async fn gensend_bevilling(app: TestApp) {
    let d = Datoer::nu();
    let (id, lone, karen) = sag_til(&app, Maal::AfventerVirksomhed, &d).await;
    let foer = sag_raekke(&app, id).await;
    let er_bevilling =
        |r: &outbox::Model| r.sag_id == Some(id) && indhold(r).emne.starts_with("Bevilling af løntilskud");
    let bevillinger: Vec<_> = mails(&app).await.into_iter().filter(er_bevilling).collect();
    assert_eq!(bevillinger.len(), 1);

    // The button is the caseworker's, with the accessible text; the company has none.
    let side = karen.hent_ok(&sag_sti(id)).await;
    assert_eq!(side.tekst("gensend-email").as_deref().map(str::trim), Some("Gensend e-mail til virksomheden"));
    assert!(!lone.hent_ok(&sag_sti(id)).await.har_id("gensend-email"), "virksomheden har ingen gensend-knap");
    let svar = karen.klik(&side, "gensend-email", &[]).await;
    assert_eq!(svar.viderestilling(), format!("/sager/{id}?besked=gensendt"));
    let efter = karen.hent_ok(&format!("/sager/{id}?besked=gensendt")).await;
    assert!(efter.al_tekst().contains("E-mailen er sendt igen til virksomheden."));
    assert!(
        efter.tekst("historik").is_some_and(|h| h.contains("E-mail gensendt til virksomheden: lone@nordlys.dk")),
        "historikken viser gensendelsen"
    );

    let nu: Vec<_> = mails(&app).await.into_iter().filter(er_bevilling).collect();
    assert_eq!(nu.len(), 2, "en ny e-mail i køen");
    assert_eq!(indhold(&nu[1]), indhold(&nu[0]), "den samme e-mail igen");
    assert_ne!(nu[1].noegle, nu[0].noegle, "en ny række, et nyt Message-ID");
    let sag = sag_raekke(&app, id).await;
    assert_eq!(
        (&sag.ansoegning_status, &sag.afgoerelse_status, &sag.forlaengelse_status),
        (&foer.ansoegning_status, &foer.afgoerelse_status, &foer.forlaengelse_status),
        "ingen status ændres"
    );

    // Refused: the company, another jobcentre, and the state after the grant is approved.
    let v = sag.version.to_string();
    assert_eq!(lone.post(&format!("/sager/{id}/gensend"), &[("version", &v)]).await.status, StatusCode::FORBIDDEN);
    let rasmus = Person::ny(&app, RASMUS).await;
    assert_eq!(rasmus.post(&format!("/sager/{id}/gensend"), &[("version", &v)]).await.status, StatusCode::NOT_FOUND);
    crate::flow::handling(&lone, id, "godkend-bevilling").await;
    assert!(!karen.hent_ok(&sag_sti(id)).await.har_id("gensend-email"), "ingen knap efter godkendelsen");
    let v = sag_raekke(&app, id).await.version.to_string();
    let svar = karen.post(&format!("/sager/{id}/gensend"), &[("version", &v)]).await;
    assert_eq!(svar.status, StatusCode::CONFLICT, "{}", svar.html);
    assert!(svar.tekst().contains("»Gensend e-mail til virksomheden« kan ikke udføres"), "{}", svar.tekst());
    assert_eq!(mails(&app).await.into_iter().filter(er_bevilling).count(), 2, "intet nyt i køen");
}

paa_begge_databaser!(gensend_bevilling);

/// The demo mailbox lists every mail, newest first, and shows a whole one; it is absent
/// (404) when demo mode is off.
async fn demo_postkasse(app: TestApp) {
    let d = Datoer::nu();
    let (id, _, _) = sag_til(&app, Maal::AfventerVirksomhed, &d).await;
    let anonym = Person::anonym(&app);
    let login = anonym.hent_ok("/demo-login").await;
    assert_eq!(login.href("demo-postkasse"), "/demo/post");
    let side = anonym.hent_ok("/demo/post").await;
    let emne = format!("Bevilling af løntilskud til godkendelse (VITAS-id {id})");
    let tabel = side.tekst("postkasse").expect("tabellen #postkasse");
    assert!(tabel.contains(&emne) && tabel.contains("Jobcenter København") && tabel.contains("Afventer"), "{tabel}");
    let nyeste = mails(&app).await.into_iter().next_back().expect("en e-mail");
    assert!(tabel.find(&emne) < tabel.find("til høring"), "nyeste først: bevillingen kom efter høringen\n{tabel}");
    let mail = anonym.hent_ok(&format!("/demo/post/{}", nyeste.id)).await;
    assert!(mail.tekst("mail-tekst").is_some_and(|t| t.contains("Kære Lone Kjær")), "{}", mail.html);
    assert_eq!(anonym.hent(&format!("/demo/post/{}", nyeste.id + 100_000)).await.status, StatusCode::NOT_FOUND);

    // Demo mode off: the same database, no mailbox.
    let config = app.anden_config(false);
    let uden = server::Application::with_db(config, app.db.clone()).await.expect("applikationen");
    let port = uden.port;
    let koerer = tokio::spawn(async move { uden.run().await });
    let klient = crate::helpers::ny_klient();
    for sti in ["/demo/post", &format!("/demo/post/{}", nyeste.id)] {
        let svar = klient.get(format!("http://127.0.0.1:{port}{sti}")).send().await.expect("GET");
        assert_eq!(svar.status(), StatusCode::NOT_FOUND, "{sti} uden demo-tilstand");
    }
    koerer.abort();
}

paa_begge_databaser!(demo_postkasse);
