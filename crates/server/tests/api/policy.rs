//! The access policy as the database enforces it: every action, as every kind of actor, on
//! cases brought into each state through the real repository functions.
//!
//! The expected answers are written out by hand from DOMAIN.md "Case life cycle" and "Actors
//! and roles" — NOT computed with `domain::policy::tjek`, which would test the policy against
//! itself.

use chrono::Utc;
use domain::policy::{Afvisning, Aktoer, Handling};
use domain::status::Elementart;
use storage::StorageError;
use storage::entity::anden_aktoer;
use storage::sager::{self, Aendring, NytElement};

use sea_orm::EntityTrait;

use crate::atomar::{
    CPR_ANNA, CVR_FYNSK, CVR_NORDLYS, antal, indsend, jobcenter_id, ny_kladde, sag_raekke, slutdato, udfoerer,
};
use crate::helpers::TestApp;

/// The states sampled, each reached through the real functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trin {
    /// A draft (Kladde).
    Kladde,
    /// Signed and sent: Sendt til medarbejder-rep.
    SendtTilRep,
    /// Approved by the representative: Modtaget af jobcentret.
    Modtaget,
    /// Approved by the jobcentre: Afventer godkendelse hos virksomhed.
    AfventerVirksomhed,
    /// Godkendt af virksomhed: a running grant.
    Bevilget,
    /// A running grant with an extension request awaiting the jobcentre.
    ForlaengelseAfventer,
}

const TRIN: [Trin; 6] = [
    Trin::Kladde,
    Trin::SendtTilRep,
    Trin::Modtaget,
    Trin::AfventerVirksomhed,
    Trin::Bevilget,
    Trin::ForlaengelseAfventer,
];

/// Who tries: each kind of actor, inside and outside the case's tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hvem {
    /// Nordlys Logistik, whose case it is.
    Virksomheden,
    /// Fynsk Byg: another CVR.
    AndenVirksomhed,
    /// The representative holding this case's link.
    Repraesentanten,
    /// A representative holding another case's link.
    AndenRep,
    /// Anna Jensen, the citizen of the case.
    Borgeren,
    /// Another citizen.
    AndenBorger,
    /// A caseworker in København, the citizen's jobcentre.
    Sagsbehandler,
    /// A caseworker in Aarhus.
    AndenSagsbehandler,
    Administrator,
    AndenAdministrator,
    /// The Anden Aktør (the case is not handed to it).
    AndenAktoer,
    Styrelsen,
    /// VITAS's own scheduled pass (decision 88).
    Systemet,
}

const HVEM: [Hvem; 13] = [
    Hvem::Virksomheden,
    Hvem::AndenVirksomhed,
    Hvem::Repraesentanten,
    Hvem::AndenRep,
    Hvem::Borgeren,
    Hvem::AndenBorger,
    Hvem::Sagsbehandler,
    Hvem::AndenSagsbehandler,
    Hvem::Administrator,
    Hvem::AndenAdministrator,
    Hvem::AndenAktoer,
    Hvem::Styrelsen,
    Hvem::Systemet,
];

impl Hvem {
    /// Outside the case's tenant in every state: must be told "not found".
    fn fremmed(self) -> bool {
        matches!(
            self,
            Hvem::AndenVirksomhed
                | Hvem::AndenRep
                | Hvem::AndenBorger
                | Hvem::AndenSagsbehandler
                | Hvem::AndenAdministrator
                | Hvem::AndenAktoer
        )
    }
}

use Handling as H;
use Hvem as W;
use Trin as T;

/// Everything that is permitted, written out from DOMAIN.md. Anything not listed is refused.
///
/// Reading (Se): the company, the representative through the link, STAR; the jobcentre once
/// the application has been sent (a draft is the company's own and has no jobcentre yet).
/// The citizen sees only agreements they sign (issue 13 §2), so never this løntilskud case
/// (`ordninger::borgeren_ser_kun_egne_aftaler` tests the citizen's own). The Anden Aktør sees
/// only cases handed to it (none here).
const TILLADT: &[(Trin, Hvem, Handling)] = &[
    // 1. Draft: the company fills, signs and sends (with or without the representative).
    (T::Kladde, W::Virksomheden, H::Se),
    (T::Kladde, W::Virksomheden, H::GemKladde),
    (T::Kladde, W::Virksomheden, H::Indsend { med_hoering: true }),
    (T::Kladde, W::Virksomheden, H::Indsend { med_hoering: false }),
    // Decision 90: the company deletes its own draft; the case is removed.
    (T::Kladde, W::Virksomheden, H::SletKladde),
    (T::Kladde, W::Repraesentanten, H::Se),
    (T::Kladde, W::Styrelsen, H::Se),
    // 2–3. Sent to the representative, who approves or rejects.
    (T::SendtTilRep, W::Virksomheden, H::Se),
    (T::SendtTilRep, W::Repraesentanten, H::Se),
    (T::SendtTilRep, W::Repraesentanten, H::RepGodkend),
    (T::SendtTilRep, W::Repraesentanten, H::RepAfvis),
    (T::SendtTilRep, W::Sagsbehandler, H::Se),
    (T::SendtTilRep, W::Administrator, H::Se),
    (T::SendtTilRep, W::Styrelsen, H::Se),
    // 4. Received: the jobcentre approves or rejects.
    (T::Modtaget, W::Virksomheden, H::Se),
    (T::Modtaget, W::Repraesentanten, H::Se),
    (T::Modtaget, W::Sagsbehandler, H::Se),
    (T::Modtaget, W::Sagsbehandler, H::GodkendAnsoegning),
    (T::Modtaget, W::Sagsbehandler, H::AfvisAnsoegning),
    (T::Modtaget, W::Administrator, H::Se),
    (T::Modtaget, W::Administrator, H::GodkendAnsoegning),
    (T::Modtaget, W::Administrator, H::AfvisAnsoegning),
    (T::Modtaget, W::Styrelsen, H::Se),
    // 5. The grant awaits the company, which approves or declines it.
    (T::AfventerVirksomhed, W::Virksomheden, H::Se),
    (T::AfventerVirksomhed, W::Virksomheden, H::GodkendBevilling),
    (T::AfventerVirksomhed, W::Virksomheden, H::AfvisBevilling),
    (T::AfventerVirksomhed, W::Repraesentanten, H::Se),
    (T::AfventerVirksomhed, W::Sagsbehandler, H::Se),
    (T::AfventerVirksomhed, W::Administrator, H::Se),
    (T::AfventerVirksomhed, W::Styrelsen, H::Se),
    // 6–7. Only an approved grant can be extended or ended.
    (T::Bevilget, W::Virksomheden, H::Se),
    (T::Bevilget, W::Virksomheden, H::AnmodForlaengelse),
    (T::Bevilget, W::Virksomheden, H::RegistrerOphoer),
    (T::Bevilget, W::Repraesentanten, H::Se),
    (T::Bevilget, W::Sagsbehandler, H::Se),
    (T::Bevilget, W::Administrator, H::Se),
    (T::Bevilget, W::Styrelsen, H::Se),
    // 6. An extension awaits the jobcentre; the company may still end the grant (the
    //    request then lapses), but not ask again.
    (T::ForlaengelseAfventer, W::Virksomheden, H::Se),
    (T::ForlaengelseAfventer, W::Virksomheden, H::RegistrerOphoer),
    (T::ForlaengelseAfventer, W::Repraesentanten, H::Se),
    (T::ForlaengelseAfventer, W::Sagsbehandler, H::Se),
    (T::ForlaengelseAfventer, W::Sagsbehandler, H::GodkendForlaengelse),
    (T::ForlaengelseAfventer, W::Sagsbehandler, H::AfvisForlaengelse),
    (T::ForlaengelseAfventer, W::Administrator, H::Se),
    (T::ForlaengelseAfventer, W::Administrator, H::GodkendForlaengelse),
    (T::ForlaengelseAfventer, W::Administrator, H::AfvisForlaengelse),
    (T::ForlaengelseAfventer, W::Styrelsen, H::Se),
    // The jobcentre assigns and moves any case that has reached it (seed 001 §1.11).
    (T::SendtTilRep, W::Sagsbehandler, H::SaetAnsvarlig),
    (T::SendtTilRep, W::Sagsbehandler, H::FlytJobcenter),
    (T::SendtTilRep, W::Administrator, H::SaetAnsvarlig),
    (T::SendtTilRep, W::Administrator, H::FlytJobcenter),
    (T::Modtaget, W::Sagsbehandler, H::SaetAnsvarlig),
    (T::Modtaget, W::Sagsbehandler, H::FlytJobcenter),
    (T::Modtaget, W::Administrator, H::SaetAnsvarlig),
    (T::Modtaget, W::Administrator, H::FlytJobcenter),
    (T::AfventerVirksomhed, W::Sagsbehandler, H::SaetAnsvarlig),
    (T::AfventerVirksomhed, W::Sagsbehandler, H::FlytJobcenter),
    (T::AfventerVirksomhed, W::Administrator, H::SaetAnsvarlig),
    (T::AfventerVirksomhed, W::Administrator, H::FlytJobcenter),
    (T::Bevilget, W::Sagsbehandler, H::SaetAnsvarlig),
    (T::Bevilget, W::Sagsbehandler, H::FlytJobcenter),
    (T::Bevilget, W::Administrator, H::SaetAnsvarlig),
    (T::Bevilget, W::Administrator, H::FlytJobcenter),
    (T::ForlaengelseAfventer, W::Sagsbehandler, H::SaetAnsvarlig),
    (T::ForlaengelseAfventer, W::Sagsbehandler, H::FlytJobcenter),
    (T::ForlaengelseAfventer, W::Administrator, H::SaetAnsvarlig),
    (T::ForlaengelseAfventer, W::Administrator, H::FlytJobcenter),
    // Papirflyver (seed 002 §5.4): the jobcentre sends the grant awaiting the company again.
    // A draft the jobcentre sent may be resent too (DOMAIN.md step 1), but a company's own
    // draft has no jobcentre yet, so it is outside the jobcentre's scope here.
    (T::AfventerVirksomhed, W::Sagsbehandler, H::Genfremsend),
    (T::AfventerVirksomhed, W::Administrator, H::Genfremsend),
    // Seed 001 §2.1, decision 88: VITAS closes an approved grant at its end (DFDG 15); an
    // extension awaiting the jobcentre keeps it open. The date is the pass's to check.
    (T::Bevilget, W::Systemet, H::LukVedUdloeb),
];

/// The statuses (application, decision, extension) after a permitted action, by hand.
fn forventet_efter(trin: Trin, h: Handling) -> (Option<&'static str>, Option<&'static str>, Option<&'static str>) {
    let foer = match trin {
        T::Kladde => (Some("kladde"), None, None),
        T::SendtTilRep => (Some("sendt_til_medarbejder_rep"), None, None),
        T::Modtaget => (Some("modtaget"), None, None),
        T::AfventerVirksomhed => (Some("godkendt"), Some("afventer_virksomhed"), None),
        T::Bevilget => (Some("godkendt"), Some("godkendt_af_virksomhed"), None),
        T::ForlaengelseAfventer => (Some("godkendt"), Some("godkendt_af_virksomhed"), Some("afventer_jobcenter")),
    };
    let (a, b, f) = foer;
    match h {
        H::Se | H::GemKladde | H::OpretKladde | H::SaetAnsvarlig | H::FlytJobcenter | H::Genfremsend => foer,
        // Removed: checked on its own in `policy_i_databasen`, never through these statuses.
        H::SletKladde => foer,
        H::Indsend { med_hoering: true } => (Some("sendt_til_medarbejder_rep"), b, f),
        // A one-person company skips the representative: straight to the jobcentre.
        H::Indsend { med_hoering: false } => (Some("modtaget"), b, f),
        H::RepGodkend => (Some("modtaget"), b, f),
        H::RepAfvis => (Some("afvist_af_medarbejder_rep"), b, f),
        H::GodkendAnsoegning => (Some("godkendt"), Some("afventer_virksomhed"), f),
        H::AfvisAnsoegning => (Some("afvist"), b, f),
        H::GodkendBevilling => (a, Some("godkendt_af_virksomhed"), f),
        H::AfvisBevilling => (a, Some("ikke_godkendt"), f),
        H::AnmodForlaengelse => (a, b, Some("afventer_jobcenter")),
        H::GodkendForlaengelse => (a, b, Some("godkendt")),
        H::AfvisForlaengelse => (a, b, Some("afvist")),
        // A pending extension lapses when the grant ends.
        H::RegistrerOphoer => (a, Some("ophoert"), f.map(|_| "bortfaldet")),
        H::LukVedUdloeb => (a, Some("ophoert"), f),
        // The citizen's signature on an agreement: never on this løntilskud case.
        H::BorgerUnderskriv => (Some("modtaget"), b, f),
        H::BorgerAfvis => (Some("afvist_af_borger"), b, f),
    }
}

struct Verden {
    kbh: i64,
    aarhus: i64,
    aa: i64,
    /// A case of someone else, whose representative link must not reach ours.
    anden_sag: i64,
}

impl Verden {
    fn aktoer(&self, hvem: Hvem, sag_id: i64) -> Aktoer {
        match hvem {
            W::Virksomheden => Aktoer::Virksomhed { cvr: CVR_NORDLYS.into() },
            W::AndenVirksomhed => Aktoer::Virksomhed { cvr: CVR_FYNSK.into() },
            W::Repraesentanten => Aktoer::Medarbejderrep { sag_id },
            W::AndenRep => Aktoer::Medarbejderrep { sag_id: self.anden_sag },
            W::Borgeren => Aktoer::Borger { cpr: CPR_ANNA.into() },
            W::AndenBorger => Aktoer::Borger { cpr: "1503852345".into() },
            W::Sagsbehandler => Aktoer::Sagsbehandler { jobcenter_id: self.kbh },
            W::AndenSagsbehandler => Aktoer::Sagsbehandler { jobcenter_id: self.aarhus },
            W::Administrator => Aktoer::Administrator { jobcenter_id: self.kbh },
            W::AndenAdministrator => Aktoer::Administrator { jobcenter_id: self.aarhus },
            W::AndenAktoer => Aktoer::AndenAktoer { organisation_id: self.aa },
            W::Styrelsen => Aktoer::Styrelse,
            W::Systemet => Aktoer::System,
        }
    }

    /// What the web layer would send along with the action (only what the state needs).
    fn aendring(&self, h: Handling) -> Aendring {
        match h {
            H::Indsend { med_hoering } => indsend(self.kbh, med_hoering),
            H::AnmodForlaengelse => {
                let mut a = Aendring::ny(h);
                a.nyt_element = Some(NytElement {
                    art: Elementart::Forlaengelse,
                    status: "afventer_jobcenter".into(),
                    startdato: slutdato().succ_opt(),
                    slutdato: Some(slutdato() + chrono::Duration::days(90)),
                    data: serde_json::json!({}),
                });
                a
            }
            _ => Aendring::ny(h),
        }
    }

    /// A fresh case in `trin`, reached through the real repository functions.
    async fn sag_i(&self, app: &TestApp, trin: Trin) -> i64 {
        let id = ny_kladde(app).await.id;
        let skridt: &[(Hvem, Handling)] = match trin {
            T::Kladde => &[],
            T::SendtTilRep => &[(W::Virksomheden, H::Indsend { med_hoering: true })],
            T::Modtaget => &[(W::Virksomheden, H::Indsend { med_hoering: true }), (W::Repraesentanten, H::RepGodkend)],
            T::AfventerVirksomhed => &[
                (W::Virksomheden, H::Indsend { med_hoering: true }),
                (W::Repraesentanten, H::RepGodkend),
                (W::Sagsbehandler, H::GodkendAnsoegning),
            ],
            T::Bevilget => &[
                (W::Virksomheden, H::Indsend { med_hoering: true }),
                (W::Repraesentanten, H::RepGodkend),
                (W::Sagsbehandler, H::GodkendAnsoegning),
                (W::Virksomheden, H::GodkendBevilling),
            ],
            T::ForlaengelseAfventer => &[
                (W::Virksomheden, H::Indsend { med_hoering: true }),
                (W::Repraesentanten, H::RepGodkend),
                (W::Sagsbehandler, H::GodkendAnsoegning),
                (W::Virksomheden, H::GodkendBevilling),
                (W::Virksomheden, H::AnmodForlaengelse),
            ],
        };
        for (hvem, h) in skridt {
            sager::udfoer(&app.db, id, &udfoerer(self.aktoer(*hvem, id)), self.aendring(*h), Utc::now())
                .await
                .unwrap_or_else(|e| panic!("kunne ikke bringe sagen til {trin:?} ({hvem:?} {h:?}): {e:?}"));
        }
        id
    }
}

async fn policy_i_databasen(app: TestApp) {
    let aa = anden_aktoer::Entity::find().one(&app.db.conn).await.expect("aa").expect("demo-AA findes").id;
    let anden_sag = ny_kladde(&app).await.id;
    let v = Verden { kbh: jobcenter_id(&app, "0101").await, aarhus: jobcenter_id(&app, "0751").await, aa, anden_sag };
    let mut afvist = 0;
    let mut tilladt = 0;
    for trin in TRIN {
        let faelles = v.sag_i(&app, trin).await;
        for hvem in HVEM {
            for h in Handling::ALLE {
                let hvem_u = udfoerer(v.aktoer(hvem, faelles));
                if TILLADT.contains(&(trin, hvem, h)) {
                    // On a fresh case in the same state, so the shared one stays put.
                    let id = v.sag_i(&app, trin).await;
                    let hvem_u = udfoerer(v.aktoer(hvem, id));
                    let foer = sag_raekke(&app, id).await;
                    if h == Handling::Se {
                        // Reading goes through `hent`, which changes nothing.
                        sager::hent(&app.db, id, &hvem_u.aktoer)
                            .await
                            .unwrap_or_else(|e| panic!("{trin:?}: {hvem:?} skal kunne se sagen, fik {e:?}"));
                        assert_eq!(sag_raekke(&app, id).await, foer, "{trin:?}: {hvem:?} Se ændrede sagen");
                        tilladt += 1;
                        continue;
                    }
                    let efter = sager::udfoer(&app.db, id, &hvem_u, v.aendring(h), Utc::now())
                        .await
                        .unwrap_or_else(|e| panic!("{trin:?}: {hvem:?} skal kunne {h:?}, fik {e:?}"));
                    if h == Handling::SletKladde {
                        // The draft is gone, with its history; the list totals follow.
                        let findes = storage::entity::sag::Entity::find_by_id(id).one(&app.db.conn).await;
                        assert!(matches!(findes, Ok(None)), "{trin:?}: {hvem:?} slettede ikke kladden");
                        assert_eq!(efter.id, id);
                        crate::lister::taelling_stemmer(&app).await;
                        tilladt += 1;
                        continue;
                    }
                    let (a, b, f) = forventet_efter(trin, h);
                    assert_eq!(
                        (
                            efter.ansoegning_status.as_deref(),
                            efter.afgoerelse_status.as_deref(),
                            efter.forlaengelse_status.as_deref()
                        ),
                        (a, b, f),
                        "{trin:?}: {hvem:?} {h:?} gav forkert status"
                    );
                    assert_eq!(efter.version, foer.version + 1, "{trin:?}: {hvem:?} {h:?}");
                    tilladt += 1;
                } else {
                    let foer_sag = sag_raekke(&app, faelles).await;
                    let foer = antal(&app).await;
                    let res = if h == Handling::Se {
                        sager::hent(&app.db, faelles, &hvem_u.aktoer).await
                    } else {
                        sager::udfoer(&app.db, faelles, &hvem_u, v.aendring(h), Utc::now()).await
                    };
                    match &res {
                        // A case the actor may not read is "not found" (ids cannot be probed).
                        Err(StorageError::IkkeFundet) if h == Handling::Se => {}
                        // A case exists already: creating it is not a change `udfoer` makes.
                        Err(StorageError::Data(_)) if h == Handling::OpretKladde => {}
                        Err(StorageError::Afvist(a)) => {
                            if hvem.fremmed() {
                                assert_eq!(
                                    a,
                                    &Afvisning::IkkeAdgang,
                                    "{trin:?}: {hvem:?} er uden for sagen og skal have »findes ikke« ved {h:?}"
                                );
                            }
                            let besked = a.to_string();
                            assert!(!besked.is_empty() && !besked.contains("Some("), "dansk besked: {besked}");
                        }
                        andet => panic!("{trin:?}: {hvem:?} må ikke {h:?}, men fik {andet:?}"),
                    }
                    assert_eq!(sag_raekke(&app, faelles).await, foer_sag, "{trin:?}: {hvem:?} {h:?} ændrede sagen");
                    assert_eq!(antal(&app).await, foer, "{trin:?}: {hvem:?} {h:?} efterlod rækker");
                    afvist += 1;
                }
            }
        }
    }
    assert_eq!(tilladt, TILLADT.len());
    assert_eq!(afvist + tilladt, TRIN.len() * HVEM.len() * Handling::ALLE.len());

    // Reading goes through `hent`, with the same answers for Se (a few spot checks).
    let id = v.sag_i(&app, T::Modtaget).await;
    for hvem in HVEM {
        let forventet = TILLADT.contains(&(T::Modtaget, hvem, H::Se));
        let res = sager::hent(&app.db, id, &v.aktoer(hvem, id)).await;
        match res {
            Ok(s) => assert!(forventet && s.id == id, "{hvem:?} må ikke se sagen"),
            Err(StorageError::IkkeFundet) => assert!(!forventet, "{hvem:?} skal kunne se sagen"),
            Err(e) => panic!("{hvem:?}: uventet fejl {e:?}"),
        }
    }
}

paa_begge_databaser!(policy_i_databasen);
