//! The sockets this process holds, by kind, for the operator: `codeview_sockets_open{kind}`
//! (`doc` for document sockets, `room` for room sockets), counted from the upgrade until the
//! socket's task ends, whatever ends it.

/// One open socket of `kind`, counted until dropped.
pub struct OpenSocket {
    kind: &'static str,
}

impl OpenSocket {
    pub fn count(kind: &'static str) -> OpenSocket {
        metrics::gauge!("codeview_sockets_open", "kind" => kind).increment(1.0);
        OpenSocket { kind }
    }
}

impl Drop for OpenSocket {
    fn drop(&mut self) {
        metrics::gauge!("codeview_sockets_open", "kind" => self.kind).decrement(1.0);
    }
}
