// Keep shared URLs short: leave empty filter fields out of htmx requests (and so out of the
// address bar that hx-push-url updates). Without JavaScript the plain form still works.
document.addEventListener("htmx:configRequest", (event) => {
  const params = event.detail.parameters;
  for (const [name, value] of Array.from(params.entries())) {
    if (value === "") params.delete(name);
  }
  // A new level offers other specialties: ask for the filter form to be redrawn too.
  if (lastChanged === "level") event.detail.headers["HX-Redraw-Filters"] = "true";
});
document.documentElement.classList.add("js");

let lastChanged = "";
document.addEventListener("change", (event) => { lastChanged = event.target.name || ""; }, true);
document.addEventListener("input", (event) => { lastChanged = event.target.name || ""; }, true);

// Back and forward load the page afresh, so the filters always agree with the address bar.
htmx.config.historyCacheSize = 0;
htmx.config.refreshOnHistoryMiss = true;

// After a chip, a page link or "Clear all" replaces the results, keyboard users continue
// from the results' heading rather than from the top of the page.
document.addEventListener("htmx:afterSettle", (event) => {
  const source = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (source && source.tagName === "A") {
    const heading = document.getElementById("results-heading");
    if (heading) heading.focus();
  }
});

// On a phone the filters would push the results off the first screen: start them folded.
document.addEventListener("DOMContentLoaded", () => {
  const filters = document.getElementById("more-filters");
  const hasErrors = filters && filters.querySelector(".errorlist");
  if (filters && !hasErrors && window.matchMedia("(max-width: 52rem)").matches) {
    filters.open = false;
  }
});

// When the list cannot be redrawn (the connection dropped, the server failed), say so by
// the results rather than leave the old list under the new filters.
function showListProblem() {
  const results = document.getElementById("results");
  if (!results || document.getElementById("list-problem")) return;
  const note = document.createElement("p");
  note.id = "list-problem";
  note.className = "message message-error";
  note.setAttribute("role", "alert");
  note.textContent = "The list could not be updated, so it still shows the previous results. " +
    "Check your connection and press “Show programs” to try again.";
  results.prepend(note);
}
document.addEventListener("htmx:sendError", showListProblem);
document.addEventListener("htmx:responseError", showListProblem);
document.addEventListener("htmx:beforeRequest", () => {
  const note = document.getElementById("list-problem");
  if (note) note.remove();
});

// The "About you" answers belong to a form of their own (their form attribute), posted to
// the session rather than put in the address: a change to one sends that form, and not the
// filter form around it, whose request is called off.
document.addEventListener("change", (event) => {
  const form = event.target.form;
  if (form && form.id === "about-you") form.requestSubmit();
});
document.addEventListener("htmx:confirm", (event) => {
  const cause = event.detail.triggeringEvent;
  const control = cause && cause.target;
  if (event.detail.elt.id === "filters" && control && control.form && control.form.id === "about-you") {
    event.preventDefault();
  }
});
