//! What an event's guests are to eat: the meals wished ("coffee breaks", "un pranzo a buffet", "un
//! aperitivo") and the dietary needs, with how many have each when the request says ("3
//! vegetarians", "due celiaci", "one of them is vegan").

use super::words::Words;
use super::{Diet, DietaryNeed, Meal};

/// The words of each meal, as folded words.
const MEALS: [(&str, Meal); 26] = [
    ("breakfast", Meal::Breakfast),
    ("welcome coffee", Meal::Breakfast),
    ("colazione", Meal::Breakfast),
    ("coffee break", Meal::CoffeeBreak),
    ("coffee breaks", Meal::CoffeeBreak),
    ("coffee-break", Meal::CoffeeBreak),
    ("coffee-breaks", Meal::CoffeeBreak),
    ("pausa caffe", Meal::CoffeeBreak),
    ("pause caffe", Meal::CoffeeBreak),
    ("pausa pranzo", Meal::Lunch),
    ("lunch", Meal::Lunch),
    ("luncheon", Meal::Lunch),
    ("brunch", Meal::Lunch),
    ("pranzo", Meal::Lunch),
    ("light lunch", Meal::Lunch),
    ("aperitivo", Meal::Aperitif),
    ("aperitif", Meal::Aperitif),
    ("apericena", Meal::Aperitif),
    ("drinks", Meal::Aperitif),
    ("cocktail", Meal::Aperitif),
    ("rinfresco", Meal::Aperitif),
    ("refreshments", Meal::Aperitif),
    ("dinner", Meal::Dinner),
    ("cena", Meal::Dinner),
    ("cenone", Meal::Dinner),
    ("supper", Meal::Dinner),
];

/// Words saying no food is wanted.
const NO_CATERING: [&str; 8] = [
    "no catering",
    "senza catering",
    "niente catering",
    "no food",
    "catering not needed",
    "non serve il catering",
    "nessun catering",
    "without catering",
];

/// The words of each dietary need.
const DIETS: [(&str, DietaryNeed); 42] = [
    ("vegetarian", DietaryNeed::Vegetarian),
    ("vegetarians", DietaryNeed::Vegetarian),
    ("veggie", DietaryNeed::Vegetarian),
    ("vegetariano", DietaryNeed::Vegetarian),
    ("vegetariana", DietaryNeed::Vegetarian),
    ("vegetariani", DietaryNeed::Vegetarian),
    ("vegetariane", DietaryNeed::Vegetarian),
    ("vegan", DietaryNeed::Vegan),
    ("vegans", DietaryNeed::Vegan),
    ("vegano", DietaryNeed::Vegan),
    ("vegana", DietaryNeed::Vegan),
    ("vegani", DietaryNeed::Vegan),
    ("vegane", DietaryNeed::Vegan),
    ("gluten-free", DietaryNeed::GlutenFree),
    ("gluten free", DietaryNeed::GlutenFree),
    ("senza glutine", DietaryNeed::GlutenFree),
    ("celiac", DietaryNeed::GlutenFree),
    ("celiacs", DietaryNeed::GlutenFree),
    ("coeliac", DietaryNeed::GlutenFree),
    ("coeliacs", DietaryNeed::GlutenFree),
    ("celiaco", DietaryNeed::GlutenFree),
    ("celiaca", DietaryNeed::GlutenFree),
    ("celiaci", DietaryNeed::GlutenFree),
    ("celiache", DietaryNeed::GlutenFree),
    ("lactose-free", DietaryNeed::LactoseFree),
    ("lactose free", DietaryNeed::LactoseFree),
    ("lactose intolerant", DietaryNeed::LactoseFree),
    ("dairy-free", DietaryNeed::LactoseFree),
    ("dairy free", DietaryNeed::LactoseFree),
    ("senza lattosio", DietaryNeed::LactoseFree),
    ("intollerante al lattosio", DietaryNeed::LactoseFree),
    ("intolleranti al lattosio", DietaryNeed::LactoseFree),
    ("halal", DietaryNeed::Halal),
    ("kosher", DietaryNeed::Kosher),
    ("nut allergy", DietaryNeed::NutFree),
    ("nut allergies", DietaryNeed::NutFree),
    ("allergic to nuts", DietaryNeed::NutFree),
    ("nut-free", DietaryNeed::NutFree),
    ("nut free", DietaryNeed::NutFree),
    ("allergia alla frutta secca", DietaryNeed::NutFree),
    ("allergici alla frutta secca", DietaryNeed::NutFree),
    ("allergia alle noci", DietaryNeed::NutFree),
];

/// Words after a diet's word that make it a wish for the menu, not people: "a vegetarian option".
const MENU: [&str; 12] = [
    "option",
    "options",
    "menu",
    "menus",
    "dishes",
    "dish",
    "food",
    "alternative",
    "alternatives",
    "opzione",
    "opzioni",
    "piatti",
];

/// The meals `words` wish for, each once, in the order of the day; and whether they say no food is
/// wanted at all.
pub(super) fn meals(words: &Words<'_>) -> (Vec<Meal>, bool) {
    let mut found = Vec::new();
    let mut none = false;
    for i in 0..words.len() {
        if NO_CATERING.iter().any(|phrase| words.phrase_at(i, phrase)) {
            none = true;
        }
        // "no lunch", "senza pranzo": not wished.
        let negated = matches!(words.word(i.wrapping_sub(1)), "no" | "senza" | "without" | "niente");
        for (phrase, meal) in MEALS {
            if !negated && words.phrase_at(i, phrase) && !found.contains(&meal) {
                found.push(meal);
            }
        }
    }
    found.sort();
    (found, none)
}

/// The dietary needs `words` name, each once, with how many people have it when a count stands
/// just before it in the same clause ("3 vegetarians", "two of them are vegan", "2 ospiti celiaci").
pub(super) fn diets(words: &Words<'_>) -> Vec<Diet> {
    let mut found: Vec<Diet> = Vec::new();
    for i in 0..words.len() {
        let Some((phrase, need)) = DIETS.iter().find(|(phrase, _)| words.phrase_at(i, phrase)) else {
            continue;
        };
        let after = i + phrase.split(' ').count();
        let for_menu = MENU.contains(&words.word(after));
        let people = (!for_menu).then(|| count_before(words, i)).flatten();
        match found.iter_mut().find(|d| d.need == *need) {
            Some(diet) => {
                diet.people = match (diet.people, people) {
                    (Some(a), Some(b)) => Some(a.saturating_add(b)),
                    (a, b) => a.or(b),
                }
            }
            None => found.push(Diet { need: *need, people }),
        }
    }
    found
}

/// A count up to three words before `i`, in its clause: "3 vegetarians", "two of them are vegan",
/// "2 ospiti celiaci", "di cui 4 vegetariani".
fn count_before(words: &Words<'_>, i: usize) -> Option<u32> {
    (1..=4).filter_map(|back| i.checked_sub(back)).find_map(|at| {
        let number = words.number(at)?;
        (at + number.words <= i && words.one_clause(at, i)).then_some(number.value)
    })
}
