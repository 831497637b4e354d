//! placeholder until the compose branch merges
/// An outbound message ready for a transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundMail {
    pub message_id: String,
    pub envelope_from: Option<String>,
    pub recipients: Vec<String>,
    pub raw: Vec<u8>,
}
