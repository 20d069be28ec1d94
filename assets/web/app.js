// Small help where JavaScript runs; every page works without it.
// A button whose form says data-confirm asks before it posts (post now, skip a week).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
