//! Video-call connectivity (issue 18): the STUN/TURN servers browsers are given
//! (`settings`, checked at start; `servers`, the list per participant), the short-lived TURN
//! credentials in coturn's REST scheme (`credentials`), and the optional embedded TURN relay
//! (`relay`, with its guarded relay sockets in `relay_sockets`). Media never passes through the
//! HTTP server; only the relay carries it, for browsers that cannot reach each other directly.

pub mod credentials;
pub mod relay;
pub mod relay_sockets;
pub mod servers;
pub mod settings;
pub mod urls;

pub use servers::{IceServer, IceServers};
pub use settings::IceSettings;
