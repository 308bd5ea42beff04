//! Who the client is, as far as failed sign-ins are concerned. Behind a TLS-terminating proxy
//! every request arrives from that proxy's address, so counting failures per socket address
//! would let one stranger lock out every admin. When the socket peer is one of the configured
//! `trusted_proxies`, the client is the rightmost hop of the forwarding header that is not itself
//! trusted: hops to its left were written by the client and prove nothing.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;

use crate::config::ClientAddressHeader;

/// The client address of a request, set once by the router for auth and the logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// How the client address is found.
#[derive(Debug, Clone)]
pub struct Resolver {
    /// Peers whose forwarding header is believed.
    pub trusted: Vec<IpNet>,
    /// The header they set.
    pub header: ClientAddressHeader,
}

impl Resolver {
    /// The client behind `peer`: `peer` itself unless it is a trusted proxy, else the rightmost
    /// untrusted hop of the header (or the leftmost hop when every hop is trusted).
    pub fn client(&self, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer.ip());
        if !self.is_trusted(peer) {
            return peer;
        }
        let hops = match self.header {
            ClientAddressHeader::XForwardedFor => x_forwarded_for(headers),
            ClientAddressHeader::Forwarded => forwarded(headers),
        };
        let Some(hops) = hops else { return peer };
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            client = hop;
            if !self.is_trusted(hop) {
                break;
            }
        }
        client
    }

    fn is_trusted(&self, address: IpAddr) -> bool {
        self.trusted.iter().any(|net| net.contains(&address))
    }
}

/// The hops of every `X-Forwarded-For` line, in order; `None` if any hop is not an address
/// (the header is then not believed at all).
fn x_forwarded_for(headers: &HeaderMap) -> Option<Vec<IpAddr>> {
    let mut hops = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        for hop in value.to_str().ok()?.split(',') {
            hops.push(parse_hop(hop.trim())?);
        }
    }
    (!hops.is_empty()).then_some(hops)
}

/// The `for=` of every `Forwarded` element, in order (RFC 7239).
fn forwarded(headers: &HeaderMap) -> Option<Vec<IpAddr>> {
    let mut hops = Vec::new();
    for value in headers.get_all("forwarded") {
        for element in value.to_str().ok()?.split(',') {
            let node = element.split(';').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| value.trim().trim_matches('"'))
            });
            if let Some(node) = node {
                hops.push(parse_hop(node)?);
            }
        }
    }
    (!hops.is_empty()).then_some(hops)
}

/// `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]`, `[2001:db8::1]:4711` or `2001:db8::1`.
fn parse_hop(text: &str) -> Option<IpAddr> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Ok(socket) = text.parse::<SocketAddr>() {
        return Some(canonical(socket.ip()));
    }
    let inner = text.strip_prefix('[')?.split(']').next()?;
    inner
        .parse::<Ipv6Addr>()
        .ok()
        .map(|ip| canonical(IpAddr::V6(ip)))
}

/// IPv4-mapped IPv6 addresses are the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// The key failed sign-ins are counted under: the address, or its /64 for IPv6, since one
/// host is normally handed a whole /64 and could otherwise rotate through it.
pub fn failure_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let segments = v6.segments();
            IpAddr::V6(Ipv6Addr::new(
                segments[0],
                segments[1],
                segments[2],
                segments[3],
                0,
                0,
                0,
                0,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn resolver(trusted: &[&str], header: ClientAddressHeader) -> Resolver {
        Resolver {
            trusted: trusted.iter().map(|t| t.parse().expect("net")).collect(),
            header,
        }
    }

    fn headers(name: &'static str, values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(name, HeaderValue::from_str(value).expect("value"));
        }
        map
    }

    const PROXY: &str = "10.0.0.2:5000";

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let r = resolver(&["10.0.0.0/24"], ClientAddressHeader::XForwardedFor);
        let claimed = headers("x-forwarded-for", &["198.51.100.1"]);
        let peer: SocketAddr = "203.0.113.9:1".parse().expect("addr");
        assert_eq!(r.client(peer, &claimed), peer.ip());
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let r = resolver(&["10.0.0.0/24"], ClientAddressHeader::XForwardedFor);
        let peer: SocketAddr = PROXY.parse().expect("addr");
        let spoofed = headers("x-forwarded-for", &["1.2.3.4, 203.0.113.7", "10.0.0.3"]);
        assert_eq!(
            r.client(peer, &spoofed),
            "203.0.113.7".parse::<IpAddr>().expect("ip")
        );
        let all_trusted = headers("x-forwarded-for", &["10.0.0.9, 10.0.0.3"]);
        assert_eq!(
            r.client(peer, &all_trusted),
            "10.0.0.9".parse::<IpAddr>().expect("ip")
        );
        let garbage = headers("x-forwarded-for", &["nonsense, 203.0.113.7"]);
        assert_eq!(r.client(peer, &garbage), peer.ip());
        assert_eq!(r.client(peer, &HeaderMap::new()), peer.ip());
    }

    #[test]
    fn forwarded_for_with_ports_and_ipv6() {
        let r = resolver(&["10.0.0.0/24"], ClientAddressHeader::Forwarded);
        let peer: SocketAddr = PROXY.parse().expect("addr");
        let value = headers(
            "forwarded",
            &["for=192.0.2.60;proto=http, for=\"[2001:db8:cafe::17]:4711\";by=10.0.0.2"],
        );
        assert_eq!(
            r.client(peer, &value),
            "2001:db8:cafe::17".parse::<IpAddr>().expect("ip")
        );
        let xff_only = headers("x-forwarded-for", &["203.0.113.7"]);
        assert_eq!(
            r.client(peer, &xff_only),
            peer.ip(),
            "only the configured header counts"
        );
    }

    #[test]
    fn ipv6_failures_count_per_64_and_mapped_ipv4_is_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().expect("ip");
        assert_eq!(failure_key(a), failure_key(b));
        let mapped: SocketAddr = "[::ffff:192.0.2.1]:80".parse().expect("addr");
        let r = resolver(&[], ClientAddressHeader::XForwardedFor);
        assert_eq!(
            r.client(mapped, &HeaderMap::new()),
            "192.0.2.1".parse::<IpAddr>().expect("ip")
        );
    }
}
