//! A colleague's order as clerk understands it: the lines it is sure of, each an item of the catalog
//! and a quantity in the item's units, and the lines it must ask about.
//!
//! A line with a number is always one or the other. A line without one ("toner for the printer")
//! or with only an article ("a box of staples") counts only when it names an item for certain and is
//! short enough to be an order line rather than a sentence; otherwise it is prose and left alone.

use super::catalog::Item;
use super::extract::{Quantity, Requested};
use super::matching::{Candidate, Match, Matcher};
use super::units::{in_item_units, pieces_in_units, unit_named};

/// The longest line without a number that is taken as an order line, in words that can name an
/// item (not "the", "for", units).
const SHORT_LINE: usize = 6;

/// A line clerk is sure of.
#[derive(Debug, Clone)]
pub struct Understood<'c> {
    pub item: &'c Item,
    /// In the item's units: "2 boxes" of a 5-ream box is 10.
    pub quantity: i64,
    pub requested: Requested,
    /// Whether no number was written and one was taken ("toner for the printer").
    pub assumed: bool,
}

/// Why a line is asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doubt {
    /// It could be any of several items.
    Several,
    /// The catalog has nothing like it.
    Unknown,
    /// It names an item the office no longer orders.
    Inactive,
    /// It counts in a unit the item is not kept in ("24 bottles" of water kept in packs).
    Unit,
    /// It asks for far more than the office ever keeps ("100 buste C4" of an item kept by the box
    /// of 250, three boxes at most): most likely a count of something else.
    Quantity,
}

/// A line clerk asks about, with the closest items.
#[derive(Debug, Clone)]
pub struct Unclear<'c> {
    pub requested: Requested,
    pub doubt: Doubt,
    pub closest: Vec<Candidate<'c>>,
}

/// An order as understood.
#[derive(Debug, Clone, Default)]
pub struct Reading<'c> {
    pub understood: Vec<Understood<'c>>,
    pub unclear: Vec<Unclear<'c>>,
}

impl Reading<'_> {
    /// Whether the message held no order line at all.
    pub fn is_empty(&self) -> bool {
        self.understood.is_empty() && self.unclear.is_empty()
    }
}

/// Understands `lines` against the catalog of `matcher`.
pub fn understand<'c>(matcher: &Matcher<'c>, lines: Vec<Requested>) -> Reading<'c> {
    let mut reading = Reading::default();
    for requested in lines {
        let counted = matches!(requested.quantity, Quantity::Given(_));
        let short = super::matching::words(&requested.description).len() <= SHORT_LINE;
        if !counted && !short {
            // Prose: nothing below takes it, so it is not weighed against the catalog.
            continue;
        }
        let mut found = matcher.find(&requested);
        // "25 risme di carta A4 x le copie del concorso", "2 toner HP 26A (quelli della stampante
        // grande)": what it is for, or a remark, may blur what it is.
        let shorter = [
            super::extract::without_purpose(&requested.description),
            super::extract::without_remark(&requested.written, &requested.description),
        ];
        for name in shorter.into_iter().flatten() {
            if matches!(found, Match::Item(_)) {
                break;
            }
            if let certain @ Match::Item(_) =
                matcher.find(&Requested { description: name, ..requested.clone() })
            {
                found = certain;
            }
        }
        match found {
            Match::Item(candidate) if !candidate.item.active && counted => {
                reading.unclear.push(Unclear { requested, doubt: Doubt::Inactive, closest: vec![candidate] })
            }
            Match::Item(candidate)
                if candidate.item.active && counted && !convertible(&requested, candidate.item) =>
            {
                reading.unclear.push(Unclear { requested, doubt: Doubt::Unit, closest: vec![candidate] })
            }
            Match::Item(candidate) if candidate.item.active && (counted || short) => {
                let item = candidate.item;
                let asked = i64::from(requested.quantity.value());
                let Some(asked) = pieces_in_units(asked, requested.unit.as_deref(), item.holds) else {
                    // "6 AA batteries" of packs of four: the pieces are not whole packs.
                    reading.unclear.push(Unclear { requested, doubt: Doubt::Unit, closest: vec![candidate] });
                    continue;
                };
                let quantity = in_item_units(asked, requested.unit.as_deref(), &item.unit, item.pack_size);
                // "mezza scatola" of pens in boxes of 50 is 25; half of what does not halve is asked.
                let quantity = match (requested.halved, quantity % 2) {
                    (false, _) => quantity,
                    (true, 0) => quantity / 2,
                    (true, _) => {
                        reading.unclear.push(Unclear {
                            requested,
                            doubt: Doubt::Unit,
                            closest: vec![candidate],
                        });
                        continue;
                    }
                };
                if quantity > most_plausible(item) {
                    reading.unclear.push(Unclear {
                        requested,
                        doubt: Doubt::Quantity,
                        closest: vec![candidate],
                    });
                    continue;
                }
                let assumed = requested.quantity == Quantity::Missing;
                reading.understood.push(Understood { item, quantity, requested, assumed });
            }
            Match::Unsure(closest) if counted => {
                reading.unclear.push(Unclear { requested, doubt: Doubt::Several, closest })
            }
            Match::Unknown(closest) if counted => {
                reading.unclear.push(Unclear { requested, doubt: Doubt::Unknown, closest })
            }
            _ => {}
        }
    }
    reading
}

/// Whether the unit a line counts in can be turned into the item's: none given, the item's own,
/// a pack of it, or pieces (which count anything). "24 bottles" of water kept in packs can only when
/// the catalog says how many a pack holds.
fn convertible(requested: &Requested, item: &Item) -> bool {
    let Some(unit) = requested.unit.as_deref().and_then(unit_named) else { return true };
    unit.name == item.unit
        || unit.pack
        || unit.name == "piece"
        || unit_named(&item.unit).is_none()
        || item.holds.is_some()
}

/// The most of `item` a request can plausibly mean: five times the most the office keeps or lets one
/// request take, and at least twenty packs (an item ordered only on demand keeps nothing).
fn most_plausible(item: &Item) -> i64 {
    let kept = item.order_up_to.max(i64::from(item.max_per_request.unwrap_or(0)));
    kept.saturating_mul(5).max(i64::from(item.pack_size).saturating_mul(20))
}
