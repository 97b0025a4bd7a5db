//! The Nu Html Checker (npm `vnu-jar`, frontend/package.json) on every HTML page a browser test
//! makes the application serve (issue 13 §5, docs/decisions.md 91).
//!
//! The application of a browser test is wrapped by [`optag`], a layer that keeps each
//! `text/html` answer as it left the server: the document the checker should see, before any
//! script changed it, including error pages and the pages a redirect led to. When the walk is
//! over, [`tjek`] sends each distinct page to ONE checker process per test binary: its HTTP
//! service (`nu.validator.servlet.Main`), started by the first test that asks ([`start`]) so
//! that its start-up overlaps the browser's work, and stopped when the test binary ends.
//! Zero errors are required, and no warning outside [`TILLADTE_ADVARSLER`].

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

/// Where the build installed the checker (crates/web/build.rs runs `npm ci`).
const VNU_JAR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../frontend/node_modules/vnu-jar/build/dist/vnu.jar");
/// How long the checker may take to read its schemas (about 5 s on an idle machine).
const START_GRAENSE: Duration = Duration::from_secs(120);

/// The checker's warnings VITAS accepts, each with the reason. Any other warning fails the
/// test like an error, so that a new one is looked at rather than scrolled past.
const TILLADTE_ADVARSLER: &[(&str, &str)] = &[(
    "The “list” role is unnecessary for element “ul”.",
    // Safari and VoiceOver drop a list's semantics when its markers are removed by CSS (the
    // Søg tabs' `list-style: none`); the explicit role keeps them.
    "role=\"list\" holder listens betydning i Safari/VoiceOver, når punkterne er fjernet med CSS",
)];

/// The checker's service answers 400 to a request without a User-Agent.
fn klient() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent("vitas-e2e")
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// One page as the server sent it.
#[derive(Debug, Clone)]
pub struct Side {
    /// `GET /sager/7` (method, path and query).
    pub hvad: String,
    pub status: u16,
    pub html: String,
}

/// The pages an application served, in order.
#[derive(Debug, Clone, Default)]
pub struct Sider(Arc<Mutex<Vec<Side>>>);

impl Sider {
    pub fn alle(&self) -> Vec<Side> {
        self.0.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

/// Wrap a router so that every HTML answer is kept in `sider`.
pub fn optag(sider: Sider) -> impl FnOnce(axum::Router) -> axum::Router {
    move |r| r.layer(axum::middleware::from_fn_with_state(sider, behold))
}

async fn behold(State(sider): State<Sider>, req: Request, next: Next) -> Response {
    let hvad = format!("{} {}", req.method(), req.uri());
    let svar = next.run(req).await;
    let html = svar
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if !html {
        return svar;
    }
    let (dele, krop) = svar.into_parts();
    let Ok(bytes) = axum::body::to_bytes(krop, usize::MAX).await else {
        return Response::from_parts(dele, Body::empty());
    };
    let side = Side { hvad, status: dele.status.as_u16(), html: String::from_utf8_lossy(&bytes).into_owned() };
    if let Ok(mut v) = sider.0.lock() {
        v.push(side);
    }
    Response::from_parts(dele, Body::from(bytes))
}

/// The checker's HTTP service, shared by the tests of this binary.
struct Tjeneste {
    port: u16,
    /// The shell that runs Java and stops it when this test process is gone.
    _vagt: Child,
}

static TJENESTE: OnceLock<Result<Tjeneste, String>> = OnceLock::new();

fn find_java() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("java")).find(|p| p.is_file())
}

/// Start the checker once per test binary (later calls return at once). Java reads its
/// schemas while the browser works; [`tjek`] waits for it.
pub fn start() {
    TJENESTE.get_or_init(|| {
        let java = find_java().ok_or("java findes ikke (apt-get install default-jre-headless)")?;
        if !Path::new(VNU_JAR).is_file() {
            return Err(format!("{VNU_JAR} findes ikke (npm ci i frontend/)"));
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| format!("ingen ledig port: {e}"))?;
        // A shell watches this test process and stops Java when it is gone, however the
        // process ended: a static is never dropped, so nothing else would.
        let vagt = format!(
            "{java} -Xss8m -Xmx768m -Dnu.validator.servlet.bind-address=127.0.0.1 -cp {VNU_JAR} \
             nu.validator.servlet.Main {port} >/dev/null 2>&1 & j=$!; \
             trap 'kill $j 2>/dev/null' EXIT INT TERM; \
             while kill -0 {foraelder} 2>/dev/null && kill -0 $j 2>/dev/null; do sleep 1; done",
            java = java.display(),
            foraelder = std::process::id(),
        );
        let barn = Command::new("sh")
            .arg("-c")
            .arg(vagt)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("kunne ikke starte Nu Html Checker: {e}"))?;
        Ok(Tjeneste { port, _vagt: barn })
    });
}

/// The checker's address once it answers, or why there is none.
async fn klar() -> anyhow::Result<String> {
    start();
    let t = match TJENESTE.get() {
        Some(Ok(t)) => t,
        Some(Err(e)) => bail!("{e}"),
        None => bail!("Nu Html Checker blev ikke startet"),
    };
    let adresse = format!("http://127.0.0.1:{}/", t.port);
    let klient = klient();
    let begyndt = Instant::now();
    loop {
        if let Ok(svar) = klient.get(&adresse).send().await
            && svar.status().is_success()
        {
            return Ok(adresse);
        }
        if begyndt.elapsed() > START_GRAENSE {
            bail!("Nu Html Checker svarede ikke på {adresse} inden {} s", START_GRAENSE.as_secs());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// What the checker said about one page.
#[derive(Debug, serde::Deserialize)]
struct Svar {
    messages: Vec<Besked>,
}

#[derive(Debug, serde::Deserialize)]
struct Besked {
    #[serde(rename = "type")]
    art: String,
    #[serde(rename = "subType", default)]
    underart: Option<String>,
    #[serde(default)]
    message: String,
    #[serde(rename = "lastLine", default)]
    linje: Option<u64>,
    #[serde(default)]
    extract: Option<String>,
}

/// Check every distinct page of `sider`: the errors and the warnings not allowed, one line
/// each with the page that has it. Allowed warnings are counted and printed once. Without
/// Java outside CI the check is skipped with a notice.
pub async fn tjek(sider: &Sider) -> anyhow::Result<Vec<String>> {
    let adresse = match klar().await {
        Ok(a) => a,
        Err(e) if !super::helpers::i_ci() && find_java().is_none() => {
            println!("Nu Html Checker sprunget over: {e:#}");
            return Ok(Vec::new());
        }
        Err(e) => return Err(e),
    };
    let mut set = std::collections::HashSet::new();
    let sider: Vec<Side> = sider.alle().into_iter().filter(|s| set.insert(s.html.clone())).collect();
    let klient = klient();
    let mut fejl = Vec::new();
    let mut tilladte = std::collections::BTreeMap::<&str, usize>::new();
    let begyndt = Instant::now();
    for side in &sider {
        let svar: Svar = klient
            .post(format!("{adresse}?out=json"))
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
            .body(side.html.clone())
            .send()
            .await
            .with_context(|| format!("Nu Html Checker: {}", side.hvad))?
            .json()
            .await
            .with_context(|| format!("Nu Html Checker svarede ikke med JSON: {}", side.hvad))?;
        for b in svar.messages {
            let linje = b.linje.map(|l| format!(" linje {l}")).unwrap_or_default();
            let uddrag = b.extract.as_deref().map(|u| format!(" ({})", u.trim())).unwrap_or_default();
            let tekst = format!("{} [{}]{linje}: {}{uddrag}", side.hvad, side.status, b.message);
            match (b.art.as_str(), b.underart.as_deref()) {
                ("error" | "non-document-error", _) => fejl.push(tekst),
                ("info", Some("warning")) => match TILLADTE_ADVARSLER.iter().find(|(a, _)| *a == b.message) {
                    Some((a, _)) => *tilladte.entry(a).or_default() += 1,
                    None => fejl.push(format!("advarsel: {tekst}")),
                },
                _ => {}
            }
        }
    }
    println!("Nu Html Checker: {} sider tjekket på {:.1} s", sider.len(), begyndt.elapsed().as_secs_f64());
    for (a, n) in tilladte {
        println!("Nu Html Checker: tilladt advarsel {n} gange: {a}");
    }
    Ok(fejl)
}
