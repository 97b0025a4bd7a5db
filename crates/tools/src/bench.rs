//! `vitas-tools bench lists` (issue 3 §5): the ten most common list queries, the front-page
//! counters and a large Excel export, timed on the database `--database-url` names.
//!
//! Each list query is timed two ways in the same run, interleaved so that cache state and
//! machine load hit both alike:
//! - **app**: `storage::lister::side`, exactly what a list page calls (the count, the sort
//!   expression, the page, and the team and caseworker names);
//! - **raw**: the same SQL statements (the count and the page, names included; a page that
//!   reaches the cases with an empty sort cell sends a second page statement), built by
//!   the same functions and sent through the same connection pool as plain statements,
//!   without mapping rows into models.
//!
//! The ratio app ÷ raw is the cost of the app around the SQL. Nothing here asserts a time:
//! the figures go into docs/benchmarks.md with the command that produced them.

use std::time::{Duration, Instant};

use anyhow::Context;
use domain::ordning::Ordning;
use domain::policy::{Aktoer, Rolle};
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, StatementBuilder,
};
use storage::Db;
use storage::entity::{bruger, jobcenter, sag};
use storage::lister::{self, Filter, Kolonne, Liste, Sortering};

/// How the bench runs.
#[derive(Debug, Clone)]
pub struct Indstillinger {
    /// Timed runs per query and per way (app and raw).
    pub runder: usize,
    /// Untimed runs first, to warm the caches.
    pub opvarmning: usize,
    /// Rows in the Excel export (0 leaves it out).
    pub excel_raekker: u64,
}

/// One list query as a user runs it.
struct Maaling {
    navn: String,
    aktoer: Aktoer,
    liste: Liste,
    filter: Filter,
    sortering: Sortering,
    side: u64,
}

/// The page size of the list pages (web::html::filterurl::STANDARD_STOERRELSE).
pub(crate) const SIDE: u64 = 50;

pub(crate) fn percentil(sorteret: &[Duration], p: f64) -> Duration {
    if sorteret.is_empty() {
        return Duration::ZERO;
    }
    // Nearest rank: the smallest value with at least p of the values at or below it.
    let rang = ((p * sorteret.len() as f64).ceil() as usize).clamp(1, sorteret.len());
    sorteret[rang - 1]
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The count statement `lister::antal` sends: the sum over the maintained counts when they
/// can answer the list, otherwise the COUNT(*) SeaORM's paginator wraps around the filtered
/// select ([`direkte_taelling`]).
pub(crate) fn taelle_saetning(aktoer: &Aktoer, liste: Liste, f: &Filter) -> SelectStatement {
    match lister::taellebetingelse(aktoer, liste, f) {
        Some(c) => storage::taelling::sum_saetning(c),
        None => direkte_taelling(aktoer, liste, f),
    }
}

/// COUNT(*) over the list's own WHERE clause (`lister::antal_direkte`).
fn direkte_taelling(aktoer: &Aktoer, liste: Liste, f: &Filter) -> SelectStatement {
    let indre = sag::Entity::find().filter(lister::betingelse(aktoer, liste, f)).into_query();
    Query::select().expr(Expr::cust("COUNT(*) AS num_items")).from_subquery(indre, "sub_query").to_owned()
}

/// The first page statement `lister::side` sends: the ordered SELECT with the names as
/// subqueries (a second follows when the page reaches the empty sort cells).
fn side_saetning(m: &Maaling, total: u64) -> SelectStatement {
    lister::side_select(&m.aktoer, m.liste, &m.filter, m.sortering, m.side, SIDE, total).into_query()
}

pub(crate) async fn raa<S: StatementBuilder>(db: &Db, s: &S) -> anyhow::Result<usize> {
    Ok(db.conn.query_all(s).await?.len())
}

/// The ten queries, on the data that is there: the largest jobcentre and its busiest
/// caseworker, the second largest jobcentre, the company with most cases, and a citizen.
async fn maalinger(db: &Db) -> anyhow::Result<Vec<Maaling>> {
    let jc = |kode: &'static str| async move {
        jobcenter::Entity::find()
            .filter(jobcenter::Column::Kommunekode.eq(kode))
            .one(&db.conn)
            .await?
            .map(|j| j.id)
            .with_context(|| format!("jobcenter {kode} findes ikke; kør `vitas-tools seed-bulk` først"))
    };
    let kbh = jc("0101").await?;
    let aarhus = jc("0751").await?;
    let sb = Aktoer::Sagsbehandler { jobcenter_id: kbh };
    let sb_aarhus = Aktoer::Sagsbehandler { jobcenter_id: aarhus };
    // The caseworker with most cases at København, and a case of theirs for the CPR and name.
    let travl: Option<(i64, i64)> = sag::Entity::find()
        .select_only()
        .column(sag::Column::AnsvarligId)
        .column_as(sag::Column::Id.count(), "n")
        .filter(sag::Column::JobcenterId.eq(kbh))
        .filter(sag::Column::AnsvarligId.is_not_null())
        .group_by(sag::Column::AnsvarligId)
        .order_by_desc(Expr::cust("2"))
        .limit(1)
        .into_tuple::<(i64, i64)>()
        .one(&db.conn)
        .await?;
    let medarbejder = match travl {
        Some((id, _)) => Some(id),
        None => bruger::Entity::find()
            .filter(bruger::Column::JobcenterId.eq(kbh))
            .filter(bruger::Column::Rolle.eq(Rolle::Sagsbehandler.kode()))
            .one(&db.conn)
            .await?
            .map(|b| b.id),
    };
    let en_sag = sag::Entity::find()
        .filter(sag::Column::JobcenterId.eq(kbh))
        .filter(sag::Column::Cpr.is_not_null())
        .order_by_desc(sag::Column::Id)
        .one(&db.conn)
        .await?
        .context("København har ingen sager med CPR; kør `vitas-tools seed-bulk` først")?;
    let cpr = en_sag.cpr.clone();
    let navnedel = en_sag
        .borger_navn
        .as_deref()
        .and_then(|n| n.split_whitespace().last())
        .map(|efternavn| efternavn.chars().take(4).collect::<String>());
    let cvr: String = sag::Entity::find()
        .select_only()
        .column(sag::Column::Cvr)
        .column_as(sag::Column::Id.count(), "n")
        .group_by(sag::Column::Cvr)
        .order_by_desc(Expr::cust("2"))
        .limit(1)
        .into_tuple::<(String, i64)>()
        .one(&db.conn)
        .await?
        .map(|(c, _)| c)
        .context("ingen sager")?;

    let status = |s: &str| Filter { statusser: vec![s.to_string()], ..Filter::default() };
    let ny = |kol: Kolonne| Sortering { kolonne: kol, faldende: true };
    let op = |kol: Kolonne| Sortering { kolonne: kol, faldende: false };
    let standard = Sortering::default();
    Ok(vec![
        Maaling {
            navn: "Ansøgninger · Modtaget, nyeste modtaget først".into(),
            aktoer: sb.clone(),
            liste: Liste::Ansoegninger,
            filter: status("modtaget"),
            sortering: ny(Kolonne::Modtaget),
            side: 1,
        },
        Maaling {
            navn: "Ophør, seneste slutdato først".into(),
            aktoer: sb.clone(),
            liste: Liste::Ophoer,
            filter: Filter::default(),
            sortering: ny(Kolonne::Slut),
            side: 1,
        },
        Maaling {
            navn: "Bevillinger, standardorden".into(),
            aktoer: sb.clone(),
            liste: Liste::Bevillinger,
            filter: Filter::default(),
            sortering: standard,
            side: 1,
        },
        Maaling {
            navn: "Forlængelser · Afventer jobcenter".into(),
            aktoer: sb.clone(),
            liste: Liste::Forlaengelser,
            filter: status("afventer_jobcenter"),
            sortering: standard,
            side: 1,
        },
        Maaling {
            navn: "Søg: ansøgninger og tilbud (åbner straks)".into(),
            aktoer: sb.clone(),
            liste: Liste::SoegAnsoegninger,
            filter: Filter::default(),
            sortering: standard,
            side: 1,
        },
        Maaling {
            navn: "Søg: ansøgninger, side 20".into(),
            aktoer: sb.clone(),
            liste: Liste::SoegAnsoegninger,
            filter: Filter::default(),
            sortering: standard,
            side: 20,
        },
        Maaling {
            navn: "Bevillinger · medarbejder, efter slutdato".into(),
            aktoer: sb.clone(),
            liste: Liste::Bevillinger,
            filter: Filter { medarbejder, ..Filter::default() },
            sortering: op(Kolonne::Slut),
            side: 1,
        },
        Maaling {
            navn: "Søg: bevillinger · løntilskud + godkendt (Aarhus)".into(),
            aktoer: sb_aarhus,
            liste: Liste::SoegBevillinger,
            filter: Filter {
                ordninger: vec![Ordning::Loentilskud],
                statusser: vec!["godkendt_af_virksomhed".into()],
                ..Filter::default()
            },
            sortering: ny(Kolonne::Godkendt),
            side: 1,
        },
        Maaling {
            navn: "Søg: CPR + navn, efter navn".into(),
            aktoer: sb.clone(),
            liste: Liste::SoegAnsoegninger,
            filter: Filter { cpr: cpr.clone(), navn: navnedel, ..Filter::default() },
            sortering: op(Kolonne::Navn),
            side: 1,
        },
        Maaling {
            navn: "Virksomhed: Bevillinger (flest sager)".into(),
            aktoer: Aktoer::Virksomhed { cvr },
            liste: Liste::Bevillinger,
            filter: Filter::default(),
            sortering: standard,
            side: 1,
        },
    ])
}

/// Run the list bench and print the table.
pub async fn lister(db: &Db, ind: &Indstillinger) -> anyhow::Result<()> {
    let sager: u64 = sag::Entity::find()
        .select_only()
        .column_as(sag::Column::Id.count(), "n")
        .into_tuple::<i64>()
        .one(&db.conn)
        .await?
        .unwrap_or(0)
        .try_into()
        .unwrap_or(0);
    println!(
        "Database: {:?}, {sager} sager; {} målte runder pr. forespørgsel (+{} opvarmning)",
        db.backend(),
        ind.runder,
        ind.opvarmning
    );
    let runder = ind.runder.max(1);
    let maalinger = maalinger(db).await?;

    println!();
    println!(
        "{:<52} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7} {:>7} {:>12}",
        "liste", "træf", "app p50", "app p99", "rå p50", "rå p99", "p50 ÷", "p99 ÷", "COUNT(*) p50"
    );
    let mut alle_app = Vec::new();
    for m in &maalinger {
        let taelling = taelle_saetning(&m.aktoer, m.liste, &m.filter);
        // The page's statements depend on the total (lister::sorteret_til_side), as in the app.
        let antal = lister::antal(db, &m.aktoer, m.liste, &m.filter).await?;
        let side = side_saetning(m, antal);
        let ordnet = lister::sorteret_til_side(&m.aktoer, m.liste, &m.filter, m.sortering, antal);
        let mut app = Vec::with_capacity(runder);
        let mut raat = Vec::with_capacity(runder);
        let mut total = 0;
        for i in 0..ind.opvarmning + runder {
            // Alternate which goes first, so neither always meets the warmer cache.
            let (a, r) = if i % 2 == 0 {
                let a = tid_app(db, m, &mut total).await?;
                (a, tid_raa(db, m, &ordnet, &taelling, &side).await?)
            } else {
                let r = tid_raa(db, m, &ordnet, &taelling, &side).await?;
                (tid_app(db, m, &mut total).await?, r)
            };
            if i >= ind.opvarmning {
                app.push(a);
                raat.push(r);
            }
        }
        // For comparison: the list's total counted with COUNT(*) over the cases, as without
        // the maintained counts (a few runs: at 10M this is the slow part).
        let direkte = direkte_taelling(&m.aktoer, m.liste, &m.filter);
        let mut taelle = Vec::new();
        for _ in 0..runder.min(5) {
            let t = Instant::now();
            raa(db, &direkte).await?;
            taelle.push(t.elapsed());
        }
        taelle.sort();
        app.sort();
        raat.sort();
        let (a50, a99, r50, r99) =
            (percentil(&app, 0.5), percentil(&app, 0.99), percentil(&raat, 0.5), percentil(&raat, 0.99));
        println!(
            "{:<52} {:>9} {:>7.1}ms {:>7.1}ms {:>7.1}ms {:>7.1}ms {:>6.2}× {:>6.2}× {:>10.1}ms",
            m.navn,
            total,
            ms(a50),
            ms(a99),
            ms(r50),
            ms(r99),
            ms(a50) / ms(r50).max(1e-6),
            ms(a99) / ms(r99).max(1e-6),
            ms(percentil(&taelle, 0.5))
        );
        alle_app.extend(app);
    }
    alle_app.sort();
    println!(
        "alle ti lister, app: p50 {:.1} ms, p99 {:.1} ms",
        ms(percentil(&alle_app, 0.5)),
        ms(percentil(&alle_app, 0.99))
    );

    taellere(db, &maalinger, runder, ind.opvarmning).await?;
    if ind.excel_raekker > 0 {
        excel(db, ind.excel_raekker).await?;
    }
    Ok(())
}

async fn tid_app(db: &Db, m: &Maaling, total: &mut u64) -> anyhow::Result<Duration> {
    let t = Instant::now();
    let s = lister::side(db, &m.aktoer, m.liste, &m.filter, m.sortering, m.side, SIDE).await?;
    let d = t.elapsed();
    *total = s.total;
    Ok(d)
}

async fn tid_raa(
    db: &Db,
    m: &Maaling,
    ordnet: &lister::Ordnet,
    taelling: &SelectStatement,
    side: &SelectStatement,
) -> anyhow::Result<Duration> {
    let t = Instant::now();
    raa(db, taelling).await?;
    let fundet = raa(db, side).await?;
    // A page that runs out of cases with a value in the sort column reads the empty ones too,
    // decided by the same function the app calls.
    if let Some(anden) = lister::anden_del(db, ordnet.clone(), m.side, SIDE, fundet as u64).await? {
        raa(db, &anden.into_query()).await?;
    }
    Ok(t.elapsed())
}

/// The front-page bubbles of a caseworker at the largest jobcentre and of the company with
/// most cases: each bubble is `lister::antal` of the list it opens (web::html::forside).
async fn taellere(db: &Db, maalinger: &[Maaling], runder: usize, opvarmning: usize) -> anyhow::Result<()> {
    println!();
    println!("{:<52} {:>9} {:>9} {:>9}", "forsidetæller", "antal", "p50", "p99");
    let mut hvem: Vec<(&str, Aktoer, Rolle)> = Vec::new();
    if let Some(m) = maalinger.iter().find(|m| matches!(m.aktoer, Aktoer::Sagsbehandler { .. })) {
        hvem.push(("sagsbehandler", m.aktoer.clone(), Rolle::Sagsbehandler));
    }
    if let Some(m) = maalinger.iter().find(|m| matches!(m.aktoer, Aktoer::Virksomhed { .. })) {
        hvem.push(("virksomhed", m.aktoer.clone(), Rolle::Virksomhed));
    }
    for (rollenavn, aktoer, rolle) in hvem {
        let bobler = web::html::forside::bobler(rolle);
        let mut hele = Vec::with_capacity(runder);
        let mut hver: Vec<Vec<Duration>> = vec![Vec::with_capacity(runder); bobler.len()];
        let mut antal = vec![0; bobler.len()];
        for i in 0..opvarmning + runder {
            let t0 = Instant::now();
            for (j, b) in bobler.iter().enumerate() {
                let t = Instant::now();
                antal[j] = lister::antal(db, &aktoer, b.liste, &b.filter).await?;
                if i >= opvarmning {
                    hver[j].push(t.elapsed());
                }
            }
            if i >= opvarmning {
                hele.push(t0.elapsed());
            }
        }
        for (j, b) in bobler.iter().enumerate() {
            hver[j].sort();
            println!(
                "{:<52} {:>9} {:>7.2}ms {:>7.2}ms",
                format!("{rollenavn}: {}", b.titel),
                antal[j],
                ms(percentil(&hver[j], 0.5)),
                ms(percentil(&hver[j], 0.99))
            );
        }
        hele.sort();
        println!(
            "{:<52} {:>9} {:>7.2}ms {:>7.2}ms",
            format!("{rollenavn}: hele forsiden ({} bobler)", bobler.len()),
            "",
            ms(percentil(&hele, 0.5)),
            ms(percentil(&hele, 0.99))
        );
    }
    Ok(())
}

/// Peak resident memory (VmHWM) in kB; resetting it first through `clear_refs` (Linux).
fn nulstil_top_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn rss_kb(felt: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find(|l| l.starts_with(felt))?.split_whitespace().nth(1)?.parse().ok()
}

/// The national Søg → Bevillinger list, narrowed by start date to about `maal` rows, exported
/// to Excel with its filter and order, as a user of STAR would.
async fn excel(db: &Db, maal: u64) -> anyhow::Result<()> {
    let aktoer = Aktoer::Styrelse;
    let liste = Liste::SoegBevillinger;
    // The first start date from which the list holds at most `maal` rows: a binary search
    // over dates with the list's own count.
    let mut fra = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).context("dato")?;
    let mut til = chrono::Utc::now().date_naive() + chrono::Duration::days(3 * 365);
    let antal = |d| {
        let f = Filter { start_fra: Some(d), ..Filter::default() };
        async move { lister::antal(db, &Aktoer::Styrelse, liste, &f).await }
    };
    while til - fra > chrono::Duration::days(1) {
        let midt = fra + (til - fra) / 2;
        if antal(midt).await? > maal { fra = midt } else { til = midt }
    }
    let filter = Filter { start_fra: Some(til), ..Filter::default() };
    let sortering = Sortering::default();
    let bestilling =
        jobs::eksport::Bestilling { aktoer, virksomhed: false, liste, filter, sortering, laes_primaer: true };
    let sti = std::env::temp_dir().join(format!("vitas-bench-{}.xlsx", std::process::id()));
    let kolonner = jobs::eksport::felter(liste, false).len();
    let start_rss = rss_kb("VmRSS:");
    let nulstillet = nulstil_top_rss();
    // As the app does it: the request counts the list (to choose between the file at once and
    // a job), then the export writes it with that total.
    let t = Instant::now();
    let total = lister::antal(db, &bestilling.aktoer, liste, &bestilling.filter).await?;
    let taelletid = t.elapsed();
    let t = Instant::now();
    let raekker = jobs::eksport::skriv_excel(db, &bestilling, Some(total), &sti, |_, _| {}).await?;
    let tid = t.elapsed();
    let top = rss_kb("VmHWM:");
    let stoerrelse = std::fs::metadata(&sti).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_file(&sti);
    println!();
    println!(
        "Excel: Søg → Bevillinger (landsdækkende, start fra {til}), {raekker} rækker × {kolonner} kolonner: {:.2} s, {:.1} MB fil",
        tid.as_secs_f64(),
        stoerrelse as f64 / 1e6
    );
    println!(
        "  forespørgslens optælling først (vælger fil med det samme eller job): {:.2} s; i alt {:.2} s",
        taelletid.as_secs_f64(),
        (taelletid + tid).as_secs_f64()
    );
    match (start_rss, top, nulstillet) {
        (Some(s), Some(h), true) => {
            println!(
                "  hukommelse: RSS før {:.1} MB, top under eksporten {:.1} MB, vækst {:.1} MB",
                s as f64 / 1024.0,
                h as f64 / 1024.0,
                h.saturating_sub(s) as f64 / 1024.0
            )
        }
        _ => println!("  hukommelse: kunne ikke måles (kræver Linux' /proc/self/clear_refs)"),
    }
    Ok(())
}

// ---- vitas-tools bench pdf ----------------------------------------------------------------

/// The rejection letter the bench renders: a one-page decision letter with the standard text.
fn bench_afslag() -> documents::pdf::AfslagPdf {
    let dato = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
    documents::pdf::AfslagPdf {
        hoved: documents::pdf::Brevhoved { jobcenter: "Jobcenter København".into(), vitas_id: 1_000_042, dato },
        virksomhed: documents::pdf::VirksomhedPdf {
            navn: "Nordlys Logistik ApS".into(),
            cvr: "25348710".into(),
            pnummer: "1003456781".into(),
        },
        titel: "Afslag på ansøgning om løntilskud".into(),
        borger_navn: "Anna Jensen".into(),
        cpr: "010190-XXXX".into(),
        stillingsbetegnelse: "Lagermedarbejder".into(),
        startdato: Some(dato),
        slutdato: dato.checked_add_days(chrono::Days::new(181)),
        afslagstekst: domain::tekster::standard_afslag(Ordning::Loentilskud),
    }
}

/// The application with a full 2000-character jobindhold: two pages.
fn bench_ansoegning() -> documents::pdf::AnsoegningPdf {
    let a = bench_afslag();
    let mut jobindhold = String::new();
    while jobindhold.chars().count() < 2000 {
        jobindhold.push_str("Plukning, pakning og forsendelse af varer på lageret på Amager; ");
    }
    let rae = |par: &[(&str, &str)]| par.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    documents::pdf::AnsoegningPdf {
        hoved: a.hoved,
        virksomhed: a.virksomhed,
        titel: "Ansøgning om løntilskud".into(),
        sektioner: vec![
            documents::pdf::PdfSektion {
                titel: "Yderligere virksomhedsoplysninger".into(),
                raekker: rae(&[("Ordinært ansatte på arbejdsstedet", "40,00"), ("Allerede støttede", "0")]),
            },
            documents::pdf::PdfSektion {
                titel: "Ansættelsen".into(),
                raekker: rae(&[
                    ("Borger", a.borger_navn.as_str()),
                    ("CPR-nummer", "010190-1234"),
                    ("Timer pr. uge", "37,00 (37 t. 0 min.)"),
                    ("Timeløn (kr.)", "150,00"),
                    ("Stillingsbetegnelse", a.stillingsbetegnelse.as_str()),
                ]),
            },
            documents::pdf::PdfSektion {
                titel: "Kontaktpersoner".into(),
                raekker: rae(&[("Kontaktperson", "Lone Kjær"), ("Medarbejderrepræsentant", "Søren Bak")]),
            },
        ],
        fritekster: vec![("Jobindhold".into(), jobindhold.chars().take(2000).collect())],
        bemaerkning: "Vi glæder os til samarbejdet.".into(),
        underskrevet_af: "Lone Kjær".into(),
        underskrevet: "03-12-2026 kl. 10:15".into(),
        borger_underskrevet_af: String::new(),
        borger_underskrevet: String::new(),
    }
}

fn tid(f: &dyn Fn() -> Result<Vec<u8>, documents::pdf::PdfFejl>) -> anyhow::Result<(Duration, usize)> {
    let t = Instant::now();
    let pdf = f()?;
    Ok((t.elapsed(), pdf.len()))
}

/// `vitas-tools bench pdf` (issue 4 §6): the rejection letter's render time, p50 and p95, against a
/// one-line document rendered through the same world, fonts and PDF writer in the same run
/// (interleaved), so the ratio is the letter's own cost. The two-page application rides along.
///
/// typst memoises: the same letter twice is mostly a cache hit. Every run therefore renders
/// letters with a different VITAS id and citizen (as a server does), and a second round
/// empties typst's cache before every render (the worst case: nothing reused).
pub fn pdf(runder: usize, opvarmning: usize) -> anyhow::Result<()> {
    let runder = runder.max(1);
    let (foerste, _) = tid(&|| documents::pdf::afslag(&bench_afslag()))?;
    println!(
        "Første afslag i processen (standardbibliotek og skrifttyper indlæses): {:.1} ms; {runder} målte runder (+{opvarmning} opvarmning)",
        ms(foerste)
    );
    for koldt in [false, true] {
        let mut grund = Vec::with_capacity(runder);
        let mut brev = Vec::with_capacity(runder);
        let mut lang = Vec::with_capacity(runder);
        let mut stoerrelser = (0, 0, 0);
        for i in 0..opvarmning + runder {
            let mut afslag = bench_afslag();
            let mut ansoegning = bench_ansoegning();
            let n = i64::try_from(i).unwrap_or(0);
            afslag.hoved.vitas_id += n;
            ansoegning.hoved.vitas_id += n;
            afslag.borger_navn = format!("Anna Jensen {i}");
            ansoegning.sektioner[1].raekker[0].1 = format!("Anna Jensen {i}");
            // Rotate which goes first, so none always meets the warmer cache.
            let mut m = [(Duration::ZERO, 0); 3];
            for j in 0..3 {
                let k = (i + j) % 3;
                if koldt {
                    documents::pdf::glem_mellemresultater();
                }
                m[k] = match k {
                    0 => tid(&documents::pdf::minimal)?,
                    1 => tid(&|| documents::pdf::afslag(&afslag))?,
                    _ => tid(&|| documents::pdf::ansoegning(&ansoegning))?,
                };
            }
            if i >= opvarmning {
                grund.push(m[0].0);
                brev.push(m[1].0);
                lang.push(m[2].0);
                stoerrelser = (m[0].1, m[1].1, m[2].1);
            }
        }
        grund.sort();
        brev.sort();
        lang.sort();
        println!();
        println!(
            "{}",
            if koldt {
                "Typsts mellemresultater tømt før hver gengivelse (intet genbruges):"
            } else {
                "Nyt VITAS-id og ny borger i hver runde (typsts mellemresultater genbruges, som i serveren):"
            }
        );
        println!("{:<44} {:>9} {:>9} {:>9} {:>9} {:>8}", "dokument", "p50", "p95", "p50 ÷", "p95 ÷", "bytes");
        let (g50, g95) = (percentil(&grund, 0.5), percentil(&grund, 0.95));
        for (navn, tider, bytes) in [
            ("grundlinje: én linje, samme world", &grund, stoerrelser.0),
            ("afslag (afgørelsesbrev, 1 side)", &brev, stoerrelser.1),
            ("ansøgning (2000 tegns jobindhold, 2 sider)", &lang, stoerrelser.2),
        ] {
            let (p50, p95) = (percentil(tider, 0.5), percentil(tider, 0.95));
            println!(
                "{:<44} {:>7.1}ms {:>7.1}ms {:>8.2}× {:>8.2}× {:>8}",
                navn,
                ms(p50),
                ms(p95),
                ms(p50) / ms(g50).max(1e-6),
                ms(p95) / ms(g95).max(1e-6),
                bytes
            );
        }
    }
    Ok(())
}
