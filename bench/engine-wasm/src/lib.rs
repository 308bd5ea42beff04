//! Userdeck's in-memory engine as the console runs it, behind a wasm-bindgen API for the engine
//! benchmark (`cargo xtask bench`). The page hands it the same JSON text it hands TanStack
//! Table; [`Engine::new`] reads it with the Rebilly adapter, exactly as the console reads a
//! scan's pages, and [`Engine::query`] filters and sorts with `userdeck_providers::engine`.
//! Built with the console's release profile, so it is as fast as what ships.

use userdeck_providers::adapters::rebilly;
use userdeck_providers::query::Value;
use userdeck_providers::{
    Direction, Field, Filter, FilterOp, HttpResponse, PageRequest, Query, SortKey, Timestamp, User,
    engine,
};
use wasm_bindgen::prelude::*;

/// Rows read once and the order of the last query's matches.
#[wasm_bindgen]
pub struct Engine {
    users: Vec<User>,
    order: Vec<usize>,
}

/// One sort key from the page's terms: a field id (`status`, `created`, ...) and a direction.
fn sort_key(field: &str, descending: bool) -> Result<SortKey, JsError> {
    let field =
        Field::from_id(field).ok_or_else(|| JsError::new(&format!("unknown field {field}")))?;
    let direction = if descending {
        Direction::Descending
    } else {
        Direction::Ascending
    };
    Ok(SortKey { field, direction })
}

#[wasm_bindgen]
impl Engine {
    /// Reads a Rebilly users array (the JSON text as received) into the engine's rows.
    #[wasm_bindgen(constructor)]
    pub fn new(json: &str) -> Result<Engine, JsError> {
        let response = HttpResponse {
            status: 200,
            headers: Vec::new(),
            body: json.as_bytes().to_vec(),
        };
        let now = Timestamp::from_second(0).ok_or_else(|| JsError::new("no epoch"))?;
        let page = rebilly::parse(&response, now).map_err(|err| JsError::new(&err.to_string()))?;
        Ok(Engine {
            users: page.items,
            order: Vec::new(),
        })
    }

    /// Keeps the users whose name contains `name` (ignoring case) and whose status is `status`
    /// (any status when empty), sorted by two keys; returns how many matched.
    pub fn query(
        &mut self,
        name: &str,
        status: &str,
        first: &str,
        first_descending: bool,
        second: &str,
        second_descending: bool,
    ) -> Result<u32, JsError> {
        let mut filters = vec![Filter {
            field: Field::Name,
            op: FilterOp::Contains(name.to_string()),
        }];
        if !status.is_empty() {
            filters.push(Filter {
                field: Field::Status,
                op: FilterOp::Equals(Value::Text(status.to_string())),
            });
        }
        let query = Query {
            search: None,
            filters,
            sort: vec![
                sort_key(first, first_descending)?,
                sort_key(second, second_descending)?,
            ],
            page: PageRequest { index: 0, size: 25 },
        };
        self.order = engine::select(&query, &self.users);
        Ok(u32::try_from(self.order.len()).unwrap_or(u32::MAX))
    }

    /// How many rows were read.
    pub fn rows(&self) -> u32 {
        u32::try_from(self.users.len()).unwrap_or(u32::MAX)
    }

    /// The ids of the last query's first `count` matches, for checking that both sides agree.
    pub fn ids(&self, count: usize) -> Vec<String> {
        self.order
            .iter()
            .take(count)
            .map(|&i| self.users[i].key.clone())
            .collect()
    }
}
