//! Shortcut search: the request FinChat POSTs when a user searches inside the app, and the app's answer.
//! Like every other event, the request keeps `unsigned` and every field it does not know, and writes
//! them back.

use finchat_cui::OpenType;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::Secret;

/// The body of a shortcut-search POST.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct SearchRequest {
    /// The app; absent from older servers.
    #[serde(default)]
    pub app_id: Option<String>,
    /// The token the app configured.
    pub token: Secret,
    /// The search.
    pub event: SearchEvent,
    /// Other fields of the body, kept as received.
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl SearchRequest {
    /// Fields of the body this library does not know, kept as they came.
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

impl Serialize for SearchRequest {
    /// As it came, the token included (as [`Callback`](crate::events::Callback) does).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::events::serialize_push(
            serializer,
            self.app_id.as_deref(),
            &self.token,
            &self.event,
            &self.extra,
        )
    }
}

/// The event of a shortcut search (`finstore.shortcut.search`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchEvent {
    /// The event's id.
    #[serde(default)]
    pub event_id: String,
    /// The event's type.
    #[serde(rename = "type", default)]
    pub event_type: String,
    /// When, in milliseconds.
    #[serde(default)]
    pub timestamp: i64,
    /// Who searches.
    #[serde(default)]
    pub sender: String,
    /// Extension data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsigned: Option<Value>,
    /// What they search for.
    pub content: SearchQuery,
    /// Other fields of the event, kept as received.
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl SearchEvent {
    /// Fields of the event this library does not know, kept as they came.
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

/// What a user searches for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchQuery {
    /// The text.
    pub search_text: String,
    /// The page, from 0.
    #[serde(default)]
    pub page_no: u32,
    /// Results per page.
    #[serde(default)]
    pub page_size: u32,
    /// Other fields of the query, kept as received.
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl SearchQuery {
    /// Fields of the query this library does not know, kept as they came.
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

/// The app's answer to a search: a list of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchResponse {
    /// Always `list`, the only published layout.
    pub layout: String,
    /// The results.
    pub content: SearchResults,
}

/// The results of a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchResults {
    /// How many results there are in all.
    pub total: u64,
    /// This page of results.
    pub list: Vec<SearchResult>,
    /// How a result's URL opens.
    #[serde(default = "in_app")]
    pub opentype: OpenType,
}

fn in_app() -> OpenType {
    OpenType::InApp
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchResult {
    /// Always `text`, the only published type.
    #[serde(rename = "type")]
    pub result_type: String,
    /// The title.
    pub title: String,
    /// The text under it.
    pub description: String,
    /// What opens when it is tapped; none: nothing does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl SearchResponse {
    /// No results: what the app answers when the search handler failed or was late.
    pub fn empty() -> Self {
        Self::new(0, Vec::new())
    }

    /// `list` of `total` results, opened in the app.
    pub fn new(total: u64, list: Vec<SearchResult>) -> Self {
        Self {
            layout: "list".into(),
            content: SearchResults {
                total,
                list,
                opentype: OpenType::InApp,
            },
        }
    }

    /// Sets how results open.
    pub fn opentype(mut self, opentype: OpenType) -> Self {
        self.content.opentype = opentype;
        self
    }
}

impl SearchResult {
    /// A text result.
    pub fn text(title: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            result_type: "text".into(),
            title: title.into(),
            description: description.into(),
            url: None,
        }
    }

    /// Sets what opens when it is tapped.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }
}
