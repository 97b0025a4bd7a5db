//! The list pages and Søg (seed 001 §1.1–1.6; issue 3 §1): filters in the URL, every column
//! sortable both ways, the number of hits at the top and the bottom, a link per row.

use super::filterurl::{ListeQuery, offentlig_query};
use super::{Ramme, Sti, Svar};
use crate::AppState;
use crate::auth::Bruger;
use crate::fejl::WebFejl;
use crate::laesning::Laeser;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::response::IntoResponse;
use domain::ordning::Ordning;
use domain::policy::{Aktoer, Rolle};
use storage::Db;
use storage::lister::{self, Kolonne, Liste, Raekke, Sortering};

/// A column header: its label, the URL that sorts by it (None: the role may not sort by it),
/// and its current state for aria-sort.
pub struct Overskrift {
    pub tekst: &'static str,
    pub url: Option<String>,
    /// "ascending", "descending" or "none".
    pub aria_sort: &'static str,
}

pub struct VisRaekke {
    pub id: i64,
    pub celler: Vec<String>,
}

/// A link in the pagination: label, URL (None for the current page), whether current.
pub struct Sidelink {
    pub tekst: String,
    pub url: Option<String>,
    pub aktuel: bool,
}

pub struct Valg {
    pub vaerdi: String,
    pub tekst: String,
    pub valgt: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "liste.html")]
pub struct ListeSide {
    pub ramme: Ramme,
    pub titel: &'static str,
    pub sti: String,
    /// The Søg tabs: (label, url, current); empty outside Søg.
    pub faner: Vec<(&'static str, String, bool)>,
    pub fane: Option<&'static str>,
    pub ordninger: Vec<Valg>,
    pub statusser: Vec<Valg>,
    pub tillaeg: Vec<Valg>,
    pub teams: Vec<Valg>,
    pub medarbejdere: Vec<Valg>,
    pub indtastet: Vec<(String, String)>,
    pub udvidet_aaben: bool,
    pub fejl: Vec<String>,
    pub total: u64,
    pub overskrifter: Vec<Overskrift>,
    pub raekker: Vec<VisRaekke>,
    pub sider: Vec<Sidelink>,
    /// Said under the pages when the hits go deeper than a page can reach (decision 50).
    pub dybde_besked: Option<String>,
    pub kan_saette_ansvarlig: bool,
    pub denne_url: String,
    pub excel_url: String,
}

impl ListeSide {
    pub fn indtastet(&self, navn: &str) -> String {
        self.indtastet.iter().find(|(k, _)| k == navn).map(|(_, v)| v.clone()).unwrap_or_default()
    }
}

/// The three tabs of Søg (seed 001 §1.2.1).
const FANER: [(&str, &str, Liste); 3] = [
    ("ansoegninger", "Ansøgninger og tilbud", Liste::SoegAnsoegninger),
    ("bevillinger", "Bevillinger", Liste::SoegBevillinger),
    ("igu", "IGU-aftaler", Liste::SoegIgu),
];

/// The lists in the menu of a role.
pub fn menu(rolle: Rolle) -> Vec<(&'static str, &'static str)> {
    let mut menu = match rolle {
        Rolle::Sagsbehandler | Rolle::Administrator | Rolle::AndenAktoer | Rolle::Styrelse => vec![
            ("/", "Forside"),
            ("/lister/ansoegninger", "Ansøgninger"),
            ("/lister/tilbud", "Tilbud"),
            ("/lister/bevillinger", "Bevillinger"),
            ("/lister/forlaengelser", "Forlængelser"),
            ("/lister/ophoer", "Ophør"),
            ("/soeg", "Søg"),
            ("/lister/sendte-kladder", "Sendte kladder"),
        ],
        // Issue 13 §2: the citizen's own agreements are on the front page, and that is all.
        r if !domain::policy::har_lister(r) => vec![("/", "Dine aftaler")],
        _ => vec![("/", "Forside"), ("/soeg", "Søg")],
    };
    // Seed 002 §1.2: administrators get an extra menu.
    if domain::policy::administrerer_leveringer(rolle) {
        menu.push(("/admin/leveringer", "Leveringer"));
        menu.push(("/admin/indsigt", "Indsigt"));
        // Issue 12 §1: the dashboard, for the same roles (domain::policy::statistikomfang).
        menu.push(("/admin/statistik", "Statistik"));
    }
    menu
}

fn celle(k: Kolonne, r: &Raekke, liste: Liste, rolle: Rolle) -> String {
    lister::tekst(k, r, liste, domain::policy::maa_se_cpr(rolle))
}

fn sidelinks(sti: &str, q: &ListeQuery, side: u64, antal_sider: u64) -> Vec<Sidelink> {
    let url = |n: u64| {
        let qs = offentlig_query(q, q.sortering, n, q.stoerrelse);
        if qs.is_empty() { sti.to_string() } else { format!("{sti}{}{qs}", if sti.contains('?') { "&" } else { "?" }) }
    };
    let mut ud = Vec::new();
    if side > 1 {
        ud.push(Sidelink { tekst: "Forrige".into(), url: Some(url(side - 1)), aktuel: false });
    }
    let fra = side.saturating_sub(2).max(1);
    let til = (side + 2).min(antal_sider);
    if fra > 1 {
        ud.push(Sidelink { tekst: "1".into(), url: Some(url(1)), aktuel: false });
    }
    for n in fra..=til {
        ud.push(Sidelink { tekst: n.to_string(), url: (n != side).then(|| url(n)), aktuel: n == side });
    }
    if til < antal_sider {
        ud.push(Sidelink { tekst: antal_sider.to_string(), url: Some(url(antal_sider)), aktuel: false });
    }
    if side < antal_sider {
        ud.push(Sidelink { tekst: "Næste".into(), url: Some(url(side + 1)), aktuel: false });
    }
    ud
}

/// What a list says when it has more hits than its pages reach (decision 50).
pub fn dybde_besked(total: u64) -> String {
    format!(
        "Der er {} sager. Der kan bladres i de første {}: brug filtrene til at indsnævre søgningen, \
         eller vend sorteringen for at se de sidste.",
        super::tal(total),
        super::tal(lister::MAKS_DYBDE)
    )
}

/// The list page. Its rows, total, teams and caseworkers are read from `laes`, the database
/// [`Laeser`] chose (the replica, or the primary after the user's own write; decision 115);
/// the search kept behind `ref=` and the access log are the primary's.
async fn vis(
    st: &AppState,
    laes: &Db,
    b: &Bruger,
    liste: Liste,
    sti: String,
    fane: Option<&'static str>,
    query: &str,
) -> Svar {
    let q = super::filterurl::laes(&st.db, b.model.id, query).await?;
    let virksomhed = b.rolle == Rolle::Virksomhed;
    let kolonner = Kolonne::for_liste(liste, virksomhed);
    // Newest first unless the user chose: received date for applications, id otherwise.
    let sortering = q.sortering.unwrap_or(Sortering { kolonne: Kolonne::Id, faldende: true });
    let resultat = lister::side(laes, &b.aktoer, liste, &q.filter, sortering, q.side, q.stoerrelse).await?;
    let cpr = resultat.raekker.iter().map(|r| r.sag.cpr.as_deref());
    crate::adgangslog::laest(st, b, storage::adgangslog::Formaal::Liste, format!("liste {}", liste.kode()), cpr)
        .await?;
    let basis = |qs: String| {
        if qs.is_empty() { sti.clone() } else { format!("{sti}{}{qs}", if sti.contains('?') { "&" } else { "?" }) }
    };
    let overskrifter = kolonner
        .iter()
        .map(|k| {
            let aktuel = sortering.kolonne == *k;
            let ny = Sortering { kolonne: *k, faldende: aktuel && !sortering.faldende };
            let sorterbar =
                !matches!(k, Kolonne::Cpr | Kolonne::Navn) || domain::policy::maa_sortere_paa_persondata(&b.aktoer);
            Overskrift {
                tekst: k.overskrift(),
                url: sorterbar.then(|| basis(offentlig_query(&q, Some(ny), 1, q.stoerrelse))),
                aria_sort: match (aktuel, sortering.faldende) {
                    (true, false) => "ascending",
                    (true, true) => "descending",
                    _ => "none",
                },
            }
        })
        .collect();
    let raekker = resultat
        .raekker
        .iter()
        .map(|r| VisRaekke { id: r.sag.id, celler: kolonner.iter().map(|k| celle(*k, r, liste, b.rolle)).collect() })
        .collect();
    let teams = lister::teams_i_scope(laes, &b.aktoer).await?;
    let folk = lister::medarbejdere_i_scope(laes, &b.aktoer).await?;
    let jobcenter = matches!(b.aktoer, Aktoer::Sagsbehandler { .. } | Aktoer::Administrator { .. });
    let valg = |v: String, t: String, valgt: bool| Valg { vaerdi: v, tekst: t, valgt };
    let f = &q.filter;
    let kvittering = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k == "ansvar_sat")
        .map(|(_, n)| format!("Ansvarlig er sat på {n} sag(er)."));
    let side = ListeSide {
        ramme: Ramme::ny(liste.titel(), Some(b)).med_besked(kvittering).paa(sti.clone()),
        titel: liste.titel(),
        faner: if fane.is_some() {
            FANER.iter().map(|(kode, navn, _)| (*navn, format!("/soeg?fane={kode}"), Some(*kode) == fane)).collect()
        } else {
            vec![]
        },
        fane,
        ordninger: Ordning::ALLE
            .iter()
            .map(|o| valg(o.kode().into(), o.navn().into(), f.ordninger.contains(o)))
            .collect(),
        statusser: liste
            .statusser()
            .into_iter()
            .map(|(k, n)| valg(k.into(), n.into(), f.statusser.iter().any(|s| s == k)))
            .collect(),
        tillaeg: if liste.har_tillaeg() {
            Ordning::ALLE
                .iter()
                .filter(|o| o.kan_vaere_tillaeg())
                .map(|o| valg(o.kode().into(), o.navn().into(), f.tillaeg.contains(o)))
                .collect()
        } else {
            vec![]
        },
        teams: if jobcenter {
            teams.iter().map(|(id, n)| valg(id.to_string(), n.clone(), f.team == Some(*id))).collect()
        } else {
            vec![]
        },
        medarbejdere: if jobcenter {
            folk.iter().map(|(id, n)| valg(id.to_string(), n.clone(), f.medarbejder == Some(*id))).collect()
        } else {
            vec![]
        },
        udvidet_aaben: !q.indtastet.is_empty() || f.team.is_some() || f.medarbejder.is_some(),
        indtastet: q.indtastet.clone(),
        fejl: q.fejl.clone(),
        total: resultat.total,
        overskrifter,
        raekker,
        sider: sidelinks(&sti, &q, resultat.side, resultat.antal_sider()),
        dybde_besked: resultat.begraenset().then(|| dybde_besked(resultat.total)),
        kan_saette_ansvarlig: jobcenter,
        denne_url: basis(offentlig_query(&q, q.sortering, q.side, q.stoerrelse)),
        excel_url: format!("/excel/{}?{}", liste.kode(), offentlig_query(&q, q.sortering, 1, q.stoerrelse)),
        sti,
    };
    Ok(side.into_response())
}

fn liste_af(kode: &str) -> Result<Liste, WebFejl> {
    Liste::fra_kode(kode)
        .filter(|l| !matches!(l, Liste::SoegAnsoegninger | Liste::SoegBevillinger | Liste::SoegIgu))
        .ok_or(WebFejl::SideFindesIkke)
}

fn par_af(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query).unwrap_or_default()
}

/// Back to `sti` with the search in the address, its CPR and name swapped for `ref=`
/// (decision 80): 303, so the address bar, the history and the back button see only that.
async fn til_listen(st: &AppState, b: &Bruger, sti: &str, par: Vec<(String, String)>) -> Svar {
    Ok(super::videre(super::filterurl::adresse(&st.db, b.model.id, sti, par).await?))
}

/// GET `/lister/{liste}`. An address with a CPR or a name in it (an old bookmark, or typed by
/// hand) is sent on to the same list without them.
/// The lists, Søg and the export are for the roles that have them (`policy::har_lister`);
/// for anyone else they do not exist.
pub(super) fn kraev_lister(b: &Bruger) -> Result<(), WebFejl> {
    if domain::policy::har_lister(b.rolle) { Ok(()) } else { Err(WebFejl::SideFindesIkke) }
}

pub async fn liste(
    State(st): State<AppState>,
    l: Laeser,
    b: Bruger,
    Sti(kode): Sti<String>,
    RawQuery(q): RawQuery,
) -> Svar {
    kraev_lister(&b)?;
    let liste = liste_af(&kode)?;
    let q = q.unwrap_or_default();
    let par = par_af(&q);
    if super::filterurl::har_persondata(&par) {
        return til_listen(&st, &b, &format!("/lister/{kode}"), par).await;
    }
    vis(&st, &l.db, &b, liste, format!("/lister/{kode}"), None, &q).await
}

/// POST `/lister/{liste}`: the filter form. Back to the list with the filters in its address.
pub async fn filtrer(
    State(st): State<AppState>,
    b: Bruger,
    Sti(kode): Sti<String>,
    super::Par(par): super::Par,
) -> Svar {
    kraev_lister(&b)?;
    liste_af(&kode)?;
    til_listen(&st, &b, &format!("/lister/{kode}"), par).await.map(crate::laesning::uden_skrivning)
}

/// GET `/soeg?fane=…`: searched as soon as it opens, all schemes (seed 001 §1.2.1).
pub async fn soeg(State(st): State<AppState>, l: Laeser, b: Bruger, RawQuery(q): RawQuery) -> Svar {
    kraev_lister(&b)?;
    let q = q.unwrap_or_default();
    let par = par_af(&q);
    if super::filterurl::har_persondata(&par) {
        return til_listen(&st, &b, "/soeg", par).await;
    }
    let fane = par.into_iter().find(|(k, _)| k == "fane").map(|(_, v)| v);
    let (kode, _, liste) = FANER.iter().find(|(k, ..)| Some(*k) == fane.as_deref()).copied().unwrap_or(FANER[0]);
    vis(&st, &l.db, &b, liste, format!("/soeg?fane={kode}"), Some(kode), &q).await
}

/// POST `/soeg`: Søg's filter form (its tab is a hidden field).
pub async fn soeg_filtrer(State(st): State<AppState>, b: Bruger, super::Par(par): super::Par) -> Svar {
    kraev_lister(&b)?;
    til_listen(&st, &b, "/soeg", par).await.map(crate::laesning::uden_skrivning)
}

/// POST `/lister/saet-ansvarlig`: the selected rows get a team and a caseworker, several at
/// once (issue 3 §2). Then back to the same list, with the same filters.
pub async fn saet_ansvarlig(State(st): State<AppState>, b: Bruger, super::Par(par): super::Par) -> Svar {
    kraev_lister(&b)?;
    let vaerdi =
        |navn: &str| par.iter().find(|(k, _)| k == navn).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let tal = |navn: &str| -> Result<Option<i64>, WebFejl> {
        let v = vaerdi(navn);
        if v.is_empty() {
            return Ok(None);
        }
        v.parse().map(Some).map_err(|_| WebFejl::Ugyldig(format!("Ugyldig værdi for {navn}.")))
    };
    let mut sager = Vec::new();
    for (k, v) in &par {
        if k == "sag" {
            sager.push(v.parse::<i64>().map_err(|_| WebFejl::Ugyldig("Ugyldigt VITAS-id i markeringen.".into()))?);
        }
    }
    let antal = storage::sager::saet_ansvarlig(
        &st.db,
        &b.udfoerer(),
        &sager,
        tal("team")?,
        tal("medarbejder")?,
        chrono::Utc::now(),
    )
    .await?;
    // Only back to a list of our own (never an open redirect).
    let tilbage = vaerdi("tilbage");
    // Back to the list it came from, and only there: a local path of printable characters
    // (a CR or LF would break the Location header after the change was saved).
    let lokal =
        (tilbage.starts_with("/lister/") || tilbage.starts_with("/soeg")) && !tilbage.contains(char::is_control);
    let tilbage = if lokal { tilbage } else { "/".into() };
    let skille = if tilbage.contains('?') { '&' } else { '?' };
    Ok(super::videre(format!("{tilbage}{skille}ansvar_sat={antal}")))
}
