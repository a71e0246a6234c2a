//! The dispatcher: routes each event to the handler registered for it, in the style of axum and
//! teloxide handlers, with the app's shared state. Used by the webhook receiver and the polling
//! consumer alike.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use finchat_cui::{CommandError, CuiCommands, CuiForm, MessageContent, Submission};

use crate::cards::{self, CardRegistry, Decision, Verdict, kind_of};
use crate::events::{Event, EventContent, RoomCreated, SearchQuery, SearchResponse};
use crate::telemetry;

/// What a handler returns: `Ok` when the event is handled (or durably queued), else the reason.
pub type HandlerResult = Result<(), HandlerError>;

/// Why a handler did not handle an event; the event is then not acknowledged, so it comes again.
#[derive(Debug)]
pub struct HandlerError(Box<dyn std::error::Error + Send + Sync>);

impl HandlerError {
    /// An error with a message.
    pub fn msg(message: impl Into<String>) -> Self {
        Self(message.into().into())
    }
}

/// Any error a handler meets, so that `?` works on it: every `std::error::Error + Send + Sync`,
/// `anyhow::Error`, and a `String` or `&str` message.
impl<E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>> From<E> for HandlerError {
    fn from(error: E) -> Self {
        Self(error.into())
    }
}

impl std::fmt::Display for HandlerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
/// A route's answer: the handler's future when the event is its, or the event given back when not.
/// (Boxed, so handing it from route to route moves a pointer, not the whole event.)
type Claim = Result<BoxFuture<HandlerResult>, Box<Event>>;
type SyncRoute<S> = Box<dyn Fn(&Arc<S>, Box<Event>) -> Claim + Send + Sync>;
/// A route that must look (in a store) before it knows whether an event is its; it gives back at
/// once the events it never takes.
type AsyncRoute<S> =
    Box<dyn Fn(&Arc<S>, Box<Event>) -> Result<BoxFuture<Claim>, Box<Event>> + Send + Sync>;

enum Route<S> {
    Sync(SyncRoute<S>),
    Async(AsyncRoute<S>),
}
type SearchHandler<S> = Box<
    dyn Fn(Arc<S>, SearchQuery) -> BoxFuture<Result<SearchResponse, HandlerError>> + Send + Sync,
>;

/// What dispatching an event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dispatched {
    /// A handler handled it.
    Handled,
    /// No handler is registered for it; nothing to do, so it counts as handled.
    NoHandler,
}

/// Routes events to handlers. The first route that takes an event handles it.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use finchat_client::Dispatcher;
/// use finchat_cui::{CuiChoice, CuiForm};
///
/// #[derive(CuiChoice)]
/// enum Decision { #[cui(label = "同意", value = "yes")] Yes, #[cui(label = "驳回", value = "no")] No }
///
/// #[derive(CuiForm)]
/// struct Approval { amount: u32, decision: Decision }
///
/// struct App { approved: AtomicUsize }
///
/// let dispatcher = Dispatcher::new(App { approved: AtomicUsize::new(0) })
///     .on_submission::<Approval, _, _>(|app, _event, form| async move {
///         if matches!(form.decision, Decision::Yes) {
///             app.approved.fetch_add(1, Ordering::SeqCst);
///         }
///         Ok(())
///     })
///     .on_message(|_app, event, message| async move {
///         println!("{}: {}", event.sender, message.to_plain_text());
///         Ok(())
///     });
/// ```
pub struct Dispatcher<S> {
    state: Arc<S>,
    /// Each route with its handler's name, for the `finchat.handler` span.
    routes: Vec<(&'static str, Route<S>)>,
    search: Option<SearchHandler<S>>,
}

impl<S: Send + Sync + 'static> Dispatcher<S> {
    /// A dispatcher with no handlers and the app's `state`, shared by every handler.
    pub fn new(state: S) -> Self {
        Self {
            state: Arc::new(state),
            routes: Vec::new(),
            search: None,
        }
    }

    /// The shared state.
    pub fn state(&self) -> &Arc<S> {
        &self.state
    }

    fn route(mut self, handler: &'static str, route: SyncRoute<S>) -> Self {
        self.routes.push((handler, Route::Sync(route)));
        self
    }

    /// Handles `m.room.message` events: the app's direct-room messages and @-mentions.
    pub fn on_message<F, Fut>(self, handler: F) -> Self
    where
        F: Fn(Arc<S>, Event, MessageContent) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        self.route(
            "on_message",
            Box::new(move |state, event| match &event.content {
                EventContent::Message(message) => {
                    let message = message.clone();
                    Ok(Box::pin(handler(Arc::clone(state), *event, message)))
                }
                _ => Err(event),
            }),
        )
    }

    /// Handles the messages addressed as a command of `C` (an enum that derives
    /// [`CuiCommands`](macro@finchat_cui::CuiCommands)): an `m.text` in a direct room or an
    /// `m.alert` (an @-mention of the bot) in a group room, read by [`CuiCommands::from_content`].
    ///
    /// A message that is not a command (plain chat, another msgtype) goes on to the next route, so
    /// register `on_command` before [`Dispatcher::on_message`]. A message that *is* addressed as a
    /// command but does not read (an unknown or mistyped name, a missing or bad argument, text left
    /// over) is not dropped: the handler gets the [`CommandError`], whose text says what was expected
    /// and is meant to be sent back to the user. So keep all the commands with one prefix in one
    /// enum: the first `on_command` whose prefix a message uses answers it.
    ///
    /// ```
    /// use std::sync::Mutex;
    /// use finchat_client::Dispatcher;
    /// use finchat_cui::CuiCommands;
    ///
    /// #[derive(CuiCommands)]
    /// enum Command {
    ///     /// 报销：金额与事由
    ///     Expense { amount: u32, reason: Option<String> },
    ///     /// 显示帮助
    ///     Help,
    /// }
    ///
    /// struct App { replies: Mutex<Vec<String>> }
    ///
    /// let dispatcher = Dispatcher::new(App { replies: Mutex::new(Vec::new()) })
    ///     .on_command::<Command, _, _>(|app, _event, command| async move {
    ///         let reply = match command {
    ///             Ok(Command::Expense { amount, reason }) => {
    ///                 format!("已记录 ¥{amount}（{}）", reason.unwrap_or_default())
    ///             }
    ///             Ok(Command::Help) => Command::help_text(),
    ///             // `/expense lots`: "/expense: <amount> expected a non-negative integer, …"
    ///             Err(error) => error.to_string(),
    ///         };
    ///         // A real app sends it to `event.room()` with its `Client`.
    ///         app.replies.lock().unwrap().push(reply);
    ///         Ok(())
    ///     })
    ///     .on_message(|_app, _event, _chat| async move { Ok(()) });
    /// ```
    pub fn on_command<C, F, Fut>(self, handler: F) -> Self
    where
        C: CuiCommands + Send + 'static,
        F: Fn(Arc<S>, Event, Result<C, CommandError>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        self.route(
            "on_command",
            Box::new(move |state, event| {
                let EventContent::Message(message) = &event.content else {
                    return Err(event);
                };
                match C::from_content(message) {
                    Err(error) if error.is_not_a_command() => Err(event),
                    command => Ok(Box::pin(handler(Arc::clone(state), *event, command))),
                }
            }),
        )
    }

    /// Handles card submissions that read as the form `T` (so several forms can be told apart by
    /// their fields). A submission no form reads goes to [`Dispatcher::on_unread_submission`] or
    /// [`Dispatcher::on_event`], if set; else it is acknowledged, dropped, and logged at WARN.
    pub fn on_submission<T, F, Fut>(self, handler: F) -> Self
    where
        T: CuiForm + Send + 'static,
        F: Fn(Arc<S>, Event, T) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        self.route(
            "on_submission",
            Box::new(move |state, event| match event.form::<T>() {
                Some(Ok(form)) => Ok(Box::pin(handler(Arc::clone(state), *event, form))),
                _ => Err(event),
            }),
        )
    }

    /// Handles the submissions on the cards `registry` registered for the form `T` (sent with
    /// [`CardRegistry::ask::<T>`](crate::cards::CardRegistry::ask)), through their whole lifecycle:
    ///
    /// - a card (or, for an exclusive card, each person's copy) is decided once: a later
    ///   submission is acknowledged and answered with a notice in the submitter's direct room with
    ///   the app, across instances and restarts (the decision is kept in the registry's store);
    /// - a submission from someone who is not one of the card's approvers, or made after its
    ///   deadline, is answered with a notice and changes nothing;
    /// - values that do not read as `T` send the card back to the submitter, in `input`, with their
    ///   values kept, an error under each bad input and a summary at the top; so does a handler's
    ///   [`Verdict::Rejected`](crate::cards::Verdict). Only the submitter sees that copy (an exclusive
    ///   update), also on a shared card in a group room;
    /// - while `handler` runs the card shows `loading` (see
    ///   [`CardRegistry::show_loading`](crate::cards::CardRegistry::show_loading)); on
    ///   [`Verdict::Decided`](crate::cards::Verdict) it is closed (`disable`) with the outcome line
    ///   for everyone; when the handler fails, panics or overruns its deadline the card is put back
    ///   and the event is not acknowledged, so FinChat delivers it again.
    ///
    /// A submission on a card the registry does not know (or of another form) goes on to the next
    /// route. A store that fails leaves the event unacknowledged.
    ///
    /// ```no_run
    /// # async fn demo(registry: finchat_client::cards::CardRegistry) {
    /// use finchat_client::Dispatcher;
    /// use finchat_client::cards::Verdict;
    /// use finchat_cui::CuiForm;
    ///
    /// #[derive(CuiForm)]
    /// struct Approval { amount: u32 }
    ///
    /// let dispatcher = Dispatcher::new(()).on_decision::<Approval, _, _>(&registry, |_app, decision| async move {
    ///     if decision.form.amount > 10_000 {
    ///         return Ok(Verdict::rejected([finchat_client::cards::FieldError::new("amount", "超出审批额度")]));
    ///     }
    ///     Ok(Verdict::decided(format!("{} 已同意 ¥{}", decision.by, decision.form.amount)))
    /// });
    /// # }
    /// ```
    pub fn on_decision<T, F, Fut>(mut self, registry: &CardRegistry, handler: F) -> Self
    where
        T: CuiForm + Send + 'static,
        F: Fn(Arc<S>, Decision<T>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Verdict, HandlerError>> + Send + 'static,
    {
        let registry = registry.clone();
        let handler = Arc::new(handler);
        let route: AsyncRoute<S> = Box::new(move |state, event| {
            let (EventContent::Submission(_), Some(origin)) = (&event.content, event.origin())
            else {
                return Err(event);
            };
            let registry = registry.clone();
            let handler = Arc::clone(&handler);
            let state = Arc::clone(state);
            Ok(Box::pin(async move {
                let handling: BoxFuture<HandlerResult> = match registry.by_origin(&origin).await {
                    Ok(Some(card)) if card.kind == kind_of::<T>() => Box::pin(async move {
                        cards::decide(&registry, state, handler, card, *event).await
                    }),
                    Ok(_) => return Err(event),
                    Err(error) => Box::pin(async move { Err(HandlerError::from(error)) }),
                };
                Ok(handling)
            }))
        });
        self.routes.push(("on_decision", Route::Async(route)));
        self
    }

    /// Handles the card submissions that no [`Dispatcher::on_submission`] registered before it reads
    /// (a card from an older version of the app, a form that changed), with the submission as it
    /// came: register it after them. Without it (and without [`Dispatcher::on_event`]), such a
    /// submission is acknowledged and dropped, with a WARN line that gives its event id and form keys.
    pub fn on_unread_submission<F, Fut>(self, handler: F) -> Self
    where
        F: Fn(Arc<S>, Event, Submission) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        self.route(
            "on_unread_submission",
            Box::new(move |state, event| match &event.content {
                EventContent::Submission(submission) => {
                    let submission = submission.clone();
                    Ok(Box::pin(handler(Arc::clone(state), *event, submission)))
                }
                _ => Err(event),
            }),
        )
    }

    /// Handles the creation of a user's direct room with the app's bot.
    pub fn on_room_created<F, Fut>(self, handler: F) -> Self
    where
        F: Fn(Arc<S>, Event, RoomCreated) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        self.route(
            "on_room_created",
            Box::new(move |state, event| match &event.content {
                EventContent::RoomCreated(created) => {
                    let created = created.clone();
                    Ok(Box::pin(handler(Arc::clone(state), *event, created)))
                }
                _ => Err(event),
            }),
        )
    }

    /// Handles every event no handler before it took (any type, including unknown ones).
    pub fn on_event<F, Fut>(self, handler: F) -> Self
    where
        F: Fn(Arc<S>, Event) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        self.route(
            "on_event",
            Box::new(move |state, event| Ok(Box::pin(handler(Arc::clone(state), *event)))),
        )
    }

    /// Answers shortcut searches. Without it, searches get no results.
    pub fn on_search<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(Arc<S>, SearchQuery) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<SearchResponse, HandlerError>> + Send + 'static,
    {
        self.search = Some(Box::new(move |state, query| {
            Box::pin(handler(state, query))
        }));
        self
    }

    /// Hands `event` to the first handler that takes it.
    ///
    /// # Errors
    ///
    /// The [`HandlerError`] of the handler that took the event. An event no handler takes is not an
    /// error: [`Dispatched::NoHandler`].
    pub async fn dispatch(&self, event: Event) -> Result<Dispatched, HandlerError> {
        let mut event = Box::new(event);
        for (handler, route) in &self.routes {
            let claim = match route {
                Route::Sync(route) => route(&self.state, event),
                Route::Async(route) => match route(&self.state, event) {
                    Ok(looking) => looking.await,
                    Err(not_mine) => Err(not_mine),
                },
            };
            match claim {
                Ok(handling) => {
                    return telemetry::handler(handler, handling)
                        .await
                        .map(|()| Dispatched::Handled);
                }
                Err(not_mine) => event = not_mine,
            }
        }
        match &event.content {
            // Someone filled in a card and it went nowhere: worth a look, unlike an unknown event.
            EventContent::Submission(submission) => {
                let keys: Vec<&str> = submission.info.keys().map(String::as_str).collect();
                tracing::warn!(
                    event_id = %event.event_id,
                    form_keys = ?keys,
                    "submission no route read: acknowledged and dropped (add an on_submission form \
                     that reads these keys, or on_unread_submission)"
                );
            }
            _ => {
                tracing::debug!(event_id = %event.event_id, event_type = event.event_type(), "no handler for this event");
            }
        }
        Ok(Dispatched::NoHandler)
    }

    /// Answers a search; no results without a search handler.
    ///
    /// # Errors
    ///
    /// The [`HandlerError`] of the search handler.
    pub async fn search(&self, query: SearchQuery) -> Result<SearchResponse, HandlerError> {
        match &self.search {
            Some(handler) => {
                telemetry::handler("on_search", handler(Arc::clone(&self.state), query)).await
            }
            None => Ok(SearchResponse::empty()),
        }
    }
}
