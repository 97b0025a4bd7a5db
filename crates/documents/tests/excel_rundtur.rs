//! Writes a two-sheet workbook, reads it back with calamine and checks every
//! heading and cell against what was written.

#![expect(clippy::unwrap_used, reason = "a failing unwrap fails the test")]

use std::io::{Cursor, Read, Seek, Write};

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::{Days, NaiveDate};
use documents::excel::{Arbejdsbog, Celle, Celleart, Kolonne, MAKS_HELTAL, neutraliser};

const RAEKKER: u32 = 1_000;

const TEKSTER: [&str; 16] = [
    "Søren Ærø",
    "Åse Østergård",
    "=SUM(A1)",
    "+1",
    "-2",
    "@x",
    "\tfane",
    "\rretur",
    "Almindelig tekst med æøå ÆØÅ",
    "<&>\"'",
    "_x0041_",
    "  mellemrum  ",
    "linje1\nlinje2",
    "",
    "1+1",
    "'=allerede med apostrof",
];

fn kolonner(ark: usize) -> Vec<Kolonne> {
    let k = |overskrift: &str, art: Celleart| Kolonne { overskrift: format!("{overskrift} {ark}"), art, bredde: 14.5 };
    vec![
        k("Navn", Celleart::Tekst),
        k("Antal", Celleart::Heltal),
        k("Timer", Celleart::Decimal { decimaler: 2 }),
        k("Bevilget fra", Celleart::Dato),
        k("Virksomhed", Celleart::Tekst),
        k("Løntilskud øre", Celleart::Heltal),
        k("Sats", Celleart::Decimal { decimaler: 0 }),
        k("Bevilget til", Celleart::Dato),
        // A heading that itself needs neutralising.
        k("-Bemærkning", Celleart::Tekst),
        k("Ændring", Celleart::Heltal),
        k("Procent", Celleart::Decimal { decimaler: 4 }),
        k("Godkendt dato", Celleart::Dato),
    ]
}

fn celle(ark: usize, raekke: u32, kolonne: usize) -> Celle {
    let r = u64::from(raekke);
    let k = kolonne as u64;
    let blanding = r * 31 + k * 7 + ark as u64 * 13;
    if blanding.is_multiple_of(11) {
        return Celle::Tom;
    }
    match kolonne % 4 {
        0 => {
            let tekst = TEKSTER[(blanding % TEKSTER.len() as u64) as usize];
            Celle::Tekst(if blanding.is_multiple_of(3) { format!("{tekst} {raekke}") } else { tekst.to_owned() })
        }
        1 => match raekke {
            1 => Celle::Heltal(MAKS_HELTAL),
            2 => Celle::Heltal(-MAKS_HELTAL),
            // A withheld number as text in a number column (the statistics' "<5").
            7 => Celle::Anmaerkning("<5".into()),
            _ => {
                let tal = (blanding % 2_001) as i64 - 1_000;
                Celle::Heltal(if raekke.is_multiple_of(50) { tal * 1_000_000_007 } else { tal })
            }
        },
        2 => Celle::Decimal((r as f64 * 1.37 - 700.0) / (k as f64 + 3.0)),
        _ => {
            let start = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap();
            Celle::Dato(match raekke {
                3 => NaiveDate::from_ymd_opt(1900, 3, 1).unwrap(),
                4 => NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
                5 => NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
                _ => start.checked_add_days(Days::new(blanding * 37 % 40_000)).unwrap(),
            })
        }
    }
}

const ARK: [&str; 2] = ["Bevillinger", "Tillægsbevillinger"];

fn skriv<W: Write + Seek + Send + 'static>(mut bog: Arbejdsbog<W>, niveau: u8) -> Arbejdsbog<W> {
    bog.saet_komprimering(niveau);
    for (nr, navn) in ARK.into_iter().enumerate() {
        let kolonner = kolonner(nr);
        let mut ark = bog.nyt_ark(navn, &kolonner).unwrap();
        for raekke in 1..=RAEKKER {
            let celler: Vec<Celle> = (0..kolonner.len()).map(|k| celle(nr, raekke, k)).collect();
            ark.skriv_raekke(&celler).unwrap();
        }
        assert_eq!(ark.antal_raekker(), RAEKKER);
    }
    bog
}

fn som_tal(data: &Data) -> Option<f64> {
    match data {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

fn kontroller_celle(ark: &str, raekke: u32, kolonne: usize, skrevet: &Celle, laest: &Data) {
    let sted = format!("{ark} række {raekke} kolonne {kolonne}: skrev {skrevet:?}, læste {laest:?}");
    match skrevet {
        Celle::Tom => assert_eq!(laest, &Data::Empty, "{sted}"),
        Celle::Tekst(tekst) | Celle::Anmaerkning(tekst) if tekst.is_empty() => {
            assert_eq!(laest, &Data::Empty, "{sted}")
        }
        Celle::Tekst(tekst) | Celle::Anmaerkning(tekst) => {
            assert_eq!(laest, &Data::String(neutraliser(tekst).into_owned()), "{sted}");
        }
        Celle::Heltal(tal) => assert_eq!(som_tal(laest), Some(*tal as f64), "{sted}"),
        Celle::Decimal(tal) => assert_eq!(som_tal(laest), Some(*tal), "{sted}"),
        Celle::Dato(dato) => match laest {
            Data::DateTime(dt) => {
                let dt = dt.as_datetime().unwrap();
                assert_eq!(dt.date(), *dato, "{sted}");
                assert_eq!(dt.time(), chrono::NaiveTime::MIN, "{sted}");
            }
            _ => panic!("ikke en dato: {sted}"),
        },
    }
}

fn kontroller_bog(bytes: Vec<u8>) {
    let mut xlsx: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(xlsx.sheet_names(), ARK.map(String::from));

    for (nr, navn) in ARK.into_iter().enumerate() {
        let kolonner = kolonner(nr);
        let omraade = xlsx.worksheet_range(navn).unwrap();
        let vaerdi = |r: u32, k: usize| omraade.get_value((r, k as u32)).cloned().unwrap_or(Data::Empty);
        for (k, kolonne) in kolonner.iter().enumerate() {
            assert_eq!(vaerdi(0, k), Data::String(neutraliser(&kolonne.overskrift).into_owned()));
        }
        for raekke in 1..=RAEKKER {
            for k in 0..kolonner.len() {
                kontroller_celle(navn, raekke, k, &celle(nr, raekke, k), &vaerdi(raekke, k));
            }
        }
        assert!(omraade.end().unwrap().0 <= RAEKKER);
        assert!(omraade.end().unwrap().1 < kolonner.len() as u32);

        let formler = xlsx.worksheet_formula(navn).unwrap();
        assert_eq!(formler.used_cells().filter(|(_, _, f)| !f.is_empty()).count(), 0);
    }

    // Frozen header row, autofilter over all rows, no formula elements.
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    for nr in 1..=2 {
        let mut xml = String::new();
        zip.by_name(&format!("xl/worksheets/sheet{nr}.xml")).unwrap().read_to_string(&mut xml).unwrap();
        assert!(xml.contains(r#"<autoFilter ref="A1:L1001"/>"#), "ark {nr}");
        assert!(xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#));
        assert!(!xml.contains("<f>") && !xml.contains("<f "), "ark {nr}");
    }
    let mut styles = String::new();
    zip.by_name("xl/styles.xml").unwrap().read_to_string(&mut styles).unwrap();
    assert!(styles.contains(r#"formatCode="dd-mm-yyyy""#));
    assert!(styles.contains(r##"formatCode="#,##0.00""##));
    assert!(styles.contains("<b/>"));
}

#[test]
fn to_ark_laeses_tilbage_som_skrevet() {
    kontroller_bog(skriv(Arbejdsbog::i_hukommelse(), 2).til_bytes().unwrap());
}

#[test]
fn gem_skriver_samme_fil_til_disken() {
    let mappe = tempfile::tempdir().unwrap();
    let sti = mappe.path().join("bevillinger.xlsx");
    skriv(Arbejdsbog::i_fil(&sti).unwrap(), 9).afslut().unwrap();
    let _: Xlsx<_> = open_workbook(&sti).unwrap();
    kontroller_bog(std::fs::read(&sti).unwrap());
}
