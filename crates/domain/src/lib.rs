//! The VITAS domain: schemes, the case model, the state machine, the access policy and the
//! rules from the seeds and the law. Pure: no I/O, no clock (callers pass `today`).

pub mod afgoerelse;
pub mod anmodninger;
pub mod beloeb;
pub mod elementdata;
pub mod error;
pub mod fleksjob;
pub mod ident;
pub mod igu;
pub mod jobrotation;
pub mod krav;
pub mod loentilskud;
pub mod login;
pub mod mentor;
pub mod opbevaring;
pub mod ophoer;
pub mod ordning;
pub mod periode;
pub mod policy;
pub mod praktik;
pub mod samtykke;
pub mod satser;
pub mod skema;
pub mod soeg;
pub mod statistik;
pub mod statistik_udtraek;
pub mod status;
pub mod tekst;
pub mod tekster;
pub mod tilskud;
pub mod tilskudssats;
pub mod timer;
pub mod voksenlaerling;
pub mod webservice;

pub use error::FieldError;
