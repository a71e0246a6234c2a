// Refreshes the activity inspector about once a second from /sandbox/api/activity, with the filters
// of its form, drawing the same markup as the server. Every node is built from data with
// createElement and text nodes, never parsed from HTML: the data comes from the bot.
(() => {
  const list = document.getElementById("activity");
  const form = document.getElementById("activity-filter");
  if (!list || !form) return;

  const query = () => {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (value !== "" && !(name === "kind" && value === "all")) params.set(name, value);
    }
    return params.toString();
  };
  // What is on the page: the log's revision and the filters it was drawn with.
  let shown = `${list.dataset.rev}?${query()}`;

  const node = (tag, className, ...children) => {
    const element = document.createElement(tag);
    if (className) element.className = className;
    for (const child of children) {
      if (child !== null && child !== undefined) element.append(child);
    }
    return element;
  };
  const code = (text) => node("code", "", String(text));
  const clock = (ms) => node("time", "", new Date(ms).toISOString().slice(11, 23));
  const label = (text) => node("div", "sb-label", text);

  const json = (seq, what, value, open) => {
    if (value === null || value === undefined) return null;
    const details = node("details", "", node("summary", "", what),
      node("pre", "", JSON.stringify(value, null, 2)));
    details.dataset.key = `${seq}-${what}`;
    details.open = open.has(details.dataset.key);
    return details;
  };

  const roomLink = (room) => {
    const link = node("a", "", code(room));
    link.href = `${location.pathname}?room=${encodeURIComponent(room)}`;
    return link;
  };

  const call = (entry, open) => {
    const refused = Boolean(entry.errcode) || entry.status >= 400;
    const item = node("li", refused ? "sb-entry sb-call sb-refused" : "sb-entry sb-call");
    item.dataset.seq = entry.seq;
    const head = node("div", "sb-entry-head", clock(entry.at), " ",
      node("span", "sb-what", code(entry.method), " ", code(entry.path)), " ",
      node("span", "sb-code", String(entry.status)));
    if (entry.errcode) head.append(" ", node("span", "sb-code", entry.errcode));
    item.append(head);
    const rooms = entry.rooms || [];
    if (rooms.length) {
      const meta = node("div", "sb-meta", "rooms: ");
      rooms.forEach((room, i) => {
        if (i > 0) meta.append(", ");
        meta.append(roomLink(room));
      });
      item.append(meta);
    }
    const problems = entry.problems || [];
    if (problems.length) {
      item.append(label("Validation problems"),
        node("ul", "sb-problems", ...problems.map((problem) => node("li", "", problem))));
    }
    const results = entry.results || [];
    if (results.length) {
      item.append(label("Per-target results"), node("ul", "sb-results", ...results.map((result) => {
        const ok = !result.errcode && Boolean(result.event_id);
        const outcome = result.event_id && !result.errcode
          ? `ok ${result.event_id}`
          : `${result.errcode || "failed"}: ${result.error || ""}`;
        return node("li", ok ? "sb-ok" : "sb-failed", code(result.target), ` → ${outcome}`);
      })));
    }
    item.append(...[json(entry.seq, "Request", entry.request, open),
      json(entry.seq, "Response", entry.response, open)].filter(Boolean));
    return item;
  };

  const answers = {
    acked: () => "acked (200)",
    refused: (attempt) => `refused: HTTP ${attempt.status}`,
    failed: (attempt) => `failed: ${attempt.error}`,
  };

  const push = (entry, open) => {
    const state = String(entry.state);
    const item = node("li", `sb-entry sb-push sb-state-${state}`);
    item.dataset.seq = entry.seq;
    item.append(
      node("div", "sb-entry-head", clock(entry.at), " ",
        node("span", "sb-what", "push ", code(entry.event_type), " ", code(entry.event_id)), " ",
        node("span", "sb-code", state)),
      node("div", "sb-meta", "room ", code(entry.room || "none"), " · sender ",
        code(entry.sender || "none")));
    const attempts = entry.attempts || [];
    if (!attempts.length) {
      const why = state === "dropped"
        ? "No attempt: dropped unsent with the backlog."
        : "No answer yet.";
      item.append(node("p", "sb-meta", why));
    } else {
      item.append(label("Attempts"), node("ol", "sb-attempts", ...attempts.map((attempt) => {
        const describe = answers[attempt.answer] || (() => String(attempt.answer));
        const ok = attempt.answer === "acked";
        return node("li", ok ? "sb-ok" : "sb-failed", clock(attempt.at), ` ${describe(attempt)}`);
      })));
    }
    const event = json(entry.seq, "Event", entry.event, open);
    if (event) item.append(event);
    return item;
  };

  const draw = (entries) => {
    const open = new Set(Array.from(list.querySelectorAll("details[open]"), (d) => d.dataset.key));
    const items = entries
      .map((entry) => (entry.kind === "push" ? push(entry, open)
        : entry.kind === "call" ? call(entry, open) : null))
      .filter(Boolean);
    if (!items.length) items.push(node("li", "sb-empty", "No activity yet."));
    list.replaceChildren(...items);
  };

  // Someone selecting text in the list (to copy a body) is not interrupted.
  const selecting = () => {
    const selection = window.getSelection();
    return selection && !selection.isCollapsed && list.contains(selection.anchorNode);
  };

  let busy = false;
  const refresh = async () => {
    if (busy || selecting()) return;
    busy = true;
    try {
      const q = query();
      const response = await fetch(`/sandbox/api/activity${q ? `?${q}` : ""}`);
      if (!response.ok) return;
      const answer = await response.json();
      const key = `${answer.rev}?${q}`;
      if (key !== shown && Array.isArray(answer.entries)) {
        draw(answer.entries);
        shown = key;
      }
    } catch (_) {
      // The sandbox is restarting; the next tick tries again.
    } finally {
      busy = false;
    }
  };

  form.addEventListener("change", () => {
    const q = query();
    history.replaceState(null, "", `${location.pathname}${q ? `?${q}` : ""}`);
    for (const error of document.querySelectorAll(".sb-error")) error.remove();
    refresh();
  });
  setInterval(refresh, 1000);
})();
