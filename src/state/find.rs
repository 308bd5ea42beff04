//! A find across providers as reactive state: one run per provider, started at once, each with
//! its own abort controller, so a slow or throttled provider never holds the others back and
//! Cancel stops every request. The plan comes from the core (`find::plan_find`); each query
//! runs through the same executor as a table (`api::list::run`).

use leptos::prelude::*;
use userdeck_providers::find::{Approach, FindPlan, ProviderSearch, merge};
use userdeck_providers::plan::plan;
use userdeck_providers::{ProviderError, Total, User};
use web_sys::AbortController;

use crate::api::list::{self, Progress, Stopped};
use crate::api::transport::Endpoint;
use crate::state::catalog::ApiBase;

/// Where one provider's search stands.
#[derive(Clone, PartialEq)]
pub enum Outcome {
    /// Waiting for the provider; a bounded scan reports how far it has read.
    Searching(Option<Progress>),
    /// The provider answered: the matching users it returned and how many match in all.
    Found(Vec<User>, Total),
    /// The provider, the network or the planner refused; the sentence says what to do.
    Failed(ProviderError),
    /// The provider cannot be searched this way (the core's sentence).
    Cannot(String),
    /// Stopped by Cancel before the provider answered.
    Cancelled,
}

/// A running find: the plan, each provider's outcome, and the controls.
#[derive(Clone)]
pub struct FindRun {
    /// The plan from the core.
    pub plan: FindPlan,
    /// One outcome per entry of `plan.searches`, in the same order.
    pub outcomes: Vec<RwSignal<Outcome>>,
    /// Stops every provider still searching.
    pub cancel: Callback<()>,
    /// Searches one provider again (by its index in the plan), after a failure or Cancel.
    pub retry: Callback<usize>,
}

/// Starts every provider's search of `plan`. The searches stop when the calling component is
/// cleaned up (a new search replaced it, or the person left the page).
pub fn start_find(plan: FindPlan) -> FindRun {
    let base = expect_context::<ApiBase>().0;
    let outcomes: Vec<RwSignal<Outcome>> = plan
        .searches
        .iter()
        .map(|search| {
            RwSignal::new(match &search.approach {
                Approach::Cannot(sentence) => Outcome::Cannot(sentence.clone()),
                _ => Outcome::Searching(None),
            })
        })
        .collect();
    let controllers = StoredValue::new_local(vec![None::<AbortController>; outcomes.len()]);
    let searches = StoredValue::new(plan.searches.clone());
    let signals = outcomes.clone();
    let launch = move |index: usize| {
        let Some(search) = searches.with_value(|all| all.get(index).cloned()) else {
            return;
        };
        if search.queries.is_empty() {
            return;
        }
        let outcome = signals[index];
        let controller = AbortController::new().ok();
        controllers.update_value(|all| {
            if let Some(slot) = all.get_mut(index) {
                if let Some(previous) = slot.take() {
                    previous.abort();
                }
                slot.clone_from(&controller);
            }
        });
        outcome.set(Outcome::Searching(None));
        let base = base.clone();
        leptos::task::spawn_local(async move {
            let signal = controller.as_ref().map(AbortController::signal);
            let result = search_one(base, &search, signal.as_ref(), outcome).await;
            outcome.try_set(result);
        });
    };
    let launch = StoredValue::new_local(launch);
    for index in 0..outcomes.len() {
        launch.with_value(|launch| launch(index));
    }
    let abort_all = move || {
        controllers.with_value(|all| all.iter().flatten().for_each(AbortController::abort));
    };
    on_cleanup(abort_all);
    FindRun {
        plan,
        outcomes,
        cancel: Callback::new(move |()| abort_all()),
        retry: Callback::new(move |index| launch.with_value(|launch| launch(index))),
    }
}

/// Runs one provider's queries one after the other and merges their rows.
async fn search_one(
    base: String,
    search: &ProviderSearch,
    signal: Option<&web_sys::AbortSignal>,
    outcome: RwSignal<Outcome>,
) -> Outcome {
    let endpoint = Endpoint::new(base, &search.info);
    let mut pages = Vec::with_capacity(search.queries.len());
    for query in &search.queries {
        let planned = plan(query, &search.info.capabilities, &search.config);
        let report = move |p: Progress| {
            outcome.try_set(Outcome::Searching(Some(p)));
        };
        match list::run(&endpoint, planned, false, signal, &report).await {
            Ok(loaded) => pages.push(loaded.page),
            Err(Stopped::Aborted) => return Outcome::Cancelled,
            Err(Stopped::Failed(error)) => return Outcome::Failed(error),
        }
    }
    let (users, total) = merge(pages);
    Outcome::Found(users, total)
}
