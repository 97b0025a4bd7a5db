//! Excel export benchmark: 100,000 rows × 25 columns of mixed types.
//!
//! The same rows are first serialised to CSV with the standard library; that
//! is the baseline measured in the same run, and the Excel time is printed as
//! a ratio of it. Memory is the growth of peak RSS (`VmHWM` in
//! `/proc/self/status`, reset through `/proc/self/clear_refs` before each
//! phase) over the RSS at the start of the phase.
//!
//! ```text
//! CARGO_TARGET_DIR=/root/.cache/vitas-docs-target \
//!     cargo run --release -p documents --example excel_bench [-- ROWS [REPEATS]]
//! ```

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use documents::excel::{Arbejdsbog, Celle, Celleart, Kolonne};

const TEKSTER: [&str; 8] = [
    "Søren Ærø",
    "Åse Østergård",
    "Jobcenter Aabenraa",
    "Løntilskud, privat",
    "=SUM(A1)",
    "-2 timer",
    "Fleksjob",
    "Virksomhedspraktik",
];

fn kolonner() -> Vec<Kolonne> {
    (0..25).map(|k| Kolonne { overskrift: format!("Kolonne {k} æøå"), art: art(k), bredde: 14.0 }).collect()
}

/// 10 text, 5 integer, 5 decimal and 5 date columns, interleaved.
fn art(kolonne: usize) -> Celleart {
    match kolonne % 5 {
        0 | 1 => Celleart::Tekst,
        2 => Celleart::Heltal,
        3 => Celleart::Decimal { decimaler: 2 },
        _ => Celleart::Dato,
    }
}

fn fyld_raekke(raekke: u64, celler: &mut Vec<Celle>) {
    celler.clear();
    let start = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    for k in 0..25u64 {
        let blanding = raekke.wrapping_mul(2_654_435_761).wrapping_add(k * 97);
        celler.push(match art(k as usize) {
            Celleart::Tekst => {
                Celle::Tekst(format!("{} {}", TEKSTER[(blanding % TEKSTER.len() as u64) as usize], raekke))
            }
            Celleart::Heltal => Celle::Heltal((blanding % 2_000_001) as i64 - 1_000_000),
            Celleart::Decimal { .. } => Celle::Decimal((blanding % 1_000_000) as f64 / 100.0),
            Celleart::Dato => Celle::Dato(start.checked_add_days(Days::new(blanding % 10_000)).unwrap_or(start)),
        });
    }
}

fn csv_felt(ud: &mut impl Write, celle: &Celle) -> std::io::Result<()> {
    match celle {
        Celle::Tom => Ok(()),
        Celle::Tekst(t) | Celle::Anmaerkning(t) if t.contains([';', '"', '\n']) => {
            write!(ud, "\"{}\"", t.replace('"', "\"\""))
        }
        Celle::Tekst(t) | Celle::Anmaerkning(t) => ud.write_all(t.as_bytes()),
        Celle::Heltal(h) => write!(ud, "{h}"),
        Celle::Decimal(d) => write!(ud, "{d}"),
        Celle::Dato(d) => write!(ud, "{}", d.format("%d-%m-%Y")),
    }
}

fn skriv_csv(sti: &Path, raekker: u64) -> Result<(), Box<dyn std::error::Error>> {
    let mut ud = BufWriter::new(File::create(sti)?);
    let kolonner = kolonner();
    let overskrifter: Vec<&str> = kolonner.iter().map(|k| k.overskrift.as_str()).collect();
    writeln!(ud, "{}", overskrifter.join(";"))?;
    let mut celler = Vec::with_capacity(25);
    for raekke in 1..=raekker {
        fyld_raekke(raekke, &mut celler);
        for (i, celle) in celler.iter().enumerate() {
            if i > 0 {
                ud.write_all(b";")?;
            }
            csv_felt(&mut ud, celle)?;
        }
        ud.write_all(b"\n")?;
    }
    ud.flush()?;
    Ok(())
}

fn skriv_excel(sti: &Path, raekker: u64) -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let mut bog = Arbejdsbog::i_fil(sti)?;
    let mut ark = bog.nyt_ark("Bevillinger", &kolonner())?;
    let mut celler = Vec::with_capacity(25);
    for raekke in 1..=raekker {
        fyld_raekke(raekke, &mut celler);
        ark.skriv_raekke(&celler)?;
    }
    let raekker_skrevet = start.elapsed();
    bog.afslut()?;
    println!(
        "  Excel: rows streamed and deflated in {:.2} s, workbook completed in {:.2} s",
        raekker_skrevet.as_secs_f64(),
        (start.elapsed() - raekker_skrevet).as_secs_f64()
    );
    Ok(())
}

/// A field of /proc/self/status in kB.
fn status_kb(felt: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|l| l.strip_prefix(felt))?.trim_start_matches(':').split_whitespace().next()?.parse().ok()
}

/// CPU time of the whole process (all threads: the workbook deflates on a
/// thread of its own), user plus system, from `/proc/self/stat` in clock ticks
/// of 10 ms. On a busy machine this is the fairer figure next to wall time.
fn cpu_tid() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let felter: Vec<u64> = stat
        .rsplit_once(") ")
        .map(|(_, r)| r.split_whitespace().map(|f| f.parse().unwrap_or(0)).collect())
        .unwrap_or_default();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks = felter.get(11).copied().unwrap_or(0) + felter.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// A phase's wall time, CPU time and peak RSS growth in MB.
struct Maaling {
    tid: Duration,
    cpu: Duration,
    rss_mb: f64,
}

/// Runs `fase` and measures it.
fn maal(fase: impl FnOnce() -> Result<(), Box<dyn std::error::Error>>) -> Result<Maaling, Box<dyn std::error::Error>> {
    // "5" resets VmHWM to the current RSS (Linux 4.0+).
    let nulstillet = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let foer = status_kb("VmRSS").unwrap_or(0);
    let cpu_start = cpu_tid();
    let start = Instant::now();
    fase()?;
    let tid = start.elapsed();
    let cpu = cpu_tid().saturating_sub(cpu_start);
    let top = status_kb("VmHWM").unwrap_or(0);
    if !nulstillet {
        eprintln!("advarsel: /proc/self/clear_refs kunne ikke nulstille VmHWM");
    }
    Ok(Maaling { tid, cpu, rss_mb: top.saturating_sub(foer) as f64 / 1024.0 })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let raekker: u64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(100_000);
    let gentagelser: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(3);

    let mappe = std::env::temp_dir().join(format!("vitas-excel-bench-{}", std::process::id()));
    std::fs::create_dir_all(&mappe)?;
    let csv = mappe.join("liste.csv");
    let xlsx = mappe.join("liste.xlsx");

    println!("{raekker} rows × 25 columns (10 text, 5 integer, 5 decimal, 5 date), {gentagelser} runs");
    let mut csv_maal = Vec::new();
    let mut excel_maal = Vec::new();
    for nr in 1..=gentagelser {
        let c = maal(|| skriv_csv(&csv, raekker))?;
        let e = maal(|| skriv_excel(&xlsx, raekker))?;
        println!(
            "run {nr}: CSV {:.2} s (CPU {:.2} s, RSS growth {:.1} MB), Excel {:.2} s (CPU {:.2} s, RSS growth {:.1} MB), ratio {:.1}×",
            c.tid.as_secs_f64(),
            c.cpu.as_secs_f64(),
            c.rss_mb,
            e.tid.as_secs_f64(),
            e.cpu.as_secs_f64(),
            e.rss_mb,
            e.tid.as_secs_f64() / c.tid.as_secs_f64(),
        );
        csv_maal.push(c);
        excel_maal.push(e);
    }
    let median_af = |m: &[Maaling], f: fn(&Maaling) -> f64| median(m.iter().map(f).collect());
    let tid = |m: &Maaling| m.tid.as_secs_f64();
    let cpu = |m: &Maaling| m.cpu.as_secs_f64();
    let (excel_tid, csv_tid) = (median_af(&excel_maal, tid), median_af(&csv_maal, tid));
    let (excel_cpu, csv_cpu) = (median_af(&excel_maal, cpu), median_af(&csv_maal, cpu));
    let hoejeste = |m: &[Maaling]| m.iter().map(|m| m.rss_mb).fold(0.0, f64::max);
    println!(
        "median of {gentagelser}: Excel {excel_tid:.2} s ({:.1}× CSV baseline {csv_tid:.2} s); CPU Excel {excel_cpu:.2} s ({:.1}× CSV {csv_cpu:.2} s); peak RSS growth Excel {:.1} MB, CSV {:.1} MB (max of runs)",
        excel_tid / csv_tid,
        excel_cpu / csv_cpu,
        hoejeste(&excel_maal),
        hoejeste(&csv_maal),
    );
    println!(
        "files: xlsx {:.1} MB, csv {:.1} MB",
        std::fs::metadata(&xlsx)?.len() as f64 / 1e6,
        std::fs::metadata(&csv)?.len() as f64 / 1e6,
    );
    std::fs::remove_dir_all(&mappe)?;
    Ok(())
}
