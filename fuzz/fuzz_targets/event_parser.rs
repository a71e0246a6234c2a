//! Feeds arbitrary bytes to everything that reads what FinChat sends: callback bodies, polled events,
//! search requests and message content. None may panic; whatever parses must serialise back.
#![no_main]

use finchat_client::events::{Callback, Event, SearchRequest};
use finchat_cui::MessageContent;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(callback) = serde_json::from_slice::<Callback>(data) {
        let json = serde_json::to_value(&callback).expect("a parsed callback serialises");
        let again: Callback = serde_json::from_value(json).expect("and parses again");
        assert_eq!(again.event.event_type(), callback.event.event_type());
    }
    if let Ok(event) = serde_json::from_slice::<Event>(data) {
        serde_json::to_string(&event).expect("a parsed event serialises");
    }
    let _ = serde_json::from_slice::<SearchRequest>(data);
    if let Ok(content) = serde_json::from_slice::<MessageContent>(data) {
        let _ = content.validate();
        let _ = content.to_plain_text();
        serde_json::to_string(&content).expect("parsed content serialises");
    }
});
