//! The one migration history, for SQLite and PostgreSQL alike. Each step issues one
//! statement at a time (CONVENTIONS.md rule 6), and every key is BIGINT (rule 8).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(Grundlag),
            Box::new(JobTabel),
            Box::new(SagAntal),
            Box::new(VirksomhedsIndeks),
            Box::new(ForlaengelseIndeks),
            Box::new(OutboxLevering),
            Box::new(crate::api::ApiMigration),
            Box::new(ListeIndekser),
            Box::new(SorteringsNoegler),
            Box::new(DemoMarkering),
            Box::new(ApiKlientUdloeb),
            Box::new(SamtykkeTabel),
            Box::new(AdgangslogTabel),
            Box::new(Opbevaring),
            Box::new(AdgangslogNoegle),
            Box::new(LoginTabeller),
            Box::new(SoegefilterTabel),
            Box::new(SkemadataOrdning),
            Box::new(AnsoegningsrangAftale),
            Box::new(PEnhedKommune),
            Box::new(SagSkemaOgPersoner),
            Box::new(crate::drift::DriftMigration),
            Box::new(crate::statistik::StatistikMigration),
        ]
    }
}

/// The names of every migration this release knows, in order. `vitas restore` refuses a
/// backup whose database has run a migration not in this list: it comes from a newer release
/// (issue 11 §3, decision 113).
pub fn navne() -> Vec<String> {
    Migrator::migrations().iter().map(|m| m.name().to_string()).collect()
}

/// The foundation schema (issue 2). Names are fixed strings: renaming a file must never
/// make a database think a migration is new.
struct Grundlag;

impl MigrationName for Grundlag {
    fn name(&self) -> &str {
        "m20261125_000001_grundlag"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Jobcenter {
    Table,
    Id,
    Kommunekode,
    Navn,
    Region,
}
#[derive(DeriveIden, Clone, Copy)]
enum Team {
    Table,
    Id,
    JobcenterId,
    Navn,
}
#[derive(DeriveIden, Clone, Copy)]
enum AndenAktoer {
    Table,
    Id,
    Navn,
    Cvr,
    Pnummer,
}
#[derive(DeriveIden, Clone, Copy)]
enum AaAftale {
    Table,
    Id,
    AndenAktoerId,
    JobcenterId,
    Scenarie,
}
#[derive(DeriveIden, Clone, Copy)]
enum Bruger {
    Table,
    Id,
    Rolle,
    Fornavn,
    Mellemnavn,
    Efternavn,
    Email,
    JobcenterId,
    TeamId,
    Cvr,
    Cpr,
    AndenAktoerId,
    Aktiv,
    Demo,
}
#[derive(DeriveIden, Clone, Copy)]
enum Virksomhed {
    Table,
    Cvr,
    Navn,
    Adresse,
    Offentlig,
    Konfliktramt,
    Spaerret,
}
#[derive(DeriveIden, Clone, Copy)]
enum PEnhed {
    Table,
    Pnummer,
    Cvr,
    Navn,
    Adresse,
    Kommunekode,
}
#[derive(DeriveIden, Clone, Copy)]
enum Eindkomst {
    Table,
    Id,
    Cvr,
    Maaned,
    FuldtidHundrededele,
}
#[derive(DeriveIden, Clone, Copy)]
enum DfdgBorger {
    Table,
    Cpr,
    Fornavn,
    Efternavn,
    Kommunekode,
    AndenAktoerId,
}
#[derive(DeriveIden, Clone, Copy)]
enum Sag {
    Table,
    Id,
    Uuid,
    Ordning,
    Sagsart,
    AnsoegningStatus,
    AfgoerelseStatus,
    ForlaengelseStatus,
    JobcenterId,
    TeamId,
    AnsvarligId,
    AndenAktoerId,
    HovedsagId,
    Cvr,
    Pnummer,
    Cpr,
    BorgerNavn,
    BorgerNavnSoeg,
    BorgerNavnSort,
    Startdato,
    Slutdato,
    OprindeligSlutdato,
    TimerHundrededele,
    ModtagetDato,
    AfgoerelseDato,
    GodkendtDato,
    Konfliktramt,
    Skemadata,
    OprettetAf,
    Oprettet,
    Aendret,
    Version,
}
#[derive(DeriveIden, Clone, Copy)]
enum Sagselement {
    Table,
    Id,
    Uuid,
    SagId,
    Art,
    Status,
    Startdato,
    Slutdato,
    Data,
    Oprettet,
    Aendret,
}
#[derive(DeriveIden, Clone, Copy)]
enum Sagshaendelse {
    Table,
    Id,
    SagId,
    Tidspunkt,
    BrugerId,
    Aktoer,
    Rolle,
    Handling,
    Tekst,
    FraStatus,
    TilStatus,
}
#[derive(DeriveIden, Clone, Copy)]
enum Outbox {
    Table,
    Id,
    Noegle,
    SagId,
    Art,
    Payload,
    Status,
    Forsoeg,
    NaesteForsoeg,
    Oprettet,
    Leveret,
    Fejl,
}
#[derive(DeriveIden, Clone, Copy)]
enum Link {
    Table,
    Token,
    SagId,
    Formaal,
    Udloeber,
    Brugt,
    Oprettet,
}
#[derive(DeriveIden, Clone, Copy)]
enum Session {
    Table,
    Id,
    BrugerId,
    Udloeber,
    Oprettet,
}
#[derive(DeriveIden, Clone, Copy)]
enum Job {
    Table,
    Id,
    Art,
    Payload,
    Status,
    KoerEfter,
    Forsoeg,
    Oprettet,
    Fejl,
}

fn idx<T: IntoIden + Copy>(navn: &str, tabel: T, kolonner: &[&'static str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(navn).table(tabel);
    for k in kolonner {
        i.col(Alias::new(*k));
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Grundlag {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Jobcenter::Table)
                .col(big_pk_auto(Jobcenter::Id))
                .col(string_len_uniq(Jobcenter::Kommunekode, 4))
                .col(string(Jobcenter::Navn))
                .col(string(Jobcenter::Region))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Team::Table)
                .col(big_pk_auto(Team::Id))
                .col(big_integer(Team::JobcenterId))
                .col(string(Team::Navn))
                .foreign_key(
                    ForeignKey::create().from(Team::Table, Team::JobcenterId).to(Jobcenter::Table, Jobcenter::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AndenAktoer::Table)
                .col(big_pk_auto(AndenAktoer::Id))
                .col(string(AndenAktoer::Navn))
                .col(string_len(AndenAktoer::Cvr, 8))
                .col(string_len(AndenAktoer::Pnummer, 10))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AaAftale::Table)
                .col(big_pk_auto(AaAftale::Id))
                .col(big_integer(AaAftale::AndenAktoerId))
                .col(big_integer(AaAftale::JobcenterId))
                .col(small_integer(AaAftale::Scenarie))
                .foreign_key(
                    ForeignKey::create()
                        .from(AaAftale::Table, AaAftale::AndenAktoerId)
                        .to(AndenAktoer::Table, AndenAktoer::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(AaAftale::Table, AaAftale::JobcenterId)
                        .to(Jobcenter::Table, Jobcenter::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Bruger::Table)
                .col(big_pk_auto(Bruger::Id))
                .col(string_len(Bruger::Rolle, 32))
                .col(string_len(Bruger::Fornavn, 50))
                .col(string_len(Bruger::Mellemnavn, 40))
                .col(string_len(Bruger::Efternavn, 40))
                .col(string(Bruger::Email))
                .col(big_integer_null(Bruger::JobcenterId))
                .col(big_integer_null(Bruger::TeamId))
                .col(string_len_null(Bruger::Cvr, 8))
                .col(string_len_null(Bruger::Cpr, 10))
                .col(big_integer_null(Bruger::AndenAktoerId))
                .col(boolean(Bruger::Aktiv))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Virksomhed::Table)
                .col(string_len(Virksomhed::Cvr, 8).primary_key())
                .col(string(Virksomhed::Navn))
                .col(string(Virksomhed::Adresse))
                .col(boolean(Virksomhed::Offentlig))
                .col(boolean(Virksomhed::Konfliktramt))
                .col(boolean(Virksomhed::Spaerret))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PEnhed::Table)
                .col(string_len(PEnhed::Pnummer, 10).primary_key())
                .col(string_len(PEnhed::Cvr, 8))
                .col(string(PEnhed::Navn))
                .col(string(PEnhed::Adresse))
                .foreign_key(
                    ForeignKey::create().from(PEnhed::Table, PEnhed::Cvr).to(Virksomhed::Table, Virksomhed::Cvr),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Eindkomst::Table)
                .col(big_pk_auto(Eindkomst::Id))
                .col(string_len(Eindkomst::Cvr, 8))
                .col(string_len(Eindkomst::Maaned, 7))
                .col(big_integer(Eindkomst::FuldtidHundrededele))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DfdgBorger::Table)
                .col(string_len(DfdgBorger::Cpr, 10).primary_key())
                .col(string(DfdgBorger::Fornavn))
                .col(string(DfdgBorger::Efternavn))
                .col(string_len(DfdgBorger::Kommunekode, 4))
                .col(big_integer_null(DfdgBorger::AndenAktoerId))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Sag::Table)
                .col(big_pk_auto(Sag::Id))
                .col(string_len_uniq(Sag::Uuid, 36))
                .col(string_len(Sag::Ordning, 32))
                .col(string_len(Sag::Sagsart, 32))
                .col(string_len_null(Sag::AnsoegningStatus, 40))
                .col(string_len_null(Sag::AfgoerelseStatus, 40))
                .col(string_len_null(Sag::ForlaengelseStatus, 40))
                .col(big_integer_null(Sag::JobcenterId))
                .col(big_integer_null(Sag::TeamId))
                .col(big_integer_null(Sag::AnsvarligId))
                .col(big_integer_null(Sag::AndenAktoerId))
                .col(big_integer_null(Sag::HovedsagId))
                .col(string_len(Sag::Cvr, 8))
                .col(string_len_null(Sag::Pnummer, 10))
                .col(string_len_null(Sag::Cpr, 10))
                .col(string_null(Sag::BorgerNavn))
                .col(string_null(Sag::BorgerNavnSoeg))
                .col({
                    // The Danish sort key orders by bytes (CONVENTIONS.md rule 4). PostgreSQL
                    // servers with an ICU or language collation would reorder it; SQLite
                    // compares bytes already and knows no "C" collation.
                    let mut c = string_null(Sag::BorgerNavnSort);
                    if m.get_database_backend() == sea_orm::DbBackend::Postgres {
                        c.extra("COLLATE \"C\"");
                    }
                    c
                })
                .col(date_null(Sag::Startdato))
                .col(date_null(Sag::Slutdato))
                .col(date_null(Sag::OprindeligSlutdato))
                .col(integer_null(Sag::TimerHundrededele))
                .col(date_null(Sag::ModtagetDato))
                .col(date_null(Sag::AfgoerelseDato))
                .col(date_null(Sag::GodkendtDato))
                .col(boolean(Sag::Konfliktramt))
                .col(text(Sag::Skemadata))
                .col(big_integer_null(Sag::OprettetAf))
                .col(timestamp_with_time_zone(Sag::Oprettet))
                .col(timestamp_with_time_zone(Sag::Aendret))
                .col(big_integer(Sag::Version))
                .foreign_key(
                    ForeignKey::create().from(Sag::Table, Sag::JobcenterId).to(Jobcenter::Table, Jobcenter::Id),
                )
                .foreign_key(ForeignKey::create().from(Sag::Table, Sag::HovedsagId).to(Sag::Table, Sag::Id))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Sagselement::Table)
                .col(big_pk_auto(Sagselement::Id))
                .col(string_len_uniq(Sagselement::Uuid, 36))
                .col(big_integer(Sagselement::SagId))
                .col(string_len(Sagselement::Art, 32))
                .col(string_len(Sagselement::Status, 40))
                .col(date_null(Sagselement::Startdato))
                .col(date_null(Sagselement::Slutdato))
                .col(text(Sagselement::Data))
                .col(timestamp_with_time_zone(Sagselement::Oprettet))
                .col(timestamp_with_time_zone(Sagselement::Aendret))
                .foreign_key(ForeignKey::create().from(Sagselement::Table, Sagselement::SagId).to(Sag::Table, Sag::Id))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Sagshaendelse::Table)
                .col(big_pk_auto(Sagshaendelse::Id))
                .col(big_integer(Sagshaendelse::SagId))
                .col(timestamp_with_time_zone(Sagshaendelse::Tidspunkt))
                .col(big_integer_null(Sagshaendelse::BrugerId))
                .col(string(Sagshaendelse::Aktoer))
                .col(string_len(Sagshaendelse::Rolle, 32))
                .col(string_len(Sagshaendelse::Handling, 40))
                .col(text(Sagshaendelse::Tekst))
                .col(string_len_null(Sagshaendelse::FraStatus, 40))
                .col(string_len_null(Sagshaendelse::TilStatus, 40))
                .foreign_key(
                    ForeignKey::create().from(Sagshaendelse::Table, Sagshaendelse::SagId).to(Sag::Table, Sag::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(big_pk_auto(Outbox::Id))
                .col(string_len_uniq(Outbox::Noegle, 36))
                .col(big_integer_null(Outbox::SagId))
                .col(string_len(Outbox::Art, 32))
                .col(text(Outbox::Payload))
                .col(string_len(Outbox::Status, 16))
                .col(integer(Outbox::Forsoeg))
                .col(timestamp_with_time_zone(Outbox::NaesteForsoeg))
                .col(timestamp_with_time_zone(Outbox::Oprettet))
                .col(timestamp_with_time_zone_null(Outbox::Leveret))
                .col(text_null(Outbox::Fejl))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Link::Table)
                .col(string_len(Link::Token, 64).primary_key())
                .col(big_integer(Link::SagId))
                .col(string_len(Link::Formaal, 32))
                .col(timestamp_with_time_zone(Link::Udloeber))
                .col(boolean(Link::Brugt))
                .col(timestamp_with_time_zone(Link::Oprettet))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Session::Table)
                .col(string_len(Session::Id, 64).primary_key())
                .col(big_integer(Session::BrugerId))
                .col(timestamp_with_time_zone(Session::Udloeber))
                .col(timestamp_with_time_zone(Session::Oprettet))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Job::Table)
                .col(big_pk_auto(Job::Id))
                .col(string_len(Job::Art, 64))
                .col(text(Job::Payload))
                .col(string_len(Job::Status, 16))
                .col(timestamp_with_time_zone(Job::KoerEfter))
                .col(integer(Job::Forsoeg))
                .col(timestamp_with_time_zone(Job::Oprettet))
                .col(text_null(Job::Fejl))
                .to_owned(),
        )
        .await?;

        // The columns lists filter and sort on are first-class and indexed (issue 2 §3).
        let indekser = [
            idx("ix_team_jobcenter", Team::Table, &["jobcenter_id"]),
            idx("ix_bruger_rolle", Bruger::Table, &["rolle"]),
            idx("ix_p_enhed_cvr", PEnhed::Table, &["cvr"]),
            Index::create()
                .name("ux_eindkomst_cvr_maaned")
                .table(Eindkomst::Table)
                .col(Eindkomst::Cvr)
                .col(Eindkomst::Maaned)
                .unique()
                .to_owned(),
            idx("ix_sag_jc_ans_status", Sag::Table, &["jobcenter_id", "ansoegning_status", "modtaget_dato"]),
            idx("ix_sag_jc_afg_status", Sag::Table, &["jobcenter_id", "afgoerelse_status", "godkendt_dato"]),
            idx("ix_sag_jc_forl_status", Sag::Table, &["jobcenter_id", "forlaengelse_status"]),
            idx("ix_sag_jc_ordning", Sag::Table, &["jobcenter_id", "ordning"]),
            idx("ix_sag_jc_team", Sag::Table, &["jobcenter_id", "team_id"]),
            idx("ix_sag_ansvarlig", Sag::Table, &["ansvarlig_id"]),
            idx("ix_sag_aa", Sag::Table, &["anden_aktoer_id"]),
            idx("ix_sag_cvr", Sag::Table, &["cvr", "aendret"]),
            idx("ix_sag_pnummer", Sag::Table, &["pnummer"]),
            idx("ix_sag_cpr", Sag::Table, &["cpr"]),
            idx("ix_sag_navn_soeg", Sag::Table, &["borger_navn_soeg"]),
            idx("ix_sag_navn_sort", Sag::Table, &["borger_navn_sort"]),
            idx("ix_sag_start", Sag::Table, &["startdato"]),
            idx("ix_sag_slut", Sag::Table, &["slutdato"]),
            idx("ix_sag_timer", Sag::Table, &["timer_hundrededele"]),
            idx("ix_sag_hovedsag", Sag::Table, &["hovedsag_id"]),
            idx("ix_sagselement_sag", Sagselement::Table, &["sag_id", "art"]),
            idx("ix_sagselement_art_status", Sagselement::Table, &["art", "status"]),
            idx("ix_sagshaendelse_sag", Sagshaendelse::Table, &["sag_id", "tidspunkt"]),
            idx("ix_outbox_status", Outbox::Table, &["status", "naeste_forsoeg"]),
            idx("ix_outbox_sag", Outbox::Table, &["sag_id", "id"]),
            idx("ix_link_sag", Link::Table, &["sag_id"]),
            idx("ix_session_udloeber", Session::Table, &["udloeber"]),
            idx("ix_job_status", Job::Table, &["status", "koer_efter"]),
        ];
        for i in indekser {
            m.create_index(i).await?;
        }
        Ok(())
    }
}

/// Issue 3 §4: the general `job` table (a kind, a JSON payload, an owner, progress, a lease),
/// which replaces the foundation's placeholder of the same name. The placeholder lacked NOT
/// NULL columns (`uuid`, `fremskridt`, `aendret`) that SQLite can only add with a column
/// default, which rule 5 forbids; no code ever wrote it, so the step drops and recreates it,
/// one statement at a time (CONVENTIONS.md rule 6).
struct JobTabel;

impl MigrationName for JobTabel {
    fn name(&self) -> &str {
        "m20261202_000001_job"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum NytJob {
    #[sea_orm(iden = "job")]
    Table,
    Id,
    Uuid,
    Art,
    Payload,
    Status,
    BrugerId,
    Fremskridt,
    Total,
    Resultat,
    Fejl,
    Forsoeg,
    KoerEfter,
    LaastTil,
    Oprettet,
    Aendret,
}

#[async_trait::async_trait]
impl MigrationTrait for JobTabel {
    /// One transaction on SQLite too (SQLite's DDL is transactional): every statement runs
    /// on one connection, so a pooled connection with an older schema snapshot cannot see
    /// the dropped table's index, and a failure leaves the old table in place.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Job::Table).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(NytJob::Table)
                .col(big_pk_auto(NytJob::Id))
                .col(string_len_uniq(NytJob::Uuid, 36))
                .col(string_len(NytJob::Art, 64))
                .col(text(NytJob::Payload))
                .col(string_len(NytJob::Status, 16))
                .col(big_integer_null(NytJob::BrugerId))
                .col(big_integer(NytJob::Fremskridt))
                .col(big_integer_null(NytJob::Total))
                .col(text_null(NytJob::Resultat))
                .col(text_null(NytJob::Fejl))
                .col(integer(NytJob::Forsoeg))
                .col(timestamp_with_time_zone(NytJob::KoerEfter))
                .col(timestamp_with_time_zone_null(NytJob::LaastTil))
                .col(timestamp_with_time_zone(NytJob::Oprettet))
                .col(timestamp_with_time_zone(NytJob::Aendret))
                .to_owned(),
        )
        .await?;
        // Claiming reads by status and time; the page of a job reads by owner.
        m.create_index(idx("ix_job_status", NytJob::Table, &["status", "koer_efter"])).await?;
        m.create_index(idx("ix_job_bruger", NytJob::Table, &["bruger_id", "art", "status"])).await?;
        m.create_index(idx("ix_job_aendret", NytJob::Table, &["aendret"])).await?;
        Ok(())
    }
}

/// The maintained counts behind exact list totals at scale (issue 3 §5; `crate::taelling`).
struct SagAntal;

impl MigrationName for SagAntal {
    fn name(&self) -> &str {
        "m20261202_000002_sag_antal"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for SagAntal {
    /// One transaction on SQLite too, as `JobTabel`: the table, its indexes and its first
    /// counts appear together or not at all.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use crate::taelling::SagAntal as T;
        m.create_table(
            Table::create()
                .table(T::Table)
                .col(big_pk_auto(T::Id))
                .col(string_len(T::Noegle, 200))
                .col(big_integer_null(T::JobcenterId))
                .col(big_integer_null(T::AndenAktoerId))
                .col(string_len(T::Ordning, 32))
                .col(string_len(T::Sagsart, 32))
                .col(string_len_null(T::AnsoegningStatus, 48))
                .col(string_len_null(T::AfgoerelseStatus, 48))
                .col(string_len_null(T::ForlaengelseStatus, 48))
                .col(boolean(T::Tillaeg))
                .col(big_integer(T::Antal))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ux_sag_antal_noegle").table(T::Table).col(T::Noegle).unique().to_owned())
            .await?;
        m.create_index(idx("ix_sag_antal_jobcenter", T::Table, &["jobcenter_id"])).await?;
        m.create_index(idx("ix_sag_antal_aa", T::Table, &["anden_aktoer_id"])).await?;
        // A database that already holds cases gets their counts now. This step uses the
        // taelling module as it is today; a later change of the groups comes with a step of its
        // own that recomputes them.
        crate::taelling::genopbyg(m.get_connection())
            .await
            .map_err(|e| DbErr::Migration(format!("sag_antal kunne ikke udfyldes: {e}")))
    }
}

/// A company's lists are scoped by CVR, which the maintained counts do not carry: their
/// totals are COUNT(*) over the CVR's cases, and with only `(cvr, aendret)` PostgreSQL read
/// the heap for the status of each (100 ms for the company with most cases at 1M; 1.3 ms as
/// an index-only count with this index; docs/benchmarks.md).
struct VirksomhedsIndeks;

impl MigrationName for VirksomhedsIndeks {
    fn name(&self) -> &str {
        "m20261202_000003_sag_cvr_afgoerelse"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for VirksomhedsIndeks {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(idx("ix_sag_cvr_afg_status", Sag::Table, &["cvr", "afgoerelse_status"])).await
    }
}

/// Forlængelser "Afventer jobcenter" in the default order (newest id first): with
/// `(jobcenter_id, forlaengelse_status)` PostgreSQL fetched and sorted all 56,000 of
/// København's waiting extensions at 10M cases (245 ms); with the id last in the index it
/// reads the 50 newest backwards (0.1 ms; docs/benchmarks.md). The new index covers the old
/// one's columns, so the old one goes.
struct ForlaengelseIndeks;

impl MigrationName for ForlaengelseIndeks {
    fn name(&self) -> &str {
        "m20261202_000004_sag_forlaengelse_id"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for ForlaengelseIndeks {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(idx("ix_sag_jc_forl_status_id", Sag::Table, &["jobcenter_id", "forlaengelse_status", "id"]))
            .await?;
        m.drop_index(Index::drop().name("ix_sag_jc_forl_status").table(Sag::Table).to_owned()).await
    }
}

/// Issue 3 §5: list pages PostgreSQL fetched and sorted in full at 10M cases, now read in
/// index order (docs/benchmarks.md, decision 48):
/// - Ophør, and a jobcentre's grants of one status, by end date: `(jobcenter_id,
///   afgoerelse_status, slutdato, id)`;
/// - a caseworker's own cases ("Medarbejder" filter) by end date, and their total: the
///   maintained counts have no caseworker, so that total is COUNT(*), which read one heap page
///   per case (95 ms for 7,200 grants). `(ansvarlig_id, slutdato, id)` orders the page; the
///   status, scope and kind columns after it let the count read the index alone (3 ms). It
///   covers the old `(ansvarlig_id)` index, so that one goes.
struct ListeIndekser;

impl MigrationName for ListeIndekser {
    fn name(&self) -> &str {
        "m20261204_000001_sag_liste_indekser"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for ListeIndekser {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(idx("ix_sag_jc_afg_slut", Sag::Table, &["jobcenter_id", "afgoerelse_status", "slutdato", "id"]))
            .await?;
        m.create_index(idx(
            "ix_sag_ansvarlig_liste",
            Sag::Table,
            &[
                "ansvarlig_id",
                "slutdato",
                "id",
                "jobcenter_id",
                "afgoerelse_status",
                "ansoegning_status",
                "forlaengelse_status",
                "sagsart",
                "ordning",
                "hovedsag_id",
            ],
        ))
        .await?;
        m.drop_index(Index::drop().name("ix_sag_ansvarlig").table(Sag::Table).to_owned()).await
    }
}

/// Issue 15, decision 52: every list column sorts on a column of the case, so an index can
/// give the order. Scheme and the three statuses sorted through a `CASE` rank computed per
/// query (Søg → Bevillinger by status, national: 760 ms at 1M cases), team and caseworker
/// through a `CASE` over every caseworker in scope (1,700 branches nationally: 2.1 s).
/// - `ordning_rang` and the three `…_status_rang` are generated columns: the database derives
///   them from the row's own codes in the Danish order of their names
///   ([`RANGORDEN_2026_12`]), so no write path can forget them. STORED on PostgreSQL; SQLite
///   can add only VIRTUAL columns with ALTER TABLE, and indexes them alike.
/// - `team_sort` and `ansvarlig_sort` hold the team's and the caseworker's sort key
///   (`lister::navnenoegle`): names live in other tables, so `sager::udfoer` writes them with
///   the ids, and this step fills them in for the cases there are.
/// - Indexes give a jobcentre's lists in each of these orders, and `(anden_aktoer_id, id)`
///   gives an Anden Aktør's cases newest first (the front page, decision 51).
struct SorteringsNoegler;

/// The rank columns as this step defines them: each code in the Danish order of its name
/// (`lister::rangorden`) in December 2026. A migration must give the same schema whenever it
/// runs, so the orders are written out here; the test `rangordenen_er_de_danske_navnes`
/// fails when a status or scheme is added or renamed, and a new step must then redefine the
/// column (decision 52).
pub(crate) const RANGORDEN_2026_12: [(&str, &str, &[&str]); 4] = [
    (
        "ordning_rang",
        "ordning",
        &[
            "fleksjob",
            "hjaelpemiddel",
            "igu",
            "jobrotation",
            "loentilskud",
            "mentor",
            "nytteindsats",
            "personlig_assistent",
            "virksomhedspraktik",
            "voksenlaerling",
        ],
    ),
    (
        "ansoegning_status_rang",
        "ansoegning_status",
        &["afvist_af_medarbejder_rep", "afvist", "godkendt", "kladde", "modtaget", "sendt_til_medarbejder_rep"],
    ),
    (
        "afgoerelse_status_rang",
        "afgoerelse_status",
        &[
            "afventer_borger",
            "afventer_virksomhed",
            "ikke_godkendt",
            "bevilling_udarbejdet",
            "godkendt_af_virksomhed",
            "ophoert",
        ],
    ),
    ("forlaengelse_status_rang", "forlaengelse_status", &["afventer_jobcenter", "bortfaldet", "afvist", "godkendt"]),
];

/// `ALTER TABLE sag ADD COLUMN navn … GENERATED ALWAYS AS (CASE kol WHEN 'a' THEN 0 WHEN 'b'
/// THEN 1 … END)`: an unknown code (or NULL) ranks NULL, an empty cell sorted last. The codes
/// are constants of the migrations, no input.
fn rangkolonne(navn: &str, kol: &str, orden: &[&str], postgres: bool) -> String {
    let mut udtryk = format!("CASE {kol}");
    for (i, kode) in orden.iter().enumerate() {
        udtryk.push_str(&format!(" WHEN '{kode}' THEN {i}"));
    }
    udtryk.push_str(" END");
    let art = if postgres { "STORED" } else { "VIRTUAL" };
    format!("ALTER TABLE sag ADD COLUMN {navn} BIGINT GENERATED ALWAYS AS ({udtryk}) {art}")
}

/// The rank columns as they stand after the last step that redefined one: the test
/// `rangordenen_er_de_danske_navnes` holds them to today's Danish names.
#[cfg(test)]
pub(crate) fn gaeldende_rangorden() -> Vec<(&'static str, &'static str, &'static [&'static str])> {
    RANGORDEN_2026_12
        .into_iter()
        .map(|(navn, kol, orden)| if navn == RANGORDEN_AFTALE.0 { RANGORDEN_AFTALE } else { (navn, kol, orden) })
        .collect()
}

impl MigrationName for SorteringsNoegler {
    fn name(&self) -> &str {
        "m20261204_000002_sag_sorteringsnoegler"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for SorteringsNoegler {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let postgres = m.get_database_backend() == sea_orm::DbBackend::Postgres;
        for (navn, kol, orden) in RANGORDEN_2026_12 {
            m.get_connection().execute_unprepared(&rangkolonne(navn, kol, orden, postgres)).await?;
        }
        for kol in ["team_sort", "ansvarlig_sort"] {
            m.alter_table(Table::alter().table(Sag::Table).add_column(text_null(Alias::new(kol))).to_owned()).await?;
        }
        // The keys are computed in Rust (rule 4) into a scratch table, then written in one
        // pass over the cases: one UPDATE per team and caseworker scanned the table each time.
        let c = m.get_connection();
        let (teams, folk) = crate::lister::alle_ansvar_noegler(c)
            .await
            .map_err(|e| DbErr::Migration(format!("sorteringsnøglerne kunne ikke læses: {e}")))?;
        let tmp = Alias::new("sorteringsnoegle_ny");
        m.create_table(
            Table::create()
                .table(tmp.clone())
                .col(string_len(Alias::new("art"), 8))
                .col(big_integer(Alias::new("id")))
                .col(text(Alias::new("noegle")))
                .primary_key(Index::create().col(Alias::new("art")).col(Alias::new("id")))
                .to_owned(),
        )
        .await?;
        let raekker: Vec<(&str, i64, String)> = teams
            .into_iter()
            .map(|(id, n)| ("team", id, n))
            .chain(folk.into_iter().map(|(id, n)| ("folk", id, n)))
            .collect();
        for del in raekker.chunks(500) {
            let mut q = Query::insert();
            q.into_table(tmp.clone()).columns([Alias::new("art"), Alias::new("id"), Alias::new("noegle")]);
            for (art, id, noegle) in del {
                q.values([Expr::val(*art), Expr::val(*id), Expr::val(noegle.clone())])
                    .map_err(|e| DbErr::Migration(e.to_string()))?;
            }
            m.exec_stmt(q.to_owned()).await?;
        }
        let noegle = |art: &str, id_kol: &str| {
            SimpleExpr::SubQuery(
                None,
                Box::new(
                    Query::select()
                        .column(Alias::new("noegle"))
                        .from(tmp.clone())
                        .and_where(Expr::col((tmp.clone(), Alias::new("art"))).eq(art))
                        .and_where(Expr::col((tmp.clone(), Alias::new("id"))).equals((Sag::Table, Alias::new(id_kol))))
                        .to_owned()
                        .into_sub_query_statement(),
                ),
            )
        };
        m.exec_stmt(
            Query::update()
                .table(Sag::Table)
                .value(Alias::new("team_sort"), noegle("team", "team_id"))
                .value(Alias::new("ansvarlig_sort"), noegle("folk", "ansvarlig_id"))
                .cond_where(
                    Condition::any()
                        .add(Expr::col(Alias::new("team_id")).is_not_null())
                        .add(Expr::col(Alias::new("ansvarlig_id")).is_not_null()),
                )
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(tmp).to_owned()).await?;
        for (navn, kolonner) in [
            ("ix_sag_jc_ordning_rang", ["jobcenter_id", "ordning_rang", "id"]),
            ("ix_sag_jc_ans_rang", ["jobcenter_id", "ansoegning_status_rang", "id"]),
            ("ix_sag_jc_afg_rang", ["jobcenter_id", "afgoerelse_status_rang", "id"]),
            ("ix_sag_jc_forl_rang", ["jobcenter_id", "forlaengelse_status_rang", "id"]),
            ("ix_sag_jc_team_sort", ["jobcenter_id", "team_sort", "id"]),
            ("ix_sag_jc_ansvarlig_sort", ["jobcenter_id", "ansvarlig_sort", "id"]),
            // The date columns: a jobcentre's list sorted on a date walked the national date
            // index past every other jobcentre's cases (2 s for a small one at 1M).
            ("ix_sag_jc_modtaget", ["jobcenter_id", "modtaget_dato", "id"]),
            ("ix_sag_jc_godkendt", ["jobcenter_id", "godkendt_dato", "id"]),
            ("ix_sag_jc_start", ["jobcenter_id", "startdato", "id"]),
            ("ix_sag_jc_slut", ["jobcenter_id", "slutdato", "id"]),
        ] {
            m.create_index(idx(navn, Sag::Table, &kolonner)).await?;
        }
        // STAR's national lists by scheme or status read these in order.
        for (navn, kol) in [
            ("ix_sag_ordning_rang", "ordning_rang"),
            ("ix_sag_ans_rang", "ansoegning_status_rang"),
            ("ix_sag_afg_rang", "afgoerelse_status_rang"),
            ("ix_sag_forl_rang", "forlaengelse_status_rang"),
        ] {
            m.create_index(idx(navn, Sag::Table, &[kol, "id"])).await?;
        }
        m.create_index(idx("ix_sag_aa_id", Sag::Table, &["anden_aktoer_id", "id"])).await?;
        m.drop_index(Index::drop().name("ix_sag_aa").table(Sag::Table).to_owned()).await
    }
}

/// Issue 14 §1: the demo login admits only the users the demo seed made, so each user says
/// whether it is one (decision 54). A database seeded before this step has the demo API
/// client; there the demo seed's users, known by their e-mail addresses, are marked.
struct DemoMarkering;

impl MigrationName for DemoMarkering {
    fn name(&self) -> &str {
        "m20261204_000003_bruger_demo"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for DemoMarkering {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Bruger::Table).add_column(boolean(Bruger::Demo).default(false)).to_owned())
            .await?;
        let emails = crate::demo::bruger_emails();
        let c = m.get_connection();
        let backend = c.get_database_backend();
        let mut pladser = Vec::new();
        let mut vaerdier: Vec<sea_orm::Value> = vec![crate::demo::DEMO_API_KLIENT_ID.into()];
        for (i, e) in emails.into_iter().enumerate() {
            pladser.push(if backend == sea_orm::DbBackend::Postgres { format!("${}", i + 2) } else { "?".into() });
            vaerdier.push(e.into());
        }
        let klient = if backend == sea_orm::DbBackend::Postgres { "$1" } else { "?" };
        let sql = format!(
            "UPDATE bruger SET demo = TRUE WHERE EXISTS (SELECT 1 FROM api_klient WHERE klient_id = {klient}) \
             AND email IN ({})",
            pladser.join(", ")
        );
        c.execute_raw(sea_orm::Statement::from_sql_and_values(backend, sql, vaerdier)).await?;
        Ok(())
    }
}

/// Issue 14 §3 and seed 003: the company's confirmation of the citizen's consent before it
/// enters a CPR, one row per consent: who, when, and the text version (decision 67).
struct SamtykkeTabel;

impl MigrationName for SamtykkeTabel {
    fn name(&self) -> &str {
        "m20261204_000005_samtykke"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Samtykke {
    Table,
    Id,
    SagId,
    BrugerId,
    Aktoer,
    Tidspunkt,
    TekstVersion,
}

#[async_trait::async_trait]
impl MigrationTrait for SamtykkeTabel {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Samtykke::Table)
                .col(big_pk_auto(Samtykke::Id))
                .col(big_integer(Samtykke::SagId))
                .col(big_integer_null(Samtykke::BrugerId))
                .col(text(Samtykke::Aktoer))
                .col(timestamp_with_time_zone(Samtykke::Tidspunkt))
                .col(string_len(Samtykke::TekstVersion, 32))
                .foreign_key(ForeignKey::create().from(Samtykke::Table, Samtykke::SagId).to(Sag::Table, Sag::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("ix_samtykke_sag", Samtykke::Table, &["sag_id", "tidspunkt"])).await
    }
}

/// Issue 14 §3: the access log and the CPR numbers of each entry (decision 68). The key of
/// `adgangslog_cpr` starts with the CPR, so a citizen's extract reads one index range.
struct AdgangslogTabel;

impl MigrationName for AdgangslogTabel {
    fn name(&self) -> &str {
        "m20261204_000006_adgangslog"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Adgangslog {
    Table,
    Id,
    Tidspunkt,
    BrugerId,
    ApiKlientId,
    Rolle,
    Formaal,
    Hvad,
    AntalCpr,
    Forrige,
    Hash,
}

#[derive(DeriveIden, Clone, Copy)]
enum AdgangslogCpr {
    Table,
    Cpr,
    LogId,
}

#[async_trait::async_trait]
impl MigrationTrait for AdgangslogTabel {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Adgangslog::Table)
                .col(big_pk_auto(Adgangslog::Id))
                .col(timestamp_with_time_zone(Adgangslog::Tidspunkt))
                .col(big_integer_null(Adgangslog::BrugerId))
                .col(big_integer_null(Adgangslog::ApiKlientId))
                .col(string_len(Adgangslog::Rolle, 32))
                .col(string_len(Adgangslog::Formaal, 16))
                .col(text(Adgangslog::Hvad))
                .col(big_integer(Adgangslog::AntalCpr))
                .col(string_len(Adgangslog::Forrige, 64))
                .col(string_len(Adgangslog::Hash, 64))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AdgangslogCpr::Table)
                .col(string_len(AdgangslogCpr::Cpr, 10))
                .col(big_integer(AdgangslogCpr::LogId))
                .primary_key(Index::create().col(AdgangslogCpr::Cpr).col(AdgangslogCpr::LogId))
                .foreign_key(
                    ForeignKey::create()
                        .from(AdgangslogCpr::Table, AdgangslogCpr::LogId)
                        .to(Adgangslog::Table, Adgangslog::Id),
                )
                .to_owned(),
        )
        .await?;
        // The verification reads an entry's CPR numbers by the entry.
        m.create_index(idx("ix_adgangslog_cpr_log", AdgangslogCpr::Table, &["log_id"])).await
    }
}

/// Issue 4 §1–2: the outbox becomes a delivery queue. A notification row is the published
/// event (`publiceret`, read by the pull feed per jobcentre); each webhook subscriber of the
/// case's jobcentre gets a delivery row of its own, claimed under a lease (`laast_til`), in
/// order per case and subscriber (`kanal`). `genoptaget` restarts the delivery window when an
/// administrator replays a dead letter. Every new column is nullable, so SQLite can add it
/// without a default (rule 5), one ALTER per step (rule 6).
struct OutboxLevering;

impl MigrationName for OutboxLevering {
    fn name(&self) -> &str {
        "m20261203_000001_outbox"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum OutboxNy {
    #[sea_orm(iden = "outbox")]
    Table,
    Id,
    Kanal,
    LaastTil,
    JobcenterKode,
    Genoptaget,
    Art,
    Status,
}

#[derive(DeriveIden, Clone, Copy)]
enum WebhookAbonnent {
    Table,
    Id,
    JobcenterKode,
    Url,
    Hemmelighed,
    Aktiv,
    Oprettet,
}

#[async_trait::async_trait]
impl MigrationTrait for OutboxLevering {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let kolonner = [
            ColumnDef::new(OutboxNy::Kanal).string_len(64).null().to_owned(),
            ColumnDef::new(OutboxNy::LaastTil).timestamp_with_time_zone().null().to_owned(),
            ColumnDef::new(OutboxNy::JobcenterKode).string_len(8).null().to_owned(),
            ColumnDef::new(OutboxNy::Genoptaget).timestamp_with_time_zone().null().to_owned(),
        ];
        for mut k in kolonner {
            m.alter_table(Table::alter().table(OutboxNy::Table).add_column(&mut k).to_owned()).await?;
        }
        // Notifications written before this step are events, not deliveries: publish them
        // so the claim never scans them.
        m.exec_stmt(
            Query::update()
                .table(OutboxNy::Table)
                .value(OutboxNy::Status, "publiceret")
                .and_where(Expr::col(OutboxNy::Art).eq("notifikation"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(WebhookAbonnent::Table)
                .col(big_pk_auto(WebhookAbonnent::Id))
                .col(string_len(WebhookAbonnent::JobcenterKode, 8))
                .col(string_len(WebhookAbonnent::Url, 2000))
                .col(string_len(WebhookAbonnent::Hemmelighed, 200))
                .col(boolean(WebhookAbonnent::Aktiv))
                .col(timestamp_with_time_zone(WebhookAbonnent::Oprettet))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("ix_webhook_abonnent_jc", WebhookAbonnent::Table, &["jobcenter_kode", "aktiv"])).await?;
        // The claim walks the waiting rows in id order and stops at its limit. A partial
        // index holds only them, so delivered rows never slow it down, and PostgreSQL's planner
        // cannot prefer the primary key (it did with `(status, id)`: 100 ms a claim at 20,000
        // waiting rows, docs/benchmarks.md).
        m.create_index(
            Index::create()
                .name("ix_outbox_venter")
                .table(OutboxNy::Table)
                .col(OutboxNy::Id)
                .and_where(Expr::col(OutboxNy::Status).eq("afventer"))
                .to_owned(),
        )
        .await?;
        // `(status, naeste_forsoeg)` from the foundation served no query once the claim
        // walks the partial index; every status change paid for it.
        m.drop_index(Index::drop().name("ix_outbox_status").table(OutboxNy::Table).to_owned()).await?;
        // The pull feed: one jobcentre's notifications after a cursor.
        m.create_index(idx("ix_outbox_feed", OutboxNy::Table, &["art", "jobcenter_kode", "id"])).await
    }
}

/// Issue 14: an API client may expire. `api_klient.udloeber` is nullable (no expiry), so
/// SQLite adds it without a default (rule 5), in one ALTER (rule 6).
struct ApiKlientUdloeb;

impl MigrationName for ApiKlientUdloeb {
    fn name(&self) -> &str {
        "m20261204_000004_api_klient_udloeb"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum ApiKlient {
    Table,
    Udloeber,
}

#[async_trait::async_trait]
impl MigrationTrait for ApiKlientUdloeb {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ApiKlient::Table)
                .add_column(ColumnDef::new(ApiKlient::Udloeber).timestamp_with_time_zone().null())
                .to_owned(),
        )
        .await
    }
}

/// Issue 14 §3, retention and deletion (docs/decisions.md 75–78): when a case's personal data
/// was removed (`sag.persondata_fjernet`, nullable so SQLite adds it without a default, rule
/// 5), the holds that keep it (`opbevaringshold`: a complaint or an archive hold, lifted by
/// setting `ophaevet`), and the deletion log (`sletning`), which holds no personal data.
struct Opbevaring;

impl MigrationName for Opbevaring {
    fn name(&self) -> &str {
        "m20261204_000007_opbevaring"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum SagFjernet {
    #[sea_orm(iden = "sag")]
    Table,
    PersondataFjernet,
}

#[derive(DeriveIden, Clone, Copy)]
enum Opbevaringshold {
    Table,
    Id,
    SagId,
    Art,
    Oprettet,
    Ophaevet,
}

#[derive(DeriveIden, Clone, Copy)]
enum Sletning {
    Table,
    Id,
    Tidspunkt,
    Art,
    SagId,
    Regel,
    Felter,
    Raekker,
    TilLogId,
    SidsteHash,
}

#[async_trait::async_trait]
impl MigrationTrait for Opbevaring {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(SagFjernet::Table)
                .add_column(ColumnDef::new(SagFjernet::PersondataFjernet).timestamp_with_time_zone().null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Opbevaringshold::Table)
                .col(big_pk_auto(Opbevaringshold::Id))
                .col(big_integer(Opbevaringshold::SagId))
                .col(string_len(Opbevaringshold::Art, 16))
                .col(timestamp_with_time_zone(Opbevaringshold::Oprettet))
                .col(timestamp_with_time_zone_null(Opbevaringshold::Ophaevet))
                .foreign_key(
                    ForeignKey::create().from(Opbevaringshold::Table, Opbevaringshold::SagId).to(Sag::Table, Sag::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(idx("ix_opbevaringshold_sag", Opbevaringshold::Table, &["sag_id", "ophaevet"])).await?;
        m.create_table(
            Table::create()
                .table(Sletning::Table)
                .col(big_pk_auto(Sletning::Id))
                .col(timestamp_with_time_zone(Sletning::Tidspunkt))
                .col(string_len(Sletning::Art, 16))
                .col(big_integer_null(Sletning::SagId))
                .col(string_len(Sletning::Regel, 64))
                .col(big_integer(Sletning::Felter))
                .col(big_integer(Sletning::Raekker))
                .col(big_integer_null(Sletning::TilLogId))
                .col(string_len_null(Sletning::SidsteHash, 64))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("ix_sletning_art", Sletning::Table, &["art", "id"])).await?;
        // The job looks for cases in an end state whose data is still there.
        m.create_index(idx("ix_sag_persondata_fjernet", Sag::Table, &["persondata_fjernet", "id"])).await
    }
}

/// Issue 14 §3, decision 79: the access log keeps a keyed hash (HMAC-SHA256) of each CPR, not
/// the CPR. `adgangslog_cpr.cpr` is ten characters wide, so the hashes get a table of their
/// own, keyed (hash, entry) like the old one; `storage::adgangslog::omlaeg_klartekst` moves
/// the plaintext rows over with the server's key, which a migration does not have.
struct AdgangslogNoegle;

impl MigrationName for AdgangslogNoegle {
    fn name(&self) -> &str {
        "m20261204_000008_adgangslog_noegle"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum AdgangslogPerson {
    Table,
    CprHmac,
    LogId,
}

#[async_trait::async_trait]
impl MigrationTrait for AdgangslogNoegle {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AdgangslogPerson::Table)
                .col(string_len(AdgangslogPerson::CprHmac, 64))
                .col(big_integer(AdgangslogPerson::LogId))
                .primary_key(Index::create().col(AdgangslogPerson::CprHmac).col(AdgangslogPerson::LogId))
                .foreign_key(
                    ForeignKey::create()
                        .from(AdgangslogPerson::Table, AdgangslogPerson::LogId)
                        .to(Adgangslog::Table, Adgangslog::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(idx("ix_adgangslog_person_log", AdgangslogPerson::Table, &["log_id"])).await
    }
}

/// Issue 14 §1: login through OpenID Connect (decision 70). A person is known by the
/// provider's subject (`bruger.ekstern_id`); a session remembers which login service made it,
/// so that logging out also logs out there; and each login under way is a row until the
/// provider answers, used once (`login_forsoeg`, keyed by the SHA-256 of its `state`).
/// Nullable columns, one ALTER each (rules 5 and 6).
struct LoginTabeller;

impl MigrationName for LoginTabeller {
    fn name(&self) -> &str {
        "m20261204_000009_login"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum LoginBruger {
    #[sea_orm(iden = "bruger")]
    Table,
    EksternId,
}

#[derive(DeriveIden, Clone, Copy)]
enum LoginSession {
    #[sea_orm(iden = "session")]
    Table,
    Udbyder,
}

#[derive(DeriveIden, Clone, Copy)]
enum LoginForsoeg {
    Table,
    Id,
    Profil,
    Nonce,
    Pkce,
    Videre,
    Oprettet,
}

#[async_trait::async_trait]
impl MigrationTrait for LoginTabeller {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(LoginBruger::Table)
                .add_column(ColumnDef::new(LoginBruger::EksternId).text().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_bruger_ekstern_id")
                .table(LoginBruger::Table)
                .col(LoginBruger::EksternId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(LoginSession::Table)
                .add_column(ColumnDef::new(LoginSession::Udbyder).string_len(16).null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LoginForsoeg::Table)
                .col(string_len(LoginForsoeg::Id, 64).primary_key())
                .col(string_len(LoginForsoeg::Profil, 16))
                .col(text(LoginForsoeg::Nonce))
                .col(text(LoginForsoeg::Pkce))
                .col(text(LoginForsoeg::Videre))
                .col(timestamp_with_time_zone(LoginForsoeg::Oprettet))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("ix_login_forsoeg_oprettet", LoginForsoeg::Table, &["oprettet"])).await
    }
}

/// Issue 14 §3 "not in URLs": a list search by CPR or name is kept here, and the list's
/// address names it only by a random key (decision 80). Rows are short-lived and bound to the
/// user who searched.
struct SoegefilterTabel;

impl MigrationName for SoegefilterTabel {
    fn name(&self) -> &str {
        "m20261204_000010_soegefilter"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Soegefilter {
    Table,
    Noegle,
    BrugerId,
    Indhold,
    Udloeber,
}

#[async_trait::async_trait]
impl MigrationTrait for SoegefilterTabel {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Soegefilter::Table)
                .col(string_len(Soegefilter::Noegle, 64).primary_key())
                .col(big_integer(Soegefilter::BrugerId))
                .col(text(Soegefilter::Indhold))
                .col(timestamp_with_time_zone(Soegefilter::Udloeber))
                .to_owned(),
        )
        .await?;
        // A user's same search again finds its row; the clean-up reads the expired ones.
        m.create_index(idx("ix_soegefilter_bruger", Soegefilter::Table, &["bruger_id"])).await?;
        m.create_index(idx("ix_soegefilter_udloeber", Soegefilter::Table, &["udloeber"])).await
    }
}

/// Issue 13 §1: the stored form names its scheme (`domain::skema::Skemadata`, decision 86), so
/// a case can never be read as another scheme's form. Every stored form gets the tag of its
/// case's own `ordning`, put first in the object. Text operations only, the same on both
/// databases: PostgreSQL's jsonb would refuse a form that holds an escaped NUL (decision 55).
struct SkemadataOrdning;

impl MigrationName for SkemadataOrdning {
    fn name(&self) -> &str {
        "m20261204_000011_skemadata_ordning"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for SkemadataOrdning {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // serde_json writes a form as `{"key":…}` with no spaces, and `{}` when empty; a row
        // that is not an object is left as it is (and stays an error to read).
        m.get_connection()
            .execute_unprepared(
                "UPDATE sag SET skemadata = CASE \
                   WHEN TRIM(skemadata) IN ('', '{}') THEN '{\"ordning\":\"' || ordning || '\"}' \
                   ELSE '{\"ordning\":\"' || ordning || '\",' || SUBSTR(LTRIM(skemadata), 2) END \
                 WHERE skemadata NOT LIKE '{\"ordning\":%' \
                   AND (TRIM(skemadata) = '' OR LTRIM(skemadata) LIKE '{%')",
            )
            .await?;
        Ok(())
    }
}

/// The application statuses of an agreement the citizen signs, "Sendt til borgeren" and
/// "Afvist af borgeren" (issue 13 §2, decision 97), ranked in the Danish order of the names.
pub(crate) const RANGORDEN_AFTALE: (&str, &str, &[&str]) = (
    "ansoegning_status_rang",
    "ansoegning_status",
    &[
        "afvist_af_borger",
        "afvist_af_medarbejder_rep",
        "afvist",
        "godkendt",
        "kladde",
        "modtaget",
        "sendt_til_borger",
        "sendt_til_medarbejder_rep",
    ],
);

/// Decision 52: a new status needs its rank column redefined. The generated column cannot be
/// altered in place on SQLite, so its two indexes and the column go, and come back with the
/// new order ([`RANGORDEN_AFTALE`]); the database computes it for every case there is.
struct AnsoegningsrangAftale;

impl MigrationName for AnsoegningsrangAftale {
    fn name(&self) -> &str {
        "m20261205_000001_ansoegningsrang_aftale"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for AnsoegningsrangAftale {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let postgres = m.get_database_backend() == sea_orm::DbBackend::Postgres;
        let (navn, kol, orden) = RANGORDEN_AFTALE;
        for indeks in ["ix_sag_jc_ans_rang", "ix_sag_ans_rang"] {
            m.drop_index(Index::drop().name(indeks).table(Sag::Table).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(Sag::Table).drop_column(Alias::new(navn)).to_owned()).await?;
        m.get_connection().execute_unprepared(&rangkolonne(navn, kol, orden, postgres)).await?;
        m.create_index(idx("ix_sag_jc_ans_rang", Sag::Table, &["jobcenter_id", navn, "id"])).await?;
        m.create_index(idx("ix_sag_ans_rang", Sag::Table, &[navn, "id"])).await
    }
}

/// Seed 004: an application that is not earmarked needs no CPR, and without one it goes to the
/// jobcentre of the workplace's municipality (decision 102). The CVR register gives a P-unit's
/// municipality; units stored before have none (NULL), and such an application is refused with
/// a Danish message until the register is read again.
struct PEnhedKommune;

impl MigrationName for PEnhedKommune {
    fn name(&self) -> &str {
        "m20261205_000012_p_enhed_kommune"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for PEnhedKommune {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(PEnhed::Table).add_column(string_len_null(PEnhed::Kommunekode, 4)).to_owned(),
        )
        .await
    }
}

/// Decision 105: the form moves out of the case row into `sag_skema`, so the lists' scans read
/// a case table of the size they did before every case carried its filled form (about 2.5
/// times smaller at 1M; docs/benchmarks.md). Decision 106: `sag_person` holds the other
/// citizens a sent form names (a jobrotation's further substitutes), so the CPR filter finds
/// the case by any of them; it is filled here from the forms there are.
///
/// The old column is dropped in the same step: a release that still reads `sag.skemadata`
/// cannot serve beside this one. On PostgreSQL the drop frees no space until the table is
/// rewritten (`VACUUM FULL sag` in a maintenance window; docs/benchmarks.md gives the time).
struct SagSkemaOgPersoner;

impl MigrationName for SagSkemaOgPersoner {
    fn name(&self) -> &str {
        "m20261205_000020_sag_skema_og_personer"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum SagSkema {
    Table,
    SagId,
    Skemadata,
}

#[derive(DeriveIden, Clone, Copy)]
enum SagPerson {
    Table,
    SagId,
    Cpr,
}

#[async_trait::async_trait]
impl MigrationTrait for SagSkemaOgPersoner {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SagSkema::Table)
                .col(big_integer(SagSkema::SagId).primary_key())
                .col(text(SagSkema::Skemadata))
                .foreign_key(ForeignKey::create().from(SagSkema::Table, SagSkema::SagId).to(Sag::Table, Sag::Id))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared("INSERT INTO sag_skema (sag_id, skemadata) SELECT id, skemadata FROM sag").await?;
        m.alter_table(Table::alter().table(Sag::Table).drop_column(Alias::new("skemadata")).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(SagPerson::Table)
                .col(big_integer(SagPerson::SagId))
                .col(string_len(SagPerson::Cpr, 10))
                .primary_key(Index::create().col(SagPerson::SagId).col(SagPerson::Cpr))
                .foreign_key(ForeignKey::create().from(SagPerson::Table, SagPerson::SagId).to(Sag::Table, Sag::Id))
                .to_owned(),
        )
        .await?;
        // The CPR filter looks a citizen up by the number.
        m.create_index(idx("ix_sag_person_cpr", SagPerson::Table, &["cpr", "sag_id"])).await?;
        // Only a sent case is found by CPR (its `cpr` column is set when it is sent). The forms
        // of the schemes that can name more than one citizen are read here, a page at a time,
        // as the write path reads them (`sager::oevrige_personer`).
        let backend = m.get_database_backend();
        let ph = |n: usize| if backend == sea_orm::DbBackend::Postgres { format!("${n}") } else { "?".into() };
        for ordning in domain::ordning::Ordning::ALLE {
            if !domain::skema::Skemadata::kan_naevne_flere_personer(ordning) {
                continue;
            }
            let mut efter = 0i64;
            loop {
                let side = db
                    .query_all_raw(sea_orm::Statement::from_sql_and_values(
                        backend,
                        format!(
                            "SELECT s.id, k.skemadata FROM sag s JOIN sag_skema k ON k.sag_id = s.id \
                             WHERE s.ordning = {} AND s.id > {} AND s.cpr IS NOT NULL \
                             AND s.persondata_fjernet IS NULL ORDER BY s.id LIMIT 2000",
                            ph(1),
                            ph(2)
                        ),
                        [ordning.kode().into(), efter.into()],
                    ))
                    .await?;
                let Some(sidste) = side.last() else { break };
                efter = sidste.try_get("", "id")?;
                for r in side {
                    let (id, json): (i64, String) = (r.try_get("", "id")?, r.try_get("", "skemadata")?);
                    // A form that cannot be read stays an error where the case is opened; it
                    // names no one here.
                    let Ok(Some(skema)) = domain::skema::Skemadata::laes(ordning, &json) else { continue };
                    for cpr in crate::sager::oevrige_personer(&skema) {
                        db.execute_raw(sea_orm::Statement::from_sql_and_values(
                            backend,
                            format!("INSERT INTO sag_person (sag_id, cpr) VALUES ({}, {})", ph(1), ph(2)),
                            [id.into(), cpr.into()],
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }
}
