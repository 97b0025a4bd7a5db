//! `vitas backup` and `vitas restore` (issue 11 §3; decisions 112–113; the operator's account
//! is docs/operations-backup.md).
//!
//! - Embedded SQLite: `VACUUM INTO` on a connection of its own takes a transactionally
//!   consistent copy while the server goes on writing (WAL: the copy reads one snapshot and
//!   blocks no writer). The copy is written beside the target as `<fil>.delvis`, checked,
//!   and only then renamed to the target, so a half-written file never carries its name.
//!   Restore checks the file is a VITAS database (its `seaql_migrations`, no migration this
//!   release does not know, `PRAGMA quick_check`), refuses a database that a process has open
//!   and, without `--erstat`, one that is not empty, and renames a checked copy into place.
//! - PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists` in one
//!   transaction. Without the tools on PATH it fails with the exact command to run instead.
//!   The password travels in `PGPASSWORD`, never on the command line (`ps` shows argv).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sea_orm::sqlx::{self, Connection};

use crate::Config;

/// Why a backup or a restore was refused or failed; each in Danish for the operator.
#[derive(Debug, thiserror::Error)]
pub enum KopiFejl {
    #[error("Filen {0} findes allerede. Vælg et andet navn, eller slet den først.")]
    FilFindes(PathBuf),
    #[error("Filen {0} findes ikke.")]
    FilFindesIkke(PathBuf),
    #[error("Databasen {0} findes ikke.")]
    DatabaseFindesIkke(String),
    #[error("{0} er ikke en VITAS-database: {1}")]
    IkkeVitas(String, String),
    #[error(
        "Sikkerhedskopien {fil} er fra en nyere udgave af VITAS (den kender migreringen {migrering}, som denne udgave ikke har). Gendan den med den udgave, der tog den, eller en nyere."
    )]
    NyereUdgave { fil: PathBuf, migrering: String },
    #[error(
        "Databasen {0} er i brug: en anden proces (vitas serve eller vitas worker) har den åben. Stop den først; en database i brug overskrives aldrig."
    )]
    IBrug(String),
    #[error("Databasen {0} er ikke tom. Brug --erstat for at overskrive den med sikkerhedskopien.")]
    IkkeTom(String),
    #[error("{program} blev ikke fundet på PATH. Installér PostgreSQL-klientværktøjerne, eller kør selv: {kommando}")]
    VaerktoejMangler { program: &'static str, kommando: String },
    #[error("{program} fejlede ({status}): {fejl}")]
    VaerktoejFejlede { program: &'static str, status: String, fejl: String },
    #[error("Databasen kan ikke sikkerhedskopieres eller gendannes: {0}")]
    Uegnet(String),
    #[error("{0}")]
    Io(String),
    #[error("Databasefejl: {0}")]
    Db(String),
}

impl From<std::io::Error> for KopiFejl {
    fn from(e: std::io::Error) -> Self {
        KopiFejl::Io(format!("fil-fejl: {e}"))
    }
}

impl From<sqlx::Error> for KopiFejl {
    fn from(e: sqlx::Error) -> Self {
        KopiFejl::Db(e.to_string())
    }
}

/// What a backup or restore did, for the command's closing line and for docs/benchmarks.md.
#[derive(Debug, Clone)]
pub struct Kopi {
    /// The backup file (written or read).
    pub fil: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// The migrations the copied database had run.
    pub migrationer: usize,
    pub varighed: Duration,
}

/// Where the configured database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placering {
    Sqlite(PathBuf),
    Postgres(String),
}

/// The configured database (`--database-url`, else SQLite under `--data-dir`).
pub fn placering(config: &Config) -> Result<Placering, KopiFejl> {
    let url = config.database_url();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Placering::Postgres(url));
    }
    let Some(rest) = url.strip_prefix("sqlite:") else {
        return Err(KopiFejl::Uegnet("database-URL'en er hverken sqlite: eller postgres:".into()));
    };
    let sti = rest.strip_prefix("//").unwrap_or(rest);
    let sti = sti.split('?').next().unwrap_or_default();
    if sti.is_empty() || sti.contains(":memory:") {
        return Err(KopiFejl::Uegnet("en database i hukommelsen har ingen fil".into()));
    }
    Ok(Placering::Sqlite(PathBuf::from(sti)))
}

/// `vitas backup --til <fil>`: a consistent copy of the running database (decision 112).
pub async fn tag(config: &Config, til: &Path) -> Result<Kopi, KopiFejl> {
    if til.exists() {
        return Err(KopiFejl::FilFindes(til.to_path_buf()));
    }
    match placering(config)? {
        Placering::Sqlite(db) => sqlite_tag(&db, til).await,
        Placering::Postgres(url) => postgres_tag(&url, til).await,
    }
}

/// `vitas restore --fra <fil> [--erstat]`: the backup into the configured database
/// (decision 113). A database in use is never overwritten; one that is not empty only with
/// `erstat`.
pub async fn gendan(config: &Config, fra: &Path, erstat: bool) -> Result<Kopi, KopiFejl> {
    if !fra.is_file() {
        return Err(KopiFejl::FilFindesIkke(fra.to_path_buf()));
    }
    match placering(config)? {
        Placering::Sqlite(db) => sqlite_gendan(fra, &db, erstat).await,
        Placering::Postgres(url) => postgres_gendan(fra, &url, erstat).await,
    }
}

/// `<fil>.<endelse>` in the same folder: a rename within one file system is atomic.
fn ved_siden_af(fil: &Path, endelse: &str) -> PathBuf {
    let mut navn = fil.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    navn.push(format!(".{endelse}"));
    fil.with_file_name(navn)
}

fn som_tekst(sti: &Path) -> Result<&str, KopiFejl> {
    sti.to_str().ok_or_else(|| KopiFejl::Uegnet(format!("stien {} er ikke gyldig UTF-8", sti.display())))
}

/// Write a file's data and its folder's entry to disk.
fn synk(fil: &Path) -> Result<(), KopiFejl> {
    std::fs::File::open(fil)?.sync_all()?;
    if let Some(mappe) = fil.parent().filter(|m| !m.as_os_str().is_empty()) {
        // A folder cannot be opened for sync on every platform; the file's own sync is the
        // part that matters, so a refusal here is not an error.
        if let Ok(m) = std::fs::File::open(mappe) {
            let _ = m.sync_all();
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// SQLite

fn sqlite_valg(fil: &Path) -> sqlx::sqlite::SqliteConnectOptions {
    sqlx::sqlite::SqliteConnectOptions::new().filename(fil).create_if_missing(false)
}

/// The migrations a SQLite database has run, or why it is not a VITAS database.
async fn sqlite_migrationer(conn: &mut sqlx::SqliteConnection, navn: &str) -> Result<Vec<String>, KopiFejl> {
    let tabel: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'")
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| KopiFejl::IkkeVitas(navn.into(), format!("filen kan ikke læses som SQLite ({e})")))?;
    if tabel == 0 {
        return Err(KopiFejl::IkkeVitas(navn.into(), "den har ingen migreringstabel (seaql_migrations)".into()));
    }
    let navne: Vec<String> =
        sqlx::query_scalar("SELECT version FROM seaql_migrations ORDER BY version").fetch_all(&mut *conn).await?;
    if navne.is_empty() {
        return Err(KopiFejl::IkkeVitas(navn.into(), "migreringstabellen er tom".into()));
    }
    Ok(navne)
}

/// A backup file that is whole (`quick_check`) and a VITAS database this release can read:
/// its migrations, each one known here.
async fn sqlite_tjek_kopi(fil: &Path) -> Result<Vec<String>, KopiFejl> {
    let navn = fil.display().to_string();
    let mut conn = sqlx::SqliteConnection::connect_with(&sqlite_valg(fil).read_only(true))
        .await
        .map_err(|e| KopiFejl::IkkeVitas(navn.clone(), format!("filen kan ikke åbnes som SQLite ({e})")))?;
    let tjek: Result<String, _> = sqlx::query_scalar("PRAGMA quick_check").fetch_one(&mut conn).await;
    match tjek {
        Ok(t) if t == "ok" => {}
        Ok(t) => return Err(KopiFejl::IkkeVitas(navn, format!("filen er beskadiget ({t})"))),
        Err(e) => return Err(KopiFejl::IkkeVitas(navn, format!("filen kan ikke læses som SQLite ({e})"))),
    }
    let navne = sqlite_migrationer(&mut conn, &navn).await?;
    conn.close().await?;
    tjek_kendte(fil, &navne)?;
    Ok(navne)
}

/// Refuse a database that has run a migration this release does not have.
fn tjek_kendte(fil: &Path, navne: &[String]) -> Result<(), KopiFejl> {
    let kendte = storage::migration::navne();
    match navne.iter().find(|n| !kendte.contains(n)) {
        Some(ukendt) => Err(KopiFejl::NyereUdgave { fil: fil.to_path_buf(), migrering: ukendt.clone() }),
        None => Ok(()),
    }
}

async fn sqlite_tag(db: &Path, til: &Path) -> Result<Kopi, KopiFejl> {
    if !db.is_file() {
        return Err(KopiFejl::DatabaseFindesIkke(db.display().to_string()));
    }
    let start = Instant::now();
    let delvis = ved_siden_af(til, "delvis");
    if delvis.exists() {
        std::fs::remove_file(&delvis)?;
    }
    // A connection of its own, with the server's busy timeout: VACUUM INTO reads one
    // snapshot (a read transaction), which in WAL mode waits for no writer and stops none.
    let mut conn = sqlx::SqliteConnection::connect_with(&sqlite_valg(db).busy_timeout(Duration::from_secs(15))).await?;
    sqlite_migrationer(&mut conn, &db.display().to_string()).await?;
    sqlx::query("VACUUM INTO ?").bind(som_tekst(&delvis)?).execute(&mut conn).await?;
    conn.close().await?;
    let migrationer = match sqlite_tjek_kopi(&delvis).await {
        Ok(m) => m.len(),
        Err(e) => {
            let _ = std::fs::remove_file(&delvis);
            return Err(e);
        }
    };
    synk(&delvis)?;
    std::fs::rename(&delvis, til)?;
    synk(til)?;
    Ok(Kopi { fil: til.to_path_buf(), bytes: std::fs::metadata(til)?.len(), migrationer, varighed: start.elapsed() })
}

/// Whether a process has the database open: an exclusive lock (locking_mode EXCLUSIVE, no
/// wait) is refused while any other connection, even an idle one of a server's pool, has the
/// file open in WAL mode. Returns whether the database holds any table.
async fn sqlite_fri_og_tom(db: &Path) -> Result<bool, KopiFejl> {
    let navn = db.display().to_string();
    let valg = sqlite_valg(db).busy_timeout(Duration::ZERO).locking_mode(sqlx::sqlite::SqliteLockingMode::Exclusive);
    let mut conn = match sqlx::SqliteConnection::connect_with(&valg).await {
        Ok(c) => c,
        Err(e) if er_laast(&e) => return Err(KopiFejl::IBrug(navn)),
        Err(e) => return Err(KopiFejl::Uegnet(format!("{navn} kan ikke åbnes som SQLite ({e})"))),
    };
    let laast = sqlx::query("BEGIN EXCLUSIVE").execute(&mut conn).await;
    if let Err(e) = laast {
        return Err(if er_laast(&e) { KopiFejl::IBrug(navn) } else { e.into() });
    }
    let tabeller: Result<i64, _> =
        sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetch_one(&mut conn).await;
    let tabeller = match tabeller {
        Ok(n) => n,
        Err(e) if er_laast(&e) => return Err(KopiFejl::IBrug(navn)),
        Err(e) => return Err(KopiFejl::Uegnet(format!("{navn} kan ikke læses som SQLite ({e})"))),
    };
    sqlx::query("ROLLBACK").execute(&mut conn).await?;
    conn.close().await?;
    Ok(tabeller == 0)
}

fn er_laast(e: &sqlx::Error) -> bool {
    let t = e.to_string();
    t.contains("locked") || t.contains("busy")
}

async fn sqlite_gendan(fra: &Path, db: &Path, erstat: bool) -> Result<Kopi, KopiFejl> {
    let start = Instant::now();
    let migrationer = sqlite_tjek_kopi(fra).await?.len();
    if db.exists() && std::fs::metadata(db)?.len() > 0 {
        let tom = sqlite_fri_og_tom(db).await?;
        if !tom && !erstat {
            return Err(KopiFejl::IkkeTom(db.display().to_string()));
        }
    }
    // The checked copy goes in beside the database and is renamed over it; the old
    // database's WAL files would be read as the new one's, so they go first (no process has
    // the database open: checked above).
    // The data folder of a machine being set up may not exist yet (`open_db` makes it too).
    if let Some(mappe) = db.parent().filter(|m| !m.as_os_str().is_empty()) {
        std::fs::create_dir_all(mappe)?;
    }
    let ny = ved_siden_af(db, "gendannes");
    std::fs::copy(fra, &ny)?;
    synk(&ny)?;
    for endelse in ["wal", "shm"] {
        let f = PathBuf::from(format!("{}-{endelse}", db.display()));
        if f.exists() {
            std::fs::remove_file(f)?;
        }
    }
    std::fs::rename(&ny, db)?;
    synk(db)?;
    Ok(Kopi { fil: fra.to_path_buf(), bytes: std::fs::metadata(fra)?.len(), migrationer, varighed: start.elapsed() })
}

// ---------------------------------------------------------------------------------------
// PostgreSQL

/// The URL without its password, and the password (decoded) for `PGPASSWORD`.
fn uden_adgangskode(url: &str) -> Result<(String, Option<String>), KopiFejl> {
    let mut u = url::Url::parse(url).map_err(|e| KopiFejl::Uegnet(format!("database-URL'en kan ikke læses ({e})")))?;
    let kode = u.password().map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy().into_owned());
    let _ = u.set_password(None);
    Ok((u.to_string(), kode))
}

/// The command an operator would type, with the URL as the variable that holds it (so a
/// password is never printed).
fn vist(program: &str, argumenter: &[&str]) -> String {
    let mut k = vec![program.to_string()];
    k.extend(argumenter.iter().map(|a| if a.contains(' ') { format!("'{a}'") } else { (*a).to_string() }));
    k.join(" ")
}

/// Run one of the PostgreSQL tools; a missing program is a Danish message with the command.
async fn koer(program: &'static str, argumenter: &[&str], url: &str, vist_som: &[&str]) -> Result<String, KopiFejl> {
    let (_, kode) = uden_adgangskode(url)?;
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(argumenter).kill_on_drop(true);
    if let Some(k) = kode {
        cmd.env("PGPASSWORD", k);
    }
    let ud = match cmd.output().await {
        Ok(ud) => ud,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(KopiFejl::VaerktoejMangler { program, kommando: vist(program, vist_som) });
        }
        Err(e) => return Err(e.into()),
    };
    if !ud.status.success() {
        return Err(KopiFejl::VaerktoejFejlede {
            program,
            status: ud.status.to_string(),
            fejl: String::from_utf8_lossy(&ud.stderr).trim().to_string(),
        });
    }
    Ok(String::from_utf8_lossy(&ud.stdout).into_owned())
}

/// The migrations a PostgreSQL database has run, or why it is not a VITAS database.
async fn postgres_migrationer(conn: &mut sqlx::PgConnection, navn: &str) -> Result<Vec<String>, KopiFejl> {
    let tabel: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() \
         AND table_name = 'seaql_migrations'",
    )
    .fetch_one(&mut *conn)
    .await?;
    if tabel == 0 {
        return Err(KopiFejl::IkkeVitas(navn.into(), "den har ingen migreringstabel (seaql_migrations)".into()));
    }
    Ok(sqlx::query_scalar("SELECT version FROM seaql_migrations ORDER BY version").fetch_all(&mut *conn).await?)
}

/// The database's name for messages: its path in the URL, never the URL with a password.
fn pg_navn(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| format!("{}{}", u.host_str().unwrap_or_default(), u.path()))
        .unwrap_or_else(|_| "PostgreSQL-databasen".into())
}

async fn postgres_tag(url: &str, til: &Path) -> Result<Kopi, KopiFejl> {
    let start = Instant::now();
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let migrationer = postgres_migrationer(&mut conn, &pg_navn(url)).await?.len();
    conn.close().await?;
    let delvis = ved_siden_af(til, "delvis");
    let (uden, _) = uden_adgangskode(url)?;
    let fil = format!("--file={}", som_tekst(&delvis)?);
    let db = format!("--dbname={uden}");
    let vist_fil = format!("--file={}", som_tekst(til)?);
    // pg_dump reads one snapshot (a repeatable-read transaction): consistent while the
    // servers write. The custom format is compressed and lets pg_restore clean and reorder.
    let svar = koer(
        "pg_dump",
        &["--format=custom", "--no-owner", "--no-privileges", &fil, &db],
        url,
        &["--format=custom", "--no-owner", "--no-privileges", &vist_fil, "--dbname=\"$VITAS_DATABASE_URL\""],
    )
    .await;
    if let Err(e) = svar {
        let _ = std::fs::remove_file(&delvis);
        return Err(e);
    }
    synk(&delvis)?;
    std::fs::rename(&delvis, til)?;
    synk(til)?;
    Ok(Kopi { fil: til.to_path_buf(), bytes: std::fs::metadata(til)?.len(), migrationer, varighed: start.elapsed() })
}

async fn postgres_gendan(fra: &Path, url: &str, erstat: bool) -> Result<Kopi, KopiFejl> {
    let start = Instant::now();
    let navn = pg_navn(url);
    let fra_tekst = som_tekst(fra)?;
    // The file is a custom-format dump of a VITAS database: its table of contents names the
    // migration table.
    // What a missing pg_restore makes the operator run by hand: the restore itself.
    let argumenter =
        ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"];
    let mut vist_som: Vec<&str> = argumenter.to_vec();
    vist_som.extend(["--dbname=\"$VITAS_DATABASE_URL\"", fra_tekst]);
    let liste = koer("pg_restore", &["--list", fra_tekst], url, &vist_som).await.map_err(|e| match e {
        KopiFejl::VaerktoejFejlede { fejl, .. } => {
            KopiFejl::IkkeVitas(fra.display().to_string(), format!("ikke en pg_dump-fil i custom-format ({fejl})"))
        }
        e => e,
    })?;
    if !liste.lines().any(|l| l.contains(" TABLE ") && l.contains(" seaql_migrations ")) {
        return Err(KopiFejl::IkkeVitas(
            fra.display().to_string(),
            "den har ingen migreringstabel (seaql_migrations)".into(),
        ));
    }
    // The migrations the dump's database had run, read from its data before anything is
    // touched: a backup of a newer release is refused.
    let data =
        koer("pg_restore", &["--data-only", "--table=seaql_migrations", "--file=-", fra_tekst], url, &vist_som).await?;
    let navne = copy_foerste_kolonne(&data, "seaql_migrations");
    if navne.is_empty() {
        return Err(KopiFejl::IkkeVitas(fra.display().to_string(), "migreringstabellen er tom".into()));
    }
    tjek_kendte(fra, &navne)?;
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let andre: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .fetch_one(&mut conn)
    .await?;
    let tabeller: i64 =
        sqlx::query_scalar("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")
            .fetch_one(&mut conn)
            .await?;
    conn.close().await?;
    if andre > 0 {
        return Err(KopiFejl::IBrug(navn));
    }
    if tabeller > 0 && !erstat {
        return Err(KopiFejl::IkkeTom(navn));
    }
    let (uden, _) = uden_adgangskode(url)?;
    let db = format!("--dbname={uden}");
    // One transaction: a restore that fails part-way leaves the database as it was.
    let mut alle: Vec<&str> = argumenter.to_vec();
    alle.extend([db.as_str(), fra_tekst]);
    koer("pg_restore", &alle, url, &vist_som).await?;
    Ok(Kopi {
        fil: fra.to_path_buf(),
        bytes: std::fs::metadata(fra)?.len(),
        migrationer: navne.len(),
        varighed: start.elapsed(),
    })
}

/// The first column of the rows of `COPY <schema>.<tabel> … FROM stdin;` in pg_restore's SQL.
fn copy_foerste_kolonne(sql: &str, tabel: &str) -> Vec<String> {
    let mut i_tabellen = false;
    let mut ud = Vec::new();
    for linje in sql.lines() {
        if i_tabellen {
            if linje == "\\." {
                break;
            }
            ud.push(linje.split('\t').next().unwrap_or_default().to_string());
        } else if linje.starts_with("COPY ") && linje.contains(&format!(".{tabel} ")) {
            i_tabellen = true;
        }
    }
    ud
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: Option<&str>) -> Config {
        Config::for_database(url.map(str::to_string), PathBuf::from("/srv/vitas"), Some(false), None)
    }

    #[test]
    fn placeringen_af_databasen() {
        assert_eq!(placering(&config(None)).ok(), Some(Placering::Sqlite("/srv/vitas/vitas.db".into())));
        assert_eq!(
            placering(&config(Some("sqlite:///tmp/a.db?mode=rwc"))).ok(),
            Some(Placering::Sqlite("/tmp/a.db".into()))
        );
        assert!(matches!(placering(&config(Some("postgres://u@h/db"))), Ok(Placering::Postgres(_))));
        assert!(matches!(placering(&config(Some("sqlite::memory:"))), Err(KopiFejl::Uegnet(_))));
        assert!(matches!(placering(&config(Some("mysql://h/db"))), Err(KopiFejl::Uegnet(_))));
    }

    #[test]
    fn adgangskoden_fjernes_fra_url_en() {
        let (u, k) = uden_adgangskode("postgres://vitas:hemm%40lig@db.example:5432/vitas").expect("url");
        assert_eq!(u, "postgres://vitas@db.example:5432/vitas");
        assert_eq!(k.as_deref(), Some("hemm@lig"));
        assert_eq!(pg_navn("postgres://vitas:x@db.example:5432/vitas"), "db.example/vitas");
    }

    #[test]
    fn migreringerne_laeses_af_copy_blokken() {
        let sql = "SET x = 1;\nCOPY public.seaql_migrations (version, applied_at) FROM stdin;\n\
                   m1\t100\nm2\t200\n\\.\n\nCOPY public.andet (a) FROM stdin;\nz\n\\.\n";
        assert_eq!(copy_foerste_kolonne(sql, "seaql_migrations"), vec!["m1", "m2"]);
        assert!(copy_foerste_kolonne("", "seaql_migrations").is_empty());
    }

    #[test]
    fn ved_siden_af_beholder_mappen() {
        assert_eq!(ved_siden_af(Path::new("/a/b/vitas.db"), "delvis"), PathBuf::from("/a/b/vitas.db.delvis"));
    }
}
