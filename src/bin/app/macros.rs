//! The app's macros, shared by the home module (`main.rs`) and every page chunk (`chunk_*.rs`).

/// yew's `Reducible` for a page state with a plain `fn reduce(self, action) -> Self` (wasm32 only:
/// natively the states are tested without yew).
macro_rules! reducible {
    ($state:ty, $action:ty) => {
        #[cfg(target_arch = "wasm32")]
        impl yew::Reducible for $state {
            type Action = $action;

            fn reduce(self: std::rc::Rc<Self>, action: $action) -> std::rc::Rc<Self> {
                std::rc::Rc::new((*self).clone().reduce(action))
            }
        }
    };
}

/// Whether the page of `$route` is compiled into this module: a constant (each module root sets
/// `crate::CHUNK`), so an arm guarded by it is dropped, with all its code, from every other module.
#[cfg(target_arch = "wasm32")]
macro_rules! here {
    ($route:expr) => {
        const { $route.chunk().is(crate::CHUNK) }
    };
}
