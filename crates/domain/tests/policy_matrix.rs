//! The access matrix, exhaustively: every role × action × status × tenant (same or other) ×
//! whether a jobcentre holds the case (a company's own draft has none until it is sent).
//! The expected answers are written out here as data, from seed 004 and DOMAIN.md's life
//! cycle, independently of `policy::overgang`'s match arms.

use domain::ordning::Ordning;
use domain::policy::{Afvisning, Aktoer, Handling, Rolle, SagsFakta, Tilstand, tjek};
use domain::status::{AfgoerelseStatus as Afg, AnsoegningStatus as Ans, ForlaengelseStatus as Forl};

const SAG: i64 = 41;
const JC: i64 = 7;
const AA: i64 = 3;
const CVR: &str = "12345674";
const CPR: &str = "0101801234";

fn aktoer(rolle: Rolle, samme_tenant: bool) -> Aktoer {
    let (sag, jc, aa, cvr, cpr) = if samme_tenant {
        (SAG, JC, AA, CVR.to_string(), CPR.to_string())
    } else {
        (SAG + 1, JC + 1, AA + 1, "87654321".to_string(), "0202802345".to_string())
    };
    match rolle {
        Rolle::Virksomhed => Aktoer::Virksomhed { cvr },
        Rolle::Medarbejderrep => Aktoer::Medarbejderrep { sag_id: sag },
        Rolle::Borger => Aktoer::Borger { cpr },
        Rolle::Sagsbehandler => Aktoer::Sagsbehandler { jobcenter_id: jc },
        Rolle::Administrator => Aktoer::Administrator { jobcenter_id: jc },
        Rolle::AndenAktoer => Aktoer::AndenAktoer { organisation_id: aa },
        Rolle::Styrelse => Aktoer::Styrelse,
    }
}

fn fakta(tilstand: Tilstand) -> SagsFakta {
    fakta_hos(tilstand, true)
}

/// The case, held by the jobcentre `JC` or (a company's draft not yet sent) by none.
fn fakta_hos(tilstand: Tilstand, hos_jobcenter: bool) -> SagsFakta {
    SagsFakta {
        sag_id: Some(SAG),
        ordning: Ordning::Loentilskud,
        cvr: CVR.into(),
        jobcenter_id: hos_jobcenter.then_some(JC),
        cpr: Some(CPR.into()),
        anden_aktoer_id: Some(AA),
        tilstand,
    }
}

fn t(ans: Option<Ans>, afg: Option<Afg>, forl: Option<Forl>) -> Tilstand {
    Tilstand { ansoegning: ans, afgoerelse: afg, forlaengelse: forl }
}

/// Who may act (DOMAIN.md "Actors and roles"; AA rights come with the AA issue).
fn roller_der_maa(h: Handling) -> Vec<Rolle> {
    use Rolle::*;
    match h {
        Handling::Se => Rolle::ALLE.to_vec(),
        Handling::RepGodkend | Handling::RepAfvis => vec![Medarbejderrep],
        Handling::GodkendAnsoegning
        | Handling::AfvisAnsoegning
        | Handling::GodkendForlaengelse
        | Handling::AfvisForlaengelse
        | Handling::SaetAnsvarlig
        | Handling::FlytJobcenter
        | Handling::Genfremsend => vec![Sagsbehandler, Administrator],
        _ => vec![Virksomhed],
    }
}

/// The expected state after `h` from `foer`, or None where the state forbids it.
/// `hos_jobcenter`: a jobcentre holds the case.
fn forventet(h: Handling, foer: Tilstand, hos_jobcenter: bool) -> Option<Tilstand> {
    let aktiv = [Some(Afg::GodkendtAfVirksomhed)];
    let ikke_afventende_forl = [None, Some(Forl::Godkendt), Some(Forl::Afvist), Some(Forl::Bortfaldet)];
    let (ans, afg, forl) = (foer.ansoegning, foer.afgoerelse, foer.forlaengelse);
    let efter = match h {
        Handling::Se => return Some(foer),
        Handling::OpretKladde if foer == Tilstand::NY => t(Some(Ans::Kladde), None, None),
        Handling::GemKladde if ans == Some(Ans::Kladde) && afg.is_none() => foer,
        // Decision 90: the company deletes its own draft, one no jobcentre has seen; nothing
        // is left to have a state.
        Handling::SletKladde if ans == Some(Ans::Kladde) && afg.is_none() && !hos_jobcenter => foer,
        Handling::Indsend { med_hoering: true } if ans == Some(Ans::Kladde) && afg.is_none() => {
            t(Some(Ans::SendtTilMedarbejderRep), None, forl)
        }
        Handling::Indsend { med_hoering: false } if ans == Some(Ans::Kladde) && afg.is_none() => {
            t(Some(Ans::Modtaget), None, forl)
        }
        Handling::RepGodkend if ans == Some(Ans::SendtTilMedarbejderRep) && afg.is_none() => {
            t(Some(Ans::Modtaget), None, forl)
        }
        Handling::RepAfvis if ans == Some(Ans::SendtTilMedarbejderRep) && afg.is_none() => {
            t(Some(Ans::AfvistAfMedarbejderRep), None, forl)
        }
        Handling::GodkendAnsoegning if ans == Some(Ans::Modtaget) && afg.is_none() => {
            t(Some(Ans::Godkendt), Some(Afg::AfventerVirksomhed), forl)
        }
        Handling::AfvisAnsoegning if ans == Some(Ans::Modtaget) && afg.is_none() => t(Some(Ans::Afvist), None, forl),
        Handling::GodkendBevilling if afg == Some(Afg::AfventerVirksomhed) => {
            t(ans, Some(Afg::GodkendtAfVirksomhed), forl)
        }
        Handling::AfvisBevilling if afg == Some(Afg::AfventerVirksomhed) => t(ans, Some(Afg::IkkeGodkendt), forl),
        Handling::AnmodForlaengelse if aktiv.contains(&afg) && ikke_afventende_forl.contains(&forl) => {
            t(ans, afg, Some(Forl::AfventerJobcenter))
        }
        Handling::GodkendForlaengelse if aktiv.contains(&afg) && forl == Some(Forl::AfventerJobcenter) => {
            t(ans, afg, Some(Forl::Godkendt))
        }
        Handling::AfvisForlaengelse if aktiv.contains(&afg) && forl == Some(Forl::AfventerJobcenter) => {
            t(ans, afg, Some(Forl::Afvist))
        }
        Handling::RegistrerOphoer if aktiv.contains(&afg) => {
            let forl = if forl == Some(Forl::AfventerJobcenter) { Some(Forl::Bortfaldet) } else { forl };
            t(ans, Some(Afg::Ophoert), forl)
        }
        // Seed 001 §1.11: moving works whatever the case's state, a rejected grant included.
        Handling::SaetAnsvarlig | Handling::FlytJobcenter if foer != Tilstand::NY => foer,
        // Papirflyver (DOMAIN.md step 1, seed 002 §5.4): a draft, or a grant awaiting the
        // company; nothing changes but the history and the outbox.
        Handling::Genfremsend
            if (ans == Some(Ans::Kladde) && afg.is_none()) || afg == Some(Afg::AfventerVirksomhed) =>
        {
            foer
        }
        _ => return None,
    };
    Some(efter)
}

#[test]
fn hele_matricen_rolle_handling_status_tenant() {
    let mut tilladt = 0;
    let mut afvist = 0;
    for rolle in Rolle::ALLE {
        for handling in Handling::ALLE {
            for tilstand in Tilstand::alle() {
                for (samme_tenant, hos_jobcenter) in [(true, true), (false, true), (true, false), (false, false)] {
                    let a = aktoer(rolle, samme_tenant);
                    let f = fakta_hos(tilstand, hos_jobcenter);
                    // Styrelsen has national scope: "another tenant" does not exist for it. A
                    // case no jobcentre holds is in no caseworker's or administrator's scope.
                    let jobcentrets = matches!(rolle, Rolle::Sagsbehandler | Rolle::Administrator);
                    let i_scope = rolle == Rolle::Styrelse || (samme_tenant && (hos_jobcenter || !jobcentrets));
                    let forventes = if i_scope && roller_der_maa(handling).contains(&rolle) {
                        forventet(handling, tilstand, hos_jobcenter)
                    } else {
                        None
                    };
                    let svar = tjek(&a, handling, &f);
                    match (forventes, &svar) {
                        (Some(efter), Ok(overgang)) => {
                            assert_eq!(overgang.anvend(tilstand), efter, "{rolle:?} {handling:?} {tilstand:?}");
                            tilladt += 1;
                        }
                        (None, Err(grund)) => {
                            let tekst = grund.to_string();
                            assert!(!tekst.is_empty() && tekst.ends_with('.'), "{tekst}");
                            if !i_scope {
                                assert_eq!(*grund, Afvisning::IkkeAdgang, "{rolle:?} {handling:?}");
                            }
                            afvist += 1;
                        }
                        (forventes, svar) => {
                            panic!(
                                "{rolle:?} {handling:?} {tilstand:?} tenant={samme_tenant} jobcenter={hos_jobcenter}: forventede {forventes:?}, fik {svar:?}"
                            )
                        }
                    }
                }
            }
        }
    }
    // The matrix is not vacuous in either direction.
    assert!(tilladt > 100, "tilladt={tilladt}");
    assert!(afvist > 1000, "afvist={afvist}");
}

#[test]
fn afvisninger_er_paa_dansk_og_forklarer() {
    let f = fakta(t(Some(Ans::Kladde), None, None));
    let sb = aktoer(Rolle::Sagsbehandler, true);
    let e = tjek(&sb, Handling::GodkendBevilling, &f).expect_err("sagsbehandler må ikke godkende bevilling");
    assert_eq!(e.to_string(), "Som Sagsbehandler kan du ikke udføre handlingen »Godkend bevilling«.");
    let virk = aktoer(Rolle::Virksomhed, true);
    let e = tjek(&virk, Handling::AnmodForlaengelse, &f).expect_err("kladde kan ikke forlænges");
    assert_eq!(e.to_string(), "»Anmod om forlængelse« kan ikke udføres, når sagen har status »Kladde«.");
    let anden = aktoer(Rolle::Virksomhed, false);
    let e = tjek(&anden, Handling::Se, &f).expect_err("anden virksomhed");
    assert_eq!(e.to_string(), "Sagen findes ikke, eller du har ikke adgang til den.");
}

#[test]
fn kun_godkendt_bevilling_kan_forlaenges_eller_ophoere() {
    // Seed 004: "Vælg en bevilling med status 'Godkendt af virksomhed'".
    let virk = aktoer(Rolle::Virksomhed, true);
    for tilstand in Tilstand::alle() {
        let f = fakta(tilstand);
        for h in [Handling::AnmodForlaengelse, Handling::RegistrerOphoer] {
            if tjek(&virk, h, &f).is_ok() {
                assert_eq!(tilstand.afgoerelse, Some(Afg::GodkendtAfVirksomhed), "{h:?} fra {tilstand:?}");
            }
        }
    }
}

#[test]
fn ordninger_uden_formular_afvises_men_kan_ses() {
    let virk = aktoer(Rolle::Virksomhed, true);
    let mut f = fakta(Tilstand::NY);
    f.ordning = Ordning::Fleksjob;
    assert!(matches!(tjek(&virk, Handling::OpretKladde, &f), Err(Afvisning::Ordning { .. })));
    assert!(tjek(&virk, Handling::Se, &f).is_ok());
}

/// Decision 90: a company deletes its own draft only; a draft a jobcentre made or holds is
/// the jobcentre's, and says so in Danish.
#[test]
fn kun_virksomhedens_egen_kladde_kan_slettes() {
    let kladde = t(Some(Ans::Kladde), None, None);
    let virk = aktoer(Rolle::Virksomhed, true);
    assert!(tjek(&virk, Handling::SletKladde, &fakta_hos(kladde, false)).is_ok());
    let e = tjek(&virk, Handling::SletKladde, &fakta_hos(kladde, true)).expect_err("jobcentrets kladde");
    assert_eq!(e, Afvisning::JobcentretsKladde);
    assert_eq!(
        e.to_string(),
        "Kladden er lavet af jobcentret og kan ikke slettes her. Kontakt jobcentret, hvis den ikke skal bruges."
    );
    let sendt = t(Some(Ans::SendtTilMedarbejderRep), None, None);
    let e = tjek(&virk, Handling::SletKladde, &fakta_hos(sendt, true)).expect_err("en sendt ansøgning");
    assert_eq!(e.to_string(), "»Slet kladde« kan ikke udføres, når sagen har status »Sendt til medarbejder-rep«.");
    let anden = aktoer(Rolle::Virksomhed, false);
    assert_eq!(tjek(&anden, Handling::SletKladde, &fakta_hos(kladde, false)), Err(Afvisning::IkkeAdgang));
}
