//! The front page: by role, what awaits action; the case lists.

use super::{Ramme, Svar, WebFejl, dato};
use crate::AppState;
use crate::auth::{Bruger, MaaskeBruger};
use crate::laesning::Laeser;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::response::IntoResponse;
use domain::ordning::Ordning;
use domain::policy::{Aktoer, Rolle};
use storage::entity::sag;

/// One row of a case list.
pub struct Raekke {
    pub id: i64,
    pub ordning: &'static str,
    pub status: &'static str,
    /// The citizen as the role may see them: the name, and the CPR masked (seed 003: the only
    /// form a list shows).
    pub borger: String,
    pub cvr: String,
    pub periode: String,
    pub modtaget: String,
    /// The day the case was made (Danish date), which tells one draft from another.
    pub oprettet: String,
    /// "Slet kladde": the confirmation page, where the policy lets this user delete the draft.
    pub slet: Option<String>,
}

/// A case's citizen (CPR, name). A sent case has them in its columns; a draft has them only in
/// its stored form `skema` (the shared citizen part, whatever the scheme), until it is sent.
pub fn borger(s: &sag::Model, skema: Option<&domain::skema::Skemadata>) -> (Option<String>, Option<String>) {
    if s.cpr.is_some() || s.borger_navn.is_some() {
        return (s.cpr.clone(), s.borger_navn.clone());
    }
    let tom = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_string());
    match skema {
        Some(skema) => {
            let b = skema.dele().borgeren;
            (tom(&b.cpr), tom(&b.borger_navn))
        }
        None => (None, None),
    }
}

/// Whether a case's citizen is read from its form rather than its row (see [`borger`]).
fn fra_formularen(s: &sag::Model) -> bool {
    s.cpr.is_none() && s.borger_navn.is_none()
}

/// The rows of a page of cases, and every CPR they show (masked or not) for the access log.
/// The forms of the drafts among them are read in one statement.
async fn raekker<'a>(
    laes: &storage::Db,
    sager: impl IntoIterator<Item = &'a sag::Model>,
    aktoer: &Aktoer,
) -> Result<(Vec<Raekke>, Vec<Option<String>>), WebFejl> {
    let sager: Vec<&sag::Model> = sager.into_iter().collect();
    let kladder: Vec<&sag::Model> = sager.iter().copied().filter(|s| fra_formularen(s)).collect();
    let skemaer = storage::sager::skemaer(laes, &kladder).await?;
    Ok(sager
        .into_iter()
        .map(|s| {
            let (cpr, navn) = borger(s, skemaer.get(&s.id));
            (raekke(s, aktoer, cpr.clone(), navn), cpr)
        })
        .unzip())
}

/// The citizen as a list shows them to `rolle`: "Anna Jensen, 010190-XXXX"; the name only for
/// a role that may see the citizen's identity (`policy::maa_se_cpr`), the CPR always masked.
pub fn borger_tekst(cpr: Option<&str>, navn: Option<&str>, rolle: Rolle) -> Option<String> {
    let cpr = cpr.and_then(|c| domain::ident::Cpr::parse(c, "cpr").ok()).map(|c| c.maskeret());
    let navn = navn.filter(|_| domain::policy::maa_se_cpr(rolle)).map(str::to_string);
    match (navn, cpr) {
        (Some(n), Some(c)) => Some(format!("{n}, {c}")),
        (Some(n), None) => Some(n),
        (None, Some(c)) => Some(c),
        (None, None) => None,
    }
}

fn raekke(s: &sag::Model, aktoer: &Aktoer, cpr: Option<String>, navn: Option<String>) -> Raekke {
    let rolle = aktoer.rolle();
    let tilstand = storage::sager::tilstand(s).ok();
    let maa_slette = storage::sager::fakta(s)
        .is_ok_and(|f| domain::policy::tjek(aktoer, domain::policy::Handling::SletKladde, &f).is_ok());
    Raekke {
        id: s.id,
        ordning: Ordning::fra_kode(&s.ordning).map(|o| o.navn()).unwrap_or("Ukendt"),
        status: tilstand.map(|t| t.vist_status()).unwrap_or("Ukendt"),
        borger: borger_tekst(cpr.as_deref(), navn.as_deref(), rolle).unwrap_or_default(),
        cvr: s.cvr.clone(),
        periode: match (s.startdato, s.slutdato) {
            (Some(a), Some(b)) => format!("{} – {}", dato(Some(a)), dato(Some(b))),
            _ => String::new(),
        },
        modtaget: dato(s.modtaget_dato),
        oprettet: dato(Some(domain::periode::dansk_tid(s.oprettet).date())),
        slet: maa_slette.then(|| format!("/sager/{}/slet", s.id)),
    }
}

/// A short list under a counter on the front page: the first rows of the very list the
/// counter opens, in an order that suits the work (issue 15 §1).
pub struct Kort {
    /// The list's key: its HTML ids and its page parameter `side_<noegle>`.
    pub noegle: &'static str,
    pub titel: &'static str,
    pub forklaring: &'static str,
    pub tom: &'static str,
    pub sortering: storage::lister::Sortering,
    /// The deepest row the short list pages to.
    pub maks_raekker: u64,
}

/// A front-page counter: what awaits action, as a list and a filter (seed 001 §1.6).
pub struct Boble {
    pub titel: &'static str,
    pub liste: storage::lister::Liste,
    pub filter: storage::lister::Filter,
    /// The short list shown on the front page, if any.
    pub kort: Option<Kort>,
}

impl Boble {
    /// The list the bubble opens, with its filter (and the short list's order) in the URL.
    pub fn url(&self) -> String {
        let sti = match self.liste {
            storage::lister::Liste::SoegAnsoegninger => "/soeg?fane=ansoegninger".to_string(),
            storage::lister::Liste::SoegBevillinger => "/soeg?fane=bevillinger".to_string(),
            storage::lister::Liste::SoegIgu => "/soeg?fane=igu".to_string(),
            l => format!("/lister/{}", l.kode()),
        };
        let sortering = self.kort.as_ref().map(|k| k.sortering).filter(|s| *s != Default::default());
        let q = super::filterurl::til_query(&self.filter, sortering, 1, super::filterurl::STANDARD_STOERRELSE);
        match (q.is_empty(), sti.contains('?')) {
            (true, _) => sti,
            (false, true) => format!("{sti}&{q}"),
            (false, false) => format!("{sti}?{q}"),
        }
    }
}

/// Rows per page of a short list on the front page.
pub const KORT_STOERRELSE: u64 = 10;

/// Seed 001 §1.12: the employer's task list holds at most 1000 grants.
pub const OPGAVER_MAKS: u64 = 1000;

/// The counters of a role. Each count is `lister::antal` of the very list and filter its
/// link opens, so the two cannot disagree.
pub fn bobler(rolle: Rolle) -> Vec<Boble> {
    use storage::lister::{Filter, Kolonne, Liste, MAKS_DYBDE, Sortering};
    let status = |s: &str| Filter { statusser: vec![s.to_string()], ..Filter::default() };
    let nyeste = Sortering::default();
    match rolle {
        Rolle::Sagsbehandler | Rolle::Administrator => vec![
            Boble {
                titel: "Modtagne ansøgninger",
                liste: Liste::Ansoegninger,
                filter: status("modtaget"),
                kort: Some(Kort {
                    noegle: "modtagne",
                    titel: "Modtagne ansøgninger",
                    forklaring: "Ansøgninger, der venter på jobcentret. Længst ventende først.",
                    tom: "Der er ingen modtagne ansøgninger.",
                    sortering: Sortering { kolonne: Kolonne::Modtaget, faldende: false },
                    maks_raekker: MAKS_DYBDE,
                }),
            },
            Boble { titel: "Tilbud", liste: Liste::Tilbud, filter: status("modtaget"), kort: None },
            Boble {
                titel: "Forlængelser",
                liste: Liste::Forlaengelser,
                filter: status("afventer_jobcenter"),
                kort: Some(Kort {
                    noegle: "forlaengelser",
                    titel: "Anmodninger om forlængelse",
                    forklaring: "Forlængelser, der venter på jobcentret. Nyeste først.",
                    tom: "Der er ingen anmodninger om forlængelse.",
                    sortering: nyeste,
                    maks_raekker: MAKS_DYBDE,
                }),
            },
            Boble { titel: "Sendte kladder", liste: Liste::SendteKladder, filter: Filter::default(), kort: None },
        ],
        Rolle::Virksomhed => vec![Boble {
            titel: "Bevillinger til godkendelse",
            liste: Liste::SoegBevillinger,
            filter: status("afventer_virksomhed"),
            kort: Some(Kort {
                noegle: "opgaver",
                titel: "Opgaver",
                forklaring: "Bevillinger, der venter på jeres godkendelse. Nyeste først.",
                tom: "Der er ingen opgaver, som venter på jer.",
                sortering: nyeste,
                maks_raekker: OPGAVER_MAKS,
            }),
        }],
        _ => vec![],
    }
}

/// A counter as shown: title, number, link.
pub struct VistBoble {
    pub titel: &'static str,
    pub antal: u64,
    pub url: String,
}

/// A short list as shown: one page of rows and the links to the pages beside it.
pub struct Kortliste {
    pub noegle: &'static str,
    pub titel: &'static str,
    pub forklaring: &'static str,
    pub tom: &'static str,
    pub raekker: Vec<Raekke>,
    pub side: u64,
    pub forrige: Option<String>,
    pub naeste: Option<String>,
    /// The whole list: (link, text).
    pub alle: Option<(String, String)>,
}

impl Kortliste {
    /// Whether a row can be deleted, so the table has the column for it.
    pub fn slet_kolonne(&self) -> bool {
        self.raekker.iter().any(|r| r.slet.is_some())
    }

    /// The links to the pages beside `side`, on the page at `sti`.
    fn links(&mut self, sti: &str, side: u64, flere: bool) {
        let url = |n: u64| if n <= 1 { sti.to_string() } else { format!("{sti}?side_{}={n}", self.noegle) };
        self.side = side;
        self.forrige = (side > 1).then(|| url(side - 1));
        self.naeste = flere.then(|| url(side + 1));
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "forside.html")]
pub struct Forside {
    pub ramme: Ramme,
    pub demo: bool,
    pub rolle: Option<Rolle>,
    pub log_ind: bool,
    /// The login services configured (slug, button text), decision 70.
    pub logintjenester: Vec<(&'static str, &'static str)>,
    pub bobler: Vec<VistBoble>,
    pub kortlister: Vec<Kortliste>,
    /// The schemes a company may start an application for here: (code, name), one "Start ny
    /// ansøgning" each, from the schemes' profiles (issue 13 §1).
    pub ansoegninger: Vec<(&'static str, String)>,
}

/// The schemes a company applies for itself whose life cycle is built (`ordning::Profil`).
fn ansoegningsordninger() -> Vec<(&'static str, String)> {
    domain::ordning::Ordning::ALLE
        .into_iter()
        .filter(|o| o.initiativ() == domain::ordning::Initiativ::Virksomhed && o.bygget())
        .map(|o| {
            (o.kode(), format!("Start ny {} om {}", o.profil().sagsart().navn().to_lowercase(), o.profil().i_tekst()))
        })
        .collect()
}

/// The page a short list asks for in the query (`side_<noegle>=N`); 1 when absent or unreadable.
fn side_i(par: &[(String, String)], noegle: &str) -> u64 {
    let navn = format!("side_{noegle}");
    par.iter().find(|(k, _)| *k == navn).and_then(|(_, v)| v.trim().parse().ok()).unwrap_or(1).max(1)
}

/// The front page. Its counters and short lists are lists, read from the database [`Laeser`]
/// chose (decision 115).
pub async fn vis(
    State(st): State<AppState>,
    Laeser { db: laes, .. }: Laeser,
    MaaskeBruger(b): MaaskeBruger,
    RawQuery(q): RawQuery,
) -> Svar {
    let par: Vec<(String, String)> = serde_urlencoded::from_str(q.as_deref().unwrap_or("")).unwrap_or_default();
    let har = |navn: &str| par.iter().any(|(k, _)| k == navn);
    let tal = |navn: &str| par.iter().find(|(k, _)| k == navn).and_then(|(_, v)| v.parse::<i64>().ok());
    // "Du er logget ud." only where nobody is logged in (issue 14 §1).
    let besked = match (har("udlogget") && b.is_none(), tal("flyttet"), tal("slettet")) {
        (true, ..) => Some("Du er logget ud.".to_string()),
        (false, Some(id), _) => Some(format!("Sag {id} er flyttet til det nye jobcenter.")),
        (false, None, Some(id)) if b.is_some() => Some(format!("Kladden (sag {id}) er slettet.")),
        _ => None,
    };
    let Some(b) = b else {
        return Ok(Forside {
            ramme: Ramme::uden_bruger("Velkommen til VITAS").med_besked(besked),
            demo: st.demo,
            rolle: None,
            log_ind: har("log_ind"),
            logintjenester: st.login.profiler().into_iter().map(|p| (p.slug(), p.knap())).collect(),
            bobler: vec![],
            kortlister: vec![],
            ansoegninger: vec![],
        }
        .into_response());
    };
    let mut vist = Vec::new();
    let mut kortlister = Vec::new();
    // Every CPR the front page's short lists show, logged as one read.
    let mut vist_cpr: Vec<Option<String>> = Vec::new();
    for boble in bobler(b.rolle) {
        let antal = storage::lister::antal(&laes, &b.aktoer, boble.liste, &boble.filter).await?;
        if let Some(k) = &boble.kort {
            // The short list is a page of the bubble's own list, so its rows and the counter
            // agree; its depth is the bubble's count, capped by the list's own limit.
            let total = antal.min(k.maks_raekker);
            let side = storage::lister::gyldig_side(side_i(&par, k.noegle), total, KORT_STOERRELSE);
            let s = storage::lister::side_med_total(
                &laes,
                &b.aktoer,
                boble.liste,
                &boble.filter,
                k.sortering,
                side,
                KORT_STOERRELSE,
                antal,
            )
            .await?;
            let (raekker, cpr) = raekker(&laes, s.raekker.iter().map(|r| &r.sag), &b.aktoer).await?;
            let mut kl = Kortliste {
                noegle: k.noegle,
                titel: k.titel,
                forklaring: k.forklaring,
                tom: k.tom,
                raekker,
                side: 1,
                forrige: None,
                naeste: None,
                alle: (antal > 0).then(|| (boble.url(), format!("Se hele listen ({})", super::tal(antal)))),
            };
            kl.links("/", s.side, s.side * KORT_STOERRELSE < total);
            vist_cpr.extend(cpr);
            kortlister.push(kl);
        }
        vist.push(VistBoble { titel: boble.titel, antal, url: boble.url() });
    }
    // Below the counters' lists: the cases the user can see, newest first, a page at a time.
    let (titel, forklaring) = match b.rolle {
        Rolle::Virksomhed => ("Jeres sager", "Alle jeres sager, også kladder. Nyeste først."),
        Rolle::Sagsbehandler | Rolle::Administrator => ("Jobcentrets sager", "Alle jobcentrets sager. Nyeste først."),
        // Issue 13 §2: the citizen's agreements, to sign or signed; nothing else.
        Rolle::Borger => ("Dine aftaler", "De aftaler, du skal underskrive eller har underskrevet. Nyeste først."),
        _ => ("Sager", "De sager, du har adgang til. Nyeste først."),
    };
    let mut kl = Kortliste {
        noegle: "sager",
        titel,
        forklaring,
        tom: if b.rolle == Rolle::Borger { "Du har ingen aftaler." } else { "Der er ingen sager." },
        raekker: vec![],
        side: 1,
        forrige: None,
        naeste: None,
        alle: Some(("/sager".into(), "Se alle sager".into())),
    };
    let s = storage::sager::synlige(&laes, &b.aktoer, side_i(&par, "sager"), KORT_STOERRELSE).await?;
    let (r, cpr) = raekker(&laes, &s.sager, &b.aktoer).await?;
    kl.raekker = r;
    kl.links("/", s.side, s.flere);
    kortlister.push(kl);
    vist_cpr.extend(cpr);
    let cpr = vist_cpr.iter().map(Option::as_deref);
    crate::adgangslog::laest(&st, &b, storage::adgangslog::Formaal::Liste, "forsiden", cpr).await?;
    Ok(Forside {
        ramme: Ramme::ny("Forside", Some(&b)).med_besked(besked),
        demo: st.demo,
        rolle: Some(b.rolle),
        log_ind: false,
        logintjenester: vec![],
        bobler: vist,
        kortlister,
        ansoegninger: if b.rolle == Rolle::Virksomhed { ansoegningsordninger() } else { vec![] },
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "sager.html")]
pub struct Sagsliste {
    pub ramme: Ramme,
    pub overskrift: &'static str,
    pub liste: Kortliste,
}

/// Rows per page of "Sager".
pub const SAGER_STOERRELSE: u64 = 50;

/// GET `/sager?side=N`: every case the user may see, newest first, a page at a time.
pub async fn liste(State(st): State<AppState>, l: Laeser, b: Bruger, RawQuery(q): RawQuery) -> Svar {
    let par: Vec<(String, String)> = serde_urlencoded::from_str(q.as_deref().unwrap_or("")).unwrap_or_default();
    let s = storage::sager::synlige(&l.db, &b.aktoer, side_i(&par, "sager"), SAGER_STOERRELSE).await?;
    let (raekker, cpr) = raekker(&l.db, &s.sager, &b.aktoer).await?;
    crate::adgangslog::laest(&st, &b, storage::adgangslog::Formaal::Liste, "sager", cpr.iter().map(Option::as_deref))
        .await?;
    // Issue 13 §2: the citizen has their agreements, and no Søg.
    let borger = !domain::policy::har_lister(b.rolle);
    let mut liste = Kortliste {
        noegle: "sager",
        titel: if borger { "Alle dine aftaler" } else { "Alle sager" },
        forklaring: if borger {
            "De aftaler, du skal underskrive eller har underskrevet. Nyeste først."
        } else {
            "De sager, du har adgang til. Nyeste først. Brug Søg for at finde en bestemt sag."
        },
        tom: if borger { "Du har ingen aftaler." } else { "Der er ingen sager." },
        raekker,
        side: 1,
        forrige: None,
        naeste: None,
        alle: None,
    };
    liste.links("/sager", s.side, s.flere);
    let overskrift = if borger { "Dine aftaler" } else { "Sager" };
    Ok(Sagsliste { ramme: Ramme::ny(overskrift, Some(&b)), overskrift, liste }.into_response())
}
