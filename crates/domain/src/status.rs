//! The two independent status fields of a case, and the statuses of its sub-records
//! (DOMAIN.md "Facts from public STAR material": application status and decision status).

use serde::{Deserialize, Serialize};

macro_rules! status_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $kode:literal, $navn:literal;)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALLE: &'static [$name] = &[$($name::$variant,)*];
            /// Stable storage and API code.
            pub fn kode(self) -> &'static str { match self { $($name::$variant => $kode,)* } }
            /// The Danish name the UI shows.
            pub fn navn(self) -> &'static str { match self { $($name::$variant => $navn,)* } }
            pub fn fra_kode(kode: &str) -> Option<Self> {
                Self::ALLE.iter().copied().find(|s| s.kode() == kode)
            }
        }
    };
}

status_enum! {
    /// The application's status (ansøgningens status). Seed 004 and seed 001 §1.2.3.
    AnsoegningStatus {
        Kladde => "kladde", "Kladde";
        SendtTilMedarbejderRep => "sendt_til_medarbejder_rep", "Sendt til medarbejder-rep";
        AfvistAfMedarbejderRep => "afvist_af_medarbejder_rep", "Afvist af medarbejder-rep";
        // An agreement the citizen signs too (IGU; issue 13 §2, decision 97): the company has
        // signed, the citizen has not yet.
        SendtTilBorger => "sendt_til_borger", "Sendt til borgeren";
        // The citizen declined to sign: the agreement ends here, as the representative's
        // rejection ends an application (seed 001 §1.2.3; decision 97).
        AfvistAfBorger => "afvist_af_borger", "Afvist af borgeren";
        Modtaget => "modtaget", "Modtaget af jobcentret";
        Godkendt => "godkendt", "Ansøgning godkendt";
        Afvist => "afvist", "Ansøgning afvist";
    }
}

status_enum! {
    /// The decision's status (bevillingens status). DOMAIN.md "Case life cycle" steps 4–5.
    AfgoerelseStatus {
        BevillingUdarbejdet => "bevilling_udarbejdet", "Bevilling udarbejdet";
        AfventerVirksomhed => "afventer_virksomhed", "Afventer godkendelse hos virksomhed";
        AfventerBorger => "afventer_borger", "Afventer godkendelse hos borger";
        GodkendtAfVirksomhed => "godkendt_af_virksomhed", "Godkendt af virksomhed";
        IkkeGodkendt => "ikke_godkendt", "Bevilling ikke godkendt";
        Ophoert => "ophoert", "Ophørt";
    }
}

status_enum! {
    /// The status of an extension request (forlængelse). Seed 004 "Forlængelse".
    ForlaengelseStatus {
        AfventerJobcenter => "afventer_jobcenter", "Afventer jobcentret";
        Godkendt => "godkendt", "Forlængelse godkendt";
        Afvist => "afvist", "Forlængelse afvist";
        Bortfaldet => "bortfaldet", "Bortfaldet ved ophør";
    }
}

/// The kinds of sub-record (sagselement) a case accumulates over its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Elementart {
    Ansoegning,
    Bevilling,
    Forlaengelse,
    Ophoer,
}

impl Elementart {
    pub fn kode(self) -> &'static str {
        match self {
            Elementart::Ansoegning => "ansoegning",
            Elementart::Bevilling => "bevilling",
            Elementart::Forlaengelse => "forlaengelse",
            Elementart::Ophoer => "ophoer",
        }
    }
    pub fn fra_kode(kode: &str) -> Option<Self> {
        [Elementart::Ansoegning, Elementart::Bevilling, Elementart::Forlaengelse, Elementart::Ophoer]
            .into_iter()
            .find(|a| a.kode() == kode)
    }
}
