//! Issue 11 §4: the export folder's disk is full. A real full disk: a small tmpfs is mounted
//! on `<data-dir>/eksport` and filled up to its last two pages, so the Excel job writes a
//! little and then meets ENOSPC. The job fails with a Danish message on its page, the
//! half-written file is gone, and nothing else breaks: pages answer, the outbox delivers, and
//! once there is room the same export runs as a job again (decision 121).
//!
//! Mounting needs root, as in CI. Outside CI, without root, the test says it was skipped;
//! under CI it fails instead.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::Utc;
use reqwest::StatusCode;
use server::modtager::Modtager;

use crate::atomar::jobcenter_id;
use crate::eksport::mange_ansoegninger;
use crate::flow::KAREN;
use crate::helpers::{TestApp, i_ci, location};
use crate::html::Person;
use crate::webhook::{HEMMELIGHED, ledig_adresse, raekker, sag_med_notifikationer};

/// A tmpfs mounted for the test, unmounted when dropped (also when the test fails).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn monter(sti: &Path, kib: u32) -> Result<Tmpfs, String> {
        std::fs::create_dir_all(sti).map_err(|e| e.to_string())?;
        let ud = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k,mode=0700"), "vitas-diskfuld"])
            .arg(sti)
            .output()
            .map_err(|e| e.to_string())?;
        if !ud.status.success() {
            return Err(String::from_utf8_lossy(&ud.stderr).trim().to_string());
        }
        Ok(Tmpfs(sti.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Fill the folder's file system to the last byte, then give back `fri` bytes (whole pages):
/// the next writer gets that far and then ENOSPC.
fn fyld_op(mappe: &Path, fri: u64) -> PathBuf {
    let sti = mappe.join("fyld");
    let mut f = std::fs::File::create(&sti).expect("fyldfilen");
    let blok = vec![0u8; 64 * 1024];
    loop {
        match f.write(&blok) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                assert_eq!(e.kind(), std::io::ErrorKind::StorageFull, "disken skulle blive fuld: {e}");
                break;
            }
        }
    }
    let fuld = f.metadata().expect("størrelse").len();
    f.set_len(fuld.saturating_sub(fri)).expect("giv lidt plads tilbage");
    sti
}

/// The files in the export folder, but the filler.
fn eksportfiler(mappe: &Path) -> Vec<String> {
    std::fs::read_dir(mappe)
        .expect("eksportmappen")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "fyld")
        .collect()
}

async fn status(karen: &Person, uuid: &str) -> serde_json::Value {
    let svar = karen.klient.get(format!("{}/eksport/{uuid}/status", karen.adresse)).send().await.expect("status");
    svar.json().await.expect("json")
}

async fn fuld_disk_til_eksport(app: TestApp) {
    let mappe = jobs::eksport::mappe(&app.data_dir);
    let _tmpfs = match Tmpfs::monter(&mappe, 512) {
        Ok(t) => t,
        Err(e) => {
            assert!(!i_ci(), "tmpfs kunne ikke monteres på {}: {e}; CI kører som root", mappe.display());
            println!("Disk-fuld-testen sprunget over: tmpfs kunne ikke monteres ({e}); kræver root");
            return;
        }
    };
    // A list above the limit, so the export is a background job (issue 3 §4).
    mange_ansoegninger(&app, jobs::eksport::GRAENSE as usize + 150).await;
    let kbh = jobcenter_id(&app, "0101").await;
    let adresse = ledig_adresse();
    storage::outbox::opret_abonnent(&app.db, "0101", &format!("http://{adresse}/vitas"), HEMMELIGHED, Utc::now())
        .await
        .expect("abonnent");
    let modtager = Modtager::ny(HEMMELIGHED);
    let koerende = modtager.start(adresse).await.expect("modtageren");
    let fyld = fyld_op(&mappe, 8 * 1024);

    let karen = Person::ny(&app, KAREN).await;
    let bestil = || async {
        let svar = karen.klient.post(app.url("/excel/soeg-ansoegninger?sort=navn")).send().await.expect("POST excel");
        assert_eq!(svar.status(), StatusCode::SEE_OTHER, "en stor liste bliver et job");
        location(&svar).expect("Location").strip_prefix("/eksport/").expect("/eksport/{uuid}").to_string()
    };
    let uuid = bestil().await;
    // A change on a case while the disk is full: its notification goes out as usual.
    let sag = sag_med_notifikationer(&app, kbh, 0).await;
    app.koer_jobs().await;

    let s = status(&karen, &uuid).await;
    assert_eq!(s["status"], "fejlet", "{s}");
    assert!(s["fil"].is_null());
    let side = karen.hent_ok(&format!("/eksport/{uuid}")).await;
    let besked = side.tekst_krav("eksport-fejl");
    assert!(besked.contains("ikke plads på serveren"), "dansk besked om pladsen: {besked}");
    assert!(!besked.contains("for mange rækker"), "ikke listens skyld: {besked}");
    assert_eq!(karen.hent(&format!("/eksport/{uuid}/fil")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(eksportfiler(&mappe), Vec::<String>::new(), "den halvskrevne fil er fjernet");

    // Nothing else broke: pages, a case, the outbox.
    karen.hent_ok("/soeg?fane=ansoegninger").await;
    karen.hent_ok("/").await;
    let leveret = raekker(&app, storage::outbox::WEBHOOK).await;
    assert!(!leveret.is_empty() && leveret.iter().all(|r| r.status == storage::outbox::status::LEVERET), "{leveret:?}");
    assert!(modtager.modtaget().iter().any(|m| !m.eksternt_id.is_empty()), "notifikationen for sag {sag} kom frem");

    // With room again, the same export runs as a job to the end.
    std::fs::remove_file(&fyld).expect("fjern fyldet");
    let igen = bestil().await;
    assert_ne!(igen, uuid, "en ny bestilling, ikke det fejlede job");
    app.koer_jobs().await;
    let s = status(&karen, &igen).await;
    assert_eq!(s["status"], "faerdig", "{s}");
    let fil = karen.klient.get(app.url(&format!("/eksport/{igen}/fil"))).send().await.expect("fil");
    assert_eq!(fil.status(), StatusCode::OK);
    assert!(fil.bytes().await.expect("bytes").starts_with(b"PK"), "en xlsx-fil");
    koerende.stop().await;
}

paa_begge_databaser!(fuld_disk_til_eksport);
