//! The kind of hourly subsidy rate (timetilskudssats) a grant is paid at, as the web services
//! send it in `timeTilskudsatsType` and `timeTilskudsatsBeskrivelse` (seed 002 §3.6).
//!
//! The amounts change yearly and live in STAR's rate table with validity dates (DOMAIN.md
//! "Facts…"); VITAS keeps them as dated data in `crate::satser`, and this module holds only the
//! kind. For løntilskud the
//! kind follows the employer (private or public; DOMAIN.md "Løntilskud periods"), for
//! voksenlærling where the apprentice came from (DOMAIN.md "Voksenlærling"). The codes are
//! VITAS's own until STAR's code list is known (docs/decisions.md 34).

use serde::Serialize;

use crate::ordning::Ordning;

/// One kind of hourly subsidy rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum TimeTilskudsats {
    /// Løntilskud to a private employer.
    LoentilskudPrivat,
    /// Løntilskud to a public employer.
    LoentilskudOffentlig,
    /// Voksenlærling hired from unemployment (DOMAIN.md: 45 kr/h, the whole agreement).
    VoksenlaerlingFraLedighed,
    /// Voksenlærling already employed (DOMAIN.md: 30 kr/h, at most 2 years).
    VoksenlaerlingFraBeskaeftigelse,
}

impl TimeTilskudsats {
    pub const ALLE: [TimeTilskudsats; 4] = [
        TimeTilskudsats::LoentilskudPrivat,
        TimeTilskudsats::LoentilskudOffentlig,
        TimeTilskudsats::VoksenlaerlingFraLedighed,
        TimeTilskudsats::VoksenlaerlingFraBeskaeftigelse,
    ];

    /// `timeTilskudsatsType` (seed 002 §3.6).
    pub fn kode(self) -> &'static str {
        match self {
            TimeTilskudsats::LoentilskudPrivat => "loentilskud_privat",
            TimeTilskudsats::LoentilskudOffentlig => "loentilskud_offentlig",
            TimeTilskudsats::VoksenlaerlingFraLedighed => "voksenlaerling_fra_ledighed",
            TimeTilskudsats::VoksenlaerlingFraBeskaeftigelse => "voksenlaerling_fra_beskaeftigelse",
        }
    }

    /// `timeTilskudsatsBeskrivelse` (seed 002 §3.6).
    pub fn beskrivelse(self) -> &'static str {
        match self {
            TimeTilskudsats::LoentilskudPrivat => "Løntilskud til private arbejdsgivere",
            TimeTilskudsats::LoentilskudOffentlig => "Løntilskud til offentlige arbejdsgivere",
            TimeTilskudsats::VoksenlaerlingFraLedighed => "Voksenlærling ansat fra ledighed",
            TimeTilskudsats::VoksenlaerlingFraBeskaeftigelse => "Voksenlærling ansat fra beskæftigelse",
        }
    }

    /// The løntilskud rate for an employer (seed 002 §3.6; DOMAIN.md "Løntilskud periods").
    pub fn loentilskud(offentlig_arbejdsgiver: bool) -> TimeTilskudsats {
        if offentlig_arbejdsgiver { TimeTilskudsats::LoentilskudOffentlig } else { TimeTilskudsats::LoentilskudPrivat }
    }

    /// Whether a scheme's web services carry the hourly rate (seed 002 §3.6: løntilskud and
    /// voksenlærling only).
    pub fn gaelder(ordning: Ordning) -> bool {
        ordning.profil().timetilskudssats
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kun_loentilskud_og_voksenlaerling() {
        let med: Vec<Ordning> = Ordning::ALLE.into_iter().filter(|o| TimeTilskudsats::gaelder(*o)).collect();
        assert_eq!(med, [Ordning::Loentilskud, Ordning::Voksenlaerling]);
    }

    #[test]
    fn arbejdsgiveren_bestemmer_loentilskuddets_sats() {
        assert_eq!(TimeTilskudsats::loentilskud(false).kode(), "loentilskud_privat");
        assert_eq!(TimeTilskudsats::loentilskud(true).kode(), "loentilskud_offentlig");
    }

    #[test]
    fn koder_er_unikke() {
        let mut k: Vec<&str> = TimeTilskudsats::ALLE.iter().map(|s| s.kode()).collect();
        k.sort();
        k.dedup();
        assert_eq!(k.len(), TimeTilskudsats::ALLE.len());
    }
}
