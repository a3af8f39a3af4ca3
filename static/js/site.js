// A control that htmx replaces in place (a Save button, a shortlist entry) hands the
// keyboard focus on to its replacement instead of dropping it to the page.
const FOCUSABLE = "a[href], button, select, textarea, input:not([type=hidden])";
let focused = null;
document.addEventListener("htmx:beforeRequest", (event) => {
  const holder = event.detail.elt.closest("[id]");
  if (!holder || !holder.contains(document.activeElement)) {
    focused = null;
    return;
  }
  const controls = Array.from(holder.querySelectorAll(FOCUSABLE));
  focused = { id: holder.id, index: Math.max(controls.indexOf(document.activeElement), 0) };
});
document.addEventListener("htmx:afterSettle", () => {
  if (!focused) return;
  const replacement = document.getElementById(focused.id);
  const controls = replacement ? Array.from(replacement.querySelectorAll(FOCUSABLE)) : [];
  const control = controls[focused.index] || controls[0];
  focused = null;
  if (control) control.focus();
});
