//! The units people count supplies in, in English and Italian: what "3 boxes", "due risme" or "5 pz"
//! count, and how a request's unit turns into the catalog's.
//!
//! A catalog item counts in one unit (`unit = "ream"`) and may come in packs (`pack_size = 5`). A
//! request in the item's own unit is taken as written; one in packs (box, pack, carton, case,
//! confezione) is multiplied by the pack size; any other unit, or none, counts the item's units.

/// A unit and every way it is written.
#[derive(Debug, PartialEq, Eq)]
pub struct Unit {
    /// The catalog's name for it.
    pub name: &'static str,
    /// English singular and plural.
    pub en: (&'static str, &'static str),
    /// Italian singular and plural.
    pub it: (&'static str, &'static str),
    /// Every word that names it, folded (lower case, no accents), besides the above.
    pub also: &'static [&'static str],
    /// Whether it is a pack of the item's units, multiplied by the item's pack size.
    pub pack: bool,
}

/// The units clerk knows. A catalog may use others; they are then only recognised as written.
pub const UNITS: &[Unit] = &[
    Unit {
        name: "piece",
        en: ("piece", "pieces"),
        it: ("pezzo", "pezzi"),
        also: &["pc", "pcs", "pz", "pzs", "each", "ea", "unit", "units", "item", "items"],
        pack: false,
    },
    Unit { name: "ream", en: ("ream", "reams"), it: ("risma", "risme"), also: &[], pack: false },
    Unit {
        name: "box",
        en: ("box", "boxes"),
        it: ("scatola", "scatole"),
        also: &["bx", "scatolo"],
        pack: true,
    },
    Unit {
        name: "pack",
        en: ("pack", "packs"),
        it: ("confezione", "confezioni"),
        also: &["packet", "packets", "pkt", "pk", "pacco", "pacchi", "pacchetto", "pacchetti", "conf"],
        pack: true,
    },
    Unit {
        name: "carton",
        en: ("carton", "cartons"),
        it: ("cartone", "cartoni"),
        also: &["ctn"],
        pack: true,
    },
    Unit { name: "case", en: ("case", "cases"), it: ("cassa", "casse"), also: &[], pack: true },
    Unit {
        name: "cartridge",
        en: ("cartridge", "cartridges"),
        it: ("cartuccia", "cartucce"),
        also: &["cartucci"],
        pack: false,
    },
    Unit {
        name: "bottle",
        en: ("bottle", "bottles"),
        it: ("bottiglia", "bottiglie"),
        also: &[],
        pack: false,
    },
    Unit { name: "roll", en: ("roll", "rolls"), it: ("rotolo", "rotoli"), also: &[], pack: false },
    Unit {
        name: "pad",
        en: ("pad", "pads"),
        it: ("blocco", "blocchi"),
        also: &["blocchetto", "blocchetti"],
        pack: false,
    },
    Unit { name: "bag", en: ("bag", "bags"), it: ("sacchetto", "sacchetti"), also: &[], pack: false },
    Unit {
        name: "kg",
        en: ("kg", "kg"),
        it: ("kg", "kg"),
        also: &["kilo", "kilos", "chilo", "chili"],
        pack: false,
    },
    Unit {
        name: "litre",
        en: ("litre", "litres"),
        it: ("litro", "litri"),
        also: &["liter", "liters", "l", "lt"],
        pack: false,
    },
];

/// The unit a folded word names, if any.
pub fn unit_named(word: &str) -> Option<&'static Unit> {
    UNITS.iter().find(|unit| {
        unit.name == word
            || [unit.en.0, unit.en.1, unit.it.0, unit.it.1].contains(&word)
            || unit.also.contains(&word)
    })
}

/// How a catalog unit is written for a reader of `language`: "3 reams", "1 risma". A unit clerk
/// does not know is written as the catalog has it.
pub fn written(unit: &str, quantity: i64, language: &str) -> String {
    match UNITS.iter().find(|u| u.name == unit) {
        Some(u) => {
            let (one, many) = if language == "it" { u.it } else { u.en };
            if quantity == 1 { one } else { many }.to_owned()
        }
        None => unit.to_owned(),
    }
}

/// How many units of an item that holds `holds` pieces a unit are `quantity` pieces: whole units,
/// or `None` when the pieces do not come to whole units (to be asked). A count below one unit's worth
/// is taken as units, as "2 coffee" means two boxes.
pub fn pieces_in_units(quantity: i64, asked: Option<&str>, holds: Option<u32>) -> Option<i64> {
    let Some(holds) = holds.map(i64::from).filter(|h| *h > 1) else { return Some(quantity) };
    // Only a count of the pieces themselves: no unit, or one that is not a pack.
    if asked.and_then(unit_named).is_some_and(|unit| unit.pack) || quantity < holds {
        return Some(quantity);
    }
    (quantity % holds == 0).then_some(quantity / holds)
}

/// How many of an item's units `quantity` of `asked` are: packs times the pack size, anything else
/// as written.
pub fn in_item_units(quantity: i64, asked: Option<&str>, item_unit: &str, pack_size: u32) -> i64 {
    let Some(asked) = asked.and_then(unit_named) else { return quantity };
    if asked.name != item_unit && asked.pack && pack_size > 1 {
        quantity.saturating_mul(i64::from(pack_size))
    } else {
        quantity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_known_in_both_languages_and_abbreviated() {
        for word in ["boxes", "scatole", "risme", "pz", "pcs", "confezioni", "cartucce"] {
            assert!(unit_named(word).is_some(), "{word}");
        }
        assert_eq!(unit_named("toner"), None);
    }

    #[test]
    fn packs_are_multiplied_by_the_pack_size() {
        assert_eq!(in_item_units(2, Some("boxes"), "ream", 5), 10);
        assert_eq!(in_item_units(2, Some("scatole"), "ream", 5), 10);
    }

    #[test]
    fn the_items_own_unit_and_unknown_units_count_as_written() {
        assert_eq!(in_item_units(3, Some("reams"), "ream", 5), 3);
        assert_eq!(in_item_units(3, None, "ream", 5), 3);
        assert_eq!(in_item_units(3, Some("bottles"), "ream", 5), 3);
        // An item sold by the box: a box is one.
        assert_eq!(in_item_units(3, Some("boxes"), "box", 10), 3);
    }

    #[test]
    fn units_are_written_in_the_readers_language() {
        assert_eq!(written("ream", 3, "en"), "reams");
        assert_eq!(written("ream", 1, "it"), "risma");
        assert_eq!(written("sachet", 2, "en"), "sachet");
    }

    #[test]
    fn pieces_of_an_item_kept_in_packs_are_whole_packs_or_a_question() {
        // AA batteries in packs of four.
        assert_eq!(pieces_in_units(8, None, Some(4)), Some(2));
        assert_eq!(pieces_in_units(6, None, Some(4)), None, "six batteries are not whole packs");
        assert_eq!(pieces_in_units(24, Some("bottiglie"), Some(24)), Some(1));
        assert_eq!(pieces_in_units(2, Some("packs"), Some(4)), Some(2), "packs are counted as packs");
        assert_eq!(pieces_in_units(2, None, Some(100)), Some(2), "2 coffee is two boxes");
        assert_eq!(pieces_in_units(8, None, None), Some(8));
    }
}
