//! Storage: the one migration history, SeaORM entities and the repositories, serving
//! SQLite and PostgreSQL through one code path (CONVENTIONS.md "Rules that keep one code
//! path honest on two databases").

pub mod adgangslog;
pub mod api;
pub mod db;
pub mod demo;
pub mod demo_sager;
pub mod drift;
pub mod entity;
pub mod fejl;
pub mod job;
pub mod lister;
pub mod login;
pub mod migration;
pub mod opbevaring;
pub mod organisation;
pub mod outbox;
pub mod registre;
pub mod sager;
pub mod sessioner;
pub mod soegefilter;
pub mod statistik;
pub mod statistik_udtraek;
pub mod taelling;

pub use db::{Db, Fejlpunkt};
pub use fejl::StorageError;
