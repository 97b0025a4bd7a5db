//! The demo world's cases (issue 13 §4): every company scheme whose life cycle is built, in
//! every state its life cycle reaches, so a demo user finds lists, counters, case pages and
//! letters with something in them. Each case is made through the one write path
//! (`sager::opret`, `sager::udfoer`) and the policy's state machine, as the users would make
//! it, with a form filled from its scheme's own step descriptions.
//!
//! Only the demo server seeds these (`server::seed_demo_if_empty` with cases); the test
//! template starts without cases, so each test sees only what it makes.

use crate::demo::{BORGERE, DEMO_KOMMUNER, VIRKSOMHEDER, ansat_email, borger_email, virksomhed_email};
use crate::entity::{bruger, jobcenter};
use crate::sager::{Aendring, NySag, NytElement, Udfoerer};
use crate::{Db, StorageError};
use chrono::{DateTime, Days, Utc};
use domain::ordning::{Initiativ, Livsforloeb, Ordning};
use domain::policy::{Aktoer, Handling};
use domain::skema::dele::Kontekst;
use domain::skema::eksempel;
use domain::status::{Elementart, ForlaengelseStatus};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// How far a demo case is taken along its life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Trin {
    Kladde,
    SendtTilRep,
    /// An agreement the citizen has not signed yet (decision 97).
    SendtTilBorger,
    /// An agreement the citizen declined.
    AfvistAfBorger,
    Modtaget,
    Afvist,
    AfventerVirksomhed,
    IkkeGodkendt,
    Godkendt,
    ForlaengelseAfventer,
    Ophoert,
}

impl Trin {
    pub const ALLE: [Trin; 11] = [
        Trin::Kladde,
        Trin::SendtTilRep,
        Trin::SendtTilBorger,
        Trin::AfvistAfBorger,
        Trin::Modtaget,
        Trin::Afvist,
        Trin::AfventerVirksomhed,
        Trin::IkkeGodkendt,
        Trin::Godkendt,
        Trin::ForlaengelseAfventer,
        Trin::Ophoert,
    ];

    /// The states a scheme's life cycle reaches: no "with the representative" without a
    /// hearing, no "with the citizen" without the citizen's signature.
    pub fn for_ordning(ordning: Ordning) -> Vec<Trin> {
        let lf = ordning.profil().livsforloeb;
        Trin::ALLE
            .into_iter()
            .filter(|t| *t != Trin::SendtTilRep || lf.hoering())
            .filter(|t| !matches!(t, Trin::SendtTilBorger | Trin::AfvistAfBorger) || lf == Livsforloeb::AftaleMedBorger)
            .collect()
    }
}

/// The company schemes whose life cycle is built: the ones the demo has cases of.
pub fn ordninger() -> Vec<Ordning> {
    Ordning::ALLE
        .into_iter()
        .filter(|o| o.bygget() && o.profil().livsforloeb.initiativ() == Initiativ::Virksomhed)
        .collect()
}

async fn bruger_som(db: &Db, email: &str, aktoer: Aktoer) -> Result<Udfoerer, StorageError> {
    let b = bruger::Entity::find()
        .filter(bruger::Column::Email.eq(email))
        .one(&db.conn)
        .await?
        .ok_or_else(|| StorageError::Data(format!("demobrugeren {email} findes ikke")))?;
    Ok(Udfoerer { aktoer, bruger_id: Some(b.id), navn: format!("{} {}", b.fornavn, b.efternavn) })
}

/// Make every built company scheme's case in every state. Returns the number of cases.
pub async fn seed(db: &Db, nu: DateTime<Utc>) -> Result<u64, StorageError> {
    let idag = nu.date_naive();
    let mut antal = 0;
    // Citizens who live where a jobcentre is staffed, so a caseworker can act on the case.
    let borgere: Vec<_> = BORGERE.iter().filter(|b| DEMO_KOMMUNER.contains(&b.3)).collect();
    let mut n = 0usize;
    for ordning in ordninger() {
        for trin in Trin::for_ordning(ordning) {
            let v = &VIRKSOMHEDER[n % VIRKSOMHEDER.len()];
            // An agreement the citizen signs goes to the first demo citizen, who can log in
            // with one click and find it waiting, signed and declined (issue 13 §2).
            let borger = if ordning.borger_underskriver() { &BORGERE[0] } else { borgere[n % borgere.len()] };
            let (cpr, fornavn, efternavn, kommune) = *borger;
            n += 1;
            let jc = jobcenter::Entity::find()
                .filter(jobcenter::Column::Kommunekode.eq(kommune))
                .one(&db.conn)
                .await?
                .ok_or_else(|| StorageError::Data(format!("intet jobcenter for {kommune}")))?;
            let idx = DEMO_KOMMUNER.iter().position(|k| *k == kommune).unwrap_or(0);
            let (sb_fornavn, sb_efternavn) = crate::demo::ANSATTE[idx][0];
            let sagsbehandler = bruger_som(
                db,
                &ansat_email(sb_fornavn, sb_efternavn, &jc.navn),
                Aktoer::Sagsbehandler { jobcenter_id: jc.id },
            )
            .await?;
            let virksomhed = bruger_som(db, &virksomhed_email(v), Aktoer::Virksomhed { cvr: v.cvr.into() }).await?;
            let pnummer = v.p[0].0;
            // Some cases began a while ago, some start soon.
            let start = idag.checked_sub_days(Days::new(20)).unwrap_or(idag);
            let slut = start + Days::new(u64::from(ordning.profil().periode.laengst_dage.min(120)) - 1);

            let udfyld = eksempel::Udfyldning { pnummer, cpr, start, slut };
            let skema = eksempel::formular(ordning, v.konfliktramt, &udfyld, &format!("{fornavn} {efternavn}"))
                .ok_or_else(|| StorageError::Data(format!("{ordning:?} har ingen formular")))?;
            let json = skema.json().map_err(|e| StorageError::Data(e.to_string()))?;
            let ny = NySag {
                ordning,
                sagsart: ordning.profil().sagsart(),
                cvr: v.cvr.into(),
                skemadata: json.clone(),
                konfliktramt: v.konfliktramt,
            };
            let sag = crate::sager::opret(db, &virksomhed, ny, nu).await?;
            antal += 1;
            if trin == Trin::Kladde {
                continue;
            }
            let p = vec![pnummer.to_string()];
            let ind = skema
                .indsendelse(&Kontekst { p_enheder: &p })
                .map_err(|f| StorageError::Data(format!("demoformularen for {ordning:?} er ikke gyldig: {f:?}")))?;
            let mut a = Aendring::indsendelse(&ind, json, jc.id, idag);
            a.nyt_element = Some(NytElement {
                art: Elementart::Ansoegning,
                status: String::new(),
                startdato: Some(ind.periode.start),
                slutdato: Some(ind.periode.slut),
                data: serde_json::to_value(domain::elementdata::Ansoegningsdata {
                    underskrevet_af: virksomhed.navn.clone(),
                    underskrevet: nu.to_rfc3339(),
                    signeringsmetode: "demo".into(),
                    ..Default::default()
                })
                .map_err(|e| StorageError::Data(e.to_string()))?,
            });
            let sag = crate::sager::udfoer(db, sag.id, &virksomhed, a, nu).await?;
            if trin == Trin::SendtTilRep && ind.hoering {
                continue;
            }
            if ind.til_borger {
                if trin == Trin::SendtTilBorger {
                    continue;
                }
                let borger =
                    bruger_som(db, &borger_email(fornavn, efternavn), Aktoer::Borger { cpr: cpr.into() }).await?;
                if trin == Trin::AfvistAfBorger {
                    crate::sager::udfoer(db, sag.id, &borger, Aendring::ny(Handling::BorgerAfvis), nu).await?;
                    continue;
                }
                let aftale = crate::sager::elementer(db, sag.id)
                    .await?
                    .into_iter()
                    .rfind(|e| e.art == Elementart::Ansoegning.kode())
                    .ok_or_else(|| StorageError::Data(format!("sag {} har ingen aftale", sag.id)))?;
                let a = Aendring::borgerens_underskrift(&aftale, &borger.navn, nu, "demo", idag)?;
                crate::sager::udfoer(db, sag.id, &borger, a, nu).await?;
            }
            if ind.hoering {
                let rep = Udfoerer {
                    aktoer: Aktoer::Medarbejderrep { sag_id: sag.id },
                    bruger_id: None,
                    navn: "Søren Bak (Medarbejderrepræsentant)".into(),
                };
                let mut a = Aendring::ny(Handling::RepGodkend);
                a.opdatering.modtaget_dato = Some(idag);
                crate::sager::udfoer(db, sag.id, &rep, a, nu).await?;
            }
            if trin <= Trin::Modtaget {
                continue;
            }
            if trin == Trin::Afvist {
                let mut a = Aendring::ny(Handling::AfvisAnsoegning);
                a.opdatering.afgoerelse_dato = Some(idag);
                a.bemaerkning = Some(domain::tekster::standard_afslag(ordning));
                crate::sager::udfoer(db, sag.id, &sagsbehandler, a, nu).await?;
                continue;
            }
            let sag = crate::sager::hent(db, sag.id, &sagsbehandler.aktoer).await?;
            let data = domain::afgoerelse::eksempel(ordning.profil());
            crate::sager::udfoer(db, sag.id, &sagsbehandler, Aendring::bevilling(&sag, data, idag), nu).await?;
            match trin {
                Trin::AfventerVirksomhed => continue,
                Trin::IkkeGodkendt => {
                    crate::sager::udfoer(db, sag.id, &virksomhed, Aendring::ny(Handling::AfvisBevilling), nu).await?;
                    continue;
                }
                _ => {}
            }
            let mut a = Aendring::ny(Handling::GodkendBevilling);
            a.opdatering.godkendt_dato = Some(idag);
            crate::sager::udfoer(db, sag.id, &virksomhed, a, nu).await?;
            match trin {
                Trin::ForlaengelseAfventer => {
                    let mut a = Aendring::ny(Handling::AnmodForlaengelse);
                    a.nyt_element = Some(NytElement {
                        art: Elementart::Forlaengelse,
                        status: ForlaengelseStatus::AfventerJobcenter.kode().into(),
                        startdato: slut.succ_opt(),
                        slutdato: Some(slut + Days::new(30)),
                        data: domain::elementdata::Forlaengelsesdata { ansaettelsesbrev_gaelder: true }.json(),
                    });
                    crate::sager::udfoer(db, sag.id, &virksomhed, a, nu).await?;
                }
                Trin::Ophoert => {
                    let aarsag = ordning.profil().ophoersaarsager.first();
                    let ophoer = start + Days::new(10);
                    let mut a = Aendring::ny(Handling::RegistrerOphoer);
                    a.opdatering.slutdato = Some(ophoer);
                    a.bemaerkning = aarsag.map(|x| x.tekst.to_string());
                    a.nyt_element = Some(NytElement {
                        art: Elementart::Ophoer,
                        status: "registreret".into(),
                        startdato: None,
                        slutdato: Some(ophoer),
                        data: domain::elementdata::Ophoersdata {
                            aarsag: aarsag.map(|x| x.tekst.to_string()).unwrap_or_default(),
                            aarsag_id: aarsag.map(|x| x.id),
                            dfdg: aarsag.and_then(|x| x.dfdg.as_ref()).map(|d| format!("{} – {}", d.id, d.tekst)),
                            ..Default::default()
                        }
                        .json(),
                    });
                    crate::sager::udfoer(db, sag.id, &virksomhed, a, nu).await?;
                }
                _ => {}
            }
        }
    }
    Ok(antal)
}
