//! Login through OpenID Connect (issue 14 §1, decision 70): companies through MitID Erhverv /
//! NemLog-in, jobcentre staff through FKA, citizens and employee representatives through
//! MitID. One provider per kind of user, each configured by environment; the authorization
//! code flow with PKCE, `state` and `nonce`, the ID token verified by `openidconnect`
//! (signature against the provider's keys, issuer, audience, expiry, nonce).
//!
//! The demo's local stand-in for the three services is the demo login (`html::demo`): where a
//! kind has no provider configured and demo mode is on, `/log-ind/{profil}` goes there.

use domain::login::{Identitet, Loginprofil};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    ProviderMetadataWithLogout, RedirectUrl, Scope,
};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

/// One provider's settings, from `VITAS_OIDC_{ERHVERV|FKA|MITID}_…`.
#[derive(Clone, Debug)]
pub struct Opsaetning {
    pub issuer: String,
    pub klient_id: String,
    pub hemmelighed: String,
    /// Scopes besides `openid`.
    pub scopes: Vec<String>,
    pub claims: Claimnavne,
}

/// Where in the ID token each fact is (the providers name them differently).
#[derive(Clone, Debug)]
pub struct Claimnavne {
    pub navn: String,
    pub cvr: String,
    pub cpr: String,
    pub kommune: String,
    pub roller: String,
}

impl Default for Claimnavne {
    /// NemLog-in's OIDC names for CVR and CPR (the OIOSAML attribute names carried over), and
    /// FKA's municipality and roles as VITAS's test provider names them.
    fn default() -> Self {
        Claimnavne {
            navn: "name".into(),
            cvr: "https://data.gov.dk/model/core/eid/professional/cvr".into(),
            cpr: "https://data.gov.dk/model/core/eid/cprNumber".into(),
            kommune: "https://fka.kombit.dk/claims/kommunekode".into(),
            roller: "https://fka.kombit.dk/claims/roller".into(),
        }
    }
}

impl Opsaetning {
    /// The provider of one kind from the environment (`hent` reads a variable): None when its
    /// issuer is not set; an error names a variable that is missing beside it.
    pub fn fra_miljoe(
        profil: Loginprofil,
        hent: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Opsaetning>, String> {
        let navn = |del: &str| format!("VITAS_OIDC_{}_{del}", profil.miljoe());
        let laes = |del: &str| hent(&navn(del)).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let Some(issuer) = laes("ISSUER") else {
            return Ok(None);
        };
        let kraev =
            |del: &str| laes(del).ok_or_else(|| format!("{} mangler, når {} er sat", navn(del), navn("ISSUER")));
        let standard = Claimnavne::default();
        let claim = |del: &str, std: String| laes(&format!("CLAIM_{del}")).unwrap_or(std);
        Ok(Some(Opsaetning {
            issuer,
            klient_id: kraev("CLIENT_ID")?,
            hemmelighed: kraev("CLIENT_SECRET")?,
            scopes: laes("SCOPES")
                .unwrap_or_else(|| "profile".into())
                .split_whitespace()
                .filter(|s| *s != "openid")
                .map(str::to_string)
                .collect(),
            claims: Claimnavne {
                navn: claim("NAVN", standard.navn),
                cvr: claim("CVR", standard.cvr),
                cpr: claim("CPR", standard.cpr),
                kommune: claim("KOMMUNE", standard.kommune),
                roller: claim("ROLLER", standard.roller),
            },
        }))
    }
}

/// Why a provider's answer is refused: each has a Danish message for the page.
#[derive(Debug, thiserror::Error)]
pub enum Svarfejl {
    #[error("Login-forsøget er udløbet eller allerede brugt. Start forfra, og log ind igen.")]
    UkendtForsoeg,
    #[error("Login blev afbrudt hos login-tjenesten. Du kan prøve igen.")]
    Afbrudt,
    #[error("Svaret fra login-tjenesten var ikke til VITAS (forkert modtager). Du er ikke logget ind.")]
    ForkertModtager,
    #[error("Svaret fra login-tjenesten er udløbet. Log ind igen.")]
    Udloebet,
    #[error(
        "Svaret fra login-tjenesten kunne ikke godkendes (ugyldig signatur eller afsender). Du er ikke logget ind."
    )]
    Ugyldigt,
    #[error("Login-tjenesten svarer ikke lige nu. Prøv igen om lidt.")]
    Utilgaengelig(String),
}

/// A provider that is configured, with its discovered metadata cached for an hour (its keys
/// may rotate; a failed signature check fetches them again at once).
pub struct Tjeneste {
    pub profil: Loginprofil,
    pub opsaetning: Opsaetning,
    http: openidconnect::reqwest::Client,
    metadata: RwLock<Option<(Instant, ProviderMetadataWithLogout)>>,
}

const METADATA_LEVETID: Duration = Duration::from_secs(3600);

/// Where the browser goes next, and what VITAS must keep until it comes back.
pub struct Start {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce: String,
}

impl Tjeneste {
    pub fn ny(profil: Loginprofil, opsaetning: Opsaetning) -> Result<Tjeneste, String> {
        // No redirects: a token endpoint that redirects is refused (openidconnect's advice
        // against SSRF), and a timeout so that a hanging provider does not hang a page.
        let http = openidconnect::reqwest::Client::builder()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Tjeneste { profil, opsaetning, http, metadata: RwLock::new(None) })
    }

    async fn metadata(&self, frisk: bool) -> Result<ProviderMetadataWithLogout, Svarfejl> {
        if !frisk
            && let Some((hentet, m)) = self.metadata.read().await.as_ref()
            && hentet.elapsed() < METADATA_LEVETID
        {
            return Ok(m.clone());
        }
        let issuer =
            IssuerUrl::new(self.opsaetning.issuer.clone()).map_err(|e| Svarfejl::Utilgaengelig(e.to_string()))?;
        let m = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| Svarfejl::Utilgaengelig(e.to_string()))?;
        *self.metadata.write().await = Some((Instant::now(), m.clone()));
        Ok(m)
    }

    fn klient(
        &self,
        m: ProviderMetadataWithLogout,
        base_url: &str,
    ) -> Result<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        Svarfejl,
    > {
        let retur =
            RedirectUrl::new(format!("{base_url}{SVAR_STI}")).map_err(|e| Svarfejl::Utilgaengelig(e.to_string()))?;
        Ok(CoreClient::from_provider_metadata(
            m,
            ClientId::new(self.opsaetning.klient_id.clone()),
            Some(ClientSecret::new(self.opsaetning.hemmelighed.clone())),
        )
        .set_redirect_uri(retur))
    }

    /// The provider's login address, with a fresh `state`, `nonce` and PKCE challenge.
    pub async fn start(&self, base_url: &str) -> Result<Start, Svarfejl> {
        let klient = self.klient(self.metadata(false).await?, base_url)?;
        let (udfordring, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut anmodning = klient
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .set_pkce_challenge(udfordring);
        for s in &self.opsaetning.scopes {
            anmodning = anmodning.add_scope(Scope::new(s.clone()));
        }
        let (url, state, nonce) = anmodning.url();
        Ok(Start {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce: verifier.secret().clone(),
        })
    }

    /// The code exchanged for tokens, and the ID token verified: the person it names.
    pub async fn afslut(&self, base_url: &str, kode: &str, nonce: &str, pkce: &str) -> Result<Identitet, Svarfejl> {
        let m = self.metadata(false).await?;
        let klient = self.klient(m, base_url)?;
        let svar = klient
            .exchange_code(AuthorizationCode::new(kode.to_string()))
            .map_err(|e| Svarfejl::Utilgaengelig(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce.to_string()))
            .request_async(&self.http)
            .await
            .map_err(|e| {
                tracing::warn!(profil = self.profil.slug(), fejl = %e, "kodeveksling afvist");
                Svarfejl::UkendtForsoeg
            })?;
        let id_token = openidconnect::TokenResponse::id_token(&svar).ok_or(Svarfejl::Ugyldigt)?;
        let nonce = Nonce::new(nonce.to_string());
        let verificer = |k: &CoreClient<_, _, _, _, _, _>| {
            id_token.claims(&k.id_token_verifier(), &nonce).map(|c| c.subject().to_string())
        };
        let sub = match verificer(&klient) {
            Ok(s) => s,
            // The provider may have rotated its keys since the metadata was cached.
            Err(openidconnect::ClaimsVerificationError::SignatureVerification(_)) => {
                let klient = self.klient(self.metadata(true).await?, base_url)?;
                verificer(&klient).map_err(|e| self.afvis(e))?
            }
            Err(e) => return Err(self.afvis(e)),
        };
        let indhold = nyttelast(&id_token.to_string()).ok_or(Svarfejl::Ugyldigt)?;
        let c = &self.opsaetning.claims;
        let tekst = |navn: &str| indhold.get(navn).and_then(|v| v.as_str()).map(|s| s.trim().to_string());
        let roller = match indhold.get(&c.roller) {
            Some(serde_json::Value::Array(a)) => a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
            Some(serde_json::Value::String(s)) => {
                s.split([',', ' ']).filter(|r| !r.is_empty()).map(str::to_string).collect()
            }
            _ => Vec::new(),
        };
        Ok(Identitet {
            profil: self.profil,
            emne: format!("{}|{sub}", self.opsaetning.issuer.trim_end_matches('/')),
            navn: tekst(&c.navn).map(|n| domain::tekst::uden_kontroltegn(&n).into_owned()).unwrap_or_default(),
            cvr: tekst(&c.cvr),
            cpr: tekst(&c.cpr),
            kommunekode: tekst(&c.kommune),
            roller,
        })
    }

    fn afvis(&self, e: openidconnect::ClaimsVerificationError) -> Svarfejl {
        use openidconnect::ClaimsVerificationError as C;
        tracing::warn!(profil = self.profil.slug(), fejl = %e, "ID-token afvist");
        match e {
            C::InvalidAudience(_) => Svarfejl::ForkertModtager,
            C::Expired(_) => Svarfejl::Udloebet,
            C::InvalidNonce(_) => Svarfejl::UkendtForsoeg,
            _ => Svarfejl::Ugyldigt,
        }
    }

    /// Where to send the browser to end the login at the provider too (RP-Initiated Logout),
    /// if the provider offers it; it comes back to `tilbage`.
    pub async fn log_ud_url(&self, tilbage: &str) -> Option<String> {
        let m = self.metadata(false).await.ok()?;
        let slut = m.additional_metadata().end_session_endpoint.clone()?;
        let mut url = slut.url().clone();
        url.query_pairs_mut()
            .append_pair("client_id", &self.opsaetning.klient_id)
            .append_pair("post_logout_redirect_uri", tilbage);
        Some(url.to_string())
    }
}

/// The decoded payload of a compact JWS (already verified by the caller).
fn nyttelast(jwt: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    use base64::Engine;
    let del = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(del.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Where every provider sends the browser back.
pub const SVAR_STI: &str = "/log-ind/svar";

/// The cookie that binds a login under way to the browser that started it (against login
/// CSRF: an answer carried to another browser finds no cookie).
pub const FORSOEG_COOKIE: &str = "vitas_login";

/// The configured providers, one per kind at most.
#[derive(Default)]
pub struct Logintjenester {
    tjenester: HashMap<Loginprofil, Arc<Tjeneste>>,
    /// STAR's CVR: an Erhverv login with it is a STAR user (`VITAS_STYRELSE_CVR`).
    pub styrelse_cvr: Option<String>,
    /// The providers' origins, which the pages' CSP lets a form lead to: logging out posts to
    /// `/log-ud`, which redirects to the provider's logout, and browsers hold a form's
    /// redirects to `form-action` too. (The end-session endpoint is expected at the issuer's
    /// origin, as NemLog-in and FKA have it.)
    oprindelser: Vec<String>,
}

impl Logintjenester {
    pub fn med(mut self, profil: Loginprofil, o: Opsaetning) -> Result<Self, String> {
        let url = openidconnect::url::Url::parse(&o.issuer).map_err(|e| format!("{}: {e}", o.issuer))?;
        let oprindelse = url.origin().ascii_serialization();
        if !self.oprindelser.contains(&oprindelse) {
            self.oprindelser.push(oprindelse);
        }
        self.tjenester.insert(profil, Arc::new(Tjeneste::ny(profil, o)?));
        Ok(self)
    }

    /// A page's CSP with the providers' origins added to `form-action`.
    pub fn csp(&self, basis: &'static str) -> std::borrow::Cow<'static, str> {
        if self.oprindelser.is_empty() {
            return basis.into();
        }
        basis.replace("form-action 'self'", &format!("form-action 'self' {}", self.oprindelser.join(" "))).into()
    }

    /// Every provider the environment names (`VITAS_OIDC_…`, `VITAS_STYRELSE_CVR`).
    pub fn fra_miljoe(hent: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let mut t = Logintjenester {
            styrelse_cvr: hent("VITAS_STYRELSE_CVR").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
            ..Default::default()
        };
        for p in Loginprofil::ALLE {
            if let Some(o) = Opsaetning::fra_miljoe(p, &hent)? {
                t = t.med(p, o)?;
            }
        }
        Ok(t)
    }

    pub fn tjeneste(&self, p: Loginprofil) -> Option<Arc<Tjeneste>> {
        self.tjenester.get(&p).cloned()
    }

    /// The kinds with a provider, in the front page's order.
    pub fn profiler(&self) -> Vec<Loginprofil> {
        Loginprofil::ALLE.into_iter().filter(|p| self.tjenester.contains_key(p)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opsaetning_fra_miljoeet() {
        let miljoe = |par: &[(&str, &str)]| {
            let m: HashMap<String, String> = par.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            move |k: &str| m.get(k).cloned()
        };
        assert!(Opsaetning::fra_miljoe(Loginprofil::Fka, miljoe(&[])).expect("ok").is_none());
        let fejl = Opsaetning::fra_miljoe(Loginprofil::Fka, miljoe(&[("VITAS_OIDC_FKA_ISSUER", "https://fka")]));
        assert_eq!(fejl.err().as_deref(), Some("VITAS_OIDC_FKA_CLIENT_ID mangler, når VITAS_OIDC_FKA_ISSUER er sat"));
        let o = Opsaetning::fra_miljoe(
            Loginprofil::Fka,
            miljoe(&[
                ("VITAS_OIDC_FKA_ISSUER", "https://fka"),
                ("VITAS_OIDC_FKA_CLIENT_ID", "vitas"),
                ("VITAS_OIDC_FKA_CLIENT_SECRET", "s"),
                ("VITAS_OIDC_FKA_SCOPES", "openid profile fka"),
                ("VITAS_OIDC_FKA_CLAIM_ROLLER", "roles"),
            ]),
        )
        .expect("ok")
        .expect("sat");
        assert_eq!(o.scopes, ["profile", "fka"]);
        assert_eq!(o.claims.roller, "roles");
        assert_eq!(o.claims.navn, "name");
    }

    #[test]
    fn csp_tillader_udbydernes_oprindelse_efter_en_formular() {
        let o = |issuer: &str| Opsaetning {
            issuer: issuer.into(),
            klient_id: "k".into(),
            hemmelighed: "h".into(),
            scopes: vec![],
            claims: Claimnavne::default(),
        };
        let basis = crate::sikkerhed::CSP;
        assert_eq!(Logintjenester::default().csp(basis), basis);
        let t = Logintjenester::default()
            .med(Loginprofil::MitId, o("https://mitid.example.dk/op/"))
            .and_then(|t| t.med(Loginprofil::Erhverv, o("https://mitid.example.dk/erhverv")))
            .and_then(|t| t.med(Loginprofil::Fka, o("https://fka.example.dk:8443")))
            .expect("tjenester");
        let csp = t.csp(basis);
        assert!(csp.contains("form-action 'self' https://mitid.example.dk https://fka.example.dk:8443;"), "{csp}");
        assert!(csp.contains("script-src 'self';"), "resten er uændret: {csp}");
        assert!(Logintjenester::default().med(Loginprofil::Fka, o("ikke en url")).is_err());
    }

    #[test]
    fn nyttelasten_laeses() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIiwibmFtZSI6IkJvIn0.c2ln";
        let m = nyttelast(jwt).expect("json");
        assert_eq!(m.get("name").and_then(|v| v.as_str()), Some("Bo"));
        assert!(nyttelast("kun-en-del").is_none());
    }
}
