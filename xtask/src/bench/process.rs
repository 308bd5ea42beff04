//! Servers the benchmarks start on loopback: each is a child process that is killed when its
//! guard is dropped, however the benchmark ends, and a tiny HTTP/1.1 client to check what they
//! answer before they are measured.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::cmd::Result;

/// A running child process, stopped on drop.
pub struct Running {
    child: Child,
    what: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    /// Starts `command` with its standard error in `log`, so that a failure can be read later,
    /// and its standard output there too unless `quiet` (a proxy under load logs every
    /// request, which would fill the disk).
    pub fn start(what: &str, mut command: Command, log: &Path, quiet: bool) -> Result<Self> {
        let file = std::fs::File::create(log)
            .map_err(|err| format!("cannot create {}: {err}", log.display()))?;
        let out = if quiet {
            Stdio::null()
        } else {
            Stdio::from(
                file.try_clone()
                    .map_err(|err| format!("cannot share {}: {err}", log.display()))?,
            )
        };
        command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(Stdio::from(file));
        let child = command
            .spawn()
            .map_err(|err| format!("could not start the {what}: {err}"))?;
        Ok(Self {
            child,
            what: what.to_string(),
        })
    }

    /// Waits until `addr` answers `GET path` with any HTTP status, for at most 30 s.
    pub fn wait_for(&mut self, addr: SocketAddr, path: &str, log: &Path) -> Result {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if get(addr, path, &[]).is_ok() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "the {} exited early ({status}); see {}",
                    self.what,
                    log.display()
                ));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "the {} did not answer on {addr} within 30 s; see {}",
                    self.what,
                    log.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// A free loopback address to listen on.
pub fn free_addr() -> Result<SocketAddr> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|err| format!("no free loopback port: {err}"))?;
    listener
        .local_addr()
        .map_err(|err| format!("no free loopback port: {err}"))
}

/// One HTTP answer.
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// Header names (lowercase) and values.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Answer {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `GET path` on `addr` with `headers`, over a fresh connection that the server closes.
pub fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Result<Answer> {
    let fail = |err: std::io::Error| format!("GET http://{addr}{path} failed: {err}");
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).map_err(fail)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(fail)?;
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).map_err(fail)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(fail)?;
    parse_answer(&raw).ok_or_else(|| format!("GET http://{addr}{path}: not an HTTP answer"))
}

fn parse_answer(raw: &[u8]) -> Option<Answer> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        dechunk(rest)?
    } else {
        rest.to_vec()
    };
    Some(Answer {
        status,
        headers,
        body,
    })
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_and_chunked_answers() {
        let plain = parse_answer(b"HTTP/1.1 200 OK\r\nContent-Type: a/b\r\n\r\nhello").unwrap();
        assert_eq!((plain.status, plain.body.as_slice()), (200, &b"hello"[..]));
        assert_eq!(plain.header("content-type"), Some("a/b"));
        let chunked = parse_answer(
            b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1\r\n!\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(
            (chunked.status, chunked.body.as_slice()),
            (404, &b"hello!"[..])
        );
        assert!(parse_answer(b"garbage").is_none());
    }
}
