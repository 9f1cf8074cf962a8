//! The page's state: the session, what the person is doing with it, and the loop that plays
//! an agent at the chosen speed. Shared with every component through context.

use crate::envs::sre::evidence;
use crate::learning::policy_store::LoadedPolicy;
use crate::envs::sre::session::Session;
use crate::envs::sre::run_settings::{AgentChoice, RunSettings, Speed};
use leptos::prelude::*;
use ztgym::Action;

/// A message for the person: what went wrong, or what just happened.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

/// Everything the components share. All fields are cheap handles.
#[derive(Clone, Copy)]
pub struct Playground {
    session: StoredValue<Session, LocalStorage>,
    /// Bumped after every change to the session: reading the session tracks it.
    version: RwSignal<u64>,
    /// Bumped when the scenario (and so the graph's shape) changes.
    pub scenario_version: RwSignal<u64>,
    pub speed: RwSignal<Speed>,
    pub playing: RwSignal<bool>,
    /// At the end of an episode, go on with the next seed.
    pub keep_going: RwSignal<bool>,
    /// Showing the observation after this many steps of the finished episode.
    pub replay: RwSignal<Option<usize>>,
    /// The node the next action targets.
    pub target: RwSignal<Option<String>>,
    pub justification: RwSignal<String>,
    pub notice: RwSignal<Option<Notice>>,
    /// Steps per second measured while playing at maximum speed.
    pub steps_per_second: RwSignal<f64>,
    /// The policy loaded or trained last (kept in local storage).
    policy: StoredValue<Option<LoadedPolicy>, LocalStorage>,
    /// Bumped when the policy changes.
    policy_version: RwSignal<u64>,
    last_hash: StoredValue<String>,
    clock: StoredValue<Clock>,
}

#[derive(Clone, Copy, Default)]
struct Clock {
    last_step_ms: f64,
    window_start_ms: f64,
    window_steps: u64,
}

/// Wall time for a frame at maximum speed: leaves the rest of the ~16.7 ms frame for one redraw.
const MAX_SPEED_BUDGET_MS: f64 = 13.0;

impl Playground {
    /// Starts from the URL hash (reporting any problem in it).
    pub fn new(hash: &str) -> Playground {
        let (settings, mut problems) = RunSettings::from_hash(hash);
        let speed = settings.speed;
        let policy = LoadedPolicy::restore().unwrap_or_else(|e| {
            problems.push(e);
            None
        });
        let tab_policy = policy.as_ref().map(|l| &l.policy);
        let session = Session::new(settings.clone(), tab_policy).unwrap_or_else(|e| {
            problems.push(e);
            let human = RunSettings {
                agent: AgentChoice::Human,
                ..settings
            };
            Session::new(human, tab_policy).unwrap_or_else(|_| {
                Session::new(RunSettings::default(), None).expect("the default is built in")
            })
        });
        let notice = link_notice(&problems);
        Playground {
            session: StoredValue::new_local(session),
            version: RwSignal::new(0),
            scenario_version: RwSignal::new(0),
            speed: RwSignal::new(speed),
            playing: RwSignal::new(false),
            keep_going: RwSignal::new(false),
            replay: RwSignal::new(None),
            target: RwSignal::new(None),
            justification: RwSignal::new(String::new()),
            notice: RwSignal::new(notice),
            steps_per_second: RwSignal::new(0.0),
            policy: StoredValue::new_local(policy),
            policy_version: RwSignal::new(0),
            last_hash: StoredValue::new(hash.trim_start_matches('#').to_string()),
            clock: StoredValue::new(Clock::default()),
        }
    }

    /// Reads the session, tracking every change to it.
    pub fn read<T>(&self, f: impl FnOnce(&Session) -> T) -> T {
        self.version.track();
        self.session.with_value(f)
    }

    /// Reads the observation on screen: the replayed one, or the current one.
    pub fn shown<T>(&self, f: impl FnOnce(&ztgym::Observation) -> T) -> T {
        let replay = self.replay.get();
        self.read(|s| match replay {
            Some(k) => f(s.observation_at(k)),
            None => f(s.observation()),
        })
    }

    /// The scenario's service ids, tracking only a change of scenario.
    pub fn service_names(&self) -> Vec<String> {
        self.scenario_version.track();
        self.peek(|s| s.scenario().names.iter().map(|n| n.to_string()).collect())
    }

    /// Reads the session without tracking.
    pub fn peek<T>(&self, f: impl FnOnce(&Session) -> T) -> T {
        self.session.with_value(f)
    }

    fn change(&self, f: impl FnOnce(&mut Session)) {
        self.session.update_value(f);
        self.version.update(|v| *v += 1);
    }

    /// The settings as they would be shared now.
    pub fn settings(&self) -> RunSettings {
        let mut s = self.peek(|s| s.settings().clone());
        s.speed = self.speed.get_untracked();
        s
    }

    /// The current settings as a URL hash.
    pub fn share_hash(&self) -> String {
        self.version.track();
        self.speed.track();
        self.settings().to_hash()
    }

    /// Applies new settings: a new session unless only the speed changed.
    pub fn apply(&self, settings: RunSettings) {
        self.start(settings, false);
    }

    /// Applies settings; with `fresh`, starts a new session even if they are unchanged.
    fn start(&self, settings: RunSettings, fresh: bool) {
        self.speed.set(settings.speed);
        let current = self.settings();
        let same_run = RunSettings {
            speed: settings.speed,
            ..current.clone()
        } == settings;
        if fresh || !same_run {
            let scenario_changed = current.scenario != settings.scenario;
            let policy = self
                .policy
                .with_value(|p| p.as_ref().map(|l| l.policy.clone()));
            match Session::new(settings, policy.as_ref()) {
                Ok(session) => {
                    self.change(|s| *s = session);
                    self.replay.set(None);
                    self.playing.set(false);
                    if scenario_changed {
                        self.target.set(None);
                        self.scenario_version.update(|v| *v += 1);
                    }
                }
                Err(e) => self.notice.set(Some(Notice {
                    error: true,
                    text: e,
                })),
            }
        }
        self.write_hash();
    }

    /// Reads the tab's policy, tracking changes to it.
    pub fn policy<T>(&self, f: impl FnOnce(Option<&LoadedPolicy>) -> T) -> T {
        self.policy_version.track();
        self.policy.with_value(|p| f(p.as_ref()))
    }

    /// Makes `loaded` the tab's policy, keeps it for the next visit, and lets it play: the
    /// run switches to the policy's scenario if needed, with the Policy agent, same seed.
    pub fn use_policy(&self, loaded: LoadedPolicy) {
        let summary = loaded.summary();
        let saved = loaded.save();
        let scenario = loaded.policy.scenario.clone();
        let level = loaded.policy.training.level;
        self.policy.set_value(Some(loaded));
        self.policy_version.update(|v| *v += 1);
        let mut settings = self.settings();
        if settings.scenario != scenario {
            settings.scenario = scenario;
            settings.level = level;
        }
        settings.agent = AgentChoice::Policy;
        self.pause();
        // A new session even if the settings are unchanged: the agent is a new policy.
        self.start(settings, true);
        let text = match saved {
            Ok(()) => format!("Policy loaded ({summary}); it now plays as the agent."),
            Err(e) => format!(
                "Policy loaded ({summary}); it now plays as the agent. It will not survive a \
                 reload: {e}."
            ),
        };
        self.notice.set(Some(Notice { error: false, text }));
    }

    /// A policy file the person chose or dropped: loaded if it reads and fits the scenario
    /// on screen, otherwise every problem is reported and nothing changes.
    pub fn load_policy_file(&self, name: &str, text: &str) {
        let scenario = self.peek(|s| s.settings().scenario.clone());
        match LoadedPolicy::from_file(name, text, &scenario) {
            Ok(loaded) => self.use_policy(loaded),
            Err(e) => self.refuse_policy(&e),
        }
    }

    /// Says why a policy was not loaded (nothing changed).
    pub fn refuse_policy(&self, problem: &str) {
        self.notice.set(Some(Notice {
            error: true,
            text: format!("The policy was not loaded. {problem}"),
        }));
    }

    /// The same episode from the start.
    pub fn reset(&self) {
        self.change(Session::restart);
        self.replay.set(None);
        self.notice.set(None);
    }

    /// A new episode with a fresh seed.
    pub fn new_seed(&self) {
        let next = self
            .peek(|s| s.settings().seed)
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1)
            % 1_000_000;
        self.change(|s| s.set_seed(next));
        self.replay.set(None);
        self.notice.set(None);
        self.write_hash();
    }

    /// A person's action; a refused one is reported and changes nothing.
    pub fn act(&self, action: Action) {
        if self.replay.get_untracked().is_some() {
            self.replay.set(None);
        }
        let mut result = Ok(());
        self.change(|s| result = s.act(&action));
        self.notice
            .set(result.err().map(|text| Notice { error: true, text }));
    }

    /// One agent step (the Step button).
    pub fn step(&self) {
        if !self.peek(Session::automated) {
            self.notice.set(Some(Notice {
                error: false,
                text: "Step plays one agent step: choose an agent (Random, SOP operator or a loaded policy); as Human, use the action buttons.".into(),
            }));
            return;
        }
        self.replay.set(None);
        let rolled_over = self.peek(Session::done);
        self.change(|s| {
            if s.done() {
                s.set_seed(s.settings().seed.wrapping_add(1));
            }
            s.agent_step();
        });
        if rolled_over {
            self.write_hash();
        }
    }

    pub fn play(&self) {
        if !self.peek(Session::automated) {
            self.notice.set(Some(Notice {
                error: false,
                text: "Choose an agent (Random, SOP operator or a loaded policy) to play; as Human, use the action buttons.".into(),
            }));
            return;
        }
        if self.peek(Session::done) {
            self.change(|s| s.set_seed(s.settings().seed.wrapping_add(1)));
        }
        self.replay.set(None);
        self.clock.set_value(Clock {
            last_step_ms: 0.0,
            window_start_ms: now_ms(),
            window_steps: 0,
        });
        self.playing.set(true);
        self.schedule();
    }

    pub fn pause(&self) {
        self.playing.set(false);
        self.write_hash();
    }

    pub fn toggle_play(&self) {
        if self.playing.get_untracked() {
            self.pause()
        } else {
            self.play()
        }
    }

    /// Adds a citation to the justification.
    pub fn cite(&self, citation: &str) {
        self.justification
            .update(|j| *j = evidence::append(j, citation));
    }

    fn schedule(self) {
        request_animation_frame(move || self.frame());
    }

    /// One animation frame of play: steps as the speed allows, then one redraw.
    fn frame(self) {
        if !self.playing.get_untracked() {
            return;
        }
        let speed = self.speed.get_untracked();
        let keep_going = self.keep_going.get_untracked();
        let now = now_ms();
        let mut clock = self.clock.get_value();
        let mut steps = 0;
        self.session.update_value(|s| match speed.interval_ms() {
            Some(ms) if now - clock.last_step_ms >= f64::from(ms) => {
                steps = s.run(1, keep_going);
                clock.last_step_ms = now;
            }
            Some(_) => {}
            None if speed == Speed::Fast => steps = s.run(1, keep_going),
            None => {
                // Maximum: batches of steps until the frame's budget is spent.
                while now_ms() - now < MAX_SPEED_BUDGET_MS {
                    let n = s.run(256, keep_going);
                    steps += n;
                    if n < 256 {
                        break;
                    }
                }
            }
        });
        clock.window_steps += steps as u64;
        let elapsed = now - clock.window_start_ms;
        if speed == Speed::Max && elapsed >= 500.0 {
            self.steps_per_second
                .set(clock.window_steps as f64 * 1000.0 / elapsed);
            clock.window_start_ms = now;
            clock.window_steps = 0;
        }
        self.clock.set_value(clock);
        if steps > 0 {
            self.version.update(|v| *v += 1);
        }
        let finished = self.peek(Session::done) && !keep_going;
        if finished {
            self.pause();
        } else {
            self.schedule();
        }
    }

    /// Writes the settings into the URL hash (without adding a history entry).
    pub fn write_hash(&self) {
        let hash = self.settings().to_hash();
        if self.last_hash.get_value() == hash {
            return;
        }
        self.last_hash.set_value(hash.clone());
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("#{hash}")),
            );
        }
    }

    /// A hash typed or pasted by the person: apply it, reporting problems.
    pub fn on_hash_change(&self, hash: &str) {
        let hash = hash.trim_start_matches('#');
        if hash == self.last_hash.get_value() {
            return;
        }
        self.last_hash.set_value(hash.to_string());
        let (settings, problems) = RunSettings::from_hash(hash);
        self.notice.set(link_notice(&problems));
        self.apply(settings);
    }
}

/// The message for a link's problems, if it has any.
fn link_notice(problems: &[String]) -> Option<Notice> {
    (!problems.is_empty()).then(|| Notice {
        error: true,
        text: format!(
            "The link has problems, defaults used instead: {}.",
            problems.join("; ")
        ),
    })
}

/// Milliseconds from the page's clock.
pub fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// The playground from context.
pub fn use_playground() -> Playground {
    expect_context::<Playground>()
}
