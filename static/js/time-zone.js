// The viewer's time zone: their profile setting (a meta tag), else their browser's.
// It is sent to the server as a cookie (accounts/timezones.py), preselected in forms
// that offer it, and compared with a doctor's zone on pages cached for everyone.
(() => {
  // Browsers still report some zones by their old names; the site uses the current ones.
  const CURRENT_NAMES = {
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Europe/Kiev": "Europe/Kyiv",
  };
  let browserZone = "";
  try {
    browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return; // an old browser without Intl: times stay in the doctor's zone
  }
  browserZone = CURRENT_NAMES[browserZone] || browserZone;
  if (browserZone && !document.cookie.split("; ").includes(`mc_tz=${browserZone}`)) {
    document.cookie = `mc_tz=${browserZone}; path=/; max-age=31536000; SameSite=Lax`;
  }
  document.querySelectorAll("[data-browser-time-zone]").forEach((field) => {
    if (!field.value && [...field.options].some((option) => option.value === browserZone)) {
      field.value = browserZone;
    }
  });
  const meta = document.querySelector('meta[name="mc-time-zone"]');
  const zone = (meta && meta.content) || browserZone;
  const offset = (timeZone, at) => {
    const parts = new Intl.DateTimeFormat("en-GB", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit",
    }).formatToParts(at).reduce((all, part) => ({ ...all, [part.type]: part.value }), {});
    return (Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute) - at) / 60000;
  };
  document.querySelectorAll("[data-zone-note]").forEach((note) => {
    const doctorZone = note.dataset.doctorTimeZone;
    if (!zone || !doctorZone || zone === doctorZone) return;
    const now = new Date(Math.floor(Date.now() / 60000) * 60000);
    const minutes = offset(zone, now) - offset(doctorZone, now);
    if (!minutes) return;
    const size = Math.abs(minutes);
    const hours = Math.floor(size / 60);
    const rest = size % 60;
    const gap = `${hours ? `${hours} h` : ""}${hours && rest ? " " : ""}${rest ? `${rest} min` : ""}`;
    const ahead = minutes > 0;
    note.textContent =
      `Your time zone (${zone}) is ${gap} ${ahead ? "ahead of" : "behind"} the doctor's: ` +
      `${ahead ? "add" : "take"} ${gap} ${ahead ? "to" : "from"} the times below. ` +
      "The booking form shows both.";
    note.classList.remove("d-none");
  });
})();
