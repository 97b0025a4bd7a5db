//! Each scheme's API answer: the one place in the API that names schemes (issue 13 §1). The
//! Get endpoints are generic; they ask this module to put a case's data in its scheme's
//! variant of the contract (`kontrakt`). A new scheme adds its arm here.

use domain::beloeb::Beloeb;
use domain::ordning::Ordning;
use domain::skema::Skemadata;
use domain::tilskudssats::TimeTilskudsats;

use super::fejl::ApiFejl;
use super::kontrakt::{
    AftaleSvar, AnsoegningSvar, BevillingSvar, FleksjobAnsoegningSvar, FleksjobvurderingSvar, ForlaengelseSvar,
    Forlaengelser, IguAftale, LoentilskudAnsoegningSvar, LoentilskudBevillingSvar, Ophoer, OphoerSvar,
    PraktikAnsoegningSvar, StandardBevillingSvar, VoksenlaerlingAnsoegningSvar, VoksenlaerlingBevillingSvar,
};
use super::kontrakt::{Borger, JobrotationAnsoegningSvar, KursusMedarbejderSvar, TimerOgMinutter, VikarSvar};
use super::opslag::{FundetSag as Fundet, ansvarlig_kontakt, arbejdssted_kontakt};
use domain::elementdata::Bevillingsdata;
use domain::periode::parse_dato;
use domain::timer::TimerPrUge;
use storage::entity::sagselement;

/// "ja"/"nej" as a JSON boolean, `None` when unanswered.
fn ja_nej(v: &str) -> Option<bool> {
    match v {
        "ja" => Some(true),
        "nej" => Some(false),
        _ => None,
    }
}

/// GetAnsøgning's answer for the case's scheme.
pub fn ansoegning(f: &Fundet, s: &Skemadata) -> Result<AnsoegningSvar, ApiFejl> {
    let sag = f.oplysninger("ansoegning");
    Ok(match s {
        Skemadata::Loentilskud(a) => {
            let sats = TimeTilskudsats::loentilskud(f.detaljer.offentlig_arbejdsgiver);
            AnsoegningSvar::Loentilskud(LoentilskudAnsoegningSvar {
                sag,
                modtaget_dato: f.sag.modtaget_dato,
                ansaettelse: f.ansaettelse(s),
                timeloen_oere: Beloeb::parse(&a.timeloen, "timeloen").ok().map(|b| b.oere()),
                oeremaerket: ja_nej(&a.borgeren.oeremaerket),
                konfliktramt: f.sag.konfliktramt || a.virksomheden.konfliktramt == "ja",
                time_tilskudsats_type: sats.kode().into(),
                time_tilskudsats_beskrivelse: sats.beskrivelse().into(),
                ansvarlig_kontaktperson: ansvarlig_kontakt(s),
                kontaktperson_arbejdssted: arbejdssted_kontakt(s),
                bemaerkning: a.opsummering.bemaerkning.trim().into(),
            })
        }
        Skemadata::Virksomhedspraktik(a) => AnsoegningSvar::Virksomhedspraktik(PraktikAnsoegningSvar {
            sag,
            modtaget_dato: f.sag.modtaget_dato,
            ansaettelse: f.ansaettelse(s),
            formaal: a.formaal.trim().into(),
            kontaktperson_arbejdssted: arbejdssted_kontakt(s),
        }),
        Skemadata::Nytteindsats(a) => AnsoegningSvar::Nytteindsats(PraktikAnsoegningSvar {
            sag,
            modtaget_dato: f.sag.modtaget_dato,
            ansaettelse: f.ansaettelse(s),
            formaal: a.0.formaal.trim().into(),
            kontaktperson_arbejdssted: arbejdssted_kontakt(s),
        }),
        Skemadata::Fleksjob(a) => AnsoegningSvar::Fleksjob(FleksjobAnsoegningSvar {
            sag,
            modtaget_dato: f.sag.modtaget_dato,
            ansaettelse: f.ansaettelse(s),
            fleksjobtype: a.fleksjobtype.clone(),
            ansat_i_egen_virksomhed: ja_nej(&a.egen_virksomhed),
            loentype: a.loenform.clone(),
            startloen_oere: Beloeb::parse(&a.startloen, "startloen").ok().map(|b| b.oere()),
            kontaktperson_arbejdssted: arbejdssted_kontakt(s),
        }),
        // IGU is served only by GetAftale (seed 002 §1.1); `opslag::sag_for` refuses it here.
        Skemadata::Igu(_) => return Err(ApiFejl::OrdningUdenData { service: "GetAnsøgning", ordning: s.ordning() }),
        Skemadata::Voksenlaerling(a) => {
            let (kode, beskrivelse) = sats(a);
            AnsoegningSvar::Voksenlaerling(VoksenlaerlingAnsoegningSvar {
                sag,
                modtaget_dato: f.sag.modtaget_dato,
                ansaettelse: f.ansaettelse(s),
                uddannelse: a.uddannelse.trim().into(),
                time_tilskudsats_type: kode,
                time_tilskudsats_beskrivelse: beskrivelse,
                kontaktperson_arbejdssted: arbejdssted_kontakt(s),
            })
        }
        Skemadata::Jobrotation(a) => jobrotation(f, s, a),
    })
}

/// Jobrotation's answer: every row of both groups (issue 13 §2), the case's citizen first.
fn jobrotation(f: &Fundet, s: &Skemadata, a: &domain::jobrotation::JobrotationAnsoegning) -> AnsoegningSvar {
    let dato = |v: &str| parse_dato(v, "dato").ok();
    let borger =
        |b: &domain::skema::dele::Borgeren| Borger { cpr: b.cpr.replace(['-', ' '], ""), navn: b.borger_navn.clone() };
    // Seed 002 §2.5: hours and minutes, minutes up to the next 15.
    let timer = |t: &str| {
        TimerPrUge::parse(t, "timer").ok().map(|t| {
            let (timer, minutter) = t.timer_og_minutter();
            TimerOgMinutter { timer, minutter }
        })
    };
    AnsoegningSvar::Jobrotation(JobrotationAnsoegningSvar {
        sag: f.oplysninger("ansoegning"),
        modtaget_dato: f.sag.modtaget_dato,
        ansaettelse: f.ansaettelse(s),
        konfliktramt: f.sag.konfliktramt || a.virksomheden.konfliktramt == "ja",
        medarbejdere_paa_kursus: a
            .ansatte
            .iter()
            .map(|m| KursusMedarbejderSvar {
                borger: borger(&m.borgeren),
                stillingsbetegnelse: m.stillingsbetegnelse.trim().into(),
                ordinaert_ansat: ja_nej(&m.ordinaert_ansat),
                uddannelsesniveau: m.uddannelse.uddannelsesniveau.clone(),
                uddannelse_foraeldet: m.uddannelse.uddannelse_foraeldet,
                ansat_siden: dato(&m.ansat_siden),
                kursus: m.kursus.trim().into(),
                skole: m.skole.trim().into(),
                kursus_startdato: dato(&m.startdato),
                kursus_slutdato: dato(&m.slutdato),
                kursus_timer_pr_uge: timer(&m.timer),
            })
            .collect(),
        vikarer: a
            .vikarer
            .iter()
            .map(|v| VikarSvar {
                borger: borger(&v.borgeren),
                uddannelsesniveau: v.uddannelse.uddannelsesniveau.clone(),
                uddannelse_foraeldet: v.uddannelse.uddannelse_foraeldet,
                ordinaer_beskaeftigelse: v.beskaeftigelse.trim().into(),
                ledig_siden: dato(&v.ledig_siden),
                startdato: dato(&v.forloeb.startdato),
                slutdato: dato(&v.forloeb.slutdato),
                timer_pr_uge: timer(&v.forloeb.timer),
                stillingsbetegnelse: v.jobbet.stillingsbetegnelse.trim().into(),
                jobindhold: v.jobbet.jobindhold.trim().into(),
            })
            .collect(),
        kontaktperson_arbejdssted: arbejdssted_kontakt(s),
    })
}

/// Seed 002 §3.6: the voksenlærling's rate kind, from where the apprentice came from.
fn sats(a: &domain::voksenlaerling::VoksenlaerlingAnsoegning) -> (String, String) {
    a.sats().map(|t| (t.kode().to_string(), t.beskrivelse().to_string())).unwrap_or_default()
}

/// GetBevilling's answer for the case's scheme.
pub fn bevilling(f: &Fundet, s: &Skemadata, e: &sagselement::Model) -> Result<BevillingSvar, ApiFejl> {
    let sag = f.oplysninger("bevilling");
    // The grant record's typed data (issue 13 §1); unreadable data is an error, not a default.
    let data = Bevillingsdata::laes(&e.data)
        .ok_or_else(|| ApiFejl::Intern(anyhow::anyhow!("bevillingens data på element {} kan ikke læses", e.id)))?;
    Ok(match s {
        Skemadata::Loentilskud(_) => {
            let sats = TimeTilskudsats::loentilskud(f.detaljer.offentlig_arbejdsgiver);
            BevillingSvar::Loentilskud(LoentilskudBevillingSvar {
                sag,
                bevilling: f.bevillingsdata(e),
                ansaettelse: f.ansaettelse(s),
                tilskudsloft_procent: data.tilskudsloft_procent,
                time_tilskudsats_type: sats.kode().into(),
                time_tilskudsats_beskrivelse: sats.beskrivelse().into(),
                // Seed 002 §2.4: the workplace contact, not the application's.
                kontaktperson_arbejdssted: arbejdssted_kontakt(s),
            })
        }
        Skemadata::Virksomhedspraktik(_) | Skemadata::Nytteindsats(_) => {
            let svar = StandardBevillingSvar {
                sag,
                bevilling: f.bevillingsdata(e),
                ansaettelse: f.ansaettelse(s),
                kontaktperson_arbejdssted: arbejdssted_kontakt(s),
            };
            // Never confused: each under its own tag (DOMAIN.md "Schemes").
            if s.ordning() == Ordning::Nytteindsats {
                BevillingSvar::Nytteindsats(svar)
            } else {
                BevillingSvar::Virksomhedspraktik(svar)
            }
        }
        Skemadata::Fleksjob(_) => BevillingSvar::Fleksjob(FleksjobvurderingSvar {
            sag,
            bevilling: f.bevillingsdata(e),
            ansaettelse: f.ansaettelse(s),
            arbejdsintensitet_procent: data.arbejdsintensitet.map(|a| a.procent()),
            kontaktperson_arbejdssted: arbejdssted_kontakt(s),
        }),
        Skemadata::Igu(_) => return Err(ApiFejl::OrdningUdenData { service: "GetBevilling", ordning: s.ordning() }),
        Skemadata::Voksenlaerling(a) => {
            let (kode, beskrivelse) = sats(a);
            BevillingSvar::Voksenlaerling(VoksenlaerlingBevillingSvar {
                sag,
                bevilling: f.bevillingsdata(e),
                ansaettelse: f.ansaettelse(s),
                uddannelse: a.uddannelse.trim().into(),
                time_tilskudsats_type: kode,
                time_tilskudsats_beskrivelse: beskrivelse,
                kontaktperson_arbejdssted: arbejdssted_kontakt(s),
            })
        }
        // Seed 002 §1.1: GetBevilling does not serve jobrotation.
        Skemadata::Jobrotation(_) => {
            return Err(ApiFejl::IkkeForOrdning { service: "GetBevilling", ordning: s.ordning() });
        }
    })
}

/// GetAftale's answer: the agreement as both parties signed it (seed 002 §1.1: IGU only).
pub fn aftale(f: &Fundet, s: &Skemadata, e: &sagselement::Model) -> Result<AftaleSvar, ApiFejl> {
    let underskrift: domain::elementdata::Ansoegningsdata = serde_json::from_str(&e.data).unwrap_or_default();
    let tid = |t: &str| (!t.is_empty()).then(|| t.to_string());
    Ok(match s {
        Skemadata::Igu(a) => AftaleSvar::Igu(IguAftale {
            sag: f.oplysninger("aftale"),
            element_id: e.uuid.clone(),
            modtaget_dato: f.sag.modtaget_dato,
            ansaettelse: f.ansaettelse(s),
            timeloen_oere: Beloeb::parse(&a.timeloen, "timeloen").ok().map(|b| b.oere()),
            uddannelsessted: a.uddannelsessted.trim().into(),
            undervisningsplan: a.uddannelsesplan.trim().into(),
            undervisningsplan_dato: domain::periode::parse_dato(&a.uddannelsesplan_dato, "uddannelsesplan_dato").ok(),
            virksomhed_underskrevet: tid(&underskrift.underskrevet),
            borger_underskrevet: tid(&underskrift.borger_underskrevet),
            kontaktperson_arbejdssted: arbejdssted_kontakt(s),
        }),
        _ => return Err(ApiFejl::OrdningUdenData { service: "GetAftale", ordning: s.ordning() }),
    })
}

/// GetForlængelse's answer: the same data for every scheme it serves, under the scheme's tag.
pub fn forlaengelse(ordning: Ordning, data: Forlaengelser) -> Result<ForlaengelseSvar, ApiFejl> {
    Ok(match ordning {
        Ordning::Loentilskud => ForlaengelseSvar::Loentilskud(data),
        Ordning::Virksomhedspraktik => ForlaengelseSvar::Virksomhedspraktik(data),
        Ordning::Nytteindsats => ForlaengelseSvar::Nytteindsats(data),
        Ordning::Voksenlaerling => ForlaengelseSvar::Voksenlaerling(data),
        _ => return Err(ApiFejl::OrdningUdenData { service: "GetForlængelse", ordning }),
    })
}

/// GetOphør's answer: the same data for every scheme it serves, under the scheme's tag.
pub fn ophoer(ordning: Ordning, data: Ophoer) -> Result<OphoerSvar, ApiFejl> {
    Ok(match ordning {
        Ordning::Loentilskud => OphoerSvar::Loentilskud(data),
        Ordning::Virksomhedspraktik => OphoerSvar::Virksomhedspraktik(data),
        Ordning::Nytteindsats => OphoerSvar::Nytteindsats(data),
        Ordning::Voksenlaerling => OphoerSvar::Voksenlaerling(data),
        _ => return Err(ApiFejl::OrdningUdenData { service: "GetOphør", ordning }),
    })
}
