//! The hourly subsidy rates as dated data (DOMAIN.md "Facts": "Treat law-dependent numbers
//! (periods, rates) as data with validity dates, never as constants in code"). A rate applies
//! on the days from `gyldig_fra` to `gyldig_til`; outside them there is no rate, and a form
//! that needs one says so rather than guessing. STAR cannot edit the table in VITAS: the rows
//! are this table, changed in code.

use crate::beloeb::Beloeb;
use crate::tilskudssats::TimeTilskudsats;
use chrono::NaiveDate;

/// One rate with its validity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sats {
    pub art: TimeTilskudsats,
    /// Kroner per hour, in øre.
    pub oere_pr_time: i64,
    pub gyldig_fra: NaiveDate,
    pub gyldig_til: NaiveDate,
    /// Where the figure comes from.
    pub kilde: &'static str,
}

impl Sats {
    pub fn kr_pr_time(&self) -> Beloeb {
        Beloeb::fra_oere(self.oere_pr_time)
    }
}

const fn dato(aar: i32, maaned: u32, dag: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(aar, maaned, dag) {
        Some(d) => d,
        None => panic!("ugyldig dato i satstabellen"),
    }
}

/// The rates (DOMAIN.md "Facts": voksenlærling 45 kr/h from unemployment, 30 kr/h from
/// employment, valid until 31.12.2035).
pub static SATSER: [Sats; 2] = [
    Sats {
        art: TimeTilskudsats::VoksenlaerlingFraLedighed,
        oere_pr_time: 4_500,
        gyldig_fra: dato(2023, 1, 1),
        gyldig_til: dato(2035, 12, 31),
        kilde: "DOMAIN.md »Facts«: 45 kr./time fra ledighed, gældende til 31.12.2035",
    },
    Sats {
        art: TimeTilskudsats::VoksenlaerlingFraBeskaeftigelse,
        oere_pr_time: 3_000,
        gyldig_fra: dato(2023, 1, 1),
        gyldig_til: dato(2035, 12, 31),
        kilde: "DOMAIN.md »Facts«: 30 kr./time fra beskæftigelse, gældende til 31.12.2035",
    },
];

/// The rate of `art` on `dato`, if one applies.
pub fn gaeldende(art: TimeTilskudsats, dato: NaiveDate) -> Option<&'static Sats> {
    SATSER.iter().find(|s| s.art == art && s.gyldig_fra <= dato && dato <= s.gyldig_til)
}

/// The last day any rate of `art` applies: what a user is told when none does.
pub fn sidste_gyldige(art: TimeTilskudsats) -> Option<NaiveDate> {
    SATSER.iter().filter(|s| s.art == art).map(|s| s.gyldig_til).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn satserne_gaelder_til_udgangen_af_2035() {
        let art = TimeTilskudsats::VoksenlaerlingFraLedighed;
        assert_eq!(gaeldende(art, dato(2027, 3, 1)).map(|s| s.oere_pr_time), Some(4_500));
        assert_eq!(gaeldende(art, dato(2035, 12, 31)).map(|s| s.oere_pr_time), Some(4_500));
        assert_eq!(gaeldende(art, dato(2036, 1, 1)), None);
        assert_eq!(sidste_gyldige(art), Some(dato(2035, 12, 31)));
        let b = TimeTilskudsats::VoksenlaerlingFraBeskaeftigelse;
        assert_eq!(gaeldende(b, dato(2027, 3, 1)).map(|s| s.oere_pr_time), Some(3_000));
    }
}
