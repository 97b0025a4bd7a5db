//! The case page and the actions on a case: approve or reject the application, approve the
//! grant, extension (forlængelse) and termination (ophør).

use super::ansoegning::{gemt, skema};
use super::{Formular, Indsendt, Ramme, Sti, Svar, dato, vaerdi, version, videre};
use crate::AppState;
use crate::auth::Bruger;
use crate::fejl::WebFejl;
use crate::felt::{Felt, FeltArt, med_fejl};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::Utc;
use domain::FieldError;
use domain::anmodninger::{ForlaengelseAnmodning, OphoerRegistrering};
use domain::beloeb::Beloeb;
use domain::ident::Cvr;
use domain::ordning::Ordning;
use domain::periode::{GodkendtForlaengelse, Periode, parse_dato};
use domain::policy::{self, Handling};
use domain::skema::Skemadata;
use domain::status::{Elementart, ForlaengelseStatus};
use domain::tilskud::{Tilskudsloft, tjek_tilskudsloft};
use serde::Deserialize;
use storage::entity::{sag, sagselement};
use storage::sager::{Aendring, NytElement};

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
const KNAPPER: [(Handling, &str, &str, bool); 7] = [
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
                        .map(|(f, v)| (f.label.to_string(), super::ansoegning::vist(v, &[], b.rolle)))
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
        ("CPR-nummer".into(), super::vis_cpr(sag.cpr.as_deref(), b.rolle)),
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
            let pe = super::ansoegning::p_enheder(&st, &sag.cvr).await?;
            s.opsummering()
                .into_iter()
                .map(|sek| {
                    let linjer = sek
                        .raekker
                        .iter()
                        .map(|(f, v)| (f.label.to_string(), super::ansoegning::vist(v, &pe, b.rolle)))
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

fn kontakt_email(s: &Skemadata) -> Option<String> {
    Some(s.dele().kontakt.kontakt_email.trim().to_string()).filter(|e| !e.is_empty())
}

/// The name of the company's contact person, for the e-mails' greeting.
fn kontakt_navn(s: &Skemadata) -> &str {
    &s.dele().kontakt.kontakt_navn
}

/// POST `/sager/{id}/handling/{slug}`: the simple actions.
#[tracing::instrument(skip_all, fields(sag_id = id, handling = %slug))]
pub async fn handling(
    State(st): State<AppState>,
    b: Bruger,
    Sti((id, slug)): Sti<(i64, String)>,
    Indsendt(f): Indsendt,
) -> Svar {
    let Some((h, ..)) = KNAPPER.iter().find(|(_, s, ..)| *s == slug) else {
        return Err(WebFejl::SideFindesIkke);
    };
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    let s = skema(&sag)?;
    let nu = Utc::now();
    let idag = nu.date_naive();
    let mut a = Aendring::ny(*h);
    a.forventet_version = version(&f);
    let mut kvittering = "udfoert";
    match h {
        // The citizen signs with the same signing component as the company (seed 001 §1.13;
        // decision 97); the signature goes on the agreement's record, with date and time.
        Handling::BorgerUnderskriv => {
            kraev(&b, &sag, Handling::BorgerUnderskriv)?;
            let ansoegning = storage::sager::elementer(&st.db, id)
                .await?
                .into_iter()
                .rfind(|e| e.art == Elementart::Ansoegning.kode())
                .ok_or_else(|| WebFejl::Intern(anyhow::anyhow!("sag {id} har ingen aftale at underskrive")))?;
            let signatur = st.signering.underskriv(&b.navn(), nu).await?;
            a = Aendring {
                forventet_version: a.forventet_version,
                ..Aendring::borgerens_underskrift(
                    &ansoegning,
                    &signatur.underskriver,
                    signatur.tidspunkt,
                    signatur.metode,
                    idag,
                )?
            };
            if let Some(til) = kontakt_email(&s) {
                let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
                a.emails.push(crate::email::ansoegning_modtaget(&afsender, &til, kontakt_navn(&s), &dato(Some(idag)))?);
            }
            kvittering = "underskrevet";
        }
        Handling::BorgerAfvis => {
            if let Some(til) = kontakt_email(&s) {
                let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
                a.emails.push(crate::email::aftale_afvist_af_borger(&afsender, &til, kontakt_navn(&s))?);
            }
            kvittering = "afvist-af-borger";
        }
        Handling::GodkendAnsoegning => {
            // The decision's own fields (the subsidy cap, seed 004; the work intensity, seed
            // 002 §4.2), from the scheme's profile; an error shows the form again as typed.
            let data = match domain::afgoerelse::bevillingsdata(s.ordning().profil(), &|n| f.get(n).cloned()) {
                Ok(d) => d,
                Err(fejl) => return Ok(formular_svar(godkend_side(&b, &sag, s.ordning(), &f, &fejl), true)),
            };
            a = Aendring { forventet_version: a.forventet_version, ..Aendring::bevilling(&sag, data, idag) };
            if let Some(til) = kontakt_email(&s) {
                let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
                a.emails.push(crate::email::bevilling_til_godkendelse(&afsender, &til, kontakt_navn(&s))?);
            }
        }
        Handling::GodkendBevilling => a.opdatering.godkendt_dato = Some(idag),
        Handling::GodkendForlaengelse => {
            let ventende = storage::sager::elementer(&st.db, id).await?.into_iter().rfind(|e| {
                e.art == Elementart::Forlaengelse.kode() && e.status == ForlaengelseStatus::AfventerJobcenter.kode()
            });
            a.opdatering.slutdato = ventende.and_then(|e| e.slutdato);
            if let Some(til) = kontakt_email(&s) {
                let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
                let ny_slut = dato(a.opdatering.slutdato);
                a.emails.push(crate::email::forlaengelse_godkendt(&afsender, &til, kontakt_navn(&s), &ny_slut)?);
            }
        }
        Handling::AfvisForlaengelse => {
            if let Some(til) = kontakt_email(&s) {
                let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
                a.emails.push(crate::email::forlaengelse_afvist(&afsender, &til, kontakt_navn(&s))?);
            }
        }
        _ => {}
    }
    storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, nu).await?;
    Ok(videre(format!("/sager/{id}?besked={kvittering}")))
}

/// POST `/sager/{id}/gensend`: "Gensend" (the papirflyver icon) queues the company's mail
/// again: the draft link, or the grant awaiting its approval (DOMAIN.md step 1, seed 002
/// §5.4). The policy allows it in those states for the jobcentre; no status changes.
#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn gensend(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>, Indsendt(f): Indsendt) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    kraev(&b, &sag, Handling::Genfremsend)?;
    let s = skema(&sag)?;
    let til = kontakt_email(&s).ok_or_else(|| {
        WebFejl::Ugyldig(
            "Ansøgningen har ingen e-mailadresse på virksomhedens kontaktperson, så der er intet at gensende.".into(),
        )
    })?;
    let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
    let mail = if storage::sager::fakta(&sag)?.tilstand.afgoerelse
        == Some(domain::status::AfgoerelseStatus::AfventerVirksomhed)
    {
        crate::email::bevilling_til_godkendelse(&afsender, &til, kontakt_navn(&s))?
    } else {
        crate::email::kladde_link(&afsender, &til, kontakt_navn(&s))?
    };
    let mut a = Aendring::ny(Handling::Genfremsend);
    a.forventet_version = version(&f);
    // The history line: "E-mail gensendt til virksomheden: <address>".
    a.bemaerkning = Some(til);
    a.emails.push(mail);
    storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, Utc::now()).await?;
    Ok(videre(format!("/sager/{id}?besked=gensendt")))
}

#[derive(Template, WebTemplate)]
#[template(path = "formular.html")]
pub struct FormularSide {
    pub ramme: Ramme,
    pub sag_id: i64,
    pub version: i64,
    pub overskrift: String,
    pub intro: Vec<String>,
    pub felter: Vec<Felt>,
    pub handling_url: String,
    pub knap_id: &'static str,
    pub knap_tekst: &'static str,
    pub advarsler: Vec<String>,
}

impl FormularSide {
    pub fn har_fejl(&self) -> bool {
        self.felter.iter().any(|f| f.fejl.is_some())
    }
}

fn formular_svar(side: FormularSide, fejl: bool) -> axum::response::Response {
    if fejl { (StatusCode::UNPROCESSABLE_ENTITY, side).into_response() } else { side.into_response() }
}

/// Refuse early, with the policy's Danish reason, before showing a form for an action.
fn kraev(b: &Bruger, sag: &sag::Model, h: Handling) -> Result<(), WebFejl> {
    policy::tjek(&b.aktoer, h, &storage::sager::fakta(sag)?)
        .map(|_| ())
        .map_err(|e| WebFejl::from(storage::StorageError::Afvist(e)))
}

// ---- Godkend ansøgning ------------------------------------------------------------------------

/// The decision's fields of `ordning`, with the posted values (or each field's default) and
/// their errors.
fn afgoerelsesfelter(ordning: Ordning, f: &Formular, fejl: &[FieldError]) -> Vec<Felt> {
    let felter = ordning.profil().afgoerelsesfelter;
    let vaerdier: serde_json::Map<String, serde_json::Value> = felter
        .iter()
        .map(|a| {
            let v = f.get(a.felt().navn).cloned().unwrap_or_else(|| a.standard().to_string());
            (a.felt().navn.to_string(), serde_json::Value::String(v))
        })
        .collect();
    med_fejl(felter.iter().map(|a| super::ansoegning::felt(a.felt(), &vaerdier, &[], None)).collect(), fejl)
}

/// "Godkend ansøgning" again, when the decision's fields had errors: nothing typed is lost.
fn godkend_side(b: &Bruger, sag: &sag::Model, ordning: Ordning, f: &Formular, fejl: &[FieldError]) -> FormularSide {
    FormularSide {
        ramme: Ramme::ny("Godkend ansøgning", Some(b)),
        sag_id: sag.id,
        version: sag.version,
        overskrift: "Godkend ansøgning".into(),
        intro: vec![format!(
            "Ret oplysningerne. Når du godkender, udarbejdes {} og sendes til virksomheden.",
            ordning.profil().livsforloeb.afgoerelsens_navn().to_lowercase()
        )],
        felter: afgoerelsesfelter(ordning, f, fejl),
        handling_url: format!("/sager/{}/handling/godkend-ansoegning", sag.id),
        knap_id: "godkend-ansoegning",
        knap_tekst: "Godkend ansøgning",
        advarsler: vec![],
    }
}

// ---- Afvis ansøgning ----------------------------------------------------------------------

fn afvis_side(b: &Bruger, sag: &sag::Model, tekst: String, fejl: &[FieldError]) -> FormularSide {
    FormularSide {
        ramme: Ramme::ny("Afvis ansøgning", Some(b)),
        sag_id: sag.id,
        version: sag.version,
        overskrift: "Afvis ansøgning".into(),
        intro: vec!["Teksten sendes til virksomheden. Ret standardteksten til, så begrundelsen fremgår.".into()],
        felter: med_fejl(
            vec![Felt::ny("afvisningstekst", "Afslagstekst", FeltArt::Tekstomraade { max: 10000 }, tekst)],
            fejl,
        ),
        handling_url: format!("/sager/{}/afvis", sag.id),
        knap_id: "send-afvisning",
        knap_tekst: "Afvis og send til virksomheden",
        advarsler: vec![],
    }
}

#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn afvis_form(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    kraev(&b, &sag, Handling::AfvisAnsoegning)?;
    let ordning = storage::sager::ordning(&sag)?;
    Ok(afvis_side(&b, &sag, domain::tekster::standard_afslag(ordning), &[]).into_response())
}

#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn afvis(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>, Indsendt(f): Indsendt) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    kraev(&b, &sag, Handling::AfvisAnsoegning)?;
    // Seed 001 §1.8: formatted approve/reject texts to the company are exempt from 2000.
    let tekst = match domain::tekst::fritekst(&vaerdi(&f, "afvisningstekst"), "afvisningstekst", 10000, true) {
        Ok(Some(t)) => t,
        Ok(None) => String::new(),
        Err(e) => return Ok(formular_svar(afvis_side(&b, &sag, vaerdi(&f, "afvisningstekst"), &[e]), true)),
    };
    let s = skema(&sag)?;
    let mut a = Aendring::ny(Handling::AfvisAnsoegning);
    a.forventet_version = version(&f);
    a.opdatering.afgoerelse_dato = Some(Utc::now().date_naive());
    a.bemaerkning = Some(tekst.clone());
    if let Some(til) = kontakt_email(&s) {
        let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
        a.emails.push(crate::email::afslag(&afsender, &til, &tekst)?);
    }
    storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, Utc::now()).await?;
    Ok(videre(format!("/sager/{id}?besked=afvist")))
}

// ---- Forlængelse ---------------------------------------------------------------------------

fn forlaengelse_side(b: &Bruger, sag: &sag::Model, v: &ForlaengelseAnmodning, fejl: &[FieldError]) -> FormularSide {
    FormularSide {
        ramme: Ramme::ny("Anmod om forlængelse", Some(b)),
        sag_id: sag.id,
        version: sag.version,
        overskrift: "Anmod om forlængelse".into(),
        intro: vec![format!("Bevillingen slutter i dag {}. Angiv den nye slutdato.", dato(sag.slutdato))],
        felter: med_fejl(
            vec![
                Felt::ny("ny_slutdato", "Ny slutdato", FeltArt::Dato, v.ny_slutdato.clone()),
                Felt::ny(
                    "ansaettelsesbrev_gaelder",
                    "Ansættelsesbrev og ansættelsesforhold er stadig gældende",
                    FeltArt::Afkrydsning { markeret: v.ansaettelsesbrev_gaelder },
                    "on",
                ),
                Felt::ny("jobindhold", "Jobindhold", FeltArt::Tekstomraade { max: 2000 }, v.jobindhold.clone())
                    .hjaelp("Højst 2.000 tegn – også for ældre sager."),
            ],
            fejl,
        ),
        handling_url: format!("/sager/{}/forlaengelse", sag.id),
        knap_id: "send-forlaengelse",
        knap_tekst: "Send anmodning om forlængelse",
        advarsler: vec![],
    }
}

#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn forlaengelse_form(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    kraev(&b, &sag, Handling::AnmodForlaengelse)?;
    let v = ForlaengelseAnmodning { jobindhold: skema(&sag)?.dele().jobbet.jobindhold.clone(), ..Default::default() };
    Ok(forlaengelse_side(&b, &sag, &v, &[]).into_response())
}

#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn forlaengelse(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>, Indsendt(f): Indsendt) -> Svar {
    let sag = storage::sager::hent(&st.db, id, &b.aktoer).await?;
    kraev(&b, &sag, Handling::AnmodForlaengelse)?;
    let v = ForlaengelseAnmodning {
        ny_slutdato: vaerdi(&f, "ny_slutdato"),
        ansaettelsesbrev_gaelder: f.contains_key("ansaettelsesbrev_gaelder"),
        jobindhold: vaerdi(&f, "jobindhold"),
    };
    let aktuel = sag.slutdato.ok_or_else(|| WebFejl::Intern(anyhow::anyhow!("sag {id} har ingen slutdato")))?;
    let fejl = v.fejl(aktuel);
    if !fejl.is_empty() {
        return Ok(formular_svar(forlaengelse_side(&b, &sag, &v, &fejl), true));
    }
    let ny = parse_dato(&v.ny_slutdato, "ny_slutdato").map_err(|e| WebFejl::Ugyldig(e.besked))?;
    let periode = domain::periode::forlaengelse(aktuel, ny, "ny_slutdato").map_err(|e| WebFejl::Ugyldig(e.besked))?;
    let mut s = skema(&sag)?;
    s.dele_mut().jobbet.jobindhold = v.jobindhold.trim().to_string();
    let mut a = Aendring::ny(Handling::AnmodForlaengelse);
    a.forventet_version = version(&f);
    a.opdatering.skemadata = Some(gemt(&s)?);
    a.nyt_element = Some(NytElement {
        art: Elementart::Forlaengelse,
        status: ForlaengelseStatus::AfventerJobcenter.kode().into(),
        startdato: Some(periode.start),
        slutdato: Some(periode.slut),
        data: domain::elementdata::Forlaengelsesdata { ansaettelsesbrev_gaelder: true }.json(),
    });
    storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, Utc::now()).await?;
    Ok(videre(format!("/sager/{id}?besked=forlaengelse")))
}

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
    let v = OphoerRegistrering {
        ophoersdato: vaerdi(&f, "ophoersdato"),
        aarsag: vaerdi(&f, "aarsag"),
        undervalg: vaerdi(&f, "undervalg"),
        modtaget_tilskud: vaerdi(&f, "modtaget_tilskud"),
        samlet_loenudgift: vaerdi(&f, "samlet_loenudgift"),
    };
    let (start, slut) = match (sag.startdato, sag.slutdato) {
        (Some(a), Some(z)) => (a, z),
        _ => return Err(WebFejl::Intern(anyhow::anyhow!("sag {id} mangler periode"))),
    };
    let elementer = storage::sager::elementer(&st.db, id).await?;
    let godkendte: Vec<GodkendtForlaengelse> = elementer
        .iter()
        .filter(|e| e.art == Elementart::Forlaengelse.kode() && e.status == ForlaengelseStatus::Godkendt.kode())
        .filter_map(|e: &sagselement::Model| {
            Some(GodkendtForlaengelse { element_id: e.id, periode: Periode { start: e.startdato?, slut: e.slutdato? } })
        })
        .collect();
    let mut fejl = Vec::new();
    let virkning = parse_dato(&v.ophoersdato, "ophoersdato")
        .and_then(|d| domain::periode::ophoer(Periode { start, slut }, &godkendte, d, "ophoersdato"))
        .map_err(|e| fejl.push(e))
        .ok();
    let aarsag = v.aarsag.trim().parse::<u32>().ok().and_then(|i| domain::ophoer::aarsag(ordning, i));
    if aarsag.is_none() {
        fejl.push(FieldError::new("aarsag", "Vælg en årsag til ophøret"));
    }
    let undervalg = aarsag
        .and_then(|a| v.undervalg.trim().parse::<u32>().ok().and_then(|u| a.undervalg.iter().find(|x| x.id == u)));
    if let Some(a) = aarsag
        && !a.undervalg.is_empty()
        && undervalg.is_none()
    {
        fejl.push(FieldError::new("undervalg", "Vælg, hvorfor ansættelsen er ophørt før tid"));
    }
    let med_loft = ordning.profil().tilskudsloft();
    let beloeb = |v: &str, felt: &str, fejl: &mut Vec<FieldError>| -> Option<Option<Beloeb>> {
        if !med_loft {
            return Some(None);
        }
        Beloeb::parse(v, felt).map_err(|e| fejl.push(e)).ok().map(Some)
    };
    let modtaget = beloeb(&v.modtaget_tilskud, "modtaget_tilskud", &mut fejl);
    let samlet = beloeb(&v.samlet_loenudgift, "samlet_loenudgift", &mut fejl);
    let (Some(virkning), Some(aarsag), Some(modtaget), Some(samlet), true) =
        (virkning, aarsag, modtaget, samlet, fejl.is_empty())
    else {
        return Ok(formular_svar(ophoer_side(&b, &sag, &v, &fejl, offentlig, ordning), true));
    };
    // Seed 004 / DOMAIN.md: private employers ≤ 50 % (in some cases 75 %) of 12 months'
    // wage cost; the grant carries the cap the caseworker chose.
    let bevillingens_loft = elementer
        .iter()
        .rfind(|e| e.art == Elementart::Bevilling.kode())
        .and_then(|e| domain::elementdata::Bevillingsdata::laes(&e.data))
        .and_then(|d| d.tilskudsloft())
        .unwrap_or(Tilskudsloft::Halvtreds);
    let loft = match (modtaget, samlet) {
        (Some(m), Some(t)) if !offentlig => Some(tjek_tilskudsloft(m, t, bevillingens_loft)),
        _ => None,
    };
    let mut a = Aendring::ny(Handling::RegistrerOphoer);
    a.forventet_version = version(&f);
    a.opdatering.slutdato = Some(virkning.aktuel_slut);
    a.element_status =
        virkning.bortfaldne.iter().map(|id| (*id, ForlaengelseStatus::Bortfaldet.kode().to_string())).collect();
    // The newest extension is the last to start: if any lapses, it does.
    a.opdatering.forlaengelse_bortfalder = !virkning.bortfaldne.is_empty();
    a.bemaerkning = Some(match &loft {
        Some(l) => format!("{} {}", aarsag.tekst, l.forklaring),
        None => aarsag.tekst.to_string(),
    });
    a.nyt_element = Some(NytElement {
        art: Elementart::Ophoer,
        status: "registreret".into(),
        startdato: None,
        slutdato: Some(virkning.aktuel_slut),
        data: domain::elementdata::Ophoersdata {
            aarsag: aarsag.tekst.to_string(),
            aarsag_id: Some(aarsag.id),
            undervalg: undervalg.map(|u| u.tekst.to_string()),
            // None: not reported to DFDG (seed 001 §2.1 "Mappes ikke").
            dfdg: aarsag.dfdg.as_ref().map(|d| format!("{} – {}", d.id, d.tekst)),
            systemophoer: None,
            modtaget_tilskud: modtaget.map(Beloeb::formateret),
            samlet_loenudgift: samlet.map(Beloeb::formateret),
            tilskudsloft: match (&loft, med_loft) {
                (Some(l), _) => Some(l.forklaring.clone()),
                (None, true) => Some("Offentlig arbejdsgiver: loftet gælder ikke".to_string()),
                (None, false) => None,
            },
            aktuel_slutdato: Some(dato(Some(virkning.aktuel_slut))),
            oprindelig_slutdato: Some(dato(sag.oprindelig_slutdato)),
        }
        .json(),
    });
    let s = skema(&sag)?;
    if let Some(til) = kontakt_email(&s) {
        let afsender = crate::email::Afsender::for_sag(&st, &sag, sag.jobcenter_id).await?;
        let slut = dato(Some(virkning.aktuel_slut));
        a.emails.push(crate::email::ophoer_registreret(&afsender, &til, kontakt_navn(&s), &slut)?);
    }
    storage::sager::udfoer(&st.db, id, &b.udfoerer(), a, Utc::now()).await?;
    Ok(videre(format!("/sager/{id}?besked=ophoer")))
}

/// POST `/sager/{id}/flyt`: move the case to another jobcentre (seed 001 §1.11). The user
/// loses access with the move, so the answer is the front page with a receipt.
#[tracing::instrument(skip_all, fields(sag_id = id))]
pub async fn flyt(State(st): State<AppState>, b: Bruger, Sti(id): Sti<i64>, Indsendt(f): Indsendt) -> Svar {
    let til: i64 = vaerdi(&f, "jobcenter")
        .trim()
        .parse()
        .map_err(|_| WebFejl::Ugyldig("Vælg det jobcenter, sagen skal flyttes til.".into()))?;
    storage::sager::flyt_jobcenter(&st.db, id, &b.udfoerer(), til, Utc::now()).await?;
    Ok(videre(format!("/?flyttet={id}")))
}
