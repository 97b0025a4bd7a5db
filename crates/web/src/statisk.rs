//! The static files, compiled into the `vitas` binary (issue 11 §1, decision 108): Det Fælles
//! Designsystem and Swagger UI as npm installed them for the build (build.rs), and VITAS's own
//! script, style sheet and icon. The binary serves them from any folder, on a machine without
//! Node or the build tree.
//!
//! Each bundle is served under a name that carries its content hash,
//! `/static/<bundle>-<hash>/<file>`, with a year's `immutable` cache: a new release has new
//! names, so a browser never mixes an old style sheet with a new page. The hash is on the
//! folder, not on each file, so the style sheet's relative `url(../fonts/…)` still resolves.
//! The old names without a hash (`/static/dkfds/…`, `/static/vitas.css`) stay for links
//! outside VITAS and pages of the previous release during a rolling upgrade; they are
//! revalidated on each use (`no-cache` with an ETag).

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::{EmbeddedFile, RustEmbed};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::sync::OnceLock;

/// Det Fælles Designsystem, virk.dk theme: the minified style sheet and script, its images and
/// the complete IBM Plex Sans fonts the style sheet names. Source maps, SCSS and the other
/// themes stay out of the binary.
#[derive(RustEmbed)]
#[folder = "../../frontend/node_modules/dkfds/dist/"]
#[include = "css/dkfds-virkdk.min.css"]
#[include = "js/dkfds.min.js"]
#[include = "img/**"]
#[include = "fonts/IBMPlexSans/complete/**"]
struct Dkfds;

/// Swagger UI for `/api/docs` (issue 4 §4): the bundle and its style sheet only.
#[derive(RustEmbed)]
#[folder = "../../frontend/node_modules/swagger-ui-dist/"]
#[include = "swagger-ui-bundle.js"]
#[include = "swagger-ui.css"]
struct SwaggerUi;

/// VITAS's own `vitas.js`, `vitas.css` and `favicon.svg`.
#[derive(RustEmbed)]
#[folder = "assets/"]
struct Egne;

/// One bundle of static files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pakke {
    Dkfds,
    SwaggerUi,
    Vitas,
}

impl Pakke {
    pub const ALLE: [Pakke; 3] = [Pakke::Dkfds, Pakke::SwaggerUi, Pakke::Vitas];

    /// The bundle's name in the address.
    pub fn navn(self) -> &'static str {
        match self {
            Pakke::Dkfds => "dkfds",
            Pakke::SwaggerUi => "swagger-ui",
            Pakke::Vitas => "vitas",
        }
    }

    fn fil(self, sti: &str) -> Option<EmbeddedFile> {
        match self {
            Pakke::Dkfds => Dkfds::get(sti),
            Pakke::SwaggerUi => SwaggerUi::get(sti),
            Pakke::Vitas => Egne::get(sti),
        }
    }

    /// Every file's path in the bundle.
    pub fn filer(self) -> Vec<Cow<'static, str>> {
        let mut v: Vec<_> = match self {
            Pakke::Dkfds => Dkfds::iter().collect(),
            Pakke::SwaggerUi => SwaggerUi::iter().collect(),
            Pakke::Vitas => Egne::iter().collect(),
        };
        v.sort();
        v
    }

    /// The first 12 hex digits of a SHA-256 over every path and file hash of the bundle, worked
    /// out once (the file hashes were computed when the binary was built).
    pub fn version(self) -> &'static str {
        static V: [OnceLock<String>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        V[self as usize].get_or_init(|| {
            let mut h = Sha256::new();
            for sti in self.filer() {
                h.update(sti.as_bytes());
                h.update([0]);
                if let Some(f) = self.fil(&sti) {
                    h.update(f.metadata.sha256_hash());
                }
            }
            hex::encode(h.finalize())[..12].to_string()
        })
    }

    /// The bundle's address with its version, without a closing slash:
    /// `/static/dkfds-3f2a…`.
    pub fn sti(self) -> &'static str {
        static S: [OnceLock<String>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        S[self as usize].get_or_init(|| format!("/static/{}-{}", self.navn(), self.version()))
    }
}

/// `{{ crate::statisk::dkfds() }}/css/…` in the templates.
pub fn dkfds() -> &'static str {
    Pakke::Dkfds.sti()
}

/// `{{ crate::statisk::vitas() }}/vitas.css` in the templates.
pub fn vitas() -> &'static str {
    Pakke::Vitas.sti()
}

/// `/static/swagger-ui-<hash>` for the API docs page.
pub fn swagger_ui() -> &'static str {
    Pakke::SwaggerUi.sti()
}

/// A year, the longest `max-age` a browser honours in practice (RFC 9111 §5.2.2.1).
const UFORANDERLIG: &str = "public, max-age=31536000, immutable";
/// The old unhashed names: the browser may keep the file but asks each time (ETag).
const GENVALIDER: &str = "public, no-cache";

/// Where an address under `/static/` points, and how long it may be kept.
#[derive(Debug, PartialEq, Eq)]
struct Opslag<'a> {
    pakke: Pakke,
    fil: &'a str,
    uforanderlig: bool,
}

/// Reads `/static/<rest>`: `dkfds-<hash>/css/x.css`, `dkfds/css/x.css`, `vitas.css`, …
/// A hash of another release (a page from before an upgrade) gets today's file, revalidated.
fn slaa_op(rest: &str) -> Option<Opslag<'_>> {
    let (foerste, fil) = match rest.split_once('/') {
        Some((f, fil)) => (f, fil),
        // `/static/vitas.css`, `/static/favicon.svg`: VITAS's own files by their old names.
        None => return Some(Opslag { pakke: Pakke::Vitas, fil: rest, uforanderlig: false }),
    };
    Pakke::ALLE.into_iter().find_map(|p| {
        if foerste == p.navn() {
            return Some(Opslag { pakke: p, fil, uforanderlig: false });
        }
        let version = foerste.strip_prefix(p.navn())?.strip_prefix('-')?;
        Some(Opslag { pakke: p, fil, uforanderlig: version == p.version() })
    })
}

/// `GET /static/{*rest}`: a compiled-in file, with its type, ETag and cache header; 404 for
/// anything else (the router's Danish page).
pub async fn hent(Path(rest): Path<String>, headers: HeaderMap) -> Response {
    let Some(o) = slaa_op(&rest) else {
        return crate::fejl::WebFejl::SideFindesIkke.into_response();
    };
    let Some(fil) = o.pakke.fil(o.fil) else {
        return crate::fejl::WebFejl::SideFindesIkke.into_response();
    };
    let etag = format!("\"{}\"", hex::encode(&fil.metadata.sha256_hash()[..16]));
    let cache = if o.uforanderlig { UFORANDERLIG } else { GENVALIDER };
    let mut svar = if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim() == etag || e.trim() == "*"))
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut s = match fil.data {
            Cow::Borrowed(b) => b.into_response(),
            Cow::Owned(b) => b.into_response(),
        };
        let mime = fil.metadata.mimetype();
        // Text types say their character set; the files are UTF-8.
        let type_ = if mime.starts_with("text/") { format!("{mime}; charset=utf-8") } else { mime.to_string() };
        if let Ok(v) = HeaderValue::from_str(&type_) {
            s.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        s
    };
    let h = svar.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    svar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adresserne_peger_paa_de_indbyggede_filer() {
        let d = Pakke::Dkfds;
        let med = format!("{}-{}/css/dkfds-virkdk.min.css", d.navn(), d.version());
        assert_eq!(slaa_op(&med), Some(Opslag { pakke: d, fil: "css/dkfds-virkdk.min.css", uforanderlig: true }));
        assert_eq!(
            slaa_op("dkfds/css/dkfds-virkdk.min.css"),
            Some(Opslag { pakke: d, fil: "css/dkfds-virkdk.min.css", uforanderlig: false })
        );
        // Another release's hash: today's file, but not kept for a year.
        assert_eq!(slaa_op("dkfds-000000000000/js/dkfds.min.js").map(|o| o.uforanderlig), Some(false));
        assert_eq!(slaa_op("vitas.css"), Some(Opslag { pakke: Pakke::Vitas, fil: "vitas.css", uforanderlig: false }));
        assert_eq!(slaa_op("andet/x.css"), None);
        assert_eq!(slaa_op("dkfdsx-1/x.css"), None);
    }

    #[test]
    fn hver_pakke_har_de_filer_siderne_beder_om() {
        for (p, fil) in [
            (Pakke::Dkfds, "css/dkfds-virkdk.min.css"),
            (Pakke::Dkfds, "js/dkfds.min.js"),
            (Pakke::Dkfds, "img/all-svg-icons.svg"),
            (Pakke::Dkfds, "fonts/IBMPlexSans/complete/woff2/IBMPlexSans-Regular.woff2"),
            (Pakke::SwaggerUi, "swagger-ui-bundle.js"),
            (Pakke::Vitas, "vitas.js"),
            (Pakke::Vitas, "favicon.svg"),
        ] {
            assert!(p.fil(fil).is_some(), "{} mangler {fil}", p.navn());
        }
        // What the binary should not carry.
        assert!(Pakke::Dkfds.filer().iter().all(|f| !f.ends_with(".map") && !f.starts_with("scss/")));
        assert_eq!(Pakke::Dkfds.version().len(), 12);
        assert_ne!(Pakke::Dkfds.version(), Pakke::Vitas.version());
    }

    /// Every `url(…)` in the style sheet names a file the binary has (relative to `css/`).
    #[test]
    fn stilarkets_adresser_findes_i_binaeren() {
        let css = Pakke::Dkfds.fil("css/dkfds-virkdk.min.css").map(|f| f.data.into_owned()).unwrap_or_default();
        let css = String::from_utf8_lossy(&css);
        let mut antal = 0;
        for del in css.split("url(").skip(1) {
            let adr = del.split(')').next().unwrap_or("").trim_matches(['"', '\'']);
            if adr.starts_with("data:") || adr.starts_with('#') {
                continue;
            }
            let adr = adr.split(['?', '#']).next().unwrap_or("");
            let fil = adr.strip_prefix("../").unwrap_or(adr);
            assert!(Pakke::Dkfds.fil(fil).is_some(), "stilarket peger på {adr}, som ikke er i binæren");
            antal += 1;
        }
        assert!(antal > 10, "stilarket burde pege på skrifttyper og billeder ({antal})");
    }
}
