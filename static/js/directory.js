// Keep shared URLs short: leave empty filter fields out of htmx requests (and so out of the
// address bar that hx-push-url updates). Without JavaScript the plain form still works.
document.addEventListener("htmx:configRequest", (event) => {
  const params = event.detail.parameters;
  for (const [name, value] of Array.from(params.entries())) {
    if (value === "") params.delete(name);
  }
});
document.documentElement.classList.add("js");

// On a phone the filters would push the results off the first screen: start them folded.
document.addEventListener("DOMContentLoaded", () => {
  const filters = document.getElementById("more-filters");
  const hasErrors = filters && filters.querySelector(".errorlist");
  if (filters && !hasErrors && window.matchMedia("(max-width: 52rem)").matches) {
    filters.open = false;
  }
});
