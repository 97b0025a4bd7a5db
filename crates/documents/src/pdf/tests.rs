use super::*;
use std::io::Write;
use std::process::Command;

fn d(y: i32, m: u32, dag: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dag).expect("gyldig dato")
}

fn hoved() -> Brevhoved {
    Brevhoved { jobcenter: "Jobcenter Ærøskøbing".into(), vitas_id: 4711, dato: d(2026, 12, 3) }
}

fn virksomhed() -> VirksomhedPdf {
    VirksomhedPdf { navn: "Østerbro Café og Bageri ApS".into(), cvr: "12345674".into(), pnummer: "1012345678".into() }
}

/// About 2000 characters with æøå, a sentence that is easy to find at the end.
fn langt_jobindhold() -> String {
    let slut = " SLUT på jobindholdet.";
    let mut s = String::new();
    let mut i = 0;
    while s.chars().count() < 2000 {
        i += 1;
        s.push_str(&format!(
            "Opgave {i}: pakke varer på lageret i Århus, rengøre køkkenet og betjene kunder ved disken. "
        ));
    }
    let mut s: String = s.chars().take(2000 - slut.chars().count()).collect();
    s.push_str(slut);
    assert_eq!(s.chars().count(), 2000);
    s
}

/// The text pdftotext reads, with the footers ("VITAS-id … · Side x af y") taken out and all
/// whitespace collapsed, so text that runs over a page break can be compared whole.
fn tekst_af(pdf: &[u8]) -> (String, String) {
    // `VITAS_PDF_UD=<mappe>` keeps the rendered files, to look at them.
    if let Ok(mappe) = std::env::var("VITAS_PDF_UD") {
        let navn = format!("{mappe}/{}.pdf", std::thread::current().name().unwrap_or("pdf").replace("::", "-"));
        std::fs::write(navn, pdf).expect("gem pdf");
    }
    let mut f = tempfile::NamedTempFile::new().expect("tempfil");
    f.write_all(pdf).expect("skriv pdf");
    let ud = Command::new("pdftotext").arg("-enc").arg("UTF-8").arg(f.path()).arg("-").output().expect("pdftotext");
    assert!(ud.status.success(), "pdftotext fejlede: {}", String::from_utf8_lossy(&ud.stderr));
    let raa = String::from_utf8(ud.stdout).expect("utf-8");
    let uden_sidefod: Vec<&str> = raa.lines().filter(|l| !l.contains(" · Side ")).collect();
    let samlet = uden_sidefod.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
    (raa, samlet)
}

fn flad(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn raekker(par: &[(&str, &str)]) -> Vec<(String, String)> {
    par.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn ansoegning_data() -> AnsoegningPdf {
    AnsoegningPdf {
        hoved: hoved(),
        virksomhed: virksomhed(),
        titel: "Ansøgning om løntilskud".into(),
        sektioner: vec![
            PdfSektion {
                titel: "Yderligere virksomhedsoplysninger".into(),
                raekker: raekker(&[("Ordinært ansatte på arbejdsstedet", "12,50"), ("Allerede støttede", "1")]),
            },
            PdfSektion {
                titel: "Ansættelsen".into(),
                raekker: raekker(&[
                    ("Borger", "Søren Ærlig Åberg"),
                    ("CPR-nummer", "010190-1234"),
                    ("Periode", "04-01-2027 – 02-07-2027"),
                    ("Timer pr. uge", "37,00 (37 t. 0 min.)"),
                    ("Timeløn (kr.)", "145,50"),
                    ("Stillingsbetegnelse", "Lagermedarbejder"),
                ]),
            },
            PdfSektion {
                titel: "Kontaktpersoner".into(),
                raekker: raekker(&[("Kontaktperson", "Birthe Kjær"), ("Medarbejderrepræsentant", "Per Tillidsrep")]),
            },
        ],
        fritekster: vec![("Jobindhold".into(), langt_jobindhold())],
        bemaerkning: "Vi har haft gode erfaringer med løntilskud.".into(),
        underskrevet_af: "Birthe Kjær".into(),
        underskrevet: "03-12-2026 kl. 10:15".into(),
        borger_underskrevet_af: String::new(),
        borger_underskrevet: String::new(),
    }
}

fn bevilling_data() -> BevillingPdf {
    BevillingPdf {
        hoved: hoved(),
        virksomhed: virksomhed(),
        titel: "Bevilling af løntilskud".into(),
        ordning: "løntilskud".into(),
        borger_navn: "Søren Ærlig Åberg".into(),
        cpr: "010190-XXXX".into(),
        stillingsbetegnelse: "Lagermedarbejder".into(),
        startdato: Some(d(2027, 1, 4)),
        slutdato: Some(d(2027, 7, 2)),
        aktuel_slutdato: Some(d(2027, 7, 2)),
        timer: "37,00 (37 t. 0 min.)".into(),
        timeloen: "145,50".into(),
        afgoerelse: vec![("Tilskudsloft for private arbejdsgivere", "50 %".into())],
        jobindhold: langt_jobindhold(),
    }
}

fn afslag_data(tekst: &str) -> AfslagPdf {
    AfslagPdf {
        hoved: hoved(),
        virksomhed: virksomhed(),
        titel: "Afslag på ansøgning om løntilskud".into(),
        borger_navn: "Søren Ærlig Åberg".into(),
        cpr: "010190-XXXX".into(),
        stillingsbetegnelse: "Lagermedarbejder".into(),
        startdato: Some(d(2027, 1, 4)),
        slutdato: Some(d(2027, 7, 2)),
        afslagstekst: tekst.into(),
    }
}

fn antal_sider(raa: &str) -> usize {
    raa.matches('\u{c}').count().max(1)
}

#[test]
fn ansoegning_har_felterne_og_hele_jobindholdet() {
    let pdf = ansoegning(&ansoegning_data()).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let (raa, t) = tekst_af(&pdf);
    for felt in [
        "Ansøgning om løntilskud",
        "Jobcenter Ærøskøbing",
        "VITAS-id: 4711",
        "Dato: 03-12-2026",
        "Østerbro Café og Bageri ApS",
        "Søren Ærlig Åberg",
        "010190-1234",
        "04-01-2027 – 02-07-2027",
        "37,00 (37 t. 0 min.)",
        "145,50",
        "Lagermedarbejder",
        "Per Tillidsrep",
        "Vi har haft gode erfaringer med løntilskud.",
    ] {
        assert!(t.contains(felt), "mangler {felt:?} i:\n{raa}");
    }
    // Seed 001 §4.2: the full 2000 characters, over as many pages as needed.
    assert!(t.contains(&flad(&langt_jobindhold())), "jobindholdet er ikke helt:\n{raa}");
    assert!(t.contains("SLUT på jobindholdet."), "{raa}");
    let sider = antal_sider(&raa);
    assert!(sider >= 2, "forventede mindst to sider, fik {sider}");
    assert!(raa.contains(&format!("Side 1 af {sider}")), "sidetal mangler:\n{raa}");
    assert!(raa.contains(&format!("Side {sider} af {sider}")), "sidste sidetal mangler:\n{raa}");
}

#[test]
fn bevilling_har_felterne_og_maskeret_cpr() {
    let pdf = bevilling(&bevilling_data()).expect("pdf");
    let (raa, t) = tekst_af(&pdf);
    for felt in [
        "Bevilling af løntilskud",
        "Jobcenter Ærøskøbing har bevilget løntilskud til Søren Ærlig Åberg",
        "VITAS-id: 4711",
        "Søren Ærlig Åberg",
        "010190-XXXX",
        "04-01-2027 – 02-07-2027",
        "37,00 (37 t. 0 min.)",
        "50 %",
        "Østerbro Café og Bageri ApS",
    ] {
        assert!(t.contains(felt), "mangler {felt:?} i:\n{raa}");
    }
    assert!(!t.contains("Aktuel slutdato"), "uændret slutdato vises kun én gang:\n{raa}");
    assert!(t.contains(&flad(&langt_jobindhold())), "jobindholdet er ikke helt:\n{raa}");
    assert!(raa.contains("Side 1 af "), "sidetal mangler:\n{raa}");
}

#[test]
fn afslag_har_hele_teksten_og_afsnittene() {
    let tekst = "Jobcentret har behandlet jeres ansøgning om ansættelse med løntilskud og kan ikke imødekomme den.\n\n\
                 Begrundelse: Rimelighedskravet er ikke opfyldt.\n\n\
                 Afgørelsen er truffet efter lov om en aktiv beskæftigelsesindsats, kapitel 12.";
    let pdf = afslag(&afslag_data(tekst)).expect("pdf");
    let (raa, t) = tekst_af(&pdf);
    for felt in ["Afslag på ansøgning om løntilskud", "VITAS-id: 4711", "Søren Ærlig Åberg", "010190-XXXX"] {
        assert!(t.contains(felt), "mangler {felt:?} i:\n{raa}");
    }
    assert!(raa.contains("VITAS-id 4711 · Side 1 af 1"), "sidefoden mangler:\n{raa}");
    for afsnit in tekst.split("\n\n") {
        assert!(t.contains(&flad(afsnit)), "mangler afsnittet {afsnit:?} i:\n{raa}");
    }
}

#[test]
fn brugertekst_bliver_aldrig_til_markup() {
    // Typst markup, code, math, escapes and brackets must come out as typed.
    let farlig = r#"#panic("x") *fed* _kursiv_ $x^2$ \ ] [ } { // ikke en kommentar <etiket> @ref `kode` = Overskrift"#;
    let mut a = ansoegning_data();
    a.fritekster[0].1 = farlig.into();
    a.sektioner[1].raekker[0].1 = "#set page(width: 1cm) ]".into();
    a.sektioner[1].raekker[5].1 = "\\\" \"); #panic(\"y\")".into();
    let (raa, t) = tekst_af(&ansoegning(&a).expect("pdf"));
    assert!(t.contains(farlig), "teksten er ikke ordret:\n{raa}");
    assert!(t.contains("#set page(width: 1cm) ]"), "{raa}");
    assert!(t.contains("\\\" \"); #panic(\"y\")"), "{raa}");

    let (raa, t) = tekst_af(&afslag(&afslag_data(farlig)).expect("pdf"));
    assert!(t.contains(farlig), "afslagsteksten er ikke ordret:\n{raa}");
}

#[test]
fn pdf_er_tagget_med_titel_og_dansk_sprog() {
    let pdf = afslag(&afslag_data("Kort tekst.")).expect("pdf");
    let tekst = String::from_utf8_lossy(&pdf);
    assert!(tekst.contains("/StructTreeRoot"), "ikke tagget");
    assert!(tekst.contains("/Lang (da") || tekst.contains("/Lang(da"), "sproget er ikke dansk");
    let mut f = tempfile::NamedTempFile::new().expect("tempfil");
    f.write_all(&pdf).expect("skriv");
    let info = Command::new("pdfinfo").arg(f.path()).output().expect("pdfinfo");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Afslag på ansøgning om løntilskud"), "titlen mangler:\n{info}");
    assert!(info.contains("Tagged:          yes"), "{info}");
}

#[test]
fn minimal_virker() {
    let (_, t) = tekst_af(&minimal().expect("pdf"));
    assert_eq!(t, "VITAS");
}

#[test]
fn langt_ord_uden_mellemrum_skaeres_ikke_af() {
    // A pasted URL or a word with no break opportunity must not run off the page.
    let ord: String = "https://eksempel.dk/".chars().chain("æøåÆØÅabcdefghij".chars().cycle().take(400)).collect();
    let mut a = ansoegning_data();
    a.fritekster[0].1 = format!("Se {ord} for detaljer.");
    let pdf = ansoegning(&a).expect("pdf");
    let (raa, _) = tekst_af(&pdf);
    let uden_mellemrum: String = raa.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(uden_mellemrum.contains(&ord), "ordet er ikke helt:\n{raa}");
    // Only the text inside the right margin (A4 is 595 pt wide; the margin is 2.5 cm = 71 pt).
    let mut f = tempfile::NamedTempFile::new().expect("tempfil");
    f.write_all(&pdf).expect("skriv pdf");
    let ud = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-x", "0", "-y", "0", "-W", "530", "-H", "842"])
        .arg(f.path())
        .arg("-")
        .output()
        .expect("pdftotext");
    let beskaaret: String = String::from_utf8_lossy(&ud.stdout).chars().filter(|c| !c.is_whitespace()).collect();
    assert!(beskaaret.contains(&ord), "ordet løber ud over højre margen:\n{raa}");
}

/// The citizen's extract at the PDF's limit (500 reads, `web::html::indsigt::MAKS_I_PDF`): every row is printed, with the
/// user's text as plain characters, and the time it takes is printed for docs/benchmarks.md.
#[test]
fn indsigt_med_500_opslag() {
    let laesninger: Vec<IndsigtLaesning> = (0..500)
        .map(|i| IndsigtLaesning {
            tidspunkt: format!("04-12-2026 kl. 10:{:02}:{:02}", (i / 60) % 60, i % 60),
            hvem: if i == 499 { "Sidste #læser* $x$".into() } else { format!("Læser {i}") },
            rolle: "Sagsbehandler".into(),
            formaal: "Sagen blev åbnet".into(),
            hvad: format!("sag {}", 1000 + i),
        })
        .collect();
    let i = IndsigtPdf {
        afsender: "Styrelsen for Arbejdsmarked og Rekruttering".into(),
        dannet: "04-12-2026 kl. 12:00".into(),
        cpr: "010190-1234".into(),
        omfang: "Udtrækket dækker hele landet.".into(),
        sager: vec![IndsigtSag {
            id: 1042,
            ordning: "Løntilskud".into(),
            status: "Bevilget".into(),
            oprettet: "01-12-2026".into(),
        }],
        laesninger,
        afkortet: true,
    };
    let t = std::time::Instant::now();
    let pdf = indsigt(&i).expect("pdf");
    println!("indsigt-PDF med 500 opslag: {:.0} ms, {} bytes", t.elapsed().as_secs_f64() * 1000.0, pdf.len());
    let (tekst, _) = tekst_af(&pdf);
    for ventet in
        ["Indsigt i oplysninger i VITAS", "010190-1234", "1042", "Læser 0", "Sidste #læser* $x$", "De nyeste vises"]
    {
        assert!(tekst.contains(ventet), "mangler {ventet}");
    }
}
