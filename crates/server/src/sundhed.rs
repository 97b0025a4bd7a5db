//! `vitas sundhed`: the container's health check (issue 11 §1, decision 122). It asks the
//! running server's `GET /healthz` over plain HTTP on the serving address and tells by its
//! exit code whether the answer was 200, so the runtime image needs no curl or shell
//! (Containerfile, `HEALTHCHECK`), and scripts/container-rootfs-test.sh runs the very same
//! command inside the image's root file system.
//!
//! It opens no database and reads no secret: it only talks to the server that is already
//! running, as any other caller of `/healthz` would.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long the whole check may take. Docker's `HEALTHCHECK --timeout` (Containerfile) is
/// longer, so a hung server is reported by this message, not by the runtime killing us.
pub const FRIST: Duration = Duration::from_secs(5);

/// The address to ask: the serving address, with an unspecified one (`0.0.0.0`, `::`, as the
/// container serves on) replaced by the loopback address of the same family.
pub fn maal(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), addr.port()),
        _ => addr,
    }
}

/// `GET /healthz` on the server serving at `addr`: `Ok(())` when it answers 200 within
/// `frist`, otherwise a Danish sentence saying what went wrong.
pub async fn tjek(addr: SocketAddr, frist: Duration) -> Result<(), String> {
    let maal = maal(addr);
    match tokio::time::timeout(frist, statuskode(maal)).await {
        Err(_) => Err(format!("{maal} svarede ikke på /healthz inden for {} s", frist.as_secs())),
        Ok(Err(e)) => Err(format!("kunne ikke spørge http://{maal}/healthz: {e}")),
        Ok(Ok(200)) => Ok(()),
        Ok(Ok(kode)) => Err(format!("http://{maal}/healthz svarede {kode}, ikke 200")),
    }
}

/// The status code of `GET /healthz` on `maal` (HTTP/1.1, one request, the connection closed
/// after it). Only the status line is read.
async fn statuskode(maal: SocketAddr) -> std::io::Result<u16> {
    let mut forbindelse = TcpStream::connect(maal).await?;
    let anmodning =
        format!("GET /healthz HTTP/1.1\r\nHost: {maal}\r\nConnection: close\r\nUser-Agent: vitas-sundhed\r\n\r\n");
    forbindelse.write_all(anmodning.as_bytes()).await?;
    // "HTTP/1.1 200 OK\r\n": the status line fits well inside this; a server that sends more
    // before its first line break is not an HTTP server.
    let mut svar = Vec::with_capacity(256);
    let mut buf = [0u8; 256];
    while !svar.contains(&b'\n') && svar.len() < 1024 {
        let n = forbindelse.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        svar.extend_from_slice(&buf[..n]);
    }
    let linje = svar.split(|b| *b == b'\n').next().unwrap_or_default();
    let linje = String::from_utf8_lossy(linje);
    let mut dele = linje.split_whitespace();
    match (dele.next(), dele.next().and_then(|k| k.parse::<u16>().ok())) {
        (Some(v), Some(kode)) if v.starts_with("HTTP/") => Ok(kode),
        _ => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("svaret var ikke HTTP: {:?}", linje.chars().take(80).collect::<String>()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    /// A one-shot server that answers the first request with `svar` and records what it got.
    async fn server(svar: &'static str) -> (SocketAddr, tokio::task::JoinHandle<String>) {
        let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = l.local_addr().expect("addr");
        let h = tokio::spawn(async move {
            let (mut s, _) = l.accept().await.expect("accept");
            let mut buf = vec![0u8; 1024];
            let n = s.read(&mut buf).await.expect("read");
            s.write_all(svar.as_bytes()).await.expect("write");
            String::from_utf8_lossy(&buf[..n]).into_owned()
        });
        (addr, h)
    }

    #[tokio::test]
    async fn svar_200_er_sundt_og_spoerger_healthz() {
        let (addr, h) = server("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok").await;
        assert_eq!(tjek(addr, FRIST).await, Ok(()));
        let anmodning = h.await.expect("server");
        assert!(anmodning.starts_with("GET /healthz HTTP/1.1\r\n"), "{anmodning}");
    }

    #[tokio::test]
    async fn andet_end_200_er_usundt() {
        let (addr, _h) = server("HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n").await;
        let fejl = tjek(addr, FRIST).await.expect_err("500 er ikke sundt");
        assert!(fejl.contains("svarede 500"), "{fejl}");
    }

    #[tokio::test]
    async fn ikke_http_er_usundt() {
        let (addr, _h) = server("SSH-2.0-OpenSSH\r\n").await;
        let fejl = tjek(addr, FRIST).await.expect_err("ikke HTTP");
        assert!(fejl.contains("ikke HTTP"), "{fejl}");
    }

    #[tokio::test]
    async fn ingen_server_er_usundt() {
        // Bind a port, then free it: nothing listens there.
        let addr = TcpListener::bind("127.0.0.1:0").await.expect("bind").local_addr().expect("addr");
        let fejl = tjek(addr, FRIST).await.expect_err("ingen lytter");
        assert!(fejl.contains("kunne ikke spørge"), "{fejl}");
    }

    #[tokio::test]
    async fn en_server_der_haenger_rammer_fristen() {
        let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = l.local_addr().expect("addr");
        // Accepts and never answers.
        let _h = tokio::spawn(async move {
            let (_s, _) = l.accept().await.expect("accept");
            tokio::time::sleep(Duration::from_secs(60)).await;
        });
        let fejl = tjek(addr, Duration::from_millis(300)).await.expect_err("hænger");
        assert!(fejl.contains("svarede ikke"), "{fejl}");
    }

    #[test]
    fn uspecificeret_adresse_bliver_loopback() {
        let v4: SocketAddr = "0.0.0.0:8080".parse().expect("v4");
        assert_eq!(maal(v4), "127.0.0.1:8080".parse::<SocketAddr>().expect("v4"));
        let v6: SocketAddr = "[::]:8080".parse().expect("v6");
        assert_eq!(maal(v6), "[::1]:8080".parse::<SocketAddr>().expect("v6"));
        let fast: SocketAddr = "10.1.2.3:80".parse().expect("fast");
        assert_eq!(maal(fast), fast);
    }
}
