//! What the supply desk and the `reorder` job read of the store, and the store as one batch sees it: two orders in one
//! batch take from the same shelf, so each must see what the one before took.

use crate::store::{Store, StoreError};
use crate::supply::stock::Level;
use crate::supply::{OrderNumber, OrderState, PurchaseOrder, Request, RequestNumber, SupplyChange, Thread};

/// What the supply desk reads.
pub trait SupplyView {
    /// The ledger's sums for `sku` (on hand, promised), without purchase orders.
    fn ledger(&self, sku: &str) -> Result<Level, StoreError>;
    /// Whether `sku` was reported low and has not recovered.
    fn is_low(&self, sku: &str) -> Result<bool, StoreError>;
    /// When the ledger last changed for `sku` (unix seconds), if ever.
    fn last_change(&self, sku: &str) -> Result<Option<i64>, StoreError>;
    fn request(&self, number: RequestNumber) -> Result<Option<Request>, StoreError>;
    /// Requests waiting for an approval or a delivery, oldest first.
    fn open_requests(&self) -> Result<Vec<Request>, StoreError>;
    fn order(&self, number: OrderNumber) -> Result<Option<PurchaseOrder>, StoreError>;
    /// Purchase orders in one of `states`, oldest first.
    fn orders(&self, states: &[OrderState]) -> Result<Vec<PurchaseOrder>, StoreError>;
    /// The request or order one of `ids` belongs to.
    fn thread(&self, ids: &[String]) -> Result<Option<Thread>, StoreError>;
    /// The highest request and order numbers of `year`.
    fn highest_numbers(&self, year: i32) -> Result<(u32, u32), StoreError>;
}

/// Where `sku` stands: the ledger and every open purchase order.
pub fn level(view: &dyn SupplyView, sku: &str) -> Result<Level, StoreError> {
    let mut level = view.ledger(sku)?;
    for order in view.orders(&OrderState::OPEN)? {
        level.add_order(&order, sku);
    }
    Ok(level)
}

impl SupplyView for Store {
    fn ledger(&self, sku: &str) -> Result<Level, StoreError> {
        self.ledger_level(sku)
    }

    fn is_low(&self, sku: &str) -> Result<bool, StoreError> {
        Store::is_low(self, sku)
    }

    fn last_change(&self, sku: &str) -> Result<Option<i64>, StoreError> {
        self.last_stock_change(sku)
    }

    fn request(&self, number: RequestNumber) -> Result<Option<Request>, StoreError> {
        self.supply_request(number)
    }

    fn open_requests(&self) -> Result<Vec<Request>, StoreError> {
        self.supply_requests(true)
    }

    fn order(&self, number: OrderNumber) -> Result<Option<PurchaseOrder>, StoreError> {
        self.purchase_order(number)
    }

    fn orders(&self, states: &[OrderState]) -> Result<Vec<PurchaseOrder>, StoreError> {
        self.purchase_orders(states)
    }

    fn thread(&self, ids: &[String]) -> Result<Option<Thread>, StoreError> {
        self.supply_thread(ids)
    }

    fn highest_numbers(&self, year: i32) -> Result<(u32, u32), StoreError> {
        self.highest_supply_numbers(year)
    }
}

/// An empty cupboard, for dry runs without a database.
pub struct NoSupply;

impl SupplyView for NoSupply {
    fn ledger(&self, _: &str) -> Result<Level, StoreError> {
        Ok(Level::default())
    }

    fn is_low(&self, _: &str) -> Result<bool, StoreError> {
        Ok(false)
    }

    fn last_change(&self, _: &str) -> Result<Option<i64>, StoreError> {
        Ok(None)
    }

    fn request(&self, _: RequestNumber) -> Result<Option<Request>, StoreError> {
        Ok(None)
    }

    fn open_requests(&self) -> Result<Vec<Request>, StoreError> {
        Ok(Vec::new())
    }

    fn order(&self, _: OrderNumber) -> Result<Option<PurchaseOrder>, StoreError> {
        Ok(None)
    }

    fn orders(&self, _: &[OrderState]) -> Result<Vec<PurchaseOrder>, StoreError> {
        Ok(Vec::new())
    }

    fn thread(&self, _: &[String]) -> Result<Option<Thread>, StoreError> {
        Ok(None)
    }

    fn highest_numbers(&self, _: i32) -> Result<(u32, u32), StoreError> {
        Ok((0, 0))
    }
}

/// The cupboard as one batch sees it: the store's, plus what earlier messages of the batch changed.
pub struct BatchSupply<'s> {
    pub store: &'s dyn SupplyView,
    pub pending: Vec<SupplyChange>,
}

impl BatchSupply<'_> {
    /// Takes in the supply changes among `effects`.
    pub fn note(&mut self, effects: &[crate::effects::Effect]) {
        for effect in effects {
            if let crate::effects::Effect::Supply(change) = effect {
                self.pending.push((**change).clone());
            }
        }
    }
}

/// `stored` with the versions in `changes` (the latest wins) in place of the stored ones, and the new
/// ones added, in `number` order.
fn merged<T: Clone, K: Ord + Copy>(
    stored: Vec<T>,
    changed: impl Iterator<Item = T>,
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let mut by_key: std::collections::BTreeMap<K, T> = stored.into_iter().map(|t| (key(&t), t)).collect();
    for item in changed {
        by_key.insert(key(&item), item);
    }
    by_key.into_values().collect()
}

impl SupplyView for BatchSupply<'_> {
    fn ledger(&self, sku: &str) -> Result<Level, StoreError> {
        let moves = self.pending.iter().flat_map(|c| c.moves.iter().cloned()).collect::<Vec<_>>();
        Ok(self.store.ledger(sku)?.with(sku, &moves))
    }

    fn is_low(&self, sku: &str) -> Result<bool, StoreError> {
        let pending =
            self.pending.iter().flat_map(|c| &c.low).rev().find(|(s, _)| s.eq_ignore_ascii_case(sku));
        match pending {
            Some((_, low)) => Ok(*low),
            None => self.store.is_low(sku),
        }
    }

    fn last_change(&self, sku: &str) -> Result<Option<i64>, StoreError> {
        let pending = self
            .pending
            .iter()
            .flat_map(|c| &c.moves)
            .filter(|m| m.sku.eq_ignore_ascii_case(sku))
            .map(|m| m.at)
            .max();
        Ok(pending.max(self.store.last_change(sku)?))
    }

    fn request(&self, number: RequestNumber) -> Result<Option<Request>, StoreError> {
        match self.pending.iter().flat_map(|c| &c.requests).rev().find(|r| r.number == number) {
            Some(request) => Ok(Some(request.clone())),
            None => self.store.request(number),
        }
    }

    fn open_requests(&self) -> Result<Vec<Request>, StoreError> {
        let all = merged(
            self.store.open_requests()?,
            self.pending.iter().flat_map(|c| c.requests.iter().cloned()),
            |r| (r.opened_at, r.number),
        );
        Ok(all.into_iter().filter(|r| r.state.is_open()).collect())
    }

    fn order(&self, number: OrderNumber) -> Result<Option<PurchaseOrder>, StoreError> {
        match self.pending.iter().flat_map(|c| &c.orders).rev().find(|o| o.number == number) {
            Some(order) => Ok(Some(order.clone())),
            None => self.store.order(number),
        }
    }

    fn orders(&self, states: &[OrderState]) -> Result<Vec<PurchaseOrder>, StoreError> {
        // Every stored order is read, so that one the batch moved out of `states` is left out.
        let all = merged(
            self.store.orders(&[])?,
            self.pending.iter().flat_map(|c| c.orders.iter().cloned()),
            |o| o.number,
        );
        Ok(all.into_iter().filter(|o| states.is_empty() || states.contains(&o.state)).collect())
    }

    fn thread(&self, ids: &[String]) -> Result<Option<Thread>, StoreError> {
        let pending = self
            .pending
            .iter()
            .flat_map(|c| &c.threads)
            .rev()
            .find(|(id, _)| ids.contains(id))
            .map(|(_, t)| *t);
        match pending {
            Some(thread) => Ok(Some(thread)),
            None => self.store.thread(ids),
        }
    }

    fn highest_numbers(&self, year: i32) -> Result<(u32, u32), StoreError> {
        let (mut request, mut order) = self.store.highest_numbers(year)?;
        for change in &self.pending {
            for r in change.requests.iter().filter(|r| r.number.year == year) {
                request = request.max(r.number.sequence);
            }
            for o in change.orders.iter().filter(|o| o.number.year == year) {
                order = order.max(o.number.sequence);
            }
        }
        Ok((request, order))
    }
}
