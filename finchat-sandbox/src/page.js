// Redraws the page when the sandbox changes (a bot's message or card update), unless the person is
// filling something in.
(() => {
  const rev = document.body.dataset.rev;
  let dirty = false;
  document.addEventListener("input", () => { dirty = true; });
  document.addEventListener("change", () => { dirty = true; });
  const busy = () => {
    const active = document.activeElement;
    return dirty || (active && ["INPUT", "SELECT", "TEXTAREA"].includes(active.tagName));
  };
  setInterval(async () => {
    if (busy()) return;
    try {
      const answer = await (await fetch("/sandbox/api/rev")).json();
      if (String(answer.rev) !== rev && !busy()) location.reload();
    } catch (_) { /* the sandbox is restarting */ }
  }, 700);
})();
