//! What the edge attacks share: clients that act from an address of their own (Linux routes
//! all of 127.0.0.0/8 to the loopback interface, so a test can be many clients at once), and
//! a test process allowed to hold thousands of sockets.

use std::net::{IpAddr, Ipv4Addr};

use nix::sys::resource::{Resource, getrlimit, setrlimit};
use reqwest::Client;

/// The loopback address `127.0.x.y` standing for one client.
pub fn loopback(x: u8, y: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, x, y))
}

/// A client whose connections come from `address`.
pub fn client_from(address: IpAddr) -> Client {
    Client::builder().local_address(address).build().expect("client")
}

/// Raises this process's soft open-file limit to its hard limit; returns the new limit.
pub fn raise_own_open_file_limit() -> u64 {
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).expect("reading RLIMIT_NOFILE");
    if soft < hard {
        setrlimit(Resource::RLIMIT_NOFILE, hard, hard).expect("raising RLIMIT_NOFILE");
    }
    hard
}
