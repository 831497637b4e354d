//! What the intent readers make of short messages, each read as the shipped office would.
