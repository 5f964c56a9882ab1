// While prescribing: warn as soon as a drug typed matches a recorded allergy by name,
// with the same rule as the server (prescriptions/safety.py).
(() => {
  const allergies = [...document.querySelectorAll("[data-allergy-substance]")].map((item) => ({
    substance: item.dataset.allergySubstance,
    severity: item.dataset.allergySeverity,
  }));
  const live = document.getElementById("allergy-live");
  if (!live || !allergies.length) return;
  const words = (name) => (name.toLowerCase().match(/[a-z0-9]+/g) || []).filter((w) => w.length >= 4);
  const matches = (drug, substance) =>
    words(drug).some((d) => words(substance).some((s) => d.startsWith(s) || s.startsWith(d)));
  const check = () => {
    const found = [];
    document.querySelectorAll("input[name$='-drug']").forEach((field) => {
      allergies.forEach((allergy) => {
        if (field.value && matches(field.value, allergy.substance)) {
          found.push(`${field.value}: recorded allergy to ${allergy.substance} (${allergy.severity.toLowerCase()})`);
        }
      });
    });
    live.textContent = found.length ? `Allergy warning. ${found.join("; ")}.` : "";
    live.classList.toggle("d-none", !found.length);
  };
  document.addEventListener("input", (event) => {
    if (event.target.matches("input[name$='-drug']")) check();
  });
  check();
})();
