//! "Ophør": the company registers the end of an approved grant (seed 004); the rules are
//! `domain::anmodninger::OphoerRegistrering::vurder`.

use super::{FormularSide, formular_svar, kontakt_email, kontakt_navn, kraev};
use crate::AppState;
use crate::auth::Bruger;
use crate::fejl::WebFejl;
use crate::felt::{Felt, FeltArt, med_fejl};
use crate::html::ansoegning::skema;
use crate::html::{Indsendt, Ramme, Sti, Svar, dato, version, videre};
use axum::extract::State;
use axum::response::IntoResponse;
use chrono::Utc;
use domain::FieldError;
use domain::anmodninger::{OphoerGrundlag, OphoerRegistrering};
use domain::ident::Cvr;
use domain::ordning::Ordning;
use domain::periode::{GodkendtForlaengelse, Periode};
use domain::policy::Handling;
use domain::status::{Elementart, ForlaengelseStatus};
use domain::tilskud::Tilskudsloft;
use storage::entity::{sag, sagselement};
use storage::sager::{Aendring, NytElement};

// ---- Ophør ------------------------------------------------------------------------------------

fn ophoer_side(
    b: &Bruger,
    sag: &sag::Model,
    v: &OphoerRegistrering,
    fejl: &[FieldError],
    offentlig: bool,
    ordning: Ordning,
) -> FormularSide {
    let aarsager = domain::ophoer::aarsager(ordning);
    let mut valg = vec![(String::new(), "Vælg årsag".to_string())];
    valg.extend(aarsager.iter().map(|a| (a.id.to_string(), a.tekst.to_string())));
    let mut undervalg = vec![(String::new(), "Ikke relevant".to_string())];
    for a in &aarsager {
        undervalg.extend(a.undervalg.iter().map(|u| (u.id.to_string(), format!("{} – {}", a.tekst, u.tekst))));
    }
    let mut intro = vec![format!(
        "Bevillingen løber fra {} til {}. Ophørsdatoen skal ligge i den periode.",
        dato(sag.startdato),
        dato(sag.slutdato)
    )];
    let med_loft = ordning.profil().tilskudsloft();
    if med_loft && !offentlig {
        intro.push(domain::tilskud::LOFT_VED_OPHOER.into());
    }
    let mut felter = vec![
        Felt::ny("ophoersdato", "Ophørsdato", FeltArt::Dato, v.ophoersdato.clone()),
        Felt::ny("aarsag", "Årsag til ophør", FeltArt::Valg(valg), v.aarsag.clone()),
        Felt::ny("undervalg", "Hvis ophørt før tid: hvorfor?", FeltArt::Valg(undervalg), v.undervalg.clone()).valgfri(),
    ];
    // Seed 004: the subsidy received and the wage cost, for the cap (`Profil::tilskudsloft`).
    if med_loft {
        felter.push(Felt::ny(
            "modtaget_tilskud",
            domain::tilskud::MODTAGET_TILSKUD,
            FeltArt::Decimal,
            v.modtaget_tilskud.clone(),
        ));
        felter.push(Felt::ny(
            "samlet_loenudgift",
            domain::tilskud::SAMLET_LOENUDGIFT,
            FeltArt::Decimal,
            v.samlet_loenudgift.clone(),
        ));
    }
    FormularSide {
        ramme: Ramme::ny("Registrer ophør", Some(b)),
        sag_id: sag.id,
        version: sag.version,
        overskrift: "Registrer ophør".into(),
        intro,
        felter: med_fejl(felter, fejl),
        handling_url: format!("/sager/{}/ophoer", sag.id),
        knap_id: "send-ophoer",
        knap_tekst: "Godkend ophør",
        advarsler: vec![],
    }
}

async fn er_offentlig(st: &AppState, cvr: &str) -> Result<bool, WebFejl> {
    let cvr = Cvr::parse(cvr, "cvr").map_err(|e| WebFejl::Intern(e.into()))?;
    Ok(st.cvr.virksomhed(&cvr).await?.is_some_and(|v| v.offentlig))
}

#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn ophoer_form(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    kraev(&b, &sag, Handling::RegistrerOphoer)?;
    let offentlig = er_offentlig(&st, &sag.cvr).await?;
    Ok(ophoer_side(&b, &sag, &OphoerRegistrering::default(), &[], offentlig, storage::sager::ordning(&sag)?)
        .into_response())
}

#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn ophoer(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>, Indsendt(f): Indsendt) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    kraev(&b, &sag, Handling::RegistrerOphoer)?;
    let offentlig = er_offentlig(&st, &sag.cvr).await?;
    let ordning = storage::sager::ordning(&sag)?;
    let v = OphoerRegistrering::from(&f);
    let (Some(start), Some(slut)) = (sag.startdato, sag.slutdato) else {
        return Err(WebFejl::Intern(anyhow::anyhow!("sag {id} mangler periode")));
    };
    let elementer = storage::sager::elementer(&st.db, id).await?;
    let godkendte: Vec<GodkendtForlaengelse> = elementer
        .iter()
        .filter(|e| e.art == Elementart::Forlaengelse.kode() && e.status == ForlaengelseStatus::Godkendt.kode())
        .filter_map(|e: &sagselement::Model| {
            Some(GodkendtForlaengelse { element_id: e.id, periode: Periode { start: e.startdato?, slut: e.slutdato? } })
        })
        .collect();
    let grundlag = OphoerGrundlag {
        ordning,
        bevilling: Periode { start, slut },
        oprindelig_slut: sag.oprindelig_slutdato,
        godkendte_forlaengelser: &godkendte,
        offentlig_arbejdsgiver: offentlig,
        bevillingens_loft: elementer
            .iter()
            .rfind(|e| e.art == Elementart::Bevilling.kode())
            .and_then(|e| domain::elementdata::Bevillingsdata::laes(&e.data))
            .and_then(|d| d.tilskudsloft())
            .unwrap_or(Tilskudsloft::Halvtreds),
    };
    let o = match v.vurder(&grundlag) {
        Ok(o) => o,
        Err(fejl) => return Ok(formular_svar(ophoer_side(&b, &sag, &v, &fejl, offentlig, ordning), true)),
    };
    let mut a = Aendring::ny(Handling::RegistrerOphoer);
    a.forventet_version = version(&f);
    a.opdatering.slutdato = Some(o.virkning.aktuel_slut);
    a.element_status =
        o.virkning.bortfaldne.iter().map(|id| (*id, ForlaengelseStatus::Bortfaldet.kode().to_string())).collect();
    // The newest extension is the last to start: if any lapses, it does.
    a.opdatering.forlaengelse_bortfalder = !o.virkning.bortfaldne.is_empty();
    a.bemaerkning = Some(o.bemaerkning());
    a.nyt_element = Some(NytElement {
        art: Elementart::Ophoer,
        status: "registreret".into(),
        startdato: None,
        slutdato: Some(o.virkning.aktuel_slut),
        data: o.data.json(),
    });
    let s = skema(&st.db, &sag).await?;
    if let Some(til) = kontakt_email(&s) {
        let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
        let slut = dato(Some(o.virkning.aktuel_slut));
        a.emails.push(crate::email::ophoer_registreret(&afsender, &til, kontakt_navn(&s), &slut)?);
    }
    storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, Utc::now()).await?;
    Ok(videre(format!("/sager/{id}?besked=ophoer")))
}
