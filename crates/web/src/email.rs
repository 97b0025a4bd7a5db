//! The ONE place that builds e-mails (issue 4 §5): one function per event, each rendering a
//! Danish plain-text askama template from `templates/email/` (compiled in). A mail is
//! rendered when the change is made and stored in the outbox as it will be sent
//! (docs/decisions.md 41), so the demo mailbox shows exactly what the company receives.
//!
//! Every subject ends with "(VITAS-id N)". The sender's display name is the case's jobcentre
//! (DOMAIN.md "Anden Aktør": whoever processed the case stands as sender). A case an Anden
//! Aktør processed still has the jobcentre as sender: VITAS does not name the Anden Aktør
//! there. No mail carries a CPR number.

use crate::AppState;
use crate::fejl::WebFejl;
use askama::Template;
use storage::entity::sag;
use storage::sager::Email;

/// What every mail about one case shares: the sender, the case id, the scheme and the link.
#[derive(Debug, Clone)]
pub struct Afsender {
    /// The jobcentre's name, e.g. "Jobcenter København" (the From display name).
    pub jobcenter: String,
    pub sag_id: i64,
    /// The scheme as it reads inside a sentence, e.g. "løntilskud".
    pub ordning: String,
    /// What the company sent, inside a sentence: "ansøgning", or "aftale" for IGU
    /// (`Profil::sagsart`).
    pub sagsart: String,
    /// The case page, e.g. `https://vitas.example.dk/sager/1001`.
    pub link: String,
}

impl Afsender {
    /// The sender for a case handled by `jobcenter_id` (the case's own, or the one it is
    /// being sent to in the same change).
    pub async fn for_sag(st: &AppState, sag: &sag::Model, jobcenter_id: Option<i64>) -> Result<Afsender, WebFejl> {
        let jobcenter = match jobcenter_id {
            Some(id) => storage::organisation::jobcenternavne(&st.db).await?.get(&id).cloned(),
            None => None,
        };
        let ordning = storage::sager::ordning(sag)?;
        Ok(Afsender {
            jobcenter: jobcenter.unwrap_or_else(|| "VITAS".into()),
            sag_id: sag.id,
            // "IGU" keeps its capitals inside a sentence (`Profil::i_tekst`).
            ordning: ordning.profil().i_tekst(),
            sagsart: ordning.profil().sagsart().navn().to_lowercase(),
            link: format!("{}/sager/{}", st.base_url, sag.id),
        })
    }

    fn mail(&self, til: &str, emne: &str, t: &impl Template) -> Result<Email, WebFejl> {
        let tekst = t
            .render()
            .map_err(|e| WebFejl::Intern(anyhow::Error::new(e).context("e-mailskabelonen kunne ikke udfyldes")))?;
        Ok(Email {
            til: til.trim().to_string(),
            afsender_navn: self.jobcenter.clone(),
            emne: format!("{emne} (VITAS-id {})", self.sag_id),
            tekst: format!("{}\n", tekst.trim_end()),
        })
    }
}

/// The word with a capital first letter, to begin a subject: "Ansøgning", "Aftale".
fn stort(ord: &str) -> String {
    let mut tegn = ord.chars();
    tegn.next().map(|c| c.to_uppercase().chain(tegn).collect()).unwrap_or_default()
}

/// "Kære …": the person's name, or a neutral word when the form has none.
fn navn(n: &str) -> &str {
    if n.trim().is_empty() { "kontaktperson" } else { n.trim() }
}

#[derive(Template)]
#[template(path = "email/hoering.txt")]
struct Hoering<'a> {
    a: &'a Afsender,
    rep_navn: &'a str,
    link: &'a str,
}

/// To the employee representative: the hearing link (seed 004; DOMAIN.md step 2–3).
pub fn hoering(a: &Afsender, til: &str, rep_navn: &str, hoering_link: &str) -> Result<Email, WebFejl> {
    let rep_navn = if rep_navn.trim().is_empty() { "medarbejderrepræsentant" } else { rep_navn.trim() };
    a.mail(til, &format!("Ansøgning om {} til høring", a.ordning), &Hoering { a, rep_navn, link: hoering_link })
}

#[derive(Template)]
#[template(path = "email/ansoegning_modtaget.txt")]
struct AnsoegningModtaget<'a> {
    a: &'a Afsender,
    kontakt_navn: &'a str,
    modtaget: &'a str,
}

/// To the company: the jobcentre has received the application (DOMAIN.md step 3; seed 001
/// §1.9: the date it reached the jobcentre).
pub fn ansoegning_modtaget(a: &Afsender, til: &str, kontakt_navn: &str, modtaget: &str) -> Result<Email, WebFejl> {
    let t = AnsoegningModtaget { a, kontakt_navn: navn(kontakt_navn), modtaget };
    a.mail(til, &format!("{} om {} modtaget af jobcentret", stort(&a.sagsart), a.ordning), &t)
}

#[derive(Template)]
#[template(path = "email/bevilling_til_godkendelse.txt")]
struct BevillingTilGodkendelse<'a> {
    a: &'a Afsender,
    kontakt_navn: &'a str,
}

/// To the company: the grant awaits its approval (DOMAIN.md step 4); also what "Gensend"
/// sends again (seed 002 §5.4).
pub fn bevilling_til_godkendelse(a: &Afsender, til: &str, kontakt_navn: &str) -> Result<Email, WebFejl> {
    let t = BevillingTilGodkendelse { a, kontakt_navn: navn(kontakt_navn) };
    a.mail(til, &format!("Bevilling af {} til godkendelse", a.ordning), &t)
}

#[derive(Template)]
#[template(path = "email/afslag.txt")]
struct Afslag<'a> {
    a: &'a Afsender,
    tekst: &'a str,
}

/// To the company: the rejection, with the caseworker's edit of the standard text that cites
/// the law (domain::tekster; DOMAIN.md step 4; seed 002 §2.3 and §3.4).
pub fn afslag(a: &Afsender, til: &str, tekst: &str) -> Result<Email, WebFejl> {
    a.mail(til, &format!("Afslag på {} om {}", a.sagsart, a.ordning), &Afslag { a, tekst: tekst.trim() })
}

#[derive(Template)]
#[template(path = "email/rep_afvist.txt")]
struct RepAfvist<'a> {
    a: &'a Afsender,
    kontakt_navn: &'a str,
    begrundelse: &'a str,
}

/// To the company: the representative rejected the application (seed 001 §1.2.3).
pub fn rep_afvist(a: &Afsender, til: &str, kontakt_navn: &str, begrundelse: &str) -> Result<Email, WebFejl> {
    let t = RepAfvist { a, kontakt_navn: navn(kontakt_navn), begrundelse: begrundelse.trim() };
    a.mail(til, &format!("Ansøgning om {} afvist af medarbejderrepræsentanten", a.ordning), &t)
}

#[derive(Template)]
#[template(path = "email/forlaengelse_godkendt.txt")]
struct ForlaengelseGodkendt<'a> {
    a: &'a Afsender,
    kontakt_navn: &'a str,
    ny_slutdato: &'a str,
}

/// To the company: the extension is approved (seed 004 "Forlængelse").
pub fn forlaengelse_godkendt(a: &Afsender, til: &str, kontakt_navn: &str, ny_slutdato: &str) -> Result<Email, WebFejl> {
    let t = ForlaengelseGodkendt { a, kontakt_navn: navn(kontakt_navn), ny_slutdato };
    a.mail(til, &format!("Forlængelse af {} godkendt", a.ordning), &t)
}

#[derive(Template)]
#[template(path = "email/forlaengelse_afvist.txt")]
struct ForlaengelseAfvist<'a> {
    a: &'a Afsender,
    kontakt_navn: &'a str,
}

/// To the company: the extension is rejected (seed 004 "Forlængelse").
pub fn forlaengelse_afvist(a: &Afsender, til: &str, kontakt_navn: &str) -> Result<Email, WebFejl> {
    let t = ForlaengelseAfvist { a, kontakt_navn: navn(kontakt_navn) };
    a.mail(til, &format!("Forlængelse af {} afvist", a.ordning), &t)
}

#[derive(Template)]
#[template(path = "email/ophoer_registreret.txt")]
struct OphoerRegistreret<'a> {
    a: &'a Afsender,
    kontakt_navn: &'a str,
    ophoersdato: &'a str,
}

/// To the company: its termination is registered and the jobcentre told (seed 004 "Ophør").
pub fn ophoer_registreret(a: &Afsender, til: &str, kontakt_navn: &str, ophoersdato: &str) -> Result<Email, WebFejl> {
    let t = OphoerRegistreret { a, kontakt_navn: navn(kontakt_navn), ophoersdato };
    a.mail(til, &format!("Ophør af {} registreret", a.ordning), &t)
}

#[derive(Template)]
#[template(path = "email/kladde_link.txt")]
struct KladdeLink<'a> {
    a: &'a Afsender,
    kontakt_navn: &'a str,
}

/// To the company: a draft the jobcentre filled in for it, to sign and send (DOMAIN.md
/// step 1, virksomhedssupport; sent again with "Gensend").
pub fn kladde_link(a: &Afsender, til: &str, kontakt_navn: &str) -> Result<Email, WebFejl> {
    let t = KladdeLink { a, kontakt_navn: navn(kontakt_navn) };
    a.mail(til, &format!("Kladde til {} om {}", a.sagsart, a.ordning), &t)
}

#[derive(Template)]
#[template(path = "email/aftale_til_borger.txt")]
struct AftaleTilBorger<'a> {
    a: &'a Afsender,
    borger_navn: &'a str,
}

/// To the citizen: the company has signed an agreement that the citizen signs too (DOMAIN.md
/// "Actors": the citizen signs IGU agreements). Sent where VITAS has the citizen's address
/// (decision 99); no CPR in it.
pub fn aftale_til_borger(a: &Afsender, til: &str, borger_navn: &str) -> Result<Email, WebFejl> {
    let borger_navn = if borger_navn.trim().is_empty() { "borger" } else { borger_navn.trim() };
    a.mail(til, &format!("Aftale om {} til underskrift", a.ordning), &AftaleTilBorger { a, borger_navn })
}

#[derive(Template)]
#[template(path = "email/aftale_afvist_af_borger.txt")]
struct AftaleAfvistAfBorger<'a> {
    a: &'a Afsender,
    kontakt_navn: &'a str,
}

/// To the company: the citizen declined to sign the agreement (decision 97).
pub fn aftale_afvist_af_borger(a: &Afsender, til: &str, kontakt_navn: &str) -> Result<Email, WebFejl> {
    let t = AftaleAfvistAfBorger { a, kontakt_navn: navn(kontakt_navn) };
    a.mail(til, &format!("Aftale om {} afvist af borgeren", a.ordning), &t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a() -> Afsender {
        Afsender {
            jobcenter: "Jobcenter København".into(),
            sag_id: 1001,
            ordning: "løntilskud".into(),
            sagsart: "ansøgning".into(),
            link: "http://vitas.test/sager/1001".into(),
        }
    }

    #[test]
    fn hver_mail_har_vitas_id_afsender_link_og_hilsen() {
        let a = a();
        let alle = [
            hoering(&a, "rep@x.dk", "Åse Ørsted", "http://vitas.test/hoering/tok").expect("hoering"),
            ansoegning_modtaget(&a, "k@x.dk", "Søren", "03-12-2026").expect("modtaget"),
            bevilling_til_godkendelse(&a, "k@x.dk", "Søren").expect("bevilling"),
            afslag(&a, "k@x.dk", &domain::tekster::standard_afslag(domain::ordning::Ordning::Loentilskud))
                .expect("afslag"),
            rep_afvist(&a, "k@x.dk", "Søren", "Ikke aftalt med klubben").expect("rep"),
            forlaengelse_godkendt(&a, "k@x.dk", "Søren", "31-12-2027").expect("forl"),
            forlaengelse_afvist(&a, "k@x.dk", "").expect("forl afvist"),
            ophoer_registreret(&a, "k@x.dk", "Søren", "01-02-2027").expect("ophør"),
            kladde_link(&a, "k@x.dk", "Søren").expect("kladde"),
            aftale_til_borger(&a, "b@x.dk", "Anna Jensen").expect("til borgeren"),
            aftale_afvist_af_borger(&a, "k@x.dk", "Søren").expect("afvist af borgeren"),
        ];
        for m in &alle {
            assert!(m.emne.ends_with("(VITAS-id 1001)"), "{}", m.emne);
            assert_eq!(m.afsender_navn, "Jobcenter København");
            assert!(m.tekst.contains("Med venlig hilsen\nJobcenter København"), "{}", m.tekst);
            assert!(m.tekst.contains("http://vitas.test/"), "{}", m.tekst);
            assert!(!m.tekst.contains("{{") && !m.tekst.contains("&amp;"), "{}", m.tekst);
        }
        assert!(alle[0].tekst.starts_with("Kære Åse Ørsted\n"), "{}", alle[0].tekst);
        assert!(alle[3].tekst.contains("kapitel 12"), "afslaget citerer loven");
        assert!(alle[6].tekst.starts_with("Kære kontaktperson\n"));
        assert_eq!(alle[1].emne, "Ansøgning om løntilskud modtaget af jobcentret (VITAS-id 1001)");
        assert!(alle[9].tekst.starts_with("Kære Anna Jensen\n"), "{}", alle[9].tekst);
        // An agreement reads as one (decision 97).
        let aftale = Afsender { ordning: "IGU".into(), sagsart: "aftale".into(), ..a };
        let m = ansoegning_modtaget(&aftale, "k@x.dk", "Søren", "03-12-2026").expect("modtaget");
        assert_eq!(m.emne, "Aftale om IGU modtaget af jobcentret (VITAS-id 1001)");
        assert!(m.tekst.contains("har modtaget jeres aftale om IGU"), "{}", m.tekst);
    }
}
