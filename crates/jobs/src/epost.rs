//! E-mail over SMTP (issue 4 §5): the outbox kind `email`, delivered with lettre 0.11 on
//! tokio and rustls (no native-tls).
//!
//! - **What is sent** was rendered when the change was made (`web::email`) and stored in the
//!   row as a `storage::sager::Email`: the worker only wraps it in headers, so the outbox (and
//!   the demo mailbox) holds exactly what the company receives.
//! - **From** is the case's jobcentre by name ("Jobcenter København") with the one configured
//!   address (`--afsender-adresse`), so replies and bounces reach one mailbox we run.
//! - **Message-ID** is `<row key@sender domain>`: the same on every attempt of a row, so a
//!   mail resent after a lost answer can be recognised as a duplicate. A "Gensend" is a new
//!   row and a new id (it is a new mail). **Date** is when the row was written.
//! - **Failures** are failed deliveries like a webhook's (backoff, then dead), except a
//!   permanent rejection (an SMTP 5xx reply, or an address that cannot be parsed): it goes
//!   dead at once, because retrying for four days does not change the answer, and the
//!   administrator sees the server's reason in the dead-letter list (docs/decisions.md 43).
//!
//! **The connection URL** (`--smtp-url`, lettre's `from_url`):
//! - `smtp://host:port`: plain SMTP, no TLS; only for a local sink (aiosmtpd, maildev) or a
//!   relay on the same host;
//! - `smtp://host:587?tls=required`: STARTTLS, refused if the server does not offer it;
//! - `smtp://host:587?tls=opportunistic`: STARTTLS when offered (not for production);
//! - `smtps://host:465`: TLS from the first byte;
//! - `smtp://user:password@host…`: credentials (percent-encoded), sent only after TLS is up
//!   when a `tls` mode is set; a path (`smtp://host/vitas.example.dk`) sets the EHLO name.
//!
//! Certificates are checked against the webpki roots (Mozilla's list, compiled in).

use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use storage::entity::outbox;
use storage::sager::Email;

/// The display name when a row has none (rows written before the sender was stored).
const STANDARD_AFSENDER: &str = "VITAS";

/// Why the SMTP set-up is refused at start.
#[derive(Debug, thiserror::Error)]
pub enum OpsaetningsFejl {
    #[error("SMTP-adressen kan ikke bruges ({0}); brug fx smtp://127.0.0.1:2525 eller smtps://mail.example.dk")]
    Url(String),
    #[error("afsenderadressen »{0}« er ikke en gyldig e-mailadresse")]
    Afsender(String),
}

/// Why one mail was not delivered; the text goes to the row for the administrator (never
/// the body: it can name a citizen).
#[derive(Debug, thiserror::Error)]
pub enum EpostFejl {
    #[error("e-mailen i outboxen kan ikke læses: {0}")]
    Indhold(String),
    #[error("modtageradressen »{0}« er ikke en gyldig e-mailadresse")]
    Modtager(String),
    #[error("e-mailen kunne ikke bygges: {0}")]
    Bygning(String),
    #[error("SMTP-serveren afviste e-mailen permanent: {0}")]
    Permanent(String),
    #[error("SMTP-serveren afviste e-mailen midlertidigt: {0}")]
    Midlertidig(String),
    #[error("SMTP-serveren kunne ikke nås: {0}")]
    Forbindelse(String),
}

impl EpostFejl {
    /// Whether trying again cannot help: the row goes dead at once (decision 43).
    pub fn er_permanent(&self) -> bool {
        matches!(self, EpostFejl::Indhold(_) | EpostFejl::Modtager(_) | EpostFejl::Bygning(_) | EpostFejl::Permanent(_))
    }
}

/// The SMTP transport and the sender address: built once, shared by every delivery (the
/// transport keeps a small connection pool).
#[derive(Clone)]
pub struct Epost {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    afsender: Address,
}

impl std::fmt::Debug for Epost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL can hold a password: show the sender only.
        f.debug_struct("Epost").field("afsender", &self.afsender.to_string()).finish_non_exhaustive()
    }
}

impl Epost {
    /// Build from `--smtp-url` and `--afsender-adresse`; `timeout` bounds each SMTP command.
    pub fn ny(url: &str, afsender: &str, timeout: std::time::Duration) -> Result<Epost, OpsaetningsFejl> {
        let afsender: Address =
            afsender.trim().parse().map_err(|_| OpsaetningsFejl::Afsender(afsender.trim().to_string()))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.trim())
            .map_err(|e| OpsaetningsFejl::Url(e.to_string()))?
            .timeout(Some(timeout))
            .build();
        Ok(Epost { transport, afsender })
    }

    /// The Message-ID of a row: its key at the sender's domain. Stable across attempts.
    pub fn message_id(&self, noegle: &str) -> String {
        format!("<{noegle}@{}>", self.afsender.domain())
    }

    /// The message a row becomes: From (jobcentre name, configured address), To, Subject,
    /// Message-ID, Date, and the text as UTF-8 plain text.
    pub fn besked(&self, noegle: &str, oprettet: DateTime<Utc>, mail: &Email) -> Result<Message, EpostFejl> {
        let til: Address = mail.til.trim().parse().map_err(|_| EpostFejl::Modtager(mail.til.trim().to_string()))?;
        let navn = if mail.afsender_navn.trim().is_empty() { STANDARD_AFSENDER } else { mail.afsender_navn.trim() };
        Message::builder()
            .from(Mailbox::new(Some(navn.to_string()), self.afsender.clone()))
            .to(Mailbox::new(None, til))
            .subject(mail.emne.clone())
            .message_id(Some(self.message_id(noegle)))
            .date(oprettet.into())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.tekst.clone())
            .map_err(|e| EpostFejl::Bygning(e.to_string()))
    }

    /// Send one `email` row.
    pub async fn send(&self, raekke: &outbox::Model) -> Result<(), EpostFejl> {
        let mail: Email = serde_json::from_str(&raekke.payload).map_err(|e| EpostFejl::Indhold(e.to_string()))?;
        let besked = self.besked(&raekke.noegle, raekke.oprettet, &mail)?;
        match self.transport.send(besked).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(EpostFejl::Permanent(e.to_string())),
            Err(e) if e.is_transient() => Err(EpostFejl::Midlertidig(e.to_string())),
            Err(e) => Err(EpostFejl::Forbindelse(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn epost() -> Epost {
        Epost::ny("smtp://127.0.0.1:2525", "noreply@vitas.example.dk", std::time::Duration::from_secs(1))
            .expect("opsætning")
    }

    #[tokio::test]
    async fn besked_har_jobcentret_som_afsender_og_stabil_message_id() {
        let mail = Email {
            til: "kontakt@nordlys.dk".into(),
            afsender_navn: "Jobcenter København".into(),
            emne: "Bevilling til godkendelse (VITAS-id 1001)".into(),
            tekst: "Kære Søren\n\nGodkend bevillingen på /sager/1001.\n\nMed venlig hilsen\nJobcenter København".into(),
        };
        let t = DateTime::parse_from_rfc3339("2026-12-03T10:00:00Z").expect("dato").with_timezone(&Utc);
        let a = String::from_utf8(epost().besked("abc-123", t, &mail).expect("besked").formatted()).expect("utf8");
        let b = String::from_utf8(epost().besked("abc-123", t, &mail).expect("besked").formatted()).expect("utf8");
        assert_eq!(a, b, "samme række giver samme besked");
        assert!(a.contains("Message-ID: <abc-123@vitas.example.dk>"), "{a}");
        assert!(a.contains("noreply@vitas.example.dk"), "{a}");
        assert!(a.contains("Content-Type: text/plain; charset=utf-8"), "{a}");
    }

    // The transport's pool starts a clean-up task: building it needs a runtime.
    #[tokio::test]
    async fn ugyldige_adresser_afvises() {
        assert!(matches!(
            Epost::ny("smtp://127.0.0.1:2525", "ikke en adresse", std::time::Duration::from_secs(1)),
            Err(OpsaetningsFejl::Afsender(_))
        ));
        assert!(matches!(
            Epost::ny("ftp://x", "a@b.dk", std::time::Duration::from_secs(1)),
            Err(OpsaetningsFejl::Url(_))
        ));
        let mail =
            Email { til: "ingen-snabel".into(), afsender_navn: String::new(), emne: "x".into(), tekst: "y".into() };
        let fejl = epost().besked("k", Utc::now(), &mail).expect_err("ugyldig modtager");
        assert!(fejl.er_permanent());
    }
}
