//! Rendering content for people: the plain-text fallback and the HTML preview of a card.
