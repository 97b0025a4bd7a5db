//! The demo world (issue 2 §5): all 98 jobcentres, three of them staffed, companies with
//! P-units and eIndkomst figures, citizens in the DFDG stand-in, and one Anden Aktør.

use crate::entity::{aa_aftale, anden_aktoer, bruger, dfdg_borger, eindkomst, jobcenter, p_enhed, team, virksomhed};
use crate::{Db, StorageError};
use chrono::{Datelike, NaiveDate};
use domain::policy::Rolle;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

/// Denmark's 98 municipalities with their codes (shared/data/kommuner.csv, DAWA's list).
pub const KOMMUNER_CSV: &str = include_str!("../data/kommuner.csv");

/// (kommunekode, navn, region) for every municipality.
pub fn kommuner() -> Vec<(&'static str, &'static str, &'static str)> {
    KOMMUNER_CSV
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split(',');
            Some((f.next()?, f.next()?, f.next()?))
        })
        .collect()
}

/// The staffed demo jobcentres: København, Aarhus, Odense.
pub const DEMO_KOMMUNER: [&str; 3] = ["0101", "0751", "0461"];

/// The demo API client's `client_id` (docs/api.md). It holds the scopes of the three staffed
/// demo jobcentres.
pub const DEMO_API_KLIENT_ID: &str = "vitas-demo";
/// The demo API client's secret: fixed and published, so it exists only in demo data. A real
/// client gets a random 256-bit secret from `vitas api-klient opret`.
pub const DEMO_API_HEMMELIGHED: &str = "demo-hemmelighed-kun-til-demo";

pub(crate) struct DemoVirksomhed {
    pub(crate) cvr: &'static str,
    navn: &'static str,
    adresse: &'static str,
    offentlig: bool,
    pub(crate) konfliktramt: bool,
    /// (P-number, name, address, kommunekode).
    pub(crate) p: &'static [(&'static str, &'static str, &'static str, &'static str)],
    ansatte: u32,
    bruger: (&'static str, &'static str),
}

pub(crate) const VIRKSOMHEDER: [DemoVirksomhed; 5] = [
    DemoVirksomhed {
        cvr: "25348710",
        navn: "Nordlys Logistik ApS",
        adresse: "Havnegade 12, 1058 København K",
        offentlig: false,
        konfliktramt: false,
        p: &[
            ("1003456781", "Nordlys Logistik – Lager Amager", "Kastrupvej 200, 2300 København S", "0101"),
            ("1003456782", "Nordlys Logistik – Terminal Aarhus", "Sommervej 5, 8210 Aarhus V", "0751"),
            ("1003456783", "Nordlys Logistik – Kontor", "Havnegade 12, 1058 København K", "0101"),
        ],
        ansatte: 4200,
        bruger: ("Lone", "Kjær"),
    },
    DemoVirksomhed {
        cvr: "31674026",
        navn: "Fynsk Byg A/S",
        adresse: "Thriges Plads 3, 5000 Odense C",
        offentlig: false,
        konfliktramt: true,
        p: &[
            ("1004567891", "Fynsk Byg – Byggeplads Odense", "Thriges Plads 3, 5000 Odense C", "0461"),
            ("1004567892", "Fynsk Byg – Værksted", "Ejbyvej 44, 5210 Odense NV", "0461"),
        ],
        ansatte: 2650,
        bruger: ("Jens", "Østergaard"),
    },
    DemoVirksomhed {
        cvr: "10987652",
        navn: "Mette Madsen Design",
        adresse: "Jægergårdsgade 61, 8000 Aarhus C",
        offentlig: false,
        konfliktramt: false,
        p: &[
            ("1005678901", "Mette Madsen Design – Atelier", "Jægergårdsgade 61, 8000 Aarhus C", "0751"),
            ("1005678902", "Mette Madsen Design – Butik", "Frederiksgade 12, 8000 Aarhus C", "0751"),
        ],
        ansatte: 100,
        bruger: ("Mette", "Madsen"),
    },
    DemoVirksomhed {
        cvr: "44120933",
        navn: "Region Midt Servicecenter",
        adresse: "Skottenborg 26, 8800 Viborg",
        offentlig: true,
        konfliktramt: false,
        p: &[
            ("1006789011", "Servicecenter Aarhus", "Olof Palmes Allé 15, 8200 Aarhus N", "0751"),
            ("1006789012", "Servicecenter Viborg", "Skottenborg 26, 8800 Viborg", "0791"),
        ],
        ansatte: 8710,
        bruger: ("Birgitte", "Holm"),
    },
    DemoVirksomhed {
        cvr: "37905127",
        navn: "Østerbro Café og Bageri ApS",
        adresse: "Østerbrogade 98, 2100 København Ø",
        offentlig: false,
        konfliktramt: false,
        p: &[
            ("1007890121", "Café Østerbro", "Østerbrogade 98, 2100 København Ø", "0101"),
            ("1007890122", "Bageriet Nørrebro", "Jægersborggade 9, 2200 København N", "0101"),
        ],
        ansatte: 1425,
        bruger: ("Åse", "Nørgaard"),
    },
];

/// Citizens in the DFDG stand-in: (CPR, first name, last name, kommunekode).
pub(crate) const BORGERE: [(&str, &str, &str, &str); 10] = [
    ("0101901234", "Anna", "Jensen", "0101"),
    ("1503852345", "Mads", "Ærtebjerg", "0101"),
    ("2207793456", "Fatima", "Hussein", "0101"),
    ("0912884567", "Søren", "Kristensen", "0751"),
    ("3006925678", "Ida", "Østergård", "0751"),
    ("1111816789", "Henrik", "Aagaard", "0751"),
    ("0405957890", "Louise", "Bach", "0461"),
    ("2808898901", "Ole", "Lund", "0461"),
    ("1702760123", "Camilla", "Winther", "0461"),
    ("0303001234", "Noah", "Petersen", "0101"),
];

#[allow(clippy::too_many_arguments)]
fn ny_bruger(
    rolle: Rolle,
    fornavn: &str,
    efternavn: &str,
    email: &str,
    jobcenter_id: Option<i64>,
    team_id: Option<i64>,
    cvr: Option<&str>,
    cpr: Option<&str>,
    aa: Option<i64>,
) -> bruger::ActiveModel {
    bruger::ActiveModel {
        rolle: Set(rolle.kode().into()),
        fornavn: Set(fornavn.into()),
        mellemnavn: Set(String::new()),
        efternavn: Set(efternavn.into()),
        email: Set(email.into()),
        jobcenter_id: Set(jobcenter_id),
        team_id: Set(team_id),
        cvr: Set(cvr.map(Into::into)),
        cpr: Set(cpr.map(Into::into)),
        anden_aktoer_id: Set(aa),
        aktiv: Set(true),
        demo: Set(true),
        ..Default::default()
    }
}

/// The staff of the three staffed jobcentres, in `DEMO_KOMMUNER`'s order; the third of each is
/// the administrator.
pub(crate) const ANSATTE: [[(&str, &str); 3]; 3] = [
    [("Karen", "Holm"), ("Peter", "Nielsen"), ("Sofie", "Dahl")],
    [("Rasmus", "Møller"), ("Emma", "Berg"), ("Thomas", "Friis")],
    [("Hanne", "Skov"), ("Lars", "Bonde"), ("Julie", "Krogh")],
];
const AA_EMAIL: &str = "niels.vang@jobformidling.dk";
const STAR_EMAIL: &str = "gitte.lauridsen@star.dk";

pub(crate) fn ansat_email(fornavn: &str, efternavn: &str, jobcenter_navn: &str) -> String {
    let by = ascii(jobcenter_navn.trim_start_matches("Jobcenter "));
    format!("{}.{}@jobcenter-{by}.dk", ascii(fornavn), ascii(efternavn))
}

pub(crate) fn virksomhed_email(v: &DemoVirksomhed) -> String {
    format!("{}@{}.dk", ascii(v.bruger.0), ascii(v.navn.split_whitespace().next().unwrap_or("firma")))
}

pub(crate) fn borger_email(fornavn: &str, efternavn: &str) -> String {
    format!("{}.{}@borger.dk", ascii(fornavn), ascii(efternavn))
}

/// The e-mail address of every user [`seed`] makes. The migration that introduced
/// `bruger.demo` marks these users in a database seeded before it.
pub fn bruger_emails() -> Vec<String> {
    let mut ud = Vec::new();
    for (i, kode) in DEMO_KOMMUNER.iter().enumerate() {
        let navn = kommuner().into_iter().find(|(k, _, _)| k == kode).map(|(_, n, _)| n).unwrap_or_default();
        for (fornavn, efternavn) in ANSATTE[i] {
            ud.push(ansat_email(fornavn, efternavn, &format!("Jobcenter {navn}")));
        }
    }
    ud.extend(VIRKSOMHEDER.iter().map(virksomhed_email));
    ud.push(AA_EMAIL.into());
    ud.extend(BORGERE.iter().take(2).map(|(_, f, e, _)| borger_email(f, e)));
    ud.push(STAR_EMAIL.into());
    ud
}

/// The CVR numbers of the demo companies: the demo login lists hearing links on their cases only.
pub fn virksomhed_cvr() -> Vec<&'static str> {
    VIRKSOMHEDER.iter().map(|v| v.cvr).collect()
}

fn ascii(s: &str) -> String {
    s.to_lowercase().replace('æ', "ae").replace('ø', "oe").replace('å', "aa").replace(' ', "")
}

/// The month before `dato`'s month, as `YYYY-MM`, minus `tilbage` more months.
fn maaned(dato: NaiveDate, tilbage: u32) -> String {
    let total = dato.year() * 12 + dato.month0() as i32 - 1 - tilbage as i32;
    format!("{:04}-{:02}", total.div_euclid(12), total.rem_euclid(12) + 1)
}

/// Seed the demo world into an empty database. `idag` anchors the eIndkomst months.
pub async fn seed(db: &Db, idag: NaiveDate) -> Result<(), StorageError> {
    let txn = db.conn.begin().await?;
    for (kode, navn, region) in kommuner() {
        jobcenter::ActiveModel {
            kommunekode: Set(kode.into()),
            navn: Set(format!("Jobcenter {navn}")),
            region: Set(region.into()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let mut jc_ids = Vec::new();
    for (i, kode) in DEMO_KOMMUNER.iter().enumerate() {
        let jc = jobcenter::Entity::find()
            .filter(jobcenter::Column::Kommunekode.eq(*kode))
            .one(&txn)
            .await?
            .ok_or_else(|| StorageError::Data(format!("kommune {kode} mangler i kommuner.csv")))?;
        jc_ids.push(jc.id);
        let mut teams = Vec::new();
        for navn in ["Team Virksomhedsservice", "Team Løntilskud"] {
            let t = team::ActiveModel { jobcenter_id: Set(jc.id), navn: Set(navn.into()), ..Default::default() }
                .insert(&txn)
                .await?;
            teams.push(t.id);
        }
        for (j, (fornavn, efternavn)) in ANSATTE[i].iter().enumerate() {
            let rolle = if j == 2 { Rolle::Administrator } else { Rolle::Sagsbehandler };
            let email = ansat_email(fornavn, efternavn, &jc.navn);
            ny_bruger(rolle, fornavn, efternavn, &email, Some(jc.id), Some(teams[j % 2]), None, None, None)
                .insert(&txn)
                .await?;
        }
    }
    for v in &VIRKSOMHEDER {
        virksomhed::ActiveModel {
            cvr: Set(v.cvr.into()),
            navn: Set(v.navn.into()),
            adresse: Set(v.adresse.into()),
            offentlig: Set(v.offentlig),
            konfliktramt: Set(v.konfliktramt),
            spaerret: Set(false),
        }
        .insert(&txn)
        .await?;
        for (pnr, navn, adr, kommune) in v.p {
            p_enhed::ActiveModel {
                pnummer: Set((*pnr).into()),
                cvr: Set(v.cvr.into()),
                navn: Set((*navn).into()),
                adresse: Set((*adr).into()),
                kommunekode: Set(Some((*kommune).into())),
            }
            .insert(&txn)
            .await?;
        }
        // 12 months of eIndkomst, drifting a little around the company's size.
        for m in 0..12u32 {
            let udsving = [0i64, 25, -50, 75, 0, -25, 50, 100, -75, 25, 0, 50][m as usize];
            eindkomst::ActiveModel {
                cvr: Set(v.cvr.into()),
                maaned: Set(maaned(idag, m)),
                fuldtid_hundrededele: Set((i64::from(v.ansatte) + udsving).max(100)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        let email = virksomhed_email(v);
        ny_bruger(Rolle::Virksomhed, v.bruger.0, v.bruger.1, &email, None, None, Some(v.cvr), None, None)
            .insert(&txn)
            .await?;
    }
    let aa = anden_aktoer::ActiveModel {
        navn: Set("Jobformidling Danmark A/S".into()),
        cvr: Set("29611475".into()),
        pnummer: Set("1008901231".into()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    aa_aftale::ActiveModel {
        anden_aktoer_id: Set(aa.id),
        jobcenter_id: Set(jc_ids[0]),
        scenarie: Set(2),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    ny_bruger(Rolle::AndenAktoer, "Niels", "Vang", AA_EMAIL, None, None, None, None, Some(aa.id)).insert(&txn).await?;
    for (i, (cpr, fornavn, efternavn, kommune)) in BORGERE.iter().enumerate() {
        dfdg_borger::ActiveModel {
            cpr: Set((*cpr).into()),
            fornavn: Set((*fornavn).into()),
            efternavn: Set((*efternavn).into()),
            kommunekode: Set((*kommune).into()),
            // Two citizens are assigned (udlagt) to the Anden Aktør in DFDG (seed 001 §1.2.4).
            anden_aktoer_id: Set((i < 2).then_some(aa.id)),
        }
        .insert(&txn)
        .await?;
        if i < 2 {
            let email = borger_email(fornavn, efternavn);
            ny_bruger(Rolle::Borger, fornavn, efternavn, &email, None, None, None, Some(cpr), None)
                .insert(&txn)
                .await?;
        }
    }
    ny_bruger(Rolle::Styrelse, "Gitte", "Lauridsen", STAR_EMAIL, None, None, None, None, None).insert(&txn).await?;
    // One municipal case system for the external API, with the staffed jobcentres (issue 4 §3).
    let scopes: Vec<String> = DEMO_KOMMUNER.iter().map(|k| crate::api::jobcenter_scope(k)).collect();
    let oprettet = idag.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or_default();
    crate::api::opret_klient_med(&txn, DEMO_API_KLIENT_ID, "Demo-fagsystem", DEMO_API_HEMMELIGHED, &scopes, oprettet)
        .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alle_98_kommuner() {
        let k = kommuner();
        assert_eq!(k.len(), 98);
        for d in DEMO_KOMMUNER {
            assert!(k.iter().any(|(kode, _, _)| *kode == d));
        }
    }

    #[test]
    fn demo_cvr_er_gyldige() {
        for v in &VIRKSOMHEDER {
            assert!(domain::ident::Cvr::parse(v.cvr, "cvr").is_ok(), "{}", v.cvr);
            for (p, ..) in v.p {
                assert!(domain::ident::PNummer::parse(p, "p").is_ok());
            }
        }
        for (cpr, ..) in BORGERE {
            assert!(domain::ident::Cpr::parse(cpr, "cpr").is_ok());
        }
    }

    #[test]
    fn maaneder_foer_idag() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 15).expect("dato");
        assert_eq!(maaned(d, 0), "2025-12");
        assert_eq!(maaned(d, 11), "2025-01");
    }
}
