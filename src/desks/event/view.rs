//! What the event desk reads of the store, and the store as one batch sees it: two requests in one
//! batch must get distinct numbers, and a reply must find an event opened earlier in the batch.

use crate::planning::{CalendarEntry, Catering, EventNumber, PlannedEvent, PlanningChange};
use crate::store::{Store, StoreError};

/// What the event desk reads.
pub trait PlanningView {
    /// The event numbered `number`, with its guests.
    fn event(&self, number: EventNumber) -> Result<Option<PlannedEvent>, StoreError>;
    /// The event one of `ids` belongs to.
    fn thread(&self, ids: &[String]) -> Result<Option<EventNumber>, StoreError>;
    /// The highest event number of `year` (0 when none).
    fn highest_number(&self, year: i32) -> Result<u32, StoreError>;
    /// The event's catering, once proposed.
    fn catering(&self, number: EventNumber) -> Result<Option<Catering>, StoreError>;
    /// Where event `number` was put in a calendar, if it ever was.
    fn calendar_entry(&self, number: EventNumber) -> Result<Option<CalendarEntry>, StoreError>;
}

impl PlanningView for Store {
    fn event(&self, number: EventNumber) -> Result<Option<PlannedEvent>, StoreError> {
        self.planned_event(number)
    }

    fn thread(&self, ids: &[String]) -> Result<Option<EventNumber>, StoreError> {
        self.event_thread(ids)
    }

    fn highest_number(&self, year: i32) -> Result<u32, StoreError> {
        self.highest_event_number(year)
    }

    fn catering(&self, number: EventNumber) -> Result<Option<Catering>, StoreError> {
        self.event_catering(number)
    }

    fn calendar_entry(&self, number: EventNumber) -> Result<Option<CalendarEntry>, StoreError> {
        self.event_calendar_entry(number)
    }
}

/// No events, for dry runs without a database.
pub struct NoPlanning;

impl PlanningView for NoPlanning {
    fn event(&self, _: EventNumber) -> Result<Option<PlannedEvent>, StoreError> {
        Ok(None)
    }

    fn thread(&self, _: &[String]) -> Result<Option<EventNumber>, StoreError> {
        Ok(None)
    }

    fn highest_number(&self, _: i32) -> Result<u32, StoreError> {
        Ok(0)
    }

    fn catering(&self, _: EventNumber) -> Result<Option<Catering>, StoreError> {
        Ok(None)
    }

    fn calendar_entry(&self, _: EventNumber) -> Result<Option<CalendarEntry>, StoreError> {
        Ok(None)
    }
}

/// The events as one batch sees them: the store's, plus what earlier messages of the batch changed.
pub struct BatchPlanning<'s> {
    pub store: &'s dyn PlanningView,
    pub pending: Vec<PlanningChange>,
}

impl BatchPlanning<'_> {
    /// Takes in the planning changes among `effects`.
    pub fn note(&mut self, effects: &[crate::effects::Effect]) {
        for effect in effects {
            if let crate::effects::Effect::Planning(change) = effect {
                self.pending.push((**change).clone());
            }
        }
    }
}

impl PlanningView for BatchPlanning<'_> {
    fn event(&self, number: EventNumber) -> Result<Option<PlannedEvent>, StoreError> {
        match self.pending.iter().flat_map(|c| &c.events).rev().find(|e| e.number == number) {
            Some(event) => Ok(Some(event.clone())),
            None => self.store.event(number),
        }
    }

    fn thread(&self, ids: &[String]) -> Result<Option<EventNumber>, StoreError> {
        let pending = self
            .pending
            .iter()
            .flat_map(|c| &c.threads)
            .rev()
            .find(|(id, _)| ids.contains(id))
            .map(|(_, n)| *n);
        match pending {
            Some(number) => Ok(Some(number)),
            None => self.store.thread(ids),
        }
    }

    fn highest_number(&self, year: i32) -> Result<u32, StoreError> {
        let pending = self
            .pending
            .iter()
            .flat_map(|c| &c.events)
            .filter(|e| e.number.year == year)
            .map(|e| e.number.sequence)
            .max()
            .unwrap_or(0);
        Ok(pending.max(self.store.highest_number(year)?))
    }

    fn catering(&self, number: EventNumber) -> Result<Option<Catering>, StoreError> {
        match self.pending.iter().flat_map(|c| &c.catering).rev().find(|c| c.number == number) {
            Some(catering) => Ok(Some(catering.clone())),
            None => self.store.catering(number),
        }
    }

    fn calendar_entry(&self, number: EventNumber) -> Result<Option<CalendarEntry>, StoreError> {
        match self.pending.iter().flat_map(|c| &c.calendar).rev().find(|e| e.number == number) {
            Some(entry) => Ok(Some(entry.clone())),
            None => self.store.calendar_entry(number),
        }
    }
}
