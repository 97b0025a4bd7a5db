//! The citizen's consent before a company enters a CPR number (seed 003: "Når den
//! virksomhed … indtaster dit CPR-nummer i VITAS, skal virksomheden inden have modtaget
//! samtykke hertil fra dig"). VITAS records who gave it, when, and the text they confirmed.

/// The text the company confirms on step 3.
pub const TEKST: &str = "Borgeren har givet samtykke til, at virksomheden indtaster CPR-nummeret";

/// The version of [`TEKST`] a recorded consent refers to. Change it with the text.
pub const VERSION: &str = "2026-12-04";

/// Whether a save records a new consent: the box is ticked now, and before it was not, or the
/// CPR changed (a consent is for one citizen). `foer` and `efter` are (ticked, CPR).
pub fn nyt_samtykke(foer: (bool, &str), efter: (bool, &str)) -> bool {
    let cifre = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    efter.0 && (!foer.0 || cifre(foer.1) != cifre(efter.1))
}

#[cfg(test)]
mod tests {
    use super::nyt_samtykke;

    #[test]
    fn samtykke_registreres_naar_det_gives_og_for_hver_ny_borger() {
        assert!(nyt_samtykke((false, ""), (true, "")), "krydset sættes");
        assert!(nyt_samtykke((false, ""), (true, "010190-1234")));
        assert!(!nyt_samtykke((true, "0101901234"), (true, "010190-1234")), "samme borger, anden stavemåde");
        assert!(nyt_samtykke((true, "0101901234"), (true, "1503852345")), "ny borger");
        assert!(!nyt_samtykke((true, "0101901234"), (false, "")), "krydset fjernes: intet samtykke");
    }
}
