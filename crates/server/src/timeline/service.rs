//! The timeline's share of the application state (`AppState::timeline`): the event recorder,
//! the signal allowances, the recent pastes and the events derived from the documents' history.
//! Cheap to clone.

use std::sync::Arc;

use super::derived::DerivedCache;
use super::rates::SignalRates;
use super::recent_pastes::RecentPastes;
use super::recorder::EventRecorder;
use crate::db::Store;

#[derive(Clone)]
pub struct Timeline {
    pub recorder: EventRecorder,
    pub rates: SignalRates,
    pub pastes: RecentPastes,
    pub derived: DerivedCache,
}

impl Timeline {
    /// Starts the recorder's writer task on the current runtime.
    pub fn start(store: Arc<dyn Store>) -> Timeline {
        Timeline {
            recorder: EventRecorder::start(store),
            rates: SignalRates::default(),
            pastes: RecentPastes::default(),
            derived: DerivedCache::default(),
        }
    }

    /// Forgets what idle participants left behind (bounded memory).
    pub fn forget_idle(&self) {
        self.rates.forget_idle();
    }
}
