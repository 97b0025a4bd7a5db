//! Standard texts that go to the company. STAR maintains them nationally; these are the
//! defaults a caseworker edits before sending (DOMAIN.md "Actors": standard texts).

use crate::ordning::Ordning;

/// The standard rejection text, citing the law (seed 002 §3.4: law references in rejection
/// texts); the scheme's profile names the law (`ordning::Profil::hjemmel`).
pub fn standard_afslag(ordning: Ordning) -> String {
    let crate::ordning::Hjemmel { hvad, lov: hjemmel } = ordning.profil().hjemmel;
    // What the company sent: an application, or for IGU an agreement (`Profil::sagsart`).
    let sendt = ordning.profil().sagsart().navn().to_lowercase();
    format!(
        "Jobcentret har behandlet jeres {sendt} om {hvad} og kan ikke imødekomme den.\n\n\
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
        assert!(t.contains("jeres ansøgning om"), "{t}");
        let igu = standard_afslag(Ordning::Igu);
        assert!(igu.contains("jeres aftale om integrationsgrunduddannelse (IGU)"), "{igu}");
        assert!(igu.contains("lov om integrationsgrunduddannelse (igu)"), "{igu}");
        // LAB kapitel 16 is jobrotation (LBK nr. 701 af 22/05/2022).
        let t = standard_afslag(Ordning::Jobrotation);
        assert!(t.contains("ansøgning om tilskud til jobrotation") && t.contains("kapitel 16 om jobrotation"), "{t}");
    }
}
