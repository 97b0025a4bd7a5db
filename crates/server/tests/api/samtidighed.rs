//! Several state changes at the same moment: each either happens whole or is refused with
//! a message a person can act on ("changed by someone else") — never a database error, which
//! the web layer would have to show as a 500.

use std::sync::Arc;

use chrono::Utc;
use domain::policy::Handling;
use storage::StorageError;
use storage::sager::{self, Aendring};
use tokio::sync::Barrier;

use crate::atomar::{nordlys, ny_kladde, sag_raekke};
use crate::helpers::TestApp;

fn gem(tekst: &str, version: Option<i64>) -> Aendring {
    let mut a = Aendring::ny(Handling::GemKladde);
    a.opdatering.skemadata = Some(serde_json::json!({ "bemaerkning": tekst }).to_string());
    a.forventet_version = version;
    a
}

async fn samtidige_tilstandsaendringer(app: TestApp) {
    // Different cases at once: all succeed.
    const N: usize = 8;
    let mut ids = Vec::new();
    for _ in 0..N {
        ids.push(ny_kladde(&app).await.id);
    }
    let start = Arc::new(Barrier::new(N));
    let mut opgaver = Vec::new();
    for (i, id) in ids.iter().copied().enumerate() {
        let (db, start) = (app.db.clone(), start.clone());
        opgaver.push(tokio::spawn(async move {
            start.wait().await;
            sager::udfoer(&db, id, &nordlys(), gem(&format!("samtidig {i}"), None), Utc::now()).await
        }));
    }
    for (id, o) in ids.iter().zip(opgaver) {
        let res = o.await.expect("opgaven gik ned");
        assert!(res.is_ok(), "samtidig ændring af sag {id} fejlede: {:?}", res.err());
    }

    // The same case twice from the same form (same version): one wins, the other is told the
    // case was changed meanwhile.
    for runde in 0..5 {
        let id = ny_kladde(&app).await.id;
        let version = sag_raekke(&app, id).await.version;
        let start = Arc::new(Barrier::new(2));
        let mut opgaver = Vec::new();
        for i in 0..2 {
            let (db, start) = (app.db.clone(), start.clone());
            opgaver.push(tokio::spawn(async move {
                start.wait().await;
                sager::udfoer(&db, id, &nordlys(), gem(&format!("runde {runde} nr. {i}"), Some(version)), Utc::now())
                    .await
            }));
        }
        let mut ok = 0;
        for o in opgaver {
            match o.await.expect("opgaven gik ned") {
                Ok(_) => ok += 1,
                Err(StorageError::Konflikt) => {}
                Err(e) => panic!("runde {runde}: samtidig ændring af samme sag gav {e:?}, ikke Konflikt"),
            }
        }
        assert_eq!(ok, 1, "runde {runde}: præcis én af to samtidige ændringer skal lykkes");
        assert_eq!(sag_raekke(&app, id).await.version, version + 1);
    }
}

paa_begge_databaser!(samtidige_tilstandsaendringer);
