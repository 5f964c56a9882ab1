// The day sheet's Print link (no inline script: the pages run under a strict CSP).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      window.print();
    });
  });
});
