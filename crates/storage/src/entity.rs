//! SeaORM entities: one per table of the migration history.

pub mod aa_aftale;
pub mod adgangslog;
pub mod adgangslog_cpr;
pub mod anden_aktoer;
pub mod api_klient;
pub mod api_klient_scope;
pub mod api_request_id;
pub mod api_token;
pub mod bruger;
pub mod dfdg_borger;
pub mod eindkomst;
pub mod job;
pub mod jobcenter;
pub mod link;
pub mod outbox;
pub mod p_enhed;
pub mod sag;
pub mod sagselement;
pub mod sagshaendelse;
pub mod samtykke;
pub mod session;
pub mod soegefilter;
pub mod team;
pub mod virksomhed;
pub mod webhook_abonnent;
