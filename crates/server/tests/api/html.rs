//! Just enough of a browser for the HTTP tests: find elements by id, read their text and
//! attributes, and submit a form the way a browser does when a button is clicked (hidden
//! fields, current values, checked boxes, the clicked button's own name and value).
//!
//! The pages are our own server-rendered HTML, so a small tag scanner is enough; it does not
//! try to be a general HTML parser.

use reqwest::StatusCode;

use crate::helpers::{TestApp, location};

/// One tag: `<name attr="v" …>` or `</name>`; `start..slut` is its byte range in the page.
#[derive(Debug, Clone)]
struct Tag {
    navn: String,
    lukker: bool,
    attr: Vec<(String, String)>,
    start: usize,
    slut: usize,
}

impl Tag {
    fn attr(&self, navn: &str) -> Option<&str> {
        self.attr.iter().find(|(n, _)| n == navn).map(|(_, v)| v.as_str())
    }
    fn har(&self, navn: &str) -> bool {
        self.attr.iter().any(|(n, _)| n == navn)
    }
}

/// Decode the entities askama and hand-written templates produce.
pub fn dekod(s: &str) -> String {
    let mut ud = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        ud.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(j) = rest.find(';').filter(|j| *j <= 10) else {
            ud.push('&');
            rest = &rest[1..];
            continue;
        };
        let navn = &rest[1..j];
        let tegn = match navn {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ if navn.starts_with("#x") || navn.starts_with("#X") => {
                u32::from_str_radix(&navn[2..], 16).ok().and_then(char::from_u32)
            }
            _ if navn.starts_with('#') => navn[1..].parse::<u32>().ok().and_then(char::from_u32),
            _ => None,
        };
        match tegn {
            Some(c) => {
                ud.push(c);
                rest = &rest[j + 1..];
            }
            None => {
                ud.push('&');
                rest = &rest[1..];
            }
        }
    }
    ud.push_str(rest);
    ud
}

fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut ud = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        // Comments and doctype.
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(b.len(), |j| i + j + 3);
            continue;
        }
        if html[i..].starts_with("<!") || html[i..].starts_with("<?") {
            i = html[i..].find('>').map_or(b.len(), |j| i + j + 1);
            continue;
        }
        let start = i;
        let mut j = i + 1;
        let lukker = j < b.len() && b[j] == b'/';
        if lukker {
            j += 1;
        }
        let navn_start = j;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        if j == navn_start {
            i += 1;
            continue;
        }
        let navn = html[navn_start..j].to_ascii_lowercase();
        let mut attr = Vec::new();
        // Attributes until '>' (quotes respected).
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let a_start = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'=' && b[j] != b'>' && b[j] != b'/' {
                j += 1;
            }
            let a_navn = html[a_start..j].to_ascii_lowercase();
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut vaerdi = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    let v_start = j + 1;
                    j = v_start;
                    while j < b.len() && b[j] != q {
                        j += 1;
                    }
                    vaerdi = dekod(&html[v_start..j.min(b.len())]);
                    j += 1;
                } else {
                    let v_start = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    vaerdi = dekod(&html[v_start..j]);
                }
            }
            if !a_navn.is_empty() {
                attr.push((a_navn, vaerdi));
            }
        }
        let slut = (j + 1).min(b.len());
        // Raw text elements: skip their content.
        let raa = !lukker && (navn == "script" || navn == "style");
        ud.push(Tag { navn: navn.clone(), lukker, attr, start, slut });
        i = slut;
        if raa {
            let luk = format!("</{navn}");
            i = html[i..].find(&luk).map_or(b.len(), |k| i + k);
        }
    }
    ud
}

/// Text content with tags removed, entities decoded and white space collapsed.
pub fn tekst_af(html_stykke: &str) -> String {
    let mut ud = String::new();
    let mut i = 0;
    for t in tags(html_stykke) {
        ud.push_str(&html_stykke[i..t.start]);
        ud.push(' ');
        i = t.slut;
    }
    ud.push_str(&html_stykke[i.min(html_stykke.len())..]);
    dekod(&ud).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A fetched page.
#[derive(Debug, Clone)]
pub struct Side {
    /// The path (and query) the page was fetched from.
    pub sti: String,
    pub status: StatusCode,
    pub html: String,
    tags: Vec<Tag>,
}

impl Side {
    pub fn ny(sti: &str, status: StatusCode, html: String) -> Side {
        let tags = tags(&html);
        Side { sti: sti.to_string(), status, html, tags }
    }

    fn tag_idx(&self, id: &str) -> Option<usize> {
        self.tags.iter().position(|t| !t.lukker && t.attr("id") == Some(id))
    }

    /// The index of the tag that closes the element opened at `idx` (same-name nesting
    /// respected); None for void elements.
    fn luk_idx(&self, idx: usize) -> Option<usize> {
        let navn = &self.tags[idx].navn;
        if matches!(navn.as_str(), "input" | "br" | "img" | "meta" | "link" | "hr") {
            return None;
        }
        let mut dybde = 0usize;
        for (k, t) in self.tags.iter().enumerate().skip(idx + 1) {
            if &t.navn == navn {
                if t.lukker {
                    if dybde == 0 {
                        return Some(k);
                    }
                    dybde -= 1;
                } else {
                    dybde += 1;
                }
            }
        }
        None
    }

    pub fn har_id(&self, id: &str) -> bool {
        self.tag_idx(id).is_some()
    }

    /// The inner HTML of the element with `id`.
    pub fn indre_html(&self, id: &str) -> Option<&str> {
        let i = self.tag_idx(id)?;
        let slut = self.luk_idx(i).map_or(self.tags[i].slut, |k| self.tags[k].start);
        Some(&self.html[self.tags[i].slut..slut])
    }

    /// The visible text of the element with `id`.
    pub fn tekst(&self, id: &str) -> Option<String> {
        self.indre_html(id).map(tekst_af)
    }

    /// The text of the element with `id`; fails the test with the page when it is missing.
    pub fn tekst_krav(&self, id: &str) -> String {
        self.tekst(id).unwrap_or_else(|| panic!("{}: elementet #{id} mangler på siden\n{}", self.sti, self.html))
    }

    /// An attribute of the element with `id`.
    pub fn attr(&self, id: &str, attr: &str) -> Option<String> {
        self.tag_idx(id).and_then(|i| self.tags[i].attr(attr).map(str::to_string))
    }

    /// The `href` of the link with `id`.
    pub fn href(&self, id: &str) -> String {
        self.attr(id, "href").unwrap_or_else(|| panic!("{}: linket #{id} mangler\n{}", self.sti, self.html))
    }

    /// Whether the page has a link to `href`.
    pub fn har_link(&self, href: &str) -> bool {
        self.tags.iter().any(|t| !t.lukker && t.navn == "a" && t.attr("href") == Some(href))
    }

    /// The visible text of the whole page.
    pub fn al_tekst(&self) -> String {
        tekst_af(&self.html)
    }

    /// The form that holds the element `knap_id`, as a browser would submit it when that
    /// button is clicked: (method, action, fields).
    pub fn formular(&self, knap_id: &str) -> Option<Formular> {
        let k = self.tag_idx(knap_id)?;
        // The nearest <form> opened before the button and not closed before it.
        let mut dybde = 0usize;
        let mut form_idx = None;
        for i in (0..k).rev() {
            let t = &self.tags[i];
            if t.navn == "form" {
                if t.lukker {
                    dybde += 1;
                } else if dybde == 0 {
                    form_idx = Some(i);
                    break;
                } else {
                    dybde -= 1;
                }
            }
        }
        // A button may also name its form with form="…".
        let form_idx = match self.tags[k].attr("form") {
            Some(fid) => self.tag_idx(fid),
            None => form_idx,
        }?;
        Some(self.formular_ved(form_idx, Some(k)))
    }

    /// Every form on the page, as submitted without a named button.
    pub fn alle_formularer(&self) -> Vec<Formular> {
        (0..self.tags.len())
            .filter(|i| self.tags[*i].navn == "form" && !self.tags[*i].lukker)
            .map(|i| self.formular_ved(i, None))
            .collect()
    }

    /// The form that opens at tag `form_idx`, submitted by the button at tag `knap_idx`.
    fn formular_ved(&self, form_idx: usize, knap_idx: Option<usize>) -> Formular {
        let form = &self.tags[form_idx];
        let form_slut = self.luk_idx(form_idx).unwrap_or(self.tags.len());
        let knap = knap_idx.map(|k| &self.tags[k]);
        let action = knap
            .and_then(|k| k.attr("formaction"))
            .or_else(|| form.attr("action"))
            .filter(|a| !a.is_empty())
            .map_or_else(|| self.sti.clone(), str::to_string);
        let method = knap
            .and_then(|k| k.attr("formmethod"))
            .or_else(|| form.attr("method"))
            .unwrap_or("get")
            .to_ascii_lowercase();
        let mut felter: Vec<(String, String)> = Vec::new();
        let mut i = form_idx + 1;
        while i < form_slut {
            let t = &self.tags[i];
            i += 1;
            if t.lukker || t.har("disabled") {
                continue;
            }
            let Some(navn) = t.attr("name").filter(|n| !n.is_empty()) else { continue };
            match t.navn.as_str() {
                "input" => {
                    let typ = t.attr("type").unwrap_or("text").to_ascii_lowercase();
                    match typ.as_str() {
                        "submit" | "button" | "image" | "reset" | "file" => {}
                        "checkbox" | "radio" => {
                            if t.har("checked") {
                                felter.push((navn.into(), t.attr("value").unwrap_or("on").into()));
                            }
                        }
                        _ => felter.push((navn.into(), t.attr("value").unwrap_or("").into())),
                    }
                }
                "textarea" => {
                    let luk = self.luk_idx(i - 1).unwrap_or(i - 1);
                    let mut v = dekod(&self.html[t.slut..self.tags[luk].start]);
                    // The HTML parser drops one newline right after <textarea>.
                    if v.starts_with('\n') {
                        v.remove(0);
                    }
                    felter.push((navn.into(), v));
                }
                "select" => {
                    let luk = self.luk_idx(i - 1).unwrap_or(i - 1);
                    let mut valgt = None;
                    let mut foerste = None;
                    for o in (i..luk).filter(|o| !self.tags[*o].lukker && self.tags[*o].navn == "option") {
                        let ot = &self.tags[o];
                        let v = match ot.attr("value") {
                            Some(v) => v.to_string(),
                            None => {
                                let s = self.tags.get(o + 1).map_or(ot.slut, |n| n.start);
                                tekst_af(&self.html[ot.slut..s])
                            }
                        };
                        if foerste.is_none() {
                            foerste = Some(v.clone());
                        }
                        if ot.har("selected") {
                            valgt = Some(v);
                        }
                    }
                    if let Some(v) = valgt.or(foerste) {
                        felter.push((navn.into(), v));
                    }
                }
                _ => {}
            }
        }
        if let Some(navn) = knap.and_then(|k| k.attr("name")).filter(|n| !n.is_empty()) {
            felter.push((navn.into(), knap.and_then(|k| k.attr("value")).unwrap_or("").into()));
        }
        Formular { method, action, felter }
    }

    /// The form of `knap_id`; fails the test with the page when it is missing.
    pub fn formular_krav(&self, knap_id: &str) -> Formular {
        self.formular(knap_id)
            .unwrap_or_else(|| panic!("{}: knappen #{knap_id} (i en formular) mangler\n{}", self.sti, self.html))
    }

    /// The `<option>` values of the `<select>` with `id`.
    pub fn valgmuligheder(&self, id: &str) -> Vec<String> {
        let Some(i) = self.tag_idx(id) else { return Vec::new() };
        let luk = self.luk_idx(i).unwrap_or(i);
        (i..luk)
            .map(|o| &self.tags[o])
            .filter(|t| !t.lukker && t.navn == "option")
            .filter_map(|t| t.attr("value").map(str::to_string))
            .collect()
    }
}

/// A form as a browser would submit it.
#[derive(Debug, Clone)]
pub struct Formular {
    pub method: String,
    pub action: String,
    pub felter: Vec<(String, String)>,
}

impl Formular {
    /// The value of a field.
    pub fn felt(&self, navn: &str) -> Option<&str> {
        self.felter.iter().find(|(n, _)| n == navn).map(|(_, v)| v.as_str())
    }

    /// Type `vaerdi` into `navn`: replaces its value, or adds it (a checked box, a chosen
    /// radio). An empty value for a checkbox name removes it (unchecks the box).
    pub fn saet(&mut self, navn: &str, vaerdi: &str) {
        let checkbox = matches!(navn, "samtykke" | "enmandsvirksomhed" | "ansaettelsesbrev_gaelder");
        self.felter.retain(|(n, _)| n != navn);
        if !(checkbox && vaerdi.is_empty()) {
            self.felter.push((navn.to_string(), vaerdi.to_string()));
        }
    }
}

/// A logged-in (or anonymous) person with a browser-like client.
#[derive(Clone)]
pub struct Person {
    pub klient: reqwest::Client,
    pub adresse: String,
    pub hvem: String,
}

impl Person {
    pub async fn ny(app: &TestApp, email: &str) -> Person {
        Person { klient: app.log_ind(email).await, adresse: app.address.clone(), hvem: email.to_string() }
    }

    /// Someone without a login, e.g. the employee representative who has only the link.
    pub fn anonym(app: &TestApp) -> Person {
        Person { klient: crate::helpers::ny_klient(), adresse: app.address.clone(), hvem: "anonym".into() }
    }

    fn url(&self, sti: &str) -> String {
        if sti.starts_with("http") { sti.to_string() } else { format!("{}{}", self.adresse, sti) }
    }

    /// GET a page (no redirects followed).
    pub async fn hent(&self, sti: &str) -> Side {
        let svar = self.klient.get(self.url(sti)).send().await.expect("GET fejlede");
        let status = svar.status();
        let html = svar.text().await.expect("svarets tekst");
        Side::ny(sti, status, html)
    }

    /// GET a page that must answer 200.
    pub async fn hent_ok(&self, sti: &str) -> Side {
        let s = self.hent(sti).await;
        assert_eq!(s.status, StatusCode::OK, "{} som {}: forventede 200\n{}", sti, self.hvem, s.html);
        s
    }

    /// GET a page that must answer 200, after at most one redirect (a list address with a CPR
    /// or name is sent on to the same list without them, decision 80).
    pub async fn hent_folg(&self, sti: &str) -> Side {
        let svar = self.klient.get(self.url(sti)).send().await.expect("GET fejlede");
        let svar = if svar.status().is_redirection() {
            crate::helpers::folg_med(&self.klient, &self.adresse, svar).await
        } else {
            svar
        };
        let status = svar.status();
        let url = svar.url().to_string();
        let html = svar.text().await.expect("svarets tekst");
        assert_eq!(status, StatusCode::OK, "{sti} ({url}) som {}: forventede 200\n{html}", self.hvem);
        Side::ny(sti, status, html)
    }

    /// Submit a form; redirects are NOT followed.
    pub async fn send(&self, f: &Formular) -> Svar {
        let anmodning = if f.method == "get" {
            self.klient.get(self.url(&f.action)).query(&f.felter)
        } else {
            self.klient.post(self.url(&f.action)).form(&f.felter)
        };
        let svar = anmodning.send().await.expect("formularen kunne ikke sendes");
        let status = svar.status();
        let location = location(&svar);
        let html = svar.text().await.expect("svarets tekst");
        Svar { sti: f.action.clone(), status, location, html }
    }

    /// Click the button `knap_id` on `side` after typing `felter` into its form.
    pub async fn klik(&self, side: &Side, knap_id: &str, felter: &[(&str, &str)]) -> Svar {
        let mut f = side.formular_krav(knap_id);
        for (n, v) in felter {
            f.saet(n, v);
        }
        self.send(&f).await
    }

    /// POST raw fields to a path (for requests no page of ours offers, e.g. someone else's case).
    pub async fn post(&self, sti: &str, felter: &[(&str, &str)]) -> Svar {
        let svar = self.klient.post(self.url(sti)).form(felter).send().await.expect("POST fejlede");
        let status = svar.status();
        let location = location(&svar);
        let html = svar.text().await.expect("svarets tekst");
        Svar { sti: sti.to_string(), status, location, html }
    }
}

/// The answer to a submitted form.
#[derive(Debug, Clone)]
pub struct Svar {
    pub sti: String,
    pub status: StatusCode,
    pub location: Option<String>,
    pub html: String,
}

impl Svar {
    /// Assert `303 See Other` and return the Location.
    pub fn viderestilling(&self) -> String {
        assert_eq!(
            self.status,
            StatusCode::SEE_OTHER,
            "POST {}: forventede 303 See Other, fik {}\n{}",
            self.sti,
            self.status,
            self.html
        );
        self.location.clone().unwrap_or_else(|| panic!("POST {}: 303 uden Location", self.sti))
    }

    /// Like [`Svar::viderestilling`], without a query string (e.g. `?sendt=1` for a receipt).
    pub fn viderestilling_sti(&self) -> String {
        let til = self.viderestilling();
        til.split_once('?').map_or(til.clone(), |(sti, _)| sti.to_string())
    }

    /// The answer as a page (for a 4xx that re-renders a form).
    pub fn side(&self) -> Side {
        Side::ny(&self.sti, self.status, self.html.clone())
    }

    pub fn tekst(&self) -> String {
        tekst_af(&self.html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formular_som_en_browser() {
        let html = r#"<html><body>
            <p id="status"> Sendt til <b>medarbejder-rep</b> &amp; mere </p>
            <form id="f" method="post" action="/x">
              <input type="hidden" name="version" value="7">
              <input id="felt-a" name="a" value="&quot;x&quot;">
              <input type="checkbox" name="samtykke" value="on" checked>
              <input type="checkbox" name="enmandsvirksomhed" value="on">
              <input type="radio" name="r" value="ja"><input type="radio" name="r" value="nej" checked>
              <select name="s"><option value="">Vælg</option><option value="2" selected>To</option></select>
              <textarea name="t">
linje &lt;1&gt;</textarea>
              <button type="submit" id="andet" name="handling" value="opslag">Slå op</button>
              <button type="submit" id="gem">Gem</button>
            </form></body></html>"#;
        let s = Side::ny("/side", StatusCode::OK, html.to_string());
        assert_eq!(s.tekst("status").as_deref(), Some("Sendt til medarbejder-rep & mere"));
        let f = s.formular("gem").expect("formular");
        assert_eq!(f.action, "/x");
        assert_eq!(f.method, "post");
        assert_eq!(f.felt("version"), Some("7"));
        assert_eq!(f.felt("a"), Some("\"x\""));
        assert_eq!(f.felt("samtykke"), Some("on"));
        assert_eq!(f.felt("enmandsvirksomhed"), None);
        assert_eq!(f.felt("r"), Some("nej"));
        assert_eq!(f.felt("s"), Some("2"));
        assert_eq!(f.felt("t"), Some("linje <1>"));
        assert_eq!(f.felt("handling"), None);
        let g = s.formular("andet").expect("formular");
        assert_eq!(g.felt("handling"), Some("opslag"));
    }
}
