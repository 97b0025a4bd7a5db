//! Standard texts that go to the company. STAR maintains them nationally; these are the
//! defaults a caseworker edits before sending (DOMAIN.md "Actors": standard texts).

use crate::ordning::Ordning;

/// The standard rejection text, citing the law (seed 002 §3.4: law references in rejection
/// texts; LBK nr. 701 af 22/05/2022, kapitel 12 "Ansættelse med løntilskud").
pub fn standard_afslag(ordning: Ordning) -> String {
    let (hvad, hjemmel) = match ordning {
        Ordning::Loentilskud => (
            "ansættelse med løntilskud",
            "lov om en aktiv beskæftigelsesindsats, kapitel 12 om ansættelse med løntilskud",
        ),
        Ordning::Virksomhedspraktik | Ordning::Nytteindsats => {
            ("virksomhedspraktik", "lov om en aktiv beskæftigelsesindsats, kapitel 11 om virksomhedspraktik")
        }
        _ => ("tilskud", "lov om en aktiv beskæftigelsesindsats"),
    };
    format!(
        "Jobcentret har behandlet jeres ansøgning om {hvad} og kan ikke imødekomme den.\n\n\
         Begrundelse: \n\n\
         Afgørelsen er truffet efter {hjemmel}.\n\n\
         Har I spørgsmål til afgørelsen, er I velkomne til at kontakte jobcentret."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn afslag_citerer_loven() {
        let t = standard_afslag(Ordning::Loentilskud);
        assert!(t.contains("kapitel 12"), "{t}");
        assert!(t.contains("løntilskud"));
    }
}
