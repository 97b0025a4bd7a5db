//! The test OpenID provider (`tests/oidc/udbyder.mjs`, npm's `oidc-provider`): started per
//! test, stopped when dropped. Shared by the api tests and the browser test.

use domain::login::Loginprofil;
use std::path::PathBuf;
use std::process::Stdio;
use tokio::io::AsyncBufReadExt;

/// The test provider, stopped when dropped.
pub struct Udbyder {
    pub issuer: String,
    _barn: tokio::process::Child,
}

fn mappe() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("oidc")
}

/// `npm ci` once per test run, when the provider's packages are missing.
fn installer() {
    static INSTALLERET: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
    let mut klar = INSTALLERET.lock().unwrap_or_else(|e| e.into_inner());
    if *klar || mappe().join("node_modules").join("oidc-provider").exists() {
        *klar = true;
        return;
    }
    let status = std::process::Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(mappe())
        .status()
        .expect("npm blev ikke fundet: testudbyderen kræver Node.js og npm");
    assert!(status.success(), "npm ci i {} fejlede", mappe().display());
    *klar = true;
}

impl Udbyder {
    pub async fn start() -> Udbyder {
        installer();
        let mut barn = tokio::process::Command::new("node")
            .arg("udbyder.mjs")
            .current_dir(mappe())
            .env("PORT", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("node kunne ikke startes");
        let ud = barn.stdout.take().expect("stdout");
        let mut linjer = tokio::io::BufReader::new(ud).lines();
        let linje = tokio::time::timeout(std::time::Duration::from_secs(30), linjer.next_line())
            .await
            .expect("testudbyderen startede ikke inden for 30 s")
            .expect("læs stdout")
            .expect("testudbyderen lukkede uden at starte");
        let issuer = linje.strip_prefix("KLAR ").unwrap_or_else(|| panic!("uventet linje: {linje}")).to_string();
        Udbyder { issuer, _barn: barn }
    }

    /// VITAS's login services pointed at this provider, one client per kind.
    pub fn tjenester(&self) -> web::login::Logintjenester {
        let mut t = web::login::Logintjenester::default();
        for p in Loginprofil::ALLE {
            let slags = match p {
                Loginprofil::Erhverv => "virksomhed",
                Loginprofil::Fka => "medarbejder",
                Loginprofil::MitId => "borger",
            };
            let o = web::login::Opsaetning {
                issuer: self.issuer.clone(),
                klient_id: format!("vitas-{slags}"),
                hemmelighed: format!("hemmelig-{slags}"),
                scopes: vec!["profile".into(), "vitas".into()],
                claims: web::login::Claimnavne::default(),
            };
            t = t.med(p, o).expect("tjeneste");
        }
        t
    }
}
