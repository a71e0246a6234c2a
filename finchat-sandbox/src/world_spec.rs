//! `SandboxWorld`: who is in the sandbox (the bot, the people, the group rooms), built in code or
//! read from a world file, and checked, every problem named by its place, before the sandbox starts.

use std::fmt;
use std::path::{Path, PathBuf};

use finchat_cui::{Fcid, RoomId};
use serde::{Deserialize, Serialize};

use super::world::{Person, own_id};

/// The bot of a world that names none.
const DEFAULT_BOT: (&str, &str) = ("@finchat-bot:sandbox", "机器人");
/// The people of the default world.
const DEFAULT_PEOPLE: [(&str, &str); 3] = [
    ("@alice:sandbox", "张三"),
    ("@bob:sandbox", "李四"),
    ("@carol:sandbox", "王五"),
];
/// The group room of a world that names none: everyone is in it.
const DEFAULT_GROUP_ROOM: (&str, &str) = ("!finance:sandbox", "财务部");

/// Who is in a sandbox: its bot, its people, and its group rooms. Set it with
/// [`SandboxConfig::world`](crate::SandboxConfig::world); it seeds the sandbox at first start and at
/// each [reset](crate::SandboxHandle::reset).
///
/// - **The bot** is `@finchat-bot:sandbox` (机器人) unless [`bot`](Self::bot) names another. It is a
///   member of every room.
/// - **The people** are those given with [`person`](Self::person), in that order; at least one.
///   [`SandboxWorld::standard`] has the default three.
/// - **Direct rooms**: the bot has one with each person, announced by a `finstore.room.create`
///   event. Its id is the person's fcid with `@` turned into `!direct-`: `@zhang:corp.example` talks
///   to the bot in `!direct-zhang:corp.example`. That is a valid room id for every valid fcid, and
///   a different one for each person.
/// - **Group rooms** are those given with [`group_room`](Self::group_room): the bot and the people
///   named. Without any, there is one, `!finance:sandbox` (财务部), with everyone.
///
/// ```
/// use finchat_sandbox::{SandboxConfig, SandboxWorld};
///
/// let world = SandboxWorld::new()
///     .bot("@helper:corp.example", "小助手")
///     .person("@zhang:corp.example", "张三")
///     .person("@li:corp.example", "李四")
///     .group_room("!team:corp.example", "项目组", ["@zhang:corp.example", "@li:corp.example"]);
/// world.validate()?;
/// let config = SandboxConfig::new().world(world);
/// # let _ = config;
/// # Ok::<(), finchat_sandbox::WorldError>(())
/// ```
///
/// The same world as a world file ([`SandboxWorld::from_file`]); `bot` and `rooms` may be left out,
/// and any other field is refused:
///
/// ```json
/// {
///   "bot": {"fcid": "@helper:corp.example", "name": "小助手"},
///   "people": [
///     {"fcid": "@zhang:corp.example", "name": "张三"},
///     {"fcid": "@li:corp.example", "name": "李四"}
///   ],
///   "rooms": [
///     {"room_id": "!team:corp.example", "name": "项目组",
///      "members": ["@zhang:corp.example", "@li:corp.example"]}
///   ]
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SandboxWorld {
    #[serde(default = "WorldPerson::default_bot")]
    bot: WorldPerson,
    people: Vec<WorldPerson>,
    #[serde(default)]
    rooms: Vec<WorldRoom>,
}

/// A person of a [`SandboxWorld`], or its bot: an fcid and the name shown for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct WorldPerson {
    fcid: String,
    name: String,
}

/// A group room of a [`SandboxWorld`]: its id, its name and the people in it (the bot is always in
/// it too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct WorldRoom {
    room_id: String,
    name: String,
    #[serde(default)]
    members: Vec<String>,
}

impl WorldPerson {
    fn new(fcid: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            fcid: fcid.into(),
            name: name.into(),
        }
    }

    fn default_bot() -> Self {
        Self::new(DEFAULT_BOT.0, DEFAULT_BOT.1)
    }

    /// The fcid, as given (checked by [`SandboxWorld::validate`]).
    pub fn fcid(&self) -> &str {
        &self.fcid
    }

    /// The display name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl WorldRoom {
    /// The room id, as given (checked by [`SandboxWorld::validate`]).
    pub fn room_id(&self) -> &str {
        &self.room_id
    }

    /// The room's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The fcids of the people in it, as given; the bot is in it as well.
    pub fn members(&self) -> &[String] {
        &self.members
    }
}

// No `Default`: which world would it be? `new` is the start of one to build, `standard` the one a
// sandbox has unless told otherwise.
#[allow(clippy::new_without_default)]
impl SandboxWorld {
    /// A world to build: the default bot, no people yet (give at least one with
    /// [`person`](Self::person)), no group rooms (so the default one).
    pub fn new() -> Self {
        Self {
            bot: WorldPerson::default_bot(),
            people: Vec::new(),
            rooms: Vec::new(),
        }
    }

    /// The default world: the bot `@finchat-bot:sandbox` (机器人), the people `@alice:sandbox`
    /// (张三), `@bob:sandbox` (李四) and `@carol:sandbox` (王五), and the group room
    /// `!finance:sandbox` (财务部) with all of them.
    pub fn standard() -> Self {
        DEFAULT_PEOPLE
            .into_iter()
            .fold(Self::new(), |world, (fcid, name)| world.person(fcid, name))
    }

    /// The app's bot account (default `@finchat-bot:sandbox`, 机器人).
    #[must_use]
    pub fn bot(mut self, fcid: impl Into<String>, name: impl Into<String>) -> Self {
        self.bot = WorldPerson::new(fcid, name);
        self
    }

    /// Adds a person, e.g. `("@zhang:corp.example", "张三")`, after those given before.
    #[must_use]
    pub fn person(mut self, fcid: impl Into<String>, name: impl Into<String>) -> Self {
        self.people.push(WorldPerson::new(fcid, name));
        self
    }

    /// Adds a group room with the people `members` (fcids of people given with
    /// [`person`](Self::person)) and the bot. Once one is given, the default `!finance:sandbox` is
    /// not added.
    #[must_use]
    pub fn group_room<M: Into<String>>(
        mut self,
        room_id: impl Into<String>,
        name: impl Into<String>,
        members: impl IntoIterator<Item = M>,
    ) -> Self {
        self.rooms.push(WorldRoom {
            room_id: room_id.into(),
            name: name.into(),
            members: members.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// The bot.
    pub fn bot_account(&self) -> &WorldPerson {
        &self.bot
    }

    /// The people, in order.
    pub fn people(&self) -> &[WorldPerson] {
        &self.people
    }

    /// The group rooms given (none: the sandbox has `!finance:sandbox` with everyone).
    pub fn group_rooms(&self) -> &[WorldRoom] {
        &self.rooms
    }

    /// Reads a world file (JSON, in the shape shown on [`SandboxWorld`]) and
    /// [validates](Self::validate) it.
    ///
    /// # Errors
    ///
    /// A [`WorldError`] naming the file: when it cannot be read, is not JSON of that shape (an
    /// unknown or missing field, named with its place), or describes a world that is not valid.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, WorldError> {
        let path = path.as_ref();
        let in_file = |error: WorldError| WorldError {
            file: Some(path.to_owned()),
            ..error
        };
        let text = std::fs::read_to_string(path).map_err(|error| WorldError {
            file: Some(path.to_owned()),
            kind: ErrorKind::Read(error.to_string()),
        })?;
        Self::from_json(&text).map_err(in_file)
    }

    /// Reads a world from JSON text, as [`from_file`](Self::from_file) does.
    ///
    /// # Errors
    ///
    /// A [`WorldError`] when the text is not JSON of that shape or describes a world that is not
    /// valid.
    pub fn from_json(text: &str) -> Result<Self, WorldError> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let world: Self = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let path = error.path().to_string();
            let path = if path == "." { String::new() } else { path };
            WorldError::problems(vec![WorldProblem::new(path, error.inner().to_string())])
        })?;
        world.validate()?;
        Ok(world)
    }

    /// Checks the world, naming the place of every problem: an fcid or room id that is not one,
    /// an empty name, no people, a person twice or with the bot's fcid, a room id twice or taken
    /// by a direct room, a member who is not one of the people.
    ///
    /// # Errors
    ///
    /// A [`WorldError`] listing every problem found, e.g. `people[1].fcid: "zhang" is not an fcid
    /// (@localpart:server)`.
    pub fn validate(&self) -> Result<(), WorldError> {
        self.seed().map(drop)
    }

    /// The world as the sandbox seeds it: ids parsed, default group room added, the bot in every
    /// group room.
    pub(crate) fn seed(&self) -> Result<Seed, WorldError> {
        let mut problems = Vec::new();
        let mut problem = |path: String, message: String| {
            problems.push(WorldProblem::new(path, message));
        };
        let bot = self.bot.check("bot", &mut problem);
        if self.people.is_empty() {
            problem("people".into(), "no people; give at least one".into());
        }
        let mut people: Vec<Person> = Vec::new();
        for (index, given) in self.people.iter().enumerate() {
            let path = format!("people[{index}]");
            let Some(person) = given.check(&path, &mut problem) else {
                continue;
            };
            if bot.as_ref().is_some_and(|bot| bot.fcid == person.fcid) {
                problem(
                    format!("{path}.fcid"),
                    format!(
                        "{:?} is the bot's fcid; the bot is not one of the people",
                        given.fcid
                    ),
                );
            } else if people.iter().any(|p| p.fcid == person.fcid) {
                problem(
                    format!("{path}.fcid"),
                    format!("duplicate {:?}", given.fcid),
                );
            } else {
                people.push(person);
            }
        }
        let mut groups: Vec<GroupSeed> = Vec::new();
        for (index, given) in self.rooms.iter().enumerate() {
            let path = format!("rooms[{index}]");
            let room_id = match RoomId::parse(given.room_id.as_str()) {
                Ok(room_id) => Some(room_id),
                Err(_) => {
                    problem(
                        format!("{path}.room_id"),
                        format!("{:?} is not a room id (!opaque:server)", given.room_id),
                    );
                    None
                }
            };
            let direct_of = room_id
                .as_ref()
                .and_then(|id| people.iter().find(|p| &direct_room_id(&p.fcid) == id));
            if let Some(person) = direct_of {
                problem(
                    format!("{path}.room_id"),
                    format!(
                        "{:?} is the direct room of {:?}; give the group room another id",
                        given.room_id,
                        person.fcid.as_str()
                    ),
                );
            } else if let Some(id) = &room_id
                && groups.iter().any(|g| &g.room_id == id)
            {
                problem(
                    format!("{path}.room_id"),
                    format!("duplicate {:?}", given.room_id),
                );
            }
            if given.name.trim().is_empty() {
                problem(
                    format!("{path}.name"),
                    "is empty; give the room a name".into(),
                );
            }
            let mut members: Vec<Fcid> = bot.iter().map(|b| b.fcid.clone()).collect();
            for (position, member) in given.members.iter().enumerate() {
                let member_path = format!("{path}.members[{position}]");
                if member == &self.bot.fcid {
                    // The bot is in every room anyway.
                    continue;
                }
                let person = people.iter().find(|p| p.fcid == *member.as_str());
                match person {
                    Some(person) if members.contains(&person.fcid) => {
                        problem(member_path, format!("duplicate {member:?}"));
                    }
                    Some(person) => members.push(person.fcid.clone()),
                    // A person whose own entry has a problem was reported there.
                    None if self.people.iter().any(|p| &p.fcid == member) => {}
                    None => problem(member_path, format!("{member:?} is not one of the people")),
                }
            }
            if let Some(room_id) = room_id {
                groups.push(GroupSeed {
                    room_id,
                    name: given.name.clone(),
                    members,
                });
            }
        }
        match bot {
            Some(bot) if problems.is_empty() => {
                if groups.is_empty() {
                    let mut members = vec![bot.fcid.clone()];
                    members.extend(people.iter().map(|p| p.fcid.clone()));
                    groups.push(GroupSeed {
                        room_id: own_id(DEFAULT_GROUP_ROOM.0),
                        name: DEFAULT_GROUP_ROOM.1.into(),
                        members,
                    });
                }
                Ok(Seed {
                    bot,
                    people,
                    groups,
                })
            }
            _ => Err(WorldError::problems(problems)),
        }
    }
}

impl WorldPerson {
    /// The person, if their fcid is one; every problem is reported under `path`.
    fn check(&self, path: &str, problem: &mut impl FnMut(String, String)) -> Option<Person> {
        if self.name.trim().is_empty() {
            problem(
                format!("{path}.name"),
                "is empty; give a display name".into(),
            );
        }
        match Fcid::parse(self.fcid.as_str()) {
            Ok(fcid) => Some(Person {
                fcid,
                name: self.name.clone(),
            }),
            Err(_) => {
                problem(
                    format!("{path}.fcid"),
                    format!("{:?} is not an fcid (@localpart:server)", self.fcid),
                );
                None
            }
        }
    }
}

/// The bot's direct room with `fcid`: `@zhang:corp.example` → `!direct-zhang:corp.example`.
pub(crate) fn direct_room_id(fcid: &Fcid) -> RoomId {
    // Valid for every valid fcid: a room id's rule is an fcid's with another sigil.
    own_id(&format!(
        "!direct-{}:{}",
        fcid.localpart(),
        fcid.server_name()
    ))
}

/// A valid world, ready to seed the sandbox with.
#[derive(Debug, Clone)]
pub(crate) struct Seed {
    pub bot: Person,
    pub people: Vec<Person>,
    pub groups: Vec<GroupSeed>,
}

impl Seed {
    /// The seed of [`SandboxWorld::standard`].
    pub fn standard() -> Self {
        SandboxWorld::standard()
            .seed()
            .unwrap_or_else(|e| panic!("the sandbox's standard world is invalid: {e}"))
    }
}

/// A group room to seed: the bot first among its members.
#[derive(Debug, Clone)]
pub(crate) struct GroupSeed {
    pub room_id: RoomId,
    pub name: String,
    pub members: Vec<Fcid>,
}

/// Why a [`SandboxWorld`] cannot be used: the world file cannot be read, or the problems found, each
/// with its place (`people[1].fcid: "zhang" is not an fcid (@localpart:server)`).
///
/// Its message names the file, if there is one, then each problem, separated by `; `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldError {
    file: Option<PathBuf>,
    kind: ErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ErrorKind {
    /// The world file cannot be read; the cause's text.
    Read(String),
    /// What is wrong with the file's shape or the world (never empty).
    Problems(Vec<WorldProblem>),
}

impl WorldError {
    fn problems(problems: Vec<WorldProblem>) -> Self {
        Self {
            file: None,
            kind: ErrorKind::Problems(problems),
        }
    }

    /// The world file, when the world was read from one.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// Every problem found, in the order of the world's fields (none when the file could not be
    /// read).
    pub fn problems_found(&self) -> &[WorldProblem] {
        match &self.kind {
            ErrorKind::Read(_) => &[],
            ErrorKind::Problems(problems) => problems,
        }
    }
}

impl fmt::Display for WorldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.kind, &self.file) {
            (ErrorKind::Read(cause), Some(file)) => {
                write!(f, "cannot read the world file {}: {cause}", file.display())
            }
            (ErrorKind::Read(cause), None) => write!(f, "cannot read the world file: {cause}"),
            (ErrorKind::Problems(problems), file) => {
                if let Some(file) = file {
                    write!(f, "{}: ", file.display())?;
                }
                for (index, problem) in problems.iter().enumerate() {
                    if index > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for WorldError {}

/// One problem of a [`SandboxWorld`]: where (a JSON path into the world file, e.g.
/// `rooms[0].members[1]`; empty for the whole file) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldProblem {
    path: String,
    message: String,
}

impl WorldProblem {
    fn new(path: String, message: String) -> Self {
        Self { path, message }
    }

    /// Where, e.g. `people[1].fcid`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong, e.g. `"zhang" is not an fcid (@localpart:server)`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for WorldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(world: &SandboxWorld) -> Vec<String> {
        match world.validate() {
            Ok(()) => Vec::new(),
            Err(error) => error
                .problems_found()
                .iter()
                .map(ToString::to_string)
                .collect(),
        }
    }

    #[test]
    fn direct_room_ids_keep_the_fcids_parts() {
        let id = |f: &str| direct_room_id(&f.parse().unwrap()).to_string();
        assert_eq!(id("@alice:sandbox"), "!direct-alice:sandbox");
        assert_eq!(id("@zhang:corp.example"), "!direct-zhang:corp.example");
        assert_eq!(
            id("@zhang:other.example:8448"),
            "!direct-zhang:other.example:8448"
        );
        assert_eq!(id("@a.b=c:[::1]"), "!direct-a.b=c:[::1]");
    }

    #[test]
    fn the_standard_world_is_valid_and_has_the_finance_room() {
        let seed = SandboxWorld::standard().seed().unwrap();
        assert_eq!(seed.people.len(), 3);
        assert_eq!(seed.groups.len(), 1);
        assert_eq!(seed.groups[0].room_id.as_str(), "!finance:sandbox");
        assert_eq!(seed.groups[0].members.len(), 4);
    }

    #[test]
    fn the_bot_as_a_member_is_taken_once() {
        let world = SandboxWorld::new().person("@a:x", "A").group_room(
            "!g:x",
            "G",
            ["@finchat-bot:sandbox", "@a:x"],
        );
        let seed = world.seed().unwrap();
        assert_eq!(seed.groups[0].members.len(), 2);
    }

    #[test]
    fn a_member_whose_own_entry_is_wrong_is_reported_once() {
        let world = SandboxWorld::new()
            .person("zhang", "张三")
            .group_room("!g:x", "G", ["zhang"]);
        assert_eq!(
            messages(&world),
            [r#"people[0].fcid: "zhang" is not an fcid (@localpart:server)"#]
        );
    }
}
