//! The bulk generator (issue 3 §5): `vitas-tools seed-bulk --cases N` fills a database with N
//! realistic, skewed cases for the list benchmarks, on SQLite and PostgreSQL through one code
//! path (multi-row INSERTs built with sea-query, CONVENTIONS.md rule 2).
//!
//! What it writes, in this order:
//! - the demo world, if the database is empty: it holds the 98 jobcentres (and the demo users).
//!   Otherwise the existing `jobcenter` rows are reused;
//! - teams (3–8) and caseworkers (5–200) per jobcentre, sized by a Zipf-like rank of the
//!   municipality with København first. Only what is missing is added, so a second run reuses
//!   the first run's staff;
//! - `antal_virksomheder(N)` companies with valid CVR numbers and 1–20 P-units each. A company
//!   is a pure function of its rank, so every run writes the same rows (`ON CONFLICT DO NOTHING`);
//! - the cases, each citizen as a DFDG row in the case's municipality, and one `sagselement`
//!   per record kind a case has. A case's `skemadata` is its scheme's form filled with the
//!   example values and the case's own workplace, citizen and period (`Formularer`; issue 13
//!   §4), or only the scheme's tag where the scheme has no form yet or the case names no one.
//!
//! What it leaves out, on purpose:
//! - `data` is `"{}"` on every element. The lists never read it.
//! - No `sagshaendelse`, `outbox` or `link` rows: the lists read none of them, and a history
//!   row per action would more than double the rows written, so the case pages show no history.
//! - No company users, representatives or eIndkomst figures for the bulk companies; company
//!   cases therefore have `oprettet_af` NULL.
//!
//! Ids: the database assigns every id. The cases of a batch are inserted with
//! `RETURNING id, uuid` (both backends support it) and matched back by uuid, because neither
//! backend promises that RETURNING keeps the order of VALUES (SQLite documents it as arbitrary).
//! Main cases go in before the supplementary grants of the same batch, so `hovedsag_id` can
//! point at them, and the elements go in last.
//!
//! Determinism: the same seed on the same starting database writes the same rows, uuids
//! included. The uuid stream is salted with the highest existing case id, so a second run on the
//! same database gets new uuids. Memory stays bounded: one batch of cases lives at a time.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use domain::ordning::{Ordning, Sagsart};
use domain::policy::Rolle;
use domain::soeg::{soegetekst, sorteringsnoegle};
use domain::status::{AfgoerelseStatus as Afg, AnsoegningStatus as Ans, Elementart, ForlaengelseStatus as Forl};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::sea_query::{Expr, IntoIden, IntoTableRef, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};

use storage::entity::{
    aa_aftale, bruger, dfdg_borger, jobcenter, p_enhed, sag, sag_skema, sagselement, team, virksomhed,
};
use storage::taelling::Gruppe;
use storage::{Db, StorageError};

/// Cases per transaction unless told otherwise: a measured trade-off, not a rule (the batch
/// size of one statement is bounded separately, see [`binds_pr_saetning`]).
pub const STANDARD_BATCH: usize = 2_000;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Indstillinger {
    /// How many cases to add.
    pub sager: u64,
    /// The seed of every random choice.
    pub seed: u64,
    /// Cases per transaction; each INSERT is further split to stay under the bind limit.
    pub batch: usize,
    /// "Now": the cases are created over the three years before it.
    pub nu: DateTime<Utc>,
    /// Where the numbering of new bulk citizens starts; `None`: after the citizens there are.
    /// A second generator beside a running one on PostgreSQL takes a number far past the
    /// first one's range, so the two never draw the same CPR number.
    pub borger_fra: Option<u64>,
}

impl Indstillinger {
    /// `sager` cases from `seed`, in batches of [`STANDARD_BATCH`].
    pub fn ny(sager: u64, seed: u64, nu: DateTime<Utc>) -> Self {
        Indstillinger { sager, seed, batch: STANDARD_BATCH, nu, borger_fra: None }
    }
}

/// What a run wrote, and how long it took.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resultat {
    /// Cases written (always `Indstillinger::sager`).
    pub sager: u64,
    /// Of those, supplementary grants (`hovedsag_id` set).
    pub tillaegsbevillinger: u64,
    /// `sagselement` rows written.
    pub elementer: u64,
    /// New DFDG citizens.
    pub borgere: u64,
    /// Companies the cases draw from (existing ones included).
    pub virksomheder: u64,
    /// Their P-units.
    pub p_enheder: u64,
    /// Teams and caseworkers added by this run.
    pub nye_teams: u64,
    pub nye_sagsbehandlere: u64,
    /// Wall time of the whole run, organisation included.
    pub sekunder: f64,
}

impl Resultat {
    pub fn sager_pr_sekund(&self) -> f64 {
        if self.sekunder > 0.0 { self.sager as f64 / self.sekunder } else { 0.0 }
    }
}

/// How many companies N cases draw from: about 50,000 at a million cases and more, scaled
/// down in proportion, at least 50 (issue 3 §5 asks for about 50,000 companies).
pub fn antal_virksomheder(sager: u64) -> u64 {
    (sager / 20).clamp(50, 50_000)
}

/// Generate `ind.sager` cases into `db`. `fremskridt` is called after each committed batch
/// with the number of cases it held (for a progress bar).
pub async fn generer<F: FnMut(u64)>(db: &Db, ind: &Indstillinger, mut fremskridt: F) -> Result<Resultat, StorageError> {
    let t0 = Instant::now();
    // Whole seconds: every timestamp the generator writes is derived from this one.
    let nu = ind.nu.with_nanosecond(0).unwrap_or(ind.nu);
    let mut res = Resultat::default();
    if db.er_tom().await? {
        storage::demo::seed(db, nu.date_naive()).await?;
    }
    let mut org_rng = StdRng::seed_from_u64(splitmix(ind.seed ^ 0x6f72_6761_6e69_7361));
    let jobcentre = organisation(db, &mut org_rng, &mut res).await?;
    let firmaer = virksomheder(db, antal_virksomheder(ind.sager), &jobcentre, &mut res).await?;
    let mut verden = Verden::ny(jobcentre, firmaer);
    // The sort keys of teams and caseworkers go on each case beside their ids (decision 52).
    (verden.team_noegler, verden.folk_noegler) = storage::lister::alle_ansvar_noegler(&db.conn).await?;

    let hoejeste_id: Option<i64> = sag::Entity::find()
        .select_only()
        .column_as(sag::Column::Id.max(), "hoejeste")
        .into_tuple::<Option<i64>>()
        .one(&db.conn)
        .await?
        .flatten();
    let salt = u64::try_from(hoejeste_id.unwrap_or(0)).unwrap_or(0);
    let mut naeste_borger = match ind.borger_fra {
        Some(fra) => fra,
        None => dfdg_borger::Entity::find().count(&db.conn).await?,
    };
    let mut generator = Generator {
        verden: &verden,
        nu,
        idag: nu.date_naive(),
        rng: StdRng::seed_from_u64(ind.seed),
        uuid_rng: StdRng::seed_from_u64(splitmix(ind.seed ^ splitmix(salt))),
    };
    // PostgreSQL writes one batch's elements on a second connection, in a transaction of their
    // own, while the next batch's cases go in: the server works on both at once (measured in
    // docs/benchmarks.md). SQLite has a single writer, so there a batch's elements go into the
    // batch's own transaction. Element ids follow batch order either way: one element writer.
    let samtidig = db.backend() == DbBackend::Postgres;
    let batch = ind.batch.max(1) as u64;
    let mut tilbage = ind.sager;
    let mut ventende: Vec<Vec<Expr>> = Vec::new();
    while tilbage > 0 {
        let antal = tilbage.min(batch);
        let pool = ledige_cpr(&db.conn, naeste_borger, antal as usize).await?;
        let b = generator.batch(antal as usize, &pool);
        if let Some((nr, _)) = b.brugte_cpr.checked_sub(1).and_then(|i| pool.get(i)) {
            naeste_borger = nr + 1;
        }
        res.tillaegsbevillinger += (b.sager.len() - b.hoved) as u64;
        res.borgere += b.borgere.iter().filter(|b| b.ny).count() as u64;
        res.elementer += b.elementer.len() as u64;
        let forrige = std::mem::take(&mut ventende);
        let sager = async {
            let txn = db.conn.begin().await?;
            let mut elementer = generator.skriv(&txn, b).await?;
            if !samtidig {
                indsaet(&txn, sagselement::Entity, &ELEMENTKOLONNER, std::mem::take(&mut elementer), None).await?;
            }
            txn.commit().await?;
            Ok::<_, StorageError>(elementer)
        };
        ventende = futures_util::future::try_join(sager, skriv_elementer(db, forrige)).await?.0;
        res.sager += antal;
        tilbage -= antal;
        fremskridt(antal);
    }
    skriv_elementer(db, ventende).await?;
    res.sekunder = t0.elapsed().as_secs_f64();
    Ok(res)
}

// ---------------------------------------------------------------------------------------------
// Built-in lists. Names include æ, ø, å and "Aa", so Danish sorting is exercised (rule 4).

const FORNAVNE: [&str; 48] = [
    "Anna", "Mads", "Søren", "Ida", "Freja", "Mikkel", "Jørgen", "Bjørn", "Aase", "Aage", "Åse", "Øjvind", "Sofie",
    "Emil", "Mathilde", "Frederik", "Karen", "Lars", "Mette", "Henrik", "Louise", "Jens", "Camilla", "Noah", "Fatima",
    "Ahmed", "Zainab", "Mohammad", "Yasmin", "Ali", "Ewa", "Piotr", "Line", "Rasmus", "Trine", "Kasper", "Maja",
    "Oliver", "Ella", "Lærke", "Bodil", "Østen", "Clara", "William", "Asger", "Tove", "Poul", "Birthe",
];

/// Most common first: the surname is drawn Zipf-like, so Jensen leads as in Danmarks Statistik's name lists.
const EFTERNAVNE: [&str; 42] = [
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Knudsen",
    "Jakobsen",
    "Østergaard",
    "Aagaard",
    "Ærtebjerg",
    "Aakjær",
    "Ågesen",
    "Øberg",
    "Bæk",
    "Dahl",
    "Lund",
    "Holm",
    "Hussein",
    "Nguyen",
    "Yilmaz",
    "Zacho",
    "Abildgaard",
    "Winther",
    "Bach",
    "Skov",
    "Ærbøl",
    "Åberg",
];

const FORLED: [&str; 24] = [
    "Nordlys",
    "Østjysk",
    "Vestkyst",
    "Fjord",
    "Aabenraa",
    "Ærø",
    "Sønderjysk",
    "Himmerlands",
    "Limfjords",
    "Bornholms",
    "Havne",
    "Skov",
    "Strand",
    "Bakke",
    "Lyngby",
    "Mølle",
    "Kløver",
    "Bøgeskov",
    "Ådals",
    "Guldborg",
    "Hede",
    "Søndervang",
    "Kystens",
    "Åkande",
];

const FAG: [&str; 20] = [
    "Byg",
    "Logistik",
    "Rengøring",
    "Tømrer",
    "VVS",
    "El-service",
    "Transport",
    "Bageri",
    "Café",
    "Auto",
    "Maler",
    "Gartneri",
    "IT",
    "Revision",
    "Catering",
    "Købmand",
    "Hotel",
    "Montage",
    "Metal",
    "Anlæg",
];

const SELSKABSFORM: [&str; 4] = ["ApS", "A/S", "I/S", ""];

const OFFENTLIGE_ENHEDER: [&str; 8] =
    ["Plejecenter", "Materielgård", "Børnehus", "Skole", "Genbrugsplads", "Rådhus", "Bibliotek", "Vej og Park"];

const AFDELINGER: [&str; 8] =
    ["Hovedkontor", "Lager", "Værksted", "Butik", "Afdeling Nord", "Afdeling Syd", "Produktion", "Kantine"];

const GADER: [&str; 16] = [
    "Havnegade",
    "Østergade",
    "Vestergade",
    "Nørregade",
    "Søndergade",
    "Algade",
    "Jernbanegade",
    "Industrivej",
    "Åboulevarden",
    "Ærøvej",
    "Møllevej",
    "Skovvej",
    "Strandvejen",
    "Bredgade",
    "Kirkevej",
    "Fabriksvej",
];

const BYER: [&str; 16] = [
    "1058 København K",
    "2100 København Ø",
    "2300 København S",
    "8000 Aarhus C",
    "8210 Aarhus V",
    "5000 Odense C",
    "9000 Aalborg",
    "6700 Esbjerg",
    "8900 Randers C",
    "6000 Kolding",
    "7100 Vejle",
    "4000 Roskilde",
    "8800 Viborg",
    "6400 Sønderborg",
    "5970 Ærøskøbing",
    "6200 Aabenraa",
];

/// The largest municipalities by population, largest first (Danmarks Statistik, FOLK1A, rounded
/// order); the rest follow in a fixed pseudo-random order, the four small islands last.
const STOERST_FOERST: [&str; 18] = [
    "0101", "0751", "0461", "0851", "0147", "0561", "0730", "0621", "0630", "0615", "0740", "0657", "0265", "0157",
    "0791", "0159", "0370", "0540",
];
/// Læsø, Samsø, Fanø, Ærø: the smallest municipalities.
const MINDST_SIDST: [&str; 4] = ["0825", "0741", "0563", "0492"];

/// Team names; the first two are the demo world's, so its jobcentres get the others added.
const TEAMNAVNE: [&str; 8] = [
    "Team Virksomhedsservice",
    "Team Løntilskud",
    "Team Fleksjob",
    "Team Praktik og nytteindsats",
    "Team Kompensation",
    "Team Unge",
    "Team Nord",
    "Team Syd",
];

/// The scheme mix of main cases (supplementary grants come on top, ~8 %). An assumption for
/// benchmarks, not a statistic: løntilskud and praktik dominate, nytteindsats is its own scheme
/// (seed 001 §1.1), IGU, jobrotation and voksenlærling are rare.
const ORDNINGER: [(Ordning, u32); 10] = [
    (Ordning::Loentilskud, 300),
    (Ordning::Virksomhedspraktik, 280),
    (Ordning::Nytteindsats, 80),
    (Ordning::Fleksjob, 90),
    (Ordning::Voksenlaerling, 40),
    (Ordning::Jobrotation, 20),
    (Ordning::Igu, 20),
    (Ordning::Mentor, 70),
    (Ordning::Hjaelpemiddel, 50),
    (Ordning::PersonligAssistent, 50),
];

/// Share of a batch that is supplementary grants: an assumption for benchmarks, not a
/// statistic (no source gives the real share).
const ANDEL_TILLAEG: f64 = 0.08;
/// Cases are created over the last three years: an assumption for benchmarks, long enough
/// for grants to be extended and ended.
const TRE_AAR_DAGE: i64 = 3 * 365;
/// Longest grant that may still be extended or ended: keeps every case's history inside three years.
const MAKS_LAENGDE_MED_FORLOEB: i64 = 730;

// ---------------------------------------------------------------------------------------------
// Identifiers: pure functions of a running number, so runs never collide and stay valid.

/// SplitMix64: a fixed, well-mixed hash of a number (Steele, Lea & Flood 2014).
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The CVR number of company `k` (< 500,000): a unique six-digit stem from 500000 upwards (so
/// it never meets the demo world's CVRs, which start with 1–4), a seventh digit, and the check
/// digit that makes the weighted sum divisible by 11 (weights 2,7,6,5,4,3,2,1; CONVENTIONS.md).
fn cvr_nr(k: u64) -> String {
    // 7,919 is prime and shares no factor with 500,000 = 2⁵·5⁶, so k ↦ stem is one-to-one.
    let stamme = 500_000 + (k % 500_000) * 7_919 % 500_000;
    let cifre = |s: u64| -> [u64; 6] {
        let mut d = [0; 6];
        let mut r = s;
        for i in (0..6).rev() {
            d[i] = r % 10;
            r /= 10;
        }
        d
    };
    let d = cifre(stamme);
    let sum6: u64 = d.iter().zip([2, 7, 6, 5, 4, 3]).map(|(c, v)| c * v).sum();
    let mut syvende = splitmix(k) % 10;
    // The check digit would be 10 when the sum ≡ 1 (mod 11); another seventh digit moves the sum.
    if (sum6 + 2 * syvende) % 11 == 1 {
        syvende = (syvende + 1) % 10;
    }
    let kontrol = (11 - (sum6 + 2 * syvende) % 11) % 11;
    format!("{stamme}{syvende}{kontrol}")
}

/// P-unit `u` (< 20) of company `k`: ten digits from 1800000000, one-to-one in `k·20 + u`
/// (48,271 is prime and shares no factor with 10⁸), never meeting the demo P-numbers (100…).
fn pnummer(k: u64, u: u64) -> String {
    let n = (k * 20 + u) % 100_000_000;
    format!("{}", 1_800_000_000 + n * 48_271 % 100_000_000)
}

/// First and last birth date of the bulk citizens: working age in the 2020s.
fn foedt_fra() -> NaiveDate {
    NaiveDate::from_ymd_opt(1958, 1, 1).unwrap_or_default()
}
const FOEDSELSDAGE: u64 = 18_262; // 1958-01-01 ..= 2007-12-31
const PR_DAG: u64 = 4_000;
/// How many bulk citizens the CPR walk holds (`seed-bulk --borger-fra` stays below it).
pub const CPR_KAPACITET: u64 = FOEDSELSDAGE * PR_DAG;
/// Multiplier of the CPR permutation; Knuth's prime 2,654,435,761 exceeds the capacity, so it
/// shares no factor with it.
const CPR_FAKTOR: u64 = 2_654_435_761;

/// The CPR number of bulk citizen `i`: a one-to-one walk over 18,262 birth dates × 4,000 serial
/// numbers, so consecutive citizens are spread over ages. The 7th digit is chosen from the CPR
/// century table (0–3 for 1900–1999, 4–7 for 2000–2036/57). Modulus 11 is not used (CONVENTIONS.md).
fn cpr_nr(i: u64) -> String {
    let kapacitet = FOEDSELSDAGE * PR_DAG;
    let j = ((u128::from(i) * u128::from(CPR_FAKTOR) + 12_345) % u128::from(kapacitet)) as u64;
    let dato = foedt_fra() + Duration::days((j % FOEDSELSDAGE) as i64);
    let loebenr = j / FOEDSELSDAGE;
    let syvende = if dato.year() < 2000 { loebenr / 1000 } else { 4 + loebenr / 1000 };
    format!("{:02}{:02}{:02}{}{:03}", dato.day(), dato.month(), dato.year().rem_euclid(100), syvende, loebenr % 1000)
}

/// e-mail-safe ASCII: æ→ae, ø→oe, å→aa, spaces dropped.
fn ascii(s: &str) -> String {
    let mut ud = String::with_capacity(s.len() + 4);
    for c in s.to_lowercase().chars() {
        match c {
            'æ' => ud.push_str("ae"),
            'ø' => ud.push_str("oe"),
            'å' => ud.push_str("aa"),
            'é' => ud.push('e'),
            c if c.is_ascii_alphanumeric() || c == '-' => ud.push(c),
            _ => {}
        }
    }
    ud
}

// ---------------------------------------------------------------------------------------------
// Skewed choices.

/// A discrete distribution by cumulative weights.
struct Fordeling(Vec<f64>);

impl Fordeling {
    /// Zipf-like: the item of rank r (from 0) has weight 1/(r+1)^s.
    fn zipf(n: usize, s: f64) -> Self {
        let mut sum = 0.0;
        Fordeling(
            (0..n)
                .map(|r| {
                    sum += 1.0 / ((r + 1) as f64).powf(s);
                    sum
                })
                .collect(),
        )
    }

    fn traek(&self, rng: &mut StdRng) -> usize {
        let total = self.0.last().copied().unwrap_or(0.0);
        let x = rng.random::<f64>() * total;
        self.0.partition_point(|&c| c <= x).min(self.0.len().saturating_sub(1))
    }
}

/// One value from a short weighted table (weight 0 = never).
fn vaelg<T: Copy>(rng: &mut StdRng, valg: &[(T, u32)]) -> T {
    let total: u32 = valg.iter().map(|v| v.1).sum();
    let mut x = rng.random_range(0..total.max(1));
    let mut valgt = valg[0].0;
    for &(t, w) in valg {
        if w > 0 {
            valgt = t;
            if x < w {
                break;
            }
            x -= w;
        }
    }
    valgt
}

fn dage(rng: &mut StdRng, fra: i64, til: i64) -> Duration {
    Duration::days(rng.random_range(fra..=til.max(fra)))
}

// ---------------------------------------------------------------------------------------------
// The organisation: jobcentres, teams, caseworkers, Anden Aktør agreements, companies.

struct Jobcentre {
    id: i64,
    kode: String,
    teams: Vec<i64>,
    /// Caseworkers: (bruger id, team id).
    folk: Vec<(i64, Option<i64>)>,
    /// Anden Aktør organisations with an agreement with this jobcentre.
    aa: Vec<i64>,
}

/// Rank key of a municipality: the largest first, the smallest islands last.
fn rang(kode: &str) -> (u8, u64) {
    if let Some(i) = STOERST_FOERST.iter().position(|k| *k == kode) {
        (0, i as u64)
    } else if let Some(i) = MINDST_SIDST.iter().position(|k| *k == kode) {
        (2, i as u64)
    } else {
        (1, splitmix(kode.parse::<u64>().unwrap_or(0)))
    }
}

/// Ensure teams and caseworkers; return the jobcentres in rank order (largest first).
async fn organisation(db: &Db, rng: &mut StdRng, res: &mut Resultat) -> Result<Vec<Jobcentre>, StorageError> {
    let txn = db.conn.begin().await?;
    let mut jc_raekker: Vec<(i64, String, String)> =
        jobcenter::Entity::find().all(&txn).await?.into_iter().map(|j| (j.id, j.kommunekode, j.navn)).collect();
    if jc_raekker.is_empty() {
        return Err(StorageError::Data("der findes ingen jobcentre".into()));
    }
    jc_raekker.sort_by_key(|(_, kode, _)| rang(kode));

    // Size by rank: 3–8 teams and 5–200 caseworkers, København largest (an assumption for
    // benchmarks; no source gives jobcentre staffing).
    let stoerrelse = |r: usize| 1.0 / (r + 1) as f64;
    let mut teams: HashMap<i64, Vec<i64>> = HashMap::new();
    for t in team::Entity::find().order_by_asc(team::Column::Id).all(&txn).await? {
        teams.entry(t.jobcenter_id).or_default().push(t.id);
    }
    let mut nye = Vec::new();
    for (r, (id, _, _)) in jc_raekker.iter().enumerate() {
        let maal = 3 + (5.0 * stoerrelse(r).sqrt()).floor() as usize;
        let har = teams.get(id).map_or(0, Vec::len);
        for n in har..maal {
            nye.push(vec![Expr::from(*id), Expr::from(TEAMNAVNE[n % TEAMNAVNE.len()])]);
        }
    }
    res.nye_teams = nye.len() as u64;
    indsaet(&txn, team::Entity, &[team::Column::JobcenterId, team::Column::Navn], nye, None).await?;
    teams.clear();
    for t in team::Entity::find().order_by_asc(team::Column::Id).all(&txn).await? {
        teams.entry(t.jobcenter_id).or_default().push(t.id);
    }

    let sagsbehandler = Rolle::Sagsbehandler.kode();
    let mut folk: HashMap<i64, Vec<(i64, Option<i64>)>> = HashMap::new();
    let eksisterende = bruger::Entity::find()
        .filter(bruger::Column::Rolle.eq(sagsbehandler))
        .order_by_asc(bruger::Column::Id)
        .all(&txn)
        .await?;
    for b in &eksisterende {
        if let Some(jc) = b.jobcenter_id {
            folk.entry(jc).or_default().push((b.id, b.team_id));
        }
    }
    let mut nye = Vec::new();
    for (r, (id, _, navn)) in jc_raekker.iter().enumerate() {
        let maal = 5 + (195.0 * stoerrelse(r).powf(0.9)).floor() as usize;
        let har = folk.get(id).map_or(0, Vec::len);
        let jc_teams = teams.get(id).cloned().unwrap_or_default();
        let by = ascii(navn.trim_start_matches("Jobcenter "));
        for n in har..maal {
            let fornavn = FORNAVNE[rng.random_range(0..FORNAVNE.len())];
            let efternavn = EFTERNAVNE[rng.random_range(0..EFTERNAVNE.len())];
            let email = format!("{}.{}.{}@jobcenter-{by}.dk", ascii(fornavn), ascii(efternavn), n + 1);
            let team_id = (!jc_teams.is_empty()).then(|| jc_teams[n % jc_teams.len()]);
            nye.push(vec![
                Expr::from(sagsbehandler),
                Expr::from(fornavn),
                Expr::from(""),
                Expr::from(efternavn),
                Expr::from(email),
                Expr::from(Some(*id)),
                Expr::from(team_id),
                Expr::from(Option::<String>::None),
                Expr::from(Option::<String>::None),
                Expr::from(Option::<i64>::None),
                Expr::from(true),
            ]);
        }
    }
    res.nye_sagsbehandlere = nye.len() as u64;
    use bruger::Column as B;
    let kolonner = [
        B::Rolle,
        B::Fornavn,
        B::Mellemnavn,
        B::Efternavn,
        B::Email,
        B::JobcenterId,
        B::TeamId,
        B::Cvr,
        B::Cpr,
        B::AndenAktoerId,
        B::Aktiv,
    ];
    indsaet(&txn, bruger::Entity, &kolonner, nye, None).await?;
    folk.clear();
    for b in bruger::Entity::find()
        .filter(bruger::Column::Rolle.eq(sagsbehandler))
        .order_by_asc(bruger::Column::Id)
        .all(&txn)
        .await?
    {
        if let Some(jc) = b.jobcenter_id {
            folk.entry(jc).or_default().push((b.id, b.team_id));
        }
    }
    let mut aa: HashMap<i64, Vec<i64>> = HashMap::new();
    for a in aa_aftale::Entity::find().order_by_asc(aa_aftale::Column::Id).all(&txn).await? {
        aa.entry(a.jobcenter_id).or_default().push(a.anden_aktoer_id);
    }
    txn.commit().await?;
    Ok(jc_raekker
        .into_iter()
        .map(|(id, kode, _)| Jobcentre {
            id,
            kode,
            teams: teams.remove(&id).unwrap_or_default(),
            folk: folk.remove(&id).unwrap_or_default(),
            aa: aa.remove(&id).unwrap_or_default(),
        })
        .collect())
}

/// A company as the cases need it.
struct Firma {
    cvr: String,
    offentlig: bool,
    konfliktramt: bool,
    pnumre: Vec<String>,
}

/// Company `k` (rank k: 0 is the biggest) with its rows, the same in every run.
fn firma(k: u64, kommunenavne: &[String], kommunekoder: &[String]) -> (Firma, Vec<Expr>, Vec<Vec<Expr>>) {
    let mut rng = StdRng::seed_from_u64(splitmix(k ^ 0x7669_7273_6f6d_6864));
    let cvr = cvr_nr(k);
    // Assumed shares: ~6 % public employers, ~1.5 % in a registered labour conflict.
    let offentlig = rng.random_bool(0.06);
    let konfliktramt = !offentlig && rng.random_bool(0.015);
    let navn = if offentlig && !kommunenavne.is_empty() {
        let kommune = &kommunenavne[rng.random_range(0..kommunenavne.len())];
        format!("{kommune} Kommune – {}", OFFENTLIGE_ENHEDER[rng.random_range(0..OFFENTLIGE_ENHEDER.len())])
    } else {
        let form = SELSKABSFORM[rng.random_range(0..SELSKABSFORM.len())];
        let navn =
            format!("{} {} {form}", FORLED[rng.random_range(0..FORLED.len())], FAG[rng.random_range(0..FAG.len())]);
        navn.trim_end().to_string()
    };
    let adresse = |rng: &mut StdRng| {
        format!(
            "{} {}, {}",
            GADER[rng.random_range(0..GADER.len())],
            rng.random_range(1..=180),
            BYER[rng.random_range(0..BYER.len())]
        )
    };
    // Big companies have many workplaces: 1–20 P-units, falling with rank.
    let stoerrelse = (1.0 / (k + 1) as f64).powf(0.35);
    let antal_p = (1 + (19.0 * stoerrelse * rng.random_range(0.6..=1.0)).round() as u64).clamp(1, 20);
    let mut p_raekker = Vec::new();
    let mut pnumre = Vec::new();
    for u in 0..antal_p {
        let p = pnummer(k, u);
        let afdeling = AFDELINGER[(u as usize) % AFDELINGER.len()];
        let afdeling = if u as usize >= AFDELINGER.len() {
            format!("{afdeling} {}", u as usize / AFDELINGER.len() + 1)
        } else {
            afdeling.to_string()
        };
        // The unit's municipality (decision 102), from its own hash so the rest of the
        // company's draws stay as they were.
        let kommune = (!kommunekoder.is_empty()).then(|| {
            kommunekoder[(splitmix(k ^ (u << 40) ^ 0x6b6f_6d6d) % kommunekoder.len() as u64) as usize].clone()
        });
        p_raekker.push(vec![
            Expr::from(p.clone()),
            Expr::from(cvr.clone()),
            Expr::from(format!("{navn} – {afdeling}")),
            Expr::from(adresse(&mut rng)),
            Expr::from(kommune),
        ]);
        pnumre.push(p);
    }
    let v_raekke = vec![
        Expr::from(cvr.clone()),
        Expr::from(navn),
        Expr::from(adresse(&mut rng)),
        Expr::from(offentlig),
        Expr::from(konfliktramt),
        Expr::from(false),
    ];
    (Firma { cvr, offentlig, konfliktramt, pnumre }, v_raekke, p_raekker)
}

/// Ensure companies 0..antal exist (a company that exists already is left as it is).
async fn virksomheder(
    db: &Db,
    antal: u64,
    jobcentre: &[Jobcentre],
    res: &mut Resultat,
) -> Result<Vec<Firma>, StorageError> {
    let kommunenavne: Vec<String> = {
        let mut koder: Vec<&str> = jobcentre.iter().map(|j| j.kode.as_str()).collect();
        koder.sort_unstable();
        storage::demo::kommuner()
            .into_iter()
            .filter(|(kode, _, _)| koder.binary_search(kode).is_ok())
            .map(|(_, navn, _)| navn.to_string())
            .collect()
    };
    let kommunekoder: Vec<String> = jobcentre.iter().map(|j| j.kode.clone()).collect();
    let mut firmaer = Vec::with_capacity(antal as usize);
    let mut v = Vec::with_capacity(antal as usize);
    let mut p = Vec::new();
    for k in 0..antal {
        let (f, vr, pr) = firma(k, &kommunenavne, &kommunekoder);
        firmaer.push(f);
        v.push(vr);
        p.extend(pr);
    }
    res.virksomheder = antal;
    res.p_enheder = p.len() as u64;
    let txn = db.conn.begin().await?;
    use p_enhed::Column as P;
    use virksomhed::Column as V;
    let kol_v = [V::Cvr, V::Navn, V::Adresse, V::Offentlig, V::Konfliktramt, V::Spaerret];
    indsaet(&txn, virksomhed::Entity, &kol_v, v, Some(&OnConflict::column(V::Cvr).do_nothing().to_owned())).await?;
    let kol_p = [P::Pnummer, P::Cvr, P::Navn, P::Adresse, P::Kommunekode];
    indsaet(&txn, p_enhed::Entity, &kol_p, p, Some(&OnConflict::column(P::Pnummer).do_nothing().to_owned())).await?;
    txn.commit().await?;
    Ok(firmaer)
}

/// Everything the cases draw from.
struct Verden {
    jc: Vec<Jobcentre>,
    jc_fordeling: Fordeling,
    firmaer: Vec<Firma>,
    firma_fordeling: Fordeling,
    offentlige: Vec<usize>,
    offentlig_fordeling: Fordeling,
    efternavn_fordeling: Fordeling,
    /// Sort keys by team id and by caseworker id (`lister::navnenoegle`).
    team_noegler: HashMap<i64, String>,
    folk_noegler: HashMap<i64, String>,
    formularer: Formularer,
}

/// Each built scheme's filled form (`skema::eksempel::formular`) as JSON with stand-in values,
/// made once per run, with and without a registered labour conflict. A case's own workplace,
/// citizen, name and period replace the stand-ins, so a filled form costs a few string copies
/// per case rather than a fill through every step.
struct Formularer(HashMap<(Ordning, bool), String>);

/// The stand-ins: none can occur in the example values themselves.
const P_STED: &str = "§pnummer§";
const CPR_STED: &str = "§cpr§";
const NAVN_STED: &str = "§navn§";
/// The stand-in period; the example values also hold the start less 400 days (jobrotation's
/// "employed since").
fn sted_periode() -> (NaiveDate, NaiveDate) {
    let start = NaiveDate::from_ymd_opt(1901, 3, 1).unwrap_or_default();
    (start, start + Duration::days(89))
}

fn dato_tekst(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

impl Formularer {
    fn ny() -> Self {
        let (start, slut) = sted_periode();
        let u = domain::skema::eksempel::Udfyldning { pnummer: P_STED, cpr: CPR_STED, start, slut };
        let mut m = HashMap::new();
        for o in Ordning::ALLE.into_iter().filter(|o| o.bygget()) {
            for konflikt in [false, true] {
                if let Some(json) =
                    domain::skema::eksempel::formular(o, konflikt, &u, NAVN_STED).and_then(|f| f.json().ok())
                {
                    m.insert((o, konflikt), json);
                }
            }
        }
        Formularer(m)
    }

    /// Case rows per INSERT on PostgreSQL so that a statement of filled forms stays under the
    /// size that waits for the server's delayed ACK ([`binds_pr_saetning`]: about 16 KB): the
    /// largest form plus the row's other columns (about 400 bytes), a power of two.
    fn raekker_pr_saetning(&self, backend: DbBackend) -> usize {
        if backend != DbBackend::Postgres {
            return MAKS_RAEKKER;
        }
        let stoerst = self.0.values().map(String::len).max().unwrap_or(0) + 400;
        let graense = (12_000 / stoerst).clamp(1, MAKS_RAEKKER);
        1 << graense.ilog2()
    }

    /// The stored form of a case: its scheme's filled form with the case's own values, or the
    /// tag alone (an untouched form) for a scheme without a form or a case that names no
    /// workplace, citizen or period.
    fn json(&self, s: &Sag, pnummer: Option<&str>, cpr: Option<&str>, navn: Option<&str>) -> String {
        let (Some(skabelon), Some(p), Some(cpr), Some(navn), Some(start), Some(slut)) =
            (self.0.get(&(s.ordning, s.konfliktramt)), pnummer, cpr, navn, s.start, s.slut)
        else {
            return domain::skema::Skemadata::tom_json(s.ordning);
        };
        let (sted_start, sted_slut) = sted_periode();
        // A name is JSON text: escaped as serde_json writes it, without its quotes.
        let navn = serde_json::to_string(navn).unwrap_or_default();
        let cpr = if cpr.len() == 10 { format!("{}-{}", &cpr[..6], &cpr[6..]) } else { cpr.to_string() };
        skabelon
            .replace(P_STED, p)
            .replace(CPR_STED, &cpr)
            .replace(NAVN_STED, navn.trim_matches('"'))
            .replace(&dato_tekst(sted_start - Duration::days(400)), &dato_tekst(start - Duration::days(400)))
            .replace(&dato_tekst(sted_start), &dato_tekst(start))
            .replace(&dato_tekst(sted_slut), &dato_tekst(slut))
    }
}

impl Verden {
    fn ny(jc: Vec<Jobcentre>, firmaer: Vec<Firma>) -> Self {
        let offentlige: Vec<usize> = firmaer.iter().enumerate().filter(|(_, f)| f.offentlig).map(|(i, _)| i).collect();
        Verden {
            // Municipality size ~ 1/rank (Zipf, s = 1): København ≈ 100× Ærø.
            jc_fordeling: Fordeling::zipf(jc.len(), 1.0),
            // A few big companies hold many cases (s = 0.8: the largest gets ~2–3 % at 50,000).
            firma_fordeling: Fordeling::zipf(firmaer.len(), 0.8),
            offentlig_fordeling: Fordeling::zipf(offentlige.len(), 0.8),
            efternavn_fordeling: Fordeling::zipf(EFTERNAVNE.len(), 0.7),
            jc,
            firmaer,
            offentlige,
            team_noegler: HashMap::new(),
            folk_noegler: HashMap::new(),
            formularer: Formularer::ny(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cases.

struct Borger {
    cpr: String,
    fornavn: &'static str,
    efternavn: &'static str,
    jc: usize,
    aa: Option<i64>,
    /// First written in this batch (false: drawn again for a second case).
    ny: bool,
}

/// One case before it is written. Indexes point into the batch and the world.
struct Sag {
    uuid: String,
    ordning: Ordning,
    sagsart: Sagsart,
    ans: Option<Ans>,
    afg: Option<Afg>,
    forl: Option<Forl>,
    jc: Option<usize>,
    team: Option<i64>,
    ansvarlig: Option<i64>,
    aa: Option<i64>,
    hovedsag: Option<usize>,
    firma: usize,
    p: Option<usize>,
    borger: Option<usize>,
    start: Option<NaiveDate>,
    slut: Option<NaiveDate>,
    oprindelig: Option<NaiveDate>,
    timer: Option<i32>,
    modtaget: Option<NaiveDate>,
    afgoerelse: Option<NaiveDate>,
    godkendt: Option<NaiveDate>,
    konfliktramt: bool,
    oprettet_af: Option<i64>,
    oprettet: DateTime<Utc>,
    aendret: DateTime<Utc>,
    /// The day the application was signed and sent (its element's date).
    sendt: Option<NaiveDate>,
    /// The extension's request day and period.
    forl_dato: Option<NaiveDate>,
    forl_periode: Option<(NaiveDate, NaiveDate)>,
    /// The termination date.
    ophoer: Option<NaiveDate>,
}

struct Element {
    uuid: String,
    sag: usize,
    art: Elementart,
    status: &'static str,
    start: Option<NaiveDate>,
    slut: Option<NaiveDate>,
    oprettet: DateTime<Utc>,
    aendret: DateTime<Utc>,
}

struct Batch {
    borgere: Vec<Borger>,
    /// Main cases first (`..hoved`), then the supplementary grants.
    sager: Vec<Sag>,
    hoved: usize,
    elementer: Vec<Element>,
    /// How many CPR numbers of the pool were used.
    brugte_cpr: usize,
}

/// The kind of case a scheme's case is (docs/case-model.md "How each scheme maps"); offers
/// (tilbud) for løntilskud and praktik are on the national list (seed 001 §2.2).
fn sagsart_for(o: Ordning, rng: &mut StdRng) -> Sagsart {
    match o {
        Ordning::Loentilskud if rng.random_bool(0.12) => Sagsart::Tilbud,
        Ordning::Virksomhedspraktik if rng.random_bool(0.2) => Sagsart::Tilbud,
        Ordning::Nytteindsats if rng.random_bool(0.3) => Sagsart::Tilbud,
        Ordning::Fleksjob => Sagsart::Fleksjobanmodning,
        Ordning::Igu => Sagsart::Aftale,
        Ordning::Mentor | Ordning::Hjaelpemiddel | Ordning::PersonligAssistent => Sagsart::Bevilling,
        _ => Sagsart::Ansoegning,
    }
}

/// The grant's status, for a grant that exists. The citizen approves IGU agreements and
/// personal-assistant grants too (`afventer_borger`, docs/case-model.md); fleksjob's
/// assessment is never extended or ended (seed 002 §1.1 lists no GetForlængelse/GetOphør).
fn afgoerelse_for(o: Ordning, sagsart: Sagsart, rng: &mut StdRng) -> Afg {
    let borger = if o.borger_underskriver() { 8 } else { 0 };
    let ophoert = if o == Ordning::Fleksjob { 0 } else { 35 };
    let (afventer, ikke) = if sagsart == Sagsart::Tilbud { (25, 10) } else { (10, 5) };
    vaelg(
        rng,
        &[
            (Afg::AfventerVirksomhed, afventer),
            (Afg::AfventerBorger, borger),
            (Afg::GodkendtAfVirksomhed, 50),
            (Afg::IkkeGodkendt, ikke),
            (Afg::Ophoert, ophoert),
        ],
    )
}

/// Extension status: only a grant that the company approved can be extended (seed 004); a
/// waiting request lapses when the grant ends (policy: `RegistrerOphoer`).
fn forlaengelse_for(o: Ordning, afg: Afg, rng: &mut StdRng) -> Option<Forl> {
    if o == Ordning::Fleksjob {
        return None;
    }
    match afg {
        Afg::GodkendtAfVirksomhed if rng.random_bool(0.25) => {
            Some(vaelg(rng, &[(Forl::AfventerJobcenter, 35), (Forl::Godkendt, 50), (Forl::Afvist, 15)]))
        }
        Afg::Ophoert if rng.random_bool(0.2) => {
            Some(vaelg(rng, &[(Forl::Godkendt, 50), (Forl::Afvist, 20), (Forl::Bortfaldet, 30)]))
        }
        _ => None,
    }
}

/// The three statuses of a main case, reachable in `domain::policy::overgang`.
fn status_for(o: Ordning, sagsart: Sagsart, rng: &mut StdRng) -> (Option<Ans>, Option<Afg>, Option<Forl>) {
    if matches!(sagsart, Sagsart::Tilbud | Sagsart::Bevilling) {
        // Created by the jobcentre: no application, the grant's life only (docs/case-model.md).
        let afg = afgoerelse_for(o, sagsart, rng);
        return (None, Some(afg), forlaengelse_for(o, afg, rng));
    }
    // Only løntilskud, praktik and nytteindsats go to the representative (`kraever_hoering`);
    // only an agreement goes to the citizen (decision 97).
    let rep = if o.kraever_hoering() { 1 } else { 0 };
    let borger = if o.profil().livsforloeb == domain::ordning::Livsforloeb::AftaleMedBorger { 1 } else { 0 };
    let ans = vaelg(
        rng,
        &[
            (Ans::Kladde, 70),
            (Ans::SendtTilMedarbejderRep, 30 * rep),
            (Ans::AfvistAfMedarbejderRep, 15 * rep),
            (Ans::SendtTilBorger, 30 * borger),
            (Ans::AfvistAfBorger, 10 * borger),
            (Ans::Modtaget, 80),
            (Ans::Afvist, 55),
            (Ans::Godkendt, 750),
        ],
    );
    if ans != Ans::Godkendt {
        return (Some(ans), None, None);
    }
    let afg = afgoerelse_for(o, sagsart, rng);
    (Some(ans), Some(afg), forlaengelse_for(o, afg, rng))
}

/// A grant's length in days, by scheme (assumed typical periods; IGU is 24 months, DOMAIN.md).
fn laengde(o: Ordning, rng: &mut StdRng) -> i64 {
    match o {
        Ordning::Loentilskud => rng.random_range(90..=365),
        Ordning::Virksomhedspraktik | Ordning::Nytteindsats => 7 * rng.random_range(2..=13),
        Ordning::Voksenlaerling => rng.random_range(365..=1460),
        Ordning::Fleksjob => rng.random_range(365..=1825),
        Ordning::Jobrotation => rng.random_range(30..=180),
        Ordning::Igu => 729,
        Ordning::Mentor => rng.random_range(30..=365),
        Ordning::Hjaelpemiddel => rng.random_range(1..=365),
        Ordning::PersonligAssistent => rng.random_range(180..=730),
    }
}

/// Hours per week in hundredths, 5–37 h, for the schemes that register hours (seed 002 §2.5).
fn timer_for(o: Ordning, rng: &mut StdRng) -> Option<i32> {
    if !o.registrerer_timer() {
        return None;
    }
    let (lav, hoej) = match o {
        Ordning::Fleksjob => (500, 2500),
        Ordning::Mentor => (500, 1500),
        _ => (1000, 3700),
    };
    if hoej == 3700 && rng.random_bool(0.45) {
        return Some(3700);
    }
    // Quarter hours.
    Some(lav + 25 * rng.random_range(0..=(hoej - lav) / 25))
}

struct Generator<'a> {
    verden: &'a Verden,
    nu: DateTime<Utc>,
    idag: NaiveDate,
    rng: StdRng,
    uuid_rng: StdRng,
}

impl Generator<'_> {
    fn uuid(&mut self) -> String {
        uuid::Builder::from_random_bytes(self.uuid_rng.random()).into_uuid().to_string()
    }

    /// A moment on `dato` in working hours, UTC (rule 5), never after now.
    fn tidspunkt(&mut self, dato: NaiveDate) -> DateTime<Utc> {
        let t = dato.and_time(NaiveTime::MIN) + Duration::seconds(self.rng.random_range(6 * 3600..17 * 3600));
        t.and_utc().min(self.nu)
    }

    /// A team and a responsible caseworker of the case's jobcentre; some cases have neither,
    /// some only a team.
    fn tildel(&mut self, s: &mut Sag) {
        let Some(jc) = s.jc.and_then(|i| self.verden.jc.get(i)) else { return };
        let r: f64 = self.rng.random();
        if r < 0.05 || (jc.folk.is_empty() && jc.teams.is_empty()) {
            return;
        }
        if r < 0.15 || jc.folk.is_empty() {
            s.team = (!jc.teams.is_empty()).then(|| jc.teams[self.rng.random_range(0..jc.teams.len())]);
            return;
        }
        let (id, team) = jc.folk[self.rng.random_range(0..jc.folk.len())];
        s.ansvarlig = Some(id);
        s.team = team.or_else(|| (!jc.teams.is_empty()).then(|| jc.teams[self.rng.random_range(0..jc.teams.len())]));
    }

    /// Who at the jobcentre created a case the jobcentre started: the responsible caseworker,
    /// or another caseworker of the jobcentre when none is responsible yet.
    fn opretter(&mut self, s: &Sag) -> Option<i64> {
        let jc = s.jc.and_then(|i| self.verden.jc.get(i))?;
        s.ansvarlig.or_else(|| (!jc.folk.is_empty()).then(|| jc.folk[self.rng.random_range(0..jc.folk.len())].0))
    }

    fn vaelg_firma(&mut self, o: Ordning) -> usize {
        // Nytteindsats is mostly placed at public workplaces (LAB §§ 67–68).
        if o == Ordning::Nytteindsats && !self.verden.offentlige.is_empty() && self.rng.random_bool(0.9) {
            let i = self.verden.offentlig_fordeling.traek(&mut self.rng);
            return self.verden.offentlige[i];
        }
        self.verden.firma_fordeling.traek(&mut self.rng)
    }

    /// The citizen of a new main case: sometimes one already named in this batch (a second
    /// case for the same person), otherwise a new one from the CPR pool.
    fn borger(&mut self, b: &mut Batch, pool: &[(u64, String)]) -> usize {
        if !b.borgere.is_empty() && self.rng.random_bool(0.08) {
            let i = self.rng.random_range(0..b.borgere.len());
            b.borgere.push(Borger { ny: false, cpr: b.borgere[i].cpr.clone(), ..b.borgere[i] });
            return b.borgere.len() - 1;
        }
        let jc = self.verden.jc_fordeling.traek(&mut self.rng);
        let fornavn = FORNAVNE[self.rng.random_range(0..FORNAVNE.len())];
        let efternavn = EFTERNAVNE[self.verden.efternavn_fordeling.traek(&mut self.rng)];
        let aa_liste = &self.verden.jc[jc].aa;
        // Some citizens are assigned (udlagt) to an Anden Aktør in DFDG (seed 001 §1.2.4).
        let aa = (!aa_liste.is_empty() && self.rng.random_bool(0.15))
            .then(|| aa_liste[self.rng.random_range(0..aa_liste.len())]);
        let cpr = pool.get(b.brugte_cpr).map(|(_, c)| c.clone()).unwrap_or_default();
        b.brugte_cpr += 1;
        b.borgere.push(Borger { cpr, fornavn, efternavn, jc, aa, ny: true });
        b.borgere.len() - 1
    }

    fn batch(&mut self, antal: usize, pool: &[(u64, String)]) -> Batch {
        let mut b = Batch {
            borgere: Vec::new(),
            sager: Vec::with_capacity(antal),
            hoved: 0,
            elementer: Vec::new(),
            brugte_cpr: 0,
        };
        // A fixed share per batch keeps the statement shapes of full batches alike.
        let tillaeg = (antal as f64 * ANDEL_TILLAEG).round() as usize;
        for _ in 0..antal - tillaeg {
            let s = self.hovedsag(&mut b, pool);
            b.sager.push(s);
        }
        // A supplementary grant hangs on a grant in force with a citizen (mentor or hjælpemiddel
        // for the person in the main scheme; seed 001 §1.4).
        let kandidater: Vec<usize> = b
            .sager
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                !s.ordning.kompenserende()
                    && s.borger.is_some()
                    && matches!(s.afg, Some(Afg::GodkendtAfVirksomhed | Afg::Ophoert))
            })
            .map(|(i, _)| i)
            .collect();
        b.hoved = if kandidater.is_empty() { antal } else { antal - tillaeg };
        for _ in b.sager.len()..b.hoved {
            let s = self.hovedsag(&mut b, pool);
            b.sager.push(s);
        }
        for _ in b.hoved..antal {
            let h = kandidater[self.rng.random_range(0..kandidater.len())];
            let s = self.tillaeg(h, &b.sager[h]);
            b.sager.push(s);
        }
        let mut elementer = Vec::with_capacity(antal * 2);
        for (i, s) in b.sager.iter().enumerate() {
            self.elementer(i, s, &mut elementer);
        }
        b.elementer = elementer;
        b
    }

    fn tom_sag(&mut self, ordning: Ordning, sagsart: Sagsart, firma: usize, oprettet: DateTime<Utc>) -> Sag {
        Sag {
            uuid: self.uuid(),
            ordning,
            sagsart,
            ans: None,
            afg: None,
            forl: None,
            jc: None,
            team: None,
            ansvarlig: None,
            aa: None,
            hovedsag: None,
            firma,
            p: None,
            borger: None,
            start: None,
            slut: None,
            oprindelig: None,
            timer: None,
            modtaget: None,
            afgoerelse: None,
            godkendt: None,
            konfliktramt: self.verden.firmaer.get(firma).is_some_and(|f| f.konfliktramt),
            oprettet_af: None,
            oprettet,
            aendret: oprettet,
            sendt: None,
            forl_dato: None,
            forl_periode: None,
            ophoer: None,
        }
    }

    /// A P-unit of the company: the first (head office) half the time.
    fn vaelg_p(&mut self, firma: usize) -> Option<usize> {
        let n = self.verden.firmaer.get(firma).map_or(0, |f| f.pnumre.len());
        if n == 0 {
            return None;
        }
        Some(if self.rng.random_bool(0.5) { 0 } else { self.rng.random_range(0..n) })
    }

    fn hovedsag(&mut self, b: &mut Batch, pool: &[(u64, String)]) -> Sag {
        let ordning = vaelg(&mut self.rng, &ORDNINGER);
        let sagsart = sagsart_for(ordning, &mut self.rng);
        let (ans, mut afg, mut forl) = status_for(ordning, sagsart, &mut self.rng);
        let oprettet = self.nu - Duration::seconds(self.rng.random_range(0..TRE_AAR_DAGE * 86_400));
        let firma = self.vaelg_firma(ordning);
        let mut s = self.tom_sag(ordning, sagsart, firma, oprettet);
        s.ans = ans;

        if ans == Some(Ans::Kladde) {
            // A company's draft has no jobcentre until it is sent (docs/case-model.md); a draft
            // the jobcentre made for the company ("Sendte kladder") knows its jobcentre at once.
            if self.rng.random_bool(0.2) {
                s.jc = Some(self.verden.jc_fordeling.traek(&mut self.rng));
                self.tildel(&mut s);
                s.oprettet_af = self.opretter(&s);
            }
            let aendret = oprettet + Duration::seconds(self.rng.random_range(0..10 * 86_400));
            s.aendret = aendret.min(self.nu).max(oprettet);
            return s;
        }

        // The jobcentre is the citizen's home municipality; a jobrotation case's citizen is its
        // first substitute (decision 95).
        let i = self.borger(b, pool);
        s.borger = Some(i);
        s.jc = Some(b.borgere[i].jc);
        s.aa = b.borgere[i].aa;
        self.tildel(&mut s);
        if matches!(sagsart, Sagsart::Tilbud | Sagsart::Bevilling) {
            s.oprettet_af = self.opretter(&s);
        }
        s.p = self.vaelg_p(firma);
        s.timer = timer_for(ordning, &mut self.rng);

        let len = laengde(ordning, &mut self.rng);
        if len > MAKS_LAENGDE_MED_FORLOEB {
            // A long grant has not yet been extended or ended within three years.
            forl = None;
            if afg == Some(Afg::Ophoert) {
                afg = Some(Afg::GodkendtAfVirksomhed);
            }
        }
        s.afg = afg;
        s.forl = forl;

        let ansoegning = ans.is_some();
        let hoering = ordning.kraever_hoering();
        let b0 = oprettet.date_naive();
        let sendt = b0 + dage(&mut self.rng, 0, 20);
        let rep_svar = sendt + dage(&mut self.rng, 1, 10);
        // Seed 001 §1.9: received when the representative approves (or at once without one).
        let modtaget = if hoering { rep_svar } else { sendt };
        let afg_dato = if ansoegning { modtaget + dage(&mut self.rng, 2, 30) } else { b0 + dage(&mut self.rng, 0, 10) };
        let godk = afg_dato + dage(&mut self.rng, 1, 14);
        let start =
            if ansoegning { sendt + dage(&mut self.rng, 14, 60) } else { afg_dato + dage(&mut self.rng, 0, 30) };
        let o_slut = start + Duration::days(len);
        let forl_dato = (o_slut - dage(&mut self.rng, 10, 60)).max(godk);
        let forl_afgjort = forl_dato + dage(&mut self.rng, 1, 20);
        let forl_slut = o_slut + dage(&mut self.rng, 30, 180);
        // periode::ophoer: the termination date lies within the current period; with an
        // approved extension it falls inside the extension, so the extension does not lapse.
        let ophoer = match (afg, forl) {
            (Some(Afg::Ophoert), Some(Forl::Godkendt)) => {
                Some(o_slut + dage(&mut self.rng, 1, (forl_slut - o_slut).num_days()))
            }
            (Some(Afg::Ophoert), _) => Some(start + dage(&mut self.rng, 0, len)),
            _ => None,
        };

        // What has happened must lie in the past: shift the whole case back if needed.
        let mut sket = Vec::with_capacity(8);
        if ansoegning {
            sket.push(sendt);
        }
        if ansoegning && hoering && ans != Some(Ans::SendtTilMedarbejderRep) {
            sket.push(rep_svar);
        }
        let modtaget_sket = matches!(ans, Some(Ans::Modtaget | Ans::Afvist | Ans::Godkendt));
        if modtaget_sket {
            sket.push(modtaget);
        }
        if ans == Some(Ans::Afvist) || afg.is_some() {
            sket.push(afg_dato);
        }
        let virksomhed_svarede = matches!(afg, Some(Afg::GodkendtAfVirksomhed | Afg::IkkeGodkendt | Afg::Ophoert));
        if virksomhed_svarede {
            sket.push(godk);
        }
        if forl.is_some() {
            sket.push(forl_dato);
        }
        if matches!(forl, Some(Forl::Godkendt | Forl::Afvist)) {
            sket.push(forl_afgjort);
        }
        sket.extend(ophoer);
        let seneste = sket.iter().max().copied().unwrap_or(b0);
        let f = Duration::days((seneste - self.idag).num_days().max(0));

        s.oprettet = oprettet - f;
        s.sendt = ansoegning.then_some(sendt - f);
        s.start = Some(start - f);
        s.slut = Some(match (ophoer, forl) {
            (Some(o), _) => o - f,
            (None, Some(Forl::Godkendt)) => forl_slut - f,
            _ => o_slut - f,
        });
        // Set by the caseworker's approval only, and never moved again (docs/case-model.md).
        s.oprindelig = afg.is_some().then_some(o_slut - f);
        s.modtaget = modtaget_sket.then_some(modtaget - f);
        s.afgoerelse = (ans == Some(Ans::Afvist) || afg.is_some()).then_some(afg_dato - f);
        // "Godkendt dato" is the company's approval of the grant (seed 001 §1.2.4).
        s.godkendt = matches!(afg, Some(Afg::GodkendtAfVirksomhed | Afg::Ophoert)).then_some(godk - f);
        s.forl_dato = forl.is_some().then_some(forl_dato - f);
        s.forl_periode = forl.map(|_| (o_slut + Duration::days(1) - f, forl_slut - f));
        s.ophoer = ophoer.map(|o| o - f);
        let aendret = self.tidspunkt(seneste - f);
        s.aendret = aendret.max(s.oprettet);
        s
    }

    /// A supplementary grant (mentor or hjælpemiddel) on main case `h` of the same batch: same
    /// jobcentre, company, P-unit and citizen, inside the main grant's period.
    fn tillaeg(&mut self, h: usize, hs: &Sag) -> Sag {
        let ordning = if self.rng.random_bool(0.65) { Ordning::Mentor } else { Ordning::Hjaelpemiddel };
        let mut s = self.tom_sag(ordning, Sagsart::Bevilling, hs.firma, hs.oprettet);
        s.hovedsag = Some(h);
        s.jc = hs.jc;
        s.p = hs.p;
        s.borger = hs.borger;
        s.aa = hs.aa;
        if self.rng.random_bool(0.7) {
            s.team = hs.team;
            s.ansvarlig = hs.ansvarlig;
        } else {
            self.tildel(&mut s);
        }
        s.oprettet_af = self.opretter(&s);
        s.timer = timer_for(ordning, &mut self.rng);
        let (Some(h_start), Some(h_slut)) = (hs.start, hs.slut) else { return s };
        let h_afg = hs.afgoerelse.unwrap_or(h_start);
        let h_bevilget = hs.oprindelig.unwrap_or(h_slut).max(h_slut);
        let afg_dato = (h_afg + dage(&mut self.rng, 0, 60)).min(self.idag).max(h_afg);
        let start = (afg_dato + dage(&mut self.rng, 0, 14)).clamp(h_start, h_slut);
        let o_slut = (start + Duration::days(laengde(ordning, &mut self.rng))).min(h_bevilget).max(start);
        // A supplementary grant ends with its main grant.
        let afg = if hs.afg == Some(Afg::Ophoert) {
            Afg::Ophoert
        } else {
            vaelg(
                &mut self.rng,
                &[
                    (Afg::AfventerVirksomhed, 10),
                    (Afg::GodkendtAfVirksomhed, 75),
                    (Afg::IkkeGodkendt, 5),
                    (Afg::Ophoert, 10),
                ],
            )
        };
        let godk = (afg_dato + dage(&mut self.rng, 1, 10)).min(self.idag).max(afg_dato);
        let ophoer = match afg {
            Afg::Ophoert if hs.afg == Some(Afg::Ophoert) => Some(o_slut.min(h_slut)),
            Afg::Ophoert => {
                Some((start + dage(&mut self.rng, 0, (o_slut - start).num_days())).min(self.idag).max(start))
            }
            _ => None,
        };
        s.afg = Some(afg);
        s.start = Some(start);
        s.oprindelig = Some(o_slut);
        s.slut = Some(ophoer.unwrap_or(o_slut));
        s.afgoerelse = Some(afg_dato);
        let svarede = matches!(afg, Afg::GodkendtAfVirksomhed | Afg::IkkeGodkendt | Afg::Ophoert);
        s.godkendt = matches!(afg, Afg::GodkendtAfVirksomhed | Afg::Ophoert).then_some(godk);
        s.ophoer = ophoer;
        s.oprettet = self.tidspunkt(afg_dato);
        let mut seneste = afg_dato;
        if svarede {
            seneste = seneste.max(godk);
        }
        if let Some(o) = ophoer.filter(|o| *o <= self.idag) {
            seneste = seneste.max(o);
        }
        let aendret = self.tidspunkt(seneste);
        s.aendret = aendret.max(s.oprettet);
        s
    }

    /// One element per record kind the case has, carrying the case's statuses.
    fn elementer(&mut self, i: usize, s: &Sag, ud: &mut Vec<Element>) {
        let mut nyt = |g: &mut Self,
                       art: Elementart,
                       status: &'static str,
                       periode: (Option<NaiveDate>, Option<NaiveDate>),
                       dato: Option<NaiveDate>| {
            let oprettet = match dato {
                Some(d) => g.tidspunkt(d).max(s.oprettet).min(s.aendret),
                None => s.aendret,
            };
            ud.push(Element {
                uuid: g.uuid(),
                sag: i,
                art,
                status,
                start: periode.0,
                slut: periode.1,
                oprettet,
                aendret: s.aendret,
            });
        };
        // The application element is written when the company signs and sends (web::html::ansoegning::indsend).
        if let Some(a) = s.ans.filter(|a| *a != Ans::Kladde) {
            nyt(self, Elementart::Ansoegning, a.kode(), (s.start, s.oprindelig.or(s.slut)), s.sendt);
        }
        if let Some(a) = s.afg {
            nyt(self, Elementart::Bevilling, a.kode(), (s.start, s.oprindelig), s.afgoerelse);
        }
        if let (Some(f), Some((fra, til))) = (s.forl, s.forl_periode) {
            nyt(self, Elementart::Forlaengelse, f.kode(), (Some(fra), Some(til)), s.forl_dato);
        }
        if let Some(o) = s.ophoer {
            // The termination element's status is `registreret` (web::html::sag).
            nyt(self, Elementart::Ophoer, "registreret", (Some(o), Some(o)), None);
        }
    }

    /// Write one batch's citizens, main cases and supplementary grants; return its element
    /// rows, with the case ids filled in, for [`skriv_elementer`].
    async fn skriv<C: ConnectionTrait>(&self, c: &C, b: Batch) -> Result<Vec<Vec<Expr>>, StorageError> {
        use dfdg_borger::Column as D;
        let borger_raekker: Vec<Vec<Expr>> = b
            .borgere
            .iter()
            .filter(|x| x.ny)
            .map(|x| {
                vec![
                    Expr::from(x.cpr.clone()),
                    Expr::from(x.fornavn),
                    Expr::from(x.efternavn),
                    Expr::from(self.verden.jc[x.jc].kode.clone()),
                    Expr::from(x.aa),
                ]
            })
            .collect();
        let kol_b = [D::Cpr, D::Fornavn, D::Efternavn, D::Kommunekode, D::AndenAktoerId];
        indsaet(c, dfdg_borger::Entity, &kol_b, borger_raekker, None).await?;

        let Batch { borgere, sager, hoved, elementer, .. } = b;
        let mut ids: Vec<i64> = Vec::with_capacity(sager.len());
        let mut sager = sager.into_iter();
        let hovedsager: Vec<Sag> = sager.by_ref().take(hoved).collect();
        ids.extend(self.indsaet_sager(c, &hovedsager, &borgere, &ids).await?);
        let tillaeg: Vec<Sag> = sager.collect();
        let nye = self.indsaet_sager(c, &tillaeg, &borgere, &ids).await?;
        ids.extend(nye);
        // The list totals count the batch in its own transaction (storage::taelling).
        let grupper: Vec<(Gruppe, i64)> = hovedsager.iter().chain(&tillaeg).map(|s| (self.gruppe(s), 1)).collect();
        storage::taelling::juster(c, &grupper).await?;

        let mut raekker = Vec::with_capacity(elementer.len());
        for e in elementer {
            let sag_id = *ids.get(e.sag).ok_or_else(|| StorageError::Data("sagselement uden sag".into()))?;
            raekker.push(vec![
                Expr::from(e.uuid),
                Expr::from(sag_id),
                Expr::from(e.art.kode()),
                Expr::from(e.status),
                Expr::from(e.start),
                Expr::from(e.slut),
                Expr::from("{}"),
                Expr::from(e.oprettet),
                Expr::from(e.aendret),
            ]);
        }
        Ok(raekker)
    }

    /// The group a case counts in (storage::taelling), as `Gruppe::af` would read it back.
    fn gruppe(&self, s: &Sag) -> Gruppe {
        Gruppe {
            jobcenter_id: s.jc.map(|i| self.verden.jc[i].id),
            anden_aktoer_id: s.aa,
            ordning: s.ordning.kode().to_string(),
            sagsart: s.sagsart.kode().to_string(),
            ansoegning_status: s.ans.map(|a| a.kode().to_string()),
            afgoerelse_status: s.afg.map(|a| a.kode().to_string()),
            forlaengelse_status: s.forl.map(|f| f.kode().to_string()),
            tillaeg: s.hovedsag.is_some(),
        }
    }

    /// Insert cases with `RETURNING id, uuid`; the ids in the order of `sager`.
    async fn indsaet_sager<C: ConnectionTrait>(
        &self,
        c: &C,
        sager: &[Sag],
        borgere: &[Borger],
        ids: &[i64],
    ) -> Result<Vec<i64>, StorageError> {
        use sag::Column as S;
        const KOLONNER: [S; 31] = [
            S::Uuid,
            S::Ordning,
            S::Sagsart,
            S::AnsoegningStatus,
            S::AfgoerelseStatus,
            S::ForlaengelseStatus,
            S::JobcenterId,
            S::TeamId,
            S::AnsvarligId,
            S::AndenAktoerId,
            S::HovedsagId,
            S::Cvr,
            S::Pnummer,
            S::Cpr,
            S::BorgerNavn,
            S::BorgerNavnSoeg,
            S::BorgerNavnSort,
            S::Startdato,
            S::Slutdato,
            S::OprindeligSlutdato,
            S::TimerHundrededele,
            S::ModtagetDato,
            S::AfgoerelseDato,
            S::GodkendtDato,
            S::Konfliktramt,
            S::OprettetAf,
            S::Oprettet,
            S::Aendret,
            S::Version,
            S::TeamSort,
            S::AnsvarligSort,
        ];
        let backend = c.get_database_backend();
        let pr = raekker_pr_saetning(backend, KOLONNER.len()).min(self.verden.formularer.raekker_pr_saetning(backend));
        let mut fundne: HashMap<String, i64> = HashMap::with_capacity(sager.len());
        let mut fra = 0;
        for stk in stykker(sager.len(), pr) {
            let del = &sager[fra..fra + stk];
            fra += stk;
            let mut q = Query::insert();
            q.into_table(sag::Entity).columns(KOLONNER);
            let mut skemaer = Vec::with_capacity(del.len());
            for s in del {
                let firma = &self.verden.firmaer[s.firma];
                let borger = s.borger.and_then(|i| borgere.get(i));
                let navn = borger.map(|x| format!("{} {}", x.fornavn, x.efternavn));
                let hovedsag_id = match s.hovedsag {
                    Some(h) => Some(*ids.get(h).ok_or_else(|| StorageError::Data("hovedsag mangler".into()))?),
                    None => None,
                };
                q.values([
                    Expr::from(s.uuid.clone()),
                    Expr::from(s.ordning.kode()),
                    Expr::from(s.sagsart.kode()),
                    Expr::from(s.ans.map(Ans::kode)),
                    Expr::from(s.afg.map(Afg::kode)),
                    Expr::from(s.forl.map(Forl::kode)),
                    Expr::from(s.jc.map(|i| self.verden.jc[i].id)),
                    Expr::from(s.team),
                    Expr::from(s.ansvarlig),
                    Expr::from(s.aa),
                    Expr::from(hovedsag_id),
                    Expr::from(firma.cvr.clone()),
                    Expr::from(s.p.and_then(|i| firma.pnumre.get(i)).cloned()),
                    Expr::from(borger.map(|x| x.cpr.clone())),
                    // The three name columns always agree (docs/case-model.md; rules 3 and 4).
                    Expr::from(navn.clone()),
                    Expr::from(navn.as_deref().map(soegetekst)),
                    Expr::from(navn.as_deref().map(sorteringsnoegle)),
                    Expr::from(s.start),
                    Expr::from(s.slut),
                    Expr::from(s.oprindelig),
                    Expr::from(s.timer),
                    Expr::from(s.modtaget),
                    Expr::from(s.afgoerelse),
                    Expr::from(s.godkendt),
                    Expr::from(s.konfliktramt),
                    Expr::from(s.oprettet_af),
                    Expr::from(s.oprettet),
                    Expr::from(s.aendret),
                    Expr::from(1i64),
                    Expr::from(s.team.and_then(|t| self.verden.team_noegler.get(&t).cloned())),
                    Expr::from(s.ansvarlig.and_then(|a| self.verden.folk_noegler.get(&a).cloned())),
                ])
                .map_err(sq)?;
                skemaer.push(self.verden.formularer.json(
                    s,
                    s.p.and_then(|i| firma.pnumre.get(i)).map(String::as_str),
                    borger.map(|x| x.cpr.as_str()),
                    navn.as_deref(),
                ));
            }
            q.returning(Query::returning().columns([S::Id, S::Uuid]));
            for r in c.query_all(&q).await? {
                fundne.insert(r.try_get::<String>("", "uuid")?, r.try_get::<i64>("", "id")?);
            }
            // Each case's form, in its own table (decision 105), a statement per statement of
            // cases, so a statement of forms is no larger than before.
            let mut k = Query::insert();
            k.into_table(sag_skema::Entity).columns([sag_skema::Column::SagId, sag_skema::Column::Skemadata]);
            for (s, json) in del.iter().zip(skemaer) {
                let id =
                    fundne.get(&s.uuid).copied().ok_or_else(|| StorageError::Data("ny sag kom ikke tilbage".into()))?;
                k.values([Expr::from(id), Expr::from(json)]).map_err(sq)?;
            }
            c.execute(&k).await?;
        }
        sager
            .iter()
            .map(|s| fundne.get(&s.uuid).copied().ok_or_else(|| StorageError::Data("ny sag kom ikke tilbage".into())))
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Writing.

fn sq(e: sea_orm::sea_query::error::Error) -> StorageError {
    StorageError::Db(sea_orm::DbErr::Custom(e.to_string()))
}

/// Rows per INSERT statement at most (see [`raekker_pr_saetning`]).
const MAKS_RAEKKER: usize = 1_024;

/// Bound values per INSERT statement.
/// - SQLite allows 32,766 (SQLITE_MAX_VARIABLE_NUMBER's default since 3.32); it runs in-process,
///   so the generator uses the limit itself.
/// - PostgreSQL allows 65,535 (the protocol counts them in 16 bits), but sqlx 0.9.0 no longer
///   sets TCP_NODELAY (sqlx issue #4335): over TCP, a statement message above roughly 16 KB
///   waits for the server's delayed ACK. 1,024 values (≈ 12 KB of case rows) stay under it
///   (docs/benchmarks.md, "Bound values per INSERT on PostgreSQL").
fn binds_pr_saetning(backend: DbBackend) -> usize {
    match backend {
        DbBackend::Postgres => 1_024,
        _ => 32_766,
    }
}

/// The rows of one INSERT statement for a table of `kolonner` columns: a power of two, at most
/// [`MAKS_RAEKKER`] and within [`binds_pr_saetning`].
fn raekker_pr_saetning(backend: DbBackend, kolonner: usize) -> usize {
    let graense = (binds_pr_saetning(backend) / kolonner.max(1)).clamp(1, MAKS_RAEKKER);
    1 << graense.ilog2()
}

/// How `n` rows are cut into statements: full statements of `maks` rows, then the rest in
/// powers of two. So a table sees at most log₂(maks) + 1 distinct statements, and the
/// driver's prepared-statement cache reuses them from batch to batch, whatever the number of
/// rows.
fn stykker(n: usize, maks: usize) -> impl Iterator<Item = usize> {
    let hele = std::iter::repeat_n(maks, n / maks);
    let rest = n % maks;
    hele.chain((0..usize::BITS).rev().map(|b| 1usize << b).filter(move |s| rest & s != 0))
}

/// Insert rows with multi-row INSERTs, cut by [`stykker`].
async fn indsaet<C, T, K>(
    c: &C,
    tabel: T,
    kolonner: &[K],
    raekker: Vec<Vec<Expr>>,
    konflikt: Option<&OnConflict>,
) -> Result<(), StorageError>
where
    C: ConnectionTrait,
    T: IntoTableRef + Clone,
    K: IntoIden + Copy,
{
    let pr = raekker_pr_saetning(c.get_database_backend(), kolonner.len());
    let n = raekker.len();
    let mut raekker = raekker.into_iter();
    for stk in stykker(n, pr) {
        let mut q = Query::insert();
        q.into_table(tabel.clone()).columns(kolonner.iter().copied());
        for r in raekker.by_ref().take(stk) {
            q.values(r).map_err(sq)?;
        }
        if let Some(k) = konflikt {
            q.on_conflict(k.clone());
        }
        c.execute(&q).await?;
    }
    Ok(())
}

/// The element columns, in the order of the rows [`Generator::skriv`] returns.
const ELEMENTKOLONNER: [sagselement::Column; 9] = {
    use sagselement::Column as E;
    [E::Uuid, E::SagId, E::Art, E::Status, E::Startdato, E::Slutdato, E::Data, E::Oprettet, E::Aendret]
};

/// Write elements in a transaction of their own, after their cases are committed.
async fn skriv_elementer(db: &Db, raekker: Vec<Vec<Expr>>) -> Result<(), StorageError> {
    if raekker.is_empty() {
        return Ok(());
    }
    let txn = db.conn.begin().await?;
    indsaet(&txn, sagselement::Entity, &ELEMENTKOLONNER, raekker, None).await?;
    txn.commit().await?;
    Ok(())
}

/// `antal` CPR numbers from bulk citizen `fra` on that are not in DFDG yet (the demo world's
/// citizens, or an earlier run's), with their running numbers.
async fn ledige_cpr<C: ConnectionTrait>(c: &C, fra: u64, antal: usize) -> Result<Vec<(u64, String)>, StorageError> {
    let mut ud = Vec::with_capacity(antal);
    let mut nr = fra;
    while ud.len() < antal {
        let kandidater: Vec<(u64, String)> = (nr..nr + (antal - ud.len()) as u64).map(|i| (i, cpr_nr(i))).collect();
        nr += kandidater.len() as u64;
        let mut findes = HashSet::new();
        // Half the statement budget: 512 CPR numbers ≈ 7 KB per query on PostgreSQL.
        for del in kandidater.chunks(binds_pr_saetning(c.get_database_backend()) / 2) {
            let fundne: Vec<String> = dfdg_borger::Entity::find()
                .select_only()
                .column(dfdg_borger::Column::Cpr)
                .filter(dfdg_borger::Column::Cpr.is_in(del.iter().map(|(_, c)| c.clone())))
                .into_tuple::<String>()
                .all(c)
                .await?;
            findes.extend(fundne);
        }
        ud.extend(kandidater.into_iter().filter(|(_, c)| !findes.contains(c)));
    }
    Ok(ud)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::ident::{Cpr, Cvr, PNummer};

    #[test]
    fn cvr_er_gyldige_og_entydige() {
        let mut set = HashSet::new();
        for k in 0..50_000 {
            let c = cvr_nr(k);
            assert!(Cvr::parse(&c, "cvr").is_ok(), "{c}");
            assert!(c.as_bytes()[0] >= b'5', "{c}");
            assert!(set.insert(c));
        }
    }

    #[test]
    fn pnumre_er_entydige() {
        let mut set = HashSet::new();
        for k in 0..5_000 {
            for u in 0..20 {
                let p = pnummer(k, u);
                assert!(PNummer::parse(&p, "p").is_ok(), "{p}");
                assert!(set.insert(p));
            }
        }
    }

    #[test]
    fn cpr_er_gyldige_og_entydige() {
        fn gcd(a: u64, b: u64) -> u64 {
            if b == 0 { a } else { gcd(b, a % b) }
        }
        let dage = (NaiveDate::from_ymd_opt(2007, 12, 31).expect("dato") - foedt_fra()).num_days() + 1;
        assert_eq!(dage as u64, FOEDSELSDAGE);
        assert_eq!(gcd(CPR_FAKTOR, FOEDSELSDAGE * PR_DAG), 1);
        let mut set = HashSet::new();
        for i in 0..300_000 {
            let c = cpr_nr(i);
            assert!(Cpr::parse(&c, "cpr").is_ok(), "{c}");
            assert!(set.insert(c));
        }
    }

    #[test]
    fn zipf_er_skaev() {
        let f = Fordeling::zipf(98, 1.0);
        let mut rng = StdRng::seed_from_u64(1);
        let mut n = [0u32; 98];
        for _ in 0..100_000 {
            n[f.traek(&mut rng)] += 1;
        }
        assert!(n[0] > 10 * n[97], "{} vs {}", n[0], n[97]);
        assert!(n.iter().all(|&x| x > 0));
    }

    #[test]
    fn kommunerang_koebenhavn_foerst() {
        let mut k: Vec<&str> = storage::demo::kommuner().into_iter().map(|(kode, _, _)| kode).collect();
        k.sort_by_key(|kode| rang(kode));
        assert_eq!(k[0], "0101");
        assert_eq!(k[97], "0492");
    }
}
