//! GET `/sager/{id}`: the case page, with the actions the policy allows the reader.

use super::handling::afgoerelsesfelter;
use crate::AppState;
use crate::auth::Bruger;
use crate::felt::{Felt, FeltArt};
use crate::html::{Formular, Ramme, Sti, Svar, dato};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chrono::Utc;
use domain::ordning::Ordning;
use domain::policy::{self, Handling};
use domain::status::{Elementart, ForlaengelseStatus};
use serde::Deserialize;

/// A button that posts an action: (element id, label, url, primary).
pub struct Knap {
    pub id: &'static str,
    pub tekst: &'static str,
    pub url: String,
    pub primaer: bool,
}

pub struct ElementVisning {
    pub art: &'static str,
    pub status: String,
    pub periode: String,
    pub detaljer: Vec<(String, String)>,
}

pub struct HaendelseVisning {
    pub tidspunkt: String,
    pub aktoer: String,
    pub tekst: String,
    pub status: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "sag.html")]
pub struct SagSide {
    pub ramme: Ramme,
    pub id: i64,
    pub version: i64,
    pub ordning: &'static str,
    pub status: &'static str,
    pub fakta: Vec<(String, String)>,
    /// The rows of the form's repeatable groups (jobrotation's employees on courses and
    /// substitutes), each titled "Vikar 2" (issue 13 §2).
    pub grupperaekker: Vec<(String, Vec<(String, String)>)>,
    pub elementer: Vec<ElementVisning>,
    pub historik: Vec<HaendelseVisning>,
    pub knapper: Vec<Knap>,
    pub links: Vec<Knap>,
    pub hoering_link: Option<String>,
    /// Seed 002 §2.1: after signing, an application marked as in labour conflict shows a
    /// banner with the trades the company named.
    pub konflikt: Option<String>,
    /// The other jobcentres, when the user may move the case (seed 001 §1.11).
    pub flyt_til: Vec<(i64, String)>,
    /// "Gensend" (papirflyver): where to post, when the user may send the company's mail
    /// again (DOMAIN.md step 1, seed 002 §5.4).
    pub gensend: Option<String>,
    /// The case's PDFs as download links: (element id, url, link text).
    pub pdf_links: Vec<(String, String, &'static str)>,
    /// What the caseworker decides besides "yes" (the profile's `afgoerelsesfelter`), shown on
    /// the approval button's form.
    pub afgoerelsesfelter: Vec<Felt>,
    /// Issue 13 §7: what the company saw when it signed: each ratio rule (name, met,
    /// explanation) as recorded with the application, and its remark to the jobcentre.
    pub krav: Vec<(String, bool, String)>,
    pub bemaerkning: Option<String>,
    /// The whole agreement as the company filled it, step by step, for the citizen who signs
    /// it (issue 13 §2: the citizen sees the agreement's summary before signing).
    pub aftale: Vec<(String, Vec<(String, String)>)>,
}

#[derive(Deserialize)]
pub struct SagQuery {
    sendt: Option<String>,
    besked: Option<String>,
}

fn element_navn(art: &str, ordning: Ordning) -> &'static str {
    match Elementart::fra_kode(art) {
        Some(Elementart::Ansoegning) => "Ansøgning",
        Some(Elementart::Bevilling) => ordning.profil().livsforloeb.afgoerelsens_navn(),
        Some(Elementart::Forlaengelse) => "Forlængelse",
        Some(Elementart::Ophoer) => "Ophør",
        None => "Ukendt",
    }
}

fn element_status(art: &str, status: &str) -> String {
    use domain::status::{AfgoerelseStatus, AnsoegningStatus};
    match Elementart::fra_kode(art) {
        Some(Elementart::Ansoegning) => AnsoegningStatus::fra_kode(status).map(|s| s.navn()),
        Some(Elementart::Bevilling) => AfgoerelseStatus::fra_kode(status).map(|s| s.navn()),
        Some(Elementart::Forlaengelse) => ForlaengelseStatus::fra_kode(status).map(|s| s.navn()),
        Some(Elementart::Ophoer) => Some("Ophør registreret"),
        None => None,
    }
    .unwrap_or("")
    .to_string()
}

/// The simple actions that post without a form of their own.
pub(super) const KNAPPER: [(Handling, &str, &str, bool); 7] = [
    (Handling::BorgerUnderskriv, "underskriv-aftale", "Underskriv aftale", true),
    (Handling::BorgerAfvis, "afvis-aftale", "Afvis aftale", false),
    (Handling::GodkendAnsoegning, "godkend-ansoegning", "Godkend ansøgning", true),
    (Handling::GodkendBevilling, "godkend-bevilling", "Godkend bevilling", true),
    (Handling::AfvisBevilling, "afvis-bevilling", "Afvis bevilling", false),
    (Handling::GodkendForlaengelse, "godkend-forlaengelse", "Godkend forlængelse", true),
    (Handling::AfvisForlaengelse, "afvis-forlaengelse", "Afvis forlængelse", false),
];

/// The actions that open a form of their own: (action, element id, label, path, primary).
const LINKS: [(Handling, &str, &str, &str, bool); 4] = [
    (Handling::GemKladde, "fortsaet-kladde", "Fortsæt udfyldningen", "trin/1", true),
    (Handling::AfvisAnsoegning, "afvis-ansoegning", "Afvis ansøgning", "afvis", false),
    (Handling::AnmodForlaengelse, "anmod-forlaengelse", "Forlængelse", "forlaengelse", false),
    (Handling::RegistrerOphoer, "registrer-ophoer", "Ophør", "ophoer", false),
];

#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn vis(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>, Query(q): Query<SagQuery>) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    crate::adgangslog::laest(&st, &b, storage::adgangslog::Formaal::Sag, format!("sag {id}"), [sag.cpr.as_deref()])
        .await?;
    let fakta = storage::sager::fakta(&sag)?;
    let ordning = fakta.ordning;
    // A scheme whose form is not built has none; the page shows the case row's facts.
    let skema = storage::sager::skemadata(&sag)?;
    let skemafelter = skema.as_ref().map(|s| s.sagsfelter()).unwrap_or_default();
    let grupperaekker = skema
        .as_ref()
        .map(|s| {
            s.opsummering()
                .into_iter()
                .filter(|sek| sek.raekke)
                .map(|sek| {
                    let linjer = sek
                        .raekker
                        .iter()
                        .map(|(f, v)| (f.label.to_string(), crate::html::ansoegning::vist(v, &[], b.rolle)))
                        .filter(|(_, v)| !v.trim().is_empty())
                        .collect();
                    (sek.titel, linjer)
                })
                .collect()
        })
        .unwrap_or_default();
    let maa = |h: Handling| policy::tjek(&b.aktoer, h, &fakta).is_ok();
    let knapper = KNAPPER
        .iter()
        .filter(|(h, ..)| maa(*h))
        .map(|(_, slug, tekst, primaer)| Knap {
            id: slug,
            tekst,
            url: format!("/sager/{id}/handling/{slug}"),
            primaer: *primaer,
        })
        .collect();
    let links = LINKS
        .iter()
        .filter(|(h, ..)| maa(*h))
        .map(|(_, knap_id, tekst, sti, primaer)| Knap {
            id: knap_id,
            tekst,
            url: format!("/sager/{id}/{sti}"),
            primaer: *primaer,
        })
        .collect();
    let jobcenter = match sag.jobcenter_id {
        Some(jc) => storage::organisation::jobcenternavne(&st.db).await?.get(&jc).cloned().unwrap_or_default(),
        None => "Ikke sendt endnu".into(),
    };
    let timer =
        sag.timer_hundrededele.and_then(|h| u32::try_from(h).ok()).map(domain::timer::TimerPrUge::from_hundredths);
    let foer_skema: Vec<(String, String)> = vec![
        ("VITAS-id".into(), sag.id.to_string()),
        ("Ordning".into(), ordning.navn().into()),
        ("Ansøgningens status".into(), fakta.tilstand.ansoegning.map(|s| s.navn()).unwrap_or("").into()),
        (
            format!("{}ens status", ordning.profil().livsforloeb.afgoerelsens_navn()),
            fakta.tilstand.afgoerelse.map(|s| s.navn().to_string()).unwrap_or_else(|| {
                format!("Ingen {} endnu", ordning.profil().livsforloeb.afgoerelsens_navn().to_lowercase())
            }),
        ),
        ("Virksomhed (CVR)".into(), sag.cvr.clone()),
        ("Arbejdssted (P-nummer)".into(), sag.pnummer.clone().unwrap_or_default()),
        (
            "Borger".into(),
            sag.borger_navn
                .clone()
                .map(|n| if policy::maa_se_cpr(b.rolle) { n } else { "Persondata er fjernet".into() })
                .unwrap_or_default(),
        ),
        ("CPR-nummer".into(), crate::html::vis_cpr(sag.cpr.as_deref(), b.rolle)),
        ("Jobcenter".into(), jobcenter),
        ("Startdato".into(), dato(sag.startdato)),
        ("Aktuel slutdato".into(), dato(sag.slutdato)),
        ("Oprindelig slutdato".into(), dato(sag.oprindelig_slutdato)),
        (
            "Timer pr. uge".into(),
            timer
                .map(|t| {
                    let (h, m) = t.timer_og_minutter();
                    format!("{} ({} t. {} min.)", t.to_decimal_string(), h, m)
                })
                .unwrap_or_default(),
        ),
    ];
    let efter_skema: Vec<(String, String)> = vec![
        ("Modtaget dato".into(), dato(sag.modtaget_dato)),
        ("Afgørelsesdato".into(), dato(sag.afgoerelse_dato)),
        (
            "Godkendt dato".into(),
            if b.rolle == domain::policy::Rolle::Virksomhed { String::new() } else { dato(sag.godkendt_dato) },
        ),
        ("Konfliktramt ved oprettelse".into(), if sag.konfliktramt { "Ja".into() } else { "Nej".into() }),
        // Docs/decisions.md 76: the retention job removed the personal data on this day.
        (
            "Persondata".into(),
            sag.persondata_fjernet
                .map(|t| format!("Fjernet {}, da opbevaringsperioden var udløbet", dato(Some(t.date_naive()))))
                .unwrap_or_default(),
        ),
    ];
    // The form's facts sit between the case's period and hours and its dates.
    let fakta_liste = foer_skema
        .into_iter()
        .chain(skemafelter.into_iter().map(|(k, v)| (k.to_string(), v)))
        .chain(efter_skema)
        .filter(|(_, v): &(String, String)| !v.is_empty())
        .collect();
    let aftale = match &skema {
        Some(s) if b.rolle == domain::policy::Rolle::Borger => {
            let pe = crate::html::ansoegning::p_enheder(&st, &sag.cvr).await?;
            s.opsummering()
                .into_iter()
                .map(|sek| {
                    let linjer = sek
                        .raekker
                        .iter()
                        .map(|(f, v)| (f.label.to_string(), crate::html::ansoegning::vist(v, &pe, b.rolle)))
                        .filter(|(_, v)| !v.is_empty())
                        .collect();
                    (sek.titel, linjer)
                })
                .collect()
        }
        _ => vec![],
    };
    let rae = storage::sager::elementer(&st.db, id).await?;
    // Issue 13 §7: the ratio rules as the company saw them when it signed.
    let krav = rae
        .iter()
        .rfind(|e| e.art == Elementart::Ansoegning.kode())
        .and_then(|e| serde_json::from_str::<domain::elementdata::Ansoegningsdata>(&e.data).ok())
        .map(|d| d.krav.into_iter().map(|k| (k.krav, k.opfyldt, k.forklaring)).collect())
        .unwrap_or_default();
    let elementer = rae
        .into_iter()
        .map(|e| ElementVisning {
            art: element_navn(&e.art, ordning),
            status: element_status(&e.art, &e.status),
            periode: match (e.startdato, e.slutdato) {
                (Some(a), Some(z)) => format!("{} – {}", dato(Some(a)), dato(Some(z))),
                (None, Some(z)) => dato(Some(z)),
                _ => String::new(),
            },
            // Each record kind's data is typed (issue 13 §1) and shown with its own labels.
            detaljer: Elementart::fra_kode(&e.art)
                .and_then(|art| domain::elementdata::visning(art, &e.data))
                .unwrap_or_else(|| {
                    tracing::warn!(element_id = e.id, art = %e.art, "postens data passer ikke til dens art");
                    Vec::new()
                })
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        })
        .collect();
    let historik = storage::sager::historik(&st.db, id)
        .await?
        .into_iter()
        .map(|h| HaendelseVisning {
            tidspunkt: domain::periode::dansk_tid(h.tidspunkt).format("%d-%m-%Y kl. %H:%M").to_string(),
            aktoer: h.aktoer,
            tekst: h.tekst,
            status: h.til_status.unwrap_or_default(),
        })
        .collect();
    let hoering_link = if b.rolle == domain::policy::Rolle::Virksomhed
        && fakta.tilstand.ansoegning == Some(domain::status::AnsoegningStatus::SendtTilMedarbejderRep)
    {
        storage::sager::link_for_sag(&st.db, id, "hoering", Utc::now()).await?.map(|l| format!("/hoering/{}", l.token))
    } else {
        None
    };
    let besked = if q.sendt.is_some() {
        Some(if hoering_link.is_some() {
            "Ansøgningen er underskrevet og sendt til medarbejderrepræsentanten.".to_string()
        } else if fakta.tilstand.ansoegning == Some(domain::status::AnsoegningStatus::SendtTilBorger) {
            "Aftalen er underskrevet og sendt til borgeren, som også skal underskrive den.".to_string()
        } else {
            "Ansøgningen er underskrevet og sendt.".to_string()
        })
    } else {
        q.besked
            .map(|b| match b.as_str() {
                "udfoert" => "Handlingen er udført.".to_string(),
                "ophoer" => "Ophøret er registreret, og jobcentret får besked.".to_string(),
                "forlaengelse" => "Anmodningen om forlængelse er sendt til jobcentret.".to_string(),
                "afvist" => "Ansøgningen er afvist, og virksomheden får besked.".to_string(),
                "gensendt" => "E-mailen er sendt igen til virksomheden.".to_string(),
                "underskrevet" => "Du har underskrevet aftalen. Jobcentret behandler den nu.".to_string(),
                "afvist-af-borger" => "Du har afvist aftalen. Virksomheden får besked.".to_string(),
                _ => String::new(),
            })
            .filter(|s| !s.is_empty())
    };
    Ok(SagSide {
        ramme: Ramme::ny(format!("Sag {id} – {}", ordning.navn()), Some(&b)).med_besked(besked),
        id,
        version: sag.version,
        ordning: ordning.navn(),
        status: fakta.tilstand.vist_status(),
        fakta: fakta_liste,
        grupperaekker,
        elementer,
        historik,
        knapper,
        links,
        hoering_link,
        flyt_til: if maa(Handling::FlytJobcenter) {
            let mut alle: Vec<(i64, String)> = storage::organisation::jobcenternavne(&st.db)
                .await?
                .into_iter()
                .filter(|(id, _)| Some(*id) != sag.jobcenter_id)
                .collect();
            alle.sort_by_key(|(_, navn)| domain::soeg::sorteringsnoegle(navn));
            alle
        } else {
            vec![]
        },
        gensend: maa(Handling::Genfremsend).then(|| format!("/sager/{id}/gensend")),
        konflikt: skema
            .as_ref()
            .and_then(|s| s.konflikt())
            .filter(|_| fakta.tilstand.ansoegning != Some(domain::status::AnsoegningStatus::Kladde)),
        pdf_links: jobs::pdf::Dokument::ALLE
            .into_iter()
            .filter(|d| jobs::pdf::findes(&sag, *d))
            .map(|d| (format!("pdf-{}", d.slug()), format!("/sager/{id}/pdf/{}", d.slug()), d.linktekst()))
            .collect(),
        afgoerelsesfelter: afgoerelsesfelter(ordning, &Formular::default(), &[]),
        krav,
        bemaerkning: skema
            .as_ref()
            .map(|s| s.dele().opsummering.bemaerkning.trim().to_string())
            .filter(|b| !b.is_empty() && fakta.tilstand.ansoegning != Some(domain::status::AnsoegningStatus::Kladde)),
        aftale,
    }
    .into_response())
}
