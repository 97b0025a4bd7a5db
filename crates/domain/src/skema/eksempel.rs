//! Example values for a form's fields, from each field's kind and name: the demo server's
//! cases, the browser test and the property tests fill any scheme's steps with them, so a
//! new scheme is filled with no line of its own.

use super::felt::{Felt, Feltart, Trin};
use chrono::NaiveDate;

/// The case's own values: the workplace, the citizen and the period.
#[derive(Debug, Clone, Copy)]
pub struct Udfyldning<'a> {
    pub pnummer: &'a str,
    pub cpr: &'a str,
    pub start: NaiveDate,
    pub slut: NaiveDate,
}

/// A valid value for `f` as a browser posts it; `None` for a field left empty (the optional
/// remark, the conflict comment when there is no conflict) or a check box left unticked.
pub fn vaerdi(f: &Felt, u: &Udfyldning<'_>) -> Option<String> {
    let tekst = match (f.navn, f.art) {
        (navn, Feltart::Afkrydsning) => return (navn == "samtykke").then(|| "on".to_string()),
        (_, Feltart::PEnhed) => u.pnummer.to_string(),
        (_, Feltart::Cpr) => u.cpr.to_string(),
        ("oeremaerket", Feltart::JaNej) => "ja".into(),
        (_, Feltart::JaNej) => "nej".into(),
        ("startdato", _) => u.start.format("%d-%m-%Y").to_string(),
        ("slutdato", _) => u.slut.format("%d-%m-%Y").to_string(),
        ("timer", _) => "37".into(),
        // Employed or unemployed long before the start (jobrotation's rows).
        ("ansat_siden" | "ledig_siden", _) => (u.start - chrono::Days::new(400)).format("%d-%m-%Y").to_string(),
        ("timeloen", _) => "152,50".into(),
        ("allerede_stoettede", _) => "0".into(),
        (_, Feltart::Decimal) => "24,00".into(),
        (_, Feltart::Email) => "kontakt@virksomhed.dk".into(),
        (_, Feltart::Telefon) => "33 12 34 56".into(),
        ("konflikt_kommentar" | "bemaerkning", _) => return None,
        ("kontakt_navn" | "arbejdssted_navn", _) => "Lone Kjær".into(),
        ("rep_navn", _) => "Søren Bak".into(),
        ("stillingsbetegnelse", _) => "Lagermedarbejder".into(),
        (_, Feltart::Tekstomraade { .. }) => "Plukning, pakning og forsendelse af varer.".into(),
        (_, Feltart::Valg(valg)) => valg.first().map(|(k, _)| k.to_string()).unwrap_or_default(),
        // Any other date (e.g. the day a plan was made) is the period's start.
        (_, Feltart::Dato) => u.start.format("%d-%m-%Y").to_string(),
        (_, Feltart::Tekst) => "Eksempel".into(),
    };
    Some(tekst)
}

/// A step's whole example post by posted name: its own fields, and for its repeatable group
/// the group's minimum number of rows (at least one), each field named `{noegle}-{row}-{felt}`,
/// with the count the form posts.
pub fn post(trin: &Trin, u: &Udfyldning<'_>) -> Vec<(String, String)> {
    let mut ud: Vec<(String, String)> =
        trin.felter().filter_map(|f| vaerdi(f, u).map(|v| (f.navn.to_string(), v))).collect();
    if let Some(g) = trin.gruppe() {
        let antal = g.mindst.max(1);
        ud.push((g.antal_navn(), antal.to_string()));
        for i in 0..antal {
            ud.extend(g.felter().filter_map(|f| vaerdi(f, u).map(|v| (g.feltnavn(i, f.navn), v))));
        }
    }
    ud
}

/// A whole form of `ordning` filled with the example values of `u`, every person named
/// `navn` (as DFDG would have named them), the conflict comment given where the company is
/// registered as in conflict. `None` for a scheme without a form. The demo world's cases and
/// the bulk generator's are filled with it.
pub fn formular(
    ordning: crate::ordning::Ordning,
    konfliktramt: bool,
    u: &Udfyldning<'_>,
    navn: &str,
) -> Option<super::Skemadata> {
    let mut skema = super::Skemadata::ny(ordning, konfliktramt, Vec::new())?;
    for nr in 1..=skema.antal_trin() {
        let post = skema.trin(nr).map(|t| post(t, u)).unwrap_or_default();
        let hent = |n: &str| {
            post.iter()
                .find(|(k, _)| k == n)
                .map(|(_, x)| x.clone())
                .or_else(|| (n == "konflikt_kommentar" && konfliktramt).then(|| "Bygge og anlæg".into()))
        };
        // The example post holds only the form's own fields, so it always applies.
        skema.anvend(nr, &hent).ok()?;
    }
    skema.laas();
    for p in skema.personer_mut() {
        p.borger_navn = navn.to_string();
    }
    Some(skema)
}

/// A value of the right kind that the field's rule refuses, for the property tests; `None`
/// where a wrong value cannot be typed (a check box: leaving it unticked is the test).
pub fn ugyldig(f: &Felt) -> Option<&'static str> {
    Some(match f.art {
        Feltart::Afkrydsning => return None,
        Feltart::Cpr => "123",
        Feltart::Decimal => "mange",
        Feltart::Dato => "31-02-2027",
        Feltart::Email => "ikke en adresse",
        Feltart::Telefon => "12",
        Feltart::JaNej => "måske",
        Feltart::PEnhed => "9999999999",
        Feltart::Valg(_) => "ukendt",
        // A required text: left empty ("Mangler at blive udfyldt").
        Feltart::Tekst | Feltart::Tekstomraade { .. } => "   ",
    })
}
