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
use domain::policy::{self, Handling, Rolle};
use domain::skema::Skemadata;
use domain::status::AnsoegningStatus as Ans;
use domain::status::{Elementart, ForlaengelseStatus};
use serde::Deserialize;
use storage::entity::sag;

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
    // A scheme whose form is not built has none; the page shows the case row's facts.
    let skema = storage::sager::skemadata(&st.db.conn, &sag).await?;
    // The page shows the case's citizen and every other citizen the form names (decision 106).
    let oevrige = skema.as_ref().map(storage::sager::oevrige_personer).unwrap_or_default();
    let cpr = std::iter::once(sag.cpr.as_deref()).chain(oevrige.iter().map(|c| Some(c.as_str())));
    crate::adgangslog::laest(&st, &b, storage::adgangslog::Formaal::Sag, format!("sag {id}"), cpr).await?;
    let fakta = storage::sager::fakta(&sag)?;
    let ordning = fakta.ordning;
    let maa = |h: Handling| policy::tjek(&b.aktoer, h, &fakta).is_ok();
    // The jobcentres' names, read once: the case's own, and those it may be moved to.
    let jobcentre = storage::organisation::jobcenternavne(&st.db).await?;
    let jobcenter = match sag.jobcenter_id {
        Some(jc) => jobcentre.get(&jc).cloned().unwrap_or_default(),
        None => "Ikke sendt endnu".into(),
    };
    // The citizen reads the whole agreement they are asked to sign (decision 97).
    let aftale = match &skema {
        Some(s) if b.rolle == Rolle::Borger => {
            sektioner(s, false, &crate::html::ansoegning::p_enheder(&st, &sag.cvr).await?, b.rolle)
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
    let hoering_link = if b.rolle == Rolle::Virksomhed && fakta.tilstand.ansoegning == Some(Ans::SendtTilMedarbejderRep)
    {
        storage::sager::link_for_sag(&st.db, id, "hoering", Utc::now()).await?.map(|l| format!("/hoering/{}", l.token))
    } else {
        None
    };
    let besked = kvittering(&q, hoering_link.is_some(), fakta.tilstand.ansoegning);
    let flyt_til = if maa(Handling::FlytJobcenter) {
        let mut alle: Vec<(i64, String)> =
            jobcentre.into_iter().filter(|(id, _)| Some(*id) != sag.jobcenter_id).collect();
        alle.sort_by_key(|(_, navn)| domain::soeg::sorteringsnoegle(navn));
        alle
    } else {
        vec![]
    };
    let sendt = fakta.tilstand.ansoegning != Some(Ans::Kladde);
    let (knapper, links) = knapper(id, &maa);
    Ok(SagSide {
        ramme: Ramme::ny(format!("Sag {id} – {}", ordning.navn()), Some(&b)).med_besked(besked),
        id,
        version: sag.version,
        ordning: ordning.navn(),
        status: fakta.tilstand.vist_status(),
        fakta: fakta_liste(&sag, &fakta, skema.as_ref(), jobcenter, b.rolle),
        grupperaekker: skema.as_ref().map(|s| sektioner(s, true, &[], b.rolle)).unwrap_or_default(),
        elementer: rae.into_iter().map(|e| elementvisning(e, ordning)).collect(),
        historik,
        knapper,
        links,
        hoering_link,
        flyt_til,
        gensend: maa(Handling::Genfremsend).then(|| format!("/sager/{id}/gensend")),
        konflikt: skema.as_ref().and_then(|s| s.konflikt()).filter(|_| sendt),
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
            .filter(|b| !b.is_empty() && sendt),
        aftale,
    }
    .into_response())
}

/// The buttons and links of the actions the reader may take.
fn knapper(id: i64, maa: &dyn Fn(Handling) -> bool) -> (Vec<Knap>, Vec<Knap>) {
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
    (knapper, links)
}

/// The form's summary as (section title, [(label, value)]) the reader may see: every section,
/// or (`kun_raekker`) only the rows of repeatable groups, which the case row does not hold.
fn sektioner(
    s: &Skemadata,
    kun_raekker: bool,
    pe: &[(String, String)],
    rolle: Rolle,
) -> Vec<(String, Vec<(String, String)>)> {
    s.opsummering()
        .into_iter()
        .filter(|sek| sek.raekke || !kun_raekker)
        .map(|sek| {
            let linjer = sek
                .raekker
                .iter()
                .map(|(f, v)| (f.label.to_string(), crate::html::ansoegning::vist(v, pe, rolle)))
                .filter(|(_, v)| !v.trim().is_empty())
                .collect();
            (sek.titel, linjer)
        })
        .collect()
}

/// The case's facts in reading order: the case row's, the form's between its period and its
/// dates, and no empty value.
fn fakta_liste(
    sag: &sag::Model,
    fakta: &policy::SagsFakta,
    skema: Option<&Skemadata>,
    jobcenter: String,
    rolle: Rolle,
) -> Vec<(String, String)> {
    let afgoerelsen = fakta.ordning.profil().livsforloeb.afgoerelsens_navn();
    let timer =
        sag.timer_hundrededele.and_then(|h| u32::try_from(h).ok()).map(domain::timer::TimerPrUge::from_hundredths);
    let foer_skema: Vec<(String, String)> = vec![
        ("VITAS-id".into(), sag.id.to_string()),
        ("Ordning".into(), fakta.ordning.navn().into()),
        ("Ansøgningens status".into(), fakta.tilstand.ansoegning.map(|s| s.navn()).unwrap_or("").into()),
        (
            format!("{afgoerelsen}ens status"),
            fakta
                .tilstand
                .afgoerelse
                .map(|s| s.navn().to_string())
                .unwrap_or_else(|| format!("Ingen {} endnu", afgoerelsen.to_lowercase())),
        ),
        ("Virksomhed (CVR)".into(), sag.cvr.clone()),
        ("Arbejdssted (P-nummer)".into(), sag.pnummer.clone().unwrap_or_default()),
        (
            "Borger".into(),
            sag.borger_navn
                .clone()
                .map(|n| if policy::maa_se_cpr(rolle) { n } else { "Persondata er fjernet".into() })
                .unwrap_or_default(),
        ),
        ("CPR-nummer".into(), crate::html::vis_cpr(sag.cpr.as_deref(), rolle)),
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
        // Seed 001 §1.2.4: "Godkendt dato" is not shown to companies.
        ("Godkendt dato".into(), if rolle == Rolle::Virksomhed { String::new() } else { dato(sag.godkendt_dato) }),
        ("Konfliktramt ved oprettelse".into(), if sag.konfliktramt { "Ja".into() } else { "Nej".into() }),
        // Docs/decisions.md 76: the retention job removed the personal data on this day.
        (
            "Persondata".into(),
            sag.persondata_fjernet
                .map(|t| format!("Fjernet {}, da opbevaringsperioden var udløbet", dato(Some(t.date_naive()))))
                .unwrap_or_default(),
        ),
    ];
    let skemafelter = skema.map(|s| s.sagsfelter()).unwrap_or_default();
    foer_skema
        .into_iter()
        .chain(skemafelter.into_iter().map(|(k, v)| (k.to_string(), v)))
        .chain(efter_skema)
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// One record as the page shows it, its data through its kind's type (issue 13 §1).
fn elementvisning(e: storage::entity::sagselement::Model, ordning: Ordning) -> ElementVisning {
    ElementVisning {
        art: element_navn(&e.art, ordning),
        status: element_status(&e.art, &e.status),
        periode: match (e.startdato, e.slutdato) {
            (Some(a), Some(z)) => format!("{} – {}", dato(Some(a)), dato(Some(z))),
            (None, Some(z)) => dato(Some(z)),
            _ => String::new(),
        },
        detaljer: Elementart::fra_kode(&e.art)
            .and_then(|art| domain::elementdata::visning(art, &e.data))
            .unwrap_or_else(|| {
                tracing::warn!(element_id = e.id, art = %e.art, "postens data passer ikke til dens art");
                Vec::new()
            })
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    }
}

/// The receipt after an action (the `sendt`/`besked` of the address).
fn kvittering(q: &SagQuery, til_hoering: bool, ansoegning: Option<Ans>) -> Option<String> {
    if q.sendt.is_some() {
        return Some(
            if til_hoering {
                "Ansøgningen er underskrevet og sendt til medarbejderrepræsentanten."
            } else if ansoegning == Some(Ans::SendtTilBorger) {
                "Aftalen er underskrevet og sendt til borgeren, som også skal underskrive den."
            } else {
                "Ansøgningen er underskrevet og sendt."
            }
            .to_string(),
        );
    }
    let tekst = match q.besked.as_deref()? {
        "udfoert" => "Handlingen er udført.",
        "ophoer" => "Ophøret er registreret, og jobcentret får besked.",
        "forlaengelse" => "Anmodningen om forlængelse er sendt til jobcentret.",
        "afvist" => "Ansøgningen er afvist, og virksomheden får besked.",
        "gensendt" => "E-mailen er sendt igen til virksomheden.",
        "underskrevet" => "Du har underskrevet aftalen. Jobcentret behandler den nu.",
        "afvist-af-borger" => "Du har afvist aftalen. Virksomheden får besked.",
        _ => return None,
    };
    Some(tekst.to_string())
}
