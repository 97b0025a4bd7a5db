//! Mentor types as the web services send them (seed 002 §5.1; DOMAIN.md "Schemes").

use serde::Serialize;

/// The kind of mentor grant. Seed 002 §5.1: the municipal systems must receive the id also
/// when the grant has no education subsidy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Mentortype {
    Individuel,
    Plads,
}

impl Mentortype {
    /// The id the web service sends (seed 002 §5.1: 34 Mentor, Individuel; 35 Mentor, Plads).
    pub fn id(self) -> u32 {
        match self {
            Mentortype::Individuel => 34,
            Mentortype::Plads => 35,
        }
    }

    pub fn tekst(self) -> &'static str {
        match self {
            Mentortype::Individuel => "Mentor, Individuel",
            Mentortype::Plads => "Mentor, Plads",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_fra_seedet() {
        assert_eq!((Mentortype::Individuel.id(), Mentortype::Individuel.tekst()), (34, "Mentor, Individuel"));
        assert_eq!((Mentortype::Plads.id(), Mentortype::Plads.tekst()), (35, "Mentor, Plads"));
    }
}
