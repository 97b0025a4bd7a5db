//! "Statistik": the dashboard of a jobcentre's or the whole country's figures (issue 12 §1;
//! decisions 131–133).
//!
//! Every figure is built once, as a [`Figurtabel`] from the rollup's rows
//! (`storage::statistik`, decision 124) and `domain::statistik`'s suppression; the page shows
//! it as a chart drawn from that table's cells (`crate::diagram`) and as the table itself, and
//! `/admin/statistik/{figur}.csv` and `.xlsx` download the same table. Who sees what:
//! `domain::policy::statistikomfang` (a jobcentre administrator their own municipality, STAR the
//! country); anyone else gets "Siden findes ikke", like the deliveries page.
//!
//! The filters are a GET form kept in the address (`fra`, `til`, repeated `ordning`,
//! `omraade`). A value that cannot be used gives a Danish message on the page and its default
//! (decision 133), never an error page.

use std::collections::{BTreeMap, BTreeSet};

use super::{Ramme, Sti, Svar};
use crate::AppState;
use crate::auth::Bruger;
use crate::diagram::{self, Serie, Soejle};
use crate::fejl::WebFejl;
use crate::figurtabel::{Felt, Figurtabel, Kolonneart};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::IntoResponse;
use chrono::{Datelike, Months, NaiveDate, Utc};
use domain::ordning::Ordning;
use domain::policy::{Leveringsscope, statistikomfang};
use domain::statistik::{self as stat, Andel, Maal};
use storage::statistik::{Omraade, Udsnit};

/// The longest period a page may ask for: the work stays bounded (decision 133).
const MAKS_MAANEDER: usize = 120;
/// The default period: this many months, ending with the current one (decision 133).
const STANDARD_MAANEDER: u32 = 12;

/// Whose figures the user may see.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Omfang {
    /// STAR: the country, any region or municipality.
    Landet,
    /// A jobcentre administrator: their own municipality, whatever the address says.
    Kommune(String),
}

async fn omfang(st: &AppState, b: &Bruger) -> Result<Omfang, WebFejl> {
    match statistikomfang(&b.aktoer) {
        Some(Leveringsscope::Alle) => Ok(Omfang::Landet),
        Some(Leveringsscope::Jobcenter(id)) => {
            Ok(Omfang::Kommune(storage::organisation::kommunekode(&st.db, id).await?.ok_or(WebFejl::SideFindesIkke)?))
        }
        None => Err(WebFejl::SideFindesIkke),
    }
}

/// A jobcentre as the area filter knows it.
#[derive(Debug, Clone)]
struct Kommune {
    kode: String,
    navn: String,
    region: String,
}

/// The filters as read from the address, with what could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Filtre {
    udsnit: Udsnit,
    beskeder: Vec<String>,
}

/// "2026-03" → the first of March 2026.
fn laes_maaned(v: &str) -> Option<NaiveDate> {
    let (aar, md) = v.trim().split_once('-')?;
    if aar.len() != 4 || md.len() != 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(aar.parse().ok()?, md.parse().ok()?, 1)
}

fn maanedstekst(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Reads the filters (decision 133). `idag` decides the default period; `kommuner` are the
/// areas that exist. Never fails: what cannot be used is reported and replaced by its default.
fn laes_filtre(par: &[(String, String)], idag: NaiveDate, omfang: &Omfang, kommuner: &[Kommune]) -> Filtre {
    let mut beskeder = Vec::new();
    let vaerdi = |navn: &str| par.iter().find(|(k, _)| k == navn).map(|(_, v)| v.trim()).filter(|v| !v.is_empty());
    // Default: the last 12 months up to and including this one.
    let std_til = stat::maaned(idag);
    let std_fra = std_til.checked_sub_months(Months::new(STANDARD_MAANEDER - 1)).unwrap_or(std_til);
    let mut dato = |navn: &str, etiket: &str, standard: NaiveDate| match vaerdi(navn) {
        None => standard,
        Some(v) => laes_maaned(v).unwrap_or_else(|| {
            beskeder.push(format!("{etiket} skal være en måned som ÅÅÅÅ-MM. Standardperioden er brugt."));
            standard
        }),
    };
    let (mut fra, mut til) = (dato("fra", "Fra", std_fra), dato("til", "Til", std_til));
    if fra > til {
        beskeder.push("Fra må ikke ligge efter til. Standardperioden er brugt.".into());
        (fra, til) = (std_fra, std_til);
    } else if stat::maaneder(fra, til).len() > MAKS_MAANEDER {
        beskeder.push("Perioden må højst være 10 år. Standardperioden er brugt.".into());
        (fra, til) = (std_fra, std_til);
    }

    let mut ordninger = Vec::new();
    let mut ukendt = false;
    for (_, v) in par.iter().filter(|(k, _)| k == "ordning") {
        match Ordning::fra_kode(v.trim()).filter(|o| o.bygget()) {
            Some(o) if !ordninger.contains(&o) => ordninger.push(o),
            Some(_) => {}
            None => ukendt = true,
        }
    }
    if ukendt {
        beskeder.push("En ukendt ordning i adressen er sprunget over.".into());
    }
    ordninger.sort();

    let omraade = match omfang {
        // Decision 133: a jobcentre administrator sees their own municipality; the address
        // cannot change it.
        Omfang::Kommune(k) => Omraade::Kommune(k.clone()),
        Omfang::Landet => match vaerdi("omraade") {
            None | Some("land") => Omraade::Land,
            Some(v) => {
                let fundet = if let Some(r) = v.strip_prefix("region:") {
                    kommuner.iter().any(|k| k.region == r).then(|| Omraade::Region(r.to_string()))
                } else if let Some(k) = v.strip_prefix("kommune:") {
                    kommuner.iter().any(|j| j.kode == k).then(|| Omraade::Kommune(k.to_string()))
                } else {
                    None
                };
                fundet.unwrap_or_else(|| {
                    beskeder.push("Det valgte område findes ikke. Hele landet er vist.".into());
                    Omraade::Land
                })
            }
        },
    };
    Filtre { udsnit: Udsnit { fra, til, ordninger, omraade }, beskeder }
}

/// The filters as a query string, for the download links: the canonical form of what is shown.
fn forespoergsel(u: &Udsnit) -> String {
    let mut par: Vec<(&str, String)> = vec![("fra", maanedstekst(u.fra)), ("til", maanedstekst(u.til))];
    par.extend(u.ordninger.iter().map(|o| ("ordning", o.kode().to_string())));
    par.push(("omraade", omraadekode(&u.omraade)));
    serde_urlencoded::to_string(&par).unwrap_or_default()
}

fn omraadekode(o: &Omraade) -> String {
    match o {
        Omraade::Land => "land".into(),
        Omraade::Region(r) => format!("region:{r}"),
        Omraade::Kommune(k) => format!("kommune:{k}"),
    }
}

/// How a figure's chart is drawn from its table: columns become lines over the rows (months),
/// or bars per row.
#[derive(Debug, Clone)]
enum Diagram {
    /// A line per listed column; `etiketter` name the rows on the x axis ("jan. 2026").
    Linjer { akse: &'static str, kolonner: Vec<usize>, etiketter: Vec<String> },
    /// A bar per listed column (one or two) in each row; the row's first cell labels it.
    Soejler { akse: &'static str, kolonner: Vec<usize> },
}

/// One figure of the dashboard.
#[derive(Debug, Clone)]
struct Figur {
    id: &'static str,
    tabel: Figurtabel,
    diagram: Diagram,
    /// A line under the heading: what the figure counts.
    forklaring: String,
}

impl Figur {
    /// The chart's SVG, drawn from the table's cells; None without rows or columns.
    fn svg(&self) -> Option<String> {
        let t = &self.tabel;
        if t.raekker.is_empty() {
            return None;
        }
        match &self.diagram {
            Diagram::Linjer { akse, kolonner, etiketter } => {
                let serier: Vec<Serie> = kolonner
                    .iter()
                    .map(|&k| Serie {
                        navn: t.kolonner[k].0.clone(),
                        vaerdier: t.raekker.iter().map(|r| r[k].vaerdi()).collect(),
                    })
                    .collect();
                if serier.is_empty() {
                    return None;
                }
                diagram::linjediagram(&t.titel, etiketter, &serier, akse)
            }
            Diagram::Soejler { akse, kolonner } => {
                let navne: Vec<String> = kolonner.iter().map(|&k| t.kolonner[k].0.clone()).collect();
                let soejler: Vec<Soejle> = t
                    .raekker
                    .iter()
                    .map(|r| Soejle {
                        etiket: r[0].tekst(),
                        vaerdier: kolonner.iter().map(|&k| r[k].vaerdi()).collect(),
                    })
                    .collect();
                diagram::soejlediagram(&t.titel, &navne, &soejler, akse)
            }
        }
    }
}

fn tekst(s: impl Into<String>) -> Felt {
    Felt::Tekst(s.into())
}

/// "jan. 2026": a month on a chart's axis.
fn kort_maaned(m: NaiveDate) -> String {
    const NAVNE: [&str; 12] =
        ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."];
    format!("{} {}", NAVNE[m.month0() as usize], m.year())
}

/// A monthly series per scheme as a table: a row per month, a column per scheme. No total
/// column: a total beside a suppressed cell would give it away (decision 132).
fn maanedsfigur(
    id: &'static str,
    titel: &str,
    forklaring: &str,
    serier: &BTreeMap<Ordning, Vec<i64>>,
    ordninger: &[Ordning],
    maaneder: &[NaiveDate],
) -> Figur {
    let mut kolonner = vec![("Måned".to_string(), Kolonneart::Tekst)];
    kolonner.extend(ordninger.iter().map(|o| (o.navn().to_string(), Kolonneart::Heltal)));
    let mut tabel = Figurtabel::ny(titel, kolonner);
    for (i, m) in maaneder.iter().enumerate() {
        let mut r = vec![tekst(stat::maanedsnavn(*m))];
        r.extend(ordninger.iter().map(|o| Felt::antal(serier.get(o).map_or(0, |s| s[i]))));
        tabel.raekke(r);
    }
    Figur {
        id,
        tabel,
        diagram: Diagram::Linjer {
            akse: "Antal",
            kolonner: (1..=ordninger.len()).collect(),
            etiketter: maaneder.iter().map(|m| kort_maaned(*m)).collect(),
        },
        forklaring: forklaring.into(),
    }
}

/// Everything the figures are made from, read once per request.
struct Grundlag {
    udsnit: Udsnit,
    raekker: Vec<stat::Raekke>,
    foer: BTreeMap<Ordning, i64>,
    /// Per municipality (code → applications, grants); only for a country or a region.
    pr_kommune: Option<(BTreeMap<String, i64>, BTreeMap<String, i64>)>,
    kommuner: Vec<Kommune>,
    leveringer: Vec<Leveringslinje>,
}

/// One delivery channel's live health.
struct Leveringslinje {
    navn: String,
    ventende: i64,
    aeldste: Option<chrono::DateTime<Utc>>,
    doede: i64,
}

/// The schemes a figure has a column for: those chosen, or every scheme with figures in the
/// area and period.
fn ordninger_i(g: &Grundlag) -> Vec<Ordning> {
    if !g.udsnit.ordninger.is_empty() {
        return g.udsnit.ordninger.clone();
    }
    let mut s: BTreeSet<Ordning> = g.raekker.iter().map(|r| r.ordning).collect();
    s.extend(g.foer.iter().filter(|(_, n)| **n != 0).map(|(o, _)| *o));
    s.into_iter().collect()
}

fn figurer(g: &Grundlag) -> Vec<Figur> {
    let u = &g.udsnit;
    let maaneder = stat::maaneder(u.fra, u.til);
    let ordninger = ordninger_i(g);
    let r = &g.raekker;
    let mut ud = vec![
        maanedsfigur(
            "ansoegninger",
            "Nye ansøgninger pr. måned",
            "Ansøgninger modtaget af jobcentret, efter modtagelsesdato.",
            &stat::maanedsserie(r, Maal::Ansoegninger, &maaneder),
            &ordninger,
            &maaneder,
        ),
        maanedsfigur(
            "bevillinger",
            "Bevillinger pr. måned",
            "Bevillinger efter afgørelsesdato.",
            &stat::maanedsserie(r, Maal::Bevillinger, &maaneder),
            &ordninger,
            &maaneder,
        ),
        maanedsfigur(
            "ophoer",
            "Ophør pr. måned",
            "Ophørte bevillinger efter ophørsdato, alle årsager.",
            &stat::maanedsserie(r, Maal::Ophoer, &maaneder),
            &ordninger,
            &maaneder,
        ),
        maanedsfigur(
            "aktive",
            "Aktive bevillinger den 1. i måneden",
            "Bevillinger i kraft den første dag i hver måned.",
            &stat::aktive(r, &g.foer, &maaneder),
            &ordninger,
            &maaneder,
        ),
    ];

    // e. Time from received to decided (issue 12 §1): median and 90th percentile.
    let tider = stat::behandlingstid(r);
    let mut t = Figurtabel::ny(
        "Behandlingstid fra modtaget til afgjort",
        vec![
            ("Ordning".into(), Kolonneart::Tekst),
            ("Afgjorte".into(), Kolonneart::Heltal),
            ("Median (dage)".into(), Kolonneart::Heltal),
            ("90 %-fraktil (dage)".into(), Kolonneart::Heltal),
        ],
    );
    for o in &ordninger {
        let b = tider.get(o).copied().unwrap_or(stat::Behandlingstid { antal: 0, median: 0, p90: 0 });
        // Decision 125: a percentile of fewer than 5 decisions describes single cases.
        let vis = |d: i64| Felt::Heltal(b.vises().then_some(d));
        t.raekke(vec![tekst(o.navn()), Felt::antal(b.antal), vis(b.median), vis(b.p90)]);
    }
    ud.push(Figur {
        id: "behandlingstid",
        tabel: t,
        diagram: Diagram::Soejler { akse: "Dage", kolonner: vec![2, 3] },
        forklaring: "Dage fra modtagelse til afgørelse for ansøgninger afgjort i perioden.".into(),
    });

    // f. Extension and rejection rates.
    let (bev, forl) = (stat::i_alt(r, Maal::Bevillinger), stat::i_alt(r, Maal::Forlaengelser));
    let (afgj, afsl) = (stat::i_alt(r, Maal::Afgjorte), stat::i_alt(r, Maal::Afslag));
    let mut t = Figurtabel::ny(
        "Forlængelses- og afslagsrate pr. ordning",
        vec![
            ("Ordning".into(), Kolonneart::Tekst),
            ("Bevillinger".into(), Kolonneart::Heltal),
            ("Forlængelser".into(), Kolonneart::Heltal),
            ("Forlængelsesrate".into(), Kolonneart::Procent),
            ("Afgjorte".into(), Kolonneart::Heltal),
            ("Afslag".into(), Kolonneart::Heltal),
            ("Afslagsrate".into(), Kolonneart::Procent),
        ],
    );
    let n = |m: &BTreeMap<Ordning, i64>, o: &Ordning| m.get(o).copied().unwrap_or(0);
    for o in &ordninger {
        t.raekke(vec![
            tekst(o.navn()),
            Felt::antal(n(&bev, o)),
            Felt::antal(n(&forl, o)),
            Felt::Andel(Andel::af(n(&forl, o), n(&bev, o))),
            Felt::antal(n(&afgj, o)),
            Felt::antal(n(&afsl, o)),
            Felt::Andel(Andel::af(n(&afsl, o), n(&afgj, o))),
        ]);
    }
    ud.push(Figur {
        id: "rater",
        tabel: t,
        diagram: Diagram::Soejler { akse: "Procent", kolonner: vec![3, 6] },
        forklaring: "Forlængelser i forhold til bevillinger og afslag i forhold til afgjorte ansøgninger i perioden."
            .into(),
    });

    // g. Termination reasons with the DFDG mapping (seed 001 §2.1).
    let mut t = Figurtabel::ny(
        "Ophørsårsager",
        vec![
            ("Årsag".into(), Kolonneart::Tekst),
            ("Ordning".into(), Kolonneart::Tekst),
            ("DFDG-kode".into(), Kolonneart::Tekst),
            ("Antal".into(), Kolonneart::Heltal),
        ],
    );
    for (o, noegle, antal) in stat::ophoersaarsager(r) {
        let (aarsag, dfdg) = stat::aarsag_visning(o, &noegle);
        t.raekke(vec![tekst(aarsag), tekst(o.navn()), tekst(dfdg), Felt::antal(antal)]);
    }
    ud.push(Figur {
        id: "ophoersaarsager",
        tabel: t,
        diagram: Diagram::Soejler { akse: "Antal", kolonner: vec![3] },
        forklaring: "Ophør i perioden efter årsag, med årsagens kode hos Danmarks Statistik (DFDG).".into(),
    });

    // h. The share handled by an Anden Aktør (seed 000).
    let (ans, aa) = (stat::i_alt(r, Maal::Ansoegninger), stat::i_alt(r, Maal::AnsoegningerAa));
    let mut t = Figurtabel::ny(
        "Andel behandlet af anden aktør",
        vec![
            ("Ordning".into(), Kolonneart::Tekst),
            ("Ansøgninger".into(), Kolonneart::Heltal),
            ("Heraf anden aktør".into(), Kolonneart::Heltal),
            ("Andel".into(), Kolonneart::Procent),
        ],
    );
    for o in &ordninger {
        t.raekke(vec![
            tekst(o.navn()),
            Felt::antal(n(&ans, o)),
            Felt::antal(n(&aa, o)),
            Felt::Andel(Andel::af(n(&aa, o), n(&ans, o))),
        ]);
    }
    ud.push(Figur {
        id: "anden-aktoer",
        tabel: t,
        diagram: Diagram::Soejler { akse: "Procent", kolonner: vec![3] },
        forklaring: "Ansøgninger modtaget i perioden, som en anden aktør behandler.".into(),
    });

    // i. Per municipality, for a country or a region (issue 12 §1: "by region and municipality").
    if let Some((ans, bev)) = &g.pr_kommune {
        let mut t = Figurtabel::ny(
            "Ansøgninger og bevillinger pr. kommune",
            vec![
                ("Kommune".into(), Kolonneart::Tekst),
                ("Ansøgninger".into(), Kolonneart::Heltal),
                ("Bevillinger".into(), Kolonneart::Heltal),
            ],
        );
        let i_omraade = g.kommuner.iter().filter(|k| match &u.omraade {
            Omraade::Region(r) => &k.region == r,
            _ => true,
        });
        for k in i_omraade {
            let tal = |m: &BTreeMap<String, i64>| Felt::antal(m.get(&k.kode).copied().unwrap_or(0));
            t.raekke(vec![tekst(k.navn.clone()), tal(ans), tal(bev)]);
        }
        ud.push(Figur {
            id: "kommuner",
            tabel: t,
            diagram: Diagram::Soejler { akse: "Antal", kolonner: vec![1, 2] },
            forklaring: "Ansøgninger modtaget og bevillinger givet i perioden, pr. kommune i området.".into(),
        });
    }

    // j. Delivery health per subscriber, live (issue 12 §1): not personal figures, so not
    // suppressed.
    let mut t = Figurtabel::ny(
        "Leveringer pr. abonnent",
        vec![
            ("Abonnent".into(), Kolonneart::Tekst),
            ("Venter".into(), Kolonneart::Heltal),
            ("Ældste ventende".into(), Kolonneart::Tekst),
            ("Opgivet".into(), Kolonneart::Heltal),
        ],
    );
    for l in &g.leveringer {
        let aeldste = l
            .aeldste
            .map(|t| domain::periode::dansk_tid(t).format("%d-%m-%Y kl. %H:%M").to_string())
            .unwrap_or_else(|| "–".into());
        t.raekke(vec![
            tekst(l.navn.clone()),
            Felt::Heltal(Some(l.ventende)),
            tekst(aeldste),
            Felt::Heltal(Some(l.doede)),
        ]);
    }
    ud.push(Figur {
        id: "leveringer",
        tabel: t,
        diagram: Diagram::Soejler { akse: "Antal", kolonner: vec![1, 3] },
        forklaring: "Notifikationer og e-mails, der venter eller er opgivet, lige nu (ikke fra opgørelsen).".into(),
    });
    ud
}

/// Reads everything the figures need.
async fn grundlag(st: &AppState, udsnit: Udsnit, kommuner: Vec<Kommune>) -> Result<Grundlag, WebFejl> {
    let raekker = storage::statistik::hent(&st.db, &udsnit).await?;
    let foer = storage::statistik::foer(&st.db, &udsnit).await?;
    let pr_kommune = match udsnit.omraade {
        Omraade::Kommune(_) => None,
        _ => Some((
            storage::statistik::pr_kommune(&st.db, &udsnit, Maal::Ansoegninger).await?,
            storage::statistik::pr_kommune(&st.db, &udsnit, Maal::Bevillinger).await?,
        )),
    };
    let leveringer = leveringer(st, &udsnit.omraade, &kommuner).await?;
    Ok(Grundlag { udsnit, raekker, foer, pr_kommune, kommuner, leveringer })
}

/// The delivery channels of the area, every active subscriber included (0 when all is
/// delivered), read live from the outbox (`storage::drift::kanaler`, as `/metrics` does).
async fn leveringer(st: &AppState, omraade: &Omraade, kommuner: &[Kommune]) -> Result<Vec<Leveringslinje>, WebFejl> {
    let koder: Option<Vec<&str>> = match omraade {
        Omraade::Land => None,
        Omraade::Kommune(k) => Some(vec![k.as_str()]),
        Omraade::Region(r) => Some(kommuner.iter().filter(|k| &k.region == r).map(|k| k.kode.as_str()).collect()),
    };
    let mut kanaler: Vec<storage::drift::Kanal> = Vec::new();
    match &koder {
        None => kanaler = storage::drift::kanaler(&st.db, None).await?,
        Some(koder) => {
            for k in koder {
                for kanal in storage::drift::kanaler(&st.db, Some(k)).await? {
                    match kanaler.iter_mut().find(|x| x.kanal == kanal.kanal) {
                        Some(x) => {
                            x.ventende += kanal.ventende;
                            x.doede += kanal.doede;
                            x.aeldste = match (x.aeldste, kanal.aeldste) {
                                (Some(a), Some(b)) => Some(a.min(b)),
                                (a, b) => a.or(b),
                            };
                        }
                        None => kanaler.push(kanal),
                    }
                }
            }
        }
    }
    let abonnenter: Vec<_> = storage::outbox::abonnenter(&st.db)
        .await?
        .into_iter()
        .filter(|a| koder.as_ref().is_none_or(|k| k.contains(&a.jobcenter_kode.as_str())))
        .collect();
    let mut ud = Vec::new();
    for a in &abonnenter {
        let kanal = storage::outbox::webhook_kanal(a.id);
        let k = kanaler.iter().find(|k| k.kanal == kanal);
        if !a.aktiv && k.is_none() {
            continue;
        }
        let vaert = a.url.split("://").nth(1).and_then(|r| r.split(['/', '?']).next()).unwrap_or(&a.url);
        ud.push(Leveringslinje {
            navn: format!("Webhook {} til {vaert} ({})", a.id, a.jobcenter_kode),
            ventende: k.map_or(0, |k| k.ventende),
            aeldste: k.and_then(|k| k.aeldste),
            doede: k.map_or(0, |k| k.doede),
        });
    }
    let epost = kanaler.iter().find(|k| k.kanal == storage::outbox::EMAIL);
    ud.push(Leveringslinje {
        navn: "E-mail".into(),
        ventende: epost.map_or(0, |k| k.ventende),
        aeldste: epost.and_then(|k| k.aeldste),
        doede: epost.map_or(0, |k| k.doede),
    });
    Ok(ud)
}

async fn kommuner(st: &AppState) -> Result<Vec<Kommune>, WebFejl> {
    let mut k: Vec<Kommune> = storage::organisation::jobcentre(&st.db)
        .await?
        .into_iter()
        .map(|j| Kommune { kode: j.kommunekode, navn: j.navn, region: j.region })
        .collect();
    k.sort_by_key(|k| domain::soeg::sorteringsnoegle(&k.navn));
    Ok(k)
}

/// The query string's pairs; one that cannot be read is no filters, with a message.
fn par(q: Option<String>) -> (Vec<(String, String)>, Option<String>) {
    match serde_urlencoded::from_str::<Vec<(String, String)>>(q.as_deref().unwrap_or("")) {
        Ok(p) => (p, None),
        Err(_) => (Vec::new(), Some("Adressens filtre kunne ikke læses. Standardvisningen er brugt.".into())),
    }
}

/// A figure on the page.
pub struct FigurVisning {
    pub id: &'static str,
    pub tabel: Figurtabel,
    pub forklaring: String,
    pub svg: Option<String>,
}

/// A choice in a checkbox group or select.
pub struct Valg {
    pub vaerdi: String,
    pub tekst: String,
    pub valgt: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "statistik.html")]
pub struct StatistikSide {
    pub ramme: Ramme,
    pub beskeder: Vec<String>,
    /// "Tallene er opgjort …", or None before the first rollup.
    pub opgjort: Option<String>,
    pub omraade_tekst: String,
    pub fra: String,
    pub til: String,
    pub ordninger: Vec<Valg>,
    /// The area select: (group label, choices); empty for a jobcentre administrator.
    pub omraader: Vec<(&'static str, Vec<Valg>)>,
    pub forespoergsel: String,
    pub figurer: Vec<FigurVisning>,
}

impl StatistikSide {
    /// The cell's HTML class: numbers to the right.
    pub fn klasse(&self, f: &Felt) -> &'static str {
        if f.er_tal() { "text-align-right" } else { "" }
    }
}

pub async fn vis(State(st): State<AppState>, b: Bruger, RawQuery(q): RawQuery) -> Svar {
    let omfang = omfang(&st, &b).await?;
    let kommuner = kommuner(&st).await?;
    let (par, fejl) = par(q);
    let idag = domain::periode::dansk_tid(Utc::now()).date();
    let Filtre { udsnit, mut beskeder } = laes_filtre(&par, idag, &omfang, &kommuner);
    beskeder.extend(fejl);
    let opgjort = storage::statistik::seneste(&st.db)
        .await?
        .map(|o| domain::periode::dansk_tid(o.opgjort).format("%d-%m-%Y kl. %H:%M").to_string());
    let omraade_tekst = match &udsnit.omraade {
        Omraade::Land => "hele landet".to_string(),
        Omraade::Region(r) => r.clone(),
        Omraade::Kommune(k) => kommuner.iter().find(|j| &j.kode == k).map_or_else(|| k.clone(), |j| j.navn.clone()),
    };
    let ordninger = Ordning::ALLE
        .into_iter()
        .filter(|o| o.bygget())
        .map(|o| Valg { vaerdi: o.kode().into(), tekst: o.navn().into(), valgt: udsnit.ordninger.contains(&o) })
        .collect();
    let omraader = match omfang {
        Omfang::Kommune(_) => Vec::new(),
        Omfang::Landet => {
            let valgt = omraadekode(&udsnit.omraade);
            let valg = |vaerdi: String, tekst: String| Valg { valgt: vaerdi == valgt, vaerdi, tekst };
            let regioner: BTreeSet<&str> = kommuner.iter().map(|k| k.region.as_str()).collect();
            vec![
                ("Landet", vec![valg("land".into(), "Hele landet".into())]),
                ("Regioner", regioner.into_iter().map(|r| valg(format!("region:{r}"), r.to_string())).collect()),
                ("Kommuner", kommuner.iter().map(|k| valg(format!("kommune:{}", k.kode), k.navn.clone())).collect()),
            ]
        }
    };
    let (fra, til) = (maanedstekst(udsnit.fra), maanedstekst(udsnit.til));
    let forespoergsel = forespoergsel(&udsnit);
    let g = grundlag(&st, udsnit, kommuner).await?;
    let figurer = figurer(&g)
        .into_iter()
        .map(|f| FigurVisning { id: f.id, svg: f.svg(), forklaring: f.forklaring, tabel: f.tabel })
        .collect();
    Ok(StatistikSide {
        ramme: Ramme::ny("Statistik", Some(&b)).paa("/admin/statistik"),
        beskeder,
        opgjort,
        omraade_tekst,
        fra,
        til,
        ordninger,
        omraader,
        forespoergsel,
        figurer,
    }
    .into_response())
}

/// `GET /admin/statistik/{figur}.csv` or `.xlsx`: the table the page shows for the same
/// address (decision 132).
pub async fn hent(State(st): State<AppState>, b: Bruger, Sti(fil): Sti<String>, RawQuery(q): RawQuery) -> Svar {
    let omfang = omfang(&st, &b).await?;
    let (id, endelse) = fil.rsplit_once('.').ok_or(WebFejl::SideFindesIkke)?;
    if endelse != "csv" && endelse != "xlsx" {
        return Err(WebFejl::SideFindesIkke);
    }
    let kommuner = kommuner(&st).await?;
    let (par, _) = par(q);
    let idag = domain::periode::dansk_tid(Utc::now()).date();
    let udsnit = laes_filtre(&par, idag, &omfang, &kommuner).udsnit;
    let navn = format!("statistik-{id}-{}-{}", maanedstekst(udsnit.fra), maanedstekst(udsnit.til));
    let g = grundlag(&st, udsnit, kommuner).await?;
    let figur = figurer(&g).into_iter().find(|f| f.id == id).ok_or(WebFejl::SideFindesIkke)?;
    let disposition = format!("attachment; filename=\"{navn}.{endelse}\"");
    if endelse == "csv" {
        return Ok((
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
            figur.tabel.csv(),
        )
            .into_response());
    }
    let bytes = figur.tabel.excel().map_err(|e| {
        tracing::error!(fejl = %e, figur = id, "statistikkens Excel-fil kunne ikke laves");
        WebFejl::Ugyldig("Excel-filen kunne ikke laves. Prøv CSV-filen i stedet.".into())
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn kommuner() -> Vec<Kommune> {
        vec![
            Kommune { kode: "0101".into(), navn: "København".into(), region: "Region Hovedstaden".into() },
            Kommune { kode: "0751".into(), navn: "Aarhus".into(), region: "Region Midtjylland".into() },
        ]
    }

    fn laes(q: &str, omfang: &Omfang) -> Filtre {
        let par: Vec<(String, String)> = serde_urlencoded::from_str(q).unwrap();
        laes_filtre(&par, d("2026-12-05"), omfang, &kommuner())
    }

    #[test]
    fn standard_er_de_seneste_12_maaneder_til_og_med_denne() {
        let f = laes("", &Omfang::Landet);
        assert_eq!((f.udsnit.fra, f.udsnit.til), (d("2026-01-01"), d("2026-12-01")));
        assert_eq!(f.udsnit.omraade, Omraade::Land);
        assert!(f.beskeder.is_empty());
    }

    #[test]
    fn gode_filtre_laeses() {
        let f = laes(
            "fra=2025-03&til=2025-05&ordning=fleksjob&ordning=loentilskud&omraade=region:Region+Midtjylland",
            &Omfang::Landet,
        );
        assert_eq!((f.udsnit.fra, f.udsnit.til), (d("2025-03-01"), d("2025-05-01")));
        assert_eq!(f.udsnit.ordninger.len(), 2);
        assert_eq!(f.udsnit.omraade, Omraade::Region("Region Midtjylland".into()));
        assert!(f.beskeder.is_empty(), "{:?}", f.beskeder);
        let igen = laes(&forespoergsel(&f.udsnit), &Omfang::Landet);
        assert_eq!(igen.udsnit, f.udsnit, "linkene giver det samme udsnit");
    }

    #[test]
    fn daarlige_filtre_giver_besked_og_standard() {
        for q in [
            "fra=2026-13",
            "til=abc",
            "fra=2026-05&til=2026-01",
            "fra=2000-01&til=2026-01",
            "ordning=findes-ikke",
            "omraade=kommune:9999",
            "omraade=%3Cscript%3E",
        ] {
            let f = laes(q, &Omfang::Landet);
            assert_eq!(f.beskeder.len(), 1, "{q}: {:?}", f.beskeder);
            assert!(f.udsnit.til >= f.udsnit.fra);
            assert!(stat::maaneder(f.udsnit.fra, f.udsnit.til).len() <= MAKS_MAANEDER);
        }
        // Exactly ten years is allowed.
        assert!(laes("fra=2016-01&til=2025-12", &Omfang::Landet).beskeder.is_empty());
    }

    #[test]
    fn en_jobcenteradministrator_ser_altid_egen_kommune() {
        let egen = Omfang::Kommune("0751".into());
        for q in ["", "omraade=kommune:0101", "omraade=land", "omraade=region:Region+Hovedstaden"] {
            assert_eq!(laes(q, &egen).udsnit.omraade, Omraade::Kommune("0751".into()), "{q}");
        }
    }
}
