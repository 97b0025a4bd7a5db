//! Finding a case for a Get service and building the parts every answer shares.

use domain::ordning::Ordning;
use domain::skema::Skemadata;
use domain::status::Elementart;
use domain::timer::TimerPrUge;
use domain::webservice::GetService;
use storage::api::Sagsdetaljer;
use storage::entity::{sag, sagselement};

use super::auth::ApiKlient;
use super::fejl::ApiFejl;
use super::kontrakt::{
    AndenAktoerReference, Ansaettelse, Bevillingsdata, Borger, Kontaktperson, Sagsbehandler, Sagsoplysninger,
    TimerOgMinutter,
};
use crate::AppState;

/// A case the client may see, with what the answers read beside it.
pub struct FundetSag {
    pub sag: sag::Model,
    pub ordning: Ordning,
    pub jobcenter_kode: Option<String>,
    pub detaljer: Sagsdetaljer,
    /// The stored form as it is (`sag_skema`), read with the case.
    pub skemajson: String,
}

/// The case with external id `eksternt_id`, if it belongs to one of the client's jobcentres.
/// Outside the scopes it is "not found", exactly like an unknown id (404, not 403: the answer
/// must not tell that the case exists; docs/decisions.md 32).
pub async fn sag(st: &AppState, klient: &ApiKlient, eksternt_id: &str) -> Result<FundetSag, ApiFejl> {
    let uuid = uuid::Uuid::parse_str(eksternt_id).map_err(|_| ApiFejl::UgyldigtEksterntId)?;
    // The handler's span names the case only once the id is a uuid: what a caller put in the
    // path could be anything, a CPR number too, and never reaches the log.
    tracing::Span::current().record("eksternt_id", tracing::field::display(uuid));
    let (s, kode) =
        storage::api::sag_med_kommune(&st.db, &uuid.hyphenated().to_string()).await?.ok_or(ApiFejl::SagIkkeFundet)?;
    if !klient.maa_se(kode.as_deref()) {
        return Err(ApiFejl::SagIkkeFundet);
    }
    let ordning = Ordning::fra_kode(&s.ordning)
        .ok_or_else(|| ApiFejl::Intern(anyhow::anyhow!("ukendt ordning på sag {}", s.id)))?;
    let detaljer = storage::api::sagsdetaljer(&st.db, &s).await?;
    let skemajson = storage::sager::skemajson(&st.db.conn, s.id).await?;
    // The access log (decision 68): a municipal system read the citizen's data, and that of
    // every other citizen the form names (decision 106).
    let oevrige = match storage::sager::laes_skema(&s, &skemajson) {
        Ok(Some(skema)) => storage::sager::oevrige_personer(&skema),
        _ => Vec::new(),
    };
    let l = storage::adgangslog::Laesning {
        bruger_id: None,
        api_klient_id: Some(klient.id),
        rolle: "api".into(),
        formaal: storage::adgangslog::Formaal::Api,
        hvad: format!("api sag {}", s.id),
        cpr: s.cpr.iter().cloned().chain(oevrige).collect(),
    };
    storage::adgangslog::skriv(&st.db, l, chrono::Utc::now()).await?;
    Ok(FundetSag { sag: s, ordning, jobcenter_kode: kode, detaljer, skemajson })
}

/// Whether the Get answers carry a scheme's data: those whose life cycle is built (the
/// profile's `bygget`). Every other scheme a method serves answers 409 `ordning_uden_data`
/// (docs/api.md).
pub const MED_DATA: fn(Ordning) -> bool = Ordning::bygget;

/// For the methods whose own data no scheme carries yet (GetAftale, GetMentor,
/// GetHjælpemiddel): every scheme they serve answers 409 `ordning_uden_data`.
pub const UDEN_DATA: fn(Ordning) -> bool = |_| false;

/// The case for a Get method: found as [`sag`] does, then checked against the method's
/// schemes (seed 002 §1.1, `domain::webservice`): 404 `ikke_for_ordningen` for a scheme the
/// method does not serve, 404 for a grant of its own where the method serves supplementary
/// grants only, and 409 `ordning_uden_data` for a served scheme `med_data` says no to.
pub async fn sag_for(
    st: &AppState,
    klient: &ApiKlient,
    eksternt_id: &str,
    service: GetService,
    med_data: fn(Ordning) -> bool,
) -> Result<FundetSag, ApiFejl> {
    let f = sag(st, klient, eksternt_id).await?;
    tjek(service, f.ordning, f.sag.hovedsag_id.is_some(), med_data)?;
    Ok(f)
}

/// The check of [`sag_for`], on its own so it can be tested for every method and scheme.
pub fn tjek(
    service: GetService,
    ordning: Ordning,
    er_tillaeg: bool,
    med_data: fn(Ordning) -> bool,
) -> Result<(), ApiFejl> {
    let navn = service.navn();
    if !service.ordninger().contains(&ordning) {
        return Err(ApiFejl::IkkeForOrdning { service: navn, ordning });
    }
    if service.kun_tillaeg() && !er_tillaeg {
        return Err(ApiFejl::ElementIkkeFundet("Sagen er ikke en tillægsbevilling. Brug GetBevilling."));
    }
    if !med_data(ordning) {
        return Err(ApiFejl::OrdningUdenData { service: navn, ordning });
    }
    Ok(())
}

impl FundetSag {
    pub fn oplysninger(&self, subskabelon: &str) -> Sagsoplysninger {
        let s = &self.sag;
        Sagsoplysninger {
            eksternt_id: s.uuid.clone(),
            virksomhedsordning_subskabelon: subskabelon.into(),
            hovedsag_eksternt_id: self.detaljer.hovedsag_uuid.clone(),
            jobcenter_kode: self.jobcenter_kode.clone(),
            cvr: s.cvr.clone(),
            pnummer: s.pnummer.clone(),
            ansoegning_status: s.ansoegning_status.clone(),
            afgoerelse_status: s.afgoerelse_status.clone(),
            forlaengelse_status: s.forlaengelse_status.clone(),
            afgoerelse_dato: s.afgoerelse_dato,
            ansvarlig_sagsbehandler: self.detaljer.ansvarlig.as_ref().map(|b| Sagsbehandler {
                fornavn: b.fornavn.clone(),
                mellemnavn: b.mellemnavn.clone(),
                efternavn: b.efternavn.clone(),
                email: b.email.clone(),
            }),
            anden_aktoer: self.detaljer.anden_aktoer.as_ref().map(|a| AndenAktoerReference {
                navn: a.navn.clone(),
                cvr: a.cvr.clone(),
                pnummer: a.pnummer.clone(),
            }),
        }
    }

    /// The form stored with the case, read as its own scheme's.
    pub fn skemadata(&self) -> Result<Skemadata, ApiFejl> {
        match storage::sager::laes_skema(&self.sag, &self.skemajson) {
            Ok(Some(s)) => Ok(s),
            Ok(None) => Err(ApiFejl::OrdningUdenData { service: "Get", ordning: self.ordning }),
            Err(e) => Err(ApiFejl::Intern(e.into())),
        }
    }

    /// Hours per week from the case (or the form), as hours and minutes (seed 002 §2.5).
    pub fn timer(&self, skema: Option<&Skemadata>) -> Option<TimerOgMinutter> {
        let hundrededele = self.sag.timer_hundrededele.and_then(|h| u32::try_from(h).ok()).or_else(|| {
            skema.and_then(|s| TimerPrUge::parse(&s.dele().forloeb.timer, "timer").ok()).map(TimerPrUge::hundredths)
        })?;
        let (timer, minutter) = TimerPrUge::from_hundredths(hundrededele).timer_og_minutter();
        Some(TimerOgMinutter { timer, minutter })
    }

    pub fn borger(&self, skema: Option<&Skemadata>) -> Borger {
        let fra_skema = |f: fn(&domain::skema::dele::Borgeren) -> &str| {
            skema.map(|s| f(s.dele().borgeren).to_string()).unwrap_or_default()
        };
        Borger {
            cpr: self.sag.cpr.clone().unwrap_or_else(|| fra_skema(|s| &s.cpr).replace('-', "")),
            navn: self.sag.borger_navn.clone().unwrap_or_else(|| fra_skema(|s| &s.borger_navn)),
        }
    }

    pub fn ansaettelse(&self, skema: &Skemadata) -> Ansaettelse {
        let jobbet = skema.dele().jobbet;
        Ansaettelse {
            borger: self.borger(Some(skema)),
            startdato: self.sag.startdato,
            slutdato: self.sag.slutdato,
            timer_pr_uge: self.timer(Some(skema)),
            stillingsbetegnelse: jobbet.stillingsbetegnelse.trim().to_string(),
            jobindhold: jobbet.jobindhold.trim().to_string(),
        }
    }

    /// The records of one kind, oldest first.
    pub fn elementer(&self, art: Elementart) -> impl Iterator<Item = &sagselement::Model> {
        self.detaljer.elementer.iter().filter(move |e| e.art == art.kode())
    }

    pub fn bevillingsdata(&self, e: &sagselement::Model) -> Bevillingsdata {
        Bevillingsdata {
            element_id: e.uuid.clone(),
            startdato: e.startdato,
            slutdato: e.slutdato,
            aktuel_slutdato: self.sag.slutdato,
            oprindelig_slutdato: self.sag.oprindelig_slutdato.or(e.slutdato),
            godkendt_dato: self.sag.godkendt_dato,
        }
    }
}

/// The application's contact (Trin 4).
pub fn ansvarlig_kontakt(s: &Skemadata) -> Kontaktperson {
    let s = s.dele().kontakt;
    Kontaktperson {
        navn: s.kontakt_navn.trim().into(),
        email: s.kontakt_email.trim().into(),
        telefon: s.kontakt_telefon.trim().into(),
    }
}

/// The contact at the workplace: what the web services send (seed 002 §2.4).
pub fn arbejdssted_kontakt(s: &Skemadata) -> Kontaktperson {
    let s = s.dele().kontakt;
    Kontaktperson {
        navn: s.arbejdssted_navn.trim().into(),
        email: s.arbejdssted_email.trim().into(),
        telefon: s.arbejdssted_telefon.trim().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordning::*;

    fn kode(r: Result<(), ApiFejl>) -> &'static str {
        r.err().map_or("ok", |e| e.fejlkode())
    }

    #[test]
    fn metodens_ordninger_tillaeg_og_data() {
        let t = |s, o, tillaeg| kode(tjek(s, o, tillaeg, MED_DATA));
        assert_eq!(t(GetService::Bevilling, Loentilskud, false), "ok");
        assert_eq!(t(GetService::Bevilling, Fleksjob, false), "ok");
        assert_eq!(t(GetService::Ophoer, Fleksjob, false), "ikke_for_ordningen");
        assert_eq!(t(GetService::Bevilling, PersonligAssistent, false), "ordning_uden_data");
        assert_eq!(t(GetService::Ansoegning, Mentor, true), "ikke_for_ordningen");
        assert_eq!(t(GetService::Bevilling, Mentor, true), "ordning_uden_data");
        assert_eq!(t(GetService::Mentor, Mentor, true), "ordning_uden_data");
        assert_ne!(t(GetService::Mentor, Mentor, false), "ordning_uden_data");
        assert_ne!(t(GetService::Mentor, Mentor, false), "ok");
        assert_eq!(t(GetService::Hjaelpemiddel, Mentor, true), "ikke_for_ordningen");
        assert_eq!(kode(tjek(GetService::Aftale, Igu, false, UDEN_DATA)), "ordning_uden_data");
        // Every answer of the table is one of the three refusals or ok; none is an internal error.
        for s in GetService::ALLE {
            for o in Ordning::ALLE {
                for tillaeg in [false, true] {
                    assert_ne!(t(s, o, tillaeg), "intern_fejl");
                }
            }
        }
    }
}
