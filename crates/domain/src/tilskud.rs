//! The subsidy cap: for private employers the løntilskud may not exceed 50 % — in some cases
//! 75 % — of the total wage cost of the employee over 12 months (seed 004; DOMAIN.md "Rules that
//! the seeds state"). Checked when the company registers a termination (seed 004 asks for both
//! amounts then).

use serde::{Deserialize, Serialize};

use crate::beloeb::Beloeb;
use crate::krav::KravResultat;

/// Seed 004 "Ophør": what the company states at termination for the cap, as the form and the
/// termination record label it.
pub const MODTAGET_TILSKUD: &str =
    "Modtaget løntilskud og anden offentlig støtte inden for de seneste 12 måneder (kr.)";
pub const SAMLET_LOENUDGIFT: &str = "Samlet løn og arbejdsudgifter inden for de seneste 12 måneder (kr.)";
/// The cap's rule, as the termination form says it to a private employer.
pub const LOFT_VED_OPHOER: &str = "For private arbejdsgivere må løntilskuddet højst udgøre 50 % (i nogle tilfælde 75 %) af de samlede lønomkostninger inden for 12 måneder.";

/// Which cap applies (seed 004: "50% - i nogle tilfælde 75%").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tilskudsloft {
    Halvtreds,
    Femoghalvfjerds,
}

impl Tilskudsloft {
    pub fn procent(self) -> u32 {
        match self {
            Tilskudsloft::Halvtreds => 50,       // seed 004
            Tilskudsloft::Femoghalvfjerds => 75, // seed 004: "i nogle tilfælde 75%"
        }
    }

    /// The cap from its percentage, as a form or a stored grant gives it.
    pub fn fra_procent(procent: u32) -> Option<Tilskudsloft> {
        [Tilskudsloft::Halvtreds, Tilskudsloft::Femoghalvfjerds].into_iter().find(|l| l.procent() == procent)
    }

    /// The Danish label shown in the UI.
    pub fn navn(self) -> &'static str {
        match self {
            Tilskudsloft::Halvtreds => "Højst 50 % af lønomkostningerne",
            Tilskudsloft::Femoghalvfjerds => "Højst 75 % af lønomkostningerne",
        }
    }
}

/// Checks `modtaget ≤ procent · samlet_loenudgift` exactly (i128, no rounding).
///
/// The explanation shows the actual share to one decimal, rounded half up. When that rounding
/// would make an amount just over the cap look equal to it (50,01 % → "50,0 %"), it says
/// "mere end 50,0 %", so the text never contradicts the result.
pub fn tjek_tilskudsloft(modtaget: Beloeb, samlet_loenudgift: Beloeb, loft: Tilskudsloft) -> KravResultat {
    let m = i128::from(modtaget.oere());
    let s = i128::from(samlet_loenudgift.oere());
    let procent = loft.procent();
    // seed 004: the subsidy may not exceed the cap's share of the total wage cost.
    let opfyldt = m * 100 <= s * i128::from(procent);
    let modtaget_tekst = modtaget.formateret();
    let samlet_tekst = samlet_loenudgift.formateret();

    let forklaring = if s <= 0 {
        if m <= 0 {
            format!(
                "Virksomheden har hverken modtaget løntilskud eller haft lønomkostninger til den \
                 ansatte ({modtaget_tekst} og {samlet_tekst}). Loftet er {procent} %."
            )
        } else {
            format!(
                "Virksomheden har modtaget {modtaget_tekst} i løntilskud, men de samlede \
                 lønomkostninger er {samlet_tekst} Løntilskuddet må højst udgøre {procent} % af \
                 de samlede lønomkostninger."
            )
        }
    } else {
        // Tenths of a percent, rounded half up: m·1000/s.
        let tiendedele = (2 * m * 1000 + s) / (2 * s);
        let graense = i128::from(procent) * 10;
        let andel = if !opfyldt && tiendedele <= graense {
            format!("mere end {procent},0 %")
        } else {
            format!("{},{} %", tiendedele / 10, tiendedele % 10)
        };
        format!(
            "Virksomheden har modtaget {modtaget_tekst} i løntilskud, svarende til {andel} af de \
             samlede lønomkostninger på {samlet_tekst} Loftet er {procent} %."
        )
    };
    KravResultat { opfyldt, forklaring }
}

#[cfg(test)]
// `allow`, not `expect`: it must stay quiet if the workspace later sets allow-unwrap-in-tests.
#[allow(clippy::unwrap_used, reason = "a failing unwrap fails the test")]
mod tests {
    use super::*;

    fn kr(kroner: i64) -> Beloeb {
        Beloeb::from_oere(kroner * 100)
    }

    #[test]
    fn eksemplet_over_loftet() {
        // 60.000 / 110.000 = 54,545… %
        let r = tjek_tilskudsloft(kr(60_000), kr(110_000), Tilskudsloft::Halvtreds);
        assert!(!r.opfyldt);
        assert_eq!(
            r.forklaring,
            "Virksomheden har modtaget 60.000,00 kr. i løntilskud, svarende til 54,5 % af de \
             samlede lønomkostninger på 110.000,00 kr. Loftet er 50 %."
        );
    }

    #[test]
    fn praecis_50_procent_er_ok() {
        let r = tjek_tilskudsloft(kr(50_000), kr(100_000), Tilskudsloft::Halvtreds);
        assert!(r.opfyldt);
        assert_eq!(
            r.forklaring,
            "Virksomheden har modtaget 50.000,00 kr. i løntilskud, svarende til 50,0 % af de \
             samlede lønomkostninger på 100.000,00 kr. Loftet er 50 %."
        );
        // Odd øre: 1,23 kr. of 2,46 kr. is exactly half.
        assert!(tjek_tilskudsloft(Beloeb::from_oere(123), Beloeb::from_oere(246), Tilskudsloft::Halvtreds).opfyldt);
    }

    #[test]
    fn lidt_over_50_procent_afvises() {
        // 50,01 %: shown rounded as 50,0, so the text says "mere end".
        let r = tjek_tilskudsloft(kr(50_010), kr(100_000), Tilskudsloft::Halvtreds);
        assert!(!r.opfyldt);
        assert!(r.forklaring.contains("svarende til mere end 50,0 % af"), "{}", r.forklaring);
        // One øre over.
        let r = tjek_tilskudsloft(Beloeb::from_oere(5_000_001), kr(100_000), Tilskudsloft::Halvtreds);
        assert!(!r.opfyldt);
        // 50,05 % rounds half up to 50,1.
        let r = tjek_tilskudsloft(kr(50_050), kr(100_000), Tilskudsloft::Halvtreds);
        assert!(!r.opfyldt);
        assert!(r.forklaring.contains("svarende til 50,1 % af"), "{}", r.forklaring);
        // Odd øre: 1,24 kr. of 2,47 kr. is 50,20… %.
        assert!(!tjek_tilskudsloft(Beloeb::from_oere(124), Beloeb::from_oere(247), Tilskudsloft::Halvtreds).opfyldt);
    }

    #[test]
    fn femoghalvfjerds_procent() {
        let r = tjek_tilskudsloft(kr(75_000), kr(100_000), Tilskudsloft::Femoghalvfjerds);
        assert!(r.opfyldt);
        assert!(
            r.forklaring
                .ends_with("svarende til 75,0 % af de samlede lønomkostninger på 100.000,00 kr. Loftet er 75 %.")
        );
        assert!(!tjek_tilskudsloft(kr(75_000), kr(100_000), Tilskudsloft::Halvtreds).opfyldt);
        assert!(tjek_tilskudsloft(kr(60_000), kr(110_000), Tilskudsloft::Femoghalvfjerds).opfyldt);
        assert!(!tjek_tilskudsloft(Beloeb::from_oere(7_500_001), kr(100_000), Tilskudsloft::Femoghalvfjerds).opfyldt);
        assert_eq!(Tilskudsloft::Femoghalvfjerds.procent(), 75);
        assert_eq!(Tilskudsloft::Halvtreds.procent(), 50);
    }

    #[test]
    fn uden_loenomkostninger() {
        let r = tjek_tilskudsloft(kr(1_000), kr(0), Tilskudsloft::Halvtreds);
        assert!(!r.opfyldt);
        assert_eq!(
            r.forklaring,
            "Virksomheden har modtaget 1.000,00 kr. i løntilskud, men de samlede lønomkostninger \
             er 0,00 kr. Løntilskuddet må højst udgøre 50 % af de samlede lønomkostninger."
        );
        let r = tjek_tilskudsloft(kr(0), kr(0), Tilskudsloft::Halvtreds);
        assert!(r.opfyldt);
        assert!(r.forklaring.starts_with("Virksomheden har hverken modtaget løntilskud"));
    }

    #[test]
    fn store_beloeb_loeber_ikke_over() {
        let max = Beloeb::from_oere(i64::MAX);
        assert!(tjek_tilskudsloft(max, max, Tilskudsloft::Femoghalvfjerds).forklaring.contains("100,0 %"));
        assert!(!tjek_tilskudsloft(max, max, Tilskudsloft::Femoghalvfjerds).opfyldt);
        assert!(tjek_tilskudsloft(Beloeb::from_oere(i64::MAX / 2), max, Tilskudsloft::Halvtreds).opfyldt);
    }
}
