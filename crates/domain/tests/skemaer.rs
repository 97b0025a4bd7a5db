//! Every built company scheme's form, checked through its own step descriptions (issue 13
//! §5): a valid form can be sent; each single invalid field gives its Danish message at that
//! field and keeps the rest of the draft as it was; and whatever is posted into any field,
//! the draft keeps it as typed and nothing else changes. The schemes come from the profile
//! table, so a new scheme is checked with no line here.

use chrono::NaiveDate;
use domain::ordning::{Initiativ, Ordning};
use domain::skema::Skemadata;
use domain::skema::dele::Kontekst;
use domain::skema::eksempel::{self, Udfyldning};
use domain::skema::felt::{Felt, Feltart};
use proptest::prelude::*;

const PNUMMER: &str = "1000000001";

fn byggede() -> Vec<Ordning> {
    Ordning::ALLE
        .into_iter()
        .filter(|o| o.bygget() && o.profil().livsforloeb.initiativ() == Initiativ::Virksomhed)
        .collect()
}

fn udfyldning() -> Udfyldning<'static> {
    let d = |m, dag| NaiveDate::from_ymd_opt(2027, m, dag).expect("dato");
    Udfyldning { pnummer: PNUMMER, cpr: "010190-1234", start: d(3, 1), slut: d(4, 30) }
}

/// Step `n`'s posted values by posted name: every field's example (a repeatable group's
/// rows too, `eksempel::post`), with `felt` set to `vaerdi` (`None`: not posted).
fn post(s: &Skemadata, n: u8, felt: Option<(&str, Option<&str>)>) -> Vec<(String, String)> {
    let u = udfyldning();
    let Some(t) = s.trin(n) else { return Vec::new() };
    let mut p: Vec<(String, String)> = eksempel::post(t, &u);
    if let Some((navn, v)) = felt {
        p.retain(|(k, _)| k != navn);
        if let Some(v) = v {
            p.push((navn.to_string(), v.to_string()));
        }
    }
    p
}

fn anvend(s: &mut Skemadata, n: u8, post: &[(String, String)]) {
    s.anvend(n, &|navn| post.iter().find(|(k, _)| k == navn).map(|(_, v)| v.clone())).expect("anvend");
}

/// A complete form of `o`, every citizen's name looked up as DFDG would.
fn udfyldt(o: Ordning) -> Skemadata {
    let mut s = Skemadata::ny(o, false, vec![]).expect("bygget");
    for n in 1..s.opsummeringens_nummer() {
        let p = post(&s, n, None);
        anvend(&mut s, n, &p);
    }
    for p in s.personer_mut() {
        p.borger_navn = "Anna Jensen".into();
    }
    s
}

/// Every (step, posted name, field) of a form's steps before the summary, a repeatable
/// group's fields in its first row.
fn felter(s: &Skemadata) -> Vec<(u8, String, &'static Felt)> {
    let mut ud = Vec::new();
    for n in 1..s.opsummeringens_nummer() {
        let Some(t) = s.trin(n) else { continue };
        ud.extend(t.felter().map(|f| (n, f.navn.to_string(), f)));
        if let Some(g) = t.gruppe() {
            ud.extend(g.felter().map(|f| (n, g.feltnavn(0, f.navn), f)));
        }
    }
    ud
}

/// The name looked up in DFDG is not typed, so a changed CPR may forget it.
fn er_opslag(navn: &str) -> bool {
    navn.ends_with("borger_navn")
}

#[test]
fn en_gyldig_formular_kan_sendes_for_hver_ordning() {
    let p = vec![PNUMMER.to_string()];
    for o in byggede() {
        let s = udfyldt(o);
        let ind = s.indsendelse(&Kontekst { p_enheder: &p });
        assert!(ind.is_ok(), "{o:?}: {:?}", ind.err());
        assert_eq!(ind.map(|i| i.hoering).ok(), Some(o.profil().livsforloeb.hoering()), "{o:?}");
    }
}

#[test]
fn hvert_ugyldigt_felt_giver_sin_besked_og_bevarer_kladden() {
    let p = vec![PNUMMER.to_string()];
    let k = Kontekst { p_enheder: &p };
    let mut afproevet = 0;
    for o in byggede() {
        let gyldig = udfyldt(o);
        for (n, navn, f) in felter(&gyldig) {
            let tekst = matches!(f.art, Feltart::Tekst | Feltart::Tekstomraade { .. });
            let eksempel = eksempel::vaerdi(f, &udfyldning());
            // An optional text may be empty, and a field the example leaves empty (the
            // conflict comment without a conflict) has no wrong value to type.
            if (f.valgfri && tekst) || (eksempel.is_none() && f.navn != "samtykke") {
                continue;
            }
            let mut s = gyldig.clone();
            let ugyldig = eksempel::ugyldig(f);
            let p = post(&s, n, Some((&navn, ugyldig)));
            anvend(&mut s, n, &p);
            let fejl = s.fejl(n, &k);
            let her = fejl.iter().find(|e| e.felt == navn);
            assert!(
                her.is_some_and(|e| !e.besked.trim().is_empty()),
                "{o:?} trin {n}: {navn} = {ugyldig:?} gav ingen besked ved feltet: {fejl:?}"
            );
            // The rest of the draft is as it was, and the wrong value is kept as typed.
            let (foer, efter) = (gyldig.flade_vaerdier(), s.flade_vaerdier());
            for (andet, v) in &foer {
                if *andet != navn && !er_opslag(andet) {
                    assert_eq!(efter.get(andet), Some(v), "{o:?}: {andet} ændrede sig, da {navn} var forkert");
                }
            }
            if let Some(u) = ugyldig {
                assert_eq!(efter[&navn], u, "{o:?}: {navn} er ikke gemt som indtastet");
            }
            afproevet += 1;
        }
    }
    assert!(afproevet > 60, "afprøvede kun {afproevet} felter");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever text is posted into any field of any built scheme, the draft keeps it as
    /// typed, no other field changes, and validating never panics.
    #[test]
    fn alt_indtastet_gemmes_som_det_er(
        ordning in prop::sample::select(byggede()),
        valg in any::<prop::sample::Index>(),
        tekst in "\\PC{0,40}",
    ) {
        let gyldig = udfyldt(ordning);
        let alle = felter(&gyldig);
        let (n, navn, f) = alle[valg.index(alle.len())].clone();
        prop_assume!(f.art != Feltart::Afkrydsning);
        let mut s = gyldig.clone();
        let p = post(&s, n, Some((&navn, Some(tekst.as_str()))));
        anvend(&mut s, n, &p);
        let pe = vec![PNUMMER.to_string()];
        let _ = s.alle_fejl(&Kontekst { p_enheder: &pe });
        let (foer, efter) = (gyldig.flade_vaerdier(), s.flade_vaerdier());
        prop_assert_eq!(efter[&navn].as_str(), Some(tekst.as_str()));
        for (andet, v) in &foer {
            if *andet != navn && !er_opslag(andet) {
                prop_assert_eq!(efter.get(andet), Some(v));
            }
        }
    }
}
