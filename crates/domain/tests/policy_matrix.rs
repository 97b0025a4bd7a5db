//! The access matrix, exhaustively: every life cycle × role × action × status × tenant (same
//! or other) × whether a jobcentre holds the case (a company's own draft has none until it
//! is sent). The expected answers are written out here as data, from seed 004 and
//! DOMAIN.md's life cycle, independently of `policy::overgang`'s match arms; the life cycles
//! come from the profile table, so a new one is in the matrix without a line here.

use domain::ordning::{Initiativ, Livsforloeb, Ordning};
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
        Rolle::System => Aktoer::System,
    }
}

fn fakta(tilstand: Tilstand) -> SagsFakta {
    fakta_for(Ordning::Loentilskud, tilstand, true)
}

fn fakta_hos(tilstand: Tilstand, hos_jobcenter: bool) -> SagsFakta {
    fakta_for(Ordning::Loentilskud, tilstand, hos_jobcenter)
}

/// A case of `ordning`, held by the jobcentre `JC` or (a company's draft not yet sent) by none.
fn fakta_for(ordning: Ordning, tilstand: Tilstand, hos_jobcenter: bool) -> SagsFakta {
    SagsFakta {
        sag_id: Some(SAG),
        ordning,
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
        // Every person; VITAS's own pass reads nothing through the policy (decision 88).
        Handling::Se => Rolle::ALLE.into_iter().filter(|r| *r != System).collect(),
        Handling::RepGodkend | Handling::RepAfvis => vec![Medarbejderrep],
        // DOMAIN.md "Actors": the citizen signs IGU agreements.
        Handling::BorgerUnderskriv | Handling::BorgerAfvis => vec![Borger],
        Handling::GodkendAnsoegning
        | Handling::AfvisAnsoegning
        | Handling::GodkendForlaengelse
        | Handling::AfvisForlaengelse
        | Handling::SaetAnsvarlig
        | Handling::FlytJobcenter
        | Handling::Genfremsend => vec![Sagsbehandler, Administrator],
        // Decision 88: VITAS's own pass, nobody else.
        Handling::LukVedUdloeb => vec![System],
        _ => vec![Virksomhed],
    }
}

/// One scheme per life cycle, a built one where there is one: the matrix runs each.
fn en_ordning_pr_livsforloeb() -> Vec<(Livsforloeb, Ordning)> {
    Livsforloeb::ALLE
        .into_iter()
        .filter_map(|lf| {
            let med = Ordning::ALLE.into_iter().filter(|o| o.profil().livsforloeb == lf);
            let alle: Vec<Ordning> = med.collect();
            alle.iter().find(|o| o.bygget()).or(alle.first()).map(|o| (lf, *o))
        })
        .collect()
}

/// The expected state after `h` from `foer` in a case of `ordning`, or None where the state,
/// the life cycle or an unbuilt scheme forbids it.
fn forventet_for(ordning: Ordning, h: Handling, foer: Tilstand, hos_jobcenter: bool) -> Option<Tilstand> {
    let lf = ordning.profil().livsforloeb;
    if !h.uafhaengig_af_skema() && !ordning.bygget() {
        return None;
    }
    // DOMAIN.md "Case life cycle": the hearing belongs to the life cycles that have one; an
    // application to those the company starts.
    let hoering = matches!(h, Handling::Indsend { med_hoering: true } | Handling::RepGodkend | Handling::RepAfvis);
    let ansoegning =
        matches!(h, Handling::OpretKladde | Handling::GemKladde | Handling::SletKladde | Handling::Indsend { .. });
    // The citizen's signature belongs to the agreement (decision 97).
    let borgerens = matches!(h, Handling::BorgerUnderskriv | Handling::BorgerAfvis);
    let aftale = lf == Livsforloeb::AftaleMedBorger;
    if (hoering && !lf.hoering()) || (ansoegning && lf.initiativ() != Initiativ::Virksomhed) || (borgerens && !aftale) {
        return None;
    }
    let (ans, afg, forl) = (foer.ansoegning, foer.afgoerelse, foer.forlaengelse);
    let sendt = ans == Some(Ans::SendtTilBorger) && afg.is_none();
    match h {
        // Decision 97: the company's signature sends an agreement to the citizen, whose
        // signature sends it to the jobcentre; a refusal ends it.
        Handling::Indsend { med_hoering: false } if aftale && ans == Some(Ans::Kladde) && afg.is_none() => {
            Some(t(Some(Ans::SendtTilBorger), None, forl))
        }
        Handling::BorgerUnderskriv if sendt => Some(t(Some(Ans::Modtaget), None, forl)),
        Handling::BorgerAfvis if sendt => Some(t(Some(Ans::AfvistAfBorger), None, forl)),
        _ => forventet(h, foer, hos_jobcenter),
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
        // Seed 001 §2.1, decision 88: an approved grant past its end closes, unless an
        // extension awaits the jobcentre.
        Handling::LukVedUdloeb if aktiv.contains(&afg) && ikke_afventende_forl.contains(&forl) => {
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
fn hele_matricen_livsforloeb_rolle_handling_status_tenant() {
    let mut tilladt = 0;
    let mut afvist = 0;
    let livsforloeb = en_ordning_pr_livsforloeb();
    assert_eq!(livsforloeb.len(), Livsforloeb::ALLE.len(), "hvert livsforløb har en ordning");
    for (lf, ordning) in livsforloeb {
        for rolle in Rolle::ALLE {
            for handling in Handling::ALLE {
                for tilstand in Tilstand::alle() {
                    for (samme_tenant, hos_jobcenter) in [(true, true), (false, true), (true, false), (false, false)] {
                        let a = aktoer(rolle, samme_tenant);
                        let f = fakta_for(ordning, tilstand, hos_jobcenter);
                        // Styrelsen and VITAS itself have national scope: "another tenant" does
                        // not exist for them. A case no jobcentre holds is in no caseworker's or
                        // administrator's scope.
                        let jobcentrets = matches!(rolle, Rolle::Sagsbehandler | Rolle::Administrator);
                        // Issue 13 §2: the citizen sees only agreements they sign, once sent.
                        let borgerens = rolle != Rolle::Borger
                            || (ordning.borger_underskriver()
                                && !matches!(tilstand.ansoegning, None | Some(Ans::Kladde)));
                        let i_scope = matches!(rolle, Rolle::Styrelse | Rolle::System)
                            || (samme_tenant && (hos_jobcenter || !jobcentrets) && borgerens);
                        let forventes = if i_scope && roller_der_maa(handling).contains(&rolle) {
                            forventet_for(ordning, handling, tilstand, hos_jobcenter)
                        } else {
                            None
                        };
                        let svar = tjek(&a, handling, &f);
                        let hvor = format!(
                            "{lf:?} {rolle:?} {handling:?} {tilstand:?} tenant={samme_tenant} jobcenter={hos_jobcenter}"
                        );
                        match (forventes, &svar) {
                            (Some(efter), Ok(overgang)) => {
                                assert_eq!(overgang.anvend(tilstand), efter, "{hvor}");
                                // Seed 001 §2.1: DFDG 14 when a grant is not approved, 15 when
                                // it runs out; every other transition records no termination.
                                let kode = match (handling, efter.afgoerelse) {
                                    (Handling::LukVedUdloeb, _) => Some(15),
                                    (_, Some(Afg::IkkeGodkendt)) if tilstand.afgoerelse != efter.afgoerelse => Some(14),
                                    _ => None,
                                };
                                assert_eq!(overgang.systemophoer.map(|s| s.dfdg().id), kode, "{hvor}");
                                tilladt += 1;
                            }
                            (None, Err(grund)) => {
                                let tekst = grund.to_string();
                                assert!(!tekst.is_empty() && tekst.ends_with('.'), "{tekst}");
                                if !i_scope {
                                    assert_eq!(*grund, Afvisning::IkkeAdgang, "{hvor}");
                                }
                                afvist += 1;
                            }
                            (forventes, svar) => panic!("{hvor}: forventede {forventes:?}, fik {svar:?}"),
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
    let Some(uden) = Ordning::ALLE.into_iter().find(|o| !o.bygget()) else { return };
    f.ordning = uden;
    assert!(matches!(tjek(&virk, Handling::OpretKladde, &f), Err(Afvisning::Ordning { .. })));
    assert!(tjek(&virk, Handling::Se, &f).is_ok());
}

/// Seed 001 §3.4 ("Sæt ansvarlig" failed for jobrotation) and §1.11 (moving), and seed 001
/// §2.1 (DFDG 15 for every scheme's grant): the actions that do not touch the form work on
/// every scheme, built or not, with the same answers as for løntilskud; every other action
/// on a scheme whose form is not built is refused as such.
#[test]
fn handlinger_uden_formular_virker_for_alle_ordninger() {
    let sb = aktoer(Rolle::Sagsbehandler, true);
    let system = aktoer(Rolle::System, true);
    for ordning in Ordning::ALLE {
        for tilstand in Tilstand::alle() {
            let mut f = fakta(tilstand);
            let loentilskud = f.clone();
            f.ordning = ordning;
            for (a, h) in [
                (&sb, Handling::SaetAnsvarlig),
                (&sb, Handling::FlytJobcenter),
                (&system, Handling::LukVedUdloeb),
                (&sb, Handling::Se),
            ] {
                assert!(h.uafhaengig_af_skema());
                assert_eq!(tjek(a, h, &f), tjek(a, h, &loentilskud), "{ordning:?} {h:?} {tilstand:?}");
            }
            for h in Handling::ALLE.into_iter().filter(|h| !h.uafhaengig_af_skema()) {
                let rolle = h.roller()[0];
                let a = aktoer(rolle, true);
                let svar = tjek(&a, h, &f);
                // Issue 13 §2: a citizen's scope holds only sent cases of the schemes the
                // citizen signs; the scope is checked first.
                if rolle == Rolle::Borger && !domain::policy::i_scope(&a, &f) {
                    assert_eq!(svar, Err(Afvisning::IkkeAdgang), "{ordning:?} {h:?}");
                } else if !ordning.bygget() {
                    assert!(matches!(svar, Err(Afvisning::Ordning { .. })), "{ordning:?} {h:?}: {svar:?}");
                }
            }
        }
    }
    // And the grant of a scheme without a form does close at its end.
    let mut f = fakta(t(Some(Ans::Godkendt), Some(Afg::GodkendtAfVirksomhed), None));
    f.ordning = Ordning::Mentor;
    let o = tjek(&system, Handling::LukVedUdloeb, &f).expect("mentorbevillingen lukkes");
    assert_eq!(o.afgoerelse, Some(Afg::Ophoert));
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

/// Issue 13 §2: the citizen sees and signs their own agreements once the company has sent
/// them, and nothing else: not the company's draft, not another citizen's agreement, not a
/// case of a scheme the citizen does not sign.
#[test]
fn borgeren_ser_og_underskriver_kun_egne_sendte_aftaler() {
    let borger = aktoer(Rolle::Borger, true);
    let anden = aktoer(Rolle::Borger, false);
    let sendt = t(Some(Ans::SendtTilBorger), None, None);
    let aftale = fakta_for(Ordning::Igu, sendt, true);
    assert!(tjek(&borger, Handling::Se, &aftale).is_ok());
    let o = tjek(&borger, Handling::BorgerUnderskriv, &aftale).expect("borgeren underskriver");
    assert_eq!(o.ansoegning, Some(Ans::Modtaget));
    assert_eq!(tjek(&borger, Handling::BorgerAfvis, &aftale).map(|o| o.ansoegning), Ok(Some(Ans::AfvistAfBorger)));
    assert_eq!(tjek(&anden, Handling::Se, &aftale), Err(Afvisning::IkkeAdgang));
    assert_eq!(tjek(&anden, Handling::BorgerUnderskriv, &aftale), Err(Afvisning::IkkeAdgang));
    let kladde = fakta_for(Ordning::Igu, t(Some(Ans::Kladde), None, None), false);
    assert_eq!(tjek(&borger, Handling::Se, &kladde), Err(Afvisning::IkkeAdgang));
    let loentilskud = fakta_for(Ordning::Loentilskud, t(Some(Ans::Modtaget), None, None), true);
    assert_eq!(tjek(&borger, Handling::Se, &loentilskud), Err(Afvisning::IkkeAdgang));
    // Signed once: the second signature is refused with the status.
    let modtaget = fakta_for(Ordning::Igu, t(Some(Ans::Modtaget), None, None), true);
    assert!(matches!(tjek(&borger, Handling::BorgerUnderskriv, &modtaget), Err(Afvisning::Status { .. })));
    // The company's signature sends the agreement to the citizen, not to the jobcentre.
    let virk = aktoer(Rolle::Virksomhed, true);
    let o = tjek(&virk, Handling::Indsend { med_hoering: false }, &kladde).expect("virksomheden sender");
    assert_eq!(o.ansoegning, Some(Ans::SendtTilBorger));
    assert!(matches!(
        tjek(&virk, Handling::Indsend { med_hoering: true }, &kladde),
        Err(Afvisning::Livsforloeb { .. })
    ));
}
